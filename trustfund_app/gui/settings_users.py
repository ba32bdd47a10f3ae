"""The user list on the Settings screen: administrators add users, disable and enable them, change
their role and reset their password; everyone changes their own password. Each change is a
service call in a background job, audited like any other change."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import N_, _, pgettext
from trustfund_app.core.models.admin import ROLE_LABELS, Role
from trustfund_app.gui.table_model import SORT_ROLE, Column, RowsTableModel

ERROR_STYLE = "color:#b02a37;"


def role_label(role: str) -> str:
    return _(ROLE_LABELS.get(role, role))


USER_COLUMNS = (
    Column(N_("User"), lambda u: u["name"]),
    Column(N_("Role"), lambda u: u["role"], display=lambda u: role_label(u["role"])),
    Column(N_("Status"), lambda u: u["active"], display=lambda u: pgettext("active state", "Active") if u["active"] else pgettext("active state", "Disabled")),
)


class UsersPanel(QGroupBox):
    """Who may log in, and (administrators only) a form to add someone."""

    def __init__(self, screen):
        super().__init__()
        self.screen = screen
        self.ctx = screen.ctx
        self.model = RowsTableModel(USER_COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("settings_users")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(140)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())

        self.toggle_button = QPushButton()
        self.toggle_button.setObjectName("toggle_user")
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.role_button = QPushButton()
        self.role_button.setObjectName("change_user_role")
        self.role_button.clicked.connect(self.change_role)
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("reset_user_password")
        self.reset_button.clicked.connect(lambda: self.change_password(own=False))
        self.own_button = QPushButton()
        self.own_button.setObjectName("change_own_password")
        self.own_button.clicked.connect(lambda: self.change_password(own=True))
        self.admin_actions = (self.toggle_button, self.role_button, self.reset_button)

        self.name = QLineEdit()
        self.name.setObjectName("new_user_name")
        self.role = QComboBox()
        self.role.setObjectName("new_user_role")
        for role in Role:
            self.role.addItem("", role.value)
        self.password = QLineEdit()
        self.password.setObjectName("new_user_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("new_user_confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {key: self._error_label(key) for key in ("name", "role", "password", "confirm")}
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_user")
        self.add_button.clicked.connect(self.add_user)
        self.form_labels = {key: QLabel() for key in ("name", "role", "password", "confirm")}
        self.add_form = QWidget()
        form = QFormLayout(self.add_form)
        form.setContentsMargins(0, 0, 0, 0)
        for key, widget in (("name", self.name), ("role", self.role), ("password", self.password), ("confirm", self.confirm)):
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(widget)
            cell.addWidget(self.errors[key])
            form.addRow(self.form_labels[key], cell)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.add_button)
        form.addRow(buttons)
        self.note = QLabel()
        self.note.setObjectName("users_note")
        self.note.setWordWrap(True)

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        actions = QHBoxLayout()
        for button in (*self.admin_actions, self.own_button):
            actions.addWidget(button)
        actions.addStretch()
        left.addLayout(actions)
        layout.addLayout(left, 3)
        side = QVBoxLayout()
        self.form_title = QLabel()
        self.form_title.setStyleSheet("font-weight:bold;")
        side.addWidget(self.form_title)
        side.addWidget(self.add_form)
        side.addWidget(self.note)
        side.addStretch()
        layout.addLayout(side, 2)
        self.update_permissions()

    def _error_label(self, key: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"new_user_error_{key}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    def update_permissions(self) -> None:
        allowed = bool(self.ctx.actor and self.ctx.actor.can("users"))
        self.add_form.setVisible(allowed)
        self.form_title.setVisible(allowed)
        self.note.setVisible(not allowed)
        for button in self.admin_actions:
            button.setVisible(allowed)
        self.own_button.setEnabled(bool(self.ctx.actor))
        self._update_actions()

    def retranslate(self) -> None:
        self.setTitle(_("Users"))
        self.form_title.setText(_("Add a user"))
        self.form_labels["name"].setText(_("User name"))
        self.form_labels["role"].setText(_("Role"))
        self.form_labels["password"].setText(_("Password"))
        self.form_labels["confirm"].setText(_("Repeat the password"))
        self.add_button.setText(_("Add user"))
        self.note.setText(_("Only administrators can add users and change accounts."))
        self.role_button.setText(_("Change role…"))
        self.reset_button.setText(_("Reset password…"))
        self.own_button.setText(_("Change my password…"))
        self._update_actions()
        for index in range(self.role.count()):
            self.role.setItemText(index, role_label(self.role.itemData(index)))
        self.model.retranslate()

    def show_users(self, users: list[dict]) -> None:
        self.model.set_rows(users)
        self._update_actions()

    # -- changing accounts -------------------------------------------------------------------
    def selected_user(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.rows[self.proxy.mapToSource(rows[0]).row()]

    def _update_actions(self) -> None:
        user = self.selected_user()
        for button in self.admin_actions:
            button.setEnabled(user is not None)
        active = user is None or user["active"]
        self.toggle_button.setText(pgettext("user account", "Disable") if active else pgettext("user account", "Enable"))
        if user is not None and user["name"] == getattr(self.ctx.actor, "name", None):
            self.toggle_button.setEnabled(False)  # nobody locks themselves out

    def _run_change(self, work, done_text: str, dialog=None) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def job(_job):
            from trustfund_app.core.services.users import UserService

            return work(UserService(db, actor))

        def done(_result):
            if dialog is not None:
                dialog.accept()
            self.screen.show_message(done_text)

        def failed(exc):
            from trustfund_app.core.errors import TrustFundError

            if dialog is not None and isinstance(exc, TrustFundError):
                dialog.failed(str(exc))
            else:
                self.screen.show_error(exc)

        self.screen.run(job, done, on_error=failed)

    def toggle_selected(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        name = user["name"]
        if user["active"]:
            self._run_change(lambda users: users.disable(name),
                             _("User {user} disabled: they can no longer log in.").format(user=name))
        else:
            self._run_change(lambda users: users.enable(name), _("User {user} enabled.").format(user=name))

    def change_role(self) -> None:
        from trustfund_app.gui.user_dialogs import RoleDialog

        user = self.selected_user()
        if user is None:
            return
        name = user["name"]

        def submit(dialog):
            role = dialog.role.currentData()
            self._run_change(lambda users: users.set_role(name, role),
                             _("User {user} now has the role {role}.").format(user=name, role=role_label(role)), dialog)

        self.dialog = RoleDialog(self, name, user["role"], submit)
        self.dialog.open()

    def change_password(self, own: bool) -> None:
        from trustfund_app.gui.user_dialogs import PasswordDialog

        user = None if own else self.selected_user()
        if not own and user is None:
            return
        name = self.ctx.actor.name if own else user["name"]

        def submit(dialog):
            new = dialog.new.text()
            if own:
                current = dialog.current.text()
                work = lambda users: users.change_own_password(current, new)  # noqa: E731
            else:
                work = lambda users: users.reset_password(name, new)  # noqa: E731
            self._run_change(work, _("Password of {user} changed.").format(user=name), dialog)

        self.dialog = PasswordDialog(self, name, submit, own)
        self.dialog.open()

    # -- adding ------------------------------------------------------------------------------
    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)

    def add_user(self) -> None:
        name, role = self.name.text().strip(), self.role.currentData()
        password = self.password.text()
        if password != self.confirm.text():
            self.show_errors({"confirm": _("the two passwords differ")})
            return
        self.show_errors({})
        db, actor = self.ctx.db, self.ctx.actor
        self.add_button.setEnabled(False)

        def work(_job):
            from trustfund_app.core.services.users import UserService

            return UserService(db, actor).add(name, role, password)

        self.screen.run(work, self._added, on_error=self._add_failed)

    def _added(self, actor) -> None:
        self.add_button.setEnabled(True)
        for edit in (self.name, self.password, self.confirm):
            edit.clear()
        self.screen.show_message(_("User {user} added as {role}.").format(user=actor.name, role=role_label(actor.role)))

    def _add_failed(self, exc: Exception) -> None:
        self.add_button.setEnabled(True)
        if isinstance(exc, ValidationError) and exc.field in self.errors:
            self.show_errors({exc.field: exc.message})
        else:
            self.screen.show_error(exc)
