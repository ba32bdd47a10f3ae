"""Six languages at run time: the window re-translates without a restart, Arabic turns the layout
right-to-left, Qt's own buttons follow, and the shipped fonts draw Chinese and Arabic."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from trustfund_app.core.i18n import LANGUAGES, _, use_language
from trustfund_app.gui.context import AppContext
from trustfund_app.gui.screens import SCREENS

# Qt's own qtbase_*.qm wording
STOCK_CANCEL = {"ar": "ألغِ", "zh": "取消", "en": "Cancel", "fr": "Annuler", "ru": "Отмена", "es": "Cancelar"}


@pytest.fixture
def remembered(tmp_path, monkeypatch):
    """Remembered choices go to a temp file, never the developer's own settings."""
    path = str(tmp_path / "qsettings.ini")
    monkeypatch.setattr(AppContext, "settings", lambda self: QSettings(path, QSettings.Format.IniFormat))
    return path


def visible_texts(window) -> dict[str, object]:
    settings = window.show_screen("settings")
    header = settings.users.table.model()
    return {
        "title": window.windowTitle(),
        "menus": [action.text() for action in window.menuBar().actions()],
        "navigation": [window.nav.item(row).text() for row in range(window.nav.count())],
        "headers": [header.headerData(c, Qt.Orientation.Horizontal) for c in range(header.columnCount())],
        "settings": [settings.title.text(), settings.save_button.text(), settings.language_group.title()],
    }


def test_every_language_retranslates_the_whole_window(main_window, qtbot, remembered):
    english = visible_texts(main_window)
    seen = {}
    for lang in LANGUAGES:
        main_window.ctx.apply_language(lang, remember=True)
        texts = visible_texts(main_window)
        seen[lang] = texts
        if lang == "en":
            assert texts == english
            continue
        assert texts["title"] != english["title"], lang
        # every entry shows the catalog's translation; words that are the same in both languages
        # (French "Contributions") are allowed, but most of each part must have changed
        with use_language(lang):
            assert texts["navigation"] == [_(entry.label) for entry in SCREENS]
            assert {_("&File"), _("&Language"), _("&Help")} <= set(texts["menus"])
        for part in ("menus", "navigation", "headers", "settings"):
            unchanged = [e for e, t in zip(english[part], texts[part]) if e == t]
            assert len(unchanged) <= len(english[part]) // 5, f"{lang}: {part} still in English: {unchanged}"
    assert seen["fr"]["navigation"] != seen["es"]["navigation"]
    assert "Paramètres" in seen["fr"]["navigation"] and "Настройки" in seen["ru"]["navigation"]
    assert AppContext().saved_language() == "es"  # the last choice, remembered


