"""The columnar evaluator and the register lanes agree with the per-object engine."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import sse_model as s  # noqa: E402
from sse_model import testing  # noqa: E402
from sse_model._engine._columnar import compile_columnar, frame_from_organisations  # noqa: E402
from sse_model._io._batch import RegisterClassifier, classify_file  # noqa: E402
from sse_model._io._flat import RejectedRow, Row, rows_to_organisations, to_flat  # noqa: E402

PROFILES = s.profile_ids()
DATES = (
    date(2012, 6, 30),
    date(2016, 3, 1),
    date(2020, 7, 1),
    date(2024, 6, 30),
    date(2026, 1, 1),
)
CLASSIFIER = s.Classifier()
ROOT = Path(__file__).parent.parent


def _plan_or_skip(profile: str, on: date) -> s.Profile | None:
    try:
        return CLASSIFIER.plan(profile, on)  # type: ignore[return-value]
    except s.NoVersionInForce:
        return None


def _per_object(
    org: s.Organisation,
    profile: str,
    on: date,
    presumptions: bool = True,
    assumptions: s.Assumptions | None = None,
    classifier: s.Classifier = CLASSIFIER,
) -> tuple[str, tuple[str, ...], tuple[str, ...], bool, tuple[str, ...]]:
    """Verdict, outcomes, facts to collect, whether the verdict rests on presumptions
    and the criteria whose basis is presumed."""
    c = classifier.classify(
        org, profile, on=on, presumptions=presumptions, assumptions=assumptions
    )
    missing = (
        tuple(m.path for m in c.settlement.missing_facts)
        if c.settlement is not None and c.verdict is s.Verdict.UNDETERMINED
        else ()
    )
    presumed = tuple(r.id for r in c.criteria if r.basis is s.Basis.PRESUMED)
    return (
        c.verdict.value,
        tuple(r.outcome.value for r in c.criteria),
        missing,
        c.rests_on_presumptions,
        presumed,
    )


class TestColumnarEvaluator:
    @pytest.mark.parametrize("profile", PROFILES)
    @settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(data=st.data())
    def test_equals_the_per_object_engine(self, profile: str, data: st.DataObject) -> None:
        """For every shipped profile, every date and every register (missing facts,
        loss years, values on and around each threshold), the columnar evaluator gives
        each organisation the per-object verdict, the outcome of every criterion and
        the facts to collect, with and without assumptions adopted; rows within float
        error of a threshold are flagged ambiguous (and settled exactly by the register
        lanes), never decided."""
        on = data.draw(st.sampled_from(DATES), label="on")
        if _plan_or_skip(profile, on) is None:
            return
        a = data.draw(testing.assumptions_for(profile), label="assumptions")
        plan = CLASSIFIER.plan(profile, on, a)
        orgs = data.draw(st.lists(testing.organisations_for(profile), max_size=12), label="orgs")
        cp = compile_columnar(plan)
        observed = cp(frame_from_organisations(orgs, [plan], on=on))
        found = [CLASSIFIER.presume(o, on) for o in orgs]
        result = cp(frame_from_organisations([f.organisation for f in found], [plan], on=on))
        # the stricter profit rules a ceiling presumption leaves open: rows where they
        # disagree go to the exact lane (TestRegisterLanes), as ambiguous rows do
        open_rows = [
            any(
                (c.verdict, tuple(c.outcomes))
                != (int(result.verdicts[i]), tuple(result.outcomes[i].tolist()))
                for c in (
                    CLASSIFIER.raw(alt, profile, on, assumptions=a) for alt in f.alternatives
                )
            )
            for i, f in enumerate(found)
        ]
        ids = [c.id for c in plan.criteria]
        for i, org in enumerate(orgs):
            if result.ambiguous[i] or observed.ambiguous[i] or open_rows[i]:
                continue
            got = (
                _VERDICTS[observed.verdicts[i]],
                tuple(_OUTCOMES[c] for c in observed.outcomes[i].tolist()),
                observed.missing_at(i),
                False,
                (),
            )
            assert got == _per_object(org, profile, on, presumptions=False, assumptions=a), org
            presumed = (observed.outcomes[i] == 1) & (result.outcomes[i] != 1)
            got = (
                _VERDICTS[result.verdicts[i]],
                tuple(_OUTCOMES[c] for c in result.outcomes[i].tolist()),
                result.missing_at(i),
                bool(observed.verdicts[i] != result.verdicts[i]),
                tuple(cid for cid, p in zip(ids, presumed.tolist(), strict=True) if p),
            )
            assert got == _per_object(org, profile, on, assumptions=a), org

    def test_sample_register_under_every_profile(self) -> None:
        """The shipped sample register: columnar and per-object agree for all 30 profiles."""
        orgs = [
            s.structure(json.loads(line), s.Organisation)
            for line in (ROOT / "examples" / "sample-register.jsonl")
            .read_text()
            .splitlines()[:400]
        ]
        on = date(2025, 6, 30)
        rc = RegisterClassifier(PROFILES, on=on)
        table = rc.classify_organisations(orgs).table.to_pylist()
        assert len(table) == len(orgs) * len(PROFILES)
        for row in table[::7]:
            org = orgs[row["row"] - 1]
            verdict, criteria, missing, rests, presumed = _per_object(org, row["profile_id"], on)
            ids = [c.id for c in rc.plans[PROFILES.index(row["profile_id"])].criteria]
            assert row["verdict"] == verdict
            assert tuple(row[f"criterion.{i}"] for i in ids) == criteria
            assert tuple(row["missing_facts"]) == missing
            assert row["rests_on_presumptions"] == rests
            assert tuple(row["presumed_criteria"]) == presumed


_VERDICTS = ("does_not_qualify", "undetermined", "qualifies")
_OUTCOMES = ("not_met", "unknown", "met", "not_applicable")

#: cells that a careless register holds; each must end exactly as the exact lane says
BAD_CELLS = st.sampled_from(
    [
        "-1",
        "abc",
        "1e3",
        " 12",
        "12.0",
        "+5",
        "2023-02-30",
        "20230101",
        "101",
        "\u00a0",
        " ",
        "9" * 20,
        "0.12345678901234567890",
        "1,000",
        "NaN",
        "inf",
        "yes",
        "maybe",
        "xx/unknown-form",
        "51 %",
        "12 kg",
        "12 h",  # a duration the fast lane reads (hours), a bad cell elsewhere
        "2.5 day",
        "101",
        "0999",
        "x" * 10_001,
    ]
)


@st.composite
def flat_registers(draw: st.DrawFn, profile: str) -> list[dict[str, str]]:
    """Flat rows of generated organisations, some cells replaced by bad ones."""
    orgs = draw(st.lists(testing.organisations_for(profile), min_size=1, max_size=10))
    rows = [to_flat(o) for o in orgs]
    columns = sorted({k for r in rows for k in r})
    for r in rows:
        if draw(st.booleans()):
            r[draw(st.sampled_from(columns))] = draw(BAD_CELLS)
    return rows


def _exact_lane(
    rows: list[dict[str, str]],
    columns: list[str],
    profiles: list[str],
    on: date,
    assumptions: s.Assumptions | None = None,
    read: Callable[[str], bool] = lambda column: True,
):
    """The exact lane: one Organisation per row, from the columns *read* (all)."""
    out = []
    rejected = []
    for n, cells in enumerate(rows, 1):
        full: dict[str | None, str | None] = {c: cells.get(c, "") for c in columns}
        (org,) = rows_to_organisations([Row(n, {c: full[c] for c in columns if read(c)})])
        if isinstance(org, RejectedRow):
            # rejected for its columns read: reported as the whole row is
            (org,) = rows_to_organisations([Row(n, full)])
            assert isinstance(org, RejectedRow)
            rejected.append((org.number, tuple(org.errors)))
            continue
        for p in profiles:
            out.append((n, org.id, p, *_per_object(org, p, on, assumptions=assumptions)))
    return out, rejected


def _lane_rows(result: object, ids: list[str]) -> list[tuple[object, ...]]:
    """A register result's rows as :func:`_exact_lane` gives them (criteria *ids*)."""
    return [
        (
            r["row"],
            r["organisation_id"],
            r["profile_id"],
            r["verdict"],
            tuple(r[f"criterion.{i}"] for i in ids),
            tuple(r["missing_facts"]),
            r["rests_on_presumptions"],
            tuple(r["presumed_criteria"]),
        )
        for r in result.table.to_pylist()  # type: ignore[attr-defined]
    ]


