"""``audit verify`` at 1M contributions against a full scan of the tables it checks (issue 15).

The fund is the cached 1M-contribution template (``fast_fund``) given the trail an import would
have left: every row of every audited table recorded in "import" events of 10,000 rows in the
stored form (``audit.record_import_stored``), as the import writes them. Ours: ``audit.verify``
(the chain, then every audited table against the trail). The floor: reading every row of those
tables and of the trail with the bare ``sqlite3`` module. Goal: ours ≤ 2x the floor.

    python benchmarks/bench_audit_verify.py [ROWS] [RUNS]
"""

from __future__ import annotations

import json
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHUNK = 10_000
_ROWS_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def with_trail(path: Path) -> None:
    """Record every row of every audited table as the import would have."""
    from trustfund_app.core import audit
    from trustfund_app.core.books import audited_tables
    from trustfund_app.core.db import Database

    raw = sqlite3.connect(path)
    db = Database(f"sqlite:///{path}")
    with db.writing("bench") as session:
        for table in audited_tables():
            names = [c.name for c in table.columns]
            cursor = raw.execute(f'SELECT {", ".join(chr(34) + n + chr(34) for n in names)} FROM "{table.name}"')
            n = 0
            while rows := cursor.fetchmany(CHUNK):
                n += 1
                audit.record_import_stored(session, table.name, f"bench:{n}", "sqlite", names, _ROWS_JSON(rows))
    db.dispose()
    raw.close()


def floor_scan(path: Path) -> int:
    """Every row of the audited tables and of the trail, read with the bare sqlite3 module."""
    from trustfund_app.core.books import audited_tables

    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    count = 0
    for name in [t.name for t in audited_tables()] + ["audit_event"]:
        cursor = con.execute(f'SELECT * FROM "{name}"')
        while rows := cursor.fetchmany(CHUNK):
            count += len(rows)
    con.close()
    return count


def ours(path: Path) -> bool:
    from trustfund_app.core import audit_verify
    from trustfund_app.core.db import Database

    db = Database(f"sqlite:///{path}")
    try:
        with db.reading() as session:
            return audit_verify.verify(session).ok
    finally:
        db.dispose()


def measure(rows: int = 1_000_000, runs: int = 3) -> dict:
    from fast_fund import fund_copy

    folder = Path(tempfile.mkdtemp(prefix="tf-verify-"))
    path = fund_copy(rows, folder)
    t0 = time.perf_counter()
    with_trail(path)
    built = time.perf_counter() - t0
    floor_s, ours_s = [], []
    for _ in range(runs):  # alternate the floor and ours under the same load
        t0 = time.perf_counter()
        floor_scan(path)
        floor_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ok = ours(path)
        ours_s.append(time.perf_counter() - t0)
        if not ok:
            raise SystemExit("audit verify found the benchmark fund broken")
    for extra in ("", "-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    folder.rmdir()
    return {"rows": rows, "runs": runs, "trail_s": built, "floor_s": statistics.median(floor_s),
            "ours_s": statistics.median(ours_s), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    r = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    print(f"audit verify, {r['rows']:,} contributions: ours {r['ours_s']:.1f} s, floor (full scan) "
          f"{r['floor_s']:.1f} s, ratio {r['ours_s'] / r['floor_s']:.2f}x (goal <= 2x), peak {r['peak_mb']:.0f} MB "
          f"(trail written in {r['trail_s']:.0f} s)")
