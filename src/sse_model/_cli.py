"""The ``sse-model`` command line.

Exit codes: 0 success; 1 some rows were rejected (all others classified and the
errors reported); 2 bad arguments, unreadable input or a missing optional dependency.

``classify`` runs in three separate steps, so that another reading or evaluation
path can replace one of them: :func:`_read_input` (rows to organisations or
rejected rows), :func:`_classify_rows` (organisations to results, counting as it
goes) and :func:`_write_output` (results to the chosen format).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import attrs

from ._engine._assume import Assumptions, check_readings
from ._engine._classify import Classifier
from ._engine._compare import (
    classify_under_all,
    compare_profiles,
    compare_thresholds,
    render_principles,
    render_thresholds,
)
from ._engine._loader import load_profile, profile_ids
from ._engine._profile import Profile
from ._engine._result import Classification, Verdict
from ._errors import InvalidInput, SSEModelError, UnknownProfile, UnreadableInput
from ._io._flat import RejectedRow
from ._io._readers import FORMATS, format_of, read_register
from ._io._writers import criterion_columns, rejected_record, write_results
from ._model import Organisation
from ._serialization import to_json, unstructure

__all__ = ["main"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
#: rejected rows listed on stderr when no --errors file is given
SHOWN_REJECTED = 20
#: a progress bar appears only after this many seconds
PROGRESS_AFTER = 1.0


class UsageError(SSEModelError, ValueError):
    """Bad command-line arguments (exit code 2)."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2024-12-31, got {text!r}"
        ) from None


def _input_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "input",
        type=Path,
        help=f"{what}: CSV, TSV, JSON Lines, JSON, Parquet or Excel (.xlsx), "
        "by extension (.gz allowed for text formats)",
    )
    p.add_argument(
        "--input-format",
        choices=(*FORMATS, "ndjson"),
        default=None,
        help="read the input as this format whatever its extension",
    )
    p.add_argument(
        "--delimiter", default=None, help="CSV cell separator (default ',' or tab for .tsv)"
    )
    p.add_argument("--encoding", default="utf-8", help="text encoding (default utf-8)")
    p.add_argument("--sheet", default=None, help="Excel sheet name or 0-based index")
    p.add_argument(
        "--currency", default=None, help="currency of bare amounts in a table (e.g. VND)"
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="THEIRS=OURS",
        help="map one of your column names onto the vocabulary (repeatable)",
    )
    p.add_argument(
        "--columns",
        type=Path,
        default=None,
        metavar="FILE",
        help="a TOML or JSON file mapping your column names onto the vocabulary",
    )
    p.add_argument(
        "--allow-duplicate-ids",
        action="store_true",
        help="classify every row even when an id repeats (default: later ones are rejected)",
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sse-model",
        description="Decide, with reasons, whether organisations belong to the social and "
        "solidarity economy under a given definition.",
        epilog="Exit codes: 0 success; 1 some input rows were rejected (see --errors); "
        "2 bad arguments, unreadable input or a missing optional dependency.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("classify", help="classify a register of organisations")
    _input_options(c, "a register, one organisation per row")
    c.add_argument(
        "--profile",
        action="append",
        dest="profiles",
        metavar="ID",
        help="profile id (repeatable; default: intl/ilo-2022); see 'sse-model profiles'",
    )
    c.add_argument("--on", type=_date, default=None, help="evaluation date (default: today)")
    c.add_argument(
        "--fiscal-year", type=int, default=None, help="fiscal year for profit-based tests"
    )
    c.add_argument(
        "--format",
        choices=("table", "csv", "json", "jsonl", "parquet"),
        default="table",
        help="table: counts by profile; csv/parquet: one row per organisation and profile; "
        "json/jsonl: full results (parquet needs --output)",
    )
    c.add_argument(
        "--output", type=Path, default=None, help="write results here (default: stdout)"
    )
    c.add_argument(
        "--errors", type=Path, default=None, help="write rejected rows here (JSON Lines)"
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    _assumption_options(c)

    v = sub.add_parser("validate", help="check a register without classifying it")
    _input_options(v, "a register")
    v.add_argument(
        "--errors", type=Path, default=None, help="write rejected rows here (JSON Lines)"
    )
    v.add_argument("--quiet", action="store_true", help="no progress bar")

    e = sub.add_parser("explain", help="explain the classification of one organisation")
    _input_options(e, "a JSON file with one organisation, or a register")
    e.add_argument("--id", default=None, help="organisation id (for a register)")
    e.add_argument("--profile", metavar="ID", help="profile id; omit to use every profile")
    e.add_argument("--on", type=_date, default=None)
    _assumption_options(e)

    pr = sub.add_parser("profiles", help="list the shipped profiles, show one, or compare")
    pr.add_argument("ids", nargs="*", metavar="ID", help="show these profiles (or compare them)")
    pr.add_argument(
        "--compare",
        action="store_true",
        help="compare the profiles (all if none given): principles, criteria and thresholds",
    )
    pr.add_argument("--on", type=_date, default=None, help="date for --compare (default: today)")
    return p


# --- reading ---------------------------------------------------------------------------


def _assumption_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--assume-unverified",
        action="store_true",
        help="apply unverified rules as written (default: they give unknown, "
        "'rule not verified'); recorded in every result",
    )
    p.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="CRITERION=READING",
        help="adopt a candidate reading of a rule (repeatable), e.g. "
        "kh-ac-min-founders=15; see the profile's readings",
    )


