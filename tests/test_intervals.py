"""Comparisons decided by what the known facts allow (issue 15): a fact unknown because
an input is missing, whose every completion gives the same outcome."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sse_model import (
    Classifier,
    InvalidInput,
    Organisation,
    Outcome,
    Verdict,
    classify,
    parse_profile,
    profile_ids,
    structure,
    testing,
    unstructure,
)
from sse_model._engine._ast import Compare, Is, Op, Truth
from sse_model._engine._evaluate import _leaf, bounded
from sse_model._engine._facts import FACTS
from sse_model._engine._intervals import Span, bounding_paths, decide_span, field_span
from sse_model._engine._result import MET, NOT_MET, UNKNOWN
from sse_model._model import Money
from sse_model._model._declare import Kind, Positive, spec_of
from sse_model._model._organisation import FiscalYear
from sse_model._model._schema import COLUMNS, DERIVED, RECORDS

CLASSIFIER = Classifier()
REFERENCE = Classifier(evaluator="reference")
FR_ON = date(2024, 1, 1)


def build(data: dict[str, Any]) -> Organisation:
    return structure(data, Organisation)


# --- golden tests -------------------------------------------------------------------


def fr_company(**year: str | None) -> Organisation:
    """A French SAS with an ESS mention, meeting every fr/ess rule but the year's
    allocation, which *year* gives (``None``: unknown)."""
    accounts = {
        "profit_after_tax": "1000 EUR",
        "reserves": "1000 EUR",
        "share_capital": "10000 EUR",
        **year,
    }
    return build(
        {
            "id": "fr",
            "name": "SAS solidaire",
            "country": "FR",
            "legal_form": "fr/sas",
            "purpose": {"social": True, "primary": ["support_fragile_persons"]},
            "statutes": {
                "democratic_governance": True,
                "reserves_indivisible": True,
                "residual_assets": "similar_entity",
                "required_clauses": True,
                "profit_rule": "limited",
            },
            "certifications": [
                {"kind": "fr/ess-mention", "granted_on": "2015-01-01", "indefinite": True}
            ],
            "finances": {"2023": {k: v for k, v in accounts.items() if v is not None}},
        }
    )


def fr_retained(o: Organisation) -> tuple[Outcome, tuple[str, ...], Verdict]:
    c = classify(o, "fr/ess", on=FR_ON, fiscal_year=2023)
    r = c.criterion("fr-ess-co-retained")
    return r.outcome, r.missing, c.verdict


class TestRetainedShare:
    """Arrêté of 3 August 2015 art. 2 (fr-ess-co-retained): at least 50 % of the year's
    profit to reserves or retained earnings, decided when the reserves alone settle it."""

    def test_reserves_alone_meet_the_threshold(self) -> None:
        """Art. 2: 60 % to reserves meets 50 % whatever was reinvested (unknown)."""
        outcome, missing, verdict = fr_retained(fr_company(to_reserves="600 EUR"))
        assert outcome is Outcome.MET
        assert missing == ()
        assert verdict is Verdict.QUALIFIES

    def test_reserves_exactly_at_the_threshold(self) -> None:
        """Art. 2: exactly 50 % to reserves is at least 50 %: met (exact boundary)."""
        outcome, _, verdict = fr_retained(fr_company(to_reserves="500 EUR"))
        assert outcome is Outcome.MET
        assert verdict is Verdict.QUALIFIES

    def test_reserves_just_below_the_threshold(self) -> None:
        """Art. 2: 49.999 % to reserves, reinvested unknown: unknown, and the reinvested
        amount is the fact that settles it."""
        outcome, missing, verdict = fr_retained(fr_company(to_reserves="499.99 EUR"))
        assert outcome is Outcome.UNKNOWN
        assert missing == ("finances[2023].reinvested",)
        assert verdict is Verdict.UNDETERMINED

    def test_distributions_leave_too_little(self) -> None:
        """Art. 2: dividends of 50.001 % leave less than 50 % to keep: not met, whatever
        was reinvested."""
        o = fr_company(to_reserves="100 EUR", dividends="500.01 EUR")
        outcome, missing, verdict = fr_retained(o)
        assert outcome is Outcome.NOT_MET
        assert missing == ()
        assert verdict is Verdict.DOES_NOT_QUALIFY

    def test_distributions_leave_exactly_enough(self) -> None:
        """Art. 2: dividends of exactly 50 % leave at most 50 %: it may be met (all the
        rest kept) or not, so unknown."""
        o = fr_company(to_reserves="100 EUR", dividends="500 EUR")
        assert fr_retained(o)[0] is Outcome.UNKNOWN

    def test_unknown_profit_stays_unknown(self) -> None:
        """Art. 2: with the profit unknown the share is unbounded (or a loss): unknown."""
        o = fr_company(to_reserves="600 EUR", profit_after_tax=None)
        outcome, missing, _ = fr_retained(o)
        assert outcome is Outcome.UNKNOWN
        assert "finances[2023].profit_after_tax" in missing

    def test_known_amounts_decide_as_before(self) -> None:
        """Art. 2: with every amount known the outcome is the known share's."""
        o = fr_company(to_reserves="200 EUR", reinvested="300 EUR")
        assert fr_retained(o)[0] is Outcome.MET
        o = fr_company(to_reserves="200 EUR", reinvested="299.99 EUR")
        assert fr_retained(o)[0] is Outcome.NOT_MET


