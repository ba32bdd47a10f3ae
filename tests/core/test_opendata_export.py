"""The demo fund's whole history as IATI 2.03 and 360Giving 1.4: valid by the shipped schemas,
figures equal to the fund's own, nobody's privacy broken, and the spreadsheet read back by
360Giving's own tool giving the same values as the JSON."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from sqlalchemy import func, select

from tests.core.opendata_fixture import REASON, TODAY, exported, giving360_validator, iati_schema  # noqa: F401
from trustfund_app.core.models import Contribution, Donor, DonorAlias, DonorType
from trustfund_app.core.money import minor_digits
from trustfund_app.core.services.position import fund_position


def _iati(files):
    return etree.parse(str(files["iati"]))


def test_both_files_are_valid_against_the_shipped_schemas(exported):
    _db, files, summaries, _sensitive, _folder = exported
    schema = iati_schema()
    tree = _iati(files)
    assert schema.validate(tree), schema.error_log
    package = json.loads(files["json"].read_text(encoding="utf-8"))
    errors = list(giving360_validator().iter_errors(package))
    assert errors == []
    # every grant of the fund is in both, plus the Fund's own activity in IATI
    assert len(tree.findall("iati-activity")) == summaries["iati"].grants + 1 > 250
    assert len(package["grants"]) == summaries["json"].grants == summaries["iati"].grants
    assert tree.getroot().get("version") == "2.03" and package["version"] == "1.4"


def test_narratives_carry_the_language_of_the_data(exported):
    _db, files, *_ = exported
    narratives = _iati(files).findall(".//narrative")
    assert narratives and all(n.get("{http://www.w3.org/XML/1998/namespace}lang") == "en" for n in narratives)


def _by_year(tree, code: str) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for t in tree.iter("transaction"):
        if t.find("transaction-type").get("code") == code:
            assert t.find("value").get("currency") == "USD"
            totals[int(t.find("transaction-date").get("iso-date")[:4])] += Decimal(t.find("value").text)
    return totals


def test_disbursements_of_each_year_equal_the_fund_positions(exported):
    db, files, *_ = exported
    disbursed = _by_year(_iati(files), "3")
    assert len(disbursed) >= 10
    with db.reading() as s:
        for year in range(min(disbursed), TODAY.year + 1):
            change = (fund_position(s, date(year, 12, 31)).disbursed.amount
                      - fund_position(s, date(year - 1, 12, 31)).disbursed.amount)
            assert disbursed.get(year, Decimal(0)) == change, year


def test_a_years_file_has_that_years_disbursements(exported):
    from trustfund_app.core.opendata import export_open_data

    db, files, _summaries, _sensitive, folder = exported
    export_open_data(db, "iati", folder / "2024.xml", year=2024, today=TODAY)
    year_file = etree.parse(str(folder / "2024.xml"))
    assert iati_schema().validate(year_file)
    assert set(_by_year(year_file, "3")) == {2024}
    assert _by_year(year_file, "3")[2024] == _by_year(_iati(files), "3")[2024]
    incoming_years = {t.find("transaction-date").get("iso-date")[:4] for t in year_file.iter("transaction")
                      if t.find("transaction-type").get("code") == "1"}
    assert incoming_years == {"2024"}


def test_incoming_funds_equal_the_contributions_received(exported):
    db, files, *_ = exported
    incoming: dict[str, Decimal] = defaultdict(Decimal)
    pledged: dict[str, Decimal] = defaultdict(Decimal)
    for t in _iati(files).iter("transaction"):
        code, value = t.find("transaction-type").get("code"), t.find("value")
        if code in ("1", "11"):
            assert value.get("value-date") == t.find("transaction-date").get("iso-date")
            (incoming if code == "1" else pledged)[value.get("currency")] += Decimal(value.text)
    with db.reading() as s:
        for kind, found in (("payment", incoming), ("pledge", pledged)):
            expected = {cur: Decimal(int(minor)).scaleb(-minor_digits(cur)) for cur, minor in s.execute(
                select(Contribution.currency, func.sum(Contribution.amount_minor))
                .where(Contribution.kind == kind).group_by(Contribution.currency))}
            assert found == {c: v for c, v in expected.items() if v}, kind
        received = fund_position(s, TODAY).received
    assert len(incoming) > 5 and received.amount > 0


def test_no_individual_donor_is_named_and_their_gifts_are_summed(exported):
    db, files, *_ = exported
    with db.reading() as s:
        names = list(s.scalars(select(Donor.name).where(Donor.type == DonorType.INDIVIDUAL)))
        names += list(s.scalars(select(DonorAlias.alias).join(Donor, Donor.id == DonorAlias.donor_id)
                                .where(Donor.type == DonorType.INDIVIDUAL)))
    assert len(names) >= 4
    texts = [files["iati"].read_text(encoding="utf-8"), files["json"].read_text(encoding="utf-8")]
    for name in names:
        assert all(name not in text for text in texts), name
    assert "Anonymous individual donors" in texts[0]


def test_a_sensitive_grant_is_published_without_title_organisation_or_location(exported):
    _db, files, summaries, sensitive, _folder = exported
    texts = [files["iati"].read_text(encoding="utf-8"), files["json"].read_text(encoding="utf-8")]
    for text in texts:
        assert sensitive["grantee"] not in text and REASON not in text
        assert not [title for title in sensitive["titles"] if title in text]
    package = json.loads(texts[1])
    for reference in sensitive["references"]:
        activity = next(a for a in _iati(files).iter("iati-activity")
                        if a.findtext("iati-identifier") == f"XM-DAC-41128-{reference}")
        assert activity.find("recipient-country") is None and activity.find("location") is None
        assert activity.findall("transaction")  # its money is still accounted for
        grant = next(g for g in package["grants"] if g["id"].endswith(reference))
        assert "beneficiaryLocation" not in grant and "withheld" in grant["title"]
    # the reason is recorded for the user, not published
    assert summaries["iati"].withheld == [(reference, REASON) for reference in sensitive["references"]]


def _normal(value):
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


def test_the_spreadsheet_reads_back_with_flattentool_to_the_same_grants(exported):
    from trustfund_app.core.opendata.giving360 import read_xlsx

    _db, files, _summaries, _sensitive, folder = exported
    work = folder / "back"
    work.mkdir()
    back = read_xlsx(files["xlsx"], work)
    package = json.loads(files["json"].read_text(encoding="utf-8"))
    assert _normal(back["grants"]) == _normal(package["grants"])


def test_iati_values_read_back_equal_the_database(exported):
    from trustfund_app.core.services.grants import GrantService

    db, files, *_ = exported
    grants = {g.reference: g for g in GrantService(db).list()}
    seen = 0
    for activity in _iati(files).iter("iati-activity"):
        reference = activity.findtext("iati-identifier").removeprefix("XM-DAC-41128-")
        if reference not in grants:
            continue
        grant = grants[reference]
        commitment = [t for t in activity.iter("transaction") if t.find("transaction-type").get("code") == "2"]
        assert Decimal(commitment[0].find("value").text) == grant.amount.amount
        paid = sum(Decimal(t.find("value").text) for t in activity.iter("transaction")
                   if t.find("transaction-type").get("code") == "3")
        assert paid == grant.paid.amount - grant.refunded.amount
        budgets = sum(Decimal(b.find("value").text) for b in activity.iter("budget"))
        assert budgets == grant.amount.amount
        seen += 1
    assert seen == len(grants)
