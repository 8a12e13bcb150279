"""Golden tests of the legal second pass (issue 15): each boundary, each side of each dated
change, each missing fact left unknown, citing the article it checks."""

from datetime import date
from typing import Any

import pytest

from sse_model import (
    Assumptions,
    Classification,
    Organisation,
    Outcome,
    Verdict,
    classify,
    structure,
)

AS_WRITTEN = Assumptions(unverified_as_written=True)


def build(data: dict[str, Any]) -> Organisation:
    return structure(data, Organisation)


# --- Thailand, Royal Decree No. 621 ---------------------------------------------------------

TH_ON = date(2020, 6, 30)


def th_se(**finances: str) -> Organisation:
    year = {"profit_after_tax": "1000 THB", **finances}
    return build(
        {
            "id": "th",
            "name": "Thai SE",
            "country": "TH",
            "legal_form": "th/limited-company",
            "purpose": {"primary": ["community_social_environment"]},
            "statutes": {"profit_rule": "limited"},
            "finances": {"2023": year},
        }
    )


def th(profile: str, o: Organisation, on: date = TH_ON) -> Classification:
    return classify(o, profile, on=on, fiscal_year=2023)


class TestRD621OwnExemption:
    """RD 621: the SE's own exemption forbids dividends and capital-reduction payouts."""

    def test_dividend_loses_the_exemption(self) -> None:
        """RD 621 own exemption: an SE reinvesting everything that paid a dividend is not exempt."""
        o = th_se(reinvested="900 THB", dividends="100 THB", capital_reduction_payouts="0 THB")
        c = th("th/revenue-code-se", o)
        assert c.criterion("th-rd621-reinvest").outcome is Outcome.MET
        assert c.criterion("th-rd621-own-exemption").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_one_baht_of_dividend_is_enough(self) -> None:
        """RD 621 own exemption: 'no dividends': a single baht of dividend fails."""
        o = th_se(reinvested="999 THB", dividends="1 THB", capital_reduction_payouts="0 THB")
        assert th("th/revenue-code-se", o).verdict is Verdict.DOES_NOT_QUALIFY

    def test_capital_reduction_loses_the_exemption(self) -> None:
        """RD 621 own exemption: a capital-reduction payout fails, even without a dividend."""
        o = th_se(reinvested="1000 THB", dividends="0 THB", capital_reduction_payouts="1 THB")
        c = th("th/revenue-code-se", o)
        assert c.criterion("th-rd621-own-exemption").outcome is Outcome.NOT_MET

    def test_all_profit_reinvested_without_payouts_is_exempt(self) -> None:
        """RD 621 own exemption: all profit to the purposes, no payouts: exempt."""
        o = th_se(reinvested="1000 THB", dividends="0 THB", capital_reduction_payouts="0 THB")
        assert th("th/revenue-code-se", o).verdict is Verdict.QUALIFIES

    def test_profit_kept_in_reserves_is_undetermined(self) -> None:
        """RD 621 own exemption: 99.9 % reinvested, the rest kept: whether that counts is open."""
        o = th_se(reinvested="999 THB", dividends="0 THB", capital_reduction_payouts="0 THB")
        c = th("th/revenue-code-se", o)
        assert c.criterion("th-rd621-own-exemption").outcome is Outcome.UNKNOWN
        assert c.verdict is Verdict.UNDETERMINED

    def test_unknown_capital_reduction_is_named(self) -> None:
        """RD 621 own exemption: an unknown capital-reduction payout is unknown, never zero."""
        o = th_se(reinvested="1000 THB", dividends="0 THB")
        c = th("th/revenue-code-se", o)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        paths = [m.path for m in c.settlement.missing_facts]
        assert "finances[2023].capital_reduction_payouts" in paths

    def test_dividend_fails_in_the_2021_transition(self) -> None:
        """RD 621 own exemption in 2021: a dividend-paying SE meets neither decree."""
        o = th_se(reinvested="900 THB", dividends="100 THB", capital_reduction_payouts="0 THB")
        c = th("th/revenue-code-se", o, on=date(2021, 6, 30))
        assert c.version == "rd-735-day-unverified"
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


