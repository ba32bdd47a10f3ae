"""The grant file between headquarters and field offices: monitoring visits, their follow-up
actions and documents belong to whoever made them, travel in packages (a document's content as a
member of the zip named by its hash, never inside the changes), arrive equal with the same hash,
and are stored once per content. Ownership: HQ cannot change an office's visit, an office cannot
change HQ's visit or document, nor a visit of a country outside its region."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.core.offices_setup import Side, connect, hq_fund, new_side, send, table_rows
from tests.pg import fresh_database_url
from trustfund_app.core import audit_verify
from trustfund_app.core.errors import PermissionDenied
from trustfund_app.core.models import Document, DocumentContent
from trustfund_app.core.offices import keys, package
from trustfund_app.core.offices.identity import OfficeService
from trustfund_app.core.services.documents import DocumentService
from trustfund_app.core.services.donors import DonorService
from trustfund_app.core.services.visits import VisitService

AGREEMENT = b"%PDF-1.4 grant agreement NGA, signed 2026-05-01 " + bytes(range(256)) * 40
FINDINGS = b"Visit notes: shelter at full capacity; case files kept locked. " * 50


@pytest.fixture
def hq(db, admin):
    OfficeService(db, admin).init(True)
    side = Side("HQ", db, admin)
    side.grants = hq_fund(db, admin, countries=("NGA", "GHA", "KEN"))
    return side


def _office(hq, tmp_path, code, regions, regions_at_hq=None):
    """An office whose own identity covers ``regions``; HQ may have registered it for more."""
    (tmp_path / code).mkdir()
    if regions_at_hq is None:
        return connect(hq, code, regions, fresh_database_url(tmp_path / code))
    db, admin = new_side(fresh_database_url(tmp_path / code))
    OfficeService(db, admin).init(False, code, regions)
    OfficeService(hq.db, hq.admin).add(code, OfficeService(db, admin).export_key(), regions_at_hq)
    OfficeService(db, admin).add("HQ", OfficeService(hq.db, hq.admin).export_key())
    return Side(code, db, admin)


def _contents(db) -> dict[str, bytes]:
    with db.reading() as s:
        return {r.sha256: bytes(r.content) for r in s.scalars(select(DocumentContent))}


def _verified(*sides):
    for side in sides:
        with side.db.reading() as s:
            assert audit_verify.verify(s).ok, side.code


def _changes_text(data: bytes, side: Side) -> str:
    me = OfficeService(side.db, side.admin).show()[0]
    pkg = zipfile.ZipFile(io.BytesIO(data))
    plain = keys.unseal(keys.load_secret(side.code, me.key_id), pkg.read(package.CHANGES))
    return json.dumps(package.decode_changes(plain))


def test_visits_actions_and_documents_travel_both_ways_with_their_contents_by_hash(hq, tmp_path):
    west = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    nga, gha, ken = hq.grants["NGA"], hq.grants["GHA"], hq.grants["KEN"]
    hq_visit = VisitService(hq.db, hq.admin).record(nga, date(2026, 6, 10), "Programme officer, Vienna", "Shelter full")
    hq_action = VisitService(hq.db, hq.admin).add_action(hq_visit, "Send the beneficiary register", date(2026, 8, 1))
    hq_doc = DocumentService(hq.db, hq.admin).attach("grant", nga, "agreement.pdf", AGREEMENT)
    DocumentService(hq.db, hq.admin).attach("grant", gha, "agreement copy.pdf", AGREEMENT)  # same content
    ken_doc = DocumentService(hq.db, hq.admin).attach("grant", ken, "kenya.pdf", b"Kenya only " * 30)
    ken_visit = VisitService(hq.db, hq.admin).record(ken, date(2026, 6, 11), "Nairobi office")

    data, result = send(hq, west)
    assert result.conflicts == 0
    sha = package.sha256(AGREEMENT)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(package.MANIFEST))
    files = [n for n in manifest["members"] if n.startswith(package.FILES)]
    assert files == [package.file_member(sha)] and manifest["files"] == 1  # one content, however many documents
    assert "grant agreement NGA" not in _changes_text(data, west)  # the content is no part of the changes
    at_west = table_rows(west.db, "document")
    assert hq_doc in at_west and ken_doc not in at_west and at_west[hq_doc]["office"] is None
    assert set(table_rows(west.db, "monitoring_visit")) == {hq_visit}  # not Kenya's visit
    assert ken_visit not in table_rows(west.db, "monitoring_visit")
    assert table_rows(west.db, "follow_up_action")[hq_action]["status"] == "open"
    assert _contents(west.db) == {sha: AGREEMENT}  # once, for both documents
    assert DocumentService(west.db, west.admin).content(hq_doc)[1] == AGREEMENT

    # the office's own work: a visit, its action done, a new document and one it already holds
    visits = VisitService(west.db, west.admin)
    visit = visits.record(gha, date(2026, 7, 2), "UNODC field office, Accra", "Receipts for rent missing")
    action = visits.add_action(visit, "Provide the missing rent receipts", date(2026, 9, 1), "programme")
    visits.set_status(action, "done", date(2026, 8, 20))
    notes = DocumentService(west.db, west.admin).attach("grant", gha, "visit notes.txt", FINDINGS)
    again = DocumentService(west.db, west.admin).attach("grantee", table_rows(west.db, "grant")[gha]["grantee_id"],
                                                        "agreement.pdf", AGREEMENT)
    assert {table_rows(west.db, t)[k]["office"] for t, k in (("monitoring_visit", visit), ("follow_up_action", action),
                                                              ("document", notes))} == {"ROWA"}
    _data, result = send(west, hq)
    assert result.conflicts == 0
    for table in ("monitoring_visit", "follow_up_action", "document"):
        mine = table_rows(west.db, table)
        assert {k: v for k, v in table_rows(hq.db, table).items() if k in mine} == mine
    assert table_rows(hq.db, "follow_up_action")[action]["status"] == "done"
    assert table_rows(hq.db, "document")[again]["office"] == "ROWA"
    assert DocumentService(hq.db, hq.admin).content(notes)[1] == FINDINGS
    assert set(_contents(hq.db)) == {sha, package.sha256(FINDINGS), package.sha256(b"Kenya only " * 30)}
    # what came from the office is not sent back to it; a second office of Nigeria gets HQ's only
    data, result = send(hq, west)
    assert result.applied == 0 and not [n for n in json.loads(zipfile.ZipFile(io.BytesIO(data)).read(
        package.MANIFEST))["members"] if n.startswith(package.FILES)]
    lagos = _office(hq, tmp_path, "ROLAG", "NGA")
    send(hq, lagos)
    assert set(table_rows(lagos.db, "monitoring_visit")) == {hq_visit}
    assert set(table_rows(lagos.db, "document")) == {hq_doc}
    _verified(hq, west, lagos)


def test_an_office_visit_is_read_only_at_hq_and_hq_records_are_read_only_at_the_office(hq, tmp_path):
    west = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    nga = hq.grants["NGA"]
    hq_visit = VisitService(hq.db, hq.admin).record(nga, date(2026, 6, 10), "Programme officer, Vienna")
    hq_action = VisitService(hq.db, hq.admin).add_action(hq_visit, "Send the register", date(2026, 8, 1))
    hq_doc = DocumentService(hq.db, hq.admin).attach("grant", nga, "agreement.pdf", AGREEMENT)
    send(hq, west)
    visits = VisitService(west.db, west.admin)
    visit = visits.record(nga, date(2026, 7, 2), "UNODC field office, Lagos")
    action = visits.add_action(visit, "Clear the fire exit", date(2026, 9, 1))
    send(west, hq)

    hq_visits = VisitService(hq.db, hq.admin)
    # the lists say beforehand what a change would be refused for (screens show it read-only)
    assert {v.id: (v.owner, v.editable) for v in hq_visits.list()} == {visit: ("ROWA", False), hq_visit: (None, True)}
    assert {v.id: (v.owner, v.editable) for v in visits.list()} == {visit: ("ROWA", True), hq_visit: (None, False)}
    with pytest.raises(PermissionDenied, match="field office ROWA"):
        hq_visits.update(visit, date(2026, 7, 3), "Someone else", "rewritten at HQ")
    with pytest.raises(PermissionDenied, match="field office ROWA"):
        hq_visits.set_status(action, "cancelled")
    with pytest.raises(PermissionDenied, match="field office ROWA"):
        hq_visits.add_action(visit, "An action of HQ on the office's visit", date(2026, 9, 5))
    with pytest.raises(PermissionDenied, match="headquarters"):
        visits.update(hq_visit, date(2026, 6, 11), "Rewritten at the office", "")
    with pytest.raises(PermissionDenied, match="headquarters"):
        visits.set_status(hq_action, "done")
    with pytest.raises(PermissionDenied, match="headquarters"):
        visits.add_action(hq_visit, "An action of the office on HQ's visit", date(2026, 9, 5))
    with pytest.raises(PermissionDenied, match="headquarters"), west.db.writing("admin") as s:
        s.get(Document, uuid.UUID(hq_doc)).note = "changed at the office"
    assert table_rows(west.db, "document")[hq_doc]["note"] is None
    # their own records stay theirs to change
    hq_visits.update(hq_visit, date(2026, 6, 10), "Programme officer, Vienna", "Shelter full")
    visits.set_status(action, "done", date(2026, 8, 1))
    send(west, hq)
    send(hq, west)
    assert table_rows(hq.db, "follow_up_action")[action]["status"] == "done"
    assert table_rows(west.db, "monitoring_visit")[hq_visit]["findings"] == "Shelter full"
    _verified(hq, west)


def test_an_office_cannot_touch_a_visit_or_grant_outside_its_own_region(hq, tmp_path):
    west = _office(hq, tmp_path, "ROWA", "NGA,GHA")
    # HQ registered Lagos for Ghana too: Ghana's records reach it, but its own region is Nigeria
    lagos = _office(hq, tmp_path, "ROLAG", "NGA", regions_at_hq="NGA,GHA")
    gha = hq.grants["GHA"]
    donor = DonorService(hq.db, hq.admin).create("Nigeria", "member_state", "NGA")
    send(hq, west)
    visit = VisitService(west.db, west.admin).record(gha, date(2026, 7, 2), "UNODC field office, Accra")
    send(west, hq)
    send(hq, lagos)
    assert visit in table_rows(lagos.db, "monitoring_visit")
    lagos_visits = VisitService(lagos.db, lagos.admin)
    with pytest.raises(PermissionDenied, match="not in the region of office ROLAG"):
        lagos_visits.update(visit, date(2026, 7, 2), "Lagos", "rewritten")
    with pytest.raises(PermissionDenied, match="not in the region of office ROLAG"):
        lagos_visits.record(gha, date(2026, 7, 5), "Lagos")
    with pytest.raises(PermissionDenied, match="not in the region of office ROLAG"):
        DocumentService(lagos.db, lagos.admin).attach("grant", gha, "ghana.pdf", b"not ours")
    with pytest.raises(PermissionDenied, match="headquarters"):  # donors' documents are HQ's, whatever the country
        DocumentService(lagos.db, lagos.admin).attach("donor", donor, "pledge letter.pdf", b"a pledge")
    with lagos.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
    _verified(hq, west, lagos)
