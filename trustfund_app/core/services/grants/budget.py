"""Budget against actual per grant.

A grant's budget is the one of its application: lines (category, amount) in one currency, each
converted to USD once at the UNORE rate in force on the day the grant was approved. A financial
report carries the expenditure per budget line (its figures entry); only approved financial
reports count as actual. Expenditure converts at its line's rate, so the USD variance measures
spending, not exchange movements.

Every figure is stored in minor units and totals are sums of those, so the lines' variances add
up to the total variance to the cent. At closure (the grant closed, or its final financial report
approved) what was paid to the grantee and not spent nor refunded is flagged for refund.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import (
    BudgetExpenditure, BudgetLine, Grant, GranteeReport, GrantStatus, Instalment, InstalmentStatus, Refund,
    ReportKind, ReportType,
)
from trustfund_app.core.money import USD, Money, check_currency
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.grants.common import as_uuid, fetch, money_text
from trustfund_app.core.services.rates import find_rate


class _AgainstBudget:
    """Variance and share spent, from ``budget``/``spent`` (and their USD twins) of a line or a
    whole grant."""

    @property
    def variance(self) -> Money:
        return self.budget - self.spent

    @property
    def variance_usd(self) -> Money:
        return self.budget_usd - self.spent_usd

    @property
    def spent_ratio(self) -> Decimal | None:
        """Share spent (1 = 100 %), None where there is no budget."""
        return self.spent.amount / self.budget.amount if self.budget.amount else None


@dataclass(frozen=True)
class BudgetRow(_AgainstBudget):
    """One budget line against what approved financial reports say was spent on it."""

    line_id: str
    seq: int
    category: str
    budget: Money  # in the budget currency
    budget_usd: Money
    spent: Money
    spent_usd: Money


@dataclass(frozen=True)
class GrantBudget(_AgainstBudget):
    grant_id: str
    reference: str
    title: str
    currency: str  # the budget currency (USD when there is no budget yet)
    rate: Decimal | None
    rate_date: object | None
    grant_amount: Money  # USD
    rows: list[BudgetRow]
    disbursed: Money  # USD paid to the grantee
    refunded: Money  # USD refunds recorded
    closing: bool  # closed, or its final financial report approved

    def _total(self, attr: str, currency: str) -> Money:
        return sum((getattr(r, attr) for r in self.rows), Money.zero(currency))

    @property
    def budget(self) -> Money:
        return self._total("budget", self.currency)

    @property
    def budget_usd(self) -> Money:
        return self._total("budget_usd", USD)

    @property
    def spent(self) -> Money:
        return self._total("spent", self.currency)

    @property
    def spent_usd(self) -> Money:
        return self._total("spent_usd", USD)


    @property
    def unspent_usd(self) -> Money:
        """Paid to the grantee, not spent on the budget and not yet refunded."""
        return self.disbursed - self.spent_usd - self.refunded

    @property
    def refund_due(self) -> Money | None:
        """The unspent balance flagged for refund at closure (None before closure or when nothing is left)."""
        unspent = self.unspent_usd
        return unspent if self.closing and unspent.is_positive() else None


def _cents(value) -> int:
    return int(value or 0)


def grant_budget(session, grant_id) -> GrantBudget:
    grant = fetch(session, Grant, grant_id, _("grant"))
    lines = list(session.scalars(select(BudgetLine).where(BudgetLine.grant_id == grant.id).order_by(BudgetLine.seq)))
    spent = {
        line_id: (_cents(minor), _cents(cents))
        for line_id, minor, cents in session.execute(
            select(BudgetExpenditure.budget_line_id, func.sum(BudgetExpenditure.amount_minor),
                   func.sum(BudgetExpenditure.usd_cents))
            .join(GranteeReport, GranteeReport.id == BudgetExpenditure.report_id)
            .where(GranteeReport.grant_id == grant.id, GranteeReport.approved_on.is_not(None))
            .group_by(BudgetExpenditure.budget_line_id))
    }
    currency = lines[0].currency if lines else USD
    rows = [BudgetRow(str(b.id), b.seq, b.category, Money.from_minor(b.amount_minor, currency),
                      Money.from_minor(b.usd_cents, USD), Money.from_minor(spent.get(b.id, (0, 0))[0], currency),
                      Money.from_minor(spent.get(b.id, (0, 0))[1], USD)) for b in lines]
    disbursed = session.scalar(select(func.sum(Instalment.amount_usd_cents)).where(
        Instalment.grant_id == grant.id, Instalment.status == InstalmentStatus.PAID))
    refunded = session.scalar(select(func.sum(Refund.amount_usd_cents)).where(Refund.grant_id == grant.id))
    final_approved = session.scalar(select(func.count()).select_from(GranteeReport).where(
        GranteeReport.grant_id == grant.id, GranteeReport.kind == ReportKind.FINAL,
        GranteeReport.type == ReportType.FINANCIAL, GranteeReport.approved_on.is_not(None)))
    return GrantBudget(
        str(grant.id), grant.reference, grant.title, currency, lines[0].rate if lines else None,
        lines[0].rate_date if lines else None, Money.from_minor(grant.amount_usd_cents, USD), rows,
        Money.from_minor(_cents(disbursed), USD), Money.from_minor(_cents(refunded), USD),
        grant.status == GrantStatus.CLOSED or bool(final_approved))


def grants_with_budget(session, grant_ids=None) -> list[GrantBudget]:
    """Every grant that has a budget (or those of ``grant_ids``), by reference."""
    query = select(Grant.id).where(Grant.id.in_(select(BudgetLine.grant_id))).order_by(Grant.reference)
    if grant_ids is not None:
        query = query.where(Grant.id.in_([as_uuid(g) for g in grant_ids]))
    return [grant_budget(session, gid) for gid in session.scalars(query)]


def _amount(value, currency: str, field: str) -> Money:
    try:
        money = value if isinstance(value, Money) else Money(value, currency)
    except ValidationError as exc:
        raise ValidationError(str(exc), field) from exc
    if money.currency != currency:
        raise ValidationError(_("the budget is in {currency}").format(currency=currency), field)
    if money.amount < 0:
        raise ValidationError(_("an amount cannot be negative"), field)
    return money


class BudgetService(Service):
    def set_budget(self, grant_id: str, currency: str, lines: list[tuple[str, object]]) -> None:
        """Replace the grant's budget with ``lines`` of (category, amount in ``currency``)."""
        code = check_currency(currency)
        clean = []
        for category, amount in lines:
            category = (category or "").strip()
            if not category:
                raise ValidationError(_("every budget line needs a category"), "category")
            clean.append((category[:200], _amount(amount, code, "amount")))
        if len({c.casefold() for c, _m in clean}) != len(clean):
            raise ValidationError(_("two budget lines have the same category"), "category")
        with self._write("grants") as s:
            grant = fetch(s, Grant, grant_id, _("grant"))
            old = list(s.scalars(select(BudgetLine).where(BudgetLine.grant_id == grant.id)))
            if old and s.scalar(select(func.count()).select_from(BudgetExpenditure).where(
                    BudgetExpenditure.budget_line_id.in_([b.id for b in old]))):
                raise ValidationError(_("expenditure has been reported against this budget; it can no longer be "
                                        "replaced"), "budget")
            rate = find_rate(s, code, grant.approved_on)
            new = [BudgetLine(grant_id=grant.id, seq=i + 1, category=c, currency=code, amount_minor=m.minor,
                              rate=rate.rate, rate_date=rate.effective_date, usd_cents=m.to_usd(rate.rate).minor)
                   for i, (c, m) in enumerate(clean)]
            total = sum(b.usd_cents for b in new)
            if total > grant.amount_usd_cents:
                raise ValidationError(_("the budget ({budget}) is more than the grant ({grant})").format(
                    budget=money_text(total), grant=money_text(grant.amount_usd_cents)), "amount")
            for b in old:
                s.delete(b)
            s.flush()
            s.add_all(new)
        self._changed("grant", "update", grant_id)

    def record_expenditure(self, report_id: str, spent: dict[str, object]) -> None:
        """The financial report's expenditure per budget line: ``{line_id: amount}`` in the budget
        currency; replaces what the report carried before. Lines left out spent nothing."""
        with self._write("grants") as s:
            report = fetch(s, GranteeReport, report_id, _("report"))
            if report.type != ReportType.FINANCIAL:
                raise ValidationError(_("only a financial report carries expenditure"), "report")
            lines = {str(b.id): b for b in s.scalars(select(BudgetLine).where(BudgetLine.grant_id == report.grant_id))}
            rows = []
            for line_id, amount in spent.items():
                line = lines.get(str(line_id))
                if line is None:
                    raise ValidationError(_("budget line {id} is not in this grant's budget").format(id=line_id),
                                          "budget_line")
                money = _amount(amount, line.currency, "amount")
                if money.amount:
                    rows.append(BudgetExpenditure(report_id=report.id, budget_line_id=line.id,
                                                  amount_minor=money.minor, usd_cents=money.to_usd(line.rate).minor))
            for old in s.scalars(select(BudgetExpenditure).where(BudgetExpenditure.report_id == report.id)):
                s.delete(old)
            s.flush()
            s.add_all(rows)
            gid = str(report.grant_id)
        self._changed("grant", "update", gid)

    def expenditure(self, report_id: str) -> dict[str, Money]:
        """What the report carries, per budget line id."""
        with self.db.reading() as s:
            rows = s.execute(select(BudgetExpenditure, BudgetLine.currency)
                             .join(BudgetLine, BudgetLine.id == BudgetExpenditure.budget_line_id)
                             .where(BudgetExpenditure.report_id == as_uuid(report_id))).all()
            return {str(e.budget_line_id): Money.from_minor(e.amount_minor, cur) for e, cur in rows}

    def for_grant(self, grant_id: str) -> GrantBudget:
        with self.db.reading() as s:
            return grant_budget(s, grant_id)

    def all_grants(self, grant_ids=None) -> list[GrantBudget]:
        with self.db.reading() as s:
            return grants_with_budget(s, grant_ids)
