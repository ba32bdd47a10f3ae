"""Turning cell values into exact domain values.

Numbers may arrive as binary floats (converted with ``Decimal(repr(x))``, never ``Decimal(x)``), as
ints, or as text with any locale's separators ("1,234.50", "1.234,50", "1 234,50", "1'234.50",
Arabic-Indic digits). Dates arrive as Excel dates, serial numbers or text; a text date that could be
read two ways (03/04/2026) is refused rather than guessed. Enum values and currencies may be given
in any of the six languages.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel.reader import NO_CACHED_VALUE
from trustfund_app.core.excel.spellings import VALUES
from trustfund_app.core.i18n import LANGUAGES, _, ngettext
from trustfund_app.core.money import Money, check_currency, minor_digits, round_half_up
from trustfund_app.core.names import match_key

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009'’_]")
_EXCEL_EPOCH = date(1899, 12, 30)


def check_present(value, field: str):
    """Refuse a formula without a saved result (it is not an empty cell and never a zero)."""
    if value is NO_CACHED_VALUE:
        raise ValidationError(_("the formula in this cell has no saved result; open the file in Excel or "
                                "LibreOffice, let it calculate, save, and import again"), field)
    return value


def text(value, field: str, max_length: int | None = None) -> str | None:
    check_present(value, field)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        value = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    out = str(value).strip()
    if max_length and len(out) > max_length:
        raise ValidationError(ngettext("the text is longer than {limit} character", "the text is longer than {limit} characters",
                                       max_length).format(limit=max_length), field)
    return out or None


def required(value, field: str):
    check_present(value, field)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("a value is required"), field)
    return value


# -- numbers ----------------------------------------------------------------------------------------
def decimal_value(value, field: str) -> Decimal:
    """An exact Decimal from an int, a float (via its shortest repr) or locale-formatted text."""
    required(value, field)
    if isinstance(value, bool):
        raise ValidationError(_('"{value}" is not a number').format(value=value), field)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValidationError(_('"{value}" is not a number').format(value=value), field)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (date, datetime, timedelta)):
        raise ValidationError(_("a number is expected here, not a date"), field)
    return _parse_number_text(str(value), field)


def _parse_number_text(raw: str, field: str) -> Decimal:
    s = unicodedata.normalize("NFKC", raw).translate(_DIGITS).strip()
    negative = s.startswith("(") and s.endswith(")")  # accounting style
    s = s.strip("()")
    s = _GROUPING.sub("", s)
    if s.startswith(("-", "−")):
        negative, s = True, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    if not s or not re.fullmatch(r"[0-9.,]+", s):
        raise ValidationError(_('"{value}" is not a number').format(value=raw), field)
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal_mark = "." if s.rfind(".") > s.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if s.count(decimal_mark) > 1:
            raise ValidationError(_('"{value}" is not a number').format(value=raw), field)
        s = _ungroup(s, group_mark, raw, field).replace(decimal_mark, ".")
    elif dots > 1 or commas > 1:
        s = _ungroup(s, "." if dots else ",", raw, field)
    elif commas == 1:
        whole, frac = s.split(",")
        # "1,500" is one thousand five hundred (en, zh, ar); "12,5" is twelve and a half (fr, ru, es)
        s = whole + frac if len(frac) == 3 and whole and whole != "0" else whole + "." + frac
    try:
        result = Decimal(s)
    except InvalidOperation:
        raise ValidationError(_('"{value}" is not a number').format(value=raw), field)
    return -result if negative else result


def _ungroup(s: str, mark: str, raw: str, field: str) -> str:
    head, *groups = s.split(mark)
    last = groups[-1]
    tail = ""
    for other in ".,":
        if other != mark and other in last:
            last, tail = last.split(other, 1)
            tail = other + tail
    groups[-1] = last
    if not head or len(head) > 3 or any(len(g) != 3 for g in groups):
        raise ValidationError(_('"{value}" is not a number (misplaced separators)').format(value=raw), field)
    return head + "".join(groups) + tail


def money_value(value, currency: str, field: str = "amount") -> Money:
    """A positive amount in the currency's minor unit. A float's representation noise
    (110.00000000000001) is rounded away; a real extra decimal (12.345 USD) is an error."""
    amount = decimal_value(value, field)
    digits = minor_digits(currency)
    exact = round_half_up(amount, digits)
    if exact != amount:
        if isinstance(value, float) and abs(exact - amount) < Decimal(1).scaleb(-(digits + 6)):
            amount = exact
        else:
            raise ValidationError(_("{amount} has more decimals than {currency} allows ({digits})").format(
                amount=amount, currency=currency, digits=digits), field)
    if amount <= 0:
        raise ValidationError(_("the amount must be greater than zero"), field)
    return Money(amount, currency)


def integer_value(value, field: str) -> int:
    number = decimal_value(value, field)
    if number != number.to_integral_value():
        raise ValidationError(_('"{value}" is not a whole number').format(value=value), field)
    return int(number)


# -- dates ------------------------------------------------------------------------------------------
def date_value(value, field: str) -> date:
    required(value, field)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValidationError(_('"{value}" is not a date').format(value=value), field)
    if isinstance(value, (int, float)) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + timedelta(days=int(value))  # an Excel serial number the file did not format
    return _parse_date_text(str(value), field)


def _parse_date_text(raw: str, field: str) -> date:
    s = unicodedata.normalize("NFKC", raw).translate(_DIGITS).strip()
    try:
        if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?", s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?", s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", s):  # 15.03.2026: day first everywhere
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", s):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a > 12 >= b:
                return date(year, b, a)
            if b > 12 >= a:
                return date(year, a, b)
            if a != b:
                raise ValidationError(_('"{value}" could be read as two different dates; write it as YYYY-MM-DD')
                                      .format(value=raw), field)
            return date(year, a, b)
        found = _month_name_date(s)
        if found:
            return found
    except ValueError:
        raise ValidationError(_('"{value}" is not a valid date').format(value=raw), field)
    raise ValidationError(_('"{value}" is not a date (write it as YYYY-MM-DD)').format(value=raw), field)


@lru_cache(maxsize=1)
def _month_names() -> dict[str, int]:
    from babel.dates import get_month_names

    from trustfund_app.core.i18n import BABEL_LOCALES

    names: dict[str, int] = {}
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, BABEL_LOCALES[lang]).items():
                    key = match_key(name)
                    if key and not key.isdigit():
                        names.setdefault(key, number)
    return names


def _month_name_date(s: str) -> date | None:
    words = match_key(s).split()
    numbers = [w for w in words if w.isdigit()]
    months = [_month_names().get(w) for w in words if not w.isdigit()]
    months = [m for m in months if m]
    if len(numbers) == 2 and len(months) == 1 and len(words) <= 4:
        day, year = (int(numbers[0]), int(numbers[1])) if len(numbers[1]) == 4 else (int(numbers[1]), int(numbers[0]))
        return date(year, months[0], day)
    return None


# -- codes and enums --------------------------------------------------------------------------------
def currency_value(value, field: str = "currency") -> str:
    raw = str(required(value, field)).strip()
    if len(raw) == 3 and raw.isascii() and raw.isalpha():
        return check_currency(raw)
    code = _currency_names().get(match_key(raw))
    if code:
        return code
    raise ValidationError(_('unknown currency "{value}" (use the ISO code, e.g. EUR)').format(value=raw), field)


@lru_cache(maxsize=1)
def _currency_names() -> dict[str, str]:
    from babel.numbers import get_currency_name, list_currencies

    from trustfund_app.core.i18n import BABEL_LOCALES

    names: dict[str, str] = {"us": "USD", "us dollar": "USD", "euro": "EUR"}
    for lang in LANGUAGES:
        for code in sorted(list_currencies()):
            for count in (None, 1, 2, 5):
                name = get_currency_name(code, count, BABEL_LOCALES[lang])
                if name and name != code:
                    names.setdefault(match_key(name), code)
    names["€"] = "EUR"
    return names


def enum_labels(enum: str) -> dict[str, str]:
    """value -> label msgid (the app's own labels, translated by the catalogs)."""
    from trustfund_app.core.models import DONOR_TYPE_LABELS, GRANT_STATUS_LABELS, KIND_LABELS

    from trustfund_app.core.i18n import N_

    yes_no = {"yes": N_("Yes"), "no": N_("No")}
    return {str(k): v for k, v in {"kind": KIND_LABELS, "type": DONOR_TYPE_LABELS,
                                   "status": GRANT_STATUS_LABELS, "yes_no": yes_no}[enum].items()}


@lru_cache(maxsize=None)
def _spelling_table(enum: str) -> dict[str, str]:
    """The values and their common spellings (no database models: the reading process uses it)."""
    table: dict[str, str] = {}
    for canonical, spellings in VALUES[enum].items():
        table[match_key(canonical.replace("_", " "))] = canonical
        for spelling in spellings:
            table.setdefault(match_key(spelling), canonical)
    return table


@lru_cache(maxsize=None)
def _label_table(enum: str) -> dict[str, str]:
    """The labels the app itself shows (and templates offer) in each language."""
    from trustfund_app.core.i18n import use_language

    table: dict[str, str] = {}
    for lang in LANGUAGES:
        with use_language(lang):
            for canonical, msgid in enum_labels(enum).items():
                table.setdefault(match_key(_(msgid)), canonical)
    return table


def enum_value(value, enum: str, field: str) -> str:
    raw = str(required(value, field)).strip()
    key = match_key(raw.replace("_", " "))
    found = _spelling_table(enum).get(key) or _label_table(enum).get(key)
    if found is None:
        choices = ", ".join(VALUES[enum])
        raise ValidationError(_('"{value}" is not one of: {choices}').format(value=raw, choices=choices), field)
    return found


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    from babel import Locale

    from trustfund_app.core.i18n import BABEL_LOCALES

    table = {code: code for code in LANGUAGES}
    for lang in LANGUAGES:
        names = Locale.parse(BABEL_LOCALES[lang]).languages
        for code in LANGUAGES:
            if names.get(code):
                table.setdefault(match_key(names[code]), code)
    table.update({"chinese": "zh", "mandarin": "zh", "中文": "zh", "العربية": "ar"})
    return table


def language_value(value, field: str = "language") -> str:
    raw = str(required(value, field)).strip()
    code = _language_names().get(match_key(raw)) or _language_names().get(raw.lower())
    if code is None:
        raise ValidationError(_('unknown language "{lang}"; use one of {choices}').format(
            lang=raw, choices=" ".join(LANGUAGES)), field)
    return code


def country_value(value, field: str = "country") -> str:
    """ISO 3166 alpha-3 from an alpha-2/alpha-3 code or the country's name in one of the languages."""
    from trustfund_app.core.countries import check_country

    raw = str(required(value, field)).strip()
    try:
        return check_country(raw, field)
    except ValidationError:
        code = _country_names().get(match_key(raw))
        if code:
            return check_country(code, field)
        raise


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import pycountry
    from babel import Locale

    from trustfund_app.core.i18n import BABEL_LOCALES

    alpha2 = {c.alpha_2 for c in pycountry.countries}
    table: dict[str, str] = {}
    for lang in LANGUAGES:
        for code, name in Locale.parse(BABEL_LOCALES[lang]).territories.items():
            if code in alpha2:
                table.setdefault(match_key(name), code)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(country, attr, None):
                table.setdefault(match_key(getattr(country, attr)), country.alpha_2)
    return table
