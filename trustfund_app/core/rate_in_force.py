"""The rate in force: the one UNORE rule, in one module (PRODUCT.md, money rules).

The rate for a currency on a date is the one with the latest effective date on or before that date;
USD is always 1; no such rate is a ``MissingRateError``. The rule over rates in memory is
``in_force_index``; three readings of it:

- ``find_rate``: one question, one query (a form, a service recording one transaction) — the same
  rule said in SQL (``effective_date <= on``, latest first);
- ``RateTable``: a currency's rates read once, then answered from memory (an import of 100,000
  rows must not mean 100,000 queries);
- ``services.rate_table.in_force``: the rates screen's "in force on a date" over rows it has.

``tests/core/test_rate_table.py`` checks that they answer alike around every rate's date.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import ExchangeRate
from trustfund_app.core.money import USD, check_currency


class MissingRateError(ValidationError):
    """No UNORE rate on or before the date for that currency."""

    def __init__(self, currency: str, on_date: date):
        super().__init__(
            _("no exchange rate for {currency} on or before {date}").format(currency=currency, date=on_date.isoformat()),
            field="currency",
        )
        self.currency = currency
        self.on_date = on_date


@dataclass(frozen=True)
class RateFound:
    currency: str
    rate: Decimal  # units of the currency per 1 USD
    effective_date: date


def _usd(on: date) -> RateFound:
    return RateFound(USD, Decimal(1), on)


def find_rate(session, currency: str, on: date) -> RateFound:
    """The rate of ``currency`` in force on ``on``."""
    code = check_currency(currency)
    if code == USD:
        return _usd(on)
    row = session.execute(
        select(ExchangeRate.rate, ExchangeRate.effective_date)
        .where(ExchangeRate.currency == code, ExchangeRate.effective_date <= on)
        .order_by(ExchangeRate.effective_date.desc())
        .limit(1)
    ).first()
    if row is None:
        raise MissingRateError(code, on)
    return RateFound(code, row.rate, row.effective_date)


def in_force_index(dates: list[date], on: date) -> int | None:
    """Index in ``dates`` (ascending effective dates of one currency) of the rate in force on
    ``on``: the latest on or before it; None before the first."""
    i = bisect.bisect_right(dates, on)
    return i - 1 if i else None


class RateTable:
    """``find_rate`` over each currency's rates read once (for as long as the session's view holds)."""

    def __init__(self, session):
        self.session = session
        self._by_currency: dict[str, tuple[list[date], list[Decimal]]] = {}

    def find(self, currency: str, on: date) -> RateFound:
        if currency == USD:
            return _usd(on)
        if currency not in self._by_currency:
            rows = self.session.execute(
                select(ExchangeRate.effective_date, ExchangeRate.rate)
                .where(ExchangeRate.currency == currency).order_by(ExchangeRate.effective_date)).all()
            self._by_currency[currency] = ([r[0] for r in rows], [r[1] for r in rows])
        dates, rates = self._by_currency[currency]
        i = in_force_index(dates, on)
        if i is None:
            raise MissingRateError(currency, on)
        return RateFound(currency, rates[i], dates[i])