def test_arabic_lays_the_window_out_right_to_left(main_window, qtbot, remembered):
    settings = main_window.show_screen("settings")
    main_window.ctx.apply_language("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for widget in (main_window, main_window.nav, settings, settings.users.table, settings.editors["fund_name"]):
        assert widget.layoutDirection() == Qt.LayoutDirection.RightToLeft, widget

    def left_edge(widget):
        return widget.mapTo(main_window, widget.rect().topLeft()).x()

    # the navigation moves to the right-hand side, the screen to the left
    qtbot.waitUntil(lambda: left_edge(main_window.nav) > left_edge(settings), timeout=3000)
    main_window.ctx.apply_language("fr")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert main_window.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.parametrize("lang", LANGUAGES)
def test_qt_stock_buttons_follow_the_language(main_window, lang):
    main_window.ctx.apply_language(lang)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
    assert cancel == STOCK_CANCEL[lang]


def test_settings_language_picker_switches_and_remembers(main_window, qtbot, remembered):
    settings = main_window.show_screen("settings")
    picker = settings.language
    picker.setCurrentIndex(picker.findData("zh"))
    picker.activated.emit(picker.currentIndex())
    assert main_window.ctx.language == "zh"
    assert settings.title.text() != "Settings"
    assert AppContext().saved_language() == "zh"
    # switching from the menu keeps the picker in step
    main_window.language_actions["ru"].trigger()
    assert picker.currentData() == "ru"


FONT_PROBE = textwrap.dedent(
    """
    import os, sys, tempfile
    folder = tempfile.mkdtemp()
    # an empty fontconfig: the machine has no fonts at all, as on a bare desktop or CI box
    with open(os.path.join(folder, "fonts.conf"), "w") as f:
        f.write(f"<?xml version='1.0'?><fontconfig><dir>{folder}/none</dir><cachedir>{folder}/cache</cachedir></fontconfig>")
    os.environ["FONTCONFIG_FILE"] = os.path.join(folder, "fonts.conf")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QRawFont
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    before = set(QFontDatabase.families())
    from trustfund_app.gui.fonts import apply_app_font, register_fonts
    apply_app_font(app)

    def picture(text):
        image = QImage(400, 60, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(app.font())
        painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        return image

    missing = picture("\\ue000\\ue001\\ue002\\ue003")  # private-use code points: boxes or nothing
    families = register_fonts()
    print("BEFORE", sorted(before & {"Amiri", "WenQuanYi Micro Hei", "Noto Sans"}))
    print("FAMILIES", sorted(families))
    print("RAW", QRawFont.fromFont(QFont("WenQuanYi Micro Hei")).supportsCharacter(ord("信")),
          QRawFont.fromFont(QFont("Amiri")).supportsCharacter(ord("ع")))
    for text in ("信托基金", "الصندوق", "Целевой фонд"):
        print("DRAWN", text, picture(text) != missing and picture(text) != picture(""))
    """
)


def test_shipped_fonts_draw_chinese_and_arabic_without_system_fonts():
    out = subprocess.run([sys.executable, "-c", FONT_PROBE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
    assert lines["BEFORE"] == "[]", "the probe should start without these fonts"
    assert {"Amiri", "Noto Sans", "WenQuanYi Micro Hei"} <= set(eval(lines["FAMILIES"]))
    assert lines["RAW"] == "True True"
    drawn = [line for line in out.stdout.splitlines() if line.startswith("DRAWN")]
    assert drawn and all(line.endswith("True") for line in drawn), drawn


def test_numbers_and_dates_in_open_screens_follow_the_language(main_window, qtbot):
    from datetime import date

    from PySide6.QtCore import QLocale

    from trustfund_app.core.i18n import format_date

    settings = main_window.show_screen("settings")
    qtbot.waitUntil(lambda: bool(settings.stored), timeout=10000)
    dashboard = main_window.show_screen("dashboard")
    dashboard.as_of.setDate(date(2026, 11, 28))
    assert settings.editors["import_max_rows"].text() == "1,000,000"
    main_window.ctx.apply_language("fr")
    french = QLocale("fr")
    assert settings.editors["import_max_rows"].text() == french.toString(1000000)
    # the picker shows the language's one date style (core/i18n.py format_date), four-digit year
    assert dashboard.as_of.text() == format_date(date(2026, 11, 28), "fr") == "28 nov. 2026"
    # and the navigation shows its labels whole in every language (a long one on two lines)
    from tests.gui.test_walkthrough_fit import cut_navigation

    for lang in LANGUAGES:
        main_window.ctx.apply_language(lang)
        assert not cut_navigation(main_window.nav), lang


def test_arabic_amounts_keep_their_currency_symbol_readable(qapp):
    """In a right-to-left line "US$" must not be drawn as "$US" (nor "JP¥" as "¥JP")."""
    from decimal import Decimal

    from PySide6.QtGui import QTextLayout, QTextOption

    from trustfund_app.core.i18n import format_amount

    for currency, letter, symbol in (("USD", "U", "$"), ("JPY", "J", "¥")):
        text = "المبلغ: " + format_amount(Decimal("30000"), currency, "ar")
        layout = QTextLayout(text, QApplication.font())
        option = QTextOption()
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        layout.setTextOption(option)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1000)
        layout.endLayout()
        # cursor after the first letter and before the symbol: left to right when read "US$"
        x_letter = line.cursorToX(text.index(letter) + 1)[0]
        x_symbol = line.cursorToX(text.index(symbol))[0]
        assert x_letter < x_symbol, (currency, x_letter, x_symbol)


def test_arabic_widgets_use_the_same_digits_as_amounts(main_window, qtbot):
    from trustfund_app.core.i18n import format_number

    settings = main_window.show_screen("settings")
    qtbot.waitUntil(lambda: bool(settings.stored), timeout=10000)
    main_window.ctx.apply_language("ar")
    assert settings.editors["import_max_rows"].text() == format_number(1000000, "ar") == "1,000,000"


def test_date_edits_keep_their_format_after_a_right_to_left_round_trip(main_window, qtbot):
    """Qt mirrors date sections for right-to-left; back in French an ISO date must read ISO again."""
    from datetime import date

    from PySide6.QtWidgets import QDateEdit

    iso = QDateEdit(date(2026, 1, 31), main_window)
    iso.setDisplayFormat("yyyy-MM-dd")
    for lang in ("ar", "fr", "ar", "ru"):
        main_window.ctx.apply_language(lang)
        assert iso.date().toPython() == date(2026, 1, 31)
    assert iso.displayFormat() == "yyyy-MM-dd"
    assert iso.text() == "2026-01-31"


def test_every_table_header_and_screen_name_is_in_the_catalogs():
    """Headers are msgids translated when shown; one typed without N_() would never be extracted
    and would stay English in every language."""
    import importlib
    import pkgutil

    import trustfund_app.gui
    from trustfund_app import i18n_tools
    from trustfund_app.gui.table_model import Column

    template = {(m.context, m.id) for m in i18n_tools._entries(i18n_tools.read_catalog(i18n_tools.TEMPLATE))
                if isinstance(m.id, str)}
    wanted = {(None, entry.label) for entry in SCREENS}
    for info in pkgutil.walk_packages(trustfund_app.gui.__path__, "trustfund_app.gui."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            items = value if isinstance(value, (tuple, list)) else (value,)
            for item in items:
                if isinstance(item, Column):
                    wanted.add((item.context, item.header))
                elif name.endswith("COLUMNS") and isinstance(item, tuple) and item and isinstance(item[0], str):
                    wanted.add((None, item[0]))
    missing = sorted(wanted - template, key=str)
    assert not missing, f"headers not marked for translation (wrap them in N_()): {missing}"


def _visible_texts(window) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget, QTableView

    texts = [window.windowTitle()]
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisible():
            texts.append(widget.text())
    for box in window.findChildren(QGroupBox):
        if box.isVisible():
            texts.append(box.title())
    for tabs in window.findChildren(QTabWidget):
        if tabs.isVisible():
            texts += [tabs.tabText(i) for i in range(tabs.count())]
    for view in window.findChildren(QTableView):
        model = view.model()
        if view.isVisible() and model is not None:
            texts += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    return texts


def test_no_screen_keeps_text_of_the_previous_language(main_window, qtbot):
    """Every screen visited in Arabic, then the switch to French: no Arabic left anywhere
    (labels filled when data arrived, like "{shown} of {total} donors", must follow too)."""
    import re

    from trustfund_app.gui.jobs import wait_for_all

    arabic = re.compile("[\u0600-\u06ff]")
    main_window.ctx.apply_language("ar")
    for entry in SCREENS:
        main_window.show_screen(entry.key)
        wait_for_all(10000)
        qtbot.wait(50)
    main_window.ctx.apply_language("fr")
    for entry in SCREENS:
        main_window.show_screen(entry.key)
        qtbot.wait(20)
        left = [t for t in _visible_texts(main_window) if arabic.search(t)]
        assert not left, f"{entry.key}: {left}"
