"""A record's history as a reader understands it: field labels in the user's language, amounts with
their currency, donors and grantees by name, dates in the language's style, internal fields (keys,
stamps, flags that mirror another row) left out, and a correction's reason once, as the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trustfund_app.core.audit import REASON_KEY, HistoryEntry, history
from trustfund_app.core.field_text import HIDDEN, NAMED, label, order, related_names, value_text


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    user: str
    action: str
    changes: str  # one "Label: value" or "Label: before → after" per line
    reason: str


def record_history(session, entity: str, entity_id: str) -> list[HistoryLine]:
    """Read on a worker thread; the lines are plain text in the current language."""
    entries = history(session, entity, entity_id)
    names = related_names(session, [side for e in entries for side in (e.before, e.after)])
    return [HistoryLine(e.at, e.user, _action(e), "\n".join(describe(e, names, entity)),
                        ((e.after or {}).get(REASON_KEY) or "")) for e in entries]


def _action(entry: HistoryEntry) -> str:
    """"reversed" for the update that marks an entry reversed (its own fields do not change)."""
    if entry.action == "update" and (entry.after or {}).get("reversed") is True:
        return "reversed"
    return entry.action


def describe(entry: HistoryEntry, names: dict[str, str], entity: str | None = None) -> list[str]:
    """One "Label: value" or "Label: before → after" per field (``core/field_text``)."""
    before, after = entry.before or {}, entry.after or {}
    currency = after.get("currency") or before.get("currency")
    lines = []
    for key in sorted(set(before) | set(after), key=order):
        if key in HIDDEN or key == REASON_KEY or (key.endswith("_id") and key not in NAMED):
            continue
        old, new = before.get(key), after.get(key)
        name = label(key, entity)

        def shown(value):
            return value_text(key, value, currency, names, entity)

        if entry.action in ("insert", "import"):
            if new not in (None, ""):
                lines.append(f"{name}: {shown(new)}")
        elif entry.action == "delete":
            lines.append(f"{name}: {shown(old)}")
        elif old != new:
            lines.append(f"{name}: {shown(old)} → {shown(new)}")
    return lines
