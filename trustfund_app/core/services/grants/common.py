"""Small helpers shared by the grant services: ids, USD amounts, month arithmetic, lookups."""

from __future__ import annotations

import calendar
import uuid
from datetime import date, timedelta

from trustfund_app.core.errors import NotFoundError, ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.money import USD, Money, check_plausible


def as_uuid(value, field: str = "id") -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise ValidationError(_('"{value}" is not a valid identifier').format(value=value), field)


def fetch(session, model, value, what: str):
    """The row of ``model`` with id ``value`` or a NotFoundError naming ``what``."""
    row = session.get(model, as_uuid(value))
    if row is None:
        raise NotFoundError(_("{what} {id} does not exist").format(what=what, id=value))
    return row


def usd(cents) -> Money:
    return Money.from_minor(int(cents or 0), USD)


def to_cents(amount, field: str = "amount", allow_zero: bool = False) -> int:
    """USD cents from Money, Decimal, int cents-free amounts or decimal text; must be positive."""
    money = amount if isinstance(amount, Money) else Money(amount, USD)
    if money.currency != USD:
        raise ValidationError(_("grant amounts are in US dollars"), field)
    if money.amount < 0 or (money.amount == 0 and not allow_zero):
        raise ValidationError(_("the amount must be greater than zero"), field)
    check_plausible(money, money, field)
    return money.minor


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (clamped to the month's last day: 31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def spread_dates(start: date, end: date, count: int) -> list[date]:
    """``count`` instalment dates over a grant period: the first on ``start``, the others at equal
    steps after it, the last one step before ``end`` (a final report falls due at the end)."""
    if count <= 0:
        return []
    step = max((end - start).days, 0) / count
    return [start + timedelta(days=round(step * i)) for i in range(count)]


def months_between(start: date, end: date) -> int:
    """Whole or started months a project from ``start`` to ``end`` (inclusive) runs: 1 Jan–31 Dec
    is 12 months, 1 Jan–1 Jan next year is 13 (it started a 13th month)."""
    months = 0
    while add_months(start, months) <= end:
        months += 1
    return months


def required_text(value, field: str, message: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not text:
        raise ValidationError(message, field)
    return text


def optional_text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def money_text(cents) -> str:
    """A USD amount for a message, formatted for the user's language ($10,000.00)."""
    from trustfund_app.core.i18n import format_money

    return format_money(usd(cents))
