"""The Budget tab of a grant: each budget line against what approved financial reports say was
spent, the variance and share spent, and at closure the unspent balance flagged for refund."""

from __future__ import annotations

from babel.numbers import format_percent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trustfund_app.core.i18n import N_, _, babel_locale
from trustfund_app.core.services.grants import BudgetService
from trustfund_app.gui.grant_widgets import make_table, money_cell
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.table_model import Column, RowsTableModel


def percent_cell(ratio) -> str:
    return format_percent(ratio, format="#,##0.0%", locale=babel_locale()) if ratio is not None else "—"


def _money(header: str, attr: str) -> Column:
    return Column(header, lambda r: getattr(r, attr).amount, lambda r: money_cell(getattr(r, attr)), numeric=True)


BUDGET_COLUMNS = (
    Column(N_("No."), lambda r: r.seq, numeric=True),
    Column(N_("Budget line"), lambda r: r.category),
    _money(N_("Budget"), "budget"), _money(N_("Spent"), "spent"), _money(N_("Variance"), "variance"),
    _money(N_("Budget (USD)"), "budget_usd"), _money(N_("Spent (USD)"), "spent_usd"),
    _money(N_("Variance (USD)"), "variance_usd"),
    Column(N_("Spent (%)"), lambda r: r.spent_ratio, lambda r: percent_cell(r.spent_ratio), numeric=True),
)


class BudgetPanel(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail = None
        self.budget = None
        self.dialog = None
        self.model = RowsTableModel(BUDGET_COLUMNS, self)
        self.table, _p = make_table(self.model, "budget_table", self, small=True)
        self.summary = QLabel()
        self.summary.setObjectName("budget_summary")
        self.summary.setWordWrap(True)
        self.set_button = QPushButton(objectName="set_budget")
        self.set_button.clicked.connect(self.set_budget)
        self.spent_button = QPushButton(objectName="record_expenditure")
        self.spent_button.clicked.connect(lambda: self.record_expenditure())
        self.export_button = QPushButton(objectName="export_budget")
        self.export_button.clicked.connect(self.export)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        for button in (self.export_button, self.spent_button, self.set_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.set_button.setText(_("Set budget…"))
        self.spent_button.setText(_("Expenditure of a report…"))
        self.export_button.setText(_("Export to Excel…"))
        self.model.retranslate()
        self._show(self.budget)

    def show_for(self, detail) -> None:
        """The grant's detail was (re)loaded: reload its budget."""
        self.detail = detail
        if detail is None:
            self._show(None)
            return
        service, gid = self.ctx.service(BudgetService), detail.grant.id
        start_job(lambda _job: service.for_grant(gid), on_done=self._loaded, on_error=self._error)

    def _loaded(self, budget) -> None:
        if self.detail is not None and budget.grant_id == self.detail.grant.id:
            self._show(budget)

    def _show(self, budget) -> None:
        self.budget = budget
        self.model.set_rows(budget.rows if budget else [])
        can = bool(self.ctx.actor and self.ctx.actor.can("grants"))
        self.set_button.setEnabled(budget is not None and can)
        self.spent_button.setEnabled(bool(budget and budget.rows) and can)
        self.export_button.setEnabled(bool(budget and budget.rows))
        self.summary.setText(self._summary(budget))

    @staticmethod
    def _summary(b) -> str:
        if b is None:
            return ""
        if not b.rows:
            return _("No budget recorded for this grant.")
        text = _("Budget {budget} ({budget_usd}) · spent {spent} ({spent_usd}) · variance {variance} ({variance_usd}) "
                 "· {percent} spent").format(
            budget=money_cell(b.budget), budget_usd=money_cell(b.budget_usd), spent=money_cell(b.spent),
            spent_usd=money_cell(b.spent_usd), variance=money_cell(b.variance),
            variance_usd=money_cell(b.variance_usd), percent=percent_cell(b.spent_ratio))
        if b.refund_due:
            text += "<br><b style='color:#b02a37'>" + _("Unspent balance to be refunded at closure: {amount}").format(
                amount=money_cell(b.refund_due)) + "</b>"
        return text

    def _error(self, exc) -> None:
        window = self.window()
        if hasattr(window, "show_error"):
            window.show_error(exc)

    def set_budget(self) -> None:
        from trustfund_app.gui.budget_dialogs import SetBudgetDialog

        if self.detail is not None:
            self.dialog = SetBudgetDialog(self.ctx, self.detail.grant, self.budget, self)
            self.dialog.open()

    def record_expenditure(self, report_id: str | None = None) -> None:
        """The report's current figures are read in a job, then the dialog opens with them (on
        ``report_id`` when given: the report selected in the Reports tab)."""
        from trustfund_app.gui.budget_dialogs import ExpenditureDialog

        if self.detail is None:
            return
        if not self.budget or not self.budget.rows:
            window = self.window()
            if hasattr(window, "show_message"):
                window.show_message(_("Set the grant's budget first (Budget tab)."))
            return
        reports = [r for r in self.detail.reports if r.type == "financial"]
        service, budget = self.ctx.service(BudgetService), self.budget

        def opened(spent) -> None:
            self.dialog = ExpenditureDialog(self.ctx, budget, reports, spent, self)
            if report_id is not None and self.dialog.report.findData(report_id) >= 0:
                self.dialog.report.setCurrentIndex(self.dialog.report.findData(report_id))
            self.dialog.open()

        start_job(lambda _job: {r.id: service.expenditure(r.id) for r in reports}, on_done=opened,
                  on_error=self._error)

    def export(self) -> None:
        from trustfund_app.core.excel.budget_export import export_budgets
        from trustfund_app.core.i18n import current_language

        if not self.budget:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Export to Excel"), f"budget-{self.budget.reference}.xlsx",
                                                    "Excel (*.xlsx)")
        if not path:
            return
        db, gid, lang = self.ctx.db, self.budget.grant_id, current_language()
        window = self.window()
        start_job(lambda _job: export_budgets(db, path, lang, [gid]), on_error=self._error,
                  on_done=lambda _n: window.show_message(_("Exported to {path}").format(path=path))
                  if hasattr(window, "show_message") else None)
