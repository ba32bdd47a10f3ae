"""File → "Exchange with headquarters…" / "Exchange with offices…": make a package for another
office, or apply one received; the work runs in a background job with a progress bar (changes
done of the total) and a Cancel button — a cancelled apply leaves the database as it was (one
transaction) and says so — and a summary says what changed, per kind of record (or, in one line,
why a package was refused)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHeaderView, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit,
    QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from trustfund_app.core.field_text import record_label
from trustfund_app.core.i18n import _, format_number, ngettext
from trustfund_app.core.offices.identity import OfficeService
from trustfund_app.core.offices.service import ExchangeService
from trustfund_app.gui.jobs import JobCancelled, start_job

PACKAGE_FILTER = "TrustFund Desk (*.tfsync)"


def package_summary(result) -> str:
    if result.replay or result.held:
        return result.message
    lines = [ngettext("Package from {sender}: {count} change applied.", "Package from {sender}: {count} changes applied.",
                      result.applied).format(sender=result.sender, count=result.applied)]
    if result.unchanged:
        lines.append(ngettext("{count} change was already here.", "{count} changes were already here.",
                              result.unchanged).format(count=result.unchanged))
    if result.conflicts:
        lines.append(ngettext("{count} conflict waits for a decision (Exchange and conflicts).",
                              "{count} conflicts wait for a decision (Exchange and conflicts).",
                              result.conflicts).format(count=result.conflicts))
    for later in result.also_applied:
        lines.append(package_summary(later))
    return "\n".join(lines)


def table_counts(result) -> list[tuple[str, int, int, int]]:
    """(table, applied, already here, conflicts) of a package and the held ones it released."""
    totals: dict[str, list[int]] = {}
    for one in (result, *result.also_applied):
        for table, counts in (getattr(one, "tables", None) or {}).items():
            total = totals.setdefault(table, [0, 0, 0])
            for k in range(3):
                total[k] += counts[k]
    return [(t, *c) for t, c in sorted(totals.items(), key=lambda item: record_label(item[0]))]


class ExchangeDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("exchange_dialog")
        self.setMinimumWidth(560)
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.peer_label = QLabel()
        self.peer = QComboBox()
        self.peer.setObjectName("exchange_peer")
        self.make_button = QPushButton()
        self.make_button.setObjectName("exchange_make")
        self.make_button.clicked.connect(self._make)
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("exchange_apply")
        self.apply_button.clicked.connect(self._apply)
        self.progress = QProgressBar()
        self.progress.setObjectName("exchange_progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.stage = QLabel()
        self.stage.setObjectName("exchange_stage")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("exchange_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.counts = QTableWidget(0, 4)
        self.counts.setObjectName("exchange_counts")
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.counts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts.hide()
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("exchange_summary")
        self.summary.setReadOnly(True)
        self.summary.setMinimumHeight(110)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.peer_label)
        row.addWidget(self.peer, 1)
        row.addWidget(self.make_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.identity)
        layout.addLayout(row)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.stage)
        working = QHBoxLayout()
        working.addWidget(self.progress, 1)
        working.addWidget(self.cancel_button)
        layout.addLayout(working)
        layout.addWidget(self.summary)
        layout.addWidget(self.counts)
        layout.addWidget(buttons)
        self.me = None
        self._applying = False
        self._stop: threading.Event | None = None  # set: the running job stops at its next step
        self.setWindowTitle(_("Exchange packages"))
        self.peer_label.setText(_("Make a package for"))
        self.make_button.setText(_("Make a package…"))
        self.apply_button.setText(_("Apply a package…"))
        self.cancel_button.setText(_("Cancel"))
        self.counts.setHorizontalHeaderLabels([_("Record"), _("Applied"), _("Already here"), _("Conflicts")])
        self._busy(True)
        service = ctx.service(OfficeService)
        start_job(lambda _job: service.show(), on_done=self._show_identity, on_error=self._failed)

    def _show_identity(self, data) -> None:
        self.me, others = data
        self._busy(False)
        if self.me is None:
            self.identity.setText(_("This database has no office identity yet. Give it one on the command line: "
                                    "trustfund office init --hq, or --code CODE --region ISO3,…"))
            for w in (self.peer, self.make_button, self.apply_button):
                w.setEnabled(False)
            return
        self.identity.setText(_("This database is headquarters.") if self.me.is_hq else
                              _("This database is field office {code} ({region}).").format(
                                  code=self.me.code, region=", ".join(self.me.regions)))
        self.setWindowTitle(_("Exchange with offices") if self.me.is_hq else _("Exchange with headquarters"))
        self.peer.clear()
        for office in others:
            if office.key_id:
                self.peer.addItem(_("Headquarters") if office.is_hq else office.code, office.code)
        self.make_button.setEnabled(self.peer.count() > 0)

    def _busy(self, busy: bool, cancellable: bool = False) -> None:
        self.progress.setRange(0, 0 if busy else 1)  # until the first count arrives: a busy bar
        self.progress.setValue(0)  # idle, cancelled or failed: empty; done: full (``_done``)
        for w in (self.make_button, self.apply_button, self.peer):
            w.setEnabled(not busy)
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setEnabled(busy and cancellable)
        if not busy:
            self._stop = None
            self.stage.clear()

    def _start(self, work, on_done, stage: str, counting) -> None:
        """Run ``work(progress)`` in a background job; ``stage`` says what runs until the first
        count, ``counting(done, total)`` then; Cancel makes the next progress call raise, which
        rolls the transaction back."""
        stop = self._stop = threading.Event()
        self.summary.clear()
        self.counts.hide()
        self._busy(True, cancellable=True)
        self.stage.setText(stage)

        def run(job):
            def progress(done: int, total: int) -> None:
                if stop.is_set():
                    raise JobCancelled()
                job.progress(done, total, "")

            return work(progress)

        def shown(done: int, total: int, _label: str) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, total))
            self.stage.setText(counting(done, total))

        start_job(run, on_done=on_done, on_error=self._failed, on_progress=shown, on_cancelled=self._cancelled)

    def cancel(self) -> None:
        if self._stop is not None:
            self._stop.set()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(_("Cancelling…"))

    def _cancelled(self) -> None:
        applying = self._applying
        self._busy(False)
        self.summary.setPlainText(_("Cancelled: nothing of the package was applied; the database is as it was before.")
                                  if applying else _("Cancelled: no package was made."))

    def reject(self) -> None:
        self.cancel()  # closing the dialog stops its work: nothing half done is kept
        super().reject()

    def _failed(self, exc) -> None:
        self._busy(False)
        self.summary.setPlainText(str(exc))

    def _make(self, path: str | None = None) -> None:
        code = self.peer.currentData()
        if not code:
            return
        if not path:
            path, _f = QFileDialog.getSaveFileName(self, _("Make a package"), f"to-{code}.tfsync", PACKAGE_FILTER)
            if not path:
                return
        service = self.ctx.service(ExchangeService)
        self._applying = False
        self._start(lambda progress: service.export_to(code, path, progress=progress), lambda r: self._made(r, path),
                    _("Making the package…"), lambda done, total: ngettext(
                        "Making the package: {done} of {total} event of the audit trail read",
                        "Making the package: {done} of {total} events of the audit trail read", total)
                    .format(done=format_number(done), total=format_number(total)))

    def _done(self) -> None:
        self._busy(False)
        self.progress.setValue(1)

    def _made(self, result, path: str) -> None:
        self._done()
        self.summary.setPlainText(ngettext(
            "Package for {to} written to {path}: {count} change. Send it by e-mail or USB; only {to} can read it.",
            "Package for {to} written to {path}: {count} changes. Send it by e-mail or USB; only {to} can read it.",
            result.changes).format(to=result.recipient, path=path, count=result.changes))

    def _apply(self, path: str | None = None) -> None:
        if not path:
            path, _f = QFileDialog.getOpenFileName(self, _("Apply a package"), "", PACKAGE_FILTER)
            if not path:
                return
        service = self.ctx.service(ExchangeService)
        self._applying = True
        self._start(lambda progress: service.apply_file(path, progress=progress), self._applied,
                    _("Checking the package…"), lambda done, total: ngettext(
                        "Applying the package: {done} of {total} change", "Applying the package: {done} of {total} changes",
                        total).format(done=format_number(done), total=format_number(total)))

    def _applied(self, result) -> None:
        self._done()
        self.summary.setPlainText(package_summary(result))
        rows = table_counts(result)
        self.counts.setRowCount(len(rows))
        for i, (table, *numbers) in enumerate(rows):
            self.counts.setItem(i, 0, QTableWidgetItem(record_label(table)))
            for k, n in enumerate(numbers, start=1):
                item = QTableWidgetItem(format_number(n))
                item.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(i, k, item)
        # as high as its rows: the summary above keeps the room
        self.counts.setFixedHeight(self.counts.horizontalHeader().sizeHint().height() + 2 * self.counts.frameWidth()
                                   + sum(self.counts.rowHeight(i) for i in range(len(rows))))
        self.counts.setVisible(bool(rows))
