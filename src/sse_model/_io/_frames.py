"""Classifications as pandas DataFrames (optional extra: ``pip install sse-model[dataframes]``).

One family of results: the classifications of :func:`~sse_model.classify_many` and the
:class:`~sse_model.RegisterResult` of :func:`~sse_model.classify_table` /
:func:`~sse_model.classify_file` give the same rows, columns and dtypes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._checks import _table_kind, described
from .._engine._result import Basis, Classification, Outcome, Verdict
from .._errors import InvalidArgument

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["to_dataframe", "verdict_matrix"]

#: the columns of the long form (``criteria=True``) a register result cannot fill: it
#: holds outcomes, not the facts observed nor the criteria's texts
_LONG_ONLY = ("observed", "threshold", "citation", "status", "interpretation", "missing")
_TAIL = ["missing_facts", "rests_on_presumptions", "presumed_criteria", "assumptions"]
_TEXT = ("organisation_id", "profile_id", "version", "assumptions")


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        msg = "DataFrames need pandas: pip install 'sse-model[dataframes]'"
        raise ImportError(msg) from None
    return pd


def _is_register(data: object) -> bool:
    """Whether *data* is a :class:`~sse_model.RegisterResult` (told by its parts: the
    module that defines it imports this one)."""
    return all(hasattr(data, a) for a in ("table", "rejected", "summary"))


def _register_results(data: Any) -> list[Any] | None:
    """The register results *data* is (one, or an iterable of them), else ``None``."""
    if _is_register(data):
        return [data]
    if isinstance(data, list | tuple) and data and all(_is_register(x) for x in data):
        return list(data)
    return None


def typed_frame(frame: Any) -> Any:
    """*frame* with the dtypes every result frame shares: ``fiscal_year`` a nullable
    integer, ``on`` a date (``datetime64[s]``), verdicts and outcomes categoricals of
    every value (so counts show the values no row has), identifiers text."""
    pd = _pandas()
    if "fiscal_year" in frame:
        frame["fiscal_year"] = frame["fiscal_year"].astype("Int64")
    if "on" in frame:
        frame["on"] = pd.to_datetime(frame["on"]).astype("datetime64[s]")
    verdicts = pd.CategoricalDtype([v.value for v in Verdict])
    outcomes = pd.CategoricalDtype([o.value for o in Outcome])
    for column in frame.columns:
        if column == "verdict":
            frame[column] = frame[column].astype(str).astype(verdicts)
        elif column == "outcome" or column.startswith("criterion."):
            values = frame[column].astype(object).where(frame[column].notna(), None)
            frame[column] = values.astype(outcomes)
        elif column in _TEXT:
            frame[column] = frame[column].astype(object).astype(str)
    for column in ("missing_facts", "presumed_criteria"):
        if column in frame:
            frame[column] = [list(x) if x is not None else [] for x in frame[column]]
    return frame


def register_frame(results: Iterable[Any], *, row: bool = True) -> Any:
    """The tables of register results as one typed DataFrame (with the input row
    numbers in ``row``, unless not *row*)."""
    import pyarrow as pa

    tables = [r.table for r in results]
    table = pa.concat_tables(tables, promote_options="permissive") if tables else None
    pd = _pandas()
    frame = table.to_pandas() if table is not None else pd.DataFrame()
    if not row and "row" in frame:
        frame = frame.drop(columns="row")
    return typed_frame(frame)


def _long_from_wide(frame: Any) -> Any:
    """The wide frame of outcomes (``criterion.<id>`` columns) in the long form of
    ``criteria=True``: one row per organisation, profile and criterion of the profile."""
    pd = _pandas()
    base = ["organisation_id", "profile_id", "version", "on", "fiscal_year", "verdict"]
    criteria = [c for c in frame.columns if c.startswith("criterion.")]
    rows: list[dict[str, Any]] = []
    for record in frame.to_dict("records"):
        presumed = set(record.get("presumed_criteria") or ())
        for column in criteria:
            outcome = record[column]
            if outcome is None or (isinstance(outcome, float) and math.isnan(outcome)):
                continue  # not a criterion of this row's profile
            cid = column.removeprefix("criterion.")
            if cid in presumed:
                basis = Basis.PRESUMED.value
            elif outcome == Outcome.UNKNOWN.value:
                basis = Basis.UNKNOWN.value
            else:
                basis = Basis.OBSERVED.value
            rows.append(
                {
                    **{b: record[b] for b in base},
                    "criterion": cid,
                    "outcome": outcome,
                    **dict.fromkeys(_LONG_ONLY),
                    "basis": basis,
                }
            )
    columns = [*base, "criterion", "outcome", *_LONG_ONLY, "basis"]
    return typed_frame(pd.DataFrame(rows, columns=columns))


_EXPECTED = "classifications (classify_many) or register results (classify_table, classify_file)"


def _results(value: Any) -> Any:
    """*value*, if it can be an iterable of results (not a table, a text or one result)."""
    hint = None
    if isinstance(value, Classification):
        hint = "one classification: pass [classification]"
    elif _table_kind(value) is not None:
        hint = "a table is already one; to classify its rows, classify_table(table, profiles)"
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return value
    raise InvalidArgument("classifications", _EXPECTED, described(value), hint=hint)


def to_dataframe(
    classifications: Iterable[Classification] | Any,
    *,
    criteria: bool = False,
    outcomes: bool = False,
) -> pd.DataFrame:
    """A tidy table of classifications, or of :class:`~sse_model.RegisterResult` (one
    or a list of them): the same rows and columns from either.

    One row per organisation and profile (verdict, version, date, fiscal year, missing
    facts); with *outcomes*, also one ``criterion.<id>`` column per criterion holding its
    outcome (the columns of :func:`~sse_model.write_results`); with *criteria*, one row
    per organisation, profile and criterion (outcome, observed values, threshold,
    citation, status, interpretation, basis). A register result holds outcomes, not the
    facts observed: from it, ``observed``, ``threshold``, ``citation``, ``status``,
    ``interpretation`` and ``missing`` are empty (classify the organisations with
    :func:`~sse_model.classify_many` for them).

    Dtypes: ``fiscal_year`` nullable integer (``Int64``), ``on`` ``datetime64[s]``,
    ``verdict``, ``outcome`` and ``criterion.<id>`` categoricals of every value.
    """
    if criteria and outcomes:
        raise ValueError("expected criteria=True or outcomes=True, not both")
    pd = _pandas()
    items = classifications
    if not isinstance(items, list | tuple):
        items = [items] if _is_register(items) else list(_results(items))
    registers = _register_results(items)
    if registers is not None:
        wide = register_frame(registers, row=False)
        if criteria:
            return _long_from_wide(wide)
        if not outcomes:
            wide = wide.drop(columns=[c for c in wide.columns if c.startswith("criterion.")])
        return wide
    rows: list[dict[str, Any]] = []
    for i, c in enumerate(items):
        if not isinstance(c, Classification):
            raise InvalidArgument(f"classifications[{i}]", _EXPECTED, described(c))
        base = {
            "organisation_id": c.organisation_id,
            "profile_id": c.profile_id,
            "version": c.version,
            "on": c.on,
            "fiscal_year": c.fiscal_year,
            "verdict": c.verdict.value,
        }
        if not criteria:
            missing = [m.path for m in c.settlement.missing_facts] if c.settlement else []
            if outcomes:
                base.update((f"criterion.{r.id}", r.outcome.value) for r in c.criteria)
            adopted = c.assumptions.describe() if c.assumptions else ""
            rows.append(
                {
                    **base,
                    "missing_facts": missing,
                    "rests_on_presumptions": c.rests_on_presumptions,
                    "presumed_criteria": [r.id for r in c.criteria if r.basis.value == "presumed"],
                    "assumptions": adopted,
                }
            )
            continue
        for r in c.criteria:
            rows.append(
                {
                    **base,
                    "criterion": r.id,
                    "outcome": r.outcome.value,
                    "observed": "; ".join(f"{o.fact} = {o.value}" for o in r.observed),
                    "threshold": r.threshold,
                    "citation": r.citation,
                    "status": r.status.value,
                    "interpretation": r.interpretation,
                    "missing": list(r.missing),
                    "basis": r.basis.value,
                }
            )
    frame = pd.DataFrame(rows)
    if outcomes and "missing_facts" in frame:  # last, as in CSV and Parquet results
        frame = frame[[c for c in frame.columns if c not in _TAIL] + _TAIL]
    return typed_frame(frame)


def verdict_matrix(classifications: Iterable[Classification] | Any) -> pd.DataFrame:
    """Organisations x profiles, each cell a verdict (a comparison view), from
    classifications or register results."""
    frame = to_dataframe(classifications)
    return frame.pivot(index="organisation_id", columns="profile_id", values="verdict")