class TestRD621InvestorDeduction:
    """RD 621: investors' and donors' deductions need the SE to pay at most 30 %."""

    @pytest.mark.parametrize(
        ("paid", "outcome"),
        [("299", Outcome.MET), ("300", Outcome.MET), ("301", Outcome.NOT_MET)],
    )
    def test_thirty_percent_boundary(self, paid: str, outcome: Outcome) -> None:
        """RD 621 deductions: 'at most 30 %' of net profit: 30 % exactly is allowed."""
        o = th_se(reinvested="650 THB", dividends=f"{paid} THB", capital_reduction_payouts="0 THB")
        c = th("th/revenue-code-se-investors", o)
        assert c.criterion("th-rd621i-distribution-30").outcome is outcome

    @pytest.mark.parametrize(
        ("reading", "outcome"),
        [
            (None, Outcome.UNKNOWN),  # the sources disagree: decided only where both agree
            ("with-capital-reduction", Outcome.NOT_MET),  # 30.1 % with the capital reduction
            ("dividends-only", Outcome.MET),  # 20 % in dividends
        ],
    )
    def test_capital_reduction_readings(self, reading: str | None, outcome: Outcome) -> None:
        """RD 621 deductions: whether capital reduction counts in the 30 % is read two ways."""
        from sse_model import Assumptions

        o = th_se(reinvested="700 THB", dividends="200 THB", capital_reduction_payouts="101 THB")
        adopt = Assumptions(readings={"th-rd621i-distribution-30": reading} if reading else {})
        c = classify(
            o, "th/revenue-code-se-investors", on=TH_ON, fiscal_year=2023, assumptions=adopt
        )
        assert c.criterion("th-rd621i-distribution-30").outcome is outcome

    def test_capital_reduction_within_thirty_percent_meets_both(self) -> None:
        """RD 621 deductions: 30 % exactly with the capital reduction meets every reading."""
        o = th_se(reinvested="700 THB", dividends="200 THB", capital_reduction_payouts="100 THB")
        c = th("th/revenue-code-se-investors", o)
        assert c.criterion("th-rd621i-distribution-30").outcome is Outcome.MET

    def test_dividend_paying_se_qualifies_for_investors(self) -> None:
        """RD 621: a 30 % dividend keeps the investors' deduction but loses the own exemption."""
        o = th_se(reinvested="700 THB", dividends="300 THB", capital_reduction_payouts="0 THB")
        assert th("th/revenue-code-se-investors", o).verdict is Verdict.QUALIFIES
        assert th("th/revenue-code-se", o).verdict is Verdict.DOES_NOT_QUALIFY

    def test_unknown_capital_reduction_is_unknown(self) -> None:
        """RD 621 deductions: an unknown capital-reduction payout leaves the limit unknown."""
        o = th_se(reinvested="700 THB", dividends="100 THB")
        c = th("th/revenue-code-se-investors", o)
        assert c.criterion("th-rd621i-distribution-30").outcome is Outcome.UNKNOWN

    def test_after_rd735_is_undetermined(self) -> None:
        """RD 735 (2021): whether RD 621's deductions survive it is not verified."""
        o = th_se(reinvested="700 THB", dividends="300 THB", capital_reduction_payouts="0 THB")
        assert th("th/revenue-code-se-investors", o).verdict is Verdict.QUALIFIES
        c = th("th/revenue-code-se-investors", o, on=date(2021, 1, 1))
        assert c.version == "rd-735"
        assert c.verdict is Verdict.UNDETERMINED


# --- UN TSE Handbook 2018 -----------------------------------------------------------------------

TSE_ON = date(2025, 1, 1)


def tse_unit(profit_rule: str = "by_patronage", **finances: str) -> Organisation:
    return build(
        {
            "id": "tse",
            "name": "Coop",
            "country": "MX",
            "family": "cooperative",
            "governance": {"controlled_by_public_body": False, "controlled_by_for_profit": False},
            "membership": {"voluntary": True},
            "statutes": {"profit_rule": profit_rule},
            "finances": {"2024": {"profit_after_tax": "100 MXN", **finances}},
        }
    )


def tse(o: Organisation, assumptions: Assumptions | None = None) -> Classification:
    return classify(o, "intl/un-tse-2018", on=TSE_ON, assumptions=assumptions)


