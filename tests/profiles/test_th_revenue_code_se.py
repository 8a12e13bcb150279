"""Golden tests: th/revenue-code-se (Royal Decree No. 621, 2016, and No. 735, 2021)."""

from datetime import date
from typing import Any

import pytest

from sse_model import (
    Classification,
    NoVersionInForce,
    Organisation,
    Outcome,
    Verdict,
    classify,
    structure,
)

PROFILE = "th/revenue-code-se"
RD621 = date(2020, 6, 30)
TRANSITION = date(2021, 6, 30)
RD735 = date(2024, 6, 30)

REGISTERED = {
    "kind": "th/registered-social-enterprise",
    "granted_on": "2020-01-15",
    "indefinite": True,
}


def org(
    reinvested: str = "1000",
    profit_rule: str = "limited",
    registered: bool = False,
    **changes: Any,
) -> Organisation:
    data: dict[str, Any] = {
        "id": "th-tax-se",
        "name": "Thai tax SE",
        "country": "TH",
        "legal_form": "th/limited-company",
        "purpose": {"primary": ["employment_special_support"]},
        "statutes": {"profit_rule": profit_rule},
        "finances": {
            "2023": {
                "profit_after_tax": "1000 THB",
                "reinvested": f"{reinvested} THB",
                "dividends": "0 THB",
                "capital_reduction_payouts": "0 THB",
            }
        },
        "certifications": [REGISTERED] if registered else [],
        "certifications_complete": True,
    }
    data.update(changes)
    return structure(data, Organisation)


def cls(o: Organisation, on: date) -> Classification:
    """Classify on *on* with the accounts of 2023."""
    return classify(o, PROFILE, on=on, fiscal_year=2023)


class TestRD621Reinvestment:
    """RD 621 (2016-08-31 to 2020): at least 70 % of profits reinvested."""

    @pytest.mark.parametrize(
        ("reinvested", "outcome"),
        [("699", Outcome.NOT_MET), ("700", Outcome.MET), ("701", Outcome.MET)],
    )
    def test_boundary(self, reinvested: str, outcome: Outcome) -> None:
        """RD 621 definition: 'at least 70 %': the boundary meets the SE definition."""
        c = cls(org(reinvested), RD621)
        assert c.version == "rd-621"
        assert c.criterion("th-rd621-reinvest").outcome is outcome

    def test_below_70_does_not_qualify(self) -> None:
        """RD 621 definition: reinvesting 69.9 % is not a social enterprise."""
        assert cls(org("699"), RD621).verdict is Verdict.DOES_NOT_QUALIFY

    def test_missing_profit_names_the_fact(self) -> None:
        """RD 621 definition: an unknown profit is undetermined, and the input is named."""
        o = org(
            finances={
                "2023": {
                    "reinvested": "700 THB",
                    "dividends": "0 THB",
                    "capital_reduction_payouts": "0 THB",
                }
            }
        )
        c = cls(o, RD621)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["finances[2023].profit_after_tax"]

    def test_foundation_not_covered(self) -> None:
        """RD 621 definition: companies and juristic partnerships only."""
        c = cls(org(legal_form="th/foundation"), RD621)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("th-rd621-company").outcome is Outcome.NOT_MET

    def test_before_the_decree(self) -> None:
        """RD 621 in force 2016-08-31: no version the day before."""
        assert cls(org(), date(2016, 8, 31)).verdict is Verdict.QUALIFIES
        with pytest.raises(NoVersionInForce):
            cls(org(), date(2016, 8, 30))


class TestRD735:
    """RD 735 (from 2022 in this profile): OSEP-registered, non-profit-distributing SEs."""

    def test_registered_non_profit_qualifies(self) -> None:
        """RD 735: a registered non-profit-distributing company is exempt."""
        o = org(reinvested="0", profit_rule="prohibited", registered=True)
        c = cls(o, RD735)
        assert c.version == "rd-735"
        assert c.verdict is Verdict.QUALIFIES

    def test_profit_sharing_meeting_rd621_is_undetermined(self) -> None:
        """RD 735 exempts only the non-profit type; whether RD 621 still applies is unverified."""
        c = cls(org(registered=True), RD735)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.criterion("th-rd735-non-profit-type").outcome is Outcome.NOT_MET
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("th-rd621-after-735",)

    def test_neither_decree_met_fails(self) -> None:
        """RD 735 and RD 621: a profit-sharing SE reinvesting 69.9 % qualifies under neither."""
        c = cls(org("699", registered=True), RD735)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_unregistered_non_profit_is_undetermined(self) -> None:
        """RD 735: without OSEP registration, only RD 621 could apply (unverified)."""
        o = org(profit_rule="prohibited", registered=False)
        c = cls(o, RD735)
        assert c.criterion("th-rd735-osep").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.UNDETERMINED

    def test_foundation_not_covered(self) -> None:
        """RD 735: foundations and associations are not covered."""
        o = org(legal_form="th/foundation", profit_rule="prohibited", registered=True)
        assert cls(o, RD735).verdict is Verdict.DOES_NOT_QUALIFY


class TestTransition2021:
    """RD 735 took effect on a day of 2021 that is not verified."""

    def test_both_decrees_met_qualifies(self) -> None:
        """2021: meeting RD 621 and RD 735 qualifies whatever the day."""
        o = org(profit_rule="prohibited", registered=True)
        c = cls(o, TRANSITION)
        assert c.version == "rd-735-day-unverified"
        assert c.verdict is Verdict.QUALIFIES

    def test_neither_met_fails(self) -> None:
        """2021: meeting neither decree fails whatever the day."""
        assert cls(org("699"), TRANSITION).verdict is Verdict.DOES_NOT_QUALIFY

    def test_only_rd621_met_is_undetermined(self) -> None:
        """2021: RD 621 met, RD 735 not: the day of change decides, and it is unverified."""
        o = org()
        before = cls(o, date(2020, 12, 31))
        during = cls(o, TRANSITION)
        assert before.verdict is Verdict.QUALIFIES
        assert during.verdict is Verdict.UNDETERMINED
        assert during.settlement is not None
        assert set(during.settlement.unresolvable) <= {"th-rd735-in-force", "th-rd621-after-735"}
        assert during.settlement.unresolvable

    def test_only_rd735_met_is_undetermined(self) -> None:
        """2021: RD 735 met, RD 621 not (reinvests 0 %): undetermined; from 2022 it qualifies."""
        o = org("0", profit_rule="prohibited", registered=True)
        assert cls(o, TRANSITION).verdict is Verdict.UNDETERMINED
        assert cls(o, date(2022, 1, 1)).verdict is Verdict.QUALIFIES
