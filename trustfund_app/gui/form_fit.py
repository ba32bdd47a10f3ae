"""Forms and dialogs as a keyboard user and a small screen meet them.

``tab_chain``: the Tab key visits the fields in reading order (top to bottom, then along each row;
Qt mirrors the row in right-to-left languages), then the dialog's buttons — set explicitly with
``QWidget.setTabOrder`` rather than left to the order the widgets happened to be created in.

``prefer_width``: a dialog opens at a comfortable width, but never narrower than its content needs
in the current language (an explicit minimum width would clip a long Russian label)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QDialogButtonBox, QFormLayout, QGridLayout, QLayout, QPlainTextEdit, QTextEdit, QWidget,
)

from trustfund_app.gui.layout_items import parts


def tab_chain(*widgets: QWidget | None) -> list[QWidget]:
    """Tab from each widget to the next; ``None`` entries (optional fields) are skipped."""
    chain = [w for w in widgets if w is not None]
    for first, second in zip(chain, chain[1:]):
        QWidget.setTabOrder(first, second)
    return chain


def dialog_buttons(box: QDialogButtonBox) -> list[QAbstractButton]:
    """The box's buttons as they stand on screen (the platform decides whether OK comes first)."""
    lay = box.layout()
    placed = [parts(lay, i)[0] for i in range(lay.count())] if lay is not None else []
    ordered = [w for w in placed if isinstance(w, QAbstractButton) and w in box.buttons()]
    return ordered + [b for b in box.buttons() if b not in ordered]


def fields_in_layout_order(layout: QLayout) -> list[QWidget]:
    """The widgets that take focus by Tab, in the order the layout reads: form rows top to bottom
    (label, then field), grids row by row, boxes in order; buttons of a QDialogButtonBox last."""
    found: list[QWidget] = []

    def visit_widget(widget: QWidget) -> None:
        if isinstance(widget, QDialogButtonBox):
            return  # the buttons come after every field
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            if isinstance(widget, (QPlainTextEdit, QTextEdit)):
                widget.setTabChangesFocus(True)  # a note field: Tab goes on to the next field
            if isinstance(widget, QAbstractItemView):
                widget.setTabKeyNavigation(False)  # a table of lines: arrows move between cells, Tab leaves
            found.append(widget)
        elif widget.layout() is not None:
            visit_layout(widget.layout())

    def visit_item(found_parts) -> None:
        widget, child = found_parts
        if widget is not None:
            visit_widget(widget)
        elif child is not None:
            visit_layout(child)

    def visit_layout(lay: QLayout) -> None:
        if isinstance(lay, QFormLayout):
            for row in range(lay.rowCount()):
                for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole,
                             QFormLayout.ItemRole.SpanningRole):
                    visit_item(parts(lay, row, role))
        elif isinstance(lay, QGridLayout):
            cells = []
            for index in range(lay.count()):
                row, column, _rows, _columns = lay.getItemPosition(index)
                cells.append((row, column, index))
            for _row, _column, index in sorted(cells):
                visit_item(parts(lay, index))
        else:
            for index in range(lay.count()):
                visit_item(parts(lay, index))

    visit_layout(layout)
    return found


def chain_dialog(dialog: QWidget, buttons: QDialogButtonBox | None = None) -> list[QWidget]:
    """Set the dialog's tab order: its fields in layout (reading) order, then its OK / Save /
    Cancel buttons. Call it at the end of the dialog's constructor, once every row is in place."""
    if buttons is None:
        buttons = dialog.findChild(QDialogButtonBox)
    fields = fields_in_layout_order(dialog.layout())
    return tab_chain(*fields, *(dialog_buttons(buttons) if buttons is not None else ()))


def prefer_width(dialog: QWidget, width: int) -> None:
    """Open ``dialog`` ``width`` px wide, or wider when its content needs more in this language."""
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
    wide = max(width, dialog.minimumSizeHint().width())
    high = dialog.heightForWidth(wide) if dialog.hasHeightForWidth() else -1
    dialog.resize(wide, max(high, dialog.sizeHint().height()))
