"""A donor's name in a given language: what statements and letters print.

The registry name is the donor's English name as the UN writes it. A donor may also keep a name per
UN language (``Donor.names``, e.g. ``{"ar": "مصر"}``). Where none is kept, a Member State takes its
country's name from CLDR (babel's territory names), so an Arabic statement says "مصر", not
"Egypt". Other donors (UN entities included: CLDR names territories, not organisations; their
country is the seat's, e.g. USA for UNDP) fall back to the registry name.
"""

from __future__ import annotations

from trustfund_app.core.i18n import LANGUAGES, babel_locale

MEMBER_STATE = "member_state"


def clean_names(names: dict | None) -> dict[str, str]:
    """Only the six languages, trimmed, without empty entries (what ``Donor.names`` stores)."""
    out = {}
    for lang, text in (names or {}).items():
        text = (text or "").strip()
        if lang in LANGUAGES and lang != "en" and text:
            out[lang] = text
    return out


def cldr_country_name(alpha3: str | None, lang: str) -> str | None:
    if not alpha3:
        return None
    from babel import Locale

    from trustfund_app.core.countries import alpha2

    try:
        code = alpha2(alpha3)
    except AttributeError:  # not an ISO 3166 code any more
        return None
    return Locale.parse(babel_locale(lang)).territories.get(code)


def donor_display_name(donor, lang: str) -> str:
    """The donor's name in ``lang``. ``donor`` is anything with ``name``, ``type``, ``country`` and
    (optionally) ``names``: the ORM ``Donor``, a ``DonorRecord`` or the reports' ``DonorInfo``."""
    names = dict(getattr(donor, "names", None) or {})  # a dict, or (language, name) pairs
    if lang != "en" and names.get(lang):
        return names[lang]
    if lang != "en" and str(getattr(donor, "type", "")) == MEMBER_STATE:
        cldr = cldr_country_name(getattr(donor, "country", None), lang)
        if cldr:
            return cldr
    return donor.name
