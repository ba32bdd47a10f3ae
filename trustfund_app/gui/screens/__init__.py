"""The screens of the main window, in navigation order. Each lives in its own module and is
imported only when first shown (start-up stays fast)."""

from __future__ import annotations

from dataclasses import dataclass

from trustfund_app.core.i18n import N_


@dataclass(frozen=True)
class ScreenEntry:
    key: str
    label: str  # msgid, translated when shown
    module: str  # under trustfund_app.gui.screens
    cls: str


SCREENS = (
    ScreenEntry("dashboard", N_("Dashboard"), "dashboard", "DashboardScreen"),
    ScreenEntry("my_work", N_("My work"), "my_work", "MyWorkScreen"),
    ScreenEntry("donors", N_("Donors"), "donors", "DonorsScreen"),
    ScreenEntry("contributions", N_("Contributions"), "contributions", "ContributionsScreen"),
    ScreenEntry("outstanding", N_("Outstanding pledges"), "outstanding", "OutstandingScreen"),
    ScreenEntry("rates", N_("Exchange rates"), "rates", "RatesScreen"),
    ScreenEntry("grants", N_("Grants"), "grants", "GrantsScreen"),
    ScreenEntry("cycles", N_("Grant cycles"), "cycles", "CyclesScreen"),
    ScreenEntry("grantees", N_("Grantees"), "grantees", "GranteesScreen"),
    ScreenEntry("overdue", N_("Overdue reports"), "overdue", "OverdueScreen"),
    ScreenEntry("due", N_("Due and overdue"), "due", "DueScreen"),
    ScreenEntry("visits", N_("Monitoring visits"), "visits", "VisitsScreen"),
    ScreenEntry("reports", N_("Reports"), "reports", "ReportsScreen"),
    ScreenEntry("import", N_("Import"), "import_wizard", "ImportScreen"),
    ScreenEntry("conflicts", N_("Exchange and conflicts"), "conflicts", "ConflictsScreen"),
    ScreenEntry("settings", N_("Settings"), "settings", "SettingsScreen"),
)
