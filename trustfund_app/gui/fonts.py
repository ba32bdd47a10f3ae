"""Register the fonts shipped in resources/fonts with Qt, so Latin, Cyrillic, Arabic and Chinese
render on a machine with no such fonts installed (and offscreen)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from trustfund_app.core.paths import resources_dir

_registered: list[str] = []
_added: set[str] = set()
# file-name prefixes of the fonts a language's first screen needs; the others follow the first paint
_FIRST = {"ar": ("NotoSans", "Amiri"), "zh": ("NotoSans", "wqy")}
_LATIN = ("NotoSans",)


def register_fonts(lang: str | None = None) -> list[str]:
    """Add the shipped fonts once (only those ``lang`` needs first, when given); returns the
    families now available."""
    folder = resources_dir() / "fonts"
    wanted = _FIRST.get(lang, _LATIN) if lang else None
    for path in sorted(folder.glob("*.tt[fc]")):
        if path.name in _added or (wanted and not path.name.startswith(wanted)):
            continue
        _added.add(path.name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in _registered:
                    _registered.append(family)
    return _registered


def apply_app_font(app: QApplication, lang: str | None = None) -> None:
    """Latin/Cyrillic first, then the Chinese and Arabic families as explicit fallbacks. With
    ``lang``, only what that language needs now (start-up); call again without it for the rest."""
    families = register_fonts(lang)
    if not families:
        return
    order = [f for f in ("Noto Sans", "WenQuanYi Micro Hei", "Amiri") if f in families]
    order += [f for f in families if f not in order]
    font = QFont(app.font())
    font.setFamilies(order)
    font.setPointSize(10)
    app.setFont(font)
