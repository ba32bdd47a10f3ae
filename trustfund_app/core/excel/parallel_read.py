"""Rows of a sheet made ready for the importer, read in a second process when the file is large
enough for that to pay (``rows_in_background``) or in this one (``prepared_rows``, the plain path
the benchmark and the equivalence tests compare it with). The child's side is ``read_worker``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Iterator

from trustfund_app.core.excel.reader import FileRejected, Workbook, XlsxWorkbook
from trustfund_app.core.i18n import _

PARALLEL_MIN_BYTES = 1024 * 1024  # below this, starting a process costs more than it saves


def prepared_rows(rows: Iterator[tuple[int, dict]], after_row: int, prepare: Callable[[dict], object] | None,
                  columns: dict[str, int]) -> Iterator[tuple[int, dict, object]]:
    """``(row number, cells, prepared)`` for the rows below ``after_row`` (the header);
    ``prepared`` is what ``prepare`` (the kind's cell preparer, ``kinds.cell_preparer``) makes of
    the row's cells by field name, or None."""
    fields = tuple(columns.items())
    for number, cells in rows:
        if number <= after_row:
            continue
        yield number, cells, None if prepare is None else prepare({name: cells.get(c) for name, c in fields})


def rows_in_background(workbook: Workbook, sheet: str, after_row: int = 0, kind: str | None = None,
                       columns: dict[str, int] | None = None, min_bytes: int | None = None,
                       prepare: Callable[[dict], object] | None = None) -> Iterator[tuple[int, dict, object]]:
    """``prepared_rows`` of ``sheet``, made by a child process while this one validates and writes.

    Parsing the sheet XML is most of an import's time and Python runs one thread at a time; a
    second process uses the second core, and also parses the cells that need no database. Batches
    travel through a pipe whose small buffer holds the child back when we fall behind, so memory
    stays bounded. If this process dies, the child's
    next write fails and it exits; when the consumer stops early, the child is killed. The child is
    ``python -m trustfund_app.core.excel.read_worker`` (not multiprocessing, which would re-run the
    caller's main module); in the packaged app, the app itself with ``--read-worker``. Files under
    ``min_bytes`` are read in this process: starting a process would cost more than it saves.
    The child finds ``kind``'s cell preparer itself; ``prepare`` is the same one, for rows read here.
    """
    columns = columns or {}
    min_bytes = PARALLEL_MIN_BYTES if min_bytes is None else min_bytes
    if workbook.path.stat().st_size < min_bytes or not isinstance(workbook, XlsxWorkbook):
        yield from prepared_rows(workbook.rows(sheet), after_row, prepare, columns)
        return
    import json
    import pickle
    import subprocess
    from dataclasses import asdict

    from trustfund_app.core.i18n import current_language

    order = json.dumps({"path": str(workbook.path), "sheet": sheet, "lang": current_language(),
                        "limits": asdict(workbook.limits), "after_row": after_row, "kind": kind,
                        "columns": columns})
    import os

    import trustfund_app

    # the child must import this very copy of the application
    root = str(Path(trustfund_app.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    try:
        command = ([sys.executable, "--read-worker", order] if getattr(sys, "frozen", False)
                   else [sys.executable, "-m", "trustfund_app.core.excel.read_worker", order])
        child = subprocess.Popen(command, env=env,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        yield from prepared_rows(workbook.rows(sheet), after_row, prepare, columns)
        return
    try:
        while True:
            try:
                message = pickle.load(child.stdout)  # our own child's output, never the user's file
            except (EOFError, pickle.UnpicklingError):
                raise FileRejected(_("{file}: the workbook cannot be read (the reading process stopped)")
                                   .format(file=workbook.path.name))
            if message[0] == "rows":
                yield from message[1]
            elif message[0] == "end":
                return
            else:
                raise FileRejected(message[1])
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.wait()
