"""The command line given bad input — wrong types, missing files, folders and non-databases where
a database is expected, a read-only disk, a full disk — answers with one clear line on standard
error, exit 2 (input rejected) or 1 (failure), no traceback, and nothing changed."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.core.resilience_helpers import audit_events, cli, cli_process, sqlite_only
from trustfund_app.core.db import Database

pytestmark = sqlite_only


@pytest.fixture
def fund_path(tmp_path):
    from trustfund_app.core.services.users import UserService

    path = tmp_path / "fund.sqlite3"
    db = Database.open(path)
    UserService(db).create_first_admin("admin", "Quiet-River-42")
    db.dispose()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def users(path: Path) -> list[str]:
    from trustfund_app.core.services.users import UserService

    db = Database.open(path, upgrade=False)
    try:
        return [u["name"] for u in UserService(db).list()]
    finally:
        db.dispose()


def assert_clean(code: int, err: str, expected: int) -> None:
    assert code == expected, err
    assert "Traceback" not in err and err.strip(), err
    assert len(err.strip().splitlines()) <= 2, err  # a message, not a dump


@pytest.mark.parametrize("argv, message", [
    (["position", "--at", "2025-13-45"], "2025-13-45"),
    (["position", "--at", "yesterday"], "yesterday"),
    (["users", "add", "bob", "--role", "boss"], "boss"),
    (["users", "add"], "NAME"),
    (["backup"], "FILE"),
    (["audit", "check"], "check"),
    (["no-such-command"], "no-such-command"),
])
def test_wrong_arguments_exit_2(fund_path, capsys, monkeypatch, argv, message):
    before = digest(fund_path)
    code, _out, err = cli(["--db", str(fund_path), *argv], capsys, monkeypatch, new_password="Blue-Lantern-9")
    assert_clean(code, err.splitlines()[-1] if err else err, 2)
    assert message in err
    assert digest(fund_path) == before


def test_missing_files_and_folders_exit_2_and_change_nothing(fund_path, tmp_path, capsys, monkeypatch):
    before = digest(fund_path)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("Norway paid 100\n")
    cases = [
        (["--db", str(fund_path), "restore", str(tmp_path / "missing.sqlite3")], "does not exist"),
        (["--db", str(fund_path), "restore", str(tmp_path)], "not a file"),
        (["--db", str(fund_path), "restore", str(text_file)], "not a TrustFund Desk database"),
        (["--db", str(fund_path), "backup", str(tmp_path / "no" / "such" / "b.sqlite3")], "does not exist"),
        (["--db", str(fund_path), "backup", str(tmp_path)], "folder"),
        (["--db", str(fund_path), "backup", str(fund_path)], "database itself"),
        (["--db", str(tmp_path / "no" / "such" / "f.sqlite3"), "position"], "does not exist"),
        (["--db", str(tmp_path), "position"], "is a folder"),
        (["--db", str(text_file), "audit", "verify"], "not a TrustFund Desk database"),
    ]
    for argv, message in cases:
        code, _out, err = cli(argv, capsys, monkeypatch)
        assert_clean(code, err, 2)
        assert message in err, (argv, err)
    assert digest(fund_path) == before and text_file.read_text() == "Norway paid 100\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fund.sqlite3", "fund.sqlite3.writer-lock", "notes.txt"]


def test_a_wrong_password_or_unknown_user_exits_2(fund_path, capsys, monkeypatch):
    code, _out, err = cli(["--db", str(fund_path), "position"], capsys, monkeypatch, password="nope")
    assert_clean(code, err, 2)
    code, _out, err = cli(["--db", str(fund_path), "position"], capsys, monkeypatch, user="ghost")
    assert_clean(code, err, 2)
    code, _out, err = cli(["--db", str(fund_path), "position"], capsys, monkeypatch, user=None)
    assert_clean(code, err, 2)


def test_an_unreachable_server_is_one_line_without_the_password(capsys, monkeypatch):
    url = "postgresql+psycopg://clerk:hunter2@127.0.0.1:9/fund"
    code, _out, err = cli(["--db", url, "position"], capsys, monkeypatch)
    assert_clean(code, err, 1)
    assert "hunter2" not in err and "127.0.0.1" in err


# -- read-only and full disks ---------------------------------------------------------------------

def _mount_tmpfs(size: str) -> Path | None:
    """A fresh tmpfs of ``size``, or None where mounting is not allowed."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return None
    point = Path("/tmp") / f"tf-disk-{uuid.uuid4().hex[:8]}"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True)
    if done.returncode != 0:
        point.rmdir()
        return None
    return point


def _unmount(point: Path) -> None:
    subprocess.run(["umount", "-l", str(point)], capture_output=True)
    point.rmdir()


@pytest.fixture
def small_disk():
    point = _mount_tmpfs("2m")  # room for a new fund file and its WAL as the schema grows; _fill makes it full
    if point is None:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE test covers a full disk instead")
    yield point
    _unmount(point)


def _new_fund(path: Path) -> None:
    from trustfund_app.core.services.users import UserService

    db = Database.open(path)
    UserService(db).create_first_admin("admin", "Quiet-River-42")
    db.dispose()


