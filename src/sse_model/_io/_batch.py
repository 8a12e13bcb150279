"""Classify whole registers: tables in, one row per organisation and profile out.

Two lanes give the same answers: the fast lane reads plain columns straight into
a :class:`~sse_model._engine._columnar.FactFrame` and evaluates compiled plans
over numpy arrays; every row it cannot vouch for (an odd cell, a failed or
nearly failed consistency check, a comparison within float error of a
threshold) takes the exact lane: one :class:`~sse_model.Organisation`, validated
by the model and classified by the per-object engine. Every row read ends up
classified or rejected, and :class:`RegisterSummary` reconciles the counts.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from .. import _checks
from .._engine._assume import NONE, Assumptions, check_readings
from .._engine._classify import Classifier, OnDate, Presumptions
from .._engine._columnar import (
    ColumnarPlan,
    FactFrame,
    compile_columnar,
    frame_from_organisations,
    needed_facts,
    take_rows,
)
from .._engine._presume import Basis, certification_kinds
from .._engine._profile import Plan, Profile
from .._engine._result import OUTCOMES, UNKNOWN, VERDICTS
from .._errors import FieldError, InvalidInput
from .._model import Organisation
from .._model._declare import MAX_YEAR, MIN_YEAR
from ._columns import _UNIT_PATH, _ar, frame_from_table, project_years, wanted_columns
from ._flat import MappedNames, RejectedRow, Row, _check_header, rows_to_organisations
from ._outputs import FORMULA_PATTERN, AtomicOutput, CSVRows, ParquetOutput, refuse_same_file
from ._readers import _check_delimiter
from ._sources import (
    RECORD_BATCH_ROWS,
    Batch,
    ColumnsArg,
    file_batches,
    mapper_of,
    record_batches,
)
from ._typed import TextTable, frame_to_arrow, rejected, text_table
from ._writers import _NOT_TEXT, rejected_record

if TYPE_CHECKING:
    import pyarrow as pa

    from ._mapping import Mapper

__all__ = ["RegisterClassifier", "RegisterResult", "RegisterSummary", "classify_table"]


def _certification_kinds(classifier: Classifier) -> Any:
    """The statuses *classifier* presumes from: its own, else the shipped ones."""
    kinds = classifier._certifications
    return certification_kinds() if kinds is None else kinds


def _presuming(classifier: Classifier, on: date, presumptions: Presumptions) -> frozenset[str]:
    """The certification kinds whose law presumes a fact on *on* (none without
    presumptions)."""
    if not presumptions:
        return frozenset()
    kinds = _certification_kinds(classifier)
    low = presumptions == "all"
    return frozenset(
        code
        for code, kind in kinds.items()
        if any(p.applies_on(on, low=low) for p in kind.presumes)
    )


@attrs.frozen
class RegisterSummary:
    """What happened to every row read: ``rows == classified + rejected``, always."""

    rows: int = 0
    classified: int = 0
    rejected: int = 0
    #: rows classified by the columnar (fast) lane; the rest took the exact lane
    fast: int = 0
    #: verdicts (organisation and profile pairs) that rest on legal presumptions
    presumed: int = 0

    def __attrs_post_init__(self) -> None:
        if self.rows != self.classified + self.rejected:  # pragma: no cover - a bug
            raise AssertionError(f"counts do not reconcile: {self!r}")

    def __add__(self, other: RegisterSummary) -> RegisterSummary:
        return RegisterSummary(
            self.rows + other.rows,
            self.classified + other.classified,
            self.rejected + other.rejected,
            self.fast + other.fast,
            self.presumed + other.presumed,
        )

    def __str__(self) -> str:
        return (
            f"rows read: {self.rows}; classified: {self.classified}; rejected: "
            f"{self.rejected} ({self.classified} + {self.rejected} = {self.rows})"
        )


@attrs.frozen
class RegisterResult:
    """Results of a chunk: one row per organisation and profile, and rejected rows."""

    #: columns: row, then those of :func:`~sse_model.write_results` (organisation_id,
    #: profile_id, version, on, fiscal_year, verdict, criterion.<id>..., missing_facts,
    #: rests_on_presumptions, presumed_criteria, assumptions)
    table: pa.Table
    rejected: tuple[RejectedRow, ...]
    summary: RegisterSummary

    def to_pandas(self) -> Any:
        """The results as a pandas DataFrame: the input ``row`` number, then the columns
        and dtypes of :func:`~sse_model.to_dataframe` with ``outcomes=True``."""
        from ._frames import register_frame

        return register_frame([self])

    def _repr_html_(self) -> str:
        from .._engine._tables import register_html

        return register_html(self)

    def to_html(self, lang: str | None = None) -> str:
        """The HTML a notebook shows, its labels, numbers and date in *lang*."""
        from .._engine._tables import register_html

        return register_html(self, lang)


class RegisterClassifier:
    """Classify tables of organisations under several profiles on one date, *on*
    (default: today, the machine's local date; a date, an ISO string, a datetime or a
    pandas Timestamp, read as its calendar date without converting its time zone).

    Build one per run (plans are compiled once), then feed it tables or batches.
    *currency* applies to bare amounts of rows without a ``currency`` cell;
    *columns* says how your columns map onto the flat vocabulary (a
    :class:`~sse_model.RegisterMapping`, the path of a mapping file, or plain renames)
    and *finances* is a long table of yearly figures it joins (see
    :func:`~sse_model.read_register`). *presumptions* (default
    on) fills unknown facts the law of each row's legal form guarantees, as
    :func:`~sse_model.classify` does. *keep* names input columns carried into the
    results as text, beside ``organisation_id`` (``keep=["name"]``): the input's own
    names, after plain renames in *columns*; with a register mapping, the vocabulary
    names the mapping gives (``name``, ``registration.number``...), not the register's.

    *validate* says which cells are checked. ``"needed"`` (the default): those of
    the columns the profiles read (the facts' inputs and what they derive from), of
    the columns the model's consistency rules check against those, and of ``id``,
    ``name``, ``country``, ``subdivision``, ``legal_form``, ``family``, ``currency``,
    ``fiscal_year``, the year's accounts (``finances.*``) and the certifications
    asked about; a cell in any other column is not looked at, so a row whose only bad
    cell is there is classified (from the columns read, in both lanes) where
    ``"all"`` rejects it. ``"all"``: every cell of every column, as
    :func:`~sse_model.read_register` checks them. A row is never classified from a
    cell the exact lane would reject, and rows are numbered and counted alike.
    """

    def __init__(
        self,
        profiles: str | Profile | Sequence[str | Profile],
        *,
        on: OnDate = None,
        fiscal_year: int | None = None,
        currency: str | None = None,
        columns: ColumnsArg = None,
        classifier: Classifier | None = None,
        unique_ids: bool = True,
        presumptions: Presumptions = True,
        assumptions: Assumptions | None = None,
        finances: Any = None,
        keep: Sequence[str] = (),
        validate: str = "needed",
    ) -> None:
        if validate not in ("needed", "all"):
            raise ValueError(f"expected validate='needed' or 'all', got {validate!r}")
        #: input columns carried into the results, as text, after ``organisation_id``
        self.keep: tuple[str, ...] = _kept_names(keep)
        if fiscal_year is not None and not MIN_YEAR <= fiscal_year <= MAX_YEAR:
            # no row can hold such a year (rows are checked against the same range)
            message = f"expected a year from {MIN_YEAR} to {MAX_YEAR}, got {fiscal_year}"
            raise InvalidInput("fiscal_year", [FieldError("fiscal_year", message)])
        self.classifier = classifier or Classifier()
        self.presumptions = presumptions
        #: the assumptions adopted for every row (none: unverified rules give unknown)
        self.assumptions = assumptions
        #: reject a row whose id a classified row of this run already had (the first is kept)
        self.unique_ids = unique_ids
        self._seen = _SeenIds()
        self.on = _checks.on_date(on)
        self.fiscal_year = fiscal_year
        self.currency = currency
        #: the register mapping of the run (``None``: plain renames in *columns*)
        self.mapper = mapper_of(columns, finances)
        self.columns: dict[str, str] = (
            dict(columns) if self.mapper is None and isinstance(columns, Mapping) else {}
        )
        self._headers: set[tuple[str, ...]] = set()
        self.profiles = [self.classifier.profile(p) for p in _checks.profiles(profiles)]
        self.plans: list[Plan] = [
            self.classifier.plan(p, self.on, assumptions) for p in self.profiles
        ]
        if assumptions is not None:
            check_readings(
                [*self.plans, *_with_bases(self.profiles, self.classifier)], assumptions
            )
        self.compiled: list[ColumnarPlan] = [compile_columnar(p) for p in self.plans]
        self.facts, self.certs = needed_facts(self.plans)
        #: the statuses whose law presumes facts on the date (their rows in force take
        #: the exact lane, which fills those facts in; the columns presume by legal form)
        self.presuming = _presuming(self.classifier, self.on, presumptions)
        #: which cells are checked: ``"needed"`` those of :attr:`wanted`, ``"all"`` every one
        self.validate = validate
        #: the columns read and checked under ``validate="needed"`` (None: every column)
        self.wanted = (
            wanted_columns(self.facts, self.certs, self.presuming)
            if validate == "needed"
            else None
        )
        #: the output columns, fixed for the run (so chunks share one schema)
        self.criteria: list[str] = list(
            dict.fromkeys(c.id for plan in self.plans for c in plan.criteria)
        )

    def fresh(self) -> RegisterClassifier:
        """A classifier for a new run: the same compiled plans, no ids seen yet."""
        import copy

        other = copy.copy(self)
        other._seen = _SeenIds()
        return other

    # inputs ----------------------------------------------------------------------
    def classify_table(
        self, table: Any, *, first_row: int = 1, row_numbers: Sequence[int] | None = None
    ) -> RegisterResult:
        """Classify a pyarrow Table, a pandas or polars DataFrame (flat columns), or an
        iterable of mappings (records, nested or flat, as :func:`~sse_model.read_register`
        reads them).

        Rows are numbered from *first_row*, or by *row_numbers* (one per row) when
        the table is not a contiguous run of the input (rows skipped while reading).
        """
        batch: Batch | None = table if isinstance(table, Batch) else None
        if batch is None:
            _checks.table(table)
        extra: dict[str, Any] = {}
        if self.keep and batch is None and self.mapper is None and not _is_records(table):
            table, extra = self._split_kept(table)
        if batch is None and _is_records(table):
            batch = _one_batch(table, self.columns, first_row, self.mapper)
        if batch is not None:
            if row_numbers is None:
                row_numbers = batch.numbers
            t = self._arrow(batch.table(), known=False)
        elif self.mapper is not None:
            t = self._mapped(table)
        else:
            t = self._arrow(table)
        texts = t if isinstance(t, _Typed) else None
        if texts is not None:
            t = texts.table
        n = t.num_rows
        # several fiscal years per row: the fast lane reads the year the rules use, and
        # checks every year as it checks a one-year row (the exact lane reads the rest)
        years = project_years(t, self.on, self.fiscal_year)
        built = frame_from_table(
            t if years is None else years.table,
            self.facts,
            self.certs,
            on=self.on,
            fiscal_year=self.fiscal_year,
            currency=self.currency,
            validate=self.validate,
            presuming=self.presuming,
        )
        exact = built.exact
        if years is not None:
            exact = exact | years.exact
            for check in years.checks:
                exact = exact | self._checked(check)
        source: Any = t
        if texts is not None and texts.problems:
            import numpy as np

            exact = exact.copy()
            exact[np.fromiter(texts.problems, dtype=np.int64)] = True
            source = texts
        if batch is not None:
            # rows held by the reader take the exact lane, built from their records
            exact = exact | batch.held()
            source = batch
        numbers = _numbers(first_row, row_numbers, n)
        presumed = None
        alternatives: list[FactFrame] = []
        alt_rows: Any = None
        if self.presumptions and (built.forms is not None or built.statuses):
            from .._engine._presume import ceiling_variants, presume_frame

            group_codes, by_group = self._presumption_groups(built)
            if any(by_group):
                presumed = presume_frame(built.frame, group_codes, by_group)
                variants = ceiling_variants(by_group)
                # a variant differs from the presumed facts only where it fills a fact
                # differently: rows of a form whose ceiling it replaces
                alt_rows = _ceiling_rows(built.frame, group_codes, by_group, variants)
                if len(alt_rows):
                    part = take_rows(built.frame, alt_rows)
                    codes = group_codes[alt_rows]
                    alternatives = [presume_frame(part, codes, v) for v in variants]
        result = self._finish(
            built.frame,
            exact,
            built.ids,
            source,
            numbers,
            n,
            presumed,
            alternatives,
            t,
            alt_rows,
        )
        kept = self._kept_of_table(t, extra)
        return self._with_kept(result, kept, numbers)

    def _presumption_groups(self, built: Any) -> tuple[Any, list[dict[str, Any]]]:
        """Per row, the index of its group of presumptions (-1: none), and each group's
        presumption by fact: those of the row's legal form and of the statuses it holds
        in force, as :func:`~sse_model._engine._presume.presume` resolves them for one
        organisation (the form's first, then each status's in the order of their kinds; a
        fact whose sources disagree is presumed by none)."""
        import numpy as np

        from .._engine._presume import form_presumptions, group_presumptions

        low = self.presumptions == "all"
        n = built.frame.n
        if built.forms is not None:
            forms = form_presumptions(
                built.forms.categories, self.classifier._forms, self.on, low=low
            )
            codes = np.asarray(built.forms.codes, dtype=np.int64)
        else:
            forms, codes = [], np.full(n, -1, dtype=np.int64)
        if not built.statuses:
            return codes, forms
        kinds = sorted(built.statuses)
        catalogue = _certification_kinds(self.classifier)
        own = [[p for p in catalogue[k].presumes if p.applies_on(self.on, low=low)] for k in kinds]
        held = np.zeros(n, dtype=np.int64)
        for bit, kind in enumerate(kinds):
            held |= built.statuses[kind].astype(np.int64) << bit
        key = (codes + 1) * (1 << len(kinds)) + held
        keys, inverse = np.unique(key, return_inverse=True)
        groups: list[dict[str, Any]] = []
        for k in keys.tolist():
            form, mask = divmod(k, 1 << len(kinds))
            listed = list(forms[form - 1].values()) if form > 0 else []
            for bit, ps in enumerate(own):
                if mask >> bit & 1:
                    listed.extend(ps)
            groups.append(
                {g.fact: g.fills for g in group_presumptions(listed) if g.fills is not None}
            )
        return inverse.astype(np.int64), groups

    def _checked(self, table: Any) -> Any:
        """The rows of a one-year table the fast lane cannot vouch for."""
        return frame_from_table(
            table,
            self.facts,
            self.certs,
            on=self.on,
            fiscal_year=self.fiscal_year,
            currency=self.currency,
            validate=self.validate,
            presuming=self.presuming,
        ).exact

    def classify_organisations(
        self,
        organisations: Sequence[Organisation],
        *,
        first_row: int = 1,
        row_numbers: Sequence[int] | None = None,
    ) -> RegisterResult:
        """Classify organisations already built (every one is classified, unless its id
        repeats one already classified)."""
        import numpy as np

        frame = frame_from_organisations(
            organisations, self.plans, on=self.on, fiscal_year=self.fiscal_year
        )
        presumed = None
        alternatives: list[FactFrame] = []
        if self.presumptions:
            low = self.presumptions == "all"
            filled = [self.classifier.presume(o, self.on, low=low) for o in organisations]
            if any(f.applied for f in filled):
                presumed = frame_from_organisations(
                    [f.organisation for f in filled],
                    self.plans,
                    on=self.on,
                    fiscal_year=self.fiscal_year,
                )
            # each stricter value a ceiling presumption leaves open (see _presume)
            depth = max((len(f.alternatives) for f in filled), default=0)
            alternatives = [
                frame_from_organisations(
                    [
                        f.alternatives[min(k, len(f.alternatives) - 1)]
                        if f.alternatives
                        else f.organisation
                        for f in filled
                    ],
                    self.plans,
                    on=self.on,
                    fiscal_year=self.fiscal_year,
                )
                for k in range(depth)
            ]
        pa, _ = _pa()
        ids = pa.array([o.id for o in organisations], type=pa.string())
        exact = np.zeros(len(organisations), dtype=bool)
        numbers = _numbers(first_row, row_numbers, frame.n)
        result = self._finish(
            frame, exact, ids, list(organisations), numbers, frame.n, presumed, alternatives
        )
        if not self.keep:
            return result
        from ._flat import to_flat

        flat = [to_flat(o) for o in organisations]
        kept = {k: pa.array([f.get(k) for f in flat], type=pa.string()) for k in self.keep}
        return self._with_kept(result, kept, numbers)

    def classify_batches(
        self, batches: Iterable[Any], *, first_row: int = 1
    ) -> Iterator[RegisterResult]:
        """Classify a stream of tables or record batches, one result per batch."""
        pa, _ = _pa()
        row = first_row
        for batch in batches:
            table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
            result = self.classify_table(table, first_row=row)
            row += result.summary.rows
            yield result

    # kept columns ------------------------------------------------------------------
    def _split_kept(self, table: Any) -> tuple[Any, dict[str, Any]]:
        """*table* without the kept columns outside the vocabulary (the reader would
        refuse them), and those columns as text (Arrow, pandas or polars)."""
        from ._flat import unknown_columns

        pa, _ = _pa()
        names = [str(c) for c in getattr(table, "column_names", None) or table.columns]
        extra = [k for k in self.keep if k in names and unknown_columns([self.columns.get(k, k)])]
        if not extra:
            return table, {}
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        if isinstance(table, pa.Table):
            out = {k: table.column(k) for k in extra}
            return table.drop_columns(extra), out
        if type(table).__module__.split(".")[0] == "polars":
            out = {k: table.get_column(k).to_arrow() for k in extra}
            return table.drop(extra), out
        out = {k: pa.Array.from_pandas(table[k]) for k in extra}
        return table.drop(columns=extra), out

    #: a kept column the input lacks is unknown (null) in every row rather than an
    #: error (the CLI's and the policy lab's counts by group: the group is not recorded)
    _absent_kept_unknown: bool = False

    def _kept_of_table(
        self, table: Any, extra: Mapping[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """The kept columns of a text table (or *extra*, split off the input), one
        cell per input row."""
        if not self.keep:
            return None
        pa, _ = _pa()
        extra = extra or {}
        missing = [k for k in self.keep if k not in table.column_names and k not in extra]
        if missing and table.num_rows and not self._absent_kept_unknown:
            have = ", ".join(table.column_names)
            where = (
                "among the vocabulary names the register mapping gives"
                if self.mapper is not None
                else "in the input; it has"
            )
            errors = [
                FieldError("keep", f"expected a column {k!r} {where}: {have}") for k in missing
            ]
            raise InvalidInput("keep", errors)
        out = {}
        for k in self.keep:
            if k in missing:
                out[k] = pa.nulls(table.num_rows, type=pa.string())
            else:
                column = extra[k] if k in extra else table.column(k)
                if isinstance(column, pa.ChunkedArray):
                    column = column.combine_chunks()
                out[k] = column if pa.types.is_string(column.type) else column.cast(pa.string())
        return out

    def _with_kept(
        self, result: RegisterResult, kept: dict[str, Any] | None, numbers: Any
    ) -> RegisterResult:
        """*result* with the kept columns after ``organisation_id``, each result row
        taking the cell of its input row."""
        if not kept:
            return result
        import numpy as np

        pa, _ = _pa()
        rows = _ar().to_numpy(result.table.column("row"))
        numbers = np.asarray(numbers)
        if len(numbers) > 1 and not bool((np.diff(numbers) > 0).all()):
            index = {int(v): i for i, v in enumerate(numbers.tolist())}
            where = np.array([index[int(r)] for r in rows.tolist()], dtype=np.int64)
        else:
            where = np.searchsorted(numbers, rows)
        table = result.table
        at = table.column_names.index("organisation_id") + 1
        for k, name in enumerate(self.keep):
            table = table.add_column(at + k, name, kept[name].take(pa.array(where)))
        return attrs.evolve(result, table=table)

    # the two lanes -----------------------------------------------------------------
    def _finish(
        self,
        frame: FactFrame,
        exact: Any,
        ids: Any,
        source: Any,
        numbers: Any,
        n: int,
        presumed_frame: FactFrame | None = None,
        alternatives: Sequence[FactFrame] = (),
        texts: Any = None,
        alt_rows: Any = None,
    ) -> RegisterResult:
        """Classify the rows of *frame* (with *presumed_frame*: its facts with the legal
        presumptions filled in) and send to the exact lane the rows it cannot vouch
        for: ambiguous comparisons, and rows whose outcomes differ between the stricter
        values a ceiling presumption leaves open (*alternatives*: of the rows
        *alt_rows*, or of every row). *texts* is the text table the frame was read from
        (for the cells of a batch's rows)."""
        import numpy as np

        verdicts: list[Any] = []
        outcomes: list[Any] = []
        missing: list[_Missing] = []
        #: per profile: rows whose verdict rests on presumptions, and per criterion
        #: whether its outcome is definite only with them
        rests: list[Any] = []
        presumed: list[Any] = []
        #: per profile: the rows only the exact lane can settle under it (*exact*: the
        #: rows it settles under every profile, which may not be read by the fast lane)
        unsure: list[Any] = []
        for cp in self.compiled:
            res = cp(frame, missing=presumed_frame is None)
            amb = res.ambiguous
            if presumed_frame is not None:
                obs = res
                res = cp(presumed_frame)
                amb = amb | res.ambiguous
                codes = res.outcomes
                if alternatives:
                    # what every value a ceiling presumption leaves open gives: an outcome
                    # where all agree, else unknown; a row whose verdict they leave open,
                    # or undetermined with facts to collect that differ, takes the exact lane
                    open_ = np.zeros(codes.shape, dtype=bool)
                    at = slice(None) if alt_rows is None else alt_rows
                    amb = amb.copy()
                    for alt in alternatives:
                        other = cp(alt, missing=False)
                        amb[at] |= other.ambiguous | (other.verdicts != res.verdicts[at])
                        open_[at] |= other.outcomes != codes[at]
                    undetermined = res.verdicts == UNKNOWN
                    amb = amb | (open_.any(axis=1) & undetermined)
                    codes = np.where(open_, np.int8(UNKNOWN), codes).astype(codes.dtype)
                rests.append(obs.verdicts != res.verdicts)
                presumed.append((obs.outcomes == UNKNOWN) & (codes != UNKNOWN))
            else:
                codes = res.outcomes
                rests.append(np.zeros(n, dtype=bool))
                presumed.append(np.zeros(res.outcomes.shape, dtype=bool))
            verdicts.append(res.verdicts)
            outcomes.append(codes)
            missing.append(_Missing(res.missing, list(res.missing_paths)))
            unsure.append(amb)
        years = frame.years.copy()
        keep = np.ones(n, dtype=bool)
        rejected: list[RejectedRow] = []
        exact_ids: dict[int, str] = {}
        # the exact lane: a row it must read is classified under every profile; a row
        # only some profiles are unsure of, under those alone
        some = np.logical_or.reduce(unsure, initial=False) if unsure else False
        everything = list(range(len(self.profiles)))
        settle = np.flatnonzero(exact | some).tolist()
        prefetched = self._prefetch(source, settle)
        for i in settle:
            org = self._exact_row(source, i, int(numbers[i]), texts, prefetched.get(i))
            if isinstance(org, RejectedRow):
                rejected.append(org)
                keep[i] = False
                continue
            exact_ids[i] = org.id
            which = everything if exact[i] else [p for p in everything if unsure[p][i]]
            for p in which:
                profile = self.profiles[p]
                c = self.classifier.classify(
                    org,
                    profile,
                    on=self.on,
                    fiscal_year=self.fiscal_year,
                    presumptions=self.presumptions,
                    assumptions=self.assumptions,
                )
                verdicts[p][i] = VERDICTS.index(c.verdict)
                outcomes[p][i] = [OUTCOMES.index(r.outcome) for r in c.criteria]
                rests[p][i] = c.rests_on_presumptions
                presumed[p][i] = [r.basis is Basis.PRESUMED for r in c.criteria]
                paths = tuple(m.path for m in c.settlement.missing_facts) if c.settlement else ()
                missing[p].set(i, paths if verdicts[p][i] == UNKNOWN else ())
                years[i] = c.fiscal_year or 0
        if isinstance(source, Batch) and exact_ids:
            # a row built from its record has the record's id (its columns may have none)
            listed = ids.to_pylist()
            for i, ident in exact_ids.items():
                listed[i] = ident
            ids = _ar().strings(listed)
        if self.unique_ids:
            for i, first in self._seen.add(ids, numbers, keep):
                keep[i] = False
                ident = ids[i].as_py()
                message = (
                    f"expected a unique id, got {ident!r} again (first read in row {first}, "
                    "which is kept)"
                )
                raw = self._cells(source, i)
                rejected.append(
                    RejectedRow(int(numbers[i]), ident, (FieldError("id", message),), raw)
                )
            rejected.sort(key=lambda r: r.number)
        table = self._table(
            ids, numbers, years, keep, verdicts, outcomes, missing, rests, presumed
        )
        classified = int(keep.sum())
        n_presumed = int(sum(int((r & keep).sum()) for r in rests))
        summary = RegisterSummary(
            n, classified, n - classified, int((keep & ~(exact | some)).sum()), n_presumed
        )
        return RegisterResult(table, tuple(rejected), summary)

    def _exact_row(
        self,
        source: Any,
        i: int,
        number: int,
        table: Any = None,
        cells: dict[str | None, str | None] | None = None,
    ) -> Organisation | RejectedRow:
        """Row *i* as one Organisation (or rejected). Under ``validate="needed"`` a
        row of flat columns is built from the columns the fast lane reads, so that
        both lanes read the same cells; a row rejected so is reported as the whole row
        reports it (all its errors)."""
        if isinstance(source, list):
            return source[i]  # type: ignore[no-any-return]
        if isinstance(source, Batch):
            if self.wanted is not None and table is not None and not source.held()[i]:
                out = self._wanted_row(self._cells(table, i), number)
                if not isinstance(out, RejectedRow):
                    return out
            return source.item(i, currency=self.currency, columns=self.columns)
        if cells is None:
            cells = self._cells(source, i)
        if isinstance(source, _Typed) and i in source.problems:
            row: RejectedRow = rejected(number, cells, source.problems[i], currency=self.currency)
            return row
        if self.wanted is not None:
            out = self._wanted_row(cells, number)
            if not isinstance(out, RejectedRow):
                return out
        (out,) = rows_to_organisations([Row(number, cells)], currency=self.currency)
        return out

    def _wanted_row(
        self, cells: Mapping[str | None, str | None], number: int
    ) -> Organisation | RejectedRow:
        """The row built from the cells of the columns read (validate="needed")."""
        read: dict[str | None, str | None] = {
            k: v for k, v in cells.items() if k is not None and self._reads(k)
        }
        (out,) = rows_to_organisations([Row(number, read)], currency=self.currency)
        return out

    def _reads(self, column: str) -> bool:
        """Whether the column *column* (a flat name, a unit maybe) is read and checked."""
        from ._columns import _wanted

        assert self.wanted is not None
        return _wanted(_UNIT_PATH(column), self.wanted)

    def _cells(self, source: Any, i: int) -> dict[str | None, str | None]:
        """Row *i* as text cells, as the exact lane reads it."""
        if isinstance(source, Batch):
            return source.raw(i)
        if isinstance(source, list):
            from ._flat import to_flat

            flat: dict[str | None, str | None] = {}
            flat.update(to_flat(source[i]))
            return flat
        return self._rows_cells(source, [i])[0]

    def _rows_cells(self, source: Any, rows: Sequence[int]) -> list[dict[str | None, str | None]]:
        """Rows *rows* of a table as text cells, read at once."""
        pa, _ = _pa()
        table = source.table if isinstance(source, _Typed) else source
        part = (
            table.take(pa.array(rows, type=pa.int64()))
            if len(rows) > 1
            else table.slice(rows[0], 1)
        )
        if not all(pa.types.is_string(f.type) for f in part.schema):
            # typed columns by the rules both lanes share (classify_table gives text)
            part = text_table(part, _source_name(part), known=False).table
        return [
            {name: "" if value is None else value for name, value in row.items()}
            for row in part.to_pylist()
        ]

    def _prefetch(
        self, source: Any, rows: Sequence[int]
    ) -> dict[int, dict[str | None, str | None]]:
        """The cells of the exact lane's rows of a table, read at once (not one by one)."""
        pa, _ = _pa()
        if len(rows) > 1 and isinstance(source, pa.Table | _Typed):
            return dict(zip(rows, self._rows_cells(source, rows), strict=True))
        return {}

    def _table(
        self,
        ids: Any,
        numbers: Any,
        years: Any,
        keep: Any,
        verdicts: list[Any],
        outcomes: list[Any],
        missing: list[_Missing],
        rests: list[Any],
        presumed: list[Any],
    ) -> pa.Table:
        """The results as Arrow columns, organisation-major (each row, each profile)."""
        import numpy as np

        pa, _ = _pa()
        rows = np.flatnonzero(keep)
        k, p = len(rows), len(self.plans)
        versions = list(dict.fromkeys(plan.version for plan in self.plans))

        def interleave(arrays: list[Any]) -> Any:
            stacked = np.empty(k * p, dtype=arrays[0].dtype)
            for j, a in enumerate(arrays):
                stacked[j::p] = a[rows]
            return stacked

        def coded(codes: Any, values: Sequence[str], mask: Any = None) -> Any:
            return pa.DictionaryArray.from_arrays(
                _ar().numbers(codes, mask=mask), _ar().strings(list(values))
            )

        profile_codes = np.tile(np.arange(p, dtype=np.int32), k)
        version_codes = np.array([versions.index(plan.version) for plan in self.plans])
        year = np.repeat(years[rows], p).astype(np.int32)
        data: dict[str, Any] = {
            "row": _ar().numbers(np.repeat(numbers[rows], p).astype(np.int64)),
            "organisation_id": ids.take(_ar().numbers(np.repeat(rows, p))),
            "profile_id": coded(profile_codes, [pr.id for pr in self.profiles]),
            "version": coded(version_codes[profile_codes].astype(np.int32), versions),
            "on": _ar().numbers(np.full(k * p, self.on.toordinal() - _EPOCH, dtype=np.int32)),
            "fiscal_year": _ar().numbers(year, mask=year == 0),
            # codes 0..2; VERDICTS maps the not-applicable code 3 to qualifies too
            "verdict": coded(
                interleave(verdicts).astype(np.int8), [v.value for v in VERDICTS[:3]]
            ),
        }
        data["on"] = data["on"].cast(pa.date32())
        outcome_values = _ar().strings([o.value for o in OUTCOMES])
        # each criterion column from the profiles that have it (null elsewhere), with one
        # validity bitmap per set of such profiles
        bitmaps: dict[tuple[int, ...], Any] = {}
        for cid, owners in self._owners().items():
            codes = np.zeros(k * p, dtype=np.int8)
            for j, col in owners:
                codes[j::p] = outcomes[j][rows, col]
            key = tuple(j for j, _ in owners)
            if key not in bitmaps:
                valid = np.zeros(k * p, dtype=bool)
                for j in key:
                    valid[j::p] = True
                bitmaps[key] = pa.py_buffer(np.packbits(valid, bitorder="little"))
            nulls = 0 if len(key) == p else k * (p - len(key))
            indices = pa.Array.from_buffers(
                pa.int8(),
                k * p,
                [bitmaps[key] if nulls else None, pa.py_buffer(codes)],
                null_count=nulls,
            )
            data[f"criterion.{cid}"] = pa.DictionaryArray.from_arrays(indices, outcome_values)
        # one list of field paths per distinct value, taken per row
        offsets: list[int] = []
        lists: list[list[str]] = []
        for m in missing:
            offsets.append(len(lists))
            lists.extend(list(x) for x in m.paths)
        codes = interleave(
            [m.codes.astype(np.int32) + off for m, off in zip(missing, offsets, strict=True)]
        )
        data["missing_facts"] = _ar().string_lists(lists).take(_ar().numbers(codes))
        data["rests_on_presumptions"] = _ar().numbers(interleave(rests).astype(bool))
        data["presumed_criteria"] = _presumed_lists(self.plans, presumed, interleave, pa)
        described = [(plan.assumptions or NONE).describe() for plan in self.plans]
        distinct = list(dict.fromkeys(described))
        per_profile = np.array([distinct.index(d) for d in described], dtype=np.int32)
        data["assumptions"] = coded(per_profile[profile_codes], distinct)
        return pa.table(data)

    def _owners(self) -> dict[str, list[tuple[int, int]]]:
        """Per criterion column: the (profile, criterion index) pairs that have it."""
        out: dict[str, list[tuple[int, int]]] = {cid: [] for cid in self.criteria}
        for j, plan in enumerate(self.plans):
            for c, criterion in enumerate(plan.criteria):
                if all(o != j for o, _ in out[criterion.id]):  # the first, as ids.index
                    out[criterion.id].append((j, c))
        return out

    @property
    def chunk_rows(self) -> int:
        """The most rows classified at a time, so that a chunk's results (a row per
        profile, a column per criterion) stay near 2**26 cells."""
        width = len(self.plans) * (len(self.criteria) + 10)
        return max(1 << 13, min(CSV_CHUNK_ROWS, (1 << 26) // max(width, 1)))

    def _mapped(self, table: Any) -> TextTable:
        """A table read through the run's register mapping: its typed columns as text
        (the rules both lanes share), then mapped; the problems of both kept."""
        pa, _ = _pa()
        assert self.mapper is not None
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        source = _source_name(table)
        t = frame_to_arrow(table, source, MappedNames())
        texts = text_table(t, source, MappedNames())
        names = tuple(texts.table.column_names)
        if names not in self._headers:
            self.mapper.header(list(names), source)
            self._headers.add(names)
        mapped = self.mapper.table(texts.table)
        if not texts.problems:
            return mapped  # type: ignore[no-any-return]
        problems = {i: list(e) for i, e in texts.problems.items()}
        for i, e in mapped.problems.items():
            problems.setdefault(i, []).extend(e)
        return TextTable(mapped.table, {i: tuple(problems[i]) for i in sorted(problems)})

    def _arrow(self, table: Any, *, known: bool = True) -> Any:
        """The input as text columns: as is for a table of text (CSV chunks), else
        through the typed-column rules the per-object reader shares (:mod:`._typed`).
        Without *known* (a batch of records, each checked alone), columns outside the
        vocabulary are let through."""
        pa, _ = _pa()
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        source = _source_name(table)
        t = frame_to_arrow(table, source, self.columns)
        if self.columns:
            t = t.rename_columns([self.columns.get(c, c) for c in t.column_names])
        if all(pa.types.is_string(f.type) for f in t.schema) and all(
            n == n.strip() for n in t.column_names
        ):
            try:  # Parquet does not check that its strings are UTF-8
                t.validate(full=True)
            except pa.ArrowInvalid:
                return text_table(t, source, known=known)
            _check_header(source, t.column_names, {}, known=known)
            return t
        return text_table(t, source, known=known)


#: columns of the results a kept input column may not take the name of
_RESULT_COLUMNS = frozenset(
    {"row", "organisation_id", "profile_id", "version", "on", "fiscal_year", "verdict"}
    | {"missing_facts", "rests_on_presumptions", "presumed_criteria", "assumptions"}
)


def _kept_names(keep: Any) -> tuple[str, ...]:
    """*keep* checked: a list of distinct column names, none a result column's."""
    if isinstance(keep, str) or not isinstance(keep, Sequence | set | frozenset):
        message = f"expected a list of column names (keep=['name']), got {keep!r}"
        raise InvalidInput("keep", [FieldError("keep", message)])
    names = list(keep)
    errors = []
    for name in names:
        if not isinstance(name, str) or not name:
            errors.append(FieldError("keep", f"expected a column name, got {name!r}"))
        elif name in _RESULT_COLUMNS or name.startswith("criterion."):
            message = f"expected an input column, got {name!r}: a column of the results"
            errors.append(FieldError("keep", message))
    if len(set(names)) != len(names):
        errors.append(FieldError("keep", f"expected distinct names, got {names!r}"))
    if errors:
        raise InvalidInput("keep", errors)
    return tuple(names)


def _is_records(source: Any) -> bool:
    """Whether *source* is an iterable of mappings (not a table, text or a mapping)."""
    module = type(source).__module__.split(".")[0]
    return (
        module not in ("pandas", "polars", "pyarrow")
        and isinstance(source, Iterable)
        and not isinstance(source, str | bytes | Mapping)
    )


def _one_batch(
    records: Iterable[Any],
    columns: Mapping[str, str],
    first_row: int,
    mapper: Mapper | None = None,
) -> Batch:
    batches = list(
        record_batches(records, columns=columns, first_row=first_row, size=1 << 62, mapper=mapper)
    )
    if not batches:
        return Batch("the records", [], [], [], columns)
    (batch,) = batches
    return batch


def _source_name(table: Any) -> str:
    module = type(table).__module__.split(".")[0]
    if module == "pandas":
        return "the pandas DataFrame"
    if module == "polars":
        return "the polars DataFrame"
    return f"the Arrow {type(table).__name__}"


_Typed = TextTable


_EPOCH = date(1970, 1, 1).toordinal()


def _presumed_lists(plans: Sequence[Plan], presumed: list[Any], interleave: Any, pa: Any) -> Any:
    """Per result row, the ids of the criteria whose basis is presumed (a list column),
    built once per distinct pattern of each profile."""
    import numpy as np

    lists: list[list[str]] = []
    codes: list[Any] = []
    for plan, flags in zip(plans, presumed, strict=True):
        ids = [c.id for c in plan.criteria]
        if flags.shape[1] == 0:
            codes.append(np.full(flags.shape[0], len(lists), dtype=np.int32))
            lists.append([])
            continue
        if not flags.any():
            codes.append(np.full(flags.shape[0], len(lists), dtype=np.int32))
            lists.append([])
            continue
        if flags.shape[1] < 64:  # one integer per row: unique over plain numbers is fast
            bits = flags.astype(np.uint64) @ (
                np.uint64(1) << np.arange(flags.shape[1], dtype=np.uint64)
            )
            keys, inverse = np.unique(bits, return_inverse=True)
            codes.append((inverse.reshape(-1) + len(lists)).astype(np.int32))
            lists.extend(
                [cid for k, cid in enumerate(ids) if (key >> k) & 1] for key in keys.tolist()
            )
            continue
        uniques, inverse = np.unique(flags, axis=0, return_inverse=True)
        codes.append((inverse.reshape(-1) + len(lists)).astype(np.int32))
        lists.extend([cid for cid, f in zip(ids, u, strict=True) if f] for u in uniques.tolist())
    if not lists:
        lists = [[]]
    return _ar().string_lists(lists).take(_ar().numbers(interleave(codes)))


@attrs.define
class _Missing:
    """Per row, an index into *paths* (the distinct lists of fields to collect)."""

    codes: Any
    paths: list[tuple[str, ...]]
    index: dict[tuple[str, ...], int] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.index = {p: i for i, p in enumerate(self.paths)}

    def set(self, row: int, paths: tuple[str, ...]) -> None:
        if paths not in self.index:
            self.index[paths] = len(self.paths)
            self.paths.append(paths)
        self.codes[row] = self.index[paths]


class _SeenIds:
    """The ids classified so far in a run, with their row numbers, exactly.

    Memory grows by 12 bytes an id: ids of up to :data:`_SHORT_ID` bytes are kept as a
    64-bit hash and an ordinal, in sorted numpy arrays, in levels that merge when they
    reach the size of the one before (as a log-structured merge tree), checked in
    O(log^2 n) per id. The ids themselves (and their first rows) are written to a
    temporary file, read back only to confirm an id whose hash is already held (a
    repeat, or a collision of hashes, which is then no repeat). Longer ids are kept in
    a dict, each costing its own length plus a constant. Repeats are found exactly;
    the first row (in row order) is kept. *hash* turns a matrix of id bytes (one id a
    row) into 64-bit hashes (for tests: a poor one makes collisions).
    """

    def __init__(self, hash: Any = None) -> None:
        #: per level: (sorted hashes, the ordinal of each id in the spill file)
        self.levels: list[tuple[Any, Any]] = []
        #: ids longer than :data:`_SHORT_ID` bytes, with their first row
        self.long: dict[bytes, int] = {}
        self._hash = hash or _hash_rows
        self._spill: _Spill | None = None

    def add(self, ids: Any, numbers: Any, keep: Any) -> list[tuple[int, int]]:
        """Record the kept rows' ids; return (row index, first row) for each repeat."""
        import numpy as np

        pa, pc = _pa()
        kept = np.flatnonzero(keep)
        if len(kept) == 0:
            return []
        taken = pc.cast(ids.take(_ar().numbers(kept)), pa.binary())
        lengths = _ar().to_numpy(_ar().fill_null(pc.binary_length(taken), 0))
        long = lengths > _SHORT_ID
        out: list[tuple[int, int]] = []
        if long.any():
            # long ids: one dict entry each (memory by the id's own length, never padded)
            where = np.flatnonzero(long)
            for j, value in zip(
                where.tolist(), taken.take(_ar().numbers(where)).to_pylist(), strict=True
            ):
                row = int(numbers[kept[j]])
                first = self.long.setdefault(value, row)
                if first != row:
                    out.append((int(kept[j]), first))
        short = np.flatnonzero(~long)
        out.extend(self._add_short(taken.take(_ar().numbers(short)), kept[short], numbers))
        out.sort()
        return out

    def _add_short(self, taken: Any, idx: Any, numbers: Any) -> list[tuple[int, int]]:
        import numpy as np

        if len(idx) == 0:
            return []
        matrix = _fixed_bytes(taken, matrix=True)
        keys = matrix.view(f"S{matrix.shape[1]}").ravel()
        hashes = self._hash(matrix)
        rows = numbers[idx].astype(np.int64)
        m = len(keys)
        earlier = np.full(m, -1, dtype=np.int64)  # the row that already had the id
        for level_hashes, level_ordinals in self.levels:
            lo = np.searchsorted(level_hashes, hashes, side="left")
            hi = np.searchsorted(level_hashes, hashes, side="right")
            for j in np.flatnonzero((hi > lo) & (earlier < 0)).tolist():
                # a hash held already: the id itself decides (a repeat, or a collision)
                assert self._spill is not None
                for ordinal in level_ordinals[lo[j] : hi[j]].tolist():
                    ident, row = self._spill.read(ordinal)
                    if ident + b"\x01" == keys[j]:  # keys end with a byte 1
                        earlier[j] = row
                        break
        order = np.argsort(keys, kind="stable")
        same = np.zeros(m, dtype=bool)
        same[1:] = keys[order][1:] == keys[order][:-1]
        start = np.maximum.accumulate(np.where(~same, np.arange(m), 0))
        first = order[start]  # per sorted position: the batch's first row with that id
        repeat_sorted = same | (earlier[first] >= 0)
        first_row = np.where(earlier[first] >= 0, earlier[first], rows[first])
        repeat = np.zeros(m, dtype=bool)
        repeat[order] = repeat_sorted
        first_of = np.zeros(m, dtype=np.int64)
        first_of[order] = first_row
        if not repeat.all():
            fresh = ~repeat
            if self._spill is None:
                self._spill = _Spill()
            ordinals = self._spill.write(taken.filter(_ar().numbers(fresh)), rows[fresh])
            self._insert(hashes[fresh], ordinals)
        return [(int(idx[j]), int(first_of[j])) for j in np.flatnonzero(repeat).tolist()]

    def _insert(self, hashes: Any, ordinals: Any) -> None:
        import numpy as np

        order = np.argsort(hashes, kind="stable")
        level = (hashes[order], ordinals[order])
        while self.levels and len(self.levels[-1][0]) <= 2 * len(level[0]):
            level = _merge_sorted(self.levels.pop(), level)
        self.levels.append(level)


def _merge_sorted(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any]:
    """Two levels (hashes sorted, with their ordinals) as one, without sorting again:
    each of *b*'s entries goes where a binary search in *a* puts it (memory: the two
    levels, the merged one and a byte a row)."""
    import numpy as np

    (ah, ao), (bh, bo) = a, b
    at = np.searchsorted(ah, bh, side="right") + np.arange(len(bh))
    hashes = np.empty(len(ah) + len(bh), dtype=ah.dtype)
    ordinals = np.empty(len(ah) + len(bh), dtype=ao.dtype)
    from_a = np.ones(len(hashes), dtype=bool)
    from_a[at] = False
    hashes[at], ordinals[at] = bh, bo
    hashes[from_a], ordinals[from_a] = ah, ao
    return hashes, ordinals


class _Spill:
    """The ids of a :class:`_SeenIds`, each with its first row, in a temporary file
    (deleted when closed or collected): fixed-size records of (offset, length, row),
    then the bytes of the ids."""

    def __init__(self) -> None:
        import tempfile
        import weakref

        self.index = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the finalizer
        self.data = tempfile.TemporaryFile()  # noqa: SIM115
        self.count = 0
        self.size = 0
        # closed (and so deleted) with the index that owns them
        weakref.finalize(self, _close_all, self.index, self.data)

    def write(self, ids: Any, rows: Any) -> Any:
        """Append ids (an Arrow binary array, no nulls) and rows; return their
        ordinals."""
        import numpy as np

        pa, _ = _pa()
        if ids.offset or ids.null_count:
            ids = pa.concat_arrays([ids.fill_null(b"")])
        n = len(ids)
        _, offsets_buf, data_buf = ids.buffers()
        bounds = np.frombuffer(offsets_buf, dtype=np.int32)[: n + 1].astype(np.int64)
        start, end = int(bounds[0]), int(bounds[-1])
        records = np.stack([self.size + bounds[:-1] - start, np.diff(bounds), rows], axis=1)
        self.index.seek(self.count * 24)
        self.index.write(records.astype(np.int64).tobytes())
        self.data.seek(self.size)
        if data_buf is not None and end > start:
            self.data.write(memoryview(data_buf)[start:end])
        self.size += end - start
        ordinals = np.arange(self.count, self.count + n, dtype=np.uint32)
        self.count += n
        return ordinals

    def read(self, ordinal: int) -> tuple[bytes, int]:
        """The id (as numpy keeps fixed-width bytes: without trailing NULs) and its row."""
        import numpy as np

        self.index.seek(ordinal * 24)
        offset, length, row = np.frombuffer(self.index.read(24), dtype=np.int64).tolist()
        self.data.seek(offset)
        return self.data.read(length), row


def _close_all(*files: Any) -> None:
    for f in files:
        f.close()


def _hash_rows(matrix: Any) -> Any:
    """64-bit hashes of the rows of a byte matrix, each an id ended by a byte 1 and
    padded with NULs (FNV-1a over eight-byte words of the id and its end, whatever the
    padding, then a splitmix64 mix)."""
    import numpy as np

    n, width = matrix.shape
    # the last byte that is not NUL: the end mark; then eight bytes at a time
    ends = (width - 1 - np.argmax(matrix[:, ::-1] != 0, axis=1)) // 8
    words = -(-width // 8)
    padded = np.zeros((n, words * 8), dtype=np.uint8)
    padded[:, :width] = matrix
    as_words = padded.view("<u8")
    h = np.full(n, 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for c in range(words):
            step = (h ^ as_words[:, c]) * prime
            h = np.where(c <= ends, step, h)
            h ^= h >> np.uint64(29)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h


#: ids longer than this (in UTF-8 bytes) are indexed one by one, not in fixed width
_SHORT_ID = 64


def _fixed_bytes(ids: Any, *, matrix: bool = False) -> Any:
    """Arrow strings as numpy fixed-width bytes, each followed by a byte 1 (so that ids
    ending in NUL stay distinct: numpy drops trailing NULs), gathered without Python
    objects (with *matrix*: as a matrix of bytes, one id a row)."""
    import numpy as np

    pa, pc = _pa()
    ids = pc.cast(ids, pa.binary())
    n = len(ids)
    lengths = _ar().to_numpy(_ar().fill_null(pc.binary_length(ids), 0)).astype(np.int64)
    width = int(lengths.max(initial=0)) + 1
    if width > 256:  # long ids: one at a time rather than a wide matrix
        raw = [(v or b"") + b"\x01" for v in ids.to_pylist()]
        fixed = np.array(raw, dtype=object).astype(bytes)
        return fixed.view(np.uint8).reshape(n, -1) if matrix else fixed
    _, offsets_buf, data_buf = ids.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[ids.offset : ids.offset + n]
    data = (
        np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    )
    cols = np.arange(width)
    inside = cols[None, :] < lengths[:, None]
    where = np.minimum(offsets[:, None].astype(np.int64) + cols[None, :], max(len(data) - 1, 0))
    out = np.where(inside, data[where] if len(data) else 0, 0).astype(np.uint8)
    out[np.arange(n), lengths] = 1
    return out if matrix else out.view(f"S{width}").ravel()


def _ceiling_rows(
    frame: FactFrame, form_codes: Any, by_form: Sequence[Any], variants: Sequence[Any]
) -> Any:
    """The rows where some ceiling variant fills a fact otherwise than *by_form*: a form
    whose presumption it replaces, and that fact unknown in the row."""
    import numpy as np

    rows = np.zeros(frame.n, dtype=bool)
    for name, col in frame.facts.items():
        forms = [
            i
            for i, ps in enumerate(by_form)
            if name in ps and any(v[i].get(name) != ps[name] for v in variants)
        ]
        if not forms:
            continue
        rows |= np.isin(form_codes, forms) & _unknown(col)
    return np.flatnonzero(rows)


def _unknown(col: Any) -> Any:
    """The rows where a fact column is unknown (as presume_frame fills them)."""
    from .._engine._columnar import STATE_MISSING, BoolColumn, ChoiceColumn, ChoicesColumn

    if isinstance(col, BoolColumn):
        return col.codes == 1
    if isinstance(col, ChoiceColumn):
        return col.codes < 0
    if isinstance(col, ChoicesColumn):
        return ~col.known
    return col.state == STATE_MISSING


def _with_bases(profiles: Sequence[Profile], classifier: Classifier) -> list[Profile]:
    """*profiles* and the profiles they extend (their criteria of every version)."""
    out: list[Profile] = []
    for p in profiles:
        chain: Profile | None = p
        while chain is not None and len(out) < 100:
            out.append(chain)
            chain = classifier.profile(chain.extends) if chain.extends else None
    return out


def _numbers(first_row: int, row_numbers: Sequence[int] | None, n: int) -> Any:
    import numpy as np

    if row_numbers is None:
        return np.arange(first_row, first_row + n, dtype=np.int64)
    numbers = np.asarray(row_numbers, dtype=np.int64)
    if len(numbers) != n:
        raise ValueError(f"expected {n} row numbers, one per row, got {len(numbers)}")
    return numbers


def _pa() -> tuple[Any, Any]:
    from ._columns import _pa as pa_

    return pa_()


def classify_table(
    table: Any,
    profiles: str | Profile | Sequence[str | Profile],
    *,
    on: OnDate = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: ColumnsArg = None,
    unique_ids: bool = True,
    presumptions: Presumptions = True,
    assumptions: Assumptions | None = None,
    finances: Any = None,
    keep: Sequence[str] = (),
    validate: str = "needed",
) -> RegisterResult:
    """Classify a whole table (Arrow, pandas or polars) of flat rows at once, on *on*
    (default: today, the machine's local date; read as for :func:`~sse_model.classify`).

    Returns one row per organisation and profile (verdict, outcome of each
    criterion, the facts to collect when undetermined, whether the verdict rests on
    legal presumptions and which criteria do), every rejected row with its errors,
    and a summary whose counts reconcile. *presumptions* is as for
    :func:`~sse_model.classify` (``False``: observed facts only); *columns* and
    *finances* as for :func:`~sse_model.read_register`; *keep* (input columns carried
    into the results as text, ``keep=["name"]``) and *validate* (``"needed"``: only the
    columns the profiles need are checked; ``"all"``: every cell) as for
    :class:`~sse_model.RegisterClassifier`.
    """
    rc = RegisterClassifier(
        profiles,
        on=on,
        fiscal_year=fiscal_year,
        currency=currency,
        columns=columns,
        finances=finances,
        unique_ids=unique_ids,
        presumptions=presumptions,
        assumptions=assumptions,
        keep=keep,
        validate=validate,
    )
    return rc.classify_table(table)


#: characters of CSV text parsed at a time (memory holds about two chunks)
CSV_CHUNK = 1 << 24
#: rows classified at a time from a CSV chunk (narrow rows: many per chunk)
CSV_CHUNK_ROWS = 1 << 17
#: a CSV header with more columns than this is read by the per-object reader
COLUMNAR_MAX_COLUMNS = 4096


@attrs.frozen
class _Objects:
    """Rows read by the per-object reader (the columnar reader could not cut them)."""

    organisations: list[Organisation]
    numbers: Any


def _csv_batches(
    path: str,
    *,
    delimiter: str,
    encoding: str,
    bad: list[RejectedRow],
    currency: str | None = None,
    blank: set[int] | None = None,
    mapper: Mapper | None = None,
) -> Iterator[Any]:
    """Stream a CSV file as Arrow tables of text columns (their header checked by
    *mapper*, if given, before any row is read); ragged rows go to *bad*, and
    the numbers of blank lines to *blank* (numbered as the row reader numbers them, but
    no rows).

    The file is cut into chunks at record boundaries (a newline outside quotes: the
    quotes before it are even in number) and each chunk is parsed by pyarrow with the
    header, so at most one chunk is in memory (pyarrow's own streaming reader reads
    ahead without bound), and tables of at most :data:`CSV_CHUNK_ROWS` rows are
    yielded. UTF-8 is cut as bytes; other encodings are decoded first.

    What this cannot cut is read by the per-object reader, from the row reached on
    (yielded as :class:`_Objects`): a file whose lines end in CR only, a header of
    more than :data:`COLUMNAR_MAX_COLUMNS` columns, and a record that does not end
    within the CSV cell limit (a stray quote makes every later newline look quoted).
    """
    import csv
    import gzip

    import pyarrow.csv as pacsv

    from .._errors import UnreadableInput

    pa, _ = _pa()
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    mode: dict[str, Any] = (
        {"mode": "rb"} if utf8 else {"mode": "rt", "encoding": encoding, "newline": ""}
    )
    start = 1  # the row number of the chunk's first row
    fallback = False
    try:
        with opener(path, **mode) as f:
            from ._readers import _CSV_FIELD_LIMIT

            first = f.readline(max(CSV_CHUNK, _CSV_FIELD_LIMIT))
            line = first.decode("utf-8-sig") if utf8 else first
            body_of_line = line.rstrip("\r\n")
            if "\r" in body_of_line or (not line.endswith("\n") and f.read(1)):
                fallback = True  # CR-only line ends (or a header longer than a chunk)
            header = None if fallback else next(csv.reader([line], delimiter=delimiter), None)
            if header is None and not fallback:
                return
            if header is not None and len(header) > COLUMNAR_MAX_COLUMNS:
                fallback = True
            if header is not None and not fallback:
                names = [h.strip() for h in header]
                _check_delimiter(path, names, delimiter)
                if mapper is not None:
                    mapper.header(names, path)
                else:
                    _check_header(path, names, {})
            if not fallback:
                assert header is not None
                yield from _csv_chunks(
                    f,
                    line,
                    header,
                    utf8,
                    delimiter,
                    bad,
                    pacsv,
                    pa,
                    set() if blank is None else blank,
                )
                return
    except _CannotCut as e:
        fallback, start = True, e.start
    except (UnicodeDecodeError, pa.ArrowInvalid) as e:
        if isinstance(e, pa.ArrowInvalid) and "UTF8" not in str(e):
            raise UnreadableInput(path, f"expected CSV, found: {e}") from None
        raise UnreadableInput(
            path,
            f"expected text in {encoding}, found bytes it cannot decode",
            hint="give the file's encoding with encoding= (--encoding)",
        ) from None
    except (EOFError, gzip.BadGzipFile, OSError) as e:
        raise UnreadableInput(path, f"expected a readable file, found {e}") from None
    if fallback:
        yield from _row_reader(path, delimiter, encoding, currency, start, bad, mapper)


_LONE_CR = re.compile(rb"\r(?!\n)")
_ONLY_LINE_ENDS = re.compile(rb"[\r\n]*")


def _has_blank_line(raw: bytes) -> bool:
    """Whether a chunk may hold a blank line (or a lone CR, which may end one): it
    starts with a line end, or holds ``\\n\\n``, ``\\n\\r\\n`` or a CR not before LF.

    The line ends are found with numpy (one pass; searching the bytes for the two
    patterns took several times as long on a 16 MB chunk)."""
    import numpy as np

    if raw.startswith((b"\n", b"\r")):
        return True
    if b"\r" in raw and _LONE_CR.search(raw) is not None:
        return True
    codes = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(codes == 10)
    gaps = np.diff(ends)
    if (gaps == 1).any():
        return True
    return bool((codes[ends[1:][gaps == 2] - 1] == 13).any())


def _blank_layout(raw: bytes, delimiter: str, width: int) -> tuple[list[int], list[int], int]:
    """For a chunk of whole records, as the csv module reads it: the 0-based numbers of
    its blank lines and of its records not as wide as the header, and its number of
    records (only for chunks with a blank line, which pyarrow skips unnumbered)."""
    text = raw.decode("utf-8", errors="replace")
    blanks: list[int] = []
    others: list[int] = []
    n = 0
    for n, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
        if not record:
            blanks.append(n)
        elif len(record) != width:
            others.append(n)
    count = n + 1 if text else 0
    return blanks, others, count


class _CannotCut(Exception):
    """No record end within the cell limit: the rows from *start* on go the other way."""

    def __init__(self, start: int) -> None:
        super().__init__(start)
        self.start = start


def _csv_chunks(
    f: Any,
    line: Any,
    header: list[str],
    utf8: bool,
    delimiter: str,
    bad: list[RejectedRow],
    pacsv: Any,
    pa: Any,
    blank: set[int],
) -> Iterator[Any]:
    from ._readers import _CSV_FIELD_LIMIT

    head = line.encode("utf-8")
    width = len(header)
    read_options = pacsv.ReadOptions(use_threads=False, block_size=1 << 30)
    convert_options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in header},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    start = 1
    rest = b"" if utf8 else ""
    while True:
        data = f.read(CSV_CHUNK)
        chunk = rest + data
        if not chunk:
            return
        cut = len(chunk) if not data else _record_end(chunk, delimiter)
        if cut <= 0:  # one record longer than a chunk: read on, up to the cell limit
            if len(chunk) > max(_CSV_FIELD_LIMIT, CSV_CHUNK):
                raise _CannotCut(start)
            rest = chunk
            continue
        body, rest = chunk[:cut], chunk[cut:]
        raw = body if utf8 else body.encode("utf-8")
        # blank lines are no rows but have a number (as in the row reader); pyarrow
        # skips them, so a chunk that has some is numbered with the csv module
        layout = _blank_layout(raw, delimiter, width) if _has_blank_line(raw) else None
        if _ONLY_LINE_ENDS.fullmatch(raw) is not None:  # (no copy of the chunk)
            if layout is not None:
                blank.update(start + k for k in layout[0])
                start += layout[2]
            continue
        invalid: list[Any] = []

        def handler(row: Any, invalid: list[Any] = invalid) -> str:
            invalid.append(row)
            return "skip"

        table = pacsv.read_csv(
            pa.py_buffer(head + raw),
            read_options=read_options,
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=handler
            ),
            convert_options=convert_options,
        )
        del raw, body
        if layout is not None:
            blanks, ragged_at, _ = layout
            blank.update(start + k for k in blanks)
        for k, row in enumerate(invalid):
            if layout is not None and k < len(ragged_at):
                number = start + ragged_at[k]
            else:
                number = start + (row.number or 0) - 2  # the chunk's header is its row 1
            bad.append(
                _ragged(
                    number,
                    row.text,
                    width,
                    row.actual_columns,
                    [h.strip() for h in header],
                    delimiter,
                )
            )
        start += layout[2] if layout is not None else table.num_rows + len(invalid)
        for offset in range(0, max(table.num_rows, 1), CSV_CHUNK_ROWS):
            yield table.slice(offset, CSV_CHUNK_ROWS)


def _row_reader(
    path: str,
    delimiter: str,
    encoding: str,
    currency: str | None,
    start: int,
    bad: list[RejectedRow],
    mapper: Mapper | None = None,
) -> Iterator[_Objects]:
    """The rows from *start* on, read by the per-object reader, in chunks (through
    *mapper*'s register mapping, if given)."""
    from pathlib import Path

    import numpy as np

    from ._readers import _csv_rows

    orgs: list[Organisation] = []
    numbers: list[int] = []
    seen = 0
    checked = mapper is None
    for row in _csv_rows(Path(path), encoding, delimiter, {} if checked else MappedNames()):
        seen += 1  # rows are numbered as the columnar reader does: blank lines are none
        if not checked and not isinstance(row, RejectedRow):
            assert mapper is not None
            mapper.header([k for k in row.cells if k is not None], path)
            checked = True
        if seen < start:
            continue
        item: Organisation | RejectedRow
        if isinstance(row, RejectedRow):
            item = attrs.evolve(row, number=seen)
        elif mapper is not None:
            cells, problems = mapper.cells(row.cells)
            if problems:
                item = rejected(seen, cells, problems, currency=currency)
            else:
                (item,) = rows_to_organisations([Row(seen, cells)], currency=currency)
        else:
            (item,) = rows_to_organisations([Row(seen, row.cells)], currency=currency)
        if isinstance(item, RejectedRow):
            bad.append(item)
        else:
            orgs.append(item)
            numbers.append(seen)
        if len(orgs) >= CSV_CHUNK_ROWS // 8 or len(bad) >= CSV_CHUNK_ROWS // 8:
            yield _Objects(orgs, np.array(numbers, dtype=np.int64))
            orgs, numbers = [], []
    if orgs or bad:
        yield _Objects(orgs, np.array(numbers, dtype=np.int64))


def _record_end(chunk: Any, delimiter: str = ",") -> int:
    """The end of the last whole record in *chunk* (text or bytes, starting a record).

    Usually just after the last newline with an even number of quotes before it, found
    in one pass from the end. That parity is right only when every quote is part of a
    quoted cell: when one is not (``5" Pipes``, a quote inside an unquoted cell, which
    CSV keeps as text), the chunk is read quote by quote as the csv module reads it.
    """
    quote, newline = (b'"', b"\n") if isinstance(chunk, bytes) else ('"', "\n")
    quotes, paired = _quotes(chunk, delimiter)
    if not paired:
        return _quoted_record_end(chunk, delimiter)
    end = len(chunk)
    pos = chunk.rfind(newline)
    while pos >= 0:
        quotes -= chunk.count(quote, pos, end)
        end = pos
        if quotes % 2 == 0:
            return int(pos) + 1
        pos = chunk.rfind(newline, 0, pos)
    return 0


def _quotes(chunk: Any, delimiter: str) -> tuple[int, bool]:
    """The number of quotes in *chunk*, and whether, taken in pairs, they open only at
    the start of a cell and close only at its end (or form ``""``): then their parity
    tells quoted from not."""
    import numpy as np

    if isinstance(chunk, bytes):
        if len(delimiter.encode("utf-8")) != 1:
            quotes = chunk.count(b'"')
            return quotes, not quotes
        codes = np.frombuffer(chunk, dtype=np.uint8)
        d = delimiter.encode("utf-8")[0]
    else:
        codes = np.frombuffer(chunk.encode("utf-32-le"), dtype=np.uint32)
        d = ord(delimiter)
    at = np.flatnonzero(codes == ord('"'))
    if not len(at):
        return 0, True
    opens, closes = at[0::2], at[1::2]

    def bound(c: Any) -> Any:
        # a delimiter, a line end or a quote (np.isin would sort for each call)
        return (c == d) | (c == ord("\n")) | (c == ord("\r")) | (c == ord('"'))

    before = codes[np.maximum(opens - 1, 0)]
    ok_open = (opens == 0) | bound(before)
    after = codes[np.minimum(closes + 1, len(codes) - 1)]
    ok_close = (closes == len(codes) - 1) | bound(after)
    return len(at), bool(ok_open.all() and ok_close.all())


def _quoted_record_end(chunk: Any, delimiter: str) -> int:
    """The end of the last whole record in *chunk* (which starts a record), reading
    quotes as the csv module and pyarrow do: a quote opens a quoted cell only at the
    start of a cell; inside one, ``""`` is a quote and ``"`` closes it."""
    binary = isinstance(chunk, bytes)
    q, nl, cr = (b'"', b"\n", b"\r") if binary else ('"', "\n", "\r")
    d = delimiter.encode("utf-8") if binary else delimiter
    inside = False
    last = 0
    pos = 0
    while True:
        j = chunk.find(q, pos)
        if inside:
            if j < 0:
                return last
            if chunk[j + 1 : j + 2] == q:
                pos = j + 2
            else:
                inside, pos = False, j + 1
            continue
        k = chunk.rfind(nl, pos, len(chunk) if j < 0 else j)
        if k >= 0:
            last = k + 1
        if j < 0:
            return last
        if (
            j == 0
            or chunk[j - 1 : j] in (nl, cr)
            or (j >= len(d) and chunk.startswith(d, j - len(d)))
        ):
            inside = True
        pos = j + 1


def _as_text(table: pa.Table) -> pa.Table:
    """Dictionary and yes/no columns as text and lists joined with "; ", for CSV."""
    pa, pc = _pa()
    columns = []
    for col in table.columns:
        if pa.types.is_dictionary(col.type):
            columns.append(col.cast(pa.string()))
        elif pa.types.is_list(col.type):
            columns.append(pc.binary_join(col, "; "))
        elif pa.types.is_boolean(col.type):
            columns.append(col.cast(pa.string()))  # "true" / "false", as text() writes
        else:
            columns.append(col)
    return pa.table(dict(zip(table.column_names, columns, strict=True)))


def _good_rows(start: int, count: int, skipped: set[int]) -> tuple[Any, int]:
    """The numbers of *count* rows read from *start* on, around the *skipped* ones."""
    import numpy as np

    if not any(start <= k < start + count + len(skipped) for k in skipped):
        n = start + count
        while n in skipped:
            n += 1
        return np.arange(start, start + count, dtype=np.int64), n
    numbers: list[int] = []
    n = start
    while len(numbers) < count:
        if n not in skipped:
            numbers.append(n)
        n += 1
    while n in skipped:
        n += 1
    return np.array(numbers, dtype=np.int64), n


def _ragged(
    number: int, text: str, width: int, got: int, header: Sequence[str] = (), delimiter: str = ","
) -> RejectedRow:
    """A row with another number of cells than the header, with the errors the
    per-object reader gives it (its cells read as that reader reads them)."""
    import csv

    if not header:
        more = "more" if got > width else "fewer"
        return RejectedRow(
            number,
            None,
            (FieldError("", f"expected {width} cells as in the header, got {got} ({more})"),),
            {"line": text},
        )
    record = next(csv.reader([text], delimiter=delimiter), [])
    cells: dict[str | None, str | None] = dict(zip(header, record, strict=False))
    if len(record) > width:
        cells[None] = ";".join(record[width:])
    elif len(record) < width:
        cells.update(dict.fromkeys(header[len(record) :]))
    (out,) = rows_to_organisations([Row(number, cells)])
    if isinstance(out, RejectedRow):
        return out
    return _ragged(number, text, width, got)  # pragma: no cover - ragged rows never pass


def stream_file(
    rc: RegisterClassifier,
    source: str | os.PathLike[str],
    *,
    format: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    chunk_rows: int = 1 << 17,
    sheet: str | int | None = None,
) -> Iterator[RegisterResult]:
    """Classify a register chunk by chunk: CSV, TSV (optionally gzipped), Parquet, JSON
    Lines, JSON or Excel (*sheet*: by name or 0-based index, default the first).

    Each result covers one chunk; ragged CSV rows are among its rejected rows (and
    counted in its summary), so the summaries add up to every row of the file.
    """

    path = str(source)
    fmt = format or _format_of(path)
    if fmt == "ndjson":
        fmt = "jsonl"
    if fmt in ("jsonl", "json", "geojson", "xlsx"):
        from pathlib import Path

        p = Path(path)
        if not p.exists():
            raise FileNotFoundError(f"no such register file: {p}")
        if p.is_dir():
            from .._errors import UnreadableInput

            raise UnreadableInput(path, "expected a file, found a directory")
        size = min(chunk_rows, RECORD_BATCH_ROWS)
        for batch in file_batches(
            p, fmt, encoding=encoding, columns=rc.columns, sheet=sheet, size=size, mapper=rc.mapper
        ):
            yield rc.classify_table(batch)
        return
    bad: list[RejectedRow] = []
    blank: set[int] = set()  # numbers of blank CSV lines (numbered, but no rows)
    if fmt == "parquet":
        batches: Iterable[Any] = _parquet_batches(path, chunk_rows)
    elif fmt in ("csv", "tsv"):
        from pathlib import Path

        from ._readers import _check_encoding

        _check_encoding(Path(path), encoding)
        sep = delimiter or ("\t" if fmt == "tsv" else ",")
        batches = _csv_batches(
            path,
            delimiter=sep,
            encoding=encoding,
            bad=bad,
            currency=rc.currency,
            blank=blank,
            mapper=rc.mapper,
        )
    else:
        raise ValueError(
            f"expected a CSV, TSV, Parquet, JSON Lines, JSON or Excel file, got {path!r} ({fmt})"
        )
    ordinal = 1  # the next data row of the file (ragged rows included)
    ragged: set[int] = set()  # row numbers of the ragged rows met so far
    for batch in _readable(batches, path):
        if isinstance(batch, _Objects):
            result = rc.classify_organisations(batch.organisations, row_numbers=batch.numbers)
            yield _with_ragged(result, bad) if bad else result
            bad.clear()
            continue
        ragged.update(r.number for r in bad)
        ragged.update(blank)
        blank.clear()
        numbers, ordinal = _good_rows(ordinal, batch.num_rows, ragged)
        # many profiles: fewer rows at a time, so that memory stays flat
        step = rc.chunk_rows
        for start in range(0, max(batch.num_rows, 1), step):
            result = rc.classify_table(
                batch.slice(start, step) if batch.num_rows > step else batch,
                row_numbers=numbers[start : start + step],
            )
            if bad:
                result = _with_ragged(result, bad)
                bad.clear()
            yield result
    if bad:
        yield _with_ragged(rc.classify_table(_empty()), bad)


def _readable(batches: Iterable[Any], path: str) -> Iterator[Any]:
    """*batches*, with a truncated or corrupt compressed file reported as the row reader
    reports it (:class:`~sse_model.UnreadableInput`), not as a bare ``EOFError``."""
    import gzip
    import zlib

    from .._errors import UnreadableInput

    it = iter(batches)
    while True:
        try:
            batch = next(it)
        except StopIteration:
            return
        except (EOFError, gzip.BadGzipFile, zlib.error) as e:
            raise UnreadableInput(path, f"expected a readable file, found {e}") from None
        yield batch


def _parquet_batches(path: str, chunk_rows: int) -> Iterator[Any]:
    """Record batches of a Parquet file; a file pyarrow cannot read is unreadable."""
    import pyarrow.parquet as pq

    from .._errors import UnreadableInput

    pa, _ = _pa()
    try:
        yield from pq.ParquetFile(path).iter_batches(batch_size=chunk_rows)
    except FileNotFoundError:
        raise
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError, EOFError) as e:
        raise UnreadableInput(path, f"expected a Parquet file, found: {e}") from None


def _with_ragged(result: RegisterResult, bad: list[RejectedRow]) -> RegisterResult:
    rejected = tuple(sorted((*result.rejected, *bad), key=lambda r: r.number))
    extra = RegisterSummary(len(bad), 0, len(bad))
    return RegisterResult(result.table, rejected, result.summary + extra)


def _empty() -> pa.Table:
    pa, _ = _pa()
    return pa.table({"id": pa.array([], pa.string())})


def _format_of(path: str) -> str:
    name = path.lower().removesuffix(".gz")
    for ext, fmt in (
        (".parquet", "parquet"),
        (".pq", "parquet"),
        (".tsv", "tsv"),
        (".tab", "tsv"),
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "json"),
        (".geojson", "geojson"),
        (".geojsons", "geojson"),
        (".geojsonl", "geojson"),
        (".xlsx", "xlsx"),
        (".xlsm", "xlsx"),
    ):
        if name.endswith(ext):
            return fmt
    return "csv"


def classify_file(
    source: str | os.PathLike[str],
    profiles: str | Profile | Sequence[str | Profile],
    *,
    output: str | os.PathLike[str],
    on: OnDate = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: ColumnsArg = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    chunk_rows: int = 1 << 17,
    errors: str | os.PathLike[str] | None = None,
    unique_ids: bool = True,
    escape_formulas: bool = True,
    presumptions: Presumptions = True,
    assumptions: Assumptions | None = None,
    sheet: str | int | None = None,
    finances: Any = None,
    keep: Sequence[str] = (),
    validate: str = "needed",
) -> RegisterSummary:
    """Classify a register (CSV, TSV, Parquet, JSON Lines, JSON or Excel: by its
    extension; *sheet* picks an Excel sheet) in a stream, writing Parquet or CSV results
    (by *output*'s extension), on *on* (default: today, the machine's local date; read
    as for :func:`~sse_model.classify`).

    Memory stays flat: one chunk is read, classified and written at a time (fewer
    rows at a time under many profiles); only the index of ids seen (for
    *unique_ids*: a row repeating the id of a row already classified is rejected, the
    first kept) grows: 12 bytes a row for ids of up to 64 bytes (a hash and an
    ordinal; the ids go to a temporary file, read back only to confirm a repeat), and
    a longer id its own length plus a constant (never padding the others).
    *validate*: as for :class:`RegisterClassifier` (``"needed"``: only the cells of
    the columns the profiles need are checked).
    Rejected rows go to *errors* (JSON Lines), if given; the summary counts them.

    *output* and *errors* appear only when the whole register has been classified
    (written under temporary names, then renamed); a failure or Ctrl-C leaves neither
    and keeps files of those names as they were. An *output* or *errors* that is the
    *source* (also through a link), or both the same file, is refused with
    :class:`~sse_model.UnreadableInput` before anything is read. *escape_formulas*:
    as :func:`~sse_model.write_results` (CSV only).
    Verdicts that rest on legal presumptions are counted (*presumptions*: as for
    :func:`~sse_model.classify`). *columns* and *finances*: as for
    :func:`~sse_model.read_register` (a register mapping, and a long table of yearly
    figures it joins). *keep*: input columns written beside ``organisation_id`` (as
    for :class:`~sse_model.RegisterClassifier`).
    """
    import json

    _checks.path(source, "source")
    _checks.path(output, "output")
    refuse_same_file(source, output=output, errors=errors)
    rc = RegisterClassifier(
        profiles,
        on=on,
        fiscal_year=fiscal_year,
        currency=currency,
        columns=columns,
        finances=finances,
        unique_ids=unique_ids,
        presumptions=presumptions,
        assumptions=assumptions,
        keep=keep,
        validate=validate,
    )
    summary = RegisterSummary()
    with contextlib.ExitStack() as stack:
        err = stack.enter_context(AtomicOutput(errors)).file if errors else None
        writer = stack.enter_context(ResultWriter(output, escape_formulas=escape_formulas))
        for result in stream_file(
            rc,
            source,
            delimiter=delimiter,
            encoding=encoding,
            chunk_rows=chunk_rows,
            sheet=sheet,
        ):
            writer.write(result.table)
            summary = summary + result.summary
            if err is not None:
                for r in result.rejected:
                    err.write(json.dumps(rejected_record(r), ensure_ascii=False) + "\n")
        if writer.empty:
            writer.write(rc.classify_table(_empty()).table)
    return summary


class ResultWriter:
    """Write result tables to Parquet or CSV (by extension), one chunk at a time.

    *row* (the input row number) is kept unless ``row=False``; CSV gets plain text
    columns with the facts to collect joined by ``"; "``, as :func:`write_results`
    (text cells a spreadsheet would run as formulas get a leading ``'`` unless
    ``escape_formulas=False``). A path *target* appears only on :meth:`close` (written
    under a temporary name, then renamed); :meth:`abort`, or leaving the ``with``
    block on an exception, leaves no file and an existing one untouched (Parquet: no
    footer is written). An open file receives CSV as it is written, and Parquet only
    on :meth:`close`.
    """

    def __init__(
        self,
        target: str | os.PathLike[str] | Any,
        *,
        format: str | None = None,
        row: bool = True,
        escape_formulas: bool = True,
    ) -> None:
        self.target = target
        self.format = format or ("csv" if str(target).lower().endswith(".csv") else "parquet")
        self.row = row
        self.escape_formulas = escape_formulas
        self.writer: Any = None
        self.empty = True
        self._atomic: AtomicOutput | None = None
        if isinstance(target, str | os.PathLike) and self.format == "csv":
            self._atomic = AtomicOutput(target, mode="wb")

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def close(self) -> None:
        """Finish the file (Parquet footer) and put it in place."""
        if self.writer is not None:
            if isinstance(self.writer, ParquetOutput):
                self.writer.commit()
            self.writer = None
        if self._atomic is not None:
            self._atomic.commit() if not self.empty else self._atomic.abort()
            self._atomic = None

    def abort(self) -> None:
        """Drop what was written: no file is left (an open file keeps its CSV lines)."""
        if isinstance(self.writer, ParquetOutput):
            self.writer.abort()
        self.writer = None
        if self._atomic is not None:
            self._atomic.abort()
            self._atomic = None

    def write(self, table: pa.Table) -> None:
        self.empty = False
        if not self.row:
            table = table.drop_columns(["row"])
        if self.format == "csv":
            self._write_csv(_as_text(table))
            return
        if self.writer is None:
            pa, _ = _pa()
            coded = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
            # dictionary pages only for coded columns (verdicts, outcomes): for ids and
            # lists they would only be tried and dropped
            self.writer = ParquetOutput(
                self.target, table.schema, use_dictionary=coded, write_statistics=False
            )
        self.writer.write_table(table)

    def _write_csv(self, table: pa.Table) -> None:
        """CSV as Python's csv module writes it (quoting only the cells that need it),
        so that both ways of classifying give the same bytes."""
        import csv
        import io

        import pyarrow.csv as pacsv

        pa, pc = _pa()
        if self.writer is None:
            sink = self._atomic.file if self._atomic is not None else self.target
            self.writer = _TextSink(sink)
            header = io.StringIO()
            csv.writer(header, lineterminator="\n").writerow(table.column_names)
            self.writer.write(header.getvalue().encode("utf-8"))
        if self.escape_formulas:
            table = _escape_formulas(table)
        needs_quotes = any(
            pc.any(pc.match_substring_regex(col, r'[,"\r\n]')).as_py()
            for col in table.columns
            if pa.types.is_string(col.type)
        )
        if not needs_quotes:
            options = pacsv.WriteOptions(include_header=False, quoting_style="none", eol="\n")
            buf = pa.BufferOutputStream()
            pacsv.write_csv(table, buf, write_options=options)
            self.writer.write(buf.getvalue().to_pybytes())
            return
        text = io.StringIO()
        w = CSVRows(text)
        for row in zip(*(col.to_pylist() for col in table.columns), strict=True):
            w.writerow(["" if v is None else v for v in row])
        self.writer.write(text.getvalue().encode("utf-8"))


def _escape_formulas(table: pa.Table) -> pa.Table:
    """Text columns with a leading ``'`` on cells a spreadsheet would run as formulas
    (as :func:`~sse_model._io._outputs.escape_formula`, cell by cell)."""
    pa, pc = _pa()
    columns = []
    for name, col in zip(table.column_names, table.columns, strict=True):
        # verdicts and outcomes are fixed words (met, not_met...): nothing to look for
        fixed = name == "verdict" or name.startswith("criterion.")
        if pa.types.is_string(col.type) and name not in _NOT_TEXT and not fixed:
            risky = pc.fill_null(pc.match_substring_regex(col, FORMULA_PATTERN), False)
            if pc.any(risky).as_py():
                columns.append(pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col))
                continue
        columns.append(col)
    return pa.table(dict(zip(table.column_names, columns, strict=True)))


class _TextSink:
    """An open (text or binary) file, written with bytes."""

    def __init__(self, target: Any) -> None:
        self.file: Any = target

    def write(self, data: bytes) -> None:
        if isinstance(self.file, io.TextIOBase):
            self.file.write(data.decode("utf-8"))
        else:
            self.file.write(data)
