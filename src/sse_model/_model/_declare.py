"""Declarations of the model's fields: each fact is declared once, where it lives.

A field of the model is declared with a *specifier* (:func:`flag`, :func:`count`,
:func:`share`, :func:`money`...) that puts a :class:`Spec` in the attrs field's
metadata: its kind, its meaning, its unit, whether criteria may test it. A derived
value (a share computed from raw amounts) is declared with :func:`derived` and a
:class:`Ratio` or :class:`Positive` formula. Consistency rules between fields
(:class:`AtMost`, :class:`SumAtMost`, :class:`OneCurrency`) are data on the class
(``__rules__``).

Everything else is derived from these declarations, as attrs and cattrs derive
behaviour from fields: the model's validation and derived values
(:func:`check`), the flat column vocabulary and the fast lane's column reading
(:mod:`._schema`), the fact catalogue, the docs' reference tables and the
Hypothesis strategies. So adding a fact is one declaration plus its tests.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

import attrs

from .._errors import FieldError, InvalidInput
from ._units import (
    DECIMAL_CONTEXT,
    Money,
    ParseError,
    parse_count,
    parse_hours,
    parse_money,
    parse_ratio,
    show,
    sum_decimals,
)

#: Fiscal years outside this range are rejected (four-digit years).
MIN_YEAR, MAX_YEAR = 1000, 9999

__all__ = [
    "AtMost",
    "Kind",
    "OneCurrency",
    "Positive",
    "Ratio",
    "Rule",
    "Spec",
    "SumAtMost",
    "Undefined",
    "check",
    "choice",
    "choices",
    "code",
    "convert",
    "count",
    "day",
    "derived",
    "derived_of",
    "flag",
    "hours",
    "money",
    "rate",
    "share",
    "spec_of",
    "text",
    "year",
]

#: the metadata keys of a field's declaration
SPEC, DERIVED = "sse_model.spec", "sse_model.derived"


class Kind(enum.Enum):
    """What a raw field holds, and so how it is written, read and checked."""

    TEXT = "text"  #: free text
    CODE = "code"  #: a code checked against a list (country, subdivision, legal form)
    BOOL = "bool"  #: yes or no
    COUNT = "count"  #: a whole number of persons or things
    SHARE = "share"  #: a share between 0 and 1 (0 to 100 %)
    RATE = "rate"  #: a rate >= 0 (may exceed 100 %)
    MONEY = "money"  #: an amount >= 0 in a currency
    SIGNED_MONEY = "signed_money"  #: an amount in a currency, may be negative (profits)
    DATE = "date"
    CHOICE = "choice"  #: one value of a closed vocabulary
    CHOICES = "choices"  #: a set of values of a closed vocabulary
    HOURS = "hours"  #: a duration >= 0
    YEAR = "year"  #: a four-digit year


#: the kinds that hold an amount of money
MONEY_KINDS = frozenset({Kind.MONEY, Kind.SIGNED_MONEY})


@attrs.frozen
class Spec:
    """The declaration of one raw field of the model."""

    kind: Kind
    #: what the field means, for people (the docs' tables, the fact catalogue)
    doc: str
    #: the closed vocabulary of a CHOICE or CHOICES field
    choices: type[enum.Enum] | None = None
    #: the unit a count is counted in (for people)
    unit: str = ""
    #: criteria may test this field, as a fact of the same name
    fact: bool = False
    #: the column name in the flat vocabulary, when it is not the field's path
    column: str | None = None
    #: other fields the fact depends on (a family is presumed from the legal form)
    also: tuple[str, ...] = ()
    #: what values a code takes, for people (the list it is checked against)
    values: str = ""
    #: fields without which this one cannot be given (a subdivision needs its country)
    needs: tuple[str, ...] = ()
    #: a recorded event whose absence means "none recorded" (a closed record), not
    #: unknown: a deregistration
    closed: bool = False


@attrs.frozen
class Undefined:
    """A derived value that does not exist, e.g. the reinvested share of a loss.

    It is not unknown (knowing more will not define it) and it is not zero.
    """

    reason: str

    def __str__(self) -> str:
        return f"undefined ({self.reason})"


@attrs.frozen
class Ratio:
    """A derived share: the sum of *num* over the sum of *den* (names of fields of the
    same record; a leading ``-`` subtracts). Unknown when any term is; *if_zero* when
    the denominator is zero or less (``None``: unknown); with *floor*, a numerator below
    zero gives 0 (checked first)."""

    num: tuple[str, ...]
    den: tuple[str, ...]
    if_zero: Undefined | None
    doc: str
    floor: bool = False

    @property
    def inputs(self) -> tuple[str, ...]:
        """The raw fields the value is computed from, each once."""
        return tuple(dict.fromkeys(t.lstrip("-") for t in (*self.num, *self.den)))

    def of(self, record: object) -> Fraction | Undefined | None:
        """The value for *record* (exact)."""
        num = _sum(record, self.num)
        if num is None:
            return None
        den = _sum(record, self.den)
        if den is None:
            return None
        if self.floor and num < 0:
            return Fraction(0)
        if den <= 0:
            return self.if_zero
        # one normalisation (ints, Decimals and Fractions all give their exact ratio)
        a, b = num.as_integer_ratio()
        c, d = den.as_integer_ratio()
        return Fraction(a * d, b * c)


@attrs.frozen
class Positive:
    """A derived yes/no: the field *of* is above zero (unknown when it is)."""

    of_field: str
    doc: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.of_field,)

    def of(self, record: object) -> bool | None:
        value = getattr(record, self.of_field)
        return None if value is None else bool(_raw(value) > 0)


Formula = Ratio | Positive


def _raw(value: Any) -> Any:
    """A field's value as a plain exact number (an amount's Decimal, a count, a share)."""
    return value.amount if isinstance(value, Money) else value


def _sum(record: object, terms: Sequence[str]) -> Any:
    """The exact sum of the terms (None if one is unknown); Decimals add in the
    library's context, so no digit is lost."""
    if len(terms) == 1 and terms[0][0] != "-":
        value = getattr(record, terms[0])
        return None if value is None else _raw(value)
    total: Any = 0
    for term in terms:
        value = getattr(record, term.lstrip("-"))
        if value is None:
            return None
        value = _raw(value)
        minus = term.startswith("-")
        if isinstance(total, Decimal) or isinstance(value, Decimal):
            # in the library's context: exact, whatever the caller's context
            total = (DECIMAL_CONTEXT.subtract if minus else DECIMAL_CONTEXT.add)(total, value)
        else:
            total = total - value if minus else total + value
    return total


