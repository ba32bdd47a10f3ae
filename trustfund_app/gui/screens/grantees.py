"""Grantees: the registry of partner organisations with their due-diligence facts and the
eligibility warnings that follow from them."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from trustfund_app.core.countries import country_label
from trustfund_app.core.i18n import N_, _, format_number, ngettext
from trustfund_app.core.services.grants import GranteeService
from trustfund_app.gui.grant_widgets import date_cell, fit_columns, make_table, select_where, selected_row, select_row
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


COLUMNS = (
    Column(N_("Name"), lambda g: g.name),
    Column(N_("Country"), lambda g: country_label(g.country)),
    Column(N_("Eligibility warnings"), lambda g: len(g.warnings), lambda g: "; ".join(w.text for w in g.warnings)),
    Column(N_("Registration number"), lambda g: g.registration_number or ""),
    Column(N_("Registered on"), lambda g: g.registration_date, lambda g: date_cell(g.registration_date)),
    Column(N_("UN Partner Portal ID"), lambda g: g.partner_portal_id or ""),
    Column(N_("PSEA"), lambda g: g.psea_attested, lambda g: _yes_no(g.psea_attested)),
    Column(N_("Own bank account"), lambda g: g.own_bank_account, lambda g: _yes_no(g.own_bank_account)),
    Column(N_("Contact"), lambda g: g.contact_person or "", lambda g: ", ".join(x for x in (g.contact_person, g.email) if x)),
    Column(N_("Grants"), lambda g: g.grants, lambda g: format_number(g.grants), numeric=True),
)


class GranteesScreen(Screen):
    watches = frozenset({"grantee", "grant"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.dialog = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.search = QLineEdit()
        self.search.setObjectName("grantees_search")
        self.search.setClearButtonEnabled(True)
        self.model = RowsTableModel(COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "grantees_table", self)
        fit_columns(self.table, {0: 260, 1: 110, 2: 200, 3: 130, 4: 100, 5: 120, 6: 50, 7: 120, 8: 220, 9: 60})
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.doubleClicked.connect(lambda _i: self.edit_grantee())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_grantee")
        self.new_button.clicked.connect(self.new_grantee)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_grantee")
        self.edit_button.clicked.connect(self.edit_grantee)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSplitter

        from trustfund_app.gui.documents_panel import DocumentsPanel

        self.documents = DocumentsPanel(ctx, "grantee", self)  # registration papers, PSEA attestations (issue 18)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.documents)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.count)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.title.setText(_("Grantees"))
        self.search.setPlaceholderText(_("Search by name, country, contact…"))
        self.new_button.setText(_("New grantee…"))
        self.edit_button.setText(_("Edit…"))
        self.model.retranslate()
        self._show_count()

    def reload(self) -> None:
        service = self.ctx.service(GranteeService)
        self.run(lambda _job: service.list(), self._show_grantees)

    def _show_grantees(self, rows) -> None:
        current = selected_row(self.table)
        self.model.set_rows(rows)
        if current:
            select_where(self.table, lambda g: g.id == current.id)
        self._show_count()
        self._update_buttons()

    def _show_count(self) -> None:
        rows = self.model.rows
        flagged = sum(1 for g in rows if g.warnings)
        self.count.setText(ngettext("{count} grantee, {flagged} with eligibility warnings",
                                         "{count} grantees, {flagged} with eligibility warnings", len(rows)).format(
            count=format_number(len(rows)), flagged=format_number(flagged)))

    def _update_buttons(self) -> None:
        can = bool(self.ctx.actor and self.ctx.actor.can("grantees"))
        self.new_button.setEnabled(can)
        self.edit_button.setEnabled(can and selected_row(self.table) is not None)
        grantee = selected_row(self.table)
        if self.documents.owner_id != (grantee.id if grantee else None):
            self.documents.set_owner(grantee.id if grantee else None)

    def new_grantee(self) -> None:
        from trustfund_app.gui.grant_grantee_dialog import GranteeDialog

        self._open(GranteeDialog(self.ctx, None, self))

    def edit_grantee(self) -> None:
        from trustfund_app.gui.grant_grantee_dialog import GranteeDialog

        grantee = selected_row(self.table)
        if grantee and self.edit_button.isEnabled():
            self._open(GranteeDialog(self.ctx, grantee, self))

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.open()

    def shot_hook(self, what: str) -> None:
        """For screenshots of the form: open it on the first grantee."""
        if what == "dialog":
            select_row(self.table, 0)
            self.edit_grantee()
