"""The readers of every register format: rows of text cells, with their guards.

Each reader turns a file (CSV, TSV, JSON Lines, JSON, GeoJSON, Parquet, Excel) or an in-memory
table (pandas, polars, Arrow) into rows of flat text cells, records or rejected rows;
:mod:`._sources` gathers them into the batches both lanes read, and
:func:`~sse_model.read_register` builds organisations from them. Memory does not
grow with the number of rows: text files are read line by line, Parquet by record
batches, Excel in openpyxl's read-only mode and data frames by chunks.

Two kinds of problem are kept apart. A bad *row* becomes a :class:`RejectedRow`
(with its number, id, every :class:`~sse_model.FieldError` and the raw cells) and
reading goes on. A bad *file* (no header, wrong delimiter or encoding, duplicate or
unnamed columns, not the format its name says) raises
:class:`~sse_model.UnreadableInput`, which says where, what was expected and what
was found.

GeoJSON (RFC 7946) and Murmurations profiles are JSON read as flat records of their own
field names (:mod:`._formats` says how each value becomes a cell). A ``.json`` file
whose top level is a GeoJSON ``FeatureCollection`` gives one row per feature, one whose
top level is an aggregator response ``{"data": [...]}`` one row per profile; in any
JSON or JSON Lines source (and any iterable of mappings), an object whose ``type`` is
``"Feature"`` is read as a feature and one with ``linked_schemas`` as a Murmurations
profile. The ``geojson`` format (``.geojson``, ``.geojsons``, ``.geojsonl``) reads a
GeoJSON document (a FeatureCollection or one Feature), a GeoJSON text sequence (RFC 8142:
each text preceded by the record separator U+001E) or newline-delimited features; in it,
anything but a Feature is a rejected row. Rows are numbered by the feature's position
(from 1; newline-delimited features: by line, as JSON Lines).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import math
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

import attrs

from .._errors import FieldError, UnreadableInput
from .._serialization import JSONProblem, StrictJSON, json_value_end
from ._flat import RejectedRow, Row, _check_header, check_column_conflicts
from ._formats import feature_cells, tree_cells
from ._typed import text

__all__ = [
    "FORMATS",
    "MAX_CELL_CHARS",
    "InputFormat",
    "format_of",
    "text",
]

InputFormat = Literal["csv", "tsv", "jsonl", "json", "geojson", "parquet", "xlsx"]
#: the file formats :func:`read_register` reads
FORMATS: tuple[InputFormat, ...] = ("csv", "tsv", "jsonl", "json", "geojson", "parquet", "xlsx")
_EXTENSIONS: dict[str, InputFormat] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".geojson": "geojson",
    ".geojsons": "geojson",
    ".geojsonl": "geojson",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
#: a cell longer than this (in characters) rejects its row; the CSV module's own limit
#: is raised to :data:`_CSV_FIELD_LIMIT`, above which the file cannot be read
MAX_CELL_CHARS = 1_000_000
_CSV_FIELD_LIMIT = 16 * 1024 * 1024
#: a physical line of a CSV or TSV file longer than this (in characters) rejects its
#: row; the line is never read into memory whole
MAX_LINE_CHARS = _CSV_FIELD_LIMIT
#: rows per chunk for Parquet, Arrow and data frames
BATCH_ROWS = 4096
#: rows of JSON or Excel read ahead by :func:`read_register` (objects are built one by one)
_READ_AHEAD = 256
_SHOWN_CHARS = 200
_DELIMITERS = (",", ";", "\t", "|")


def format_of(path: str | os.PathLike[str]) -> InputFormat:
    """The input format named by a file's extension (``.csv.gz`` reads as CSV)."""
    p = Path(path)
    suffixes = [s.lower() for s in p.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = _EXTENSIONS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        known = ", ".join(sorted(_EXTENSIONS))
        raise UnreadableInput(
            str(path),
            f"expected a file name ending in one of {known}, found {p.suffix or 'no extension'!r}",
            hint="name the format with format= (--input-format)",
        )
    return fmt


def _extra(module: str, extra: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        msg = f"{what} needs {module.partition('.')[0]}: pip install 'sse-model[{extra}]'"
        raise ImportError(msg) from None


# --- cells as CSV would give them ------------------------------------------------------


def _put(out: dict[str | None, str | None], name: str, value: Any) -> None:
    if isinstance(value, Mapping):  # a struct column: its fields are dotted columns
        for k, v in value.items():
            _put(out, f"{name}.{k}", v)
    else:
        out[name] = text(value)


def _flat_cells(data: Mapping[Any, Any]) -> tuple[dict[str | None, str | None], list[str]]:
    """A JSON object with dotted keys as flat cells (nested objects become dotted names,
    without recursion), and the names that were given twice."""
    if set(map(type, data.values())) <= {str} and set(map(type, data)) <= {str}:
        return dict(data), []  # text cells only (the usual flat record): as they are
    cells: dict[str | None, str | None] = {}
    twice: list[str] = []
    stack: list[tuple[str, Any]] = [(str(k), v) for k, v in list(data.items())[::-1]]
    while stack:
        name, value = stack.pop()
        if isinstance(value, Mapping):
            stack.extend((f"{name}.{k}", v) for k, v in list(value.items())[::-1])
        elif name in cells:
            twice.append(name)
        else:
            cells[name] = text(value)
    return cells, twice


# --- CSV and TSV -----------------------------------------------------------------------


#: a ``.gz`` register may decompress to this many bytes, or to :data:`MAX_GZIP_RATIO`
#: times its own size if that is more; beyond, it is refused (a decompression bomb)
MAX_GZIP_BYTES = 1024**3
MAX_GZIP_RATIO = 100


class _CappedGzip(io.RawIOBase):
    """A gzip stream that stops with :class:`~sse_model.UnreadableInput` once it has
    given more decompressed bytes than its cap."""

    def __init__(self, path: Path) -> None:
        self._gz = gzip.open(path, "rb")  # noqa: SIM115 - closed by close()
        self._path = path
        self._cap = max(MAX_GZIP_BYTES, MAX_GZIP_RATIO * path.stat().st_size)
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n: int = self._gz.readinto(buffer)
        self._read += n
        if self._read > self._cap:
            raise UnreadableInput(
                str(self._path),
                f"expected a gzip file that decompresses to at most {self._cap:,} bytes "
                f"(the larger of {MAX_GZIP_BYTES:,} and {MAX_GZIP_RATIO} times its size), "
                "found more",
            )
        return n

    def close(self) -> None:
        self._gz.close()
        super().close()


def _open_text(path: Path, encoding: str, newline: str = "") -> IO[str]:
    enc = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    if path.suffix.lower() == ".gz":
        raw = io.BufferedReader(_CappedGzip(path), buffer_size=1 << 16)
        return io.TextIOWrapper(raw, encoding=enc, newline=newline)
    return path.open(encoding=enc, newline=newline)


def _check_encoding(path: Path, encoding: str) -> None:
    """Refuse what cannot decode the file before it is read: an unknown name, a codec
    that is not a text encoding (``rot13``, ``base64``, ``zlib``), and ``utf-16`` or
    ``utf-32`` (which need a byte-order mark) on a file that does not start with one."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UnreadableInput(
            str(path),
            f"expected a text encoding such as 'utf-8' or 'cp1252', got {encoding!r}",
        )
    if info.name in ("utf-16", "utf-32") and path.is_file():
        opener: Any = gzip.open if path.suffix.lower() == ".gz" else open
        boms = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
        try:
            with opener(path, "rb") as f:
                start = f.read(4)
        except (OSError, EOFError):
            return  # the reader reports it
        if start and not start.startswith(boms):
            size = info.name.removeprefix("utf-")
            raise UnreadableInput(
                str(path),
                f"expected {encoding} text starting with a byte-order mark, found {start!r}",
                hint=f"give the byte order with encoding='utf-{size}-le' or 'utf-{size}-be'",
            )


def _decode_error(path: Path, encoding: str) -> UnreadableInput:
    """Find the first undecodable byte, reading the file again as bytes (error path only)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line, offset = 1, 0
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as f:
        for chunk in f:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                bad = e.object[e.start : e.start + 4]
                hint = "pass the file's encoding with encoding= (--encoding)"
                if codecs.lookup(encoding).name == "utf-8":
                    hint += ", e.g. 'cp1252' or 'latin-1' for files saved by older Excel"
                return UnreadableInput(
                    str(path),
                    f"expected text in {encoding}, found bytes {bad!r} that are not "
                    f"valid {encoding} ({e.reason})",
                    line=line,
                    offset=offset + e.start,
                    hint=hint,
                )
            line += chunk.count(b"\n")
            offset += len(chunk)
    return UnreadableInput(str(path), f"expected text in {encoding}", hint="pass encoding=")


def _raise_csv_limit() -> None:
    # the csv module's limit is process-wide: only ever raise it, never lower it
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)


class _LineTooLong(Exception):
    """Raised through :mod:`csv` by :class:`_CsvLines` for a line above the cap."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class _CsvLines:
    """The physical lines of a text file for :func:`csv.reader`, each read with a cap
    (:data:`MAX_LINE_CHARS`) so that one huge line never sits in memory. A longer line is
    skipped and raised as :class:`_LineTooLong` once; iteration then goes on."""

    def __init__(self, f: IO[str]) -> None:
        self._lines = _capped_lines(f, MAX_LINE_CHARS + 2, ("\n", "\r"))
        #: physical lines read so far (the header is line 1)
        self.count = 0

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        if isinstance(line, _TooLong):
            raise _LineTooLong(int(line))
        return line


def _csv_rows(
    path: Path, encoding: str, delimiter: str, columns: Mapping[str, str]
) -> Iterator[Row | RejectedRow]:
    _check_encoding(path, encoding)
    _raise_csv_limit()
    source = str(path)
    with _open_text(path, encoding) as f:
        lines = _CsvLines(f)
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = next(reader, None)
            while header == []:  # blank lines before the header
                header = next(reader, None)
            if header is None:
                raise UnreadableInput(
                    source, "expected a header row naming the columns, found an empty file"
                )
            header = [h.strip() for h in header]  # "id " is the column id
            _check_delimiter(source, header, delimiter)
            _check_header(source, header, columns)
            width = len(header)
            n = 0
            while True:
                start = lines.count + 1
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except _LineTooLong as e:
                    n += 1
                    message = (
                        f"expected a line of at most {MAX_LINE_CHARS:,} characters, "
                        f"got {e.size:,} (line {lines.count})"
                    )
                    yield RejectedRow(n, None, (FieldError("", message),), {})
                    continue
                n += 1  # blank lines count, as they always have
                if not record:
                    continue  # a blank line
                cells: dict[str | None, str | None] = dict(zip(header, record, strict=False))
                if len(record) != width and lines.count > start:
                    yield _unclosed_quote(n, header, record, cells, start, lines.count)
                    continue
                if len(record) > width:
                    cells[None] = ";".join(record[width:])
                elif len(record) < width:
                    cells.update(dict.fromkeys(header[len(record) :]))
                yield _size_checked(n, cells)
        except UnicodeDecodeError:
            raise _decode_error(path, encoding) from None
        except csv.Error as e:
            raise UnreadableInput(
                source,
                f"expected CSV, found {e}",
                line=reader.line_num,
                hint=f"cells are limited to {_CSV_FIELD_LIMIT} characters",
            ) from None
        except _LineTooLong as e:  # in the header
            raise UnreadableInput(
                source,
                f"expected a header line of at most {MAX_LINE_CHARS:,} characters, "
                f"found {e.size:,}",
                line=lines.count,
            ) from None
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as e:
            raise UnreadableInput(source, f"expected a readable file, found {e}") from None


def _unclosed_quote(
    n: int,
    header: list[str],
    record: list[str],
    cells: dict[str | None, str | None],
    start: int,
    end: int,
) -> RejectedRow:
    """A ragged record spread over several lines: most likely a quote opened in one
    cell and closed only much later (or never), so the lines between became one cell."""
    col = next((i for i, v in enumerate(record) if "\n" in v or "\r" in v), len(record) - 1)
    name = header[col] if col < len(header) else f"cell {col + 1}"
    got = "fewer" if len(record) < len(header) else "more"
    message = (
        f"expected as many cells as header columns, got {got}: the quoted cell of "
        f"{name!r} opens on line {start} and its quote closes only on line {end} (or "
        f"never), so lines {start} to {end} were read as one row; check for a stray or "
        "missing quote"
    )
    raw = {
        k: (v[:_SHOWN_CHARS] + f"... ({len(v):,} characters)" if v and len(v) > 200 else v)
        for k, v in cells.items()
    }
    ident = cells.get("id")
    return RejectedRow(
        n, ident if ident and len(ident) <= 200 else None, (FieldError(name, message),), raw
    )


def _check_delimiter(source: str, header: list[str], delimiter: str) -> None:
    if len(header) != 1:
        return
    for d in _DELIMITERS:
        if d != delimiter and d in header[0]:
            shown = "\\t" if d == "\t" else d
            raise UnreadableInput(
                source,
                f"expected columns separated by {delimiter!r}, found a header with one "
                f"column {header[0][:80]!r} containing {d!r}",
                line=1,
                hint=f"pass delimiter={d!r} (--delimiter '{shown}')",
            )


def _size_checked(n: int, cells: dict[str | None, str | None]) -> Row | RejectedRow:
    if sum(map(len, filter(None, cells.values()))) <= MAX_CELL_CHARS:
        return Row(n, cells)  # no cell can be too long
    big = [(k, v) for k, v in cells.items() if v is not None and len(v) > MAX_CELL_CHARS]
    if not big:
        return Row(n, cells)
    errors = tuple(
        FieldError(
            k or "",
            f"expected a cell of at most {MAX_CELL_CHARS:,} characters, got {len(v):,}",
        )
        for k, v in big
    )
    raw = {
        k: (v[:_SHOWN_CHARS] + f"... ({len(v):,} characters)" if v and len(v) > 200 else v)
        for k, v in cells.items()
    }
    ident = cells.get("id")
    return RejectedRow(n, ident if ident and len(ident) <= 200 else None, errors, raw)


# --- JSON Lines and JSON ---------------------------------------------------------------


def _jsonl_items(path: Path, encoding: str) -> Iterator[tuple[int, Any, str | None]]:
    """One JSON value per line. Lines end at LF only (a bare CR is JSON whitespace) and
    are read with a cap, so a huge line is never held in memory."""
    yield from _decoded(_jsonl_lines(path, encoding), StrictJSON())


def _jsonl_lines(path: Path, encoding: str) -> Iterator[tuple[int, str | _TooLong, str | None]]:
    """The lines of a JSON Lines file that are not blank, undecoded: each numbered, as
    its text without the line end (twice: the value to decode, and the line a rejected
    row shows), or a line above the cap as its length (with the part shown, if any)."""
    _check_encoding(path, encoding)
    try:
        with _open_text(path, encoding, newline="\n") as f:
            for n, line in enumerate(_capped_lines(f, MAX_CELL_CHARS + 2, ("\n",)), 1):
                if isinstance(line, _TooLong):
                    yield n, line, None
                    continue
                if not line.strip():
                    continue
                text_line = line.rstrip("\r\n")
                if len(text_line) > MAX_CELL_CHARS:
                    yield n, _TooLong(len(text_line)), text_line[:_SHOWN_CHARS] + "..."
                    continue
                yield n, text_line, text_line
    except UnicodeDecodeError:
        raise _decode_error(path, encoding) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise UnreadableInput(str(path), f"expected a readable file, found {e}") from None


def _decoded(
    lines: Iterable[tuple[int, str | _TooLong, str | None]], strict: StrictJSON
) -> Iterator[tuple[int, Any, str | None]]:
    """The lines of :func:`_jsonl_lines` decoded by *strict*: each line's value, or why
    it has none (a :class:`_BadJSON` message; a line above the cap stays its length)."""
    for n, value, line in lines:
        if isinstance(value, _TooLong):
            yield n, value, line
            continue
        try:
            data = strict.loads(value)
        except JSONProblem as e:
            yield n, _BadJSON(str(e)), line
            continue
        except json.JSONDecodeError as e:
            yield n, _BadJSON(f"expected JSON: {e}"), line
            continue
        yield n, data, line


def _dotted(data: Mapping[Any, Any]) -> bool:
    """Whether a record names a column with a dot or a bracket: then it is flat."""
    try:
        names = "\0".join(data)
    except TypeError:  # a key that is not text (a mapping given in Python)
        return any("." in str(k) or "[" in str(k) for k in data)
    return "." in names or "[" in names


def _flat(data: Mapping[Any, Any]) -> bool:
    """Whether a record is a flat row: it names a column with a dot or a bracket, or
    none of its values is an object or a list holding one (all cells are scalars, as
    in a row of a table: ``""`` and null are unknown there). A record with an object
    (``{"governance": {...}}``) or a list of objects (``certifications``) is nested:
    the JSON shape of :class:`~sse_model.Organisation`."""
    if _dotted(data):
        return True
    for value in data.values():
        if type(value) in _SCALARS:
            continue
        if isinstance(value, Mapping):
            return False
        if isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value):
            return False
    return True


_SCALARS = frozenset({str, int, float, bool, type(None)})


@attrs.frozen
class Nested:
    """A nested JSON record (the JSON shape of an organisation) and its raw line."""

    data: Mapping[str, Any]
    raw: Mapping[str | None, str | None]


def _json_item(n: int, data: Any, line: str | None) -> Row | RejectedRow | Nested:
    """What one JSON value of a register is: a flat row (dotted keys, or scalar values
    only: see :func:`_flat`), a nested record (built by the converter where an object
    is needed) or a rejected row."""
    raw: dict[str | None, str | None] = {"line": line}
    if isinstance(data, _BadJSON):
        return RejectedRow(n, None, (FieldError("", str(data)),), raw)
    if isinstance(data, _TooLong):
        message = f"expected a line of at most {MAX_CELL_CHARS:,} characters, got {data:,}"
        return RejectedRow(n, None, (FieldError("", message),), raw)
    if not isinstance(data, Mapping):
        message = f"expected a JSON object, got {type(data).__name__}"
        return RejectedRow(n, None, (FieldError("", message),), raw)
    if isinstance(data, _Profile) or data.get("type") == "Feature" or "linked_schemas" in data:
        return _exchange_row(n, data, raw)
    if _flat(data):
        cells, twice = _flat_cells(data)
        if twice:
            errors = tuple(
                FieldError(
                    k,
                    f"expected each field in one column only, got {k!r} both as a "
                    "dotted key and inside an object",
                )
                for k in twice
            )
            ident = data.get("id")
            return RejectedRow(n, ident if isinstance(ident, str) else None, errors, raw)
        return _size_checked(n, cells)
    if line is None:
        raw = {"line": json.dumps(data, ensure_ascii=False, default=str)}
    return Nested(data, raw)


class _Profile(dict[str, Any]):
    """An element of an aggregator's ``data`` array: read as a Murmurations profile."""


def _exchange_row(
    n: int, data: Mapping[str, Any], raw: dict[str | None, str | None]
) -> Row | RejectedRow:
    """A GeoJSON Feature or a Murmurations profile as a flat row of its own names."""
    if data.get("type") == "Feature" and not isinstance(data, _Profile):
        cells, errors = feature_cells(data)
    else:
        cells, errors = tree_cells(data)
    if errors:
        ident = cells.get("id")
        if raw["line"] is None:
            raw = {"line": _shown(json.dumps(data, ensure_ascii=False, default=str))}
        return RejectedRow(n, ident if ident and len(ident) <= 200 else None, tuple(errors), raw)
    flat: dict[str | None, str | None] = dict(cells.items())
    return _size_checked(n, flat)


def _shown(line: str) -> str:
    return line if len(line) <= MAX_CELL_CHARS else line[:_SHOWN_CHARS] + "..."


def _not_feature(data: Any) -> _BadJSON | None:
    """Why a member of a FeatureCollection or a GeoJSON sequence is no Feature (None:
    it is one)."""
    if isinstance(data, _BadJSON | _TooLong):
        return None
    if isinstance(data, Mapping) and data.get("type") == "Feature":
        return None
    kind = data.get("type") if isinstance(data, Mapping) else None
    got = f"type {kind!r}" if isinstance(kind, str) else f"a JSON {type(data).__name__}"
    return _BadJSON(f"expected a GeoJSON Feature object (RFC 7946, section 3.2), got {got}")


def _members(source: str, data: Any) -> list[tuple[Any, str | None]] | None:
    """The rows of a top-level JSON object that holds them: a FeatureCollection's
    features (RFC 7946, section 3.3), each checked to be a Feature, or an aggregator's
    ``data`` array, each read as a Murmurations profile; None for any other value."""
    if not isinstance(data, Mapping):
        return None
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise UnreadableInput(
                source,
                "expected a FeatureCollection with a 'features' array (RFC 7946, section "
                f"3.3), found {type(features).__name__ if 'features' in data else 'none'}",
            )
        return [_checked_feature(f) for f in features]
    rows = data.get("data")
    if isinstance(rows, list) and not {"type", "id", "linked_schemas"} & data.keys():
        return [(_Profile(r) if isinstance(r, Mapping) else r, None) for r in rows]
    return None


def _checked_feature(data: Any, line: str | None = None) -> tuple[Any, str | None]:
    """A member of a FeatureCollection or a GeoJSON sequence, or why it is no Feature
    (with the member's text, shown in the rejected row)."""
    bad = _not_feature(data)
    if bad is None:
        return data, line
    return bad, line or _shown(json.dumps(data, ensure_ascii=False, default=str))


def _capped_lines(f: IO[str], limit: int, ends: tuple[str, ...]) -> Iterator[str | _TooLong]:
    """The lines of *f* (ending in one of *ends*), each read with at most *limit*
    characters in memory; a longer line is skipped (read on in pieces) and given as its
    length."""
    while True:
        line = f.readline(limit)
        if not line:
            return
        if len(line) < limit or line.endswith(ends):
            yield line
            continue
        size = len(line)
        while line and not line.endswith(ends):
            line = f.readline(1 << 16)
            size += len(line)
        yield _TooLong(size - (len(line) - len(line.rstrip("\r\n"))))  # without the line end


class _BadJSON(str):
    """A JSON decoding error (the whole message), carried to the converter as a rejected
    row."""


class _TooLong(int):
    """A line or value above its limit, by its length in characters."""


#: the largest single JSON value (the object of a ``.json`` file, or one element of its
#: array) read into memory, in characters
MAX_JSON_VALUE_CHARS = _CSV_FIELD_LIMIT
_READ_CHARS = 1 << 16


def _json_items(path: Path, encoding: str) -> Iterator[tuple[int, Any, str | None]]:
    """One object, or the elements of an array, decoded incrementally (no full load).

    The buffer holds the current value only; it grows by doubling (linear time for a
    big value) up to :data:`MAX_JSON_VALUE_CHARS`. A refused element (repeated key,
    too deep, huge integer) is a rejected row and reading goes on after it."""
    _check_encoding(path, encoding)
    source = str(path)
    strict = StrictJSON()
    try:
        with _open_text(path, encoding) as f:
            buf, pos, base_line, eof = "", 0, 1, False

            def fill() -> bool:
                # keep the unread part, read at least as much again: linear overall
                nonlocal buf, pos, base_line, eof
                if eof:
                    return False
                chunk = f.read(max(_READ_CHARS, len(buf) - pos))
                if not chunk:
                    eof = True
                    return False
                base_line += buf.count("\n", 0, pos)
                buf, pos = buf[pos:] + chunk, 0
                return True

            def skip() -> None:
                nonlocal pos
                while True:
                    while pos < len(buf) and buf[pos] in " \t\r\n":
                        pos += 1
                    if pos < len(buf) or not fill():
                        return

            def fail(at: int, expected: str, found: str | None = None) -> UnreadableInput:
                line = base_line + buf.count("\n", 0, at)
                if found is None:
                    found = repr(buf[at : at + 20]) if at < len(buf) else "EOF"
                return UnreadableInput(source, f"expected {expected}, found {found}", line=line)

            def too_big(what: str) -> UnreadableInput:
                return fail(
                    pos,
                    f"{what} of at most {MAX_JSON_VALUE_CHARS:,} characters",
                    "a longer one",
                )

            def value(what: str) -> tuple[Any, str | None]:
                """Decode the value at *pos* (reading more as needed) and step past it."""
                nonlocal pos
                while True:
                    try:
                        data, end = strict.decode(buf, pos)
                    except json.JSONDecodeError as e:
                        if len(buf) - pos > MAX_JSON_VALUE_CHARS:
                            raise fail(
                                e.pos,
                                f"{what} of at most {MAX_JSON_VALUE_CHARS:,} characters",
                                f"a longer one, or malformed JSON ({e.msg})",
                            ) from None
                        if not fill():
                            raise fail(e.pos, what, e.msg) from None
                        continue
                    except JSONProblem as e:
                        end_at = json_value_end(buf, pos)
                        while end_at is None:
                            if len(buf) - pos > MAX_JSON_VALUE_CHARS:
                                raise too_big(what) from None
                            if not fill():
                                raise fail(pos, what, "an unfinished value") from None
                            end_at = json_value_end(buf, pos)
                        element = buf[pos:end_at]
                        pos = end_at
                        return _BadJSON(str(e)), element if len(
                            element
                        ) <= MAX_CELL_CHARS else None
                    if end - pos > MAX_JSON_VALUE_CHARS:
                        raise too_big(what)
                    element = buf[pos:end]
                    pos = end
                    return data, element if len(element) <= MAX_CELL_CHARS else None

            def collection() -> Iterator[tuple[int, Any, str | None]]:
                """The members of a FeatureCollection (its ``type`` first), the
                ``features`` array read element by element: one feature in memory."""
                nonlocal pos
                names: set[str] = set()
                while True:
                    skip()
                    if names or pos >= len(buf) or buf[pos] != "}":
                        name, _ = value("a member name")
                        if not isinstance(name, str):
                            raise fail(pos, "a member name (a JSON string)")
                        if name in names:
                            raise fail(pos, f"the member {name!r} once")
                        names.add(name)
                        skip()
                        if pos >= len(buf) or buf[pos] != ":":
                            raise fail(pos, "':' after a member name")
                        pos += 1
                        skip()
                        if name == "features":
                            if pos >= len(buf) or buf[pos] != "[":
                                raise UnreadableInput(
                                    source,
                                    "expected a FeatureCollection with a 'features' array "
                                    "(RFC 7946, section 3.3), found another value",
                                )
                            pos += 1
                            yield from features()
                        else:
                            value("a JSON value as member")
                        skip()
                        if pos < len(buf) and buf[pos] == ",":
                            pos += 1
                            continue
                    if pos >= len(buf) or buf[pos] != "}":
                        raise fail(pos, "',' or '}' between members")
                    pos += 1
                    skip()
                    if pos < len(buf):
                        raise fail(pos, "nothing after the JSON object")
                    if "features" not in names:
                        raise UnreadableInput(
                            source,
                            "expected a FeatureCollection with a 'features' array (RFC 7946, "
                            "section 3.3), found none",
                        )
                    return

            def features() -> Iterator[tuple[int, Any, str | None]]:
                nonlocal pos
                n = 0
                while True:
                    skip()
                    if pos < len(buf) and buf[pos] == "]":
                        pos += 1
                        return
                    if n:
                        if pos >= len(buf) or buf[pos] != ",":
                            raise fail(pos, "',' or ']' between features")
                        pos += 1
                        skip()
                    n += 1
                    data, element = value("a JSON value as feature")
                    yield n, *_checked_feature(data, element)

            skip()
            if pos >= len(buf):
                raise UnreadableInput(
                    source, "expected a JSON object or array, found an empty file"
                )
            if _COLLECTION_START.match(buf, pos):  # GeoJSON: the features one by one
                pos = buf.index("{", pos) + 1
                yield from collection()
                return
            if buf[pos] != "[":
                data, element = value("a JSON object or array")
                skip()
                if pos < len(buf):
                    raise fail(pos, "nothing after the JSON object")
                members = _members(source, data)
                if members is None:
                    yield 1, data, element
                    return
                del data, element
                for n, (member, text_of) in enumerate(members, 1):
                    yield n, member, text_of
                return
            pos += 1
            n = 0
            while True:
                skip()
                if pos < len(buf) and buf[pos] == "]":
                    pos += 1
                    skip()
                    if pos < len(buf):
                        raise fail(pos, "nothing after the JSON array")
                    return
                if n:
                    if pos >= len(buf) or buf[pos] != ",":
                        raise fail(pos, "',' or ']' between array elements")
                    pos += 1
                    skip()
                n += 1
                data, element = value("a JSON value as array element")
                yield n, data, element
    except UnicodeDecodeError:
        raise _decode_error(path, encoding) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise UnreadableInput(source, f"expected a readable file, found {e}") from None


# --- GeoJSON ------------------------------------------------------------------------------

_RS = "\x1e"
#: a JSON object whose first member says it is a FeatureCollection: read feature by feature
_COLLECTION_START = re.compile(r'\s*\{\s*"type"\s*:\s*"FeatureCollection"\s*[,}]')


def _geojson_items(path: Path, encoding: str) -> Iterator[tuple[int, Any, str | None]]:
    """The features of a GeoJSON file: a text sequence (RFC 8142: the file starts with
    the record separator), newline-delimited features (the first line is one whole
    Feature) or one GeoJSON document (a FeatureCollection or a Feature). Anything but a
    Feature is given as the reason its row is rejected."""
    _check_encoding(path, encoding)
    source = str(path)
    try:
        with _open_text(path, encoding, newline="\n") as f:
            first = f.readline(MAX_CELL_CHARS + 2)
            while first and not first.strip(" \t\r\n"):
                first = f.readline(MAX_CELL_CHARS + 2)
    except UnicodeDecodeError:
        raise _decode_error(path, encoding) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise UnreadableInput(source, f"expected a readable file, found {e}") from None
    head = first.lstrip(" \t\r\n")
    if head.startswith("["):
        raise UnreadableInput(
            source,
            "expected a GeoJSON FeatureCollection, a Feature or a GeoJSON text sequence "
            "(RFC 7946, RFC 8142), found a JSON array",
            line=1,
        )
    if head.startswith(_RS):
        items: Iterable[tuple[int, Any, str | None]] = _rs_items(path, encoding)
    elif _is_feature_line(head):
        items = _jsonl_items(path, encoding)
    else:
        items = _geojson_document(path, encoding)
    for n, data, line in items:
        checked, shown = _checked_feature(data, line)
        yield n, checked, shown


def _is_feature_line(line: str) -> bool:
    try:
        data = StrictJSON().loads(line)
    except (JSONProblem, json.JSONDecodeError):
        return False
    return isinstance(data, Mapping) and data.get("type") == "Feature"


def _geojson_document(path: Path, encoding: str) -> Iterator[tuple[int, Any, str | None]]:
    """One GeoJSON object: a FeatureCollection's features, or one Feature."""
    for n, data, line in _json_items(path, encoding):
        if isinstance(data, _Profile):
            raise UnreadableInput(
                str(path),
                "expected a GeoJSON FeatureCollection or Feature object (RFC 7946, "
                "section 3), found an object with a 'data' array",
            )
        yield n, data, line


def _rs_items(path: Path, encoding: str) -> Iterator[tuple[int, Any, str | None]]:
    """The texts of a GeoJSON text sequence (RFC 8142, section 2; RFC 7464): each begins
    with U+001E and ends at the next one; a text that is not JSON is a rejected row and
    reading goes on (as RFC 7464, on which RFC 8142 builds, recommends). A text is read
    with at most :data:`MAX_JSON_VALUE_CHARS` characters in memory; a longer one is
    skipped."""
    strict = StrictJSON()
    n = 0
    try:
        with _open_text(path, encoding, newline="\n") as f:
            for piece in _rs_texts(f):
                if isinstance(piece, _TooLong):
                    n += 1
                    message = (
                        f"expected a GeoJSON text of at most {MAX_JSON_VALUE_CHARS:,} "
                        f"characters, got {int(piece):,}"
                    )
                    yield n, _BadJSON(message), None
                    continue
                body = piece.strip(" \t\r\n")
                if not body:
                    continue  # nothing between two separators, or before the first
                n += 1
                try:
                    yield n, strict.loads(body), _shown(body)
                except JSONProblem as e:
                    yield n, _BadJSON(str(e)), _shown(body)
                except json.JSONDecodeError as e:
                    yield n, _BadJSON(f"expected a JSON text: {e}"), _shown(body)
    except UnicodeDecodeError:
        raise _decode_error(path, encoding) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise UnreadableInput(str(path), f"expected a readable file, found {e}") from None


def _rs_texts(f: IO[str]) -> Iterator[str | _TooLong]:
    """What lies between record separators (the part before the first one included),
    each at most :data:`MAX_JSON_VALUE_CHARS` characters, a longer one as its length."""
    pending: list[str] = []
    size = 0
    while chunk := f.read(_READ_CHARS):
        *done, rest = chunk.split(_RS)
        for part in done:
            if size + len(part) > MAX_JSON_VALUE_CHARS:
                yield _TooLong(size + len(part))
            else:
                yield "".join([*pending, part])
            pending, size = [], 0
        size += len(rest)
        if size > MAX_JSON_VALUE_CHARS:
            pending.clear()  # only its length is kept
        else:
            pending.append(rest)
    yield _TooLong(size) if size > MAX_JSON_VALUE_CHARS else "".join(pending)


# --- Parquet, Arrow, Excel, data frames ------------------------------------------------


def _arrow_batches(
    source: str,
    batches: Iterable[Any],
    names: list[str],
    columns: Mapping[str, str],
    currency: str | None = None,
) -> Iterator[Row | RejectedRow]:
    """Rows of Arrow batches, through the typed-column rules both lanes share
    (:mod:`._typed`); a typed cell without a text form rejects its row."""
    from ._typed import rejected, rows_of, text_table

    _check_header(source, [n.strip() for n in names], columns, conflicts=False, known=False)
    n = 0
    checked = False
    for batch in batches:
        if not checked:  # struct columns are checked by their fields (dotted names)
            check_column_conflicts(source, _leaf_names(batch.schema), columns)
            checked = True
        texts = text_table(batch, source, columns)
        for i, cells in enumerate(rows_of(texts)):
            n += 1
            problems = texts.problems.get(i)
            if problems:
                yield rejected(n, cells, problems, currency=currency, columns=columns)
            else:
                yield Row(n, dict(cells))


#: the largest uncompressed column chunk of a Parquet row group, from the file's metadata
MAX_PARQUET_CHUNK_BYTES = 256 * 1024**2


def check_parquet_sizes(source: str, metadata: Any) -> None:
    """Refuse a Parquet file whose metadata declares a column chunk above
    :data:`MAX_PARQUET_CHUNK_BYTES` once uncompressed, before any data is read (a few
    KB of zstd can hold a gigabyte string). Both lanes can call it."""
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        for c in range(group.num_columns):
            chunk = group.column(c)
            size = chunk.total_uncompressed_size
            if size > MAX_PARQUET_CHUNK_BYTES:
                raise UnreadableInput(
                    source,
                    f"expected column chunks of at most {MAX_PARQUET_CHUNK_BYTES:,} bytes "
                    f"uncompressed, found {size:,} in column {chunk.path_in_schema!r} of "
                    f"row group {g}",
                    hint="write the file with smaller row groups (row_group_size=)",
                )


def _leaf_names(schema: Any) -> list[str]:
    """The columns an Arrow schema gives as cells: struct fields become dotted names."""
    import pyarrow as pa

    out: list[str] = []
    stack = [(f.name, f.type) for f in reversed(list(schema))]
    while stack:
        name, kind = stack.pop()
        if pa.types.is_struct(kind):
            fields = [kind.field(i) for i in range(kind.num_fields)]
            stack.extend((f"{name}.{f.name}", f.type) for f in reversed(fields))
        else:
            out.append(name)
    return out


def _parquet_rows(
    path: Path, columns: Mapping[str, str], currency: str | None = None
) -> Iterator[Row | RejectedRow]:
    pq = _extra("pyarrow.parquet", "arrow", "Reading Parquet")
    import pyarrow as pa

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as e:
        raise UnreadableInput(str(path), f"expected a Parquet file, found: {e}") from None
    check_parquet_sizes(str(path), pf.metadata)
    names = list(pf.schema_arrow.names)

    def batches() -> Iterator[Any]:
        try:
            yield from pf.iter_batches(batch_size=BATCH_ROWS)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError, EOFError) as e:
            raise UnreadableInput(str(path), f"expected a Parquet file, found: {e}") from None

    for row in _arrow_batches(str(path), batches(), names, columns, currency):
        yield row if isinstance(row, RejectedRow) else _size_checked(row.number, dict(row.cells))


