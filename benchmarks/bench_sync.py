"""A change package of 100,000 changes (exchange rates written at HQ by a bulk import, sent to a
field office): export and apply times against the floor of the same rows' bulk import into the
office's database (Core inserts and the import's chunk events in the audit trail, as
``trustfund import`` writes them), and the package's size against the same rows as
gzip-compressed JSON lines.

    python benchmarks/bench_sync.py [--rows 100000] [--runs 1]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from trustfund_app.core.services.base import NOT_LOGGED_IN  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rows(n: int) -> list[dict]:
    from trustfund_app.core.excel.commit import new_row

    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    currencies = [a + b + c for a in letters for b in letters for c in letters]
    per = 120
    return [new_row(currency=currencies[i // per], effective_date=date(2016, 1, 1) + timedelta(days=31 * (i % per)),
                    rate=Decimal(f"{1 + i % 997}.{i % 10000:04d}")) for i in range(n)]


def _bulk_import(db, rows: list[dict]) -> None:
    """What an import writes: Core inserts by chunk and one audit event per chunk."""
    from trustfund_app.core import audit
    from trustfund_app.core.bulk_insert import insert_rows
    from trustfund_app.core.models import ExchangeRate

    with db.writing("admin") as s:
        for n, start in enumerate(range(0, len(rows), 2000)):
            chunk = rows[start:start + 2000]
            stored = insert_rows(s, ExchangeRate.__table__, chunk)
            if stored is not None and stored.json is not None:
                audit.record_import_stored(s, "exchange_rate", f"bench:{n}", stored.dialect, list(stored.columns),
                                           stored.json)
            else:
                columns = list(chunk[0])
                audit.record_import(s, "exchange_rate", f"bench:{n}", columns,
                                    [[audit.plain_value(r[c]) for c in columns] for r in chunk])


def _side(folder: Path, name: str):
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.users import UserService

    db = Database.open(str(folder / f"{name}.sqlite3"))
    return db, UserService(db, NOT_LOGGED_IN).create_first_admin("admin", "Quiet-River-42")


def measure(rows: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="tf-sync-bench-"))
    os.environ["TRUSTFUND_KEY_DIR"] = str(folder / "keys")
    from trustfund_app.core.offices.apply import apply_package
    from trustfund_app.core.offices.export import export_package
    from trustfund_app.core.offices.identity import OfficeService

    data_rows = _rows(rows)
    hq, hq_admin = _side(folder, "hq")
    office, office_admin = _side(folder, "office")
    floor_db, _floor_admin = _side(folder, "floor")
    OfficeService(hq, hq_admin).init(True)
    OfficeService(office, office_admin).init(False, "ROBENCH", "NGA")
    OfficeService(hq, hq_admin).add("ROBENCH", OfficeService(office, office_admin).export_key(), "NGA")
    OfficeService(office, office_admin).add("HQ", OfficeService(hq, hq_admin).export_key())
    _bulk_import(hq, data_rows)
    t0 = time.perf_counter()
    _bulk_import(floor_db, data_rows)
    floor_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    package, info = export_package(hq, "admin", "ROBENCH")
    export_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = apply_package(office, "admin", package)
    apply_s = time.perf_counter() - t0
    if result.applied != rows:
        raise SystemExit(f"applied {result.applied} of {rows} changes")
    plain = [{k: (str(v) if not isinstance(v, (int, str, type(None))) else v) for k, v in r.items()} for r in data_rows]
    jsonl = gzip.compress("\n".join(json.dumps(r, separators=(",", ":")) for r in plain).encode(), 6)
    for db in (hq, office, floor_db):
        db.dispose()
    return {"rows": rows, "changes": info.changes, "floor_s": floor_s, "export_s": export_s, "apply_s": apply_s,
            "package_bytes": len(package), "jsonl_gz_bytes": len(jsonl)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    runs = [measure(args.rows) for _ in range(args.runs)]
    r = {k: statistics.median(run[k] for run in runs) for k in runs[0]}
    print(f"{int(r['changes']):,} changes: export {r['export_s']:.1f} s, apply {r['apply_s']:.1f} s, floor (bulk import "
          f"of the same rows) {r['floor_s']:.1f} s -> apply {r['apply_s'] / r['floor_s']:.2f}x (goal <= 1.5x); "
          f"package {r['package_bytes'] / 1e6:.2f} MB vs gzip JSON lines {r['jsonl_gz_bytes'] / 1e6:.2f} MB -> "
          f"{r['package_bytes'] / r['jsonl_gz_bytes']:.2f}x (goal <= 1.2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
