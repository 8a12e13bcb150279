"""Nested records (the JSON shape of :class:`~sse_model.Organisation`) as flat cells.

:func:`flatten` keeps a record's cells only where the flat reader hands the same text
to the same parser (see its docstring); the readers of :mod:`._sources` use it record by
record, and :mod:`._nested` column by column on Arrow's struct columns, by the same
rules (the kinds, slot tables and leaf rules here).
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from typing import Any

import attrs

from .._model import Organisation
from .._model._declare import MONEY_KINDS, Kind
from .._model._organisation import Certification, FiscalYear
from .._model._units import Money
from ._flat import _cert_kind_field, column_of

__all__ = ["flatten"]


class _Kind(enum.Enum):
    """How a model field's JSON value is given as a flat cell."""

    BOOL = "bool"  # JSON true/false -> "true"/"false" (the flat reader's words)
    COUNT = "count"  # a JSON integer -> its digits
    TEXT = "text"  # a non-blank string, unchanged (dates, codes, hours, choices...)
    SHARE = "share"  # a string; "N %" goes to the column ``<path>[%]`` as "N"
    MONEY = "money"  # "N CODE" -> N with a currency column, else the string unchanged
    LIST = "list"  # a list of codes -> joined with ";"


def _kind(tp: Any) -> _Kind | None:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        if len(args) != 1:
            return None
        tp = args[0]
    origin = typing.get_origin(tp)
    if origin is frozenset:
        return _Kind.LIST
    if tp is bool:
        return _Kind.BOOL
    if tp is int:
        return _Kind.COUNT
    if tp is Fraction:
        return _Kind.SHARE
    if tp is Money:
        return _Kind.MONEY
    if isinstance(tp, type) and (tp is str or issubclass(tp, enum.Enum | str)):
        return _Kind.TEXT
    from datetime import date

    from .._model._units import Hours

    if tp in (date, Hours):
        return _Kind.TEXT
    return None


@attrs.frozen
class _Shape:
    """The model's fields as the flattener reads them, derived from the attrs classes."""

    #: top-level plain fields: name -> kind, and whether it is required
    top: Mapping[str, tuple[_Kind, bool]]
    #: section name -> {field -> kind}
    sections: Mapping[str, Mapping[str, _Kind]]
    year: Mapping[str, _Kind]
    cert: Mapping[str, _Kind]


def _fields(cls: type) -> dict[str, tuple[_Kind | None, bool]]:
    hints = typing.get_type_hints(cls)
    return {
        a.name: (_kind(hints[a.name]), a.default is attrs.NOTHING)
        for a in attrs.fields(cls)
        if a.init
    }


def _as_flat_reads(path: str, kind: _Kind | None) -> _Kind | None:
    """*kind*, if the flat reader reads the cell at *path* as this module writes it
    (its own rules go by path and leaf name: yes/no words, amounts, ``primary``);
    else None (a record with that field is held)."""
    leaf = path.rsplit(".", 1)[-1]
    col = column_of(path)
    declared = None if col is None else col.kind
    if kind is None or (kind is _Kind.MONEY) != (declared in MONEY_KINDS):
        return None
    if (kind is _Kind.LIST) != (declared is Kind.CHOICES):
        return None
    if kind is _Kind.BOOL and declared is not Kind.BOOL and leaf != "indefinite":
        return None
    return kind


def _kinds(cls: type, prefix: str, skip: str = "") -> dict[str, _Kind]:
    out = {}
    for name, (kind, _) in _fields(cls).items():
        checked = _as_flat_reads(prefix + name, kind)
        if checked is not None and name != skip:
            out[name] = checked
    return out


@cache
def _shape() -> _Shape:
    top: dict[str, tuple[_Kind, bool]] = {}
    sections: dict[str, Mapping[str, _Kind]] = {}
    hints = typing.get_type_hints(Organisation)
    for a in attrs.fields(Organisation):
        if not a.init or a.name in ("finances", "certifications"):
            continue
        tp = hints[a.name]
        if attrs.has(tp):
            sections[a.name] = _kinds(tp, f"{a.name}.")
            continue
        kind = _as_flat_reads(a.name, _kind(tp))
        if kind is not None:
            top[a.name] = (kind, a.default is attrs.NOTHING)
    year = _kinds(FiscalYear, "finances.", skip="year")
    cert = _kinds(Certification, "certification.", skip="kind")
    return _Shape(top, sections, year, cert)


