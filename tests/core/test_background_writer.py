"""Bulk inserts on a second thread (core/background_writer.py) within the one transaction: a
query sees every row inserted before it, and a failed insert raises in the importing thread and
takes the whole transaction back."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.core.resilience_helpers import sqlite_only
from trustfund_app.core.background_writer import background_inserts
from trustfund_app.core.bulk_insert import insert_rows
from trustfund_app.core.models import Donor

pytestmark = sqlite_only


def donor_rows(n: int, start: int = 0) -> list[dict]:
    now = datetime.now(timezone.utc)
    return [dict(id=uuid.uuid4(), created_at=now, updated_at=now, name=f"Donor {i}", type="foundation",
                 country="NOR", language="en", active=True) for i in range(start, start + n)]


def count_donors(session) -> int:
    return session.scalar(select(func.count()).select_from(Donor))


def test_queries_see_the_rows_inserted_before_them(db):
    with db.writing("test") as s:
        with background_inserts(s, enabled=True):
            for chunk in range(5):
                insert_rows(s, Donor.__table__, donor_rows(300, chunk * 300))
                assert count_donors(s) == 300 * (chunk + 1)
            insert_rows(s, Donor.__table__, donor_rows(10, 5000))
    with db.reading() as s:
        assert count_donors(s) == 1510
        assert s.scalar(select(Donor.active).where(Donor.name == "Donor 5009")) is True


def test_a_failed_insert_raises_here_and_rolls_everything_back(db):
    rows = donor_rows(200)
    with pytest.raises(IntegrityError):
        with db.writing("test") as s:
            with background_inserts(s, enabled=True):
                insert_rows(s, Donor.__table__, rows)
                insert_rows(s, Donor.__table__, rows[:1])  # the same key again
                insert_rows(s, Donor.__table__, donor_rows(5, 1000))
    with db.reading() as s:
        assert count_donors(s) == 0
