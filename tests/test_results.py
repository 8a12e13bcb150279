"""One family of results: classifications and register results give the same frames,
matrices and charts, with the same dtypes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import sse_model  # noqa: E402
from sse_model import (  # noqa: E402
    Organisation,
    RegisterClassifier,
    classify_many,
    classify_table,
    plots,
    structure,
    to_dataframe,
    unstructure,
    verdict_matrix,
)
from sse_model.testing import organisations  # noqa: E402

ON = date(2025, 6, 30)
PROFILES = ["vn/social-enterprise", "intl/ilo-2022"]


def _org(oid: str, **facts: Any) -> Organisation:
    return structure({"id": oid, "name": oid, "country": "VN", **facts}, Organisation)


_SE = {"legal_form": "vn/jsc", "purpose": {"social": True, "commitment_registered": True}}
ORGS = [
    _org("a", **_SE, finances={"2024": {"profit_after_tax": "100 VND", "reinvested": "51 VND"}}),
    _org("b", legal_form="vn/cooperative"),
    _org("c", **_SE, finances={"2024": {"profit_after_tax": "100 VND", "reinvested": "50 VND"}}),
    _org("d"),
]


def _many(orgs: list[Organisation]) -> Any:
    return classify_many(orgs, PROFILES, on=ON)


def _objects(orgs: list[Organisation]) -> Any:
    return RegisterClassifier(PROFILES, on=ON).classify_organisations(orgs)


def _table(orgs: list[Organisation]) -> Any:
    return classify_table([unstructure(o) for o in orgs], PROFILES, on=ON)


SOURCES: dict[str, Callable[[list[Organisation]], Any]] = {
    "classify_many": _many,
    "classify_organisations": _objects,
    "classify_table": _table,
}


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _sorted(frame: Any, *keys: str) -> Any:
    return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)


def _same(a: Any, b: Any, *keys: str) -> None:
    pd.testing.assert_frame_equal(_sorted(a, *keys), _sorted(b, *keys))


class TestSameFrames:
    """to_dataframe gives the same rows, columns and dtypes from every source."""

    @pytest.mark.parametrize("source", ["classify_organisations", "classify_table"])
    @pytest.mark.parametrize("outcomes", [False, True])
    def test_wide(self, source: str, outcomes: bool) -> None:
        """Per organisation and profile (with or without outcomes): identical frames."""
        expected = to_dataframe(_many(ORGS), outcomes=outcomes)
        got = to_dataframe(SOURCES[source](ORGS), outcomes=outcomes)
        # a register result has a column per criterion of any profile, as classifications do
        _same(expected, got, "organisation_id", "profile_id")

    @pytest.mark.parametrize("source", ["classify_organisations", "classify_table"])
    def test_long(self, source: str) -> None:
        """criteria=True: the same columns; the same criteria, outcomes and bases."""
        expected = to_dataframe(_many(ORGS), criteria=True)
        got = to_dataframe(SOURCES[source](ORGS), criteria=True)
        assert list(got.columns) == list(expected.columns)
        shared = ["organisation_id", "profile_id", "criterion", "verdict", "outcome", "basis"]
        keys = ("organisation_id", "profile_id", "criterion")
        _same(expected[shared], got[shared], *keys)
        assert got["citation"].isna().all()  # a register result holds no texts

    def test_list_of_register_results(self) -> None:
        """A list of chunk results is one frame, in order."""
        parts = [_objects(ORGS[:2]), _objects(ORGS[2:])]
        _same(to_dataframe(_many(ORGS)), to_dataframe(parts), "organisation_id", "profile_id")

    def test_to_pandas_is_the_wide_frame_with_rows(self) -> None:
        """RegisterResult.to_pandas(): the input row numbers, then outcomes=True's frame."""
        result = _objects(ORGS)
        frame = result.to_pandas()
        assert frame.columns[0] == "row"
        assert list(frame["row"].unique()) == [1, 2, 3, 4]
        pd.testing.assert_frame_equal(
            frame.drop(columns="row"), to_dataframe(result, outcomes=True)
        )

    def test_rejects_other_things(self) -> None:
        """Something that is neither classifications nor register results: a TypeError."""
        with pytest.raises(TypeError, match="expected classifications"):
            to_dataframe([ORGS[0]])

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(organisations(), min_size=1, max_size=4, unique_by=lambda o: o.id))
    def test_property(self, orgs: list[Organisation]) -> None:
        """For any organisations, the register lane's frame equals classify_many's."""
        expected = to_dataframe(_many(orgs), outcomes=True)
        got = to_dataframe(_objects(orgs), outcomes=True)
        _same(expected, got, "organisation_id", "profile_id")


