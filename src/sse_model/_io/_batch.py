"""Classify whole registers: tables in, one row per organisation and profile out.

Two lanes give the same answers: the fast lane reads plain columns straight into
a :class:`~sse_model._engine._columnar.FactFrame` and evaluates compiled plans
over numpy arrays; every row it cannot vouch for (an odd cell, a failed or
nearly failed consistency check, a comparison within float error of a
threshold) takes the exact lane: one :class:`~sse_model.Organisation`, validated
by the model and classified by the per-object engine. Every row read ends up
classified or rejected, and :class:`RegisterSummary` reconciles the counts.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from .._engine._assume import NONE, Assumptions, check_readings
from .._engine._classify import Classifier
from .._engine._columnar import (
    ColumnarPlan,
    FactFrame,
    compile_columnar,
    frame_from_organisations,
    needed_facts,
)
from .._engine._profile import Plan, Profile
from .._engine._result import OUTCOMES, UNKNOWN, VERDICTS
from .._errors import FieldError
from .._model import Organisation
from ._columns import frame_from_table
from ._flat import RejectedRow, Row, rows_to_organisations
from ._writers import rejected_record

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["RegisterClassifier", "RegisterResult", "RegisterSummary", "classify_table"]


@attrs.frozen
class RegisterSummary:
    """What happened to every row read: ``rows == classified + rejected``, always."""

    rows: int = 0
    classified: int = 0
    rejected: int = 0
    #: rows classified by the columnar (fast) lane; the rest took the exact lane
    fast: int = 0

    def __attrs_post_init__(self) -> None:
        if self.rows != self.classified + self.rejected:  # pragma: no cover - a bug
            raise AssertionError(f"counts do not reconcile: {self!r}")

    def __add__(self, other: RegisterSummary) -> RegisterSummary:
        return RegisterSummary(
            self.rows + other.rows,
            self.classified + other.classified,
            self.rejected + other.rejected,
            self.fast + other.fast,
        )

    def __str__(self) -> str:
        return (
            f"rows read: {self.rows}; classified: {self.classified}; rejected: "
            f"{self.rejected} ({self.classified} + {self.rejected} = {self.rows})"
        )


@attrs.frozen
class RegisterResult:
    """Results of a chunk: one row per organisation and profile, and rejected rows."""

    #: columns: row, then those of :func:`~sse_model.write_results` (organisation_id,
    #: profile_id, version, on, fiscal_year, verdict, criterion.<id>..., missing_facts,
    #: assumptions)
    table: pa.Table
    rejected: tuple[RejectedRow, ...]
    summary: RegisterSummary

    def to_pandas(self) -> Any:
        """The results as a pandas DataFrame (verdicts and outcomes as categoricals)."""
        return self.table.to_pandas()


class RegisterClassifier:
    """Classify tables of organisations under several profiles on one date.

    Build one per run (plans are compiled once), then feed it tables or batches.
    *currency* applies to bare amounts of rows without a ``currency`` cell;
    *columns* maps your column names onto the flat vocabulary.
    """

    def __init__(
        self,
        profiles: str | Profile | Sequence[str | Profile],
        *,
        on: date | None = None,
        fiscal_year: int | None = None,
        currency: str | None = None,
        columns: Mapping[str, str] | None = None,
        classifier: Classifier | None = None,
        unique_ids: bool = True,
        assumptions: Assumptions | None = None,
    ) -> None:
        self.classifier = classifier or Classifier()
        #: the assumptions adopted for every row (none: unverified rules give unknown)
        self.assumptions = assumptions
        #: reject a row whose id a classified row of this run already had (the first is kept)
        self.unique_ids = unique_ids
        self._seen = _SeenIds()
        self.on = on or date.today()
        self.fiscal_year = fiscal_year
        self.currency = currency
        self.columns = dict(columns or {})
        ps = [profiles] if isinstance(profiles, str | Profile) else list(profiles)
        self.profiles = [self.classifier.profile(p) for p in ps]
        self.plans: list[Plan] = [
            self.classifier.plan(p, self.on, assumptions) for p in self.profiles
        ]
        if assumptions is not None:
            check_readings(
                [*self.plans, *_with_bases(self.profiles, self.classifier)], assumptions
            )
        self.compiled: list[ColumnarPlan] = [compile_columnar(p) for p in self.plans]
        self.facts, self.certs = needed_facts(self.plans)
        #: the output columns, fixed for the run (so chunks share one schema)
        self.criteria: list[str] = list(
            dict.fromkeys(c.id for plan in self.plans for c in plan.criteria)
        )

    # inputs ----------------------------------------------------------------------
    def classify_table(
        self, table: Any, *, first_row: int = 1, row_numbers: Sequence[int] | None = None
    ) -> RegisterResult:
        """Classify a pyarrow Table, a pandas or polars DataFrame (flat columns).

        Rows are numbered from *first_row*, or by *row_numbers* (one per row) when
        the table is not a contiguous run of the input (rows skipped while reading).
        """
        t = self._arrow(table)
        n = t.num_rows
        built = frame_from_table(
            t,
            self.facts,
            self.certs,
            on=self.on,
            fiscal_year=self.fiscal_year,
            currency=self.currency,
        )
        numbers = _numbers(first_row, row_numbers, n)
        return self._finish(built.frame, built.exact, built.ids, t, numbers, n)

    def classify_organisations(
        self, organisations: Sequence[Organisation], *, first_row: int = 1
    ) -> RegisterResult:
        """Classify organisations already built (every one is classified)."""
        import numpy as np

        frame = frame_from_organisations(
            organisations, self.plans, on=self.on, fiscal_year=self.fiscal_year
        )
        pa, _ = _pa()
        ids = pa.array([o.id for o in organisations], type=pa.string())
        exact = np.zeros(len(organisations), dtype=bool)
        numbers = _numbers(first_row, None, frame.n)
        return self._finish(frame, exact, ids, list(organisations), numbers, frame.n)

    def classify_batches(
        self, batches: Iterable[Any], *, first_row: int = 1
    ) -> Iterator[RegisterResult]:
        """Classify a stream of tables or record batches, one result per batch."""
        pa, _ = _pa()
        row = first_row
        for batch in batches:
            table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
            result = self.classify_table(table, first_row=row)
            row += result.summary.rows
            yield result

    # the two lanes -----------------------------------------------------------------
    def _finish(
        self,
        frame: FactFrame,
        exact: Any,
        ids: Any,
        source: Any,
        numbers: Any,
        n: int,
    ) -> RegisterResult:
        import numpy as np

        verdicts: list[Any] = []
        outcomes: list[Any] = []
        missing: list[_Missing] = []
        for cp in self.compiled:
            res = cp(frame)
            exact = exact | res.ambiguous
            verdicts.append(res.verdicts)
            outcomes.append(res.outcomes)
            missing.append(_Missing(res.missing, list(res.missing_paths)))
        years = frame.years.copy()
        keep = np.ones(n, dtype=bool)
        rejected: list[RejectedRow] = []
        for i in np.flatnonzero(exact).tolist():
            org = self._exact_row(source, i, int(numbers[i]))
            if isinstance(org, RejectedRow):
                rejected.append(org)
                keep[i] = False
                continue
            for p, profile in enumerate(self.profiles):
                c = self.classifier.classify(
                    org,
                    profile,
                    on=self.on,
                    fiscal_year=self.fiscal_year,
                    assumptions=self.assumptions,
                )
                verdicts[p][i] = VERDICTS.index(c.verdict)
                outcomes[p][i] = [OUTCOMES.index(r.outcome) for r in c.criteria]
                paths = tuple(m.path for m in c.settlement.missing_facts) if c.settlement else ()
                missing[p].set(i, paths if verdicts[p][i] == UNKNOWN else ())
                years[i] = c.fiscal_year or 0
        if self.unique_ids:
            for i, first in self._seen.add(ids, numbers, keep):
                keep[i] = False
                ident = ids[i].as_py()
                message = (
                    f"expected a unique id, got {ident!r} again (first read in row {first}, "
                    "which is kept)"
                )
                raw = self._cells(source, i)
                rejected.append(
                    RejectedRow(int(numbers[i]), ident, (FieldError("id", message),), raw)
                )
            rejected.sort(key=lambda r: r.number)
        table = self._table(ids, numbers, years, keep, verdicts, outcomes, missing)
        classified = int(keep.sum())
        summary = RegisterSummary(n, classified, n - classified, int((keep & ~exact).sum()))
        return RegisterResult(table, tuple(rejected), summary)

    def _exact_row(self, source: Any, i: int, number: int) -> Organisation | RejectedRow:
        if isinstance(source, list):
            return source[i]  # type: ignore[no-any-return]
        cells = self._cells(source, i)
        (out,) = rows_to_organisations([Row(number, cells)], currency=self.currency)
        return out

    def _cells(self, source: Any, i: int) -> dict[str | None, str | None]:
        """Row *i* as text cells, as the exact lane reads it."""
        if isinstance(source, list):
            from ._flat import to_flat

            flat: dict[str | None, str | None] = {}
            flat.update(to_flat(source[i]))
            return flat
        pa, pc = _pa()
        cells: dict[str | None, str | None] = {}
        for name in source.column_names:
            col = source.column(name).slice(i, 1)
            if col.type != pa.string():
                col = pc.cast(col, pa.string())
            value = col[0].as_py()
            cells[name] = "" if value is None else value
        return cells

    def _table(
        self,
        ids: Any,
        numbers: Any,
        years: Any,
        keep: Any,
        verdicts: list[Any],
        outcomes: list[Any],
        missing: list[_Missing],
    ) -> pa.Table:
        """The results as Arrow columns, organisation-major (each row, each profile)."""
        import numpy as np

        pa, _ = _pa()
        rows = np.flatnonzero(keep)
        k, p = len(rows), len(self.plans)
        versions = list(dict.fromkeys(plan.version for plan in self.plans))

        def interleave(arrays: list[Any]) -> Any:
            stacked = np.empty(k * p, dtype=arrays[0].dtype)
            for j, a in enumerate(arrays):
                stacked[j::p] = a[rows]
            return stacked

        def coded(codes: Any, values: Sequence[str], mask: Any = None) -> Any:
            return pa.DictionaryArray.from_arrays(
                pa.array(codes, mask=mask), pa.array(values, type=pa.string())
            )

        profile_codes = np.tile(np.arange(p, dtype=np.int32), k)
        version_codes = np.array([versions.index(plan.version) for plan in self.plans])
        year = np.repeat(years[rows], p).astype(np.int32)
        data: dict[str, Any] = {
            "row": pa.array(np.repeat(numbers[rows], p).astype(np.int64)),
            "organisation_id": ids.take(pa.array(np.repeat(rows, p))),
            "profile_id": coded(profile_codes, [pr.id for pr in self.profiles]),
            "version": coded(version_codes[profile_codes].astype(np.int32), versions),
            "on": pa.array(np.full(k * p, self.on.toordinal() - _EPOCH, dtype=np.int32)).cast(
                pa.date32()
            ),
            "fiscal_year": pa.array(year, mask=year == 0),
            # codes 0..2; VERDICTS maps the not-applicable code 3 to qualifies too
            "verdict": coded(
                interleave(verdicts).astype(np.int8), [v.value for v in VERDICTS[:3]]
            ),
        }
        outcome_values = [o.value for o in OUTCOMES]
        for cid in self.criteria:
            cols = []
            for j, plan in enumerate(self.plans):
                ids_ = [c.id for c in plan.criteria]
                if cid in ids_:
                    cols.append(outcomes[j][:, ids_.index(cid)].astype(np.int8))
                else:
                    cols.append(np.full(len(ids), -1, dtype=np.int8))
            codes = interleave(cols)
            mask = codes < 0
            data[f"criterion.{cid}"] = coded(
                np.where(mask, 0, codes).astype(np.int8), outcome_values, mask
            )
        # one list of field paths per distinct value, taken per row
        offsets: list[int] = []
        lists: list[list[str]] = []
        for m in missing:
            offsets.append(len(lists))
            lists.extend(list(x) for x in m.paths)
        codes = interleave(
            [m.codes.astype(np.int32) + off for m, off in zip(missing, offsets, strict=True)]
        )
        data["missing_facts"] = pa.array(lists, type=pa.list_(pa.string())).take(pa.array(codes))
        described = [(plan.assumptions or NONE).describe() for plan in self.plans]
        distinct = list(dict.fromkeys(described))
        per_profile = np.array([distinct.index(d) for d in described], dtype=np.int32)
        data["assumptions"] = coded(per_profile[profile_codes], distinct)
        return pa.table(data)

    def _arrow(self, table: Any) -> pa.Table:
        pa, _ = _pa()
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        elif not isinstance(table, pa.Table):
            module = type(table).__module__.split(".")[0]
            if module == "pandas":
                table = pa.Table.from_pandas(table, preserve_index=False)
            elif module == "polars":
                table = table.to_arrow()
            else:
                raise TypeError(
                    f"expected a pyarrow Table or RecordBatch, or a pandas or polars "
                    f"DataFrame, got {type(table).__name__}"
                )
        if self.columns:
            table = table.rename_columns([self.columns.get(c, c) for c in table.column_names])
        return table


_EPOCH = date(1970, 1, 1).toordinal()


@attrs.define
class _Missing:
    """Per row, an index into *paths* (the distinct lists of fields to collect)."""

    codes: Any
    paths: list[tuple[str, ...]]
    index: dict[tuple[str, ...], int] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.index = {p: i for i, p in enumerate(self.paths)}

    def set(self, row: int, paths: tuple[str, ...]) -> None:
        if paths not in self.index:
            self.index[paths] = len(self.paths)
            self.paths.append(paths)
        self.codes[row] = self.index[paths]


class _SeenIds:
    """The ids classified so far in a run, with their row numbers, exactly.

    Ids are kept as UTF-8 bytes in sorted numpy arrays, in levels that merge when
    they reach the size of the one before (as a log-structured merge tree): about
    the id's length plus 8 bytes per row, checked in O(log^2 n) per id.
    """

    def __init__(self) -> None:
        self.levels: list[tuple[Any, Any]] = []

    def add(self, ids: Any, numbers: Any, keep: Any) -> list[tuple[int, int]]:
        """Record the kept rows' ids; return (row index, first row) for each repeat."""
        import numpy as np

        idx = np.flatnonzero(keep)
        if len(idx) == 0:
            return []
        keys = _fixed_bytes(ids.take(_pa()[0].array(idx)))
        rows = numbers[idx].astype(np.int64)
        m = len(keys)
        earlier = np.full(m, -1, dtype=np.int64)  # the row that already had the id
        for level_keys, level_rows in self.levels:
            pos = np.minimum(np.searchsorted(level_keys, keys), len(level_keys) - 1)
            hit = level_keys[pos] == keys
            earlier[hit] = level_rows[pos[hit]]
        order = np.argsort(keys, kind="stable")
        same = np.zeros(m, dtype=bool)
        same[1:] = keys[order][1:] == keys[order][:-1]
        start = np.maximum.accumulate(np.where(~same, np.arange(m), 0))
        first = order[start]  # per sorted position: the batch's first row with that id
        repeat_sorted = same | (earlier[first] >= 0)
        first_row = np.where(earlier[first] >= 0, earlier[first], rows[first])
        repeat = np.zeros(m, dtype=bool)
        repeat[order] = repeat_sorted
        first_of = np.zeros(m, dtype=np.int64)
        first_of[order] = first_row
        if not repeat.all():
            self._insert(keys[~repeat], rows[~repeat])
        return [(int(idx[j]), int(first_of[j])) for j in np.flatnonzero(repeat).tolist()]

    def _insert(self, keys: Any, rows: Any) -> None:
        import numpy as np

        order = np.argsort(keys, kind="stable")
        level = (keys[order], rows[order])
        while self.levels and len(self.levels[-1][0]) <= 2 * len(level[0]):
            k, r = self.levels.pop()
            keys_, rows_ = np.concatenate([k, level[0]]), np.concatenate([r, level[1]])
            order = np.argsort(keys_, kind="stable")
            level = (keys_[order], rows_[order])
        self.levels.append(level)


