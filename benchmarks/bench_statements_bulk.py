"""Benchmark: statements in bulk in one process against the fair floor (issue 21, point 5).

    python benchmarks/bench_statements_bulk.py [--statements 200] [--runs 3] [--db postgresql+psycopg://…]

"single" = ``render_statement`` once per donor (each reads its donor, the letterhead, the use of the
fund and the rates again); "bulk" = ``render_statements`` for all of them (the data read set-based a
group of donors at a time, what all share read once; what ``trustfund statements --year`` runs in
each process). "floor" = reportlab laying out and drawing the very same documents from flowables
made beforehand (``bench_statements.same_document``). Goal: bulk <= 1.3 x floor. Both paths give
the same bytes (checked here). ``--db``: the same on a fresh database of that PostgreSQL server.
For run_all.py: ``add_rows(table, statements, runs, server)`` measures in a child process (``--json``)
and adds the rows to its table."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_statements import END, ISSUED, START, build_database, same_document, same_document_jobs  # noqa: E402


def _database(folder: Path, server: str | None, statements: int):
    if not server:
        return build_database(folder / "bulk.sqlite3", statements, 50), None
    import pg_fund

    url = pg_fund.clone(server, "template0")
    return build_database(url, statements, 50), url


def measure(statements: int = 200, runs: int = 3, server: str | None = None) -> dict:
    from trustfund_app.core.reports import statement

    bulk_api = getattr(statement, "render_statements", None)  # absent before issue 21: "single" only
    with tempfile.TemporaryDirectory() as tmp:
        (db, ids), url = _database(Path(tmp), server, statements)
        try:
            statement.render_statement(db, ids[0], START, END, "en", ISSUED)  # warm-up: imports, fonts
            singles, bulks, floors = [], [], []
            for _ in range(runs):  # alternate, so all see the same machine load
                jobs = same_document_jobs(db, ids)
                t0 = time.perf_counter()
                same_document(jobs)
                floors.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                single = [statement.render_statement(db, d, START, END, "en", ISSUED) for d in ids]
                singles.append(time.perf_counter() - t0)
                if bulk_api is not None:
                    t0 = time.perf_counter()
                    bulk = [pdf for _id, pdf in bulk_api(db, ids, START, END, "en", ISSUED)]
                    bulks.append(time.perf_counter() - t0)
                    assert bulk == single, "bulk and single statements differ"
        finally:
            db.dispose()
            if url:
                import pg_fund

                pg_fund.drop(url)
    out = {"n": len(ids), "floor_s": statistics.median(floors), "single_s": statistics.median(singles)}
    if bulks:
        out["bulk_s"] = statistics.median(bulks)
    return out


def add_rows(table, statements: int, runs: int, server: str | None = None) -> None:
    """run_all's rows: bulk against the floor on SQLite (and on ``server``, a PostgreSQL URL)."""
    import json
    import subprocess

    for db in [None] + ([server] if server and server.startswith("postgresql") else []):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--json", "--statements", str(statements),
               "--runs", str(runs)] + (["--db", db] if db else [])
        r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        tag = "[PostgreSQL] " if db else ""
        table.add(f"{tag}{r['n']} statements in bulk in one process (`render_statements`) vs reportlab drawing the "
                  f"same documents from memory (median of {runs}; one at a time: {r['single_s']:.1f} s)",
                  f"{r['bulk_s']:.1f} s", f"{r['floor_s']:.1f} s", f"{r['bulk_s'] / r['floor_s']:.2f}x", "≤ 1.3x",
                  r["bulk_s"] / r["floor_s"] <= 1.3, "—")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="a PostgreSQL server URL (postgresql+psycopg://…/postgres)")
    parser.add_argument("--json", action="store_true", help="print the medians as one JSON line")
    args = parser.parse_args()
    r = measure(args.statements, args.runs, args.db)
    if args.json:
        import json

        print(json.dumps(r))
        return 0
    engine = "PostgreSQL" if args.db else "SQLite"
    n, floor = r["n"], r["floor_s"]
    print(f"[{engine}] {n} statements, medians of {args.runs}: floor (same documents from memory) {floor:.2f} s "
          f"= {1000 * floor / n:.1f} ms each")
    print(f"[{engine}] single path (render_statement per donor): {r['single_s']:.2f} s; "
          f"ratio single/floor {r['single_s'] / floor:.2f} x")
    if "bulk_s" in r:
        print(f"[{engine}] bulk (render_statements): {r['bulk_s']:.2f} s; ratio bulk/floor {r['bulk_s'] / floor:.2f} x "
              f"(goal <= 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
