"""Grants in the fund position: commitments, disbursements with PSC, refunds, closure."""

from datetime import date
from decimal import Decimal

import pytest

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.grants import GrantService, InstalmentService, PlannedInstalment, ReportService
from trustfund_app.core.services.position import PositionService
from trustfund_app.core.services.settings import SettingsService
from tests.core.grants_setup import approved_grant, interim, make_cycle, pay, two_instalments
from tests.actors import READER


def position(db, at):
    return PositionService(db, READER).position(at)


def assert_identities(p):
    assert p.balance == p.received - p.disbursed - p.psc
    assert p.available == p.balance - p.commitments


@pytest.fixture
def funded(db, admin):
    donor = DonorService(db, admin).create("Norway", "member_state", "NO", "en")
    ContributionService(db, admin).record_payment(donor, date(2026, 1, 15), Decimal("500000"), "USD")
    return make_cycle(db, admin)


def test_a_grant_moves_from_commitment_to_disbursement_with_its_psc(db, admin, finance, funded):
    grant = approved_grant(db, admin, funded, amount="50000")
    p = position(db, date(2026, 4, 30))
    assert (p.commitments.minor, p.disbursed.minor, p.psc.minor) == (5_000_000, 0, 0)
    assert p.available.minor == 50_000_000 - 5_000_000
    assert position(db, date(2026, 4, 19)).commitments.minor == 0  # approved on the 20th
    first, second = two_instalments(db, admin, grant)
    pay(db, admin, finance, first, date(2026, 5, 12))
    p = position(db, date(2026, 5, 31))
    assert (p.disbursed.minor, p.psc.minor, p.commitments.minor) == (3_000_000, 390_000, 2_000_000)
    assert p.balance.minor == 50_000_000 - 3_000_000 - 390_000
    assert_identities(p)
    assert position(db, date(2026, 5, 11)).disbursed.minor == 0  # as of a date before the payment


def test_a_refund_changes_the_position_exactly(db, admin, finance, funded):
    grant = approved_grant(db, admin, funded, amount="50000")
    first, second = two_instalments(db, admin, grant, held=False)
    pay(db, admin, finance, first, date(2026, 5, 12))
    pay(db, admin, finance, second, date(2026, 11, 2))
    before = position(db, date(2026, 12, 31))
    with pytest.raises(ValidationError, match="more than was paid"):
        GrantService(db, admin).refund(grant, date(2026, 12, 1), Decimal("50000.01"))
    with pytest.raises(ValidationError, match="more than was paid"):  # only 30,000 was paid by June
        GrantService(db, admin).refund(grant, date(2026, 6, 1), Decimal("30000.01"))
    GrantService(db, admin).refund(grant, date(2026, 12, 1), Decimal("1234.57"), "unspent balance")
    after = position(db, date(2026, 12, 31))
    # 13 % of 1,234.57 = 160.4941 → 160.49 given back with it
    assert before.disbursed.minor - after.disbursed.minor == 123_457
    assert before.psc.minor - after.psc.minor == 16_049
    assert after.balance.minor - before.balance.minor == 123_457 + 16_049
    assert after.commitments == before.commitments
    assert_identities(after)
    detail = GrantService(db, admin).detail(grant)
    assert [(r.amount.minor, r.psc.minor, r.note) for r in detail.refunds] == [(123_457, 16_049, "unspent balance")]
    assert detail.grant.refunded.minor == 123_457


def test_a_full_refund_gives_back_all_psc_even_with_two_rates(db, admin, finance, funded):
    grant = approved_grant(db, admin, funded, amount="1.50")
    ids = InstalmentService(db, admin).set_schedule(grant, [
        PlannedInstalment(date(2026, 5, 1), Decimal("0.50")), PlannedInstalment(date(2026, 5, 2), Decimal("0.50")),
        PlannedInstalment(date(2026, 5, 3), Decimal("0.50"))])
    pay(db, admin, finance, ids[0], date(2026, 5, 1))
    pay(db, admin, finance, ids[1], date(2026, 5, 2))
    SettingsService(db, admin).set("psc_rate_percent", "7")
    pay(db, admin, finance, ids[2], date(2026, 5, 3))
    p = position(db, date(2026, 5, 31))
    assert (p.disbursed.minor, p.psc.minor) == (150, 7 + 7 + 4)  # 0.065→0.07 twice, 0.035→0.04
    # mixed rates: PSC given back in proportion to PSC charged: 50 × 18 / 150 = 6
    GrantService(db, admin).refund(grant, date(2026, 6, 1), Decimal("0.50"))
    assert position(db, date(2026, 6, 1)).psc.minor == 12
    GrantService(db, admin).refund(grant, date(2026, 6, 2), Decimal("1.00"))
    p = position(db, date(2026, 6, 30))
    assert (p.disbursed.minor, p.psc.minor) == (0, 0)
    assert_identities(p)


def test_closing_ends_the_commitment_and_needs_the_final_reports(db, admin, finance, funded):
    grant = approved_grant(db, admin, funded, amount="50000")
    first, _second = two_instalments(db, admin, grant)
    pay(db, admin, finance, first, date(2026, 5, 12))
    grants = GrantService(db, admin)
    with pytest.raises(ValidationError, match="final reports"):
        grants.close(grant, date(2028, 7, 1))
    reports = ReportService(db, admin)
    for r in reports.for_grant(grant):
        if r.kind == "final":
            reports.receive(r.id, date(2028, 6, 1))
            reports.approve(r.id, date(2028, 6, 15))
    grants.close(grant, date(2028, 7, 1))
    assert position(db, date(2028, 6, 30)).commitments.minor == 2_000_000
    p = position(db, date(2028, 7, 1))
    assert p.commitments.minor == 0 and p.disbursed.minor == 3_000_000
    assert_identities(p)
    with pytest.raises(ValidationError, match="closed"):
        InstalmentService(db, admin).prepare(_second)
    assert GrantService(db, admin).list(status="closed")[0].to_pay.minor == 0


def test_grant_list_filters(db, admin, funded):
    a = approved_grant(db, admin, funded, amount="10000")
    b = approved_grant(db, admin, funded, amount="20000")
    GrantService(db, admin).cancel(b, date(2026, 5, 1))
    grants = GrantService(db, admin)
    assert [g.id for g in grants.list(status="approved")] == [a]
    assert {g.id for g in grants.list(cycle_id=funded.cycle, country="CO")} == {a, b}
    assert grants.list(country="PER") == []
    assert grants.get(a).region == "americas" and grants.get(a).grantee == "Casa Esperanza"
    assert interim(db, a)