# --- specifiers ----------------------------------------------------------------------


def _field(spec: Spec, *, required: bool = False) -> Any:
    if required:
        return attrs.field(metadata={SPEC: spec})
    return attrs.field(default=None, metadata={SPEC: spec})


def text(doc: str, *, required: bool = False) -> Any:
    """A free-text field (unknown when ``None``)."""
    return _field(Spec(Kind.TEXT, doc), required=required)


def code(
    doc: str,
    *,
    values: str,
    fact: bool = False,
    required: bool = False,
    needs: tuple[str, ...] = (),
) -> Any:
    """A code checked against a list by its record (country, subdivision, legal form);
    *values* says which list, for people; *needs*: fields it cannot be given without."""
    spec = Spec(Kind.CODE, doc, fact=fact, values=values, needs=needs)
    return _field(spec, required=required)


def flag(doc: str, *, fact: bool = True) -> Any:
    """A yes/no field."""
    return _field(Spec(Kind.BOOL, doc, fact=fact))


def count(doc: str, *, unit: str = "persons", fact: bool = True) -> Any:
    """A whole number."""
    return _field(Spec(Kind.COUNT, doc, unit=unit, fact=fact))


def share(doc: str, *, fact: bool = True) -> Any:
    """A share between 0 and 1."""
    return _field(Spec(Kind.SHARE, doc, fact=fact))


def rate(doc: str, *, fact: bool = True) -> Any:
    """A rate >= 0."""
    return _field(Spec(Kind.RATE, doc, fact=fact))


def money(doc: str, *, signed: bool = False, fact: bool = False) -> Any:
    """An amount of money (>= 0 unless *signed*)."""
    return _field(Spec(Kind.SIGNED_MONEY if signed else Kind.MONEY, doc, fact=fact))


