"""``audit verify``'s check of the documents: every attached document's bytes must still be in the
database and still have the SHA-256 the audit trail recorded when it was attached.

The chain check (``audit.verify``) proves the trail itself is intact; this proves the documents
agree with it. A content edited in place, replaced, or deleted outside the application (an SQL
tool, a damaged file) is reported with the document's name, what it is attached to and its hash.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from trustfund_app.core.models import AuditEvent, Document, DocumentContent
from trustfund_app.core.services.documents import DocumentProblem


def recorded_hashes(session: Session) -> dict[str, str]:
    """Each document's hash as the trail last recorded it (insert, or an update that changed it)."""
    hashes: dict[str, str] = {}
    events = session.execute(select(AuditEvent.entity_id, AuditEvent.after)
                             .where(AuditEvent.entity == Document.__tablename__,
                                    AuditEvent.action.in_(("insert", "update")))
                             .order_by(AuditEvent.seq))
    for entity_id, after in events:
        data = json.loads(after) if after else {}
        if data.get("sha256"):
            hashes[entity_id] = data["sha256"]
    return hashes


def check_documents(session: Session) -> tuple[int, list[DocumentProblem]]:
    """(documents checked, problems found). Reads one content at a time."""
    recorded = recorded_hashes(session)
    problems: list[DocumentProblem] = []
    docs = session.execute(select(Document.id, Document.file_name, Document.owner_kind, Document.owner_id,
                                  Document.sha256).order_by(Document.created_at)).all()
    for doc_id, name, kind, owner_id, sha in docs:
        expected = recorded.get(str(doc_id), sha)
        content = session.execute(select(DocumentContent.content).where(DocumentContent.sha256 == sha)).scalar()
        if content is None:
            problem = "missing"
        elif sha != expected or hashlib.sha256(bytes(content)).hexdigest() != expected:
            problem = "changed"
        else:
            continue
        problems.append(DocumentProblem(str(doc_id), name, kind, str(owner_id), problem, expected))
    return len(docs), problems
