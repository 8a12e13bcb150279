"""The reference evaluator, the decision logic, and turning raw outcomes into results.

The reference evaluator walks the nodes one by one: it is the executable
definition of the language. The compiled evaluator (``_compiler``) must agree
with it on every organisation; the test suite checks that with Hypothesis.
Both produce raw results (small ints and the observed fact values), which
:func:`finish` turns into a :class:`Classification` the same way.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from functools import cache
from operator import attrgetter
from typing import Any

import attrs

from .._model import Money, Organisation, Principle
from .._model._organisation import FiscalYear, Undefined
from .._model._units import format_fraction
from ._assume import NONE, NOT_VERIFIED, assumption_note
from ._ast import (
    All,
    Any_,
    AtLeast,
    Cases,
    Certified,
    Compare,
    Const,
    Criterion,
    Is,
    Node,
    Not,
    OneOf,
    Op,
    Param,
    Ref,
    Unresolved,
    walk,
)
from ._facts import FACTS, Fact, FactKind
from ._intervals import TRUTH_CODE, bounder
from ._profile import Plan, last_ended_year
from ._result import (
    MET,
    NA,
    NOT_IN_FORCE,
    NOT_MET,
    OUTCOMES,
    UNKNOWN,
    VERDICTS,
    Classification,
    CriterionResult,
    MissingFact,
    Observation,
    Outcome,
    PrincipleSummary,
    Settlement,
    format_value,
)
from ._settle import relevant

__all__ = [
    "TRUTH_CODE",
    "Leaf",
    "Raw",
    "decide",
    "evaluate_reference",
    "finish",
    "leaves",
    "pick_fiscal_year",
]

Leaf = Compare | Is | OneOf | Certified

#: each operator as a function (on exact numbers, or elementwise on numpy arrays)
COMPARISONS: dict[Op, Callable[[Any, Any], Any]] = {
    Op.AT_LEAST: operator.ge,
    Op.MORE_THAN: operator.gt,
    Op.AT_MOST: operator.le,
    Op.LESS_THAN: operator.lt,
    Op.EQUALS: operator.eq,
}


@attrs.frozen
class Raw:
    """What an evaluator computes: the verdict, each criterion's outcome code and
    the values of the facts each criterion observed (in :func:`leaves` order)."""

    verdict: int
    outcomes: tuple[int, ...]
    values: tuple[tuple[Any, ...], ...]


def leaves(criterion: Criterion) -> tuple[Leaf, ...]:
    """The fact-reading leaves of a criterion, in a fixed order (applies_if first)."""
    nodes = (walk(criterion.applies_if) if criterion.applies_if is not None else []) + walk(
        criterion.test
    )
    return tuple(n for n in nodes if isinstance(n, Compare | Is | OneOf | Certified))


def pick_fiscal_year(
    org: Organisation, on: date, year: int | None
) -> tuple[FiscalYear | None, int | None]:
    """The fiscal year to use: the one asked for, else the latest that has ended on *on*
    (fiscal year *Y* ends on 31 December *Y*)."""
    if year is not None:
        return org.fiscal_year(year), year
    last = last_ended_year(on)
    for fy in reversed(org.finances):
        if fy.year <= last:
            return fy, fy.year
    return None, None


@cache
def _getter(fact: Fact) -> Any:
    return attrgetter(fact.path)


def fact_value(fact: Fact, org: Organisation, fy: FiscalYear | None, on: date) -> Any:
    """The value of *fact* for *org*: plain and exact, ``None`` when unknown."""
    if fact.compute is not None:
        return fact.compute(org, fy, on)
    if fact.per_year:
        return None if fy is None else _getter(fact).__call__(fy)
    return _getter(fact).__call__(org)


def threshold_value(
    threshold: Fraction | Money | Param, plan: Plan
) -> tuple[Fraction, str | None] | None:
    """The threshold on the plan's date as (exact magnitude, currency or None);
    None when a parameter has no value on that date."""
    times = Fraction(1)
    if isinstance(threshold, Param):
        dv = plan.parameters.get(threshold.name)
        if dv is None:
            return None
        times = threshold.times
        value: Fraction | Money = dv.value
    else:
        value = threshold
    if isinstance(value, Money):
        return Fraction(value.amount) * times, value.currency
    return value * times, None


def format_threshold(value: tuple[Fraction, str | None]) -> str:
    magnitude, currency = value
    return f"{format_fraction(magnitude)} {currency}" if currency else format_fraction(magnitude)


def compare(value: Fraction | int | Money, op: Op, threshold: tuple[Fraction, str | None]) -> int:
    """Exact comparison; amounts in different currencies cannot be compared (unknown)."""
    right, currency = threshold
    left: Fraction | int
    if isinstance(value, Money):
        if value.currency != currency:
            return UNKNOWN
        left = Fraction(value.amount)
    elif currency is not None:
        return UNKNOWN
    else:
        left = value
    return MET if COMPARISONS[op](left, right) else NOT_MET


def certified(org: Organisation, kind: str, on: date, valid_on_date: bool) -> bool | None:
    """Whether *org* holds *kind* (valid on *on*, if asked); None when unknown."""
    maybe = False
    for cert in org.certifications:
        if cert.kind != kind:
            continue
        if not valid_on_date:
            return True
        valid = cert.valid_on(on)
        if valid:
            return True
        if valid is None:
            maybe = True
    if maybe or not org.certifications_complete:
        return None
    return False


def _leaf(node: Leaf, org: Organisation, fy: FiscalYear | None, plan: Plan) -> tuple[int, Any]:
    if isinstance(node, Certified):
        held = certified(org, node.kind, plan.on, node.valid_on_date)
        return (UNKNOWN if held is None else MET if held else NOT_MET), held
    fact = FACTS[node.fact]
    value = fact_value(fact, org, fy, plan.on)
    if value is None:
        return bounded(node, org, fy, plan), value
    if isinstance(node, Compare):
        if isinstance(value, Undefined):
            return TRUTH_CODE[node.if_undefined], value
        threshold = threshold_value(node.threshold, plan)
        if threshold is None:
            return UNKNOWN, value
        return compare(value, node.op, threshold), value
    if isinstance(node, Is):
        return (MET if value is node.value else NOT_MET), value
    # OneOf
    if fact.kind is FactKind.CHOICES:
        hit = any(v.value in node.values for v in value)
    else:
        hit = (value.value if isinstance(value, enum.Enum) else value) in node.values
    return (MET if hit else NOT_MET), value


def bounded(
    node: Compare | Is | OneOf, org: Organisation, fy: FiscalYear | None, plan: Plan
) -> int:
    """The outcome of a leaf whose fact is unknown: what every completion of the
    unknown inputs gives, when they all agree (see :mod:`._intervals`), else unknown."""
    if isinstance(node, OneOf):
        return UNKNOWN
    threshold = threshold_value(node.threshold, plan) if isinstance(node, Compare) else None
    code = bounder(node, threshold)
    return UNKNOWN if code is None else code(org, fy)


def _kleene_all(codes: Sequence[int]) -> int:
    codes = [c for c in codes if c != NA]
    return min(codes, default=MET)


def _kleene_any(codes: Sequence[int]) -> int:
    codes = [c for c in codes if c != NA]
    return max(codes, default=NOT_MET)


def _at_least(k: int, codes: Sequence[int]) -> int:
    codes = [c for c in codes if c != NA]
    sure = sum(1 for c in codes if c == MET)
    possible = sure + sum(1 for c in codes if c == UNKNOWN)
    if sure >= k:
        return MET
    if possible < k:
        return NOT_MET
    return UNKNOWN


def _cases(branches: Sequence[tuple[int, int]], otherwise: int) -> int:
    possible: set[int] = set()
    for when, then in branches:
        if when == MET:
            possible.add(MET if then == NA else then)
            break
        if when == UNKNOWN:
            possible.add(MET if then == NA else then)
    else:
        possible.add(MET if otherwise == NA else otherwise)
    if len(possible) == 1:
        return possible.pop()
    return UNKNOWN


def _not(code: int) -> int:
    return code if code in (UNKNOWN, NA) else MET - code


def _eval(node: Node, leaf_code: Mapping[int, int], outcomes: Mapping[str, int]) -> int:
    """Three-valued evaluation of a node, from leaf codes (by node id) and criterion outcomes."""
    match node:
        case Compare() | Is() | OneOf() | Certified():
            return leaf_code[id(node)]
        case Const(value):
            return TRUTH_CODE[value]
        case Unresolved():
            return UNKNOWN
        case Ref(rid):
            return outcomes[rid]
        case All(items):
            return _kleene_all([_eval(i, leaf_code, outcomes) for i in items])
        case Any_(items):
            return _kleene_any([_eval(i, leaf_code, outcomes) for i in items])
        case Not(item):
            return _not(_eval(item, leaf_code, outcomes))
        case AtLeast(k, items):
            return _at_least(k, [_eval(i, leaf_code, outcomes) for i in items])
        case Cases(cases, otherwise):
            branches = []
            for case in cases:
                when = _eval(case.when, leaf_code, outcomes)
                branches.append(
                    (NOT_MET if when == NA else when, _eval(case.then, leaf_code, outcomes))
                )
            return _cases(branches, _eval(otherwise, leaf_code, outcomes))
    raise TypeError(f"not a criteria node: {node!r}")  # pragma: no cover


def decide(node: Node, outcomes: Mapping[str, int]) -> int:
    """The verdict code of a decision node over criterion outcome codes."""
    code = _eval(node, {}, outcomes)
    return MET if code == NA else code


def criterion_outcome(criterion: Criterion, codes: Mapping[int, int]) -> int:
    """Combine a criterion's applicability and test into its outcome code."""
    test = _eval(criterion.test, codes, {})
    if criterion.applies_if is None:
        return test
    applies = _eval(criterion.applies_if, codes, {})
    if applies == NOT_MET:
        return NA
    if applies == UNKNOWN:
        # whether the rule applies is unknown: even a met test could later turn out
        # not applicable, which matters in an "any of" (knowledge monotonicity)
        return UNKNOWN
    return test


