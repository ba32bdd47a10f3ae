"""The fund's aggregates and the contributions list at 1,000,000 contributions, next to the same
figures computed by hand-written SQL (the floor): ``run_all.py`` runs ``child_queries`` and
``child_list`` in child processes; ``pg_bench.py`` reuses the floors on PostgreSQL."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_measure import median_ms, peak_mb


# What is left on each pledge (PRODUCT.md's rule, the one ``core/ledger.py`` applies): the pledged
# amount less the payments and the approved write-offs dated on or before the date; each pledge's
# remainder is converted and rounded on its own, then summed (raw_outstanding does that in Python).
RAW_OUTSTANDING = """
SELECT c.donor_id, d.name, c.currency, c.amount_minor - coalesce(p.paid, 0) - coalesce(w.off, 0), c.date
FROM contribution c JOIN donor d ON d.id = c.donor_id
LEFT JOIN (SELECT a.pledge_id, sum(a.amount_minor) AS paid FROM allocation a
           JOIN contribution pc ON pc.id = a.payment_id WHERE pc.date <= :at GROUP BY a.pledge_id) p
       ON p.pledge_id = c.id
LEFT JOIN (SELECT pledge_id, sum(amount_minor) AS off FROM pledge_write_off
           WHERE status = 'approved' AND effective_date <= :at GROUP BY pledge_id) w
       ON w.pledge_id = c.id
WHERE c.kind = 'pledge' AND c.date <= :at AND c.reversed = 0 AND c.reverses_id IS NULL
  AND c.amount_minor - coalesce(p.paid, 0) - coalesce(w.off, 0) > 0"""
RAW_RATE = ("SELECT rate FROM exchange_rate WHERE currency = :cur AND effective_date <= :at "
            "ORDER BY effective_date DESC LIMIT 1")
RAW_POSITION = [
    "SELECT sum(usd_cents) FROM contribution WHERE kind = 'payment' AND date <= :at",
    "SELECT sum(amount_usd_cents), sum(psc_cents) FROM instalment WHERE status = 'paid' AND paid_on <= :at",
    "SELECT sum(amount_usd_cents), sum(psc_cents) FROM refund WHERE date <= :at",
    """SELECT sum(g.amount_usd_cents - coalesce(p.paid, 0)) FROM "grant" g LEFT JOIN
       (SELECT grant_id, sum(amount_usd_cents) AS paid FROM instalment WHERE status = 'paid' AND paid_on <= :at
        GROUP BY grant_id) p ON p.grant_id = g.id
       WHERE g.approved_on <= :at AND (g.status IN ('approved', 'active')
             OR (g.status IN ('closed', 'cancelled') AND g.closed_on > :at))""",
]


RAW_BY_DONOR_YEAR = """
SELECT d.id, d.name, d.type, p.year, p.cents FROM donor d JOIN
  (SELECT donor_id, CAST(strftime('%Y', date) AS INTEGER) AS year, sum(usd_cents) AS cents FROM contribution
   WHERE kind = 'payment' AND date <= :at GROUP BY donor_id, year) p ON p.donor_id = d.id"""


def raw_by_donor_year(con, at: str):
    return con.execute(RAW_BY_DONOR_YEAR, {"at": at}).fetchall()


def raw_dashboard(con, at: str):
    """The dashboard's contribution figures: position (with outstanding pledges) and payments by
    donor and year (the grant tables are empty in this synthetic fund)."""
    return raw_position(con, at), raw_by_donor_year(con, at)


def raw_outstanding(con, at: str):
    from decimal import ROUND_HALF_UP, Decimal

    cent = Decimal("0.01")
    rates, groups = {}, {}
    for did, name, cur, minor, day in con.execute(RAW_OUTSTANDING, {"at": at}):
        if cur not in rates:
            rates[cur] = Decimal(1) if cur == "USD" else Decimal(con.execute(RAW_RATE, {"cur": cur, "at": at}).fetchone()[0])
        usd = minor if cur == "USD" else int((Decimal(minor).scaleb(-(0 if cur == "JPY" else 2)) / rates[cur])
                                             .quantize(cent, rounding=ROUND_HALF_UP).scaleb(2))
        group = groups.setdefault((did, name, cur), [0, 0, day])
        group[0] += minor
        group[1] += usd
        group[2] = min(group[2], day)
    rows = sorted(((did, name, cur, *totals) for (did, name, cur), totals in groups.items()), key=lambda r: (r[1], r[2]))
    return rows, sum(r[4] for r in rows)


def raw_position(con, at: str):
    sums = [con.execute(sql, {"at": at}).fetchone() for sql in RAW_POSITION]
    return sums, raw_outstanding(con, at)[1]


def child_queries(args) -> dict:
    """fund_position and the dashboard's queries at 1M contributions vs the same aggregates in raw SQL."""
    import importlib
    import sqlite3

    from fast_fund import fund_copy

    from trustfund_app.core.db import Database
    from trustfund_app.core.services.position import fund_position, outstanding_by_donor

    folder = Path(tempfile.mkdtemp())
    path = fund_copy(args.rows, folder)
    at = date(2026, 11, 28)
    db = Database.open(path)
    con = sqlite3.connect(path)
    out = {}
    with db.reading() as s:
        cases = {"fund position": (lambda: fund_position(s, at), lambda: raw_position(con, at.isoformat())),
                 "outstanding pledges by donor": (lambda: outstanding_by_donor(s, at),
                                                  lambda: raw_outstanding(con, at.isoformat()))}
        try:  # the dashboard's own queries, where that module exists
            dash = importlib.import_module("trustfund_app.core.services.dashboard")
        except ImportError:
            dash = None
        if dash is not None:
            iso = at.isoformat()
            cases["dashboard: payments by donor and year"] = (lambda: dash.contributions_by_donor_year(s, at),
                                                              lambda: raw_by_donor_year(con, iso))
            cases["dashboard: everything it shows (dashboard_data)"] = (lambda: dash.dashboard_data(s, at),
                                                                        lambda: raw_dashboard(con, iso))
        for label, (ours, raw) in cases.items():
            ours(), raw()  # warm: statement compilation, page cache
            mine, theirs = [], []
            for _ in range(args.runs):  # alternate, so a load spike hits both sides alike
                mine.append(median_ms(ours, 1)[0])
                theirs.append(median_ms(raw, 1)[0])
            out[label] = {"ms": statistics.median(mine), "raw_ms": statistics.median(theirs)}
    db.dispose()
    con.close()
    shutil.rmtree(folder, ignore_errors=True)
    return {"cases": out, "peak_mb": peak_mb()}


