"""The main window: navigation on the side, one screen at a time, menus, status bar.

It is shown before the database is opened (start-up feels instant); screens are created the
first time they are shown.
"""

from __future__ import annotations

import importlib
import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QSplitter, QStackedWidget, QStyle,
    QVBoxLayout, QWidget,
)

from trustfund_app import __version__
from trustfund_app.core.i18n import LANGUAGE_NAMES, LANGUAGES, _, format_number
from trustfund_app.gui.accessibility import DialogNamer, name_controls
from trustfund_app.gui.screens import SCREENS, ScreenEntry


# the sidebar: Qt's standard icons (shipped with Qt, under its licence) and a shortcut per screen
SCREEN_ICONS = {
    "dashboard": QStyle.StandardPixmap.SP_ComputerIcon,
    "my_work": QStyle.StandardPixmap.SP_DialogApplyButton,
    "donors": QStyle.StandardPixmap.SP_DirHomeIcon,
    "contributions": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "outstanding": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "rates": QStyle.StandardPixmap.SP_BrowserReload,
    "grants": QStyle.StandardPixmap.SP_DialogSaveButton,
    "cycles": QStyle.StandardPixmap.SP_FileDialogListView,
    "grantees": QStyle.StandardPixmap.SP_DirIcon,
    "overdue": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "reports": QStyle.StandardPixmap.SP_FileIcon,
    "import": QStyle.StandardPixmap.SP_ArrowDown,
    "settings": QStyle.StandardPixmap.SP_FileDialogContentsView,
}
SHORTCUT_KEYS = tuple(f"Ctrl+{n}" for n in "1234567890") + tuple(f"Ctrl+Shift+{n}" for n in "123456789")

# changes that may add to or take from what waits for the user (payments, reports)
WORK_ENTITIES = frozenset({"grant", "instalment", "report"})


NAV_MOST = 200  # the sidebar's width when a label wraps: screens keep 1000 px at 1200


def nav_width(nav: QListWidget) -> int:
    """Wide enough for every label on one line up to NAV_MOST px, and always for the longest word."""
    frame = 2 * nav.frameWidth() + 16
    icon = nav.iconSize().width() + 12
    metrics = nav.fontMetrics()
    words = max((metrics.horizontalAdvance(word) for row in range(nav.count())
                 for word in nav.item(row).text().split()), default=0)
    return max(190, min(NAV_MOST, nav.sizeHintForColumn(0) + frame), words + icon + frame)


