"""The dashboard screen: the fund position and its charts, each with the same figures as a table;
it follows new contributions and the as-of date, and draws right to left in Arabic."""

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QPieSeries
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QAbstractItemModelTester

from trustfund_app.core.services.contributions import ContributionService
from trustfund_app.core.services.donors import DonorService


@pytest.fixture
def donors(db, admin, eur_rates):
    service = DonorService(db, admin)
    norway = service.create("Norway", "member_state", "NO", "en")
    acme = service.create("Acme Foundation", "foundation", "US", "en")
    contributions = ContributionService(db, admin)
    contributions.record_payment(norway, date(2025, 3, 1), Decimal("100000"), "USD")
    contributions.record_payment(acme, date(2026, 2, 1), Decimal("9200"), "EUR")  # 10,000.00 USD
    contributions.record_pledge(acme, date(2026, 3, 1), Decimal("5000"), "USD")
    return {"norway": norway, "acme": acme}


def table_texts(panel) -> list[list[str]]:
    proxy = panel.proxy
    return [[proxy.index(r, c).data() for c in range(proxy.columnCount()) if not panel.table.isColumnHidden(c)]
            for r in range(proxy.rowCount())]


def open_dashboard(qtbot, main_window, as_of=date(2026, 12, 31)):
    screen = main_window.show_screen("dashboard")
    screen.as_of.setDate(QDate(as_of.year, as_of.month, as_of.day))
    qtbot.waitUntil(lambda: screen.data is not None and screen.data.as_of == as_of, timeout=15000)
    return screen


def test_charts_show_their_figures_as_tables(qtbot, main_window, donors):
    screen = open_dashboard(qtbot, main_window)
    for panel in screen.panels:
        QAbstractItemModelTester(panel.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert screen.values["received"].text() == "$110,000.00"
    contributions = screen.panel("contributions")
    assert table_texts(contributions) == [["2025", "100,000.00", "0.00", "100,000.00"],
                                          ["2026", "0.00", "10,000.00", "10,000.00"]]
    assert contributions.note.text() == "Total received: $110,000.00"
    assert contributions.caption.text() == "Amounts in US dollars"  # the figures above are without "$"
    series = contributions.chart.chart().series()
    assert len(series) == 1 and isinstance(series[0], QAbstractBarSeries)
    assert [s.label() for s in series[0].barSets()] == ["Member State", "Foundation"]
    assert table_texts(screen.panel("top_donors")) == [["Norway", "$100,000.00", "90.9 %"],
                                                       ["Acme Foundation", "$10,000.00", "9.1 %"]]
    outstanding = screen.panel("outstanding")
    assert table_texts(outstanding)[0] == ["Less than 1 year", "1", "$5,000.00", "100.0 %"]
    assert "$5,000.00 from 1 donor," in outstanding.note.text()  # ngettext: one donor
    # no grants yet: the grant charts say so instead of drawing empty axes
    regions = screen.panel("regions")
    assert regions.model.rowCount() == 0
    assert regions.chart.chart().title() == "Nothing recorded up to this date."


def test_a_new_payment_and_the_as_of_date_change_the_dashboard(qtbot, main_window, db, admin, donors):
    screen = open_dashboard(qtbot, main_window)
    ContributionService(db, admin).record_payment(donors["acme"], date(2026, 6, 1), Decimal("5000"), "USD")
    qtbot.waitUntil(lambda: screen.values["received"].text() == "$115,000.00", timeout=15000)
    assert screen.values["pledged_outstanding"].text() == "$0.00"  # the payment went to the pledge
    # the position shows first; the charts' figures follow from the same load
    qtbot.waitUntil(lambda: screen.data is not None and screen.data.position == screen.position, timeout=15000)
    assert table_texts(screen.panel("top_donors"))[1] == ["Acme Foundation", "$15,000.00", "13.0 %"]
    screen = open_dashboard(qtbot, main_window, date(2025, 12, 31))
    assert screen.values["received"].text() == "$100,000.00"
    assert table_texts(screen.panel("contributions")) == [["2025", "100,000.00", "100,000.00"]]


def test_charts_run_right_to_left_in_arabic(qtbot, main_window, donors):
    screen = open_dashboard(qtbot, main_window)
    main_window.ctx.apply_language("ar")
    chart = screen.panel("contributions").chart.chart()
    category_axis = chart.axes(Qt.Orientation.Horizontal)[0]
    value_axis = chart.axes(Qt.Orientation.Vertical)[0]
    assert category_axis.categories() == ["2026", "2025"]  # the first year on the right
    assert value_axis.alignment() == Qt.AlignmentFlag.AlignRight
    bar_sets = chart.series()[0].barSets()
    assert bar_sets[0].label() == "الدولة العضو"  # redrawn in the new language
    main_window.ctx.apply_language("en")
    assert screen.panel("contributions").chart.chart().axes(Qt.Orientation.Horizontal)[0].categories() == ["2025", "2026"]
    assert chart.axes(Qt.Orientation.Vertical)[0].alignment() == Qt.AlignmentFlag.AlignLeft


def test_grants_by_region_is_a_pie_with_shares(qtbot, main_window, db, admin, donors):
    from tests.core.grants_setup import approved_grant, make_cycle

    cycle = make_cycle(db, admin, envelope="200000")
    approved_grant(db, admin, cycle, amount="50000")
    screen = open_dashboard(qtbot, main_window)
    qtbot.waitUntil(lambda: screen.panel("regions").model.rowCount() == 1, timeout=15000)
    assert table_texts(screen.panel("regions")) == [["Americas", "1", "$50,000.00"]]
    [pie] = screen.panel("regions").chart.chart().series()
    assert isinstance(pie, QPieSeries) and pie.slices()[0].label() == "Americas: 100 %"
    assert table_texts(screen.panel("commitments")) == [["9", "$50,000.00", "$0.00", "$50,000.00"]]
