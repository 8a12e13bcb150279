"""Coverage-guided fuzzing of register files through both lanes (atheris / libFuzzer).

The first byte of each input picks a format (CSV, TSV, gzipped CSV, JSON Lines, JSON,
Parquet, Excel); the rest is the file. The file is read by the per-object lane
(``read_register`` + ``Classifier``) and, for CSV, TSV and Parquet, by the columnar lane
(``stream_file``). Two rules:

- only the library's documented errors escape (:class:`sse_model.SSEModelError`);
- when both lanes read the file, they agree row by row: the same rejected row numbers,
  and the same organisations with the same verdicts, in the same order. When one lane
  finds the file unreadable, so does the other.

Run: ``python fuzz/fuzz_register.py -max_total_time=240`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import sse_model
    from sse_model._io import _batch, _columns, _flat, _readers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DOCUMENTED, register_seeds, run

PROFILES = ("intl/ilo-2022", "vn/social-enterprise")
_ON = date(2025, 6, 30)
_CLASSIFIER = sse_model.Classifier()
#: the format byte: index into this tuple (modulo its length)
FORMATS = ("csv", "tsv", "csv.gz", "jsonl", "json", "parquet", "xlsx")
_COLUMNAR = frozenset({"csv", "tsv", "csv.gz", "parquet"})
_DIR = Path(tempfile.mkdtemp(prefix="fuzz-register-"))


class LanesDisagree(AssertionError):
    """The two lanes gave different answers for one file."""


def _row_lane(path: Path, fmt: str) -> tuple[tuple[int, ...], tuple[tuple[str, str], ...]]:
    rejected: list[int] = []
    verdicts: list[tuple[str, str]] = []
    for item in sse_model.read_register(path, format=fmt.removesuffix(".gz")):  # type: ignore[arg-type]
        if isinstance(item, sse_model.RejectedRow):
            rejected.append(item.number)
            continue
        for p in PROFILES:
            verdicts.append((item.id, _CLASSIFIER.classify(item, p, on=_ON).verdict.value))
    return tuple(sorted(rejected)), tuple(verdicts)


def _column_lane(path: Path, fmt: str) -> tuple[tuple[int, ...], tuple[tuple[str, str], ...]]:
    rc = sse_model.RegisterClassifier(PROFILES, on=_ON)
    rejected: list[int] = []
    rows: list[tuple[int, int, str, str]] = []
    order = {p: i for i, p in enumerate(PROFILES)}
    for result in _batch.stream_file(rc, path, format=fmt.removesuffix(".gz")):
        rejected.extend(r.number for r in result.rejected)
        t = result.table.to_pydict()
        for row, oid, pid, verdict in zip(
            t["row"], t["organisation_id"], t["profile_id"], t["verdict"], strict=True
        ):
            rows.append((row, order[pid], oid, verdict))
    rows.sort()
    return tuple(sorted(rejected)), tuple((oid, v) for _, _, oid, v in rows)


def _outcome(lane: object, path: Path, fmt: str) -> object:
    try:
        return lane(path, fmt)  # type: ignore[operator]
    except sse_model.UnreadableInput:
        return "unreadable"


def test_one_input(data: bytes) -> None:
    if not data:
        return
    fmt = FORMATS[data[0] % len(FORMATS)]
    path = _DIR / f"register.{fmt}"
    path.write_bytes(data[1:])
    try:
        row = _outcome(_row_lane, path, fmt)
        if fmt in _COLUMNAR:
            col = _outcome(_column_lane, path, fmt)
            if row != col:
                raise LanesDisagree(f"{fmt}: per-object lane {row!r}, columnar lane {col!r}")
    except DOCUMENTED:
        return
    _ = (_columns, _flat, _readers)


def main() -> None:
    run("register", register_seeds(), test_one_input)


if __name__ == "__main__":
    main()
