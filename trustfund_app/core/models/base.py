"""Shared pieces of every table: UUID keys (records move between offices later) and UTC stamps."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, DateTime, String, TypeDecorator
from sqlmodel import Field, SQLModel

from trustfund_app.core.ids import new_id


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use UTC")
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value is not None else None

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=timezone.utc) if value is not None else None


class DecimalText(TypeDecorator):
    """An exact decimal kept as text (exchange rates, percentages): never float, never NUMERIC."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        from decimal import Decimal

        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("exact decimals are never floats")
        return str(Decimal(value))

    def process_result_value(self, value, dialect):
        from decimal import Decimal

        return Decimal(value) if value is not None else None


def minor_units_column(nullable: bool = False) -> Column:
    """Integer minor units of money (cents, yen, fils)."""
    return Column(BigInteger, nullable=nullable)


class Stamped(SQLModel):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
