"""The library's one cattrs converter: lossless JSON for every model type.

Input is parsed and validated here, once: quantities become exact plain numbers,
codes are checked, and every problem is collected with its field path into one
:class:`~sse_model.InvalidInput`.
"""

from __future__ import annotations

import enum
import json
import re
import threading
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from fractions import Fraction
from typing import Any, TypeVar, get_args

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from ._errors import FieldError, InvalidInput
from ._model._organisation import FiscalYear, Organisation
from ._model._units import (
    Hours,
    Money,
    ParseError,
    format_fraction,
    parse_count,
    parse_hours,
    parse_money,
    parse_ratio,
    show,
)

__all__ = [
    "field_errors",
    "format_fraction",
    "from_json",
    "make_converter",
    "structure",
    "to_json",
    "unstructure",
]

T = TypeVar("T")

#: Longest string accepted in a text field (names, ids, codes), in characters.
MAX_STRING = 10_000
#: Most digits in a JSON integer (Python's own limit for converting text to int)
MAX_JSON_DIGITS = 4_300
_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_message(char: str) -> str:
    """What is wrong with a lone UTF-16 surrogate (``"\\ud800"`` in JSON) in text."""
    return (
        f"expected text without lone UTF-16 surrogates, got {char!r} (it cannot be "
        "written as UTF-8)"
    )


def _strict_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise ParseError(f"expected true or false, got {value!r}")


def _strict_str(value: object, _: type) -> str:
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ParseError(
                f"expected a string of at most {MAX_STRING} characters, got {len(value)}"
            )
        if not value.isascii() and (bad := _SURROGATE.search(value)):
            raise ParseError(surrogate_message(bad.group()))
        return value
    raise ParseError(f"expected a string, got {show(value)}")


def _date(value: object, _: type) -> date:
    if isinstance(value, datetime):  # a timestamp (also pandas'), as a typed cell reads
        if value.time() == time(0) and not getattr(value, "nanosecond", 0):
            return value.date()
        raise ParseError(f"expected a date such as '2024-07-01', got {show(value.isoformat())}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ParseError(f"expected a date such as '2024-07-01', got {show(value)}")


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    def structure_enum(value: object, _: type) -> enum.Enum:
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(repr(m.value) for m in cls)
            raise ParseError(f"expected one of {choices}, got {show(value)}") from None

    return structure_enum


class _NoYear(int):
    """The position of a listed fiscal year that does not say its year."""

    def __repr__(self) -> str:
        return f"#{int(self)}"

    __str__ = __repr__


def _finances_structure(
    conv: cattrs.Converter,
) -> Callable[[object, type], tuple[FiscalYear, ...]]:
    def structure_finances(value: object, _: type) -> tuple[FiscalYear, ...]:
        if isinstance(value, Mapping):
            items = list(value.items())
        elif isinstance(value, list | tuple):
            items = [
                (fy["year"] if isinstance(fy, Mapping) and "year" in fy else _NoYear(i), fy)
                for i, fy in enumerate(value)
            ]
        else:
            raise ParseError(f"expected a mapping of year to accounts, got {show(value)}")
        years: list[FiscalYear] = []
        errors: list[Exception] = []
        for key, raw in items:
            try:
                if isinstance(key, _NoYear):
                    raise ParseError("expected the accounts of one year with their 'year'")
                year = parse_count(key)
                if not isinstance(raw, Mapping):
                    raise ParseError(f"expected the accounts of one year, got {show(raw)}")
                if "year" in raw and raw["year"] != year and raw["year"] != key:
                    raise ParseError(
                        f"expected year {year} (the key of these accounts), "
                        f"got year = {show(raw['year'])}"
                    )
                years.append(conv.structure({**raw, "year": year}, FiscalYear))
            except Exception as e:
                e.__notes__ = [
                    *getattr(e, "__notes__", []),
                    IterableValidationNote(f"year {key}", key, FiscalYear),
                ]
                errors.append(e)
        if errors:
            raise IterableValidationError("invalid finances", errors, tuple)
        return tuple(years)

    return structure_finances


def _finances_unstructure(conv: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    """Fiscal years as an object keyed by year (each year's fields without ``year``)."""
    year: list[Callable[[Any], Any]] = []

    def unstructure_finances(value: Any) -> dict[str, Any]:
        if not year:  # generated on first use (a race builds it twice, harmlessly)
            year.append(
                make_dict_unstructure_fn(
                    FiscalYear,
                    conv,
                    _cattrs_omit_if_default=True,
                    year=cattrs.gen.override(omit=True),
                )
            )
        fn = year[0]
        return {str(fy.year): fn(fy) for fy in value}

    return unstructure_finances


def make_converter() -> cattrs.Converter:
    """Build a converter configured like the library's own.

    The library keeps one instance privately; call this to get an independent copy
    to extend in your own program.
    """
    from . import _model

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(int, lambda v, _: parse_count(v))
    conv.register_structure_hook(Fraction, lambda v, _: parse_ratio(v))
    conv.register_unstructure_hook(Fraction, format_fraction)
    conv.register_structure_hook(Hours, lambda v, _: Hours(parse_hours(v)))
    conv.register_unstructure_hook(Hours, lambda v: f"{format_fraction(v)} h")
    conv.register_structure_hook(Money, lambda v, _: parse_money(v))
    conv.register_unstructure_hook(Money, str)
    conv.register_structure_hook(date, _date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    conv.register_unstructure_hook_factory(
        lambda t: getattr(t, "__origin__", None) is frozenset,
        lambda t: lambda v: sorted(conv.unstructure(x) for x in v),
    )
    fy_tuple = tuple[FiscalYear, ...]
    conv.register_structure_hook_func(lambda t: t == fy_tuple, _finances_structure(conv))
    conv.register_unstructure_hook_func(lambda t: t == fy_tuple, _finances_unstructure(conv))
    # each model class's functions are generated when first used (a first classification
    # structures one organisation and unstructures nothing): about 15 ms of a cold start
    model = frozenset(_model.MODEL_TYPES)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and t in model,
        lambda cls: _object_hook(cls, conv),
    )
    conv.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and t in model,
        lambda cls: make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True),
    )
    return conv