def day(doc: str, *, closed: bool = False) -> Any:
    """A date (*closed*: of an event whose absence means none was recorded)."""
    return _field(Spec(Kind.DATE, doc, closed=closed))


def choice(
    vocabulary: type[enum.Enum],
    doc: str,
    *,
    fact: bool = True,
    also: tuple[str, ...] = (),
    closed: bool = False,
) -> Any:
    """One value of *vocabulary* (*also*: other fields the fact depends on; *closed*: a
    record whose absence means nothing was recorded, as for :func:`day`)."""
    return _field(Spec(Kind.CHOICE, doc, choices=vocabulary, fact=fact, also=also, closed=closed))


def choices(vocabulary: type[enum.Enum], doc: str, *, fact: bool = True) -> Any:
    """A set of values of *vocabulary*."""
    return _field(Spec(Kind.CHOICES, doc, choices=vocabulary, fact=fact))


def hours(doc: str) -> Any:
    """A duration >= 0."""
    return _field(Spec(Kind.HOURS, doc))


def year(doc: str, *, column: str) -> Any:
    """The year a record is about (required: no default)."""
    return _field(Spec(Kind.YEAR, doc, column=column), required=True)


def derived(formula: Formula) -> Any:
    """A value computed from other fields of the record by *formula* (not an argument,
    not compared, not shown in the repr)."""
    return attrs.field(init=False, eq=False, repr=False, metadata={DERIVED: formula})


def spec_of(field: attrs.Attribute[Any]) -> Spec | None:
    """The declaration of a raw field, if it has one."""
    spec: Spec | None = field.metadata.get(SPEC)
    return spec


def derived_of(field: attrs.Attribute[Any]) -> Formula | None:
    """The formula of a derived field, if it is one."""
    formula: Formula | None = field.metadata.get(DERIVED)
    return formula


# --- consistency rules -------------------------------------------------------------------


