"""Golden tests: vn/cooperative (Law on Cooperatives 2012 Art. 3(1); 2023 Arts. 4(7), 8)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Assumptions, Organisation, Outcome, Verdict, classify, structure

#: the unverified rules applied as written (by default they give unknown)
AS_WRITTEN = Assumptions(unverified_as_written=True)

PROFILE = "vn/cooperative"


def org(members: int = 5, **changes: Any) -> Organisation:
    data: dict[str, Any] = {
        "id": "vn-coop",
        "name": "HTX",
        "country": "VN",
        "legal_form": "vn/cooperative",
        "membership": {"voluntary": True, "open": True, "founding_members": members},
        "governance": {
            "members": members,
            "voting_rule": "one_member_one_vote",
            "largest_member_capital_share": "30 %",
            "foreign_capital_share": "30 %",
        },
    }
    data.update(changes)
    return structure(data, Organisation)


class TestMinimumMembers:
    """Law 2012 Art. 3(1): >= 7 founders; Law 2023 Art. 4(7): >= 5 official founding members."""

    @pytest.mark.parametrize(
        ("members", "outcome"), [(4, Outcome.NOT_MET), (5, Outcome.MET), (6, Outcome.MET)]
    )
    def test_2023_boundary(self, members: int, outcome: Outcome) -> None:
        """Law 2023 Art. 4(7): 4, 5 and 6 members."""
        assert (
            classify(org(members), PROFILE, on=date(2024, 7, 1))
            .criterion("vn-coop-members-2023")
            .outcome
            is outcome
        )

    @pytest.mark.parametrize(
        ("members", "outcome"), [(6, Outcome.NOT_MET), (7, Outcome.MET), (8, Outcome.MET)]
    )
    def test_2012_boundary(self, members: int, outcome: Outcome) -> None:
        """Law 2012 Art. 3(1): 6, 7 and 8 members."""
        assert (
            classify(org(members), PROFILE, on=date(2024, 6, 30))
            .criterion("vn-coop-members-2012")
            .outcome
            is outcome
        )

    def test_both_sides_of_2024_07_01(self) -> None:
        """Six members: not enough under the 2012 law, enough under the 2023 law."""
        assert (
            classify(org(6), PROFILE, on=date(2024, 6, 30), assumptions=AS_WRITTEN).verdict
            is Verdict.DOES_NOT_QUALIFY
        )
        assert (
            classify(org(6), PROFILE, on=date(2024, 7, 1), assumptions=AS_WRITTEN).verdict
            is Verdict.QUALIFIES
        )


class TestCapitalCaps:
    """Law 2023 (capital article, unverified): one member <= 30 %, foreign members <= 30 %."""

    @pytest.mark.parametrize(
        ("share", "outcome"),
        [("29 %", Outcome.MET), ("30 %", Outcome.MET), ("31 %", Outcome.NOT_MET)],
    )
    def test_single_member(self, share: str, outcome: Outcome) -> None:
        """One member's capital at, below and above 30 %."""
        gov = {
            "members": 9,
            "voting_rule": "one_member_one_vote",
            "largest_member_capital_share": share,
            "foreign_capital_share": "0",
        }
        c = classify(org(governance=gov), PROFILE, on=date(2025, 1, 1), assumptions=AS_WRITTEN)
        assert c.criterion("vn-coop-member-capital-cap").outcome is outcome

    @pytest.mark.parametrize(
        ("share", "outcome"),
        [("29 %", Outcome.MET), ("30 %", Outcome.MET), ("31 %", Outcome.NOT_MET)],
    )
    def test_foreign(self, share: str, outcome: Outcome) -> None:
        """Foreign members' capital at, below and above 30 %."""
        gov = {
            "members": 9,
            "voting_rule": "one_member_one_vote",
            "largest_member_capital_share": "10 %",
            "foreign_capital_share": share,
        }
        c = classify(org(governance=gov), PROFILE, on=date(2025, 1, 1), assumptions=AS_WRITTEN)
        assert c.criterion("vn-coop-foreign-capital-cap").outcome is outcome

    def test_unverified_flag_is_reported(self) -> None:
        """The capital caps come from a press report: the results say so."""
        c = classify(org(), PROFILE, on=date(2025, 1, 1))
        assert c.criterion("vn-coop-member-capital-cap").status.value == "unverified"


class TestPrinciples:
    """Law 2023 Art. 8: voluntary open membership; equal votes."""

    def test_missing_openness_is_undetermined(self) -> None:
        """Art. 8(1): on observed facts, with openness unknown the verdict is undetermined
        and names the fact; the Law's own Art. 8(1) guarantees openness for every
        cooperative, so with legal presumptions it qualifies, resting on them (the
        unverified capital caps adopted as written, so that they can decide)."""
        o = org(membership={"voluntary": True, "founding_members": 5})
        c = classify(o, PROFILE, on=date(2025, 1, 1), presumptions=False, assumptions=AS_WRITTEN)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["membership.open"]
        presumed = classify(o, PROFILE, on=date(2025, 1, 1), assumptions=AS_WRITTEN)
        assert presumed.verdict is Verdict.QUALIFIES and presumed.rests_on_presumptions

    def test_company_is_not_a_cooperative(self) -> None:
        """Art. 4(7): a joint stock company is not a cooperative."""
        assert (
            classify(org(legal_form="vn/jsc"), PROFILE, on=date(2025, 1, 1)).verdict
            is Verdict.DOES_NOT_QUALIFY
        )


class TestFoundersAndCurrentMembers:
    """Law 2012 Art. 3(1) and 54(2), Law 2023 Art. 4(7): founders, then members kept."""

    def test_founders_decide_not_current_members(self) -> None:
        """Law 2023 Art. 4(7): 'established by at least 5': 4 founders fail though 9 members now."""
        o = org(9, membership={"voluntary": True, "open": True, "founding_members": 4})
        c = classify(o, PROFILE, on=date(2024, 7, 1))
        assert c.criterion("vn-coop-members-2023").outcome is Outcome.NOT_MET

    def test_unknown_founders_are_unknown(self) -> None:
        """Law 2023 Art. 4(7): current members do not stand for unknown founders."""
        o = org(9, membership={"voluntary": True, "open": True})
        c = classify(o, PROFILE, on=date(2024, 7, 1))
        assert c.criterion("vn-coop-members-2023").outcome is Outcome.UNKNOWN

    @pytest.mark.parametrize(
        ("members", "outcome"), [(6, Outcome.UNKNOWN), (7, Outcome.MET), (8, Outcome.MET)]
    )
    def test_2012_minimum_kept(self, members: int, outcome: Outcome) -> None:
        """Law 2012 Art. 54(2): below 7 members now, dissolution only after 12 months: unknown."""
        o = org(members, membership={"voluntary": True, "open": True, "founding_members": 7})
        c = classify(o, PROFILE, on=date(2024, 6, 30))
        assert c.criterion("vn-coop-members-kept-2012").outcome is outcome

    def test_members_kept_not_tested_from_2024_07_01(self) -> None:
        """Law 2023: the 2012 Art. 54(2) rule ends on 2024-06-30; no current-member test after."""
        c = classify(org(5), PROFILE, on=date(2024, 7, 1))
        assert "vn-coop-members-kept-2012" not in [r.id for r in c.criteria]
