"""Reading profiles from TOML files: declarative, bounded, checked.

The format is data only: no expression is evaluated, nothing is imported or
unpickled. Files are size-limited, node trees depth-limited, and every problem
is reported with the file, the path inside it and, where possible, the line.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from fractions import Fraction
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.gen import make_dict_structure_fn

from .._errors import FieldError, InvalidProfile, UnknownProfile
from .._files import data_folders, data_text
from .._model import Money, Principle
from .._model._codes import check_country
from .._model._forms import form_codes
from .._model._units import ParseError, format_fraction, parse_money, parse_ratio, show
from ._ast import (
    All,
    Anchor,
    Any_,
    AtLeast,
    Case,
    Cases,
    Certified,
    Citation,
    Compare,
    Const,
    Criterion,
    Is,
    Node,
    Not,
    OneOf,
    Op,
    Param,
    Reading,
    Ref,
    Status,
    Truth,
    Unresolved,
    walk,
)
from ._facts import FACTS, FactKind
from ._profile import DatedValue, Instrument, Parameter, Profile, Scope, Version, base_of

__all__ = [
    "MAX_BYTES",
    "MAX_LISTED_ERRORS",
    "load_profile",
    "load_profile_file",
    "parse_profile",
    "profile_ids",
    "validate_profile",
]

#: Largest profile file accepted, in bytes.
MAX_BYTES = 1_000_000
#: Deepest nesting of criteria nodes accepted.
MAX_DEPTH = 24
#: Most criteria, versions, parameters and nodes accepted in one profile.
MAX_CRITERIA = 500
MAX_VERSIONS = 64
MAX_NODES = 10_000
#: Most instruments, parameters (and values of one parameter) and notes in one profile.
MAX_ITEMS = 500
#: Longest string accepted anywhere in a profile file, in characters.
MAX_STRING = 4_000
#: Longest chain of ``extends`` (a profile, its base, the base's base...).
MAX_EXTENDS = 8
#: Most problems listed in one InvalidProfile; the others are counted in a last line.
MAX_LISTED_ERRORS = 100
#: Longest message of one listed problem, in characters.
MAX_ERROR_MESSAGE = 2_000

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
_PROFILE_ID = re.compile(r"(intl|eu|[a-z]{2}(-[a-z0-9]{1,3})?)/[a-z0-9][a-z0-9-]{0,63}")

#: Ids of the profiles being parsed in this context, outermost first (to detect cycles).
_EXTENDING: ContextVar[tuple[str, ...]] = ContextVar("sse_model_extending", default=())


# --- the file schema, structured by cattrs --------------------------------------------


@attrs.frozen
class _FileValue:
    effective_from: date
    value: str | int | float
    effective_to: date | None = None
    source: str | None = None


@attrs.frozen
class _FileParameter:
    name: str
    description: str
    values: list[_FileValue]


@attrs.frozen
class _FileVersion:
    label: str
    effective_from: date
    effective_to: date | None = None
    decision: Any = None
    note: str | None = None


@attrs.frozen
class _FileReading:
    name: str
    description: str
    test: Any


@attrs.frozen
class _FileCriterion:
    id: str
    description: str
    instrument: str
    article: str
    principles: list[str]
    test: Any
    status: str = "verified"
    confidence: str | None = None
    interpretation: str | None = None
    applies_if: Any = None
    effective_from: date | None = None
    effective_to: date | None = None
    note: str | None = None
    readings: list[_FileReading] = attrs.Factory(list)
    anchor: str | None = None


@attrs.frozen
class _FileScope:
    instrument: str
    article: str
    countries: list[str] = attrs.Factory(list)
    subdivisions: list[str] = attrs.Factory(list)
    description: str | None = None
    note: str | None = None


@attrs.frozen
class _FileProfile:
    id: str
    title: str
    jurisdiction: str
    versions: list[_FileVersion]
    criteria: list[_FileCriterion]
    instruments: list[Instrument] = attrs.Factory(list)
    parameters: list[_FileParameter] = attrs.Factory(list)
    summary: str = ""
    kind: str = "definition"
    extends: str | None = None
    notes: list[str] = attrs.Factory(list)
    format: int = 1
    scope: _FileScope | None = None


def _strict(kind: type) -> Callable[[Any, type], Any]:
    def hook(value: Any, _: type) -> Any:
        if kind is int and isinstance(value, bool):
            raise ParseError(f"expected an integer, got {value!r}")
        if not isinstance(value, kind):
            raise ParseError(f"expected {kind.__name__}, got {show(value)}")
        if isinstance(value, str) and len(value) > MAX_STRING:
            raise ParseError(f"expected at most {MAX_STRING} characters, got {len(value)}")
        return value

    return hook


@cache
def _file_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for t in (str, bool, int):
        conv.register_structure_hook(t, _strict(t))

    def _date(value: Any, _: type) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        raise ParseError(f"expected a TOML date such as 2021-01-01, got {show(value)}")

    def _scalar(value: Any, _: type) -> Any:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return _strict(str)(value, str) if isinstance(value, str) else value
        raise ParseError(f"expected a number or a string, got {show(value)}")

    def _list(t: Any) -> Callable[[Any, Any], list[Any]]:
        inner = list_structure_factory(t, conv)

        def structure_list(value: Any, _: Any) -> list[Any]:
            if not isinstance(value, list):
                raise ParseError(f"expected a list, got {show(value)}")
            if len(value) > MAX_ITEMS:
                raise ParseError(f"expected at most {MAX_ITEMS} entries, got {len(value)}")
            result: list[Any] = inner(value, t)
            return result

        return structure_list

    conv.register_structure_hook(date, _date)
    conv.register_structure_hook(str | int | float, _scalar)
    conv.register_structure_hook(Any, lambda v, _: v)
    conv.register_structure_hook_factory(lambda t: getattr(t, "__origin__", None) is list, _list)
    for cls in (
        Instrument,
        _FileValue,
        _FileParameter,
        _FileVersion,
        _FileReading,
        _FileCriterion,
        _FileScope,
        _FileProfile,
    ):
        conv.register_structure_hook(cls, make_dict_structure_fn(cls, conv))
    return conv


# --- node parsing ------------------------------------------------------------------------

_OPS = {op.value: op for op in Op}
_TRUTHS = {"met": Truth.TRUE, "not_met": Truth.FALSE, "unknown": Truth.UNKNOWN}


class _NodeError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class _Parser:
    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        self.parameters = parameters
        self.count = 0

    def node(self, raw: Any, path: str, *, refs: bool, depth: int = 0) -> Node:
        self.count += 1
        if depth > MAX_DEPTH:
            raise _NodeError(path, f"nodes nested deeper than {MAX_DEPTH} levels")
        if self.count > MAX_NODES:
            raise _NodeError(path, f"more than {MAX_NODES} nodes in one profile")
        if isinstance(raw, bool):
            return Const(Truth.TRUE if raw else Truth.FALSE)
        if isinstance(raw, str):
            if not refs:
                raise _NodeError(path, f"expected a test (a table), got the string {raw!r}")
            return Ref(raw)
        if not isinstance(raw, dict):
            raise _NodeError(path, f"expected a test (a table), got {raw!r}")
        keys = set(raw)

        def sub(value: Any, p: str) -> Node:
            return self.node(value, p, refs=refs, depth=depth + 1)

        def items(key: str) -> tuple[Node, ...]:
            value = raw[key]
            if not isinstance(value, list) or not value:
                raise _NodeError(
                    f"{path}.{key}", f"expected a non-empty list of tests, got {value!r}"
                )
            return tuple(sub(v, f"{path}.{key}[{i}]") for i, v in enumerate(value))

        def only(*allowed: str) -> None:
            extra = keys - set(allowed)
            if extra:
                raise _NodeError(
                    path,
                    f"unknown key(s) {', '.join(sorted(extra))}; expected {', '.join(allowed)}",
                )

        if "all" in keys:
            only("all")
            return All(items("all"))
        if "any" in keys:
            only("any")
            return Any_(items("any"))
        if "not" in keys:
            only("not")
            return Not(sub(raw["not"], f"{path}.not"))
        if "at_least_of" in keys:
            only("at_least_of", "of")
            k = raw["at_least_of"]
            if "of" not in raw:
                raise _NodeError(path, "expected 'of' with the list of tests")
            nodes = items("of")
            if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(nodes):
                raise _NodeError(
                    f"{path}.at_least_of", f"expected an integer from 1 to {len(nodes)}, got {k!r}"
                )
            return AtLeast(k, nodes)
        if "cases" in keys:
            only("cases", "otherwise")
            if "otherwise" not in raw:
                raise _NodeError(path, "a case analysis must say what happens 'otherwise' (gap)")
            cases_raw = raw["cases"]
            if not isinstance(cases_raw, list) or not cases_raw:
                raise _NodeError(
                    f"{path}.cases", "expected a non-empty list of {when, then} tables"
                )
            cases = []
            for i, c in enumerate(cases_raw):
                p = f"{path}.cases[{i}]"
                if not isinstance(c, dict) or set(c) != {"when", "then"}:
                    raise _NodeError(p, f"expected a table with 'when' and 'then', got {c!r}")
                cases.append(Case(sub(c["when"], f"{p}.when"), sub(c["then"], f"{p}.then")))
            return Cases(tuple(cases), sub(raw["otherwise"], f"{path}.otherwise"))
        if refs and keys & {"fact", "certified", "unresolved"}:
            raise _NodeError(
                path, "a decision combines criteria by id; put this test in a named criterion"
            )
        if "unresolved" in keys:
            only("unresolved")
            reason = raw["unresolved"]
            if not isinstance(reason, str) or not reason or len(reason) > MAX_STRING:
                raise _NodeError(
                    path,
                    f"expected the reason the rule cannot be decided "
                    f"(1 to {MAX_STRING} characters), got {show(reason)}",
                )
            return Unresolved(raw["unresolved"])
        if "certified" in keys:
            only("certified", "valid_on_date")
            valid = raw.get("valid_on_date", True)
            kind = raw["certified"]
            if (
                not isinstance(kind, str)
                or not 0 < len(kind) <= _MAX_KIND
                or not isinstance(valid, bool)
            ):
                raise _NodeError(
                    path,
                    f"expected certified = 'kind' (1 to {_MAX_KIND} characters) and "
                    f"valid_on_date = true/false, got {show(raw)}",
                )
            return Certified(raw["certified"], valid)
        if "fact" in keys:
            return self.leaf(raw, path)
        raise _NodeError(
            path,
            "expected one of the keys fact, all, any, not, at_least_of, cases, certified, "
            f"unresolved; got {', '.join(sorted(keys)) or 'an empty table'}",
        )

    def leaf(self, raw: dict[str, Any], path: str) -> Node:
        name = raw["fact"]
        fact = FACTS.get(name) if isinstance(name, str) else None
        if fact is None:
            close = [f for f in FACTS if isinstance(name, str) and name.split(".")[-1] in f]
            hint = f" (did you mean {', '.join(close[:3])}?)" if close else ""
            raise _NodeError(f"{path}.fact", f"unknown fact {name!r}{hint}")
        ops = [k for k in raw if k in _OPS]
        rest = set(raw) - {"fact", *ops}
        if "is" in raw:
            if ops or rest != {"is"} or not isinstance(raw["is"], bool):
                raise _NodeError(path, "expected { fact = ..., is = true|false }")
            if fact.kind is not FactKind.BOOL:
                raise _NodeError(path, f"fact {name} is a {fact.kind.value}, not a yes/no fact")
            return Is(name, raw["is"])
        if "in" in raw:
            if ops or rest != {"in"}:
                raise _NodeError(path, "expected { fact = ..., in = [...] }")
            if fact.kind not in (FactKind.CHOICE, FactKind.CHOICES):
                raise _NodeError(
                    path, f"fact {name} is a {fact.kind.value}; 'in' needs a choice fact"
                )
            values = raw["in"]
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
            ):
                raise _NodeError(
                    f"{path}.in", f"expected a non-empty list of strings, got {values!r}"
                )
            self._check_choices(name, values, f"{path}.in")
            return OneOf(name, frozenset(values))
        if len(ops) != 1:
            raise _NodeError(
                path,
                f"expected exactly one of {', '.join(_OPS)}, 'is' or 'in' with fact {name!r}",
            )
        op = _OPS[ops[0]]
        if_undefined = Truth.UNKNOWN
        if "if_undefined" in rest:
            rest.discard("if_undefined")
            value = raw["if_undefined"]
            if not isinstance(value, str) or value not in _TRUTHS:
                raise _NodeError(
                    f"{path}.if_undefined", f"expected met, not_met or unknown, got {value!r}"
                )
            if_undefined = _TRUTHS[value]
        if rest:
            raise _NodeError(path, f"unknown key(s) {', '.join(sorted(rest))}")
        if fact.kind not in (FactKind.RATIO, FactKind.COUNT, FactKind.AMOUNT):
            raise _NodeError(
                path, f"fact {name} is a {fact.kind.value}; it cannot be compared with a number"
            )
        where = f"{path}.{ops[0]}"
        threshold = self.threshold(raw[ops[0]], fact.kind, where)
        if isinstance(threshold, Param):
            for dv in self.parameters[threshold.name].values:
                _check_range(name, dv.value, threshold.times, where)
        else:
            _check_range(name, threshold, Fraction(1), where)
        return Compare(name, op, threshold, if_undefined)

    def threshold(self, raw: Any, kind: FactKind, path: str) -> Fraction | Money | Param:
        if isinstance(raw, dict):
            if set(raw) - {"parameter", "times"} or "parameter" not in raw:
                raise _NodeError(path, "expected { parameter = 'name', times = ... }")
            name = raw["parameter"]
            if not isinstance(name, str) or name not in self.parameters:
                raise _NodeError(
                    path, f"unknown parameter {show(name)}; declare it under [[parameters]]"
                )
            try:
                times = parse_ratio(raw.get("times", 1))
            except ParseError as e:
                raise _NodeError(f"{path}.times", str(e)) from None
            return Param(name, times)
        try:
            if kind is FactKind.AMOUNT:
                return parse_money(raw)
            value = parse_ratio(raw)
        except ParseError as e:
            raise _NodeError(path, str(e)) from None
        if isinstance(raw, float):
            raise _NodeError(
                path, f"write thresholds as strings ('51 %', '2/3', '0.5'), got the float {raw!r}"
            )
        if kind is FactKind.COUNT and value.denominator != 1:
            raise _NodeError(path, f"expected a whole number for a count, got {raw!r}")
        return value

    @staticmethod
    def _check_choices(name: str, values: list[str], path: str) -> None:
        fact = FACTS[name]
        if fact.choices is not None:
            allowed = {m.value for m in fact.choices}
            bad = [v for v in values if v not in allowed]
            if bad:
                raise _NodeError(
                    path, f"unknown value(s) {bad} for {name}; expected some of {sorted(allowed)}"
                )
        elif name == "legal_form":
            bad = [v for v in values if v not in form_codes()]
            if bad:
                raise _NodeError(path, f"unknown legal form code(s) {bad}")
        elif name == "country":
            bad = [v for v in values if check_country(v)]
            if bad:
                raise _NodeError(path, f"unknown country code(s) {bad}")
        elif name == "subdivision":
            from .._model._codes import check_subdivision

            bad = [v for v in values if check_subdivision(v.split("-", 1)[0], v)]
            if bad:
                raise _NodeError(path, f"unknown ISO 3166-2 subdivision code(s) {bad}")


#: Longest certification kind accepted in a ``certified`` test.
_MAX_KIND = 200


def _check_range(fact: str, value: Fraction | Money, times: Fraction, path: str) -> None:
    """Thresholds no value of the fact could ever reach are mistakes, not rules."""
    if isinstance(value, Money):
        magnitude, shown = Fraction(value.amount) * times, f"{value} x {times}"
    else:
        magnitude = value * times
        shown = str(magnitude)
    if magnitude < 0:
        raise _NodeError(path, f"expected a threshold >= 0 for {fact}, got {shown}")
    if fact.endswith("_share") and magnitude > 1:
        raise _NodeError(
            path,
            f"expected a share between 0 and 100 % for {fact}, got {format_fraction(magnitude)}",
        )


# --- from file schema to profile ----------------------------------------------------------


_TABLE_PATH = re.compile(r"^(criteria|versions|parameters|instruments)\[(\d+)\]")


class _Problems:
    """The problems found in one profile: the first few listed, the others counted.

    Paths inside ``[[criteria]]``, ``[[versions]]``... tables get the line of their
    table, from an index of the text built once (not a scan of the text per problem),
    so reporting stays linear however many problems a hostile file has.
    """

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._tables: dict[str, list[int]] | None = None
        self.listed: list[FieldError] = []
        self.unlisted = 0

    def __bool__(self) -> bool:
        return bool(self.listed)

    def add(self, path: str, message: str) -> None:
        if len(self.listed) >= MAX_LISTED_ERRORS:
            self.unlisted += 1
            return
        if len(message) > MAX_ERROR_MESSAGE:
            message = message[: MAX_ERROR_MESSAGE - 1] + "…"
        self.listed.append(FieldError(self._with_line(path), message))

    def _with_line(self, path: str) -> str:
        m = _TABLE_PATH.match(path)
        if m is None:
            return path
        lines = self._index().get(m[1], [])
        i = int(m[2])
        return f"{path} (line {lines[i]})" if i < len(lines) else path

    def _index(self) -> dict[str, list[int]]:
        """The line (1-based) of every ``[[header]]`` table, by header, in order."""
        if self._tables is None:
            self._tables = {}
            for lineno, line in enumerate(self._text.splitlines(), 1):
                stripped = line.strip()
                if stripped.startswith("[[") and stripped.endswith("]]"):
                    self._tables.setdefault(stripped[2:-2], []).append(lineno)
        return self._tables

    def error(self, source: str) -> InvalidProfile:
        errors = list(self.listed)
        if self.unlisted:
            errors.append(
                FieldError(
                    "",
                    f"and {self.unlisted} more problems (only the first "
                    f"{MAX_LISTED_ERRORS} are listed)",
                )
            )
        return InvalidProfile(source, errors)


def parse_profile(
    text: str,
    source: str = "<string>",
    *,
    lookup: Callable[[str], Profile] | None = None,
) -> Profile:
    """Parse and check a profile written in the TOML profile format.

    *lookup* finds the profile named by ``extends`` (default: the shipped profiles).
    Raises :class:`~sse_model.InvalidProfile` listing every problem found.
    """
    if not isinstance(text, str):
        raise InvalidProfile(source, [FieldError("", f"expected TOML text, got {show(text)}")])
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidProfile(source, [FieldError("", f"file larger than {MAX_BYTES} bytes")])
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InvalidProfile(source, [FieldError("", f"not valid TOML: {e}")]) from None
    except RecursionError:
        raise InvalidProfile(
            source, [FieldError("", "not valid TOML: arrays or tables nested too deeply")]
        ) from None
    from .._serialization import field_errors

    try:
        f = _file_converter().structure(raw, _FileProfile)
    except RecursionError:
        raise InvalidProfile(source, [FieldError("", "values nested too deeply")]) from None
    except Exception as e:
        found = _Problems(text)
        for x in field_errors(e):
            found.add(x.path, x.message)
        raise found.error(source) from None
    return _build(f, text, source, lookup or load_profile)


@contextmanager
def _extending(chain: tuple[str, ...]) -> Iterator[None]:
    token = _EXTENDING.set(chain)
    try:
        yield
    finally:
        _EXTENDING.reset(token)


def _build(f: _FileProfile, text: str, source: str, lookup: Callable[[str], Profile]) -> Profile:
    problems = _Problems(text)
    err = problems.add

    if not _PROFILE_ID.fullmatch(f.id):
        err(
            "id",
            f"expected 'scope/slug' in lower case (e.g. 'vn/social-enterprise'), got {f.id!r}",
        )
    if f.format != 1:
        err("format", f"expected format 1, got {f.format}")
    if len(f.criteria) > MAX_CRITERIA or len(f.versions) > MAX_VERSIONS:
        raise InvalidProfile(source, [FieldError("", "too many criteria or versions")])

    params: dict[str, Parameter] = {}
    for i, fp in enumerate(f.parameters):
        params[fp.name] = file_parameter(fp, f"parameters[{i}]", err)

    instruments = tuple(f.instruments)
    known_instruments = {i.id for i in instruments}
    base: Profile | None = None
    if f.extends is not None:
        chain = (*_EXTENDING.get(), f.id)
        if f.extends in chain:
            cycle = " -> ".join((*chain[chain.index(f.extends) :], f.extends))
            err("extends", f"expected a base profile that does not extend this one, got {cycle}")
        elif len(chain) > MAX_EXTENDS:
            err("extends", f"expected at most {MAX_EXTENDS} levels of extends, got more")
        else:
            try:
                with _extending(chain):
                    base = lookup(f.extends)
            except (UnknownProfile, InvalidProfile) as e:
                err("extends", f"cannot load base profile {show(f.extends)}: {e}")
            else:
                known_instruments |= {i.id for i in base.instruments}

    parser = _Parser(params)
    criteria: list[Criterion] = []
    seen: set[str] = {c.id for c in base.criteria} if base else set()
    for i, c in enumerate(f.criteria):
        path = f"criteria[{i}]"
        if not _ID.fullmatch(c.id):
            err(f"{path}.id", f"expected a lower-case id (letters, digits, - . _), got {c.id!r}")
        if c.id in seen:
            err(f"{path}.id", f"duplicate criterion id {c.id!r}")
        seen.add(c.id)
        built = file_criterion(c, path, parser, known_instruments, err)
        if built is not None:
            criteria.append(built)

    scope = None
    if f.scope is not None:
        scope = _scope(f.id, f.scope, known_instruments, err)
        if scope is not None:
            if scope.criterion_id in seen:
                err("scope", f"duplicate criterion id {scope.criterion_id!r}")
            criteria.insert(0, scope_criterion(scope, f.scope.note))

    versions: list[Version] = []
    for j, fver in enumerate(f.versions):
        path = f"versions[{j}]"
        if fver.effective_to is not None and fver.effective_to < fver.effective_from:
            err(path, f"ends ({fver.effective_to}) before it starts ({fver.effective_from})")
        decision = None
        if fver.decision is not None:
            try:
                decision = parser.node(fver.decision, f"{path}.decision", refs=True)
            except _NodeError as e:
                err(e.path, e.message)
                continue
        if decision is not None and scope is not None:
            decision = All((Ref(scope.criterion_id), decision))
        versions.append(
            Version(fver.label, fver.effective_from, fver.effective_to, decision, fver.note)
        )
    if not versions:
        err("versions", "expected at least one version")
    versions.sort(key=lambda v: v.effective_from)
    for a, b in pairwise(versions):
        if a.effective_to is None or a.effective_to >= b.effective_from:
            err("versions", f"versions {a.label!r} and {b.label!r} overlap (conflict)")
    if not problems:
        _check_versions(criteria, versions, base, err)
    if problems:
        raise problems.error(source)
    return Profile(
        id=f.id,
        title=f.title,
        jurisdiction=f.jurisdiction,
        criteria=tuple(criteria),
        versions=tuple(versions),
        instruments=instruments,
        parameters=tuple(params.values()),
        summary=f.summary,
        kind=f.kind,
        extends=f.extends,
        notes=tuple(f.notes),
        base=base,
        scope=scope,
    )


def file_parameter(fp: _FileParameter, path: str, err: Callable[[str, str], None]) -> Parameter:
    """A parameter table of a file (at *path*), its values parsed and checked."""
    values = []
    for j, fv in enumerate(fp.values):
        try:
            value: Fraction | Money = (
                parse_money(fv.value)
                if isinstance(fv.value, str) and re.search(r"[A-Za-z]{3}\s*$", fv.value)
                else parse_ratio(fv.value)
            )
        except ParseError as e:
            err(f"{path}.values[{j}].value", str(e))
            continue
        values.append(DatedValue(fv.effective_from, value, fv.effective_to, fv.source))
    spans = sorted(values, key=lambda d: d.effective_from)
    for earlier, later in pairwise(spans):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            err(path, f"values overlap at {later.effective_from} (conflict)")
    return Parameter(fp.name, fp.description, tuple(values))


def file_criterion(
    c: _FileCriterion,
    path: str,
    parser: _Parser,
    known_instruments: set[str],
    err: Callable[[str, str], None],
) -> Criterion | None:
    """A criterion table of a file (at *path*) as a criterion, or None when it has a
    problem (reported with *err*); its id is checked by the caller."""
    if c.instrument not in known_instruments:
        err(
            f"{path}.instrument",
            f"unknown instrument {c.instrument!r}; declare it under [[instruments]]",
        )
    principles = set()
    known_principles = {x.value: x for x in Principle}
    for name in c.principles:
        if name in known_principles:
            principles.add(known_principles[name])
        else:
            err(
                f"{path}.principles",
                f"unknown principle {name!r}; expected some of {list(known_principles)}",
            )
    if c.status not in {s.value for s in Status}:
        err(f"{path}.status", f"expected verified or unverified, got {c.status!r}")
        return None
    anchor = None
    if c.anchor is not None:
        if c.anchor not in {a.value for a in Anchor}:
            err(
                f"{path}.anchor",
                f"expected fiscal_year_end or evaluation_date, got {show(c.anchor)}",
            )
            return None
        anchor = Anchor(c.anchor)
    try:
        test = parser.node(c.test, f"{path}.test", refs=False)
        applies = (
            None
            if c.applies_if is None
            else parser.node(c.applies_if, f"{path}.applies_if", refs=False)
        )
        readings: list[Reading] = []
        for k, fr in enumerate(c.readings):
            rpath = f"{path}.readings[{k}]"
            if not _ID.fullmatch(fr.name) or fr.name in {r.name for r in readings}:
                err(
                    f"{rpath}.name",
                    f"expected a unique lower-case name (letters, digits, - . _), got {fr.name!r}",
                )
            rtest = parser.node(fr.test, f"{rpath}.test", refs=False)
            readings.append(Reading(fr.name, fr.description, rtest))
    except _NodeError as e:
        err(e.path, e.message)
        return None
    status = Status(c.status)
    return Criterion(
        id=c.id,
        description=c.description,
        test=test,
        citation=Citation(c.instrument, c.article),
        principles=frozenset(principles),
        effective_from=c.effective_from,
        effective_to=c.effective_to,
        status=status,
        confidence=c.confidence,
        interpretation=c.interpretation,
        applies_if=applies,
        note=c.note,
        readings=tuple(readings),
        anchor=anchor,
    )


def scope_criterion_id(profile_id: str) -> str:
    """The id of the criterion a profile's ``scope`` table generates (``fr-ess-scope``)."""
    return profile_id.replace("/", "-") + "-scope"


