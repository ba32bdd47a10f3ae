"""Issue 19, points 4, 9, 10, 11, 12, 13, 17: records, dialogs and lists as a new user meets them."""

from __future__ import annotations

from datetime import date

from trustfund_app.core.services.donors import DonorService


def test_new_donor_by_country_name_is_selected_scrolled_to_and_announced(qtbot, main_window, db, admin):
    donors = DonorService(db, admin)
    for i in range(60):  # a long list: the new donor would be out of sight
        donors.create(f"Donor {i:02d}", "foundation", "CH", "en")
    screen = main_window.show_screen("donors")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 60, timeout=10000)
    screen.search.setText("Donor 0")  # a search that hides the new donor
    screen.new_donor()
    form = screen.form
    form.inputs["name"].setText("Zuid Stichting")
    form.inputs["country"].setEditText("Norway")  # a name, not an ISO code
    form.inputs["type"].setCurrentIndex(form.inputs["type"].findData("member_state"))
    assert form.name_inputs["ar"].placeholderText() == "النرويج"  # what documents print by default
    form.name_inputs["zh"].setText("南方基金会")
    form.save()
    qtbot.waitUntil(lambda: screen.selected is not None and screen.selected.name == "Zuid Stichting", timeout=10000)
    assert screen.selected.country == "NOR"
    assert screen.selected.names == {"zh": "南方基金会"}
    assert main_window.statusBar().currentMessage() == "Donor Zuid Stichting created."
    index = screen.table.currentIndex()
    assert screen.table.viewport().rect().intersects(screen.table.visualRect(index))


def test_donor_form_messages_are_not_clipped(qtbot, main_window, db, admin):
    screen = main_window.show_screen("donors")
    screen.new_donor()
    form = screen.form
    form.inputs["name"].setText("X")
    form.inputs["country"].setEditText("Atlantis")
    form.inputs["email"].setText("not an address, and a rather long one to make the message wrap over two lines")
    form.save()
    label = form.errors["country"]
    qtbot.waitUntil(lambda: label.isVisibleTo(form), timeout=10000)
    qtbot.wait(50)
    assert label.height() >= label.heightForWidth(label.width())


def test_agreement_numbers_sort_naturally():
    from trustfund_app.gui.table_model import sort_key

    numbers = ["C10", "C2", "C1", "C11", "c3"]
    assert sorted(numbers, key=sort_key) == ["C1", "C2", "c3", "C10", "C11"]


def test_new_cycle_follows_the_latest_and_dates_are_not_today():
    from types import SimpleNamespace

    from trustfund_app.gui.grant_cycle_dialog import new_cycle_defaults

    latest = SimpleNamespace(number=12, year=2026, call_open=date(2026, 1, 5), call_close=date(2026, 2, 28),
                             board_meeting_date=date(2026, 4, 20))
    older = SimpleNamespace(number=11, year=2025, call_open=None, call_close=None, board_meeting_date=None)
    got = new_cycle_defaults([older, latest])
    assert (got["number"], got["year"]) == (13, 2027)
    assert (got["call_open"], got["call_close"], got["board_meeting_date"]) == (
        date(2027, 1, 5), date(2027, 2, 28), date(2027, 4, 20))
    first = new_cycle_defaults([])
    assert first["number"] == 1 and date.today() not in first.values()


def test_instalment_dates_spread_over_the_grant_period():
    from trustfund_app.core.services.grants.common import spread_dates

    dates = spread_dates(date(2026, 1, 1), date(2027, 12, 31), 7)
    assert dates[0] == date(2026, 1, 1) and len(set(dates)) == 7 and dates == sorted(dates)
    assert dates[-1] < date(2027, 12, 31)
    steps = [(b - a).days for a, b in zip(dates, dates[1:])]
    assert max(steps) - min(steps) <= 1


def test_the_window_remembers_its_geometry(qtbot, main_window):
    from trustfund_app.gui.main_window import MainWindow

    main_window.resize(731, 533)  # the offscreen screen is small: stay inside it
    left_at = main_window.size()
    main_window.close()
    again = MainWindow(main_window.ctx)
    qtbot.addWidget(again)
    assert again.size() == left_at and left_at.width() != 1200


def test_long_headers_wrap_and_columns_fit_them(qtbot, main_window):
    from trustfund_app.gui.table_model import wrap_header

    assert wrap_header("Intergovernmental organization") == "Intergovernmental\norganization"
    assert wrap_header("Statement language") == "Statement\nlanguage"
    assert wrap_header("Donor") == "Donor"
    screen = main_window.show_screen("contributions")
    header = screen.table.horizontalHeader()
    for column in range(screen.table.model().columnCount()):
        if not screen.table.isColumnHidden(column):
            assert header.sectionSize(column) >= header.sectionSizeHint(column), column
