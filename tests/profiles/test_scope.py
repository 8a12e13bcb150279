"""Golden tests: the territorial scope of every national and regional profile.

A national or regional profile decides only for organisations within its jurisdiction: one
cited criterion (generated from the profile's ``[scope]`` table) is not met outside it, so
the verdict is "does not qualify"; international profiles have no such criterion.
"""

import re
from datetime import date

import pytest

from sse_model import (
    Organisation,
    Outcome,
    Verdict,
    classify,
    load_profile,
    parse_profile,
    profile_ids,
)
from sse_model._engine._loader import scope_criterion_id

ON = date(2025, 6, 30)
NATIONAL = [p for p in profile_ids() if not p.startswith("intl/")]
#: profiles whose scope comes from the profile they extend
INHERITED = {"fr/esus": "fr/ess"}
#: eu/eusef has its own cited establishment test: a third-country undertaking may qualify
#: under conditions the model does not hold (Art. 3(1)(d)(v)), so it is undetermined, not out
OWN_TEST = {"eu/eusef"}


def _scope_id(profile_id: str) -> str:
    return scope_criterion_id(INHERITED.get(profile_id, profile_id))


def _outsider(profile_id: str) -> Organisation:
    scope = load_profile(INHERITED.get(profile_id, profile_id)).scope
    assert scope is not None
    country = "NZ" if "GB" in scope.countries else "GB"
    return Organisation(id="outsider", name="Abroad Ltd", country=country)


