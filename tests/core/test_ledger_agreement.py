"""Property tests on random funds: every place that says what is left to pay on pledges — the fund
position, the outstanding list, the donor detail and the donor statement — agrees to the cent at
random dates, and with the rule of PRODUCT.md computed here independently from what was recorded
(each pledge's remainder converted at the as-of rate and rounded half-up, then summed). Also:
allocations never exceed a pledge, and the stored USD equivalents and the position's "received"
follow the rounding rule.

Hypothesis runs derandomized (a fixed sequence of examples) when CI is set (tests/conftest.py).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from trustfund_app.core.db import Database
from trustfund_app.core.models import Allocation, Contribution
from trustfund_app.core.money import Money, minor_digits
from trustfund_app.core.reports.data import statement_data
from trustfund_app.core.services.base import APP_ITSELF
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.outstanding import OutstandingService
from trustfund_app.core.services.position import PositionService
from trustfund_app.core.services.rates import RateService

CURRENCIES = ("USD", "EUR", "JPY", "KWD")
# rates with many decimals, so that remainders land on half-cents and per-group conversion differs
RATES = {"EUR": Decimal("0.9213"), "JPY": Decimal("151.37"), "KWD": Decimal("0.30712")}
START = date(2024, 1, 1)
CENT = Decimal("0.01")


def rate_on(currency: str, on: date) -> Decimal:
    """The template's UNORE table: a new rate on the first of each month of 2024–2025."""
    if currency == "USD":
        return Decimal(1)
    month = min((on.year - 2024) * 12 + on.month - 1, 23)
    return RATES[currency] + Decimal(month) / 1000


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated database with three donors and rates; each example works on a copy of it."""
    path = tmp_path_factory.mktemp("ledger") / "template.sqlite3"
    db = Database.open(str(path))
    donors = DonorService(db, APP_ITSELF)
    ids = [donors.create("Donor A", "member_state", "FR", "fr"), donors.create("Donor B", "foundation", "JP", "en"),
           donors.create("Donor C", "private_sector", "KW", "ar")]
    rates = RateService(db, APP_ITSELF)
    for month in range(24):
        first = date(2024 + month // 12, month % 12 + 1, 1)
        rates.add_month(first, {c: rate_on(c, first) for c in RATES})
    db.dispose()
    return path, ids


def _fresh(template_path: Path) -> Database:
    folder = Path(tempfile.mkdtemp())
    copy = folder / "fund.sqlite3"
    shutil.copy(template_path, copy)
    return Database.open(str(copy), upgrade=False)


amount = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("5000000"), places=3)
entry = st.tuples(
    st.sampled_from(["pledge", "pledge", "payment", "reversal"]), st.integers(0, 2), st.sampled_from(CURRENCIES),
    amount, st.integers(0, 700),
)


def independent_outstanding(db, at: date) -> dict[tuple[str, str], list[int]]:
    """PRODUCT.md's rule from the raw rows: per (donor, currency), each open pledge's remainder in
    USD cents (amount − allocations of payments dated on or before ``at``, ÷ the as-of rate, half-up)."""
    payment = Contribution.__table__.alias("payment")
    with db.reading() as s:
        pledges = s.execute(select(Contribution.id, Contribution.donor_id, Contribution.currency,
                                   Contribution.amount_minor)
                            .where(Contribution.kind == "pledge", Contribution.date <= at,
                                   Contribution.reversed.is_(False), Contribution.reverses_id.is_(None))).all()
        allocated = dict(s.execute(
            select(Allocation.pledge_id, func.sum(Allocation.amount_minor))
            .join(payment, payment.c.id == Allocation.payment_id).where(payment.c.date <= at)
            .group_by(Allocation.pledge_id)).all())
    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pid, donor, currency, minor in pledges:
        left = minor - allocated.get(pid, 0)
        if left > 0:
            value = Decimal(left).scaleb(-minor_digits(currency))
            cents = (value / rate_on(currency, at)).quantize(CENT, rounding=ROUND_HALF_UP)
            out[(str(donor), currency)].append(int(cents * 100))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry, min_size=1, max_size=14), as_of_days=st.lists(st.integers(0, 760), min_size=2,
                                                                            max_size=3))
def test_random_funds_agree_to_the_cent_everywhere(template, entries, as_of_days):
    path, donor_ids = template
    db = _fresh(path)
    service = ContributionService(db, APP_ITSELF)
    expected_received: list[tuple[date, int]] = []
    payments: list[tuple[str, date, int]] = []
    for kind, who, currency, raw, day in entries:
        on = START + timedelta(days=day)
        if kind == "reversal":
            if payments:  # reverse the earliest payment still standing: its allocations go too
                pid, _on, _cents = payments.pop(0)
                service.reverse(pid, "entered twice")
                expected_received.remove((_on, _cents))
            continue
        value = Money.rounded(raw, currency)
        if not value.is_positive():
            continue
        record = service.record_pledge if kind == "pledge" else service.record_payment
        cid = record(donor_ids[who], on, value.amount, currency)
        if kind == "payment":
            # the rounding rule, computed independently: amount ÷ rate, half-up to the cent
            cents = int((value.amount / rate_on(currency, on)).quantize(CENT, rounding=ROUND_HALF_UP) * 100)
            expected_received.append((on, cents))
            payments.append((cid, on, cents))
    with db.reading() as s:  # allocations never exceed the pledge they pay
        assert s.execute(
            select(Contribution.id).join(Allocation, Allocation.pledge_id == Contribution.id)
            .group_by(Contribution.id, Contribution.amount_minor)
            .having(func.sum(Allocation.amount_minor) > Contribution.amount_minor)).all() == []
    outstanding = OutstandingService(db, APP_ITSELF)
    for as_of_day in as_of_days:
        at = START + timedelta(days=as_of_day)
        expected = independent_outstanding(db, at)
        position = PositionService(db, APP_ITSELF).position(at)
        received = sum(cents for on, cents in expected_received if on <= at)
        # reversals are dated like the payment they cancel, so they leave "received" exactly then
        assert position.received.minor == received
        assert position.pledged_outstanding.minor == sum(sum(v) for v in expected.values())

        report = outstanding.report(at)
        assert report.total_usd == position.pledged_outstanding
        assert {(line.donor_id, line.currency): line.usd.minor for line in report.lines} == {
            key: sum(v) for key, v in expected.items()}
        by_donor = {d.donor_id: d.usd for d in report.per_donor}
        for donor_id in donor_ids:
            detail = outstanding.donor_pledges(donor_id, at)
            detail_cents = sorted(p.usd.minor for p in detail)
            assert detail_cents == sorted(c for (d, _cur), v in expected.items() if d == donor_id for c in v)
            assert sum(detail_cents) == (by_donor[donor_id].minor if donor_id in by_donor else 0)
            with db.reading() as s:
                statement = statement_data(s, donor_id, date(at.year, 1, 1), at)
            assert [(p.date, p.usd) for p in statement.outstanding] == [(p.date, p.usd) for p in detail]
            assert statement.outstanding_usd.minor == sum(detail_cents)
    db.dispose()
