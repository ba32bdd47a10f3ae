"""A record's history from the audit trail, for the GUI's history panel."""

from __future__ import annotations

from trustfund_app.core.audit import HistoryEntry, history
from trustfund_app.core.services.base import Service


class HistoryService(Service):
    def of(self, entity: str, entity_id: str) -> list[HistoryEntry]:
        """Every change to one record (``entity`` is its table name), oldest first."""
        with self.db.reading() as s:
            return history(s, entity, entity_id)