def evaluate_reference(
    plan: Plan, org: Organisation, fy: FiscalYear | None, year: int | None = None
) -> Raw:
    """Evaluate *plan* for *org* node by node (the executable definition).

    The fiscal-year criteria in force are those of the version in force at the end of
    the fiscal year: *fy*'s, else *year* (the year asked for, which *org* lacks), else
    the latest that has ended on the plan's date.
    """
    segment = plan.segment(fy.year if fy is not None else year)
    outcomes: dict[str, int] = {}
    codes_out: list[int] = []
    values_out: list[tuple[Any, ...]] = []
    for criterion, active in zip(plan.criteria, segment.active, strict=True):
        codes: dict[int, int] = {}
        values: list[Any] = []
        for leaf in leaves(criterion):
            code, value = _leaf(leaf, org, fy, plan) if active else (NA, None)
            codes[id(leaf)] = code
            values.append(value)
        outcome = criterion_outcome(criterion, codes) if active else NA
        outcomes[criterion.id] = outcome
        codes_out.append(outcome)
        values_out.append(tuple(values))
    return Raw(decide(segment.decision, outcomes), tuple(codes_out), tuple(values_out))


# --- turning raw results into a Classification ---------------------------------------


def _threshold_text(node: Compare, plan: Plan) -> str:
    fact = FACTS[node.fact]
    t = node.threshold
    if isinstance(t, Param):
        value = threshold_value(t, plan)
        factor = "" if t.times == 1 else f"{format_fraction(t.times)} × "
        now = f" = {format_threshold(value)}" if value is not None else " (no value on this date)"
        return f"{node.fact} {node.op.symbol} {factor}{t.name}{now}"
    if isinstance(t, Money):
        shown = str(t)
    elif fact.kind is FactKind.RATIO:
        shown = format_value(t)
    else:
        shown = f"{format_fraction(t)} {fact.unit}".strip()
    return f"{node.fact} {node.op.symbol} {shown}"


