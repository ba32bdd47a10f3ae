"""Many rows into one table at driver speed, for imports and the audit trail.

``session.execute(insert(table), dicts)`` runs SQLAlchemy's per-row parameter machinery (about
15 µs a row here); on SQLite this converts each value with the column type's own bind processor
(the very conversion SQLAlchemy applies: UUID to hex, UTC datetimes, exact decimal text, booleans)
and hands plain tuples to the driver's ``executemany``, so what is stored is identical. On
PostgreSQL (psycopg) 50 rows or more go through COPY after the same bind processing (``_copied``).
Rows that do not all name the same columns, statements that would add column defaults, JSON
columns on PostgreSQL, and other databases go through SQLAlchemy.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import Boolean, Integer, Uuid, insert
from sqlalchemy.orm import Session

from trustfund_app.core.background_writer import writer_of


MEMO_SIZE = 4096
_CHEAP = (Uuid, Boolean, Integer)  # converted faster than looked up (UUID.hex, int(bool))
# SQLite 3.38's ``->>`` gives a JSON string as TEXT, an integer as INTEGER and null as NULL: what
# binding the same Python values stores. Rows then travel as one JSON text per chunk and SQLite
# unpacks them itself (``json_each``): on the 100,000-row import this took the main process's CPU
# from 16 s to 11 s and halved the wall time against ``executemany``'s per-row binding (measured
# 2026-12-05, both paths in one process; tests/core/test_bulk_insert_paths.py checks they store
# the same). The same text is what the audit trail records for the chunk.
JSON_ROWS = sqlite3.sqlite_version_info >= (3, 38)
_rows_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_compiled: dict = {}  # (table, dialect, columns) -> (SQL text, column order, converters) or None


def remembered(convert, size: int = MEMO_SIZE):
    """``convert`` remembering its results by the identity of the value. Imports hand the same
    objects over and over — a donor's id, the month's rate, the one timestamp of a row's
    created_at and updated_at — and those are immutable (UUID, date, Decimal, datetime), so the
    same object always converts the same way. Equality would not do: Decimal("1.0") == 1 but
    their stored text differs. The cache keeps each object alive, so an id is never reused while
    it is remembered."""
    cache: dict = {}

    def run(value):
        hit = cache.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        if len(cache) >= size:
            cache.clear()
        out = convert(value)
        cache[id(value)] = (value, out)
        return out

    return run


class CompiledInsert(NamedTuple):
    sql: str  # INSERT … VALUES (?, …) for executemany
    order: tuple[str, ...]  # the columns in the order the statement binds them
    converters: tuple  # each column's bind processor (None: the value as it is)
    from_json: str  # the same insert from one JSON array of rows (json_each)


def _statement(table, dialect, keys: tuple[str, ...]) -> CompiledInsert | None:
    cache_key = (table.name, dialect.name, keys)
    if cache_key not in _compiled:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        order = tuple(compiled.positiontup or ())
        if sorted(order) != sorted(keys):  # defaults added, or not positional: leave it to SQLAlchemy
            _compiled[cache_key] = None
        else:
            converters, by_type = [], {}
            for k in order:
                column_type = table.c[k].type
                process = column_type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None and isinstance(column_type, _CHEAP):
                    by_type.setdefault(repr(column_type), process)  # cheaper than remembering
                elif process is not None and repr(column_type) not in by_type:
                    # one memory per type: a row's created_at and updated_at are one object
                    by_type[repr(column_type)] = remembered(process)
                converters.append(None if process is None else by_type[repr(column_type)])
            from_json = (f'INSERT INTO {_quoted(table.name)} ({", ".join(_quoted(k) for k in order)}) '
                         f'SELECT {", ".join(f"value->>{i}" for i in range(len(order)))} FROM json_each(?)')
            _compiled[cache_key] = CompiledInsert(str(compiled), order, tuple(converters), from_json)
    return _compiled[cache_key]


@dataclass
class StoredRows:
    """Rows exactly as they were handed to SQLite: columns, one tuple per row, and their JSON
    array when they travelled as one (the audit trail records that same text)."""

    dialect: str
    columns: tuple[str, ...]
    rows: list[tuple]
    json: str | None = None


def insert_rows(session: Session, table, rows: list[dict]) -> StoredRows | None:
    """Insert ``rows`` (dicts keyed by column name) into ``table`` in the session's transaction.
    Returns the stored form of the rows, or None when SQLAlchemy inserted them its own way."""
    if not rows:
        return None
    keys = tuple(rows[0])
    connection = session.connection()
    if connection.dialect.name == "postgresql" and len(rows) >= COPY_MIN_ROWS and _copied(connection, table, keys, rows):
        return None
    statement = None
    if connection.dialect.name == "sqlite" and all(tuple(row) == keys for row in rows):
        statement = _statement(table, connection.dialect, keys)
    if statement is None:
        session.execute(insert(table), rows)
        return None
    stored = StoredRows(connection.dialect.name, statement.order,
                        _converted(rows, statement.order, statement.converters))
    if JSON_ROWS:
        stored.json = rows_json(stored.rows)
        if stored.json is not None:
            writer = writer_of(session)
            if writer is not None:
                writer.submit(statement.from_json, (stored.json,))
            else:
                connection.exec_driver_sql(statement.from_json, (stored.json,))
            return stored
    connection.exec_driver_sql(statement.sql, stored.rows)
    return stored


COPY_MIN_ROWS = 50  # fewer rows go through SQLAlchemy's executemany as before


def _copy_plan(table, dialect, keys: tuple[str, ...]):
    """(COPY statement, converters) for rows naming ``keys``, or None when SQLAlchemy would add
    something a COPY would not (a Python-side default of a column not named) or a column's value
    needs SQLAlchemy's own adaptation (JSON)."""
    from sqlalchemy import JSON

    cache_key = (table.name, "copy", keys)
    if cache_key not in _compiled:
        plan = None
        columns = [table.c[k] for k in keys if k in table.c]
        if len(columns) == len(keys) and not any(c.default is not None for c in table.columns if c.name not in keys) \
                and not any(isinstance(getattr(c.type, "impl_instance", c.type), JSON) for c in columns):
            converters = tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns)
            names = ", ".join(_quoted(k) for k in keys)
            plan = (f"COPY {_quoted(table.name)} ({names}) FROM STDIN", converters)
        _compiled[cache_key] = plan
    return _compiled[cache_key]


