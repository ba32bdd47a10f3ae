"""Finding the header row and which column holds which field.

Headers are matched case-, accent- and punctuation-insensitively in any of the six languages, with
common variants ("Amount (USD)", "Montant", "Сумма", "金额"); the header row may sit below title
rows. A mapping the user made by hand is saved per layout (the kind plus the exact list of
headers) in the Setting table and applied the next time the same layout arrives.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel.spellings import HEADERS
from trustfund_app.core.i18n import _
from trustfund_app.core.names import match_key

KINDS = ("donors", "contributions", "grants", "rates")
# kind -> ((field, required), ...) in template order
KIND_FIELDS: dict[str, tuple[tuple[str, bool], ...]] = {
    "contributions": (("date", True), ("donor", True), ("kind", True), ("currency", True), ("amount", True),
                      ("reference", False), ("pledge_reference", False), ("earmark", False), ("note", False),
                      ("receipt_number", False)),
    "donors": (("name", True), ("type", True), ("country", False), ("language", False), ("aliases", False),
               ("email", False), ("address", False), ("contact_person", False), ("phone", False), ("note", False)),
    "rates": (("currency", True), ("effective_date", True), ("rate", True)),
    "grants": (("reference", True), ("cycle", True), ("grantee", True), ("country", True), ("title", True),
               ("amount_usd", True), ("start", True), ("end", True), ("status", False), ("approved_on", False),
               ("sub_programme", False), ("sensitive", False), ("sensitive_reason", False),
               ("grantee_org_id", False)),
}
HEADER_SCAN_ROWS = 30
MAPPING_PREFIX = "import_mapping:"


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationError(_('unknown import kind "{kind}"; use one of {choices}').format(
            kind=kind, choices=", ".join(KINDS)), "kind")
    return kind


def header_key(text) -> str:
    return match_key(str(text).replace("_", " ")) if text is not None else ""


def _lookup(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, _required in KIND_FIELDS[kind]:
        table.setdefault(header_key(name), name)
        for spellings in HEADERS[name].values():
            for spelling in spellings:
                table.setdefault(header_key(spelling), name)
    return table


def field_for(kind: str, header) -> str | None:
    """The field a header names, or None."""
    table = _lookup(kind)
    key = header_key(header)
    if key in table:
        return table[key]
    bare = header_key(re.sub(r"[(（\[].*?[)）\]]", " ", str(header)))
    return table.get(bare)


def header_label(name: str, lang: str) -> str:
    """The canonical header of a field in a language (templates, exports)."""
    return HEADERS[name][lang][0]


def layout_key(kind: str, headers: dict[int, object]) -> str:
    text = kind + "|" + "|".join(header_key(headers[c]) for c in sorted(headers))
    return MAPPING_PREFIX + hashlib.sha1(text.encode("utf-8")).hexdigest()[:24]


@dataclass
class HeaderMatch:
    row: int  # 1-based row number of the header row
    headers: dict[int, str]  # column -> header text as written
    columns: dict[str, int]  # field -> column
    layout: str  # setting key of this layout's saved mapping
    ignored: list[str] = field(default_factory=list)  # headers we do not import
    saved_mapping_used: bool = False

    def missing(self, kind: str) -> list[str]:
        return [name for name, required in KIND_FIELDS[kind] if required and name not in self.columns]


def parse_mapping(kind: str, items: list[str] | None) -> dict[str, str]:
    """``--map 'HEADER=field'`` items → {header key: field}."""
    fields = {name for name, _r in KIND_FIELDS[kind]}
    out: dict[str, str] = {}
    for item in items or ():
        header, sep, name = item.rpartition("=")
        name = name.strip()
        if not sep or not header.strip():
            raise ValidationError(_('"{item}" is not a mapping; write HEADER=field').format(item=item), "map")
        if name not in fields:
            raise ValidationError(_('"{field}" is not a {kind} field; use one of {choices}').format(
                field=name, kind=kind, choices=", ".join(f for f, _r in KIND_FIELDS[kind])), "map")
        out[header_key(header)] = name
    return out


def match_headers(kind: str, cells: dict[int, object], row: int, manual: dict[str, str] | None = None,
                  saved: dict[str, str] | None = None) -> HeaderMatch:
    """Assign fields to the columns of one header row. Hand-made mappings win over saved ones,
    saved ones over detection; one column per field (the first one found)."""
    headers = {c: str(v).strip() for c, v in cells.items() if isinstance(v, str) and str(v).strip()}
    match = HeaderMatch(row, headers, {}, layout_key(kind, headers), saved_mapping_used=bool(saved))
    by_key = {header_key(text): c for c, text in headers.items()}
    # a hand-made "" means: do not import this column, whatever it looks like
    skipped = {by_key[k] for k, name in (manual or {}).items() if not name and k in by_key}
    for layer in (manual or {}, saved or {}):
        for key, name in layer.items():
            if (name and key in by_key and name not in match.columns and by_key[key] not in match.columns.values()
                    and by_key[key] not in skipped):
                match.columns[name] = by_key[key]
    for column in sorted(headers):
        if column in match.columns.values():
            continue
        if column in skipped:
            match.ignored.append(headers[column])
            continue
        name = field_for(kind, headers[column])
        if name and name not in match.columns:
            match.columns[name] = column
        else:
            match.ignored.append(headers[column])
    return match


def detect_header(kind: str, first_rows: list[tuple[int, dict]], manual: dict[str, str] | None = None,
                  saved_lookup=None) -> HeaderMatch | None:
    """The best header row among the first rows (the one naming most fields), or None.
    ``saved_lookup(layout_key) -> mapping | None`` supplies saved mappings."""
    best: HeaderMatch | None = None
    best_score = -1
    for number, cells in first_rows[:HEADER_SCAN_ROWS]:
        if not any(isinstance(v, str) for v in cells.values()):
            continue
        probe = match_headers(kind, cells, number, manual)
        saved = saved_lookup(probe.layout) if saved_lookup else None
        if saved:
            probe = match_headers(kind, cells, number, manual, saved)
        required = [n for n, r in KIND_FIELDS[kind] if r]
        score = len(probe.columns) + (len(required) if saved else 0)
        if best is None or score > best_score:
            best, best_score = probe, score
    if best is None or len(best.columns) < min(2, len(KIND_FIELDS[kind])):
        return None
    return best


# -- saved mappings -------------------------------------------------------------------------------
def load_mapping(session, layout: str) -> dict[str, str] | None:
    from trustfund_app.core.models import Setting

    row = session.get(Setting, layout)
    if row is None:
        return None
    try:
        data = json.loads(row.value)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def save_mapping(db, user: str, match: HeaderMatch) -> None:
    """Remember how this layout's headers map to fields (written as one audited change)."""
    from trustfund_app.core.models import Setting

    value = json.dumps({header_key(match.headers[c]): name for name, c in match.columns.items()},
                       ensure_ascii=False, sort_keys=True)
    if len(value) > 2000:
        return  # too wide a layout to remember; harmless
    with db.writing(user) as s:
        row = s.get(Setting, match.layout)
        if row is None:
            s.add(Setting(key=match.layout, value=value))
        elif row.value != value:
            row.value = value
