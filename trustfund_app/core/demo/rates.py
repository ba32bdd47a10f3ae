"""A UNORE-like history of exchange rates: a full list effective on the 1st of every month, plus a
few mid-month revisions for the volatile currencies, as the UN Treasury publishes them.

Each currency follows a random walk (in logarithms) pulled gently back to its typical level, so
fifteen years look like history rather than noise; pegged currencies (SAR, QAR, AED) stay put.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from trustfund_app.core.demo.data import CURRENCIES, CurrencySeed

MEAN_REVERSION = 0.06
REVISION_CHANCE = 0.04  # per volatile currency and month


@dataclass
class RateHistory:
    """Rates per currency as (effective dates, rates), both sorted."""

    dates: dict[str, list[date]] = field(default_factory=dict)
    rates: dict[str, list[Decimal]] = field(default_factory=dict)

    def add(self, currency: str, effective: date, rate: Decimal) -> None:
        self.dates.setdefault(currency, []).append(effective)
        self.rates.setdefault(currency, []).append(rate)

    def rate_on(self, currency: str, on: date) -> Decimal:
        """The UNORE rule (latest effective date on or before ``on``); USD is 1. Used only to size
        amounts while planning; the recorded rate comes from ``find_rate`` in the database."""
        if currency == "USD":
            return Decimal(1)
        i = bisect.bisect_right(self.dates[currency], on) - 1
        if i < 0:
            raise LookupError(f"no {currency} rate on {on}")
        return self.rates[currency][i]

    def rows(self) -> list[dict]:
        return [dict(currency=cur, effective_date=d, rate=r)
                for cur in sorted(self.dates) for d, r in zip(self.dates[cur], self.rates[cur])]


def _published(value: float, seed: CurrencySeed) -> Decimal:
    # the rate as the UN publishes it: a fixed number of decimals, exact text from then on
    return Decimal(f"{value:.{seed.decimals}f}")


def months(first: date, last: date) -> list[date]:
    out, y, m = [], first.year, first.month
    while date(y, m, 1) <= last:
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def generate_rates(rng: random.Random, first: date, last: date) -> RateHistory:
    history = RateHistory()
    month_starts = months(first, last)
    for seed in CURRENCIES:
        target = math.log(seed.level)
        x = target + rng.gauss(0, seed.monthly_sigma * 3)
        for start in month_starts:
            if seed.monthly_sigma:
                x += MEAN_REVERSION * (target - x) + rng.gauss(0, seed.monthly_sigma)
            history.add(seed.code, start, _published(math.exp(x), seed))
            if seed.monthly_sigma >= 0.02 and rng.random() < REVISION_CHANCE:
                # a sharp move inside the month: a revision effective mid-month
                x += rng.gauss(0, seed.monthly_sigma * 2)
                revised = date(start.year, start.month, rng.choice((15, 16)))
                if revised <= last:
                    history.add(seed.code, revised, _published(math.exp(x), seed))
    return history
