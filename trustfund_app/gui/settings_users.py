"""The user list on the Settings screen, with the form administrators use to add a user."""

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
        layout.addWidget(self.table, 3)
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

    def retranslate(self) -> None:
        self.setTitle(_("Users"))
        self.form_title.setText(_("Add a user"))
        self.form_labels["name"].setText(_("User name"))
        self.form_labels["role"].setText(_("Role"))
        self.form_labels["password"].setText(_("Password"))
        self.form_labels["confirm"].setText(_("Repeat the password"))
        self.add_button.setText(_("Add user"))
        self.note.setText(_("Only administrators can add users."))
        for index in range(self.role.count()):
            self.role.setItemText(index, role_label(self.role.itemData(index)))
        self.model.retranslate()

    def show_users(self, users: list[dict]) -> None:
        self.model.set_rows(users)

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
