"""Which law, which year: criteria about a fiscal year are judged under the version of the
law in force at the end of that fiscal year (issue 13), in every evaluator."""

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sse_model import (
    Assumptions,
    Classification,
    Classifier,
    InvalidProfile,
    Organisation,
    Outcome,
    Verdict,
    classify,
    from_json,
    parse_profile,
    profile_ids,
    structure,
    to_json,
    validate_profile,
)
from sse_model._engine._profile import anchored, fiscal_year_end
from sse_model._engine._result import NOT_IN_FORCE

REFERENCE = Classifier(evaluator="reference")
COMPILED = Classifier()


def _org(
    country: str, form: str | None, years: dict[int, dict[str, str]], **extra: Any
) -> Organisation:
    data: dict[str, Any] = {
        "id": "o",
        "name": "O",
        "country": country,
        "finances": {str(y): v for y, v in years.items()},
        **extra,
    }
    if form is not None:
        data["legal_form"] = form
    return structure(data, Organisation)


def _lanes_agree(org: Organisation, profile: str, on: date, year: int | None = None) -> None:
    """The reference, compiled, fast and columnar evaluators give the same codes."""
    ref = REFERENCE.raw(org, profile, on, year)
    assert COMPILED.raw(org, profile, on, year) == ref
    assert COMPILED.evaluator(profile, on, year)(org) == (ref.verdict, ref.outcomes)
    pytest.importorskip("numpy")
    from sse_model._engine._columnar import compile_columnar, frame_from_organisations

    plan = COMPILED.plan(profile, on)
    result = compile_columnar(plan)(
        frame_from_organisations([org], [plan], on=on, fiscal_year=year)
    )
    assert not result.ambiguous[0]
    assert int(result.verdicts[0]) == ref.verdict
    assert tuple(result.outcomes[0].tolist()) == ref.outcomes


def _judged(c: Classification, criterion: str) -> tuple[Outcome, str | None, date | None]:
    r = c.criterion(criterion)
    return r.outcome, r.version, r.law_on


# Viet Nam, Law on Enterprises: LoE 2014 Art. 10(1)(c) (basis of profit not stated) until
# 2020-12-31, LoE 2020 Art. 10(1)(c) (after tax) from 2021-01-01. The same accounts: 60 %
# of profit after tax reinvested, 30 % of profit before tax.
VN_YEAR = {"profit_before_tax": "200 VND", "profit_after_tax": "100 VND", "reinvested": "60 VND"}


def _vn(*years: int) -> Organisation:
    return _org(
        "VN",
        "vn/llc",
        dict.fromkeys(years, VN_YEAR),
        purpose={"social": True, "commitment_registered": True},
    )


