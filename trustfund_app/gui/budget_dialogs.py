"""The budget of a grant (lines of category and amount in one currency) and the expenditure per
budget line that a financial report carries."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QTableWidget, QTableWidgetItem

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, format_money
from trustfund_app.core.services.grants import BudgetService
from trustfund_app.gui.grant_widgets import FormDialog, parse_usd, plain_amount

EMPTY_LINES = 4  # spare rows for new budget lines


def _amount(text: str, row: int):
    try:
        return parse_usd(text, "amount")
    except ValidationError as exc:
        raise ValidationError(_("line {row}: {error}").format(row=row, error=exc), "amount") from exc


class SetBudgetDialog(FormDialog):
    def __init__(self, ctx, grant, budget, parent=None):
        super().__init__(ctx, _("Budget of grant {reference}").format(reference=grant.reference), "budget_dialog",
                         parent)
        self.grant_id = grant.id
        info = QLabel(_("One line per budget category, in the currency of the application. Each line is converted to "
                        "US dollars at the UN operational rate of the day the grant was approved; the total may not "
                        "exceed the grant ({amount}).").format(amount=format_money(grant.amount)))
        info.setWordWrap(True)
        self.body.insertWidget(0, info)
        self.currency = QLineEdit(budget.currency if budget and budget.rows else "USD")
        self.currency.setObjectName("budget_currency")
        self.currency.setMaxLength(3)
        self.lines = QTableWidget(len(budget.rows if budget else []) + EMPTY_LINES, 2)
        self.lines.setObjectName("budget_lines")
        self.lines.setHorizontalHeaderLabels([_("Category"), _("Amount")])
        self.lines.horizontalHeader().setStretchLastSection(True)
        self.lines.setColumnWidth(0, 280)
        for r, row in enumerate(budget.rows if budget else []):
            self.lines.setItem(r, 0, QTableWidgetItem(row.category))
            self.lines.setItem(r, 1, QTableWidgetItem(plain_amount(row.budget)))
        self.lines.setMinimumSize(460, 220)
        self.add_field("currency", _("Currency"), self.currency)
        self.add_field("category", _("Budget lines"), self.lines, "amount", "budget")

    def entered_lines(self) -> list[tuple[str, object]]:
        out = []
        for r in range(self.lines.rowCount()):
            category = (self.lines.item(r, 0).text() if self.lines.item(r, 0) else "").strip()
            amount = (self.lines.item(r, 1).text() if self.lines.item(r, 1) else "").strip()
            if category or amount:
                out.append((category, _amount(amount, r + 1)))
        if not out:
            raise ValidationError(_("enter at least one budget line"), "category")
        return out

    def save(self):
        lines, currency = self.entered_lines(), self.currency.text().strip().upper()
        service, gid = self.ctx.service(BudgetService), self.grant_id
        return lambda: service.set_budget(gid, currency, lines)


class ExpenditureDialog(FormDialog):
    """What one financial report says was spent on each budget line (replaces its earlier figures)."""

    def __init__(self, ctx, budget, reports, spent_by_report: dict[str, dict], parent=None):
        super().__init__(ctx, _("Expenditure per budget line — {reference}").format(reference=budget.reference),
                         "expenditure_dialog", parent)
        self.budget, self.spent_by_report = budget, spent_by_report
        self.report = QComboBox()
        self.report.setObjectName("expenditure_report")
        for r in reports:
            self.report.addItem(r.label, r.id)
        self.table = QTableWidget(len(budget.rows), 3)
        self.table.setObjectName("expenditure_lines")
        self.table.setHorizontalHeaderLabels([_("Budget line"), _("Budget"), _("Spent ({currency})").format(
            currency=budget.currency)])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 240)
        for r, row in enumerate(budget.rows):
            for c, text in enumerate((row.category, format_money(row.budget))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~item.flags().ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.setMinimumSize(520, 200)
        self.add_field("report", _("Financial report"), self.report)
        self.add_field("amount", _("Expenditure"), self.table, "budget_line")
        note = QLabel(_("Only approved reports count as actual expenditure."))
        note.setWordWrap(True)
        self.body.insertWidget(1, note)
        self.report.currentIndexChanged.connect(lambda _i: self._fill())
        self._fill()

    def _fill(self) -> None:
        known = self.spent_by_report.get(self.report.currentData(), {})
        for r, row in enumerate(self.budget.rows):
            money = known.get(row.line_id)
            self.table.setItem(r, 2, QTableWidgetItem(plain_amount(money) if money else ""))

    def save(self):
        if self.report.currentData() is None:
            raise ValidationError(_("this grant has no financial report"), "report")
        spent = {}
        for r, row in enumerate(self.budget.rows):
            text = (self.table.item(r, 2).text() if self.table.item(r, 2) else "").strip()
            if text:
                spent[row.line_id] = _amount(text, r + 1)
        service, rid = self.ctx.service(BudgetService), self.report.currentData()
        return lambda: service.record_expenditure(rid, spent)
