"""Exchange rates: the UNORE table by currency and effective date, with how many transactions each
rate was used for and, for the selected rate, which ones. Add one rate, add a whole month's list,
or correct a rate: a correction applies to what is recorded from then on; the USD equivalents
already recorded never change (they keep the rate they were recorded with)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from trustfund_app.core.i18n import (
    N_, _, currency_name, format_date, format_money, format_number, format_rate, ngettext,
)
from trustfund_app.core.models.contributions import KIND_LABELS
from trustfund_app.core.services.rate_table import RateTableService, in_force
from trustfund_app.core.services.rates import RateService
from trustfund_app.gui.flow_layout import FlowLayout
from trustfund_app.gui.grant_widgets import date_edit, fit_columns, make_table, select_row, select_where, selected_row
from trustfund_app.gui.rate_dialog import change_text
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel


def _change(r) -> str:
    """The change from the currency's previous rate (a large jump is often a typing error)."""
    return change_text(r.change_percent)


RATE_COLUMNS = (
    Column(N_("Currency"), lambda r: r.currency),
    Column(N_("Name"), lambda r: currency_name(r.currency)),
    Column(N_("Effective from"), lambda r: r.effective_date, lambda r: format_date(r.effective_date)),
    Column(N_("Rate per USD"), lambda r: r.rate, lambda r: format_rate(r.rate), numeric=True),
    Column(N_("Change"), lambda r: r.change_percent, _change, numeric=True),
    Column(N_("Used by"), lambda r: r.used_by, lambda r: format_number(r.used_by), numeric=True),
)

USAGE_COLUMNS = (
    Column(N_("Date"), lambda u: u.date, lambda u: format_date(u.date)),
    Column(N_("Kind"), lambda u: u.kind, lambda u: _(KIND_LABELS.get(u.kind, u.kind))),
    Column(N_("Donor"), lambda u: u.donor),
    Column(N_("Amount"), lambda u: u.amount.amount, lambda u: format_money(u.amount), numeric=True),
    Column(N_("Rate kept"), lambda u: u.rate, lambda u: format_rate(u.rate), numeric=True),
    Column(N_("USD equivalent"), lambda u: u.usd.amount, lambda u: format_money(u.usd), numeric=True),
    Column(N_("Receipt"), lambda u: u.receipt_number or ""),
    Column(N_("Reference"), lambda u: u.reference or ""),
)