class TestVietNamSocialEnterprise:
    """vn/social-enterprise: LoE 2014 (to 2020-12-31) and LoE 2020 (from 2021-01-01)."""

    def test_fy2020_on_2021_06_30_applies_the_fy2020_law(self) -> None:
        """Classified on 2021-06-30 (LoE 2020 in force) with FY2020 accounts, the
        reinvestment rule is LoE 2014's, in force on 2020-12-31 when FY2020 ended: the two
        bases of profit disagree (60 % after tax, 30 % before), so it is undetermined;
        LoE 2020's after-tax rule is not applicable to that year."""
        c = classify(_vn(2020), "vn/social-enterprise", on=date(2021, 6, 30))
        assert (c.version, c.fiscal_year) == ("loe-2020", 2020)
        assert _judged(c, "vn-se-reinvest-2014") == (
            Outcome.UNKNOWN,
            "loe-2014",
            date(2020, 12, 31),
        )
        rule_2020 = c.criterion("vn-se-reinvest-2020")
        assert rule_2020.outcome is Outcome.NOT_APPLICABLE
        assert rule_2020.reason is not None and "end of fiscal year 2020" in rule_2020.reason
        assert c.verdict is Verdict.UNDETERMINED
        # the criteria not about a fiscal year are those of the evaluation date
        assert _judged(c, "vn-se-commitment-2021") == (
            Outcome.MET,
            "loe-2020",
            date(2021, 6, 30),
        )
        _lanes_agree(_vn(2020), "vn/social-enterprise", date(2021, 6, 30))

    @pytest.mark.parametrize(
        ("on", "year", "rule", "label", "verdict"),
        [
            # the last fiscal year ending under LoE 2014, judged before and after the change
            (date(2020, 12, 31), 2020, "vn-se-reinvest-2014", "loe-2014", Verdict.UNDETERMINED),
            (date(2021, 1, 1), 2020, "vn-se-reinvest-2014", "loe-2014", Verdict.UNDETERMINED),
            (date(2024, 6, 30), 2020, "vn-se-reinvest-2014", "loe-2014", Verdict.UNDETERMINED),
            # the first fiscal year ending under LoE 2020: the after-tax share decides
            (date(2021, 12, 31), 2021, "vn-se-reinvest-2020", "loe-2020", Verdict.QUALIFIES),
            (date(2022, 6, 30), 2021, "vn-se-reinvest-2020", "loe-2020", Verdict.QUALIFIES),
        ],
    )
    def test_both_sides_of_2021_01_01(
        self, on: date, year: int, rule: str, label: str, verdict: Verdict
    ) -> None:
        """FY2020 ends on the last day of LoE 2014 and is judged by it whenever it is
        classified; FY2021 ends under LoE 2020 and is judged by its after-tax rule."""
        org = _vn(2020, 2021)
        c = classify(org, "vn/social-enterprise", on=on, fiscal_year=year)
        outcome, version, law_on = _judged(c, rule)
        assert (version, law_on) == (label, fiscal_year_end(year))
        assert outcome is not Outcome.NOT_APPLICABLE
        assert c.verdict is verdict
        _lanes_agree(org, "vn/social-enterprise", on, year)

    def test_explain_html_and_json_name_the_version(self) -> None:
        """explain(), the HTML view and JSON say which version judged the rule."""
        c = classify(_vn(2020), "vn/social-enterprise", on=date(2021, 6, 30))
        note = "judged under version loe-2014 (the law in force on 2020-12-31)"
        assert note in c.explain()
        assert note in c._repr_html_()
        back = from_json(to_json(c), Classification)
        assert back == c
        assert back.criterion("vn-se-reinvest-2014").version == "loe-2014"

    def test_json_written_before_reads_with_no_version(self) -> None:
        """A result written before versions were recorded reads back with None."""
        import json

        c = classify(_vn(2020), "vn/social-enterprise", on=date(2021, 6, 30))
        data = json.loads(to_json(c))
        for r in data["criteria"]:
            del r["version"], r["law_on"]
        old = from_json(json.dumps(data), Classification)
        assert all(r.version is None and r.law_on is None for r in old.criteria)


class TestLawTable:
    """The per-year table of a plan says what each criterion's own dates say."""

    @pytest.mark.parametrize("profile", sorted(p for p in profile_ids() if "/" in p))
    def test_segments_match_each_criterion_dates(self, profile: str) -> None:
        """For every fiscal year from 1990 to the year after the evaluation date, a
        criterion is in force for that year exactly when it is in force on the date whose
        law judges it (the year's end for a fiscal-year criterion), on each day a version
        starts or ends."""
        p = COMPILED.profile(profile)
        days = {v.effective_from for v in p.versions} | {
            v.effective_to for v in p.versions if v.effective_to is not None
        }
        for on in sorted(days | {max(days) + timedelta(days=800)}):
            plan = COMPILED.plan(profile, on)
            for year in range(1990, on.year + 2):
                expected = tuple(c.in_force(plan.law_date(c, year)) for c in plan.criteria)
                assert plan.segment(year).active == expected, (on, year)
            # every criterion of the plan is in force for some year or on the date
            assert all(
                any(plan.segment(y).active[i] for y in range(1990, on.year + 2))
                for i in range(len(plan.criteria))
            )


