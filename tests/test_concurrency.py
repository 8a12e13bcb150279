"""Determinism and concurrency: same inputs, same profile version, same bytes out.

Across runs, threads (one shared Classifier and the shared profile cache) and
processes (spawn); whatever the order of organisations or of keys in a file.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sse_model import Classifier, Organisation, from_json, to_json

ROOT = Path(__file__).resolve().parent.parent
ON = date(2024, 6, 30)
PROFILES = ("intl/ilo-2022", "vn/social-enterprise", "fr/esus", "kr/cooperative", "gb/cic")


@cache
def register_lines() -> tuple[str, ...]:
    """The first 120 lines of the sample register."""
    lines = (ROOT / "examples" / "sample-register.jsonl").read_text("utf-8").splitlines()
    return tuple(lines[:120])


def classify_lines(
    lines: tuple[str, ...] | list[str], classifier: Classifier | None = None
) -> str:
    """Classify each line under each profile; the results as one JSON text per line."""
    c = classifier or Classifier()
    out = []
    for line in lines:
        org = from_json(line, Organisation)
        for p in PROFILES:
            out.append(to_json(c.classify(org, p, on=ON)))
    return "\n".join(out)


def _digest(lines: tuple[str, ...]) -> str:
    """Run in a fresh (spawned) process: the digest of the JSON output."""
    return hashlib.sha256(classify_lines(lines).encode()).hexdigest()


def _digest_of_one(args: tuple[str, Classifier]) -> str:
    line, classifier = args
    return classify_lines([line], classifier)


class TestDeterminism:
    """Byte-identical JSON across runs, threads and processes."""

    def test_across_runs(self) -> None:
        """Two runs with fresh classifiers give the same bytes."""
        lines = register_lines()[:40]
        assert classify_lines(lines) == classify_lines(lines)

    def test_across_threads(self) -> None:
        """Sixteen threads sharing one Classifier (and the profile cache) give the bytes
        of a sequential run, for every organisation."""
        lines = register_lines()
        expected = [classify_lines([line]) for line in lines]
        shared = Classifier()
        with ThreadPoolExecutor(max_workers=16) as pool:
            got = list(pool.map(_digest_of_one, [(line, shared) for line in lines]))
        assert got == expected

    def test_across_processes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Spawned processes (fresh interpreters) give the bytes of this process."""
        # the children import this module by name: with `pytest` (not `python -m
        # pytest`) the project root is not on sys.path unless we put it there
        monkeypatch.syspath_prepend(str(Path(__file__).parent.parent))
        lines = register_lines()[:40]
        halves = (lines[:20], lines[20:])
        with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
            digests = list(pool.map(_digest, halves))
        assert digests == [_digest(h) for h in halves]

    def test_compiled_and_reference_agree_concurrently(self) -> None:
        """The reference evaluator, run in threads, gives the compiled evaluator's bytes."""
        lines = register_lines()[:30]
        reference = Classifier(evaluator="reference")
        with ThreadPoolExecutor(max_workers=8) as pool:
            got = list(pool.map(_digest_of_one, [(line, reference) for line in lines]))
        assert got == [classify_lines([line]) for line in lines]


def _shuffled_keys(value: Any, order: list[int]) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        keyed = sorted(range(len(items)), key=lambda i: order[i % len(order)] * 1000 + i)
        return {items[i][0]: _shuffled_keys(items[i][1], order) for i in keyed}
    if isinstance(value, list):
        return [_shuffled_keys(v, order) for v in value]
    return value


class TestOrderIndependence:
    """Verdicts do not depend on the order of organisations or of keys."""

    @settings(max_examples=25, deadline=None)
    @given(st.permutations(range(12)))
    def test_order_of_organisations(self, order: list[int]) -> None:
        """Law: classifying a permuted register gives the same result for each
        organisation as classifying it in file order."""
        lines = register_lines()[:12]
        c = Classifier()
        by_id = {}
        for line in [lines[i] for i in order]:
            org = from_json(line, Organisation)
            by_id[org.id] = [to_json(c.classify(org, p, on=ON)) for p in PROFILES]
        baseline = Classifier()
        for line in lines:
            org = from_json(line, Organisation)
            assert by_id[org.id] == [to_json(baseline.classify(org, p, on=ON)) for p in PROFILES]

    @settings(max_examples=40, deadline=None)
    @given(st.integers(0, 119), st.permutations(range(8)))
    def test_order_of_keys(self, index: int, order: list[int]) -> None:
        """Law: reordering the keys of a JSON document (at every level, finances
        included) changes neither the organisation nor its classification bytes."""
        line = register_lines()[index]
        shuffled = json.dumps(_shuffled_keys(json.loads(line), order))
        a, b = from_json(line, Organisation), from_json(shuffled, Organisation)
        assert a == b
        assert to_json(a) == to_json(b)
        assert classify_lines([line]) == classify_lines([shuffled])


_HAMMER = r"""
import sys, threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

barrier = threading.Barrier(32)

def first_use(i):
    barrier.wait()  # every thread hits the lazy caches at the same moment
    from sse_model import Classifier, from_json, load_profile, unit_registry, Organisation
    from sse_model._model._units import parse_ratio
    reg = unit_registry()
    profile = load_profile("intl/un-2023")
    org = from_json('{"id": "a", "name": "A", "country": "FR", "governance": '
                    '{"foreign_capital_share": "51 %"}}', Organisation)
    verdict = Classifier().classify(org, "intl/un-2023", on=date(2024, 1, 1)).verdict
    return id(reg), parse_ratio("5 permille"), profile.id, verdict.value

with ThreadPoolExecutor(32) as pool:
    results = list(pool.map(first_use, range(32)))
registries = {r[0] for r in results}
assert len(registries) == 1, f"{len(registries)} unit registries built"
assert len({r[1:] for r in results}) == 1, results
print("ok", len(results))
"""


class TestLazyInitialisation:
    """The unit registry, the converter and the profile caches are safe on first use."""

    def test_first_use_from_many_threads(self) -> None:
        """Thirty-two threads of a fresh interpreter race on every lazy cache: one unit
        registry is built and every thread gets the same answers."""
        for _ in range(3):
            done = subprocess.run(
                [sys.executable, "-c", _HAMMER],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            assert done.stdout.strip() == "ok 32"
