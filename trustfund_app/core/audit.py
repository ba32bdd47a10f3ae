"""The append-only, hash-chained audit trail.

Every ORM insert, update and delete is turned into an ``AuditEvent`` in the same transaction by a
``before_flush`` hook; bulk Core inserts (imports) call ``record`` themselves. Each event's SHA-256
covers its canonical content plus the previous event's hash, so ``verify`` finds any edited,
deleted, inserted or reordered event. Writers serialise on the chain head (BEGIN IMMEDIATE on
SQLite, an advisory transaction lock on PostgreSQL); an import on PostgreSQL checks its file before
it takes that lock and holds it only to write (``excel/prepared.py``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from trustfund_app.core.bulk_insert import insert_rows
from trustfund_app.core.models import AuditEvent

GENESIS = "0" * 64
_CHAIN_LOCK = 7_424_242  # PostgreSQL advisory lock key for the chain head
# Columns whose values never go into the trail (a password hash is no one's business, not even an
# auditor's): the trail keeps a SHA-256 digest of the value instead, which shows that it changed and
# lets ``audit verify`` find a hash edited around the app, without giving away the hash (or the salt
# inside it, so the digest is no help in guessing the password). Events written before this keep
# the word REDACTED; the upgrade to revision 0005 recorded every user's digest.
REDACTED_COLUMNS = frozenset({"password_hash"})
REDACTED = "[redacted]"
SECRET_DIGEST_PREFIX = "sha256:"


def secret_digest(value) -> str | None:
    if value is None:
        return None
    return SECRET_DIGEST_PREFIX + hashlib.sha256(str(value).encode("utf-8")).hexdigest()


# Why a change was made (a correction's reason): kept in the update event's "after" under this key
# (no column has it) when the service sets ``session.info[REASON_KEY]`` before flushing.
REASON_KEY = "_reason"


def plain_value(value):
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _shown(key: str, value):
    if key in REDACTED_COLUMNS and value is not None:
        return secret_digest(value)
    return plain_value(value)


def row_dict(obj) -> dict:
    mapper = inspect(obj).mapper
    return {attr.key: _shown(attr.key, getattr(obj, attr.key)) for attr in mapper.column_attrs}


# Encoders built once: json.dumps with options builds a new encoder on every call, and these run
# for every row of an import. Their output is exactly json.dumps's with the same options.
_CONTENT_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
_CANONICAL_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_sha256 = hashlib.sha256


def _dumps(data: dict | None) -> str | None:
    return None if data is None else _CONTENT_JSON(data)


def event_hash(prev_hash: str, at: datetime, user: str, entity: str, entity_id: str, action: str,
               before: str | None, after: str | None) -> str:
    canonical = _CANONICAL_JSON([prev_hash, plain_value(at), user, entity, entity_id, action, before, after])
    return _sha256(canonical.encode("utf-8")).hexdigest()


def session_user(session: Session) -> str:
    """Who writes in ``session`` (``Database.writing`` names them)."""
    return session.info.get("user", "system")


def lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})


def head(session: Session) -> str:
    last = session.execute(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).scalar()
    return last or GENESIS


@dataclass
class Change:
    entity: str
    entity_id: str
    action: str
    before: dict | None
    after: dict | None


def record(session: Session, changes: list[Change], user: str | None = None) -> None:
    """Append events for ``changes`` (used directly by bulk writers)."""
    _append(session, [(ch.entity, ch.entity_id, ch.action,
                       None if ch.before is None else _CONTENT_JSON(ch.before),
                       None if ch.after is None else _CONTENT_JSON(ch.after)) for ch in changes], user)


IMPORTED = "import"  # one event for many rows inserted into one table (see record_import)


def record_import(session: Session, entity: str, group: str, columns: list[str], rows: list[list]) -> None:
    """One event for a chunk of rows an import inserted into table ``entity``: who, when and every
    value of every row, like an "insert" event per row but without 100,000 events for 100,000 rows
    (their JSON, hashes and inserts were most of an import's writing time). ``rows`` hold the
    values as ``row_dict`` gives them, in ``columns`` order; ``group`` is "<import batch>:<n>",
    the batch being what the rows keep in their ``import_batch`` column."""
    _append(session, [(entity, group, IMPORTED, None, _CONTENT_JSON({"columns": columns, "rows": rows}))])


def record_import_stored(session: Session, entity: str, group: str, dialect: str, columns: list[str],
                         rows_json: str) -> None:
    """``record_import`` for rows given as the JSON array of their values as ``dialect`` stored
    them (hex ids, text timestamps, 0/1 booleans): the very text the insert sent, recorded as it
    is. The content is what ``_CONTENT_JSON`` makes of {"columns", "form", "rows"}."""
    content = f'{{"columns":{_CONTENT_JSON(columns)},"form":{_CONTENT_JSON(dialect)},"rows":{rows_json}}}'
    _append(session, [(entity, group, IMPORTED, None, content)])


def _append(session: Session, events: list[tuple], user: str | None = None) -> None:
    """Chain ``events`` (entity, entity_id, action, before JSON, after JSON) onto the head."""
    if not events:
        return
    who = user or session_user(session)
    prev = session.info.get("audit_head")
    if prev is None:
        # db.writing() already holds the chain lock; this also covers any other session that
        # writes, so two transactions can never extend the chain from the same head
        lock_chain(session)
        prev = head(session)
    at = datetime.now(timezone.utc)
    at_text = plain_value(at)
    rows = []
    # event_hash inlined (one timestamp for the whole batch): this loop runs for every audited row
    for entity, entity_id, action, before, after in events:
        canonical = _CANONICAL_JSON([prev, at_text, who, entity, entity_id, action, before, after])
        digest = _sha256(canonical.encode("utf-8")).hexdigest()
        rows.append({"at": at, "user": who, "entity": entity, "entity_id": entity_id, "action": action,
                     "before": before, "after": after, "prev_hash": prev, "hash": digest})
        prev = digest
    insert_rows(session, AuditEvent.__table__, rows)
    session.info["audit_head"] = prev


def imported_rows(entity: str, after: str) -> tuple[list[str], list[list]]:
    """(columns, rows) of an import event's content, the values as ``row_dict`` gives them."""
    data = json.loads(after)
    columns, rows = data["columns"], data["rows"]
    if "form" not in data:
        return columns, rows
    from sqlalchemy.dialects import registry

    from trustfund_app.core.models import metadata

    dialect = registry.load(data["form"])()
    table = metadata.tables[entity]
    # the column types' own reading of stored values (hex to UUID, text to aware datetimes, ...)
    readers = [table.c[c].type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
    return columns, [[plain_value(read(v) if read else v) for read, v in zip(readers, row)] for row in rows]


def imported_ids(after: str) -> list[str]:
    """The keys of the rows of an import event, as text like the entity_id of other events."""
    data = json.loads(after)
    columns = data["columns"]
    key = columns.index("id") if "id" in columns else columns.index("key")
    if "form" in data and columns[key] == "id":  # stored UUIDs: 32 hex digits
        return [str(uuid.UUID(row[key])) for row in data["rows"]]
    return [str(row[key]) for row in data["rows"]]


def _orm_changes(session: Session) -> list[Change]:
    changes: list[Change] = []
    for obj in session.new:
        if not isinstance(obj, AuditEvent):
            d = row_dict(obj)
            changes.append(Change(obj.__tablename__, str(_identity(obj, d)), "insert", None, d))
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        before, after = {}, {}
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if hist.has_changes():
                before[attr.key] = _shown(attr.key, hist.deleted[0]) if hist.deleted else None
                after[attr.key] = _shown(attr.key, hist.added[0]) if hist.added else None
        if after:
            if session.info.get(REASON_KEY):
                after[REASON_KEY] = session.info[REASON_KEY]
            changes.append(Change(obj.__tablename__, str(_identity(obj, row_dict(obj))), "update", before, after))
    for obj in session.deleted:
        if not isinstance(obj, AuditEvent):
            d = row_dict(obj)
            changes.append(Change(obj.__tablename__, str(_identity(obj, d)), "delete", d, None))
    return changes


def _identity(obj, d: dict):
    return d.get("id") or d.get("key") or "?"


@event.listens_for(Session, "before_flush")
def _audit_before_flush(session: Session, _ctx, _instances) -> None:
    if session.info.get("audit_disabled"):
        return
    for obj in session.dirty:
        if hasattr(obj, "updated_at") and session.is_modified(obj, include_collections=False):
            obj.updated_at = datetime.now(timezone.utc)
    record(session, _orm_changes(session))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_head(session: Session) -> None:
    session.info.pop("audit_head", None)
    session.info.pop(REASON_KEY, None)  # a reason belongs to its own transaction


@dataclass(frozen=True)
class RowChange:
    """One change to one row, columns named: what every reader of the trail works from."""

    seq: int  # of the event that records it (an import's rows share their chunk's event)
    at: datetime
    user: str
    entity: str  # table name
    entity_id: str
    action: str  # "insert", "update" or "delete"
    before: dict | None  # column -> value as ``row_dict`` gives it (updates: the changed columns)
    after: dict | None


def row_changes(session: Session, after_seq: int = 0, entity: str | None = None,
                batch: int = 2000) -> Iterator[RowChange]:
    """Every change in the trail after event ``after_seq``, one per row, in trail order, whatever
    the event's format: an ORM event is one row's change already; an import's event (one per chunk
    of rows, ``record_import``) yields an insert per row it holds. THE function to read changes
    from the trail with (change packages, tamper checks): new event formats are taught here."""
    query = select(AuditEvent).where(AuditEvent.seq > after_seq).order_by(AuditEvent.seq)
    if entity is not None:
        query = query.where(AuditEvent.entity == entity)
    for ev in session.scalars(query.execution_options(yield_per=batch)):
        if ev.action == IMPORTED:
            columns, rows = imported_rows(ev.entity, ev.after)
            key = columns.index("id") if "id" in columns else columns.index("key")
            for row in rows:
                yield RowChange(ev.seq, ev.at, ev.user, ev.entity, str(row[key]), "insert", None,
                                dict(zip(columns, row)))
        else:
            yield RowChange(ev.seq, ev.at, ev.user, ev.entity, ev.entity_id, ev.action,
                            json.loads(ev.before) if ev.before else None,
                            json.loads(ev.after) if ev.after else None)


@dataclass(frozen=True)
class HistoryEntry:
    """One change to a record, for the GUI's history panel (plain values, safe across threads)."""

    seq: int
    at: datetime
    user: str
    action: str
    before: dict | None
    after: dict | None

    def changed_fields(self) -> list[str]:
        keys = set(self.before or {}) | set(self.after or {})
        return sorted(k for k in keys if (self.before or {}).get(k) != (self.after or {}).get(k)
                      and k not in ("updated_at", "created_at", REASON_KEY))


def history(session: Session, entity: str, entity_id) -> list[HistoryEntry]:
    """Every event about one record (``entity`` is its table name), oldest first; a record an
    import inserted shows its creation from the import's event."""
    rows = session.scalars(select(AuditEvent).where(AuditEvent.entity == entity,
                                                    AuditEvent.entity_id == str(entity_id))
                           .order_by(AuditEvent.seq))
    entries = [HistoryEntry(ev.seq, ev.at, ev.user, ev.action, json.loads(ev.before) if ev.before else None,
                            json.loads(ev.after) if ev.after else None) for ev in rows]
    return sorted(entries + _imported_entry(session, entity, str(entity_id)), key=lambda e: e.seq)


def _imported_entry(session: Session, entity: str, entity_id: str) -> list[HistoryEntry]:
    from trustfund_app.core.models import metadata

    table = metadata.tables.get(entity)
    if table is None or "import_batch" not in table.c or "id" not in table.c:
        return []
    try:
        batch = session.execute(select(table.c.import_batch).where(table.c.id == uuid.UUID(entity_id))).scalar()
    except ValueError:
        return []
    if not batch:
        return []
    # "<batch>:<n>" sorts between "<batch>:" and "<batch>;": a range the entity_id index serves
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.entity == entity, AuditEvent.action == IMPORTED,
        AuditEvent.entity_id >= f"{batch}:", AuditEvent.entity_id < f"{batch};").order_by(AuditEvent.seq))
    for ev in events:
        if entity_id not in imported_ids(ev.after):
            continue
        columns, values = imported_rows(entity, ev.after)
        key = columns.index("id")
        row = next(row for row in values if row[key] == entity_id)
        return [HistoryEntry(ev.seq, ev.at, ev.user, "insert", None, dict(zip(columns, row)))]
    return []
