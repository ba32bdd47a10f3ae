"""With tens of thousands of contributions the screen loads, sorts and filters in background jobs:
the GUI thread keeps processing its timer events all along."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from benchmarks.bulk_fund import add_contributions


def test_gui_thread_stays_responsive_on_a_big_list(qtbot, main_window, db):
    add_contributions(db, 30_000, donors=50)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    screen = main_window.show_screen("contributions")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 30_000, timeout=30000)
    screen.model.sort(7)  # by USD equivalent
    qtbot.waitUntil(lambda: screen.model.sort_key == "usd" and screen.model.row_at(0) is not None, timeout=30000)
    screen.search.setText("R-00001")
    qtbot.waitUntil(lambda: 0 < screen.model.rowCount() < 30_000, timeout=30000)
    screen.table.scrollToBottom()  # pages far down are fetched in the background
    last = screen.model.rowCount() - 1
    qtbot.waitUntil(lambda: screen.model.row_at(last) is not None, timeout=30000)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 20
    assert max(gaps) < 0.25, f"the GUI thread was blocked for {max(gaps) * 1000:.0f} ms"
    assert all(r.reference.startswith("R-00001") for r in screen.model.pages[0])
