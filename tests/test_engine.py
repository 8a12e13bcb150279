"""The criteria language, its loader, and the two evaluators."""

from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from sse_model import (
    Classification,
    Classifier,
    InvalidProfile,
    NoVersionInForce,
    Organisation,
    Outcome,
    UnknownProfile,
    Verdict,
    classify,
    from_json,
    load_profile,
    load_profile_file,
    parse_profile,
    structure,
    to_json,
)

HEADER = """
format = 1
id = "xx/test"
title = "Test profile"
jurisdiction = "XX"

[[instruments]]
id = "act"
title = "Test Act"
"""

COOP_ACT = (
    HEADER
    + """
[[versions]]
label = "v1"
effective_from = 2020-01-01
effective_to = 2022-12-31

[[versions]]
label = "v2"
effective_from = 2023-01-01

[[parameters]]
name = "wage"
description = "annual minimum wage"
values = [
  { effective_from = 2020-01-01, effective_to = 2022-12-31, value = "1000 EUR" },
  { effective_from = 2023-01-01, value = "1200 EUR" },
]

[[criteria]]
id = "members"
description = "at least 7 members, then 5"
instrument = "act"
article = "Art. 1"
principles = ["voluntary_cooperation"]
effective_to = 2022-12-31
test = { fact = "governance.members", at_least = "7" }

[[criteria]]
id = "members-2023"
description = "at least 5 members"
instrument = "act"
article = "Art. 1 (2023)"
principles = ["voluntary_cooperation"]
effective_from = 2023-01-01
test = { fact = "governance.members", at_least = "5" }

[[criteria]]
id = "capital"
description = "no member holds more than two thirds... or exactly two thirds"
instrument = "act"
article = "Art. 2"
principles = ["democratic_governance"]
test = { fact = "governance.largest_member_capital_share", at_most = "2/3" }

[[criteria]]
id = "pay"
description = "top pay at most 10 times the minimum wage"
instrument = "act"
article = "Art. 3"
principles = ["primacy_of_people"]
test = { fact = "workforce.highest_pay", at_most = { parameter = "wage", times = "10" } }
"""
)


def org(**data: Any) -> Organisation:
    base: dict[str, Any] = {"id": "o", "name": "O", "country": "FR"}
    base.update(data)
    return structure(base, Organisation)


@pytest.fixture(scope="module")
def coop() -> Any:
    return parse_profile(COOP_ACT)


class TestThreeVerdicts:
    """A small profile shows all three verdicts with explanations."""

    def test_qualifies(self, coop: Any) -> None:
        """All criteria met: qualifies, and the text says why."""
        o = org(
            governance={"members": 7, "largest_member_capital_share": "2/3"},
            workforce={"highest_pay": "10000 EUR"},
        )
        c = classify(o, coop, on=date(2021, 6, 1))
        assert c.verdict is Verdict.QUALIFIES
        assert c.version == "v1"
        text = c.explain()
        assert "QUALIFIES" in text and "source: [1] Art. 2" in text and "[1] Test Act" in text
        assert "governance.largest_member_capital_share <= 2/3" in text

    def test_does_not_qualify(self, coop: Any) -> None:
        """One criterion not met: does not qualify, whatever is unknown."""
        o = org(governance={"members": 6})
        c = classify(o, coop, on=date(2021, 6, 1))
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert c.criterion("members").outcome is Outcome.NOT_MET
        assert c.settlement is None

    def test_undetermined_lists_what_would_settle_it(self, coop: Any) -> None:
        """Missing facts give undetermined, with the facts to collect for each way."""
        o = org(governance={"members": 9}, workforce={"highest_pay": "100 EUR"})
        c = classify(o, coop, on=date(2021, 6, 1))
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.to_qualify == ("capital",)
        assert c.settlement.to_disqualify == ("capital",)
        assert [m.path for m in c.settlement.missing_facts] == [
            "governance.largest_member_capital_share"
        ]
        assert "collect governance.largest_member_capital_share" in c.explain()


