"""Legal presumptions: facts the law of a legal form or status guarantees.

A presumption fills a raw fact only where it is unknown: an observed fact always
wins. An observed fact that contradicts a presumption is reported as an
:class:`Inconsistency` (with both sides), never silently preferred either way.

Each criterion's *basis* comes from evaluating twice, without and with the
presumptions: definite without them is ``observed``, definite only with them is
``presumed`` (citing the presumptions its facts used), otherwise ``unknown``.
Kleene logic is monotone in knowledge, so a presumption never changes an outcome
that observed facts decide; the verdict *rests on presumptions* when it differs
between the two evaluations.

A law that caps what the statutes may allow for profit (a ``limited`` or
``by_patronage`` profit rule) sets a ceiling, not the rule itself: the statutes may
be stricter. Such a presumption stands for every rule up to the ceiling, so an outcome
counts only where all of them give the same one (:data:`CEILING_FACTS`).
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import cache
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from .._files import data_text
from .._model import Organisation, ProfitRule
from .._model._forms import (
    CONFIDENCE,
    CertificationKind,
    LegalForm,
    Presumption,
    _data_error,
    _form,
    form_codes,
    form_entries,
    form_entry,
)
from .._model._schema import IDENTITY, REQUIRED
from ._ast import Certified
from ._facts import FACTS
from ._result import (
    UNKNOWN,
    Basis,
    Classification,
    Inconsistency,
    Observation,
    PresumedFact,
    format_value,
)

if TYPE_CHECKING:
    from ._evaluate import Raw, _Static

__all__ = [
    # Basis, Inconsistency and PresumedFact are defined with the results (_result)
    "Basis",
    "Inconsistency",
    "Presumed",
    "PresumedFact",
    "certification_kinds",
    "legal_forms",
    "presumable_facts",
    "presume",
    "presumptions_for",
]


@cache
def presumable_facts() -> frozenset[str]:
    """Raw model paths a presumption may fill: facts read directly from one field."""
    out = {"family"}
    for name, fact in FACTS.items():
        direct = fact.compute is None and not fact.per_year and fact.inputs == (name,)
        # not identity, and not what the organisation does or pays: no law fixes
        # an organisation's headcount, pay or beneficiaries
        if (
            direct
            and fact.path == name
            and name not in IDENTITY
            and not name.startswith(("workforce.", "beneficiaries."))
        ):
            out.add(name)
    return frozenset(out)


def presumable_value(fact: str, value: object, where: str) -> object:
    """The model value of a presumption given in JSON form, checked by the model's converter."""
    if not isinstance(value, bool | str):
        return _presumable_value(fact, value, where)
    key = (fact, type(value), value)  # the same few values recur in the data: once each
    found = _PRESUMABLE.get(key)
    if found is None:
        found = _presumable_value(fact, value, where)  # an error names *where*
        if len(_PRESUMABLE) < 4096:
            _PRESUMABLE[key] = found
    return found


#: model values of presumptions already checked, by fact and JSON value
_PRESUMABLE: dict[tuple[str, type, object], object] = {}


def _presumable_value(fact: str, value: object, where: str) -> object:
    from .._errors import FieldError, InvalidInput
    from .._serialization import structure

    if fact not in presumable_facts():
        raise InvalidInput(
            "legal-form data",
            [
                FieldError(
                    f"{where}.fact",
                    f"expected a raw fact a law can guarantee, one of "
                    f"{sorted(presumable_facts())}, got {fact!r}",
                )
            ],
        )
    nested: dict[str, Any] = {**dict.fromkeys(REQUIRED, "x"), "country": "GB"}
    parts = fact.split(".")
    if len(parts) == 1:
        nested[fact] = value
    else:
        nested[parts[0]] = {parts[1]: value}
    try:
        org = structure(nested, Organisation)
    except InvalidInput as e:
        raise InvalidInput(
            "legal-form data",
            [FieldError(f"{where}.value", f"{err.message} (for {fact})") for err in e.errors],
        ) from None
    out = _get(org, fact)
    if out is None:  # pragma: no cover - the converter never gives None for a value
        raise InvalidInput("legal-form data", [FieldError(f"{where}.value", "expected a value")])
    return out


