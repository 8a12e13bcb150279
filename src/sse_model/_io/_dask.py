"""Registers larger than one machine: the columnar classifier on ``dask.dataframe``.

:func:`classify_partition` is a plain function of one pandas DataFrame, made for
``ddf.map_partitions``; :func:`classify_dask` is the thin helper that passes it
the output schema (``meta``). Each partition is classified independently, with
the same two lanes as on one machine, and with no state kept between partitions
or runs (only the compiled plans are cached per process). :func:`classify_dask`
then rejects the rows whose id a classified row of an earlier partition (or an
earlier row of the same partition) already had: the first by partition and row
order is kept, whatever the scheduler, so two identical runs give identical
results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from .. import _checks
from .._engine._profile import Profile
from ._batch import RegisterClassifier
from ._writers import rejected_record

__all__ = ["classify_dask", "classify_partition"]


@cache
def _classifier(
    profiles: tuple[str, ...],
    on: date,
    fiscal_year: int | None,
    currency: str | None,
    columns: tuple[tuple[str, str], ...],
) -> RegisterClassifier:
    # a template per worker process: plans are compiled once, not per partition; every
    # partition classifies with a fresh() copy, so no seen-id state is shared
    return RegisterClassifier(
        list(profiles), on=on, fiscal_year=fiscal_year, currency=currency, columns=dict(columns)
    )


def classify_partition(
    frame: Any,
    profiles: str | Sequence[str],
    *,
    on: date | str,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
    partition_info: Mapping[str, Any] | None = None,
) -> Any:
    """Classify one pandas DataFrame of flat rows on *on* (required: no default date,
    so that every partition uses the same; a date, an ISO string, a datetime or a
    pandas Timestamp); return one pandas DataFrame.

    Rows are one per organisation and profile, as :func:`classify_table` gives,
    plus one row per rejected input row, with ``verdict`` empty and ``errors``
    holding the problems as JSON: nothing is dropped. ``partition`` and ``row``
    (1-based within the partition) say where each input row came from.
    """
    import pandas as pd

    ps = tuple(_checks.profiles(profiles))
    on = _checks.on_date(on)
    template = _classifier(ps, on, fiscal_year, currency, tuple(sorted((columns or {}).items())))
    rc = template.fresh()
    number = int((partition_info or {}).get("number") or 0)
    # typed columns read as read_register reads them (a float count 12.0 is 12)
    result = rc.classify_table(frame)
    out = result.table.to_pandas()
    out.insert(0, "partition", number)
    out["errors"] = pd.Series([None] * len(out), dtype="string")
    if result.rejected:
        bad = pd.DataFrame(
            {
                "partition": number,
                "row": [r.number for r in result.rejected],
                "organisation_id": [r.id for r in result.rejected],
                "errors": [json.dumps(rejected_record(r)["errors"]) for r in result.rejected],
            }
        )
        out = pd.concat([out, bad], ignore_index=True)
    return _conform(out, rc)


def _conform(out: Any, rc: RegisterClassifier) -> Any:
    """Fix column order and dtypes so every partition matches the meta."""

    names = ["partition", "row", "organisation_id", "profile_id", "version", "on"]
    names += ["fiscal_year", "verdict", *(f"criterion.{c}" for c in rc.criteria)]
    names += ["missing_facts", "assumptions", "errors"]
    out = out.reindex(columns=names)
    for name in ("partition", "row"):
        out[name] = out[name].astype("int64")
    out["fiscal_year"] = out["fiscal_year"].astype("Int64")
    out["missing_facts"] = [
        "; ".join(v) if isinstance(v, list | tuple) or hasattr(v, "tolist") else None
        for v in out["missing_facts"]
    ]
    for name in names:
        if name not in ("partition", "row", "fiscal_year"):
            out[name] = out[name].astype("string")
    return out.sort_values(["row"], kind="stable").reset_index(drop=True)


def classify_dask(
    frame: Any,
    profiles: str | Sequence[str | Profile],
    *,
    on: date | str,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> Any:
    """Classify a ``dask.dataframe.DataFrame`` of flat rows on *on* (required, as for
    :func:`classify_partition`: no default date), partition by partition.

    Returns a lazy dask DataFrame (see :func:`classify_partition` for its columns);
    nothing is computed until you call ``.compute()`` or write it out.
    """
    ids = tuple(p.id if isinstance(p, Profile) else p for p in _checks.profiles(profiles))
    on = _checks.on_date(on)
    rc = _classifier(ids, on, fiscal_year, currency, tuple(sorted((columns or {}).items())))
    import pandas as pd

    meta = _conform(pd.DataFrame({"partition": [], "row": []}), rc)
    out = frame.map_partitions(
        classify_partition,
        list(ids),
        on=on,
        fiscal_year=fiscal_year,
        currency=currency,
        columns=dict(columns or {}),
        meta=meta,
    )
    return _reject_repeats(out, ids[0], meta)


#: the sort key of a row: partition, then row within it
_ROW_BITS = 40


def _reject_repeats(out: Any, first_profile: str, meta: Any) -> Any:
    """Reject the classified rows whose id an earlier one had (partition, then row)."""
    import pandas as pd
    from dask.delayed import delayed

    one = out[out["errors"].isna() & (out["profile_id"] == first_profile)]
    keys = one[["organisation_id"]].assign(key=one["partition"] * (1 << _ROW_BITS) + one["row"])
    agg = keys.groupby("organisation_id").key.agg(["min", "count"], split_out=out.npartitions)
    repeats = agg[agg["count"] > 1]["min"]
    table = delayed(pd.concat)(repeats.to_delayed())
    return out.map_partitions(_drop_repeats, table, meta=meta)


def _drop_repeats(part: Any, repeats: Any) -> Any:
    """One partition's output with its repeated ids rejected (not the first)."""
    import pandas as pd

    if part.empty or repeats.empty:
        return part
    first = part["organisation_id"].map(repeats)
    key = part["partition"] * (1 << _ROW_BITS) + part["row"]
    again = part["errors"].isna() & first.notna() & (key != first)
    if not again.any():
        return part
    bad = part[again].drop_duplicates(["partition", "row"])
    records = []
    for ident, p, r, k in zip(
        bad["organisation_id"], bad["partition"], bad["row"], first[bad.index], strict=True
    ):
        kp, kr = int(k) >> _ROW_BITS, int(k) & ((1 << _ROW_BITS) - 1)
        message = (
            f"expected a unique id, got {ident!r} again (first read in partition {kp}, "
            f"row {kr}, which is kept)"
        )
        records.append(
            {
                "partition": p,
                "row": r,
                "organisation_id": ident,
                "errors": json.dumps([{"path": "id", "message": message, "raw": ident}]),
            }
        )
    kept = part[~again]
    merged = pd.concat([kept, pd.DataFrame(records)], ignore_index=True)
    return _order(merged.reindex(columns=part.columns).astype(part.dtypes.to_dict()))


def _order(out: Any) -> Any:
    return out.sort_values(["row"], kind="stable").reset_index(drop=True)
