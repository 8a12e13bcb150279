"""Classification results: verdicts, outcomes, explanations and what is missing."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from .._model import Principle
from .._model._organisation import Undefined
from .._model._units import DECIMAL_CONTEXT, exact_decimal, fixed_point
from ._assume import Assumptions
from ._ast import Status

__all__ = [
    "Basis",
    "Classification",
    "CriterionResult",
    "Inconsistency",
    "MissingFact",
    "Observation",
    "Outcome",
    "PresumedFact",
    "PrincipleSummary",
    "Settlement",
    "Verdict",
]


class Outcome(enum.Enum):
    """The outcome of one criterion for one organisation."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Verdict(enum.Enum):
    """Whether an organisation qualifies under a profile."""

    QUALIFIES = "qualifies"
    DOES_NOT_QUALIFY = "does_not_qualify"
    UNDETERMINED = "undetermined"


#: Evaluators work on small ints; these are the codes, in Kleene order.
NOT_MET, UNKNOWN, MET, NA = 0, 1, 2, 3
OUTCOMES = (Outcome.NOT_MET, Outcome.UNKNOWN, Outcome.MET, Outcome.NOT_APPLICABLE)
VERDICTS = (Verdict.DOES_NOT_QUALIFY, Verdict.UNDETERMINED, Verdict.QUALIFIES, Verdict.QUALIFIES)


class Basis(enum.Enum):
    """What a criterion's outcome rests on."""

    OBSERVED = "observed"  #: decided by the facts given
    PRESUMED = "presumed"  #: decided only with facts the law guarantees (cited)
    UNKNOWN = "unknown"  #: not decided


@attrs.frozen
class PresumedFact:
    """A fact filled in by a presumption, with the provision that guarantees it."""

    fact: str
    value: str
    citation: str
    source: str
    confidence: str


@attrs.frozen
class Inconsistency:
    """An observed fact (or another presumption) contradicting what the law guarantees."""

    fact: str
    #: the value observed (or presumed by *against*)
    observed: str
    #: the value the law of *source* guarantees
    presumed: str
    citation: str
    source: str
    #: ``"observed"``, or the citation of a second, conflicting presumption
    against: str = "observed"


def format_value(value: object, unit: str = "") -> str:
    """A fact value for people: exact ratios as percentages, units spelled out."""
    if value is None:
        return "unknown"
    if isinstance(value, Undefined):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        pct = value * 100
        if pct.denominator == 1:
            return f"{pct.numerator} %"
        d = exact_decimal(pct)  # never the caller's decimal context
        if d is not None:
            return f"{DECIMAL_CONTEXT.normalize(d):f} %"
        return f"{value} (≈ {fixed_point(pct, 2)} %)"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(format_value(v) for v in value)) or "none"
    if isinstance(value, int) and unit:
        return f"{value} {unit}"
    return str(value)


@attrs.frozen
class Observation:
    """A fact as observed for a criterion."""

    fact: str
    value: str
    #: the value was filled in by a legal presumption (see the criterion's presumptions)
    presumed: bool = False


@attrs.frozen
class CriterionResult:
    """The outcome of one criterion, with what was observed and where the rule comes from."""

    id: str
    description: str
    outcome: Outcome
    observed: tuple[Observation, ...]
    threshold: str | None
    citation: str
    principles: tuple[Principle, ...]
    status: Status
    interpretation: str | None = None
    #: why the outcome is unknown or not applicable
    reason: str | None = None
    #: model fields that, once known, would decide this criterion
    missing: tuple[str, ...] = ()
    #: the profile this criterion comes from (differs from the classification's for bases)
    profile: str | None = None
    #: what the outcome rests on: observed facts, legal presumptions, or nothing (unknown)
    basis: Basis = Basis.OBSERVED
    #: the presumptions the outcome rests on (when the basis is presumed), with citations
    presumptions: tuple[PresumedFact, ...] = ()
    #: the assumption adopted for this criterion, in words (None: none)
    assumption: str | None = None
    #: the label of the profile version whose rule was applied: for a criterion about a
    #: fiscal year, the version in force at the end of that fiscal year (None: results
    #: written before this was recorded)
    version: str | None = None
    #: the date whose version of the law was applied: the end of the fiscal year for a
    #: criterion about a fiscal year, else the evaluation date (None: not recorded)
    law_on: date | None = None


@attrs.frozen
class PrincipleSummary:
    """Whether the organisation demonstrably meets one principle under the profile.

    ``met`` when at least one criterion putting it into practice is met and none is
    not met; ``not_applicable`` when the profile has no criterion for it.
    """

    principle: Principle
    outcome: Outcome
    criteria: tuple[str, ...]


@attrs.frozen
class MissingFact:
    """A model field whose value would help settle an undetermined verdict."""

    path: str
    criteria: tuple[str, ...]


