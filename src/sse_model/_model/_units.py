"""The one pint registry of the library, its parsers, and the exact value types.

pint is kept at the edges: quantities are parsed and normalised here, once, into
exact plain numbers (:class:`fractions.Fraction`, :class:`decimal.Decimal`); the
engine never sees a pint object. The registry uses ``Fraction`` as its
non-integer type so that ``70 %`` is exactly ``7/10`` (a float registry gives
``0.7000000000000001``, which fails a ">= 70 %" test at the boundary).
"""

from __future__ import annotations

import decimal
import math
import re
import reprlib
import threading
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NewType

import attrs

if TYPE_CHECKING:
    import pint

__all__ = [
    "DECIMAL_CONTEXT",
    "CurrencyMismatch",
    "Hours",
    "Money",
    "exact_decimal",
    "fixed_point",
    "format_fraction",
    "parse_count",
    "parse_hours",
    "parse_money",
    "parse_ratio",
    "show",
    "sum_decimals",
    "unit_registry",
]

#: A duration in exact hours (volunteer hours, working time).
Hours = NewType("Hours", Fraction)

_registry: pint.UnitRegistry[Any] | None = None
_registry_lock = threading.Lock()

#: Largest decimal exponent accepted in a number (``1e999999999`` would take
#: minutes and gigabytes to turn into an exact rational).
MAX_EXPONENT = 100
#: Longest unit text handed to pint's unit parser.
MAX_UNIT_LENGTH = 64
#: Most powers (``**`` or ``^``) in one unit text, and the largest exponent of each:
#: ``9**9**9`` or ``percent**99999999`` would take hours to turn into an exact factor.
MAX_UNIT_POWERS = 2
MAX_UNIT_POWER = 100

