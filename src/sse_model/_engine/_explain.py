"""Explanations built when first read, from the evaluator's outcomes.

A classifier decides the verdict at once (the evaluator, and the presumptions) and
hands the rest of the :class:`Classification` (each criterion's explanation, the
principles, the settlement) to a :class:`Pending`, which builds it the first time one
of those fields is read. What it builds is what :func:`~._evaluate.finish` and
:func:`~._presume.attach_basis` build together; the tests check the two agree.
The parts that do not depend on the organisation are computed once per plan (and per
fiscal year) by an :class:`Explainer`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

from .._model import Money, Organisation, Principle
from .._model._organisation import FiscalYear, Undefined
from ._assume import NONE, assumption_note
from ._ast import Certified, Compare, Is, Param, Unresolved, walk
from ._evaluate import (
    Raw,
    _leaf_name,
    _missing_inputs,
    _not_in_force,
    _reason,
    _settle,
    _Static,
    threshold_value,
)
from ._evaluate import explanation_plan as _explanation_plan
from ._facts import FACTS
from ._intervals import bounder
from ._presume import Presumed, _uses, ceiling_text
from ._profile import Plan
from ._result import (
    NA,
    OUTCOMES,
    UNKNOWN,
    VERDICTS,
    Basis,
    Classification,
    CriterionResult,
    MissingFact,
    Observation,
    Outcome,
    PresumedFact,
    PrincipleSummary,
    Settlement,
    deferred,
    format_value,
)
from ._settle import relevant

__all__ = ["Explainer", "Pending", "explained"]

#: principle summaries kept per plan, by outcome codes (they repeat across organisations)
_PRINCIPLES_KEPT = 4096


@attrs.frozen
class _Year:
    """What the explanation of each criterion needs for one chosen fiscal year."""

    active: tuple[bool, ...]
    versions: tuple[str | None, ...]
    law_on: tuple[date, ...]
    #: why a criterion is not applied (None: it is in force)
    not_in_force: tuple[str | None, ...]


class Explainer:
    """The organisation-independent parts of one plan's explanations, built once.

    Its caches only grow with values that are the same whoever computes them, so a
    classifier shared between threads may share it.
    """

    __slots__ = (
        "_principles",
        "_years",
        "bounders",
        "held",
        "inputs",
        "notes",
        "plan",
        "results",
        "static",
        "thresholds",
        "unique",
        "unresolved",
        "withheld",
    )

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.static: tuple[_Static, ...] = _explanation_plan(plan)
        self.notes = tuple(assumption_note(plan, st.criterion) for st in self.static)
        self.withheld = tuple(st.criterion.id in plan.withheld for st in self.static)
        #: the model fields the plan reads (a presumption of another changes nothing)
        self.inputs = frozenset(
            path
            for st in self.static
            for leaf in st.leaves
            if not isinstance(leaf, Certified)
            for path in FACTS[leaf.fact].inputs
        )
        #: per criterion: the reasons its rule gives for an unknown outcome, the reason
        #: of a rule held back, each leaf's threshold on the date, and whether its
        #: observations can repeat (two leaves reading the same fact)
        self.unresolved = tuple(
            tuple(n.reason for n in walk(st.criterion.test) if isinstance(n, Unresolved))
            for st in self.static
        )
        self.held = tuple(
            _reason(st.criterion, (), plan, UNKNOWN) if w else None
            for st, w in zip(self.static, self.withheld, strict=True)
        )
        self.thresholds = tuple(
            tuple(
                threshold_value(leaf.threshold, plan) if isinstance(leaf, Compare) else None
                for leaf in st.leaves
            )
            for st in self.static
        )
        #: per leaf: what bounds it when its fact is unknown (None: nothing does)
        self.bounders = tuple(
            tuple(
                bounder(leaf, t) if isinstance(leaf, Compare | Is) else None
                for leaf, t in zip(st.leaves, ts, strict=True)
            )
            for st, ts in zip(self.static, self.thresholds, strict=True)
        )
        self.unique = tuple(len(set(st.names)) == len(st.names) for st in self.static)
        self._years: dict[int | None, _Year] = {}
        #: criterion results already built, by what they are built from (plain values)
        self.results: dict[tuple[Any, ...], CriterionResult] = {}
        self._principles: dict[tuple[int, ...], tuple[PrincipleSummary, ...]] = {}

    def year(self, year: int | None) -> _Year:
        """The per-criterion versions, dates and applicability for fiscal year *year*."""
        found = self._years.get(year)
        if found is None:
            plan = self.plan
            active = plan.segment(year).active
            law_on = tuple(plan.law_date(st.criterion, year) for st in self.static)
            found = _Year(
                active=tuple(active),
                versions=tuple(plan.version_of(st.criterion, year) for st in self.static),
                law_on=law_on,
                not_in_force=tuple(
                    None if live else _not_in_force(st.criterion, plan, year, on)
                    for st, live, on in zip(self.static, active, law_on, strict=True)
                ),
            )
            self._years[year] = found
        return found

    def reason(self, i: int, values: tuple[Any, ...], outcome: int) -> str | None:
        """Why criterion *i* (in force) has an unknown or not applicable outcome, as
        :func:`~._evaluate._reason` says it, from the parts computed once."""
        if outcome == NA:
            return _NOT_APPLICABLE
        if outcome != UNKNOWN:
            return None
        if self.withheld[i]:
            return self.held[i]
        reasons = list(self.unresolved[i])
        for leaf, value, t in zip(self.static[i].leaves, values, self.thresholds[i], strict=True):
            if isinstance(value, Undefined):
                reasons.append(
                    f"{_leaf_name(leaf)} is {value}; the rule does not say what that means"
                )
            elif isinstance(leaf, Compare) and value is not None:
                if t is None:
                    name = leaf.threshold.name if isinstance(leaf.threshold, Param) else "?"
                    reasons.append(f"parameter {name} has no value on {self.plan.on}")
                elif isinstance(value, Money) and value.currency != t[1]:
                    reasons.append(
                        f"{leaf.fact} is in {value.currency} and the threshold in {t[1]}; "
                        "currencies are never converted"
                    )
        if any(v is None for v in values):
            reasons.append("facts are missing")
        return "; ".join(dict.fromkeys(reasons)) or None

    def principles(self, outcomes: tuple[int, ...]) -> tuple[PrincipleSummary, ...]:
        """The principle summaries of criteria with these outcome codes."""
        found = self._principles.get(outcomes)
        if found is None:
            found = _principles(self.static, outcomes)
            if len(self._principles) < _PRINCIPLES_KEPT:
                self._principles[outcomes] = found
        return found


def _principles(
    static: tuple[_Static, ...], outcomes: tuple[int, ...]
) -> tuple[PrincipleSummary, ...]:
    out = []
    for p in Principle:
        mine = [
            (st.criterion.id, o)
            for st, o in zip(static, outcomes, strict=True)
            if p in st.principles
        ]
        applicable = {OUTCOMES[o] for _, o in mine if o != NA}
        if not applicable:
            outcome = Outcome.NOT_APPLICABLE
        elif Outcome.NOT_MET in applicable:
            outcome = Outcome.NOT_MET
        elif Outcome.UNKNOWN in applicable:
            outcome = Outcome.UNKNOWN
        else:
            outcome = Outcome.MET
        out.append(PrincipleSummary(p, outcome, tuple(cid for cid, _ in mine)))
    return tuple(out)


_NOT_APPLICABLE = "not applicable: its condition does not hold"

#: value types whose equal values are shown alike, with enum members (not Fraction or
#: Decimal amounts, whose equal values may be written differently)
_PLAIN = frozenset({type(None), bool, str})
_RESULTS_KEPT = 4096  # per plan: a few MB at most

#: exact shares as text, by value (formatting a share exactly is the costly part)
_SHARES: dict[Fraction, str] = {}
_SHARES_KEPT = 65536


def _shown(value: object, unit: str) -> str:
    """:func:`format_value`, remembering shares (a Fraction is always shown the same)."""
    if type(value) is not Fraction:
        return format_value(value, unit)
    text = _SHARES.get(value)
    if text is None:
        text = format_value(value, unit)
        if len(_SHARES) >= _SHARES_KEPT:
            _SHARES.clear()
        _SHARES[value] = text
    return text


class Pending:
    """The explanation of one classification, built when first read.

    *raw* is what the explanation shows (with the presumptions, when some applied);
    *observed* the evaluation on observed facts alone, *presumed* the one with the
    presumptions (None when none applied).
    """

    __slots__ = ("explainer", "found", "fy", "observed", "org", "presumed", "raw", "year")

    def __init__(
        self,
        explainer: Explainer,
        org: Organisation,
        fy: FiscalYear | None,
        year: int | None,
        observed: Raw,
        presumed: Raw | None,
        found: Presumed | None,
    ) -> None:
        self.explainer = explainer
        self.org = org
        self.fy = fy
        self.year = year
        self.observed = observed
        self.presumed = presumed
        self.raw = observed if presumed is None else presumed
        self.found = found

    def parts(self, name: str) -> Mapping[str, Any]:
        """The settlement, or the criteria and principles (built together)."""
        if name == "settlement":
            return {"settlement": self.settlement()}
        criteria = self.criteria()
        return {"criteria": criteria, "principles": self.explainer.principles(self.raw.outcomes)}

    def _missing(self, i: int, st: _Static, values: tuple[Any, ...]) -> tuple[str, ...]:
        """The inputs to collect for criterion *i* (as :func:`._evaluate.leaf_missing`
        finds them, with the leaves' bounders made once per plan)."""
        missing: list[str] = []
        org, fy = self.org, self.fy
        for leaf, value, bound in zip(st.leaves, values, self.explainer.bounders[i], strict=True):
            if value is not None or (bound is not None and bound(org, fy) != UNKNOWN):
                continue  # known, or unknown but decided by the known facts
            missing.extend(_missing_inputs(leaf, org, fy, self.year))
        return tuple(dict.fromkeys(missing))

    def settlement(self) -> Settlement | None:
        """What would settle an undetermined verdict (None when it is decided)."""
        raw, ex = self.raw, self.explainer
        if raw.verdict != UNKNOWN:
            return None
        decision = ex.plan.segment(self.year).decision
        outcomes = {st.criterion.id: o for st, o in zip(ex.static, raw.outcomes, strict=True)}
        live = relevant(decision, outcomes)
        collectable: set[str] = set()
        missing_by_path: dict[str, list[str]] = {}
        for i, (st, outcome, values) in enumerate(
            zip(ex.static, raw.outcomes, raw.values, strict=True)
        ):
            if outcome != UNKNOWN or ex.withheld[i]:
                continue
            missing = self._missing(i, st, values)
            if not missing:
                continue
            cid = st.criterion.id
            collectable.add(cid)
            if cid in live:
                for path in missing:
                    missing_by_path.setdefault(path, []).append(cid)
        to_q, to_d = _settle(decision, outcomes, collectable)
        return Settlement(
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

    def criteria(self) -> tuple[CriterionResult, ...]:
        """Each criterion's outcome, observations, reason, basis and sources."""
        ex, raw, observed, presumed = self.explainer, self.raw, self.observed, self.presumed
        per_year = ex.year(self.year)
        applied = (
            {p.fact: p for p in self.found.applied}
            if self.found is not None and presumed is not None
            else {}
        )
        out = []
        for i, st in enumerate(ex.static):
            criterion = st.criterion
            outcome = raw.outcomes[i]
            values = raw.values[i]
            active = per_year.active[i]
            missing: tuple[str, ...] = ()
            if outcome == UNKNOWN and not ex.withheld[i]:
                missing = self._missing(i, st, values)
            # what the outcome rests on, and the facts shown (presumed ones marked)
            before = observed.outcomes[i]
            cites: tuple[PresumedFact, ...] = ()
            if before != UNKNOWN:
                basis = Basis.OBSERVED
            elif presumed is not None and presumed.outcomes[i] != UNKNOWN:
                basis = Basis.PRESUMED
                cites = tuple(
                    PresumedFact(
                        p.fact, ceiling_text(p.fact, p.value), p.citation, p.source, p.confidence
                    )
                    for p in _uses(st, applied)
                )
            else:
                basis = Basis.UNKNOWN
            overridden = presumed is not None and presumed.values[i] != observed.values[i]
            key = None
            if not overridden and all(
                type(v) in _PLAIN or isinstance(v, enum.Enum) for v in values
            ):
                # the same plain values give the same result (their types are part of the
                # key: True and 1 are equal, and shown differently)
                key = (
                    i,
                    self.year,
                    outcome,
                    basis,
                    cites,
                    missing,
                    values,
                    tuple(map(type, values)),
                )
                known = ex.results.get(key)
                if known is not None:
                    out.append(known)
                    continue
            reason = per_year.not_in_force[i]
            if active and outcome in (UNKNOWN, NA):
                reason = ex.reason(i, values, outcome)
            if overridden:
                shown = tuple(
                    dict.fromkeys(
                        Observation(
                            name,
                            format_value(value, unit),
                            presumed=old is None and value is not None,
                        )
                        for name, unit, old, value in zip(
                            st.names, st.units, observed.values[i], values, strict=True
                        )
                        if value is not None or not name.startswith("certification ")
                    )
                )
            elif active:
                seen = [
                    Observation(name, _shown(value, unit))
                    for name, unit, value in zip(st.names, st.units, values, strict=True)
                    if value is not None or not name.startswith("certification ")
                ]
                shown = tuple(seen) if ex.unique[i] else tuple(dict.fromkeys(seen))
            else:
                shown = ()
            out.append(
                CriterionResult(
                    id=criterion.id,
                    description=criterion.description,
                    outcome=OUTCOMES[outcome],
                    observed=shown,
                    threshold=st.threshold,
                    citation=st.citation,
                    principles=st.principles,
                    status=criterion.status,
                    interpretation=criterion.interpretation,
                    reason=reason,
                    missing=missing,
                    profile=st.profile,
                    basis=basis,
                    presumptions=cites,
                    assumption=ex.notes[i],
                    version=per_year.versions[i],
                    law_on=per_year.law_on[i],
                )
            )
            if key is not None:
                if len(ex.results) >= _RESULTS_KEPT:
                    ex.results.clear()
                ex.results[key] = out[-1]
        return tuple(out)


def explained(
    explainer: Explainer,
    org: Organisation,
    fy: FiscalYear | None,
    year: int | None,
    observed: Raw,
    presumed: Raw | None,
    found: Presumed | None,
) -> Classification:
    """The classification of *org*: the verdict now, the explanation when first read."""
    plan = explainer.plan
    pending = Pending(explainer, org, fy, year, observed, presumed, found)
    raw = pending.raw
    extra: dict[str, Any] = {} if raw.verdict == UNKNOWN else {"settlement": None}
    return deferred(
        pending,
        organisation_id=org.id,
        profile_id=plan.profile_id,
        version=plan.version,
        on=plan.on,
        fiscal_year=year,
        verdict=VERDICTS[raw.verdict],
        rests_on_presumptions=presumed is not None and presumed.verdict != observed.verdict,
        inconsistencies=found.inconsistencies if found is not None else (),
        assumptions=plan.assumptions or NONE,
        **extra,
    )