class RatesScreen(Screen):
    watches = frozenset({"exchange_rate", "contribution"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.rows = []  # shown
        self.all_rows = []  # loaded (for the currency chosen)
        self.currencies: list[str] = []
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.title.setWordWrap(True)
        self.currency_label = QLabel()
        self.currency_filter = QComboBox()
        self.currency_filter.setObjectName("rates_currency")
        self.currency_filter.setMinimumContentsLength(14)
        self.currency_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.currency_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.in_force = QCheckBox()
        self.in_force.setObjectName("rates_in_force")
        self.in_force.toggled.connect(self._toggle_in_force)
        self.in_force_date = date_edit(date.today(), "rates_in_force_date")
        self.in_force_date.dateChanged.connect(lambda _d: self._show_rows() if self.in_force.isChecked() else None)
        self.add_button = QPushButton()
        self.add_button.setObjectName("rates_add")
        self.add_button.clicked.connect(self.add_rate)
        self.month_button = QPushButton()
        self.month_button.setObjectName("rates_add_month")
        self.month_button.clicked.connect(self.add_month)
        self.correct_button = QPushButton()
        self.correct_button.setObjectName("rates_correct")
        self.correct_button.clicked.connect(self.correct_rate)
        self.import_button = QPushButton()
        self.import_button.setObjectName("rates_import")
        self.import_button.clicked.connect(self.open_import)
        self.export_button = QPushButton()
        self.export_button.setObjectName("rates_export")
        self.export_button.clicked.connect(self.export_current)
        self.model = RowsTableModel(RATE_COLUMNS, self)
        self.table, self.proxy = make_table(self.model, "rates_table", self, 2, order=Qt.SortOrder.DescendingOrder)
        fit_columns(self.table, {0: 80, 2: 130, 3: 120, 4: 100, 5: 90})
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.table.doubleClicked.connect(lambda _i: self.correct_rate())
        self.summary = QLabel()
        self.summary.setObjectName("rates_summary")
        self.usage_title = QLabel()
        self.usage_title.setObjectName("rates_usage_title")
        self.usage_title.setWordWrap(True)
        self.usage_model = RowsTableModel(USAGE_COLUMNS, self)
        self.usage_table, self.usage_proxy = make_table(self.usage_model, "rates_usage", self, 0)
        fit_columns(self.usage_table, {0: 110, 1: 80, 2: 220, 3: 130, 4: 90, 5: 120, 6: 120})
        self.note = QLabel()
        self.note.setObjectName("rates_note")
        self.note.setWordWrap(True)
        # short rows (title, filters, then the actions under the list): 1024 px wide in every language
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        filters = QHBoxLayout()
        filters.addWidget(self.currency_label)
        filters.addWidget(self.currency_filter)
        filters.addSpacing(12)
        filters.addWidget(self.in_force)
        filters.addWidget(self.in_force_date)
        filters.addStretch()
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        buttons = FlowLayout(align_end=True)  # a second line rather than a wider window (Spanish)
        for button in (self.add_button, self.month_button, self.correct_button):
            buttons.addWidget(button)
        actions.addLayout(buttons, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.usage_title)
        lower_layout.addWidget(self.usage_table, 1)
        lower_layout.addWidget(self.note)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.retranslate()

    # -- texts ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Exchange rates (UNORE)"))
        self.currency_label.setText(_("Currency"))
        self.in_force.setText(_("Only the rates in force on"))
        self.add_button.setText(_("Add a rate…"))
        self.month_button.setText(_("Add a month's list…"))
        self.correct_button.setText(_("Correct the rate…"))
        self.export_button.setText(_("Export to Excel…"))
        self.import_button.setText(_("Import from Excel…"))
        self.note.setText(_("Changing a rate never changes the USD equivalents already recorded: each transaction "
                            "keeps the rate it was recorded with."))
        self._fill_currency_filter()
        self.model.retranslate()
        self.usage_model.retranslate()
        self._show_summary()
        self._selected()

    def _fill_currency_filter(self) -> None:
        current = self.currency_filter.currentData()
        self.currency_filter.blockSignals(True)
        self.currency_filter.clear()
        self.currency_filter.addItem(_("All currencies"), None)
        for code in self.currencies:
            self.currency_filter.addItem(_("{code} – {name}").format(code=code, name=currency_name(code)), code)
        index = self.currency_filter.findData(current)
        self.currency_filter.setCurrentIndex(max(index, 0))
        self.currency_filter.blockSignals(False)

    def _show_summary(self) -> None:
        currencies = {r.currency for r in self.rows}
        if self.in_force.isChecked():
            self.summary.setText(ngettext("{count} rate in force on {date}", "{count} rates in force on {date}",
                                          len(self.rows)).format(count=format_number(len(self.rows)),
                                                                 date=format_date(self.in_force_date.date().toPython())))
            return
        self.summary.setText(ngettext("{count} rate", "{count} rates", len(self.rows)).format(
            count=format_number(len(self.rows))) + " · " + ngettext(
            "{count} currency", "{count} currencies", len(currencies)).format(count=format_number(len(currencies))))

    # -- data ----------------------------------------------------------------------------
    def reload(self) -> None:
        service, currency = self.ctx.service(RateTableService), self.currency_filter.currentData()
        rate_service = self.ctx.service(RateService)

        def work(_job):
            return currency, service.rows(currency), rate_service.currencies()

        self.run(work, self._loaded)

    def _loaded(self, result) -> None:
        currency, rows, currencies = result
        if currency != self.currency_filter.currentData():
            return  # an earlier request finished late; the one for the filter shown follows
        self.all_rows = rows
        if currencies != self.currencies:
            self.currencies = currencies
            self._fill_currency_filter()
        self._show_rows()

    def _toggle_in_force(self, on: bool) -> None:
        # one rate per currency reads best by currency; the whole history newest first
        if on:
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        else:
            self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self._show_rows()

    def _show_rows(self) -> None:
        """Every rate, or per currency the one a transaction on the chosen date would use."""
        previous = selected_row(self.table)
        rows = self.all_rows
        if self.in_force.isChecked():
            rows = in_force(rows, self.in_force_date.date().toPython())
        self.rows = rows
        self.model.set_rows(rows)
        if previous is None or not select_where(
                self.table, lambda r: (r.currency, r.effective_date) == (previous.currency, previous.effective_date)):
            if self.proxy.rowCount():
                select_row(self.table, 0)
        self._show_summary()
        self._selected()

    def _selected(self) -> None:
        row = selected_row(self.table)
        writable = self.ctx.actor is not None and self.ctx.actor.can("rates")
        for button in (self.add_button, self.month_button, self.import_button):
            button.setEnabled(writable)
        self.correct_button.setEnabled(writable and row is not None)
        if row is None:
            self.usage_title.setText(_("Select a rate to see the transactions recorded with it."))
            self.usage_model.set_rows([])
            return
        self.usage_title.setText(ngettext(
            "{count} transaction recorded with {currency} {rate} from {date}:",
            "{count} transactions recorded with {currency} {rate} from {date}:", row.used_by).format(
            count=format_number(row.used_by), currency=row.currency, rate=format_rate(row.rate),
            date=format_date(row.effective_date)))
        service, key = self.ctx.service(RateTableService), (row.currency, row.effective_date)
        self.run(lambda _job: (key, service.uses(*key)), self._loaded_usage)

    def _loaded_usage(self, result) -> None:
        key, usage = result
        row = selected_row(self.table)
        if row is not None and (row.currency, row.effective_date) == key:
            self.usage_model.set_rows(usage)
            if row.used_by > len(usage):
                self.usage_title.setText(self.usage_title.text() + " " + ngettext(
                    "(the first {shown} is listed)", "(the first {shown} are listed)", len(usage)).format(
                    shown=format_number(len(usage))))

    # -- actions -------------------------------------------------------------------------
    def add_rate(self) -> None:
        from trustfund_app.gui.rate_dialog import RateDialog

        dialog = RateDialog(self.ctx, self.currencies, parent=self)
        code = self.currency_filter.currentData()
        if code:
            dialog.currency.setEditText(code)
        self._open(dialog)

    def add_month(self) -> None:
        from trustfund_app.gui.rate_month_dialog import MonthRatesDialog

        service = self.ctx.service(RateTableService)
        self.run(lambda _job: service.next_list_date(date.today()),
                 lambda on: self._open(MonthRatesDialog(self.ctx, on, parent=self)))

    def correct_rate(self) -> None:
        from trustfund_app.gui.rate_dialog import RateDialog

        row = selected_row(self.table)
        if row is not None and self.correct_button.isEnabled():
            self._open(RateDialog(self.ctx, self.currencies, existing=row, parent=self))

    def _open(self, dialog) -> None:
        self.dialog = dialog  # kept for tests and so that its connections stay alive
        dialog.finished.connect(lambda _r: self.reload())
        dialog.open()

    def open_import(self) -> None:
        """The import wizard, set to exchange rates (a UNORE list kept as a spreadsheet)."""
        window = self.window()
        if hasattr(window, "show_screen"):
            wizard = window.show_screen("import")
            index = wizard.kind.findData("rates") if hasattr(wizard, "kind") else -1
            if index >= 0:
                wizard.kind.setCurrentIndex(index)
            return wizard
        return None

    def export_current(self) -> None:
        """The rates the table shows (currency filter, sort order) to .xlsx."""
        self.export_table(self.table, _("exchange-rates"), _("Exchange rates"))

    def export_to(self, path: str):
        return self.export_table(self.table, "", _("Exchange rates"), path)
