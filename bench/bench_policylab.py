"""Benchmark the policy lab: a 100-point sweep against one classification.

    python bench/bench_policylab.py [--rows 1000000] [--points 100]

On a CSV register from the seeded generator (bench/make_register.py), one core:

1. one classification of the register under vn/social-enterprise on the columnar
   path (``RegisterClassifier`` over the CSV in chunks, results kept in memory, as
   the lab keeps them);
2. a sweep of the reinvestment floor (``vn-se-reinvest-2020``) over ``--points``
   values from 0 to 100 %: one pass of the register classifier under three profiles
   (the comparison met, not met, as it stands), then per-value counts;
3. ``compare`` of the law in force with a draft floor of 40 %.

Before timing anything it asserts, on a slice of the register, that the sweep's counts
at a few values equal a classification under each value. Figures are seconds and the
sweep's cost in classifications; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

ON = date(2025, 6, 30)
VN = "vn/social-enterprise"
CRITERION = "vn-se-reinvest-2020"
VERDICTS = ("qualifies", "does_not_qualify", "undetermined")


def timed(fn: object) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()  # type: ignore[operator]
    return time.perf_counter() - t, out


def classify_once(path: Path) -> Counter[str]:
    from sse_model._io._batch import RegisterClassifier, stream_file

    counts: Counter[str] = Counter()
    tables = []
    for r in stream_file(RegisterClassifier(VN, on=ON), path):
        tables.append(r.table)
        counts.update(r.table.column("verdict").to_pylist())
    return counts


def check(path: Path) -> None:
    """The sweep equals classification at a few values, on the first rows."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    import sse_model

    with path.open(encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    options = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in header}, strings_can_be_null=True
    )
    table = pacsv.read_csv(path, convert_options=options).slice(0, 20_000)
    values = ["30 %", "51 %", "70 %"]
    s = sse_model.sweep(table, VN, CRITERION, values, on=ON)
    for point, v in zip(s.points, values, strict=True):
        draft = sse_model.Reform("vn/bench", VN, (sse_model.SetThreshold(CRITERION, v),)).apply()
        got = Counter(
            sse_model.classify_table(table, draft, on=ON).table.column("verdict").to_pylist()
        )
        expected = tuple(got.get(x, 0) for x in VERDICTS)
        assert (point.qualifies, point.does_not_qualify, point.undetermined) == expected, v


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--points", type=int, default=100)
    args = p.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import pyarrow as pa

    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    from make_register import write

    import sse_model

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        write(args.rows, path)
        check(path)
        one, counts = timed(lambda: classify_once(path))
        values = [f"{100 * k / (args.points - 1):.4f} %" for k in range(args.points)]
        swept, s = timed(lambda: sse_model.sweep(path, VN, CRITERION, values, on=ON))
        draft = sse_model.Reform("vn/draft-40", VN, (sse_model.SetThreshold(CRITERION, "40 %"),))
        compared, c = timed(lambda: sse_model.compare(path, VN, draft.apply(), on=ON))
    print(f"rows: {args.rows:,}; sweep points: {args.points}")
    print(f"one classification (columnar, in memory): {one:.1f} s  {dict(counts)}")
    print(f"sweep of {args.points} values:               {swept:.1f} s  = {swept / one:.2f}x one")
    print(f"   ({args.points} classifications would be about {args.points * one:.0f} s)")
    print(
        f"compare base and draft:                  {compared:.1f} s  = {compared / one:.2f}x one"
    )
    at = {f"{float(p.value) * 100:g} %": (p.qualifies, p.undetermined) for p in s.points[::20]}  # type: ignore[attr-defined]
    print(f"qualifying, undetermined at some values: {at}")
    print(f"transitions: {[t for t in c.transitions() if t['count']]}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
