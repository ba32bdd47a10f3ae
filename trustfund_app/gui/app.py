"""Starting the GUI: the window is painted first; fonts, the database and heavy imports follow."""

from __future__ import annotations

import os
import sys


def run_gui(args=None, autologin: tuple | None = None) -> int:
    from trustfund_app.gui.platform_check import check_display_libraries

    problem = check_display_libraries()
    if problem:  # Qt would blame the wrong library and abort
        print(problem, file=sys.stderr)
        return 1

    from PySide6.QtWidgets import QApplication

    from trustfund_app.core.i18n import system_language
    from trustfund_app.gui.context import AppContext
    from trustfund_app.gui.fonts import apply_app_font
    from trustfund_app.gui.main_window import MainWindow
    from trustfund_app.gui.startup import StartupFlow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("TrustFund Desk")
    app.setOrganizationName("TrustFundDesk")
    ctx = AppContext()
    lang = getattr(args, "lang", None) or ctx.saved_language() or system_language()
    apply_app_font(app, lang)  # what this language shows first; the rest after the first paint
    ctx.apply_language(lang)
    window = MainWindow(ctx)
    window.show()
    probe = os.environ.get("TRUSTFUND_STARTUP_PROBE")
    if probe:  # benchmarks/bench_startup.py: report first paint and a filled dashboard, then quit
        from trustfund_app.gui.startup_probe import install_probe

        autologin = tuple(probe.split(":", 1)) if ":" in probe else autologin
        install_probe(window)
    flow = StartupFlow(ctx, window, getattr(args, "db", None), getattr(args, "user", None), autologin)
    def start():
        apply_app_font(app)  # every script: donor names in Chinese or Arabic in any language
        flow.start()

    _start_after_first_paint(window, start)
    code = app.exec()
    ctx.close()
    return code


def _start_after_first_paint(window, start) -> None:
    """Open the database once the window has been painted: the worker thread's imports
    (SQLAlchemy, the models) would otherwise hold the GIL while the first frame is drawn.
    A timer starts it anyway should no paint event come (e.g. a minimised start)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        started = False

        def eventFilter(self, obj, event):  # noqa: N802 (Qt name)
            if event.type() == QEvent.Type.Paint and not self.started:
                self.go()
            return False

        def go(self):
            if not self.started:
                self.started = True
                window.removeEventFilter(self)
                QTimer.singleShot(0, start)

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)
    QTimer.singleShot(300, watcher.go)
