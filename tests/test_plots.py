"""Charts: the plotted data (bar heights and labels), not pixels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import sse_model
from sse_model import EntityFamily, Organisation, Outcome, Verdict, plots, structure

ON = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _org(oid: str, **facts: Any) -> Organisation:
    return structure({"id": oid, "name": oid, "country": "VN", **facts}, Organisation)


# a qualifying social enterprise, a cooperative (excluded by vn-se-enterprise), and an
# enterprise reinvesting too little (excluded by vn-se-reinvest-2020), one with nothing known
_SE = {
    "legal_form": "vn/jsc",
    "purpose": {"social": True, "commitment_registered": True},
}
ORGS = [
    _org(
        "a",
        **_SE,
        finances={"2024": {"profit_after_tax": "100 VND", "reinvested": "51 VND"}},
    ),
    _org("b", legal_form="vn/cooperative"),
    _org(
        "c",
        **_SE,
        finances={"2024": {"profit_after_tax": "100 VND", "reinvested": "50 VND"}},
    ),
    _org("d"),
]


@pytest.fixture(scope="module")
def results() -> list[sse_model.Classification]:
    return sse_model.classify_many(ORGS, ["vn/social-enterprise", "intl/ilo-2022"], on=ON)


def _bars(ax: Any) -> list[tuple[str, float]]:
    """(label, width or height) of each bar, from the axes' containers."""
    out = []
    for container in ax.containers:
        for patch in container.patches:
            out.append((container.get_label(), patch.get_width() or patch.get_height()))
    return out


class TestVerdictsByProfile:
    """Stacked bars count the verdicts of each profile."""

    def test_counts(self, results: list[sse_model.Classification]) -> None:
        """The bars' widths are the number of organisations with each verdict."""
        vn = [c for c in results if c.profile_id == "vn/social-enterprise"]
        assert [c.verdict for c in vn] == [
            Verdict.QUALIFIES,
            Verdict.DOES_NOT_QUALIFY,
            Verdict.DOES_NOT_QUALIFY,
            Verdict.UNDETERMINED,
        ]
        ax = plots.verdicts_by_profile(results)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["vn/social-enterprise", "intl/ilo-2022"]
        widths = {
            (c.get_label(), labels[i]): p.get_width()
            for c in ax.containers
            for i, p in enumerate(c.patches)
        }
        assert widths[("qualifies", "vn/social-enterprise")] == 1
        assert widths[("does not qualify", "vn/social-enterprise")] == 2
        assert widths[("undetermined", "vn/social-enterprise")] == 1
        ilo = [
            c.verdict.value.replace("_", " ") for c in results if c.profile_id != vn[0].profile_id
        ]
        for verdict in ("qualifies", "does not qualify", "undetermined"):
            assert widths[(verdict, "intl/ilo-2022")] == ilo.count(verdict)

    def test_dataframe_gives_the_same_bars(self, results: list[sse_model.Classification]) -> None:
        """A DataFrame from to_dataframe, with or without criteria, gives the same chart."""
        expected = _bars(plots.verdicts_by_profile(results))
        for criteria in (False, True):
            frame = sse_model.to_dataframe(results, criteria=criteria)
            assert _bars(plots.verdicts_by_profile(frame)) == expected

    def test_draws_on_given_axes(self, results: list[sse_model.Classification]) -> None:
        """Given axes are drawn on and returned, so users can restyle them."""
        _, ax = plt.subplots()
        assert plots.verdicts_by_profile(results, ax=ax) is ax


class TestExcludingCriteria:
    """Bars count, per criterion, the organisations it excludes."""

    def test_counts(self, results: list[sse_model.Classification]) -> None:
        """Each bar is the number of non-qualifying organisations failing that criterion."""
        ax = plots.excluding_criteria(results)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        heights = dict(zip(labels, [p.get_width() for p in ax.patches], strict=True))
        assert heights["vn/social-enterprise: vn-se-enterprise"] == 1
        assert heights["vn/social-enterprise: vn-se-reinvest-2020"] == 1
        expected: dict[str, int] = {}
        for c in results:
            if c.verdict is Verdict.DOES_NOT_QUALIFY:
                for r in c.criteria:
                    if r.outcome is Outcome.NOT_MET:
                        key = f"{c.profile_id}: {r.id}"
                        expected[key] = expected.get(key, 0) + 1
        assert heights == expected

    def test_top_and_order(self, results: list[sse_model.Classification]) -> None:
        """At most *top* criteria per profile, the most excluding first."""
        ax = plots.excluding_criteria(results, top=1)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert len([x for x in labels if x.startswith("vn/")]) == 1

    def test_dataframe(self, results: list[sse_model.Classification]) -> None:
        """The criteria DataFrame gives the same bars; the summary one is refused."""
        expected = _bars(plots.excluding_criteria(results))
        frame = sse_model.to_dataframe(results, criteria=True)
        assert _bars(plots.excluding_criteria(frame)) == expected
        with pytest.raises(ValueError, match="criteria=True"):
            plots.excluding_criteria(sse_model.to_dataframe(results))


