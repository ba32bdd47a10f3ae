"""Mutations report what changed; screens refresh themselves from these reports.

A service returns a ``ChangeSet`` after committing and publishes it here. The GUI subscribes once
(bridging to a Qt signal on the GUI thread); the core knows nothing about who listens.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class ChangeSet:
    entity: str  # "donor", "contribution", "exchange_rate", "grant", ...
    action: str  # "insert", "update", "delete", "merge", "import"
    ids: tuple[str, ...] = field(default_factory=tuple)


_listeners: list[Callable[[ChangeSet], None]] = []
_lock = threading.Lock()


def subscribe(listener: Callable[[ChangeSet], None]) -> Callable[[], None]:
    with _lock:
        _listeners.append(listener)

    def unsubscribe() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return unsubscribe


def publish(change: ChangeSet) -> ChangeSet:
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(change)
    return change
