"""Contributions list at 100,000 (and 1,000,000) rows: time to the first rows on screen, to a
filter result and to a re-sort — the queries the Contributions screen runs in its background jobs.

    python benchmarks/bench_contributions_list.py [--sizes 100000 1000000] [--gui]

--gui also times the Contributions screen's own model (offscreen): from asking for the rows to the
first page shown, and from changing a filter to its rows and USD total shown, with the GUI
thread's longest pause meanwhile (the queries run in background jobs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.bulk_fund import add_contributions  # noqa: E402 (the test suite's big-fund builder)

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
    parser.add_argument("--gui", action="store_true", help="also time the screen's model, offscreen")
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
        if args.gui:
            gui_figures(db)
        db.dispose()


def gui_figures(db) -> None:
    """What a user waits for on the Contributions screen, measured on its model."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from trustfund_app.gui.contributions_model import ContributionsModel

    app = QApplication.instance() or QApplication([])
    model = ContributionsModel(db)
    longest, clock = [0], QElapsedTimer()
    ticker = QTimer(interval=5)

    def tick():
        longest[0] = max(longest[0], clock.restart())

    ticker.timeout.connect(tick)

    def wait_loaded(action) -> float:
        done = []
        model.loaded.connect(done.append)
        longest[0] = 0
        clock.start()
        ticker.start()
        start = time.perf_counter()
        action()
        while not done:
            app.processEvents()
            time.sleep(0.001)
        ticker.stop()
        model.loaded.disconnect(done.append)
        return (time.perf_counter() - start) * 1000

    for label, action in (
        ("screen model: first rows", lambda: model.reload()),
        ("screen model: filter EUR payments", lambda: model.set_filter(kind="payment", currency="EUR")),
        ("screen model: text 'R-00042'", lambda: model.set_filter(kind=None, currency=None, text="R-00042")),
        ("screen model: sort by USD", lambda: (model.set_filter(text=""), model.sort(7))),
    ):
        elapsed = wait_loaded(action)
        print(f"  {label:<36} shown after {elapsed:7.1f} ms   GUI thread's longest pause {longest[0]:4d} ms")


if __name__ == "__main__":
    main()
