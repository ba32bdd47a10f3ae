"""Create or edit a donor; each refusal is shown beside its field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import LANGUAGE_NAMES, LANGUAGES, _
from trustfund_app.core.models import DONOR_TYPE_LABELS
from trustfund_app.gui.form_fit import dialog_buttons, prefer_width, tab_chain
from trustfund_app.gui.country_field import CountryField
from trustfund_app.gui.jobs import start_job

TEXT_FIELDS = ("name", "country", "contact_person", "email", "phone", "address")


class DonorForm(QDialog):
    def __init__(self, ctx, parent=None, donor=None):
        super().__init__(parent)
        self.ctx, self.donor = ctx, donor
        self.saved_id: str | None = None
        self.setWindowTitle(_("Edit donor") if donor else _("New donor"))
        self.inputs: dict[str, QWidget] = {name: QLineEdit(objectName=f"donor_{name}") for name in TEXT_FIELDS}
        self.inputs["country"] = CountryField("donor_country")
        self.inputs["type"] = QComboBox(objectName="donor_type")
        for key, label in DONOR_TYPE_LABELS.items():
            self.inputs["type"].addItem(_(label), key.value)
        self.inputs["language"] = QComboBox(objectName="donor_language")
        for lang in LANGUAGES:
            self.inputs["language"].addItem(LANGUAGE_NAMES[lang], lang)
        self.inputs["aliases"] = QLineEdit(objectName="donor_aliases")
        self.inputs["aliases"].setPlaceholderText(_("other names, separated by ;"))
        self.inputs["notes"] = QPlainTextEdit(objectName="donor_notes")
        self.inputs["notes"].setFixedHeight(60)
        self.inputs["country"].lineEdit().setPlaceholderText(_("type a name or an ISO 3166 code"))
        # the donor's name in the other UN languages (statements and letters print it); empty: the
        # registry name, or a Member State's country name in that language
        self.name_inputs: dict[str, QLineEdit] = {}
        names_box = QWidget()
        names_form = QFormLayout(names_box)
        names_form.setContentsMargins(0, 0, 0, 0)
        for lang in LANGUAGES:
            if lang != "en":
                edit = QLineEdit(objectName=f"donor_name_{lang}")
                edit.setAccessibleName(_("Name in {language}").format(language=LANGUAGE_NAMES[lang]))
                self.name_inputs[lang] = edit
                names_form.addRow(LANGUAGE_NAMES[lang], edit)
        self.inputs["names"] = names_box
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        labels = {
            "name": _("Name"), "names": _("Name in other languages"), "type": _("Type"), "country": _("Country"), "language": _("Statement language"),
            "aliases": _("Aliases"), "contact_person": _("Contact person"), "email": _("E-mail"),
            "phone": _("Telephone"), "address": _("Address"), "notes": _("Notes"),
        }
        for name, label in labels.items():
            error = QLabel(objectName=f"error_{name}")
            error.setStyleSheet("color:#b02a37;")
            error.setWordWrap(True)
            error.hide()
            self.errors[name] = error
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(2)
            lay.addWidget(self.inputs[name])
            lay.addWidget(error)
            form.addRow(label, box)
            if name in self.inputs and name != "names":
                self.inputs[name].setAccessibleName(label)
        self.form_error = QLabel(objectName="error_form")
        self.form_error.setStyleSheet("color:#b02a37;")
        self.form_error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)
        self.inputs["language"].setCurrentIndex(self.inputs["language"].findData("en"))  # the service's default
        if donor:
            for name in TEXT_FIELDS:
                self.inputs[name].setText(getattr(donor, name) or "")
            self.inputs["type"].setCurrentIndex(self.inputs["type"].findData(donor.type))
            self.inputs["language"].setCurrentIndex(self.inputs["language"].findData(donor.language))
            self.inputs["aliases"].setText("; ".join(donor.aliases))
            self.inputs["notes"].setPlainText(donor.notes or "")
            for lang, edit in self.name_inputs.items():
                edit.setText((donor.names or {}).get(lang, ""))
        self.inputs["type"].currentIndexChanged.connect(lambda _i: self._name_hints())
        self.inputs["country"].currentTextChanged.connect(lambda _t: self._name_hints())
        self.inputs["name"].textChanged.connect(lambda _t: self._name_hints())
        self._name_hints()
        # Tab in reading order: the fields as listed in ``labels`` (the names in the other
        # languages in their own order), the notes (Tab leaves them), then Save and Cancel
        self.inputs["notes"].setTabChangesFocus(True)
        fields = [w for name in labels for w in (self.name_inputs.values() if name == "names" else (self.inputs[name],))]
        tab_chain(*fields, *dialog_buttons(buttons))
        prefer_width(self, 520)

    def _name_hints(self) -> None:
        """Each empty name field shows what the documents will print instead."""
        from types import SimpleNamespace

        from trustfund_app.core.donor_names import donor_display_name

        probe = SimpleNamespace(name=self.inputs["name"].text() or "", type=self.inputs["type"].currentData(),
                                country=self.inputs["country"].text() or None)
        for lang, edit in self.name_inputs.items():
            try:
                edit.setPlaceholderText(donor_display_name(probe, lang))
            except (AttributeError, KeyError):  # a half-typed country
                edit.setPlaceholderText(probe.name)

    def values(self) -> dict:
        out = {name: self.inputs[name].text() for name in TEXT_FIELDS}
        out["type"] = self.inputs["type"].currentData()
        out["language"] = self.inputs["language"].currentData()
        out["notes"] = self.inputs["notes"].toPlainText()
        out["names"] = {lang: edit.text() for lang, edit in self.name_inputs.items()}
        return out

    def aliases(self) -> list[str]:
        return [a.strip() for a in self.inputs["aliases"].text().split(";") if a.strip()]

    def save(self) -> None:
        for label in (*self.errors.values(), self.form_error):
            label.clear()
            label.hide()
        values, aliases, ctx, donor_id = self.values(), self.aliases(), self.ctx, self.donor.id if self.donor else None
        confirmed = getattr(self, "lookalike_confirmed", None) == values.get("name")

        def work(_job):
            from trustfund_app.core.services.donors import DonorService

            service = ctx.service(DonorService)
            problems = service.problems(values, aliases, donor_id)
            if problems:  # all of them at once, each beside its field
                return problems
            other = None if confirmed else service.lookalike(values.get("name") or "", donor_id)
            if other:  # "Еgypt" (Cyrillic Е) beside "Egypt": a slip or a forgery; saved on a second Save
                return ("lookalike", other)
            if donor_id:
                service.update(donor_id, aliases=aliases, **values)
                return donor_id
            return service.create(aliases=aliases, **values)

        def failed(exc):
            label = self.errors.get(getattr(exc, "field", None) or "", self.form_error)
            label.setText(exc.message if isinstance(exc, ValidationError) else str(exc))
            label.show()
            self.adjustSize()  # grow to show every line of the message (two-line ones were clipped)

        def done(result):
            if isinstance(result, list):
                for problem in result:
                    failed(problem)
                return
            if isinstance(result, tuple):
                from trustfund_app.core.names import lookalike_note

                self.lookalike_confirmed = values.get("name")
                label = self.errors.get("name", self.form_error)
                label.setText(lookalike_note(values.get("name") or "", result[1]) + " " +
                              _("Save again to keep the name as it is."))
                label.show()
                self.adjustSize()
                return
            self.saved_id = result
            self.accept()

        start_job(work, on_done=done, on_error=failed)
