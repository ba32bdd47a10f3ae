"""What per-row named changes cost an import's audit trail (issue 20).

Two ways to record N imported rows so that every row's change can be read back by name:
- one event per row (``audit.record``: JSON, hash and insert per row), or
- one event per chunk of rows (``audit.record_import``, what imports do), read back per row by
  ``audit.row_changes``.
Prints the time to record N rows each way and to read them back as named changes.

    python benchmarks/bench_audit_rows.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from trustfund_app.core import audit  # noqa: E402
from trustfund_app.core.db import Database  # noqa: E402

CHUNK = 5000


def rows(n: int) -> tuple[list[str], list[list]]:
    columns = ["id", "donor_id", "kind", "date", "currency", "amount_minor", "usd_cents", "reference"]
    donor = str(uuid.uuid4())
    return columns, [[str(uuid.uuid4()), donor, "pledge", "2026-03-01", "EUR", 10_000 + i, 10_870 + i, f"P-{i:06d}"]
                     for i in range(n)]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    columns, data = rows(n)
    folder = Path(tempfile.mkdtemp())
    for label, chunked in (("one event per row", False), ("one event per chunk", True)):
        db = Database.open(folder / f"{label[:20].replace(' ', '-')}.sqlite3")

        def record():
            with db.writing("bench") as s:
                if chunked:
                    for i in range(0, n, CHUNK):
                        audit.record_import(s, "contribution", f"batch:{i // CHUNK}", columns, data[i:i + CHUNK])
                else:
                    audit.record(s, [audit.Change("contribution", r[0], "insert", None, dict(zip(columns, r)))
                                     for r in data])

        def read():
            with db.reading() as s:
                got = sum(1 for c in audit.row_changes(s, entity="contribution"))
            assert got == n, got

        print(f"{label:<22} record {n:,} rows: {timed(record) * 1000:7.0f} ms   "
              f"read back as named changes: {timed(read) * 1000:7.0f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
