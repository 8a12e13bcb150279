"""Golden tests: br/solidarity-economy (Lei nº 15.068/2024, art. 4)."""

from datetime import date
from typing import Any

import pytest

from sse_model import NoVersionInForce, Organisation, Outcome, Verdict, classify, structure

PROFILE = "br/solidarity-economy"
ON = date(2025, 6, 30)
OPEN_CHARACTERISTICS = ("br-ees-members-involved", "br-ees-fair-trade")

WASTE_PICKERS: dict[str, Any] = {
    "id": "br-catadores",
    "name": "Cooperativa de catadores",
    "country": "BR",
    "legal_form": "br/cooperativa",
    "purpose": {"economic_activity": True, "mutual_benefit": True, "primary": ["mixed"]},
    "governance": {
        "voting_rule": "one_member_one_vote",
        "controlled_by_public_body": False,
        "controlled_by_for_profit": False,
    },
    "statutes": {"profit_rule": "by_patronage"},
}


def org(**changes: Any) -> Organisation:
    return structure({**WASTE_PICKERS, **changes}, Organisation)


class TestObservableCharacteristics:
    """Art. 4 I, IV and V: the characteristics the model can observe."""

    def test_waste_pickers_cooperative_is_open_only_on_ii_and_iii(self) -> None:
        """Art. 4 II-III are not recorded: everything else met leaves exactly those two open."""
        c = classify(org(), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.criterion("br-ees-self-managed").outcome is Outcome.MET
        assert c.criterion("br-ees-results").outcome is Outcome.MET
        assert c.settlement is not None
        assert c.settlement.unresolvable == OPEN_CHARACTERISTICS
        assert c.settlement.missing_facts == ()

    def test_form_does_not_matter(self) -> None:
        """Art. 4 §1: a Ltda. meeting the characteristics is treated like a cooperative."""
        c = classify(org(legal_form="br/ltda"), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == OPEN_CHARACTERISTICS

    @pytest.mark.parametrize("rule", ["capital_weighted", "mixed"])
    def test_one_member_one_vote_required(self, rule: str) -> None:
        """Art. 4 I: 'singularidade de voto dos associados'."""
        gov = {**WASTE_PICKERS["governance"], "voting_rule": rule}
        c = classify(org(governance=gov), PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("br-ees-self-managed").outcome is Outcome.NOT_MET

    def test_controlled_by_a_firm_is_not_self_managed(self) -> None:
        """Art. 4 I: members themselves manage the economic activities."""
        gov = {**WASTE_PICKERS["governance"], "controlled_by_for_profit": True}
        assert classify(org(governance=gov), PROFILE, on=ON).verdict is Verdict.DOES_NOT_QUALIFY

    @pytest.mark.parametrize(
        ("rule", "outcome"),
        [
            ("by_patronage", Outcome.MET),
            ("prohibited", Outcome.MET),
            ("limited", Outcome.NOT_MET),
            ("unrestricted", Outcome.NOT_MET),
        ],
    )
    def test_results_in_proportion_to_operations(self, rule: str, outcome: Outcome) -> None:
        """Art. 4 IV-V: results by members' decision in proportion to operations."""
        c = classify(org(statutes={"profit_rule": rule}), PROFILE, on=ON)
        assert c.criterion("br-ees-results").outcome is outcome
        if outcome is Outcome.NOT_MET:
            assert c.verdict is Verdict.DOES_NOT_QUALIFY


class TestLabourIntermediationException:
    """Art. 4 §3: enterprises whose economic activity is labour intermediation are excluded."""

    def test_labour_intermediation_cooperative_does_not_qualify(self) -> None:
        """Art. 4 §3: the exception decides before the open characteristics."""
        o = org(
            purpose={
                "economic_activity": True,
                "mutual_benefit": True,
                "primary": ["labour_intermediation"],
            }
        )
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("br-ees-not-labour-intermediation").outcome is Outcome.NOT_MET

    def test_unknown_activity_names_the_fact(self) -> None:
        """Art. 4 §3: without the primary purpose the exception cannot be ruled out."""
        o = org(purpose={"economic_activity": True, "mutual_benefit": True})
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["purpose.primary"]


class TestDates:
    """Lei 15.068 published in the DOU on 24 December 2024 (in-force article not read)."""

    def test_both_sides_of_publication(self) -> None:
        """No version before publication on 2024-12-24."""
        with pytest.raises(NoVersionInForce):
            classify(org(), PROFILE, on=date(2024, 12, 23))
        assert classify(org(), PROFILE, on=date(2024, 12, 24)).version == "2024"
