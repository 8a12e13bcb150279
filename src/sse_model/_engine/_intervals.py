"""Deciding a comparison whose fact is unknown, when the known facts already decide it.

A numeric fact is unknown when one of its inputs is (a derived share of two amounts,
one missing), yet the known inputs and the declared domains of the missing ones may
leave it no choice: a retained share of at least the part allocated to reserves, a
count of at most the paid workers. This module bounds such a fact by an interval
``[lo, hi]`` over every *completion* (every way of filling in the unknown inputs that
the model accepts), read off the declarations alone:

- the domain of each raw field's kind (a share between 0 and 1, a count or an
  amount >= 0, a profit of any sign);
- the known fields the record's consistency rules tie it to (:class:`AtMost`: a part
  at most its whole; :class:`SumAtMost`: the parts of an allocation at most the
  profit, when there is one);
- interval arithmetic for the forms the derived values use (:class:`Ratio`: sums and
  differences over sums, with ``floor`` and the value of a zero denominator;
  :class:`Positive`: above zero).

A comparison is then met (not met) when every value of the interval meets (fails) it
and, when a completion can make the value undefined, the criterion's
``if_undefined`` says the same; otherwise it stays unknown. The bounds are computed
exactly (fractions), so a boundary decides as the known value would (``>= 51 %`` with
a lower bound of exactly 51 % is met). The interval may be wider than the true set of
values (each unknown input is bounded on its own), never narrower: a decided outcome
is the outcome of every completion, so knowing more never changes it.

The three evaluators use :func:`bounder` for a leaf whose fact is unknown; the
columnar lane sends the rows where it could decide to the exact lane
(:func:`bounding_paths`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

import attrs

from .._model import Money, Organisation
from .._model._declare import AtMost, Kind, Positive, Ratio, SumAtMost, spec_of
from .._model._organisation import FiscalYear
from .._model._schema import COLUMNS, DERIVED, RECORDS
from ._ast import Compare, Is, Op, Truth
from ._facts import FACTS, Fact, FactKind
from ._result import MET, NOT_MET, UNKNOWN

__all__ = ["Span", "bounder", "bounding_paths", "decide_span", "fact_span"]

INF = float("inf")

#: the values a raw field of each numeric kind can take when it is unknown
_DOMAIN: dict[Kind, tuple[Any, Any]] = {
    Kind.COUNT: (Fraction(0), INF),
    Kind.SHARE: (Fraction(0), Fraction(1)),
    Kind.RATE: (Fraction(0), INF),
    Kind.MONEY: (Fraction(0), INF),
    Kind.SIGNED_MONEY: (-INF, INF),
    Kind.HOURS: (Fraction(0), INF),
}

TRUTH_CODE = {Truth.TRUE: MET, Truth.FALSE: NOT_MET, Truth.UNKNOWN: UNKNOWN}


@attrs.frozen
class Span:
    """The values a numeric fact can take over every completion of its unknown inputs:
    the numbers of ``[lo, hi]`` (none when ``lo > hi``; ``lo``/``hi`` are exact
    fractions or infinite), and whether a completion makes it undefined or leaves it
    unknown (a zero denominator whose meaning the model does not give)."""

    lo: Any
    hi: Any
    undefined: bool = False
    unknown: bool = False
    #: the currency of an amount's bounds (None: no known amount bounds it)
    currency: str | None = None

    @property
    def empty(self) -> bool:
        """No completion gives a number."""
        return bool(self.lo > self.hi)


@cache
def _kinds(cls: type) -> dict[str, Kind]:
    return {f.name: spec.kind for f in attrs.fields(cls) if (spec := spec_of(f)) is not None}


def _value(record: object | None, name: str) -> tuple[Fraction | None, str | None]:
    """A field's value as an exact fraction (None: unknown), with its currency."""
    if record is None:
        return None, None
    value = getattr(record, name)
    if value is None:
        return None, None
    if isinstance(value, Money):
        return Fraction(value.amount), value.currency
    if isinstance(value, Decimal | int | Fraction):
        return Fraction(value), None
    return None, None  # pragma: no cover - numeric kinds hold numbers


