"""The TrueType fonts shipped in ``resources/fonts`` registered with reportlab, and which font
draws which character.

Every document is drawn only with these (never reportlab's built-in Helvetica), so each PDF embeds
(a subset of) every font it uses. Each language has a base family; a character the base family
lacks falls back to the first family that has it (Chinese name in an English statement, Cyrillic
inside Arabic text). Registration is lazy and thread-safe: the Chinese font is 5 MB.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

# reportlab's C accelerators (text widths, number formatting): reportlab loads them through exec()
# and silently falls back to Python without them; importing them here makes a missing one an error
import _rl_accel  # noqa: F401

from trustfund_app.core.paths import resources_dir

# reportlab font name -> (file, sub-font index)
FONT_FILES = {
    "TF-NotoSans": ("NotoSans-Regular.ttf", 0),
    "TF-NotoSans-Bold": ("NotoSans-Bold.ttf", 0),
    "TF-Amiri": ("Amiri-Regular.ttf", 0),
    "TF-Amiri-Bold": ("Amiri-Bold.ttf", 0),
    "TF-WQYMicroHei": ("wqy-microhei.ttc", 0),
}


@dataclass(frozen=True)
class Family:
    regular: str
    bold: str  # WenQuanYi Micro Hei has no bold face: the regular one is used


NOTO = Family("TF-NotoSans", "TF-NotoSans-Bold")
AMIRI = Family("TF-Amiri", "TF-Amiri-Bold")
WQY = Family("TF-WQYMicroHei", "TF-WQYMicroHei")
FALLBACK_ORDER = (NOTO, AMIRI, WQY)
LANGUAGE_FAMILY = {"ar": AMIRI, "zh": WQY}

# characters a font may lack, and a look-alike to draw instead (babel's fr/ru narrow no-break
# space is missing from the Chinese font)
SUBSTITUTES = {"\u202f": "\u00a0", "\u2009": " ", "\u2011": "-", "\u2212": "-"}

_lock = threading.Lock()
_registered: dict[str, object] = {}


def family_for(lang: str) -> Family:
    return LANGUAGE_FAMILY.get(lang, NOTO)


def register(name: str):
    """The registered reportlab TTFont ``name`` (registering it the first time)."""
    font = _registered.get(name)
    if font is not None:
        return font
    with _lock:
        font = _registered.get(name)
        if font is None:
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            filename, index = FONT_FILES[name]
            font = TTFont(name, str(resources_dir() / "fonts" / filename), subfontIndex=index)
            pdfmetrics.registerFont(font)
            # <b> in paragraph markup picks the family's bold face
            for family in FALLBACK_ORDER:
                if name in (family.regular, family.bold):
                    addMapping(family.regular, 0, 0, family.regular)
                    addMapping(family.regular, 1, 0, family.bold)
                    addMapping(family.regular, 0, 1, family.regular)
                    addMapping(family.regular, 1, 1, family.bold)
            _registered[name] = font
    return font


def register_family(family: Family) -> Family:
    register(family.regular)
    register(family.bold)
    return family


@lru_cache(maxsize=None)
def coverage(name: str) -> frozenset[int]:
    return frozenset(register(name).face.charToGlyph)


@lru_cache(maxsize=None)
def coverage_chars(name: str) -> frozenset[str]:
    return frozenset(map(chr, coverage(name)))


def single_font_width(text: str, name: str, size: float) -> float:
    """Width of text drawn entirely in font ``name`` (reportlab's own measure, in C with rl-accel)."""
    return register(name).stringWidth(text, size)


def font_for_char(char: str, preferred: str, bold: bool) -> tuple[str, str]:
    """(font name, character to draw) for ``char``: the preferred font if it has the glyph, else a
    substitute glyph in it, else the first fallback family that has it."""
    code = ord(char)
    if code in coverage(preferred):
        return preferred, char
    sub = SUBSTITUTES.get(char)
    if sub is not None and ord(sub) in coverage(preferred):
        return preferred, sub
    for family in FALLBACK_ORDER:
        name = family.bold if bold else family.regular
        if code in coverage(name):
            return name, char
    return preferred, "?" if code > 0x20 else " "


def segments(text: str, preferred: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split ``text`` into runs drawn with one font each: [(font name, text), ...]. Spaces and
    punctuation stay in the current run when its font has them (fewer font switches)."""
    runs: list[tuple[str, list[str]]] = []
    pref_cov = coverage(preferred)
    for ch in text:
        if ord(ch) in pref_cov and (not runs or runs[-1][0] == preferred or not ch.isspace()):
            name, drawn = preferred, ch
        elif runs and ch.isspace() and ord(ch) in coverage(runs[-1][0]):
            name, drawn = runs[-1][0], ch
        else:
            name, drawn = font_for_char(ch, preferred, bold)
        if runs and runs[-1][0] == name:
            runs[-1][1].append(drawn)
        else:
            runs.append((name, [drawn]))
    return [(name, "".join(chars)) for name, chars in runs]


def text_width(text: str, preferred: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(run, name, size) for name, run in segments(text, preferred, bold))
