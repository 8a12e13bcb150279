"""Golden tests: fr/esus (Code du travail L.3332-17-1 and R.3332-21-1; extends fr/ess)."""

import itertools
from datetime import date
from decimal import Decimal
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
        """R.3332-21-1 2°: the capital-return alternative needs the TMO, of which no value was read."""
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
            ("151351.21 EUR", Outcome.UNKNOWN),  # just above: the branch minimum is not given
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
        """L.3332-17-1 I 3°: no SMIC value is held for 2027, so the pay caps are unknown."""
        c = classify(org(), PROFILE, on=date(2027, 6, 30), fiscal_year=2024)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.criterion("fr-esus-top-pay").outcome is Outcome.UNKNOWN
        assert "no value" in (c.criterion("fr-esus-top-pay").threshold or "")

    def test_missing_pay_names_the_fact(self) -> None:
        """L.3332-17-1 I 3° a): an unknown top-5 average that the best pay (above 7 x
        SMIC) leaves open is asked for."""
        c = classify(org(workforce={"highest_pay": "200000 EUR"}), PROFILE, on=ON_2025)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        by_path = {m.path: m.criteria for m in c.settlement.missing_facts}
        assert by_path["workforce.top5_average_pay"] == ("fr-esus-top5-pay",)
        assert c.settlement.to_qualify == ("fr-esus-top5-pay",)

    def test_best_pay_below_the_cap_bounds_the_top_five(self) -> None:
        """L.3332-17-1 I 3° a): the top-5 average is at most the best pay, so a best pay
        of 60,000 EUR (below 7 x SMIC) meets the cap though the average is unknown."""
        c = classify(org(workforce={"highest_pay": "60000 EUR"}), PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-top5-pay").outcome is Outcome.MET
        assert c.verdict is Verdict.QUALIFIES


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


#: the SMIC periods since 2015: (first day, last day, hourly SMIC), each from its decree or arrêté
SMIC_PERIODS = [
    (date(2015, 7, 1), date(2015, 12, 31), "9.61"),  # ESUS in force from 1 Jul 2015
    (date(2016, 1, 1), date(2016, 12, 31), "9.67"),  # Décret 2015-1688
    (date(2017, 1, 1), date(2017, 12, 31), "9.76"),  # Décret 2016-1818
    (date(2018, 1, 1), date(2018, 12, 31), "9.88"),  # Décret 2017-1719
    (date(2019, 1, 1), date(2019, 12, 31), "10.03"),  # Décret 2018-1173
    (date(2020, 1, 1), date(2020, 12, 31), "10.15"),  # Décret 2019-1387
    (date(2021, 1, 1), date(2021, 9, 30), "10.25"),  # Décret 2020-1598
    (date(2021, 10, 1), date(2021, 12, 31), "10.48"),  # arrêté du 27 septembre 2021
    (date(2022, 1, 1), date(2022, 4, 30), "10.57"),  # Décret 2021-1741
    (date(2022, 5, 1), date(2022, 7, 31), "10.85"),  # arrêté du 19 avril 2022
    (date(2022, 8, 1), date(2022, 12, 31), "11.07"),
]


def cap(hourly: str, times: int) -> Decimal:
    """*times* the annual full-time SMIC: hourly x 1 820 h."""
    return Decimal(hourly) * 1820 * times


class TestSmicPeriods:
    """L.3332-17-1 I 3° b): 10 x the annual SMIC, on both sides of every change since 2015."""

    @pytest.mark.parametrize(("first", "last", "hourly"), SMIC_PERIODS)
    def test_top_pay_at_and_around_the_cap(self, first: date, last: date, hourly: str) -> None:
        """L.3332-17-1 I 3° b): exactly 10 x meets, one cent more is unknown (no branch minimum)."""
        at = cap(hourly, 10)
        for on in (first, last):
            for top, outcome in ((at, Outcome.MET), (at + Decimal("0.01"), Outcome.UNKNOWN)):
                o = org(workforce=pay(f"{top} EUR", "100000 EUR"))
                c = classify(o, PROFILE, on=on)
                assert c.criterion("fr-esus-top-pay").outcome is outcome, (on, top)

    @pytest.mark.parametrize(("before", "after"), list(itertools.pairwise(SMIC_PERIODS)))
    def test_each_change_on_both_sides(
        self, before: tuple[date, date, str], after: tuple[date, date, str]
    ) -> None:
        """L.3332-17-1 I 3° b): pay at the new cap is unknown the day before, met the first day."""
        o = org(workforce=pay(f"{cap(after[2], 10)} EUR", "100000 EUR"))
        last_day = classify(o, PROFILE, on=before[1])
        first_day = classify(o, PROFILE, on=after[0])
        assert last_day.criterion("fr-esus-top-pay").outcome is Outcome.UNKNOWN
        assert first_day.criterion("fr-esus-top-pay").outcome is Outcome.MET


class TestBranchMinimum:
    """L.3332-17-1 I 3°: the SMIC 'or the branch minimum wage if higher'."""

    BRANCH = "25000 EUR"  # annual full-time pay at the branch minimum, above the 2025 SMIC

    @pytest.mark.parametrize(
        ("top5", "outcome"),
        [
            ("175000 EUR", Outcome.MET),  # exactly 7 x the branch minimum
            ("175000.01 EUR", Outcome.NOT_MET),  # above 7 x both references
            ("151351.20 EUR", Outcome.MET),  # within 7 x the SMIC
        ],
    )
    def test_top5_against_the_higher_reference(self, top5: str, outcome: Outcome) -> None:
        """L.3332-17-1 I 3° a): 7 x the higher of the SMIC and the branch minimum."""
        workforce = {**pay("200000 EUR", top5), "branch_minimum_pay": self.BRANCH}
        c = classify(org(workforce=workforce), PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-top5-pay").outcome is outcome

    @pytest.mark.parametrize(
        ("top", "outcome"),
        [
            ("250000 EUR", Outcome.MET),  # exactly 10 x the branch minimum
            ("250000.01 EUR", Outcome.NOT_MET),
        ],
    )
    def test_top_pay_against_the_higher_reference(self, top: str, outcome: Outcome) -> None:
        """L.3332-17-1 I 3° b): 10 x the higher of the SMIC and the branch minimum."""
        workforce = {**pay(top, "100000 EUR"), "branch_minimum_pay": self.BRANCH}
        c = classify(org(workforce=workforce), PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-top-pay").outcome is outcome

    def test_lower_branch_minimum_leaves_the_smic_cap(self) -> None:
        """L.3332-17-1 I 3° b): a branch minimum below the SMIC does not lower the cap."""
        workforce = {**pay("216216.00 EUR", "100000 EUR"), "branch_minimum_pay": "15000 EUR"}
        c = classify(org(workforce=workforce), PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-top-pay").outcome is Outcome.MET
        above = {**workforce, "highest_pay": "216216.01 EUR"}
        c = classify(org(workforce=above), PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-top-pay").outcome is Outcome.NOT_MET


class TestFragility:
    """L.3332-17-1 I 1° a) as amended by Loi 2019-486: economic or social fragility only."""

    @pytest.mark.parametrize(
        ("fragility", "outcome"),
        [
            (["economic_social"], Outcome.MET),
            (["economic_social", "personal"], Outcome.MET),
            (["personal"], Outcome.NOT_MET),
        ],
    )
    def test_kind_of_fragility_after_pacte(self, fragility: list[str], outcome: Outcome) -> None:
        """L.3332-17-1 I 1° a): support for people fragile only personally is not route (a)."""
        o = org(
            purpose={"social": True, "primary": ["support_fragile_persons"]},
            beneficiaries={"fragility": fragility},
        )
        c = classify(o, PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-primary-social-utility-2019").outcome is outcome

    def test_personal_fragility_on_both_sides_of_pacte(self) -> None:
        """Loi 2014-856 Art. 2 1° covers personal fragility; from 2019-05-24 route (a) does not."""
        o = org(
            purpose={"social": True, "primary": ["support_fragile_persons"]},
            beneficiaries={"fragility": ["personal"]},
        )
        before = classify(o, PROFILE, on=date(2019, 5, 23), fiscal_year=2024)
        after = classify(o, PROFILE, on=date(2019, 5, 24), fiscal_year=2024)
        assert before.criterion("fr-esus-primary-social-utility-2015").outcome is Outcome.MET
        assert after.criterion("fr-esus-primary-social-utility-2019").outcome is Outcome.NOT_MET

    def test_personal_fragility_with_sustainable_development_is_unresolved(self) -> None:
        """L.3332-17-1 I 1° b): Art. 2 4° still needs an impact that is not recorded."""
        o = org(
            purpose={
                "social": True,
                "primary": ["support_fragile_persons", "sustainable_development"],
            },
            beneficiaries={"fragility": ["personal"]},
        )
        c = classify(o, PROFILE, on=ON_2025)
        assert c.criterion("fr-esus-primary-social-utility-2019").outcome is Outcome.UNKNOWN

    def test_unknown_fragility_is_asked_for(self) -> None:
        """L.3332-17-1 I 1° a): the kind of fragility is a fact to collect."""
        o = org(purpose={"social": True, "primary": ["support_fragile_persons"]})
        c = classify(o, PROFILE, on=ON_2025)
        assert c.settlement is not None
        paths = {m.path for m in c.settlement.missing_facts}
        assert "beneficiaries.fragility" in paths
