"""The IATI Activity Standard 2.03 file: one activity for the Fund (what it receives) and one per
grant (what it awards and pays), built with lxml from ``source.OpenData``.

- the Fund's activity lists the donors as funding participants and their pledges (11 incoming
  commitment) and payments (1 incoming funds) in their own currency; the grants are its children;
- a grant's activity: the Fund funds (1), the grantee implements (4); sectors DAC 15160 (and
  15180 when it mostly assists women and girls) and SDG targets 5.2, 8.7, 16.2 (vocabulary 8);
  a budget per calendar year from the instalment schedule; transactions 2 (the award),
  3 (instalments paid; refunds negative), 4 (expenditure from approved financial reports); a result
  with the victims assisted by sex and age group;
- a sensitive grant keeps its figures but not its title, organisation or location (IATI's
  exclusion policy); the reason stays in the database and is listed to the user, not published.

No organisation file: IATI's organisation file describes the reporting organisation as a whole
(UNODC's total budget, expenditure and recipient budgets); the Fund is one of its activities.
"""

from __future__ import annotations

from datetime import datetime, timezone

from lxml import etree

from trustfund_app.core.countries import alpha2
from trustfund_app.core.models import ContributionKind, DonorType, GrantStatus
from trustfund_app.core.org_identifiers import slug
from trustfund_app.core.opendata.publisher import Publisher, Texts, decimal_text, vawg_share
from trustfund_app.core.opendata.source import GrantData, OpenData

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
USD = "USD"
SDG_TARGETS = (("5.2", "34"), ("8.7", "33"), ("16.2", "33"))
# the groups of VictimsAssisted as IATI dimensions
GROUP_DIMENSIONS = {"women": ("female", "adult"), "girls": ("female", "child"),
                    "men": ("male", "adult"), "boys": ("male", "child")}
DONOR_ORG_TYPES = {DonorType.MEMBER_STATE: "10", DonorType.INTERGOVERNMENTAL: "40", DonorType.UN_ENTITY: "40",
                   DonorType.PRIVATE_SECTOR: "70", DonorType.FOUNDATION: "60", DonorType.OTHER: "90"}


def build_iati(data: OpenData, publisher: Publisher, progress=None) -> etree._Element:
    """The ``iati-activities`` element. ``progress(done, total)`` after each grant."""
    root = etree.Element("iati-activities", {
        "version": "2.03", "generated-datetime": datetime.now(timezone.utc).replace(microsecond=0).isoformat()})
    texts = Texts(publisher)
    _fund_activity(root, data, publisher, texts)
    for n, grant in enumerate(data.grants, start=1):
        _grant_activity(root, grant, data, publisher, texts)
        if progress:
            progress(n, len(data.grants))
    return root


def _sub(parent, tag: str, attrib: dict | None = None):
    return etree.SubElement(parent, tag, attrib or {})


def _narrative(parent, tag: str, text: str, lang: str, attrib: dict | None = None):
    element = _sub(parent, tag, attrib)
    etree.SubElement(element, "narrative", {XML_LANG: lang}).text = text
    return element


def _org(parent, tag: str, ref: str | None, name: str, lang: str, **attrib):
    attrs = {k.replace("_", "-"): v for k, v in attrib.items() if v}
    if ref:
        attrs["ref"] = ref
    return _narrative(parent, tag, name, lang, attrs)


def _activity(root, identifier: str, p: Publisher, status: str):
    activity = _sub(root, "iati-activity", {XML_LANG: p.language, "default-currency": USD,
                                            "last-updated-datetime": f"{p.today.isoformat()}T00:00:00Z"})
    _sub(activity, "iati-identifier").text = identifier
    _org(activity, "reporting-org", p.org_id, p.office, p.language, type=p.org_type)
    return activity