class TestRegisterLanes:
    @pytest.mark.parametrize("profile", PROFILES)
    @settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(data=st.data())
    def test_fast_lane_equals_exact_lane(self, profile: str, data: st.DataObject) -> None:
        """A flat register classified in columns with every cell checked
        (``validate="all"``) gives, row by row, what one Organisation per row gives:
        the same rows rejected with the same errors, and the same verdicts, outcomes,
        facts to collect and bases (legal presumptions filled in from the legal-form
        column) for the others, with and without assumptions adopted."""
        self._check(profile, data, "all")

    @pytest.mark.parametrize("profile", PROFILES)
    @settings(max_examples=5, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(data=st.data())
    def test_needed_columns_equal_exact_lane_on_them(
        self, profile: str, data: st.DataObject
    ) -> None:
        """By default (``validate="needed"``) each row gives what one Organisation
        built from the row's wanted columns gives (rejected with the same errors, or
        the same verdicts, outcomes, facts to collect and bases): a bad cell in a
        column the profile does not read is not looked at, one in a column it reads
        is checked as with ``validate="all"``."""
        self._check(profile, data, "needed")

    def _check(self, profile: str, data: st.DataObject, validate: str) -> None:
        on = data.draw(st.sampled_from(DATES), label="on")
        if _plan_or_skip(profile, on) is None:
            return
        rows = data.draw(flat_registers(profile), label="rows")
        a = data.draw(testing.assumptions_for(profile), label="assumptions")
        columns = sorted({k for r in rows for k in r})
        table = pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns})
        # ids may repeat in generated rows: repeats are tested in TestUniqueIds
        rc = RegisterClassifier(
            [profile], on=on, unique_ids=False, assumptions=a, validate=validate
        )
        result = rc.classify_table(table)
        read = rc._reads if validate == "needed" else (lambda column: True)
        expected, rejected = _exact_lane(rows, columns, [profile], on, a, read)
        ids = [c.id for c in CLASSIFIER.plan(profile, on).criteria]
        got = _lane_rows(result, ids)
        assert got == expected
        assert [(r.number, tuple(r.errors)) for r in result.rejected] == rejected
        summary = result.summary
        assert summary.rows == len(rows) == summary.classified + summary.rejected


