"""The confirmation a rate far from the previous one needs (more than 50 % either way; a tenfold
typo is the usual cause). Shown by the single-rate dialog and the month's rate list when the
service refuses with RateJumpError; "Save anyway" saves again with the jumps accepted."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout

from trustfund_app.core.i18n import _, format_date, format_rate, ngettext
from trustfund_app.gui.form_fit import dialog_buttons, tab_chain
from trustfund_app.gui.rate_dialog import change_text

WARNING_STYLE = "color:#842029;font-weight:bold;"


def jump_line(jump) -> str:
    return _("{currency}: {rate} instead of {previous} ({date}), a change of {change}").format(
        currency=jump.currency, rate=format_rate(jump.rate), previous=format_rate(jump.previous),
        date=format_date(jump.previous_date), change=change_text(jump.change_percent))


class RateJumpDialog(QDialog):
    def __init__(self, parent, jumps):
        super().__init__(parent)
        self.setObjectName("rate_jump_dialog")
        self.setWindowTitle(_("Check the exchange rates"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel(ngettext(
            "This rate is more than 50 % away from the previous rate of its currency:",
            "These {count} rates are more than 50 % away from the previous rate of their currency:",
            len(jumps)).format(count=len(jumps)))
        heading.setWordWrap(True)
        heading.setStyleSheet(WARNING_STYLE)
        layout.addWidget(heading)
        self.jumps = QListWidget()
        self.jumps.setObjectName("rate_jumps")
        self.jumps.addItems([jump_line(j) for j in jumps])
        self.jumps.setMaximumHeight(max(60, min(200, 24 * len(jumps) + 8)))
        layout.addWidget(self.jumps)
        advice = QLabel(_("A misplaced decimal point changes every USD equivalent recorded with the rate. Save "
                          "only if the published rate really changed this much."))
        advice.setWordWrap(True)
        layout.addWidget(advice)
        buttons = QDialogButtonBox()
        self.back_button = buttons.addButton(_("Go back and check"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button = buttons.addButton(_("Save anyway"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button.setObjectName("rate_jump_back")
        self.save_button.setObjectName("rate_jump_save")
        self.back_button.setDefault(True)  # Enter does not confirm a typo
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        tab_chain(self.jumps, *dialog_buttons(buttons))


def ask_to_accept_jumps(form, exc) -> bool:
    """For a FormDialog whose save failed: when ``exc`` is a RateJumpError, ask, and on "Save
    anyway" save again with ``form.accept_jumps`` set. True when ``exc`` was handled here."""
    from trustfund_app.core.services.rates import RateJumpError

    if not isinstance(exc, RateJumpError):
        return False
    form.ok_button.setEnabled(True)
    form.jump_dialog = dialog = RateJumpDialog(form, exc.jumps)

    def confirmed():
        form.accept_jumps = True
        form._ok()

    dialog.accepted.connect(confirmed)
    dialog.open()
    return True
