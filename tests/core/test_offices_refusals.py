"""Packages that must not be applied: one byte changed, signed by an unknown key, addressed to
another office, from a newer schema, a replay — each refused or ignored with its own message, the
database unchanged; the command line exits 2. The manifest's signature is standard minisign."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from tests.core.offices_setup import Side, connect, hq_fund, send
from tests.pg import fresh_database_url
from trustfund_app.cli import main
from trustfund_app.core.models import AuditEvent, metadata
from trustfund_app.core.offices import keys, package
from trustfund_app.core.offices.apply import apply_package
from trustfund_app.core.offices.export import export_package
from trustfund_app.core.offices.identity import OfficeService
from trustfund_app.core.offices.package import PackageRefused
from trustfund_app.core.services.base import APP_ITSELF  # noqa: E402


@pytest.fixture
def pair(db, admin, tmp_path):
    OfficeService(db, admin).init(True)
    hq = Side("HQ", db, admin)
    hq.grants = hq_fund(db, admin, countries=("NGA",))
    (tmp_path / "o").mkdir()
    office = connect(hq, "ROWA", "NGA", fresh_database_url(tmp_path / "o"))
    return hq, office


def _state(db) -> dict:
    """Every row of every table (what 'unchanged' means)."""
    with db.reading() as s:
        return {t.name: sorted(map(repr, s.execute(select(t)).all())) for t in metadata.sorted_tables}


def _repack(data: bytes, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


def _refused(db, data, reason):
    before = _state(db)
    with pytest.raises(PackageRefused) as caught:
        apply_package(db, "admin", data)
    assert caught.value.reason == reason
    assert _state(db) == before
    return str(caught.value)


def test_each_refusal_has_its_own_message_and_changes_nothing(pair, tmp_path):
    hq, office = pair
    data, _info = export_package(hq.db, "admin", "ROWA")
    messages = set()

    def flip_sealed(m):  # one byte of the sealed changes
        body = bytearray(m[package.CHANGES])
        body[len(body) // 2] ^= 1
        m[package.CHANGES] = bytes(body)
    messages.add(_refused(office.db, _repack(data, flip_sealed), "altered"))

    def edit_manifest(m):
        m[package.MANIFEST] = m[package.MANIFEST].replace(b'"to": "ROWA"', b'"to": "ROWA" ')
    messages.add(_refused(office.db, _repack(data, edit_manifest), "signature"))

    raw = bytearray(data)  # one byte of the file itself, wherever it lands in the stored member
    raw[len(raw) - 400] ^= 0x20
    messages.add(_refused(office.db, bytes(raw), "altered"))

    # signed by a key nobody registered: a forger with a key pair of his own
    public, key_id = keys.generate("ROGUE")
    forged_manifest = None

    def resign(m, schema=None, key=("ROGUE", key_id), to=None):
        nonlocal forged_manifest
        manifest = json.loads(m[package.MANIFEST])
        manifest["key_id"] = key[1]
        if schema:
            manifest["schema"] = schema
        if to:
            manifest["to"] = to
        body = json.dumps(manifest, sort_keys=True, indent=1).encode() + b"\n"
        m[package.MANIFEST] = body
        m[package.SIGNATURE] = keys.sign(keys.load_secret(*key), body, "forged")
        forged_manifest = manifest
    messages.add(_refused(office.db, _repack(data, resign), "unknown_key"))

    hq_key = OfficeService(hq.db, hq.admin).show()[0].key_id
    messages.add(_refused(office.db, _repack(data, lambda m: resign(m, schema="9999", key=("HQ", hq_key))), "schema"))
    messages.add(_refused(office.db, _repack(data, lambda m: resign(m, to="ROEA", key=("HQ", hq_key))), "recipient"))
    messages.add(_refused(office.db, b"PK\x03\x04 not really a zip", "format"))
    assert len(messages) == 7  # each refusal says what was wrong with the package
    assert any("newer version" in m for m in messages) and any("ROEA" in m for m in messages)

    # the genuine package still applies; a replay changes nothing and says so
    assert apply_package(office.db, "admin", data).applied > 0
    before = _state(office.db)
    replay = apply_package(office.db, "admin", data)
    assert replay.replay and "nothing changed" in replay.message
    assert _state(office.db) == before


def test_refused_and_replayed_packages_on_the_command_line(pair, tmp_path, monkeypatch, capsys, db_url):
    hq, office = pair
    data, _info = export_package(hq.db, "admin", "ROWA")
    good = tmp_path / "good.tfsync"
    good.write_bytes(data)
    bad = tmp_path / "bad.tfsync"
    bad.write_bytes(_repack(data, lambda m: m.update({package.CHANGES: m[package.CHANGES][:-1] + b"x"})))
    monkeypatch.setenv("TRUSTFUND_PASSWORD", "Quiet-River-42")
    office_url = office.db.url.replace("sqlite:///", "")
    office.db.dispose()
    base = ["--db", office_url, "--user", "admin", "sync", "import"]
    assert main(base + [str(bad), "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["refused"] == "altered" and len(err.strip().splitlines()) == 1
    assert main(base + [str(good), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["from"] == "HQ" and shown["applied"] > 0 and shown["held"] is False and shown["refused"] is None
    assert main(base + [str(good)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["--db", office_url, "--user", "admin", "audit", "verify"]) == 0


def _minisign_verify(public_b64: str, data: bytes, signature: bytes) -> bool:
    """minisign's format, read by hand from its specification (not through py-minisign):
    line 2 = 'ED' + key id + Ed25519(BLAKE2b-512(data)); line 4 = Ed25519(sig + trusted comment)."""
    lines = signature.decode().strip().split("\n")
    sig_line = base64.b64decode(lines[1])
    trusted = lines[2].removeprefix("trusted comment: ").encode()
    key = base64.b64decode(public_b64)
    assert key[:2] == b"Ed" and sig_line[:2] == b"ED" and sig_line[2:10] == key[2:10]
    public = Ed25519PublicKey.from_public_bytes(key[10:])
    public.verify(sig_line[10:], hashlib.blake2b(data, digest_size=64).digest())
    public.verify(base64.b64decode(lines[3]), sig_line[10:] + trusted)
    return True


def test_the_manifest_signature_is_standard_minisign(pair, tmp_path):
    hq, _office = pair
    data, _info = export_package(hq.db, "admin", "ROWA")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest, signature = zf.read(package.MANIFEST), zf.read(package.SIGNATURE)
    pub_text = OfficeService(hq.db, hq.admin).export_key()
    public_b64 = pub_text.strip().splitlines()[1]
    assert _minisign_verify(public_b64, manifest, signature)
    loaded = json.loads(manifest)
    assert loaded["from"] == "HQ" and loaded["to"] == "ROWA" and loaded["schema"]
    assert loaded["members"][package.CHANGES] == hashlib.sha256(
        zipfile.ZipFile(io.BytesIO(data)).read(package.CHANGES)).hexdigest()
    tool = shutil.which("minisign")
    if tool:  # the auditor's own tool, when installed
        (tmp_path / "manifest.json").write_bytes(manifest)
        (tmp_path / "manifest.json.minisig").write_bytes(signature)
        (tmp_path / "hq.pub").write_text(pub_text)
        ok = subprocess.run([tool, "-Vm", str(tmp_path / "manifest.json"), "-p", str(tmp_path / "hq.pub")])
        assert ok.returncode == 0


def test_the_secret_key_stays_outside_the_database_readable_only_by_its_owner(pair, _isolated_user_data):
    hq, _office = pair
    me = OfficeService(hq.db, hq.admin).show()[0]
    path = keys.secret_key_path("HQ", me.key_id)
    assert path.is_relative_to(_isolated_user_data) and path.stat().st_mode & 0o777 == 0o600
    secret = path.read_bytes().strip().splitlines()[1]
    with hq.db.reading() as s:
        events = " ".join(e.after or "" for e in s.scalars(select(AuditEvent)))
    assert secret.decode()[20:60] not in events
    copies = OfficeService(hq.db, hq.admin).backup_keys(_isolated_user_data / "fund-backup.sqlite3")
    assert len(copies) == 1 and copies[0].stat().st_mode & 0o777 == 0o600
    with hq.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) > 0


def test_a_backup_on_the_command_line_takes_the_office_key_along(pair, tmp_path, monkeypatch, capsys, db_url):
    if "://" in db_url:
        pytest.skip("backups of SQLite files")
    hq, _office = pair
    monkeypatch.setenv("TRUSTFUND_PASSWORD", "Quiet-River-42")
    hq.db.dispose()
    dest = tmp_path / "hq-backup.sqlite3"
    assert main(["--db", db_url, "--user", "admin", "backup", str(dest)]) == 0
    copies = list(tmp_path.glob("hq-backup.sqlite3.HQ-*.key"))
    assert len(copies) == 1 and copies[0].stat().st_mode & 0o777 == 0o600
    assert "signing key" in capsys.readouterr().out


def test_hq_records_each_package_and_catches_an_office_that_rewrote_its_history(pair):
    import json as _json

    from trustfund_app.core.models import AuditEvent as Event
    from trustfund_app.core.services.grants import ReportService

    hq, office = pair
    send(hq, office)
    report = next(r.id for r in ReportService(office.db, APP_ITSELF).for_grant(hq.grants["NGA"]))
    ReportService(office.db, office.admin).receive(report, __import__("datetime").date(2026, 9, 1))
    data, applied = send(office, hq)
    manifest = _json.loads(zipfile.ZipFile(io.BytesIO(data)).read(package.MANIFEST))
    with hq.db.reading() as s:
        recorded = [_json.loads(e.after) for e in s.scalars(select(Event).where(Event.entity == "sync_package"))
                    if e.after and _json.loads(e.after).get("direction") == "in"]
    assert [(r["peer"], r["first_seq"], r["last_seq"], r["head_end"]) for r in recorded] == [
        ("ROWA", applied.first, applied.last, manifest["chain"]["end"])]
    # the office's next package claims a different chain at the point HQ anchored: refused
    ReportService(office.db, office.admin).receive(report, __import__("datetime").date(2026, 9, 2))
    later, _info = export_package(office.db, "admin", "HQ")
    office_key = OfficeService(office.db, office.admin).show()[0].key_id

    def rewrite(m):
        body = _json.loads(m[package.MANIFEST])
        body["checkpoints"] = {k: "f" * 64 for k in body["checkpoints"]}
        body["chain"]["start"] = "f" * 64
        raw = _json.dumps(body, sort_keys=True, indent=1).encode() + b"\n"
        m[package.MANIFEST], m[package.SIGNATURE] = raw, keys.sign(keys.load_secret("ROWA", office_key), raw, "x")
    message = _refused(hq.db, _repack(later, rewrite), "chain")
    assert "rewritten" in message


def test_a_package_whose_document_content_was_altered_is_refused_and_changes_nothing(pair, tmp_path, monkeypatch,
                                                                                     capsys):
    from trustfund_app.core.services.documents import DocumentService

    hq, office = pair
    content = b"%PDF-1.4 signed grant agreement " * 64
    DocumentService(hq.db, hq.admin).attach("grant", hq.grants["NGA"], "agreement.pdf", content)
    data, _info = export_package(hq.db, "admin", "ROWA")
    member = package.file_member(hashlib.sha256(content).hexdigest())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert member in json.loads(zf.read(package.MANIFEST))["members"]

    def flip_file(m):  # one byte of the document's member
        body = bytearray(m[member])
        body[len(body) // 2] ^= 1
        m[member] = bytes(body)
    message = _refused(office.db, _repack(data, flip_file), "altered")
    assert "document content" in message and member[6:18] in message

    # re-signed by HQ itself, the manifest agreeing: the content still has to match its name
    hq_key = OfficeService(hq.db, hq.admin).show()[0].key_id
    peer_key = OfficeService(hq.db, hq.admin).show()[1][0].public_key

    def other_content(m):
        m[member] = keys.seal(peer_key, content.replace(b"signed", b"forged"))
        manifest = json.loads(m[package.MANIFEST])
        manifest["members"][member] = hashlib.sha256(m[member]).hexdigest()
        body = json.dumps(manifest, sort_keys=True, indent=1).encode() + b"\n"
        m[package.MANIFEST], m[package.SIGNATURE] = body, keys.sign(keys.load_secret("HQ", hq_key), body, "x")
    assert "document content" in _refused(office.db, _repack(data, other_content), "altered")

    def without_content(m):  # signed by HQ, but the content left out: the document would have none
        del m[member]
        manifest = json.loads(m[package.MANIFEST])
        del manifest["members"][member]
        body = json.dumps(manifest, sort_keys=True, indent=1).encode() + b"\n"
        m[package.MANIFEST], m[package.SIGNATURE] = body, keys.sign(keys.load_secret("HQ", hq_key), body, "x")
    assert "agreement.pdf" in _refused(office.db, _repack(data, without_content), "files")

    bad = tmp_path / "bad.tfsync"
    bad.write_bytes(_repack(data, flip_file))
    monkeypatch.setenv("TRUSTFUND_PASSWORD", "Quiet-River-42")
    office_url = office.db.url.replace("sqlite:///", "")
    office.db.dispose()
    assert main(["--db", office_url, "--user", "admin", "sync", "import", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "document content" in err[0]
    assert apply_package(office.db, "admin", data).applied > 0  # the genuine package applies
