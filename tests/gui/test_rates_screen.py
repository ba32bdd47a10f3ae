"""The exchange-rates screen: the UNORE table by currency and date, adding a rate or a month's
list, correcting a rate (the USD already recorded never changes), and which transactions used it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.rates import RateService
from trustfund_app.gui.grant_widgets import select_where
from tests.actors import READER


def _wait(qtbot, condition, timeout=20000):
    qtbot.waitUntil(condition, timeout=timeout)


@pytest.fixture
def rates_screen(qtbot, main_window, eur_rates):
    screen = main_window.show_screen("rates")
    _wait(qtbot, lambda: len(screen.rows) == 72)  # EUR, JPY, KWD monthly for 2025–2026
    for model in (screen.model, screen.proxy, screen.usage_model):
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return screen


def _select(qtbot, screen, currency, on):
    assert select_where(screen.table, lambda r: (r.currency, r.effective_date) == (currency, on))


def test_filter_by_currency_and_export(qtbot, rates_screen, tmp_path):
    screen = rates_screen
    screen.currency_filter.setCurrentIndex(screen.currency_filter.findData("JPY"))
    _wait(qtbot, lambda: len(screen.rows) == 24 and {r.currency for r in screen.rows} == {"JPY"})
    assert screen.proxy.rowCount() == 24
    assert "24 rates" in screen.summary.text()
    # newest first, as shown, with the rate as an exact number
    from openpyxl import load_workbook

    screen.export_to(str(tmp_path / "rates.xlsx"))
    _wait(qtbot, lambda: (tmp_path / "rates.xlsx").exists())
    values = [[c.value for c in row] for row in load_workbook(tmp_path / "rates.xlsx").active.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "Currency")
    rows = values[header + 1:]
    assert len(rows) == 24 and rows[0][0] == "JPY" and float(rows[0][3]) == 150.5


def test_correcting_a_rate_keeps_recorded_usd(qtbot, db, admin, rates_screen):
    screen = rates_screen
    donor = DonorService(db, admin).create("Sweden", "member_state", "SE", "en")
    contributions = ContributionService(db, admin)
    pledge = contributions.record_pledge(donor, date(2026, 3, 10), "920", "EUR", reference="SE-1")
    _wait(qtbot, lambda: any(r.used_by == 1 for r in screen.rows))
    _select(qtbot, screen, "EUR", date(2026, 3, 1))
    _wait(qtbot, lambda: screen.usage_model.rowCount() == 1)
    use = screen.usage_model.row_at(0)
    assert (use.reference, use.donor, str(use.usd.amount)) == ("SE-1", "Sweden", "1000.00")  # 920 / 0.92

    screen.correct_rate()
    dialog = screen.dialog
    assert "1 transaction was recorded with this rate" in dialog.findChild(type(dialog.general_error), "rate_dialog_notice").text()
    dialog.rate.setText("0.8")
    dialog.ok_button.click()
    _wait(qtbot, lambda: any(r.rate == Decimal("0.8") for r in screen.rows))

    assert RateService(db, admin).rate_for("EUR", date(2026, 3, 15)).rate == Decimal("0.8")
    with db.reading() as s:
        from trustfund_app.core.models import Contribution

        recorded = s.get(Contribution, __import__("uuid").UUID(pledge))
        assert (recorded.usd_cents, recorded.rate) == (100000, Decimal("0.92"))
    # a transaction recorded now uses the corrected rate
    assert contributions.quote("920", "EUR", date(2026, 3, 20)).usd.amount == Decimal("1150.00")
    # the corrected rate row still lists the pledge, with the rate and USD it kept
    _select(qtbot, screen, "EUR", date(2026, 3, 1))
    _wait(qtbot, lambda: screen.usage_model.rowCount() == 1)
    kept = screen.usage_model.row_at(0)
    assert (kept.rate, str(kept.usd.amount)) == (Decimal("0.92"), "1000.00")


def test_add_rate_refuses_bad_input_beside_the_field(qtbot, rates_screen):
    screen = rates_screen
    screen.add_rate()
    dialog = screen.dialog
    dialog.currency.setEditText("XYZ")
    dialog.rate.setText("1.1")
    dialog.ok_button.click()
    assert dialog.errors["currency"].isVisibleTo(dialog)
    assert "XYZ" in dialog.errors["currency"].text()
    dialog.currency.setEditText("EUR")
    dialog.rate.setText("9.2")  # a slip of the decimal point
    _wait(qtbot, lambda: "Previous rate: 0.92" in dialog.previous.text())
    assert "large change" in dialog.previous.text() and "+900.00%" in dialog.previous.text()
    dialog.currency.setEditText("CHF")
    _wait(qtbot, lambda: dialog.previous.text() == "No earlier rate for this currency.")
    for bad in ("0", "-2", "abc", ""):
        dialog.rate.setText(bad)
        dialog.ok_button.click()
        assert dialog.errors["rate"].isVisibleTo(dialog), bad
        assert not dialog.errors["currency"].isVisibleTo(dialog)
    dialog.rate.setText("0.88")
    dialog.ok_button.click()
    _wait(qtbot, lambda: any(r.currency == "CHF" for r in screen.rows))
    assert screen.currency_filter.findData("CHF") >= 0


def test_add_a_month_prefilled_from_the_previous_month(qtbot, db, rates_screen):
    from trustfund_app.gui.rate_month_dialog import MonthRatesDialog

    dialog = MonthRatesDialog(rates_screen.ctx, date(2027, 1, 1), parent=rates_screen)
    qtbot.addWidget(dialog)
    QAbstractItemModelTester(dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    _wait(qtbot, lambda: [r.currency for r in dialog.model.rows] == ["EUR", "JPY", "KWD"])
    assert dialog.model.rows[0].previous == Decimal("0.92")
    model = dialog.model
    model.setData(model.index(0, 2), "0.9315")
    assert model.index(0, 3).data() == "+1.25%"  # from 0.92: shown while typing
    model.setData(model.index(1, 2), "zero")
    dialog.ok_button.click()
    assert "1 row has a problem" in dialog.rows_error.text()
    assert model.rows[1].problem and not model.rows[0].problem
    model.setData(model.index(1, 2), "148.25")
    row = model.add_row()
    model.setData(model.index(row, 0), "usd")
    model.setData(model.index(row, 2), "1")
    dialog.ok_button.click()
    assert "USD" in model.rows[row].problem
    model.remove_row(row)
    dialog.ok_button.click()  # KWD left empty: its December rate stays in force
    _wait(qtbot, lambda: dialog.result_value == 2)
    service = RateService(db, READER)
    assert service.rate_for("EUR", date(2027, 1, 5)).rate == Decimal("0.9315")
    assert service.rate_for("JPY", date(2027, 1, 5)).rate == Decimal("148.25")
    assert service.rate_for("KWD", date(2027, 1, 5)).effective_date == date(2026, 12, 1)


def test_month_list_for_a_date_already_listed_shows_its_rates(qtbot, db, rates_screen):
    screen = rates_screen
    screen.add_month()
    _wait(qtbot, lambda: getattr(screen, "dialog", None) is not None)
    dialog = screen.dialog
    assert dialog.effective.date().toPython() == date(2027, 1, 1)  # the month after the latest list
    dialog.effective.setDate(date(2026, 12, 1))
    _wait(qtbot, lambda: [r.rate_text for r in dialog.model.rows] == ["0.92", "150.5", "0.307"])
    assert dialog.existing_note.isVisibleTo(dialog)
    dialog.model.setData(dialog.model.index(0, 2), "0.95")
    dialog.ok_button.click()
    _wait(qtbot, lambda: dialog.result_value == 3)
    assert RateService(db, READER).rate_for("EUR", date(2026, 12, 2)).rate == Decimal("0.95")


def test_read_only_user_cannot_change_rates(qtbot, rates_screen):
    from trustfund_app.core.services.base import Actor

    screen = rates_screen
    screen.ctx.actor = Actor("reader", "read_only")
    screen._selected()
    assert not any(b.isEnabled() for b in (screen.add_button, screen.month_button, screen.correct_button,
                                           screen.import_button))
    assert screen.export_button.isEnabled()


def test_rates_in_force_on_a_date(qtbot, db, admin, rates_screen):
    screen = rates_screen
    RateService(db, admin).set_rate("EUR", date(2026, 3, 16), "0.95")
    _wait(qtbot, lambda: len(screen.rows) == 73)
    screen.in_force_date.setDate(date(2026, 3, 20))
    screen.in_force.setChecked(True)
    assert [(r.currency, r.effective_date, str(r.rate)) for r in screen.rows] == [
        ("EUR", date(2026, 3, 16), "0.95"), ("JPY", date(2026, 3, 1), "150.5"), ("KWD", date(2026, 3, 1), "0.307")]
    assert screen.proxy.rowCount() == 3
    assert screen.summary.text() == "3 rates in force on Mar 20, 2026"
    screen.in_force_date.setDate(date(2026, 3, 10))
    assert str(next(r.rate for r in screen.rows if r.currency == "EUR")) == "0.92"
    screen.in_force.setChecked(False)
    assert len(screen.rows) == 73


@pytest.mark.parametrize("lang, typed, rate", [
    ("en", "0.9215", "0.9215"), ("en", "16,234.00", "16234.00"), ("en", "0,3071", "0.3071"),
    ("fr", "0,9215", "0.9215"), ("fr", "16 234,5", "16234.5"), ("ru", "1.234", "1.234"), ("en", "1,234", "1234"),
])
def test_rates_typed_the_users_way(lang, typed, rate):
    from trustfund_app.core.i18n import use_language
    from trustfund_app.gui.rate_dialog import parse_rate

    with use_language(lang):
        assert str(parse_rate(typed)) == rate


def test_paste_a_months_list_copied_from_a_table(qtbot, db, rates_screen):
    from trustfund_app.gui.rate_month_dialog import MonthRatesDialog, parse_pasted_rates

    pasted = ("Country\tCurrency\tCode\tRate\nEuro area\tEuro\tEUR\t0.9215\nJapan\tYen\tJPY\t150.30\n"
              "Switzerland Swiss franc CHF 0,8812\nTotal 3\n")
    assert parse_pasted_rates(pasted) == (
        [("EUR", "0.9215"), ("JPY", "150.30"), ("CHF", "0,8812")], ["Total 3"])
    dialog = MonthRatesDialog(rates_screen.ctx, date(2027, 1, 1), parent=rates_screen)
    qtbot.addWidget(dialog)
    _wait(qtbot, lambda: len(dialog.model.rows) == 3)
    dialog.paste_rates(pasted)
    assert [(r.currency, r.rate_text) for r in dialog.model.rows] == [
        ("EUR", "0.9215"), ("JPY", "150.30"), ("KWD", ""), ("CHF", "0,8812")]
    assert "1 pasted line has no currency code: Total 3" in dialog.rows_error.text()
    dialog.ok_button.click()
    _wait(qtbot, lambda: dialog.result_value == 3)
    assert RateService(db, READER).rate_for("CHF", date(2027, 1, 2)).rate == Decimal("0.8812")


def test_import_button_opens_the_wizard_on_exchange_rates(qtbot, rates_screen):
    wizard = rates_screen.open_import()
    assert wizard.current_kind() == "rates"
    assert rates_screen.window().current_entry().key == "import"
