"""Victims assisted, as grantees report them: per report and type of assistance, women, girls, men
and boys. Each report gives the figures for the period it covers (an interim report the first
part of the project, the final report the rest), so figures add up without double counting.
Fund-wide totals are per year of the report's receipt (its due date while not yet received).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import N_, _
from trustfund_app.core.models import ASSISTANCE_LABELS, AssistanceType, Grant, GranteeReport, VictimsAssisted  # noqa: F401 (ASSISTANCE_LABELS: imported from here)
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import as_uuid, fetch

GROUPS = ("women", "girls", "men", "boys")


@dataclass(frozen=True)
class VictimsRow:
    assistance: str
    women: int
    girls: int
    men: int
    boys: int
    report_id: str | None = None
    year: int | None = None

    @property
    def total(self) -> int:
        return self.women + self.girls + self.men + self.boys

    @property
    def label(self) -> str:
        return _(ASSISTANCE_LABELS[self.assistance]) if self.assistance in ASSISTANCE_LABELS else self.assistance


# the groups as they read inside a sentence ("the number of girls cannot be negative")
GROUP_WORDS = {"women": N_("women"), "girls": N_("girls"), "men": N_("men"), "boys": N_("boys")}


def _count(value, group: str, assistance: str) -> int:
    shown = _(GROUP_WORDS[group]) if group in GROUP_WORDS else group
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError(_('"{value}" is not a whole number ({group}, {assistance})').format(
            value=value, group=shown,
            assistance=_(ASSISTANCE_LABELS[assistance]) if assistance in ASSISTANCE_LABELS else assistance), group)
    if number < 0:
        raise ValidationError(_("the number of {group} cannot be negative").format(group=shown), group)
    return number


def grant_victims(session, grant_id) -> list[VictimsRow]:
    rows = session.execute(
        select(VictimsAssisted, GranteeReport.id).join(GranteeReport, GranteeReport.id == VictimsAssisted.report_id)
        .where(GranteeReport.grant_id == as_uuid(grant_id)).order_by(GranteeReport.due_date, VictimsAssisted.assistance)
    ).all()
    return [VictimsRow(v.assistance, v.women, v.girls, v.men, v.boys, str(rid)) for v, rid in rows]


class VictimsService(Service):
    def record(self, report_id: str, figures: dict[str, dict[str, int] | tuple]) -> None:
        """Replace the report's figures: ``{assistance: {"women": n, "girls": n, ...}}`` or
        ``{assistance: (women, girls, men, boys)}``. Lines with all zeros are left out."""
        clean = {}
        for assistance, values in figures.items():
            if assistance not in {a.value for a in AssistanceType}:
                raise ValidationError(_('unknown type of assistance "{value}"').format(value=assistance), "assistance")
            if not isinstance(values, dict):
                values = dict(zip(GROUPS, values))
            counts = {g: _count(values.get(g), g, assistance) for g in GROUPS}
            if any(counts.values()):
                clean[assistance] = counts
        with self._write("grants") as s:
            report = fetch(s, GranteeReport, report_id, _("report"))
            for row in s.scalars(select(VictimsAssisted).where(VictimsAssisted.report_id == report.id)):
                s.delete(row)
            s.flush()
            for assistance, counts in clean.items():
                s.add(VictimsAssisted(report_id=report.id, assistance=assistance, **counts))
            gid = str(report.grant_id)
        self._changed("grant", "update", gid)
        self._changed("victims", "update", report_id)

    def for_report(self, report_id: str) -> list[VictimsRow]:
        with self.db.reading() as s:
            rows = s.scalars(select(VictimsAssisted).where(VictimsAssisted.report_id == as_uuid(report_id))
                             .order_by(VictimsAssisted.assistance))
            return [VictimsRow(v.assistance, v.women, v.girls, v.men, v.boys, report_id) for v in rows]

    def for_grant(self, grant_id: str) -> list[VictimsRow]:
        with self.db.reading() as s:
            return grant_victims(s, fetch(s, Grant, grant_id, _("grant")).id)

    def totals_by_year(self, grant_ids: list[str] | None = None) -> list[VictimsRow]:
        """Fund-wide (or for the given grants) totals per year and type of assistance."""
        with self.db.reading() as s:
            when = func.coalesce(GranteeReport.received_on, GranteeReport.due_date)
            query = (
                select(when, VictimsAssisted.assistance, func.sum(VictimsAssisted.women), func.sum(VictimsAssisted.girls),
                       func.sum(VictimsAssisted.men), func.sum(VictimsAssisted.boys))
                .join(GranteeReport, GranteeReport.id == VictimsAssisted.report_id)
                .group_by(when, VictimsAssisted.assistance)
            )
            if grant_ids is not None:
                query = query.where(GranteeReport.grant_id.in_([as_uuid(g) for g in grant_ids]))
            per_year: dict[tuple[int, str], list[int]] = {}
            for day, assistance, *counts in s.execute(query):
                year = day.year if hasattr(day, "year") else int(str(day)[:4])
                acc = per_year.setdefault((year, assistance), [0, 0, 0, 0])
                for i, n in enumerate(counts):
                    acc[i] += int(n or 0)
        return [VictimsRow(a, *c, year=y) for (y, a), c in sorted(per_year.items())]
