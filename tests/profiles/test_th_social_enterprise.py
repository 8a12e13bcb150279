"""Golden tests: th/social-enterprise (Social Enterprise Promotion Act B.E. 2562, s.5)."""

from datetime import date
from typing import Any

import pytest

from sse_model import (
    Organisation,
    Outcome,
    RegistrationStatus,
    Verdict,
    classify,
    structure,
)

PROFILE = "th/social-enterprise"
ON = date(2024, 6, 30)


def org(
    fy: dict[str, Any] | None = None, profit_rule: str = "limited", **changes: Any
) -> Organisation:
    data: dict[str, Any] = {
        "id": "th-se",
        "name": "Thai SE",
        "country": "TH",
        "legal_form": "th/limited-company",
        "purpose": {"primary": ["community_social_environment"]},
        "statutes": {"profit_rule": profit_rule},
        "certifications": [
            {
                "kind": "th/registered-social-enterprise",
                "granted_on": "2020-01-15",
                "indefinite": True,
            }
        ],
        "certifications_complete": True,
        "finances": {
            "2023": fy
            or {
                "revenue": "1000 THB",
                "revenue_from_sales": "500 THB",
                "profit_after_tax": "1000 THB",
                "reinvested": "700 THB",
                "dividends": "300 THB",
            }
        },
    }
    data.update(changes)
    return structure(data, Organisation)


def fy(sales: str = "500", reinvested: str = "700", dividends: str = "300") -> dict[str, Any]:
    return {
        "revenue": "1000 THB",
        "revenue_from_sales": f"{sales} THB",
        "profit_after_tax": "1000 THB",
        "reinvested": f"{reinvested} THB",
        "dividends": f"{dividends} THB",
    }


class TestThresholds:
    """s.5: sales >= 50 % of revenue, reinvestment >= 70 %, distribution <= 30 %."""

    def test_all_at_the_boundary_qualifies(self) -> None:
        """s.5: exactly 50 % sales, 70 % reinvested and 30 % distributed qualify."""
        assert classify(org(), PROFILE, on=ON).verdict is Verdict.QUALIFIES

    @pytest.mark.parametrize(
        ("sales", "outcome"),
        [("499", Outcome.NOT_MET), ("500", Outcome.MET), ("501", Outcome.MET)],
    )
    def test_sales(self, sales: str, outcome: Outcome) -> None:
        """s.5: revenue from sales of goods or services >= 50 % (profit-sharing type)."""
        c = classify(org(fy(sales=sales, reinvested="700", dividends="300")), PROFILE, on=ON)
        assert c.criterion("th-se-sales-revenue").outcome is outcome

    @pytest.mark.parametrize(
        ("reinvested", "dividends", "outcome"),
        [
            ("699", "300", Outcome.NOT_MET),
            ("700", "300", Outcome.MET),
            ("701", "299", Outcome.MET),
        ],
    )
    def test_reinvestment(self, reinvested: str, dividends: str, outcome: Outcome) -> None:
        """s.5: at least 70 % of profit reinvested."""
        c = classify(org(fy(reinvested=reinvested, dividends=dividends)), PROFILE, on=ON)
        assert c.criterion("th-se-reinvest").outcome is outcome

    @pytest.mark.parametrize(
        ("dividends", "outcome"),
        [("299", Outcome.MET), ("300", Outcome.MET), ("301", Outcome.NOT_MET)],
    )
    def test_distribution_cap(self, dividends: str, outcome: Outcome) -> None:
        """s.5: the profit-sharing type distributes at most 30 %."""
        c = classify(org(fy(reinvested="690", dividends=dividends)), PROFILE, on=ON)
        assert c.criterion("th-se-distribution").outcome is outcome


class TestNonProfitSharingType:
    """Type (a): no distribution; the sales exception is not verified."""

    def test_no_dividends_allowed(self) -> None:
        """Definition of type (a): any dividend fails."""
        c = classify(
            org(fy(reinvested="990", dividends="1"), profit_rule="prohibited"), PROFILE, on=ON
        )
        assert c.criterion("th-se-distribution").outcome is Outcome.NOT_MET
        ok = classify(
            org(fy(reinvested="1000", dividends="0"), profit_rule="prohibited"), PROFILE, on=ON
        )
        assert ok.verdict is Verdict.QUALIFIES

    def test_low_sales_exception_is_undetermined(self) -> None:
        """s.5: below 50 % sales, a non-profit-sharing SE depends on unretrieved Committee rules."""
        c = classify(
            org(fy(sales="100", reinvested="1000", dividends="0"), profit_rule="prohibited"),
            PROFILE,
            on=ON,
        )
        assert c.criterion("th-se-sales-revenue").outcome is Outcome.UNKNOWN
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert "th-se-sales-revenue" in c.settlement.unresolvable