class TestBoundaries:
    """Boundary semantics are exact, with rationals where the law says so."""

    @pytest.mark.parametrize(
        ("share", "outcome"),
        [("2/3", Outcome.MET), ("0.6667", Outcome.NOT_MET), ("0.6666", Outcome.MET)],
    )
    def test_two_thirds(self, coop: Any, share: str, outcome: Outcome) -> None:
        """'at most two thirds' includes exactly 2/3 and excludes 66.67 %."""
        o = org(governance={"members": 7, "largest_member_capital_share": share})
        assert classify(o, coop, on=date(2021, 1, 1)).criterion("capital").outcome is outcome

    def test_dated_change_both_sides(self, coop: Any) -> None:
        """The member threshold drops from 7 to 5 on the new version's first day."""
        o = org(governance={"members": 6})
        assert (
            classify(o, coop, on=date(2022, 12, 31)).criterion("members").outcome
            is Outcome.NOT_MET
        )
        later = classify(o, coop, on=date(2023, 1, 1))
        assert later.criterion("members-2023").outcome is Outcome.MET
        assert [r.id for r in later.criteria] == ["members-2023", "capital", "pay"]

    def test_dated_parameter(self, coop: Any) -> None:
        """A threshold from a dated parameter uses the value in force on the date."""
        o = org(workforce={"highest_pay": "11000 EUR"})
        assert classify(o, coop, on=date(2022, 1, 1)).criterion("pay").outcome is Outcome.NOT_MET
        c = classify(o, coop, on=date(2023, 1, 1))
        assert c.criterion("pay").outcome is Outcome.MET
        assert c.criterion("pay").threshold == "workforce.highest_pay <= 10 × wage = 12000 EUR"

    def test_other_currency_is_unknown_not_converted(self, coop: Any) -> None:
        """An amount in another currency is never converted: the criterion is unknown."""
        o = org(workforce={"highest_pay": "100 USD"})
        r = classify(o, coop, on=date(2023, 1, 1)).criterion("pay")
        assert r.outcome is Outcome.UNKNOWN
        assert "never converted" in (r.reason or "")

    def test_no_version_in_force(self, coop: Any) -> None:
        """Asking for a date before the first version names the dated versions."""
        with pytest.raises(
            NoVersionInForce, match="v1 from 2020-01-01 to 2022-12-31; v2 from 2023-01-01"
        ):
            classify(org(), coop, on=date(2019, 12, 31))


CASES = (
    HEADER
    + """
[[versions]]
label = "v1"
effective_from = 2020-01-01
decision = { cases = [
  { when = "by-status", then = true },
  { when = "is-company", then = { all = ["reinvests", "not-listed"] } },
], otherwise = false }

[[criteria]]
id = "by-status"
description = "cooperatives and associations qualify by their status"
instrument = "act"
article = "Art. 1 1°"
principles = []
test = { fact = "family", in = ["cooperative", "association"] }

[[criteria]]
id = "is-company"
description = "commercial companies"
instrument = "act"
article = "Art. 1 2°"
principles = []
test = { fact = "family", in = ["company"] }

[[criteria]]
id = "reinvests"
description = "more than half of profit reinvested"
instrument = "act"
article = "Art. 1 2° c)"
principles = ["primacy_of_people"]
applies_if = { fact = "family", in = ["company"] }
test = { fact = "finances.reinvested_share", more_than = "50 %" }

[[criteria]]
id = "not-listed"
description = "not listed on a market"
instrument = "act"
article = "Art. 1 2° d)"
principles = ["autonomy"]
applies_if = { fact = "family", in = ["company"] }
test = { fact = "governance.listed_on_market", is = false }
"""
)