def _arrow_rows(
    source: Any, columns: Mapping[str, str], currency: str | None = None
) -> Iterator[Row | RejectedRow]:
    _extra("pyarrow", "arrow", "Reading Arrow data")
    kind = type(source).__name__
    if kind == "Table":
        batches: Iterable[Any] = source.to_batches(max_chunksize=BATCH_ROWS)
    elif kind == "RecordBatch":
        batches = [source]
    elif hasattr(source, "read_next_batch"):  # RecordBatchReader
        batches = source
    else:
        raise TypeError(f"expected a pyarrow Table, RecordBatch or RecordBatchReader, got {kind}")
    for row in _arrow_batches(
        f"the Arrow {kind}", batches, list(source.schema.names), columns, currency
    ):
        yield row if isinstance(row, RejectedRow) else _size_checked(row.number, dict(row.cells))


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        return False
    return True


def _plain_rows(source: str, names: list[str], rows: Iterable[Any]) -> Iterator[Row | RejectedRow]:
    """Data frame rows cell by cell with :func:`text`, without pyarrow (then the
    columnar lane, which needs it, is not there to disagree)."""
    for n, values in enumerate(rows, 1):
        cells: dict[str | None, str | None] = {}
        for name, value in zip(names, values, strict=True):
            _put(cells, name, value)
        yield _size_checked(n, cells)