def _assumptions(args: argparse.Namespace, profiles: Sequence[str], on: date) -> Assumptions:
    """The assumptions given on the command line, checked against the profiles' rules."""
    readings: dict[str, str] = {}
    for spec in getattr(args, "assume", None) or []:
        criterion, sep, reading = spec.partition("=")
        if not sep or not criterion or not reading:
            raise UsageError(f"expected --assume CRITERION=READING, got {spec!r}")
        readings[criterion.strip()] = reading.strip()
    a = Assumptions(
        unverified_as_written=bool(getattr(args, "assume_unverified", False)), readings=readings
    )
    if a.readings:
        from ._io._batch import _with_bases

        c = Classifier()
        try:
            check_readings(_with_bases([c.profile(p) for p in profiles], c), a)
        except InvalidInput as e:
            raise UsageError(
                "; ".join(
                    f"--assume {x.path.removeprefix('readings.')}: {x.message}" for x in e.errors
                )
            ) from None
    return a


def _column_map(args: argparse.Namespace) -> dict[str, str]:
    """--columns FILE, then --map THEIRS=OURS (which wins)."""
    mapping: dict[str, str] = {}
    path: Path | None = getattr(args, "columns", None)
    if path is not None:
        mapping.update(_mapping_file(path))
    for spec in getattr(args, "map", None) or ():
        theirs, _, ours = spec.partition("=")
        if not ours.strip() or not theirs.strip():
            raise UsageError(f"expected --map THEIR_COLUMN=our.path, got {spec!r}")
        mapping[theirs.strip()] = ours.strip()
    return mapping


