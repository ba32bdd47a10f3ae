"""On PostgreSQL (many users on one database) an import checks its file before it takes the audit
chain's lock (core/excel/prepared.py): a payment recorded at the desk while an import is under way
is not held up until the import commits, and still nothing is lost, doubled or numbered twice, the
chain verifies and the books equal the trail. The hook is the import's progress callback, called
after the last row was checked and before anything is written; it waits until the desk's payment
has committed (or, if that payment were held behind the import, gives up after a minute)."""

from __future__ import annotations

import os
import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.core.excel_helpers import CONTRIB_HEADER, book, contributions, run, seed
from trustfund_app.core.db import Database
from trustfund_app.core.models import Allocation, Contribution, Donor

pytestmark = pytest.mark.skipif(not os.environ.get("TRUSTFUND_TEST_PG_URL"),
                                reason="SQLite imports take the write lock first (one writing instance per file)")

GIVE_UP = 60  # seconds: only reached when the payment is held behind the import (the failure)


@pytest.fixture
def fund(db, admin):
    seed(db, admin)
    return db


def _intact(db) -> bool:
    """The chain verifies and every table equals what the trail says it holds."""
    from trustfund_app.core.audit_verify import verify

    with db.reading() as s:
        result = verify(s)
    assert result.ok, result
    return True


def _donor(db, name: str) -> str:
    with db.reading() as s:
        return str(s.scalar(select(Donor.id).where(Donor.name == name)))


class Desk:
    """Someone at another desk (own connections) recording one entry when the import's hook says."""

    def __init__(self, url, actor, entry):
        self.url, self.actor, self.entry = url, actor, entry
        self.done = threading.Event()
        self.committed_during_import: bool | None = None
        self.error: BaseException | None = None
        self.thread = None

    def _record(self):
        from trustfund_app.core.services.contributions import ContributionService

        other = Database.open(self.url, upgrade=False)
        try:
            self.entry(ContributionService(other, self.actor))
        except BaseException as exc:  # noqa: BLE001 — reported by the test
            self.error = exc
        finally:
            other.dispose()
            self.done.set()

    def progress(self, _done, _total):
        if self.thread is None:  # the first call only (a run started again calls it again)
            self.thread = threading.Thread(target=self._record)
            self.thread.start()
            self.committed_during_import = self.done.wait(GIVE_UP)

    def join(self):
        self.thread.join()
        assert self.error is None, self.error


def test_a_payment_recorded_during_an_import_commits_before_the_import(fund, admin, tmp_path):
    germany = _donor(fund, "Germany")
    desk = Desk(fund.url, admin, lambda svc: svc.record_payment(germany, date(2026, 3, 1), Decimal("500"), "EUR",
                                                                  reference="DESK-1"))
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER] + [
        [date(2026, 2, 1 + i), "Japan", "pledge", "JPY", 100_000 + i, f"IMP-{i}", None] for i in range(3)])
    result = run(fund, admin, "contributions", path, progress=desk.progress)
    desk.join()
    assert desk.committed_during_import is True  # not held until the import's commit
    assert (result.inserted, result.committed) == (3, True)
    rows = contributions(fund)
    assert sorted(r.reference for r in rows) == ["DESK-1", "IMP-0", "IMP-1", "IMP-2"]
    # the desk took number 1, which the import had planned for its first row: the import's rows
    # were numbered again after it, in file order, without a gap
    numbers = {r.reference: r.receipt_number for r in rows}
    assert numbers == {"DESK-1": "VTF-2026-0001", "IMP-0": "VTF-2026-0002", "IMP-1": "VTF-2026-0003",
                       "IMP-2": "VTF-2026-0004"}
    assert _intact(fund)


def test_an_entry_colliding_with_a_row_of_the_file_makes_the_import_check_again(fund, admin, tmp_path):
    japan = _donor(fund, "Japan")
    desk = Desk(fund.url, admin, lambda svc: svc.record_pledge(japan, date(2026, 2, 1), Decimal("100000"), "JPY",
                                                                 reference="IMP-0"))
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER] + [
        [date(2026, 2, 1 + i), "Japan", "pledge", "JPY", 100_000 + i, f"IMP-{i}", None] for i in range(3)])
    result = run(fund, admin, "contributions", path, progress=desk.progress)
    desk.join()
    assert desk.committed_during_import is True
    # checked again under the lock: the desk's pledge is the file's first row, not a second one
    assert (result.inserted, result.unchanged, result.committed) == (2, 1, True)
    assert sorted(r.reference for r in contributions(fund)) == ["IMP-0", "IMP-1", "IMP-2"]
    assert _intact(fund)


def test_a_pledge_paid_at_the_desk_during_an_import_is_not_paid_twice(fund, admin, tmp_path):
    from trustfund_app.core.services.contributions import ContributionService

    germany = _donor(fund, "Germany")
    pledge = ContributionService(fund, admin).record_pledge(germany, date(2026, 1, 5), Decimal("1000"), "EUR",
                                                            reference="P-1")
    desk = Desk(fund.url, admin, lambda svc: svc.record_payment(germany, date(2026, 3, 1), Decimal("600"), "EUR",
                                                                  reference="DESK-PAY"))
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER, [date(2026, 3, 2), "Germany", "payment", "EUR", 1000,
                                                       "IMP-PAY", None]])
    result = run(fund, admin, "contributions", path, progress=desk.progress)
    desk.join()
    assert desk.committed_during_import is True
    assert (result.inserted, result.committed) == (1, True)
    with fund.reading() as s:
        paid = s.scalar(select(func.sum(Allocation.amount_minor)).where(Allocation.pledge_id == pledge_uuid(pledge)))
        by_payment = dict(s.execute(select(Contribution.reference, func.sum(Allocation.amount_minor))
                                    .join(Allocation, Allocation.payment_id == Contribution.id)
                                    .group_by(Contribution.reference)).all())
    # the import's payment was allocated with the desk's payment counted: only the 400 left
    assert paid == 100000
    assert by_payment == {"DESK-PAY": 60000, "IMP-PAY": 40000}
    assert _intact(fund)


def pledge_uuid(text: str):
    import uuid

    return uuid.UUID(text)


def test_receipt_numbers_the_file_names_keep_their_place_when_the_import_is_renumbered(fund, admin, tmp_path):
    germany = _donor(fund, "Germany")
    desk = Desk(fund.url, admin, lambda svc: svc.record_payment(germany, date(2026, 3, 1), Decimal("500"), "EUR",
                                                                  reference="DESK-1"))
    path = book(tmp_path / "c.xlsx", [CONTRIB_HEADER + ["receipt_number"]] + [
        [date(2026, 2, 1 + i), "Japan", "pledge", "JPY", 100_000 + i, f"IMP-{i}", None, receipt]
        for i, receipt in enumerate([None, "VTF-2026-0005", None])])
    result = run(fund, admin, "contributions", path, progress=desk.progress)
    desk.join()
    assert desk.committed_during_import is True
    assert (result.inserted, result.committed) == (3, True)
    # as if the file had been imported after the desk's payment: 0002, then the file's own 0005
    # moves the series past it, then 0006
    assert {r.reference: r.receipt_number for r in contributions(fund)} == {
        "DESK-1": "VTF-2026-0001", "IMP-0": "VTF-2026-0002", "IMP-1": "VTF-2026-0005", "IMP-2": "VTF-2026-0006"}
    with fund.reading() as s:
        from trustfund_app.core.models import ReceiptCounter

        assert s.scalar(select(ReceiptCounter.last).where(ReceiptCounter.year == 2026)) == 6
    assert _intact(fund)
