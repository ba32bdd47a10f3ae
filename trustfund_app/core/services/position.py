"""The fund position at any date (PRODUCT.md, money rules).

contributions received − disbursements − PSC = cash balance; balance − commitments = available.
Received and disbursed are sums of USD equivalents stored on each transaction; PSC is the sum of
the PSC stored on each disbursement and refund; outstanding pledges are what ``core/ledger`` says
is left on each pledge, valued at the rate in force on the as-of date, grouped per donor and currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select

from trustfund_app.core.ledger import left_by_donor_and_currency
from trustfund_app.core.models import (
    Contribution, ContributionKind, Donor, Grant, GrantStatus, Instalment, InstalmentStatus, Refund,
)
from trustfund_app.core.money import USD, Money
from trustfund_app.core.services.base import Service


@dataclass(frozen=True)
class FundPosition:
    as_of: date
    received: Money
    pledged_outstanding: Money
    disbursed: Money
    psc: Money
    commitments: Money

    @property
    def balance(self) -> Money:
        return self.received - self.disbursed - self.psc

    @property
    def available(self) -> Money:
        return self.balance - self.commitments

    def as_json(self) -> dict:
        out = {"as_of": self.as_of.isoformat(), "currency": USD}
        for key in ("received", "pledged_outstanding", "disbursed", "psc", "balance", "commitments", "available"):
            out[key] = f"{getattr(self, key).amount:.2f}"
        return out


@dataclass(frozen=True)
class OutstandingPledges:
    donor_id: str
    donor_name: str
    currency: str
    outstanding: Money  # in the pledge currency
    usd: Money  # valued at the as-of rate
    oldest: date  # date of the oldest pledge with something outstanding (for the age)


def _usd(cents) -> Money:
    return Money.from_minor(int(cents or 0), USD)


def outstanding_by_donor(session, at: date, donor_id: str | None = None) -> list[OutstandingPledges]:
    """Per donor and pledge currency, by donor name: what is left to pay on ``at`` (``core/ledger``)."""
    groups = left_by_donor_and_currency(session, at, donor_id)
    names = {str(did): name for did, name in session.execute(select(Donor.id, Donor.name))}  # a few hundred
    rows = [OutstandingPledges(g.donor_id, names[g.donor_id], g.currency, g.left, g.usd, g.oldest) for g in groups]
    return sorted(rows, key=lambda r: (r.donor_name, r.currency))


def fund_position(session, at: date, outstanding: Money | None = None) -> FundPosition:
    """``outstanding``: the outstanding pledges in USD when the caller has them already (the
    dashboard computes them per donor anyway; at 1M contributions that query is the slow part)."""
    received = session.scalar(
        select(func.sum(Contribution.usd_cents))
        .where(Contribution.kind == ContributionKind.PAYMENT, Contribution.date <= at))
    paid = session.execute(
        select(func.sum(Instalment.amount_usd_cents), func.sum(Instalment.psc_cents))
        .where(Instalment.status == InstalmentStatus.PAID, Instalment.paid_on <= at)).one()
    refunded = session.execute(
        select(func.sum(Refund.amount_usd_cents), func.sum(Refund.psc_cents)).where(Refund.date <= at)).one()
    disbursed = _usd(paid[0]) - _usd(refunded[0])
    psc = _usd(paid[1]) - _usd(refunded[1])
    # commitments: approved grants not yet paid (nothing left to pay once closed or cancelled)
    paid_per_grant = (
        select(Instalment.grant_id, func.sum(Instalment.amount_usd_cents).label("paid"))
        .where(Instalment.status == InstalmentStatus.PAID, Instalment.paid_on <= at)
        .group_by(Instalment.grant_id).subquery()
    )
    still_open = or_(
        Grant.status.in_([GrantStatus.APPROVED, GrantStatus.ACTIVE]),
        and_(Grant.status.in_([GrantStatus.CLOSED, GrantStatus.CANCELLED]), Grant.closed_on > at),
    )
    committed = session.scalar(
        select(func.sum(Grant.amount_usd_cents - func.coalesce(paid_per_grant.c.paid, 0)))
        .outerjoin(paid_per_grant, paid_per_grant.c.grant_id == Grant.id)
        .where(Grant.approved_on <= at, still_open))
    if outstanding is None:
        outstanding = sum((o.usd for o in outstanding_by_donor(session, at)), Money.zero(USD))
    return FundPosition(at, _usd(received), outstanding, disbursed, psc, _usd(committed))


class PositionService(Service):
    def position(self, at: date | None = None) -> FundPosition:
        with self.db.reading() as s:
            return fund_position(s, at or date.today())

    def outstanding(self, at: date | None = None, donor_id: str | None = None) -> list[OutstandingPledges]:
        with self.db.reading() as s:
            return outstanding_by_donor(s, at or date.today(), donor_id)