def _unit(node: Leaf) -> str:
    return "" if isinstance(node, Certified) else FACTS[node.fact].unit


def _leaf_name(node: Leaf) -> str:
    return f"certification {node.kind}" if isinstance(node, Certified) else node.fact


def _missing_inputs(
    node: Leaf, org: Organisation, fy: FiscalYear | None, year: int | None
) -> list[str]:
    if isinstance(node, Certified):
        return [f"certifications ({node.kind})"]
    fact = FACTS[node.fact]
    if fact.per_year and fy is None:
        return [f"finances[{year if year is not None else 'latest year'}]"]
    out = []
    for path in fact.inputs_for(year):
        if path.startswith("finances["):
            raw = getattr(fy, path.rsplit(".", 1)[1])
        else:
            raw = attrgetter(path)(org)
        if raw is None:
            out.append(path)
    return out


def leaf_missing(
    leaf: Leaf, value: Any, org: Organisation, fy: FiscalYear | None, year: int | None, plan: Plan
) -> list[str]:
    """The inputs to collect for *leaf* of an undecided criterion: none when its fact is
    known, or unknown but decided by the known facts (see :mod:`._intervals`)."""
    if value is not None:
        return []
    if not isinstance(leaf, Certified) and bounded(leaf, org, fy, plan) != UNKNOWN:
        return []
    return _missing_inputs(leaf, org, fy, year)


