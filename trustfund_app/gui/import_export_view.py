"""Export the current view of any list (what the table shows: its filter, its sort order, its
columns) to .xlsx with real types, for screens built on RowsTableModel + a proxy model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trustfund_app.core.i18n import _


def view_rows(view) -> tuple[list[str], list[tuple]]:
    """Headers and raw values of the rows a QTableView shows, in the order shown."""
    proxy = view.model()
    source = proxy.sourceModel() if hasattr(proxy, "sourceModel") else proxy
    columns = [(i, c) for i, c in enumerate(source.columns) if not view.isColumnHidden(i)]
    # the header as one line (on screen long ones wrap onto two)
    headers = [str(source.headerData(i, _horizontal()) or "").replace("\n", " ") for i, _c in columns]
    rows = []
    for r in range(proxy.rowCount()):
        index = proxy.mapToSource(proxy.index(r, 0)) if proxy is not source else proxy.index(r, 0)
        item = source.rows[index.row()]
        rows.append(tuple(_cell(c.value(item)) for _i, c in columns))
    return headers, rows


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _cell(value):
    from trustfund_app.core.money import Money

    if value is None or isinstance(value, (str, int, float, Decimal, date, Money)):
        return value
    return str(value)


def export_view(view, path, title: str, on_done=None, on_error=None):
    """Write the view to ``path`` in a background job (rows are collected here, on the GUI thread)."""
    from trustfund_app.core.excel.export import ExportColumn, write_table
    from trustfund_app.gui.jobs import start_job

    headers, rows = view_rows(view)
    columns = [ExportColumn(str(h), 18) for h in headers]
    return start_job(lambda _job: write_table(path, title or _("List"), columns, rows),
                     on_done=on_done, on_error=on_error)
