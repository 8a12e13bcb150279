"""The policy lab: reforms, comparisons of profiles over a register, sweeps and margins."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sse_model
from sse_model import (
    AddCriterion,
    Citation,
    Criterion,
    InvalidProfile,
    Is,
    Organisation,
    Reform,
    RemoveCriterion,
    SetDecision,
    SetThreshold,
    classify,
    classify_table,
    compare,
    load_profile,
    load_profile_file,
    margins,
    sweep,
    testing,
    to_flat,
)
from sse_model._cli import main
from sse_model._engine._ast import All, Compare, Ref
from sse_model._engine._evaluate import fact_value, pick_fiscal_year
from sse_model._engine._facts import FACTS
from sse_model._engine._reform import parse_reform

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-register.jsonl"
ON = date(2025, 6, 30)
VN = "vn/social-enterprise"
REINVEST = "vn-se-reinvest-2020"
VERDICTS = ("qualifies", "does_not_qualify", "undetermined")

DRAFT = """
id = "vn/draft-reinvest-40"
base = "vn/social-enterprise"
title = "Draft: reinvest at least 40 %"
notes = ["A consultation draft."]

[[thresholds]]
criterion = "vn-se-reinvest-2020"
value = "40 %"
"""


def draft(value: Any, profile: str = VN, criterion: str = REINVEST) -> sse_model.Profile:
    """*profile* with *criterion*'s threshold set to *value*."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "0"
    rid = f"{profile.split('/', maxsplit=1)[0]}/draft-{slug[:60]}"
    return Reform(rid, profile, (SetThreshold(criterion, value),)).apply()


def vn_org(
    oid: str,
    reinvested: str | None,
    profit: str = "100 VND",
    **extra: Any,
) -> Organisation:
    """A Vietnamese social enterprise that meets every rule but, perhaps, reinvestment."""
    year: dict[str, Any] = {"profit_after_tax": profit, "profit_before_tax": profit}
    if reinvested is not None:
        year["reinvested"] = reinvested
    data = {
        "id": oid,
        "name": oid,
        "country": "VN",
        "legal_form": "vn/llc",
        "purpose": {"social": True, "commitment_registered": True},
        "finances": {"2024": year},
        **extra,
    }
    return sse_model.structure(data, Organisation)


def counts(results: list[sse_model.Classification]) -> dict[str, int]:
    c = Counter(r.verdict.value for r in results)
    return {v: c.get(v, 0) for v in VERDICTS}


def unique(orgs: list[Organisation]) -> list[Organisation]:
    return [attrs.evolve(o, id=f"o-{i}") for i, o in enumerate(orgs)]


def share_of(org: Organisation, fact: str = "finances.reinvested_share") -> Fraction | None:
    fy, _ = pick_fiscal_year(org, ON, None)
    v = fact_value(FACTS[fact], org, fy, ON)
    return v if isinstance(v, Fraction) else None


# --- reforms ------------------------------------------------------------------------------


class TestReforms:
    """A reform is an overlay on a profile; applying it gives an ordinary profile."""

    def test_file_reform_loads_as_a_profile(self, tmp_path: Path) -> None:
        """load_profile_file reads a reform file (it names its base) and applies it."""
        path = tmp_path / "draft.toml"
        path.write_text(DRAFT, "utf-8")
        p = load_profile_file(path)
        assert p.id == "vn/draft-reinvest-40"
        (c,) = [c for c in p.criteria if c.id == REINVEST]
        assert isinstance(c.test, Compare) and c.test.threshold == Fraction(2, 5)
        assert "A consultation draft." in p.notes
        assert p.scope == load_profile(VN).scope

    def test_threshold_change_reaches_every_comparison_of_the_criterion(self) -> None:
        """A threshold set on a criterion with two comparisons (LoE 2014) changes both,
        its readings too."""
        p = draft("40 %", criterion="vn-se-reinvest-2014")
        (c,) = [c for c in p.criteria if c.id == "vn-se-reinvest-2014"]
        from sse_model._engine._reform import compares_of

        assert {n.threshold for n in compares_of(c)} == {Fraction(2, 5)}
        assert len(compares_of(c)) == 6

    def test_fact_narrows_a_threshold_change(self) -> None:
        """With fact=, only that fact's comparisons change."""
        from sse_model._engine._reform import compares_of

        p = Reform(
            "vn/draft",
            VN,
            (SetThreshold("vn-se-reinvest-2014", "40 %", fact="finances.reinvested_share"),),
        ).apply()
        (c,) = [c for c in p.criteria if c.id == "vn-se-reinvest-2014"]
        by_fact = {(n.fact, n.threshold) for n in compares_of(c)}
        assert by_fact == {
            ("finances.reinvested_share", Fraction(2, 5)),
            ("finances.reinvested_share_before_tax", Fraction(51, 100)),
        }

    def test_removal_drops_the_criterion_from_an_all_decision(self) -> None:
        """Removing a criterion required in an 'all' decision removes it from it."""
        base = load_profile("kr/social-enterprise")
        p = Reform("kr/draft", base.id, (RemoveCriterion("kr-se-articles"),)).apply()
        assert all(c.id != "kr-se-articles" for c in p.criteria)
        for v in p.versions:
            assert v.decision is not None
            refs = {n.id for n in sse_model._engine._ast.walk(v.decision) if isinstance(n, Ref)}
            assert "kr-se-articles" not in refs

    def test_added_criterion_joins_explicit_decisions(self) -> None:
        """An added criterion is required by a version with its own decision."""
        new = Criterion(
            "kr-draft-social",
            "A social purpose",
            Is("purpose.social"),
            Citation("act-2007", "draft art. 1"),
            frozenset(),
        )
        base = load_profile("kr/social-enterprise")
        p = Reform("kr/draft", base.id, (AddCriterion(new),)).apply()
        for v in p.versions:
            assert isinstance(v.decision, All) and v.decision.items[-1] == Ref("kr-draft-social")

    def test_new_decision_keeps_the_scope(self) -> None:
        """A decision set by a reform still requires the base's territorial scope."""
        base = load_profile(VN)
        assert base.scope is not None
        ids = [c.id for c in base.criteria if c.in_force(ON)]
        decision = All(tuple(Ref(i) for i in ids if i != base.scope.criterion_id))
        p = Reform("vn/draft", VN, (SetDecision(decision, "loe-2020"),)).apply()
        v = p.version_on(ON)
        assert v.decision == All((Ref(base.scope.criterion_id), decision))

    def test_reform_classifies_in_every_lane(self) -> None:
        """The applied reform is a plain profile: the per-object and columnar lanes agree."""
        p = draft("40 %")
        orgs = [vn_org("a", "45 VND"), vn_org("b", "39 VND"), vn_org("c", None)]
        objects = [classify(o, p, on=ON).verdict.value for o in orgs]
        table = classify_table(pa.Table.from_pylist([to_flat(o) for o in orgs]), p, on=ON)
        assert table.table.column("verdict").to_pylist() == objects
        assert objects == ["qualifies", "does_not_qualify", "undetermined"]

    def test_cli_takes_a_reform_file(self, tmp_path: Path, capsys: Any) -> None:
        """sse-model classify --profile FILE accepts a reform file."""
        path = tmp_path / "draft.toml"
        path.write_text(DRAFT, "utf-8")
        code = main(["classify", str(SAMPLE), "--profile", str(path), "--on", "2025-06-30"])
        assert code == 0
        assert "vn/draft-reinvest-40" in capsys.readouterr().out


