"""Budget against actual: lines in the grant's currency and USD, expenditure per line from approved
financial reports, variance that sums to the cent, the unspent balance flagged at closure."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.money import USD, Money
from trustfund_app.core.services.grants import BudgetService, GrantService, ReportService
from tests.core.grants_setup import approved_grant, interim, make_cycle, pay, two_instalments


def _final_financial(db, grant):
    return next(r.id for r in ReportService(db).for_grant(grant) if r.kind == "final" and r.type == "financial")


def test_budget_in_euros_against_approved_expenditure(db, admin, finance, eur_rates):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, amount="50000")
    budgets = BudgetService(db, admin)
    budgets.set_budget(grant, "EUR", [("Shelter rent", "20000.00"), ("Legal aid", "15000.00"), ("Staff", "10000.01")])
    b = budgets.for_grant(grant)
    assert [r.category for r in b.rows] == ["Shelter rent", "Legal aid", "Staff"]
    # EUR 0.92 per USD, each line rounded half-up once: 21739.13, 16304.35, 10869.58
    assert [r.budget_usd.amount for r in b.rows] == [Decimal("21739.13"), Decimal("16304.35"), Decimal("10869.58")]
    assert b.budget_usd == Money("48913.06", USD)

    first = interim(db, grant)
    lines = {r.category: r.line_id for r in b.rows}
    budgets.record_expenditure(first, {lines["Shelter rent"]: "9000.00", lines["Legal aid"]: "15500.00"})
    reports = ReportService(db, admin)
    # a received but not approved report is not "actual" yet
    reports.receive(first, date(2026, 11, 2))
    assert budgets.for_grant(grant).spent_usd == Money.zero(USD)
    reports.approve(first, date(2026, 11, 10))
    b = budgets.for_grant(grant)
    shelter, legal, staff = b.rows
    assert shelter.spent == Money("9000.00", "EUR") and shelter.variance == Money("11000.00", "EUR")
    assert shelter.spent_ratio == Decimal("0.45")
    assert legal.variance_usd.amount < 0  # overspent
    assert staff.spent_ratio == 0
    assert b.variance_usd == sum((r.variance_usd for r in b.rows), Money.zero(USD))
    assert b.refund_due is None  # not at closure yet
    with pytest.raises(ValidationError, match="can no longer be replaced"):
        budgets.set_budget(grant, "EUR", [("Everything", "1000")])
    with pytest.raises(ValidationError, match="financial"):
        budgets.record_expenditure(interim(db, grant, "narrative"), {lines["Staff"]: "1"})


def test_unspent_balance_flagged_for_refund_at_closure(db, admin, finance):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, amount="50000")
    first, second = two_instalments(db, admin, grant, held=False)
    pay(db, admin, finance, first, date(2026, 5, 12))
    pay(db, admin, finance, second, date(2027, 6, 2))
    budgets = BudgetService(db, admin)
    budgets.set_budget(grant, "USD", [("Shelter", "30000"), ("Legal", "20000")])
    lines = [r.line_id for r in budgets.for_grant(grant).rows]
    final = _final_financial(db, grant)
    budgets.record_expenditure(final, {lines[0]: "29000.50", lines[1]: "18000"})
    reports = ReportService(db, admin)
    reports.receive(final, date(2027, 6, 20))
    reports.approve(final, date(2027, 6, 25))
    b = budgets.for_grant(grant)
    assert b.closing and b.refund_due == Money("2999.50", USD)
    GrantService(db, admin).refund(grant, date(2027, 7, 1), Decimal("2999.50"))
    assert budgets.for_grant(grant).refund_due is None


def test_a_budget_larger_than_the_grant_or_with_bad_lines_is_refused(db, admin):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, amount="20000", sub=fund.sgp1, months=9)
    budgets = BudgetService(db, admin)
    with pytest.raises(ValidationError, match="more than the grant"):
        budgets.set_budget(grant, "USD", [("Shelter", "15000"), ("Legal", "5000.01")])
    with pytest.raises(ValidationError, match="category"):
        budgets.set_budget(grant, "USD", [("", "100")])
    with pytest.raises(ValidationError, match="negative"):
        budgets.set_budget(grant, "USD", [("Shelter", "-1")])
    with pytest.raises(ValidationError, match="same category"):
        budgets.set_budget(grant, "USD", [("Shelter", "1"), ("shelter", "2")])
    assert budgets.for_grant(grant).rows == []


_CYCLE_NUMBERS = itertools.count(100)  # hypothesis reuses the database: one new cycle per example


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.tuples(st.integers(1, 100_000), st.integers(0, 500_000)), min_size=1, max_size=6))
def test_variance_sums_to_the_cent_whatever_the_amounts(db, admin, amounts):
    """Per-line figures are rounded once and stored; the totals are their sums, so the lines'
    variances always add up to the grant's variance, in the budget currency and in USD."""
    from trustfund_app.core.services.rates import RateService

    RateService(db, admin).add_month(date(2026, 4, 1), {"KWD": Decimal("0.307")})
    fund = make_cycle(db, admin, envelope="10000000", number=next(_CYCLE_NUMBERS))
    grant = approved_grant(db, admin, fund, amount="60000")
    budgets = BudgetService(db, admin)
    budgets.set_budget(grant, "KWD", [(f"Line {i}", Money.from_minor(b * 10, "KWD")) for i, (b, _s) in enumerate(amounts)])
    rows = budgets.for_grant(grant).rows
    report = interim(db, grant)
    budgets.record_expenditure(report, {r.line_id: Money.from_minor(s * 10 + 7, "KWD") for r, (_b, s) in zip(rows, amounts)})
    ReportService(db, admin).receive(report, date(2026, 11, 1))
    ReportService(db, admin).approve(report, date(2026, 11, 2))
    b = budgets.for_grant(grant)
    assert sum((r.variance_usd for r in b.rows), Money.zero(USD)) == b.variance_usd == b.budget_usd - b.spent_usd
    assert sum((r.variance for r in b.rows), Money.zero("KWD")) == b.variance
    for r in b.rows:
        assert r.spent_usd == r.spent.to_usd(Decimal("0.307"))