def test_a_read_only_disk_is_read_but_not_written(small_disk, tmp_path, capsys, monkeypatch):
    fund = small_disk / "fund.sqlite3"
    _new_fund(fund)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    before = digest(fund)
    code, _out, err = cli(["--db", str(fund), "users", "add", "bob", "--role", "finance"], capsys, monkeypatch,
                          new_password="Blue-Lantern-9")
    assert_clean(code, err, 1)
    assert "read-only" in err
    code, out, err = cli(["--db", str(fund), "audit", "verify", "--json"], capsys, monkeypatch)
    assert code == 0, err  # reading a database on a read-only medium works
    code, out, err = cli(["--db", str(fund), "backup", str(tmp_path / "copy.sqlite3")], capsys, monkeypatch)
    assert code == 0, err
    code, _out, err = cli(["--db", str(tmp_path / "copy.sqlite3"), "backup", str(small_disk / "x.sqlite3")],
                          capsys, monkeypatch)
    assert_clean(code, err, 1)
    assert digest(fund) == before and users(tmp_path / "copy.sqlite3") == ["admin"]


def _fill(disk: Path, leave: int) -> None:
    free = shutil.disk_usage(disk).free
    (disk / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_a_full_disk_fails_cleanly_and_changes_nothing(small_disk, tmp_path, capsys, monkeypatch):
    fund = small_disk / "fund.sqlite3"
    _new_fund(fund)
    _fill(small_disk, leave=40 * 1024)  # room for SQLite's shared memory, not for the change
    events = audit_events_at(fund)
    code, _out, err = cli(["--db", str(fund), "users", "add", "bob", "--role", "finance"], capsys, monkeypatch,
                          new_password="Blue-Lantern-9")
    assert_clean(code, err, 1)
    assert "disk is full" in err
    (small_disk / "filler").unlink()
    assert users(fund) == ["admin"] and audit_events_at(fund) == events

    # a backup onto a full disk leaves no half-written copy behind
    outside = tmp_path / "fund.sqlite3"
    shutil.copy(fund, outside)
    _fill(small_disk, leave=64 * 1024)
    code, _out, err = cli(["--db", str(outside), "backup", str(small_disk / "copy.sqlite3")], capsys, monkeypatch)
    assert_clean(code, err, 1)
    assert "disk is full" in err
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "fund.sqlite3", "fund.sqlite3.writer-lock"]


def audit_events_at(path: Path) -> int:
    db = Database.open(path, upgrade=False)
    try:
        return audit_events(db)
    finally:
        db.dispose()


def _file_size_limit(limit: int):
    def limit_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_files


def test_a_write_that_cannot_grow_a_file_fails_cleanly(fund_path, tmp_path):
    """The full-disk case without mount rights: a real process whose files may not grow."""
    before = digest(fund_path)
    done = cli_process(["--db", str(fund_path), "users", "add", "bob", "--role", "finance"],
                       env={"TRUSTFUND_NEW_PASSWORD": "Blue-Lantern-9"}, preexec_fn=_file_size_limit(4096))
    assert_clean(done.returncode, done.stderr, 1)
    assert "disk" in done.stderr and "nothing was changed" in done.stderr  # full, or an I/O error
    assert users(fund_path) == ["admin"]
    done = cli_process(["--db", str(fund_path), "backup", str(tmp_path / "copy.sqlite3")],
                       preexec_fn=_file_size_limit(64 * 1024))
    assert_clean(done.returncode, done.stderr, 1)
    assert not (tmp_path / "copy.sqlite3").exists() and not (tmp_path / "copy.sqlite3.part").exists()
    assert digest(fund_path) == before


def test_an_import_onto_a_full_disk_fails_cleanly_and_changes_nothing(small_disk, tmp_path, capsys, monkeypatch):
    """The rows are inserted by a second thread (core/background_writer.py): its "disk full" must
    still reach the user as one line, with the transaction rolled back."""
    from datetime import date, timedelta

    from tests.core.excel_helpers import CONTRIB_HEADER, book, seed
    from trustfund_app.core.services.users import UserService

    fund = small_disk / "fund.sqlite3"
    _new_fund(fund)
    db = Database.open(fund)
    seed(db, UserService(db).login("admin", "Quiet-River-42"))
    db.dispose()
    rows = [[date(2026, 1, 1) + timedelta(days=i % 300), "Germany", "pledge", "EUR", 1000 + i, f"P-{i:05d}", None]
            for i in range(3000)]
    path = book(tmp_path / "many.xlsx", [CONTRIB_HEADER] + rows)
    _fill(small_disk, leave=64 * 1024)
    events = audit_events_at(fund)
    code, _out, err = cli(["--db", str(fund), "import", "contributions", str(path)], capsys, monkeypatch)
    assert_clean(code, err, 1)
    assert "disk is full" in err
    (small_disk / "filler").unlink()
    assert audit_events_at(fund) == events
    db = Database.open(fund, upgrade=False)
    try:
        with db.reading() as s:
            from sqlalchemy import func, select

            from trustfund_app.core.models import Contribution

            assert s.scalar(select(func.count()).select_from(Contribution)) == 0
    finally:
        db.dispose()
