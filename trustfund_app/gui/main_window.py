"""The main window: navigation on the side, one screen at a time, menus, status bar.

It is shown before the database is opened (start-up feels instant); screens are created the
first time they are shown.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from trustfund_app import __version__
from trustfund_app.core.i18n import LANGUAGE_NAMES, LANGUAGES, _
from trustfund_app.gui.screens import SCREENS, ScreenEntry


class MainWindow(QMainWindow):
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self._closing_backup_started = False
        self.screens: dict[str, QWidget] = {}
        self.resize(1200, 760)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(150)
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
        for entry in SCREENS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            self.nav.addItem(item)
        self.nav.setEnabled(False)
        self.nav.currentRowChanged.connect(self._show_row)
        self._build_menus()
        ctx.language_changed.connect(lambda _lang: self.retranslate())
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
        for action in (self.backup_action, self.restore_action):
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
        self.quit_action.setText(_("&Quit"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About TrustFund Desk"))
        for lang, action in self.language_actions.items():
            action.setChecked(lang == self.ctx.language)
        for row, entry in enumerate(SCREENS):
            self.nav.item(row).setText(_(entry.label))
        # labels differ in length by language: never clip them ("Annonces de contributions non réglées")
        width = max(190, self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 16)
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
        self.backup_action.setEnabled(self.ctx.db is not None and self.ctx.db.is_sqlite)
        self.restore_action.setEnabled(self.ctx.db is not None and self.ctx.db.is_sqlite)
        self.placeholder.setText("")
        self.retranslate()
        self.nav.setCurrentRow(0)

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
        if not isinstance(exc, TrustFundError):
            QMessageBox.warning(self, _("TrustFund Desk"), text)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _about(self) -> None:
        QMessageBox.about(self, _("About TrustFund Desk"), _(
            "TrustFund Desk {version}\nDonors, contributions, grants and statements of the United Nations "
            "Voluntary Trust Fund for Victims of Trafficking in Persons.").format(version=__version__))

    def _backup(self) -> None:
        from trustfund_app.gui.backup_actions import backup_dialog

        backup_dialog(self)

    def _restore(self) -> None:
        from trustfund_app.gui.backup_actions import restore_dialog

        restore_dialog(self)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        from trustfund_app.gui.jobs import wait_for_all

        wait_for_all(10000)
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