class TestReformValues:
    """Whatever a caller passes as a threshold, a reform applies or says why not."""

    @settings(max_examples=60)
    @given(
        value=st.one_of(
            st.booleans(),
            st.integers(-5, 10**6),
            st.floats(allow_nan=True),
            st.text(max_size=12),
            st.lists(st.integers(), max_size=2),
            st.dictionaries(st.sampled_from(["parameter", "times", "x"]), st.text(max_size=4)),
            st.fractions(),
        )
    )
    def test_any_value_applies_or_is_refused(self, value: Any) -> None:
        """A threshold value gives a profile whose comparison holds an exact share from 0
        to 1, or an InvalidProfile at the change's path; never another error."""
        reform = Reform("vn/draft", VN, (SetThreshold(REINVEST, value),))
        outcome: sse_model.Profile | InvalidProfile
        try:
            outcome = reform.apply()
        except InvalidProfile as e:
            outcome = e
        if isinstance(outcome, InvalidProfile):
            assert all(x.path.startswith("changes[0]") for x in outcome.errors)
            return
        (c,) = [c for c in outcome.criteria if c.id == REINVEST]
        assert isinstance(c.test, Compare) and isinstance(c.test.threshold, Fraction)
        assert 0 <= c.test.threshold <= 1


class TestReformInput:
    """Bad reforms raise InvalidProfile at the path of the change (bad-input rows 420-429)."""

    def errors(self, text: str) -> list[str]:
        with pytest.raises(InvalidProfile) as e:
            sse_model._engine._reform.load_reform_text(text, "draft.toml")
        return [str(x) for x in e.value.errors]

    def test_unknown_criterion(self) -> None:
        """A threshold for a criterion the base does not have names it and the choices."""
        (err,) = self.errors(DRAFT.replace(REINVEST, "vn-se-nope"))
        assert err.startswith("thresholds[0].criterion: unknown criterion 'vn-se-nope'")
        assert REINVEST in err

    def test_threshold_out_of_range(self) -> None:
        """A share above 100 % is refused at the value's path, as in a profile."""
        (err,) = self.errors(DRAFT.replace('"40 %"', '"140 %"'))
        assert err.startswith("thresholds[0].value: expected a share between 0 and 100 %")

    def test_float_threshold(self) -> None:
        """An unquoted float is refused (not exact), as in a profile."""
        (err,) = self.errors(DRAFT.replace('"40 %"', "0.4"))
        assert err.startswith("thresholds[0].value: write thresholds as strings")

    def test_unknown_key(self) -> None:
        """An unknown key of a reform file is an error, never ignored."""
        (err,) = self.errors(DRAFT + 'colour = "red"\n')
        assert "colour" in err

    def test_unknown_base(self) -> None:
        """A base no profile has is an error at 'base'."""
        (err,) = self.errors(DRAFT.replace('base = "vn/social-enterprise"', 'base = "vn/nope"'))
        assert err.startswith("base: cannot load 'vn/nope'")

    def test_same_id_as_base(self) -> None:
        """A reform needs an id of its own."""
        (err,) = self.errors(DRAFT.replace('id = "vn/draft-reinvest-40"', f'id = "{VN}"'))
        assert err.startswith("id: a reform needs an id of its own")

    def test_inherited_criterion(self) -> None:
        """A criterion of the base's base cannot be changed by a reform of the base."""
        esus = load_profile("fr/esus")
        assert esus.extends == "fr/ess"
        inherited = next(c.id for c in load_profile("fr/ess").criteria if "retained" in c.id)
        text = (
            f'id = "fr/draft"\nbase = "fr/esus"\n[[thresholds]]\n'
            f'criterion = "{inherited}"\nvalue = "30 %"\n'
        )
        (err,) = self.errors(text)
        assert err.startswith(f"thresholds[0].criterion: criterion {inherited!r} comes from")

    def test_added_criterion_checked_as_in_a_profile(self) -> None:
        """An added criterion citing no known instrument is an error at add[0]."""
        text = DRAFT + (
            '[[add]]\nid = "vn-draft-x"\ndescription = "d"\ninstrument = "nope"\n'
            'article = "1"\nprinciples = []\ntest = { fact = "purpose.social", is = true }\n'
        )
        (err,) = self.errors(text)
        assert err.startswith("add[0].instrument: unknown instrument 'nope'")

    def test_removal_a_decision_cannot_absorb(self) -> None:
        """Removing a criterion used inside an 'any' asks for a decision, at remove[0]."""
        text = 'id = "kr/draft"\nbase = "kr/social-enterprise"\nremove = ["kr-se-job-type"]\n'
        errs = self.errors(text)
        assert errs and all(e.startswith("remove[0]: criterion 'kr-se-job-type'") for e in errs)

    def test_decision_referring_to_no_criterion(self) -> None:
        """A decision naming a criterion the result does not have is reported."""
        text = DRAFT + '[[decisions]]\ndecision = { all = ["vn-se-nope"] }\n'
        errs = self.errors(text)
        assert errs[0].startswith("decisions[0].decision: refers to 'vn-se-nope'")
        assert all(e.startswith("decisions[0].decision: ") for e in errs)