class TestCasesAndExceptions:
    """'These families qualify by status; companies if they meet conditions.'"""

    @pytest.fixture
    def profile(self) -> Any:
        return parse_profile(CASES)

    def test_by_status(self, profile: Any) -> None:
        """A cooperative qualifies by status; company conditions are not applicable."""
        c = classify(org(family="cooperative"), profile, on=date(2024, 1, 1))
        assert c.verdict is Verdict.QUALIFIES
        assert c.criterion("reinvests").outcome is Outcome.NOT_APPLICABLE

    def test_company_conditions(self, profile: Any) -> None:
        """A company qualifies only if it meets the conditions; 'more than 50 %' excludes 50 %."""
        fin = {"2023": {"profit_after_tax": "100 EUR", "reinvested": "50 EUR"}}
        o = org(family="company", governance={"listed_on_market": False}, finances=fin)
        assert classify(o, profile, on=date(2024, 1, 1)).verdict is Verdict.DOES_NOT_QUALIFY
        fin["2023"]["reinvested"] = "51 EUR"
        o = org(family="company", governance={"listed_on_market": False}, finances=fin)
        assert classify(o, profile, on=date(2024, 1, 1)).verdict is Verdict.QUALIFIES

    def test_unknown_family_is_undetermined(self, profile: Any) -> None:
        """With no legal form or family, every branch is possible: undetermined."""
        c = classify(org(), profile, on=date(2024, 1, 1))
        assert c.verdict is Verdict.UNDETERMINED

    def test_other_family_does_not_qualify(self, profile: Any) -> None:
        """A public body falls to 'otherwise'."""
        assert (
            classify(org(family="public_body"), profile, on=date(2024, 1, 1)).verdict
            is Verdict.DOES_NOT_QUALIFY
        )


class TestLoader:
    """Profile files are checked at load time; errors give path and line."""

    def bad(self, text: str) -> str:
        with pytest.raises(InvalidProfile) as info:
            parse_profile(text, "bad.toml")
        return str(info.value)

    def test_unknown_fact_with_line(self) -> None:
        """An unknown fact is reported with the criterion's path and line."""
        text = COOP_ACT.replace(
            '"governance.members", at_least = "7"', '"governance.membres", at_least = "7"'
        )
        msg = self.bad(text)
        assert "bad.toml" in msg
        assert "criteria[0].test.fact" in msg and "(line " in msg
        assert "unknown fact 'governance.membres'" in msg

    def test_bad_threshold(self) -> None:
        """A threshold in the wrong unit is rejected with what was expected."""
        msg = self.bad(COOP_ACT.replace('at_most = "2/3"', 'at_most = "2 kg"'))
        assert "expected a ratio" in msg

    def test_overlapping_versions_conflict(self) -> None:
        """Two versions in force on the same day are a conflict."""
        msg = self.bad(
            COOP_ACT.replace(
                "effective_to = 2022-12-31\n\n[[versions]]",
                "effective_to = 2023-06-30\n\n[[versions]]",
            )
        )
        assert "overlap (conflict)" in msg

    def test_rule_changing_inside_a_version(self) -> None:
        """A criterion's dates must coincide with version boundaries."""
        msg = self.bad(
            COOP_ACT.replace("effective_to = 2022-12-31\ntest", "effective_to = 2021-12-31\ntest")
        )
        assert "not the end of a version" in msg

    def test_decision_gap(self) -> None:
        """A decision that forgets an in-force criterion is a gap."""
        msg = self.bad(
            CASES.replace('then = { all = ["reinvests", "not-listed"] }', 'then = "reinvests"')
        )
        assert "'not-listed' is in force but the decision never uses it (gap)" in msg

    def test_cases_conflict(self) -> None:
        """Two cases on overlapping families that decide differently are a conflict."""
        msg = self.bad(
            CASES.replace(
                'in = ["company"] }\n\n[[criteria]]\nid = "reinvests"',
                'in = ["company", "cooperative"] }\n\n[[criteria]]\nid = "reinvests"',
            )
        )
        assert "cases 0 and 1 both apply when family is cooperative" in msg

    def test_otherwise_is_required(self) -> None:
        """A case analysis without 'otherwise' is a gap."""
        msg = self.bad(CASES.replace("], otherwise = false }", "] }"))
        assert "otherwise" in msg and "gap" in msg

    def test_unknown_keys_and_limits(self) -> None:
        """Unknown keys are reported; deep nesting and huge files are refused."""
        assert "colour" in self.bad(COOP_ACT + '\ncolour = "red"\n')
        deep = "{ not = " * 30 + '{ fact = "governance.listed_on_market", is = true }' + " }" * 30
        assert "nested deeper" in self.bad(
            COOP_ACT.replace('{ fact = "governance.members", at_least = "5" }', deep)
        )
        with pytest.raises(InvalidProfile, match="larger than"):
            parse_profile("#" * 2_000_000)

    def test_not_toml(self) -> None:
        """A syntax error is reported as such."""
        assert "not valid TOML" in self.bad("id = ")

    def test_user_file(self, tmp_path: Path) -> None:
        """Users load their own files."""
        f = tmp_path / "mine.toml"
        f.write_text(COOP_ACT, encoding="utf-8")
        assert load_profile_file(f).id == "xx/test"

    def test_unknown_shipped_profile(self) -> None:
        """An unknown id names the known ones."""
        with pytest.raises(UnknownProfile, match="intl/ilo-2022"):
            load_profile("zz/nothing")