def _fixed_bytes(ids: Any) -> Any:
    """Arrow strings as numpy fixed-width bytes, each followed by a byte 1 (so that ids
    ending in NUL stay distinct: numpy drops trailing NULs), gathered without Python
    objects."""
    import numpy as np

    pa, pc = _pa()
    ids = pc.cast(ids, pa.binary())
    n = len(ids)
    lengths = pc.fill_null(pc.binary_length(ids), 0).to_numpy().astype(np.int64)
    width = int(lengths.max(initial=0)) + 1
    if width > 256:  # long ids: one at a time rather than a wide matrix
        raw = [(v or b"") + b"\x01" for v in ids.to_pylist()]
        return np.array(raw, dtype=object).astype(bytes)
    _, offsets_buf, data_buf = ids.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[ids.offset : ids.offset + n]
    data = (
        np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    )
    cols = np.arange(width)
    inside = cols[None, :] < lengths[:, None]
    where = np.minimum(offsets[:, None].astype(np.int64) + cols[None, :], max(len(data) - 1, 0))
    out = np.where(inside, data[where] if len(data) else 0, 0).astype(np.uint8)
    out[np.arange(n), lengths] = 1
    return out.view(f"S{width}").ravel()


def _with_bases(profiles: Sequence[Profile], classifier: Classifier) -> list[Profile]:
    """*profiles* and the profiles they extend (their criteria of every version)."""
    out: list[Profile] = []
    for p in profiles:
        chain: Profile | None = p
        while chain is not None and len(out) < 100:
            out.append(chain)
            chain = classifier.profile(chain.extends) if chain.extends else None
    return out


