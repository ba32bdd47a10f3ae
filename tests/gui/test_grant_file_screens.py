"""The grant file in the GUI: a visit and its follow-up action recorded on the Visits screen, the
action on the Due screen and the dashboard's deadlines panel, saved as an .ics; the grant's Visits
and Documents tabs; a document attached by dropping a file and exported back."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.core.grants_setup import approved_grant, make_cycle
from trustfund_app.gui.grant_widgets import select_row, select_where, set_date

TOMORROW = date.today() + timedelta(days=1)


def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def submit(qtbot, dialog):
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert dialog.result() == dialog.DialogCode.Accepted


def test_visit_action_due_dashboard_and_calendar(qtbot, main_window, db, admin, tmp_path):
    grant_id = approved_grant(db, admin, make_cycle(db, admin), start=date.today() - timedelta(days=60))
    screen = main_window.show_screen("visits")
    view = screen.view
    click(qtbot, view.buttons["new"])
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible(), timeout=10000)
    d = view.dialog
    assert d.grant_combo.currentData() == grant_id
    d.visitors.setText("M. Okafor, ROSAF")
    d.findings.setPlainText("Shelter at capacity; case files in order.")
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(view.visits.rows) == 1, timeout=10000)
    select_row(view.visit_table, 0)
    click(qtbot, view.buttons["action"])
    d = view.dialog
    d.description.setText("Send the beneficiary register")
    set_date(d.due, TOMORROW)
    d.responsible.setText("admin")
    submit(qtbot, d)
    qtbot.waitUntil(lambda: len(view.actions.rows) == 1, timeout=10000)
    assert view.summary.text() == "1 visit · 1 open action"

    due = main_window.show_screen("due")
    qtbot.waitUntil(lambda: any(r.kind == "action" for r in due.rows), timeout=10000)
    (row,) = [r for r in due.rows if r.kind == "action"]
    assert row.subject == "Send the beneficiary register" and row.days_left == 1
    index = next(i for i in range(due.proxy.rowCount()) if due.proxy.index(i, 5).data() == row.subject)
    assert due.proxy.index(index, 1).data() == "due in 1 day"
    path = tmp_path / "due.ics"
    due.save_calendar(str(path))
    qtbot.waitUntil(path.exists, timeout=10000)
    events = {str(e["UID"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    assert events[f"action-{row.record_id}@trustfund-desk"].decoded("DTSTART") == TOMORROW

    dashboard = main_window.show_screen("dashboard")
    dashboard.reload()
    qtbot.waitUntil(lambda: any(i.kind == "action" for i in dashboard.due_panel.items), timeout=10000)
    assert "due in the next 30 days" in dashboard.due_panel.coming.text()

    # mark it done: it leaves the Due list
    view = main_window.show_screen("visits").view
    qtbot.waitUntil(lambda: len(view.actions.rows) == 1, timeout=10000)
    select_row(view.action_table, 0)
    click(qtbot, view.buttons["done"])
    qtbot.waitUntil(lambda: view.actions.rows and view.actions.rows[0].status == "done", timeout=10000)
    due = main_window.show_screen("due")
    qtbot.waitUntil(lambda: not any(r.kind == "action" for r in due.rows), timeout=10000)


def test_grant_tabs_and_documents_by_drop(qtbot, main_window, db, admin, tmp_path):
    from trustfund_app.core.services.visits import VisitService

    grant_id = approved_grant(db, admin, make_cycle(db, admin), start=date.today() - timedelta(days=60))
    VisitService(db, admin).record(grant_id, date.today(), "A. Visitor", "All well.")
    grants = main_window.show_screen("grants")
    qtbot.waitUntil(lambda: grants.data is not None, timeout=10000)
    grants.select_grant(grant_id)
    panel = grants.detail
    qtbot.waitUntil(lambda: panel.detail is not None, timeout=10000)
    records = panel.records
    assert panel.tabs.tabText(records.visits_index) == "Visits"
    qtbot.waitUntil(lambda: len(records.visits.visits.rows) == 1, timeout=10000)
    assert records.visits.visits.rows[0].visitors == "A. Visitor"

    panel.tabs.setCurrentIndex(records.documents_index)
    docs = records.documents
    source = tmp_path / "agreement.pdf"
    source.write_bytes(b"%PDF-1.4 signed agreement")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    event = QDropEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    docs.dropEvent(event)  # what Qt calls when files are dropped on the panel
    qtbot.waitUntil(lambda: len(docs.rows) == 1, timeout=10000)
    assert docs.rows[0].file_name == "agreement.pdf"
    select_row(docs.table, 0)
    assert docs.open_button.isEnabled()
    out = tmp_path / "exported.pdf"
    docs.export_selected(str(out))
    qtbot.waitUntil(out.exists, timeout=10000)
    assert out.read_bytes() == source.read_bytes()


def test_screens_in_arabic_and_chinese(qtbot, main_window, db, admin):
    from trustfund_app.core.services.visits import VisitService

    grant_id = approved_grant(db, admin, make_cycle(db, admin), start=date.today() - timedelta(days=60))
    visit = VisitService(db, admin).record(grant_id, date.today(), "A. Visitor", "All well.")
    VisitService(db, admin).add_action(visit, "Follow up", TOMORROW)
    for lang in ("ar", "zh"):
        main_window.ctx.apply_language(lang)
        assert main_window.layoutDirection() == (Qt.LayoutDirection.RightToLeft if lang == "ar"
                                                 else Qt.LayoutDirection.LeftToRight)
        due = main_window.show_screen("due")
        qtbot.waitUntil(lambda: any(r.kind == "action" for r in due.rows), timeout=10000)
        visits = main_window.show_screen("visits")
        qtbot.waitUntil(lambda: len(visits.view.visits.rows) == 1, timeout=10000)
    main_window.ctx.apply_language("en")


def test_pledge_write_off_requested_then_approved_by_finance(qtbot, main_window, db, admin, finance, eur_rates):
    from trustfund_app.core.services.base import Actor
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.write_offs import WriteOffService

    donor = DonorService(db, admin).create("Norway", "member_state", "NOR")
    ContributionService(db, admin).record_pledge(donor, date(2025, 3, 1), "1000", "EUR", reference="NOR-2025")
    screen = main_window.show_screen("contributions")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and screen.model.row_at(0) is not None, timeout=10000)
    screen.table.selectRow(0)
    click(qtbot, screen.write_off_button)
    d = screen.write_off
    d.reason.setText("Donor confirmed it will not pay")
    submit(qtbot, d)
    (row,) = WriteOffService(db, admin).list()
    assert row.status == "requested" and str(row.amount.amount) == "1000.00"

    click(qtbot, screen.write_offs_button)
    dialog = screen.write_offs
    qtbot.waitUntil(lambda: len(dialog.model.rows) == 1, timeout=10000)
    select_row(dialog.table, 0)
    assert not dialog.approve_button.isEnabled()  # the administrator is not the finance role
    dialog.close()
    main_window.ctx.actor = Actor("fiona", "finance")
    click(qtbot, screen.write_offs_button)
    dialog = screen.write_offs
    qtbot.waitUntil(lambda: len(dialog.model.rows) == 1, timeout=10000)
    select_row(dialog.table, 0)
    click(qtbot, dialog.approve_button)
    qtbot.waitUntil(lambda: dialog.model.rows[0].status == "approved", timeout=10000)
    assert dialog.model.rows[0].decided_by == "fiona"