def _scope(
    profile_id: str,
    fs: _FileScope,
    known_instruments: set[str],
    err: Callable[[str, str], None],
) -> Scope | None:
    from .._model._codes import check_subdivision

    ok = True
    if fs.instrument not in known_instruments:
        err(
            "scope.instrument",
            f"unknown instrument {fs.instrument!r}; declare it under [[instruments]]",
        )
        ok = False
    if not fs.countries and not fs.subdivisions:
        err("scope", "expected countries = [...] or subdivisions = [...] (at least one code)")
        ok = False
    for k, code in enumerate(fs.countries):
        if check_country(code):
            err(f"scope.countries[{k}]", f"expected an ISO 3166-1 alpha-2 code, got {code!r}")
            ok = False
    for k, code in enumerate(fs.subdivisions):
        msg = check_subdivision(code.split("-", 1)[0], code)
        if msg:
            err(f"scope.subdivisions[{k}]", msg)
            ok = False
    if not ok:
        return None
    where = ", ".join([*fs.countries, *fs.subdivisions])
    return Scope(
        countries=tuple(fs.countries),
        subdivisions=tuple(fs.subdivisions),
        citation=Citation(fs.instrument, fs.article),
        criterion_id=scope_criterion_id(profile_id),
        description=fs.description
        or f"Within the territorial scope of the law: an organisation of {where}",
    )