def _pandas_rows(
    frame: Any, columns: Mapping[str, str], currency: str | None = None
) -> Iterator[Row | RejectedRow]:
    from ._typed import frame_to_arrow

    source = "the pandas DataFrame"
    if not _has_pyarrow():  # pragma: no cover - depends on the environment
        names = [str(c).strip() for c in frame.columns]
        _check_header(source, names, columns, known=False)
        yield from _plain_rows(source, names, frame.itertuples(index=False, name=None))
        return
    # struct columns are checked by their fields (dotted names), as text
    _check_header(source, [str(c).strip() for c in frame.columns], columns, known=False)
    chunks = (
        frame_to_arrow(frame.iloc[start : start + BATCH_ROWS], source, columns)
        for start in range(0, len(frame), BATCH_ROWS)
    )
    for row in _arrow_batches(source, chunks, [str(c) for c in frame.columns], columns, currency):
        yield row if isinstance(row, RejectedRow) else _size_checked(row.number, dict(row.cells))


def _polars_rows(
    frame: Any, columns: Mapping[str, str], currency: str | None = None
) -> Iterator[Row | RejectedRow]:
    source = "the polars DataFrame"
    if not _has_pyarrow():  # pragma: no cover - depends on the environment
        names = [str(c).strip() for c in frame.columns]
        _check_header(source, names, columns, known=False)
        yield from _plain_rows(source, names, frame.iter_rows())
        return
    from ._typed import polars_to_arrow

    chunks = (polars_to_arrow(chunk) for chunk in frame.iter_slices(n_rows=BATCH_ROWS))
    for row in _arrow_batches(source, chunks, list(frame.columns), columns, currency):
        yield row if isinstance(row, RejectedRow) else _size_checked(row.number, dict(row.cells))