class _Held(Exception):
    """The record cannot be said in flat cells without changing what it means."""


_TEXT, _SHARE, _MONEY_KIND = _Kind.TEXT, _Kind.SHARE, _Kind.MONEY
_BOOL, _COUNT, _LIST = _Kind.BOOL, _Kind.COUNT, _Kind.LIST
_AMOUNT = re.compile(r"([+-]?\d+(?:\.\d+)?) (\S+)")
_BARE = re.compile(r"\s*[+-]?\d+(\.\d+)?\s*")
_MAX_COUNT = 10**15


def _leaf(kind: _Kind, value: Any) -> str:
    """The flat cell of one value (money and shares: see :func:`flatten`)."""
    if kind is _TEXT or kind is _SHARE or kind is _MONEY_KIND:
        if type(value) is str and value and not value.isspace():
            return value
    elif kind is _BOOL:
        if value is True:
            return "true"
        if value is False:
            return "false"
    elif kind is _COUNT:
        if type(value) is int and 0 <= value < _MAX_COUNT:
            return str(value)
    elif (
        kind is _LIST
        and isinstance(value, list)
        and value
        and all(isinstance(v, str) and v and v == v.strip() and ";" not in v for v in value)
    ):
        return ";".join(value)
    raise _Held


def _fields_into(
    out: dict[str, str],
    money: dict[str, str],
    prefix: str,
    fields: Mapping[str, _Kind],
    values: Any,
) -> None:
    """The fields of one model object (a section, a year's accounts) as cells."""
    if type(values) is not dict and not isinstance(values, Mapping):  # JSON gives dicts
        raise _Held
    slots = _PATHS.get(prefix) or _paths(prefix, fields)
    for name, v in values.items():
        slot = slots.get(name)
        if slot is None:
            raise _Held  # a key the model does not have
        if v is None:
            continue
        path, kind = slot
        t = type(v)
        # the common cases inline: text, yes/no, counts (see _leaf for the rules)
        if t is str and kind is _TEXT:
            if not v or v.isspace():
                raise _Held
            out[path] = v
        elif t is bool and kind is _BOOL:
            out[path] = "true" if v else "false"
        elif t is int and kind is _COUNT:
            if not 0 <= v < _MAX_COUNT:
                raise _Held
            out[path] = str(v)
        elif kind is _MONEY_KIND:
            money[path] = v if t is str and v and not v.isspace() else _leaf(kind, v)
        else:
            text = _leaf(kind, v)
            if kind is _SHARE and text.endswith(" %") and text[:-2].strip():
                out[path + "[%]"] = text[:-2]
            else:
                out[path] = text


def _paths(prefix: str, fields: Mapping[str, _Kind]) -> dict[str, tuple[str, _Kind]]:
    """Each field's column name under *prefix* (which fixes the fields: a section, or
    ``finances.`` with or without a year) and its kind, built once per prefix."""
    paths = _PATHS.get(prefix)
    if paths is None:
        paths = _PATHS[prefix] = {name: (prefix + name, kind) for name, kind in fields.items()}
    return paths


_PATHS: dict[str, dict[str, tuple[str, _Kind]]] = {}


def flatten(data: Mapping[str, Any]) -> dict[str, str] | None:
    """The flat cells of a nested record that mean exactly what it means, else None.

    Each value is kept only in a form for which the flat reader hands the same text
    (or the same value) to the same parser as the nested reader: booleans as
    ``true``/``false``, counts as digits, other values as their non-blank strings;
    ``"N %"`` shares in a ``[%]`` column; amounts ``"N CODE"`` (one code in the
    record) as bare numbers with a ``currency`` column; one fiscal year as
    ``fiscal_year`` with ``finances.<field>``, several as ``finances.<year>.<field>``;
    each certification by kind. Anything else (an unknown key, a null where an object
    or a required value is expected, two certifications of one kind, an empty year,
    a blank string, a value of a type the field does not take) returns None: the row
    is read from its record alone.
    """
    shape = _shape()
    out: dict[str, str] = {}
    money: dict[str, str] = {}
    try:
        for key, value in data.items():
            top = shape.top.get(key)
            if top is not None:
                if value is None:
                    if top[1]:
                        raise _Held  # a required field
                    continue
                kind = top[0]
                if type(value) is str and kind is _TEXT and value and not value.isspace():
                    out[key] = value  # the common case inline (see _leaf)
                else:
                    out[key] = _leaf(kind, value)
            elif key in shape.sections:
                _fields_into(out, money, f"{key}.", shape.sections[key], value)
            elif key == "finances":
                _finances(out, money, value, shape.year)
            elif key == "certifications":
                _certifications(out, value, shape.cert)
            else:
                raise _Held
        if money:
            _amounts(out, money)
    except _Held:
        return None
    return out


