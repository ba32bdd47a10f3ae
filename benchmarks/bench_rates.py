"""Exchange-rates and outstanding-pledges screens at 100,000 (and optionally 1,000,000)
contributions: the time each query takes (best of 3), as the screens run them in their background
jobs. The synthetic fund records every transaction with one rate (the worst case for the list of
transactions a rate was used for) on top of 16 years of monthly lists for 3 currencies.

    python benchmarks/bench_rates.py [--sizes 100000 1000000]

Measured on the 2-core machine (100,000 contributions; the range is quiet vs loaded by other
jobs): rate table with usage counts 87–240 ms (576 rates), one currency 26–45 ms, the busiest
rate's transactions 39–90 ms (first 2,000 of 25,000), month template 0.3 ms, outstanding pledges
with age 180–690 ms (200 donor/currency lines).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.bulk_fund import add_contributions  # noqa: E402 (the test suite's big-fund builder)

from trustfund_app.core.db import Database  # noqa: E402
from trustfund_app.core.services.outstanding import outstanding_report  # noqa: E402
from trustfund_app.core.services.rate_table import month_template, rate_rows, rate_uses  # noqa: E402
from trustfund_app.core.services.base import APP_ITSELF  # noqa: E402
from trustfund_app.core.services.rates import RateService  # noqa: E402


def timed(fn, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    args = parser.parse_args()
    at = date(2026, 12, 31)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            run(size, Path(folder) / "big.sqlite3", at)


def run(size: int, path: Path, at: date) -> None:
    """One fund of ``size`` contributions (removed with its folder afterwards)."""
    db = Database.open(path)
    start = time.perf_counter()
    add_contributions(db, size)
    rates = RateService(db, APP_ITSELF)
    for year in range(2011, 2027):
        for month in range(1, 13):
            rates.add_month(date(year, month, 1), {"EUR": "0.92", "JPY": "150.5", "GBP": "0.79"})
    print(f"{size:>9,} contributions made in {time.perf_counter() - start:.1f} s")
    cases = {
        "rate table with usage counts": lambda s: rate_rows(s),
        "rate table, one currency": lambda s: rate_rows(s, "EUR"),
        "transactions of the busiest rate": lambda s: rate_uses(s, "EUR", date(2011, 1, 1)),
        "month template": lambda s: month_template(s, date(2027, 1, 1)),
        "outstanding pledges with age": lambda s: outstanding_report(s, at),
    }
    with db.reading() as s:
        for label, fn in cases.items():
            ms, result = timed(lambda fn=fn: fn(s))
            size_note = f"{len(result):>7,} rows" if isinstance(result, list) else f"{len(result.lines):>7,} lines"
            print(f"  {label:<36} {ms:8.1f} ms  {size_note}")
    db.dispose()


if __name__ == "__main__":
    main()