#: Excel's own sheet size: a row or column beyond it makes the file unreadable
MAX_EXCEL_ROWS = 1_048_576
MAX_EXCEL_COLUMNS = 16_384
#: decompressed bytes of all the members of one ``.xlsx`` (as declared in the zip
#: directory, which :mod:`zipfile` holds them to)
MAX_XLSX_BYTES = 4 * 1024**3
#: the longest run of XML text or attribute (bytes between two ``<``) in an ``.xlsx``:
#: the cell limit of CSV files, checked before openpyxl holds such a string
MAX_XML_RUN_BYTES = _CSV_FIELD_LIMIT
#: Excel holds numbers with 15 significant digits; an id with more has lost digits
_EXCEL_DIGITS = 15
_MAX_MERGED_ROWS = 200_000
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)"'
)


class _NoCachedValue:
    """A formula cell saved without its result (openpyxl reads it as empty)."""


_NO_CACHED = _NoCachedValue()


def _check_xlsx(path: Path) -> dict[str, list[str]]:
    """Check an ``.xlsx`` before openpyxl reads it: declared sizes (a decompression
    bomb), runs of text (a huge shared or inline string is refused before anything
    allocates it); and collect the merged ranges of each sheet."""
    import zipfile

    source = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return {}  # openpyxl reports it
    merges: dict[str, list[str]] = {}
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_XLSX_BYTES:
            raise UnreadableInput(
                source,
                f"expected an Excel workbook of at most {MAX_XLSX_BYTES:,} bytes once "
                f"decompressed, found members declaring {total:,}",
            )
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            sheet = info.filename.startswith("xl/worksheets/")
            found: dict[str, None] = {}
            run, tail = 0, b""
            try:
                with zf.open(info) as f:
                    # a chunk no longer than the cap: only runs across chunks can exceed it
                    while chunk := f.read(min(1 << 20, MAX_XML_RUN_BYTES)):
                        first = chunk.find(b"<")
                        if first < 0:
                            run += len(chunk)
                        elif run + first > MAX_XML_RUN_BYTES:
                            run += first
                        else:
                            run = len(chunk) - chunk.rfind(b"<") - 1
                        if run > MAX_XML_RUN_BYTES:
                            raise UnreadableInput(
                                source,
                                f"expected cells of at most {MAX_XML_RUN_BYTES:,} bytes, "
                                f"found a run of more than {MAX_XML_RUN_BYTES:,} bytes of text "
                                f"in {info.filename}",
                            )
                        if sheet and b"mergeCell" in tail + chunk and len(found) < 10_000:
                            for m in _MERGE.finditer(tail + chunk):
                                found[m.group(1).decode().upper()] = None
                        tail = chunk[-200:]
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                zlib.error,
                NotImplementedError,  # a compression or zip version zipfile lacks
                RuntimeError,  # an encrypted member
            ) as e:
                raise UnreadableInput(
                    source, f"expected an Excel workbook (.xlsx), found: {e}"
                ) from None
            if found:
                merges[info.filename] = list(found)
    return merges


