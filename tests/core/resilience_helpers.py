"""Helpers shared by the audit / roles / crash / concurrency / bad-input tests: a small fund to
work on, running the command line in-process or as a real process, forking workers, and the
consistency checks a crash must never break."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

ON_POSTGRES = bool(os.environ.get("TRUSTFUND_TEST_PG_URL"))
# Tests about SQLite files run in the SQLite pass only; the PostgreSQL pass covers the rest.
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about SQLite files; runs in the SQLite pass")
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Fund:
    donor_ids: list[str]


def seed_fund(db, actor, donors: int = 2) -> Fund:
    """EUR/JPY rates for 2025 and a few donors."""
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.rates import RateService

    rates = RateService(db, actor)
    for month in range(1, 13):
        rates.add_month(date(2025, month, 1), {"EUR": Decimal("0.92"), "JPY": Decimal("150.5")})
    names = ["Norway", "Japan", "Qatar", "Sweden", "Mexico"]
    countries = ["NOR", "JPN", "QAT", "SWE", "MEX"]
    ids = [DonorService(db, actor).create(names[i], "member_state", countries[i]) for i in range(donors)]
    return Fund(ids)


def cli(argv: list[str], capsys, monkeypatch, user: str | None = "admin", password: str | None = "Quiet-River-42",
        new_password: str | None = None) -> tuple[int, str, str]:
    """Run ``trustfund ARGV`` in this process; returns (exit code, stdout, stderr)."""
    from trustfund_app.cli import main

    for var, value in (("TRUSTFUND_USER", user), ("TRUSTFUND_PASSWORD", password),
                       ("TRUSTFUND_NEW_PASSWORD", new_password)):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    capsys.readouterr()
    code = main(["--lang", "en", *argv])  # the messages asserted are the English ones
    out, err = capsys.readouterr()
    return code, out, err


def cli_process(argv: list[str], env: dict | None = None, preexec_fn=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``python -m trustfund_app ARGV`` as a real process."""
    full_env = {**os.environ, "TRUSTFUND_USER": "admin", "TRUSTFUND_PASSWORD": "Quiet-River-42", "LANG": "C.UTF-8",
                "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "trustfund_app", "--lang", "en", *argv], env=full_env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec_fn, cwd=str(REPO))


def fork(work, *args) -> int:
    """Run ``work(*args)`` in a forked child process; returns its pid. The child exits 0 when
    ``work`` returns, 1 when it raises (printing the traceback). Dispose every engine first:
    a child must never use its parent's connections."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            work(*args)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    return pid


def wait_exit(pid: int) -> int:
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def audit_events(db) -> int:
    from trustfund_app.core.models import AuditEvent

    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


def integrity_ok(db) -> bool:
    if not db.is_sqlite:
        return True  # the server guarantees its own pages; the other checks still apply
    with db.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("PRAGMA integrity_check"))] == ["ok"]


def consistency_problems(db) -> list[str]:
    """Everything a crash must not leave behind: a broken chain, data without its audit events
    (or events without their data), a payment without its allocations, a reversal half-done, a
    receipt counter out of step, or a fund position whose identities do not hold."""
    from trustfund_app.core import audit, audit_verify
    from trustfund_app.core.models import Allocation, AuditEvent, Contribution, ContributionKind, ReceiptCounter
    from trustfund_app.core.services.position import fund_position

    problems = []
    if not integrity_ok(db):
        problems.append("PRAGMA integrity_check failed")
    with db.reading() as s:
        result = audit_verify.verify(s)
        if not result.ok:
            problems.append(f"audit chain broken at {result.first_bad_event} ({result.problem}, {result.bad}, {getattr(result, 'mismatch', None)})")
        # live rows == inserts - deletes in the trail, per table
        for entity, model in (("contribution", Contribution), ("allocation", Allocation)):
            rows = s.scalar(select(func.count()).select_from(model))
            ins = s.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.entity == entity, AuditEvent.action == "insert"))
            for (after,) in s.execute(select(AuditEvent.after).where(  # an import's rows, a chunk per event
                    AuditEvent.entity == entity, AuditEvent.action == audit.IMPORTED)):
                ins += len(audit.imported_ids(after))
            dels = s.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.entity == entity, AuditEvent.action == "delete"))
            if rows != ins - dels:
                problems.append(f"{entity}: {rows} rows but {ins} inserts - {dels} deletes in the trail")
        contributions = s.scalars(select(Contribution)).all()
        allocated: dict = {}
        for a in s.scalars(select(Allocation)):
            allocated[a.payment_id] = allocated.get(a.payment_id, 0) + a.amount_minor
        by_id = {c.id: c for c in contributions}
        reversed_ids = {c.reverses_id for c in contributions if c.reverses_id is not None}
        for c in contributions:
            if c.kind == ContributionKind.PAYMENT and c.reverses_id is None and not c.reversed \
                    and (c.note or "").startswith("pays ") and allocated.get(c.id, 0) != c.amount_minor:
                problems.append(f"payment {c.reference} has allocations {allocated.get(c.id, 0)} != {c.amount_minor}")
            if c.reverses_id is not None and not by_id[c.reverses_id].reversed:
                problems.append(f"reversal {c.id} of an entry not marked reversed")
            if c.reversed and c.reverses_id is None and c.id not in reversed_ids:
                problems.append(f"{c.reference} marked reversed without a reversal")
            if c.reversed and c.reverses_id is None and allocated.get(c.id):
                problems.append(f"reversed payment {c.reference} still has allocations")
        for counter in s.scalars(select(ReceiptCounter)):
            issued = [c.receipt_number for c in contributions if c.receipt_number and c.date.year == counter.year]
            if len(issued) != counter.last or len(set(issued)) != len(issued):
                problems.append(f"receipt counter {counter.year} at {counter.last}, {len(issued)} receipts issued")
        pos = fund_position(s, date(2025, 12, 31))
        received = sum(c.usd_cents for c in contributions if c.kind == ContributionKind.PAYMENT)
        if pos.received.minor != received:
            problems.append(f"position received {pos.received.minor} != sum of payments {received}")
        if pos.balance != pos.received - pos.disbursed - pos.psc or pos.available != pos.balance - pos.commitments:
            problems.append("position identities do not hold")
        if pos.pledged_outstanding.minor < 0:
            problems.append("negative outstanding pledges")
    return problems


def new_reference(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"
