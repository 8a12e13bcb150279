"""Golden tests: the Asian statuses and profiles added or changed for issue 15.

Cambodia (no legal category of social enterprise), Mongolia (savings and credit cooperatives,
the primary cooperative's founders), Viet Nam (associations under Decrees 45/2010 and 126/2024,
social and charity funds under Decrees 93/2019 and 03/2026) and Thailand (the social
enterprise group; the cooperative reserve of s.60), at and around every boundary and on both
sides of every dated change.
"""

from datetime import date
from typing import Any

import pytest

from sse_model import (
    Assumptions,
    InvalidInput,
    NoVersionInForce,
    Organisation,
    Outcome,
    TerritorialLevel,
    Verdict,
    classify,
    from_json,
    structure,
    to_json,
)

#: the unverified rules applied as written (by default they give unknown)
AS_WRITTEN = Assumptions(unverified_as_written=True)


def org(**data: Any) -> Organisation:
    return structure({"id": "x", "name": "X", **data}, Organisation)


def outcome(
    o: Organisation,
    profile: str,
    criterion: str,
    on: date,
    assumptions: Assumptions | None = None,
    fiscal_year: int | None = None,
) -> Outcome:
    c = classify(o, profile, on=on, assumptions=assumptions, fiscal_year=fiscal_year)
    return c.criterion(criterion).outcome


class TestCambodiaSocialEnterprise:
    """kh/social-enterprise: Cambodian law has no legal category of social enterprise."""

    def test_always_undetermined_with_the_reason(self) -> None:
        """ICSEM WP 2015-05 §1: no law defines a social enterprise, so nothing decides."""
        o = org(country="KH", legal_form="kh/private-limited-company", purpose={"social": True})
        for on in (date(1995, 1, 1), date(2026, 12, 1)):
            c = classify(o, "kh/social-enterprise", on=on)
            assert c.verdict is Verdict.UNDETERMINED
            assert c.settlement is not None
            assert c.settlement.unresolvable == ("kh-se-legal-category",)
            assert c.settlement.missing_facts == ()

    def test_adopting_unverified_rules_changes_nothing(self) -> None:
        """No legal category: even adopted as written the rule stays unresolved, with its reason."""
        c = classify(
            org(country="KH"), "kh/social-enterprise", on=date(2025, 1, 1), assumptions=AS_WRITTEN
        )
        assert c.verdict is Verdict.UNDETERMINED
        assert "no legal category" in (c.criterion("kh-se-legal-category").reason or "")

    def test_outside_cambodia(self) -> None:
        """Scope: an organisation of another country does not qualify under Cambodian law."""
        c = classify(org(country="TH"), "kh/social-enterprise", on=date(2025, 1, 1))
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


def scc(**changes: Any) -> Organisation:
    data: dict[str, Any] = {
        "country": "MN",
        "legal_form": "mn/savings-credit-cooperative",
        "registration": {"registered_on": "2015-01-01"},
        "membership": {"founding_members": 20},
        "certifications": [
            {"kind": "mn/scc-licence", "granted_on": "2015-02-01", "indefinite": True}
        ],
        "certifications_complete": True,
    }
    data.update(changes)
    return org(**data)


