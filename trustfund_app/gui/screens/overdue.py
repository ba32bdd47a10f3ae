"""Overdue reports, grouped by grantee: one line per organisation with the reports it owes (not
received after their due date, or also those falling due soon), and below the selected grantee's
reports and a reminder in the grantee's own language — to paste into an e-mail, or as one
reminder letter (PDF or Word) listing all its overdue reports."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QSplitter, QVBoxLayout, QWidget,
)

from trustfund_app.core.i18n import LANGUAGE_NAMES, N_, _, format_number, is_rtl, ngettext, pN_
from trustfund_app.core.services.grants import ReportService
from trustfund_app.core.services.grants.reports import group_by_grantee
from trustfund_app.gui.grant_widgets import date_cell, fit_columns, make_table, select_row, selected_row
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel


def _days(r) -> str:
    if r.days_overdue > 0:
        return format_number(r.days_overdue)
    if r.days_overdue < 0:
        return ngettext("due in {days} day", "due in {days} days", -r.days_overdue).format(days=format_number(-r.days_overdue))
    return _("due today")


GRANTEE_COLUMNS = (
    Column(N_("Grantee"), lambda g: g.grantee),
    Column(N_("Reports overdue"), lambda g: len(g.overdue), lambda g: format_number(len(g.overdue)), numeric=True),
    Column(N_("Most days overdue"), lambda g: g.most_days_overdue, lambda g: _days(g.reports[0]) if g.most_days_overdue <= 0
           else format_number(g.most_days_overdue), numeric=True),
    Column(N_("Agreements"), lambda g: ", ".join(g.references)),
    Column(N_("Language"), lambda g: g.language, lambda g: LANGUAGE_NAMES.get(g.language, g.language)),
    Column(N_("Contact"), lambda g: g.contact_person or ""),
    Column(N_("E-mail"), lambda g: g.email or ""),
)
REPORT_COLUMNS = (
    Column(N_("Days overdue"), lambda r: r.days_overdue, _days, numeric=True),
    Column(pN_("date", "Due"), lambda r: r.due_date, lambda r: date_cell(r.due_date), context="date"),
    Column(N_("Agreement"), lambda r: r.reference),
    Column(N_("Report"), lambda r: r.label),
)


class OverdueScreen(Screen):
    watches = frozenset({"grant"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.rows = []
        self.groups = []
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.as_of_label = QLabel()
        from trustfund_app.gui.grant_widgets import date_edit

        self.as_of = date_edit(date.today(), "overdue_as_of")
        self.as_of.dateChanged.connect(lambda _d: self.reload())
        self.within_label = QLabel()
        self.within = QSpinBox()
        self.within.setObjectName("overdue_within_days")
        self.within.setRange(0, 365)
        self.within.setValue(0)
        self.within.valueChanged.connect(lambda _v: self.reload())
        self.model = RowsTableModel(GRANTEE_COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "overdue_table", self, 2, order=Qt.SortOrder.DescendingOrder)
        fit_columns(self.table, {0: 280, 1: 110, 2: 120, 3: 200, 4: 90, 5: 140})
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._grantee_selected())
        self.report_model = RowsTableModel(REPORT_COLUMNS, self)
        self.report_table, _p = make_table(self.report_model, "overdue_reports", self, 0,
                                           order=Qt.SortOrder.DescendingOrder, small=True)
        self.summary = QLabel()
        self.summary.setObjectName("overdue_summary")
        self.reminder = QPlainTextEdit()
        self.reminder.setObjectName("overdue_reminder")
        self.reminder.setReadOnly(True)
        self.copy_button = self._button("overdue_copy", self._copy)
        self.letter_button = self._button("overdue_letter", self._letter)
        self.open_grant_button = self._button("overdue_open_grant", self._open_grant)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        for w in (self.within_label, self.within, self.as_of_label, self.as_of):
            top.addWidget(w)
        self.reminder_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.reminder_label, 1)
        for b in (self.open_grant_button, self.copy_button, self.letter_button):
            buttons.addWidget(b)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.report_table, 1)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(self.reminder, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        self.retranslate()

    def _button(self, name: str, slot) -> QPushButton:
        button = QPushButton(objectName=name)
        button.clicked.connect(slot)
        return button

    def retranslate(self) -> None:
        self.title.setText(_("Overdue reports"))
        self.as_of_label.setText(_("As of"))
        self.within_label.setText(_("Also due within (days)"))
        self.reminder_label.setText(_("Reminder in the grantee's language"))
        self.copy_button.setText(_("Copy reminder"))
        self.letter_button.setText(_("Reminder letter…"))
        self.open_grant_button.setText(_("Open the grant"))
        self.model.retranslate()
        self.report_model.retranslate()
        self._show_summary()
        self._grantee_selected()

    def reload(self) -> None:
        service, at, within = self.ctx.service(ReportService), self.as_of.date().toPython(), self.within.value()
        self.run(lambda _job: service.reminders(at, within) if within else service.overdue(at), self._show_rows)

    def _show_rows(self, rows) -> None:
        keep = selected_row(self.table)
        self.rows = rows
        self.groups = group_by_grantee(rows)
        self.model.set_rows(self.groups)
        if self.groups:
            index = next((i for i, g in enumerate(self.groups) if keep and g.grantee_id == keep.grantee_id), None)
            select_row(self.table, 0) if index is None else self._select_group(index)
        self._show_summary()
        self._grantee_selected()

    def _select_group(self, index: int) -> None:
        from trustfund_app.gui.grant_widgets import select_where

        select_where(self.table, lambda g: g.grantee_id == self.groups[index].grantee_id)

    def _show_summary(self) -> None:
        overdue = [r for r in self.rows if r.days_overdue > 0]
        if not overdue:
            self.summary.setText(_("No report is overdue."))
            return
        grantees = {r.grantee_id for r in overdue}
        reports = ngettext("{count} report overdue", "{count} reports overdue", len(overdue)).format(
            count=format_number(len(overdue)))
        self.summary.setText(ngettext("{reports} from {count} grantee", "{reports} from {count} grantees",
                                      len(grantees)).format(reports=reports, count=format_number(len(grantees))))

    def _grantee_selected(self) -> None:
        group = selected_row(self.table)
        self.report_model.set_rows(list(group.reports) if group else [])
        if group and group.reports:
            select_row(self.report_table, 0)
        has_overdue = bool(group and group.overdue)
        self.copy_button.setEnabled(has_overdue)
        self.letter_button.setEnabled(has_overdue)
        self.open_grant_button.setEnabled(group is not None)
        self.reminder.clear()
        if not has_overdue:
            if group:
                self.reminder.setPlainText(group.reports[0].reminder_text())
            return
        from trustfund_app.core.letters.plain import reminder_plain_text

        db, gid, at = self.ctx.db, group.grantee_id, self.as_of.date().toPython()
        option = QTextOption(self.reminder.document().defaultTextOption())
        option.setTextDirection(Qt.LayoutDirection.RightToLeft if is_rtl(group.language)
                                else Qt.LayoutDirection.LeftToRight)
        option.setAlignment(Qt.AlignmentFlag.AlignAbsolute | (Qt.AlignmentFlag.AlignRight if is_rtl(group.language)
                                                              else Qt.AlignmentFlag.AlignLeft))
        self.reminder.document().setDefaultTextOption(option)
        start_job(lambda _job: (gid, reminder_plain_text(db, gid, at)), on_done=self._reminder_ready)

    def _reminder_ready(self, result) -> None:
        gid, text = result
        group = selected_row(self.table)
        if group and group.grantee_id == gid:
            self.reminder.setPlainText(text)

    def _copy(self) -> None:
        QApplication.clipboard().setText(self.reminder.toPlainText())
        window = self.window()
        if hasattr(window, "show_message"):
            window.show_message(_("Reminder copied."))

    def _letter(self) -> None:
        from trustfund_app.core.letters import write_letter
        from trustfund_app.gui import letter_actions

        group = selected_row(self.table)
        if not group or not group.overdue:
            return
        path = letter_actions.ask_path(self, "reminder", group.grantee)
        if not path:
            return
        db, gid, at = self.ctx.db, group.grantee_id, self.as_of.date().toPython()
        window = self.window()

        def done(written) -> None:
            letter_actions.open_file(written)
            if hasattr(window, "show_message"):
                window.show_message(_("Letter written to {path}").format(path=written))

        # the letter counts overdue reports on the screen's "as of" date, like the list
        self.letter_job = start_job(lambda _job: str(write_letter(db, "reminder", gid, path, issued=at)),
                                    on_done=done, on_error=lambda exc: window.show_error(exc)
                                    if hasattr(window, "show_error") else None)

    def _open_grant(self) -> None:
        row = selected_row(self.report_table) or (selected_row(self.table).reports[0] if selected_row(self.table) else None)
        window = self.window()
        if row and hasattr(window, "show_screen"):
            screen = window.show_screen("grants")
            screen.pending_select = row.grant_id
            if screen.data is not None:
                screen.select_grant(row.grant_id)