def it_company(**workforce: int) -> Organisation:
    return build(
        {
            "id": "it",
            "name": "Impresa sociale",
            "country": "IT",
            "legal_form": "it/srl",
            "workforce": workforce,
            "finances": {
                "2024": {"revenue": "1000 EUR", "revenue_from_general_interest": "100 EUR"}
            },
        }
    )


WORKERS_TEST = """
format = 1
id = "xx/workers"
title = "Work integration with a stated meaning for no workers"
jurisdiction = "XX"

[[instruments]]
id = "act"
title = "Test Act"

[[versions]]
label = "v1"
effective_from = 2020-01-01

[[criteria]]
id = "integration"
description = "disadvantaged workers at least 30 % of the other workers; no workers: not met"
instrument = "act"
article = "Art. 1"
principles = []
test = { fact = "workforce.vulnerable_to_other_ratio", at_least = "30 %", if_undefined = "not_met" }
"""


class TestZeroDisadvantagedWorkers:
    """D.Lgs. 112/2017 art. 2 c. 4 (it-is-general-interest): disadvantaged workers at
    least 30 % of the other workers, with no headcount recorded."""

    def test_shipped_rule_stays_unknown(self) -> None:
        """Art. 2 c. 4: zero disadvantaged workers and no headcount: a completion with no
        paid workers at all makes the ratio undefined, which the rule leaves unknown, so
        the route stays open and the headcount is the fact to collect."""
        c = classify(
            it_company(vulnerable_workers=0), "it/social-enterprise", on=date(2025, 6, 30)
        )
        r = c.criterion("it-is-general-interest")
        assert r.outcome is Outcome.UNKNOWN
        assert r.missing == ("workforce.paid_workers",)

    def test_known_headcount_closes_the_route(self) -> None:
        """Art. 2 c. 4: zero of one paid worker: the route is not met."""
        o = it_company(vulnerable_workers=0, paid_workers=1)
        c = classify(o, "it/social-enterprise", on=date(2025, 6, 30))
        assert c.criterion("it-is-general-interest").outcome is Outcome.NOT_MET

    def test_rule_that_says_what_no_workers_means_is_decided(self) -> None:
        """A rule stating that no workers fails (if_undefined = not_met): zero
        disadvantaged workers fail it whatever the headcount (unknown)."""
        p = parse_profile(WORKERS_TEST)
        for evaluator in (CLASSIFIER, REFERENCE):
            c = evaluator.classify(it_company(vulnerable_workers=0), p, on=date(2025, 1, 1))
            assert c.criterion("integration").outcome is Outcome.NOT_MET
            assert c.verdict is Verdict.DOES_NOT_QUALIFY

    def test_some_disadvantaged_workers_stay_unknown(self) -> None:
        """With disadvantaged workers and no headcount, any share is possible: unknown."""
        p = parse_profile(WORKERS_TEST)
        c = classify(it_company(vulnerable_workers=3), p, on=date(2025, 1, 1))
        assert c.criterion("integration").outcome is Outcome.UNKNOWN
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["workforce.paid_workers"]


