"""Filter drop-downs shared by the list screens: "All" first, then the choices; refilling keeps
the current choice and does not fire a filter change."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def fill_filter_combo(combo: QComboBox, items, all_text: str) -> None:
    """``items``: (text, value) pairs. The "All" entry has the value None."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_text, None)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
