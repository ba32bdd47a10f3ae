"""Issue 19, point 3: what waits for me — payments to approve, reports to review — on its own
screen, counted in the sidebar and on the dashboard."""

from __future__ import annotations

from datetime import date

from tests.core.grants_setup import approved_grant, interim, make_cycle, two_instalments
from trustfund_app.core.services.grants import InstalmentService, ReportService
from trustfund_app.core.services.work_queue import WorkQueueService


def _waiting(db, admin, finance):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund)
    first, _second = two_instalments(db, admin, grant)
    InstalmentService(db, admin).prepare(first)
    ReportService(db, admin).receive(interim(db, grant), date(2026, 11, 2))
    return grant


def test_the_queue_holds_what_this_user_may_act_on(db, admin, finance):
    _waiting(db, admin, finance)
    mine = WorkQueueService(db, finance).mine()
    assert [p.prepared_by for p in mine.payments] == ["admin"] and mine.reports == []  # finance reviews no reports
    own = WorkQueueService(db, admin).mine()
    assert own.payments == []  # never one's own preparation: four eyes
    assert [r.kind for r in own.reports] == ["interim"] and own.count == 1


def test_my_work_screen_sidebar_and_dashboard_count(qtbot, main_window, db, admin, finance):
    grant = _waiting(db, admin, finance)
    main_window.refresh_work_count()
    qtbot.waitUntil(lambda: main_window.work_count == 1, timeout=10000)
    labels = [main_window.nav.item(r).text() for r in range(main_window.nav.count())]
    assert "My work (1)" in labels
    dashboard = main_window.show_screen("dashboard")
    assert dashboard.work.isVisibleTo(main_window) and "1 item waits for you." in dashboard.work.text()
    screen = main_window.show_screen("my_work")
    qtbot.waitUntil(lambda: screen.report_model.rowCount() == 1, timeout=10000)
    assert screen.summary.text() == "1 item waits for you."
    assert screen.report_model.index(0, 4).data() == "Nov 15, 2026" or screen.report_model.index(0, 0).data() == "Nov 2, 2026"
    screen.reports.selectRow(0)
    screen.open_grant(screen.reports)
    grants = main_window.screens["grants"]
    qtbot.waitUntil(lambda: grants.detail.grant_id == grant, timeout=10000)