def scope_criterion(scope: Scope, note: str | None = None) -> Criterion:
    """The cited criterion a profile's territorial scope stands for.

    Met for an organisation of one of the countries, or of one of the subdivisions;
    not met elsewhere; unknown when only the subdivision would decide and it is not
    known.
    """
    tests: list[Node] = []
    if scope.countries:
        tests.append(OneOf("country", frozenset(scope.countries)))
    if scope.subdivisions:
        tests.append(
            All(
                (
                    OneOf("country", frozenset(s.split("-", 1)[0] for s in scope.subdivisions)),
                    OneOf("subdivision", frozenset(scope.subdivisions)),
                )
            )
        )
    return Criterion(
        id=scope.criterion_id,
        description=scope.description,
        test=tests[0] if len(tests) == 1 else Any_(tuple(tests)),
        citation=scope.citation,
        principles=frozenset(),
        confidence="high",
        interpretation="the organisation's country (and subdivision) as recorded",
        note=note,
    )


def _check_versions(
    criteria: list[Criterion],
    versions: list[Version],
    base: Profile | None,
    err: Callable[[str, str], None],
) -> None:
    starts = {v.effective_from for v in versions}
    ends = {v.effective_to for v in versions}
    for i, c in enumerate(criteria):
        if c.effective_from is not None and c.effective_from not in starts:
            err(
                f"criteria[{i}].effective_from",
                f"{c.effective_from} is not the start of a version: rules change between versions",
            )
        if c.effective_to is not None and c.effective_to not in ends:
            err(
                f"criteria[{i}].effective_to",
                f"{c.effective_to} is not the end of a version: rules change between versions",
            )
    for j, v in enumerate(versions):
        in_force = {c.id: c for c in criteria if c.in_force(v.effective_from)}
        if not in_force and base is None:
            err(f"versions[{j}]", f"no criterion is in force in version {v.label!r} (gap)")
        if v.decision is None:
            continue
        refs = {n.id for n in walk(v.decision) if isinstance(n, Ref)}
        for r in sorted(refs - set(in_force)):
            err(
                f"versions[{j}].decision",
                f"refers to {r!r}, which is not a criterion in force in this version",
            )
        for r in sorted(set(in_force) - refs):
            err(
                f"versions[{j}].decision",
                f"criterion {r!r} is in force but the decision never uses it (gap)",
            )
        for node in walk(v.decision):
            if isinstance(node, Cases):
                _check_cases(node, in_force, f"versions[{j}].decision", err)


