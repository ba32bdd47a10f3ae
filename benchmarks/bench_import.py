"""Import benchmark: a generated 100,000-row contributions workbook (50 donors, monthly EUR/JPY/GBP
rates in the database). Prints, measured in the same run:

- bare openpyxl read-only iteration of the file (``iter_rows(values_only=True)``),
- our full import (read, validate, commit in one transaction) in a fresh process,
- their ratio (goal ≤ 1.5) and the import's peak memory (VmHWM of that process; goal ≤ 300 MB).

Run: ``python benchmarks/bench_import.py [--rows N]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
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
    admin = UserService(db).create_first_admin("admin", "secret")
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
actor = UserService(db).login("admin", "secret")
t0 = time.perf_counter()
result = run_import(db, actor, "contributions", sys.argv[2], ImportOptions(parallel_read=sys.argv[3] == "1"))
elapsed = time.perf_counter() - t0
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork+exec
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # an upper bound, same caveat
print(json.dumps({"seconds": elapsed, "peak_mb": peak, "reader_mb": reader,
                  "result": result.as_json() | {"errors": len(result.errors)}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db_path, book = tmp / "bench.sqlite3", tmp / "contributions.xlsx"
        make_database(db_path)
        t0 = time.perf_counter()
        make_workbook(book, args.rows)
        print(f"workbook: {args.rows} rows, {book.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - t0:.1f} s")
        bare = bare_openpyxl(book)
        print(f"bare openpyxl read-only iteration: {bare:.2f} s")
        for parallel in (True, False):
            fresh = tmp / f"bench-{parallel}.sqlite3"
            shutil.copy(db_path, fresh)  # the same starting database for each run (closed, no WAL)
            out = subprocess.run([sys.executable, "-c", CHILD, str(fresh), str(book), "1" if parallel else "0"],
                                 capture_output=True, text=True, env=dict(os.environ))
            if out.returncode:
                print(out.stderr)
                sys.exit(1)
            data = json.loads(out.stdout.strip().splitlines()[-1])
            res = data["result"]
            how = "sheet parsed in a second process" if parallel else "all in one process"
            print(f"full import, {how} (read, validate, commit): {data['seconds']:.2f} s — inserted "
                  f"{res['inserted']}, rejected {res['rejected']}, committed {res['committed']}")
            print(f"  ratio import / bare read: {data['seconds'] / bare:.2f} (goal ≤ 1.5)")
            print(f"  peak memory: importer {data['peak_mb']:.0f} MB (goal ≤ 300 MB)"
                  + (f", reading process {data['reader_mb']:.0f} MB" if parallel else ""))

if __name__ == "__main__":
    main()
