"""The sheet read (and its contribution cells parsed) by a second process gives exactly the import
of reading it in this one: the same errors at the same cells, the same rows stored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.core.excel_helpers import CONTRIB_HEADER, book, seed
from trustfund_app.core.db import Database
from trustfund_app.core.excel.importer import ImportOptions, run_import
from trustfund_app.core.models import Allocation, Contribution
from trustfund_app.core.services.users import UserService

ROWS = [
    ["Contributions received in 2026"],  # a title above the header
    CONTRIB_HEADER,
    [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1", None],
    [date(2026, 1, 8), "Federal Republic of Germany", "Versement", "EUR", 250.5, "PAY-1", None],
    ["2026-02-30", "Japan", "pledge", "JPY", 100, "P-2", None],  # no such day
    [date(2026, 2, 1), "Japon", "payment", "JPY", 100, "PAY-2", None],  # unknown donor
    [date(2026, 2, 2), "Japan", "payment", "JPY", 12.5, "PAY-3", None],  # yen has no decimals
    [date(2026, 2, 3), "Japan", "payment", "EUD", "abc", "PAY-4", None],  # two bad cells
    [date(2026, 3, 1), "Japan", "pledge", "JPY", "1,000,000", "P-3", None],
]


def fresh_fund(path):
    db = Database.open(path)
    admin = UserService(db).create_first_admin("admin", "Quiet-River-42")
    seed(db, admin)
    return db, admin


def stored(db):
    with db.reading() as s:
        rows = s.execute(select(Contribution.reference, Contribution.kind, Contribution.currency,
                                Contribution.amount_minor, Contribution.usd_cents, Contribution.receipt_number)
                         .order_by(Contribution.reference)).all()
        allocations = s.execute(select(Allocation.amount_minor)).scalars().all()
    return [tuple(r) for r in rows], allocations


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_a_second_process_reads_the_same_import(tmp_path, skip_invalid):
    path = book(tmp_path / "c.xlsx", ROWS)
    results = {}
    for parallel in (False, True):
        db, admin = fresh_fund(tmp_path / f"fund-{parallel}.sqlite3")
        result = run_import(db, admin, "contributions", path,
                            ImportOptions(parallel_read=parallel, skip_invalid=skip_invalid,
                                          parallel_min_bytes=0))  # the test workbook is small
        results[parallel] = (result.as_json() | {"file": ""}, result.header_row, stored(db))
        db.dispose()
    assert results[True] == results[False]
    summary, header_row, (rows, allocations) = results[True]
    assert header_row == 2
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(5, "A"), (6, "B"), (7, "E"), (8, "D"), (8, "E")]
    if skip_invalid:
        assert [r[0] for r in rows] == ["P-1", "P-3", "PAY-1"] and allocations == [25050]
        assert rows[1][3] == 1_000_000  # "1,000,000" yen
    else:
        assert rows == [] and summary["committed"] is False
