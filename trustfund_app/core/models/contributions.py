"""Pledges, payments, their allocation to pledges, and the UNORE exchange rates."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field

from trustfund_app.core.i18n import N_
from trustfund_app.core.models.base import DecimalText, Stamped


class ContributionKind(StrEnum):
    PLEDGE = "pledge"
    PAYMENT = "payment"


KIND_LABELS = {ContributionKind.PLEDGE: N_("Pledge"), ContributionKind.PAYMENT: N_("Payment")}


class ExchangeRate(Stamped, table=True):
    """A UN operational rate of exchange: units of ``currency`` per 1 USD from ``effective_date``."""

    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("currency", "effective_date", name="uq_rate_currency_date"),)

    currency: str = Field(max_length=3, index=True)
    effective_date: date
    rate: Decimal = Field(sa_type=DecimalText)


class Contribution(Stamped, table=True):
    """A pledge or a payment, with everything needed to reproduce its USD equivalent."""

    __tablename__ = "contribution"
    __table_args__ = (
        # covering index for the per-donor/per-currency totals, the fund position's outstanding
        # pledges and the dashboard's payments per donor and year (migration 0003)
        Index("ix_contribution_donor_kind_date", "donor_id", "kind", "date", "currency", "amount_minor", "usd_cents",
              "reversed", "reverses_id", "id"),
        Index("ix_contribution_date_kind", "date", "kind", "usd_cents"),
        # sorting by USD and filtering by currency in the contributions list (migration 0002)
        Index("ix_contribution_usd", "usd_cents"),
        Index("ix_contribution_currency_date", "currency", "date"),
        # the date of each payment allocated to a pledge, without reading the table (migration 0003)
        Index("ix_contribution_id_date", "id", "date"),
    )

    donor_id: uuid.UUID = Field(foreign_key="donor.id", index=True)
    kind: str = Field(max_length=8)
    date: date
    currency: str = Field(max_length=3)
    amount_minor: int = Field(sa_type=BigInteger)  # original amount, minor units of currency
    rate: Decimal = Field(sa_type=DecimalText)  # units per USD used (1 for USD)
    rate_date: date  # effective date of that rate
    usd_cents: int = Field(sa_type=BigInteger)  # USD equivalent, rounded once when recorded
    reference: str | None = Field(default=None, max_length=100, unique=True)  # donor's reference
    receipt_number: str | None = Field(default=None, max_length=20, unique=True)  # VTF-2026-0042
    earmark: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)
    # corrections: a reversing entry points at what it reverses; history is never overwritten
    reverses_id: uuid.UUID | None = Field(default=None, foreign_key="contribution.id")
    reversed: bool = Field(default=False)
    import_batch: str | None = Field(default=None, max_length=64)


class Allocation(Stamped, table=True):
    """Part of a payment applied to a pledge, in the pledge's currency."""

    __tablename__ = "allocation"
    # what was paid on each pledge up to a date, without reading the table (migration 0003)
    __table_args__ = (Index("ix_allocation_pledge_payment", "pledge_id", "payment_id", "amount_minor"),)

    payment_id: uuid.UUID = Field(foreign_key="contribution.id", index=True)
    pledge_id: uuid.UUID = Field(foreign_key="contribution.id", index=True)
    amount_minor: int = Field(sa_type=BigInteger)  # in the pledge's currency


class ReceiptCounter(Stamped, table=True):
    """Last receipt/acknowledgement number issued per year (VTF-YYYY-NNNN)."""

    __tablename__ = "receipt_counter"

    year: int = Field(unique=True)
    last: int = Field(default=0)
