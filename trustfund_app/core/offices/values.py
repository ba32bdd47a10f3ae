"""Row values between the trail's plain JSON form and the database: a package carries values as
the audit trail shows them (ids and dates as text, decimals as text); applying one converts them
back through each column's type, and reads rows in the same plain form to compare."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, Uuid, null, select

from trustfund_app.core import audit
from trustfund_app.core.models import metadata
from trustfund_app.core.models.base import DecimalText, UTCDateTime

STAMPS = frozenset({"created_at", "updated_at"})
_readers: dict[str, dict] = {}


def _reader(column):
    kind = column.type
    if isinstance(kind, Uuid):
        return lambda v: v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))
    if isinstance(kind, UTCDateTime) or isinstance(kind, DateTime):
        return lambda v: v if isinstance(v, datetime) else datetime.fromisoformat(str(v))
    if isinstance(kind, DecimalText):
        return lambda v: Decimal(str(v))
    if isinstance(kind, Date):
        return lambda v: v if isinstance(v, date) else date.fromisoformat(str(v))
    if isinstance(kind, Boolean):
        return bool
    return None


def _remembering(read):
    """``read`` remembering what it made of each text: the same time stamp, date or currency
    comes back as the same object, which the bulk insert then converts once."""
    cache: dict = {}

    def run(value):
        if type(value) is not str:
            return read(value)
        found = cache.get(value)
        if found is None:
            if len(cache) > 4096:
                cache.clear()
            found = cache[value] = read(value)
        return found

    return run


_by_type: dict = {}


def _shared_reader(column):
    """One remembering reader per column type: a row's created_at and updated_at (the same text)
    then become one object, which the bulk insert converts once."""
    read = _reader(column)
    if read is None or isinstance(column.type, Uuid):
        return read
    key = type(column.type).__name__
    if key not in _by_type:
        _by_type[key] = _remembering(read)
    return _by_type[key]


def to_db(entity: str, values: dict, single: bool = False) -> dict:
    """Plain values -> values for the table's columns (unknown keys are refused by KeyError).
    ``single``: for one statement's values (a JSON column's None then becomes SQL NULL)."""
    readers = _readers.get(entity)
    if readers is None:
        table = metadata.tables[entity]
        readers = _readers[entity] = {c.name: _shared_reader(c) for c in table.columns}
    out = {}
    json_columns = _json_columns(entity)
    for key, value in values.items():
        read = readers[key]
        if value is None and key in json_columns and single:
            out[key] = null()  # SQL NULL as the sender holds it, not the JSON text null
        else:
            out[key] = None if value is None else (read(value) if read else value)
    return out


def _json_columns(entity: str) -> frozenset[str]:
    return frozenset(c.name for c in metadata.tables[entity].columns if isinstance(c.type, JSON))


def plain_row(row) -> dict | None:
    return None if row is None else {k: audit.plain_value(v) for k, v in row.items()}


def key_column(entity: str):
    table = metadata.tables[entity]
    return table.c.id if "id" in table.c else table.c.key


def key_value(entity: str, entity_id: str):
    column = key_column(entity)
    return uuid.UUID(entity_id) if isinstance(column.type, Uuid) else entity_id


def current(session, entity: str, entity_id: str) -> dict | None:
    table = metadata.tables[entity]
    row = session.execute(select(table).where(key_column(entity) == key_value(entity, entity_id))).mappings().first()
    return plain_row(row)


def current_many(session, entity: str, entity_ids: list[str], keys: list | None = None) -> dict[str, dict]:
    """The rows among ``entity_ids`` (``keys``: the same, already as the column's values) that
    exist (usually none: new rows), as plain values."""
    table = metadata.tables[entity]
    column = key_column(entity)
    found = []
    if keys is None or any(k is None for k in keys):
        keys = [key_value(entity, i) for i in entity_ids]
    for start in range(0, len(keys), 900):
        chunk = keys[start:start + 900]
        found += [k for (k,) in session.execute(select(column).where(column.in_(chunk)))]
    out = {}
    for start in range(0, len(found), 900):
        for row in session.execute(select(table).where(column.in_(found[start:start + 900]))).mappings():
            plain = plain_row(row)
            out[str(plain[column.name])] = plain
    return out


def same(row: dict | None, values: dict | None) -> bool:
    """``row`` holds ``values`` (the time stamps aside, which every side sets for itself)."""
    if row is None or values is None:
        return row is None and values is None
    return all(row.get(k) == v for k, v in values.items() if k not in STAMPS)
