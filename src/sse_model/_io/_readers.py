"""Read registers in every common format, one organisation at a time.

:func:`read_register` streams organisations (or rejected rows) from a file (CSV, TSV,
JSON Lines, JSON, Parquet, Excel) or an in-memory table (pandas, polars, Arrow).
Memory does not grow with the number of rows: text files are read line by line,
Parquet by record batches, Excel in openpyxl's read-only mode and data frames by
chunks. The only state kept across rows is the set of organisation ids already read
(to reject duplicates), which ``unique_ids=False`` turns off.

Two kinds of problem are kept apart. A bad *row* becomes a :class:`RejectedRow`
(with its number, id, every :class:`~sse_model.FieldError` and the raw cells) and
reading goes on. A bad *file* (no header, wrong delimiter or encoding, duplicate or
unnamed columns, not the format its name says) raises
:class:`~sse_model.UnreadableInput`, which says where, what was expected and what
was found.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import json
import math
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal

from .._errors import FieldError, InvalidInput, UnreadableInput
from .._model import Organisation
from .._serialization import structure
from ._flat import RejectedRow, Row, rows_to_organisations

__all__ = [
    "FORMATS",
    "MAX_CELL_CHARS",
    "InputFormat",
    "format_of",
    "read_register",
    "text",
]

InputFormat = Literal["csv", "tsv", "jsonl", "json", "parquet", "xlsx"]
#: the file formats :func:`read_register` reads
FORMATS: tuple[InputFormat, ...] = ("csv", "tsv", "jsonl", "json", "parquet", "xlsx")
_EXTENSIONS: dict[str, InputFormat] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
#: a cell longer than this (in characters) rejects its row; the CSV module's own limit
#: is raised to :data:`_CSV_FIELD_LIMIT`, above which the file cannot be read
MAX_CELL_CHARS = 1_000_000
_CSV_FIELD_LIMIT = 16 * 1024 * 1024
#: rows per chunk for Parquet, Arrow and data frames
BATCH_ROWS = 4096
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


def read_register(
    source: Any,
    *,
    format: InputFormat | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
    columns: Mapping[str, str] | None = None,
    currency: str | None = None,
    sheet: str | int | None = None,
    unique_ids: bool = True,
) -> Iterator[Organisation | RejectedRow]:
    """Stream the organisations of a register; every row is an organisation or rejected.

    *source* is a path (the format taken from its extension, or *format*), a pandas or
    polars DataFrame, a pyarrow Table, RecordBatch or RecordBatchReader, or an iterable
    of mappings. Tables use the flat column vocabulary (``governance.members``,
    ``governance.foreign_capital_share[%]``...); JSON records may be nested (the JSON
    shape of :class:`~sse_model.Organisation`) or flat with dotted keys.

    *columns* maps your column names onto the vocabulary; *currency* applies to bare
    amounts in rows without a ``currency`` column; *delimiter* overrides ``,`` (CSV)
    or tab (TSV); *sheet* picks an Excel sheet by name or 0-based index (default: the
    first). With *unique_ids*, a row whose id was already read is rejected (the first
    valid occurrence is kept).

    Rows are numbered from 1 after the header (JSON Lines: by line; JSON arrays: by
    element). A missing file raises :class:`FileNotFoundError`, an unreadable one
    :class:`~sse_model.UnreadableInput` (when iteration reaches the problem).
    """
    items = _records(source, format, encoding, delimiter, columns or {}, currency, sheet)
    return _dedupe(items) if unique_ids else (item for _, item, _ in items)


#: a row number, what the row became, and its raw cells
_Item = tuple[int, Organisation | RejectedRow, Mapping[str | None, str | None]]


# --- sources ---------------------------------------------------------------------------


def _records(
    source: Any,
    fmt: InputFormat | None,
    encoding: str,
    delimiter: str | None,
    columns: Mapping[str, str],
    currency: str | None,
    sheet: str | int | None,
) -> Iterator[_Item]:
    conv = _Converter(columns, currency)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        fmt = fmt or format_of(path)
        if fmt not in FORMATS:
            raise UnreadableInput(
                str(path), f"expected a format among {', '.join(FORMATS)}, got {fmt!r}"
            )
        if not path.exists():
            raise FileNotFoundError(f"no such register file: {path}")
        if path.is_dir():
            raise UnreadableInput(str(path), "expected a file, found a directory")
        if fmt in ("csv", "tsv"):
            delim = delimiter or ("\t" if fmt == "tsv" else ",")
            return conv.flat(_csv_rows(path, encoding, delim, columns))
        if fmt == "jsonl":
            return conv.json(_jsonl_items(path, encoding))
        if fmt == "json":
            return conv.json(_json_items(path, encoding))
        if fmt == "parquet":
            return conv.flat(_parquet_rows(path, columns, currency))
        return conv.flat(_excel_rows(path, sheet, columns))
    module = type(source).__module__.split(".")[0]
    if module == "pandas" and hasattr(source, "iloc"):
        return conv.flat(_pandas_rows(source, columns, currency))
    if module == "polars" and hasattr(source, "iter_slices"):
        return conv.flat(_polars_rows(source, columns, currency))
    if module == "pyarrow":
        return conv.flat(_arrow_rows(source, columns, currency))
    if isinstance(source, Iterable) and not isinstance(source, str | bytes | Mapping):
        return conv.json((n, item, None) for n, item in enumerate(source, 1))
    raise TypeError(
        "expected a path, a pandas or polars DataFrame, a pyarrow Table, RecordBatch or "
        f"RecordBatchReader, or an iterable of mappings; got {type(source).__name__}"
    )


def _extra(module: str, extra: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        msg = f"{what} needs {module.partition('.')[0]}: pip install 'sse-model[{extra}]'"
        raise ImportError(msg) from None


# --- cells as CSV would give them ------------------------------------------------------


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
        return repr(float(value))  # numpy's float64 has its own repr
    if isinstance(value, Decimal):
        if value.is_nan():
            return ""
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    kind = type(value).__name__
    if kind in ("NAType", "NaTType", "NoneType"):
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(text(v) for v in value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return text(value.item())
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays
        return text(value.tolist())
    return str(value)


def _put(out: dict[str | None, str | None], name: str, value: Any) -> None:
    if isinstance(value, Mapping):  # a struct column: its fields are dotted columns
        for k, v in value.items():
            _put(out, f"{name}.{k}", v)
    else:
        out[name] = text(value)


def _check_header(source: str, names: list[str], columns: Mapping[str, str]) -> None:
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


# --- CSV and TSV -----------------------------------------------------------------------


def _open_text(path: Path, encoding: str) -> IO[str]:
    enc = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding=enc, newline="")
    return path.open(encoding=enc, newline="")


def _check_encoding(path: Path, encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UnreadableInput(
            str(path),
            f"expected a text encoding such as 'utf-8' or 'cp1252', got {encoding!r}",
        ) from None


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


def _csv_rows(
    path: Path, encoding: str, delimiter: str, columns: Mapping[str, str]
) -> Iterator[Row | RejectedRow]:
    _check_encoding(path, encoding)
    _raise_csv_limit()
    source = str(path)
    with _open_text(path, encoding) as f:
        reader = csv.reader(f, delimiter=delimiter)
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
            for n, record in enumerate(reader, 1):
                if not record:
                    continue  # a blank line
                cells: dict[str | None, str | None] = dict(zip(header, record, strict=False))
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
        except (EOFError, gzip.BadGzipFile, OSError) as e:
            raise UnreadableInput(source, f"expected a readable file, found {e}") from None


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
    _check_encoding(path, encoding)
    try:
        with _open_text(path, encoding) as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                text_line = line.rstrip("\r\n")
                if len(text_line) > MAX_CELL_CHARS:
                    yield n, _TooLong(len(text_line)), text_line[:_SHOWN_CHARS] + "..."
                    continue
                try:
                    data = json.loads(text_line)
                except json.JSONDecodeError as e:
                    yield n, _BadJSON(str(e)), text_line
                    continue
                yield n, data, text_line
    except UnicodeDecodeError:
        raise _decode_error(path, encoding) from None


class _BadJSON(str):
    """A JSON decoding error, carried to the converter as a rejected row."""


class _TooLong(int):
    """A line above :data:`MAX_CELL_CHARS`."""


def _json_items(path: Path, encoding: str) -> Iterator[tuple[int, Any, str | None]]:
    """One object, or the elements of an array, decoded incrementally (no full load)."""
    _check_encoding(path, encoding)
    source = str(path)
    decoder = json.JSONDecoder()
    try:
        with _open_text(path, encoding) as f:
            buf, pos, base_line, eof = "", 0, 1, False

            def fill() -> bool:
                nonlocal buf, eof
                chunk = f.read(1 << 16)
                eof = not chunk
                buf += chunk
                return bool(chunk)

            def skip() -> None:
                nonlocal pos
                while True:
                    while pos < len(buf) and buf[pos] in " \t\r\n":
                        pos += 1
                    if pos < len(buf) or not fill():
                        return

            def fail(e: json.JSONDecodeError | None, expected: str) -> UnreadableInput:
                line = base_line + buf.count("\n", 0, e.pos if e else pos)
                found = e.msg if e else (repr(buf[pos : pos + 20]) if pos < len(buf) else "EOF")
                return UnreadableInput(
                    source, f"expected {expected}, found {found}", line=line, hint=None
                )

            skip()
            if pos >= len(buf):
                raise UnreadableInput(
                    source, "expected a JSON object or array, found an empty file"
                )
            if buf[pos] != "[":
                while fill():
                    pass
                try:
                    data, end = decoder.raw_decode(buf, pos)
                except json.JSONDecodeError as e:
                    raise fail(e, "a JSON object or array") from None
                pos = end
                skip()
                if pos < len(buf):
                    raise fail(None, "nothing after the JSON object")
                yield 1, data, None
                return
            pos += 1
            n = 0
            while True:
                skip()
                if pos < len(buf) and buf[pos] == "]":
                    pos += 1
                    skip()
                    if pos < len(buf):
                        raise fail(None, "nothing after the JSON array")
                    return
                if n:
                    if pos >= len(buf) or buf[pos] != ",":
                        raise fail(None, "',' or ']' between array elements")
                    pos += 1
                    skip()
                while True:
                    try:
                        data, end = decoder.raw_decode(buf, pos)
                        break
                    except json.JSONDecodeError as e:
                        if len(buf) - pos > _CSV_FIELD_LIMIT or not fill():
                            raise fail(e, "a JSON value as array element") from None
                n += 1
                element = buf[pos:end]
                yield n, data, element if len(element) <= MAX_CELL_CHARS else None
                pos = end
                if pos > 1 << 16:  # drop what was read, keeping line numbers
                    base_line += buf.count("\n", 0, pos)
                    buf, pos = buf[pos:], 0
    except UnicodeDecodeError:
        raise _decode_error(path, encoding) from None


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

    _check_header(source, [n.strip() for n in names], columns)
    n = 0
    for batch in batches:
        texts = text_table(batch, source, columns)
        for i, cells in enumerate(rows_of(texts)):
            n += 1
            problems = texts.problems.get(i)
            if problems:
                yield rejected(n, cells, problems, currency=currency, columns=columns)
            else:
                yield Row(n, dict(cells))


def _parquet_rows(
    path: Path, columns: Mapping[str, str], currency: str | None = None
) -> Iterator[Row | RejectedRow]:
    pq = _extra("pyarrow.parquet", "arrow", "Reading Parquet")
    import pyarrow as pa

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as e:
        raise UnreadableInput(str(path), f"expected a Parquet file, found: {e}") from None
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
        _check_header(source, names, columns)
        yield from _plain_rows(source, names, frame.itertuples(index=False, name=None))
        return
    _check_header(source, [str(c).strip() for c in frame.columns], columns)
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
        _check_header(source, names, columns)
        yield from _plain_rows(source, names, frame.iter_rows())
        return
    chunks = (chunk.to_arrow() for chunk in frame.iter_slices(n_rows=BATCH_ROWS))
    for row in _arrow_batches(source, chunks, list(frame.columns), columns, currency):
        yield row if isinstance(row, RejectedRow) else _size_checked(row.number, dict(row.cells))


def _excel_rows(
    path: Path, sheet: str | int | None, columns: Mapping[str, str]
) -> Iterator[Row | RejectedRow]:
    openpyxl = _extra("openpyxl", "excel", "Reading Excel files")
    source = str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds (zip, XML, KeyError)
        raise UnreadableInput(
            source, f"expected an Excel workbook (.xlsx), found: {type(e).__name__}: {e}"
        ) from None
    try:
        ws = _sheet(source, wb, sheet)
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or all(v is None for v in first):
            if first is None:
                return  # an empty sheet: no rows
            raise UnreadableInput(
                source,
                f"expected a header in row 1 of sheet {ws.title!r}, found an empty row",
                line=1,
            )
        header = [text(v).strip() for v in first]
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
        for n, values in enumerate(rows, 1):
            if all(v is None for v in values):
                continue
            cells: dict[str | None, str | None] = {}
            for name, value in zip(header, values, strict=False):
                _put(cells, name, value)
            extra = [text(v) for v in values[width:] if v is not None]
            if extra:
                cells[None] = ";".join(extra)
            for name in header[len(values) :]:
                cells[name] = ""  # a missing trailing cell is empty, as in the sheet
            yield _size_checked(n, cells)
    finally:
        wb.close()


def _sheet(source: str, wb: Any, sheet: str | int | None) -> Any:
    names = list(wb.sheetnames)
    if sheet is None:
        return wb[names[0]]
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


# --- records to organisations ----------------------------------------------------------


class _Converter:
    """Turns flat rows and JSON records into organisations or rejected rows."""

    def __init__(self, columns: Mapping[str, str], currency: str | None) -> None:
        self.columns = columns
        self.currency = currency

    def flat(self, rows: Iterable[Row | RejectedRow]) -> Iterator[_Item]:
        for row in rows:
            if isinstance(row, RejectedRow):
                yield row.number, row, row.raw
            else:
                for item in rows_to_organisations(
                    (row,), currency=self.currency, columns=self.columns
                ):
                    yield row.number, item, row.cells

    def json(self, items: Iterable[tuple[int, Any, str | None]]) -> Iterator[_Item]:
        for n, data, line in items:
            raw: dict[str | None, str | None] = {"line": line}
            if isinstance(data, _BadJSON):
                yield (
                    n,
                    RejectedRow(n, None, (FieldError("", f"expected JSON: {data}"),), raw),
                    raw,
                )
            elif isinstance(data, _TooLong):
                message = f"expected a line of at most {MAX_CELL_CHARS:,} characters, got {data:,}"
                yield n, RejectedRow(n, None, (FieldError("", message),), raw), raw
            elif not isinstance(data, Mapping):
                message = f"expected a JSON object, got {type(data).__name__}"
                yield n, RejectedRow(n, None, (FieldError("", message),), raw), raw
            elif any("." in str(k) or "[" in str(k) for k in data):
                cells: dict[str | None, str | None] = {}
                for k, v in data.items():
                    _put(cells, str(k), v)
                yield from self.flat((_size_checked(n, cells),))
            else:
                if line is None:
                    raw = {"line": json.dumps(data, ensure_ascii=False, default=str)}
                try:
                    yield n, structure(data, Organisation), raw
                except InvalidInput as e:
                    ident = data.get("id")
                    rejected = RejectedRow(
                        n, ident if isinstance(ident, str) else None, e.errors, raw
                    )
                    yield n, rejected, raw


def _dedupe(items: Iterable[_Item]) -> Iterator[Organisation | RejectedRow]:
    """Reject the second and later rows with an id already read (the first is kept)."""
    first: dict[str, int] = {}
    for n, item, raw in items:
        if isinstance(item, RejectedRow):
            yield item
            continue
        seen = first.get(item.id)
        if seen is None:
            first[item.id] = n
            yield item
            continue
        message = (
            f"expected a unique id, got {item.id!r} again (first read in row {seen}, "
            "which is kept)"
        )
        yield RejectedRow(n, item.id, (FieldError("id", message),), raw)
