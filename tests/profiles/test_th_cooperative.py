"""Golden tests: th/cooperative (Cooperatives Act B.E. 2542, 1999)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Assumptions, Organisation, Outcome, Verdict, classify, structure

#: the unverified rules applied as written (by default they give unknown)
AS_WRITTEN = Assumptions(unverified_as_written=True)

PROFILE = "th/cooperative"
ON = date(2024, 6, 30)


def org(**changes: Any) -> Organisation:
    data: dict[str, Any] = {
        "id": "th-coop",
        "name": "Thai cooperative",
        "country": "TH",
        "legal_form": "th/cooperative",
        "registration": {"registered_on": "2010-05-01"},
        "governance": {
            "voting_rule": "one_member_one_vote",
            "largest_member_capital_share": "1/5",
        },
        "membership": {"founding_members": 10},
        "finances": {"2023": {"dividend_rate": "10 %"}},
    }
    data.update(changes)
    return structure(data, Organisation)


def outcome(o: Organisation, criterion: str, assumptions: Assumptions | None = None) -> Outcome:
    c = classify(o, PROFILE, on=ON, fiscal_year=2023, assumptions=assumptions)
    return c.criterion(criterion).outcome


class TestShareCap:
    """s.33(3): each member holds not more than one fifth of the paid-up shares."""

    @pytest.mark.parametrize(
        ("share", "expected"),
        [("1/5", Outcome.MET), ("19.99 %", Outcome.MET), ("20.01 %", Outcome.NOT_MET)],
    )
    def test_boundary(self, share: str, expected: Outcome) -> None:
        """s.33(3): exactly one fifth is allowed; above it is not."""
        o = org(
            governance={
                "voting_rule": "one_member_one_vote",
                "largest_member_capital_share": share,
            }
        )
        assert outcome(o, "th-coop-share-cap") is expected

    def test_above_the_cap_fails_despite_unverified_rules(self) -> None:
        """s.33(3): a verified failure decides the verdict even with unresolved rules."""
        o = org(
            governance={
                "voting_rule": "one_member_one_vote",
                "largest_member_capital_share": "21 %",
            }
        )
        assert classify(o, PROFILE, on=ON, fiscal_year=2023).verdict is Verdict.DOES_NOT_QUALIFY


class TestFoundersAndDividend:
    """s.34 (10 founders) and the ministerial regulation (dividend <= 10 %): unverified values."""

    @pytest.mark.parametrize(
        ("founders", "expected"), [(9, Outcome.NOT_MET), (10, Outcome.MET), (11, Outcome.MET)]
    )
    def test_founders_boundary(self, founders: int, expected: Outcome) -> None:
        """s.34: at least 10 founders (medium confidence)."""
        o = org(membership={"founding_members": founders})
        assert outcome(o, "th-coop-founders", AS_WRITTEN) is expected
        assert outcome(o, "th-coop-founders") is Outcome.UNKNOWN  # not verified

    @pytest.mark.parametrize(
        ("rate", "expected"),
        [("9.99 %", Outcome.MET), ("10 %", Outcome.MET), ("10.01 %", Outcome.NOT_MET)],
    )
    def test_dividend_boundary(self, rate: str, expected: Outcome) -> None:
        """Ministerial regulation: dividend on paid-up shares not exceeding 10 % a year."""
        o = org(finances={"2023": {"dividend_rate": rate}})
        assert outcome(o, "th-coop-dividend-cap", AS_WRITTEN) is expected
        assert outcome(o, "th-coop-dividend-cap") is Outcome.UNKNOWN  # not verified


class TestUnverifiedReserve:
    """s.60 (reserve, low confidence): unresolved, so a compliant cooperative is undetermined."""

    def test_compliant_cooperative_is_undetermined(self) -> None:
        """s.60: the reserve minimum is not confirmed; the result names it."""
        c = classify(org(), PROFILE, on=ON, fiscal_year=2023, assumptions=AS_WRITTEN)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("th-coop-reserve",)
        assert c.settlement.missing_facts == ()

    def test_missing_founders_are_named(self) -> None:
        """s.34: an unknown founder count is a missing fact."""
        c = classify(org(membership={}), PROFILE, on=ON, fiscal_year=2023, assumptions=AS_WRITTEN)
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["membership.founding_members"]


class TestRegistrationAndDates:
    """s.33 registration; s.2 entry into force the day after publication (day unverified)."""

    def test_other_form_fails(self) -> None:
        """s.33: a limited company is not a cooperative."""
        c = classify(org(legal_form="th/limited-company"), PROFILE, on=ON, fiscal_year=2023)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("th-coop-registered").outcome is Outcome.NOT_MET

    def test_1999_is_undetermined(self) -> None:
        """s.2: in 1999 the day of entry into force is unknown."""
        c = classify(org(), PROFILE, on=date(1999, 6, 1), fiscal_year=2023)
        assert c.version == "gazette-day-unverified"
        assert c.criterion("th-coop-in-force").outcome is Outcome.UNKNOWN