def th_se(**year: str) -> Organisation:
    return build(
        {
            "id": "th",
            "name": "Thai SE",
            "country": "TH",
            "legal_form": "th/limited-company",
            "purpose": {"primary": ["community_social_environment"]},
            "statutes": {"profit_rule": "limited"},
            "finances": {"2023": {"profit_after_tax": "1000 THB", **year}},
        }
    )


class TestAllocationDecidesPayouts:
    """RD 621 own exemption (th-rd621-own-exemption): no dividends in the year, read off
    the model's rule that the allocation of the year's profit is at most the profit."""

    def test_all_profit_reinvested_leaves_no_dividend(self) -> None:
        """RD 621: all of the year's profit reinvested, dividends unknown: no dividend
        can have been paid from it, so the exemption's conditions are met."""
        o = th_se(reinvested="1000 THB", capital_reduction_payouts="0 THB")
        c = classify(o, "th/revenue-code-se", on=date(2020, 6, 30), fiscal_year=2023)
        r = c.criterion("th-rd621-own-exemption")
        assert r.outcome is Outcome.MET
        assert r.missing == ()

    def test_part_of_the_profit_left_may_be_a_dividend(self) -> None:
        """RD 621: 999.99 of 1000 reinvested, dividends unknown: unknown."""
        o = th_se(reinvested="999.99 THB", capital_reduction_payouts="0 THB")
        c = classify(o, "th/revenue-code-se", on=date(2020, 6, 30), fiscal_year=2023)
        r = c.criterion("th-rd621-own-exemption")
        assert r.outcome is Outcome.UNKNOWN
        assert "finances[2023].dividends" in r.missing

    def test_dividends_to_asset_locked_bodies_are_dividends(self) -> None:
        """RD 621: a dividend to an asset-locked body is a dividend (it is part of the
        dividends): the exemption is lost though the total is unknown."""
        o = th_se(
            reinvested="900 THB",
            dividends_to_asset_locked_bodies="1 THB",
            capital_reduction_payouts="0 THB",
        )
        c = classify(o, "th/revenue-code-se", on=date(2020, 6, 30), fiscal_year=2023)
        assert c.criterion("th-rd621-own-exemption").outcome is Outcome.NOT_MET


HALF = Fraction(1, 2)


class TestBoundarySemantics:
    """The interval rule keeps each operator's boundary exactly."""

    @pytest.mark.parametrize(
        ("lo", "hi", "op", "expected"),
        [
            (HALF, Fraction(1), Op.AT_LEAST, MET),
            (HALF, Fraction(1), Op.MORE_THAN, UNKNOWN),
            (HALF, Fraction(1), Op.LESS_THAN, NOT_MET),
            (HALF, Fraction(1), Op.AT_MOST, UNKNOWN),
            (Fraction(0), HALF, Op.AT_MOST, MET),
            (Fraction(0), HALF, Op.LESS_THAN, UNKNOWN),
            (Fraction(0), HALF, Op.MORE_THAN, NOT_MET),
            (Fraction(0), HALF, Op.AT_LEAST, UNKNOWN),
            (HALF, HALF, Op.EQUALS, MET),
            (Fraction(0), Fraction(1, 3), Op.EQUALS, NOT_MET),
            (Fraction(0), Fraction(1), Op.EQUALS, UNKNOWN),
            (HALF + Fraction(1, 10**12), float("inf"), Op.MORE_THAN, MET),
        ],
    )
    def test_operators_at_the_bounds(self, lo: Any, hi: Any, op: Op, expected: int) -> None:
        """A bound equal to the threshold decides as a value equal to it would."""
        assert decide_span(Span(lo, hi), op, (HALF, None), Truth.UNKNOWN) == expected

    def test_undefined_completion_must_agree(self) -> None:
        """A completion that makes the value undefined decides only when the rule's
        meaning for it agrees with the interval's outcome."""
        span = Span(Fraction(0), Fraction(0), undefined=True)
        assert decide_span(span, Op.AT_LEAST, (HALF, None), Truth.UNKNOWN) == UNKNOWN
        assert decide_span(span, Op.AT_LEAST, (HALF, None), Truth.FALSE) == NOT_MET
        assert decide_span(span, Op.AT_LEAST, (HALF, None), Truth.TRUE) == UNKNOWN

    def test_amounts_compare_in_their_currency(self) -> None:
        """An amount's bound in another currency, or in none, decides nothing."""
        span = Span(Fraction(10), Fraction(20), currency="EUR")
        assert decide_span(span, Op.AT_LEAST, (Fraction(5), "EUR"), Truth.UNKNOWN) == MET
        assert decide_span(span, Op.AT_LEAST, (Fraction(5), "VND"), Truth.UNKNOWN) == UNKNOWN
        assert (
            decide_span(
                Span(Fraction(10), Fraction(20)), Op.AT_LEAST, (Fraction(5), "EUR"), Truth.UNKNOWN
            )
            == UNKNOWN
        )


