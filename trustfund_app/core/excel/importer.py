"""The import pipeline shared by the command line and the GUI wizard:
file → sheet → header row and column mapping → every row validated → one transaction.

Default is all-or-nothing: while any row is invalid nothing is committed (the transaction is rolled
back). ``skip_invalid`` commits the valid rows and reports the others. ``dry_run`` validates in a
read-only session and writes nothing. Every problem is a RowError (sheet, row, column, message).
"""

from __future__ import annotations

import gc
import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Callable

from openpyxl.utils import get_column_letter

from trustfund_app.core.background_writer import background_inserts
from trustfund_app.core.errors import TrustFundError, ValidationError
from trustfund_app.core.excel.commit import BulkWriter, stamp_now
from trustfund_app.core.excel.headers import (
    HEADER_SCAN_ROWS, KIND_FIELDS, HeaderMatch, check_kind, detect_header, load_mapping,
)
from trustfund_app.core.excel.kinds import importer_class
from trustfund_app.core.excel.kinds.base import INSERTED, UNCHANGED, UPDATED
from trustfund_app.core.excel.kinds.contribution_cells import cell_preparer
from trustfund_app.core.excel.parallel_read import prepared_rows, rows_in_background
from trustfund_app.core.excel.reader import FileRejected, Limits, open_workbook
from trustfund_app.core.i18n import _

PROGRESS_EVERY = 2000


MAX_MESSAGE = 240  # characters of one error line's message: a 1 MB cell is not echoed whole


