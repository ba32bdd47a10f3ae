"""Grants: the list of grants with filters by cycle, country and status, the detail of the selected
grant (schedule, reports, victims, refunds) and, on a second tab, the applications and decisions."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QLabel, QLineEdit, QSplitter, QTabWidget, QVBoxLayout, QWidget,
)

from trustfund_app.core.countries import country_label
from trustfund_app.core.i18n import N_, _, format_money, format_number, ngettext
from trustfund_app.core.models import GRANT_STATUS_LABELS, GrantStatus
from trustfund_app.core.money import USD, Money
from trustfund_app.core.services.grants import ApplicationService, CycleService, GranteeService, GrantService
from trustfund_app.gui.grant_applications import ApplicationsPanel
from trustfund_app.gui.flow_layout import FlowLayout, pair
from trustfund_app.gui.grant_detail import GrantDetailPanel
from trustfund_app.gui.grant_widgets import date_cell, fit_columns, make_table, money_cell, select_where, selected_row, select_row, visible_rows
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel

COLUMNS = (
    Column(N_("Agreement"), lambda g: g.reference),
    Column(N_("Cycle"), lambda g: f"{g.cycle_number:04d} {g.sub_programme or ''}",
           lambda g: f"{g.cycle_number} · {g.sub_programme}" if g.sub_programme else str(g.cycle_number)),
    Column(N_("Grantee"), lambda g: g.grantee),
    Column(N_("Country"), lambda g: country_label(g.country)),
    Column(N_("Amount"), lambda g: g.amount.amount, lambda g: money_cell(g.amount), numeric=True),
    Column(N_("Paid"), lambda g: g.paid.amount, lambda g: money_cell(g.paid), numeric=True),
    Column(N_("Still to pay"), lambda g: g.to_pay.amount, lambda g: money_cell(g.to_pay), numeric=True),
    Column(N_("End"), lambda g: g.end, lambda g: date_cell(g.end)),
    Column(N_("Status"), lambda g: g.status, lambda g: _(GRANT_STATUS_LABELS[g.status])),
)


@dataclass(frozen=True)
class GrantsData:
    cycles: list
    grantees: list
    grants: list
    applications: list


class GrantsScreen(Screen):
    watches = frozenset({"grant", "application", "cycle", "grantee", "refund", "victims", "setting"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.data: GrantsData | None = None
        self.pending_select: str | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("grants_tabs")
        # grants tab
        self.cycle_filter = self._combo("grants_cycle_filter")
        self.country_filter = self._combo("grants_country_filter")
        self.status_filter = self._combo("grants_status_filter")
        self.search = QLineEdit()
        self.search.setObjectName("grants_search")
        self.search.setClearButtonEnabled(True)
        self.model = RowsTableModel(COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "grants_table", self)
        fit_columns(self.table, {0: 105, 1: 75, 2: 230, 3: 110, 4: 105, 5: 105, 6: 105, 7: 120})  # dates: "2018年12月31日"
        self.search.textChanged.connect(self._search_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._grant_selected())
        self.totals = QLabel()
        self.totals.setObjectName("grants_totals")
        self.detail = GrantDetailPanel(ctx, self)
        self.filter_labels = [QLabel(), QLabel(), QLabel()]
        filters = FlowLayout()  # wraps where the labels are long
        for label, combo in zip(self.filter_labels, (self.cycle_filter, self.country_filter, self.status_filter)):
            filters.addWidget(pair(label, combo))
        filters.addWidget(self.search)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(filters)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.totals)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 370])
        self.grants_page = QWidget()
        page_layout = QVBoxLayout(self.grants_page)
        page_layout.addWidget(splitter)
        # applications tab
        self.applications = ApplicationsPanel(ctx, self)
        self.applications.grant_approved = self._grant_approved
        self.tabs.addTab(self.grants_page, "")
        self.tabs.addTab(self.applications, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.retranslate()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setMinimumContentsLength(12)
        combo.currentIndexChanged.connect(lambda _i: self._filter())
        return combo

    def retranslate(self) -> None:
        self.title.setText(_("Grants"))
        self.tabs.setTabText(0, _("Grants"))
        self.tabs.setTabText(1, _("Applications and decisions"))
        for label, text in zip(self.filter_labels, (_("Cycle"), _("Country"), _("Status"))):
            label.setText(text)
        self.search.setPlaceholderText(_("Search…"))
        self.model.retranslate()
        self._fill_filters()
        self._filter()  # the totals line under the table, in the new language
        self.applications.retranslate()
        self.detail.retranslate()

    # -- data --------------------------------------------------------------------------------
    def reload(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def work(_job):
            return GrantsData(CycleService(db, actor).list(), GranteeService(db, actor).list(),
                              GrantService(db, actor).list(), ApplicationService(db, actor).list())

        self.run(work, self._show_data)

    def _show_data(self, data: GrantsData) -> None:
        self.data = data
        self._fill_filters()
        self._filter()
        self.applications.show_rows(data.applications, data.cycles, data.grantees)
        if self.pending_select:
            self.select_grant(self.pending_select)
            self.pending_select = None
        self.detail.load(self.detail.grant_id)

    def _fill_filters(self) -> None:
        combos = (self.cycle_filter, self.country_filter, self.status_filter)
        kept = [c.currentData() for c in combos]
        for c in combos:
            c.blockSignals(True)
            c.clear()
            c.addItem(_("All"), None)
        if self.data:
            for cycle in sorted(self.data.cycles, key=lambda c: -c.number):
                self.cycle_filter.addItem(_("Cycle {number} ({year})").format(number=cycle.number, year=cycle.year), cycle.id)
            for label, code in sorted({(country_label(g.country), g.country) for g in self.data.grants}):
                self.country_filter.addItem(label, code)
        for status in GrantStatus:
            self.status_filter.addItem(_(GRANT_STATUS_LABELS[status]), status.value)
        for c, value in zip(combos, kept):
            c.setCurrentIndex(max(0, c.findData(value)))
            c.blockSignals(False)

    def _filter(self) -> None:
        if not self.data:
            return
        cycle, country, status = (c.currentData() for c in (self.cycle_filter, self.country_filter, self.status_filter))
        rows = [g for g in self.data.grants if (not cycle or g.cycle_id == cycle) and (not country or g.country == country)
                and (not status or g.status == status)]
        current = selected_row(self.table)
        self.model.set_rows(rows)
        if current:
            select_where(self.table, lambda g: g.id == current.id)
        self._show_totals()
        if not selected_row(self.table):
            self.detail.load(None)

    def _search_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._show_totals()

    def _show_totals(self) -> None:
        """The footer counts what the list shows: filters and the text search."""
        rows = visible_rows(self.table)
        total = sum((g.amount for g in rows), Money.zero(USD))
        paid = sum((g.paid for g in rows), Money.zero(USD))
        self.totals.setText(ngettext("{count} grant · {amount} approved · {paid} paid",
                                     "{count} grants · {amount} approved · {paid} paid", len(rows)).format(
            count=format_number(len(rows)), amount=format_money(total), paid=format_money(paid)))

    def _grant_selected(self) -> None:
        grant = selected_row(self.table)
        self.detail.load(grant.id if grant else None)

    def _grant_approved(self, grant_id: str) -> None:
        """After the Board's approval, show the new grant (selected once the list has reloaded)."""
        self.pending_select = grant_id
        self.tabs.setCurrentIndex(0)
        if not self.select_grant(grant_id):
            self.reload()

    def select_grant(self, grant_id: str) -> bool:
        """Show the Grants tab with ``grant_id`` selected (clearing filters that hide it)."""
        self.tabs.setCurrentIndex(0)
        if not select_where(self.table, lambda g: g.id == grant_id):
            for combo in (self.cycle_filter, self.country_filter, self.status_filter):
                combo.setCurrentIndex(0)
            self.search.clear()
            return select_where(self.table, lambda g: g.id == grant_id)
        return True

    def shot_hook(self, what: str) -> None:
        """For screenshots: select a grant by its position or show the applications tab."""
        if what == "applications":
            self.tabs.setCurrentIndex(1)
            self.applications.status.setCurrentIndex(1)
        elif what.startswith("grant"):
            select_row(self.table, int(what[5:] or 0))
        elif what.startswith("tab"):  # "tab2row1": detail tab 2 of the grant in row 1
            tab, _sep, row = what[3:].partition("row")
            select_row(self.table, int(row or 0))
            self.detail.tabs.setCurrentIndex(int(tab))
