"""Outstanding pledges at a date, per donor and overall, with their age.

What is left on each pledge is ``core/ledger``'s rule: the report is built on
``position.outstanding_by_donor`` (one row per donor and pledge currency, each pledge's remainder
valued in USD at the as-of rate and rounded, then summed) and the donor detail on
``ledger.pledges_left``, so both agree to the cent with the fund position and the statements. The age of a balance is the age of its oldest pledge that still has
something outstanding (a receivable is as old as its oldest unpaid part): per donor and currency
for the age buckets, per donor (over all its currencies) for the donor's own age.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from trustfund_app.core.i18n import N_
from trustfund_app.core.ledger import RatesAt, pledges_left
from trustfund_app.core.money import USD, Money
from trustfund_app.core.services.base import Service
from trustfund_app.core.services.position import OutstandingPledges, outstanding_by_donor

UNDER_1, FROM_1_TO_2, FROM_2_TO_5, OVER_5 = "under_1", "1_to_2", "2_to_5", "over_5"
AGE_BUCKETS = (
    (UNDER_1, N_("Less than 1 year")),
    (FROM_1_TO_2, N_("1–2 years")),
    (FROM_2_TO_5, N_("2–5 years")),
    (OVER_5, N_("More than 5 years")),
)
BUCKET_LABELS = dict(AGE_BUCKETS)


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_bucket(oldest: date, at: date) -> str:
    """Less than 1 year: pledged after the same day a year earlier; exactly one year old is 1–2;
    exactly five years old is still 2–5; older than that is more than 5 years."""
    if oldest > years_before(at, 1):
        return UNDER_1
    if oldest > years_before(at, 2):
        return FROM_1_TO_2
    if oldest >= years_before(at, 5):
        return FROM_2_TO_5
    return OVER_5


@dataclass(frozen=True)
class OutstandingLine:
    """One donor's outstanding pledges in one currency."""

    donor_id: str
    donor_name: str
    currency: str
    outstanding: Money  # in the pledge currency
    usd: Money  # at the as-of rate
    oldest: date
    age_days: int
    bucket: str


@dataclass(frozen=True)
class DonorOutstanding:
    """Everything a donor still owes, over all its pledge currencies."""

    donor_id: str
    donor_name: str
    lines: tuple[OutstandingLine, ...]
    usd: Money
    oldest: date
    age_days: int
    bucket: str

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(line.currency for line in self.lines)


@dataclass(frozen=True)
class BucketTotal:
    key: str
    label: str  # msgid
    usd: Money
    donors: int  # donors with a balance (in some currency) of that age


@dataclass(frozen=True)
class OutstandingReport:
    as_of: date
    lines: list[OutstandingLine]
    per_donor: list[DonorOutstanding]
    total_usd: Money
    by_currency: dict[str, Money] = field(default_factory=dict)  # pledge currency → amount in it
    usd_by_currency: dict[str, Money] = field(default_factory=dict)
    usd_by_bucket: dict[str, Money] = field(default_factory=dict)  # every bucket, zero when empty
    donors_by_bucket: dict[str, int] = field(default_factory=dict)

    @property
    def donors(self) -> int:
        """How many donors owe something."""
        return len(self.per_donor)

    @property
    def buckets(self) -> list[BucketTotal]:
        return [BucketTotal(key, label, self.usd_by_bucket[key], self.donors_by_bucket[key])
                for key, label in AGE_BUCKETS]


def _line(row: OutstandingPledges, at: date) -> OutstandingLine:
    return OutstandingLine(row.donor_id, row.donor_name, row.currency, row.outstanding, row.usd, row.oldest,
                           (at - row.oldest).days, age_bucket(row.oldest, at))


def outstanding_report(session, at: date) -> OutstandingReport:
    lines = [_line(row, at) for row in outstanding_by_donor(session, at)]
    per_donor: dict[str, list[OutstandingLine]] = {}
    for line in lines:
        per_donor.setdefault(line.donor_id, []).append(line)
    donors = []
    for donor_lines in per_donor.values():
        oldest = min(line.oldest for line in donor_lines)
        donors.append(DonorOutstanding(
            donor_lines[0].donor_id, donor_lines[0].donor_name, tuple(donor_lines),
            sum((line.usd for line in donor_lines), Money.zero(USD)), oldest, (at - oldest).days,
            age_bucket(oldest, at)))
    by_currency: dict[str, Money] = {}
    usd_by_currency: dict[str, Money] = {}
    usd_by_bucket = {key: Money.zero(USD) for key, _label in AGE_BUCKETS}
    donors_by_bucket = {key: 0 for key, _label in AGE_BUCKETS}
    for line in lines:
        by_currency[line.currency] = by_currency.get(line.currency, Money.zero(line.currency)) + line.outstanding
        usd_by_currency[line.currency] = usd_by_currency.get(line.currency, Money.zero(USD)) + line.usd
        usd_by_bucket[line.bucket] += line.usd
    for key in donors_by_bucket:
        donors_by_bucket[key] = len({line.donor_id for line in lines if line.bucket == key})
    total = sum((line.usd for line in lines), Money.zero(USD))
    return OutstandingReport(at, lines, donors, total, dict(sorted(by_currency.items())),
                             dict(sorted(usd_by_currency.items())), usd_by_bucket, donors_by_bucket)


@dataclass(frozen=True)
class OpenPledgeAt:
    """One of a donor's pledges with something outstanding on the as-of date."""

    id: str
    date: date
    reference: str | None
    receipt_number: str | None
    pledged: Money
    paid: Money  # by payments dated on or before the as-of date
    usd: Money  # what is left, at the as-of rate
    age_days: int
    bucket: str

    @property
    def outstanding(self) -> Money:
        return self.pledged - self.paid


def open_pledges_at(session, donor_id: str, at: date) -> list[OpenPledgeAt]:
    """The donor's pledges with something left on ``at``, oldest first (``core/ledger``)."""
    rates = RatesAt(session, at)
    return [OpenPledgeAt(p.id, p.date, p.reference, p.receipt_number, p.pledged, p.paid, rates.usd(p.left),
                         (at - p.date).days, age_bucket(p.date, at))
            for p in pledges_left(session, at, donor_id)]


class OutstandingService(Service):
    def report(self, at: date | None = None) -> OutstandingReport:
        with self.db.reading() as s:
            return outstanding_report(s, at or date.today())

    def donor_pledges(self, donor_id: str, at: date | None = None) -> list[OpenPledgeAt]:
        with self.db.reading() as s:
            return open_pledges_at(s, donor_id, at or date.today())
