"""Import benchmark: a generated 100,000-row contributions workbook (50 donors, monthly EUR/JPY/GBP
rates in the database). Prints, measured in the same run:

- bare openpyxl read-only iteration of the file (``iter_rows(values_only=True)``), in a fresh
  process like the import (openpyxl already imported: the import's time, by contrast, includes
  starting its reading process),
- our full import (read, validate, commit in one transaction) in a fresh process,
- their ratio (goal ≤ 1.5) and the import's peak memory (VmHWM of that process; goal ≤ 300 MB).

Run: ``python benchmarks/bench_import.py [--rows N] [--runs 3]`` (the bare read and the import
alternate; the median ratio is the figure).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

CURRENCIES = ("USD", "EUR", "JPY", "GBP")


def make_database(path: Path) -> None:
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.rates import RateService
    from trustfund_app.core.services.users import UserService

    db = Database.open(path)
    admin = UserService(db).create_first_admin("admin", "Quiet-River-42")
    donors = DonorService(db, admin)
    for i in range(50):
        donors.create(f"Donor {i:02d}", "member_state", None, "en")
    rates = RateService(db, admin)
    for year in (2023, 2024, 2025, 2026):
        for month in range(1, 13):
            rates.add_month(date(year, month, 1), {"EUR": Decimal("0.92"), "JPY": Decimal("150.5"),
                                                  "GBP": Decimal("0.79")})
    db.dispose()


def make_workbook(path: Path, rows: int) -> None:
    import openpyxl

    rnd = random.Random(7)
    # a normal (not write-only) workbook, like Excel's: shared strings and a <dimension> element
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Contributions"
    ws.append(["date", "donor", "kind", "currency", "amount", "reference", "earmark", "note"])
    start = date(2023, 1, 1)
    for i in range(rows):
        currency = CURRENCIES[i % 4]
        amount = rnd.randint(100, 10_000_000) if currency == "JPY" else round(rnd.uniform(10, 500_000), 2)
        ws.append([start + timedelta(days=rnd.randrange(1300)), f"Donor {rnd.randrange(50):02d}",
                   "pledge" if i % 3 == 0 else "payment", currency, amount, f"REF-{i:06d}",
                   "Shelter" if i % 7 == 0 else None, None])
    wb.save(path)


def bare_openpyxl(path: Path) -> float:
    import openpyxl

    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for _row in wb.worksheets[0].iter_rows(values_only=True):
        pass
    wb.close()
    return time.perf_counter() - t0


CHILD = r"""
import json, resource, sys, time
from trustfund_app.core.db import Database
from trustfund_app.core.excel.importer import ImportOptions, run_import
from trustfund_app.core.services.users import UserService
db = Database.open(sys.argv[1])
actor = UserService(db).login("admin", "Quiet-River-42")
t0 = time.perf_counter()
result = run_import(db, actor, "contributions", sys.argv[2], ImportOptions(parallel_read=sys.argv[3] == "1"))
elapsed = time.perf_counter() - t0
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork+exec
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # an upper bound, same caveat
print(json.dumps({"seconds": elapsed, "peak_mb": peak, "reader_mb": reader,
                  "result": result.as_json() | {"errors": len(result.errors)}}))
"""


def run_import_child(db_path: Path, book: Path, fresh: Path, parallel: bool) -> dict:
    shutil.copy(db_path, fresh)  # the same starting database for each run (closed, no WAL)
    out = subprocess.run([sys.executable, "-c", CHILD, str(fresh), str(book), "1" if parallel else "0"],
                         capture_output=True, text=True, env=dict(os.environ))
    if out.returncode:
        print(out.stderr)
        sys.exit(1)
    fresh.unlink()
    return json.loads(out.stdout.strip().splitlines()[-1])


BARE_CHILD = r"""
import sys, time
import openpyxl
t0 = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
for _row in wb.worksheets[0].iter_rows(values_only=True):
    pass
wb.close()
print(time.perf_counter() - t0)
"""


def bare_in_child(book: Path) -> float:
    """``bare_openpyxl`` in a fresh process, like the import (not next to this one's garbage)."""
    out = subprocess.run([sys.executable, "-c", BARE_CHILD, str(book)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="bare read and import alternated this many times")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db_path, book = tmp / "bench.sqlite3", tmp / "contributions.xlsx"
        make_database(db_path)
        t0 = time.perf_counter()
        make_workbook(book, args.rows)
        print(f"workbook: {args.rows} rows, {book.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - t0:.1f} s")
        ratios = []
        for run in range(args.runs):  # alternated: both see the same machine load
            bare = bare_in_child(book)
            data = run_import_child(db_path, book, tmp / "run.sqlite3", parallel=True)
            res = data["result"]
            ratios.append(data["seconds"] / bare)
            print(f"run {run + 1}: bare openpyxl read-only iteration {bare:.2f} s; full import, sheet parsed in a second "
                  f"process (read, validate, commit) {data['seconds']:.2f} s — inserted {res['inserted']}, rejected "
                  f"{res['rejected']}, committed {res['committed']}; ratio {ratios[-1]:.2f}")
            print(f"  peak memory: importer {data['peak_mb']:.0f} MB, reading process {data['reader_mb']:.0f} MB "
                  "(goal ≤ 300 MB)")
        print(f"median ratio import / bare read: {statistics.median(ratios):.2f} (goal ≤ 1.5)")
        bare = bare_in_child(book)
        data = run_import_child(db_path, book, tmp / "run.sqlite3", parallel=False)
        print(f"all in one process (one core): {data['seconds']:.2f} s vs bare {bare:.2f} s = "
              f"{data['seconds'] / bare:.2f}; peak memory {data['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