# --- comparisons ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_comparison() -> sse_model.RegisterComparison:
    return compare(SAMPLE, VN, parse_reform(DRAFT).apply(), "th/social-enterprise", on=ON)


class TestCompare:
    """compare(): transitions, flips and counts, with the row accounting of classification."""

    def test_transitions_cover_every_organisation(
        self, sample_comparison: sse_model.RegisterComparison
    ) -> None:
        """The nine cells add up to the organisations classified, for every pair."""
        c = sample_comparison
        assert c.summary.rows == 3000 and c.summary.classified == 3000
        for i, j in c.pairs():
            t = c.transitions(i, j)
            assert [(e["from"], e["to"]) for e in t] == [
                (x, y) for x in VERDICTS for y in VERDICTS
            ]
            assert sum(e["count"] for e in t) == c.summary.classified

    def test_transitions_match_each_classification(
        self, sample_comparison: sse_model.RegisterComparison
    ) -> None:
        """The margins of the table are the verdict counts of classifying under each."""
        c = sample_comparison
        for k, p in enumerate(c.profiles):
            r = classify_table(
                [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()],
                c.profiles[k] if k != 1 else parse_reform(DRAFT).apply(),
                on=ON,
            )
            got = Counter(r.table.column("verdict").to_pylist())
            side = "from" if k == 0 else "to"
            pair = (0, 1) if k < 2 else (0, 2)
            t = c.transitions(*pair)
            for v in VERDICTS:
                assert sum(e["count"] for e in t if e[side] == v) == got.get(v, 0), (p, v)

    def test_flips_name_the_changed_criterion(
        self, sample_comparison: sse_model.RegisterComparison
    ) -> None:
        """A lower reinvestment floor flips organisations through that criterion alone."""
        flips = sample_comparison.flips(0, 1)
        assert flips
        assert {tuple(f["criteria"]) for f in flips} == {(REINVEST,)}
        assert all(f["outcomes"][REINVEST] == {"from": "not_met", "to": "met"} for f in flips)
        assert all(f["from"] == "does_not_qualify" for f in flips)

    def test_counts_by_group(self, sample_comparison: sse_model.RegisterComparison) -> None:
        """Counts by country add up; a Vietnamese reform moves only Vietnamese rows."""
        rows = sample_comparison.counts("country", 0, 1)
        assert sum(r["organisations"] for r in rows) == 3000
        moved = {r["country"]: r["changed"] for r in rows if r["changed"]}
        assert set(moved) == {"VN"}
        families = sample_comparison.counts("family", 0, 1)
        assert sum(r["organisations"] for r in families) == 3000

    def test_rejected_rows_counted_as_classification_counts_them(self, tmp_path: Path) -> None:
        """Bad rows are rejected, and counted, as classify_table counts them."""
        path = tmp_path / "reg.jsonl"
        good = SAMPLE.read_text("utf-8").splitlines()[:20]
        bad = '{"id": "x", "name": "x", "country": "VN", "workforce": {"paid_workers": -1}}'
        path.write_text("\n".join([*good, bad, good[0]]) + "\n", "utf-8")
        c = compare(path, VN, draft("40 %"), on=ON)
        r = sse_model.RegisterSummary()
        for chunk in [classify_table([json.loads(x) for x in [*good, bad, good[0]]], VN, on=ON)]:
            r = r + chunk.summary
        assert (c.summary.rows, c.summary.classified, c.summary.rejected) == (
            r.rows,
            r.classified,
            r.rejected,
        )
        assert c.summary.rejected == 2 and c.table.num_rows == 20

    def test_distinct_ids_required(self) -> None:
        """Two profiles with one id cannot be told apart: a ValueError."""
        with pytest.raises(ValueError, match="distinct ids"):
            compare(SAMPLE, VN, VN, on=ON)

    def test_frame_and_html(self, sample_comparison: sse_model.RegisterComparison) -> None:
        """to_pandas has one row per organisation; the HTML shows the transitions."""
        frame = sample_comparison.to_pandas()
        assert len(frame) == 3000
        assert {"verdict.vn/social-enterprise", "changed_criteria"} <= set(frame.columns)
        html = sample_comparison._repr_html_()
        assert "does_not_qualify" in html and "<table" in html
        matrix = sample_comparison.transition_matrix()
        assert int(matrix.to_numpy().sum()) == 3000

    def test_cli_json(self, tmp_path: Path) -> None:
        """--format json: transitions as from/to/count for the first pair, pairs beside."""
        out = tmp_path / "cmp.json"
        reform = tmp_path / "draft.toml"
        reform.write_text(DRAFT, "utf-8")
        args = ["compare", str(SAMPLE), "--profile", VN, "--profile", str(reform)]
        code = main(
            [
                *args,
                "--profile",
                "th/social-enterprise",
                "--on",
                "2025-06-30",
                "--output",
                str(out),
            ]
        )
        assert code == 0
        doc = json.loads(out.read_text("utf-8"))
        assert doc["profiles"] == [VN, "vn/draft-reinvest-40", "th/social-enterprise"]
        assert {"from", "to", "count"} == set(doc["transitions"][0])
        assert len(doc["pairs"]) == 2 and doc["pairs"][0]["transitions"] == doc["transitions"]
        assert doc["flips"] and doc["summary"]["rows"] == 3000

    def test_cli_table_csv_and_parquet(self, tmp_path: Path, capsys: Any) -> None:
        """The table, CSV and Parquet outputs: one row per organisation in the files."""
        reform = tmp_path / "draft.toml"
        reform.write_text(DRAFT, "utf-8")
        args = [
            "compare",
            str(SAMPLE),
            "--profile",
            VN,
            "--profile",
            str(reform),
            "--on",
            "2025-06-30",
        ]
        assert main(args) == 0
        text = capsys.readouterr().out
        assert "vn/social-enterprise -> vn/draft-reinvest-40" in text
        assert "organisations change verdict" in text
        assert main([*args, "--output", str(tmp_path / "c.csv")]) == 0
        lines = (tmp_path / "c.csv").read_text("utf-8").splitlines()
        assert len(lines) == 3001 and lines[0].endswith("changed_criteria")
        assert main([*args, "--output", str(tmp_path / "c.parquet")]) == 0
        import pyarrow.parquet as pq

        assert pq.read_table(tmp_path / "c.parquet").num_rows == 3000

    def test_cli_needs_two_profiles(self, capsys: Any) -> None:
        """One profile is a usage error (exit 2), before the register is read."""
        assert main(["compare", str(SAMPLE), "--profile", VN]) == 2
        assert "at least two profiles" in capsys.readouterr().err

    def test_cli_format_must_match_output(self, tmp_path: Path, capsys: Any) -> None:
        """--format json with a .csv output is a usage error."""
        args = ["compare", str(SAMPLE), "--profile", VN, "--profile", "th/social-enterprise"]
        assert main([*args, "--format", "json", "--output", str(tmp_path / "x.csv")]) == 2
        assert "does not match" in capsys.readouterr().err


