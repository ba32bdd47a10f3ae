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


def test_every_navigation_entry_opens_its_own_screen_in_the_stack(qtbot, main_window):
    import importlib

    from trustfund_app.gui.screens import SCREENS

    assert main_window.nav.count() == len(SCREENS)
    shown = []
    for row, entry in enumerate(SCREENS):
        main_window.nav.setCurrentRow(row)
        widget = main_window.stack.currentWidget()
        expected = getattr(importlib.import_module(f"trustfund_app.gui.screens.{entry.module}"), entry.cls)
        assert type(widget) is expected, entry.key
        assert main_window.screens[entry.key] is widget
        shown.append(widget)
    assert len(set(map(id, shown))) == len(SCREENS)  # one screen each, none shared or replaced
