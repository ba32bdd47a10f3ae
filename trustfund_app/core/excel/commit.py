"""Writing an import: SQLAlchemy Core inserts on the tables (one statement per chunk of rows, never
one ORM object per row), each row also appended to the audit trail, all inside the one transaction
the importer opened — a killed process or any error leaves the database exactly as before.

A writer can be switched off (dry run, or a first invalid row in all-or-nothing mode): the kinds
keep validating with the same in-memory state but nothing more is sent to the database.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from itertools import count

from sqlalchemy import update

from trustfund_app.core import audit
from trustfund_app.core.bulk_insert import insert_rows, remembered, rows_json
from trustfund_app.core.ids import new_id

CHUNK_ROWS = 2000


def _utc_text(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat()


# by exact type: this runs for every cell of every imported row
_PLAIN = {uuid.UUID: str, Decimal: str, date: date.isoformat, datetime: _utc_text}


def plain(value):
    """JSON-friendly form of a column value, as the audit trail stores it."""
    convert = _PLAIN.get(type(value))
    return convert(value) if convert else value


def _plain_columns(rows: list[dict], keys: tuple[str, ...]) -> list:
    """Per column: None when its values are already JSON-friendly (text, numbers, booleans, null),
    else ``plain`` remembering the objects met (the same donor id or rate on every row)."""
    converters, by_type = [], {}
    for k in keys:
        kinds = {type(row.get(k)) for row in rows}.intersection(_PLAIN)
        if not kinds:
            converters.append(None)
            continue
        # one memory per kind of value: a row's created_at and updated_at are one object
        converters.append(by_type.setdefault(frozenset(kinds), remembered(plain)))
    return converters


_stamp: dict = {}


def stamp_now() -> datetime:
    """Start a new import. Its rows get creation times one microsecond apart in file order, so
    "oldest pledge first" later follows the order of the file."""
    _stamp["now"], _stamp["n"] = datetime.now(timezone.utc), count()
    return _stamp["now"]


def new_row(**values) -> dict:
    """The columns every table shares (UUID key and UTC stamps) plus ``values``."""
    if "now" not in _stamp:
        stamp_now()
    at = _stamp["now"] + timedelta(microseconds=next(_stamp["n"]))
    return {"id": new_id(), "created_at": at, "updated_at": at, **values}


class BulkWriter:
    """``models`` are flushed in their order; rows of ``grouped`` tables get one audit event per
    flushed chunk (``audit.record_import``, grouped under ``batch``), the others one event each."""

    def __init__(self, session, models: tuple, enabled: bool = True, chunk: int = CHUNK_ROWS,
                 grouped: tuple = (), batch: str = "", deferred: bool = False):
        self.session = session
        self.enabled = enabled
        # deferred: nothing is sent, every insert and update is kept in order for ``replay`` on a
        # write session later (an import prepared without the audit chain's lock, excel/prepared.py)
        self.deferred = deferred
        self.log: list[tuple] = []
        self._models, self._batch_args = models, (chunk, tuple(grouped), batch)
        self.chunk = chunk
        self.grouped = frozenset(grouped)
        self.batch = batch
        self._groups = count(1)
        # flushed in this order so foreign keys always point at rows already written
        self._pending: dict = {model: [] for model in models}
        self._count = 0
        if enabled:
            from trustfund_app.core.ownership import require_hq_tables

            require_hq_tables(session, [m.__tablename__ for m in models])

    def disable(self) -> None:
        self.enabled = False
        self.log.clear()
        for rows in self._pending.values():
            rows.clear()
        self._count = 0

    def insert(self, model, row: dict) -> None:
        if not self.enabled:
            return
        if self.deferred:
            self.log.append((model, row))
            return
        self._pending[model].append(row)
        self._count += 1
        if self._count >= self.chunk:
            self.flush()

    def update(self, model, row_id, before: dict, after: dict) -> None:
        """Change some columns of one row (rare in imports: corrected rates, donor details)."""
        if not self.enabled:
            return
        if self.deferred:
            self.log.append((model, row_id, before, after))
            return
        self.flush()
        now = datetime.now(timezone.utc)
        values = dict(after)
        if "updated_at" in model.__table__.c:
            values["updated_at"] = now
        table = model.__table__
        key = table.c.id if "id" in table.c else table.c.key
        self.session.execute(update(table).where(key == row_id).values(**values))
        # the trail holds every value the row now has that changed, its new stamp included (the
        # books check compares the row with the trail)
        audit.record(self.session, [audit.Change(table.name, str(row_id), "update",
                                                 {k: plain(v) for k, v in before.items()},
                                                 {k: plain(v) for k, v in values.items()})])

    def replay(self, session) -> None:
        """Write what a deferred writer kept, in its order, on ``session``: the same inserts, updates
        and audit events (same chunks, same groups) as a writer that had written as it went."""
        chunk, grouped, batch = self._batch_args
        writer = BulkWriter(session, self._models, chunk=chunk, grouped=grouped, batch=batch)
        for entry in self.log:
            if len(entry) == 2:
                writer.insert(*entry)
            else:
                writer.update(*entry)
        writer.flush()

    def flush(self) -> None:
        if not self.enabled or self.deferred or not self._count:
            return
        for model, rows in self._pending.items():
            if not rows:
                continue
            table = model.__table__
            stored = insert_rows(self.session, table, rows)
            if model in self.grouped:
                self._audit_group(table, rows, stored)
            else:
                get = _PLAIN.get
                audit.record(self.session, [
                    audit.Change(table.name, str(row.get("id", row.get("key"))), "insert", None,
                                 {k: (c(v) if (c := get(type(v))) else v) for k, v in row.items()})  # = plain(v)
                    for row in rows
                ])
            rows.clear()
        self._count = 0

    def _audit_group(self, table, rows: list[dict], stored) -> None:
        group = f"{self.batch}:{next(self._groups)}"
        text = None if stored is None else (stored.json or rows_json(stored.rows))
        if text is not None:  # the values as SQLite stored them: no second conversion, no second JSON
            audit.record_import_stored(self.session, table.name, group, stored.dialect, list(stored.columns), text)
            return
        keys = tuple(rows[0])
        if any(tuple(row) != keys for row in rows):  # rows naming different columns: all of them, null where unnamed
            keys = tuple(sorted({k for row in rows for k in row}))
        pairs = tuple(zip(keys, _plain_columns(rows, keys)))
        values = [[row.get(k) if c is None else c(row.get(k)) for k, c in pairs] for row in rows]
        audit.record_import(self.session, table.name, group, list(keys), values)
