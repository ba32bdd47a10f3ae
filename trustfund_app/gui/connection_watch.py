"""When the database server goes away: say so in a banner, keep everything the user typed, try
again every few seconds, and carry on by itself when the server is back.

Every job that fails because the connection is lost reports it (gui/jobs.py) as one clear line to
whoever started it — a form keeps its fields and shows that line, it does not close — and to this
watch, which shows the banner and pings the server in the background until it answers. Then the
banner goes, the status bar says so, and the screen on show reloads: the user saves again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from trustfund_app.core.i18n import _
from trustfund_app.gui.jobs import job_events, start_job

RETRY_MS = 3000


class ConnectionWatch(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.lost = False
        self._pinging = False
        self.banner = QLabel(objectName="connection_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#f8d7da;color:#58151c;padding:6px;border:1px solid #f1aeb5;")
        self.banner.hide()
        window.banner.parentWidget().layout().insertWidget(0, self.banner)
        self.timer = QTimer(self, interval=RETRY_MS)
        self.timer.timeout.connect(self._ping)
        job_events.connection_lost.connect(self._on_lost)

    def _on_lost(self) -> None:
        if self.lost:
            return
        self.lost = True
        self.banner.setText(_("The connection to the database server is lost. Trying again every few seconds; "
                              "nothing you typed is lost — save it again once the connection is back."))
        self.banner.show()
        self.timer.start()

    def _ping(self) -> None:
        db = self.window.ctx.db
        if self._pinging or db is None:
            return
        self._pinging = True

        def work(_job):
            from trustfund_app.core.connection import ping

            ping(db)

        def finished():
            self._pinging = False

        start_job(work, on_done=lambda _r: self._restored(), on_finished=finished, quiet_connection=True)

    def _restored(self) -> None:
        if not self.lost:
            return
        self.lost = False
        self.timer.stop()
        self.banner.hide()
        self.window.statusBar().showMessage(_("Connected to the database server again."), 8000)
        entry = self.window.current_entry()
        screen = self.window.screens.get(entry.key) if entry is not None else None
        if screen is not None and hasattr(screen, "reload"):
            screen.reload()