@attrs.frozen
class Settlement:
    """What would settle an undetermined verdict, for each way it could go."""

    #: criteria that must all turn out met for the organisation to qualify
    to_qualify: tuple[str, ...]
    #: criteria any one of which, found not met, means it does not qualify
    to_disqualify: tuple[str, ...]
    #: facts to collect, with the criteria they decide: only facts that can still change
    #: the verdict given what is known (none of a route that can no longer matter)
    missing_facts: tuple[MissingFact, ...]
    #: unknown criteria that no collected fact can decide (unverified rules held back,
    #: "rule not verified"; undefined values such as the reinvested share of a loss)
    unresolvable: tuple[str, ...] = ()


class Deferred(Protocol):
    """What builds the explanation of a :class:`Classification` when first read."""

    def parts(self, name: str) -> Mapping[str, Any]:
        """The values of the deferred fields built together with field *name*."""


#: the fields of a classification that may be built when first read (the explanation)
DEFERRED = frozenset({"criteria", "principles", "settlement"})


@attrs.frozen
class Classification:
    """The result of applying one profile to one organisation on one date.

    A classification made by a classifier builds its explanation (``criteria``,
    ``principles``, ``settlement``) when one of them is first read: the values, the
    equality, the hash and the serialised form are the same as if it had been built
    whole, and a verdict that is only counted costs no explanation.
    """

    organisation_id: str
    profile_id: str
    version: str
    on: date
    fiscal_year: int | None
    verdict: Verdict
    criteria: tuple[CriterionResult, ...]
    principles: tuple[PrincipleSummary, ...]
    settlement: Settlement | None = None
    #: the verdict differs from the one observed facts alone give
    rests_on_presumptions: bool = False
    #: observed facts contradicting what the law of the legal form or a status guarantees
    inconsistencies: tuple[Inconsistency, ...] = ()
    #: the assumptions adopted (unverified rules as written, readings); None: none
    assumptions: Assumptions | None = None

    @cached_property
    def _pending(self) -> Deferred | None:
        return None  # built whole: nothing deferred

    if not TYPE_CHECKING:  # keep attribute checks strict for type checkers

        def __getattr__(self, name: str) -> Any:
            # only reached when a slot is empty: a deferred field not built yet
            if name in DEFERRED:
                pending = self._pending
                if pending is not None:
                    for field, value in pending.parts(name).items():
                        _set(self, field, value)
                    if all(_is_set(self, f) for f in DEFERRED):
                        _set(self, "_pending", None)  # the explanation's inputs can go
                return object.__getattribute__(self, name)
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}", name=name, obj=self
            )

    def __repr__(self) -> str:
        return (
            f"<Classification {self.organisation_id!r} under {self.profile_id} "
            f"({self.version}, {self.on.isoformat()}): {self.verdict.value}>"
        )

    def criterion(self, criterion_id: str) -> CriterionResult:
        """The result of one criterion, by id."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def law_note(self, r: CriterionResult) -> str | None:
        """The version of the law that judged *r*, in words, when it is not this
        classification's (see :func:`law_note`)."""
        return law_note(self, r)

    def explain(self, lang: str | None = None, *, margins: Any = None) -> str:
        """A readable explanation of the verdict; *lang* (``"vi"``, ``"th"``, ``"km"``,
        ``"mn"``, ``"ko"``; default English) localises its labels, dates and the law's
        title where a verified term exists (see the languages guide).

        *margins*: a :class:`~sse_model.Margins` of this organisation under this
        profile (``sse_model.margins(organisation, profile, on=...)``, the same
        computation as over a register): its distance from each threshold and the one
        change that would let it qualify are listed after the explanation (in English).
        """
        text = render_text(self, lang)
        if margins is None:
            return text
        return text.rstrip("\n") + "\n\n" + "\n".join(margins.section(self))

    def to_html(self, lang: str | None = None) -> str:
        """The HTML a notebook shows for this result, its labels in *lang* (as
        :meth:`explain`)."""
        from ._html import classification_html

        return classification_html(self, lang)

    def _repr_html_(self) -> str:
        from ._html import classification_html

        return classification_html(self)

    __str__ = explain


_set = object.__setattr__


def _is_set(obj: object, name: str) -> bool:
    try:
        object.__getattribute__(obj, name)
    except AttributeError:
        return False
    return True


def deferred(pending: Deferred, **fields: Any) -> Classification:
    """A :class:`Classification` with *fields* set and the rest (some of
    :data:`DEFERRED`) built by *pending* when first read."""
    c = Classification.__new__(Classification)
    for name, value in fields.items():
        _set(c, name, value)
    _set(c, "_pending", pending)
    return c