def validate_profile(profile: Profile, lookup: Callable[[str], Profile] | None = None) -> None:
    """Run the load-time checks on a profile built in Python (conflicts and gaps).

    Raises :class:`~sse_model.InvalidProfile` listing every problem.
    """
    problems = _Problems()
    err = problems.add

    versions = sorted(profile.versions, key=lambda v: v.effective_from)
    if not versions:
        err("versions", "expected at least one version")
    for a, b in pairwise(versions):
        if a.effective_to is None or a.effective_to >= b.effective_from:
            err("versions", f"versions {a.label!r} and {b.label!r} overlap (conflict)")
    ids = [c.id for c in profile.criteria]
    for dup in sorted({i for i in ids if ids.count(i) > 1}, key=str):
        err("criteria", f"duplicate criterion id {show(dup)}")
    for i, c in enumerate(profile.criteria):
        cid: object = c.id  # built in Python: may be anything
        if not isinstance(cid, str) or not _ID.fullmatch(cid):
            err(
                f"criteria[{i}].id",
                f"expected a lower-case id (letters, digits, - . _), got {show(c.id)}",
            )
        anchor: object = c.anchor  # built in Python: may be anything
        if anchor is not None and not isinstance(anchor, Anchor):
            err(
                f"criteria[{i}].anchor",
                f"expected an Anchor (fiscal_year_end or evaluation_date) or None, "
                f"got {show(c.anchor)}",
            )
        for n in walk(c.test) + (walk(c.applies_if) if c.applies_if is not None else []):
            if isinstance(n, Ref):
                err(f"criteria[{i}].test", "a criterion test cannot refer to another criterion")
            elif isinstance(n, Compare | Is | OneOf) and n.fact not in FACTS:
                err(f"criteria[{i}].test", f"unknown fact {n.fact!r}")
    base = None
    if profile.extends:
        chain = [profile.id]
        base = base_of(profile, lookup or load_profile)
        ancestor: Profile | None = base
        while ancestor is not None:
            if ancestor.id in chain or len(chain) > MAX_EXTENDS:
                err(
                    "extends",
                    f"expected a chain of at most {MAX_EXTENDS} distinct profiles, got "
                    + " -> ".join([*chain, ancestor.id]),
                )
                break
            chain.append(ancestor.id)
            ancestor = base_of(ancestor, lookup or load_profile)
    if not problems:
        _check_versions(list(profile.criteria), versions, base, err)
    if problems:
        raise problems.error(profile.id)


