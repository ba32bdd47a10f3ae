"""The login dialog and the first-start welcome (demo fund or the real fund)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
)

from trustfund_app.core.i18n import _
from trustfund_app.gui.form_fit import dialog_buttons, prefer_width, tab_chain


class LoginDialog(QDialog):
    """Asks for user name and password. ``attempt(name, password)`` is called on OK; the dialog
    stays open and shows the error beside the fields until the login succeeds."""

    def __init__(self, parent, attempt, demo: bool = False):
        super().__init__(parent)
        self.setWindowTitle(_("Log in — TrustFund Desk"))
        self._attempt = attempt
        self.user = QLineEdit()
        self.user.setObjectName("login_user")
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("login_error")
        self.error.setStyleSheet("color:#b02a37;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("User name"), self.user)
        form.addRow(_("Password"), self.password)
        self.user.setAccessibleName(_("User name"))
        self.password.setAccessibleName(_("Password"))
        layout = QVBoxLayout(self)
        if demo:
            hint = QLabel(_("Demo fund: users admin, finance, programme and viewer; password demo."))
            hint.setWordWrap(True)
            layout.addWidget(hint)
            self.user.setText("admin")
        layout.addLayout(form)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        tab_chain(self.user, self.password, *dialog_buttons(buttons))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # a pre-filled user name (demo, --user): typing goes to the password, not after "admin"
        (self.password if self.user.text() else self.user).setFocus()

    def _try(self) -> None:
        self.ok_button.setEnabled(False)
        self.error.setText(_("Checking…"))
        self._attempt(self.user.text(), self.password.text(), self._done)

    def _done(self, error: str | None) -> None:
        self.ok_button.setEnabled(True)
        if error:
            self.error.setText(error)
            self.password.clear()
            self.password.setFocus()
        else:
            self.accept()


class WelcomeDialog(QDialog):
    """First start without a database: explore the demo fund, or create the real fund."""

    DEMO, REAL = 1, 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to TrustFund Desk"))
        self.choice = 0
        text = QLabel(_(
            "There is no fund database on this computer yet.\n\n"
            "Explore a demo fund with made-up donors, contributions and grants (kept in its own file "
            "and marked DEMO everywhere), or create the real fund with its first administrator."))
        text.setWordWrap(True)
        demo = QPushButton(_("Explore the demo fund"))
        demo.setObjectName("welcome_demo")
        demo.clicked.connect(lambda: self._choose(self.DEMO))
        real = QPushButton(_("Create the real fund"))
        real.setObjectName("welcome_real")
        real.clicked.connect(lambda: self._choose(self.REAL))
        self.admin = QLineEdit()
        self.admin.setObjectName("welcome_admin")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color:#b02a37;")
        form = QFormLayout()
        form.addRow(_("Administrator's user name"), self.admin)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Password again"), self.password2)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(demo)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(real)
        tab_chain(demo, self.admin, self.password, self.password2, real)
        prefer_width(self, 480)  # tall enough for the wrapped welcome text in every language

    def _choose(self, choice: int) -> None:
        if choice == self.REAL:
            if not self.admin.text().strip():
                self.error.setText(_("Enter the administrator's user name."))
                return
            if self.password.text() != self.password2.text():
                self.error.setText(_("The two passwords differ."))
                return
            from trustfund_app.core.errors import ValidationError
            from trustfund_app.core.passwords import check_password

            try:  # the rules the account will be created with (NIST SP 800-63B), said here at once
                check_password(self.password.text(), self.admin.text())
            except ValidationError as exc:
                self.error.setText(str(exc))
                return
        self.choice = choice
        self.accept()
