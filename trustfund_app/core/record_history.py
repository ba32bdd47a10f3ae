"""A record's history as a reader understands it: field labels in the user's language, amounts with
their currency, donors and grantees by name, dates in the language's style, internal fields (keys,
stamps, flags that mirror another row) left out, and a correction's reason once, as the reason."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from trustfund_app.core.audit import REASON_KEY, HistoryEntry, history
from trustfund_app.core.i18n import N_, _, format_amount, format_date, format_rate

FIELD_LABELS = {
    "name": N_("Name"), "names": N_("Name in other languages"), "type": N_("Type"), "country": N_("Country"),
    "language": N_("Statement language"), "contact_person": N_("Contact person"), "email": N_("E-mail"),
    "phone": N_("Telephone"), "address": N_("Address"), "notes": N_("Notes"), "active": N_("Active"),
    "donor_id": N_("Donor"), "grantee_id": N_("Grantee"), "kind": N_("Kind"), "date": N_("Date"),
    "currency": N_("Currency"), "amount_minor": N_("Amount"), "rate": N_("Rate"), "rate_date": N_("Rate date"),
    "usd_cents": N_("USD equivalent"), "reference": N_("Reference"), "receipt_number": N_("Receipt number"),
    "earmark": N_("Earmark"), "note": N_("Note"), "status": N_("Status"), "title": N_("Title"),
    "amount_usd_cents": N_("Amount (USD)"), "psc_cents": N_("Programme support costs"), "start": N_("Start"),
    "end": N_("End"), "approved_on": N_("Approved on"), "decided_on": N_("Decided on"),
    "board_meeting": N_("Board meeting"), "closed_on": N_("Closed on"), "planned_date": N_("Planned date"),
    "paid_on": N_("Paid on"), "due_date": N_("Due date"), "received_on": N_("Received on"),
    "requested_usd_cents": N_("Requested (USD)"), "months": N_("Duration (months)"), "number": N_("Number"),
    "decision_note": N_("Decision note"), "prepared_by": N_("Prepared by"), "approved_by": N_("Approved by"),
}
# keys, stamps and flags that repeat what another row says (a reversal is its own entry)
HIDDEN = frozenset({"id", "created_at", "updated_at", "import_batch", "merged_into_id", "reversed", "reverses_id",
                    "seq", "prepared_at", "rate_date"})
_NAMED = {"donor_id": "donor", "grantee_id": "grantee"}
_USD_FIELDS = frozenset({"usd_cents", "amount_usd_cents", "psc_cents", "requested_usd_cents", "ceiling_usd_cents",
                         "envelope_usd_cents"})


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
    names = _names(session, entries)
    return [HistoryLine(e.at, e.user, _action(e), "\n".join(describe(e, names)),
                        ((e.after or {}).get(REASON_KEY) or "")) for e in entries]


def _action(entry: HistoryEntry) -> str:
    """"reversed" for the update that marks an entry reversed (its own fields do not change)."""
    if entry.action == "update" and (entry.after or {}).get("reversed") is True:
        return "reversed"
    return entry.action


def describe(entry: HistoryEntry, names: dict[str, str]) -> list[str]:
    before, after = entry.before or {}, entry.after or {}
    currency = after.get("currency") or before.get("currency")
    lines = []
    for key in sorted(set(before) | set(after), key=_order):
        if key in HIDDEN or key == REASON_KEY or (key.endswith("_id") and key not in _NAMED):
            continue
        old, new = before.get(key), after.get(key)
        label = _(FIELD_LABELS[key]) if key in FIELD_LABELS else key.replace("_", " ").capitalize()
        if entry.action in ("insert", "import"):
            if new not in (None, ""):
                lines.append(f"{label}: {value_text(key, new, currency, names)}")
        elif entry.action == "delete":
            lines.append(f"{label}: {value_text(key, old, currency, names)}")
        elif old != new:
            lines.append(f"{label}: {value_text(key, old, currency, names)} → {value_text(key, new, currency, names)}")
    return lines


def value_text(key: str, value, currency: str | None, names: dict[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "amount_minor" and currency:
        from trustfund_app.core.money import Money

        return format_amount(Money.from_minor(int(value), currency).amount, currency)
    if key in _USD_FIELDS:
        from trustfund_app.core.money import USD, Money

        return format_amount(Money.from_minor(int(value), USD).amount, USD)
    if key in _NAMED:
        return names.get(str(value), str(value))
    if key == "rate":
        from decimal import Decimal

        return format_rate(Decimal(str(value)))
    if key == "country":
        from trustfund_app.core.countries import country_label

        return country_label(value)
    if key in ("kind", "type", "status"):
        return _label_of(key, value)
    if key == "names" and isinstance(value, dict):
        return "; ".join(f"{lang}: {text}" for lang, text in sorted(value.items()))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _label_of(key: str, value: str) -> str:
    from trustfund_app.core.models import DONOR_TYPE_LABELS, GRANT_STATUS_LABELS, KIND_LABELS

    for labels in ((KIND_LABELS,) if key == "kind" else (DONOR_TYPE_LABELS,) if key == "type" else (GRANT_STATUS_LABELS,)):
        for enum_value, msgid in labels.items():
            if str(enum_value) == value:
                return _(msgid)
    return value


def _order(key: str) -> tuple:
    keys = list(FIELD_LABELS)
    return (keys.index(key) if key in keys else len(keys), key)


def _names(session, entries: list[HistoryEntry]) -> dict[str, str]:
    from trustfund_app.core.models import Donor, Grantee

    wanted: dict[str, set] = {"donor": set(), "grantee": set()}
    for e in entries:
        for side in (e.before or {}, e.after or {}):
            for key, kind in _NAMED.items():
                if side.get(key):
                    wanted[kind].add(uuid.UUID(str(side[key])))
    out = {}
    for model, ids in ((Donor, wanted["donor"]), (Grantee, wanted["grantee"])):
        if ids:
            out.update({str(i): n for i, n in session.execute(select(model.id, model.name).where(model.id.in_(ids)))})
    return out