# --- the shipped presumption data ------------------------------------------------
#
# Loaded here, over the fact catalogue and the converter that check each value; the
# model knows the legal forms without their presumptions (``form_table``).

_CERT_KEYS = frozenset({"name", "country", "law", "presumes"})
_PRESUMPTION_KEYS = frozenset(
    {
        "fact",
        "value",
        "instrument",
        "article",
        "confidence",
        "url",
        "note",
        "effective_from",
        "effective_to",
    }
)


def _presumptions(where: str, source: str, entries: object) -> tuple[Presumption, ...]:
    """Presumptions of one form or status, checked: every one names a presumable raw
    fact, a value the model accepts, an instrument, an article and a confidence."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise _data_error(where, f"expected a list of presumptions, got {entries!r}")
    out = []
    for i, entry in enumerate(entries):
        at = f"{where}.presumes[{i}]"
        if not isinstance(entry, dict):
            raise _data_error(at, f"expected a table, got {entry!r}")
        extra = set(entry) - _PRESUMPTION_KEYS
        if extra:
            raise _data_error(at, f"unknown key(s) {sorted(extra)}")
        for key in ("fact", "instrument", "article", "confidence"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise _data_error(at, f"expected a non-empty string for {key!r}")
        if entry["confidence"] not in CONFIDENCE:
            raise _data_error(
                at, f"expected confidence one of {list(CONFIDENCE)}, got {entry['confidence']!r}"
            )
        if "value" not in entry:
            raise _data_error(at, "expected a value")
        value = presumable_value(entry["fact"], entry["value"], at)
        dates = []
        for key in ("effective_from", "effective_to"):
            d = entry.get(key)
            if d is not None and (not isinstance(d, date) or isinstance(d, datetime)):
                raise _data_error(at, f"expected a date such as 2024-07-01 for {key!r}, got {d!r}")
            dates.append(d)
        if dates[0] is not None and dates[1] is not None and dates[1] < dates[0]:
            raise _data_error(at, "expected effective_to on or after effective_from")
        out.append(
            Presumption(
                fact=entry["fact"],
                value=value,
                instrument=entry["instrument"],
                article=entry["article"],
                confidence=entry["confidence"],
                source=source,
                url=entry.get("url"),
                note=entry.get("note"),
                effective_from=dates[0],
                effective_to=dates[1],
            )
        )
    facts = [p.fact for p in out]
    dup = sorted({f for f in facts if facts.count(f) > 1})
    if dup:
        raise _data_error(where, f"expected one presumption per fact, got several for {dup}")
    return tuple(out)


def _legal_form(code: str, entry: dict[str, object]) -> LegalForm:
    """A legal form of the shipped data with the facts its law guarantees: the family,
    where the law makes the form exactly one, and its ``presumes`` entries, checked."""
    form = _form(code, entry)
    source = f"legal form {code}"
    presumes = _presumptions(f"legal_forms.{code}", source, entry.get("presumes"))
    law = entry.get("law")
    if form.family is not None and not any(p.fact == "family" for p in presumes):
        presumes = (
            Presumption(
                fact="family",
                value=form.family,
                instrument=str(law) if law else str(entry["name"]),
                article=str(entry.get("family_article") or "the law of the form"),
                confidence="high",
                source=source,
            ),
            *presumes,
        )
    return attrs.evolve(form, presumes=presumes)


@cache
def legal_forms() -> MappingProxyType[str, LegalForm]:
    """The shipped national legal forms, by code, with the facts their law guarantees."""
    return MappingProxyType({code: _legal_form(code, e) for code, e in form_entries().items()})


@cache
def _shipped_form(code: str) -> LegalForm:
    """One shipped legal form with its presumptions (the others are not read for it)."""
    return _legal_form(code, dict(form_entry(code)))


@cache
def certification_kinds() -> MappingProxyType[str, CertificationKind]:
    """The shipped statuses (certifications) whose law guarantees facts, by kind."""
    raw = tomllib.loads(data_text("certifications.toml"))
    out: dict[str, CertificationKind] = {}
    for code, entry in raw.get("certifications", {}).items():
        where = f"certifications.{code}"
        extra = set(entry) - _CERT_KEYS
        if extra:
            raise _data_error(where, f"unknown key(s) {sorted(extra)}")
        out[code] = CertificationKind(
            code=code,
            name=entry["name"],
            country=entry.get("country"),
            law=entry.get("law"),
            presumes=_presumptions(where, f"certification {code}", entry.get("presumes")),
        )
    return MappingProxyType(out)


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def format_presumed(value: object) -> str:
    return format_value(value)


def presumptions_for(
    org: Organisation,
    on: date,
    *,
    forms: MappingProxyType[str, LegalForm] | None = None,
    certifications: MappingProxyType[str, CertificationKind] | None = None,
    low: bool = False,
) -> tuple[Presumption, ...]:
    """The presumptions that hold for *org* on *on*: its legal form's, then those of
    each status it holds that is valid on that date; each only while the provision that
    guarantees it is in force, and low-confidence ones only if *low*."""
    out: list[Presumption] = []
    if org.legal_form is not None:
        code = org.legal_form
        if forms is not None:
            form = forms.get(code)
        else:
            form = _shipped_form(code) if code in form_codes() else None
        if form is not None:
            out.extend(p for p in form.presumes if p.applies_on(on, low=low))
    if org.certifications:  # (the statuses' data read only when one is held)
        kinds = certification_kinds() if certifications is None else certifications
        for cert in org.certifications:
            kind = kinds.get(cert.kind)
            if kind is not None and kind.presumes and cert.valid_on(on) is True:
                out.extend(p for p in kind.presumes if p.applies_on(on, low=low))
    return tuple(out)


@attrs.frozen
class Presumed:
    """An organisation with its presumed facts filled in, and what was found doing it.

    *alternatives* are the same organisation with each stricter value a ceiling
    presumption leaves open (empty when no presumed value is a ceiling); an outcome
    rests on the presumptions only where it is the same for all of them.
    """

    organisation: Organisation
    applied: tuple[Presumption, ...]
    inconsistencies: tuple[Inconsistency, ...]
    alternatives: tuple[Organisation, ...] = ()


def resolve_presumptions(
    org: Organisation, presumptions: Sequence[Presumption]
) -> tuple[dict[str, Presumption], list[Inconsistency]]:
    """Which presumptions fill a fact (the fact unknown, no conflicting presumption),
    and the inconsistencies found."""
    return resolve_groups(org, group_presumptions(presumptions))


@attrs.frozen
class PresumedGroup:
    """The presumptions about one fact, with what they give when it is unknown: the
    one that fills it, or the inconsistencies of law sources that disagree."""

    fact: str
    get: Callable[[Organisation], object]
    presumptions: tuple[Presumption, ...]
    fills: Presumption | None
    clashes: tuple[Inconsistency, ...]


def group_presumptions(presumptions: Sequence[Presumption]) -> tuple[PresumedGroup, ...]:
    """*presumptions* by fact (what does not depend on the organisation, done once)."""
    by_fact: dict[str, list[Presumption]] = {}
    for p in presumptions:
        by_fact.setdefault(p.fact, []).append(p)
    out = []
    for fact, ps in by_fact.items():
        first = ps[0]
        clash = [p for p in ps[1:] if p.value != first.value]
        clashes = tuple(
            Inconsistency(
                fact,
                format_presumed(p.value),
                format_presumed(first.value),
                first.citation,
                first.source,
                against=f"{p.citation} ({p.source})",
            )
            for p in clash
        )
        fills = None if clash else first  # the law sources disagree: presume nothing
        out.append(PresumedGroup(fact, attrgetter(fact), tuple(ps), fills, clashes))
    return tuple(out)


def resolve_groups(
    org: Organisation, groups: Sequence[PresumedGroup]
) -> tuple[dict[str, Presumption], list[Inconsistency]]:
    """:func:`resolve_presumptions` over presumptions grouped by fact."""
    fill: dict[str, Presumption] = {}
    problems: list[Inconsistency] = []
    for g in groups:
        observed = g.get(org)
        if observed is not None:
            problems.extend(
                Inconsistency(
                    g.fact,
                    format_presumed(observed),
                    format_presumed(p.value),
                    p.citation,
                    p.source,
                )
                for p in g.presumptions
                if not _allowed(observed, p.value)
            )
        elif g.fills is None:
            problems.extend(g.clashes)
        else:
            fill[g.fact] = g.fills
    return fill, problems


#: profit rules from the strictest; a law guaranteeing one allows every stricter one
PROFIT_RULE_ORDER = (
    ProfitRule.PROHIBITED,
    ProfitRule.BY_PATRONAGE,
    ProfitRule.LIMITED,
    ProfitRule.UNRESTRICTED,
)


def _allowed(observed: object, presumed: object) -> bool:
    """Whether an observed value is one the law allows: the same, or, for a profit rule,
    a stricter one (the law sets a floor; statutes may go further)."""
    if observed == presumed:
        return True
    if isinstance(observed, ProfitRule) and isinstance(presumed, ProfitRule):
        return PROFIT_RULE_ORDER.index(observed) < PROFIT_RULE_ORDER.index(presumed)
    return False


def presume(
    org: Organisation,
    on: date | str,
    *,
    forms: MappingProxyType[str, LegalForm] | None = None,
    certifications: MappingProxyType[str, CertificationKind] | None = None,
    low: bool = False,
) -> Presumed:
    """*org* with every unknown fact its legal form and valid statuses guarantee on
    *on* filled in (*on*, no default date: a date, an ISO string, a datetime or a pandas
    Timestamp).

    Presumptions of confidence ``low`` apply only with *low* (``presumptions="all"``).
    """
    from .. import _checks

    org = _checks.one_organisation(org, "org")
    on = _checks.on_date(on)
    fill, problems = presumed_facts(org, on, forms=forms, certifications=certifications, low=low)
    return fill_in(org, fill, problems)


def presumed_facts(
    org: Organisation,
    on: date,
    *,
    forms: MappingProxyType[str, LegalForm] | None = None,
    certifications: MappingProxyType[str, CertificationKind] | None = None,
    low: bool = False,
) -> tuple[dict[str, Presumption], tuple[Inconsistency, ...]]:
    """The presumption that fills each unknown fact of *org*, by fact, and the
    inconsistencies found (the first step of :func:`presume`)."""
    presumptions = presumptions_for(org, on, forms=forms, certifications=certifications, low=low)
    if not presumptions:
        return {}, ()
    fill, problems = resolve_presumptions(org, presumptions)
    return fill, tuple(problems)


def presumed_groups(
    org: Organisation,
    on: date,
    *,
    forms: MappingProxyType[str, LegalForm] | None = None,
    certifications: MappingProxyType[str, CertificationKind] | None = None,
    low: bool = False,
) -> tuple[PresumedGroup, ...]:
    """The presumptions that hold for *org* on *on*, grouped by fact."""
    return group_presumptions(
        presumptions_for(org, on, forms=forms, certifications=certifications, low=low)
    )


def fill_in(
    org: Organisation, fill: dict[str, Presumption], problems: tuple[Inconsistency, ...]
) -> Presumed:
    """*org* with the facts of *fill* filled in (the second step of :func:`presume`)."""
    if not fill:
        return Presumed(org, (), problems)
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for fact, p in fill.items():
        head, _, field = fact.partition(".")
        if field:
            nested.setdefault(head, {})[field] = p.value
        else:
            top[head] = p.value
    for head, fields in nested.items():
        top[head] = attrs.evolve(getattr(org, head), **fields)
    presumed = attrs.evolve(org, **top)
    ceiling = fill.get("statutes.profit_rule")
    alternatives = tuple(
        attrs.evolve(presumed, statutes=attrs.evolve(presumed.statutes, profit_rule=value))
        for value in (stricter(ceiling.value) if ceiling is not None else ())
        if isinstance(value, ProfitRule)
    )
    return Presumed(presumed, tuple(fill.values()), problems, alternatives)


#: facts whose presumed value is a ceiling the statutes may go below (see the module)
CEILING_FACTS = frozenset({"statutes.profit_rule"})


def stricter(value: object) -> tuple[object, ...]:
    """The values stricter than a ceiling *value* that the law also allows."""
    if not isinstance(value, ProfitRule):
        return ()
    return PROFIT_RULE_ORDER[: PROFIT_RULE_ORDER.index(value)]


def ceiling_text(fact: str, value: object) -> str:
    """A presumed value in words: a ceiling reads "limited or stricter"."""
    text = format_presumed(value)
    return f"{text} or stricter" if fact in CEILING_FACTS and stricter(value) else text


def agreed(first: Raw, others: Sequence[Raw]) -> Raw:
    """What every completion of a ceiling presumption gives: each outcome where all
    agree, else unknown; the verdict where all agree, else undetermined."""
    from ._evaluate import Raw

    if all(o.verdict == first.verdict and o.outcomes == first.outcomes for o in others):
        return first
    verdict = first.verdict if all(o.verdict == first.verdict for o in others) else UNKNOWN
    outcomes = tuple(
        code if all(o.outcomes[i] == code for o in others) else UNKNOWN
        for i, code in enumerate(first.outcomes)
    )
    return Raw(verdict, outcomes, first.values)


# --- basis of each criterion -----------------------------------------------------


def _uses(static: _Static, applied: dict[str, Presumption]) -> list[Presumption]:
    used: dict[str, Presumption] = {}
    for leaf in static.leaves:
        if isinstance(leaf, Certified):
            continue
        for path in FACTS[leaf.fact].inputs:
            if path in applied:
                used[path] = applied[path]
    return list(used.values())


def attach_basis(
    result: Classification,
    static: tuple[_Static, ...],
    observed: Raw,
    presumed: Raw | None,
    found: Presumed | None,
) -> Classification:
    """*result* (built from *presumed*, or from *observed* when presumptions are off)
    with each criterion's basis, presumed facts shown, the inconsistencies and whether
    the verdict rests on presumptions."""
    criteria = []
    applied = {p.fact: p for p in found.applied} if found is not None else {}
    for i, (st, r) in enumerate(zip(static, result.criteria, strict=True)):
        before = observed.outcomes[i]
        cites: tuple[PresumedFact, ...] = ()
        if before != UNKNOWN:
            basis, cites = Basis.OBSERVED, ()
        elif presumed is not None and presumed.outcomes[i] != UNKNOWN:
            uses = _uses(st, applied)
            cites = tuple(
                PresumedFact(
                    p.fact, ceiling_text(p.fact, p.value), p.citation, p.source, p.confidence
                )
                for p in uses
            )
            basis = Basis.PRESUMED
        else:
            basis, cites = Basis.UNKNOWN, ()
        obs = r.observed
        if presumed is not None and presumed.values[i] != observed.values[i]:
            obs = tuple(
                dict.fromkeys(
                    Observation(
                        name, format_value(value, unit), presumed=old is None and value is not None
                    )
                    for name, unit, old, value in zip(
                        st.names, st.units, observed.values[i], presumed.values[i], strict=True
                    )
                    if value is not None or not name.startswith("certification ")
                )
            )
        criteria.append(attrs.evolve(r, observed=obs, basis=basis, presumptions=cites))
    rests = presumed is not None and presumed.verdict != observed.verdict
    return attrs.evolve(
        result,
        criteria=tuple(criteria),
        rests_on_presumptions=rests,
        inconsistencies=found.inconsistencies if found is not None else (),
    )


# --- the columnar lane ------------------------------------------------------------


def form_presumptions(
    codes: Sequence[str | None],
    forms: MappingProxyType[str, LegalForm] | None,
    on: date,
    *,
    low: bool = False,
) -> list[dict[str, Presumption]]:
    """Per legal-form code, the presumptions its law makes on *on*, by fact."""
    forms = legal_forms() if forms is None else forms
    out = []
    for code in codes:
        form = forms.get(code) if code is not None else None
        presumes = form.presumes if form is not None else ()
        out.append({p.fact: p for p in presumes if p.applies_on(on, low=low)})
    return out


def ceiling_variants(
    by_form: list[dict[str, Presumption]],
) -> list[list[dict[str, Presumption]]]:
    """Per-form presumptions with each ceiling replaced by the stricter values it allows:
    variant *k* presumes the *k*-th stricter value (or the strictest there is), so the
    variants together give every value each row's ceiling leaves open."""
    depth = max(
        (len(stricter(p.value)) for ps in by_form for f, p in ps.items() if f in CEILING_FACTS),
        default=0,
    )
    out = []
    for k in range(depth):
        variant = []
        for ps in by_form:
            row = dict(ps)
            for fact in CEILING_FACTS & row.keys():
                values = stricter(row[fact].value)
                if values:
                    row[fact] = attrs.evolve(row[fact], value=values[min(k, len(values) - 1)])
            variant.append(row)
        out.append(variant)
    return out


