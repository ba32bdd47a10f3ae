"""Rows of a package straight into SQLite's stored form, for applying large packages.

A package carries values as the audit trail shows them (``audit.plain_value``): ids with dashes, UTC
times as ISO text, dates as ISO text, exact decimals as text. SQLite stores ids as 32 hex digits,
times as "YYYY-MM-DD HH:MM:SS.ffffff", dates and decimals as that same text, booleans as 0/1.
Going text to text skips building a Python object per value only for the column types'
own processors to turn it back into text. Each chunk is checked: its first row must come out
exactly as the column types' own conversion makes it, else the caller takes the ordinary path.
"""

from __future__ import annotations

import json

from sqlalchemy import JSON, Boolean, Date, DateTime, Uuid

from trustfund_app.core.bulk_insert import _converted, _statement
from trustfund_app.core.models.base import DecimalText
from trustfund_app.core.offices.values import to_db


def _uuid_text(value):
    return None if value is None else value.replace("-", "")


def _utc_text(value):
    # "2026-12-04T17:00:00.123456+00:00" or without the fraction; anything else: not this path
    if value is None:
        return None
    if not value.endswith("+00:00"):
        raise ValueError(value)
    body = value[:-6]
    if len(body) == 19:
        body += ".000000"
    return body[:10] + " " + body[11:]


def _as_is(value):
    return value


def _bool(value):
    return None if value is None else int(value)


def _json_text(value):
    # None stays SQL NULL, as the sender's row holds it (JSON's own bind would store the text null)
    return None if value is None else json.dumps(value)


def _stored_reader(column):
    kind = column.type
    if isinstance(kind, JSON):
        return _json_text
    if isinstance(kind, Uuid):
        return _uuid_text
    if isinstance(kind, DateTime) or getattr(kind, "impl", None) is not None and isinstance(kind.impl, DateTime):
        return _utc_text
    if isinstance(kind, Boolean):
        return _bool
    if isinstance(kind, (Date, DecimalText)):
        return _as_is
    return _as_is


def insert_plain(session, table, columns: list[str], plain_rows: list[dict]) -> bool:
    """Insert ``plain_rows`` (trail values) into a SQLite ``table``; False when this path does not
    apply (another database, or values not in the expected form)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return False
    statement = _statement(table, connection.dialect, tuple(columns))
    if statement is None:
        return False
    sql, order, converters = statement.sql, statement.order, statement.converters
    readers = [_stored_reader(table.c[k]) for k in order]
    try:
        rows = [tuple(read(row[k]) for read, k in zip(readers, order)) for row in plain_rows]
    except (ValueError, AttributeError, TypeError):
        return False
    expected = list(_converted([to_db(table.name, plain_rows[0])], order, converters)[0])
    for i, k in enumerate(order):
        if isinstance(table.c[k].type, JSON) and plain_rows[0][k] is None:
            expected[i] = None
    if tuple(rows[0]) != tuple(expected):
        return False
    connection.exec_driver_sql(sql, rows)
    return True
