"""Issue 15, points 16-18: a newer database is refused in one line and left untouched; only
``init`` and ``demo`` create a database; a missing driver and a failed export are one line with no
traceback; the lock message says whether a window or a command holds the file."""

from __future__ import annotations

import hashlib
import sqlite3
import sys

import pytest

from tests.core.resilience_helpers import cli, cli_process, sqlite_only
from trustfund_app.core import backup

pytestmark = sqlite_only


@pytest.fixture
def fund_path(tmp_path):
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.users import UserService

    path = tmp_path / "fund.sqlite3"
    db = Database.open(path)
    UserService(db).create_first_admin("admin", "Quiet-River-42")
    db.dispose()
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("argv", [["position"], ["import", "rates", "nothing.xlsx"], ["audit", "verify"]])
def test_a_database_from_a_newer_version_is_refused_and_left_alone(fund_path, capsys, monkeypatch, argv):
    conn = sqlite3.connect(fund_path)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    before = digest(fund_path)
    code, _out, err = cli(["--db", str(fund_path), *argv], capsys, monkeypatch)
    assert code == 2
    assert "newer version of TrustFund Desk" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert digest(fund_path) == before
    assert backup.automatic_backups(fund_path.stem) == []  # no "before-upgrade" copy written


@pytest.mark.parametrize("db_arg", ["typo.sqlite3", ""])
def test_only_init_and_demo_create_a_database(tmp_path, capsys, monkeypatch, db_arg):
    target = str(tmp_path / db_arg) if db_arg else ""
    code, _out, err = cli(["--db", target, "position"], capsys, monkeypatch)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert ("no fund database" in err) if db_arg else ("--db is empty" in err)
    assert "wrong user name or password" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing made, not even a lock file
    if db_arg:
        code, _out, err = cli(["--db", target, "init", "--admin", "admin"], capsys, monkeypatch)
        assert code == 0, err
        code, _out, err = cli(["--db", target, "position"], capsys, monkeypatch)
        assert code == 0, err


def test_a_missing_database_driver_is_one_line(tmp_path):
    # psycopg made unimportable in a real process
    script = ("import sys; sys.modules['psycopg'] = None; sys.modules['psycopg2'] = None\n"
              "from trustfund_app.cli import main\n"
              "sys.exit(main(['--lang', 'en', '--db', 'postgresql+psycopg://u:pw@localhost/fund', 'position']))\n")
    import subprocess

    from tests.core.resilience_helpers import REPO

    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={"TRUSTFUND_USER": "admin", "TRUSTFUND_PASSWORD": "x", "PATH": "/usr/bin:/bin",
                               "HOME": str(tmp_path)})
    assert done.returncode == 1, done.stderr
    assert "psycopg" in done.stderr and "pw@" not in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_an_export_that_cannot_be_written_is_one_line(fund_path, tmp_path):
    env = {"TRUSTFUND_USER": "admin", "TRUSTFUND_PASSWORD": "Quiet-River-42"}
    done = cli_process(["--lang", "en", "--db", str(fund_path), "export", "donors", "/proc/donors.xlsx"], env=env)
    assert done.returncode == 1
    assert done.stderr.strip() == "cannot use /proc/donors.xlsx: No such file or directory"


def test_an_export_to_a_full_disk_is_one_line(fund_path, tmp_path, capsys, monkeypatch):
    import errno
    import gc

    import openpyxl

    def full_disk(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"PK")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", full_disk)
    out = tmp_path / "donors.xlsx"
    code, _out, err = cli(["--db", str(fund_path), "export", "donors", str(out)], capsys, monkeypatch)
    gc.collect()
    err += capsys.readouterr().err
    assert code == 1 and err.strip() == f"cannot use {out}: No space left on device"
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_the_lock_message_names_a_command_as_a_command(fund_path, capsys, monkeypatch):
    from trustfund_app.core.db import Database

    holder = Database.open(fund_path, single_writer=True, holder="command")  # another command
    monkeypatch.setattr("trustfund_app.cli.context.WRITER_LOCK_WAIT", 0.2)
    try:
        code, _out, err = cli(["--db", str(fund_path), "users", "add", "fiona", "--role", "finance"], capsys,
                              monkeypatch, new_password="Blue-Lantern-956")
    finally:
        holder.dispose()
    assert code == 1 and "being changed by a command of" in err and "window" not in err
