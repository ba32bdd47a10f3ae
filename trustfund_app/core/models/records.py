"""The grant file (issue 18): documents attached to records, monitoring visits with their follow-up
actions, and write-offs of the unpaid part of a pledge.

Documents, visits and actions are records a field office creates about the grants in its region:
they have the same shape as every other table (``Stamped``: UUID key, UTC stamps) so that they can
be declared office-owned and travel in change packages. A document's bytes live once per content
in ``document_content``, keyed by their SHA-256: the same file attached twice (or received from an
office that already sent it) is stored once, and a content can never conflict with another.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, LargeBinary, String
from sqlmodel import Field, SQLModel

from trustfund_app.core.i18n import N_
from trustfund_app.core.models.base import Stamped, UTCDateTime


class DocumentKind(StrEnum):
    """What a document is attached to (the CLI's KIND); the value is the owner's table name."""

    GRANT = "grant"
    APPLICATION = "application"
    GRANTEE = "grantee"
    DONOR = "donor"
    CONTRIBUTION = "contribution"


class DocumentContent(SQLModel, table=True):
    """The bytes of a document, once per content. Written through Core (never through the ORM
    audit hook, which would copy the bytes into the trail); the audited ``document`` row carries
    the hash that binds it, and ``audit verify`` recomputes it."""

    __tablename__ = "document_content"

    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    size: int = Field(sa_type=BigInteger)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Document(Stamped, table=True):
    __tablename__ = "document"

    owner_kind: str = Field(max_length=16, index=True)
    owner_id: uuid.UUID = Field(index=True)  # the grant, application, grantee, donor or contribution
    file_name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64, foreign_key="document_content.sha256", index=True)
    note: str | None = Field(default=None, max_length=500)
    attached_by: str = Field(max_length=100)
    office: str | None = Field(default=None, max_length=20)  # the field office that attached it (None: HQ)


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class MonitoringVisit(Stamped, table=True):
    __tablename__ = "monitoring_visit"

    grant_id: uuid.UUID = Field(foreign_key="grant.id", index=True)
    visit_date: date = Field(index=True)
    visitors: str = Field(max_length=300)  # who visited
    findings: str = Field(default="", max_length=8000)
    office: str | None = Field(default=None, max_length=20)  # the field office that recorded it (None: HQ)


class FollowUpAction(Stamped, table=True):
    __tablename__ = "follow_up_action"

    visit_id: uuid.UUID = Field(foreign_key="monitoring_visit.id", index=True)
    description: str = Field(max_length=1000)
    due_date: date = Field(index=True)
    responsible: str | None = Field(default=None, max_length=100)  # a user name, or a person
    status: str = Field(default=ActionStatus.OPEN, max_length=10, index=True)
    done_on: date | None = None
    office: str | None = Field(default=None, max_length=20)  # its visit's owner (None: HQ)


class WriteOffKind(StrEnum):
    WRITE_OFF = "write_off"  # the donor will not pay: the receivable is written off
    CANCELLATION = "cancellation"  # the donor withdrew the unpaid part of its pledge


WRITE_OFF_KIND_LABELS = {
    WriteOffKind.WRITE_OFF: N_("Write-off"),
    WriteOffKind.CANCELLATION: N_("Cancellation"),
}


class WriteOffStatus(StrEnum):
    REQUESTED = "requested"  # first pair of eyes
    APPROVED = "approved"  # a second user with the finance role: only now the pledge is reduced
    REJECTED = "rejected"


class PledgeWriteOff(Stamped, table=True):
    """The unpaid part of a pledge given up, in the pledge's currency, from ``effective_date``."""

    __tablename__ = "pledge_write_off"

    pledge_id: uuid.UUID = Field(foreign_key="contribution.id", index=True)
    kind: str = Field(max_length=16)
    amount_minor: int = Field(sa_type=BigInteger)  # in the pledge's currency
    effective_date: date
    reason: str = Field(max_length=1000)
    status: str = Field(default=WriteOffStatus.REQUESTED, max_length=10, index=True)
    requested_by: str = Field(max_length=100)
    decided_by: str | None = Field(default=None, max_length=100)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
