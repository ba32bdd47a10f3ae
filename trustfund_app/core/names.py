"""Matching names as people write them, with no database: light enough for the sheet-reading
process of an import to use."""

from __future__ import annotations

import re
import unicodedata


def match_key(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name ("Côte d'Ivoire" = "cote d ivoire")."""
    folded = unicodedata.normalize("NFKD", name or "").casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def __getattr__(attr: str):
    # ``donor_display_name`` lives with its CLDR lookup; reachable from here too (lazily: this module
    # must stay light for the sheet-reading process)
    if attr == "donor_display_name":
        from trustfund_app.core.donor_names import donor_display_name

        return donor_display_name
    raise AttributeError(attr)
