"""ISO 3166 countries (pycountry) and UN M49 regions, with names translated by babel (CLDR)."""

from __future__ import annotations

from functools import lru_cache

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import N_, _

REGION_LABELS = {
    "africa": N_("Africa"),
    "americas": N_("Americas"),
    "asia": N_("Asia"),
    "europe": N_("Europe"),
    "oceania": N_("Oceania"),
}


@lru_cache(maxsize=1024)
def check_country(code: str, field: str = "country") -> str:
    """ISO 3166 alpha-2 or alpha-3 (any case) → alpha-3; anything else is a clear error."""
    import pycountry

    norm = (code or "").strip().upper()
    match = None
    if len(norm) == 2:
        match = pycountry.countries.get(alpha_2=norm)
    elif len(norm) == 3:
        match = pycountry.countries.get(alpha_3=norm)
    if match is None:
        raise ValidationError(_('unknown country code "{code}" (use ISO 3166, e.g. DEU or DE)').format(code=code), field)
    return match.alpha_3


@lru_cache(maxsize=1024)
def alpha2(alpha3: str) -> str:
    import pycountry

    return pycountry.countries.get(alpha_3=alpha3).alpha_2


def country_label(alpha3: str | None, lang: str | None = None) -> str:
    """The country's name in the UI/document language (CLDR), e.g. DEU → Allemagne."""
    if not alpha3:
        return ""
    from trustfund_app.core.i18n import country_name

    return country_name(alpha2(alpha3), lang)


def region_of(alpha3: str | None) -> str | None:
    """UN M49 region key (africa, americas, asia, europe, oceania) of a country."""
    if not alpha3:
        return None
    from trustfund_app.core.regions import M49_REGION

    return M49_REGION.get(alpha3)


def region_label(key: str | None) -> str:
    return _(REGION_LABELS[key]) if key in REGION_LABELS else ""
