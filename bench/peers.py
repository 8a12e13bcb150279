"""The rule an analyst would write by hand, in pandas and polars, beside the library.

    python bench/peers.py 1000000 [--dir DIR] [--repeat 2]

The rule is ``vn/social-enterprise`` on 2025-06-30 (the LoE 2020 version, which
judges the fiscal years a register of 2023 and 2024 accounts holds): in scope
(country VN), an enterprise form (JSC, LLC, partnership, private enterprise), a
social **or** environmental objective (three-valued), reinvested / after-tax profit
at least 51 % (unknown when a figure or the year is missing, or the profit is not
positive) and a registered commitment (three-valued); the verdict is the least of the
outcome codes (0 does not qualify, 1 undetermined, 2 qualifies). Where the reinvested
profit is unknown, the model's rule that a year's allocations (reinvested, dividends...)
add up to at most the profit after tax still decides it when the dividends alone leave
less than 51 % to reinvest (the library's interval bounds; since 2026-12-01).

The peers are pandas (both CSV readers), polars (eager and lazy) and OpenFisca (a
tax-benefit system of the rule, ``openfisca_system``; "not installable" in the report
when openfisca-core does not import). Every peer reads the same CSV and writes its
verdicts and outcome codes to Parquet with one thread, and its verdicts are checked
against the library's on every row.
The floor is pyarrow reading the CSV (all columns as text) and writing the
library's output. Times are CPU seconds (``time.process_time``) in one process, best
of ``--repeat``: the machine is shared, so the ratios are the figures to read.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("ARROW_NUM_THREADS", "1")
os.environ.setdefault("POLARS_MAX_THREADS", "1")
os.environ.setdefault("NUMEXPR_NUM_THREADS", "1")  # OpenFisca's

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

ON = date(2025, 6, 30)
RULE = "vn/social-enterprise"
THREE = ["vn/social-enterprise", "th/social-enterprise", "kr/social-enterprise"]
FORMS = ["vn/jsc", "vn/llc", "vn/partnership", "vn/private-enterprise"]
#: the last fiscal year ended on ON (the rows' year must be at most this)
LAST_YEAR = 2024
CODES = {"does_not_qualify": 0, "undetermined": 1, "qualifies": 2}


def make_peer_data(rows: int, path: Path) -> None:
    """The benchmark register plus ``purpose.environmental`` and
    ``purpose.commitment_registered`` (seeded), so that all three verdicts occur."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from make_register import write

    plain = path.with_suffix(".plain.csv")
    write(rows, plain)
    header = plain.read_text(encoding="utf-8").split("\n", 1)[0].replace('"', "").split(",")
    table = pacsv.read_csv(
        plain,
        read_options=pacsv.ReadOptions(use_threads=False),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in header}, strings_can_be_null=False
        ),
    )
    plain.unlink()
    rng = np.random.default_rng(11)
    for name, p_true in (("purpose.environmental", 0.3), ("purpose.commitment_registered", 0.8)):
        draw = rng.random(rows)
        cells = np.where(draw < 0.1, "", np.where(draw < 0.1 + 0.9 * p_true, "true", "false"))
        table = table.append_column(name, pa.array(cells, pa.string()))
    pacsv.write_csv(table, path)


# --- the peers -----------------------------------------------------------------------


def pandas_rule(path: Path, out: Path, engine: str = "c") -> Any:
    """pandas: read_csv (inferred types), the rule in numpy, to_parquet."""
    import numpy as np
    import pandas as pd

    kw: dict[str, Any] = {"engine": engine}
    if engine == "pyarrow":
        kw["dtype_backend"] = "numpy_nullable"
    df = pd.read_csv(path, **kw)

    def truth(name: str) -> Any:
        col = df[name]  # booleans, or text where pandas left them so
        yes = col.isin([True, "true"]).to_numpy(dtype=bool)
        return np.where(col.isna().to_numpy(dtype=bool), 1, np.where(yes, 2, 0))

    scope = np.where(df["country"] == "VN", 2, 0)
    form = df["legal_form"]
    enterprise = np.where(form.isna(), 1, np.where(form.isin(FORMS), 2, 0))
    objective = np.maximum(truth("purpose.social"), truth("purpose.environmental"))
    year = df["fiscal_year"].to_numpy(dtype=float, na_value=np.nan)
    reinvested = df["finances.reinvested"].to_numpy(dtype=float, na_value=np.nan)
    profit = df["finances.profit_after_tax"].to_numpy(dtype=float, na_value=np.nan)
    dividends = df["finances.dividends"].to_numpy(dtype=float, na_value=np.nan)
    has_year = ~np.isnan(year) & (year <= LAST_YEAR)
    positive = has_year & ~np.isnan(profit) & (profit > 0)
    known = positive & ~np.isnan(reinvested)
    with np.errstate(invalid="ignore"):
        met = reinvested * 100 >= 51 * profit
        # reinvested <= profit - dividends (the allocations add up to at most the profit)
        short = positive & np.isnan(reinvested) & ((profit - dividends) * 100 < 51 * profit)
    reinvest = np.where(known, np.where(met, 2, 0), np.where(short, 0, 1))
    commitment = truth("purpose.commitment_registered")
    verdict = np.minimum.reduce([scope, enterprise, objective, reinvest, commitment])
    result = pd.DataFrame(
        {
            "organisation_id": df["id"],
            "verdict": verdict.astype(np.int8),
            "scope": scope.astype(np.int8),
            "enterprise": enterprise.astype(np.int8),
            "objective": objective.astype(np.int8),
            "reinvest": reinvest.astype(np.int8),
            "commitment": commitment.astype(np.int8),
        }
    )
    result.to_parquet(out, index=False)
    return verdict


