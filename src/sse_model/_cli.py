"""The ``sse-model`` command line.

Exit codes: 0 success; 1 some rows were rejected (all others classified and the
errors reported); 2 bad arguments, unreadable input or a missing optional dependency;
3 an internal error (a bug: one line, the traceback with ``--debug`` or
``SSE_MODEL_DEBUG=1``); 130 interrupted (Ctrl-C); 143 terminated (SIGTERM); 141 the
reader of stdout went away. Output and errors files appear only when the run
completed (:mod:`._io._outputs`); otherwise existing ones are left as they were.

``classify`` runs in three separate steps, so that another reading or evaluation
path can replace one of them: :func:`_read_input` (rows to organisations or
rejected rows), :func:`_classify_rows` (organisations to results, counting as it
goes) and :func:`_write_output` (results to the chosen format).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import difflib
import functools
import json
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, TextIO

import attrs

from ._engine._assume import Assumptions, check_readings
from ._engine._classify import Classifier, Presumptions
from ._engine._loader import load_profile, profile_ids
from ._engine._profile import Profile
from ._engine._result import Classification, Verdict
from ._errors import InvalidInput, SSEModelError, UnknownProfile, UnreadableInput
from ._io._flat import RejectedRow
from ._io._mapping import ColumnRule, Mapper, RegisterMapping, load_mapping, validated
from ._io._outputs import AtomicOutput, atomic_output, refuse_same_file
from ._io._readers import FORMATS, format_of
from ._io._sources import mapper_of, read_register
from ._io._writers import criterion_columns, rejected_record, write_results
from ._model import LegalForm, Organisation
from ._serialization import to_json, unstructure

__all__ = ["main"]

#: a profile as the command line names it: a shipped id, or one loaded from a file
ProfileRef = str | Profile

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
#: 128 + the signal's number, as a shell reports a process the signal ended
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE, EXIT_TERMINATED = 130, 141, 143
#: set (to anything but "" or "0") to print the traceback of an internal error
DEBUG_ENV = "SSE_MODEL_DEBUG"
#: fiscal years the model accepts (``FiscalYear.year``)
FISCAL_YEARS = range(1000, 10000)
#: rejected rows listed on stderr when no --errors file is given
SHOWN_REJECTED = 20
#: a progress bar appears only after this many seconds
PROGRESS_AFTER = 1.0


class UsageError(SSEModelError, ValueError):
    """Bad command-line arguments (exit code 2)."""


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that temporary files are removed."""


#: C0 and C1 control characters, bidirectional overrides and lone surrogates: escaped
#: in text shown on a terminal, so that data cannot move the cursor, retitle the window
#: or reorder what is shown
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL_BUT_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def printable(text: str, *, lines: bool = False) -> str:
    """*text* with control characters shown as escapes (``\\x1b``); newlines are kept
    when *lines* is true."""
    return (_CONTROL_BUT_NEWLINE if lines else _CONTROL).sub(_escape, text)


def _fiscal_year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or year not in FISCAL_YEARS:
        raise argparse.ArgumentTypeError(
            f"expected a year from {FISCAL_YEARS.start} to {FISCAL_YEARS.stop - 1}, "
            f"got {text[:40]!r}"
        )
    return year


def _column_list(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"expected column names separated by commas, such as name,country, got {text!r}"
        )
    return names


def _date(text: str) -> date:
    from ._checks import on_date

    try:
        return on_date(text, "--on")  # as the library reads it: ISO 8601, with a time or not
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2024-12-31, got {text!r}"
        ) from None