class TestMixedRegister:
    """One register whose rows' fiscal years fall under different laws."""

    @pytest.mark.parametrize(
        ("profile", "on", "country", "form"),
        [
            ("vn/social-enterprise", date(2021, 12, 31), "VN", "vn/llc"),
            ("kr/social-enterprise", date(2023, 1, 1), "KR", "kr/social-cooperative"),
            ("fr/ess", date(2016, 1, 1), "FR", "fr/sas"),
        ],
    )
    def test_columnar_rows_take_their_own_law(
        self, profile: str, on: date, country: str, form: str
    ) -> None:
        """In the columnar lane each row takes the rules of its own fiscal year (the
        latest ended, or none), and gives the per-object verdict, outcomes and facts to
        collect, row by row."""
        pytest.importorskip("numpy")
        from sse_model._engine._columnar import compile_columnar, frame_from_organisations

        last = on.year if (on.month, on.day) == (12, 31) else on.year - 1
        accounts = [
            {"profit_after_tax": "100 X", "reinvested": "60 X", "to_reserves": "0 X"},
            {"profit_after_tax": "100 X", "revenue": "40 X", "labour_costs": "100 X"},
            # revenue from sales 20 % of labour costs: below both Korean revenue tests
            {"revenue": "20 X", "revenue_from_sales": "20 X", "labour_costs": "100 X"},
            {"profit_after_tax": "-5 X"},
            {},
        ]
        cur = {"VN": "VND", "KR": "KRW", "FR": "EUR"}[country]
        orgs = []
        for years in ([last - 1], [last], [last - 1, last], [], [last - 3]):
            for k, fy in enumerate(accounts):
                data = {y: {f: v.replace("X", cur) for f, v in fy.items()} for y in years}
                orgs.append(_org(country, form, data, id=f"o{len(orgs)}-{k}"))
        plan = COMPILED.plan(profile, on)
        assert plan.law is not None
        result = compile_columnar(plan)(frame_from_organisations(orgs, [plan], on=on))
        for i, org in enumerate(orgs):
            c = classify(org, profile, on=on, presumptions=False)
            missing = tuple(m.path for m in c.settlement.missing_facts) if c.settlement else ()
            assert not result.ambiguous[i]
            got = (
                int(result.verdicts[i]),
                tuple(result.outcomes[i].tolist()),
                result.missing_at(i),
            )
            expected = REFERENCE.raw(org, profile, on)
            assert got == (expected.verdict, expected.outcomes, missing), org.id

    def test_year_asked_for_that_a_row_lacks(self) -> None:
        """A fiscal year asked for and missing is judged under its own law in every lane:
        FY2020 on 2022-06-30 takes LoE 2014's rule (unknown: no accounts)."""
        org = _vn(2021)
        on = date(2022, 6, 30)
        c = classify(org, "vn/social-enterprise", on=on, fiscal_year=2020)
        assert _judged(c, "vn-se-reinvest-2014") == (
            Outcome.UNKNOWN,
            "loe-2014",
            date(2020, 12, 31),
        )
        assert c.criterion("vn-se-reinvest-2020").outcome is Outcome.NOT_APPLICABLE
        _lanes_agree(org, "vn/social-enterprise", on, 2020)


