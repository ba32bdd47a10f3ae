"""Office identity, the registry of offices and their signing keys, and the bookkeeping of change
packages exchanged with them (issue 16). These tables are local to each database: they never
travel in a package themselves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field

from trustfund_app.core.models.base import Stamped, UTCDateTime

HQ_CODE = "HQ"


class Office(Stamped, table=True):
    """HQ or a field office. Exactly one row has ``is_self``: this database's own identity."""

    __tablename__ = "office"

    code: str = Field(max_length=20, unique=True)
    is_hq: bool = False
    regions: str = Field(default="", max_length=2000)  # ISO 3166 alpha-3 codes, comma-separated
    is_self: bool = False


class OfficeKey(Stamped, table=True):
    """An office's Ed25519 public key in minisign's form; a revoked key signs nothing valid."""

    __tablename__ = "office_key"

    office_code: str = Field(max_length=20, index=True)
    public_key: str = Field(max_length=200)  # minisign base64 (algorithm, key id, key)
    key_id: str = Field(max_length=16, index=True)  # minisign key id, hex
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by: str | None = Field(default=None, max_length=100)


class SyncPeer(Stamped, table=True):
    """Where the exchange with one other office stands. Sequence numbers are the sender's audit
    event numbers: a package covers a range of them."""

    __tablename__ = "sync_peer"

    code: str = Field(max_length=20, unique=True)
    sent_to: int = 0  # our last event in a package made for them
    acked: int = 0  # our last event they say they applied
    received_to: int = 0  # their last event applied here
    received_head: str | None = Field(default=None, max_length=64)  # their chain hash at received_to
    last_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SyncPackage(Stamped, table=True):
    """A package made here ("out") or applied/held here ("in"). Applied packages are the anchors
    of the sender's chain: its head at ``last_seq`` is recorded in our own audit trail."""

    __tablename__ = "sync_package"
    __table_args__ = (UniqueConstraint("package_id", "direction", name="uq_sync_package_dir"),)

    package_id: str = Field(max_length=64, index=True)
    direction: str = Field(max_length=3)  # in / out
    peer: str = Field(max_length=20, index=True)
    first_seq: int
    last_seq: int
    head_start: str = Field(max_length=64)
    head_end: str = Field(max_length=64)
    state: str = Field(max_length=10)  # sent / applied / held
    changes: int = 0
    applied: int = 0
    unchanged: int = 0
    conflicts: int = 0
    # a held package's file, base64 (the audit trail records text; the changes in it stay sealed)
    content: str | None = Field(default=None, sa_column=Column(Text))


class SyncConflict(Stamped, table=True):
    """Two sides changed the same record. Both versions are kept until a person decides."""

    __tablename__ = "sync_conflict"

    peer: str = Field(max_length=20, index=True)
    package_id: str = Field(max_length=64)
    entity: str = Field(max_length=50)
    entity_id: str = Field(max_length=64, index=True)
    action: str = Field(max_length=10)
    base: str | None = Field(default=None, sa_column=Column(Text))  # their "before"
    theirs: str | None = Field(default=None, sa_column=Column(Text))  # their "after"
    ours: str | None = Field(default=None, sa_column=Column(Text))  # our row when it arrived
    their_user: str | None = Field(default=None, max_length=100)
    state: str = Field(default="open", max_length=10, index=True)  # open / resolved
    resolution: str | None = Field(default=None, max_length=10)  # ours / theirs / edit
    note: str | None = Field(default=None, max_length=2000)
    resolved_by: str | None = Field(default=None, max_length=100)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