@pytest.mark.parametrize("source", list(SOURCES))
class TestDtypes:
    """Frames have proper dtypes whatever the source."""

    def test_dtypes(self, source: str) -> None:
        """fiscal_year Int64, on datetime64[s], verdicts and outcomes categoricals."""
        frame = to_dataframe(SOURCES[source](ORGS), outcomes=True)
        assert str(frame["fiscal_year"].dtype) == "Int64"
        assert str(frame["on"].dtype) == "datetime64[s]"
        assert (frame["on"] == pd.Timestamp(ON)).all()
        assert list(frame["verdict"].cat.categories) == [v.value for v in sse_model.Verdict]
        outcome_values = [o.value for o in sse_model.Outcome]
        for column in (c for c in frame.columns if c.startswith("criterion.")):
            assert list(frame[column].cat.categories) == outcome_values
        long = to_dataframe(SOURCES[source](ORGS), criteria=True)
        assert list(long["outcome"].cat.categories) == outcome_values
        assert frame["fiscal_year"].isna().any()  # "d" has no accounts: missing, not 0
        assert frame.loc[frame.organisation_id == "a", "fiscal_year"].eq(2024).all()


@pytest.mark.parametrize("source", list(SOURCES))
class TestSameHelpers:
    """verdict_matrix and every chart take any source and draw the same thing."""

    def test_verdict_matrix(self, source: str) -> None:
        """The same organisations x profiles matrix."""
        expected = verdict_matrix(_many(ORGS))
        got = verdict_matrix(SOURCES[source](ORGS))
        pd.testing.assert_frame_equal(expected, got)

    @pytest.mark.parametrize("frame", [False, True])
    def test_verdicts_by_profile(self, source: str, frame: bool) -> None:
        """The same bars from the results and from their frame."""
        data = SOURCES[source](ORGS)
        data = data.to_pandas() if frame and hasattr(data, "to_pandas") else data
        assert _bars(plots.verdicts_by_profile(data)) == _bars(
            plots.verdicts_by_profile(_many(ORGS))
        )

    @pytest.mark.parametrize("frame", [False, True])
    def test_excluding_criteria(self, source: str, frame: bool) -> None:
        """The same bars and labels, also from a wide frame (to_pandas, outcomes=True)."""
        data = SOURCES[source](ORGS)
        if frame:
            data = to_dataframe(data, outcomes=True)
        got = plots.excluding_criteria(data)
        expected = plots.excluding_criteria(_many(ORGS))
        assert _bars(got) == _bars(expected)
        assert _labels(got) == _labels(expected)
        assert _labels(got)  # something is drawn

    def test_principles_by_family(self, source: str) -> None:
        """The same shares of principles met, per family."""
        got = plots.principles_by_family(SOURCES[source](ORGS), ORGS, profile="intl/ilo-2022")
        expected = plots.principles_by_family(_many(ORGS), ORGS, profile="intl/ilo-2022")
        assert _bars(got) == _bars(expected)
        assert any(h > 0 for _, h in _bars(expected))


def _bars(ax: Any) -> list[tuple[str, float]]:
    return [
        (c.get_label(), p.get_width() or p.get_height()) for c in ax.containers for p in c.patches
    ]


def _labels(ax: Any) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


_EVIL = "<script>alert(1)</script>&"
_CELL_TAG = re.compile(r"<t[dh]\b[^>]*>")


def _displays() -> dict[str, Any]:
    """Every display, each holding user text that needs escaping."""
    org = _org(_EVIL, legal_form="vn/jsc", governance={"foreign_capital_share": "1/3"})
    bad = {"id": _EVIL + "2", "name": "n", "country": "VN", "governance": {"members": "many"}}
    return {
        "Organisation": org,
        "Classification": sse_model.classify(org, "vn/social-enterprise", on=ON),
        "Profile": sse_model.load_profile("vn/social-enterprise"),
        "RegisterResult": classify_table([unstructure(org), bad], PROFILES, on=ON),
        "ClassificationTable": sse_model.classify_under_all(org, on=ON, profiles=PROFILES),
        "PrincipleTable": sse_model.compare_profiles(PROFILES, on=ON),
        "ThresholdTable": sse_model.compare_thresholds(PROFILES, on=ON),
    }


DISPLAYS = _displays()


