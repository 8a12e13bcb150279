"""Golden tests: vn/social-enterprise (Law on Enterprises 2014 and 2020, Art. 10)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

PROFILE = "vn/social-enterprise"
ON_2020_LAW = date(2024, 6, 30)
ON_2014_LAW = date(2019, 6, 30)


def org(finances: dict[str, Any] | None = None, **overrides: Any) -> Organisation:
    data: dict[str, Any] = {
        "id": "vn-se",
        "name": "Social enterprise",
        "country": "VN",
        "legal_form": "vn/jsc",
        "purpose": {"social": True, "commitment_registered": True},
        "finances": {
            "2023": finances or {"profit_after_tax": "1000000 VND", "reinvested": "510000 VND"}
        },
    }
    data.update(overrides)
    return structure(data, Organisation)


class TestReinvestment2020:
    """LoE 2020 Art. 10(1)(c): >= 51 % of annual after-tax profit reinvested."""

    @pytest.mark.parametrize(
        ("reinvested", "verdict"),
        [
            ("510000 VND", Verdict.QUALIFIES),  # exactly 51 %: the boundary qualifies
            ("509999 VND", Verdict.DOES_NOT_QUALIFY),  # just below
            ("510001 VND", Verdict.QUALIFIES),  # just above
        ],
    )
    def test_boundary(self, reinvested: str, verdict: Verdict) -> None:
        """Art. 10(1)(c) LoE 2020: at, just below and just above 51 %."""
        o = org({"profit_after_tax": "1000000 VND", "reinvested": reinvested})
        assert classify(o, PROFILE, on=ON_2020_LAW).verdict is verdict

    def test_loss_year_is_undetermined_and_unresolvable(self) -> None:
        """Art. 10(1)(c) LoE 2020 is silent on losses: the share is undefined, not zero."""
        o = org({"profit_after_tax": "-5000 VND", "reinvested": "0 VND"})
        c = classify(o, PROFILE, on=ON_2020_LAW)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.criterion("vn-se-reinvest-2020").outcome is Outcome.UNKNOWN
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("vn-se-reinvest-2020",)

    def test_missing_profit_names_the_fact(self) -> None:
        """Art. 10(1)(c) LoE 2020: a missing profit is unknown, and the result says what to collect."""
        o = org({"reinvested": "510000 VND"})
        c = classify(o, PROFILE, on=ON_2020_LAW)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["finances[2023].profit_after_tax"]


class TestDatedChange:
    """LoE 2020 (in force 2021-01-01) replaced LoE 2014: 'after-tax' was added."""

    def test_both_sides_of_the_change(self) -> None:
        """Art. 10(1)(c): before 2021 the basis was unspecified, so both bases must agree."""
        o = org(
            {
                "profit_after_tax": "800 VND",
                "profit_before_tax": "1000 VND",
                "reinvested": "450 VND",
            }
        )
        # 450/800 = 56 % of after-tax profit, 45 % of before-tax profit
        assert (
            classify(o, PROFILE, on=date(2021, 1, 1), fiscal_year=2023).verdict
            is Verdict.QUALIFIES
        )
        before = classify(o, PROFILE, on=date(2020, 12, 31), fiscal_year=2023)
        assert before.version == "loe-2014"
        assert before.verdict is Verdict.UNDETERMINED
        assert before.criterion("vn-se-reinvest-2014").outcome is Outcome.UNKNOWN

    def test_2014_law_decides_when_bases_agree(self) -> None:
        """LoE 2014 Art. 10(1)(c): both bases >= 51 % qualifies; both below fails."""
        ok = org(
            {
                "profit_after_tax": "800 VND",
                "profit_before_tax": "1000 VND",
                "reinvested": "600 VND",
            }
        )
        ko = org(
            {
                "profit_after_tax": "800 VND",
                "profit_before_tax": "1000 VND",
                "reinvested": "400 VND",
            }
        )
        assert classify(ok, PROFILE, on=ON_2014_LAW, fiscal_year=2023).verdict is Verdict.QUALIFIES
        assert (
            classify(ko, PROFILE, on=ON_2014_LAW, fiscal_year=2023).verdict
            is Verdict.DOES_NOT_QUALIFY
        )


class TestEligibleForms:
    """LoE Art. 10(1)(a): only enterprises under the Law on Enterprises."""

    def test_cooperative_is_not_eligible(self) -> None:
        """Art. 10(1)(a): a cooperative must convert first."""
        c = classify(org(legal_form="vn/cooperative"), PROFILE, on=ON_2020_LAW)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("vn-se-enterprise").outcome is Outcome.NOT_MET

    def test_no_commitment_fails(self) -> None:
        """Decree 47/2021: the commitment must be registered."""
        c = classify(
            org(purpose={"social": True, "commitment_registered": False}), PROFILE, on=ON_2020_LAW
        )
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
