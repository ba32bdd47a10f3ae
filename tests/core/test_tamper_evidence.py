"""Issue 15, points 1 and 2: the books match the trail. A row changed, added or deleted around the
app (the sqlite3 module on the file, or plain SQL on PostgreSQL) makes ``audit verify`` exit 3
naming the table, record and field; a chain rewritten from scratch (triggers dropped, every hash
recomputed) is caught by the anchors file that issued documents leave beside the database."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date

import pytest
from sqlalchemy import text

from tests.core.grants_setup import approved_grant, make_cycle, pay, two_instalments
from tests.core.resilience_helpers import cli, seed_fund, sqlite_only
from trustfund_app.core import anchors, audit, audit_verify
from trustfund_app.core.services.base import NOT_LOGGED_IN  # noqa: E402


@pytest.fixture
def books(db, admin, finance):
    """Rates, donors, a pledge and a payment, a grant with a paid instalment, a settings change,
    and a read-only user: one of every kind of record point 1 names."""
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.settings import SettingsService
    from trustfund_app.core.services.users import UserService

    fund = seed_fund(db, admin)
    svc = ContributionService(db, finance)
    pledge = svc.record_pledge(fund.donor_ids[0], date(2025, 2, 1), "1000", "EUR", reference="P-1")
    payment = svc.record_payment(fund.donor_ids[0], date(2025, 3, 1), "400", "EUR", reference="R-1")
    grants = make_cycle(db, admin)
    grant = approved_grant(db, admin, grants, amount="50000")
    first, _second = two_instalments(db, admin, grant, held=False)
    pay(db, admin, finance, first, date(2026, 5, 10))
    SettingsService(db, admin).set("psc_rate_percent", "13")
    UserService(db, admin).add("victor", "read-only", "Unique-Pa55word")
    return {"pledge": pledge, "payment": payment, "grant": grant, "instalment": first}


def key(db, value: str):
    """A record's key as the database stores it (hex on SQLite, a uuid on PostgreSQL)."""
    return uuid.UUID(value).hex if db.is_sqlite else uuid.UUID(value)


def verify_cli(db, capsys, monkeypatch):
    code, out, err = cli(["--db", db.url, "audit", "verify", "--json"], capsys, monkeypatch)
    return code, json.loads(out), err


def test_an_untouched_fund_verifies(db, books, capsys, monkeypatch):
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 0, err
    assert result["ok"] is True


@pytest.mark.parametrize("statement, record, table, field", [
    ("UPDATE contribution SET amount_minor = amount_minor * 10 WHERE id = :id", "pledge", "contribution",
     "amount_minor"),
    ('UPDATE "grant" SET amount_usd_cents = 1 WHERE id = :id', "grant", "grant", "amount_usd_cents"),
    ("UPDATE instalment SET approved_by = 'admin' WHERE id = :id", "instalment", "instalment", "approved_by"),
])
def test_a_record_changed_outside_the_app_is_named(db, books, capsys, monkeypatch, statement, record, table, field):
    run(db, statement, id=key(db, books[record]))
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 3
    assert result["ok"] is False and result["mismatch"] == {
        "table": table, "record": books[record], "field": field, "kind": "changed"}
    assert f"{table} {books[record]}, field {field}" in err


def test_a_deleted_payment_is_named(db, books, capsys, monkeypatch):
    for statement in ("DELETE FROM allocation WHERE payment_id = :id", "DELETE FROM contribution WHERE id = :id"):
        run(db, statement, id=key(db, books["payment"]))
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 3
    assert result["mismatch"]["kind"] == "deleted" and result["mismatch"]["table"] in ("allocation", "contribution")
    assert "deleted outside TrustFund Desk" in err


def test_a_row_added_outside_the_app_is_named(db, books, capsys, monkeypatch):
    run(db, "INSERT INTO setting (key, value) VALUES ('fund_name', 'Somebody else''s fund')")
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 3
    assert result["mismatch"] == {"table": "setting", "record": "fund_name", "field": None, "kind": "added"}
    assert "setting fund_name" in err


@pytest.mark.parametrize("statement, table, field", [
    ("UPDATE setting SET value = '1' WHERE key = 'psc_rate_percent'", "setting", "value"),
    ("UPDATE exchange_rate SET rate = '0.5' WHERE currency = 'EUR'", "exchange_rate", "rate"),
    ("UPDATE app_user SET role = 'administrator' WHERE name = 'victor'", "app_user", "role"),
    ("UPDATE app_user SET failed_logins = 0, locked_until = NULL, active = 0 WHERE name = 'victor'", "app_user",
     "active"),
])
def test_settings_rates_roles_and_account_state_are_audited_records(db, books, capsys, monkeypatch, statement,
                                                                     table, field):
    if not db.is_sqlite:
        statement = statement.replace("active = 0", "active = false")
    run(db, statement)
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 3, err
    assert result["mismatch"]["table"] == table and result["mismatch"]["field"] == field
    assert f"field {field}" in err


def test_a_password_hash_changed_outside_the_app_is_found_without_the_trail_holding_it(db, books, capsys,
                                                                                       monkeypatch):
    from trustfund_app.core.services.users import PASSWORD_HASHER

    forged = PASSWORD_HASHER.hash("attacker")
    run(db, "UPDATE app_user SET password_hash = :h WHERE name = 'victor'", h=forged)
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 3
    assert result["mismatch"]["table"] == "app_user" and result["mismatch"]["field"] == "password_hash"
    assert "argon2" not in err  # neither hash is shown
    with db.reading() as s:
        trail = " ".join(a or "" for (a,) in s.execute(text("SELECT after FROM audit_event WHERE entity = 'app_user'")))
    assert "argon2" not in trail and audit.SECRET_DIGEST_PREFIX in trail


