"""The grantee form: registry data, due-diligence facts and contacts, with the eligibility
warnings shown live as the facts are ticked."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from trustfund_app.core.i18n import LANGUAGE_NAMES, LANGUAGES, _
from trustfund_app.core.services.grants import GranteeService
from trustfund_app.core.services.grants.grantees import eligibility_warnings
from trustfund_app.gui.grant_widgets import WARNING_STYLE, FormDialog, country_combo, date_edit, set_combo_data, set_date


class _Facts:
    """What eligibility_warnings reads, taken from the form."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


class GranteeDialog(FormDialog):
    def __init__(self, ctx, grantee=None, parent=None):
        super().__init__(ctx, _("Edit grantee") if grantee else _("New grantee"), "grantee_dialog", parent)
        self.grantee = grantee
        self.name = QLineEdit()
        self.name.setObjectName("grantee_name")
        self.country = country_combo("grantee_country")
        self.registration_number = QLineEdit()
        self.registration_number.setObjectName("grantee_registration_number")
        self.has_registration_date = QCheckBox(_("Registration date known"))
        self.has_registration_date.setObjectName("grantee_has_registration_date")
        self.registration_date = date_edit(name="grantee_registration_date")
        self.partner_portal_id = QLineEdit()
        self.partner_portal_id.setObjectName("grantee_partner_portal_id")
        self.org_id = QLineEdit()
        self.org_id.setObjectName("grantee_org_id")
        self.org_id.setPlaceholderText(_("e.g. NP-SWC-1234 (org-id.guide)"))
        self.non_profit = QCheckBox(_("Non-profit organisation"))
        self.non_profit.setObjectName("grantee_non_profit")
        self.non_profit.setChecked(True)
        self.psea = QCheckBox(_("PSEA attestation signed (protection from sexual exploitation and abuse)"))
        self.psea.setObjectName("grantee_psea")
        self.bank = QCheckBox(_("Bank account held in the organisation's own name"))
        self.bank.setObjectName("grantee_own_bank_account")
        self.contact_person = QLineEdit()
        self.contact_person.setObjectName("grantee_contact_person")
        self.email = QLineEdit()
        self.email.setObjectName("grantee_email")
        self.phone = QLineEdit()
        self.phone.setObjectName("grantee_phone")
        self.address = QLineEdit()
        self.address.setObjectName("grantee_address")
        self.language = QComboBox()
        self.language.setObjectName("grantee_language")
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        set_combo_data(self.language, "en")
        self.warnings = QLabel()
        self.warnings.setObjectName("grantee_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.add_field("name", _("Name"), self.name)
        self.add_field("country", _("Country of registration"), self.country)
        self.add_field("registration_number", _("Registration number"), self.registration_number)
        self.form.addRow("", self.has_registration_date)
        self.add_field("registration_date", _("Registered on"), self.registration_date)
        self.add_field("partner_portal_id", _("UN Partner Portal ID"), self.partner_portal_id)
        self.add_field("org_id", _("Organisation identifier"), self.org_id)
        self.form.addRow("", self.non_profit)
        self.form.addRow("", self.psea)
        self.form.addRow("", self.bank)
        self.add_field("contact_person", _("Contact person"), self.contact_person)
        self.add_field("email", _("E-mail"), self.email)
        self.add_field("phone", _("Telephone"), self.phone)
        self.add_field("address", _("Address"), self.address)
        self.add_field("language", _("Language of letters"), self.language)
        self.body.insertWidget(1, self.warnings)
        if grantee:
            self.name.setText(grantee.name)
            set_combo_data(self.country, grantee.country)
            self.registration_number.setText(grantee.registration_number or "")
            self.has_registration_date.setChecked(bool(grantee.registration_date))
            set_date(self.registration_date, grantee.registration_date)
            self.partner_portal_id.setText(grantee.partner_portal_id or "")
            self.org_id.setText(grantee.org_id or "")
            self.non_profit.setChecked(grantee.non_profit)
            self.psea.setChecked(grantee.psea_attested)
            self.bank.setChecked(grantee.own_bank_account)
            for key in ("contact_person", "email", "phone", "address"):
                getattr(self, key).setText(getattr(grantee, key) or "")
            set_combo_data(self.language, getattr(grantee, "language", "en") or "en")
        self.registration_date.setEnabled(self.has_registration_date.isChecked())
        self.has_registration_date.toggled.connect(self.registration_date.setEnabled)
        for box in (self.has_registration_date, self.non_profit, self.psea, self.bank):
            box.toggled.connect(lambda _on: self._show_warnings())
        for edit in (self.registration_number, self.partner_portal_id):
            edit.textChanged.connect(lambda _t: self._show_warnings())
        self._show_warnings()

    def fields(self) -> dict:
        return dict(
            name=self.name.text(), country=self.country.currentData(),
            registration_number=self.registration_number.text(),
            registration_date=self.registration_date.date().toPython() if self.has_registration_date.isChecked() else None,
            partner_portal_id=self.partner_portal_id.text(), non_profit=self.non_profit.isChecked(),
            psea_attested=self.psea.isChecked(), own_bank_account=self.bank.isChecked(),
            contact_person=self.contact_person.text(), email=self.email.text(), phone=self.phone.text(),
            address=self.address.text(), org_id=self.org_id.text(), language=self.language.currentData())

    def _show_warnings(self) -> None:
        facts = _Facts(**{k: (v.strip() if isinstance(v, str) else v) for k, v in self.fields().items()
                          if k != "language"})
        found = eligibility_warnings(facts, None, date.today())
        self.warnings.setVisible(bool(found))
        self.warnings.setText(_("Eligibility: {warnings}").format(warnings="; ".join(w.text for w in found)))

    def save(self):
        fields, service = self.fields(), self.ctx.service(GranteeService)
        if self.grantee:
            gid = self.grantee.id
            return lambda: service.update(gid, **fields) or gid
        return lambda: service.create(**fields)
