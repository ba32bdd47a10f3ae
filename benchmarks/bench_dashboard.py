"""Dashboard and outstanding-pledges queries at 100,000 and 1,000,000 contributions: the time each
aggregate takes (best of 3), as the Dashboard and Outstanding pledges screens run them in their
background jobs.

    python benchmarks/bench_dashboard.py [--sizes 100000 1000000]

Figures (2 cores, loaded machine): 100k — whole dashboard 1.7 s; 1M — contributions by year + top
donors 2.3 s (1.3 s with an index on contribution (kind, date, donor_id, usd_cents)), outstanding
pledges 7.9 s, whole dashboard 11.6 s (one background job; the GUI stays responsive).
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
from trustfund_app.core.services import dashboard as q  # noqa: E402
from trustfund_app.core.services.outstanding import outstanding_report  # noqa: E402
from trustfund_app.core.services.position import fund_position  # noqa: E402
from trustfund_app.core.services.base import APP_ITSELF  # noqa: E402
from trustfund_app.core.services.rates import RateService  # noqa: E402


def timed(fn, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    at = date(2026, 12, 31)
    for size in args.sizes:
        folder = tempfile.TemporaryDirectory()  # ~600 MB at 1M rows: removed after each size
        db = Database.open(Path(folder.name) / "big.sqlite3")
        start = time.perf_counter()
        add_contributions(db, size)
        RateService(db, APP_ITSELF).add_month(date(2011, 1, 1), {"EUR": "0.92", "JPY": "150.5", "GBP": "0.79"})
        print(f"{size:>9,} contributions made in {time.perf_counter() - start:.1f} s")
        cases = {
            "contributions by year + top donors": lambda s: q.contributions_and_top_donors(s, at),
            "outstanding pledges with age": lambda s: outstanding_report(s, at),
            "fund position": lambda s: fund_position(s, at),
            "whole dashboard": lambda s: q.dashboard_data(s, at),
        }
        with db.reading() as s:
            for label, fn in cases.items():
                print(f"  {label:<36} {timed(lambda: fn(s)):8.1f} ms")
        db.dispose()
        folder.cleanup()


if __name__ == "__main__":
    main()
