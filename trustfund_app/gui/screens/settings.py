"""Settings: the display language (switched at once, remembered), the fund's own settings
(administrators edit them) and the users."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox,
    QVBoxLayout, QWidget,
)

from trustfund_app.gui.form_fit import fields_in_layout_order, tab_chain
from trustfund_app.gui.bidi_text import isolate
from trustfund_app.core.i18n import LANGUAGE_NAMES, LANGUAGES, _, format_amount, format_date
from trustfund_app.gui.screens.base import Screen
from trustfund_app.gui.settings_fields import FUND_FIELDS, changed_values, shown_value
from trustfund_app.gui.settings_users import ERROR_STYLE, UsersPanel


class SettingsScreen(Screen):
    watches = frozenset({"setting", "user"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.stored: dict[str, str] = {}
        self._dirty = False

        # language
        self.language_group = QGroupBox()
        self.language = QComboBox()
        self.language.setObjectName("settings_language")
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.activated.connect(self._language_picked)
        self.language_label = QLabel()
        self.formats = QLabel()
        self.formats.setObjectName("settings_formats")
        self.formats.setWordWrap(True)
        lang_form = QFormLayout(self.language_group)
        lang_form.addRow(self.language_label, self.language)
        lang_form.addRow(self.formats)

        # fund settings
        self.fund_group = QGroupBox()
        fund_form = QFormLayout(self.fund_group)
        fund_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.field_labels: dict[str, QLabel] = {}
        self.editors: dict[str, QWidget] = {}
        self.field_errors: dict[str, QLabel] = {}
        for field in FUND_FIELDS:
            if field.kind in ("count", "megabytes"):
                editor = QSpinBox()
                editor.setRange(field.minimum, field.maximum)
                editor.setGroupSeparatorShown(True)
                editor.valueChanged.connect(self._edited)
            else:
                editor = QLineEdit()
                editor.textEdited.connect(self._edited)
            editor.setObjectName(f"setting_{field.key}")
            error = QLabel()
            error.setObjectName(f"setting_error_{field.key}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(editor)
            cell.addWidget(error)
            label = QLabel()
            fund_form.addRow(label, cell)
            self.field_labels[field.key], self.editors[field.key], self.field_errors[field.key] = label, editor, error
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_settings")
        self.save_button.clicked.connect(self.save)
        self.fund_note = QLabel()
        self.fund_note.setObjectName("settings_note")
        self.fund_note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fund_note, 1)
        buttons.addWidget(self.save_button)
        fund_form.addRow(buttons)

        self.users = UsersPanel(self)

        content = QWidget()
        body = QVBoxLayout(content)
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt;font-weight:bold;")
        body.addWidget(self.title)
        body.addWidget(self.language_group)
        body.addWidget(self.fund_group)
        body.addWidget(self.users)
        body.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        # Tab in reading order: language, the fund's settings and their Save, then the users
        tab_chain(*fields_in_layout_order(body))
        self._update_permissions()
        self.retranslate()

    # -- language ----------------------------------------------------------------------------
    def _language_picked(self, index: int) -> None:
        lang = self.language.itemData(index)
        if lang != self.ctx.language:
            self.ctx.apply_language(lang, remember=True)

    def retranslate(self) -> None:
        self.title.setText(_("Settings"))
        self.language_group.setTitle(_("Language"))
        self.language_label.setText(_("Display language"))
        self.language.setCurrentIndex(max(0, self.language.findData(self.ctx.language)))
        self.formats.setText(_("Amounts and dates are shown like this: {amount} · {date}").format(
            # each value its own bidi run: in Arabic the amount's digits and "US$" otherwise merge
            # with the date's ("1,234,567.89 4 · US$ ديسمبر 2026")
            amount=isolate(format_amount(Decimal("1234567.89"), "USD")), date=isolate(format_date(date.today()))))
        self.fund_group.setTitle(_("Fund"))
        for field in FUND_FIELDS:
            self.field_labels[field.key].setText(_(field.label))
        self.save_button.setText(_("Save"))
        self.fund_note.setText(
            "" if self._can_edit() else _("Only administrators can change the fund settings.")
        )
        if not self._dirty:
            self._show_values()  # numbers in the new language's format
        self.users.retranslate()

    # -- loading -----------------------------------------------------------------------------
    def _can_edit(self) -> bool:
        return bool(self.ctx.actor and self.ctx.actor.can("settings"))

    def _update_permissions(self) -> None:
        for editor in self.editors.values():
            editor.setEnabled(self._can_edit())
        self.save_button.setVisible(self._can_edit())
        self.users.update_permissions()

    def reload(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def work(_job):
            from trustfund_app.core.services.settings import SettingsService
            from trustfund_app.core.services.users import UserService

            return SettingsService(db, actor).all(), UserService(db, actor).list()

        self.run(work, self._show_loaded)

    def _show_loaded(self, result) -> None:
        self.stored, users = result
        self._dirty = False
        self._show_values()
        self._show_errors({})
        self.users.show_users(users)
        self._update_permissions()

    def _show_values(self) -> None:
        if not self.stored:
            return
        for field in FUND_FIELDS:
            editor, value = self.editors[field.key], shown_value(field, self.stored[field.key])
            editor.blockSignals(True)
            if isinstance(editor, QSpinBox):
                editor.setValue(value)
            else:
                editor.setText(value)
                editor.setCursorPosition(0)
            editor.blockSignals(False)

    def _edited(self, *_args) -> None:
        self._dirty = True

    # -- saving ------------------------------------------------------------------------------
    def entered_values(self) -> dict[str, object]:
        return {
            key: editor.value() if isinstance(editor, QSpinBox) else editor.text()
            for key, editor in self.editors.items()
        }

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.field_errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)

    def save(self) -> None:
        changes, errors = changed_values(self.stored, self.entered_values())
        self._show_errors(errors)
        if errors:
            return
        if not changes:
            self.show_message(_("Nothing to save: the settings are unchanged."))
            return
        db, actor = self.ctx.db, self.ctx.actor
        self.save_button.setEnabled(False)

        def work(_job):
            from trustfund_app.core.services.settings import SettingsService

            service = SettingsService(db, actor)
            for key, value in changes.items():
                service.set(key, value)
            return changes

        self.run(work, self._saved, on_error=self._save_failed)

    def _saved(self, changes: dict[str, str]) -> None:
        self.save_button.setEnabled(True)
        self.stored = {**self.stored, **changes}
        self._dirty = False
        self._show_values()
        self.show_message(_("Fund settings saved."))

    def _save_failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        self.show_error(exc)

    def show_message(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "show_message"):
            window.show_message(text)
