"""Applications and the Board's decisions: submitted → screened → recommended → approved or
rejected. Approval creates the grant (agreement number, amount in USD, start and end, country of
implementation) within the rules of its sub-programme and cycle:

- the amount may not exceed the sub-programme's ceiling per grant, nor the project its maximum
  duration (hard rules: a larger project belongs to another sub-programme);
- the cycle's envelope may not be over-committed unless the decision records an explicit override
  with its reason; the reason is kept on the grant (``envelope_override``, "user: reason") and, like
  every change, in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from trustfund_app.core.countries import check_country
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, ngettext
from trustfund_app.core.models import (
    APPLICATION_STATUS_LABELS,
    Application, ApplicationStatus, Grant, GrantCycle, Grantee, GrantStatus, SubProgramme,
)
from trustfund_app.core.money import Money
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import (
    money_text,
    add_months, fetch, months_between, optional_text, required_text, to_cents, usd,
)
from trustfund_app.core.services.grants.cycles import committed_cents
from trustfund_app.core.services.grants.grantees import EligibilityWarning, eligibility_warnings
from trustfund_app.core.services.grants.reports import create_reports
from trustfund_app.core.services.settings import read_setting

STATUS_LABELS = APPLICATION_STATUS_LABELS
# which step may follow which
NEXT = {
    ApplicationStatus.SUBMITTED: ApplicationStatus.SCREENED,
    ApplicationStatus.SCREENED: ApplicationStatus.RECOMMENDED,
}
OPEN = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENED, ApplicationStatus.RECOMMENDED)


@dataclass(frozen=True)
class ApplicationRow:
    id: str
    number: str
    cycle_id: str
    cycle_number: int
    sub_programme_id: str
    sub_programme: str
    grantee_id: str
    grantee: str
    title: str
    country: str
    requested: Money
    months: int
    status: str
    board_meeting: str | None
    decided_on: date | None
    decision_note: str | None
    grant_id: str | None
    warnings: tuple[EligibilityWarning, ...]


def check_rules(sp: SubProgramme, amount_cents: int, start: date, end: date) -> None:
    """The sub-programme's ceiling and maximum duration (hard rules)."""
    if amount_cents > sp.ceiling_usd_cents:
        raise ValidationError(_("{amount} is above the ceiling of {code} ({ceiling})").format(
            amount=money_text(amount_cents), code=sp.code, ceiling=money_text(sp.ceiling_usd_cents)), "amount")
    if end < start:
        raise ValidationError(_("the project ends before it starts"), "end")
    months = months_between(start, end)
    if months > sp.max_months:
        raise ValidationError(ngettext("{months} month is longer than {code} allows (at most {max})",
                                   "{months} months is longer than {code} allows (at most {max})", months).format(
            months=months, code=sp.code, max=sp.max_months), "end")


def check_envelope(session, cycle: GrantCycle, amount_cents: int, override: str | None, user: str,
                   excluding_grant=None) -> str | None:
    """None when the grant fits the envelope; the recorded override text when it does not but a
    reason was given; else a ValidationError saying by how much the envelope would be exceeded."""
    committed = committed_cents(session, cycle.id, excluding_grant)
    excess = committed + amount_cents - cycle.envelope_usd_cents
    if excess <= 0:
        return None
    reason = optional_text(override)
    if not reason:
        raise ValidationError(_("this grant would exceed the envelope of cycle {number} by {excess}; an override "
                                "with its reason is needed").format(number=cycle.number, excess=money_text(excess)),
                              "envelope_override")
    return f"{user}: {reason}"[:500]


def _next_number(session, model, column, prefix: str) -> str:
    n = int(session.scalar(select(func.count()).select_from(model).where(column.like(prefix + "%")))) + 1
    while session.scalar(select(func.count()).select_from(model).where(column == f"{prefix}{n:03d}")):
        n += 1
    return f"{prefix}{n:03d}"