def _input_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "input",
        type=Path,
        help=f"{what}: CSV, TSV, JSON Lines, JSON, GeoJSON, Parquet or Excel (.xlsx), "
        "by extension (.gz allowed for text formats); '-' reads stdin (with --input-format)",
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
        metavar="MAPPING",
        help="a register mapping (TOML or JSON): your columns onto the vocabulary, value "
        "maps, lookups, placeholders, date and number formats, ignored columns; see "
        "'Bringing your own register' in the docs",
    )
    p.add_argument(
        "--finances",
        type=Path,
        default=None,
        metavar="FILE",
        help="a long table of yearly figures (one row per organisation and year), joined "
        "as the --columns mapping's [finances] table says",
    )
    p.add_argument(
        "--allow-duplicate-ids",
        action="store_true",
        help="classify every row even when an id repeats (default: later ones are rejected)",
    )


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, with its errors in the one style of the program's own:
    ``sse-model: error: ...`` on one line (exit 2)."""

    def error(self, message: str) -> Any:
        self.exit(
            EXIT_USAGE,
            f"sse-model: error: {printable(message)} (see '{self.prog} --help')\n",
        )


def _version() -> str:
    from . import __version__

    return f"sse-model {__version__}"


#: output formats by the extension of --output (``.json`` also takes murmurations)
OUTPUT_EXTENSIONS = {
    ".csv": ("csv",),
    ".parquet": ("parquet",),
    ".pq": ("parquet",),
    ".jsonl": ("jsonl",),
    ".ndjson": ("jsonl",),
    ".json": ("json", "murmurations"),
}


def _parser() -> argparse.ArgumentParser:
    p = _ArgumentParser(
        prog="sse-model",
        description="Decide, with reasons, whether organisations belong to the social and "
        "solidarity economy under a given definition.",
        epilog="Exit codes: 0 success; 1 some input rows were rejected (see --errors); "
        "2 bad arguments, unreadable input or a missing optional dependency; "
        "3 internal error (a bug; please report it); 130 interrupted (Ctrl-C); "
        "143 terminated (SIGTERM); 141 stdout closed by its reader.",
    )
    p.add_argument("--version", action="version", version=_version())
    p.add_argument(
        "--debug",
        action="store_true",
        help=f"print the traceback of an internal error (or set {DEBUG_ENV}=1)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("classify", help="classify a register of organisations")
    _input_options(c, "a register, one organisation per row")
    c.add_argument(
        "--profile",
        action="append",
        dest="profiles",
        metavar="ID",
        help="profile id, or a profile file (ending in .toml, or a path with '/' to an "
        "existing file) (repeatable; default: intl/ilo-2022); see 'sse-model profiles'",
    )
    _profile_file_option(c, repeat=True)
    c.add_argument(
        "--on",
        type=_date,
        default=None,
        help="evaluation date, ISO 8601 such as 2024-12-31 (default: today, the local date)",
    )
    c.add_argument(
        "--fiscal-year",
        type=_fiscal_year,
        default=None,
        help="fiscal year for profit-based tests (1000 to 9999)",
    )
    c.add_argument(
        "--format",
        choices=("table", "csv", "json", "jsonl", "parquet", "murmurations"),
        default=None,
        help="table: counts by profile; csv/parquet: one row per organisation and profile; "
        "json/jsonl: full results (parquet needs --output); murmurations: one Murmurations "
        "organisation profile per organisation (JSON array), verdicts as tags and, with "
        "their citations, under 'sse_model_classifications' (default: from the --output "
        "extension, .csv .parquet .jsonl .ndjson .json; otherwise table)",
    )
    c.add_argument(
        "--output",
        type=Path,
        default=None,
        help="write results here (default: stdout; '-' is stdout); its extension chooses "
        "the format unless --format is given, and must agree with --format if it is",
    )
    c.add_argument(
        "--errors", type=Path, default=None, help="write rejected rows here (JSON Lines)"
    )
    c.add_argument(
        "--keep",
        type=_column_list,
        action="extend",
        default=None,
        metavar="COL[,COL]",
        help="input columns carried into the results as text, after organisation_id "
        "(csv, parquet; json and jsonl: under 'kept'), e.g. --keep name,registration.number "
        "(repeatable); with --columns, the vocabulary names the mapping gives",
    )
    c.add_argument(
        "--by",
        type=_by_group,
        default=None,
        metavar="GROUP",
        help="with --format table: the verdicts of each profile by family (as recorded, "
        "else the one the legal form's law fixes), country or legal form; with --lang, "
        "family names in that language",
    )
    c.add_argument(
        "--no-escape-formulas",
        dest="escape_formulas",
        action="store_false",
        help="in CSV output, keep text cells starting with = + - @ tab or CR as they are "
        "(by default they get a leading ' so that a spreadsheet does not run them)",
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.add_argument(
        "--no-presumptions",
        action="store_true",
        help="classify on observed facts only (no facts presumed from the law of the legal "
        "form or status)",
    )
    c.add_argument(
        "--all-presumptions",
        action="store_true",
        help="also apply presumptions whose research has low confidence",
    )
    c.add_argument(
        "--validate",
        choices=("needed", "all"),
        default="needed",
        help="table, csv and parquet output: check the cells of the columns the profiles "
        "read (needed, the default) or of every column (all: a bad cell anywhere rejects "
        "its row); other outputs check every cell",
    )
    _assumption_options(c)
    _lang_option(c, "the summary table (--format table; other formats stay English)")

    _compare_parser(sub)
    _sweep_parser(sub)

    v = sub.add_parser("validate", help="check a register without classifying it")
    _input_options(v, "a register")
    v.add_argument(
        "--errors", type=Path, default=None, help="write rejected rows here (JSON Lines)"
    )
    v.add_argument("--quiet", action="store_true", help="no progress bar")

    e = sub.add_parser("explain", help="explain the classification of one organisation")
    _input_options(e, "a JSON file with one organisation, or a register")
    e.add_argument("--id", default=None, help="organisation id (for a register)")
    e.add_argument(
        "--profile",
        metavar="ID",
        help="profile id or profile file (as for classify); omit to use every shipped profile",
    )
    _profile_file_option(e, repeat=False)
    e.add_argument("--on", type=_date, default=None)
    e.add_argument(
        "--no-presumptions", action="store_true", help="observed facts only (no presumptions)"
    )
    e.add_argument(
        "--all-presumptions", action="store_true", help="also low-confidence presumptions"
    )
    e.add_argument(
        "--margins",
        action="store_true",
        help="with --profile: also list how far the organisation is from each threshold "
        "and the one change that would let it qualify (as sse_model.margins computes them)",
    )
    _assumption_options(e)
    _lang_option(e, "the explanation")

    pr = sub.add_parser("profiles", help="list the shipped profiles, show one, or compare")
    pr.add_argument(
        "ids",
        nargs="*",
        metavar="ID",
        help="show these profiles (or compare them): ids or profile files (as for classify)",
    )
    _profile_file_option(pr, repeat=True)
    pr.add_argument(
        "--compare",
        action="store_true",
        help="compare the profiles (all if none given): principles, criteria and thresholds",
    )
    pr.add_argument(
        "--long",
        action="store_true",
        help="with --compare: also list, per profile and principle, the criteria behind "
        "each cell of the matrix",
    )
    pr.add_argument(
        "--on",
        type=_date,
        default=None,
        help="date for --compare and for parameter values (default: today)",
    )
    _lang_option(pr, "the profiles' titles (the law's own title)")

    lf = sub.add_parser(
        "legal-forms",
        help="list the shipped legal forms, or find one by label, abbreviation or ELF code",
    )
    lf.add_argument(
        "--search",
        metavar="TEXT",
        default=None,
        help="the forms TEXT names (a name, local name, alias such as CIC, an ELF code or an "
        "id), or the closest ones",
    )
    lf.add_argument(
        "--country",
        metavar="CC",
        default=None,
        help="only forms of this country (an ISO 3166-1 code or a country name)",
    )
    _indicators_parser(sub)
    return p


def _language(text: str) -> str:
    from ._i18n import UnknownLanguage, check_language

    try:
        return check_language(text)
    except UnknownLanguage as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _lang_option(p: argparse.ArgumentParser, what: str) -> None:
    from ._i18n import LANGUAGES

    p.add_argument(
        "--lang",
        type=_language,
        default=None,
        metavar="LANG",
        help=f"{what} in this language: {', '.join(LANGUAGES)} (default en); labels "
        "with no verified local term stay English; ids stay English",
    )


def _profile_file_option(p: argparse.ArgumentParser, *, repeat: bool) -> None:
    p.add_argument(
        "--profile-file",
        action="append" if repeat else "store",
        dest="profile_files",
        type=Path,
        default=[] if repeat else None,
        metavar="FILE",
        help="a profile of your own (TOML), whatever its name"
        + (" (repeatable; may extend another given)" if repeat else ""),
    )


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


def _assumptions(
    args: argparse.Namespace, profiles: Sequence[ProfileRef], on: date
) -> Assumptions:
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


def _mapper(args: argparse.Namespace) -> Mapper | None:
    """The run's register mapping, compiled once (with the yearly figures joined), so
    that what it could not read is reported once at the end."""
    if not hasattr(args, "_mapper"):
        mapping = _mapping(args)
        if mapping is not None and mapping.finances is not None and args.finances is None:
            raise UsageError(
                "the --columns mapping has a [finances] table: give the yearly figures "
                "with --finances FILE"
            )
        args._mapper = None if mapping is None else mapper_of(mapping, args.finances)
    return args._mapper  # type: ignore[no-any-return]


def _mapping_report(args: argparse.Namespace, err: TextIO) -> None:
    """Labels the mapping could not read, once each with their rows and close matches,
    and ids of the yearly figures no organisation has."""
    mapper: Mapper | None = getattr(args, "_mapper", None)
    if mapper is None:
        return
    unmatched = mapper.unmatched()
    if unmatched:
        rows = sum(k for _, _, k, _ in unmatched)
        err.write(
            f"mapping: {len(unmatched)} distinct cell(s) in {rows} row(s) could not be read "
            "(map them in the mapping's values, or mark them unknown):\n"
        )
        for column, text, k, near in unmatched[:SHOWN_REJECTED]:
            hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
            err.write(
                f"  {printable(column)}: {printable(text)!r} ({k} row(s)){printable(hint)}\n"
            )
        if len(unmatched) > SHOWN_REJECTED:
            err.write(f"  ... {len(unmatched) - SHOWN_REJECTED} more\n")
    if mapper.yearly is not None:
        lost = mapper.yearly.not_joined()
        if lost:
            n = sum(len(r) for r in lost.values())
            shown = ", ".join(printable(i) for i in list(lost)[:5])
            more = ", ..." if len(lost) > 5 else ""
            err.write(
                f"{printable(mapper.yearly.source)}: {n} row(s) of {len(lost)} id(s) match no "
                f"organisation of the register ({shown}{more})\n"
            )


def _mapping(args: argparse.Namespace, *, yearly: bool = True) -> RegisterMapping | None:
    """--columns FILE, then --map THEIRS=OURS (which wins); ``None`` if neither.

    Without *yearly*, the mapping's ``finances`` table is left out (to check the
    organisations file alone)."""
    path: Path | None = getattr(args, "columns", None)
    maps = getattr(args, "map", None) or ()
    if path is None and not maps:
        if getattr(args, "finances", None) is not None:
            raise UsageError("--finances needs --columns MAPPING (with a [finances] table)")
        return None
    try:
        mapping = load_mapping(path) if path is not None else RegisterMapping()
    except FileNotFoundError:
        raise UsageError(f"no such column mapping file: {path}") from None
    except OSError as e:
        raise UsageError(f"cannot read column mapping file {path}: {e.strerror or e}") from None
    added: dict[str, ColumnRule] = {}
    for spec in maps:
        theirs, _, ours = spec.partition("=")
        if not ours.strip() or not theirs.strip():
            raise UsageError(f"expected --map THEIR_COLUMN=our.path, got {spec!r}")
        added[theirs.strip()] = ColumnRule(to=ours.strip())
    if added:
        mapping = validated(attrs.evolve(mapping, columns={**mapping.columns, **added}), "--map")
    if not yearly:
        mapping = attrs.evolve(mapping, finances=None)
    return mapping


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


def _read_input(
    args: argparse.Namespace, *, yearly: bool = True
) -> Iterator[Organisation | RejectedRow]:
    """Step 1: organisations and rejected rows from the register, in any format
    (without *yearly*: without the long table of yearly figures)."""
    fmt = args.input_format
    sheet: str | int | None = args.sheet
    return read_register(
        args.input,
        format="jsonl" if fmt == "ndjson" else fmt,
        encoding=args.encoding,
        delimiter=_delimiter(args.delimiter),
        columns=_mapper(args) if yearly else _mapping(args, yearly=False),
        currency=args.currency,
        sheet=sheet,
        unique_ids=not args.allow_duplicate_ids,
    )


# --- counting, rejected rows, progress -------------------------------------------------


@attrs.define
class _Tally:
    """What the run has seen: counts, verdicts, facts to collect, rejected rows."""

    errors_file: IO[str] | None = None
    valid: int = 0
    rejected: int = 0
    shown: list[RejectedRow] = attrs.Factory(list)
    verdicts: Counter[tuple[str, Verdict]] = attrs.Factory(Counter)
    missing: Counter[str] = attrs.Factory(Counter)
    #: verdicts per profile that rest on legal presumptions
    presumed: Counter[str] = attrs.Factory(Counter)
    #: organisations classified by the columnar (fast) lane; the others took the exact one
    fast: int = 0
    #: --by: the input column the verdicts are also counted by, and the counts per
    #: (profile, group, verdict); the group is None where it is not recorded
    by: str | None = None
    groups: Counter[tuple[str, str | None, Verdict]] = attrs.Factory(Counter)

    def reject(self, row: RejectedRow) -> None:
        self.rejected += 1
        if self.errors_file is not None:
            self.errors_file.write(json.dumps(rejected_record(row), ensure_ascii=False) + "\n")
        elif len(self.shown) < SHOWN_REJECTED:
            self.shown.append(row)

    def count(self, r: Classification) -> None:
        self.verdicts[r.profile_id, r.verdict] += 1
        if r.rests_on_presumptions:
            self.presumed[r.profile_id] += 1
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


def _check_profiles(profiles: Sequence[ProfileRef]) -> None:
    for p in profiles:
        if not isinstance(p, str):
            continue
        try:
            load_profile(p)
        except UnknownProfile as e:
            close = difflib.get_close_matches(p, e.known, n=3, cutoff=0.5)
            if close:
                hint = f"did you mean {' or '.join(repr(c) for c in close)}?"
            else:
                hint = f"known profiles: {', '.join(e.known)}"
            raise UsageError(
                f"unknown profile {p!r}; {hint} (run 'sse-model profiles' to list them, or "
                "give a profile file as ./FILE.toml or with --profile-file)"
            ) from None


def is_profile_path(spec: str) -> bool:
    """Whether a --profile value names a profile file rather than a shipped id: it ends
    in ``.toml``, or it has a ``/`` and is an existing file (``intl/ilo-2022`` is an
    id unless such a file exists)."""
    return spec.lower().endswith(".toml") or ("/" in spec and os.path.isfile(spec))


def _resolve_profiles(specs: Sequence[str], files: Sequence[Path] = ()) -> list[ProfileRef]:
    """Shipped ids as they are, and profile files (by path, or --profile-file) loaded,
    each able to extend the others given (by the id it declares) or a shipped one.
    Unknown ids and unreadable files are usage errors, before any input is read."""
    paths = [Path(s) for s in specs if is_profile_path(s)] + list(files)
    for path in paths:
        if not path.is_file():
            what = "no such profile file" if not path.exists() else "not a profile file"
            raise UsageError(f"{what}: {printable(str(path))}")
    loaded: dict[Path, Profile] = {}
    for path in paths:
        from ._engine._reform import load_profile_file  # only for profile files

        others = [b for b in paths if b != path]
        loaded[path] = load_profile_file(path, bases=others)
    refs: list[ProfileRef] = [loaded[Path(s)] if is_profile_path(s) else s for s in specs] + [
        loaded[f] for f in files
    ]
    _check_profiles(refs)
    return refs


def _profile_id(p: ProfileRef) -> str:
    return p if isinstance(p, str) else p.id


def _classify_rows(
    items: Iterable[Organisation | RejectedRow],
    profiles: Sequence[ProfileRef],
    on: date,
    fiscal_year: int | None,
    tally: _Tally,
    presumptions: Presumptions = True,
    assumptions: Assumptions | None = None,
) -> Iterator[Classification]:
    """Step 2: each organisation under each profile; rejected rows go to the tally."""
    classifier = Classifier(presumptions=presumptions, assumptions=assumptions or Assumptions())
    for org in items:
        if isinstance(org, RejectedRow):
            tally.reject(org)
            continue
        tally.valid += 1
        group = _group(org, tally.by) if tally.by else None
        for p in profiles:
            r = classifier.classify(org, p, on=on, fiscal_year=fiscal_year)
            tally.count(r)
            if tally.by:
                tally.groups[r.profile_id, group, r.verdict] += 1
            yield r


def _group(org: Organisation, by: str) -> str | None:
    from ._lab import group_of

    return group_of(org, by)


def _by_group(text: str) -> str:
    """--by: one of the groups the policy lab counts by (read when given)."""
    from ._lab import GROUPS

    if text not in GROUPS:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(GROUPS)}, got {text!r}")
    return text


def _tally_groups(tally: _Tally, table: Any) -> None:
    """Count a columnar result's verdicts per (profile, --by group)."""
    if table.num_rows == 0 or tally.by is None:
        return
    from ._lab import group_column

    group = group_column(table, tally.by)
    profiles = table.column("profile_id").cast("string").to_pylist()
    verdicts = table.column("verdict").cast("string").to_pylist()
    for p, g, v in zip(profiles, group.to_pylist(), verdicts, strict=True):
        tally.groups[p, g, Verdict(v)] += 1