class TestDurations:
    """Hours are read in the fast lane, plain or as ``N h``; another unit takes the
    exact lane, which reads it with pint; the rules comparing hours hold in both."""

    def test_hours_in_the_fast_lane(self) -> None:
        """Hours plain and in ``h`` stay in columns; days go exact; women's hours above
        all hours reject the row, naming the field."""
        cells = [("1200", "600"), ("1200 h", "600 h"), ("2.5 day", ""), ("100", "150")]
        table = pa.table(
            {
                "id": [f"o{i}" for i in range(len(cells))],
                "name": ["n"] * len(cells),
                "country": ["VN"] * len(cells),
                "work.paid_hours": [a for a, _ in cells],
                "work.women_paid_hours": [b for _, b in cells],
            }
        )
        rc = RegisterClassifier(["intl/ilo-2022"], on=date(2025, 6, 30), validate="all")
        result = rc.classify_table(table)
        assert (result.summary.classified, result.summary.fast) == (3, 2)
        (bad,) = result.rejected
        assert bad.number == 4
        assert [e.path for e in bad.errors] == ["work.women_paid_hours"]


class TestCertificationFields:
    """Every field of a certification is read in the fast lane (the grant date, expiry,
    revocation, ``indefinite``, issuer), as :meth:`~sse_model.Certification.valid_on`
    and the rule ``certified`` read them in the exact lane."""

    KIND = "th/registered-social-enterprise"
    DAYS = ("", " ", "2019-05-01", "2025-06-30", "2025-07-01", "2031-01-01", "2024-13-01")
    FLAGS = ("", "true", "FALSE", " yes ", "0", "maybe")
    ISSUERS = ("", "Office of Social Enterprise Promotion")
    COMPLETE = ("", "true", "false")

    @staticmethod
    @st.composite
    def rows(draw: st.DrawFn) -> list[dict[str, str]]:
        k = f"certification.{TestCertificationFields.KIND}"
        days = st.sampled_from(TestCertificationFields.DAYS)
        cells = st.fixed_dictionaries(
            {
                "id": st.just("x"),
                "name": st.just("X"),
                "country": st.just("TH"),
                "legal_form": st.sampled_from(("", "th/limited-company")),
                "purpose.social": st.sampled_from(("", "true")),
                k: days,
                f"{k}.expires_on": days,
                f"{k}.revoked_on": days,
                f"{k}.indefinite": st.sampled_from(TestCertificationFields.FLAGS),
                f"{k}.issuer": st.sampled_from(TestCertificationFields.ISSUERS),
                "certifications_complete": st.sampled_from(TestCertificationFields.COMPLETE),
            }
        )
        rows = draw(st.lists(cells, min_size=1, max_size=12))
        for i, r in enumerate(rows):
            r["id"] = f"o{i}"
        return rows

    @pytest.mark.parametrize("validate", ["all", "needed"])
    @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(rows=rows())
    def test_fields_in_the_fast_lane_equal_the_exact_lane(
        self, validate: str, rows: list[dict[str, str]]
    ) -> None:
        """Row by row, the fast lane gives the exact lane's verdicts, outcomes and
        rejections under th/social-enterprise (a certification valid on the date, whose
        law presumes facts: they are filled in from the status in force), and every row
        without a bad cell stays in the fast lane."""
        on, profile = date(2025, 6, 30), "th/social-enterprise"
        columns = sorted(rows[0])
        table = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in columns})
        rc = RegisterClassifier([profile], on=on, validate=validate)
        result = rc.classify_table(table)
        expected, rejected = _exact_lane(rows, columns, [profile], on)
        ids = [c.id for c in CLASSIFIER.plan(profile, on).criteria]
        got = _lane_rows(result, ids)
        assert got == expected
        assert [(r.number, tuple(r.errors)) for r in result.rejected] == rejected
        bad = {"2024-13-01", "maybe"}
        assert result.summary.fast == sum(not (set(r.values()) & bad) for r in rows)

    def test_revoked_expired_and_indefinite(self) -> None:
        """Revoked on or before the date, or expired before it: not held on the date
        (not met); granted and indefinite, or granted with a later expiry: met; granted
        with neither: unknown. All in the fast lane."""
        k = f"certification.{self.KIND}"
        cases = [
            ({k: "2020-01-01", f"{k}.revoked_on": "2025-06-30"}, "not_met"),
            ({k: "2020-01-01", f"{k}.expires_on": "2025-06-29"}, "not_met"),
            ({k: "2020-01-01", f"{k}.indefinite": "true"}, "met"),
            ({k: "2020-01-01", f"{k}.expires_on": "2025-06-30"}, "met"),
            ({k: "2020-01-01", f"{k}.revoked_on": "2025-07-01", f"{k}.indefinite": "y"}, "met"),
            ({k: "2020-01-01"}, "unknown"),
            ({f"{k}.issuer": "Office", f"{k}.indefinite": "true"}, "unknown"),
        ]
        columns = sorted({c for cells, _ in cases for c in cells} | {"id", "name", "country"})
        rows = [
            {"id": f"o{i}", "name": "X", "country": "TH", "certifications_complete": "true", **c}
            for i, (c, _) in enumerate(cases)
        ]
        columns = sorted({*columns, "certifications_complete"})
        table = pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns})
        on = date(2025, 6, 30)
        result = RegisterClassifier(["th/social-enterprise"], on=on).classify_table(table)
        assert result.summary.fast == len(cases)
        got = [r["criterion.th-se-registered"] for r in result.table.to_pylist()]
        assert got == [want for _, want in cases]

    @pytest.mark.parametrize("validate", ["all", "needed"])
    def test_a_status_whose_law_presumes_facts_is_read(self, validate: str) -> None:
        """A status whose law presumes facts (Korea's certified social enterprise
        presumes stakeholder participation) fills them in for a profile that does not
        ask about the status, in the register lane as for one Organisation: its columns
        are read under ``validate="needed"`` too, and the columns fill in the facts of the
        statuses each row holds in force."""
        k = "certification.kr/certified-social-enterprise"
        rows = [
            {"id": "in-force", k: "2020-11-15", f"{k}.indefinite": "true"},
            {"id": "no-expiry-known", k: "2020-11-15"},
            {"id": "expired", k: "2020-11-15", f"{k}.expires_on": "2024-12-31"},
        ]
        for r in rows:
            r.update(name="X", country="KR", legal_form="kr/stock-company")
        columns = sorted({c for r in rows for c in r})
        table = pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns})
        on, profile = date(2025, 6, 30), "intl/ilo-2022"
        result = RegisterClassifier([profile], on=on, validate=validate).classify_table(table)
        expected, rejected = _exact_lane(rows, columns, [profile], on)
        ids = [c.id for c in CLASSIFIER.plan(profile, on).criteria]
        got = _lane_rows(result, ids)
        assert got == expected and not rejected
        presumed = {r["organisation_id"]: r["presumed_criteria"] for r in result.table.to_pylist()}
        assert "ilo-democratic-participatory-governance" in presumed["in-force"]
        assert "ilo-democratic-participatory-governance" not in presumed["expired"]
        assert result.summary.fast == 3


