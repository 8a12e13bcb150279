"""Hypothesis strategies and ready-made properties for testing classification rules.

Use them on the shipped profiles or on your own::

    from sse_model import load_profile_file
    from sse_model.testing import check_profile

    def test_my_draft_law():
        check_profile(load_profile_file("my-country.toml"), on=date(2026, 1, 1))

The ``check_*`` properties run on one date, *on* (a date, an ISO string, a datetime or a
pandas Timestamp, as everywhere), or, without it (no default date), on the dates where
each version of the profile starts and ends.

Strategies are registered for the model types (:func:`type_strategies`) through
Hypothesis's entry point, so ``st.from_type(Organisation)`` works in any process
where *sse-model* is installed, without importing this module first (it is imported
on the first draw; ``HYPOTHESIS_NO_PLUGINS=1`` turns the entry point off, and
importing this module registers them again). Importing it needs Hypothesis (a
dependency of *sse-model*).
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from math import lcm
from operator import attrgetter
from typing import Any, TypeVar

import attrs
from hypothesis import given, note, settings
from hypothesis import strategies as st

from ._checks import on_date
from ._engine._assume import Assumptions
from ._engine._ast import Compare, OneOf, walk
from ._engine._classify import Classifier
from ._engine._evaluate import threshold_value
from ._engine._profile import Plan, Profile
from ._engine._result import Classification, Outcome, Verdict
from ._errors import InvalidInput
from ._model import Certification, EntityFamily, FiscalYear, Money, Organisation, form_table
from ._model._declare import (
    MONEY_KINDS,
    AtMost,
    Kind,
    OneCurrency,
    Ratio,
    Rule,
    Spec,
    SumAtMost,
    derived_of,
    spec_of,
)
from ._model._schema import COLUMNS, IDENTITY, RECORDS, REQUIRED, columns_of
from ._serialization import from_json, structure, to_json, unstructure

__all__ = [
    "Thresholds",
    "assumptions_for",
    "check_assumption_monotonicity",
    "check_determinism",
    "check_evaluators_agree",
    "check_knowledge_monotonicity",
    "check_profile",
    "check_serialization_invariance",
    "check_unit_invariance",
    "fiscal_years",
    "money",
    "organisations",
    "organisations_for",
    "organisations_with_outcome",
    "ratios",
    "thresholds_of",
    "type_strategies",
]

_R = TypeVar("_R")

#: Shares that national laws use as thresholds: generated often, with neighbours.
_LEGAL_SHARES = (
    Fraction(0),
    Fraction(1, 5),
    Fraction(3, 10),
    Fraction(1, 3),
    Fraction(2, 5),
    Fraction(1, 2),
    Fraction(51, 100),
    Fraction(3, 5),
    Fraction(2, 3),
    Fraction(7, 10),
    Fraction(4, 5),
    Fraction(1),
)

_CURRENCY_OF = {
    "VN": "VND",
    "TH": "THB",
    "KH": "KHR",
    "MN": "MNT",
    "KR": "KRW",
    "FR": "EUR",
    "IT": "EUR",
    "ES": "EUR",
    "PT": "EUR",
    "GB": "GBP",
    "US": "USD",
    "CA": "CAD",
    "BR": "BRL",
    "CO": "COP",
    "MX": "MXN",
}


class Thresholds:
    """Threshold values per fact, taken from profiles, to generate boundary cases."""

    def __init__(
        self,
        by_fact: Mapping[str, Iterable[Fraction | Money]] | None = None,
        codes: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.by_fact: dict[str, tuple[Fraction | Money, ...]] = {
            k: tuple(v) for k, v in (by_fact or {}).items()
        }
        #: the country and subdivision codes the profiles test (their territorial scope)
        self.codes: dict[str, tuple[str, ...]] = {
            k: tuple(sorted(v)) for k, v in (codes or {}).items()
        }
        #: the thresholds as one hashable value: what the strategies work out from them
        #: is kept per value (a strategy may be rebuilt for every example)
        self._key = (
            frozenset((k, frozenset(v)) for k, v in self.by_fact.items()),
            frozenset((k, v) for k, v in self.codes.items()),
        )

    def choices(self, fact: str) -> tuple[str, ...]:
        return self.codes.get(fact, ())

    def ratios(self, fact: str) -> tuple[Fraction, ...]:
        return tuple(v for v in self.by_fact.get(fact, ()) if isinstance(v, Fraction))

    def amounts(self, fact: str) -> tuple[Money, ...]:
        return tuple(v for v in self.by_fact.get(fact, ()) if isinstance(v, Money))


def thresholds_of(plans: Iterable[Plan]) -> Thresholds:
    """Collect every threshold that the plans compare facts with."""
    found: dict[str, set[Fraction | Money]] = {}
    codes: dict[str, set[str]] = {}
    for plan in plans:
        for criterion in plan.criteria:
            nodes = walk(criterion.test) + (
                walk(criterion.applies_if) if criterion.applies_if else []
            )
            for reading in criterion.readings:
                nodes += walk(reading.test)
            for n in nodes:
                if isinstance(n, OneOf) and n.fact in columns_of(Kind.CODE):
                    codes.setdefault(n.fact, set()).update(n.values)
                if isinstance(n, Compare):
                    t = threshold_value(n.threshold, plan)
                    if t is None:
                        continue
                    value: Fraction | Money = (
                        t[0]
                        if t[1] is None
                        else Money(Decimal(t[0].numerator) / Decimal(t[0].denominator), t[1])
                    )
                    found.setdefault(n.fact, set()).add(value)
    return Thresholds(found, codes)


def ratios(around: Iterable[Fraction] = ()) -> st.SearchStrategy[Fraction]:
    """Exact shares in [0, 1], biased to legal thresholds and their neighbours."""
    return _ratios(frozenset(around))


@cache
def _ratios(around: frozenset[Fraction]) -> st.SearchStrategy[Fraction]:
    points = sorted(set(_LEGAL_SHARES) | around)
    eps = Fraction(1, 10_000)
    near = [p + d for p in points for d in (-eps, Fraction(0), eps) if 0 <= p + d <= 1]
    return st.one_of(
        st.sampled_from(near),
        st.fractions(min_value=0, max_value=1, max_denominator=1000),
    )


def money(
    currency: str, *, min_value: int = 0, max_value: int = 10**9
) -> st.SearchStrategy[Money]:
    """Whole amounts in one currency."""
    return st.integers(min_value, max_value).map(lambda n: Money(Decimal(n), currency))


class _Picker:
    """Few, wide draws: every choice takes a few bits of uniform random bytes drawn 32 at
    a time, so generation stays fast enough for thousands of examples per property, and
    shrinking (towards zero bytes) goes towards simple values: facts known, first
    options, small numbers."""

    _BYTES = 32

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self._pool = 0
        self._bits = 0
        #: how many facts are unknown, in sixteenths
        self.unknown = 4

    def bits(self, n: int) -> int:
        """*n* random bits."""
        while self._bits < n:
            chunk = self.draw(st.binary(min_size=self._BYTES, max_size=self._BYTES))
            self._pool |= int.from_bytes(chunk, "little") << self._bits
            self._bits += 8 * self._BYTES
        out = self._pool & ((1 << n) - 1)
        self._pool >>= n
        self._bits -= n
        return out

    def below(self, n: int) -> int:
        """A number in [0, n), about uniform."""
        if n <= 1:
            return 0
        k = n.bit_length() + 6
        return (self.bits(k) * n) >> k

    def known(self) -> bool:
        """True with probability 1 - *unknown*/16."""
        return self.bits(4) >= self.unknown

    def maybe(self, value: Any) -> Any:
        return value if self.known() else None

    def one(self, seq: Sequence[Any]) -> Any:
        return seq[self.below(len(seq))]

    def opt(self, seq: Sequence[Any]) -> Any:
        return self.maybe(self.one(seq))

    def flag(self) -> bool | None:
        value: bool | None = self.maybe(self.one((False, True)))
        return value

    def fraction(self, high: int = 1) -> Fraction:
        """A fraction in [0, *high*] with a denominator up to 1000."""
        den = 1 + self.below(1000)
        return Fraction(self.below(high * den + 1), den)


_EPS = Fraction(1, 10_000)


def _around(points: Iterable[Fraction]) -> tuple[Fraction, ...]:
    """The points and their neighbours just below and just above (none below 0)."""
    return tuple(sorted({p + d for p in points for d in (-_EPS, Fraction(0), _EPS) if p + d >= 0}))


@cache
def _near(around: frozenset[Fraction]) -> tuple[Fraction, ...]:
    return tuple(v for v in _around(set(_LEGAL_SHARES) | around) if v <= 1)


#: counts that are often decisive, whatever the profile
_COUNTS = (0, 1, 2, 3, 5, 7, 10, 25, 120)
#: the kinds held as whole numbers (a share of them is exact only on a multiple)
_WHOLE = frozenset({Kind.COUNT, *MONEY_KINDS})
#: the largest common multiple a whole-number field is drawn on to keep shares of it
#: exact (beyond it, shares are rounded down)
_MAX_UNIT = {Kind.COUNT: 10_000, Kind.MONEY: 10**8, Kind.SIGNED_MONEY: 10**8}
_SIGNS = (1, 1, 1, 0, -1)  # profits: loss years and break-even years included
_TEXTS = ("Coop", "Coopérative de l'Ain", "協同組合", "Hợp tác xã", 'A "quoted" name', "x")


# --- records drawn from their declarations -------------------------------------------------
#
# Nothing below names a field: a record is drawn from its declarations (:mod:`._declare`).
# Each field's values come from its kind, near the thresholds of the facts that read it;
# the consistency rules are kept by construction: for ``AtMost(part, whole)`` the part is
# a share of the whole, for ``SumAtMost(parts, whole)`` the parts are shares of the whole
# adding up to at most 1, and every amount of a record is in its one currency. A ratio the
# model derives from two fields links them: one is drawn as a multiple of the other, the
# factor chosen so that the ratio lands on (or just beside) a threshold, and the other
# drawn on a multiple that keeps it exact.


def _linear(
    terms: Sequence[str], target: str, known: Mapping[str, Fraction]
) -> tuple[Fraction, Fraction] | None:
    """The sum of *terms* as a x + b, x the value of *target* (None: another term is
    not known yet)."""
    a, b = Fraction(0), Fraction(0)
    for term in terms:
        sign, name = (-1, term[1:]) if term.startswith("-") else (1, term)
        if name == target:
            a += sign
        elif name in known:
            b += sign * known[name]
        else:
            return None
    return a, b


def _solve(
    formula: Ratio, target: str, known: Mapping[str, Fraction], value: Fraction
) -> Fraction | None:
    """The value of *target* that makes *formula* equal *value*, the other inputs as
    *known* (None: no such value)."""
    num, den = _linear(formula.num, target, known), _linear(formula.den, target, known)
    if num is None or den is None:
        return None
    (a1, b1), (a2, b2) = num, den
    if a1 == value * a2:
        return None
    x = (value * b2 - b1) / (a1 - value * a2)
    return x if x >= 0 else None


@attrs.frozen
class _Link:
    """*target* is drawn as factor x *source*; *ratios* are the derived values over the two
    fields (their thresholds give the factors)."""

    target: str
    source: str
    #: an AtMost rule: the factor is at most 1
    at_most: bool
    ratios: tuple[tuple[str, Ratio], ...]


@attrs.frozen
class _Split:
    """*parts* are drawn as shares of *whole* adding up to at most 1 (a SumAtMost rule),
    in an order drawn each time; *ratios* are the derived values over them."""

    whole: str
    parts: tuple[str, ...]
    ratios: tuple[tuple[str, Ratio], ...]


@attrs.frozen
class _Recipe:
    """How to draw one record class: its declared fields, in an order where each field
    comes after the field it is drawn from."""

    fields: tuple[tuple[str, Spec], ...]
    specs: Mapping[str, Spec]
    #: fields without a default: always given (the year of a fiscal year)
    required: frozenset[str]
    links: Mapping[str, _Link]
    splits: tuple[_Split, ...]
    #: the fields drawn from each field, by link or split
    children: Mapping[str, tuple[str, ...]]
    #: the whole of each part of a split
    whole_of: Mapping[str, str]
    #: whether a ratio of a field drawn from another is a fact (so worth drawing exact)
    exact: Mapping[str, bool]
    #: the rules the drawing does not keep by construction (a part of two wholes, say):
    #: a record breaking one has the fields it names left unknown
    unkept: tuple[Rule, ...]
    order: tuple[str, ...]


@cache
def _recipe(cls: type) -> _Recipe:
    """Read *cls*'s declarations, rules and derived ratios into a way to draw it."""
    specs = {f.name: s for f in attrs.fields(cls) if (s := spec_of(f)) is not None}
    formulas = [(f.name, r) for f in attrs.fields(cls) if isinstance(r := derived_of(f), Ratio)]
    parent: dict[str, str] = {}

    def lineage(name: str) -> set[str]:
        out = {name}
        while name in parent:
            name = parent[name]
            out.add(name)
        return out

    def free(target: str, source: str) -> bool:
        return (
            target in specs
            and source in specs
            and target not in parent
            and (target not in lineage(source))
        )

    links: dict[str, tuple[str, bool, list[tuple[str, Ratio]]]] = {}
    splits: list[tuple[str, tuple[str, ...], list[tuple[str, Ratio]]]] = []
    unkept: list[Rule] = []
    for rule in getattr(cls, "__rules__", ()):
        if isinstance(rule, SumAtMost) and all(free(p, rule.whole) for p in rule.parts):
            splits.append((rule.whole, rule.parts, []))
            parent.update(dict.fromkeys(rule.parts, rule.whole))
        elif isinstance(rule, AtMost) and free(rule.part, rule.whole):
            links[rule.part] = (rule.whole, True, [])
            parent[rule.part] = rule.whole
        elif not isinstance(rule, OneCurrency):  # every amount is in the record's currency
            unkept.append(rule)
    for name, formula in formulas:
        inputs = set(formula.inputs)
        for whole, parts, found in splits:
            if inputs <= {whole, *parts}:
                if inputs & set(parts):
                    found.append((name, formula))
                break
        else:
            if len(inputs) != 2:
                continue
            a, b = sorted(inputs)
            if links.get(a, ("",))[0] == b:
                links[a][2].append((name, formula))
            elif links.get(b, ("",))[0] == a:
                links[b][2].append((name, formula))
            elif len(formula.num) == len(formula.den) == 1:
                num, den = formula.num[0], formula.den[0]
                target, source = (num, den) if free(num, den) else (den, num)
                if free(target, source):
                    links[target] = (source, False, [(name, formula)])
                    parent[target] = source
    children: dict[str, list[str]] = {}
    for target, source in parent.items():
        children.setdefault(source, []).append(target)
    order: list[str] = []

    def visit(name: str) -> None:
        if name not in order:
            if name in parent:
                visit(parent[name])
            order.append(name)

    for name in specs:
        visit(name)
    return _Recipe(
        fields=tuple(specs.items()),
        specs=specs,
        required=frozenset(
            f.name for f in attrs.fields(cls) if f.name in specs and f.default is attrs.NOTHING
        ),
        links={t: _Link(t, s, m, tuple(r)) for t, (s, m, r) in links.items()},
        splits=tuple(_Split(w, p, tuple(r)) for w, p, r in splits),
        children={k: tuple(v) for k, v in children.items()},
        whole_of={p: w for w, parts, _ in splits for p in parts},
        exact={
            **{t: bool(r) for t, (_, _, r) in links.items()},
            **{p: True for _, parts, _ in splits for p in parts},
        },
        unkept=tuple(unkept),
        order=tuple(order),
    )


