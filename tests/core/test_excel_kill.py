"""A real ``trustfund import`` process killed (SIGKILL) in the middle of its commit leaves the
database exactly as it was: same rows, same audit trail head, a clean integrity check."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import text

from tests.core.excel_helpers import seed
from tests.core.resilience_helpers import REPO, sqlite_only

ROWS = 30_000


def _snapshot(db) -> str:
    """A digest of every table's rows, in a fixed order."""
    digest = hashlib.sha256()
    with db.reading() as s:
        tables = [r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"))]
        for table in tables:
            for row in s.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@sqlite_only
def test_killed_import_leaves_the_database_exactly_as_before(db, admin, tmp_path):
    seed(db, admin)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Big")
    ws.append(["date", "donor", "kind", "currency", "amount", "reference"])
    for i in range(ROWS):
        ws.append([date(2026, 1, 1) + timedelta(days=i % 300), ("Germany", "Japan")[i % 2], "pledge",
                   ("EUR", "JPY")[i % 2], 100 + i, f"K-{i}"])
    wb.save(tmp_path / "big.xlsx")
    before = _snapshot(db)
    wal = Path(str(db.sqlite_path) + "-wal")
    wal_start = wal.stat().st_size if wal.exists() else 0
    env = {**os.environ, "TRUSTFUND_USER": "admin", "TRUSTFUND_PASSWORD": "Quiet-River-42", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "trustfund_app", "--db", str(db.sqlite_path), "import",
                             "contributions", str(tmp_path / "big.xlsx")], env=env, cwd=str(REPO),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # rows reach the WAL chunk by chunk while the transaction is open: kill once some have
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > wal_start + 2_000_000:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed; make the file bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _snapshot(db) == before
    with db.reading() as s:
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
