"""Comparisons across profiles are generated from the data."""

from datetime import date

from sse_model import (
    Organisation,
    Principle,
    Verdict,
    classify_under_all,
    compare_profiles,
    compare_thresholds,
    load_profile,
    profile_ids,
    structure,
)
from sse_model._engine._compare import render_principles, render_profile, render_thresholds

ON = date(2025, 6, 30)


class TestComparisons:
    """Principles and thresholds, side by side, from the profile data."""

    def test_thresholds_come_from_the_profiles(self) -> None:
        """The Vietnamese reinvestment floor appears with its article (LoE 2020 Art. 10(1)(c))."""
        rows = [r for r in compare_thresholds(on=ON) if r.fact == "finances.reinvested_share"]
        vn = next(r for r in rows if r.profile_id == "vn/social-enterprise")
        assert vn.requirement == ">= 51 %"
        assert "Art. 10(1)(c)" in vn.citation
        assert "| `vn/social-enterprise` | >= 51 % |" in render_thresholds(rows)

    def test_principles_per_profile(self) -> None:
        """Each profile in force gets one row per principle; the ILO profile covers all four."""
        rows = [r for r in compare_profiles(on=ON) if r.profile_id == "intl/ilo-2022"]
        assert {r.principle for r in rows} == set(Principle)
        assert all(r.criteria for r in rows)
        assert "(interpretation)" in render_principles(rows)

    def test_dates_before_a_profile_skip_it(self) -> None:
        """A profile with no version in force on the date is left out, not an error."""
        ids = {r.profile_id for r in compare_profiles(on=date(2016, 1, 1))}
        assert "intl/ilo-2022" not in ids

    def test_profile_page(self) -> None:
        """A jurisdiction page lists instruments, versions, criteria and notes."""
        page = render_profile(load_profile("vn/social-enterprise"))
        assert "Law on Enterprises No. 59/2020/QH14" in page
        assert "`loe-2014`: 2015-07-01 to 2020-12-31" in page
        assert "**Notes**" in page

    def test_profile_page_shows_parameters_and_readings(self) -> None:
        """A jurisdiction page lists each dated value with its source, and the readings."""
        esus = render_profile(load_profile("fr/esus"))
        assert "- 2018-01-01 – 2018-12-31: 17981.60 EUR (9.88 EUR/h" in esus
        italy = render_profile(load_profile("it/social-enterprise"))
        assert "2023-01-23 – 2023-06-05: 7.15 %" in italy
        thai = render_profile(load_profile("th/social-enterprise"))
        assert "`th-se-not-recently-revoked`, reading `revocation-to-application`" in thai
        assert "**Parameters**" not in thai


class TestClassifyUnderAll:
    """One organisation under every profile, in one call."""

    def test_one_call_one_table(self) -> None:
        """Every shipped profile in force gives a row; others are listed as not in force."""
        org = structure(
            {"id": "vn-9", "name": "X", "country": "VN", "legal_form": "vn/cooperative"},
            Organisation,
        )
        table = classify_under_all(org, on=ON)
        assert {r.profile_id for r in table.results} | set(table.not_in_force) == set(
            profile_ids()
        )
        vn = next(r for r in table.results if r.profile_id == "vn/social-enterprise")
        assert vn.verdict is Verdict.DOES_NOT_QUALIFY
        text = str(table)
        assert "vn/social-enterprise" in text and "not met: vn-se-enterprise" in text
