"""Drive the real Donors and Contributions screens: a donor, a EUR pledge paid in two parts, the
status moving from outstanding to partly paid to paid, the dashboard following; bad input refused
beside the field."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtTest import QAbstractItemModelTester

from trustfund_app.gui.contributions_model import ROW_ROLE


def _wait_idle(qtbot):
    from trustfund_app.gui.jobs import wait_for_all

    wait_for_all()
    qtbot.wait(50)


def _enter(qtbot, screen, donor, kind, amount, currency="EUR", day=QDate(2026, 3, 2), expect_ok=True):
    screen.new_entry()
    form = screen.form
    qtbot.waitUntil(lambda: form.currency.count() > 0 and donor in form.donor_ids, timeout=10000)
    form.donor.setCurrentText(donor)
    form.kind.setCurrentIndex(form.kind.findData(kind))
    form.date.setDate(day)
    form.currency.setCurrentText(currency)
    form.amount.setText(amount)
    form.save()
    if expect_ok:
        qtbot.waitUntil(lambda: form.saved_id is not None, timeout=10000)
    return form


def _statuses(screen):
    model = screen.model
    return [model.index(r, 0).data(ROW_ROLE) for r in range(model.rowCount())]


def test_pledge_paid_in_two_parts(qtbot, main_window, eur_rates):
    donors = main_window.show_screen("donors")
    QAbstractItemModelTester(donors.proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    donors.new_donor()
    form = donors.form
    form.inputs["name"].setText("Kingdom of the Netherlands")
    form.inputs["country"].setText("NL")
    form.inputs["aliases"].setText("Netherlands; Pays-Bas")
    form.save()
    qtbot.waitUntil(lambda: form.saved_id is not None, timeout=10000)
    qtbot.waitUntil(lambda: donors.model.rowCount() == 1, timeout=10000)
    donors.search.setText("pays-bas")  # found through an alias
    assert donors.proxy.rowCount() == 1

    screen = main_window.show_screen("contributions")
    QAbstractItemModelTester(screen.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    _enter(qtbot, screen, "Netherlands", "pledge", "100000")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)
    assert _statuses(screen)[0].status == "outstanding"
    assert screen.model.index(0, 7).data() == "$108,695.65"  # 100,000 EUR at 0.92 per USD

    _enter(qtbot, screen, "Netherlands", "payment", "40000")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10000)
    pledge = [r for r in _statuses(screen) if r.kind == "pledge"][0]
    assert pledge.status == "partly_paid"

    dashboard = main_window.show_screen("dashboard")
    qtbot.waitUntil(lambda: dashboard.values["received"].text() == "$43,478.26", timeout=10000)

    screen = main_window.show_screen("contributions")
    _enter(qtbot, screen, "Netherlands", "payment", "60000")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=10000)
    pledge = [r for r in _statuses(screen) if r.kind == "pledge"][0]
    assert pledge.status == "paid"
    assert "$108,695.65" in screen.summary.text()  # 43,478.26 + 65,217.39 paid

    dashboard = main_window.show_screen("dashboard")
    qtbot.waitUntil(lambda: dashboard.values["received"].text() == "$108,695.65", timeout=10000)
    assert dashboard.values["pledged_outstanding"].text() == "$0.00"

    # the status filter finds it among the paid pledges only
    screen = main_window.show_screen("contributions")
    screen.status.setCurrentIndex(screen.status.findData("paid"))
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)


def test_the_form_refuses_bad_input_beside_the_field(qtbot, main_window, db, admin, eur_rates):
    from trustfund_app.core.services.donors import DonorService

    DonorService(db, admin).create("Japan", "member_state", "JP", "en")
    screen = main_window.show_screen("contributions")

    def refused(amount, currency, field, text, day=QDate(2026, 3, 2), kind="pledge"):
        form = _enter(qtbot, screen, "Japan", kind, amount, currency, day, expect_ok=False)
        label = form.errors[field]
        qtbot.waitUntil(lambda: label.isVisibleTo(form) and text in label.text(), timeout=10000)
        assert form.saved_id is None
        form.reject()

    refused("0", "EUR", "amount", "greater than zero")
    refused("-5", "EUR", "amount", "greater than zero")
    refused("12,5x", "EUR", "amount", "not a number")
    refused("100", "EUD", "currency", 'unknown currency code "EUD"')
    refused("100", "GBP", "currency", "no exchange rate for GBP on or before 2026-03-02")
    refused("100", "EUR", "currency", "no exchange rate for EUR", day=QDate(2020, 1, 1))


def test_a_payment_larger_than_the_chosen_pledge_is_refused(qtbot, main_window, db, admin, eur_rates):
    from datetime import date

    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService

    donor = DonorService(db, admin).create("Sweden", "member_state", "SE", "en")
    ContributionService(db, admin).record_pledge(donor, date(2026, 1, 10), "1000", "EUR", reference="SE-1")
    screen = main_window.show_screen("contributions")
    screen.new_entry()
    form = screen.form
    qtbot.waitUntil(lambda: "Sweden" in form.donor_ids and form.currency.count() > 0, timeout=10000)
    form.donor.setCurrentText("Sweden")
    form.kind.setCurrentIndex(form.kind.findData("payment"))
    qtbot.waitUntil(lambda: form.pledge.count() == 2, timeout=10000)
    form.pledge.setCurrentIndex(1)
    form.date.setDate(QDate(2026, 3, 2))
    form.currency.setCurrentText("EUR")
    form.amount.setText("1500")
    form.save()
    qtbot.waitUntil(lambda: "larger than what remains" in form.errors["amount"].text(), timeout=10000)
    assert form.saved_id is None


def test_export_the_current_view(qtbot, main_window, db, admin, eur_rates, tmp_path, monkeypatch):
    from datetime import date

    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService

    donors = DonorService(db, admin)
    de = donors.create("Germany", "member_state", "DE", "en")
    donors.create("Japan", "member_state", "JP", "en")
    ContributionService(db, admin).record_payment(de, date(2026, 3, 2), "920.50", "EUR", reference="DE-1")
    screen = main_window.show_screen("contributions")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)
    target = tmp_path / "c.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    screen.export_current()
    qtbot.waitUntil(target.exists, timeout=10000)
    ws = openpyxl.load_workbook(target).active
    row = [c.value for c in ws[2]]
    assert row[1] == "VTF-2026-0001" and row[2] == "Germany" and str(row[5]) == "920.5"
    donors_screen = main_window.show_screen("donors")
    qtbot.waitUntil(lambda: donors_screen.model.rowCount() == 2, timeout=10000)
    donors_screen.search.setText("jap")
    target2 = tmp_path / "d.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target2), ""))
    donors_screen.export_current()
    qtbot.waitUntil(target2.exists, timeout=10000)
    names = [r[0].value for r in openpyxl.load_workbook(target2).active.iter_rows(min_row=2)]
    assert names == ["Japan"]


def test_a_donors_history_shows_who_changed_what(qtbot, main_window, db, admin):
    from trustfund_app.core.services.donors import DonorService

    donor = DonorService(db, admin).create("Austria", "member_state", "AT", "en")
    DonorService(db, admin).update(donor, email="mission@example.at")
    screen = main_window.show_screen("donors")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10000)
    screen.table.setCurrentIndex(screen.proxy.index(0, 0))
    screen.show_history()
    model = screen.history.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=10000)
    assert [model.index(r, 1).data() for r in range(2)] == ["admin", "admin"]
    assert model.index(0, 2).data() == "created" and model.index(1, 2).data() == "changed"
    assert "E-mail: — → mission@example.at" in model.index(1, 3).data()  # labels, not database fields


def test_a_name_that_looks_like_another_in_a_different_script_is_questioned_once(qtbot, main_window, db, admin):
    from trustfund_app.core.services.donors import DonorService

    DonorService(db, admin).create("Egypt", "member_state", "EG", "ar")
    donors = main_window.show_screen("donors")
    donors.new_donor()
    form = donors.form
    form.inputs["name"].setText("\u0415gypt")  # Cyrillic Е
    form.save()
    label = form.errors["name"]
    qtbot.waitUntil(lambda: "looks like" in label.text(), timeout=10000)
    assert '"Egypt"' in label.text() and form.saved_id is None
    form.save()  # the user looked and keeps it
    qtbot.waitUntil(lambda: form.saved_id is not None, timeout=10000)
