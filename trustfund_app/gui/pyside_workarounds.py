"""Work-around for a defect of the PySide6 build we ship, applied once when the GUI is imported.

PySide6 6.12.0 treats None, True and False as immortal, as they are on Python 3.12+: it hands them
out without taking a reference. Measured on Python 3.11: every call of a method that returns
nothing (``processEvents()``, ``setObjectName()``…) and every Python slot returning None called by
Qt takes one reference from ``None``; every ``signal.emit()`` takes one from ``True``. After a few
hundred background jobs, or a few thousand events, a count reaches zero and the process aborts
("Fatal Python error: none_dealloc" / "bool_dealloc"). We make the three objects immortal in the
same sense as Python 3.12 does: a reference count no run of the app can drain.
"""

from __future__ import annotations

import ctypes
import sys

# more references than a process could leak in years (one per call)
_HEADROOM = 1 << 40
_applied = False


def emit_leaks_true() -> bool:
    """Whether emitting a signal from Python takes a reference from True (for the test)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def protect_singletons() -> bool:
    """Make None, True and False immortal on Python < 3.12. Returns whether it did anything."""
    global _applied
    if _applied or sys.version_info >= (3, 12):
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _applied = True
    return True