class TestEvaluators:
    """The compiled evaluator is generated code that agrees with the reference."""

    def test_generated_code_holds_no_profile_text(self, coop: Any) -> None:
        """Values from profile files go in the namespace, never into the source."""
        from sse_model._engine._compiler import compile_plan

        fn = compile_plan(Classifier().plan(coop, date(2023, 1, 1)))
        src = fn.__source__  # type: ignore[attr-defined]
        assert "EUR" not in src and "wage" not in src
        assert ".numerator * 3 <= 2 * " in src  # 2/3 compared as integers

    def test_reference_and_compiled_agree_on_examples(self, coop: Any) -> None:
        """Both evaluators give the same raw result."""
        o = org(governance={"members": 7, "largest_member_capital_share": "0.7"})
        a = Classifier().raw(o, coop, date(2021, 1, 1))
        b = Classifier(evaluator="reference").raw(o, coop, date(2021, 1, 1))
        assert a == b


class TestExtends:
    """A national profile can build on an international base."""

    def test_base_criteria_are_evaluated(self) -> None:
        """Criteria of the base come first and both decisions must hold."""
        text = (
            COOP_ACT.replace(
                'jurisdiction = "XX"', 'jurisdiction = "XX"\nextends = "intl/ilo-2022"'
            )
            .replace(
                "effective_from = 2020-01-01\neffective_to = 2022-12-31\n\n[[versions]]",
                "effective_from = 2022-06-10\neffective_to = 2022-12-31\n\n[[versions]]",
            )
            .replace("{ effective_from = 2020-01-01,", "{ effective_from = 2022-06-10,")
        )
        p = parse_profile(text)
        c = classify(org(governance={"members": 3}), p, on=date(2024, 1, 1))
        assert c.criteria[0].id.startswith("ilo-")
        assert c.criteria[0].profile == "intl/ilo-2022"
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


def _chain_profile(profile_id: str, criterion: str, extends: str | None = None) -> str:
    """A one-criterion profile (at least 5 members) that may extend another."""
    ext = f'extends = "{extends}"\n' if extends else ""
    return (
        f'format = 1\nid = "{profile_id}"\ntitle = "T"\njurisdiction = "XX"\n{ext}'
        '[[instruments]]\nid = "act"\ntitle = "Act"\n'
        '[[versions]]\nlabel = "v1"\neffective_from = 2020-01-01\n'
        f'[[criteria]]\nid = "{criterion}"\ndescription = "d"\ninstrument = "act"\n'
        'article = "a"\nprinciples = []\ntest = { fact = "governance.members", at_least = "5" }\n'
    )


