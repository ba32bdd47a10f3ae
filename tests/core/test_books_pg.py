"""Issue 15 residual: on PostgreSQL the books check compares each table with the trail inside the
server (core/books_pg.py). It must agree with the plain path: an untouched fund is equal table by
table (and the fast path really decides, it does not hand every table back), and a row changed,
added or deleted around the app — an imported row, a row the trail updates, a JSON value — is found
and named exactly as the plain path names it."""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from sqlalchemy import text

from tests.core.excel_helpers import CONTRIB_HEADER, book, run, seed
from trustfund_app.core import books, books_pg
from trustfund_app.core.books_trail import audited_tables

pytestmark = pytest.mark.skipif(not os.environ.get("TRUSTFUND_TEST_PG_URL"), reason="the PostgreSQL path")


@pytest.fixture
def fund(db, admin, tmp_path):
    """Donors (one with names in several languages), rates, an import of 60 pledges (written
    through COPY, bulk_insert.COPY_MIN_ROWS) and a payment with allocations, a pledge recorded and
    then reversed."""
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService

    seed(db, admin)
    donors = DonorService(db, admin)
    spain = donors.create("Spain", "member_state", "ESP", "es")
    with db.writing(admin.name) as s:  # a JSON column, set through the ORM (an audited update)
        from trustfund_app.core.models import Donor

        s.get(Donor, uuid.UUID(spain)).names = {"fr": "Espagne", "es": "España"}
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER] + [
        [date(2026, 1 + i // 28, 1 + i % 28), "Germany" if i % 2 else "Japan", "pledge", "EUR" if i % 2 else "JPY",
         1000 + i, f"P-{i}", None] for i in range(60)] + [
        [date(2026, 2, 1), "Germany", "payment", "EUR", 500, "PAY-1", None]])
    assert run(db, admin, "contributions", path).committed
    from trustfund_app.core.bulk_insert import COPY_MIN_ROWS

    assert COPY_MIN_ROWS <= 60
    svc = ContributionService(db, admin)
    wrong = svc.record_pledge(spain, date(2026, 3, 1), "900", "EUR", reference="WRONG")
    svc.reverse(wrong, "entered twice")
    return db


@pytest.fixture(autouse=True)
def _every_table_through_the_server(monkeypatch):
    """The fast path on tables of any size (it leaves small ones to the plain path by default)."""
    monkeypatch.setattr(books_pg, "MIN_ROWS", 0)


def _plain(session):
    """The books check with the fast path switched off."""
    saved = books.fast_equal
    books.fast_equal = lambda *_a: False
    try:
        return books.check_books(session)
    finally:
        books.fast_equal = saved


def test_an_untouched_fund_is_equal_table_by_table_on_both_paths(fund):
    with fund.reading() as s:
        decided = {t.name: books_pg.tables_equal(s, t, min_rows=0) for t in audited_tables()}
        assert books.check_books(s) is None
        assert _plain(s) is None
    # every table is decided here, but the users' (password hashes are compared as digests)
    assert {name for name, equal in decided.items() if equal is not True} == {"app_user"}


def _id(db, sql: str):
    with db.reading() as s:
        return s.execute(text(sql)).scalar()


@pytest.mark.parametrize("table, select_id, change", [
    # a row an import inserted (its values come from the import's chunk event)
    ("contribution", "SELECT id FROM contribution WHERE reference = 'P-3'",
     "UPDATE contribution SET amount_minor = amount_minor + 1 WHERE id = :id"),
    ("allocation", "SELECT id FROM allocation LIMIT 1",
     "DELETE FROM allocation WHERE id = :id"),
    # a row the trail also updates (checked one by one)
    ("contribution", "SELECT id FROM contribution WHERE reference = 'WRONG'",
     "UPDATE contribution SET reversed = false WHERE id = :id"),
    ("donor", "SELECT id FROM donor WHERE name = 'Spain'",
     """UPDATE donor SET names = '{"fr": "Espagne", "es": "Espana"}' WHERE id = :id"""),
    # a timestamp a microsecond off, an exact rate's text
    ("contribution", "SELECT id FROM contribution WHERE reference = 'P-0'",
     "UPDATE contribution SET created_at = created_at + interval '1 microsecond' WHERE id = :id"),
    ("exchange_rate", "SELECT id FROM exchange_rate LIMIT 1",
     "UPDATE exchange_rate SET rate = rate || '0' WHERE id = :id"),
    # a row no event created
    ("contribution", "SELECT id FROM contribution WHERE reference = 'P-1'", "COPY"),
])
def test_a_change_around_the_app_is_found_and_named_as_the_plain_path_names_it(fund, table, select_id, change):
    record = _id(fund, select_id)
    with fund.engine.begin() as conn:
        if change == "COPY":  # the same row again under a new key (and receipt number)
            columns = [r[0] for r in conn.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'contribution'"))]
            values = {"id": "gen_random_uuid()", "reference": "'ADDED'", "receipt_number": "receipt_number || 'X'"}
            change = (f"INSERT INTO contribution ({', '.join(columns)}) SELECT "
                      f"{', '.join(values.get(c, c) for c in columns)} FROM contribution WHERE id = :id")
        conn.execute(text(change), {"id": record})
    from trustfund_app.core.models import metadata

    with fund.reading() as s:
        assert books_pg.tables_equal(s, metadata.tables[table], min_rows=0) is False
        fast, plain = books.check_books(s), _plain(s)
    assert fast is not None and fast == plain
    assert fast.table == table
