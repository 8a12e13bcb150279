"""The entry points: classify one organisation, or many, under one or more profiles."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Literal

import attrs

from .. import _checks
from .._model import Organisation
from .._model._forms import Presumption
from .._model._organisation import FiscalYear
from ._assume import NONE, Assumptions, assume
from ._compiler import Compiled, compile_plan
from ._evaluate import Raw, evaluate_reference, finish, pick_fiscal_year
from ._explain import Explainer, explained
from ._loader import load_profile, validate_profile
from ._presume import (
    Presumed,
    PresumedGroup,
    agreed,
    attach_basis,
    fill_in,
    presume,
    presumed_groups,
    resolve_groups,
)
from ._profile import Plan, Profile, resolve
from ._result import Classification, Inconsistency

__all__ = ["Classifier", "OnDate", "Presumptions", "classify", "classify_many"]

Evaluator = Literal["compiled", "reference"]
#: what ``on`` takes: a date, an ISO 8601 string, a datetime or pandas Timestamp (its
#: calendar date as written, time zone not converted); ``None`` is today
OnDate = date | str | None
#: legal presumptions: on (high and medium confidence), "all" (low ones too), or off
Presumptions = bool | Literal["all"]


@attrs.define
class _Entry:
    profile: Profile
    plan: Plan
    compiled: Compiled | None = None
    static: Explainer | None = None
    fast: dict[int | None, Any] = attrs.Factory(dict)


class _Facts:
    """What the law presumes of one organisation on one date; the organisation with
    those facts filled in is built only when a plan reads one of them."""

    __slots__ = ("_presumed", "fill", "low", "none", "on", "organisation")

    def __init__(
        self,
        organisation: Organisation,
        on: date,
        low: bool,
        fill: dict[str, Presumption],
        problems: tuple[Inconsistency, ...],
    ) -> None:
        self.organisation, self.on, self.low, self.fill = organisation, on, low, fill
        #: the presumptions found, none applied: for plans that read none of them
        self.none = Presumed(organisation, (), problems)
        self._presumed: Presumed | None = None if fill else self.none

    def reads(self, inputs: frozenset[str]) -> bool:
        """Whether a plan reading *inputs* reads a presumed fact."""
        return not inputs.isdisjoint(self.fill)

    def presumed(self) -> Presumed:
        found = self._presumed
        if found is None:  # built twice at worst, by two threads: the same value
            found = self._presumed = fill_in(
                self.organisation, self.fill, self.none.inconsistencies
            )
        return found


#: sets of grouped presumptions a classifier keeps (legal forms x dates x confidence)
_GROUPS_KEPT = 4096


@attrs.define
class Classifier:
    """Classifies organisations under profiles, compiling each profile version once.

    *lookup* finds profiles by id (default: the shipped ones); *evaluator* picks the
    compiled evaluator (fast) or the reference one (the executable definition).
    *assumptions* are those adopted by default for every call (none: unverified rules
    give unknown, "rule not verified"); a call may pass its own.
    A classifier holds only caches, so sharing one is safe.

    *presumptions* (default on) fills unknown facts that the law of an organisation's
    legal form or valid status guarantees (cited, rebuttable), if the research behind
    them has high or medium confidence; ``"all"`` adds the low-confidence ones;
    ``False`` classifies on observed facts only. *forms* and *certifications* replace
    the shipped presumption data (:func:`~sse_model.legal_forms`,
    :func:`~sse_model.certification_kinds`), e.g. to try a reading of a law.
    """

    _lookup: Callable[[str], Profile] = load_profile
    _evaluator: Evaluator = "compiled"
    presumptions: Presumptions = True
    _forms: Any = None
    _certifications: Any = None
    _entries: dict[tuple[int, date, Assumptions], _Entry] = attrs.field(factory=dict, init=False)
    _checked: dict[int, Profile] = attrs.field(factory=dict, init=False)
    _assumptions: Assumptions = NONE
    #: presumptions by legal form, date and confidence, grouped by fact
    _groups: dict[tuple[str | None, date, bool], tuple[PresumedGroup, ...]] = attrs.field(
        factory=dict, init=False, repr=False, eq=False
    )
    _last_presumed: _Facts | None = attrs.field(default=None, init=False, repr=False, eq=False)

    def profile(self, profile: str | Profile) -> Profile:
        """A profile object, looked up by id if a string is given."""
        if isinstance(profile, str):
            return self._lookup(profile)
        if not isinstance(profile, Profile):  # a wrong argument: say what was expected
            return _checks.one_profile(profile)  # type: ignore[unreachable]
        return profile

    def _entry(
        self, profile: str | Profile, on: date, assumptions: Assumptions | None = None
    ) -> _Entry:
        if type(on) is not date:  # a datetime, a string...: checked, as the date it names
            on = _checks.on_date(on)
        p = self.profile(profile)
        a = self._assumptions if assumptions is None else assumptions
        key = (id(p), on, a)
        entry = self._entries.get(key)
        if entry is None or entry.profile is not p:
            if not isinstance(profile, str) and self._checked.get(id(p)) is not p:
                validate_profile(p, self._lookup)  # maybe built in Python: check it once
                self._checked[id(p)] = p
            entry = _Entry(p, assume(resolve(p, on, self._lookup), a))
            self._entries[key] = entry
        return entry

    def plan(
        self, profile: str | Profile, on: date, assumptions: Assumptions | None = None
    ) -> Plan:
        """The rules of *profile* in force on *on* (no default date), with *assumptions*
        applied."""
        return self._entry(profile, on, assumptions).plan

    def evaluator(
        self,
        profile: str | Profile,
        on: date,
        fiscal_year: int | None = None,
        assumptions: Assumptions | None = None,
    ) -> Callable[[Organisation], tuple[int, tuple[int, ...]]]:
        """A compiled function ``org -> (verdict code, outcome codes)`` for batch work
        under the rules in force on *on* (no default date).

        Codes index :data:`VERDICTS` and :data:`OUTCOMES` (0 not met / does not
        qualify, 1 unknown / undetermined, 2 met / qualifies, 3 not applicable); the
        outcomes follow ``plan(profile, on).criteria``. No explanations are built.
        """
        entry = self._entry(profile, on, assumptions)
        fn = entry.fast.get(fiscal_year)
        if fn is None:
            fn = entry.fast[fiscal_year] = compile_plan(
                entry.plan, fast=True, fiscal_year=fiscal_year
            )
        return fn  # type: ignore[no-any-return]

    def raw(
        self,
        organisation: Organisation,
        profile: str | Profile,
        on: date,
        fiscal_year: int | None = None,
        assumptions: Assumptions | None = None,
    ) -> Raw:
        """The evaluator's raw result on *on* (no default date), without explanations
        (for benchmarks and checks)."""
        entry = self._entry(profile, on, assumptions)
        fy, year = pick_fiscal_year(organisation, on, fiscal_year)
        return self._raw(entry, organisation, fy, on, year)

    def _raw(
        self, entry: _Entry, organisation: Organisation, fy: Any, on: date, year: int | None
    ) -> Raw:
        if self._evaluator == "reference":
            return evaluate_reference(entry.plan, organisation, fy, year)
        if entry.compiled is None:
            entry.compiled = compile_plan(entry.plan)
        if fy is None and year is not None:  # a year asked for that the organisation lacks
            verdict, outcomes, values = entry.compiled(organisation, fy, on, year)
        else:
            verdict, outcomes, values = entry.compiled(organisation, fy, on)
        return Raw(verdict, outcomes, values)

    def classify(
        self,
        organisation: Organisation,
        profile: str | Profile,
        *,
        on: OnDate = None,
        fiscal_year: int | None = None,
        presumptions: Presumptions | None = None,
        assumptions: Assumptions | None = None,
    ) -> Classification:
        """Classify one organisation under one profile on *on* (default: today, the
        machine's local date; a date, an ISO string, a datetime or a pandas Timestamp,
        read as its calendar date without converting its time zone).

        Profit-based criteria read *fiscal_year*, or the latest year known that
        has ended on *on* (a year ends on its 31 December); the result says which.
        They are judged under the version of the profile in force at the end of that
        fiscal year (each criterion result records the version applied).
        Unverified rules give unknown ("rule not verified") unless *assumptions*
        (default: the classifier's) adopt them; the result records the assumptions.
        *presumptions* overrides the classifier's setting for this call.
        Arguments of the wrong kind raise :class:`~sse_model.InvalidArgument`.
        """
        # the checks inlined: a few isinstance calls on the hot path, helpers on failure
        if not isinstance(organisation, Organisation):
            _checks.one_organisation(organisation)  # type: ignore[unreachable]
        if not isinstance(profile, str | Profile):
            _checks.one_profile(profile)  # type: ignore[unreachable]
        day = on if type(on) is date else _checks.on_date(on)
        return self._classify(organisation, profile, day, fiscal_year, presumptions, assumptions)

    def _classify(
        self,
        organisation: Organisation,
        profile: str | Profile,
        on: date,
        fiscal_year: int | None,
        presumptions: Presumptions | None,
        assumptions: Assumptions | None,
    ) -> Classification:
        """:meth:`classify`, its arguments checked."""
        entry = self._entry(profile, on, assumptions)
        fy, year = pick_fiscal_year(organisation, on, fiscal_year)
        raw = self._raw(entry, organisation, fy, on, year)
        explainer = entry.static
        if explainer is None:
            explainer = entry.static = Explainer(entry.plan)
        build = self._build
        use = self.presumptions if presumptions is None else presumptions
        if not use:
            return build(explainer, organisation, fy, year, raw, None, None)
        facts = self._facts(organisation, on, low=use == "all")
        if not facts.reads(explainer.inputs) and self._evaluator != "reference":
            # no presumed fact is read by this plan: the evaluation with them is this one
            return explained(explainer, organisation, fy, year, raw, None, facts.none)
        found = facts.presumed()
        if not found.applied:
            return build(explainer, organisation, fy, year, raw, None, found)
        org = found.organisation
        pfy, pyear = pick_fiscal_year(org, on, fiscal_year)
        presumed = self._raw(entry, org, pfy, on, pyear)
        if found.alternatives:
            others = [self._raw(entry, alt, pfy, on, pyear) for alt in found.alternatives]
            combined = agreed(presumed, others)
            if combined is not presumed:
                # a ceiling left an outcome open: its fact stays to collect, and the
                # criteria it left open show what was observed
                values = tuple(
                    raw.values[i] if code != presumed.outcomes[i] else presumed.values[i]
                    for i, code in enumerate(combined.outcomes)
                )
                presumed = Raw(combined.verdict, combined.outcomes, values)
                org = attrs.evolve(
                    org,
                    statutes=attrs.evolve(
                        org.statutes, profit_rule=organisation.statutes.profit_rule
                    ),
                )
        return build(explainer, org, pfy, year, raw, presumed, found)

    def _build(
        self,
        explainer: Explainer,
        org: Organisation,
        fy: FiscalYear | None,
        year: int | None,
        observed: Raw,
        presumed: Raw | None,
        found: Presumed | None,
    ) -> Classification:
        """The classification; the reference evaluator's is built whole, by the
        definitions the deferred explanation must agree with (the tests compare them)."""
        if self._evaluator != "reference":
            return explained(explainer, org, fy, year, observed, presumed, found)
        shown = observed if presumed is None else presumed
        result = finish(explainer.plan, org, fy, year, shown, explainer.static)
        return attach_basis(result, explainer.static, observed, presumed, found)

    def _facts(self, organisation: Organisation, on: date, *, low: bool) -> _Facts:
        # the same organisation is often classified under several profiles in a row:
        # what is presumed does not depend on the profile (one entry, swapped whole)
        last = self._last_presumed
        if (
            last is not None
            and last.organisation is organisation
            and last.on == on
            and last.low is low
        ):
            return last
        groups = None
        if not organisation.certifications:  # then only the legal form's law presumes
            key = (organisation.legal_form, on, low)
            groups = self._groups.get(key)
        if groups is None:
            groups = presumed_groups(
                organisation, on, forms=self._forms, certifications=self._certifications, low=low
            )
            if not organisation.certifications:
                if len(self._groups) >= _GROUPS_KEPT:
                    self._groups.clear()
                self._groups[organisation.legal_form, on, low] = groups
        fill, problems = resolve_groups(organisation, groups)
        facts = _Facts(organisation, on, low, fill, tuple(problems))
        self._last_presumed = facts
        return facts

    def presume(self, organisation: Organisation, on: OnDate, *, low: bool = False) -> Presumed:
        """*organisation* with the facts its legal form and valid statuses guarantee
        on *on* (no default date) filled in where unknown, the presumptions applied and
        the inconsistencies (low-confidence presumptions only with *low*)."""
        return presume(
            _checks.one_organisation(organisation),
            _checks.on_date(on),
            forms=self._forms,
            certifications=self._certifications,
            low=low,
        )

    def classify_many(
        self,
        organisations: Iterable[Organisation],
        profiles: str | Profile | Sequence[str | Profile],
        *,
        on: OnDate = None,
        fiscal_year: int | None = None,
        presumptions: Presumptions | None = None,
        assumptions: Assumptions | None = None,
    ) -> list[Classification]:
        """Classify every organisation under every profile (organisation-major order)
        on *on* (default: today; read as for :meth:`classify`).

        *organisations* is an iterable of :class:`~sse_model.Organisation` (a table
        goes to :func:`~sse_model.classify_table`); *profiles* one id or
        :class:`~sse_model.Profile`, or a list of them.
        """
        orgs = _checks.organisations(organisations)
        ps = _checks.profiles(profiles)
        day = _checks.on_date(on)
        out = []
        for i, org in enumerate(orgs):
            if not isinstance(org, Organisation):
                _checks.one_organisation(org, f"organisations[{i}]")
            for p in ps:
                out.append(self._classify(org, p, day, fiscal_year, presumptions, assumptions))
        return out


_default = Classifier()


def default() -> Classifier:
    """The classifier shared by the module-level functions (shipped profiles,
    presumptions on, no assumptions): it only caches compiled profiles, so sharing it
    between calls and threads is safe."""
    return _default


def classify(
    organisation: Organisation,
    profile: str | Profile,
    *,
    on: OnDate = None,
    fiscal_year: int | None = None,
    presumptions: Presumptions = True,
    assumptions: Assumptions | None = None,
) -> Classification:
    """Classify one organisation under one profile on *on* (default: today, the
    machine's local date); see :meth:`Classifier.classify`.

    With *presumptions* (the default), unknown facts that the law of the legal form or
    of a valid status in force on *on* guarantees are presumed (cited, rebuttable; high
    and medium confidence only, ``"all"`` for the low ones too); each criterion says
    its basis and the result whether the verdict rests on presumptions.
    """
    return _default.classify(
        organisation,
        profile,
        on=on,
        fiscal_year=fiscal_year,
        presumptions=presumptions,
        assumptions=assumptions,
    )


def classify_many(
    organisations: Iterable[Organisation],
    profiles: str | Profile | Sequence[str | Profile],
    *,
    on: OnDate = None,
    fiscal_year: int | None = None,
    presumptions: Presumptions = True,
    assumptions: Assumptions | None = None,
) -> list[Classification]:
    """Classify many organisations under one or more profiles on *on* (default:
    today, the machine's local date); see :meth:`Classifier.classify_many`."""
    return _default.classify_many(
        organisations,
        profiles,
        on=on,
        fiscal_year=fiscal_year,
        presumptions=presumptions,
        assumptions=assumptions,
    )