def _polars_rule(frame: Any) -> Any:
    import polars as pl

    def truth(name: str) -> Any:
        col = pl.col(name)
        return pl.when(col.is_null()).then(1).when(col).then(2).otherwise(0)

    year = pl.col("fiscal_year")
    reinvested, profit = pl.col("finances.reinvested"), pl.col("finances.profit_after_tax")
    dividends = pl.col("finances.dividends")
    positive = year.is_not_null() & (year <= LAST_YEAR) & profit.is_not_null() & (profit > 0)
    known = positive & reinvested.is_not_null()
    # reinvested <= profit - dividends (the allocations add up to at most the profit)
    short = positive & reinvested.is_null() & ((profit - dividends) * 100 < profit * 51)
    outcomes = {
        "scope": pl.when(pl.col("country") == "VN").then(2).otherwise(0),
        "enterprise": pl.when(pl.col("legal_form").is_null())
        .then(1)
        .when(pl.col("legal_form").is_in(FORMS))
        .then(2)
        .otherwise(0),
        "objective": pl.max_horizontal(truth("purpose.social"), truth("purpose.environmental")),
        "reinvest": pl.when(known)
        .then(pl.when(reinvested * 100 >= profit * 51).then(2).otherwise(0))
        .when(short.fill_null(False))
        .then(0)
        .otherwise(1),
        "commitment": truth("purpose.commitment_registered"),
    }
    return frame.select(
        pl.col("id").alias("organisation_id"),
        pl.min_horizontal(*outcomes.values()).cast(pl.Int8).alias("verdict"),
        *(e.cast(pl.Int8).alias(k) for k, e in outcomes.items()),
    )


def _polars_types() -> dict[str, Any]:
    """The types of the columns the rule reads (quoted cells are read as text else)."""
    import polars as pl

    names = ["purpose.social", "purpose.environmental", "purpose.commitment_registered"]
    return {
        "fiscal_year": pl.Int64,
        "finances.reinvested": pl.Int64,
        "finances.profit_after_tax": pl.Int64,
        "finances.dividends": pl.Int64,
        **dict.fromkeys(names, pl.Boolean),
    }


def polars_eager(path: Path, out: Path) -> Any:
    """polars: read_csv, expressions, write_parquet."""
    import polars as pl

    result = _polars_rule(pl.read_csv(path, schema_overrides=_polars_types()))
    result.write_parquet(out)
    return result["verdict"].to_numpy()


def polars_lazy(path: Path, out: Path) -> Any:
    """polars: scan_csv, expressions, sink_parquet (streaming)."""
    import polars as pl

    _polars_rule(pl.scan_csv(path, schema_overrides=_polars_types())).sink_parquet(out)
    return pl.read_parquet(out, columns=["verdict"])["verdict"].to_numpy()


AMOUNTS = ["finances.profit_after_tax", "finances.reinvested", "finances.dividends"]
TRUTHS = ["purpose.social", "purpose.environmental", "purpose.commitment_registered"]
OUTCOMES = ["scope", "enterprise", "objective", "reinvest", "commitment"]