class TestColumnarLane:
    """The register lanes give what the per-object engine gives for decided rows."""

    def test_partly_known_rows_are_decided_in_columns(self) -> None:
        """A row whose retained share is unknown but bounded is decided by the columnar
        lane itself (bounds over the raw columns), as the per-object engine decides it;
        one exactly at the boundary in amounts floats cannot hold exactly (cents) takes
        the exact lane, which decides it too."""
        pytest.importorskip("pyarrow")
        from sse_model._io._batch import RegisterClassifier

        decided = fr_company(to_reserves="600 EUR")
        tie = fr_company(profit_after_tax="1000.10 EUR", to_reserves="500.05 EUR")
        tie = attrs.evolve(tie, id="fr-tie")
        nothing = attrs.evolve(fr_company(), id="fr-2", finances=())
        rc = RegisterClassifier(["fr/ess"], on=FR_ON, fiscal_year=2023)
        result = rc.classify_organisations([decided, tie, nothing])
        rows = result.table.to_pylist()
        assert [r["criterion.fr-ess-co-retained"] for r in rows] == ["met", "met", "unknown"]
        assert rows[0]["verdict"] == rows[1]["verdict"] == "qualifies"
        assert result.summary.fast == 2

    def test_register_text_gives_the_per_object_outcome(self) -> None:
        """From flat text columns too: to_reserves alone at 60 % meets the rule, at
        49.999 % leaves it unknown with the reinvested amount to collect."""
        pa = pytest.importorskip("pyarrow")
        from sse_model._io._batch import RegisterClassifier

        base = {
            "id": "fr",
            "name": "SAS",
            "country": "FR",
            "legal_form": "fr/sas",
            "currency": "EUR",
            "fiscal_year": "2023",
            "finances.profit_after_tax": "1000",
        }
        cells = [
            {**base, "id": "a", "finances.to_reserves": "600"},
            {**base, "id": "b", "finances.to_reserves": "499.99"},
        ]
        table = pa.table({k: [c[k] for c in cells] for k in cells[0]})
        rc = RegisterClassifier(["fr/ess"], on=FR_ON, fiscal_year=2023, presumptions=False)
        rows = rc.classify_table(table).table.to_pylist()
        assert rows[0]["criterion.fr-ess-co-retained"] == "met"
        assert rows[1]["criterion.fr-ess-co-retained"] == "unknown"
        assert "finances[2023].reinvested" in rows[1]["missing_facts"]


# --- property tests -------------------------------------------------------------------

#: the numeric facts the interval rule bounds, by record class
_BOUNDED = sorted(
    name
    for name, fact in FACTS.items()
    if fact.compute is None
    and (
        name in DERIVED
        or (
            name in COLUMNS
            and COLUMNS[name].kind
            in {Kind.COUNT, Kind.SHARE, Kind.RATE, Kind.MONEY, Kind.SIGNED_MONEY}
        )
    )
    and (name in DERIVED or COLUMNS[name].section is not None)
)