def _object_hook(cls: type, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Check that a model value comes as a mapping before cattrs reads its keys.

    cattrs' function for *cls* is generated on the first value structured, not when a
    class holding *cls* gets its own: an organisation with only a purpose generates the
    functions of two classes, not of eleven (about 15 ms of a cold start).
    """
    made: list[Callable[[Any, Any], Any]] = []

    def structure_object(value: Any, t: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ParseError(
                f"expected an object with the fields of {cls.__name__}, got {show(value)}"
            )
        if not made:  # (two threads may both generate it: the same function, harmlessly)
            made.append(make_dict_structure_fn(cls, conv))
        return made[0](value, t)

    return structure_object


_converter: cattrs.Converter | None = None
_converter_lock = threading.Lock()


def _conv() -> cattrs.Converter:
    global _converter  # noqa: PLW0603 - built once, on first use
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                _converter = make_converter()
    return _converter


def _message(exc: BaseException) -> str:
    if isinstance(exc, ParseError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s) {', '.join(sorted(exc.extra_fields))}; they are not ignored"
    if isinstance(exc, TypeError) and "argument" in str(exc):
        return f"invalid value ({exc})"
    return f"invalid value ({type(exc).__name__}: {exc})"


def _join(path: str, part: str) -> str:
    if part.startswith("["):
        return path + part
    return f"{path}.{part}" if path else part


def field_errors(exc: BaseException, path: str = "") -> list[FieldError]:
    """Flatten cattrs' validation errors into field errors with readable paths."""
    out: list[FieldError] = []
    if isinstance(exc, InvalidInput):
        out.extend(
            FieldError(_join(path, e.path) if e.path else path, e.message) for e in exc.errors
        )
    elif isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                out.extend(field_errors(sub, _join(path, note.name)))
            elif isinstance(note, IterableValidationNote):
                out.extend(field_errors(sub, f"{path}[{note.index}]"))
        for sub in without:
            out.extend(field_errors(sub, path))
    elif isinstance(exc, ExceptionGroup):
        for sub in exc.exceptions:
            out.extend(field_errors(sub, path))
    else:
        out.append(FieldError(path, _message(exc)))
    return out


def structure(data: Any, cls: type[T]) -> T:
    """Build a model value from plain data (as parsed from JSON), validating everything.

    Raises :class:`~sse_model.InvalidInput` listing every problem with its path.
    """
    try:
        return _conv().structure(data, cls)
    except RecursionError:
        raise InvalidInput(
            _describe(cls), [FieldError("", "expected data nested a few levels deep")]
        ) from None
    except (ClassValidationError, IterableValidationError, InvalidInput, ParseError) as e:
        errors = field_errors(e)
        if cls is Organisation and isinstance(data, Mapping):
            errors.extend(_identity_problems(data, {x.path for x in errors}))
        raise InvalidInput(_describe(cls), errors) from None


def _identity_problems(data: Mapping[str, Any], reported: set[str]) -> list[FieldError]:
    """Checks the constructor would make, run even when other fields already failed,
    so that one error lists every problem."""
    from ._model._codes import check_country
    from ._model._forms import form_codes

    out = []
    country, form = data.get("country"), data.get("legal_form")
    if "country" not in reported and isinstance(country, str) and (msg := check_country(country)):
        out.append(FieldError("country", msg))
    if "legal_form" not in reported and isinstance(form, str) and form not in form_codes():
        out.append(
            FieldError(
                "legal_form", f"expected a known legal form code such as 'vn/jsc', got {form!r}"
            )
        )
    return out


def _describe(cls: type) -> str:
    name = getattr(cls, "__name__", None) or str(cls)
    args = get_args(cls)
    return name if not args else str(cls)


def unstructure(obj: object) -> Any:
    """Plain, JSON-ready data for a model value; unknown facts are left out."""
    return _conv().unstructure(obj)


def to_json(obj: object, *, indent: int | None = None) -> str:
    """Stable JSON (sorted keys) for a model value."""
    return json.dumps(unstructure(obj), sort_keys=True, ensure_ascii=False, indent=indent)


class StrictJSON:
    """``json`` decoding with the protections of :func:`from_json`, one value at a time.

    A repeated key, an integer of more than :data:`MAX_JSON_DIGITS` digits, nesting
    deeper than Python's recursion allows and a lone surrogate in a key or string are
    *problems* of that value: :meth:`decode` raises :class:`JSONProblem` with a message
    (never a bare ``RecursionError`` or ``ValueError``), and the next value can be read.
    Not thread-safe: make one per reader.
    """

    def __init__(self) -> None:
        self._problems: list[str] = []
        self._decoder = json.JSONDecoder(object_pairs_hook=self._pairs, parse_int=self._int)

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = dict(pairs)
        if len(out) == len(pairs):  # no key repeated (the usual case): nothing to look for
            return out
        out = {}
        for key, value in pairs:
            if key in out and not self._problems:
                self._problems.append(
                    f"expected each key once in a JSON object, got {show(key)} more than once"
                )
            out[key] = value
        return out

    def _int(self, digits: str) -> int:
        if len(digits) > MAX_JSON_DIGITS:
            if not self._problems:
                self._problems.append(
                    f"expected a number of at most {MAX_JSON_DIGITS:,} digits, got one of "
                    f"{len(digits.lstrip('-')):,} digits"
                )
            return 0
        return int(digits)

    def decode(self, text: str, pos: int = 0) -> tuple[Any, int]:
        """The value starting at *pos* (after whitespace) and the index after it.

        Raises :class:`json.JSONDecodeError` when *text* holds no complete value there
        (the caller may read more), :class:`JSONProblem` when the value is complete but
        refused (the caller finds its end with :func:`json_value_end`).
        """
        self._problems.clear()
        end = pos
        while end < len(text) and text[end] in " \t\r\n":
            end += 1
        try:
            data, end = self._decoder.raw_decode(text, end)
        except RecursionError:
            raise JSONProblem("expected JSON nested a few levels deep") from None
        except json.JSONDecodeError:
            raise
        except ValueError as e:  # pragma: no cover - json's own limits, defensive
            raise JSONProblem(f"expected JSON, got an error: {e}") from None
        if self._problems:
            raise JSONProblem(self._problems[0])
        if "\\u" in text[pos:end] and (bad := _find_surrogate(data)):
            raise JSONProblem(bad)
        return data, end

    def loads(self, text: str) -> Any:
        """One whole JSON document (only whitespace around the value)."""
        data, end = self.decode(text)
        rest = text[end:].strip(" \t\r\n")
        if rest:
            raise json.JSONDecodeError("Extra data", text, len(text) - len(rest))
        return data


class JSONProblem(ValueError):
    """A complete JSON value refused by :class:`StrictJSON` (see its message)."""


def _find_surrogate(data: Any) -> str | None:
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and (bad := _SURROGATE.search(item)):
                where = f" at {path}" if path else ""
                return surrogate_message(bad.group()) + where
        elif isinstance(item, dict):
            for k, v in item.items():
                stack.append((path, k))
                stack.append((_join(path, str(k)), v))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(item))
    return None


