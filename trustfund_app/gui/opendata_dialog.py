"""File ▸ Export ▸ Open data…: the Fund's grants (and, in IATI, its contributions) as IATI 2.03 or
360Giving 1.4, for one year or the whole history. The export runs as a background job with
progress and can be cancelled; a refusal lists each grant and what it lacks, and no file is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QProgressBar, QPushButton, QVBoxLayout,
)

from trustfund_app.core.errors import TrustFundError
from trustfund_app.core.i18n import N_, _, is_rtl, ngettext
from trustfund_app.gui.form_fit import chain_dialog
from trustfund_app.gui.grant_widgets import ERROR_STYLE
from trustfund_app.gui.jobs import start_job

# (standard, suffix, label msgid, file-dialog filter)
FORMATS = (
    ("iati", ".xml", N_("IATI 2.03 (XML)"), "IATI XML (*.xml)"),
    ("360giving", ".json", N_("360Giving 1.4 (JSON)"), "JSON (*.json)"),
    ("360giving", ".xlsx", N_("360Giving 1.4 (spreadsheet)"), "Excel (*.xlsx)"),
)
FIRST_YEAR = 2010


class OpenDataDialog(QDialog):
    def __init__(self, ctx, parent=None, today: date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.control = None
        self.summary = None
        self.setObjectName("open_data_dialog")
        self.setWindowTitle(_("Export open data"))
        self.setMinimumWidth(560)
        intro = QLabel(_("Publishes the grants as IATI 2.03 or 360Giving 1.4, checked against the standard's own "
                         "schema before the file is written. Individual donors appear only as anonymous individual "
                         "donors; grants marked sensitive are published without title, organisation or location."))
        intro.setWordWrap(True)
        self.format = QComboBox()
        self.format.setObjectName("open_data_format")
        for standard, suffix, label, _filter in FORMATS:
            self.format.addItem(_(label), (standard, suffix))
        self.year = QComboBox()
        self.year.setObjectName("open_data_year")
        self.year.addItem(_("All years"), None)
        for year in range((today or date.today()).year, FIRST_YEAR - 1, -1):
            self.year.addItem(str(year), year)
        self.file = QLineEdit()
        self.file.setObjectName("open_data_file")
        browse = QPushButton(_("Choose…"))
        browse.setObjectName("open_data_browse")
        browse.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Standard"), self.format)
        form.addRow(_("Year"), self.year)
        form.addRow(_("File"), file_row)
        self.progress = QProgressBar()
        self.progress.setObjectName("open_data_progress")
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("open_data_status")
        self.status.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("open_data_problems")
        self.problems.hide()
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(_("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("open_data_export")
        self.close_button = self.buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("open_data_close")
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self._close_or_cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.problems, 1)
        layout.addStretch(1)  # takes the room while there is no list to show
        layout.addWidget(self.buttons)
        self.layout_box = layout
        chain_dialog(self, self.buttons)  # format, year, file…, then Export and Close
        self.format.currentIndexChanged.connect(lambda _i: self._suggest_file())
        self.year.currentIndexChanged.connect(lambda _i: self._suggest_file())
        self._suggest_file()

    # -- the form ------------------------------------------------------------------------------
    def chosen(self) -> tuple[str, str, int | None]:
        standard, suffix = self.format.currentData()
        return standard, suffix, self.year.currentData()

    def _suggest_file(self) -> None:
        standard, suffix, year = self.chosen()
        folder = Path(self.file.text()).parent if self.file.text() else Path.home()
        self.file.setText(str(folder / f"{standard}-{year or 'all'}{suffix}"))

    def _choose_file(self) -> None:
        name_filter = FORMATS[self.format.currentIndex()][3]
        path, _f = QFileDialog.getSaveFileName(self, _("Export open data"), self.file.text(), name_filter)
        if path:
            self.file.setText(path)

    # -- the job -------------------------------------------------------------------------------
    def start(self) -> None:
        from trustfund_app.core.opendata import check_target, export_open_data

        standard, _suffix, year = self.chosen()
        path = self.file.text().strip()
        self.problems.clear()
        self._show_list(False)
        try:
            check_target(standard, path)
        except TrustFundError as exc:
            self._show_status(str(exc), error=True)
            return
        db = self.ctx.db

        def work(job):
            def progress(done, total, label):
                job.check()
                job.progress(done, total, label)

            return export_open_data(db, standard, path, year, progress=progress)

        self._running(True)
        self._show_status(_("Checking and writing {file}…").format(file=_isolated(path)))
        self.control = start_job(work, on_done=self._done, on_error=self._failed, on_progress=self._progress,
                                 on_cancelled=self._cancelled, on_finished=lambda: self._running(False))

    def _running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        self.export_button.setEnabled(not running)
        for widget in (self.format, self.year, self.file):
            widget.setEnabled(not running)
        self.close_button.setText(_("Cancel") if running else _("Close"))
        if not running:
            self.control = None

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, summary) -> None:
        self.summary = summary
        text = ngettext("{file}: {count} grant published, valid against the standard's schema",
                        "{file}: {count} grants published, valid against the standard's schema",
                        summary.grants).format(file=_isolated(summary.path), count=summary.grants)
        self._show_status(text)
        if summary.withheld:
            self._show_list(True)
            for reference, reason in summary.withheld:
                self.problems.addItem(_directed(_("{reference}: sensitive, published without title, organisation or "
                                        "location ({reason})").format(reference=reference, reason=reason)))

    def _failed(self, exc: Exception) -> None:
        from trustfund_app.core.opendata import OpenDataRefused

        if isinstance(exc, OpenDataRefused):
            self._show_status(ngettext("Not written: {count} problem in the data for {standard}. Correct it and "
                                       "export again.",
                                       "Not written: {count} problems in the data for {standard}. Correct them and "
                                       "export again.", len(exc.problems)).format(
                count=len(exc.problems), standard=exc.standard), error=True)
            self._show_list(True)
            for problem in exc.problems:
                self.problems.addItem(_directed(_("grant {reference} lacks {what}").format(
                    reference=problem.grant, what=problem.lacks) if problem.grant else problem.lacks))
        elif isinstance(exc, TrustFundError):
            self._show_status(str(exc), error=True)
        else:
            self._show_status(_("Something went wrong: {error}").format(error=exc), error=True)

    def _show_list(self, visible: bool) -> None:
        self.problems.setVisible(visible)
        self.layout_box.setStretch(self.layout_box.indexOf(self.problems) + 1, 0 if visible else 1)

    def _cancelled(self) -> None:
        self._show_status(_("Cancelled; no file was written."))

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(_directed(text))

    def _close_or_cancel(self) -> None:
        if self.control is not None:
            self.control.cancel()
        else:
            self.reject()


def _directed(text: str) -> str:
    """A line that starts with a file name or an agreement number still reads right-to-left in
    Arabic (a right-to-left mark first)."""
    return "\u200f" + text if is_rtl() else text


def _isolated(path: str) -> str:
    """A file path kept left-to-right inside a right-to-left sentence (its slashes stay put)."""
    return f"\u2066{path}\u2069" if is_rtl() else path


def open_data_dialog(window) -> None:
    dialog = OpenDataDialog(window.ctx, window)
    window.open_data = dialog  # kept alive while open
    dialog.open()
