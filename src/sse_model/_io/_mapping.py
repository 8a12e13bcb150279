"""Register mappings: what a register's own columns and cells mean in the vocabulary.

A :class:`RegisterMapping` (usually a TOML file, see ``docs/guides/bring-your-own-register.md``)
says everything the library needs to read a register as it was published: which of its
columns is which vocabulary column, what its labels mean (value maps and built-in
lookups), which placeholders mean "unknown", how its dates and amounts are written,
which columns to ignore, constant cells (a register of one country), and how a long
table of yearly figures (one row per organisation and year) joins the organisations.

A mapping is applied at the edge, as text to text: a :class:`Mapper` turns a row's
cells (or a whole Arrow table of text columns, one distinct value at a time) into cells
of the flat vocabulary, which both lanes then read as if the file had been written so.
The same function maps every distinct cell text, so the lanes cannot disagree. Nothing
is dropped: a cell the mapping cannot read (a date not in the stated format, a label no
value map or lookup knows) rejects its row with an error naming the vocabulary column,
the register's column and the text; an unknown column of a table is refused at its
header, before any row is read, with close matches (:class:`ColumnsNotMapped`).
"""

from __future__ import annotations

import fnmatch
import json
import os
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

from .._errors import ColumnsNotMapped, FieldError, InvalidInput, UnreadableInput
from .._model._declare import MONEY_KINDS, Kind
from .._model._schema import COLUMNS
from ._flat import _UNIT, MappedNames, close_matches, column_of, is_vocabulary, vocabulary_names

__all__ = [
    "ColumnRule",
    "ColumnsNotMapped",
    "Mapper",
    "RegisterMapping",
    "YearlyTable",
    "load_mapping",
    "mapping_schema",
]

#: the most bytes a mapping file may have
MAX_MAPPING_BYTES = 1_000_000


def _doc(text: str, **kw: Any) -> Any:
    return attrs.field(metadata={"doc": text}, **kw)


def _texts_field(text: str) -> Any:
    """A field of one text or a list of texts (a tuple)."""
    return _doc(text, factory=tuple, converter=_texts)


def _table_field(text: str) -> Any:
    """A field holding a table (a read-only mapping)."""
    return _doc(text, factory=dict, converter=_frozen_map)


#: the reading options a mapping, its yearly table and each column may set (the innermost wins)
_IGNORE = "columns to ignore (names or shell patterns such as 'SIC*')"
_UNKNOWN = 'texts that mean unknown in every column (e.g. "N/a")'
_DATES = "how dates are written, as strptime formats tried in order (e.g. '%d/%m/%Y')"
_DECIMAL = "the decimal separator of numbers and amounts"
_THOUSANDS = "the thousands separator of numbers and amounts"
_LOCALE = "the locale numbers and amounts are written in (e.g. en_GB, vi_VN)"
_CURRENCY = "the ISO 4217 currency of bare amounts"