def _excel_rows(
    path: Path, sheet: str | int | None, columns: Mapping[str, str]
) -> Iterator[Row | RejectedRow]:
    openpyxl = _extra("openpyxl", "excel", "Reading Excel files")
    source = str(path)
    merges = _check_xlsx(path)
    fast = _calamine() is not None
    try:
        if fast:  # each sheet sized below, unless calamine reads it
            wb = _unsized_workbook(path)
        else:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds (zip, XML, KeyError)
        raise UnreadableInput(
            source, f"expected an Excel workbook (.xlsx), found: {type(e).__name__}: {e}"
        ) from None
    try:
        if fast:
            ws, fast_rows = _sized_sheet(source, path, wb, sheet)
        else:
            ws, fast_rows = _sheet(source, wb, sheet), None
        member = str(getattr(ws, "_worksheet_path", "")).lstrip("/")
        sheet_merges = merges.get(member, [])
        rows = fast_rows or _sheet_rows(source, wb, ws)
        first = next(rows, None)
        if first is None:
            return  # an empty sheet: no rows
        idx, values = first
        if idx != 1 or all(v is None for v in values.values()):
            raise UnreadableInput(
                source,
                f"expected a header in row 1 of sheet {ws.title!r}, found an empty row",
                line=1,
            )
        header = [text(values.get(i)).strip() for i in range(1, max(values) + 1)]
        while header and not header[-1].strip():
            header.pop()  # trailing empty cells are not columns
        blanks = [i for i, h in enumerate(header) if not h.strip()]
        if blanks:
            merged = _merged_header(ws)
            letter = openpyxl.utils.get_column_letter(blanks[0] + 1)
            if merged:
                raise UnreadableInput(
                    source,
                    f"expected one named column per header cell in sheet {ws.title!r}, found "
                    f"merged header cells {', '.join(merged)}",
                    line=1,
                    hint="unmerge them and name each column",
                )
            raise UnreadableInput(
                source,
                f"expected a name in every header cell of sheet {ws.title!r}, "
                f"found {letter}1 empty",
                line=1,
            )
        _check_header(source, header, columns)
        width = len(header)
        id_col = next((i for i, h in enumerate(header, 1) if columns.get(h, h) == "id"), None)
        merged_cells = _merged_data_cells(sheet_merges, width)
        for idx, values in rows:
            if all(v is None for v in values.values()):
                continue
            n = idx - 1
            cells: dict[str | None, str | None] = {}
            errors: list[FieldError] = []
            for col, name in enumerate(header, 1):
                value = values.get(col)
                if value is _NO_CACHED:
                    errors.append(
                        FieldError(
                            name,
                            f"expected a value in cell {_ref(col, idx)}, got a formula saved "
                            "without its result (open and save the file in a spreadsheet "
                            "program that computes it, or store values)",
                        )
                    )
                    value = None
                elif value is None and (col, idx) in merged_cells:
                    errors.append(
                        FieldError(
                            name,
                            f"expected a value in cell {_ref(col, idx)}, got an empty cell "
                            f"merged into {merged_cells[col, idx]} (only the first cell of "
                            "merged cells holds the value: unmerge and fill each cell)",
                        )
                    )
                elif col == id_col and _inexact_number(value):
                    errors.append(
                        FieldError(
                            name,
                            f"expected an id Excel holds exactly, got the number {value!r} in "
                            f"cell {_ref(col, idx)} with more than {_EXCEL_DIGITS} significant "
                            "digits (Excel keeps 15: store ids as text)",
                        )
                    )
                if type(value) is str:
                    cells[name] = value  # what _put makes of a text
                else:
                    _put(cells, name, value)
            extra = [text(v) for c, v in sorted(values.items()) if c > width and v is not None]
            if extra:
                cells[None] = ";".join(extra)
            row = _size_checked(n, cells)
            if errors and isinstance(row, Row):
                ident = cells.get("id") if id_col else None
                yield RejectedRow(n, ident or None, tuple(errors), row.cells)
            else:
                yield row
    finally:
        wb.close()