class TestPrinciplesByFamily:
    """Grouped bars give the share of each family demonstrating each principle."""

    def test_shares(self, results: list[sse_model.Classification]) -> None:
        """Heights are the percentage of the family's organisations meeting the principle."""
        ilo = [c for c in results if c.profile_id == "intl/ilo-2022"]
        ax = plots.principles_by_family(ilo, ORGS)
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels == ["company\n(n=2)", "cooperative\n(n=1)", "unknown\n(n=1)"]
        family = {"a": "company", "b": "cooperative", "c": "company", "d": "unknown"}
        for container, principle in zip(ax.containers, sse_model.Principle, strict=True):
            assert container.get_label() == principle.info.name
            for patch, fam in zip(
                container.patches, ["company", "cooperative", "unknown"], strict=True
            ):
                members = [c for c in ilo if family[c.organisation_id] == fam]
                met = sum(
                    p.outcome is Outcome.MET
                    for c in members
                    for p in c.principles
                    if p.principle is principle
                )
                assert patch.get_height() == pytest.approx(100 * met / len(members))

    def test_mapping_of_families(self, results: list[sse_model.Classification]) -> None:
        """Families may be given as a mapping from organisation id."""
        ilo = [c for c in results if c.profile_id == "intl/ilo-2022"]
        mapping = {o.id: EntityFamily.COOPERATIVE for o in ORGS}
        ax = plots.principles_by_family(ilo, mapping)
        assert [t.get_text() for t in ax.get_xticklabels()] == ["cooperative\n(n=4)"]

    def test_several_profiles_need_a_choice(self, results: list[sse_model.Classification]) -> None:
        """Mixing profiles without choosing one is an error; choosing one filters."""
        with pytest.raises(ValueError, match="profile="):
            plots.principles_by_family(results, ORGS)
        ax = plots.principles_by_family(results, ORGS, profile="intl/ilo-2022")
        assert "intl/ilo-2022" in ax.get_title()


class TestThresholdsAcrossCountries:
    """Bars give the thresholds of several profiles on the same facts."""

    IDS = ("th/social-enterprise", "vn/social-enterprise", "th/cooperative", "vn/cooperative")

    def test_default_shares(self) -> None:
        """Shares tested by two profiles or more, in %, labelled with the comparison."""
        ax = plots.thresholds_across_countries(self.IDS, on=ON)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        widths = [p.get_width() for p in ax.patches]
        texts = [t.get_text() for t in ax.texts]
        got = list(zip(labels, widths, texts, strict=True))
        assert got == [
            (
                "finances.reinvested_share\nth/social-enterprise (th-se-reinvest)",
                70.0,
                ">= 70 %",
            ),
            (
                "finances.reinvested_share\nvn/social-enterprise (vn-se-reinvest-2020)",
                51.0,
                ">= 51 %",
            ),
            (
                "governance.largest_member_capital_share\nth/cooperative (th-coop-share-cap)",
                20.0,
                "<= 20 %",
            ),
            (
                "governance.largest_member_capital_share\n"
                "vn/cooperative (vn-coop-member-capital-cap)",
                30.0,
                "<= 30 % (unverified)",
            ),
        ]
        assert [bool(p.get_hatch()) for p in ax.patches] == [False, False, False, True]

    def test_chosen_counts(self) -> None:
        """Counts can be chosen; they are plotted as numbers, not percentages."""
        ax = plots.thresholds_across_countries(
            ["vn/cooperative", "th/cooperative"],
            on=ON,
            facts=["governance.members", "membership.founding_members"],
        )
        # both minimums count founders (Law 2023 Art. 4(7); Cooperatives Act s.34)
        assert [t.get_text() for t in ax.texts] == [">= 10 (unverified)", ">= 5"]
        assert [p.get_width() for p in ax.patches] == [10.0, 5.0]
        assert ax.get_xlabel() == "threshold"

    def test_one_scale(self) -> None:
        """Shares and counts are not mixed on one axis; unknown facts are reported."""
        with pytest.raises(ValueError, match="one kind"):
            plots.thresholds_across_countries(
                self.IDS, on=ON, facts=["governance.members", "finances.reinvested_share"]
            )
        with pytest.raises(ValueError, match="unknown fact"):
            plots.thresholds_across_countries(self.IDS, on=ON, facts=["governance.colour"])