class TestKoreaSocialEnterprise:
    """kr/social-enterprise: the revenue test is 30 %-50 % (2007 rule) until 2022-06-07 and
    50 % from 2022-06-08 (Presidential Decree 32674), a change in the middle of a year."""

    def _org(self, *years: int) -> Organisation:
        # revenue from sales 40 % of labour costs: between the two thresholds
        fy = {"revenue": "400 KRW", "revenue_from_sales": "400 KRW", "labour_costs": "1000 KRW"}
        return _org("KR", "kr/social-cooperative", dict.fromkeys(years, fy))

    @pytest.mark.parametrize(
        ("on", "year", "rule", "label", "outcome"),
        [
            # FY2021 ended under the 2019 version, before the decree: 40 % is unresolved
            (date(2022, 6, 7), 2021, "kr-se-revenue-labour-2007", "2019", Outcome.UNKNOWN),
            (date(2022, 6, 8), 2021, "kr-se-revenue-labour-2007", "2019", Outcome.UNKNOWN),
            (date(2023, 1, 1), 2021, "kr-se-revenue-labour-2007", "2019", Outcome.UNKNOWN),
            # FY2022 ended under the 2022 version: 40 % is below 50 %
            (date(2022, 12, 31), 2022, "kr-se-revenue-labour", "2022", Outcome.NOT_MET),
            (date(2023, 6, 30), 2022, "kr-se-revenue-labour", "2022", Outcome.NOT_MET),
        ],
    )
    def test_both_sides_of_2022_06_08(
        self, on: date, year: int, rule: str, label: str, outcome: Outcome
    ) -> None:
        """A fiscal year is judged by the revenue test in force when it ended, whatever the
        evaluation date; the other test is not applicable to it, and the 2022 decision
        requires the test in force then in place of its own."""
        org = self._org(2021, 2022)
        c = classify(org, "kr/social-enterprise", on=on, fiscal_year=year)
        assert _judged(c, rule) == (outcome, label, fiscal_year_end(year))
        others = [r for r in c.criteria if r.id.startswith("kr-se-revenue") and r.id != rule]
        assert all(r.outcome is Outcome.NOT_APPLICABLE for r in others)
        assert len(others) == (1 if on >= date(2022, 6, 8) else 0)
        if outcome is Outcome.NOT_MET:
            assert c.verdict is Verdict.DOES_NOT_QUALIFY
        else:
            assert c.verdict is not Verdict.QUALIFIES
        _lanes_agree(org, "kr/social-enterprise", on, year)

    def test_the_2022_decision_takes_the_2007_test(self) -> None:
        """On 2022-07-01, FY2021 accounts whose revenue is 20 % of labour costs fail the
        2007 test in force when the year ended: the 2022 decision requires it in place of
        its own test, so the organisation does not qualify (every other fact unknown)."""
        fy = {"revenue": "20 KRW", "revenue_from_sales": "20 KRW", "labour_costs": "100 KRW"}
        org = _org("KR", None, {2021: fy})
        on = date(2022, 7, 1)
        c = classify(org, "kr/social-enterprise", on=on, presumptions=False)
        assert c.criterion("kr-se-revenue-labour-2007").outcome is Outcome.NOT_MET
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.settlement is None
        _lanes_agree(org, "kr/social-enterprise", on)

    def test_default_year_on_2022_07_01(self) -> None:
        """On 2022-07-01 the default fiscal year is 2021, judged by the 2007 rule."""
        c = classify(self._org(2021), "kr/social-enterprise", on=date(2022, 7, 1))
        assert c.fiscal_year == 2021
        assert c.criterion("kr-se-revenue-labour-2007").outcome is Outcome.UNKNOWN
        assert c.criterion("kr-se-revenue-labour").outcome is Outcome.NOT_APPLICABLE


