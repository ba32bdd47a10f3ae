"""File → "Exchange with headquarters…" / "Exchange with offices…": make a package for another
office, or apply one received; the work runs in a background job with a progress bar, and a
summary says what changed (or, in one line, why a package was refused)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar,
    QPushButton, QVBoxLayout,
)

from trustfund_app.core.i18n import _, ngettext
from trustfund_app.core.offices.identity import OfficeService
from trustfund_app.core.offices.service import ExchangeService
from trustfund_app.gui.jobs import start_job

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
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
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
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.me = None
        self.setWindowTitle(_("Exchange packages"))
        self.peer_label.setText(_("Make a package for"))
        self.make_button.setText(_("Make a package…"))
        self.apply_button.setText(_("Apply a package…"))
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

    def _busy(self, busy: bool) -> None:
        self.progress.setRange(0, 0 if busy else 1)
        self.progress.setValue(0 if busy else 1)
        for w in (self.make_button, self.apply_button, self.peer):
            w.setEnabled(not busy)

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
        self._busy(True)
        start_job(lambda _job: service.export_to(code, path), on_done=lambda r: self._made(r, path),
                  on_error=self._failed)

    def _made(self, result, path: str) -> None:
        self._busy(False)
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
        self._busy(True)
        start_job(lambda _job: service.apply_file(path), on_done=self._applied, on_error=self._failed)

    def _applied(self, result) -> None:
        self._busy(False)
        self.summary.setPlainText(package_summary(result))
