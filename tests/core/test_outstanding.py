"""Outstanding pledges with age: what a finance officer reads on the outstanding-pledges screen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from trustfund_app.core.money import Money
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.outstanding import (
    FROM_1_TO_2, FROM_2_TO_5, OVER_5, UNDER_1, OutstandingService, age_bucket,
)
from trustfund_app.core.services.position import PositionService
from tests.actors import READER


@pytest.mark.parametrize("oldest, bucket", [
    (date(2026, 6, 1), UNDER_1),
    (date(2025, 6, 2), UNDER_1),  # 364 days
    (date(2025, 6, 1), FROM_1_TO_2),  # exactly one year
    (date(2024, 6, 2), FROM_1_TO_2),
    (date(2024, 6, 1), FROM_2_TO_5),  # exactly two years
    (date(2021, 6, 1), FROM_2_TO_5),  # exactly five years
    (date(2021, 5, 31), OVER_5),
])
def test_age_buckets(oldest, bucket):
    assert age_bucket(oldest, date(2026, 6, 1)) == bucket


def test_age_on_29_february():
    assert age_bucket(date(2023, 2, 28), date(2024, 2, 29)) == FROM_1_TO_2
    assert age_bucket(date(2023, 3, 1), date(2024, 2, 29)) == UNDER_1


@pytest.fixture
def fund(db, admin, eur_rates):
    donors, contributions = DonorService(db, admin), ContributionService(db, admin)
    sweden = donors.create("Sweden", "member_state", "SE", "en")
    norway = donors.create("Norway", "member_state", "NO", "en")
    paid = donors.create("Chile", "member_state", "CL", "en")
    contributions.record_pledge(sweden, date(2025, 3, 10), "1000", "EUR", reference="SE-1")
    contributions.record_pledge(sweden, date(2026, 2, 1), "200", "USD", reference="SE-2")
    contributions.record_payment(sweden, date(2026, 4, 1), "400", "EUR", reference="SE-P1")
    contributions.record_pledge(norway, date(2020, 1, 15), "500", "USD", reference="NO-1")
    contributions.record_pledge(paid, date(2025, 1, 15), "300", "USD", reference="CL-1")
    contributions.record_payment(paid, date(2025, 2, 15), "300", "USD", reference="CL-P1")
    return {"sweden": sweden, "norway": norway, "chile": paid}


def test_outstanding_per_donor_in_pledge_currency_and_usd_at_the_as_of_rate(db, eur_rates, fund):
    eur_rates.set_rate("EUR", date(2026, 6, 1), Decimal("0.8"))  # revalued at the as-of rate
    report = OutstandingService(db, READER).report(date(2026, 6, 15))
    by_name = {d.donor_name: d for d in report.per_donor}
    assert set(by_name) == {"Sweden", "Norway"}  # Chile paid in full
    sweden = by_name["Sweden"]
    assert [(line.currency, line.outstanding) for line in sweden.lines] == [
        ("EUR", Money("600", "EUR")), ("USD", Money("200", "USD"))]
    assert sweden.usd == Money("950", "USD")  # 600 / 0.8 + 200
    assert sweden.oldest == date(2025, 3, 10) and sweden.bucket == FROM_1_TO_2
    assert by_name["Norway"].bucket == OVER_5 and by_name["Norway"].age_days == (date(2026, 6, 15) - date(2020, 1, 15)).days
    assert report.total_usd == Money("1450", "USD") == PositionService(db, READER).position(date(2026, 6, 15)).pledged_outstanding
    assert report.donors == 2
    assert report.by_currency == {"EUR": Money("600", "EUR"), "USD": Money("700", "USD")}
    buckets = {b.key: (b.usd, b.donors) for b in report.buckets}
    # each donor/currency balance ages with its own oldest pledge
    assert buckets[FROM_1_TO_2] == (Money("750", "USD"), 1)
    assert buckets[UNDER_1] == (Money("200", "USD"), 1)
    assert buckets[OVER_5] == (Money("500", "USD"), 1)
    assert buckets[FROM_2_TO_5] == (Money("0", "USD"), 0)
    assert sum((b.usd for b in report.buckets), Money("0", "USD")) == report.total_usd


def test_outstanding_before_a_payment_counts_the_whole_pledge(db, fund):
    report = OutstandingService(db, READER).report(date(2026, 3, 1))
    sweden = next(d for d in report.per_donor if d.donor_name == "Sweden")
    assert sweden.lines[0].outstanding == Money("1000", "EUR")
    assert sweden.lines[0].usd == Money("1086.96", "USD")  # 1000 / 0.92, half-up to the cent
    assert OutstandingService(db, READER).report(date(2019, 12, 31)).per_donor == []


def test_a_donors_open_pledges_on_a_date(db, eur_rates, fund):
    service = OutstandingService(db, READER)
    pledges = service.donor_pledges(fund["sweden"], date(2026, 6, 15))
    assert [(p.reference, p.pledged, p.paid, p.outstanding, p.bucket) for p in pledges] == [
        ("SE-1", Money("1000", "EUR"), Money("400", "EUR"), Money("600", "EUR"), FROM_1_TO_2),
        ("SE-2", Money("200", "USD"), Money("0", "USD"), Money("200", "USD"), UNDER_1),
    ]
    assert pledges[0].usd == Money("652.17", "USD")  # 600 / 0.92
    # the per-pledge figures add up to the donor's line (one pledge per currency here: with several,
    # rounding each pledge to the cent may differ from the line by a cent)
    report = service.report(date(2026, 6, 15))
    sweden = next(d for d in report.per_donor if d.donor_id == fund["sweden"])
    assert sum((p.usd for p in pledges), Money("0", "USD")) == sweden.usd
    # before the payment the whole pledge was open; the paid-up donor has none
    assert service.donor_pledges(fund["sweden"], date(2026, 3, 31))[0].paid == Money("0", "EUR")
    assert service.donor_pledges(fund["chile"], date(2026, 6, 15)) == []