def readable(message: str) -> str:
    """One line of readable length: a cell's text quoted in a message may be a megabyte, or hold
    line breaks that would split the ``FILE: SHEET!CELL: message`` line."""
    message = " ".join(message.split())
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1] + "…"


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str  # column letter ("" for the file as a whole)
    message: str

    def as_json(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def line(self, file: str) -> str:
        """``FILE: SHEET!CELL: message`` as CLI.md fixes it."""
        return f"{file}: {self.sheet}!{self.column}{self.row}: {self.message}"


@dataclass
class ImportResult:
    kind: str
    file: str
    sheet: str = ""
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    ignored: list[str] = field(default_factory=list)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    committed: bool = False
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected_rows: list[tuple[int, dict, str]] = field(default_factory=list)  # (row, cells, message)
    headers: dict[int, str] = field(default_factory=dict)  # column -> header text (rejects workbook)
    layout: str = ""

    def as_json(self) -> dict:
        return {"kind": self.kind, "file": self.file, "rows": self.rows, "inserted": self.inserted,
                "updated": self.updated, "unchanged": self.unchanged, "rejected": self.rejected,
                "committed": self.committed, "errors": [e.as_json() for e in self.errors]}


class ImportCancelled(TrustFundError):
    pass


class _Rollback(Exception):
    """Leaves the write transaction without committing (invalid rows in all-or-nothing mode)."""


@dataclass
class ImportOptions:
    sheet: str | None = None
    mapping: dict[str, str] | None = None  # header key -> field, made by hand
    dry_run: bool = False
    skip_invalid: bool = False
    progress: Callable[[int, int], None] | None = None  # (rows done, rows expected or 0)
    cancelled: Callable[[], bool] | None = None
    parallel_read: bool = True  # parse the sheet in a second process (see parallel_read.rows_in_background)
    parallel_min_bytes: int | None = None  # ... for files of at least this size (None: the reader's default)
    # rare garbage collections during the import (see _few_collections): a process-wide setting, so
    # only for processes that do nothing else meanwhile (the command line), never the GUI's
    few_collections: bool = False
    accept_rate_jumps: bool = False  # rates: take rates more than 50 % away from the previous one
    # PostgreSQL: check and build every row before taking the audit chain's lock (excel/prepared.py),
    # so that other users' writes do not wait for the whole import
    prepared: bool = True
    # SQLite: each chunk's insert runs on a second thread while this one checks the next rows
    # (core/background_writer.py); None: when the machine has a core to spare
    background_inserts: bool | None = None


def run_import(db, actor, kind: str, path, options: ImportOptions | None = None) -> ImportResult:
    """Import ``path`` as ``kind`` for ``actor``. Raises FileRejected for an unreadable file;
    row problems are returned in the result."""
    options = options or ImportOptions()
    check_kind(kind)
    cls = importer_class(kind)
    if not options.dry_run:
        for permission in cls.permissions:
            actor.require(permission)
    path = Path(path)
    result = ImportResult(kind, path.name, dry_run=options.dry_run)
    with db.reading() as s:
        limits = Limits.from_settings(s)
    workbook = open_workbook(path, limits)
    rows, again = None, False
    try:
        result.sheet = sheet = workbook.check_sheet(options.sheet)
        rows = workbook.rows(sheet)  # the first rows here, to find the header before reading on
        head = [r for _i, r in zip(range(HEADER_SCAN_ROWS), rows)]
        with db.reading() as s:
            match = detect_header(kind, head, options.mapping, lambda key: load_mapping(s, key))
        if match is None:
            raise FileRejected(_("{file}: sheet {sheet} has no header row naming the {kind} columns ({columns})")
                               .format(file=path.name, sheet=sheet, kind=kind,
                                       columns=", ".join(f for f, _r in KIND_FIELDS[kind])))
        missing = match.missing(kind)
        if missing:
            raise FileRejected(_("{file}: sheet {sheet} has no column for {fields} (headers found: {headers}); "
                                 "map one with --map 'HEADER=field'").format(
                file=path.name, sheet=sheet, fields=", ".join(missing), headers=", ".join(match.headers.values())))
        _describe(result, match)
        if options.parallel_read:
            rows.close()
            rows = rows_in_background(workbook, sheet, match.row, kind, match.columns, options.parallel_min_bytes,
                                      cell_preparer(kind))
            data = rows
        else:
            data = prepared_rows(chain(head, rows), match.row, cell_preparer(kind), match.columns)
        total = _expected_rows(workbook, sheet)
        if options.dry_run:
            with db.reading() as s:
                _process(s, cls, match, data, result, options, total, writing=False)
        elif options.prepared and db.engine.dialect.name == "postgresql":
            from trustfund_app.core.excel import prepared

            try:
                prepared.import_prepared(db, actor, lambda s: _process(
                    s, cls, match, data, result, options, total, writing=True, deferred=True), result, options)
            except prepared.StalePreparation:
                again = True  # what the file was checked against changed meanwhile: again, the serial way
        else:
            try:
                with db.writing(actor.name) as s:
                    _process(s, cls, match, data, result, options, total, writing=True)
                    if result.errors and not options.skip_invalid:
                        raise _Rollback()
                    result.committed = True
            except _Rollback:
                result.committed = False
    finally:
        if hasattr(rows, "close"):
            rows.close()  # stops a reading process still running (cancel, rejected file)
        workbook.close()
    if again:
        return run_import(db, actor, kind, path, replace(options, prepared=False))
    if result.committed and (result.inserted or result.updated):
        from trustfund_app.core.changes import ChangeSet, publish

        entity = {"donors": "donor", "contributions": "contribution", "grants": "grant", "rates": "exchange_rate"}[kind]
        publish(ChangeSet(entity, "import"))
    return result


@dataclass
class FileLayout:
    """What the wizard shows before importing: the sheets, the one chosen, its header row."""

    sheets: list  # SheetInfo
    sheet: str
    match: HeaderMatch | None


def inspect_file(db, kind: str, path, sheet: str | None = None, mapping: dict[str, str] | None = None) -> FileLayout:
    """Sheets and detected header of a file (reads only the first rows)."""
    check_kind(kind)
    with db.reading() as s:
        limits = Limits.from_settings(s)
    workbook = open_workbook(path, limits)
    try:
        chosen = workbook.check_sheet(sheet)
        head = [r for _i, r in zip(range(HEADER_SCAN_ROWS), workbook.rows(chosen))]
        with db.reading() as s:
            match = detect_header(kind, head, mapping, lambda key: load_mapping(s, key))
        return FileLayout(workbook.sheets(), chosen, match)
    finally:
        workbook.close()


def _describe(result: ImportResult, match: HeaderMatch) -> None:
    result.header_row = match.row
    result.headers = dict(match.headers)
    result.columns = {name: match.headers[c] for name, c in match.columns.items()}
    result.ignored = list(match.ignored)
    result.layout = match.layout


def _expected_rows(workbook, sheet: str) -> int:
    ws = getattr(workbook, "_wb", None)
    try:
        return int(ws[sheet].max_row or 0) if hasattr(ws, "worksheets") else 0
    except Exception:  # noqa: BLE001 — only an estimate for the progress bar
        return 0


IMPORT_CACHE_KIB = 32 * 1024  # SQLite page cache while importing (the default 2 MB thrashes on big files)


@contextmanager
def _few_collections():
    """Python's cycle collector rescans every live object each time enough new ones pile up; an
    import keeps hundreds of thousands (the keys of the rows already seen, the rows of a chunk),
    and those rescans cost as much as the inserts themselves. Import state has no reference
    cycles, so for the import's duration collections are made rare; the previous thresholds come
    back afterwards (and are shared by every thread: one import runs at a time)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), max(before[1], 20), max(before[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _process(session, cls, match: HeaderMatch, data, result: ImportResult, options: ImportOptions, total: int,
             writing: bool, deferred: bool = False):
    """Validate every row and stage its write; returns the kind's importer (its writer holds what a
    ``deferred`` run kept instead of writing)."""
    with _few_collections() if options.few_collections else nullcontext():
        return _process_tuned(session, cls, match, data, result, options, total, writing, deferred)


def _process_tuned(session, cls, match: HeaderMatch, data, result: ImportResult, options: ImportOptions,
                   total: int, writing: bool, deferred: bool = False):
    if writing and session.get_bind().dialect.name == "sqlite":
        # rows land at random places of the UUID-keyed indexes: with the default cache every insert
        # rereads pages and the import slows down as the tables grow
        session.connection().exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        try:
            with background_inserts(session, options.background_inserts):
                return _process_rows(session, cls, match, data, result, options, total, writing)
        finally:
            session.connection().exec_driver_sql("PRAGMA cache_size=-2000")
    return _process_rows(session, cls, match, data, result, options, total, writing, deferred)


def _process_rows(session, cls, match: HeaderMatch, data, result: ImportResult, options: ImportOptions, total: int,
                  writing: bool, deferred: bool = False):
    stamp_now()
    batch = uuid.uuid4().hex
    writer = BulkWriter(session, cls.models, enabled=writing, grouped=cls.grouped, batch=batch, deferred=deferred)
    importer = cls(session, writer, batch)
    importer.options = options
    columns = list(match.columns.items())
    letters = {name: get_column_letter(c) for name, c in columns}
    first_letter = get_column_letter(min(match.columns.values()))
    counts = {INSERTED: 0, UPDATED: 0, UNCHANGED: 0}
    for number, cells, prepared in data:
        values = {name: cells.get(c) for name, c in columns}
        if all(v is None for v in values.values()):
            continue  # something outside our columns only (a total row's label, a stray note)
        result.rows += 1
        try:
            counts[importer.check(number, values, prepared)] += 1
        except ValidationError as exc:
            problems = getattr(exc, "problems", [exc])
            for problem in problems:
                letter = letters.get(problem.field or "", first_letter)
                result.errors.append(RowError(result.sheet, number, letter, readable(problem.message)))
            result.rejected_rows.append((number, cells, "; ".join(p.message for p in problems)))
            if not options.skip_invalid and writer.enabled:
                writer.disable()  # nothing will be committed: stop writing, keep validating
        if result.rows % PROGRESS_EVERY == 0:
            if options.cancelled and options.cancelled():
                raise ImportCancelled(_("the import was cancelled; nothing was changed"))
            if options.progress:
                options.progress(number, total)
    if result.rows == 0:
        raise FileRejected(_("{file}: sheet {sheet} has no rows below the header (row {row})").format(
            file=result.file, sheet=result.sheet, row=match.row))
    if not result.errors or options.skip_invalid:
        importer.finish()
    result.inserted, result.updated, result.unchanged = counts[INSERTED], counts[UPDATED], counts[UNCHANGED]
    result.rejected = len(result.rejected_rows)
    result.notes = importer.normalisation_notes() + list(importer.notes)
    if options.progress:
        options.progress(total or result.rows, total or result.rows)
    return importer
