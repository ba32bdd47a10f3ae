"""What is left to pay on a pledge at a date: the one ledger rule (PRODUCT.md, money rules).

A pledge counts on ``at`` when it is dated on or before ``at`` and is neither reversed nor a
reversal. What is left on it = the pledged amount − the deductions dated on or before ``at``; today
the only deduction is what payments dated on or before ``at`` allocated to it. Only pledges with
something left are returned. Valued in USD, each pledge's remainder is converted at the rate in
force on ``at`` (``rate_in_force``) and rounded half-up to the cent, and every total is a sum of
those rounded amounts — so a donor's statement lines, the donor detail, the outstanding list and
the fund position agree to the cent (``tests/core/test_ledger_agreement.py``).

Every caller goes through here: ``services/contributions.open_pledges`` (what a new payment may be
allocated to: ``at=None``, everything recorded), ``services/position.outstanding_by_donor`` (and
so the outstanding list and the dashboard), ``services/outstanding.open_pledges_at`` (donor
detail) and ``reports/data.pledge_balances`` (statements).

Deductions (payments allocated; issue 18's approved write-offs and cancellations of the unpaid part)
are defined at ONE place: ``_deduction_kinds`` — an entry there and a field on ``PledgeLeft``;
``left``, everything valued from it and the contributions list's pledge status
(``deducted_per_pledge``, used by ``services/contribution_queries``) then follow.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from sqlalchemy import String, case, func, select, type_coerce

from trustfund_app.core.models import Allocation, Contribution, ContributionKind, PledgeWriteOff, WriteOffStatus
from trustfund_app.core.money import USD, Money, minor_digits
from trustfund_app.core.rate_in_force import find_rate


@dataclass(frozen=True, slots=True)
class PledgeLeft:
    """One pledge with something left to pay."""

    id: str
    donor_id: str
    date: date
    reference: str | None
    receipt_number: str | None
    pledged: Money
    paid: Money  # allocated by payments (dated on or before the as-of date, when there is one)
    written_off: Money  # approved write-offs and cancellations (effective on or before the as-of date)

    @property
    def currency(self) -> str:
        return self.pledged.currency

    @property
    def left(self) -> Money:
        return self.pledged - self.paid - self.written_off


@dataclass(frozen=True, slots=True)
class DonorCurrencyLeft:
    """What one donor has left to pay in one pledge currency on a date."""

    donor_id: str
    currency: str
    left: Money  # in the pledge currency
    usd: Money  # the sum of each pledge's remainder in USD, each rounded to the cent
    oldest: date  # the oldest pledge with something left (its age is the balance's age)


_CENT = Decimal("0.01")


def usd_cents(left_minor: int, currency: str, rate: Decimal) -> int:
    """A remainder of ``left_minor`` minor units in USD cents at ``rate`` (units per USD), rounded
    half-up: the one conversion of what is left (the arithmetic of ``Money.to_usd``, on integers
    so that the fund position at a million contributions need not build a Money per pledge)."""
    if currency == USD:
        return left_minor
    amount = Decimal(left_minor).scaleb(-minor_digits(currency))
    return int((amount / rate).quantize(_CENT, rounding=ROUND_HALF_UP).scaleb(2))


@dataclass(frozen=True)
class _Deduction:
    """One kind of deduction: its rows' pledge id and minor amount, and ``rows(query)`` narrowing a
    query over them to the rows that count (dated on or before the as-of date, approved, ...)."""

    pledge_id: object
    minor: object
    rows: Callable


def _deduction_kinds(at: date | None) -> dict[str, _Deduction]:
    """THE place to add a deduction (one more entry here, and its field on ``PledgeLeft``)."""
    payment = Contribution.__table__.alias("payment")

    def paid(query):
        if at is None:
            return query
        return query.join(payment, payment.c.id == Allocation.payment_id).where(payment.c.date <= at)

    def written_off(query):
        # issue 18: the unpaid part written off or cancelled, once a second finance user approved
        # it, from its effective date
        query = query.where(PledgeWriteOff.status == WriteOffStatus.APPROVED)
        return query if at is None else query.where(PledgeWriteOff.effective_date <= at)

    return {"paid": _Deduction(Allocation.pledge_id, Allocation.amount_minor, paid),
            "written_off": _Deduction(PledgeWriteOff.pledge_id, PledgeWriteOff.amount_minor, written_off)}


def _deductions(at: date | None) -> dict:
    """What reduces what is left on a pledge, each a subquery (pledge_id, minor) in the pledge's
    currency, dated on or before ``at`` when there is one."""
    return {name: d.rows(select(d.pledge_id.label("pledge_id"), func.sum(d.minor).label("minor")))
            .group_by(d.pledge_id).subquery(name) for name, d in _deduction_kinds(at).items()}


def deducted_per_pledge() -> dict:
    """Each deduction recorded so far (no as-of date) of the pledge in the enclosing query's
    ``contribution`` row, as a correlated scalar subquery (computed only for the rows a page of a
    list shows): the contributions list's status follows the same rule as what is left."""
    return {name: d.rows(select(func.coalesce(func.sum(d.minor), 0)).where(d.pledge_id == Contribution.id))
            .correlate(Contribution).scalar_subquery() for name, d in _deduction_kinds(None).items()}


