"""Overdue reports: grantee reports not received after their due date, with the days overdue,
and the reminders view (also what falls due soon), with a reminder text ready to paste into an
e-mail to the grantee's contact."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout,
)

from trustfund_app.core.i18n import N_, _, format_number, ngettext, pN_
from trustfund_app.core.services.grants import ReportService
from trustfund_app.gui.grant_widgets import date_cell, date_edit, fit_columns, make_table, selected_row, select_row
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel


def _days(r) -> str:
    if r.days_overdue > 0:
        return format_number(r.days_overdue)
    if r.days_overdue < 0:
        return ngettext("due in {days} day", "due in {days} days", -r.days_overdue).format(days=format_number(-r.days_overdue))
    return _("due today")


COLUMNS = (
    Column(N_("Days overdue"), lambda r: r.days_overdue, _days, numeric=True),
    Column(pN_("date", "Due"), lambda r: r.due_date, lambda r: date_cell(r.due_date), context="date"),
    Column(N_("Agreement"), lambda r: r.reference),
    Column(N_("Grantee"), lambda r: r.grantee),
    Column(N_("Report"), lambda r: r.label),
    Column(N_("Contact"), lambda r: r.contact_person or ""),
    Column(N_("E-mail"), lambda r: r.email or ""),
)


class OverdueScreen(Screen):
    watches = frozenset({"grant"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.rows = []
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.as_of_label = QLabel()
        self.as_of = date_edit(date.today(), "overdue_as_of")
        self.as_of.dateChanged.connect(lambda _d: self.reload())
        self.within_label = QLabel()
        self.within = QSpinBox()
        self.within.setObjectName("overdue_within_days")
        self.within.setRange(0, 365)
        self.within.setValue(0)
        self.within.valueChanged.connect(lambda _v: self.reload())
        self.model = RowsTableModel(COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "overdue_table", self, 0,
                                            order=Qt.SortOrder.DescendingOrder)
        fit_columns(self.table, {0: 110, 1: 105, 2: 110, 3: 270, 4: 170, 5: 140})
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_reminder())
        self.summary = QLabel()
        self.summary.setObjectName("overdue_summary")
        self.reminder = QPlainTextEdit()
        self.reminder.setObjectName("overdue_reminder")
        self.reminder.setReadOnly(True)
        self.reminder.setMaximumHeight(110)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("overdue_copy")
        self.copy_button.clicked.connect(self._copy)
        self.open_grant_button = QPushButton()
        self.open_grant_button.setObjectName("overdue_open_grant")
        self.open_grant_button.clicked.connect(self._open_grant)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.within_label)
        top.addWidget(self.within)
        top.addWidget(self.as_of_label)
        top.addWidget(self.as_of)
        self.reminder_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.reminder_label, 1)
        buttons.addWidget(self.open_grant_button)
        buttons.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.reminder)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Overdue reports"))
        self.as_of_label.setText(_("As of"))
        self.within_label.setText(_("Also due within (days)"))
        self.reminder_label.setText(_("Reminder"))
        self.copy_button.setText(_("Copy reminder"))
        self.open_grant_button.setText(_("Open the grant"))
        self.model.retranslate()
        self._show_summary()
        self._show_reminder()

    def reload(self) -> None:
        service, at, within = self.ctx.service(ReportService), self.as_of.date().toPython(), self.within.value()
        self.run(lambda _job: service.reminders(at, within) if within else service.overdue(at), self._show_rows)

    def _show_rows(self, rows) -> None:
        self.rows = rows
        self.model.set_rows(rows)
        if rows:
            select_row(self.table, 0)
        self._show_summary()
        self._show_reminder()

    def _show_summary(self) -> None:
        overdue = [r for r in self.rows if r.days_overdue > 0]
        grants = {r.grant_id for r in overdue}
        if not overdue:
            self.summary.setText(_("No report is overdue."))
            return
        reports = ngettext("{count} report overdue", "{count} reports overdue", len(overdue)).format(
            count=format_number(len(overdue)))
        self.summary.setText(ngettext("{reports} on {count} grant", "{reports} on {count} grants", len(grants)).format(
            reports=reports, count=format_number(len(grants))))

    def _show_reminder(self) -> None:
        row = selected_row(self.table)
        self.reminder.setPlainText(row.reminder_text() if row else "")
        self.copy_button.setEnabled(row is not None)
        self.open_grant_button.setEnabled(row is not None)

    def _copy(self) -> None:
        QApplication.clipboard().setText(self.reminder.toPlainText())
        window = self.window()
        if hasattr(window, "show_message"):
            window.show_message(_("Reminder copied."))

    def _open_grant(self) -> None:
        row = selected_row(self.table)
        window = self.window()
        if row and hasattr(window, "show_screen"):
            screen = window.show_screen("grants")
            screen.pending_select = row.grant_id
            if screen.data is not None:
                screen.select_grant(row.grant_id)
