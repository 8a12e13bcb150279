"""``sse-model compare``: a register under two or more profiles, side by side.

Kept apart from :mod:`sse_model._cli` (which registers the command and dispatches to
:func:`run_compare`), reusing its options and checks.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, TextIO

from ._engine._profile import Profile

__all__ = ["add_compare_parser", "run_compare"]

#: output formats of ``compare``, by the extension of --output
COMPARE_EXTENSIONS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json"}
#: flips listed by the table format
SHOWN_FLIPS = 20


def add_compare_parser(sub: Any) -> None:
    """Register ``compare`` on the subcommands *sub*."""
    from ._cli import (
        _assumption_options,
        _date,
        _fiscal_year,
        _input_options,
        _profile_file_option,
    )

    c = sub.add_parser(
        "compare",
        help="a register under two or more profiles: verdict transitions and flips",
        description="Classify a register under a base profile and a draft (a reform file, "
        "or any other profile), and more: the 3x3 table of verdict transitions, the "
        "organisations that change verdict with the criteria that changed, counts by "
        "country, family and legal form.",
    )
    _input_options(c, "a register, one organisation per row")
    c.add_argument(
        "--profile",
        action="append",
        dest="profiles",
        metavar="ID",
        default=[],
        help="profile id, or a profile or reform file (repeatable, at least two in all: "
        "the first is the base each other one is compared with)",
    )
    _profile_file_option(c, repeat=True)
    c.add_argument("--on", type=_date, default=None, help="evaluation date (default: today)")
    c.add_argument(
        "--fiscal-year", type=_fiscal_year, default=None, help="fiscal year for profit tests"
    )
    c.add_argument(
        "--format",
        choices=("table", "csv", "json", "parquet"),
        default=None,
        help="table: transitions and flips in words; json: transitions (list of from/to/"
        "count), flips, counts by group; csv/parquet: one row per organisation, its "
        "verdict under each profile and the criteria that changed (default: from the "
        "--output extension, .csv .parquet .json; otherwise table)",
    )
    c.add_argument("--output", type=Path, default=None, help="write here (default: stdout)")
    c.add_argument(
        "--errors", type=Path, default=None, help="write rejected rows here (JSON Lines)"
    )
    c.add_argument(
        "--no-escape-formulas",
        dest="escape_formulas",
        action="store_false",
        help="in CSV output, keep text cells starting with = + - @ as they are",
    )
    c.add_argument("--no-presumptions", action="store_true", help="observed facts only")
    c.add_argument(
        "--all-presumptions", action="store_true", help="also low-confidence presumptions"
    )
    c.add_argument(
        "--validate",
        choices=("needed", "all"),
        default="needed",
        help="check the cells of the columns the profiles read (needed) or every cell",
    )
    _assumption_options(c)


def _format(args: argparse.Namespace) -> str:
    from ._cli import UsageError, _is_stdin, printable

    if args.output is not None and _is_stdin(args.output):
        args.output = None
    fits = COMPARE_EXTENSIONS.get(args.output.suffix.lower()) if args.output else None
    fmt: str = args.format or fits or "table"
    if args.format is not None and fits is not None and args.format != fits:
        raise UsageError(
            f"--format {args.format} does not match --output {printable(str(args.output))}; "
            f"drop --format to write {fits}"
        )
    if fmt == "parquet" and args.output is None:
        raise UsageError("--format parquet writes a binary file: give it with --output FILE")
    return fmt


def run_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``sse-model compare``; the exit code is as for ``classify``."""
    from ._cli import (
        EXIT_REJECTED,
        UsageError,
        _assumptions,
        _check_in_force,
        _check_options,
        _check_outputs,
        _delimiter,
        _input_format,
        _is_stdin,
        _mapper,
        _presumptions,
        _resolve_profiles,
    )
    from ._io._outputs import atomic_output
    from ._io._writers import rejected_record
    from ._lab import compare

    fmt = _format(args)
    refs = _resolve_profiles(args.profiles, args.profile_files)
    if len(refs) < 2:
        raise UsageError("compare needs at least two profiles: --profile BASE --profile DRAFT")
    if _is_stdin(args.input):
        raise UsageError("compare reads a register file (not stdin)")
    on = args.on or date.today()
    _check_in_force(refs, on)
    _check_options(args)
    _check_outputs(args)
    profiles: list[str | Profile] = list(refs)
    result = compare(
        args.input,
        *profiles,
        on=on,
        fiscal_year=args.fiscal_year,
        currency=args.currency,
        columns=_mapper(args),
        presumptions=_presumptions(args),
        assumptions=_assumptions(args, refs, on),
        finances=None,
        validate=args.validate,
        format=_input_format(args),
        delimiter=_delimiter(args.delimiter),
        encoding=args.encoding,
        sheet=args.sheet,
        unique_ids=not args.allow_duplicate_ids,
    )
    if args.errors is not None:
        with atomic_output(args.errors) as f:
            for r in result.rejected:
                f.write(json.dumps(rejected_record(r), ensure_ascii=False) + "\n")
    if fmt in ("csv", "parquet"):
        _write_rows(result, args, fmt, out)
    else:
        with atomic_output(args.output) if args.output else contextlib.nullcontext(out) as t:
            if fmt == "json":
                json.dump(result.to_json(), t, ensure_ascii=False, indent=1)
                t.write("\n")
            else:
                write_table(result, t)
    return EXIT_REJECTED if result.rejected else 0