class _Near:
    """The values to draw near, for one record class under some thresholds (worked out
    once per class and thresholds)."""

    def __init__(self, section: str, cls: type, t: Thresholds) -> None:
        recipe = _recipe(cls)

        def fact(name: str, spec: Spec | None = None) -> str:
            if spec is not None and spec.column:
                return spec.column
            return f"{section}.{name}" if section else name

        #: a field's own thresholds and their neighbours, by field (a count: with those
        #: of every count in the same unit, which laws compare alike, e.g. members and
        #: founding members)
        self.own: dict[str, tuple[Any, ...]] = {}
        #: a field's thresholds as amounts of money
        self.amounts: dict[str, tuple[Money, ...]] = {}
        for name, spec in recipe.fields:
            values = set(t.ratios(fact(name, spec)))
            if spec.kind is Kind.COUNT:
                for c in COLUMNS.values():
                    if c.kind is Kind.COUNT and c.spec.unit == spec.unit:
                        values.update(t.ratios(c.name))
                self.own[name] = tuple(
                    sorted({int(v) + d for v in values for d in (-1, 0, 1) if int(v) + d >= 0})
                )
            else:
                near = _around(values)
                self.own[name] = tuple(v for v in near if v <= 1 or spec.kind is not Kind.SHARE)
            self.amounts[name] = t.amounts(fact(name, spec))
        #: the thresholds of each derived value, and their neighbours
        self.derived = {
            f.name: _around(t.ratios(fact(f.name)))
            for f in attrs.fields(cls)
            if derived_of(f) is not None
        }
        common = _near(frozenset())
        #: for each link, the factors that put its ratios on the profile's thresholds,
        #: and those that put them on shares laws often use
        self.factors: dict[str, tuple[tuple[Fraction, ...], tuple[Fraction, ...]]] = {}
        for target, link in recipe.links.items():
            known = {link.source: Fraction(1)}
            high = 1 if link.at_most else None
            profile: set[Fraction] = set()
            general: set[Fraction] = set()
            for name, formula in link.ratios:
                profile |= _solutions(formula, target, known, self.derived[name], high)
                general |= _solutions(formula, target, known, common, high)
            self.factors[target] = (
                tuple(sorted(profile)),
                tuple(sorted(general)) if link.ratios else common,
            )
        self._orders: dict[tuple[str, tuple[str, ...]], dict[str, _Shares]] = {}
        #: the parts of splits in a ratio the profile has thresholds for
        self.tested = {
            p
            for split in recipe.splits
            for name, formula in split.ratios
            if self.derived[name]
            for p in formula.inputs
            if p in split.parts
        }

    def shares(self, split: _Split, order: tuple[str, ...]) -> dict[str, _Shares]:
        """For each part of *split* drawn in *order*: the shares that put the ratios it
        decides (it is the last of their parts drawn) on the profile's thresholds and on
        common shares, alone, and the ratios it decides with the parts drawn before it
        (solved when drawn), with their thresholds."""
        key = (split.whole, order)
        found = self._orders.get(key)
        if found is None:
            found = self._orders[key] = {}
            alone = {split.whole: Fraction(1)}
            for part in order:
                profile: set[Fraction] = set()
                general: set[Fraction] = set()
                after = []
                for name, formula in split.ratios:
                    drawn = [p for p in order if p in formula.inputs]
                    if drawn[-1] != part:
                        continue
                    values = self.derived[name]
                    if len(drawn) == 1:
                        profile |= _solutions(formula, part, alone, values, 1)
                        general |= _solutions(formula, part, alone, _near(frozenset()), 1)
                    else:
                        after.append((formula, values))
                found[part] = (tuple(sorted(profile)), tuple(sorted(general)), tuple(after))
        return found


