"""Opening a fund database: SQLite by default (one file), any SQLAlchemy URL otherwise.

SQLite connections get WAL, ``synchronous=FULL`` and ``foreign_keys=ON`` (all per connection).
Write transactions start with ``BEGIN IMMEDIATE`` so two writers queue instead of failing halfway.
Opening a database brings its schema to the newest alembic revision.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from trustfund_app.core import paths


def database_url(target: str | os.PathLike | None) -> str:
    """A path or an SQLAlchemy URL; default from TRUSTFUND_DB, else the user data folder."""
    value = str(target) if target else os.environ.get("TRUSTFUND_DB") or str(paths.default_database_path())
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_begin(conn):
    # pysqlite's own BEGIN handling is disabled (isolation_level=None below); we emit our own so
    # writers take the lock at the start of the transaction.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("tf_write") else "BEGIN")


def make_engine(url: str, **kwargs) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"isolation_level": None, "timeout": 10}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    return engine


@dataclass
class Database:
    """An open fund database. Hand its ``url`` (never ORM objects) to other threads or processes;
    each service call opens its own session from it."""

    url: str
    engine: Engine = field(init=False)
    _read: sessionmaker = field(init=False, repr=False)
    _write: sessionmaker = field(init=False, repr=False)

    def __post_init__(self):
        self.engine = make_engine(self.url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(tf_write=True), expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.engine.url.database) if self.is_sqlite and self.engine.url.database else None

    @classmethod
    def open(cls, target=None, *, upgrade: bool = True) -> "Database":
        db = cls(database_url(target))
        if upgrade:
            from trustfund_app.core.migrate import upgrade_to_head

            upgrade_to_head(db)
        return db

    @contextlib.contextmanager
    def reading(self):
        """A short read-only session."""
        with self._read() as session:
            with session.begin():
                yield session

    @contextlib.contextmanager
    def writing(self, user: str):
        """One atomic unit of work recorded under ``user`` in the audit trail."""
        from trustfund_app.core import audit

        with self._write() as session:
            session.info["user"] = user
            with session.begin():
                audit.lock_chain(session)
                yield session

    def dispose(self) -> None:
        self.engine.dispose()


def session_user(session: Session) -> str:
    return session.info.get("user", "system")