class TestOutputs:
    def test_table_holds_the_records_of_write_results(self) -> None:
        """classify_table's rows are write_results' records (plus the row number), so
        files written either way have the same columns and values."""
        from sse_model._io._writers import criterion_columns, result_records

        lines = (ROOT / "examples" / "sample-register.jsonl").read_text().splitlines()[:150]
        rows = [to_flat(s.structure(json.loads(line), s.Organisation)) for line in lines]
        columns = sorted({k for r in rows for k in r})
        table = pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns})
        profiles = ["intl/ilo-2022", "kr/social-enterprise", "th/social-enterprise"]
        on = date(2025, 6, 30)
        got = s.classify_table(table, profiles, on=on).table.drop_columns(["row"]).to_pylist()
        orgs = [o for o in s.read_register(table) if isinstance(o, s.Organisation)]
        results = s.classify_many(orgs, profiles, on=on)
        expected = list(result_records(results, criterion_columns(profiles, on)))
        assert got == expected


class TestUniqueIds:
    @given(
        batches=st.lists(
            st.lists(
                st.tuples(st.sampled_from(["a", "b", "a\x00", "é", "", "bb"]), st.booleans()),
                max_size=12,
            ),
            max_size=5,
        )
    )
    def test_seen_ids_reject_exactly_the_repeats(
        self, batches: list[list[tuple[str, bool]]]
    ) -> None:
        """Across batches, a kept row whose id a kept row already had is reported with
        that first row's number; every other kept row is new (a dict as the oracle)."""
        from sse_model._io._batch import _SeenIds

        seen, oracle, row = _SeenIds(), {}, 1
        for batch in batches:
            ids = pa.array([i for i, _ in batch], pa.string())
            keep = np.array([k for _, k in batch], dtype=bool)
            numbers = np.arange(row, row + len(batch))
            expected = []
            for j, (ident, kept) in enumerate(batch):
                if kept:
                    if ident in oracle:
                        expected.append((j, oracle[ident]))
                    else:
                        oracle[ident] = int(numbers[j])
            assert seen.add(ids, numbers, keep) == expected
            row += len(batch)

    @given(
        batches=st.lists(
            st.lists(st.sampled_from(["a", "b", "a\x00", "é", "", "bb", "ab"]), max_size=12),
            max_size=5,
        ),
        buckets=st.integers(1, 3),
    )
    def test_hash_collisions_are_no_repeats(self, batches: list[list[str]], buckets: int) -> None:
        """With a hash that makes ids collide (one to three values), repeats are still
        exactly the ids seen before: each held hash is confirmed against the id."""
        from sse_model._io._batch import _SeenIds

        def poor(matrix: np.ndarray) -> np.ndarray:
            return (matrix.sum(axis=1) % buckets).astype(np.uint64)

        seen, oracle, row = _SeenIds(hash=poor), {}, 1
        for batch in batches:
            numbers = np.arange(row, row + len(batch))
            expected = []
            for j, ident in enumerate(batch):
                if ident in oracle:
                    expected.append((j, oracle[ident]))
                else:
                    oracle[ident] = int(numbers[j])
            keep = np.ones(len(batch), dtype=bool)
            assert seen.add(pa.array(batch, pa.string()), numbers, keep) == expected
            row += len(batch)

    def test_index_grows_by_a_hash_an_id(self) -> None:
        """The index in memory holds 12 bytes an id (a hash and an ordinal), whatever
        the ids' length; the ids themselves are in a temporary file."""
        from sse_model._io._batch import _SeenIds

        seen = _SeenIds()
        ids = pa.array([f"organisation-{i:040d}" for i in range(5000)], pa.string())
        seen.add(ids, np.arange(1, 5001), np.ones(5000, dtype=bool))
        held = sum(h.nbytes + o.nbytes for h, o in seen.levels)
        assert held == 12 * 5000
        again = pa.array(["organisation-" + "0" * 36 + "4999", "new"], pa.string())
        assert seen.add(again, np.array([6000, 6001]), np.ones(2, dtype=bool)) == [(0, 5000)]

    def test_repeated_id_rejected_as_read_register_does(self) -> None:
        table = pa.table(
            {
                "id": ["x", "y", "x", "z", "y"],
                "name": ["X", "Y", "X again", "Z", "Y again"],
                "country": ["VN", "VN", "VN", "Narnia", "VN"],
            }
        )
        result = s.classify_table(table, "vn/cooperative", on=date(2025, 1, 1))
        assert [r["row"] for r in result.table.to_pylist()] == [1, 2]
        got = [(r.number, r.id, r.errors[0].path) for r in result.rejected]
        assert got == [(3, "x", "id"), (4, "z", "country"), (5, "y", "id")]
        expected = [r for r in s.read_register(table) if isinstance(r, RejectedRow)]
        assert [(r.number, r.errors) for r in result.rejected] == [
            (r.number, r.errors) for r in expected
        ]
        assert (
            s.classify_table(
                table, "vn/cooperative", on=date(2025, 1, 1), unique_ids=False
            ).summary.classified
            == 4
        )


