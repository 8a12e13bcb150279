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