def presume_frame(frame: Any, form_codes: Any, by_form: list[dict[str, Presumption]]) -> Any:
    """A copy of a :class:`~._columnar.FactFrame` with the presumed facts filled in.

    *form_codes* gives each row's index into *by_form* (-1: no legal form). Only
    unknown cells are filled, as :func:`presume` does for one organisation.
    """
    import numpy as np

    from ._columnar import (
        STATE_MISSING,
        STATE_VALUE,
        BoolColumn,
        ChoiceColumn,
        ChoicesColumn,
        FactFrame,
        NumberColumn,
    )

    facts = dict(frame.facts)
    absent = dict(frame.absent)
    lookup = np.asarray(form_codes, dtype=np.int64)
    for name, col in frame.facts.items():
        if not any(name in ps for ps in by_form):
            continue
        has = np.array([name in ps for ps in by_form] + [False], dtype=bool)[lookup]
        if isinstance(col, BoolColumn):
            table = np.array(
                [(2 if ps[name].value else 0) if name in ps else 1 for ps in by_form] + [1],
                dtype=np.int8,
            )
            fill = has & (col.codes == 1)
            codes = np.where(fill, table[lookup], col.codes).astype(np.int8)
            facts[name] = BoolColumn(codes)
        elif isinstance(col, ChoiceColumn):
            cats = list(col.categories)
            index = {c: i for i, c in enumerate(cats)}
            values = []
            for ps in by_form:
                if name in ps:
                    text = _text(ps[name].value)
                    if text not in index:
                        index[text] = len(cats)
                        cats.append(text)
                    values.append(index[text])
                else:
                    values.append(-1)
            table = np.array([*values, -1], dtype=np.int32)
            fill = has & (col.codes < 0)
            facts[name] = ChoiceColumn(
                np.where(fill, table[lookup], col.codes).astype(np.int32), tuple(cats)
            )
        elif isinstance(col, ChoicesColumn):
            index = {m: i for i, m in enumerate(col.members)}
            bits_of: list[int] = []
            for ps in by_form:
                members: Any = ps[name].value if name in ps else ()
                bits_of.append(sum(1 << index[_text(m)] for m in members))
            table = np.array([*bits_of, 0], dtype=np.int64)
            fill = has & ~col.known
            facts[name] = ChoicesColumn(
                np.where(fill, table[lookup], col.bits), col.known | fill, col.members
            )
        elif isinstance(col, NumberColumn):
            from fractions import Fraction

            nums, dens = [], []
            for ps in by_form:
                v: Any = ps[name].value if name in ps else 0
                f = Fraction(v)
                nums.append(float(f.numerator))
                dens.append(float(f.denominator))
            fill = has & (col.state == STATE_MISSING)
            facts[name] = NumberColumn(
                np.where(fill, STATE_VALUE, col.state).astype(np.int8),
                np.where(fill, np.array([*nums, 0.0])[lookup], col.num),
                np.where(fill, np.array([*dens, 1.0])[lookup], col.den),
                col.exact
                and all(abs(n) < 2.0**26 and d < 2.0**26 for n, d in zip(nums, dens, strict=True)),
                col.currency,
                col.integral,
            )
        else:  # pragma: no cover - every column kind is handled above
            continue
        if name in absent:
            absent[name] = absent[name] & ~fill
    return FactFrame(
        frame.n,
        frame.on,
        facts,
        frame.certifications,
        absent,
        frame.years,
        frame.has_year,
        frame.fiscal_year,
        frame.numbers,
        frame.whole,
    )


def _text(value: object) -> str:
    return str(value.value) if isinstance(value, enum.Enum) else str(value)
