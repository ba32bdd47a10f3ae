"""Budget against actual to .xlsx: one row per budget line (amounts in the budget currency and in
USD, variance, share spent) and a total row per grant with the unspent balance flagged for refund
at closure. Amounts are exact numbers in their currency's format, never floats."""

from __future__ import annotations

from pathlib import Path

from trustfund_app.core.excel.export import ExportColumn, write_table
from trustfund_app.core.i18n import _, use_language


def budget_columns() -> list[ExportColumn]:
    return [ExportColumn(_("Grant"), 16), ExportColumn(_("Budget line"), 30), ExportColumn(_("Currency"), 9),
            ExportColumn(_("Budget")), ExportColumn(_("Spent")), ExportColumn(_("Variance")),
            ExportColumn(_("Budget (USD)")), ExportColumn(_("Spent (USD)")), ExportColumn(_("Variance (USD)")),
            ExportColumn(_("Spent (%)"), 10, "0.0%"), ExportColumn(_("Refund due (USD)"), 16)]


def budget_rows(budgets) -> list[list]:
    rows = []
    for b in budgets:
        for r in b.rows:
            rows.append([b.reference, r.category, b.currency, r.budget, r.spent, r.variance, r.budget_usd,
                         r.spent_usd, r.variance_usd, r.spent_ratio, None])
        rows.append([b.reference, _("Total"), b.currency, b.budget, b.spent, b.variance, b.budget_usd, b.spent_usd,
                     b.variance_usd, b.spent_ratio, b.refund_due])
    return rows


def export_budgets(db, path, lang: str = "en", grant_ids=None) -> int:
    """Every grant with a budget (or those of ``grant_ids``); returns the number of rows."""
    from trustfund_app.core.services.grants.budget import grants_with_budget

    with db.reading() as session:
        budgets = grants_with_budget(session, grant_ids)
    with use_language(lang):
        rows = budget_rows(budgets)
        write_table(Path(path), _("Budget against actual"), budget_columns(), rows)
    return len(rows)