def _write_rows(result: Any, args: argparse.Namespace, fmt: str, out: TextIO) -> None:
    import pyarrow as pa

    from ._io._batch import ResultWriter

    table = result.table.append_column(
        "changed_criteria", pa.array([";".join(c) for c in result.changed_criteria(0, 1)])
    )
    target = args.output if args.output else out
    with ResultWriter(target, format=fmt, escape_formulas=args.escape_formulas) as w:
        w.write(table)


def write_table(result: Any, target: IO[str]) -> None:
    """The comparison in words: the summary, each pair's transitions, the flips."""
    from ._cli import printable

    s = result.summary
    target.write(
        f"Compared {s.classified} organisations on {result.on.isoformat()} "
        f"({s.rows} rows read, {s.rejected} rejected).\n"
    )
    for i, j in result.pairs():
        a, b = result.profiles[i], result.profiles[j]
        target.write(f"\n{printable(a)} -> {printable(b)}\n")
        cells = {(e["from"], e["to"]): e["count"] for e in result.transitions(i, j)}
        names = ("qualifies", "does_not_qualify", "undetermined")
        width = max(len(n) for n in names)
        target.write(" " * (width + 2) + "  ".join(f"{n:>{len(n)}}" for n in names) + "\n")
        for x in names:
            row = "  ".join(f"{cells[(x, y)]:>{len(y)}}" for y in names)
            target.write(f"{x:<{width}}  {row}\n")
        flips = result.flips(i, j)
        by = _by_country(flips)
        target.write(
            f"\n{len(flips)} organisations change verdict"
            + (f" (by country: {by})" if by else "")
            + "\n"
        )
        for f in flips[:SHOWN_FLIPS]:
            where = ", ".join(str(x) for x in (f["country"], f["legal_form"]) if x)
            crits = ", ".join(
                f"{c}: {o['from'] or 'absent'} -> {o['to'] or 'absent'}"
                for c, o in f["outcomes"].items()
            )
            target.write(
                printable(
                    f"  row {f['row']} {f['organisation_id']} ({where}): {f['from']} -> "
                    f"{f['to']} [{crits}]"
                )
                + "\n"
            )
        if len(flips) > SHOWN_FLIPS:
            target.write(f"  ... {len(flips) - SHOWN_FLIPS} more (--format json or csv)\n")


def _by_country(flips: Sequence[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for f in flips:
        key = f["country"] or "(not recorded)"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
