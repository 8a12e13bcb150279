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

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cache, lru_cache
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
    Kind.COUNT: (0, INF),
    Kind.SHARE: (0, 1),
    Kind.RATE: (0, INF),
    Kind.MONEY: (0, INF),
    Kind.SIGNED_MONEY: (-INF, INF),
    Kind.HOURS: (0, INF),
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


def _value(record: object | None, name: str) -> tuple[Fraction | int | None, str | None]:
    """A field's value as an exact number (None: unknown), with its currency: counts
    stay integers (exact, and far cheaper to add and compare than fractions)."""
    if record is None:
        return None, None
    value = getattr(record, name)
    if value is None:
        return None, None
    if type(value) is int or type(value) is Fraction:
        return value, None
    if isinstance(value, Money):
        return _exact(value.amount), value.currency
    if isinstance(value, Decimal | int | Fraction):
        return _exact(value), None
    return None, None  # pragma: no cover - numeric kinds hold numbers


def _exact(value: Decimal | int | Fraction) -> Fraction | int:
    """A number exactly, as an integer when it is whole."""
    if isinstance(value, Decimal):
        n, d = value.as_integer_ratio()
        return n if d == 1 else Fraction(n, d)
    return value if type(value) is int or value.denominator != 1 else int(value)


def _over(a: Any, b: Any) -> Any:
    """a / b exactly (b a finite number other than 0): integers give a fraction."""
    if type(a) is int and type(b) is int:
        return Fraction(a, b)
    return a / b


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
    lo: Any = 0
    hi: Any = 0
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
        lo = 0 if dh == INF else _over(nl, dh)
    else:
        lo = -INF if dl == 0 or nl == -INF else _over(nl, dl)
    if nh >= 0:
        if nh == INF:
            hi = INF
        elif dl == 0:
            hi = INF if nh > 0 else 0
        else:
            hi = _over(nh, dl)
    else:
        hi = 0 if dh == INF else _over(nh, dh)
    return lo, hi


def ratio_span(formula: Ratio, cls: type, record: object | None) -> Span:
    """The values of a derived share over every completion (see :meth:`Ratio.of`)."""
    nl, nh = _sum(cls, record, formula.num)
    dl, dh = _sum(cls, record, formula.den)
    lo: Any = INF
    hi: Any = -INF
    if formula.floor:
        if nl < 0:  # a numerator below zero gives 0, whatever the denominator
            lo, hi = 0, 0
        nl = max(nl, 0)
    undefined = unknown = False
    if nl <= nh:  # some completion reaches the denominator
        if dl <= 0:
            undefined = formula.if_zero is not None
            unknown = formula.if_zero is None
        if dh > 0:
            ql, qh = _quotient(nl, nh, max(dl, 0), dh)
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


@cache
def _reads(name: str) -> tuple[str | None, str, type, tuple[str, ...], Span]:
    """(section, field, class of the record, every field :func:`fact_span` may read, the
    span when none of them is known) of numeric fact *name*."""
    fact = FACTS[name]
    section, field, cls = _record_of(fact)
    derived = DERIVED.get(fact.name)
    if derived is None:
        fields = _partners(cls, field)
        blank = field_span(cls, None, field)
    else:
        assert isinstance(derived.formula, Ratio)
        fields = set()
        for term in (*derived.formula.num, *derived.formula.den):
            fields |= _partners(cls, term.lstrip("-"))
        blank = ratio_span(derived.formula, cls, None)
    return section, field, cls, tuple(sorted(fields)), blank


def fact_span(fact: Fact, org: Organisation | None, fy: FiscalYear | None) -> Span:
    """The values numeric *fact* can take for *org* (None: nothing known) over every
    completion of its unknown inputs."""
    section, field, cls, fields, blank = _reads(fact.name)
    record = _record(section, org, fy)
    if record is None or all(getattr(record, f) is None for f in fields):
        return blank  # nothing known bounds it: the domain (most unknown facts)
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


@lru_cache(maxsize=4096)  # (explanations ask again for every leaf of every organisation)
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


# --- the same bounds over columns (the columnar lane) ---------------------------------

#: relative error bound of a sum or cross-product of floats read from decimal text (as
#: the columnar lane's): a bound within it of a threshold is settled by the exact lane
_TOL = 1e-9

#: a raw number column: (known, value) per row
NumberSource = Callable[[str], "tuple[Any, Any] | None"]


