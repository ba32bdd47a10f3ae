"""Reading a layout's items without leaving stale wrappers behind.

A layout item (QSpacerItem, QWidgetItem) is not a QObject: when Qt deletes it with its layout,
PySide never learns, and the Python wrapper it made for ``itemAt`` stays in PySide's map under
the item's address. A widget later allocated at that address then comes back from Qt
(``topLevelWidgets``, ``focusWidget``) as that stale QSpacerItem wrapper — CI saw
``'QSpacerItem' object has no attribute 'setLocale'``. So every walk over layouts goes through
``parts``, which takes what it needs from the item and drops the item's wrapper at once."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLayout


def parts(layout: QLayout, *where) -> tuple:
    """(widget, child layout) of ``layout.itemAt(*where)``; (None, None) for no item or a spacer."""
    item = layout.itemAt(*where)
    if item is None:
        return None, None
    widget, child = item.widget(), item.layout()
    # layouts are QObjects (PySide tracks them); a layout written in Python keeps its own items'
    # wrappers in a list (gui/flow_layout.py): leave both alone
    if not isinstance(item, QLayout) and type(layout).__module__.startswith("PySide6"):
        shiboken6.invalidate(item)
    return widget, child