def _closed_grant_with_budget(db, admin, finance):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, amount="50000")
    first, second = two_instalments(db, admin, grant, held=False)
    pay(db, admin, finance, first, date(2026, 5, 12))
    pay(db, admin, finance, second, date(2026, 12, 2))
    budgets = BudgetService(db, admin)
    budgets.set_budget(grant, "USD", [("Shelter", "30000"), ("Legal", "20000")])
    lines = [r.line_id for r in budgets.for_grant(grant).rows]
    final = _final_financial(db, grant)
    budgets.record_expenditure(final, {lines[0]: "29000.50", lines[1]: "18000"})
    ReportService(db, admin).receive(final, date(2026, 12, 5))
    ReportService(db, admin).approve(final, date(2026, 12, 6))
    return grant


def test_budget_annex_in_the_fund_report_and_xlsx_export(db, admin, finance, tmp_path):
    import openpyxl

    from tests.core.reports_fixture import pypdf_pages
    from trustfund_app.core.excel.budget_export import export_budgets
    from trustfund_app.core.reports import render_fund_report

    grant = _closed_grant_with_budget(db, admin, finance)
    reference = GrantService(db).get(grant).reference
    text = " ".join(pypdf_pages(render_fund_report(db, 2026, "en", issued=date(2027, 1, 10))))
    assert "Schedule 5. Budget against actual by grant" in text
    assert f"{reference} $50,000.00 $47,000.50 $2,999.50 94.0% $2,999.50" in text
    rows = export_budgets(db, tmp_path / "budgets.xlsx", "en")
    assert rows == 3
    sheet = openpyxl.load_workbook(tmp_path / "budgets.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Grant", "Budget line", "Currency"]
    assert values[1][:3] == [reference, "Shelter", "USD"]
    assert [Decimal(str(v)) for v in values[1][3:9]] == [Decimal(x) for x in ("30000", "29000.5", "999.5") * 2]
    total = values[3]
    assert total[1] == "Total" and Decimal(str(total[8])) == Decimal("2999.50") and Decimal(str(total[10])) == Decimal("2999.50")
