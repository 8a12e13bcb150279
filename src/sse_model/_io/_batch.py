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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

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
from .._model import Organisation
from ._columns import frame_from_table
from ._flat import RejectedRow, Row, rows_to_organisations

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

    #: columns: row, id, profile, version, verdict, missing, criterion.<id> ...
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
    ) -> None:
        self.classifier = classifier or Classifier()
        self.on = on or date.today()
        self.fiscal_year = fiscal_year
        self.currency = currency
        self.columns = dict(columns or {})
        ps = [profiles] if isinstance(profiles, str | Profile) else list(profiles)
        self.profiles = [self.classifier.profile(p) for p in ps]
        self.plans: list[Plan] = [self.classifier.plan(p, self.on) for p in self.profiles]
        self.compiled: list[ColumnarPlan] = [compile_columnar(p) for p in self.plans]
        self.facts, self.certs = needed_facts(self.plans)
        #: the output columns, fixed for the run (so chunks share one schema)
        self.criteria: list[str] = list(
            dict.fromkeys(c.id for plan in self.plans for c in plan.criteria)
        )

    # inputs ----------------------------------------------------------------------
    def classify_table(self, table: Any, *, first_row: int = 1) -> RegisterResult:
        """Classify a pyarrow Table, a pandas or polars DataFrame (flat columns)."""
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
        return self._finish(built.frame, built.exact, built.ids, t, first_row, n)

    def classify_organisations(
        self, organisations: Sequence[Organisation], *, first_row: int = 1
    ) -> RegisterResult:
        """Classify organisations already built (every one is classified)."""
        import numpy as np

        frame = frame_from_organisations(
            organisations, self.plans, on=self.on, fiscal_year=self.fiscal_year
        )
        ids = np.array([o.id for o in organisations], dtype=object)
        exact = np.zeros(len(organisations), dtype=bool)
        return self._finish(frame, exact, ids, list(organisations), first_row, frame.n)

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
        first_row: int,
        n: int,
    ) -> RegisterResult:
        import numpy as np

        verdicts: list[Any] = []
        outcomes: list[Any] = []
        missing: list[Any] = []
        for cp in self.compiled:
            res = cp(frame)
            exact = exact | res.ambiguous
            verdicts.append(res.verdicts)
            outcomes.append(res.outcomes)
            missing.append(res.missing)
        keep = np.ones(n, dtype=bool)
        rejected: list[RejectedRow] = []
        for i in np.flatnonzero(exact).tolist():
            org = self._exact_row(source, i, first_row + i)
            if isinstance(org, RejectedRow):
                rejected.append(org)
                keep[i] = False
                continue
            ids[i] = org.id
            for p, profile in enumerate(self.profiles):
                c = self.classifier.classify(
                    org, profile, on=self.on, fiscal_year=self.fiscal_year
                )
                verdicts[p][i] = VERDICTS.index(c.verdict)
                outcomes[p][i] = [OUTCOMES.index(r.outcome) for r in c.criteria]
                missing[p][i] = (
                    ";".join(m.path for m in c.settlement.missing_facts)
                    if c.settlement is not None and verdicts[p][i] == UNKNOWN
                    else ""
                )
        table = self._table(ids, first_row, keep, verdicts, outcomes, missing)
        classified = int(keep.sum())
        summary = RegisterSummary(n, classified, n - classified, int((keep & ~exact).sum()))
        return RegisterResult(table, tuple(rejected), summary)

    def _exact_row(self, source: Any, i: int, number: int) -> Organisation | RejectedRow:
        if isinstance(source, list):
            return source[i]  # type: ignore[no-any-return]
        pa, pc = _pa()
        cells: dict[str | None, str | None] = {}
        for name in source.column_names:
            col = source.column(name).slice(i, 1)
            if col.type != pa.string():
                col = pc.cast(col, pa.string())
            value = col[0].as_py()
            cells[name] = "" if value is None else value
        (out,) = rows_to_organisations([Row(number, cells)], currency=self.currency)
        return out

    def _table(
        self,
        ids: Any,
        first_row: int,
        keep: Any,
        verdicts: list[Any],
        outcomes: list[Any],
        missing: list[Any],
    ) -> pa.Table:
        import numpy as np

        pa, _ = _pa()
        rows = np.flatnonzero(keep)
        k, p = len(rows), len(self.plans)
        verdict_dict = pa.array([v.value for v in VERDICTS[:3]])  # codes 0..2
        versions = list(dict.fromkeys(plan.version for plan in self.plans))
        outcome_dict = pa.array([o.value for o in OUTCOMES])

        def interleave(arrays: list[Any]) -> Any:
            stacked = np.empty(k * p, dtype=arrays[0].dtype)
            for j, a in enumerate(arrays):
                stacked[j::p] = a[rows]
            return stacked

        data: dict[str, Any] = {
            "row": pa.array(np.repeat(rows + first_row, p).astype(np.int64)),
            "id": pa.array(np.repeat(ids[rows], p), type=pa.string()),
            "profile": pa.DictionaryArray.from_arrays(
                pa.array(np.tile(np.arange(p, dtype=np.int32), k)),
                pa.array([pr.id for pr in self.profiles]),
            ),
            "version": pa.DictionaryArray.from_arrays(
                pa.array(
                    np.tile(
                        np.array([versions.index(v.version) for v in self.plans], dtype=np.int32),
                        k,
                    )
                ),
                pa.array(versions),
            ),
            "verdict": pa.DictionaryArray.from_arrays(
                pa.array(interleave(verdicts).astype(np.int8)), verdict_dict
            ),
            "missing": pa.array(interleave(missing), type=pa.string()),
        }
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
            data[f"criterion.{cid}"] = pa.DictionaryArray.from_arrays(
                pa.array(np.where(mask, 0, codes).astype(np.int8), mask=mask), outcome_dict
            )
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
) -> RegisterResult:
    """Classify a whole table (Arrow, pandas or polars) of flat rows at once.

    Returns one row per organisation and profile (verdict, outcome of each
    criterion, the facts to collect when undetermined), every rejected row with
    its errors, and a summary whose counts reconcile.
    """
    rc = RegisterClassifier(
        profiles, on=on, fiscal_year=fiscal_year, currency=currency, columns=columns
    )
    return rc.classify_table(table)