@pytest.mark.parametrize("name", list(DISPLAYS))
class TestDisplays:
    """Every display renders left-aligned cells and escapes what it shows."""

    def test_cells_left_aligned(self, name: str) -> None:
        """Each td and th carries text-align:left (Jupyter right-aligns cells)."""
        html = DISPLAYS[name]._repr_html_()
        cells = _CELL_TAG.findall(html)
        assert cells
        assert all("text-align:left" in c for c in cells), [
            c for c in cells if "text-align:left" not in c
        ]

    def test_escaped(self, name: str) -> None:
        """No user text is markup: no raw <script>, no bare & from the data."""
        html = DISPLAYS[name]._repr_html_()
        assert "<script" not in html
        if name in ("Organisation", "Classification", "RegisterResult", "ClassificationTable"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in html
        if name == "ThresholdTable":
            assert "&gt;= 51 %" in html  # requirements hold comparison signs


class TestFramesOfDisplays:
    """Register results, classify_under_all's table and the comparisons give frames."""

    def test_comparisons_are_still_tuples(self) -> None:
        """compare_profiles / compare_thresholds keep returning tuples of rows."""
        rows = sse_model.compare_thresholds(PROFILES, on=ON)
        assert isinstance(rows, tuple) and rows
        assert all(isinstance(r, sse_model.ThresholdRow) for r in rows)
        assert tuple(rows) == rows
        assert isinstance(sse_model.compare_profiles(PROFILES, on=ON)[0], sse_model.PrincipleRow)

    def test_threshold_frame(self) -> None:
        """One row per threshold, with the rows' values."""
        rows = sse_model.compare_thresholds(PROFILES, on=ON)
        frame = rows.to_pandas()
        assert len(frame) == len(rows)
        assert list(frame["criterion"]) == [r.criterion for r in rows]
        assert list(frame["status"]) == [r.status.value for r in rows]

    def test_principle_frame(self) -> None:
        """One row per profile, principle and criterion (at least one per principle)."""
        rows = sse_model.compare_profiles(PROFILES, on=ON)
        frame = rows.to_pandas()
        assert len(frame) == sum(max(1, len(r.criteria)) for r in rows)
        assert set(frame["principle"]) == {p.value for p in sse_model.Principle}
        met = frame.dropna(subset=["criterion"])
        assert set(met["criterion"]) == {c[0] for r in rows for c in r.criteria}

    def test_classification_table_frame(self) -> None:
        """classify_under_all(...).to_pandas() is to_dataframe of its classifications."""
        table = DISPLAYS["ClassificationTable"]
        pd.testing.assert_frame_equal(table.to_pandas(), to_dataframe(table.results))
        assert list(table.to_pandas()["profile_id"]) == PROFILES


class TestValues:
    """Displays show money with thousands separators and shares in per cent."""

    @pytest.mark.parametrize(
        ("path", "text", "shown"),
        [
            ("finances.revenue", "1234567.50 VND", "1,234,567.50 VND"),
            ("finances.2024.profit_after_tax", "-1000 KRW", "-1,000 KRW"),
            ("governance.foreign_capital_share", "1/2", "50 %"),
            ("governance.foreign_capital_share", "0.125", "12.5 %"),
            ("governance.foreign_capital_share", "1/3", "≈ 33.33 % (1/3)"),
            (
                "finances.reinvested_share",
                "280000/493827 (≈ 56.70 %)",
                "≈ 56.70 % (280000/493827)",
            ),
            ("governance.members", "1000", "1000"),  # a count, not money
            ("name", "1/2", "1/2"),  # text stays text
        ],
    )
    def test_value_text(self, path: str, text: str, shown: str) -> None:
        """By the kind the field's declaration gives."""
        from sse_model._engine._display import value_text

        assert value_text(path, text) == shown

    def test_in_displays(self) -> None:
        """The organisation and classification displays use them."""
        org = _org(
            "m",
            governance={"foreign_capital_share": "1/4"},
            finances={"2024": {"revenue": "1234567 VND"}},
        )
        html = org._repr_html_()
        assert "1,234,567 VND" in html and "25 %" in html
        c = sse_model.classify(ORGS[0], "vn/social-enterprise", on=ON)
        assert "51 %" in c._repr_html_()


class TestKeep:
    """Input columns named in keep= are carried into the results, beside the id."""

    FRAME: ClassVar[dict[str, list[Any]]] = {
        "id": ["a", "b", "a"],
        "name": ["Alpha", 'B, "q"', "Again"],
        "country": ["VN", "VN", "VN"],
        "legal_form": ["vn/jsc", "vn/cooperative", "vn/jsc"],
        "city": ["Hanoi", None, "Hue"],
        "n": [1, 2, 3],
    }

    @pytest.mark.parametrize("kind", ["pandas", "arrow", "polars", "records"])
    def test_kept_beside_the_id(self, kind: str) -> None:
        """Each result row has the cells of its own input row, as text, after the id
        (columns outside the vocabulary too; the repeated id's row is rejected)."""
        frame = pd.DataFrame(self.FRAME)
        keep = ["name", "city", "n"]
        if kind == "arrow":
            import pyarrow as pa

            table: Any = pa.Table.from_pandas(frame)
        elif kind == "polars":
            pl = pytest.importorskip("polars")
            table = pl.from_pandas(frame)
        elif kind == "records":
            table = [
                {"id": i, "name": n, "country": c, "legal_form": f}
                for i, n, c, f in zip(
                    *(self.FRAME[k] for k in ("id", "name", "country", "legal_form")), strict=True
                )
            ]
            keep = ["name"]
        else:
            table = frame
        result = classify_table(table, PROFILES, on=ON, keep=keep)
        got = result.to_pandas()
        assert list(got.columns[: 2 + len(keep)]) == ["row", "organisation_id", *keep]
        assert list(got["organisation_id"]) == ["a", "a", "b", "b"]
        assert list(got["name"]) == ["Alpha", "Alpha", 'B, "q"', 'B, "q"']
        if kind != "records":
            assert list(got["n"]) == ["1", "1", "2", "2"]  # text, as the input cell
            assert got["city"].isna().tolist() == [False, False, True, True]
        assert [r.number for r in result.rejected] == [3]

    def test_renamed_columns_keep_the_vocabulary_name(self) -> None:
        """With plain renames, the kept name is the vocabulary's (the renamed column)."""
        frame = pd.DataFrame({"id": ["a"], "Nom": ["Alpha"], "country": ["VN"]})
        got = classify_table(frame, PROFILES, on=ON, columns={"Nom": "name"}, keep=["name"])
        assert list(got.to_pandas()["name"]) == ["Alpha", "Alpha"]

    def test_a_register_mapping_keeps_vocabulary_names(self) -> None:
        """Through a register mapping, kept names are the vocabulary's, not the register's."""
        mapping = sse_model.load_mapping(
            {"columns": {"Company Name": "name", "Ref": "id", "Land": "country"}}
        )
        frame = pd.DataFrame({"Ref": ["a"], "Company Name": ["Alpha"], "Land": ["VN"]})
        got = classify_table(frame, PROFILES, on=ON, columns=mapping, keep=["name"])
        assert list(got.to_pandas()["name"]) == ["Alpha", "Alpha"]
        with pytest.raises(sse_model.InvalidInput, match="vocabulary names the register mapping"):
            classify_table(frame, PROFILES, on=ON, columns=mapping, keep=["Company Name"])

    def test_classify_file_writes_them(self, tmp_path: Any) -> None:
        """classify_file writes the kept columns in CSV (formulas escaped) and Parquet."""
        import csv

        import pyarrow.parquet as pq

        src = tmp_path / "r.csv"
        src.write_text(
            'id,name,country\na,Alpha,VN\nb,"B, ""q""",VN\nc,=1+1,VN\n', encoding="utf-8"
        )
        sse_model.classify_file(
            src, PROFILES[0], output=tmp_path / "o.parquet", on=ON, keep=["name"]
        )
        table = pq.read_table(tmp_path / "o.parquet")
        assert table.column_names[1:3] == ["organisation_id", "name"]
        assert table.column("name").to_pylist() == ["Alpha", 'B, "q"', "=1+1"]
        sse_model.classify_file(src, PROFILES[0], output=tmp_path / "o.csv", on=ON, keep=["name"])
        with (tmp_path / "o.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert [r["name"] for r in rows] == ["Alpha", 'B, "q"', "'=1+1"]

    @pytest.mark.parametrize(
        ("keep", "message"),
        [
            (["nom"], "expected a column 'nom' in the input"),
            ("name", "expected a list of column names"),
            (["verdict"], "a column of the results"),
            (["criterion.x"], "a column of the results"),
            (["name", "name"], "expected distinct names"),
            ([3], "expected a column name, got 3"),
        ],
    )
    def test_bad_keep(self, keep: Any, message: str) -> None:
        """A bad keep= is InvalidInput at path keep, saying what was expected."""
        frame = pd.DataFrame({"id": ["a"], "name": ["A"], "country": ["VN"]})
        with pytest.raises(sse_model.InvalidInput, match=message) as info:
            classify_table(frame, PROFILES, on=ON, keep=keep)
        assert info.value.errors[0].path == "keep"
