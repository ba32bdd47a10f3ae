"""Making a new demo database as one step that either succeeds or leaves nothing behind.

A demo build that fails half way (a missing library, a full disk, Cancel, Ctrl-C) rolls its
transaction back, but the file it was building into would stay: a schema without users, which the
next start would open and ask for a login no one can pass. A file this step created is therefore
removed again, with its journal and lock files, whenever the build does not finish.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from trustfund_app.core.db import Database, database_url
from trustfund_app.core.demo.build import DemoSummary, build_demo_fund
from trustfund_app.core.instance_lock import lock_path

SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
SQLITE_PREFIX = "sqlite:///"


def remove_sqlite_files(path: Path) -> None:
    """The database file and the files SQLite and the writer lock keep beside it."""
    for name in (path.name, *(path.name + suffix for suffix in SQLITE_COMPANIONS)):
        path.with_name(name).unlink(missing_ok=True)
    lock_path(path).unlink(missing_ok=True)


def _sqlite_file(target: str | None) -> Path | None:
    url = database_url(target)
    return Path(url[len(SQLITE_PREFIX):]) if url.startswith(SQLITE_PREFIX) else None


def will_create(target: str | None) -> bool:
    """True when opening ``target`` (a path, a URL, or None for the default) makes a new SQLite
    file; a server database is never created by the app."""
    path = _sqlite_file(target)
    return path is not None and not path.exists()


@contextlib.contextmanager
def removed_unless_finished(db: Database, created: bool):
    """Dispose of ``db`` and, if this step created its file, delete it, should the block fail."""
    try:
        yield
    except BaseException:
        db.dispose()
        if created and db.sqlite_path is not None:
            remove_sqlite_files(db.sqlite_path)
        raise


def create_demo_database(target: str | None, *, seed: int = 1, progress=None, cancelled=None,
                         **open_options) -> tuple[Database, DemoSummary]:
    """Open (creating it if needed) ``target`` and build the demo fund in it."""
    created = will_create(target)
    try:
        db = Database.open(target, **open_options)
    except BaseException:  # e.g. the migrations failed half way on a full disk
        if created:
            remove_sqlite_files(_sqlite_file(target))
        raise
    with removed_unless_finished(db, created):
        summary = build_demo_fund(db, seed=seed, progress=progress, cancelled=cancelled)
    return db, summary