def _numbers(first_row: int, row_numbers: Sequence[int] | None, n: int) -> Any:
    import numpy as np

    if row_numbers is None:
        return np.arange(first_row, first_row + n, dtype=np.int64)
    numbers = np.asarray(row_numbers, dtype=np.int64)
    if len(numbers) != n:
        raise ValueError(f"expected {n} row numbers, one per row, got {len(numbers)}")
    return numbers


def _pa() -> tuple[Any, Any]:
    from ._columns import _pa as pa_

    return pa_()


def classify_table(
    table: Any,
    profiles: str | Profile | Sequence[str | Profile],
    *,
    on: date | None = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
    unique_ids: bool = True,
    assumptions: Assumptions | None = None,
) -> RegisterResult:
    """Classify a whole table (Arrow, pandas or polars) of flat rows at once.

    Returns one row per organisation and profile (verdict, outcome of each
    criterion, the facts to collect when undetermined), every rejected row with
    its errors, and a summary whose counts reconcile.
    """
    rc = RegisterClassifier(
        profiles,
        on=on,
        fiscal_year=fiscal_year,
        currency=currency,
        columns=columns,
        unique_ids=unique_ids,
        assumptions=assumptions,
    )
    return rc.classify_table(table)


#: characters of CSV text parsed at a time (memory holds about two chunks)
CSV_CHUNK = 1 << 24


