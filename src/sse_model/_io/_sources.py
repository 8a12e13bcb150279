"""Every register source as batches of flat text columns: the one way in.

JSON Lines, JSON, GeoJSON, Excel and iterables of mappings are read by the readers of
:mod:`._readers` (with all their guards: strict JSON, size caps, line numbers,
merged and formula cells...) and gathered into :class:`Batch` es: an Arrow table
of text columns in the flat vocabulary (:mod:`._flat`) for the columnar lane, and
per row the record it came from, from which an :class:`~sse_model.Organisation`
is built only where one is asked for (:func:`~sse_model.read_register`) or the
row takes the exact lane.

A nested JSON record (the JSON shape of :class:`~sse_model.Organisation`) is
flattened only where the flat cells mean exactly what the record means (the same
text reaches the same parser; see :func:`flatten`); any other record is *held*:
its columns are left empty, it always takes the exact lane, and its object (or
its errors) come from the original record, as before. The exact lane always builds
a row from what it came from, never from the batch's columns, so the columns need
only give the fast lane the facts of the rows it vouches for. So no row changes its
verdict or its errors with the lane that reads it.

:func:`read_register` streams organisations (or rejected rows) from any source;
the only state kept across rows is the set of organisation ids already read (to
reject duplicates), which ``unique_ids=False`` turns off.
"""

from __future__ import annotations

import os
import typing
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._errors import FieldError, InvalidInput, UnreadableInput
from .._model import Organisation
from .._serialization import StrictJSON, structure
from ._flat import (
    MappedNames,
    RejectedRow,
    Row,
    column_conflicts,
    rows_to_organisations,
)
from ._flatten import (
    _PLAIN_NUMBER,
    _percent_of,
    flatten,
)
from ._jsonl import ArrowLines
from ._readers import (
    _READ_AHEAD,
    FORMATS,
    MAX_CELL_CHARS,
    InputFormat,
    Nested,
    _arrow_rows,
    _csv_rows,
    _decoded,
    _excel_rows,
    _flat_cells,
    _geojson_items,
    _json_item,
    _json_items,
    _jsonl_items,
    _jsonl_lines,
    _pandas_rows,
    _parquet_rows,
    _polars_rows,
    _TooLong,
    format_of,
)
from ._typed import rejected

if typing.TYPE_CHECKING:
    from ._mapping import Mapper, RegisterMapping

__all__ = [
    "Batch",
    "RegisterCheck",
    "UnmatchedLabel",
    "check_register",
    "file_batches",
    "flatten",
    "read_register",
    "record_batches",
]

#: rows per batch for the columnar lane (records are held in Python until the batch
#: is built: a few tens of megabytes)
RECORD_BATCH_ROWS = 1 << 14


#: what a row of a batch came from: flat cells (also its columns), a nested record,
#: a flat row the columns cannot hold (cells beyond the header), or a rejected row
Item = dict[str | None, str | None] | Nested | Row | RejectedRow