class TestBasesAtClassification:
    """A profile is classified against the bases it was loaded with (report D16)."""

    ON = date(2024, 1, 1)

    def _files(self, tmp_path: Path, base_id: str) -> tuple[Path, Path]:
        base = tmp_path / "my-base.toml"
        base.write_text(_chain_profile(base_id, "my-base-rule"), "utf-8")
        child = tmp_path / "child.toml"
        child.write_text(_chain_profile("xx/child", "child-rule", extends=base_id), "utf-8")
        return child, base

    def test_base_with_a_shipped_id(self, tmp_path: Path) -> None:
        """A base file declaring a shipped id (intl/ilo-2022) is the base used when
        classifying, never the shipped profile of that id."""
        child, base = self._files(tmp_path, "intl/ilo-2022")
        p = load_profile_file(child, bases=[base])
        c = Classifier().classify(org(governance={"members": 7}), p, on=self.ON)
        assert [x.id for x in c.criteria] == ["my-base-rule", "child-rule"]
        assert c.criteria[0].profile == "intl/ilo-2022"
        assert c.verdict is Verdict.QUALIFIES

    def test_base_with_an_unshipped_id(self, tmp_path: Path) -> None:
        """A base id that is not shipped needs no lookup at classification (no
        UnknownProfile), in classify, Classifier.plan and RegisterClassifier."""
        import pyarrow as pa

        from sse_model._io._batch import RegisterClassifier

        child, base = self._files(tmp_path, "xx/my-base")
        p = load_profile_file(child, bases=[base])
        c = classify(org(governance={"members": 3}), p, on=self.ON)
        assert [x.id for x in c.criteria] == ["my-base-rule", "child-rule"]
        assert c.verdict is Verdict.DOES_NOT_QUALIFY
        assert Classifier().plan(p, self.ON).sources == ("xx/my-base", "xx/child")
        table = pa.table(
            {"id": ["a"], "name": ["A"], "country": ["FR"], "governance.members": ["7"]}
        )
        result = RegisterClassifier(p, on=self.ON).classify_table(table)
        assert RegisterClassifier(p, on=self.ON).criteria == ["my-base-rule", "child-rule"]
        assert result.table.column("verdict").to_pylist() == ["qualifies"]

    def test_lookup_used_when_parsing(self) -> None:
        """A profile parsed with a lookup keeps the base that lookup gave."""
        mine = parse_profile(_chain_profile("intl/ilo-2022", "mine"))
        p = parse_profile(
            _chain_profile("xx/child", "child-rule", extends="intl/ilo-2022"),
            lookup=lambda _: mine,
        )
        assert p.base is mine
        plan = Classifier().plan(p, self.ON)
        assert [x.id for x in plan.criteria] == ["mine", "child-rule"]

    def test_python_built_profile_still_looks_up(self) -> None:
        """A profile without a carried base (built in Python) resolves extends by id."""
        p = attrs.evolve(parse_profile(_chain_profile("xx/child", "child-rule")))
        p = attrs.evolve(p, extends="intl/ilo-2022")
        assert p.base is None
        plan = Classifier().plan(p, self.ON)
        assert plan.sources == ("intl/ilo-2022", "xx/child")


class TestResultJSON:
    """Classification results serialize to stable JSON and back."""

    def test_round_trip_and_names(self, coop: Any) -> None:
        """Verdicts and outcomes use the documented names."""
        c = classify(org(governance={"members": 9}), coop, on=date(2021, 6, 1))
        text = to_json(c)
        assert '"verdict": "undetermined"' in text and '"outcome": "unknown"' in text
        assert from_json(text, Classification) == c