class TestTSEDistribution:
    """UN TSE Handbook ch. 3: distributions of every kind count towards the limit."""

    def test_patronage_refunds_are_distributions(self) -> None:
        """TSE ch. 3: a unit paying patronage refunds but no dividend has distributed."""
        o = tse_unit(dividends="0 MXN", patronage_refunds="60 MXN")
        c = tse(o)
        assert c.criterion("tse-limited-distribution").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.UNDETERMINED
        assert c.criterion("tse-distribution-share").outcome is Outcome.UNKNOWN

    def test_patronage_refunds_count_as_written(self) -> None:
        """TSE ch. 3 (50 %, unverified): 60 % paid as patronage refunds is above the limit."""
        o = tse_unit(dividends="0 MXN", patronage_refunds="60 MXN")
        assert tse(o, AS_WRITTEN).verdict is Verdict.DOES_NOT_QUALIFY

    def test_unknown_refunds_are_not_zero(self) -> None:
        """TSE ch. 3: with no dividend and unknown refunds, 'distributed nothing' is unknown."""
        o = tse_unit(dividends="0 MXN")
        assert tse(o).criterion("tse-limited-distribution").outcome is Outcome.UNKNOWN

    def test_nothing_distributed_is_in_scope(self) -> None:
        """TSE ch. 3: a unit with a patronage rule that distributed nothing is in scope."""
        o = tse_unit(dividends="0 MXN", patronage_refunds="0 MXN")
        assert tse(o).verdict is Verdict.QUALIFIES

    def test_unrestricted_statutes_are_out_of_scope(self) -> None:
        """TSE ch. 3: statutes allowing unrestricted distribution are not limited."""
        o = tse_unit("unrestricted", dividends="0 MXN", patronage_refunds="0 MXN")
        assert tse(o, AS_WRITTEN).verdict is Verdict.DOES_NOT_QUALIFY

    def test_prohibited_is_in_scope_whatever_the_share(self) -> None:
        """TSE ch. 3: a non-profit institution (distribution prohibited) is in scope."""
        o = tse_unit("prohibited")
        assert tse(o).verdict is Verdict.QUALIFIES


class TestTSEReadings:
    """UN TSE Handbook ch. 3: the 50 % boundary is open; decide where both readings agree."""

    @pytest.mark.parametrize(
        ("paid", "verdict"),
        [
            ("49", Verdict.QUALIFIES),
            ("50", Verdict.UNDETERMINED),
            ("51", Verdict.DOES_NOT_QUALIFY),
        ],
    )
    def test_as_written(self, paid: str, verdict: Verdict) -> None:
        """TSE ch. 3 as written: 49 % and 51 % decided, exactly 50 % left open."""
        o = tse_unit(dividends="0 MXN", patronage_refunds=f"{paid} MXN")
        assert tse(o, AS_WRITTEN).verdict is verdict

    @pytest.mark.parametrize(
        ("reading", "verdict"),
        [("at-most-50", Verdict.QUALIFIES), ("less-than-50", Verdict.DOES_NOT_QUALIFY)],
    )
    def test_each_reading_decides_fifty(self, reading: str, verdict: Verdict) -> None:
        """TSE ch. 3: at exactly 50 %, each reading decides its own way."""
        o = tse_unit(dividends="20 MXN", patronage_refunds="30 MXN")
        a = Assumptions(readings={"tse-distribution-share": reading})
        assert tse(o, a).verdict is verdict

    def test_by_default_unverified(self) -> None:
        """TSE ch. 3: the unverified 50 % rule never decides by default, even at 10 %."""
        o = tse_unit(dividends="10 MXN", patronage_refunds="0 MXN")
        assert tse(o).verdict is Verdict.UNDETERMINED


# --- Italy, D.Lgs. 112/2017 art. 3 c. 3 a) --------------------------------------------------------

IT_ON = date(2025, 6, 30)


def impresa(legal_form: str = "it/srl", **finances: str) -> Organisation:
    year = {
        "revenue": "1000 EUR",
        "revenue_from_general_interest": "701 EUR",
        "profit_after_tax": "100 EUR",
        **finances,
    }
    return build(
        {
            "id": "it",
            "name": "Impresa sociale",
            "country": "IT",
            "legal_form": legal_form,
            "governance": {"single_natural_person_owner": False},
            "membership": {"members_only_benefit": False},
            "statutes": {"profit_rule": "limited", "asset_lock": True},
            "workforce": {
                "paid_workers": 10,
                "vulnerable_workers": 0,
                "volunteers": 1,
                "highest_pay": "80000 EUR",
                "lowest_pay": "10000 EUR",
            },
            "finances": {"2024": year},
        }
    )


def it_cap(o: Organisation, on: date = IT_ON) -> Outcome:
    c = classify(o, "it/social-enterprise", on=on, fiscal_year=2024)
    return c.criterion("it-is-dividend-cap").outcome


