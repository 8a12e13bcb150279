"""Compile a resolved profile into one Python function, as cattrs does for classes.

Thresholds are normalised at compile time into exact integer pairs, so that the
hot path compares plain numbers: ``x.numerator * 100 >= 51 * x.denominator``.
Only names from the closed fact catalogue appear in the generated source; every
value taken from a profile (ids, thresholds, sets, kinds) is passed in the function's
namespace, never pasted into code (booleans and integers are coerced first).
"""

from __future__ import annotations

import linecache
from fractions import Fraction
from typing import Any, Protocol

from .._model import Organisation
from .._model._organisation import FiscalYear, Undefined
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
    _at_least,
    _cases,
    _kleene_all,
    _kleene_any,
    _not,
    certified,
    compare,
    leaves,
    pick_fiscal_year,
    threshold_value,
)
from ._facts import FACTS, FactKind
from ._intervals import TRUTH_CODE, bounder
from ._profile import Plan, Segment, last_ended_year

__all__ = ["Compiled", "compile_plan"]


class Compiled(Protocol):
    """The compiled function: (organisation, fiscal year, date[, year asked for]) ->
    (verdict, outcomes, values); the year asked for matters only when the fiscal year
    is None (it picks the law of that year's end)."""

    def __call__(
        self, org: Organisation, fy: FiscalYear | None, on: Any, year: int | None = ..., /
    ) -> tuple[int, tuple[int, ...], tuple[tuple[Any, ...], ...]]: ...


_PY_OPS = {"at_least": ">=", "more_than": ">", "at_most": "<=", "less_than": "<", "equals": "=="}


