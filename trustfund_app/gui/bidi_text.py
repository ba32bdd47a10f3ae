"""Names typed by users (donors, references) keep their own reading order inside a right-to-left
interface: "Andes Minería S.A." must not show as ".Andes Minería S.A" in an Arabic table."""

from __future__ import annotations

from trustfund_app.core.i18n import is_rtl

FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


def isolate(text: str | None) -> str:
    """The text as its own bidi paragraph (direction from its first strong letter) when the
    interface is right-to-left; unchanged otherwise (and never for an empty text)."""
    if not text or not is_rtl():
        return text or ""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_ISOLATE}"
