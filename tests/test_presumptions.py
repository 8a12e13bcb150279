"""Legal presumptions: facts the law of a legal form or status guarantees, and identity
(the entity family) kept apart from the legal vehicle."""

from __future__ import annotations

import itertools
import json
from datetime import date
from types import MappingProxyType
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sse_model as s
from sse_model import testing
from sse_model._engine._ast import Certified
from sse_model._engine._evaluate import _leaf, criterion_outcome, leaves
from sse_model._engine._facts import FACTS
from sse_model._engine._presume import _legal_form, _presumptions, presumable_facts

ON = date(2025, 6, 30)
CIC_LAW = "Companies (Audit, Investigations and Community Enterprise) Act 2004"


def _presumption(fact: str, value: Any, source: str = "legal form gb/cic-shares") -> s.Presumption:
    from sse_model._engine._presume import presumable_value

    return s.Presumption(
        fact=fact,
        value=presumable_value(fact, value, "test"),
        instrument=CIC_LAW,
        article="s. 30",
        confidence="high",
        source=source,
    )


#: injected data: gb/cic-shares guarantees an asset lock, no charity status and a
#: profit rule; a KR certification guarantees a social purpose
FORMS = MappingProxyType(
    {
        **s.legal_forms(),
        "gb/cic-shares": attrs.evolve(
            s.legal_forms()["gb/cic-shares"],
            presumes=(
                _presumption("family", "social_enterprise"),
                _presumption("statutes.asset_lock", True),
                _presumption("registration.charity", False),
                _presumption("statutes.profit_rule", "limited"),
            ),
        ),
        "kr/stock-company": attrs.evolve(
            s.legal_forms()["kr/stock-company"],
            presumes=(_presumption("purpose.social", False, "legal form kr/stock-company"),),
        ),
    }
)
CERTS = MappingProxyType(
    {
        "kr/certified-social-enterprise": s.CertificationKind(
            code="kr/certified-social-enterprise",
            name="Certified social enterprise",
            country="KR",
            presumes=(
                _presumption(
                    "purpose.social", True, "certification kr/certified-social-enterprise"
                ),
            ),
        )
    }
)
INJECTED = s.Classifier(forms=FORMS, certifications=CERTS)


def cic(**kw: Any) -> s.Organisation:
    return s.structure(
        {"id": "c1", "name": "A CIC", "country": "GB", "legal_form": "gb/cic-shares", **kw},
        s.Organisation,
    )


