"""Golden tests: eu/eusef (Regulation (EU) No 346/2013 Art. 3(1)(d))."""

from datetime import date
from typing import Any

from sse_model import Assumptions, Organisation, Outcome, Verdict, classify, structure

#: the unverified rules applied as written (by default they give unknown)
AS_WRITTEN = Assumptions(unverified_as_written=True)

PROFILE = "eu/eusef"

BASE: dict[str, Any] = {
    "id": "eu-1",
    "name": "Impact SARL",
    "country": "FR",
    "legal_form": "fr/sarl",
    "purpose": {"social": True, "primary": ["job_provision"]},
    "statutes": {"profit_rule": "limited", "required_clauses": True},
    "governance": {"stakeholder_participation": True, "listed_on_market": False},
}


def org(**changes: Any) -> Organisation:
    return structure({**BASE, **changes}, Organisation)


class TestQualifyingUndertaking:
    """Art. 3(1)(d)(i)-(v)."""

    def test_qualifies(self) -> None:
        """An unlisted EU undertaking meeting (ii)-(v) qualifies."""
        assert (
            classify(org(), PROFILE, on=date(2024, 1, 1), assumptions=AS_WRITTEN).verdict
            is Verdict.QUALIFIES
        )

    def test_listing_before_and_after_2018(self) -> None:
        """Art. 3(1)(d)(i): listed fails under the 2013 text; from 2018-03-01 it is undetermined."""
        listed = org(governance={"stakeholder_participation": True, "listed_on_market": True})
        assert classify(listed, PROFILE, on=date(2018, 2, 28)).verdict is Verdict.DOES_NOT_QUALIFY
        after = classify(listed, PROFILE, on=date(2018, 3, 1))
        assert after.verdict is Verdict.UNDETERMINED
        assert after.criterion("eusef-listing-2018").outcome is Outcome.UNKNOWN

    def test_third_country(self) -> None:
        """Art. 3(1)(d)(v): a third-country undertaking is undetermined (conditions not modelled)."""
        c = classify(org(country="VN", legal_form="vn/jsc"), PROFILE, on=date(2024, 1, 1))
        assert c.criterion("eusef-established").outcome is Outcome.UNKNOWN

    def test_no_stakeholder_involvement(self) -> None:
        """Art. 3(1)(d)(iv): without stakeholder involvement it does not qualify."""
        c = classify(
            org(governance={"stakeholder_participation": False, "listed_on_market": False}),
            PROFILE,
            on=date(2024, 1, 1),
        )
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_before_application(self) -> None:
        """The Regulation applies from 2013-07-22."""
        import pytest

        from sse_model import NoVersionInForce

        with pytest.raises(NoVersionInForce):
            classify(org(), PROFILE, on=date(2013, 7, 21))
