"""Organisation identifiers (org-id.guide: a registration agency's prefix, then the number it
issued, e.g. ``NP-SWC-1234`` or ``XM-DAC-41128``) and the open-data settings that hold them.

The prefixes are checked against IATI's OrganisationRegistrationAgency codelist, the list that
org-id.guide publishes, shipped in ``resources/opendata`` (nothing is looked up on the network).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, ngettext
from trustfund_app.core.paths import resources_dir

# settings (their defaults live with the others in core/services/settings.py)
REPORTING_ORG = "iati_reporting_org"  # XM-DAC-41128: UNODC's DAC channel code
REPORTING_ORG_TYPE = "iati_reporting_org_type"  # 40: multilateral
GIVING360_PREFIX = "giving360_prefix"  # registered with 360Giving, e.g. 360G-UNVTF
DATA_LANGUAGE = "open_data_language"  # the language the Fund's records are written in

_ORG_ID = re.compile(r"^([A-Za-z]{2}-[A-Za-z0-9]+)-(\S.*)$")
_360_PREFIX = re.compile(r"^360G-[A-Za-z0-9-]+$")


def iati_dir() -> Path:
    return resources_dir() / "opendata" / "iati-2.03"


def giving360_dir() -> Path:
    return resources_dir() / "opendata" / "360giving-1.4"


@lru_cache(maxsize=32)
def codelist(name: str) -> frozenset[str]:
    """The codes of one shipped IATI codelist."""
    from lxml import etree

    tree = etree.parse(str(iati_dir() / "codelists" / f"{name}.xml"))
    return frozenset(code.text.strip() for code in tree.iter("code") if code.text)


def registration_agencies() -> frozenset[str]:
    return codelist("OrganisationRegistrationAgency")


def check_org_id(text: str | None, field: str = "org_id") -> str | None:
    """An org-id as stored: the agency prefix in capitals, the number as issued; None when empty.
    A ValidationError names what is wrong (no prefix, or a prefix no registration agency uses)."""
    value = " ".join(str(text or "").split())
    if not value:
        return None
    match = _ORG_ID.match(value)
    if not match:
        raise ValidationError(_('"{value}" is not an organisation identifier: write the registration agency\'s '
                                'prefix and the number, e.g. NP-SWC-1234 (see org-id.guide)').format(value=value), field)
    prefix = match.group(1).upper()
    if prefix not in registration_agencies():
        raise ValidationError(_('"{prefix}" is not a registration agency known to org-id.guide (in {value})').format(
            prefix=prefix, value=value), field)
    if len(value) > 100:
        raise ValidationError(ngettext("the organisation identifier is too long (at most {count} character)",
                                       "the organisation identifier is too long (at most {count} characters)",
                                       100).format(count=100), field)
    return f"{prefix}-{match.group(2)}"


def check_org_type(text: str | None, field: str = REPORTING_ORG_TYPE) -> str:
    value = str(text or "").strip()
    if value not in codelist("OrganisationType"):
        raise ValidationError(_('"{value}" is not an IATI organisation type (e.g. 40 for a multilateral '
                                'organisation)').format(value=value), field)
    return value


def check_360_prefix(text: str | None, field: str = GIVING360_PREFIX) -> str:
    value = str(text or "").strip()
    if not _360_PREFIX.match(value):
        raise ValidationError(_('"{value}" is not a 360Giving prefix: it starts with 360G-, e.g. 360G-UNVTF').format(
            value=value), field)
    return value


def slug(text: str) -> str:
    """An identifier part made of what every standard accepts (letters, digits, hyphens)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "x"
