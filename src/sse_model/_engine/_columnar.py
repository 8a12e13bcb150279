"""The columnar evaluator: a plan run over whole columns of facts with numpy.

A :class:`FactFrame` holds, for many organisations, the facts a plan reads, one
column per fact, built for one evaluation date (and fiscal year choice):

- a yes/no fact is a column of truth codes (0 no, 1 unknown, 2 yes);
- a choice fact is a column of category numbers (-1 unknown) and its categories;
- a set-of-choices fact is a bit mask per row, with a known mask;
- a number (share, count, amount) is a pair ``num / den`` of float64 columns with
  a state (missing, undefined, value), and for amounts the currency of each row.

Comparisons are made as cross-products, ``num * q >= p * den`` for a threshold
``p / q``, as the per-object engine does with exact integers. A column whose
values are all exactly representable small integers (every count, and shares
built from them) is compared exactly. Other columns (amounts read as binary
floats) carry an error bound: a row whose comparison falls within it of the
boundary is *ambiguous*, and the caller settles it with the exact per-object
engine. So a verdict from this module is always the per-object verdict; only the
speed differs.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs

from .._model import Money, Organisation
from .._model._organisation import Undefined
from ._ast import (
    All,
    Any_,
    AtLeast,
    Cases,
    Certified,
    Compare,
    Const,
    Is,
    Node,
    Not,
    OneOf,
    Ref,
    Unresolved,
)
from ._evaluate import (
    COMPARISONS,
    Leaf,
    certified,
    fact_value,
    leaves,
    pick_fiscal_year,
)
from ._facts import FACTS, Fact, FactKind
from ._intervals import (
    TRUTH_CODE,
    ColumnsBounder,
    boundable,
    bounder,
    bounding_paths,
    columns_bounder,
    domain_code,
)
from ._profile import Plan, last_ended_year
from ._result import MET, NA, NOT_MET, UNKNOWN
from ._settle import relevant

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Codes = npt.NDArray[np.int8]
    Floats = npt.NDArray[np.float64]
    Bools = npt.NDArray[np.bool_]

__all__ = [
    "BoolColumn",
    "CertKey",
    "ChoiceColumn",
    "ChoicesColumn",
    "ColumnarPlan",
    "FactFrame",
    "NumberColumn",
    "compile_columnar",
    "frame_from_organisations",
    "take_rows",
]

#: relative error bound of a cross-product of floats read from decimal text:
#: a few ulps (2**-52) at most; this leaves a margin of many orders of magnitude
_REL_TOL = 1e-9
#: integers up to this size multiply with thresholds exactly in float64
_EXACT_LIMIT = 2.0**26

STATE_MISSING, STATE_UNDEFINED, STATE_VALUE = 0, 1, 2

#: a certification leaf: (kind, valid on the evaluation date)
CertKey = tuple[str, bool]


def _np() -> Any:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy comes with the arrow extra
        raise ImportError(
            "the columnar evaluator needs numpy: pip install 'sse-model[arrow]'"
        ) from None
    return numpy


@attrs.frozen
class BoolColumn:
    """Truth codes of a yes/no fact: 0 no, 1 unknown, 2 yes."""

    codes: Codes


@attrs.frozen
class ChoiceColumn:
    """A choice fact: category numbers (-1 unknown) into *categories* (strings)."""

    codes: npt.NDArray[np.int32]
    categories: tuple[str, ...]


@attrs.frozen
class ChoicesColumn:
    """A set-of-choices fact: bit *i* set when ``members[i]`` is in the set."""

    bits: npt.NDArray[np.int64]
    known: Bools
    members: tuple[str, ...]


@attrs.frozen
class NumberColumn:
    """A number fact as ``num / den`` (``den > 0`` where the state is a value).

    *err* bounds the absolute error of ``num`` and ``den`` relative to their
    magnitude; ``exact`` columns have none. *currency* is set for amounts.
    """

    state: Codes
    num: Floats
    den: Floats
    exact: bool
    currency: npt.NDArray[np.object_] | None = None
    #: rows whose num and den are whole numbers (so exact while below 2**53)
    integral: Bools | None = None


Column = BoolColumn | ChoiceColumn | ChoicesColumn | NumberColumn


@attrs.frozen
class FactFrame:
    """The facts of *n* organisations for one evaluation date, column by column.

    *absent* marks, per raw input path (``workforce.paid_workers``,
    ``finances.profit_after_tax``), the rows where it is unknown; *years* is the
    fiscal year each row's per-year facts were read from (0: none).
    """

    n: int
    on: date
    facts: Mapping[str, Column]
    certifications: Mapping[CertKey, Codes]
    absent: Mapping[str, Bools]
    years: npt.NDArray[np.int32]
    #: rows whose per-year facts have a fiscal year to read
    has_year: Bools
    #: requested fiscal year (None: the latest that has ended on *on*)
    fiscal_year: int | None = None
    #: per raw number path a bound of a fact reads (:func:`._intervals.bounding_paths`):
    #: (known, value as a float), the accounts only for the row's fiscal year
    numbers: Mapping[str, tuple[Bools, Floats]] = attrs.field(factory=dict)
    #: rows whose amounts are all whole numbers below 2**50 (None: not known)
    whole: Bools | None = None
    #: what the interval bounds computed over this frame, kept for every leaf (under
    #: every profile) that reads the same fact over the same rows (see :func:`_bounds_on`)
    memo: dict[Any, Any] = attrs.field(factory=dict, eq=False, repr=False, hash=False)


def take_rows(frame: FactFrame, rows: Any) -> FactFrame:
    """The rows *rows* (indices) of *frame*, as a frame of their own."""

    def column(col: Column) -> Column:
        if isinstance(col, BoolColumn):
            return BoolColumn(col.codes[rows])
        if isinstance(col, ChoiceColumn):
            return ChoiceColumn(col.codes[rows], col.categories)
        if isinstance(col, ChoicesColumn):
            return ChoicesColumn(col.bits[rows], col.known[rows], col.members)
        return NumberColumn(
            col.state[rows],
            col.num[rows],
            col.den[rows],
            col.exact,
            None if col.currency is None else col.currency[rows],
            None if col.integral is None else col.integral[rows],
        )

    return FactFrame(
        len(rows),
        frame.on,
        {name: column(col) for name, col in frame.facts.items()},
        {key: codes[rows] for key, codes in frame.certifications.items()},
        {path: a[rows] for path, a in frame.absent.items()},
        frame.years[rows],
        frame.has_year[rows],
        frame.fiscal_year,
        {path: (k[rows], v[rows]) for path, (k, v) in frame.numbers.items()},
        None if frame.whole is None else frame.whole[rows],
    )


# --- building a frame from organisations ------------------------------------------


def needed_facts(plans: Iterable[Plan]) -> tuple[set[str], set[CertKey]]:
    """The facts and certification leaves the *plans* read."""
    facts: set[str] = set()
    certs: set[CertKey] = set()
    for plan in plans:
        for criterion, active in zip(plan.criteria, ever_active(plan), strict=True):
            if not active:
                continue
            for leaf in leaves(criterion):
                if isinstance(leaf, Certified):
                    certs.add((leaf.kind, leaf.valid_on_date))
                else:
                    facts.add(leaf.fact)
    return facts, certs


def ever_active(plan: Plan) -> tuple[bool, ...]:
    """Per criterion of *plan*: in force for the rows of some fiscal year."""
    if plan.law is None:
        return plan.segment(None).active
    return tuple(any(x) for x in zip(*(s.active for s in plan.law.segments), strict=True))


def _raw_inputs(fact: Fact) -> list[str]:
    """A fact's input paths in frame form (``finances.<field>`` for per-year ones)."""
    return [
        "finances." + p.rsplit(".", 1)[1] if p.startswith("finances[") else p for p in fact.inputs
    ]


