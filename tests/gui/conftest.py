"""GUI fixtures: a main window on a database, logged in, with the startup flow run for real."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_qt_settings(tmp_path, monkeypatch):
    """Settings (language, window geometry) in a temp file, never the developer's own."""
    from PySide6.QtCore import QSettings

    from trustfund_app.gui.context import AppContext

    path = str(tmp_path / "qt-settings.ini")
    monkeypatch.setattr(AppContext, "settings", lambda self: QSettings(path, QSettings.Format.IniFormat))


@pytest.fixture
def main_window(qtbot, db, admin):
    """The main window after the real startup flow, logged in as the administrator."""
    from trustfund_app.gui.context import AppContext
    from trustfund_app.gui.fonts import apply_app_font
    from trustfund_app.gui.main_window import MainWindow
    from trustfund_app.gui.startup import StartupFlow
    from PySide6.QtWidgets import QApplication

    apply_app_font(QApplication.instance())
    ctx = AppContext()
    ctx.apply_language("en")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    StartupFlow(ctx, window, db.url, autologin=("admin", "Quiet-River-42")).start()
    qtbot.waitUntil(lambda: ctx.actor is not None and window.nav.isEnabled(), timeout=10000)
    yield window
    from trustfund_app.gui.jobs import wait_for_all

    wait_for_all()
    ctx.apply_language("en")
    ctx.close()
