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
    welcome_choice(WelcomeDialog.REAL, "amina", "s3cret!")
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
