"""Profiles: one definition of the SSE (or of one status) in one jurisdiction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from .._errors import NoVersionInForce
from .._model import Money
from .._model._declare import MIN_YEAR
from ._ast import (
    All,
    Anchor,
    Any_,
    AtLeast,
    Case,
    Cases,
    Citation,
    Compare,
    Criterion,
    Is,
    Node,
    Not,
    OneOf,
    Ref,
    walk,
)
from ._facts import FACTS

__all__ = [
    "DatedValue",
    "Instrument",
    "Law",
    "Parameter",
    "Plan",
    "Profile",
    "Scope",
    "Segment",
    "Version",
]


@attrs.frozen
class Instrument:
    """A legal or policy text a profile cites."""

    id: str
    title: str
    reference: str | None = None
    adopted: date | None = None
    in_force: date | None = None
    binding: bool = True
    url: str | None = None
    note: str | None = None

    def status_text(self) -> str:
        """When it was adopted and came into force, and whether it binds (may be empty)."""
        return ", ".join(
            x
            for x in (
                f"adopted {self.adopted.isoformat()}" if self.adopted else "",
                f"in force {self.in_force.isoformat()}" if self.in_force else "",
                "non-binding" if not self.binding else "",
            )
            if x
        )


@attrs.frozen
class DatedValue:
    """The value of a parameter between two dates (inclusive)."""

    effective_from: date
    value: Fraction | Money
    effective_to: date | None = None
    source: str | None = None

    def covers(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@attrs.frozen
class Parameter:
    """A value that changes over time (a minimum wage), kept out of criteria."""

    name: str
    description: str
    values: tuple[DatedValue, ...]

    def value_on(self, on: date) -> DatedValue | None:
        for v in self.values:
            if v.covers(on):
                return v
        return None


@attrs.frozen
class Scope:
    """The territory a national or regional profile decides for, with its citation.

    A profile with a scope decides only for organisations of these *countries*
    (ISO 3166-1 alpha-2) or *subdivisions* (ISO 3166-2, ``CA-QC``): the loader turns
    it into one cited criterion, :attr:`criterion_id`, that every version's
    decision requires. International profiles have none.
    """

    countries: tuple[str, ...]
    subdivisions: tuple[str, ...]
    citation: Citation
    criterion_id: str
    description: str


@attrs.frozen
class Version:
    """A span of time during which one set of rules is in force."""

    label: str
    effective_from: date
    effective_to: date | None = None
    #: how criterion outcomes combine into the verdict; None means "all criteria"
    decision: Node | None = None
    note: str | None = None

    def covers(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@attrs.frozen
class Profile:
    """A definition as data: instruments, dated versions, criteria, parameters.

    Build one in Python or load it from a TOML file
    (:func:`~sse_model.load_profile`). A profile may *extend* another (an
    international base refined by a national law): the base's criteria in force
    on the date are evaluated too, and both decisions must hold.
    """

    id: str
    title: str
    jurisdiction: str
    criteria: tuple[Criterion, ...]
    versions: tuple[Version, ...]
    instruments: tuple[Instrument, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    summary: str = ""
    kind: str = "definition"
    extends: str | None = None
    notes: tuple[str, ...] = ()
    #: the profile named by ``extends`` as resolved when this one was loaded (from the
    #: ``bases`` or ``lookup`` it was loaded with), so that classification uses the same
    #: base; None means "look ``extends`` up by id" (profiles built in Python)
    base: Profile | None = attrs.field(default=None, eq=False, repr=False)
    #: the territory the profile decides for (None: international, or not declared)
    scope: Scope | None = None

    def __repr__(self) -> str:
        return (
            f"<Profile {self.id!r}: {len(self.criteria)} criteria, {len(self.versions)} versions>"
        )

    def _repr_html_(self) -> str:
        from ._html import profile_html

        return profile_html(self)

    def version_on(self, on: date) -> Version:
        """The version in force on *on*; :class:`~sse_model.NoVersionInForce` if none."""
        for v in self.versions:
            if v.covers(on):
                return v
        raise NoVersionInForce(
            self.id, on, [(v.label, v.effective_from, v.effective_to) for v in self.versions]
        )

    def instrument(self, instrument_id: str) -> Instrument | None:
        for i in self.instruments:
            if i.id == instrument_id:
                return i
        return None


def fiscal_year_end(year: int) -> date:
    """The last day of fiscal year *year*: its 31 December (the organisation model holds
    no other fiscal year end)."""
    return date(year, 12, 31)


def last_ended_year(on: date) -> int:
    """The latest fiscal year that has ended on *on*: a year ends on its 31 December."""
    return on.year if fiscal_year_end(on.year) == on else on.year - 1


def anchored(criterion: Criterion) -> bool:
    """Whether *criterion* is judged under the law in force at the end of the fiscal year
    (a rule about a fiscal year: its test, condition or a reading reads ``finances.*``
    facts), unless its profile states another :class:`~sse_model._engine._ast.Anchor`."""
    if criterion.anchor is not None:
        return criterion.anchor is Anchor.FISCAL_YEAR_END
    nodes = walk(criterion.test)
    if criterion.applies_if is not None:
        nodes += walk(criterion.applies_if)
    for reading in criterion.readings:
        nodes += walk(reading.test)
    return any(
        isinstance(n, Compare | Is | OneOf) and n.fact in FACTS and FACTS[n.fact].per_year
        for n in nodes
    )


@attrs.frozen
class Segment:
    """The rules of a plan for the rows whose fiscal year ends under one set of
    fiscal-year rules: which criteria are in force, and the decision."""

    #: per criterion of the plan: in force for these rows
    active: tuple[bool, ...]
    decision: Node


@attrs.frozen
class Law:
    """Which version's fiscal-year rules judge each fiscal year, for one evaluation date.

    Fiscal year ``first + i`` takes ``segments[by_year[i]]``; every other year (one that
    has not ended on the evaluation date, or ended before any version of the law) takes
    ``segments[0]``, the rules in force on the evaluation date.
    """

    first: int
    by_year: tuple[int, ...]
    segments: tuple[Segment, ...]


@attrs.frozen
class Plan:
    """A profile resolved for one date: the exact rules and parameter values to apply.

    Criteria about a fiscal year are judged under the version of the law in force at
    the end of the fiscal year chosen for each organisation: *criteria* also holds the
    fiscal-year criteria of earlier versions, and :meth:`segment` gives, per fiscal year,
    which criteria are in force and the decision (see :class:`Law`).
    """

    profile_id: str
    version: str
    on: date
    criteria: tuple[Criterion, ...]
    decision: Node
    parameters: Mapping[str, DatedValue]
    instruments: Mapping[str, Instrument]
    #: profile ids that contributed criteria (base profiles first)
    sources: tuple[str, ...]
    #: the profile each criterion comes from
    origins: Mapping[str, str]
    #: the assumptions adopted (None: none; see :func:`~sse_model._engine._assume.assume`)
    assumptions: Any = None
    #: unverified criteria held back (their outcome is unknown: "rule not verified")
    withheld: frozenset[str] = frozenset()
    #: criteria judged under the law in force at the end of the fiscal year
    anchored: frozenset[str] = frozenset()
    #: per fiscal year, the fiscal-year rules in force (None: the same for every year)
    law: Law | None = None
    #: the versions of each profile that contributed criteria (by profile id)
    timelines: Mapping[str, tuple[Version, ...]] = attrs.field(
        factory=lambda: MappingProxyType({}), eq=False, repr=False
    )

    def in_force_on_date(self) -> tuple[bool, ...]:
        """Per criterion: in force on the evaluation date (the others are fiscal-year
        criteria of earlier versions, for fiscal years that ended under them)."""
        if self.law is None:
            return tuple(c.in_force(self.on) for c in self.criteria)
        return self.law.segments[0].active

    def segment_index(self, year: int | None) -> int:
        """The index of the segment judging fiscal year *year* (None: no fiscal year was
        chosen, so the latest that has ended on the date)."""
        law = self.law
        if law is None:
            return 0
        i = (last_ended_year(self.on) if year is None else year) - law.first
        return law.by_year[i] if 0 <= i < len(law.by_year) else 0

    def segment(self, year: int | None) -> Segment:
        """The criteria in force and the decision for an organisation whose chosen fiscal
        year is *year*."""
        if self.law is None:
            return Segment(tuple(c.in_force(self.on) for c in self.criteria), self.decision)
        return self.law.segments[self.segment_index(year)]

    def law_date(self, criterion: Criterion, year: int | None) -> date:
        """The date whose version of the law judges *criterion* for fiscal year *year*:
        the end of the fiscal year for a fiscal-year criterion (when it has ended on the
        evaluation date and a version of the profile was then in force), else the
        evaluation date."""
        if criterion.id not in self.anchored:
            return self.on
        versions = self.timelines.get(self.origins.get(criterion.id, self.profile_id), ())
        return _anchor_date(versions, self.on, year)

    def version_of(self, criterion: Criterion, year: int | None) -> str | None:
        """The label of the version that judges *criterion* for fiscal year *year*."""
        versions = self.timelines.get(self.origins.get(criterion.id, self.profile_id), ())
        d = self.law_date(criterion, year)
        for v in versions:
            if v.covers(d):
                return v.label
        return None


def _anchor_date(versions: tuple[Version, ...], on: date, year: int | None) -> date:
    end = fiscal_year_end(last_ended_year(on) if year is None else year)
    if end > on or not any(v.covers(end) for v in versions):
        return on
    return end


def base_of(profile: Profile, lookup: Callable[[str], Profile]) -> Profile | None:
    """The base *profile* extends: the one it was loaded with, else ``lookup(extends)``."""
    if profile.extends is None:
        return None
    carried = profile.base
    if carried is not None and carried.id == profile.extends:
        return carried
    return lookup(profile.extends)


def resolve(profile: Profile, on: date, lookup: Callable[[str], Profile]) -> Plan:
    """The rules of *profile* in force on *on*, with its bases' rules merged in.

    Criteria about a fiscal year are judged under the version in force at the end of the
    fiscal year (see :class:`Law`): the plan also carries the fiscal-year criteria of the
    earlier versions a fiscal year that has ended on *on* can fall under.
    """
    chain: list[tuple[Profile, Version]] = []
    current: Profile | None = profile
    while current is not None:
        chain.insert(0, (current, current.version_on(on)))
        current = base_of(current, lookup)
    last = last_ended_year(on)
    first = max(MIN_YEAR, min(v.effective_from.year for p, _ in chain for v in p.versions))
    # the fiscal years at which the rules of a year can change: a year's end crosses a
    # version's or a fiscal-year criterion's first or last day (the rules stay the same
    # from each of these years to the next)
    edges = {
        x.year + k
        for p, _ in chain
        for x in [
            *(d for v in p.versions for d in (v.effective_from, v.effective_to)),
            *(d for c in p.criteria if anchored(c) for d in (c.effective_from, c.effective_to)),
        ]
        if x is not None
        for k in (0, 1)
    }
    years = sorted(y for y in edges | {first} if first <= y <= last)
    # per profile, the date whose law judges its fiscal-year rules, from each of these years
    dates = {p.id: [_anchor_date(p.versions, on, y) for y in years] for p, _ in chain}
    criteria: list[Criterion] = []
    origins: dict[str, str] = {}
    fiscal: set[str] = set()
    for p, _ in chain:
        for c in p.criteria:
            if anchored(c):
                if not (c.in_force(on) or any(c.in_force(d) for d in dates[p.id])):
                    continue
                fiscal.add(c.id)
            elif not c.in_force(on):
                continue
            criteria.append(c)
            origins[c.id] = p.id

    def active(i: int | None) -> tuple[bool, ...]:
        return tuple(
            c.in_force(on if i is None or c.id not in fiscal else dates[origins[c.id]][i])
            for c in criteria
        )

    def decision(mask: tuple[bool, ...]) -> Node:
        now = active(None)
        out: Node | None = None
        for p, v in chain:
            mine = [
                (c, a, n)
                for c, a, n in zip(criteria, mask, now, strict=True)
                if origins[c.id] == p.id
            ]
            node: Node
            if v.decision is None:
                node = All(tuple(Ref(c.id) for c, _, _ in mine))
            else:
                dropped = {c.id for c, a, n in mine if n and not a}
                added = tuple(Ref(c.id) for c, a, n in mine if a and not n)
                node = _substitute(v.decision, dropped, added)
            out = node if out is None else All((out, node))
        assert out is not None
        return out

    segments = [Segment(active(None), decision(active(None)))]
    index = {segments[0].active: 0}
    by_year: list[int] = []
    for i, year in enumerate(years):
        mask = active(i)
        if mask not in index:
            index[mask] = len(segments)
            segments.append(Segment(mask, decision(mask)))
        until = years[i + 1] if i + 1 < len(years) else last + 1
        by_year.extend([index[mask]] * (until - year))
    law = Law(first, tuple(by_year), tuple(segments)) if len(segments) > 1 else None
    params: dict[str, DatedValue] = {}
    instruments: dict[str, Instrument] = {}
    for p, _ in chain:
        params.update({x.name: dv for x in p.parameters if (dv := x.value_on(on)) is not None})
        instruments.update({i.id: i for i in p.instruments})
    return Plan(
        profile_id=profile.id,
        version=chain[-1][1].label,
        on=on,
        criteria=tuple(criteria),
        decision=segments[0].decision,
        parameters=MappingProxyType(params),
        instruments=MappingProxyType(instruments),
        sources=tuple(p.id for p, _ in chain),
        origins=MappingProxyType(origins),
        anchored=frozenset(fiscal),
        law=law,
        timelines=MappingProxyType({p.id: p.versions for p, _ in chain}),
    )


def _substitute(decision: Node, dropped: set[str], added: tuple[Ref, ...]) -> Node:
    """*decision* for rows whose fiscal-year rules are not those of its version: each
    fiscal-year criterion not in force then (*dropped*) stands for the conjunction of the
    fiscal-year criteria in force then and not now (*added*); with none dropped, the
    added ones are required beside the decision. A dropped criterion with nothing added
    stays in place: it is not applicable, so a combination leaves it out."""
    if not added:
        return decision
    replacement: Node = All(added)
    hit = False

    def sub(node: Node) -> Node:
        nonlocal hit
        match node:
            case Ref(rid) if rid in dropped:
                hit = True
                return replacement
            case All(items):
                return All(tuple(sub(i) for i in items))
            case Any_(items):
                return Any_(tuple(sub(i) for i in items))
            case Not(item):
                return Not(sub(item))
            case AtLeast(k, items):
                return AtLeast(k, tuple(sub(i) for i in items))
            case Cases(cases, otherwise):
                return Cases(tuple(Case(sub(c.when), sub(c.then)) for c in cases), sub(otherwise))
        return node

    out = sub(decision)
    return out if hit else All((out, replacement))
