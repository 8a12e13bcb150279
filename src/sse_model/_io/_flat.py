"""A flat column vocabulary for registers: one row per organisation.

Columns are the model's field paths, joined by dots (``governance.members``,
``statutes.profit_rule``, ``workforce.paid_workers``). Finances use either a
``fiscal_year`` column with ``finances.<field>`` columns (one year per row), or
``finances.<year>.<field>`` columns (several years per row). Amounts are numbers
with the currency in a ``currency`` column (per row) or given for the whole file,
or text with their currency (``"1200.50 VND"``). A unit may be written in the
column name, in brackets: ``governance.foreign_capital_share[%]``,
``workforce.volunteer_hours[day]``. An empty cell is unknown.

Each row becomes plain nested data validated by the library's converter, so a
bad row gets the same errors, with field paths, as any other input.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .._errors import ColumnsNotMapped, FieldError, InvalidInput, UnreadableInput
from .._model import Organisation
from .._model._declare import MONEY_KINDS, Kind
from .._model._organisation import Certification
from .._model._schema import COLUMNS, REQUIRED, Column, columns_of
from .._serialization import structure

__all__ = [
    "RejectedRow",
    "Row",
    "column_conflicts",
    "column_path",
    "read_csv",
    "rows_to_organisations",
    "to_nested",
]

_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_UNIT = re.compile(r"^(?P<path>[^\[\]]+?)\s*\[(?P<unit>[^\]]+)\]$")


def column_of(name: str) -> Column | None:
    """The declared field a column names (``finances.<year>.<field>`` included), if any;
    the unit in brackets is not part of the name."""
    m = _UNIT.match(name)
    path = m["path"] if m else name
    col = COLUMNS.get(path)
    if col is None and path.startswith("finances."):
        parts = path.split(".")
        if len(parts) == 3:
            col = COLUMNS.get(f"finances.{parts[2]}")
    return col


@attrs.frozen
class Row:
    """One input row: its number (1-based, after the header) and its cells."""

    number: int
    #: as read by :class:`csv.DictReader`: ``None`` marks missing or surplus cells
    cells: Mapping[str | None, str | None]


@attrs.frozen
class RejectedRow:
    """A row that could not become an organisation, with every problem found."""

    number: int
    id: str | None
    errors: tuple[FieldError, ...]
    raw: Mapping[str | None, str | None]


def _cell(path: str, value: str, currency: str | None) -> Any:
    m = _UNIT.match(path)
    if m:
        return f"{value} {m['unit']}"
    col = column_of(path)
    kind = None if col is None else col.kind
    if kind is Kind.BOOL:
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        return value  # the converter reports it: expected true or false
    if kind is Kind.COUNT:
        return value.strip()
    if kind in MONEY_KINDS and currency and re.fullmatch(r"\s*[+-]?\d+(\.\d+)?\s*", value):
        return f"{value.strip()} {currency}"
    if kind is Kind.CHOICES:
        return [v.strip() for v in value.split(";") if v.strip()]
    return value


#: the fields of a certification that ``certification.<kind>.<field>`` can name
_CERT_FIELDS = frozenset(a.name for a in attrs.fields(Certification) if a.name != "kind")
#: the columns that are not model fields but say how to read the others
_META_COLUMNS = frozenset({"currency"}) | columns_of(Kind.YEAR)


def column_path(name: str) -> tuple[str, ...]:
    """The model field a (mapped) column sets, as path parts.

    The unit in brackets is not part of the path (``x[%]`` sets ``x``); a one-year
    amount ``finances.<field>`` sets the field of the row's ``fiscal_year``
    (``"<fiscal_year>"`` here); ``certification.<kind>`` is the kind's grant date and
    ``certification.<kind>.<field>`` another of its fields (a kind may contain dots).
    """
    m = _UNIT.match(name)
    path = m["path"] if m else name
    parts = tuple(path.split("."))
    if parts[0] == "finances" and len(parts) == 2:
        return ("finances", "<fiscal_year>", parts[1])
    if parts[0] == "certification" and len(parts) >= 2:
        kind, field = _cert_kind_field(path.split(".", 1)[1])
        return ("certification", kind, field)
    return parts


def _cert_kind_field(rest: str) -> tuple[str, str]:
    kind, _, field = rest.rpartition(".")
    if kind and field in _CERT_FIELDS:
        return kind, field
    return rest, "granted_on"


def column_conflicts(
    names: Iterable[str], columns: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Pairs of columns (as named in the file) that set the same field, or a field and a
    part of it (``governance`` and ``governance.members``), after *columns* mapping.

    Both lanes refuse such a header: one value would silently overwrite the other, or
    a text would be asked to hold fields.
    """
    seen: dict[tuple[str, ...], str] = {}
    out: list[tuple[str, str]] = []
    for name in names:
        mapped = (columns or {}).get(name, name)
        if mapped in _META_COLUMNS:
            continue
        path = column_path(mapped)
        if path in seen:
            out.append((seen[path], name))
        else:
            seen[path] = name
    for path, name in seen.items():
        for i in range(1, len(path)):
            other = seen.get(path[:i])
            if other is not None:
                out.append((other, name))
    return out


