"""Donors import with DonorService's validation (type, ISO country, language, e-mail) and matching
(a name or alias already known, case- and accent-insensitively, is the same donor). A known donor
is updated only where the file gives a value that differs; empty cells leave fields as they are.
Aliases are added, never removed."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel import values as V
from trustfund_app.core.excel.commit import new_row
from trustfund_app.core.excel.kinds.base import INSERTED, UNCHANGED, UPDATED, KindImporter
from trustfund_app.core.i18n import _, ngettext
from trustfund_app.core.models import Donor, DonorAlias
from trustfund_app.core.names import LookalikeIndex, lookalike_note
from trustfund_app.core.services.donors import _clean as clean_donor_fields  # DonorService's own checks
from trustfund_app.core.services.donors import check_donor_type, match_key

FIELDS = ("type", "country", "language", "email", "address", "contact_person", "phone", "notes")


class DonorsImporter(KindImporter):
    kind = "donors"
    permissions = ("donors",)
    models = (Donor, DonorAlias)
    reads = ("donor", "donor_alias")

    def __init__(self, session, writer, batch):
        super().__init__(session, writer, batch)
        self.donors: dict[uuid.UUID, dict] = {}
        self.by_key: dict[str, uuid.UUID] = {}
        for donor in session.execute(select(Donor.id, Donor.name, *[getattr(Donor, f) for f in FIELDS])
                                     .where(Donor.merged_into_id.is_(None))):
            self.donors[donor.id] = dict(donor._mapping)
            self.by_key[match_key(donor.name)] = donor.id
        self.alias_owner: dict[str, uuid.UUID] = dict(session.execute(select(DonorAlias.match_key, DonorAlias.donor_id)).all())
        self.seen: dict[str, int] = {}

    def _lookalikes(self) -> LookalikeIndex:
        if getattr(self, "_lookalike_index", None) is None:  # built on the first new donor only
            self._lookalike_index = LookalikeIndex(d["name"] for d in self.donors.values())
        return self._lookalike_index

    def check(self, number: int, values: dict, prepared=None) -> str:
        name = V.text(V.required(values.get("name"), "name"), "name", 200)
        fields = {"name": name, "type": check_donor_type(V.enum_value(values.get("type"), "type", "type"))}
        if values.get("country") is not None:
            fields["country"] = V.country_value(values.get("country"))
        if values.get("language") is not None:
            fields["language"] = V.language_value(values.get("language"))
        for field, source, limit in (("email", "email", 200), ("address", "address", 500),
                                     ("contact_person", "contact_person", 200), ("phone", "phone", 60),
                                     ("notes", "note", 2000)):
            value = V.text(values.get(source), source, limit)
            if value:
                fields[field] = value
        fields = {k: v for k, v in clean_donor_fields(fields).items() if v is not None or k in ("name", "type")}
        name = fields["name"]  # NFC, without invisible characters
        aliases = [a.strip() for a in (V.text(values.get("aliases"), "aliases", 2000) or "")
                   .replace("；", ";").replace("؛", ";").split(";") if match_key(a)]
        for alias in aliases:
            # an alias is stored in 200 characters; a longer one could never be matched again
            if len(alias) > 200:
                raise ValidationError(ngettext("an alias is longer than {limit} character", "an alias is longer than {limit} characters",
                                           200).format(limit=200), "aliases")
        key = match_key(name)
        if key in self.seen:
            raise ValidationError(_('the donor "{name}" is also on row {row}').format(name=name, row=self.seen[key]), "name")
        donor_id = self.by_key.get(key) or self.alias_owner.get(key)
        for alias in aliases:
            owner = self.alias_owner.get(match_key(alias)) or self.by_key.get(match_key(alias))
            if owner is not None and owner != donor_id:
                raise ValidationError(_('the alias "{alias}" already belongs to another donor').format(alias=alias),
                                      "aliases")
        self.seen[key] = number
        if donor_id is None:
            fields.setdefault("language", "en")
            row = new_row(**{**{f: None for f in FIELDS}, **fields}, active=True, merged_into_id=None)
            row["name"] = name
            other = self._lookalikes().find(name)
            if other:
                self.notes.append(_("row {row}: {warning}").format(row=number, warning=lookalike_note(name, other)))
            self._lookalikes().add(name)
            self.writer.insert(Donor, row)
            donor_id = row["id"]
            self.donors[donor_id] = {k: row.get(k) for k in ("id", "name", *FIELDS)}
            self.by_key[key] = donor_id
            self._add_aliases(donor_id, aliases)
            return INSERTED
        current = self.donors[donor_id]
        fields.pop("name")
        changed = {k: v for k, v in fields.items() if current.get(k) != v}
        new_aliases = self._add_aliases(donor_id, aliases, dry=True)
        if not changed and not new_aliases:
            return UNCHANGED
        if changed:
            self.writer.update(Donor, donor_id, {k: current.get(k) for k in changed}, changed)
            current.update(changed)
        self._add_aliases(donor_id, aliases)
        return UPDATED

    def _add_aliases(self, donor_id, aliases: list[str], dry: bool = False) -> list[str]:
        added = []
        for alias in aliases:
            key = match_key(alias)
            if key in self.alias_owner or self.by_key.get(key) == donor_id or key in [match_key(a) for a in added]:
                continue
            added.append(alias)
            if not dry:
                self.alias_owner[key] = donor_id
                self.writer.insert(DonorAlias, new_row(donor_id=donor_id, alias=alias[:200], match_key=key[:200]))
        return added
