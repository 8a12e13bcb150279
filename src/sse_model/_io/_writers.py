"""Write results, rejected rows and registers.

Results are one row per organisation and profile: ``organisation_id``,
``profile_id``, ``version``, ``on``, ``fiscal_year``, ``verdict``, one
``criterion.<id>`` column per criterion (its outcome; empty when the profile has no
such criterion), ``missing_facts``, ``rests_on_presumptions`` (the verdict differs from
the one observed facts alone give) and ``presumed_criteria`` (the criteria whose outcome
rests on legal presumptions). CSV, Parquet and
:func:`~sse_model.to_dataframe` (``outcomes=True``) share these columns; JSON Lines
holds the full result of each pair (criteria with observed values, thresholds and
citations). Writers stream: memory does not grow with the number of results when
the criterion columns are given (or derived from the profiles).

A file given by path appears only when complete (see :mod:`._outputs`): a failed or
interrupted write leaves no file, and an existing one untouched. In CSV, text cells
that a spreadsheet would run as a formula get a leading ``'`` unless
``escape_formulas=False``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from .._engine._classify import Classifier
from .._engine._presume import Basis
from .._engine._profile import Profile
from .._engine._result import Classification
from .._errors import FieldError, InvalidInput
from .._model import Organisation
from .._serialization import to_json, unstructure
from ._flat import _UNIT, RejectedRow, column_path
from ._outputs import CSVRows, ParquetOutput, atomic_output, escape_formula
from ._readers import BATCH_ROWS
from ._typed import text

__all__ = [
    "RESULT_COLUMNS",
    "OutputFormat",
    "criterion_columns",
    "rejected_record",
    "result_records",
    "to_flat_row",
    "write_rejected",
    "write_results",
]

OutputFormat = Literal["csv", "jsonl", "parquet"]
#: the columns before the criterion columns; ``missing_facts`` then ``assumptions`` come last
RESULT_COLUMNS = ("organisation_id", "profile_id", "version", "on", "fiscal_year", "verdict")
#: result columns that hold a date or a number, never neutralised as formulas
_NOT_TEXT = frozenset({"row", "on", "fiscal_year"})
#: the columns after the criterion columns
TAIL_COLUMNS = ("missing_facts", "rests_on_presumptions", "presumed_criteria", "assumptions")
_OUTPUT_EXTENSIONS: dict[str, OutputFormat] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}


def criterion_columns(
    profiles: Iterable[str | Profile], on: date, *, classifier: Classifier | None = None
) -> list[str]:
    """The ``criterion.<id>`` columns for these profiles on *on*, in profile order."""
    classifier = classifier or Classifier()
    cols: dict[str, None] = {}
    for p in profiles:
        cols.update(dict.fromkeys(f"criterion.{c.id}" for c in classifier.plan(p, on).criteria))
    return list(cols)


def result_records(
    results: Iterable[Classification], criteria: Sequence[str]
) -> Iterator[dict[str, Any]]:
    """One flat record per result: the fixed columns, *criteria* and ``missing_facts``
    (a list of field paths). Outcomes of criteria not in *criteria* are left out."""
    for r in results:
        outcomes = {f"criterion.{c.id}": c.outcome.value for c in r.criteria}
        record: dict[str, Any] = {
            "organisation_id": r.organisation_id,
            "profile_id": r.profile_id,
            "version": r.version,
            "on": r.on,
            "fiscal_year": r.fiscal_year,
            "verdict": r.verdict.value,
        }
        for c in criteria:
            record[c] = outcomes.get(c)
        record["missing_facts"] = (
            [m.path for m in r.settlement.missing_facts] if r.settlement else []
        )
        record["rests_on_presumptions"] = r.rests_on_presumptions
        record["presumed_criteria"] = [c.id for c in r.criteria if c.basis is Basis.PRESUMED]
        record["assumptions"] = r.assumptions.describe() if r.assumptions else ""
        yield record


def _columns_of(results: Sequence[Classification]) -> list[str]:
    cols: dict[str, None] = {}
    for r in results:
        cols.update(dict.fromkeys(f"criterion.{c.id}" for c in r.criteria))
    return list(cols)


def write_results(
    results: Iterable[Classification],
    target: str | os.PathLike[str] | IO[Any],
    *,
    format: OutputFormat | None = None,
    criteria: Sequence[str] | None = None,
    escape_formulas: bool = True,
) -> int:
    """Write results as CSV, JSON Lines or Parquet; returns the number of rows written.

    *target* is a path (format from its extension unless *format* is given) or an
    open file (text for CSV and JSON Lines, binary for Parquet). A path is written
    under a temporary name and renamed onto *target* only when every result is
    written; if anything fails (or Ctrl-C), no file is left and an existing one is
    untouched. *criteria* names the ``criterion.<id>`` columns (see
    :func:`criterion_columns`); without it the results are gathered first to find
    them. Missing facts are joined with ``"; "`` in CSV and a list of strings in
    Parquet. In CSV, a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading ``'`` so that a spreadsheet shows it rather than
    running it, unless *escape_formulas* is false.
    """
    if format is None:
        if not isinstance(target, str | os.PathLike):
            raise ValueError("expected format= when writing to an open file")
        suffix = Path(target).suffix.lower()
        if suffix not in _OUTPUT_EXTENSIONS:
            known = ", ".join(sorted(_OUTPUT_EXTENSIONS))
            raise ValueError(f"expected a file name ending in {known}, got {str(target)!r}")
        format = _OUTPUT_EXTENSIONS[suffix]
    if format not in ("csv", "jsonl", "parquet"):
        raise ValueError(f"expected format 'csv', 'jsonl' or 'parquet', got {format!r}")
    if criteria is None and format != "jsonl":
        results = list(results)
        criteria = _columns_of(results)
    if format == "parquet":
        return _write_parquet(results, target, criteria or [])
    if isinstance(target, str | os.PathLike):
        with atomic_output(target) as f:
            return _write_text(results, f, format, criteria or [], escape_formulas)
    return _write_text(results, target, format, criteria or [], escape_formulas)


def _write_text(
    results: Iterable[Classification],
    f: IO[str],
    format: str,
    criteria: Sequence[str],
    escape_formulas: bool = True,
) -> int:
    n = 0
    if format == "jsonl":
        for r in results:
            f.write(to_json(r) + "\n")
            n += 1
        return n
    writer = CSVRows(f)
    writer.writerow([*RESULT_COLUMNS, *criteria, *TAIL_COLUMNS])
    for record in result_records(results, criteria):
        record["missing_facts"] = "; ".join(record["missing_facts"])
        record["presumed_criteria"] = "; ".join(record["presumed_criteria"])
        if escape_formulas:
            writer.writerow(
                [text(v) if k in _NOT_TEXT else escape_formula(text(v)) for k, v in record.items()]
            )
        else:
            writer.writerow([text(v) for v in record.values()])
        n += 1
    return n


def _write_parquet(results: Iterable[Classification], target: Any, criteria: Sequence[str]) -> int:
    from ._readers import _extra

    pa = _extra("pyarrow", "arrow", "Writing Parquet")
    pq = _extra("pyarrow.parquet", "arrow", "Writing Parquet")
    schema = pa.schema(
        [
            ("organisation_id", pa.string()),
            ("profile_id", pa.string()),
            ("version", pa.string()),
            ("on", pa.date32()),
            ("fiscal_year", pa.int32()),
            ("verdict", pa.string()),
            *((c, pa.string()) for c in criteria),
            ("missing_facts", pa.list_(pa.string())),
            ("rests_on_presumptions", pa.bool_()),
            ("presumed_criteria", pa.list_(pa.string())),
            ("assumptions", pa.string()),
        ]
    )
    del pq  # imported for the message when pyarrow is missing; ParquetOutput writes
    n = 0
    out = ParquetOutput(target, schema)
    try:
        batch: list[dict[str, Any]] = []
        for record in result_records(results, criteria):
            batch.append(record)
            if len(batch) >= BATCH_ROWS:
                out.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            out.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    except BaseException:
        out.abort()
        raise
    out.commit()
    return n


def rejected_record(row: RejectedRow) -> dict[str, Any]:
    """A rejected row as plain data: ``row``, ``id``, ``errors`` (each with ``path``,
    ``message`` and the cell's ``raw`` value when the path names a column) and ``raw``
    (the whole row; cells beyond the header are under ``"(extra cells)"``)."""
    errors = []
    for e in row.errors:
        item: dict[str, Any] = {"path": e.path, "message": e.message}
        raw = row.raw.get(e.path)
        if raw is not None:
            item["raw"] = raw
        errors.append(item)
    raw_row = {k if k is not None else "(extra cells)": v for k, v in row.raw.items()}
    return {"row": row.number, "id": row.id, "errors": errors, "raw": raw_row}


def write_rejected(rows: Iterable[RejectedRow], target: str | os.PathLike[str] | IO[str]) -> int:
    """Write rejected rows as JSON Lines (see :func:`rejected_record`); returns how many.

    A path is written atomically, as by :func:`write_results`."""
    if isinstance(target, str | os.PathLike):
        with atomic_output(target) as f:
            return write_rejected(rows, f)
    n = 0
    for row in rows:
        target.write(json.dumps(rejected_record(row), ensure_ascii=False) + "\n")
        n += 1
    return n


def to_flat_row(organisation: Organisation) -> dict[str, str]:
    """One organisation in the flat column vocabulary (only known facts have a column).

    Finances become ``finances.<year>.<field>``; certifications
    ``certification.<kind>`` (the grant date) and ``certification.<kind>.<field>``;
    lists are joined with ``;``. Reading the row back (:func:`read_register`) gives
    the same organisation. What a flat row cannot hold raises
    :class:`~sse_model.InvalidInput` instead of being lost: two certifications of
    one kind (one column per kind), a kind that reads back as another column
    (ending in ``.issuer`` or another certification field, or in ``[...]``), a
    blank text (only spaces), which a flat row reads as unknown, and what would have no
    cell at all: a certification known only by its kind, a fiscal year with no known
    fact. A list known to be empty is written ``;`` (an empty cell would be unknown).
    """
    data = unstructure(organisation)
    problems = list(_unflattenable(data))
    if problems:
        raise InvalidInput("Organisation", problems)
    out: dict[str, str] = {}
    _flatten(data, "", out)
    return out


def _unflattenable(data: Mapping[str, Any], prefix: str = "") -> Iterator[FieldError]:
    for key, value in data.items():
        path = f"{prefix}{key}"
        if path == "certifications":
            kinds: dict[str, int] = {}
            for i, cert in enumerate(value):
                kind = cert["kind"]
                where = f"certifications[{i}].kind"
                if kind in kinds:
                    yield FieldError(
                        where,
                        f"expected one certification of each kind in a flat row, got "
                        f"{kind!r} again (also certifications[{kinds[kind]}])",
                    )
                    continue
                kinds[kind] = i
                column = f"certification.{kind}"
                if column_path(column) != ("certification", kind, "granted_on") or (
                    _UNIT.match(column)
                ):
                    yield FieldError(
                        where,
                        f"expected a kind that names its own column, got {kind!r} (its "
                        f"column {column!r} reads back as another field)",
                    )
                for field, v in cert.items():
                    if isinstance(v, str) and not v.strip() and field != "kind":
                        yield FieldError(f"certifications[{i}].{field}", _BLANK)
                if len(cert) == 1:
                    yield FieldError(
                        where,
                        f"expected a certification with a known date or field besides its kind "
                        f"in a flat row, got only the kind {kind!r} (its cell would be empty)",
                    )
        elif path == "finances":
            for year, accounts in value.items():
                if not accounts:
                    yield FieldError(
                        f"finances[{year}]",
                        "expected a fiscal year with at least one known fact in a flat row "
                        "(a year with none has no cell)",
                    )
            yield from _unflattenable(value, f"{path}.")
        elif isinstance(value, Mapping):
            yield from _unflattenable(value, f"{path}.")
        elif isinstance(value, str) and not value.strip():
            yield FieldError(path, _BLANK)


_BLANK = "expected text that is not blank in a flat row (a blank cell reads back as unknown)"


def _flatten(data: Mapping[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if name == "certifications":
            for cert in value:
                kind = cert["kind"]
                out[f"certification.{kind}"] = text(cert.get("granted_on"))
                for field, v in cert.items():
                    if field not in ("kind", "granted_on"):
                        out[f"certification.{kind}.{field}"] = text(v)
        elif isinstance(value, Mapping):
            _flatten(value, f"{name}.", out)
        elif isinstance(value, list) and not value:
            out[name] = ";"  # known to be empty; reads back as []
        else:
            out[name] = text(value)
