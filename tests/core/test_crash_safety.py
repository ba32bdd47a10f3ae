"""Kill at random: a real child process enters pledges with their payments, reversals, donor edits
and monthly rate batches (and imports, when the importer is there) until it is killed with
SIGKILL at a random moment. After every kill the database must pass ``PRAGMA integrity_check``,
keep an intact audit chain with one event per change, and hold no half of anything: no payment
without its allocations, no half-reversed entry, no half of a rate batch or of an import, no
receipt number skipped, and a fund position whose identities hold.

Runs: TRUSTFUND_KILL_RUNS (default 40 on SQLite, 12 on PostgreSQL), about 0.3 s each."""

from __future__ import annotations

import os
import random
import signal
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from tests.core.resilience_helpers import ON_POSTGRES, consistency_problems, fork, seed_fund, wait_exit
from trustfund_app.core.db import Database

try:  # imported here, once, so that forked children start writing at once
    import openpyxl  # noqa: F401

    from trustfund_app.core.excel.importer import run_import as _preloaded_import  # noqa: F401
    from trustfund_app.core.services import contributions, donors, rates  # noqa: F401
except ModuleNotFoundError:
    pass

RUNS = int(os.environ.get("TRUSTFUND_KILL_RUNS", "12" if ON_POSTGRES else "40"))
BATCH_CURRENCIES = ("EUR", "JPY", "GBP", "CHF", "KWD")
FIRST_BATCH_MONTH = date(2030, 1, 1)


def _month(n: int) -> date:
    return date(FIRST_BATCH_MONTH.year + n // 12, n % 12 + 1, 1)


IMPORT_ROWS = 6  # three pledges and the three payments that settle them


def _import_file(path, tag: str, donor: str, rng) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["date", "donor", "kind", "currency", "amount", "reference", "pledge_reference", "note"])
    for i in range(IMPORT_ROWS // 2):
        amount = Decimal(rng.randrange(100, 900_000)) / 100
        ws.append([date(2025, 7, 1), donor, "pledge", "EUR", amount, f"IP-{tag}-{i}", None, None])
        ws.append([date(2025, 8, 1), donor, "payment", "EUR", amount, f"IR-{tag}-{i}", f"IP-{tag}-{i}",
                   f"pays IP-{tag}-{i}"])
    wb.save(path)


def _clerk(url: str, donor_ids: list[str], seed: int, ready_fd: int, workdir) -> None:
    """The child: write, write, write — until killed."""
    from trustfund_app.core.services.base import Actor
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.donors import DonorService
    from trustfund_app.core.services.rates import RateService

    rng = random.Random(seed)
    db = Database.open(url)
    clerk = Actor("clerk", "finance")
    contributions, donors, rates = ContributionService(db, clerk), DonorService(db, clerk), RateService(db, clerk)
    with db.reading() as s:
        from trustfund_app.core.models import ExchangeRate

        batches = s.scalar(select(func.count(func.distinct(ExchangeRate.effective_date)))
                           .where(ExchangeRate.effective_date >= FIRST_BATCH_MONTH)) or 0
    try:
        from trustfund_app.core.excel.importer import run_import
    except ModuleNotFoundError:
        run_import = None
    payments: list[str] = []
    os.write(ready_fd, b"r")
    n = 0
    while True:
        n += 1
        tag = f"{seed}-{n}"
        donor = rng.choice(donor_ids)
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(360))
        action = rng.random()
        if action < 0.6:  # a pledge and the payment that settles it, each one transaction
            amount = Decimal(rng.randrange(100, 500_000)) / 100
            pledge = contributions.record_pledge(donor, day, amount, "EUR", reference=f"P-{tag}")
            payments.append(contributions.record_payment(donor, day, amount, "EUR", reference=f"R-{tag}",
                                                         pledge_ids=[pledge], note=f"pays P-{tag}"))
        elif action < 0.72 and payments:  # a reversal: new entry + original marked + allocations removed
            contributions.reverse(payments.pop(rng.randrange(len(payments))), "entered twice")
        elif action < 0.80:
            donors.update(donor, notes=f"called on {day.isoformat()} ({tag})")
        elif action < 0.88 and run_import is not None:  # an import: all rows in one transaction
            workbook = workdir / f"import-{tag}.xlsx"
            _import_file(workbook, tag, donors.get(donor).name, rng)
            result = run_import(db, clerk, "contributions", workbook)
            assert result.committed, result.errors
        else:  # a batch: one month of rates for several currencies in one transaction
            rates.add_month(_month(batches), {c: Decimal(rng.randrange(50, 20000)) / 100 for c in BATCH_CURRENCIES},
                            accept_jumps=True)  # random rates: every month a "jump"
            batches += 1


def _batch_problems(db) -> list[str]:
    """Half a rate batch or half an import."""
    from trustfund_app.core.models import Contribution, ExchangeRate

    with db.reading() as s:
        per_month = s.execute(
            select(ExchangeRate.effective_date, func.count()).where(ExchangeRate.effective_date >= FIRST_BATCH_MONTH)
            .group_by(ExchangeRate.effective_date)).all()
        per_import = s.execute(
            select(Contribution.import_batch, func.count()).where(Contribution.import_batch.is_not(None))
            .group_by(Contribution.import_batch)).all()
    return ([f"rate batch {day} has {count} of {len(BATCH_CURRENCIES)} rates"
             for day, count in per_month if count != len(BATCH_CURRENCIES)]
            + [f"import {batch} has {count} of {IMPORT_ROWS} rows" for batch, count in per_import if count != IMPORT_ROWS])


def test_killed_writers_leave_a_consistent_database(db, admin, tmp_path):
    fund = seed_fund(db, admin, donors=3)
    url = db.url
    db.dispose()  # the children must not share our connections
    rng = random.Random(20261128)
    written = 0
    for run in range(RUNS):
        ready_r, ready_w = os.pipe()
        pid = fork(_clerk, url, fund.donor_ids, run, ready_w, tmp_path)
        os.close(ready_w)
        assert os.read(ready_r, 1) == b"r", f"run {run}: the child died before writing"
        os.close(ready_r)
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(pid, signal.SIGKILL)
        code = wait_exit(pid)
        assert code == -signal.SIGKILL, f"run {run}: the child stopped on its own ({code}) — see its traceback"

        after = Database.open(url)
        try:
            problems = consistency_problems(after) + _batch_problems(after)
            with after.reading() as s:
                from trustfund_app.core.models import Contribution

                count = s.scalar(select(func.count()).select_from(Contribution))
        finally:
            after.dispose()
        assert not problems, f"after kill {run + 1}: {problems}"
        assert count >= written
        written = count
    assert written > RUNS, "the children hardly wrote anything: the kills proved nothing"
    final = Database.open(url)
    with final.reading() as s:
        from trustfund_app.core.models import AuditEvent, Contribution

        imports = s.scalar(select(func.count(func.distinct(Contribution.import_batch))))
        reversals = s.scalar(select(func.count()).select_from(Contribution).where(Contribution.reverses_id.is_not(None)))
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    final.dispose()
    print(f"\n{RUNS} kills: {written} contributions ({imports} imports, {reversals} reversals), {events} audit events")