# --- sweeps -----------------------------------------------------------------------------


class TestSweep:
    """sweep(): counts per value in one pass, the boundary decided exactly."""

    def test_boundary_is_exact(self) -> None:
        """A share of exactly 51 % meets ">= 51 %" and fails ">= 51 % + 1e-12"."""
        orgs = [vn_org("a", "51 VND"), vn_org("b", "50.999999999999 VND"), vn_org("c", None)]
        tiny = Fraction(51, 100) + Fraction(1, 10**12)
        s = sweep(orgs, VN, REINVEST, ["51 %", tiny, Fraction(50999999999999, 10**14)], on=ON)
        assert [(p.qualifies, p.does_not_qualify, p.undetermined) for p in s.points] == [
            (1, 1, 1),
            (0, 2, 1),
            (2, 0, 1),
        ]
        assert s.unobserved == 1

    def test_more_than_excludes_the_boundary(self) -> None:
        """Under '> t' (a reform replacing the test), the value t itself fails."""
        base = load_profile(VN)
        (c,) = [c for c in base.criteria if c.id == REINVEST]
        assert isinstance(c.test, Compare)
        strict = attrs.evolve(
            base,
            id="vn/strict",
            criteria=tuple(
                attrs.evolve(x, test=attrs.evolve(c.test, op=sse_model.Op.MORE_THAN))
                if x.id == REINVEST
                else x
                for x in base.criteria
            ),
        )
        s = sweep([vn_org("a", "51 VND")], strict, REINVEST, ["51 %", "50 %"], on=ON)
        assert [p.qualifies for p in s.points] == [0, 1]

    def test_sample_register_matches_classification(self) -> None:
        """On the sample register, each value's counts are those of classifying under it."""
        values = ["0 %", "40 %", "51 %", "70 %", "100 %"]
        s = sweep(SAMPLE, VN, REINVEST, values, on=ON)
        records = [json.loads(x) for x in SAMPLE.read_text("utf-8").splitlines()]
        for p, v in zip(s.points, values, strict=True):
            got = Counter(
                classify_table(records, draft(v), on=ON).table.column("verdict").to_pylist()
            )
            assert (p.qualifies, p.does_not_qualify, p.undetermined) == tuple(
                got.get(x, 0) for x in VERDICTS
            )
        assert s.current == Fraction(51, 100)
        assert len(s.to_pandas()) == 5 and "<table" in s._repr_html_()

    def test_parameter_sweep(self) -> None:
        """A parameter is swept through the comparisons that use it (times its factor)."""
        base = load_profile(VN)
        param = sse_model.Parameter(
            "floor",
            "reinvestment floor",
            (sse_model.DatedValue(date(2015, 1, 1), Fraction(51, 100)),),
        )
        (c,) = [c for c in base.criteria if c.id == REINVEST]
        assert isinstance(c.test, Compare)
        p = attrs.evolve(
            base,
            id="vn/with-floor",
            parameters=(param,),
            criteria=tuple(
                attrs.evolve(x, test=attrs.evolve(c.test, threshold=sse_model.Param("floor")))
                if x.id == REINVEST
                else x
                for x in base.criteria
            ),
        )
        orgs = [vn_org("a", "45 VND"), vn_org("b", "60 VND")]
        s = sweep(orgs, p, "floor", ["40 %", "51 %", "70 %"], on=ON)
        assert [p.qualifies for p in s.points] == [2, 1, 0]
        assert s.current == Fraction(51, 100)

    def test_bad_targets(self) -> None:
        """Unknown targets, targets with no comparison, amounts and bad values: ValueError
        (bad-input rows 430-433)."""
        with pytest.raises(ValueError, match="expected a criterion or parameter"):
            sweep([], VN, "vn-se-nope", ["1 %"], on=ON)
        with pytest.raises(ValueError, match="compares no fact"):
            sweep([], VN, "vn-se-objective", ["1 %"], on=ON)
        with pytest.raises(ValueError, match="several comparisons"):
            sweep([], VN, "vn-se-reinvest-2014", ["1 %"], on=ON)
        with pytest.raises(ValueError, match=r"values\[1\]: expected a share between 0 and 100 %"):
            sweep([], VN, REINVEST, ["1 %", "101 %"], on=ON)

    def test_at_most_matches_classification(self) -> None:
        """An 'at most' rule (Thailand's cap on distributed profit) sweeps as it
        classifies, boundaries included."""
        values = ["0 %", "10 %", "30 %", "50 %", "100 %"]
        profile, target = "th/social-enterprise", "th-se-distribution"
        s = sweep(SAMPLE, profile, target, values, on=ON)
        assert s.op is sse_model.Op.AT_MOST
        records = [json.loads(x) for x in SAMPLE.read_text("utf-8").splitlines()]
        for p, v in zip(s.points, values, strict=True):
            got = classify_table(records, draft(v, profile, target), on=ON)
            found = Counter(got.table.column("verdict").to_pylist())
            assert (p.qualifies, p.does_not_qualify, p.undetermined) == tuple(
                found.get(x, 0) for x in VERDICTS
            ), v

    def test_plot(self) -> None:
        """sweep_chart draws the three bands and marks the value in force."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        s = sweep(
            [vn_org("a", "45 VND"), vn_org("b", None)], VN, REINVEST, ["40 %", "60 %"], on=ON
        )
        ax = s.plot()
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels == ["qualifies", "undetermined", "does not qualify"]
        assert ax.get_lines()  # the value in force
        plt.close("all")


# --- the properties ---------------------------------------------------------------------


@st.composite
def vn_enterprises(draw: st.DrawFn) -> Organisation:
    """Vietnamese enterprises near the reinvestment floor: profits small and large,
    whole and not, losses (an undefined share), reinvestment unknown (sometimes bounded
    by the dividends paid), other rules met, not met or unknown, fiscal years under
    LoE 2014 and LoE 2020."""
    profit = draw(st.sampled_from(["100", "1000", "7", "100.5", "1234567.89", "-10", "0"]))
    p = Fraction(profit)
    if p > 0:
        share = draw(testing.ratios(around=[Fraction(51, 100), Fraction(2, 5), Fraction(7, 10)]))
        amount = (p * share).limit_denominator(100)
        known = draw(st.sampled_from([True, True, True, False]))
        reinvested = f"{float(amount):.2f}" if known else None
        if reinvested is not None and Fraction(reinvested) > p:
            reinvested = profit
    else:
        reinvested = draw(st.none() | st.just("0"))
    year = draw(st.sampled_from(["2019", "2023", "2024"]))
    year_data: dict[str, Any] = {"profit_after_tax": f"{profit} VND"}
    year_data["profit_before_tax"] = f"{profit} VND"
    if reinvested is None and p > 0 and draw(st.booleans()):
        # what is paid out bounds what can have been reinvested (interval bounds)
        part = draw(st.sampled_from([Fraction(1, 4), Fraction(49, 100), Fraction(1, 2), 1]))
        year_data["dividends"] = f"{float(p * part):.2f} VND"
    if reinvested is not None:
        year_data["reinvested"] = f"{reinvested} VND"
    purpose = {
        k: v
        for k, v in (
            ("social", draw(st.sampled_from([True, True, False, None]))),
            ("commitment_registered", draw(st.sampled_from([True, True, False, None]))),
        )
        if v is not None
    }
    data = {
        "id": "x",
        "name": "x",
        "country": "VN",
        "legal_form": draw(st.sampled_from(["vn/llc", "vn/jsc", "vn/cooperative"])),
        "purpose": purpose,
        "finances": {year: year_data},
    }
    return sse_model.structure(data, Organisation)


_registers = st.lists(
    st.one_of(vn_enterprises(), vn_enterprises(), vn_enterprises(), testing.organisations_for(VN)),
    min_size=1,
    max_size=8,
).map(unique)
_points = st.lists(
    st.sampled_from(
        [
            Fraction(0),
            Fraction(2, 5),
            Fraction(1, 2),
            Fraction(51, 100),
            Fraction(7, 10),
            Fraction(1),
        ]
    ),
    min_size=1,
    max_size=4,
)


class TestProperties:
    """The laws of reforms and sweeps."""

    @settings(max_examples=30)
    @given(orgs=_registers)
    def test_a_reform_that_changes_nothing_moves_nobody(self, orgs: list[Organisation]) -> None:
        """A reform that sets a threshold to the value it has gives zero transitions off
        the diagonal and changes no criterion's outcome."""
        same = draft("51 %")
        c = compare(orgs, VN, same, on=ON)
        assert sum(e["count"] for e in c.transitions() if e["from"] != e["to"]) == 0
        assert not any(c.changed_criteria())

    @settings(max_examples=30)
    @given(orgs=_registers, points=_points)
    def test_sweep_equals_classification(
        self, orgs: list[Organisation], points: list[Fraction]
    ) -> None:
        """At each value, the sweep's counts are those of classifying every organisation
        (per object) under the profile with that threshold, boundaries included: the
        organisations' own shares are swept too (LoE 2020 Art. 10(1)(c), >= is >=)."""
        exact = [s for o in orgs if (s := share_of(o)) is not None and 0 <= s <= 1]
        values = list(dict.fromkeys([*points, *exact]))
        s = sweep(orgs, VN, REINVEST, values, on=ON)
        for p, v in zip(s.points, values, strict=True):
            expected = counts([classify(o, draft(v), on=ON) for o in orgs])
            assert (p.qualifies, p.does_not_qualify, p.undetermined) == tuple(
                expected[x] for x in VERDICTS
            ), v

    @settings(max_examples=20)
    @given(orgs=_registers, points=_points)
    def test_sweep_on_a_table_equals_classify_table(
        self, orgs: list[Organisation], points: list[Fraction]
    ) -> None:
        """On flat columns (the columnar lane, with its exact lane), the sweep's counts
        are those of classify_table under each value."""
        table = pa.Table.from_pylist([to_flat(o) for o in orgs])
        exact = [s for o in orgs if (s := share_of(o)) is not None and 0 <= s <= 1]
        values = list(dict.fromkeys([*points, *exact]))
        s = sweep(table, VN, REINVEST, values, on=ON)
        for p, v in zip(s.points, values, strict=True):
            got = Counter(
                classify_table(table, draft(v), on=ON).table.column("verdict").to_pylist()
            )
            assert (p.qualifies, p.does_not_qualify, p.undetermined) == tuple(
                got.get(x, 0) for x in VERDICTS
            ), v
            assert p.total == s.summary.classified

    @settings(max_examples=30)
    @given(orgs=_registers, points=_points)
    def test_loosening_an_at_least_threshold_keeps_who_qualifies(
        self, orgs: list[Organisation], points: list[Fraction]
    ) -> None:
        """Lowering an 'at least' threshold never makes a qualifying organisation fail:
        the qualifying count never rises along the sweep, and no organisation moves out
        of 'qualifies' from the higher to the lower value."""
        values = sorted(set(points))
        s = sweep(orgs, VN, REINVEST, values, on=ON)
        qualifying = [p.qualifies for p in s.points]
        assert qualifying == sorted(qualifying, reverse=True)
        if len(values) > 1:
            high, low = draft(values[-1]), draft(values[0])
            c = compare(orgs, high, low, on=ON)
            assert all(
                e["count"] == 0
                for e in c.transitions()
                if e["from"] == "qualifies" and e["to"] != "qualifies"
            )


