"""Bulk inserts for the demo build, inside one ``db.writing`` session.

Thousands of rows go in through Core ``insert`` (one statement per table and batch; the ORM per row
would take ten times as long) and every row gets its insert event in the audit trail through
``audit.record``, under the demo user who would have entered it — so ``audit verify`` finds every
record accounted for. Ids come from the seeded generator: the same seed gives the same ids.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timezone

from sqlalchemy.orm import Session

from trustfund_app.core import audit


def new_id(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from the seeded generator (reproducible)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class BulkWriter:
    def __init__(self, session: Session, id_rng: random.Random):
        self.session = session
        self.id_rng = id_rng
        self.now = datetime.now(timezone.utc)  # when the records were made in this database
        self.counts: dict[str, int] = {}
        self._defaults: dict[str, dict] = {}

    def new_id(self) -> uuid.UUID:
        return new_id(self.id_rng)

    def insert(self, model, rows: list[dict], user: str) -> None:
        """Insert ``rows`` (column → value; missing columns take their defaults) and record them."""
        if not rows:
            return
        table = model.__table__
        defaults = self._column_defaults(model)
        full, changes = [], []
        for row in rows:
            values = {**defaults, **row}
            if "id" in table.c:
                values.setdefault("id", self.new_id())
            if "created_at" in table.c:
                values.setdefault("created_at", self.now)
                values.setdefault("updated_at", self.now)
            full.append(values)
            key = values.get("id") if "id" in table.c else values.get("key")
            # the same canonical form the ORM hook writes (audit.row_dict)
            after = {name: audit._shown(name, values[name]) for name in table.c.keys()}
            changes.append(audit.Change(table.name, str(key), "insert", None, after))
        self.session.execute(table.insert(), full)
        audit.record(self.session, changes, user=user)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def _column_defaults(self, model) -> dict:
        name = model.__tablename__
        if name not in self._defaults:
            out = {}
            for column in model.__table__.columns:
                default = column.default.arg if column.default is not None else None
                if callable(default):
                    continue  # ids and stamps: set per row above
                out[column.name] = default.value if hasattr(default, "value") else default
            self._defaults[name] = out
        return self._defaults[name]