def _choice_set(
    node: Node, criteria: Mapping[str, Criterion]
) -> tuple[str, frozenset[str]] | None:
    if isinstance(node, Ref) and node.id in criteria and criteria[node.id].applies_if is None:
        node = criteria[node.id].test
    if isinstance(node, OneOf):
        return node.fact, node.values
    return None


def _check_cases(
    node: Cases, criteria: Mapping[str, Criterion], path: str, err: Callable[[str, str], None]
) -> None:
    sets = [(i, _choice_set(c.when, criteria), c.then) for i, c in enumerate(node.cases)]
    for a in range(len(sets)):
        for b in range(a + 1, len(sets)):
            ia, sa, ta = sets[a]
            ib, sb, tb = sets[b]
            if sa and sb and sa[0] == sb[0] and sa[1] & sb[1] and ta != tb:
                overlap = ", ".join(sorted(sa[1] & sb[1]))
                err(
                    path,
                    f"cases {ia} and {ib} both apply when {sa[0]} is {overlap} and decide "
                    "differently (conflict); make the sets disjoint",
                )


# --- shipped profiles ------------------------------------------------------------------------


@cache
def profile_ids() -> tuple[str, ...]:
    """The ids of every profile shipped with the library, sorted."""
    ids: list[str] = []
    for scope, names in data_folders("profiles").items():
        ids.extend(f"{scope}/{f.removesuffix('.toml')}" for f in names if f.endswith(".toml"))
    return tuple(sorted(ids))


