"""Golden tests: kr/cooperative and kr/social-cooperative (Framework Act on Cooperatives)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

ON = date(2024, 6, 30)


def coop(fin: dict[str, str] | None = None, **changes: Any) -> Organisation:
    data: dict[str, Any] = {
        "id": "kr-coop",
        "name": "Coop",
        "country": "KR",
        "legal_form": "kr/cooperative",
        "purpose": {"primary": ["social_service"]},
        "membership": {"founding_members": 5},
        "governance": {
            "voting_rule": "one_member_one_vote",
            "largest_member_capital_share": "30 %",
        },
        "finances": {
            "2023": fin
            or {
                "profit_after_tax": "1000 KRW",
                "to_reserves": "100 KRW",
                "dividends": "100 KRW",
                "patronage_refunds": "100 KRW",
                "dividend_rate": "10 %",
                "reserves": "100 KRW",
                "share_capital": "1000 KRW",
            }
        },
    }
    data.update(changes)
    return structure(data, Organisation)


class TestCooperative:
    """kr/cooperative: Arts. 15, 22, 23, 45, 50, 51."""

    def test_at_every_boundary_qualifies(self) -> None:
        """5 founders, 30 % capital, 10 % reserve, 50 % patronage, 10 % dividend rate: qualifies."""
        assert classify(coop(), "kr/cooperative", on=ON).verdict is Verdict.QUALIFIES

    @pytest.mark.parametrize(
        ("founders", "outcome"), [(4, Outcome.NOT_MET), (5, Outcome.MET), (6, Outcome.MET)]
    )
    def test_founders(self, founders: int, outcome: Outcome) -> None:
        """Art. 15: at least 5 founders."""
        c = classify(coop(membership={"founding_members": founders}), "kr/cooperative", on=ON)
        assert c.criterion("kr-coop-founders").outcome is outcome

    @pytest.mark.parametrize(
        ("reserve", "outcome"),
        [("99", Outcome.NOT_MET), ("100", Outcome.MET), ("101", Outcome.MET)],
    )
    def test_reserve(self, reserve: str, outcome: Outcome) -> None:
        """Art. 50: at least 10 % of the surplus to the statutory reserve."""
        fin = {
            "profit_after_tax": "1000 KRW",
            "to_reserves": f"{reserve} KRW",
            "reserves": "0 KRW",
            "share_capital": "10 KRW",
        }
        assert (
            classify(coop(fin), "kr/cooperative", on=ON).criterion("kr-coop-reserve").outcome
            is outcome
        )

    def test_reserve_stops_at_three_times_equity(self) -> None:
        """Art. 50: once reserves reach 3x equity the reserve rule no longer applies."""
        fin = {
            "profit_after_tax": "1000 KRW",
            "to_reserves": "0 KRW",
            "reserves": "300 KRW",
            "share_capital": "100 KRW",
        }
        assert (
            classify(coop(fin), "kr/cooperative", on=ON).criterion("kr-coop-reserve").outcome
            is Outcome.NOT_APPLICABLE
        )

    @pytest.mark.parametrize(
        ("patronage", "outcome"),
        [("99", Outcome.NOT_MET), ("100", Outcome.MET), ("101", Outcome.MET)],
    )
    def test_patronage_share(self, patronage: str, outcome: Outcome) -> None:
        """Art. 51: patronage dividends at least half of all dividends."""
        fin = {
            "profit_after_tax": "1000 KRW",
            "dividends": "100 KRW",
            "patronage_refunds": f"{patronage} KRW",
        }
        assert (
            classify(coop(fin), "kr/cooperative", on=ON).criterion("kr-coop-patronage").outcome
            is outcome
        )

    @pytest.mark.parametrize(
        ("rate", "outcome"),
        [("9.99 %", Outcome.MET), ("10 %", Outcome.MET), ("10.01 %", Outcome.NOT_MET)],
    )
    def test_dividend_rate(self, rate: str, outcome: Outcome) -> None:
        """Art. 51: dividend on paid-in capital at most 10 %."""
        fin = {"dividend_rate": rate}
        assert (
            classify(coop(fin), "kr/cooperative", on=ON)
            .criterion("kr-coop-capital-dividend")
            .outcome
            is outcome
        )

    def test_finance_business_excluded(self) -> None:
        """Art. 45(3): a cooperative in finance or insurance does not qualify."""
        c = classify(coop(purpose={"primary": ["finance_insurance"]}), "kr/cooperative", on=ON)
        assert c.criterion("kr-coop-no-finance").outcome is Outcome.NOT_MET

    def test_before_the_act(self) -> None:
        """The Act is in force from 2012-12-01."""
        assert (
            classify(coop(), "kr/cooperative", on=date(2012, 12, 1), fiscal_year=2023).version
            == "2012"
        )


class TestSocialCooperative:
    """kr/social-cooperative: Arts. 85, 93, 97, 98, 104."""

    def social(self, gi: str = "40", reserve: str = "300", dividends: str = "0") -> Organisation:
        return coop(
            {
                "revenue": "100 KRW",
                "revenue_from_general_interest": f"{gi} KRW",
                "profit_after_tax": "1000 KRW",
                "to_reserves": f"{reserve} KRW",
                "dividends": f"{dividends} KRW",
            },
            legal_form="kr/social-cooperative",
            statutes={"residual_assets": "similar_entity"},
        )

    def test_qualifies_at_the_boundaries(self) -> None:
        """40 % main business and 30 % reserve, no dividends, assets locked: qualifies."""
        assert classify(self.social(), "kr/social-cooperative", on=ON).verdict is Verdict.QUALIFIES

    @pytest.mark.parametrize(
        ("gi", "outcome"), [("39", Outcome.NOT_MET), ("40", Outcome.MET), ("41", Outcome.MET)]
    )
    def test_main_business(self, gi: str, outcome: Outcome) -> None:
        """Art. 93: main business at least 40 % of business volume."""
        assert (
            classify(self.social(gi=gi), "kr/social-cooperative", on=ON)
            .criterion("kr-socoop-main-business")
            .outcome
            is outcome
        )

    @pytest.mark.parametrize(
        ("reserve", "outcome"),
        [("299", Outcome.NOT_MET), ("300", Outcome.MET), ("301", Outcome.MET)],
    )
    def test_reserve(self, reserve: str, outcome: Outcome) -> None:
        """Art. 97: at least 30 % of the surplus to reserves."""
        assert (
            classify(self.social(reserve=reserve), "kr/social-cooperative", on=ON)
            .criterion("kr-socoop-reserve")
            .outcome
            is outcome
        )

    def test_no_dividends(self) -> None:
        """Art. 98: any dividend fails."""
        assert (
            classify(self.social(dividends="1"), "kr/social-cooperative", on=ON).verdict
            is Verdict.DOES_NOT_QUALIFY
        )

    def test_loss_year_reserve_is_met(self) -> None:
        """Art. 97: with no surplus there is nothing to reserve."""
        o = coop(
            {
                "revenue": "100 KRW",
                "revenue_from_general_interest": "50 KRW",
                "profit_after_tax": "-5 KRW",
                "to_reserves": "0 KRW",
                "dividends": "0 KRW",
            },
            legal_form="kr/social-cooperative",
            statutes={"residual_assets": "public"},
        )
        assert (
            classify(o, "kr/social-cooperative", on=ON).criterion("kr-socoop-reserve").outcome
            is Outcome.MET
        )