#: the shares of one part of a split: near the profile's thresholds, near common shares,
#: and the ratios solved when the part is drawn
_Shares = tuple[
    tuple[Fraction, ...], tuple[Fraction, ...], tuple[tuple[Ratio, tuple[Fraction, ...]], ...]
]


def _solutions(
    formula: Ratio,
    target: str,
    known: Mapping[str, Fraction],
    values: Iterable[Fraction],
    high: Fraction | int | None,
) -> set[Fraction]:
    """The values of *target* that put *formula* on each of *values*, at most *high*."""
    return {
        x
        for v in values
        if (x := _solve(formula, target, known, v)) is not None and (high is None or x <= high)
    }


_NEAR: dict[tuple[Any, str, type], _Near] = {}


def _near_for(section: str, cls: type, t: Thresholds) -> _Near:
    key = (t._key, section, cls)
    found = _NEAR.get(key)
    if found is None:
        found = _NEAR[key] = _Near(section, cls, t)
    return found


def _pick(pk: _Picker, profile: Sequence[Any], general: Sequence[Any]) -> Any | None:
    """Half the time a value near the profile's thresholds, a quarter of the time a value
    laws often use (three quarters when the profile has none here); otherwise None (the
    caller draws any value)."""
    i = pk.below(4)
    pool = (profile or general) if i < 2 else general if i == 2 else ()
    return pk.one(pool) if pool else None