@cache
def load_profile(profile_id: str) -> Profile:
    """A shipped profile by id (``intl/ilo-2022``, ``vn/social-enterprise``)."""
    if profile_id not in profile_ids():
        raise UnknownProfile(profile_id, profile_ids())
    scope, slug = profile_id.split("/", 1)
    text = data_text(f"profiles/{scope}/{slug}.toml")
    profile = parse_profile(text, f"{profile_id} (shipped)")
    if profile.id != profile_id:
        raise InvalidProfile(profile_id, [FieldError("id", f"file declares id {profile.id!r}")])
    return profile


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_capped(path: Path, limit: int) -> bytes | str:
    """The bytes of the regular file *path* (at most *limit*), or why it was refused.

    A FIFO, a device (``/dev/zero``, also behind a symlink) or a directory is refused
    before anything is read: its size says nothing about how much it yields, and a
    FIFO would block. The file is opened once and read with ``read(limit + 1)``, so
    the limit holds even if the file grows after its size was checked. A missing or
    unreadable file raises ``OSError`` as usual.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)  # non-blocking: opening a FIFO must not wait for a writer
    try:
        mode = os.fstat(fd).st_mode
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((k for test, k in _FILE_KINDS if test(mode)), "not a regular file")
        return f"expected a regular file, got {kind}"
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        return f"file larger than {limit} bytes"
    return data


def _read(p: Path) -> str:
    data = read_capped(p, MAX_BYTES)
    if isinstance(data, str):
        raise InvalidProfile(str(p), [FieldError("", data)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidProfile(str(p), [FieldError("", f"expected UTF-8 text: {e}")]) from None


def load_profile_file(
    path: str | Path,
    *,
    lookup: Callable[[str], Profile] | None = None,
    bases: Iterable[str | Path] = (),
    parse: Callable[..., Profile] | None = None,
) -> Profile:
    """Load a profile from a TOML file of your own.

    A profile names the profile it ``extends`` by id, never by path. The id is
    looked up among *bases* (paths of profile files you pass explicitly, each
    known by the id it declares), then with *lookup* (default: the shipped
    profiles). Cycles of ``extends`` raise :class:`~sse_model.InvalidProfile`.
    *parse* reads each file's text (default: :func:`parse_profile`; the public
    :func:`~sse_model.load_profile_file` passes one that also reads reform files).
    """
    read_text = parse or parse_profile
    fallback = lookup or load_profile
    texts: dict[str, tuple[str, str]] = {}
    for base in bases:
        bp = Path(base)
        text = _read(bp)
        try:
            declared = tomllib.loads(text).get("id")
        except (tomllib.TOMLDecodeError, RecursionError) as e:
            raise InvalidProfile(str(bp), [FieldError("", f"not valid TOML: {e}")]) from None
        if not isinstance(declared, str):
            raise InvalidProfile(str(bp), [FieldError("id", "expected the profile's id")])
        texts[declared] = (text, str(bp))
    loaded: dict[str, Profile] = {}

    def find(profile_id: str) -> Profile:
        if profile_id not in texts:
            return fallback(profile_id)
        if profile_id not in loaded:
            text, source = texts[profile_id]
            loaded[profile_id] = read_text(text, source, lookup=find)
        return loaded[profile_id]

    p = Path(path)
    return read_text(_read(p), str(p), lookup=find)