class TestStatusAndForm:
    """s.3 and registration: a registered juristic person."""

    def test_community_enterprise_is_not_a_juristic_person(self) -> None:
        """s.3: a community enterprise without legal personality cannot register as an SE."""
        c = classify(org(legal_form="th/community-enterprise"), PROFILE, on=ON)
        assert c.criterion("th-se-juristic-person").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_unregistered(self) -> None:
        """Registration with OSEP: a complete list without it means not registered."""
        c = classify(org(certifications=[]), PROFILE, on=ON)
        assert c.criterion("th-se-registered").outcome is Outcome.NOT_MET

    def test_registration_unknown(self) -> None:
        """If the list of statuses may be incomplete, registration is unknown, never 'no'."""
        c = classify(org(certifications=[], certifications_complete=None), PROFILE, on=ON)
        assert c.criterion("th-se-registered").outcome is Outcome.UNKNOWN
        assert c.verdict is Verdict.UNDETERMINED

    def test_missing_sales(self) -> None:
        """s.5: without sales revenue the sales criterion is unknown and named."""
        data = fy()
        del data["revenue_from_sales"]
        c = classify(org(data), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == [
            "finances[2023].revenue_from_sales"
        ]


class TestEntryIntoForce:
    """The Act entered into force in April 2019 on a day that is not verified."""

    def test_april_2019_is_undetermined(self) -> None:
        """s.2: in April 2019 whether the Act was in force is unknown."""
        early = org(
            certifications=[
                {
                    "kind": "th/registered-social-enterprise",
                    "granted_on": "2019-04-18",
                    "indefinite": True,
                }
            ]
        )
        c = classify(early, PROFILE, on=date(2019, 4, 20), fiscal_year=2023)
        assert c.version == "gazette-day-unverified"
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("th-se-in-force",)
        later = classify(early, PROFILE, on=date(2019, 5, 1), fiscal_year=2023)
        assert later.version == "2019"
        assert later.verdict is Verdict.QUALIFIES


def applicant(**registration: Any) -> Organisation:
    """An applicant: not (yet) registered with OSEP, with its registration history."""
    return org(certifications=[], registration={"status": "applying", **registration})


class TestRevocationBar:
    """s.5 criteria: not revoked unless at least two years have passed (CMU 2025, p. 52, item 5)."""

    CRITERION = "th-se-not-recently-revoked"

    def test_never_revoked_meets_it(self) -> None:
        """s.5: an applicant whose registration was never revoked meets the bar."""
        c = classify(applicant(previously_revoked=False), PROFILE, on=ON)
        assert c.criterion(self.CRITERION).outcome is Outcome.MET
        assert (
            c.criterion("th-se-registered").outcome is Outcome.NOT_MET
        )  # applying, not registered

    @pytest.mark.parametrize(
        ("years", "outcome"),
        [
            (1, Outcome.UNKNOWN),  # below two years: the reference dates are not verified
            (2, Outcome.MET),  # exactly two completed years
            (3, Outcome.MET),
        ],
    )
    def test_two_years_boundary(self, years: int, outcome: Outcome) -> None:
        """s.5: at least two years from the revocation; below two the Act's dates decide."""
        o = applicant(previously_revoked=True, years_since_revocation=years)
        c = classify(o, PROFILE, on=ON)
        assert c.criterion(self.CRITERION).outcome is outcome

    @pytest.mark.parametrize(
        ("years", "outcome"), [(1, Outcome.NOT_MET), (2, Outcome.MET), (0, Outcome.NOT_MET)]
    )
    def test_reading_revocation_to_application(self, years: int, outcome: Outcome) -> None:
        """s.5, reading 'revocation-to-application': fewer than two completed years bar it."""
        from sse_model import Assumptions

        o = applicant(previously_revoked=True, years_since_revocation=years)
        adopt = Assumptions(readings={self.CRITERION: "revocation-to-application"})
        c = classify(o, PROFILE, on=ON, assumptions=adopt)
        assert c.criterion(self.CRITERION).outcome is outcome

    def test_registered_se_is_taken_to_meet_it(self) -> None:
        """s.5: OSEP examines the conditions when it registers: a valid registration meets it."""
        o = org(registration={"previously_revoked": True, "years_since_revocation": 1})
        c = classify(o, PROFILE, on=ON)
        assert c.criterion(self.CRITERION).outcome is Outcome.MET
        assert c.verdict is Verdict.QUALIFIES

    def test_unknown_history_names_the_facts(self) -> None:
        """s.5: for an applicant with no history recorded, the criterion names the missing facts."""
        c = classify(applicant(), PROFILE, on=ON)
        result = c.criterion(self.CRITERION)
        assert result.outcome is Outcome.UNKNOWN
        assert "registration.previously_revoked" in result.missing
        assert c.verdict is Verdict.DOES_NOT_QUALIFY  # an applicant is not registered

    def test_revocation_recorded_with_date_and_reason(self) -> None:
        """Registration history: a revoked registration keeps its date and recorded reason."""
        o = org(
            registration={
                "status": "revoked",
                "deregistered_on": "2023-03-01",
                "revocation_reason": "as recorded by the registrar",
            }
        )
        assert o.registration.status is RegistrationStatus.REVOKED
        assert o.registration.revocation_reason == "as recorded by the registrar"
