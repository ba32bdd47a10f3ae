"""The audit trail: every service write leaves an event with user, before and after; the database
refuses to change events; any edit, deletion, insertion or reordering — even done with the
``sqlite3`` tool after dropping the triggers — makes ``trustfund audit verify`` exit 3 naming the
first bad event."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.core.resilience_helpers import cli, cli_process, seed_fund, sqlite_only
from trustfund_app.core import audit, audit_verify
from trustfund_app.core.models import AuditEvent


@pytest.fixture
def ledger(db, admin, finance):
    """A small ledger: rates, donors, a pledge, a payment, then a corrected note (the last
    event is an update)."""
    from trustfund_app.core.services.contributions import ContributionService

    fund = seed_fund(db, admin)
    svc = ContributionService(db, finance)
    pledge = svc.record_pledge(fund.donor_ids[0], date(2025, 2, 1), "1000", "EUR", reference="P-1")
    payment = svc.record_payment(fund.donor_ids[0], date(2025, 3, 1), "400", "EUR", reference="R-1")
    svc.correct_note(payment, "R-1", None, "bank transfer", reason="typo")
    return {"pledge": pledge, "payment": payment, "fund": fund}


def events(db, **where):
    with db.reading() as s:
        q = select(AuditEvent).order_by(AuditEvent.seq)
        for key, value in where.items():
            q = q.where(getattr(AuditEvent, key) == value)
        return s.scalars(q).all()


def verify(db, anchor=None):
    with db.reading() as s:
        return audit_verify.verify(s, anchor=anchor)


def tamper(db, *statements: str) -> None:
    """Change the trail behind the application's back: with the sqlite3 command-line tool after
    dropping the triggers, or on PostgreSQL after disabling the trigger (as the table owner)."""
    if db.is_sqlite:
        script = ("DROP TRIGGER IF EXISTS audit_event_no_update; DROP TRIGGER IF EXISTS audit_event_no_delete;\n"
                  + ";\n".join(statements) + ";\n")
        done = subprocess.run(["sqlite3", str(db.sqlite_path)], input=script, text=True, capture_output=True)
        assert done.returncode == 0 and not done.stderr, done.stderr
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
            for statement in statements:
                conn.execute(text(statement))
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))


def test_every_service_write_is_recorded_with_user_before_and_after(db, ledger):
    pledge = events(db, entity="contribution", entity_id=ledger["pledge"], action="insert")
    assert len(pledge) == 1 and pledge[0].user == "fiona" and pledge[0].before is None
    after = json.loads(pledge[0].after)
    assert after["amount_minor"] == 100000 and after["currency"] == "EUR" and after["reference"] == "P-1"

    allocation = events(db, entity="allocation", action="insert")
    assert len(allocation) == 1 and json.loads(allocation[0].after)["payment_id"] == ledger["payment"]

    (update,) = events(db, entity="contribution", entity_id=ledger["payment"], action="update")
    assert update.user == "fiona"
    assert json.loads(update.before)["note"] is None
    assert json.loads(update.after)["note"].startswith("bank transfer")
    assert update.at.tzinfo is not None  # UTC

    from trustfund_app.core.services.contributions import ContributionService

    ContributionService(db, ledger_actor(db, "fiona")).reverse(ledger["payment"], "entered twice")
    (deleted,) = events(db, entity="allocation", action="delete")
    assert deleted.user == "fiona" and json.loads(deleted.before)["amount_minor"] == 40000 and deleted.after is None
    assert verify(db).ok


def ledger_actor(db, name):
    from trustfund_app.core.services.base import Actor

    return Actor(name, "finance")


def test_password_hashes_never_enter_the_trail(db, admin):
    from trustfund_app.core.services.users import UserService

    UserService(db, admin).add("olga", "read-only", "Unique-Pa55word")
    for ev in events(db, entity="app_user"):
        assert "argon2" not in (ev.after or "") and "Unique-Pa55word" not in (ev.after or "")
        assert json.loads(ev.after)["password_hash"].startswith(audit.SECRET_DIGEST_PREFIX)


def test_the_database_refuses_to_change_or_delete_events(db, ledger):
    for statement in ("UPDATE audit_event SET entity = 'x' WHERE seq = 1", "DELETE FROM audit_event WHERE seq = 1"):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    assert verify(db).ok


@sqlite_only
def test_editing_an_event_with_the_sqlite3_tool_makes_audit_verify_exit_3_naming_it(db, ledger):
    assert shutil.which("sqlite3"), "apt-get install sqlite3"
    ok = cli_process(["--db", str(db.sqlite_path), "audit", "verify"])
    assert ok.returncode == 0, ok.stderr
    target = events(db, entity="contribution", entity_id=ledger["pledge"], action="insert")[0]
    forged = target.after.replace('"amount_minor":100000', '"amount_minor":10000')
    assert forged != target.after
    tamper(db, f"UPDATE audit_event SET after = '{forged}' WHERE seq = {target.seq}")

    broken = cli_process(["--db", str(db.sqlite_path), "audit", "verify"])
    assert broken.returncode == 3
    assert f"event {target.seq} " in broken.stderr and ledger["pledge"] in broken.stderr
    as_json = cli_process(["--db", str(db.sqlite_path), "audit", "verify", "--json"])
    assert as_json.returncode == 3
    assert json.loads(as_json.stdout)["first_bad_event"] == target.seq


def _nth(db, n):
    return events(db)[n - 1].seq


COPY = ('INSERT INTO audit_event (seq, at, "user", entity, entity_id, action, before, after, prev_hash, hash) '
        "SELECT {new}, at, 'mallory', entity, entity_id, action, before, after, prev_hash, hash "
        "FROM audit_event WHERE seq = {old}")


@pytest.mark.parametrize("how", ["edit", "delete", "insert", "reorder", "append"])
def test_any_edit_deletion_insertion_or_reordering_is_found(db, ledger, how, capsys, monkeypatch):
    s3, s4, last = _nth(db, 3), _nth(db, 4), events(db)[-1].seq
    if how == "edit":
        tamper(db, f"UPDATE audit_event SET \"user\" = 'mallory' WHERE seq = {s4}")
        expected = s4
    elif how == "delete":
        tamper(db, f"DELETE FROM audit_event WHERE seq = {s3}")
        expected = s4
    elif how == "insert":  # make room after event 3 and slip a copy of it in
        tamper(db, f"UPDATE audit_event SET seq = seq + 100000 WHERE seq > {s3}", COPY.format(new=s3 + 1, old=s3))
        expected = s3 + 1
    elif how == "reorder":
        tamper(db, f"UPDATE audit_event SET seq = -1 WHERE seq = {s3}", f"UPDATE audit_event SET seq = {s3} WHERE seq = {s4}",
               f"UPDATE audit_event SET seq = {s4} WHERE seq = -1")
        expected = s3
    else:  # a forged event at the end
        tamper(db, COPY.format(new=last + 1, old=last))
        expected = last + 1
    assert not verify(db).ok
    code, out, err = cli(["--db", db.url, "audit", "verify", "--json"], capsys, monkeypatch)
    assert code == 3, err
    result = json.loads(out)
    assert result["ok"] is False and result["first_bad_event"] == expected
    assert f"event {expected} " in err


def test_events_cut_off_the_end_are_found(db, ledger, capsys, monkeypatch):
    # the last events record the creation of rows that still exist: their loss shows
    inserts = [e for e in events(db) if e.action == "insert"]
    tamper(db, f"DELETE FROM audit_event WHERE seq >= {inserts[-1].seq}")
    result = verify(db)
    assert not result.ok and result.problem == "missing"
    code, _out, err = cli(["--db", db.url, "audit", "verify"], capsys, monkeypatch)
    assert code == 3 and "missing" in err


def test_a_head_printed_earlier_must_stay_in_the_trail(db, ledger, capsys, monkeypatch):
    head_before = verify(db).head
    last = events(db)[-1]
    assert last.action == "update"  # its loss leaves a consistent, shorter chain
    tamper(db, f"DELETE FROM audit_event WHERE seq = {last.seq}")
    code, _out, _err = cli(["--db", db.url, "audit", "verify", "--anchor", head_before], capsys, monkeypatch)
    assert code == 3
    # without the head the chain itself is consistent, but the books are not: the corrected note
    # is in the table while the trail no longer says so
    code, out, err = cli(["--db", db.url, "audit", "verify", "--anchor", verify(db).head], capsys, monkeypatch)
    assert code == 3 and "contribution" in err and "note" in err


def test_an_intact_trail_verifies_with_the_documented_json(db, ledger, capsys, monkeypatch):
    code, out, err = cli(["--db", db.url, "audit", "verify", "--json"], capsys, monkeypatch)
    assert code == 0, err
    result = json.loads(out)
    assert {"events", "ok", "first_bad_event", "head"} <= set(result)
    assert result["ok"] is True and result["first_bad_event"] is None
    assert result["events"] == len(events(db)) and result["head"] == events(db)[-1].hash


def test_a_records_history_lists_who_changed_what(db, ledger):
    with db.reading() as s:
        entries = audit.history(s, "contribution", ledger["payment"])
    assert [(e.action, e.user) for e in entries] == [("insert", "fiona"), ("update", "fiona")]
    assert entries[1].changed_fields() == ["note"]
    assert entries[0].after["reference"] == "R-1" and entries[0].before is None


def test_row_changes_name_every_row_of_imports_and_of_forms(db, admin, tmp_path):
    """An import's rows (recorded one event per chunk) and a form's change come out alike: one
    change per row, with the row's columns named and the values that are in the table."""
    from tests.core.excel_helpers import CONTRIB_HEADER, book, contributions, run, seed
    from trustfund_app.core.services.contributions import ContributionService

    seed(db, admin)
    with db.reading() as s:
        start = s.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER] + [
        [date(2026, 3, day), "Germany", "pledge", "EUR", 100 + day, f"P-{day}", None] for day in range(1, 21)])
    assert run(db, admin, "contributions", path).inserted == 20
    imported = {str(c.id): c for c in contributions(db)}
    ContributionService(db, admin).correct_note(next(iter(imported)), "P-1", None, "by wire", reason="typo")
    with db.reading() as s:
        changes = [c for c in audit.row_changes(s, after_seq=start) if c.entity == "contribution"]
    inserts = [c for c in changes if c.action == "insert"]
    assert {c.entity_id for c in inserts} == set(imported)
    for change in inserts:
        row = imported[change.entity_id]
        assert change.before is None and change.user == "admin"
        assert (change.after["reference"], change.after["amount_minor"], change.after["date"]) == (
            row.reference, row.amount_minor, row.date.isoformat())
    (update,) = [c for c in changes if c.action == "update"]
    assert update.entity_id == next(iter(imported)) and update.after["note"].startswith("by wire")
    assert update.seq > max(c.seq for c in inserts)
