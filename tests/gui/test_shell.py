from datetime import date
from decimal import Decimal

from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService


def test_dashboard_shows_the_live_fund_position(qtbot, main_window, db, admin, eur_rates):
    donor = DonorService(db, admin).create("Norway", "member_state", "NO", "en")
    ContributionService(db, admin).record_payment(donor, date(2026, 3, 2), Decimal("920000"), "EUR")
    dashboard = main_window.show_screen("dashboard")
    received = dashboard.values["received"]
    # 920,000 EUR at 0.92 per USD = 1,000,000.00 USD; the screen refreshes from the change report
    qtbot.waitUntil(lambda: received.text() == "$1,000,000.00", timeout=10000)
    assert dashboard.values["available"].text() == "$1,000,000.00"
    assert "TrustFund Desk" in main_window.windowTitle()


def test_a_screen_missing_from_this_build_says_so(qtbot, main_window):
    from trustfund_app.gui.screens.base import EmptyScreen

    main_window.ctx.actor  # logged in
    for row in range(main_window.nav.count()):
        main_window.nav.setCurrentRow(row)
        widget = main_window.stack.currentWidget()
        if isinstance(widget, EmptyScreen):
            assert "not available" in widget._text.text()
