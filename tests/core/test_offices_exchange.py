"""Exchange between headquarters and field offices: an office's report figures reach HQ's fund
figures, HQ's approval reaches the office and releases nothing twice; ownership; conflicts and
their resolution; a restored HQ holding a package that comes after a gap; a revoked key."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest

from tests.core.offices_setup import Side, connect, hq_fund, new_side, send, table_rows
from tests.pg import fresh_database_url
from trustfund_app.core import audit_verify
from trustfund_app.core.errors import PermissionDenied
from trustfund_app.core.services.base import APP_ITSELF
from trustfund_app.core.offices.apply import apply_package
from trustfund_app.core.offices.conflicts import ConflictService
from trustfund_app.core.offices.export import export_package
from trustfund_app.core.offices.identity import OfficeService
from trustfund_app.core.offices.package import PackageRefused
from trustfund_app.core.services.grants import (
    GranteeService, GrantService, InstalmentService, PlannedInstalment, ReportService, VictimsService,
)
from trustfund_app.core.services.users import UserService
from trustfund_app.core.services.base import APP_ITSELF  # noqa: E402


@pytest.fixture
def hq(db, admin):
    OfficeService(db, admin).init(True)
    side = Side("HQ", db, admin)
    side.grants = hq_fund(db, admin)
    return side


def _office(hq, tmp_path, code, regions, name=None):
    (tmp_path / (name or code)).mkdir()
    return connect(hq, code, regions, fresh_database_url(tmp_path / (name or code)))


def _interim(db, grant_id, type_="financial"):
    return next(r.id for r in ReportService(db, APP_ITSELF).for_grant(grant_id) if r.kind == "interim" and r.type == type_)


def _verified(*sides):
    for side in sides:
        with side.db.reading() as s:
            assert audit_verify.verify(s).ok, side.code


def test_office_figures_reach_hq_and_hq_approval_releases_the_instalment_once(hq, tmp_path):
    grant = hq.grants["NGA"]
    report = _interim(hq.db, grant)
    # made by the app itself, not by the preparer (four eyes: the approver is independent of admin)
    finance = UserService(hq.db, APP_ITSELF).add("fiona", "finance", "Quiet-River-42")
    programme = UserService(hq.db, APP_ITSELF).add("paula", "programme", "Quiet-River-42")
    first, second = InstalmentService(hq.db, hq.admin).set_schedule(grant, [
        PlannedInstalment(date(2026, 5, 10), Decimal("30000")),
        PlannedInstalment(date(2027, 6, 1), Decimal("20000"), report)])
    office = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    send(hq, office)
    ReportService(office.db, office.admin).receive(report, date(2026, 9, 1))
    VictimsService(office.db, office.admin).record(report, {"shelter": (5, 3, 1, 2), "legal": (2, 0, 0, 0)})
    _data, result = send(office, hq)
    assert result.applied == 3 and result.conflicts == 0
    # the office's figures are HQ's figures now
    assert sum(r.total for r in VictimsService(hq.db, APP_ITSELF).for_grant(grant)) == 13
    assert {r["office"] for r in table_rows(hq.db, "victims_assisted").values()} == {"ROWA"}
    ReportService(hq.db, hq.admin).approve(report, date(2026, 9, 5))
    InstalmentService(hq.db, programme).prepare(second)
    InstalmentService(hq.db, finance).approve(second, date(2026, 9, 6))
    send(hq, office)
    at_office = next(r for r in ReportService(office.db, APP_ITSELF).for_grant(grant) if r.id == report)
    assert at_office.approved_on == date(2026, 9, 5)
    assert table_rows(office.db, "instalment")[second]["status"] == "paid"
    # the office's next package and a replay of HQ's change nothing at HQ: paid once
    paid_before = table_rows(hq.db, "instalment")
    send(office, hq)
    data, _r = send(hq, office)
    assert apply_package(office.db, "admin", data).replay
    assert table_rows(hq.db, "instalment") == paid_before
    assert table_rows(office.db, "grantee_report") == {k: v for k, v in table_rows(hq.db, "grantee_report").items()
                                                       if k in table_rows(office.db, "grantee_report")}
    assert first in table_rows(office.db, "instalment")
    _verified(hq, office)


def test_hq_sends_an_office_nothing_from_other_regions(hq, tmp_path):
    office = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    send(hq, office)
    grants = table_rows(office.db, "grant")
    assert set(grants) == {hq.grants["NGA"], hq.grants["GHA"]}
    assert {g["country"] for g in table_rows(office.db, "grantee").values()} == {"NGA", "GHA"}
    assert {a["country"] for a in table_rows(office.db, "application").values()} == {"NGA", "GHA"}
    reports = table_rows(office.db, "grantee_report")
    assert {r["grant_id"] for r in reports.values()} == set(grants)
    assert len(table_rows(office.db, "grant_cycle")) == 1


def test_each_side_changes_only_what_it_owns(hq, tmp_path):
    office = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    send(hq, office)
    grant = hq.grants["NGA"]
    with pytest.raises(PermissionDenied, match="headquarters"):
        GrantService(office.db, office.admin).cancel(grant, date(2026, 10, 1))
    report = _interim(office.db, grant)
    with pytest.raises(PermissionDenied, match="headquarters"):
        ReportService(office.db, office.admin).set_due_date(report, date(2027, 1, 1))
    ReportService(office.db, office.admin).receive(report, date(2026, 9, 1))
    VictimsService(office.db, office.admin).record(report, {"medical": (1, 1, 1, 1)})
    send(office, hq)
    with pytest.raises(PermissionDenied, match="ROWA"):
        VictimsService(hq.db, hq.admin).record(report, {"medical": (9, 9, 9, 9)})
    grantee = next(iter(table_rows(hq.db, "grantee")))
    nga_grantee = next(k for k, v in table_rows(hq.db, "grantee").items() if v["country"] == "NGA")
    with pytest.raises(PermissionDenied, match="ROWA"):
        GranteeService(hq.db, hq.admin).update(nga_grantee, email="hq@example.org")
    assert grantee


def test_conflicting_contacts_are_kept_both_and_resolved_by_a_person(hq, tmp_path):
    west = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    lagos = _office(hq, tmp_path, "ROLAG", "NGA")
    send(hq, west)
    send(hq, lagos)
    grantee = next(k for k, v in table_rows(hq.db, "grantee").items() if v["country"] == "NGA")
    GranteeService(west.db, west.admin).update(grantee, email="west@example.org")
    GranteeService(lagos.db, lagos.admin).update(grantee, email="lagos@example.org")
    assert send(west, hq)[1].applied == 1
    result = send(lagos, hq)[1]
    assert result.conflicts == 1 and result.applied == 0
    assert table_rows(hq.db, "grantee")[grantee]["email"] == "west@example.org"  # never overwritten
    [conflict] = ConflictService(hq.db, hq.admin).list()
    assert conflict.fields() == ["email"]
    assert (conflict.ours["email"], conflict.theirs["email"]) == ("west@example.org", "lagos@example.org")
    ConflictService(hq.db, hq.admin).resolve(conflict.number, "theirs", note="Lagos called them")
    assert ConflictService(hq.db, hq.admin).list() == []
    assert table_rows(hq.db, "grantee")[grantee]["email"] == "lagos@example.org"
    send(hq, west)
    send(hq, lagos)
    for side in (west, lagos):
        assert table_rows(side.db, "grantee")[grantee]["email"] == "lagos@example.org"
    _verified(hq, west, lagos)


def test_keep_ours_travels_to_the_other_side(hq, tmp_path):
    west = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    lagos = _office(hq, tmp_path, "ROLAG", "NGA")
    send(hq, west)
    send(hq, lagos)
    grantee = next(k for k, v in table_rows(hq.db, "grantee").items() if v["country"] == "NGA")
    GranteeService(west.db, west.admin).update(grantee, phone="+234 1")
    GranteeService(lagos.db, lagos.admin).update(grantee, phone="+234 2")
    send(west, hq)
    send(lagos, hq)
    ConflictService(hq.db, hq.admin).resolve(1, "ours")
    send(hq, lagos)
    assert table_rows(lagos.db, "grantee")[grantee]["phone"] == "+234 1"


def test_a_restored_hq_holds_the_package_after_a_gap_and_names_what_is_missing(hq, tmp_path, db_url):
    if "://" in db_url:
        pytest.skip("restores a SQLite file")
    office = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    send(hq, office)
    report = _interim(office.db, hq.grants["GHA"])
    ReportService(office.db, office.admin).receive(report, date(2026, 9, 1))
    hq.db.dispose()
    shutil.copy(db_url, tmp_path / "hq-before.sqlite3")
    from trustfund_app.core.db import Database

    hq.db = Database.open(db_url)
    lost, first = send(office, hq)
    send(hq, office)  # HQ acknowledges the office's package
    VictimsService(office.db, office.admin).record(report, {"shelter": (1, 2, 3, 4)})
    later, _info = export_package(office.db, "admin", "HQ")
    hq.db.dispose()
    shutil.copy(tmp_path / "hq-before.sqlite3", db_url)  # HQ's disk failed; yesterday's backup
    hq.db = Database.open(db_url)
    held = apply_package(hq.db, "admin", later)
    assert held.held and held.missing == (first.first, first.last)
    assert f"{first.first} to {first.last}" in held.message
    assert table_rows(hq.db, "victims_assisted") == {}
    done = apply_package(hq.db, "admin", lost)
    assert done.applied == 1 and [r.applied for r in done.also_applied] == [1]
    assert len(table_rows(hq.db, "victims_assisted")) == 1
    _verified(hq, office)


def test_a_revoked_key_is_refused_and_the_new_key_continues_the_sequence(hq, tmp_path):
    office = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    send(hq, office)
    report = _interim(office.db, hq.grants["NGA"])
    ReportService(office.db, office.admin).receive(report, date(2026, 9, 1))
    stolen, _info = export_package(office.db, "admin", "HQ")
    OfficeService(hq.db, hq.admin).revoke("ROWA")
    with pytest.raises(PackageRefused, match="revoked"):
        apply_package(hq.db, "admin", stolen)
    info = OfficeService(office.db, office.admin).new_key()
    OfficeService(hq.db, hq.admin).add("ROWA", OfficeService(office.db, office.admin).export_key())
    data, result = send(office, hq)
    assert result.applied == 1 and result.first == 1
    assert info.key_id in data.decode("latin-1")


def test_the_demo_fund_as_hq_and_a_demo_office_beside_it(tmp_path, monkeypatch, capsys, db_url):
    from trustfund_app.cli import main

    if "://" in db_url:
        pytest.skip("demo files")
    hq_path, office_path = tmp_path / "demo-hq.sqlite3", tmp_path / "demo-office.sqlite3"
    assert main(["--db", str(hq_path), "demo", "--hq"]) == 0
    assert main(["--db", str(office_path), "demo", "--office-of", str(hq_path)]) == 0
    assert "DEMOFO" in capsys.readouterr().out
    _the_demo_office_holds_its_regions_grant_file(hq_path, office_path)
    monkeypatch.setenv("TRUSTFUND_PASSWORD", "demo")
    assert main(["--db", str(office_path), "--user", "programme", "sync", "export", "--to", "HQ",
                 "--out", str(tmp_path / "back.tfsync")]) == 0
    assert main(["--db", str(hq_path), "--user", "admin", "sync", "import", str(tmp_path / "back.tfsync")]) == 0
    from trustfund_app.core.db import Database

    hq_db = Database.open(str(hq_path))
    try:  # the office's own visit reached HQ, owned by the office
        assert [v["visitors"] for v in table_rows(hq_db, "monitoring_visit").values() if v["office"] == "DEMOFO"] == [
            "Demo field office"]
    finally:
        hq_db.dispose()
    assert main(["--db", str(office_path), "--user", "viewer", "audit", "verify"]) == 0


def _the_demo_office_holds_its_regions_grant_file(hq_path, office_path):
    """The demo office got HQ's visits, follow-up actions and documents of its region's grants,
    each document with its content, and nothing of other regions."""
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.documents import DocumentService

    hq_db, office_db = Database.open(str(hq_path)), Database.open(str(office_path))
    try:
        regions = set(OfficeService(office_db, APP_ITSELF).show()[0].regions)
        grants = {k for k, v in table_rows(hq_db, "grant").items() if v["country"] in regions}
        visits = {k for k, v in table_rows(hq_db, "monitoring_visit").items() if v["grant_id"] in grants}
        at_office = table_rows(office_db, "monitoring_visit")
        own = {k for k, v in at_office.items() if v["office"] == "DEMOFO"}  # its own, not sent yet
        assert visits and len(own) == 1 and set(at_office) == visits | own
        actions = {k for k, v in table_rows(hq_db, "follow_up_action").items() if v["visit_id"] in visits}
        assert actions and {k for k, v in table_rows(office_db, "follow_up_action").items()
                            if v["visit_id"] not in own} == actions
        documents = {k: v for k, v in table_rows(hq_db, "document").items() if v["owner_id"] in grants}
        assert documents and table_rows(office_db, "document") == documents
        for key in documents:
            assert b"Monitoring visit report" in DocumentService(office_db, APP_ITSELF).content(key)[1]
    finally:
        hq_db.dispose()
        office_db.dispose()
