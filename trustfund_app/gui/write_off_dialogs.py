"""Pledges that will not be paid: asking to write off (or cancel) the unpaid part of a pledge, and
the list of write-offs where a second user with the finance role approves or rejects them."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from trustfund_app.core.i18n import N_, _, format_amount, format_date
from trustfund_app.core.models import WRITE_OFF_KIND_LABELS, Role, WriteOffKind
from trustfund_app.core.services.write_offs import WriteOffService
from trustfund_app.gui.form_fit import dialog_buttons, tab_chain
from trustfund_app.gui.grant_widgets import FormDialog, date_cell, date_edit, make_table, money_cell, selected_row
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.table_model import Column, RowsTableModel

STATUS_LABELS = {"requested": N_("Waiting for approval"), "approved": N_("Approved"), "rejected": N_("Rejected")}
COLUMNS = (
    Column(N_("Requested"), lambda w: w.requested_at, lambda w: format_date(w.requested_at.date())),
    Column(N_("Donor"), lambda w: w.donor),
    Column(N_("Pledge"), lambda w: w.pledge_reference),
    Column(N_("Kind"), lambda w: w.kind, lambda w: _(WRITE_OFF_KIND_LABELS[WriteOffKind(w.kind)])),
    Column(N_("Amount"), lambda w: w.amount.amount, lambda w: money_cell(w.amount), numeric=True),
    Column(N_("Effective"), lambda w: w.effective_date, lambda w: date_cell(w.effective_date)),
    Column(N_("Reason"), lambda w: w.reason),
    Column(N_("Status"), lambda w: w.status, lambda w: _(STATUS_LABELS[w.status])),
    Column(N_("Requested by"), lambda w: w.requested_by),
    Column(N_("Decided by"), lambda w: w.decided_by or ""),
)


class WriteOffDialog(FormDialog):
    """First step on a pledge row of the Contributions screen."""

    def __init__(self, ctx, pledge_row, parent=None):
        super().__init__(ctx, _("Write off a pledge"), "write_off_dialog", parent)
        self.pledge_id = pledge_row.id
        left = pledge_row.amount - (pledge_row.paid or 0)
        info = QLabel(_("Pledge {reference} of {date} by {donor}: {left} not paid. A second user with the finance "
                        "role must approve; only then is the pledge reduced.").format(
            reference=pledge_row.reference or pledge_row.receipt_number or "", date=format_date(pledge_row.date),
            donor=pledge_row.donor, left=format_amount(left, pledge_row.currency)))
        info.setWordWrap(True)
        self.body.insertWidget(0, info)
        self.kind = QComboBox(objectName="write_off_kind")
        for kind in WriteOffKind:
            self.kind.addItem(_(WRITE_OFF_KIND_LABELS[kind]), kind.value)
        self.when = date_edit(date.today(), "write_off_date")
        self.reason = QLineEdit(objectName="write_off_reason")
        self.add_field("kind", _("Kind"), self.kind)
        self.add_field("effective_date", _("Effective on"), self.when)
        self.add_field("reason", _("Reason"), self.reason)
        self.resize(520, 240)

    def save(self):
        args = (self.pledge_id, self.kind.currentData(), self.when.date().toPython(), self.reason.text())
        service = self.ctx.service(WriteOffService)
        return lambda: service.request(*args)


class WriteOffsDialog(QDialog):
    """Every write-off, newest last; Approve and Reject for a second user with the finance role."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("write_offs_dialog")
        self.setWindowTitle(_("Write-offs and cancellations of pledges"))
        self.model = RowsTableModel(COLUMNS, self)
        self.table, _p = make_table(self.model, "write_offs_table", self, 0, small=True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.note = QLabel(objectName="write_offs_note")
        self.note.setWordWrap(True)
        self.approve_button = QPushButton(_("Approve"), objectName="write_off_approve")
        self.approve_button.clicked.connect(lambda: self._decide("approve"))
        self.reject_button = QPushButton(_("Reject"), objectName="write_off_reject")
        self.reject_button.clicked.connect(lambda: self._decide("reject"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.approve_button)
        row.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        tab_chain(self.table, self.approve_button, self.reject_button, *dialog_buttons(close))
        self.resize(1000, 360)
        ctx.changed.connect(lambda change: self.reload() if change.entity == "write_off" else None)
        self.reload()

    def reload(self) -> None:
        service = self.ctx.service(WriteOffService)
        start_job(lambda _job: service.list(), on_done=self._loaded, on_error=self._error)

    def _loaded(self, rows) -> None:
        keep = selected_row(self.table)
        self.model.set_rows(rows)
        if keep:
            from trustfund_app.gui.grant_widgets import select_where

            select_where(self.table, lambda w: w.id == keep.id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, actor = selected_row(self.table), self.ctx.actor
        waiting = bool(row and row.status == "requested")
        can = bool(waiting and actor and actor.role == Role.FINANCE and actor.name != row.requested_by
                   and not self.ctx.read_only_reason)
        self.approve_button.setEnabled(can)
        self.reject_button.setEnabled(can)
        if waiting and actor and actor.name == row.requested_by:
            self.note.setText(_("You requested this write-off: another user with the finance role must decide (four eyes)."))
        elif waiting and actor and actor.role != Role.FINANCE:
            self.note.setText(_("A user with the finance role decides on write-offs."))
        elif row and row.status != "requested":
            self.note.setText(_("{status} by {user}.").format(status=_(STATUS_LABELS[row.status]), user=row.decided_by))
        else:
            self.note.setText("")

    def _decide(self, what: str) -> None:
        row = selected_row(self.table)
        if row:
            service = self.ctx.service(WriteOffService)
            start_job(lambda _job: getattr(service, what)(row.id), on_error=self._error)

    def _error(self, exc) -> None:
        self.note.setText(str(exc))