class TestItalyDividendCap:
    """D.Lgs. 112/2017 art. 3 c. 3 a): dividends capped at the BFP rate + 2.5 points."""

    def test_forty_nine_percent_on_capital_does_not_qualify_silently(self) -> None:
        """Art. 3 c. 3 a): 49 % on paid-in capital no longer qualifies (cap rate unknown)."""
        o = impresa(dividends="49 EUR", dividend_rate="49 %")
        c = classify(o, "it/social-enterprise", on=IT_ON)
        assert c.criterion("it-is-distribution").outcome is Outcome.MET
        assert c.criterion("it-is-dividend-cap").outcome is Outcome.UNKNOWN
        assert c.verdict is Verdict.UNDETERMINED

    @pytest.mark.parametrize(
        ("rate", "outcome"),
        [("2.4 %", Outcome.MET), ("2.5 %", Outcome.MET), ("2.6 %", Outcome.UNKNOWN)],
    )
    def test_two_and_a_half_points(self, rate: str, outcome: Outcome) -> None:
        """Art. 3 c. 3 a): up to 2.5 % is within the cap whatever the BFP rate; above, unknown."""
        assert it_cap(impresa(dividends="10 EUR", dividend_rate=rate)) is outcome

    def test_no_dividend_meets_the_cap(self) -> None:
        """Art. 3 c. 3 a): a company paying no dividend meets the cap."""
        assert it_cap(impresa(dividends="0 EUR")) is Outcome.MET

    def test_unknown_rate_is_unknown(self) -> None:
        """Art. 3 c. 3 a): a dividend with an unknown rate on capital is unknown, never zero."""
        assert it_cap(impresa(dividends="10 EUR")) is Outcome.UNKNOWN

    def test_association_may_not_pay_dividends(self) -> None:
        """Art. 3 c. 2-3 a): only Libro V forms may pay dividends; an association may not."""
        o = impresa("it/associazione", dividends="1 EUR", dividend_rate="1 %")
        assert it_cap(o) is Outcome.NOT_MET

    @pytest.mark.parametrize("on", [date(2023, 7, 3), date(2023, 7, 4)])
    def test_both_versions(self, on: date) -> None:
        """Art. 3 c. 3 a): the cap applies before and after D.L. 48/2023."""
        assert it_cap(impresa(dividends="10 EUR", dividend_rate="3 %"), on) is Outcome.UNKNOWN
        assert it_cap(impresa(dividends="10 EUR", dividend_rate="2 %"), on) is Outcome.MET


# --- United Kingdom, CIC Regulations 2005 -------------------------------------------------------

CIC_ON = date(2025, 6, 30)


def cic(**finances: str) -> Organisation:
    return build(
        {
            "id": "cic",
            "name": "CIC",
            "country": "GB",
            "legal_form": "gb/cic-shares",
            "registration": {"charity": False},
            "statutes": {"asset_lock": True},
            "membership": {"members_only_benefit": False},
            "purpose": {"primary": ["community_contribution"]},
            "finances": {"2024": {"distributable_profit": "1000 GBP", **finances}},
        }
    )


def cic_outcome(o: Organisation, criterion: str, on: date = CIC_ON) -> Outcome:
    return classify(o, "gb/cic", on=on, fiscal_year=2024).criterion(criterion).outcome


class TestCICExemptDividends:
    """CIC Regulations 2005 regs. 17(2)-(5) and 19: exempt dividends are left out of the cap."""

    @pytest.mark.parametrize(
        ("exempt", "outcome"),
        [("99", Outcome.NOT_MET), ("100", Outcome.MET), ("101", Outcome.MET)],
    )
    def test_exempt_dividends_are_deducted(self, exempt: str, outcome: Outcome) -> None:
        """Reg. 19: 450 declared, less exempt dividends, at most 35 % of 1000."""
        o = cic(dividends="450 GBP", dividends_to_asset_locked_bodies=f"{exempt} GBP")
        assert cic_outcome(o, "gb-cic-dividend-cap") is outcome

    def test_unknown_exempt_amount_stays_unknown(self) -> None:
        """Reg. 19: above 35 %, an unknown exempt amount is unknown, not zero."""
        assert cic_outcome(cic(dividends="450 GBP"), "gb-cic-dividend-cap") is Outcome.UNKNOWN

    def test_within_35_needs_no_exempt_amount(self) -> None:
        """Reg. 19: dividends within 35 % meet the cap whatever part is exempt."""
        assert cic_outcome(cic(dividends="350 GBP"), "gb-cic-dividend-cap") is Outcome.MET

    def test_exempt_part_cannot_exceed_dividends(self) -> None:
        """Reg. 17(3): exempt dividends are part of the dividends declared."""
        from sse_model import InvalidInput

        with pytest.raises(InvalidInput, match="dividends_to_asset_locked_bodies"):
            cic(dividends="100 GBP", dividends_to_asset_locked_bodies="101 GBP")


