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


# Format characters (Unicode category Cf: zero-width spaces, bidi controls, BOM, soft hyphen…) are
# invisible: a name made of them looks empty, and one holding them matches nothing people type.
# ZWNJ/ZWJ stay between two letters, where Persian, Urdu and Indic spellings need them.
_JOINERS = {"\u200c", "\u200d"}


def clean_name(text: str, field: str = "name") -> str:
    """A name as stored: NFC-normalised, invisible and bidi-control characters removed, spaces
    collapsed; refused (ValidationError on ``field``) unless it holds a letter or a digit, so that
    "-", "?", "—" or a lone U+200B never become a donor or grantee."""
    from trustfund_app.core.errors import ValidationError
    from trustfund_app.core.i18n import _

    text = unicodedata.normalize("NFC", text or "")
    kept = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) not in ("Cf", "Cc", "Zl", "Zp"):
            kept.append(ch)
        elif ch in _JOINERS and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            kept.append(ch)
        elif ch in "\t\n\r":
            kept.append(" ")
    cleaned = " ".join("".join(kept).split())
    if not any(unicodedata.category(ch)[0] in "LN" for ch in cleaned):
        raise ValidationError(_("a name must contain at least one letter or digit"), field)
    return cleaned


def _scripts(name: str) -> frozenset[str]:
    from confusable_homoglyphs import categories

    return frozenset(categories.unique_aliases(name)) - {"COMMON", "INHERITED"}


def skeleton(name: str) -> str:
    """What a name looks like: each character replaced by the smallest code point among its
    single-character homoglyphs in Unicode's confusables data (so Cyrillic "Е" and Latin "E"
    both become "E")."""
    from confusable_homoglyphs.confusables import confusables_data

    out = []
    for ch in unicodedata.normalize("NFC", name or ""):
        glyphs = [g["c"] for g in confusables_data.get(ch, ()) if len(g["c"]) == 1]
        out.append(min([ch, *glyphs]))
    return "".join(out)


class LookalikeIndex:
    """Names by skeleton, to find one that looks like a new name but is written in another script
    ("Еgypt" with a Cyrillic Е beside "Egypt") in constant time per name (imports check every row)."""

    def __init__(self, names=()):
        self._by_skeleton: dict[str, list[str]] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        self._by_skeleton.setdefault(skeleton(name), []).append(name)

    def find(self, name: str) -> str | None:
        own_scripts = _scripts(name)
        for other in self._by_skeleton.get(skeleton(name), ()):
            if other != name and _scripts(other) != own_scripts:
                return other
        return None


def confusable_with(name: str, existing) -> str | None:
    """An existing name that looks the same as ``name`` but is written in another script, or None."""
    return LookalikeIndex(existing).find(name)


def lookalike_note(name: str, other: str) -> str:
    from trustfund_app.core.i18n import _

    return _('"{name}" looks like "{other}" but is written with letters of another script; check that they are '
             'not the same').format(name=name, other=other)


def __getattr__(attr: str):
    # ``donor_display_name`` lives with its CLDR lookup; reachable from here too (lazily: this module
    # must stay light for the sheet-reading process)
    if attr == "donor_display_name":
        from trustfund_app.core.donor_names import donor_display_name

        return donor_display_name
    raise AttributeError(attr)
