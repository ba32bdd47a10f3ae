"""PySide6 6.12 on Python 3.11 takes a reference from None on every void call and from True on
every emit; without the work-around a long session aborts ("none_dealloc"). The GUI package makes
them immortal as Python 3.12 does."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal


class _Pinger(QObject):
    ping = Signal(object)


def test_a_long_session_cannot_drain_none_or_true(qapp):
    import trustfund_app.gui  # noqa: F401 — applies the work-around

    pinger = _Pinger()
    for _ in range(5000):
        pinger.ping.emit(None)
        QCoreApplication.processEvents()
        pinger.setObjectName("p")
    if sys.version_info < (3, 12):
        # years of events and jobs cannot bring these counts to zero
        assert min(sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)) > 10**11
