"""Reforms: a draft rule as a small declarative overlay on a profile.

A :class:`Reform` names its ``base`` profile and lists changes: a new threshold for a
criterion's comparisons, new values for a parameter, criteria removed, replaced or added,
a new decision. :meth:`Reform.apply` turns it into an ordinary
:class:`~sse_model.Profile` (the base's rules with the changes, under the reform's own
id), checked like any profile, so every lane classifies it unchanged. A reform file is a
TOML file with a top-level ``base`` key (a profile file has none); see
:doc:`/guides/policy-lab`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, TypeAlias

import attrs
from cattrs.gen import make_dict_structure_fn

from .._errors import FieldError, InvalidProfile, UnknownProfile
from .._model import Money
from .._model._units import show
from . import _loader
from ._ast import (
    All,
    Any_,
    AtLeast,
    Case,
    Cases,
    Compare,
    Const,
    Criterion,
    Node,
    Not,
    Param,
    Reading,
    Ref,
    Truth,
    walk,
)
from ._facts import FACTS, FactKind
from ._loader import (
    _ID,
    _PROFILE_ID,
    MAX_BYTES,
    _check_range,
    _file_converter,
    _FileCriterion,
    _FileParameter,
    _NodeError,
    _Parser,
    _Problems,
    file_criterion,
    file_parameter,
    load_profile,
    parse_profile,
    validate_profile,
)
from ._profile import Instrument, Parameter, Profile, Version

__all__ = [
    "AddCriterion",
    "Change",
    "Reform",
    "RemoveCriterion",
    "ReplaceCriterion",
    "SetDecision",
    "SetParameter",
    "SetThreshold",
    "is_reform_text",
    "load_profile_file",
    "parse_reform",
    "read_profile_text",
]


@attrs.frozen
class SetThreshold:
    """Compare with *value* wherever *criterion* compares a fact with a number (only
    the comparisons of *fact*, when given): its test, condition and readings.

    *value* is exact: a :class:`~fractions.Fraction`, a :class:`~sse_model.Money`, a
    parameter (:class:`~sse_model._engine._ast.Param`) or the text a profile file
    would hold (``"40 %"``, ``"2/3"``, ``"5"``, ``"1200 EUR"``).
    """

    criterion: str
    value: Fraction | Money | Param | str | int
    fact: str | None = None


@attrs.frozen
class SetParameter:
    """Give a parameter new dated values (or declare a new one)."""

    parameter: Parameter


@attrs.frozen
class RemoveCriterion:
    """Drop a criterion; a decision that requires it among others stops requiring it."""

    criterion: str


@attrs.frozen
class ReplaceCriterion:
    """Put *criterion* in place of the base's criterion with the same id."""

    criterion: Criterion


@attrs.frozen
class AddCriterion:
    """Add a criterion; a version with its own decision also requires it."""

    criterion: Criterion


@attrs.frozen
class SetDecision:
    """Combine the criteria by *decision* in *version* (None: in every version). The
    territorial scope of the base, if any, is still required."""

    decision: Node
    version: str | None = None


Change: TypeAlias = (
    SetThreshold | SetParameter | RemoveCriterion | ReplaceCriterion | AddCriterion | SetDecision
)


@attrs.frozen
class Reform:
    """A draft rule: the profile *base* (an id) with *changes*, under its own *id*.

    Apply it with :meth:`apply` (or load a reform file with
    :func:`~sse_model.load_profile_file`): the result is a plain profile.
    """

    id: str
    base: str
    changes: tuple[Change, ...]
    title: str = ""
    notes: tuple[str, ...] = ()
    #: instruments the added or replaced criteria cite (a draft law, a consultation)
    instruments: tuple[Instrument, ...] = ()
    #: the path of each change in its file, for errors (empty: ``changes[i]``)
    paths: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)

    def __repr__(self) -> str:
        return f"<Reform {self.id!r} of {self.base!r}: {len(self.changes)} changes>"

    def apply(
        self,
        base: Profile | None = None,
        *,
        lookup: Callable[[str], Profile] | None = None,
    ) -> Profile:
        """The base profile with the changes, checked as a profile is.

        *base* is the profile named by :attr:`base` (default: looked up with *lookup*,
        itself by default the shipped profiles). Raises
        :class:`~sse_model.InvalidProfile` listing every problem, each at the path of
        the change that causes it.
        """
        return _apply(self, base, lookup or load_profile)


# --- applying ---------------------------------------------------------------------------


