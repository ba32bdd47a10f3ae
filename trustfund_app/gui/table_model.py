"""A read-only table model over a list of plain rows (dataclasses, dicts or tuples), described by
columns. Screens share it instead of each writing its own; sorting and filtering go through a
QSortFilterProxyModel (or SQL for very large lists)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from trustfund_app.core.i18n import _, is_rtl
from trustfund_app.gui.bidi_text import isolate

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    header: str  # msgid, translated when shown
    value: Callable[[Any], Any]  # the raw value (used for sorting and export)
    display: Callable[[Any], str] | None = None  # text shown; default str(value)
    numeric: bool = False  # right-aligned (left in right-to-left layouts, by Qt)
    context: str | None = None  # msgctxt for ambiguous headers (e.g. "Balance")


_DIGITS = re.compile(r"\d+")


def wrap_header(text: str, longest: int = 16) -> str:
    """A long header on two lines, broken at the space nearest its middle: columns then need the
    width of half the header, not all of it ("Intergovernmental / organization")."""
    if len(text) <= longest or " " not in text:
        return text
    middle = len(text) / 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1:]


def isolate_latin(text: str) -> str:
    """``text`` as its own bidi run (U+2068…U+2069) when the interface is right-to-left and the text
    has left-to-right letters; unchanged otherwise."""
    if text and is_rtl() and any(unicodedata.bidirectional(ch) == "L" for ch in text):
        return isolate(text)
    return text


def natural_key(text: str) -> str:
    """Text whose numbers sort by value: "C2" before "C10" (agreement and application numbers)."""
    return _DIGITS.sub(lambda m: m.group().rjust(12, "0"), text.casefold())


def sort_key(value):
    """A QVariant-friendly key: Decimals become exact scaled integers (never floats); text sorts
    naturally (numbers inside it by value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value.scaleb(6))
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return natural_key(value)
    return str(value)  # dates sort correctly as ISO text


class RowsTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        # headers one word per line: a wide table of figures (the dashboard's) needs columns only
        # as wide as their longest word, not their whole header
        self.word_per_line = False

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def retranslate(self) -> None:
        """Headers and formatted cells follow the language."""
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(row)
            text = column.display(row) if column.display is not None else ("" if value is None else str(value))
            # a Latin name in a right-to-left cell keeps its own order ("Anti-Trafficking Bosnia…")
            return isolate_latin(text) if not column.numeric else text
        if role == Qt.ItemDataRole.ToolTipRole and not column.numeric:
            # the whole text of a cell a narrow column shows shortened
            text = column.display(row) if column.display is not None else column.value(row)
            return None if text is None else str(text)
        if role == SORT_ROLE:
            value = column.value(row)
            return sort_key(value)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            from trustfund_app.core.i18n import pgettext

            text = pgettext(column.context, column.header) if column.context else _(column.header)
            return "\n".join(text.split()) if self.word_per_line else wrap_header(text)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None
