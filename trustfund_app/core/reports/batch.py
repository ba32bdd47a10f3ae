"""Statements for every donor that pledged or paid in a year, each in the donor's preferred
language (unless one language is forced), with progress reports and a cancel check. Each file is
written whole or not at all.

The statements' data is read here, a group of donors at a time with set-based queries
(``batch_data``), and what every statement shares — letterhead, audit head, use of the fund, rates
— once. Laying out a PDF is pure Python and runs on one core; a batch of hundreds of statements is
spread over worker processes, one per core (``default_workers``). Each worker lays out and writes
whole files from the data it is handed; this process reports each file as it is done."""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from trustfund_app.core.i18n import check_language
from trustfund_app.core.reports.batch_data import CHUNK, statements_data
from trustfund_app.core.reports.common import atomic_write
from trustfund_app.core.reports.data import DonorInfo, PeriodShared, StatementData, donors_active_in, period_shared
from trustfund_app.core.reports.statement import StatementKits, statement_pdf

PARALLEL_MIN_STATEMENTS = 8  # fewer are done before worker processes would have started
MAX_WORKERS = 4


@dataclass
class BatchResult:
    year: int
    total: int
    written: list[Path] = field(default_factory=list)
    cancelled: bool = False


@dataclass(frozen=True)
class _Period:
    """What every statement of the batch shares (travels to the workers once per job)."""

    start: date
    end: date
    issued: date
    shared: PeriodShared


@dataclass(frozen=True)
class _Job:
    donor_id: str
    name: str
    lang: str
    path: str


def statement_filename(year: int, donor: DonorInfo, lang: str) -> str:
    """``2026-Norway-en-1a2b3c4d.pdf``: readable, safe on every file system, never colliding."""
    stem = re.sub(r"[^\w]+", "-", donor.name, flags=re.UNICODE).strip("-")[:60] or "donor"
    return f"{year}-{stem}-{lang}-{donor.id[:8]}.pdf"


def default_workers(count: int) -> int:
    """Worker processes for ``count`` statements: one per core, at most MAX_WORKERS; none (all
    rendered here) for a handful, on one core, or in the packaged app (which cannot start a copy
    of itself as a Python worker)."""
    if count < PARALLEL_MIN_STATEMENTS or getattr(sys, "frozen", False):
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, MAX_WORKERS) if cores > 1 else 0


def write_statements(db, year: int, out_dir, lang: str | None = None, issued: date | None = None,
                     progress: Callable[[int, int, str], None] | None = None,
                     cancelled: Callable[[], bool] | None = None, workers: int | None = None) -> BatchResult:
    """``progress(done, total, donor name)``; ``cancelled()`` is asked between statements: files
    already written stay, no file is ever half-written. ``workers``: processes (0: render here;
    None: ``default_workers``)."""
    forced = check_language(lang) if lang else None
    issued = issued or date.today()
    start, end = date(year, 1, 1), date(year, 12, 31)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with db.reading() as session:
        donors = donors_active_in(session, year)
        period = _Period(start, end, issued, period_shared(session, start, end))
    result = BatchResult(year, len(donors))
    jobs = [_Job(d.id, d.name, forced or d.language, str(out / statement_filename(year, d, forced or d.language)))
            for d in donors]
    workers = default_workers(len(jobs)) if workers is None else workers
    context = _context() if workers > 0 else None
    if context is not None:
        _write_in_workers(db, jobs, period, workers, context, result, progress, cancelled)
    else:
        _write_here(db, jobs, period, result, progress, cancelled)
    if progress is not None and not result.cancelled:
        progress(len(jobs), len(jobs), "")
    return result


_worker_kits: StatementKits | None = None  # a worker process's, for all the statements it lays out


def _render(job: _Job, data: StatementData, issued: date, kits: StatementKits | None = None) -> str:
    global _worker_kits
    if kits is None:
        kits = _worker_kits = _worker_kits or StatementKits()
    return str(atomic_write(Path(job.path), statement_pdf(data, job.lang, issued, kits.of(job.lang))))


def _with_data(db, jobs: list[_Job], period: _Period):
    """(job, its statement data), read a group of donors at a time as the jobs are handed out."""
    for i in range(0, len(jobs), CHUNK):
        group = jobs[i:i + CHUNK]
        with db.reading() as session:
            read = list(statements_data(session, [j.donor_id for j in group], period.start, period.end, period.shared))
        yield from zip(group, read)


def _write_here(db, jobs: list[_Job], period: _Period, result: BatchResult, progress, cancelled) -> None:
    kits = StatementKits()
    for done, (job, data) in enumerate(_with_data(db, jobs, period)):
        if cancelled is not None and cancelled():
            result.cancelled = True
            return
        if progress is not None:
            progress(done, len(jobs), job.name)
        result.written.append(Path(_render(job, data, period.issued, kits)))


# -- worker processes ---------------------------------------------------------------------------
def _context():
    """Fork (a copy of this process, fonts and modules already loaded) when no other thread runs:
    a fork copies locks other threads may be holding. Else spawn (fresh interpreters), which
    re-imports the main module: only when that is a file (our entry points guard their code with
    ``if __name__ == "__main__"``); None when neither is safe."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return multiprocessing.get_context("spawn") if main_file and os.path.exists(main_file) else None


def _write_in_workers(db, jobs: list[_Job], period: _Period, workers: int, context, result: BatchResult, progress,
                      cancelled) -> None:
    done: dict[int, Path] = {}
    queue = enumerate(_with_data(db, jobs, period))
    pool = ProcessPoolExecutor(workers, mp_context=context)
    pending: dict = {}

    def submit_next() -> None:
        for index, (job, data) in queue:  # at most a few waiting per worker: a cancel stops soon
            pending[pool.submit(_render, job, data, period.issued)] = index
            return

    try:
        for _ in range(2 * workers):
            submit_next()
        while pending:
            finished, _running = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                done[index] = Path(future.result())  # a worker's error is raised here
                if progress is not None:
                    progress(len(done), len(jobs), jobs[index].name)
            if cancelled is not None and cancelled():
                result.cancelled = True
                break
            while len(pending) < 2 * workers and len(done) + len(pending) < len(jobs):
                submit_next()
    finally:
        # on cancel or error: drop what has not started, let the running ones finish their file
        pool.shutdown(wait=True, cancel_futures=True)
        for future, index in pending.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                done[index] = Path(future.result())
    result.written = [done[i] for i in sorted(done)]