#: a sheet read by python-calamine (when installed) is held whole in memory: up to
#: this many bytes of its XML (about 45,000 rows of 33 columns); a bigger one is
#: streamed by openpyxl
_CALAMINE_MAX_XML = 64 << 20

#: what makes openpyxl read a cell otherwise than python-calamine reads it: a formula
#: (one saved without its result is refused), an error or ISO-date cell, an empty
#: text (openpyxl's ``""`` is calamine's empty cell) or an empty value
_NOT_CALAMINE = (b"<f", b't="e"', b't="d"', b"<t/", b"<t /", b"></t>", b"<v/", b"<v /", b"<v></v>")

#: numbers python-calamine gives as floats that openpyxl may give otherwise (an integer
#: it holds exactly, or shown with more digits in an error message)
_CALAMINE_MAX_NUMBER = 10.0**_EXCEL_DIGITS

_CALAMINE_KINDS = frozenset({str, float, int, bool})

_ROW_NUMBER = re.compile(rb'<row [^>]*?\br="([0-9]{1,9})"')

#: a text starting or ending with a space (or a tab, or a line break)
_TEXT_EDGES = tuple(b"<t>" + c for c in (b" ", b"\t", b"\r", b"\n")) + tuple(
    c + b"</t>" for c in (b" ", b"\t", b"\r", b"\n")
)