def _groups_summary(
    tally: _Tally, profiles: Sequence[str], out: IO[str], lang: str | None = None
) -> None:
    """The --by table: each profile's verdicts per group (families named in *lang*)."""
    from ._i18n import family_label, heading, number_text
    from ._model import EntityFamily

    h = functools.partial(heading, lang=lang)

    def label(g: str | None) -> str:
        if g is None:
            return "(not recorded)"
        if tally.by == "family":
            try:
                return family_label(EntityFamily(g), lang)
            except ValueError:
                return g
        return g

    groups = sorted({g for (_, g, _) in tally.groups}, key=lambda g: (g is None, g or ""))
    names = {g: printable(label(g)) for g in groups}
    width = max([len(p) for p in profiles] + [len(n) for n in names.values()]) + 2
    title = tally.by.replace("_", " ") if tally.by else ""
    out.write(f"\nBy {title}:\n")
    out.write(
        f"{h('profile'):<{width}}{h('qualifies'):>10}{h('does not'):>10}"
        f"{h('undetermined'):>14}{h('total'):>8}\n"
    )
    for p in profiles:
        out.write(f"{p}\n")
        for g in groups:
            counts = [tally.groups[p, g, v] for v in Verdict]
            if not any(counts):
                continue
            q, d, u = (number_text(n, lang) for n in counts)
            total = number_text(sum(counts), lang)
            out.write(f"  {names[g]:<{width - 2}}{q:>10}{d:>10}{u:>14}{total:>8}\n")


# --- writing ---------------------------------------------------------------------------


def _write_output(
    results: Iterable[Classification],
    args: argparse.Namespace,
    profiles: Sequence[ProfileRef],
    on: date,
    tally: _Tally,
    out: TextIO,
    organisations: Mapping[str, Organisation] | None = None,
) -> None:
    """Step 3: results in the chosen format, to --output or stdout."""
    if args.format == "parquet":
        write_results(
            results, args.output, format="parquet", criteria=criterion_columns(profiles, on)
        )
        return
    with atomic_output(args.output) if args.output else contextlib.nullcontext(out) as target:
        if args.format == "table":
            for _ in results:
                pass
            _write_summary(
                tally, profiles, on, target, _assumptions(args, profiles, on), args.lang
            )
        elif args.format == "csv":
            write_results(
                results,
                target,
                format="csv",
                criteria=criterion_columns(profiles, on),
                escape_formulas=args.escape_formulas,
            )
        elif args.format == "murmurations":
            from ._io._murmurations import _dump, to_murmurations

            _dump(to_murmurations(list(results), organisations), target)
        elif args.format == "json":
            first = True  # "[" only once a result is ready: an early error leaves stdout empty
            for r in results:
                doc = _with_kept(unstructure(r), args.keep, organisations)
                target.write(("[" if first else ", ") + json.dumps(doc, **_JSON))
                first = False
            target.write("[]\n" if first else "]\n")
        elif args.keep:
            for r in results:
                doc = _with_kept(unstructure(r), args.keep, organisations)
                target.write(json.dumps(doc, **_JSON) + "\n")
        else:
            for r in results:
                target.write(to_json(r) + "\n")


def _write_summary(
    tally: _Tally,
    profiles: Sequence[ProfileRef],
    on: date,
    target: IO[str],
    assumptions: Assumptions | None = None,
    lang: str | None = None,
) -> None:
    from ._i18n import date_text, heading, number_text

    today = " (today)" if on == date.today() else ""  # the default date, when not given
    target.write(
        heading(
            "Classified {count} organisations on {date}.",
            lang,
            count=number_text(tally.valid, lang),
            date=date_text(on, lang) + today,
        )
        + "\n"
    )
    adopted = assumptions.describe() if assumptions is not None else ""
    if adopted:
        target.write(f"Assumptions adopted: {printable(adopted)}.\n")
    target.write("\n")
    ids = [_profile_id(p) for p in profiles]
    if _is_terminal(target) and _rich_available():
        _summary_rich(tally, ids, target, lang)
    else:
        _summary(tally, ids, target, lang)
    if tally.by:
        _groups_summary(tally, ids, target, lang)
    laws = _law_titles(profiles, lang)
    if laws:
        target.write("\n" + "".join(f"  {pid}: {printable(t)}\n" for pid, t in laws))


def _law_titles(profiles: Sequence[ProfileRef], lang: str | None) -> list[tuple[str, str]]:
    """The profiles whose law has its own title in *lang*, with that title."""
    from ._i18n import profile_title

    out = []
    for ref in profiles:
        p = ref if isinstance(ref, Profile) else load_profile(ref)
        title = profile_title(p, lang)
        if title != p.title:
            out.append((p.id, title))
    return out


_JSON: dict[str, Any] = {"ensure_ascii": False, "sort_keys": True}


def _summary(
    tally: _Tally, profiles: Sequence[str], out: IO[str], lang: str | None = None
) -> None:
    from ._i18n import heading, number_text

    h = functools.partial(heading, lang=lang)
    width = max(len(p) for p in profiles) + 2
    out.write(
        f"{h('profile'):<{width}}{h('qualifies'):>10}{h('does not'):>10}"
        f"{h('undetermined'):>14}{h('total'):>8}\n"
    )
    for p in profiles:
        q, d, u = (number_text(tally.verdicts[p, v], lang) for v in Verdict)
        total = number_text(sum(tally.verdicts[p, v] for v in Verdict), lang)
        out.write(f"{p:<{width}}{q:>10}{d:>10}{u:>14}{total:>8}\n")
    out.write(_presumed_line(tally, profiles))
    out.write(_lanes_line(tally, lang) + "\n")
    if tally.missing:
        out.write(
            "\n"
            + h(
                "Facts to collect (verdicts in which this fact is missing and can still "
                "change the verdict):"
            )
            + "\n"
        )
        for path, n in tally.missing.most_common(5):
            out.write(f"  {printable(path):<45} {number_text(n, lang):>6} {h('verdicts')}\n")


def _presumptions(args: argparse.Namespace) -> Presumptions:
    if args.no_presumptions and args.all_presumptions:
        raise UsageError("expected at most one of --no-presumptions and --all-presumptions")
    return False if args.no_presumptions else "all" if args.all_presumptions else True


def _presumed_line(tally: _Tally, profiles: Sequence[str]) -> str:
    """How many verdicts rest on legal presumptions (observed facts alone leave them
    undetermined), per profile."""
    total = sum(tally.presumed[p] for p in profiles)
    if not total:
        return "\nNo verdict rests on legal presumptions.\n"
    parts = ", ".join(f"{p} {tally.presumed[p]}" for p in profiles if tally.presumed[p])
    return f"\nVerdicts resting on legal presumptions: {total} ({parts})\n"


def _lanes_line(tally: _Tally, lang: str | None = None) -> str:
    """How many organisations the fast (columnar) lane classified, and how many the exact
    lane (rows the columnar lane hands over, or every row when it does not run)."""
    from ._i18n import number_text

    fast, valid, exact = (
        number_text(n, lang) for n in (tally.fast, tally.valid, tally.valid - tally.fast)
    )
    return f"Fast (columnar) lane: {fast} of {valid} organisations; exact lane: {exact}."


