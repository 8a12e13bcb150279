"""Golden tests: fr/esus (Code du travail L.3332-17-1 and R.3332-21-1; extends fr/ess)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

PROFILE = "fr/esus"
ON_2025 = date(2025, 6, 30)  # annual SMIC 21 621.60 EUR (11.88 EUR/h)
ON_2015_TEXT = date(2018, 6, 30)


def org(**overrides: Any) -> Organisation:
    data: dict[str, Any] = {
        "id": "fr-asso",
        "name": "Association",
        "country": "FR",
        "legal_form": "fr/association-1901",
        "purpose": {"social": True, "primary": ["social_ties_cohesion"]},
        "statutes": {"required_clauses": True},
        "governance": {"listed_on_market": False},
        "workforce": {"highest_pay": "60000 EUR", "top5_average_pay": "50000 EUR"},
        "finances": {
            "2024": {"operating_expenses": "1000 EUR", "social_purpose_expenses": "660 EUR"}
        },
    }
    data.update(overrides)
    return structure(data, Organisation)


def pay(highest: str, top5: str) -> dict[str, str]:
    return {"highest_pay": highest, "top5_average_pay": top5}


class TestBaseProfile:
    """L.3332-17-1 I: the enterprise must first be an ESS enterprise (fr/ess)."""

    def test_association_meeting_every_condition_qualifies(self) -> None:
        """L.3332-17-1 I 1°-5° with the fr/ess by-status route."""
        c = classify(org(), PROFILE, on=ON_2025)
        assert c.verdict is Verdict.QUALIFIES
        assert c.criterion("fr-ess-by-status").outcome is Outcome.MET

    def test_non_ess_company_fails(self) -> None:
        """L.3332-17-1 I: an SAS that is not ESS (profit to members on dissolution) fails."""
        o = org(
            legal_form="fr/sas", statutes={"required_clauses": True, "residual_assets": "members"}
        )
        c = classify(o, PROFILE, on=ON_2025)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("fr-ess-liquidation-surplus").outcome is Outcome.NOT_MET


class TestChargeInduite:
    """R.3332-21-1: social-utility expenses >= 66 % of operating expenses, or TMO + 5 (not modelled)."""

    @pytest.mark.parametrize(
        ("spent", "outcome"),
        [
            ("660 EUR", Outcome.MET),  # exactly 66 %
            ("659.99 EUR", Outcome.UNKNOWN),  # just below: the TMO test might still be met
            ("660.01 EUR", Outcome.MET),  # just above
        ],
    )
    def test_boundary(self, spent: str, outcome: Outcome) -> None:
        """R.3332-21-1 1°: at, just below and just above 66 %."""
        o = org(
            finances={"2024": {"operating_expenses": "1000 EUR", "social_purpose_expenses": spent}}
        )
        c = classify(o, PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-charge-induite").outcome is outcome

    def test_below_66_percent_is_unresolvable(self) -> None:
        """R.3332-21-1 2°: the TMO + 5 points alternative is not modelled."""
        o = org(
            finances={
                "2024": {"operating_expenses": "1000 EUR", "social_purpose_expenses": "100 EUR"}
            }
        )
        c = classify(o, PROFILE, on=ON_2025)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("fr-esus-charge-induite",)

    def test_missing_expenses_name_the_facts(self) -> None:
        """R.3332-21-1: unknown expenses are undetermined and say what to collect."""
        c = classify(
            org(finances={"2024": {"operating_expenses": "1000 EUR"}}), PROFILE, on=ON_2025
        )
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        by_path = {m.path: m.criteria for m in c.settlement.missing_facts}
        assert by_path["finances[2024].social_purpose_expenses"] == ("fr-esus-charge-induite",)
        assert c.settlement.to_qualify == ("fr-esus-charge-induite",)


class TestPayCaps:
    """L.3332-17-1 I 3°: top-5 average <= 7 x, top pay <= 10 x the annual full-time SMIC."""

    @pytest.mark.parametrize(
        ("top5", "outcome"),
        [
            ("151351.20 EUR", Outcome.MET),  # exactly 7 x 21 621.60
            ("151351.19 EUR", Outcome.MET),  # just below
            ("151351.21 EUR", Outcome.UNKNOWN),  # just above: the branch minimum might be higher
        ],
    )
    def test_top5_boundary(self, top5: str, outcome: Outcome) -> None:
        """L.3332-17-1 I 3° a): 7 x SMIC in 2025."""
        c = classify(org(workforce=pay("200000 EUR", top5)), PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-top5-pay").outcome is outcome

    @pytest.mark.parametrize(
        ("top", "outcome"),
        [
            ("216216.00 EUR", Outcome.MET),  # exactly 10 x 21 621.60
            ("216215.99 EUR", Outcome.MET),
            ("216216.01 EUR", Outcome.UNKNOWN),
        ],
    )
    def test_top_pay_boundary(self, top: str, outcome: Outcome) -> None:
        """L.3332-17-1 I 3° b): 10 x SMIC in 2025."""
        c = classify(org(workforce=pay(top, "100000 EUR")), PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-top-pay").outcome is outcome

    def test_smic_change_on_both_sides(self) -> None:
        """L.3332-17-1 I 3° b): 11.65 EUR/h until 31 Oct 2024, 11.88 EUR/h from 1 Nov 2024."""
        o = org(workforce=pay("216216.00 EUR", "100000 EUR"))
        before = classify(o, PROFILE, on=date(2024, 10, 31), fiscal_year=2024)
        after = classify(o, PROFILE, on=date(2024, 11, 1), fiscal_year=2024)
        assert before.criterion("fr-esus-top-pay").outcome is Outcome.UNKNOWN  # > 212 030
        assert after.criterion("fr-esus-top-pay").outcome is Outcome.MET

    def test_date_without_confirmed_smic_is_undetermined(self) -> None:
        """L.3332-17-1 I 3°: no confirmed SMIC value for 2018, so the pay caps are unknown."""
        c = classify(org(), PROFILE, on=ON_2015_TEXT, fiscal_year=2024)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.criterion("fr-esus-top-pay").outcome is Outcome.UNKNOWN
        assert "no value" in (c.criterion("fr-esus-top-pay").threshold or "")

    def test_missing_pay_names_the_fact(self) -> None:
        """L.3332-17-1 I 3° a): an unknown top-5 average is asked for."""
        c = classify(org(workforce={"highest_pay": "60000 EUR"}), PROFILE, on=ON_2025)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        by_path = {m.path: m.criteria for m in c.settlement.missing_facts}
        assert by_path["workforce.top5_average_pay"] == ("fr-esus-top5-pay",)
        assert c.settlement.to_qualify == ("fr-esus-top5-pay",)


class TestListingAndStatutes:
    """L.3332-17-1 I 4° and 5°."""

    def test_listed_securities_fail(self) -> None:
        """L.3332-17-1 I 4°: securities admitted to trading exclude the agrément."""
        c = classify(org(governance={"listed_on_market": True}), PROFILE, on=ON_2025)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("fr-esus-not-listed").outcome is Outcome.NOT_MET

    def test_statutes_without_clause_fail(self) -> None:
        """L.3332-17-1 I 5°: the social-utility objective must be in the statutes."""
        c = classify(org(statutes={"required_clauses": False}), PROFILE, on=ON_2025)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


class TestPacteChange:
    """Loi PACTE (in force 2019-05-24) rewrote L.3332-17-1 I 1° and 5°."""

    def test_fragile_persons_on_both_sides(self) -> None:
        """L.3332-17-1 I 1°: before PACTE any Art. 2 objective; after, (a) needs economic or social fragility."""
        o = org(purpose={"social": True, "primary": ["support_fragile_persons"]})
        before = classify(o, PROFILE, on=date(2019, 5, 23), fiscal_year=2024)
        after = classify(o, PROFILE, on=date(2019, 5, 24), fiscal_year=2024)
        assert before.version == "2015"
        assert before.criterion("fr-esus-primary-social-utility-2015").outcome is Outcome.MET
        assert after.version == "pacte-2019"
        assert after.criterion("fr-esus-primary-social-utility-2019").outcome is Outcome.UNKNOWN

    def test_no_art2_objective_fails(self) -> None:
        """L.3332-17-1 I 1°: a primary purpose outside Art. 2 fails."""
        o = org(purpose={"social": True, "primary": ["public_benefit"]})
        c = classify(o, PROFILE, on=ON_2025)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("fr-esus-primary-social-utility-2019").outcome is Outcome.NOT_MET
