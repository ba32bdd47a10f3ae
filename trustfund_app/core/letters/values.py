"""Typed letter values -> text in the letter's language (for the PDF and the Word version)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trustfund_app.core.countries import country_label
from trustfund_app.core.letters.data import Country, Period, Ref, ReportName
from trustfund_app.core.money import Money
from trustfund_app.core.services.grants.reports import report_label


def formatted(dt, value) -> str:
    """``dt`` is the document's DocText; call inside ``use_language(dt.lang)``."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return dt.amount(value)
    if isinstance(value, Period):
        return f"{dt.date(value.start, 'long')} – {dt.date(value.end, 'long')}"
    if isinstance(value, date):
        return dt.date(value, "long")
    if isinstance(value, Decimal):
        return dt.rate(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return dt.number(value)
    if isinstance(value, Ref):
        return dt.ltr(value.text) if value.text else ""
    if isinstance(value, Country):
        return country_label(value.code, dt.lang)
    if isinstance(value, ReportName):
        return report_label(value.kind, value.type)
    return str(value)


def formatted_values(dt, values: dict) -> dict[str, str]:
    return {key: formatted(dt, value) for key, value in values.items()}


def formatted_rows(dt, rows: list[dict]) -> list[dict[str, str]]:
    return [formatted_values(dt, row) for row in rows]