def _calamine() -> Any:
    """python-calamine (the ``excel-fast`` extra), or None."""
    try:
        import python_calamine
    except ImportError:
        return None
    return python_calamine


def _unsized_workbook(path: Path) -> Any:
    """``openpyxl.load_workbook(path, read_only=True, data_only=True)`` without sizing
    its sheets (openpyxl parses a sheet with no ``<dimension>`` element whole just to
    size it): :func:`_sized_sheet` sizes them, but the one calamine reads."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            pass

        def size(self) -> None:
            ReadOnlyWorksheet._get_size(self)

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_worksheets(self) -> None:  # the read-only branch of openpyxl's own
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    self.read_chartsheet(sheet, rel)
                    continue
                ws = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                self.wb._sheets.append(ws)

    reader = Reader(path, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _sized_sheet(
    source: str, path: Path, wb: Any, sheet: str | int | None
) -> tuple[Any, Iterator[tuple[int, dict[int, Any]]] | None]:
    """The sheet to read and its rows as calamine reads them (None: openpyxl reads
    them); every other sheet sized as ``load_workbook`` sizes it, so a sheet openpyxl
    cannot parse is refused as before (before a sheet that is not there)."""

    def size(skip: Any = None) -> None:
        for other in wb._sheets:
            if other is not skip and hasattr(other, "size"):
                try:
                    try:
                        other.size()
                    except ValueError as e:  # as openpyxl's ExcelReader.read words it
                        raise ValueError(
                            "Unable to read workbook: could not read worksheets from "
                            f"{wb._archive.filename}.\nThis is most probably because the "
                            "workbook source files contain some invalid XML.\nPlease see "
                            "the exception for more details."
                        ) from e
                except Exception as e:  # as load_workbook's own, above
                    raise UnreadableInput(
                        source,
                        f"expected an Excel workbook (.xlsx), found: {type(e).__name__}: {e}",
                    ) from None

    try:
        ws = _sheet(source, wb, sheet)
    except UnreadableInput:
        size()
        raise
    member = str(getattr(ws, "_worksheet_path", "")).lstrip("/")
    rows = _calamine_rows(path, member, wb, ws)
    # a sheet calamine reads is sized too if it has a <dimension> before its data (then
    # openpyxl reads only that far, and refuses a bad one)
    size(skip=ws if rows is not None and not _dimension_first(ws) else None)
    return ws, rows


def _dimension_first(ws: Any) -> bool:
    """Whether a sheet has a ``<dimension>`` element before its data (or its start is
    not found within the first megabyte: sized, to be safe)."""
    with ws._get_source() as src:
        head = src.read(1 << 20)
    data = head.find(b"<sheetData")
    return data < 0 or b"<dimension" in head[:data]


def _calamine_rows(
    path: Path, member: str, wb: Any, ws: Any
) -> Iterator[tuple[int, dict[int, Any]]] | None:
    """The rows of *ws* as :func:`_sheet_rows` gives them, read by python-calamine
    (the ``excel-fast`` extra: a compiled reader, about ten times openpyxl's speed);
    None where it is not installed or might read a cell otherwise: a sheet with
    formulas, error or ISO-date cells, empty texts, a cell styled as a date or a
    duration, a number of :data:`_EXCEL_DIGITS` digits or more, a value of another
    kind (its own dates), beyond Excel's limits, or over :data:`_CALAMINE_MAX_XML`."""
    python_calamine = _calamine()
    if python_calamine is None:
        return None
    import xml.parsers.expat
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            if zf.getinfo(member).file_size > _CALAMINE_MAX_XML:
                return None
            sheet_xml = zf.read(member)
            try:
                texts = zf.read("xl/sharedStrings.xml")
            except KeyError:
                texts = b""
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError):
        return None
    styles = set(getattr(wb, "_date_formats", ())) | set(getattr(wb, "_timedelta_formats", ()))
    if any(bad in sheet_xml for bad in _NOT_CALAMINE) or any(
        f' s="{i}"'.encode() in sheet_xml for i in styles
    ):
        return None
    if "" in getattr(wb, "shared_strings", ()) or b"<rPh" in texts:
        return None  # an empty text, or phonetic runs (read otherwise)
    if any(edge in sheet_xml or edge in texts for edge in _TEXT_EDGES):
        return None  # calamine trims a text's spaces that xml:space does not keep
    numbers = [int(r) for r in _ROW_NUMBER.findall(sheet_xml)]
    if len(numbers) != sheet_xml.count(b"<row") or numbers != sorted(set(numbers)):
        return None  # rows unnumbered, repeated or out of order: openpyxl reads them so
    try:  # what openpyxl's parser refuses (the same expat, namespaces checked)
        xml_parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
        xml_parser.Parse(sheet_xml, True)
    except xml.parsers.expat.ExpatError:
        return None
    del sheet_xml, texts
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        grid = book.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
    except Exception:  # openpyxl reads it, or says why not
        return None
    if len(grid) > MAX_EXCEL_ROWS or any(len(r) > MAX_EXCEL_COLUMNS for r in grid):
        return None
    filled = False
    for row in grid:
        kinds = set(map(type, row))
        if not kinds <= _CALAMINE_KINDS:
            return None
        if float in kinds and not all(
            abs(v) < _CALAMINE_MAX_NUMBER for v in row if type(v) is float
        ):
            return None
        filled = filled or any(v != "" for v in row)
    # (a sheet of empty cells only: openpyxl sees its rows, calamine none)
    return _calamine_values(grid) if filled else None


