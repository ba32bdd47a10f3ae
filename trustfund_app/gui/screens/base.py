"""What every screen shares: access to the app context, loading its data in background jobs,
refreshing itself from change notifications, and re-translating on a language switch."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from trustfund_app.core.changes import ChangeSet
from trustfund_app.gui.jobs import start_job


class Screen(QWidget):
    #: entities whose changes make this screen reload (``ChangeSet.entity``); empty = none
    watches: frozenset[str] = frozenset()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._first_load_done = False
        self._reload_pending = False
        ctx.changed.connect(self._on_changed)
        # a bound method, not a lambda: Qt disconnects it when the screen is deleted (sign-out)
        ctx.language_changed.connect(self._language_changed)

    # -- to implement ------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every visible text again (called after a language switch)."""

    def reload(self) -> None:
        """(Re)load the screen's data, in background jobs."""

    # -- behaviour -------------------------------------------------------------------------
    def _language_changed(self, _lang: str) -> None:
        self.retranslate()

    def activated(self) -> None:
        """Shown in the main window: load the first time or when data changed meanwhile."""
        if not self._first_load_done or self._reload_pending:
            self._first_load_done, self._reload_pending = True, False
            self.reload()

    def _on_changed(self, change: ChangeSet) -> None:
        if change.entity in self.watches or "*" in self.watches:
            if self.isVisible():
                self.reload()
            else:
                self._reload_pending = True

    def run(self, fn, on_done, **kwargs):
        """Run ``fn(job)`` off the GUI thread; errors are shown in the status bar, and a success
        clears an error shown before it started."""
        kwargs.setdefault("on_error", self.show_error)
        started_at = time.monotonic()

        def done(result):
            window = self.window()
            if hasattr(window, "job_succeeded"):
                window.job_succeeded(started_at)
            on_done(result)

        return start_job(fn, on_done=done, **kwargs)

    def export_table(self, view, file_stem: str, title: str, path: str | None = None):
        """What ``view`` shows (filter, sort order, columns) to .xlsx; asks where unless ``path``."""
        from trustfund_app.core.i18n import _

        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path, _filter = QFileDialog.getSaveFileName(self, _("Export to Excel"), file_stem + ".xlsx", "Excel (*.xlsx)")
            if not path:
                return None
        from trustfund_app.gui.import_export_view import export_view

        window = self.window()
        self._export = export_view(
            view, path, title, on_error=self.show_error,
            on_done=lambda _p: window.show_message(_("Exported to {file}.").format(file=path))
            if hasattr(window, "show_message") else None)
        return self._export

    def show_error(self, exc: Exception) -> None:
        window = self.window()
        if hasattr(window, "show_error"):
            window.show_error(exc)


class EmptyScreen(Screen):
    """Shown for a screen this build does not have; says so plainly."""

    def __init__(self, ctx, label: str, parent=None):
        super().__init__(ctx, parent)
        self._label_msgid = label
        self._text = QLabel()
        self._text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._text)
        layout.addStretch()
        self.retranslate()

    def retranslate(self) -> None:
        from trustfund_app.core.i18n import _

        self._text.setText(_("The {screen} screen is not available in this version.").format(screen=_(self._label_msgid)))