def _free_value(pk: _Picker, name: str, spec: Spec, near: _Near, currency: str) -> Any:
    """A value of a field drawn by its kind alone, near its own thresholds: a whole number
    for counts and amounts (amounts in the record's currency, signed ones may be
    negative), an exact fraction for shares and rates (rates may exceed 1)."""
    kind = spec.kind
    own = near.own[name]
    if kind is Kind.BOOL:
        return pk.bits(1) == 1
    if kind is Kind.CHOICE:
        assert spec.choices is not None
        return pk.one(_members(spec.choices))
    if kind is Kind.CHOICES:
        assert spec.choices is not None
        members = _members(spec.choices)
        return frozenset(pk.one(members) for _ in range(pk.one((0, 1, 1, 2))))
    if kind is Kind.COUNT:
        found = _pick(pk, own, _COUNTS)
        return found if found is not None else pk.below(501)
    if kind is Kind.SHARE:
        found = _pick(pk, own, _near(frozenset()))
        return found if found is not None else pk.fraction()
    if kind is Kind.RATE:
        found = _pick(pk, own, _near(frozenset()))
        return found if found is not None else pk.fraction(2)
    if kind in MONEY_KINDS:
        sign = pk.one(_SIGNS) if kind is Kind.SIGNED_MONEY else 1
        amounts = [
            int(a.amount) + d
            for a in near.amounts[name]
            if a.currency == currency
            for d in (-1, 0, 1)
        ]
        found = _pick(pk, amounts, ())
        if found is not None:
            return found
        return 0 if pk.below(5) == 0 else sign * (1 + pk.below(10**7)) * 100
    if kind is Kind.HOURS:
        return Fraction(pk.below(20_001), 2)
    if kind is Kind.DATE:
        return date(1990, 1, 1) + timedelta(days=pk.below(13_500))
    if kind is Kind.TEXT:
        return pk.one(_TEXTS)
    return None  # a code is checked against a list: drawn by the caller, not here


@cache
def _members(vocabulary: type[enum.Enum]) -> tuple[enum.Enum, ...]:
    return tuple(vocabulary)


def _factor(pk: _Picker, link: _Link, near: _Near) -> Fraction:
    profile, general = near.factors[link.target]
    found = _pick(pk, profile, general)
    if found is not None:
        return Fraction(found)
    return pk.fraction(1 if link.at_most else 2)