class TestMechanism:
    """Presumptions fill unknown facts only, with citations, and say so."""

    def test_unknown_fact_is_presumed_with_its_citation(self) -> None:
        """An unknown fact the form's law guarantees is filled, and the criterion that
        reads it has basis presumed, citing the instrument and article."""
        c = INJECTED.classify(cic(), "gb/cic", on=ON)
        found = INJECTED.presume(cic(), ON)
        assert found.organisation.statutes.asset_lock is True
        assert found.organisation.registration.charity is False
        presumed = [r for r in c.criteria if r.basis is s.Basis.PRESUMED]
        assert presumed
        cites = {pf.citation for r in presumed for pf in r.presumptions}
        assert f"{CIC_LAW}, s. 30" in cites
        assert any(o.presumed for r in presumed for o in r.observed)
        # a value still unknown after presuming is not shown as presumed
        assert all(o.value != "unknown" for r in c.criteria for o in r.observed if o.presumed)

    def test_observed_fact_wins_and_the_contradiction_is_reported(self) -> None:
        """An observed fact is never replaced; one that contradicts the law is an
        inconsistency with both sides and the citation."""
        org = cic(statutes={"asset_lock": False})
        found = INJECTED.presume(org, ON)
        assert found.organisation.statutes.asset_lock is False
        c = INJECTED.classify(org, "gb/cic", on=ON)
        (inc,) = [i for i in c.inconsistencies if i.fact == "statutes.asset_lock"]
        assert (inc.observed, inc.presumed, inc.against) == ("no", "yes", "observed")
        assert inc.citation == f"{CIC_LAW}, s. 30" and inc.source == "legal form gb/cic-shares"
        assert "Inconsistencies between the facts and the law" in c.explain()

    def test_off_means_observed_facts_only(self) -> None:
        """With presumptions off, nothing is presumed, every basis is observed or unknown
        and nothing rests on presumptions."""
        c = INJECTED.classify(cic(), "gb/cic", on=ON, presumptions=False)
        assert {r.basis for r in c.criteria} <= {s.Basis.OBSERVED, s.Basis.UNKNOWN}
        assert not c.rests_on_presumptions and not c.inconsistencies
        off = s.Classifier(forms=FORMS, certifications=CERTS, presumptions=False)
        assert off.classify(cic(), "gb/cic", on=ON) == c

    def test_basis_follows_the_outcome(self) -> None:
        """Unknown outcomes have basis unknown; decided ones observed or presumed."""
        c = INJECTED.classify(cic(), "gb/cic", on=ON)
        for r in c.criteria:
            assert (r.basis is s.Basis.UNKNOWN) == (r.outcome is s.Outcome.UNKNOWN)
            assert bool(r.presumptions) <= (r.basis is s.Basis.PRESUMED)

    def test_verdict_rests_on_presumptions(self) -> None:
        """The verdict rests on presumptions exactly when it differs without them."""
        org = s.structure(
            {"id": "k", "name": "k", "country": "KR", "legal_form": "kr/stock-company"},
            s.Organisation,
        )
        a = INJECTED.classify(org, "kr/social-enterprise", on=ON)
        b = INJECTED.classify(org, "kr/social-enterprise", on=ON, presumptions=False)
        assert a.rests_on_presumptions == (a.verdict is not b.verdict)

    def test_certification_presumes_only_while_valid(self) -> None:
        """A status's presumptions apply only while it is valid on the evaluation date."""
        cert = {"kind": "kr/certified-social-enterprise", "granted_on": "2020-01-01"}
        valid = {**cert, "expires_on": "2030-01-01"}
        expired = {**cert, "expires_on": "2021-01-01"}
        base = {"id": "k", "name": "k", "country": "KR"}
        for certs, expected in (([valid], True), ([expired], None), ([cert], None)):
            org = s.structure({**base, "certifications": certs}, s.Organisation)
            assert INJECTED.presume(org, ON).organisation.purpose.social is expected

    def test_conflicting_presumptions_presume_nothing(self) -> None:
        """A form and a status guaranteeing different values: neither is presumed, and
        the conflict is reported with both citations."""
        org = s.structure(
            {
                "id": "k",
                "name": "k",
                "country": "KR",
                "legal_form": "kr/stock-company",
                "certifications": [
                    {
                        "kind": "kr/certified-social-enterprise",
                        "granted_on": "2020-01-01",
                        "indefinite": True,
                    }
                ],
            },
            s.Organisation,
        )
        found = INJECTED.presume(org, ON)
        assert found.organisation.purpose.social is None
        (inc,) = found.inconsistencies
        assert inc.fact == "purpose.social" and inc.against != "observed"
        assert CIC_LAW in inc.against and CIC_LAW in inc.citation

    def test_result_json_round_trips(self) -> None:
        """Basis, presumptions and inconsistencies are in the JSON, which round-trips."""
        c = INJECTED.classify(cic(statutes={"asset_lock": False}), "gb/cic", on=ON)
        data = s.unstructure(c)
        assert "rests_on_presumptions" in data and data["inconsistencies"]
        assert {cr["basis"] for cr in data["criteria"]} <= {"observed", "presumed", "unknown"}
        assert s.from_json(s.to_json(c), s.Classification) == c

    def test_result_written_before_presumptions_reads_back(self) -> None:
        """A result without the 0.2 keys (as 0.1 wrote it) reads back, every basis
        observed, nothing resting on presumptions."""
        c = s.classify(s.Organisation(id="x", name="x", country="GB"), "gb/cic", on=ON)
        data = json.loads(s.to_json(c))
        for key in ("rests_on_presumptions", "inconsistencies"):
            data.pop(key)
        for cr in data["criteria"]:
            cr.pop("basis")
            cr.pop("presumptions")
            for o in cr["observed"]:
                o.pop("presumed")
        old = s.from_json(json.dumps(data), s.Classification)
        assert all(r.basis is s.Basis.OBSERVED for r in old.criteria)
        assert not old.rests_on_presumptions

    def test_html_shows_presumptions(self) -> None:
        """The notebook view marks presumed values and lists inconsistencies."""
        html = INJECTED.classify(cic(statutes={"asset_lock": False}), "gb/cic", on=ON)
        text = html._repr_html_()
        assert "presumed" in text and "Inconsistencies between the facts and the law" in text

    def test_explain_shows_the_basis(self) -> None:
        """explain() names each presumption with its citation and confidence."""
        text = INJECTED.classify(cic(), "gb/cic", on=ON).explain()
        assert "presumed by law: statutes.asset_lock = yes" in text
        assert "confidence high" in text