class TestFranceEss:
    """fr/ess: the fractions of profit for commercial companies awaited an arrêté until
    2015-08-11; from 2015-08-12 (arrêté of 3 August 2015) 50 % retained and 20 % to the
    development fund."""

    def _org(self) -> Organisation:
        fy = {
            "profit_after_tax": "100 EUR",
            "reinvested": "40 EUR",
            "to_reserves": "30 EUR",
            "share_capital": "1000 EUR",
            "reserves": "10 EUR",
        }
        return _org("FR", "fr/sas", {2014: fy, 2015: fy})

    @pytest.mark.parametrize("on", [date(2015, 9, 1), date(2016, 6, 30), date(2020, 1, 1)])
    def test_fy2014_is_judged_under_the_2014_law(self, on: date) -> None:
        """FY2014 ended before the arrêté: its allocation rule is the pending one (anchor
        stated in the profile: an unresolved rule reads no fiscal-year fact), and the
        arrêté's fractions are not applicable to it."""
        c = classify(self._org(), "fr/ess", on=on, fiscal_year=2014)
        assert _judged(c, "fr-ess-co-allocation-pending")[:2] == (Outcome.UNKNOWN, "2014")
        for rule in ("fr-ess-co-retained", "fr-ess-co-development-fund"):
            assert c.criterion(rule).outcome is Outcome.NOT_APPLICABLE
        _lanes_agree(self._org(), "fr/ess", on, 2014)

    @pytest.mark.parametrize("on", [date(2015, 12, 31), date(2016, 6, 30), date(2020, 1, 1)])
    def test_fy2015_is_judged_under_the_arrete(self, on: date) -> None:
        """FY2015 ended under the arrêté: 70 % retained meets the 50 % rule."""
        c = classify(self._org(), "fr/ess", on=on, fiscal_year=2015)
        assert _judged(c, "fr-ess-co-retained")[0] is Outcome.MET
        assert c.criterion("fr-ess-co-retained").law_on == date(2015, 12, 31)
        assert c.criterion("fr-ess-co-allocation-pending").outcome is Outcome.NOT_APPLICABLE
        _lanes_agree(self._org(), "fr/ess", on, 2015)

    def test_the_profile_states_the_anchor(self) -> None:
        """The pending rule reads no fact: it is anchored at the fiscal year end because the
        profile says so."""
        p = COMPILED.profile("fr/ess")
        pending = next(c for c in p.criteria if c.id == "fr-ess-co-allocation-pending")
        assert anchored(pending)
        assert pending.anchor is not None


class TestUkCic:
    """gb/cic: the per-share dividend cap (reg. 18; from 2010-04-06 the 20 % cap) until
    2014-09-30, removed from 2014-10-01."""

    def _org(self) -> Organisation:
        fy = {
            "profit_after_tax": "100 GBP",
            "distributable_profit": "100 GBP",
            "dividends": "0 GBP",
        }
        return _org("GB", "gb/cic-shares", {2013: fy, 2014: fy})

    @pytest.mark.parametrize(
        ("year", "outcome", "label"),
        [(2013, Outcome.MET, "2010"), (2014, Outcome.NOT_APPLICABLE, "2014")],
    )
    def test_both_sides_of_2014_10_01(self, year: int, outcome: Outcome, label: str) -> None:
        """On 2015-03-01 (2014 version), FY2013 ended under the 2010 version and its
        per-share cap applies (adopted as written: it is unverified); FY2014 ended after the
        cap was removed."""
        on = date(2015, 3, 1)
        c = classify(
            self._org(),
            "gb/cic",
            on=on,
            fiscal_year=year,
            assumptions=Assumptions(unverified_as_written=True),
        )
        assert _judged(c, "gb-cic-share-cap-2010")[:2] == (outcome, label)
        _lanes_agree(self._org(), "gb/cic", on, year)


class TestThailandRevenueCode:
    """th/revenue-code-se: the same reinvestment rule, recorded with the version that
    judged it (RD 735's unverified first year)."""

    def test_version_recorded(self) -> None:
        """On 2022-06-30 (rd-735) FY2021 ended in the rd-735-day-unverified version."""
        fy = {"profit_after_tax": "100 THB", "reinvested": "80 THB"}
        c = classify(
            _org("TH", "th/limited-company", {2021: fy}),
            "th/revenue-code-se",
            on=date(2022, 6, 30),
        )
        assert c.version == "rd-735"
        assert _judged(c, "th-rd621-reinvest") == (
            Outcome.MET,
            "rd-735-day-unverified",
            date(2021, 12, 31),
        )


