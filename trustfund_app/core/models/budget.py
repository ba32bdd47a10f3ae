"""A grant's budget (from its application) and what the grantee's financial reports say was spent
on each line: the basis of budget-against-actual and of the refund of unspent balances.

Budgets are drawn up in one currency per grant (often the grantee's own); each line keeps its
amount in that currency and its USD equivalent at the rate the budget was converted at, so that
expenditure reported in the same currency converts at the same rate and the variance in USD
reflects spending, not exchange movements."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field

from trustfund_app.core.models.base import DecimalText, Stamped


class BudgetLine(Stamped, table=True):
    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("grant_id", "seq", name="uq_budget_line_grant_seq"),)

    grant_id: uuid.UUID = Field(foreign_key="grant.id", index=True)
    seq: int  # order in the budget
    category: str = Field(max_length=200)  # e.g. "Shelter rent", "Legal aid fees"
    currency: str = Field(max_length=3)  # the grant's budget currency (same for every line)
    amount_minor: int = Field(sa_type=BigInteger)  # in minor units of currency
    rate: Decimal = Field(sa_type=DecimalText)  # units of currency per USD, 1 for USD
    rate_date: date  # effective date of that rate
    usd_cents: int = Field(sa_type=BigInteger)  # rounded half-up once, per line


class BudgetExpenditure(Stamped, table=True):
    """Expenditure on one budget line reported in one financial report (its figures entry)."""

    __tablename__ = "budget_expenditure"
    __table_args__ = (UniqueConstraint("report_id", "budget_line_id", name="uq_budget_expenditure_report_line"),)

    report_id: uuid.UUID = Field(foreign_key="grantee_report.id", index=True)
    budget_line_id: uuid.UUID = Field(foreign_key="budget_line.id", index=True)
    amount_minor: int = Field(sa_type=BigInteger)  # in the line's currency
    usd_cents: int = Field(sa_type=BigInteger)  # at the line's rate, rounded half-up once
