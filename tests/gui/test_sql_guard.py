"""The SQL-on-the-GUI-thread guard itself: it notes GUI code querying on the GUI thread, and only that."""

from __future__ import annotations

import threading

from sqlalchemy import text

import pytest

from tests.gui.sql_guard import GUI_FOLDER, SqlOnGuiThread


@pytest.fixture
def no_sql_on_the_gui_thread():
    """Here the offences are made on purpose: the conftest guard would count them too."""
    yield None


def _as_gui_code(source: str, namespace: dict) -> None:
    """Run ``source`` as if it were written in a module of trustfund_app/gui."""
    exec(compile(source, f"{GUI_FOLDER}/pretend_screen.py", "exec"), namespace)


def test_gui_code_querying_on_the_gui_thread_is_caught(db):
    with SqlOnGuiThread() as guard:
        _as_gui_code("with db.reading() as s:\n    s.execute(text('SELECT 1'))", {"db": db, "text": text})
    assert "SELECT 1 ← pretend_screen.py:2" in guard.offenders


def test_gui_code_querying_in_a_background_thread_and_test_code_querying_are_not(db):
    with SqlOnGuiThread() as guard:
        worker = threading.Thread(target=_as_gui_code, args=(
            "with db.reading() as s:\n    s.execute(text('SELECT 1'))", {"db": db, "text": text}))
        worker.start()
        worker.join()
        with db.reading() as s:  # the test reading a result back
            s.execute(text("SELECT 2"))
    assert guard.offenders == []