def pledge_settlement(paid: str, written_off: str, outstanding: str, partly_paid: str):
    """How the pledge in the enclosing query's ``contribution`` row stands, from everything recorded
    (no as-of date), by the deductions above: nothing left after payments → ``paid``; nothing left
    after payments and write-offs → ``written_off``; else ``outstanding`` (nothing paid) or
    ``partly_paid``. One correlated subquery, computed only for the rows a list reads: the
    payments are summed once, the write-offs looked up only for a pledge not paid in full."""
    kinds = _deduction_kinds(None)
    pay, off = kinds["paid"], kinds["written_off"]
    payments = func.coalesce(func.sum(pay.minor), 0)
    written = (off.rows(select(func.coalesce(func.sum(off.minor), 0)).where(off.pledge_id == Contribution.id))
               .correlate(Contribution).scalar_subquery())
    status = case(
        (payments >= Contribution.amount_minor, paid),
        (payments + written >= Contribution.amount_minor, written_off),
        (payments <= 0, outstanding),
        else_=partly_paid,
    )
    return pay.rows(select(status).where(pay.pledge_id == Contribution.id)).correlate(Contribution).scalar_subquery()


def _open_pledges(at: date | None, donor_id, *columns):
    """SELECT ``columns`` + each deduction (named as in ``_deductions``) + what is left, over the
    pledges with something left on ``at``."""
    c = Contribution
    deductions = _deductions(at)
    amounts = {name: func.coalesce(sub.c.minor, 0) for name, sub in deductions.items()}
    left = c.amount_minor - sum(amounts.values())
    query = select(*columns, *(a.label(n) for n, a in amounts.items()), left.label("left"))
    for sub in deductions.values():
        query = query.outerjoin(sub, sub.c.pledge_id == c.id)
    query = query.where(c.kind == ContributionKind.PLEDGE, c.reversed.is_(False), c.reverses_id.is_(None), left > 0)
    if at is not None:
        query = query.where(c.date <= at)
    if isinstance(donor_id, (list, tuple, set, frozenset)):  # several donors at once (a batch of statements)
        query = query.where(c.donor_id.in_([uuid.UUID(str(d)) for d in donor_id]))
    elif donor_id is not None:
        query = query.where(c.donor_id == uuid.UUID(str(donor_id)))
    return query


def pledges_left(session, at: date | None, donor_id=None) -> list[PledgeLeft]:
    """Pledges with something left on ``at`` (``None``: counting everything recorded), oldest
    first (by date, then as recorded), optionally of one donor (or of a list of donors)."""
    c = Contribution
    query = _open_pledges(at, donor_id, c.id, c.donor_id, c.date, c.reference, c.receipt_number, c.currency,
                          c.amount_minor).order_by(c.date, c.created_at, c.receipt_number)
    return [
        PledgeLeft(str(row.id), str(row.donor_id), row.date, row.reference, row.receipt_number,
                   Money.from_minor(row.amount_minor, row.currency), Money.from_minor(int(row.paid), row.currency),
                   Money.from_minor(int(row.written_off), row.currency))
        for row in session.execute(query)
    ]


def left_by_donor_and_currency(session, at: date, donor_id=None) -> list[DonorCurrencyLeft]:
    """Per donor and pledge currency: what is left on ``at``, in the currency and in USD (the sum
    of the pledges' rounded USD remainders). Unordered."""
    c = Contribution
    rates = RatesAt(session, at)
    totals: dict[tuple, list] = {}
    # the donor id as the driver gives it (a hex string on SQLite): turning each of a million rows'
    # into a UUID object took a third of the fund position; only each group's key is converted
    donor = type_coerce(c.donor_id, String)
    rows = session.execute(_open_pledges(at, donor_id, donor, c.currency, c.date))
    for did, currency, day, *_deducted, left in rows:
        cents = usd_cents(int(left), currency, rates.rate(currency))
        total = totals.get((did, currency))
        if total is None:
            totals[(did, currency)] = [int(left), cents, day]
        else:
            total[0] += int(left)
            total[1] += cents
            if day < total[2]:
                total[2] = day
    return [DonorCurrencyLeft(str(uuid.UUID(str(did))), currency, Money.from_minor(left, currency),
                              Money.from_minor(cents, USD), oldest)
            for (did, currency), (left, cents, oldest) in totals.items()]


class RatesAt:
    """The rate in force on one date, per currency, looked up once each."""

    def __init__(self, session, at: date):
        self.session, self.at = session, at
        self._rates: dict[str, Decimal] = {}

    def rate(self, currency: str) -> Decimal:
        if currency == USD:
            return Decimal(1)
        if currency not in self._rates:
            self._rates[currency] = find_rate(self.session, currency, self.at).rate
        return self._rates[currency]

    def usd(self, left: Money) -> Money:
        """``left`` in USD at the rate in force (``usd_cents``)."""
        return Money.from_minor(usd_cents(left.minor, left.currency, self.rate(left.currency)), USD)
