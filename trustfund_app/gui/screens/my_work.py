"""My work: what waits for the logged-in user — payments another user prepared, to approve (the
second pair of eyes), and grantee reports received, to review. Conflicts between field offices'
change packages get their own section here when that feature lands (``WorkQueue.conflicts``).
A row opens its grant on the Grants screen (double-click or Enter)."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from trustfund_app.core.i18n import N_, _, format_number, ngettext, pN_
from trustfund_app.core.services.grants.reports import REPORT_LABELS
from trustfund_app.core.services.work_queue import WorkQueueService
from trustfund_app.gui.grant_widgets import date_cell, make_table, money_cell, selected_row
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel

PAYMENT_COLUMNS = (
    Column(N_("Planned date"), lambda p: p.planned_date, lambda p: date_cell(p.planned_date)),
    Column(N_("Agreement"), lambda p: p.grant_reference),
    Column(N_("Grantee"), lambda p: p.grantee),
    Column(N_("No."), lambda p: p.seq, numeric=True),
    Column(N_("Amount"), lambda p: p.amount.amount, lambda p: money_cell(p.amount), numeric=True),
    Column(N_("Prepared by"), lambda p: p.prepared_by),
)
REPORT_COLUMNS = (
    Column(N_("Received on"), lambda r: r.received_on, lambda r: date_cell(r.received_on)),
    Column(N_("Agreement"), lambda r: r.grant_reference),
    Column(N_("Grantee"), lambda r: r.grantee),
    Column(N_("Report"), lambda r: (r.kind, r.type), lambda r: _(REPORT_LABELS.get((r.kind, r.type), r.kind))),
    Column(pN_("date", "Due"), lambda r: r.due_date, lambda r: date_cell(r.due_date), context="date"),
)


class MyWorkScreen(Screen):
    watches = frozenset({"grant", "instalment", "report"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.queue = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.summary = QLabel(objectName="my_work_summary")
        self.payment_model = RowsTableModel(PAYMENT_COLUMNS, self)
        self.payments, _p = make_table(self.payment_model, "my_work_payments", self, small=True)
        self.report_model = RowsTableModel(REPORT_COLUMNS, self)
        self.reports, _r = make_table(self.report_model, "my_work_reports", self, small=True)
        self.payment_group, self.report_group = QGroupBox(), QGroupBox()
        for group, table in ((self.payment_group, self.payments), (self.report_group, self.reports)):
            QVBoxLayout(group).addWidget(table)
            table.doubleClicked.connect(lambda _i, t=table: self.open_grant(t))
            table.activated.connect(lambda _i, t=table: self.open_grant(t))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.payment_group, 1)
        layout.addWidget(self.report_group, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("My work"))
        self.payment_group.setTitle(_("Payments to approve"))
        self.report_group.setTitle(_("Reports to review"))
        self.payments.setAccessibleName(_("Payments to approve"))
        self.reports.setAccessibleName(_("Reports to review"))
        self.payment_model.retranslate()
        self.report_model.retranslate()
        self._show_summary()

    def reload(self) -> None:
        service = self.ctx.service(WorkQueueService)
        self.run(lambda _job: service.mine(), self._show)

    def _show(self, queue) -> None:
        self.queue = queue
        self.payment_model.set_rows(queue.payments)
        self.report_model.set_rows(queue.reports)
        self._show_summary()

    def _show_summary(self) -> None:
        if self.queue is None:
            self.summary.setText(_("Loading…"))
        elif not self.queue.count:
            self.summary.setText(_("Nothing waits for you."))
        else:
            self.summary.setText(ngettext("{count} item waits for you.", "{count} items wait for you.",
                                          self.queue.count).format(count=format_number(self.queue.count)))

    def open_grant(self, table) -> None:
        row = selected_row(table)
        window = self.window()
        if row is not None and hasattr(window, "show_screen"):
            grants = window.show_screen("grants")
            grants.pending_select = row.grant_id
            if grants.data is not None:
                grants.select_grant(row.grant_id)