def _shares(pk: _Picker, split: _Split, near: _Near) -> list[Fraction]:
    """Shares of the whole, one per part, adding up to at most 1, drawn in an order
    drawn too: each near the values that put the ratios it decides on their thresholds,
    or none, or all that is left."""
    order = list(split.parts)
    for i in range(len(order) - 1, 0, -1):
        j = pk.below(i + 1)
        order[i], order[j] = order[j], order[i]
    # the parts of ratios the profile tests first, so that their shares are free to land
    # on the thresholds (a part drawn late has little left)
    order.sort(key=lambda part: part not in near.tested)
    plan = near.shares(split, tuple(order))
    shares: dict[str, Fraction] = {split.whole: Fraction(1)}
    left = Fraction(1)
    for part in order:
        profile, general, after = plan[part]
        if left < 1:
            profile = tuple(x for x in profile if x <= left)
            general = tuple(x for x in general if x <= left)
        for formula, values in after:
            profile += tuple(_solutions(formula, part, shares, values, left))
        found = _pick(pk, profile, (*general, Fraction(0), left))
        share = found if found is not None else left * pk.fraction()
        shares[part] = share
        left -= share
    return [shares[p] for p in split.parts]


def _wrap(spec: Spec, value: Any, currency: str) -> Any:
    if value is not None and spec.kind in MONEY_KINDS:
        return Money(Decimal(value), currency)
    return value


def _given(pk: _Picker, spec: Spec, value: Any, required: bool) -> Any:
    """*value*, or None when the field is left unknown (a recorded event, such as a
    deregistration, is recorded for one record in eight)."""
    if required:
        return value
    if spec.closed:
        return value if pk.below(8) == 0 else None
    return pk.maybe(value)