def _csv_batches(
    path: str, *, chunk_rows: int, delimiter: str, encoding: str, bad: list[RejectedRow]
) -> Iterator[Any]:
    """Stream a CSV file as Arrow batches of text columns; ragged rows go to *bad*."""
    import csv

    import pyarrow.csv as pacsv

    pa, _ = _pa()
    with open(path, encoding=encoding, newline="") as f:
        header = next(csv.reader(f, delimiter=delimiter), None)
    if header is None:
        return
    width = len(header)

    def invalid(row: Any) -> str:
        bad.append(_ragged(row.number, row.text, width, row.actual_columns, delimiter))
        return "skip"

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 25, encoding=encoding),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    yield from reader
    del chunk_rows


def _ragged(number: int | None, text: str, width: int, got: int, delimiter: str) -> RejectedRow:
    from .._errors import FieldError

    more = "more" if got > width else "fewer"
    return RejectedRow(
        (number or 0) - 1,
        None,
        (FieldError("", f"expected {width} cells as in the header, got {got} ({more})"),),
        {"line": text},
    )


def classify_file(
    source: str,
    profiles: str | Profile | Sequence[str | Profile],
    *,
    output: str,
    on: date | None = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    chunk_rows: int = 1 << 17,
    errors: str | None = None,
) -> RegisterSummary:
    """Classify a CSV or Parquet register in a stream, writing Parquet (or CSV) results.

    Memory stays flat: one chunk is read, classified and written at a time.
    Rejected rows go to *errors* (JSON Lines), if given; the summary counts them.
    """
    import json

    import pyarrow.parquet as pq

    pa, pc = _pa()
    rc = RegisterClassifier(
        profiles, on=on, fiscal_year=fiscal_year, currency=currency, columns=columns
    )
    bad: list[RejectedRow] = []
    if str(source).endswith(".parquet"):
        batches: Iterable[Any] = pq.ParquetFile(source).iter_batches(batch_size=chunk_rows)
    else:
        batches = _csv_batches(
            source, chunk_rows=chunk_rows, delimiter=delimiter, encoding=encoding, bad=bad
        )
    summary = RegisterSummary()
    writer: Any = None
    err = open(errors, "w", encoding="utf-8") if errors else None  # noqa: SIM115
    to_csv = str(output).endswith(".csv")
    try:
        row = 1
        for batch in batches:
            skipped = len(bad)
            result = rc.classify_table(batch, first_row=row)
            row += result.summary.rows
            table = result.table
            if to_csv:
                import pyarrow.csv as pacsv

                table = table.cast(
                    pa.schema(
                        [
                            pa.field(
                                f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type
                            )
                            for f in table.schema
                        ]
                    )
                )
                if writer is None:
                    writer = pacsv.CSVWriter(output, table.schema)
            elif writer is None:
                writer = pq.ParquetWriter(output, table.schema)
            writer.write_table(table)
            rejected = list(result.rejected) + bad[:skipped]
            del bad[:skipped]
            summary = summary + result.summary + RegisterSummary(skipped, 0, skipped)
            if err is not None:
                for r in rejected:
                    err.write(json.dumps(_rejected_json(r), ensure_ascii=False) + "\n")
        if bad:
            summary = summary + RegisterSummary(len(bad), 0, len(bad))
            if err is not None:
                for r in bad:
                    err.write(json.dumps(_rejected_json(r), ensure_ascii=False) + "\n")
        if writer is None:
            writer = pq.ParquetWriter(
                output, rc.classify_table(pa.table({"id": pa.array([], pa.string())})).table.schema
            )
    finally:
        if writer is not None:
            writer.close()
        if err is not None:
            err.close()
    del pc
    return summary


def _rejected_json(r: RejectedRow) -> dict[str, Any]:
    return {
        "row": r.number,
        "id": r.id,
        "errors": [{"path": e.path, "message": e.message} for e in r.errors],
        "raw": {k if k is not None else "": v for k, v in r.raw.items()},
    }