def _number_column(values: Sequence[Any], kind: FactKind) -> NumberColumn:
    np = _np()
    n = len(values)
    state = np.zeros(n, dtype=np.int8)
    num = np.zeros(n, dtype=np.float64)
    den = np.ones(n, dtype=np.float64)
    currency = np.full(n, None, dtype=object) if kind is FactKind.AMOUNT else None
    exact = True
    for i, v in enumerate(values):
        if v is None:
            continue
        if isinstance(v, Undefined):
            state[i] = STATE_UNDEFINED
            continue
        state[i] = STATE_VALUE
        if isinstance(v, Money):
            assert currency is not None
            currency[i] = v.currency
            f = Fraction(v.amount)
        else:
            f = Fraction(v)
        num[i], den[i] = f.numerator, f.denominator
        if abs(f.numerator) >= _EXACT_LIMIT or f.denominator >= _EXACT_LIMIT:
            exact = False
    return NumberColumn(state, num, den, exact, currency)


def _enum_value(v: Any) -> str:
    return str(v.value) if isinstance(v, enum.Enum) else str(v)


def _column(fact: Fact, values: Sequence[Any]) -> Column:
    np = _np()
    if fact.kind is FactKind.BOOL:
        return BoolColumn(
            np.array([1 if v is None else 2 if v else 0 for v in values], dtype=np.int8)
        )
    if fact.kind is FactKind.CHOICE:
        cats: dict[str, int] = {}
        codes = [-1 if v is None else cats.setdefault(_enum_value(v), len(cats)) for v in values]
        return ChoiceColumn(np.array(codes, dtype=np.int32), tuple(cats))
    if fact.kind is FactKind.CHOICES:
        assert fact.choices is not None
        members = tuple(str(m.value) for m in fact.choices)
        index = {m: i for i, m in enumerate(members)}
        bits = np.zeros(len(values), dtype=np.int64)
        known = np.zeros(len(values), dtype=bool)
        for i, v in enumerate(values):
            if v is not None:
                known[i] = True
                bits[i] = sum(1 << index[_enum_value(m)] for m in v)
        return ChoicesColumn(bits, known, members)
    return _number_column(values, fact.kind)


