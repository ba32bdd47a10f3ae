"""The benchmarks that make sense on a server, on PostgreSQL: the 1M-contribution aggregates
against the same SQL sent raw through psycopg, the contributions list's pages and filters, the
import against bare openpyxl, and the start to a filled dashboard. Run by
``run_all.py --db postgresql+psycopg://…``, each in its own child process like the SQLite ones."""

from __future__ import annotations

import re
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import pg_fund

AT = date(2026, 11, 28)


def _pg_sql(sql: str) -> str:
    """run_all's raw SQL for PostgreSQL: named parameters, booleans, the year of a date."""
    sql = sql.replace("c.reversed = 0", "c.reversed = false")
    sql = sql.replace("CAST(strftime('%Y', date) AS INTEGER)", "CAST(extract(year FROM date) AS INTEGER)")
    return re.sub(r":(\w+)", r"%(\1)s", sql)


class Raw:
    """run_all's raw floors over a psycopg connection (its ``con.execute(sql, params)`` shape)."""

    def __init__(self, url: str):
        import psycopg

        self.con = psycopg.connect(pg_fund._libpq(url), autocommit=True)

    def execute(self, sql: str, params=None):
        if sql == "BEGIN":
            return self.con.execute("SELECT 1")
        return self.con.execute(_pg_sql(sql), params or {})

    def close(self) -> None:
        self.con.close()


def child_queries(args, run_all) -> dict:
    from trustfund_app.core.db import Database
    from trustfund_app.core.services import dashboard as dash
    from trustfund_app.core.services.position import fund_position, outstanding_by_donor

    url = pg_fund.clone(args.server, pg_fund.fund_template(args.server, args.rows))
    db, raw, iso, out = Database.open(url), Raw(url), AT.isoformat(), {}
    try:
        with db.reading() as s:
            cases = {
                "fund position": (lambda: fund_position(s, AT), lambda: run_all.raw_position(raw, iso)),
                "outstanding pledges by donor": (lambda: outstanding_by_donor(s, AT),
                                                 lambda: run_all.raw_outstanding(raw, iso)),
                "dashboard: payments by donor and year": (lambda: dash.contributions_by_donor_year(s, AT),
                                                          lambda: run_all.raw_by_donor_year(raw, iso)),
                "dashboard: everything it shows (dashboard_data)": (lambda: dash.dashboard_data(s, AT),
                                                                    lambda: run_all.raw_dashboard(raw, iso)),
            }
            for label, (ours, floor) in cases.items():
                ours(), floor()  # warm: plans, the server's buffers
                mine, theirs = [], []
                for _ in range(args.runs):
                    mine.append(run_all.median_ms(ours, 1)[0])
                    theirs.append(run_all.median_ms(floor, 1)[0])
                out[label] = {"ms": statistics.median(mine), "raw_ms": statistics.median(theirs)}
    finally:
        raw.close()
        db.dispose()
        pg_fund.drop(url)
    return {"cases": out, "peak_mb": run_all.peak_mb()}


