"""Benchmark register classification: columnar vs per-object, end to end, memory.

    python bench/bench_register.py [--rows 1000000] [--big 10000000] [--objects 50000]

In one run, on registers from the seeded generator (bench/make_register.py):

1. verdict throughput on the same organisations and rules (vn/social-enterprise):
   the columnar evaluation (fact columns -> verdicts and outcomes) and the whole
   columnar path (flat text table -> validated facts -> outcomes, missing facts
   and the output table), against the per-object path from the same text (one
   validated Organisation per row, then the compiled evaluator), the hand-written
   per-object function of bench_engine.py (the per-object limit; it is given
   ready-built objects, so it is flattered) and the per-object compiled engine;
2. end to end: CSV -> classification under three profiles -> Parquet, for
   ``--rows`` rows, one core (pyarrow threads off), with its peak memory;
3. peak memory streaming ``--big`` rows (0 to skip), to show it stays flat;
4. the same ``--formats`` rows as CSV, JSON Lines (flat and nested records), JSON and
   Excel through the command line and ``classify_file``: rows/s, and CSV's rate over
   each format's (``--only-formats`` runs only this part).

Each end-to-end run is a fresh subprocess, so its peak RSS is its own.
Figures are throughputs, ratios and megabytes; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

ON = date(2025, 6, 30)
THREE = ["vn/social-enterprise", "th/social-enterprise", "kr/social-enterprise"]


def best_of(fn: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def throughput(objects: int) -> dict[str, float]:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from bench_engine import handwritten
    from make_register import write

    import sse_model
    from sse_model._io._flat import RejectedRow, Row, rows_to_organisations

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        write(objects, path, seed=3)
        header = path.read_text(encoding="utf-8").split("\n", 1)[0].replace('"', "").split(",")
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header}, strings_can_be_null=False
            ),
        )
    rows = table.to_pylist()
    orgs = []
    for n, cells in enumerate(rows, 1):
        (org,) = rows_to_organisations([Row(n, cells)])
        if not isinstance(org, RejectedRow):
            orgs.append(org)
    vn = [o for o in orgs if o.country == "VN"]
    vn_table = table.filter(pa.compute.equal(table.column("country"), "VN"))
    # unique_ids off: the same table is classified several times below
    rc = sse_model.RegisterClassifier("vn/social-enterprise", on=ON, unique_ids=False)
    fast = sse_model.Classifier().evaluator("vn/social-enterprise", ON)
    # agreement first: speed means nothing otherwise
    result = rc.classify_table(vn_table)
    verdicts = result.table.column("verdict").to_pylist()
    codes = {"does_not_qualify": 0, "undetermined": 1, "qualifies": 2}
    assert [codes[v] for v in verdicts] == [fast(o)[0] for o in vn]
    assert [codes[v] for v in verdicts] == [handwritten(o)[0] for o in vn]
    n = len(vn)
    from sse_model._io._columns import frame_from_table

    frame = frame_from_table(vn_table, rc.facts, rc.certs, on=ON).frame
    (cp,) = rc.compiled
    t_eval = best_of(lambda: cp(frame, missing=False), repeat=30)  # a few ms: best of many
    t_col = best_of(lambda: rc.classify_table(vn_table))
    t_hand = best_of(lambda: [handwritten(o) for o in vn])
    t_comp = best_of(lambda: [fast(o) for o in vn])
    vn_rows = [r for r in rows if r.get("country") == "VN"]

    def per_object_from_text() -> None:
        for n, cells in enumerate(vn_rows, 1):
            for org in rows_to_organisations([Row(n, cells)]):
                if not isinstance(org, RejectedRow):
                    fast(org)

    t_text = best_of(per_object_from_text, repeat=1)
    return {
        "organisations": n,
        "columnar_evaluation_per_s": n / t_eval,
        "columnar_per_s": n / t_col,
        "handwritten_per_s": n / t_hand,
        "compiled_per_s": n / t_comp,
        "per_object_from_text_per_s": n / t_text,
        "columnar_vs_per_object_from_text": t_text / t_col,
        "columnar_evaluation_vs_handwritten": t_hand / t_eval,
        "columnar_vs_handwritten": t_hand / t_col,
        "columnar_vs_compiled": t_comp / t_col,
    }


def end_to_end(
    csv_path: Path,
    out: Path,
    profiles: list[str] | None = None,
    *,
    validate: str = "needed",
    write: bool = True,
    unique_ids: bool = True,
) -> dict[str, float]:
    """Run classify_file (or, without *write*, only classify the stream) in a fresh
    process; return wall and CPU seconds and peak RSS (MB)."""
    profiles = THREE if profiles is None else profiles
    on = f"datetime.date({ON.year}, {ON.month}, {ON.day})"
    # (the default left out, so that the same run measures versions before the option)
    checks = "" if validate == "needed" else f", validate={validate!r}"
    if write:
        call = (
            f"s = sse_model.classify_file({str(csv_path)!r}, {profiles!r}, "
            f"output={str(out)!r}, on={on}, errors={str(out) + '.errors'!r}, "
            f"unique_ids={unique_ids!r}{checks})\n"
        )
    else:
        call = (
            "from sse_model._io._batch import RegisterClassifier, RegisterSummary, stream_file\n"
            f"rc = RegisterClassifier({profiles!r}, on={on}, "
            f"unique_ids={unique_ids!r}{checks})\n"
            "s = RegisterSummary()\n"
            f"for r in stream_file(rc, {str(csv_path)!r}):\n"
            "    s = s + r.summary\n"
        )
    code = (
        "import json, time, datetime\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent
        "def peak_mb():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) / 1024\n"
        "import sse_model\n"
        "t, c = time.perf_counter(), time.process_time()\n"
        + call
        + "print(json.dumps({'seconds': time.perf_counter() - t, "
        "'cpu_seconds': time.process_time() - c, 'rows': s.rows, "
        "'classified': s.classified, 'rejected': s.rejected, 'fast': s.fast, "
        "'peak_mb': peak_mb()}))\n"
    )
    env = dict(os.environ, OMP_NUM_THREADS="1", ARROW_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def write_formats(rows: int, tmp: Path) -> dict[str, Path]:
    """The same rows as CSV, JSON Lines (flat records and nested ones, the model's JSON
    shape), JSON (flat records) and Excel (numbers as numbers)."""
    import openpyxl
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from make_register import write

    import sse_model
    from sse_model._io._flat import RejectedRow, Row, rows_to_organisations

    paths = {
        "csv": tmp / "r.csv",
        "jsonl": tmp / "r.jsonl",
        "jsonl nested": tmp / "nested.jsonl",
        "json": tmp / "r.json",
        "xlsx": tmp / "r.xlsx",
    }
    write(rows, paths["csv"], seed=5)
    header = paths["csv"].read_text(encoding="utf-8").split("\n", 1)[0].replace('"', "")
    table = pacsv.read_csv(
        paths["csv"],
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in header.split(",")}, strings_can_be_null=False
        ),
    )
    records = [{k: v for k, v in r.items() if v} for r in table.to_pylist()]
    with paths["jsonl"].open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    paths["json"].write_text(json.dumps(records), encoding="utf-8")
    with paths["jsonl nested"].open("w", encoding="utf-8") as f:
        for n, r in enumerate(records, 1):
            (org,) = rows_to_organisations([Row(n, r)])
            if not isinstance(org, RejectedRow):
                f.write(sse_model.to_json(org) + "\n")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    names = table.column_names
    ws.append(names)
    for r in table.to_pylist():
        ws.append([int(v) if v.isdigit() else (v or None) for v in (r[c] for c in names)])
    wb.save(paths["xlsx"])
    return paths


def formats(rows: int) -> dict[str, object]:
    """Rows/s of the same register in every format through the command line (``classify
    --format parquet``, three profiles) and, where it reads the format, ``classify_file``;
    each against CSV in the same run."""
    import contextlib
    import io

    import pyarrow as pa

    import sse_model
    from sse_model._cli import main as cli
    from sse_model._io import _batch

    out: dict[str, object] = {"rows": rows}
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_formats(rows, Path(tmp))
        result = Path(tmp) / "out.parquet"
        profiles = [a for p in THREE for a in ("--profile", p)]
        # warm up (profiles, unit registry): every format is timed in a warm process
        warm = pa.table({"id": ["x"], "name": ["X"], "country": ["VN"]})
        sse_model.classify_table(warm, THREE, on=ON)
        for fmt, path in paths.items():
            argv = ["classify", str(path), "--on", ON.isoformat(), *profiles]
            argv += ["--format", "parquet", "--output", str(result), "--quiet"]
            err = io.StringIO()
            t = time.perf_counter()
            with contextlib.redirect_stderr(err):
                code = cli(argv, out=io.StringIO(), err=err)
            seconds = time.perf_counter() - t
            assert code in (0, 1), err.getvalue()
            n = path.open("rb").read().count(b"\n") if fmt == "jsonl nested" else rows
            out[f"cli {fmt} rows/s"] = round(n / seconds)
            if fmt == "csv" or hasattr(_batch, "file_batches"):  # before: CSV, TSV, Parquet
                t = time.perf_counter()
                sse_model.classify_file(path, THREE, output=result, on=ON)
                out[f"classify_file {fmt} rows/s"] = round(n / (time.perf_counter() - t))
        csv_rate = out["cli csv rows/s"]
        assert isinstance(csv_rate, int)
        for fmt in paths:
            rate = out[f"cli {fmt} rows/s"]
            assert isinstance(rate, int)
            out[f"cli csv / {fmt}"] = round(csv_rate / rate, 2)
    return out


def by_profiles(csv_path: Path, tmp: Path) -> dict[str, object]:
    """1 profile, 3 and every shipped one on the same file, each in a fresh process:
    classifying only (the results built, not written) and end to end to Parquet; CPU
    seconds, the ratio to one profile, peak memory and the rows the fast lane took."""
    import sse_model

    sets = {
        "1": ["vn/social-enterprise"],
        "3": THREE,
        f"all {len(sse_model.profile_ids())}": list(sse_model.profile_ids()),
    }
    out: dict[str, object] = {"load_before": os.getloadavg()[0]}
    for write in (False, True):
        label = "to Parquet" if write else "classify only"
        runs = {
            name: end_to_end(csv_path, tmp / "p.parquet", ps, write=write)
            for name, ps in sets.items()
        }
        one = runs["1"]["cpu_seconds"]
        for run in runs.values():
            run["vs 1 profile"] = round(run["cpu_seconds"] / one, 2)
        out[label] = runs
    out["load_after"] = os.getloadavg()[0]
    return out


def validation(csv_path: Path, tmp: Path) -> dict[str, object]:
    """validate="needed" (the default) against validate="all", three profiles."""
    runs = {
        v: end_to_end(csv_path, tmp / "v.parquet", THREE, validate=v) for v in ("needed", "all")
    }
    return {
        **runs,
        "all / needed": round(runs["all"]["cpu_seconds"] / runs["needed"]["cpu_seconds"], 2),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--big", type=int, default=0, help="also stream this many rows (memory)")
    p.add_argument("--objects", type=int, default=50_000)
    p.add_argument(
        "--formats", type=int, default=20_000, help="rows for the format comparison (0: skip)"
    )
    p.add_argument("--only-formats", action="store_true", help="only the format comparison")
    p.add_argument("--dir", type=Path, default=None, help="where to write the registers")
    p.add_argument(
        "--peers",
        type=int,
        default=0,
        help="rows for the peers (pandas, polars, OpenFisca; 0: skip)",
    )
    p.add_argument(
        "--profiles",
        type=int,
        default=0,
        help="rows for 1 / 3 / every profile and validate=needed / all (0: skip)",
    )
    p.add_argument("--only", action="store_true", help="only --peers and --profiles")
    args = p.parse_args()
    from make_register import write

    report: dict[str, object] = {}
    if args.peers:
        import peers

        report["peers"] = peers.run(args.peers, args.dir, 2)
        print(json.dumps({"peers": report["peers"]}, indent=2), flush=True)
    if args.profiles:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            path = Path(tmp) / "register.csv"
            write(args.profiles, path)
            report["profiles"] = by_profiles(path, Path(tmp))
            print(json.dumps({"profiles": report["profiles"]}, indent=2), flush=True)
            import inspect

            import sse_model

            if "validate" in inspect.signature(sse_model.classify_file).parameters:
                report["validate"] = validation(path, Path(tmp))
                print(json.dumps({"validate": report["validate"]}, indent=2), flush=True)
    if args.only:
        return
    if args.formats:
        report["formats"] = formats(args.formats)
        print(json.dumps(report, indent=2), flush=True)
        if args.only_formats:
            return
    report["throughput"] = throughput(args.objects)
    print(json.dumps(report, indent=2), flush=True)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for label, rows in (("end_to_end", args.rows), ("big", args.big)):
            if not rows:
                continue
            path = Path(tmp) / f"register-{rows}.csv"
            t = time.perf_counter()
            write(rows, path)
            generated = time.perf_counter() - t
            run = end_to_end(path, Path(tmp) / f"out-{rows}.parquet")
            run["csv_mb"] = path.stat().st_size / 1e6
            run["generated_in_s"] = generated
            report[label] = run
            print(json.dumps({label: run}, indent=2), flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
