"""Blocks of JSON Lines read by Arrow's JSON reader, where it gives the strict reader's cells.

A JSON Lines register of flat records whose values are all strings (the usual export
of a table) is read by the strict reader (:func:`._readers._jsonl_items`) into the
same cells as the records hold, but one line at a time in Python. Arrow's C++
reader makes the same text columns several times faster. It is trusted only for a
block in which it provably agrees with the strict reader, cell for cell; for any
other block :func:`flat_table` returns None and the block is read as before. The
strict reader stays the authority: it decodes a row whenever the row itself is
asked for (the exact lane, a rejected row's cells), and reads every block Arrow
does not vouch for, so its errors and line numbers are unchanged.

Why each check (each found by experiment with pyarrow 26):

- Arrow does not read line by line: ``{"a": "x"} {"b": "y"}`` on one line gives two
  rows, and an object may span lines. Each line must start with ``{`` and end with
  ``}``; then no row can span two lines (after a line's last ``}`` a nested value
  would need a ``,`` before the next ``{``), and the row count equals the line count
  only if each line holds one object.
- A ``null`` is a missing value in Arrow but an empty cell (``""``) for the strict
  reader, and Arrow cannot tell it from an absent key: a block with a ``null``
  token (or text that looks like one) is left to the strict reader.
- Arrow types values by inference: numbers, booleans, objects and lists are not
  text cells as they are (the strict reader writes them as text its own way), so a
  block with any column that is not a string is left; and Arrow reads a string that
  looks like a date as a timestamp, so such columns are read again as strings
  (``explicit_schema``) and remembered for the next blocks.
- A key repeated in an object, a lone surrogate, NaN, comments or any other text
  the strict reader refuses: Arrow either refuses it too (an error: the block is
  left) or reads it as a value that is no string (NaN, integers beyond 64 bits:
  doubles), which is left as well.
- Names: a blank or padded name is held by the strict reader, ``type: Feature`` and
  ``linked_schemas`` records are read as GeoJSON or Murmurations, and two names for
  one field are resolved across rows (:func:`._sources._resolve_clashes`): blocks
  with any of these are left.
"""

from __future__ import annotations

import re
from typing import Any

from ._flat import column_conflicts, vocabulary_names

__all__ = ["ArrowLines"]

#: a ``null`` token (or a string holding what looks like one: the block is only left)
_NULL = re.compile(r"[:\[,][ \t\r\n]*null")
#: the largest block Arrow parses at once: a line of the strict reader's cap (1,000,000
#: characters) fits, in UTF-8
_BLOCK_BYTES = 1 << 22


class ArrowLines:
    """Arrow's reading of the blocks of one file; it keeps the names of the text columns
    met so far (given to Arrow as strings, so that a date stays text). One per file."""

    def __init__(self) -> None:
        self._strings: dict[str, None] = dict.fromkeys(vocabulary_names())

    def flat_table(self, lines: list[str]) -> Any:
        """The text columns of *lines* (each the text of a JSON Lines line) as an Arrow
        table, if every line is a flat record of string values that the strict reader
        reads into the same cells (a column per name met, null where a record has no
        such key, and an ``id`` column); else None."""
        import pyarrow as pa

        if not lines or not all(s.startswith("{") and s.endswith("}") for s in lines):
            return None
        text = "\n".join(lines)
        if "null" in text and _NULL.search(text):
            return None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a codec: the strict reader's
            return None
        table = self._read(data)
        if table is not None:
            dates = [
                f.name
                for f in table.schema
                if pa.types.is_timestamp(f.type) and f.name not in self._strings
            ]
            if dates:  # strings that look like dates: read again as strings
                self._strings.update(dict.fromkeys(dates))
                table = self._read(data)
        if table is None or table.num_rows != len(lines):
            return None
        return _checked(table, len(lines))

    def _read(self, data: bytes) -> Any:
        import pyarrow as pa
        import pyarrow.json as pj

        schema = pa.schema([(name, pa.string()) for name in self._strings])
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
        if column.type != string:
            return None
        if column.null_count == n:
            continue  # a column of the schema that no record of the block names
        if not name or name != name.strip() or name == "linked_schemas":
            return None
        if name == "type" and pc.any(pc.equal(column, _arrow.scalar("Feature"))).as_py():
            return None
        names.append(name)
        columns.append(column.combine_chunks())
    if column_conflicts(names):
        return None
    if "id" not in names:
        names.append("id")
        columns.append(_arrow.strings([None] * n))
    return pa.Table.from_arrays(columns, names=names)