# --- margins ----------------------------------------------------------------------------


class TestMargins:
    """margins(): distance from each threshold, and the one change that would let in."""

    def test_nearest_miss(self) -> None:
        """An enterprise reinvesting 45 % is excluded by the reinvestment rule alone;
        margin -6 points, and the change needed is to reach 51 %."""
        orgs = [vn_org("a", "45 VND"), vn_org("b", "60 VND"), vn_org("c", None)]
        m = margins(orgs, VN, on=ON)
        rows = {r["organisation_id"]: r for r in m.table.to_pylist()}
        assert rows["a"]["excluded_by"] == REINVEST
        assert rows["a"][f"margin.{REINVEST}"] == pytest.approx(-0.06)
        assert rows["a"]["needed"] == "finances.reinvested_share >= 51 % (now 45 %)"
        assert rows["b"]["excluded_by"] is None and rows["b"]["verdict"] == "qualifies"
        assert rows["c"][f"margin.{REINVEST}"] is None
        assert [r["organisation_id"] for r in m.nearest_misses()] == ["a"]
        text = m.explain("a")
        assert f"{REINVEST}: 6 points below the threshold" in text
        assert f"excluded by {REINVEST} alone: finances.reinvested_share >= 51 %" in text
        assert f"{REINVEST}: no value to compare" in m.explain("c")
        with pytest.raises(KeyError):
            m.explain("nobody")

    def test_two_failing_criteria_name_no_single_change(self) -> None:
        """An organisation two criteria exclude has no single change listed."""
        org = vn_org("a", "45 VND", legal_form="vn/cooperative")
        (row,) = margins([org], VN, on=ON).table.to_pylist()
        assert row["verdict"] == "does_not_qualify" and row["excluded_by"] is None

    def test_sample_register(self) -> None:
        """On the sample register, every excluded_by names a criterion whose outcome was
        not met."""
        m = margins(SAMPLE, VN, on=ON)
        assert m.table.num_rows == 3000
        misses = m.nearest_misses(top=1000)
        assert misses and all(r["verdict"] == "does_not_qualify" for r in misses)


