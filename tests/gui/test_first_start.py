"""First start without a database: the welcome dialog offers the demo fund or the real fund."""

from __future__ import annotations

import pytest

from tests.gui.conftest import close_main_window
from trustfund_app.gui.login import WelcomeDialog


def _start(qtbot, target, autologin=None):
    from trustfund_app.gui.context import AppContext
    from trustfund_app.gui.main_window import MainWindow
    from trustfund_app.gui.startup import StartupFlow

    ctx = AppContext()
    ctx.apply_language("en")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    StartupFlow(ctx, window, str(target), autologin=autologin).start()
    return ctx, window


@pytest.fixture
def welcome_choice(monkeypatch):
    def choose(choice, admin="", password=""):
        def exec_(dialog):
            dialog.admin.setText(admin)
            dialog.password.setText(password)
            dialog.password2.setText(password)
            dialog._choose(choice)
            return dialog.result()
        monkeypatch.setattr(WelcomeDialog, "exec", exec_)
    return choose


def test_exploring_the_demo_fund_marks_it_demo(qtbot, tmp_path, welcome_choice):
    welcome_choice(WelcomeDialog.DEMO)
    ctx, window = _start(qtbot, tmp_path / "new.sqlite3", autologin=("admin", "demo"))
    qtbot.waitUntil(lambda: ctx.actor is not None, timeout=60000)
    assert ctx.is_demo and "DEMO" in window.windowTitle()
    dashboard = window.screens["dashboard"]
    qtbot.waitUntil(lambda: dashboard.position is not None, timeout=20000)
    assert dashboard.position.received.amount > 0
    close_main_window(qtbot, window)
    ctx.close()


def test_creating_the_real_fund_logs_in_its_administrator(qtbot, tmp_path, welcome_choice):
    welcome_choice(WelcomeDialog.REAL, "amina", "Quiet-River-42")
    ctx, window = _start(qtbot, tmp_path / "real.sqlite3")
    qtbot.waitUntil(lambda: ctx.actor is not None, timeout=30000)
    assert ctx.actor.name == "amina" and ctx.actor.role == "administrator"
    assert not ctx.is_demo and "DEMO" not in window.windowTitle()
    assert (tmp_path / "real.sqlite3").exists()
    close_main_window(qtbot, window)
    ctx.close()


def test_the_welcome_dialog_checks_the_passwords(qtbot):
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.admin.setText("amina")
    dialog.password.setText("abcd")
    dialog.password2.setText("abce")
    dialog._choose(WelcomeDialog.REAL)
    assert dialog.choice == 0 and "differ" in dialog.error.text()


def _failing_demo_build(monkeypatch):
    """The demo build fails half way (after the schema and some rows were written)."""
    import trustfund_app.core.demo.build as build

    def broken(*_args, **_kwargs):
        raise RuntimeError("injected failure while writing the donors")

    monkeypatch.setattr(build, "write_donors", broken)


def test_a_demo_build_that_fails_leaves_nothing_that_blocks_the_next_start(qtbot, tmp_path, welcome_choice,
                                                                           monkeypatch):
    target = tmp_path / "demo.sqlite3"
    welcome_choice(WelcomeDialog.DEMO)
    _failing_demo_build(monkeypatch)
    ctx, window = _start(qtbot, target, autologin=("admin", "demo"))
    shown = []
    monkeypatch.setattr(window, "show_error", lambda exc: shown.append(str(exc)))
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    assert "injected failure" in shown[0]
    assert not target.exists() and ctx.actor is None
    monkeypatch.undo()  # the next start: the library is there again

    welcome_choice(WelcomeDialog.DEMO)
    ctx2, window2 = _start(qtbot, target, autologin=("admin", "demo"))
    qtbot.waitUntil(lambda: ctx2.actor is not None, timeout=60000)
    assert ctx2.is_demo
    from trustfund_app.gui.jobs import wait_for_all

    wait_for_all()
    ctx2.close()


def test_a_database_without_users_is_offered_the_first_start_choice_again(qtbot, tmp_path, welcome_choice):
    from trustfund_app.core.db import Database

    target = tmp_path / "half.sqlite3"
    Database.open(str(target)).dispose()  # schema, no users: what a failed first start once left
    offered = []
    welcome_choice(WelcomeDialog.REAL, "amina", "correct horse battery")
    original = WelcomeDialog.exec

    def exec_(dialog):
        offered.append(True)
        return original(dialog)

    WelcomeDialog.exec = exec_
    try:
        ctx, window = _start(qtbot, target)
        qtbot.waitUntil(lambda: ctx.actor is not None, timeout=30000)
    finally:
        WelcomeDialog.exec = original
    assert offered and ctx.actor.name == "amina"
    from trustfund_app.gui.jobs import wait_for_all

    wait_for_all()
    ctx.close()
