"""The rejected rows of an import as a workbook: the original header and cells of each rejected row
plus an "error" column saying what is wrong. Fix the cells, delete nothing else, import it again
(the "error" column is ignored by the importer)."""

from __future__ import annotations

from pathlib import Path

from trustfund_app.core.i18n import _


def write_rejects(result, path) -> Path:
    """Save ``result.rejected_rows`` (an ImportResult) to ``path`` (.xlsx)."""
    import openpyxl

    from trustfund_app.core.excel.no_cached_value import NO_CACHED_VALUE

    path = Path(path)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(result.sheet[:31] or "Sheet1")
    columns = sorted(result.headers)
    ws.append([result.headers[c] for c in columns] + [_("error")])
    ws.freeze_panes = "A2"
    for _number, cells, message in result.rejected_rows:
        values = [cells.get(c) for c in columns]
        ws.append([None if v is NO_CACHED_VALUE else v for v in values] + [message])
    wb.save(path)
    return path
