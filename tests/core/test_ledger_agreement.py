"""Property tests on random ledgers: allocations never exceed a pledge, totals per currency
reconcile exactly, the position identities always hold, and rounding follows the rule."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from trustfund_app.core.db import Database
from trustfund_app.core.models import Allocation, Contribution
from trustfund_app.core.money import Money
from trustfund_app.core.services.base import APP_ITSELF as SYSTEM
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.position import fund_position
from trustfund_app.core.services.rates import RateService

CURRENCIES = ("USD", "EUR", "JPY", "KWD")
RATES = {"EUR": Decimal("0.9213"), "JPY": Decimal("151.37"), "KWD": Decimal("0.30712")}
START = date(2024, 1, 1)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated database with two donors and rates; each example works on a copy of it."""
    path = tmp_path_factory.mktemp("ledger") / "template.sqlite3"
    db = Database.open(str(path))
    donors = DonorService(db, SYSTEM)
    ids = [donors.create("Donor A", "member_state", "FR", "fr"), donors.create("Donor B", "foundation", "JP", "en")]
    rates = RateService(db, SYSTEM)
    for month in range(24):
        first = date(2024 + month // 12, month % 12 + 1, 1)
        rates.add_month(first, {c: r + Decimal(month) / 1000 for c, r in RATES.items()})
    db.dispose()
    return path, ids


def _fresh(template_path: Path) -> Database:
    folder = Path(tempfile.mkdtemp())
    copy = folder / "fund.sqlite3"
    shutil.copy(template_path, copy)
    return Database.open(str(copy), upgrade=False)


amount = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("5000000"), places=3)
entry = st.tuples(
    st.sampled_from(["pledge", "payment"]), st.integers(0, 1), st.sampled_from(CURRENCIES), amount,
    st.integers(0, 700),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry, min_size=1, max_size=12), as_of_day=st.integers(0, 730))
def test_random_ledgers_reconcile(template, entries, as_of_day):
    path, donor_ids = template
    db = _fresh(path)
    service = ContributionService(db, SYSTEM)
    expected_usd: dict[str, int] = {}
    for kind, who, currency, raw, day in entries:
        value = Money.rounded(raw, currency)
        if not value.is_positive():
            continue
        on = START + timedelta(days=day)
        record = service.record_pledge if kind == "pledge" else service.record_payment
        record(donor_ids[who], on, value.amount, currency)
        # the rounding rule, computed independently: amount ÷ rate, half-up to the cent
        rate = Decimal(1) if currency == "USD" else RATES[currency] + Decimal((on.year - 2024) * 12 + on.month - 1) / 1000
        usd = (value.amount / rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if kind == "payment":
            expected_usd[currency] = expected_usd.get(currency, 0) + int(usd * 100)
    at = START + timedelta(days=as_of_day)
    with db.reading() as s:
        # allocations never exceed the pledge they pay
        over = s.execute(
            select(Contribution.id)
            .join(Allocation, Allocation.pledge_id == Contribution.id)
            .group_by(Contribution.id, Contribution.amount_minor)
            .having(func.sum(Allocation.amount_minor) > Contribution.amount_minor)
        ).all()
        assert over == []
        # per currency, the stored USD equivalents are exactly the independently rounded ones
        stored = dict(s.execute(
            select(Contribution.currency, func.sum(Contribution.usd_cents))
            .where(Contribution.kind == "payment").group_by(Contribution.currency)).all())
        assert {k: v for k, v in stored.items()} == expected_usd
        position = fund_position(s, at)
    assert position.balance == position.received - position.disbursed - position.psc
    assert position.available == position.balance - position.commitments
    assert position.pledged_outstanding.amount >= 0
    db.dispose()