def list_cases() -> dict:
    from trustfund_app.core.services.contribution_queries import ContributionFilter

    return {
        "first rows (newest first)": ContributionFilter(),
        "filter: year 2020": ContributionFilter(year=2020),
        "filter: EUR payments": ContributionFilter(kind="payment", currency="EUR"),
        "filter: text 'R-00042'": ContributionFilter(text="R-00042"),
        "filter: partly paid pledges": ContributionFilter(status="partly_paid"),
    }


def child_list(args) -> dict:
    """Contributions list at 1M rows: the first page on screen and filter results."""
    from fast_fund import fund_copy

    from trustfund_app.core.db import Database
    from trustfund_app.core.services.contribution_queries import list_page, summary

    folder = Path(tempfile.mkdtemp())
    db = Database.open(fund_copy(args.rows, folder))
    cases = list_cases()
    out = {}
    with db.reading() as s:
        for label, flt in cases.items():
            first = time.perf_counter()
            rows = list_page(s, flt)
            cold = (time.perf_counter() - first) * 1000
            ms, _ = median_ms(lambda flt=flt: list_page(s, flt), args.runs)
            total_ms, _ = median_ms(lambda flt=flt: summary(s, flt), max(1, args.runs // 2))
            out[label] = {"ms": ms, "first_ms": cold, "rows": len(rows), "count_ms": total_ms}
    db.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return {"cases": out, "peak_mb": peak_mb()}
