"""The dashboard's deadlines panel: how many things are overdue and due in the next 30 days, and
the first of them; "All deadlines…" opens the Due screen."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout

from trustfund_app.core.i18n import N_, _, format_number, ngettext
from trustfund_app.core.services.due import DueService
from trustfund_app.gui.grant_widgets import date_cell, make_table
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.screens.due import DueModel, when_text
from trustfund_app.gui.table_model import Column

PANEL_DAYS = 30
SHOWN = 8
COLUMNS = (
    Column(N_("Due on"), lambda i: i.due_date, lambda i: date_cell(i.due_date)),
    Column(N_("When"), lambda i: i.days_left, lambda i: when_text(i.days_left)),
    Column(N_("What"), lambda i: i.kind, lambda i: i.kind_label),
    Column(N_("Reference"), lambda i: i.reference),
)


class DuePanel(QGroupBox):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.items = []
        self.setObjectName("dashboard_due")
        self.overdue = QLabel(objectName="dashboard_due_overdue")
        self.overdue.setStyleSheet("color:#b00020;font-weight:bold;")
        self.coming = QLabel(objectName="dashboard_due_coming")
        self.coming.setWordWrap(True)  # "0 attendu dans les 30 prochains jours" beside a button
        self.model = DueModel(COLUMNS, self)
        self.table, _p = make_table(self.model, "dashboard_due_table", self, 0, small=True)
        self.table.setSortingEnabled(False)
        self.table.setMinimumHeight(24 * 5)
        # beside the fund position the panel is narrow (French, Russian): "What" takes the room left
        # and shortens its text (whole in the tooltip) rather than pushing Reference out of view
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.model.word_per_line = True
        self.all_button = QPushButton(objectName="dashboard_due_all")
        self.all_button.clicked.connect(self._open_due)
        counts = QHBoxLayout()
        counts.addWidget(self.overdue)
        counts.addWidget(self.coming, 1)
        counts.addWidget(self.all_button)
        layout = QVBoxLayout(self)
        layout.addLayout(counts)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Deadlines"))
        self.all_button.setText(_("All deadlines…"))
        self.model.retranslate()
        self._show()

    def reload(self, at: date | None = None) -> None:
        if self.ctx.db is None or self.ctx.actor is None:
            return
        service = self.ctx.service(DueService)
        start_job(lambda _job: service.items(at or date.today(), PANEL_DAYS), on_done=self._loaded)

    def _loaded(self, items) -> None:
        self.items = items
        self.model.set_rows(items[:SHOWN])
        self._show()

    def _show(self) -> None:
        overdue = sum(1 for i in self.items if i.overdue)
        coming = len(self.items) - overdue
        self.overdue.setText(ngettext("{count} overdue", "{count} overdue", overdue).format(count=format_number(overdue)))
        self.coming.setText(ngettext("{count} due in the next 30 days", "{count} due in the next 30 days", coming)
                            .format(count=format_number(coming)))

    def _open_due(self) -> None:
        window = self.window()
        if hasattr(window, "show_screen"):
            window.show_screen("due")