def _record(
    pk: _Picker,
    section: str,
    cls: type[_R],
    t: Thresholds,
    currency: str,
    year: int | None = None,
) -> _R:
    """One record of *cls* drawn from its declarations (see above), each field unknown
    with probability ``pk.unknown``/16; *year* is the year a per-year record is about."""
    recipe = _recipe(cls)  # type: ignore[arg-type]  # a class is hashable
    near = _near_for(section, cls, t)
    specs = recipe.specs
    factors = {target: _factor(pk, link, near) for target, link in recipe.links.items()}
    for split in recipe.splits:
        factors.update(zip(split.parts, _shares(pk, split, near), strict=True))
    # the multiple each whole-number field is drawn on, so that its shares are exact
    unit: dict[str, int] = {}
    for name in reversed(recipe.order):
        u = 1
        kind = specs[name].kind
        for child in recipe.children.get(name, ()):
            # exact where a ratio of the two is a fact
            if kind in _WHOLE and specs[child].kind in _WHOLE and recipe.exact[child]:
                want = lcm(u, factors[child].denominator * unit[child])
                if want <= _MAX_UNIT[kind]:
                    u = want
        unit[name] = u
    value: dict[str, Any] = {}
    for name in recipe.order:
        spec = specs[name]
        link = recipe.links.get(name)
        whole = recipe.whole_of.get(name)
        if spec.kind is Kind.YEAR:
            value[name] = year
        elif link is not None or whole is not None:
            source = value[link.source if link is not None else whole]  # type: ignore[index]
            if link is not None and not link.at_most and not source > 0:
                value[name] = _free_value(pk, name, spec, near, currency)
            elif whole is not None and not source > 0:
                value[name] = 0  # nothing is allocated from a loss
            elif source < 0:
                value[name] = source  # at most a negative whole: the whole itself
            else:
                x = factors[name] * source
                value[name] = x.numerator // x.denominator if spec.kind in _WHOLE else x
        elif unit[name] > 1 and pk.known():
            # on a multiple that keeps the shares drawn from it exact
            if spec.kind is Kind.COUNT:
                value[name] = unit[name] * (1 + pk.below(max(1, 500 // unit[name])))
            else:
                sign = pk.one(_SIGNS) if spec.kind is Kind.SIGNED_MONEY else 1
                value[name] = sign * unit[name] * (1 + pk.below(50)) * 1000
        else:
            value[name] = _free_value(pk, name, spec, near, currency)
    given = {
        name: _wrap(spec, _given(pk, spec, value[name], name in recipe.required), currency)
        for name, spec in recipe.fields
    }
    for _ in range(len(recipe.unkept)):
        try:
            return cls(**given)
        except InvalidInput as e:
            for error in e.errors:
                given[error.path] = None
    return cls(**given)


@st.composite
def fiscal_years(
    draw: st.DrawFn,
    currency: str = "VND",
    year: int | None = None,
    thresholds: Thresholds | None = None,
) -> FiscalYear:
    """Consistent accounts of one year: allocations within profit, loss years included."""
    pk = _Picker(draw)
    y = year if year is not None else 2010 + pk.below(17)
    return _record(pk, "finances", FiscalYear, thresholds or Thresholds(), currency, y)


def _records(
    cls: type[_R],
    *,
    section: str = "",
    currency: str = "VND",
    year: int = 2024,
    thresholds: Thresholds | None = None,
) -> st.SearchStrategy[_R]:
    """Records of a declared model class (or any attrs class declared with the
    specifiers of :mod:`sse_model._model._declare`), consistent with its rules, every
    field sometimes known and sometimes unknown; *section* names it in fact names."""

    @st.composite
    def draw_record(draw: st.DrawFn) -> _R:
        return _record(_Picker(draw), section, cls, thresholds or Thresholds(), currency, year)

    return draw_record()


@cache
def _form_codes() -> tuple[str, ...]:
    return tuple(sorted(form_table()))


_FAMILIES = tuple(EntityFamily)


def _holds_one(section: str) -> bool:
    """The organisation holds one record of *section* (not one per fiscal year)."""
    return isinstance(attrs.fields_dict(Organisation)[section].default, attrs.Factory)  # type: ignore[arg-type]


@st.composite
def organisations(draw: st.DrawFn, thresholds: Thresholds | None = None) -> Organisation:
    """Organisations of every family and country, with missing facts, loss years and
    boundary-ish shares, realistic enough to reach every branch of a profile."""
    t = thresholds or Thresholds()
    pk = _Picker(draw)
    # some organisations are known in full, others in part
    pk.unknown = pk.one((0, 2, 4, 8))
    # identity: the country is consistent with the legal form and the profiles' scope
    home = t.choices("country")
    named = tuple(f for f in t.choices("legal_form") if f in form_table())
    where = pk.below(4)
    country: str | None
    if named and where == 0:  # a legal form the profiles name, a quarter of the time
        form = pk.one(named)
        country = form_table()[form].country
    elif home and where < 2:  # inside the profiles' territorial scope, half the time
        country = pk.one(home)
        forms = tuple(f for f in _form_codes() if form_table()[f].country == country)
        form = pk.opt(forms) if forms else None
    else:
        form = pk.opt(_form_codes())
        if form is not None:
            country = form_table()[form].country
        else:  # the country may not be recorded either
            country = None if pk.below(8) == 0 else pk.one(sorted(_CURRENCY_OF))
    # identity is not the vehicle: any family may come with any legal form
    family = pk.opt(_FAMILIES)
    regions = tuple(x for x in t.choices("subdivision") if x.startswith(f"{country}-"))
    subdivision = pk.opt(regions) if regions else None
    currency = _CURRENCY_OF.get(country or "", "USD")
    first = 2012 + pk.below(14)
    n_years = pk.one((0, 1, 1, 2))
    records: dict[str, Any] = {}
    for section, cls in RECORDS.items():
        if _holds_one(section):
            records[section] = _record(pk, section, cls, t, currency)
        else:  # the accounts of consecutive years
            records[section] = tuple(
                _record(pk, section, cls, t, currency, first + k) for k in range(n_years)
            )
    kinds = _certification_kinds()
    certs = []
    for _ in range(pk.one((0, 0, 1, 2))):
        granted = pk.maybe(date(2008, 1, 1) + timedelta(days=pk.below(7001)))
        expires = pk.maybe(date(2015, 1, 1) + timedelta(days=pk.below(7001)))
        certs.append(
            Certification(
                kind=pk.one(kinds),
                granted_on=granted,
                expires_on=expires,
                indefinite=pk.flag() if expires is None else None,
            )
        )
    near = _near_for("", Organisation, t)
    rest = {  # the organisation's own facts beyond its identity (drawn above)
        name: pk.maybe(_free_value(pk, name, spec, near, currency))
        for name, spec in _recipe(Organisation).fields
        if name not in IDENTITY
    }
    return Organisation(
        id=f"{(country or 'xx').lower()}-{pk.below(10**6 + 1)}",
        name=pk.one(_TEXTS),
        country=country,
        subdivision=subdivision,
        legal_form=form,
        family=family,
        **records,
        **rest,
        certifications=tuple(certs),
    )


@cache
def _certification_kinds() -> list[str]:
    from ._engine._ast import Certified
    from ._engine._loader import load_profile, profile_ids

    kinds = {"kr/certified-social-enterprise", "th/registered-social-enterprise", "fr/esus"}
    for pid in profile_ids():
        for c in load_profile(pid).criteria:
            for n in walk(c.test) + (walk(c.applies_if) if c.applies_if else []):
                if isinstance(n, Certified):
                    kinds.add(n.kind)
    return sorted(kinds)


def _plans(profile: Profile | str, dates: Iterable[date], classifier: Classifier) -> list[Plan]:
    out = []
    for d in dates:
        try:
            out.append(classifier.plan(profile, d))
        except LookupError:
            continue
    return out


def _version_dates(profile: Profile | str, classifier: Classifier) -> list[date]:
    """The first and last day of each version (a year after the start if open-ended)."""
    out: list[date] = []
    p = classifier.profile(profile)
    for v in p.versions:
        out.append(v.effective_from)
        if v.effective_to is not None:
            out.append(v.effective_to)
        else:
            out.append(v.effective_from + timedelta(days=400))
    return out


def organisations_for(
    profile: Profile | str, *, classifier: Classifier | None = None
) -> st.SearchStrategy[Organisation]:
    """Organisations whose facts sit on, just below and just above the profile's thresholds."""
    c = classifier or Classifier()
    p = c.profile(profile)
    return organisations(thresholds_of(_plans(p, _version_dates(p, c), c)))


def organisations_with_outcome(
    profile: Profile | str,
    criterion_id: str,
    outcome: Outcome,
    *,
    on: date,
    classifier: Classifier | None = None,
) -> st.SearchStrategy[Organisation]:
    """Organisations for which *criterion_id* has *outcome* under *profile* on *on*
    (no default date; use ``Outcome.MET`` / ``NOT_MET``; combine with
    :func:`organisations_for` for boundary cases)."""
    c = classifier or Classifier()
    day = on_date(on)
    return organisations_for(profile, classifier=c).filter(
        lambda o: c.classify(o, profile, on=day).criterion(criterion_id).outcome is outcome
    )


# --- ready-made properties ------------------------------------------------------------------


def _run(
    prop: Callable[..., None], strategy: st.SearchStrategy[Any], max_examples: int | None
) -> None:
    # one counterexample, shrunk, as a plain AssertionError (not a group of distinct
    # failures): what a user's test of their own criteria wants to read
    test = given(strategy)(prop)
    if max_examples is not None:
        test = settings(max_examples=max_examples, report_multiple_bugs=False)(test)
    else:
        test = settings(report_multiple_bugs=False)(test)
    test()


def _dates(profile: Profile | str, on: date | None, c: Classifier) -> st.SearchStrategy[date]:
    p = c.profile(profile)
    if on is not None:
        return st.just(on_date(on))
    return st.sampled_from(_version_dates(p, c))


#: fields of recorded events, whose absence means "none recorded"
_CLOSED = frozenset(c.field for c in COLUMNS.values() if c.spec.closed)


def _forget(data: Any, pk: _Picker, path: tuple[str, ...] = ()) -> Any:
    """Remove some known leaf facts from plain organisation data (never identity)."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            # identity stays; so does a recorded revocation or deregistration, whose
            # absence means "none recorded" (a closed record), not "unknown"
            keep_always = (
                (not path and k in REQUIRED) or k in _CLOSED or k in ("kind", "revoked_on")
            )
            if isinstance(v, dict | list):
                out[k] = _forget(v, pk, (*path, k))
            elif keep_always or not pk.bits(1):
                out[k] = v
        if not path:  # a field forgotten takes with it the fields that need it
            for c in COLUMNS.values():
                if c.section is None and any(n not in out for n in c.spec.needs):
                    out.pop(c.name, None)
        return out
    if isinstance(data, list):
        return [_forget(v, pk, (*path, "[]")) if isinstance(v, dict) else v for v in data]
    return data


def _pairs(
    profile: Profile | str, on: date | None, c: Classifier
) -> st.SearchStrategy[tuple[Organisation, Organisation, date]]:
    """An organisation, a copy with some facts forgotten, and a date."""

    @st.composite
    def pairs(draw: st.DrawFn) -> tuple[Organisation, Organisation, date]:
        full = draw(organisations_for(profile, classifier=c))
        partial = structure(_forget(unstructure(full), _Picker(draw)), Organisation)
        return full, partial, draw(_dates(profile, on, c))

    return pairs()


def _law_monotonicity(
    c: Classifier, profile: Profile | str, full: Organisation, partial: Organisation, d: date
) -> None:
    fy = full.finances[-1].year if full.finances else None
    for presumptions in (False, True):
        less = c.classify(partial, profile, on=d, fiscal_year=fy, presumptions=presumptions)
        more = c.classify(full, profile, on=d, fiscal_year=fy, presumptions=presumptions)
        if presumptions and more.inconsistencies:
            # presumptions are rebuttable: an observed fact that contradicts the law of
            # the form overrides what was presumed while it was unknown
            continue
        note(f"partial: {less.explain()}\nfull: {more.explain()}")
        if less.verdict is not Verdict.UNDETERMINED:
            assert more.verdict is less.verdict, (less.verdict, more.verdict)
        for a, b in zip(less.criteria, more.criteria, strict=True):
            if a.outcome is not Outcome.UNKNOWN:
                assert b.outcome is a.outcome, (a.id, a.outcome, b.outcome)


def _law_units(c: Classifier, profile: Profile | str, org: Organisation, d: date) -> None:
    other = structure(_other_units(unstructure(org)), Organisation)
    assert other == org
    assert c.classify(other, profile, on=d) == c.classify(org, profile, on=d)


def _law_serialization(c: Classifier, profile: Profile | str, org: Organisation, d: date) -> None:
    again = from_json(to_json(org), Organisation)
    a, b = c.classify(org, profile, on=d), c.classify(again, profile, on=d)
    assert a == b
    assert from_json(to_json(a), Classification) == a


def _law_determinism(
    c: Classifier, fresh: Classifier, profile: Profile | str, org: Organisation, d: date
) -> None:
    first = c.classify(org, profile, on=d)
    assert c.classify(org, profile, on=d) == first
    assert fresh.classify(org, profile, on=d) == first


def _law_agreement(
    c: Classifier,
    ref: Classifier,
    profile: Profile | str,
    org: Organisation,
    d: date,
    assumptions: Assumptions | None = None,
) -> None:
    prof = c.profile(profile)
    expected = ref.raw(org, prof, d, assumptions=assumptions)
    assert c.raw(org, prof, d, assumptions=assumptions) == expected
    assert c.evaluator(prof, d, assumptions=assumptions)(org) == (
        expected.verdict,
        expected.outcomes,
    )
    if assumptions is None:  # the explanation built when read is the one built whole
        assert c.classify(org, prof, on=d) == ref.classify(org, prof, on=d)


def _law_assumptions(
    c: Classifier, profile: Profile | str, org: Organisation, d: date, a: Assumptions
) -> None:
    base = c.classify(org, profile, on=d, assumptions=Assumptions())
    adopted = c.classify(org, profile, on=d, assumptions=a)
    note(f"assumptions: {a}\nnone: {base.explain()}\nadopted: {adopted.explain()}")
    assert adopted.assumptions == a
    if base.verdict is not Verdict.UNDETERMINED:
        assert adopted.verdict is base.verdict, (base.verdict, adopted.verdict)
    for x, y in zip(base.criteria, adopted.criteria, strict=True):
        if x.outcome is not Outcome.UNKNOWN:
            assert y.outcome is x.outcome, (x.id, x.outcome, y.outcome)
        if x.status.value == "unverified" and x.outcome is not Outcome.NOT_APPLICABLE:
            assert x.outcome is Outcome.UNKNOWN, x.id  # unverified rules never decide


def _cases(
    profile: Profile | str, on: date | None, c: Classifier
) -> st.SearchStrategy[tuple[Organisation, date]]:
    return st.tuples(organisations_for(profile, classifier=c), _dates(profile, on, c))


def check_knowledge_monotonicity(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """Filling in unknown facts never flips a decided verdict.

    For an organisation and a copy with some facts forgotten: if the copy's verdict is
    decided, the full organisation has the same verdict, and every criterion decided
    for the copy has the same outcome for the full organisation. This holds on observed
    facts alone, and with legal presumptions whenever the full organisation's facts do
    not contradict the law of its form (presumptions are rebuttable).
    """
    c = classifier or Classifier()
    _run(lambda case: _law_monotonicity(c, profile, *case), _pairs(profile, on, c), max_examples)


def _other_units(data: Any) -> Any:
    """The same facts written in other units: ratios in % and permille, amounts as tables."""
    from ._model._units import parse_ratio

    def convert(key: str, value: Any, i: int) -> Any:
        if isinstance(value, str) and value.endswith(" h"):
            return f"{parse_ratio(value[:-2]) * 60} min"
        if (
            isinstance(value, str)
            and len(value) > 4
            and value[-4] == " "
            and value[-3:].isalpha()
            and value[-3:].isupper()
        ):
            amount, currency = value.rsplit(" ", 1)
            return {"amount": amount, "currency": currency}
        if key.endswith(("_share", "_rate")) and isinstance(value, str):
            r = parse_ratio(value)
            return f"{r * 100} %" if i % 2 else f"{r * 1000} permille"
        return value

    counter = [0]

    def walk_(d: Any, key: str = "") -> Any:
        counter[0] += 1
        if isinstance(d, dict):
            return {k: walk_(v, k) for k, v in d.items()}
        if isinstance(d, list):
            return [walk_(v, key) for v in d]
        return convert(key, d, counter[0])

    return walk_(copy.deepcopy(data))


def check_unit_invariance(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """The same facts written in other units (51 % / 0.51 / 510 permille; hours as
    minutes; amounts as tables) give the same classification."""
    c = classifier or Classifier()
    _run(lambda case: _law_units(c, profile, *case), _cases(profile, on, c), max_examples)


def check_serialization_invariance(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """Classifying a JSON round-tripped organisation gives an identical result, and the
    result's own JSON round-trips."""
    c = classifier or Classifier()
    _run(lambda case: _law_serialization(c, profile, *case), _cases(profile, on, c), max_examples)


def check_determinism(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """The same organisation, profile and date always give the same result, from a fresh
    classifier too."""
    c = classifier or Classifier()
    fresh = Classifier()
    _run(
        lambda case: _law_determinism(c, fresh, profile, *case),
        _cases(profile, on, c),
        max_examples,
    )


def check_evaluators_agree(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """The compiled evaluators (with and without explanations) give exactly the
    reference evaluator's outcomes and verdict, with and without assumptions adopted;
    the classification, its explanation built when first read, equals the one the
    reference builds whole (presumptions applied)."""
    c = classifier or Classifier()
    ref = attrs.evolve(c, evaluator="reference")  # the same profiles and presumptions

    def law(case: tuple[tuple[Organisation, date], Assumptions]) -> None:
        (org, d), a = case
        _law_agreement(c, ref, profile, org, d)
        _law_agreement(c, ref, profile, org, d, a)

    _run(
        law,
        st.tuples(_cases(profile, on, c), assumptions_for(profile, classifier=c)),
        max_examples,
    )


def assumptions_for(
    profile: Profile | str, *, classifier: Classifier | None = None
) -> st.SearchStrategy[Assumptions]:
    """Assumptions a user may adopt under *profile*: unverified rules as written or not,
    and any choice of the candidate readings its rules (and its bases' rules) offer."""
    c = classifier or Classifier()
    p = c.profile(profile)
    readings: dict[str, tuple[str, ...]] = {}
    for plan in _plans(p, _version_dates(p, c), c):
        for criterion in plan.criteria:
            if criterion.readings:
                readings[criterion.id] = tuple(r.name for r in criterion.readings)
    return st.builds(
        Assumptions,
        unverified_as_written=st.booleans(),
        readings=st.fixed_dictionaries(
            {}, optional={k: st.sampled_from(v) for k, v in sorted(readings.items())}
        ),
    )


def check_assumption_monotonicity(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """Adopting assumptions only ever moves verdicts out of "undetermined".

    Without assumptions every unverified rule is unknown ("rule not verified"); with
    any assumptions, a verdict or criterion outcome decided without them is unchanged,
    and the result records the assumptions adopted.
    """
    c = classifier or Classifier()

    def law(case: tuple[tuple[Organisation, date], Assumptions]) -> None:
        (org, d), a = case
        _law_assumptions(c, profile, org, d, a)

    _run(
        law,
        st.tuples(_cases(profile, on, c), assumptions_for(profile, classifier=c)),
        max_examples,
    )


def check_profile(
    profile: Profile | str, *, on: date | None = None, max_examples: int | None = None
) -> None:
    """Check every ready-made property on *profile*, all on each generated example.

    One Hypothesis run: each example is checked for evaluator agreement, knowledge
    monotonicity, serialization and unit invariance, and determinism, so *max_examples*
    examples test each property that many times.
    """
    c, ref, fresh = Classifier(), Classifier(evaluator="reference"), Classifier()

    def all_laws(case: tuple[tuple[Organisation, Organisation, date], Assumptions]) -> None:
        (full, partial, d), a = case
        _law_agreement(c, ref, profile, full, d)
        _law_agreement(c, ref, profile, partial, d)
        _law_agreement(c, ref, profile, full, d, a)
        _law_monotonicity(c, profile, full, partial, d)
        _law_assumptions(c, profile, full, d, a)
        _law_serialization(c, profile, full, d)
        _law_units(c, profile, full, d)
        _law_determinism(c, fresh, profile, full, d)

    _run(
        all_laws,
        st.tuples(_pairs(profile, on, c), assumptions_for(profile, classifier=c)),
        max_examples,
    )


def type_strategies() -> dict[type, st.SearchStrategy[Any]]:
    """The strategy of each model type that :func:`hypothesis.strategies.from_type`
    uses: :class:`~sse_model.Organisation`, its records, :class:`~sse_model.FiscalYear`,
    :class:`~sse_model.Certification` and :class:`~sse_model.Money`.

    Hypothesis registers them through its entry point when it is imported (this module
    is imported on the first draw), and importing this module registers them too.
    """
    return dict(_type_strategies())


@cache
def _type_strategies() -> dict[type, st.SearchStrategy[Any]]:
    found: dict[type, st.SearchStrategy[Any]] = {Organisation: organisations()}
    for section, cls in RECORDS.items():
        if _holds_one(section):
            found[cls] = organisations().map(attrgetter(section))
    found[Certification] = st.builds(
        Certification,
        kind=st.sampled_from(
            ("kr/certified-social-enterprise", "th/registered-social-enterprise")
        ),
        granted_on=st.none() | st.dates(date(2005, 1, 1), date(2030, 12, 31)),
        expires_on=st.none() | st.dates(date(2005, 1, 1), date(2035, 12, 31)),
    )
    found[FiscalYear] = fiscal_years()
    found[Money] = st.sampled_from(sorted(set(_CURRENCY_OF.values()))).flatmap(money)
    return found


for _cls, _strategy in _type_strategies().items():
    st.register_type_strategy(_cls, _strategy)