def _amounts(out: dict[str, str], money: Mapping[str, str]) -> None:
    """Amounts: a bare number would take the file's currency (held); ``N CODE`` with one
    code in the record becomes N and a ``currency`` column (the flat reader joins them
    back into the same text); other strings are kept whole."""
    parts: dict[str, str] = {}
    codes: set[str] = set()
    amount = _AMOUNT.fullmatch
    for path, v in money.items():
        m = amount(v)
        if m is None:
            if _BARE.fullmatch(v):
                raise _Held
            out.update(money)
            return
        parts[path], code = m.groups()
        codes.add(code)
    if len(codes) == 1:
        out["currency"] = codes.pop()
        out.update(parts)
    else:
        out.update(money)


_YEAR = re.compile(r"[1-9][0-9]{3}")


def _finances(
    out: dict[str, str], money: dict[str, str], value: Any, fields: Mapping[str, _Kind]
) -> None:
    if isinstance(value, Mapping):
        years = list(value.items())
    elif isinstance(value, list):
        years = []
        for fy in value:
            if (type(fy) is not dict and not isinstance(fy, Mapping)) or type(
                fy.get("year")
            ) is not int:
                raise _Held
            years.append((str(fy["year"]), {k: v for k, v in fy.items() if k != "year"}))
        if len({y for y, _ in years}) != len(years):
            raise _Held  # one year twice: the flat form has one place per year
    else:
        raise _Held
    one = len(years) == 1
    for year, accounts in years:
        if not isinstance(year, str) or not _YEAR.fullmatch(year):
            raise _Held
        cells = len(out) + len(money)
        _fields_into(out, money, "finances." if one else f"finances.{year}.", fields, accounts)
        if len(out) + len(money) == cells:
            # every value null (each other value makes one cell of its own): a year
            # without accounts, and the flat form has no such year
            raise _Held
        if one:
            out["fiscal_year"] = year


def _certifications(out: dict[str, str], value: Any, fields: Mapping[str, _Kind]) -> None:
    if not isinstance(value, list):
        raise _Held
    kinds: set[str] = set()
    for cert in value:
        if type(cert) is not dict and not isinstance(cert, Mapping):
            raise _Held
        kind = cert.get("kind")
        if (
            not isinstance(kind, str)
            or not kind.strip()
            or kind != kind.strip()
            or kind in kinds
            or "[" in kind
            or "]" in kind
        ):
            raise _Held
        kinds.add(kind)
        known = {k: v for k, v in cert.items() if k != "kind" and v is not None}
        if not known:
            raise _Held  # a certification without fields: the flat form has none
        for name, v in known.items():
            k = fields.get(name)
            if k is None:
                raise _Held
            if name == "granted_on" and _cert_kind_field(kind) == (kind, "granted_on"):
                out[f"certification.{kind}"] = _leaf(k, v)  # the form the fast lane reads
            else:
                out[f"certification.{kind}.{name}"] = _leaf(k, v)


def _percent_of(percent: str, plain: str, columns: Mapping[str, str]) -> bool:
    """Whether *percent* is the ``[%]`` column of the share column *plain* (unmapped)."""
    if columns.get(percent, percent) != percent or columns.get(plain, plain) != plain:
        return False
    if percent != f"{plain}[%]":
        return False
    parts = plain.split(".")
    shape = _shape()
    if parts[0] == "finances" and len(parts) in (2, 3):
        return shape.year.get(parts[-1]) is _SHARE
    return len(parts) == 2 and shape.sections.get(parts[0], {}).get(parts[1]) is _SHARE


_PLAIN_NUMBER = re.compile(r"[0-9]{1,15}(\.[0-9]{1,15})?")