TWO_LAWS = """
format = 1
id = "xx/two-laws"
title = "Two laws"
jurisdiction = "XX"

[[instruments]]
id = "act"
title = "Act"

[[versions]]
label = "v1"
effective_from = 2019-01-01
effective_to = 2020-06-30

[[versions]]
label = "v2"
effective_from = 2020-07-01

[[criteria]]
id = "reinvest-v1"
description = "reinvests at least half"
instrument = "act"
article = "Art. 1"
principles = []
effective_to = 2020-06-30
test = { fact = "finances.reinvested_share", at_least = "1/2" }
{anchor_v1}

[[criteria]]
id = "reinvest-v2"
description = "reinvests at least 80 %"
instrument = "act"
article = "Art. 1 (amended)"
principles = []
effective_from = 2020-07-01
test = { fact = "finances.reinvested_share", at_least = "80 %" }
{anchor_v2}
"""


def _two_laws(v1: str = "", v2: str = "") -> Any:
    return parse_profile(TWO_LAWS.replace("{anchor_v1}", v1).replace("{anchor_v2}", v2))


class TestAnchorKey:
    """A profile may state another anchor per criterion; the loader checks the key."""

    def _fy(self) -> Organisation:
        return _org("DE", None, {2019: {"profit_after_tax": "100 EUR", "reinvested": "60 EUR"}})

    def test_default_fiscal_year_end(self) -> None:
        """FY2019 ended under v1 (50 %): met on 2021-06-30, though v2 (80 %) is in force."""
        p = _two_laws()
        c = classify(self._fy(), p, on=date(2021, 6, 30), fiscal_year=2019)
        assert _judged(c, "reinvest-v1") == (Outcome.MET, "v1", date(2019, 12, 31))
        assert c.criterion("reinvest-v2").outcome is Outcome.NOT_APPLICABLE
        assert c.verdict is Verdict.QUALIFIES
        for lane in (REFERENCE, COMPILED):
            assert lane.classify(self._fy(), p, on=date(2021, 6, 30), fiscal_year=2019) == c

    def test_evaluation_date_anchor(self) -> None:
        """With anchor = "evaluation_date" on both rules, v2's rule judges FY2019 on
        2021-06-30 (60 % < 80 %), and v1's is left out of the plan."""
        p = _two_laws('anchor = "evaluation_date"', 'anchor = "evaluation_date"')
        c = classify(self._fy(), p, on=date(2021, 6, 30), fiscal_year=2019)
        assert [r.id for r in c.criteria] == ["reinvest-v2"]
        assert _judged(c, "reinvest-v2") == (Outcome.NOT_MET, "v2", date(2021, 6, 30))
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert COMPILED.plan(p, date(2021, 6, 30)).law is None

    def test_documented_in_the_guide(self) -> None:
        """The profile-format guide documents the key and its two values."""
        from pathlib import Path

        text = (Path(__file__).parent.parent / "docs/guides/profile-format.md").read_text()
        assert "| `anchor` |" in text
        assert '"fiscal_year_end"' in text and '"evaluation_date"' in text

    @pytest.mark.parametrize(
        "line", ['anchor = "fiscal-year-end"', 'anchor = "today"', "anchor = 3"]
    )
    def test_bad_anchor_is_refused_with_its_path(self, line: str) -> None:
        """A misspelt or mistyped anchor is an InvalidProfile naming criteria[0].anchor."""
        with pytest.raises(InvalidProfile) as e:
            _two_laws(line)
        assert "criteria[0].anchor" in str(e.value)

    def test_bad_anchor_in_python_is_refused(self) -> None:
        """A profile built in Python with an anchor that is not an Anchor is refused."""
        import attrs

        p = _two_laws()
        bad = attrs.evolve(p, criteria=(attrs.evolve(p.criteria[0], anchor="x"), *p.criteria[1:]))
        with pytest.raises(InvalidProfile) as e:
            validate_profile(bad)
        assert "criteria[0].anchor" in str(e.value)


