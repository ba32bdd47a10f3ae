"""A record's history from the audit trail: who changed what, when, from which value to which."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout

from trustfund_app.core.i18n import N_, _, format_date
from trustfund_app.gui.form_fit import dialog_buttons, tab_chain
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.table_model import Column, RowsTableModel

ACTION_LABELS = {"insert": N_("created"), "update": N_("changed"), "delete": N_("deleted"), "import": N_("imported"),
                 "reversed": N_("reversed")}


def _when(line) -> str:
    return f"{format_date(line.at.date())} {line.at.strftime('%H:%M')}"


COLUMNS = (
    Column(N_("When (UTC)"), lambda e: e.at, _when),
    Column(N_("User"), lambda e: e.user),
    Column(N_("Action"), lambda e: e.action, lambda e: _(ACTION_LABELS.get(e.action, e.action))),
    Column(N_("Changes"), lambda e: e.changes),
    Column(N_("Reason"), lambda e: e.reason),
)


class HistoryDialog(QDialog):
    def __init__(self, ctx, entity: str, entity_id: str, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("History of {record}").format(record=title))
        self.resize(860, 420)
        self.model = RowsTableModel(COLUMNS, self)
        self.table = QTableView(objectName="history_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few rows
        self.table.setWordWrap(True)
        for column, width in enumerate((150, 90, 80, 340)):
            self.table.setColumnWidth(column, width)
        note = QLabel(_("From the audit trail, which cannot be changed or deleted."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        tab_chain(self.table, *dialog_buttons(buttons))
        lang = ctx.language

        def work(_job):
            from trustfund_app.core.services.history import HistoryService

            return ctx.service(HistoryService).lines(entity, entity_id, lang)

        start_job(work, on_done=self.model.set_rows)
