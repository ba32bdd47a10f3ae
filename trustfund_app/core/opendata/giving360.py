"""The 360Giving Data Standard 1.4 package: one grant per Fund grant, as JSON or as the
standard's spreadsheet (flattened by ``flattentool``, 360Giving's own converter, offline against
the shipped schema).

Identifiers: a grant is ``<registered prefix>-<agreement number>``; the funder is the reporting
organisation (XM-DAC-41128 by default); a recipient is its org-id, or where unknown the standard's
fallback, ``<registered prefix>-<our own id of the grantee>``. A sensitive grant keeps its figures
but not its title, recipient or location; 360Giving covers grants only, so no donor appears.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from trustfund_app.core.countries import alpha2, country_label
from trustfund_app.core.org_identifiers import giving360_dir, slug
from trustfund_app.core.opendata.publisher import Publisher, Texts, decimal_text
from trustfund_app.core.opendata.source import GrantData, OpenData

_NUMBER = "@@number:"
_NUMBER_TEXT = re.compile(r'"@@number:(-?[0-9]+(?:\.[0-9]+)?)"')


def grant_id(publisher: Publisher, grant: GrantData) -> str:
    return f"{publisher.giving360_prefix}-{slug(grant.reference)}"


def grant_reference(publisher: Publisher, identifier: str) -> str:
    prefix = f"{publisher.giving360_prefix}-"
    return identifier[len(prefix):] if identifier.startswith(prefix) else identifier


def _months(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0))


def _amount(cents: int) -> Decimal:
    return Decimal(decimal_text(cents, "USD"))


def build_360(data: OpenData, publisher: Publisher, progress=None) -> dict:
    """The package as a dict; amounts are Decimals (``package_json`` writes them as exact numbers)."""
    texts = Texts(publisher)
    funder = {"id": publisher.org_id, "name": publisher.fund_name}
    grants = []
    for n, g in enumerate(data.grants, start=1):
        if g.sensitive:
            recipient = {"id": f"{publisher.giving360_prefix}-WITHHELD-{slug(g.reference)}",
                         "name": texts.withheld_partner()}
        else:
            recipient = {"id": g.grantee_org_id or f"{publisher.giving360_prefix}-ORG-{g.grantee_id}",
                         "name": g.grantee_name}
        grant = {
            "id": grant_id(publisher, g),
            "title": texts.withheld_title(g) if g.sensitive else g.title,
            "description": texts.withheld_description() if g.sensitive else texts.grant_description(g),
            "currency": "USD",
            "amountAwarded": _amount(g.amount_cents),
            "amountDisbursed": _amount(sum(c for _d, c, _k in g.disbursements)),
            "awardDate": g.approved_on.isoformat(),
            "plannedDates": [{"startDate": g.start.isoformat(), "endDate": g.end.isoformat(),
                              "duration": _months(g.start, g.end)}],
            "recipientOrganization": [recipient],
            "fundingOrganization": [dict(funder)],
            "grantProgramme": [{"code": f"C{g.cycle_number}", "title": g.cycle_name}],
        }
        if not g.sensitive:
            grant["beneficiaryLocation"] = [{"name": country_label(g.country, publisher.language),
                                             "countryCode": alpha2(g.country)}]
        grants.append(grant)
        if progress:
            progress(n, len(data.grants))
    title = publisher.fund_name if data.year is None else f"{publisher.fund_name} {data.year}"
    return {"grants": grants, "version": "1.4", "title": title, "issued": publisher.today.isoformat(),
            "publisher": {"identifier": publisher.org_id, "name": publisher.office}}


def package_json(package: dict) -> bytes:
    """The package as UTF-8 JSON with every amount written exactly as its decimal text."""

    def exact(value):
        if isinstance(value, Decimal):
            return f"{_NUMBER}{value}"
        raise TypeError(type(value).__name__)

    text = json.dumps(package, ensure_ascii=False, indent=2, default=exact)
    return _NUMBER_TEXT.sub(r"\1", text).encode("utf-8")


def flatten_schema_file(folder: Path) -> Path:
    """The grant schema as flattentool wants it (each row of the main sheet is one grant, as in
    360Giving's own spreadsheets), without the web addresses it would otherwise try to follow."""
    grant = json.loads((giving360_dir() / "360-giving-schema.json").read_text(encoding="utf-8"))
    for key in ("$id", "$schema", "oneOf"):
        grant.pop(key, None)
    path = folder / "360-giving-flatten-schema.json"
    path.write_text(json.dumps(grant), encoding="utf-8")
    return path


def write_xlsx(json_path: Path, out_path: Path, work: Path) -> None:
    """The 360Giving spreadsheet (titles as headers, one sheet per repeated part) from the JSON."""
    import warnings

    from flattentool import flatten

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flatten(str(json_path), output_name=str(out_path), output_format="xlsx",
                schema=str(flatten_schema_file(work)), root_list_path="grants", main_sheet_name="grants",
                use_titles=True, root_id="", remove_empty_schema_columns=True, rollup=True)
    # each grant has one recipient, funder, programme, period and place: they are rolled up into
    # the grants sheet ("Recipient Org:Identifier"…, 360Giving's usual layout), so the sub-sheets
    # flattentool also writes would only repeat them (and be read back twice)
    import openpyxl

    book = openpyxl.load_workbook(out_path)
    for name in book.sheetnames[1:]:
        del book[name]
    book.save(out_path)


def read_xlsx(xlsx_path: Path, work: Path) -> dict:
    """The package back from a 360Giving spreadsheet, with flattentool (the round trip)."""
    import warnings

    from flattentool import unflatten

    out = work / "unflattened.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unflatten(str(xlsx_path), output_name=str(out), input_format="xlsx", schema=str(flatten_schema_file(work)),
                  root_list_path="grants", root_id="", convert_titles=True)
    return _numbers_back(json.loads(out.read_text(encoding="utf-8"), parse_float=Decimal), _number_fields())


def _number_fields() -> frozenset[str]:
    """Names of the grant schema's number properties."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for name, spec in (node.get("properties") or {}).items():
                if isinstance(spec, dict) and "number" in (spec.get("type") if isinstance(spec.get("type"), list)
                                                           else [spec.get("type")]):
                    found.add(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((giving360_dir() / "360-giving-schema.json").read_text(encoding="utf-8")))
    return frozenset(found)


def _numbers_back(value, fields: frozenset[str], name: str = ""):
    """flattentool writes a non-whole number as a JSON string on current Pythons (its float-str
    trick no longer fools ``json``): turn those back into numbers, by the schema's types."""
    if isinstance(value, dict):
        return {k: _numbers_back(v, fields, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_back(v, fields, name) for v in value]
    if name in fields and isinstance(value, str):
        return Decimal(value)
    return value
