"""Pledges and payments. Each records its original amount and currency, the UNORE rate used and its
effective date, and the USD equivalent rounded once. Payments are allocated to the donor's open
pledges (oldest first, or chosen). Corrections are reversing entries; history is never rewritten."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from trustfund_app.core.audit import REASON_KEY
from trustfund_app.core.errors import NotFoundError, ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import Allocation, Contribution, ContributionKind, Donor, ReceiptCounter
from trustfund_app.core.money import TOTALS_CEILING, Money, check_plausible
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.rates import find_rate
from trustfund_app.core.services.settings import read_setting


@dataclass(frozen=True)
class Quote:
    """What the entry form shows as the user types: the rate found and the USD equivalent."""

    amount: Money
    rate: Decimal
    rate_date: date
    usd: Money


@dataclass(frozen=True)
class OpenPledge:
    id: str
    date: date
    reference: str | None
    currency: str
    pledged: Money
    paid: Money

    @property
    def outstanding(self) -> Money:
        return self.pledged - self.paid


def quote(session, amount, currency: str, on: date) -> Quote:
    money = Money(amount, currency)
    if not money.is_positive():
        raise ValidationError(_("the amount must be greater than zero"), "amount")
    found = find_rate(session, money.currency, on)
    usd = money.to_usd(found.rate)
    check_plausible(money, usd)
    return Quote(money, found.rate, found.effective_date, usd)


def check_totals_fit(session) -> None:
    """Refuse (before commit) what would make a total of the contributions leave the 64-bit range
    SQLite sums in: every report adds them up, and an overflow would stop them all. PostgreSQL sums
    bigints as numeric and cannot overflow. ``total()`` is SQLite's float sum, which never
    overflows; the ceiling leaves it half the range as margin."""
    if session.get_bind().dialect.name != "sqlite":
        return
    usd = session.scalar(select(func.total(func.abs(Contribution.usd_cents)))) or 0
    minor = session.scalar(select(func.max(select(func.total(func.abs(Contribution.amount_minor)).label("t"))
                                           .group_by(Contribution.currency).subquery().c.t))) or 0
    if max(usd, minor) > TOTALS_CEILING:
        raise ValidationError(_("the fund's totals would become too large to add up exactly; check the amounts "
                                "(no fund receives this much)"), "amount")


def next_receipt_number(session, year: int) -> str:
    counter = session.scalar(select(ReceiptCounter).where(ReceiptCounter.year == year))
    if counter is None:
        counter = ReceiptCounter(year=year, last=0)
        session.add(counter)
    counter.last += 1
    session.flush()
    return receipt_number_text(read_setting(session, 'receipt_prefix'), year, counter.last)


def plan_allocation(payment: Money, payment_rate: Decimal, pledges: list[OpenPledge],
                    rate_of) -> tuple[list[tuple[OpenPledge, Money]], Money]:
    """How a payment is spread over ``pledges`` in that order: [(pledge, amount in the pledge's
    currency)] and what is left of the payment. A pledge in another currency is paid through USD
    at the payment's rate and ``rate_of(pledge currency)`` on the payment date. Shared by
    ``record_payment`` and the bulk import."""
    remaining = payment
    out: list[tuple[OpenPledge, Money]] = []
    for pledge in pledges:
        if not remaining.is_positive():
            break
        if pledge.currency != payment.currency:
            rate = rate_of(pledge.currency)
            in_pledge_cur = Money.rounded(remaining.to_usd(payment_rate).amount * rate, pledge.currency)
        else:
            in_pledge_cur = remaining
        take = in_pledge_cur if in_pledge_cur <= pledge.outstanding else pledge.outstanding
        out.append((pledge, take))
        if pledge.currency == payment.currency:
            remaining = remaining - take
        elif take == in_pledge_cur:
            remaining = Money.zero(payment.currency)
        else:
            used = Money.rounded(take.amount / rate * payment_rate, payment.currency)
            remaining = remaining - used if used <= remaining else Money.zero(payment.currency)
    return out, remaining


def receipt_number_text(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def open_pledges(session, donor_id) -> list[OpenPledge]:
    """The donor's pledges with something left to pay, oldest first."""
    paid = (
        select(Allocation.pledge_id, func.sum(Allocation.amount_minor).label("paid"))
        .group_by(Allocation.pledge_id).subquery()
    )
    rows = session.execute(
        select(Contribution, func.coalesce(paid.c.paid, 0))
        .outerjoin(paid, paid.c.pledge_id == Contribution.id)
        .where(Contribution.donor_id == uuid.UUID(str(donor_id)), Contribution.kind == ContributionKind.PLEDGE,
               Contribution.reversed.is_(False), Contribution.reverses_id.is_(None))
        .order_by(Contribution.date, Contribution.created_at)
    ).all()
    result = []
    for pledge, paid_minor in rows:
        item = OpenPledge(str(pledge.id), pledge.date, pledge.reference, pledge.currency,
                          Money.from_minor(pledge.amount_minor, pledge.currency),
                          Money.from_minor(paid_minor, pledge.currency))
        if item.outstanding.is_positive():
            result.append(item)
    return result


