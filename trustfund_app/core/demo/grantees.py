"""The demo's grantee NGOs: one or two in each country of ``grantee_data.NGO_COUNTRIES`` (they get
the grants) and a few more organisations that applied but were never funded."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from trustfund_app.core.countries import alpha2, check_country
from trustfund_app.core.demo.grantee_data import (
    FIRST_NAMES, LAST_NAMES, NGO_COUNTRIES, PATTERNS, ROOTS_BY_STYLE, SECOND_NGO,
)
from trustfund_app.core.demo.writer import BulkWriter
from trustfund_app.core.models import Grantee
from trustfund_app.core.services.donors import match_key

APPLICANTS_ONLY = 15
# how reliably an NGO reports: (weight, behaviour)
RELIABILITY = ((75, "good"), (18, "late"), (7, "very_late"))


@dataclass(frozen=True)
class DemoGrantee:
    id: uuid.UUID
    name: str
    country: str
    reliability: str


@lru_cache(maxsize=None)
def english_country(alpha3: str) -> str:
    from babel import Locale

    return Locale.parse("en").territories.get(alpha2(alpha3), alpha3)


def _weighted(rng: random.Random, choices):
    pick = rng.uniform(0, sum(w for w, _v in choices))
    for weight, value in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][1]


def write_grantees(writer: BulkWriter, rng: random.Random, user: str) -> tuple[list[DemoGrantee], list[DemoGrantee]]:
    """Returns (grantees who will be funded, applicants who never are)."""
    places = list(NGO_COUNTRIES) + [(c, s) for c, s in NGO_COUNTRIES if c in SECOND_NGO]
    extra = [rng.choice(NGO_COUNTRIES) for _i in range(APPLICANTS_ONLY)]
    used: set[str] = set()
    funded, others, rows = [], [], []
    for n, (country, style) in enumerate(places + extra):
        name = _unique_name(rng, country, style, used)
        gid = writer.new_id()
        reg_year = rng.randint(1995, 2014)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        slug = "".join(ch for ch in match_key(name).replace(" ", "")[:18] if ch.isascii()) or "ngo"
        rows.append(dict(
            id=gid, name=name, country=check_country(country),
            registration_number=f"{country}-NGO-{rng.randint(1000, 99999)}",
            registration_date=date(reg_year, rng.randint(1, 12), rng.randint(1, 28)),
            partner_portal_id=f"CSO{rng.randint(100000, 999999)}" if rng.random() < 0.9 else None,
            psea_attested=rng.random() < 0.95, own_bank_account=rng.random() < 0.97, non_profit=True,
            contact_person=f"{first} {last}", email=f"{first.lower()[:1]}.{match_key(last).replace(' ', '')}@{slug}.example.org",
            phone=f"+{rng.randint(20, 998)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            address=english_country(country)))
        grantee = DemoGrantee(gid, name, country, _weighted(rng, RELIABILITY))
        (funded if n < len(places) else others).append(grantee)
    writer.insert(Grantee, rows, user)
    return funded, others


def _unique_name(rng: random.Random, country: str, style: str, used: set[str]) -> str:
    place = english_country(country)
    for _attempt in range(50):
        name = rng.choice(PATTERNS[style]).format(root=rng.choice(ROOTS_BY_STYLE[style]), place=place)
        if match_key(name) not in used:
            used.add(match_key(name))
            return name
    name = f"{rng.choice(ROOTS_BY_STYLE['en'])} Association of {place} {len(used)}"
    used.add(match_key(name))
    return name