def _section(name: str) -> str:
    return DERIVED[name].section if name in DERIVED else COLUMNS[name].section  # type: ignore[return-value]


def _eur(n: Any) -> Money:
    return Money(Decimal(n), "EUR")


#: small values, so that bounds and thresholds meet often
_SMALL: dict[Kind, st.SearchStrategy[Any]] = {
    Kind.COUNT: st.integers(0, 12),
    Kind.MONEY: st.integers(0, 12).map(_eur),
    Kind.SIGNED_MONEY: st.integers(-4, 12).map(_eur),
    Kind.SHARE: st.fractions(0, 1, max_denominator=4),
    Kind.RATE: st.fractions(0, 3, max_denominator=4),
    Kind.HOURS: st.fractions(0, 12, max_denominator=2),
}

#: completions: anywhere in the declared domain, small, fractional and large
_ANY: dict[Kind, st.SearchStrategy[Any]] = {
    Kind.COUNT: st.one_of(st.integers(0, 12), st.integers(0, 10**9)),
    Kind.MONEY: st.one_of(
        st.integers(0, 12).map(_eur),
        st.decimals(0, 10**9, places=2).map(lambda d: Money(d, "EUR")),
    ),
    Kind.SIGNED_MONEY: st.one_of(
        st.integers(-4, 12).map(_eur),
        st.decimals(-(10**9), 10**9, places=2).map(lambda d: Money(d, "EUR")),
    ),
    Kind.SHARE: st.fractions(0, 1, max_denominator=1000),
    Kind.RATE: st.fractions(0, 1000, max_denominator=1000),
    Kind.HOURS: st.fractions(0, 10**6, max_denominator=4),
}


def _numeric(cls: type) -> dict[str, Kind]:
    return {
        f.name: spec.kind
        for f in attrs.fields(cls)
        if (spec := spec_of(f)) is not None and spec.kind in _SMALL
    }


def _make(cls: type, values: dict[str, Any]) -> Any:
    """The record, or None when the model refuses it."""
    try:
        return cls(**({"year": 2023} if cls is FiscalYear else {}), **values)
    except InvalidInput:
        return None


@st.composite
def _records(draw: st.DrawFn, cls: type) -> Any:
    """A record of *cls* with some numeric fields known (small values), valid."""
    values = {name: draw(st.none() | _SMALL[kind]) for name, kind in sorted(_numeric(cls).items())}
    record = _make(cls, values)
    assume(record is not None)
    return record


def _organisation(section: str, record: Any) -> Organisation:
    if section == "finances":
        return Organisation(id="x", name="x", country="FR", finances=(record,))
    return Organisation(id="x", name="x", country="FR", **{section: record})


def _record(org: Organisation, section: str) -> Any:
    return org.finances[0] if section == "finances" else getattr(org, section)


def _fy(org: Organisation) -> FiscalYear | None:
    return org.finances[0] if org.finances else None


@st.composite
def _leaves(draw: st.DrawFn) -> tuple[Compare | Is, Organisation]:
    """A comparison on a bounded fact (or "is" on a derived "above zero") and an
    organisation whose record has unknowns."""
    name = draw(st.sampled_from(_BOUNDED))
    fact = FACTS[name]
    formula = DERIVED[name].formula if name in DERIVED else None
    section = _section(name)
    record = draw(_records(RECORDS[section]))
    if isinstance(formula, Positive):  # "is" on a derived "above zero"
        return Is(name, draw(st.booleans())), _organisation(section, record)
    threshold: Any
    if fact.kind.value == "amount":
        threshold = _eur(draw(st.integers(0, 12)))
    elif fact.kind.value == "count":
        threshold = Fraction(draw(st.integers(0, 12)))
    else:
        threshold = draw(
            st.sampled_from([Fraction(0), HALF, Fraction(1)])
            | st.fractions(0, 3, max_denominator=6)
        )
    node = Compare(
        name, draw(st.sampled_from(list(Op))), threshold, draw(st.sampled_from(list(Truth)))
    )
    return node, _organisation(section, record)


