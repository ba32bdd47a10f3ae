"""The Contributions screen beyond the happy path: several refusals at once, a too-large payment
refused as it is typed, the receipt number shown, reversal and correction with a reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate
from PySide6.QtTest import QAbstractItemModelTester

from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService


@pytest.fixture
def sweden(db, admin, eur_rates):
    donor = DonorService(db, admin).create("Sweden", "member_state", "SE", "en")
    ContributionService(db, admin).record_pledge(donor, date(2026, 1, 10), "1000", "EUR", reference="SE-P")
    return donor


def _open_form(qtbot, screen, donor="Sweden", kind="payment"):
    screen.new_entry()
    form = screen.form
    qtbot.waitUntil(lambda: donor in form.donor_ids and form.currency.count() > 0, timeout=10000)
    form.donor.setCurrentText(donor)
    form.kind.setCurrentIndex(form.kind.findData(kind))
    form.date.setDate(QDate(2026, 3, 2))
    return form


def _rows(screen):
    return [screen.model.row_at(r) for r in range(screen.model.rowCount())]


def test_every_refusal_shows_at_once(qtbot, main_window, sweden):
    screen = main_window.show_screen("contributions")
    form = _open_form(qtbot, screen)
    form.donor.setCurrentText("Nobody at all")
    form.currency.setCurrentText("XYZ")
    form.amount.setText("-3")
    form.save()
    for field, text in (("donor", "choose a donor"), ("amount", "greater than zero"),
                        ("currency", 'unknown currency code "XYZ"')):
        assert form.errors[field].isVisibleTo(form) and text in form.errors[field].text()
    assert form.saved_id is None


def test_a_too_large_payment_is_refused_as_it_is_typed(qtbot, main_window, sweden):
    screen = main_window.show_screen("contributions")
    form = _open_form(qtbot, screen)
    qtbot.waitUntil(lambda: form.pledge.count() == 2, timeout=10000)
    form.pledge.setCurrentIndex(1)
    form.currency.setCurrentText("EUR")
    form.amount.setText("1000.01")
    qtbot.waitUntil(lambda: "larger than what remains" in form.errors["amount"].text(), timeout=10000)
    assert "€1,000.00 left" in form.errors["amount"].text()
    assert "0.92 EUR per USD" in form.quote.text()
    form.amount.setText("1000")
    qtbot.waitUntil(lambda: not form.errors["amount"].isVisibleTo(form) and "$1,086.96" in form.quote.text(),
                    timeout=10000)
    # paid in US dollars: 1,100 USD is 1,012 EUR at 0.92, more than the 1,000 EUR left
    form.currency.setCurrentText("USD")
    form.amount.setText("1100")
    qtbot.waitUntil(lambda: "larger than what remains" in form.errors["amount"].text(), timeout=10000)


def test_saving_shows_the_receipt_number(qtbot, main_window, sweden):
    screen = main_window.show_screen("contributions")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)
    form = _open_form(qtbot, screen)
    form.currency.setCurrentText("EUR")
    form.amount.setText("400")
    form.save()
    qtbot.waitUntil(lambda: form.saved_receipt is not None, timeout=10000)
    assert form.saved_receipt == "VTF-2026-0002"
    assert "VTF-2026-0002" in main_window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10000)
    assert screen.model.index(0, 1).data() == "VTF-2026-0002"
    assert [r.status for r in _rows(screen) if r.kind == "pledge"] == ["partly_paid"]


def test_reverse_and_correct_with_a_reason(qtbot, main_window, db, admin, sweden, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    ContributionService(db, admin).record_payment(sweden, date(2026, 2, 2), "600", "EUR", reference="SE-T")
    screen = main_window.show_screen("contributions")
    QAbstractItemModelTester(screen.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10000)
    assert "paid $652.17" in screen.summary.text()

    # correct the earmark: a reason is required, and it is kept
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    assert screen.selected_row().reference == "SE-T"
    screen.correct_selected()
    dialog = screen.correction
    dialog.earmark.setText("Shelters in the Balkans")
    dialog.save()
    qtbot.waitUntil(lambda: "reason is required" in dialog.error.text(), timeout=10000)
    dialog.reason.setText("earmark given in the donor's letter")
    dialog.save()
    qtbot.waitUntil(lambda: screen.model.row_at(0) is not None
                    and screen.model.row_at(0).earmark == "Shelters in the Balkans", timeout=10000)
    # the reason is kept once, with the change in the audit trail (not copied into the note)
    assert "Corrected" not in (screen.model.row_at(0).note or "")
    from trustfund_app.core.record_history import record_history

    with db.reading() as s:
        lines = record_history(s, "contribution", screen.model.row_at(0).id)
    assert [line.reason for line in lines] == ["", "earmark given in the donor's letter"]
    assert lines[1].changes == "Earmark: — → Shelters in the Balkans"
    assert screen.model.row_at(0).usd == Decimal("652.17")  # amounts never change

    # reverse the payment: the pledge is outstanding again, the original stays in the books
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("paid twice by mistake", True))
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    screen.reverse_selected()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=10000)
    rows = _rows(screen)
    reversal = [r for r in rows if r.is_reversal][0]
    assert reversal.usd == Decimal("-652.17") and "paid twice by mistake" in reversal.note
    assert [r.status for r in rows if r.kind == "pledge" and not r.is_reversal] == ["outstanding"]
    assert "paid $0.00" in screen.summary.text()
    index = [i for i, r in enumerate(rows) if r.reference == "SE-T"][0]
    assert screen.model.index(index, 8).data() == "Reversed"