def test_failed_logins_are_audited_like_any_change(db, books, capsys, monkeypatch):
    from trustfund_app.core.errors import AuthenticationError
    from trustfund_app.core.services.users import UserService

    with pytest.raises(AuthenticationError):
        UserService(db, NOT_LOGGED_IN).login("victor", "wrong")
    code, result, _err = verify_cli(db, capsys, monkeypatch)
    assert code == 0 and result["ok"]
    # clearing the counter behind the app's back (to hide guessing) is an outside edit
    run(db, "UPDATE app_user SET failed_logins = 0 WHERE name = 'victor'")
    code, result, _err = verify_cli(db, capsys, monkeypatch)
    assert code == 3 and result["mismatch"]["field"] == "failed_logins"


def run(db, statement: str, **params) -> None:
    """Change the database around the app: the sqlite3 module on the file, or plain SQL."""
    if db.is_sqlite:
        con = sqlite3.connect(db.sqlite_path)
        con.execute(statement, params)
        con.commit()
        con.close()
    else:
        with db.engine.begin() as conn:
            conn.execute(text(statement), params)


# --- point 2: anchors ---------------------------------------------------------------------------


def _rewrite_chain(db) -> None:
    """What someone with the file can do: drop the triggers, change an event, recompute every
    hash after it, so the chain verifies again on its own."""
    from trustfund_app.core.db import Database

    raw = Database(db.url)
    with raw.engine.begin() as conn:
        if db.is_sqlite:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_event_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        rows = conn.execute(text('SELECT seq, at, "user", entity, entity_id, action, before, after '
                                 "FROM audit_event ORDER BY seq")).fetchall()
        from trustfund_app.core.models.base import UTCDateTime

        prev = audit.GENESIS
        for seq, at, user, entity, entity_id, action, before, after in rows:
            at = UTCDateTime().process_result_value(
                at if not isinstance(at, str) else __import__("datetime").datetime.fromisoformat(at), None)
            user = "intruder" if seq == rows[0][0] else user  # the forgery: who made the fund
            digest = audit.event_hash(prev, at, user, entity, entity_id, action, before, after)
            conn.execute(text('UPDATE audit_event SET "user" = :u, prev_hash = :p, hash = :h WHERE seq = :s'),
                         {"u": user, "p": prev, "h": digest, "s": seq})
            prev = digest
        if not db.is_sqlite:
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    raw.dispose()


def test_a_rewritten_chain_is_caught_by_the_anchors_file(db, books, capsys, monkeypatch, tmp_path):
    from trustfund_app.core.reports.statement import write_statement

    with db.reading() as s:
        donor = s.execute(text("SELECT name FROM donor ORDER BY name")).scalar()
    write_statement(db, donor, tmp_path / "statement.pdf", start=date(2025, 1, 1), end=date(2025, 12, 31))
    recorded = anchors.read(anchors.anchors_path(db.url))
    with db.reading() as s:
        assert [a.head for a in recorded] == [audit.head(s)]
    code, result, _err = verify_cli(db, capsys, monkeypatch)
    assert code == 0 and result["anchors_checked"] == 1

    _rewrite_chain(db)
    with db.reading() as s:
        assert audit_verify.verify(s).ok  # the chain alone agrees with itself again
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 3 and result["problem"] == "anchor"
    assert recorded[0].head in err and "anchors file" in err


def test_the_anchors_file_only_grows(db, books, tmp_path):
    url = db.url
    anchors.record(url, "a" * 64, "statement")
    anchors.record(url, "a" * 64, "statement")  # the same head twice: one line
    anchors.record(url, "b" * 64, "fund report")
    lines = anchors.anchors_path(url).read_text().splitlines()
    assert [line.split("\t")[1] for line in lines] == ["a" * 64, "b" * 64]


@sqlite_only
def test_the_anchors_file_lies_beside_the_database(db):
    assert anchors.anchors_path(db.url) == db.sqlite_path.with_name(db.sqlite_path.name + ".anchors")


# --- imported rows (recorded as chunks, compared without parsing each row) -----------------------


def test_imported_rows_are_compared_too_and_audited_corrections_keep_them_matching(db, admin, capsys, monkeypatch,
                                                                                  tmp_path):
    from tests.core.excel_helpers import CONTRIB_HEADER, book, contributions, seed
    from tests.core.excel_helpers import run as run_import
    from trustfund_app.core.services.contributions import ContributionService

    seed(db, admin)
    rows = [[date(2026, 1, 5 + n % 20), "Germany" if n % 2 else "Japan", "pledge", "EUR", 1000 + n, f"P-{n}", None]
            for n in range(40)]
    rows.append([date(2026, 3, 1), "Germany", "payment", "EUR", 100, "PAY-1", None])
    result = run_import(db, admin, "contributions", book(tmp_path / "c.xlsx", [CONTRIB_HEADER, *rows]))
    assert result.committed
    imported = contributions(db)
    payment = next(c for c in imported if c.reference == "PAY-1")
    ContributionService(db, admin).correct_note(str(payment.id), "PAY-1", None, "by wire", reason="detail")
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 0, err

    target = next(c for c in imported if c.reference == "P-17")
    run(db, "UPDATE contribution SET amount_minor = 1 WHERE id = :id", id=key(db, str(target.id)))
    code, result, err = verify_cli(db, capsys, monkeypatch)
    assert code == 3
    assert result["mismatch"] == {"table": "contribution", "record": str(target.id), "field": "amount_minor",
                                  "kind": "changed"}
    assert "holds 1 where the trail says 101700" in err
