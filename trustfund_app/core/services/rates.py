"""UN operational rates of exchange (UNORE): units of currency per 1 USD.

The rate for a transaction is the one in force on its date (``core/rate_in_force.py`` owns that
rule; ``find_rate`` and ``RateFound`` are re-exported here for the services' callers).
Changing or adding a rate never touches USD equivalents already recorded on transactions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, ngettext
from trustfund_app.core.models import Contribution, ExchangeRate
from trustfund_app.core.money import USD, check_currency, to_decimal
from trustfund_app.core.rate_in_force import RateFound, find_rate
from trustfund_app.core.services.base import Service


# Bounds of a plausible UN operational rate (units per USD): the strongest currencies sit near 0.3
# (KWD), the weakest near 10^5 (LBP, IRR); these leave room for redenominations either way while
# refusing 1e308, 1e-30 or a typo that would make a CHF 1,000,000 pledge worth USD 0.00.
MIN_RATE = Decimal("0.0001")
MAX_RATE = Decimal("10000000")
MAX_RATE_DIGITS = 12  # significant digits; UNORE publishes at most 6
JUMP_LIMIT = Decimal("0.5")  # a change of more than 50 % from the previous rate needs a confirmation


def check_rate_value(value) -> Decimal:
    text = str(value)
    shown = text if len(text) <= 30 else text[:27] + "…"
    try:
        rate = to_decimal(value)
    except ValidationError:
        raise ValidationError(_('"{value}" is not a valid exchange rate').format(value=shown), "rate") from None
    if rate <= 0:
        raise ValidationError(_("an exchange rate must be greater than zero"), "rate")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValidationError(_("{value} is not a plausible exchange rate: it must lie between {low} and {high} units "
                                "per US dollar").format(value=shown, low=MIN_RATE, high=f"{MAX_RATE:,}"), "rate")
    if len(rate.normalize().as_tuple().digits) > MAX_RATE_DIGITS:
        raise ValidationError(ngettext("{value} has more than {count} significant digit; an exchange rate has fewer",
                                       "{value} has more than {count} significant digits; an exchange rate has fewer",
                                       MAX_RATE_DIGITS)
                              .format(value=shown, count=MAX_RATE_DIGITS), "rate")
    return rate


@dataclass(frozen=True)
class RateJump:
    currency: str
    effective_date: date
    rate: Decimal
    previous: Decimal
    previous_date: date

    @property
    def change_percent(self) -> Decimal:
        return ((self.rate - self.previous) / self.previous * 100).quantize(Decimal(1))

    def text(self) -> str:
        return _("{currency} {rate} from {date} is {change:+} % from the previous rate {previous} ({previous_date})").format(
            currency=self.currency, rate=self.rate, date=self.effective_date.isoformat(), change=self.change_percent,
            previous=self.previous, previous_date=self.previous_date.isoformat())


class RateJumpError(ValidationError):
    """Rates more than 50 % away from the previous rate of their currency, not confirmed."""

    def __init__(self, jumps: list[RateJump]):
        self.jumps = jumps
        super().__init__(_("{jumps}; check it or confirm the change").format(
            jumps="; ".join(j.text() for j in jumps)), "rate")


def is_jump(previous: Decimal, rate: Decimal) -> bool:
    return abs(rate - previous) > previous * JUMP_LIMIT


def previous_rate(session: Session, currency: str, on: date) -> tuple[Decimal, date] | None:
    """The rate a new rate of ``currency`` from ``on`` follows: the latest one before it, else
    (a rate put before every other) the earliest one after it."""
    before = session.execute(select(ExchangeRate.rate, ExchangeRate.effective_date).where(
        ExchangeRate.currency == currency, ExchangeRate.effective_date < on)
        .order_by(ExchangeRate.effective_date.desc()).limit(1)).first()
    if before is None:
        before = session.execute(select(ExchangeRate.rate, ExchangeRate.effective_date).where(
            ExchangeRate.currency == currency, ExchangeRate.effective_date > on)
            .order_by(ExchangeRate.effective_date).limit(1)).first()
    return (before.rate, before.effective_date) if before else None


def find_jumps(session: Session, on: date, rates: dict[str, Decimal]) -> list[RateJump]:
    jumps = []
    for code, rate in sorted(rates.items()):
        found = previous_rate(session, code, on)
        if found and is_jump(found[0], rate):
            jumps.append(RateJump(code, on, rate, *found))
    return jumps


__all__ = ["RateFound", "RateService", "check_rate_value", "find_jumps", "find_rate"]


class RateService(Service):
    def rate_for(self, currency: str, on: date) -> RateFound:
        with self.db.reading() as s:
            return find_rate(s, currency, on)

    def set_rate(self, currency: str, effective_date: date, rate, accept_jump: bool = False) -> str:
        """Add a rate, or correct the rate of that currency and date (recorded in the audit). A
        rate more than 50 % away from the previous one raises RateJumpError unless ``accept_jump``."""
        code = check_currency(currency)
        if code == USD:
            raise ValidationError(_("USD is the base currency; its rate is always 1"), "currency")
        value = check_rate_value(rate)
        with self._write("rates") as s:
            jumps = [] if accept_jump else find_jumps(s, effective_date, {code: value})
            if jumps:
                raise RateJumpError(jumps)
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

    def add_month(self, effective_date: date, rates: dict[str, object], accept_jumps: bool = False) -> int:
        """A whole monthly UNORE list in one transaction; all valid or nothing. Rates more than
        50 % away from the previous ones raise RateJumpError (naming them all) unless ``accept_jumps``."""
        clean = {}
        for code, value in rates.items():
            c = check_currency(code)
            if c == USD:
                continue
            clean[c] = check_rate_value(value)
        with self._write("rates") as s:
            jumps = [] if accept_jumps else find_jumps(s, effective_date, clean)
            if jumps:
                raise RateJumpError(jumps)
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
