"""The fund settings an administrator edits on the Settings screen: what each one is, how it is
shown, and how typed text becomes the stored value (with a message naming the field when not).
Plain Python (no Qt) so the rules are easy to test."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.i18n import N_, _, babel_locale, format_number, ngettext

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class FundField:
    key: str  # SettingsService key
    label: str  # msgid
    kind: str  # "percent", "text", "prefix", "count", "megabytes", "orgid", "orgtype", "prefix360", "language"
    minimum: int = 0
    maximum: int = 0


FUND_FIELDS = (
    FundField("fund_name", N_("Fund name"), "text"),
    FundField("office", N_("Administering office"), "text"),
    FundField("psc_rate_percent", N_("Programme support costs rate (%)"), "percent"),
    FundField("receipt_prefix", N_("Receipt number prefix"), "prefix"),
    FundField("backups_keep", N_("Automatic backups to keep"), "count", 1, 1000),
    FundField("import_max_rows", N_("Largest import (rows)"), "count", 1, 10_000_000),
    FundField("import_max_bytes", N_("Largest import file (MB)"), "megabytes", 1, 10_240),
    # open data (issue 17)
    FundField("iati_reporting_org", N_("IATI reporting organisation identifier"), "orgid"),
    FundField("iati_reporting_org_type", N_("IATI reporting organisation type (code)"), "orgtype"),
    FundField("giving360_prefix", N_("360Giving registered prefix"), "prefix360"),
    FundField("open_data_language", N_("Language of the Fund's records, for open data (code)"), "language"),
)
FIELDS_BY_KEY = {f.key: f for f in FUND_FIELDS}
MAX_TEXT = 300


def shown_value(field: FundField, stored: str):
    """What the widget shows for a stored value: text for line edits, an int for spin boxes."""
    if field.kind == "percent":
        return format_number(Decimal(stored))
    if field.kind == "count":
        return int(stored)
    if field.kind == "megabytes":
        return max(1, int(stored) // MEGABYTE)
    return stored


def parse_percent(text: str) -> Decimal:
    """A percentage typed the way the current language writes numbers ("7.5", "7,5", "13")."""
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = (text or "").strip().rstrip("%").strip()
    try:
        return parse_decimal(cleaned, locale=babel_locale(), strict=True)
    except NumberFormatError:
        try:  # a plain "7.5" typed in a language that writes "7,5"
            return Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(
                _("{field}: \"{text}\" is not a number").format(field=_(FIELDS_BY_KEY["psc_rate_percent"].label), text=text),
                "psc_rate_percent",
            ) from None


def stored_value(field: FundField, value) -> str:
    """The text to store for what the user entered; ValidationError(field=key) when it is wrong."""
    label = _(field.label)
    if field.kind == "percent":
        number = parse_percent(str(value))
        if not Decimal(0) <= number <= Decimal(100):
            raise ValidationError(
                _("{field} must be between 0 and 100").format(field=label), field.key
            )
        if number.as_tuple().exponent < -2:
            raise ValidationError(_("{field}: use at most two decimals").format(field=label), field.key)
        return format(number.normalize(), "f")
    if field.kind in ("count", "megabytes"):
        number = int(value)
        if not field.minimum <= number <= field.maximum:
            raise ValidationError(
                _("{field} must be between {low} and {high}").format(
                    field=label, low=format_number(field.minimum), high=format_number(field.maximum)
                ),
                field.key,
            )
        return str(number * MEGABYTE if field.kind == "megabytes" else number)
    text = " ".join(str(value or "").split())
    if field.kind in ("orgid", "orgtype", "prefix360", "language"):
        return _open_data_value(field, text)
    if not text:
        raise ValidationError(_("{field} is required").format(field=label), field.key)
    if field.kind == "prefix":
        text = text.upper()
        if not re.fullmatch(r"[A-Z0-9-]{1,12}", text):
            raise ValidationError(
                _("{field}: use 1 to 12 letters A–Z, digits or hyphens").format(field=label), field.key
            )
    elif len(text) > MAX_TEXT:
        raise ValidationError(
            ngettext("{field} is too long (at most {count} character)",
                     "{field} is too long (at most {count} characters)", MAX_TEXT).format(field=label, count=MAX_TEXT), field.key
        )
    return text


def _open_data_value(field: FundField, text: str) -> str:
    from trustfund_app.core.i18n import LANGUAGES
    from trustfund_app.core import org_identifiers as identifiers

    if field.kind == "prefix360":  # may stay empty until the Fund registers with 360Giving
        return identifiers.check_360_prefix(text, field.key) if text else ""
    if field.kind == "orgtype":
        return identifiers.check_org_type(text, field.key)
    if field.kind == "language":
        if text.lower() not in LANGUAGES:
            raise ValidationError(_("{field}: use one of {choices}").format(
                field=_(field.label), choices=", ".join(LANGUAGES)), field.key)
        return text.lower()
    checked = identifiers.check_org_id(text, field.key)
    if not checked:
        raise ValidationError(_("{field} is required").format(field=_(field.label)), field.key)
    return checked


def changed_values(stored: dict[str, str], entered: dict[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """(new values to save, errors by key) for what the form holds against what is stored."""
    changes, errors = {}, {}
    for key, value in entered.items():
        try:
            new = stored_value(FIELDS_BY_KEY[key], value)
        except ValidationError as exc:
            errors[key] = exc.message
            continue
        if new != stored.get(key):
            changes[key] = new
    return changes, errors
