"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

There is one way in: ``Money(amount, currency)`` accepts a Decimal (or int or decimal text) that
already fits the currency's minor unit, and ``Money.rounded`` rounds half-up to that unit — the only
rounding point. Floats are refused outright: a binary float is never an exact amount. Minor units
come from babel's CLDR currency data (JPY 0, USD 2, KWD 3), not from a hand-kept table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_currency_precision, is_currency

from trustfund_app.core.errors import ValidationError

USD = "USD"


@lru_cache(maxsize=512)
def minor_digits(currency: str) -> int:
    """Number of decimals of the currency's minor unit (ISO 4217 via CLDR)."""
    return get_currency_precision(check_currency(currency))


@lru_cache(maxsize=512)
def check_currency(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or raise a ValidationError naming it."""
    from trustfund_app.core.i18n import _

    norm = (code or "").strip().upper()
    if len(norm) != 3 or not is_currency(norm):
        raise ValidationError(_('unknown currency code "{code}"').format(code=code), "currency")
    return norm


def to_decimal(value) -> Decimal:
    """Exact conversion of int, Decimal or decimal text; floats are refused."""
    from trustfund_app.core.i18n import _

    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError("money amounts are never floats; pass Decimal or text")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValidationError(_('"{value}" is not a number').format(value=value), "amount")
    else:
        raise TypeError(f"cannot make an amount from {type(value).__name__}")
    if not result.is_finite():
        raise ValidationError(_('"{value}" is not a number').format(value=value), "amount")
    return result


MAX_AMOUNT_DIGITS = 15  # whole digits; minor units must fit a 64-bit integer column


def round_half_up(value: Decimal, digits: int) -> Decimal:
    if value.is_finite() and value.adjusted() >= MAX_AMOUNT_DIGITS:
        from trustfund_app.core.i18n import _

        # quantize would fail (InvalidOperation) beyond the context's precision; no fund holds this
        raise ValidationError(_("{amount} is too large").format(amount=value), "amount")
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


_CANONICAL_DIGITS: dict[str, int] = {}  # valid, upper-case codes seen so far -> minor digits
_QUANTUM: dict[int, Decimal] = {}  # minor digits -> Decimal("0.01") etc.
_ZEROS: dict = {}  # canonical code -> Money zero


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __init__(self, amount, currency: str):
        # the fast path (imports and statements build hundreds of thousands of these): a Decimal
        # in a currency code already seen in its canonical form; the same checks, fewer calls
        digits = _CANONICAL_DIGITS.get(currency)
        if digits is not None and type(amount) is Decimal and amount.is_finite() \
                and amount.adjusted() < MAX_AMOUNT_DIGITS:
            exact = amount.quantize(_QUANTUM[digits], rounding=ROUND_HALF_UP)
            if exact == amount:
                object.__setattr__(self, "amount", exact)
                object.__setattr__(self, "currency", currency)
                return
        from trustfund_app.core.i18n import _

        code = check_currency(currency)
        value = to_decimal(amount)
        digits = minor_digits(code)
        exact = round_half_up(value, digits)
        if exact != value:
            raise ValidationError(
                _("{amount} has more decimals than {currency} allows ({digits})").format(
                    amount=value, currency=code, digits=digits
                ),
                "amount",
            )
        object.__setattr__(self, "amount", exact)
        object.__setattr__(self, "currency", code)
        if code == currency and digits not in _QUANTUM:
            _QUANTUM[digits] = Decimal(1).scaleb(-digits)
        if code == currency:
            _CANONICAL_DIGITS[code] = digits

    # -- the defined rounding points -------------------------------------------------------
    @classmethod
    def rounded(cls, amount, currency: str) -> "Money":
        """Round half-up to the currency's minor unit (used for conversions and PSC)."""
        digits = _CANONICAL_DIGITS.get(currency)
        if digits is not None and type(amount) is Decimal and amount.is_finite() \
                and amount.adjusted() < MAX_AMOUNT_DIGITS:  # the fast path of __init__, rounding
            money = object.__new__(cls)
            object.__setattr__(money, "amount", amount.quantize(_QUANTUM[digits], rounding=ROUND_HALF_UP))
            object.__setattr__(money, "currency", currency)
            return money
        code = check_currency(currency)
        return cls(round_half_up(to_decimal(amount), minor_digits(code)), code)

    # -- storage: exact integers of minor units --------------------------------------------
    @property
    def minor(self) -> int:
        digits = _CANONICAL_DIGITS.get(self.currency)
        return int(self.amount.scaleb(minor_digits(self.currency) if digits is None else digits))

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> "Money":
        digits = _CANONICAL_DIGITS.get(currency)
        if digits is not None and cls is Money:  # the fast path: a whole number of minor units is exact
            amount = Decimal(int(minor)).scaleb(-digits)
            if amount.adjusted() < MAX_AMOUNT_DIGITS:
                money = object.__new__(cls)
                object.__setattr__(money, "amount", amount)
                object.__setattr__(money, "currency", currency)
                return money
        code = check_currency(currency)
        return cls(Decimal(int(minor)).scaleb(-minor_digits(code)), code)

    @classmethod
    def zero(cls, currency: str = USD) -> "Money":
        if cls is Money and currency in _ZEROS:
            return _ZEROS[currency]
        zero = cls(0, currency)
        if cls is Money and zero.currency == currency:
            _ZEROS[currency] = zero  # immutable: one zero per currency serves everyone
        return zero

    # -- arithmetic within one currency ----------------------------------------------------
    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}; convert to USD first")

    # with anything but Money, NotImplemented: Python then raises its own TypeError ("unsupported
    # operand type(s)"), or lets the other operand answer
    def __add__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def __lt__(self, other: "Money") -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: "Money") -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount <= other.amount

    def is_positive(self) -> bool:
        return self.amount > 0

    def to_usd(self, rate: Decimal) -> "Money":
        """USD equivalent = amount ÷ rate (units per USD), rounded half-up to the cent."""
        if self.currency == USD:
            return self
        if rate <= 0:
            raise ValueError("an exchange rate must be positive")
        return Money.rounded(self.amount / rate, USD)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