class TestMarginsInTheExplanation:
    """Classification.explain(margins=...) and explain --margins: the margins listed."""

    def test_default_explanation_unchanged(self) -> None:
        """Without margins the explanation is the one render_text writes, word for word."""
        org = vn_org("a", "45 VND")
        result = classify(org, VN, on=ON)
        assert result.explain() == result.explain(margins=None) == str(result)
        assert "Margins" not in result.explain()

    def test_section_follows_the_explanation(self) -> None:
        """With margins, the explanation is followed by the distance (exact, in points)
        and the one change that would let the organisation qualify."""
        org = vn_org("a", "45 VND")
        result = classify(org, VN, on=ON)
        text = result.explain(margins=margins(org, VN, on=ON))
        assert text.startswith(result.explain().rstrip("\n"))
        tail = text.split("Margins (distance of each observed value from its threshold):")[1]
        assert (
            f"{REINVEST}: 6 points below the threshold (finances.reinvested_share 45 %; "
            "finances.reinvested_share >= 51 % fails)" in tail
        )
        assert (
            f"excluded by {REINVEST} alone: finances.reinvested_share >= 51 % (now 45 %)" in tail
        )

    def test_boundary_semantics(self) -> None:
        """At exactly the threshold, ">= 51 %" holds and "> 51 %" fails, and the verdicts
        agree with the classification."""
        base = load_profile(VN)
        (c,) = [c for c in base.criteria if c.id == REINVEST]
        assert isinstance(c.test, Compare)
        strict = attrs.evolve(
            base,
            id="vn/strict",
            criteria=tuple(
                attrs.evolve(x, test=attrs.evolve(c.test, op=sse_model.Op.MORE_THAN))
                if x.id == REINVEST
                else x
                for x in base.criteria
            ),
        )
        org = vn_org("a", "51 VND")
        at = margins(org, VN, on=ON).lines("a")
        assert at[0].startswith(f"  {REINVEST}: at the threshold") and "51 % holds" in at[0]
        m = margins(org, strict, on=ON)
        assert "> 51 % fails" in m.lines("a")[0]
        assert f"excluded by {REINVEST} alone: finances.reinvested_share > 51 %" in m.lines("a")[1]
        result = classify(org, strict, on=ON)
        assert result.verdict.value == "does_not_qualify" and "Margins" in result.explain(
            margins=m
        )

    def test_exact_for_one_organisation(self) -> None:
        """A margin a float cannot write (1/3 - 51 %) is exact for one organisation: the
        table's float is the exact difference rounded, the text says ≈."""
        org = vn_org("a", "1 VND", profit="3 VND")
        m = margins(org, VN, on=ON)
        (row,) = m.table.to_pylist()
        assert row[f"margin.{REINVEST}"] == float(Fraction(1, 3) - Fraction(51, 100))
        assert "≈ 17.66666667 points below the threshold" in m.lines("a")[0]

    def test_one_implementation(self) -> None:
        """One organisation's margins are its row of the register's margins."""
        orgs = [vn_org("a", "45 VND"), vn_org("b", "60 VND"), vn_org("c", None)]
        together = {r["organisation_id"]: r for r in margins(orgs, VN, on=ON).table.to_pylist()}
        for o in orgs:
            (alone,) = margins(o, VN, on=ON).table.to_pylist()
            assert {k: v for k, v in alone.items() if k != "row"} == {
                k: v for k, v in together[o.id].items() if k != "row"
            }

    def test_counts_in_their_unit(self) -> None:
        """A count's margin is in the count's unit (members), whole."""
        m = margins(SAMPLE, "mn/cooperative", on=ON)
        col = "margin.mn-coop-min-founders"
        rows = [r for r in m.table.to_pylist() if r[col] is not None]
        assert rows
        for r in rows[:20]:
            line = m.lines(r["organisation_id"])[0]
            if r[col]:
                assert f" {abs(int(r[col]))} members " in line
            assert line.endswith("holds)") == (r[col] >= 0)

    def test_mismatched_margins_refused(self) -> None:
        """Margins under another profile, or with another verdict, are refused."""
        org = vn_org("a", "45 VND")
        result = classify(org, VN, on=ON)
        with pytest.raises(ValueError, match="expected margins under"):
            result.explain(margins=margins(org, "th/social-enterprise", on=ON))
        other = margins(vn_org("a", "60 VND"), VN, on=ON)
        with pytest.raises(ValueError, match="same date and options"):
            result.explain(margins=other)

    @settings(max_examples=30, deadline=None)
    @given(st.integers(1, 200).flatmap(lambda p: st.tuples(st.integers(0, p), st.just(p))))
    def test_the_test_holds_when_the_criterion_is_met(self, amounts: tuple[int, int]) -> None:
        """Law (Decree 47/2021 art. 3-6, reinvest >= 51 %): the margin is the exact share
        minus 51 %, and the explanation's test holds exactly when the criterion is met."""
        reinvested, profit = amounts
        org = vn_org("a", f"{reinvested} VND", profit=f"{profit} VND")
        share = share_of(org)
        m = margins(org, VN, on=ON)
        line = m.lines("a")[0]
        outcome = classify(org, VN, on=ON).criterion(REINVEST).outcome.value
        if share is None:
            assert "no value to compare" in line
            return
        (row,) = m.table.to_pylist()
        assert row[f"margin.{REINVEST}"] == float(share - Fraction(51, 100))
        assert line.endswith("holds)") == (outcome == "met")

    def test_cli_explain_margins(self, tmp_path: Path, capsys: Any) -> None:
        """explain --margins appends the section; without it, the text is as before;
        --margins without --profile is a usage error."""
        path = tmp_path / "org.json"
        path.write_text(json.dumps(to_flat(vn_org("a", "45 VND"))), "utf-8")
        args = ["explain", str(path), "--profile", VN, "--on", "2025-06-30"]
        assert main(args) == 0
        plain = capsys.readouterr().out
        assert main([*args, "--margins"]) == 0
        text = capsys.readouterr().out
        assert "Margins" not in plain and text.startswith(plain.rstrip("\n"))
        assert f"excluded by {REINVEST} alone" in text
        assert main(["explain", str(path), "--margins", "--on", "2025-06-30"]) == 2
        assert "--margins goes with --profile" in capsys.readouterr().err


