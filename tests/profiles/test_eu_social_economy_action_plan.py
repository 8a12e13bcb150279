"""Golden tests: eu/social-economy-action-plan (COM(2021) 778 final)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

PROFILE = "eu/social-economy-action-plan"
ON = date(2024, 6, 30)


def org(finances: dict[str, Any] | None = None, **overrides: Any) -> Organisation:
    data: dict[str, Any] = {
        "id": "x",
        "name": "x",
        "country": "BE",
        "purpose": {"social": True},
        "statutes": {"profit_rule": "limited"},
        "governance": {"stakeholder_participation": True},
        "finances": {
            "2023": finances
            or {"profit_after_tax": "1000 EUR", "reinvested": "400 EUR", "to_reserves": "101 EUR"}
        },
    }
    data.update(overrides)
    return structure(data, Organisation)


class TestMostProfitsReinvested:
    """COM(2021) 778 section 2: 'reinvestment of most of the profits' (more than half)."""

    @pytest.mark.parametrize(
        ("to_reserves", "verdict"),
        [
            ("100 EUR", Verdict.DOES_NOT_QUALIFY),  # exactly 50 %: not 'most'
            ("99.99 EUR", Verdict.DOES_NOT_QUALIFY),
            ("100.01 EUR", Verdict.QUALIFIES),
        ],
    )
    def test_boundary(self, to_reserves: str, verdict: Verdict) -> None:
        """Section 2: more than 50 % retained."""
        fin = {"profit_after_tax": "1000 EUR", "reinvested": "400 EUR", "to_reserves": to_reserves}
        assert classify(org(fin), PROFILE, on=ON).verdict is verdict

    def test_non_profit_statutes_meet_it_in_a_loss_year(self) -> None:
        """Section 2: an entity that may not distribute reinvests everything."""
        o = org({"profit_after_tax": "-10 EUR"}, statutes={"profit_rule": "prohibited"})
        assert classify(o, PROFILE, on=ON).verdict is Verdict.QUALIFIES

    def test_missing_profit_names_the_fact(self) -> None:
        """Section 2: unknown allocation is asked for."""
        c = classify(org({"reinvested": "400 EUR", "to_reserves": "200 EUR"}), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["finances[2023].profit_after_tax"]


class TestGovernanceAndPurpose:
    """COM(2021) 778 section 2: democratic and/or participatory governance; primacy of people."""

    def test_capital_weighted_without_participation_fails(self) -> None:
        """Section 2: neither democratic nor participatory."""
        o = org(
            governance={"stakeholder_participation": False, "voting_rule": "capital_weighted"},
            statutes={"profit_rule": "limited", "democratic_governance": False},
        )
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert (
            c.criterion("eu-seap-democratic-participatory-governance").outcome is Outcome.NOT_MET
        )

    def test_no_social_purpose_fails(self) -> None:
        """Section 2: primacy of people and purpose over profit."""
        o = org(
            purpose={
                "social": False,
                "environmental": False,
                "general_interest": False,
                "mutual_benefit": False,
            }
        )
        assert classify(o, PROFILE, on=ON).verdict is Verdict.DOES_NOT_QUALIFY