def frame_from_organisations(
    organisations: Sequence[Organisation],
    plans: Sequence[Plan],
    *,
    on: date,
    fiscal_year: int | None = None,
) -> FactFrame:
    """Read the facts *plans* need from *organisations* into columns (exact values)."""
    np = _np()
    names, certs = needed_facts(plans)
    picked = [pick_fiscal_year(org, on, fiscal_year) for org in organisations]
    facts: dict[str, Column] = {}
    absent: dict[str, Bools] = {}
    for name in sorted(names):
        fact = FACTS[name]
        values = [
            fact_value(fact, org, fy, on)
            for org, (fy, _) in zip(organisations, picked, strict=True)
        ]
        facts[name] = _column(fact, values)
        paths = dict(zip(_raw_inputs(fact), fact.inputs, strict=True))
        if boundable(fact):
            # the fields a bound of the fact reads (the rows it may decide take the
            # exact lane: see _Compiler.bounded)
            for raw_path in bounding_paths(fact):
                if raw_path.startswith("finances."):
                    paths.setdefault(raw_path, "finances[{year}]." + raw_path.split(".", 1)[1])
                else:
                    paths.setdefault(raw_path, raw_path)
        for raw_path, path in paths.items():
            if raw_path in absent:
                continue
            if path.startswith("finances["):
                field = attrgetter(raw_path.split(".", 1)[1])
                absent[raw_path] = np.array(
                    [fy is None or field(fy) is None for fy, _ in picked], dtype=bool
                )
            else:
                get = attrgetter(path)
                absent[raw_path] = np.array(
                    [get(org) is None for org in organisations], dtype=bool
                )
    numbers, whole = _bound_numbers(organisations, picked, names)
    cert_codes: dict[CertKey, Codes] = {}
    for kind, valid in sorted(certs):
        held = [certified(org, kind, on, valid) for org in organisations]
        cert_codes[(kind, valid)] = np.array(
            [UNKNOWN if h is None else MET if h else NOT_MET for h in held], dtype=np.int8
        )
    years = np.array([y or 0 for _, y in picked], dtype=np.int32)
    has_year = np.array([fy is not None for fy, _ in picked], dtype=bool)
    return FactFrame(
        len(organisations),
        on,
        facts,
        cert_codes,
        absent,
        years,
        has_year,
        fiscal_year,
        numbers,
        whole,
    )


def _bound_numbers(
    organisations: Sequence[Organisation],
    picked: Sequence[tuple[Any, int | None]],
    names: Iterable[str],
) -> tuple[dict[str, tuple[Bools, Floats]], Bools]:
    """The raw numbers the bounds of the facts *names* read (see FactFrame.numbers), and
    the rows whose numbers are all whole."""
    np = _np()
    paths = sorted(
        {p for name in names if boundable(FACTS[name]) for p in bounding_paths(FACTS[name])}
    )
    whole = np.ones(len(organisations), dtype=bool)
    out: dict[str, tuple[Bools, Floats]] = {}
    for path in paths:
        section, _, field = path.rpartition(".")
        known = np.zeros(len(organisations), dtype=bool)
        value = np.zeros(len(organisations), dtype=np.float64)
        for i, (org, (fy, _)) in enumerate(zip(organisations, picked, strict=True)):
            record = fy if section == "finances" else getattr(org, section) if section else org
            v = None if record is None else getattr(record, field)
            if v is None:
                continue
            f = Fraction(v.amount) if isinstance(v, Money) else Fraction(v)
            known[i] = True
            value[i] = float(f)
            if f.denominator != 1 or abs(f) >= 2**50:
                whole[i] = False
        out[path] = (known, value)
    return out, whole


# --- evaluating -------------------------------------------------------------------


@attrs.frozen
class ColumnarResult:
    """Verdict and outcome codes for every row of a frame under one plan.

    *ambiguous* rows fell within the float error bound of a threshold: their codes
    here are not to be used; the caller evaluates them with the exact engine.
    """

    verdicts: Codes
    outcomes: npt.NDArray[np.int8]  # shape (n, criteria)
    ambiguous: Bools
    #: per row, an index into *missing_paths*: the fields to collect (undetermined only)
    missing: npt.NDArray[np.int32]
    #: the distinct lists of field paths, as a Settlement names them; entry 0 is empty
    missing_paths: tuple[tuple[str, ...], ...] = ((),)

    def missing_at(self, row: int) -> tuple[str, ...]:
        """The fields to collect for *row* (empty unless its verdict is undetermined)."""
        return self.missing_paths[int(self.missing[row])]


