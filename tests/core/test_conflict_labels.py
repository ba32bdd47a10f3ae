"""A conflict as a fund administrator reads it: the field labels of the record screens, translated,
and values formatted as elsewhere (dates in the language's date style with four-digit years, yes/no,
amounts with their currency, related records by name) — on the Conflicts screen, in ``conflicts
list`` and in a record's history, from one mapping (core/field_text). ``--json`` stays raw."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.core.offices_setup import hq_and_two_nigeria_offices, reports_of, send, table_rows
from tests.pg import fresh_database_url
from trustfund_app.core.field_text import label, value_text
from trustfund_app.core.i18n import use_language
from trustfund_app.core.offices.conflicts import ConflictService
from trustfund_app.core.services.grants import GranteeService, ReportService


@pytest.fixture
def conflict(db, admin, tmp_path):
    hq, (west, lagos) = hq_and_two_nigeria_offices(db, admin, tmp_path, fresh_database_url)
    grantee = next(iter(table_rows(db, "grantee")))
    report = next(r.id for r in reports_of(db, hq.grants["NGA"]) if r.kind == "interim" and r.type == "financial")
    GranteeService(west.db, west.admin).update(grantee, contact_person="Ngozi", email="ngozi@example.org")
    GranteeService(lagos.db, lagos.admin).update(grantee, contact_person="Bola", email="bola@example.org")
    ReportService(west.db, west.admin).receive(report, date(2026, 9, 1))
    ReportService(lagos.db, lagos.admin).receive(report, date(2026, 9, 3))
    send(west, hq)
    assert send(lagos, hq)[1].conflicts == 2
    yield hq
    for office in (west, lagos):
        office.db.dispose()


def test_the_fields_of_a_conflict_read_as_on_the_record_screens(conflict):
    service = ConflictService(conflict.db, conflict.admin)
    rows = {row.entity: row for row in service.list()}
    names = service.names(list(rows.values()))
    grantee, report = rows["grantee"], rows["grantee_report"]
    assert grantee.title(names) == "Shelter NGA"
    assert grantee.shown(names) == [("contact_person", "Contact person", "Ngozi", "Bola"),
                                    ("email", "E-mail", "ngozi@example.org", "bola@example.org")]
    reference = table_rows(conflict.db, "grant")[conflict.grants["NGA"]]["reference"]
    assert report.title(names) == f"Interim financial report ({reference})"
    assert report.shown(names) == [("received_on", "Received on", "Sep 1, 2026", "Sep 3, 2026")]
    with use_language("fr"):
        [(_key, received, ours, theirs)] = report.shown(names)
        assert (received, ours, theirs) == ("Reçu le", "1 sept. 2026", "3 sept. 2026")
        assert grantee.shown(names)[0][1] != "Contact person"
    with use_language("zh"):
        assert report.shown(names)[0][2:] == ("2026年9月1日", "2026年9月3日")


def test_conflicts_list_shows_labels_and_json_stays_raw(conflict, db_url, capsys, monkeypatch):
    from trustfund_app.cli import main

    monkeypatch.setenv("TRUSTFUND_PASSWORD", "Quiet-River-42")
    assert main(["--db", db_url, "--user", "admin", "--lang", "en", "conflicts", "list"]) == 0
    out = capsys.readouterr().out
    assert "Grantee: Shelter NGA" in out and "Contact person\tours: Ngozi\ttheirs: Bola" in out
    assert "Received on\tours: Sep 1, 2026\ttheirs: Sep 3, 2026" in out
    assert "received_on" not in out and "contact_person" not in out and "grantee_report" not in out
    assert main(["--db", db_url, "--user", "admin", "conflicts", "list", "--json"]) == 0
    raw = {c["entity"]: c for c in json.loads(capsys.readouterr().out)["conflicts"]}
    assert raw["grantee_report"]["ours"] == {"received_on": "2026-09-01"}
    assert raw["grantee"]["fields"] == ["contact_person", "email"]


def test_values_formatted_from_one_place():
    assert value_text("amount_minor", 150050, "EUR") == "€1,500.50"
    assert value_text("amount_usd_cents", 3000000) == "$30,000.00"
    assert value_text("grant_id", "2c9a", names={"2c9a": "VTF/2026/NGA/001"}) == "VTF/2026/NGA/001"
    assert value_text("status", "prepared", entity="instalment") == "Prepared, awaiting approval"
    assert value_text("assistance", "legal", entity="victims_assisted") == "Legal"
    assert value_text("women", 1250) == "1,250" and value_text("year", 2026) == "2026"
    assert value_text("received_on", "2026-09-01") == "Sep 1, 2026"
    assert value_text("language", "fr") == "Français" and value_text("country", "NGA") == "Nigeria"
    assert label("country", "grantee") == "Country of registration" and label("country", "grant") == \
        "Country of implementation"
    assert value_text("note", None) == "—" and value_text("psea_attested", True) == "Yes"