class _Gen:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.lines: list[str] = []
        self.ns: dict[str, Any] = {
            "_Undefined": Undefined,
            "_all": _kleene_all,
            "_any": _kleene_any,
            "_not": _not,
            "_at_least": _at_least,
            "_cases": _cases,
            "_certified": certified,
            "_compare": compare,
        }
        self.n = 0

    def fresh(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def const(self, value: Any) -> str:
        name = self.fresh("_k")
        self.ns[name] = value
        return name

    def emit(self, line: str) -> None:
        self.lines.append("    " + line)

    def fact_expr(self, name: str) -> str:
        fact = FACTS[name]
        if fact.compute is not None:
            return f"{self.const(fact.compute)}(org, fy, on)"
        if fact.per_year:
            return f"(fy.{fact.path} if fy is not None else None)"
        return f"org.{fact.path}"

    def bound(self, node: Compare | Is, threshold: tuple[Fraction, str | None] | None) -> str:
        """The code of a leaf whose fact is unknown: what the known facts decide."""
        code = bounder(node, threshold)
        return "1" if code is None else f"{self.const(code)}(org, fy)"

    def leaf(self, node: Compare | Is | OneOf | Certified, values: list[str]) -> str:
        x, r = self.fresh("x"), self.fresh("r")
        values.append(x)
        if isinstance(node, Certified):
            self.emit(
                f"{x} = _certified(org, {self.const(node.kind)}, on, {bool(node.valid_on_date)})"
            )
            self.emit(f"{r} = 1 if {x} is None else (2 if {x} else 0)")
            return r
        fact = FACTS[node.fact]
        self.emit(f"{x} = {self.fact_expr(node.fact)}")
        if isinstance(node, Is):
            bound = self.bound(node, None)
            self.emit(f"{r} = {bound} if {x} is None else (2 if {x} is {bool(node.value)} else 0)")
            return r
        if isinstance(node, OneOf):
            members: frozenset[Any] = node.values
            if fact.choices is not None:
                members = frozenset(fact.choices(v) for v in node.values)
            s = self.const(members)
            if fact.kind is FactKind.CHOICES:
                test = f"not {s}.isdisjoint({x})"
            elif fact.choices is not None and len(members) <= 4:
                # enum members: identity tests avoid Enum.__hash__, a Python-level call
                test = " or ".join(f"{x} is {self.const(m)}" for m in sorted(members, key=str))
                test = f"({test})"
            else:
                test = f"{x} in {s}"
            self.emit(f"{r} = 1 if {x} is None else (2 if {test} else 0)")
            return r
        threshold = threshold_value(node.threshold, self.plan)
        undefined = TRUTH_CODE[node.if_undefined]
        if threshold is None:
            cmp = "1"
        elif threshold[1] is not None or fact.kind is FactKind.AMOUNT:
            cmp = f"_compare({x}, {self.const(node.op)}, {self.const(threshold)})"
        else:
            num, den = threshold[0].numerator, threshold[0].denominator
            op = _PY_OPS[node.op.value]
            if fact.kind is FactKind.RATIO:
                cmp = f"(2 if {x}.numerator * {den} {op} {num} * {x}.denominator else 0)"
            else:
                cmp = f"(2 if {x} * {den} {op} {num} else 0)"
        self.emit(f"if {x} is None:")
        self.emit(f"    {r} = {self.bound(node, threshold)}")
        self.emit(f"elif {x}.__class__ is _Undefined:")
        self.emit(f"    {r} = {undefined}")
        self.emit("else:")
        self.emit(f"    {r} = {cmp}")
        return r

    def test(self, node: Node, values: list[str]) -> str:
        match node:
            case Compare() | Is() | OneOf() | Certified():
                return self.leaf(node, values)
            case Const(value):
                return str(TRUTH_CODE[value])
            case Unresolved():
                return "1"
            case All(items):
                return f"min({', '.join(self.test(i, values) for i in items)}, 2)"
            case Any_(items):
                return f"max({', '.join(self.test(i, values) for i in items)}, 0)"
            case Not(item):
                return f"(2 - {self.test(item, values)})"
            case AtLeast(k, items):
                return f"_at_least({int(k)}, ({', '.join(self.test(i, values) for i in items)},))"
            case Cases(cases, otherwise):
                branches = ", ".join(
                    f"({self.test(c.when, values)}, {self.test(c.then, values)})" for c in cases
                )
                return f"_cases(({branches},), {self.test(otherwise, values)})"
        raise TypeError(f"not a criteria node in a test: {node!r}")  # pragma: no cover

    def decision(self, node: Node, ids: dict[str, str]) -> str:
        match node:
            case Ref(rid):
                return ids[rid]
            case Const(value):
                return str(TRUTH_CODE[value])
            case All(items):
                return f"_all(({', '.join(self.decision(i, ids) for i in items)},))"
            case Any_(items):
                return f"_any(({', '.join(self.decision(i, ids) for i in items)},))"
            case Not(item):
                return f"_not({self.decision(item, ids)})"
            case AtLeast(k, items):
                return f"_at_least({int(k)}, ({', '.join(self.decision(i, ids) for i in items)},))"
            case Cases(cases, otherwise):
                branches = ", ".join(
                    f"(_w({self.decision(c.when, ids)}), {self.decision(c.then, ids)})"
                    for c in cases
                )
                self.ns["_w"] = lambda code: 0 if code == 3 else code
                return f"_cases(({branches},), {self.decision(otherwise, ids)})"
        raise TypeError(f"decisions combine criteria, not {node!r}")  # pragma: no cover


def _can_be_na(node: Node, na: dict[str, bool]) -> bool:
    match node:
        case Ref(rid):
            return na[rid]
        case Const():
            return False
        case Not(item):
            return _can_be_na(item, na)
    return True


def compile_plan(plan: Plan, *, fast: bool = False, fiscal_year: int | None = None) -> Any:
    """Generate, compile and return the evaluator of *plan*.

    The default function, ``evaluate(org, fy, on, year=None)``, returns the verdict code,
    the outcome codes and the observed values (for explanations); *year* is the fiscal
    year asked for, which matters only when *fy* is None. With *fast*, the function is
    ``evaluate(org)``: it picks the fiscal year itself and returns only the verdict and
    outcome codes, for batch work.

    When the fiscal-year rules in force depend on the fiscal year (``plan.law``), one
    function is generated per set of rules and the fiscal year picks one.
    """
    if plan.law is None:
        return _compile(plan, plan.segment(None), fast=fast, fiscal_year=fiscal_year)
    fns = [
        _compile(plan, segment, fast=False, fiscal_year=None, tag=f" segment {k}")
        for k, segment in enumerate(plan.law.segments)
    ]
    index = plan.segment_index
    on = plan.on
    evaluate: Any
    if fast:

        def evaluate(org: Organisation) -> tuple[int, tuple[int, ...]]:
            fy, year = pick_fiscal_year(org, on, fiscal_year)
            verdict, outcomes, _ = fns[index(year)](org, fy, on)
            return verdict, outcomes

    else:

        def evaluate(
            org: Organisation, fy: FiscalYear | None, on: Any, year: int | None = None
        ) -> tuple[int, tuple[int, ...], tuple[tuple[Any, ...], ...]]:
            return fns[index(fy.year if fy is not None else year)](org, fy, on)  # type: ignore[no-any-return]

    evaluate.__source__ = "".join(f.__source__ for f in fns)
    return evaluate


def _compile(
    plan: Plan, segment: Segment, *, fast: bool, fiscal_year: int | None, tag: str = ""
) -> Any:
    gen = _Gen(plan)
    ids: dict[str, str] = {}
    na: dict[str, bool] = {}
    all_values: list[str] = []
    for i, (criterion, active) in enumerate(zip(plan.criteria, segment.active, strict=True)):
        c = f"c{i}"
        ids[criterion.id] = c
        na[criterion.id] = criterion.applies_if is not None or not active
        values: list[str] = []
        gen.emit(f"# criterion {i}")  # never the id: no profile text enters the source
        if not active:
            for _ in leaves(criterion):
                values.append("None")
            gen.emit(f"{c} = 3")
        elif criterion.applies_if is None:
            gen.emit(f"{c} = {gen.test(criterion.test, values)}")
        else:
            a = gen.test(criterion.applies_if, values)
            gen.emit(f"a{i} = {a}")
            gen.emit(f"t{i} = {gen.test(criterion.test, values)}")
            gen.emit(f"{c} = 3 if a{i} == 0 else (1 if a{i} == 1 else t{i})")
        all_values.append(f"({''.join(v + ', ' for v in values)})")
    decision = segment.decision
    if isinstance(decision, All) and not any(_can_be_na(i, na) for i in decision.items):
        # the common case: every criterion must be met and none can be not applicable
        gen.emit(f"v = min({''.join(gen.decision(i, ids) + ', ' for i in decision.items)}2)")
    else:
        gen.emit(f"v = {gen.decision(decision, ids)}")
    outcomes = "".join(f"c{i}, " for i in range(len(plan.criteria)))
    observed = "".join(v + ", " for v in all_values)
    name = f"<sse-model {plan.profile_id} {plan.version} {plan.on}{tag}{' fast' if fast else ''}>"
    if fast:
        gen.ns["on"] = plan.on
        gen.ns["_pick"] = pick_fiscal_year
        gen.ns["_year"] = fiscal_year
        last_year = last_ended_year(plan.on)
        head = [
            "def evaluate(org):",
            "    fin = org.finances",
            f"    if not fin or _year is not None or fin[-1].year > {last_year}:",
            "        fy = _pick(org, on, _year)[0]",
            "    else:",
            "        fy = fin[-1]",
        ]
        gen.emit(f"return (2 if v == 3 else v), ({outcomes})")
    else:
        head = ["def evaluate(org, fy, on, year=None):"]
        gen.emit(f"return (2 if v == 3 else v), ({outcomes}), ({observed})")
    source = "\n".join(head + gen.lines) + "\n"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    exec(compile(source, name, "exec"), gen.ns)
    fn = gen.ns["evaluate"]
    fn.__source__ = source
    return fn
