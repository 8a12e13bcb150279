"""Classifications as pandas DataFrames (optional extra: ``pip install sse-model[dataframes]``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._engine._result import Classification

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["to_dataframe", "verdict_matrix"]


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        msg = "DataFrames need pandas: pip install 'sse-model[dataframes]'"
        raise ImportError(msg) from None
    return pd


def to_dataframe(
    classifications: Iterable[Classification], *, criteria: bool = False, outcomes: bool = False
) -> pd.DataFrame:
    """A tidy table of classifications.

    One row per organisation and profile (verdict, version, date, fiscal year, missing
    facts); with *outcomes*, also one ``criterion.<id>`` column per criterion holding its
    outcome (the columns of :func:`~sse_model.write_results`); with *criteria*, one row
    per organisation, profile and criterion (outcome, observed values, threshold,
    citation, status, interpretation).
    """
    if criteria and outcomes:
        raise ValueError("expected criteria=True or outcomes=True, not both")
    pd = _pandas()
    rows: list[dict[str, Any]] = []
    for c in classifications:
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
    tail = ["missing_facts", "rests_on_presumptions", "presumed_criteria", "assumptions"]
    if outcomes and "missing_facts" in frame:  # last, as in CSV and Parquet results
        frame = frame[[c for c in frame.columns if c not in tail] + tail]
    for column in ("verdict", "outcome"):
        if column in frame:
            frame[column] = frame[column].astype("category")
    return frame


def verdict_matrix(classifications: Iterable[Classification]) -> pd.DataFrame:
    """Organisations x profiles, each cell a verdict (a comparison view)."""
    frame = to_dataframe(classifications)
    return frame.pivot(index="organisation_id", columns="profile_id", values="verdict")
