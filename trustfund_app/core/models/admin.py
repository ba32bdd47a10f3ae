"""Users, settings and the append-only audit trail."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Integer, Text
from sqlmodel import Field, SQLModel

from trustfund_app.core.i18n import N_
from trustfund_app.core.models.base import Stamped, UTCDateTime


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    FINANCE = "finance"
    PROGRAMME = "programme"
    READ_ONLY = "read-only"


ROLE_LABELS = {
    Role.ADMINISTRATOR: N_("Administrator"),
    Role.FINANCE: N_("Finance"),
    Role.PROGRAMME: N_("Programme"),
    Role.READ_ONLY: N_("Read-only"),
}


class User(Stamped, table=True):
    __tablename__ = "app_user"

    name: str = Field(max_length=100, unique=True, index=True)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=300)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Who vouched for this account (four-eyes: they may not approve what the account prepared,
    # nor it what they prepared). None: the system (demo) or the first administrator.
    created_by: str | None = Field(default=None, max_length=100)
    enabled_by: str | None = Field(default=None, max_length=100)
    role_set_by: str | None = Field(default=None, max_length=100)
    password_set_by: str | None = Field(default=None, max_length=100)

    def vouched_by(self) -> set[str]:
        """Users who created, re-enabled, gave the role of, or set the password of this account."""
        return {n for n in (self.created_by, self.enabled_by, self.role_set_by, self.password_set_by)
                if n and n != self.name}


class Setting(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=2000)


class AuditEvent(SQLModel, table=True):
    """One change. Rows are only ever appended (triggers refuse UPDATE/DELETE); each row's hash
    covers its canonical content and the previous row's hash, so any edit breaks the chain."""

    __tablename__ = "audit_event"

    seq: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True))
    at: datetime = Field(sa_type=UTCDateTime)
    user: str = Field(max_length=100)
    entity: str = Field(max_length=50, index=True)
    entity_id: str = Field(max_length=64, index=True)
    action: str = Field(max_length=10)  # insert / update / delete
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