class ContributionService(Service):
    def quote(self, amount, currency: str, on: date) -> Quote:
        with self.db.reading() as s:
            return quote(s, amount, currency, on)

    def record_pledge(self, donor_id: str, on: date, amount, currency: str, reference: str | None = None,
                      earmark: str | None = None, note: str | None = None) -> str:
        with self._write("contributions") as s:
            pid = self._insert(s, ContributionKind.PLEDGE, donor_id, on, amount, currency, reference, earmark, note).id
        self._changed("contribution", "insert", pid)
        return str(pid)

    def record_payment(self, donor_id: str, on: date, amount, currency: str, reference: str | None = None,
                       earmark: str | None = None, note: str | None = None,
                       pledge_ids: list[str] | None = None, allocate: bool = True) -> str:
        """Record a payment and allocate it: to ``pledge_ids`` in that order, else to the donor's
        open pledges oldest first. A payment larger than what remains on chosen pledges is refused;
        with automatic allocation, what exceeds every open pledge stays unallocated (a gift)."""
        with self._write("contributions") as s:
            payment = self._insert(s, ContributionKind.PAYMENT, donor_id, on, amount, currency, reference, earmark, note)
            if allocate or pledge_ids:
                self._allocate(s, payment, pledge_ids)
            pid = payment.id
        self._changed("contribution", "insert", pid)
        return str(pid)

    def reverse(self, contribution_id: str, reason: str, on: date | None = None) -> str:
        """A reversing entry cancels a contribution (and its allocations) with the same rate."""
        if not (reason or "").strip():
            raise ValidationError(_("a reason is required to reverse an entry"), "reason")
        with self._write("contributions") as s:
            original = s.get(Contribution, uuid.UUID(str(contribution_id)))
            if original is None:
                raise NotFoundError(_("no contribution with id {id}").format(id=contribution_id))
            if original.reversed or original.reverses_id:
                raise ValidationError(_("this entry is already reversed or is itself a reversal"))
            if original.kind == ContributionKind.PLEDGE and s.scalar(
                    select(func.count()).select_from(Allocation).where(Allocation.pledge_id == original.id)):
                raise ValidationError(_("reverse the payments made against this pledge first"))
            reversal = Contribution(
                donor_id=original.donor_id, kind=original.kind, date=on or original.date, currency=original.currency,
                amount_minor=-original.amount_minor, rate=original.rate, rate_date=original.rate_date,
                usd_cents=-original.usd_cents, reverses_id=original.id, reversed=True,
                note=_("Reversal of {ref}: {reason}").format(
                    ref=original.receipt_number or original.reference or original.id, reason=reason.strip()),
            )
            s.add(reversal)
            original.reversed = True
            s.info[REASON_KEY] = reason.strip()
            for alloc in s.scalars(select(Allocation).where(Allocation.payment_id == original.id)):
                s.delete(alloc)
            rid = reversal.id
        self._changed("contribution", "insert", rid, contribution_id)
        return str(rid)

    def correct_note(self, contribution_id: str, reference: str | None, earmark: str | None, note: str | None,
                     reason: str) -> None:
        """Edit the descriptive fields (never amounts) with a reason kept in the note and audit."""
        if not (reason or "").strip():
            raise ValidationError(_("a reason is required to correct an entry"), "reason")
        with self._write("contributions") as s:
            row = s.get(Contribution, uuid.UUID(str(contribution_id)))
            if row is None:
                raise NotFoundError(_("no contribution with id {id}").format(id=contribution_id))
            row.reference, row.earmark, row.note = reference or None, earmark or None, note or None
            # the reason goes with the change in the audit trail, once (not also into the note)
            s.info[REASON_KEY] = reason.strip()
        self._changed("contribution", "update", contribution_id)

    def open_pledges(self, donor_id: str) -> list[OpenPledge]:
        with self.db.reading() as s:
            return open_pledges(s, donor_id)

    # -- internals -------------------------------------------------------------------------
    def _insert(self, s, kind, donor_id, on, amount, currency, reference, earmark, note) -> Contribution:
        if not isinstance(on, date):
            raise ValidationError(_("a date is required"), "date")
        donor = s.get(Donor, uuid.UUID(str(donor_id))) if donor_id else None
        if donor is None:
            raise ValidationError(_("choose a donor"), "donor")
        q = quote(s, amount, currency, on)
        reference = (reference or "").strip() or None
        if reference and s.scalar(select(Contribution.id).where(Contribution.reference == reference)):
            raise ValidationError(_('the reference "{ref}" is already used').format(ref=reference), "reference")
        row = Contribution(
            donor_id=donor.id, kind=kind, date=on, currency=q.amount.currency, amount_minor=q.amount.minor,
            rate=q.rate, rate_date=q.rate_date, usd_cents=q.usd.minor, reference=reference,
            receipt_number=next_receipt_number(s, on.year), earmark=(earmark or "").strip() or None,
            note=(note or "").strip() or None,
        )
        s.add(row)
        s.flush()
        check_totals_fit(s)
        return row

    def _allocate(self, s, payment: Contribution, pledge_ids: list[str] | None) -> None:
        pledges = {p.id: p for p in open_pledges(s, payment.donor_id)}
        if pledge_ids:
            missing = [p for p in pledge_ids if str(p) not in pledges]
            if missing:
                raise ValidationError(_("the chosen pledge is not an open pledge of this donor"), "pledge")
            chosen = [pledges[str(p)] for p in pledge_ids]
        else:
            chosen = list(pledges.values())
        allocations, remaining = plan_allocation(
            Money.from_minor(payment.amount_minor, payment.currency), payment.rate, chosen,
            lambda currency: find_rate(s, currency, payment.date).rate)
        for pledge, take in allocations:
            s.add(Allocation(payment_id=payment.id, pledge_id=uuid.UUID(pledge.id), amount_minor=take.minor))
        if pledge_ids and remaining.is_positive():
            raise ValidationError(
                _("the payment is larger than what remains on the chosen pledge ({left} left)").format(
                    left=str(sum((p.outstanding.amount for p in chosen), Decimal(0)))),
                "amount",
            )
