"""A windowed table model over the contributions list: it knows how many rows the filter matches
and fetches pages of them in background jobs as they scroll into view. Sorting is done by SQL."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from trustfund_app.core.i18n import N_, _, format_amount, format_date, format_rate
from trustfund_app.core.models import KIND_LABELS
from trustfund_app.core.services.contribution_queries import STATUS_LABELS, ContributionFilter
from trustfund_app.gui.bidi_text import isolate
from trustfund_app.gui.table_model import wrap_header
from trustfund_app.gui.jobs import start_job

PAGE = 200
# (header msgid, sort key in SQL)
COLUMNS = (
    (N_("Date"), "date"), (N_("Receipt no."), "receipt"), (N_("Donor"), "donor"), (N_("Kind"), "kind"),
    (N_("Currency"), "currency"), (N_("Amount"), "amount"), (N_("Rate per USD"), "rate"), (N_("USD equivalent"), "usd"),
    (N_("Status"), "status"), (N_("Reference"), "reference"), (N_("Earmark"), None),
)
NUMERIC = {5, 6, 7}
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class ContributionsModel(QAbstractTableModel):
    loaded = Signal(object)  # ContributionSummary, after each (re)load
    failed = Signal(object)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.filter = ContributionFilter()
        self.sort_key, self.descending = "date", True
        self.total = 0
        self.pages: dict[int, list] = {}
        self._requested: set[int] = set()
        self._generation = 0  # results of an older query are dropped

    # -- loading ---------------------------------------------------------------------------
    def reload(self, flt: ContributionFilter | None = None) -> None:
        if flt is not None:
            self.filter = flt
        self._generation += 1
        generation, db, flt, key, desc = self._generation, self.db, self.filter, self.sort_key, self.descending

        def work(_job):
            from trustfund_app.core.services.contribution_queries import list_page, summary

            with db.reading() as s:
                return summary(s, flt), list_page(s, flt, key, desc, 0, PAGE)

        start_job(work, on_done=lambda result: self._reset(generation, *result), on_error=self.failed.emit)

    def clear(self) -> None:
        """No rows, and the results of queries still running are dropped."""
        self._generation += 1
        self.beginResetModel()
        self.total, self.pages, self._requested = 0, {}, set()
        self.endResetModel()

    def _reset(self, generation: int, summary, first_page) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self.total = summary.count
        self.pages = {0: first_page}
        self._requested = {0}
        self.endResetModel()
        self.loaded.emit(summary)

    def _fetch(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        generation, db, flt, key, desc = self._generation, self.db, self.filter, self.sort_key, self.descending

        def work(_job):
            from trustfund_app.core.services.contribution_queries import list_page

            with db.reading() as s:
                return list_page(s, flt, key, desc, page * PAGE, PAGE)

        start_job(work, on_done=lambda rows: self._page_arrived(generation, page, rows), on_error=self.failed.emit)

    def _page_arrived(self, generation: int, page: int, rows: list) -> None:
        if generation != self._generation:
            return
        self.pages[page] = rows
        first = page * PAGE
        last = min(first + len(rows), self.total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def row_at(self, row: int):
        page = self.pages.get(row // PAGE)
        if page is None or row % PAGE >= len(page):
            return None
        return page[row % PAGE]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.total:
            self.dataChanged.emit(self.index(0, 0), self.index(self.total - 1, len(COLUMNS) - 1))

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < self.total):
            return None
        row = self.row_at(index.row())
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._fetch(index.row() // PAGE)
                return "…"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, index.column())
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and (row.reversed or row.is_reversal):
            from PySide6.QtGui import QColor

            return QColor("#8a8a8a")
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return wrap_header(_(COLUMNS[section][0]))
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    def set_filter(self, **changes) -> None:
        self.reload(replace(self.filter, **changes))


def _display(row, column: int) -> str:
    if column == 0:
        return format_date(row.date)
    if column == 1:
        return row.receipt_number or ""
    if column == 2:
        return isolate(row.donor)
    if column == 3:
        kind = _(KIND_LABELS.get(row.kind, row.kind))
        return _("{kind} (reversal)").format(kind=kind) if row.is_reversal else kind
    if column == 4:
        return row.currency
    if column == 5:
        return format_amount(row.amount, row.currency)
    if column == 6:
        return format_rate(row.rate)
    if column == 7:
        return format_amount(row.usd, "USD")
    if column == 8:
        if row.reversed and not row.is_reversal:
            return _("Reversed")
        return _(STATUS_LABELS[row.status]) if row.status else ""
    if column == 9:
        return isolate(row.reference)
    return isolate(row.earmark)