#: how the reason of a criterion not in force for the organisation's fiscal year begins
NOT_IN_FORCE = "not applicable: not in force on "

_MARK = {
    Outcome.MET: "[met]",
    Outcome.NOT_MET: "[NOT MET]",
    Outcome.UNKNOWN: "[unknown]",
    Outcome.NOT_APPLICABLE: "[n/a]",
}


def law_note(c: Classification, r: CriterionResult) -> str | None:
    """The version of the law that judged *r*, in words, when it is not the version of
    the classification (a criterion about a fiscal year that ended under an earlier law);
    None otherwise, and for a criterion that was not in force for that fiscal year."""
    if r.version is None or r.version == c.version or (r.reason or "").startswith(NOT_IN_FORCE):
        return None
    when = f" (the law in force on {r.law_on.isoformat()})" if r.law_on else ""
    return f"judged under version {r.version}{when}"


def render_text(c: Classification, lang: str | None = None) -> str:
    """The explanation in text: values and thresholds in display form (money with
    thousands separators, shares in per cent, ratios as ratios) and each criterion's
    source as ``[n] article``, the instruments listed once at the end; labels in
    *lang*."""
    from .._i18n import (
        check_language,
        date_text,
        heading,
        law_title,
        outcome_label,
        principle_label,
        verdict_label,
    )
    from ._display import Sources, requirement_text, value_text

    lang = check_language(lang)
    sources = Sources()
    h = partial(heading, lang=lang)
    fy = f", {h('fiscal year')} {c.fiscal_year}" if c.fiscal_year is not None else ""
    verdict = verdict_label(c.verdict, lang)
    lines = [
        f"{c.organisation_id} under {c.profile_id} ({h('version')} {c.version}, {h('on')} "
        f"{date_text(c.on, lang)}{fy}): {verdict.upper()}",
        "",
    ]
    title = law_title(c.profile_id, lang)
    if title:
        lines[-1:-1] = [f"  {h('law')}: {title}"]
    if c.assumptions:
        lines[-1:-1] = [f"  assumptions adopted: {c.assumptions.describe()}"]
    for r in c.criteria:
        lines.append(f"  {_MARK[r.outcome]:<10} {r.id}: {r.description}")
        for o in r.observed:
            how = "presumed" if o.presumed else h("observed")
            lines.append(f"             {how} {o.fact} = {value_text(o.fact, o.value, lang)}")
        for pf in r.presumptions:
            lines.append(
                f"             presumed by law: {pf.fact} = {pf.value} ({pf.citation}; "
                f"{pf.source}; confidence {pf.confidence})"
            )
        if r.threshold:
            lines.append(f"             {h('required')} {requirement_text(r.threshold)}")
        lines.append(f"             {h('source')}: {sources.cite(r.citation)}")
        flags = []
        if r.status is Status.UNVERIFIED:
            flags.append("UNVERIFIED rule")
        if r.interpretation:
            flags.append(f"interpretation: {r.interpretation}")
        if r.assumption:
            flags.append(r.assumption)
        law = law_note(c, r)
        if law:
            flags.append(law)
        if r.reason:
            flags.append(r.reason)
        lines.extend(f"             note: {f}" for f in flags)
    if c.rests_on_presumptions:
        lines.append("")
        lines.append(
            "  This verdict rests on legal presumptions (facts the law of the legal form or "
            "status guarantees); observed facts alone leave it undetermined."
        )
    if c.inconsistencies:
        lines.append("")
        lines.append("  Inconsistencies between the facts and the law:")
        for inc in c.inconsistencies:
            lines.append(
                f"    {inc.fact}: {inc.against} {inc.observed}, but {inc.citation} "
                f"({inc.source}) guarantees {inc.presumed}"
            )
    lines.append("")
    lines.append("  Sources:")
    lines.extend(f"    [{n}] {name}" for n, name in sources.listed())
    lines.append("")
    lines.append(f"  {h('Principles demonstrated under this profile:')}")
    for p in c.principles:
        outcome = p.outcome.value if lang == "en" else outcome_label(p.outcome, lang)
        lines.append(f"    {principle_label(p.principle, lang)}: {outcome}")
    s = c.settlement
    if s is not None:
        lines.append("")
        lines.append(f"  {h('To settle this verdict:')}")
        if s.to_qualify:
            lines.append(f"    it qualifies if these are met: {', '.join(s.to_qualify)}")
        if s.to_disqualify:
            lines.append(
                f"    it does not qualify if any of these is not met: {', '.join(s.to_disqualify)}"
            )
        for m in s.missing_facts:
            lines.append(f"    collect {m.path} (decides {', '.join(m.criteria)})")
        if s.unresolvable:
            lines.append(
                f"    no data can settle: {', '.join(s.unresolvable)} (see each criterion's note)"
            )
    return "\n".join(lines)
