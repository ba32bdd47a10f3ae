"""The trail read back as table rows, for the books check (``books``): which tables are audited,
how one table's rows look as stored (``TableForm``), the rows the trail says each table holds
(``expected_rows``) and the rows it does hold (``table_rows``), and the keyed row digest both sides
are summed with. The one place that knows the formats of the trail's events."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from trustfund_app.core.audit import REDACTED_COLUMNS, imported_rows, secret_digest
from trustfund_app.core.models import AuditEvent, metadata

# Tables whose rows are not records of the fund (the trail itself); other modules add theirs.
UNAUDITED_TABLES = {"audit_event"}
MISSING = object()  # a value the trail never gave (an update of a row it never inserted)


def _keyed_digest():
    """Python's own hash (SipHash keyed at random per process: fast, and nobody knows this run's
    key) unless PYTHONHASHSEED fixes that key; then a BLAKE2b keyed at random for this run."""
    import os

    if not os.environ.get("PYTHONHASHSEED"):
        return hash
    import hashlib

    key = os.urandom(32)
    blake = hashlib.blake2b

    def digest(value) -> int:
        return int.from_bytes(blake(repr(value).encode("utf-8"), key=key, digest_size=8).digest(), "little")
    return digest


row_digest = _keyed_digest()
BATCH = 20_000


def audited_tables() -> list:
    return [t for t in metadata.sorted_tables if t.name not in UNAUDITED_TABLES and _key_name(t) is not None]


def _key_name(table) -> str | None:
    return "id" if "id" in table.c else "key" if "key" in table.c else None


def _norm(value):
    """A stored value as one comparable form across drivers (psycopg returns objects)."""
    kind = type(value)
    if kind is str or kind is int or value is None or kind is float:
        return value
    if kind is bool:
        return int(value)
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(" ")
    if isinstance(value, (date, Decimal)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dict, list)):
        return _canonical_json(value)
    return value


def _canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_PARSE = {uuid.UUID: uuid.UUID, datetime: datetime.fromisoformat, date: date.fromisoformat}


def _python_type(column_type):
    impl = getattr(column_type, "impl_instance", column_type)  # a TypeDecorator reports ``object``
    try:
        return impl.python_type
    except NotImplementedError:
        return None


class TableForm:
    """How one table's rows look as stored, and how the trail's plain values become that."""

    def __init__(self, table, dialect):
        self.table, self.dialect = table, dialect
        self.names = [c.name for c in table.columns]
        self.key = self.names.index(_key_name(table))
        self.secret = tuple(i for i, n in enumerate(self.names) if n in REDACTED_COLUMNS)
        self.raw = dialect.name == "sqlite"  # values come back as str/int/None: nothing to normalise
        self._convert = [self._converter(c) for c in table.columns]
        self.defaults = tuple(self._default(c) for c in table.columns)

    def _converter(self, column):
        if column.name in {self.names[i] for i in self.secret}:
            return lambda v: v  # the trail keeps the digest, compared with the digest of the table's value
        from sqlalchemy import JSON

        json_column = isinstance(getattr(column.type, "impl_instance", column.type), JSON)
        if json_column and not self.raw:  # the driver gives parsed JSON: compare canonical text
            return lambda value: None if value is None else _canonical_json(value)
        bind = column.type.dialect_impl(self.dialect).bind_processor(self.dialect)
        parse = _PARSE.get(_python_type(column.type))
        try:  # what the column stores for None (a JSON column on SQLite stores the text null)
            stored_none = _norm(bind(None)) if bind else None
        except Exception:
            stored_none = None

        def convert(value):
            if value is None:
                return stored_none
            if parse is not None and isinstance(value, str):
                value = parse(value)
            return _norm(bind(value) if bind else value)
        return convert

    def _default(self, column):
        """What a row holds in a column no event of it names (a column added by a later migration
        with its default): the column's own scalar default, else NULL."""
        default = column.default
        if default is not None and default.is_scalar:
            return self._convert[self.names.index(column.name)](default.arg)
        return None

    def from_plain(self, values: dict, base: tuple | None = None) -> tuple:
        row = list(base if base is not None else self.defaults)
        for i, name in enumerate(self.names):
            if name in values:
                value = values[name]
                row[i] = MISSING if value is MISSING else self._convert[i](value)
        return tuple(row)

    def stored_key(self, entity_id: str):
        return self._convert[self.key](entity_id)

    def shown_key(self, key) -> str:
        if isinstance(key, str) and len(key) == 32 and self.names[self.key] == "id":
            try:
                return str(uuid.UUID(key))
            except ValueError:
                return key
        return str(key)

    def table_row(self, row) -> tuple:
        if not self.raw:
            row = tuple(map(_norm, row))
        if self.secret:
            row = list(row)
            for i in self.secret:
                row[i] = secret_digest(row[i])
            row = tuple(row)
        return row


