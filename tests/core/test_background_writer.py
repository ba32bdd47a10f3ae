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


def _imported_books(db) -> tuple[list, list, bool]:
    """What an import left, without the random ids and clock stamps: every contribution, every
    allocation (payment receipt, pledge receipt, amount), and whether the trail proves the books."""
    from trustfund_app.core.audit_verify import verify
    from trustfund_app.core.models import Allocation, Contribution

    with db.reading() as s:
        rows = sorted(tuple(r) for r in s.execute(select(
            Contribution.receipt_number, Contribution.date, Contribution.kind, Contribution.currency,
            Contribution.amount_minor, Contribution.usd_cents, Contribution.rate, Contribution.reference)))
        receipt = {c.id: c.receipt_number for c in s.scalars(select(Contribution))}
        allocations = sorted((receipt[a.payment_id], receipt[a.pledge_id], a.amount_minor)
                             for a in s.scalars(select(Allocation)))
        return rows, allocations, verify(s).ok


def test_an_import_stores_the_same_books_with_inserts_on_a_second_thread_or_not(tmp_path):
    """The second thread is a speed path (benchmarks/run_all.py shows both): what it stores, the
    allocations it computes and the trail it writes are those of the plain path."""
    from tests.core.excel_helpers import CONTRIB_HEADER, book, run, seed
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.base import NOT_LOGGED_IN
    from trustfund_app.core.services.users import UserService

    from datetime import date

    rows = [CONTRIB_HEADER]
    for i in range(5000):  # more than two chunks (CHUNK_ROWS), pledges paid by later payments
        donor, currency = [("Germany", "EUR"), ("Japan", "JPY"), ("Germany", "USD")][i % 3]
        kind = "pledge" if i % 4 < 2 else "payment"
        rows.append([date(2026, 1 + i % 12, 1 + i % 28), donor, kind, currency, 1000 + i, f"R-{i:05d}", None])
    path = book(tmp_path / "c.xlsx", rows)
    books = {}
    for threaded in (True, False):
        db = Database.open(tmp_path / f"{threaded}.sqlite3")
        admin = UserService(db, NOT_LOGGED_IN).create_first_admin("admin", "Quiet-River-42")
        seed(db, admin)
        result = run(db, admin, "contributions", path, background_inserts=threaded, parallel_read=False)
        assert result.as_json()["inserted"] == 5000, result.as_json()
        books[threaded] = _imported_books(db)
        db.dispose()
    assert books[True][2] and books[False][2]  # audit verify: the books match the trail on both
    assert len(books[True][0]) == 5000 and books[True][1]
    assert books[True] == books[False]