def _summary_rich(
    tally: _Tally, profiles: Sequence[str], out: IO[str], lang: str | None = None
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ._i18n import heading, number_text

    h = functools.partial(heading, lang=lang)
    table = Table(title="Verdicts by profile")
    table.add_column(h("profile"))
    for name, style in (("qualifies", "green"), ("does not", "red"), ("undetermined", "yellow")):
        table.add_column(h(name), justify="right", style=style)
    table.add_column(h("total"), justify="right")
    num = functools.partial(number_text, lang=lang)
    for p in profiles:
        q, d, u = (tally.verdicts[p, v] for v in Verdict)
        table.add_row(p, num(q), num(d), num(u), num(q + d + u))
    console = Console(file=out)
    console.print(table)
    console.print(_presumed_line(tally, profiles).strip(), markup=False)
    console.print(_lanes_line(tally, lang), markup=False)
    if tally.missing:
        facts = Table(
            title="Facts to collect (verdicts in which this fact is missing and can still "
            "change the verdict)"
        )
        facts.add_column("fact")
        facts.add_column("verdicts in which it is missing", justify="right")
        for path, n in tally.missing.most_common(5):
            facts.add_row(Text(printable(path)), num(n))  # Text: no markup read from data
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
        err.write(f"Rejected rows written to {printable(str(errors))}.\n")
    else:
        _list_rejected(tally.shown, err)
        if tally.rejected > len(tally.shown):
            more = tally.rejected - len(tally.shown)
            err.write(f"  ... {more} more; use --errors FILE to keep them all.\n")
    return EXIT_REJECTED


def _list_rejected(rows: Iterable[RejectedRow], err: TextIO) -> None:
    for row in rows:
        for e in row.errors:
            err.write(
                f"  row {row.number}: {printable(e.path or '(row)')}: {printable(e.message)}\n"
            )


def _run(args: argparse.Namespace, err: TextIO, body: Any) -> int:
    """Open --errors, run *body(tally)*, report the counts. The errors file appears
    only if *body* completes."""
    errors: Path | None = args.errors
    with AtomicOutput(errors) if errors else contextlib.nullcontext() as f:
        tally = _Tally(errors_file=f.file if f is not None else None, by=getattr(args, "by", None))
        body(tally)
    _mapping_report(args, err)
    return _report(tally, errors, err, "classified" if args.command == "classify" else "valid")


def _columnar(args: argparse.Namespace, fmt: str | None) -> bool:
    """Whether the columnar path reads this register (it opens the input twice)."""
    return (
        args.format in ("table", "csv", "parquet")
        and args.sheet is None
        and fmt in ("csv", "tsv", "parquet")
    )


def _columnar_input(args: argparse.Namespace) -> str | None:
    """The format of a register the columnar path reads (every file format: CSV, TSV,
    Parquet, JSON Lines, JSON, Excel), else None."""
    if args.format not in ("table", "csv", "parquet"):
        return None
    try:
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return None
    fmt = args.input_format or format_of(args.input)
    fmt = "jsonl" if fmt == "ndjson" else fmt
    if fmt in ("csv", "tsv", "parquet") and args.sheet is None:
        return fmt
    return fmt if fmt in _RECORD_FORMATS else None


#: formats the columnar path reads through the record batches (one reader, no pre-read)
_RECORD_FORMATS = ("jsonl", "json", "geojson", "xlsx")


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
    profiles: Sequence[ProfileRef],
    on: date,
    tally: _Tally,
    out: TextIO,
    err: TextIO,
    progress: bool,
) -> None:
    """Classify a register in columns (same results, much faster)."""
    from ._io._batch import RegisterClassifier, ResultWriter, stream_file

    if fmt not in _RECORD_FORMATS:
        # file-level problems (encoding, delimiter, header) raise as the row reader
        # raises them (JSON and Excel are read by the row reader's own functions)
        next(iter(_read_input(args, yearly=False)), None)
    by = getattr(args, "by", None)
    grouped: tuple[str, ...] = ()
    if by:
        from ._lab import group_columns

        grouped = group_columns(by)
    rc = RegisterClassifier(
        profiles,
        on=on,
        fiscal_year=args.fiscal_year,
        currency=args.currency,
        columns=_mapper(args),
        unique_ids=not args.allow_duplicate_ids,
        presumptions=_presumptions(args),
        assumptions=_assumptions(args, profiles, on),
        validate=args.validate,
        keep=args.keep or grouped,
    )
    rc._absent_kept_unknown = bool(by)  # a --by column the input lacks: not recorded
    results = stream_file(
        rc,
        args.input,
        format=fmt,
        delimiter=_delimiter(args.delimiter),
        encoding=args.encoding,
        sheet=args.sheet,
    )
    if progress:
        results = _batch_progress(results, err)
    writer: ResultWriter | None = None
    if args.format in ("csv", "parquet"):
        target = args.output if args.output else out
        writer = ResultWriter(
            target, format=args.format, row=False, escape_formulas=args.escape_formulas
        )
    # on an exception, no file is left (Parquet: no footer written)
    with writer if writer is not None else contextlib.nullcontext():
        for result in results:
            for row in result.rejected:
                tally.reject(row)
            tally.valid += result.summary.classified
            tally.fast += result.summary.fast
            _tally_table(tally, result.table)
            if tally.by:
                _tally_groups(tally, result.table)
            if writer is not None:
                writer.write(result.table)
        if writer is not None and writer.empty:
            writer.write(rc.classify_table(_empty_table()).table)
    if args.format == "table":
        with atomic_output(args.output) if args.output else contextlib.nullcontext(out) as t:
            _write_summary(tally, profiles, on, t, _assumptions(args, profiles, on), args.lang)


def _empty_table() -> Any:
    import pyarrow as pa

    return pa.table({"id": pa.array([], pa.string())})


def _tally_table(tally: _Tally, table: Any) -> None:
    """Count verdicts per profile and facts to collect, as _Tally.count does per result."""
    import pyarrow.compute as pc

    from ._io._arrow import scalar

    if table.num_rows == 0:
        return
    pairs = pc.binary_join_element_wise(  # a scalar of ours: pyarrow's would import pandas
        table.column("profile_id").cast("string"),
        table.column("verdict").cast("string"),
        scalar("\0"),
    )
    for item in pc.value_counts(pairs).to_pylist():
        profile, verdict = item["values"].split("\0")
        tally.verdicts[profile, Verdict(verdict)] += item["counts"]
    rests = pc.filter(
        table.column("profile_id").cast("string"), table.column("rests_on_presumptions")
    )
    for item in pc.value_counts(rests).to_pylist():
        tally.presumed[item["values"]] += item["counts"]
    paths = pc.list_flatten(table.column("missing_facts"))
    for item in pc.value_counts(paths).to_pylist():
        path = item["values"]
        key = path.split("[")[0] + (path.split("]", 1)[1] if "]" in path else "")
        tally.missing[key] += item["counts"]


def _check_in_force(profiles: Sequence[ProfileRef], on: date) -> None:
    """Every profile has a version in force on *on* (NoVersionInForce otherwise)."""
    classifier = Classifier()
    for p in profiles:
        classifier.plan(p, on)


