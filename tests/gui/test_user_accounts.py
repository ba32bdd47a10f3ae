"""Issue 15 point 13 (GUI) and 15: administrators disable, enable, change the role of and reset
the password of a user in Settings; everyone changes their own password; File ▸ Sign out / switch
user; only who may restore may back up."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from trustfund_app.core.services.users import UserService

GOOD = "Quiet-River-42"


def _settings(main_window, qtbot, rows=1):
    screen = main_window.show_screen("settings")
    qtbot.waitUntil(lambda: bool(screen.stored) and screen.users.model.rowCount() == rows, timeout=30000)
    return screen.users


def _select(panel, name):
    for row in range(panel.proxy.rowCount()):
        if panel.proxy.index(row, 0).data() == name:
            panel.table.selectionModel().select(panel.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                | QItemSelectionModel.SelectionFlag.Rows)
            return
    raise AssertionError(name)


def _status(panel, name):
    return {u["name"]: u for u in UserService(panel.ctx.db).list()}[name]


def test_administrator_disables_enables_changes_role_and_resets_a_password(main_window, qtbot, db, admin):
    UserService(db, admin).add("nadia", "finance", GOOD)
    panel = _settings(main_window, qtbot, rows=2)
    _select(panel, "admin")
    assert not panel.toggle_button.isEnabled()  # nobody disables themselves
    _select(panel, "nadia")
    assert panel.toggle_button.text() == "Disable"
    panel.toggle_button.click()
    qtbot.waitUntil(lambda: not _status(panel, "nadia")["active"], timeout=30000)
    qtbot.waitUntil(lambda: panel.proxy.index(1, 2).data() == "Disabled", timeout=30000)
    _select(panel, "nadia")
    assert panel.toggle_button.text() == "Enable"
    panel.toggle_button.click()
    qtbot.waitUntil(lambda: _status(panel, "nadia")["active"], timeout=30000)

    _select(panel, "nadia")
    panel.role_button.click()
    panel.dialog.role.setCurrentIndex(panel.dialog.role.findData("read-only"))
    panel.dialog.ok_button.click()
    qtbot.waitUntil(lambda: _status(panel, "nadia")["role"] == "read-only", timeout=30000)

    _select(panel, "nadia")
    panel.reset_button.click()
    dialog = panel.dialog
    dialog.new.setText("1234")
    dialog.repeat.setText("1234")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "at least 8" in dialog.error.text(), timeout=30000)
    assert dialog.isVisible()
    dialog.new.setText("Lilac-Window-88")
    dialog.repeat.setText("Lilac-Window-88")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30000)
    assert UserService(db).login("nadia", "Lilac-Window-88").role == "read-only"


def test_a_user_changes_their_own_password_with_the_current_one(main_window, qtbot, db):
    panel = _settings(main_window, qtbot)
    panel.own_button.click()
    dialog = panel.dialog
    dialog.current.setText("a-wrong-guess")
    dialog.new.setText("Orange-Canyon-21")
    dialog.repeat.setText("Orange-Canyon-21")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "current password" in dialog.error.text(), timeout=30000)
    dialog.current.setText(GOOD)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30000)
    assert UserService(db).login("admin", "Orange-Canyon-21").name == "admin"


def test_sign_out_and_switch_to_another_user(main_window, qtbot, db, admin):
    UserService(db).add("vera", "read-only", GOOD)
    main_window.show_screen("settings")
    assert main_window.sign_out_action.isEnabled() and main_window.backup_action.isEnabled()
    main_window.sign_out_action.trigger()
    assert main_window.ctx.actor is None and not main_window.nav.isEnabled() and not main_window.screens
    dialog = main_window.login_dialog
    dialog.user.setText("vera")
    dialog.password.setText(GOOD)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: main_window.ctx.actor is not None and main_window.nav.isEnabled(), timeout=30000)
    assert main_window.ctx.actor.name == "vera" and main_window.windowTitle().endswith("vera")
    # a read-only user may not back up: the copy would hold every password hash
    assert not main_window.backup_action.isEnabled()
    panel = _settings(main_window, qtbot, rows=2)
    assert panel.toggle_button.isHidden() and not panel.own_button.isHidden()
