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
    rows[3]["country"] = "XX"  # rejected, never dropped (an identity cell: always checked)
    columns = sorted({k for r in rows for k in r})
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], dtype="string")


class TestDask:
    def test_cluster_of_processes_equals_one_process(self) -> None:
        """Classifying partitions on worker processes gives exactly the rows that one
        process gives for the same partitions, and every input row is accounted for."""
        frame = _register(600)
        ddf = dd.from_pandas(frame, npartitions=4)
        with (
            # a port of its own (":0"): the default 8787 may be taken by another run on the
            # machine, and the warning distributed gives then fails the test
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
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
        assert "country" in rejected["errors"].iloc[0]
        classified = out[out["errors"].isna()]
        assert len(classified) == (600 - 1) * len(PROFILES)
        assert set(classified["verdict"]) <= {"qualifies", "does_not_qualify", "undetermined"}

    def _dups(self, n: int, copies: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "id": [f"d{i % (n // copies)}" for i in range(n)],
                "name": [f"copy{i // (n // copies)}" for i in range(n)],
                "country": ["FR"] * n,
            }
        )

    def _kept(self, out: pd.DataFrame) -> list[tuple[int, int, str]]:
        ok = out[out["errors"].isna()]
        return sorted(set(zip(ok["partition"], ok["row"], ok["organisation_id"], strict=True)))

    def test_runs_keep_no_state_and_first_copy_is_kept(self) -> None:
        """Two identical runs give identical results (no id index kept across runs), and
        of ids repeated across partitions the first by partition and row is kept, the
        others rejected with the reader's message, on the threaded scheduler."""
        ddf = dd.from_pandas(self._dups(400, 4), npartitions=4)
        runs = [
            classify_dask(ddf, "intl/ilo-2022", on=ON).compute(scheduler="threads")
            for _ in range(2)
        ]
        pd.testing.assert_frame_equal(runs[0], runs[1])
        kept = self._kept(runs[0])
        assert len(kept) == 100 and {p for p, _, _ in kept} == {0}
        rejected = runs[0][runs[0]["errors"].notna()]
        assert len(rejected) == 300
        assert (
            "expected a unique id, got 'd0' again (first read in partition 0, row 1"
            in (rejected.iloc[0]["errors"])
        )

    def test_cluster_runs_are_deterministic(self) -> None:
        """On a LocalCluster of processes, two identical runs with repeated ids across
        partitions give identical results, the first copy kept (scheduling does not
        decide which)."""
        ddf = dd.from_pandas(self._dups(400, 4), npartitions=4)
        with (
            # a port of its own (":0"): the default 8787 may be taken by another run on the
            # machine, and the warning distributed gives then fails the test
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster),
        ):
            runs = [classify_dask(ddf, "intl/ilo-2022", on=ON).compute() for _ in range(2)]
        pd.testing.assert_frame_equal(runs[0], runs[1])
        assert {p for p, _, _ in self._kept(runs[0])} == {0}

    def test_partition_called_twice_classifies_twice(self) -> None:
        """classify_partition keeps no ids between calls, and reads a pandas float count
        12.0 as 12, as read_register does."""
        frame = pd.DataFrame(
            {
                "id": ["x", "y"],
                "name": ["X", "Y"],
                "country": ["FR"] * 2,
                "governance.members": [12.0, None],
            }
        )
        first = classify_partition(frame, "fr/ess", on=ON)
        second = classify_partition(frame, "fr/ess", on=ON)
        pd.testing.assert_frame_equal(first, second)
        assert first["errors"].isna().all()
