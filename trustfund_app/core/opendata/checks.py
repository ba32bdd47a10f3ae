"""Validity before anything is written: what each grant must have for the standards, the shipped
IATI 2.03 XSD and codelists, and the 360Giving JSON Schema. A refusal names each grant and what
it lacks; the caller then writes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import _, ngettext
from trustfund_app.core.org_identifiers import codelist, giving360_dir, iati_dir
from trustfund_app.core.opendata.source import GrantData


@dataclass(frozen=True)
class Problem:
    grant: str  # agreement number, or "" for the file as a whole
    lacks: str  # what it lacks, in the user's language


class OpenDataRefused(ValidationError):
    """The export is refused: ``problems`` says which grants lack what. Nothing was written."""

    def __init__(self, problems: list[Problem], standard: str):
        self.problems = problems
        self.standard = standard
        shown = "; ".join((_("grant {reference} lacks {what}").format(reference=p.grant, what=p.lacks)
                           if p.grant else p.lacks) for p in problems[:10])
        more = len(problems) - 10
        if more > 0:
            shown += " " + ngettext("(and {count} more)", "(and {count} more)", more).format(count=more)
        super().__init__(_("{standard}: not written, the data does not meet the standard: {problems}").format(
            standard=standard, problems=shown), "grants")


def grant_problems(grants: list[GrantData]) -> list[Problem]:
    """What each grant lacks for either standard, in the user's language."""
    countries = codelist("Country")
    problems = []
    for g in grants:
        lacks = []
        if not (g.title or "").strip():
            lacks.append(_("a title"))
        if not (g.grantee_name or "").strip():
            lacks.append(_("the grantee's name"))
        if not _iati_country(g.country, countries):
            lacks.append(_("a country of implementation in the IATI Country codelist (has {code})").format(
                code=g.country or "—"))
        if g.amount_cents <= 0:
            lacks.append(_("an amount awarded greater than zero"))
        if g.end < g.start:
            lacks.append(_("an end date after its start date"))
        if g.sensitive and not (g.sensitive_reason or "").strip():
            lacks.append(_("the reason it is sensitive"))
        problems += [Problem(g.reference, what) for what in lacks]
    return problems


def _iati_country(alpha3: str | None, countries: frozenset[str]) -> bool:
    from trustfund_app.core.countries import alpha2

    try:
        return bool(alpha3) and alpha2(alpha3) in countries
    except (AttributeError, KeyError, LookupError):
        return False


# -- IATI ----------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def iati_schema():
    from lxml import etree

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(iati_dir() / "iati-activities-schema.xsd"), parser))


# the codelist of every coded value the export writes: (element, attribute) -> codelist, then
# attributes coded wherever they appear; a sector's code list depends on its vocabulary
ELEMENT_CODES = {
    ("transaction-type", "code"): "TransactionType",
    ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType",
    ("budget", "type"): "BudgetType",
    ("budget", "status"): "BudgetStatus",
    ("participating-org", "role"): "OrganisationRole",
    ("participating-org", "type"): "OrganisationType",
    ("reporting-org", "type"): "OrganisationType",
    ("provider-org", "type"): "OrganisationType",
    ("receiver-org", "type"): "OrganisationType",
    ("recipient-country", "code"): "Country",
    ("sector", "vocabulary"): "SectorVocabulary",
    ("result", "type"): "ResultType",
    ("indicator", "measure"): "IndicatorMeasure",
    ("description", "type"): "DescriptionType",
    ("iati-activities", "version"): "Version",
}
ANY_ELEMENT_CODES = {"currency": "Currency", "default-currency": "Currency",
                     "{http://www.w3.org/XML/1998/namespace}lang": "Language"}
SECTOR_CODES = {"1": "Sector", "8": "UNSDG-Targets"}


def check_iati(root, activity_reference) -> None:
    """Raise OpenDataRefused unless ``root`` is valid against the shipped 2.03 XSD and every coded
    value is in its shipped codelist. ``activity_reference(identifier)`` names the grant."""
    schema = iati_schema()
    problems: list[Problem] = []
    if not schema.validate(root):
        tree = root.getroottree()
        for error in schema.error_log:
            problems.append(Problem(_reference_at(tree, error.line, activity_reference),
                                    _("to meet the IATI 2.03 schema ({detail})").format(detail=error.message)))
    lists = {name: codelist(name) for name in {*ELEMENT_CODES.values(), *ANY_ELEMENT_CODES.values(),
                                                *SECTOR_CODES.values()}}
    ident = ""
    for element in root.iter():  # one pass: the file may hold a hundred thousand elements
        tag = element.tag
        if tag == "iati-identifier":
            ident = element.text or ""
        for attribute, value in element.items():
            name = ELEMENT_CODES.get((tag, attribute)) or ANY_ELEMENT_CODES.get(attribute)
            if tag == "sector" and attribute == "code":
                name = SECTOR_CODES.get(element.get("vocabulary", "1"))
            if name and value not in lists[name]:
                problems.append(Problem(activity_reference(ident) if ident else "", _(
                    'a code from the IATI {codelist} codelist (has "{value}")').format(codelist=name, value=value)))
    if problems:
        raise OpenDataRefused(problems, "IATI 2.03")


def _reference_at(tree, line: int, activity_reference) -> str:
    best = ""
    for activity in tree.getroot().iterchildren("iati-activity"):
        if activity.sourceline is not None and activity.sourceline <= line:
            best = activity.findtext("iati-identifier") or ""
    return activity_reference(best) if best else ""


# -- 360Giving -------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def giving360_validator():
    """A validator of the package schema whose remote ``$ref`` to the grant schema is served from
    the shipped copy (``referencing``), with format checking (rfc3339-validator for date-times)."""
    # without rfc3339-validator jsonschema silently skips "date-time": import it to fail loudly
    import rfc3339_validator  # noqa: F401
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    folder = giving360_dir()
    package = json.loads((folder / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    grant = json.loads((folder / "360-giving-schema.json").read_text(encoding="utf-8"))
    # the schemas name their dialect "http://json-schema.org/draft/2020-12/schema" (http, which
    # referencing does not recognise): they are 2020-12, so say so
    registry = Registry().with_resources([(grant["$id"], DRAFT202012.create_resource(grant)),
                                          (package["$id"], DRAFT202012.create_resource(package))])
    return Draft202012Validator(package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_360(package: dict, grant_reference) -> None:
    """Raise OpenDataRefused unless ``package`` is valid; ``grant_reference(id)`` names the grant."""
    problems = []
    for error in giving360_validator().iter_errors(package):
        path = list(error.absolute_path)
        reference = ""
        if len(path) >= 2 and path[0] == "grants" and isinstance(path[1], int):
            reference = grant_reference(str(package["grants"][path[1]].get("id", "")))
        where = "/".join(str(p) for p in path[2:]) or "/".join(str(p) for p in path)
        problems.append(Problem(reference, _("to meet the 360Giving 1.4 schema at {where} ({detail})").format(
            where=where or "/", detail=error.message)))
    if problems:
        raise OpenDataRefused(problems, "360Giving 1.4")

