"""The change log is the audit trail: every change that travels is read from the sender's own
chain, per row, with named columns.

``row_changes`` is the one function that turns events into per-row changes, over the trail's
event formats: ORM "insert"/"update"/"delete" events (one row each, values by column name) and
bulk "import" events (a chunk of rows, their columns named once). When core/audit.py offers its
own per-row reader for all event formats, this function becomes a call to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from trustfund_app.core import audit
from trustfund_app.core.models import AuditEvent


@dataclass(frozen=True)
class RowChange:
    seq: int  # the sender's audit event number (several rows of one import share it)
    user: str
    entity: str
    entity_id: str
    action: str  # insert / update / delete
    before: dict | None
    after: dict | None

    def as_json(self) -> dict:
        return {"seq": self.seq, "user": self.user, "entity": self.entity, "id": self.entity_id,
                "action": self.action, "before": self.before, "after": self.after}

    @classmethod
    def from_json(cls, data: dict) -> "RowChange":
        return cls(int(data["seq"]), str(data["user"]), str(data["entity"]), str(data["id"]), str(data["action"]),
                   data.get("before"), data.get("after"))


def row_changes(session, after_seq: int, upto_seq: int, entities=None, batch: int = 2000) -> Iterator[RowChange]:
    """Per-row changes of events ``after_seq`` < seq <= ``upto_seq``, oldest first."""
    query = select(AuditEvent.seq, AuditEvent.user, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.action,
                   AuditEvent.before, AuditEvent.after).where(AuditEvent.seq > after_seq, AuditEvent.seq <= upto_seq)
    if entities is not None:
        query = query.where(AuditEvent.entity.in_(sorted(entities)))
    for seq, user, entity, entity_id, action, before, after in session.execute(
            query.order_by(AuditEvent.seq).execution_options(yield_per=batch)):
        if action == audit.IMPORTED:
            columns, rows = audit.imported_rows(entity, after)
            key = columns.index("id") if "id" in columns else columns.index("key")
            for row in rows:
                yield RowChange(seq, user, entity, str(row[key]), "insert", None, dict(zip(columns, row)))
        else:
            yield RowChange(seq, user, entity, entity_id, action, json.loads(before) if before else None,
                            json.loads(after) if after else None)


def event_hash_at(session, seq: int) -> str:
    """The chain hash after event ``seq`` (the genesis value before the first)."""
    if seq <= 0:
        return audit.GENESIS
    found = session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar()
    return found or audit.GENESIS


def last_seq(session) -> int:
    return session.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)).scalar() or 0
