"""Issue 19, point 1: one date style per language in pickers, lists and labels; typed ISO dates."""

from __future__ import annotations

from datetime import date

import pytest

from trustfund_app.core.i18n import LANGUAGES, format_date


@pytest.mark.parametrize("lang", LANGUAGES)
def test_date_picker_shows_the_language_style_and_takes_it_and_iso_typed(main_window, qtbot, lang):
    from trustfund_app.gui.dates import DateEdit

    main_window.ctx.apply_language(lang)
    edit = DateEdit(date(2026, 12, 4), "probe", main_window)
    assert edit.text() == format_date(date(2026, 12, 4), lang)
    edit.lineEdit().setText("2025-03-07")
    edit.interpretText()
    assert edit.value() == date(2025, 3, 7)
    edit.lineEdit().setText(format_date(date(2024, 5, 9), lang))
    edit.interpretText()
    assert edit.value() == date(2024, 5, 9)


def test_pickers_follow_a_language_switch_and_come_back(main_window, qtbot):
    dashboard = main_window.show_screen("dashboard")
    dashboard.as_of.setDate(date(2026, 1, 31))
    for lang in ("ar", "zh", "ru", "en"):
        main_window.ctx.apply_language(lang)
        assert dashboard.as_of.text() == format_date(date(2026, 1, 31), lang)
    assert dashboard.as_of.text() == "Jan 31, 2026"
