"""What each demo donor pledges and pays over fifteen years, decided from the seeded generator.

Member States and the larger organisations pledge in most years (a note verbale, an agreement) in
their own currency and pay later: in full, in two parts, partly (the rest stays outstanding) or not
yet. A few companies and foundations pledge for three years and pay year by year (those payments
go to their open pledges oldest first). People and campaigns give without pledging, and now and
then a Member State pays without a pledge. Nothing is dated after ``today``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from trustfund_app.core.demo.data import EARMARKS, TIER_PLEDGE_CHANCE, TIER_USD
from trustfund_app.core.demo.donors import DemoDonor
from trustfund_app.core.demo.rates import RateHistory
from trustfund_app.core.models import ContributionKind, DonorType
from trustfund_app.core.money import Money, minor_digits

# how a pledge is paid: (weight, behaviour)
BEHAVIOURS = ((62, "full"), (18, "two"), (10, "partial"), (10, "none"))
MULTI_YEAR = 3


@dataclass
class PlannedEntry:
    donor: DemoDonor
    kind: str
    date: date
    amount: Money
    reference: str | None = None
    earmark: str | None = None
    note: str | None = None
    pays: "PlannedEntry | None" = None  # the pledge a payment is for
    oldest_first: bool = False  # allocate to the donor's open pledges, oldest first
    order: int = field(default=0)  # tie-break for entries of the same day


def nice_amount(value: float, currency: str) -> Decimal:
    """A pledge-like figure: two or three significant digits, whole units of the currency."""
    if value < 1:
        value = 1
    digits = 3 if value >= 100_000 else 2
    step = 10 ** max(int(math.floor(math.log10(value))) - digits + 1, 0)
    return Decimal(max(int(round(value / step)), 1) * step)


def _in_currency(usd: float, currency: str, on: date, rates: RateHistory) -> Money:
    return Money(nice_amount(usd * float(rates.rate_on(currency, on)), currency), currency)


def _part(total: Money, share: float) -> Money:
    """About ``share`` of ``total`` in round figures, never all of it."""
    part = nice_amount(float(total.amount) * share, total.currency)
    if part >= total.amount:
        part = (total.amount * Decimal("0.5")).quantize(Decimal(1).scaleb(-minor_digits(total.currency)))
    return Money(part, total.currency)


def _gift_note(donor: DemoDonor, on: date) -> str:
    if donor.seed.type == DonorType.OTHER:
        return "Online donations collected in {month}".format(month=on.strftime("%Y-%m"))
    return "Personal donation"


class ContributionPlanner:
    def __init__(self, rng: random.Random, rates: RateHistory, first_year: int, today: date):
        self.rng, self.rates, self.first_year, self.today = rng, rates, first_year, today
        self.entries: list[PlannedEntry] = []
        self._bank_refs = 0

    def plan(self, donors: list[DemoDonor]) -> list[PlannedEntry]:
        for index, donor in enumerate(donors):
            tier = donor.seed.tier
            start = self.first_year if tier == "major" else self.first_year + self.rng.randint(0, 7)
            yearly_usd = self.rng.uniform(*TIER_USD[tier])
            before = len(self.entries)
            if tier == "gift":
                self._gifts(donor, start, yearly_usd)
            elif donor.seed.type in (DonorType.PRIVATE_SECTOR, DonorType.FOUNDATION) and self.rng.random() < 0.5:
                self._multi_year(donor, index, start, yearly_usd)
            else:
                self._yearly(donor, index, start, yearly_usd)
            if len(self.entries) == before:
                self._at_least_one(donor, index, start, yearly_usd)
        return self.entries

    # -- donor patterns --------------------------------------------------------------------
    def _yearly(self, donor: DemoDonor, index: int, start: int, yearly_usd: float) -> None:
        n = 0
        for year in range(start, self.today.year + 1):
            if self.rng.random() < TIER_PLEDGE_CHANCE[donor.seed.tier]:
                on = self._day_in(year, 2, 11)
                usd = yearly_usd * math.exp(self.rng.gauss(0, 0.2))
                if on is None:
                    continue
                n += 1
                earmark = self.rng.choice(EARMARKS) if self.rng.random() < 0.15 else None
                pledge = self._add(donor, ContributionKind.PLEDGE, on, _in_currency(usd, donor.seed.currency, on, self.rates),
                                   reference=self._pledge_reference(donor, index, year, n), earmark=earmark)
                self._payments_for(pledge)
            if donor.seed.type == DonorType.MEMBER_STATE and self.rng.random() < 0.06:
                on = self._day_in(year, 1, 12)
                if on is not None:
                    amount = _in_currency(yearly_usd * self.rng.uniform(0.1, 0.4), donor.seed.currency, on, self.rates)
                    self._add(donor, ContributionKind.PAYMENT, on, amount, reference=self._bank_reference(year),
                              note="Voluntary contribution without a pledge")

    def _multi_year(self, donor: DemoDonor, index: int, start: int, yearly_usd: float) -> None:
        for year in range(start, self.today.year + 1, MULTI_YEAR):
            on = self._day_in(year, 1, 4)
            if on is None:
                continue
            yearly = _in_currency(yearly_usd, donor.seed.currency, on, self.rates)
            total = Money(yearly.amount * MULTI_YEAR, yearly.currency)
            self._add(donor, ContributionKind.PLEDGE, on, total,
                      reference=self._pledge_reference(donor, index, year, 1),
                      note=f"Partnership agreement {year}-{year + MULTI_YEAR - 1}")
            for k in range(MULTI_YEAR):
                paid_on = self._day_in(year + k, 3, 12)
                if paid_on is not None and paid_on > on and self.rng.random() < 0.9:
                    self._add(donor, ContributionKind.PAYMENT, paid_on, yearly, reference=self._bank_reference(year + k),
                              oldest_first=True)

    def _gifts(self, donor: DemoDonor, start: int, yearly_usd: float) -> None:
        for year in range(start, self.today.year + 1):
            for _k in range(self.rng.randint(0, 3)):
                on = self._day_in(year, 1, 12)
                if on is None:
                    continue
                usd = yearly_usd * self.rng.uniform(0.2, 1.0)
                amount = _in_currency(usd, donor.seed.currency, on, self.rates)
                self._add(donor, ContributionKind.PAYMENT, on, amount, note=_gift_note(donor, on))

    def _at_least_one(self, donor: DemoDonor, index: int, start: int, yearly_usd: float) -> None:
        """Every donor in the registry has given something (a statement of nothing would puzzle
        whoever explores the demo). ``start`` is at least seven years back, so the year is past."""
        year = self.rng.randint(start, self.today.year - 2)
        on = date(year, self.rng.randint(2, 11), self.rng.randint(1, 28))
        amount = _in_currency(yearly_usd, donor.seed.currency, on, self.rates)
        if donor.seed.tier == "gift":
            self._add(donor, ContributionKind.PAYMENT, on, amount, note=_gift_note(donor, on))
            return
        pledge = self._add(donor, ContributionKind.PLEDGE, on, amount,
                           reference=self._pledge_reference(donor, index, year, 1))
        self._pay(pledge, on + timedelta(days=self.rng.randint(20, 200)), amount)

    # -- payments of one pledge ------------------------------------------------------------
    def _payments_for(self, pledge: PlannedEntry) -> None:
        behaviour = self._weighted(BEHAVIOURS)
        age = (self.today - pledge.date).days
        if behaviour == "none" and age > 4 * 365:
            behaviour = "late"  # old pledges were paid in the end, late
        rng, d, total = self.rng, pledge.date, pledge.amount
        if behaviour == "full":
            self._pay(pledge, d + timedelta(days=rng.randint(20, 200)), total)
        elif behaviour == "late":
            self._pay(pledge, d + timedelta(days=rng.randint(300, 600)), total)
        elif behaviour in ("two", "partial"):
            first = _part(total, rng.uniform(0.35, 0.75))
            first_on = d + timedelta(days=rng.randint(30, 150))
            if self._pay(pledge, first_on, first) and behaviour == "two":
                self._pay(pledge, first_on + timedelta(days=rng.randint(90, 300)), total - first)

    def _pay(self, pledge: PlannedEntry, on: date, amount: Money) -> bool:
        if on > self.today:
            return False  # not paid yet: outstanding
        self._add(pledge.donor, ContributionKind.PAYMENT, on, amount, reference=self._bank_reference(on.year),
                  earmark=pledge.earmark, pays=pledge)
        return True

    # -- helpers ---------------------------------------------------------------------------
    def _add(self, donor, kind, on, amount, **fields) -> PlannedEntry:
        entry = PlannedEntry(donor, kind, on, amount, order=len(self.entries), **fields)
        self.entries.append(entry)
        return entry

    def _day_in(self, year: int, first_month: int, last_month: int) -> date | None:
        on = date(year, self.rng.randint(first_month, last_month), self.rng.randint(1, 28))
        return on if on <= self.today else None

    def _weighted(self, choices):
        pick = self.rng.uniform(0, sum(w for w, _v in choices))
        for weight, value in choices:
            pick -= weight
            if pick <= 0:
                return value
        return choices[-1][1]

    def _bank_reference(self, year: int) -> str | None:
        if self.rng.random() < 0.3:
            return None  # not every transfer comes with a usable reference
        self._bank_refs += 1
        return f"TRF-{year}-{self._bank_refs:05d}"

    @staticmethod
    def _pledge_reference(donor: DemoDonor, index: int, year: int, n: int) -> str:
        if donor.seed.type == DonorType.MEMBER_STATE:
            return f"NV/{donor.seed.country}/{year}/{n:02d}"  # note verbale
        return f"AGR/{index:02d}/{year}/{n:02d}"