def _csv_batches(
    path: str, *, delimiter: str, encoding: str, bad: list[RejectedRow]
) -> Iterator[Any]:
    """Stream a CSV file as Arrow tables of text columns; ragged rows go to *bad*.

    The file is cut into chunks at record boundaries (a newline outside quotes: the
    quotes before it are even in number) and each chunk is parsed by pyarrow with the
    header, so at most one chunk is in memory (pyarrow's own streaming reader reads
    ahead without bound). UTF-8 is cut as bytes; other encodings are decoded first.
    """
    import csv
    import gzip

    import pyarrow.csv as pacsv

    pa, _ = _pa()
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    mode: dict[str, Any] = (
        {"mode": "rb"} if utf8 else {"mode": "rt", "encoding": encoding, "newline": ""}
    )
    with opener(path, **mode) as f:
        try:
            first = f.readline()
            line = first.decode("utf-8-sig") if utf8 else first
            header = next(csv.reader([line], delimiter=delimiter), None)
            if header is None:
                return
            head = line.encode("utf-8")
            width = len(header)
            read_options = pacsv.ReadOptions(use_threads=False, block_size=1 << 30)
            convert_options = pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            )
            start = 1  # the row number of the chunk's first row
            rest = b"" if utf8 else ""
            while True:
                data = f.read(CSV_CHUNK)
                chunk = rest + data
                if not chunk:
                    return
                cut = len(chunk) if not data else _record_end(chunk)
                if cut <= 0:  # one record longer than a chunk: read on
                    rest = chunk
                    continue
                body, rest = chunk[:cut], chunk[cut:]
                raw = body if utf8 else body.encode("utf-8")
                if not raw.strip(b"\r\n"):
                    continue
                invalid: list[Any] = []

                def handler(row: Any, invalid: list[Any] = invalid) -> str:
                    invalid.append(row)
                    return "skip"

                table = pacsv.read_csv(
                    pa.py_buffer(head + raw),
                    read_options=read_options,
                    parse_options=pacsv.ParseOptions(
                        delimiter=delimiter, newlines_in_values=True, invalid_row_handler=handler
                    ),
                    convert_options=convert_options,
                )
                for row in invalid:
                    number = start + (row.number or 0) - 2  # the chunk's header is its row 1
                    bad.append(_ragged(number, row.text, width, row.actual_columns))
                yield table
                start += table.num_rows + len(invalid)
        except (UnicodeDecodeError, pa.ArrowInvalid) as e:
            if isinstance(e, pa.ArrowInvalid) and "UTF8" not in str(e):
                raise
            from .._errors import UnreadableInput

            raise UnreadableInput(
                path,
                f"expected text in {encoding}, found bytes it cannot decode",
                hint="give the file's encoding with encoding= (--encoding)",
            ) from None


