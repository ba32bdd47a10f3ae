"""Merge a duplicate donor into the one kept: contributions and aliases move, the duplicate's name
becomes an alias, and the duplicate stays (inactive) so nothing is lost."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from trustfund_app.core.i18n import _
from trustfund_app.gui.form_fit import dialog_buttons, tab_chain
from trustfund_app.gui.jobs import start_job


class MergeDialog(QDialog):
    def __init__(self, ctx, keep, donors, parent=None):
        super().__init__(parent)
        self.ctx, self.keep = ctx, keep
        self.setWindowTitle(_("Merge donors"))
        text = QLabel(_("Merge this duplicate into {name}. Its pledges, payments and aliases move to {name}; "
                        "its name becomes an alias; it stays in the registry as inactive.").format(name=keep.name))
        text.setWordWrap(True)
        self.duplicate = QComboBox(objectName="merge_duplicate")
        for donor in donors:
            if donor.id != keep.id:
                self.duplicate.addItem(donor.name, donor.id)
        self.error = QLabel(objectName="merge_error")
        self.error.setStyleSheet("color:#b02a37;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.merge)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.duplicate)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        tab_chain(self.duplicate, *dialog_buttons(buttons))

    def merge(self) -> None:
        ctx, keep_id, dup_id = self.ctx, self.keep.id, self.duplicate.currentData()

        def work(_job):
            from trustfund_app.core.services.donors import DonorService

            ctx.service(DonorService).merge(keep_id, dup_id)

        start_job(work, on_done=lambda _r: self.accept(), on_error=lambda exc: self.error.setText(str(exc)))