class TestWhichPresumptionsApply:
    """Only what the law in force guarantees, and only well-founded readings by default."""

    def _forms(self, **kw: Any) -> MappingProxyType[str, s.LegalForm]:
        p = attrs.evolve(_presumption("statutes.asset_lock", True), **kw)
        form = attrs.evolve(s.legal_forms()["gb/cic-shares"], presumes=(p,))
        return MappingProxyType({**s.legal_forms(), "gb/cic-shares": form})

    def test_low_confidence_applies_only_when_asked(self) -> None:
        """A low-confidence presumption never decides by default; presumptions="all"
        adopts it."""
        c = s.Classifier(forms=self._forms(confidence="low"))
        assert c.presume(cic(), ON).organisation.statutes.asset_lock is None
        assert c.presume(cic(), ON, low=True).organisation.statutes.asset_lock is True
        default = c.classify(cic(), "gb/cic", on=ON)
        adopted = c.classify(cic(), "gb/cic", on=ON, presumptions="all")
        lock = [r.id for r in adopted.criteria if r.basis is s.Basis.PRESUMED]
        assert lock and all(default.criterion(i).basis is not s.Basis.PRESUMED for i in lock)

    def test_only_while_the_provision_is_in_force(self) -> None:
        """A presumption with effective dates applies only on dates within them."""
        c = s.Classifier(forms=self._forms(effective_from=date(2024, 7, 1)))
        assert c.presume(cic(), date(2024, 6, 30)).organisation.statutes.asset_lock is None
        assert c.presume(cic(), date(2024, 7, 1)).organisation.statutes.asset_lock is True
        c = s.Classifier(forms=self._forms(effective_to=date(2014, 9, 30)))
        assert c.presume(cic(), date(2014, 10, 1)).organisation.statutes.asset_lock is None

    def test_stricter_profit_rule_is_a_refinement(self) -> None:
        """Statutes stricter than the legal floor (no distribution where the law caps it)
        are no inconsistency; a looser rule than the law allows is one."""
        strict = INJECTED.presume(cic(statutes={"profit_rule": "prohibited"}), ON)
        assert not [i for i in strict.inconsistencies if i.fact == "statutes.profit_rule"]
        loose = INJECTED.presume(cic(statutes={"profit_rule": "unrestricted"}), ON)
        assert [i.fact for i in loose.inconsistencies] == ["statutes.profit_rule"]

    def test_shipped_dates_are_read(self) -> None:
        """The Vietnamese Law on Cooperatives 2023 presumes nothing before 1 July 2024."""
        org = s.Organisation(id="v", name="v", country="VN", legal_form="vn/cooperative")
        before = s.Classifier().presume(org, date(2024, 6, 30)).applied
        after = s.Classifier().presume(org, date(2024, 7, 1)).applied
        assert {p.fact for p in before} < {p.fact for p in after}
        assert "governance.voting_rule" in {p.fact for p in after}


