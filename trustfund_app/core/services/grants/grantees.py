"""The grantee registry and the eligibility checks of PRODUCT.md ("non-profit NGOs registered where
they work, that assist victims directly") plus the UN's due-diligence basics.

Eligibility problems are warnings, not refusals: the secretariat screens applications and the Board
decides; the warnings make sure nobody decides without seeing them. The checks:
- not registered (no registration number or date);
- registered less than one year before the application (too young to have a track record; the
  reference date is the cycle's call closing date, else the application date);
- registered in another country than where the project runs ("registered where they work");
- not a non-profit organisation;
- no PSEA (protection from sexual exploitation and abuse) attestation;
- no bank account held in the organisation's own name (payments to a person's account are refused
  by UN treasury practice);
- no UN Partner Portal ID.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select

from trustfund_app.core.countries import check_country, region_of
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import N_, _, check_language
from trustfund_app.core.models import Grant, Grantee
from trustfund_app.core.services.base import Service
from trustfund_app.core.names import clean_name, confusable_with
from trustfund_app.core.services.grants.common import add_months, fetch, optional_text

FIELDS = ("name", "country", "registration_number", "registration_date", "partner_portal_id", "psea_attested",
          "own_bank_account", "non_profit", "contact_person", "email", "phone", "address", "org_id", "language")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

WARNING_TEXTS = {
    "not_registered": N_("not registered (no registration number or date)"),
    "registered_recently": N_("registered less than one year before the application"),
    "registered_elsewhere": N_("registered in another country than where the project runs"),
    "not_non_profit": N_("not a non-profit organisation"),
    "no_psea": N_("no PSEA attestation"),
    "no_own_bank_account": N_("no bank account in the organisation's own name"),
    "no_partner_portal": N_("no UN Partner Portal ID"),
}


@dataclass(frozen=True)
class EligibilityWarning:
    code: str

    @property
    def text(self) -> str:
        return _(WARNING_TEXTS[self.code])


@dataclass
class GranteeRecord:
    id: str
    name: str
    country: str
    region: str | None
    registration_number: str | None
    registration_date: date | None
    partner_portal_id: str | None
    psea_attested: bool
    own_bank_account: bool
    non_profit: bool
    contact_person: str | None
    email: str | None
    phone: str | None
    address: str | None
    org_id: str | None = None  # org-id.guide identifier, used by the open-data exports
    grants: int = 0
    warnings: tuple[EligibilityWarning, ...] = ()
    language: str = "en"  # of the letters written to it

    def as_dict(self) -> dict:
        data = asdict(self)
        data["warnings"] = [w.code for w in self.warnings]
        return data


def eligibility_warnings(grantee: Grantee, country: str | None = None, on: date | None = None) -> list[EligibilityWarning]:
    """What the screening should look at for ``grantee`` applying for a project in ``country`` on
    ``on`` (without them: the checks that do not depend on an application)."""
    found = []
    if not grantee.registration_number or not grantee.registration_date:
        found.append("not_registered")
    elif on is not None and add_months(grantee.registration_date, 12) > on:
        found.append("registered_recently")
    if country and grantee.country != country:
        found.append("registered_elsewhere")
    if not grantee.non_profit:
        found.append("not_non_profit")
    if not grantee.psea_attested:
        found.append("no_psea")
    if not grantee.own_bank_account:
        found.append("no_own_bank_account")
    if not grantee.partner_portal_id:
        found.append("no_partner_portal")
    return [EligibilityWarning(code) for code in found]


def _clean(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if key not in FIELDS:
            raise ValidationError(_("unknown grantee field {field}").format(field=key), key)
        if key in ("psea_attested", "own_bank_account", "non_profit"):
            out[key] = bool(value)
        elif key == "org_id":
            from trustfund_app.core.org_identifiers import check_org_id

            out[key] = check_org_id(value, key)
        elif key == "language":
            out[key] = check_language(value or "en")
        elif key == "registration_date":
            if value is not None and value > date.today():
                raise ValidationError(_("the registration date is in the future"), key)
            out[key] = value
        else:
            out[key] = optional_text(value)
    if "name" in out and not out["name"]:
        raise ValidationError(_("the organisation's name is required"), "name")
    if "name" in out:
        out["name"] = clean_name(out["name"])
    if "country" in out:
        if not out["country"]:
            raise ValidationError(_("the country of registration is required"), "country")
        out["country"] = check_country(out["country"])
    if out.get("email") and not _EMAIL.match(out["email"]):
        raise ValidationError(_('"{email}" is not an e-mail address').format(email=out["email"]), "email")
    return out


def _record(grantee: Grantee, grants: int = 0) -> GranteeRecord:
    return GranteeRecord(
        str(grantee.id), grantee.name, grantee.country, region_of(grantee.country), grantee.registration_number,
        grantee.registration_date, grantee.partner_portal_id, grantee.psea_attested, grantee.own_bank_account,
        grantee.non_profit, grantee.contact_person, grantee.email, grantee.phone, grantee.address, grantee.org_id,
        grants, tuple(eligibility_warnings(grantee)), grantee.language or "en")


class GranteeService(Service):
    def create(self, name: str, country: str, **other) -> str:
        fields = _clean({"name": name, "country": country, **other})
        with self._write("grantees") as s:
            self._check_name_free(s, fields["name"], None)
            grantee = Grantee(**fields)
            s.add(grantee)
            s.flush()
            gid = str(grantee.id)
        self._changed("grantee", "insert", gid)
        return gid

    def update(self, grantee_id: str, **fields) -> None:
        fields = _clean(fields)
        with self._write("grantees") as s:
            grantee = fetch(s, Grantee, grantee_id, _("grantee"))
            if "name" in fields:
                self._check_name_free(s, fields["name"], grantee.id)
            for key, value in fields.items():
                setattr(grantee, key, value)
        self._changed("grantee", "update", grantee_id)

    def get(self, grantee_id: str) -> GranteeRecord:
        with self.db.reading() as s:
            grantee = fetch(s, Grantee, grantee_id, _("grantee"))
            count = s.scalar(select(func.count()).select_from(Grant).where(Grant.grantee_id == grantee.id))
            return _record(grantee, int(count))

    def list(self) -> list[GranteeRecord]:
        with self.db.reading() as s:
            counts = dict(s.execute(select(Grant.grantee_id, func.count()).group_by(Grant.grantee_id)).all())
            return [_record(g, int(counts.get(g.id, 0))) for g in s.scalars(select(Grantee).order_by(Grantee.name))]

    def lookalike(self, name: str) -> str | None:
        """A grantee whose name looks like ``name`` but is written in another script."""
        with self.db.reading() as s:
            return confusable_with(name, list(s.scalars(select(Grantee.name))))

    def find(self, name: str) -> str | None:
        with self.db.reading() as s:
            found = s.scalar(select(Grantee.id).where(func.lower(Grantee.name) == (name or "").strip().lower()))
            return str(found) if found else None

    def warnings(self, grantee_id: str, country: str | None = None, on: date | None = None) -> list[EligibilityWarning]:
        with self.db.reading() as s:
            grantee = fetch(s, Grantee, grantee_id, _("grantee"))
            return eligibility_warnings(grantee, check_country(country) if country else None, on)

    @staticmethod
    def _check_name_free(s, name: str, own_id) -> None:
        query = select(Grantee.id).where(func.lower(Grantee.name) == name.lower())
        if own_id is not None:
            query = query.where(Grantee.id != own_id)
        if s.scalar(query):
            raise ValidationError(_('a grantee named "{name}" already exists').format(name=name), "name")
