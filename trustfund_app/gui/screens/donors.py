"""The donor registry: search by name, alias or country, filter by type and region, sort; a detail
pane with contacts, statement language, aliases and what the donor gave (per currency and in USD,
since inception and per year); create, edit, deactivate, merge."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from trustfund_app.core.countries import REGION_LABELS, country_label, region_label
from trustfund_app.core.i18n import LANGUAGE_NAMES, N_, _, format_amount, ngettext
from trustfund_app.core.models import DONOR_TYPE_LABELS
from trustfund_app.core.services.contribution_queries import ContributionFilter
from trustfund_app.gui.grant_widgets import fit_columns
from trustfund_app.gui.bidi_text import isolate
from trustfund_app.gui.contributions_model import ContributionsModel
from trustfund_app.gui.filter_combo import fill_filter_combo
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import ROW_ROLE, SORT_ROLE, Column, RowsTableModel

DONOR_COLUMNS = (
    Column(N_("Name"), lambda d: d.name, lambda d: isolate(d.name)),
    Column(N_("Type"), lambda d: d.type, lambda d: _(DONOR_TYPE_LABELS.get(d.type, d.type))),
    Column(N_("Country"), lambda d: d.country, lambda d: country_label(d.country)),
    Column(N_("Region"), lambda d: d.region, lambda d: region_label(d.region)),
    Column(N_("Statement language"), lambda d: d.language, lambda d: LANGUAGE_NAMES.get(d.language, d.language)),
    Column(N_("Active"), lambda d: d.active, lambda d: _("yes") if d.active else _("no"), context="active state"),
)
CURRENCY_COLUMNS = (
    Column(N_("Currency"), lambda c: c.currency),
    Column(N_("Pledged"), lambda c: c.pledged, lambda c: format_amount(c.pledged, c.currency), numeric=True),
    Column(N_("Paid"), lambda c: c.paid, lambda c: format_amount(c.paid, c.currency), numeric=True),
    Column(N_("Outstanding"), lambda c: c.outstanding, lambda c: format_amount(c.outstanding, c.currency), numeric=True),
    Column(N_("Pledged (USD)"), lambda c: c.pledged_usd, lambda c: format_amount(c.pledged_usd, "USD"), numeric=True),
    Column(N_("Paid (USD)"), lambda c: c.paid_usd, lambda c: format_amount(c.paid_usd, "USD"), numeric=True),
)
YEAR_COLUMNS = (  # one row per year and currency
    Column(N_("Year"), lambda y: y.year),
    Column(N_("Currency"), lambda y: y.currency),
    Column(N_("Pledged"), lambda y: y.pledged, lambda y: format_amount(y.pledged, y.currency), numeric=True),
    Column(N_("Paid"), lambda y: y.paid, lambda y: format_amount(y.paid, y.currency), numeric=True),
    Column(N_("Pledged (USD)"), lambda y: y.pledged_usd, lambda y: format_amount(y.pledged_usd, "USD"), numeric=True),
    Column(N_("Paid (USD)"), lambda y: y.paid_usd, lambda y: format_amount(y.paid_usd, "USD"), numeric=True),
)


class DonorFilter(QSortFilterProxyModel):
    """Search over name, aliases and country (code and name); type and region filters."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text, self.type, self.region = "", None, None
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set(self, text: str, type_: str | None, region: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self.text, self.type, self.region = text.casefold().strip(), type_, region
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.text, self.type, self.region = text.casefold().strip(), type_, region
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802
        donor = self.sourceModel().row_at(row)
        if self.type and donor.type != self.type:
            return False
        if self.region and donor.region != self.region:
            return False
        if not self.text:
            return True
        haystack = [donor.name, donor.country or "", country_label(donor.country), *donor.aliases]
        return any(self.text in h.casefold() for h in haystack)


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class DonorsScreen(Screen):
    watches = frozenset({"donor", "contribution"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.pending_select: str | None = None  # a new donor, selected once the list reloads
        self.model = RowsTableModel(DONOR_COLUMNS, self)
        self.proxy = DonorFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(objectName="donors_search", clearButtonEnabled=True)
        self.type = QComboBox(objectName="donors_type")
        self.region = QComboBox(objectName="donors_region")
        self.table = _table(self.proxy)
        self.table.setObjectName("donors_table")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        fit_columns(self.table, dict(enumerate((210, 140, 130, 80, 130))))
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected())
        self.search.textChanged.connect(self._filter)
        self.type.currentIndexChanged.connect(self._filter)
        self.region.currentIndexChanged.connect(self._filter)
        self.buttons = {key: QPushButton(objectName=f"donors_{key}") for key in ("new", "edit", "active", "merge", "history", "export")}
        self.buttons["new"].clicked.connect(self.new_donor)
        self.buttons["edit"].clicked.connect(self.edit_selected)
        self.buttons["active"].clicked.connect(self.toggle_active)
        self.buttons["merge"].clicked.connect(self.merge_selected)
        self.buttons["export"].clicked.connect(self.export_current)
        self.buttons["history"].clicked.connect(self.show_history)
        # detail pane
        self.detail_title = QLabel(objectName="donor_detail_title")
        self.detail_title.setStyleSheet("font-size:14pt;font-weight:bold;")
        self.detail_title.setWordWrap(True)  # "Choose a donor to see its details." is long in Russian
        self.detail_form = QFormLayout()
        self.detail_values = {key: QLabel(objectName=f"donor_detail_{key}") for key in
                              ("type", "country", "language", "aliases", "contact", "address", "totals")}
        self.detail_labels = {key: QLabel() for key in self.detail_values}
        for key, value in self.detail_values.items():
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail_form.addRow(self.detail_labels[key], value)
        self.currency_model = RowsTableModel(CURRENCY_COLUMNS, self)
        self.year_model = RowsTableModel(YEAR_COLUMNS, self)
        self.currency_table, self.year_table = _table(self.currency_model), _table(self.year_model)
        self.currency_table.setObjectName("donor_currency_totals")
        self.year_table.setObjectName("donor_year_totals")
        for small in (self.currency_table, self.year_table):  # a few rows each: columns fit their contents
            small.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the donor's own pledges and payments, paged by SQL like the Contributions screen
        self.entries_model = ContributionsModel(ctx, self)
        self.entries_model.failed.connect(self.show_error)
        self.entries_table = _table(self.entries_model)
        self.entries_table.setObjectName("donor_entries")
        self.entries_table.setSortingEnabled(True)
        self.entries_table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.entries_table.setColumnHidden(2, True)  # the donor column: always this donor
        self.entries_table.setColumnHidden(6, True)  # the rate: on the Contributions screen; room for the status
        fit_columns(self.entries_table, {0: 110, 1: 110, 3: 70, 4: 60, 5: 120, 6: 70, 7: 110, 8: 90})
        self.detail_tabs = QTabWidget(objectName="donor_detail_tabs")
        from trustfund_app.gui.documents_panel import DocumentsPanel

        self.documents = DocumentsPanel(ctx, "donor", self)  # notes verbales, agreements (issue 18)
        for table in (self.currency_table, self.year_table, self.entries_table, self.documents):
            self.detail_tabs.addTab(table, "")
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.addWidget(self.detail_title)
        dl.addLayout(self.detail_form)
        dl.addWidget(self.detail_tabs, 1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.type, 1)
        filters.addWidget(self.region, 1)
        # two rows of buttons: in one row their Russian or French labels made the window wider than
        # a 1200-pixel screen
        actions = QGridLayout()
        for index, button in enumerate(self.buttons.values()):
            actions.addWidget(button, index // 3, index % 3)
        self.count_label = QLabel(objectName="donors_count")
        actions.addWidget(self.count_label, 2, 0, 1, 3)
        ll.addLayout(filters)
        ll.addWidget(self.table, 1)
        ll.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(detail)
        splitter.setSizes([600, 540])
        QVBoxLayout(self).addWidget(splitter)
        self.selected = None
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search name, alias or country"))
        fill_filter_combo(self.type, [(_(label), key.value) for key, label in DONOR_TYPE_LABELS.items()],
                          _("All types"))
        fill_filter_combo(self.region, [(_(label), key) for key, label in REGION_LABELS.items()], _("All regions"))
        for key, text in (("new", _("New donor…")), ("edit", _("Edit…")), ("active", _("Deactivate")),
                          ("merge", _("Merge a duplicate…")), ("history", _("History…")),
                          ("export", _("Export to Excel…"))):
            self.buttons[key].setText(text)
        for key, text in (("type", _("Type")), ("country", _("Country")), ("language", _("Statement language")),
                          ("aliases", _("Aliases")), ("contact", _("Contact")), ("address", _("Address")),
                          ("totals", _("Since inception (USD)"))):
            self.detail_labels[key].setText(text)
        for tab, text in enumerate((_("By currency"), _("By year"), _("Pledges and payments"), _("Documents"))):
            self.detail_tabs.setTabText(tab, text)
        # values follow the reading direction of the interface, not of their own text (an Arabic
        # language name stays beside its label in an English interface)
        side = Qt.AlignmentFlag.AlignRight if self.layoutDirection() == Qt.LayoutDirection.RightToLeft \
            else Qt.AlignmentFlag.AlignLeft
        for value in (self.detail_title, *self.detail_values.values()):
            value.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        for model in (self.model, self.currency_model, self.year_model, self.entries_model):
            model.retranslate()
        self._update_count()
        self._update_buttons()
        self._show_selected()

    # -- data ------------------------------------------------------------------------------
    def reload(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def work(_job):
            from trustfund_app.core.services.donors import DonorService

            return DonorService(db, actor).list()

        self.run(work, self._donors_loaded)

    def _donors_loaded(self, donors) -> None:
        keep = self.pending_select or (self.selected.id if self.selected else None)
        created, self.pending_select = self.pending_select, None
        self.model.set_rows(donors)
        self._update_count()
        if keep:
            found = self._select_id(keep)
            if not found and created:  # hidden by the search or a filter: clear them and look again
                self.search.clear()
                self.type.setCurrentIndex(0)
                self.region.setCurrentIndex(0)
                self._filter()
                self._select_id(keep)

    def _select_id(self, donor_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(ROW_ROLE).id == donor_id:
                self.select_row(row)
                return True
        return False

    def select_row(self, row: int) -> None:
        """Make ``row`` (of the filtered list) current. QTableView.selectRow selects nothing in a
        right-to-left layout when the table is scrolled sideways, so the selection model is used."""
        from PySide6.QtCore import QItemSelectionModel

        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(self.proxy.index(row, 0), flags)
        self.table.scrollTo(self.proxy.index(row, 0))

    def _filter(self) -> None:
        self.proxy.set(self.search.text(), self.type.currentData(), self.region.currentData())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(ngettext("{shown} of {total} donor", "{shown} of {total} donors", self.model.rowCount()).format(
            shown=self.proxy.rowCount(), total=self.model.rowCount()))

    def _update_buttons(self) -> None:
        writable = self.ctx.actor is not None and self.ctx.actor.can("donors") and not self.ctx.read_only_reason
        self.buttons["new"].setEnabled(writable)
        for key in ("edit", "active", "merge"):
            self.buttons[key].setEnabled(writable and self.selected is not None)
        self.buttons["history"].setEnabled(self.selected is not None)
        if self.selected is not None:
            self.buttons["active"].setText(_("Deactivate") if self.selected.active else _("Reactivate"))

    def _show_selected(self) -> None:
        index = self.table.currentIndex()
        self.selected = index.data(ROW_ROLE) if index.isValid() else None
        self._update_buttons()
        d = self.selected
        if self.documents.owner_id != (d.id if d else None):
            self.documents.set_owner(d.id if d else None)
        if d is None:
            self.detail_title.setText(_("Choose a donor to see its details."))
            for value in self.detail_values.values():
                value.clear()
            self.currency_model.set_rows([])
            self.year_model.set_rows([])
            self.entries_model.clear()
            return
        self.detail_title.setText(isolate(d.name))
        self.detail_values["type"].setText(_(DONOR_TYPE_LABELS.get(d.type, d.type)))
        self.detail_values["country"].setText(" · ".join(x for x in (country_label(d.country), region_label(d.region)) if x))
        self.detail_values["language"].setText(LANGUAGE_NAMES.get(d.language, d.language))
        self.detail_values["aliases"].setText("; ".join(isolate(a) for a in d.aliases))
        self.detail_values["contact"].setText(" · ".join(x for x in (d.contact_person, d.email, d.phone) if x))
        self.detail_values["address"].setText(d.address or "")
        ctx, donor_id = self.ctx, d.id
        self.entries_model.reload(ContributionFilter(donor_id=donor_id))

        def work(_job):
            from trustfund_app.core.services.donor_totals import DonorTotalsService

            return donor_id, ctx.service(DonorTotalsService).totals(donor_id)

        self.run(work, self._totals_loaded)

    def _totals_loaded(self, result) -> None:
        donor_id, totals = result
        if self.selected is None or self.selected.id != donor_id:
            return
        self.detail_values["totals"].setText(_("pledged {pledged} · paid {paid}").format(
            pledged=format_amount(totals.pledged_usd, "USD"), paid=format_amount(totals.paid_usd, "USD")))
        self.currency_model.set_rows(totals.by_currency)
        self.year_model.set_rows(totals.by_year_currency)

    # -- actions ---------------------------------------------------------------------------
    def new_donor(self) -> None:
        from trustfund_app.gui.donor_form import DonorForm

        self.form = DonorForm(self.ctx, self)
        self.form.accepted.connect(lambda form=self.form: self._created(form))
        self.form.open()

    def _created(self, form) -> None:
        """The new donor is selected and scrolled to once the list has reloaded, and it is said."""
        self.pending_select = form.saved_id
        if self.model.rowCount() and any(r.id == form.saved_id for r in self.model.rows):
            self._donors_loaded(list(self.model.rows))
        window = self.window()
        if hasattr(window, "show_message"):
            window.show_message(_("Donor {name} created.").format(name=form.inputs["name"].text().strip()))

    def edit_selected(self) -> None:
        from trustfund_app.gui.donor_form import DonorForm

        if self.selected is not None:
            self.form = DonorForm(self.ctx, self, self.selected)
            self.form.open()

    def toggle_active(self) -> None:
        if self.selected is None:
            return
        ctx, donor_id, active = self.ctx, self.selected.id, not self.selected.active

        def work(_job):
            from trustfund_app.core.services.donors import DonorService

            ctx.service(DonorService).set_active(donor_id, active)

        self.run(work, lambda _r: None)

    def merge_selected(self) -> None:
        from trustfund_app.gui.donor_merge import MergeDialog

        if self.selected is not None:
            self.merge_dialog = MergeDialog(self.ctx, self.selected, self.model.rows, self)
            self.merge_dialog.open()

    def export_current(self) -> None:
        """What the list shows (search, filters, sort order) to .xlsx."""
        self.export_table(self.table, _("donors"), _("Donors"))

    def show_history(self) -> None:
        from trustfund_app.gui.history_dialog import HistoryDialog

        if self.selected is not None:
            self.history = HistoryDialog(self.ctx, "donor", self.selected.id, self.selected.name, self)
            self.history.open()
