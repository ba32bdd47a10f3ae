"""Donor statements read back from the PDF: labels, names, exact amounts, fonts, determinism."""

from __future__ import annotations

import re
from types import SimpleNamespace
from datetime import date
from decimal import Decimal

import pytest

from tests.core.reports_fixture import (
    DONORS, ISSUED, PERIOD, arabic_words, build_small_fund, normalize, pdf_fonts, poppler_text, pypdf_pages,
)
from trustfund_app.core.donor_names import donor_display_name
from trustfund_app.core.i18n import LANGUAGES, _, format_amount, format_date, use_language
from trustfund_app.core.reports import render_statement


@pytest.fixture
def fund(db, admin):
    return build_small_fund(db, admin, demo=True)


def _statement(db, donor, lang=None, **kw):
    return render_statement(db, donor, PERIOD[0], PERIOD[1], lang=lang, issued=ISSUED, **kw)


def _expected(lang: str) -> dict[str, list[str]]:
    """What each statement must say, computed from the same catalogs and babel formats."""
    with use_language(lang):
        usd = lambda v: format_amount(Decimal(v), "USD")  # noqa: E731
        return {
            "labels": [_("Donor statement"), _("Pledges and payments in the period"), _("Contributions received"),
                       _("Outstanding pledges at {date}").format(date=format_date(PERIOD[1])),
                       _("Your giving by year (United States dollars)"), _("Women · girls · men · boys")],
            "amounts": [
                usd("100000.00"),  # 92,000 EUR at 0.92
                format_amount(Decimal("92000"), "EUR"),
                format_amount(Decimal("1500000"), "JPY"),
                usd("250000.50"),
                usd("350000.50"),  # received in the period
                usd("567391.80"),  # received since inception: 217,391.30 + 350,000.50
                format_amount(Decimal("208000"), "EUR"),  # outstanding on the 2025 pledge
                usd("226086.96"),  # 208,000 EUR at 0.92 on 31 Dec 2026
                usd("236053.74"),  # + 1,500,000 JPY at 150.5
                usd("80000.00"),  # grants approved in the period
            ],
            "footer": [_("Page {page} of {pages}").format(page=1, pages=2)],
        }


def test_statement_in_each_language_has_its_labels_the_donor_and_exact_amounts(db, fund, tmp_path):
    for lang in LANGUAGES:
        pdf = _statement(db, fund.donors[lang])
        # pdftotext reorders right-to-left runs (logical order); pypdf is enough for the others
        text = poppler_text(pdf, tmp_path) if lang == "ar" else " ".join(pypdf_pages(pdf))
        want = _expected(lang)
        registry_name, kind, country, address = DONORS[lang]
        # the donor's name in the statement's language: Member States by CLDR's territory name
        name = donor_display_name(SimpleNamespace(name=registry_name, type=kind, country=country), lang)
        if lang == "ar":
            assert arabic_words(name)[0] in arabic_words(text)
        else:
            assert normalize(name) in text, lang
        for item in want["amounts"]:
            assert normalize(item) in text, (lang, item)
        for item in want["labels"] + want["footer"]:
            if lang == "ar":
                # until the Arabic catalog exists these labels mix English and Arabic dates, whose
                # run order is the bidi engine's: check every word (the next test checks order)
                # run order is the bidi engine's: check every word (the next test checks order); an
                # Arabic date (dd/MM/yyyy with right-to-left marks) reads back in visual order, so by
                # its numbers
                for word in normalize(item).split():
                    numbers = re.findall(r"\d+", word)
                    assert all(n in text for n in numbers) if numbers else word.strip(".,:،()") in text, (lang, item)
            else:
                assert normalize(item) in text, (lang, item)