class TestCICPerShareCap:
    """CIC Regulations 2005 reg. 18: the per-share cap, until SI 2014/2483 (2014-10-01)."""

    @pytest.mark.parametrize(
        ("rate", "outcome"),
        [("19 %", Outcome.MET), ("20 %", Outcome.MET), ("21 %", Outcome.UNKNOWN)],
    )
    def test_twenty_percent_as_written(self, rate: str, outcome: Outcome) -> None:
        """Reg. 18 (20 % of paid-up value from 2010-04-06, unverified): at and below, met."""
        o = cic(dividends="100 GBP", dividend_rate=rate)
        c = classify(o, "gb/cic", on=date(2014, 9, 30), fiscal_year=2024, assumptions=AS_WRITTEN)
        assert c.version == "2010"
        assert c.criterion("gb-cic-share-cap-2010").outcome is outcome

    def test_first_day_of_the_2010_cap(self) -> None:
        """Reg. 18 (20 % from 2010-04-06, unverified): the first day is in the 2010 version."""
        o = cic(dividends="100 GBP", dividend_rate="20 %")
        c = classify(o, "gb/cic", on=date(2010, 4, 6), fiscal_year=2024, assumptions=AS_WRITTEN)
        assert c.version == "2010"
        assert c.criterion("gb-cic-share-cap-2010").outcome is Outcome.MET

    def test_unverified_by_default(self) -> None:
        """Reg. 18: the per-share cap is unverified: by default it never decides."""
        o = cic(dividends="100 GBP", dividend_rate="10 %")
        assert cic_outcome(o, "gb-cic-share-cap-2010", date(2014, 9, 30)) is Outcome.UNKNOWN

    def test_before_2010_needs_the_base_rate(self) -> None:
        """Reg. 18 before 2010-04-06 (base rate + 5 points): a dividend stays undetermined."""
        o = cic(dividends="100 GBP", dividend_rate="1 %")
        c = classify(o, "gb/cic", on=date(2010, 4, 5), fiscal_year=2024, assumptions=AS_WRITTEN)
        assert c.version == "2005"
        assert c.criterion("gb-cic-share-cap-2005").outcome is Outcome.UNKNOWN

    def test_removed_from_october_2014(self) -> None:
        """SI 2014/2483 reg. 1-4: no per-share cap for dividends declared from 2014-10-01."""
        o = cic(
            dividends="100 GBP", dividend_rate="90 %", dividends_to_asset_locked_bodies="0 GBP"
        )
        c = classify(o, "gb/cic", on=date(2014, 10, 1), fiscal_year=2024)
        assert c.version == "2014"
        assert c.verdict is Verdict.QUALIFIES


# --- France, Loi 2014-856 art. 1 I 3° a) -------------------------------------------------------


def sas(profit_rule: str) -> Organisation:
    return build(
        {
            "id": "fr",
            "name": "SAS",
            "country": "FR",
            "legal_form": "fr/sas",
            "purpose": {"social": True, "primary": ["support_fragile_persons"]},
            "statutes": {
                "democratic_governance": True,
                "reserves_indivisible": True,
                "residual_assets": "similar_entity",
                "required_clauses": True,
                "profit_rule": profit_rule,
            },
            "certifications": [
                {"kind": "fr/ess-mention", "granted_on": "2015-01-01", "indefinite": True}
            ],
            "finances": {
                "2023": {
                    "profit_after_tax": "1000 EUR",
                    "reinvested": "300 EUR",
                    "to_reserves": "200 EUR",
                    "reserves": "1000 EUR",
                    "share_capital": "10000 EUR",
                }
            },
        }
    )