class TestSweepCli:
    """sse-model sweep: counts per value, formats by extension, rows as classify."""

    ARGS = ("--profile", VN, "--criterion", REINVEST, "--on", "2025-06-30")

    def test_range_is_exact(self, tmp_path: Path) -> None:
        """--from/--to/--step give exact values, the last included (0.4 + 2 x 0.1 is 0.6),
        and the counts are those of sweep()."""
        out = tmp_path / "s.json"
        rng = ["--from", "0.4", "--to", "0.6", "--step", "0.1"]
        assert main(["sweep", str(SAMPLE), *self.ARGS, *rng, "--output", str(out)]) == 0
        doc = json.loads(out.read_text("utf-8"))
        assert [p["value"] for p in doc["points"]] == ["0.4", "0.5", "0.6"]
        s = sweep(SAMPLE, VN, REINVEST, ["40 %", "50 %", "60 %"], on=ON)
        assert doc["points"] == s.records()
        assert doc["summary"] == {"rows": 3000, "classified": 3000, "rejected": 0}
        assert doc["current"] == "0.51" and doc["unobserved"] == s.unobserved

    def test_formats(self, tmp_path: Path, capsys: Any) -> None:
        """table by default; csv and parquet by extension, one row per value."""
        args = ["sweep", str(SAMPLE), *self.ARGS, "--values", "40 %, 51 %"]
        assert main(args) == 0
        text = capsys.readouterr().out
        assert "the profile sets 51 %" in text and "undetermined" in text
        s = sweep(SAMPLE, VN, REINVEST, ["40 %", "51 %"], on=ON)
        assert f"{s.points[0].qualifies} (" in text.splitlines()[-2]
        assert main([*args, "--output", str(tmp_path / "s.csv")]) == 0
        lines = (tmp_path / "s.csv").read_text("utf-8").splitlines()
        assert lines[0].startswith("value,threshold,qualifies") and len(lines) == 3
        assert main([*args, "--output", str(tmp_path / "s.parquet")]) == 0
        import pyarrow.parquet as pq

        table = pq.read_table(tmp_path / "s.parquet")
        assert table.column("qualifies").to_pylist() == [p.qualifies for p in s.points]
        assert main([*args, "--format", "parquet"]) == 2

    def test_rejected_rows_counted_as_classify(self, tmp_path: Path, capsys: Any) -> None:
        """Bad rows are rejected and counted as classify counts them; exit code 1 as
        classify's, the rows written with --errors."""
        path = tmp_path / "reg.jsonl"
        good = SAMPLE.read_text("utf-8").splitlines()[:20]
        bad = '{"id": "x", "name": "x", "country": "VN", "workforce": {"paid_workers": -1}}'
        path.write_text("\n".join([*good, bad]) + "\n", "utf-8")
        errors, out = tmp_path / "errors.jsonl", tmp_path / "s.json"
        opts = ["--values", "40 %", "--errors", str(errors), "--output", str(out)]
        code = main(["sweep", str(path), *self.ARGS, *opts])
        expected = main(["classify", str(path), "--profile", VN, "--on", "2025-06-30"])
        capsys.readouterr()
        assert code == expected == 1
        doc = json.loads(out.read_text("utf-8"))
        assert doc["summary"] == {"rows": 21, "classified": 20, "rejected": 1}
        assert sum(doc["points"][0][v] for v in VERDICTS) == 20
        assert len(errors.read_text("utf-8").splitlines()) == 1

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--values", "40 %", "--from", "0.1"], "not both"),
            ([], "needs --values"),
            (["--from", "0.5", "--to", "0.4", "--step", "0.1"], "is below --from"),
            (["--from", "0.4", "--to", "0.5", "--step", "0"], "positive step"),
            (["--from", "x", "--to", "0.5", "--step", "0.1"], "--from: expected a ratio"),
            (["--from", "0", "--to", "1", "--step", "1/1000000"], "at most"),
            (["--values", "40 %,,50 %"], "separated by commas"),
            (["--values", "140 %"], "between 0 and 100 %"),
        ],
    )
    def test_bad_values(self, extra: list[str], message: str, capsys: Any) -> None:
        """Bad values or ranges are usage errors (exit 2) naming the option."""
        assert main(["sweep", str(SAMPLE), *self.ARGS, *extra]) == 2
        assert message in capsys.readouterr().err

    def test_unknown_criterion(self, capsys: Any) -> None:
        """A criterion the profile lacks is a usage error listing the profile's own."""
        args = ["sweep", str(SAMPLE), "--profile", VN, "--criterion", "nope", "--values", "0.4"]
        assert main(args) == 2
        assert REINVEST in capsys.readouterr().err