class _Columns:
    """Vectorised :func:`field_span` and :func:`ratio_span` over raw number columns:
    each bound is a float array with the size of the terms it was computed from (its
    float error is within ``_TOL`` times that size), and rows where a sign or a
    comparison falls within that error are *unsure* (the exact lane settles them)."""

    def __init__(self, np: Any, n: int, raw: NumberSource, whole: Any) -> None:
        self.np, self.n, self.raw = np, n, raw
        #: rows whose amounts are whole numbers (sums of them are exact)
        self.whole = np.zeros(n, dtype=bool) if whole is None else whole
        self.unsure = np.zeros(n, dtype=bool)
        #: rows whose known facts leave an input no value (the exact lane says what then)
        self.empty = np.zeros(n, dtype=bool)

    def column(self, path: str) -> tuple[Any, Any]:
        got = self.raw(path)
        if got is None:
            raise LookupError(path)
        known, value = got
        return known, self.np.where(known, value, 0.0)

    def sign_unsure(self, x: Any, size: Any) -> Any:
        np = self.np
        return (np.abs(x) <= _TOL * size) & (size > 0) & ~self.whole

    def field(self, cls: type, section: str | None, name: str) -> tuple[Any, ...]:
        np = self.np
        prefix = f"{section}." if section else ""
        lo_d, hi_d = (float(b) for b in _DOMAIN[_kinds(cls)[name]])
        k, v = self.column(prefix + name)
        lo = np.where(k, v, lo_d)
        hi = np.where(k, v, hi_d)
        slo = np.where(k, np.abs(v), 0.0)
        shi = slo.copy()
        for rule in getattr(cls, "__rules__", ()):
            if isinstance(rule, AtMost) and name in (rule.part, rule.whole):
                other = rule.whole if rule.part == name else rule.part
                ko, vo = self.column(prefix + other)
                if rule.part == name:
                    m = ~k & ko & (vo < hi)
                    hi, shi = np.where(m, vo, hi), np.where(m, np.abs(vo), shi)
                else:
                    m = ~k & ko & (vo > lo)
                    lo, slo = np.where(m, vo, lo), np.where(m, np.abs(vo), slo)
            elif isinstance(rule, SumAtMost) and name in rule.parts:
                kw, vw = self.column(prefix + rule.whole)
                bound, size = vw.copy(), np.abs(vw)
                for p in rule.parts:
                    if p != name:
                        ko, vo = self.column(prefix + p)
                        bound, size = bound - vo, size + np.abs(vo)
                m = ~k & kw & (vw > 0) & (bound < hi)
                hi, shi = np.where(m, bound, hi), np.where(m, size, shi)
        self.empty |= lo > hi
        return lo, hi, slo, shi

    def terms(self, cls: type, section: str | None, terms: tuple[str, ...]) -> tuple[Any, ...]:
        np = self.np
        lo, hi = np.zeros(self.n), np.zeros(self.n)
        slo, shi = np.zeros(self.n), np.zeros(self.n)
        for term in terms:
            fl, fh, sl, sh = self.field(cls, section, term.lstrip("-"))
            if term.startswith("-"):
                lo, hi, slo, shi = lo - fh, hi - fl, slo + sh, shi + sl
            else:
                lo, hi, slo, shi = lo + fl, hi + fh, slo + sl, shi + sh
        return lo, hi, slo, shi


def _point(np: Any, mask: Any, n: Any, d: Any, sn: Any, sd: Any, end: list[Any]) -> None:
    """Set the endpoint (n / d, sizes sn, sd) of the rows of *mask*."""
    for i, x in enumerate((n, d, sn, sd)):
        end[i] = np.where(mask, x, end[i])


def _sides(np: Any, end: Sequence[Any], p: float, q: float, whole: Any) -> tuple[Any, Any]:
    """Sign of endpoint - p / q per row, and whether it is within float error (never in
    rows of whole numbers whose products stay below 2**52: those are exact)."""
    n, d, sn, sd = end
    left, right = n * q, p * d
    diff = left - right
    unsure = (np.abs(diff) <= _TOL * (sn * q + abs(p) * sd)) & (sn + sd > 0)
    exact = whole & (np.abs(left) < 2.0**52) & (np.abs(right) < 2.0**52)
    return np.sign(diff), unsure & ~exact


def _op_codes(np: Any, op: Op, c_lo: Any, c_hi: Any) -> Any:
    """The outcome of the interval [lo, hi] from the signs of lo - t and hi - t."""
    if op is Op.AT_LEAST:
        met, not_met = c_lo >= 0, c_hi < 0
    elif op is Op.MORE_THAN:
        met, not_met = c_lo > 0, c_hi <= 0
    elif op is Op.AT_MOST:
        met, not_met = c_hi <= 0, c_lo > 0
    elif op is Op.LESS_THAN:
        met, not_met = c_hi < 0, c_lo >= 0
    else:
        met, not_met = (c_lo == 0) & (c_hi == 0), (c_lo > 0) | (c_hi < 0)
    return np.where(met, MET, np.where(not_met, NOT_MET, UNKNOWN))


