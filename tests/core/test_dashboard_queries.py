"""The dashboard's figures: each chart adds up to the fund position it illustrates, split the way
the user reads it (by year, donor type, cycle, region, sex and age group), at any as-of date."""

from datetime import date
from decimal import Decimal

import pytest

from tests.core.grants_setup import approved_grant, interim, make_cycle, pay, two_instalments
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.dashboard import DashboardService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.grants import GrantService, ReportService, VictimsService
from trustfund_app.core.services.position import PositionService
from trustfund_app.core.services.rates import RateService


def cents(money) -> int:
    return money.minor


@pytest.fixture
def fund(db, admin, eur_rates):
    donors = DonorService(db, admin)
    contributions = ContributionService(db, admin)
    norway = donors.create("Norway", "member_state", "NO", "en")
    france = donors.create("France", "member_state", "FR", "fr")
    acme = donors.create("Acme Foundation", "foundation", "US", "en")
    contributions.record_payment(norway, date(2025, 3, 1), Decimal("100000"), "USD")
    contributions.record_payment(norway, date(2026, 1, 15), Decimal("400000"), "USD")
    contributions.record_payment(france, date(2025, 6, 1), Decimal("9200"), "EUR")  # 0.92 → 10,000.00 USD
    contributions.record_payment(acme, date(2026, 2, 1), Decimal("2500.50"), "USD")
    contributions.record_pledge(acme, date(2025, 12, 1), Decimal("5000"), "USD")
    return {"norway": norway, "france": france, "acme": acme}


def test_contributions_by_year_stack_by_donor_type_and_add_up_to_received(db, admin, fund):
    data = DashboardService(db, admin).load(date(2026, 12, 31))
    by_year = {y.year: {t: cents(m) for t, m in y.by_type.items()} for y in data.contributions_by_year}
    assert by_year == {2025: {"member_state": 11_000_000}, 2026: {"member_state": 40_000_000, "foundation": 250_050}}
    assert sum(cents(y.total) for y in data.contributions_by_year) == cents(data.position.received) == 51_250_050
    assert data.donor_types == ["member_state", "foundation"]  # the registry's order of types


def test_top_donors_rank_by_usd_received_and_leave_out_pledges(db, admin, fund):
    data = DashboardService(db, admin).load(date(2026, 12, 31))
    assert [(d.name, cents(d.usd)) for d in data.top_donors] == [
        ("Norway", 50_000_000), ("France", 1_000_000), ("Acme Foundation", 250_050)]


def test_an_earlier_as_of_date_leaves_later_contributions_out(db, admin, fund):
    data = DashboardService(db, admin).load(date(2025, 12, 31))
    assert [y.year for y in data.contributions_by_year] == [2025]
    assert [(d.name, cents(d.usd)) for d in data.top_donors] == [("Norway", 10_000_000), ("France", 1_000_000)]
    assert cents(data.outstanding.total_usd) == 500_000  # Acme's pledge of 1 December 2025


def test_outstanding_pledges_in_usd_at_the_as_of_rate(db, admin, fund):
    ContributionService(db, admin).record_pledge(fund["france"], date(2026, 3, 1), Decimal("920"), "EUR")
    RateService(db, admin).set_rate("EUR", date(2026, 12, 1), Decimal("0.8"))  # revalued: 920 / 0.8
    data = DashboardService(db, admin).load(date(2026, 12, 31))
    assert cents(data.outstanding.total_usd) == 500_000 + 115_000
    assert data.position == PositionService(db, admin).position(date(2026, 12, 31))  # the same position, computed once


def test_grant_figures_add_up_to_the_position(db, admin, finance, fund):
    cycle = make_cycle(db, admin, envelope="200000")
    grant = approved_grant(db, admin, cycle, amount="50000")
    first, _second = two_instalments(db, admin, grant, held=False)
    pay(db, admin, finance, first, date(2026, 5, 12))
    GrantService(db, admin).refund(grant, date(2026, 12, 1), Decimal("1000"))
    other = approved_grant(db, admin, cycle, amount="20000", sub=cycle.sgp1, months=9)  # also in Colombia
    data = DashboardService(db, admin).load(date(2026, 12, 31))
    p = data.position
    years = data.disbursements_by_year
    assert [(y.year, cents(y.disbursed), cents(y.psc)) for y in years] == [(2026, 3_000_000 - 100_000, 390_000 - 13_000)]
    assert (cents(years[0].disbursed), cents(years[0].psc)) == (cents(p.disbursed), cents(p.psc))
    [commitment] = data.commitments
    assert (commitment.cycle_number, cents(commitment.approved), cents(commitment.paid),
            cents(commitment.committed)) == (9, 7_000_000, 3_000_000, 4_000_000)
    assert cents(commitment.committed) == cents(p.commitments)
    assert [(r.region, r.grants, cents(r.usd)) for r in data.grants_by_region] == [("americas", 2, 7_000_000)]
    assert other


def test_victims_assisted_per_year_of_the_report(db, admin, fund):
    cycle = make_cycle(db, admin)
    grant = approved_grant(db, admin, cycle, amount="50000")
    report = interim(db, grant, "narrative")
    ReportService(db, admin).receive(report, date(2026, 11, 3))
    VictimsService(db, admin).record(report, {"shelter": (10, 4, 2, 1), "legal": (3, 0, 1, 0)})
    data = DashboardService(db, admin).load(date(2026, 12, 31))
    assert [(v.year, v.women, v.girls, v.men, v.boys, v.total) for v in data.victims_by_year] == [
        (2026, 13, 4, 3, 1, 21)]
    assert DashboardService(db, admin).load(date(2026, 11, 2)).victims_by_year == []  # not yet received


def test_an_empty_fund_has_empty_charts(db, admin):
    data = DashboardService(db, admin).load(date(2026, 12, 31))
    assert (data.contributions_by_year, data.top_donors, data.disbursements_by_year, data.commitments,
            data.grants_by_region, data.victims_by_year) == ([], [], [], [], [], [])
    assert cents(data.position.received) == 0 and cents(data.outstanding.total_usd) == 0
