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
