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
from ._ast import All, Citation, Criterion, Node, Ref

__all__ = ["DatedValue", "Instrument", "Parameter", "Plan", "Profile", "Scope", "Version"]


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


@attrs.frozen
class Plan:
    """A profile resolved for one date: the exact rules and parameter values to apply."""

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


def base_of(profile: Profile, lookup: Callable[[str], Profile]) -> Profile | None:
    """The base *profile* extends: the one it was loaded with, else ``lookup(extends)``."""
    if profile.extends is None:
        return None
    carried = profile.base
    if carried is not None and carried.id == profile.extends:
        return carried
    return lookup(profile.extends)


def resolve(profile: Profile, on: date, lookup: Callable[[str], Profile]) -> Plan:
    """The rules of *profile* in force on *on*, with its bases' rules merged in."""
    version = profile.version_on(on)
    criteria = tuple(c for c in profile.criteria if c.in_force(on))
    decision: Node = (
        version.decision
        if version.decision is not None
        else All(tuple(Ref(c.id) for c in criteria))
    )
    params = {p.name: dv for p in profile.parameters if (dv := p.value_on(on)) is not None}
    instruments = {i.id: i for i in profile.instruments}
    sources: tuple[str, ...] = (profile.id,)
    origins = dict.fromkeys((c.id for c in criteria), profile.id)
    base_profile = base_of(profile, lookup)
    if base_profile is not None:
        base = resolve(base_profile, on, lookup)
        criteria = base.criteria + criteria
        decision = All((base.decision, decision))
        params = {**base.parameters, **params}
        instruments = {**base.instruments, **instruments}
        sources = base.sources + sources
        origins = {**base.origins, **origins}
    return Plan(
        profile_id=profile.id,
        version=version.label,
        on=on,
        criteria=criteria,
        decision=decision,
        parameters=MappingProxyType(params),
        instruments=MappingProxyType(instruments),
        sources=sources,
        origins=MappingProxyType(origins),
    )
