"""Golden tests: it/social-enterprise (D.Lgs. 112/2017) and gb/cic (CIC Regulations 2005/2014)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

ON = date(2025, 6, 30)

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
            "dividend_rate": "2.5 %",
        }
    },
}


def it(**changes: Any) -> Organisation:
    return structure({**IT, **changes}, Organisation)


class TestItaly:
    """D.Lgs. 112/2017."""

    def test_qualifies(self) -> None:
        """Arts. 1-3, 12, 13: qualifies with 70.1 %, 49 % (2.5 % on capital) and a 1:8 ratio."""
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
        """Regs. 17, 19, 22: aggregate dividends at most 35 % of distributable profits
        (none of them exempt)."""
        o = structure(
            {
                **CIC,
                "finances": {
                    "2024": {
                        "distributable_profit": "1000 GBP",
                        "dividends": f"{dividends} GBP",
                        "dividends_to_asset_locked_bodies": "0 GBP",
                    }
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
