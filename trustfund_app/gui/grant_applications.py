"""The Applications tab of the Grants screen: the pipeline submitted → screened → recommended →
approved / rejected, with the eligibility warnings of the selected application."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trustfund_app.core.countries import country_label
from trustfund_app.core.i18n import N_, _, format_number
from trustfund_app.core.models import ApplicationStatus
from trustfund_app.core.services.grants import ApplicationService
from trustfund_app.core.services.grants.applications import STATUS_LABELS
from trustfund_app.gui.flow_layout import FlowLayout
from trustfund_app.gui.grant_widgets import (
    WARNING_STYLE, date_cell, fit_columns, make_table, money_cell, select_where, selected_row,
)
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.table_model import Column, RowsTableModel

COLUMNS = (
    Column(N_("Number"), lambda a: a.number),
    Column(N_("Cycle"), lambda a: a.cycle_number, numeric=True),
    Column(N_("Sub-programme"), lambda a: a.sub_programme),
    Column(N_("Grantee"), lambda a: a.grantee),
    Column(N_("Project"), lambda a: a.title),
    Column(N_("Country"), lambda a: country_label(a.country)),
    Column(N_("Requested"), lambda a: a.requested.amount, lambda a: money_cell(a.requested), numeric=True),
    Column(N_("Months"), lambda a: a.months, lambda a: format_number(a.months), numeric=True),
    Column(N_("Status"), lambda a: a.status, lambda a: _(STATUS_LABELS[a.status])),
    Column(N_("Decided on"), lambda a: a.decided_on, lambda a: date_cell(a.decided_on)),
    Column(N_("Warnings"), lambda a: len(a.warnings), lambda a: format_number(len(a.warnings)) if a.warnings else "",
           numeric=True),
)


def _button(name: str, slot) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


class ApplicationsPanel(QWidget):
    """Rows come from the screen (``show_rows``); ``cycles``/``grantees`` feed the dialogs."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog = None
        self.cycles, self.grantees, self.all_rows = [], [], []
        self.grant_approved = None  # callback(grant_id) set by the screen: show the new grant
        self.status = QComboBox()
        self.status.setObjectName("applications_status")
        self.status.currentIndexChanged.connect(lambda _i: self._filter())
        self.model = RowsTableModel(COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "applications_table", self)
        fit_columns(self.table, {0: 85, 1: 50, 2: 90, 3: 230, 4: 250, 5: 110, 6: 105, 7: 60, 8: 100, 9: 100})
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.new_button = _button("new_application", self.new_application)
        self.screen_button = _button("screen_application", lambda: self._advance())
        self.recommend_button = _button("recommend_application", lambda: self._advance())
        self.approve_button = _button("approve_application", self.approve)
        self.reject_button = _button("reject_application", self.reject)
        self.warnings = QLabel()
        self.warnings.setObjectName("application_selected_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.hide()
        self.status_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.status_label)
        top.addWidget(self.status)
        buttons = FlowLayout(align_end=True)  # a second line rather than a wider window (Russian)
        for b in (self.new_button, self.screen_button, self.recommend_button, self.approve_button, self.reject_button):
            buttons.addWidget(b)
        top.addLayout(buttons, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warnings)
        self.retranslate()

    def retranslate(self) -> None:
        self.status_label.setText(_("Status"))
        current = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(_("Open (not yet decided)"), "open")
        self.status.addItem(_("All"), None)
        for status in ApplicationStatus:
            self.status.addItem(_(STATUS_LABELS[status]), status.value)
        self.status.setCurrentIndex(max(0, self.status.findData(current)) if current or self.status.count() else 0)
        self.status.blockSignals(False)
        self.new_button.setText(_("New application…"))
        self.screen_button.setText(_("Mark screened"))
        self.recommend_button.setText(_("Recommend"))
        self.approve_button.setText(_("Approve…"))
        self.reject_button.setText(_("Reject…"))
        self.model.retranslate()
        self._selected()

    def show_rows(self, rows, cycles, grantees) -> None:
        self.all_rows, self.cycles, self.grantees = rows, cycles, grantees
        self._filter()

    def _filter(self) -> None:
        wanted = self.status.currentData()
        current = selected_row(self.table)
        if wanted == "open":
            rows = [a for a in self.all_rows if a.status in ("submitted", "screened", "recommended")]
        else:
            rows = [a for a in self.all_rows if wanted is None or a.status == wanted]
        self.model.set_rows(rows)
        if current:
            select_where(self.table, lambda a: a.id == current.id)
        self._selected()

    def _selected(self) -> None:
        app = selected_row(self.table)
        can = bool(self.ctx.actor and self.ctx.actor.can("grants"))
        self.new_button.setEnabled(can)
        self.screen_button.setEnabled(can and bool(app) and app.status == "submitted")
        self.recommend_button.setEnabled(can and bool(app) and app.status == "screened")
        self.approve_button.setEnabled(can and bool(app) and app.status == "recommended")
        self.reject_button.setEnabled(can and bool(app) and app.status in ("submitted", "screened", "recommended"))
        self.warnings.setVisible(bool(app and app.warnings))
        if app and app.warnings:
            self.warnings.setText(_("Eligibility warnings for {grantee}: {warnings}").format(
                grantee=app.grantee, warnings="; ".join(w.text for w in app.warnings)))

    def _cycle_of(self, app):
        return next((c for c in self.cycles if c.id == app.cycle_id), None)

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.open()

    def new_application(self) -> None:
        from trustfund_app.gui.grant_application_dialog import ApplicationDialog

        self._open(ApplicationDialog(self.ctx, self.cycles, self.grantees, self))

    def _advance(self) -> None:
        app = selected_row(self.table)
        if app:
            service = self.ctx.service(ApplicationService)
            window = self.window()
            start_job(lambda _job: service.advance(app.id),
                      on_error=getattr(window, "show_error", None))

    def approve(self) -> None:
        from trustfund_app.gui.grant_application_dialog import ApproveDialog

        app = selected_row(self.table)
        if app:
            dialog = ApproveDialog(self.ctx, app, self._cycle_of(app), self)
            dialog.accepted.connect(lambda: self.grant_approved and self.grant_approved(dialog.result_value))
            self._open(dialog)

    def reject(self) -> None:
        from trustfund_app.gui.grant_application_dialog import RejectDialog

        app = selected_row(self.table)
        if app:
            self._open(RejectDialog(self.ctx, app, self._cycle_of(app), self))
