"""The dashboard's figures at an as-of date, as plain dataclasses (Qt-free).

Every total is a sum of USD equivalents stored on the transactions, filtered the same way as the
fund position, so the charts add up to the position's figures: contributions by year (all types
stacked) = contributions received; disbursements by year = disbursements and PSC; commitments by
cycle = commitments; the outstanding pledges come from ``outstanding_report``.

Contributions are summed per donor and year in SQL (one pass over the payments) and the donor
types, top donors and year totals are derived from that small result in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, extract, func, or_, select

from trustfund_app.core.countries import region_of
from trustfund_app.core.models import (
    Contribution, ContributionKind, Donor, DonorType, Grant, GrantCycle, GranteeReport, GrantStatus, Instalment,
    InstalmentStatus, Refund, VictimsAssisted,
)
from trustfund_app.core.money import USD, Money
from trustfund_app.core.rate_in_force import MissingRateError
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.outstanding import OutstandingReport, outstanding_report
from trustfund_app.core.services.position import FundPosition, fund_position

DONOR_TYPES = tuple(t.value for t in DonorType)
TOP_DONORS = 10


def _usd(cents) -> Money:
    return Money.from_minor(int(cents or 0), USD)


def _year(value) -> int:
    return int(value)


@dataclass(frozen=True)
class ContributionYear:
    year: int
    by_type: dict[str, Money]  # donor type -> USD received that year

    @property
    def total(self) -> Money:
        return sum(self.by_type.values(), Money.zero(USD))


@dataclass(frozen=True)
class TopDonor:
    donor_id: str
    name: str
    donor_type: str
    usd: Money  # received since inception up to the as-of date


@dataclass(frozen=True)
class DisbursementYear:
    year: int
    disbursed: Money  # instalments paid less refunds
    psc: Money

    @property
    def total(self) -> Money:
        return self.disbursed + self.psc


@dataclass(frozen=True)
class CycleCommitment:
    cycle_number: int
    cycle_name: str
    approved: Money  # grants approved in the cycle (not cancelled)
    paid: Money  # instalments paid on them
    committed: Money  # approved, not yet paid, on grants still open


@dataclass(frozen=True)
class RegionGrants:
    region: str | None  # M49 key (africa, ...) or None when the country has no region
    grants: int
    usd: Money


@dataclass(frozen=True)
class VictimsYear:
    year: int
    women: int
    girls: int
    men: int
    boys: int

    @property
    def total(self) -> int:
        return self.women + self.girls + self.men + self.boys


@dataclass
class DashboardData:
    as_of: date
    position: FundPosition | None  # None when a pledge currency has no rate at the as-of date
    contributions_by_year: list[ContributionYear]
    top_donors: list[TopDonor]
    outstanding: OutstandingReport | None  # None when a pledge currency has no rate at the as-of date
    disbursements_by_year: list[DisbursementYear]
    commitments: list[CycleCommitment]
    grants_by_region: list[RegionGrants]
    victims_by_year: list[VictimsYear]
    donor_types: list[str] = field(default_factory=list)  # types with contributions, in DONOR_TYPES order
    position_error: str | None = None


def contributions_by_donor_year(session, at: date) -> list[tuple[str, str, str, int, int]]:
    """(donor id, name, type, year, USD cents) for the payments received up to ``at``."""
    year = extract("year", Contribution.date)
    per_donor = (
        select(Contribution.donor_id, year.label("year"), func.sum(Contribution.usd_cents).label("cents"))
        .where(Contribution.kind == ContributionKind.PAYMENT, Contribution.date <= at)
        .group_by(Contribution.donor_id, year).subquery()
    )
    rows = session.execute(
        select(Donor.id, Donor.name, Donor.type, per_donor.c.year, per_donor.c.cents)
        .join(per_donor, per_donor.c.donor_id == Donor.id)
    ).all()
    return [(str(did), name, dtype, _year(y), int(cents or 0)) for did, name, dtype, y, cents in rows]


def contributions_and_top_donors(session, at: date, top: int = TOP_DONORS):
    per_year: dict[int, dict[str, int]] = {}
    per_donor: dict[str, list] = {}
    for did, name, dtype, year, cents in contributions_by_donor_year(session, at):
        types = per_year.setdefault(year, {})
        types[dtype] = types.get(dtype, 0) + cents
        per_donor.setdefault(did, [name, dtype, 0])[2] += cents
    years = [ContributionYear(y, {t: _usd(c) for t, c in sorted(per_year[y].items(), key=lambda i: _type_order(i[0]))})
             for y in sorted(per_year)]
    ranked = sorted(per_donor.items(), key=lambda item: (-item[1][2], item[1][0]))
    donors = [TopDonor(did, name, dtype, _usd(cents)) for did, (name, dtype, cents) in ranked[:top] if cents > 0]
    present = sorted({t for y in per_year.values() for t, c in y.items() if c}, key=_type_order)
    return years, donors, present


def _type_order(donor_type: str) -> int:
    return DONOR_TYPES.index(donor_type) if donor_type in DONOR_TYPES else len(DONOR_TYPES)


def disbursements_by_year(session, at: date) -> list[DisbursementYear]:
    paid_year = extract("year", Instalment.paid_on)
    totals: dict[int, list[int]] = {}
    for year, cents, psc in session.execute(
        select(paid_year, func.sum(Instalment.amount_usd_cents), func.sum(Instalment.psc_cents))
        .where(Instalment.status == InstalmentStatus.PAID, Instalment.paid_on <= at).group_by(paid_year)
    ):
        acc = totals.setdefault(_year(year), [0, 0])
        acc[0] += int(cents or 0)
        acc[1] += int(psc or 0)
    refund_year = extract("year", Refund.date)
    for year, cents, psc in session.execute(
        select(refund_year, func.sum(Refund.amount_usd_cents), func.sum(Refund.psc_cents))
        .where(Refund.date <= at).group_by(refund_year)
    ):
        acc = totals.setdefault(_year(year), [0, 0])
        acc[0] -= int(cents or 0)
        acc[1] -= int(psc or 0)
    return [DisbursementYear(y, _usd(c), _usd(p)) for y, (c, p) in sorted(totals.items())]


def commitments_by_cycle(session, at: date) -> list[CycleCommitment]:
    """Per cycle, the same definition as the fund position's commitments."""
    paid_per_grant = (
        select(Instalment.grant_id, func.sum(Instalment.amount_usd_cents).label("paid"))
        .where(Instalment.status == InstalmentStatus.PAID, Instalment.paid_on <= at)
        .group_by(Instalment.grant_id).subquery()
    )
    paid = func.coalesce(paid_per_grant.c.paid, 0)
    still_open = or_(
        Grant.status.in_([GrantStatus.APPROVED, GrantStatus.ACTIVE]),
        and_(Grant.status.in_([GrantStatus.CLOSED, GrantStatus.CANCELLED]), Grant.closed_on > at),
    )
    not_cancelled = or_(Grant.status != GrantStatus.CANCELLED, Grant.closed_on > at)
    rows = session.execute(
        select(GrantCycle.number, GrantCycle.name, Grant.amount_usd_cents, paid, still_open, not_cancelled)
        .join(GrantCycle, GrantCycle.id == Grant.cycle_id)
        .outerjoin(paid_per_grant, paid_per_grant.c.grant_id == Grant.id)
        .where(Grant.approved_on <= at)
    ).all()
    cycles: dict[int, list] = {}
    for number, name, amount, paid_cents, is_open, counted in rows:
        acc = cycles.setdefault(number, [name, 0, 0, 0])
        if counted:
            acc[1] += int(amount)
        acc[2] += int(paid_cents or 0)
        if is_open:
            acc[3] += int(amount) - int(paid_cents or 0)
    return [CycleCommitment(n, name, _usd(a), _usd(p), _usd(c)) for n, (name, a, p, c) in sorted(cycles.items())]