def _chain(profile: Profile, lookup: Callable[[str], Profile]) -> list[Profile]:
    out = [profile]
    current = profile
    while current.extends is not None and len(out) < 16:
        nxt = current.base if current.base is not None else lookup(current.extends)
        out.append(nxt)
        current = nxt
    return out


def _apply(reform: Reform, given: Profile | None, lookup: Callable[[str], Profile]) -> Profile:
    problems = _Problems()
    err = problems.add
    source = f"reform {reform.id!r}"
    rid: object = reform.id  # built in Python: may be anything
    if not isinstance(rid, str) or not _PROFILE_ID.fullmatch(rid):
        err("id", f"expected 'scope/slug' in lower case (e.g. 'vn/draft-2027'), got {reform.id!r}")
    try:
        base = given if given is not None else lookup(reform.base)
    except (UnknownProfile, InvalidProfile) as e:
        raise InvalidProfile(
            source, [*problems.listed, FieldError("base", f"cannot load {show(reform.base)}: {e}")]
        ) from None
    if base.id != reform.base:
        err("base", f"expected the profile {reform.base!r}, got {base.id!r}")
    if reform.id == base.id:
        err("id", f"a reform needs an id of its own, not its base's {base.id!r}")
    chain = _chain(base, lookup)
    inherited = {c.id: p.id for p in chain[1:] for c in p.criteria}
    criteria = list(base.criteria)
    versions = list(base.versions)
    params = {p.name: p for p in base.parameters}
    chain_params = {p.name: p for q in reversed(chain) for p in q.parameters}
    removed: dict[str, str] = {}
    #: where each version's decision and each changed criterion come from, for errors
    decided: dict[str, str] = {}
    changed_at: dict[str, str] = {}
    paths = reform.paths or tuple(f"changes[{i}]" for i in range(len(reform.changes)))

    def index(cid: str, path: str) -> int | None:
        for i, c in enumerate(criteria):
            if c.id == cid:
                return i
        if cid in inherited:
            err(path, f"criterion {cid!r} comes from {inherited[cid]!r}: write a reform of it")
        else:
            known = ", ".join(c.id for c in criteria)
            err(path, f"unknown criterion {show(cid)} in {base.id!r}; expected one of {known}")
        return None

    for change, path in zip(reform.changes, paths, strict=True):
        match change:
            case SetParameter(parameter):
                params[parameter.name] = parameter
                chain_params[parameter.name] = parameter
            case RemoveCriterion(cid):
                i = index(cid, path)
                if i is not None:
                    if base.scope is not None and cid == base.scope.criterion_id:
                        err(path, f"the scope criterion {cid!r} cannot be removed")
                        continue
                    del criteria[i]
                    removed[cid] = path
                    versions = [_drop(v, cid) for v in versions]
            case ReplaceCriterion(c):
                i = index(c.id, f"{path}.id" if reform.paths else path)
                if i is not None:
                    criteria[i] = c
                    changed_at[c.id] = path
            case AddCriterion(c):
                if c.id in inherited or any(x.id == c.id for x in criteria):
                    err(f"{path}.id" if reform.paths else path, f"duplicate criterion id {c.id!r}")
                    continue
                criteria.append(c)
                changed_at[c.id] = path
                versions = [
                    v
                    if v.decision is None or not _in_force(c, v)
                    else attrs.evolve(v, decision=All((v.decision, Ref(c.id))))
                    for v in versions
                ]
            case SetThreshold(cid, value, fact):
                i = index(cid, f"{path}.criterion" if reform.paths else path)
                if i is not None:
                    changed = _with_threshold(criteria[i], value, fact, chain_params, path, err)
                    if changed is not None:
                        criteria[i] = changed
            case SetDecision(node, label):
                labels = [v.label for v in versions]
                if label is not None and label not in labels:
                    err(
                        f"{path}.version",
                        f"unknown version {show(label)}; expected one of {labels}",
                    )
                    continue
                decided.update({v.label: path for v in versions if label in (None, v.label)})
                if base.scope is not None and all(
                    not (isinstance(n, Ref) and n.id == base.scope.criterion_id)
                    for n in walk(node)
                ):
                    node = All((Ref(base.scope.criterion_id), node))
                versions = [
                    attrs.evolve(v, decision=node) if label in (None, v.label) else v
                    for v in versions
                ]
            case _:  # built in Python: may be anything
                err(path, f"expected a reform change, got {show(change)}")  # type: ignore[unreachable]
    for v in versions:
        if v.decision is None:
            continue
        for n in walk(v.decision):
            if isinstance(n, Ref) and n.id in removed:
                err(
                    removed[n.id],
                    f"criterion {n.id!r} decides version {v.label!r} in a way a removal "
                    "cannot rewrite (not one of an 'all'); give the version a decision",
                )
    if problems:
        raise problems.error(source)
    notes = (*base.notes, *reform.notes)
    profile = attrs.evolve(
        base,
        id=reform.id,
        title=reform.title or f"{base.title} (reform {reform.id})",
        criteria=tuple(criteria),
        versions=tuple(versions),
        parameters=tuple(params.values()),
        instruments=(*base.instruments, *reform.instruments),
        notes=(f"A reform of {base.id}.", *notes),
    )
    try:
        validate_profile(profile, lookup)
    except InvalidProfile as e:
        where = _Blame(profile, decided, changed_at)
        raise InvalidProfile(source, [where(x) for x in e.errors]) from None
    return profile