class ApplicationService(Service):
    def submit(self, cycle_id: str, sub_programme_id: str, grantee_id: str, title: str, country: str,
               requested, months: int, number: str | None = None) -> str:
        title = required_text(title, "title", _("the project's title is required"))
        country = check_country(country)
        cents = to_cents(requested, "requested")
        try:
            months = int(months)
        except (TypeError, ValueError):
            raise ValidationError(_('"{value}" is not a whole number').format(value=months), "months")
        if months <= 0:
            raise ValidationError(_("the duration must be at least one month"), "months")
        with self._write("grants") as s:
            cycle = fetch(s, GrantCycle, cycle_id, _("cycle"))
            sp = fetch(s, SubProgramme, sub_programme_id, _("sub-programme"))
            if sp.cycle_id != cycle.id:
                raise ValidationError(_("sub-programme {code} belongs to another cycle").format(code=sp.code), "sub_programme")
            grantee = fetch(s, Grantee, grantee_id, _("grantee"))
            if cents > sp.ceiling_usd_cents:
                raise ValidationError(_("{amount} is above the ceiling of {code} ({ceiling})").format(
                    amount=money_text(cents), code=sp.code, ceiling=money_text(sp.ceiling_usd_cents)), "requested")
            if months > sp.max_months:
                raise ValidationError(ngettext("{months} month is longer than {code} allows (at most {max})",
                                   "{months} months is longer than {code} allows (at most {max})", months).format(
                    months=months, code=sp.code, max=sp.max_months), "months")
            number = optional_text(number) or _next_number(s, Application, Application.number, f"C{cycle.number}-A")
            if s.scalar(select(Application.id).where(Application.number == number)):
                raise ValidationError(_("application {number} already exists").format(number=number), "number")
            app = Application(cycle_id=cycle.id, sub_programme_id=sp.id, grantee_id=grantee.id,
                              number=number, title=title, country=country, requested_usd_cents=cents, months=months)
            s.add(app)
            s.flush()
            aid = str(app.id)
        self._changed("application", "insert", aid)
        return aid

    def advance(self, application_id: str, note: str | None = None) -> str:
        """Submitted → screened, screened → recommended. Returns the new status."""
        with self._write("grants") as s:
            app = fetch(s, Application, application_id, _("application"))
            if app.status not in NEXT:
                raise ValidationError(_("an application that is {status} cannot move on this way").format(
                    status=_(STATUS_LABELS[app.status]).lower()), "status")
            app.status = NEXT[app.status]
            if optional_text(note):
                app.decision_note = optional_text(note)
            status = app.status
        self._changed("application", "update", application_id)
        return status

    def reject(self, application_id: str, decided_on: date, board_meeting: str | None = None,
               note: str | None = None) -> None:
        with self._write("grants") as s:
            app = fetch(s, Application, application_id, _("application"))
            if app.status not in OPEN:
                raise ValidationError(_("this application is already decided"), "status")
            app.status = ApplicationStatus.REJECTED
            app.decided_on = decided_on
            app.board_meeting = optional_text(board_meeting)
            app.decision_note = optional_text(note) or app.decision_note
        self._changed("application", "update", application_id)

    def approve(self, application_id: str, board_meeting: str | None, decided_on: date, start: date,
                end: date | None = None, amount=None, country: str | None = None, reference: str | None = None,
                envelope_override: str | None = None, note: str | None = None) -> str:
        """The Board approves a recommended application: the grant is created (status approved, a
        commitment in the fund position) with its four reports. Returns the grant id."""
        with self._write("grants") as s:
            app = fetch(s, Application, application_id, _("application"))
            if app.status != ApplicationStatus.RECOMMENDED:
                raise ValidationError(_("only a recommended application can be approved"), "status")
            cycle = s.get(GrantCycle, app.cycle_id)
            sp = s.get(SubProgramme, app.sub_programme_id)
            board_meeting = optional_text(board_meeting) or cycle.board_meeting
            if not board_meeting:
                raise ValidationError(_("name the Board meeting that approved the grant"), "board_meeting")
            cents = app.requested_usd_cents if amount is None else to_cents(amount, "amount")
            end = end or add_months(start, app.months) - timedelta(days=1)
            check_rules(sp, cents, start, end)
            override = check_envelope(s, cycle, cents, envelope_override, self.actor.name)
            reference = optional_text(reference) or _next_number(
                s, Grant, Grant.reference, f"{read_setting(s, 'receipt_prefix')}-C{cycle.number}-G")
            if s.scalar(select(Grant.id).where(Grant.reference == reference)):
                raise ValidationError(_("agreement number {reference} already exists").format(reference=reference), "reference")
            grant = Grant(reference=reference, application_id=app.id, cycle_id=cycle.id, sub_programme_id=sp.id,
                          grantee_id=app.grantee_id, country=check_country(country or app.country), title=app.title,
                          amount_usd_cents=cents, start=start, end=end, approved_on=decided_on,
                          status=GrantStatus.APPROVED, envelope_override=override)
            s.add(grant)
            s.flush()
            create_reports(s, grant)
            app.status = ApplicationStatus.APPROVED
            app.board_meeting = board_meeting
            app.decided_on = decided_on
            app.decision_note = optional_text(note) or app.decision_note
            gid = str(grant.id)
        self._changed("application", "update", application_id)
        self._changed("grant", "insert", gid)
        return gid

    # -- queries -----------------------------------------------------------------------------
    def list(self, cycle_id: str | None = None, status: str | None = None) -> list[ApplicationRow]:
        with self.db.reading() as s:
            query = select(Application).order_by(Application.number)
            if cycle_id:
                query = query.where(Application.cycle_id == fetch(s, GrantCycle, cycle_id, _("cycle")).id)
            if status:
                query = query.where(Application.status == status)
            apps = list(s.scalars(query))
            # one query per table, not per application (a cycle can bring hundreds)
            lookups = (
                {c.id: c for c in s.scalars(select(GrantCycle))},
                {sp.id: sp for sp in s.scalars(select(SubProgramme))},
                {g.id: g for g in s.scalars(select(Grantee).where(Grantee.id.in_({a.grantee_id for a in apps})))},
                dict(s.execute(select(Grant.application_id, Grant.id).where(Grant.application_id.is_not(None))).all()),
            )
            return [self._row(a, *lookups) for a in apps]

    def get(self, application_id: str) -> ApplicationRow:
        with self.db.reading() as s:
            a = fetch(s, Application, application_id, _("application"))
            grant_id = s.scalar(select(Grant.id).where(Grant.application_id == a.id))
            return self._row(a, {a.cycle_id: s.get(GrantCycle, a.cycle_id)},
                             {a.sub_programme_id: s.get(SubProgramme, a.sub_programme_id)},
                             {a.grantee_id: s.get(Grantee, a.grantee_id)}, {a.id: grant_id} if grant_id else {})

    @staticmethod
    def _row(a: Application, cycles: dict, subs: dict, grantees: dict, grants: dict) -> ApplicationRow:
        cycle, sp, grantee = cycles[a.cycle_id], subs[a.sub_programme_id], grantees[a.grantee_id]
        grant_id = grants.get(a.id)
        on = cycle.call_close or a.created_at.date()
        return ApplicationRow(
            str(a.id), a.number, str(cycle.id), cycle.number, str(sp.id), sp.code, str(grantee.id), grantee.name,
            a.title, a.country, usd(a.requested_usd_cents), a.months, a.status, a.board_meeting, a.decided_on,
            a.decision_note, str(grant_id) if grant_id else None,
            tuple(eligibility_warnings(grantee, a.country, on)))
