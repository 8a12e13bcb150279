"""Golden tests: Mongolia, Cambodia and the Thai cooperative and tax profiles."""

from datetime import date
from typing import Any, ClassVar

import pytest

from sse_model import Assumptions, Organisation, Outcome, Verdict, classify, structure

#: the unverified rules applied as written (by default they give unknown)
AS_WRITTEN = Assumptions(unverified_as_written=True)


def org(**data: Any) -> Organisation:
    return structure({"id": "x", "name": "X", **data}, Organisation)


class TestMongoliaSocialEnterprise:
    """mn/social-enterprise: no verified criteria (research §10.2)."""

    def test_always_undetermined_with_the_reason(self) -> None:
        """Law on Supporting Employment Art. 3 (not verified): nothing can decide."""
        c = classify(
            org(country="MN", legal_form="mn/llc"), "mn/social-enterprise", on=date(2025, 1, 1)
        )
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("mn-se-definition",)
        assert c.settlement.missing_facts == ()
        assert "could be verified" in (c.criterion("mn-se-definition").reason or "")


class TestMongoliaCooperative:
    """mn/cooperative: Law on Cooperatives 2021, Arts. 2, 3.1."""

    COOP: ClassVar[dict[str, Any]] = {
        "country": "MN",
        "legal_form": "mn/cooperative",
        "registration": {"registered_on": "2015-03-01"},
        "governance": {"voting_rule": "one_member_one_vote"},
        "membership": {"founding_members": 9},
    }
    #: the founders' minimum (unverified for 2021) adopted as in the 1998 law
    NINE = Assumptions(readings={"mn-coop-min-founders": "nine-as-in-1998"})

    def test_qualifies(self) -> None:
        """Art. 2 and 3.1: a registered, democratically governed cooperative (founders adopted)."""
        assert (
            classify(
                org(**self.COOP), "mn/cooperative", on=date(2023, 1, 1), assumptions=self.NINE
            ).verdict
            is Verdict.QUALIFIES
        )

    def test_unverified_founders_rule_leaves_it_undetermined(self) -> None:
        """Founding article (2021, not verified): by default the verdict names the rule."""
        c = classify(org(**self.COOP), "mn/cooperative", on=date(2023, 1, 1))
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("mn-coop-min-founders",)

    def test_savings_and_credit_excluded(self) -> None:
        """Art. 3.1: savings and credit cooperatives use the 2011 law."""
        c = classify(
            org(**{**self.COOP, "legal_form": "mn/savings-credit-cooperative"}),
            "mn/cooperative",
            on=date(2023, 1, 1),
        )
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_2021_entry_into_force_unverified(self) -> None:
        """The 2021 revision's entry into force is not verified: 2021 is undetermined."""
        assert (
            classify(org(**self.COOP), "mn/cooperative", on=date(2021, 12, 31)).verdict
            is Verdict.UNDETERMINED
        )
        assert (
            classify(
                org(**self.COOP), "mn/cooperative", on=date(2022, 1, 1), assumptions=self.NINE
            ).verdict
            is Verdict.QUALIFIES
        )


class TestCambodiaAgriculturalCooperative:
    """kh/agricultural-cooperative: minimum founders 15 or 25 (unverified)."""

    @pytest.mark.parametrize(
        ("founders", "outcome"),
        [(14, Outcome.NOT_MET), (15, Outcome.UNKNOWN), (24, Outcome.UNKNOWN), (25, Outcome.MET)],
    )
    def test_candidates(self, founders: int, outcome: Outcome) -> None:
        """Founding article (not verified): between the candidates the outcome is unknown."""
        o = org(
            country="KH",
            legal_form="kh/agricultural-cooperative",
            registration={"registered_on": "2015-01-01"},
            membership={"founding_members": founders},
        )
        assert (
            classify(o, "kh/agricultural-cooperative", on=date(2024, 1, 1), assumptions=AS_WRITTEN)
            .criterion("kh-ac-min-founders")
            .outcome
            is outcome
        )

    def test_unregistered(self) -> None:
        """Registration with MAFF is required; a deregistered one fails."""
        o = org(
            country="KH",
            legal_form="kh/agricultural-cooperative",
            registration={"registered_on": "2015-01-01", "deregistered_on": "2020-01-01"},
            membership={"founding_members": 30},
        )
        assert (
            classify(o, "kh/agricultural-cooperative", on=date(2024, 1, 1)).verdict
            is Verdict.DOES_NOT_QUALIFY
        )