_RESULT_PATH = re.compile(r"^(versions|criteria)\[(\d+)\](.*)$")


@attrs.frozen
class _Blame:
    """Puts a problem of the applied profile at the change that caused it: a version's
    decision at the change that set it, a criterion at the change that added or
    replaced it; other problems keep their path in the result (``result.versions[0]``)."""

    profile: Profile
    decided: dict[str, str]
    changed_at: dict[str, str]

    def __call__(self, e: FieldError) -> FieldError:
        m = _RESULT_PATH.match(e.path)
        if m is not None:
            kind, i, rest = m[1], int(m[2]), m[3]
            if kind == "versions":
                versions = sorted(self.profile.versions, key=lambda v: v.effective_from)
                label = versions[i].label if i < len(versions) else None
                if label in self.decided and rest.startswith(".decision"):
                    return FieldError(
                        f"{self.decided[label]}.decision", f"{e.message} (version {label!r})"
                    )
            elif i < len(self.profile.criteria):
                cid = self.profile.criteria[i].id
                if cid in self.changed_at:
                    return FieldError(f"{self.changed_at[cid]}{rest}", e.message)
        return FieldError(f"result.{e.path}" if e.path else e.path, e.message)


def _in_force(c: Criterion, v: Version) -> bool:
    return c.in_force(v.effective_from)


def _drop(version: Version, cid: str) -> Version:
    """*version* without criterion *cid* among the requirements of an ``all``."""
    if version.decision is None:
        return version

    def sub(node: Node) -> Node:
        match node:
            case All(items):
                kept = tuple(sub(i) for i in items if not (isinstance(i, Ref) and i.id == cid))
                return All(kept) if kept else Const(Truth.TRUE)
            case Any_(items):
                return Any_(tuple(sub(i) for i in items))
            case Not(item):
                return Not(sub(item))
            case AtLeast(k, items):
                return AtLeast(k, tuple(sub(i) for i in items))
            case Cases(cases, otherwise):
                return Cases(tuple(Case(sub(c.when), sub(c.then)) for c in cases), sub(otherwise))
        return node

    return attrs.evolve(version, decision=sub(version.decision))


def map_compares(node: Node, fn: Callable[[Compare], Node]) -> Node:
    """*node* with every comparison replaced by ``fn(comparison)``."""

    def sub(n: Node) -> Node:
        match n:
            case Compare():
                return fn(n)
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
        return n

    return sub(node)


def map_criterion(criterion: Criterion, fn: Callable[[Compare], Node]) -> Criterion:
    """*criterion* with ``fn`` applied to every comparison of its test, condition and
    readings."""
    return attrs.evolve(
        criterion,
        test=map_compares(criterion.test, fn),
        applies_if=None
        if criterion.applies_if is None
        else map_compares(criterion.applies_if, fn),
        readings=tuple(
            Reading(r.name, r.description, map_compares(r.test, fn)) for r in criterion.readings
        ),
    )


def compares_of(criterion: Criterion, fact: str | None = None) -> list[Compare]:
    """The comparisons of *criterion* (of *fact*, when given), in its test, condition
    and readings."""
    nodes = walk(criterion.test)
    if criterion.applies_if is not None:
        nodes += walk(criterion.applies_if)
    for r in criterion.readings:
        nodes += walk(r.test)
    return [n for n in nodes if isinstance(n, Compare) and (fact is None or n.fact == fact)]


