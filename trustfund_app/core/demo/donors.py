"""The demo's donor registry: every donor of ``data.ALL_DONORS`` with contacts and aliases, checked
by the same rules as the donor service (ISO country, UN language, unique alias keys)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from trustfund_app.core.countries import check_country
from trustfund_app.core.demo.data import ALL_DONORS, DonorSeed
from trustfund_app.core.demo.writer import BulkWriter
from trustfund_app.core.i18n import check_language
from trustfund_app.core.models import Donor, DonorAlias, DonorType
from trustfund_app.core.services.donors import check_donor_type, match_key


@dataclass(frozen=True)
class DemoDonor:
    id: uuid.UUID
    seed: DonorSeed


def _contact(seed: DonorSeed) -> dict:
    slug = "".join(ch for ch in match_key(seed.name).replace(" ", "-") if ch.isascii())[:40].strip("-") or "donor"
    if seed.type == DonorType.MEMBER_STATE:
        return dict(contact_person="Permanent Mission to the United Nations (Vienna)",
                    email=f"mission.{seed.country.lower()}@example.org", address="Vienna, Austria")
    if seed.type == DonorType.INDIVIDUAL:
        return dict(email=f"{slug}@example.net")
    return dict(contact_person="Partnerships Officer", email=f"partnerships@{slug}.example.org")


def write_donors(writer: BulkWriter, user: str) -> list[DemoDonor]:
    donors, donor_rows, alias_rows, keys = [], [], [], set()
    for seed in ALL_DONORS:
        donor_id = writer.new_id()
        donor_rows.append(dict(
            id=donor_id, name=seed.name, type=check_donor_type(seed.type),
            country=check_country(seed.country) if seed.country else None, language=check_language(seed.language),
            **_contact(seed)))
        keys.add(match_key(seed.name))
        for alias in seed.aliases:
            key = match_key(alias)
            if key in keys:
                raise ValueError(f"demo alias {alias!r} is not unique")  # a mistake in data.py
            keys.add(key)
            alias_rows.append(dict(donor_id=donor_id, alias=alias, match_key=key))
        donors.append(DemoDonor(donor_id, seed))
    writer.insert(Donor, donor_rows, user)
    writer.insert(DonorAlias, alias_rows, user)
    return donors
