"""With tens of thousands of contributions the screen loads, sorts, filters and fetches far pages
in background jobs: the SQL-on-the-GUI-thread guard (tests/gui/conftest.py) fails this test if any
of it queried on the GUI thread, and what arrives is what was asked for."""

from __future__ import annotations

from tests.bulk_fund import add_contributions


def test_a_big_list_loads_sorts_filters_and_pages_off_the_gui_thread(qtbot, main_window, db):
    add_contributions(db, 30_000, donors=50)
    screen = main_window.show_screen("contributions")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 30_000, timeout=60000)
    with qtbot.waitSignal(screen.model.loaded, timeout=60000):
        screen.model.sort(7)  # by USD equivalent, smallest first
    first_rows = [screen.model.row_at(i).usd for i in range(50)]
    assert first_rows == sorted(first_rows) and first_rows[0] < first_rows[-1]
    screen.search.setText("R-00001")
    qtbot.waitUntil(lambda: 0 < screen.model.rowCount() < 30_000, timeout=60000)
    assert screen.model.rowCount() == 100  # R-0000100 … R-0000199 of the 30,000 references
    screen.table.scrollToBottom()  # pages far down are fetched in the background
    last = screen.model.rowCount() - 1
    qtbot.waitUntil(lambda: screen.model.row_at(last) is not None, timeout=60000)
    assert all(r.reference.startswith("R-00001") for r in screen.model.pages[0])
