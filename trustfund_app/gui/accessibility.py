"""Accessible names for screen readers: every input gets the name of the label that shows it (a form
row's label, a group box's title) or, failing that, its placeholder or tooltip. Screens and dialogs
set names where they know better (``setAccessibleName``); this fills in the rest whenever a screen
or dialog is shown and after a language switch."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox, QDialog, QFormLayout, QGroupBox, QLabel,
    QLineEdit, QPlainTextEdit, QTabWidget, QTextEdit, QWidget,
)

from trustfund_app.gui.layout_items import parts

NAMED_TYPES = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QTextEdit,
               QAbstractButton, QTabWidget)
_AUTO = "tf_auto_accessible_name"  # names given here are renewed after a language switch
_NAMED = "tf_controls_named"


def _form_label(widget: QWidget) -> str:
    """The label of the form row holding ``widget`` (directly or in the row's own layout)."""
    parent = widget.parentWidget()
    while parent is not None:
        layouts = [parent.layout()] if parent.layout() else []
        while layouts:
            layout = layouts.pop()
            if isinstance(layout, QFormLayout):
                for row in range(layout.rowCount()):
                    label, _label_layout = parts(layout, row, QFormLayout.ItemRole.LabelRole)
                    field = parts(layout, row, QFormLayout.ItemRole.FieldRole)
                    if label is not None and field != (None, None) and _holds(*field, widget):
                        text = label.text() if isinstance(label, QLabel) else ""
                        if text:
                            return text.replace("&", "")
            for i in range(layout.count()):
                _child_widget, child = parts(layout, i)
                if child is not None:
                    layouts.append(child)
        if isinstance(parent, (QDialog,)) or parent.isWindow():
            break
        parent = parent.parentWidget()
    return ""


def _holds(item_widget, item_layout, widget: QWidget) -> bool:
    if item_widget is not None:
        return item_widget is widget or item_widget.isAncestorOf(widget)
    if item_layout is None:
        return False
    return any(_holds(*parts(item_layout, i), widget) for i in range(item_layout.count()))


def _label_before(widget: QWidget) -> str:
    """The text of a label just before the widget in its row ("As of" [date])."""
    parent = widget.parentWidget()
    layouts = [parent.layout()] if parent is not None and parent.layout() else []
    while layouts:
        layout = layouts.pop()
        items = [parts(layout, i) for i in range(layout.count())]
        for (before, _before_layout), (item, _item_layout) in zip(items, items[1:]):
            if item is widget and before is not None and isinstance(before, QLabel):
                return before.text().replace("&", "")
        layouts.extend(child for _widget, child in items if child is not None)
    return ""


def _group_title(widget: QWidget) -> str:
    """The enclosing group box's title, tab's text, or screen's title (tables, lists)."""
    child, parent = widget, widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QGroupBox) and parent.title():
            return parent.title().replace("&", "")
        if isinstance(parent, QTabWidget):
            for index in range(parent.count()):
                if parent.widget(index).isAncestorOf(widget):
                    return parent.tabText(index).replace("&", "")
        title = getattr(parent, "title", None)
        if isinstance(title, QLabel) and title.text():
            return title.text()
        child, parent = parent, parent.parentWidget()
    return ""


def derived_name(widget: QWidget, fallback: str = "") -> str:
    if isinstance(widget, QAbstractButton) and widget.text():
        return widget.text().replace("&", "")
    name = _form_label(widget) or _label_before(widget)
    if not name and isinstance(widget, (QLineEdit,)) and widget.placeholderText():
        name = widget.placeholderText()
    if not name and isinstance(widget, QComboBox) and widget.isEditable() and widget.lineEdit().placeholderText():
        name = widget.lineEdit().placeholderText()
    return name or widget.toolTip() or _group_title(widget) or fallback


def name_controls(root: QWidget, fallback: str = "") -> None:
    """``fallback``: the name of the screen, for a control nothing else names (its main table)."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, NAMED_TYPES):
            continue
        if widget.accessibleName() and not widget.property(_AUTO):
            continue  # named by its screen
        name = derived_name(widget, fallback)
        if name:
            widget.setAccessibleName(name)
            widget.setProperty(_AUTO, True)


class DialogNamer(QObject):
    """Names the controls of each dialog when the focus first enters it (the application's
    focusChanged signal: no event filter on every event of the application)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        window = new.window() if new is not None else None
        if isinstance(window, QDialog) and not window.property(_NAMED):
            window.setProperty(_NAMED, True)
            name_controls(window)

