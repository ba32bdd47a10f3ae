"""Issue 19, point 16: an import says how it read a value it normalised ("EURO" as EUR)."""

from __future__ import annotations

from datetime import date

from tests.core.excel_helpers import book, run, seed


def _file(tmp_path):
    return book(tmp_path / "c.xlsx", [["Date", "Donor", "Kind", "Currency", "Amount", "Reference"],
                                      [date(2026, 1, 5), "Germany", "pledge", "EURO", 1000, "P-1"],
                                      [date(2026, 1, 6), "Japan", "Annonce", "eur", 5, "P-2"],
                                      [date(2026, 1, 7), "Japan", "pledge", "euro", 6, "P-3"],
                                      [date(2026, 1, 8), "Japan", "pledge", "EUR", 7, "P-4"]])


def test_the_dry_run_notes_each_normalised_value_once_with_its_rows(db, admin, tmp_path):
    seed(db, admin)
    result = run(db, admin, "contributions", _file(tmp_path), dry_run=True)
    assert result.notes == ['Currency "EURO" was read as EUR (row 2)', 'Kind "Annonce" was read as Pledge (row 3)',
                            'Currency "euro" was read as EUR (row 4)']  # "eur" and "EUR" are the code itself


def test_the_wizard_preview_shows_the_notices(qtbot, main_window, db, admin, tmp_path):
    seed(db, admin)
    screen = main_window.show_screen("import")
    screen.file.setText(str(_file(tmp_path)))
    screen.load_file()
    qtbot.waitUntil(lambda: screen.layout_info is not None and screen.job is None, timeout=10000)
    screen.check_button.click()
    qtbot.waitUntil(lambda: screen.result is not None and screen.job is None, timeout=10000)
    assert 'Currency "EURO" was read as EUR (row 2)' in screen.notes.text()
    assert screen.notes.isVisibleTo(screen)
