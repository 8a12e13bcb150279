"""The ``sse-model`` command line.

Exit codes: 0 success; 1 some rows were rejected (all others classified and the
errors reported); 2 bad arguments or unreadable input.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

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
from ._errors import FieldError, InvalidInput, SSEModelError
from ._io._flat import RejectedRow, read_csv, rows_to_organisations
from ._model import Organisation
from ._serialization import structure, to_json, unstructure

__all__ = ["main"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2024-12-31, got {text!r}"
        ) from None


def _input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--currency", default=None, help="currency of bare amounts in a CSV file (e.g. VND)"
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="THEIRS=OURS",
        help="map one of your CSV column names onto the vocabulary (repeatable)",
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sse-model",
        description="Decide, with reasons, whether organisations belong to the social and "
        "solidarity economy under a given definition.",
        epilog="Exit codes: 0 success; 1 some input rows were rejected (see --errors); "
        "2 bad arguments or unreadable input.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("classify", help="classify a register of organisations (JSON Lines or CSV)")
    c.add_argument(
        "input", type=Path, help="a JSON Lines or CSV register, one organisation per row"
    )
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
    c.add_argument("--format", choices=("table", "csv", "json", "jsonl"), default="table")
    c.add_argument(
        "--output", type=Path, default=None, help="write results here (default: stdout)"
    )
    c.add_argument(
        "--errors", type=Path, default=None, help="write rejected rows here (JSON Lines)"
    )
    _input_options(c)

    v = sub.add_parser("validate", help="check a register without classifying it")
    v.add_argument("input", type=Path, help="a JSON Lines or CSV register")
    v.add_argument(
        "--errors", type=Path, default=None, help="write rejected rows here (JSON Lines)"
    )
    _input_options(v)

    e = sub.add_parser("explain", help="explain the classification of one organisation")
    e.add_argument("input", type=Path, help="a JSON file, or a JSON Lines or CSV register")
    e.add_argument("--id", default=None, help="organisation id (for a register)")
    e.add_argument("--profile", metavar="ID", help="profile id; omit to use every profile")
    e.add_argument("--on", type=_date, default=None)
    _input_options(e)

    pr = sub.add_parser("profiles", help="list the shipped profiles, show one, or compare")
    pr.add_argument("ids", nargs="*", metavar="ID", help="show these profiles (or compare them)")
    pr.add_argument(
        "--compare",
        action="store_true",
        help="compare the profiles (all if none given): principles, criteria and thresholds",
    )
    pr.add_argument("--on", type=_date, default=None, help="date for --compare (default: today)")
    return p


def _jsonl(path: Path) -> Iterator[Organisation | RejectedRow]:
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                yield RejectedRow(
                    n, None, (FieldError("", f"expected JSON: {e}"),), {"line": line.rstrip("\n")}
                )
                continue
            try:
                yield structure(data, Organisation)
            except InvalidInput as e:
                ident = data.get("id") if isinstance(data, dict) else None
                yield RejectedRow(
                    n,
                    ident if isinstance(ident, str) else None,
                    e.errors,
                    {"line": line.rstrip("\n")},
                )


def _columns(specs: Sequence[str] | None) -> dict[str, str]:
    mapping = {}
    for spec in specs or ():
        theirs, _, ours = spec.partition("=")
        if not ours:
            raise argparse.ArgumentTypeError(f"expected --map THEIR_COLUMN=our.path, got {spec!r}")
        mapping[theirs.strip()] = ours.strip()
    return mapping


def _read(args: argparse.Namespace) -> Iterator[Organisation | RejectedRow]:
    """Organisations and rejected rows from a JSON Lines or CSV register."""
    path: Path = args.input
    if path.suffix.lower() == ".csv":
        rows = read_csv(path)
        return rows_to_organisations(
            rows,
            currency=getattr(args, "currency", None),
            columns=_columns(getattr(args, "map", None)),
        )
    return _jsonl(path)


def _rejected_json(r: RejectedRow) -> dict[str, object]:
    errors = []
    for e in r.errors:
        item: dict[str, object] = {"path": e.path, "message": e.message}
        raw = r.raw.get(e.path)
        if raw is not None:
            item["raw"] = raw
        errors.append(item)
    raw_row = {k if k is not None else "(extra cells)": v for k, v in r.raw.items()}
    return {"row": r.number, "id": r.id, "errors": errors, "raw": raw_row}


def _write_csv(results: Sequence[Classification], target: TextIO) -> None:
    """One row per organisation and profile: verdict, each criterion's outcome, missing facts.

    Criterion columns are the union over the profiles, in first-seen order; a criterion
    that a profile does not have is left empty.
    """
    columns: dict[str, None] = {}
    for r in results:
        columns.update(dict.fromkeys(c.id for c in r.criteria))
    writer = csv.writer(target)
    writer.writerow(
        [
            "organisation_id",
            "profile_id",
            "version",
            "on",
            "fiscal_year",
            "verdict",
            *columns,
            "missing_facts",
        ]
    )
    for r in results:
        outcomes = {c.id: c.outcome.value for c in r.criteria}
        missing = "; ".join(m.path for m in r.settlement.missing_facts) if r.settlement else ""
        writer.writerow(
            [
                r.organisation_id,
                r.profile_id,
                r.version,
                r.on.isoformat(),
                "" if r.fiscal_year is None else r.fiscal_year,
                r.verdict.value,
                *(outcomes.get(c, "") for c in columns),
                missing,
            ]
        )


def _summary(results: Sequence[Classification], profiles: Sequence[str], out: TextIO) -> None:
    width = max(len(p) for p in profiles) + 2
    out.write(
        f"{'profile':<{width}}{'qualifies':>10}{'does not':>10}{'undetermined':>14}{'total':>8}\n"
    )
    for p in profiles:
        counts = Counter(r.verdict for r in results if r.profile_id == p)
        total = sum(counts.values())
        out.write(
            f"{p:<{width}}{counts[Verdict.QUALIFIES]:>10}{counts[Verdict.DOES_NOT_QUALIFY]:>10}"
            f"{counts[Verdict.UNDETERMINED]:>14}{total:>8}\n"
        )
    missing = Counter(
        m.path.split("[")[0] + (m.path.split("]", 1)[1] if "]" in m.path else "")
        for r in results
        if r.settlement
        for m in r.settlement.missing_facts
    )
    if missing:
        out.write("\nFacts whose collection would settle most undetermined verdicts:\n")
        for path, n in missing.most_common(5):
            out.write(f"  {path:<45} {n:>6} verdicts\n")


def _classify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    profiles = args.profiles or ["intl/ilo-2022"]
    for p in profiles:
        load_profile(p)
    rejected: list[RejectedRow] = []
    classifier = Classifier()
    on = args.on or date.today()
    results: list[Classification] = []
    seen = 0
    for org in _read(args):
        if isinstance(org, RejectedRow):
            rejected.append(org)
            continue
        seen += 1
        for p in profiles:
            results.append(classifier.classify(org, p, on=on, fiscal_year=args.fiscal_year))
    target = args.output.open("w", encoding="utf-8") if args.output else out
    try:
        if args.format == "table":
            target.write(f"Classified {seen} organisations on {on.isoformat()}.\n\n")
            _summary(results, profiles, target)
        elif args.format == "csv":
            _write_csv(results, target)
        elif args.format == "json":
            json.dump(
                [unstructure(r) for r in results], target, ensure_ascii=False, sort_keys=True
            )
            target.write("\n")
        else:
            for r in results:
                target.write(to_json(r) + "\n")
    finally:
        if args.output:
            target.close()
    return _report(seen, rejected, args.errors, err, "classified")


def _report(
    seen: int, rejected: Sequence[RejectedRow], errors: Path | None, err: TextIO, done: str
) -> int:
    """Say how the rows reconcile, and where every rejected row went."""
    total = seen + len(rejected)
    err.write(f"{total} rows read: {seen} {done}, {len(rejected)} rejected.\n")
    if not rejected:
        return EXIT_OK
    if errors:
        with errors.open("w", encoding="utf-8") as f:
            for row in rejected:
                f.write(json.dumps(_rejected_json(row), ensure_ascii=False) + "\n")
        err.write(f"Rejected rows written to {errors}.\n")
    else:
        for row in rejected[:20]:
            for e in row.errors:
                err.write(f"  row {row.number}: {e.path or '(row)'}: {e.message}\n")
        if len(rejected) > 20:
            err.write(f"  ... {len(rejected) - 20} more; use --errors FILE to keep them all.\n")
    return EXIT_REJECTED


def _validate(args: argparse.Namespace, err: TextIO) -> int:
    rejected: list[RejectedRow] = []
    seen = 0
    for item in _read(args):
        if isinstance(item, RejectedRow):
            rejected.append(item)
        else:
            seen += 1
    return _report(seen, rejected, args.errors, err, "valid")


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    items = list(_read(args))
    orgs = [o for o in items if isinstance(o, Organisation)]
    if not orgs and items:
        text = args.input.read_text(encoding="utf-8")
        try:
            orgs = [structure(json.loads(text), Organisation)]
        except (json.JSONDecodeError, InvalidInput) as e:
            err.write(f"cannot read an organisation from {args.input}: {e}\n")
            return EXIT_USAGE
    chosen = [o for o in orgs if args.id is None or o.id == args.id]
    if len(chosen) != 1:
        err.write(f"expected exactly one organisation (use --id); found {len(chosen)}\n")
        return EXIT_USAGE
    if args.profile is None:
        table = classify_under_all(chosen[0], on=args.on or date.today())
        out.write(str(table) + "\n")
    else:
        out.write(Classifier().classify(chosen[0], args.profile, on=args.on).explain() + "\n")
    return EXIT_OK


def _profiles(args: argparse.Namespace, out: TextIO) -> int:
    if args.compare:
        on = args.on or date.today()
        ids = args.ids or None
        out.write(f"# Comparison of SSE profiles in force on {on.isoformat()}\n\n")
        out.write("## Principles\n\n" + render_principles(compare_profiles(ids, on=on)) + "\n")
        out.write("## Thresholds\n\n" + render_thresholds(compare_thresholds(ids, on=on)) + "\n")
        return EXIT_OK
    if not args.ids:
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
    except (SSEModelError, OSError, argparse.ArgumentTypeError) as e:
        err.write(f"sse-model: error: {e}\n")
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
