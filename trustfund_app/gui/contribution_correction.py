"""Correcting the descriptive fields of an entry (reference, earmark, note) — never its amount —
with a reason that is kept in the note and the audit trail."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _
from trustfund_app.gui.form_fit import dialog_buttons, tab_chain
from trustfund_app.gui.jobs import start_job


class CorrectionDialog(QDialog):
    def __init__(self, ctx, row, parent=None):
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.setWindowTitle(_("Correct {receipt}").format(receipt=row.receipt_number or ""))
        self.reference = QLineEdit(row.reference or "", objectName="correct_reference")
        self.earmark = QLineEdit(row.earmark or "", objectName="correct_earmark")
        self.note = QLineEdit(objectName="correct_note")
        self.reason = QLineEdit(objectName="correct_reason")
        self.error = QLabel(objectName="correct_error")
        self.error.setStyleSheet("color:#b02a37;")
        self.error.setWordWrap(True)
        hint = QLabel(_("Amounts are never edited: reverse the entry and enter it again."))
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Donor's reference"), self.reference)
        form.addRow(_("Earmark"), self.earmark)
        form.addRow(_("Note"), self.note)
        form.addRow(_("Reason for the correction"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        tab_chain(self.reference, self.earmark, self.note, self.reason, *dialog_buttons(buttons))

    def save(self) -> None:
        ctx, entry_id = self.ctx, self.row.id
        values = (self.reference.text(), self.earmark.text(), self.note.text(), self.reason.text())

        def work(_job):
            from trustfund_app.core.services.contributions import ContributionService

            ctx.service(ContributionService).correct_note(entry_id, *values)

        def failed(exc):
            self.error.setText(exc.message if isinstance(exc, ValidationError) else str(exc))

        start_job(work, on_done=lambda _r: self.accept(), on_error=failed)
