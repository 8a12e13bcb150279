"""Golden tests: pt/social-economy (Lei n.º 30/2013, arts. 4-6)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

PROFILE = "pt/social-economy"
ON = date(2024, 6, 30)


def org(**fields: Any) -> Organisation:
    return structure({"id": "x", "name": "x", "country": "PT", **fields}, Organisation)


class TestListedEntities:
    """Art. 4 a)-g): entities of the social economy."""

    @pytest.mark.parametrize(
        "form", ["pt/cooperativa", "pt/associacao-mutualista", "pt/misericordia", "pt/fundacao"]
    )
    def test_listed_forms_qualify(self, form: str) -> None:
        """Art. 4 a)-d): the form alone decides."""
        c = classify(org(legal_form=form), PROFILE, on=ON)
        assert c.verdict is Verdict.QUALIFIES

    def test_association_is_unresolvable(self) -> None:
        """Art. 4 e)-f): an association counts only as IPSS or with altruistic aims, not recorded."""
        c = classify(org(legal_form="pt/associacao"), PROFILE, on=ON)
        assert c.criterion("pt-se-listed-entity").outcome is Outcome.UNKNOWN
        assert c.settlement is not None
        assert "pt-se-listed-entity" in c.settlement.unresolvable

    def test_foreign_cooperative_family_is_not_listed(self) -> None:
        """Art. 4: 'desde que abrangidas pelo ordenamento jurídico português'."""
        o = structure(
            {"id": "x", "name": "x", "country": "ES", "family": "cooperative"}, Organisation
        )
        c = classify(o, PROFILE, on=ON)
        assert c.criterion("pt-se-listed-entity").outcome is Outcome.NOT_MET


class TestOtherEntities:
    """Art. 4 h), art. 5 and art. 6: principles plus the database."""

    def test_company_distributing_freely_fails(self) -> None:
        """Art. 5 g): unrestricted distribution fails the art. 4 h) route."""
        o = structure(
            {
                "id": "x",
                "name": "x",
                "country": "PT",
                "family": "company",
                "statutes": {"profit_rule": "unrestricted"},
            },
            Organisation,
        )
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("pt-se-surplus-allocation").outcome is Outcome.NOT_MET

    def test_company_meeting_principles_is_unresolvable(self) -> None:
        """Art. 6: the database is not modelled."""
        o = structure(
            {
                "id": "x",
                "name": "x",
                "country": "PT",
                "legal_form": "it/srl",
                "purpose": {"social": True},
                "membership": {"voluntary": True},
                "statutes": {"profit_rule": "limited", "democratic_governance": True},
                "governance": {
                    "controlled_by_public_body": False,
                    "controlled_by_for_profit": False,
                },
            },
            Organisation,
        )
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("pt-se-database",)


class TestEntryIntoForce:
    """Lei 30/2013, published 8 May 2013: entry-into-force date not verified (low)."""

    def test_both_sides_of_the_assumed_date(self) -> None:
        """Final article: 9 May-7 June 2013 undetermined; from 8 June 2013 decided."""
        coop = org(legal_form="pt/cooperativa")
        before = classify(coop, PROFILE, on=date(2013, 6, 7))
        after = classify(coop, PROFILE, on=date(2013, 6, 8))
        assert before.version == "entry-unverified"
        assert before.verdict is Verdict.UNDETERMINED
        assert before.settlement is not None
        assert before.settlement.unresolvable == ("pt-se-in-force",)
        assert after.verdict is Verdict.QUALIFIES
