"""Issue 21: the contributions list's text search on PostgreSQL (pg_trgm indexes, migration 0011)
finds exactly what SQLite's (FTS5 trigram table, migration 0004) finds in the same data: the same
rows in the same order on a page, the same count and totals."""

from __future__ import annotations

import os
from datetime import date

import pytest

from trustfund_app.core.services.base import NOT_LOGGED_IN

pytestmark = pytest.mark.skipif(not os.environ.get("TRUSTFUND_TEST_PG_URL"), reason="needs TRUSTFUND_TEST_PG_URL")

DONORS = [("Norway", "NO"), ("Fondation 100% Enfance", "FR"), ("Sweden_Aid", "SE"), ("Grant/Trust Fund", "GB")]
SEARCHES = ["NOR-2026", "nor-2026-0", "ref_7", "50%", "a/b", "fund", "FOUNDATION", "Enfance", "weden_", "VTF-2026-00001",
            "2026-0001", "shelter", "zzz", "nor", "-0"]


def _fill(db):
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.rates import RateService
    from trustfund_app.core.services.users import UserService

    admin = UserService(db, NOT_LOGGED_IN).create_first_admin("admin", "Quiet-River-42")
    RateService(db, admin).add_month(date(2026, 1, 1), {"EUR": "0.92"})
    money = ContributionService(db, admin)
    for d, (name, country) in enumerate(DONORS):
        donor = DonorService(db, admin).create(name, "member_state", country, "en")
        for i in range(12):
            refs = [f"{country}R-2026-{i:03d}", f"ref_{i}", f"50% of a/b {i}", f"REF{i}"]
            earmark = ["Shelter in Lagos", None, "legal aid", "SHELTERS"][i % 4]
            record = money.record_pledge if i % 3 == 0 else money.record_payment
            record(donor, date(2026, 1 + i % 12, 1 + (i * 7 + d) % 28), str(100 + 10 * i + d), ["EUR", "USD"][i % 2],
                   reference=refs[(i + d) % 4], earmark=earmark)


def _results(db, text: str):
    from trustfund_app.core.services.contribution_queries import ContributionFilter, list_page, summary

    flt = ContributionFilter(text=text)
    with db.reading() as s:
        page = [(r.date, r.receipt_number, r.reference, r.donor, r.earmark, r.usd) for r in list_page(s, flt, limit=15)]
        return page, summary(s, flt)


def test_postgresql_text_search_finds_what_sqlite_finds(db, tmp_path):
    from trustfund_app.core.db import Database
    from trustfund_app.core.services.contribution_queries import text_index

    assert db.url.startswith("postgresql")
    lite = Database.open(tmp_path / "same.sqlite3")
    try:
        _fill(db)
        _fill(lite)
        with db.reading() as s, lite.reading() as t:
            assert (text_index(s), text_index(t)) == ("pg_trgm", "fts5")
        for text in SEARCHES:
            on_server, on_file = _results(db, text), _results(lite, text)
            assert on_server == on_file, text
        assert _results(db, "NOR-2026")[1].count > 0 and _results(db, "50%")[1].count > 0
        assert _results(db, "zzz")[1].count == 0
    finally:
        lite.dispose()