class TestSweepBounds:
    """sweep() with no observed value: the facts known bound it (interval bounds)."""

    def test_bound_decides_at_some_values(self) -> None:
        """Dividends of half the profit cap the reinvested share at 50 %: ">= 51 %" is not
        met, ">= 50 %" and ">= 40 %" stay unknown, as a classification at each value."""
        data = {
            "id": "a",
            "name": "a",
            "country": "VN",
            "legal_form": "vn/llc",
            "purpose": {"social": True, "commitment_registered": True},
            "finances": {
                "2024": {
                    "profit_after_tax": "100 VND",
                    "profit_before_tax": "100 VND",
                    "dividends": "50 VND",
                }
            },
        }
        org = sse_model.structure(data, Organisation)
        values = ["40 %", "50 %", "51 %"]
        s = sweep([org], VN, REINVEST, values, on=ON)
        got = [(p.qualifies, p.does_not_qualify, p.undetermined) for p in s.points]
        assert got == [(0, 0, 1), (0, 0, 1), (0, 1, 0)]
        assert got == [tuple(counts([classify(org, draft(v), on=ON)]).values()) for v in values]
        assert (s.bounded, s.unobserved) == (1, 1)

    def test_sample_register_high_values(self) -> None:
        """On the sample register, high values (where bounds decide) match classification."""
        values = ["70 %", "100 %"]
        s = sweep(SAMPLE, VN, REINVEST, values, on=ON)
        records = [json.loads(x) for x in SAMPLE.read_text("utf-8").splitlines()]
        for p, v in zip(s.points, values, strict=True):
            got = Counter(
                classify_table(records, draft(v), on=ON).table.column("verdict").to_pylist()
            )
            assert (p.qualifies, p.does_not_qualify, p.undetermined) == tuple(
                got.get(x, 0) for x in VERDICTS
            )
        assert s.bounded > 0


class TestShippedReforms:
    """The reform files under examples/reforms: valid, and the drafts the guide uses."""

    FILES = sorted((ROOT / "examples" / "reforms").glob("*.toml"))

    def test_there_are_some(self) -> None:
        """At least the Vietnamese 40 % draft ships."""
        assert "vn-draft-reinvest-40.toml" in [p.name for p in self.FILES]

    @pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
    def test_loads_and_is_a_valid_profile(self, path: Path) -> None:
        """Each file applies to its base as a valid profile with an id of its own."""
        profile = load_profile_file(path)
        sse_model.validate_profile(profile)  # raises InvalidProfile on a problem
        assert profile.id not in sse_model.profile_ids()

    def test_vietnamese_draft_is_a_40_percent_floor(self) -> None:
        """The Vietnamese draft changes only the reinvestment floor, to 40 %."""
        shipped = load_profile_file(ROOT / "examples" / "reforms" / "vn-draft-reinvest-40.toml")
        assert shipped.criteria == draft("40 %").criteria
        assert shipped.id == "vn/draft-reinvest-40"

    def test_cli_compare_with_the_file(self, capsys: Any) -> None:
        """sse-model compare takes the file; only Vietnamese organisations change."""
        path = ROOT / "examples" / "reforms" / "vn-draft-reinvest-40.toml"
        args = ["compare", str(SAMPLE), "--profile", VN, "--profile", str(path)]
        assert main([*args, "--on", "2025-06-30"]) == 0
        assert "organisations change verdict (VN " in capsys.readouterr().out