class TestPythonBuiltProfiles:
    """Profiles built in Python are checked like files before first use."""

    def test_build_and_classify(self) -> None:
        """A profile made of Python objects classifies like a file."""
        from fractions import Fraction

        from sse_model import (
            Citation,
            Compare,
            Criterion,
            Instrument,
            Op,
            Principle,
            Profile,
            Version,
        )

        p = Profile(
            id="xx/py",
            title="Built in Python",
            jurisdiction="XX",
            instruments=(Instrument("act", "Test Act"),),
            versions=(Version("v1", date(2020, 1, 1)),),
            criteria=(
                Criterion(
                    id="members",
                    description="at least 3 members",
                    test=Compare("governance.members", Op.AT_LEAST, Fraction(3)),
                    citation=Citation("act", "Art. 1"),
                    principles=frozenset({Principle.VOLUNTARY_COOPERATION}),
                ),
            ),
        )
        assert (
            classify(org(governance={"members": 3}), p, on=date(2024, 1, 1)).verdict
            is Verdict.QUALIFIES
        )

    def test_conflicts_are_caught(self) -> None:
        """Overlapping versions in a Python-built profile are refused."""
        from sse_model import Profile, Version, validate_profile

        p = Profile(
            id="xx/py",
            title="Overlap",
            jurisdiction="XX",
            criteria=(),
            versions=(Version("a", date(2020, 1, 1)), Version("b", date(2021, 1, 1))),
        )
        with pytest.raises(InvalidProfile, match="overlap"):
            validate_profile(p)
        with pytest.raises(InvalidProfile):
            classify(org(), p, on=date(2024, 1, 1))


class TestDefaultFiscalYear:
    """The default fiscal year is the latest that has ended on the evaluation date."""

    def _org(self) -> Any:
        from sse_model import Organisation, structure

        years = {
            str(y): {"profit_after_tax": "100 VND", "reinvested": f"{r} VND"}
            for y, r in ((2020, 60), (2021, 10))
        }
        data = {"id": "v", "name": "V", "country": "VN", "legal_form": "vn/llc", "finances": years}
        return structure(data, Organisation)

    @pytest.mark.parametrize(
        ("on", "year"),
        [
            (date(2021, 6, 30), 2020),
            (date(2021, 12, 30), 2020),
            (date(2021, 12, 31), 2021),
            (date(2022, 1, 1), 2021),
        ],
    )
    def test_latest_ended_year(self, on: date, year: int) -> None:
        """Fiscal year Y ends on 31 December Y: on 2021-06-30 the default is FY2020, not the
        2021 year still running; the compiled, reference and fast evaluators agree."""
        from sse_model import Classifier, classify

        org = self._org()
        c = classify(org, "vn/social-enterprise", on=on)
        assert c.fiscal_year == year
        ref = Classifier(evaluator="reference").raw(org, "vn/social-enterprise", on)
        fast = Classifier().evaluator("vn/social-enterprise", on)(org)
        assert (ref.verdict, ref.outcomes) == fast


def _sample(n: int) -> list[Organisation]:
    from sse_model import read_register

    path = Path(__file__).parent.parent / "examples" / "sample-register.jsonl"
    return [o for o in read_register(path) if isinstance(o, Organisation)][:n]