class TestIdentityAndVehicle:
    """What an organisation is (family) is not its legal vehicle."""

    def test_worker_coop_incorporated_as_a_company_is_a_cooperative(self) -> None:
        """A co-operative using a company vehicle meets the ICA identity criterion."""
        org = s.structure(
            {
                "id": "w",
                "name": "Brixton Cycles",
                "country": "GB",
                "legal_form": "gb/private-limited-company",
                "family": "cooperative",
            },
            s.Organisation,
        )
        c = s.classify(org, "intl/ica-1995", on=ON)
        assert c.criterion("ica-cooperative").outcome is s.Outcome.MET
        assert c.criterion("ica-cooperative").basis is s.Basis.OBSERVED
        assert c.verdict is not s.Verdict.DOES_NOT_QUALIFY

    def test_a_form_with_several_families_presumes_none(self) -> None:
        """A form whose law allows several families presumes no family."""
        form = _legal_form(
            "gb/registered-society",
            {
                "name": "Registered society",
                "families": ["cooperative", "social_enterprise"],
                "law": "Co-operative and Community Benefit Societies Act 2014",
            },
        )
        assert form.family is None
        assert not any(p.fact == "family" for p in form.presumes)

    def test_a_single_family_is_presumed_from_the_form(self) -> None:
        """A form whose law makes it one family presumes that family, citing the law."""
        form = _legal_form(
            "vn/cooperative",
            {"name": "Cooperative", "family": "cooperative", "law": "Law on Cooperatives"},
        )
        (p,) = [p for p in form.presumes if p.fact == "family"]
        assert p.value is s.EntityFamily.COOPERATIVE and p.instrument == "Law on Cooperatives"

    def test_a_given_family_differing_from_the_form_is_reported(self) -> None:
        """A family given against the form's single family is an inconsistency, not an
        error; the given family decides."""
        org = s.structure(
            {
                "id": "x",
                "name": "x",
                "country": "VN",
                "legal_form": "vn/cooperative",
                "family": "company",
            },
            s.Organisation,
        )
        c = s.classify(org, "intl/ica-1995", on=ON)
        assert any(i.fact == "family" for i in c.inconsistencies)
        assert c.criterion("ica-cooperative").outcome is s.Outcome.NOT_MET


class TestBadData:
    """Presumption data that breaks the schema is refused with the path of the entry."""

    def _refused(self, entry: dict[str, Any], message: str) -> None:
        with pytest.raises(s.InvalidInput) as info:
            _presumptions("forms.x", "legal form x", [entry])
        assert message in str(info.value)
        assert info.value.errors[0].path.startswith("forms.x.presumes[0]")

    GOOD: ClassVar[dict[str, Any]] = {
        "fact": "statutes.asset_lock",
        "value": True,
        "instrument": CIC_LAW,
        "article": "s. 30",
        "confidence": "high",
    }

    def test_unknown_fact(self) -> None:
        """A fact that is not a raw, presumable model field is refused."""
        self._refused({**self.GOOD, "fact": "registration.in_force"}, "expected a raw fact")

    def test_value_the_model_refuses(self) -> None:
        """A value the model's converter refuses is refused, with the converter's message."""
        self._refused({**self.GOOD, "value": "yes"}, "expected true or false")

    def test_missing_article(self) -> None:
        """A presumption without an article is refused."""
        self._refused({k: v for k, v in self.GOOD.items() if k != "article"}, "'article'")

    def test_bad_effective_date(self) -> None:
        """Effective dates must be dates, in order."""
        self._refused({**self.GOOD, "effective_from": "2024"}, "expected a date")
        self._refused(
            {**self.GOOD, "effective_from": date(2024, 1, 2), "effective_to": date(2024, 1, 1)},
            "expected effective_to on or after effective_from",
        )

    def test_bad_confidence(self) -> None:
        """A confidence outside high/medium/low is refused."""
        self._refused({**self.GOOD, "confidence": "sure"}, "expected confidence one of")

    def test_unknown_key(self) -> None:
        """A misspelt key is refused, not ignored."""
        self._refused({**self.GOOD, "artcle": "s. 30"}, "unknown key(s) ['artcle']")


# --- golden tests over the shipped data --------------------------------------------


