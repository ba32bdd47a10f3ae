"""The outstanding-pledges screen: per donor and per currency, valued at the as-of rate, with age,
age buckets and totals; it follows new payments and the as-of date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtTest import QAbstractItemModelTester

from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.gui.screens.outstanding import age_text


def test_outstanding_screen_follows_payments_and_the_as_of_date(qtbot, db, admin, eur_rates, main_window, tmp_path):
    donors, contributions = DonorService(db, admin), ContributionService(db, admin)
    sweden = donors.create("Sweden", "member_state", "SE", "en")
    norway = donors.create("Norway", "member_state", "NO", "en")
    contributions.record_pledge(sweden, date(2025, 3, 10), "920", "EUR", reference="SE-1")
    contributions.record_pledge(norway, date(2019, 1, 15), "500", "USD", reference="NO-1")

    screen = main_window.show_screen("outstanding")
    for model in (screen.donor_model, screen.donor_proxy, screen.line_model, screen.bucket_model, screen.currency_model):
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    screen.as_of.setDate(QDate(2026, 6, 1))
    qtbot.waitUntil(lambda: screen.error or (screen.report is not None and screen.report.as_of == date(2026, 6, 1)),
                    timeout=20000)
    assert screen.error is None
    assert screen.donor_proxy.rowCount() == 2
    assert "$1,500.00 outstanding from 2 donors" in screen.total.text()  # 920 EUR / 0.92 + 500 USD
    # the largest balance first, in its own currency and in USD
    first = [screen.donor_proxy.index(0, c).data() for c in range(6)]
    assert first[:3] == ["Sweden", "€920.00", "$1,000.00"]
    assert first[5] == "1–2 years"
    buckets = {b.key: b.usd.amount for b in screen.bucket_model.rows}
    assert buckets == {"under_1": 0, "1_to_2": 1000, "2_to_5": 0, "over_5": 500}

    # a part payment leaves less outstanding; the screen reloads by itself
    contributions.record_payment(sweden, date(2026, 5, 2), "230", "EUR", reference="SE-P1")
    qtbot.waitUntil(lambda: "$1,250.00 outstanding" in screen.total.text(), timeout=20000)

    QAbstractItemModelTester(screen.pledge_model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    from trustfund_app.gui.grant_widgets import select_where

    assert select_where(screen.donor_table, lambda d: d.donor_name == "Sweden")
    qtbot.waitUntil(lambda: screen.pledge_model.rowCount() == 1, timeout=20000)
    assert [screen.pledge_model.index(0, c).data() for c in (1, 3, 4, 5, 6)] == [
        "SE-1", "€920.00", "€230.00", "€690.00", "$750.00"]
    assert "Open pledges of Sweden" in screen.pledges_title.text()
    donors_screen = screen.open_donor()
    assert donors_screen.search.text() == "Sweden"
    qtbot.waitUntil(lambda: donors_screen.selected is not None and donors_screen.selected.id == sweden, timeout=20000)
    main_window.show_screen("outstanding")

    screen.age_filter.setCurrentIndex(screen.age_filter.findData("over_5"))
    assert [screen.donor_proxy.index(r, 0).data() for r in range(screen.donor_proxy.rowCount())] == ["Norway"]
    assert "of that age: $500.00 from 1 donor" in screen.total.text()

    screen.age_filter.setCurrentIndex(0)
    screen.view_choice.setCurrentIndex(1)
    assert screen.stack.currentWidget() is screen.line_table
    assert screen.line_proxy.rowCount() == 2
    assert [c[0] for c in screen.currency_model.rows] == ["EUR", "USD"]
    # the view as shown goes to Excel, amounts as numbers
    from openpyxl import load_workbook

    screen.export_to(str(tmp_path / "outstanding.xlsx"))
    qtbot.waitUntil(lambda: (tmp_path / "outstanding.xlsx").exists(), timeout=20000)  # written atomically
    sheet = load_workbook(tmp_path / "outstanding.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "Donor")
    assert values[header][:4] == ["Donor", "Currency", "Outstanding", "USD at the as-of rate"]
    assert [row[:2] for row in values[header + 1:header + 3]] == [["Sweden", "EUR"], ["Norway", "USD"]]
    assert float(values[header + 1][3]) == 750.0  # (920 - 230) EUR / 0.92

    # before the pledges nothing is outstanding
    screen.as_of.setDate(QDate(2018, 12, 31))
    qtbot.waitUntil(lambda: screen.report is not None and screen.report.as_of == date(2018, 12, 31), timeout=20000)
    assert "No pledge is outstanding" in screen.total.text()
    assert screen.donor_model.rowCount() == 0


def test_age_text():
    assert age_text(1) == "1 day"
    assert age_text(300) == "300 days"
    assert age_text(913) == "2.5 years"


def test_a_pledge_currency_without_a_rate_on_the_as_of_date_is_named(qtbot, db, admin, eur_rates, main_window):
    donor = DonorService(db, admin).create("Sweden", "member_state", "SE", "en")
    ContributionService(db, admin).record_pledge(donor, date(2025, 3, 10), "920", "EUR", reference="SE-1")
    screen = main_window.show_screen("outstanding")
    screen.as_of.setDate(QDate(2028, 1, 1))  # still EUR's December 2026 rate: fine
    qtbot.waitUntil(lambda: screen.report is not None and screen.report.as_of == date(2028, 1, 1), timeout=20000)
    with db.writing("admin") as s:  # a fund whose rates start later than its pledges
        from sqlalchemy import delete

        from trustfund_app.core.models import ExchangeRate

        s.execute(delete(ExchangeRate).where(ExchangeRate.currency == "EUR", ExchangeRate.effective_date < date(2026, 1, 1)))
    screen.as_of.setDate(QDate(2025, 6, 1))
    qtbot.waitUntil(lambda: screen.error is not None, timeout=20000)
    assert "no exchange rate for EUR on or before 2025-06-01" in screen.total.text()
    assert screen.donor_model.rowCount() == 0