class TestCambodiaAssociations:
    """kh/association-ngo: LANGO 2015 (promulgated 2015-08-12)."""

    def test_local_ngo(self) -> None:
        """LANGO definitions: a registered, non-profit local NGO with 3 founders qualifies."""
        o = org(
            country="KH",
            legal_form="kh/local-ngo",
            registration={"registered_on": "2016-01-01"},
            statutes={"profit_rule": "prohibited"},
            membership={"founding_members": 3},
        )
        assert (
            classify(o, "kh/association-ngo", on=date(2024, 1, 1), assumptions=AS_WRITTEN).verdict
            is Verdict.QUALIFIES
        )
        two = org(
            country="KH",
            legal_form="kh/local-ngo",
            registration={"registered_on": "2016-01-01"},
            statutes={"profit_rule": "prohibited"},
            membership={"founding_members": 2},
        )
        assert (
            classify(
                two, "kh/association-ngo", on=date(2024, 1, 1), assumptions=AS_WRITTEN
            ).verdict
            is Verdict.DOES_NOT_QUALIFY
        )

    def test_before_promulgation(self) -> None:
        """No version is in force before 2015-08-12."""
        from sse_model import NoVersionInForce

        with pytest.raises(NoVersionInForce):
            classify(org(country="KH"), "kh/association-ngo", on=date(2015, 8, 11))


class TestThaiCooperative:
    """th/cooperative: Cooperatives Act B.E. 2542 s.33(3)."""

    @pytest.mark.parametrize(
        ("share", "outcome"),
        [("19.99 %", Outcome.MET), ("1/5", Outcome.MET), ("20.01 %", Outcome.NOT_MET)],
    )
    def test_share_cap(self, share: str, outcome: Outcome) -> None:
        """s.33(3): no member above one fifth of paid-up shares."""
        o = org(
            country="TH",
            legal_form="th/cooperative",
            governance={"largest_member_capital_share": share},
        )
        assert (
            classify(o, "th/cooperative", on=date(2024, 1, 1))
            .criterion("th-coop-share-cap")
            .outcome
            is outcome
        )


class TestThaiTaxSE:
    """th/revenue-code-se: Royal Decree No. 621 (in force 2016-08-31)."""

    @pytest.mark.parametrize(
        ("reinvested", "verdict"), [("699", Verdict.DOES_NOT_QUALIFY), ("1000", Verdict.QUALIFIES)]
    )
    def test_reinvest(self, reinvested: str, verdict: Verdict) -> None:
        """RD 621: at least 70 % reinvested (SE); all of it, without payouts (own exemption)."""
        o = org(
            country="TH",
            legal_form="th/limited-company",
            purpose={"primary": ["employment_special_support"]},
            statutes={"profit_rule": "limited"},
            finances={
                "2023": {
                    "profit_after_tax": "1000 THB",
                    "reinvested": f"{reinvested} THB",
                    "dividends": "0 THB",
                    "capital_reduction_payouts": "0 THB",
                }
            },
        )
        assert (
            classify(o, "th/revenue-code-se", on=date(2020, 1, 1), fiscal_year=2023).verdict
            is verdict
        )

    def test_foundation_not_covered(self) -> None:
        """RD 621 covers companies and juristic partnerships, not foundations."""
        o = org(country="TH", legal_form="th/foundation")
        assert (
            classify(o, "th/revenue-code-se", on=date(2024, 1, 1)).verdict
            is Verdict.DOES_NOT_QUALIFY
        )

    def test_before_the_decree(self) -> None:
        """No version before 2016-08-31."""
        from sse_model import NoVersionInForce

        with pytest.raises(NoVersionInForce):
            classify(org(country="TH"), "th/revenue-code-se", on=date(2016, 8, 30))