def _shipped() -> list[tuple[str, s.Presumption]]:
    out = []
    for code, form in s.legal_forms().items():
        out.extend((code, p) for p in form.presumes)
    for code, kind in s.certification_kinds().items():
        out.extend((code, p) for p in kind.presumes)
    return out


SHIPPED = _shipped()


@pytest.fixture(scope="module")
def plans() -> list[Any]:
    out = []
    for pid in s.profile_ids():
        try:
            out.append(s.Classifier().plan(pid, ON))
        except s.NoVersionInForce:
            continue
    return out


def _can_decide(plan: Any, criterion: Any, org: s.Organisation, fact: str) -> bool:
    """Whether, in some state of the criterion's other facts, knowing *fact* as in *org*
    decides the criterion while leaving it unknown does not."""
    lv = leaves(criterion)
    mine = [x for x in lv if not isinstance(x, Certified) and fact in FACTS[x.fact].inputs]
    if not mine:
        return False
    others = [x for x in lv if x not in mine]
    known = {id(x): _leaf(x, org, None, plan)[0] for x in mine}
    for combo in itertools.islice(itertools.product((0, 1, 2), repeat=len(others)), 729):
        codes = {id(x): c for x, c in zip(others, combo, strict=True)}
        with_fact = criterion_outcome(criterion, {**codes, **known})
        without = criterion_outcome(criterion, {**codes, **dict.fromkeys(known, 1)})
        if with_fact != without:
            return True
    return False


class TestShippedPresumptions:
    """Every presumption in the shipped data is cited, valid and matters."""

    def test_there_are_presumptions(self) -> None:
        """The shipped data carries presumptions beyond the forms' families."""
        assert any(p.fact != "family" for _, p in SHIPPED)

    @pytest.mark.parametrize(("code", "p"), SHIPPED, ids=[f"{c}:{p.fact}" for c, p in SHIPPED])
    def test_cited_and_valid(self, code: str, p: s.Presumption) -> None:
        """It cites an instrument and an article, has a confidence, a presumable fact
        path and a value of the model's type for that fact."""
        assert p.instrument.strip() and p.article.strip()
        assert p.confidence in ("high", "medium", "low")
        assert p.fact in presumable_facts()
        assert p.url is None or p.url.startswith(("https://", "http://"))
        org = s.Organisation(id="x", name="x", country="GB")
        head, _, field = p.fact.partition(".")
        if field:
            attrs.evolve(getattr(org, head), **{field: p.value})  # the model accepts it
        else:
            attrs.evolve(org, **{head: p.value})
        assert code in p.source

    @pytest.mark.parametrize(("code", "p"), SHIPPED, ids=[f"{c}:{p.fact}" for c, p in SHIPPED])
    def test_changes_a_criterion_that_reads_it(
        self, code: str, p: s.Presumption, plans: list[Any]
    ) -> None:
        """Some shipped criterion reads the fact, and the presumed value decides it in
        some state of that criterion's other facts."""
        org = s.Organisation(id="x", name="x", country="GB")
        head, _, field = p.fact.partition(".")
        if field:
            org = attrs.evolve(org, **{head: attrs.evolve(getattr(org, head), **{field: p.value})})
        else:
            org = attrs.evolve(org, **{head: p.value})
        assert any(
            _can_decide(plan, c, org, p.fact)
            for plan in plans
            for c in plan.criteria
            if c.in_force(plan.on)
        ), f"no criterion is decided by {p.fact} = {p.value}"


# --- properties ------------------------------------------------------------------

PROFILES = ("intl/ica-1995", "gb/cic", "kr/social-enterprise", "intl/ilo-2022", "fr/ess")


def _orgs() -> st.SearchStrategy[s.Organisation]:
    return testing.organisations()


