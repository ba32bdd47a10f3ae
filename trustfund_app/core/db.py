"""Opening a fund database: SQLite by default (one file), any SQLAlchemy URL otherwise.

SQLite connections get WAL, ``synchronous=FULL`` and ``foreign_keys=ON`` (all per connection).
Write transactions start with ``BEGIN IMMEDIATE`` so two writers queue instead of failing halfway.
Opening a database brings its schema to the newest alembic revision.

One writer per SQLite file: ``Database.open(..., single_writer=True)`` (the GUI and the command
line) takes the file's writer lock (``instance_lock``); when another instance holds it the database
opens read-only, ``read_only_reason`` says why (the GUI shows it as a banner) and ``writing()``
refuses with that message. ``warning`` says when the file lies on a network share.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from trustfund_app.core import paths
from trustfund_app.core.errors import TrustFundError


class ReadOnlyDatabase(TrustFundError):
    """A write was attempted on a database opened read-only (another instance writes to it)."""


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


def _sqlite_query_only(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _sqlite_begin(conn):
    # pysqlite's own BEGIN handling is disabled (isolation_level=None below); we emit our own so
    # writers take the lock at the start of the transaction.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("tf_write") else "BEGIN")


def _require_driver(parsed) -> None:
    """A PostgreSQL URL needs psycopg (the ``postgres`` extra): say so in one line, not with
    SQLAlchemy's traceback from deep inside the dialect."""
    if parsed.get_backend_name() != "postgresql" or parsed.get_driver_name() != "psycopg":
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        from trustfund_app.core.i18n import _

        raise TrustFundError(_("a PostgreSQL database needs the psycopg driver: pip install 'trustfund-desk[postgres]'")) from None


def make_engine(url: str, immutable: bool = False, **kwargs) -> Engine:
    """``immutable``: a SQLite file on a read-only medium, read without -wal/-shm files."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if immutable and parsed.database:
            import sqlite3

            uri = Path(parsed.database).resolve().as_uri() + "?immutable=1"
            kwargs["creator"] = lambda: sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        engine = create_engine(url, connect_args={"isolation_level": None, "timeout": 10}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        _require_driver(parsed)
        # JIT compilation pays off for long analytic queries; a list page or a form's save is over
        # before it would, and its compilation (100-150 ms) came on top of every query costed high
        # a server that vanished must fail a connection attempt in seconds, not hang the job
        connect_args = ({"options": "-c jit=off", "connect_timeout": 10}
                        if parsed.get_driver_name() == "psycopg" else {})
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)
    return engine


@dataclass
class Database:
    """An open fund database. Hand its ``url`` (never ORM objects) to other threads or processes;
    each service call opens its own session from it."""

    url: str
    read_only: bool = False
    read_only_reason: str | None = None
    warning: str | None = None  # e.g. a SQLite file on a network share
    read_only_medium: bool = False  # its folder cannot be written: read as an immutable file
    engine: Engine = field(init=False)
    _read: sessionmaker = field(init=False, repr=False)
    _write: sessionmaker = field(init=False, repr=False)

    def __post_init__(self):
        self.engine = make_engine(self.url, immutable=self.read_only_medium)
        self._writer_lock = None
        if self.read_only and self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_query_only)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(tf_write=True), expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.engine.url.database) if self.is_sqlite and self.engine.url.database else None

    @classmethod
    def open(cls, target=None, *, upgrade: bool = True, single_writer: bool = False,
             wait: float = 0.0, holder: str = "window") -> "Database":
        """Open (and upgrade) a database. With ``single_writer`` a SQLite file is opened for
        writing only if its writer lock is free, else read-only; ``wait`` seconds are spent waiting
        for a command (``holder="command"``) to finish, never for a window."""
        url = database_url(target)
        lock, reason, warning, medium = None, None, None, False
        if single_writer and make_url(url).get_backend_name() == "sqlite" and make_url(url).database:
            from trustfund_app.core import instance_lock

            path = Path(make_url(url).database)
            check_database_file(path)
            warning = instance_lock.network_warning(path)
            lock = instance_lock.WriterLock(path, kind=holder)
            try:
                if not lock.acquire(wait):
                    holding = lock.holder()
                    reason = (instance_lock.busy_for_command(path, holding) if holder == "command"
                              else instance_lock.read_only_banner(path, holding))
                    lock = None
            except OSError:
                if not path.parent.is_dir():
                    from trustfund_app.core.errors import ValidationError
                    from trustfund_app.core.i18n import _

                    raise ValidationError(_("the folder {folder} does not exist").format(folder=path.parent), "db")
                reason, lock, medium = instance_lock.read_only_banner(path, None), None, path.exists()
        db = cls(url, read_only=reason is not None, read_only_reason=reason, warning=warning,
                 read_only_medium=medium)
        db._writer_lock = lock
        try:
            if upgrade:
                from trustfund_app.core.migrate import HEAD_REVISION, current_revision, upgrade_to_head

                if not db.read_only:
                    upgrade_to_head(db)
                elif (current := current_revision(db)) != HEAD_REVISION:
                    from trustfund_app.core.migrate import refuse_newer

                    refuse_newer(db, current)
                    raise ReadOnlyDatabase(reason)
        except BaseException:
            db.dispose()
            raise
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
        from trustfund_app.core import audit  # here, not at the top: the models load off the GUI thread

        if self.read_only:
            raise ReadOnlyDatabase(self.read_only_reason or "read-only")
        with self._write() as session:
            session.info["user"] = user
            with session.begin():
                audit.lock_chain(session)
                yield session

    @contextlib.contextmanager
    def lockout_writer(self):
        """A database to count failed logins in (and lift a lock-out), or None where nothing can
        be written. When another instance holds the writer lock this is a short-lived second
        connection without ``query_only``: SQLite itself serialises its one small transaction
        (BEGIN IMMEDIATE, busy timeout) with the holder's, and the change is audited as usual."""
        if not self.read_only:
            yield self
            return
        if self.read_only_medium or not self.is_sqlite:
            yield None
            return
        counter = Database(self.url)
        try:
            yield counter
        finally:
            counter.engine.dispose()

    def dispose(self) -> None:
        """Close every connection and give up the writer lock."""
        self.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None


def check_database_file(path: Path) -> None:
    """Refuse, before touching anything, a path that is a folder or a file that is not SQLite."""
    from trustfund_app.core.errors import ValidationError
    from trustfund_app.core.i18n import _

    if path.is_dir():
        raise ValidationError(_("{path} is a folder, not a database file").format(path=path), "db")
    if path.is_file() and path.stat().st_size > 0:
        try:
            with open(path, "rb") as fh:
                header = fh.read(16)
        except OSError:
            return  # unreadable: SQLite's own error says so
        if header != b"SQLite format 3\x00":
            raise ValidationError(_("{path} is not a TrustFund Desk database").format(path=path), "db")