def openfisca_system() -> Any:
    """The rule as an OpenFisca tax-benefit system of one entity, ``organisation``.

    The facts are input variables of ETERNITY (OpenFisca has no missing value: a
    three-valued fact is an Enum ``Truth`` whose indices are the outcome codes, a
    missing text is "", a missing amount NaN); the outcome codes and the verdict are
    formulas of DAY, calculated for the date of the rule (a formula of ETERNITY cannot
    be calculated: its instant has no date). Amounts are float64 (OpenFisca's float is
    float32, which cannot hold the amounts of the register exactly)."""
    import numpy as np
    from openfisca_core.entities import build_entity
    from openfisca_core.indexed_enums import Enum
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    organisation = build_entity(
        "organisation", "organisations", "A register's row", is_person=True
    )
    system = TaxBenefitSystem([organisation])

    class Truth(Enum):
        false = "false"  # index 0: not met
        unknown = "unknown"  # 1: undetermined
        true = "true"  # 2: met

    class Money(Variable):
        value_type = float

        def __init__(self, baseline_variable: Any = None) -> None:
            super().__init__(baseline_variable)
            self.dtype = np.float64

    def add(name: str, kind: Any, formula: Any = None, base: type = Variable, **kw: Any) -> None:
        kw |= {"value_type": kind, "entity": organisation}
        if formula is None:  # a fact
            kw["definition_period"] = DateUnit.ETERNITY
        else:
            kw |= {"definition_period": DateUnit.DAY, "formula": formula}
        system.add_variable(type(name, (base,), kw))

    def code(truth: Any) -> Any:
        return np.where(truth == Truth.true, 2, np.where(truth == Truth.unknown, 1, 0))

    def enterprise(o: Any, period: Any) -> Any:
        form = o("legal_form", period)
        return np.where(form == "", 1, np.where(np.isin(form, FORMS), 2, 0))

    def reinvest(o: Any, period: Any) -> Any:
        year, profit = o("fiscal_year", period), o("profit_after_tax", period)
        reinvested, dividends = o("reinvested", period), o("dividends", period)
        positive = (year > 0) & (year <= LAST_YEAR) & (profit > 0)  # NaN > 0 is False
        known = positive & ~np.isnan(reinvested)
        # reinvested <= profit - dividends (the allocations add up to at most the profit)
        short = positive & np.isnan(reinvested) & ((profit - dividends) * 100 < 51 * profit)
        return np.where(
            known, np.where(reinvested * 100 >= 51 * profit, 2, 0), np.where(short, 0, 1)
        )

    for name in ("country", "legal_form"):
        add(name, str)
    add("fiscal_year", int)  # 0: unknown
    for name in ("profit_after_tax", "reinvested", "dividends"):
        add(name, float, base=Money)
    for name in ("social", "environmental", "commitment_registered"):
        add(name, Enum, possible_values=Truth, default_value=Truth.unknown)
    add("scope", int, lambda o, p: np.where(o("country", p) == "VN", 2, 0))
    add(
        "objective",
        int,
        lambda o, p: np.maximum(code(o("social", p)), code(o("environmental", p))),
    )
    add("enterprise", int, enterprise)
    add("reinvest", int, reinvest)
    add("commitment", int, lambda o, p: code(o("commitment_registered", p)))
    add("verdict", int, lambda o, p: np.minimum.reduce([o(k, p) for k in OUTCOMES]))
    return system


def openfisca_rule(path: Path, out: Path, system: Any) -> Any:
    """OpenFisca: pyarrow reads the CSV (the columns of the rule), a simulation of one
    organisation a row gets them as inputs, calculates the verdict, pyarrow writes it."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    from openfisca_core.simulations import SimulationBuilder

    types = {
        **dict.fromkeys(["id", "country", "legal_form"], pa.string()),
        "fiscal_year": pa.int32(),
        **dict.fromkeys(AMOUNTS, pa.float64()),
        **dict.fromkeys(TRUTHS, pa.bool_()),
    }
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=False),
        convert_options=pacsv.ConvertOptions(
            column_types=types, include_columns=list(types), strings_can_be_null=False
        ),
    )
    simulation = SimulationBuilder().build_default_simulation(system, count=table.num_rows)
    for column in list(types)[1:]:
        cells = table[column]
        if pa.types.is_boolean(cells.type):  # the indices of Truth: false, unknown, true
            cells = pc.fill_null(pc.if_else(cells, 2, 0), 1)
        elif pa.types.is_integer(cells.type):
            cells = cells.fill_null(0)
        name = column.rsplit(".", 1)[-1]  # the variable: finances.dividends is dividends
        simulation.set_input(name, "eternity", cells.to_numpy())  # amounts: null is NaN
    day = ON.isoformat()
    verdict = simulation.calculate("verdict", day)
    outcomes = {k: pa.array(simulation.calculate(k, day).astype(np.int8)) for k in OUTCOMES}
    pq.write_table(
        pa.table(
            {
                "organisation_id": table["id"],
                "verdict": pa.array(verdict.astype(np.int8)),
                **outcomes,
            }
        ),
        out,
    )
    return verdict


def floor(path: Path, out: Path, like: Path) -> None:
    """pyarrow: read the CSV (all text, one thread) and write *like* (the library's
    output) again with the library's writer options."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    header = path.open(encoding="utf-8").readline().strip().replace('"', "").split(",")
    pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=False),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in header}, strings_can_be_null=False
        ),
    )
    table = pq.read_table(like)
    coded = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
    pq.write_table(table, out, use_dictionary=coded, write_statistics=False)