def _calamine_values(grid: list[list[Any]]) -> Iterator[tuple[int, dict[int, Any]]]:
    for idx, row in enumerate(grid, 1):
        values: dict[int, Any] = {}
        for col, v in enumerate(row, 1):
            if v == "":
                continue
            values[col] = int(v) if type(v) is float and v.is_integer() else v
        if values:
            yield idx, values


def _ref(col: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _inexact_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    digits = (str(abs(value)) if isinstance(value, int) else repr(abs(value))).lower()
    mantissa = digits.split("e")[0].replace(".", "").strip("0")
    return len(mantissa) > _EXCEL_DIGITS


def _merged_data_cells(refs: list[str], width: int) -> dict[tuple[int, int], str]:
    """The cells (column, row) hidden by a merge (all but its first cell), within the
    header's columns; at most :data:`_MAX_MERGED_ROWS` of them are looked at."""
    from openpyxl.utils.cell import range_boundaries

    out: dict[tuple[int, int], str] = {}
    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except ValueError:
            continue
        if min_row is None or max_row is None or min_col is None or max_col is None:
            continue
        first = f"{_ref(min_col, min_row)}"
        for r in range(max(min_row, 2), max_row + 1):
            for c in range(min_col, min(max_col, width) + 1):
                if (c, r) != (min_col, min_row):
                    out[c, r] = f"{ref} (value in {first})"
                    if len(out) >= _MAX_MERGED_ROWS:
                        return out
    return out


def _sheet_rows(source: str, wb: Any, ws: Any) -> Iterator[tuple[int, dict[int, Any]]]:
    """The rows of a read-only sheet as (row number, {column: value}), only the cells
    the file has: no padding to the sheet's declared dimension, no empty rows made up
    for a gap in row numbers, and a row or column beyond Excel's limits stops reading."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = _NO_CACHED
            return cell

    try:
        with ws._get_source() as src:
            parser = Parser(
                src,
                ws._shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for idx, cells in parser.parse():
                if idx > MAX_EXCEL_ROWS:
                    raise UnreadableInput(
                        source,
                        f"expected at most {MAX_EXCEL_ROWS:,} rows in sheet {ws.title!r} "
                        f"(Excel's limit), found row {idx:,}",
                    )
                values: dict[int, Any] = {}
                for cell in cells:
                    col = cell["column"]
                    if col > MAX_EXCEL_COLUMNS:
                        raise UnreadableInput(
                            source,
                            f"expected at most {MAX_EXCEL_COLUMNS:,} columns in sheet "
                            f"{ws.title!r} (Excel's limit), found column {col:,} in row {idx:,}",
                        )
                    if cell["value"] is not None:
                        values[col] = cell["value"]
                yield idx, values
    except UnreadableInput:
        raise
    except Exception as e:  # openpyxl and the XML parser raise many kinds
        raise UnreadableInput(
            source, f"expected an Excel worksheet, found: {type(e).__name__}: {e}"
        ) from None


def _sheet(source: str, wb: Any, sheet: str | int | None) -> Any:
    names = list(wb.sheetnames)
    if sheet is None:  # the first sheet a person sees
        visible = [n for n in names if getattr(wb[n], "sheet_state", "visible") == "visible"]
        return wb[(visible or names)[0]]
    if isinstance(sheet, str) and sheet in names:
        return wb[sheet]
    if isinstance(sheet, int) or sheet.isdigit():
        i = int(sheet)
        if 0 <= i < len(names):
            return wb[names[i]]
    raise UnreadableInput(
        source, f"expected a sheet among {names!r} (or its 0-based index), got {sheet!r}"
    )


def _merged_header(ws: Any) -> list[str]:
    """Merged ranges touching row 1, read from the sheet's XML (read-only sheets do not
    expose them; only called when the header has a gap)."""
    import xml.etree.ElementTree as ET

    try:
        src = ws._get_source()
    except AttributeError:  # pragma: no cover - openpyxl internals changed
        return []
    out = []
    with src:
        for _, el in ET.iterparse(src):
            if el.tag.endswith("}mergeCell"):
                ref = el.get("ref", "")
                start = ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                if start == "1":
                    out.append(ref)
            el.clear()
    return out