@attrs.define
class Batch:
    """Rows of one source: their numbers, what each came from, and flat text columns.

    ``cells[i]`` is row *i*'s columns (``None`` for a held row: one whose columns
    cannot say what its record says); the Arrow table is built on first use. A block
    of JSON Lines (*lines*) has its items and cells decoded when first asked for, and
    its table read by Arrow where Arrow gives the same cells (see :mod:`._jsonl`).
    """

    source: str
    numbers: list[int]
    items: Sequence[Item]
    cells: list[Mapping[str, str] | None]
    columns: Mapping[str, str] = attrs.field(factory=dict)
    _table: Any = None
    _held: Any = None
    _lines: _LineRows | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def table(self) -> Any:
        """The rows as an Arrow table of text columns (null: not in the record)."""
        if self._table is None:
            self._build()
        return self._table

    def held(self) -> Any:
        """Per row, whether it must take the exact lane from its record (numpy bools)."""
        if self._held is None:
            self._build()
        return self._held

    def item(
        self, i: int, *, currency: str | None = None, columns: Mapping[str, str] | None = None
    ) -> Organisation | RejectedRow:
        """Row *i* as the per-object reader gives it: an organisation or rejected."""
        return build(self.numbers[i], self.items[i], currency=currency, columns=columns)

    def raw(self, i: int) -> dict[str | None, str | None]:
        """Row *i*'s raw cells, as a rejected row shows them."""
        return dict(raw_of(self.items[i]))

    def _build(self) -> None:
        import numpy as np
        import pyarrow as pa

        from . import _arrow

        n = len(self.numbers)
        if self._lines is not None:
            read = self._lines.table()
            if read is not None:  # every row as Arrow read it
                self._table, self._held = read
                return
            self.cells = self._lines.cells()
        held = np.array([c is None for c in self.cells], dtype=bool)
        names: list[str] = []
        known: set[str] = set()
        for c in self.cells:
            if c is not None and not c.keys() <= known:  # most records: the same names
                names.extend(k for k in c if k not in known)
                known.update(c)
        names, held = _resolve_clashes(names, self.cells, held, self.columns)
        rows: list[Mapping[str, str]] = [
            {} if c is None or h else c for c, h in zip(self.cells, held.tolist(), strict=True)
        ]
        if "id" not in {self.columns.get(n, n) for n in names}:  # also a column mapped onto it
            names.append("id")
        try:  # from buffers: pa.array would import pandas (see _arrow)
            by_name: dict[str, list[str | None]] = {name: [None] * n for name in names}
            for i, r in enumerate(rows):  # one pass over the cells (most are absent)
                for name, cell in r.items():
                    if (column := by_name.get(name)) is not None:
                        column[i] = cell
            columns = [_arrow.strings(by_name[name]) for name in names]
            self._table, self._held = pa.Table.from_arrays(columns, names=names), held
            return
        except (UnicodeEncodeError, TypeError):
            pass  # a cell Arrow cannot hold as UTF-8 (or not text): as pa.array finds it
        kind = pa.struct([(name, pa.string()) for name in names])
        try:
            array = pa.array(rows, type=kind)
        except (UnicodeEncodeError, pa.ArrowException):
            # a cell Arrow cannot hold as UTF-8: hold its row, build the others
            for k, row in enumerate(rows):
                try:
                    pa.array([row], type=kind)
                except (UnicodeEncodeError, pa.ArrowException):
                    held[k] = True
                    rows[k] = {}
            array = pa.array(rows, type=kind)
        table = pa.Table.from_struct_array(array)
        assert table.num_rows == n
        self._table, self._held = table, held


def _resolve_clashes(
    names: list[str],
    cells: list[Mapping[str, str] | None],
    held: Any,
    columns: Mapping[str, str],
) -> tuple[list[str], Any]:
    """Columns of different records that would clash in one table (``x`` and ``x[%]``,
    a field and a part of it, two names mapped onto one): the column with fewer cells
    is dropped and the rows that have it are held (read from their records alone, as
    the per-object reader reads them)."""
    import numpy as np

    def count(name: str) -> int:
        return sum(1 for c, h in zip(cells, held, strict=True) if c and not h and name in c)

    while True:
        mapped = Counter(columns.get(n, n) for n in names)
        pairs = [
            (a, b)
            for i, a in enumerate(names)
            for b in names[i + 1 :]
            if mapped[columns.get(a, a)] > 1 and columns.get(a, a) == columns.get(b, b)
        ]
        pairs += column_conflicts(names, columns)
        if not pairs:
            return names, held
        a, b = pairs[0]
        if _percent_of(a, b, columns) or _percent_of(b, a, columns):
            percent, plain = (a, b) if _percent_of(a, b, columns) else (b, a)
            held = _merge_percent(cells, held, percent, plain)
            names = [n for n in names if n != percent]
            continue
        drop = b if count(b) <= count(a) else a
        names = [n for n in names if n != drop]
        held = held | np.array([c is not None and drop in c for c in cells], dtype=bool)


def _merge_percent(
    cells: list[Mapping[str, str] | None], held: Any, percent: str, plain: str
) -> Any:
    """Shares given as ``x[%]`` in some records and ``x`` in others: the percentages
    become fractions in the ``x`` column, exactly (``27`` is ``0.27``: the same value,
    and a row the fast lane does not vouch for is read from its own record anyway); a
    percentage in another form holds its row."""
    from decimal import Decimal

    held = held.copy()
    for i, c in enumerate(cells):
        if c is None or percent not in c:
            continue
        value = c[percent]
        rest = {k: v for k, v in c.items() if k != percent}
        if not value.strip():
            pass  # blank: unknown, in either column
        elif _PLAIN_NUMBER.fullmatch(value) and plain not in c:
            rest[plain] = format(Decimal(value).scaleb(-2), "f")
        else:
            held[i] = True  # another form, or both columns in one record (its error)
        cells[i] = rest
    return held


