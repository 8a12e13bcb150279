"""Golden tests: ca-qc/social-economy (Loi sur l'économie sociale, RLRQ c. E-1.1.1, art. 3)."""

from datetime import date
from typing import Any

import pytest

from sse_model import NoVersionInForce, Organisation, Outcome, Verdict, classify, structure

PROFILE = "ca-qc/social-economy"
ON = date(2024, 6, 30)

COOP: dict[str, Any] = {
    "id": "qc-coop",
    "name": "Coopérative de solidarité",
    "country": "CA",
    "subdivision": "CA-QC",
    "legal_form": "ca-qc/cooperative",
    "purpose": {"economic_activity": True, "mutual_benefit": True},
    "governance": {"voting_rule": "one_member_one_vote", "controlled_by_public_body": False},
    "statutes": {"profit_rule": "by_patronage", "residual_assets": "similar_entity"},
}


def org(**changes: Any) -> Organisation:
    return structure({**COOP, **changes}, Organisation)


class TestLegalForm:
    """Art. 3 al. 3: a cooperative, a mutual or an association with legal personality."""

    @pytest.mark.parametrize("form", ["ca-qc/cooperative", "ca-qc/mutuelle", "ca-qc/obnl"])
    def test_eligible_forms_qualify(self, form: str) -> None:
        """Art. 3 al. 3: each of the three forms qualifies when the art. 3 principles hold."""
        assert classify(org(legal_form=form), PROFILE, on=ON).verdict is Verdict.QUALIFIES

    def test_business_corporation_fails(self) -> None:
        """Art. 3 al. 3: a société par actions is not an eligible operator."""
        c = classify(org(legal_form="ca-qc/societe-par-actions"), PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("qc-se-legal-form").outcome is Outcome.NOT_MET

    def test_no_sale_or_exchange_fails(self) -> None:
        """Art. 3 al. 3: activities consist notably in selling or exchanging goods or services."""
        c = classify(
            org(purpose={"economic_activity": False, "mutual_benefit": True}), PROFILE, on=ON
        )
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("qc-se-sells-or-exchanges").outcome is Outcome.NOT_MET


class TestPrinciples:
    """Art. 3 al. 1 1°-6°: the six operating principles."""

    def test_public_decisional_control_fails(self) -> None:
        """Art. 3 al. 1 2°: not under the decisional control of public bodies."""
        gov = {**COOP["governance"], "controlled_by_public_body": True}
        c = classify(org(governance=gov), PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("qc-se-no-public-control").outcome is Outcome.NOT_MET

    def test_democratic_statutes_suffice(self) -> None:
        """Art. 3 al. 1 3°: democratic governance by members, read from the statutes."""
        o = org(
            governance={"voting_rule": "mixed", "controlled_by_public_body": False},
            statutes={**COOP["statutes"], "democratic_governance": True},
        )
        assert classify(o, PROFILE, on=ON).verdict is Verdict.QUALIFIES

    def test_capital_weighted_votes_fail(self) -> None:
        """Art. 3 al. 1 3°: capital-weighted votes without democratic statutes fail."""
        gov = {**COOP["governance"], "voting_rule": "capital_weighted"}
        unknown = classify(org(governance=gov), PROFILE, on=ON)
        assert unknown.verdict is Verdict.UNDETERMINED  # the statutes could still provide it
        statutes = {**COOP["statutes"], "democratic_governance": False}
        c = classify(org(governance=gov, statutes=statutes), PROFILE, on=ON)
        assert c.criterion("qc-se-democratic-governance").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    @pytest.mark.parametrize(
        ("rule", "verdict"),
        [
            ("prohibited", Verdict.QUALIFIES),
            ("by_patronage", Verdict.QUALIFIES),
            ("limited", Verdict.DOES_NOT_QUALIFY),
            ("unrestricted", Verdict.DOES_NOT_QUALIFY),
        ],
    )
    def test_surplus_rule(self, rule: str, verdict: Verdict) -> None:
        """Art. 3 al. 1 5°: no distribution, or pro rata to transactions only."""
        o = org(statutes={**COOP["statutes"], "profit_rule": rule})
        assert classify(o, PROFILE, on=ON).verdict is verdict

    def test_residual_assets_to_members_fail(self) -> None:
        """Art. 3 al. 1 6°: residual assets must devolve to a legal person with similar objectives."""
        o = org(statutes={**COOP["statutes"], "residual_assets": "members"})
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("qc-se-dissolution").outcome is Outcome.NOT_MET

    def test_residual_assets_to_public_is_unresolvable(self) -> None:
        """Art. 3 al. 1 6°: devolution to a public body is not necessarily 'similar objectives'."""
        o = org(statutes={**COOP["statutes"], "residual_assets": "public"})
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("qc-se-dissolution",)

    def test_missing_dissolution_clause_is_asked_for(self) -> None:
        """Art. 3 al. 1 6°: an unknown dissolution clause names the fact to collect."""
        o = org(statutes={"profit_rule": "by_patronage"})
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["statutes.residual_assets"]


class TestDates:
    """L.Q. 2013, c. 22: in force on sanction, 10 October 2013 (medium)."""

    def test_both_sides_of_sanction(self) -> None:
        """Sanction on 2013-10-10: no version the day before."""
        with pytest.raises(NoVersionInForce):
            classify(org(), PROFILE, on=date(2013, 10, 9))
        assert classify(org(), PROFILE, on=date(2013, 10, 10)).verdict is Verdict.QUALIFIES
