"""Deadlines in one place: grantee reports, instalments, follow-up actions and pledge payments
overdue or due in the next N days; "only mine"; saved as an iCalendar file for Outlook or
Thunderbird; a row opens its grant or donor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout

from trustfund_app.core.i18n import N_, _, format_number, ngettext
from trustfund_app.core.services.due import DueService, calendar_bytes
from trustfund_app.gui.grant_widgets import date_cell, date_edit, fit_columns, make_table, money_cell, selected_row
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel


def when_text(days_left: int) -> str:
    if days_left < 0:
        return ngettext("{days} day overdue", "{days} days overdue", -days_left).format(days=format_number(-days_left))
    if days_left > 0:
        return ngettext("due in {days} day", "due in {days} days", days_left).format(days=format_number(days_left))
    return _("due today")


COLUMNS = (
    Column(N_("Due on"), lambda i: i.due_date, lambda i: date_cell(i.due_date)),
    Column(N_("When"), lambda i: i.days_left, lambda i: when_text(i.days_left)),
    Column(N_("What"), lambda i: i.kind, lambda i: i.kind_label),
    Column(N_("Reference"), lambda i: i.reference),
    Column(N_("Grantee or donor"), lambda i: i.party),
    Column(N_("Subject"), lambda i: i.subject),
    Column(N_("Amount"), lambda i: i.amount.amount if i.amount else None, lambda i: money_cell(i.amount), numeric=True),
    Column(N_("Responsible"), lambda i: i.responsible or ""),
)
OVERDUE_BRUSH = QBrush(QColor("#b00020"))


class DueModel(RowsTableModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == 1:
            return OVERDUE_BRUSH if self.rows[index.row()].overdue else None
        return super().data(index, role)


class DueScreen(Screen):
    watches = frozenset({"grant", "visit", "contribution", "write_off"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.rows = []
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.days_label, self.as_of_label = QLabel(), QLabel()
        self.days = QSpinBox(objectName="due_days")
        self.days.setRange(0, 366)
        self.days.setValue(30)
        self.days.valueChanged.connect(lambda _v: self.reload())
        self.as_of = date_edit(date.today(), "due_as_of")
        self.as_of.dateChanged.connect(lambda _d: self.reload())
        self.mine = QCheckBox(objectName="due_mine")
        self.mine.toggled.connect(lambda _c: self.reload())
        self.model = DueModel(COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "due_table", self, 0)
        fit_columns(self.table, {0: 100, 1: 130, 2: 120, 3: 110, 4: 170, 5: 230, 6: 110})
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.summary = QLabel(objectName="due_summary")
        self.open_button = QPushButton(objectName="due_open")
        self.open_button.clicked.connect(self.open_selected)
        self.ics_button = QPushButton(objectName="due_ics")
        self.ics_button.clicked.connect(lambda: self.save_calendar())
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.mine)
        top.addWidget(self.days_label)
        top.addWidget(self.days)
        top.addWidget(self.as_of_label)
        top.addWidget(self.as_of)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.ics_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Due and overdue"))
        self.days_label.setText(_("Next days"))
        self.as_of_label.setText(_("As of"))
        self.mine.setText(_("Only mine"))
        self.mine.setToolTip(_("What is assigned to you, and the deadlines your role works on"))
        self.open_button.setText(_("Open"))
        self.ics_button.setText(_("Save as calendar (.ics)…"))
        self.model.retranslate()
        self._show_summary()

    def reload(self) -> None:
        service = self.ctx.service(DueService)
        at, days, mine = self.as_of.date().toPython(), self.days.value(), self.mine.isChecked()
        self.run(lambda _job: service.items(at, days, mine), self._loaded)

    def _loaded(self, rows) -> None:
        self.rows = rows
        self.model.set_rows(rows)
        self._show_summary()

    def _show_summary(self) -> None:
        overdue = sum(1 for r in self.rows if r.overdue)
        coming = len(self.rows) - overdue
        self.summary.setText(
            ngettext("{count} overdue", "{count} overdue", overdue).format(count=format_number(overdue)) + " · " +
            ngettext("{count} due soon", "{count} due soon", coming).format(count=format_number(coming)))
        self.ics_button.setEnabled(bool(self.rows))
        self.open_button.setEnabled(bool(self.rows))

    def save_calendar(self, path: str | None = None):
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save as calendar"), "trustfund-due.ics",
                                                        _("Calendar") + " (*.ics)")
            if not path:
                return None
        rows = list(self.rows)

        def work(_job):
            target = Path(path)
            tmp = target.with_name(target.name + ".part")
            tmp.write_bytes(calendar_bytes(rows))
            tmp.replace(target)
            return target

        window = self.window()
        return self.run(work, lambda p: window.show_message(_("Calendar written to {file}.").format(file=p))
                        if hasattr(window, "show_message") else None)

    def open_selected(self) -> None:
        row = selected_row(self.table)
        window = self.window()
        if not row or not hasattr(window, "show_screen"):
            return
        if row.grant_id:
            screen = window.show_screen("grants")
            screen.pending_select = row.grant_id
            if screen.data is not None:
                screen.select_grant(row.grant_id)
        elif row.donor_id:
            window.show_screen("outstanding")
