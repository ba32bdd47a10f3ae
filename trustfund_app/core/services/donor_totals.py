"""What a donor gave: pledges and payments per original currency and in USD, since inception and
per year — the figures of the donor detail pane."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from trustfund_app.core.models import Allocation, Contribution, ContributionKind
from trustfund_app.core.money import Money, cents_to_usd


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    pledged: Decimal  # in the currency
    paid: Decimal
    pledged_usd: Decimal  # sum of the stored USD equivalents
    paid_usd: Decimal
    outstanding: Decimal = Decimal(0)  # pledged minus what payments were allocated to those pledges


@dataclass(frozen=True)
class YearTotal:
    year: int
    pledged_usd: Decimal
    paid_usd: Decimal


@dataclass(frozen=True)
class YearCurrencyTotal:
    year: int
    currency: str
    pledged: Decimal  # in the currency
    paid: Decimal
    pledged_usd: Decimal
    paid_usd: Decimal


@dataclass(frozen=True)
class DonorTotals:
    by_currency: list[CurrencyTotal]
    by_year: list[YearTotal]  # newest first
    pledged_usd: Decimal  # since inception
    paid_usd: Decimal
    entries: int
    by_year_currency: list[YearCurrencyTotal] = field(default_factory=list)  # newest year first


def donor_totals(session, donor_id: str) -> DonorTotals:
    did = uuid.UUID(str(donor_id))
    rows = session.execute(
        select(Contribution.kind, Contribution.currency, func.sum(Contribution.amount_minor),
               func.sum(Contribution.usd_cents), func.count())
        .where(Contribution.donor_id == did)
        .group_by(Contribution.kind, Contribution.currency)
    ).all()
    per_currency: dict[str, dict] = {}
    entries = 0
    for kind, currency, minor, cents, count in rows:
        entry = per_currency.setdefault(currency, {"pledge": (0, 0), "payment": (0, 0)})
        entry[kind] = (int(minor or 0), int(cents or 0))
        entries += count
    # allocations are in the pledge's currency; reversed pledges never keep allocations
    allocated = dict(session.execute(
        select(Contribution.currency, func.sum(Allocation.amount_minor))
        .join(Contribution, Contribution.id == Allocation.pledge_id)
        .where(Contribution.donor_id == did).group_by(Contribution.currency)).all())
    by_currency = [
        CurrencyTotal(cur, Money.from_minor(v["pledge"][0], cur).amount, Money.from_minor(v["payment"][0], cur).amount,
                      cents_to_usd(v["pledge"][1]), cents_to_usd(v["payment"][1]),
                      Money.from_minor(max(v["pledge"][0] - int(allocated.get(cur) or 0), 0), cur).amount)
        for cur, v in sorted(per_currency.items())
    ]
    year = func.extract("year", Contribution.date)
    yearly: dict[int, dict] = {}
    per_year_currency: dict[tuple[int, str], dict] = {}
    for y, kind, currency, minor, cents in session.execute(
            select(year, Contribution.kind, Contribution.currency, func.sum(Contribution.amount_minor),
                   func.sum(Contribution.usd_cents))
            .where(Contribution.donor_id == did).group_by(year, Contribution.kind, Contribution.currency)):
        in_year = yearly.setdefault(int(y), {})
        in_year[kind] = in_year.get(kind, 0) + int(cents or 0)
        per_year_currency.setdefault((int(y), currency), {})[kind] = (int(minor or 0), int(cents or 0))
    by_year = [YearTotal(y, cents_to_usd(v.get(ContributionKind.PLEDGE, 0)), cents_to_usd(v.get(ContributionKind.PAYMENT, 0)))
               for y, v in sorted(yearly.items(), reverse=True) if any(v.values())]
    none = (0, 0)
    by_year_currency = [
        YearCurrencyTotal(y, cur, Money.from_minor(v.get(ContributionKind.PLEDGE, none)[0], cur).amount,
                          Money.from_minor(v.get(ContributionKind.PAYMENT, none)[0], cur).amount,
                          cents_to_usd(v.get(ContributionKind.PLEDGE, none)[1]),
                          cents_to_usd(v.get(ContributionKind.PAYMENT, none)[1]))
        for (y, cur), v in sorted(per_year_currency.items(), key=lambda item: (-item[0][0], item[0][1]))
        # a payment and its reversal in the same year leave nothing to show: no "2026 GBP £0.00" row
        if any(part for pair in v.values() for part in pair)
    ]
    return DonorTotals(by_currency, by_year, sum((c.pledged_usd for c in by_currency), Decimal("0.00")),
                       sum((c.paid_usd for c in by_currency), Decimal("0.00")), entries, by_year_currency)
