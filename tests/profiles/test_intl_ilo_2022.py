"""Golden tests: intl/ilo-2022 (ILC 110th Session, 2022, Conclusions para. 5).

The ILO principles are qualitative; the profile's interpretations are tested as written.
"""

from datetime import date
from typing import Any

import pytest

from sse_model import (
    NoVersionInForce,
    Organisation,
    Outcome,
    Principle,
    Verdict,
    classify,
    structure,
)

PROFILE = "intl/ilo-2022"
ON = date(2025, 1, 1)

COOP: dict[str, Any] = {
    "id": "coop",
    "name": "Coop",
    "country": "KH",
    "legal_form": "kh/agricultural-cooperative",
    "purpose": {"mutual_benefit": True},
    "membership": {"voluntary": True},
    "governance": {
        "voting_rule": "one_member_one_vote",
        "controlled_by_public_body": False,
        "controlled_by_for_profit": False,
    },
    "statutes": {"profit_rule": "by_patronage", "reserves_indivisible": True},
}


def org(**changes: Any) -> Organisation:
    data = {**COOP, **changes}
    return structure(data, Organisation)


class TestQualifies:
    """A cooperative meeting each interpretation qualifies and demonstrates all four principles."""

    def test_cooperative(self) -> None:
        """Para. 5: all four principles demonstrated."""
        c = classify(org(), PROFILE, on=ON)
        assert c.verdict is Verdict.QUALIFIES
        assert {p.principle for p in c.principles if p.outcome is Outcome.MET} == set(Principle)
        assert all(r.interpretation for r in c.criteria)

    def test_participation_alone_suffices(self) -> None:
        """Para. 5 'democratic and/or participatory': stakeholder participation alone is enough."""
        gov = {
            **COOP["governance"],
            "voting_rule": "capital_weighted",
            "stakeholder_participation": True,
        }
        assert classify(org(governance=gov), PROFILE, on=ON).verdict is Verdict.QUALIFIES

    def test_foundation_has_no_members(self) -> None:
        """Para. 5: voluntary cooperation is not applicable to a foundation (no members)."""
        c = classify(org(legal_form="th/foundation", country="TH", membership={}), PROFILE, on=ON)
        assert c.criterion("ilo-voluntary-cooperation").outcome is Outcome.NOT_APPLICABLE
        assert c.verdict is Verdict.QUALIFIES


class TestDoesNotQualify:
    """Each principle can exclude on its own."""

    @pytest.mark.parametrize(
        ("changes", "criterion"),
        [
            (
                {"statutes": {"profit_rule": "unrestricted", "reserves_indivisible": True}},
                "ilo-primacy-surplus",
            ),
            (
                {
                    "statutes": {
                        "profit_rule": "by_patronage",
                        "reserves_indivisible": False,
                        "asset_lock": False,
                        "residual_assets": "members",
                    }
                },
                "ilo-primacy-assets",
            ),
            (
                {"governance": {**COOP["governance"], "controlled_by_public_body": True}},
                "ilo-autonomy-independence",
            ),
            ({"membership": {"voluntary": False}}, "ilo-voluntary-cooperation"),
            (
                {
                    "governance": {
                        **COOP["governance"],
                        "voting_rule": "capital_weighted",
                        "stakeholder_participation": False,
                    },
                    "statutes": {**COOP["statutes"], "democratic_governance": False},
                },
                "ilo-democratic-participatory-governance",
            ),
        ],
    )
    def test_one_principle_fails(self, changes: dict[str, Any], criterion: str) -> None:
        """Para. 5: a criterion not met decides, whatever else is unknown."""
        c = classify(org(**changes), PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion(criterion).outcome is Outcome.NOT_MET


class TestUndetermined:
    """Missing facts make the verdict undetermined, never a default."""

    def test_missing_governance(self) -> None:
        """Para. 5: with the vote rule unknown, governance is unknown and the facts are named."""
        gov = {k: v for k, v in COOP["governance"].items() if k != "voting_rule"}
        c = classify(org(governance=gov), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.to_qualify == ("ilo-democratic-participatory-governance",)
        assert {m.path for m in c.settlement.missing_facts} == {
            "governance.voting_rule",
            "statutes.democratic_governance",
            "governance.stakeholder_participation",
        }

    def test_unknown_family_makes_voluntary_cooperation_unknown(self) -> None:
        """With no legal form, whether the voluntary-cooperation rule applies is unknown."""
        data = {k: v for k, v in COOP.items() if k != "legal_form"}
        c = classify(structure(data, Organisation), PROFILE, on=ON)
        assert c.criterion("ilo-voluntary-cooperation").outcome is Outcome.UNKNOWN


class TestDates:
    """The resolution was adopted on 10 June 2022 (day: medium confidence)."""

    def test_before_adoption(self) -> None:
        """No version is in force before 2022-06-10; from that day there is."""
        with pytest.raises(NoVersionInForce):
            classify(org(), PROFILE, on=date(2022, 6, 9))
        assert classify(org(), PROFILE, on=date(2022, 6, 10)).version == "2022"
