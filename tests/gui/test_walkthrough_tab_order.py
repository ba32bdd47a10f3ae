"""Issue 19, point 20: every form and dialog can be filled from the keyboard alone. Tab visits the
fields in the order one reads them on screen — top to bottom, and along a row left to right (right
to left in Arabic, where Qt mirrors the layout) — and reaches the OK / Save button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialogButtonBox, QPushButton, QWidget

from tests.gui.dialog_catalog import FORMS


def tab_stops(dialog: QWidget) -> list[QWidget]:
    """What Tab can stop on: shown, enabled widgets taking focus by Tab (not the editor inside a
    spin box or combo box, which stands for its parent)."""
    stops = []
    for widget in dialog.findChildren(QWidget):
        if not (widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if widget.parentWidget() is not None and widget.parentWidget().focusProxy() is widget:
            continue  # a line edit that a combo box or date edit forwards to
        if widget.focusProxy() is not None:
            continue
        stops.append(widget)
    # a scroll area holding the form is not a field of it
    return [w for w in stops if not any(w is not o and w.isAncestorOf(o) for o in stops)]


def reading_order(dialog: QWidget, widgets: list[QWidget]) -> list[QWidget]:
    """Rows from top to bottom (widgets whose middles lie within a row's first widget share its row),
    each row in the reading direction of the language."""
    rtl = dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    placed = [(w.mapTo(dialog, w.rect().topLeft()), w) for w in widgets]
    placed.sort(key=lambda p: (p[0].y(), p[0].x()))
    rows: list[list] = []
    for top_left, widget in placed:
        middle = top_left.y() + widget.height() // 2
        if rows and rows[-1][0][0].y() <= middle < rows[-1][0][0].y() + rows[-1][0][1].height():
            rows[-1].append((top_left, widget))
        else:
            rows.append([(top_left, widget)])
    ordered = []
    for row in rows:
        row.sort(key=lambda p: -(p[0].x() + p[1].width()) if rtl else p[0].x())
        ordered.extend(w for _p, w in row)
    return ordered


def accept_button(dialog: QWidget):
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) in (QDialogButtonBox.ButtonRole.AcceptRole,
                                          QDialogButtonBox.ButtonRole.ApplyRole) and button.isVisible():
                return button
    return None


def tab_through(qtbot, dialog: QWidget, stops: list[QWidget]) -> list[QWidget]:
    """Press Tab from the first stop until the focus comes back to it. A date edit takes one Tab per
    section (day, month, year) before it lets the focus go, as Qt's date edits do."""
    stops[0].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    visited = []
    for _ in range(4 * len(stops) + 4):
        focus = QApplication.focusWidget()
        while focus is not None and focus not in stops:
            focus = focus.parentWidget()
        if focus is None or (len(visited) > 1 and focus is visited[0]):
            break
        if not visited or visited[-1] is not focus:
            visited.append(focus)
        # an editable table keeps Tab for its cells; Ctrl+Tab leaves it, as for any such widget
        tabbing_table = isinstance(focus, QAbstractItemView) and focus.tabKeyNavigation()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab,
                       Qt.KeyboardModifier.ControlModifier if tabbing_table else Qt.KeyboardModifier.NoModifier)
    return visited


def name_of(widget: QWidget) -> str:
    return widget.objectName() or getattr(widget, "text", lambda: "")() or type(widget).__name__


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_tab_visits_the_fields_in_reading_order_and_reaches_ok(qtbot, main_window, form, lang):
    main_window.ctx.apply_language(lang)
    dialog = FORMS[form](main_window.ctx, main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    stops = reading_order(dialog, tab_stops(dialog))
    assert len(stops) >= 2, form
    visited = tab_through(qtbot, dialog, stops)
    assert [name_of(w) for w in visited] == [name_of(w) for w in stops]
    ok = accept_button(dialog)
    if ok is None:  # a dialog of action buttons (Welcome): Tab ends on the last of them
        assert isinstance(visited[-1], QPushButton), form
    else:
        assert ok in visited or not ok.isEnabled(), form
    dialog.reject()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_settings_form_tabs_in_reading_order_to_its_save_button(qtbot, main_window, lang):
    main_window.ctx.apply_language(lang)
    screen = main_window.show_screen("settings")
    qtbot.waitUntil(lambda: bool(screen.stored), timeout=10000)
    # the language and the fund's settings, one column (the users panel beside its list follows)
    stops = reading_order(screen, [w for w in tab_stops(screen) if not screen.users.isAncestorOf(w)])
    visited = tab_through(qtbot, screen, stops)
    assert [name_of(w) for w in visited] == [name_of(w) for w in stops]
    assert visited[-1] is screen.save_button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert screen.users.isAncestorOf(QApplication.focusWidget())  # and on to the users