def raw_of(item: Item) -> Mapping[str | None, str | None]:
    if isinstance(item, Nested):
        return item.raw
    if isinstance(item, Row):
        return item.cells
    if isinstance(item, RejectedRow):
        return item.raw
    return item


def build(
    number: int,
    item: Item,
    *,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> Organisation | RejectedRow:
    """The object of one row, from what it came from (as the per-object reader builds it)."""
    if isinstance(item, RejectedRow):
        return item
    if isinstance(item, Nested):
        try:
            return structure(item.data, Organisation)
        except InvalidInput as e:
            ident = item.data.get("id")
            return RejectedRow(
                number, ident if isinstance(ident, str) else None, e.errors, item.raw
            )
    row = item if isinstance(item, Row) else Row(number, item)
    (out,) = rows_to_organisations((row,), currency=currency, columns=columns)
    return out


# --- gathering rows into batches ---------------------------------------------------------


class _Gather:
    """Rows in, batches of at most *size* rows out."""

    def __init__(self, source: str, columns: Mapping[str, str], size: int) -> None:
        self.source = source
        self.columns = columns
        self.size = size
        self._new()

    def _new(self) -> None:
        self.numbers: list[int] = []
        self.items: list[Item] = []
        self.cells: list[Mapping[str, str] | None] = []

    def add(self, number: int, item: Item, cells: Mapping[str, str] | None) -> Batch | None:
        self.numbers.append(number)
        self.items.append(item)
        self.cells.append(cells)
        return self.flush() if len(self.numbers) >= self.size else None

    def flush(self) -> Batch | None:
        if not self.numbers:
            return None
        batch = Batch(self.source, self.numbers, self.items, self.cells, self.columns)
        self._new()
        return batch


def _gathered(
    source: str,
    rows: Iterable[tuple[int, Item, Mapping[str, str] | None]],
    columns: Mapping[str, str],
    size: int,
) -> Iterator[Batch]:
    """Batches of *rows*; on an error while reading, the rows read before it first."""
    gather = _Gather(source, columns, size)
    try:
        for number, item, cells in rows:
            batch = gather.add(number, item, cells)
            if batch is not None:
                yield batch
    except Exception:  # an unreadable file: its rows so far, then the error
        rest = gather.flush()
        if rest is not None:
            yield rest
        raise
    rest = gather.flush()
    if rest is not None:
        yield rest


class _LineRows(Sequence[Item]):
    """The rows of a block of JSON Lines, each decoded by the strict reader when first
    asked for, into what :func:`_json_rows` makes of it: a batch's items, and its cells
    where Arrow does not read the block (:meth:`table`)."""

    def __init__(
        self, lines: list[tuple[int, str | _TooLong, str | None]], arrow: ArrowLines
    ) -> None:
        self._lines = lines
        self._arrow = arrow
        self._rows: list[tuple[Item, Mapping[str, str] | None] | None] = [None] * len(lines)
        self._strict: StrictJSON | None = None

    def __len__(self) -> int:
        return len(self._lines)

    @typing.overload
    def __getitem__(self, i: int) -> Item: ...
    @typing.overload
    def __getitem__(self, i: slice) -> list[Item]: ...
    def __getitem__(self, i: int | slice) -> Item | list[Item]:
        if isinstance(i, slice):
            return [self._row(k)[0] for k in range(*i.indices(len(self)))]
        return self._row(i)[0]

    def _decoder(self) -> StrictJSON:
        if self._strict is None:
            self._strict = StrictJSON()
        return self._strict

    def _row(self, i: int) -> tuple[Item, Mapping[str, str] | None]:
        row = self._rows[i]
        if row is None:
            ((_, item, cells),) = _json_rows(_decoded([self._lines[i]], self._decoder()), {})
            row = self._rows[i] = (item, cells)
        return row

    def cells(self) -> list[Mapping[str, str] | None]:
        """Every row's cells, as :func:`_json_rows` gives them."""
        todo = [i for i, row in enumerate(self._rows) if row is None]
        got = _json_rows(_decoded([self._lines[i] for i in todo], self._decoder()), {})
        for i, (_, item, cells) in zip(todo, got, strict=True):
            self._rows[i] = (item, cells)
        return [self._row(i)[1] for i in range(len(self))]

    def table(self) -> tuple[Any, Any] | None:
        """The rows as Arrow reads them and which are held, if it reads each as the
        strict reader does (else None)."""
        texts = [value for _, value, _ in self._lines]
        if not all(type(value) is str for value in texts):
            return None  # a line above the cap
        return self._arrow.table(typing.cast(list[str], texts), lambda i: self._row(i)[1] is None)


def _line_batches(path: Path, encoding: str, size: int) -> Iterator[Batch]:
    """A JSON Lines file as batches of at most *size* lines (the rows
    :func:`_json_rows` reads from it: one a line that is not blank), each decoded
    when first needed; on an error while reading, the lines read before it first."""
    arrow = ArrowLines()

    def batch(block: list[tuple[int, str | _TooLong, str | None]]) -> Batch:
        rows = _LineRows(block, arrow)
        return Batch(str(path), [n for n, _, _ in block], rows, [], {}, lines=rows)

    block: list[tuple[int, str | _TooLong, str | None]] = []
    try:
        for line in _jsonl_lines(path, encoding):
            block.append(line)
            if len(block) >= size:
                yield batch(block)
                block = []
    except Exception:  # an unreadable file: its rows so far, then the error
        if block:
            yield batch(block)
        raise
    if block:
        yield batch(block)


def _clean_names(cells: Mapping[Any, Any], clean: set[str]) -> bool:
    """Whether every name can be a column as it is (named, no surrounding spaces);
    *clean* holds the names already found so."""
    if cells.keys() <= clean:
        return True
    if all(isinstance(k, str) and k and k == k.strip() for k in cells):
        clean.update(cells)
        return True
    return False


_TEXT_ONLY = frozenset({str})


def _json_rows(
    items: Iterable[tuple[int, Any, str | None]], columns: Mapping[str, str]
) -> Iterator[tuple[int, Item, Mapping[str, str] | None]]:
    """JSON values as rows: flat records by their cells, nested ones flattened where
    that keeps their meaning, anything else held with what the reader makes of it."""
    clean: set[str] = set()
    for n, data, line in items:
        if (
            type(data) is dict
            and data.keys() <= clean
            and set(map(type, data.values())) <= _TEXT_ONLY
            and "linked_schemas" not in data
            and data.get("type") != "Feature"
            and (  # (decoded text is no longer than its JSON)
                (line is not None and len(line) <= MAX_CELL_CHARS)
                or sum(map(len, data.values())) <= MAX_CELL_CHARS
            )
        ):  # a flat record of text cells, named as before: what _json_item makes of it
            record = data if line is not None else dict(data)  # a caller's own: copied
            yield n, record, record
            continue
        got = _json_item(n, data, line)
        if isinstance(got, Row):
            cells = got.cells
            if None in cells or not _clean_names(cells, clean):
                yield n, got, None
            else:
                flat = dict(cells)
                yield n, flat, flat  # type: ignore[misc]
        elif isinstance(got, Nested):
            yield n, got, None if columns else flatten(got.data)
        else:
            yield n, got, None


def record_batches(
    records: Iterable[Any],
    *,
    columns: Mapping[str, str] | None = None,
    first_row: int = 1,
    size: int = RECORD_BATCH_ROWS,
    source: str = "the records",
    mapper: Mapper | None = None,
) -> Iterator[Batch]:
    """An iterable of mappings (nested or flat records) as batches, numbered from
    *first_row* (read through *mapper*'s register mapping, if given)."""
    items = ((n, item, None) for n, item in enumerate(records, first_row))
    rows = _json_rows(items, columns or {})
    if mapper is not None:
        rows = _mapped(rows, mapper, source, header=False)
    yield from _gathered(source, rows, columns or {}, size)


def file_batches(
    path: str | Path,
    fmt: str,
    *,
    encoding: str = "utf-8",
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    size: int = RECORD_BATCH_ROWS,
    mapper: Mapper | None = None,
) -> Iterator[Batch]:
    """A JSON Lines, JSON, GeoJSON or Excel register as batches (its readers' guards
    kept), read through *mapper*'s register mapping, if given."""
    p = Path(path)
    cols: dict[str, str] = MappedNames() if mapper is not None else dict(columns or {})
    rows: Iterator[tuple[int, Item, Mapping[str, str] | None]]
    if fmt == "jsonl" and mapper is None and not cols:
        return _line_batches(p, encoding, size)
    if fmt == "jsonl":
        rows = _json_rows(_jsonl_items(p, encoding), cols)
    elif fmt == "json":
        rows = _json_rows(_json_items(p, encoding), cols)
    elif fmt == "geojson":
        rows = _json_rows(_geojson_items(p, encoding), cols)
    elif fmt == "xlsx":
        rows = _excel_items(_excel_rows(p, sheet, cols))
    else:
        raise ValueError(f"expected jsonl, json, geojson or xlsx, got {fmt!r}")
    if mapper is not None:
        rows = _mapped(rows, mapper, str(p), header=fmt == "xlsx")
        cols = {}
    return _gathered(str(p), rows, cols, size)


def _mapped(
    rows: Iterable[tuple[int, Item, Mapping[str, str] | None]],
    mapper: Mapper,
    source: str,
    *,
    header: bool,
) -> Iterator[tuple[int, Item, Mapping[str, str] | None]]:
    """Rows through a register mapping: flat cells in the vocabulary, or rejected.

    With *header* (a table: Excel), the first row's names are checked as a header
    (:class:`~sse_model.ColumnsNotMapped`); records are checked one by one (an unknown
    key rejects its record)."""
    checked = not header
    for n, item, _ in rows:
        if isinstance(item, RejectedRow):
            yield n, item, None
            continue
        if isinstance(item, Nested):  # a mapping reads every record as flat cells
            flat, twice = _flat_cells(item.data)
            if twice:
                yield n, item, None  # its own error, as without a mapping
                continue
        else:
            flat = dict(raw_of(item))
        names = [k for k in flat if k is not None]
        if not checked:
            mapper.header(names, source)
            checked = True
        cells, problems = mapper.cells(flat)
        if not header:
            problems = mapper.unknown_keys(names) + problems
        if problems:
            yield n, rejected(n, cells, problems), None
        elif None in cells:
            yield n, Row(n, cells), None  # cells beyond the header: the row's own error
        else:
            yield n, cells, cells  # type: ignore[misc]


def _excel_items(
    rows: Iterable[Row | RejectedRow],
) -> Iterator[tuple[int, Item, Mapping[str, str] | None]]:
    for row in rows:
        if isinstance(row, RejectedRow):
            yield row.number, row, None
        elif None in row.cells or any(v is None for v in row.cells.values()):
            yield row.number, row, None  # cells beyond the header: the row's own error
        else:
            cells: dict[str | None, str | None] = dict(row.cells)
            yield row.number, cells, cells  # type: ignore[misc]


def organisations(
    batches: Iterable[Batch], *, currency: str | None, columns: Mapping[str, str]
) -> Iterator[tuple[int, Organisation | RejectedRow, Mapping[str | None, str | None]]]:
    """Every row of *batches* as the per-object reader gives it (number, object, raw)."""
    for batch in batches:
        for i, number in enumerate(batch.numbers):
            item = batch.items[i]
            yield number, build(number, item, currency=currency, columns=columns), raw_of(item)


# --- nested records as flat cells ----------------------------------------------------------


# --- the per-object reader over the same sources ----------------------------------------


#: what ``columns=`` takes: a register mapping, the path of a mapping file, or renames
#: (or a mapping compiled for a run)
ColumnsArg = typing.Union[
    "RegisterMapping", "Mapper", Mapping[str, str], str, os.PathLike[str], None
]


def read_register(
    source: Any,
    *,
    format: InputFormat | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
    columns: ColumnsArg = None,
    currency: str | None = None,
    sheet: str | int | None = None,
    unique_ids: bool = True,
    finances: Any = None,
) -> Iterator[Organisation | RejectedRow]:
    """Stream the organisations of a register; every row is an organisation or rejected.

    *source* is a path (the format taken from its extension, or *format*), a pandas or
    polars DataFrame, a pyarrow Table, RecordBatch or RecordBatchReader, or an iterable
    of mappings. Tables use the flat column vocabulary (``governance.members``,
    ``governance.foreign_capital_share[%]``...); JSON records may be nested (the JSON
    shape of :class:`~sse_model.Organisation`) or flat with dotted keys.

    *columns* says how your columns map onto the vocabulary: a
    :class:`~sse_model.RegisterMapping` (or the path of a mapping file, TOML or JSON),
    or plain renames (``{"Members": "governance.members"}``); *finances* is a long
    table of yearly figures (a path or a table) joined as the mapping's ``finances``
    table says. With a mapping, a table whose header has a column the mapping neither
    maps nor ignores raises :class:`~sse_model.ColumnsNotMapped` before any row is
    read (without one, any column outside the vocabulary does). *currency* applies to bare
    amounts in rows without a ``currency`` column; *delimiter* overrides ``,`` (CSV)
    or tab (TSV); *sheet* picks an Excel sheet by name or 0-based index (default: the
    first). With *unique_ids*, a row whose id was already read is rejected (the first
    valid occurrence is kept).

    Rows are numbered from 1 after the header (JSON Lines: by line; JSON arrays: by
    element; GeoJSON: by feature). GeoJSON features and Murmurations profiles are read
    as flat records of their own field names (see the registers guide). A missing file
    raises :class:`FileNotFoundError`, an unreadable one
    :class:`~sse_model.UnreadableInput` (when iteration reaches the problem).
    """
    mapper = mapper_of(columns, finances, encoding=encoding)
    cols = {} if mapper is not None or not isinstance(columns, Mapping) else dict(columns)
    items = _records(source, format, encoding, delimiter, cols, currency, sheet, mapper)
    return _dedupe(items) if unique_ids else (item for _, item, _ in items)


def mapper_of(
    columns: ColumnsArg, finances: Any = None, *, encoding: str = "utf-8"
) -> Mapper | None:
    """The mapper of a ``columns=`` argument (``None`` for plain renames or none),
    with the long table *finances* read and pivoted."""
    from ._mapping import Mapper, as_mapping, read_yearly

    if isinstance(columns, Mapper):  # compiled already (the CLI keeps it for its report)
        if finances is not None:
            raise ValueError("give finances= with the mapping, not with a compiled Mapper")
        return columns
    mapping = as_mapping(columns)
    if mapping is None:
        if finances is not None:
            raise ValueError(
                "finances= needs a register mapping whose 'finances' table says how the "
                "yearly figures join the organisations"
            )
        return None
    yearly = None if finances is None else read_yearly(finances, mapping, encoding=encoding)
    return Mapper(mapping, yearly)


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
    mapper: Mapper | None = None,
) -> Iterator[_Item]:
    conv = _Converter(columns, currency, mapper)
    if mapper is not None:
        columns = MappedNames()
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
            return conv.flat(_csv_rows(path, encoding, delim, columns), str(path))
        if fmt == "parquet":
            return conv.flat(_parquet_rows(path, columns, currency), str(path))
        # JSON Lines, JSON, GeoJSON and Excel: the batches the columnar lane reads, each row
        # built from what it came from
        batches = file_batches(
            path,
            fmt,
            encoding=encoding,
            columns=columns,
            sheet=sheet,
            size=_READ_AHEAD,
            mapper=mapper,
        )
        return organisations(batches, currency=currency, columns={} if mapper else columns)
    module = type(source).__module__.split(".")[0]
    if module == "pandas" and hasattr(source, "iloc"):
        return conv.flat(_pandas_rows(source, columns, currency), "the DataFrame")
    if module == "polars" and hasattr(source, "iter_slices"):
        return conv.flat(_polars_rows(source, columns, currency), "the DataFrame")
    if module == "pyarrow":
        return conv.flat(_arrow_rows(source, columns, currency), "the table")
    if isinstance(source, Iterable) and not isinstance(source, str | bytes | Mapping):
        # one record at a time: a stream of records is read no further than asked
        batches = record_batches(source, columns=columns, size=1, mapper=mapper)
        return organisations(batches, currency=currency, columns={} if mapper else columns)
    raise TypeError(
        "expected a path, a pandas or polars DataFrame, a pyarrow Table, RecordBatch or "
        f"RecordBatchReader, or an iterable of mappings; got {type(source).__name__}"
    )