def _inputs(name: str) -> tuple[str, ...]:
    if name in DERIVED:
        return DERIVED[name].formula.inputs
    return (COLUMNS[name].field,)


_PLAN = CLASSIFIER.plan("fr/ess", FR_ON)
_SLOW = [HealthCheck.filter_too_much, HealthCheck.too_slow]


def _code(node: Compare | Is, org: Organisation) -> int:
    return _leaf(node, org, _fy(org), _PLAN)[0]


class TestSoundness:
    """What the interval rule decides, every completion gives."""

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=_SLOW,
    )
    @given(case=_leaves(), data=st.data())
    def test_every_completion_gives_the_decided_outcome(
        self, case: tuple[Compare | Is, Organisation], data: st.DataObject
    ) -> None:
        """Soundness: if a comparison on an unknown fact is decided (met or not met) from
        the known inputs and the declared domains and rules, then every completion of
        its unknown inputs within their domains that the model accepts gives that
        outcome (drawn completions, small, fractional and large)."""
        node, org = case
        decided = _code(node, org)
        assume(decided != UNKNOWN)
        section = _section(node.fact)
        record = _record(org, section)
        kinds = _numeric(type(record))
        unknown = [f for f in _inputs(node.fact) if getattr(record, f) is None]
        for _ in range(3):
            fills = {f: data.draw(_ANY[kinds[f]], label=f) for f in unknown}
            completed = _make(type(record), {**_known(record), **fills})
            if completed is None:
                continue
            assert _code(node, _organisation(section, completed)) == decided


def _known(record: Any) -> dict[str, Any]:
    return {
        n: getattr(record, n) for n in _numeric(type(record)) if getattr(record, n) is not None
    }


class TestMonotoneRefinement:
    """Knowing more never changes what the known facts decided."""

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=_SLOW,
    )
    @given(case=_leaves(), data=st.data())
    def test_adding_a_fact_keeps_a_decided_outcome(
        self, case: tuple[Compare | Is, Organisation], data: st.DataObject
    ) -> None:
        """Monotone refinement: adding any one fact of the record (a value the model
        accepts) to an organisation whose comparison is decided never gives the other
        outcome; it stays decided the same way unless the facts now leave an unknown
        input no value at all (known facts the model accepts one by one, that no
        completion reconciles: then nothing is claimed)."""
        node, org = case
        decided = _code(node, org)
        assume(decided != UNKNOWN)
        section = _section(node.fact)
        record = _record(org, section)
        kinds = _numeric(type(record))
        free = sorted(n for n in kinds if getattr(record, n) is None)
        assume(free)
        name = data.draw(st.sampled_from(free), label="added")
        value = data.draw(_SMALL[kinds[name]] | _ANY[kinds[name]], label="value")
        refined = _make(type(record), {**_known(record), name: value})
        assume(refined is not None)
        again = _code(node, _organisation(section, refined))
        assert again in (decided, UNKNOWN)
        if again == UNKNOWN:
            spans = [field_span(type(refined), refined, f) for f in _inputs(node.fact)]
            assert any(s.empty for s in spans)


class TestColumnsAgreeWithObjects:
    """The bounds over columns are the bounds over objects."""

    @settings(max_examples=200, deadline=None, suppress_health_check=_SLOW)
    @given(case=_leaves())
    def test_column_bounds_decide_as_object_bounds(
        self, case: tuple[Compare | Is, Organisation]
    ) -> None:
        """Agreement of the lanes' rule: for a comparison on an unknown fact, the
        columnar lane's bounds (floats over raw columns) give the per-object outcome,
        or flag the row for the exact lane; never another outcome."""
        np = pytest.importorskip("numpy")
        from sse_model._engine._columnar import _bound_numbers
        from sse_model._engine._evaluate import threshold_value
        from sse_model._engine._intervals import columns_bounder

        node, org = case
        fy = _fy(org)
        assume(_leaf(node, org, fy, _PLAN)[1] is None)
        threshold = threshold_value(node.threshold, _PLAN) if isinstance(node, Compare) else None
        run = columns_bounder(node, threshold)
        assume(run is not None)
        assert run is not None
        numbers, whole = _bound_numbers([org], [(fy, 2023)], [node.fact])
        got = run(np, 1, numbers.get, whole)
        assert got is not None
        codes, unsure = got
        if not unsure[0]:
            assert int(codes[0]) == bounded(node, org, fy, _PLAN)