@attrs.frozen
class SpanColumns:
    """The threshold-free part of a bound over columns, for one fact and set of rows:
    per row, the endpoints of its interval (numerator, denominator and their float
    error sizes, ``[n, d, sn, sd]``), which rows have numbers, a value of zero (a floor),
    an undefined or unknown value, and the rows already unsure (within float error of a
    sign, or whose inputs are left no value). Every leaf comparing the fact reuses it."""

    n: int
    unsure: Any
    whole: Any
    #: a derived "above zero": its outcome per row (None for a comparison's span)
    positive: Any = None
    low: tuple[Any, ...] = ()
    high: tuple[Any, ...] = ()
    numbers: Any = None
    zero: Any = None
    undefined: Any = None
    unknown: Any = None


def _span_columns(fact: Fact) -> Callable[[_Columns], SpanColumns]:
    """How to compute the :class:`SpanColumns` of *fact* (boundable, not an amount)."""
    section, field, cls = _record_of(fact)
    formula = DERIVED[fact.name].formula if fact.name in DERIVED else None

    def positive(cols: _Columns) -> SpanColumns:
        np = cols.np
        assert isinstance(formula, Positive)
        lo, hi, slo, shi = cols.field(cls, section, formula.of_field)
        cols.unsure |= cols.sign_unsure(lo, slo) | cols.sign_unsure(hi, shi)
        value = np.where(lo > 0, MET, np.where(hi <= 0, NOT_MET, UNKNOWN))
        return SpanColumns(cols.n, cols.unsure | cols.empty, cols.whole, positive=value)

    def number(cols: _Columns) -> SpanColumns:  # a raw number: its own span
        np = cols.np
        lo, hi, slo, shi = cols.field(cls, section, field)
        zeros, ones = np.zeros(cols.n), np.ones(cols.n)
        none = np.zeros(cols.n, dtype=bool)
        low_inf, high_inf = lo == -INF, hi == INF
        low = (np.where(low_inf, -1.0, lo), np.where(low_inf, 0.0, ones), slo, zeros)
        high = (np.where(high_inf, 1.0, hi), np.where(high_inf, 0.0, ones), shi, zeros)
        return SpanColumns(
            cols.n,
            cols.unsure | cols.empty,
            cols.whole,
            low=low,
            high=high,
            numbers=np.ones(cols.n, dtype=bool),
            zero=none,
            undefined=none,
            unknown=none,
        )

    def ratio(cols: _Columns) -> SpanColumns:
        np = cols.np
        assert isinstance(formula, Ratio)
        nl, nh, snl, snh = cols.terms(cls, section, formula.num)
        dl, dh, sdl, sdh = cols.terms(cls, section, formula.den)
        zero = np.zeros(cols.n, dtype=bool)
        if formula.floor:
            cols.unsure |= cols.sign_unsure(nl, snl)
            zero = nl < 0
            nl, snl = np.where(zero, 0.0, nl), np.where(zero, 0.0, snl)
            cols.unsure |= cols.sign_unsure(nh, snh)
            reach = nh >= 0
        else:
            reach = np.ones(cols.n, dtype=bool)
        cols.unsure |= cols.sign_unsure(dl, sdl) | cols.sign_unsure(dh, sdh)
        cols.unsure |= cols.sign_unsure(nl, snl) | cols.sign_unsure(nh, snh)
        at_zero = reach & (dl <= 0)
        undefined = at_zero & (formula.if_zero is not None)
        unknown = at_zero & (formula.if_zero is None)
        numbers = reach & (dh > 0)
        dlo = np.where(dl <= 0, 0.0, dl)
        sdlo = np.where(dl <= 0, 0.0, sdl)
        inf_dh = dh == INF
        zeros, ones = np.zeros(cols.n), np.ones(cols.n)
        # lo: nl / dh (nl >= 0), nl / dlo (nl < 0); hi: nh / dlo (nh >= 0), nh / dh
        low = [zeros, ones, zeros, zeros]
        _point(np, (nl >= 0) & ~inf_dh, nl, dh, snl, sdh, low)
        _point(np, (nl < 0) & ((dlo == 0) | (nl == -INF)), -ones, zeros, zeros, zeros, low)
        _point(np, (nl < 0) & (dlo > 0) & (nl != -INF), nl, dlo, snl, sdlo, low)
        high = [zeros, ones, zeros, zeros]
        up = (nh >= 0) & ((nh == INF) | ((dlo == 0) & (nh > 0)))
        _point(np, up, ones, zeros, zeros, zeros, high)
        _point(np, (nh >= 0) & (nh != INF) & (dlo > 0), nh, dlo, snh, sdlo, high)
        _point(np, (nh < 0) & ~inf_dh, nh, dh, snh, sdh, high)
        return SpanColumns(
            cols.n,
            cols.unsure | cols.empty,
            cols.whole,
            low=tuple(low),
            high=tuple(high),
            numbers=numbers,
            zero=zero,
            undefined=undefined,
            unknown=unknown,
        )

    if isinstance(formula, Positive):
        return positive
    return number if formula is None else ratio


