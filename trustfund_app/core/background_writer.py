"""A transaction's bulk inserts executed on a second thread while this one goes on validating.

An import spends about a third of its time inside SQLite inserting rows into a table and its
indexes. SQLite runs a statement without holding Python's lock, so on a second thread that work
overlaps with the checks of the next rows. A chunk goes as ONE statement (``bulk_insert`` sends
its rows as one JSON array read by ``json_each``): ``executemany`` would take Python's lock back
for every row and wait behind the busy importing thread each time. Everything stays in
the one transaction of the one connection: the thread only ever runs ``executemany`` on it, and
before any other statement this thread sends on that connection (a query, the commit) the queue is
drained first, so statements still reach SQLite one at a time and in order. An error on the
writing thread is raised here, at the next insert or statement, and the transaction rolls back.
"""

from __future__ import annotations

import os
import queue
import threading
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

SESSION_KEY = "background_writer"
QUEUE_CHUNKS = 4  # inserts waiting at most: bounds the memory held by a writer that falls behind


class BackgroundWriter:
    def __init__(self, connection):
        self.connection = connection
        self.dbapi_connection = connection.connection.dbapi_connection
        self.owner = threading.get_ident()
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUE_CHUNKS)
        self._error: tuple | None = None
        self._thread = threading.Thread(target=self._run, name="bulk-insert-writer", daemon=True)
        self._thread.start()
        event.listen(connection, "before_cursor_execute", self._before_statement)

    def submit(self, sql: str, parameters: tuple) -> None:
        self._raise()
        self._queue.put((sql, parameters))

    def drain(self) -> None:
        """Wait until every submitted insert ran; raise the first error one of them met."""
        self._queue.join()
        self._raise()

    def close(self) -> None:
        event.remove(self.connection, "before_cursor_execute", self._before_statement)
        self._queue.put(None)
        self._thread.join()
        self._raise()

    def _run(self) -> None:
        cursor = self.dbapi_connection.cursor()
        try:
            while True:
                item = self._queue.get()
                try:
                    if item is None:
                        return
                    if self._error is None:  # after a failure the transaction is lost: skip the rest
                        cursor.execute(*item)
                except Exception as exc:  # noqa: BLE001 — handed to the importing thread
                    self._error = (item[0], exc)
                finally:
                    self._queue.task_done()
        finally:
            cursor.close()

    def _raise(self) -> None:
        if self._error is not None:
            sql, exc = self._error
            raise DBAPIError.instance(sql, None, exc, _dbapi_error(exc))

    def _before_statement(self, _conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        if threading.get_ident() == self.owner:
            self.drain()


def _dbapi_error(exc: Exception) -> type:
    """The driver's base Error class (sqlite3.Error), which DBAPIError.instance maps from."""
    for base in type(exc).__mro__:
        if base.__name__ == "Error":
            return base
    return Exception


def writer_of(session) -> BackgroundWriter | None:
    """The session's background writer, when the calling thread is the one that started it."""
    writer = session.info.get(SESSION_KEY)
    return writer if writer is not None and writer.owner == threading.get_ident() else None


def spare_cores() -> bool:
    """A core beside the importing thread. The sheet-reading process takes well under half of one
    (the C XML tokeniser), so on two cores the writer thread fits beside both: 100,000 rows in
    6.3-7.1 s against 7.4-8.1 s with inserts on the importing thread (``benchmarks/bench_import.py``).
    On one core the thread would only take turns with the importing one."""
    return (os.cpu_count() or 1) >= 2


@contextmanager
def background_inserts(session, enabled: bool | None = None):
    """Within the block, ``bulk_insert.insert_rows`` on this SQLite session runs on a second thread
    (by default only when there is a spare core)."""
    if enabled is None:
        enabled = spare_cores()
    if not enabled or session.get_bind().dialect.name != "sqlite" or SESSION_KEY in session.info:
        yield
        return
    writer = BackgroundWriter(session.connection())
    session.info[SESSION_KEY] = writer
    try:
        yield
    finally:
        del session.info[SESSION_KEY]
        writer.close()  # raises the error of a last insert that failed
