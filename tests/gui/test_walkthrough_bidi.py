"""Issue 19, point 2: embedded runs isolated in right-to-left text."""

from __future__ import annotations

from datetime import date


def test_settings_sample_isolates_amount_and_date_in_arabic(qtbot, main_window):
    from trustfund_app.core.i18n import format_amount, format_date

    settings = main_window.show_screen("settings")
    main_window.ctx.apply_language("ar")
    text = settings.formats.text()
    from decimal import Decimal

    with_lang = {"lang": "ar"}
    assert f"\u2068{format_amount(Decimal('1234567.89'), 'USD', **with_lang)}\u2069" in text
    assert f"\u2068{format_date(date.today(), **with_lang)}\u2069" in text
    main_window.ctx.apply_language("en")
    assert "\u2068" not in settings.formats.text()


def test_latin_names_in_right_to_left_cells_are_isolated(qtbot, main_window):
    from trustfund_app.gui.table_model import Column, RowsTableModel

    model = RowsTableModel([Column("Name", lambda r: r), Column("Amount", lambda r: "1,000.00", numeric=True)])
    model.set_rows(["Anti-Trafficking Bosnia & Herzegovina", "مؤسسة النور"])
    main_window.ctx.apply_language("ar")
    assert model.index(0, 0).data() == "\u2068Anti-Trafficking Bosnia & Herzegovina\u2069"
    assert model.index(1, 0).data() == "مؤسسة النور"  # already right-to-left
    assert model.index(0, 1).data() == "1,000.00"
    main_window.ctx.apply_language("en")
    assert model.index(0, 0).data() == "Anti-Trafficking Bosnia & Herzegovina"