def _record_end(chunk: Any) -> int:
    """The end of the last whole record in *chunk* (text or bytes): just after a
    newline outside quotes (one with an even number of quotes before it), found in
    one pass from the end."""
    quote, newline = (b'"', b"\n") if isinstance(chunk, bytes) else ('"', "\n")
    quotes = chunk.count(quote)
    end = len(chunk)
    pos = chunk.rfind(newline)
    while pos >= 0:
        quotes -= chunk.count(quote, pos, end)
        end = pos
        if quotes % 2 == 0:
            return int(pos) + 1
        pos = chunk.rfind(newline, 0, pos)
    return 0


def _as_text(table: pa.Table) -> pa.Table:
    """Dictionary columns as text and field lists joined with "; ", for CSV."""
    pa, pc = _pa()
    columns = []
    for col in table.columns:
        if pa.types.is_dictionary(col.type):
            columns.append(col.cast(pa.string()))
        elif pa.types.is_list(col.type):
            columns.append(pc.binary_join(col, "; "))
        else:
            columns.append(col)
    return pa.table(dict(zip(table.column_names, columns, strict=True)))


def _good_rows(start: int, count: int, skipped: set[int]) -> tuple[Any, int]:
    """The numbers of *count* rows read from *start* on, around the *skipped* ones."""
    import numpy as np

    if not any(start <= k < start + count + len(skipped) for k in skipped):
        n = start + count
        while n in skipped:
            n += 1
        return np.arange(start, start + count, dtype=np.int64), n
    numbers: list[int] = []
    n = start
    while len(numbers) < count:
        if n not in skipped:
            numbers.append(n)
        n += 1
    while n in skipped:
        n += 1
    return np.array(numbers, dtype=np.int64), n