def _check_options(args: argparse.Namespace) -> None:
    """Options that would fail only once rows are read: checked before any file is opened."""
    if args.currency is not None:
        from ._model._units import currency_codes

        if args.currency.strip().upper() not in currency_codes():
            raise UsageError(
                f"expected an ISO 4217 currency code such as 'VND' or 'EUR' for --currency, "
                f"got {args.currency[:40]!r}"
            )
    _delimiter(args.delimiter)
    try:
        info = codecs.lookup(args.encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UsageError(
            f"expected a text encoding such as 'utf-8' or 'cp1252' for --encoding, "
            f"got {args.encoding[:40]!r}"
        )


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse an --output or --errors that is the input, or both one file."""
    source = "/dev/stdin" if _is_stdin(args.input) else args.input
    if _is_stdin(args.input) and not os.path.exists(source):
        source = os.devnull  # no path names stdin here: nothing to compare
    try:
        refuse_same_file(
            source,
            **{
                "--output": getattr(args, "output", None),
                "--errors": getattr(args, "errors", None),
            },
        )
    except UnreadableInput as e:
        raise UsageError(e.problem) from None


def _is_stdin(path: Path) -> bool:
    return str(path) == "-"


def _seekable_input(
    args: argparse.Namespace, stack: contextlib.ExitStack, needs_seek: bool
) -> None:
    """Make *args.input* a file that can be read more than once: stdin ('-') always, and
    a pipe, FIFO or device when the lane reads twice or seeks, is copied once to a
    temporary file (removed at the end), so that no row is lost to a second reading."""
    if _is_stdin(args.input):
        if args.input_format is None:
            raise UsageError("reading a register from stdin ('-') needs --input-format")
        args.input = _spool(sys.stdin.buffer, "stdin", f".{args.input_format}", stack)
        return
    try:
        mode = os.stat(args.input).st_mode
    except OSError:
        return  # the reader reports a missing file
    if needs_seek and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        suffix = "".join(args.input.suffixes)[-20:]
        with open(args.input, "rb") as f:
            args.input = _spool(f, "pipe", suffix, stack)


def _spool(source: Any, what: str, suffix: str, stack: contextlib.ExitStack) -> Path:
    """Copy a stream to a temporary file (named after *what*, ending in *suffix*; in
    ``.gz`` too when the stream is gzip data, so that it is read decompressed)."""
    head = source.read(2)
    if head == b"\x1f\x8b" and not suffix.lower().endswith(".gz"):
        suffix += ".gz"
    fd, name = tempfile.mkstemp(prefix=f"sse-model-copy-of-{what}-", suffix=suffix)
    stack.callback(_remove, name)
    with os.fdopen(fd, "wb") as f:
        f.write(head)
        shutil.copyfileobj(source, f, 1 << 20)
    return Path(name)


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _output_format(args: argparse.Namespace) -> None:
    """Settle ``args.format`` from --format and the --output extension (``-`` is stdout):
    the extension chooses when --format is not given, and a --format it contradicts is a
    usage error (a text table in ``results.csv`` is never what was meant)."""
    if args.output is not None and _is_stdin(args.output):
        args.output = None
    suffix = args.output.suffix.lower() if args.output is not None else ""
    if suffix == ".gz" and args.output is not None:
        inner = Path(args.output.stem).suffix.lower()
        if inner in OUTPUT_EXTENSIONS:
            raise UsageError(
                f"--output {printable(str(args.output))}: compressed output is not written; "
                f"write {printable(args.output.stem)} and compress it afterwards"
            )
    fits = OUTPUT_EXTENSIONS.get(suffix)
    if args.format is None:
        args.format = fits[0] if fits else "table"
    elif fits is not None and args.format not in fits:
        _check_outputs(args)  # an output that is the input is the graver mistake
        raise UsageError(
            f"--format {args.format} does not match --output {printable(str(args.output))} "
            f"(a {suffix} file holds {' or '.join(fits)}); drop --format to write "
            f"{fits[0]}, or give a file name that does not end in {suffix}"
        )


def _classify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _output_format(args)
    if args.lang not in (None, "en") and args.format != "table":
        raise UsageError(
            f"--lang goes with --format table; {args.format} output stays English "
            "(identifiers and machine formats are never translated)"
        )
    files = args.profile_files
    profiles = _resolve_profiles(args.profiles or ([] if files else ["intl/ilo-2022"]), files)
    if args.format == "parquet" and args.output is None:
        raise UsageError("--format parquet writes a binary file: give it with --output FILE")
    on = args.on or date.today()
    _check_in_force(profiles, on)
    _check_options(args)
    _check_keep(args)
    _check_outputs(args)
    with contextlib.ExitStack() as stack:
        fmt = None if _is_stdin(args.input) and args.input_format is None else _input_format(args)
        _seekable_input(args, stack, needs_seek=_columnar(args, fmt) or fmt in _SEEKING)
        return _classify_input(args, profiles, on, out, err)


def _check_keep(args: argparse.Namespace) -> None:
    """--keep names columns to carry into rows of results: refused where there are none;
    --by counts the summary table by a group: refused where there is no such table."""
    if getattr(args, "by", None) and args.format != "table":
        raise UsageError(
            f"--by counts the verdicts of the summary table (--format table); "
            f"--format {args.format} writes one row per result: group those by hand"
        )
    if not args.keep:
        return
    from ._io._batch import _kept_names

    _kept_names(args.keep)  # not a result column, not twice
    if args.format in ("table", "murmurations"):
        raise UsageError(
            f"--keep carries input columns into rows of results (csv, parquet, json, jsonl); "
            f"--format {args.format} writes none"
        )
    if args.format not in ("json", "jsonl") and _columnar_input(args) is None:
        raise UsageError(f"--keep with --format {args.format} needs pyarrow and numpy")
    from ._io._flat import unknown_columns

    unknown = unknown_columns(args.keep)
    if unknown:  # the reader refuses any other column (--columns can ignore them)
        raise UsageError(
            f"--keep names columns of the vocabulary (the input's, after --map; with "
            f"--columns, the names the mapping gives), got {', '.join(map(repr, unknown))}"
        )


#: formats whose readers seek in the file (GeoJSON: open it twice, to tell its form)
_SEEKING = ("parquet", "xlsx", "geojson")


def _input_format(args: argparse.Namespace) -> str:
    fmt: str = args.input_format or format_of(args.input)
    return "jsonl" if fmt == "ndjson" else fmt


def _classify_input(
    args: argparse.Namespace, profiles: Sequence[ProfileRef], on: date, out: TextIO, err: TextIO
) -> int:
    fmt = _columnar_input(args)
    if fmt is not None:
        progress = progress_enabled(err, args.quiet)

        def columnar(tally: _Tally) -> None:
            assert fmt is not None
            _classify_columnar(args, fmt, profiles, on, tally, out, err, progress)

        return _run(args, err, columnar)
    items = _progress(_read_input(args), err, progress_enabled(err, args.quiet))
    kept: dict[str, Organisation] = {}  # names and countries, for Murmurations profiles
    if args.format == "murmurations" or args.keep:
        items = _keeping(items, kept)

    def body(tally: _Tally) -> None:
        results = _classify_rows(
            items,
            profiles,
            on,
            args.fiscal_year,
            tally,
            _presumptions(args),
            _assumptions(args, profiles, on),
        )
        _write_output(results, args, profiles, on, tally, out, kept)

    return _run(args, err, body)


def _with_kept(
    doc: dict[str, Any],
    keep: Sequence[str] | None,
    organisations: Mapping[str, Organisation] | None,
) -> dict[str, Any]:
    """A result's JSON document with the --keep columns of its organisation under
    ``kept`` (as text, ``null`` for an unknown fact), as the flat vocabulary writes them."""
    if not keep or organisations is None:
        return doc
    from ._io._writers import _flatten

    flat: dict[str, str] = {}
    org = organisations.get(doc["organisation_id"])
    if org is not None:
        _flatten(unstructure(org), "", flat)
    return {**doc, "kept": {k: flat.get(k) for k in keep}}


def _keeping(
    items: Iterable[Organisation | RejectedRow], kept: dict[str, Organisation]
) -> Iterator[Organisation | RejectedRow]:
    """*items*, each organisation also kept by id (the first of an id repeated)."""
    for item in items:
        if isinstance(item, Organisation):
            kept.setdefault(item.id, item)
        yield item


def _validate(args: argparse.Namespace, err: TextIO) -> int:
    _check_options(args)
    _check_outputs(args)
    with contextlib.ExitStack() as stack:
        fmt = None if _is_stdin(args.input) and args.input_format is None else _input_format(args)
        _seekable_input(args, stack, needs_seek=fmt in _SEEKING)
        items = _progress(_read_input(args), err, progress_enabled(err, args.quiet))

        def body(tally: _Tally) -> None:
            for item in items:
                if isinstance(item, RejectedRow):
                    tally.reject(item)
                else:
                    tally.valid += 1

        return _run(args, err, body)


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _check_options(args)
    if args.profile is not None and args.profile_files is not None:
        raise UsageError("expected one of --profile and --profile-file, not both")
    if args.margins and args.profile is None and args.profile_files is None:
        raise UsageError("--margins goes with --profile (the margins are one profile's)")
    if args.profile is not None or args.profile_files is not None:
        specs = [args.profile] if args.profile is not None else []
        files = [args.profile_files] if args.profile_files is not None else []
        args.profile = _resolve_profiles(specs, files)[0]
        _check_in_force([args.profile], args.on or date.today())
    with contextlib.ExitStack() as stack:
        fmt = None if _is_stdin(args.input) and args.input_format is None else _input_format(args)
        _seekable_input(args, stack, needs_seek=fmt in _SEEKING)
        return _explain_input(args, out, err)


def _explain_input(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    orgs: list[Organisation] = []
    rejected: list[RejectedRow] = []
    for item in _read_input(args):
        if isinstance(item, RejectedRow):
            if args.id is None or item.id == args.id:
                rejected.append(item)
        elif args.id is None or item.id == args.id:
            orgs.append(item)
    if not orgs and rejected:
        err.write(
            f"sse-model: error: cannot read an organisation from {printable(str(args.input))}:\n"
        )
        _list_rejected(rejected[:SHOWN_REJECTED], err)
        return EXIT_REJECTED
    if len(orgs) != 1:
        raise UsageError(
            f"expected exactly one organisation (use --id); found {len(orgs)}"
            + (f" with id {printable(args.id)!r}" if args.id is not None else "")
        )
    org = orgs[0]
    on = args.on or date.today()
    if args.profile is None:
        a = _assumptions(args, profile_ids(), on)
        classifier = Classifier(presumptions=_presumptions(args), assumptions=a)
        from ._engine._compare import classify_under_all

        text = classify_under_all(org, on=on, classifier=classifier).to_text(args.lang)
    else:
        a = _assumptions(args, [args.profile], on)
        classifier = Classifier(presumptions=_presumptions(args), assumptions=a)
        result = classifier.classify(org, args.profile, on=on)
        found = None
        if args.margins:
            from ._lab import margins

            found = margins(
                org, args.profile, on=on, presumptions=_presumptions(args), assumptions=a
            )
        text = _with_decision(
            result.explain(args.lang, margins=found),
            decision_lines(result, classifier.plan(args.profile, on)),
        )
    if printable(org.id) != org.id:  # a newline in the id must not start a line of its own
        text = text.replace(org.id, printable(org.id))
    out.write(printable(text, lines=True) + "\n")
    return EXIT_OK


def _with_decision(text: str, decision: Sequence[str]) -> str:
    """The explanation with the decision logic after its heading (the verdict and, if
    any, the assumptions adopted), before the criteria."""
    if not decision:
        return text
    head, sep, rest = text.partition("\n\n")
    return head + "\n\n" + "\n".join(decision) + ("\n" + rest if sep else "")


_CODE_WORD = {0: "NOT MET", 1: "unknown", 2: "met", 3: "n/a"}


def decision_lines(result: Classification, plan: Any) -> list[str]:
    """How the profile's decision combines the criteria, each node with its outcome for
    this organisation, saying which route of an any-of (or at-least) made it qualify and
    that the routes not taken were not needed; empty when the decision is only "all of
    these criteria" (the list of criteria says it all)."""
    from ._engine import _ast as ast
    from ._engine._evaluate import _eval
    from ._engine._result import MET, NOT_MET, OUTCOMES

    decision = plan.segment(result.fiscal_year).decision
    outcomes = {r.id: OUTCOMES.index(r.outcome) for r in result.criteria}

    def plain(node: Any) -> bool:
        return isinstance(node, ast.Ref) or (
            isinstance(node, ast.All) and all(isinstance(i, ast.Ref) for i in node.items)
        )

    if plain(decision):
        return []
    lines = ["  Decision logic (how the criteria combine into the verdict):"]

    def code(node: Any) -> int:
        try:
            return _eval(node, {}, outcomes)
        except KeyError:  # a criterion the result does not list: nothing known of it
            return 1

    def walk(node: Any, depth: int, note: str = "") -> None:
        pad = "    " + "  " * depth
        c = code(node)
        mark = f"[{_CODE_WORD[c]}]"
        if isinstance(node, ast.Ref):
            lines.append(f"{pad}{mark:<10} {node.id}{note}")
        elif isinstance(node, ast.Const):
            lines.append(f"{pad}{mark:<10} always {node.value.name.lower()}{note}")
        elif isinstance(node, ast.Not):
            lines.append(f"{pad}{mark:<10} not:{note}")
            walk(node.item, depth + 1)
        elif isinstance(node, ast.All):
            lines.append(f"{pad}{mark:<10} all of:{note}")
            for item in node.items:
                walk(item, depth + 1)
        elif isinstance(node, ast.Any_ | ast.AtLeast):
            k = 1 if isinstance(node, ast.Any_) else node.k
            head = "any of" if isinstance(node, ast.Any_) else f"at least {k} of"
            taken = [i for i in node.items if code(i) == MET]
            if c == MET:
                routes = ", ".join(_route_name(i) for i in taken)
                head += f" (met through {routes})"
            elif c == NOT_MET:
                head += " (no route met)"
            lines.append(f"{pad}{mark:<10} {head}:{note}")
            for item in node.items:
                ic = code(item)
                if c == MET and ic == MET:
                    walk(item, depth + 1, "  <- a route that qualifies")
                elif c == MET:
                    walk(item, depth + 1, "  (another route; not needed)")
                else:
                    walk(item, depth + 1)
        elif isinstance(node, ast.Cases):
            lines.append(f"{pad}{mark:<10} the first case that holds:{note}")
            settled = False
            for case in node.cases:
                when = code(case.when)
                applies = not settled and when == MET
                settled = settled or when == MET
                walk(case.when, depth + 1, "  <- this case applies" if applies else "")
                walk(case.then, depth + 2)
            otherwise = (
                " (applies)"
                if not settled
                and all(code(x.when) == NOT_MET or code(x.when) == 3 for x in node.cases)
                else ""
            )
            lines.append(f"{pad}  otherwise{otherwise}:")
            walk(node.otherwise, depth + 2)
        else:  # pragma: no cover - a node kind added later
            lines.append(f"{pad}{mark:<10} {node!r}{note}")

    walk(decision, 0)
    return [*lines, ""]


def _route_name(node: Any) -> str:
    from ._engine import _ast as ast

    return node.id if isinstance(node, ast.Ref) else type(node).__name__.strip("_").lower()


def _profiles(args: argparse.Namespace, out: TextIO) -> int:
    from ._i18n import heading, profile_title

    rich = _is_terminal(out) and _rich_available()
    refs = _resolve_profiles(args.ids, args.profile_files)
    on = args.on or date.today()
    if args.compare:
        text = _comparison(refs or None, on, long=args.long)
        if rich:
            from rich.console import Console
            from rich.markdown import Markdown

            Console(file=out).print(Markdown(text))
        else:
            out.write(text)
        return EXIT_OK
    if args.long:
        raise UsageError("--long goes with --compare")
    if not refs:
        if rich:
            from rich.console import Console
            from rich.table import Table

            table = Table(heading("profile", args.lang), "title")
            for pid in profile_ids():
                table.add_row(pid, profile_title(load_profile(pid), args.lang))
            Console(file=out).print(table)
            return EXIT_OK
        for pid in profile_ids():
            p = load_profile(pid)
            out.write(f"{pid:<36} {profile_title(p, args.lang)}\n")
        return EXIT_OK
    for ref in refs:
        _show(load_profile(ref) if isinstance(ref, str) else ref, on, out, args.lang)
    return EXIT_OK


def _comparison(refs: Sequence[ProfileRef] | None, on: date, *, long: bool) -> str:
    """Markdown: the profiles x principles matrix and the thresholds side by side; with
    *long*, also every criterion behind each cell."""
    from ._engine._compare import (
        compare_profiles,
        compare_thresholds,
        render_principles,
        render_thresholds,
    )

    rows = compare_profiles(refs, on=on)
    text = f"# Comparison of SSE profiles in force on {on.isoformat()}\n\n"
    text += "## Principles\n\n" + _principle_matrix(rows) + "\n"
    text += "## Thresholds\n\n" + render_thresholds(compare_thresholds(refs, on=on))
    text += "\n"
    if long:
        text += "\n## Criteria by principle\n\n" + render_principles(rows) + "\n"
    return text


def _principle_matrix(rows: Sequence[Any]) -> str:
    """One line per profile, one column per principle: the number of criteria through
    which the profile puts it into practice (``-`` for none)."""
    from ._model import Principle

    by_profile: dict[str, dict[Any, int]] = {}
    versions: dict[str, str] = {}
    for r in rows:
        by_profile.setdefault(r.profile_id, {})[r.principle] = len(r.criteria)
        versions[r.profile_id] = r.version
    names = [pr.info.name for pr in Principle]
    lines = [
        "| profile | version | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for pid, cells in by_profile.items():
        counts = [str(cells.get(pr, 0) or "-") for pr in Principle]
        lines.append(f"| `{pid}` | {versions[pid]} | " + " | ".join(counts) + " |")
    lines.append("")
    lines.append(
        "Each cell: how many criteria put the principle into practice (- none); "
        "`--compare --long` lists them."
    )
    return "\n".join(lines) + "\n"


def _show(p: Profile, on: date, out: TextIO, lang: str | None = None) -> None:
    """A profile: versions, then per criterion its citation, status, the dates it is in
    force and what it tests (facts, operators, thresholds with their units, parameters
    with their value on *on*)."""
    from ._engine._compare import _value_text

    plan: Any = None
    with contextlib.suppress(SSEModelError):
        plan = Classifier().plan(p, on)
    from ._i18n import profile_title

    out.write(f"{printable(p.id)}: {printable(p.title)}\n")
    local = profile_title(p, lang)
    if local != p.title:
        out.write(f"{printable(local)}\n")
    out.write(f"{printable(p.summary.strip(), lines=True)}\n\n")
    for v in p.versions:
        end = v.effective_to.isoformat() if v.effective_to else "today"
        now = " (in force on " + on.isoformat() + ")" if plan and plan.version == v.label else ""
        out.write(f"Version {v.label}: {v.effective_from.isoformat()} to {end}{now}\n")
    if plan is None:
        out.write(f"No version in force on {on.isoformat()}: parameters shown without values.\n")
    out.write("\nCriteria:\n")
    for c in p.criteria:
        inst = p.instrument(c.citation.instrument)
        title = inst.title if inst else c.citation.instrument
        flag = " [UNVERIFIED]" if c.status.value == "unverified" else ""
        out.write(f"  {c.id}{flag}: {printable(c.description)}\n")
        out.write(f"    {printable(title)}, {printable(c.citation.article)}\n")
        status = c.status.value + (f", confidence {c.confidence}" if c.confidence else "")
        versions = ", ".join(
            v.label
            for v in p.versions
            if (c.effective_to is None or v.effective_from <= c.effective_to)
            and (
                c.effective_from is None
                or v.effective_to is None
                or c.effective_from <= v.effective_to
            )
        )
        out.write(f"    status: {printable(status)}; versions: {versions or 'none'}\n")
        if c.applies_if is not None:
            out.write("    applies if:\n")
            _test_lines(c.applies_if, plan, out, 6)
        out.write("    tests:\n")
        _test_lines(c.test, plan, out, 6)
    if p.parameters:
        out.write("\nParameters:\n")
        for par in p.parameters:
            out.write(f"  {par.name}: {printable(par.description)}\n")
            for dv in par.values:
                end = dv.effective_to.isoformat() if dv.effective_to else "today"
                out.write(
                    f"    {dv.effective_from.isoformat()} to {end}: {_value_text(dv.value)}\n"
                )
            if not par.values:
                out.write("    no value verified\n")
    out.write("\n")


def _test_lines(node: Any, plan: Any, out: TextIO, indent: int) -> None:
    """A criterion's test as an indented tree: combinators on a line of their own, each
    leaf as ``fact operator threshold unit``."""
    from ._engine import _ast as ast
    from ._engine._evaluate import _threshold_text

    pad = " " * indent

    def line(text: str) -> None:
        out.write(pad + printable(text) + "\n")

    if isinstance(node, ast.Compare):
        t = node.threshold
        if isinstance(t, ast.Param) and plan is None:
            factor = "" if t.times == 1 else f"{t.times} × "
            line(f"{node.fact} {node.op.symbol} {factor}{t.name}")
        else:  # the plan is read only for a parameter's value
            line(_threshold_text(node, plan))
        if node.if_undefined is not ast.Truth.UNKNOWN:
            line(f"  (when undefined: {node.if_undefined.name.lower()})")
    elif isinstance(node, ast.Is):
        line(f"{node.fact} is {'true' if node.value else 'false'}")
    elif isinstance(node, ast.OneOf):
        line(f"{node.fact} is one of {', '.join(sorted(node.values))}")
    elif isinstance(node, ast.Certified):
        valid = " (valid on the date)" if node.valid_on_date else ""
        line(f"certified: {node.kind}{valid}")
    elif isinstance(node, ast.Unresolved):
        line(f"not decidable from the data: {node.reason}")
    elif isinstance(node, ast.Const):
        line(f"always {node.value.name.lower()}")
    elif isinstance(node, ast.Ref):
        line(f"criterion {node.id}")
    elif isinstance(node, ast.Not):
        line("not:")
        _test_lines(node.item, plan, out, indent + 2)
    elif isinstance(node, ast.All | ast.Any_ | ast.AtLeast):
        head = (
            "all of:"
            if isinstance(node, ast.All)
            else "any of:"
            if isinstance(node, ast.Any_)
            else f"at least {node.k} of:"
        )
        line(head)
        for item in node.items:
            _test_lines(item, plan, out, indent + 2)
    elif isinstance(node, ast.Cases):
        for case in node.cases:
            line("if:")
            _test_lines(case.when, plan, out, indent + 2)
            line("then:")
            _test_lines(case.then, plan, out, indent + 2)
        line("otherwise:")
        _test_lines(node.otherwise, plan, out, indent + 2)
    else:  # pragma: no cover - a node kind added later
        line(repr(node))


def _legal_forms(args: argparse.Namespace, out: TextIO) -> int:
    """List the forms (of one country), or those ``--search`` names or comes close to."""
    from ._engine._presume import legal_forms
    from ._io._lookups import country_code, match_legal_forms

    try:
        cc = None if args.country is None else country_code(args.country)
    except InvalidInput as e:
        raise UsageError(f"--country: {e.errors[0].message}") from None
    if args.search is None:
        forms = tuple(f for f in legal_forms().values() if cc is None or f.country == cc)
    else:
        forms, exact = match_legal_forms(args.search, country=cc)
        text = printable(args.search)
        if not forms:
            out.write(f"no legal form is called '{text}' or anything close\n")
        elif not exact:
            out.write(f"no legal form is called '{text}'; the closest:\n\n")
    for form in forms:
        _show_form(form, out)
    return EXIT_OK


def _show_form(form: LegalForm, out: TextIO) -> None:
    from ._io._lookups import elf_code_of

    families = ", ".join(f.value for f in form.families)
    kind = "family" if form.family is not None else "families"
    out.write(f"{form.code}  {printable(form.name)}\n")
    if form.local_name:
        out.write(f"    local name: {printable(form.local_name)}\n")
    if form.aliases:
        out.write(f"    also: {printable(', '.join(form.aliases))}\n")
    out.write(f"    {kind}: {families}; ELF code: {elf_code_of(form) or '-'}\n")
    out.write(f"    law: {printable(form.law or '-')}\n")


# --- compare: a register under two or more profiles (see sse_model._lab) ------------------

#: output formats of ``compare``, by the extension of --output
COMPARE_EXTENSIONS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".json": "json"}


def _compare_parser(sub: Any) -> None:
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


def _compare_format(args: argparse.Namespace) -> str:
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


def _compare(args: argparse.Namespace, out: TextIO) -> int:
    """``sse-model compare``: the exit code is as for ``classify``."""
    from ._io._batch import ResultWriter
    from ._lab import compare

    fmt = _compare_format(args)
    refs = _resolve_profiles(args.profiles, args.profile_files)
    if len(refs) < 2:
        raise UsageError("compare needs at least two profiles: --profile BASE --profile DRAFT")
    if _is_stdin(args.input):
        raise UsageError("compare reads a register file, not stdin")
    on = args.on or date.today()
    _check_in_force(refs, on)
    _check_options(args)
    _check_outputs(args)
    result = compare(
        args.input,
        *refs,
        **_lab_options(args, refs, on),
    )
    if args.errors is not None:
        with atomic_output(args.errors) as f:
            for r in result.rejected:
                f.write(json.dumps(rejected_record(r), ensure_ascii=False) + "\n")
    if fmt in ("csv", "parquet"):
        target = args.output if args.output else out
        with ResultWriter(target, format=fmt, escape_formulas=args.escape_formulas) as w:
            w.write(result.rows())
    else:
        with atomic_output(args.output) if args.output else contextlib.nullcontext(out) as t:
            if fmt == "json":
                t.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n")
            else:
                t.write(printable(result.to_text(), lines=True))
    return EXIT_REJECTED if result.rejected else EXIT_OK


# --- sweep: one threshold over many values (see sse_model._lab) ----------------------------

#: the most values one sweep counts
MAX_SWEEP_VALUES = 100_000


def _sweep_parser(sub: Any) -> None:
    c = sub.add_parser(
        "sweep",
        help="one threshold over many values: how many organisations qualify, do not "
        "and stay undetermined at each",
        description="Classify a register under a profile once and count, for each value "
        "of one criterion's threshold (or one parameter), the organisations that qualify, "
        "do not qualify and stay undetermined, the boundary decided exactly.",
    )
    _input_options(c, "a register, one organisation per row")
    c.add_argument(
        "--profile", metavar="ID", default=None, help="profile id, or a profile or reform file"
    )
    _profile_file_option(c, repeat=False)
    c.add_argument(
        "--criterion",
        required=True,
        metavar="ID",
        help="the criterion whose threshold is swept (or a parameter of the profile)",
    )
    c.add_argument(
        "--fact", default=None, help="the fact compared, when the criterion compares several"
    )
    c.add_argument("--from", dest="start", default=None, metavar="A", help="first value")
    c.add_argument("--to", dest="stop", default=None, metavar="B", help="last value (included)")
    c.add_argument("--step", default=None, metavar="S", help="step between values (positive)")
    c.add_argument(
        "--values",
        default=None,
        metavar="V,V,...",
        help="the values, comma-separated (instead of --from/--to/--step); exact: "
        "'40 %%', '0.4', '2/5', a count '5'",
    )
    c.add_argument("--on", type=_date, default=None, help="evaluation date (default: today)")
    c.add_argument(
        "--fiscal-year", type=_fiscal_year, default=None, help="fiscal year for profit tests"
    )
    c.add_argument(
        "--format",
        choices=("table", "csv", "json", "parquet"),
        default=None,
        help="table: counts and shares in words; csv/parquet: one row per value; json: "
        "the sweep with its row accounting (default: from the --output extension, .csv "
        ".parquet .json; otherwise table)",
    )
    c.add_argument("--output", type=Path, default=None, help="write here (default: stdout)")
    c.add_argument(
        "--errors", type=Path, default=None, help="write rejected rows here (JSON Lines)"
    )
    c.add_argument("--no-presumptions", action="store_true", help="observed facts only")
    c.add_argument(
        "--all-presumptions", action="store_true", help="also low-confidence presumptions"
    )
    c.add_argument(
        "--validate",
        choices=("needed", "all"),
        default="needed",
        help="check the cells of the columns the profile reads (needed) or every cell",
    )
    _assumption_options(c)


def _sweep_values(args: argparse.Namespace) -> list[Any]:
    """The values swept: --values as given (checked by the sweep), or the exact range
    --from, --from + --step, ... up to --to."""
    from ._model._units import parse_ratio

    ranged = [x is not None for x in (args.start, args.stop, args.step)]
    if args.values is not None:
        if any(ranged):
            raise UsageError("expected --values or --from/--to/--step, not both")
        values = [v.strip() for v in args.values.split(",")]
        if not all(values):
            raise UsageError(f"--values: expected values separated by commas, got {args.values!r}")
        if len(values) > MAX_SWEEP_VALUES:
            raise UsageError(f"--values: at most {MAX_SWEEP_VALUES} values, got {len(values)}")
        return values
    if not all(ranged):
        raise UsageError("sweep needs --values, or --from, --to and --step")
    bounds: list[Any] = []
    for name, text in (("--from", args.start), ("--to", args.stop), ("--step", args.step)):
        try:
            bounds.append(parse_ratio(text))
        except (ValueError, TypeError) as e:
            raise UsageError(f"{name}: {e}") from None
    a, b, step = bounds
    if step <= 0:
        raise UsageError(f"--step: expected a positive step, got {printable(args.step)}")
    if b < a:
        raise UsageError(
            f"--to ({printable(args.stop)}) is below --from ({printable(args.start)})"
        )
    count = int((b - a) // step) + 1
    if count > MAX_SWEEP_VALUES:
        raise UsageError(
            f"the range has {count} values; at most {MAX_SWEEP_VALUES}: a larger --step"
        )
    return [a + k * step for k in range(count)]


def _sweep(args: argparse.Namespace, out: TextIO) -> int:
    """``sse-model sweep``: the exit code is as for ``classify``."""
    from ._io._batch import ResultWriter
    from ._lab import sweep

    fmt = _compare_format(args)
    if args.profile is not None and args.profile_files is not None:
        raise UsageError("expected one of --profile and --profile-file, not both")
    specs = [args.profile] if args.profile is not None else []
    files = [args.profile_files] if args.profile_files is not None else []
    refs = _resolve_profiles(specs, files)
    if len(refs) != 1:
        raise UsageError("sweep needs one profile: --profile ID or --profile-file FILE")
    if _is_stdin(args.input):
        raise UsageError("sweep reads a register file, not stdin")
    values = _sweep_values(args)
    on = args.on or date.today()
    _check_in_force(refs, on)
    _check_options(args)
    _check_outputs(args)
    try:
        result = sweep(
            args.input,
            refs[0],
            args.criterion,
            values,
            fact=args.fact,
            **_lab_options(args, refs, on),
        )
    except ValueError as e:
        if isinstance(e, SSEModelError):
            raise
        raise UsageError(str(e)) from None
    if args.errors is not None:
        with atomic_output(args.errors) as f:
            for r in result.rejected:
                f.write(json.dumps(rejected_record(r), ensure_ascii=False) + "\n")
    if fmt in ("csv", "parquet"):
        target = args.output if args.output else out
        with ResultWriter(target, format=fmt) as w:
            w.write(result.to_table())
    else:
        with atomic_output(args.output) if args.output else contextlib.nullcontext(out) as t:
            if fmt == "json":
                t.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n")
            else:
                t.write(printable(result.to_text(), lines=True))
    return EXIT_REJECTED if result.rejected else EXIT_OK


def _lab_options(args: argparse.Namespace, refs: Sequence[ProfileRef], on: date) -> dict[str, Any]:
    """The keyword arguments ``compare`` and ``sweep`` take from the register options."""
    return {
        "on": on,
        "fiscal_year": args.fiscal_year,
        "currency": args.currency,
        "columns": _mapper(args),
        "presumptions": _presumptions(args),
        "assumptions": _assumptions(args, refs, on),
        "validate": args.validate,
        "format": _input_format(args),
        "delimiter": _delimiter(args.delimiter),
        "encoding": args.encoding,
        "sheet": args.sheet,
        "unique_ids": not args.allow_duplicate_ids,
    }


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "classify":
        return _classify(args, out, err)
    if args.command == "explain":
        return _explain(args, out, err)
    if args.command == "validate":
        return _validate(args, err)
    if args.command == "legal-forms":
        return _legal_forms(args, out)
    if args.command == "indicators":
        return _indicators(args, out, err)
    if args.command == "compare":
        return _compare(args, out)
    if args.command == "sweep":
        return _sweep(args, out)
    return _profiles(args, out)


# --- sse-model indicators ----------------------------------------------------------------


def _indicators_parser(sub: Any) -> None:
    i = sub.add_parser(
        "indicators",
        help="what the SSE contributes: decent-work, inclusion, formalisation and "
        "just-transition indicators over the organisations that qualify",
    )
    i.add_argument(
        "input",
        type=Path,
        help="a register: CSV, TSV, JSON Lines, JSON, Parquet or Excel, by extension",
    )
    i.add_argument(
        "--profile",
        action="append",
        dest="profiles",
        metavar="ID",
        required=True,
        help="the profile deciding who qualifies (repeatable: one group per profile)",
    )
    i.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="COLUMN",
        help="group by this column (country, legal_form, family or any column of the "
        "register; repeatable)",
    )
    i.add_argument(
        "--verdict",
        action="append",
        dest="verdicts",
        choices=("qualifies", "undetermined", "does_not_qualify"),
        default=None,
        help="verdict groups reported (repeatable; default: qualifies and undetermined)",
    )
    i.add_argument(
        "--only",
        action="append",
        default=None,
        metavar="INDICATOR",
        help="compute only this indicator (repeatable; default: all)",
    )
    i.add_argument(
        "--min-cell",
        type=int,
        default=3,
        help="cells of fewer organisations show no value (default 3)",
    )
    i.add_argument(
        "--benchmark",
        action="append",
        dest="benchmarks",
        default=[],
        metavar="SHARE[:COUNTRY]=VALUE",
        help="a national share to compare a share with (women_employees_share=0.47, or "
        "women_employees_share:VN=0.47 per country with --by country; repeatable): adds "
        "its representation ratio",
    )
    i.add_argument(
        "--then",
        type=Path,
        default=None,
        metavar="EARLIER",
        help="an earlier register of the same organisations (joined by id): adds the "
        "formalisation of units between the two (formalised_units, formalisation_rate)",
    )
    i.add_argument("--on", type=_date, default=None, help="evaluation date (default: today)")
    i.add_argument(
        "--fiscal-year", type=_fiscal_year, default=None, help="fiscal year of the accounts"
    )
    i.add_argument(
        "--currency", default=None, help="currency of bare amounts in a table (e.g. VND)"
    )
    i.add_argument(
        "--columns",
        type=Path,
        default=None,
        metavar="MAPPING",
        help="a register mapping (TOML or JSON) of your columns onto the vocabulary",
    )
    i.add_argument(
        "--format",
        choices=("table", "csv", "json", "parquet"),
        default=None,
        help="table: for people; csv/parquet/json (JSON Lines): one row per indicator and "
        "group (default: from the --output extension, else table)",
    )
    i.add_argument(
        "--output", type=Path, default=None, help="write the indicators here (default: stdout)"
    )


def _indicators_format(args: argparse.Namespace) -> str:
    by_ext = {".csv": "csv", ".parquet": "parquet", ".jsonl": "json", ".json": "json"}
    ext = by_ext.get(args.output.suffix.lower()) if args.output is not None else None
    fmt: str = args.format or ext or "table"
    if args.output is not None and ext is not None and args.format and ext != args.format:
        raise UsageError(f"--format {args.format} disagrees with --output {args.output}")
    if fmt == "parquet" and args.output is None:
        raise UsageError("--format parquet needs --output")
    return fmt


def _indicators(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._indicators import indicators, write_indicators, write_text

    fmt = _indicators_format(args)
    if args.output is not None:
        refuse_same_file(args.input, output=args.output)
    if not args.input.is_file():
        raise UnreadableInput(str(args.input), "no such register file")
    if args.then is not None and not args.then.is_file():
        raise UnreadableInput(str(args.then), "no such register file")
    profiles = _resolve_profiles(args.profiles)
    common: dict[str, Any] = {
        "by": args.by,
        "verdicts": args.verdicts or ("qualifies", "undetermined"),
        "min_cell": args.min_cell,
        "on": args.on,
        "fiscal_year": args.fiscal_year,
        "currency": args.currency,
        "columns": args.columns,
    }
    benchmarks = _benchmark_args(args.benchmarks)
    result = indicators(
        args.input, profiles, only=args.only, benchmarks=benchmarks or None, **common
    )
    earlier = None
    if args.then is not None:
        from ._indicators import IndicatorTable, formalisation

        moved = formalisation(args.then, args.input, profiles, **common)
        earlier = moved.earlier
        result = IndicatorTable(_interleaved(result.table, moved.table), result.summary, earlier)
    if args.output is not None and fmt != "table":
        write_indicators(result.table, args.output, format=fmt)
    elif fmt == "table":
        text = _indicators_text(result.table)
        if args.output is not None:
            with atomic_output(args.output) as f:
                f.write(text)
        else:
            out.write(text)
    else:
        write_text(result.table, out, fmt)
    out.flush()  # the table before the summary, on a terminal
    summary = result.summary
    if earlier is not None:
        _say(err, f"earlier register: {earlier}")
    if summary is not None:
        _say(err, str(summary))
        if summary.rejected:
            return EXIT_REJECTED
    return EXIT_OK


def _interleaved(first: Any, second: Any) -> Any:
    """Two indicator tables of the same groups as one, each group's rows together (the
    first table's before the second's)."""
    import pyarrow as pa

    from ._indicators import VERDICT_ORDER

    groups = first.column_names[: first.column_names.index("indicator")]
    order = {v: k for k, v in enumerate(VERDICT_ORDER)}

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        rest = [(r[g] is None, r[g] or "") for g in groups[2:]]
        return (str(r["profile_id"]), order.get(r["verdict_group"], 9), *rest)

    rows = sorted([*first.to_pylist(), *second.to_pylist()], key=key)
    return pa.Table.from_pylist(rows, schema=first.schema)


def _benchmark_args(given: list[str]) -> dict[str, Any]:
    """``--benchmark SHARE=VALUE`` or ``SHARE:COUNTRY=VALUE`` as ``benchmarks=``."""
    out: dict[str, Any] = {}
    for text in given:
        key, sep, value = text.partition("=")
        share, _, country = key.partition(":")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or not share or number is None:
            raise UsageError(
                f"--benchmark expects SHARE=VALUE or SHARE:COUNTRY=VALUE, got {text!r}"
            )
        if country:
            each = out.setdefault(share, {})
            if not isinstance(each, dict):
                raise UsageError(f"--benchmark {share} given both nationally and per country")
            each[country] = number
        elif share in out:
            raise UsageError(f"--benchmark {share} given twice")
        else:
            out[share] = number
    return out


def _indicators_text(table: Any) -> str:
    """The indicators for people: a block per group, a line per indicator."""
    import math

    def number(v: float | None) -> str:
        if v is None:
            return "-"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if v == int(v) or abs(v) >= 1_000:
            return f"{v:,.0f}"
        return f"{v:,.4g}" if abs(v) >= 1 else f"{v:.3f}"

    groups = list(table.column_names[: table.column_names.index("indicator")])
    lines: list[str] = []
    last: tuple[Any, ...] | None = None
    for r in table.to_pylist():
        key = tuple(r[g] for g in groups)
        if key != last:
            label = ", ".join(f"{g}={'-' if r[g] is None else r[g]}" for g in groups)
            lines += ["", printable(label)]
            last = key
        value = number(r["value"])
        bounds = f"[{number(r['lower'])}, {number(r['upper'])}]"
        coverage = "-" if r["coverage"] is None else f"{r['coverage']:.0%}"
        note = f"  ({r['note']})" if r["note"] else ""
        if r["unit"].endswith(" per hour") and r["value"] is not None:  # its currency
            value = f"{value} {r['unit'].split()[0]}/h"
        lines.append(
            f"  {r['indicator']:<36} {value:>10} {bounds:<22} coverage {coverage:>4}{note}"
        )
    return "\n".join(lines).lstrip("\n") + "\n"


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While running, SIGTERM raises :class:`_Terminated` (so cleanup runs) instead of
    ending the process on the spot; the previous handler is restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _say(err: TextIO, line: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr closed too: nothing to tell
        err.write(line + "\n")
        err.flush()


def _one_line(e: BaseException) -> str:
    text = printable(" ".join(str(e).split()))
    return text if len(text) <= 300 else text[:300] + "..."


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code (see the module docstring)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    debug = args.debug or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    try:
        with _sigterm_raises():
            return _dispatch(args, out, err)
    except BrokenPipeError:
        if out is sys.stdout:  # no second error when Python flushes stdout at exit
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (SSEModelError, OSError, ImportError) as e:
        _say(err, f"sse-model: error: {printable(str(e), lines=True)}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say(err, "sse-model: interrupted; --output and --errors files were left as they were")
        return EXIT_INTERRUPTED
    except _Terminated:
        _say(err, "sse-model: terminated; --output and --errors files were left as they were")
        return EXIT_TERMINATED
    except Exception as e:
        if debug:
            with contextlib.suppress(OSError, ValueError):
                traceback.print_exc(file=err)
        _say(err, f"sse-model: internal error: {type(e).__name__}: {_one_line(e)}")
        hint = "" if debug else f"; run again with --debug (or {DEBUG_ENV}=1) for the traceback"
        _say(err, f"sse-model: this is a bug in sse-model, please report it{hint}")
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