def threshold_of(
    fact: str,
    value: Any,
    parameters: dict[str, Parameter],
    path: str,
) -> Fraction | Money | Param:
    """*value* as an exact threshold for *fact*, checked as the loader checks one
    (a share from 0 to 100 %, a whole count, an amount with its currency); raises
    :class:`_NodeError`."""
    kind = FACTS[fact].kind
    if isinstance(value, Param):
        if value.name not in parameters:
            raise _NodeError(path, f"unknown parameter {show(value.name)}")
        for dv in parameters[value.name].values:
            _check_range(fact, dv.value, value.times, path)
        return value
    if isinstance(value, Fraction | Money):
        if isinstance(value, Fraction) and kind is FactKind.COUNT and value.denominator != 1:
            raise _NodeError(path, f"expected a whole number for a count, got {value}")
        if isinstance(value, Money) != (kind is FactKind.AMOUNT):
            raise _NodeError(path, f"expected a threshold for a {kind.value}, got {show(value)}")
        _check_range(fact, value, Fraction(1), path)
        return value
    parsed = _Parser(parameters).threshold(value, kind, path)
    if not isinstance(parsed, Param):
        _check_range(fact, parsed, Fraction(1), path)
    return parsed


def _with_threshold(
    criterion: Criterion,
    value: Any,
    fact: str | None,
    parameters: dict[str, Parameter],
    path: str,
    err: Callable[[str, str], None],
) -> Criterion | None:
    found = compares_of(criterion, fact)
    if not found:
        what = f"of {fact!r} " if fact else ""
        err(path, f"criterion {criterion.id!r} has no comparison {what}with a number")
        return None
    new: dict[str, Fraction | Money | Param] = {}
    for fact_name in dict.fromkeys(c.fact for c in found):
        try:
            new[fact_name] = threshold_of(fact_name, value, parameters, f"{path}.value")
        except _NodeError as e:
            err(e.path, e.message)
            return None

    def fn(c: Compare) -> Node:
        if fact is not None and c.fact != fact:
            return c
        return attrs.evolve(c, threshold=new[c.fact])

    return map_criterion(criterion, fn)


# --- the file format --------------------------------------------------------------------


@attrs.frozen
class _FileThreshold:
    criterion: str
    value: Any
    fact: str | None = None


@attrs.frozen
class _FileDecision:
    decision: Any
    version: str | None = None


@attrs.frozen
class _FileReform:
    id: str
    base: str
    title: str = ""
    notes: list[str] = attrs.Factory(list)
    format: int = 1
    remove: list[str] = attrs.Factory(list)
    thresholds: list[_FileThreshold] = attrs.Factory(list)
    parameters: list[_FileParameter] = attrs.Factory(list)
    replace: list[_FileCriterion] = attrs.Factory(list)
    add: list[_FileCriterion] = attrs.Factory(list)
    decisions: list[_FileDecision] = attrs.Factory(list)
    instruments: list[Instrument] = attrs.Factory(list)


def is_reform_text(text: str) -> bool:
    """Whether TOML *text* is a reform (it names a ``base``), not a profile; text that
    is not TOML is left to the profile parser, which reports it."""
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return False
    return "base" in raw