def _copied(connection, table, keys: tuple[str, ...], rows: list[dict]) -> bool:
    """PostgreSQL: the rows through COPY, each value through its column type's bind processing
    (what SQLAlchemy's insert does) and then psycopg's own adaptation, as for an insert: the
    same stored values, several times faster than one INSERT per row (an import writes under the
    audit chain's lock, which every other writer waits for). False when not possible."""
    if any(tuple(row) != keys for row in rows) or connection.dialect.driver != "psycopg":
        return False
    plan = _copy_plan(table, connection.dialect, keys)
    if plan is None:
        return False
    sql, converters = plan
    convert = tuple((i, c) for i, c in enumerate(converters) if c is not None)
    values_of = itemgetter(*keys)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(sql) as copy:
            for row in rows:
                values = list(values_of(row)) if len(keys) > 1 else [row[keys[0]]]
                for i, c in convert:
                    values[i] = c(values[i])
                copy.write_row(values)
    finally:
        cursor.close()
    return True


def _converted(rows: list[dict], order: tuple[str, ...], converters: tuple) -> list[tuple]:
    """The rows as tuples in ``order``, each value through its column's converter (if any)."""
    if len(order) == 1:
        return [(row[order[0]] if converters[0] is None else converters[0](row[order[0]]),) for row in rows]
    values_of = itemgetter(*order)
    convert = tuple((i, c) for i, c in enumerate(converters) if c is not None)
    if not convert:
        return [values_of(row) for row in rows]
    out = []
    for row in rows:
        values = list(values_of(row))
        for i, c in convert:
            values[i] = c(values[i])
        out.append(tuple(values))
    return out


def rows_json(rows: list[tuple]) -> str | None:
    """The rows as one JSON array, or None when a value has no exact JSON form (bytes, NaN)."""
    try:
        return _rows_json(rows)
    except (TypeError, ValueError):
        return None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
