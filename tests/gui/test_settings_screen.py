"""The Settings screen: administrators change fund settings (checked beside each field) and add
users; others see them read-only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from trustfund_app.core.services.settings import SettingsService
from trustfund_app.core.services.users import UserService
from trustfund_app.gui.settings_fields import FIELDS_BY_KEY, stored_value
from tests.actors import READER


def loaded(qtbot, screen):
    qtbot.waitUntil(lambda: bool(screen.stored) and screen.users.model.rowCount() > 0, timeout=30000)
    return screen


@pytest.fixture
def settings_screen(main_window, qtbot):
    return loaded(qtbot, main_window.show_screen("settings"))


def test_administrator_changes_the_psc_rate_and_limits(settings_screen, qtbot, db):
    screen = settings_screen
    assert screen.editors["psc_rate_percent"].text() == "13"
    screen.editors["psc_rate_percent"].setText("7.5")
    screen.editors["backups_keep"].setValue(25)
    screen.editors["import_max_bytes"].setValue(20)
    screen.save_button.click()
    qtbot.waitUntil(lambda: SettingsService(db, READER).get("psc_rate_percent") == "7.5", timeout=30000)
    qtbot.waitUntil(lambda: SettingsService(db, READER).get("import_max_bytes") == str(20 * 1024 * 1024), timeout=30000)
    assert SettingsService(db, READER).get("backups_keep") == "25"
    assert SettingsService(db, READER).psc_rate() == Decimal("7.5")


def test_wrong_values_are_shown_beside_their_field_and_nothing_is_saved(settings_screen, qtbot, db):
    screen = settings_screen
    screen.editors["psc_rate_percent"].setText("thirteen")
    screen.editors["fund_name"].setText("   ")
    screen.save_button.click()
    rate_error = screen.field_errors["psc_rate_percent"]
    assert not rate_error.isHidden() and "thirteen" in rate_error.text()
    assert not screen.field_errors["fund_name"].isHidden()
    assert screen.field_errors["office"].isHidden()
    assert SettingsService(db, READER).get("psc_rate_percent") == "13"
    assert SettingsService(db, READER).get("fund_name").startswith("United Nations Voluntary Trust Fund")


def test_rate_typed_the_french_way(main_window, qtbot):
    main_window.ctx.apply_language("fr")
    assert stored_value(FIELDS_BY_KEY["psc_rate_percent"], "7,5") == "7.5"
    assert stored_value(FIELDS_BY_KEY["psc_rate_percent"], "8 %") == "8"
    for wrong in ("101", "-1", "7.555"):
        with pytest.raises(Exception) as info:
            stored_value(FIELDS_BY_KEY["psc_rate_percent"], wrong)
        assert info.value.field == "psc_rate_percent"


def test_administrator_adds_a_user(settings_screen, qtbot, db):
    panel = settings_screen.users
    QAbstractItemModelTester(panel.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    panel.name.setText("nadia")
    panel.role.setCurrentIndex(panel.role.findData("programme"))
    panel.password.setText("long-secret")
    panel.confirm.setText("other")
    panel.add_button.click()
    assert not panel.errors["confirm"].isHidden()
    panel.confirm.setText("long-secret")
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=30000)
    users = {u["name"]: u["role"] for u in UserService(db, READER).list()}
    assert users["nadia"] == "programme"
    names = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    roles = [panel.proxy.index(r, 1).data() for r in range(panel.proxy.rowCount())]
    assert names == ["admin", "nadia"] and roles == ["Administrator", "Programme"]
    # a second user of that name is refused beside the name field
    panel.name.setText("nadia")
    panel.password.setText("long-secret")
    panel.confirm.setText("long-secret")
    panel.add_button.click()
    qtbot.waitUntil(lambda: not panel.errors["name"].isHidden(), timeout=30000)
    assert "nadia" in panel.errors["name"].text()


def test_finance_user_sees_settings_read_only(qtbot, db, admin, finance):
    from trustfund_app.gui.context import AppContext
    from trustfund_app.gui.screens.settings import SettingsScreen

    ctx = AppContext()
    ctx.db, ctx.actor = db, finance
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.activated()
    loaded(qtbot, screen)
    assert not screen.editors["psc_rate_percent"].isEnabled()
    assert screen.save_button.isHidden()
    assert screen.users.add_form.isHidden() and not screen.users.note.isHidden()
    assert screen.users.model.rowCount() == 2
    ctx.close()
