"""Figures of the annual fund report. The opening and closing balances come from
``fund_position`` at 31 December of the previous year and of the year, and the year's flows are
their differences (refunds and PSC returned read separately), so the report agrees exactly with
the fund position shown everywhere else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from trustfund_app.core.countries import region_of
from trustfund_app.core.models import (
    AssistanceType, Contribution, ContributionKind, Donor, Grant, GrantCycle, GranteeReport, Instalment,
    InstalmentStatus, Refund, VictimsAssisted,
)
from trustfund_app.core.money import USD, Money
from trustfund_app.core.reports.data import Letterhead, Victims, letterhead
from trustfund_app.core.services.position import FundPosition, fund_position


@dataclass(frozen=True)
class DonorIncome:
    name: str
    type: str
    pledged: Money
    received: Money


@dataclass(frozen=True)
class CycleRegion:
    cycle: int
    cycle_name: str
    region: str | None
    grants_approved: int
    approved: Money
    disbursed: Money


@dataclass(frozen=True)
class FundReportData:
    letterhead: Letterhead
    year: int
    opening: FundPosition
    closing: FundPosition
    refunds: Money
    psc_refunded: Money
    donors: list[DonorIncome]
    grants: list[CycleRegion]
    victims: list[tuple[str, Victims]]  # by assistance type
    budgets: list = field(default_factory=list)  # GrantBudget of each grant with a budget running in the year

    @property
    def income(self) -> Money:
        return self.closing.received - self.opening.received

    @property
    def disbursed_gross(self) -> Money:
        return self.closing.disbursed - self.opening.disbursed + self.refunds

    @property
    def psc_gross(self) -> Money:
        return self.closing.psc - self.opening.psc + self.psc_refunded

    @property
    def expenditure(self) -> Money:
        """Net of refunds, PSC included."""
        return self.disbursed_gross - self.refunds + self.psc_gross - self.psc_refunded

    def by_type(self) -> list[tuple[str, Money]]:
        totals: dict[str, Money] = {}
        for d in self.donors:
            totals[d.type] = totals.get(d.type, Money.zero(USD)) + d.received
        return sorted(totals.items(), key=lambda kv: (-kv[1].amount, kv[0]))

    @property
    def victims_total(self) -> Victims:
        return Victims(*(sum(getattr(v, k) for _t, v in self.victims) for k in ("women", "girls", "men", "boys")))


def _usd(cents) -> Money:
    return Money.from_minor(int(cents or 0), USD)


def fund_report_data(session, year: int) -> FundReportData:
    start, end = date(year, 1, 1), date(year, 12, 31)
    opening, closing = fund_position(session, date(year - 1, 12, 31)), fund_position(session, end)
    refunds = session.execute(select(func.sum(Refund.amount_usd_cents), func.sum(Refund.psc_cents))
                              .where(Refund.date >= start, Refund.date <= end)).one()
    in_year = (Contribution.date >= start, Contribution.date <= end)
    pledged = func.sum(Contribution.usd_cents).filter(Contribution.kind == ContributionKind.PLEDGE)
    received = func.sum(Contribution.usd_cents).filter(Contribution.kind == ContributionKind.PAYMENT)
    donors = [
        DonorIncome(name, dtype, _usd(p), _usd(r))
        for name, dtype, p, r in session.execute(
            select(Donor.name, Donor.type, pledged, received).join(Donor, Donor.id == Contribution.donor_id)
            .where(*in_year).group_by(Donor.name, Donor.type).order_by(Donor.name))
    ]
    donors.sort(key=lambda d: (-d.received.amount, d.name))
    return FundReportData(letterhead(session), year, opening, closing, _usd(refunds[0]), _usd(refunds[1]),
                          donors, _grants(session, start, end), _victims(session, start, end),
                          _budgets(session, start, end))


def _budgets(session, start: date, end: date) -> list:
    """Budget against actual of the grants running in the year (approved by its end, not closed
    before it began) that have a budget: the grant annex."""
    from sqlalchemy import or_

    from trustfund_app.core.services.grants.budget import grants_with_budget

    running = session.scalars(select(Grant.id).where(
        Grant.approved_on <= end, or_(Grant.closed_on.is_(None), Grant.closed_on >= start))).all()
    return grants_with_budget(session, running) if running else []


def _grants(session, start: date, end: date) -> list[CycleRegion]:
    """Per cycle and region: grants approved in the year and what was paid to grants in the year."""
    approved = session.execute(
        select(GrantCycle.number, GrantCycle.name, Grant.country, func.count(), func.sum(Grant.amount_usd_cents))
        .join(GrantCycle, GrantCycle.id == Grant.cycle_id)
        .where(Grant.approved_on >= start, Grant.approved_on <= end)
        .group_by(GrantCycle.number, GrantCycle.name, Grant.country)).all()
    paid = session.execute(
        select(GrantCycle.number, GrantCycle.name, Grant.country, func.sum(Instalment.amount_usd_cents))
        .join(Grant, Grant.id == Instalment.grant_id).join(GrantCycle, GrantCycle.id == Grant.cycle_id)
        .where(Instalment.status == InstalmentStatus.PAID, Instalment.paid_on >= start, Instalment.paid_on <= end)
        .group_by(GrantCycle.number, GrantCycle.name, Grant.country)).all()
    acc: dict[tuple, list] = {}
    for number, name, country, n, cents in approved:
        row = acc.setdefault((number, name, region_of(country)), [0, 0, 0])
        row[0] += int(n)
        row[1] += int(cents or 0)
    for number, name, country, cents in paid:
        acc.setdefault((number, name, region_of(country)), [0, 0, 0])[2] += int(cents or 0)
    return [CycleRegion(number, name, region, n, _usd(a), _usd(p))
            for (number, name, region), (n, a, p) in sorted(acc.items(), key=lambda kv: (kv[0][0], kv[0][2] or ""))]


def _victims(session, start: date, end: date) -> list[tuple[str, Victims]]:
    when = func.coalesce(GranteeReport.approved_on, GranteeReport.received_on)
    rows = session.execute(
        select(VictimsAssisted.assistance, func.sum(VictimsAssisted.women), func.sum(VictimsAssisted.girls),
               func.sum(VictimsAssisted.men), func.sum(VictimsAssisted.boys))
        .join(GranteeReport, GranteeReport.id == VictimsAssisted.report_id)
        .where(when >= start, when <= end).group_by(VictimsAssisted.assistance)).all()
    order = [t.value for t in AssistanceType]
    found = {a: Victims(*(int(x or 0) for x in rest)) for a, *rest in rows}
    return [(a, found[a]) for a in sorted(found, key=lambda a: order.index(a) if a in order else len(order))]
