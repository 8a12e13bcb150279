"""Classifications as DataFrames (the optional pandas extra)."""

from datetime import date

import pytest

from sse_model import Organisation, classify_many, structure, to_dataframe, verdict_matrix

pd = pytest.importorskip("pandas")

ON = date(2025, 6, 30)


def orgs() -> list[Organisation]:
    return [
        structure(
            {"id": "vn-1", "name": "A", "country": "VN", "legal_form": "vn/cooperative"},
            Organisation,
        ),
        structure(
            {
                "id": "vn-2",
                "name": "B",
                "country": "VN",
                "legal_form": "vn/jsc",
                "purpose": {"social": False, "environmental": False},
            },
            Organisation,
        ),
    ]


class TestDataFrames:
    """One call turns many classifications into a tidy table or a comparison view."""

    def test_one_row_per_organisation_and_profile(self) -> None:
        """Verdicts and missing facts, one row per organisation x profile."""
        results = classify_many(orgs(), ["intl/ilo-2022", "vn/social-enterprise"], on=ON)
        frame = to_dataframe(results)
        assert len(frame) == 4
        assert set(frame.columns) >= {"organisation_id", "profile_id", "verdict", "missing_facts"}
        row = frame[
            (frame.organisation_id == "vn-2") & (frame.profile_id == "vn/social-enterprise")
        ].iloc[0]
        assert row.verdict == "does_not_qualify"

    def test_criteria_long_form(self) -> None:
        """With criteria=True, one row per criterion with outcome and citation."""
        results = classify_many(orgs(), "vn/social-enterprise", on=ON)
        frame = to_dataframe(results, criteria=True)
        assert len(frame) == sum(len(r.criteria) for r in results)
        reinvest = frame[
            (frame.organisation_id == "vn-2") & (frame.criterion == "vn-se-reinvest-2020")
        ].iloc[0]
        assert reinvest.outcome == "unknown"
        assert "Art. 10(1)(c)" in reinvest.citation

    def test_verdict_matrix(self) -> None:
        """Organisations x profiles."""
        matrix = verdict_matrix(
            classify_many(orgs(), ["intl/ilo-2022", "vn/social-enterprise"], on=ON)
        )
        assert list(matrix.index) == ["vn-1", "vn-2"]
        assert matrix.loc["vn-1", "vn/social-enterprise"] == "does_not_qualify"
