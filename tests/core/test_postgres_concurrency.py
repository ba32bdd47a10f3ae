"""Two processes entering contributions at the same moment lose nothing: every entry is there,
receipt numbers are unique and without gaps, and the audit chain stays one valid chain. Runs on
PostgreSQL (the multi-user case) when TRUSTFUND_TEST_PG_URL is set, and on SQLite otherwise."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tests.core.resilience_helpers import consistency_problems, fork, seed_fund, wait_exit
from trustfund_app.core.db import Database

ENTRIES = 15  # pledge + payment pairs per process


def _clerk(url: str, name: str, donor_id: str, go_fd: int) -> None:
    from trustfund_app.core.services.base import Actor
    from trustfund_app.core.services.contributions import ContributionService

    db = Database.open(url)
    svc = ContributionService(db, Actor(name, "finance"))
    svc.quote("1", "EUR", date(2025, 3, 1))  # connect before the start signal
    assert os.read(go_fd, 1) == b"g"
    for i in range(ENTRIES):
        pledge = svc.record_pledge(donor_id, date(2025, 3, 1), Decimal(100 + i), "EUR", reference=f"{name}-P{i}")
        svc.record_payment(donor_id, date(2025, 3, 2), Decimal(100 + i), "EUR", reference=f"{name}-R{i}",
                           pledge_ids=[pledge], note=f"pays {name}-P{i}")
    db.dispose()


def test_two_processes_entering_contributions_at_once_lose_nothing(db, admin):
    from trustfund_app.core.models import AuditEvent, Contribution

    fund = seed_fund(db, admin)
    url = db.url
    db.dispose()
    go_r, go_w = os.pipe()
    pids = [fork(_clerk, url, name, fund.donor_ids[i], go_r) for i, name in enumerate(("ana", "bo"))]
    os.write(go_w, b"gg")  # both start together
    assert [wait_exit(pid) for pid in pids] == [0, 0]

    check = Database.open(url)
    try:
        assert consistency_problems(check) == []
        with check.reading() as s:
            rows = s.scalars(select(Contribution)).all()
            refs = {c.reference for c in rows}
            assert refs == {f"{n}-{k}{i}" for n in ("ana", "bo") for k in "PR" for i in range(ENTRIES)}
            numbers = sorted(int(c.receipt_number.rsplit("-", 1)[1]) for c in rows)
            assert numbers == list(range(1, 4 * ENTRIES + 1))
            users = {u: s.scalar(select(AuditEvent.seq).where(AuditEvent.user == u).limit(1)) for u in ("ana", "bo")}
            assert all(users.values())  # both wrote, each under their own name
            by_user = {}
            for ev in s.scalars(select(AuditEvent).where(AuditEvent.entity == "contribution")):
                by_user[ev.user] = by_user.get(ev.user, 0) + 1
            assert by_user == {"ana": 2 * ENTRIES, "bo": 2 * ENTRIES}
    finally:
        check.dispose()
