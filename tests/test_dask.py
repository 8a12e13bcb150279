"""The columnar classifier on a local Dask cluster with several worker processes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import sse_model as s  # noqa: E402
from sse_model._io._dask import classify_dask, classify_partition  # noqa: E402
from sse_model._io._flat import to_flat  # noqa: E402

ROOT = Path(__file__).parent.parent
PROFILES = [
    "intl/ilo-2022",
    "vn/social-enterprise",
    "th/social-enterprise",
    "kr/social-enterprise",
]
ON = date(2025, 6, 30)


def _register(n: int) -> pd.DataFrame:
    lines = (ROOT / "examples" / "sample-register.jsonl").read_text().splitlines()[:n]
    rows = [to_flat(s.structure(json.loads(line), s.Organisation)) for line in lines]
    rows[3]["governance.members"] = "-2"  # rejected, never dropped
    columns = sorted({k for r in rows for k in r})
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], dtype="string")


class TestDask:
    def test_cluster_of_processes_equals_one_process(self) -> None:
        """Classifying partitions on worker processes gives exactly the rows that one
        process gives for the same partitions, and every input row is accounted for."""
        frame = _register(600)
        ddf = dd.from_pandas(frame, npartitions=4)
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster),
        ):
            out = classify_dask(ddf, PROFILES, on=ON).compute()
        parts = [
            classify_partition(
                ddf.get_partition(i).compute(), PROFILES, on=ON, partition_info={"number": i}
            )
            for i in range(ddf.npartitions)
        ]
        local = pd.concat(parts, ignore_index=True)
        pd.testing.assert_frame_equal(
            out.reset_index(drop=True), local.reset_index(drop=True), check_dtype=True
        )
        rejected = out[out["errors"].notna()]
        assert len(rejected) == 1
        assert "governance.members" in rejected["errors"].iloc[0]
        classified = out[out["errors"].isna()]
        assert len(classified) == (600 - 1) * len(PROFILES)
        assert set(classified["verdict"]) <= {"qualifies", "does_not_qualify", "undetermined"}
