"""Grantee reports: interim and final, each narrative and financial, with due dates generated from
the grant's dates; received and approved; the overdue list and the reminders view.

Due dates: the interim reports at mid-term (start + half the project's days), the final reports two
months after the end date (the usual UN grant agreement clause). They can be moved one by one.
A report is overdue when its due date has passed and it has not been received; grants that are
closed or cancelled no longer chase reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, format_date, format_number, ngettext
from trustfund_app.core.models import (
    REPORT_KIND_LABELS, REPORT_LABELS, REPORT_TYPE_LABELS, Grant, Grantee, GranteeReport, GrantStatus, ReportKind, ReportType,
)
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import add_months, fetch

KIND_LABELS, TYPE_LABELS = REPORT_KIND_LABELS, REPORT_TYPE_LABELS
FINAL_REPORT_MONTHS = 2
OPEN_GRANT = (GrantStatus.APPROVED, GrantStatus.ACTIVE)




def report_label(kind: str, type_: str) -> str:
    """e.g. "Interim financial report" in the UI language."""
    return _(REPORT_LABELS[(ReportKind(kind), ReportType(type_))])


@dataclass(frozen=True)
class ReportRow:
    id: str
    grant_id: str
    kind: str
    type: str
    due_date: date
    received_on: date | None
    approved_on: date | None
    approved_by: str | None

    @property
    def label(self) -> str:
        return report_label(self.kind, self.type)

    @property
    def state(self) -> str:
        if self.approved_on:
            return "approved"
        return "received" if self.received_on else "due"


@dataclass(frozen=True)
class DueReport:
    """One line of the overdue list / reminders view."""

    report_id: str
    grant_id: str
    reference: str
    grantee: str
    contact_person: str | None
    email: str | None
    kind: str
    type: str
    due_date: date
    days_overdue: int  # negative: due in that many days
    grantee_id: str = ""
    language: str = "en"  # the grantee's, for letters

    @property
    def label(self) -> str:
        return report_label(self.kind, self.type)

    def reminder_text(self) -> str:
        """A reminder the officer can paste into an e-mail, in the UI language."""
        if self.days_overdue > 0:
            return ngettext(
                "Dear {person}, the {report} for grant {reference} was due on {due} and is {days} day "
                "overdue. Please send it as soon as possible.",
                "Dear {person}, the {report} for grant {reference} was due on {due} and is {days} days "
                "overdue. Please send it as soon as possible.", self.days_overdue).format(
                person=self.contact_person or self.grantee, report=self.label.lower(), reference=self.reference,
                due=format_date(self.due_date), days=format_number(self.days_overdue))
        return _("Dear {person}, the {report} for grant {reference} is due on {due}.").format(
            person=self.contact_person or self.grantee, report=self.label.lower(), reference=self.reference,
            due=format_date(self.due_date))


def due_dates(start: date, end: date) -> dict[str, date]:
    midterm = start + timedelta(days=(end - start).days // 2)
    return {ReportKind.INTERIM: midterm, ReportKind.FINAL: add_months(end, FINAL_REPORT_MONTHS)}


def create_reports(session, grant: Grant) -> None:
    """The four reports every grant owes (called when the grant is created)."""
    for kind, due in due_dates(grant.start, grant.end).items():
        for type_ in (ReportType.NARRATIVE, ReportType.FINANCIAL):
            session.add(GranteeReport(grant_id=grant.id, kind=kind, type=type_, due_date=due))


def report_row(r: GranteeReport) -> ReportRow:
    return ReportRow(str(r.id), str(r.grant_id), r.kind, r.type, r.due_date, r.received_on, r.approved_on, r.approved_by)


def grant_reports(session, grant_id) -> list[ReportRow]:
    order = {ReportKind.INTERIM: 0, ReportKind.FINAL: 1}
    rows = session.scalars(select(GranteeReport).where(GranteeReport.grant_id == grant_id))
    return sorted((report_row(r) for r in rows), key=lambda r: (r.due_date, order.get(r.kind, 9), r.type))


class ReportService(Service):
    def receive(self, report_id: str, on: date) -> None:
        with self._write("grants") as s:
            report = fetch(s, GranteeReport, report_id, _("report"))
            grant = s.get(Grant, report.grant_id)
            if on < grant.approved_on:
                raise ValidationError(_("a report cannot be received before its grant was approved ({date})")
                                      .format(date=format_date(grant.approved_on)), "received_on")
            if report.approved_on:
                raise ValidationError(_("this report is already approved"), "received_on")
            report.received_on = on
            gid = str(report.grant_id)
        self._changed("grant", "update", gid)

    def approve(self, report_id: str, on: date) -> None:
        with self._write("grants") as s:
            report = fetch(s, GranteeReport, report_id, _("report"))
            if not report.received_on:
                raise ValidationError(_("a report must be received before it is approved"), "approved_on")
            if on < report.received_on:
                raise ValidationError(_("the approval date is before the date the report was received ({date})")
                                      .format(date=format_date(report.received_on)), "approved_on")
            if report.approved_on:
                raise ValidationError(_("this report is already approved"), "approved_on")
            report.approved_on = on
            report.approved_by = self.actor.name
            gid = str(report.grant_id)
        self._changed("grant", "update", gid)

    def set_due_date(self, report_id: str, due: date) -> None:
        with self._write("grants") as s:
            report = fetch(s, GranteeReport, report_id, _("report"))
            grant = s.get(Grant, report.grant_id)
            if due < grant.start:
                raise ValidationError(_("a report cannot be due before the project starts"), "due_date")
            report.due_date = due
            gid = str(report.grant_id)
        self._changed("grant", "update", gid)

    def for_grant(self, grant_id: str) -> list[ReportRow]:
        with self.db.reading() as s:
            return grant_reports(s, fetch(s, Grant, grant_id, _("grant")).id)

    def get(self, report_id: str) -> ReportRow:
        with self.db.reading() as s:
            return report_row(fetch(s, GranteeReport, report_id, _("report")))

    def overdue(self, at: date) -> list[DueReport]:
        """Reports not received whose due date has passed, most overdue first."""
        return [r for r in self.reminders(at, within_days=0) if r.days_overdue > 0]

    def reminders(self, at: date, within_days: int = 30) -> list[DueReport]:
        """Reports not received that are overdue or due within ``within_days`` of ``at``."""
        with self.db.reading() as s:
            rows = s.execute(
                select(GranteeReport, Grant.reference, Grantee)
                .join(Grant, Grant.id == GranteeReport.grant_id).join(Grantee, Grantee.id == Grant.grantee_id)
                .where(GranteeReport.received_on.is_(None), Grant.status.in_(OPEN_GRANT),
                       GranteeReport.due_date <= at + timedelta(days=within_days))
                .order_by(GranteeReport.due_date, Grant.reference, GranteeReport.kind, GranteeReport.type)
            ).all()
            return [DueReport(str(r.id), str(r.grant_id), ref, g.name, g.contact_person, g.email, r.kind, r.type,
                              r.due_date, (at - r.due_date).days, str(g.id), g.language or "en") for r, ref, g in rows]


@dataclass(frozen=True)
class GranteeDue:
    """The reports one grantee owes: what one reminder letter is about."""

    grantee_id: str
    grantee: str
    language: str
    contact_person: str | None
    email: str | None
    reports: tuple[DueReport, ...]

    @property
    def overdue(self) -> tuple[DueReport, ...]:
        return tuple(r for r in self.reports if r.days_overdue > 0)

    @property
    def most_days_overdue(self) -> int:
        return max(r.days_overdue for r in self.reports)

    @property
    def references(self) -> list[str]:
        return sorted({r.reference for r in self.reports})


def group_by_grantee(rows: list[DueReport]) -> list[GranteeDue]:
    """One entry per grantee, the longest overdue first; its reports by due date."""
    groups: dict[str, list[DueReport]] = {}
    for r in rows:
        groups.setdefault(r.grantee_id, []).append(r)
    out = [GranteeDue(gid, rs[0].grantee, rs[0].language, rs[0].contact_person, rs[0].email,
                      tuple(sorted(rs, key=lambda r: (r.due_date, r.reference, r.kind, r.type))))
           for gid, rs in groups.items()]
    return sorted(out, key=lambda g: (-g.most_days_overdue, g.grantee))