def field_span(cls: type, record: object | None, name: str) -> Span:
    """The values field *name* of *record* (of class *cls*; None: no record) can take:
    its value when known, else its kind's domain narrowed by the known fields the
    class's rules tie it to."""
    known, currency = _value(record, name)
    if known is not None:
        return Span(known, known, currency=currency)
    lo, hi = _DOMAIN[_kinds(cls)[name]]
    if record is None:
        return Span(lo, hi)
    for rule in getattr(cls, "__rules__", ()):
        if isinstance(rule, AtMost):
            if rule.part == name:
                whole, cur = _value(record, rule.whole)
                if whole is not None and whole < hi:
                    hi, currency = whole, cur
            elif rule.whole == name:
                part, cur = _value(record, rule.part)
                if part is not None and part > lo:
                    lo, currency = part, cur
        elif isinstance(rule, SumAtMost) and name in rule.parts:
            whole, cur = _value(record, rule.whole)
            if whole is None or whole <= 0:
                continue  # a loss allocates nothing: the parts are not bounded by it
            others = [_value(record, p)[0] for p in rule.parts if p != name]
            bound = whole - sum(o for o in others if o is not None)
            if bound < hi:
                hi, currency = bound, cur
    return Span(lo, hi, currency=currency)


def _partners(cls: type, name: str) -> set[str]:
    """The fields :func:`field_span` may read to bound field *name* of *cls*."""
    out = {name}
    for rule in getattr(cls, "__rules__", ()):
        if isinstance(rule, AtMost) and name in (rule.part, rule.whole):
            out |= {rule.part, rule.whole}
        elif isinstance(rule, SumAtMost) and name in rule.parts:
            out |= {*rule.parts, rule.whole}
    return out


def _sum(cls: type, record: object | None, terms: tuple[str, ...]) -> tuple[Any, Any]:
    """Interval sum of the terms (a leading ``-`` subtracts)."""
    lo: Any = Fraction(0)
    hi: Any = Fraction(0)
    for term in terms:
        s = field_span(cls, record, term.lstrip("-"))
        if term.startswith("-"):
            lo, hi = lo - s.hi, hi - s.lo
        else:
            lo, hi = lo + s.lo, hi + s.hi
    return lo, hi


def _quotient(nl: Any, nh: Any, dl: Any, dh: Any) -> tuple[Any, Any]:
    """Bounds of n / d for n in [nl, nh] and d in [dl, dh] with 0 <= dl, 0 < dh (a
    bound dl of 0 is approached, never reached)."""
    lo: Any
    hi: Any
    if nl >= 0:
        lo = Fraction(0) if dh == INF else nl / dh
    else:
        lo = -INF if dl == 0 or nl == -INF else nl / dl
    if nh >= 0:
        if nh == INF:
            hi = INF
        elif dl == 0:
            hi = INF if nh > 0 else Fraction(0)
        else:
            hi = nh / dl
    else:
        hi = Fraction(0) if dh == INF else nh / dh
    return lo, hi


def ratio_span(formula: Ratio, cls: type, record: object | None) -> Span:
    """The values of a derived share over every completion (see :meth:`Ratio.of`)."""
    nl, nh = _sum(cls, record, formula.num)
    dl, dh = _sum(cls, record, formula.den)
    lo: Any = INF
    hi: Any = -INF
    if formula.floor:
        if nl < 0:  # a numerator below zero gives 0, whatever the denominator
            lo, hi = Fraction(0), Fraction(0)
        nl = max(nl, Fraction(0))
    undefined = unknown = False
    if nl <= nh:  # some completion reaches the denominator
        if dl <= 0:
            undefined = formula.if_zero is not None
            unknown = formula.if_zero is None
        if dh > 0:
            ql, qh = _quotient(nl, nh, max(dl, Fraction(0)), dh)
            lo, hi = min(lo, ql), max(hi, qh)
    return Span(lo, hi, undefined, unknown)


def _record_of(fact: Fact) -> tuple[str | None, str, type]:
    """(section, field, class of the record) of a fact read off one record."""
    derived = DERIVED.get(fact.name)
    if derived is not None:
        return derived.section, derived.field, RECORDS[derived.section]
    col = COLUMNS[fact.name]
    return col.section, col.field, RECORDS[col.section] if col.section else Organisation


def boundable(fact: Fact) -> bool:
    """Whether unknown values of *fact* may be bounded: a raw number, a derived share
    or a derived "above zero"."""
    if fact.compute is not None:
        return False
    derived = DERIVED.get(fact.name)
    if derived is not None:
        return True
    col = COLUMNS.get(fact.name)
    return col is not None and col.kind in _DOMAIN


def _record(section: str | None, org: Organisation | None, fy: FiscalYear | None) -> object | None:
    """The record a fact of *section* is read off (None: nothing known)."""
    if org is None:
        return None
    if section is None:
        return org
    if section == "finances":
        return fy
    record: object = getattr(org, section)
    return record


