"""The PostgreSQL server goes away while a command works, or before it starts: one line, exit 1,
nothing half-written; when the server is back the fund is as it was and its trail intact.

Runs in CI's PostgreSQL run (TRUSTFUND_TEST_PG_URL set) on a private server of its own, which it
stops and starts (the shared one serves the other tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select, text

from tests import pg_server
from tests.core.excel_helpers import CONTRIB_HEADER, book, seed
from trustfund_app.core.services.base import NOT_LOGGED_IN  # noqa: E402

pytestmark = pytest.mark.skipif(not os.environ.get("TRUSTFUND_TEST_PG_URL") or not pg_server.available(),
                                reason="needs PostgreSQL (CI's PostgreSQL run)")

ROOT = pg_server.ROOT
CHAIN_LOCK = 7_424_242  # core/audit.py: the advisory lock a writer holds on the chain head


@pytest.fixture
def server():
    srv = pg_server.PrivateServer(port=54391)
    srv.start()
    yield srv
    srv.remove()


def _cli(url, *args, env_extra=None):
    env = dict(os.environ, TRUSTFUND_PASSWORD="secret-outage", QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.Popen([sys.executable, "-m", "trustfund_app", "--lang", "en", "--db", url, "--user", "admin", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _fund(url):
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.users import UserService

    db = Database.open(url)
    admin = UserService(db, NOT_LOGGED_IN).create_first_admin("admin", "secret-outage")
    seed(db, admin)
    return db


def _contributions(db) -> int:
    from trustfund_app.core.models import Contribution

    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Contribution))


def test_a_command_against_a_stopped_server_says_so_in_one_line(server):
    url = server.database()
    _fund(url).dispose()
    server.stop()
    proc = _cli(url, "position")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the database server" in lines[0], err
    assert "trustfund-ci" not in lines[0]  # the URL is shown without its password


def test_the_server_stopping_during_an_import_loses_nothing_and_keeps_nothing_half_done(server, tmp_path):
    url = server.database()
    db = _fund(url)
    rows = [CONTRIB_HEADER] + [[date(2026, 1 + i % 12, 1 + i % 28), "Germany" if i % 2 else "Japan", "pledge",
                                "EUR" if i % 2 else "JPY", 100 + i, f"OUT-{i:06d}", None] for i in range(20000)]
    workbook = book(tmp_path / "big.xlsx", rows)
    before = _contributions(db)
    db.dispose()

    proc = _cli(url, "import", "contributions", str(workbook))
    watcher = create_engine(server.server_url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 120
    writing = False
    with watcher.connect() as conn:
        while not writing and proc.poll() is None and time.monotonic() < deadline:
            writing = bool(conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                             "AND objid = :k AND granted"), {"k": CHAIN_LOCK}).scalar())
            time.sleep(0.02)
    watcher.dispose()
    assert writing, "the import finished before it could be interrupted"
    server.stop()  # mid-transaction
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    lines = err.strip().splitlines()
    assert lines and "cannot reach the database server" in lines[-1] and "Traceback" not in err, err

    server.start()  # back again: nothing of the import, the trail intact
    from trustfund_app.core.audit_verify import verify
    from trustfund_app.core.db import Database

    db = Database.open(url)
    assert _contributions(db) == before
    with db.reading() as s:
        assert verify(s).ok
    db.dispose()
