"""Issue 19, point 20: keyboard, screen readers (Qt's accessibility tree) and sidebar icons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from trustfund_app.gui.screens import SCREENS

INTERACTIVE = {
    QAccessible.Role.EditableText, QAccessible.Role.ComboBox, QAccessible.Role.SpinBox, QAccessible.Role.PushButton,
    QAccessible.Role.CheckBox, QAccessible.Role.RadioButton, QAccessible.Role.Table, QAccessible.Role.List,
    QAccessible.Role.PageTabList,
}


def unnamed_controls(widget) -> list[str]:
    """Walk Qt's accessibility tree under ``widget``: every visible interactive node needs a name."""
    found, stack = [], [QAccessible.queryAccessibleInterface(widget)]
    while stack:
        node = stack.pop()
        if node is None or not node.isValid():
            continue
        state = node.state()
        if node.role() in INTERACTIVE and not state.invisible and not node.text(QAccessible.Text.Name).strip():
            obj = node.object()
            found.append(f"{node.role().name} {obj.objectName() if obj is not None else '?'}")
        if node.role() not in (QAccessible.Role.Table, QAccessible.Role.List, QAccessible.Role.ComboBox):
            stack.extend(node.child(i) for i in range(node.childCount()))
    return found


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_control_of_every_screen_has_an_accessible_name(qtbot, main_window, lang):
    main_window.ctx.apply_language(lang)
    problems = {}
    for entry in SCREENS:
        screen = main_window.show_screen(entry.key)
        qtbot.wait(30)
        missing = unnamed_controls(screen)
        if missing:
            problems[entry.key] = missing
    assert not problems, problems


def test_dialogs_get_names_too(qtbot, main_window):
    screen = main_window.show_screen("donors")
    screen.new_donor()
    form = screen.form
    qtbot.waitUntil(form.isVisible, timeout=5000)
    form.inputs["name"].setFocus()
    qtbot.waitUntil(lambda: form.inputs["phone"].accessibleName() == "Telephone", timeout=5000)
    assert not unnamed_controls(form)


def test_sidebar_shortcuts_icons_and_escape(qtbot, main_window):
    for row, entry in enumerate(SCREENS[:10]):
        assert not main_window.nav.item(row).icon().isNull(), entry.key
        qtbot.keyClick(main_window, str((row + 1) % 10), Qt.KeyboardModifier.ControlModifier)
        assert main_window.current_entry().key == entry.key
    screen = main_window.show_screen("donors")
    screen.new_donor()
    qtbot.waitUntil(screen.form.isVisible, timeout=5000)
    qtbot.keyClick(screen.form, Qt.Key.Key_Escape)
    assert not screen.form.isVisible()


def test_login_takes_the_password_when_the_name_is_filled(qtbot):
    from trustfund_app.gui.login import LoginDialog

    dialog = LoginDialog(None, lambda *a: None, demo=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.user.text() == "admin" and dialog.focusWidget() is dialog.password
