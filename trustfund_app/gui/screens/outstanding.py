"""Outstanding pledges at an as-of date: per donor (or per donor and pledge currency) and overall,
in the pledge currency and in USD at the rate in force on that date, with the age of the oldest
pledge still outstanding and totals per age bucket and per currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout,
    QWidget,
)

from trustfund_app.core.i18n import N_, _, format_amount, format_date, format_money, format_number, ngettext
from trustfund_app.core.money import USD
from trustfund_app.core.services.outstanding import AGE_BUCKETS, BUCKET_LABELS, OutstandingService
from trustfund_app.core.services.rates import RateService
from trustfund_app.gui.grant_widgets import date_edit, fit_columns, make_table
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import Column, RowsTableModel


def age_text(days: int) -> str:
    """Days under a year; years with one decimal beyond (2.5 years)."""
    if days < 365:
        return ngettext("{count} day", "{count} days", days).format(count=format_number(days))
    years = (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.1"))
    # a fraction takes the plural ("2.5 years"; in Russian the genitive singular: "2,5 года")
    return ngettext("{count} year", "{count} years", 2 if years != int(years) else int(years)).format(
        count=format_number(years, digits=1))


def _amounts(donor) -> str:
    return "; ".join(format_money(line.outstanding) for line in donor.lines)


DONOR_COLUMNS = (
    Column(N_("Donor"), lambda d: d.donor_name),
    Column(N_("Outstanding (pledge currency)"), lambda d: _amounts(d)),
    Column(N_("USD at the as-of rate"), lambda d: d.usd.amount, lambda d: format_money(d.usd), numeric=True),
    Column(N_("Oldest pledge"), lambda d: d.oldest, lambda d: format_date(d.oldest)),
    Column(N_("Age"), lambda d: d.age_days, lambda d: age_text(d.age_days), numeric=True),
    Column(N_("Age bucket"), lambda d: d.age_days, lambda d: _(BUCKET_LABELS[d.bucket])),
)

LINE_COLUMNS = (
    Column(N_("Donor"), lambda r: r.donor_name),
    Column(N_("Currency"), lambda r: r.currency),
    Column(N_("Outstanding"), lambda r: r.outstanding.amount, lambda r: format_money(r.outstanding), numeric=True),
    Column(N_("USD at the as-of rate"), lambda r: r.usd.amount, lambda r: format_money(r.usd), numeric=True),
    Column(N_("Oldest pledge"), lambda r: r.oldest, lambda r: format_date(r.oldest)),
    Column(N_("Age"), lambda r: r.age_days, lambda r: age_text(r.age_days), numeric=True),
    Column(N_("Age bucket"), lambda r: r.age_days, lambda r: _(BUCKET_LABELS[r.bucket])),
)

BUCKET_COLUMNS = (
    Column(N_("Age"), lambda b: AGE_ORDER[b.key], lambda b: _(b.label)),
    Column(N_("Donors"), lambda b: b.donors, lambda b: format_number(b.donors), numeric=True),
    Column(N_("USD"), lambda b: b.usd.amount, lambda b: format_money(b.usd), numeric=True),
)

CURRENCY_COLUMNS = (
    Column(N_("Currency"), lambda c: c[0]),
    Column(N_("Outstanding"), lambda c: c[1].amount, lambda c: format_money(c[1]), numeric=True),
    Column(N_("Rate per USD"), lambda c: c[3] if c[3] is not None else Decimal(0),
           lambda c: "" if c[3] is None else _rate(c[3]), numeric=True),
    Column(N_("USD"), lambda c: c[2].amount, lambda c: format_money(c[2]), numeric=True),
)

PLEDGE_COLUMNS = (
    Column(N_("Date"), lambda p: p.date, lambda p: format_date(p.date)),
    Column(N_("Reference"), lambda p: p.reference or ""),
    Column(N_("Receipt"), lambda p: p.receipt_number or ""),
    Column(N_("Pledged"), lambda p: p.pledged.amount, lambda p: format_money(p.pledged), numeric=True),
    Column(N_("Paid"), lambda p: p.paid.amount, lambda p: format_money(p.paid), numeric=True),
    Column(N_("Outstanding"), lambda p: p.outstanding.amount, lambda p: format_money(p.outstanding), numeric=True),
    Column(N_("USD at the as-of rate"), lambda p: p.usd.amount, lambda p: format_money(p.usd), numeric=True),
    Column(N_("Age"), lambda p: p.age_days, lambda p: age_text(p.age_days), numeric=True),
)

AGE_ORDER = {key: i for i, (key, _label) in enumerate(AGE_BUCKETS)}
BY_DONOR, BY_CURRENCY = 0, 1


def _rate(value) -> str:
    from trustfund_app.core.i18n import format_rate

    return format_rate(value)


class OutstandingScreen(Screen):
    watches = frozenset({"contribution", "donor", "exchange_rate"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.report = None
        self.error: str | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.as_of_label = QLabel()
        self.as_of = date_edit(date.today(), "outstanding_as_of")
        self.as_of.dateChanged.connect(lambda _d: self.reload())
        self.view_label = QLabel()
        self.view_choice = QComboBox()
        self.view_choice.setObjectName("outstanding_view")
        self.view_choice.addItems(["", ""])
        self.view_choice.currentIndexChanged.connect(self._switch_view)
        self.age_label = QLabel()
        self.age_filter = QComboBox()
        self.age_filter.setObjectName("outstanding_age")
        self.age_filter.currentIndexChanged.connect(lambda _i: self._show_rows())
        for combo in (self.view_choice, self.age_filter):  # labels change length with the language
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.donor_button = QPushButton()
        self.donor_button.setObjectName("outstanding_open_donor")
        self.donor_button.clicked.connect(self.open_donor)
        self.export_button = QPushButton()
        self.export_button.setObjectName("outstanding_export")
        self.export_button.clicked.connect(self.export_current)

        self.donor_model = RowsTableModel(DONOR_COLUMNS, self)
        self.donor_table, self.donor_proxy = make_table(self.donor_model, "outstanding_donors", self, 2,
                                                        order=Qt.SortOrder.DescendingOrder)
        fit_columns(self.donor_table, {0: 240, 1: 250, 2: 165, 3: 110, 4: 90})
        self.line_model = RowsTableModel(LINE_COLUMNS, self)
        self.line_table, self.line_proxy = make_table(self.line_model, "outstanding_lines", self, 3,
                                                      order=Qt.SortOrder.DescendingOrder)
        fit_columns(self.line_table, {0: 240, 1: 70, 2: 150, 3: 165, 4: 110, 5: 90})
        self.stack = QStackedWidget()
        self.stack.addWidget(self.donor_table)
        self.stack.addWidget(self.line_table)
        for table in (self.donor_table, self.line_table):
            table.selectionModel().selectionChanged.connect(lambda *_a: self._load_pledges())
            table.clicked.connect(lambda _i: self.tabs.setCurrentIndex(1))
            table.doubleClicked.connect(lambda _i: self.open_donor())
        self.pledges_title = QLabel()
        self.pledges_title.setObjectName("outstanding_pledges_title")
        self.pledge_model = RowsTableModel(PLEDGE_COLUMNS, self)
        self.pledge_table, self.pledge_proxy = make_table(self.pledge_model, "outstanding_pledges", self, 0)
        fit_columns(self.pledge_table, {0: 110, 1: 150, 2: 120, 3: 130, 4: 130, 5: 130, 6: 130})
        self.total = QLabel()
        self.total.setObjectName("outstanding_total")
        self.total.setStyleSheet("font-weight:bold;")
        self.total.setWordWrap(True)
        self.bucket_group = QGroupBox()
        self.bucket_model = RowsTableModel(BUCKET_COLUMNS, self)
        self.bucket_table, self.bucket_proxy = make_table(self.bucket_model, "outstanding_buckets", self, 0, small=True)
        self.bucket_table.setSortingEnabled(False)
        QVBoxLayout(self.bucket_group).addWidget(self.bucket_table)
        self.currency_group = QGroupBox()
        self.currency_model = RowsTableModel(CURRENCY_COLUMNS, self)
        self.currency_table, self.currency_proxy = make_table(self.currency_model, "outstanding_currencies", self, 0,
                                                              small=True)
        QVBoxLayout(self.currency_group).addWidget(self.currency_table)

        # below the list: the selected donor's pledges, or the totals by age and by currency
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.pledges_title)
        detail_layout.addWidget(self.pledge_table, 1)
        totals = QWidget()
        totals_layout = QGridLayout(totals)
        totals_layout.addWidget(self.bucket_group, 0, 0)
        totals_layout.addWidget(self.currency_group, 0, 1)
        totals_layout.setColumnStretch(0, 2)  # the currency table has twice the columns
        totals_layout.setColumnStretch(1, 3)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("outstanding_tabs")
        self.tabs.addTab(totals, "")
        self.tabs.addTab(detail, "")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.total)
        lower_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.as_of_label)
        top.addWidget(self.as_of)
        filters = QHBoxLayout()
        filters.addWidget(self.view_label)
        filters.addWidget(self.view_choice)
        filters.addSpacing(16)
        filters.addWidget(self.age_label)
        filters.addWidget(self.age_filter)
        filters.addStretch()
        filters.addWidget(self.donor_button)
        filters.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        self.retranslate()

    # -- texts ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Outstanding pledges"))
        self.as_of_label.setText(_("As of"))
        self.view_label.setText(_("Show"))
        self.view_choice.setItemText(BY_DONOR, _("One row per donor"))
        self.view_choice.setItemText(BY_CURRENCY, _("One row per donor and currency"))
        self.age_label.setText(_("Age"))
        self.export_button.setText(_("Export to Excel…"))
        self.donor_button.setText(_("Open the donor"))
        current = self.age_filter.currentData()
        self.age_filter.blockSignals(True)
        self.age_filter.clear()
        self.age_filter.addItem(_("All ages"), None)
        for key, label in AGE_BUCKETS:
            self.age_filter.addItem(_(label), key)
        self.age_filter.setCurrentIndex(max(self.age_filter.findData(current), 0))
        self.age_filter.blockSignals(False)
        self.bucket_group.setTitle(_("By age of the oldest unpaid pledge"))
        self.currency_group.setTitle(_("By pledge currency"))
        self.tabs.setTabText(0, _("Totals"))
        self.tabs.setTabText(1, _("Open pledges of the selected donor"))
        for model in (self.donor_model, self.line_model, self.bucket_model, self.currency_model, self.pledge_model):
            model.retranslate()
        self._show_total()
        self._show_pledges_title()

    # -- data ----------------------------------------------------------------------------
    def reload(self) -> None:
        outstanding, rates = self.ctx.service(OutstandingService), self.ctx.service(RateService)
        at = self.as_of.date().toPython()

        def work(_job):
            report = outstanding.report(at)
            used = {code: rates.rate_for(code, at).rate for code in report.by_currency if code != USD}
            return report, used

        self.run(work, self._loaded, on_error=lambda exc: self._failed(exc, at))

    def _loaded(self, result) -> None:
        report, rates = result
        if report.as_of != self.as_of.date().toPython():
            return  # an earlier request finished late; the one for the date shown follows
        self.report, self.error = report, None
        report = self.report
        self.bucket_model.set_rows(report.buckets)
        self.currency_model.set_rows([(code, amount, report.usd_by_currency[code], rates.get(code))
                                      for code, amount in report.by_currency.items()])
        self._show_rows()

    def _failed(self, exc: Exception, at: date) -> None:
        if at != self.as_of.date().toPython():
            return
        self.report, self.error = None, str(exc)
        for model in (self.donor_model, self.line_model, self.bucket_model, self.currency_model, self.pledge_model):
            model.set_rows([])
        self._show_total()
        self.show_error(exc)

    def _show_rows(self) -> None:
        if self.report is None:
            return
        bucket = self.age_filter.currentData()
        # a donor is shown under an age when one of its currency balances is that old
        lines = [r for r in self.report.lines if bucket is None or r.bucket == bucket]
        shown = {r.donor_id for r in lines}
        donors = [d for d in self.report.per_donor if d.donor_id in shown]
        previous = self.selected_donor()
        self.donor_model.set_rows(donors)
        self.line_model.set_rows(lines)
        if previous is not None:  # the same donor stays selected across reloads
            from trustfund_app.gui.grant_widgets import select_where

            for table in (self.donor_table, self.line_table):
                select_where(table, lambda r: r.donor_id == previous[0])
        self._show_total()
        self._load_pledges()

    def _switch_view(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self._load_pledges()

    def selected_donor(self):
        """(donor id, name) of the row selected in the list shown, or None."""
        from trustfund_app.gui.grant_widgets import selected_row

        row = selected_row(self.stack.currentWidget())
        return (row.donor_id, row.donor_name) if row is not None else None

    def open_donor(self):
        """The Donors screen, searched for the selected donor (its pledges, payments, contacts)."""
        donor, window = self.selected_donor(), self.window()
        if donor is None or not hasattr(window, "show_screen"):
            return None
        screen = window.show_screen("donors")
        screen.search.setText(donor[1])

        def select_it():
            if screen.proxy.rowCount():
                screen.select_row(0)
                return True
            return False

        if not select_it():  # still loading: select once the list is in
            self._donor_connection = screen.model.modelReset.connect(
                lambda: select_it() and screen.model.modelReset.disconnect(self._donor_connection))
        return screen

    def _load_pledges(self) -> None:
        donor = self.selected_donor()
        self.donor_button.setEnabled(donor is not None)
        self._show_pledges_title()
        if donor is None or self.report is None:
            self.pledge_model.set_rows([])
            return
        service, at = self.ctx.service(OutstandingService), self.report.as_of
        self.run(lambda _job: (donor[0], at, service.donor_pledges(donor[0], at)), self._loaded_pledges)

    def _loaded_pledges(self, result) -> None:
        donor_id, at, pledges = result
        donor = self.selected_donor()
        if donor is not None and donor[0] == donor_id and self.report is not None and self.report.as_of == at:
            self.pledge_model.set_rows(pledges)

    def _show_pledges_title(self) -> None:
        donor = self.selected_donor()
        self.pledges_title.setText(
            _("Open pledges of {donor} on {date}").format(donor=donor[1], date=format_date(self.report.as_of))
            if donor is not None and self.report is not None else _("Select a donor to see its open pledges."))

    def _show_total(self) -> None:
        if self.error:
            self.total.setText(self.error)
            return
        report = self.report
        if report is None:
            self.total.setText("")
            return
        if not report.per_donor:
            self.total.setText(_("No pledge is outstanding on {date}.").format(date=format_date(report.as_of)))
            return
        text = ngettext("{amount} outstanding from {count} donor on {date}, valued at the rates in force that day",
                        "{amount} outstanding from {count} donors on {date}, valued at the rates in force that day",
                        report.donors).format(amount=format_money(report.total_usd), count=format_number(report.donors),
                                              date=format_date(report.as_of))
        bucket = self.age_filter.currentData()
        if bucket is not None:
            lines = self.line_model.rows
            subtotal = sum((r.usd.amount for r in lines), Decimal(0))
            count = len({r.donor_id for r in lines})
            text += " · " + ngettext("of that age: {amount} from {count} donor",
                                     "of that age: {amount} from {count} donors", count).format(
                amount=format_amount(subtotal, USD), count=format_number(count))
        self.total.setText(text)

    def export_current(self) -> None:
        """What the list shows (view, age filter, sort order) to .xlsx."""
        self.export_table(self.stack.currentWidget(), _("outstanding-pledges"), _("Outstanding pledges"))

    def export_to(self, path: str):
        return self.export_table(self.stack.currentWidget(), "", _("Outstanding pledges"), path)
