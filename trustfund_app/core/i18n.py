"""The one translation system: gettext catalogs (made with babel) plus babel's locale formatting.

``from trustfund_app.core.i18n import _`` everywhere; nothing is injected into builtins. The GUI
sets the process-wide language with ``set_language``; a background job rendering a document in a
donor's language wraps its work in ``with use_language(lang):`` (a context variable, so other
threads are not affected).
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import locale as _locale
import os
from datetime import date
from decimal import Decimal
from functools import lru_cache

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.paths import locale_dir

DOMAIN = "trustfund"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
RTL_LANGUAGES = frozenset({"ar"})
# babel locale used for each UI language's formats
BABEL_LOCALES = {"ar": "ar", "zh": "zh_Hans_CN", "en": "en_US", "fr": "fr_FR", "ru": "ru_RU", "es": "es_ES"}
# the language's own name, for the language pickers
LANGUAGE_NAMES = {
    "ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский", "es": "Español",
}

_global_language = "en"
_context_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("tf_lang", default=None)


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    # compiled when installing (setup.py), packaging (build.spec) or testing (tests/conftest.py);
    # in a bare source checkout: python -m trustfund_app.i18n_tools compile
    return _gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[lang], fallback=True)


def current_language() -> str:
    return _context_language.get() or _global_language


def check_language(lang: str) -> str:
    norm = (lang or "").strip().lower()
    if norm not in LANGUAGES:
        raise ValidationError(
            _("unknown language \"{lang}\"; use one of {choices}").format(lang=lang, choices=" ".join(LANGUAGES)),
            "language",
        )
    return norm


def set_language(lang: str) -> None:
    global _global_language
    _global_language = check_language(lang)


@contextlib.contextmanager
def use_language(lang: str):
    token = _context_language.set(check_language(lang))
    try:
        yield
    finally:
        _context_language.reset(token)


def system_language() -> str:
    """The system locale's language if it is one of the six, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            if code in LANGUAGES:
                return code
            if value not in ("C", "POSIX", "C.UTF-8"):
                break
    try:
        code = (_locale.getlocale()[0] or "").split("_")[0].lower()
    except ValueError:
        code = ""
    return code if code in LANGUAGES else "en"


def is_rtl(lang: str | None = None) -> bool:
    return (lang or current_language()) in RTL_LANGUAGES


def _(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with ``_()``."""
    return message


def pN_(context: str, message: str) -> str:
    """Mark a string with its context for extraction; translate it later with ``pgettext()``
    (table headers: ``Column(pN_("date", "Due"), …, context="date")``)."""
    return message


# -- locale formatting (babel) -------------------------------------------------------------------
def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALES[lang or current_language()]


def format_amount(amount: Decimal, currency: str, lang: str | None = None) -> str:
    """Amount with its currency, in the locale's pattern and the currency's minor unit."""
    from babel.numbers import format_currency

    text = format_currency(amount, currency, locale=babel_locale(lang), currency_digits=True)
    if is_rtl(lang) and text[-1:] in _WEAK_SYMBOL_ENDINGS:
        # "US$" / "JP¥" at the end of a right-to-left amount: without a left-to-right mark after it the
        # bidi algorithm draws "$US" (the weak "$" joins the right-to-left run)
        text += "\u200e"
    return text


_WEAK_SYMBOL_ENDINGS = frozenset("$¥£€₽¢")


def format_money(money, lang: str | None = None) -> str:
    return format_amount(money.amount, money.currency, lang)


def format_number(value: Decimal | int, lang: str | None = None, digits: int | None = None) -> str:
    return _formatted_number(type(value), value, babel_locale(lang), digits)


@lru_cache(maxsize=4096)
def _formatted_number(_kind: type, value, locale, digits: int | None) -> str:
    """babel's pattern formatting takes ~50 µs; statements and charts repeat the same few numbers
    (page numbers, axis labels, counts) thousands of times in a batch. The value's type is part of
    the key: 1 and Decimal("1.0") are equal but need not print alike."""
    from babel.numbers import format_decimal

    if digits is None:
        return format_decimal(value, locale=locale)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


def format_rate(value: Decimal, lang: str | None = None) -> str:
    """Exchange rates keep every stored decimal (UNORE publishes up to six)."""
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.######", locale=babel_locale(lang))


# The one date style of each language, everywhere (lists, forms, dashboard, rates, documents and the
# display of exports): CLDR's medium date, whose year is four digits in all six ("Dec 4, 2026",
# "4 déc. 2026", "2026年12月4日", "04/12/2026" with right-to-left marks). Never a two-digit year nor a
# bare month-first numeric date, which read differently in an international office.
def date_pattern(lang: str | None = None) -> str:
    """The CLDR pattern of the language's date style (date pickers derive their format from it)."""
    return _date_pattern(babel_locale(lang))


@lru_cache(maxsize=None)
def _date_pattern(locale: str) -> str:
    from babel.dates import get_date_format

    return get_date_format("medium", locale=locale).pattern


def format_date(value: date, lang: str | None = None, style: str | None = None) -> str:
    """``style`` is accepted and ignored: there is one date style per language."""
    from babel.dates import format_date as _fd

    return _fd(value, format=date_pattern(lang), locale=babel_locale(lang))


def currency_name(code: str, lang: str | None = None) -> str:
    from babel.numbers import get_currency_name

    return get_currency_name(code, locale=babel_locale(lang))


def country_name(alpha2: str, lang: str | None = None) -> str:
    from babel import Locale

    return Locale.parse(babel_locale(lang)).territories.get(alpha2.upper(), alpha2)