def _transaction(parent, code: str, on, minor: int, currency: str, description: str | None, lang: str,
                 provider: tuple | None = None, receiver: tuple | None = None):
    t = _sub(parent, "transaction")
    _sub(t, "transaction-type", {"code": code})
    _sub(t, "transaction-date", {"iso-date": on.isoformat()})
    value = _sub(t, "value", {"currency": currency, "value-date": on.isoformat()})
    value.text = decimal_text(minor, currency)
    if description:
        _narrative(t, "description", description, lang)
    if provider:
        ref, name, activity_id, org_type = provider
        _org(t, "provider-org", ref, name, lang, provider_activity_id=activity_id, type=org_type)
    if receiver:
        ref, name, activity_id = receiver
        _org(t, "receiver-org", ref, name, lang, receiver_activity_id=activity_id)
    return t


def _fund_activity(root, data: OpenData, p: Publisher, texts: Texts) -> None:
    lang = p.language
    activity = _activity(root, p.fund_activity_id, p, "2")
    _narrative(activity, "title", p.fund_name, lang)
    _narrative(activity, "description", texts.fund_description(), lang, {"type": "1"})
    donors = {}
    for c in data.contributions:
        name = c.donor_name or texts.anonymous_donors()
        donors.setdefault(name, DONOR_ORG_TYPES.get(c.donor_type))
    for name, org_type in donors.items():
        _org(activity, "participating-org", None, name, lang, role="1", type=org_type)
    _org(activity, "participating-org", p.org_id, p.office, lang, role="3", type=p.org_type)
    _sub(activity, "activity-status", {"code": "2"})
    first = min([c.date for c in data.contributions] + [g.approved_on for g in data.grants], default=p.today)
    _sub(activity, "activity-date", {"type": "2", "iso-date": first.isoformat()})
    _sectors(activity, False)
    for c in data.contributions:
        code = "11" if c.kind == ContributionKind.PLEDGE else "1"
        name = c.donor_name or texts.anonymous_donors()
        description = texts.gifts(c.count) if not c.donor_name else None
        _transaction(activity, code, c.date, c.amount_minor, c.currency, description, lang,
                     provider=(None, name, None, DONOR_ORG_TYPES.get(c.donor_type)))
    for g in data.grants:
        _sub(activity, "related-activity", {"ref": p.grant_activity_id(g), "type": "2"})


def _status(grant: GrantData, p: Publisher) -> str:
    if grant.status == GrantStatus.CLOSED:
        return "4"
    if grant.status == GrantStatus.CANCELLED:
        return "5"
    return "1" if grant.status == GrantStatus.APPROVED and grant.start > p.today else "2"


def _sectors(activity, vawg: bool) -> None:
    if vawg:
        _sub(activity, "sector", {"vocabulary": "1", "code": "15160", "percentage": "50"})
        _sub(activity, "sector", {"vocabulary": "1", "code": "15180", "percentage": "50"})
    else:
        _sub(activity, "sector", {"vocabulary": "1", "code": "15160", "percentage": "100"})
    for code, share in SDG_TARGETS:
        _sub(activity, "sector", {"vocabulary": "8", "code": code, "percentage": share})


def annual_budgets(grant: GrantData) -> list[tuple]:
    """(period start, period end, cents) per calendar year of the instalment schedule, periods
    clipped to the grant's dates (IATI budgets cover at most a year)."""
    by_year: dict[int, int] = {}
    for on, cents in grant.planned or [(grant.start, grant.amount_cents)]:
        year = min(max(on.year, grant.start.year), grant.end.year)
        by_year[year] = by_year.get(year, 0) + cents
    out = []
    for year, cents in sorted(by_year.items()):
        start = max(grant.start, grant.start.replace(year=year, month=1, day=1))
        end = min(grant.end, grant.end.replace(year=year, month=12, day=31))
        out.append((start, end, cents))
    return out


