"""Golden tests: intl/un-2023, intl/ica-1995, intl/oecd-2022, intl/un-tse-2018 and the US contrast."""

from datetime import date
from typing import Any, ClassVar

import pytest

from sse_model import NoVersionInForce, Organisation, Outcome, Verdict, classify, structure

ON = date(2025, 1, 1)

COOP: dict[str, Any] = {
    "id": "coop",
    "name": "Coop",
    "country": "MX",
    "legal_form": "mx/sociedad-cooperativa",
    "purpose": {"mutual_benefit": True},
    "membership": {"voluntary": True, "open": True},
    "governance": {
        "voting_rule": "one_member_one_vote",
        "controlled_by_public_body": False,
        "controlled_by_for_profit": False,
    },
    "statutes": {"profit_rule": "by_patronage", "reserves_indivisible": True},
}


def org(**changes: Any) -> Organisation:
    return structure({**COOP, **changes}, Organisation)


class TestUN2023:
    """A/RES/77/281 (18 April 2023) recognises the ILO 2022 definition."""

    def test_builds_on_the_ilo_profile(self) -> None:
        """Preamble: the ILO criteria come first and decide with the UN's own."""
        c = classify(org(), "intl/un-2023", on=ON)
        assert c.verdict is Verdict.QUALIFIES
        assert c.criteria[0].profile == "intl/ilo-2022"
        assert c.criteria[-1].profile == "intl/un-2023"

    def test_dates(self) -> None:
        """No version before the adoption on 2023-04-18."""
        with pytest.raises(NoVersionInForce):
            classify(org(), "intl/un-2023", on=date(2023, 4, 17))
        assert classify(org(), "intl/un-2023", on=date(2023, 4, 18)).verdict is Verdict.QUALIFIES


class TestICA:
    """ICA Statement on the Cooperative Identity (1995), principles 1-4."""

    def test_cooperative(self) -> None:
        """Principles 1-4 met: qualifies."""
        assert classify(org(), "intl/ica-1995", on=ON).verdict is Verdict.QUALIFIES

    def test_capital_weighted_votes_fail(self) -> None:
        """Principle 2: democratic member control."""
        gov = {**COOP["governance"], "voting_rule": "capital_weighted"}
        c = classify(org(governance=gov), "intl/ica-1995", on=ON)
        assert c.criterion("ica-democratic-control").outcome is Outcome.NOT_MET

    def test_association_is_not_a_cooperative(self) -> None:
        """Definition: only cooperatives."""
        c = classify(org(legal_form="fr/association-1901", country="FR"), "intl/ica-1995", on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


class TestOECD:
    """OECD/LEGAL/0472 working definition."""

    def test_families(self) -> None:
        """'Typically made up of' associations, cooperatives, foundations, mutuals, SEs."""
        assert classify(org(), "intl/oecd-2022", on=ON).verdict is Verdict.QUALIFIES
        c = classify(org(legal_form="mx/sa-de-cv"), "intl/oecd-2022", on=ON)
        assert c.criterion("oecd-family").outcome is Outcome.NOT_MET


class TestTSE:
    """UN TSE Handbook (2018) ch. 3 operational criteria."""

    def test_limited_distribution_without_dividends(self) -> None:
        """Limited profit distribution: a cooperative distributing nothing is in scope."""
        o = org(finances={"2024": {"dividends": "0 MXN", "patronage_refunds": "0 MXN"}})
        assert classify(o, "intl/un-tse-2018", on=ON).verdict is Verdict.QUALIFIES

    def test_unverified_fifty_percent_rule(self) -> None:
        """The 'at most 50 %' rule is not verified: a paying cooperative is undetermined."""
        o = org(finances={"2024": {"profit_after_tax": "100 MXN", "dividends": "50 MXN"}})
        c = classify(o, "intl/un-tse-2018", on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("tse-distribution-share",)

    def test_government_controlled(self) -> None:
        """Private: a unit controlled by government is out of scope."""
        gov = {**COOP["governance"], "controlled_by_public_body": True}
        assert (
            classify(org(governance=gov), "intl/un-tse-2018", on=ON).verdict
            is Verdict.DOES_NOT_QUALIFY
        )


class TestBenefitCorporationContrast:
    """US benefit corporations are not SSE by themselves (research §9, US-T1 to US-T3)."""

    PBC: ClassVar[dict[str, Any]] = {
        "id": "us-pbc",
        "name": "Listed PBC",
        "country": "US",
        "legal_form": "us/public-benefit-corporation",
        "purpose": {"general_interest": True},
        "governance": {
            "voting_rule": "capital_weighted",
            "listed_on_market": True,
            "controlled_by_for_profit": False,
            "controlled_by_public_body": False,
        },
        "statutes": {
            "profit_rule": "unrestricted",
            "asset_lock": False,
            "residual_assets": "members",
            "reserves_indivisible": False,
        },
        "membership": {"voluntary": True},
    }

    def test_t1_listed_pbc(self) -> None:
        """US-T1: a listed PBC distributing its profits does not qualify under the ILO profile."""
        o = structure(self.PBC, Organisation)
        assert classify(o, "us/benefit-corporation", on=ON).verdict is Verdict.QUALIFIES
        ilo = classify(o, "intl/ilo-2022", on=ON)
        assert ilo.verdict is Verdict.DOES_NOT_QUALIFY
        assert {r.id for r in ilo.criteria if r.outcome is Outcome.NOT_MET} == {
            "ilo-primacy-surplus",
            "ilo-primacy-assets",
        }

    def test_t2_worker_owned(self) -> None:
        """US-T2: a worker-owned benefit corporation with only its vote rule known is undetermined under ILO."""
        o = structure(
            {
                "id": "us-t2",
                "name": "Worker-owned",
                "country": "US",
                "legal_form": "us/benefit-corporation",
                "governance": {"voting_rule": "one_member_one_vote"},
            },
            Organisation,
        )
        assert classify(o, "intl/ilo-2022", on=ON).verdict is Verdict.UNDETERMINED

    def test_t3_profile_independence(self) -> None:
        """US-T3: qualifying as a benefit corporation says nothing about SSE membership."""
        o = structure(
            {
                "id": "us-t3",
                "name": "B",
                "country": "US",
                "legal_form": "us/benefit-corporation",
                "purpose": {"general_interest": True},
                "statutes": {"profit_rule": "unrestricted"},
            },
            Organisation,
        )
        assert classify(o, "us/benefit-corporation", on=ON).verdict is Verdict.QUALIFIES
        assert classify(o, "intl/ilo-2022", on=ON).verdict is Verdict.DOES_NOT_QUALIFY
