"""Monitoring visits with follow-up actions, and the deadlines in one place (Due, .ics)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from tests.core.grants_setup import approved_grant, make_cycle, two_instalments
from tests.core.resilience_helpers import cli, sqlite_only
from trustfund_app.core.errors import PermissionDenied, ValidationError
from trustfund_app.core.services.due import DueService, calendar_bytes
from trustfund_app.core.services.visits import VisitService

TODAY = date.today()


@pytest.fixture
def grant(db, admin):
    fund = make_cycle(db, admin)
    return approved_grant(db, admin, fund)


def test_visit_with_actions_is_listed_on_its_grant(db, admin, grant):
    visits = VisitService(db, admin)
    visit = visits.record(grant, TODAY - timedelta(days=3), "M. Okafor (ROSAF)", "Shelter full; files in order.")
    visits.add_action(visit, "Send the updated beneficiary register", TODAY + timedelta(days=1), "programme")
    done = visits.add_action(visit, "Repair the fire exit", TODAY + timedelta(days=40))
    visits.set_status(done, "done", TODAY)
    (row,) = visits.for_grant(grant)
    assert row.visitors == "M. Okafor (ROSAF)" and row.findings.startswith("Shelter full")
    assert [a.description for a in row.actions] == ["Send the updated beneficiary register", "Repair the fire exit"]
    assert row.open_actions == 1 and row.actions[1].done_on == TODAY
    assert visits.list(year=TODAY.year)[0].id == visit


def test_visit_rules(db, admin, grant):
    from trustfund_app.core.services.base import Actor

    visits = VisitService(db, admin)
    with pytest.raises(ValidationError, match="say who visited"):
        visits.record(grant, TODAY, "  ")
    with pytest.raises(ValidationError, match="future"):
        visits.record(grant, TODAY + timedelta(days=2), "A. B.")
    visit = visits.record(grant, TODAY, "A. B.")
    with pytest.raises(ValidationError, match="before the visit"):
        visits.add_action(visit, "x", TODAY - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        VisitService(db, Actor("fiona", "finance")).record(grant, TODAY, "A. B.")


def test_action_due_tomorrow_is_in_due_and_in_the_ics(db, admin, grant):
    visits = VisitService(db, admin)
    visit = visits.record(grant, TODAY, "M. Okafor")
    action = visits.add_action(visit, "Send the updated beneficiary register", TODAY + timedelta(days=1), "admin")
    items = DueService(db, admin).items(TODAY, 30)
    mine = [i for i in items if i.kind == "action"]
    assert [(i.record_id, i.due_date, i.days_left, i.overdue) for i in mine] == [(action, TODAY + timedelta(days=1), 1, False)]
    cal = Calendar.from_ical(calendar_bytes(items))
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    event = events[f"action-{action}@trustfund-desk"]
    assert event.decoded("DTSTART") == TODAY + timedelta(days=1)
    assert "Send the updated beneficiary register" in str(event["SUMMARY"])
    visits.set_status(action, "done")
    assert not [i for i in DueService(db, admin).items(TODAY, 30) if i.kind == "action"]


def test_due_gathers_reports_instalments_and_overdue_pledges(db, admin, eur_rates):
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService

    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund, start=date(2026, 5, 1))
    two_instalments(db, admin, grant)
    donor = DonorService(db, admin).create("Norway", "member_state", "NOR")
    contributions = ContributionService(db, admin)
    contributions.record_pledge(donor, date(2025, 3, 1), "1000", "EUR", reference="NOR-2025")
    contributions.record_payment(donor, date(2025, 6, 1), "400", "EUR")
    contributions.record_pledge(donor, date(2026, 3, 1), "500", "EUR", reference="NOR-2026")
    at = date(2026, 6, 1)
    items = DueService(db, admin).items(at, 30)
    (instalment,) = [i for i in items if i.kind == "instalment"]
    assert instalment.due_date == date(2026, 5, 10) and instalment.days_left == -22
    assert str(instalment.amount.amount) == "30000.00" and instalment.party == "Casa Esperanza"
    (pledge,) = [i for i in items if i.kind == "pledge"]
    assert pledge.reference == "NOR-2025" and pledge.overdue and str(pledge.amount.amount) == "600.00"
    assert pledge.due_date == date(2026, 3, 1)
    assert all(i.due_date <= at + timedelta(days=30) for i in items)
    later = DueService(db, admin).items(date(2027, 6, 1), 30)
    assert {i.reference for i in later if i.kind == "pledge"} == {"NOR-2025", "NOR-2026"}
    assert any(i.kind == "report" and i.overdue for i in later)


def test_mine_follows_assignment_and_role(db, admin, finance, grant):
    from trustfund_app.core.services.base import Actor

    visits = VisitService(db, admin)
    visit = visits.record(grant, TODAY, "M. Okafor")
    visits.add_action(visit, "for fiona", TODAY + timedelta(days=2), "fiona")
    visits.add_action(visit, "for someone else", TODAY + timedelta(days=2), "paolo")
    fiona = DueService(db, Actor("fiona", "finance")).items(TODAY, 30, mine=True)
    assert [i.subject for i in fiona if i.kind == "action"] == ["for fiona"]
    assert all(i.kind in ("action", "instalment", "pledge") for i in fiona)


@sqlite_only
def test_due_command_json_and_ics(tmp_path, capsys, monkeypatch):
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.users import UserService

    path = tmp_path / "fund.sqlite3"
    db = Database.open(path)
    admin = UserService(db).create_first_admin("admin", "Quiet-River-42")
    fund = make_cycle(db, admin)
    grant = approved_grant(db, admin, fund)
    visit = VisitService(db, admin).record(grant, TODAY, "M. Okafor")
    action = VisitService(db, admin).add_action(visit, "Call the shelter director", TODAY + timedelta(days=1))
    db.dispose()
    ics = tmp_path / "due.ics"
    code, out, err = cli(["--db", str(path), "due", "--days", "7", "--json", "--ics", str(ics)], capsys, monkeypatch)
    assert code == 0, err
    rows = json.loads(out)
    assert {"kind": "action", "id": action, "due": (TODAY + timedelta(days=1)).isoformat()}.items() <= \
        next(r for r in rows if r["kind"] == "action").items()
    cal = Calendar.from_ical(ics.read_bytes())
    assert f"action-{action}@trustfund-desk" in {str(e["UID"]) for e in cal.walk("VEVENT")}
    code, out, err = cli(["--db", str(path), "due"], capsys, monkeypatch)
    assert code == 0 and "Call the shelter director" in out and "due in 1 day" in out
    assert cli(["--db", str(path), "due", "--days", "x"], capsys, monkeypatch)[0] == 2