def parse_reform(
    text: str,
    source: str = "<string>",
    *,
    lookup: Callable[[str], Profile] | None = None,
) -> Reform:
    """Parse a reform written in TOML (see :doc:`/guides/policy-lab`).

    Raises :class:`~sse_model.InvalidProfile` listing every problem with its path
    (``thresholds[0].value``). *lookup* finds the base (default: the shipped profiles),
    whose parameters and instruments the changes may use.
    """
    if len(text) > MAX_BYTES:
        raise InvalidProfile(source, [FieldError("", f"file larger than {MAX_BYTES} bytes")])
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as e:
        raise InvalidProfile(source, [FieldError("", f"not valid TOML: {e}")]) from None
    from .._serialization import field_errors

    conv = _reform_converter()
    try:
        f = conv.structure(raw, _FileReform)
    except Exception as e:
        found = _Problems(text)
        for x in field_errors(e):
            found.add(x.path, x.message)
        raise found.error(source) from None
    problems = _Problems(text)
    err = problems.add
    if f.format != 1:
        err("format", f"expected format 1, got {f.format}")
    find = lookup or load_profile
    try:
        base = find(f.base)
    except (UnknownProfile, InvalidProfile) as e:
        raise InvalidProfile(
            source, [FieldError("base", f"cannot load {show(f.base)}: {e}")]
        ) from None
    chain = _chain(base, find)
    params = {p.name: p for q in reversed(chain) for p in q.parameters}
    changes: list[Change] = []
    paths: list[str] = []
    for i, fp in enumerate(f.parameters):
        p = file_parameter(fp, f"parameters[{i}]", err)
        params[p.name] = p
        changes.append(SetParameter(p))
        paths.append(f"parameters[{i}]")
    for i, cid in enumerate(f.remove):
        changes.append(RemoveCriterion(cid))
        paths.append(f"remove[{i}]")
    instruments = {x.id for q in chain for x in q.instruments} | {x.id for x in f.instruments}
    parser = _Parser(params)
    for key, kind in (("replace", ReplaceCriterion), ("add", AddCriterion)):
        for i, fc in enumerate(getattr(f, key)):
            path = f"{key}[{i}]"
            if not _ID.fullmatch(fc.id):
                err(
                    f"{path}.id",
                    f"expected a lower-case id (letters, digits, - . _), got {fc.id!r}",
                )
            c = file_criterion(fc, path, parser, instruments, err)
            if c is not None:
                changes.append(kind(c))
                paths.append(path)
    for i, ft in enumerate(f.thresholds):
        if ft.fact is not None and ft.fact not in FACTS:
            err(f"thresholds[{i}].fact", f"unknown fact {show(ft.fact)}")
            continue
        value: Any = ft.value
        if isinstance(value, dict):
            try:
                fact = ft.fact or _first_fact(base, chain, ft.criterion)
                value = (
                    parser.threshold(value, FACTS[fact].kind, f"thresholds[{i}].value")
                    if fact
                    else value
                )
            except _NodeError as e:
                err(e.path, e.message)
                continue
        changes.append(SetThreshold(ft.criterion, value, ft.fact))
        paths.append(f"thresholds[{i}]")
    for i, fd in enumerate(f.decisions):
        try:
            node = parser.node(fd.decision, f"decisions[{i}].decision", refs=True)
        except _NodeError as e:
            err(e.path, e.message)
            continue
        changes.append(SetDecision(node, fd.version))
        paths.append(f"decisions[{i}]")
    if problems:
        raise problems.error(source)
    return Reform(
        id=f.id,
        base=f.base,
        changes=tuple(changes),
        title=f.title,
        notes=tuple(f.notes),
        instruments=tuple(f.instruments),
        paths=tuple(paths),
    )


def _first_fact(base: Profile, chain: list[Profile], cid: str) -> str | None:
    for c in base.criteria:
        if c.id == cid:
            found = compares_of(c)
            return found[0].fact if found else None
    return None


def read_profile_text(
    text: str, source: str = "<string>", *, lookup: Callable[[str], Profile] | None = None
) -> Profile:
    """A profile file's text as a profile; a reform file's (it names a ``base``)
    applied to its base."""
    if is_reform_text(text):
        return load_reform_text(text, source, lookup=lookup)
    return parse_profile(text, source, lookup=lookup)


def load_profile_file(
    path: str | Path,
    *,
    lookup: Callable[[str], Profile] | None = None,
    bases: Iterable[str | Path] = (),
) -> Profile:
    """Load a profile from a TOML file of your own, or a reform of one.

    A reform file (one with a ``base`` key, see :class:`~sse_model.Reform`) is
    applied to its base: the result is a profile too. A profile names the profile it
    ``extends`` by id, never by path. The id is looked up among *bases* (paths of
    profile or reform files you pass explicitly, each known by the id it declares),
    then with *lookup* (default: the shipped profiles). Cycles of ``extends`` raise
    :class:`~sse_model.InvalidProfile`.
    """
    return _loader.load_profile_file(path, lookup=lookup, bases=bases, parse=read_profile_text)


def load_reform_text(
    text: str, source: str, *, lookup: Callable[[str], Profile] | None = None
) -> Profile:
    """A reform file's text, parsed and applied to its base: a profile."""
    find = lookup or load_profile
    reform = parse_reform(text, source, lookup=find)
    try:
        return reform.apply(lookup=find)
    except InvalidProfile as e:
        raise InvalidProfile(source, e.errors) from None


@cache
def _reform_converter() -> Any:
    conv = _file_converter().copy()
    for cls in (_FileThreshold, _FileDecision, _FileReform):
        conv.register_structure_hook(cls, make_dict_structure_fn(cls, conv))
    return conv
