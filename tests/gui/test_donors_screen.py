"""The Donor registry screen: search and filters, the detail pane (totals per currency with what is
outstanding, per year, the donor's own entries), the form's refusals beside their fields, edit,
deactivate and merge."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


@pytest.fixture
def registry(db, admin, eur_rates):
    donors = DonorService(db, admin)
    ids = {
        "Japan": donors.create("Japan", "member_state", "JP", "en", aliases=["Nippon"]),
        "Norway": donors.create("Norway", "member_state", "NO", "en"),
        "Norway (MFA)": donors.create("Norway (MFA)", "member_state", "NOR", "en", email="mfa@example.org"),
        "Sakura Foundation": donors.create("Sakura Foundation", "foundation", "JP", "en"),
    }
    c = ContributionService(db, admin)
    c.record_pledge(ids["Norway"], date(2025, 4, 1), "1000", "EUR", reference="NO-P1")
    c.record_payment(ids["Norway"], date(2026, 2, 2), "250", "EUR", reference="NO-T1")
    c.record_payment(ids["Norway (MFA)"], date(2026, 3, 2), "500", "EUR", reference="NO-T2")
    return ids


def _screen(qtbot, main_window, count):
    screen = main_window.show_screen("donors")
    qtbot.waitUntil(lambda: screen.model.rowCount() == count, timeout=10000)
    return screen


def _names(screen):
    return [screen.proxy.index(r, 0).data() for r in range(screen.proxy.rowCount())]


def _select(qtbot, screen, name):
    screen.search.setText(name)
    row = _names(screen).index(name)
    screen.select_row(row)
    assert screen.selected.name == name


def test_search_filters_and_detail_pane(qtbot, main_window, registry):
    screen = _screen(qtbot, main_window, 4)
    for model in (screen.model, screen.proxy, screen.currency_model, screen.year_model, screen.entries_model):
        QAbstractItemModelTester(model, FATAL)
    screen.search.setText("nippon")  # an alias
    assert _names(screen) == ["Japan"]
    screen.search.setText("japan")  # a country name: the donor and a foundation based there
    assert _names(screen) == ["Japan", "Sakura Foundation"]
    screen.type.setCurrentIndex(screen.type.findData("foundation"))
    assert _names(screen) == ["Sakura Foundation"]
    screen.type.setCurrentIndex(0)
    screen.search.setText("")
    screen.region.setCurrentIndex(screen.region.findData("europe"))
    assert _names(screen) == ["Norway", "Norway (MFA)"]
    assert screen.count_label.text() == "2 of 4 donors"

    _select(qtbot, screen, "Norway")
    qtbot.waitUntil(lambda: screen.currency_model.rowCount() == 1 and screen.entries_model.rowCount() == 2,
                    timeout=10000)
    eur = [screen.currency_model.index(0, c).data() for c in range(screen.currency_model.columnCount())]
    assert eur == ["EUR", "€1,000.00", "€250.00", "€750.00", "$1,086.96", "$271.74"]
    years = [[screen.year_model.index(r, c).data() for c in range(4)] for r in range(screen.year_model.rowCount())]
    assert years == [["2026", "EUR", "€0.00", "€250.00"], ["2025", "EUR", "€1,000.00", "€0.00"]]
    assert [screen.entries_model.row_at(r).reference for r in range(2)] == ["NO-T1", "NO-P1"]
    assert screen.detail_values["totals"].text() == "pledged $1,086.96 · paid $271.74"
    assert screen.detail_values["country"].text() == "Norway · Europe"


def test_the_form_refuses_beside_each_field_at_once(qtbot, main_window, registry):
    screen = _screen(qtbot, main_window, 4)
    screen.new_donor()
    form = screen.form
    assert form.inputs["language"].currentData() == "en"
    form.inputs["name"].setText("JAPAN")  # the same donor, whatever the case
    form.inputs["country"].setText("XX")
    form.inputs["email"].setText("not an address")
    form.inputs["aliases"].setText("Nippon")
    form.save()
    expected = {"name": 'a donor named "Japan" already exists', "country": 'unknown country code "XX"',
                "email": "is not an e-mail address", "aliases": 'the alias "Nippon" already belongs to another donor'}
    for field, text in expected.items():
        label = form.errors[field]
        qtbot.waitUntil(lambda: label.isVisibleTo(form) and text in label.text(), timeout=10000)
    assert form.saved_id is None
    form.inputs["name"].setText("Iceland")
    form.inputs["country"].setText("is")
    form.inputs["email"].setText("")
    form.inputs["aliases"].setText("Ísland")
    form.save()
    qtbot.waitUntil(lambda: form.saved_id is not None, timeout=10000)
    assert not any(label.isVisibleTo(form) for label in form.errors.values())
    qtbot.waitUntil(lambda: screen.model.rowCount() == 5, timeout=10000)
    screen.search.setText("ísland")
    assert _names(screen) == ["Iceland"]


def test_edit_deactivate_and_merge(qtbot, main_window, registry):
    screen = _screen(qtbot, main_window, 4)
    _select(qtbot, screen, "Sakura Foundation")
    screen.edit_selected()
    form = screen.form
    assert form.inputs["name"].text() == "Sakura Foundation"
    form.inputs["name"].setText("Sakura Children's Foundation")
    form.save()
    qtbot.waitUntil(lambda: form.saved_id is not None, timeout=10000)
    screen.search.setText("")
    qtbot.waitUntil(lambda: "Sakura Children's Foundation" in _names(screen), timeout=10000)

    _select(qtbot, screen, "Japan")
    assert screen.buttons["active"].text() == "Deactivate"
    screen.toggle_active()
    qtbot.waitUntil(lambda: screen.selected is not None and not screen.selected.active, timeout=10000)
    assert screen.buttons["active"].text() == "Reactivate"
    assert screen.table.model().index(screen.table.currentIndex().row(), 5).data() == "no"

    _select(qtbot, screen, "Norway")
    screen.merge_selected()
    dialog = screen.merge_dialog
    dialog.duplicate.setCurrentIndex(dialog.duplicate.findData(registry["Norway (MFA)"]))
    dialog.merge()
    screen.search.setText("")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=10000)
    screen.search.setText("mfa")  # the duplicate's name is now an alias of the kept donor
    assert _names(screen) == ["Norway"]
    screen.select_row(0)
    qtbot.waitUntil(lambda: screen.entries_model.rowCount() == 3, timeout=10000)
    qtbot.waitUntil(lambda: screen.detail_values["totals"].text() == "pledged $1,086.96 · paid $815.22", timeout=10000)
    assert "mfa@example.org" in screen.detail_values["contact"].text()