# --- records to organisations ----------------------------------------------------------


class _Converter:
    """Turns flat rows into organisations or rejected rows."""

    def __init__(
        self, columns: Mapping[str, str], currency: str | None, mapper: Mapper | None = None
    ) -> None:
        self.columns = {} if mapper is not None else columns
        self.currency = currency
        self.mapper = mapper

    def flat(self, rows: Iterable[Row | RejectedRow], source: str = "") -> Iterator[_Item]:
        checked = False
        for row in rows:
            if isinstance(row, RejectedRow):
                yield row.number, row, row.raw
                continue
            if self.mapper is not None:
                if not checked:
                    self.mapper.header([k for k in row.cells if k is not None], source)
                    checked = True
                cells, problems = self.mapper.cells(row.cells)
                if problems:
                    out = rejected(row.number, cells, problems, currency=self.currency)
                    yield row.number, out, cells
                    continue
                row = Row(row.number, cells)  # noqa: PLW2901 - the row as mapped
            for item in rows_to_organisations(
                (row,), currency=self.currency, columns=self.columns
            ):
                yield row.number, item, row.cells


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


# --- checking a register against its mapping --------------------------------------------


@attrs.frozen
class UnmatchedLabel:
    """A cell text the mapping could not read in one column, with how many rows hold it
    and the closest labels the column's value map or lookup knows."""

    column: str
    text: str
    rows: int
    near: tuple[str, ...] = ()


