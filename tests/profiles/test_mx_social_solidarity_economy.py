"""Golden tests: mx/social-solidarity-economy (LESS, DOF 23 May 2012, arts. 4 and 9-11)."""

from datetime import date
from typing import Any

import pytest

from sse_model import (
    Assumptions,
    NoVersionInForce,
    Organisation,
    Outcome,
    Verdict,
    classify,
    structure,
)

#: the unverified rules applied as written (by default they give unknown)
AS_WRITTEN = Assumptions(unverified_as_written=True)

PROFILE = "mx/social-solidarity-economy"
ON = date(2024, 6, 30)

WORKER_COOP: dict[str, Any] = {
    "id": "mx-coop",
    "name": "Cooperativa de trabajadores",
    "country": "MX",
    "legal_form": "mx/sociedad-cooperativa",
    "governance": {"voting_rule": "one_member_one_vote"},
    "statutes": {"profit_rule": "by_patronage", "democratic_governance": True},
}


def org(**changes: Any) -> Organisation:
    return structure({**WORKER_COOP, **changes}, Organisation)


class TestSocialSectorForms:
    """Art. 4: the forms of the social sector of the economy (medium)."""

    @pytest.mark.parametrize("form", ["mx/sociedad-cooperativa", "mx/ejido"])
    def test_listed_forms_qualify(self, form: str) -> None:
        """Art. 4: cooperative societies and ejidos belong to the social sector."""
        c = classify(org(legal_form=form), PROFILE, on=ON, assumptions=AS_WRITTEN)
        assert c.verdict is Verdict.QUALIFIES
        assert c.criterion("mx-sse-social-sector-form").outcome is Outcome.MET

    def test_sa_de_cv_is_unresolvable(self) -> None:
        """Art. 4: a company belongs only if majority- or wholly-owned by workers (not recorded)."""
        c = classify(org(legal_form="mx/sa-de-cv"), PROFILE, on=ON, assumptions=AS_WRITTEN)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("mx-sse-social-sector-form",)

    def test_public_body_fails(self) -> None:
        """Art. 4: a public body is not a social form of organisation."""
        o = structure(
            {
                **{k: v for k, v in WORKER_COOP.items() if k != "legal_form"},
                "family": "public_body",
            },
            Organisation,
        )
        assert classify(o, PROFILE, on=ON).verdict is Verdict.DOES_NOT_QUALIFY


class TestUnverifiedPrinciples:
    """Arts. 9-11 (low-medium): principles encoded from the research summary, flagged unverified."""

    def test_principles_are_flagged_unverified(self) -> None:
        """Arts. 9-11: the democratic-regime criterion carries the UNVERIFIED status."""
        c = classify(org(), PROFILE, on=ON)
        assert c.criterion("mx-sse-democratic").status.value == "unverified"
        assert c.criterion("mx-sse-primacy-surplus").status.value == "unverified"

    def test_capital_weighted_cooperative_fails(self) -> None:
        """Arts. 9-11: a democratic participatory regime (unverified rule)."""
        o = org(
            governance={"voting_rule": "capital_weighted"},
            statutes={"profit_rule": "by_patronage", "democratic_governance": False},
        )
        c = classify(o, PROFILE, on=ON, assumptions=AS_WRITTEN)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("mx-sse-democratic").outcome is Outcome.NOT_MET

    def test_surplus_on_capital_fails(self) -> None:
        """Arts. 9-11: surpluses to members in proportion to use or work (unverified rule)."""
        c = classify(
            org(statutes={"profit_rule": "unrestricted"}), PROFILE, on=ON, assumptions=AS_WRITTEN
        )
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("mx-sse-primacy-surplus").outcome is Outcome.NOT_MET


class TestDates:
    """LESS published in the DOF on 23 May 2012."""

    def test_both_sides_of_publication(self) -> None:
        """No version before 2012-05-23."""
        with pytest.raises(NoVersionInForce):
            classify(org(), PROFILE, on=date(2012, 5, 22), assumptions=AS_WRITTEN)
        assert (
            classify(org(), PROFILE, on=date(2012, 5, 23), assumptions=AS_WRITTEN).verdict
            is Verdict.QUALIFIES
        )
