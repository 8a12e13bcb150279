"""The policy lab: what a draft rule would change over a register, before it is law.

- :func:`compare`: a register classified under two or more profiles (a base and a
  draft :class:`~sse_model.Reform`, or neighbours' laws) in one pass of the register
  classifier: the 3x3 table of verdict transitions, the organisations that flip and
  the criteria whose outcome changed, counts by country, family and legal form;
- :func:`sweep`: one threshold over many values, counted in one pass over the columns:
  each row's observed value is read once, the verdict with the comparison met and
  with it not met is classified once, and the rows are counted per value with a sort
  and ``searchsorted`` (the boundary decided exactly, ``>=`` as ``>=``);
- :func:`margins`: per organisation and criterion, how far the observed value is from
  the threshold, and the one change that would let a "does not qualify" qualify
  when one criterion alone excludes it.

All three reuse :class:`~sse_model.RegisterClassifier`, so rows are read, checked,
rejected and counted exactly as :func:`~sse_model.classify_table` counts them.
"""

from __future__ import annotations

import inspect
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from . import _checks
from ._engine._assume import Assumptions
from ._engine._ast import Anchor, Compare, Const, Criterion, Node, Op, Param, Truth
from ._engine._classify import Presumptions
from ._engine._evaluate import fact_value, pick_fiscal_year
from ._engine._facts import FACTS, FactKind
from ._engine._intervals import Span, decide_span, fact_span
from ._engine._loader import _NodeError, load_profile
from ._engine._profile import Parameter, Profile, anchored
from ._engine._reform import compares_of, map_criterion, threshold_of
from ._engine._result import MET, NOT_MET
from ._io._batch import RegisterClassifier, RegisterResult, RegisterSummary, stream_file
from ._io._flat import RejectedRow
from ._io._sources import ColumnsArg
from ._model import Money, Organisation
from ._model._organisation import Undefined
from ._model._units import format_fraction, parse_ratio

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "GROUPS",
    "TRANSITION_VERDICTS",
    "Margins",
    "RegisterComparison",
    "Sweep",
    "compare",
    "margins",
    "sweep",
]

#: the verdicts of a transitions table, in their order
TRANSITION_VERDICTS = ("qualifies", "does_not_qualify", "undetermined")
#: the input columns a comparison counts by (as recorded; absent columns count as none)
GROUPS = ("country", "family", "legal_form")
_NONE = "(not recorded)"
_VALUE, _UNDEFINED, _MISSING = 2, 1, 0


# --- running the register classifier ------------------------------------------------


@attrs.frozen
class _Observed:
    """The value of one fact in the rows of one chunk: row numbers, state and value as a
    float, and the exact value of the rows the float cannot decide."""

    numbers: Any
    state: Any
    value: Any
    exact: Mapping[int, Fraction]
    #: the span of values the facts known allow, for the rows with no value whose
    #: verdict the swept comparison moves (by row number)
    spans: Mapping[int, Span] = attrs.field(factory=dict)


class _Probe:
    """Reads one number fact per row while the register classifier reads the chunk:
    as the float of the fast lane, exactly (the per-object fact) for the rows the fast
    lane does not vouch for and those within float error of one of *thresholds*."""

    def __init__(
        self,
        fact: str,
        thresholds: Sequence[Fraction],
        *,
        every: bool = False,
        moving: tuple[str, str] | None = None,
    ) -> None:
        self.fact = fact
        self.thresholds = sorted(thresholds)
        #: read every row's value exactly (organisations already built: a few rows)
        self.every = every
        #: the profiles with the swept comparison met and not met: a row with no value
        #: whose verdict differs under them gets the span its known facts allow
        self.moving = moving

    def read(
        self,
        rc: RegisterClassifier,
        frame: Any,
        exact: Any,
        source: Any,
        numbers: Any,
        texts: Any,
        result: RegisterResult | None = None,
    ) -> _Observed:
        import numpy as np

        col = frame.facts.get(self.fact)
        n = frame.n
        if col is None:  # pragma: no cover - the plans read the fact
            state = np.zeros(n, dtype=np.int8)
            value = np.full(n, np.nan)
        else:
            state = np.asarray(col.state, dtype=np.int8).copy()
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(state == _VALUE, col.num / col.den, np.nan)
        resolve = np.asarray(exact, dtype=bool).copy() if n else np.zeros(0, dtype=bool)
        if self.every:
            resolve |= state == _VALUE
        if self.thresholds and n:
            ts = np.array([float(t) for t in self.thresholds if t != 0])
            if len(ts):
                at = np.clip(np.searchsorted(ts, value), 0, len(ts) - 1)
                below = ts[np.clip(at - 1, 0, len(ts) - 1)]
                near = (np.abs(value - ts[at]) <= 1e-9 * np.abs(ts[at])) | (
                    np.abs(value - below) <= 1e-9 * np.abs(below)
                )
                resolve |= near & (state == _VALUE)
        out: dict[int, Fraction] = {}
        integral = getattr(col, "integral", None)
        whole = bool(getattr(col, "exact", False))
        for i in np.flatnonzero(resolve).tolist():
            number = int(numbers[i])
            if not exact[i] and (whole or (integral is not None and integral[i])):
                num, den = float(col.num[i]), float(col.den[i])
                if max(abs(num), abs(den)) < 2.0**53:
                    out[number] = Fraction(int(num), int(den))
                    continue
            org = rc._exact_row(source, i, number, texts)
            if isinstance(org, RejectedRow):
                state[i] = _MISSING  # rejected: not among the results
                continue
            fy, _ = pick_fiscal_year(org, rc.on, rc.fiscal_year)
            v = fact_value(FACTS[self.fact], org, fy, rc.on)
            if v is None:
                state[i] = _MISSING
            elif isinstance(v, Undefined):
                state[i] = _UNDEFINED
            else:
                state[i] = _VALUE
                out[number] = Fraction(v.amount if isinstance(v, Money) else v)
        spans: dict[int, Span] = {}
        if self.moving is not None and result is not None and n:
            moved = _moved(result.table, *self.moving)
            rows = np.asarray(numbers, dtype=np.int64)
            for i in np.flatnonzero((state == _MISSING) & np.isin(rows, moved)).tolist():
                org = rc._exact_row(source, i, int(numbers[i]), texts)
                if isinstance(org, RejectedRow):  # pragma: no cover - not classified
                    continue
                fy, _ = pick_fiscal_year(org, rc.on, rc.fiscal_year)
                spans[int(numbers[i])] = fact_span(FACTS[self.fact], org, fy)
        return _Observed(np.asarray(numbers, dtype=np.int64), state, value, out, spans)


def _moved(table: pa.Table, met: str, not_met: str) -> Any:
    """The row numbers whose verdict differs under *met* and under *not_met*."""
    import numpy as np
    import pyarrow.compute as pc

    def verdicts(pid: str) -> tuple[Any, Any]:
        part = table.filter(pc.equal(table.column("profile_id").cast("string"), pid))
        rows = part.column("row").to_numpy()
        order = np.argsort(rows, kind="stable")
        v = part.column("verdict").cast("string").to_numpy(zero_copy_only=False)
        return rows[order], v[order]

    rows, a = verdicts(met)
    _, b = verdicts(not_met)
    return rows[a != b]


