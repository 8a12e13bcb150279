"""Golden tests: pt/social-economy (Lei n.º 30/2013, arts. 4-6)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

PROFILE = "pt/social-economy"
ON = date(2024, 6, 30)


def org(**fields: Any) -> Organisation:
    return structure({"id": "x", "name": "x", "country": "PT", **fields}, Organisation)


IPSS = {"kind": "pt/ipss", "granted_on": "2020-01-01", "indefinite": True}
DATABASE = {"kind": "pt/social-economy-database", "granted_on": "2020-01-01", "indefinite": True}


class TestListedEntities:
    """Art. 4 a)-g): entities of the social economy."""

    @pytest.mark.parametrize(
        "form", ["pt/cooperativa", "pt/associacao-mutualista", "pt/misericordia", "pt/fundacao"]
    )
    def test_listed_forms_qualify(self, form: str) -> None:
        """Art. 4 a)-d): the form alone decides."""
        c = classify(org(legal_form=form), PROFILE, on=ON)
        assert c.verdict is Verdict.QUALIFIES

    def test_association_asks_for_the_ipss_status(self) -> None:
        """Art. 4 e): an association without a known IPSS status is unknown, and the status is asked for."""
        c = classify(org(legal_form="pt/associacao"), PROFILE, on=ON)
        assert c.criterion("pt-se-listed-entity").outcome is Outcome.UNKNOWN
        assert c.settlement is not None
        assert "pt-se-listed-entity" not in c.settlement.unresolvable
        paths = {m.path for m in c.settlement.missing_facts}
        assert "certifications (pt/ipss)" in paths

    def test_registered_ipss_association_is_listed(self) -> None:
        """Art. 4 e); Estatuto das IPSS (DL 119/83): a registered IPSS is listed."""
        c = classify(org(legal_form="pt/associacao", certifications=[IPSS]), PROFILE, on=ON)
        assert c.criterion("pt-se-listed-entity").outcome is Outcome.MET
        assert c.verdict is Verdict.QUALIFIES

    @pytest.mark.parametrize(
        ("on", "outcome"),
        [
            (date(2019, 12, 31), Outcome.UNKNOWN),  # the day before the registration
            (date(2020, 1, 1), Outcome.MET),  # the registration day
            (date(2025, 1, 1), Outcome.UNKNOWN),  # after the revocation (art. 4 f) may remain)
        ],
    )
    def test_ipss_registration_on_both_sides(self, on: date, outcome: Outcome) -> None:
        """Art. 4 e): the IPSS status counts while it is valid, from its registration day."""
        ipss = {**IPSS, "revoked_on": "2024-12-31"}
        o = org(legal_form="pt/associacao", certifications=[ipss], certifications_complete=True)
        assert classify(o, PROFILE, on=on).criterion("pt-se-listed-entity").outcome is outcome

    def test_association_without_ipss_stays_unresolvable(self) -> None:
        """Art. 4 f): with no IPSS status known, the altruistic-aims route is not recorded."""
        o = org(legal_form="pt/associacao", certifications=[], certifications_complete=True)
        c = classify(o, PROFILE, on=ON)
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

    @staticmethod
    def principled(**fields: Any) -> Organisation:
        return org(
            legal_form="pt/lda",
            purpose={"social": True},
            membership={"voluntary": True},
            statutes={"profit_rule": "limited", "democratic_governance": True},
            governance={"controlled_by_public_body": False, "controlled_by_for_profit": False},
            **fields,
        )

    def test_company_meeting_principles_asks_for_the_database(self) -> None:
        """Art. 4 h), art. 6: without the database status known, the status is asked for."""
        c = classify(self.principled(), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ()
        assert c.settlement.to_qualify == ("pt-se-database",)
        paths = {m.path for m in c.settlement.missing_facts}
        assert "certifications (pt/social-economy-database)" in paths

    @pytest.mark.parametrize(
        ("certifications", "verdict"),
        [
            ([DATABASE], Verdict.QUALIFIES),  # art. 4 h): in the database
            ([], Verdict.DOES_NOT_QUALIFY),  # a complete list without it
        ],
    )
    def test_database_decides_the_other_route(
        self, certifications: list[dict[str, Any]], verdict: Verdict
    ) -> None:
        """Art. 4 h) and art. 6: inclusion in the base de dados decides an Lda meeting art. 5."""
        o = self.principled(certifications=certifications, certifications_complete=True)
        assert classify(o, PROFILE, on=ON).verdict is verdict


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