# --- the property ---------------------------------------------------------------------------

FY_PROFILES = {
    # profile: (first day of a version, fiscal years to draw)
    "vn/social-enterprise": (2016, 2023),
    "kr/social-enterprise": (2016, 2024),
    "fr/ess": (2014, 2023),
    "gb/cic": (2006, 2016),
    "th/social-enterprise": (2019, 2023),
    "th/revenue-code-se": (2017, 2023),
    "it/social-enterprise": (2018, 2024),
}

_CURRENCY = {"vn": "VND", "kr": "KRW", "fr": "EUR", "gb": "GBP", "th": "THB", "it": "EUR"}


@st.composite
def _fiscal_only(draw: st.DrawFn, profile: str) -> tuple[Organisation, int]:
    """An organisation whose only facts are the accounts of one fiscal year."""
    low, high = FY_PROFILES[profile]
    year = draw(st.integers(low, high))
    cur = _CURRENCY[profile[:2]]
    amount = st.integers(-50, 200)
    profit = draw(amount)
    parts = [draw(st.integers(0, max(profit, 0))) for _ in range(2)]
    fy: dict[str, str] = {
        "profit_after_tax": f"{profit} {cur}",
        "profit_before_tax": f"{profit + draw(st.integers(0, 50))} {cur}",
        "distributable_profit": f"{profit} {cur}",
    }
    optional = {
        "reinvested": parts[0],
        "dividends": min(parts[1], max(profit, 0) - parts[0]),
        "revenue": draw(st.integers(1, 500)),
        "labour_costs": draw(st.integers(1, 500)),
        "share_capital": draw(st.integers(1, 500)),
        "reserves": draw(st.integers(0, 500)),
    }
    for key, value in optional.items():
        if draw(st.booleans()):
            fy[key] = f"{max(value, 0)} {cur}"
    if "revenue" in fy and draw(st.booleans()):
        fy["revenue_from_sales"] = fy["revenue"]
    # the country is required (identity); every other fact is the year's accounts
    data = {"id": "o", "name": "O", "country": profile[:2].upper(), "finances": {str(year): fy}}
    return structure(data, Organisation), year


class TestFiscalYearOnly:
    """The law of a fiscal year does not move with the evaluation date."""

    @pytest.mark.parametrize("profile", sorted(FY_PROFILES))
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_outcome_depends_only_on_the_fiscal_year(
        self, profile: str, data: st.DataObject
    ) -> None:
        """For an organisation whose only facts are one fiscal year's accounts, every
        criterion about a fiscal year has the same outcome, and is judged by the same
        version, on any evaluation date after the year ended (issue 13: annual accounts
        are judged under the law in force at the end of the fiscal year)."""
        org, year = data.draw(_fiscal_only(profile), label="organisation")
        end = fiscal_year_end(year)
        days = st.integers(0, 3 * 366).map(lambda n: end + timedelta(days=n))
        first, second = data.draw(days, label="first"), data.draw(days, label="second")
        a = classify(org, profile, on=first, fiscal_year=year, presumptions=False)
        b = classify(org, profile, on=second, fiscal_year=year, presumptions=False)
        judged = [_applied(c, COMPILED.plan(profile, c.on).anchored) for c in (a, b)]
        assert judged[0], "no fiscal-year criterion judged this year"
        assert judged[0] == judged[1]
        assert {law_on for _, _, law_on in judged[0].values()} == {end}


def _applied(
    c: Classification, fiscal: frozenset[str]
) -> dict[str, tuple[Outcome, str | None, date | None]]:
    """The fiscal-year criteria in force for the classification's fiscal year."""
    return {
        r.id: (r.outcome, r.version, r.law_on)
        for r in c.criteria
        if r.id in fiscal and not (r.reason or "").startswith(NOT_IN_FORCE)
    }
