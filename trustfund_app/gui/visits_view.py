"""Monitoring visits and, under the selected one, its follow-up actions: the Visits screen shows
every grant's, the grant's Visits tab only that grant's (``per_grant``)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from trustfund_app.core.countries import country_label
from trustfund_app.core.i18n import N_, _, format_number, pgettext
from trustfund_app.core.models import ActionStatus
from trustfund_app.core.services.visits import VisitService
from trustfund_app.gui.grant_widgets import date_cell, fit_columns, make_table, select_row, select_where, selected_row
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.table_model import Column, RowsTableModel


def action_status_label(status: str) -> str:
    # "Open" alone is also the button that opens a document: a context keeps them apart
    if status == ActionStatus.DONE:
        return pgettext("follow-up action", "Done")
    if status == ActionStatus.CANCELLED:
        return pgettext("follow-up action", "Cancelled")
    return pgettext("follow-up action", "Open")


def _action_state(a) -> str:
    text = action_status_label(a.status)
    if a.status == ActionStatus.OPEN and a.due_date < date.today():
        return _("{status} — overdue").format(status=text)
    return text


VISIT_COLUMNS = (
    Column(N_("Date"), lambda v: v.visit_date, lambda v: date_cell(v.visit_date)),
    Column(N_("Agreement"), lambda v: v.reference),
    Column(N_("Grantee"), lambda v: v.grantee),
    Column(N_("Country"), lambda v: v.country, lambda v: country_label(v.country)),
    Column(N_("Who visited"), lambda v: v.visitors),
    Column(N_("Open actions"), lambda v: v.open_actions, lambda v: format_number(v.open_actions), numeric=True),
    Column(N_("Findings"), lambda v: v.findings, lambda v: " ".join(v.findings.split())[:200]),
)
ACTION_COLUMNS = (
    Column(N_("Action"), lambda a: a.description),
    Column(N_("Due on"), lambda a: a.due_date, lambda a: date_cell(a.due_date)),
    Column(N_("Responsible"), lambda a: a.responsible or ""),
    Column(N_("Status"), lambda a: a.status, _action_state),
    Column(N_("Done on"), lambda a: a.done_on, lambda a: date_cell(a.done_on)),
)


class VisitsView(QWidget):
    def __init__(self, ctx, per_grant: bool = False, parent=None):
        super().__init__(parent)
        self.ctx, self.per_grant = ctx, per_grant
        self.grant_id: str | None = None
        self.year: int | None = None
        self.rows = []
        self.dialog = None
        self.visits = RowsTableModel(VISIT_COLUMNS, self)
        self.visit_table, _p = make_table(self.visits, "visits_table", self, 0, order=Qt.SortOrder.DescendingOrder,
                                          small=per_grant)
        fit_columns(self.visit_table, {0: 100, 1: 110, 2: 200, 3: 110, 4: 170, 5: 100})
        if per_grant:
            for column in (1, 2, 3):  # always this grant
                self.visit_table.setColumnHidden(column, True)
        self.visit_table.selectionModel().selectionChanged.connect(lambda *_a: self._show_actions())
        self.actions = RowsTableModel(ACTION_COLUMNS, self)
        self.action_table, _p = make_table(self.actions, "actions_table", self, 1, small=True)
        self.action_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.findings = QLabel(objectName="visit_findings_text")
        self.findings.setWordWrap(True)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = {key: QPushButton(objectName=f"visits_{key}") for key in ("new", "action", "done", "export")}
        for key, slot in (("new", self.new_visit), ("action", self.new_action), ("done", self.mark_done),
                          ("export", self.export)):
            self.buttons[key].clicked.connect(slot)
        row = QHBoxLayout()
        self.summary = QLabel(objectName="visits_summary")
        row.addWidget(self.summary, 1)
        for button in self.buttons.values():
            row.addWidget(button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.findings)
        lower_layout.addWidget(self.action_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.visit_table)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        ctx.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        for key, text in (("new", _("New visit…")), ("action", _("Add action…")), ("done", _("Mark done")),
                          ("export", _("Export to Excel…"))):
            self.buttons[key].setText(text)
        self.visits.retranslate()
        self.actions.retranslate()
        self._show_summary()
        self._show_actions()

    # -- data --------------------------------------------------------------------------------
    def set_grant(self, grant_id: str | None) -> None:
        self.grant_id = grant_id
        self.reload()

    def reload(self) -> None:
        if self.per_grant and not self.grant_id:
            self._loaded((None, []))
            return
        service, gid, year = self.ctx.service(VisitService), self.grant_id, self.year
        start_job(lambda _job: (gid, service.list(grant_id=gid, year=year)), on_done=self._loaded, on_error=self._error)

    def _loaded(self, result) -> None:
        gid, rows = result
        if gid != self.grant_id:
            return
        keep = selected_row(self.visit_table)
        self.rows = rows
        self.visits.set_rows(rows)
        if not (keep and select_where(self.visit_table, lambda v: v.id == keep.id)) and rows:
            select_row(self.visit_table, 0)
        self._show_summary()
        self._show_actions()

    def _on_changed(self, change) -> None:
        if change.entity == "visit" and (self.isVisible() or not self.per_grant):
            self.reload()

    def _show_summary(self) -> None:
        open_actions = sum(v.open_actions for v in self.rows)
        self.summary.setText(ngettext_visits(len(self.rows), open_actions))

    def _show_actions(self) -> None:
        visit = selected_row(self.visit_table)
        self.actions.set_rows(list(visit.actions) if visit else [])
        self.findings.setText(visit.findings if visit else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        can = bool(self.ctx.actor and self.ctx.actor.can("grants") and not self.ctx.read_only_reason)
        visit, action = selected_row(self.visit_table), selected_row(self.action_table)
        self.buttons["new"].setEnabled(can and (not self.per_grant or bool(self.grant_id)))
        # another side's visit (an office's, seen at headquarters, or the reverse) is shown as sent
        mine = visit is not None and visit.editable
        self.buttons["action"].setEnabled(can and mine)
        self.buttons["done"].setEnabled(can and mine and action is not None and action.status == ActionStatus.OPEN)
        for key in ("action", "done"):
            self.buttons[key].setToolTip("" if visit is None or mine else
                                         _("recorded by {office}: only that office can change it").format(
                                             office=visit.owner or _("Headquarters")))
        self.buttons["export"].setEnabled(bool(self.rows))

    # -- actions -----------------------------------------------------------------------------
    def new_visit(self) -> None:
        from trustfund_app.gui.visit_dialogs import VisitDialog

        if self.per_grant:
            self._open(VisitDialog(self.ctx, self.grant_id, parent=self))
            return
        from trustfund_app.core.services.grants import GrantService

        service = self.ctx.service(GrantService)
        start_job(lambda _job: [(g.id, f"{g.reference} — {g.grantee}") for g in service.list()
                                if g.status in ("approved", "active")],
                  on_done=lambda grants: self._open(VisitDialog(self.ctx, None, grants, parent=self)),
                  on_error=self._error)

    def new_action(self) -> None:
        from trustfund_app.gui.visit_dialogs import ActionDialog

        visit = selected_row(self.visit_table)
        if visit:
            self._open(ActionDialog(self.ctx, visit.id, parent=self))

    def mark_done(self) -> None:
        action = selected_row(self.action_table)
        if action:
            service = self.ctx.service(VisitService)
            start_job(lambda _job: service.set_status(action.id, ActionStatus.DONE), on_error=self._error)

    def export(self, path: str | None = None):
        screen = self._screen()
        if screen is not None:
            return screen.export_table(self.visit_table, "visits", _("Monitoring visits"), path)
        return None

    def _screen(self):
        from trustfund_app.gui.screens.base import Screen

        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, Screen):
            widget = widget.parentWidget()
        return widget

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _error(self, exc) -> None:
        window = self.window()
        if hasattr(window, "show_error"):
            window.show_error(exc)


def ngettext_visits(visits: int, open_actions: int) -> str:
    from trustfund_app.core.i18n import ngettext

    text = ngettext("{count} visit", "{count} visits", visits).format(count=format_number(visits))
    return text + " · " + ngettext("{count} open action", "{count} open actions", open_actions).format(
        count=format_number(open_actions))
