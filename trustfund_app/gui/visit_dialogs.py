"""Recording a monitoring visit and its follow-up actions."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.core.services.visits import VisitService
from trustfund_app.gui.grant_widgets import FormDialog, date_edit


class VisitDialog(FormDialog):
    """A new visit to ``grant_id``, or (``grants`` given) to a grant chosen from that list of
    (id, label) pairs."""

    def __init__(self, ctx, grant_id: str | None = None, grants: list[tuple[str, str]] | None = None, parent=None):
        super().__init__(ctx, _("New monitoring visit"), "visit_dialog", parent)
        self.grant_id = grant_id
        self.grant_combo = None
        if grant_id is None:
            self.grant_combo = QComboBox(objectName="visit_grant")
            for gid, label in grants or []:
                self.grant_combo.addItem(label, gid)
            self.add_field("grant", _("Grant"), self.grant_combo)
        self.when = date_edit(date.today(), "visit_date")
        self.visitors = QLineEdit(objectName="visit_visitors")
        self.visitors.setText(ctx.actor.name if ctx.actor else "")
        self.findings = QPlainTextEdit(objectName="visit_findings")
        self.findings.setMinimumHeight(120)
        self.add_field("visit_date", _("Date of the visit"), self.when)
        self.add_field("visitors", _("Who visited"), self.visitors)
        self.add_field("findings", _("Findings"), self.findings)
        self.resize(560, 380)

    def save(self):
        gid = self.grant_id or (self.grant_combo.currentData() if self.grant_combo else None)
        if not gid:
            raise ValidationError(_("choose a grant"), "grant")
        args = (gid, self.when.date().toPython(), self.visitors.text(), self.findings.toPlainText())
        service = self.ctx.service(VisitService)
        return lambda: service.record(*args)


class ActionDialog(FormDialog):
    def __init__(self, ctx, visit_id: str, parent=None):
        super().__init__(ctx, _("New follow-up action"), "action_dialog", parent)
        self.visit_id = visit_id
        self.description = QLineEdit(objectName="action_description")
        self.due = date_edit(date.today() + timedelta(days=30), "action_due")
        self.responsible = QLineEdit(objectName="action_responsible")
        self.responsible.setPlaceholderText(_("a user name, so it appears in their calendar"))
        self.add_field("description", _("Action"), self.description)
        self.add_field("due_date", _("Due on"), self.due)
        self.add_field("responsible", _("Responsible"), self.responsible)
        self.resize(520, 200)

    def save(self):
        args = (self.visit_id, self.description.text(), self.due.date().toPython(), self.responsible.text())
        service = self.ctx.service(VisitService)
        return lambda: service.add_action(*args)