class TestClassifyFile:
    def _write_csv(self, path: Path, rows: list[dict[str, str]]) -> None:
        import csv

        columns = sorted({k for r in rows for k in r})
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, columns)
            w.writeheader()
            w.writerows(rows)

    def test_csv_to_parquet_reconciles_and_keeps_bad_rows(self, tmp_path: Path) -> None:
        orgs = [
            s.structure(json.loads(line), s.Organisation)
            for line in (ROOT / "examples" / "sample-register.jsonl")
            .read_text()
            .splitlines()[:300]
        ]
        rows = [to_flat(o) for o in orgs]
        rows[5]["workforce.paid_workers"] = "-3"
        rows[9]["country"] = "Narnia"
        source = tmp_path / "register.csv"
        self._write_csv(source, rows)
        with source.open("a", encoding="utf-8") as f:
            f.write("too,few\n")
        out, errors = tmp_path / "out.parquet", tmp_path / "errors.jsonl"
        profiles = ["intl/ilo-2022", "vn/social-enterprise", "kr/social-enterprise"]
        summary = classify_file(
            str(source), profiles, output=str(out), on=date(2025, 6, 30), errors=str(errors)
        )
        assert (summary.rows, summary.classified, summary.rejected) == (301, 298, 3)
        assert str(summary).endswith("(298 + 3 = 301)")
        table = pq.read_table(out)
        assert table.num_rows == 298 * 3
        reported = [json.loads(line) for line in errors.read_text().splitlines()]
        assert sorted(r["row"] for r in reported) == [6, 10, 301]
        by_row = {r["row"]: r for r in reported}
        assert by_row[6]["errors"][0]["path"] == "workforce.paid_workers"
        assert by_row[10]["errors"][0]["path"] == "country"
        assert "expected" in by_row[301]["errors"][0]["message"]
        kept = set(table.column("organisation_id").to_pylist())
        assert rows[5]["id"] not in kept and rows[0]["id"] in kept

    def test_ragged_rows_keep_the_numbering_of_the_rows_after_them(self, tmp_path: Path) -> None:
        source = tmp_path / "ragged.csv"
        source.write_text(
            "id,name,country,legal_form\n"
            "a,A,VN,vn/jsc\n"
            "b,B\n"
            '"c","C\nwith a newline",VN,vn/llc\n'
            "d,D,VN,vn/llc,surplus\n"
            "e,E,VN,vn/cooperative\n",
            encoding="utf-8",
        )
        out, errors = tmp_path / "out.csv", tmp_path / "errors.jsonl"
        summary = classify_file(
            str(source), "vn/cooperative", output=str(out), errors=str(errors), on=date(2025, 1, 1)
        )
        assert (summary.rows, summary.classified, summary.rejected) == (5, 3, 2)
        import csv

        with out.open(encoding="utf-8", newline="") as f:
            rows = {(r["row"], r["organisation_id"]) for r in csv.DictReader(f)}
        assert rows == {("1", "a"), ("3", "c"), ("5", "e")}
        reported = [json.loads(line) for line in errors.read_text().splitlines()]
        assert [(r["row"], "fewer" in r["errors"][0]["message"]) for r in reported] == [
            (2, True),
            (4, False),
        ]

    def test_parquet_input_gives_the_csv_results(self, tmp_path: Path) -> None:
        orgs = [
            s.structure(json.loads(line), s.Organisation)
            for line in (ROOT / "examples" / "sample-register.jsonl")
            .read_text()
            .splitlines()[:100]
        ]
        rows = [to_flat(o) for o in orgs]
        columns = sorted({k for r in rows for k in r})
        csv_path, pq_path = tmp_path / "r.csv", tmp_path / "r.parquet"
        self._write_csv(csv_path, rows)
        pq.write_table(
            pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns}),
            pq_path,
        )
        results = []
        for src in (csv_path, pq_path):
            out = tmp_path / (src.stem + src.suffix.replace(".", "-") + ".parquet")
            classify_file(str(src), "th/social-enterprise", output=str(out), on=date(2025, 1, 1))
            results.append(pq.read_table(out).to_pylist())
        assert results[0] == results[1]
        assert len(results[0]) == 100