#: The library's own decimal context. Sums and differences of amounts are exact in
#: it (the precision is the largest there is, and addition never computes more digits
#: than the result has), and it never reads the caller's thread context: results are
#: the same whatever ``decimal.getcontext()`` says, in any thread. Division is never
#: done in Decimal (see :func:`exact_decimal`).
DECIMAL_CONTEXT = decimal.Context(
    prec=decimal.MAX_PREC,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=decimal.MIN_EMIN,
    Emax=decimal.MAX_EMAX,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def sum_decimals(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of *values*, computed in :data:`DECIMAL_CONTEXT` (0 if empty)."""
    total = Decimal(0)
    for v in values:
        total = DECIMAL_CONTEXT.add(total, v)
    return total


def exact_decimal(value: Fraction) -> Decimal | None:
    """*value* as an exact Decimal if its decimal expansion ends, else None.

    Pure integer arithmetic: the caller's decimal context plays no part.
    """
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    digits = max(twos, fives)
    coefficient = value.numerator * 10**digits // value.denominator
    return Decimal(f"{coefficient}E-{digits}") if digits else Decimal(coefficient)


_short = reprlib.Repr()
_short.maxstring = 80
_short.maxother = 80
_short.maxlevel = 3
_short.maxlist = _short.maxtuple = _short.maxdict = _short.maxset = 6


def show(value: object) -> str:
    """A short, bounded repr of a received value for error messages."""
    return _short.repr(value)


#: Prefix of the pint unit of each currency: ``currency_VND`` has the dimension
#: ``[currency_VND]``, so amounts in two currencies can never be added or compared.
CURRENCY_UNIT_PREFIX = "currency_"


def unit_registry() -> pint.UnitRegistry[Any]:
    """Return the library's pint registry, building it on first use.

    Every currency of ISO 4217 is a base dimension of its own: converting between
    currencies is always an error, never a silent exchange.
    """
    global _registry  # noqa: PLW0603 - one lazily built registry, by design
    if _registry is not None:
        return _registry
    with _registry_lock:  # threads racing on first use get the same registry
        if _registry is None:
            import pint
            import pycountry

            reg: pint.UnitRegistry[Any] = pint.UnitRegistry(
                non_int_type=Fraction, cache_folder=None
            )
            for currency in pycountry.currencies:
                code = currency.alpha_3
                reg.define(f"{CURRENCY_UNIT_PREFIX}{code} = [currency_{code}]")
            _registry = reg
    return _registry


@cache
def currency_codes() -> frozenset[str]:
    """The ISO 4217 alphabetic codes known to the maintained code list (pycountry's)."""
    from ._codes import pycountry_codes

    codes = pycountry_codes("4217", "alpha_3")
    if codes is not None:
        return codes
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined or compared."""


@attrs.frozen(order=False)
class Money:
    """An exact amount of money in one ISO 4217 currency.

    Amounts are :class:`~decimal.Decimal` so that what was written is what is
    kept; arithmetic across currencies raises :class:`CurrencyMismatch`.
    """

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            msg = (
                f"cannot combine {self} with {other}: amounts in different currencies "
                "are never converted"
            )
            raise CurrencyMismatch(msg)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(DECIMAL_CONTEXT.add(self.amount, other.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(DECIMAL_CONTEXT.subtract(self.amount, other.amount), self.currency)

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return DECIMAL_CONTEXT.compare(self.amount, other.amount) <= 0

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return DECIMAL_CONTEXT.compare(self.amount, other.amount) < 0

    def ratio(self, other: Money) -> Fraction:
        """Exact ``self / other``; *other* must be non-zero and in the same currency."""
        self._same(other)
        return Fraction(self.amount) / Fraction(other.amount)

    def to_quantity(self) -> pint.Quantity[Any]:
        """This amount as a pint quantity in the currency's own dimension."""
        return unit_registry().Quantity(
            Fraction(self.amount), CURRENCY_UNIT_PREFIX + self.currency
        )


class ParseError(ValueError):
    """A value could not be parsed; the message says what was expected and what came."""


_NUMBER_UNIT = re.compile(
    r"^\s*(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:\s*/\s*\d+)?)\s*(?P<unit>.*?)\s*$"
)


def _exact(value: object) -> Fraction:
    """An exact rational from a number; floats go through their shortest repr."""
    if isinstance(value, bool):
        raise ParseError(f"expected a number, got {value!r}")
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ParseError(f"expected a finite number, got {value!r}")
        _check_exponent(value, value)
        return Fraction(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ParseError(f"expected a finite number, got {value!r}")
        exact = Decimal(repr(value))
        _check_exponent(exact, value)
        return Fraction(exact)
    raise ParseError(f"expected a number, got {show(value)}")


def _check_exponent(number: Decimal, original: object) -> None:
    if number.is_finite() and abs(number.adjusted()) > MAX_EXPONENT:
        raise ParseError(
            f"expected a number between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT}, "
            f"got {show(original)}"
        )


def _split(text: str, expected: str) -> tuple[Fraction, str]:
    m = _NUMBER_UNIT.match(text)
    if m is None:
        raise ParseError(f"expected {expected}, got {show(text)}")
    num = m["num"].replace(" ", "")
    try:
        _check_exponent(Decimal(num.split("/")[0]), text)
        return Fraction(num), m["unit"]
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise ParseError(f"expected {expected}, got {show(text)}") from None


_POWER = re.compile(r"\*\*|\^")
#: A power's operand: a plain decimal number (no exponent, no hex, no brackets).
_POWER_OPERAND = re.compile(r"\s*[+-]?\s*(\d+(?:\.\d*)?|\.\d+)(?![\w.])")
_SCIENTIFIC = re.compile(r"\d[eE]\s*[+-]?\s*(\d+)")


def _unit_text_problem(unit: str) -> str | None:
    """What is wrong with *unit* if it is not handed to pint (too long, or too costly)."""
    if len(unit) > MAX_UNIT_LENGTH:
        return f"a unit longer than {MAX_UNIT_LENGTH} characters"
    from pint.util import string_preprocessor

    # checked as pint will read it: "2,e9" is 2e9, "x⁹⁹" is x**(99), "^" is "**"
    unit = string_preprocessor(unit)
    powers = list(_POWER.finditer(unit))
    if len(powers) > MAX_UNIT_POWERS:
        return f"a unit with more than {MAX_UNIT_POWERS} powers"
    for m in powers:
        operand = _POWER_OPERAND.match(unit, m.end())
        if (
            operand is None
            or abs(Fraction(operand[1])) > MAX_UNIT_POWER
            or _POWER.match(unit[operand.end() :].lstrip()) is not None
        ):
            return (
                f"a unit power that is not a plain number from -{MAX_UNIT_POWER} "
                f"to {MAX_UNIT_POWER}"
            )
    for m in _SCIENTIFIC.finditer(unit):
        if int(m[1]) > MAX_EXPONENT:
            return f"a number in the unit outside 1e-{MAX_EXPONENT} .. 1e{MAX_EXPONENT}"
    return None


def _pint_quantity(unit: str) -> pint.Quantity[Any] | str:
    """``1 unit`` as a pint quantity, or why it is not one (never an exception).

    pint's parser raises whatever its tokenizer or evaluator meets (``AssertionError``
    for ``$``, ``TokenError`` for ``%)``, ``KeyError`` for ``percent**0``,
    ``TypeError``, ``ValueError``, ``OverflowError``...): every one of them means
    "not a unit" here.
    """
    problem = _unit_text_problem(unit)
    if problem is not None:
        return problem
    try:
        return unit_registry().Quantity(Fraction(1), unit)
    except Exception:  # pint's parser may raise anything; see above
        return "an unknown unit"


def _in_range(value: Fraction, expected: str, original: object) -> Fraction:
    """*value*, if zero or within the documented 1e-100 .. 1e100 (units can leave it)."""
    bound = Fraction(10) ** MAX_EXPONENT
    if value and not 1 / bound <= abs(value) <= bound:
        raise ParseError(
            f"expected {expected} between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT}, "
            f"got {show(original)}"
        )
    return value


def _converted(q: Any, to: str) -> Fraction | None:
    """The exact magnitude of pint quantity *q* in *to*, or None if it does not convert."""
    try:
        magnitude = q.to(to).magnitude
        if isinstance(magnitude, int | Fraction):
            return Fraction(magnitude)
        return _exact(magnitude)
    except Exception:  # pint's conversions may raise anything
        return None


#: the exact factors of the dimensionless units written most (thresholds, shares), as
#: pint defines them (a test checks they agree): read without building pint's registry,
#: which stays the authority for every other unit
PLAIN_RATIOS = MappingProxyType(
    {
        "%": Fraction(1, 100),
        "percent": Fraction(1, 100),
        "‰": Fraction(1, 1000),
        "permille": Fraction(1, 1000),
    }
)


@lru_cache(maxsize=256)  # bounded: unit texts come from untrusted input
def _dimensionless_factor(unit: str) -> Fraction | str:
    """The exact factor of a dimensionless unit (``%`` -> 1/100), or why it is not one."""
    plain = PLAIN_RATIOS.get(unit)
    if plain is not None:
        return plain
    q = _pint_quantity(unit)
    if isinstance(q, str):
        return q
    try:
        dimensionless = bool(q.dimensionless)
    except Exception:  # see _pint_quantity
        return "an unknown unit"
    if not dimensionless:
        return _describe_dimension(unit)
    factor = _converted(q, "dimensionless")
    return "a unit that cannot be converted exactly" if factor is None else factor


def _describe_dimension(unit: str) -> str:
    q = _pint_quantity(unit)
    if isinstance(q, str):
        return q
    try:
        return f"a quantity of dimension {q.dimensionality}"
    except Exception:  # see _pint_quantity
        return "a quantity of another dimension"


def _pint_magnitude(value: object, to: str) -> Fraction | None:
    """If *value* is a pint quantity, its exact magnitude in *to*; else None."""
    if not (hasattr(value, "magnitude") and hasattr(value, "units") and hasattr(value, "to")):
        return None
    magnitude = _converted(value, to)
    if magnitude is None:
        raise ParseError(f"expected a quantity convertible to {to}, got {show(value)}")
    return _in_range(magnitude, f"a quantity in {to}", value)


def parse_ratio(value: object) -> Fraction:
    """Parse a dimensionless ratio exactly: ``0.51``, ``"51 %"``, ``"510 permille"``, ``"2/3"``.

    A bare number is a ratio (``0.51`` is 51 %), never a percentage.
    """
    if isinstance(value, str):
        num, unit = _split(value, "a ratio such as '0.51', '51 %' or '2/3'")
        if not unit:
            return num
        factor = _dimensionless_factor(unit)
        if isinstance(factor, str):
            raise ParseError(
                f"expected a ratio such as '0.51', '51 %' or '2/3', got {show(value)} ({factor})"
            )
        return _in_range(num * factor, "a ratio", value)
    magnitude = _pint_magnitude(value, "dimensionless")
    if magnitude is not None:
        return magnitude
    return _exact(value)


def parse_hours(value: object) -> Fraction:
    """Parse a duration into exact hours: ``1200`` (hours), ``"1200 h"``, ``"3 days"``."""
    if isinstance(value, str):
        num, unit = _split(value, "a duration such as '1200 h'")
        if not unit:
            return num
        q = _pint_quantity(unit)
        hours = None if isinstance(q, str) else _converted(q, "hour")
        if hours is None:
            why = _describe_dimension(unit)
            raise ParseError(f"expected a duration such as '1200 h', got {show(value)} ({why})")
        return _in_range(num * hours, "a duration", value)
    magnitude = _pint_magnitude(value, "hour")
    if magnitude is not None:
        return magnitude
    return _exact(value)


def parse_count(value: object) -> int:
    """Parse a head count: a non-negative whole number (``12`` or ``"12"``, never ``12.5``)."""
    expected = f"expected a whole number, got {show(value)}"
    if isinstance(value, bool):
        raise ParseError(expected)
    if isinstance(value, int):
        n = value
    elif isinstance(value, str) and value.strip().isdecimal() and len(value) <= 40:
        n = int(value)
    elif isinstance(value, float | Decimal | Fraction):
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            raise ParseError(expected)
        if isinstance(value, Decimal):
            _check_exponent(value, value)
        if isinstance(value, float):
            _check_exponent(Decimal(repr(value)), value)
        if value != int(value):
            raise ParseError(expected)
        n = int(value)
    else:
        raise ParseError(expected)
    if n < 0:
        raise ParseError(f"expected a number >= 0, got {show(value)}")
    if n >= 10 ** (MAX_EXPONENT + 1):
        raise ParseError(f"expected a number below 1e{MAX_EXPONENT + 1}, got {show(value)}")
    return n


def _currency(code: object, original: object) -> str:
    if not isinstance(code, str) or code.upper() not in currency_codes():
        raise ParseError(
            f"expected an amount in a currency (ISO 4217 code such as 'VND'), got {show(original)}"
        )
    return code.upper()


def parse_money(value: object) -> Money:
    """Parse an amount in a currency: ``"1200.50 VND"``, ``{"amount": ..., "currency": ...}``.

    A pint quantity in a ``currency_XXX`` unit is accepted too. Anything else
    (``"12 kg"``, a bare number) is an error that says what was expected.
    """
    if isinstance(value, Money):
        return value
    expected = "an amount in a currency such as '1200.50 VND'"
    if isinstance(value, str):
        m = re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?)\s*([A-Za-z]{3})\s*", value)
        if m is None:
            _, unit = _split(value, expected) if _NUMBER_UNIT.match(value) else (None, "")
            why = f" ({_describe_dimension(unit)})" if unit else ""
            raise ParseError(f"expected {expected}, got {show(value)}{why}")
        amount = Decimal(m[1])
        _check_exponent(amount, value)
        return Money(amount, _currency(m[2], value))
    if isinstance(value, dict):
        extra = set(value) - {"amount", "currency"}
        if extra or "amount" not in value or "currency" not in value:
            raise ParseError(f"expected {{'amount': ..., 'currency': ...}}, got {show(value)}")
        try:
            amount = Decimal(str(value["amount"]))
        except InvalidOperation:
            raise ParseError(f"expected {expected}, got {show(value)}") from None
        if not amount.is_finite() or isinstance(value["amount"], bool):
            raise ParseError(f"expected {expected}, got {show(value)}")
        _check_exponent(amount, value)
        return Money(amount, _currency(value["currency"], value))
    if hasattr(value, "units") and hasattr(value, "magnitude"):
        try:
            unit = str(value.units)
            amount = Decimal(str(value.magnitude))
        except Exception:  # any object with these attributes may come
            unit, amount = "", Decimal(0)
        if unit.startswith(CURRENCY_UNIT_PREFIX) and amount.is_finite():
            _check_exponent(amount, value)
            return Money(amount, _currency(unit.removeprefix(CURRENCY_UNIT_PREFIX), value))
    raise ParseError(f"expected {expected}, got {show(value)}")


def fixed_point(value: Fraction, places: int) -> str:
    """*value* rounded half-even to *places* decimals, in fixed-point notation.

    Integer arithmetic only, so the caller's decimal context plays no part.
    """
    scaled = round(value * 10**places)
    whole, frac = divmod(abs(scaled), 10**places)
    sign = "-" if scaled < 0 else ""
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


def format_fraction(value: Fraction) -> str:
    """``Fraction(51, 100)`` -> ``"0.51"``; non-terminating -> ``"2/3"``. Lossless."""
    d = exact_decimal(value)
    return f"{value.numerator}/{value.denominator}" if d is None else str(d)