def library(path: Path, out: Path, profiles: list[str], validate: str = "needed") -> Any:
    import sse_model

    checks = {} if validate == "needed" else {"validate": validate}  # older versions too
    return sse_model.classify_file(path, profiles, output=out, on=ON, **checks)


def library_verdicts(out: Path) -> Any:
    import numpy as np
    import pyarrow.parquet as pq

    table = pq.read_table(out, columns=["profile_id", "verdict"]).to_pydict()
    return np.array(
        [
            CODES[v]
            for p, v in zip(table["profile_id"], table["verdict"], strict=True)
            if p == RULE
        ],
        dtype=np.int8,
    )


def cpu(fn: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def run(rows: int, directory: Path | None, repeat: int) -> dict[str, Any]:
    import numpy as np

    import sse_model

    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        d = Path(tmp)
        path = d / "peer.csv"
        make_peer_data(rows, path)
        # warm up: profiles, the unit registry, imports of every peer
        sse_model.classify_table(
            __import__("pyarrow").table({"id": ["x"], "name": ["X"], "country": ["VN"]}),
            THREE,
            on=ON,
        )
        import pandas  # noqa: F401
        import polars  # noqa: F401

        lib1, lib3 = d / "lib1.parquet", d / "lib3.parquet"
        report: dict[str, Any] = {"rows": rows, "load_before": os.getloadavg()[0]}
        times = {
            "library, 1 profile": cpu(lambda: library(path, lib1, [RULE]), repeat),
            "library, 3 profiles": cpu(lambda: library(path, lib3, THREE), repeat),
            **(
                {
                    "library, 3 profiles, validate=all": cpu(
                        lambda: library(path, d / "liball.parquet", THREE, "all"), repeat
                    )
                }
                if "validate" in inspect.signature(sse_model.classify_file).parameters
                else {}
            ),
            "pyarrow floor (read + write, 3 profiles' output)": cpu(
                lambda: floor(path, d / "floor.parquet", lib3), repeat
            ),
        }
        expected = library_verdicts(lib1)
        assert np.array_equal(expected, library_verdicts(lib3))
        report["verdict_counts"] = np.bincount(expected, minlength=3).tolist()
        mismatches: dict[str, int] = {}
        peers = {
            "pandas read_csv (C) + numpy + to_parquet": lambda: pandas_rule(
                path, d / "pd.parquet"
            ),
            "pandas read_csv (pyarrow) + numpy + to_parquet": lambda: pandas_rule(
                path, d / "pd2.parquet", "pyarrow"
            ),
            "polars eager": lambda: polars_eager(path, d / "pl.parquet"),
            "polars lazy (scan_csv + sink_parquet)": lambda: polars_lazy(path, d / "pll.parquet"),
        }
        try:
            system = openfisca_system()  # built once, outside the timing
        except ImportError as e:
            report["openfisca"] = f"not installable: {e}"
        else:
            name = "OpenFisca (pyarrow read_csv of the rule's columns + simulation + parquet)"
            peers[name] = lambda: openfisca_rule(path, d / "of.parquet", system)
        for name, fn in peers.items():
            verdicts = fn()
            mismatches[name] = int((np.asarray(verdicts, dtype=np.int8) != expected).sum())
            times[name] = cpu(fn, repeat)
        try:
            import rule_engine  # noqa: F401
        except ImportError:
            report["rule-engine"] = "not installed"
        report["cpu_seconds"] = {k: round(v, 3) for k, v in times.items()}
        base = times["library, 3 profiles"]
        report["library 3 profiles / floor"] = round(
            base / times["pyarrow floor (read + write, 3 profiles' output)"], 2
        )
        one = times["library, 1 profile"]
        report["library 1 profile / peer"] = {k: round(one / times[k], 2) for k in peers}
        report["mismatches"] = mismatches
        report["load_after"] = os.getloadavg()[0]
    assert not any(mismatches.values()), mismatches
    return report


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("rows", type=int, nargs="?", default=1_000_000)
    p.add_argument("--dir", type=Path, default=None)
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args()
    print(json.dumps(run(args.rows, args.dir, args.repeat), indent=2))


if __name__ == "__main__":
    main()