# --- the trail, read row by row ------------------------------------------------------------------
# The one place that knows the formats of the trail's events (one event per row insert/update/
# delete, and "import" events holding a chunk of inserted rows).


def table_events(session: Session, entity: str):
    query = (select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.after)
             .where(AuditEvent.entity == entity).order_by(AuditEvent.seq))
    return session.execute(query.execution_options(yield_per=200))


def touched_keys(session: Session, form: TableForm) -> set:
    """Keys of the rows some event updates or deletes (their full history is kept in memory)."""
    rows = session.execute(select(AuditEvent.entity_id).where(
        AuditEvent.entity == form.table.name, AuditEvent.action.in_(("update", "delete"))))
    return {form.stored_key(entity_id) for (entity_id,) in rows}


def _chunk_rows(session: Session, form: TableForm, after: str):
    """The rows of an import event, as stored tuples in table column order."""
    head = json.loads(after[:after.index(',"rows":')] + "}") if ',"rows":' in after else json.loads(after)
    columns = head["columns"]
    if head.get("form") == form.dialect.name == "sqlite":
        # SQLite reads the rows out of the JSON itself, as the import's insert did
        exprs, defaults = [], []
        for i, name in enumerate(form.names):
            if name in columns:
                exprs.append(f"value->>{columns.index(name)}")
            else:
                exprs.append("?")
                defaults.append(form.defaults[i])
        cursor = raw_cursor(session, f"SELECT {', '.join(exprs)} FROM json_each(?, '$.rows')", (*defaults, after))
        while batch := cursor.fetchmany(BATCH):
            yield from batch
        return
    columns, rows = imported_rows(form.table.name, after)
    for values in rows:
        yield form.from_plain(dict(zip(columns, values)))


def replay(state: dict, form: TableForm, action: str, entity_id: str, after: str | None) -> None:
    """Apply one row event (insert, update, delete) to ``state`` {stored key: stored row or None}."""
    key = form.stored_key(entity_id)
    values = json.loads(after) if after else None
    if action == "insert":
        state[key] = form.from_plain(values)
    elif action == "update":
        base = state.get(key)
        if base is None:  # updated, never inserted: what it held before is unknown
            base = tuple(MISSING for _ in form.names)
        state[key] = form.from_plain(values, base)
    elif action == "delete":
        state[key] = None


def expected_rows(session: Session, form: TableForm, touched: set):
    """(key, stored row) for every row the trail says the table holds now; a deleted row is not
    given. Rows no event updates or deletes come as they are read; the others at the end."""
    state: dict = {}
    for action, entity_id, after in table_events(session, form.table.name):
        if action == "import":
            for row in _chunk_rows(session, form, after):
                key = row[form.key]
                if key in touched or key in state:
                    state[key] = row
                else:
                    yield key, row
            continue
        replay(state, form, action, entity_id, after)
    for key, row in state.items():
        if row is not None:
            yield key, row


def raw_cursor(session: Session, sql: str, params: tuple = ()):
    """A driver cursor in the session's transaction: plain tuples, no per-row wrapping."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    cursor.execute(sql, params)
    return cursor


def table_rows(session: Session, form: TableForm):
    columns = ", ".join(f'"{n}"' for n in form.names)
    cursor = raw_cursor(session, f'SELECT {columns} FROM "{form.table.name}"')
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            yield form.table_row(tuple(row))
