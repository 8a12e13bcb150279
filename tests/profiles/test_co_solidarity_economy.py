"""Golden tests: co/solidarity-economy (Ley 454 de 1998, arts. 2 and 6)."""

from datetime import date
from typing import Any

import pytest

from sse_model import NoVersionInForce, Organisation, Outcome, Verdict, classify, structure

PROFILE = "co/solidarity-economy"
ON = date(2024, 6, 30)


def org(**fields: Any) -> Organisation:
    return structure({"id": "co", "name": "Entidad", "country": "CO", **fields}, Organisation)


ASSOCIATION: dict[str, Any] = {
    "family": "association",
    "purpose": {"economic_activity": True, "mutual_benefit": True},
    "membership": {"voluntary": True},
    "governance": {"voting_rule": "one_member_one_vote"},
    "statutes": {"profit_rule": "prohibited", "required_clauses": True},
}


class TestListedEntities:
    """Art. 6 par. 2: cooperatives, employees' funds and mutual associations by status."""

    @pytest.mark.parametrize(
        "form", ["co/cooperativa", "co/fondo-de-empleados", "co/asociacion-mutual"]
    )
    def test_listed_forms_qualify(self, form: str) -> None:
        """Art. 6 par. 2: the named forms have the character of solidarity organisations."""
        c = classify(org(legal_form=form), PROFILE, on=ON)
        assert c.verdict is Verdict.QUALIFIES
        assert c.criterion("co-es-listed-entity").outcome is Outcome.MET


class TestCharacteristicsRoute:
    """Art. 6 num. 1-6: other forms must show the characteristics."""

    def test_sas_distributing_profits_fails(self) -> None:
        """Art. 6 num. 3: an S.A.S. distributing its profits has a profit motive."""
        o = org(
            legal_form="co/sas",
            purpose={"economic_activity": True},
            statutes={"profit_rule": "unrestricted"},
            governance={"voting_rule": "capital_weighted"},
        )
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("co-es-non-profit").outcome is Outcome.NOT_MET
        assert c.criterion("co-es-equal-rights").outcome is Outcome.NOT_MET
        assert c.criterion("co-es-associative-bond").outcome is Outcome.NOT_MET

    def test_association_meeting_all_is_open_only_on_integration(self) -> None:
        """Art. 6 num. 6: sector integration is not recorded, so the best is undetermined."""
        c = classify(org(**ASSOCIATION), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("co-es-integration",)
        assert c.settlement.missing_facts == ()

    def test_limited_return_is_unresolvable(self) -> None:
        """Art. 6 num. 3: a capped return on contributions is not settled as 'sin ánimo de lucro'."""
        o = org(
            **{**ASSOCIATION, "statutes": {"profit_rule": "limited", "required_clauses": True}}
        )
        c = classify(o, PROFILE, on=ON)
        assert c.criterion("co-es-non-profit").outcome is Outcome.UNKNOWN
        assert c.settlement is not None
        assert "co-es-non-profit" in c.settlement.unresolvable

    def test_missing_statutory_clauses_fail(self) -> None:
        """Art. 6 num. 5: the statutes must set minimum irreducible contributions."""
        o = org(
            **{**ASSOCIATION, "statutes": {"profit_rule": "prohibited", "required_clauses": False}}
        )
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("co-es-minimum-contributions").outcome is Outcome.NOT_MET

    def test_unknown_vote_rule_is_asked_for(self) -> None:
        """Art. 6 num. 4: equal rights regardless of contributions needs the voting rule."""
        o = org(**{**ASSOCIATION, "governance": {}})
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["governance.voting_rule"]


class TestDates:
    """Ley 454 de 1998, published in the Diario Oficial 43.357 on 6 August 1998."""

    def test_both_sides_of_publication(self) -> None:
        """No version before 1998-08-06."""
        with pytest.raises(NoVersionInForce):
            classify(org(legal_form="co/cooperativa"), PROFILE, on=date(1998, 8, 5))
        c = classify(org(legal_form="co/cooperativa"), PROFILE, on=date(1998, 8, 6))
        assert c.verdict is Verdict.QUALIFIES
