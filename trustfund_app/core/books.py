"""The books match the trail: every audited table compared with what the audit trail says each of
its rows holds, so a row changed, added or deleted around the app (the ``sqlite3`` tool, psql, a
script) is named by table, record and field.

Both sides are compared in the form the database stores (hex UUIDs, text timestamps, 0/1 on
SQLite): the table is read as the driver returns it, with no conversion, and the trail's values are
brought to that form once per event. A table is first checked as a whole — the sum of a hash of
every row, counted, on each side — and only when the sums differ is it read again to find the
first record and field that differ. Python's string hashes are keyed per process (a random key;
a keyed BLAKE2b when PYTHONHASHSEED fixes that key), so nobody can prepare an edit whose sum
agrees without knowing this run's key.

Password hashes never enter the trail; it keeps a SHA-256 digest of each (``audit.secret_digest``),
and the table side is digested the same way before comparing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from trustfund_app.core.audit import REDACTED_COLUMNS, imported_rows, secret_digest
from trustfund_app.core.i18n import _
from trustfund_app.core.models import AuditEvent, metadata

# Tables whose rows are not records of the fund (the trail itself); other modules add theirs.
UNAUDITED_TABLES = {"audit_event"}
_MISSING = object()  # a value the trail never gave (an update of a row it never inserted)


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


_digest = _keyed_digest()
_BATCH = 20_000


@dataclass(frozen=True)
class BooksProblem:
    table: str
    record: str
    field: str | None  # None when the whole row was added or deleted
    kind: str  # "changed", "added" (no event created it) or "deleted" (the trail says it exists)
    expected: object = None
    found: object = None

    def as_json(self) -> dict:
        return {"table": self.table, "record": self.record, "field": self.field, "kind": self.kind}


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
                row[i] = _MISSING if value is _MISSING else self._convert[i](value)
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


def _events(session: Session, entity: str):
    query = (select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.after)
             .where(AuditEvent.entity == entity).order_by(AuditEvent.seq))
    return session.execute(query.execution_options(yield_per=200))


def _touched(session: Session, form: TableForm) -> set:
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
        cursor = _raw_cursor(session, f"SELECT {', '.join(exprs)} FROM json_each(?, '$.rows')", (*defaults, after))
        while batch := cursor.fetchmany(_BATCH):
            yield from batch
        return
    columns, rows = imported_rows(form.table.name, after)
    for values in rows:
        yield form.from_plain(dict(zip(columns, values)))


def expected_rows(session: Session, form: TableForm, touched: set):
    """(key, stored row) for every row the trail says the table holds now; a deleted row is not
    given. Rows no event updates or deletes come as they are read; the others at the end."""
    state: dict = {}
    for action, entity_id, after in _events(session, form.table.name):
        if action == "import":
            for row in _chunk_rows(session, form, after):
                key = row[form.key]
                if key in touched or key in state:
                    state[key] = row
                else:
                    yield key, row
            continue
        key = form.stored_key(entity_id)
        values = json.loads(after) if after else None
        if action == "insert":
            state[key] = form.from_plain(values)
        elif action == "update":
            base = state.get(key)
            if base is None:  # updated, never inserted: what it held before is unknown
                base = tuple(_MISSING for _ in form.names)
            state[key] = form.from_plain(values, base)
        elif action == "delete":
            state[key] = None
    for key, row in state.items():
        if row is not None:
            yield key, row


def _raw_cursor(session: Session, sql: str, params: tuple = ()):
    """A driver cursor in the session's transaction: plain tuples, no per-row wrapping."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    cursor.execute(sql, params)
    return cursor


def _table_rows(session: Session, form: TableForm):
    columns = ", ".join(f'"{n}"' for n in form.names)
    cursor = _raw_cursor(session, f'SELECT {columns} FROM "{form.table.name}"')
    while batch := cursor.fetchmany(_BATCH):
        for row in batch:
            yield form.table_row(tuple(row))


# --- the comparison ------------------------------------------------------------------------------


def check_table(session: Session, table) -> BooksProblem | None:
    form = TableForm(table, session.get_bind().dialect)
    touched = _touched(session, form)
    sums = _text_sums(session, form, touched) if form.raw and not form.secret else None
    if sums is None:
        sums = _tuple_sums(session, form, touched)
    if sums[0] == sums[1]:
        return None
    return _locate(session, form, touched)


def _tuple_sums(session: Session, form: TableForm, touched: set) -> tuple:
    expected_sum = expected_count = 0
    for _key, row in expected_rows(session, form, touched):
        expected_sum += _digest(row)
        expected_count += 1
    found_sum = found_count = 0
    for row in _table_rows(session, form):
        found_sum += _digest(row)
        found_count += 1
    return (expected_sum, expected_count), (found_sum, found_count)


