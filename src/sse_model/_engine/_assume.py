"""Unverified rules, and the assumptions a user adopts explicitly.

By default a criterion whose status is ``unverified`` never decides: its outcome is
unknown with the reason "rule not verified", and the settlement lists it among what no
data can settle. A user may adopt assumptions: take every unverified rule as written
(``unverified_as_written``), or pick one of the candidate readings a profile offers for
a rule whose text leaves a choice open (``readings``). The assumptions are applied to
the resolved :class:`~sse_model._engine._profile.Plan`, so the three evaluators
(reference, compiled, columnar) see the same rules and agree by construction.

Adopting an assumption only ever moves verdicts out of "undetermined": a held-back
rule is always unknown, and a reading agrees with the rule wherever the rule decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._errors import FieldError, InvalidInput
from ._ast import All, Case, Cases, Criterion, Status, Unresolved
from ._profile import Plan, Profile

__all__ = ["NOT_VERIFIED", "Assumptions", "Choice", "assume"]

#: The reason given for a held-back unverified rule.
NOT_VERIFIED = "rule not verified"


@attrs.frozen
class Choice:
    """The reading adopted for one criterion (``kh-ac-min-founders`` -> ``"15"``)."""

    criterion: str
    reading: str


def _choices(value: Mapping[str, str] | Iterable[Choice] | Iterable[Any]) -> tuple[Choice, ...]:
    if isinstance(value, Mapping):
        items = [Choice(str(k), str(v)) for k, v in value.items()]
    else:
        items = [v if isinstance(v, Choice) else Choice(*v) for v in value]
    return tuple(sorted(items, key=lambda c: c.criterion))


@attrs.frozen
class Assumptions:
    """Assumptions adopted for a classification, recorded in its result.

    *unverified_as_written*: apply the rules the research could not verify as they are
    encoded (by default they give unknown, "rule not verified"). *readings*: for a rule
    with candidate readings, the one to apply, by criterion id
    (``{"vn-se-reinvest-2014": "after-tax"}``).
    """

    unverified_as_written: bool = False
    readings: tuple[Choice, ...] = attrs.field(default=(), converter=_choices)

    def __bool__(self) -> bool:
        return self.unverified_as_written or bool(self.readings)

    def reading_of(self, criterion_id: str) -> str | None:
        for c in self.readings:
            if c.criterion == criterion_id:
                return c.reading
        return None

    def describe(self) -> str:
        """The assumptions in one line (``""`` when none): ``unverified-as-written; a=b``."""
        parts = ["unverified-as-written"] if self.unverified_as_written else []
        parts.extend(f"{c.criterion}={c.reading}" for c in self.readings)
        return "; ".join(parts)


NONE = Assumptions()


def _withhold(criterion: Criterion) -> Criterion:
    """The criterion with its test held back: always unknown, inputs still observed.

    The original applicability condition and test stay inside the node (in the same
    order), so every evaluator reads and reports the same facts.
    """
    inner = criterion.test
    if criterion.applies_if is not None:
        inner = All((criterion.applies_if, criterion.test))
    held = Unresolved(NOT_VERIFIED)
    return attrs.evolve(criterion, test=Cases((Case(held, inner),), held), applies_if=None)


def check_readings(plans: Iterable[Plan | Profile], assumptions: Assumptions) -> None:
    """Every adopted reading names a criterion of one of *plans* (or profiles, whatever the
    date) and one of its readings.

    Raises :class:`~sse_model.InvalidInput` listing every problem.
    """
    known: dict[str, tuple[str, ...]] = {}
    for plan in plans:
        for c in plan.criteria:
            known.setdefault(c.id, tuple(r.name for r in c.readings))
    problems = []
    for choice in assumptions.readings:
        names = known.get(choice.criterion)
        path = f"readings.{choice.criterion}"
        if names is None:
            problems.append(
                FieldError(path, "expected a criterion of the chosen profiles, got an unknown id")
            )
        elif choice.reading not in names:
            expected = ", ".join(names) if names else "none (this criterion has no readings)"
            problems.append(
                FieldError(
                    path, f"expected one of its readings ({expected}), got {choice.reading!r}"
                )
            )
    if problems:
        raise InvalidInput("assumptions", problems)


def assume(plan: Plan, assumptions: Assumptions | None) -> Plan:
    """*plan* with *assumptions* applied (unverified rules held back unless adopted).

    A reading adopted for a criterion of *plan* replaces its test; a reading for a
    criterion the plan does not have is ignored here (see :func:`check_readings`).
    """
    a = assumptions or NONE
    criteria = []
    withheld = []
    for original in plan.criteria:
        c = original
        chosen = a.reading_of(c.id)
        if chosen is not None:
            reading = next((r for r in c.readings if r.name == chosen), None)
            if reading is None:
                check_readings([plan], Assumptions(readings={c.id: chosen}))
            else:
                c = attrs.evolve(original, test=reading.test)
        elif c.status is Status.UNVERIFIED and not a.unverified_as_written:
            c = _withhold(original)
            withheld.append(c.id)
        criteria.append(c)
    return attrs.evolve(
        plan, criteria=tuple(criteria), assumptions=a, withheld=frozenset(withheld)
    )


def assumption_note(plan: Plan, criterion: Criterion) -> str | None:
    """What the user adopted for *criterion* of *plan*, in words (None: nothing)."""
    a: Assumptions = plan.assumptions or NONE
    chosen = a.reading_of(criterion.id)
    if chosen is not None:
        for r in criterion.readings:
            if r.name == chosen:
                return f"assumed reading {chosen!r}: {r.description}"
    if criterion.status is Status.UNVERIFIED and a.unverified_as_written:
        return "assumed: unverified rule applied as written"
    return None
