"""Instalment schedules and four-eyes disbursements.

A schedule always sums exactly to the grant's amount (a cent too many or too few is refused);
``split_cents`` spreads an amount over instalments to the cent. Paying takes two people: one user
prepares the instalment (permission ``disbursements.prepare``), ANOTHER user with
``disbursements.approve`` (finance or administrator) approves and pays it. The same user can never
do both, whatever their role. An instalment held until a report is approved cannot be paid before
that report is approved. On payment the PSC rate in force (setting ``psc_rate_percent``) is stored
with the PSC charged on that payment, rounded half-up to the cent, so later changes of the setting
never rewrite history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from trustfund_app.core.errors import PermissionDenied, ValidationError
from trustfund_app.core.i18n import _, format_date
from trustfund_app.core.models import (
    INSTALMENT_STATUS_LABELS, Grant, GranteeReport, GrantStatus, Instalment, InstalmentStatus, User, utcnow,
)
from trustfund_app.core.money import USD, Money, percent_of, to_decimal
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import money_text, as_uuid, fetch, to_cents, usd
from trustfund_app.core.services.grants.reports import report_label
from trustfund_app.core.services.settings import read_setting

STATUS_LABELS = INSTALMENT_STATUS_LABELS
PAYABLE_GRANT = (GrantStatus.APPROVED, GrantStatus.ACTIVE)


@dataclass(frozen=True)
class PlannedInstalment:
    """One line of a schedule as the user enters it."""

    planned_date: date
    amount: object  # Money, Decimal or decimal text (USD)
    held_until_report_id: str | None = None


@dataclass(frozen=True)
class InstalmentRow:
    id: str
    grant_id: str
    seq: int
    planned_date: date
    amount: Money
    status: str
    held_until_report_id: str | None
    held_until: str | None  # the report's label
    held_report_approved: bool
    prepared_by: str | None
    approved_by: str | None
    paid_on: date | None
    psc_rate: Decimal | None
    psc: Money | None

    @property
    def is_held(self) -> bool:
        """Waiting for its report: cannot be paid yet."""
        return self.held_until_report_id is not None and not self.held_report_approved


def split_cents(total_cents: int, parts) -> list[int]:
    """Split ``total_cents`` into ``parts`` equal shares (an int) or shares proportional to the
    given weights, exactly: the cents left by rounding down go to the largest remainders, earliest
    first. ``split_cents(100000, 3)`` → [33334, 33333, 33333]."""
    weights = [Decimal(1)] * parts if isinstance(parts, int) else [to_decimal(w) for w in parts]
    if not weights or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValidationError(_("give at least one instalment with a positive share"), "parts")
    total_weight = sum(weights)
    exact = [Decimal(total_cents) * w / total_weight for w in weights]
    shares = [int(e) for e in exact]  # round down (all positive)
    left = total_cents - sum(shares)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares


def _row(s, inst: Instalment) -> InstalmentRow:
    report = s.get(GranteeReport, inst.held_until_report_id) if inst.held_until_report_id else None
    return InstalmentRow(
        str(inst.id), str(inst.grant_id), inst.seq, inst.planned_date, usd(inst.amount_usd_cents), inst.status,
        str(report.id) if report else None, report_label(report.kind, report.type) if report else None,
        bool(report and report.approved_on), inst.prepared_by, inst.approved_by, inst.paid_on, inst.psc_rate,
        usd(inst.psc_cents) if inst.psc_cents is not None else None)


def grant_instalments(session, grant_id) -> list[InstalmentRow]:
    rows = session.scalars(select(Instalment).where(Instalment.grant_id == as_uuid(grant_id)).order_by(Instalment.seq))
    return [_row(session, i) for i in rows]


class InstalmentService(Service):
    def set_schedule(self, grant_id: str, lines: list[PlannedInstalment]) -> list[str]:
        """Replace the grant's schedule. Allowed while nothing is prepared or paid; the amounts
        must add up exactly to the grant's amount."""
        if not lines:
            raise ValidationError(_("a schedule needs at least one instalment"), "schedule")
        cents = [to_cents(line.amount, "amount") for line in lines]
        with self._write("grants") as s:
            grant = fetch(s, Grant, grant_id, _("grant"))
            if grant.status not in PAYABLE_GRANT:
                raise ValidationError(_("the schedule of a closed or cancelled grant cannot change"), "schedule")
            if sum(cents) != grant.amount_usd_cents:
                raise ValidationError(_("the instalments add up to {total}, not to the grant's {amount}").format(
                    total=money_text(sum(cents)), amount=money_text(grant.amount_usd_cents)), "schedule")
            existing = list(s.scalars(select(Instalment).where(Instalment.grant_id == grant.id)))
            if any(i.status != InstalmentStatus.PLANNED for i in existing):
                raise ValidationError(_("the schedule cannot change once an instalment is prepared or paid"), "schedule")
            reports = {r.id for r in s.scalars(select(GranteeReport).where(GranteeReport.grant_id == grant.id))}
            for inst in existing:
                s.delete(inst)
            s.flush()  # the unit of work inserts before it deletes: free the (grant, seq) pairs first
            ids = []
            for seq, (line, amount) in enumerate(zip(lines, cents), start=1):
                held = as_uuid(line.held_until_report_id) if line.held_until_report_id else None
                if held is not None and held not in reports:
                    raise ValidationError(_("instalment {seq} is held until a report of another grant").format(seq=seq), "held_until")
                if line.planned_date < grant.approved_on:
                    raise ValidationError(_("instalment {seq} is planned before the grant was approved").format(seq=seq), "planned_date")
                inst = Instalment(grant_id=grant.id, seq=seq, planned_date=line.planned_date,
                                  amount_usd_cents=amount, held_until_report_id=held)
                s.add(inst)
                s.flush()
                ids.append(str(inst.id))
        self._changed("grant", "update", grant_id)
        return ids

    def prepare(self, instalment_id: str) -> None:
        """First pair of eyes: the payment is checked and put up for approval."""
        with self._write("disbursements.prepare") as s:
            inst = fetch(s, Instalment, instalment_id, _("instalment"))
            self._check_grant_open(s, inst)
            if inst.status != InstalmentStatus.PLANNED:
                raise ValidationError(_("instalment {seq} is not waiting to be prepared").format(seq=inst.seq), "status")
            inst.status = InstalmentStatus.PREPARED
            inst.prepared_by = self.actor.name
            inst.prepared_at = utcnow()
            gid = str(inst.grant_id)
        self._changed("grant", "update", gid)

    def withdraw(self, instalment_id: str) -> None:
        """Take a prepared instalment back to planned (e.g. the bank details were wrong)."""
        with self._write("disbursements.prepare") as s:
            inst = fetch(s, Instalment, instalment_id, _("instalment"))
            if inst.status != InstalmentStatus.PREPARED:
                raise ValidationError(_("instalment {seq} is not prepared").format(seq=inst.seq), "status")
            inst.status, inst.prepared_by, inst.prepared_at = InstalmentStatus.PLANNED, None, None
            gid = str(inst.grant_id)
        self._changed("grant", "update", gid)

    def _check_independent(self, s, preparer: str, seq: int) -> None:
        """Four eyes means two people: an account the preparer created, re-enabled, gave its role
        or set the password of may be the preparer's second login, and so may the preparer's own
        account when the approver set its password (and it was not changed since)."""
        approver = s.scalar(select(User).where(User.name == self.actor.name))
        prepared_by = s.scalar(select(User).where(User.name == preparer))
        if (approver is not None and preparer in approver.vouched_by()) or (
                prepared_by is not None and prepared_by.password_set_by == self.actor.name):
            raise PermissionDenied(_("{user} may not approve instalment {seq} prepared by {preparer}: one of them created, "
                                     "re-enabled, gave the role of or set the password of the other's account "
                                     "(four eyes)").format(user=self.actor.name, seq=seq, preparer=preparer))

    def approve(self, instalment_id: str, paid_on: date) -> None:
        """Second pair of eyes: approve and pay. The instalment becomes a disbursement with its PSC."""
        with self._write("disbursements.approve") as s:
            inst = fetch(s, Instalment, instalment_id, _("instalment"))
            grant = self._check_grant_open(s, inst)
            if inst.status != InstalmentStatus.PREPARED:
                raise ValidationError(_("instalment {seq} must be prepared by one user before another approves it")
                                      .format(seq=inst.seq), "status")
            if inst.prepared_by == self.actor.name:
                raise PermissionDenied(_("{user} prepared instalment {seq}; another user must approve it (four eyes)")
                                       .format(user=self.actor.name, seq=inst.seq))
            self._check_independent(s, inst.prepared_by, inst.seq)
            if inst.held_until_report_id:
                report = s.get(GranteeReport, inst.held_until_report_id)
                if not report.approved_on or report.approved_on > paid_on:
                    raise ValidationError(_("instalment {seq} is held until the {report} is approved").format(
                        seq=inst.seq, report=report_label(report.kind, report.type).lower()), "held_until")
            if paid_on < grant.approved_on:
                raise ValidationError(_("an instalment cannot be paid before its grant was approved ({date})")
                                      .format(date=format_date(grant.approved_on)), "paid_on")
            rate = to_decimal(read_setting(s, "psc_rate_percent"))
            inst.status = InstalmentStatus.PAID
            inst.approved_by = self.actor.name
            inst.paid_on = paid_on
            inst.psc_rate = rate
            inst.psc_cents = percent_of(Money.from_minor(inst.amount_usd_cents, USD), rate).minor
            if grant.status == GrantStatus.APPROVED:
                grant.status = GrantStatus.ACTIVE
            gid = str(inst.grant_id)
        self._changed("grant", "update", gid)

    def for_grant(self, grant_id: str) -> list[InstalmentRow]:
        with self.db.reading() as s:
            return grant_instalments(s, fetch(s, Grant, grant_id, _("grant")).id)

    def awaiting_approval(self) -> list[InstalmentRow]:
        """Prepared instalments: the finance officer's to-do list."""
        with self.db.reading() as s:
            rows = s.scalars(select(Instalment).where(Instalment.status == InstalmentStatus.PREPARED)
                             .order_by(Instalment.planned_date))
            return [_row(s, i) for i in rows]

    @staticmethod
    def _check_grant_open(s, inst: Instalment) -> Grant:
        grant = s.get(Grant, inst.grant_id)
        if grant.status not in PAYABLE_GRANT:
            raise ValidationError(_("grant {reference} is closed or cancelled: nothing more is paid on it")
                                  .format(reference=grant.reference), "status")
        return grant