class _Compiler:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.np = _np()

    def leaf(self, node: Compare | Is | OneOf | Certified) -> Callable[[FactFrame, Bools], Codes]:
        np = self.np
        if isinstance(node, Certified):
            key = (node.kind, node.valid_on_date)
            return lambda frame, amb: frame.certifications[key]
        name = node.fact
        fact = FACTS[name]
        if isinstance(node, Is):
            want = node.value
            bound = self.bounded(node, None)

            def is_(frame: FactFrame, amb: Bools) -> Codes:
                col = frame.facts[name]
                assert isinstance(col, BoolColumn)
                out = col.codes if want else (2 - col.codes).astype(np.int8)
                if bound is not None:
                    out = bound(frame, col.codes == UNKNOWN, out, amb)
                return out

            return is_
        if isinstance(node, OneOf):
            values = frozenset(str(v) for v in node.values)
            if fact.kind is FactKind.CHOICES:

                def one_of_set(frame: FactFrame, amb: Bools) -> Codes:
                    col = frame.facts[name]
                    assert isinstance(col, ChoicesColumn)
                    mask = sum(1 << i for i, m in enumerate(col.members) if m in values)
                    hit = (col.bits & mask) != 0
                    return np.where(col.known, np.where(hit, 2, 0), 1).astype(np.int8)  # type: ignore[no-any-return]

                return one_of_set

            def one_of(frame: FactFrame, amb: Bools) -> Codes:
                col = frame.facts[name]
                assert isinstance(col, ChoiceColumn)
                table = np.array([2 if c in values else 0 for c in col.categories] + [1])
                # code -1 indexes the last entry: unknown
                return table[col.codes].astype(np.int8)  # type: ignore[no-any-return]

            return one_of
        return self.compare(node, fact)

    def bounded(
        self, node: Compare | Is, threshold: tuple[Fraction, str | None] | None
    ) -> Callable[[FactFrame, Bools, Codes, Bools], Codes] | None:
        """For a leaf the known facts may decide while its fact is unknown (see
        :mod:`._intervals`): what sets, in the rows where the fact is unknown, the
        outcome every completion gives, computed over the frame's raw numbers
        (:attr:`FactFrame.numbers`); rows within float error of a decision are
        ambiguous (the exact lane settles them). Where the bounds cannot be computed
        over columns (an amount in a currency, a raw column not read), the rows whose
        fact is unknown while a field its bound reads is known take the exact lane.
        None when the leaf is always unknown then."""
        np = self.np
        if bounder(node, threshold) is None:
            return None
        paths = bounding_paths(FACTS[node.fact])
        always = domain_code(node, threshold) != UNKNOWN
        over_columns = columns_bounder(node, threshold)

        def bound(frame: FactFrame, unknown: Bools, out: Codes, amb: Bools) -> Codes:
            if not unknown.any():
                return out
            if over_columns is not None:
                rows = np.flatnonzero(unknown)
                got = _bounds_on(over_columns, frame, rows)
                if got is not None:
                    codes, unsure = got
                    out = out.copy()
                    out[rows] = codes
                    amb[rows] |= unsure
                    return out
            known = np.zeros(frame.n, dtype=bool)
            for path in paths:
                absent = frame.absent.get(path)
                if absent is not None:
                    known |= ~absent
            amb |= unknown & (known | always)
            return out

        return bound

    def decider(self, node: Leaf) -> Callable[[FactFrame, Bools], Bools] | None:
        """The rows where *node*'s bounds decide it over columns (see :meth:`bounded`)."""
        from ._evaluate import threshold_value

        if not isinstance(node, Compare | Is):
            return None
        threshold = (
            threshold_value(node.threshold, self.plan) if isinstance(node, Compare) else None
        )
        over_columns = columns_bounder(node, threshold)
        if over_columns is None:
            return None
        np = self.np
        name = node.fact

        def decided(frame: FactFrame, among: Bools) -> Bools:
            out = np.zeros(frame.n, dtype=bool)
            # the rows where the fact is unknown, as the leaf bounded them (so that the
            # outcomes are found computed), when they hold *among*
            col = frame.facts[name]
            if isinstance(col, NumberColumn):
                unknown = col.state == STATE_MISSING
            elif isinstance(col, BoolColumn):
                unknown = col.codes == UNKNOWN
            else:  # pragma: no cover - bounded leaves read numbers or "above zero"
                unknown = among
            if (among & ~unknown).any():
                unknown = among
            rows = np.flatnonzero(unknown)
            got = _bounds_on(over_columns, frame, rows)
            if got is not None:
                codes, unsure = got
                out[rows] = (codes != UNKNOWN) & ~unsure
            return out & among  # type: ignore[no-any-return]

        return decided

    def compare(self, node: Compare, fact: Fact) -> Callable[[FactFrame, Bools], Codes]:
        from ._evaluate import threshold_value

        np = self.np
        name = fact.name
        undefined = TRUTH_CODE[node.if_undefined]
        threshold = threshold_value(node.threshold, self.plan)
        op = node.op
        bound = self.bounded(node, threshold)

        def cmp(frame: FactFrame, amb: Bools) -> Codes:
            col = frame.facts[name]
            assert isinstance(col, NumberColumn)
            out = compare(frame, col, amb)
            if bound is not None:
                out = bound(frame, col.state == STATE_MISSING, out, amb)
            return out

        def compare(frame: FactFrame, col: NumberColumn, amb: Bools) -> Codes:
            out = np.where(col.state == STATE_UNDEFINED, undefined, UNKNOWN).astype(np.int8)
            value = col.state == STATE_VALUE
            if threshold is None:
                return out  # type: ignore[no-any-return]
            magnitude, currency = threshold
            if currency is not None or col.currency is not None:
                # amounts compare only in their own currency; anything else is unknown
                if currency is None or col.currency is None:
                    return out  # type: ignore[no-any-return]
                value = value & (col.currency == currency)
            try:
                p, q = float(magnitude.numerator), float(magnitude.denominator)
            except OverflowError:
                # a threshold whose terms float cannot hold: the exact lane decides
                amb |= value
                return out  # type: ignore[no-any-return]
            left = col.num * q
            right = p * col.den
            ok = COMPARISONS[op](left, right)
            # MET is 2 and NOT_MET 0: the codes are twice the comparison
            out = np.where(value, ok.view(np.int8) * np.int8(MET), out).astype(np.int8)
            exact = col.exact and abs(magnitude.numerator) < _EXACT_LIMIT
            exact = exact and magnitude.denominator < _EXACT_LIMIT
            if not exact:
                unsure = value
                if col.integral is not None:
                    # whole numbers whose products stay below 2**53 compare exactly
                    big = np.maximum(np.abs(left), np.abs(right))
                    unsure = unsure & ~(col.integral & (big < 2.0**53))
                if unsure.any():
                    tol = _REL_TOL * (np.abs(left) + np.abs(right))
                    amb |= unsure & (np.abs(left - right) <= tol)
            return out  # type: ignore[no-any-return]

        return cmp

    def test(self, node: Node) -> Callable[[FactFrame, Bools], Codes]:
        np = self.np
        match node:
            case Compare() | Is() | OneOf() | Certified():
                return self.leaf(node)
            case Const(value):
                code = TRUTH_CODE[value]
                return lambda frame, amb: np.full(frame.n, code, dtype=np.int8)
            case Unresolved():
                return lambda frame, amb: np.full(frame.n, UNKNOWN, dtype=np.int8)
            case All(items):
                fs = [self.test(i) for i in items]
                return lambda frame, amb: _reduce(
                    np.minimum, [f(frame, amb) for f in fs], MET, frame.n
                )
            case Any_(items):
                fs = [self.test(i) for i in items]
                return lambda frame, amb: _reduce(
                    np.maximum, [f(frame, amb) for f in fs], NOT_MET, frame.n
                )
            case Not(item):
                f = self.test(item)
                return lambda frame, amb: (2 - f(frame, amb)).astype(np.int8)
            case AtLeast(k, items):
                fs = [self.test(i) for i in items]
                return lambda frame, amb: _at_least(k, [f(frame, amb) for f in fs])
            case Cases(cases, otherwise):
                pairs = [(self.test(c.when), self.test(c.then)) for c in cases]
                other = self.test(otherwise)
                return lambda frame, amb: _cases(
                    [(w(frame, amb), t(frame, amb)) for w, t in pairs], other(frame, amb)
                )
        raise TypeError(f"not a criteria node in a test: {node!r}")  # pragma: no cover

    def decision(self, node: Node) -> Callable[[Mapping[str, Codes], int], Codes]:
        np = self.np
        match node:
            case Ref(rid):
                return lambda outcomes, n: outcomes[rid]
            case Const(value):
                code = TRUTH_CODE[value]
                return lambda outcomes, n: np.full(n, code, dtype=np.int8)
            case All(items):
                fs = [self.decision(i) for i in items]
                return lambda o, n: _reduce(np.minimum, [_na_to(f(o, n), MET) for f in fs], MET, n)
            case Any_(items):
                fs = [self.decision(i) for i in items]
                return lambda o, n: _reduce(
                    np.maximum, [_na_to(f(o, n), NOT_MET) for f in fs], NOT_MET, n
                )
            case Not(item):
                f = self.decision(item)

                def not_(o: Mapping[str, Codes], n: int) -> Codes:
                    c = f(o, n)
                    return np.where((c == UNKNOWN) | (c == NA), c, MET - c).astype(np.int8)  # type: ignore[no-any-return]

                return not_
            case AtLeast(k, items):
                fs = [self.decision(i) for i in items]
                return lambda o, n: _at_least(k, [f(o, n) for f in fs])
            case Cases(cases, otherwise):
                pairs = [(self.decision(c.when), self.decision(c.then)) for c in cases]
                other = self.decision(otherwise)
                return lambda o, n: _cases(
                    [(_na_to(w(o, n), NOT_MET), t(o, n)) for w, t in pairs], other(o, n)
                )
        raise TypeError(f"decisions combine criteria, not {node!r}")  # pragma: no cover


