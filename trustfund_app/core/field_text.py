"""What a stored field is called and how its value reads, for people: the one mapping from a table's
column names and stored values to the labels the record screens use (translated) and values
formatted as elsewhere (dates in the language's one date style, amounts with their currency,
yes/no, countries and languages by name, stored codes by their label, ids of related records by
their names). The record history (``record_history``) and the conflicts of the exchange (the
Conflicts screen, ``conflicts list``) read through here.

``label`` and ``value_text`` are pure (no database): call them when showing, in the language
shown. ``related_names`` reads the names of related records once, on a worker thread."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Iterable

from sqlalchemy import select

from trustfund_app.core.i18n import LANGUAGE_NAMES, N_, _, format_date, format_money, format_number, format_rate

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
    # grantees (as the grantee form names them)
    "registration_number": N_("Registration number"), "registration_date": N_("Registered on"),
    "partner_portal_id": N_("UN Partner Portal ID"), "org_id": N_("Organisation identifier"),
    "psea_attested": N_("PSEA"), "non_profit": N_("Non-profit organisation"),
    "own_bank_account": N_("Bank account held in the organisation's own name"),
    # grants, applications, cycles
    "grant_id": N_("Grant"), "application_id": N_("Application"), "cycle_id": N_("Cycle"),
    "sub_programme_id": N_("Sub-programme"), "envelope_override": N_("Envelope override: reason"),
    "sensitive": N_("Sensitive"), "sensitive_reason": N_("Reason"), "year": N_("Year"), "code": N_("Code"),
    "call_open": N_("Call opens"), "call_close": N_("Call closes"), "board_meeting_date": N_("Board meeting date"),
    "envelope_usd_cents": N_("Envelope (USD)"), "ceiling_usd_cents": N_("Ceiling per grant (USD)"),
    "max_months": N_("Maximum duration (months)"), "held_until_report_id": N_("Held until report"),
    "psc_rate": N_("PSC"),
    # reports and victims assisted
    "report_id": N_("Report"), "assistance": N_("Assistance"), "women": N_("Women"), "girls": N_("Girls"),
    "men": N_("Men"), "boys": N_("Boys"), "office": N_("Office"),
    # visits and follow-up actions (as their dialogs name them)
    "visit_date": N_("Date of the visit"), "visitors": N_("Who visited"), "findings": N_("Findings"),
    "description": N_("Action"), "responsible": N_("Responsible"), "done_on": N_("Done on"),
    # documents, write-offs, rates, aliases
    "file_name": N_("File name"), "size": N_("Size"), "pledge_id": N_("Pledge"), "effective_date": N_("Effective on"),
    "reason": N_("Reason"), "requested_by": N_("Requested by"), "decided_by": N_("Decided by"), "alias": N_("Alias"),
}
# where a record's form names a field differently from the others
ENTITY_FIELD_LABELS = {
    ("grantee", "country"): N_("Country of registration"), ("grantee", "language"): N_("Language of letters"),
    ("grant", "country"): N_("Country of implementation"), ("application", "country"): N_("Country of implementation"),
    ("grant", "title"): N_("Project title"), ("application", "title"): N_("Project title"),
    ("follow_up_action", "due_date"): N_("Due on"), ("grant_cycle", "number"): N_("Cycle number"),
}
# keys, stamps and flags that repeat what another row says (a record's history leaves them out)
HIDDEN = frozenset({"id", "created_at", "updated_at", "import_batch", "merged_into_id", "reversed", "reverses_id",
                    "seq", "prepared_at", "rate_date", "match_key"})
USD_FIELDS = frozenset({"usd_cents", "amount_usd_cents", "psc_cents", "requested_usd_cents", "ceiling_usd_cents",
                        "envelope_usd_cents"})
# ids shown as the related record's name: key -> (table, the column that names it)
NAMED = {
    "donor_id": ("donor", "name"), "grantee_id": ("grantee", "name"), "grant_id": ("grant", "reference"),
    "application_id": ("application", "number"), "cycle_id": ("grant_cycle", "name"),
    "sub_programme_id": ("sub_programme", "code"), "pledge_id": ("contribution", "reference"),
    "report_id": ("grantee_report", None), "held_until_report_id": ("grantee_report", None),
}


# what a record is called (the table's name is for the audit trail, not people)
RECORD_LABELS = {
    "grantee": N_("Grantee"), "grantee_report": N_("Grantee report"), "victims_assisted": N_("Victims assisted"),
    "grant": N_("Grant"), "instalment": N_("Instalment"), "application": N_("Application"), "donor": N_("Donor"),
    "exchange_rate": N_("Exchange rate"), "grant_cycle": N_("Grant cycle"), "sub_programme": N_("Sub-programme"),
    "refund": N_("Refund of an unspent balance"), "donor_alias": N_("Other name of a donor"),
    "monitoring_visit": N_("Monitoring visit"), "follow_up_action": N_("Follow-up action"),
    "document": N_("Document"), "pledge_write_off": N_("Write-off"), "contribution": N_("Pledge or payment"),
    "budget_line": N_("Budget line"), "budget_expenditure": N_("Expenditure"),
}


def record_label(entity: str) -> str:
    msgid = RECORD_LABELS.get(entity)
    return _(msgid) if msgid else entity.replace("_", " ").capitalize()


def record_text(entity: str, name: str | None) -> str:
    """A record for people: "Grantee: Shelter NGA" (the punctuation is the language's)."""
    return _("{record}: {name}").format(record=record_label(entity), name=name) if name else record_label(entity)


def label(key: str, entity: str | None = None) -> str:
    """The field's label in the current language (a readable form of the column's name when no
    screen names it)."""
    msgid = ENTITY_FIELD_LABELS.get((entity, key)) or FIELD_LABELS.get(key)
    return _(msgid) if msgid else key.replace("_", " ").capitalize()


def _enum_labels(entity: str | None, key: str) -> dict | None:
    from trustfund_app.core import models as m

    by_entity = {
        ("contribution", "kind"): m.KIND_LABELS, ("donor", "type"): m.DONOR_TYPE_LABELS,
        ("grant", "status"): m.GRANT_STATUS_LABELS, ("application", "status"): m.APPLICATION_STATUS_LABELS,
        ("instalment", "status"): m.INSTALMENT_STATUS_LABELS, ("grantee_report", "kind"): m.REPORT_KIND_LABELS,
        ("grantee_report", "type"): m.REPORT_TYPE_LABELS, ("victims_assisted", "assistance"): m.ASSISTANCE_LABELS,
        ("pledge_write_off", "kind"): m.WRITE_OFF_KIND_LABELS,
    }
    if entity is not None:
        return by_entity.get((entity, key))
    # a history without its table: the labels the key has had so far
    return {"kind": m.KIND_LABELS, "type": m.DONOR_TYPE_LABELS, "status": m.GRANT_STATUS_LABELS}.get(key)


def value_text(key: str, value, currency: str | None = None, names: dict[str, str] | None = None,
               entity: str | None = None) -> str:
    """A stored value as people read it (``names``: from ``related_names``)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    try:
        return _formatted(key, value, currency, names or {}, entity)
    except (ValueError, TypeError, InvalidOperation, KeyError):
        return str(value)  # a value this version does not know how to read is shown as stored


def _formatted(key: str, value, currency: str | None, names: dict[str, str], entity: str | None) -> str:
    if key == "amount_minor" and currency:
        from trustfund_app.core.money import Money

        return format_money(Money.from_minor(int(value), currency))
    if key in USD_FIELDS:
        from trustfund_app.core.money import USD, Money

        return format_money(Money.from_minor(int(value), USD))
    if key in NAMED:
        return names.get(str(value), str(value))
    if key in ("rate", "psc_rate"):
        return format_rate(Decimal(str(value)))
    if key == "country":
        from trustfund_app.core.countries import country_label

        return country_label(value)
    if key == "language" and value in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[value]
    labels = _enum_labels(entity, key)
    if labels:
        for enum_value, msgid in labels.items():
            if str(enum_value) == str(value):
                return _(msgid)
    if key == "names" and isinstance(value, dict):
        return "; ".join(f"{LANGUAGE_NAMES.get(lang, lang)}: {text}" for lang, text in sorted(value.items()))
    if isinstance(value, int) and not isinstance(value, bool) and key not in ("year", "number"):
        return format_number(value)
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        if len(value) == 10:
            return format_date(date.fromisoformat(value))
        moment = datetime.fromisoformat(value)
        return f"{format_date(moment.date())} {moment:%H:%M}"
    return str(value)


def order(key: str) -> tuple:
    """Fields in the order the mapping lists them (the order of the record screens)."""
    keys = list(FIELD_LABELS)
    return (keys.index(key) if key in keys else len(keys), key)


def naming(entity: str, entity_id: str) -> dict:
    """A row that points to the record itself, for ``related_names`` to name it too."""
    key = next((k for k, (table, _column) in NAMED.items() if table == entity), None)
    return {key: entity_id} if key else {}


def related_names(session, rows: Iterable[dict | None]) -> dict[str, str]:
    """The names of the records the ``rows``' ids point to (donors, grantees, grants, cycles...),
    keyed by id as text: one query per kind of record named."""
    from trustfund_app.core.models import metadata

    wanted: dict[str, set] = {}
    for row in rows:
        for key, (table, _column) in NAMED.items():
            value = (row or {}).get(key)
            if value:
                try:
                    wanted.setdefault(table, set()).add(uuid.UUID(str(value)))
                except ValueError:
                    continue
    out: dict[str, str] = {}
    for table_name, ids in wanted.items():
        table = metadata.tables[table_name]
        if table_name == "grantee_report":
            out.update(_report_names(session, ids))
            continue
        column = dict(NAMED.values())[table_name]
        for i, name in session.execute(select(table.c.id, table.c[column]).where(table.c.id.in_(ids))):
            if name:
                out[str(i)] = str(name)
    return out


def _report_names(session, ids: set) -> dict[str, str]:
    """A report as "Interim financial report (grant reference)"."""
    from trustfund_app.core.models import REPORT_LABELS, Grant, GranteeReport, ReportKind, ReportType

    query = (select(GranteeReport.id, GranteeReport.kind, GranteeReport.type, Grant.reference)
             .join(Grant, Grant.id == GranteeReport.grant_id).where(GranteeReport.id.in_(ids)))
    out = {}
    for i, kind, type_, reference in session.execute(query):
        msgid = REPORT_LABELS.get((ReportKind(kind), ReportType(type_)))
        out[str(i)] = f"{_(msgid) if msgid else kind} ({reference})"
    return out