def fact_span(fact: Fact, org: Organisation | None, fy: FiscalYear | None) -> Span:
    """The values numeric *fact* can take for *org* (None: nothing known) over every
    completion of its unknown inputs."""
    section, field, cls = _record_of(fact)
    record = _record(section, org, fy)
    derived = DERIVED.get(fact.name)
    if derived is None:
        return field_span(cls, record, field)
    assert isinstance(derived.formula, Ratio)
    return ratio_span(derived.formula, cls, record)


def _side(span: Span, op: Op, t: Fraction) -> int:
    """MET / NOT_MET when every number of the span is on one side, else UNKNOWN."""
    lo, hi = span.lo, span.hi
    if op is Op.AT_LEAST:
        return MET if lo >= t else NOT_MET if hi < t else UNKNOWN
    if op is Op.MORE_THAN:
        return MET if lo > t else NOT_MET if hi <= t else UNKNOWN
    if op is Op.AT_MOST:
        return MET if hi <= t else NOT_MET if lo > t else UNKNOWN
    if op is Op.LESS_THAN:
        return MET if hi < t else NOT_MET if lo >= t else UNKNOWN
    return MET if lo == hi == t else NOT_MET if t < lo or t > hi else UNKNOWN


def decide_span(
    span: Span, op: Op, threshold: tuple[Fraction, str | None], if_undefined: Truth
) -> int:
    """The outcome every completion gives (UNKNOWN when they differ); amounts compare
    only in their own currency, as :func:`._evaluate.compare` does."""
    magnitude, currency = threshold
    if span.unknown:
        return UNKNOWN
    codes: set[int] = set()
    if not span.empty:
        if currency != span.currency:
            return UNKNOWN
        codes.add(_side(span, op, magnitude))
    if span.undefined:
        codes.add(TRUTH_CODE[if_undefined])
    return codes.pop() if len(codes) == 1 else UNKNOWN


#: the outcome of a leaf for an organisation (None: nothing known) and its fiscal year
Bounder = Callable[[Organisation | None, FiscalYear | None], int]


def _positive(fact: Fact, want: bool) -> Bounder:
    derived = DERIVED[fact.name]
    formula = derived.formula
    assert isinstance(formula, Positive)
    cls = RECORDS[derived.section]
    section = derived.section

    def code(org: Organisation | None, fy: FiscalYear | None) -> int:
        s = field_span(cls, _record(section, org, fy), formula.of_field)
        value = True if s.lo > 0 else False if s.hi <= 0 else None
        return UNKNOWN if value is None else MET if value is want else NOT_MET

    return code


def bounder(node: Compare | Is, threshold: tuple[Fraction, str | None] | None) -> Bounder | None:
    """For a leaf on a numeric fact (a comparison, or "is" on a derived "above zero"),
    the outcome when its fact is unknown, from what the known facts allow (*threshold*:
    the comparison's on the plan's date); None when it is always unknown."""
    fact = FACTS[node.fact]
    if not boundable(fact):
        return None
    formula = DERIVED[fact.name].formula if fact.name in DERIVED else None
    if isinstance(node, Is):
        return _positive(fact, node.value) if isinstance(formula, Positive) else None
    if threshold is None or isinstance(formula, Positive):
        return None
    if (threshold[1] is not None) is not (fact.kind is FactKind.AMOUNT):
        return None  # an amount compares with an amount, anything else with a number
    op, if_undefined = node.op, node.if_undefined

    def code(org: Organisation | None, fy: FiscalYear | None) -> int:
        return decide_span(fact_span(fact, org, fy), op, threshold, if_undefined)

    return code


def bounding_paths(fact: Fact) -> tuple[str, ...]:
    """The columns (``finances.reinvested``) a bound of *fact* reads: its inputs and
    the fields the rules tie them to. With none of them known, the bound is the
    domain's (:func:`fact_span` with no organisation)."""
    section, field, cls = _record_of(fact)
    derived = DERIVED.get(fact.name)
    fields = derived.formula.inputs if derived is not None else (field,)
    out: set[str] = set()
    for f in fields:
        out |= _partners(cls, f)
    prefix = f"{section}." if section else ""
    return tuple(sorted(prefix + f for f in out))


def domain_code(node: Compare | Is, threshold: tuple[Fraction, str | None] | None) -> int:
    """The outcome of the leaf when nothing of its fact is known (UNKNOWN, unless the
    domains alone decide it)."""
    code = bounder(node, threshold)
    return UNKNOWN if code is None else code(None, None)