def _mapping_file(path: Path) -> dict[str, str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such column mapping file: {path}") from None
    try:
        if path.suffix.lower() == ".json":
            data: Any = json.loads(raw)
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UnreadableInput(str(path), f"expected a TOML or JSON mapping, found: {e}") from None
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UnreadableInput(
            str(path),
            "expected a mapping of your column names to vocabulary paths "
            '(e.g. Members = "governance.members"), found other values',
        )
    return data


def _delimiter(text: str | None) -> str | None:
    if text is None:
        return None
    named = {"\\t": "\t", "tab": "\t", "TAB": "\t", "comma": ",", "semicolon": ";"}
    d = named.get(text, text)
    if len(d) != 1:
        raise UsageError(
            f"expected a one-character --delimiter such as ';' or '\\t', got {text!r}"
        )
    return d


def _read_input(args: argparse.Namespace) -> Iterator[Organisation | RejectedRow]:
    """Step 1: organisations and rejected rows from the register, in any format."""
    fmt = args.input_format
    sheet: str | int | None = args.sheet
    return read_register(
        args.input,
        format="jsonl" if fmt == "ndjson" else fmt,
        encoding=args.encoding,
        delimiter=_delimiter(args.delimiter),
        columns=_column_map(args),
        currency=args.currency,
        sheet=sheet,
        unique_ids=not args.allow_duplicate_ids,
    )


# --- counting, rejected rows, progress -------------------------------------------------


@attrs.define
class _Tally:
    """What the run has seen: counts, verdicts, facts to collect, rejected rows."""

    errors_file: TextIO | None = None
    valid: int = 0
    rejected: int = 0
    shown: list[RejectedRow] = attrs.Factory(list)
    verdicts: Counter[tuple[str, Verdict]] = attrs.Factory(Counter)
    missing: Counter[str] = attrs.Factory(Counter)

    def reject(self, row: RejectedRow) -> None:
        self.rejected += 1
        if self.errors_file is not None:
            self.errors_file.write(json.dumps(rejected_record(row), ensure_ascii=False) + "\n")
        elif len(self.shown) < SHOWN_REJECTED:
            self.shown.append(row)

    def count(self, r: Classification) -> None:
        self.verdicts[r.profile_id, r.verdict] += 1
        if r.settlement:
            for m in r.settlement.missing_facts:
                self.missing[
                    m.path.split("[")[0] + (m.path.split("]", 1)[1] if "]" in m.path else "")
                ] += 1


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def _rich_available() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


def progress_enabled(err: TextIO, quiet: bool, env: dict[str, str] | None = None) -> bool:
    """A progress bar only for a person watching: stderr is a terminal, not --quiet,
    not in CI, and rich is installed."""
    env = dict(os.environ) if env is None else env
    return not quiet and not env.get("CI") and _is_terminal(err) and _rich_available()


def _progress(
    items: Iterable[Organisation | RejectedRow], err: TextIO, enabled: bool
) -> Iterator[Organisation | RejectedRow]:
    """Pass items through; after :data:`PROGRESS_AFTER` seconds, show rows read on stderr."""
    if not enabled:
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    start = time.monotonic()
    bar: Any = None
    task: Any = None
    try:
        for n, item in enumerate(items, 1):
            if bar is None and n % 256 == 0 and time.monotonic() - start > PROGRESS_AFTER:
                bar = Progress(
                    TextColumn("reading rows"),
                    BarColumn(),
                    TextColumn("{task.completed:,} rows"),
                    TimeElapsedColumn(),
                    console=Console(file=err),
                    transient=True,
                )
                bar.start()
                task = bar.add_task("rows", total=None)
            if bar is not None and n % 256 == 0:
                bar.update(task, completed=n)
            yield item
    finally:
        if bar is not None:
            bar.stop()


# --- classifying -----------------------------------------------------------------------


def _check_profiles(profiles: Sequence[str]) -> None:
    for p in profiles:
        try:
            load_profile(p)
        except UnknownProfile as e:
            close = difflib.get_close_matches(p, e.known, n=3, cutoff=0.5)
            if close:
                hint = f"did you mean {' or '.join(repr(c) for c in close)}?"
            else:
                hint = f"known profiles: {', '.join(e.known)}"
            raise UsageError(
                f"unknown profile {p!r}; {hint} (run 'sse-model profiles' to list them)"
            ) from None


def _classify_rows(
    items: Iterable[Organisation | RejectedRow],
    profiles: Sequence[str],
    on: date,
    fiscal_year: int | None,
    tally: _Tally,
    assumptions: Assumptions | None = None,
) -> Iterator[Classification]:
    """Step 2: each organisation under each profile; rejected rows go to the tally."""
    classifier = Classifier(assumptions=assumptions or Assumptions())
    for org in items:
        if isinstance(org, RejectedRow):
            tally.reject(org)
            continue
        tally.valid += 1
        for p in profiles:
            r = classifier.classify(org, p, on=on, fiscal_year=fiscal_year)
            tally.count(r)
            yield r


# --- writing ---------------------------------------------------------------------------


def _write_output(
    results: Iterable[Classification],
    args: argparse.Namespace,
    profiles: Sequence[str],
    on: date,
    tally: _Tally,
    out: TextIO,
) -> None:
    """Step 3: results in the chosen format, to --output or stdout."""
    if args.format == "parquet":
        write_results(
            results, args.output, format="parquet", criteria=criterion_columns(profiles, on)
        )
        return
    target = args.output.open("w", encoding="utf-8", newline="") if args.output else out
    try:
        if args.format == "table":
            for _ in results:
                pass
            target.write(f"Classified {tally.valid} organisations on {on.isoformat()}.\n")
            adopted = _assumptions(args, profiles, on).describe()
            if adopted:
                target.write(f"Assumptions adopted: {adopted}.\n")
            target.write("\n")
            if _is_terminal(target) and _rich_available():
                _summary_rich(tally, profiles, target)
            else:
                _summary(tally, profiles, target)
        elif args.format == "csv":
            write_results(results, target, format="csv", criteria=criterion_columns(profiles, on))
        elif args.format == "json":
            target.write("[")
            for i, r in enumerate(results):
                target.write(("" if i == 0 else ", ") + json.dumps(unstructure(r), **_JSON))
            target.write("]\n")
        else:
            for r in results:
                target.write(to_json(r) + "\n")
    finally:
        if args.output:
            target.close()


_JSON: dict[str, Any] = {"ensure_ascii": False, "sort_keys": True}


def _summary(tally: _Tally, profiles: Sequence[str], out: TextIO) -> None:
    width = max(len(p) for p in profiles) + 2
    out.write(
        f"{'profile':<{width}}{'qualifies':>10}{'does not':>10}{'undetermined':>14}{'total':>8}\n"
    )
    for p in profiles:
        q, d, u = (tally.verdicts[p, v] for v in Verdict)
        out.write(f"{p:<{width}}{q:>10}{d:>10}{u:>14}{q + d + u:>8}\n")
    if tally.missing:
        out.write(
            "\nFacts to collect (verdicts in which this fact is missing and can still "
            "change the verdict):\n"
        )
        for path, n in tally.missing.most_common(5):
            out.write(f"  {path:<45} {n:>6} verdicts\n")


def _summary_rich(tally: _Tally, profiles: Sequence[str], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Verdicts by profile")
    table.add_column("profile")
    for name, style in (("qualifies", "green"), ("does not", "red"), ("undetermined", "yellow")):
        table.add_column(name, justify="right", style=style)
    table.add_column("total", justify="right")
    for p in profiles:
        q, d, u = (tally.verdicts[p, v] for v in Verdict)
        table.add_row(p, str(q), str(d), str(u), str(q + d + u))
    console = Console(file=out)
    console.print(table)
    if tally.missing:
        facts = Table(
            title="Facts to collect (verdicts in which this fact is missing and can still "
            "change the verdict)"
        )
        facts.add_column("fact")
        facts.add_column("verdicts in which it is missing", justify="right")
        for path, n in tally.missing.most_common(5):
            facts.add_row(path, str(n))
        console.print(facts)


def _report(tally: _Tally, errors: Path | None, err: TextIO, done: str) -> int:
    """Say how the rows reconcile, and where every rejected row went."""
    total = tally.valid + tally.rejected
    err.write(
        f"rows read: {total}; {done}: {tally.valid}; rejected: {tally.rejected} "
        f"({tally.valid} + {tally.rejected} = {total})\n"
    )
    if not tally.rejected:
        return EXIT_OK
    if errors:
        err.write(f"Rejected rows written to {errors}.\n")
    else:
        for row in tally.shown:
            for e in row.errors:
                err.write(f"  row {row.number}: {e.path or '(row)'}: {e.message}\n")
        if tally.rejected > len(tally.shown):
            more = tally.rejected - len(tally.shown)
            err.write(f"  ... {more} more; use --errors FILE to keep them all.\n")
    return EXIT_REJECTED


def _run(args: argparse.Namespace, err: TextIO, body: Any) -> int:
    """Open --errors, run *body(tally)*, report the counts."""
    errors: Path | None = args.errors
    with errors.open("w", encoding="utf-8") if errors else _Null() as f:
        tally = _Tally(errors_file=f)
        body(tally)
    return _report(tally, errors, err, "classified" if args.command == "classify" else "valid")


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _columnar_input(args: argparse.Namespace) -> str | None:
    """The format of a register the columnar path reads (CSV, TSV, Parquet), else None."""
    if args.format not in ("table", "csv", "parquet") or args.sheet is not None:
        return None
    try:
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return None
    fmt = args.input_format or format_of(args.input)
    return fmt if fmt in ("csv", "tsv", "parquet") else None


def _batch_progress(results: Iterable[Any], err: TextIO) -> Iterator[Any]:
    """Rows classified so far, on stderr, after :data:`PROGRESS_AFTER` seconds."""
    from rich.console import Console
    from rich.progress import Progress, TextColumn, TimeElapsedColumn

    start, done = time.monotonic(), 0
    bar: Any = None
    try:
        for result in results:
            done += result.summary.rows
            if bar is None and time.monotonic() - start > PROGRESS_AFTER:
                bar = Progress(
                    TextColumn("classifying: {task.completed:,} rows"),
                    TimeElapsedColumn(),
                    console=Console(file=err),
                    transient=True,
                )
                bar.start()
                task = bar.add_task("rows", total=None)
            if bar is not None:
                bar.update(task, completed=done)
            yield result
    finally:
        if bar is not None:
            bar.stop()


def _classify_columnar(
    args: argparse.Namespace,
    fmt: str,
    profiles: Sequence[str],
    on: date,
    tally: _Tally,
    out: TextIO,
    err: TextIO,
    progress: bool,
) -> None:
    """Classify a CSV/TSV/Parquet register in columns (same results, much faster)."""
    from ._io._batch import RegisterClassifier, ResultWriter, stream_file

    # file-level problems (encoding, delimiter, header) raise as the row reader raises them
    next(iter(_read_input(args)), None)
    rc = RegisterClassifier(
        profiles,
        on=on,
        fiscal_year=args.fiscal_year,
        currency=args.currency,
        columns=_column_map(args),
        unique_ids=not args.allow_duplicate_ids,
        assumptions=_assumptions(args, profiles, on),
    )
    results = stream_file(
        rc, args.input, format=fmt, delimiter=_delimiter(args.delimiter), encoding=args.encoding
    )
    if progress:
        results = _batch_progress(results, err)
    writer: ResultWriter | None = None
    target: Any = None
    try:
        if args.format in ("csv", "parquet"):
            target = args.output if args.output else out
            writer = ResultWriter(target, format=args.format, row=False)
        for result in results:
            for row in result.rejected:
                tally.reject(row)
            tally.valid += result.summary.classified
            _tally_table(tally, result.table)
            if writer is not None:
                writer.write(result.table)
        if writer is not None and writer.empty:
            writer.write(rc.classify_table(_empty_table()).table)
    finally:
        if writer is not None:
            writer.close()
    if args.format == "table":
        target_text = args.output.open("w", encoding="utf-8") if args.output else out
        try:
            target_text.write(f"Classified {tally.valid} organisations on {on.isoformat()}.\n\n")
            if _is_terminal(target_text) and _rich_available():
                _summary_rich(tally, profiles, target_text)
            else:
                _summary(tally, profiles, target_text)
        finally:
            if args.output:
                target_text.close()


def _empty_table() -> Any:
    import pyarrow as pa

    return pa.table({"id": pa.array([], pa.string())})


def _tally_table(tally: _Tally, table: Any) -> None:
    """Count verdicts per profile and facts to collect, as _Tally.count does per result."""
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return
    pairs = pc.binary_join_element_wise(
        table.column("profile_id").cast("string"), table.column("verdict").cast("string"), "\0"
    )
    for item in pc.value_counts(pairs).to_pylist():
        profile, verdict = item["values"].split("\0")
        tally.verdicts[profile, Verdict(verdict)] += item["counts"]
    paths = pc.list_flatten(table.column("missing_facts"))
    for item in pc.value_counts(paths).to_pylist():
        path = item["values"]
        key = path.split("[")[0] + (path.split("]", 1)[1] if "]" in path else "")
        tally.missing[key] += item["counts"]


def _classify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    profiles = args.profiles or ["intl/ilo-2022"]
    _check_profiles(profiles)
    if args.format == "parquet" and args.output is None:
        raise UsageError("--format parquet writes a binary file: give it with --output FILE")
    on = args.on or date.today()
    fmt = _columnar_input(args)
    if fmt is not None:
        progress = progress_enabled(err, args.quiet)

        def columnar(tally: _Tally) -> None:
            assert fmt is not None
            _classify_columnar(args, fmt, profiles, on, tally, out, err, progress)

        return _run(args, err, columnar)
    items = _progress(_read_input(args), err, progress_enabled(err, args.quiet))

    def body(tally: _Tally) -> None:
        results = _classify_rows(
            items, profiles, on, args.fiscal_year, tally, _assumptions(args, profiles, on)
        )
        _write_output(results, args, profiles, on, tally, out)

    return _run(args, err, body)


def _validate(args: argparse.Namespace, err: TextIO) -> int:
    items = _progress(_read_input(args), err, progress_enabled(err, args.quiet))

    def body(tally: _Tally) -> None:
        for item in items:
            if isinstance(item, RejectedRow):
                tally.reject(item)
            else:
                tally.valid += 1

    return _run(args, err, body)


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    orgs: list[Organisation] = []
    rejected: list[RejectedRow] = []
    for item in _read_input(args):
        if isinstance(item, RejectedRow):
            if args.id is None or item.id == args.id:
                rejected.append(item)
        elif args.id is None or item.id == args.id:
            orgs.append(item)
    if not orgs and rejected:
        err.write(f"cannot read an organisation from {args.input}:\n")
        for row in rejected[:SHOWN_REJECTED]:
            for e in row.errors:
                err.write(f"  row {row.number}: {e.path or '(row)'}: {e.message}\n")
        return EXIT_REJECTED
    if len(orgs) != 1:
        err.write(f"expected exactly one organisation (use --id); found {len(orgs)}\n")
        return EXIT_USAGE
    on = args.on or date.today()
    if args.profile is None:
        a = _assumptions(args, profile_ids(), on)
        table = classify_under_all(orgs[0], on=on, classifier=Classifier(assumptions=a))
        out.write(str(table) + "\n")
    else:
        _check_profiles([args.profile])
        a = _assumptions(args, [args.profile], on)
        classifier = Classifier(assumptions=a)
        out.write(classifier.classify(orgs[0], args.profile, on=on).explain() + "\n")
    return EXIT_OK


def _profiles(args: argparse.Namespace, out: TextIO) -> int:
    rich = _is_terminal(out) and _rich_available()
    _check_profiles(args.ids)
    if args.compare:
        on = args.on or date.today()
        ids = args.ids or None
        text = (
            f"# Comparison of SSE profiles in force on {on.isoformat()}\n\n"
            "## Principles\n\n" + render_principles(compare_profiles(ids, on=on)) + "\n"
            "## Thresholds\n\n" + render_thresholds(compare_thresholds(ids, on=on)) + "\n"
        )
        if rich:
            from rich.console import Console
            from rich.markdown import Markdown

            Console(file=out).print(Markdown(text))
        else:
            out.write(text)
        return EXIT_OK
    if not args.ids:
        if rich:
            from rich.console import Console
            from rich.table import Table

            table = Table("profile", "title")
            for pid in profile_ids():
                table.add_row(pid, load_profile(pid).title)
            Console(file=out).print(table)
            return EXIT_OK
        for pid in profile_ids():
            p = load_profile(pid)
            out.write(f"{pid:<36} {p.title}\n")
        return EXIT_OK
    for pid in args.ids:
        _show(load_profile(pid), out)
    return EXIT_OK


def _show(p: Profile, out: TextIO) -> None:
    out.write(f"{p.id}: {p.title}\n{p.summary.strip()}\n\n")
    for v in p.versions:
        end = v.effective_to.isoformat() if v.effective_to else "today"
        out.write(f"Version {v.label}: {v.effective_from.isoformat()} to {end}\n")
    out.write("\nCriteria:\n")
    for c in p.criteria:
        inst = p.instrument(c.citation.instrument)
        title = inst.title if inst else c.citation.instrument
        flag = " [UNVERIFIED]" if c.status.value == "unverified" else ""
        out.write(f"  {c.id}{flag}: {c.description}\n    {title}, {c.citation.article}\n")
    out.write("\n")


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        if args.command == "classify":
            return _classify(args, out, err)
        if args.command == "explain":
            return _explain(args, out, err)
        if args.command == "validate":
            return _validate(args, err)
        return _profiles(args, out)
    except (SSEModelError, OSError, ImportError) as e:
        err.write(f"sse-model: error: {e}\n")
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