_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]|[^"\[\]{}]++')


def json_value_end(text: str, pos: int) -> int | None:
    """The index after the JSON value starting at *pos* (strings and brackets matched,
    without recursion), or ``None`` if *text* ends first. Used to step over a value that
    :class:`StrictJSON` refused, so the next one can be read."""
    depth = 0
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    for m in _TOKENS.finditer(text, pos):
        tok = m.group()
        if tok in ("[", "{"):
            depth += 1
        elif tok in ("]", "}"):
            depth -= 1
            if depth <= 0:
                return m.end()
        elif depth == 0:
            if tok.startswith('"'):
                return m.end()
            # a bare number or literal ends at the first delimiter
            stop = re.search(r"[\s,\]}]", tok)
            if stop is None and m.end() < len(text):
                return m.end()
            if stop is not None:
                return m.start() + stop.start()
            return None
    return None


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Parse JSON into a model value; see :func:`structure`.

    JSON that is not valid UTF-8, not well formed, nested too deeply, that repeats a
    key inside one object (``json.loads`` would silently keep the last value), holds
    an integer of more than 4,300 digits or a lone UTF-16 surrogate raises
    :class:`~sse_model.InvalidInput`.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode(json.detect_encoding(text))
        data = StrictJSON().loads(text)
    except JSONProblem as e:
        raise InvalidInput(_describe(cls), [FieldError("", str(e))]) from None
    except json.JSONDecodeError as e:
        raise InvalidInput(
            _describe(cls), [FieldError("", f"expected JSON, got an error: {e}")]
        ) from None
    except UnicodeDecodeError as e:
        raise InvalidInput(
            _describe(cls), [FieldError("", f"expected JSON in UTF-8, got undecodable bytes: {e}")]
        ) from None
    return structure(data, cls)