def _bounds_on(bound: ColumnsBounder, frame: FactFrame, rows: Any) -> tuple[Any, Any] | None:
    """The interval outcomes (and unsure flags) of the rows *rows* (indices) only.

    The fact's span over those rows is computed once per frame, and each outcome once
    per comparison: the same fact is read by several leaves, criteria and profiles
    over the same rows (those where it is unknown), and only the threshold differs."""
    memo = frame.memo
    at = rows.tobytes()
    decided = (bound.fact, bound.decision, at)
    got: tuple[Any, Any] | None = memo.get(decided)
    if got is not None:
        return got
    spanned = (bound.fact, at)
    if spanned in memo:
        span = memo[spanned]
    else:
        numbers = frame.numbers

        def raw(path: str) -> tuple[Any, Any] | None:
            got = numbers.get(path)
            return None if got is None else (got[0][rows], got[1][rows])

        whole = None if frame.whole is None else frame.whole[rows]
        span = memo[spanned] = bound.span(_np(), len(rows), raw, whole)
    if span is None:
        return None
    got = memo[decided] = bound.decide(_np(), span)
    return got


def _na_to(codes: Codes, value: int) -> Codes:
    np = _np()
    return np.where(codes == NA, value, codes).astype(np.int8)  # type: ignore[no-any-return]