def _ragged(number: int, text: str, width: int, got: int) -> RejectedRow:
    more = "more" if got > width else "fewer"
    return RejectedRow(
        number,
        None,
        (FieldError("", f"expected {width} cells as in the header, got {got} ({more})"),),
        {"line": text},
    )


def stream_file(
    rc: RegisterClassifier,
    source: str | os.PathLike[str],
    *,
    format: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    chunk_rows: int = 1 << 17,
) -> Iterator[RegisterResult]:
    """Classify a CSV, TSV (optionally gzipped) or Parquet register chunk by chunk.

    Each result covers one chunk; ragged CSV rows are among its rejected rows (and
    counted in its summary), so the summaries add up to every row of the file.
    """
    import pyarrow.parquet as pq

    path = str(source)
    fmt = format or _format_of(path)
    bad: list[RejectedRow] = []
    if fmt == "parquet":
        batches: Iterable[Any] = pq.ParquetFile(path).iter_batches(batch_size=chunk_rows)
    elif fmt in ("csv", "tsv"):
        sep = delimiter or ("\t" if fmt == "tsv" else ",")
        batches = _csv_batches(path, delimiter=sep, encoding=encoding, bad=bad)
    else:
        raise ValueError(f"expected a CSV, TSV or Parquet file, got {path!r} ({fmt})")
    ordinal = 1  # the next data row of the file (ragged rows included)
    ragged: set[int] = set()  # row numbers of the ragged rows met so far
    for batch in batches:
        ragged.update(r.number for r in bad)
        numbers, ordinal = _good_rows(ordinal, batch.num_rows, ragged)
        result = rc.classify_table(batch, row_numbers=numbers)
        if bad:
            result = _with_ragged(result, bad)
            bad.clear()
        yield result
    if bad:
        yield _with_ragged(rc.classify_table(_empty()), bad)


