"""The benchmark funds on a PostgreSQL server: the same rows as the SQLite templates
(benchmarks/fast_fund.py, the import's base database), copied with COPY into a database made by
the app's own migrations (so the indexes, pg_trgm included, are the app's), kept as a template
database on the server and cloned for every run (``CREATE DATABASE … TEMPLATE``, a file copy).

    python benchmarks/pg_fund.py postgresql+psycopg://user:pw@host/postgres 1000000
"""

from __future__ import annotations

import sqlite3
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# the tables the synthetic funds fill, parents first (foreign keys)
TABLES = ("user", "setting", "donor", "donor_alias", "exchange_rate", "receipt_counter", "contribution", "allocation")


def _admin(server_url: str):
    from sqlalchemy import create_engine

    return create_engine(server_url, isolation_level="AUTOCOMMIT")


def _url(server_url: str, name: str) -> str:
    return f"{server_url.rpartition('/')[0]}/{name}"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _exists(server_url: str, name: str) -> bool:
    from sqlalchemy import text

    engine = _admin(server_url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
    engine.dispose()
    return found is not None


def _run(server_url: str, sql: str) -> None:
    from sqlalchemy import text

    engine = _admin(server_url)
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def copy_sqlite_into(sqlite_path: Path, url: str) -> dict[str, int]:
    """Every row of the synthetic tables of a SQLite fund into the (migrated, empty) PostgreSQL
    database at ``url``; SQLite's hex ids, 0/1 booleans and text stamps are what PostgreSQL's text
    input takes for uuid, boolean and timestamp."""
    import psycopg

    src = sqlite3.connect(sqlite_path)
    counts = {}
    with psycopg.connect(_libpq(url)) as pg, pg.cursor() as cur:
        for table in TABLES:
            pg_columns = {r[0] for r in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,))}
            columns = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")') if r[1] in pg_columns]
            if not columns:
                continue
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = src.execute(f'SELECT {quoted} FROM "{table}"')
            n = 0
            with cur.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            counts[table] = n
        cur.execute("ANALYZE")
    src.close()
    return counts


def template_from_sqlite(server_url: str, sqlite_path: Path, name: str) -> str:
    """A template database ``name`` holding the rows of ``sqlite_path`` (built when missing)."""
    from trustfund_app.core.db import Database

    if not _exists(server_url, name):
        building = f"tf_building_{uuid.uuid4().hex[:8]}"
        _run(server_url, f'CREATE DATABASE "{building}"')
        db = Database.open(_url(server_url, building))
        db.dispose()
        copy_sqlite_into(sqlite_path, _url(server_url, building))
        _run(server_url, f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def clone(server_url: str, template: str) -> str:
    """A private copy of a template database; returns its URL (drop it with ``drop``)."""
    name = f"tf_run_{uuid.uuid4().hex[:10]}"
    _run(server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return _url(server_url, name)


def drop(url: str) -> None:
    server, _sep, name = url.rpartition("/")
    _run(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fund_template(server_url: str, count: int) -> str:
    """The 1M-contribution fund (fast_fund.py's rows) as a template database on the server."""
    from fast_fund import template

    path = template(count)
    return template_from_sqlite(server_url, path, f"tf_bench_{path.stem.replace('-', '_')}"[:60])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    server, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    t0 = time.perf_counter()
    print(fund_template(server, rows), f"{time.perf_counter() - t0:.1f} s")
