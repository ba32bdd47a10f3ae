"""Register the fonts shipped in resources/fonts with Qt, so Latin, Cyrillic, Arabic and Chinese
render on a machine with no such fonts installed (and offscreen)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from trustfund_app.core.paths import resources_dir

_registered: list[str] = []


def register_fonts() -> list[str]:
    """Add every shipped font once; returns the families now available."""
    if _registered:
        return _registered
    folder = resources_dir() / "fonts"
    for path in sorted(folder.glob("*.tt[fc]")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in _registered:
                    _registered.append(family)
    return _registered


def apply_app_font(app: QApplication) -> None:
    """Latin/Cyrillic first, then the Chinese and Arabic families as explicit fallbacks."""
    families = register_fonts()
    if not families:
        return
    order = [f for f in ("Noto Sans", "WenQuanYi Micro Hei", "Amiri") if f in families]
    order += [f for f in families if f not in order]
    font = QFont(app.font())
    font.setFamilies(order)
    font.setPointSize(10)
    app.setFont(font)
