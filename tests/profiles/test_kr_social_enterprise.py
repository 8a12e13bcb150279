"""Golden tests: kr/social-enterprise (Social Enterprise Promotion Act Art. 8; Decree Arts. 8-10)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Assumptions, Organisation, Outcome, Verdict, classify, structure

#: the unverified rules applied as written (by default they give unknown)
AS_WRITTEN = Assumptions(unverified_as_written=True)

PROFILE = "kr/social-enterprise"
ON = date(2024, 6, 30)


def org(vulnerable: int = 3, workers: int = 10, **changes: Any) -> Organisation:
    data: dict[str, Any] = {
        "id": "kr-se",
        "name": "Korean SE",
        "country": "KR",
        "legal_form": "kr/social-cooperative",
        "purpose": {"primary": ["job_provision"]},
        "governance": {"stakeholder_participation": True},
        "statutes": {"required_clauses": True},
        "workforce": {"paid_workers": workers, "vulnerable_workers": vulnerable},
        "finances": {"2023": {"revenue_from_sales": "500 KRW", "labour_costs": "1000 KRW"}},
    }
    data.update(changes)
    return structure(data, Organisation)


class TestJobProvisionType:
    """Decree Art. 9(1): vulnerable workers >= 30 % from 2019 (50 % originally)."""

    @pytest.mark.parametrize(
        ("vulnerable", "verdict"),
        [(2, Verdict.DOES_NOT_QUALIFY), (3, Verdict.QUALIFIES), (4, Verdict.QUALIFIES)],
    )
    def test_boundary_2019(self, vulnerable: int, verdict: Verdict) -> None:
        """Decree Art. 9(1) as amended by PD 29293: 29 %, 30 % and 31 % of 10 workers."""
        assert (
            classify(org(vulnerable=vulnerable), PROFILE, on=ON, assumptions=AS_WRITTEN).verdict
            is verdict
        )

    def test_both_sides_of_2019(self) -> None:
        """Before 2019 a 30-50 % share is undetermined (temporary reduction start unverified)."""
        o = org(vulnerable=4)
        assert (
            classify(o, PROFILE, on=date(2019, 1, 1), fiscal_year=2023)
            .criterion("kr-se-job-type")
            .outcome
            is Outcome.MET
        )
        before = classify(o, PROFILE, on=date(2018, 12, 31), fiscal_year=2023)
        assert before.criterion("kr-se-job-type-2007").outcome is Outcome.UNKNOWN
        assert (
            classify(org(vulnerable=5), PROFILE, on=date(2018, 12, 31), fiscal_year=2023)
            .criterion("kr-se-job-type-2007")
            .outcome
            is Outcome.MET
        )
        assert (
            classify(org(vulnerable=2), PROFILE, on=date(2018, 12, 31), fiscal_year=2023)
            .criterion("kr-se-job-type-2007")
            .outcome
            is Outcome.NOT_MET
        )


class TestOtherTypes:
    """Decree Art. 9: the type decides which ratio applies."""

    def test_service_type_uses_recipients(self) -> None:
        """Social-service type: vulnerable recipients >= 30 %; the job ratio does not apply."""
        o = org(
            vulnerable=0,
            purpose={"primary": ["social_service"]},
            beneficiaries={"total": 100, "vulnerable": 30},
        )
        c = classify(o, PROFILE, on=ON)
        assert c.criterion("kr-se-job-type").outcome is Outcome.NOT_APPLICABLE
        assert c.criterion("kr-se-service-type").outcome is Outcome.MET
        assert c.verdict is Verdict.QUALIFIES

    @pytest.mark.parametrize(
        ("workers", "recipients", "outcome"),
        [(2, 20, Outcome.MET), (1, 20, Outcome.NOT_MET), (2, 19, Outcome.NOT_MET)],
    )
    def test_mixed_type(self, workers: int, recipients: int, outcome: Outcome) -> None:
        """Mixed type: both ratios >= 20 % (PD 29293)."""
        o = org(
            vulnerable=workers,
            purpose={"primary": ["mixed"]},
            beneficiaries={"total": 100, "vulnerable": recipients},
        )
        assert classify(o, PROFILE, on=ON).criterion("kr-se-mixed-type").outcome is outcome

    def test_community_type_is_unresolvable(self) -> None:
        """Decree Art. 9: the community-contribution test is not verified: undetermined."""
        c = classify(org(purpose={"primary": ["community_contribution"]}), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert "kr-se-community-type" in c.settlement.unresolvable


class TestRevenueAndProfit:
    """Art. 8(1)5 and 8(1)7."""

    @pytest.mark.parametrize(
        ("sales", "outcome"),
        [("499", Outcome.NOT_MET), ("500", Outcome.MET), ("501", Outcome.MET)],
    )
    def test_revenue_vs_labour_costs(self, sales: str, outcome: Outcome) -> None:
        """Decree Art. 10: business revenue >= 50 % of labour costs (attested from 2022)."""
        o = org(
            finances={"2023": {"revenue_from_sales": f"{sales} KRW", "labour_costs": "1000 KRW"}}
        )
        assert classify(o, PROFILE, on=ON).criterion("kr-se-revenue-labour").outcome is outcome

    def test_revenue_change_date_unverified(self) -> None:
        """Under the 2007 test (fiscal years ending before 2022-06-08) a ratio between 30 % and
        50 % is undetermined and below 30 % fails; under the 50 % test 40 % fails."""
        o = org(finances={"2021": {"revenue_from_sales": "400 KRW", "labour_costs": "1000 KRW"}})
        assert (
            classify(o, PROFILE, on=date(2022, 6, 7))
            .criterion("kr-se-revenue-labour-2007")
            .outcome
            is Outcome.UNKNOWN
        )
        # FY2021 ended under the 2007 test: on 2022-06-08 it is still judged by it
        after = classify(o, PROFILE, on=date(2022, 6, 8))
        assert after.criterion("kr-se-revenue-labour").outcome is Outcome.NOT_APPLICABLE
        assert after.criterion("kr-se-revenue-labour-2007").outcome is Outcome.UNKNOWN
        # the same ratio for FY2022, which ended under the 50 % test, fails
        o22 = org(finances={"2022": {"revenue_from_sales": "400 KRW", "labour_costs": "1000 KRW"}})
        assert (
            classify(o22, PROFILE, on=date(2023, 6, 30)).criterion("kr-se-revenue-labour").outcome
            is Outcome.NOT_MET
        )
        low = org(finances={"2021": {"revenue_from_sales": "299 KRW", "labour_costs": "1000 KRW"}})
        assert (
            classify(low, PROFILE, on=date(2022, 6, 7))
            .criterion("kr-se-revenue-labour-2007")
            .outcome
            is Outcome.NOT_MET
        )

    @pytest.mark.parametrize(("used", "outcome"), [("666", Outcome.MET), ("665", Outcome.NOT_MET)])
    def test_two_thirds_for_companies(self, used: str, outcome: Outcome) -> None:
        """Art. 8(1)7: a stock company uses >= 2/3 of distributable profit for social purposes."""
        fin = {
            "2023": {
                "revenue_from_sales": "500 KRW",
                "labour_costs": "1000 KRW",
                "distributable_profit": "999 KRW",
                "profit_used_for_social_purposes": f"{used} KRW",
            }
        }
        c = classify(org(legal_form="kr/stock-company", finances=fin), PROFILE, on=ON)
        assert c.criterion("kr-se-profit-two-thirds").outcome is outcome

    def test_two_thirds_not_for_cooperatives(self) -> None:
        """Art. 8(1)7 applies to Commercial Act companies only."""
        c = classify(org(), PROFILE, on=ON)
        assert c.criterion("kr-se-profit-two-thirds").outcome is Outcome.NOT_APPLICABLE


class TestFormAndGovernance:
    """Art. 8(1)1 and 8(1)4."""

    def test_sole_proprietorship_excluded(self) -> None:
        """Decree Art. 8: sole proprietorships cannot be certified."""
        c = classify(org(legal_form="kr/sole-proprietorship"), PROFILE, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_missing_participation(self) -> None:
        """Art. 8(1)4: without stakeholder participation data the verdict is undetermined."""
        c = classify(org(governance={}), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == [
            "governance.stakeholder_participation"
        ]