def _reduce(fn: Any, arrays: list[Codes], default: int, n: int | None = None) -> Codes:
    np = _np()
    if not arrays:
        assert n is not None
        return np.full(n, default, dtype=np.int8)  # type: ignore[no-any-return]
    out = arrays[0].copy()
    for a in arrays[1:]:
        fn(out, a, out=out)
    return out


def _at_least(k: int, arrays: list[Codes]) -> Codes:
    np = _np()
    sure = sum((a == MET).astype(np.int32) for a in arrays)
    possible = sure + sum((a == UNKNOWN).astype(np.int32) for a in arrays)
    out = np.full(len(arrays[0]), UNKNOWN, dtype=np.int8)
    out[possible < k] = NOT_MET
    out[sure >= k] = MET
    return out  # type: ignore[no-any-return]


def _cases(branches: list[tuple[Codes, Codes]], otherwise: Codes) -> Codes:
    """Vectorised :func:`._evaluate._cases`: the outcomes still possible, as bits."""
    np = _np()
    n = len(otherwise)
    possible = np.zeros(n, dtype=np.int8)
    done = np.zeros(n, dtype=bool)
    for when, then in branches:
        bit = (1 << np.where(then == NA, MET, then)).astype(np.int8)
        reach = ~done & ((when == MET) | (when == UNKNOWN))
        possible |= np.where(reach, bit, 0).astype(np.int8)
        done |= when == MET
    bit = (1 << np.where(otherwise == NA, MET, otherwise)).astype(np.int8)
    possible |= np.where(~done, bit, 0).astype(np.int8)
    out = np.full(n, UNKNOWN, dtype=np.int8)
    for code in (NOT_MET, UNKNOWN, MET):
        out[possible == (1 << code)] = code
    return out  # type: ignore[no-any-return]


@attrs.frozen
class _Criterion:
    in_force: bool
    applies: Callable[[FactFrame, Bools], Codes] | None
    test: Callable[[FactFrame, Bools], Codes]
    #: per leaf: (fact name or None for certifications, its input paths)
    leaf_inputs: tuple[tuple[str | None, tuple[str, ...], bool], ...]
    #: per leaf: the rows whose unknown fact the known facts decide (None: never)
    deciders: tuple[Callable[[FactFrame, Bools], Bools] | None, ...] = ()


