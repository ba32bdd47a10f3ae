"""Imports on PostgreSQL, checked and built before the audit chain's lock is taken.

Every writer serialises on the chain head (``audit.lock_chain``, an advisory transaction lock): the
trail must stay one totally ordered chain. An import used to take that lock at its start and hold it
while it read, parsed and validated the whole file, so a payment recorded meanwhile waited for all
of it (p95 of a payment 12.6 s in ``benchmarks/load_test.py`` while two imports ran).

Three designs were weighed:

* parse and validate first, then append and insert under the lock — but the checks read the
  database (duplicates, receipt numbers, open pledges, donors, rates), so a check made before the
  lock may be stale by the time the rows are written; on its own this design loses the guarantees
  the lock gave;
* rows into a staging table, then one INSERT ... SELECT and the trail append under the lock — the
  same stale-check problem, plus a second copy of every row; the inserts it saves are the cheap
  part (the lock's time goes to reading and checking the file);
* chaining events in a separate later step — the trail would no longer be written in the
  transaction that changes the books (books and trail could differ in between) and needs a schema
  change for events not yet chained.

Chosen: **prepare, then check and apply**. Phase 1 runs the whole pipeline (read, parse, validate,
build every row, number receipts) in one REPEATABLE READ snapshot and writes nothing; it notes the
last event of the chain that snapshot sees. Phase 2 (``db.writing``: the lock first) reads the
events committed since — every committed write is in the trail, since the books equal the trail —
and asks the kind whether any of them touches what it checked (``KindImporter.stale``). If none
does, the kept rows are written and chained: the lock covers the inserts and the trail append
only. If one does (a donor merged, a rate corrected, the same reference recorded meanwhile), the
import runs again the serial way, under the lock from its start, exactly as before. Receipt numbers
taken meanwhile are no reason to start again: the kind renumbers its own after them
(``KindImporter.rebase``). All-or-nothing holds: phase 1 writes nothing, phase 2 is one transaction.
SQLite keeps the serial way (one writing instance per file; a file's import holds the rows of a
whole file in memory here).
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trustfund_app.core.audit import row_changes
from trustfund_app.core.models import AuditEvent


class StalePreparation(Exception):
    """What a prepared import was checked against changed before it could be written."""


@contextmanager
def snapshot(db):
    """A read-only session that sees one state of the database for its whole transaction."""
    engine = db.engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


def import_prepared(db, actor, process, result, options) -> None:
    """``process(session, deferred=True)`` validates the file and returns the kind's importer with
    its writes kept; they are written under the chain lock if still valid, else StalePreparation."""
    with snapshot(db) as s:
        s.info["user"] = actor.name
        since = s.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0)))
        importer = process(s)
    if result.errors and not options.skip_invalid:
        result.committed = False
        return
    if importer.writer.log:
        with db.writing(actor.name) as w:
            importer.session = w  # anything the kind still reads, it reads under the lock
            changes = list(row_changes(w, after_seq=since))
            if importer.stale(changes):
                raise StalePreparation()
            importer.rebase(w, changes)
            importer.writer.replay(w)
            importer.check_written(w)
    result.committed = True
