"""Golden tests: fr/ess (Loi n° 2014-856 Art. 1 and 2; arrêté of 3 August 2015)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

PROFILE = "fr/ess"
ON_PACTE = date(2024, 6, 30)
ON_ARRETE = date(2018, 6, 30)
ON_2014 = date(2015, 3, 1)

MENTION = {"kind": "fr/ess-mention", "granted_on": "2015-01-01", "indefinite": True}


def company(finances: dict[str, Any] | None = None, **overrides: Any) -> Organisation:
    data: dict[str, Any] = {
        "id": "fr-sas",
        "name": "SAS ESS",
        "country": "FR",
        "legal_form": "fr/sas",
        "purpose": {"social": True, "primary": ["support_fragile_persons"]},
        "statutes": {
            "democratic_governance": True,
            "reserves_indivisible": True,
            "residual_assets": "similar_entity",
            "required_clauses": True,
            "profit_rule": "limited",
        },
        "certifications": [MENTION],
        "finances": {
            "2023": finances
            or {
                "profit_after_tax": "1000 EUR",
                "reinvested": "300 EUR",
                "to_reserves": "200 EUR",
                "dividends": "500 EUR",
                "reserves": "1000 EUR",
                "share_capital": "10000 EUR",
            }
        },
    }
    data.update(overrides)
    return structure(data, Organisation)


def fy(reinvested: str, to_reserves: str, reserves: str = "1000 EUR") -> dict[str, Any]:
    return {
        "profit_after_tax": "1000 EUR",
        "reinvested": reinvested,
        "to_reserves": to_reserves,
        "reserves": reserves,
        "share_capital": "10000 EUR",
    }


class TestByStatus:
    """Art. 1 II 1°: cooperatives, mutuelles, foundations and associations qualify by status."""

    @pytest.mark.parametrize(
        "form", ["fr/scop", "fr/scic", "fr/mutuelle", "fr/fondation", "fr/association-1901"]
    )
    def test_listed_forms_qualify_without_further_test(self, form: str) -> None:
        """Art. 1 II 1°: the legal form alone decides, even with no other fact known."""
        o = structure({"id": "x", "name": "x", "country": "FR", "legal_form": form}, Organisation)
        c = classify(o, PROFILE, on=ON_PACTE)
        assert c.verdict is Verdict.QUALIFIES
        assert c.criterion("fr-ess-by-status").outcome is Outcome.MET

    def test_fonds_de_dotation_is_not_by_status(self) -> None:
        """Art. 1 II 1° does not list fonds de dotation: not a company either, so it fails."""
        o = structure(
            {"id": "x", "name": "x", "country": "FR", "legal_form": "fr/fonds-de-dotation"},
            Organisation,
        )
        c = classify(o, PROFILE, on=ON_PACTE)
        assert c.criterion("fr-ess-by-status").outcome is Outcome.NOT_MET
        assert c.criterion("fr-ess-commercial-company").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_foundation_family_without_form_asks_for_the_form(self) -> None:
        """Art. 1 II 1°: a foundation without its form may be a fonds de dotation."""
        o = structure(
            {"id": "x", "name": "x", "country": "FR", "family": "foundation"}, Organisation
        )
        c = classify(o, PROFILE, on=ON_PACTE)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.criterion("fr-ess-by-status").outcome is Outcome.UNKNOWN
        assert c.settlement is not None
        by_path = {m.path: m.criteria for m in c.settlement.missing_facts}
        assert "fr-ess-by-status" in by_path["legal_form"]

    def test_foreign_foundation_form_is_unresolvable(self) -> None:
        """Art. 1 II 1°: a foundation form that is not French cannot be told from a fonds de dotation."""
        o = structure(
            {"id": "x", "name": "x", "country": "FR", "legal_form": "it/fondazione"}, Organisation
        )
        c = classify(o, PROFILE, on=ON_PACTE)
        assert c.criterion("fr-ess-by-status").outcome is Outcome.UNKNOWN
        assert c.settlement is not None
        assert "fr-ess-by-status" in c.settlement.unresolvable

    def test_sole_proprietorship_is_outside(self) -> None:
        """Art. 1 II: neither a listed family nor a commercial company."""
        o = structure(
            {"id": "x", "name": "x", "country": "FR", "family": "sole_proprietorship"},
            Organisation,
        )
        assert classify(o, PROFILE, on=ON_PACTE).verdict is Verdict.DOES_NOT_QUALIFY


class TestCompanyQualifies:
    """Art. 1 II 2°: a commercial company whose statutes meet every condition."""

    def test_complete_company_qualifies(self) -> None:
        """Art. 1 II 2° a)-c) and III: all conditions met."""
        c = classify(company(), PROFILE, on=ON_PACTE)
        assert c.verdict is Verdict.QUALIFIES
        assert c.criterion("fr-ess-by-status").outcome is Outcome.NOT_MET

    def test_no_rcs_mention_fails(self) -> None:
        """Art. 1 III: without the ESS mention (certifications complete) it fails."""
        c = classify(
            company(certifications=[], certifications_complete=True), PROFILE, on=ON_PACTE
        )
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("fr-ess-co-rcs-mention").outcome is Outcome.NOT_MET

    def test_unknown_mention_names_the_certification(self) -> None:
        """Art. 1 III: an incomplete certification list leaves the mention unknown."""
        c = classify(company(certifications=[]), PROFILE, on=ON_PACTE)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["certifications (fr/ess-mention)"]

    def test_liquidation_surplus_to_members_fails(self) -> None:
        """Art. 1 I 3° b): the boni must go to another ESS enterprise."""
        o = company(
            statutes={
                "democratic_governance": True,
                "reserves_indivisible": True,
                "residual_assets": "members",
                "required_clauses": True,
            }
        )
        c = classify(o, PROFILE, on=ON_PACTE)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("fr-ess-liquidation-surplus").outcome is Outcome.NOT_MET


class TestRetainedShare:
    """Arrêté 3-8-2015 art. 2: at least 50 % of profit to compulsory reserves or carry-forward."""

    @pytest.mark.parametrize(
        ("reinvested", "verdict"),
        [
            ("300 EUR", Verdict.QUALIFIES),  # 300 + 200 = 50 %: at least 1/2
            ("299.99 EUR", Verdict.DOES_NOT_QUALIFY),  # just below
            ("300.01 EUR", Verdict.QUALIFIES),  # just above
        ],
    )
    def test_boundary(self, reinvested: str, verdict: Verdict) -> None:
        """Arrêté art. 2: at, just below and just above 50 %."""
        c = classify(company(fy(reinvested, "200 EUR")), PROFILE, on=ON_PACTE)
        assert c.verdict is verdict

    def test_missing_carry_forward_names_the_fact(self) -> None:
        """Arrêté art. 2: an unknown allocation is undetermined and says what to collect."""
        c = classify(
            company({"profit_after_tax": "1000 EUR", "to_reserves": "200 EUR"}),
            PROFILE,
            on=ON_PACTE,
        )
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        paths = [m.path for m in c.settlement.missing_facts]
        assert "finances[2023].reinvested" in paths
        assert "finances[2023].reserves" in paths


class TestDevelopmentFund:
    """Arrêté 3-8-2015 art. 1: >= 20 % to the fonds de développement while reserves < 20 % of capital."""

    @pytest.mark.parametrize(
        ("to_reserves", "verdict"),
        [
            ("200 EUR", Verdict.QUALIFIES),  # exactly 1/5
            ("199.99 EUR", Verdict.DOES_NOT_QUALIFY),  # just below
            ("200.01 EUR", Verdict.QUALIFIES),  # just above
        ],
    )
    def test_boundary_while_reserves_are_low(self, to_reserves: str, verdict: Verdict) -> None:
        """Arrêté art. 1: reserves at 10 % of capital, so the 1/5 allocation applies."""
        c = classify(company(fy("400 EUR", to_reserves)), PROFILE, on=ON_PACTE)
        assert c.verdict is verdict

    def test_not_applicable_once_reserves_reach_one_fifth(self) -> None:
        """Arrêté art. 1: with reserves at exactly 20 % of capital the allocation is no longer due."""
        c = classify(company(fy("450 EUR", "50 EUR", reserves="2000 EUR")), PROFILE, on=ON_PACTE)
        assert c.criterion("fr-ess-co-development-fund").outcome is Outcome.NOT_APPLICABLE
        assert c.verdict is Verdict.QUALIFIES

    def test_applies_just_below_one_fifth(self) -> None:
        """Arrêté art. 1: reserves just below 20 % of capital: the 1/5 allocation is due."""
        c = classify(
            company(fy("450 EUR", "50 EUR", reserves="1999.99 EUR")), PROFILE, on=ON_PACTE
        )
        assert c.criterion("fr-ess-co-development-fund").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


class TestDatedChanges:
    """Versions: 2014-08-02 (law), 2015-08-12 (arrêté), 2019-05-24 (Loi PACTE, Art. 2)."""

    def test_company_undetermined_before_the_arrete(self) -> None:
        """Art. 1 II 2° c): before 12 August 2015 the fractions were not set."""
        before = classify(company(), PROFILE, on=date(2015, 8, 11), fiscal_year=2023)
        after = classify(company(), PROFILE, on=date(2015, 8, 12), fiscal_year=2023)
        assert before.version == "2014"
        assert before.verdict is Verdict.UNDETERMINED
        assert before.settlement is not None
        assert before.settlement.unresolvable == ("fr-ess-co-allocation-pending",)
        assert after.version == "arrete-2015"
        assert after.verdict is Verdict.QUALIFIES

    def test_by_status_qualifies_from_2014(self) -> None:
        """Art. 1 II 1°: by-status families qualify in the first version already."""
        o = structure(
            {"id": "x", "name": "x", "country": "FR", "legal_form": "fr/scop"}, Organisation
        )
        assert classify(o, PROFILE, on=ON_2014).verdict is Verdict.QUALIFIES

    def test_art2_rewrite_on_both_sides(self) -> None:
        """Art. 2: the criterion in force switches on 24 May 2019 (Loi PACTE)."""
        o = company(purpose={"social": True, "primary": ["citizenship_education"]})
        before = classify(o, PROFILE, on=date(2019, 5, 23), fiscal_year=2023)
        after = classify(o, PROFILE, on=date(2019, 5, 24), fiscal_year=2023)
        assert before.criterion("fr-ess-social-utility-2014").outcome is Outcome.MET
        assert after.criterion("fr-ess-social-utility-2019").outcome is Outcome.MET
        assert after.version == "pacte-2019"

    def test_sustainable_development_alone_is_unresolvable(self) -> None:
        """Art. 2 4°: sustainable development counts only with an impact not recorded."""
        o = company(purpose={"social": True, "primary": ["sustainable_development"]})
        c = classify(o, PROFILE, on=ON_PACTE)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.criterion("fr-ess-social-utility-2019").outcome is Outcome.UNKNOWN

    def test_no_social_utility_fails(self) -> None:
        """Art. 1 II 2° b): a company with no Art. 2 objective fails."""
        o = company(purpose={"social": True, "primary": ["public_benefit"]})
        assert classify(o, PROFILE, on=ON_ARRETE, fiscal_year=2023).verdict is (
            Verdict.DOES_NOT_QUALIFY
        )