@attrs.frozen
class ColumnsBounder:
    """:func:`bounder` over columns, in two steps: :meth:`span`, the interval of the
    fact per row (the same for every leaf on the fact, so callers may keep it per set
    of rows, keyed by :attr:`fact`), then :meth:`decide`, the leaf's outcome from it.
    Calling it does both: ``(np, n, raw, whole) -> (codes, unsure)``."""

    #: the fact bounded: leaves on the same fact share their spans
    fact: str
    #: what the outcome depends on besides the span (leaves alike share it too)
    decision: tuple[Any, ...]
    _compute: Callable[[_Columns], SpanColumns]
    _decide: Callable[[Any, SpanColumns], tuple[Any, Any]]

    def span(self, np: Any, n: int, raw: NumberSource, whole: Any) -> SpanColumns | None:
        """The interval of the fact in each of *n* rows (None: a raw column missing)."""
        cols = _Columns(np, n, raw, whole)
        try:
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                return self._compute(cols)
        except LookupError:
            return None

    def decide(self, np: Any, span: SpanColumns) -> tuple[Any, Any]:
        """The leaf's outcome per row of *span*, and the rows within float error."""
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            return self._decide(np, span)

    def __call__(self, np: Any, n: int, raw: NumberSource, whole: Any) -> tuple[Any, Any] | None:
        span = self.span(np, n, raw, whole)
        return None if span is None else self.decide(np, span)


def columns_bounder(
    node: Compare | Is, threshold: tuple[Fraction, str | None] | None
) -> ColumnsBounder | None:
    """:func:`bounder` over columns: ``(np, n, raw, whole) -> (codes, unsure)`` per row,
    or None where it cannot be computed over columns (an amount in a currency, a raw
    column missing: the caller sends the rows to the exact lane). *raw* gives the
    (known, value) columns of :func:`bounding_paths`; *whole*, the rows whose amounts
    are whole numbers. Rows *unsure* fell within float error of a decision."""
    if bounder(node, threshold) is None:
        return None
    fact = FACTS[node.fact]
    if fact.kind is FactKind.AMOUNT:
        return None
    compute = _span_columns(fact)
    if isinstance(node, Is):
        flip = not node.value

        def is_(np: Any, span: SpanColumns) -> tuple[Any, Any]:
            value = span.positive
            if flip:
                value = np.where(value == UNKNOWN, UNKNOWN, MET - value)
            return value, span.unsure

        return ColumnsBounder(fact.name, ("is", flip), compute, is_)
    assert threshold is not None
    num, den = threshold[0].numerator, threshold[0].denominator
    huge = max(abs(num), den) >= 2**53  # a threshold floats cannot hold: the exact lane decides
    if huge:
        num, den = 0, 1
    p, q = float(num), float(den)
    op = node.op
    undefined_bit = 1 << TRUTH_CODE[node.if_undefined]

    def compare(np: Any, span: SpanColumns) -> tuple[Any, Any]:
        c_lo, u_lo = _sides(np, span.low, p, q, span.whole)
        c_hi, u_hi = _sides(np, span.high, p, q, span.whole)
        unsure = span.unsure | (span.numbers & (u_lo | u_hi))
        if huge:
            unsure = np.ones(span.n, dtype=bool)
        bits = np.where(span.numbers, 1 << _op_codes(np, op, c_lo, c_hi), 0)
        c0 = np.sign(-p)  # a value of zero (a floor) against the threshold
        bits |= np.where(span.zero, 1 << int(_op_codes(np, op, c0, c0)), 0)
        bits |= np.where(span.undefined, undefined_bit, 0)
        bits |= np.where(span.unknown, 1 << UNKNOWN, 0)
        codes = np.where(bits == 1 << MET, MET, np.where(bits == 1 << NOT_MET, NOT_MET, UNKNOWN))
        return codes, unsure

    decision = (op, threshold, node.if_undefined)
    return ColumnsBounder(fact.name, decision, compute, compare)
