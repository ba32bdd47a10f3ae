"""The donor registry: create, edit, deactivate, match names through aliases, merge duplicates."""

from __future__ import annotations

import difflib
import re
import uuid
from dataclasses import asdict, dataclass, field

from sqlalchemy import or_, select

from trustfund_app.core.countries import check_country, region_of
from trustfund_app.core.donor_names import clean_names
from trustfund_app.core.errors import NotFoundError, ValidationError
from trustfund_app.core.i18n import _, check_language, ngettext
from trustfund_app.core.models import Contribution, Donor, DonorAlias, DonorType
from trustfund_app.core.names import clean_name, confusable_with, match_key
from trustfund_app.core.services.base import Service

EDITABLE = ("name", "type", "country", "language", "contact_person", "email", "phone", "address", "notes", "names")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class DonorRecord:
    id: str
    name: str
    type: str
    country: str | None
    region: str | None
    language: str
    contact_person: str | None
    email: str | None
    phone: str | None
    address: str | None
    notes: str | None
    active: bool
    aliases: list[str]
    names: dict[str, str] = field(default_factory=dict)  # name per language, see core/donor_names.py

    def as_dict(self) -> dict:
        return asdict(self)


def check_donor_type(value: str) -> str:
    if value not in {t.value for t in DonorType}:
        raise ValidationError(_('unknown donor type "{value}"').format(value=value), "type")
    return value


