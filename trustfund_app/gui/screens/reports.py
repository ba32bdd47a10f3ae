"""Reports: a donor statement or the annual fund report generated off the GUI thread, previewed
(QtPdf) before it is saved; and the batch of statements for every donor active in a year, with a
progress bar and Cancel. The PDFs are made by ``trustfund_app.core.reports``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox, QCompleter, QDateEdit, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
    QPushButton, QScrollArea, QSpinBox, QSplitter, QStyle, QVBoxLayout, QWidget,
)

from trustfund_app.gui.form_fit import fields_in_layout_order, tab_chain
from trustfund_app.gui.dates import DateEdit
from trustfund_app.core.i18n import LANGUAGE_NAMES, LANGUAGES, _, ngettext
from trustfund_app.gui.screens.base import Screen

PDF_FILTER = "PDF (*.pdf)"


def _language_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem("", None)  # "preferred/current language", text set in retranslate
    for lang in LANGUAGES:
        combo.addItem(LANGUAGE_NAMES[lang], lang)
    return combo


def _date_edit(name: str, value: date) -> QDateEdit:
    return DateEdit(value, name)


class ReportsScreen(Screen):
    watches = frozenset({"donor"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        today = date.today()
        self.pdf_bytes: bytes | None = None  # the document shown in the preview
        self.pdf_name = ""
        self.job = None  # the running batch's control
        self._generating = False

        # -- donor statement ---------------------------------------------------------------
        self.statement_group = QGroupBox()
        self.donor = QComboBox()
        self.donor.setObjectName("report_donor")
        self.donor.setEditable(True)  # type to find a donor among hundreds
        self.donor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.start = _date_edit("report_from", date(today.year, 1, 1))
        self.end = _date_edit("report_to", today)
        self.statement_lang = _language_combo("report_statement_language")
        self.issued = _date_edit("report_issued", today)
        self.preview_statement = QPushButton()
        self.preview_statement.setObjectName("preview_statement")
        self.preview_statement.clicked.connect(self.generate_statement)
        self.statement_form = QFormLayout(self.statement_group)
        self._labels = {key: QLabel() for key in ("donor", "from", "to", "lang", "issued", "year", "flang",
                                                  "byear", "folder", "blang")}
        for key, widget in (("donor", self.donor), ("from", self.start), ("to", self.end),
                            ("lang", self.statement_lang), ("issued", self.issued)):
            self.statement_form.addRow(self._labels[key], widget)
        self.statement_form.addRow(self.preview_statement)

        # -- fund report -------------------------------------------------------------------
        self.fund_group = QGroupBox()
        self.fund_year = QSpinBox()
        self.fund_year.setObjectName("report_fund_year")
        self.fund_year.setRange(2000, 2100)
        self.fund_year.setValue(today.year)
        self.fund_lang = _language_combo("report_fund_language")
        self.preview_fund = QPushButton()
        self.preview_fund.setObjectName("preview_fund_report")
        self.preview_fund.clicked.connect(self.generate_fund_report)
        fund_form = QFormLayout(self.fund_group)
        fund_form.addRow(self._labels["year"], self.fund_year)
        fund_form.addRow(self._labels["flang"], self.fund_lang)
        fund_form.addRow(self.preview_fund)

        # -- batch -------------------------------------------------------------------------
        self.batch_group = QGroupBox()
        self.batch_year = QSpinBox()
        self.batch_year.setObjectName("batch_year")
        self.batch_year.setRange(2000, 2100)
        self.batch_year.setValue(today.year)
        self.folder = QLineEdit()
        self.folder.setObjectName("batch_folder")
        self.choose_folder = QPushButton()
        self.choose_folder.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_folder)
        self.batch_lang = _language_combo("batch_language")
        self.batch_start = QPushButton()
        self.batch_start.setObjectName("batch_start")
        self.batch_start.clicked.connect(self.start_batch)
        self.batch_cancel = QPushButton()
        self.batch_cancel.setObjectName("batch_cancel")
        self.batch_cancel.setEnabled(False)
        self.batch_cancel.clicked.connect(self.cancel_batch)
        self.progress = QProgressBar()
        self.progress.setObjectName("batch_progress")
        self.progress.setValue(0)
        batch_form = QFormLayout(self.batch_group)
        batch_form.addRow(self._labels["byear"], self.batch_year)
        batch_form.addRow(self._labels["folder"], folder_row)
        batch_form.addRow(self._labels["blang"], self.batch_lang)
        buttons = QHBoxLayout()
        buttons.addWidget(self.batch_start)
        buttons.addWidget(self.batch_cancel)
        batch_form.addRow(buttons)
        batch_form.addRow(self.progress)

        self.status = QLabel()
        self.status.setObjectName("reports_status")
        self.status.setWordWrap(True)

        # -- preview -----------------------------------------------------------------------
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView()
        self.view.setObjectName("report_preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.preview_title = QLabel()
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_report")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_pdf)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        head = QHBoxLayout()
        head.addWidget(self.preview_title, 1)
        head.addWidget(self.save_button)
        right_layout.addLayout(head)
        right_layout.addWidget(self.view, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        for widget in (self.title, self.statement_group, self.fund_group, self.batch_group, self.status):
            left_layout.addWidget(widget)
        left_layout.addStretch()
        # the choices' texts ("Idioma preferido de cada donante") must not widen the column past its
        # 360 px: the combo boxes show what fits, their lists show the whole texts
        for combo in (self.donor, self.statement_lang, self.fund_lang, self.batch_lang):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        scroll.setMinimumWidth(360)
        self.left = left
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        # Tab down the forms on the left (statement, fund report, batch), then Save PDF and the preview
        tab_chain(*fields_in_layout_order(left_layout), self.save_button, self.view)
        self.retranslate()

    def _fit_left(self) -> None:
        """The forms' column as wide as its longest label and group title need in this language
        (never scrolled sideways), at least 360 px."""
        scrollbar = self.scroll.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        need = self.left.minimumSizeHint().width() + scrollbar + 2 * self.scroll.frameWidth()
        self.scroll.setMinimumWidth(max(360, need))

    # -- texts -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Reports"))
        self.statement_group.setTitle(_("Donor statement"))
        self.fund_group.setTitle(_("Annual fund report"))
        self.batch_group.setTitle(_("Statements for all donors of a year"))
        for key, text in (("donor", _("Donor")), ("from", _("From")), ("to", _("To")), ("lang", _("Language")),
                          ("issued", _("Date issued")), ("year", _("Year")), ("flang", _("Language")),
                          ("byear", _("Year")), ("folder", _("Folder")), ("blang", _("Language"))):
            self._labels[key].setText(text)
        for combo, first in ((self.statement_lang, _("Donor's preferred language")),
                             (self.fund_lang, _("Language of the application")),
                             (self.batch_lang, _("Each donor's preferred language"))):
            combo.setItemText(0, first)
        self.preview_statement.setText(_("Generate and preview"))
        self.preview_fund.setText(_("Generate and preview"))
        self.choose_folder.setText(_("Choose…"))
        self.batch_start.setText(_("Generate all statements"))
        self.batch_cancel.setText(_("Cancel"))
        self.save_button.setText(_("Save PDF…"))
        self.preview_title.setText(self.pdf_name or _("Preview"))
        self._fit_left()

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def work(_job):
            from trustfund_app.core.services.donors import DonorService

            return [(d.name, d.id, tuple(d.aliases)) for d in DonorService(db, actor).list()]

        self.run(work, self._donors_loaded)

    def _donors_loaded(self, donors) -> None:
        current = self.donor.currentData()
        self.donor.clear()
        self.donor_by_text: dict[str, str] = {}
        for name, donor_id, aliases in donors:
            self.donor.addItem(name, donor_id)
            for text in (name, *aliases):
                self.donor_by_text.setdefault(text.casefold(), donor_id)
        # suggestions over names and aliases, anywhere in the text, in a list under the field; no
        # inline completion, which wrote the rest of a name into what was being typed
        names = sorted({name for name, _id, _a in donors} | {a for _n, _id, aliases in donors for a in aliases},
                       key=str.casefold)
        completer = QCompleter(names, self.donor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.donor.setCompleter(completer)
        if current is not None:
            index = self.donor.findData(current)
            self.donor.setCurrentIndex(max(index, 0))

    def selected_donor(self) -> str:
        """The chosen donor's id (by name or alias), or the typed text (resolved by the core)."""
        text = self.donor.currentText().strip()
        return getattr(self, "donor_by_text", {}).get(text.casefold()) or text

    # -- single documents --------------------------------------------------------------------
    def generate_statement(self) -> None:
        db, donor = self.ctx.db, self.selected_donor()
        start, end = self.start.date().toPython(), self.end.date().toPython()
        lang, issued = self.statement_lang.currentData(), self.issued.date().toPython()
        label = self.donor.currentText()

        def work(_job):
            from trustfund_app.core.reports import render_statement

            return render_statement(db, donor, start, end, lang=lang, issued=issued)

        self._generate(work, _("Donor statement — {donor}").format(donor=label),
                       f"statement-{end.isoformat()}-{_safe(label)}.pdf")

    def generate_fund_report(self) -> None:
        db, year = self.ctx.db, self.fund_year.value()
        lang, issued = self.fund_lang.currentData() or self.ctx.language, self.issued.date().toPython()

        def work(_job):
            from trustfund_app.core.reports import render_fund_report

            return render_fund_report(db, year, lang=lang, issued=issued)

        self._generate(work, _("Annual fund report {year}").format(year=year), f"fund-report-{year}-{lang}.pdf")

    def _generate(self, work, title: str, filename: str) -> None:
        self._set_busy(True)
        self.status.setText(_("Generating…"))

        def done(pdf: bytes) -> None:
            self.show_pdf(pdf, title, filename)
            self.status.setText(ngettext("Ready: {pages} page. Check the preview, then save.",
                                            "Ready: {pages} pages. Check the preview, then save.",
                                            self.document.pageCount()).format(
                pages=self.document.pageCount()))

        def failed(exc) -> None:
            self.status.setText(str(exc))
            self.show_error(exc)

        self.run(work, done, on_error=failed, on_finished=lambda: self._set_busy(False))

    def _set_busy(self, busy: bool) -> None:
        self._generating = busy
        for button in (self.preview_statement, self.preview_fund):
            button.setEnabled(not busy)

    def show_pdf(self, pdf: bytes, title: str, filename: str) -> None:
        """Show the PDF in the preview (QtPdf renders pages as they are scrolled to)."""
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.pdf_bytes, self.pdf_name, self.suggested_name = pdf, title, filename
        # a new document opens at its first page, not at the previous one's scroll position
        self.view.pageNavigator().jump(0, QPointF(), self.view.pageNavigator().currentZoom())
        self.view.verticalScrollBar().setValue(0)
        self.view.horizontalScrollBar().setValue(0)
        self.preview_title.setText(title)
        self.save_button.setEnabled(True)

    def save_pdf(self) -> None:
        if self.pdf_bytes is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save PDF"), self.suggested_name, PDF_FILTER)
        if not path:
            return
        pdf = self.pdf_bytes

        def work(_job):
            from trustfund_app.core.reports.common import atomic_write

            return atomic_write(Path(path), pdf)

        self.run(work, lambda written: self.status.setText(_("Saved to {path}").format(path=written)))

    # -- batch -----------------------------------------------------------------------------
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder for the statements"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def start_batch(self) -> None:
        folder = self.folder.text().strip()
        if not folder:
            self.status.setText(_("Choose a folder for the statements first."))
            return
        db, year = self.ctx.db, self.batch_year.value()
        lang, issued = self.batch_lang.currentData(), self.issued.date().toPython()

        def work(job):
            from trustfund_app.core.reports.batch import write_statements

            return write_statements(db, year, folder, lang=lang, issued=issued, progress=job.progress,
                                    cancelled=lambda: job.cancelled)

        self.progress.setValue(0)
        self.batch_start.setEnabled(False)
        self.batch_cancel.setEnabled(True)
        self.status.setText(_("Generating the statements of {year}…").format(year=year))
        self.job = self.run(work, self._batch_done, on_progress=self._batch_progress,
                            on_cancelled=lambda: self.status.setText(
                                _("Cancelled; the statements written so far are complete.")),
                            on_finished=self._batch_finished)

    def _batch_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if name:
            self.status.setText(_("Statement {done} of {total}: {donor}").format(done=done + 1, total=total, donor=name))

    def _batch_done(self, result) -> None:
        if result.cancelled:
            self.status.setText(ngettext("Cancelled after {count} of {total} statement; the files written are complete.",
                                         "Cancelled after {count} of {total} statements; the files written are complete.",
                                         result.total).format(count=len(result.written), total=result.total))
        elif not result.total:
            self.status.setText(_("No donor pledged or paid in {year}.").format(year=result.year))
        else:
            self.status.setText(ngettext("{count} statement written to {folder}", "{count} statements written to {folder}",
                                         len(result.written)).format(
                count=len(result.written), folder=self.folder.text()))

    def _batch_finished(self) -> None:
        self.job = None
        self.batch_start.setEnabled(True)
        self.batch_cancel.setEnabled(False)

    def cancel_batch(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.batch_cancel.setEnabled(False)
            self.status.setText(_("Cancelling…"))


def _safe(name: str) -> str:
    import re

    return re.sub(r"[^\w]+", "-", name).strip("-")[:60] or "donor"