class TestDeferredExplanation:
    """A classification builds its explanation when first read, invisibly."""

    ON = date(2025, 6, 30)
    PROFILES = ("intl/ilo-2022", "vn/cooperative", "kr/social-enterprise")

    def test_equal_to_the_whole_one(self) -> None:
        """Deferred results equal, hash, serialise and print as the ones the reference
        classifier builds whole, with presumptions off, on and all."""
        whole = Classifier(evaluator="reference")
        for presumptions in (False, True, "all"):
            c = Classifier(presumptions=presumptions)
            w = Classifier(evaluator="reference", presumptions=presumptions)
            for org in _sample(20):
                for p in self.PROFILES:
                    expected = w.classify(org, p, on=self.ON)
                    assert to_json(c.classify(org, p, on=self.ON)) == to_json(expected)
                    got = c.classify(org, p, on=self.ON)
                    assert hash(got) == hash(expected)
                    assert c.classify(org, p, on=self.ON) == expected
                    assert c.classify(org, p, on=self.ON).explain() == expected.explain()
        assert whole.classify(org, p, on=self.ON) == classify(org, p, on=self.ON)

    def test_copies_and_changes(self) -> None:
        """Pickling, copying, ``attrs.evolve`` and ``attrs.asdict`` see the whole result."""
        import copy
        import pickle

        org = _sample(1)[0]
        expected = Classifier(evaluator="reference").classify(org, "intl/ilo-2022", on=self.ON)
        for copied in (
            pickle.loads(pickle.dumps(classify(org, "intl/ilo-2022", on=self.ON))),
            copy.deepcopy(classify(org, "intl/ilo-2022", on=self.ON)),
            attrs.evolve(classify(org, "intl/ilo-2022", on=self.ON)),
        ):
            assert copied == expected
        assert attrs.asdict(classify(org, "intl/ilo-2022", on=self.ON)) == attrs.asdict(expected)

    def test_verdict_costs_no_explanation(self, monkeypatch: Any) -> None:
        """Reading the verdict (and what is known at once) builds no explanation."""
        from sse_model._engine._explain import Pending

        def fail(self: Any) -> Any:
            raise AssertionError("explanation built")

        monkeypatch.setattr(Pending, "criteria", fail)
        monkeypatch.setattr(Pending, "settlement", fail)
        whole = Classifier(evaluator="reference")
        for org in _sample(20):
            r = Classifier().classify(org, "intl/ilo-2022", on=self.ON)
            w = whole.classify(org, "intl/ilo-2022", on=self.ON)
            assert (r.verdict, r.fiscal_year, r.rests_on_presumptions, r.inconsistencies) == (
                w.verdict,
                w.fiscal_year,
                w.rests_on_presumptions,
                w.inconsistencies,
            )
            assert repr(r) == repr(w)
        with pytest.raises(AssertionError, match="explanation built"):
            r.criteria  # noqa: B018

    def test_threads_read_one_result(self) -> None:
        """Threads reading the explanation of one result at once all see the same one."""
        from concurrent.futures import ThreadPoolExecutor

        org = _sample(3)[2]
        expected = Classifier(evaluator="reference").classify(org, "vn/cooperative", on=self.ON)
        for _ in range(20):
            r = classify(org, "vn/cooperative", on=self.ON)
            with ThreadPoolExecutor(8) as pool:
                seen = list(pool.map(getattr, [r] * 16, ["criteria", "settlement"] * 8))
            assert seen == [expected.criteria, expected.settlement] * 8

    def test_unknown_attribute(self) -> None:
        """An attribute that is no field still raises Python's usual AttributeError."""
        r = classify(_sample(1)[0], "intl/ilo-2022", on=self.ON)
        with pytest.raises(AttributeError, match="'Classification' object has no attribute"):
            r.nope  # type: ignore[attr-defined]  # noqa: B018


class TestSharedClassifier:
    """Module-level functions share one classifier: profiles compile once a process."""

    def test_classify_under_all_compiles_once(self, monkeypatch: Any) -> None:
        """A second ``classify_under_all`` call compiles no profile again."""
        from sse_model import classify_under_all
        from sse_model._engine import _classify

        compiled: list[object] = []
        real = _classify.compile_plan

        def counting(plan: Any, **kw: Any) -> Any:
            compiled.append(plan)
            return real(plan, **kw)

        monkeypatch.setattr(_classify, "_default", Classifier())
        monkeypatch.setattr(_classify, "compile_plan", counting)
        org = _sample(1)[0]
        first = classify_under_all(org, on=date(2025, 6, 30))
        assert compiled
        compiled.clear()
        again = classify_under_all(_sample(2)[1], on=date(2025, 6, 30))
        assert compiled == []
        assert len(again.results) == len(first.results)
        assert classify_under_all(org, on=date(2025, 6, 30)) == first