def _clean(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if key not in EDITABLE:
            raise ValidationError(_("unknown donor field {field}").format(field=key), key)
        if key == "names":
            out[key] = clean_names(value) or None
            continue
        value = value.strip() if isinstance(value, str) else value
        out[key] = value or None
    if "name" in out and not out["name"]:
        raise ValidationError(_("the donor's name is required"), "name")
    if "name" in out:
        out["name"] = clean_name(out["name"])
    if "type" in out:
        check_donor_type(out["type"] or "")
    if out.get("country"):
        out["country"] = check_country(out["country"])
    if "language" in out:
        out["language"] = check_language(out["language"] or "en")
    if out.get("email") and not _EMAIL.match(out["email"]):
        raise ValidationError(_('"{email}" is not an e-mail address').format(email=out["email"]), "email")
    return out


def _record(session, donor: Donor) -> DonorRecord:
    aliases = list(session.scalars(select(DonorAlias.alias).where(DonorAlias.donor_id == donor.id).order_by(DonorAlias.alias)))
    return DonorRecord(
        str(donor.id), donor.name, donor.type, donor.country, region_of(donor.country), donor.language,
        donor.contact_person, donor.email, donor.phone, donor.address, donor.notes, donor.active, aliases,
        dict(donor.names or {}),
    )


class DonorService(Service):
    def create(self, name: str, type: str, country: str | None = None, language: str = "en",
               aliases: list[str] | tuple = (), **other) -> str:
        fields = _clean({"name": name, "type": type, "country": country, "language": language, **other})
        with self._write("donors") as s:
            self._check_name_free(s, fields["name"], None)
            donor = Donor(**fields)
            s.add(donor)
            s.flush()
            for alias in aliases:
                self._add_alias(s, donor.id, alias)
            did = str(donor.id)
        self._changed("donor", "insert", did)
        return did

    def update(self, donor_id: str, aliases: list[str] | None = None, **fields) -> None:
        fields = _clean(fields)
        with self._write("donors") as s:
            donor = self._get(s, donor_id)
            if "name" in fields:
                self._check_name_free(s, fields["name"], donor.id)
            for key, value in fields.items():
                setattr(donor, key, value if key != "language" else (value or "en"))
            if aliases is not None:
                current = {a.match_key: a for a in s.scalars(select(DonorAlias).where(DonorAlias.donor_id == donor.id))}
                wanted = {match_key(a): a.strip() for a in aliases if a and a.strip()}
                for key, row in current.items():
                    if key not in wanted:
                        s.delete(row)
                s.flush()
                for key, alias in wanted.items():
                    if key not in current:
                        self._add_alias(s, donor.id, alias)
        self._changed("donor", "update", donor_id)

    def set_active(self, donor_id: str, active: bool) -> None:
        with self._write("donors") as s:
            self._get(s, donor_id).active = active
        self._changed("donor", "update", donor_id)

    def merge(self, keep_id: str, duplicate_id: str) -> None:
        """Move everything of ``duplicate`` to ``keep``; its name becomes an alias. Nothing is lost:
        the duplicate stays, inactive, pointing at the donor it was merged into."""
        if str(keep_id) == str(duplicate_id):
            raise ValidationError(_("a donor cannot be merged into itself"))
        with self._write("donors") as s:
            keep, dup = self._get(s, keep_id), self._get(s, duplicate_id)
            for contribution in s.scalars(select(Contribution).where(Contribution.donor_id == dup.id)):
                contribution.donor_id = keep.id
            for alias in s.scalars(select(DonorAlias).where(DonorAlias.donor_id == dup.id)):
                alias.donor_id = keep.id
            s.flush()
            self._add_alias(s, keep.id, dup.name)
            for key in ("country", "contact_person", "email", "phone", "address"):
                if not getattr(keep, key) and getattr(dup, key):
                    setattr(keep, key, getattr(dup, key))
            dup.active = False
            dup.merged_into_id = keep.id
            dup.name = f"{dup.name} [→ {keep.name}] {str(dup.id)[:8]}"
        self._changed("donor", "merge", keep_id, duplicate_id)

    def problems(self, fields: dict, aliases: list[str] | tuple = (), donor_id: str | None = None) -> list[ValidationError]:
        """Every refusal ``create``/``update`` would make of these values, one per field, so a
        form can show them all at once beside their fields (the services still check on save)."""
        found: dict[str, ValidationError] = {}
        for key, value in fields.items():
            try:
                _clean({key: value})
            except ValidationError as exc:
                found.setdefault(exc.field or key, exc)
        own = uuid.UUID(str(donor_id)) if donor_id else None
        with self.db.reading() as s:
            name = (fields.get("name") or "").strip()
            if name and "name" not in found:
                try:
                    self._check_name_free(s, name, own)
                except ValidationError as exc:
                    found["name"] = exc
            for alias in aliases:
                owner = s.scalar(select(DonorAlias.donor_id).where(DonorAlias.match_key == match_key(alias)))
                if owner is not None and owner != own and "aliases" not in found:
                    found["aliases"] = ValidationError(
                        _('the alias "{alias}" already belongs to another donor').format(alias=alias.strip()), "aliases")
        return list(found.values())

    # -- lookups ---------------------------------------------------------------------------
    def get(self, donor_id: str) -> DonorRecord:
        with self.db.reading() as s:
            return _record(s, self._get(s, donor_id))

    def find(self, name: str) -> str | None:
        """Donor id by exact name or alias (case/accent-insensitive), or None."""
        with self.db.reading() as s:
            return self.find_in(s, name)

    @staticmethod
    def find_in(session, name: str) -> str | None:
        key = match_key(name)
        if not key:  # punctuation or invisible characters only: no donor's name
            return None
        if not key:
            return None
        donor_id = session.scalar(select(DonorAlias.donor_id).where(DonorAlias.match_key == key))
        if donor_id is None:
            for did, dname in session.execute(select(Donor.id, Donor.name).where(Donor.merged_into_id.is_(None))):
                if match_key(dname) == key:
                    donor_id = did
                    break
        return str(donor_id) if donor_id else None

    def lookalike(self, name: str, own_id: str | None = None) -> str | None:
        """A donor whose name looks like ``name`` but is written in another script ("Еgypt"
        with a Cyrillic Е beside "Egypt"): worth a warning, it is usually a forgery or a slip."""
        with self.db.reading() as s:
            names = list(s.scalars(select(Donor.name).where(Donor.merged_into_id.is_(None),
                                                            Donor.id != uuid.UUID(own_id) if own_id else True)))
        return confusable_with(name, names)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Names and aliases close to a name that did not match (for import error messages)."""
        with self.db.reading() as s:
            names = list(s.scalars(select(Donor.name).where(Donor.merged_into_id.is_(None))))
            names += list(s.scalars(select(DonorAlias.alias)))
        by_key = {match_key(n): n for n in names}
        close = difflib.get_close_matches(match_key(name), list(by_key), n=limit, cutoff=0.75)
        return [by_key[k] for k in close]

    def list(self, search: str = "", include_inactive: bool = True) -> list[DonorRecord]:
        with self.db.reading() as s:
            q = select(Donor).where(Donor.merged_into_id.is_(None)).order_by(Donor.name)
            if not include_inactive:
                q = q.where(Donor.active.is_(True))
            if search:
                like = f"%{search}%"
                alias_ids = select(DonorAlias.donor_id).where(DonorAlias.alias.ilike(like))
                q = q.where(or_(Donor.name.ilike(like), Donor.country.ilike(like), Donor.id.in_(alias_ids)))
            donors = list(s.scalars(q))
            aliases: dict = {}
            for did, alias in s.execute(select(DonorAlias.donor_id, DonorAlias.alias).order_by(DonorAlias.alias)):
                aliases.setdefault(did, []).append(alias)
            return [
                DonorRecord(str(d.id), d.name, d.type, d.country, region_of(d.country), d.language, d.contact_person,
                            d.email, d.phone, d.address, d.notes, d.active, aliases.get(d.id, []), dict(d.names or {}))
                for d in donors
            ]

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _get(session, donor_id) -> Donor:
        donor = session.get(Donor, uuid.UUID(str(donor_id)))
        if donor is None:
            raise NotFoundError(_("no donor with id {id}").format(id=donor_id))
        return donor

    @staticmethod
    def _check_name_free(session, name: str, own_id) -> None:
        """Unique as people read names: "GERMANY" or "Allemagne" (an alias) is the same donor."""
        key = match_key(name)
        for other_id, other_name in session.execute(
                select(Donor.id, Donor.name).where(Donor.merged_into_id.is_(None))):
            if other_id != own_id and (other_name == name or match_key(other_name) == key):
                raise ValidationError(_('a donor named "{name}" already exists').format(name=other_name), "name")
        owner = session.scalar(select(DonorAlias.donor_id).where(DonorAlias.match_key == key))
        if owner is not None and owner != own_id:
            other = session.get(Donor, owner)
            raise ValidationError(_('"{name}" is already an alias of the donor "{other}"').format(
                name=name, other=other.name if other else owner), "name")

    @staticmethod
    def _add_alias(session, donor_id, alias: str) -> None:
        alias = (alias or "").strip()
        key = match_key(alias)
        if not key:
            return
        if len(alias) > 200:
            raise ValidationError(ngettext("an alias is longer than {limit} character", "an alias is longer than {limit} characters",
                                           200).format(limit=200), "aliases")
        owner = session.scalar(select(DonorAlias.donor_id).where(DonorAlias.match_key == key))
        if owner is not None and owner != donor_id:
            raise ValidationError(_('the alias "{alias}" already belongs to another donor').format(alias=alias), "aliases")
        if owner is None:
            session.add(DonorAlias(donor_id=donor_id, alias=alias, match_key=key))
            session.flush()


