"""What the exchange-rates screen shows: every UNORE rate with how many transactions were
recorded with it, and the list a new month starts from (the currencies of the month before).

Counting usage is one grouped query over the contributions (by currency and rate date), so the
table stays quick however many transactions there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from trustfund_app.core.models import Contribution, Donor, ExchangeRate
from trustfund_app.core.money import USD, Money, check_currency
from trustfund_app.core.rate_in_force import in_force_index
from trustfund_app.core.services.base import Service


@dataclass(frozen=True)
class RateRow:
    id: str
    currency: str
    effective_date: date
    rate: Decimal
    used_by: int  # transactions recorded with this rate
    previous: Decimal | None  # the rate of that currency before this one (to spot typos)

    @property
    def change_percent(self) -> Decimal | None:
        if not self.previous:
            return None
        return (self.rate - self.previous) / self.previous * 100


@dataclass(frozen=True)
class MonthTemplateRow:
    currency: str
    previous_rate: Decimal
    previous_date: date


def in_force(rows: list[RateRow], at: date) -> list[RateRow]:
    """Per currency, the rate a transaction dated ``at`` would use (``rate_in_force``'s rule)."""
    by_currency: dict[str, list[RateRow]] = {}
    for row in sorted(rows, key=lambda r: (r.currency, r.effective_date)):
        by_currency.setdefault(row.currency, []).append(row)
    found = []
    for currency, dated in by_currency.items():
        i = in_force_index([r.effective_date for r in dated], at)
        if i is not None:
            found.append(dated[i])
    return found


@dataclass(frozen=True)
class RateUse:
    """A transaction recorded with a rate; ``rate`` is the one it kept (a later correction of the
    rate table does not change it, nor its USD equivalent)."""

    id: str
    date: date
    kind: str
    donor: str
    amount: Money
    rate: Decimal
    usd: Money
    reference: str | None
    receipt_number: str | None


def first_of_previous_month(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def rate_rows(session, currency: str | None = None) -> list[RateRow]:
    code = check_currency(currency) if currency else None
    usage_query = select(Contribution.currency, Contribution.rate_date, func.count()).group_by(
        Contribution.currency, Contribution.rate_date)
    query = select(ExchangeRate.id, ExchangeRate.currency, ExchangeRate.effective_date, ExchangeRate.rate).order_by(
        ExchangeRate.currency, ExchangeRate.effective_date)
    if code:
        usage_query = usage_query.where(Contribution.currency == code)
        query = query.where(ExchangeRate.currency == code)
    usage = {(cur, day): int(n) for cur, day, n in session.execute(usage_query)}
    rows, previous = [], {}
    for rid, cur, day, rate in session.execute(query):
        rows.append(RateRow(str(rid), cur, day, rate, usage.get((cur, day), 0), previous.get(cur)))
        previous[cur] = rate
    return rows


def month_template(session, effective_date: date) -> list[MonthTemplateRow]:
    """The currencies of the month before ``effective_date`` (each with its latest rate in that
    month); when that month has no rates, every currency that ever had one, with its last rate."""
    start = first_of_previous_month(effective_date)
    in_month = (ExchangeRate.effective_date >= start) & (ExchangeRate.effective_date < effective_date.replace(day=1))
    template = _latest_per_currency(session, in_month)
    if not template:
        template = _latest_per_currency(session, ExchangeRate.effective_date < effective_date)
    return template


def _latest_per_currency(session, condition) -> list[MonthTemplateRow]:
    latest: dict[str, MonthTemplateRow] = {}
    for cur, day, rate in session.execute(
        select(ExchangeRate.currency, ExchangeRate.effective_date, ExchangeRate.rate)
        .where(condition).order_by(ExchangeRate.currency, ExchangeRate.effective_date)
    ):
        latest[cur] = MonthTemplateRow(cur, rate, day)
    return list(latest.values())


USES_SHOWN = 2000  # a monthly rate serves dozens of transactions; a list is for reading, not export


def rate_uses(session, currency: str, effective_date: date, limit: int = USES_SHOWN) -> list[RateUse]:
    """The first ``limit`` transactions recorded with the rate, oldest first."""
    code = check_currency(currency)
    rows = session.execute(
        select(Contribution.id, Contribution.date, Contribution.kind, Donor.name, Contribution.amount_minor,
               Contribution.rate, Contribution.usd_cents, Contribution.reference, Contribution.receipt_number)
        .join(Donor, Donor.id == Contribution.donor_id)
        .where(Contribution.currency == code, Contribution.rate_date == effective_date)
        .order_by(Contribution.date, Donor.name).limit(limit)
    ).all()
    return [RateUse(str(cid), day, kind, donor, Money.from_minor(minor, code), rate, Money.from_minor(cents, USD),
                    reference, receipt)
            for cid, day, kind, donor, minor, rate, cents, reference, receipt in rows]


class RateTableService(Service):
    def rows(self, currency: str | None = None) -> list[RateRow]:
        with self.db.reading() as s:
            return rate_rows(s, currency)

    def uses(self, currency: str, effective_date: date) -> list[RateUse]:
        with self.db.reading() as s:
            return rate_uses(s, currency, effective_date)

    def month_template(self, effective_date: date) -> list[MonthTemplateRow]:
        with self.db.reading() as s:
            return month_template(s, effective_date)

    def rates_on(self, effective_date: date) -> dict[str, Decimal]:
        """The rates already effective on exactly that date (a list being corrected)."""
        with self.db.reading() as s:
            return dict(s.execute(select(ExchangeRate.currency, ExchangeRate.rate)
                                  .where(ExchangeRate.effective_date == effective_date)).all())

    def next_list_date(self, today: date) -> date:
        """Where a new monthly list most likely goes: the 1st of this month, or of the month after
        the latest list when this month's is already in."""
        with self.db.reading() as s:
            latest = s.scalar(select(func.max(ExchangeRate.effective_date)))
        this_month = today.replace(day=1)
        if latest is None or latest < this_month:
            return this_month
        start = latest.replace(day=1)
        return date(start.year + 1, 1, 1) if start.month == 12 else date(start.year, start.month + 1, 1)