class Rule(Protocol):
    """A consistency rule between fields of one record."""

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the rule reads."""

    def problems(self, record: object, what: str) -> list[FieldError]:
        """What is wrong with *record* (*what* names it in messages)."""


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, Money) else str(value)


@attrs.frozen
class AtMost:
    """*part* is at most *whole* (when both are known)."""

    part: str
    whole: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.part, self.whole)

    def problems(self, record: object, what: str) -> list[FieldError]:
        part, whole = getattr(record, self.part), getattr(record, self.whole)
        if part is None or whole is None or _raw(part) <= _raw(whole):
            return []
        message = f"expected at most {self.whole} ({_show(whole)}), got {_show(part)}"
        return [FieldError(self.part, message)]


@attrs.frozen
class SumAtMost:
    """The known *parts* add up to at most *whole*, when *whole* is above zero (the parts
    of an allocation of profit: nothing is allocated from a loss)."""

    parts: tuple[str, ...]
    whole: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.parts, self.whole)

    def problems(self, record: object, what: str) -> list[FieldError]:
        whole = getattr(record, self.whole)
        known = [getattr(record, p) for p in self.parts if getattr(record, p) is not None]
        if whole is None or not known or whole.amount <= 0:
            return []
        total = sum_decimals(v.amount for v in known)
        if total <= whole.amount:
            return []
        message = (
            f"expected {' + '.join(self.parts)} at most {self.whole} ({_show(whole)}), "
            f"got {total} {whole.currency}"
        )
        return [FieldError(self.parts[0], message)]


@attrs.frozen
class OneCurrency:
    """The known amounts of *fields* are in one currency (currencies are never
    converted); a record failing it is not compared further."""

    fields: tuple[str, ...]
    #: what the amounts are, in messages (default: the record)
    of: str | None = None

    def problems(self, record: object, what: str) -> list[FieldError]:
        amounts = {n: getattr(record, n) for n in self.fields if getattr(record, n) is not None}
        if len({m.currency for m in amounts.values()}) <= 1:
            return []
        first = next(iter(amounts.values())).currency
        return [
            FieldError(
                n,
                f"expected an amount in {first} like the rest of {self.of or what}, "
                f"got '{m}' (currencies are never converted)",
            )
            for n, m in amounts.items()
            if m.currency != first
        ]


def _problem(kind: Kind, name: str, value: Any) -> FieldError | None:
    """What is wrong with *value* for a field of *kind* (None: nothing)."""
    if kind is Kind.SHARE and not 0 <= value <= 1:
        return FieldError(name, f"expected a share between 0 and 100 %, got {value}")
    if kind is Kind.RATE and value < 0:
        return FieldError(name, f"expected a rate >= 0, got {value}")
    if kind is Kind.MONEY and value.amount < 0:
        return FieldError(name, f"expected an amount >= 0, got '{value}'")
    if kind is Kind.HOURS and value < 0:
        return FieldError(name, f"expected hours >= 0, got {value}")
    if kind is Kind.YEAR and not MIN_YEAR <= value <= MAX_YEAR:
        # no check against today: validation must not depend on when it runs
        return FieldError(name, f"expected a year from {MIN_YEAR} to {MAX_YEAR}, got {value}")
    return None


# --- conversion of constructor arguments ----------------------------------------------


#: the parser of each kind whose values a constructor converts (the ones the serialised
#: form uses: a bare number is a ratio, floats go through their shortest repr)
_PARSERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.COUNT: parse_count,
    Kind.SHARE: parse_ratio,
    Kind.RATE: parse_ratio,
    Kind.MONEY: parse_money,
    Kind.SIGNED_MONEY: parse_money,
    Kind.HOURS: parse_hours,
    Kind.YEAR: parse_count,
}

#: the Python class a field of each kind holds once converted
_CLASSES: dict[Kind, type] = {
    Kind.TEXT: str,
    Kind.CODE: str,
    Kind.BOOL: bool,
    Kind.COUNT: int,
    Kind.SHARE: Fraction,
    Kind.RATE: Fraction,
    Kind.MONEY: Money,
    Kind.SIGNED_MONEY: Money,
    Kind.DATE: date,
    Kind.CHOICES: frozenset,
    Kind.HOURS: Fraction,
    Kind.YEAR: int,
}

_EXPECTED = {
    Kind.TEXT: "a string",
    Kind.CODE: "a string code",
    Kind.BOOL: "True or False",
    Kind.DATE: "a date such as date(2024, 7, 1) or '2024-07-01'",
}


def _convert(spec: Spec, name: str, value: Any, problems: list[FieldError]) -> Any:
    """*value* (not of the class its field holds) converted by its kind, or ``None`` with
    a problem recorded: a share from ``0.5`` or ``"50 %"``, money from ``"100 VND"``, a
    choice from its value; text, flags and other types are not guessed."""
    kind = spec.kind
    try:
        if kind in _PARSERS and not isinstance(value, bool):
            return _PARSERS[kind](value)
        if kind is Kind.COUNT and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is Kind.DATE:
            if isinstance(value, datetime):
                if value.time() == time(0):
                    return value.date()
            elif isinstance(value, date):
                return value
            elif isinstance(value, str):
                with contextlib.suppress(ValueError):
                    return date.fromisoformat(value)
        if kind is Kind.CHOICE and spec.choices is not None:
            return _member(spec.choices, value)
        if kind is Kind.CHOICES and spec.choices is not None and not isinstance(value, str):
            vocabulary = spec.choices
            return frozenset(_member(vocabulary, v) for v in value)
        if kind is Kind.TEXT and isinstance(value, str):
            return value  # a str subclass
    except (ParseError, ValueError) as e:
        problems.append(FieldError(name, str(e)))
        return None
    except TypeError:  # not iterable, not a number...: said below
        pass
    if kind in _PARSERS:
        expected = "a number" if kind is not Kind.MONEY else "an amount such as '100 VND'"
    elif kind in (Kind.CHOICE, Kind.CHOICES) and spec.choices is not None:
        expected = "one of " + ", ".join(repr(m.value) for m in spec.choices)
        if kind is Kind.CHOICES:
            expected = f"a set of values, each {expected}"
    else:
        expected = _EXPECTED.get(kind, "a value of its kind")
    problems.append(FieldError(name, f"expected {expected}, got {show(value)}"))
    return None


def _member(vocabulary: type[enum.Enum], value: Any) -> enum.Enum:
    if isinstance(value, vocabulary):
        return value
    try:
        return vocabulary(value)
    except ValueError:
        choices = ", ".join(repr(m.value) for m in vocabulary)
        raise ValueError(f"expected one of {choices}, got {value!r}") from None


def _conversion_lines(cls: type, ns: dict[str, Any]) -> list[str]:
    """Lines of a generated function converting the constructor arguments of *cls*: a
    value already of its field's class costs one class comparison."""
    lines = []
    for f in attrs.fields(cls):
        spec = spec_of(f)
        if spec is None:
            continue
        target = spec.choices if spec.kind is Kind.CHOICE else _CLASSES.get(spec.kind)
        if target is None:
            continue
        ns[f"S_{f.name}"], ns[f"T_{f.name}"] = spec, target
        lines += [
            f"    v = self.{f.name}",
            f"    if v is not None and v.__class__ is not T_{f.name}:",
            f"        _set(self, {f.name!r}, _convert(S_{f.name}, {f.name!r}, v, problems))",
        ]
        if spec.kind is Kind.CHOICES:
            vocabulary = ns[f"E_{f.name}"] = spec.choices
            assert vocabulary is not None
            lines += [
                f"    elif v is not None and not all(x.__class__ is E_{f.name} for x in v):",
                f"        _set(self, {f.name!r}, _convert(S_{f.name}, {f.name!r}, v, problems))",
            ]
    return lines