class TestCommandLine:
    """`sse-model classify` on CSV, TSV and Parquet takes the columnar path; its output
    must be byte for byte what the per-object path writes for the same rows."""

    def _rows(self) -> list[dict[str, str]]:
        lines = (ROOT / "examples" / "sample-register.jsonl").read_text().splitlines()[:120]
        rows = [to_flat(s.structure(json.loads(line), s.Organisation)) for line in lines]
        rows[2]["id"] = 'coop, "the first"'  # a cell that needs quoting in CSV
        rows[7]["governance.members"] = "-1"  # rejected
        rows[9]["id"] = rows[8]["id"]  # a repeated id: rejected
        return rows

    def _run(self, *argv: str) -> tuple[int, str, str]:
        import io

        from sse_model._cli import main

        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), out, err)
        return code, out.getvalue(), err.getvalue()

    @pytest.mark.parametrize("fmt", ["csv", "tsv", "parquet"])
    def test_columnar_path_writes_what_the_object_path_writes(
        self, tmp_path: Path, fmt: str
    ) -> None:
        import csv

        rows = self._rows()
        columns = sorted({k for r in rows for k in r})
        slow = tmp_path / "register.jsonl"
        slow.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        fast = tmp_path / f"register.{fmt}"
        if fmt == "parquet":
            pq.write_table(
                pa.table(
                    {c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns}
                ),
                fast,
            )
        else:
            with fast.open("w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, columns, delimiter="," if fmt == "csv" else "\t")
                w.writeheader()
                w.writerows(rows)
        # every cell checked, as the per-object reader checks them (row 8's bad cell is
        # in a column neither profile reads)
        common = ["--profile", "intl/ilo-2022", "--profile", "th/social-enterprise"]
        common += ["--validate", "all", "--on", "2025-06-30", "--format", "csv"]
        a = self._run("classify", str(fast), *common)
        b = self._run("classify", str(slow), *common)
        assert a == b
        code, out, err = a
        assert code == 1
        assert "rows read: 120; classified: 118; rejected: 2 (118 + 2 = 120)" in err
        assert '"coop, ""the first"""' in out
        summary = self._run("classify", str(fast), *common[:-2], "--format", "table")
        assert summary == self._run("classify", str(slow), *common[:-2], "--format", "table")


class TestCsvChunks:
    @settings(max_examples=300, deadline=None)
    @given(raw=st.binary(max_size=40) | st.text(alphabet='ab,"\n\r', max_size=40).map(str.encode))
    def test_blank_lines_found_as_the_bytes_say(self, raw: bytes) -> None:
        """A chunk may hold a blank line exactly when it starts with a line end, or
        holds ``\\n\\n``, ``\\n\\r\\n`` or a CR not followed by LF (the definition,
        searched in the bytes)."""
        import re

        from sse_model._io._batch import _has_blank_line

        expected = (
            raw.startswith((b"\n", b"\r"))
            or b"\n\n" in raw
            or b"\n\r\n" in raw
            or re.search(rb"\r(?!\n)", raw) is not None
        )
        assert _has_blank_line(raw) is expected

    @settings(max_examples=60, deadline=None)
    @given(
        rows=st.lists(
            st.lists(st.text(alphabet='ab ,"\n\r\u00e9', max_size=6), min_size=1, max_size=4),
            max_size=25,
        ),
        chunk=st.integers(1, 64),
    )
    def test_chunks_read_as_one_file(
        self, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], chunk: int
    ) -> None:
        """Cut into chunks of any size at unquoted newlines, a CSV file reads as
        Python's csv module reads it whole: the same rows in order (blank lines are
        no rows), and every row with another number of cells than the header
        reported with its number (blank lines keep their numbers, as in the row
        reader)."""
        import csv
        import io

        from sse_model._io import _batch

        header = ["id", "name", "country"]  # any vocabulary columns: text is read as is
        text = io.StringIO()
        w = csv.writer(text, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        path = tmp_path_factory.mktemp("csv") / "f.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
        # blank lines are no rows, but are numbered, as in the per-object reader
        records = list(csv.reader(io.StringIO(text.getvalue(), newline="")))[1:]
        expected = [r for r in records if r]
        bad: list[RejectedRow] = []
        old = _batch.CSV_CHUNK
        _batch.CSV_CHUNK = chunk
        try:
            tables = list(_batch._csv_batches(str(path), delimiter=",", encoding="utf-8", bad=bad))
        finally:
            _batch.CSV_CHUNK = old
        good = [
            [t.column(c)[i].as_py() for c in header] for t in tables for i in range(t.num_rows)
        ]
        assert good == [r for r in expected if len(r) == 3]
        assert [b.number for b in bad] == [
            n for n, r in enumerate(records, 1) if r and len(r) != 3
        ]