class TestProperties:
    """The laws that make presumptions safe."""

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(org=_orgs())
    def test_observed_fact_always_overrides(self, org: s.Organisation) -> None:
        """Presuming never changes a fact that is observed: every raw fact known before
        is the same after (Art. of each instrument: presumptions are rebuttable)."""
        for c in (s.Classifier(), INJECTED):
            found = c.presume(org, ON)
            for fact in presumable_facts():
                before = _get(org, fact)
                if before is not None:
                    assert _get(found.organisation, fact) == before, fact
            for p in found.applied:
                assert _get(org, p.fact) is None

    @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(org=_orgs(), profile=st.sampled_from(PROFILES))
    def test_presumptions_only_decide_what_observation_leaves_open(
        self, org: s.Organisation, profile: str
    ) -> None:
        """Turning presumptions off never turns an undetermined verdict into a definite
        one, and turning them on never changes a verdict (or an outcome) decided by
        observed facts alone (knowledge monotonicity extended to presumptions)."""
        for c in (s.Classifier(), INJECTED):
            try:
                on = c.classify(org, profile, on=ON)
            except s.NoVersionInForce:
                return
            off = c.classify(org, profile, on=ON, presumptions=False)
            if on.verdict is s.Verdict.UNDETERMINED:
                assert off.verdict is s.Verdict.UNDETERMINED
            if off.verdict is not s.Verdict.UNDETERMINED:
                assert on.verdict is off.verdict
                assert not on.rests_on_presumptions
            for a, b in zip(off.criteria, on.criteria, strict=True):
                if a.outcome is not s.Outcome.UNKNOWN:
                    assert b.outcome is a.outcome and b.basis is s.Basis.OBSERVED
            assert on.rests_on_presumptions == (on.verdict is not off.verdict)

    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(org=_orgs(), profile=st.sampled_from(PROFILES))
    def test_evaluators_agree_with_presumptions(self, org: s.Organisation, profile: str) -> None:
        """The reference walker and the compiled evaluator give the same result, basis
        included, with presumptions."""
        ref = s.Classifier(evaluator="reference", forms=FORMS, certifications=CERTS)
        try:
            a = INJECTED.classify(org, profile, on=ON)
        except s.NoVersionInForce:
            return
        assert ref.classify(org, profile, on=ON) == a


CEILING_PROFILE = """
format = 1
id = "intl/ceiling-test"
title = "Profit rules (test)"
jurisdiction = "INTL"
kind = "definition"
summary = "Tests what a profit-rule ceiling decides."

[[instruments]]
id = "t"
title = "Test instrument"

[[versions]]
label = "v1"
effective_from = 2000-01-01

[[criteria]]
id = "no-distribution-beyond-patronage"
description = "Statutes allow no distribution, or only patronage refunds"
instrument = "t"
article = "art. 1"
principles = ["primacy_of_people"]
confidence = "high"
test = { fact = "statutes.profit_rule", in = ["prohibited", "by_patronage"] }

[[criteria]]
id = "not-unrestricted"
description = "Statutes do not allow unrestricted distribution"
instrument = "t"
article = "art. 2"
principles = ["primacy_of_people"]
confidence = "high"
test = { fact = "statutes.profit_rule", in = ["prohibited", "by_patronage", "limited"] }
"""


