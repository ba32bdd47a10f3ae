"""Issue 15 point 5 (and issue 19 point 15) in the GUI: a rate more than 50 % away from the previous
one is saved only after an explicit confirmation, in the single-rate dialog and the month's list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from trustfund_app.core.services.rates import RateService


@pytest.fixture
def rates_screen(qtbot, main_window, eur_rates):
    screen = main_window.show_screen("rates")
    qtbot.waitUntil(lambda: len(screen.rows) == 72, timeout=20000)
    return screen


def test_a_tenfold_rate_needs_a_confirmation_in_the_rate_dialog(qtbot, db, rates_screen):
    rates_screen.add_rate()
    dialog = rates_screen.dialog
    dialog.currency.setEditText("EUR")
    dialog.rate.setText("9.2")  # 0.92 with a slipped decimal point
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: getattr(dialog, "jump_dialog", None) is not None and dialog.jump_dialog.isVisible(),
                    timeout=20000)
    assert "EUR" in dialog.jump_dialog.jumps.item(0).text()
    dialog.jump_dialog.back_button.click()  # "Go back and check": nothing saved
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    on = date.today().replace(day=1)
    assert RateService(db).rate_for("EUR", on).rate != Decimal("9.2")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.jump_dialog.isVisible(), timeout=20000)
    dialog.jump_dialog.save_button.click()  # confirmed
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    assert RateService(db).rate_for("EUR", on).rate == Decimal("9.2")


def test_the_month_list_asks_before_saving_a_tenfold_typo(qtbot, db, rates_screen):
    from trustfund_app.gui.rate_month_dialog import MonthRatesDialog

    dialog = MonthRatesDialog(rates_screen.ctx, date(2027, 1, 1), parent=rates_screen)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: [r.currency for r in dialog.model.rows] == ["EUR", "JPY", "KWD"], timeout=20000)
    model = dialog.model
    model.setData(model.index(0, 2), "0.93")
    model.setData(model.index(1, 2), "1482.5")  # 148.25 typed with a digit too many
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: getattr(dialog, "jump_dialog", None) is not None and dialog.jump_dialog.isVisible(),
                    timeout=20000)
    assert dialog.jump_dialog.jumps.count() == 1 and "JPY" in dialog.jump_dialog.jumps.item(0).text()
    dialog.jump_dialog.back_button.click()
    assert RateService(db).rate_for("EUR", date(2027, 1, 5)).effective_date < date(2027, 1, 1)  # nothing saved
    model.setData(model.index(1, 2), "148.25")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result_value == 2, timeout=20000)
    assert RateService(db).rate_for("JPY", date(2027, 1, 5)).rate == Decimal("148.25")
