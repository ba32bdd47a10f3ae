"""The import wizard as a user drives it: choose a file, see the columns it found, check, fix a
column by hand, import; problems listed by row and column; cancel leaves nothing behind."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl

from tests.core.excel_helpers import book, contributions, seed


def _open(qtbot, main_window, path):
    screen = main_window.show_screen("import")
    screen.file.setText(str(path))
    screen.load_file()
    qtbot.waitUntil(lambda: screen.layout_info is not None and screen.job is None, timeout=10000)
    return screen


def test_check_fix_mapping_and_import(qtbot, main_window, db, admin, tmp_path):
    seed(db, admin)
    path = book(tmp_path / "c.xlsx", [["Pledges received"],
                                       ["Date", "Donateur", "Nature", "Devise", "How much", "Référence"],
                                       [date(2026, 1, 5), "Germany", "pledge", "EUR", 1000, "P-1"],
                                       [date(2026, 1, 6), "Germny", "pledge", "EUR", 5, "P-2"]])
    screen = _open(qtbot, main_window, path)
    assert screen.layout_info.match.row == 2 and not screen.check_button.isEnabled()  # amount not mapped yet
    screen.set_mapping("How much", "amount")
    qtbot.waitUntil(lambda: screen.job is None and screen.check_button.isEnabled(), timeout=10000)
    screen.check_button.click()
    qtbot.waitUntil(lambda: screen.result is not None and screen.job is None, timeout=10000)
    assert screen.result.dry_run and screen.errors.rowCount() == 1
    assert screen.errors.data(screen.errors.index(0, 3)) == 'unknown donor "Germny"; did you mean "Germany"?'
    assert (screen.errors.data(screen.errors.index(0, 1)), screen.errors.data(screen.errors.index(0, 2))) == ("4", "B")
    assert "rejected 1" in screen.summary.text() and contributions(db) == []
    screen.skip_invalid.setChecked(True)
    screen.remember.setChecked(True)
    screen.commit_button.click()
    qtbot.waitUntil(lambda: screen.job is None and screen.result is not None and not screen.result.dry_run, timeout=10000)
    assert screen.result.committed and [c.reference for c in contributions(db)] == ["P-1"]
    assert "Imported" in screen.summary.text()
    screen.save_rejects(str(tmp_path / "rejects.xlsx"))
    qtbot.waitUntil(lambda: (tmp_path / "rejects.xlsx").exists(), timeout=10000)
    # the remembered mapping: the same layout is recognised without mapping "How much" again
    screen.manual = {}
    screen.load_file()
    qtbot.waitUntil(lambda: screen.job is None, timeout=10000)
    assert screen.layout_info.match.columns.get("amount") == 5


def test_cancel_leaves_the_database_unchanged(qtbot, main_window, db, admin, tmp_path):
    seed(db, admin)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Big")
    ws.append(["date", "donor", "kind", "currency", "amount", "reference"])
    for i in range(12_000):
        ws.append([date(2026, 1, 1) + timedelta(days=i % 300), "Japan", "pledge", "JPY", 100 + i, f"K-{i}"])
    wb.save(tmp_path / "big.xlsx")
    screen = _open(qtbot, main_window, tmp_path / "big.xlsx")
    screen.commit_button.click()
    qtbot.waitUntil(lambda: screen.rows_done >= 2000, timeout=20000)  # rows are flowing
    assert screen.cancel_button.isEnabled()
    screen.cancel_button.click()
    qtbot.waitUntil(lambda: screen.job is None, timeout=20000)
    assert "Cancelled" in screen.summary.text()
    assert contributions(db) == [] and screen.result is None


def test_export_of_the_current_view_keeps_filter_order_and_types(qtbot, tmp_path):
    from decimal import Decimal

    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QTableView

    from trustfund_app.core.money import Money
    from trustfund_app.gui.import_export_view import export_view
    from trustfund_app.gui.jobs import wait_for_all
    from trustfund_app.gui.table_model import SORT_ROLE, Column, RowsTableModel

    model = RowsTableModel([Column("Donor", lambda r: r[0]), Column("Date", lambda r: r[1]),
                            Column("Amount", lambda r: r[2])])
    model.set_rows([("Norway", date(2026, 1, 2), Money(Decimal("1234.50"), "EUR")),
                    ("Japan", date(2026, 2, 3), Money(Decimal("1000"), "JPY")),
                    ("Qatar", date(2026, 3, 4), Money(Decimal("5.125"), "KWD"))])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    proxy.setFilterKeyColumn(0)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterFixedString("n")  # the user filtered Qatar out
    proxy.sort(0)
    export_view(view, tmp_path / "view.xlsx", "Donors")
    wait_for_all()
    qtbot.waitUntil(lambda: (tmp_path / "view.xlsx").exists(), timeout=5000)
    ws = openpyxl.load_workbook(tmp_path / "view.xlsx").active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["Donor", "Date", "Amount"]
    assert [v[0] for v in values[1:]] == ["Japan", "Norway"]  # the view's filter and sort order
    assert values[2][1].date() == date(2026, 1, 2) and values[2][2] == 1234.5
    assert (ws["C2"].number_format, ws["C3"].number_format) == ("#,##0", "#,##0.00")  # JPY, EUR decimals
