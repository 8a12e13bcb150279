"""Benchmark the contribution indicators over a large register.

    python bench/bench_indicators.py [ROWS] [--chunk-rows N]

Writes a seeded Parquet register of ROWS rows (default 1,000,000: the rows of
``make_register.py`` plus the facts of work, by sex, with the year's hours and
earnings, a part known about six times in ten)
to a temporary directory, then times ``sse_model.indicators`` over it under
intl/ilo-2022, by country: the register is classified chunk by chunk with every
cell checked, and each chunk reduced to sums per group. Prints CPU and wall
seconds and the peak resident memory. Nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))

from make_register import _known_forms, chunk


def _work(rng: np.random.Generator, n: int, paid: pa.ChunkedArray) -> dict[str, pa.Array]:
    """The facts of work of *n* rows: each part at most its whole, unknown at random."""
    import pyarrow.compute as pc

    given = pc.if_else(pc.equal(paid, ""), pa.scalar(None, pa.string()), paid)
    employees = pc.cast(given, pa.int64()).to_numpy(zero_copy_only=False)
    employees = np.where(np.isnan(employees), rng.integers(0, 200, n), employees).astype(np.int64)
    out: dict[str, np.ndarray] = {"work.employees": employees}
    for name, p in (
        ("work.women_employees", 0.5),
        ("work.insured_employees", 0.6),
        ("work.annual_leave_employees", 0.6),
        ("work.sick_leave_employees", 0.5),
        ("work.temporary_employees", 0.3),
        ("work.long_hours_employees", 0.15),
        ("work.below_minimum_wage_employees", 0.08),
        ("work.green_jobs", 0.1),
    ):
        out[name] = rng.binomial(employees, p)
    out["work.nonfatal_injuries"] = rng.poisson(employees * 0.02)
    women = out["work.women_employees"]
    share = np.divide(women, employees, out=np.zeros(n), where=employees > 0)
    for name in ("insured", "temporary", "annual_leave", "sick_leave", "long_hours"):
        part = out[f"work.{name}_employees"]
        out[f"work.women_{name}_employees"] = np.minimum(rng.binomial(part, share), women)
    # the year's hours and gross earnings, by sex (amounts in the row's currency)
    hours = {"women": women * rng.integers(1_600, 2_300, n)}
    hours["men"] = (employees - women) * rng.integers(1_600, 2_300, n)
    wage = rng.integers(50, 50_000, n)
    pay = {"women": hours["women"] * wage * 9 // 10, "men": hours["men"] * wage}
    for sex in ("women", "men"):
        out[f"work.{sex}_paid_hours"] = hours[sex]
        out[f"work.{sex}_earnings"] = pay[sex]
    out["work.paid_hours"] = hours["women"] + hours["men"]
    out["work.earnings"] = pay["women"] + pay["men"]
    cols: dict[str, pa.Array] = {}
    for name, values in out.items():
        text = np.char.mod("%d", values).astype(object)
        text[rng.random(n) < 0.4] = None
        cols[name] = pa.array(text, type=pa.string())
    sector = rng.choice(np.array(["formal", "informal", None], dtype=object), n, p=[0.6, 0.2, 0.2])
    cols["work.sector"] = pa.array(sector, type=pa.string())
    return cols


def write(rows: int, path: Path, seed: int = 1, chunk_rows: int = 200_000) -> None:
    rng = np.random.default_rng(seed)
    forms = _known_forms()
    writer = None
    done = 0
    while done < rows:
        n = min(chunk_rows, rows - done)
        table = chunk(rng, done, n, forms)
        for name, col in _work(rng, n, table.column("workforce.paid_workers")).items():
            table = table.append_column(name, col)
        if writer is None:
            writer = pq.ParquetWriter(str(path), table.schema)
        writer.write_table(table)
        done += n
    if writer is not None:
        writer.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("rows", type=int, nargs="?", default=1_000_000)
    p.add_argument("--chunk-rows", type=int, default=1 << 17)
    args = p.parse_args()
    import sse_model

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.parquet"
        t = time.perf_counter()
        write(args.rows, path)
        print(f"wrote {args.rows:,} rows in {time.perf_counter() - t:.1f} s")
        cpu, wall = time.process_time(), time.perf_counter()
        table = sse_model.indicators(
            path, "intl/ilo-2022", by=["country"], chunk_rows=args.chunk_rows
        )
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(table.summary)
        print(
            f"indicators: {table.table.num_rows} rows in {wall:.1f} s wall, {cpu:.1f} s CPU "
            f"({args.rows / wall:,.0f} organisations a second); peak RSS {peak:,.0f} MiB"
        )


if __name__ == "__main__":
    main()