# --- the three evaluators ---------------------------------------------------------------


def _bounds_something(profile: str) -> bool:
    """Whether *profile* compares a fact that known facts can bound: a derived value, or
    a raw number tied by a rule to another field."""
    from sse_model._engine._evaluate import leaves

    p = CLASSIFIER.profile(profile)
    criteria = list(p.criteria) + (list(p.base.criteria) if p.base is not None else [])
    for criterion in criteria:
        for leaf in leaves(criterion):
            name = getattr(leaf, "fact", None)
            if name in DERIVED or (
                name in COLUMNS and name in FACTS and len(bounding_paths(FACTS[name])) > 1
            ):
                return True
    return False


BOUNDING_PROFILES = [p for p in profile_ids() if _bounds_something(p)]


@st.composite
def _partly_known(draw: st.DrawFn, profile: str) -> Organisation:
    """An organisation for *profile* with some numbers of its records forgotten."""
    org = draw(testing.organisations_for(profile))
    data = unstructure(org)
    for section in ("workforce", "beneficiaries"):
        for name in sorted(data.get(section) or {}):
            if draw(st.booleans()):
                data[section].pop(name)
    for year in (data.get("finances") or {}).values():
        for name in sorted(year):
            if name != "year" and draw(st.booleans()):
                year.pop(name)
    return structure(json.loads(json.dumps(data)), Organisation)


def _summary(c: Any) -> tuple[Any, ...]:
    missing = tuple(m.path for m in c.settlement.missing_facts) if c.settlement else ()
    return c.verdict.value, tuple(r.outcome.value for r in c.criteria), missing


class TestEvaluatorsAgree:
    """The per-object, compiled and columnar evaluators agree on partly known facts."""

    @pytest.mark.parametrize("profile", BOUNDING_PROFILES)
    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_three_evaluators_agree(self, profile: str, data: st.DataObject) -> None:
        """Agreement: on organisations whose shares and counts are partly known, the
        reference evaluator, the compiled one and the register lanes (columns, with the
        rows they cannot vouch for settled exactly) give every organisation the same
        verdict, criterion outcomes and facts to collect; the columnar lane never
        decides a row differently, it only sends it to the exact lane."""
        pytest.importorskip("pyarrow")
        from sse_model._engine._columnar import compile_columnar, frame_from_organisations
        from sse_model._io._batch import RegisterClassifier

        p = CLASSIFIER.profile(profile)
        on = data.draw(st.sampled_from([v.effective_from for v in p.versions]), label="on")
        orgs = data.draw(st.lists(_partly_known(profile), min_size=1, max_size=5), label="orgs")
        orgs = [attrs.evolve(o, id=f"o{i}") for i, o in enumerate(orgs)]
        expected = [_summary(REFERENCE.classify(o, profile, on=on)) for o in orgs]
        assert [_summary(CLASSIFIER.classify(o, profile, on=on)) for o in orgs] == expected
        plan = CLASSIFIER.plan(profile, on)
        columns = compile_columnar(plan)(frame_from_organisations(orgs, [plan], on=on))
        for i, o in enumerate(orgs):
            if not columns.ambiguous[i]:
                raw = REFERENCE.raw(o, profile, on)
                got = (int(columns.verdicts[i]), tuple(columns.outcomes[i].tolist()))
                assert got == (raw.verdict, raw.outcomes)
        result = RegisterClassifier([profile], on=on, presumptions=True).classify_organisations(
            orgs
        )
        ids = [c.id for c in plan.criteria]
        rows = [
            (
                r["verdict"],
                tuple(r[f"criterion.{i}"] for i in ids),
                tuple(r["missing_facts"]),
            )
            for r in result.table.to_pylist()
        ]
        assert rows == expected