def _with_ragged(result: RegisterResult, bad: list[RejectedRow]) -> RegisterResult:
    rejected = tuple(sorted((*result.rejected, *bad), key=lambda r: r.number))
    extra = RegisterSummary(len(bad), 0, len(bad))
    return RegisterResult(result.table, rejected, result.summary + extra)


def _empty() -> pa.Table:
    pa, _ = _pa()
    return pa.table({"id": pa.array([], pa.string())})


def _format_of(path: str) -> str:
    name = path.lower().removesuffix(".gz")
    for ext, fmt in ((".parquet", "parquet"), (".tsv", "tsv"), (".tab", "tsv")):
        if name.endswith(ext):
            return fmt
    return "csv"


def classify_file(
    source: str | os.PathLike[str],
    profiles: str | Profile | Sequence[str | Profile],
    *,
    output: str | os.PathLike[str],
    on: date | None = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    chunk_rows: int = 1 << 17,
    errors: str | os.PathLike[str] | None = None,
    unique_ids: bool = True,
    assumptions: Assumptions | None = None,
) -> RegisterSummary:
    """Classify a CSV, TSV or Parquet register in a stream, writing Parquet or CSV results
    (by *output*'s extension).

    Memory stays flat: one chunk is read, classified and written at a time; only
    the index of ids seen (for *unique_ids*: a row repeating the id of a row already
    classified is rejected, the first kept) grows, by the id's length + 8 bytes a row.
    Rejected rows go to *errors* (JSON Lines), if given; the summary counts them.
    """
    import json

    rc = RegisterClassifier(
        profiles,
        on=on,
        fiscal_year=fiscal_year,
        currency=currency,
        columns=columns,
        unique_ids=unique_ids,
        assumptions=assumptions,
    )
    summary = RegisterSummary()
    err = open(errors, "w", encoding="utf-8") if errors else None  # noqa: SIM115
    try:
        with ResultWriter(output) as writer:
            for result in stream_file(
                rc, source, delimiter=delimiter, encoding=encoding, chunk_rows=chunk_rows
            ):
                writer.write(result.table)
                summary = summary + result.summary
                if err is not None:
                    for r in result.rejected:
                        err.write(json.dumps(rejected_record(r), ensure_ascii=False) + "\n")
            if writer.empty:
                writer.write(rc.classify_table(_empty()).table)
    finally:
        if err is not None:
            err.close()
    return summary