class _LabClassifier(RegisterClassifier):
    """The register classifier, counting by columns the input may lack (as none), and
    reading the observed values of a fact when given a probe."""

    _absent_kept_unknown = True

    def __init__(self, profiles: Sequence[Profile], probes: Sequence[_Probe], **kw: Any) -> None:
        super().__init__(profiles, **kw)
        self._probes = tuple(probes)
        #: per fact probed, what each chunk observed
        self.observed: dict[str, list[_Observed]] = {p.fact: [] for p in self._probes}

    def _finish(
        self,
        frame: Any,
        exact: Any,
        ids: Any,
        source: Any,
        numbers: Any,
        n: int,
        *args: Any,
        **kw: Any,
    ) -> RegisterResult:
        result = super()._finish(frame, exact, ids, source, numbers, n, *args, **kw)
        # the text table the frame was read from, by name (the register classifier's
        # own parameter), to build exact rows as its exact lane builds them
        called = _FINISH.bind(self, frame, exact, ids, source, numbers, n, *args, **kw)
        texts = called.arguments.get("texts")
        for probe in self._probes:
            self.observed[probe.fact].append(
                probe.read(self, frame, exact, source, numbers, texts, result)
            )
        return result

    def spans(self, fact: str) -> dict[int, Span]:
        """The spans the probe of *fact* found (by row number)."""
        out: dict[int, Span] = {}
        for o in self.observed[fact]:
            out.update(o.spans)
        return out

    def values(self, fact: str, rows: Any) -> tuple[Any, Any, dict[int, Fraction]]:
        """The state and float value of *fact* in *rows* (row numbers, in order), and
        the exact values of the rows the floats cannot decide (by row number)."""
        import numpy as np

        seen = self.observed[fact]
        numbers = np.concatenate([o.numbers for o in seen]) if seen else np.zeros(0, np.int64)
        state = np.concatenate([o.state for o in seen]) if seen else np.zeros(0, np.int8)
        value = np.concatenate([o.value for o in seen]) if seen else np.zeros(0)
        exact: dict[int, Fraction] = {}
        for o in seen:
            exact.update(o.exact)
        order = np.argsort(numbers, kind="stable")
        at = order[np.searchsorted(numbers[order], rows)] if len(rows) else np.zeros(0, int)
        return state[at], value[at], exact


_FINISH = inspect.signature(RegisterClassifier._finish)


@attrs.frozen
class _Options:
    """How to read and classify the register (as for :func:`~sse_model.classify_table`)."""

    on: date
    fiscal_year: int | None = None
    currency: str | None = None
    columns: ColumnsArg = None
    presumptions: Presumptions = True
    assumptions: Assumptions | None = None
    finances: Any = None
    validate: str = "needed"
    format: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"
    sheet: str | int | None = None
    unique_ids: bool = True


def _run(
    register: Any,
    profiles: Sequence[Profile],
    options: _Options,
    *,
    keep: Sequence[str] = (),
    probes: Sequence[_Probe] = (),
    outcomes: bool = True,
) -> tuple[_LabClassifier, pa.Table, tuple[RejectedRow, ...], RegisterSummary]:
    """Classify *register* under *profiles*: the result rows (only row, id, profile
    and verdict, and the kept columns, without *outcomes*), rejected rows, summary."""
    import pyarrow as pa

    rc = _LabClassifier(
        profiles,
        probes,
        on=options.on,
        fiscal_year=options.fiscal_year,
        currency=options.currency,
        columns=options.columns,
        finances=options.finances,
        presumptions=options.presumptions,
        assumptions=options.assumptions,
        keep=keep,
        validate=options.validate,
        unique_ids=options.unique_ids,
    )
    if isinstance(register, str | os.PathLike):
        results: Iterable[RegisterResult] = stream_file(
            rc,
            register,
            format=options.format,
            delimiter=options.delimiter,
            encoding=options.encoding,
            sheet=options.sheet,
        )
    elif isinstance(register, Sequence) and register and isinstance(register[0], Organisation):
        results = [rc.classify_organisations(register)]
    else:
        results = [rc.classify_table(register)]
    tables: list[pa.Table] = []
    rejected: list[RejectedRow] = []
    summary = RegisterSummary()
    for r in results:
        t = r.table
        if not outcomes:
            t = t.select(["row", "organisation_id", *keep, "profile_id", "verdict"])
        else:
            t = t.drop_columns(["missing_facts", "presumed_criteria", "assumptions"])
        tables.append(t)
        rejected.extend(r.rejected)
        summary = summary + r.summary
    if not tables:
        import pyarrow as pa_

        tables.append(rc.classify_table(pa_.table({"id": pa_.array([], pa_.string())})).table)
    table = (
        pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]
    )
    return rc, table, tuple(rejected), summary


def _profile(p: str | Profile) -> Profile:
    return load_profile(p) if isinstance(p, str) else p


def _verdicts(table: pa.Table, profile_id: str) -> tuple[Any, Any, pa.Table]:
    """The row numbers and verdicts (strings) of *profile_id*'s rows, by row number."""
    import numpy as np
    import pyarrow.compute as pc

    part = table.filter(pc.equal(table.column("profile_id").cast("string"), profile_id))
    rows = part.column("row").to_numpy()
    order = np.argsort(rows, kind="stable")
    verdicts = np.asarray(part.column("verdict").cast("string").to_pylist(), dtype=object)
    return rows[order], verdicts[order], part.take(order)


def group_columns(by: str) -> tuple[str, ...]:
    """The input columns a count by *by* (one of :data:`GROUPS`) reads: a family not
    recorded is the one the legal form's law fixes, so it reads the legal form too."""
    return (by, "legal_form") if by == "family" else (by,)


def group_column(table: Any, by: str) -> Any:
    """The group of each row of a result *table* that kept :func:`group_columns`."""
    if by == "family":
        return _families(table.column("family"), table.column("legal_form"))
    return table.column(by).cast("string")


def group_of(org: Organisation, by: str) -> str | None:
    """*org*'s group under *by*, as :func:`group_column` reads it from columns."""
    from ._model._forms import form_table

    if by == "family":
        if org.family is not None:
            return str(org.family.value)
        form = form_table().get(org.legal_form) if org.legal_form else None
        return str(form.family.value) if form is not None and form.family else None
    value = getattr(org, by)
    return None if value is None else str(value)


def _families(family: Any, legal_form: Any) -> Any:
    """The family as recorded, else the one the law of the legal form fixes (when it
    fixes exactly one, as the presumptions read it)."""
    import pyarrow as pa

    from ._model._forms import form_table

    forms = form_table()
    out = []
    for given, code in zip(family.to_pylist(), legal_form.to_pylist(), strict=True):
        fixed = forms[code].family if given is None and code in forms else None
        out.append(given if fixed is None else fixed.value)
    return pa.array(out, pa.string())


# --- comparing profiles -----------------------------------------------------------------


