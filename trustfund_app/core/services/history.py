"""A record's history from the audit trail, for the GUI's history panel."""

from __future__ import annotations

from trustfund_app.core.i18n import use_language
from trustfund_app.core.record_history import HistoryLine, record_history
from trustfund_app.core.services.base import Service


class HistoryService(Service):
    def lines(self, entity: str, entity_id: str, lang: str) -> list[HistoryLine]:
        """Every change to one record (``entity`` is its table name), oldest first, described in ``lang``."""
        with self.db.reading() as s, use_language(lang):
            return record_history(s, entity, entity_id)
