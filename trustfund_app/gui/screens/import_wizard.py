"""The import wizard: file → sheet → column mapping → preview with every problem → commit.

Reading, checking and committing run as background jobs with a progress bar and a Cancel button;
a cancelled or failed import changes nothing (the core commits in one transaction). Problems are
listed by sheet, row and column; the rejected rows can be saved as a workbook to fix and re-import.
A mapping made by hand can be remembered for files of the same layout.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
    QPushButton, QTableView, QVBoxLayout,
)
from PySide6.QtCore import QSortFilterProxyModel

from trustfund_app.core.excel.headers import KIND_FIELDS, header_key, header_label
from trustfund_app.core.i18n import N_, _, ngettext
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.table_model import SORT_ROLE, Column, RowsTableModel

KIND_LABELS = (("contributions", N_("Contributions")), ("donors", N_("Donors")), ("rates", N_("Exchange rates")),
               ("grants", N_("Grants")))
ERROR_COLUMNS = (
    Column(N_("Sheet"), lambda e: e.sheet),
    Column(N_("Row"), lambda e: e.row, numeric=True),
    Column(N_("Column"), lambda e: e.column),
    Column(N_("Problem"), lambda e: e.message),
)
WORKBOOK_FILTER = N_("Workbooks (*.xlsx *.xlsm *.xls *.ods)")


class ImportScreen(Screen):
    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.layout_info = None  # core FileLayout of the chosen file and sheet
        self.manual: dict[str, str] = {}  # header key -> field ("" = do not import), made by hand
        self.result = None  # the last ImportResult
        self.job = None  # the running job's control
        self.rows_done = 0  # progress of the running job
        self._finished_result: dict = {}  # a job's result, even if Cancel came after it was done
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        self.kind_label, self.file_label, self.sheet_label = QLabel(), QLabel(), QLabel()
        self.kind = QComboBox()
        self.kind.setObjectName("import_kind")
        for key, _label in KIND_LABELS:
            self.kind.addItem("", key)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.file = QLineEdit()
        self.file.setObjectName("import_file")
        self.file.editingFinished.connect(self.load_file)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.template_button = QPushButton()
        self.template_button.setObjectName("import_template")
        self.template_button.clicked.connect(self._ask_template)
        self.sheet = QComboBox()
        self.sheet.setObjectName("import_sheet")
        self.sheet.activated.connect(lambda _i: self.load_file(self.sheet.currentText()))
        self.mapping_box = QGroupBox()
        self.mapping_form = QFormLayout(self.mapping_box)
        self.remember = QCheckBox()
        self.remember.setObjectName("import_remember")
        self.skip_invalid = QCheckBox()
        self.skip_invalid.setObjectName("import_skip_invalid")
        self.check_button, self.commit_button = QPushButton(), QPushButton()
        self.check_button.setObjectName("import_check")
        self.commit_button.setObjectName("import_commit")
        self.check_button.clicked.connect(lambda: self.start(dry_run=True))
        self.commit_button.clicked.connect(lambda: self.start(dry_run=False))
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("import_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.rejects_button = QPushButton()
        self.rejects_button.setObjectName("import_save_rejects")
        self.rejects_button.clicked.connect(self._ask_rejects)
        self.progress = QProgressBar()
        self.progress.setObjectName("import_progress")
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.errors = RowsTableModel(ERROR_COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.errors)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("import_errors")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._build_layout()
        self.retranslate()
        self._update_buttons()

    def _build_layout(self) -> None:
        top = QFormLayout()
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.browse)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind, 1)
        kind_row.addWidget(self.template_button)
        top.addRow(self.kind_label, kind_row)
        top.addRow(self.file_label, file_row)
        top.addRow(self.sheet_label, self.sheet)
        buttons = QHBoxLayout()
        options = QVBoxLayout()  # the options one above the other: side by side they widened the window
        for widget in (self.skip_invalid, self.remember):
            options.addWidget(widget)
        buttons.addLayout(options)
        buttons.addStretch()
        for widget in (self.check_button, self.commit_button, self.cancel_button):
            buttons.addWidget(widget)
        status = QHBoxLayout()
        status.addWidget(self.summary, 1)
        status.addWidget(self.rejects_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.mapping_box)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addLayout(status)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)

    def retranslate(self) -> None:
        self.title.setText(_("Import from a workbook"))
        self.kind_label.setText(_("What to import"))
        self.file_label.setText(_("File"))
        self.sheet_label.setText(_("Sheet"))
        for i, (_key, label) in enumerate(KIND_LABELS):
            self.kind.setItemText(i, _(label))
        self.browse.setText(_("Choose…"))
        self.template_button.setText(_("Empty template…"))
        self.mapping_box.setTitle(_("Columns"))
        self.remember.setText(_("Remember this mapping for files laid out the same way"))
        self.skip_invalid.setText(_("Import the valid rows and skip the others"))
        self.check_button.setText(_("Check"))
        self.commit_button.setText(_("Import"))
        self.cancel_button.setText(_("Cancel"))
        self.rejects_button.setText(_("Save rejected rows…"))
        self.errors.retranslate()
        self._show_mapping()
        self._show_result()

    # -- choosing the file, sheet and columns ------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def _kind_changed(self) -> None:
        self.manual = {}
        if self.file.text().strip():
            self.load_file()

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Choose a workbook"), "", _(WORKBOOK_FILTER))
        if path:
            self.file.setText(path)
            self.load_file()

    def load_file(self, sheet: str | None = None) -> None:
        """Read the sheets and the header row of the chosen file (in the background)."""
        path = self.file.text().strip()
        if not path:
            return
        db, kind, manual = self.ctx.db, self.current_kind(), dict(self.manual)
        self.result = None
        self._show_result()

        def work(_job):
            from trustfund_app.core.excel.importer import inspect_file

            return inspect_file(db, kind, path, sheet, manual)

        self._run(work, self._file_loaded)

    def _file_loaded(self, info) -> None:
        self.layout_info = info
        self.sheet.clear()
        for sheet in info.sheets:
            self.sheet.addItem(sheet.name + (" " + _("(hidden)") if sheet.hidden else ""), sheet.name)
        self.sheet.setCurrentIndex(max(0, self.sheet.findData(info.sheet)))
        self._show_mapping()
        if info.match is None:
            self.summary.setText(_("No header row naming the columns was found in the first rows of this sheet."))
        self._update_buttons()

    def _show_mapping(self) -> None:
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        match = self.layout_info.match if self.layout_info else None
        if match is None:
            return
        fields = KIND_FIELDS[self.current_kind()]
        lang = self.ctx.language
        by_column = {c: name for name, c in match.columns.items()}
        for column in sorted(match.headers):
            combo = QComboBox()
            combo.setObjectName(f"map_{column}")
            combo.addItem(_("(do not import)"), "")
            for name, required in fields:
                combo.addItem(header_label(name, lang) + (" *" if required else ""), name)
            combo.setCurrentIndex(max(0, combo.findData(by_column.get(column, ""))))
            text = match.headers[column]
            combo.currentIndexChanged.connect(lambda _i, c=combo, t=text: self.set_mapping(t, c.currentData()))
            self.mapping_form.addRow(QLabel(text), combo)
        missing = match.missing(self.current_kind())
        if missing:
            self.mapping_form.addRow(QLabel(_("Still to map: {fields}").format(
                fields=", ".join(header_label(m, lang) for m in missing))))

    def set_mapping(self, header: str, field: str) -> None:
        """Map a header to a field by hand ("" = do not import) and re-read the layout."""
        self.manual[header_key(header)] = field
        self.load_file(self.sheet.currentData())

    # -- checking and importing --------------------------------------------------------------
    def start(self, dry_run: bool) -> None:
        path = self.file.text().strip()
        if not path or self.job is not None:
            return
        from trustfund_app.core.excel.importer import ImportOptions, run_import

        db, actor, kind = self.ctx.db, self.ctx.actor, self.current_kind()
        manual, sheet = dict(self.manual), self.sheet.currentData()
        remember, skip = self.remember.isChecked() and not dry_run, self.skip_invalid.isChecked()

        holder = self._finished_result = {}

        def work(job):
            result = run_import(db, actor, kind, path, ImportOptions(
                sheet=sheet, mapping=manual, dry_run=dry_run, skip_invalid=skip,
                progress=lambda done, total: job.progress(done, total, ""), cancelled=lambda: job.cancelled))
            if remember and result.committed:
                from trustfund_app.core.excel.headers import HeaderMatch, save_mapping

                columns = {name: c for c, text in result.headers.items()
                           for name, header in result.columns.items() if header == text}
                save_mapping(db, actor.name, HeaderMatch(result.header_row, result.headers, columns, result.layout))
            holder["result"] = result
            return result

        self.progress.setRange(0, 0)
        self.rows_done = 0
        self.summary.setText(_("Checking…") if dry_run else _("Importing…"))
        self._run(work, self._finished)

    def _finished(self, result) -> None:
        self.result = result
        self._show_result()

    def _show_result(self) -> None:
        result = self.result
        self.errors.set_rows(list(result.errors) if result else [])
        self.notes.setText("\n".join(result.notes) if result else "")
        if result is None:
            self.summary.setText("")
        else:
            counts = ngettext(
                "{rows} row: new {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected}",
                "{rows} rows: new {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected}",
                result.rows).format(
                rows=result.rows, inserted=result.inserted, updated=result.updated, unchanged=result.unchanged,
                rejected=result.rejected)
            if result.dry_run:
                outcome = (_("Checked: nothing was changed.") if not result.errors
                           else _("Checked: fix the rows listed below, or import only the valid rows."))
            elif result.committed:
                outcome = _("Imported.")
            else:
                outcome = _("Nothing was imported: some rows are invalid (listed below).")
            self.summary.setText(f"{counts}. {outcome}")
        self._update_buttons()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _cancelled(self) -> None:
        if "result" in self._finished_result:  # Cancel came too late: the work was already done
            self._finished(self._finished_result["result"])
            return
        self.summary.setText(_("Cancelled; nothing was changed."))

    def _run(self, work, on_done) -> None:
        self.job = self.run(work, on_done, on_progress=self._progress, on_cancelled=self._cancelled,
                            on_finished=self._job_done, on_error=self._failed)
        self._update_buttons()

    def _failed(self, exc) -> None:
        from trustfund_app.core.errors import TrustFundError

        self.summary.setText(str(exc) if isinstance(exc, TrustFundError) else _("Something went wrong: {error}").format(error=exc))
        self.show_error(exc)

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.rows_done = done
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:  # a file that does not say how long it is: a busy bar with the row reached
            self.progress.setRange(0, 0)
            self.progress.setFormat(_("row {row}").format(row=done))

    def _job_done(self) -> None:
        self.job = None
        self.progress.setRange(0, 1)
        self.progress.setFormat("%p%")
        self.progress.setValue(1 if self.result else 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job is not None
        ready = bool(self.layout_info and self.layout_info.match and not self.layout_info.match.missing(self.current_kind()))
        self.check_button.setEnabled(ready and not busy)
        self.commit_button.setEnabled(ready and not busy and not self.ctx.read_only_reason)
        self.cancel_button.setEnabled(busy)
        self.rejects_button.setEnabled(bool(self.result and self.result.rejected_rows) and not busy)

    # -- files written -----------------------------------------------------------------------
    def _ask_rejects(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Save rejected rows"), "rejected.xlsx", "*.xlsx")
        if path:
            self.save_rejects(path)

    def save_rejects(self, path: str) -> None:
        from trustfund_app.core.excel.rejects import write_rejects

        result = self.result
        self.run(lambda _job: write_rejects(result, path),
                 lambda p: self.summary.setText(_("Rejected rows saved to {file}").format(file=p)))

    def _ask_template(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Save an empty template"), f"{self.current_kind()}.xlsx", "*.xlsx")
        if path:
            self.save_template(path)

    def save_template(self, path: str) -> None:
        from trustfund_app.core.excel.templates import write_template

        kind, lang = self.current_kind(), self.ctx.language
        self.run(lambda _job: write_template(kind, path, lang),
                 lambda p: self.summary.setText(_("Template saved to {file}").format(file=p)))