class ResultWriter:
    """Write result tables to Parquet or CSV (by extension), one chunk at a time.

    *row* (the input row number) is kept unless ``row=False``; CSV gets plain text
    columns with the facts to collect joined by ``"; "``, as :func:`write_results`.
    """

    def __init__(
        self, target: str | os.PathLike[str] | Any, *, format: str | None = None, row: bool = True
    ) -> None:
        self.target = target
        self.format = format or ("csv" if str(target).lower().endswith(".csv") else "parquet")
        self.row = row
        self.writer: Any = None
        self.empty = True

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def write(self, table: pa.Table) -> None:
        self.empty = False
        if not self.row:
            table = table.drop_columns(["row"])
        if self.format == "csv":
            self._write_csv(_as_text(table))
            return
        if self.writer is None:
            import pyarrow.parquet as pq

            pa, _ = _pa()
            coded = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
            # dictionary pages only for coded columns (verdicts, outcomes): for ids and
            # lists they would only be tried and dropped
            self.writer = pq.ParquetWriter(
                self.target, table.schema, use_dictionary=coded, write_statistics=False
            )
        self.writer.write_table(table)

    def _write_csv(self, table: pa.Table) -> None:
        """CSV as Python's csv module writes it (quoting only the cells that need it),
        so that both ways of classifying give the same bytes."""
        import csv
        import io

        import pyarrow.csv as pacsv

        pa, pc = _pa()
        if self.writer is None:
            self.writer = _TextSink(self.target)
            header = io.StringIO()
            csv.writer(header, lineterminator="\n").writerow(table.column_names)
            self.writer.write(header.getvalue().encode("utf-8"))
        needs_quotes = any(
            pc.any(pc.match_substring_regex(col, r'[,"\r\n]')).as_py()
            for col in table.columns
            if pa.types.is_string(col.type)
        )
        if not needs_quotes:
            options = pacsv.WriteOptions(include_header=False, quoting_style="none", eol="\n")
            buf = pa.BufferOutputStream()
            pacsv.write_csv(table, buf, write_options=options)
            self.writer.write(buf.getvalue().to_pybytes())
            return
        text = io.StringIO()
        w = csv.writer(text, lineterminator="\n")
        for row in zip(*(col.to_pylist() for col in table.columns), strict=True):
            w.writerow(["" if v is None else v for v in row])
        self.writer.write(text.getvalue().encode("utf-8"))


class _TextSink:
    """A file path or an open (text or binary) file, written with bytes."""

    def __init__(self, target: Any) -> None:
        self.own = isinstance(target, str | os.PathLike)
        self.file: Any = open(target, "wb") if self.own else target  # noqa: SIM115

    def write(self, data: bytes) -> None:
        if isinstance(self.file, io.TextIOBase):
            self.file.write(data.decode("utf-8"))
        else:
            self.file.write(data)

    def close(self) -> None:
        if self.own:
            self.file.close()
