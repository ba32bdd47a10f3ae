"""The dashboard's chart panels: each shows one aggregate as a chart and, beside it, the same
figures as a sortable table (and a total line), so nothing is only a picture."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout

from trustfund_app.core.countries import REGION_LABELS
from trustfund_app.core.i18n import N_, _, format_date, format_money, format_number, ngettext, pN_
from trustfund_app.core.models import DONOR_TYPE_LABELS
from trustfund_app.core.money import USD, Money
from trustfund_app.core.services.dashboard import DONOR_TYPES
from trustfund_app.core.services.outstanding import AGE_BUCKETS
from trustfund_app.gui import charts
from trustfund_app.gui.grant_widgets import make_table
from trustfund_app.gui.table_model import Column, RowsTableModel

ZERO = Money.zero(USD)
BUCKET_ORDER = [bucket[0] for bucket in AGE_BUCKETS]


def money_column(header: str, get, context: str | None = None, plain: bool = False) -> Column:
    """``plain``: the figure without its currency, for a table whose caption names it (US dollars)."""
    shown = (lambda r: format_number(get(r).amount, digits=2)) if plain else (lambda r: format_money(get(r)))
    return Column(header, lambda r: get(r).amount, shown, numeric=True, context=context)


def count_column(header: str, get) -> Column:
    return Column(header, get, lambda r: format_number(get(r)), numeric=True)


def year_column() -> Column:
    return Column(N_("Year"), lambda r: r.year, lambda r: str(r.year))


def share_text(part: Decimal, whole: Decimal) -> str:
    if not whole:
        return ""
    return _("{share} %").format(share=format_number(part / whole * 100, digits=1))


def type_label(key: str) -> str:
    return _(DONOR_TYPE_LABELS[key]) if key in DONOR_TYPE_LABELS else key


def region_text(key: str | None) -> str:
    return _(REGION_LABELS[key]) if key in REGION_LABELS else _("No region")


class ChartPanel(QGroupBox):
    """A titled box with the chart and the same figures as a table: beside the chart for narrow
    tables, under it for wide ones (one column per donor type or group)."""

    def __init__(self, name: str, title: str, columns, parent=None, below: bool = False, stretch: int | None = None):
        super().__init__(parent)
        self.setObjectName(f"dashboard_{name}")
        self.title_msgid = title
        self.chart = charts.chart_view(f"dashboard_{name}_chart")
        self.model = RowsTableModel(columns, self)
        self.model.word_per_line = True  # "Outstanding / (USD)": every column in view at 1200 px
        self.table, self.proxy = make_table(self.model, f"dashboard_{name}_table", self, 0, small=True)
        if below:  # years in order, as in the chart above; no sort arrow to make room for in each header
            self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(stretch is None and not below)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel()
        self.note.setObjectName(f"dashboard_{name}_note")
        self.note.setWordWrap(True)
        self.side = side = QVBoxLayout()
        side.addWidget(self.table, 1)
        side.addWidget(self.note)
        layout = QVBoxLayout(self) if below else QHBoxLayout(self)
        # chart and table share the width equally: the table's last column stays in view at 1200 px
        layout.addWidget(self.chart, 1)
        layout.addLayout(side, 1)
        self.chart.setMinimumHeight(260)
        self.table.setMinimumHeight(170 if below else 200)

    def retranslate(self) -> None:
        self.setTitle(_(self.title_msgid))
        self.model.retranslate()

    def set_rows(self, rows) -> None:
        self.model.set_rows(rows)
        if not rows:
            charts.show_message(self.chart, _("Nothing recorded up to this date."))
        else:
            charts.clear_message(self.chart)


# -- the panels -------------------------------------------------------------------------------
def _type_column(key: str) -> Column:
    return money_column(DONOR_TYPE_LABELS[key], lambda r, k=key: r.by_type.get(k, ZERO), plain=True)


class ContributionsPanel(ChartPanel):
    def __init__(self, parent=None):
        # nine columns (a year, seven donor types, the total) in 1200 px: figures without "$US", and a
        # caption that says they are US dollars
        columns = [year_column(), *(_type_column(k) for k in DONOR_TYPES),
                   money_column(N_("Total"), lambda r: r.total, plain=True)]
        super().__init__("contributions", N_("Contributions received by year and donor type"), columns, parent, below=True)
        self.caption = QLabel(objectName="dashboard_contributions_caption")
        self.side.insertWidget(0, self.caption)

    def retranslate(self) -> None:
        super().retranslate()
        self.caption.setText(_("Amounts in US dollars"))

    def show_data(self, data) -> None:
        years = data.contributions_by_year
        self.set_rows(years)
        for i, key in enumerate(DONOR_TYPES, start=1):
            self.table.setColumnHidden(i, key not in data.donor_types)
        total = sum((y.total for y in years), ZERO)
        self.note.setText(_("Total received: {amount}").format(amount=format_money(total)))
        if years:
            charts.show_bars(self.chart, [str(y.year) for y in years],
                             [(type_label(k), [y.by_type.get(k, ZERO) for y in years]) for k in data.donor_types],
                             stacked=True)


class TopDonorsPanel(ChartPanel):
    def __init__(self, parent=None):
        columns = [
            Column(N_("Donor"), lambda r: r.name),
            money_column(N_("Received"), lambda r: r.usd),
            Column(N_("Share"), lambda r: r.usd.amount, lambda r: share_text(r.usd.amount, self.total.amount),
                   numeric=True),
        ]
        super().__init__("top_donors", N_("Top donors (received since inception)"), columns, parent, stretch=0)
        self.total = ZERO
        self.chart.setMinimumHeight(330)  # room for every donor's name (Qt hides labels that overlap)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)

    def show_data(self, data) -> None:
        self.total = data.position.received if data.position else sum((y.total for y in data.contributions_by_year), ZERO)
        donors = data.top_donors
        self.set_rows(donors)
        shown = sum((d.usd for d in donors), ZERO)
        self.note.setText(ngettext("This donor gave {share} of all contributions received.",
                                   "These {count} donors gave {share} of all contributions received.",
                                   len(donors)).format(
            count=format_number(len(donors)), share=share_text(shown.amount, self.total.amount)) if donors else "")
        if donors:
            charts.show_bars(self.chart, [charts.short_label(d.name) for d in donors], [(_("Received"), [d.usd for d in donors])],
                             horizontal=True)


class OutstandingPanel(ChartPanel):
    def __init__(self, parent=None):
        columns = [
            Column(N_("Age"), lambda r: BUCKET_ORDER.index(r.key), lambda r: _(r.label)),
            count_column(N_("Donors"), lambda r: r.donors),
            money_column(N_("Outstanding (USD)"), lambda r: r.usd),
            Column(N_("Share"), lambda r: r.usd.amount, lambda r: share_text(r.usd.amount, self.total.amount),
                   numeric=True),
        ]
        # the age takes the room left (its text shortens, whole in the tooltip): the share stays in view
        super().__init__("outstanding", N_("Outstanding pledges by age of the oldest pledge"), columns, parent, stretch=0)
        self.total = ZERO

    def show_data(self, data) -> None:
        report = data.outstanding
        if report is None:
            self.set_rows([])
            self.note.setText(data.position_error or "")
            return
        self.total = report.total_usd
        buckets = report.buckets if report.total_usd.amount else []
        self.set_rows(buckets)
        self.note.setText(ngettext("Outstanding pledges: {amount} from {count} donor, valued at the rates of {date}.",
                                   "Outstanding pledges: {amount} from {count} donors, valued at the rates of {date}.",
                                   report.donors).format(
            amount=format_money(report.total_usd), count=format_number(report.donors), date=format_date(report.as_of)))
        if buckets:
            charts.show_bars(self.chart, [_(b.label) for b in buckets], [(_("Outstanding"), [b.usd for b in buckets])])


class CommitmentsPanel(ChartPanel):
    def __init__(self, parent=None):
        columns = [
            Column(N_("Cycle"), lambda r: r.cycle_number, lambda r: format_number(r.cycle_number)),
            money_column(pN_("amount", "Approved"), lambda r: r.approved, "amount"),
            money_column(N_("Paid"), lambda r: r.paid),
            money_column(N_("Committed"), lambda r: r.committed),
        ]
        super().__init__("commitments", N_("Commitments by grant cycle"), columns, parent)

    def show_data(self, data) -> None:
        cycles = data.commitments
        self.set_rows(cycles)
        total = sum((c.committed for c in cycles), ZERO)
        self.note.setText(_("Approved grants not yet paid: {amount}").format(amount=format_money(total)))
        if cycles:
            labels = [_("Cycle {number}").format(number=format_number(c.cycle_number)) for c in cycles]
            charts.show_bars(self.chart, labels, [(_("Paid"), [c.paid for c in cycles]),
                                                  (_("Committed"), [c.committed for c in cycles])], stacked=True)


class DisbursementsPanel(ChartPanel):
    def __init__(self, parent=None):
        columns = [
            year_column(),
            money_column(N_("Disbursements"), lambda r: r.disbursed),
            money_column(N_("PSC"), lambda r: r.psc),
            money_column(N_("Total"), lambda r: r.total),
        ]
        super().__init__("disbursements", N_("Disbursements by year (net of refunds)"), columns, parent)

    def show_data(self, data) -> None:
        years = data.disbursements_by_year
        self.set_rows(years)
        total = sum((y.disbursed for y in years), ZERO)
        psc = sum((y.psc for y in years), ZERO)
        self.note.setText(_("Disbursed {amount}, programme support costs {psc}.").format(
            amount=format_money(total), psc=format_money(psc)))
        if years:
            charts.show_bars(self.chart, [str(y.year) for y in years],
                             [(_("Disbursements"), [y.disbursed for y in years]), (_("PSC"), [y.psc for y in years])],
                             stacked=True)


class RegionsPanel(ChartPanel):
    def __init__(self, parent=None):
        columns = [
            Column(N_("Region"), lambda r: region_text(r.region)),
            count_column(N_("Grants"), lambda r: r.grants),
            money_column(N_("Amount"), lambda r: r.usd),
        ]
        super().__init__("regions", N_("Grants by region"), columns, parent)

    def show_data(self, data) -> None:
        regions = data.grants_by_region
        self.set_rows(regions)
        total = sum((r.usd for r in regions), ZERO)
        count = sum(r.grants for r in regions)
        self.note.setText(ngettext_grants(count, total))
        if regions:
            charts.show_pie(self.chart, [(region_text(r.region), r.usd) for r in regions])


def ngettext_grants(count: int, total: Money) -> str:
    from trustfund_app.core.i18n import ngettext

    return ngettext("{count} grant, {amount}", "{count} grants, {amount}", count).format(
        count=format_number(count), amount=format_money(total))


VICTIM_GROUPS = (("women", N_("Women")), ("girls", N_("Girls")), ("men", N_("Men")), ("boys", N_("Boys")))


class VictimsPanel(ChartPanel):
    def __init__(self, parent=None):
        columns = [year_column(), *(count_column(label, lambda r, k=key: getattr(r, k)) for key, label in VICTIM_GROUPS),
                   count_column(N_("Total"), lambda r: r.total)]
        super().__init__("victims", N_("Victims assisted by year"), columns, parent, below=True)

    def show_data(self, data) -> None:
        years = data.victims_by_year
        self.set_rows(years)
        total = sum(y.total for y in years)
        self.note.setText(_("Victims assisted in all: {count}").format(count=format_number(total)))
        if years:
            charts.show_bars(self.chart, [str(y.year) for y in years],
                             [(_(label), [getattr(y, key) for y in years]) for key, label in VICTIM_GROUPS],
                             stacked=True, money=False, value_title=_("People"))


PANELS = (ContributionsPanel, TopDonorsPanel, OutstandingPanel, CommitmentsPanel, DisbursementsPanel, RegionsPanel,
          VictimsPanel)