# What one amount may be worth: far above anything a voluntary trust fund sees (its yearly income is
# in the millions), far below what 64-bit totals can hold. With both bounds a total over millions of
# rows still fits a 64-bit integer, so every report's SUM works on SQLite (which raises "integer
# overflow" beyond 2**63) and PostgreSQL; ``check_totals_fit`` guards the rest.
MAX_USD = Decimal(10_000_000_000)
MAX_USD_CENTS = int(MAX_USD * 100)
MAX_MINOR_UNITS = 10**17  # of the original currency: USD 10 billion in the weakest currencies
TOTALS_CEILING = 2**62  # half of the 64-bit range: what all amounts of one column may add up to


def check_plausible(amount: "Money", usd: "Money", field: str = "amount") -> None:
    """Refuse an amount worth more than USD 10 billion (e.g. 999,999,999,999,999 typed or imported)."""
    if abs(usd.minor) > MAX_USD_CENTS or abs(amount.minor) > MAX_MINOR_UNITS:
        from trustfund_app.core.i18n import _

        raise ValidationError(_("{amount} is worth more than USD 10 billion; no single amount of this fund can be "
                                "that large").format(amount=amount), field)


def usd_cents(value) -> int:
    """Exact cents of a USD amount given as Decimal/int/text (must fit two decimals)."""
    return Money(value, USD).minor


def cents_to_usd(cents: int) -> Decimal:
    return Money.from_minor(cents, USD).amount


def percent_of(base: Money, rate_percent: Decimal) -> Money:
    """``rate_percent`` % of ``base``, rounded half-up (PSC is computed this way per disbursement)."""
    return Money.rounded(base.amount * to_decimal(rate_percent) / 100, base.currency)
