"""Blocks of JSON Lines read by Arrow's JSON reader, where it gives the strict reader's cells.

The strict reader (:func:`._readers._jsonl_items`, then :func:`._sources._json_rows`
and :func:`._sources.flatten` for nested records) makes a batch's text columns one
line at a time in Python. Arrow's C++ reader makes the same columns several times
faster: flat records of strings directly, nested records (the model's JSON shape)
as struct columns that :mod:`._nested` flattens a column at a time. Arrow is trusted
only for a block in which it provably agrees with the strict reader, cell for cell,
and holds exactly the rows the strict reader holds; for any other block
:meth:`ArrowLines.table` returns None and the block is read as before. The strict
reader stays the authority: it decodes a row whenever the row itself is asked for
(the exact lane, a rejected row's cells), checks every row the Arrow lane holds,
and reads every block Arrow does not vouch for, so its errors and line numbers are
unchanged.

Why each check (each found by experiment with pyarrow 26):

- Arrow does not read line by line: ``{"a": "x"} {"b": "y"}`` on one line gives two
  rows, and an object may span lines. Each line must start with ``{`` and end with
  ``}``; then no row can span two lines (after a line's last ``}`` a nested value
  would need a ``,`` before the next ``{``), and the row count equals the line count
  only if each line holds one object.
- A ``null`` is a missing value in Arrow but an empty cell (``""``) for the strict
  reader, or a held record (a required field), and Arrow cannot tell it from an
  absent key: a block with a ``null`` token (or text that looks like one) is left.
- Arrow types values by inference. In a flat block every column must be a string
  (the strict reader writes numbers and booleans as text its own way); nested
  blocks follow flatten's rules per type (:mod:`._nested`). Arrow reads a string
  that looks like a date as a timestamp, so such fields are read again as strings
  (``explicit_schema``) and remembered for the next blocks.
- A key repeated in an object, a lone surrogate, comments or any other text the
  strict reader refuses: Arrow refuses it too (an error: the block is left) or reads
  it as a value that is no string (NaN, integers beyond 64 bits or beyond
  :data:`~sse_model._serialization.MAX_JSON_DIGITS`: doubles), which a flat block
  leaves and a nested one holds (then checked against the strict reader).
- Names: a blank or padded name is held by the strict reader, ``type: Feature`` and
  ``linked_schemas`` records are read as GeoJSON or Murmurations, and two names for
  one field are resolved across rows (:func:`._sources._resolve_clashes`): blocks
  with any of these are left (shares given both as ``x`` and ``x[%]`` in a nested
  block are merged as there).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from ._flat import column_conflicts

__all__ = ["ArrowLines"]

#: a ``null`` token (or a string holding what looks like one: the block is only left)
_NULL = re.compile(r"[:\[,][ \t\r\n]*null")
#: the largest block Arrow parses at once: a line of the strict reader's cap (1,000,000
#: characters) fits, in UTF-8
_BLOCK_BYTES = 1 << 22


class ArrowLines:
    """Arrow's reading of the blocks of one file; it keeps the fields met so far whose
    strings Arrow took for dates (given to Arrow as strings from then on, so that a
    date stays text). One per file."""

    def __init__(self) -> None:
        #: made on the first block Arrow reads (without pyarrow, none is)
        self._strings: dict[str, Any] = {}

    def table(self, lines: list[str], is_held: Callable[[int], bool]) -> tuple[Any, Any] | None:
        """The text columns of *lines* (each the text of a JSON Lines line) as an Arrow
        table and the rows held, if Arrow reads every line into the cells the strict
        reader reads (:func:`._sources.flatten` for a nested record; a column per name
        met, null where a record has no such key, and an ``id`` column); else None.
        *is_held* says whether the strict reader holds row *i* (asked of the rows this
        reading holds: any it would not hold leaves the block)."""
        if not lines or not all(s.startswith("{") and s.endswith("}") for s in lines):
            return None
        if not _trusted():
            return None
        if not self._strings:
            self._strings = _model_dates()
        text = "\n".join(lines)
        if "null" in text and _NULL.search(text):
            return None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a codec: the strict reader's
            return None
        table = self._read(data)
        for _ in range(3):  # strings that look like dates: read again as strings
            if table is None:
                return None
            dates = {
                f.name: kind
                for f in table.schema
                if (kind := _dates_as_text(f.type, self._strings.get(f.name))) is not None
            }
            if not dates:
                break
            self._strings.update(dates)
            table = self._read(data)
        else:
            return None
        n = len(lines)
        if table is None or table.num_rows != n:
            return None
        table = table.combine_chunks()
        flat = _checked(table, n)
        if flat is not None:
            return flat, _np().zeros(n, dtype=bool)
        from ._nested import nested_table

        return nested_table(table, is_held)

    def _read(self, data: bytes) -> Any:
        import pyarrow as pa
        import pyarrow.json as pj

        schema = pa.schema(list(self._strings.items())) if self._strings else None
        try:
            return pj.read_json(
                pa.BufferReader(data),
                read_options=pj.ReadOptions(use_threads=False, block_size=_BLOCK_BYTES),
                parse_options=pj.ParseOptions(
                    explicit_schema=schema,
                    newlines_in_values=False,
                    unexpected_field_behavior="infer",
                ),
            )
        except (pa.ArrowException, ValueError):
            return None


def _model_dates() -> dict[str, Any]:
    """The model's date fields as strings, flat (``registration.registered_on``) and
    nested (``registration: {registered_on}``, ``certifications: [{granted_on}]``):
    given to Arrow from the start, so that the first block is not read twice."""
    import typing
    from datetime import date

    import attrs
    import pyarrow as pa

    from .._model import Organisation
    from .._model._organisation import Certification

    def dates(cls: type) -> list[str]:
        hints = typing.get_type_hints(cls)
        return [
            a.name
            for a in attrs.fields(cls)
            if date in (hints[a.name], *typing.get_args(hints[a.name]))
        ]

    out: dict[str, Any] = {}
    hints = typing.get_type_hints(Organisation)
    for a in attrs.fields(Organisation):
        tp = hints[a.name]
        if attrs.has(tp) and (names := dates(tp)):
            out.update((f"{a.name}.{name}", pa.string()) for name in names)
            out[a.name] = pa.struct([(name, pa.string()) for name in names])
    cert = dates(Certification)
    out["certifications"] = pa.list_(pa.struct([(name, pa.string()) for name in cert]))
    return out


#: texts the strict reader refuses, each of which Arrow must refuse too
_REFUSED = (
    b'{"a": "x", "a": "y"}',
    b'{"p": {"a": 1, "a": 2}}',
    b'{"a": "x", "\\u0061": "y"}',
    b'{"a": "\\ud800"}',
    b'{"a": "x\\udc00"}',
    b'{"a": "\\udc00\\ud800"}',
    b'{"a": "x\ty"}',
    b'{"a": 01}',
    b'{"a": "x",}',
    b'{"a": "\\x41"}',
    b'{"a": "x"} // no comments',
    b"{'a': 'x'}",
)


@cache
def _trusted() -> bool:
    """Whether the installed pyarrow reads JSON as the checks of this module assume
    (found with pyarrow 26; the extra's lower bound is older): it refuses what the
    strict reader refuses, decodes escapes alike, and a struct's fields are null
    where the struct is. Checked once a process, on a few texts. False without
    pyarrow (installed without the ``arrow`` extra): every block is read strictly."""
    try:
        import pyarrow as pa
        import pyarrow.json as pj
    except ImportError:
        return False

    def read(text: bytes) -> Any:
        options = pj.ParseOptions(newlines_in_values=False)
        return pj.read_json(pa.BufferReader(text), parse_options=options)

    for text in _REFUSED:
        try:
            read(text)
        except (pa.ArrowException, ValueError):
            continue
        return False
    try:
        table = read(b'{"a": "\\ud83d\\ude00\\u00e9\\n", "s": {"x": 1}}\n{"a": "b"}')
    except (pa.ArrowException, ValueError):
        return False
    texts: list[Any] = table.column("a").to_pylist()
    fields: list[Any] = table.column("s").chunk(0).flatten()[0].to_pylist()
    return texts == ["\U0001f600\u00e9\n", "b"] and fields == [1, None]


def _dates_as_text(kind: Any, given: Any) -> Any:
    """The type to give Arrow for a field of type *kind* (as inferred) so that every
    timestamp in it is read as a string, merged with the type *given* before; None if
    *kind* holds no timestamp that is not already given as a string."""
    import pyarrow as pa

    if pa.types.is_timestamp(kind):
        return pa.string() if given is None else None
    if pa.types.is_struct(kind):
        old = (
            {}
            if given is None or not pa.types.is_struct(given)
            else {f.name: f.type for f in given}
        )
        new = dict(old)
        changed = False
        for f in kind:
            got = _dates_as_text(f.type, old.get(f.name))
            if got is not None:
                new[f.name] = got
                changed = True
        return pa.struct(list(new.items())) if changed else None
    if pa.types.is_list(kind):
        inner = given.value_type if given is not None and pa.types.is_list(given) else None
        got = _dates_as_text(kind.value_type, inner)
        return None if got is None else pa.list_(got)
    return None


def _np() -> Any:
    import numpy as np

    return np


def _checked(table: Any, n: int) -> Any:
    """*table* without the columns no record has, if every column is text under a name
    the strict reader takes as it is; else None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import _arrow

    names: list[str] = []
    columns: list[Any] = []
    string = pa.string()
    for name, column in zip(table.column_names, table.columns, strict=True):
        if column.null_count == n:
            continue  # a column of the schema that no record of the block names
        if column.type != string:
            return None
        if not name or name != name.strip() or name == "linked_schemas":
            return None
        if name == "type" and pc.any(pc.equal(column, _arrow.scalar("Feature"))).as_py():
            return None
        names.append(name)
        columns.append(column.chunk(0) if column.num_chunks == 1 else column.combine_chunks())
    if column_conflicts(names):
        return None
    if "id" not in names:
        names.append("id")
        columns.append(_arrow.strings([None] * n))
    return pa.Table.from_arrays(columns, names=names)