class TestCeilings:
    """A law that caps the profit rule (``limited``) sets a ceiling, not the rule."""

    def _profile(self) -> s.Profile:
        return s.parse_profile(CEILING_PROFILE)

    def test_a_ceiling_decides_only_what_every_stricter_rule_decides(self) -> None:
        """kr/cooperative's law caps distribution (``limited``): a rule met by every rule
        up to the cap is met on presumption; one that a stricter statute could meet
        stays unknown, with the profit rule among the facts to collect (it used to be
        not met: the cap was read as the rule itself)."""
        org = s.Organisation(id="k", name="K", country="KR", legal_form="kr/cooperative")
        c = s.classify(org, self._profile(), on=ON)
        beyond = c.criterion("no-distribution-beyond-patronage")
        assert beyond.outcome is s.Outcome.UNKNOWN
        assert beyond.basis is s.Basis.UNKNOWN
        cap = c.criterion("not-unrestricted")
        assert cap.outcome is s.Outcome.MET
        assert cap.basis is s.Basis.PRESUMED
        assert [p.value for p in cap.presumptions] == ["limited or stricter"]
        assert c.verdict is s.Verdict.UNDETERMINED
        assert c.settlement is not None
        assert "statutes.profit_rule" in [m.path for m in c.settlement.missing_facts]

    def test_an_observed_stricter_rule_decides(self) -> None:
        """Observed statutes that prohibit distribution meet both rules, as observed."""
        org = s.Organisation(
            id="k",
            name="K",
            country="KR",
            legal_form="kr/cooperative",
            statutes=s.Statutes(profit_rule=s.ProfitRule.PROHIBITED),
        )
        c = s.classify(org, self._profile(), on=ON)
        assert c.verdict is s.Verdict.QUALIFIES
        assert {r.basis for r in c.criteria} == {s.Basis.OBSERVED}
        assert not c.inconsistencies

    def test_table_lane_agrees(self) -> None:
        """The columnar lane gives the per-object outcomes for ceiling presumptions
        (rows the stricter rules leave open go to the exact lane)."""
        pa = pytest.importorskip("pyarrow")
        rows = [
            {"id": "a", "name": "a", "country": "KR", "legal_form": "kr/cooperative"},
            {"id": "b", "name": "b", "country": "CA", "legal_form": "ca-qc/cooperative"},
            {"id": "c", "name": "c", "country": "FR", "legal_form": "fr/association-1901"},
            {"id": "d", "name": "d", "country": "GB"},
        ]
        cols = sorted({k for r in rows for k in r})
        table = pa.table({k: pa.array([r.get(k, "") for r in rows]) for k in cols})
        profile = self._profile()
        result = s.RegisterClassifier([profile], on=ON).classify_table(table)
        for row in result.table.to_pylist():
            c = s.classify(_org(rows[row["row"] - 1]), profile, on=ON)
            assert row["verdict"] == c.verdict.value, row
            outcomes = [row[f"criterion.{r.id}"] for r in c.criteria]
            assert outcomes == [r.outcome.value for r in c.criteria], row
            assert row["presumed_criteria"] == [
                r.id for r in c.criteria if r.basis is s.Basis.PRESUMED
            ]
        orgs = [_org(r) for r in rows]
        again = s.RegisterClassifier([profile], on=ON).classify_organisations(orgs)
        assert again.table.to_pylist() == result.table.to_pylist()


class TestRegisterLane:
    """The columnar lanes presume what the per-object engine presumes."""

    def test_table_lane_with_injected_presumptions(self) -> None:
        """A flat table under injected presumption data gives the per-object results,
        basis and rests-on-presumptions flag, row by row."""
        pa = pytest.importorskip("pyarrow")
        rows = [
            {"id": "a", "name": "a", "country": "GB", "legal_form": "gb/cic-shares"},
            {
                "id": "b",
                "name": "b",
                "country": "GB",
                "legal_form": "gb/cic-shares",
                "statutes.asset_lock": "false",
            },
            {"id": "c", "name": "c", "country": "KR", "legal_form": "kr/stock-company"},
            {"id": "d", "name": "d", "country": "GB"},
        ]
        cols = sorted({k for r in rows for k in r})
        table = pa.table({c: pa.array([r.get(c, "") for r in rows]) for c in cols})
        profiles = ["gb/cic", "kr/social-enterprise", "intl/oecd-2022"]
        rc = s.RegisterClassifier(profiles, on=ON, classifier=INJECTED)
        result = rc.classify_table(table)
        assert result.summary.fast == 4
        orgs = [_org(r) for r in rows]
        got = result.table.to_pylist()
        for row in got:
            org = orgs[row["row"] - 1]
            c = INJECTED.classify(org, row["profile_id"], on=ON)
            assert row["verdict"] == c.verdict.value
            assert row["rests_on_presumptions"] == c.rests_on_presumptions
            presumed = [r.id for r in c.criteria if r.basis is s.Basis.PRESUMED]
            assert row["presumed_criteria"] == presumed
        assert result.summary.presumed == sum(r["rests_on_presumptions"] for r in got)
        off = s.RegisterClassifier(profiles, on=ON, classifier=INJECTED, presumptions=False)
        assert not any(off.classify_table(table).table.column("rests_on_presumptions").to_pylist())


