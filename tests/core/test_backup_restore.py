"""Backups: a consistent copy through the online backup API, automatic before a schema upgrade and
on close, rotated per the ``backups_keep`` setting. Restore checks integrity, schema version and
audit chain of the copy before replacing anything, and keeps the replaced database."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.core.resilience_helpers import cli, seed_fund, sqlite_only
from trustfund_app.core import backup
from trustfund_app.core.db import Database
from trustfund_app.core.services.base import NOT_LOGGED_IN
from trustfund_app.core.models import Contribution, User
from trustfund_app.core.restore import RestoreRefused, restore

pytestmark = sqlite_only


@pytest.fixture
def fund_file(tmp_path):
    """A SQLite fund with an administrator, rates, donors and a pledge; returns its path."""
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.users import UserService

    path = tmp_path / "fund.sqlite3"
    db = Database.open(path)
    admin = UserService(db, NOT_LOGGED_IN).create_first_admin("admin", "Quiet-River-42")
    fund = seed_fund(db, admin)
    ContributionService(db, admin).record_pledge(fund.donor_ids[0], date(2025, 2, 1), "1000", "EUR", reference="P-1")
    db.dispose()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def user_names(path: Path) -> list[str]:
    db = Database.open(path)
    try:
        with db.reading() as s:
            return sorted(s.scalars(select(User.name)))
    finally:
        db.dispose()


def add_user(path: Path, name: str) -> None:
    from trustfund_app.core.services.base import Actor
    from trustfund_app.core.services.users import UserService

    db = Database.open(path)
    UserService(db, Actor("admin", "administrator")).add(name, "finance", "Quiet-River-42")
    db.dispose()


def test_a_backup_taken_while_someone_writes_is_whole(fund_file, tmp_path):
    from trustfund_app.core.services.base import Actor
    from trustfund_app.core.services.donors import DonorService

    db = Database.open(fund_file)
    donors = DonorService(db, Actor("admin", "administrator"))
    donors.create("Peru", "member_state", "PER")  # committed, still in the WAL
    with db.writing("admin"):  # and a write transaction in flight
        copy = backup.backup_sqlite(fund_file, tmp_path / "copy.sqlite3")
    donors.create("Chile", "member_state", "CHL")
    db.dispose()
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    assert conn.execute("SELECT count(*) FROM contribution").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM donor WHERE name = 'Chile'").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM donor WHERE name = 'Peru'").fetchone() == (1,)
    conn.close()
    assert not (tmp_path / "copy.sqlite3.part").exists()


def test_an_automatic_backup_is_taken_before_a_schema_upgrade(fund_file, monkeypatch):
    from trustfund_app.core import migrate

    assert backup.automatic_backups("fund") == []
    probe = Database(f"sqlite:///{fund_file}")
    revision = migrate.current_revision(probe)
    probe.dispose()
    # pretend this program brings a newer schema than the file's
    monkeypatch.setattr(migrate, "HEAD_REVISION", revision + "-next")
    db = Database.open(fund_file)
    db.dispose()
    (copy,) = backup.automatic_backups("fund")
    assert f"before-upgrade-{revision}" in copy.name
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM contribution").fetchone() == (1,)


def test_backups_on_close_are_rotated_per_setting(fund_file):
    from trustfund_app.core.services.base import Actor
    from trustfund_app.core.services.settings import SettingsService

    db = Database.open(fund_file)
    SettingsService(db, Actor("admin", "administrator")).set("backups_keep", "3")
    made = [backup.backup_on_close(db) for _ in range(5)]
    db.dispose()
    kept = backup.automatic_backups("fund")
    assert kept == made[-3:] and all("on-close" in p.name for p in kept)
    assert not any(p.exists() for p in made[:2])


def test_a_read_only_instance_takes_no_backup_on_close(fund_file):
    writer = Database.open(fund_file, single_writer=True)
    reader = Database.open(fund_file, single_writer=True)
    try:
        assert reader.read_only and backup.backup_on_close(reader) is None
        assert backup.backup_on_close(writer) is not None
    finally:
        reader.dispose()
        writer.dispose()


def test_restore_replaces_the_database_and_keeps_the_replaced_one(fund_file, tmp_path):
    copy = backup.backup_sqlite(fund_file, tmp_path / "monday.sqlite3")
    add_user(fund_file, "fiona")  # made after the backup
    result = restore(fund_file, copy)
    assert user_names(fund_file) == ["admin"]
    assert result.kept is not None and user_names(result.kept) == ["admin", "fiona"]
    assert result.events > 0 and result.upgraded_from is None
    db = Database.open(fund_file)
    with db.reading() as s:
        from trustfund_app.core import audit_verify

        assert audit_verify.verify(s).ok
        assert s.scalar(select(func.count()).select_from(Contribution)) == 1
    db.dispose()


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page + 100, len(data) - page, page):  # scribble inside many pages
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def _old_schema(path: Path) -> None:
    from trustfund_app.core.backup_seal import write_seal

    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff-future'")
    conn.commit()
    conn.close()
    write_seal(path)  # the checksum made to fit: the later checks still refuse it


def _broken_chain(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET user = 'mallory' WHERE seq = 2")
    conn.commit()
    conn.close()
    from trustfund_app.core.backup_seal import write_seal

    write_seal(path)


def _not_a_database(path: Path) -> None:
    path.write_text("name,amount\nNorway,100\n")


@pytest.mark.parametrize("damage, message", [
    (_corrupt, "damaged"), (_old_schema, "another version"), (_broken_chain, "audit trail is broken"),
    (_not_a_database, "not a TrustFund Desk database"),
])
def test_restore_refuses_a_bad_copy_and_changes_nothing(fund_file, tmp_path, damage, message):
    copy = backup.backup_sqlite(fund_file, tmp_path / "copy.sqlite3")
    damage(copy)
    add_user(fund_file, "fiona")
    before = digest(fund_file)
    with pytest.raises(RestoreRefused, match=message):
        restore(fund_file, copy)
    assert digest(fund_file) == before and user_names(fund_file) == ["admin", "fiona"]
    assert not list(fund_file.parent.glob("*replaced*")) and not list(fund_file.parent.glob("*restore-check*"))


def test_restore_waits_for_no_one_and_refuses_while_another_instance_writes(fund_file, tmp_path):
    copy = backup.backup_sqlite(fund_file, tmp_path / "copy.sqlite3")
    writer = Database.open(fund_file, single_writer=True)
    try:
        with pytest.raises(Exception, match="already open for changes"):
            restore(fund_file, copy, wait=0)
    finally:
        writer.dispose()
    restore(fund_file, copy, wait=0)


def test_backup_and_restore_on_the_command_line(fund_file, tmp_path, capsys, monkeypatch):
    db_arg = ["--db", str(fund_file)]
    out_file = tmp_path / "out.sqlite3"
    code, out, err = cli([*db_arg, "backup", str(out_file)], capsys, monkeypatch)
    assert code == 0 and out_file.exists(), err
    code, _out, err = cli([*db_arg, "backup", str(out_file)], capsys, monkeypatch)
    assert code == 2 and "already exists" in err  # never overwritten unasked
    add_user(fund_file, "fiona")
    code, _out, err = cli([*db_arg, "restore", str(out_file)], capsys, monkeypatch, user="fiona")
    assert code == 2 and user_names(fund_file) == ["admin", "fiona"]  # administrators only
    code, out, err = cli([*db_arg, "restore", str(out_file)], capsys, monkeypatch)
    assert code == 0, err
    assert "kept as" in out and user_names(fund_file) == ["admin"]
    code, _out, err = cli([*db_arg, "restore", str(tmp_path / "nothing.sqlite3")], capsys, monkeypatch)
    assert code == 2 and "does not exist" in err


def _restore_forever(target, copy, ready_fd):
    import os as _os

    _os.write(ready_fd, b"r")
    while True:
        restore(target, copy, wait=5)


def test_a_restore_killed_at_any_moment_leaves_the_old_or_the_restored_database(fund_file, tmp_path):
    import os
    import random
    import signal
    import time

    from tests.core.resilience_helpers import fork, wait_exit

    copy = backup.backup_sqlite(fund_file, tmp_path / "copy.sqlite3")
    add_user(fund_file, "fiona")
    rng = random.Random(7)
    for run in range(10):
        ready_r, ready_w = os.pipe()
        pid = fork(_restore_forever, fund_file, copy, ready_w)
        os.close(ready_w)
        assert os.read(ready_r, 1) == b"r"
        os.close(ready_r)
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(pid, signal.SIGKILL)
        assert wait_exit(pid) == -signal.SIGKILL
        db = Database.open(fund_file)
        try:
            from trustfund_app.core import audit_verify

            with db.engine.connect() as conn:
                from sqlalchemy import text

                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            with db.reading() as s:
                assert audit_verify.verify(s).ok
                assert sorted(s.scalars(select(User.name))) in (["admin"], ["admin", "fiona"])
        finally:
            db.dispose()
        for kept in fund_file.parent.glob("fund-replaced-*"):
            kept.unlink()


def test_a_backup_from_an_older_version_is_upgraded_on_restore(fund_file, tmp_path):
    from alembic import command

    from trustfund_app.core.migrate import HEAD_REVISION, alembic_config, current_revision
    from trustfund_app.core.services.users import UserService

    old_path = tmp_path / "old.sqlite3"
    old = Database(f"sqlite:///{old_path}")
    with old.engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.commit()
    _old_version_user(old, "veteran")  # as the first release wrote it: its columns, its trail
    old.dispose()
    result = restore(fund_file, old_path)
    assert result.upgraded_from == "0001" and user_names(fund_file) == ["veteran"]
    db = Database(f"sqlite:///{fund_file}")
    assert current_revision(db) == HEAD_REVISION
    db.dispose()
    assert backup.automatic_backups("fund") == [] and backup.automatic_backups("fund.sqlite3") == []


def _old_version_user(db, name: str) -> None:
    """A user row and its audit event as a 0001-era TrustFund Desk wrote them (today's models have
    columns that schema lacks): the row by SQL, the event through the chain with the row's columns
    of that time and the hash redacted, as that version's trail held it."""
    import uuid
    from datetime import datetime, timezone

    from trustfund_app.core import audit
    from trustfund_app.core.services.users import PASSWORD_HASHER

    key, now = uuid.uuid4(), datetime.now(timezone.utc)
    stamp = now.replace(tzinfo=None).isoformat(sep=" ")
    row = {"id": key.hex, "created_at": stamp, "updated_at": stamp, "name": name, "role": "administrator",
           "password_hash": PASSWORD_HASHER.hash("Quiet-River-42"), "active": 1, "failed_logins": 0,
           "locked_until": None}
    with db.writing(name) as s:
        s.execute(text("INSERT INTO app_user (id, created_at, updated_at, name, role, password_hash, active, "
                       "failed_logins, locked_until) VALUES (:id, :created_at, :updated_at, :name, :role, "
                       ":password_hash, :active, :failed_logins, :locked_until)"), row)
        shown = {**row, "id": str(key), "created_at": now.isoformat(), "updated_at": now.isoformat(),
                 "password_hash": "[redacted]", "active": True}
        audit.record(s, [audit.Change("app_user", str(key), "insert", None, shown)], name)