def _reason(
    criterion: Criterion, lv: Sequence[tuple[Leaf, Any]], plan: Plan, outcome: int
) -> str | None:
    if outcome == NA:
        return "not applicable: its condition does not hold"
    if outcome != UNKNOWN:
        return None
    if criterion.id in plan.withheld:
        inner = [
            n.reason
            for n in walk(criterion.test)
            if isinstance(n, Unresolved) and n.reason != NOT_VERIFIED
        ]
        held = (
            f"{NOT_VERIFIED}: its outcome is unknown unless you adopt it as written "
            "(Assumptions(unverified_as_written=True), --assume-unverified)"
        )
        return "; ".join(dict.fromkeys([held, *inner]))
    reasons = [n.reason for n in walk(criterion.test) if isinstance(n, Unresolved)]
    for leaf, value in lv:
        if isinstance(value, Undefined):
            reasons.append(f"{_leaf_name(leaf)} is {value}; the rule does not say what that means")
        elif isinstance(leaf, Compare) and value is not None:
            t = threshold_value(leaf.threshold, plan)
            if t is None:
                name = leaf.threshold.name if isinstance(leaf.threshold, Param) else "?"
                reasons.append(f"parameter {name} has no value on {plan.on}")
            elif isinstance(value, Money) and value.currency != t[1]:
                reasons.append(
                    f"{leaf.fact} is in {value.currency} and the threshold in {t[1]}; "
                    "currencies are never converted"
                )
    if any(v is None for _, v in lv):
        reasons.append("facts are missing")
    return "; ".join(dict.fromkeys(reasons)) or None


def _not_in_force(criterion: Criterion, plan: Plan, year: int | None, law_on: date) -> str:
    """Why a criterion of the plan is not applied to this organisation."""
    shown = last_ended_year(plan.on) if year is None else year
    if law_on != plan.on:
        label = plan.version_of(criterion, year)
        return (
            f"{NOT_IN_FORCE}{law_on.isoformat()}, the end of fiscal year "
            f"{shown}, whose fiscal-year rules are those of version {label}"
        )
    return (
        f"{NOT_IN_FORCE}{plan.on.isoformat()}, the evaluation date, whose "
        f"law judges fiscal year {shown} (the year had not ended then, or no version of the "
        "law was in force at its end)"
    )


