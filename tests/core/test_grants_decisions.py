"""Applications and decisions: ceilings, durations and envelopes enforced; overrides recorded."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from trustfund_app.core.errors import PermissionDenied, ValidationError
from trustfund_app.core.models import AuditEvent
from trustfund_app.core.services.grants import (
    ApplicationService, CycleService, GranteeService, GrantService, ReportService,
)
from trustfund_app.core.services.users import UserService
from tests.core.grants_setup import approved_grant, make_cycle


def test_ceiling_of_the_sub_programme_is_enforced(db, admin):
    fund = make_cycle(db, admin)
    apps = ApplicationService(db, admin)
    with pytest.raises(ValidationError) as err:
        apps.submit(fund.cycle, fund.sgp1, fund.grantee, "Emergency shelter", "COL", Decimal("20000.01"), 6)
    assert err.value.field == "requested" and "SGP1" in err.value.message
    with pytest.raises(ValidationError) as err:  # the Board cannot approve more than the ceiling either
        app = apps.submit(fund.cycle, fund.sgp1, fund.grantee, "Emergency shelter", "COL", Decimal("20000"), 6)
        apps.advance(app)
        apps.advance(app)
        apps.approve(app, None, date(2026, 4, 20), date(2026, 5, 1), amount=Decimal("20000.01"))
    assert err.value.field == "amount"
    assert GrantService(db).list() == []


def test_maximum_duration_is_enforced(db, admin):
    fund = make_cycle(db, admin)
    apps = ApplicationService(db, admin)
    with pytest.raises(ValidationError) as err:
        apps.submit(fund.cycle, fund.sgp1, fund.grantee, "Emergency shelter", "COL", Decimal("15000"), 10)
    assert err.value.field == "months"
    # 1 May 2026 – 31 Jan 2027 is 9 months: allowed; to 1 Feb 2027 it starts a 10th month: refused
    with pytest.raises(ValidationError, match="10 months"):
        approved_grant(db, admin, fund, amount="15000", months=9, sub=fund.sgp1, end=date(2027, 2, 1))
    grant = approved_grant(db, admin, fund, amount="15000", months=9, sub=fund.sgp1)
    assert GrantService(db).get(grant).end == date(2027, 1, 31)


def test_envelope_cannot_be_over_committed_without_a_recorded_override(db, admin):
    fund = make_cycle(db, admin, envelope="100000")
    approved_grant(db, admin, fund, amount="60000")
    with pytest.raises(ValidationError) as err:
        approved_grant(db, admin, fund, amount="50000")
    assert err.value.field == "envelope_override" and "10,000.00" in err.value.message.replace("$", "")
    grant = approved_grant(db, admin, fund, amount="50000", envelope_override="Board agreed to use 2025 savings")
    detail = GrantService(db).detail(grant)
    assert detail.envelope_override == "admin: Board agreed to use 2025 savings"
    with db.reading() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.entity == "grant", AuditEvent.entity_id == grant))
    assert "Board agreed to use 2025 savings" in event.after
    cycle = CycleService(db).get(fund.cycle)
    assert cycle.committed.minor == 11_000_000 and cycle.remaining.minor == -1_000_000
    # a grant that fits records no override, even if a reason is typed
    fund2 = make_cycle(db, admin, number=10)
    ok = approved_grant(db, admin, fund2, amount="1000", envelope_override="not needed")
    assert GrantService(db).detail(ok).envelope_override is None


def test_cancelled_grants_give_their_envelope_back(db, admin):
    fund = make_cycle(db, admin, envelope="60000")
    first = approved_grant(db, admin, fund, amount="60000")
    with pytest.raises(ValidationError):
        approved_grant(db, admin, fund, amount="10000")
    GrantService(db, admin).cancel(first, date(2026, 5, 2))
    approved_grant(db, admin, fund, amount="10000")
    assert CycleService(db).get(fund.cycle).committed.minor == 1_000_000


def test_workflow_steps_and_board_decision(db, admin):
    fund = make_cycle(db, admin)
    apps = ApplicationService(db, admin)
    app = apps.submit(fund.cycle, fund.sgp2, fund.grantee, "Legal aid", "COL", Decimal("40000"), 12)
    with pytest.raises(ValidationError, match="recommended"):
        apps.approve(app, None, date(2026, 4, 20), date(2026, 5, 1))
    assert apps.advance(app) == "screened"
    assert apps.advance(app) == "recommended"
    with pytest.raises(ValidationError):
        apps.advance(app)
    grant = apps.approve(app, "16th meeting", date(2026, 4, 21), date(2026, 6, 1), reference="VTF/2026/001")
    row = apps.get(app)
    assert (row.status, row.board_meeting, row.decided_on, row.grant_id) == ("approved", "16th meeting", date(2026, 4, 21), grant)
    detail = GrantService(db).detail(grant)
    assert detail.grant.reference == "VTF/2026/001" and detail.grant.amount.minor == 4_000_000
    assert detail.grant.end == date(2027, 5, 31) and detail.grant.status == "approved"
    assert {(r.kind, r.type) for r in detail.reports} == {
        ("interim", "narrative"), ("interim", "financial"), ("final", "narrative"), ("final", "financial")}
    other = apps.submit(fund.cycle, fund.sgp2, fund.grantee, "Another", "COL", Decimal("40000"), 12)
    apps.reject(other, date(2026, 4, 21), "16th meeting", "duplicate of an approved project")
    assert apps.get(other).status == "rejected"
    with pytest.raises(ValidationError):
        apps.reject(other, date(2026, 4, 21))
    # a read-only user changes nothing
    viewer = UserService(db, admin).add("rita", "read-only", "Quiet-River-42")
    with pytest.raises(PermissionDenied):
        ApplicationService(db, viewer).advance(app)


def test_eligibility_warnings_appear_on_the_application(db, admin):
    fund = make_cycle(db, admin)
    young = GranteeService(db, admin).create("New Hope", "PER", registration_number="R-9",
                                             registration_date=date(2025, 9, 1), psea_attested=False)
    app = ApplicationService(db, admin).submit(fund.cycle, fund.sgp1, young, "Shelter", "COL", Decimal("9000"), 6)
    codes = {w.code for w in ApplicationService(db).get(app).warnings}
    assert codes == {"registered_recently", "registered_elsewhere", "no_psea", "no_own_bank_account", "no_partner_portal"}
    good = ApplicationService(db, admin).submit(fund.cycle, fund.sgp1, fund.grantee, "Shelter", "COL", Decimal("9000"), 6)
    assert ApplicationService(db).get(good).warnings == ()
    unregistered = GranteeService(db, admin).create("Informal group", "COL")
    assert "not_registered" in {w.code for w in GranteeService(db).get(unregistered).warnings}
    assert "not registered" in GranteeService(db).get(unregistered).warnings[0].text


def test_reports_are_due_at_mid_term_and_two_months_after_the_end(db, admin):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, months=12, start=date(2026, 5, 1))  # ends 30 Apr 2027
    due = {(r.kind, r.type): r.due_date for r in ReportService(db).for_grant(grant)}
    assert due[("interim", "narrative")] == due[("interim", "financial")] == date(2026, 10, 30)
    assert due[("final", "narrative")] == date(2027, 6, 30)