class TestMongoliaSavingsCredit:
    """mn/savings-credit-cooperative: Law on Savings and Credit Cooperatives (27 Oct 2011)."""

    PROFILE = "mn/savings-credit-cooperative"
    ON = date(2019, 1, 1)

    def test_qualifies_with_the_unverified_founders_rule_adopted(self) -> None:
        """Art. 3.1.1: a registered, licensed, democratic cooperative serving its members."""
        assert (
            classify(scc(), self.PROFILE, on=self.ON, assumptions=AS_WRITTEN).verdict
            is Verdict.QUALIFIES
        )

    def test_founders_rule_is_unverified(self) -> None:
        """Founding article (not read): by default the 20-citizen minimum decides nothing."""
        c = classify(scc(), self.PROFILE, on=self.ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("mn-scc-founders",)

    @pytest.mark.parametrize(
        ("founders", "expected"), [(19, Outcome.NOT_MET), (20, Outcome.MET), (21, Outcome.MET)]
    )
    def test_founders_boundary(self, founders: int, expected: Outcome) -> None:
        """Founding article (as reported): at least 20 founding citizens."""
        o = scc(membership={"founding_members": founders})
        assert outcome(o, self.PROFILE, "mn-scc-founders", self.ON, AS_WRITTEN) is expected

    def test_registration_without_licence_fails(self) -> None:
        """Art. 13.2: registration is no basis for savings and credit activity; the licence is."""
        o = scc(certifications=[])
        assert outcome(o, self.PROFILE, "mn-scc-licensed", self.ON) is Outcome.NOT_MET
        assert (
            classify(o, self.PROFILE, on=self.ON, assumptions=AS_WRITTEN).verdict
            is Verdict.DOES_NOT_QUALIFY
        )

    def test_revoked_licence_fails_from_the_revocation(self) -> None:
        """Art. 3.1.1 (licensed services): a licence revoked on 2019-01-01 counts until the day before."""
        cert = {
            "kind": "mn/scc-licence",
            "granted_on": "2015-02-01",
            "indefinite": True,
            "revoked_on": "2019-01-01",
        }
        o = scc(certifications=[cert])
        assert outcome(o, self.PROFILE, "mn-scc-licensed", date(2018, 12, 31)) is Outcome.MET
        assert outcome(o, self.PROFILE, "mn-scc-licensed", date(2019, 1, 1)) is Outcome.NOT_MET

    def test_other_form_fails(self) -> None:
        """Art. 3.1.1: a general cooperative is not a savings and credit cooperative."""
        o = scc(legal_form="mn/cooperative")
        assert outcome(o, self.PROFILE, "mn-scc-registered", self.ON) is Outcome.NOT_MET

    def test_entry_into_force_unverified_until_2018_06_29(self) -> None:
        """Final provisions (not verified): taken as in force from FRC Resolution 246 (2018-06-29)."""
        before = classify(scc(), self.PROFILE, on=date(2018, 6, 28), assumptions=AS_WRITTEN)
        after = classify(scc(), self.PROFILE, on=date(2018, 6, 29), assumptions=AS_WRITTEN)
        assert (before.version, before.verdict) == ("adopted-2011", Verdict.UNDETERMINED)
        assert before.criterion("mn-scc-in-force").outcome is Outcome.UNKNOWN
        assert (after.version, after.verdict) == ("2011", Verdict.QUALIFIES)

    def test_before_the_law(self) -> None:
        """No version before the Law's date, 27 Oct 2011."""
        with pytest.raises(NoVersionInForce):
            classify(scc(), self.PROFILE, on=date(2011, 10, 26))


def coop(founders: int | None) -> Organisation:
    return org(
        country="MN",
        legal_form="mn/cooperative",
        registration={"registered_on": "2015-03-01"},
        governance={"voting_rule": "one_member_one_vote"},
        membership={"founding_members": founders},
    )


class TestMongoliaCooperativeFounders:
    """mn/cooperative: 9 founding citizens under the 1998 law; the 2021 law was not verified."""

    ON = date(2023, 1, 1)
    RULE = "mn-coop-min-founders"

    @pytest.mark.parametrize(
        ("founders", "expected"), [(8, Outcome.UNKNOWN), (9, Outcome.MET), (10, Outcome.MET)]
    )
    def test_as_written(self, founders: int, expected: Outcome) -> None:
        """Founding article (2021, not verified): 9 or more meets it under either reading."""
        assert (
            outcome(coop(founders), "mn/cooperative", self.RULE, self.ON, AS_WRITTEN) is expected
        )

    @pytest.mark.parametrize(("founders", "expected"), [(8, Outcome.NOT_MET), (9, Outcome.MET)])
    def test_reading_nine_as_in_1998(self, founders: int, expected: Outcome) -> None:
        """1998 law (e-khutuch.mn): a primary cooperative needs at least 9 citizens."""
        a = Assumptions(readings={self.RULE: "nine-as-in-1998"})
        assert outcome(coop(founders), "mn/cooperative", self.RULE, self.ON, a) is expected

    def test_reading_no_minimum(self) -> None:
        """Reading 'no-minimum': the 2021 law sets none, so one founder is enough."""
        a = Assumptions(readings={self.RULE: "no-minimum"})
        assert outcome(coop(1), "mn/cooperative", self.RULE, self.ON, a) is Outcome.MET

    def test_unknown_by_default(self) -> None:
        """Unverified: by default even 30 founders leave the rule unknown ("rule not verified")."""
        assert outcome(coop(30), "mn/cooperative", self.RULE, self.ON) is Outcome.UNKNOWN


def association(level: str | None, founders: int | None, **changes: Any) -> Organisation:
    data: dict[str, Any] = {
        "country": "VN",
        "legal_form": "vn/association",
        "registration": {"registered_on": "2012-01-01", "territorial_level": level},
        "membership": {"founding_members": founders, "voluntary": True},
        "statutes": {"profit_rule": "prohibited"},
    }
    data.update(changes)
    return org(**data)


#: the founders of a hội, not a hiệp hội of economic organisations
HOI = Assumptions(
    readings={
        "vn-assoc-founders-2010": "not-economic-association",
        "vn-assoc-founders-2024": "not-economic-association",
    }
)


class TestVietNamAssociationFounders2010:
    """vn/association, Decree 45/2010/ND-CP Art. 5 (1 Jul 2010 to 25 Nov 2024)."""

    ON = date(2020, 1, 1)
    RULE = "vn-assoc-founders-2010"

    @pytest.mark.parametrize(
        ("level", "founders", "expected"),
        [
            ("national", 10, Outcome.NOT_MET),
            ("national", 11, Outcome.UNKNOWN),
            ("national", 99, Outcome.UNKNOWN),
            ("national", 100, Outcome.MET),
            ("provincial", 4, Outcome.NOT_MET),
            ("provincial", 5, Outcome.UNKNOWN),
            ("provincial", 49, Outcome.UNKNOWN),
            ("provincial", 50, Outcome.MET),
            ("district", 19, Outcome.NOT_MET),
            ("district", 20, Outcome.MET),
            ("commune", 9, Outcome.NOT_MET),
            ("commune", 10, Outcome.MET),
        ],
    )
    def test_by_level(self, level: str, founders: int, expected: Outcome) -> None:
        """Art. 5: 100 / 50 / 20 / 10 founders; hiệp hội 11 (nationwide) and 5 (province) between."""
        assert (
            outcome(association(level, founders), "vn/association", self.RULE, self.ON) is expected
        )

    @pytest.mark.parametrize(
        ("level", "founders", "expected"),
        [
            ("national", 99, Outcome.NOT_MET),
            ("national", 100, Outcome.MET),
            ("provincial", 49, Outcome.NOT_MET),
        ],
    )
    def test_reading_not_economic_association(
        self, level: str, founders: int, expected: Outcome
    ) -> None:
        """Art. 5: for a hội (not a hiệp hội) the minimums are 100 nationwide and 50 in a province."""
        assert (
            outcome(association(level, founders), "vn/association", self.RULE, self.ON, HOI)
            is expected
        )

    @pytest.mark.parametrize(
        ("founders", "expected"), [(3, Outcome.NOT_MET), (30, Outcome.UNKNOWN), (100, Outcome.MET)]
    )
    def test_unknown_level(self, founders: int, expected: Outcome) -> None:
        """Art. 5: without the level, the rule is decided only where every level agrees."""
        assert (
            outcome(association(None, founders), "vn/association", self.RULE, self.ON) is expected
        )


class TestVietNamAssociationFounders2024:
    """vn/association, Decree 126/2024/ND-CP Art. 10(6) (from 26 Nov 2024)."""

    ON = date(2025, 6, 1)
    RULE = "vn-assoc-founders-2024"

    @pytest.mark.parametrize(
        ("level", "founders", "expected"),
        [
            ("national", 99, Outcome.UNKNOWN),
            ("national", 100, Outcome.MET),
            ("provincial", 4, Outcome.UNKNOWN),
            ("provincial", 50, Outcome.MET),
            ("district", 19, Outcome.NOT_MET),
            ("district", 20, Outcome.MET),
            ("commune", 9, Outcome.NOT_MET),
            ("commune", 10, Outcome.MET),
        ],
    )
    def test_by_level(self, level: str, founders: int, expected: Outcome) -> None:
        """Art. 10(6): 100 / 50 / 20 / 10; below 100 and 50 the hiệp hội part was not read."""
        assert (
            outcome(association(level, founders), "vn/association", self.RULE, self.ON) is expected
        )

    @pytest.mark.parametrize(
        ("level", "founders", "expected"),
        [
            ("national", 99, Outcome.NOT_MET),
            ("provincial", 49, Outcome.NOT_MET),
            ("provincial", 50, Outcome.MET),
        ],
    )
    def test_reading_not_economic_association(
        self, level: str, founders: int, expected: Outcome
    ) -> None:
        """Art. 10(6): adopted as a hội, below 100 nationwide or 50 in a province fails."""
        assert (
            outcome(association(level, founders), "vn/association", self.RULE, self.ON, HOI)
            is expected
        )


class TestVietNamAssociationDates:
    """vn/association: Decree 45/2010 (from 1 Jul 2010) replaced by Decree 126/2024 on 26 Nov 2024."""

    def test_decree_changes_on_2024_11_26(self) -> None:
        """Decree 126/2024: a provincial association of 4 founders fails under 45/2010, is open after."""
        o = association("provincial", 4)
        before = classify(o, "vn/association", on=date(2024, 11, 25))
        after = classify(o, "vn/association", on=date(2024, 11, 26))
        assert before.version == "decree-45-2010"
        assert before.criterion("vn-assoc-founders-2010").outcome is Outcome.NOT_MET
        assert before.verdict is Verdict.DOES_NOT_QUALIFY
        assert after.version == "decree-126-2024"
        assert after.criterion("vn-assoc-founders-2024").outcome is Outcome.UNKNOWN
        assert after.verdict is Verdict.UNDETERMINED

    def test_qualifies_on_both_sides(self) -> None:
        """Art. 5 / Art. 10(6): a provincial hội with 50 founders qualifies under both decrees."""
        registration = {"registered_on": "2010-07-01", "territorial_level": "provincial"}
        o = association("provincial", 50, registration=registration)
        for on in (date(2010, 7, 1), date(2024, 11, 25), date(2024, 11, 26)):
            assert classify(o, "vn/association", on=on).verdict is Verdict.QUALIFIES

    def test_before_decree_45_2010(self) -> None:
        """No version before Decree 45/2010 entered into force on 1 Jul 2010."""
        with pytest.raises(NoVersionInForce):
            classify(association("provincial", 50), "vn/association", on=date(2010, 6, 30))

    def test_presumed_from_the_legal_form(self) -> None:
        """Art. 3(1) (45/2010 Art. 2(1)): voluntary and not for profit are presumed from the form."""
        o = association("commune", 10, membership={"founding_members": 10}, statutes={})
        c = classify(o, "vn/association", on=date(2025, 1, 1))
        assert c.verdict is Verdict.QUALIFIES
        assert c.rests_on_presumptions

    def test_distributing_statutes_fail(self) -> None:
        """Art. 3(1): statutes allowing distribution contradict 'not for profit'."""
        o = association("commune", 10, statutes={"profit_rule": "unrestricted"})
        c = classify(o, "vn/association", on=date(2025, 1, 1))
        assert c.criterion("vn-assoc-not-for-profit").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


def fund(**changes: Any) -> Organisation:
    data: dict[str, Any] = {
        "country": "VN",
        "legal_form": "vn/social-fund",
        "registration": {"registered_on": "2015-01-01"},
        "purpose": {"general_interest": True},
        "statutes": {"profit_rule": "prohibited"},
    }
    data.update(changes)
    return org(**data)


class TestVietNamFunds:
    """vn/social-charity-fund: Decree 93/2019/ND-CP, replaced by Decree 03/2026/ND-CP on 1 Mar 2026."""

    PROFILE = "vn/social-charity-fund"

    def test_decree_changes_on_2026_03_01(self) -> None:
        """Decree 03/2026: from 1 Mar 2026 its rules replace those of Decree 93/2019 Arts. 3-4."""
        before = classify(fund(), self.PROFILE, on=date(2026, 2, 28))
        after = classify(fund(), self.PROFILE, on=date(2026, 3, 1))
        assert (before.version, before.verdict) == ("decree-93-2019", Verdict.QUALIFIES)
        assert (after.version, after.verdict) == ("decree-03-2026", Verdict.QUALIFIES)
        assert {c.id for c in before.criteria} >= {
            "vn-fund-2019-licensed",
            "vn-fund-2019-not-for-profit",
        }
        assert not any(c.id.startswith("vn-fund-2026") for c in before.criteria)
        assert {c.id for c in after.criteria} >= {
            "vn-fund-2026-licensed",
            "vn-fund-2026-not-for-profit",
        }
        assert not any(c.id.startswith("vn-fund-2019") for c in after.criteria)

    @pytest.mark.parametrize("on", [date(2026, 2, 28), date(2026, 3, 1)])
    def test_profit_distribution_fails(self, on: date) -> None:
        """Decree 93/2019 Art. 3 / Decree 03/2026 principles: funds operate not for profit."""
        o = fund(statutes={"profit_rule": "limited"})
        assert classify(o, self.PROFILE, on=on).verdict is Verdict.DOES_NOT_QUALIFY

    @pytest.mark.parametrize("on", [date(2026, 2, 28), date(2026, 3, 1)])
    def test_other_form_fails(self, on: date) -> None:
        """Decree 93/2019 Art. 4(1) / Decree 03/2026 definitions: a licensed fund, not an association."""
        o = fund(legal_form="vn/association")
        assert classify(o, self.PROFILE, on=on).verdict is Verdict.DOES_NOT_QUALIFY

    def test_dissolved_fund_fails(self) -> None:
        """Decree 03/2026 definitions: a fund dissolved before the date is no longer licensed."""
        o = fund(registration={"registered_on": "2015-01-01", "deregistered_on": "2026-03-01"})
        assert classify(o, self.PROFILE, on=date(2026, 2, 28)).verdict is Verdict.QUALIFIES
        assert classify(o, self.PROFILE, on=date(2026, 3, 1)).verdict is Verdict.DOES_NOT_QUALIFY

    def test_entry_into_force_of_decree_93_unverified(self) -> None:
        """Decree 93/2019 final provisions (not verified): undetermined to 2020, decided from 2021."""
        before = classify(fund(), self.PROFILE, on=date(2020, 12, 31))
        assert before.verdict is Verdict.UNDETERMINED
        assert before.criterion("vn-fund-2019-in-force").outcome is Outcome.UNKNOWN
        assert classify(fund(), self.PROFILE, on=date(2021, 1, 1)).verdict is Verdict.QUALIFIES
        with pytest.raises(NoVersionInForce):
            classify(fund(), self.PROFILE, on=date(2019, 11, 24))


def group(**changes: Any) -> Organisation:
    data: dict[str, Any] = {
        "country": "TH",
        "legal_form": "th/community-enterprise",
        "purpose": {"economic_activity": True, "primary": ["community_social_environment"]},
        "certifications": [
            {
                "kind": "th/registered-social-enterprise-group",
                "granted_on": "2020-01-01",
                "indefinite": True,
            }
        ],
        "certifications_complete": True,
    }
    data.update(changes)
    return org(**data)


class TestThaiSocialEnterpriseGroup:
    """th/social-enterprise-group: SEPA B.E. 2562 s.3 (group, with or without juristic personality)."""

    PROFILE = "th/social-enterprise-group"
    ON = date(2024, 1, 1)

    def test_non_juristic_group_qualifies_as_a_group_only(self) -> None:
        """s.3: a registered group without juristic personality is a group, not a social enterprise."""
        assert classify(group(), self.PROFILE, on=self.ON).verdict is Verdict.QUALIFIES
        se = classify(group(), "th/social-enterprise", on=self.ON, fiscal_year=2023)
        assert se.criterion("th-se-juristic-person").outcome is Outcome.NOT_MET
        assert se.verdict is Verdict.DOES_NOT_QUALIFY

    def test_registration_from_the_grant(self) -> None:
        """s.3: registered as a group on the date (granted 2020-01-01)."""
        assert (
            outcome(group(), self.PROFILE, "th-seg-registered", date(2019, 12, 31))
            is Outcome.NOT_MET
        )
        assert outcome(group(), self.PROFILE, "th-seg-registered", date(2020, 1, 1)) is Outcome.MET

    def test_social_enterprise_registration_is_not_group_registration(self) -> None:
        """s.3: the two registrations differ; a registered social enterprise is not thereby a group."""
        cert = {
            "kind": "th/registered-social-enterprise",
            "granted_on": "2020-01-01",
            "indefinite": True,
        }
        o = group(legal_form="th/limited-company", certifications=[cert])
        assert outcome(o, self.PROFILE, "th-seg-registered", self.ON) is Outcome.NOT_MET

    def test_primary_purpose(self) -> None:
        """s.3: social objectives must be the primary purpose."""
        o = group(purpose={"economic_activity": True, "primary": ["finance_insurance"]})
        assert outcome(o, self.PROFILE, "th-seg-social-objective", self.ON) is Outcome.NOT_MET

    def test_goods_or_services_presumed_from_the_status(self) -> None:
        """s.3: producing or distributing goods or services is presumed from the group's registration."""
        o = group(purpose={"primary": ["public_benefit"]})
        c = classify(o, self.PROFILE, on=self.ON)
        assert c.verdict is Verdict.QUALIFIES
        assert c.rests_on_presumptions

    def test_april_2019_is_undetermined(self) -> None:
        """s.2 (day after publication, not verified): April 2019 undetermined, May 2019 decided."""
        early = group(
            certifications=[
                {
                    "kind": "th/registered-social-enterprise-group",
                    "granted_on": "2019-04-01",
                    "indefinite": True,
                }
            ]
        )
        assert classify(early, self.PROFILE, on=date(2019, 4, 30)).verdict is Verdict.UNDETERMINED
        assert classify(early, self.PROFILE, on=date(2019, 5, 1)).verdict is Verdict.QUALIFIES


def thai_coop(**finances: Any) -> Organisation:
    return org(
        country="TH",
        legal_form="th/cooperative",
        registration={"registered_on": "2010-05-01"},
        governance={"voting_rule": "one_member_one_vote", "largest_member_capital_share": "1/5"},
        membership={"founding_members": 10},
        finances={"2023": {"dividend_rate": "10 %", **finances}},
    )


class TestThaiCooperativeReserve:
    """th/cooperative: Cooperatives Act B.E. 2542 s.60 (reserve), not verified: a reading to adopt."""

    RULE = "th-coop-reserve"
    ON = date(2024, 6, 30)
    TEN = Assumptions(readings={"th-coop-reserve": "10-percent"})

    def test_unresolved_by_default_and_as_written(self) -> None:
        """s.60 (not confirmed): by default and as written the rule is unresolved."""
        o = thai_coop(profit_after_tax="1000 THB", to_reserves="500 THB")
        for a in (None, AS_WRITTEN):
            assert outcome(o, "th/cooperative", self.RULE, self.ON, a, 2023) is Outcome.UNKNOWN

    @pytest.mark.parametrize(
        ("reserve", "expected"),
        [("99", Outcome.NOT_MET), ("100", Outcome.MET), ("101", Outcome.MET)],
    )
    def test_reading_ten_percent(self, reserve: str, expected: Outcome) -> None:
        """s.60 as reported: at least 10 % of the year's net profit to the reserve fund."""
        o = thai_coop(profit_after_tax="1000 THB", to_reserves=f"{reserve} THB")
        assert outcome(o, "th/cooperative", self.RULE, self.ON, self.TEN, 2023) is expected

    def test_reading_in_a_year_without_profit(self) -> None:
        """s.60 as reported: the allocation is owed only when the year shows a net profit."""
        o = thai_coop(profit_after_tax="-50 THB", to_reserves="0 THB")
        assert outcome(o, "th/cooperative", self.RULE, self.ON, self.TEN, 2023) is Outcome.MET

    def test_compliant_cooperative_qualifies_with_the_reading(self) -> None:
        """s.33(3), s.34, s.60: adopting the reading and the unverified rules decides the verdict."""
        o = thai_coop(profit_after_tax="1000 THB", to_reserves="100 THB")
        a = Assumptions(unverified_as_written=True, readings={self.RULE: "10-percent"})
        assert (
            classify(o, "th/cooperative", on=self.ON, fiscal_year=2023, assumptions=a).verdict
            is Verdict.QUALIFIES
        )


class TestTerritorialLevel:
    """registration.territorial_level: the level Viet Nam's decrees set founders' minimums by."""

    def test_json_round_trip(self) -> None:
        """The new fact is written and read back in Organisation JSON."""
        o = association("district", 20)
        assert o.registration.territorial_level is TerritorialLevel.DISTRICT
        assert from_json(to_json(o), Organisation) == o

    def test_unknown_value_is_refused(self) -> None:
        """A level outside the vocabulary is an error naming the field."""
        with pytest.raises(
            InvalidInput, match=r"registration\.territorial_level: expected one of"
        ):
            association("region", 20)


class TestRegistrationStatusInForce:
    """registration.in_force reads the recorded status: a revoked or withdrawn registration
    is not in force even without its date, and an applicant is not yet registered (LANGO
    2015 registration provisions, read through kh-lango-registered)."""

    @pytest.mark.parametrize(
        ("registration", "expected"),
        [
            ({"registered_on": "2016-01-01"}, Outcome.MET),
            ({"registered_on": "2016-01-01", "status": "revoked"}, Outcome.NOT_MET),
            ({"registered_on": "2016-01-01", "status": "deregistered"}, Outcome.NOT_MET),
            ({"registered_on": "2016-01-01", "status": "registered"}, Outcome.MET),
            ({"status": "applying"}, Outcome.NOT_MET),
            ({"status": "registered"}, Outcome.UNKNOWN),
            ({}, Outcome.UNKNOWN),
            ({"registered_on": "2026-01-01", "status": "applying"}, Outcome.NOT_MET),
        ],
    )
    def test_status_and_dates(self, registration: dict[str, str], expected: Outcome) -> None:
        """The per-object and columnar lanes read the status and the dates alike."""
        import pyarrow as pa

        from sse_model import classify_table

        data = {"country": "KH", "legal_form": "kh/association", "registration": registration}
        on = date(2025, 6, 30)
        assert outcome(org(**data), "kh/association-ngo", "kh-lango-registered", on) is expected
        cells = {"id": "x", "name": "X", "country": "KH", "legal_form": "kh/association"}
        cells.update({f"registration.{k}": v for k, v in registration.items()})
        result = classify_table(
            pa.table({k: [v] for k, v in cells.items()}), "kh/association-ngo", on=on
        )
        (row,) = result.table.to_pylist()
        assert row["criterion.kh-lango-registered"] == expected.value
        assert result.summary.fast == 1