class TestEveryNationalProfile:
    """Every national or regional profile carries one explicit, cited scope criterion."""

    @pytest.mark.parametrize("profile_id", [p for p in NATIONAL if p not in OWN_TEST])
    def test_outside_the_jurisdiction_does_not_qualify(self, profile_id: str) -> None:
        """An organisation of another country does not qualify, through the scope criterion."""
        c = classify(_outsider(profile_id), profile_id, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        scope = c.criterion(_scope_id(profile_id))
        assert scope.outcome is Outcome.NOT_MET
        assert scope.citation and scope.status.value == "verified"

    @pytest.mark.parametrize(
        "profile_id", [p for p in NATIONAL if p not in OWN_TEST and p not in INHERITED]
    )
    def test_scope_is_declared_and_cited(self, profile_id: str) -> None:
        """The profile declares its scope with an instrument it lists and an article."""
        p = load_profile(profile_id)
        assert p.scope is not None
        assert p.scope.countries or p.scope.subdivisions
        assert p.instrument(p.scope.citation.instrument) is not None
        assert p.scope.citation.article
        assert p.criteria[0].id == p.scope.criterion_id

    @pytest.mark.parametrize("profile_id", [p for p in profile_ids() if p.startswith("intl/")])
    def test_international_profiles_have_no_scope(self, profile_id: str) -> None:
        """International definitions apply everywhere: no scope, no scope criterion."""
        p = load_profile(profile_id)
        assert p.scope is None
        assert not any(c.id.endswith("-scope") for c in p.criteria)

    def test_eusef_keeps_its_establishment_test(self) -> None:
        """EuSEF Art. 3(1)(d)(v): a third-country undertaking is undetermined, not excluded."""
        o = Organisation(id="x", name="X", country="NZ")
        c = classify(o, "eu/eusef", on=ON)
        assert c.criterion("eusef-established").outcome is Outcome.UNKNOWN


class TestUkRegisteredSociety:
    """The real-data finding: a UK society with name, country and form only."""

    @pytest.mark.parametrize(
        "profile_id", [p for p in NATIONAL if p not in ("gb/cic", "eu/eusef")]
    )
    def test_qualifies_under_no_other_country(self, profile_id: str) -> None:
        """A UK registered society never qualifies under another country's national profile."""
        o = Organisation(
            id="rs", name="Community Shop Ltd", country="GB", legal_form="gb/registered-society"
        )
        assert classify(o, profile_id, on=ON).verdict is Verdict.DOES_NOT_QUALIFY

    @pytest.mark.parametrize("profile_id", ["fr/ess", "es/social-economy"])
    def test_french_and_spanish_law_refuse_it(self, profile_id: str) -> None:
        """The two profiles that used to let it qualify refuse it by the scope criterion."""
        o = Organisation(
            id="rs", name="Community Shop Ltd", country="GB", legal_form="gb/registered-society"
        )
        c = classify(o, profile_id, on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion(_scope_id(profile_id)).outcome is Outcome.NOT_MET


class TestUnknownCountry:
    """An organisation whose country is not recorded: undetermined under every national
    profile (the scope criterion asks for the country), decided by the others."""

    @pytest.mark.parametrize("profile_id", [p for p in NATIONAL if p not in OWN_TEST])
    def test_national_profile_is_undetermined(self, profile_id: str) -> None:
        """The scope criterion is unknown and lists the country among the facts to collect."""
        o = Organisation(id="u", name="Somewhere")
        c = classify(o, profile_id, on=ON)
        scope = c.criterion(_scope_id(profile_id))
        assert scope.outcome is Outcome.UNKNOWN
        assert "country" in scope.missing
        assert c.verdict is not Verdict.QUALIFIES

    def test_international_profile_does_not_ask_for_it(self) -> None:
        """Under ILO 2022 the country is not a condition: it is never a fact to collect."""
        c = classify(Organisation(id="u", name="Somewhere"), "intl/ilo-2022", on=ON)
        assert c.settlement is not None
        assert "country" not in {m.path for m in c.settlement.missing_facts}

    def test_register_row_without_country_is_classified_alike_in_both_lanes(self) -> None:
        """A register row with an empty country cell is classified, not rejected, and the
        fast lane gives the per-object verdict."""
        pa = pytest.importorskip("pyarrow")
        from sse_model import classify_table

        table = pa.table({"id": ["a", "b"], "name": ["A", "B"], "country": ["", "VN"]})
        res = classify_table(table, "vn/cooperative", on=ON)
        assert res.summary.rejected == 0 and res.summary.classified == 2
        verdicts = dict(
            zip(
                res.table.column("organisation_id").to_pylist(),
                res.table.column("verdict").to_pylist(),
                strict=True,
            )
        )
        alone = classify(Organisation(id="a", name="A"), "vn/cooperative", on=ON)
        assert verdicts["a"] == alone.verdict.value

    def test_subdivision_needs_its_country(self) -> None:
        """A subdivision without a country is rejected, with the field path."""
        from sse_model import InvalidInput

        with pytest.raises(InvalidInput, match="subdivision: expected a country"):
            Organisation(id="u", name="U", subdivision="CA-QC")


class TestSubdivisions:
    """ca-qc/social-economy: the Québec Act, a subdivision of Canada (ISO 3166-2 CA-QC)."""

    def test_unknown_subdivision_is_undetermined(self) -> None:
        """A Canadian organisation whose province is unknown: scope unknown, subdivision asked."""
        o = Organisation(id="c", name="C", country="CA")
        c = classify(o, "ca-qc/social-economy", on=ON)
        r = c.criterion("ca-qc-social-economy-scope")
        assert r.outcome is Outcome.UNKNOWN and "subdivision" in r.missing

    def test_another_province_is_out(self) -> None:
        """An Ontario organisation does not qualify under the Québec Act."""
        o = Organisation(id="c", name="C", country="CA", subdivision="CA-ON")
        c = classify(o, "ca-qc/social-economy", on=ON)
        assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_quebec_is_in(self) -> None:
        """A Québec organisation meets the scope criterion."""
        o = Organisation(id="c", name="C", country="CA", subdivision="CA-QC")
        c = classify(o, "ca-qc/social-economy", on=ON)
        assert c.criterion("ca-qc-social-economy-scope").outcome is Outcome.MET


_USER = """
format = 1
id = "xx/my-label"
title = "My label"
jurisdiction = "NZ"

[scope]
instrument = "act"
article = "s. 2"
countries = ["NZ"]

[[instruments]]
id = "act"
title = "An Act"

[[versions]]
label = "2020"
effective_from = 2020-01-01
decision = { all = ["my-purpose"] }

[[criteria]]
id = "my-purpose"
description = "A social purpose"
instrument = "act"
article = "s. 3"
principles = []
test = { fact = "purpose.social", is = true }
"""


class TestUserProfiles:
    """A user's profile declares its scope the same way (the profile-format guide)."""

    def test_scope_joins_an_explicit_decision(self) -> None:
        """The scope criterion is required by the version's decision as well."""
        p = parse_profile(_USER.replace("xx/", "nz/"))
        o = Organisation(id="a", name="A", country="AU")
        o2 = Organisation(id="b", name="B", country="NZ")
        assert classify(o, p, on=ON).verdict is Verdict.DOES_NOT_QUALIFY
        assert classify(o2, p, on=ON).verdict is Verdict.UNDETERMINED
        assert p.criteria[0].id == "nz-my-label-scope"

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ('countries = ["NZ"]', "expected countries = [...] or subdivisions"),
            ('countries = ["XX"]', "expected an ISO 3166-1 alpha-2 code"),
            ('subdivisions = ["CA-ZZ"]', "expected an ISO 3166-2 subdivision"),
            ('instrument = "act"\narticle', "unknown instrument"),
        ],
    )
    def test_bad_scope_is_refused(self, change: str, message: str) -> None:
        """A scope without codes, with unknown codes or an undeclared instrument is refused."""
        from sse_model import InvalidProfile

        bad = {
            'countries = ["NZ"]': _USER.replace('countries = ["NZ"]\n', ""),
            'countries = ["XX"]': _USER.replace('countries = ["NZ"]', 'countries = ["XX"]'),
            'subdivisions = ["CA-ZZ"]': _USER.replace(
                'countries = ["NZ"]', 'subdivisions = ["CA-ZZ"]'
            ),
            'instrument = "act"\narticle': _USER.replace(
                'instrument = "act"\narticle = "s. 2"', 'instrument = "nope"\narticle = "s. 2"'
            ),
        }[change]
        with pytest.raises(InvalidProfile, match=re.escape(message)):
            parse_profile(bad.replace("xx/", "nz/"))
