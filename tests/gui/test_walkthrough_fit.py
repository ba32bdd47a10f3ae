"""Issue 19, point 19: at the smallest supported window, 1200 × 760, every screen and dialog fits in
each of the six languages — no text cut off, no sideways scrolling — and the dashboard's tables show
every column (the "Total" column was out of view). French, Russian and Spanish labels are a third
longer than English: rows of buttons and filters wrap, the sidebar wraps its long labels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QScrollArea, QTableView

from tests.gui.dialog_catalog import FORMS
from trustfund_app.core.i18n import LANGUAGES
from trustfund_app.gui.screens import SCREENS

WIDTH, HEIGHT = 1200, 760


def settle(qtbot) -> None:
    """The screen's data loaded and shown, and its layout redone for the new texts."""
    from trustfund_app.gui.jobs import wait_for_all

    wait_for_all()
    qtbot.wait(50)
    wait_for_all()
    qtbot.wait(50)


def cut_texts(root) -> list[str]:
    """Labels and buttons shown narrower than their text, or word-wrapped labels shown shorter
    than their lines need."""
    found = []
    for widget in root.findChildren(QLabel) + root.findChildren(QAbstractButton):
        if not widget.isVisible() or not widget.text():
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            if widget.height() < widget.heightForWidth(widget.width()):
                found.append(f"{widget.objectName() or widget.text()[:40]!r}: {widget.height()} px high of "
                             f"{widget.heightForWidth(widget.width())}")
        elif widget.width() < widget.sizeHint().width():
            found.append(f"{widget.objectName() or widget.text()[:40]!r}: {widget.width()} px of "
                         f"{widget.sizeHint().width()}")
    return found


def sideways_scrolling(root) -> list[str]:
    """Scroll areas of a screen (not its long lists) that show a horizontal scroll bar."""
    return [area.objectName() or type(area).__name__ for area in root.findChildren(QScrollArea)
            if area.isVisible() and area.horizontalScrollBar().isVisible()]


def cut_navigation(nav) -> list[str]:
    """Sidebar labels not shown whole in their row (wrapped onto two lines is fine)."""
    cut = []
    for row in range(nav.count()):
        item = nav.item(row)
        rect = nav.visualItemRect(item)
        room = rect.width() - nav.iconSize().width() - 12
        need = nav.fontMetrics().boundingRect(QRect(0, 0, room, 1000), Qt.TextFlag.TextWordWrap, item.text())
        if need.height() > rect.height() or need.width() > room:
            cut.append(item.text())
    return cut


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_screen_fits_1200_by_760(qtbot, main_window, lang):
    main_window.ctx.apply_language(lang)
    main_window.resize(WIDTH, HEIGHT)
    problems = {}
    for entry in SCREENS:
        screen = main_window.show_screen(entry.key)
        settle(qtbot)
        hint = main_window.minimumSizeHint()
        found = cut_texts(screen) + sideways_scrolling(screen)
        if hint.width() > WIDTH or hint.height() > HEIGHT:
            found.append(f"the window needs {hint.width()} × {hint.height()}")
        if found:
            problems[entry.key] = found
    assert main_window.width() == WIDTH, main_window.width()
    assert not problems, problems
    assert not cut_navigation(main_window.nav)
    assert main_window.nav.width() <= 210  # long labels wrap rather than take the screens' width


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_dialog_fits_and_shows_its_texts_whole(qtbot, main_window, lang):
    main_window.ctx.apply_language(lang)
    problems = {}
    for name, make in FORMS.items():
        dialog = make(main_window.ctx, main_window)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        hint = dialog.minimumSizeHint()
        found = cut_texts(dialog)
        if hint.width() > WIDTH or hint.height() > HEIGHT:
            found.append(f"needs {hint.width()} × {hint.height()}")
        if dialog.width() < hint.width():
            found.append(f"opens {dialog.width()} px wide of {hint.width()}")
        if found:
            problems[name] = found
        dialog.reject()
    assert not problems, problems


@pytest.fixture
def every_donor_type(db, admin):
    """Large payments from a donor of each type over three years: the widest figures table."""
    from trustfund_app.core.services.contributions import ContributionService
    from trustfund_app.core.services.dashboard import DONOR_TYPES
    from trustfund_app.core.services.donors import DonorService

    donors, contributions = DonorService(db, admin), ContributionService(db, admin)
    for n, kind in enumerate(DONOR_TYPES):
        donor = donors.create(f"Donor of type {kind}", kind, "CH", "en")
        for year in (2024, 2025, 2026):
            contributions.record_payment(donor, date(year, 3, 1), Decimal("1260553.99") + n, "USD")


def columns_out_of_view(table: QTableView) -> list[str]:
    header = table.horizontalHeader()
    model = table.model()
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(header.count())
            if not table.isColumnHidden(c)
            and not 0 <= header.sectionViewportPosition(c) <= header.sectionViewportPosition(c) + header.sectionSize(c)
            <= table.viewport().width()]


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru", "ar"])
def test_dashboard_tables_show_every_column_at_1200(qtbot, main_window, every_donor_type, lang):
    from PySide6.QtCore import QDate

    main_window.ctx.apply_language(lang)
    main_window.resize(WIDTH, HEIGHT)
    screen = main_window.show_screen("dashboard")
    screen.as_of.setDate(QDate(2026, 12, 31))
    qtbot.waitUntil(lambda: screen.data is not None and screen.data.as_of == date(2026, 12, 31), timeout=15000)
    qtbot.wait(50)
    contributions = screen.panel("contributions").table
    shown = [c for c in range(contributions.model().columnCount()) if not contributions.isColumnHidden(c)]
    assert len(shown) == 9  # the year, seven donor types, the total
    problems = {table.objectName(): columns_out_of_view(table)
                for table in screen.findChildren(QTableView) if table.isVisible() and columns_out_of_view(table)}
    assert not problems, problems
    assert not [a.objectName() for a in screen.findChildren(QAbstractScrollArea)
                if a.isVisible() and a.horizontalScrollBar().isVisible()]
