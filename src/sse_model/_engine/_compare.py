"""Comparisons across profiles, generated from the profile data (never by hand).

- :func:`compare_profiles`: for each profile, which of the four ILO principles it puts
  into practice, through which criteria and thresholds;
- :func:`compare_thresholds`: the same fact tested by several profiles, side by side
  (profit reinvestment: Viet Nam >= 51 %, Thailand >= 70 %, Korea >= 2/3 ...);
- :func:`classify_under_all`: one organisation under every profile, as one table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from .. import _checks
from .._errors import NoVersionInForce
from .._model import Money, Organisation, Principle
from . import _classify
from ._ast import Compare, Status
from ._classify import Classifier
from ._evaluate import _threshold_text, explanation_plan, leaves
from ._loader import profile_ids
from ._profile import Plan, Profile
from ._result import Classification

__all__ = [
    "ClassificationTable",
    "PrincipleRow",
    "PrincipleTable",
    "ThresholdRow",
    "ThresholdTable",
    "classify_under_all",
    "compare_profiles",
    "compare_thresholds",
]


@attrs.frozen
class PrincipleRow:
    """How one profile puts one ILO principle into practice on a date."""

    profile_id: str
    version: str
    principle: Principle
    #: (criterion id, what it requires, citation, flags)
    criteria: tuple[tuple[str, str, str, str], ...]


@attrs.frozen
class ThresholdRow:
    """One numeric threshold of one profile on one fact."""

    fact: str
    profile_id: str
    version: str
    criterion: str
    requirement: str
    citation: str
    status: Status


_PRINCIPLE_COLUMNS = (
    "profile_id",
    "version",
    "principle",
    "criterion",
    "requirement",
    "citation",
    "flags",
)
_THRESHOLD_COLUMNS = (
    "fact",
    "profile_id",
    "version",
    "criterion",
    "requirement",
    "citation",
    "status",
)


class PrincipleTable(tuple[PrincipleRow, ...]):
    """The rows of :func:`compare_profiles` (a tuple), with a table for notebooks and
    :meth:`to_pandas` (one row per profile, principle and criterion)."""

    __slots__ = ()

    def to_pandas(self) -> Any:
        """One row per profile, principle and criterion (a principle no criterion puts
        into practice: one row with an empty criterion)."""
        from ._tables import principle_records, records_frame

        return records_frame(principle_records(self), _PRINCIPLE_COLUMNS)

    def _repr_html_(self) -> str:
        from ._tables import principle_records, records_html

        return records_html(principle_records(self), _PRINCIPLE_COLUMNS)


class ThresholdTable(tuple[ThresholdRow, ...]):
    """The rows of :func:`compare_thresholds` (a tuple), with a table for notebooks and
    :meth:`to_pandas` (one row per threshold)."""

    __slots__ = ()

    def to_pandas(self) -> Any:
        """One row per threshold: fact, profile, version, criterion, requirement,
        citation, status."""
        from ._tables import records_frame, threshold_records

        return records_frame(threshold_records(self), _THRESHOLD_COLUMNS)

    def _repr_html_(self) -> str:
        from ._tables import records_html, threshold_records

        return records_html(threshold_records(self), _THRESHOLD_COLUMNS)


def _ids(profiles: Iterable[str | Profile] | None) -> list[str | Profile]:
    return _checks.profiles(profiles) if profiles is not None else list(profile_ids())


def _plans(
    profiles: Iterable[str | Profile] | None, on: date, c: Classifier
) -> Iterator[tuple[str, Plan]]:
    """The plans of the profiles (ids or objects) in force on *on* (the others are
    skipped)."""
    for p in _ids(profiles):
        try:
            yield (p if isinstance(p, str) else p.id), c.plan(p, on)
        except NoVersionInForce:
            continue


def compare_profiles(
    profiles: Iterable[str | Profile] | None = None,
    *,
    on: date | str,
    classifier: Classifier | None = None,
) -> PrincipleTable:
    """For each profile in force on *on*, the criteria through which it puts each principle
    into practice (criteria for no principle, such as legal-form scope, are left out).

    *on* (required: no default date) is a date, an ISO string, a datetime or a pandas
    Timestamp; *profiles* a list of ids or profiles (default: every shipped one).

    A tuple of rows, with ``.to_pandas()`` and a table in notebooks."""
    rows = []
    for pid, plan in _plans(profiles, _checks.on_date(on), classifier or _classify.default()):
        now = plan.in_force_on_date()
        static = [st for st, live in zip(explanation_plan(plan), now, strict=True) if live]
        for principle in Principle:
            items = []
            for st in static:
                if principle not in st.principles:
                    continue
                crit = st.criterion
                flags = []
                if crit.status is Status.UNVERIFIED:
                    flags.append("unverified")
                if crit.interpretation:
                    flags.append("interpretation")
                requirement = st.threshold or crit.interpretation or crit.description
                items.append((crit.id, requirement, st.citation, ", ".join(flags)))
            rows.append(PrincipleRow(pid, plan.version, principle, tuple(items)))
    return PrincipleTable(rows)


def compare_thresholds(
    profiles: Iterable[str | Profile] | None = None,
    *,
    on: date | str,
    classifier: Classifier | None = None,
) -> ThresholdTable:
    """Every numeric threshold in force on *on* (required: no default date; a date, an
    ISO string, a datetime or a pandas Timestamp), grouped by the fact it tests.

    A tuple of rows, with ``.to_pandas()`` and a table in notebooks."""
    rows = []
    for pid, plan in _plans(profiles, _checks.on_date(on), classifier or _classify.default()):
        static = {s.criterion.id: s for s in explanation_plan(plan)}
        now = plan.in_force_on_date()
        for crit in (c for c, live in zip(plan.criteria, now, strict=True) if live):
            for leaf in leaves(crit):
                if isinstance(leaf, Compare):
                    rows.append(
                        ThresholdRow(
                            fact=leaf.fact,
                            profile_id=pid,
                            version=plan.version,
                            criterion=crit.id,
                            requirement=_threshold_text(leaf, plan)
                            .removeprefix(leaf.fact)
                            .strip(),
                            citation=static[crit.id].citation,
                            status=crit.status,
                        )
                    )
    return ThresholdTable(sorted(rows, key=lambda r: (r.fact, r.profile_id, r.criterion)))


def render_principles(rows: Sequence[PrincipleRow]) -> str:
    """The principle comparison as Markdown."""
    out = []
    by_profile: dict[str, list[PrincipleRow]] = {}
    for r in rows:
        by_profile.setdefault(r.profile_id, []).append(r)
    for pid, prows in by_profile.items():
        out.append(f"### {_code(pid)} (version {_md(prows[0].version)})\n")
        out.append("| principle | criteria | requirement | source |")
        out.append("|---|---|---|---|")
        for r in prows:
            if not r.criteria:
                out.append(f"| {r.principle.info.name} | — | not addressed by this profile | |")
            for cid, req, cite, flags in r.criteria:
                flag = f" ({flags})" if flags else ""
                out.append(
                    f"| {r.principle.info.name} | {_code(cid, cell=True)}{flag} "
                    f"| {_md(req)} | {_md(cite)} |"
                )
        out.append("")
    return "\n".join(out)


def render_thresholds(rows: Sequence[ThresholdRow]) -> str:
    """The threshold comparison as Markdown, one table per fact."""
    out = []
    fact = None
    for r in rows:
        if r.fact != fact:
            fact = r.fact
            out.append(f"\n### {_code(fact)}\n")
            out.append("| profile | requirement | criterion | source |")
            out.append("|---|---|---|---|")
        flag = " (unverified)" if r.status is Status.UNVERIFIED else ""
        req, cite = _md(r.requirement), _md(r.citation)
        pid, cid = _code(r.profile_id, cell=True), _code(r.criterion, cell=True)
        out.append(f"| {pid} | {req}{flag} | {cid} | {cite} |")
    return "\n".join(out).lstrip("\n")


#: ``<`` that could open an HTML tag or comment (``<script``, ``</x``, ``<!--``), not ``<=``.
_HTML_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def _md(text: str) -> str:
    """*text* as inline Markdown that stays in its table cell, list item or heading.

    Every line break (``\\n``, ``\\r``, U+2028...) becomes a space, ``\\`` and ``|`` are
    escaped (a trailing backslash would escape the cell's closing ``|``), and a ``<`` that
    could open raw HTML is written as ``&lt;``. Profile text is untrusted.
    """
    text = " ".join(str(text).splitlines())
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return _HTML_OPEN.sub("&lt;", text)


def _code(text: str, *, cell: bool = False) -> str:
    """*text* as a Markdown code span, whatever backticks it holds (pipes escaped in a
    table *cell*)."""
    text = " ".join(str(text).splitlines())
    if cell:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(url: str) -> str:
    """An autolink for a plain http(s) URL; anything else as escaped text."""
    if re.fullmatch(r"https?://[^\s<>`|\\]+", url):
        return f" <{url}>"
    return f" ({_md(url)})"


@attrs.frozen
class ClassificationTable:
    """One organisation classified under several profiles on one date."""

    organisation_id: str
    on: date
    results: tuple[Classification, ...]
    #: profiles with no version in force on the date
    not_in_force: tuple[str, ...] = ()

    def to_pandas(self) -> Any:
        """The classifications as :func:`~sse_model.to_dataframe` makes them."""
        from .._io._frames import to_dataframe

        return to_dataframe(self.results)

    def _repr_html_(self) -> str:
        from ._tables import classification_table_html

        return classification_table_html(self)

    def to_html(self, lang: str | None = None) -> str:
        """The HTML a notebook shows, its labels, numbers and date in *lang*."""
        from ._tables import classification_table_html

        return classification_table_html(self, lang)

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, lang: str | None = None) -> str:
        """The text table ``str()`` gives, its labels and date in *lang* (default
        English; ids stay English)."""
        from .._i18n import check_language, date_text, heading, outcome_label, verdict_label

        lang = check_language(lang)
        width = max([len(r.profile_id) for r in self.results] + [len("profile")]) + 2
        heads = [outcome_label(o, lang) for o in ("met", "not_met", "unknown")]
        lines = [
            f"{self.organisation_id} {heading('on', lang)} {date_text(self.on, lang)}",
            f"{heading('profile', lang):<{width}}{heading('verdict', lang):<18}{heads[0]:>4}"
            f"{heads[1]:>8}{heads[2]:>8}  first reason",
        ]
        for r in self.results:
            counts = dict.fromkeys(("met", "not_met", "unknown"), 0)
            for x in r.criteria:
                if x.outcome.value in counts:
                    counts[x.outcome.value] += 1
            failed = [x for x in r.criteria if x.outcome.value == "not_met"]
            unknown = [x for x in r.criteria if x.outcome.value == "unknown"]
            reason = (
                f"not met: {failed[0].id}"
                if failed
                else (f"unknown: {unknown[0].id}" if unknown else "")
            )
            verdict = r.verdict.value if lang == "en" else verdict_label(r.verdict, lang)
            lines.append(
                f"{r.profile_id:<{width}}{verdict:<18}{counts['met']:>4}"
                f"{counts['not_met']:>8}{counts['unknown']:>8}  {reason}"
            )
        if self.not_in_force:
            lines.append(f"not in force on this date: {', '.join(self.not_in_force)}")
        return "\n".join(lines)


def classify_under_all(
    organisation: Organisation,
    *,
    on: date | str,
    profiles: Iterable[str | Profile] | None = None,
    fiscal_year: int | None = None,
    classifier: Classifier | None = None,
) -> ClassificationTable:
    """Classify one organisation under every shipped profile (or *profiles*) on *on*
    (required: no default date; a date, an ISO string, a datetime or a pandas Timestamp).

    Without *classifier*, the shared default one: each profile is compiled once per
    process, not once per call."""
    c = classifier or _classify.default()
    organisation = _checks.one_organisation(organisation)
    on = _checks.on_date(on)
    results, skipped = [], []
    for pid in _ids(profiles):
        try:
            results.append(c.classify(organisation, pid, on=on, fiscal_year=fiscal_year))
        except NoVersionInForce:
            skipped.append(pid if isinstance(pid, str) else pid.id)
    return ClassificationTable(organisation.id, on, tuple(results), tuple(skipped))


def _value_text(value: Fraction | Money) -> str:
    """A parameter's value for people: an amount with its currency, a share in per cent."""
    if isinstance(value, Fraction):
        percent = Decimal(value.numerator) * 100 / Decimal(value.denominator)
        return f"{percent.normalize():f} %"
    return str(value)


def render_profile(profile: Profile) -> str:
    """A profile as a Markdown page: instruments, versions, criteria, interpretations,
    unverified items and sources. Generated from the data, so it cannot drift."""
    out = [f"## {_code(profile.id)}: {_md(profile.title)}\n"]
    if profile.summary:
        out.append(profile.summary.strip() + "\n")
    if profile.extends:
        out.append(f"Builds on {_code(profile.extends)}: its criteria are evaluated too.\n")
    out.append("**Instruments**\n")
    for i in profile.instruments:
        dates = i.status_text()
        link = _link(i.url) if i.url else ""
        out.append(f"- {_md(i.title)}{f' ({dates})' if dates else ''}.{link}")
    out.append("\n**Versions**\n")
    for v in profile.versions:
        end = v.effective_to.isoformat() if v.effective_to else "today"
        out.append(f"- {_code(v.label)}: {v.effective_from.isoformat()} to {end}")
    out.append("\n**Criteria**\n")
    out.append("| id | rule | article | in force | status |")
    out.append("|---|---|---|---|---|")
    interpretations, unverified = [], []
    for c in profile.criteria:
        inst = profile.instrument(c.citation.instrument)
        title = inst.title if inst else c.citation.instrument
        span = (
            f"{c.effective_from.isoformat() if c.effective_from else '…'} – "
            f"{c.effective_to.isoformat() if c.effective_to else '…'}"
        )
        status = c.status.value + (f" ({_md(c.confidence)})" if c.confidence else "")
        out.append(
            f"| {_code(c.id, cell=True)} | {_md(c.description)} "
            f"| {_md(title)}, {_md(c.citation.article)} | {span} | {status} |"
        )
        if c.interpretation:
            interpretations.append(f"- {_code(c.id)}: {_md(c.interpretation)}")
        if c.status is Status.UNVERIFIED or c.note:
            unverified.append(
                f"- {_code(c.id)}: {_md(c.note or 'not verified against the legal text')}"
            )
    if profile.parameters:
        out.append(
            "\n**Parameters** (dated values; a date without one leaves its rules unknown)\n"
        )
        for par in profile.parameters:
            out.append(f"- {_code(par.name)}: {_md(par.description)}")
            if not par.values:
                out.append("  - no value verified")
            for dv in par.values:
                end = dv.effective_to.isoformat() if dv.effective_to else "…"
                source = f" ({_md(dv.source)})" if dv.source else ""
                out.append(
                    f"  - {dv.effective_from.isoformat()} – {end}: {_value_text(dv.value)}{source}"
                )
    readings = [
        f"- {_code(c.id)}, reading {_code(r.name)}: {_md(r.description)}"
        for c in profile.criteria
        for r in c.readings
    ]
    if readings:
        out.append("\n**Readings** a user may adopt (`--assume ID=READING`)\n")
        out.extend(readings)
    if interpretations:
        out.append("\n**Interpretations** (qualitative rules mapped to observable facts)\n")
        out.extend(interpretations)
    if unverified:
        out.append("\n**Unverified items and notes**\n")
        out.extend(unverified)
    if profile.notes:
        out.append("\n**Notes**\n")
        out.extend(f"- {_md(n)}" for n in profile.notes)
    out.append("")
    return "\n".join(out)
