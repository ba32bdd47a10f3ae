"""A fund with a million contributions in well under a minute, for the benchmarks.

The schema comes from the app (``Database.open`` runs the migrations), the rows go in with raw
``sqlite3.executemany`` with the secondary indexes dropped and rebuilt afterwards (building an
index once is far cheaper than maintaining it row by row). The result is a template file kept in a
cache folder keyed by row count, seed and schema revision; each benchmark works on a copy.
Synthetic load data, so no audit events (the audit trail's cost is measured by the import benchmark).

    python benchmarks/fast_fund.py 1000000     # builds (or reuses) the template, prints its path
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

CACHE = Path(os.environ.get("TRUSTFUND_BENCH_CACHE", Path(tempfile.gettempdir()) / "trustfund-bench-cache"))
CURRENCIES = (("USD", "1", 1.0), ("EUR", "0.92", 0.92), ("JPY", "150.5", 150.5), ("GBP", "0.79", 0.79))
STAMP = "2026-01-01 00:00:00.000000"
START = date(2011, 1, 1)
DAYS = 5800  # 2011-01-01 .. 2026-11


def _ids(rng: random.Random, n: int) -> list[str]:
    bits = rng.getrandbits
    return ["%032x" % bits(128) for _ in range(n)]


def _schema(path: Path) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from trustfund_app.core.db import Database
    from trustfund_app.core.migrate import HEAD_REVISION

    db = Database.open(path)
    db.dispose()
    # the revision plus a digest of the schema: a changed index gets a new template
    con = sqlite3.connect(path)
    schema = "".join(sql or "" for (sql,) in con.execute("SELECT sql FROM sqlite_master ORDER BY name"))
    con.close()
    return f"{HEAD_REVISION}-{hashlib.sha256(schema.encode()).hexdigest()[:8]}"


def _fill(path: Path, count: int, donors: int, seed: int) -> None:
    rng = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-200000")
    indexes = [(name, sql) for name, sql in con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
        "AND tbl_name IN ('contribution', 'allocation')")]
    con.execute("BEGIN")
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')
    donor_ids = _ids(rng, donors)
    con.executemany(
        "INSERT INTO donor (id, created_at, updated_at, name, type, language, active) VALUES (?,?,?,?,?,?,1)",
        [(d, STAMP, STAMP, f"Donor {n:04d}", "member_state", "en") for n, d in enumerate(donor_ids)])
    rates = []
    for year in range(2011, 2027):
        for month in range(1, 13):
            for cur, rate, _f in CURRENCIES[1:]:
                rates.append(("%032x" % rng.getrandbits(128), STAMP, STAMP, cur, date(year, month, 1).isoformat(), rate))
    con.executemany("INSERT INTO exchange_rate (id, created_at, updated_at, currency, effective_date, rate) "
                    "VALUES (?,?,?,?,?,?)", rates)
    day_text = [(START + timedelta(days=d)).isoformat() for d in range(DAYS)]
    month_text = [(START + timedelta(days=d)).replace(day=1).isoformat() for d in range(DAYS)]
    ids = _ids(rng, count)
    randrange = rng.randrange
    contrib, alloc, last_pledge = [], [], None
    for n in range(count):
        cur, rate, factor = CURRENCIES[n % 4]
        minor = randrange(1000, 10_000_000)
        kind = "pledge" if n % 3 == 0 else "payment"
        d = n % DAYS
        contrib.append((ids[n], STAMP, STAMP, donor_ids[n % donors], kind, day_text[d], cur, minor, rate,
                        month_text[d], int(minor / factor), f"R-{n:07d}", f"VTF-X-{n:07d}"))
        if kind == "pledge":
            last_pledge = (ids[n], minor)
        elif n % 3 == 1 and last_pledge:  # half the pledges get a payment allocated, some only in part
            alloc.append(("%032x" % rng.getrandbits(128), STAMP, STAMP, ids[n], last_pledge[0],
                          min(minor, last_pledge[1]) // (1 + n % 2)))
        if len(contrib) >= 50_000:
            con.executemany("INSERT INTO contribution (id, created_at, updated_at, donor_id, kind, date, currency, "
                            "amount_minor, rate, rate_date, usd_cents, reference, receipt_number, reversed) "
                            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0)", contrib)
            contrib = []
    if contrib:
        con.executemany("INSERT INTO contribution (id, created_at, updated_at, donor_id, kind, date, currency, "
                        "amount_minor, rate, rate_date, usd_cents, reference, receipt_number, reversed) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0)", contrib)
    con.executemany("INSERT INTO allocation (id, created_at, updated_at, payment_id, pledge_id, amount_minor) "
                    "VALUES (?,?,?,?,?,?)", alloc)
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()


def template(count: int, donors: int = 200, seed: int = 7) -> Path:
    """The cached template database with ``count`` contributions (built when missing)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / f"building-{os.getpid()}.sqlite3"
    revision = _schema(tmp)
    final = CACHE / f"fund-{count}-{donors}-{seed}-r{revision}.sqlite3"
    if final.exists():
        tmp.unlink()
        for extra in ("-wal", "-shm"):
            Path(str(tmp) + extra).unlink(missing_ok=True)
        return final
    _fill(tmp, count, donors, seed)
    os.replace(tmp, final)
    return final


def fund_copy(count: int, folder: Path, donors: int = 200, seed: int = 7) -> Path:
    """A private copy of the template (a closed file in rollback-journal state: a plain copy is safe)."""
    target = folder / f"fund-{count}.sqlite3"
    shutil.copyfile(template(count, donors, seed), target)
    return target


if __name__ == "__main__":
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    t0 = time.perf_counter()
    print(template(rows), f"{time.perf_counter() - t0:.1f} s")
