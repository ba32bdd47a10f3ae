"""UN operational rates of exchange (UNORE): units of currency per 1 USD.

The rate for a transaction is the one in force on its date (``core/rate_in_force.py`` owns that
rule; ``find_rate`` and ``RateFound`` are re-exported here for the services' callers).
Changing or adding a rate never touches USD equivalents already recorded on transactions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import Contribution, ExchangeRate
from trustfund_app.core.money import USD, check_currency, to_decimal
from trustfund_app.core.rate_in_force import RateFound, find_rate
from trustfund_app.core.services.base import Service


def check_rate_value(value) -> Decimal:
    try:
        rate = to_decimal(value)
    except ValidationError:
        raise ValidationError(_('"{value}" is not a valid exchange rate').format(value=value), "rate")
    if rate <= 0:
        raise ValidationError(_("an exchange rate must be greater than zero"), "rate")
    return rate


__all__ = ["RateFound", "RateService", "check_rate_value", "find_rate"]


class RateService(Service):
    def rate_for(self, currency: str, on: date) -> RateFound:
        with self.db.reading() as s:
            return find_rate(s, currency, on)

    def set_rate(self, currency: str, effective_date: date, rate) -> str:
        """Add a rate, or correct the rate of that currency and date (recorded in the audit)."""
        code = check_currency(currency)
        if code == USD:
            raise ValidationError(_("USD is the base currency; its rate is always 1"), "currency")
        value = check_rate_value(rate)
        with self._write("rates") as s:
            row = s.scalar(select(ExchangeRate).where(
                ExchangeRate.currency == code, ExchangeRate.effective_date == effective_date))
            if row is None:
                row = ExchangeRate(currency=code, effective_date=effective_date, rate=value)
                s.add(row)
                action = "insert"
            else:
                row.rate, action = value, "update"
            rid = str(row.id)
        self._changed("exchange_rate", action, rid)
        return rid

    def add_month(self, effective_date: date, rates: dict[str, object]) -> int:
        """A whole monthly UNORE list in one transaction; all valid or nothing."""
        clean = {}
        for code, value in rates.items():
            c = check_currency(code)
            if c == USD:
                continue
            clean[c] = check_rate_value(value)
        with self._write("rates") as s:
            existing = {
                r.currency: r for r in s.scalars(select(ExchangeRate).where(ExchangeRate.effective_date == effective_date))
            }
            for code, value in clean.items():
                if code in existing:
                    existing[code].rate = value
                else:
                    s.add(ExchangeRate(currency=code, effective_date=effective_date, rate=value))
        self._changed("exchange_rate", "insert")
        return len(clean)

    def list(self, currency: str | None = None) -> list[dict]:
        with self.db.reading() as s:
            q = select(ExchangeRate).order_by(ExchangeRate.currency, ExchangeRate.effective_date.desc())
            if currency:
                q = q.where(ExchangeRate.currency == check_currency(currency))
            return [
                {"id": str(r.id), "currency": r.currency, "effective_date": r.effective_date, "rate": r.rate}
                for r in s.scalars(q)
            ]

    def currencies(self) -> list[str]:
        with self.db.reading() as s:
            return sorted(s.scalars(select(ExchangeRate.currency).distinct()))

    def usage(self, currency: str, effective_date: date) -> list[dict]:
        """The transactions that were recorded with this rate."""
        with self.db.reading() as s:
            rows = s.execute(
                select(Contribution.id, Contribution.date, Contribution.kind, Contribution.amount_minor,
                       Contribution.usd_cents, Contribution.reference)
                .where(Contribution.currency == check_currency(currency), Contribution.rate_date == effective_date)
                .order_by(Contribution.date)
            ).all()
            return [dict(r._mapping) | {"id": str(r.id)} for r in rows]

    def count_usage(self, currency: str, effective_date: date) -> int:
        with self.db.reading() as s:
            return s.scalar(select(func.count()).select_from(Contribution).where(
                Contribution.currency == currency, Contribution.rate_date == effective_date))