def grants_by_region(session, at: date) -> list[RegionGrants]:
    """Grants approved up to ``at`` (cancelled ones left out) by the M49 region of their country."""
    rows = session.execute(
        select(Grant.country, func.count(), func.sum(Grant.amount_usd_cents))
        .where(Grant.approved_on <= at, or_(Grant.status != GrantStatus.CANCELLED, Grant.closed_on > at))
        .group_by(Grant.country)
    ).all()
    regions: dict[str | None, list[int]] = {}
    for country, count, cents in rows:
        acc = regions.setdefault(region_of(country), [0, 0])
        acc[0] += int(count)
        acc[1] += int(cents or 0)
    return [RegionGrants(r, n, _usd(c)) for r, (n, c) in sorted(regions.items(), key=lambda i: -i[1][1])]


def victims_by_year(session, at: date) -> list[VictimsYear]:
    """Per year of the report's receipt (its due date while not yet received), as the grants
    screens count them."""
    when = func.coalesce(GranteeReport.received_on, GranteeReport.due_date)
    year = extract("year", when)
    rows = session.execute(
        select(year, func.sum(VictimsAssisted.women), func.sum(VictimsAssisted.girls),
               func.sum(VictimsAssisted.men), func.sum(VictimsAssisted.boys))
        .join(GranteeReport, GranteeReport.id == VictimsAssisted.report_id)
        .where(when <= at).group_by(year)
    ).all()
    return [VictimsYear(_year(y), *(int(n or 0) for n in counts)) for y, *counts in sorted(rows, key=lambda r: r[0])]


def dashboard_data(session, at: date, on_position=None) -> DashboardData:
    """Every figure of the dashboard. The fund position comes first and is handed to
    ``on_position`` at once, so a screen can show it before the charts' figures are ready."""
    try:
        outstanding = outstanding_report(session, at)
        position, position_error = fund_position(session, at, outstanding.total_usd), None
    except MissingRateError as exc:  # the other figures stay useful; the screen says what is missing
        position, outstanding, position_error = None, None, str(exc)
    if on_position is not None and position is not None:
        on_position(position)
    years, donors, present = contributions_and_top_donors(session, at)
    return DashboardData(
        as_of=at,
        position=position,
        position_error=position_error,
        contributions_by_year=years,
        top_donors=donors,
        outstanding=outstanding,
        disbursements_by_year=disbursements_by_year(session, at),
        commitments=commitments_by_cycle(session, at),
        grants_by_region=grants_by_region(session, at),
        victims_by_year=victims_by_year(session, at),
        donor_types=present,
    )


class DashboardService(Service):
    def load(self, at: date | None = None, on_position=None) -> DashboardData:
        with self.db.reading() as s:
            return dashboard_data(s, at or date.today(), on_position)