def _org(cells: dict[str, str]) -> s.Organisation:
    from sse_model._io._flat import to_nested

    return s.structure(to_nested(dict(cells)), s.Organisation)  # type: ignore[arg-type]


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


class TestCommandLine:
    """The CLI says how many verdicts rest on presumptions, in both lanes."""

    @pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
    def test_summary_counts_presumed_verdicts(self, tmp_path: Any, suffix: str) -> None:
        """The table summary counts the verdicts resting on presumptions;
        --no-presumptions counts none."""
        import io

        from sse_model._cli import main

        src = tmp_path / f"r{suffix}"
        rows = [
            {"id": "s1", "name": "S", "country": "GB", "legal_form": "gb/co-operative-society"},
            {"id": "s2", "name": "T", "country": "GB"},
        ]
        if suffix == ".csv":
            src.write_text(
                "id,name,country,legal_form\ns1,S,GB,gb/co-operative-society\ns2,T,GB,\n"
            )
        else:
            src.write_text("".join(json.dumps(r) + "\n" for r in rows))

        def run(*extra: str) -> str:
            out, err = io.StringIO(), io.StringIO()
            argv = ["classify", str(src), "--profile", "intl/oecd-2022", "--quiet", *extra]
            assert main(argv, out=out, err=err) == 0, err.getvalue()
            return out.getvalue()

        assert "Verdicts resting on legal presumptions: 1 (intl/oecd-2022 1)" in run()
        assert "No verdict rests on legal presumptions" in run("--no-presumptions")


class TestDocs:
    """The format addition is documented."""

    def test_json_keys_documented(self) -> None:
        """The serialization guide documents the keys presumptions add to results."""
        from pathlib import Path

        root = Path(__file__).parent.parent
        text = (root / "docs" / "guides" / "serialization.md").read_text("utf-8")
        for key in ("basis", "presumptions", "rests_on_presumptions", "inconsistencies"):
            assert f"`{key}`" in text, key


class TestFormTable:
    """The model checks codes against the legal forms without their presumptions."""

    def test_same_forms_without_presumptions(self) -> None:
        """``form_table()`` is ``legal_forms()`` with every ``presumes`` left empty."""
        from sse_model._model._forms import form_table

        full = s.legal_forms()
        assert list(form_table()) == list(full)
        assert all(attrs.evolve(f, presumes=()) == form_table()[c] for c, f in full.items())
        assert any(f.presumes for f in full.values())

    def test_each_form_read_alone_is_the_whole_files(self) -> None:
        """A form's part of ``legal_forms.toml``, parsed alone (what a first
        classification reads), is exactly that form's entry in the whole file; the codes
        found by their headers are the file's; and one form built alone equals its row
        of the table, with and without its presumptions."""
        from sse_model._engine._presume import _shipped_form
        from sse_model._model._forms import (
            form_codes,
            form_entries,
            form_entry,
            form_table,
            shipped_form,
        )

        whole = form_entries()
        assert form_codes() == frozenset(whole)
        for code, entry in whole.items():
            assert dict(form_entry(code)) == entry, code
            assert shipped_form(code) == form_table()[code], code
            assert _shipped_form(code) == s.legal_forms()[code], code
        assert shipped_form("vn/not-a-form") is None

    def test_a_part_holding_another_forms_tables_is_refused(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A form's part must hold its own tables only (a presumption written under the
        wrong form would otherwise be read as the next form's)."""
        from sse_model._model import _forms

        text = '[forms."a/x"]\nname = "X"\n[[forms."a/y".presumes]]\nfact = "f"\n'
        monkeypatch.setattr(_forms, "_forms_text", lambda: text)
        for cached in (_forms._sections, _forms.form_codes, _forms.form_entry):
            cached.cache_clear()
        try:
            assert _forms.form_codes() == {"a/x"}
            with pytest.raises(s.InvalidInput, match=r"legal_forms\.a/x"):
                _forms.form_entry("a/x")
        finally:
            for cached in (_forms._sections, _forms.form_codes, _forms.form_entry):
                cached.cache_clear()
