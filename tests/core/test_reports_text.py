"""The text pieces under the PDFs: babel-exact fast amounts, right-to-left reordering with
mirrored brackets, logical line wrapping, and font fallback per character."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from trustfund_app.core.i18n import LANGUAGES, format_amount
from trustfund_app.core.money import minor_digits
from trustfund_app.core.reports import bidi, fonts
from trustfund_app.core.reports.numbers import amount_text, date_text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-10**14, max_value=10**14), st.sampled_from(["USD", "EUR", "JPY", "KWD", "CNY", "RUB"]),
       st.sampled_from(LANGUAGES))
def test_fast_amounts_are_exactly_babels(minor, currency, lang):
    amount = Decimal(minor).scaleb(-minor_digits(currency))
    assert amount_text(amount, currency, lang) == format_amount(amount, currency, lang)


def test_cached_dates_are_babels():
    from trustfund_app.core.i18n import format_date

    for lang in LANGUAGES:
        assert date_text(date(2026, 3, 2), lang) == format_date(date(2026, 3, 2), lang)


def test_arabic_is_reordered_with_mirrored_brackets_and_amounts_kept_left_to_right():
    import unicodedata

    logical = "ملخص (بدون) " + bidi.isolate_ltr("\u200f-1,234.56\xa0US$".replace("\u200f", "")) + " نهاية"
    drawn = unicodedata.normalize("NFKC", bidi.visual(logical, rtl_base=True))
    assert drawn == "ةياهن -1,234.56 US$ (نودب) صخلم"  # NFKC: no-break space -> space
    assert not any(ch in bidi.BIDI_CONTROLS for ch in drawn)
    assert bidi.visual("Plain text (USD)", rtl_base=False) == "Plain text (USD)"


def test_logical_wrapping_keeps_no_break_amounts_and_line_order():
    text = "one two three 1\xa0234,56\xa0€ four"
    lines = bidi.wrap_logical(text, 12, len)
    assert lines == ["one two", "three", "1\xa0234,56\xa0€", "four"]
    assert bidi.wrap_logical("a\nb c", 100, len) == ["a", "b c"]


def test_each_character_gets_a_font_that_has_it():
    runs = fonts.segments("Norway 北京 Россия دولة\u202f1", fonts.NOTO.regular)
    names = [name for name, _text in runs]
    assert fonts.WQY.regular in names and fonts.AMIRI.regular in names
    for name, text in runs:
        assert all(ord(ch) in fonts.coverage(name) for ch in text), (name, text)
    # the narrow no-break space the Chinese font lacks is drawn as a no-break space
    assert fonts.segments("1\u202f234", fonts.WQY.regular) == [(fonts.WQY.regular, "1\xa0234")]