def conflict_message(
    first: str, second: str, columns: Mapping[str, str] | None = None, *, label: str = ""
) -> str:
    """What is wrong with two columns that set the same field (or a field and its part);
    the columns are named as in the file, their paths taken after *columns* mapping."""
    a = column_path((columns or {}).get(first, first))
    b = column_path((columns or {}).get(second, second))
    same = a == b
    what = "the same field" if same else "a field and a part of it"
    return (
        f"expected each field in one column only, got {label}{first!r} and {second!r}, "
        f"which set {what} ({'.'.join(a if same else (a if len(a) <= len(b) else b))})"
    )


class MappedNames(dict[str, str]):
    """No renames, and a marker for the readers: a register mapping reads this header
    (:class:`~._mapping.Mapper` checks its names), so they check only that every column
    has a name and comes once."""


def close_matches(name: str, pool: Iterable[str], n: int = 3) -> tuple[str, ...]:
    """The names of *pool* closest to *name*, ignoring case, spaces and underscores."""
    import difflib

    def key(text: str) -> str:
        return text.casefold().replace("_", " ").replace(".", " ").strip()

    by_key: dict[str, str] = {}
    for p in pool:
        by_key.setdefault(key(p), p)
    near = difflib.get_close_matches(key(name), list(by_key), n=n, cutoff=0.6)
    return tuple(by_key[k] for k in near)