def _frozen_map(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def _texts(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen(eq=False)
class ColumnRule:
    """How to read one column of a register."""

    to: str | None = _doc(
        "the vocabulary column this column sets (e.g. legal_form); may be left out "
        "with a lookup that sets several (essglobal)",
        default=None,
    )
    values: Mapping[str, str | Mapping[str, str]] = _table_field(
        "labels onto vocabulary values (matched ignoring case and surrounding spaces); "
        'an empty value means unknown, e.g. {"Society" = "gb/registered-society"}; a '
        'table sets several columns, e.g. {England = {country = "GB", subdivision = '
        '"GB-ENG"}}'
    )
    lookup: str | None = _doc(
        "a built-in lookup for labels no value map names: legal-form, elf, essglobal, "
        "country, currency, yes-no",
        default=None,
    )
    unknown: tuple[str, ...] = _texts_field(
        "texts that mean unknown in this column (besides the mapping's own)"
    )
    date: tuple[str, ...] = _texts_field(_DATES)
    decimal: str | None = _doc(_DECIMAL, default=None)
    thousands: str | None = _doc(_THOUSANDS, default=None)
    locale: str | None = _doc(_LOCALE, default=None)
    currency: str | None = _doc(
        "the ISO 4217 currency of this column's bare amounts", default=None
    )
    split: str | None = _doc(
        "the separator of a cell holding several values (a list column)", default=None
    )
    country: str | None = _doc(
        "the country (ISO alpha-2) the lookup reads labels of", default=None
    )


_OPTIONS = ("unknown", "date", "decimal", "thousands", "locale", "currency", "country")


@attrs.frozen(eq=False, kw_only=True)
class _Options:
    """How cells are written: the reading options a mapping and its yearly table set
    for all their columns (a column's own option wins)."""

    unknown: tuple[str, ...] = _texts_field(_UNKNOWN)
    date: tuple[str, ...] = _texts_field(_DATES)
    decimal: str | None = _doc(_DECIMAL, default=None)
    thousands: str | None = _doc(_THOUSANDS, default=None)
    locale: str | None = _doc(_LOCALE, default=None)
    currency: str | None = _doc(_CURRENCY, default=None)


@attrs.frozen(eq=False, kw_only=True)
class YearlyTable(_Options):
    """A long table of yearly figures: one row per organisation and fiscal year."""

    id: str = _doc("the column holding the organisation's id")
    year: str | None = _doc("the column holding the fiscal year", default=None)
    year_end: str | None = _doc(
        "the column holding the fiscal year's end date (its year is the fiscal year)",
        default=None,
    )
    columns: Mapping[str, ColumnRule] = _table_field(
        "yearly columns onto finances fields (revenue, profit_before_tax...)"
    )
    latest: Mapping[str, ColumnRule] = _table_field(
        "columns onto organisation facts, taken from the row of the latest fiscal year"
    )
    ignore: tuple[str, ...] = _texts_field(_IGNORE)

    def __attrs_post_init__(self) -> None:
        if (self.year is None) == (self.year_end is None):
            raise ValueError("expected exactly one of 'year' and 'year_end'")


@attrs.frozen(eq=False, kw_only=True)
class RegisterMapping(_Options):
    """Everything the library needs to read a register as it was published."""

    columns: Mapping[str, ColumnRule] = _table_field(
        'the register\'s columns: a vocabulary column (`"Name" = "name"`) or a table '
        "of how to read it"
    )
    ignore: tuple[str, ...] = _texts_field(_IGNORE)
    set: Mapping[str, str] = _table_field(
        'constant cells for every row, e.g. {country = "GB"} (a column of the file wins)'
    )
    country: str | None = _doc("the country lookups read labels of", default=None)
    finances: YearlyTable | None = _doc(  # noqa: RUF009 - an attrs field
        "how a long table of yearly figures joins the organisations", default=None
    )
    title: str | None = _doc("what the mapping is for (free text)", default=None)
    source: str | None = _doc("where the register comes from (free text)", default=None)
    extends: str | None = _doc(
        "a built-in mapping this one adds to (sea-standard, murmurations): its columns, "
        "ignored columns and options, this file's winning where both say something",
        default=None,
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "the mapping") -> RegisterMapping:
        """A mapping from plain data (as parsed from TOML or JSON); every problem is
        reported at once with its path (:class:`~sse_model.InvalidInput`)."""
        return _structure(data, source)

    @classmethod
    def renames(cls, columns: Mapping[str, str]) -> RegisterMapping:
        """A mapping that only renames columns (``{"Members": "governance.members"}``)."""
        return cls(columns={k: ColumnRule(to=v) for k, v in columns.items()})


# --- loading ---------------------------------------------------------------------------


def _rule_hook(value: Any, _: Any) -> ColumnRule:
    if isinstance(value, str):
        return ColumnRule(to=value)
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a vocabulary column or a table, got {value!r}")
    return _RULE_FN[0](dict(value), ColumnRule)  # type: ignore[no-any-return]


#: cattrs' structure function of a ColumnRule given as a table (set with the converter)
_RULE_FN: list[Callable[[Any, Any], Any]] = []


def _str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value


def _str_tuple(value: Any, _: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected text or a list of texts, got {value!r}")
    return tuple(value)


def _values(value: Any, _: Any) -> Mapping[str, str | Mapping[str, str]]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a table of labels, got {value!r}")
    out: dict[str, str | Mapping[str, str]] = {}
    for k, v in value.items():
        out[k] = v if isinstance(v, str) else _str_map(v, None)
    return out


def _str_map(value: Any, _: Any) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TypeError(f"expected a table of texts, got {value!r}")
    return dict(value)


_CONV: cattrs.Converter | None = None


def _rules_conv() -> cattrs.Converter:
    global _CONV  # noqa: PLW0603 - built once, on first use
    if _CONV is None:
        conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
        conv.register_structure_hook(str, _str)
        conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _str_tuple)
        conv.register_structure_hook_func(lambda t: t == Mapping[str, str], _str_map)
        conv.register_structure_hook_func(
            lambda t: t == Mapping[str, str | Mapping[str, str]], _values
        )
        _RULE_FN.append(make_dict_structure_fn(ColumnRule, conv))
        conv.register_structure_hook(ColumnRule, _rule_hook)

        def rules(value: Any, _: Any) -> Mapping[str, ColumnRule]:
            if not isinstance(value, Mapping):
                raise TypeError(f"expected a table of columns, got {value!r}")
            out: dict[str, ColumnRule] = {}
            errors: list[Exception] = []
            for k, v in value.items():
                try:
                    out[k] = _rule_hook(v, None)
                except Exception as e:
                    e.__notes__ = [*getattr(e, "__notes__", []), f"@{k}"]
                    errors.append(e)
            if errors:
                raise _KeyedErrors(errors)
            return out

        conv.register_structure_hook_func(lambda t: t == Mapping[str, ColumnRule], rules)
        _CONV = conv
    return _CONV


class _KeyedErrors(Exception):
    """Errors of a table's entries, each noted with its key."""

    def __init__(self, errors: list[Exception]) -> None:
        super().__init__(errors)
        self.errors = errors


def _errors_of(exc: BaseException, path: str) -> list[FieldError]:
    from .._serialization import field_errors

    if isinstance(exc, _KeyedErrors):
        out: list[FieldError] = []
        for e in exc.errors:
            key = next(n[1:] for n in getattr(e, "__notes__", []) if n.startswith("@"))
            out.extend(_errors_of(e, f"{path}.{_key(key)}" if path else _key(key)))
        return out
    if isinstance(exc, cattrs.ClassValidationError):
        out = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            name = getattr(note, "name", "")
            out.extend(_errors_of(sub, f"{path}.{name}" if path else str(name)))
        for sub in without:
            out.extend(_errors_of(sub, path))
        return out
    if isinstance(exc, ValueError | TypeError) and not isinstance(exc, InvalidInput):
        return [FieldError(path, str(exc))]
    return field_errors(exc, path)


def _key(name: str) -> str:
    return name if name.replace("_", "").isalnum() else json.dumps(name, ensure_ascii=False)


def _structure(data: Any, source: str) -> RegisterMapping:
    if not isinstance(data, Mapping):
        raise InvalidInput(source, [FieldError("", f"expected a table, got {data!r}")])
    names = {a.name for a in attrs.fields(RegisterMapping)}
    if data and not set(data) & names:
        data = {"columns": data}  # the plain form: your column names onto vocabulary columns
    try:
        mapping = _rules_conv().structure(dict(data), RegisterMapping)
    except Exception as e:
        raise InvalidInput(source, _errors_of(e, "")) from None
    return validated(_extended(validated(mapping, source)), source)


def validated(mapping: RegisterMapping, source: str = "the mapping") -> RegisterMapping:
    """*mapping*, checked as a mapping file is (vocabulary names, lookups, formats);
    :class:`~sse_model.InvalidInput` lists every problem with its path."""
    problems = _check(mapping)
    if problems:
        raise InvalidInput(source, problems)
    return mapping


def _check(m: RegisterMapping) -> list[FieldError]:
    """What cattrs cannot see: vocabulary names, lookups, separators, formats."""
    out: list[FieldError] = []

    def rule(path: str, r: ColumnRule, *, yearly: bool = False) -> None:
        if r.to is None and r.lookup is None and not r.values:
            out.append(FieldError(path, "expected 'to' (the vocabulary column it sets)"))
        if r.to is not None:
            target = f"finances.{r.to.removeprefix('finances.')}" if yearly else r.to
            if not is_vocabulary(target):
                out.append(FieldError(f"{path}.to", _unknown_target(r.to, yearly)))
        for label, v in r.values.items():
            at = f"{path}.values.{_key(label)}"
            if isinstance(v, str):
                if r.to is None:
                    out.append(
                        FieldError(
                            at, "expected a table of vocabulary columns (the column has no 'to')"
                        )
                    )
                continue
            for target in v:
                if not is_vocabulary(target):
                    out.append(FieldError(f"{at}.{_key(target)}", _unknown_target(target, False)))
        if r.lookup is not None:
            from ._lookups import LOOKUP_NAMES

            if r.lookup not in LOOKUP_NAMES:
                out.append(
                    FieldError(
                        f"{path}.lookup",
                        f"expected one of {', '.join(LOOKUP_NAMES)}, got {r.lookup!r}",
                    )
                )
            elif r.to is None:
                from ._lookups import THIS_COLUMN, lookup

                if THIS_COLUMN in lookup(r.lookup).targets:
                    message = f"expected the vocabulary column the {r.lookup} lookup sets"
                    out.append(FieldError(f"{path}.to", message))
        _check_options(path, r, out)

    for name, r in m.columns.items():
        rule(f"columns.{_key(name)}", r)
    for name in m.set:
        if not is_vocabulary(name):
            out.append(FieldError(f"set.{_key(name)}", _unknown_target(name, False)))
    _check_options("", m, out)
    if m.finances is not None:
        f = m.finances
        for name, r in f.columns.items():
            rule(f"finances.columns.{_key(name)}", r, yearly=True)
        for name, r in f.latest.items():
            rule(f"finances.latest.{_key(name)}", r)
        _check_options("finances", f, out)
    return out


def _check_options(path: str, r: Any, out: list[FieldError]) -> None:
    at = f"{path}." if path else ""
    for fmt in r.date:
        if "%" not in fmt:
            out.append(
                FieldError(
                    f"{at}date", f"expected a strptime format such as '%d/%m/%Y', got {fmt!r}"
                )
            )
    for sep in ("decimal", "thousands"):
        v = getattr(r, sep)
        if v is not None and (len(v) != 1 or v.isdigit()):
            out.append(
                FieldError(f"{at}{sep}", f"expected one character that is not a digit, got {v!r}")
            )
    if r.decimal is not None and r.decimal == r.thousands:
        out.append(FieldError(f"{at}thousands", "expected another separator than the decimal one"))
    currency = getattr(r, "currency", None)
    if currency is not None:
        from .._model._units import ParseError, parse_money

        try:
            parse_money(f"1 {currency}")
        except ParseError:
            out.append(
                FieldError(
                    f"{at}currency", f"expected an ISO 4217 code such as GBP, got {currency!r}"
                )
            )
    locale = getattr(r, "locale", None)
    if locale is not None:
        try:
            import babel

            babel.Locale.parse(locale)
        except (ValueError, TypeError, LookupError):
            out.append(
                FieldError(f"{at}locale", f"expected a locale such as en_GB, got {locale!r}")
            )
        except ImportError:  # pragma: no cover - babel is a dependency
            pass


def _unknown_target(name: str, yearly: bool) -> str:
    names = _vocabulary_names(yearly)
    near = close_matches(name, names)
    hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
    what = "a finances field such as revenue" if yearly else "a vocabulary column"
    return f"expected {what}, got {name!r}{hint}"


def _vocabulary_names(yearly: bool = False) -> list[str]:
    if yearly:
        return [c.field for c in COLUMNS.values() if c.section == "finances"]
    return vocabulary_names()


def builtin_mappings() -> tuple[str, ...]:
    """The names of the built-in mappings (``sea-standard``, ``murmurations``...)."""
    from importlib import resources

    folder = resources.files("sse_model").joinpath("_data/mappings")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


def _builtin(name: str) -> RegisterMapping:
    from importlib import resources

    if name not in builtin_mappings():
        known = ", ".join(builtin_mappings())
        raise InvalidInput(
            "the mapping", [FieldError("extends", f"expected one of {known}, got {name!r}")]
        )
    text = resources.files("sse_model").joinpath(f"_data/mappings/{name}.toml").read_text("utf-8")
    return _structure(tomllib.loads(text), f"built-in mapping {name}")


def _extended(child: RegisterMapping) -> RegisterMapping:
    """*child* on top of the built-in mapping it extends."""
    if child.extends is None:
        return child
    base = _builtin(child.extends)
    options = {
        a.name: getattr(child, a.name)
        if getattr(child, a.name) not in (None, ())
        else getattr(base, a.name)
        for a in attrs.fields(RegisterMapping)
        if a.name not in ("columns", "ignore", "set", "unknown", "extends")
    }
    return RegisterMapping(
        columns={**base.columns, **child.columns},
        ignore=(*base.ignore, *child.ignore),
        set={**base.set, **child.set},
        unknown=(*base.unknown, *child.unknown),
        **options,
    )


def load_mapping(source: str | os.PathLike[str] | Mapping[str, Any]) -> RegisterMapping:
    """Read a mapping file (TOML, or JSON by its extension), a built-in mapping by name
    (:func:`builtin_mappings`: ``"sea-standard"``), or build one from a table.

    A bad file raises :class:`~sse_model.UnreadableInput` (not TOML or JSON) or
    :class:`~sse_model.InvalidInput` listing every problem with its path
    (``columns."Legal Form".lookup: expected one of ...``).
    """
    if isinstance(source, Mapping):
        return _structure(source, "the mapping")
    from .._engine._loader import read_capped

    path = Path(source)
    name = str(path)
    if not path.exists() and str(source) in builtin_mappings():
        return _builtin(str(source))
    if not path.exists():
        raise FileNotFoundError(f"no such mapping file: {path}")
    raw = read_capped(path, MAX_MAPPING_BYTES)
    if isinstance(raw, str):  # not a regular file, or too large: refused unread
        raise UnreadableInput(name, raw)
    try:
        text = raw.decode("utf-8-sig")
        data: Any = (
            json.loads(text, object_pairs_hook=_no_repeated_keys)
            if path.suffix.lower() == ".json"
            else tomllib.loads(text)
        )
    except RecursionError:
        raise UnreadableInput(name, "expected a mapping, found deep nesting") from None
    except (ValueError, UnicodeDecodeError) as e:  # JSON and TOML decode errors too
        raise UnreadableInput(name, f"expected a TOML or JSON mapping, found: {e}") from None
    return _structure(data, name)


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"a key given twice: {', '.join(map(repr, repeated))}")
    return dict(pairs)


def as_mapping(
    columns: RegisterMapping | Mapping[str, str] | str | os.PathLike[str] | None,
) -> RegisterMapping | None:
    """*columns* as the readers take it: a mapping, a path to one, or plain renames."""
    if columns is None or isinstance(columns, RegisterMapping):
        return columns
    if isinstance(columns, str | os.PathLike):
        return load_mapping(columns)
    return None


# --- the JSON Schema -------------------------------------------------------------------


def mapping_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of mapping files, generated from the classes above."""
    rule = _object_schema(ColumnRule)
    rule_or_name = {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/column"}]}
    yearly = _object_schema(YearlyTable, rules=rule_or_name)
    yearly["oneOf"] = [{"required": ["year"]}, {"required": ["year_end"]}]
    top = _object_schema(RegisterMapping, rules=rule_or_name)
    top["properties"]["finances"] = {"$ref": "#/$defs/yearly"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/sse-model/sse-model/mapping.schema.json",
        "title": "sse-model register mapping",
        **top,
        "$defs": {"column": rule, "yearly": yearly},
    }


def _object_schema(cls: type, rules: Mapping[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required = []
    texts = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    table = {"type": "object", "additionalProperties": {"type": "string"}}
    by_type: dict[Any, dict[str, Any]] = {
        Mapping[str, str | Mapping[str, str]]: {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "string"}, table]},
        },
        Mapping[str, ColumnRule]: {"type": "object", "additionalProperties": rules},
        Mapping[str, str]: table,
        tuple[str, ...]: texts,
        str: {"type": "string"},
        str | None: {"type": "string"},
    }
    for a in attrs.fields(attrs.resolve_types(cls)):
        schema = by_type.get(a.type, {})
        props[a.name] = {"description": a.metadata.get("doc", ""), **schema}
        if a.default is attrs.NOTHING:
            required.append(a.name)
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


# --- applying a mapping -----------------------------------------------------------------


def _norm(text: str) -> str:
    """A label as matched: NFKC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@attrs.frozen
class _Column:
    """One column of the register, compiled: what it sets, and how."""

    name: str
    targets: tuple[str, ...]
    read: Callable[[str, str | None], tuple[tuple[str, ...], str | None]]
    #: whether the column names no vocabulary column of its own (a lookup that sets
    #: several, such as essglobal): then it only fills cells no other column gave
    fills: bool = False
    #: the column read by Arrow where it can: (first target's cells, which rows Python
    #: must still read); only for one-target columns
    vector: Callable[[Any], tuple[Any, Any]] | None = None
    #: whether its lookup reads each row's country (read after the other columns)
    by_country: bool = False
    #: labels that matched nothing (distinct text -> rows), for the report
    unmatched: Counter[str] = attrs.field(factory=Counter, eq=False)


class Mapper:
    """A mapping compiled for a run: applies it to headers, rows and tables.

    *yearly* is the long table's pivot (id -> cells), built by :func:`read_yearly`.
    Each column of the register sets its vocabulary column (``to``, or a lookup's first
    target); a lookup's other targets (the family an ESSGlobal term implies) and the
    mapping's constant cells (``set``) only fill cells no column gave.
    """

    def __init__(self, mapping: RegisterMapping, yearly: Yearly | None = None) -> None:
        self.mapping = mapping
        self.yearly = yearly
        self._plans: dict[tuple[str, ...], list[_Column]] = {}
        self._columns: dict[str, _Column] = {}
        self._rules = dict(mapping.columns)
        #: cells every row gets where no column gave them: the mapping's ``set``, and
        #: its currency (the currency of the bare amounts the mapping writes)
        self._constants = dict(mapping.set)
        if mapping.currency is not None:
            self._constants.setdefault("currency", mapping.currency)

    # headers -----------------------------------------------------------------------
    def header(self, names: Sequence[str], source: str) -> None:
        """Refuse a table's header (before any row is read): columns the mapping
        neither maps nor ignores and the vocabulary does not know, columns the mapping
        names that the header lacks (:class:`~sse_model.ColumnsNotMapped`), and two
        columns setting one vocabulary column."""
        from ._flat import MappedNames, _check_header, check_column_conflicts

        names = list(names)
        unknown = self._unknown(names)
        unused = [k for k in self._rules if k not in names]
        if unknown or unused:
            raise ColumnsNotMapped(source, unknown, unused)
        _check_header(source, list(names), MappedNames())
        firsts: dict[str, str] = {}
        for col in self._plan(names):
            if col.fills:
                continue
            other = firsts.setdefault(col.targets[0], col.name)
            if other != col.name:
                raise UnreadableInput(
                    source,
                    f"expected each vocabulary column set by one column, found "
                    f"{col.targets[0]!r} set by {other!r} and {col.name!r}",
                    line=1,
                    hint="map or ignore one of them",
                )
        check_column_conflicts(source, list(firsts), {})

    def unknown_keys(self, names: Iterable[str]) -> tuple[FieldError, ...]:
        """The errors of a record's keys the mapping neither maps nor ignores and the
        vocabulary does not know (records have no header: each is checked alone)."""
        return tuple(
            FieldError(
                name,
                "expected a key the mapping maps or ignores, or a vocabulary column, got "
                f"{name!r}" + (f"; did you mean {', '.join(map(repr, near))}?" if near else ""),
            )
            for name, near in self._unknown(list(names)).items()
        )

    def _unknown(self, names: list[str]) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for n in names:
            if n in self._rules or is_vocabulary(n) or self._ignored(n):
                continue
            pool = [*vocabulary_names(), *(k for k in self._rules if k not in names)]
            out[n] = close_matches(n, pool)
        return out

    def _ignored(self, name: str) -> bool:
        """Whether *name* is ignored: it matches an ``ignore`` pattern and the mapping
        does not map it (a column the mapping names is always read)."""
        return name not in self._rules and any(
            fnmatch.fnmatchcase(name, p) for p in self.mapping.ignore
        )

    def _plan(self, names: Sequence[str]) -> list[_Column]:
        key = tuple(names)
        plan = self._plans.get(key)
        if plan is None:
            plan = [self._column(n) for n in names if not self._ignored(n)]
            self._plans[key] = plan
        return plan

    def _column(self, name: str) -> _Column:
        col = self._columns.get(name)
        if col is None:
            rule = self._rules.get(name)
            if rule is None:  # a vocabulary column: placeholders and formats only
                rule = ColumnRule(to=name)
            col = self._columns[name] = _compile(name, rule, self.mapping)
        return col

    # rows --------------------------------------------------------------------------
    def cells(
        self, cells: Mapping[str | None, str | None]
    ) -> tuple[dict[str | None, str | None], tuple[FieldError, ...]]:
        """A row's cells in the vocabulary, and the errors of cells it cannot read."""
        out: dict[str | None, str | None] = {}
        fill: list[tuple[str, str]] = []
        errors: list[FieldError] = []
        plan = self._plan([n for n in cells if n is not None])
        # columns whose lookup reads the row's country come after the others
        for col in sorted(plan, key=lambda c: c.by_country):
            where = None
            if col.by_country:
                where = out.get("country") or self._constants.get("country") or None
            value = cells.get(col.name)
            got, problem = col.read("" if value is None else value, where)
            first = 1 if not col.fills else 0
            if first:
                out[col.targets[0]] = got[0]
            fill.extend(zip(col.targets[first:], got[first:], strict=True))
            if problem is not None:
                errors.append(FieldError(col.targets[0], problem))
                col.unmatched[(value or "").strip()] += 1
        for target, text in [*fill, *self._constants.items()]:
            if not out.get(target):
                out[target] = text
        if None in cells:  # cells beyond the header: the reader's own error
            out[None] = cells[None]
        if self.yearly is not None:
            self.yearly.join_cells(out, errors)
        return out, tuple(errors)

    # tables --------------------------------------------------------------------------
    def table(self, table: Any) -> Any:
        """An Arrow table of text columns (as the register names them) in the
        vocabulary, as a :class:`~._typed.TextTable` whose problems are the cells
        the mapping cannot read (the same cells and errors as :meth:`cells`)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        from ._typed import TextTable

        n = table.num_rows
        firsts: dict[str, Any] = {}
        fill: list[tuple[str, Any]] = []
        problems: dict[int, list[FieldError]] = {}
        plan = self._plan(table.column_names)

        def emit(
            col: _Column, codes: Any, results: list[Any], texts: list[str], rows: Any, fast: Any
        ) -> None:
            """The cells Python read (per distinct key: *codes*), into the columns."""
            for j, target in enumerate(col.targets):
                values = pa.array([r[0][j] or None for r in results], pa.string())
                mapped = values.take(pa.array(codes)) if len(codes) else values.slice(0, 0)
                if fast is not None:  # the rows Python read, into the column Arrow read
                    mapped = _scatter(fast, rows, mapped)
                if j == 0 and not col.fills:
                    firsts[target] = mapped
                else:
                    fill.append((target, mapped))
            bad = [k for k, r in enumerate(results) if r[1] is not None]
            if bad:
                counts = np.bincount(codes, minlength=len(results))
                for k in bad:
                    col.unmatched[texts[k].strip()] += int(counts[k])
                where = rows if fast is not None else np.arange(len(codes))
                for i in np.flatnonzero(np.isin(codes, bad)).tolist():
                    message = results[codes[i]][1]
                    assert message is not None
                    problems.setdefault(int(where[i]), []).append(
                        FieldError(col.targets[0], message)
                    )

        def distinct(arr: Any) -> tuple[list[str], Any]:
            encoded = pc.dictionary_encode(pc.fill_null(arr, ""))
            return encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False)

        for col in (c for c in plan if not c.by_country):
            arr = table.column(col.name).combine_chunks()
            fast = rows = None
            if col.vector is not None:  # Arrow reads what it can; Python the rest
                fast, todo = col.vector(arr)
                rows = np.flatnonzero(todo.to_numpy(zero_copy_only=False))
                if not len(rows):
                    firsts.setdefault(col.targets[0], fast)
                    continue
                arr = arr.take(pa.array(rows))
            texts, codes = distinct(arr)
            emit(col, codes, [col.read(u, None) for u in texts], texts, rows, fast)
        # lookups that read each row's country, once per distinct (country, text)
        country = firsts.get("country")
        default = self._constants.get("country") or None
        for col in (c for c in plan if c.by_country):
            texts, text_codes = distinct(table.column(col.name).combine_chunks())
            if country is None:
                places: list[str | None] = [default]
                place_codes = np.zeros(n, dtype=np.int64)
            else:
                encoded = pc.dictionary_encode(country)
                places = [p or default for p in encoded.dictionary.to_pylist()] + [default]
                place_codes = pc.fill_null(encoded.indices, len(places) - 1).to_numpy(
                    zero_copy_only=False
                )
            pairs = place_codes.astype(np.int64) * max(len(texts), 1) + text_codes
            keys, codes = np.unique(pairs, return_inverse=True)
            width = max(len(texts), 1)
            key_texts = [texts[int(k) % width] for k in keys]
            results = [
                col.read(t, places[int(k) // width]) for t, k in zip(key_texts, keys, strict=True)
            ]
            emit(col, codes.reshape(-1), results, key_texts, None, None)
        columns = dict(firsts)
        for target, v in [
            *fill,
            *((k, pa.array([v] * n, pa.string())) for k, v in self._constants.items()),
        ]:
            columns[target] = pc.coalesce(columns[target], v) if target in columns else v
        out = pa.table(columns) if columns else pa.table({"id": pa.nulls(n, pa.string())})
        if self.yearly is not None:
            out = self.yearly.join_table(out, problems)
        return TextTable(out, {i: tuple(e) for i, e in sorted(problems.items())})

    # the report --------------------------------------------------------------------
    def unmatched(self) -> list[tuple[str, str, int, tuple[str, ...]]]:
        """Cells the mapping could not read, once each: (column, text, rows, close
        matches), most frequent first per column."""
        out = [
            (col.name, text, k, _suggest(self._rules.get(col.name), text))
            for col in self._columns.values()
            for text, k in col.unmatched.items()
        ]
        return sorted(out, key=lambda x: (x[0], -x[2], x[1]))


def _suggest(rule: ColumnRule | None, text: str) -> tuple[str, ...]:
    if rule is None:
        return ()
    pool = list(rule.values)
    near = list(close_matches(text, pool))
    if rule.lookup is not None:
        from ._lookups import lookup

        near = [*near, *lookup(rule.lookup).suggest(text)]
    return tuple(dict.fromkeys(near))[:3]


# --- reading one cell -------------------------------------------------------------------


def _option(name: str, rule: ColumnRule, *outer: Any) -> Any:
    v = getattr(rule, name)
    for o in outer:
        if v not in (None, ()):
            break
        v = getattr(o, name, None)
    return v


def _compile(name: str, rule: ColumnRule, *outer: Any) -> _Column:
    """The function that reads one column's cells (memoised per distinct text)."""
    unknown = {_norm(u) for o in (rule, *outer) for u in getattr(o, "unknown", ())}
    values: dict[str, Mapping[str, str]] = {}
    extra: dict[str, None] = {}
    for k, v in rule.values.items():
        if isinstance(v, str):
            if rule.to is None:
                raise ValueError(f"column {name!r}: a value without 'to' must be a table")
            v = {rule.to: v}  # noqa: PLW2901 - one cell
        values[_norm(k)] = v
        extra.update(dict.fromkeys(t for t in v if t != rule.to))
    lookup_ = None
    if rule.lookup is not None:
        from ._lookups import lookup

        lookup_ = lookup(rule.lookup)
    from ._lookups import THIS_COLUMN

    # a lookup whose target is "this column" (yes-no) sets the column's own vocabulary column
    own = {THIS_COLUMN: rule.to} if rule.to else {}
    looked = tuple(own.get(t, t) for t in (lookup_.targets if lookup_ else ()))
    if THIS_COLUMN in looked:
        raise ValueError(f"column {name!r}: the {rule.lookup} lookup needs 'to'")
    found = (*((rule.to,) if rule.to else ()), *extra, *looked)
    targets: tuple[str, ...] = tuple(dict.fromkeys(found))
    main = targets[0] if targets else name
    col = column_of(main)
    kind = col.spec.kind if col is not None else Kind.TEXT
    unit = _UNIT.match(main)
    formats = _option("date", rule, *outer)
    decimal = _option("decimal", rule, *outer)
    thousands = _option("thousands", rule, *outer)
    locale = _option("locale", rule, *outer)
    currency = _option("currency", rule, *outer)
    country = _option("country", rule, *outer)
    file_currency = getattr(outer[-1], "currency", None) if outer else None
    split = rule.split
    memo: dict[tuple[str, str | None], tuple[tuple[str, ...], str | None]] = {}
    blank = ("",) * len(targets)
    # a lookup with no country of the mapping reads each row's own country
    by_country = lookup_ is not None and country is None

    number = (
        unit is None
        and (kind in MONEY_KINDS or kind in _NUMBERS)
        and bool(decimal or thousands or locale or currency)
    )

    def one(text: str, original: str, where: str | None) -> tuple[tuple[str, ...], str | None]:
        """*text* (stripped) read; a text nothing transforms is *original*, unchanged."""
        key = _norm(text)
        if key in values:
            return _place(targets, values[key]), None
        if lookup_ is not None:
            got = lookup_.get(text, country=country or where)
            if got is not None and THIS_COLUMN in got and rule.to:
                got = {own.get(k, k): v for k, v in got.items()}
            if got is None:
                return (text, *blank[1:]), (
                    f"expected a label the mapping's values or the {lookup_.name} lookup "
                    f"knows (column {name!r}), got {text!r}"
                )
            return _place(targets, got), None
        if kind is Kind.DATE and formats:
            return (_date(text, formats), *blank[1:]), None
        if number:
            amount = _amount(text, kind, decimal, thousands, locale, currency, file_currency)
            return (amount, *blank[1:]), None
        return (original, *blank[1:]), None

    def read(text: str, where: str | None = None) -> tuple[tuple[str, ...], str | None]:
        """A cell's text read (*where*: the row's country, for a lookup that needs one)."""
        key = (text, where if by_country else None)
        got = memo.get(key)
        if got is not None:
            return got
        stripped = text.strip()
        if not stripped or _norm(stripped) in unknown:
            got = (blank, None)
        else:
            try:
                if split is not None:
                    parts = [p.strip() for p in stripped.split(split) if p.strip()]
                    read_parts = [one(p, p, where) for p in parts if _norm(p) not in unknown]
                    problem = next((r[1] for r in read_parts if r[1]), None)
                    got = (
                        tuple(
                            ";".join(dict.fromkeys(r[0][j] for r in read_parts if r[0][j]))
                            for j in range(len(targets))
                        ),
                        problem,
                    )
                else:
                    got = one(stripped, text, where)
            except _CellError as e:
                got = ((stripped, *blank[1:]), f"{e} (column {name!r})")
        if len(memo) < _MEMO:
            memo[key] = got
        return got

    if not targets:
        raise ValueError(f"column {name!r} sets no vocabulary column")
    # what a whole column can do without Python per cell (the same cells as read gives)
    vector: Callable[[Any], tuple[Any, Any]] | None = None
    transforms = bool(values or lookup_ or split or (kind is Kind.DATE and formats))
    if len(targets) == 1 and not transforms:
        if number:
            money = kind in MONEY_KINDS and (currency or file_currency) != file_currency
            vector = _number_vector(
                decimal, thousands, locale, currency if money else None, unknown
            )
        else:
            vector = _text_vector(unknown)
    return _Column(
        name, targets, read, fills=rule.to is None, vector=vector, by_country=by_country
    )


def _scatter(base: Any, rows: Any, values: Any) -> Any:
    """*base* with its cells at *rows* replaced by *values* (in order)."""
    import numpy as np
    import pyarrow as pa

    index = np.full(len(base), -1, dtype=np.int64)
    index[rows] = np.arange(len(rows))
    take = pa.array(index, mask=index < 0)
    taken = values.take(take)
    import pyarrow.compute as pc

    return pc.if_else(pc.is_valid(take), taken, base)


def _blank_to_null(arr: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


#: the characters Python's ``str.strip`` and ``str.split`` take for white space, as an
#: RE2 class (Arrow's own notion of white space differs)
_SPACE = (
    "[\t\n\x0b\x0c\r\x1c-\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
    "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]"
)


def _maybe_placeholder(arr: Any, unknown: set[str]) -> Any:
    """Per cell, whether Python must read it because it may be blank or a placeholder:
    a cell that is not ASCII (Python normalises it), or an ASCII cell whose text, white
    space collapsed, trimmed and lower-cased (what NFKC and case-folding do to ASCII), is
    blank or a placeholder."""
    import pyarrow as pa
    import pyarrow.compute as pc

    collapsed = pc.replace_substring_regex(arr, f"{_SPACE}+", " ")
    key = pc.ascii_lower(pc.utf8_trim(collapsed, " "))
    hit = pc.is_in(key, value_set=pa.array(sorted({*unknown, ""}), pa.string()))
    return pc.fill_null(pc.or_(pc.invert(pc.string_is_ascii(arr)), hit), True)


def _text_vector(unknown: set[str]) -> Callable[[Any], tuple[Any, Any]]:
    """Cells passed through: only blank ones (and placeholders, read in Python) change."""

    def vector(arr: Any) -> tuple[Any, Any]:
        import pyarrow.compute as pc

        if unknown:
            todo = _maybe_placeholder(arr, unknown)
        else:
            todo = pc.fill_null(pc.match_substring_regex(arr, f"^{_SPACE}+$"), False)
        return _blank_to_null(arr), todo

    return vector


#: amounts and numbers the fast path reads without a locale library: plain digits, or
#: digits grouped by three with the mapping's thousands separator (both as read() reads)
_PLAIN_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"


def _grouped(thousands: str, decimal: str) -> str:
    import re

    t, d = re.escape(thousands), re.escape(decimal)
    return rf"^-?[0-9]{{1,3}}({t}[0-9]{{3}})+({d}[0-9]+)?$"


def _number_vector(
    decimal: str | None,
    thousands: str | None,
    locale: str | None,
    currency: str | None,
    unknown: set[str],
) -> Callable[[Any], tuple[Any, Any]]:
    """Numbers whose text is plain (or grouped by the mapping's separators, with no
    locale) are read by Arrow, with *currency* written after an amount (one not in the
    file's currency); every other cell, and a placeholder that looks like a number, by
    Python."""
    import re

    numeric = [
        u
        for u in unknown
        if re.fullmatch(_PLAIN_NUMBER, u)
        or (thousands is not None and re.fullmatch(_grouped(thousands, decimal or "."), u))
    ]

    def vector(arr: Any) -> tuple[Any, Any]:
        import pyarrow as pa
        import pyarrow.compute as pc

        plain = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_NUMBER), False)
        out = arr
        done = plain
        if decimal is not None and decimal != ".":
            plain = pc.and_(plain, pa.scalar(False))  # "1.5" is no plain number here
            done = plain
        if thousands is not None and locale is None:
            d = decimal or "."
            grouped = pc.fill_null(pc.match_substring_regex(arr, _grouped(thousands, d)), False)
            cleaned = pc.replace_substring(arr, thousands, "")
            if d != ".":
                cleaned = pc.replace_substring(cleaned, d, ".")
            out = pc.if_else(grouped, cleaned, out)
            done = pc.or_(done, grouped)
        if numeric:
            done = pc.and_(done, pc.invert(pc.is_in(arr, value_set=pa.array(numeric))))
        if currency is not None:
            out = pc.binary_join_element_wise(out, pa.scalar(currency), " ")
        return pc.if_else(done, out, pa.scalar(None, pa.string())), pc.invert(done)

    return vector


