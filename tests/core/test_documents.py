"""Documents attached to records: stored once by content hash in the database, listed, exported,
carried by backups, and checked by ``audit verify`` against the hash the trail recorded."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date

import pytest

from tests.core.resilience_helpers import cli, seed_fund, sqlite_only
from trustfund_app.core.db import Database
from trustfund_app.core.errors import PermissionDenied, ValidationError
from trustfund_app.core.services.documents import DocumentService
from trustfund_app.core.services.base import NOT_LOGGED_IN  # noqa: E402

AGREEMENT = b"%PDF-1.4\n% grant agreement COL-2026-001\n" + bytes(range(256)) * 40


@pytest.fixture
def fund_file(tmp_path):
    """A SQLite fund with a donor and a pledge (reference P-1); returns its path."""
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.users import UserService

    path = tmp_path / "fund.sqlite3"
    db = Database.open(path)
    admin = UserService(db, NOT_LOGGED_IN).create_first_admin("admin", "Quiet-River-42")
    fund = seed_fund(db, admin)
    ContributionService(db, admin).record_pledge(fund.donor_ids[0], date(2025, 2, 1), "1000", "EUR", reference="P-1")
    db.dispose()
    return path


def test_attach_list_export_and_dedup(db, admin, tmp_path):
    from trustfund_app.core.services.donors import DonorService

    donor = DonorService(db, admin).create("Norway", "member_state", "NOR")
    docs = DocumentService(db, admin)
    first = docs.attach("donor", "Norway", "note verbale.pdf", AGREEMENT, note="NV 2026/12")
    second = docs.attach("donor", donor, "copy.pdf", AGREEMENT)
    rows = docs.list("donor", "Norway")
    assert [r.file_name for r in rows] == ["note verbale.pdf", "copy.pdf"]
    assert {r.sha256 for r in rows} == {hashlib.sha256(AGREEMENT).hexdigest()}
    assert rows[0].note == "NV 2026/12" and rows[0].attached_by == "admin" and rows[0].size == len(AGREEMENT)
    out = docs.export(first, tmp_path)
    assert out.name == "note verbale.pdf" and out.read_bytes() == AGREEMENT
    with db.reading() as s:  # the same bytes twice are stored once
        from sqlalchemy import func, select

        from trustfund_app.core.models import DocumentContent

        assert s.scalar(select(func.count()).select_from(DocumentContent)) == 1
    assert docs.get(second).sha256 == docs.get(first).sha256


def test_audit_trail_records_the_hash(db, admin):
    from trustfund_app.core import audit, audit_verify
    from trustfund_app.core.services.donors import DonorService

    DonorService(db, admin).create("Norway", "member_state", "NOR")
    doc_id = DocumentService(db, admin).attach("donor", "Norway", "nv.pdf", AGREEMENT)
    with db.reading() as s:
        events = audit.history(s, "document", doc_id)
        assert events[0].action == "insert"
        assert events[0].after["sha256"] == hashlib.sha256(AGREEMENT).hexdigest()
        assert audit_verify.verify(s).ok


def test_size_limit_and_empty_files_are_refused_with_a_clear_message(db, admin, tmp_path):
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.settings import SettingsService

    DonorService(db, admin).create("Norway", "member_state", "NOR")
    with db.writing("admin") as s:
        from trustfund_app.core.models import Setting

        s.add(Setting(key="document_max_bytes", value=str(1024 * 1024)))
    big = tmp_path / "scan.tif"
    big.write_bytes(b"\0" * (3 * 1024 * 1024 + 200 * 1024))
    with pytest.raises(ValidationError, match=r"scan\.tif is 3\.2 MB; a document may be at most 1\.0 MB"):
        DocumentService(db, admin).attach_file("donor", "Norway", big)
    with pytest.raises(ValidationError, match="empty"):
        DocumentService(db, admin).attach("donor", "Norway", "x.pdf", b"")
    assert SettingsService(db, admin).get("fund_name")  # nothing else disturbed


def test_roles_and_unknown_owners(db, admin, finance):
    from trustfund_app.core.errors import NotFoundError
    from trustfund_app.core.services.base import Actor
    from trustfund_app.core.services.donors import DonorService

    DonorService(db, admin).create("Norway", "member_state", "NOR")
    with pytest.raises(PermissionDenied):
        DocumentService(db, Actor("viewer", "read-only")).attach("donor", "Norway", "nv.pdf", AGREEMENT)
    DocumentService(db, finance).attach("donor", "Norway", "nv.pdf", AGREEMENT)
    with pytest.raises(NotFoundError, match='no donor "Atlantis"'):
        DocumentService(db, admin).attach("donor", "Atlantis", "nv.pdf", AGREEMENT)
    with pytest.raises(ValidationError, match='unknown kind "budget"'):
        DocumentService(db, admin).list("budget", "Norway")


def test_programs_are_never_opened_only_exported(db, admin, tmp_path):
    from trustfund_app.core.services.donors import DonorService

    DonorService(db, admin).create("Norway", "member_state", "NOR")
    docs = DocumentService(db, admin)
    script = docs.attach("donor", "Norway", "invoice.pdf.exe", b"MZ\x90\x00 not really")
    with pytest.raises(ValidationError, match="export it instead"):
        docs.viewer_copy(script, tmp_path / "view")
    pdf = docs.attach("donor", "Norway", "../../etc/agreement.pdf", AGREEMENT)
    copy = docs.viewer_copy(pdf, tmp_path / "view")
    assert copy.name == "agreement.pdf" and copy.read_bytes() == AGREEMENT
    assert copy.stat().st_mode & 0o111 == 0  # never executable
    assert (tmp_path / "view") in copy.parents


@sqlite_only
def test_document_has_the_same_hash_after_backup_and_restore(fund_file, tmp_path, capsys, monkeypatch):
    source = tmp_path / "agreement.pdf"
    source.write_bytes(AGREEMENT)
    code, out, err = cli(["--db", str(fund_file), "documents", "attach", "contribution", "P-1", str(source)],
                         capsys, monkeypatch)
    assert code == 0, err
    assert hashlib.sha256(AGREEMENT).hexdigest() in out
    backup_file = tmp_path / "copy.sqlite3"
    assert cli(["--db", str(fund_file), "backup", str(backup_file)], capsys, monkeypatch)[0] == 0
    # the live database loses the document; the restore brings it back, same bytes, same hash
    conn = sqlite3.connect(fund_file)
    conn.execute("DELETE FROM document")
    conn.execute("DELETE FROM document_content")
    conn.commit()
    conn.close()
    assert cli(["--db", str(fund_file), "restore", str(backup_file)], capsys, monkeypatch)[0] == 0
    code, out, err = cli(["--db", str(fund_file), "documents", "list", "contribution", "P-1", "--json"],
                         capsys, monkeypatch)
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["sha256"] == hashlib.sha256(AGREEMENT).hexdigest() and row["file_name"] == "agreement.pdf"
    exported = tmp_path / "out.pdf"
    assert cli(["--db", str(fund_file), "documents", "export", row["id"], str(exported)], capsys, monkeypatch)[0] == 0
    assert exported.read_bytes() == AGREEMENT
    assert cli(["--db", str(fund_file), "audit", "verify"], capsys, monkeypatch)[0] == 0


@sqlite_only
@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_audit_verify_reports_a_tampered_or_missing_document(fund_file, tmp_path, capsys, monkeypatch, damage):
    source = tmp_path / "advice.pdf"
    source.write_bytes(AGREEMENT)
    assert cli(["--db", str(fund_file), "documents", "attach", "donor", "Norway", str(source)],
               capsys, monkeypatch)[0] == 0
    assert cli(["--db", str(fund_file), "audit", "verify"], capsys, monkeypatch)[0] == 0
    conn = sqlite3.connect(fund_file)  # outside the application: an SQL tool, no foreign keys
    if damage == "changed":
        conn.execute("UPDATE document_content SET content = ?", (AGREEMENT.replace(b"COL", b"XXX"),))
    else:
        conn.execute("DELETE FROM document_content")
    conn.commit()
    conn.close()
    code, out, err = cli(["--db", str(fund_file), "audit", "verify"], capsys, monkeypatch)
    assert code == 3
    assert "advice.pdf" in err and (("was changed" in err) if damage == "changed" else ("is missing" in err))
    code, out, err = cli(["--db", str(fund_file), "audit", "verify", "--json"], capsys, monkeypatch)
    report = json.loads(out)
    assert code == 3 and report["ok"] is False and report["first_bad_event"] is None  # the chain itself is intact
    assert {"events", "ok", "first_bad_event", "head"} <= set(report)  # CLI.md's shape (plus anchors_checked)
    assert hashlib.sha256(AGREEMENT).hexdigest()[:12] in err


@sqlite_only
def test_cli_rejects_a_file_too_big_with_exit_2(fund_file, tmp_path, capsys, monkeypatch):
    conn = sqlite3.connect(fund_file)
    conn.execute("INSERT INTO setting(key, value) VALUES ('document_max_bytes', '1000')")
    conn.commit()
    conn.close()
    big = tmp_path / "big.pdf"
    big.write_bytes(b"x" * 5000)
    code, out, err = cli(["--db", str(fund_file), "documents", "attach", "donor", "Norway", str(big)],
                         capsys, monkeypatch)
    assert code == 2 and "big.pdf is 5 KB; a document may be at most 1 KB" in err


def test_check_documents_finds_changed_and_missing_contents_on_any_backend(db, admin):
    """The same check ``audit verify`` runs, on SQLite and PostgreSQL alike."""
    from sqlalchemy import text

    from trustfund_app.core.document_check import check_documents
    from trustfund_app.core.services.donors import DonorService

    DonorService(db, admin).create("Norway", "member_state", "NOR")
    docs = DocumentService(db, admin)
    kept = docs.attach("donor", "Norway", "kept.pdf", AGREEMENT)
    changed = docs.attach("donor", "Norway", "changed.pdf", b"bank advice 42")
    gone = docs.attach("donor", "Norway", "gone.pdf", b"note verbale 7")
    with db.reading() as s:
        assert check_documents(s) == (3, [])
    changed_sha, gone_sha = docs.get(changed).sha256, docs.get(gone).sha256
    # around the application, as an SQL tool would (no foreign keys enforced)
    statements = [("UPDATE document_content SET content = :c WHERE sha256 = :h", {"c": b"bank advice 43", "h": changed_sha}),
                  ("DELETE FROM document_content WHERE sha256 = :h", {"h": gone_sha})]
    if db.is_sqlite:
        conn = sqlite3.connect(db.sqlite_path)
        for sql, params in statements:
            conn.execute(sql, params)
        conn.commit()
        conn.close()
    else:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE document DROP CONSTRAINT IF EXISTS document_sha256_fkey")
            for sql, params in statements:
                conn.execute(text(sql), params)
    with db.reading() as s:
        checked, problems = check_documents(s)
    assert checked == 3
    assert {(p.document_id, p.problem) for p in problems} == {(changed, "changed"), (gone, "missing")}
    assert kept not in {p.document_id for p in problems}
    with pytest.raises(ValidationError, match="hash mismatch"):
        docs.content(changed)
