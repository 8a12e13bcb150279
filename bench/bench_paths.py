"""Benchmark the paths users run one object at a time, side by side in one process.

    python bench/bench_paths.py [N]
    python bench/bench_paths.py --formats [ROWS]   # every input format, side by side

- ``classify`` as it builds a result now (the verdict at once, the explanation when
  first read) against the eager builder it replaced (``finish`` and ``attach_basis``,
  kept as the reference definition of an explanation), for one profile and for the
  README's five: reading only the verdict, reading the explanation, and writing JSON;
- ``classify_under_all`` with its shared default classifier against a new classifier
  per call (what it did before: every profile resolved and compiled again);
- cold start, in fresh processes: ``import sse_model``, then the first
  classification of one organisation under intl/ilo-2022;
- the README's main job end to end (``sse-model classify`` of the 3,000-row sample
  register under five profiles), with the start-up of the CLI measured apart.

Times are CPU seconds of this process (or of the child processes), best of a few runs:
the machine is shared, and ratios measured side by side are the reliable figures.
Before timing, every result is checked equal (and its JSON identical) to the eager
builder's. Nothing here is a timed test.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).parent))

import bench_engine

import sse_model
from sse_model import Classification, Classifier, Organisation
from sse_model._engine._evaluate import Raw, explanation_plan, finish, pick_fiscal_year
from sse_model._engine._presume import agreed, attach_basis

ROOT = Path(__file__).parent.parent
ON = date(2025, 6, 30)
README = [
    "intl/ilo-2022",
    "vn/social-enterprise",
    "th/social-enterprise",
    "kr/social-enterprise",
    "vn/cooperative",
]


def eager(c: Classifier, org: Organisation, profile: str, on: date) -> Classification:
    """A classification built whole, as ``classify`` built it before explanations were
    deferred (the same steps: evaluate, presume, evaluate again, explain)."""
    entry = c._entry(profile, on)
    fy, year = pick_fiscal_year(org, on, None)
    raw = c._raw(entry, org, fy, on, year)
    static = _STATIC.get(id(entry.plan))
    if static is None:
        static = _STATIC[id(entry.plan)] = explanation_plan(entry.plan)
    found = c.presume(org, on)
    if not found.applied:
        return attach_basis(
            finish(entry.plan, org, fy, year, raw, static), static, raw, None, found
        )
    p_org = found.organisation
    pfy, pyear = pick_fiscal_year(p_org, on, None)
    presumed = c._raw(entry, p_org, pfy, on, pyear)
    if found.alternatives:
        others = [c._raw(entry, alt, pfy, on, pyear) for alt in found.alternatives]
        combined = agreed(presumed, others)
        if combined is not presumed:
            values = tuple(
                raw.values[i] if code != presumed.outcomes[i] else presumed.values[i]
                for i, code in enumerate(combined.outcomes)
            )
            presumed = Raw(combined.verdict, combined.outcomes, values)
            p_org = attrs.evolve(
                p_org, statutes=attrs.evolve(p_org.statutes, profit_rule=org.statutes.profit_rule)
            )
    result = finish(entry.plan, p_org, pfy, year, presumed, static)
    return attach_basis(result, static, raw, presumed, found)


_STATIC: dict[int, Any] = {}


def cpu(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best CPU time of *repeat* runs."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def per_object(n: int) -> list[tuple[str, float, float]]:
    """(label, old orgs/s, new orgs/s) for classify and classify_under_all."""
    orgs = bench_engine.organisations(n)
    c = Classifier()
    rows = []
    for label, profiles in (
        (bench_engine.PROFILE, [bench_engine.PROFILE]),
        ("README's 5 profiles", README),
    ):
        for o in orgs[:500]:  # the same results, and compile outside the timing
            for p in profiles:
                new, old = c.classify(o, p, on=ON), eager(c, o, p, ON)
                assert new == old, (o.id, p)
                assert sse_model.to_json(new) == sse_model.to_json(old), (o.id, p)

        def run(
            build: Callable[[Organisation, str], Classification],
            use: Callable[[Classification], object],
            items: list[Organisation],
            profiles: list[str] = profiles,
        ) -> Callable[[], None]:
            def go() -> None:
                for o in items:
                    for p in profiles:
                        use(build(o, p))

            return go

        def deferred(o: Organisation, p: str) -> Classification:
            return c.classify(o, p, on=ON)

        def whole(o: Organisation, p: str) -> Classification:
            return eager(c, o, p, ON)

        part = orgs[: max(1, n // 4)]
        for what, use, items in (
            ("verdict", lambda r: r.verdict, orgs),
            ("explanation read", lambda r: r.criteria, part),
            ("JSON written", sse_model.to_json, part),
        ):
            t_old = cpu(run(whole, use, items))
            t_new = cpu(run(deferred, use, items))
            rows.append((f"classify, {label}, {what}", len(items) / t_old, len(items) / t_new))
    few = orgs[: max(1, n // 200)]

    def fresh() -> None:
        for o in few:
            sse_model.classify_under_all(o, on=ON, classifier=Classifier())

    def shared() -> None:
        for o in few:
            sse_model.classify_under_all(o, on=ON)

    shared()  # compile the shared classifier's profiles once, outside the timing
    t_old, t_new = cpu(fresh, 1), cpu(shared)
    rows.append(("classify_under_all (all profiles)", len(few) / t_old, len(few) / t_new))
    return rows


COLD = """
import time
t0 = time.process_time()
import sse_model
t1 = time.process_time()
from datetime import date
org = sse_model.structure(
    {"id": "x", "name": "X", "country": "KH", "legal_form": "kh/association",
     "purpose": {"social": True}},
    sse_model.Organisation,
)
sse_model.classify(org, "intl/ilo-2022", on=date(2025, 6, 30)).verdict
t2 = time.process_time()
import sys
print(t1 - t0, t2 - t1, "pint" in sys.modules)
"""


def _env() -> dict[str, str]:
    """The child processes' environment: this checkout's package, with compiled bytecode
    kept (in a folder of its own) as an installed package has it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "sse-model-bench-pycache")
    return env


