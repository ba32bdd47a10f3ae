"""Instalment schedules sum exactly; four eyes bind everyone; held instalments wait for their report."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from trustfund_app.core.errors import PermissionDenied, ValidationError
from trustfund_app.core.services.grants import (
    InstalmentService, PlannedInstalment, ReportService, split_cents,
)
from trustfund_app.core.services.settings import SettingsService
from trustfund_app.core.services.users import UserService
from tests.core.grants_setup import approved_grant, interim, make_cycle, pay, two_instalments


@given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=1, max_value=24))
def test_split_distributes_every_cent(total, parts):
    shares = split_cents(total, parts)
    assert sum(shares) == total and len(shares) == parts
    assert max(shares) - min(shares) <= 1


def test_split_by_weights_is_exact():
    assert split_cents(5_000_001, [Decimal("60"), Decimal("40")]) == [3_000_001, 2_000_000]
    assert split_cents(100, 3) == [34, 33, 33]


def test_a_schedule_must_add_up_to_the_grant_to_the_cent(db, admin):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, amount="50000")
    service = InstalmentService(db, admin)
    with pytest.raises(ValidationError) as err:
        service.set_schedule(grant, [PlannedInstalment(date(2026, 5, 10), Decimal("30000")),
                                     PlannedInstalment(date(2026, 11, 10), Decimal("19999.99"))])
    assert "49,999.99" in err.value.message or "49999.99" in err.value.message
    assert service.for_grant(grant) == []
    ids = service.set_schedule(grant, [PlannedInstalment(date(2026, 5, 10), Decimal("30000")),
                                       PlannedInstalment(date(2026, 11, 10), Decimal("20000"))])
    rows = service.for_grant(grant)
    assert [r.id for r in rows] == ids and [r.seq for r in rows] == [1, 2]
    assert sum(r.amount.minor for r in rows) == 5_000_000
    # the schedule can be replaced while nothing is prepared ...
    service.set_schedule(grant, [PlannedInstalment(date(2026, 5, 10), Decimal(c) / 100)
                                 for c in split_cents(5_000_000, 3)])
    assert [r.amount.minor for r in service.for_grant(grant)] == [1_666_667, 1_666_667, 1_666_666]
    # ... but not once an instalment is prepared
    service.prepare(service.for_grant(grant)[0].id)
    with pytest.raises(ValidationError):
        service.set_schedule(grant, [PlannedInstalment(date(2026, 5, 10), Decimal("50000"))])


def test_the_same_user_cannot_prepare_and_approve_administrators_included(db, admin, finance):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund)
    first, second = two_instalments(db, admin, grant, held=False)
    InstalmentService(db, admin).prepare(first)
    with pytest.raises(PermissionDenied, match="four eyes"):
        InstalmentService(db, admin).approve(first, date(2026, 5, 12))
    InstalmentService(db, finance).prepare(second)
    with pytest.raises(PermissionDenied, match="four eyes"):
        InstalmentService(db, finance).approve(second, date(2026, 5, 12))
    assert all(r.status == "prepared" for r in InstalmentService(db).for_grant(grant))
    # a programme officer may prepare but never approve a payment
    programme = UserService(db, admin).add("paul", "programme", "Quiet-River-42")
    with pytest.raises(PermissionDenied):
        InstalmentService(db, programme).approve(first, date(2026, 5, 12))
    InstalmentService(db, finance).approve(first, date(2026, 5, 12))
    InstalmentService(db, admin).approve(second, date(2026, 5, 12))
    rows = InstalmentService(db).for_grant(grant)
    assert [(r.prepared_by, r.approved_by, r.status) for r in rows] == [
        ("admin", "fiona", "paid"), ("fiona", "admin", "paid")]


def test_a_held_instalment_is_not_paid_before_its_report_is_approved(db, admin, finance):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund)
    first, second = two_instalments(db, admin, grant)
    pay(db, admin, finance, first, date(2026, 5, 12))
    InstalmentService(db, admin).prepare(second)
    held = InstalmentService(db).for_grant(grant)[1]
    assert held.is_held and held.held_until == "Interim financial report"
    with pytest.raises(ValidationError, match="held until the interim financial report"):
        InstalmentService(db, finance).approve(second, date(2027, 6, 1))
    reports = ReportService(db, admin)
    reports.receive(interim(db, grant), date(2027, 5, 2))
    with pytest.raises(ValidationError, match="held until"):  # received is not approved
        InstalmentService(db, finance).approve(second, date(2027, 6, 1))
    reports.approve(interim(db, grant), date(2027, 5, 20))
    with pytest.raises(ValidationError, match="held until"):  # not on a date before the approval
        InstalmentService(db, finance).approve(second, date(2027, 5, 19))
    InstalmentService(db, finance).approve(second, date(2027, 6, 1))
    assert InstalmentService(db).for_grant(grant)[1].paid_on == date(2027, 6, 1)


def test_payment_stores_the_psc_rate_in_force_and_rounds_half_up(db, admin, finance):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, amount="20000.05")
    first, second = two_instalments(db, admin, grant, first="10000.05", second="10000", held=False)
    pay(db, admin, finance, first, date(2026, 5, 12))
    SettingsService(db, admin).set("psc_rate_percent", "7")
    pay(db, admin, finance, second, date(2026, 8, 1))
    rows = InstalmentService(db).for_grant(grant)
    # 13 % of 10,000.05 = 1,300.0065 → 1,300.01 ; 7 % of 10,000 = 700.00
    assert [(r.psc_rate, r.psc.minor) for r in rows] == [(Decimal("13"), 130_001), (Decimal("7"), 70_000)]
    from trustfund_app.core.services.grants import GrantService
    assert GrantService(db).get(grant).status == "active"
