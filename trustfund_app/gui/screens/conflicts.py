"""Exchange and conflicts: where the exchange with each office stands (last package sent and
received, packages not yet acknowledged, missing packages, open conflicts) and the conflicts
waiting for a decision — both versions side by side, field by field; keep ours, keep theirs, or
edit the values. A resolution is an audited change that travels with the next package."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout, QInputDialog, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from trustfund_app.core.field_text import record_text
from trustfund_app.core.i18n import N_, _, format_date, format_number, ngettext
from trustfund_app.core.offices.conflicts import ConflictService
from trustfund_app.core.offices.service import ExchangeService
from trustfund_app.gui.grant_widgets import fit_columns, make_table, select_row, selected_row
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel



def _range(pair) -> str:
    return "—" if not pair else f"{format_number(pair[0])}–{format_number(pair[1])}"


def _when(value) -> str:
    return f"{format_date(value.date())} {value:%H:%M}" if value else "—"


STATUS_COLUMNS = (
    Column(N_("Office"), lambda r: r.code),
    Column(N_("Last sent (events)"), lambda r: r.last_sent or (), lambda r: _range(r.last_sent)),
    Column(N_("Sent on"), lambda r: r.last_sent_at, lambda r: _when(r.last_sent_at)),
    Column(N_("Last received (events)"), lambda r: r.last_received or (), lambda r: _range(r.last_received)),
    Column(N_("Received on"), lambda r: r.last_received_at, lambda r: _when(r.last_received_at)),
    Column(N_("Not acknowledged"), lambda r: r.unacknowledged, lambda r: format_number(r.unacknowledged), numeric=True),
    Column(N_("Missing"), lambda r: r.gaps, lambda r: ", ".join(_range(g) for g in r.gaps) or "—"),
    Column(N_("Open conflicts"), lambda r: r.open_conflicts, lambda r: format_number(r.open_conflicts), numeric=True),
)

class ShownConflict:
    """A conflict with the names of the records its values point to; labels and values are
    formatted when shown, in the language shown (``ConflictRow.shown``)."""

    def __init__(self, row, names: dict[str, str]):
        self.row, self.names = row, names

    def __getattr__(self, name):
        return getattr(self.row, name)

    def record(self) -> str:
        return record_text(self.row.entity, self.row.title(self.names))

    def lines(self) -> list[tuple[str, str, str, str]]:
        return self.row.shown(self.names)


CONFLICT_COLUMNS = (
    Column(N_("No."), lambda r: r.number, lambda r: format_number(r.number), numeric=True),
    Column(N_("From"), lambda r: r.peer),
    Column(N_("Record"), lambda r: r.record()),
    Column(N_("Fields"), lambda r: ", ".join(line[1] for line in r.lines())),
    Column(N_("Changed there by"), lambda r: r.their_user or ""),
    Column(N_("Arrived"), lambda r: r.arrived, lambda r: _when(r.arrived)),
)


def _typed(text: str, like):
    """What a person typed, in the type of the value it replaces (a stored yes/no stays a yes/no)."""
    text = text.strip()
    if not text:
        return None
    if isinstance(like, bool):
        return text.casefold() in {w.casefold() for w in ("1", "true", "yes", _("Yes"))}
    if isinstance(like, int):
        try:
            return int(text)
        except ValueError:
            return text  # refused by the service with its own message
    return text


class ConflictsScreen(Screen):
    watches = frozenset({"sync_package", "conflict", "office"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.status_label = QLabel()
        self.status_label.setStyleSheet("font-weight:bold;")
        self.status_model = RowsTableModel(STATUS_COLUMNS, self)
        self.status_table, _p = make_table(self.status_model, "exchange_status_table", self, 0, small=True)
        self.status_table.setMaximumHeight(150)
        self.exchange_button = QPushButton()
        self.exchange_button.setObjectName("exchange_open_dialog")
        self.exchange_button.clicked.connect(self._exchange)
        self.conflicts_label = QLabel()
        self.conflicts_label.setStyleSheet("font-weight:bold;")
        self.model = RowsTableModel(CONFLICT_COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "conflicts_table", self, 0)
        fit_columns(self.table, {0: 50, 1: 80, 2: 330, 3: 200, 4: 130})
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_versions())
        self.versions = QTableWidget(0, 3)
        self.versions.setObjectName("conflict_versions")
        self.versions.setMaximumHeight(170)
        self.versions.verticalHeader().hide()
        self.versions.horizontalHeader().setStretchLastSection(True)
        self.versions.setColumnWidth(0, 170)
        self.versions.setColumnWidth(1, 260)
        self.keep_ours = QPushButton()
        self.keep_ours.setObjectName("conflict_keep_ours")
        self.keep_ours.clicked.connect(lambda: self._resolve("ours"))
        self.keep_theirs = QPushButton()
        self.keep_theirs.setObjectName("conflict_keep_theirs")
        self.keep_theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.edit = QPushButton()
        self.edit.setObjectName("conflict_edit")
        self.edit.clicked.connect(self._edit)
        self.summary = QLabel()
        self.summary.setObjectName("conflicts_summary")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.exchange_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for b in (self.keep_ours, self.keep_theirs, self.edit):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.status_table)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.versions)
        layout.addLayout(buttons)
        self.rows = []
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Exchange and conflicts"))
        self.status_label.setText(_("Exchange with each office"))
        self.conflicts_label.setText(_("Conflicts waiting for a decision"))
        self.exchange_button.setText(_("Make or apply a package…"))
        self.keep_ours.setText(_("Keep ours"))
        self.keep_theirs.setText(_("Keep theirs"))
        self.edit.setText(_("Edit…"))
        self.versions.setHorizontalHeaderLabels([_("Field"), _("Ours"), _("Theirs")])
        self.status_model.retranslate()
        self.model.retranslate()
        self._show_summary()

    def reload(self) -> None:
        exchange, conflicts = self.ctx.service(ExchangeService), self.ctx.service(ConflictService)

        def read(_job):
            rows = conflicts.list()
            return exchange.status(), rows, conflicts.names(rows)

        self.run(read, self._show)

    def _show(self, data) -> None:
        status, rows, names = data
        rows = [ShownConflict(r, names) for r in rows]
        self.status_model.set_rows(status)
        self.rows = rows
        self.model.set_rows(rows)
        if rows:
            select_row(self.table, 0)
        self._show_summary()
        self._show_versions()

    def _show_summary(self) -> None:
        count = len(self.rows)
        self.summary.setText(ngettext("{count} conflict to resolve", "{count} conflicts to resolve", count)
                             .format(count=format_number(count)) if count else _("No conflicts."))

    def _show_versions(self) -> None:
        row = selected_row(self.table)
        lines = row.lines() if row else []
        self.versions.setRowCount(len(lines))
        for i, (_key, label, ours, theirs) in enumerate(lines):
            for col, text in enumerate((label, ours, theirs)):
                self.versions.setItem(i, col, QTableWidgetItem(text))
        for b in (self.keep_ours, self.keep_theirs, self.edit):
            b.setEnabled(row is not None)

    def _resolve(self, keep: str, values: dict | None = None) -> None:
        row = selected_row(self.table)
        if row is None:
            return
        service, number = self.ctx.service(ConflictService), row.number
        window = self.window()
        self.run(lambda _job: service.resolve(number, keep, None, values),
                 lambda done: window.show_message(_("Conflict {id} resolved.").format(id=done.number))
                 if hasattr(window, "show_message") else None)

    def _edit(self) -> None:
        row = selected_row(self.table)
        if row is None or not row.fields():
            return
        values = {}
        for field, label, ours, theirs in row.lines():
            current = (row.ours or {}).get(field)
            prompt = _("{field} (ours: {ours}; theirs: {theirs})").format(field=label, ours=ours, theirs=theirs)
            text, ok = QInputDialog.getText(self, _("Edit the values to keep"), prompt,
                                            text="" if current is None else str(current))
            if not ok:
                return
            values[field] = _typed(text, current)
        self._resolve("edit", values)

    def _exchange(self) -> None:
        from trustfund_app.gui.exchange_dialog import ExchangeDialog

        ExchangeDialog(self.ctx, self.window()).exec()