def child_list(args, run_all) -> dict:
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.contribution_queries import ContributionFilter, list_page, summary, text_index

    url = pg_fund.clone(args.server, pg_fund.fund_template(args.server, args.rows))
    db, out = Database.open(url), {}
    try:
        with db.reading() as s:
            index = text_index(s)
            for label, flt in run_all.list_cases().items():
                list_page(s, flt)
                ms, rows = run_all.median_ms(lambda flt=flt: list_page(s, flt), args.runs)
                total_ms, _ = run_all.median_ms(lambda flt=flt: summary(s, flt), max(1, args.runs // 2))
                out[label] = {"ms": ms, "rows": len(rows), "count_ms": total_ms}
    finally:
        db.dispose()
        pg_fund.drop(url)
    return {"cases": out, "peak_mb": run_all.peak_mb(), "text_index": index}


def child_import(args, run_all) -> dict:
    """The import of the same workbook into a PostgreSQL copy of the import's base fund."""
    import resource

    from trustfund_app.core.excel.importer import ImportOptions, run_import
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.users import UserService

    base = pg_fund.template_from_sqlite(args.server, Path(args.db), f"tf_import_{Path(args.db).stem.replace('-', '_')}"[:60])
    url = pg_fund.clone(args.server, base)
    db = Database.open(url)
    try:
        actor = UserService(db).login("admin", "secret")
        t0 = time.perf_counter()
        result = run_import(db, actor, "contributions", Path(args.path), ImportOptions())
        seconds = time.perf_counter() - t0
    finally:
        db.dispose()
        pg_fund.drop(url)
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "inserted": result.as_json()["inserted"], "peak_mb": run_all.peak_mb(), "reader_mb": reader}


def child_startup(args, run_all) -> dict:
    """Process start to a filled dashboard, the demo fund on the server."""
    import os
    import subprocess
    import sys

    url = pg_fund.clone(args.server, "template0")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    folder = Path(tempfile.mkdtemp())
    try:
        subprocess.run([sys.executable, "-m", "trustfund_app", "--db", url, "demo"], check=True, capture_output=True,
                       env=env, cwd=run_all.ROOT)
        app_env = dict(env, TRUSTFUND_STARTUP_PROBE="admin:demo", XDG_CONFIG_HOME=str(folder))
        dashboards = []
        for _ in range(args.runs):
            start = time.time()
            out = subprocess.run([sys.executable, "-m", "trustfund_app", "--db", url, "--lang", "en"], env=app_env,
                                 capture_output=True, text=True, cwd=run_all.ROOT).stdout
            marks = {p[0]: float(p[1]) - start for p in (line.split() for line in out.splitlines()) if len(p) == 2}
            dashboards.append(marks["dashboard"] * 1000)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        pg_fund.drop(url)
    return {"dashboard_ms": statistics.median(dashboards), "runs": args.runs}


def add_rows(table, run_all, server: str, reps: int, inputs: dict | None) -> None:
    """The PostgreSQL rows of run_all's table (same goals as SQLite's)."""
    tag = "PostgreSQL"
    r = run_all.child("pg_startup", server=server, runs=3)
    table.add(f"[{tag}] cold start to a filled dashboard (demo fund)", f"{r['dashboard_ms']:.0f} ms", "—", "—",
              "≤ 1000 ms", r["dashboard_ms"] <= 1000, "—")
    if inputs is not None:
        ours, bare = [], []
        for _ in range(reps):
            bare.append(run_all.child("openpyxl", path=inputs["book"])["seconds"])
            o = run_all.child("pg_import", server=server, path=inputs["book"], db=inputs["db"])
            ours.append(o["seconds"])
        o, b = statistics.median(ours), statistics.median(bare)
        table.add(f"[{tag}] import of 100,000 contributions vs openpyxl read-only (median of {reps})", f"{o:.1f} s",
                  f"{b:.1f} s", f"{o / b:.2f}x", "≤ 1.5x", o / b <= 1.5, "—")
    r = run_all.child("pg_queries", server=server, rows=1_000_000, runs=3)
    for label, c in r["cases"].items():
        table.add(f"[{tag}] {label}, 1M contributions, vs raw SQL", f"{c['ms']:.0f} ms", f"{c['raw_ms']:.0f} ms",
                  f"{c['ms'] / c['raw_ms']:.2f}x", "≤ 2x", c["ms"] / c["raw_ms"] <= 2, f"{r['peak_mb']:.0f} MB")
    r = run_all.child("pg_list", server=server, rows=1_000_000, runs=5)
    for label, c in r["cases"].items():
        table.add(f"[{tag}] contributions list, 1M rows: {label}", f"{c['ms']:.0f} ms", "—", "—", "< 100 ms",
                  c["ms"] < 100, f"{r['peak_mb']:.0f} MB")
    print(f"  (PostgreSQL text index: {r['text_index']})")
