from decimal import Decimal

import pytest

from trustfund_app.core.errors import ValidationError
from trustfund_app.core.money import Money


def test_minor_units_come_from_iso_4217():
    assert Money("1000", "JPY").minor == 1000
    assert Money("12.345", "KWD").minor == 12345
    assert Money("12.34", "USD").minor == 1234


def test_too_many_decimals_is_refused_not_rounded():
    with pytest.raises(ValidationError):
        Money("100.5", "JPY")


def test_rounding_is_half_up_at_conversion():
    # 100.005 → 100.01 (half-up), not banker's 100.00
    assert Money("100.01", "EUR").to_usd(Decimal("1.0001")).amount == Decimal("100.00")
    assert Money.rounded(Decimal("0.125"), "USD").amount == Decimal("0.13")
    assert Money.rounded(Decimal("2.5"), "JPY").amount == Decimal("3")


def test_floats_and_unknown_currencies_are_refused():
    with pytest.raises(TypeError):
        Money(0.1, "USD")
    with pytest.raises(ValidationError, match="EUD"):
        Money("1", "EUD")


def test_currencies_never_mix():
    with pytest.raises(ValueError):
        Money("1", "USD") + Money("1", "EUR")


def test_money_with_a_plain_number_is_a_type_error_not_a_crash_inside():
    for operation in (lambda m: m + 1, lambda m: 1 + m, lambda m: m - Decimal("1"), lambda m: m < 5):
        with pytest.raises(TypeError):
            operation(Money("10.00", "USD"))
    assert sum([Money("1.00", "USD"), Money("2.50", "USD")], Money.zero("USD")) == Money("3.50", "USD")
