"""Cell values become exact domain values: numbers in any locale's notation, floats through their
shortest repr, dates without guessing, currencies and enum values in the six languages, headers in
the six languages and below title rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.excel import values as V
from trustfund_app.core.excel.headers import detect_header, field_for, parse_mapping


@pytest.mark.parametrize("text, expected", [
    ("1,234.50", "1234.50"), ("1.234,50", "1234.50"), ("1 234,50", "1234.50"), ("1\u202f234,50", "1234.50"),
    ("1'234.50", "1234.50"), ("12,5", "12.5"), ("1,500", "1500"), ("1.234.567", "1234567"),
    ("١٢٣٫٥", "123.5"), ("(45.10)", "-45.10"), ("１２３", "123"),
])
def test_numbers_as_text_in_any_locale(text, expected):
    assert V.decimal_value(text, "amount") == Decimal(expected)


@pytest.mark.parametrize("text", ["12.34.56", "1,23,4", "abc", "1e5x", ""])
def test_malformed_numbers_are_refused(text):
    with pytest.raises(ValidationError):
        V.decimal_value(text, "amount")


def test_floats_are_converted_through_their_repr_never_their_binary_value():
    assert Decimal(0.1 + 0.2) != Decimal("0.30000000000000004")
    assert V.decimal_value(1234.56, "amount") == Decimal("1234.56")
    assert V.money_value(1234.56, "USD").minor == 123456
    assert V.money_value(110.00000000000001, "USD").minor == 11000  # float noise from a formula
    with pytest.raises(ValidationError, match="more decimals"):
        V.money_value(12.345, "USD")  # a real third decimal is an error, not rounded away
    assert V.money_value(12.345, "KWD").minor == 12345
    with pytest.raises(ValidationError, match="greater than zero"):
        V.money_value(0, "EUR")


@pytest.mark.parametrize("value, expected", [
    (datetime(2026, 3, 15, 0, 0), date(2026, 3, 15)), ("2026-03-15", date(2026, 3, 15)),
    ("15/03/2026", date(2026, 3, 15)), ("03/15/2026", date(2026, 3, 15)), ("15.03.2026", date(2026, 3, 15)),
    ("15 March 2026", date(2026, 3, 15)), ("15 mars 2026", date(2026, 3, 15)), ("15 марта 2026", date(2026, 3, 15)),
    ("2026年3月15日", date(2026, 3, 15)), (46096, date(2026, 3, 15)),
])
def test_dates(value, expected):
    assert V.date_value(value, "date") == expected


def test_ambiguous_text_dates_are_refused_not_guessed():
    with pytest.raises(ValidationError, match="two different dates"):
        V.date_value("03/04/2026", "date")


@pytest.mark.parametrize("text", ["EUR", "eur", "Euro", "euros", "евро", "欧元", "يورو", "dólar estadounidense"])
def test_currency_codes_and_names(text):
    assert V.currency_value(text) in ("EUR", "USD")


@pytest.mark.parametrize("enum, spellings, expected", [
    ("kind", ["pledge", "Pledge", "Annonce de contribution", "Promesa", "Объявленный взнос", "认捐", "تعهد"], "pledge"),
    ("kind", ["Payment", "Paiement", "Pago", "Платёж", "付款", "دفعة"], "payment"),
    ("type", ["member_state", "Member State", "État membre", "Estado miembro", "Государство-член", "会员国", "دولة عضو"],
     "member_state"),
    ("status", ["Cancelled", "annulé", "cancelado", "отменён", "已取消", "ملغى"], "cancelled"),
])
def test_enum_values_in_the_six_languages(enum, spellings, expected):
    assert {V.enum_value(s, enum, enum) for s in spellings} == {expected}


def test_country_and_language_by_code_or_name():
    assert [V.country_value(x) for x in ("DE", "deu", "Allemagne", "Германия")] == ["DEU"] * 4
    assert [V.language_value(x) for x in ("fr", "Français", "French", "французский")] == ["fr"] * 4


@pytest.mark.parametrize("header, field", [
    ("Amount", "amount"), ("Montant", "amount"), ("Сумма", "amount"), ("金额", "amount"), ("المبلغ", "amount"),
    ("Importe", "amount"), ("Amount (EUR)", "amount"), ("DONOR", "donor"), ("Pledge_Reference", "pledge_reference"),
])
def test_contribution_headers_in_the_six_languages(header, field):
    assert field_for("contributions", header) == field


def test_grant_amount_header_with_its_unit():
    assert field_for("grants", "Amount (USD)") == field_for("grants", "金额（美元）") == "amount_usd"


def test_header_row_found_below_title_rows_and_manual_mapping_wins():
    rows = [(1, {1: "Fund contributions 2026"}), (2, {1: "Prepared by the Vienna office"}),
            (4, {1: "Дата", 2: "Донор", 3: "Вид", 4: "Валюта", 5: "Сумма", 6: "Our code"})]
    match = detect_header("contributions", rows)
    assert match.row == 4 and match.columns == {"date": 1, "donor": 2, "kind": 3, "currency": 4, "amount": 5}
    assert match.ignored == ["Our code"]
    manual = parse_mapping("contributions", ["Our code=reference"])
    assert detect_header("contributions", rows, manual).columns["reference"] == 6
    with pytest.raises(ValidationError, match="not a contributions field"):
        parse_mapping("contributions", ["Our code=colour"])
