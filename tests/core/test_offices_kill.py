"""``kill -9`` during ``trustfund sync import``, at random moments: the office holds either
nothing of the package or all of it, every time, with an intact audit trail."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, text

from tests.core.offices_setup import Side, connect
from tests.core.resilience_helpers import REPO, sqlite_only
from tests.core.test_excel_kill import _snapshot
from trustfund_app.core import audit, audit_verify
from trustfund_app.core.bulk_insert import insert_rows
from trustfund_app.core.excel.commit import new_row
from trustfund_app.core.models import ExchangeRate, SyncPackage
from trustfund_app.core.offices.export import export_package
from trustfund_app.core.offices.identity import OfficeService

RATES = 12_000


def _many_rates(db, user: str) -> None:
    """Rates written in bulk as an import writes them (chunk events in the trail)."""
    currencies = [a + b + c for a in "ABCDEFGHIJ" for b in "KLMNOPQRST" for c in "UVWXYZ"][:400]
    with db.writing(user) as s:
        rows = [new_row(**{"currency": cur, "effective_date": date(2020, 1, 1) + timedelta(days=30 * i),
                         "rate": Decimal(f"{1 + i}.{n:03d}")})
                for n, cur in enumerate(currencies) for i in range(RATES // len(currencies))]
        for start in range(0, len(rows), 2000):
            chunk = rows[start:start + 2000]
            insert_rows(s, ExchangeRate.__table__, chunk)
            columns = list(chunk[0])
            audit.record_import(s, "exchange_rate", f"bulk:{start // 2000}", columns,
                                [[audit.plain_value(r[c]) for c in columns] for r in chunk])


def _counts(db) -> tuple[int, int]:
    with db.reading() as s:
        rates = s.scalar(select(func.count()).select_from(ExchangeRate))
        applied = s.scalar(select(func.count()).select_from(SyncPackage).where(SyncPackage.state == "applied"))
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert audit_verify.verify(s).ok
    return rates, applied


@sqlite_only
def test_killed_sync_import_applies_nothing_or_all(db, admin, tmp_path, _isolated_user_data):
    OfficeService(db, admin).init(True)
    hq = Side("HQ", db, admin)
    _many_rates(db, "admin")
    (tmp_path / "o").mkdir()
    office = connect(hq, "ROWA", "NGA", str(tmp_path / "o" / "office.sqlite3"))
    data, info = export_package(db, "admin", "ROWA")
    assert info.changes == RATES
    pkg = tmp_path / "rates.tfsync"
    pkg.write_bytes(data)
    path = office.db.sqlite_path
    office.db.dispose()
    env = {**os.environ, "TRUSTFUND_USER": "admin", "TRUSTFUND_PASSWORD": "Quiet-River-42", "PYTHONPATH": str(REPO),
           "TRUSTFUND_KEY_DIR": str(_isolated_user_data / "keys")}
    from trustfund_app.core.db import Database

    before = _snapshot(Database.open(str(path)))
    command = [sys.executable, "-m", "trustfund_app", "--db", str(path), "sync", "import", str(pkg)]
    # How long a whole apply takes on this machine now (on a copy): the kills land between a fifth
    # and nine tenths of it, so some fall before and some inside the transaction however fast or
    # loaded the machine is (a fixed delay saw the apply finish first on a quiet machine).
    trial = tmp_path / "trial.sqlite3"
    shutil.copyfile(path, trial)
    started = time.perf_counter()
    trial_run = subprocess.run([*command[:4], str(trial), *command[5:]], env=env, cwd=str(REPO), capture_output=True, text=True)
    assert trial_run.returncode == 0, trial_run.stderr
    whole = time.perf_counter() - started
    rng = random.Random(1604)
    outcomes = set()
    for attempt in range(4):
        proc = subprocess.Popen(command, env=env, cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * rng.uniform(0.2 + 0.15 * attempt, 0.35 + 0.15 * attempt))
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check = Database.open(str(path))
        rates, applied = _counts(check)
        if rates == 0:
            assert applied == 0 and _snapshot(check) == before
            outcomes.add("nothing")
        else:
            assert (rates, applied) == (RATES, 1)
            outcomes.add("all")
        check.dispose()
        if rates:
            break
        assert not finished
    # whatever happened, applying it now completes it once
    done = subprocess.run([sys.executable, "-m", "trustfund_app", "--db", str(path), "sync", "import", str(pkg)],
                          env=env, cwd=str(REPO), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    check = Database.open(str(path))
    assert _counts(check) == (RATES, 1)
    check.dispose()
    assert "nothing" in outcomes
