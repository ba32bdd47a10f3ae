"""Conflicts: two sides changed the same record. Nothing was overwritten; a person decides.

- keep ours: our row stays; an audited change from their version to ours travels on, so the other
  side takes ours;
- keep theirs: our row takes their version, an audited change like any other, which travels on;
- edit: the row takes values the person typed, likewise.

The resolution is written under the resolving user (never "<OFFICE>/...") so that it travels to
every side that holds the record.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, select, update

from trustfund_app.core import audit, field_text
from trustfund_app.core.errors import NotFoundError, ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.models import SyncConflict, metadata
from trustfund_app.core.offices.values import STAMPS, current, key_column, key_value, to_db
from trustfund_app.core.services.base import Service

KEEP = ("ours", "theirs", "edit")


@dataclass(frozen=True)
class ConflictRow:
    id: str
    number: int  # short number shown to people (order of arrival)
    peer: str
    entity: str
    entity_id: str
    action: str
    base: dict | None
    theirs: dict | None
    ours: dict | None
    their_user: str | None
    state: str
    resolution: str | None
    arrived: datetime

    def fields(self) -> list[str]:
        """The columns on which the two versions differ (what the person has to decide)."""
        keys = set(self.theirs or {}) | set(self.base or {})
        ours, theirs = self.ours or {}, self.theirs or {}
        return sorted(k for k in keys if k not in STAMPS and ours.get(k) != theirs.get(k))

    def shown(self, names: dict[str, str] | None = None) -> list[tuple[str, str, str, str]]:
        """(column, label, ours, theirs) per field to decide, as people read them (labels and
        values of ``core/field_text``; ``names`` from ``ConflictService.names``)."""
        ours, theirs = self.ours or {}, self.theirs or {}
        currency = ours.get("currency") or theirs.get("currency") or (self.base or {}).get("currency")
        return [(k, field_text.label(k, self.entity), field_text.value_text(k, ours.get(k), currency, names, self.entity),
                 field_text.value_text(k, theirs.get(k), currency, names, self.entity))
                for k in sorted(self.fields(), key=field_text.order)]

    def title(self, names: dict[str, str] | None = None) -> str:
        """Which record: its name, reference or number where it has one, else what it belongs to."""
        if self.entity_id in (names or {}):
            return names[self.entity_id]
        for side in (self.ours, self.theirs, self.base):
            for key in ("name", "reference", "number", "code", "file_name", "alias"):
                if (side or {}).get(key):
                    return str(side[key])
        for side in (self.ours, self.theirs, self.base):
            for key in ("report_id", "grant_id", "pledge_id", "grantee_id", "donor_id"):
                if (side or {}).get(key) and str(side[key]) in (names or {}):
                    return names[str(side[key])]
        return ""

    def as_json(self) -> dict:
        return {"id": self.number, "uuid": self.id, "from": self.peer, "entity": self.entity,
                "entity_id": self.entity_id, "action": self.action, "fields": self.fields(),
                "ours": {k: (self.ours or {}).get(k) for k in self.fields()},
                "theirs": {k: (self.theirs or {}).get(k) for k in self.fields()},
                "their_user": self.their_user, "state": self.state, "resolution": self.resolution,
                "arrived": self.arrived.isoformat(timespec="seconds")}


def _loads(text):
    return json.loads(text) if text else None


def _rows(session, only_open: bool) -> list[ConflictRow]:
    query = select(SyncConflict).order_by(SyncConflict.created_at, SyncConflict.id)
    out = []
    for n, c in enumerate(session.scalars(query), start=1):
        if only_open and c.state != "open":
            continue
        out.append(ConflictRow(str(c.id), n, c.peer, c.entity, c.entity_id, c.action, _loads(c.base), _loads(c.theirs),
                               _loads(c.ours), c.their_user, c.state, c.resolution, c.created_at))
    return out


def open_count(session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.state == "open")) or 0


class ConflictService(Service):
    def list(self, only_open: bool = True) -> list[ConflictRow]:
        with self.db.reading() as s:
            return _rows(s, only_open)

    def names(self, rows: list[ConflictRow]) -> dict[str, str]:
        """The names of the records the conflicts' values point to (``ConflictRow.shown``)."""
        with self.db.reading() as s:
            sides = [side for r in rows for side in (r.ours, r.theirs, r.base, field_text.naming(r.entity, r.entity_id))]
            return field_text.related_names(s, sides)

    def resolve(self, number_or_id, keep: str, note: str | None = None, values: dict | None = None) -> ConflictRow:
        if keep not in KEEP:
            raise ValidationError(_("say which version to keep: ours, theirs or edit"), "keep")
        with self._write("exchange") as s:
            s.info["sync_apply"] = True  # a person's decision on both sides' records
            rows = _rows(s, only_open=False)
            row = next((r for r in rows if str(r.number) == str(number_or_id) or r.id == str(number_or_id)), None)
            if row is None:
                raise NotFoundError(_("conflict {id} does not exist").format(id=number_or_id))
            if row.state != "open":
                raise ValidationError(_("conflict {id} is already resolved").format(id=row.number), "id")
            self._settle(s, row, keep, values)
            conflict = s.get(SyncConflict, uuid.UUID(row.id))
            conflict.state, conflict.resolution, conflict.note = "resolved", keep, (note or None)
            conflict.resolved_by, conflict.resolved_at = self.actor.name, datetime.now(timezone.utc)
            s.flush()
            result = next(r for r in _rows(s, only_open=False) if r.id == row.id)
        self._changed("conflict", "update", row.id)
        self._changed(row.entity, "update", row.entity_id)
        return result

    def _settle(self, s, row: ConflictRow, keep: str, values: dict | None) -> None:
        entity, table = row.entity, metadata.tables[row.entity]
        where = key_column(entity) == key_value(entity, row.entity_id)
        now = current(s, entity, row.entity_id)
        fields = row.fields()
        if keep == "ours":
            if now is None:
                if row.theirs is not None and row.action != "delete":
                    # we deleted it: their side still has it; our deletion travels
                    audit.record(s, [audit.Change(entity, row.entity_id, "delete", row.theirs, None)])
                return
            if row.action == "delete" or row.theirs is None:
                # they deleted it: our row travels to them again, whole
                audit.record(s, [audit.Change(entity, row.entity_id, "insert", None, now)])
                return
            audit.record(s, [audit.Change(entity, row.entity_id, "update", {k: row.theirs.get(k) for k in fields},
                                          {k: now.get(k) for k in fields})])
            return
        if keep == "theirs":
            if row.action == "delete" or row.theirs is None:
                if now is not None:
                    s.execute(delete(table).where(where))
                    audit.record(s, [audit.Change(entity, row.entity_id, "delete", now, None)])
                return
            if now is None:
                if row.action != "insert":
                    raise ValidationError(_("this record was deleted here: only our version can be kept"), "keep")
                s.execute(table.insert().values(**to_db(entity, row.theirs, single=True)))
                audit.record(s, [audit.Change(entity, row.entity_id, "insert", None, row.theirs)])
                return
            chosen = {k: row.theirs.get(k) for k in fields}
        else:
            if not values:
                raise ValidationError(_("give the values to keep"), "values")
            unknown = [k for k in values if k not in table.c or k in STAMPS or k == key_column(entity).name]
            if unknown:
                raise ValidationError(_("{field} is not a field of this record").format(field=unknown[0]), unknown[0])
            if now is None:
                raise ValidationError(_("this record was deleted here: only our version can be kept"), "keep")
            chosen = dict(values)
        if not chosen:
            return
        s.execute(update(table).where(where).values(**to_db(entity, chosen, single=True)))
        audit.record(s, [audit.Change(entity, row.entity_id, "update", {k: now.get(k) for k in chosen}, chosen)])
