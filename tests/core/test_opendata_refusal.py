"""What a user meets when the data does not meet a standard: the grants named with what each
lacks, exit 2, no file; and the two places where open-data facts are entered besides the forms:
the grantee's organisation identifier and the grants import's sensitive columns."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import select, update

from tests.core.excel_helpers import book, run
from tests.core.grants_setup import approved_grant, make_cycle
from tests.core.resilience_helpers import cli
from trustfund_app.core.errors import ValidationError
from trustfund_app.core.models import Grant, Grantee
from trustfund_app.core.opendata import OpenDataRefused, export_open_data
from trustfund_app.core.org_identifiers import check_org_id
from trustfund_app.core.services.grants import GranteeService, GrantService
from trustfund_app.core.services.settings import SettingsService
from trustfund_app.core.services.base import APP_ITSELF  # noqa: E402


@pytest.fixture
def two_grants(db, admin):
    fund = make_cycle(db, admin)
    good = approved_grant(db, admin, fund, amount="20000", months=9, sub=fund.sgp1)
    broken = approved_grant(db, admin, fund, amount="30000")
    SettingsService(db, admin).set("giving360_prefix", "360G-UNVTF")
    with db.writing("admin") as s:  # what an old import or a hand edit could leave behind
        s.execute(update(Grant).where(Grant.id == uuid.UUID(broken)).values(title=" "))
    return db, GrantService(db, admin).get(good).reference, GrantService(db, admin).get(broken).reference


def test_a_grant_without_a_title_is_refused_by_name_and_no_file_is_written(two_grants, tmp_path, capsys, monkeypatch):
    db, good, broken = two_grants
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for standard, name in (("iati", "fund.xml"), ("360giving", "fund.json"), ("360giving", "fund.xlsx")):
        target = out_dir / name
        code, out, err = cli(["--db", db.url, "export", standard, str(target)], capsys, monkeypatch)
        assert code == 2, err
        assert f"grant {broken} lacks a title" in err and good not in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert not target.exists() and list(out_dir.iterdir()) == []


def test_every_lack_of_every_grant_is_listed(two_grants, tmp_path):
    db, good, broken = two_grants
    with db.writing("admin") as s:
        grant = s.scalar(select(Grant).where(Grant.reference == good))
        grant.sensitive, grant.country = True, "XKX"  # no reason; a code that is not ISO 3166
    with pytest.raises(OpenDataRefused) as caught:
        export_open_data(db, "iati", tmp_path / "fund.xml")
    lacks = {(p.grant, p.lacks) for p in caught.value.problems}
    assert (broken, "a title") in lacks and (good, "the reason it is sensitive") in lacks
    assert any(g == good and "Country codelist (has XKX)" in what for g, what in lacks)


def test_the_schema_check_names_the_activity_it_fails_on():
    from lxml import etree

    from trustfund_app.core.opendata.checks import check_iati

    xml = etree.fromstring(b"""<iati-activities version="2.03"><iati-activity>
        <iati-identifier>XM-DAC-41128-VTF-C9-G001</iati-identifier>
        <reporting-org ref="XM-DAC-41128" type="40"><narrative>UNODC</narrative></reporting-org>
        </iati-activity></iati-activities>""")
    with pytest.raises(OpenDataRefused) as caught:
        check_iati(xml, lambda ident: ident.removeprefix("XM-DAC-41128-"))
    assert caught.value.problems[0].grant == "VTF-C9-G001" and "IATI 2.03 schema" in caught.value.problems[0].lacks


def test_a_valid_export_reports_its_sensitive_grants_with_their_reason(two_grants, tmp_path, capsys, monkeypatch):
    db, good, broken = two_grants
    with db.writing("admin") as s:
        s.execute(update(Grant).where(Grant.reference == broken).values(title="Shelter in Bogotá"))
    GrantService(db, APP_ITSELF).set_sensitive(GrantService(db, APP_ITSELF).find(broken), True, "shelter address")
    code, out, err = cli(["--db", db.url, "export", "360giving", str(tmp_path / "g.json"), "--year", "2026"],
                         capsys, monkeypatch)
    assert code == 0, err
    assert "2 grants published" in out and f"{broken}: sensitive" in out and "shelter address" in out
    grants = json.loads((tmp_path / "g.json").read_text())["grants"]
    assert "Bogotá" not in json.dumps(grants, ensure_ascii=False)
    code, _out, err = cli(["--db", db.url, "export", "iati", str(tmp_path / "g.xml"), "--year", "2019"],
                          capsys, monkeypatch)
    assert code == 2 and "no grants to publish for 2019" in err


def test_sensitive_needs_a_reason(two_grants):
    db, good, _broken = two_grants
    with pytest.raises(ValidationError, match="needs the reason"):
        GrantService(db, APP_ITSELF).set_sensitive(GrantService(db, APP_ITSELF).find(good), True, "  ")


@pytest.mark.parametrize("text, stored", [("np-swc-1234", "NP-SWC-1234"), (" GB-CHC-1000 ", "GB-CHC-1000"),
                                          ("", None)])
def test_org_ids_are_stored_with_their_agency_prefix(text, stored):
    assert check_org_id(text) == stored


@pytest.mark.parametrize("text, message", [("1234", "not an organisation identifier"),
                                           ("ZZ-FOO-1", '"ZZ-FOO" is not a registration agency')])
def test_org_ids_with_an_unknown_agency_are_refused(text, message):
    with pytest.raises(ValidationError, match=message):
        check_org_id(text)


def test_grantee_org_id_is_used_by_both_exports_and_the_fallback_otherwise(two_grants, admin, tmp_path):
    db, good, _broken = two_grants
    with db.writing("admin") as s:
        s.execute(update(Grant).values(title="Shelter"))
    grantee = GrantService(db, admin).get(GrantService(db, admin).find(good)).grantee_id
    export_open_data(db, "360giving", tmp_path / "before.json")
    recipient = json.loads((tmp_path / "before.json").read_text())["grants"][0]["recipientOrganization"][0]
    assert recipient["id"] == f"360G-UNVTF-ORG-{grantee}"
    GranteeService(db, admin).update(grantee, org_id="co-ccb-900123")
    assert GranteeService(db, APP_ITSELF).get(grantee).org_id == "CO-CCB-900123"
    export_open_data(db, "360giving", tmp_path / "after.json")
    export_open_data(db, "iati", tmp_path / "after.xml")
    assert json.loads((tmp_path / "after.json").read_text())["grants"][0]["recipientOrganization"][0]["id"] \
        == "CO-CCB-900123"
    assert 'participating-org role="4" ref="CO-CCB-900123"' in (tmp_path / "after.xml").read_text()


def test_grants_import_sets_sensitive_and_org_id_from_french_headers(db, admin, tmp_path):
    from trustfund_app.core.models import GrantCycle

    with db.writing("admin") as s:
        s.add(GrantCycle(number=7, year=2026, name="Cycle 7", envelope_usd_cents=100_000_000))
    header = ["Référence", "Cycle", "Bénéficiaire", "Pays", "Titre", "Montant (USD)", "Début", "Fin", "Sensible",
              "Motif de la sensibilité", "Identifiant de l'organisation"]
    rows = [["G-1", 7, "Refuge Sûr", "NGA", "Refuge", 20000, date(2026, 3, 1), date(2026, 11, 30), "oui",
             "adresse du refuge", "NG-CAC-12345"],
            ["G-2", 7, "Refuge Sûr", "NGA", "Aide juridique", 15000, date(2026, 3, 1), date(2026, 11, 30), "non",
             None, None]]
    result = run(db, admin, "grants", book(tmp_path / "g.xlsx", [header, *rows]), skip_invalid=True)
    assert result.errors == [] and result.inserted == 2
    with db.reading() as s:
        grants = {g.reference: g for g in s.scalars(select(Grant))}
        assert (grants["G-1"].sensitive, grants["G-1"].sensitive_reason) == (True, "adresse du refuge")
        assert grants["G-2"].sensitive is False
        assert s.scalar(select(Grantee.org_id)) == "NG-CAC-12345"
    # the same sheet again, G-2 now sensitive without a reason: refused with the reason named
    rows[1][8] = "oui"
    result = run(db, admin, "grants", book(tmp_path / "g2.xlsx", [header, *rows]), skip_invalid=True)
    assert [e.message for e in result.errors] == ["a sensitive grant needs the reason it is sensitive"]
    rows[1][9] = "menaces"
    result = run(db, admin, "grants", book(tmp_path / "g3.xlsx", [header, *rows]))
    assert (result.updated, result.unchanged) == (1, 1)
    with db.reading() as s:
        assert s.scalar(select(Grant.sensitive_reason).where(Grant.reference == "G-2")) == "menaces"