class TestFrenchStatutesProfitRule:
    """Loi 2014-856 art. 1 I 3° a), required of companies by art. 1 II 2° a)."""

    @pytest.mark.parametrize(
        "on", [date(2014, 8, 2), date(2015, 8, 12), date(2019, 5, 23), date(2019, 5, 24)]
    )
    def test_full_distribution_statutes_fail(self, on: date) -> None:
        """Art. 1 I 3° a): statutes allowing full distribution do not qualify, in every version."""
        c = classify(sas("unrestricted"), "fr/ess", on=on, fiscal_year=2023)
        assert c.criterion("fr-ess-profit-mainly-to-activity").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    @pytest.mark.parametrize("rule", ["prohibited", "limited", "by_patronage"])
    def test_limiting_statutes_qualify(self, rule: str) -> None:
        """Art. 1 I 3° a): statutes that limit distribution meet the rule."""
        c = classify(sas(rule), "fr/ess", on=date(2024, 1, 1), fiscal_year=2023)
        assert c.criterion("fr-ess-profit-mainly-to-activity").outcome is Outcome.MET
        assert c.verdict is Verdict.QUALIFIES

    def test_unknown_rule_is_unknown(self) -> None:
        """Art. 1 I 3° a): an unknown profit rule is unknown on observed facts alone."""
        o = sas("limited")
        o = build({**_as_data(o), "statutes": {**_as_data(o)["statutes"], "profit_rule": None}})
        c = classify(o, "fr/ess", on=date(2024, 1, 1), fiscal_year=2023, presumptions=False)
        assert c.criterion("fr-ess-profit-mainly-to-activity").outcome is Outcome.UNKNOWN
        assert c.verdict is Verdict.UNDETERMINED


def _as_data(o: Organisation) -> dict[str, Any]:
    from sse_model import unstructure

    data: dict[str, Any] = unstructure(o)
    return data


# --- Korea, Social Enterprise Promotion Act art. 8(1)7 -----------------------------------------


def kr_company(**finances: str) -> Organisation:
    return build(
        {
            "id": "kr",
            "name": "KR SE",
            "country": "KR",
            "legal_form": "kr/stock-company",
            "finances": {"2023": {"distributable_profit": "900 KRW", **finances}},
        }
    )


def kr_outcome(o: Organisation) -> Outcome:
    c = classify(o, "kr/social-enterprise", on=date(2024, 6, 30), fiscal_year=2023)
    return c.criterion("kr-se-profit-two-thirds").outcome


class TestKoreanProfitForSocialPurposes:
    """SEPA art. 8(1)7: two thirds of distributable profit used for social purposes."""

    @pytest.mark.parametrize(
        ("used", "outcome"),
        [("599", Outcome.NOT_MET), ("600", Outcome.MET), ("601", Outcome.MET)],
    )
    def test_two_thirds_boundary(self, used: str, outcome: Outcome) -> None:
        """Art. 8(1)7: 'at least two thirds': 600 of 900 meets it."""
        assert kr_outcome(kr_company(profit_used_for_social_purposes=f"{used} KRW")) is outcome

    def test_retained_profit_is_not_use(self) -> None:
        """Art. 8(1)7: paying no dividend does not show the profit was used for social purposes."""
        assert kr_outcome(kr_company(dividends="0 KRW")) is Outcome.UNKNOWN

    def test_no_distributable_profit(self) -> None:
        """Art. 8(1)7: only 'when distributable profit arises': none, the rule is met."""
        o = kr_company(distributable_profit="0 KRW", profit_used_for_social_purposes="0 KRW")
        assert kr_outcome(o) is Outcome.MET


class TestItalyDatedCap:
    """D.Lgs. 112/2017 art. 3 c. 3 a): the BFP maximum rate, dated by series (2023)."""

    @pytest.mark.parametrize(
        ("on", "rate", "outcome"),
        [
            (date(2023, 1, 22), "7.15 %", Outcome.UNKNOWN),
            (date(2023, 1, 23), "7.15 %", Outcome.MET),
            (date(2023, 1, 23), "7.16 %", Outcome.NOT_MET),
            (date(2023, 6, 5), "7.15 %", Outcome.MET),
            (date(2023, 6, 5), "7.16 %", Outcome.NOT_MET),
            (date(2023, 6, 6), "7.16 %", Outcome.UNKNOWN),
        ],
    )
    def test_series_of_2023(self, on: date, rate: str, outcome: Outcome) -> None:
        """Art. 3 c. 3 a): 4.65 % + 2.5 points from 2023-01-23 to 2023-06-05; unknown outside."""
        assert it_cap(impresa(dividends="10 EUR", dividend_rate=rate), on) is outcome

    def test_forty_nine_percent_fails_when_the_rate_is_known(self) -> None:
        """Art. 3 c. 3 a): 49 % on paid-in capital exceeds the 2023 cap: does not qualify."""
        o = impresa(dividends="49 EUR", dividend_rate="49 %")
        c = classify(o, "it/social-enterprise", on=date(2023, 3, 1), fiscal_year=2024)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
