"""Start-up timing for the benchmark: prints when the window is first painted and when the
dashboard shows the fund position (seconds since the epoch), then quits."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication


class _FirstPaint(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.done = False

    def eventFilter(self, obj, event):  # noqa: N802 (Qt name)
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print(f"painted {time.time():.6f}", flush=True)
        return False


def install_probe(window) -> None:
    window.installEventFilter(_FirstPaint(window))
    timer = QTimer(window)

    def check():
        dashboard = window.screens.get("dashboard")
        if dashboard is not None and getattr(dashboard, "position", None) is not None:
            print(f"dashboard {time.time():.6f}", flush=True)
            timer.stop()
            QApplication.instance().quit()

    timer.timeout.connect(check)
    timer.start(5)
