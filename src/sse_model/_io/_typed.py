"""Typed table columns (Arrow, Parquet, pandas, polars) as the flat text both lanes read.

One conversion, used by the per-object reader (:func:`~sse_model.read_register`)
and by the columnar lane (:func:`~sse_model.classify_table`, Parquet in
``classify_file``), so that a typed cell means the same thing whichever way the
register is classified:

- text is kept as it is; empty and whitespace-only cells are unknown;
- a float reads as the shortest decimal that gives back the same float in the
  column's own precision (a float32 ``0.3`` is ``0.3``), written out in positional
  notation, never with an exponent (``1.47e10`` is ``14700000000``, ``1.5e16`` is
  ``15000000000000000``, ``1e-7`` is ``0.0000001``), and a whole float as an
  integer (``12.0`` is ``12``); NaN is unknown and ``-0.0`` is ``0``;
- integers and booleans (``true``/``false``) as written; decimals exactly, in
  positional notation, without trailing zeros;
- dates as ``YYYY-MM-DD``; a timestamp whose wall-clock time is midnight is that
  day, with no time zone or in its own zone (``2012-03-31 00:00+02:00`` is
  ``2012-03-31``); any other timestamp is its ISO 8601 text, which a date field
  rejects: a time of day in a register of dates means an instant or a value
  shifted between zones, and taking its day would be a guess that may be a day off;
- struct columns become dotted columns (``governance`` with a field ``members`` is
  ``governance.members``); lists of text, numbers or booleans are joined with
  ``;`` (as ``purpose.primary`` is written in CSV); dictionary columns are read
  as their values;
- a duration, a map, bytes that are not UTF-8, and any other kind of column
  reject the row with a :class:`~sse_model.FieldError` naming the column (never
  raw microseconds, never ``"b'..'"``).

Column names are stripped of surrounding spaces; a name given twice (after struct
columns are flattened and *columns* applied) raises
:class:`~sse_model.UnreadableInput`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import attrs

from .._errors import FieldError
from ._flat import _check_header

__all__ = ["TextTable", "frame_to_arrow", "polars_to_arrow", "positional", "text", "text_table"]


def positional(number: str) -> str:
    """A decimal number's text without exponent or trailing fractional zeros:
    ``1.5e+16`` is ``15000000000000000``, ``1e-07`` is ``0.0000001``, ``-0.0`` is ``0``.
    Text that is not a finite decimal number (``inf``) is returned as it is."""
    try:
        d = Decimal(number)
    except ArithmeticError:
        return number
    if not d.is_finite():
        return number
    out = format(d, "f")
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


def _day(value: datetime) -> bool:
    """Whether a timestamp is a day: midnight on its own wall clock (pandas keeps
    nanoseconds beyond ``datetime``'s microseconds)."""
    return value.time() == time(0) and not getattr(value, "nanosecond", 0)


def text(value: Any) -> str:
    """A cell as text, the way a CSV file would hold it; missing values become ``""``.

    Floats keep their shortest exact repr (``0.51`` stays ``"0.51"``), and whole floats
    lose their ``.0`` (pandas stores integer columns with gaps as floats: ``12.0`` is
    ``"12"``). Booleans are ``true``/``false``; dates are ISO 8601.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return positional(repr(float(value)))  # numpy's float64 has its own repr
    if isinstance(value, Decimal):
        if value.is_nan():
            return ""
        whole = value == value.to_integral()  # 1E+3 is 1000; 1200.50 keeps its digits
        out = format(value.normalize() if whole else value, "f")
        return "0" if out == "-0" else out
    kind = type(value).__name__
    if kind in ("NAType", "NaTType", "NoneType"):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if _day(value) else value.isoformat()
    if kind == "datetime64":  # numpy's own (``.item()`` of nanoseconds is an int)
        import numpy as np

        if np.isnat(value):
            return ""
        day = value.astype("datetime64[D]")
        return str(day) if day == value else str(np.datetime_as_string(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(text(v) for v in value)
    if kind in _EXACT_INTEGERS:  # numpy float32 and float16: their own shortest text
        return _float_text(float(value), kind) or ""
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return text(value.item())
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays
        return text(value.tolist())
    return str(value)


@attrs.frozen
class TextTable:
    """A table of text columns (null: unknown) and the cells that reject their row."""

    #: every column ``pa.string()``, named as in the flat vocabulary
    table: Any
    #: row index -> the errors of that row's typed cells that have no text form
    problems: Mapping[int, tuple[FieldError, ...]]


def text_table(
    table: Any, source: str, columns: Mapping[str, str] | None = None, *, known: bool = True
) -> TextTable:
    """The flat text of an Arrow table or record batch (see the module's rules); with
    *known*, columns outside the vocabulary are refused (records are checked alone)."""
    import pyarrow as pa

    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    names: list[str] = []
    arrays: list[Any] = []
    for name, col in zip(table.column_names, table.columns, strict=True):
        _flatten(str(name).strip(), col.combine_chunks(), names, arrays)
    _check_header(source, names, {} if columns is None else columns, known=known)
    problems: dict[int, list[FieldError]] = {}
    texts = []
    for name, arr in zip(names, arrays, strict=True):
        path = (columns or {}).get(name, name)
        out, bad = _text(arr)
        for i, message in bad:
            problems.setdefault(i, []).append(FieldError(path, message))
        texts.append(out)
    return TextTable(
        pa.Table.from_arrays(texts, names=names) if names else pa.table({}).slice(0, 0),
        {i: tuple(e) for i, e in sorted(problems.items())},
    )


def _flatten(name: str, arr: Any, names: list[str], arrays: list[Any]) -> None:
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_struct(arr.type):
        # flatten() folds the struct's own nulls into its fields
        for field, child in zip(arr.type, arr.flatten(), strict=True):
            _flatten(f"{name}.{field.name.strip()}", child, names, arrays)
        return
    names.append(name)
    arrays.append(arr)


def _text(arr: Any) -> tuple[Any, list[tuple[int, str]]]:
    """One column as ``pa.string()`` and the (row, message) of cells without a text form."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = arr.type
    n = len(arr)
    if isinstance(t, pa.ExtensionType):
        return _text(arr.storage)
    if pa.types.is_dictionary(t):
        return _text(arr.dictionary_decode())
    if pa.types.is_null(t):
        return pa.nulls(n, pa.string()), []
    if pa.types.is_string(t) or pa.types.is_large_string(t) or _is_view(t, "string"):
        col = pc.cast(arr, pa.string())
        try:  # Parquet does not check that its strings are UTF-8
            col.validate(full=True)
        except pa.ArrowInvalid:
            return _binary(pc.cast(col, pa.binary()))
        return col, []
    if pa.types.is_boolean(t) or pa.types.is_integer(t):
        return pc.cast(arr, pa.string()), []
    if pa.types.is_float16(t):
        values = [
            None if v is None else _float_text(float(np.float16(v)), "float16")
            for v in arr.to_pylist()
        ]
        return pa.array(values, pa.string()), []
    if pa.types.is_floating(t):
        return _floats(arr), []
    if pa.types.is_decimal(t):
        col = _exponents(pc.cast(arr, pa.string()))  # Arrow writes 1.0E-7
        col = pc.replace_substring_regex(col, r"^(-?[0-9]+)\.0*$", r"\1")
        col = pc.replace_substring_regex(col, r"^(-?[0-9]+\.[0-9]*?)0+$", r"\1")
        return pc.replace_substring_regex(col, r"^-0$", "0"), []
    if pa.types.is_date(t):
        return pc.cast(pc.cast(arr, pa.date32()), pa.string()), []
    if pa.types.is_timestamp(t):
        return _timestamps(arr), []
    if pa.types.is_time(t):
        return pa.array([None if v is None else v.isoformat() for v in arr.to_pylist()]), []
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return _binary(arr)
    if _is_view(t, "binary"):
        return _binary(pc.cast(arr, pa.binary()))
    if pa.types.is_duration(t):
        return pa.nulls(n, pa.string()), [
            (
                i,
                f"expected a number or text, got a duration ({v}); durations are not read as "
                "numbers: give the number, with its unit in the column name (e.g. [h])",
            )
            for i, v in enumerate(arr.to_pylist())
            if v is not None
        ]
    if pa.types.is_map(t):
        return pa.nulls(n, pa.string()), _every(
            arr,
            "expected a plain or struct column, got a map; maps are not read: use a "
            "struct column or dotted column names",
        )
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return _lists(arr)
    return pa.nulls(n, pa.string()), _every(
        arr, f"expected text, a number, a boolean or a date, got a column of type {t}"
    )


def _is_view(t: Any, kind: str) -> bool:
    import pyarrow as pa

    check = getattr(pa.types, f"is_{kind}_view", None)
    return bool(check is not None and check(t))


def _every(arr: Any, message: str) -> list[tuple[int, str]]:
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    return [(int(i), message) for i in valid.nonzero()[0]]


#: below these, every whole float of the precision is an integer whose digits are its
#: shortest text (beyond, ``float32(1.47e10)`` is 14700000256 but its text ``1.47e10``)
_EXACT_INTEGERS = {"float16": 2**11, "float32": 2**24}


def _float_text(v: float, kind: str) -> str | None:
    """The rule for one float, as :func:`_floats` applies it to a column."""
    import math

    import numpy as np

    if math.isnan(v):
        return None
    if v.is_integer() and abs(v) < _EXACT_INTEGERS.get(kind, 2**53):
        return str(int(v))
    if kind == "float16":
        return positional(str(np.float16(v)))
    if kind == "float32":
        return positional(str(np.float32(v)))
    return positional(repr(v))


def _exponents(col: Any) -> Any:
    """A text column of numbers with each cell written with an exponent (``1.5e+16``,
    ``1.0E-7``: Arrow's casts) rewritten in positional notation (rare: cell by cell)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    marked = pc.fill_null(pc.match_substring_regex(col, "[eE]"), False)
    if not pc.any(marked).as_py():
        return col
    texts: list[str | None] = col.to_pylist()
    for i in np.flatnonzero(marked.to_numpy(zero_copy_only=False)).tolist():
        texts[i] = positional(str(texts[i]))
    return pa.array(texts, pa.string())


def _floats(arr: Any) -> Any:
    """Floats as the shortest text of their own precision, in positional notation;
    whole ones as integers."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values = arr.to_numpy(zero_copy_only=False).astype(np.float64)
    with np.errstate(invalid="ignore"):
        exact = _EXACT_INTEGERS["float32"] if pa.types.is_float32(arr.type) else 2**53
        whole = np.isfinite(values) & (values == np.floor(values)) & (np.abs(values) < exact)
    col = pc.cast(arr, pa.string())
    if whole.any():
        ints = pa.array(np.where(whole, values, 0).astype(np.int64)).cast(pa.string())
        col = pc.if_else(pa.array(whole), ints, col)
    unknown = np.isnan(values)  # NaN, and null (to_numpy gives NaN for null)
    if unknown.any():
        col = pc.if_else(pa.array(unknown), pa.scalar(None, pa.string()), col)
    return _exponents(col)


def _timestamps(arr: Any) -> Any:
    """A timestamp at midnight on its wall clock (no zone, or its own zone) is its
    date; others their ISO 8601 text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = arr.type
    per_day = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
    wall = arr if t.tz is None else pc.local_timestamp(arr)  # the zone's own clock
    ticks = pc.fill_null(pc.cast(wall, pa.int64()), 0).to_numpy(zero_copy_only=False)
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    midnight = valid & (ticks % per_day[t.unit] == 0)
    days = pa.array(ticks // per_day[t.unit], pa.int64()).cast(pa.int32(), safe=False)
    out = pc.if_else(
        pa.array(midnight),
        pc.cast(days.cast(pa.date32()), pa.string()),
        pa.nulls(len(arr), pa.string()),
    )
    others = np.flatnonzero(valid & ~midnight)
    if len(others):
        values = arr.take(pa.array(others)).to_pylist()
        texts: list[str | None] = out.to_pylist()
        for i, v in zip(others.tolist(), values, strict=True):
            texts[i] = v.isoformat() if hasattr(v, "isoformat") else str(v)
        out = pa.array(texts, pa.string())
    return out


def _binary(arr: Any) -> tuple[Any, list[tuple[int, str]]]:
    """Bytes decoded as UTF-8; a cell that is not UTF-8 rejects its row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        col = pc.cast(pc.cast(arr, pa.binary()), pa.string())
        col.validate(full=True)
        return col, []
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out: list[str | None] = []
    bad: list[tuple[int, str]] = []
    for i, v in enumerate(arr.to_pylist()):
        if v is None:
            out.append(None)
            continue
        try:
            out.append(v.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(None)
            bad.append((i, f"expected text in UTF-8, got bytes {v[:20]!r} that are not UTF-8"))
    return pa.array(out, pa.string()), bad


def _lists(arr: Any) -> tuple[Any, list[tuple[int, str]]]:
    """Lists of text, numbers or booleans joined with ``;``; other lists reject the row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_fixed_size_list(arr.type) or pa.types.is_large_list(arr.type):
        arr = pc.cast(arr, pa.list_(arr.type.value_type))
    value = arr.type.value_type
    while pa.types.is_dictionary(value):
        arr = pc.cast(arr, pa.list_(value.value_type))
        value = value.value_type
    plain = (
        pa.types.is_string(value)
        or pa.types.is_large_string(value)
        or pa.types.is_integer(value)
        or pa.types.is_boolean(value)
        or pa.types.is_null(value)
    )
    if not plain:
        return pa.nulls(len(arr), pa.string()), _every(
            arr, f"expected a list of text, numbers or booleans, got a list of {value}"
        )
    if arr.offset:
        arr = pa.concat_arrays([arr])
    texts, _ = _text(arr.values)
    lists = pa.ListArray.from_arrays(arr.offsets, pc.fill_null(texts, ""), mask=arr.is_null())
    return pc.binary_join(lists, ";"), []


def frame_to_arrow(frame: Any, source: str, columns: Mapping[str, str] | None = None) -> Any:
    """A pandas or polars DataFrame (or pyarrow Table/RecordBatch) as a pyarrow Table.

    Duplicate or unnamed columns raise :class:`~sse_model.UnreadableInput`; a pandas
    object column Arrow cannot type (mixed values) is read cell by cell as text.
    """
    import pyarrow as pa

    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    if isinstance(frame, pa.Table):
        return frame
    module = type(frame).__module__.split(".")[0]
    if module == "polars":
        return polars_to_arrow(frame)
    if module != "pandas":
        raise TypeError(
            "expected a pyarrow Table or RecordBatch, or a pandas or polars DataFrame, "
            f"got {type(frame).__name__}"
        )
    names = [str(c).strip() for c in frame.columns]
    _check_header(source, names, {} if columns is None else columns, known=False)
    arrays = []
    for i in range(frame.shape[1]):
        series = frame.iloc[:, i]
        try:
            arrays.append(pa.Array.from_pandas(series))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
            cells = [text(v) for v in series.tolist()]
            arrays.append(pa.array([c if c else None for c in cells], pa.string()))
    return pa.Table.from_arrays(arrays, names=names)


def polars_to_arrow(frame: Any) -> Any:
    """A polars DataFrame as a pyarrow Table; 128-bit integer columns (``pl.read_csv``
    infers them for integers beyond int64, which Arrow cannot import) as their exact
    digits."""
    import polars as pl

    wide = {getattr(pl, n) for n in ("Int128", "UInt128") if hasattr(pl, n)}
    names = [name for name, kind in frame.schema.items() if kind in wide]
    if names:
        frame = frame.with_columns(pl.col(names).cast(pl.String))
    return frame.to_arrow()


def rows_of(texts: TextTable) -> Any:
    """Per row, its text cells (unknown as ``""``, as a CSV file holds it)."""
    names = texts.table.column_names
    for record in texts.table.to_pylist():
        yield {name: ("" if record[name] is None else record[name]) for name in names}


def rejected(
    number: int,
    cells: Mapping[str | None, str | None],
    problems: tuple[FieldError, ...],
    *,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> Any:
    """The rejected row for typed cells without a text form: their errors first, then
    those the other cells of the row get (the same in both lanes)."""
    from ._flat import RejectedRow, Row, rows_to_organisations

    (out,) = rows_to_organisations([Row(number, dict(cells))], currency=currency, columns=columns)
    paths = {e.path for e in problems}
    others = tuple(
        e
        for e in (out.errors if isinstance(out, RejectedRow) else ())
        if not any(e.path == p or e.path.startswith(p + ".") for p in paths)
    )
    ident = None if "id" in paths else out.id
    return RejectedRow(number, ident, problems + others, dict(cells))