def _grant_activity(root, g: GrantData, data: OpenData, p: Publisher, texts: Texts) -> None:
    lang = p.language
    activity = _activity(root, p.grant_activity_id(g), p, _status(g, p))
    _narrative(activity, "title", texts.withheld_title(g) if g.sensitive else g.title, lang)
    _narrative(activity, "description", texts.withheld_description() if g.sensitive else texts.grant_description(g),
               lang, {"type": "1"})
    _org(activity, "participating-org", p.org_id, p.fund_name, lang, role="1", type=p.org_type,
         activity_id=p.fund_activity_id)
    receiver = (None, texts.withheld_partner(), None) if g.sensitive else (g.grantee_org_id, g.grantee_name, None)
    _org(activity, "participating-org", receiver[0], receiver[1], lang, role="4")
    _sub(activity, "activity-status", {"code": _status(g, p)})
    _sub(activity, "activity-date", {"type": "1", "iso-date": g.start.isoformat()})
    paid = [d for d, _c, kind in g.disbursements if kind == "instalment"]
    if paid and g.status != GrantStatus.APPROVED:
        _sub(activity, "activity-date", {"type": "2", "iso-date": min(paid).isoformat()})
    _sub(activity, "activity-date", {"type": "3", "iso-date": g.end.isoformat()})
    if g.closed_on and g.status in (GrantStatus.CLOSED, GrantStatus.CANCELLED) and g.closed_on <= p.today:
        _sub(activity, "activity-date", {"type": "4", "iso-date": g.closed_on.isoformat()})
    if not g.sensitive:
        _sub(activity, "recipient-country", {"code": alpha2(g.country), "percentage": "100"})
    _sectors(activity, vawg_share(g))
    for start, end, cents in annual_budgets(g):
        if data.year is not None and not start.year <= data.year <= end.year:
            continue
        budget = _sub(activity, "budget", {"type": "1", "status": "2"})
        _sub(budget, "period-start", {"iso-date": start.isoformat()})
        _sub(budget, "period-end", {"iso-date": end.isoformat()})
        value = _sub(budget, "value", {"currency": USD, "value-date": start.isoformat()})
        value.text = decimal_text(cents, USD)
    provider = (p.org_id, p.fund_name, p.fund_activity_id, p.org_type)
    receiver = receiver[:2] + (None,)
    if data.in_year(g.approved_on):
        _transaction(activity, "2", g.approved_on, g.amount_cents, USD, texts.commitment(), lang, provider, receiver)
    for on, cents, kind in g.disbursements:
        _transaction(activity, "3", on, cents, USD, texts.refund() if kind == "refund" else texts.instalment(), lang,
                     provider, receiver)
    for on, cents in g.expenditures:
        _transaction(activity, "4", on, cents, USD, texts.expenditure(), lang, provider, receiver)
    _sub(activity, "related-activity", {"ref": p.fund_activity_id, "type": "1"})
    if any(g.victims.values()):
        _victims_result(activity, g, p, texts)


def _victims_result(activity, g: GrantData, p: Publisher, texts: Texts) -> None:
    lang = p.language
    result = _sub(activity, "result", {"type": "1", "aggregation-status": "1"})
    _narrative(result, "title", texts.victims_result(), lang)
    indicator = _sub(result, "indicator", {"measure": "1", "ascending": "1", "aggregation-status": "1"})
    _narrative(indicator, "title", texts.victims_indicator(), lang)
    period = _sub(indicator, "period")
    _sub(period, "period-start", {"iso-date": g.start.isoformat()})
    _sub(period, "period-end", {"iso-date": g.end.isoformat()})
    for group, (sex, age) in GROUP_DIMENSIONS.items():
        actual = _sub(period, "actual", {"value": str(g.victims.get(group, 0))})
        _sub(actual, "dimension", {"name": "sex", "value": sex})
        _sub(actual, "dimension", {"name": "age", "value": age})


def iati_bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def activity_reference(identifier: str, publisher: Publisher) -> str:
    """The agreement number back from an activity identifier (for messages)."""
    prefix = f"{publisher.org_id}-"
    return identifier[len(prefix):] if identifier.startswith(prefix) else identifier


__all__ = ["build_iati", "iati_bytes", "annual_budgets", "activity_reference", "slug"]
