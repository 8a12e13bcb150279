"""Arrow arrays and scalars built from their buffers, so that pyarrow does not import pandas.

``pa.array``, ``pa.scalar`` and every ``pyarrow.compute`` call given a Python value or a
numpy array first ask whether the value is a pandas object, and that question imports
pandas when it is installed (pyarrow's lazy pandas shim): about half a second, paid by a
process that never uses pandas. An explicit ``type=`` does not skip the question, nor does
a numpy array; ``Array.to_numpy`` (even zero-copy) imports it too. :func:`numbers`,
:func:`strings`, :func:`string_lists`, :func:`scalar` and :func:`to_numpy` build the same
arrays, scalars and numpy views from buffers (``Array.from_buffers``, public API), which
asks nothing; ``tests/test_arrow.py`` checks each against pyarrow's call and that the
README's job leaves pandas unimported.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa

_NUMERIC: dict[Any, Any] = {
    np.dtype(np.int8): pa.int8(),
    np.dtype(np.int16): pa.int16(),
    np.dtype(np.int32): pa.int32(),
    np.dtype(np.int64): pa.int64(),
    np.dtype(np.uint8): pa.uint8(),
    np.dtype(np.uint16): pa.uint16(),
    np.dtype(np.uint32): pa.uint32(),
    np.dtype(np.uint64): pa.uint64(),
    np.dtype(np.float32): pa.float32(),
    np.dtype(np.float64): pa.float64(),
}


def _bits(flags: Any) -> Any:
    return pa.py_buffer(np.packbits(np.asarray(flags, dtype=bool), bitorder="little"))


def numbers(values: Any, mask: Any = None) -> Any:
    """``pa.array(values, mask=mask)`` for a one-dimensional numpy array of booleans or
    numbers (the Arrow type of its dtype; null where *mask* is true)."""
    values = np.ascontiguousarray(values)
    n = len(values)
    validity, nulls = None, 0
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        nulls = int(mask.sum())
        if nulls:
            validity = _bits(~mask)
    if values.dtype == np.bool_:
        return pa.Array.from_buffers(pa.bool_(), n, [validity, _bits(values)], null_count=nulls)
    kind = _NUMERIC[values.dtype]
    return pa.Array.from_buffers(kind, n, [validity, pa.py_buffer(values)], null_count=nulls)


def strings(values: list[str | None]) -> Any:
    """``pa.array(values, type=pa.string())`` for a list of strings and nones (raises
    :class:`UnicodeEncodeError` for a string UTF-8 cannot hold, as ``pa.array`` does;
    :class:`AttributeError` for a value that is not a string)."""
    n = len(values)
    nulls = values.count(None)
    filled: list[str] = ["" if v is None else v for v in values] if nulls else values  # type: ignore[assignment]
    joined = "".join(filled)
    if joined.isascii():  # one byte a character: the lengths are the strings'
        data = joined.encode("ascii")
        sizes: Any = map(len, filled)
    else:
        encoded = [v.encode("utf-8") for v in filled]
        data = b"".join(encoded)
        sizes = map(len, encoded)
    if len(data) > np.iinfo(np.int32).max:
        raise pa.ArrowCapacityError("the strings exceed 2 GiB")  # as pa.array does
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.fromiter(sizes, dtype=np.int32, count=n), out=offsets[1:])
    validity = None
    if nulls:
        validity = _bits(np.array(values, dtype=object) != np.array(None))
    return pa.Array.from_buffers(
        pa.string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)], null_count=nulls
    )


def string_lists(values: list[list[str]]) -> Any:
    """``pa.array(values, type=pa.list_(pa.string()))`` for a list of lists of strings."""
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum([len(v) for v in values], out=offsets[1:])
    flat = strings([s for v in values for s in v])
    return pa.ListArray.from_arrays(numbers(offsets), flat)


@lru_cache(maxsize=None, typed=True)  # typed: True and 1 are different scalars
def scalar(value: bool | int | float | str, kind: Any = None) -> Any:
    """``pa.scalar(value, type=kind)`` for a boolean, integer, float or string (by
    default of the type ``pa.scalar`` infers: bool, int64, float64, string)."""
    if type(value) is str:
        out = strings([value])[0]
    elif type(value) is bool:
        out = numbers(np.array([value]))[0]
    elif type(value) is int:
        out = numbers(np.array([value], dtype=np.int64))[0]
    else:
        out = numbers(np.array([value], dtype=np.float64))[0]
    return out if kind is None or out.type == kind else out.cast(kind)


def fill_null(values: Any, value: bool | int | float | str) -> Any:
    """``pc.fill_null(values, value)``: *value* as a scalar of the values' type."""
    import pyarrow.compute as pc

    return pc.fill_null(values, scalar(value, values.type))


def to_numpy(values: Any) -> Any:
    """``values.to_numpy(zero_copy_only=False)`` for an array (or chunked array) of
    booleans or numbers without nulls, read from its buffers (``to_numpy`` goes through
    pyarrow's pandas conversion, which imports pandas); other arrays are converted by
    ``to_numpy``. Numbers are a read-only view of the Arrow buffer, as ``to_numpy``
    gives them."""
    if isinstance(values, pa.ChunkedArray):
        values = values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    kind, n, at = values.type, len(values), values.offset
    if values.null_count == 0:
        data = values.buffers()[1]
        if kind == pa.bool_():
            if data is None:  # an empty array
                return np.zeros(0, dtype=bool)
            bits = np.frombuffer(data, dtype=np.uint8)
            return np.unpackbits(bits, count=at + n, bitorder="little")[at:].view(np.bool_)
        dtype = _DTYPES.get(kind)
        if dtype is not None:
            if data is None:
                return np.zeros(0, dtype=dtype)
            view = np.frombuffer(data, dtype=dtype, count=at + n)[at:]
            view.flags.writeable = False
            return view
    return values.to_numpy(zero_copy_only=False)


_DTYPES: dict[Any, Any] = {kind: dtype for dtype, kind in _NUMERIC.items()}
