"""Golden tests: fr/ess, fr/esus, it/social-enterprise, gb/cic."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

ON = date(2025, 6, 30)

SAS: dict[str, Any] = {
    "id": "fr-sas",
    "name": "SAS solidaire",
    "country": "FR",
    "legal_form": "fr/sas",
    "purpose": {"primary": ["support_fragile_persons"]},
    "statutes": {
        "profit_rule": "limited",
        "democratic_governance": True,
        "reserves_indivisible": True,
        "residual_assets": "similar_entity",
        "required_clauses": True,
    },
    "governance": {"listed_on_market": False},
    "finances": {
        "2024": {
            "profit_after_tax": "1000 EUR",
            "reinvested": "300 EUR",
            "to_reserves": "200 EUR",
            "reserves": "10 EUR",
            "share_capital": "100 EUR",
            "operating_expenses": "100 EUR",
            "social_purpose_expenses": "66 EUR",
        }
    },
    "workforce": {
        "highest_pay": "100000 EUR",
        "top5_average_pay": "80000 EUR",
        "lowest_pay": "21622.0752 EUR",
    },
}


def fr(**changes: Any) -> Organisation:
    return structure({**SAS, **changes}, Organisation)


def fin(**amounts: str) -> dict[str, Any]:
    base = dict(SAS["finances"]["2024"])
    base.update(amounts)
    return {"2024": base}


class TestFranceESS:
    """Loi 2014-856 Art. 1: families by status; companies by statutes and allocations."""

    @pytest.mark.parametrize(
        "form", ["fr/scop", "fr/scic", "fr/association-1901", "fr/fondation", "fr/mutuelle"]
    )
    def test_by_status(self, form: str) -> None:
        """Art. 1 II 1°: cooperatives, mutuelles, foundations, associations qualify by status."""
        o = structure({"id": "x", "name": "X", "country": "FR", "legal_form": form}, Organisation)
        assert classify(o, "fr/ess", on=ON).verdict is Verdict.QUALIFIES

    def test_company_meeting_the_conditions(self) -> None:
        """Art. 1 II 2°: a company whose statutes and allocations meet the conditions qualifies."""
        assert classify(fr(), "fr/ess", on=ON).verdict is Verdict.QUALIFIES

    @pytest.mark.parametrize(
        ("reinvested", "outcome"),
        [("299", Outcome.NOT_MET), ("300", Outcome.MET), ("301", Outcome.MET)],
    )
    def test_half_of_profit_retained(self, reinvested: str, outcome: Outcome) -> None:
        """Arrêté 3-8-2015 art. 2: at least 50 % of profit retained (at 49.9 %, 50 % and 50.1 %)."""
        c = classify(fr(finances=fin(reinvested=f"{reinvested} EUR")), "fr/ess", on=ON)
        assert c.criterion("fr-ess-retained-half").outcome is outcome

    @pytest.mark.parametrize(
        ("reserve", "outcome"),
        [("199", Outcome.NOT_MET), ("200", Outcome.MET), ("201", Outcome.MET)],
    )
    def test_development_fund(self, reserve: str, outcome: Outcome) -> None:
        """Arrêté 3-8-2015 art. 1: at least 20 % to the development fund while reserves < 20 % of capital."""
        c = classify(
            fr(finances=fin(to_reserves=f"{reserve} EUR", reinvested="400 EUR")), "fr/ess", on=ON
        )
        assert c.criterion("fr-ess-development-fund").outcome is outcome

    def test_development_fund_stops_at_a_fifth_of_capital(self) -> None:
        """Arrêté 3-8-2015 art. 1: with reserves at 20 % of capital the rule no longer applies."""
        c = classify(
            fr(finances=fin(reserves="20 EUR", to_reserves="0 EUR", reinvested="600 EUR")),
            "fr/ess",
            on=ON,
        )
        assert c.criterion("fr-ess-development-fund").outcome is Outcome.NOT_APPLICABLE

    def test_before_the_arrete(self) -> None:
        """Before 2015-08-12 the percentages were not fixed: a company is undetermined."""
        c = classify(fr(), "fr/ess", on=date(2015, 8, 11), fiscal_year=2024)
        assert c.version == "2014"
        assert c.verdict is Verdict.UNDETERMINED
        assert (
            classify(fr(), "fr/ess", on=date(2015, 8, 12), fiscal_year=2024).verdict
            is Verdict.QUALIFIES
        )

    def test_sustainable_development_alone_is_not_social_utility(self) -> None:
        """Art. 2 (2019): sustainable development counts only with an impact through 1° to 3°."""
        c = classify(fr(purpose={"primary": ["sustainable_development"]}), "fr/ess", on=ON)
        assert c.criterion("fr-ess-social-utility-2019").outcome is Outcome.NOT_MET

    def test_endowment_fund_is_not_listed(self) -> None:
        """Art. 1 II: a fonds de dotation is neither a listed family nor a commercial company."""
        o = structure(
            {"id": "x", "name": "X", "country": "FR", "legal_form": "fr/fonds-de-dotation"},
            Organisation,
        )
        assert classify(o, "fr/ess", on=ON).verdict is Verdict.DOES_NOT_QUALIFY


class TestFranceESUS:
    """Code du travail L.3332-17-1 on top of ESS membership."""

    def test_qualifies(self) -> None:
        """I 1°-5°: social utility, 66 % expenses, pay caps, not listed, statutes."""
        c = classify(fr(), "fr/esus", on=ON)
        assert c.verdict is Verdict.QUALIFIES
        assert c.criteria[0].profile == "fr/ess"

    @pytest.mark.parametrize(
        ("pay", "outcome"),
        [
            ("151354.52 EUR", Outcome.MET),
            ("151354.5264 EUR", Outcome.MET),
            ("151354.53 EUR", Outcome.UNKNOWN),
        ],
    )
    def test_top5_pay_cap(self, pay: str, outcome: Outcome) -> None:
        """I 3° a): at most 7 x 21,622.0752 EUR = 151,354.5264 EUR; above, the branch minimum may apply."""
        o = fr(
            workforce={
                "highest_pay": "200000 EUR",
                "top5_average_pay": pay,
                "lowest_pay": "30000 EUR",
            }
        )
        assert classify(o, "fr/esus", on=ON).criterion("fr-esus-top5-pay").outcome is outcome

    def test_no_smic_value_is_unknown(self) -> None:
        """Outside the dated SMIC values the pay caps cannot be decided."""
        c = classify(fr(), "fr/esus", on=date(2023, 6, 30), fiscal_year=2024)
        assert c.criterion("fr-esus-top1-pay").outcome is Outcome.UNKNOWN
        assert "no value" in (c.criterion("fr-esus-top1-pay").threshold or "")

    @pytest.mark.parametrize(("spent", "outcome"), [("65", Outcome.UNKNOWN), ("66", Outcome.MET)])
    def test_significant_charge(self, spent: str, outcome: Outcome) -> None:
        """R.3332-21-1: 66 % of expenses, or the unmodelled TMO test (so below 66 % is unknown)."""
        c = classify(fr(finances=fin(social_purpose_expenses=f"{spent} EUR")), "fr/esus", on=ON)
        assert c.criterion("fr-esus-significant-charge").outcome is outcome

    def test_listed_company_fails(self) -> None:
        """I 4°: listed equity securities exclude the agrément."""
        c = classify(fr(governance={"listed_on_market": True}), "fr/esus", on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


IT: dict[str, Any] = {
    "id": "it-is",
    "name": "Impresa sociale",
    "country": "IT",
    "legal_form": "it/srl",
    "governance": {"single_natural_person_owner": False},
    "membership": {"members_only_benefit": False},
    "statutes": {"profit_rule": "limited", "asset_lock": True},
    "workforce": {
        "paid_workers": 10,
        "vulnerable_workers": 0,
        "volunteers": 10,
        "highest_pay": "80000 EUR",
        "lowest_pay": "10000 EUR",
    },
    "finances": {
        "2024": {
            "revenue": "1000 EUR",
            "revenue_from_general_interest": "701 EUR",
            "profit_after_tax": "100 EUR",
            "dividends": "49 EUR",
        }
    },
}


def it(**changes: Any) -> Organisation:
    return structure({**IT, **changes}, Organisation)


class TestItaly:
    """D.Lgs. 112/2017."""

    def test_qualifies(self) -> None:
        """Arts. 1-3, 12, 13: qualifies with 70.1 %, 49 % and a 1:8 ratio."""
        assert classify(it(), "it/social-enterprise", on=ON).verdict is Verdict.QUALIFIES

    @pytest.mark.parametrize(("gi", "outcome"), [("700", Outcome.NOT_MET), ("701", Outcome.MET)])
    def test_seventy_percent_is_strict(self, gi: str, outcome: Outcome) -> None:
        """Art. 2 c. 3: 'superiori al 70 %': exactly 70 % fails (no disadvantaged workers)."""
        fin = {"2024": {**IT["finances"]["2024"], "revenue_from_general_interest": f"{gi} EUR"}}
        assert (
            classify(it(finances=fin), "it/social-enterprise", on=ON)
            .criterion("it-is-general-interest")
            .outcome
            is outcome
        )

    @pytest.mark.parametrize(("vulnerable", "outcome"), [(2, Outcome.NOT_MET), (3, Outcome.MET)])
    def test_disadvantaged_workers_route(self, vulnerable: int, outcome: Outcome) -> None:
        """Art. 2 c. 4-5: disadvantaged / other workers >= 30 % (3 of 13 is 3/10 of the others)."""
        fin = {"2024": {**IT["finances"]["2024"], "revenue_from_general_interest": "0 EUR"}}
        wf = {**IT["workforce"], "paid_workers": 10 + vulnerable, "vulnerable_workers": vulnerable}
        assert (
            classify(it(finances=fin, workforce=wf), "it/social-enterprise", on=ON)
            .criterion("it-is-general-interest")
            .outcome
            is outcome
        )

    @pytest.mark.parametrize(
        ("dividends", "outcome"), [("49", Outcome.MET), ("50", Outcome.NOT_MET)]
    )
    def test_distribution_strictly_below_half(self, dividends: str, outcome: Outcome) -> None:
        """Art. 3 c. 3: 'quota inferiore al 50 %': exactly 50 % fails."""
        fin = {"2024": {**IT["finances"]["2024"], "dividends": f"{dividends} EUR"}}
        assert (
            classify(it(finances=fin), "it/social-enterprise", on=ON)
            .criterion("it-is-distribution")
            .outcome
            is outcome
        )

    def test_pay_ratio_change_of_2023(self) -> None:
        """Art. 13 c. 1: a 1:10 ratio fails before 2023-07-04 and is undetermined after (1:12 needs a justification)."""
        wf = {**IT["workforce"], "highest_pay": "100000 EUR", "lowest_pay": "10000 EUR"}
        before = classify(
            it(workforce=wf), "it/social-enterprise", on=date(2023, 7, 3), fiscal_year=2024
        )
        after = classify(
            it(workforce=wf), "it/social-enterprise", on=date(2023, 7, 4), fiscal_year=2024
        )
        assert before.criterion("it-is-pay-ratio-2017").outcome is Outcome.NOT_MET
        assert after.criterion("it-is-pay-ratio-2023").outcome is Outcome.UNKNOWN
        wf13 = {**IT["workforce"], "highest_pay": "130000 EUR", "lowest_pay": "10000 EUR"}
        assert (
            classify(it(workforce=wf13), "it/social-enterprise", on=ON)
            .criterion("it-is-pay-ratio-2023")
            .outcome
            is Outcome.NOT_MET
        )

    def test_social_cooperative_by_right(self) -> None:
        """Art. 1 c. 4: a cooperativa sociale is an impresa sociale by right."""
        o = structure(
            {"id": "x", "name": "X", "country": "IT", "legal_form": "it/cooperativa-sociale"},
            Organisation,
        )
        assert classify(o, "it/social-enterprise", on=ON).verdict is Verdict.QUALIFIES

    def test_single_owner_excluded(self) -> None:
        """Art. 1 c. 2: a company with a single natural-person shareholder is excluded."""
        c = classify(
            it(governance={"single_natural_person_owner": True}), "it/social-enterprise", on=ON
        )
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


CIC: dict[str, Any] = {
    "id": "gb-cic",
    "name": "Community CIC",
    "country": "GB",
    "legal_form": "gb/cic-shares",
    "registration": {"charity": False},
    "statutes": {"asset_lock": True},
    "membership": {"members_only_benefit": False},
    "purpose": {"primary": ["community_contribution"]},
    "finances": {"2024": {"distributable_profit": "1000 GBP", "dividends": "350 GBP"}},
}


class TestCIC:
    """CIC Regulations 2005 and the 2014 amendment."""

    @pytest.mark.parametrize(
        ("dividends", "outcome"),
        [("349", Outcome.MET), ("350", Outcome.MET), ("351", Outcome.NOT_MET)],
    )
    def test_dividend_cap(self, dividends: str, outcome: Outcome) -> None:
        """Regs. 17, 19, 22: aggregate dividends at most 35 % of distributable profits."""
        o = structure(
            {
                **CIC,
                "finances": {
                    "2024": {"distributable_profit": "1000 GBP", "dividends": f"{dividends} GBP"}
                },
            },
            Organisation,
        )
        assert classify(o, "gb/cic", on=ON).criterion("gb-cic-dividend-cap").outcome is outcome

    def test_per_share_cap_before_2014(self) -> None:
        """SI 2014/2483: before 2014-10-01 a dividend-paying CIC is undetermined (per-share cap)."""
        o = structure(CIC, Organisation)
        assert (
            classify(o, "gb/cic", on=date(2014, 9, 30), fiscal_year=2024).verdict
            is Verdict.UNDETERMINED
        )
        assert (
            classify(o, "gb/cic", on=date(2014, 10, 1), fiscal_year=2024).verdict
            is Verdict.QUALIFIES
        )

    def test_charity_cannot_be_a_cic(self) -> None:
        """2004 Act s. 26(3): a charity is not a CIC."""
        o = structure({**CIC, "registration": {"charity": True}}, Organisation)
        assert classify(o, "gb/cic", on=ON).verdict is Verdict.DOES_NOT_QUALIFY

    def test_guarantee_cic_has_no_dividend_cap(self) -> None:
        """Regs. 17-22 concern companies with shares: not applicable to a CIC limited by guarantee."""
        o = structure({**CIC, "legal_form": "gb/cic-guarantee"}, Organisation)
        assert (
            classify(o, "gb/cic", on=ON).criterion("gb-cic-dividend-cap").outcome
            is Outcome.NOT_APPLICABLE
        )
