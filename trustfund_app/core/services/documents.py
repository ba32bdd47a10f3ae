"""Documents attached to grants, applications, grantees, donors and contributions (agreements,
reports, bank advices, notes verbales).

The bytes are stored in the database, once per content, keyed by their SHA-256 (``document_content``);
the ``document`` row (audited like every record, its hash in the trail) says what it is attached
to. Why in the database and not in a folder beside it: the document and its record are written in
one transaction (a crash never leaves one without the other), backups and restore copy them with
the database, PostgreSQL keeps them too (``bytea``, backed up by ``pg_dump``), and change packages
carry the rows with each content beside them, named by its hash (``offices/package``). The size
limit keeps the file reasonable.

Documents are data, never programs: nothing here runs them; a copy handed to the system's viewer
is written without execute permission and only for types a viewer shows (others can be exported).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from trustfund_app.core.errors import NotFoundError, ValidationError
from trustfund_app.core.i18n import N_, _, format_number
from trustfund_app.core.models import (
    Application, Contribution, Document, DocumentContent, DocumentKind, Donor, DonorAlias, Grant, Grantee, Setting,
)
from trustfund_app.core.services.base import Service

DEFAULT_MAX_BYTES = 25 * 1024 * 1024  # a scanned agreement or report; setting "document_max_bytes"
# what each kind of owner needs to attach to it (the role that keeps those records)
ATTACH_PERMISSION = {
    DocumentKind.GRANT: "grants", DocumentKind.APPLICATION: "grants", DocumentKind.GRANTEE: "grantees",
    DocumentKind.DONOR: "donors", DocumentKind.CONTRIBUTION: "contributions",
}
NOT_FOUND = {
    DocumentKind.GRANT: N_('no grant "{name}"'), DocumentKind.APPLICATION: N_('no application "{name}"'),
    DocumentKind.GRANTEE: N_('no grantee "{name}"'), DocumentKind.DONOR: N_('no donor "{name}"'),
    DocumentKind.CONTRIBUTION: N_('no contribution "{name}"'),
}
# types the system's viewer shows without running anything (no macros, scripts or programs)
VIEWABLE_SUFFIXES = frozenset({
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".txt", ".csv", ".rtf",
    ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".ppt", ".pptx", ".eml", ".msg",
})


@dataclass(frozen=True)
class DocumentRow:
    id: str
    owner_kind: str
    owner_id: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    note: str | None
    attached_by: str
    attached_at: datetime

    @property
    def viewable(self) -> bool:
        return Path(self.file_name).suffix.lower() in VIEWABLE_SUFFIXES

    def as_json(self) -> dict:
        return {"id": self.id, "kind": self.owner_kind, "owner_id": self.owner_id, "file_name": self.file_name,
                "media_type": self.media_type, "size": self.size, "sha256": self.sha256, "note": self.note,
                "attached_by": self.attached_by, "attached_at": self.attached_at.isoformat()}


@dataclass(frozen=True)
class DocumentProblem:
    """A document whose bytes are gone or no longer those recorded in the audit trail."""

    document_id: str
    file_name: str
    owner_kind: str
    owner_id: str
    problem: str  # "missing" or "changed"
    recorded_sha256: str

    def message(self) -> str:
        if self.problem == "missing":
            return _("document {name} ({id}) is missing: its content {sha} is not in the database").format(
                name=self.file_name, id=self.document_id, sha=self.recorded_sha256[:12])
        return _("document {name} ({id}) was changed: its content no longer has the hash {sha} recorded in "
                 "the audit trail").format(name=self.file_name, id=self.document_id, sha=self.recorded_sha256[:12])

    def as_json(self) -> dict:
        return {"document": self.document_id, "file_name": self.file_name, "kind": self.owner_kind,
                "owner_id": self.owner_id, "problem": self.problem, "sha256": self.recorded_sha256}


def document_kind(kind: str) -> DocumentKind:
    try:
        return DocumentKind(str(kind).strip().lower())
    except ValueError:
        raise ValidationError(_('unknown kind "{kind}" (use {kinds})').format(
            kind=kind, kinds=", ".join(k.value for k in DocumentKind)), "kind") from None


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text).strip())
    except ValueError:
        return None


def resolve_owner(session, kind: DocumentKind, id_or_reference: str) -> uuid.UUID:
    """The record a KIND and an id or reference name: a grant by agreement number, an application by
    number, a grantee or donor by name (a donor also by alias), a contribution by reference or
    receipt number."""
    model = {DocumentKind.GRANT: Grant, DocumentKind.APPLICATION: Application, DocumentKind.GRANTEE: Grantee,
             DocumentKind.DONOR: Donor, DocumentKind.CONTRIBUTION: Contribution}[kind]
    key = _as_uuid(id_or_reference)
    if key is not None and session.get(model, key) is not None:
        return key
    text = str(id_or_reference).strip()
    found = None
    if kind == DocumentKind.GRANT:
        found = session.scalar(select(Grant.id).where(Grant.reference == text))
    elif kind == DocumentKind.APPLICATION:
        found = session.scalar(select(Application.id).where(Application.number == text))
    elif kind == DocumentKind.GRANTEE:
        found = session.scalar(select(Grantee.id).where(Grantee.name == text))
    elif kind == DocumentKind.DONOR:
        found = session.scalar(select(Donor.id).where(Donor.name == text)) or session.scalar(
            select(DonorAlias.donor_id).where(DonorAlias.alias == text))
    else:
        found = session.scalar(select(Contribution.id).where(
            (Contribution.reference == text) | (Contribution.receipt_number == text)))
    if found is None:
        raise NotFoundError(_(NOT_FOUND[kind]).format(name=text))
    return found


def max_bytes(session) -> int:
    row = session.get(Setting, "document_max_bytes")
    try:
        return int(row.value) if row else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


def size_text(size: int) -> str:
    """1.5 MB, 820 KB: sizes for messages."""
    from decimal import ROUND_HALF_UP, Decimal

    if size >= 1024 * 1024:
        mb = (Decimal(size) / Decimal(1024 * 1024)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return _("{size} MB").format(size=format_number(mb, digits=1))
    kb = (Decimal(size) / Decimal(1024)).quantize(Decimal("1"), ROUND_HALF_UP)
    return _("{size} KB").format(size=format_number(max(Decimal(1), kb), digits=0))


def clean_file_name(name: str) -> str:
    """The name shown and used on export: no folders, no control characters, at most 255 characters."""
    base = re.sub(r"[\x00-\x1f\x7f/\\:]+", "_", Path(str(name)).name).strip(" .") or "document"
    stem, suffix = os.path.splitext(base)
    return stem[: 255 - len(suffix)] + suffix


def store_content(session, digest: str, data: bytes) -> None:
    """Store the bytes under their hash unless they are there already (same hash, same bytes):
    attaching and applying a change package both store a content once."""
    table = DocumentContent.__table__
    values = {"sha256": digest, "size": len(data), "content": data}
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        statement = sqlite.insert(table).values(values).on_conflict_do_nothing(index_elements=["sha256"])
    elif dialect == "postgresql":
        statement = postgresql.insert(table).values(values).on_conflict_do_nothing(index_elements=["sha256"])
    else:
        if session.get(DocumentContent, digest) is not None:
            return
        statement = table.insert().values(values)
    session.execute(statement)


def _row(d: Document) -> DocumentRow:
    return DocumentRow(str(d.id), d.owner_kind, str(d.owner_id), d.file_name, d.media_type, d.size, d.sha256, d.note,
                       d.attached_by, d.created_at)


class DocumentService(Service):
    def attach(self, kind: str, owner: str, file_name: str, data: bytes, note: str | None = None) -> str:
        """Attach ``data`` (the bytes of ``file_name``) to a record; returns the document id."""
        kind = document_kind(kind)
        name = clean_file_name(file_name)
        with self._write_for(kind) as s:
            limit = max_bytes(s)
            if len(data) > limit:
                raise ValidationError(_("{file} is {size}; a document may be at most {limit}").format(
                    file=name, size=size_text(len(data)), limit=size_text(limit)), "file")
            if not data:
                raise ValidationError(_("{file} is empty").format(file=name), "file")
            owner_id = resolve_owner(s, kind, owner)
            digest = hashlib.sha256(data).hexdigest()
            store_content(s, digest, data)
            media = mimetypes.guess_type(name)[0] or "application/octet-stream"
            doc = Document(owner_kind=kind.value, owner_id=owner_id, file_name=name, media_type=media[:100],
                           size=len(data), sha256=digest, note=(note or "").strip()[:500] or None,
                           attached_by=self.actor.name)
            s.add(doc)
            s.flush()
            doc_id = str(doc.id)
        self._changed("document", "insert", doc_id, str(owner_id))
        return doc_id

    def attach_file(self, kind: str, owner: str, path: str | os.PathLike, note: str | None = None) -> str:
        """Attach a file from disk; its size is checked before it is read."""
        path = Path(path)
        if not path.is_file():
            raise ValidationError(_("{file} is not a file").format(file=path), "file")
        with self.db.reading() as s:
            limit = max_bytes(s)
        size = path.stat().st_size
        if size > limit:
            raise ValidationError(_("{file} is {size}; a document may be at most {limit}").format(
                file=path.name, size=size_text(size), limit=size_text(limit)), "file")
        return self.attach(kind, owner, path.name, path.read_bytes(), note)

    def list(self, kind: str, owner: str) -> list[DocumentRow]:
        kind = document_kind(kind)
        with self.db.reading() as s:
            owner_id = resolve_owner(s, kind, owner)
            docs = s.scalars(select(Document).where(Document.owner_kind == kind.value, Document.owner_id == owner_id)
                             .order_by(Document.created_at, Document.file_name))
            return [_row(d) for d in docs]

    def get(self, document_id: str) -> DocumentRow:
        with self.db.reading() as s:
            return _row(self._document(s, document_id))

    def content(self, document_id: str) -> tuple[DocumentRow, bytes]:
        """The document and its bytes, refused when they are not the bytes recorded."""
        with self.db.reading() as s:
            doc = self._document(s, document_id)
            stored = s.get(DocumentContent, doc.sha256)
            if stored is None:
                raise ValidationError(_("the content of {file} is missing from the database").format(file=doc.file_name))
            data = bytes(stored.content)
            row = _row(doc)
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise ValidationError(_("the content of {file} was changed since it was attached (hash mismatch)")
                                  .format(file=row.file_name))
        return row, data

    def export(self, document_id: str, destination: str | os.PathLike) -> Path:
        """Write the document to ``destination`` (a file, or a folder to put it in under its name)."""
        row, data = self.content(document_id)
        dest = Path(destination)
        if dest.is_dir():
            dest = dest / row.file_name
        tmp = dest.with_name(dest.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(dest)
        return dest

    def viewer_copy(self, document_id: str, folder: str | os.PathLike | None = None) -> Path:
        """A read-only, non-executable copy for the system's viewer; refused for types that could
        run something (export those instead)."""
        row = self.get(document_id)
        if not row.viewable:
            raise ValidationError(_("{file} is not a type that can be opened safely here; export it instead")
                                  .format(file=row.file_name), "file")
        base = Path(folder) if folder else Path(tempfile.gettempdir()) / "trustfund-documents"
        target = base / row.sha256[:16]
        target.mkdir(parents=True, exist_ok=True)
        path = target / row.file_name
        if path.exists():
            path.chmod(0o600)
        self.export(document_id, path)
        path.chmod(0o400)  # readable, never executable
        return path

    def _write_for(self, kind: DocumentKind):
        """A write with the permission that keeps the records of ``kind`` (named literally: a test
        checks every write names its permission)."""
        if kind in (DocumentKind.GRANT, DocumentKind.APPLICATION):
            return self._write("grants")
        if kind == DocumentKind.GRANTEE:
            return self._write("grantees")
        if kind == DocumentKind.DONOR:
            return self._write("donors")
        return self._write("contributions")

    @staticmethod
    def _document(s, document_id: str) -> Document:
        key = _as_uuid(document_id)
        doc = s.get(Document, key) if key else None
        if doc is None:
            raise NotFoundError(_("document {id} does not exist").format(id=document_id))
        return doc
