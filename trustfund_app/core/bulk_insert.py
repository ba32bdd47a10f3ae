"""Many rows into one table at driver speed, for imports and the audit trail.

``session.execute(insert(table), dicts)`` runs SQLAlchemy's per-row parameter machinery (about
15 µs a row here); on SQLite this converts each value with the column type's own bind processor
(the very conversion SQLAlchemy applies: UUID to hex, UTC datetimes, exact decimal text, booleans)
and hands plain tuples to the driver's ``executemany``, so what is stored is identical. Rows that
do not all name the same columns, statements that would add column defaults, and other databases
(SQLAlchemy already batches PostgreSQL inserts into multi-row VALUES) go through SQLAlchemy.
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

_compiled: dict = {}  # (table, dialect, columns) -> (SQL text, column order, bind processors) or None


def _statement(table, dialect, keys: tuple[str, ...]):
    cache_key = (table.name, dialect.name, keys)
    if cache_key not in _compiled:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        order = tuple(compiled.positiontup or ())
        if sorted(order) != sorted(keys):  # defaults added, or not positional: leave it to SQLAlchemy
            _compiled[cache_key] = None
        else:
            processors = tuple(table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in order)
            _compiled[cache_key] = (str(compiled), order, processors)
    return _compiled[cache_key]


def insert_rows(session: Session, table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts keyed by column name) into ``table`` in the session's transaction."""
    if not rows:
        return
    keys = tuple(rows[0])
    connection = session.connection()
    statement = None
    if connection.dialect.name == "sqlite" and all(tuple(row) == keys for row in rows):
        statement = _statement(table, connection.dialect, keys)
    if statement is None:
        session.execute(insert(table), rows)
        return
    sql, order, processors = statement
    pairs = tuple(zip(order, processors))
    connection.exec_driver_sql(sql, [tuple(row[k] if p is None else p(row[k]) for k, p in pairs) for row in rows])