def test_arabic_text_extracts_in_logical_order(db, fund, tmp_path, monkeypatch):
    """A long Arabic paragraph with dates and amounts, wrapped over lines, reads back in order."""
    import gettext

    from trustfund_app.core import i18n

    thanks_en = next(m for m in _msgids_of_statement() if m.startswith("On behalf of the Fund") and "{year}" in m)
    thanks_ar = ("باسم الصندوق وضحايا الاتجار الذين يخدمهم، نشكر {donor} على دعمه السخي. يبين هذا الكشف التعهدات "
                 "والمدفوعات المسجلة من {start} إلى {end}، والتعهدات التي لم تسدد بعد، ومساهماتكم منذ عام {year}، "
                 "وكيف استخدم الصندوق موارده خلال الفترة.")

    class Arabic(gettext.NullTranslations):
        def gettext(self, message):
            return {thanks_en: thanks_ar, "Donor statement": "كشف حساب المانح"}.get(message, message)

    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda lang: Arabic() if lang == "ar" else real(lang))
    pdf = _statement(db, fund.donors["ar"])
    with use_language("ar"):
        expected = thanks_ar.format(donor="قطر", start=format_date(PERIOD[0]),
                                    end=format_date(PERIOD[1]), year="2025")
    # Extraction tools rebuild the order of Arabic runs themselves (pypdf reverses each right-to-left
    # run; numbers split runs), so check every digit-free phrase reads back in logical order, and
    # the phrases in the order of the paragraph (lines wrapped top to bottom).
    found = " ".join(arabic_words(" ".join(pypdf_pages(pdf))))
    phrases = [" ".join(arabic_words(part)) for part in re.split(r"[\d][\d,.]*", expected)]
    phrases = [p for p in phrases if len(p.split()) >= 2]
    assert sum(len(p.split()) for p in phrases) > 30
    for phrase in phrases:
        assert phrase in found, phrase
    assert found.index(phrases[0]) < found.index(phrases[-1])
    text = poppler_text(pdf, tmp_path)
    assert "كشف حساب المانح" in text
    assert normalize(format_amount(Decimal("236053.74"), "USD", "ar")) in text


def _msgids_of_statement() -> list[str]:
    import ast
    import inspect

    from trustfund_app.core.reports import statement

    tree = ast.parse(inspect.getsource(statement))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"
            and node.args and isinstance(node.args[0], ast.Constant)]


def test_every_font_is_embedded_and_none_is_a_builtin(db, fund, tmp_path):
    expected = {"ar": "Amiri", "zh": "WenQuanYiMicroHei", "en": "NotoSans", "ru": "NotoSans"}
    for lang, family in expected.items():
        fonts = pdf_fonts(_statement(db, fund.donors[lang]), tmp_path)
        assert fonts and all(f["emb"] == "yes" and f["sub"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
        assert any(family in f["name"] for f in fonts), (lang, fonts)
        assert not any("Helvetica" in f["name"] or "Times" in f["name"] for f in fonts)


def test_chinese_donor_name_in_an_english_statement_found_by_alias(db, fund, tmp_path):
    pdf = _statement(db, "beijing charity foundation")
    text = " ".join(pypdf_pages(pdf))
    assert "北京慈善基金会" in text
    assert normalize(format_amount(Decimal("12345.67"), "USD", "en")) in text
    assert "BCF-2026-A" in text
    names = {f["name"].split("+")[-1] for f in pdf_fonts(pdf, tmp_path)}
    assert {"NotoSans-Regular", "WenQuanYiMicroHei-0"} <= names


def test_same_data_same_bytes(db, fund):
    first = _statement(db, fund.donors["ar"])
    _statement(db, fund.donors["zh"])  # other documents in between share the registered fonts
    assert _statement(db, fund.donors["ar"]) == first
    assert _statement(db, fund.donors["en"], lang="fr") == _statement(db, fund.donors["en"], lang="fr")


def test_every_page_has_demo_mark_page_x_of_y_number_and_audit_head(db, fund):
    from trustfund_app.core import audit
    from trustfund_app.core.reports.data import statement_number

    with db.reading() as s:
        head = audit.head(s)
    pages = pypdf_pages(_statement(db, fund.donors["en"]))
    number = statement_number("VTF", fund.donors["en"], *PERIOD)
    for i, page in enumerate(pages, start=1):
        assert "DEMO fund — not real data" in page
        assert f"Page {i} of {len(pages)}" in page
        assert number in page and head in page.replace(" ", "")
        assert "Issued Nov 28, 2026" in page


def test_unknown_donor_and_bad_period_are_rejected(db, fund):
    from trustfund_app.core.errors import ValidationError

    with pytest.raises(ValidationError, match="unknown donor"):
        _statement(db, "Atlantis")
    with pytest.raises(ValidationError):
        render_statement(db, fund.donors["en"], date(2026, 5, 1), date(2026, 4, 1), issued=ISSUED)