def _ratio_of(a: Any, b: Any) -> Fraction:
    """The exact ratio a / b of two plain numbers (b > 0), normalised once."""
    n, d = a.as_integer_ratio()
    m, e = b.as_integer_ratio()
    return Fraction(n * e, d * m)


def _check_source(cls: Any) -> tuple[str, dict[str, Any]]:
    """The source of *cls*'s check, generated from its declarations as attrs generates
    ``__init__``: plain attribute reads and comparisons, no loop over fields."""
    fields = attrs.fields(cls)
    kinds = {f.name: spec.kind for f in fields if (spec := spec_of(f)) is not None}
    rules: tuple[Rule, ...] = cls.__rules__
    ns: dict[str, Any] = {
        "FieldError": FieldError,
        "InvalidInput": InvalidInput,
        "_problem": _problem,
        "_ratio_of": _ratio_of,
        "_set": object.__setattr__,
        "_convert": _convert,
    }
    lines = ["def check(self, what):", "    problems = []", *_conversion_lines(cls, ns)]
    conditions = {
        Kind.SHARE: "not 0 <= v <= 1",
        Kind.RATE: "v < 0",
        Kind.MONEY: "v.amount < 0",
        Kind.HOURS: "v < 0",
        Kind.YEAR: f"not {MIN_YEAR} <= v <= {MAX_YEAR}",
    }
    for name, kind in kinds.items():
        if kind in conditions:
            ns[f"K_{name}"] = kind
            lines += [
                f"    v = self.{name}",
                f"    if v is not None and {conditions[kind]}:",
                f"        problems.append(_problem(K_{name}, {name!r}, v))",
            ]

    def raw(name: str) -> str:
        return f"self.{name}.amount" if kinds.get(name) in MONEY_KINDS else f"self.{name}"

    mixed: dict[int, frozenset[str]] = {}
    for i, rule in enumerate(rules):
        ns[f"R{i}"] = rule
        if isinstance(rule, OneCurrency):
            mixed[i] = frozenset(rule.fields)
            values = ", ".join(f"self.{f}" for f in rule.fields)
            lines += [
                f"    m{i} = False",
                "    c = None",
                f"    for v in ({values},):",
                "        if v is not None:",
                "            if c is None:",
                "                c = v.currency",
                "            elif v.currency != c:",
                f"                m{i} = True",
                "                break",
                f"    if m{i}:",
                f"        problems.extend(R{i}.problems(self, what))",
            ]
    for i, rule in enumerate(rules):
        if isinstance(rule, OneCurrency):
            continue
        guards = [f"not m{j}" for j, fs in mixed.items() if fs.intersection(rule.fields)]
        indent = "    "
        if guards:
            lines.append(f"    if {' and '.join(guards)}:")
            indent = "        "
        if isinstance(rule, AtMost):
            a, b = rule.part, rule.whole
            lines += [
                f"{indent}if self.{a} is not None and self.{b} is not None "
                f"and {raw(a)} > {raw(b)}:",
                f"{indent}    problems.extend(R{i}.problems(self, what))",
            ]
        else:
            lines.append(f"{indent}problems.extend(R{i}.problems(self, what))")
    lines += ["    if problems:", "        raise InvalidInput(what, problems)"]
    for f in fields:
        formula = derived_of(f)
        if formula is None:
            continue
        ns[f"F_{f.name}"] = formula
        simple = (
            isinstance(formula, Ratio)
            and not formula.floor
            and len(formula.num) == len(formula.den) == 1
            and not (formula.num[0] + formula.den[0]).count("-")
        )
        if isinstance(formula, Ratio) and simple:
            a, b = formula.num[0], formula.den[0]
            ns[f"Z_{f.name}"] = formula.if_zero
            lines += [
                f"    if self.{a} is None or self.{b} is None:",
                f"        _set(self, {f.name!r}, None)",
                f"    elif {raw(b)} <= 0:",
                f"        _set(self, {f.name!r}, Z_{f.name})",
                "    else:",
                f"        _set(self, {f.name!r}, _ratio_of({raw(a)}, {raw(b)}))",
            ]
        else:
            lines.append(f"    _set(self, {f.name!r}, F_{f.name}.of(self))")
    return "\n".join(lines) + "\n", ns