def _text_sums(session: Session, form: TableForm, touched: set) -> tuple | None:
    """The SQLite fast path: each row as SQLite's own JSON text of its stored values, on both
    sides — the table's rows through ``json_array``, an import chunk's rows as ``json_each`` gives
    them back — so no row is parsed in Python. None when a chunk does not name every column of
    the table in one order (the tuple path then checks the table)."""
    order = None
    expected_sum = expected_count = 0
    state: dict = {}
    key_name = form.names[form.key]
    for action, entity_id, after in _events(session, form.table.name):
        if action == "import":
            cut = after.find(',"rows":')
            head = json.loads(after[:cut] + "}") if cut > 0 else {}
            columns = head.get("columns")
            if head.get("form") != "sqlite" or columns is None or sorted(columns) != sorted(form.names):
                return None
            if order is None:
                order = columns
            elif columns != order:
                return None
            key_at = columns.index(key_name)
            cursor = _raw_cursor(session, f"SELECT value, value->>{key_at} FROM json_each(?, '$.rows')"
                                 if touched or state else "SELECT value, NULL FROM json_each(?, '$.rows')", (after,))
            while batch := cursor.fetchmany(_BATCH):
                for text, key in batch:
                    if key is not None and (key in touched or key in state):
                        values = dict(zip(columns, json.loads(text)))
                        state[key] = tuple(values[n] for n in form.names)
                    else:
                        expected_sum += _digest(text)
                        expected_count += 1
            continue
        key = form.stored_key(entity_id)
        values = json.loads(after) if after else None
        if action == "insert":
            state[key] = form.from_plain(values)
        elif action == "update":
            base = state.get(key)
            state[key] = form.from_plain(values, base if base is not None else tuple(_MISSING for _ in form.names))
        elif action == "delete":
            state[key] = None
    order = order or form.names
    at = [form.names.index(n) for n in order]
    render = f"SELECT json_array({', '.join('?' for _ in order)})"
    for row in state.values():
        if row is None:
            continue
        if any(v is _MISSING for v in row):
            return None
        expected_sum += _digest(_raw_cursor(session, render, tuple(row[i] for i in at)).fetchone()[0])
        expected_count += 1
    found_sum = found_count = 0
    columns = ", ".join(f'"{n}"' for n in order)
    cursor = _raw_cursor(session, f'SELECT json_array({columns}) FROM "{form.table.name}"')
    while batch := cursor.fetchmany(_BATCH):
        found_sum += sum(map(_digest, (text for (text,) in batch)))
        found_count += len(batch)
    return (expected_sum, expected_count), (found_sum, found_count)


def _locate(session: Session, form: TableForm, touched: set) -> BooksProblem | None:
    """The first record that differs (sums differed): by key, then field by field."""
    digests = {key: _digest(row) for key, row in expected_rows(session, form, touched)}
    odd, kind = None, None
    for row in _table_rows(session, form):
        key = row[form.key]
        digest = digests.pop(key, None)
        if digest is None:
            odd, kind = row, "added"
            break
        if digest != _digest(row):
            odd, kind = row, "changed"
            break
    if odd is None:
        if not digests:
            return None  # equal after all (a hash collision between two sums)
        key = next(iter(digests))
        return BooksProblem(form.table.name, form.shown_key(key), None, "deleted")
    if kind == "added":
        return BooksProblem(form.table.name, form.shown_key(odd[form.key]), None, "added")
    key = odd[form.key]
    want = next(row for k, row in expected_rows(session, form, touched) if k == key)
    # a field a person reads before the stamps that change with it
    order = sorted(range(len(form.names)), key=lambda i: form.names[i] in ("created_at", "updated_at"))
    for i in order:
        name = form.names[i]
        if want[i] != odd[i]:
            secret = i in form.secret
            return BooksProblem(form.table.name, form.shown_key(key), name, "changed",
                                None if secret or want[i] is _MISSING else want[i], None if secret else odd[i])
    return None


def check_books(session: Session) -> BooksProblem | None:
    """The first table whose rows differ from what the trail says, or None. A row no event
    created is named before any other difference: it is the sign of events cut off the end
    (which also undo later changes of older rows)."""
    first = None
    for table in audited_tables():
        problem = check_table(session, table)
        if problem is not None and problem.kind == "added":
            return problem
        first = first or problem
    return first


def describe(mismatch: BooksProblem) -> str:
    """One line naming the table, record and field that differ from the trail."""
    if mismatch.kind == "deleted":
        return _("The books do not match the audit trail: {table} {record} was deleted outside TrustFund Desk "
                 "(the trail says it exists).").format(table=mismatch.table, record=mismatch.record)
    if mismatch.kind == "added":
        return _("The books do not match the audit trail: {table} {record} was added outside TrustFund Desk "
                 "(no event records its creation).").format(table=mismatch.table, record=mismatch.record)
    if mismatch.expected is None and mismatch.found is None:
        return _("The books do not match the audit trail: {table} {record}, field {field}, was changed outside "
                 "TrustFund Desk.").format(table=mismatch.table, record=mismatch.record, field=mismatch.field)
    return _("The books do not match the audit trail: {table} {record}, field {field}, holds {found} where the "
             "trail says {expected}; it was changed outside TrustFund Desk.").format(
        table=mismatch.table, record=mismatch.record, field=mismatch.field,
        found=_short(mismatch.found), expected=_short(mismatch.expected))


def _short(value) -> str:
    text = "NULL" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