class MainWindow(QMainWindow):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self._closing_backup_started = False
        self.screens: dict[str, QWidget] = {}
        self.error_shown_at: float | None = None  # monotonic time of the error in the status bar
        self.resize(1200, 760)
        geometry = ctx.settings().value("window_geometry")
        if geometry:  # where and how large the user left it
            self.restoreGeometry(geometry)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(150)
        self.nav.setWordWrap(True)  # a long label takes two lines rather than widening the window
        self.stack = QStackedWidget()
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#fff3cd;color:#664d03;padding:6px;border:1px solid #ffe69c;")
        self.banner.hide()
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        right = QWidget()
        lay = QVBoxLayout(right)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.banner)
        lay.addWidget(self.stack, 1)
        self.splitter = splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.shortcuts = []
        for row, entry in enumerate(SCREENS):
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            item.setIcon(self.style().standardIcon(SCREEN_ICONS.get(entry.key, QStyle.StandardPixmap.SP_FileIcon)))
            self.nav.addItem(item)
            if row < len(SHORTCUT_KEYS):  # Ctrl+1 … Ctrl+9, Ctrl+0, then Ctrl+Shift+1 …
                shortcut = QShortcut(QKeySequence(SHORTCUT_KEYS[row]), self)
                shortcut.activated.connect(lambda r=row: self.nav.isEnabled() and self.nav.setCurrentRow(r))
                self.shortcuts.append(shortcut)
        self.nav.setAccessibleName(_("Screens"))
        # names for screen readers on every dialog's controls, whoever opens it
        self.dialog_namer = DialogNamer(self)
        self.nav.setEnabled(False)
        self.nav.currentRowChanged.connect(self._show_row)
        self._build_menus()
        from trustfund_app.gui.connection_watch import ConnectionWatch

        self.connection_watch = ConnectionWatch(self)  # a PostgreSQL server that goes away
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.work_count: int | None = None
        ctx.changed.connect(lambda change: self.refresh_work_count() if change.entity in WORK_ENTITIES else None)
        ctx.changed.connect(lambda change: self._load_identity() if change.entity == "office" and ctx.actor else None)
        self.retranslate()

    # -- menus -------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.backup_action = QAction(self)
        self.backup_action.triggered.connect(self._backup)
        self.restore_action = QAction(self)
        self.restore_action.triggered.connect(self._restore)
        self.quit_action = QAction(self)
        self.quit_action.triggered.connect(self.close)
        self.sign_out_action = QAction(self)
        self.sign_out_action.setObjectName("sign_out")
        self.sign_out_action.triggered.connect(self._sign_out)
        for action in (self.backup_action, self.restore_action):
            action.setEnabled(False)
            self.file_menu.addAction(action)
        self.export_menu = self.file_menu.addMenu("")
        self.open_data_action = QAction(self)
        self.open_data_action.setObjectName("open_data_action")
        self.open_data_action.triggered.connect(self._open_data)
        self.open_data_action.setEnabled(False)
        self.export_menu.addAction(self.open_data_action)
        self.file_menu.addSeparator()
        self.sign_out_action.setEnabled(False)
        self.file_menu.addAction(self.sign_out_action)
        # exchange with HQ / offices: both exist, the one that fits this database's identity is shown
        self.exchange_hq_action = QAction(self)
        self.exchange_offices_action = QAction(self)
        for action in (self.exchange_hq_action, self.exchange_offices_action):
            action.triggered.connect(self._exchange)
            action.setEnabled(False)
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.language_menu = bar.addMenu("")
        self.language_actions = {}
        for lang in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[lang], self, checkable=True)
            action.triggered.connect(lambda _checked=False, code=lang: self.ctx.apply_language(code, remember=True))
            self.language_menu.addAction(action)
            self.language_actions[lang] = action
        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        self.file_menu.setTitle(_("&File"))
        self.backup_action.setText(_("&Back up the database…"))
        self.restore_action.setText(_("&Restore from a backup…"))
        self.export_menu.setTitle(_("&Export"))
        self.open_data_action.setText(_("&Open data…"))
        self.sign_out_action.setText(_("&Sign out / switch user…"))
        self.quit_action.setText(_("&Quit"))
        self.exchange_hq_action.setText(_("E&xchange with headquarters…"))
        self.exchange_offices_action.setText(_("Exchange with &offices…"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About TrustFund Desk"))
        for lang, action in self.language_actions.items():
            action.setChecked(lang == self.ctx.language)
        for row, entry in enumerate(SCREENS):
            self.nav.item(row).setText(_(entry.label))
            if row < len(SHORTCUT_KEYS):
                self.nav.item(row).setToolTip(QKeySequence(SHORTCUT_KEYS[row]).toString(
                    QKeySequence.SequenceFormat.NativeText))
        self._show_work_count()
        self.nav.setAccessibleName(_("Screens"))
        for entry in SCREENS:  # accessible names in the new language too
            if entry.key in self.screens:
                name_controls(self.screens[entry.key], _(entry.label))
        # labels differ in length by language: never clip them ("Annonces de contributions non réglées"),
        # but a long one wraps onto two lines instead of taking width from the screens
        width = nav_width(self.nav)
        self.nav.setFixedWidth(width)
        self.splitter.setSizes([width, max(400, self.width() - width)])  # no empty band beside the list
        if not self.ctx.actor:
            self.placeholder.setText(_("Opening the fund database…"))
        self.update_title()
        self._update_banner()

    def update_title(self) -> None:
        title = _("TrustFund Desk")
        if self.ctx.is_demo:
            title = _("{app} — DEMO fund (not real data)").format(app=title)
        current = self.current_entry()
        if current is not None:
            title = f"{_(current.label)} — {title}"
        if self.ctx.actor:
            title += f" — {self.ctx.actor.name}"
        self.setWindowTitle(title)

    def _update_banner(self) -> None:
        if self.ctx.read_only_reason:
            self.banner.setText(self.ctx.read_only_reason)
            self.banner.show()
        else:
            self.banner.hide()

    # -- session -----------------------------------------------------------------------------
    def session_started(self) -> None:
        """Called once the database is open and a user is logged in."""
        self.nav.setEnabled(True)
        # a backup holds every password hash: only who may restore may make one
        # (a SQLite file through its online backup, PostgreSQL through pg_dump/pg_restore)
        may_back_up = self.ctx.db is not None and self.ctx.actor.can("backups.restore")
        self.backup_action.setEnabled(may_back_up)
        self.restore_action.setEnabled(may_back_up)
        self.sign_out_action.setEnabled(True)
        self.open_data_action.setEnabled(self.ctx.db is not None)
        self.placeholder.setText("")
        self._load_identity()
        self.retranslate()
        self.nav.setCurrentRow(0)
        self.refresh_work_count()

    # -- what waits for the user -------------------------------------------------------------------
    def refresh_work_count(self) -> None:
        if self.ctx.db is None or self.ctx.actor is None:
            return
        from trustfund_app.core.services.work_queue import WorkQueueService
        from trustfund_app.gui.jobs import start_job

        service = self.ctx.service(WorkQueueService)
        start_job(lambda _job: service.mine().count, on_done=self._work_counted, on_error=lambda _e: None)

    def _work_counted(self, count: int) -> None:
        self.work_count = count
        self._show_work_count()
        self.ctx.work_count.emit(count)

    def _show_work_count(self) -> None:
        for row, entry in enumerate(SCREENS):
            if entry.key == "my_work" and self.work_count:
                self.nav.item(row).setText(_("My work ({count})").format(count=format_number(self.work_count)))

    def session_ended(self) -> None:
        """After a sign-out: no screen of the previous user stays alive."""
        for screen in self.screens.values():
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self.screens.clear()
        self.nav.setCurrentRow(-1)
        self.nav.setEnabled(False)
        for action in (self.backup_action, self.restore_action, self.sign_out_action, self.open_data_action):
            action.setEnabled(False)
        self.stack.setCurrentWidget(self.placeholder)
        self.retranslate()

    def _sign_out(self) -> None:
        from trustfund_app.gui.sign_out import sign_out

        sign_out(self)

    def current_entry(self) -> ScreenEntry | None:
        row = self.nav.currentRow()
        return SCREENS[row] if 0 <= row < len(SCREENS) else None

    def show_screen(self, key: str) -> QWidget:
        for row, entry in enumerate(SCREENS):
            if entry.key == key:
                self.nav.setCurrentRow(row)
                return self.screens[key]
        raise KeyError(key)

    def _show_row(self, row: int) -> None:
        if not (0 <= row < len(SCREENS)) or not self.ctx.actor:
            return
        entry = SCREENS[row]
        if entry.key not in self.screens:
            self.screens[entry.key] = self._create_screen(entry)
            self.stack.addWidget(self.screens[entry.key])
        screen = self.screens[entry.key]
        self.stack.setCurrentWidget(screen)
        screen.activated()
        name_controls(screen, _(entry.label))
        self.update_title()

    def _create_screen(self, entry: ScreenEntry) -> QWidget:
        # imported when first shown (start-up stays fast); a module missing from a build is a
        # packaging error and fails loudly here
        module = importlib.import_module(f"trustfund_app.gui.screens.{entry.module}")
        return getattr(module, entry.cls)(self.ctx)

    # -- messages ----------------------------------------------------------------------------
    def show_error(self, exc: Exception) -> None:
        from trustfund_app.core.errors import TrustFundError

        text = str(exc) if isinstance(exc, TrustFundError) else _("Something went wrong: {error}").format(error=exc)
        self.statusBar().showMessage(text, 15000)
        self.error_shown_at = time.monotonic()
        if not isinstance(exc, TrustFundError):
            QMessageBox.warning(self, _("TrustFund Desk"), text)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)
        self.error_shown_at = None

    def job_succeeded(self, started_at: float) -> None:
        """Work started after an error succeeded: the error no longer describes the state."""
        if self.error_shown_at is not None and started_at > self.error_shown_at:
            self.statusBar().clearMessage()
            self.error_shown_at = None

    def _about(self) -> None:
        QMessageBox.about(self, _("About TrustFund Desk"), _(
            "TrustFund Desk {version}\nDonors, contributions, grants and statements of the United Nations "
            "Voluntary Trust Fund for Victims of Trafficking in Persons.").format(version=__version__))

    def _load_identity(self) -> None:
        from trustfund_app.core.offices.identity import OfficeService
        from trustfund_app.gui.jobs import start_job

        service = self.ctx.service(OfficeService)
        start_job(lambda _job: service.show()[0], on_done=self._show_identity)

    def _show_identity(self, me) -> None:
        """An office exchanges with HQ, HQ with its offices; a fund without offices sees both
        (the dialog explains how to give the database an identity)."""
        self.exchange_hq_action.setVisible(me is None or not me.is_hq)
        self.exchange_offices_action.setVisible(me is None or me.is_hq)
        for action in (self.exchange_hq_action, self.exchange_offices_action):
            action.setEnabled(not self.ctx.read_only_reason)

    def _exchange(self) -> None:
        from trustfund_app.gui.exchange_dialog import ExchangeDialog

        ExchangeDialog(self.ctx, self).exec()

    def _backup(self) -> None:
        from trustfund_app.gui.backup_actions import backup_dialog

        backup_dialog(self)

    def _restore(self) -> None:
        from trustfund_app.gui.backup_actions import restore_dialog

        restore_dialog(self)

    def _open_data(self) -> None:
        from trustfund_app.gui.opendata_dialog import open_data_dialog

        open_data_dialog(self)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        from trustfund_app.gui.jobs import wait_for_all

        wait_for_all(10000)
        self.ctx.settings().setValue("window_geometry", self.saveGeometry())
        if self._start_backup_before_closing():
            event.ignore()  # closed again once the backup is written
            return
        super().closeEvent(event)

    def _start_backup_before_closing(self) -> bool:
        """The backup on closing (of a SQLite file this window wrote to) runs as a background job
        like every other database work, so the window repaints meanwhile; False when there is none."""
        ctx = self.ctx
        if self._closing_backup_started or ctx.db is None or ctx.actor is None or not ctx.db.is_sqlite:
            return False
        from trustfund_app.gui.jobs import start_job

        self._closing_backup_started = True
        db = ctx.db
        self.setEnabled(False)
        self.statusBar().showMessage(_("Backing up before closing…"))

        def work(_job):
            from trustfund_app.core.backup import backup_on_close

            return backup_on_close(db)

        def failed(exc):
            QMessageBox.warning(self, _("TrustFund Desk"), _("The backup on closing failed: {error}").format(error=exc))
            self.close()

        start_job(work, on_done=lambda _path: self.close(), on_error=failed)
        return True
