"""Deadlines in one place: grantee reports not received, instalments not paid, open follow-up
actions of monitoring visits and pledges whose payment is overdue — overdue ones and those due in
the next N days — for the Due screen, the dashboard, ``trustfund due`` and an iCalendar file.

A pledge's payment is expected ``pledge_payment_days`` days (a setting, 365 by default: pledges are
usually made for a year) after the pledge; it is due while something of it is left to pay.
"Mine": the follow-up actions assigned to the user plus the kinds of deadline the user's role
works on (finance: instalments and pledges; programme: reports, instalments and actions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from trustfund_app.core.i18n import N_, _, format_date
from trustfund_app.core.models import (
    ActionStatus, Allocation, Contribution, ContributionKind, Donor, FollowUpAction, Grant, Grantee, GranteeReport, GrantStatus, Instalment,
    InstalmentStatus, MonitoringVisit, Role, Setting,
)
from trustfund_app.core.money import USD, Money
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.reports import report_label

REPORT, INSTALMENT, ACTION, PLEDGE = "report", "instalment", "action", "pledge"
DUE_KIND_LABELS = {
    REPORT: N_("Grantee report"), INSTALMENT: N_("Instalment"), ACTION: N_("Follow-up action"),
    PLEDGE: N_("Pledge payment"),
}
ROLE_KINDS = {
    Role.ADMINISTRATOR: frozenset({REPORT, INSTALMENT, ACTION, PLEDGE}),
    Role.FINANCE: frozenset({INSTALMENT, PLEDGE}),
    Role.PROGRAMME: frozenset({REPORT, INSTALMENT, ACTION}),
    Role.READ_ONLY: frozenset(),
}
DEFAULT_DAYS = 30
DEFAULT_PLEDGE_PAYMENT_DAYS = 365
OPEN_GRANT = (GrantStatus.APPROVED, GrantStatus.ACTIVE)


@dataclass(frozen=True)
class DueItem:
    kind: str
    record_id: str
    due_date: date
    days_left: int  # negative: overdue by that many days
    reference: str  # grant agreement, or the pledge's reference / receipt number
    subject: str  # what is due, in the language it was loaded in
    party: str  # grantee or donor
    responsible: str | None
    amount: Money | None
    grant_id: str | None = None
    donor_id: str | None = None

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def kind_label(self) -> str:
        return _(DUE_KIND_LABELS[self.kind])

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.record_id, "due": self.due_date.isoformat(), "days_left": self.days_left,
                "overdue": self.overdue, "reference": self.reference, "subject": self.subject, "party": self.party,
                "responsible": self.responsible,
                "amount": f"{self.amount.amount}" if self.amount is not None else None,
                "currency": self.amount.currency if self.amount is not None else None}


def pledge_payment_days(session) -> int:
    row = session.get(Setting, "pledge_payment_days")
    try:
        return max(0, int(row.value)) if row else DEFAULT_PLEDGE_PAYMENT_DAYS
    except ValueError:
        return DEFAULT_PLEDGE_PAYMENT_DAYS


def _reports(s, at: date, until: date) -> list[DueItem]:
    rows = s.execute(select(GranteeReport, Grant.reference, Grantee.name, Grantee.contact_person)
                     .join(Grant, Grant.id == GranteeReport.grant_id).join(Grantee, Grantee.id == Grant.grantee_id)
                     .where(GranteeReport.received_on.is_(None), Grant.status.in_(OPEN_GRANT),
                            GranteeReport.due_date <= until)).all()
    return [DueItem(REPORT, str(r.id), r.due_date, (r.due_date - at).days, ref, report_label(r.kind, r.type), name,
                    contact, None, grant_id=str(r.grant_id)) for r, ref, name, contact in rows]


def _instalments(s, at: date, until: date) -> list[DueItem]:
    rows = s.execute(select(Instalment, Grant.reference, Grantee.name)
                     .join(Grant, Grant.id == Instalment.grant_id).join(Grantee, Grantee.id == Grant.grantee_id)
                     .where(Instalment.status != InstalmentStatus.PAID, Grant.status.in_(OPEN_GRANT),
                            Instalment.planned_date <= until)).all()
    return [DueItem(INSTALMENT, str(i.id), i.planned_date, (i.planned_date - at).days, ref,
                    _("Instalment {seq}").format(seq=i.seq), name, i.prepared_by,
                    Money.from_minor(i.amount_usd_cents, USD), grant_id=str(i.grant_id)) for i, ref, name in rows]


def _actions(s, at: date, until: date) -> list[DueItem]:
    rows = s.execute(select(FollowUpAction, MonitoringVisit.grant_id, Grant.reference, Grantee.name)
                     .join(MonitoringVisit, MonitoringVisit.id == FollowUpAction.visit_id)
                     .join(Grant, Grant.id == MonitoringVisit.grant_id).join(Grantee, Grantee.id == Grant.grantee_id)
                     .where(FollowUpAction.status == ActionStatus.OPEN, FollowUpAction.due_date <= until)).all()
    return [DueItem(ACTION, str(a.id), a.due_date, (a.due_date - at).days, ref, a.description, name, a.responsible,
                    None, grant_id=str(gid)) for a, gid, ref, name in rows]


def remaining_by_pledge(s, at: date, pledged_on_or_before: date) -> dict:
    """{pledge id: minor units left to pay at ``at``} for pledges made on or before the date."""
    paid = (select(Allocation.pledge_id, func.sum(Allocation.amount_minor).label("paid"))
            .join(Contribution, Contribution.id == Allocation.payment_id).where(Contribution.date <= at)
            .group_by(Allocation.pledge_id).subquery())
    left = Contribution.amount_minor - func.coalesce(paid.c.paid, 0)
    rows = s.execute(select(Contribution.id, left).outerjoin(paid, paid.c.pledge_id == Contribution.id)
                     .where(Contribution.kind == ContributionKind.PLEDGE, Contribution.reversed.is_(False),
                            Contribution.reverses_id.is_(None), Contribution.date <= min(at, pledged_on_or_before),
                            left > 0)).all()
    return {pid: int(minor) for pid, minor in rows}


def _pledges(s, at: date, until: date) -> list[DueItem]:
    days = pledge_payment_days(s)
    latest_pledge = until - timedelta(days=days)
    remaining = remaining_by_pledge(s, at, pledged_on_or_before=latest_pledge)
    if not remaining:
        return []
    rows = s.execute(select(Contribution, Donor.name).join(Donor, Donor.id == Contribution.donor_id)
                     .where(Contribution.id.in_(list(remaining)))).all()
    items = []
    for pledge, donor in rows:
        due = pledge.date + timedelta(days=days)
        items.append(DueItem(PLEDGE, str(pledge.id), due, (due - at).days,
                             pledge.reference or pledge.receipt_number or "", _("Payment of the pledge of {date}")
                             .format(date=format_date(pledge.date)), donor, None,
                             Money.from_minor(remaining[pledge.id], pledge.currency), donor_id=str(pledge.donor_id)))
    return items


class DueService(Service):
    def items(self, at: date | None = None, days: int = DEFAULT_DAYS, mine: bool = False) -> list[DueItem]:
        """Everything overdue at ``at`` or due within ``days`` after it, earliest first."""
        at = at or date.today()
        until = at + timedelta(days=max(0, days))
        with self.db.reading() as s:
            items = _reports(s, at, until) + _instalments(s, at, until) + _actions(s, at, until) + _pledges(s, at, until)
        if mine:
            items = [i for i in items if self._is_mine(i)]
        return sorted(items, key=lambda i: (i.due_date, i.kind, i.reference, i.record_id))

    def _is_mine(self, item: DueItem) -> bool:
        me = self.actor.name.casefold()
        if item.kind == ACTION and item.responsible:
            return item.responsible.strip().casefold() == me
        return item.kind in ROLE_KINDS.get(self.actor.role, frozenset())


def calendar_bytes(items: list[DueItem], title: str | None = None) -> bytes:
    """An iCalendar file with one all-day event per deadline (Outlook, Thunderbird, phones).
    UIDs are stable per record, so importing a newer file updates the events instead of doubling them."""
    from icalendar import Calendar, Event

    from trustfund_app import __version__

    cal = Calendar()
    cal.add("prodid", f"-//TrustFund Desk//{__version__}//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title or _("TrustFund Desk deadlines"))
    for item in items:
        event = Event()
        event.add("uid", f"{item.kind}-{item.record_id}@trustfund-desk")
        event.add("dtstart", item.due_date)
        event.add("dtend", item.due_date + timedelta(days=1))
        event.add("summary", f"{item.kind_label}: {item.reference} — {item.subject}")
        lines = [item.party]
        if item.amount is not None:
            from trustfund_app.core.i18n import format_money

            lines.append(format_money(item.amount))
        if item.responsible:
            lines.append(_("Responsible: {name}").format(name=item.responsible))
        event.add("description", "\n".join(lines))
        event.add("categories", [item.kind_label])
        cal.add_component(event)
    return cal.to_ical()