_MEMO = 1 << 16
_NUMBERS = frozenset({Kind.COUNT, Kind.SHARE, Kind.RATE, Kind.HOURS, Kind.YEAR})


class _CellError(ValueError):
    """A cell the mapping's formats cannot read."""


def _place(targets: tuple[str, ...], got: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(got.get(t, "") for t in targets)


def _date(text: str, formats: Sequence[str]) -> str:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    shown = " or ".join(repr(f) for f in formats)
    raise _CellError(f"expected a date written as {shown}, got {text[:60]!r}")


def _amount(
    text: str,
    kind: Kind,
    decimal: str | None,
    thousands: str | None,
    locale: str | None,
    currency: str | None,
    file_currency: str | None,
) -> str:
    """An amount as the flat reader reads it: bare in the file's currency (the
    ``currency`` column the mapping sets), else with its currency code."""
    import re

    from ._lookups import parse_amount

    found: str | None = None
    if re.fullmatch(_PLAIN_NUMBER, text) and (decimal is None or decimal == "."):
        amount = text  # as the fast path reads it
    elif (
        thousands is not None
        and locale is None
        and re.fullmatch(_grouped(thousands, decimal or "."), text)
    ):
        amount = text.replace(thousands, "").replace(decimal or ".", ".")
    else:
        try:
            amount, found = parse_amount(text, locale=locale, decimal=decimal, thousands=thousands)
            amount = str(amount)
        except ValueError as e:
            raise _CellError(str(e)) from None
    if found is not None and currency is not None and found != currency:
        raise _CellError(
            f"expected an amount in {currency} (the mapping's currency), got {text[:60]!r}"
        )
    if kind not in MONEY_KINDS:
        if found is not None:
            raise _CellError(f"expected a number without a currency, got {text[:60]!r}")
        return amount
    code = found or currency
    return f"{amount} {code}" if code and code != file_currency else amount


# --- the long table of yearly figures -------------------------------------------------

#: a fiscal year ending on one of the first days of January is a 52- or 53-week year
#: of the year before (IAS 1, para. 36: periods of 52 weeks that end on a given weekday)
JANUARY_DAYS_OF_THE_YEAR_BEFORE = 7


def _year_of_end(iso: str) -> int:
    """The fiscal year of accounts ending on *iso*: the calendar year they end in, except
    that a 52/53-week year ending in the first week of January belongs to the year before."""
    year, month, day = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    if month == 1 and day <= JANUARY_DAYS_OF_THE_YEAR_BEFORE:
        return year - 1
    return year


@attrs.define
class Yearly:
    """A long table pivoted: per organisation id, its yearly cells
    (``finances.<year>.<field>``) and its latest-year facts; and what did not join."""

    source: str
    cells: dict[str, dict[str, str]]
    #: per id, the problems of its yearly rows (contradicting duplicates, bad cells)
    problems: dict[str, list[FieldError]]
    #: per id, the rows of the long table it came from (for ids no organisation has)
    rows: dict[str, list[int]]
    names: list[str]
    joined: set[str] = attrs.field(factory=set)
    _arrow: Any = None

    def join_cells(self, out: dict[str | None, str | None], errors: list[FieldError]) -> None:
        ident = (out.get("id") or "").strip()
        got = self.cells.get(ident)
        if got is None:
            return
        self.joined.add(ident)
        for k, v in got.items():
            if not out.get(k):
                out[k] = v
        errors.extend(self.problems.get(ident, ()))

    def join_table(self, table: Any, problems: dict[int, list[FieldError]]) -> Any:
        import pyarrow as pa
        import pyarrow.compute as pc

        if "id" not in table.column_names or not self.names:
            return table
        if self._arrow is None:
            ids = list(self.cells)
            cols = {
                name: pa.array([self.cells[i].get(name) for i in ids], pa.string())
                for name in self.names
            }
            self._arrow = (pa.array(ids, pa.string()), cols)
        ids, cols = self._arrow
        keys = pc.utf8_trim_whitespace(table.column("id"))
        where = pc.index_in(keys, value_set=ids)
        found = pc.unique(pc.filter(keys, pc.is_valid(where))).to_pylist()
        self.joined.update(found)
        for name, arr in cols.items():
            add = arr.take(where)
            if name in table.column_names:
                i = table.column_names.index(name)
                table = table.set_column(i, name, pc.coalesce(table.column(name), add))
            else:
                table = table.append_column(name, add)
        if self.problems:
            for i, k in enumerate(keys.to_pylist()):
                if k in self.problems:
                    problems.setdefault(i, []).extend(self.problems[k])
        return table

    def not_joined(self) -> dict[str, list[int]]:
        """The ids of the long table no organisation had, with their rows."""
        return {i: r for i, r in self.rows.items() if i not in self.joined}


def _json_rows(path: Path, fmt: str, encoding: str) -> Iterator[Any]:
    """The records of a JSON Lines or JSON file as flat rows (nested keys dotted)."""
    from ._flat import Row
    from ._readers import Nested, _flat_cells, _json_item, _json_items, _jsonl_items

    items = _jsonl_items(path, encoding) if fmt == "jsonl" else _json_items(path, encoding)
    for n, data, line in items:
        got = _json_item(n, data, line)
        yield Row(n, _flat_cells(got.data)[0]) if isinstance(got, Nested) else got


def read_yearly(
    source: Any, mapping: RegisterMapping, *, encoding: str = "utf-8", delimiter: str | None = None
) -> Yearly:
    """Read and pivot the long table of yearly figures *source* (a path or a table),
    as the mapping's ``finances`` table says."""
    from ._flat import RejectedRow
    from ._readers import _csv_rows, format_of

    spec = mapping.finances
    if spec is None:
        raise ValueError("the mapping has no 'finances' table (how the yearly figures join)")
    name = str(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"no such file of yearly figures: {path}")
        fmt = format_of(path)
        if fmt in ("csv", "tsv"):
            rows: Iterable[Any] = _csv_rows(
                path, encoding, delimiter or ("\t" if fmt == "tsv" else ","), MappedNames()
            )
        elif fmt in ("jsonl", "json"):
            rows = _json_rows(path, fmt, encoding)
        elif fmt == "xlsx":
            from ._readers import _excel_rows

            rows = _excel_rows(path, None, MappedNames())
        else:
            from ._readers import _parquet_rows

            rows = _parquet_rows(path, MappedNames(), None)
    else:
        from ._readers import _arrow_rows, _pandas_rows, _polars_rows

        module = type(source).__module__.split(".")[0]
        reader = {"pandas": _pandas_rows, "polars": _polars_rows, "pyarrow": _arrow_rows}
        if module not in reader:
            raise TypeError(
                "expected the yearly figures as a path or a pandas, polars or Arrow table, "
                f"got {type(source).__name__}"
            )
        rows = reader[module](source, MappedNames(), None)
    yearly_cols = {
        k: attrs.evolve(r, to=f"finances.{(r.to or '').removeprefix('finances.')}")
        for k, r in spec.columns.items()
    }
    comp = {k: _compile(k, r, spec, mapping) for k, r in yearly_cols.items()}
    latest = {k: _compile(k, r, spec, mapping) for k, r in spec.latest.items()}
    year_col = spec.year or spec.year_end
    assert year_col is not None
    formats = spec.date or mapping.date or ("%Y-%m-%d",)
    known = {spec.id, year_col, *spec.columns, *spec.latest}
    by_id: dict[str, dict[int, tuple[int, dict[str, str]]]] = {}
    problems: dict[str, list[FieldError]] = {}
    ids_rows: dict[str, list[int]] = {}
    checked = False
    for row in rows:
        if isinstance(row, RejectedRow):
            raise UnreadableInput(name, f"row {row.number}: " + "; ".join(map(str, row.errors)))
        cells = row.cells
        if not checked:
            header = [k for k in cells if k is not None]
            unknown = {
                k: close_matches(k, known)
                for k in header
                if k not in known and not any(fnmatch.fnmatchcase(k, p) for p in spec.ignore)
            }
            unused = [k for k in sorted(known) if k not in header]
            if unknown or unused:
                raise ColumnsNotMapped(name, unknown, unused)
            checked = True
        ident = (cells.get(spec.id) or "").strip()
        if not ident:
            raise UnreadableInput(
                name, f"row {row.number}: expected an organisation id in {spec.id!r}, found none"
            )
        ids_rows.setdefault(ident, []).append(row.number)
        raw_year = (cells.get(year_col) or "").strip()
        year_text = raw_year
        if spec.year_end is not None:
            try:
                year_text = str(_year_of_end(_date(raw_year, formats)))
            except _CellError:
                year_text = ""
        if not (year_text.isdigit() and len(year_text) == 4):
            problems.setdefault(ident, []).append(
                FieldError(
                    "finances",
                    f"expected a fiscal year in {year_col!r} of {name} row {row.number}, "
                    f"got {raw_year[:40]!r}",
                )
            )
            continue
        year = int(year_text)
        got: dict[str, str] = {}
        for k, col in comp.items():
            (text,), problem = col.read(cells.get(k) or "", None)
            field = f"finances.{year}.{col.targets[0].removeprefix('finances.')}"
            if problem is not None:
                problems.setdefault(ident, []).append(
                    FieldError(field, f"{problem} ({name} row {row.number})")
                )
            if text:
                got[field] = text
        for k, col in latest.items():
            (text, *_), problem = col.read(cells.get(k) or "", None)
            if problem is not None:
                problems.setdefault(ident, []).append(
                    FieldError(col.targets[0], f"{problem} ({name} row {row.number})")
                )
            got[f"\0{col.targets[0]}"] = text
        years = by_id.setdefault(ident, {})
        prev = years.get(year)
        if prev is not None and {k: v for k, v in prev[1].items() if not k.startswith("\0")} != {
            k: v for k, v in got.items() if not k.startswith("\0")
        }:
            problems.setdefault(ident, []).append(
                FieldError(
                    f"finances.{year}",
                    f"expected one set of figures per fiscal year, got two that differ "
                    f"({name} rows {prev[0]} and {row.number})",
                )
            )
            continue
        if prev is None:
            years[year] = (row.number, got)
    pivot: dict[str, dict[str, str]] = {}
    names: dict[str, None] = {}
    for ident, years in by_id.items():
        cells_: dict[str, str] = {}
        last = max(years) if years else None
        for year, (_, got) in sorted(years.items()):
            for k, v in got.items():
                if k.startswith("\0"):
                    if year == last and v:
                        cells_[k[1:]] = v
                else:
                    cells_[k] = v
        pivot[ident] = cells_
        names.update(dict.fromkeys(cells_))
    for ident in problems:
        pivot.setdefault(ident, {})
    return Yearly(name, pivot, problems, ids_rows, sorted(names))
