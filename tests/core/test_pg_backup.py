"""Backup and restore on PostgreSQL (pg_dump / pg_restore): the same checks as for SQLite before
anything is replaced — the backup's checksum, then the copy's chain and books in a scratch
database — and the replaced database kept. Runs in CI's PostgreSQL run."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.pg import fresh_database_url
from trustfund_app.core.services.base import NOT_LOGGED_IN

pytestmark = pytest.mark.skipif(not os.environ.get("TRUSTFUND_TEST_PG_URL"), reason="needs PostgreSQL")
ROOT = Path(__file__).resolve().parents[2]


def _cli(url, *args):
    env = dict(os.environ, TRUSTFUND_PASSWORD="secret-backup", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "trustfund_app", "--lang", "en", "--db", url, "--user", "admin", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def fund(tmp_path):
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.rates import RateService
    from trustfund_app.core.services.users import UserService

    url = fresh_database_url(tmp_path)
    db = Database.open(url)
    admin = UserService(db, NOT_LOGGED_IN).create_first_admin("admin", "secret-backup")
    RateService(db, admin).add_month(date(2026, 1, 1), {"EUR": "0.92"})
    donor = DonorService(db, admin).create("Norway", "member_state", "NO", "en")
    ContributionService(db, admin).record_pledge(donor, date(2026, 1, 5), "1000", "EUR", reference="NO-1")
    db.dispose()
    return url


def _donors(url) -> list[str]:
    from trustfund_app.core.db import Database
    from trustfund_app.core.models import Donor

    db = Database.open(url)
    try:
        with db.reading() as s:
            return sorted(s.scalars(select(Donor.name)))
    finally:
        db.dispose()


def _add_donor(url, name):
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.users import UserService

    db = Database.open(url)
    DonorService(db, UserService(db, NOT_LOGGED_IN).login("admin", "secret-backup")).create(name, "member_state", "SE", "en")
    db.dispose()


def test_backup_then_restore_brings_the_fund_back_and_keeps_the_replaced_one(fund, tmp_path):
    dump = tmp_path / "fund.dump"
    done = _cli(fund, "backup", str(dump))
    assert done.returncode == 0, done.stderr
    assert dump.exists() and (tmp_path / "fund.dump.sha256").read_text().split()[1] == "fund.dump"
    _add_donor(fund, "Sweden")
    assert _donors(fund) == ["Norway", "Sweden"]
    done = _cli(fund, "restore", str(dump))
    assert done.returncode == 0, done.stderr
    assert _donors(fund) == ["Norway"]
    kept = done.stdout.strip().splitlines()[-1].rsplit(" ", 1)[-1].rstrip(".")
    assert "-replaced-" in kept
    assert _donors(fund.rpartition("/")[0] + "/" + kept) == ["Norway", "Sweden"]
    assert _cli(fund, "audit", "verify").returncode == 0


def test_a_damaged_backup_is_refused_by_name_and_nothing_changes(fund, tmp_path):
    dump = tmp_path / "fund.dump"
    assert _cli(fund, "backup", str(dump)).returncode == 0
    _add_donor(fund, "Sweden")
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    dump.write_bytes(bytes(data))
    done = _cli(fund, "restore", str(dump))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "fund.dump: not restored: the backup is damaged or was changed: its checksum does not match"]
    assert _donors(fund) == ["Norway", "Sweden"]


def test_a_backup_whose_amounts_were_edited_is_refused_before_anything_is_replaced(fund, tmp_path):
    from trustfund_app.core.pg_backup import backup_postgres, checksum

    dump = tmp_path / "fund.dump"
    assert _cli(fund, "backup", str(dump)).returncode == 0
    edited = fresh_database_url(tmp_path)  # restore elsewhere, edit with SQL, dump again, new checksum
    from trustfund_app.core.pg_backup import _libpq, tool

    conninfo, env = _libpq(edited)
    subprocess.run([tool("pg_restore"), "--no-owner", f"--dbname={conninfo}", str(dump)], env=env, check=True)
    engine = create_engine(edited)
    with engine.begin() as conn:
        conn.execute(text("UPDATE contribution SET amount_minor = amount_minor * 10"))
    engine.dispose()
    forged = tmp_path / "forged.dump"
    backup_postgres(edited, forged)
    assert (tmp_path / "forged.dump.sha256").read_text().split()[0] == checksum(forged)
    _add_donor(fund, "Sweden")
    done = _cli(fund, "restore", str(forged))
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("forged.dump: not restored:") and "contribution" in line and "amount_minor" in line, line
    assert _donors(fund) == ["Norway", "Sweden"]
