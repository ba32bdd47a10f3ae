"""Arabic (and any right-to-left run) for reportlab, which draws glyphs strictly left to right.

What works (TECH-NOTES): shape with arabic-reshaper, reorder with python-bidi, and wrap the
*logical* text into lines ourselves — reportlab wrapping a visual string would break lines from
the wrong end and reverse their order. Amounts are isolated (LRI…PDI) so "1,234.56 US$" stays one
left-to-right unit inside Arabic; bidi control characters are removed before drawing because the
fonts have no glyphs for them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

LRI, PDI = "\u2066", "\u2069"
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_STRIP = str.maketrans("", "", BIDI_CONTROLS)
# Hebrew, Arabic, Syriac, Thaana, N'Ko ... and the Arabic presentation forms
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def has_rtl(text: str) -> bool:
    return bool(_RTL.search(text))


def strip_controls(text: str) -> str:
    return text.translate(_STRIP)


def isolate_ltr(text: str) -> str:
    """Keep ``text`` (an amount, a reference) one left-to-right unit inside right-to-left text."""
    return f"{LRI}{text}{PDI}"


# Shaping and reordering are pure functions of the string, and a document repeats the same
# labels, words and dates on every row and page (arabic-reshaper re-reads its configuration on
# every call): both are memoised per process.
@lru_cache(maxsize=16384)
def shape(text: str) -> str:
    if not has_rtl(text):
        return text  # nothing to join: only Arabic letters change shape
    import arabic_reshaper

    return arabic_reshaper.reshape(text)


def visual(text: str, rtl_base: bool) -> str:
    """One line of logical text in drawing order, shaped, without control characters."""
    if not rtl_base and not has_rtl(text):
        return strip_controls(text)
    return _visual_rtl(text, rtl_base)


@lru_cache(maxsize=8192)
def _visual_rtl(text: str, rtl_base: bool) -> str:
    from bidi import get_display

    shaped = shape(text)
    base = "R" if rtl_base else "L"
    if any(ch in _MIRRORS for ch in shaped):
        mirrored = _reorder_mirrored(shaped, base)
        if mirrored is not None:
            return strip_controls(mirrored)
    return strip_controls(get_display(shaped, base_dir=base))


# Bidi_Mirroring_Glyph pairs that occur in our texts (python-bidi's Rust engine reorders but does
# not mirror, so "(USD)" inside Arabic would come out as ")USD(")
_MIRRORS = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹"))
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _reorder_mirrored(text: str, base: str) -> str | None:
    """Rule L2 (reverse runs from the highest level down) and L4 (mirror characters at odd
    levels) on the levels python-bidi resolved; None if its debug output cannot be read."""
    from bidi import get_display

    info = get_display(text, base_dir=base, debug=True)
    try:
        levels_part = info.split("levels:", 1)[1].split("paragraphs:", 1)[0]
    except IndexError:
        return None
    byte_levels = [int(x) for x in _LEVEL.findall(levels_part)]
    levels, pos = [], 0
    for ch in text:  # the engine reports one level per UTF-8 byte
        if pos >= len(byte_levels):
            return None
        levels.append(byte_levels[pos])
        pos += len(ch.encode("utf-8"))
    if pos != len(byte_levels):
        return None
    para = 1 if base == "R" else 0
    chars = list(text)
    for i in range(len(chars) - 1, -1, -1):  # L1: trailing white space takes the paragraph level
        if not chars[i].isspace() and chars[i] not in BIDI_CONTROLS:
            break
        levels[i] = para
    chars = [_MIRRORS.get(c, c) if lvl % 2 else c for c, lvl in zip(chars, levels)]
    top = max(levels, default=0)
    lowest_odd = min((lvl for lvl in levels if lvl % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(chars):
            if levels[i] >= level:
                j = i
                while j < len(chars) and levels[j] >= level:
                    j += 1
                chars[i:j] = chars[i:j][::-1]
                levels[i:j] = levels[i:j][::-1]
                i = j
            else:
                i += 1
    return "".join(chars)


def wrap_logical(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy word wrap of logical text into lines no wider than ``width``; ``measure`` gives the
    drawn width of a (logical) piece. Hard line breaks ("\\n") are kept. A word wider than the line
    is cut by characters rather than overflowing."""
    lines: list[str] = []
    space = measure(" ")
    for hard in text.split("\n"):
        current: list[str] = []
        used = 0.0
        # only ordinary spaces break lines: babel's no-break spaces keep an amount together
        for word in (w for w in hard.split(" ") if w):
            w = measure(word)
            if current and used + space + w > width:
                lines.append(" ".join(current))
                current, used = [], 0.0
            if not current and w > width:
                for piece in _cut(word, width, measure):
                    lines.append(piece)
                lines_last = lines.pop()
                current, used = [lines_last], measure(lines_last)
                continue
            used += (space if current else 0) + w
            current.append(word)
        lines.append(" ".join(current))
    return lines


def _cut(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    pieces, start = [], 0
    for end in range(1, len(word) + 1):
        if measure(word[start:end]) > width and end - 1 > start:
            pieces.append(word[start:end - 1])
            start = end - 1
    pieces.append(word[start:])
    return pieces
