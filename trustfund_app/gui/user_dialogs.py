"""Dialogs of the account actions on the Settings screen: a new password (an administrator's
reset, or one's own change with the current password) and another role. The dialogs only collect
values; the screen runs the change in a background job and shows the service's refusal in the
dialog, which stays open until the change succeeds."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from trustfund_app.core.i18n import _
from trustfund_app.core.models.admin import ROLE_LABELS, Role
from trustfund_app.gui.form_fit import chain_dialog

ERROR_STYLE = "color:#b02a37;"


class _ChangeDialog(QDialog):
    """OK calls ``submit(dialog)``; ``failed(text)`` or ``accept()`` answers it."""

    def __init__(self, parent, title: str, submit):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._submit = submit
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("user_dialog_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:  # noqa: N802
        """Tab order set once the subclass's rows are in place: fields, then OK and Cancel."""
        if not getattr(self, "_tab_chained", False):
            self._tab_chained = True
            chain_dialog(self)
        super().showEvent(event)

    def _ok(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        self.ok_button.setEnabled(False)
        self.error.setText(_("Saving…"))
        self._submit(self)

    def problem(self) -> str | None:
        return None

    def failed(self, text: str) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(text)


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordDialog(_ChangeDialog):
    """A new password, typed twice; with ``own`` the current one first."""

    def __init__(self, parent, user: str, submit, own: bool):
        title = _("Change my password") if own else _("Reset the password of {user}").format(user=user)
        super().__init__(parent, title, submit)
        self.current = _password_edit("current_password") if own else None
        self.new = _password_edit("new_password")
        self.repeat = _password_edit("repeat_password")
        if self.current is not None:
            self.form.addRow(_("Current password"), self.current)
        self.form.addRow(_("New password"), self.new)
        self.form.addRow(_("Repeat the password"), self.repeat)
        self.note.setText(_("At least 8 characters. A long phrase is easier to remember and harder to guess; "
                            "common passwords are refused."))
        self.note.show()

    def problem(self) -> str | None:
        if self.new.text() != self.repeat.text():
            return _("The two passwords differ.")
        return None


class RoleDialog(_ChangeDialog):
    def __init__(self, parent, user: str, current_role: str, submit):
        super().__init__(parent, _("Change the role of {user}").format(user=user), submit)
        self.role = QComboBox()
        self.role.setObjectName("change_role")
        for role in Role:
            self.role.addItem(_(ROLE_LABELS[role]), role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(current_role)))
        self.form.addRow(_("Role"), self.role)
        self.note.setText(_("The account will not be able to approve payments you prepare (four eyes)."))
        self.note.show()
