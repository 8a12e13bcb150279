"""The criteria language: a small, closed set of typed nodes.

Leaves test one fact (compare with a threshold, is true/false, is one of a set)
or a certification; combinators are all / any / not / at-least-k-of; ``cases``
expresses "these families qualify by their status, others if they meet
conditions" and Catala-style exceptions (an earlier case overrides a later one).
Profiles are parsed into these nodes once, then evaluated or compiled.
"""

from __future__ import annotations

import enum
from datetime import date
from fractions import Fraction
from typing import TypeAlias

import attrs

from .._model import Money, Principle

__all__ = [
    "All",
    "Anchor",
    "Any_",
    "AtLeast",
    "Case",
    "Cases",
    "Certified",
    "Citation",
    "Compare",
    "Const",
    "Criterion",
    "Is",
    "Node",
    "Not",
    "OneOf",
    "Op",
    "Param",
    "Reading",
    "Ref",
    "Status",
    "Truth",
    "Unresolved",
]


class Op(enum.Enum):
    """A comparison with explicit boundary semantics."""

    AT_LEAST = "at_least"  #: >= : the boundary value qualifies
    MORE_THAN = "more_than"  #: >  : the boundary value fails
    AT_MOST = "at_most"  #: <=
    LESS_THAN = "less_than"  #: <
    EQUALS = "equals"  #: ==

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]


_SYMBOLS = {
    Op.AT_LEAST: ">=",
    Op.MORE_THAN: ">",
    Op.AT_MOST: "<=",
    Op.LESS_THAN: "<",
    Op.EQUALS: "==",
}


class Truth(enum.Enum):
    """A constant of three-valued logic, for ``cases`` branches."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


class Status(enum.Enum):
    """How far a criterion was checked against the legal text."""

    VERIFIED = "verified"
    UNVERIFIED = "unverified"


class Anchor(enum.Enum):
    """The date whose version of the law judges a criterion.

    A criterion about a fiscal year (one that reads ``finances.*`` facts) is judged by
    default under the version in force at the end of that fiscal year, the usual rule
    for annual accounts; every other criterion under the version in force on the
    evaluation date. A profile may state either anchor for a criterion.
    """

    FISCAL_YEAR_END = "fiscal_year_end"
    EVALUATION_DATE = "evaluation_date"


@attrs.frozen
class Param:
    """A threshold taken from a dated parameter, times a factor (7 x SMIC)."""

    name: str
    times: Fraction = Fraction(1)


Threshold: TypeAlias = Fraction | Money | Param


@attrs.frozen
class Compare:
    """Compare a numeric fact with a threshold.

    *if_undefined* says what a defined-as-impossible value (a share of a loss)
    means for this criterion; by default it is unknown, as the law is silent.
    """

    fact: str
    op: Op
    threshold: Threshold
    if_undefined: Truth = Truth.UNKNOWN


@attrs.frozen
class Is:
    """A boolean fact is *value*."""

    fact: str
    value: bool = True


@attrs.frozen
class OneOf:
    """A choice fact is one of *values* (for a set fact: any of them)."""

    fact: str
    values: frozenset[str]


@attrs.frozen
class Certified:
    """The organisation holds a certification of *kind* (valid on the date, if asked)."""

    kind: str
    valid_on_date: bool = True


@attrs.frozen
class Unresolved:
    """A rule whose content could not be verified: always unknown, with the reason."""

    reason: str


@attrs.frozen
class Const:
    """A constant truth value."""

    value: Truth


@attrs.frozen
class Ref:
    """The outcome of another criterion of the profile (in decisions)."""

    id: str


@attrs.frozen
class All:
    """Every one of *items* holds (in three-valued logic)."""

    items: tuple[Node, ...]


@attrs.frozen
class Any_:
    """At least one of *items* holds (in three-valued logic)."""

    items: tuple[Node, ...]


@attrs.frozen
class Not:
    """*item* does not hold (unknown stays unknown)."""

    item: Node


@attrs.frozen
class AtLeast:
    """At least *k* of *items* hold."""

    k: int
    items: tuple[Node, ...]


@attrs.frozen
class Case:
    """One branch of :class:`Cases`: where *when* holds, *then* decides."""

    when: Node
    then: Node


@attrs.frozen
class Cases:
    """The first case whose condition holds decides; else *otherwise*.

    When a condition is unknown, every branch it could lead to is considered and
    the result is decided only if they all agree.
    """

    cases: tuple[Case, ...]
    otherwise: Node


Node: TypeAlias = (
    Compare
    | Is
    | OneOf
    | Certified
    | Unresolved
    | Const
    | Ref
    | All
    | Any_
    | Not
    | AtLeast
    | Cases
)


@attrs.frozen
class Citation:
    """Where a rule is written: the instrument's id in the profile and the article."""

    instrument: str
    article: str


@attrs.frozen
class Reading:
    """One candidate reading of a rule whose text leaves a choice open (a basis of profit,
    one of two minimums in the sources). The criterion's own test decides only where every
    reading agrees; a user who adopts a reading (:class:`~sse_model.Assumptions`) gets
    this test instead, so a reading must agree with the test wherever the test decides."""

    name: str
    description: str
    test: Node


@attrs.frozen
class Criterion:
    """One named rule of a profile, traceable to its legal source."""

    id: str
    description: str
    test: Node
    citation: Citation
    principles: frozenset[Principle]
    effective_from: date | None = None
    effective_to: date | None = None
    status: Status = Status.VERIFIED
    #: the confidence of the research behind the rule (high / medium / low)
    confidence: str | None = None
    #: set when the criterion maps a qualitative rule to observable facts
    interpretation: str | None = None
    #: when this test is false, the criterion is not applicable
    applies_if: Node | None = None
    note: str | None = None
    #: candidate readings a user may adopt instead of *test* (an assumption)
    readings: tuple[Reading, ...] = ()
    #: the date whose law judges the rule, as the profile states it (None: the fiscal
    #: year end for a rule reading fiscal-year facts, else the evaluation date)
    anchor: Anchor | None = None

    def in_force(self, on: date) -> bool:
        """Whether the rule applies on *on*."""
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on <= self.effective_to
        )


def walk(node: Node) -> list[Node]:
    """*node* and all nodes below it, depth first."""
    out: list[Node] = [node]
    match node:
        case All(items) | Any_(items) | AtLeast(_, items):
            for item in items:
                out.extend(walk(item))
        case Not(item):
            out.extend(walk(item))
        case Cases(cases, otherwise):
            for case in cases:
                out.extend(walk(case.when))
                out.extend(walk(case.then))
            out.extend(walk(otherwise))
    return out
