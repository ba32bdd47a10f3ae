"""The grant file's tabs on the grant detail: its monitoring visits and its documents."""

from __future__ import annotations

from trustfund_app.core.i18n import _
from trustfund_app.gui.documents_panel import DocumentsPanel
from trustfund_app.gui.visits_view import VisitsView


class GrantRecordTabs:
    """Adds a Visits and a Documents tab to ``tabs`` and keeps them on the shown grant."""

    def __init__(self, ctx, tabs, parent):
        self.tabs = tabs
        self.visits = VisitsView(ctx, per_grant=True, parent=parent)
        self.visits.setObjectName("grant_visits")
        self.documents = DocumentsPanel(ctx, "grant", parent)
        self.visits_index = tabs.addTab(self.visits, "")
        self.documents_index = tabs.addTab(self.documents, "")

    def retranslate(self) -> None:
        self.tabs.setTabText(self.visits_index, _("Visits"))
        self.tabs.setTabText(self.documents_index, _("Documents"))
        self.visits.retranslate()
        self.documents.retranslate()

    def load(self, grant_id: str | None) -> None:
        if grant_id != self.visits.grant_id:
            self.visits.set_grant(grant_id)
        if grant_id != self.documents.owner_id:
            self.documents.set_owner(grant_id)