def unknown_columns(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The names that are no column of the flat vocabulary, with close matches."""
    out: dict[str, tuple[str, ...]] = {}
    sections = {c.section for c in COLUMNS.values() if c.section}
    for n in names:
        # a section's name (``governance``) is a field: its rows get the field's errors
        if not is_vocabulary(n) and n not in sections:
            out[n] = close_matches(n, vocabulary_names())
    return out


def vocabulary_names() -> list[str]:
    """Every column name of the flat vocabulary (units and years aside)."""
    return [*COLUMNS, *sorted(_META_COLUMNS)]


def is_vocabulary(name: str) -> bool:
    """Whether *name* is a column of the flat vocabulary (with a unit in brackets,
    ``finances.<year>.<field>``, ``certification.<kind>[.<field>]`` included)."""
    m = _UNIT.match(name)
    path = m["path"] if m else name
    if path in _META_COLUMNS or column_of(path) is not None:
        return True
    return path.startswith("certification.") and len(path) > len("certification.")


def _check_header(
    source: str,
    names: list[str],
    columns: Mapping[str, str],
    *,
    conflicts: bool = True,
    known: bool = True,
) -> None:
    """Refuse a table's header: a column without a name, a column twice, two columns
    setting one field (with *conflicts*), or (with *known*) columns outside the
    vocabulary, all reported at once with close matches (:class:`ColumnsNotMapped`)."""
    mapped_by_mapping = isinstance(columns, MappedNames)
    unnamed = [i for i, n in enumerate(names, 1) if not n.strip()]
    if unnamed:
        raise UnreadableInput(
            source,
            f"expected every column to have a name in the header, found column {unnamed[0]} "
            "without one",
            line=1,
        )
    mapped = [columns.get(n, n) for n in names]
    dupes = [n for n, k in Counter(mapped).items() if k > 1]
    if dupes:
        where = {d: [i for i, m in enumerate(mapped, 1) if m == d] for d in dupes}
        found = "; ".join(
            f"{d!r} in columns {', '.join(map(str, cols))}" for d, cols in where.items()
        )
        raise UnreadableInput(
            source,
            f"expected each column once, found {found}",
            line=1,
            hint="rename or drop the duplicates (or fix the column mapping)",
        )
    if mapped_by_mapping:
        return
    if conflicts:
        check_column_conflicts(source, names, columns)
    if known:
        unknown = unknown_columns(mapped)
        if unknown:
            raise ColumnsNotMapped(source, unknown, ())


def check_column_conflicts(source: str, names: list[str], columns: Mapping[str, str]) -> None:
    """Refuse a header with two columns that set the same field (``x`` and ``x[%]``), or
    a field and a part of it (``governance`` and ``governance.members``), after the
    *columns* mapping. Shared by both lanes (the columnar lane calls it on its header)."""
    clashes = column_conflicts(names, columns)
    if clashes:
        first, second = clashes[0]
        raise UnreadableInput(
            source,
            conflict_message(first, second, columns, label="columns "),
            line=1,
            hint="keep one of the two columns (or fix the column mapping)",
        )


def _set(target: dict[str, Any], parts: list[str], value: Any) -> bool:
    """Put *value* at *parts*; False (nothing changed) when the place is taken: by a
    value, or by a text where an object is needed."""
    node = target
    for p in parts[:-1]:
        nxt = node.get(p)
        if nxt is None:
            nxt = node[p] = {}
        elif not isinstance(nxt, dict):
            return False
        node = nxt
    if parts[-1] in node:
        return False
    node[parts[-1]] = value
    return True


def _holder(placed: list[tuple[list[str], str]], parts: list[str]) -> str:
    """The column already holding the place of *parts* (the same field, a part of it,
    or the field it is a part of)."""
    for other, name in placed:
        n = min(len(other), len(parts))
        if other[:n] == parts[:n]:
            return name
    return ".".join(parts)  # pragma: no cover - a place is only taken by a column


def to_nested(
    cells: Mapping[str | None, str | None],
    *,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Turn one flat row into the nested data of an :class:`~sse_model.Organisation`.

    *columns* maps the user's column names onto the vocabulary; *currency* applies to
    bare amounts when the row has no ``currency`` column.
    """
    out: dict[str, Any] = {}
    shape: list[FieldError] = []
    if None in cells:  # csv puts cells beyond the header under the key None
        shape.append(FieldError("", "expected as many cells as header columns, got more"))
    if any(v is None for v in cells.values()):
        shape.append(FieldError("", "expected as many cells as header columns, got fewer"))
    renamed: dict[str, str] = {
        (columns or {}).get(k, k): v for k, v in cells.items() if k is not None and v is not None
    }
    cur = renamed.pop("currency", "").strip() or currency
    year = renamed.pop("fiscal_year", "").strip()
    if shape:
        out["_errors"] = shape
    certs: dict[str, dict[str, Any]] = {}
    placed: list[tuple[list[str], str]] = []
    cert_placed: dict[tuple[str, str], str] = {}
    for name, raw in renamed.items():
        if not raw.strip():
            continue  # empty means unknown
        m = _UNIT.match(name)
        path = m["path"] if m else name
        parts = path.split(".")
        value = _cell(name, str(raw), cur)
        if parts[0] == "finances" and len(parts) == 2:
            if not year:
                out.setdefault("_errors", []).append(
                    FieldError(name, "expected a fiscal_year column for this amount")
                )
                continue
            parts = ["finances", year, parts[1]]
        if parts[0] == "certification" and len(parts) >= 2:
            # certification.<kind> holds the grant date; certification.<kind>.<field> the rest
            kind, field = _cert_kind_field(path.split(".", 1)[1])
            if (kind, field) in cert_placed:
                other = cert_placed[kind, field]
                out.setdefault("_errors", []).append(
                    FieldError(name, conflict_message(other, name))
                )
                continue
            cert_placed[kind, field] = name
            if field == "indefinite" and str(raw).strip().lower() in _TRUE | _FALSE:
                value = str(raw).strip().lower() in _TRUE
            certs.setdefault(kind, {"kind": kind})[field] = value
            continue
        if not _set(out, parts, value):
            holder = _holder(placed, parts)
            out.setdefault("_errors", []).append(FieldError(name, conflict_message(holder, name)))
            continue
        placed.append((parts, name))
    if certs:
        # in the order of their kinds, so an error path names the same entry whatever
        # the order of the columns
        out.setdefault("certifications", []).extend(certs[k] for k in sorted(certs))
    return out


def _column_paths(
    errors: tuple[FieldError, ...],
    cells: Mapping[str | None, str | None],
    columns: Mapping[str, str] | None,
) -> tuple[FieldError, ...]:
    """*errors* of a flat row with the model's paths of a fiscal year's fields
    (``finances[2011].revenue``) named as the row's columns (``finances.2011.revenue``,
    or ``finances.revenue`` with a ``fiscal_year``), so a report finds their raw cells."""
    if not any(e.path.startswith("finances[") for e in errors):
        return errors
    renamed = {(columns or {}).get(k, k): v for k, v in cells.items() if k is not None}
    year = (renamed.get("fiscal_year") or "").strip()
    named: dict[str, str] = {}
    for name in renamed:
        m = _UNIT.match(name)
        parts = (m["path"] if m else name).split(".")
        if parts[0] == "finances" and len(parts) == 2 and year:
            named[f"finances[{year}].{parts[1]}"] = name
        elif parts[0] == "finances" and len(parts) == 3:
            named[f"finances[{parts[1]}].{parts[2]}"] = name
    return tuple(attrs.evolve(e, path=named[e.path]) if e.path in named else e for e in errors)


def rows_to_organisations(
    rows: Iterable[Row],
    *,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> Iterator[Organisation | RejectedRow]:
    """Each row becomes an organisation or a rejected row: none is dropped."""
    for row in rows:
        nested = to_nested(row.cells, currency=currency, columns=columns)
        early: list[FieldError] = nested.pop("_errors", [])
        try:
            org = structure(nested, Organisation)
        except InvalidInput as e:
            errors = _column_paths(e.errors, row.cells, columns)
            yield RejectedRow(row.number, nested.get("id"), tuple(early) + errors, dict(row.cells))
            continue
        if early:
            yield RejectedRow(row.number, org.id, tuple(early), row.cells)
        else:
            yield org


def read_csv(path: str | Path, *, encoding: str = "utf-8") -> Iterator[Row]:
    """Stream the rows of a CSV file with a header (memory does not grow with rows)."""
    with Path(path).open(encoding=encoding, newline="") as f:
        for n, cells in enumerate(csv.DictReader(f), 1):
            yield Row(n, cells)


def to_flat(org: Organisation, year: int | None = None) -> dict[str, str]:
    """One flat row (text cells) for *org*, with the accounts of *year* (default: latest).

    The inverse of :func:`to_nested` for what one row can hold: one fiscal year,
    amounts as bare numbers with a ``currency`` column, shares as exact decimals
    where they have one (else as a fraction ``n/d``), certifications by grant
    date only. Unknown facts are left out (an empty cell).
    """
    import enum
    from datetime import date as _date
    from fractions import Fraction

    from .._model import Money
    from .._model._units import exact_decimal

    out: dict[str, str] = {name: getattr(org, name) for name in REQUIRED}

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, enum.Enum):
            return str(value.value)
        if isinstance(value, Money):
            return str(value.amount)
        if isinstance(value, Fraction):
            d = exact_decimal(value)  # never the caller's decimal context
            return f"{value.numerator}/{value.denominator}" if d is None else str(d)
        if isinstance(value, frozenset):
            return ";".join(sorted(str(v.value) for v in value))
        if isinstance(value, _date):
            return value.isoformat()
        return str(value)

    currency: str | None = None
    fy = org.fiscal_year(year)
    for col in COLUMNS.values():
        if col.section is None:
            record: Any = org
        elif col.per_year:
            record = fy
        else:
            record = getattr(org, col.section)
        v = None if record is None else getattr(record, col.field)
        if v is None or col.name in out or col.name == "certifications_complete":
            continue
        if isinstance(v, Money):
            currency = v.currency
        out[col.name] = str(v) if col.kind is Kind.HOURS else text(v)
    if currency is not None:
        out["currency"] = currency
    for cert in org.certifications:
        if cert.granted_on is not None:
            out[f"certification.{cert.kind}"] = cert.granted_on.isoformat()
    if org.certifications_complete is not None:
        out["certifications_complete"] = text(org.certifications_complete)
    return out