@attrs.frozen
class ColumnarPlan:
    """A plan compiled for columns; call it on a :class:`FactFrame`."""

    plan: Plan
    criteria: tuple[_Criterion, ...]
    decide: Callable[[Mapping[str, Codes], int], Codes]
    #: per segment of ``plan.law``: its decision (empty: the plan has no law)
    decides: tuple[Callable[[Mapping[str, Codes], int], Codes], ...] = ()

    def segments(self, frame: FactFrame) -> Any:
        """Per row, the index of the segment of ``plan.law`` judging its fiscal year
        (None when the plan has one set of rules for every year)."""
        np = _np()
        law = self.plan.law
        if law is None:
            return None
        last = last_ended_year(self.plan.on)
        years = np.where(frame.years == 0, last, frame.years).astype(np.int64) - law.first
        table = np.array(law.by_year, dtype=np.int32)
        inside = (years >= 0) & (years < len(table))
        return np.where(inside, table[np.clip(years, 0, len(table) - 1)], 0).astype(np.int32)

    def __call__(self, frame: FactFrame, *, missing: bool = True) -> ColumnarResult:
        np = _np()
        n = frame.n
        amb = np.zeros(n, dtype=bool)
        codes: dict[str, Codes] = {}
        columns = []
        seg = self.segments(frame)
        law = self.plan.law
        present: list[int] = [] if seg is None else np.unique(seg).tolist()
        for j, (criterion, c) in enumerate(zip(self.plan.criteria, self.criteria, strict=True)):
            if not c.in_force:
                out = np.full(n, NA, dtype=np.int8)
            else:
                out = c.test(frame, amb)
                if c.applies is not None:
                    a = c.applies(frame, amb)
                    out = np.where(a == NOT_MET, NA, np.where(a == UNKNOWN, UNKNOWN, out))
                    out = out.astype(np.int8)
                if law is not None:
                    # not in force for the rows whose fiscal year falls under other rules
                    active = np.array([s.active[j] for s in law.segments], dtype=bool)[seg]
                    if not active.all():
                        out = np.where(active, out, np.int8(NA)).astype(np.int8)
            codes[criterion.id] = out
            columns.append(out)
        if law is None or len(present) <= 1:
            decide = self.decide if law is None or not present else self.decides[present[0]]
            verdicts = _na_to(decide(codes, n), MET)
        else:
            verdicts = np.zeros(n, dtype=np.int8)
            for k in present:
                rows = seg == k
                verdicts[rows] = _na_to(self.decides[k](codes, n), MET)[rows]
        outcomes = np.stack(columns, axis=1) if columns else np.zeros((n, 0), dtype=np.int8)
        if missing:
            live = self._live(outcomes, verdicts, seg)
            codes_, paths = self._missing(frame, outcomes, live)
            codes_[verdicts != UNKNOWN] = 0  # as a Settlement: only when undetermined
        else:
            codes_, paths = np.zeros(n, dtype=np.int32), [()]
        return ColumnarResult(verdicts, outcomes, amb, codes_, tuple(paths))

    def _live(self, outcomes: npt.NDArray[np.int8], verdicts: Codes, seg: Any = None) -> Any:
        """Per undetermined row, the criteria that can still change its verdict
        (computed once per distinct row of outcomes and rules, as the per-object engine
        does)."""
        np = _np()
        n, k = outcomes.shape
        live = np.zeros((n, k), dtype=bool)
        rows = np.flatnonzero(verdicts == UNKNOWN)
        if not len(rows) or not k:
            return live
        keyed = outcomes[rows]
        if seg is not None:
            keyed = np.concatenate([keyed, seg[rows, None].astype(keyed.dtype)], axis=1)
        uniq, inverse = _unique_rows(keyed)
        ids = [c.id for c in self.plan.criteria]
        masks = np.zeros((len(uniq), k), dtype=bool)
        law = self.plan.law
        for u, row in enumerate(uniq.tolist()):
            decision = self.plan.decision if law is None else law.segments[row[k]].decision
            found = relevant(decision, dict(zip(ids, row[:k], strict=True)))
            masks[u] = [cid in found for cid in ids]
        live[rows] = masks[inverse.reshape(-1)]
        return live

    def _missing(
        self, frame: FactFrame, outcomes: npt.NDArray[np.int8], live: Any
    ) -> tuple[Any, list[tuple[str, ...]]]:
        """The model fields to collect, per row, in the per-object engine's order."""
        np = _np()
        n = frame.n
        # one bit per (criterion, leaf, input) slot that is unknown in a row
        slots: list[str] = []
        masks: list[Bools] = []
        for j, c in enumerate(self.criteria):
            if not c.in_force or self.plan.criteria[j].id in self.plan.withheld:
                continue
            unknown = (outcomes[:, j] == UNKNOWN) & live[:, j]
            if not unknown.any():
                continue
            for k, (fact_name, inputs, per_year) in enumerate(c.leaf_inputs):
                if fact_name is None:
                    kind, _, valid = inputs[0].partition("\0")
                    slots.append(f"certifications ({kind})")
                    masks.append(unknown & (frame.certifications[(kind, bool(valid))] == UNKNOWN))
                    continue
                col = frame.facts[fact_name]
                if isinstance(col, BoolColumn):
                    leaf_missing = col.codes == UNKNOWN
                elif isinstance(col, ChoiceColumn):
                    leaf_missing = col.codes < 0
                elif isinstance(col, ChoicesColumn):
                    leaf_missing = ~col.known
                else:
                    leaf_missing = col.state == STATE_MISSING
                decider = c.deciders[k] if c.deciders else None
                if decider is not None and (unknown & leaf_missing).any():
                    # a leaf the known facts decide needs nothing more
                    leaf_missing = leaf_missing & ~decider(frame, unknown & leaf_missing)
                rows = unknown & leaf_missing
                if per_year:
                    slots.append("\0no-year")
                    masks.append(rows & ~frame.has_year)
                    rows = rows & frame.has_year
                for path in inputs:
                    slots.append(path)
                    masks.append(rows & frame.absent[path])
        paths: list[tuple[str, ...]] = [()]
        if not slots:
            return np.zeros(n, dtype=np.int32), paths
        # rows sharing the same slots and fiscal year share one list: find the
        # distinct (slots, year) keys, 48 slots per word so that a key fits in int64
        keys = [frame.years.astype(np.int64)]
        for start in range(0, len(slots), 48):
            word = np.zeros(n, dtype=np.int64)
            for i, m in enumerate(masks[start : start + 48]):
                word |= m.astype(np.int64) << i
            keys.append(word)
        if len(keys) == 2:  # one word: the year fits beside it in the same int64
            packed = (keys[1] << 14) | keys[0]
            flat, inverse = _unique_inverse(packed)
            uniques = np.stack([flat & ((1 << 14) - 1), flat >> 14], axis=1)
        else:
            uniques, inverse = np.unique(np.stack(keys, axis=1), axis=0, return_inverse=True)
        index: dict[tuple[str, ...], int] = {(): 0}
        remap = np.zeros(len(uniques), dtype=np.int32)
        for u, key in enumerate(uniques.tolist()):
            year, words = key[0], key[1:]
            chosen = [s for i, s in enumerate(slots) if words[i // 48] >> (i % 48) & 1]
            shown = _render_missing(chosen, year)
            if shown not in index:
                index[shown] = len(paths)
                paths.append(shown)
            remap[u] = index[shown]
        return remap[inverse.reshape(-1)], paths


def _unique_rows(rows: npt.NDArray[np.int8]) -> tuple[Any, Any]:
    """``np.unique(rows, axis=0, return_inverse=True)`` for small codes: each row
    packed into one integer (when its codes fit in 62 bits), so that the distinct ones
    are found in one pass instead of by sorting rows."""
    np = _np()
    n, k = rows.shape
    if not n or not k or rows.min() < 0:
        return tuple(np.unique(rows, axis=0, return_inverse=True))
    widths = [max(1, int(m).bit_length()) for m in rows.max(axis=0).tolist()]
    if sum(widths) > 62:
        return tuple(np.unique(rows, axis=0, return_inverse=True))
    shifts = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int64).tolist()
    keys = np.zeros(n, dtype=np.int64)
    for j in range(k):
        keys |= rows[:, j].astype(np.int64) << shifts[j]
    flat, inverse = _unique_inverse(keys)
    uniq = np.stack(
        [(flat >> shifts[j]) & ((1 << widths[j]) - 1) for j in range(k)], axis=1
    ).astype(rows.dtype)
    return uniq.reshape(len(flat), k), inverse.reshape(-1)


def _unique_inverse(keys: Any) -> tuple[Any, Any]:
    """``np.unique(keys, return_inverse=True)`` for integers, without sorting when the
    keys are few: each key's rank among the distinct ones, counted in one pass."""
    np = _np()
    keys = keys.reshape(-1)
    if not len(keys):
        return tuple(np.unique(keys, return_inverse=True))
    low = int(keys.min())
    span = int(keys.max()) - low
    if span >= max(1 << 16, 4 * len(keys)):
        # a wide range: sorting the keys costs less than a table as wide as it
        distinct = np.unique(keys)
        if len(distinct) > 4096:
            return tuple(np.unique(keys, return_inverse=True))
        return distinct, np.searchsorted(distinct, keys)
    present = np.zeros(span + 1, dtype=bool)
    present[keys - low] = True
    rank = np.cumsum(present) - 1
    return np.flatnonzero(present) + low, rank[keys - low]


def _render_missing(slots: list[str], year: int) -> tuple[str, ...]:
    """Paths as the per-object engine writes them, without repeats."""
    shown: list[str] = []
    for s in slots:
        if s == "\0no-year":
            text = f"finances[{year or 'latest year'}]"
        elif s.startswith("finances."):
            text = f"finances[{year}].{s.split('.', 1)[1]}"
        else:
            text = s
        shown.append(text)
    return tuple(dict.fromkeys(shown))


def compile_columnar(plan: Plan) -> ColumnarPlan:
    """Compile *plan* for :class:`FactFrame` columns."""
    comp = _Compiler(plan)
    criteria = []
    for criterion, active in zip(plan.criteria, ever_active(plan), strict=True):
        inputs: list[tuple[str | None, tuple[str, ...], bool]] = []
        for leaf in leaves(criterion):
            if isinstance(leaf, Certified):
                suffix = "\0valid" if leaf.valid_on_date else ""
                inputs.append((None, (leaf.kind + suffix,), False))
            else:
                fact = FACTS[leaf.fact]
                inputs.append((leaf.fact, tuple(_raw_inputs(fact)), fact.per_year))
        deciders = tuple(comp.decider(leaf) for leaf in leaves(criterion))
        in_force = active
        criteria.append(
            _Criterion(
                in_force,
                comp.test(criterion.applies_if) if in_force and criterion.applies_if else None,
                comp.test(criterion.test) if in_force else _never,
                tuple(inputs),
                deciders,
            )
        )
    decides = (
        () if plan.law is None else tuple(comp.decision(s.decision) for s in plan.law.segments)
    )
    return ColumnarPlan(plan, tuple(criteria), comp.decision(plan.decision), decides)


def _never(frame: FactFrame, amb: Bools) -> Codes:  # pragma: no cover - never called
    raise AssertionError("a criterion not in force is not evaluated")
