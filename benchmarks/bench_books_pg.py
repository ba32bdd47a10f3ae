"""The books check of ``audit verify`` on PostgreSQL: the server-side comparison (core/books_pg.py)
against the plain path that reads every event and row in Python (issue 15 residual).

A fresh database gets the demo fund, then ROWS contributions through the app's own import (the
trail then holds them as import chunks, as a headquarters' trail does); ``books.check_books`` is
timed with the fast path and with it switched off, alternating, and the best of RUNS is printed.

    python benchmarks/bench_books_pg.py --db postgresql+psycopg://user:pw@host/postgres [--rows 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def _timed(db, fast: bool) -> tuple[float, object]:
    from trustfund_app.core import books

    saved = books.fast_equal
    if not fast:
        books.fast_equal = lambda *_a: False
    try:
        with db.reading() as s:
            t0 = time.perf_counter()
            problem = books.check_books(s)
            return time.perf_counter() - t0, problem
    finally:
        books.fast_equal = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="PostgreSQL server URL (a database is created and dropped)")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import load_test
    import pg_fund

    from trustfund_app.core.db import Database
    from trustfund_app.core.demo import build_demo_fund
    from trustfund_app.core.excel.importer import ImportOptions, run_import
    from trustfund_app.core.services.base import NOT_LOGGED_IN
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.users import UserService

    url = pg_fund.clone(args.db, "template0")
    try:
        db = Database.open(url)
        build_demo_fund(db, seed=1, today=load_test.TODAY)
        actor = UserService(db, NOT_LOGGED_IN).login("finance", "demo")
        names = [d.name for d in DonorService(db, actor).list()][:20]
        book = load_test._workbook(Path(tempfile.mkdtemp()) / "rows.xlsx", names, "BOOKS", 10_000, args.rows)
        result = run_import(db, actor, "contributions", book, ImportOptions())
        assert result.committed and result.inserted == args.rows, result.as_json()
        fast, plain = [], []
        for _ in range(args.runs):
            seconds, problem = _timed(db, True)
            assert problem is None, problem
            fast.append(seconds)
            seconds, problem = _timed(db, False)
            assert problem is None, problem
            plain.append(seconds)
        print(f"books check, demo fund + {args.rows:,} imported contributions on {url.rpartition('@')[2]} "
              f"(best of {args.runs}): server-side {min(fast) * 1000:.0f} ms, plain {min(plain) * 1000:.0f} ms "
              f"({min(plain) / min(fast):.1f}x)")
        db.dispose()
    finally:
        pg_fund.drop(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
