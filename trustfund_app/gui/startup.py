"""From a shown, empty main window to a logged-in session — every step off the GUI thread:
open (and upgrade) the database, or on a first start offer the demo fund or the real fund."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from trustfund_app.core import paths
from trustfund_app.core.i18n import _
from trustfund_app.gui.jobs import start_job
from trustfund_app.gui.login import LoginDialog, WelcomeDialog


def _is_missing_sqlite(target: str) -> bool:
    return "://" not in target and not Path(target).expanduser().exists()


class StartupFlow:
    def __init__(self, ctx, window, db_arg: str | None = None, user: str | None = None, autologin: tuple | None = None):
        self.ctx = ctx
        self.window = window
        self.explicit = db_arg or os.environ.get("TRUSTFUND_DB")
        self.user = user or os.environ.get("TRUSTFUND_USER")
        self.autologin = autologin  # (user, password) for tests and the self-test
        # Qt connections to bound methods do not keep their object alive; the window does
        window.startup_flow = self

    def start(self) -> None:
        target = self.explicit or str(paths.default_database_path())
        if _is_missing_sqlite(target):
            if not self.explicit and paths.demo_database_path().exists():
                self._open(str(paths.demo_database_path()))
                return
            self._welcome(target)
        else:
            self._open(target)

    # -- first start ---------------------------------------------------------------------------
    def _welcome(self, target: str) -> None:
        dialog = WelcomeDialog(self.window)
        if not dialog.exec():
            QApplication.instance().quit()
            return
        if dialog.choice == WelcomeDialog.DEMO:
            demo_target = target if self.explicit else str(paths.demo_database_path())
            self._build_demo(demo_target)
        else:
            self._create_real(target, dialog.admin.text().strip(), dialog.password.text())

    def _build_demo(self, target: str) -> None:
        progress = QProgressDialog(_("Building the demo fund…"), _("Cancel"), 0, 100, self.window)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def work(job):
            from trustfund_app.core.demo.create import create_demo_database

            # a build that fails or is cancelled removes the file it created (nothing blocks the
            # next start); the demo flag is read here, off the GUI thread
            db, _summary = create_demo_database(target, seed=1, progress=job.progress,
                                                cancelled=lambda: job.cancelled, single_writer=True)
            return db, True

        def on_progress(done, total, label):
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            if label:
                progress.setLabelText(label)

        def on_cancelled():
            progress.close()
            QApplication.instance().quit()

        def on_error(exc):
            progress.close()
            self.window.show_error(exc)

        control = start_job(work, on_done=lambda found: (progress.close(), self._opened(*found)),
                            on_error=on_error, on_progress=on_progress, on_cancelled=on_cancelled)
        progress.canceled.connect(control.cancel)

    def _create_real(self, target: str, admin: str, password: str) -> None:
        def work(_job):
            from trustfund_app.core.db import Database
            from trustfund_app.core.services.base import NOT_LOGGED_IN
            from trustfund_app.core.services.users import UserService

            db = Database.open(target, single_writer=True)
            actor = UserService(db, NOT_LOGGED_IN).create_first_admin(admin, password)
            return db, actor

        def done(result):
            db, actor = result
            self.ctx.db, self.ctx.actor = db, actor
            self._session_started()

        start_job(work, on_done=done, on_error=self.window.show_error)

    # -- existing database -----------------------------------------------------------------------
    def _open(self, target: str) -> None:
        def work(_job):
            from trustfund_app.core.db import Database
            from trustfund_app.core.services.base import NOT_LOGGED_IN
            from trustfund_app.core.services.settings import SettingsService
            from trustfund_app.core.services.users import has_users

            db = Database.open(target, single_writer=True)
            if not has_users(db):  # a first start that failed half way: offer the choice again
                db.dispose()
                return None
            # the settings import pulls in every model: on this thread, not the GUI's
            return db, SettingsService(db, NOT_LOGGED_IN).is_demo()

        def done(found):
            if found is None:  # the real fund goes where it belongs; a demo into its own file
                self._welcome(self.explicit or str(paths.default_database_path()))
            else:
                self._opened(*found)

        start_job(work, on_done=done, on_error=self.window.show_error)

    def _opened(self, db, is_demo: bool) -> None:
        self.ctx.db = db
        self.ctx.is_demo = is_demo
        # a second instance on the same file works read-only, and says so in a banner
        self.ctx.read_only_reason = " ".join(x for x in (db.read_only_reason, db.warning) if x) or None
        self.ctx.database_opened.emit()
        self.window.update_title()
        if self.autologin:
            self._attempt(*self.autologin, lambda err: self.window.show_error(RuntimeError(err)) if err else None)
            return
        dialog = LoginDialog(self.window, self._attempt, demo=self.ctx.is_demo)
        if self.user:
            dialog.user.setText(self.user)
        if not dialog.exec() and self.ctx.actor is None:
            QApplication.instance().quit()

    def _attempt(self, name: str, password: str, report) -> None:
        def work(_job):
            from trustfund_app.core.services.base import NOT_LOGGED_IN
            from trustfund_app.core.services.users import UserService

            return UserService(self.ctx.db, NOT_LOGGED_IN).login(name, password)

        def done(actor):
            self.ctx.actor = actor
            report(None)
            self._session_started()

        start_job(work, on_done=done, on_error=lambda exc: report(str(exc)))

    def _session_started(self) -> None:
        self.window.session_started()
