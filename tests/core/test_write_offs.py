"""Pledges that will not be paid: the unpaid part written off or cancelled with a reason, approved
by a second user with the finance role; outstanding pledges, statements and the fund position then
agree to the cent."""

from __future__ import annotations

from datetime import date

import pytest

from trustfund_app.core.errors import PermissionDenied, ValidationError
from trustfund_app.core.services.base import Actor
from trustfund_app.core.services.write_offs import WriteOffService

FIONA = Actor("fiona", "finance")


@pytest.fixture
def pledge(db, admin, finance, eur_rates):
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService

    donor = DonorService(db, admin).create("Norway", "member_state", "NOR")
    contributions = ContributionService(db, admin)
    pid = contributions.record_pledge(donor, date(2025, 3, 1), "1000", "EUR", reference="NOR-2025")
    contributions.record_payment(donor, date(2025, 6, 1), "400", "EUR")
    return pid


def test_request_then_approve_by_a_second_finance_user(db, admin, pledge):
    offs = WriteOffService(db, admin)
    wid = offs.request(pledge, "write_off", date(2026, 1, 15), "Donor confirmed it will not pay the balance")
    (row,) = offs.list(pledge_id=pledge)
    assert row.status == "requested" and str(row.amount.amount) == "600.00" and row.amount.currency == "EUR"
    with pytest.raises(PermissionDenied, match="finance role"):
        offs.approve(wid)  # an administrator is not the finance role
    WriteOffService(db, FIONA).approve(wid)
    (row,) = offs.list(pledge_id=pledge)
    assert row.status == "approved" and row.decided_by == "fiona"


def test_four_eyes_binds_the_requester(db, admin, finance, pledge):
    offs = WriteOffService(db, FIONA)
    wid = offs.request(pledge, "cancellation", date(2026, 1, 15), "Withdrawn by note verbale")
    with pytest.raises(PermissionDenied, match="four eyes"):
        offs.approve(wid)
    with pytest.raises(PermissionDenied):
        WriteOffService(db, Actor("paolo", "programme")).request(pledge, "write_off", date(2026, 1, 15), "x")


def test_request_rules(db, admin, pledge):
    offs = WriteOffService(db, admin)
    with pytest.raises(ValidationError, match="reason"):
        offs.request(pledge, "write_off", date(2026, 1, 15), " ")
    with pytest.raises(ValidationError, match="before the pledge"):
        offs.request(pledge, "write_off", date(2024, 1, 15), "x")
    offs.request("NOR-2025", "write_off", date(2026, 1, 15), "x")
    with pytest.raises(ValidationError, match="waiting for approval"):
        offs.request(pledge, "write_off", date(2026, 1, 15), "again")


def test_rejected_changes_nothing(db, admin, pledge):
    from trustfund_app.core.services.position import PositionService

    before = PositionService(db, admin).position(date(2026, 6, 30))
    wid = WriteOffService(db, admin).request(pledge, "write_off", date(2026, 1, 15), "x")
    WriteOffService(db, FIONA).reject(wid)
    assert PositionService(db, admin).position(date(2026, 6, 30)) == before


def test_written_off_pledge_leaves_outstanding_statements_and_position_consistent(db, admin, pledge):
    from trustfund_app.core.reports.data import statement_data
    from trustfund_app.core.services.outstanding import OutstandingService
    from trustfund_app.core.services.position import PositionService

    positions = PositionService(db, admin)
    at = date(2026, 6, 30)
    before = positions.position(at)
    assert str(before.pledged_outstanding.amount) == "652.17"  # 600 EUR at 0.92
    wid = WriteOffService(db, admin).request(pledge, "write_off", date(2026, 1, 15), "Will not pay")
    assert positions.position(at) == before  # a request alone changes nothing
    WriteOffService(db, FIONA).approve(wid)
    after = positions.position(at)
    assert after.pledged_outstanding.amount == 0
    # what was received, disbursed and available is untouched; the balance identity still holds
    assert (after.received, after.disbursed, after.psc, after.commitments) == \
        (before.received, before.disbursed, before.psc, before.commitments)
    assert after.balance == after.received - after.disbursed - after.psc
    # before the effective date the pledge was still outstanding
    assert positions.position(date(2026, 1, 14)).pledged_outstanding == before.pledged_outstanding
    report = OutstandingService(db, admin).report(at)
    assert report.total_usd.amount == 0 and not report.donors
    with db.reading() as s:
        donor_id = WriteOffService(db, admin).list()[0].donor_id
        data = statement_data(s, donor_id, date(2026, 1, 1), at)
        assert data.outstanding_usd.amount == 0
        assert [str(w.amount.amount) for w in data.written_off] == ["600.00"]


def test_a_written_off_pledge_is_no_longer_due(db, admin, pledge):
    from trustfund_app.core.services.due import DueService

    at = date(2026, 6, 30)
    assert [i.reference for i in DueService(db, admin).items(at, 30) if i.kind == "pledge"] == ["NOR-2025"]
    wid = WriteOffService(db, admin).request(pledge, "write_off", date(2026, 1, 15), "Will not pay")
    WriteOffService(db, FIONA).approve(wid)
    assert not [i for i in DueService(db, admin).items(at, 30) if i.kind == "pledge"]


def test_paid_in_part_rest_written_off_is_settled_in_the_list_outstanding_and_statement(db, admin, pledge):
    """Issue 18: the contributions list's status follows the ledger's rule (payments and approved
    write-offs), so the list, the donor's outstanding and the statement say the same thing."""
    from trustfund_app.core.reports.data import statement_data
    from trustfund_app.core.services.contribution_queries import ContributionFilter, list_page
    from trustfund_app.core.services.outstanding import OutstandingService

    def listed(**flt):
        with db.reading() as s:
            return [(r.reference, r.status) for r in list_page(s, ContributionFilter(kind="pledge", **flt))]

    at = date(2026, 6, 30)
    wid = WriteOffService(db, admin).request(pledge, "write_off", date(2026, 1, 15), "Will not pay")
    assert listed() == [("NOR-2025", "partly_paid")]  # a request alone changes nothing
    WriteOffService(db, FIONA).approve(wid)
    assert listed() == [("NOR-2025", "written_off")]
    assert listed(status="written_off") == [("NOR-2025", "written_off")]
    assert listed(status="partly_paid") == [] and listed(status="outstanding") == []
    donor_id = WriteOffService(db, admin).list()[0].donor_id
    outstanding = OutstandingService(db, admin)
    assert outstanding.report(at).lines == [] and outstanding.report(at).total_usd.amount == 0
    assert outstanding.donor_pledges(donor_id, at) == []  # the donor detail
    with db.reading() as s:
        data = statement_data(s, donor_id, date(2026, 1, 1), at)
    assert data.outstanding_usd.amount == 0


def test_a_pledge_paid_in_full_stays_paid(db, admin, eur_rates):
    from trustfund_app.core.services.contribution_queries import ContributionFilter, list_page
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService

    donor = DonorService(db, admin).create("Sweden", "member_state", "SWE")
    contributions = ContributionService(db, admin)
    contributions.record_pledge(donor, date(2025, 3, 1), "500", "EUR", reference="SWE-2025")
    contributions.record_payment(donor, date(2025, 6, 1), "500", "EUR")
    with db.reading() as s:
        assert [r.status for r in list_page(s, ContributionFilter(kind="pledge"))] == ["paid"]