@attrs.frozen
class RegisterComparison:
    """A register classified under several profiles (:func:`compare`).

    :attr:`table` has one row per organisation: ``row``, ``organisation_id``, the
    columns counted by (``country``, ``family``, ``legal_form``, as recorded), then
    ``verdict.<profile id>`` for each profile. :meth:`transitions`, :meth:`flips` and
    :meth:`counts` compare two of the profiles (by default the first two).
    """

    profiles: tuple[str, ...]
    on: date
    table: pa.Table
    #: per profile, the outcome of each of its criteria (``criterion.<id>`` columns)
    outcomes: tuple[pa.Table, ...]
    rejected: tuple[RejectedRow, ...]
    summary: RegisterSummary

    def __repr__(self) -> str:
        return (
            f"<RegisterComparison of {', '.join(self.profiles)}: "
            f"{self.table.num_rows} organisations, {self.summary.rejected} rejected rows>"
        )

    def _pair(self, a: int | str, b: int | str) -> tuple[int, int]:
        def index(x: int | str) -> int:
            if isinstance(x, str):
                if x not in self.profiles:
                    raise ValueError(f"expected one of {list(self.profiles)}, got {x!r}")
                return self.profiles.index(x)
            if not -len(self.profiles) <= x < len(self.profiles):
                raise IndexError(f"expected a profile index below {len(self.profiles)}, got {x}")
            return x % len(self.profiles)

        return index(a), index(b)

    def pairs(self) -> list[tuple[int, int]]:
        """The pairs compared: the first profile with each other one (a draft against
        the base, or a draft against each neighbour's law)."""
        return [(0, j) for j in range(1, len(self.profiles))]

    def transitions(self, a: int | str = 0, b: int | str = 1) -> list[dict[str, Any]]:
        """The 3x3 table of verdicts under *a* (``from``) and *b* (``to``), as nine
        ``{"from": verdict, "to": verdict, "count": n}`` entries (zeros included)."""
        import numpy as np

        i, j = self._pair(a, b)
        va = np.asarray(self.table.column(f"verdict.{self.profiles[i]}").to_pylist(), dtype=object)
        vb = np.asarray(self.table.column(f"verdict.{self.profiles[j]}").to_pylist(), dtype=object)
        return [
            {"from": x, "to": y, "count": int(((va == x) & (vb == y)).sum())}
            for x in TRANSITION_VERDICTS
            for y in TRANSITION_VERDICTS
        ]

    def transition_matrix(self, a: int | str = 0, b: int | str = 1) -> Any:
        """The transitions as a pandas DataFrame: a row per verdict under *a*, a column
        per verdict under *b*."""
        import pandas as pd

        i, j = self._pair(a, b)
        t = self.transitions(i, j)
        frame = pd.DataFrame(
            [[e["count"] for e in t if e["from"] == x] for x in TRANSITION_VERDICTS],
            index=pd.Index(TRANSITION_VERDICTS, name=f"{self.profiles[i]} \\ {self.profiles[j]}"),
            columns=list(TRANSITION_VERDICTS),
        )
        return frame

    def _outcome_columns(self, i: int, j: int) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
        """The criterion columns of *i* or *j*, and each one's outcomes (text arrays,
        null where the profile does not have the criterion)."""
        import pyarrow as pa

        oa, ob = self.outcomes[i], self.outcomes[j]
        names = list(dict.fromkeys([*oa.column_names, *ob.column_names]))
        none = pa.nulls(self.table.num_rows, pa.string())

        def array(t: pa.Table, c: str) -> Any:
            return t.column(c).combine_chunks() if c in t.column_names else none

        return names, {c: array(oa, c) for c in names}, {c: array(ob, c) for c in names}

    def _changed(self, i: int, j: int) -> tuple[list[str], Any, dict[str, Any], dict[str, Any]]:
        """The criterion names, a (rows x criteria) mask of changed outcomes (see
        :meth:`changed_criteria`), and the outcome columns under *i* and *j*."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        names, oa, ob = self._outcome_columns(i, j)
        holding = pa.array(["not_met", "unknown"])
        mask = np.zeros((self.table.num_rows, len(names)), dtype=bool)
        for k, c in enumerate(names):
            x, y = oa[c], ob[c]
            both = pc.and_(pc.is_valid(x), pc.is_valid(y))
            differ = pc.fill_null(pc.not_equal(x, y), False)
            one = pc.xor(pc.is_valid(x), pc.is_valid(y))
            holds = pc.fill_null(pc.is_in(pc.coalesce(x, y), value_set=holding), False)
            changed = pc.or_(pc.and_(both, differ), pc.and_(one, holds))
            mask[:, k] = changed.to_numpy(zero_copy_only=False)
        return names, mask, oa, ob

    def changed_criteria(self, a: int | str = 0, b: int | str = 1) -> list[tuple[str, ...]]:
        """Per organisation (in :attr:`table` order), the criteria whose outcome changed
        between *a* and *b*: a criterion of both whose outcome differs, and a criterion
        of only one of them that is not met or unknown there (one that can hold the
        verdict back)."""
        import numpy as np

        i, j = self._pair(a, b)
        names, mask, _, _ = self._changed(i, j)
        out: list[tuple[str, ...]] = [()] * self.table.num_rows
        short = [c.removeprefix("criterion.") for c in names]
        for r in np.flatnonzero(mask.any(axis=1)).tolist():
            out[r] = tuple(short[k] for k in np.flatnonzero(mask[r]).tolist())
        return out

    def flips(self, a: int | str = 0, b: int | str = 1) -> list[dict[str, Any]]:
        """The organisations whose verdict differs between *a* and *b*: row,
        organisation_id, the counted columns, ``from``, ``to``, ``criteria`` (see
        :meth:`changed_criteria`) and ``outcomes`` (each one's outcome under *a* and
        *b*: ``None`` under a profile that does not have it)."""
        import numpy as np
        import pyarrow.compute as pc

        i, j = self._pair(a, b)
        fa, fb = f"verdict.{self.profiles[i]}", f"verdict.{self.profiles[j]}"
        differ = pc.not_equal(self.table.column(fa), self.table.column(fb))
        where = np.flatnonzero(differ.to_numpy(zero_copy_only=False))
        names, mask, oa, ob = self._changed(i, j)
        records = self.table.take(where).to_pylist()
        out = []
        for r, k in zip(records, where.tolist(), strict=True):
            crits = [names[m] for m in np.flatnonzero(mask[k]).tolist()]
            entry = {x: r[x] for x in ("row", "organisation_id", *GROUPS)}
            entry.update({"from": r[fa], "to": r[fb]})
            entry["criteria"] = [c.removeprefix("criterion.") for c in crits]
            entry["outcomes"] = {
                c.removeprefix("criterion."): {"from": oa[c][k].as_py(), "to": ob[c][k].as_py()}
                for c in crits
            }
            out.append(entry)
        return out

    def counts(
        self, by: str = "country", a: int | str = 0, b: int | str = 1
    ) -> list[dict[str, Any]]:
        """Per value of *by* (``country``, ``family`` or ``legal_form``, as recorded):
        organisations, how many qualify under *a* and under *b*, how many enter
        (qualify only under *b*), leave (only under *a*) and change verdict."""
        if by not in self.table.column_names:
            raise ValueError(f"expected one of {list(GROUPS)}, got {by!r}")
        i, j = self._pair(a, b)
        fa, fb = f"verdict.{self.profiles[i]}", f"verdict.{self.profiles[j]}"
        groups: dict[str, dict[str, Any]] = {}
        for r in self.table.select([by, fa, fb]).to_pylist():
            key = r[by] if r[by] is not None else _NONE
            g = groups.setdefault(
                key,
                {
                    by: key,
                    "organisations": 0,
                    f"qualifies.{self.profiles[i]}": 0,
                    f"qualifies.{self.profiles[j]}": 0,
                    "enter": 0,
                    "leave": 0,
                    "changed": 0,
                },
            )
            g["organisations"] += 1
            qa, qb = r[fa] == "qualifies", r[fb] == "qualifies"
            g[f"qualifies.{self.profiles[i]}"] += qa
            g[f"qualifies.{self.profiles[j]}"] += qb
            g["enter"] += qb and not qa
            g["leave"] += qa and not qb
            g["changed"] += r[fa] != r[fb]
        return [groups[k] for k in sorted(groups)]

    def to_json(self) -> dict[str, Any]:
        """The comparison as a JSON document: ``transitions`` of the first two profiles
        (a list of ``{"from", "to", "count"}``), ``pairs`` (each pair's transitions,
        when more than two), ``flips`` of the first two, counts by group, the summary."""
        s = self.summary
        doc: dict[str, Any] = {
            "profiles": list(self.profiles),
            "on": self.on.isoformat(),
            "summary": {"rows": s.rows, "classified": s.classified, "rejected": s.rejected},
            "transitions": self.transitions(0, 1),
        }
        if len(self.profiles) > 2:
            doc["pairs"] = [
                {
                    "from_profile": self.profiles[i],
                    "to_profile": self.profiles[j],
                    "transitions": self.transitions(i, j),
                    "flips": self.flips(i, j),
                }
                for i, j in self.pairs()
            ]
        doc["flips"] = self.flips(0, 1)
        doc["counts"] = {g: self.counts(g) for g in GROUPS}
        return doc

    def rows(self) -> pa.Table:
        """One row per organisation: :attr:`table`'s columns, then ``changed_criteria``
        (between the first two profiles, joined by ``;``)."""
        import pyarrow as pa

        changed = [";".join(c) for c in self.changed_criteria(0, 1)]
        return self.table.append_column("changed_criteria", pa.array(changed, pa.string()))

    def to_pandas(self) -> Any:
        """:meth:`rows` as a DataFrame."""
        return self.rows().to_pandas()

    def to_text(self, shown: int = 20) -> str:
        """The comparison in words: the summary, each pair's transitions and the first
        *shown* flips, with the outcome of each changed criterion under both."""
        s = self.summary
        out = [
            f"Compared {s.classified} organisations on {self.on.isoformat()} "
            f"({s.rows} rows read, {s.rejected} rejected)."
        ]
        width = max(len(n) for n in TRANSITION_VERDICTS)
        for i, j in self.pairs():
            out += ["", f"{self.profiles[i]} -> {self.profiles[j]}"]
            cells = {(e["from"], e["to"]): e["count"] for e in self.transitions(i, j)}
            out.append(" " * (width + 2) + "  ".join(TRANSITION_VERDICTS))
            for x in TRANSITION_VERDICTS:
                row = "  ".join(f"{cells[(x, y)]:>{len(y)}}" for y in TRANSITION_VERDICTS)
                out.append(f"{x:<{width}}  {row}")
            flips = self.flips(i, j)
            by = Counter(f["country"] or _NONE for f in flips)
            where = ", ".join(f"{k} {v}" for k, v in sorted(by.items()))
            out += [
                "",
                f"{len(flips)} organisations change verdict" + (f" ({where})" if by else ""),
            ]
            for f in flips[:shown]:
                place = ", ".join(str(x) for x in (f["country"], f["legal_form"]) if x)
                crits = ", ".join(
                    f"{c}: {o['from'] or 'absent'} -> {o['to'] or 'absent'}"
                    for c, o in f["outcomes"].items()
                )
                out.append(
                    f"  row {f['row']} {f['organisation_id']} ({place}): "
                    f"{f['from']} -> {f['to']} [{crits}]"
                )
            if len(flips) > shown:
                out.append(f"  ... {len(flips) - shown} more (--format json or csv)")
        return "\n".join(out) + "\n"

    def _repr_html_(self) -> str:
        from html import escape

        from ._engine._tables import records_html

        a, b = self.profiles[0], self.profiles[1]
        matrix = {(e["from"], e["to"]): e["count"] for e in self.transitions()}
        rows = [
            {f"{a} \\ {b}": x, **{y: matrix[(x, y)] for y in TRANSITION_VERDICTS}}
            for x in TRANSITION_VERDICTS
        ]
        flips = self.flips()
        for f in flips:
            f["criteria"] = ", ".join(f["criteria"])
        s = self.summary
        head = (
            f"<p><b>{escape(a)} → {escape(b)}</b>: {s.classified} organisations classified "
            f"({s.rejected} rows rejected), {len(flips)} change verdict</p>"
        )
        by_country = self.counts("country")
        return (
            head
            + records_html(rows, [f"{a} \\ {b}", *TRANSITION_VERDICTS])
            + records_html(by_country, list(by_country[0]) if by_country else ["country"])
            + records_html(flips, ["row", "organisation_id", *GROUPS, "from", "to", "criteria"])
        )


def compare(
    register: Any,
    base: str | Profile,
    draft: str | Profile,
    *more: str | Profile,
    on: date | None = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: ColumnsArg = None,
    presumptions: Presumptions = True,
    assumptions: Assumptions | None = None,
    finances: Any = None,
    validate: str = "needed",
    format: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    unique_ids: bool = True,
) -> RegisterComparison:
    """Classify *register* under *base*, *draft* (and *more*) and compare the verdicts.

    *register* is a file (CSV, TSV, Parquet, JSON Lines, JSON, Excel: as
    :func:`~sse_model.classify_file` reads it, in chunks) or a table or records (as
    :func:`~sse_model.classify_table`); the other options as there. Rows are
    classified once under every profile, on the columnar lane, and rejected rows are
    counted as classification counts them.

    *on*: the date the law is read at (default today): a date, an ISO string, a
    datetime or a pandas Timestamp.
    """
    profiles = [_profile(p) for p in (base, draft, *more)]
    ids = [p.id for p in profiles]
    if len(set(ids)) != len(ids):
        raise ValueError(f"expected profiles with distinct ids, got {ids}")
    options = _Options(
        on=_checks.on_date(on),
        fiscal_year=fiscal_year,
        currency=currency,
        columns=columns,
        presumptions=presumptions,
        assumptions=assumptions,
        finances=finances,
        validate=validate,
        format=format,
        delimiter=delimiter,
        encoding=encoding,
        sheet=sheet,
        unique_ids=unique_ids,
    )
    rc, table, rejected, summary = _run(register, profiles, options, keep=GROUPS)
    import pyarrow as pa

    first_rows, _, first = _verdicts(table, ids[0])
    columns_out: dict[str, Any] = {
        "row": pa.array(first_rows, pa.int64()),
        "organisation_id": first.column("organisation_id"),
        **{g: first.column(g) for g in GROUPS},
    }
    columns_out["family"] = _families(first.column("family"), first.column("legal_form"))
    outcomes = []
    for p, plan in zip(profiles, rc.plans, strict=True):
        rows, verdicts, part = _verdicts(table, p.id)
        assert (rows == first_rows).all()  # every profile classifies every kept row
        columns_out[f"verdict.{p.id}"] = pa.array(list(verdicts), pa.string())
        names = [f"criterion.{c.id}" for c in plan.criteria]
        outcomes.append(
            pa.table({n: part.column(n).cast(pa.string()) for n in dict.fromkeys(names)})
        )
    return RegisterComparison(
        tuple(ids), options.on, pa.table(columns_out), tuple(outcomes), rejected, summary
    )


# --- sweeping a threshold ---------------------------------------------------------------


def _count(op: Op, s: Any, t: float) -> int:
    """How many of the sorted floats *s* pass ``value op t``."""
    import numpy as np

    left = int(np.searchsorted(s, t, side="left"))
    right = int(np.searchsorted(s, t, side="right"))
    return {
        Op.AT_LEAST: len(s) - left,
        Op.MORE_THAN: len(s) - right,
        Op.AT_MOST: right,
        Op.LESS_THAN: left,
        Op.EQUALS: right - left,
    }[op]


_HOLDS: dict[Op, Callable[[Fraction, Fraction], bool]] = {
    Op.AT_LEAST: lambda v, t: v >= t,
    Op.MORE_THAN: lambda v, t: v > t,
    Op.AT_MOST: lambda v, t: v <= t,
    Op.LESS_THAN: lambda v, t: v < t,
    Op.EQUALS: lambda v, t: v == t,
}


@attrs.frozen
class SweepPoint:
    """The verdicts at one value of a swept threshold."""

    value: Fraction
    threshold: Fraction
    qualifies: int
    does_not_qualify: int
    undetermined: int

    @property
    def total(self) -> int:
        return self.qualifies + self.does_not_qualify + self.undetermined


@attrs.frozen
class Sweep:
    """Verdict counts of a register at each value of one threshold (:func:`sweep`)."""

    profile_id: str
    #: the criterion or parameter swept
    target: str
    fact: str
    op: Op
    points: tuple[SweepPoint, ...]
    #: the value the profile sets (None: a parameter with no value on the date)
    current: Fraction | None
    summary: RegisterSummary
    rejected: tuple[RejectedRow, ...] = attrs.field(repr=False)
    #: organisations whose verdict does not depend on the value (met or not: the same)
    unaffected: int = 0
    #: organisations whose observed value is missing or undefined (their verdict is the
    #: same at every value, often undetermined, unless the facts known bound the value:
    #: see :attr:`bounded`)
    unobserved: int = 0
    #: the date the law was read at (None: not recorded)
    on: date | None = None
    #: of the :attr:`unobserved`, those whose value the facts known bound (more than
    #: the fact's domain does): the bound decides the test at some values
    bounded: int = 0

    def __repr__(self) -> str:
        return (
            f"<Sweep of {self.target!r} ({self.fact} {self.op.symbol} t) in "
            f"{self.profile_id!r}: {len(self.points)} values>"
        )

    def records(self) -> list[dict[str, Any]]:
        """One record per value: value, threshold, counts and shares of each verdict."""
        out = []
        for p in self.points:
            n = p.total or 1
            out.append(
                {
                    "value": format_fraction(p.value),
                    "threshold": float(p.threshold),
                    "qualifies": p.qualifies,
                    "does_not_qualify": p.does_not_qualify,
                    "undetermined": p.undetermined,
                    "share_qualifies": p.qualifies / n,
                    "share_does_not_qualify": p.does_not_qualify / n,
                    "share_undetermined": p.undetermined / n,
                }
            )
        return out

    def to_pandas(self) -> Any:
        """One row per value (see :meth:`records`)."""
        import pandas as pd

        return pd.DataFrame(self.records())

    def to_table(self) -> pa.Table:
        """One row per value (see :meth:`records`), as an Arrow table."""
        import pyarrow as pa

        records = self.records()
        schema = pa.schema(
            [("value", pa.string()), ("threshold", pa.float64())]
            + [(v, pa.int64()) for v in TRANSITION_VERDICTS]
            + [(f"share_{v}", pa.float64()) for v in TRANSITION_VERDICTS]
        )
        return pa.Table.from_pylist(records, schema=schema)

    def to_json(self) -> dict[str, Any]:
        """The sweep as a JSON document: what was swept, the row accounting (as for
        classification), the organisations the value cannot move, and ``points``
        (one :meth:`records` entry per value, the value exact as text)."""
        s = self.summary
        return {
            "profile": self.profile_id,
            "target": self.target,
            "fact": self.fact,
            "test": self.op.symbol,
            "on": self.on.isoformat() if self.on else None,
            "current": format_fraction(self.current) if self.current is not None else None,
            "summary": {"rows": s.rows, "classified": s.classified, "rejected": s.rejected},
            "unaffected": self.unaffected,
            "unobserved": self.unobserved,
            "bounded": self.bounded,
            "points": self.records(),
        }

    def to_text(self) -> str:
        """The sweep in words: what was swept, the row accounting, then one line per
        value with the count (and share) of each verdict, undetermined included."""
        s = self.summary
        share = FACTS[self.fact].kind is FactKind.RATIO
        now = (
            f"; the profile sets {_shown(self.current, share)}" if self.current is not None else ""
        )
        when = f" on {self.on.isoformat()}" if self.on else ""
        out = [
            f"Swept {self.target} ({self.fact} {self.op.symbol} t) in {self.profile_id}{when}: "
            f"{s.classified} organisations ({s.rows} rows read, {s.rejected} rejected){now}.",
            f"{self.unaffected} organisations do not depend on the value; "
            f"{self.unobserved} have no observed value"
            + (
                f" ({self.bounded} of them bounded by the facts known, which decide the "
                "test at some values)."
                if self.bounded
                else "."
            ),
            "",
        ]
        heads = ("value", *TRANSITION_VERDICTS)
        cells = [
            (
                _shown(p.value, share and p.value == p.threshold),
                *(
                    f"{n} ({n / (p.total or 1):.1%})"
                    for n in (p.qualifies, p.does_not_qualify, p.undetermined)
                ),
            )
            for p in self.points
        ]
        widths = [max(len(h), *(len(c[k]) for c in cells)) for k, h in enumerate(heads)]
        out.append("  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True)))
        for c in cells:
            out.append("  ".join(x.rjust(w) for x, w in zip(c, widths, strict=True)))
        return "\n".join(out) + "\n"

    def _repr_html_(self) -> str:
        from html import escape

        from ._engine._tables import records_html

        rows = self.records()
        head = (
            f"<p><b>{escape(self.target)}</b> ({escape(self.fact)} {escape(self.op.symbol)} t) "
            f"in {escape(self.profile_id)}: {self.summary.classified} organisations; "
            f"{self.unobserved} with no observed value</p>"
        )
        return head + records_html(rows, list(rows[0]) if rows else ["value"])

    def plot(self, **kw: Any) -> Any:
        """:func:`sse_model.plots.sweep_chart` of this sweep."""
        from .plots import sweep_chart

        return sweep_chart(self, **kw)


@attrs.frozen
class _Target:
    criterion: Criterion
    fact: str
    op: Op
    #: the comparison's threshold (a parameter's times when swept by parameter)
    threshold: Fraction | Money | Param
    parameter: Parameter | None = None
    #: what a defined-as-impossible value gives the comparison
    if_undefined: Truth = Truth.UNKNOWN


def _target(profile: Profile, target: str, fact: str | None) -> _Target:
    crit = next((c for c in profile.criteria if c.id == target), None)
    parameter = next((p for p in profile.parameters if p.name == target), None)
    found: list[tuple[Criterion, Compare]] = []
    if crit is not None:
        found = [(crit, c) for c in compares_of(crit, fact)]
    elif parameter is not None:
        found = [
            (c, n)
            for c in profile.criteria
            for n in compares_of(c, fact)
            if isinstance(n.threshold, Param) and n.threshold.name == target
        ]
    else:
        own = ", ".join(c.id for c in profile.criteria)
        raise ValueError(
            f"expected a criterion or parameter of {profile.id!r} (its own: {own}), got {target!r}"
        )
    shapes = {(n.fact, n.op, n.threshold) for _, n in found}
    owners = {c.id for c, _ in found}
    if not found:
        raise ValueError(
            f"{target!r} compares no fact with a number{f' ({fact})' if fact else ''}"
        )
    if len(shapes) > 1 or len(owners) > 1:
        raise ValueError(
            f"{target!r} has several comparisons ({len(shapes)} kinds, in {sorted(owners)}): "
            "give fact=, or sweep one criterion whose comparisons share a fact, test and threshold"
        )
    (shape,) = shapes
    kind = FACTS[shape[0]].kind
    if kind not in (FactKind.RATIO, FactKind.COUNT):
        raise ValueError(f"a sweep compares shares or counts; {shape[0]} is a {kind.value}")
    node = next(n for _, n in found)
    return _Target(found[0][0], shape[0], shape[1], shape[2], parameter, node.if_undefined)


def _forced(profile: Profile, t: _Target, truth: Truth) -> Profile:
    """*profile* with the swept comparison replaced by a constant."""

    def fn(c: Compare) -> Node:
        if (c.fact, c.op, c.threshold) == (t.fact, t.op, t.threshold):
            return Const(truth)
        return c

    criteria = tuple(
        _same_anchor(c, map_criterion(c, fn)) if c.id == t.criterion.id else c
        for c in profile.criteria
    )
    return attrs.evolve(profile, id=f"{profile.id}#{truth.value}", criteria=criteria)


def _same_anchor(criterion: Criterion, changed: Criterion) -> Criterion:
    """*changed* judged under the version of the law that judges *criterion*: a rule
    about a fiscal year stays one when a constant replaces the facts it reads."""
    anchor = Anchor.FISCAL_YEAR_END if anchored(criterion) else Anchor.EVALUATION_DATE
    return attrs.evolve(changed, anchor=anchor)


def _thresholds(
    profile: Profile, t: _Target, values: Iterable[Any]
) -> list[tuple[Fraction, Fraction]]:
    """Each value as (the value, the threshold compared: a parameter's value times)."""
    out = []
    params = {p.name: p for p in profile.parameters}
    for i, v in enumerate(values):
        try:
            if t.parameter is not None:
                value = v if isinstance(v, Fraction) else parse_ratio(v)
                assert isinstance(t.threshold, Param)
                threshold = value * t.threshold.times
                threshold_of(t.fact, threshold, params, f"values[{i}]")
            else:
                threshold = threshold_of(t.fact, v, params, f"values[{i}]")  # type: ignore[assignment]
                if not isinstance(threshold, Fraction):
                    raise _NodeError(f"values[{i}]", f"expected a number, got {v!r}")
                value = threshold
        except _NodeError as e:
            raise ValueError(f"{e.path}: {e.message}") from None
        except Exception as e:
            raise ValueError(f"values[{i}]: {e}") from None
        out.append((value, threshold))
    return out


def sweep(
    register: Any,
    profile: str | Profile,
    target: str,
    values: Iterable[Any],
    *,
    fact: str | None = None,
    on: date | None = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: ColumnsArg = None,
    presumptions: Presumptions = True,
    assumptions: Assumptions | None = None,
    finances: Any = None,
    validate: str = "needed",
    format: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    unique_ids: bool = True,
) -> Sweep:
    """The verdicts of *register* under *profile* at each of *values* of one threshold.

    *target* is a criterion of the profile whose comparisons test one fact against
    one threshold (*fact* picks one when it compares several), or a parameter of the
    profile (its values are swept; the comparison is with the value times the
    parameter's factor). *values* are exact (``"40 %"``, ``Fraction(2, 5)``, ``"5"``).

    One pass: the register is classified once with the comparison met and once with
    it not met (and once as the profile stands, for rows with no observed value),
    each row's observed value is read once, and each value is counted with a sorted
    array, deciding the boundary exactly. Counts equal a full classification at each
    value (a property test checks this). *on*: the date the law is read at (default
    today).
    """
    p = _profile(profile)
    t = _target(p, target, fact)
    pairs = _thresholds(p, t, values)
    options = _Options(
        on=_checks.on_date(on),
        fiscal_year=fiscal_year,
        currency=currency,
        columns=columns,
        presumptions=presumptions,
        assumptions=assumptions,
        finances=finances,
        validate=validate,
        format=format,
        delimiter=delimiter,
        encoding=encoding,
        sheet=sheet,
        unique_ids=unique_ids,
    )
    met, not_met = _forced(p, t, Truth.TRUE), _forced(p, t, Truth.FALSE)
    probe = _Probe(t.fact, [th for _, th in pairs], moving=(met.id, not_met.id))
    rc, table, rejected, summary = _run(
        register, [p, met, not_met], options, probes=[probe], outcomes=False
    )
    import numpy as np

    rows, v_base, _ = _verdicts(table, p.id)
    _, v_met, _ = _verdicts(table, met.id)
    _, v_not, _ = _verdicts(table, not_met.id)
    state, value, exact = rc.values(t.fact, rows)
    observed = state == _VALUE
    # a row with no value whose verdict the comparison moves: what the facts known
    # allow decides the comparison at some values (interval bounds)
    spans = rc.spans(t.fact)
    bounded = np.array([int(r) in spans for r in rows.tolist()], dtype=bool) & ~observed
    # a row whose verdict is the same met or not, or with no value to compare (and no
    # bound), keeps its verdict at every value; the others take the met verdict where
    # the value passes
    fixed = ((~observed) & ~bounded) | (v_met == v_not)
    counts = {
        v: int(
            ((v_base == v) & ~observed & ~bounded).sum() + ((v_met == v) & observed & fixed).sum()
        )
        for v in TRANSITION_VERDICTS
    }
    # the bounded rows: met, not met, or unknown at each value; met and not met giving
    # two verdicts, unknown gives undetermined (the decision is monotone in Kleene's
    # logic), and a classification at that value agrees (a property test checks this)
    moved = [
        (spans[int(r)], a, b)
        for r, a, b in zip(
            rows[bounded].tolist(), v_met[bounded].tolist(), v_not[bounded].tolist(), strict=True
        )
    ]
    observed &= ~bounded
    moving = np.flatnonzero(~fixed & observed)
    is_exact = np.array([int(r) in exact for r in rows[moving].tolist()], dtype=bool)
    groups: dict[tuple[str, str], tuple[Any, list[Fraction]]] = {}
    for key in set(zip(v_met[moving].tolist(), v_not[moving].tolist(), strict=True)):
        m = (v_met[moving] == key[0]) & (v_not[moving] == key[1])
        floats = np.sort(value[moving[m & ~is_exact]])
        fractions = [exact[int(r)] for r in rows[moving[m & is_exact]].tolist()]
        groups[key] = (floats, fractions)
    holds = _HOLDS[t.op]
    points = []
    for v, th in pairs:
        tally = dict(counts)
        for (when_met, when_not), (floats, fractions) in groups.items():
            k = _count(t.op, floats, float(th)) + sum(1 for x in fractions if holds(x, th))
            tally[when_met] += k
            tally[when_not] += len(floats) + len(fractions) - k
        for span, when_met, when_not in moved:
            code = decide_span(span, t.op, (th, None), t.if_undefined)
            tally[
                when_met if code == MET else when_not if code == NOT_MET else "undetermined"
            ] += 1
        points.append(
            SweepPoint(v, th, tally["qualifies"], tally["does_not_qualify"], tally["undetermined"])
        )
    current: Fraction | None = None
    if t.parameter is not None:
        dv = t.parameter.value_on(options.on)
        current = dv.value if dv is not None and isinstance(dv.value, Fraction) else None
    elif isinstance(t.threshold, Fraction):
        current = t.threshold
    return Sweep(
        p.id,
        target,
        t.fact,
        t.op,
        tuple(points),
        current,
        summary,
        rejected,
        unaffected=int((observed & fixed).sum()),
        unobserved=int((~observed).sum()),
        bounded=sum(1 for span, _, _ in moved if span != fact_span(FACTS[t.fact], None, None)),
        on=options.on,
    )


# --- margins ----------------------------------------------------------------------------


@attrs.frozen
class _Rule:
    """The comparison a margin is measured from: ``fact op threshold``."""

    fact: str
    op: Op
    threshold: Fraction

    @property
    def share(self) -> bool:
        return FACTS[self.fact].kind is FactKind.RATIO

    def size(self, x: Fraction | float) -> str:
        """A distance in the fact's unit: percentage points for a share, else the
        count's unit (exact when it is a short decimal, else rounded with ``≈``)."""
        if isinstance(x, float):
            y = abs(x) * 100 if self.share else abs(x)
            text = f"{y:.6g}"
            if Fraction(text) != Fraction(abs(x)) * (100 if self.share else 1):
                text = "≈ " + text  # rounded: a float, read from the columns
        else:
            text = _shown(abs(x) * 100 if self.share else abs(x), share=False)
        unit = "points" if self.share else FACTS[self.fact].unit
        return f"{text} {unit}" if unit else text

    def holds(self, margin: Fraction | float) -> bool:
        """Whether ``fact op threshold`` holds at *margin* (value minus threshold)."""
        return {
            Op.AT_LEAST: margin >= 0,
            Op.MORE_THAN: margin > 0,
            Op.AT_MOST: margin <= 0,
            Op.LESS_THAN: margin < 0,
            Op.EQUALS: margin == 0,
        }[self.op]

    def line(self, cid: str, margin: Fraction | float | None) -> str:
        """One criterion's margin in words, with the test at the boundary."""
        rule = f"{self.fact} {self.op.symbol} {_shown(self.threshold, self.share)}"
        if margin is None:
            return f"  {cid}: no value to compare ({rule})"
        observed = (
            _shown(self.threshold + margin, self.share)
            if isinstance(margin, Fraction)
            else "≈ "
            + f"{(float(self.threshold) + margin) * (100 if self.share else 1):.10g}"
            + (" %" if self.share else "")
        )
        test = "holds" if self.holds(margin) else "fails"
        where = (
            "at the threshold"
            if margin == 0
            else f"{self.size(margin)} {'above' if margin > 0 else 'below'} the threshold"
        )
        return f"  {cid}: {where} ({self.fact} {observed}; {rule} {test})"


@attrs.frozen
class Margins:
    """Per organisation, the distance of each observed value from each threshold, and
    the one change that would let a "does not qualify" qualify (:func:`margins`).

    :attr:`table`: ``row``, ``organisation_id``, ``verdict``, ``margin.<criterion id>``
    (observed value minus threshold, in the fact's unit: a share as a fraction, a
    count as a count; positive: above the threshold), ``excluded_by`` (the criterion
    that alone excludes the organisation: met, the organisation would qualify) and
    ``needed`` (what it would take, in words, when that criterion compares a number).
    """

    profile_id: str
    table: pa.Table
    summary: RegisterSummary
    rejected: tuple[RejectedRow, ...] = attrs.field(repr=False)
    #: per criterion with a margin: the comparison it is measured from
    _rules: dict[str, _Rule] = attrs.field(factory=dict, repr=False, alias="rules")
    #: the exact margins known (by row and criterion): every one for organisations
    #: already built, those near a threshold for a register read from columns
    _exact: Mapping[tuple[int, str], Fraction] = attrs.field(
        factory=dict, repr=False, alias="exact"
    )

    def __repr__(self) -> str:
        return f"<Margins in {self.profile_id!r}: {self.table.num_rows} organisations>"

    def _record(self, organisation_id: str) -> dict[str, Any]:
        import pyarrow.compute as pc

        rows = self.table.filter(pc.equal(self.table.column("organisation_id"), organisation_id))
        if rows.num_rows == 0:
            raise KeyError(organisation_id)
        record: dict[str, Any] = rows.to_pylist()[0]
        return record

    def lines(self, organisation_id: str) -> list[str]:
        """One organisation's margins, a line each: how far it is from each threshold
        (exactly, in points for a share, in the unit of a count) and whether the test
        holds there, then the criterion that alone excludes it and the change needed."""
        r = self._record(organisation_id)
        out = []
        for cid, rule in self._rules.items():
            m = self._exact.get((r["row"], cid), r[f"margin.{cid}"])
            out.append(rule.line(cid, m))
        if r["excluded_by"] is not None:
            change = f": {r['needed']}" if r["needed"] else ""
            out.append(f"  excluded by {r['excluded_by']} alone{change}")
        elif r["verdict"] == "does_not_qualify":
            out.append("  no single criterion excludes it alone: no one change lets it qualify")
        return out

    def explain(self, organisation_id: str) -> str:
        """One organisation's margins in words: its verdict, then :meth:`lines`."""
        r = self._record(organisation_id)
        head = f"{organisation_id} under {self.profile_id}: {r['verdict']}"
        return "\n".join([head, *self.lines(organisation_id)])

    def section(self, result: Any) -> list[str]:
        """The margins of *result* (a :class:`~sse_model.Classification` under this
        profile, of an organisation these margins cover, with the same verdict) as
        the lines :meth:`~sse_model.Classification.explain` appends."""
        if result.profile_id != self.profile_id:
            raise ValueError(
                f"expected margins under {result.profile_id!r}, got {self.profile_id!r}"
            )
        r = self._record(result.organisation_id)
        if r["verdict"] != result.verdict.value:
            raise ValueError(
                f"the margins give {result.organisation_id!r} the verdict {r['verdict']}, "
                f"the classification {result.verdict.value}: compute both with the same "
                "date and options"
            )
        head = "  Margins (distance of each observed value from its threshold):"
        return [head, *("  " + x for x in self.lines(result.organisation_id))]

    def nearest_misses(self, criterion: str | None = None, top: int = 10) -> list[dict[str, Any]]:
        """The organisations one criterion alone excludes (of *criterion*, when given),
        those whose value is nearest the threshold first."""
        rows = [
            r
            for r in self.table.to_pylist()
            if r["excluded_by"] is not None
            and (criterion is None or r["excluded_by"] == criterion)
        ]

        def distance(r: dict[str, Any]) -> float:
            m = r.get(f"margin.{r['excluded_by']}")
            return abs(m) if m is not None else float("inf")

        return sorted(rows, key=distance)[:top]

    def to_pandas(self) -> Any:
        """:attr:`table` as a DataFrame."""
        return self.table.to_pandas()

    def _repr_html_(self) -> str:
        from ._engine._tables import records_html

        rows = self.nearest_misses(top=20)
        cols = ["row", "organisation_id", "verdict", "excluded_by", "needed"]
        return f"<p>Nearest misses in {self.profile_id}</p>" + records_html(rows, cols)


def _shown(x: Fraction, share: bool) -> str:
    """*x* in words: exactly when it is a short decimal, else rounded (with ``≈``)."""
    y = x * 100 if share else x
    unit = " %" if share else ""
    den = y.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1 and len(format_fraction(y)) <= 12:
        return f"{format_fraction(y)}{unit}"
    return "≈ " + f"{float(y):.8f}".rstrip("0").rstrip(".") + unit


def _needed(op: Op, fact: str, threshold: Fraction, observed: Fraction | None) -> str:
    share = FACTS[fact].kind is FactKind.RATIO
    now = f" (now {_shown(observed, share)})" if observed is not None else ""
    return f"{fact} {op.symbol} {_shown(threshold, share)}{now}"


def margins(
    register: Any,
    profile: str | Profile,
    *,
    on: date | None = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: ColumnsArg = None,
    presumptions: Presumptions = True,
    assumptions: Assumptions | None = None,
    finances: Any = None,
    validate: str = "needed",
    format: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    unique_ids: bool = True,
) -> Margins:
    """For each organisation of *register*, how far it is from each threshold of
    *profile* (each criterion of the profile whose comparisons test one fact against
    one fixed threshold), and which criterion alone excludes it.

    A criterion *alone excludes* an organisation when it does not qualify and would
    qualify were that criterion met (the profile classified with it met, once per
    criterion of the profile, on the columnar lane).

    *on*: the date the law is read at (default today).
    """
    import numpy as np
    import pyarrow as pa

    if isinstance(register, Organisation):
        register = [register]
    built = isinstance(register, Sequence) and all(isinstance(o, Organisation) for o in register)
    p = _profile(profile)
    options = _Options(
        on=_checks.on_date(on),
        fiscal_year=fiscal_year,
        currency=currency,
        columns=columns,
        presumptions=presumptions,
        assumptions=assumptions,
        finances=finances,
        validate=validate,
        format=format,
        delimiter=delimiter,
        encoding=encoding,
        sheet=sheet,
        unique_ids=unique_ids,
    )
    targets: dict[str, _Target] = {}
    for c in p.criteria:
        try:
            t = _target(p, c.id, None)
        except ValueError:
            continue
        if isinstance(t.threshold, Fraction) and c.in_force(options.on):
            targets[c.id] = t
    met = [
        attrs.evolve(
            p,
            id=f"{p.id}#{c.id}",
            criteria=tuple(
                _same_anchor(x, attrs.evolve(x, test=Const(Truth.TRUE), readings=()))
                if x.id == c.id
                else x
                for x in p.criteria
            ),
        )
        for c in p.criteria
    ]
    probes = [
        _Probe(fact, [t.threshold for t in targets.values() if t.fact == fact], every=built)  # type: ignore[misc]
        for fact in dict.fromkeys(t.fact for t in targets.values())
    ]
    rc, table, rejected, summary = _run(
        register, [p, *met], options, probes=probes, outcomes=False
    )
    rows, v_base, part = _verdicts(table, p.id)
    values = {cid: rc.values(t.fact, rows) for cid, t in targets.items()}
    excluded: list[str | None] = [None] * len(rows)
    needed: list[str | None] = [None] * len(rows)
    alone = {c.id: _verdicts(table, f"{p.id}#{c.id}")[1] for c in p.criteria}
    for k in range(len(rows)):
        if v_base[k] != "does_not_qualify":
            continue
        who = [cid for cid, v in alone.items() if v[k] == "qualifies"]
        if len(who) == 1:
            excluded[k] = who[0]
            one = targets.get(who[0])
            if one is not None:
                assert isinstance(one.threshold, Fraction)
                state, value, exact = values[who[0]]
                obs = exact.get(int(rows[k]))
                if obs is None and state[k] == _VALUE:
                    obs = Fraction(float(value[k])).limit_denominator(10**9)
                needed[k] = _needed(one.op, one.fact, one.threshold, obs)
    out: dict[str, Any] = {
        "row": pa.array(rows, pa.int64()),
        "organisation_id": part.column("organisation_id"),
        "verdict": pa.array(list(v_base), pa.string()),
    }
    exact_margins: dict[tuple[int, str], Fraction] = {}
    for cid, t in targets.items():
        assert isinstance(t.threshold, Fraction)
        state, value, exact = values[cid]
        margin = np.where(state == _VALUE, value - float(t.threshold), np.nan)
        for k, r in enumerate(rows.tolist()):
            if r in exact and state[k] == _VALUE:
                exact_margins[(r, cid)] = exact[r] - t.threshold
                margin[k] = float(exact_margins[(r, cid)])
        out[f"margin.{cid}"] = pa.array(margin, pa.float64(), mask=np.isnan(margin))
    out["excluded_by"] = pa.array(excluded, pa.string())
    out["needed"] = pa.array(needed, pa.string())
    rules = {cid: _Rule(t.fact, t.op, t.threshold) for cid, t in targets.items()}  # type: ignore[arg-type]
    return Margins(p.id, pa.table(out), summary, rejected, rules=rules, exact=exact_margins)
