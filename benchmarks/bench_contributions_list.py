"""Contributions list at 100,000 (and 1,000,000) rows: time to the first rows on screen, to a
filter result and to a re-sort — the queries the Contributions screen runs in its background jobs.

    python benchmarks/bench_contributions_list.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulk_fund import add_contributions  # noqa: E402

from trustfund_app.core.db import Database  # noqa: E402
from trustfund_app.core.services.contribution_queries import ContributionFilter, list_page, summary  # noqa: E402


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
    for size in args.sizes:
        db = Database.open(Path(tempfile.mkdtemp()) / "big.sqlite3")
        start = time.perf_counter()
        add_contributions(db, size)
        print(f"{size:>9,} contributions made in {time.perf_counter() - start:.1f} s")
        cases = {
            "first page (newest first)": ContributionFilter(),
            "filter: year 2020": ContributionFilter(year=2020),
            "filter: EUR payments": ContributionFilter(kind="payment", currency="EUR"),
            "filter: text 'R-00042'": ContributionFilter(text="R-00042"),
            "filter: partly paid pledges": ContributionFilter(status="partly_paid"),
        }
        with db.reading() as s:
            for label, flt in cases.items():
                page = timed(lambda: list_page(s, flt))
                total = timed(lambda: summary(s, flt))
                print(f"  {label:<30} first rows {page:7.1f} ms   count+USD total {total:7.1f} ms")
            print(f"  {'sort by USD, descending':<30} first rows {timed(lambda: list_page(s, ContributionFilter(), 'usd')):7.1f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
