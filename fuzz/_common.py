"""Shared by the atheris harnesses: seeds and the rule that only documented errors may escape."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import sse_model

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "src" / "sse_model" / "_data" / "profiles"

#: Exceptions a caller is told to expect: everything else is a crash.
DOCUMENTED = (sse_model.SSEModelError,)


def profile_seeds() -> list[bytes]:
    """Every shipped profile file, as bytes."""
    return [p.read_bytes() for p in sorted(PROFILES.glob("*/*.toml"))]


def organisation_seeds() -> list[bytes]:
    """The first 200 organisations of the sample register, one JSON document each."""
    out = []
    lines = (ROOT / "examples" / "sample-register.jsonl").read_text("utf-8").splitlines()
    for line in lines[:200]:
        if line.strip():
            out.append(json.dumps(json.loads(line), sort_keys=True).encode())
    return out


def register_seeds() -> list[bytes]:
    """Small registers of the sample's first organisations in every format, each input
    prefixed by its format byte (see ``fuzz_register.FORMATS``)."""
    import csv
    import gzip
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from sse_model._io._flat import to_flat

    lines = (ROOT / "examples" / "sample-register.jsonl").read_text("utf-8").splitlines()
    orgs = [sse_model.from_json(line, sse_model.Organisation) for line in lines[:40]]
    rows = [to_flat(o) for o in orgs]
    names = sorted({k for r in rows for k in r})

    def delimited(sep: str) -> bytes:
        buf = io.StringIO()
        w = csv.DictWriter(buf, names, delimiter=sep, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue().encode()

    table = pa.table({n: [r.get(n) for r in rows] for n in names})
    parquet = io.BytesIO()
    pq.write_table(table, parquet)
    seeds = {
        0: delimited(","),
        1: delimited("\t"),
        2: gzip.compress(delimited(","), compresslevel=1),
        3: "".join(line + "\n" for line in lines[:40]).encode(),
        4: ("[" + ",".join(lines[:40]) + "]").encode(),
        5: parquet.getvalue(),
    }
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the fuzz group installs it
        pass
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(names)
        for r in rows:
            ws.append([r.get(n) for n in names])
        xlsx = io.BytesIO()
        wb.save(xlsx)
        seeds[6] = xlsx.getvalue()
    return [bytes([k]) + v for k, v in sorted(seeds.items())]


def write_corpus(directory: Path, seeds: list[bytes]) -> None:
    """Put the seeds in *directory* (libFuzzer reads and extends it)."""
    directory.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(seeds):
        (directory / f"seed-{i:03d}").write_bytes(seed)


def run(name: str, seeds: list[bytes], test_one_input: Callable[[bytes], None]) -> None:
    """Fuzz *test_one_input*, seeding ``corpus/<name>`` unless a corpus is given."""
    import atheris

    corpus = Path(__file__).resolve().parent / "corpus" / name
    if not any(a for a in sys.argv[1:] if not a.startswith("-")):
        write_corpus(corpus, seeds)
        sys.argv.append(str(corpus))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