def cold(repeat: int = 5) -> tuple[float, float, bool]:
    """Best CPU seconds of ``import sse_model`` and of the first classification after
    it, in fresh processes; and whether pint was loaded."""
    best_import = best_first = float("inf")
    pint = False
    subprocess.run([sys.executable, "-c", COLD], capture_output=True, check=True, env=_env())
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", COLD], capture_output=True, text=True, check=True, env=_env()
        ).stdout.split()
        best_import = min(best_import, float(out[0]))
        best_first = min(best_first, float(out[1]))
        pint = pint or out[2] == "True"
    return best_import, best_first, pint


def _child_cpu(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, capture_output=True, check=True, env=_env())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def readme_job(repeat: int = 3) -> tuple[float, float]:
    """Best CPU seconds of the README's main job, and of the CLI's start-up alone."""
    cmd = [sys.executable, "-m", "sse_model._cli", "classify"]
    cmd += [str(ROOT / "examples" / "sample-register.jsonl"), "--on", ON.isoformat(), "--quiet"]
    for p in README:
        cmd += ["--profile", p]
    _child_cpu(cmd)  # bytecode written, files in the page cache
    job = min(_child_cpu(cmd) for _ in range(repeat))
    start = min(_child_cpu([*cmd[:3], "--help"]) for _ in range(repeat))
    return job, start


THREE = ["vn/social-enterprise", "th/social-enterprise", "kr/social-enterprise"]


def formats(rows: int = 30_000) -> list[tuple[str, float]]:
    """(format, rows/s) for the same generated rows in every format, classified under
    three profiles, side by side in this process (CPU seconds, best of two): files to
    Parquet through ``classify_file``, data frames through ``classify_table``."""
    import pandas as pd
    import polars as pl
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from bench_register import write_formats

    out: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_formats(rows, Path(tmp))
        result = Path(tmp) / "out.parquet"
        warm = pa.table({"id": ["x"], "name": ["X"], "country": ["VN"]})
        sse_model.classify_table(warm, THREE, on=ON)  # profiles compiled outside the timing
        header = paths["csv"].read_text(encoding="utf-8").split("\n", 1)[0].replace('"', "")
        text = pacsv.read_csv(
            paths["csv"],
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header.split(",")}
            ),
        )
        frames = {
            "pandas DataFrame (read_csv's own dtypes)": pd.read_csv(paths["csv"]),
            "polars DataFrame (read_csv's own dtypes)": pl.read_csv(paths["csv"]),
            "Arrow table of text": text,
        }
        for fmt, path in paths.items():
            n = path.open("rb").read().count(b"\n") if fmt == "jsonl nested" else rows

            def run(path: Path = path) -> None:
                sse_model.classify_file(path, THREE, output=result, on=ON)

            out.append((f"classify_file {fmt}", n / cpu(run, 2)))
        for label, frame in frames.items():

            def table(frame: Any = frame) -> None:
                sse_model.classify_table(frame, THREE, on=ON)

            out.append((f"classify_table {label}", rows / cpu(table, 2)))
    return out


def main() -> None:
    if sys.argv[1:2] == ["--formats"]:
        rows = int(sys.argv[2]) if len(sys.argv) > 2 else 30_000
        print(f"load average {os.getloadavg()[0]:.1f}; {rows} rows; three profiles")
        results = formats(rows)
        base = results[0][1]
        for label, rate in results:
            print(f"{label:<58}{rate:>12,.0f} rows/s {base / rate:>6.2f}x CSV's time")
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4_000
    print(f"load average {os.getloadavg()[0]:.1f}; {n} organisations; CPU seconds, best of 3")
    print(f"{'path':<58}{'before/s':>12}{'now/s':>12}{'ratio':>8}")
    for label, before, now in per_object(n):
        print(f"{label:<58}{before:>12,.0f}{now:>12,.0f}{now / before:>7.1f}x")
    imp, first, pint = cold()
    print(
        f"cold start: import sse_model {imp * 1000:.0f} ms; then the first classification "
        f"(structure one organisation, classify it) {first * 1000:.0f} ms; pint loaded: {pint}"
    )
    job, start = readme_job()
    print(
        f"README main job (3,000 organisations, 5 profiles): {job:.2f} s CPU, of which "
        f"start-up {start:.2f} s: {job - start:.2f} s of work"
    )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
