"""Which database the core tests run on. By default a SQLite file per test; with
TRUSTFUND_TEST_PG_URL set (``.ci/run`` does it after starting PostgreSQL) each test gets its own
fresh PostgreSQL database on that server."""

from __future__ import annotations

import os
import uuid


def fresh_database_url(tmp_path) -> str:
    server = os.environ.get("TRUSTFUND_TEST_PG_URL")
    if not server:
        return str(tmp_path / "fund.sqlite3")
    return create_database(server)


def create_database(server: str) -> str:
    """A new, empty database on the PostgreSQL server at ``server``; returns its URL."""
    from sqlalchemy import create_engine, text

    name = "tf_" + uuid.uuid4().hex[:12]
    admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin_engine.dispose()
    base, _sep, _db = server.rpartition("/")
    return f"{base}/{name}"
