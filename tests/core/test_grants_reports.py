"""Grantee reports (overdue list, reminders) and victims assisted."""

from datetime import date

import pytest

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.services.grants import GrantService, ReportService, VictimsService
from tests.core.grants_setup import approved_grant, interim, make_cycle


def test_overdue_list_counts_days_and_forgets_received_reports(db, admin):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, months=12)  # interim due 30 Oct 2026
    reports = ReportService(db, admin)
    assert reports.overdue(date(2026, 10, 30)) == []
    overdue = reports.overdue(date(2026, 11, 9))
    assert [(r.kind, r.type, r.days_overdue) for r in overdue] == [("interim", "financial", 10), ("interim", "narrative", 10)]
    assert overdue[0].reference == GrantService(db, admin).get(grant).reference and overdue[0].email == "ana@example.org"
    assert "10 days overdue" in overdue[0].reminder_text() and "Ana Pérez" in overdue[0].reminder_text()
    reports.receive(interim(db, grant), date(2026, 11, 5))
    assert [r.type for r in reports.overdue(date(2026, 11, 9))] == ["narrative"]
    # the reminders view also shows what falls due soon
    upcoming = reports.reminders(date(2026, 10, 1), within_days=30)
    assert [(r.type, r.days_overdue) for r in upcoming] == [("narrative", -29)]
    with pytest.raises(ValidationError, match="received before"):
        reports.approve(interim(db, grant, "narrative"), date(2026, 11, 9))
    with pytest.raises(ValidationError, match="before the date the report was received"):
        reports.approve(interim(db, grant), date(2026, 11, 1))


def test_cancelled_grants_are_not_chased(db, admin):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, months=12)
    GrantService(db, admin).cancel(grant, date(2026, 6, 1))
    assert ReportService(db, admin).overdue(date(2027, 12, 31)) == []


def test_victims_per_report_and_fund_wide_per_year(db, admin):
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, months=12)
    victims, reports = VictimsService(db, admin), ReportService(db, admin)
    first = interim(db, grant, "narrative")
    final = next(r.id for r in reports.for_grant(grant) if r.kind == "final" and r.type == "narrative")
    reports.receive(first, date(2026, 11, 2))
    reports.receive(final, date(2027, 6, 20))
    victims.record(first, {"shelter": {"women": 12, "girls": 5}, "legal": (3, 0, 2, 1), "medical": (0, 0, 0, 0)})
    victims.record(final, {"shelter": (4, 1, 0, 0)})
    rows = victims.for_report(first)
    assert [(v.assistance, v.total) for v in rows] == [("legal", 6), ("shelter", 17)]
    victims.record(first, {"shelter": {"women": 10, "girls": 5}, "legal": (3, 0, 2, 1)})  # corrected: replaces
    totals = {(v.year, v.assistance): (v.women, v.girls, v.men, v.boys) for v in victims.totals_by_year()}
    assert totals == {(2026, "legal"): (3, 0, 2, 1), (2026, "shelter"): (10, 5, 0, 0), (2027, "shelter"): (4, 1, 0, 0)}
    assert sum(v.total for v in victims.for_grant(grant)) == 6 + 15 + 5
    with pytest.raises(ValidationError):
        victims.record(first, {"shelter": (-1, 0, 0, 0)})
    with pytest.raises(ValidationError):
        victims.record(first, {"cooking": (1, 0, 0, 0)})