def _needs(cls: type) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The fields of *cls* that need others, with the fields they need (once per class)."""
    found = _NEEDS.get(cls)
    if found is not None:
        return found
    out = []
    for f in attrs.fields(cls):
        spec = spec_of(f)
        if spec is not None and spec.needs:
            out.append((f.name, tuple(spec.needs)))
    found = _NEEDS[cls] = tuple(out)
    return found


_NEEDS: dict[type, tuple[tuple[str, tuple[str, ...]], ...]] = {}


def needs_problems(record: Any) -> list[FieldError]:
    """Fields given without a field they need (a subdivision without its country)."""
    out = []
    for name, needs in _needs(type(record)):
        if getattr(record, name) is None:
            continue
        for need in needs:
            if getattr(record, need) is None:
                value = getattr(record, name)
                message = f"expected a {need} with the {name} {value!r}, got none"
                out.append(FieldError(name, message))
    return out


#: the generated check of each class, built on first use
_CHECKS: dict[type, Callable[[Any, str], None]] = {}


def _checker(cls: type) -> Callable[[Any, str], None]:
    fn = _CHECKS.get(cls)
    if fn is None:
        source, ns = _check_source(cls)
        filename = f"<sse_model generated check {cls.__module__}.{cls.__qualname__}>"
        exec(compile(source, filename, "exec"), ns)
        fn = _CHECKS[cls] = ns["check"]
    return fn


_CONVERSIONS: dict[type, Callable[[Any], list[FieldError]]] = {}


def convert(record: Any) -> list[FieldError]:
    """Convert the declared fields of *record* in place (see :func:`_convert`); the
    problems of the values that cannot be (those fields are left ``None``). For a
    class whose checks are its own (the organisation); :func:`check` converts too."""
    cls = type(record)
    fn = _CONVERSIONS.get(cls)
    if fn is None:
        ns: dict[str, Any] = {"_set": object.__setattr__, "_convert": _convert}
        source = "\n".join(
            [
                "def convert(self):",
                "    problems = []",
                *_conversion_lines(cls, ns),
                "    return problems",
                "",
            ]
        )
        filename = f"<sse_model generated conversion {cls.__module__}.{cls.__qualname__}>"
        exec(compile(source, filename, "exec"), ns)
        fn = _CONVERSIONS[cls] = ns["convert"]
    return fn(record)


def check(record: Any, what: str) -> None:
    """Validate *record* by its declarations, then set its derived values.

    Every problem is reported at once (:class:`~sse_model.InvalidInput`, with field
    paths): each value converted to its field's class (``0.5`` and ``"50 %"`` to a
    share, ``"100 VND"`` to money, a choice's value to its member) or rejected, then
    each field against its kind (a share between 0 and 1, an amount >= 0...),
    then the class's rules; a record whose amounts are in several currencies is not
    compared further (its comparisons would mean nothing). The check of each class is
    generated once from its declarations (see :func:`_check_source`).
    """
    _checker(type(record))(record, what)