@attrs.frozen
class RegisterCheck:
    """What reading a register through a mapping gives, before anything is classified.

    *unknown_columns* (with close matches) and *unused_columns* are the header's
    problems; when there are any, no row was read. Otherwise every row is counted:
    *valid* organisations and every *rejected* row, the labels the mapping could not
    read (once each, with their rows), and the ids of the yearly figures that no
    organisation has (with their rows in that table).
    """

    rows: int = 0
    valid: int = 0
    rejected: tuple[RejectedRow, ...] = ()
    unknown_columns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    unused_columns: tuple[str, ...] = ()
    unmatched: tuple[UnmatchedLabel, ...] = ()
    not_joined: Mapping[str, tuple[int, ...]] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every row was read and every label and yearly row found its place."""
        return not (
            self.unknown_columns
            or self.unused_columns
            or self.rejected
            or self.unmatched
            or self.not_joined
        )

    def __str__(self) -> str:
        lines = []
        for name, near in self.unknown_columns.items():
            hint = f" (did you mean {', '.join(map(repr, near))}?)" if near else ""
            lines.append(f"unknown column {name!r}{hint}")
        for name in self.unused_columns:
            lines.append(f"the mapping names column {name!r}, which the file does not have")
        for u in self.unmatched:
            hint = f"; did you mean {', '.join(map(repr, u.near))}?" if u.near else ""
            lines.append(f"{u.column}: {u.text!r} could not be read ({u.rows} row(s)){hint}")
        for ident, rows in self.not_joined.items():
            lines.append(f"yearly figures of id {ident!r} match no organisation (rows {rows})")
        lines.append(
            f"rows read: {self.rows}; valid: {self.valid}; rejected: {len(self.rejected)}"
        )
        return "\n".join(lines)


def check_register(
    source: Any,
    *,
    columns: ColumnsArg = None,
    finances: Any = None,
    **options: Any,
) -> RegisterCheck:
    """Read a register through its mapping (*columns*, *finances* and *options* as for
    :func:`read_register`) and say what does not fit, in one report: unknown or unused
    columns with close matches (then no row is read), labels the mapping could not read
    (once each, with their row counts), yearly figures no organisation has, and every
    rejected row. Nothing is classified.
    """
    from .._errors import ColumnsNotMapped
    from ._mapping import Mapper

    mapper = mapper_of(columns, finances, encoding=options.get("encoding", "utf-8"))
    try:
        items = list(read_register(source, columns=mapper, **options))
    except ColumnsNotMapped as e:
        return RegisterCheck(unknown_columns=e.unknown, unused_columns=e.unused)
    rejected = tuple(i for i in items if isinstance(i, RejectedRow))
    unmatched: tuple[UnmatchedLabel, ...] = ()
    not_joined: dict[str, tuple[int, ...]] = {}
    if isinstance(mapper, Mapper):
        unmatched = tuple(UnmatchedLabel(*u) for u in mapper.unmatched())
        if mapper.yearly is not None:
            not_joined = {i: tuple(r) for i, r in mapper.yearly.not_joined().items()}
    return RegisterCheck(
        rows=len(items),
        valid=len(items) - len(rejected),
        rejected=rejected,
        unmatched=unmatched,
        not_joined=not_joined,
    )
