"""The Reports screen: generate in the background, preview with QtPdf, save; batch with progress
and Cancel."""

from __future__ import annotations

from PySide6.QtCore import QDate

from tests.core.reports_fixture import build_small_fund, pypdf_pages


def _screen(qtbot, main_window, db, admin):
    fund = build_small_fund(db, admin)
    screen = main_window.show_screen("reports")
    qtbot.waitUntil(lambda: screen.donor.count() == 7, timeout=10000)
    screen.start.setDate(QDate(2026, 1, 1))
    screen.end.setDate(QDate(2026, 12, 31))
    screen.issued.setDate(QDate(2026, 11, 28))
    return fund, screen


def test_statement_preview_and_save(qtbot, main_window, db, admin, tmp_path, monkeypatch):
    from PySide6.QtPdf import QPdfDocument

    fund, screen = _screen(qtbot, main_window, db, admin)
    screen.donor.setCurrentIndex(screen.donor.findData(fund.donors["ru"]))
    screen.preview_statement.click()
    qtbot.waitUntil(lambda: screen.pdf_bytes is not None and screen.preview_statement.isEnabled(), timeout=20000)
    assert screen.document.status() == QPdfDocument.Status.Ready
    assert screen.document.pageCount() == 2
    # a Member State by its CLDR name in the statement's language (core/donor_names.py)
    assert "Россия" in screen.document.getAllText(0).text()
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr("trustfund_app.gui.screens.reports.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "PDF (*.pdf)"))
    screen.save_button.click()
    qtbot.waitUntil(lambda: target.exists(), timeout=10000)
    assert target.read_bytes() == screen.pdf_bytes
    assert "Saved to" in screen.status.text()


def test_typed_unknown_donor_is_reported_not_crashed(qtbot, main_window, db, admin):
    _fund, screen = _screen(qtbot, main_window, db, admin)
    screen.donor.setEditText("Atlantis")
    screen.preview_statement.click()
    qtbot.waitUntil(lambda: 'unknown donor "Atlantis"' in screen.status.text(), timeout=10000)
    assert screen.pdf_bytes is None


def test_fund_report_preview(qtbot, main_window, db, admin):
    _fund, screen = _screen(qtbot, main_window, db, admin)
    screen.fund_year.setValue(2026)
    screen.fund_lang.setCurrentIndex(screen.fund_lang.findData("zh"))
    screen.preview_fund.click()
    qtbot.waitUntil(lambda: screen.pdf_bytes is not None and screen.preview_fund.isEnabled(), timeout=20000)
    assert screen.document.pageCount() >= 1
    assert "中华人民共和国" in " ".join(pypdf_pages(screen.pdf_bytes))


def test_batch_with_progress_and_cancel(qtbot, main_window, db, admin, tmp_path):
    _fund, screen = _screen(qtbot, main_window, db, admin)
    screen.batch_year.setValue(2026)
    screen.folder.setText(str(tmp_path / "all"))
    screen.batch_start.click()
    assert not screen.batch_start.isEnabled() and screen.batch_cancel.isEnabled()
    qtbot.waitUntil(lambda: screen.batch_start.isEnabled(), timeout=30000)
    assert len(list((tmp_path / "all").glob("*.pdf"))) == 7
    assert screen.progress.value() == screen.progress.maximum() == 7
    assert "7" in screen.status.text()

    screen.folder.setText(str(tmp_path / "some"))
    screen.batch_start.click()
    screen.batch_cancel.click()
    qtbot.waitUntil(lambda: screen.batch_start.isEnabled(), timeout=30000)
    assert "Cancel" in screen.status.text()
    written = list((tmp_path / "some").glob("*.pdf")) if (tmp_path / "some").exists() else []
    assert len(written) < 7
    assert not list((tmp_path / "some").glob("*.part")) if (tmp_path / "some").exists() else True