def _settle(
    decision: Node, outcomes: dict[str, int], collectable: set[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    unknown = [cid for cid, o in outcomes.items() if o == UNKNOWN and cid in collectable]
    best = {**outcomes, **dict.fromkeys(unknown, MET)}
    to_qualify: list[str] = []
    if decide(decision, best) == MET:
        for cid in unknown:
            if decide(decision, {**best, cid: NOT_MET}) != MET:
                to_qualify.append(cid)
    to_disqualify = [
        cid for cid in unknown if decide(decision, {**outcomes, cid: NOT_MET}) == NOT_MET
    ]
    return tuple(to_qualify), tuple(to_disqualify)


@attrs.frozen
class _Static:
    """What the explanation of one criterion needs that does not depend on the organisation."""

    criterion: Criterion
    leaves: tuple[Leaf, ...]
    names: tuple[str, ...]
    units: tuple[str, ...]
    threshold: str | None
    citation: str
    principles: tuple[Principle, ...]
    profile: str


def explanation_plan(plan: Plan) -> tuple[_Static, ...]:
    """Precompute the organisation-independent parts of explanations (once per plan)."""
    out = []
    for criterion in plan.criteria:
        lv = leaves(criterion)
        thresholds = dict.fromkeys(_threshold_text(x, plan) for x in lv if isinstance(x, Compare))
        instrument = plan.instruments.get(criterion.citation.instrument)
        title = instrument.title if instrument is not None else criterion.citation.instrument
        out.append(
            _Static(
                criterion=criterion,
                leaves=lv,
                names=tuple(_leaf_name(x) for x in lv),
                units=tuple(_unit(x) for x in lv),
                threshold="; ".join(thresholds) or None,
                citation=f"{title}, {criterion.citation.article}",
                principles=tuple(sorted(criterion.principles, key=_PRINCIPLE_ORDER.index)),
                profile=plan.origins[criterion.id],
            )
        )
    return tuple(out)


def finish(
    plan: Plan,
    org: Organisation,
    fy: FiscalYear | None,
    year: int | None,
    raw: Raw,
    static: tuple[_Static, ...] | None = None,
) -> Classification:
    """Build the full, explained :class:`Classification` from an evaluator's raw result."""
    results: list[CriterionResult] = []
    outcomes: dict[str, int] = {}
    collectable: set[str] = set()
    missing_by_path: dict[str, list[str]] = {}
    statics = static or explanation_plan(plan)
    segment = plan.segment(year)
    live: frozenset[str] = frozenset()
    if raw.verdict == UNKNOWN:
        live = relevant(
            segment.decision,
            {st.criterion.id: o for st, o in zip(statics, raw.outcomes, strict=True)},
        )
    for st, outcome, values, active in zip(
        statics, raw.outcomes, raw.values, segment.active, strict=True
    ):
        criterion = st.criterion
        outcomes[criterion.id] = outcome
        missing: list[str] = []
        if outcome == UNKNOWN and criterion.id not in plan.withheld:
            for leaf, value in zip(st.leaves, values, strict=True):
                missing.extend(leaf_missing(leaf, value, org, fy, year, plan))
            if missing:
                collectable.add(criterion.id)
            missing = list(dict.fromkeys(missing))
            if criterion.id in live:
                for path in missing:
                    missing_by_path.setdefault(path, []).append(criterion.id)
        observed = tuple(
            dict.fromkeys(
                Observation(name, format_value(value, unit))
                for name, unit, value in zip(st.names, st.units, values, strict=True)
                if active and (value is not None or not name.startswith("certification "))
            )
        )
        reason = None
        law_on = plan.law_date(criterion, year)
        if not active:
            reason = _not_in_force(criterion, plan, year, law_on)
        elif outcome in (UNKNOWN, NA):
            reason = _reason(criterion, list(zip(st.leaves, values, strict=True)), plan, outcome)
        results.append(
            CriterionResult(
                id=criterion.id,
                description=criterion.description,
                outcome=OUTCOMES[outcome],
                observed=observed,
                threshold=st.threshold,
                citation=st.citation,
                principles=st.principles,
                status=criterion.status,
                interpretation=criterion.interpretation,
                reason=reason,
                missing=tuple(missing),
                profile=st.profile,
                assumption=assumption_note(plan, criterion),
                version=plan.version_of(criterion, year),
                law_on=law_on,
            )
        )
    verdict = VERDICTS[raw.verdict]
    settlement = None
    if raw.verdict == UNKNOWN:
        to_q, to_d = _settle(segment.decision, outcomes, collectable)
        settlement = Settlement(
            to_qualify=to_q,
            to_disqualify=to_d,
            missing_facts=tuple(
                MissingFact(path, tuple(cids)) for path, cids in missing_by_path.items()
            ),
            unresolvable=tuple(
                cid
                for cid, o in outcomes.items()
                if o == UNKNOWN and cid not in collectable and cid in live
            ),
        )
    return Classification(
        organisation_id=org.id,
        profile_id=plan.profile_id,
        version=plan.version,
        on=plan.on,
        fiscal_year=year,
        verdict=verdict,
        criteria=tuple(results),
        principles=_principles(results),
        settlement=settlement,
        assumptions=plan.assumptions or NONE,
    )


_PRINCIPLE_ORDER = list(Principle)


def _principles(results: Sequence[CriterionResult]) -> tuple[PrincipleSummary, ...]:
    out = []
    for p in Principle:
        mine = [r for r in results if p in r.principles]
        applicable = [r.outcome for r in mine if r.outcome is not Outcome.NOT_APPLICABLE]
        if not applicable:
            outcome = Outcome.NOT_APPLICABLE
        elif Outcome.NOT_MET in applicable:
            outcome = Outcome.NOT_MET
        elif Outcome.UNKNOWN in applicable:
            outcome = Outcome.UNKNOWN
        else:
            outcome = Outcome.MET
        out.append(PrincipleSummary(p, outcome, tuple(r.id for r in mine)))
    return tuple(out)
