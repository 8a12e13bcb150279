"""Write results, rejected rows and registers.

Results are one row per organisation and profile: ``organisation_id``,
``profile_id``, ``version``, ``on``, ``fiscal_year``, ``verdict``, one
``criterion.<id>`` column per criterion (its outcome; empty when the profile has no
such criterion) and ``missing_facts``. CSV, Parquet and
:func:`~sse_model.to_dataframe` (``outcomes=True``) share these columns; JSON Lines
holds the full result of each pair (criteria with observed values, thresholds and
citations). Writers stream: memory does not grow with the number of results when
the criterion columns are given (or derived from the profiles).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from .._engine._classify import Classifier
from .._engine._profile import Profile
from .._engine._result import Classification
from .._model import Organisation
from .._serialization import to_json, unstructure
from ._flat import RejectedRow
from ._readers import BATCH_ROWS, text

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
) -> int:
    """Write results as CSV, JSON Lines or Parquet; returns the number of rows written.

    *target* is a path (format from its extension unless *format* is given) or an
    open file (text for CSV and JSON Lines, binary for Parquet). *criteria* names the
    ``criterion.<id>`` columns (see :func:`criterion_columns`); without it the results
    are gathered first to find them. Missing facts are joined with ``"; "`` in CSV and
    a list of strings in Parquet.
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
        with Path(target).open("w", encoding="utf-8", newline="") as f:
            return _write_text(results, f, format, criteria or [])
    return _write_text(results, target, format, criteria or [])


def _write_text(
    results: Iterable[Classification], f: IO[str], format: str, criteria: Sequence[str]
) -> int:
    n = 0
    if format == "jsonl":
        for r in results:
            f.write(to_json(r) + "\n")
            n += 1
        return n
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow([*RESULT_COLUMNS, *criteria, "missing_facts", "assumptions"])
    for record in result_records(results, criteria):
        record["missing_facts"] = "; ".join(record["missing_facts"])
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
            ("assumptions", pa.string()),
        ]
    )
    n = 0
    sink = str(target) if isinstance(target, str | os.PathLike) else target
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in result_records(results, criteria):
            batch.append(record)
            if len(batch) >= BATCH_ROWS:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            n += len(batch)
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
    """Write rejected rows as JSON Lines (see :func:`rejected_record`); returns how many."""
    if isinstance(target, str | os.PathLike):
        with Path(target).open("w", encoding="utf-8") as f:
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
    lists are joined with ``;``. Reading the row back gives the same organisation.
    """
    out: dict[str, str] = {}
    _flatten(unstructure(organisation), "", out)
    return out


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
        else:
            out[name] = text(value)
