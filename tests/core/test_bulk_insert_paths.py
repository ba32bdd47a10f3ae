"""The import's fast insert (rows as one JSON text unpacked by SQLite's ``json_each``) stores exactly
what the plain path (``executemany``, one bound row at a time) stores: the same values with the same
SQLite types, and the audit trail's chunk text is those very values."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.core.resilience_helpers import sqlite_only
from trustfund_app.core import bulk_insert
from trustfund_app.core.db import Database
from trustfund_app.core.models import Contribution, Donor


def _rows(donor_id) -> list[dict]:
    stamp = datetime(2026, 12, 5, 6, 30, 15, 123456, tzinfo=timezone.utc)
    names = ["Ménard & fils \"quoted\"", "وزارة الخارجية", "日本国政府", "back\\slash\nnew line", None]
    rows = []
    for i in range(40):
        rows.append({
            "id": uuid.uuid4(), "created_at": stamp, "updated_at": stamp, "donor_id": donor_id,
            "kind": "pledge" if i % 2 else "payment", "date": date(2020 + i % 7, 1 + i % 12, 1 + i % 28),
            "currency": ["USD", "EUR", "JPY", "CHF"][i % 4],
            "amount_minor": [1, 10**15, 0, 4_611_686_018_427_387_903][i % 4],
            "rate": [Decimal("1"), Decimal("0.9215"), Decimal("151.37"), Decimal("0.000001")][i % 4],
            "rate_date": date(2020, 1, 1), "usd_cents": i * 7919,
            "reference": None if i % 3 == 0 else f"R-{i:05d}", "receipt_number": f"VTF-2026-{i:04d}",
            "earmark": names[i % len(names)], "note": None if i % 5 else "x" * 2000,
            "reverses_id": None, "reversed": bool(i % 2), "import_batch": "b1",
        })
    return rows


def _stored(db, table: str) -> list[tuple]:
    with db.reading() as s:
        columns = [r[1] for r in s.execute(text(f'PRAGMA table_info("{table}")'))]
        probe = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
        return [tuple(r) for r in s.execute(text(f'SELECT {probe} FROM "{table}" ORDER BY id'))]


@sqlite_only
@pytest.mark.skipif(not bulk_insert.JSON_ROWS, reason="this SQLite has no ->> (3.38): the plain path is the only one")
def test_the_json_path_stores_what_executemany_stores(tmp_path, monkeypatch):
    donor_id = uuid.uuid4()
    rows = _rows(donor_id)
    stored = {}
    for fast in (True, False):
        monkeypatch.setattr(bulk_insert, "JSON_ROWS", fast)
        db = Database.open(tmp_path / f"{fast}.sqlite3")
        with db.writing("admin") as s:
            s.add(Donor(id=donor_id, name="Japan", type="government", country="JPN"))
            s.flush()
            result = bulk_insert.insert_rows(s, Contribution.__table__, [dict(r) for r in rows])
            assert (result.json is not None) == fast  # the text the trail records for the chunk
        stored[fast] = _stored(db, "contribution")
        db.dispose()
    assert len(stored[True]) == len(rows)
    assert stored[True] == stored[False]
