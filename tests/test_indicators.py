"""Contribution indicators over a register: hand-computed values, bounds that hold
whatever is missing, coverage that counts who reported."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

import sse_model  # noqa: E402
from sse_model import (  # noqa: E402
    INDICATORS,
    IndicatorKind,
    InvalidInput,
    Organisation,
    RegisterResult,
    RegisterSummary,
    formalisation,
    indicators,
)
from sse_model._model._schema import COLUMNS, rules  # noqa: E402
from sse_model.testing import organisations  # noqa: E402

EXAMPLES = Path(__file__).parent.parent / "examples"
ON = date(2025, 6, 30)
#: the indicators of one register computed by default (no benchmark given)
_ONE_REGISTER = [
    i
    for i in INDICATORS
    if i.kind
    not in (
        IndicatorKind.REPRESENTATION,
        IndicatorKind.TRANSITION_COUNT,
        IndicatorKind.TRANSITION_SHARE,
    )
]


def _result(rows: Sequence[dict[str, Any]]) -> RegisterResult:
    """A register result as a classifier keeping the indicators' inputs gives it: the
    verdict of each row and its kept cells as text."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    columns = {
        n: pa.array([None if r.get(n) is None else str(r[n]) for r in rows], pa.string())
        for n in names
    }
    columns.setdefault("profile_id", pa.array(["p"] * len(rows), pa.string()))
    table = pa.table(columns)
    return RegisterResult(table, (), RegisterSummary(len(rows), len(rows), 0))


def _q(**cells: Any) -> dict[str, Any]:
    return {"verdict": "qualifies", **cells}


#: four qualifying Vietnamese organisations and one undetermined Thai one
GOLDEN = [
    _q(country="VN", **{"work.employees": 10, "work.insured_employees": 8}),
    _q(country="VN", **{"work.employees": 20, "work.sector": "informal"}),
    _q(country="VN", **{"work.insured_employees": 5}),
    _q(country="VN", **{"work.employees": 0, "work.sector": "formal"}),
    {"verdict": "undetermined", "country": "TH", "work.employees": 4},
]
GOLDEN[0]["work.sector"] = "formal"
GOLDEN[0]["work.fatal_injuries"] = 0


def _one(table: Any, indicator: str, **group: str) -> dict[str, Any]:
    rows = [
        r
        for r in table.table.to_pylist()
        if r["indicator"] == indicator and all(r[k] == v for k, v in group.items())
    ]
    assert len(rows) == 1, rows
    return rows[0]


class TestGolden:
    """Values computed by hand on a five-row register."""

    T = indicators(_result(GOLDEN), by=["country"], min_cell=3)

    def test_share_with_every_kind_of_gap(self) -> None:
        """Social insurance in VN: one reports (8 of 10), one has 20 employees and no
        count insured, one counts 5 insured and no employees, one has no employees (not
        applicable): value 8/10, bounds 0 (the size unknown may be huge) and 33/35 (the
        20 all insured, the unknown size as small as 5)."""
        r = _one(self.T, "social_insurance_rate", country="VN", verdict_group="qualifies")
        assert r["value"] == pytest.approx(0.8)
        assert r["lower"] == 0.0
        assert r["upper"] == pytest.approx(33 / 35)
        assert (r["entities"], r["reporting"], r["not_applicable"]) == (4, 1, 1)
        assert r["coverage"] == pytest.approx(1 / 3)
        assert r["person_coverage"] == pytest.approx(10 / 30)

    def test_sum_is_a_lower_bound(self) -> None:
        """Employees in VN: 30 reported by three, one unknown: no upper bound."""
        r = _one(self.T, "employees", country="VN")
        assert (r["value"], r["lower"], r["upper"]) == (30.0, 30.0, math.inf)
        assert r["coverage"] == pytest.approx(3 / 4)
        assert "no upper bound" in r["note"]

    def test_entity_share(self) -> None:
        """Formal sector in VN: two formal, one informal, one unknown."""
        r = _one(self.T, "formal_sector_share", country="VN")
        assert r["value"] == pytest.approx(2 / 3)
        assert (r["lower"], r["upper"]) == (pytest.approx(2 / 4), pytest.approx(3 / 4))
        assert r["coverage"] == pytest.approx(3 / 4)

    def test_rate_per_100000(self) -> None:
        """Fatal injuries: 0 among 10 employees reported, the 20 others unknown."""
        r = _one(self.T, "fatal_injury_rate", country="VN")
        assert (r["value"], r["lower"], r["upper"]) == (0.0, 0.0, math.inf)

    def test_small_cells_are_suppressed(self) -> None:
        """The Thai group has one organisation (< 3): no values, the counts stay."""
        r = _one(self.T, "social_insurance_rate", country="TH")
        assert r["suppressed"] and r["value"] is None and r["upper"] is None
        assert (r["entities"], r["verdict_group"]) == (1, "undetermined")
        assert _one(self.T, "entities", country="TH")["value"] == 1.0

    def test_undetermined_apart(self) -> None:
        """Qualifying and undetermined organisations are separate rows; others are left
        out unless asked for."""
        groups = {(r["verdict_group"], r["country"]) for r in self.T.table.to_pylist()}
        assert groups == {("qualifies", "VN"), ("undetermined", "TH")}
        only = indicators(_result(GOLDEN), verdicts=["qualifies"], min_cell=0)
        assert set(only.table.column("verdict_group").to_pylist()) == {"qualifies"}

    def test_empty_groups_have_no_rows(self) -> None:
        """A group without organisations (a verdict group asked for that none has, a
        country none is in) has no rows: no row ever counts 0 organisations."""
        every = ["qualifies", "undetermined", "does_not_qualify"]
        t = indicators(_result(GOLDEN), by=["country"], verdicts=every, min_cell=0)
        groups = {(r["verdict_group"], r["country"]) for r in t.table.to_pylist()}
        assert groups == {("qualifies", "VN"), ("undetermined", "TH")}
        assert min(t.table.column("entities").to_pylist()) >= 1
        moved = formalisation(_result(THEN), _result(NOW), verdicts=every, min_cell=0)
        assert set(moved.table.column("verdict_group").to_pylist()) == {"qualifies"}

    def test_results_of_several_profiles(self) -> None:
        """Results of two profiles give a block each; a profile given keeps its own."""
        rows = [{**r, "profile_id": p} for p in ("p", "q") for r in GOLDEN]
        both = indicators(_result(rows), min_cell=0, only=["entities"])
        assert sorted(set(both.table.column("profile_id").to_pylist())) == ["p", "q"]
        one = indicators(_result(rows), "q", min_cell=0, only=["entities"])
        assert set(one.table.column("profile_id").to_pylist()) == {"q"}

    def test_dictionary_columns(self) -> None:
        """Results whose verdicts and profile ids are dictionary-encoded (as classifiers
        give them) give the same table, with no row for a verdict group not asked for."""
        plain = _result(GOLDEN)
        table = plain.table
        for name in ("verdict", "profile_id"):
            i = table.column_names.index(name)
            table = table.set_column(i, name, table.column(name).dictionary_encode())
        encoded = RegisterResult(table, (), plain.summary)
        a = indicators(plain, by=["country"], verdicts=["qualifies"], min_cell=0)
        b = indicators(encoded, by=["country"], verdicts=["qualifies"], min_cell=0)
        assert a.table.equals(b.table)
        assert set(b.table.column("verdict_group").to_pylist()) == {"qualifies"}

    def test_not_applicable_is_not_unknown(self) -> None:
        """A group whose organisations have no employees: not applicable, coverage
        undefined, never a zero."""
        t = indicators(_result([_q(**{"work.employees": 0})] * 3), only=["green_jobs_share"])
        r = t.table.to_pylist()[0]
        assert r["not_applicable"] == 3 and r["value"] is None and r["coverage"] is None
        assert "not applicable" in r["note"]

    def test_capped_sum(self) -> None:
        """Producer members unknown where members are known: at most the members."""
        rows = [
            _q(**{"governance.members": 10, "governance.producer_members": 4}),
            _q(**{"governance.members": 7}),
            _q(**{"governance.members": 0}),
        ]
        r = indicators(_result(rows), only=["producer_members"]).table.to_pylist()[0]
        assert (r["value"], r["lower"], r["upper"]) == (4.0, 4.0, 11.0)
        assert (r["reporting"], r["not_applicable"]) == (1, 1)
        assert r["coverage"] == pytest.approx(1 / 2)


class TestBySex:
    """The shares of employees among women employees."""

    def test_by_hand(self) -> None:
        """Women insured: 3 of 4 and 1 of 2 reported (4/6); a third organisation has
        women employees but no count of them insured (bounds 4/9 and 7/9)."""
        rows = [
            _q(**{"work.women_employees": 4, "work.women_insured_employees": 3}),
            _q(**{"work.women_employees": 2, "work.women_insured_employees": 1}),
            _q(**{"work.women_employees": 3, "work.insured_employees": 5}),
        ]
        t = indicators(_result(rows), only=["social_insurance_rate_women"], min_cell=0)
        r = _one(t, "social_insurance_rate_women")
        assert r["value"] == pytest.approx(4 / 6)
        assert (r["lower"], r["upper"]) == (pytest.approx(4 / 9), pytest.approx(7 / 9))
        assert r["unit"] == "share of women employees"

    def test_each_share_of_employees_has_its_womens(self) -> None:
        """Each share of employees whose part the model counts among women too has a
        women's version over the women employees, with the same source."""
        by_id = {i.id: i for i in INDICATORS}
        women = [i for i in INDICATORS if i.id.endswith("_women")]
        assert len(women) == 6
        for w in women:
            base = by_id[w.id.removesuffix("_women")]
            assert base.den == "work.employees" and w.den == "work.women_employees"
            assert w.num == "work.women_" + base.num.removeprefix("work.")
            assert w.source.startswith(base.source)


class TestDeclarations:
    """Each indicator is declared once, with a source, and reads declared columns."""

    def test_ids_unique_and_cited(self) -> None:
        """Ids are distinct; every indicator has a source, a unit and a status."""
        ids = [i.id for i in INDICATORS]
        assert len(ids) == len(set(ids))
        for i in INDICATORS:
            assert i.source and i.unit and i.formula
            assert i.status in ("adopted standard", "proposal of this library")
            assert i.confidence in ("verified", "secondary", "proposal")

    def test_inputs_are_columns(self) -> None:
        """Every input is a column of the flat vocabulary."""
        for i in INDICATORS:
            assert set(i.inputs) <= set(COLUMNS), i.id

    def test_parts_never_exceed_wholes(self) -> None:
        """A share's part is bounded by its whole in the model (an AtMost rule), so that
        the upper bound of an unreported part is its whole."""
        at_most = {
            (f"{section}.{r.part}", f"{section}.{r.whole}")
            for section, r in rules()
            if type(r).__name__ == "AtMost"
        }
        for i in INDICATORS:
            if i.kind is IndicatorKind.SHARE:
                assert (i.num, i.den) in at_most, i.id
            if i.cap is not None:
                assert (i.num, i.cap) in at_most, i.id


#: one organisation's complete data for a share: (whole, part), part <= whole
_UNITS = st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda t: (max(t), min(t)))
#: and which of the two the register hides
_HIDDEN = st.tuples(st.booleans(), st.booleans())


def _share_rows(units: Sequence[tuple[int, int]], hidden: Sequence[tuple[bool, bool]]) -> Any:
    rows = []
    for (n, y), (hide_n, hide_y) in zip(units, hidden, strict=True):
        rows.append(
            _q(
                **{
                    "work.employees": None if hide_n else n,
                    "work.insured_employees": None if hide_y else y,
                    "work.women_employees": None if hide_y else y,
                    "work.fatal_injuries": None if hide_y else y,
                    "work.sector": None if hide_y else ("formal" if y % 2 else "informal"),
                }
            )
        )
    return rows


_CHECKED = [
    "social_insurance_rate",
    "fatal_injury_rate",
    "employees",
    "formal_sector_share",
    "women_employees_share_representation",
]
#: the national share the representation ratio of the laws compares with
_BENCHMARK = Fraction(2, 5)


def _bounds(units: Any, hidden: Any) -> dict[str, tuple[Any, Any, Any, Any]]:
    t = indicators(
        _result(_share_rows(units, hidden)),
        only=_CHECKED,
        min_cell=0,
        benchmarks={"women_employees_share": float(_BENCHMARK)},
    )
    return {
        r["indicator"]: (r["lower"], r["upper"], r["coverage"], r["reporting"])
        for r in t.table.to_pylist()
    }


def _complete(units: Sequence[tuple[int, int]]) -> dict[str, Fraction | None]:
    n = sum(u[0] for u in units)
    y = sum(u[1] for u in units)
    formal = sum(1 for u in units if u[1] % 2)
    return {
        "social_insurance_rate": Fraction(y, n) if n else None,
        "fatal_injury_rate": Fraction(100_000 * y, n) if n else None,
        "employees": Fraction(n),
        "formal_sector_share": Fraction(formal, len(units)),
        "women_employees_share_representation": Fraction(y, n) / _BENCHMARK if n else None,
    }


_EPS = 1e-9


@st.composite
def _registers(draw: st.DrawFn) -> tuple[list[tuple[int, int]], list[tuple[bool, bool]]]:
    k = draw(st.integers(1, 8))
    units = draw(st.lists(_UNITS, min_size=k, max_size=k))
    hidden = draw(st.lists(_HIDDEN, min_size=k, max_size=k))
    return units, hidden


class TestBounds:
    """Laws of the bounds and of coverage, over registers with cells hidden at random."""

    @settings(max_examples=60, deadline=None)
    @given(_registers())
    def test_bounds_contain_the_complete_value(self, register: Any) -> None:
        """Whatever the hidden values are, the value the complete register gives lies
        within [lower, upper] computed from the register with its gaps."""
        units, hidden = register
        bounds = _bounds(units, hidden)
        for name, truth in _complete(units).items():
            lower, upper, _, _ = bounds[name]
            if truth is None:
                continue
            assert lower is not None and upper is not None, name
            assert lower - _EPS <= float(truth) <= upper + _EPS * max(1.0, upper), name

    @settings(max_examples=60, deadline=None)
    @given(_registers(), st.data())
    def test_reports_never_widen_the_bounds(self, register: Any, data: Any) -> None:
        """Revealing one hidden cell gives bounds within the bounds before."""
        units, hidden = register
        before = _bounds(units, hidden)
        cells = [(i, j) for i, h in enumerate(hidden) for j in (0, 1) if h[j]]
        if not cells:
            return
        i, j = data.draw(st.sampled_from(cells))
        more = [list(h) for h in hidden]
        more[i][j] = False
        after = _bounds(units, [(a, b) for a, b in more])
        for name in _CHECKED:
            lo0, up0, _, _ = before[name]
            lo1, up1, _, _ = after[name]
            if lo0 is not None and lo1 is not None:
                assert lo1 >= lo0 - _EPS, name
            if up0 is not None and up1 is not None:
                assert up1 <= up0 + _EPS * max(1.0, up0), name

    @settings(max_examples=60, deadline=None)
    @given(_registers())
    def test_coverage_is_the_share_reporting(self, register: Any) -> None:
        """Coverage is in [0, 1] and is the share of the organisations it applies to
        (some employees, or size unknown) that reported both part and whole."""
        units, hidden = register
        _, _, coverage, reporting = _bounds(units, hidden)["social_insurance_rate"]
        applies = [(u, h) for u, h in zip(units, hidden, strict=True) if h[0] or u[0] > 0]
        reported = sum(1 for u, h in applies if not h[0] and not h[1])
        assert reporting == reported
        if applies:
            assert coverage == pytest.approx(reported / len(applies))
            assert 0 <= coverage <= 1
        else:
            assert coverage is None


#: one organisation's complete earnings: (women's amount, hours; men's amount, hours)
#: (no hours paid, no earnings: an organisation without hours is not applicable)
_PAY = st.tuples(
    st.integers(0, 5_000), st.integers(0, 300), st.integers(0, 5_000), st.integers(0, 300)
).map(lambda p: (p[0] if p[1] else 0, p[1], p[2] if p[3] else 0, p[3]))
_PAY_IDS = [
    "mean_hourly_earnings",
    "women_mean_hourly_earnings",
    "men_mean_hourly_earnings",
    "gender_pay_gap",
]


def _pay_rows(pay: Sequence[tuple[int, int, int, int]], hidden: Sequence[bool]) -> Any:
    """Rows of one currency (bare amounts, the ``currency`` column), each with its
    employees (women and men) and its earnings, hidden where *hidden* says."""
    rows = []
    for (wy, wh, my, mh), hide in zip(pay, hidden, strict=True):
        cells = {
            "currency": "VND",
            "work.employees": int(wh > 0) + int(mh > 0) + 1,
            "work.women_employees": int(wh > 0),
        }
        if not hide:
            cells |= {
                "work.earnings": wy + my,
                "work.paid_hours": wh + mh,
                "work.women_earnings": wy,
                "work.women_paid_hours": wh,
                "work.men_earnings": my,
                "work.men_paid_hours": mh,
            }
        rows.append(_q(**cells))
    return rows


def _pay_table(pay: Any, hidden: Any) -> dict[str, dict[str, Any]]:
    t = indicators(_result(_pay_rows(pay, hidden)), only=_PAY_IDS, min_cell=0)
    return {r["indicator"]: r for r in t.table.to_pylist()}


def _pay_complete(pay: Sequence[tuple[int, int, int, int]]) -> dict[str, Fraction | None]:
    """The four values of the complete register, from the definitions (SDG 8.5.1: the
    sum of earnings over the sum of hours paid)."""
    wy, wh = sum(p[0] for p in pay), sum(p[1] for p in pay)
    my, mh = sum(p[2] for p in pay), sum(p[3] for p in pay)
    women = Fraction(wy, wh) if wh else None
    men = Fraction(my, mh) if mh else None
    gap = None if women is None or not men else (men - women) / men
    return {
        "mean_hourly_earnings": Fraction(wy + my, wh + mh) if wh + mh else None,
        "women_mean_hourly_earnings": women,
        "men_mean_hourly_earnings": men,
        "gender_pay_gap": gap,
    }


@st.composite
def _pay_registers(draw: st.DrawFn) -> tuple[list[tuple[int, int, int, int]], list[bool]]:
    k = draw(st.integers(1, 6))
    pay = draw(st.lists(_PAY, min_size=k, max_size=k))
    return pay, draw(st.lists(st.booleans(), min_size=k, max_size=k))


class TestEarnings:
    """Average hourly earnings by sex and the gender pay gap (SDG 8.5.1): computed by
    hand, never across currencies, with bounds that assume nothing."""

    ROWS: ClassVar[list[dict[str, Any]]] = [
        _q(
            country="VN",
            **{
                "work.employees": 10,
                "work.women_employees": 5,
                "work.earnings": "1000 VND",
                "work.paid_hours": 10,
                "work.women_earnings": "400 VND",
                "work.women_paid_hours": 5,
                "work.men_earnings": "600 VND",
                "work.men_paid_hours": 5,
            },
        ),
        _q(
            country="VN",
            currency="VND",
            **{
                "work.employees": 4,
                "work.earnings": 300,
                "work.paid_hours": 6,
            },
        ),
        _q(country="VN", **{"work.employees": 0}),
        _q(country="TH", **{"work.earnings": "300 THB", "work.paid_hours": 6}),
    ]

    def _t(self, by: Sequence[str] = ()) -> Any:
        return indicators(_result(self.ROWS), by=by, only=_PAY_IDS, min_cell=0)

    def test_by_hand(self) -> None:
        """Viet Nam: (1000 + 300) VND over (10 + 6) hours, women 400/5, men 600/5, the
        gap (120 - 80) / 120; the organisation without employees is not applicable; the
        bare amount is in its row's currency."""
        t = self._t(["country"])
        mean = _one(t, "mean_hourly_earnings", country="VN")
        assert (mean["value"], mean["lower"], mean["upper"]) == (81.25, 81.25, 81.25)
        assert (mean["unit"], mean["reporting"], mean["not_applicable"]) == ("VND per hour", 2, 1)
        assert mean["person_coverage"] == 1.0
        women = _one(t, "women_mean_hourly_earnings", country="VN")
        assert women["value"] == 80.0
        assert (women["lower"], women["upper"]) == (0.0, math.inf)  # the 4 employees' sex
        gap = _one(t, "gender_pay_gap", country="VN")
        assert gap["value"] == pytest.approx(1 / 3)
        assert (gap["lower"], gap["upper"]) == (-math.inf, 1.0)
        assert gap["person_coverage"] == pytest.approx(10 / 14)
        assert _one(t, "mean_hourly_earnings", country="TH")["unit"] == "THB per hour"

    def test_never_across_currencies(self) -> None:
        """A group of VND and THB amounts has no average: amounts are never added
        across currencies (the note says to group by country)."""
        r = _one(self._t(), "mean_hourly_earnings")
        assert r["value"] is None and r["unit"] == "currency per hour"
        assert "THB, VND" in r["note"] and "never added" in r["note"]

    def test_inputs_keep_the_currency(self) -> None:
        """The columns to keep for an average of amounts include each row's currency;
        those of shares do not."""
        assert sse_model.indicator_inputs(["mean_hourly_earnings"])[-1] == "currency"
        assert "currency" not in sse_model.indicator_inputs(["social_insurance_rate"])

    def test_a_bad_currency_is_refused(self) -> None:
        """A row's currency that is no ISO 4217 code names the column."""
        rows = [_q(currency="XX", **{"work.earnings": 100, "work.paid_hours": 5})]
        with pytest.raises(InvalidInput, match="currency"):
            indicators(_result(rows), only=["mean_hourly_earnings"], min_cell=0)

    def test_an_amount_without_currency_is_refused(self) -> None:
        """A bare amount in a row without a currency names its column."""
        rows = [_q(**{"work.earnings": 100, "work.paid_hours": 5})]
        with pytest.raises(InvalidInput, match=r"work\.earnings"):
            indicators(_result(rows), only=["mean_hourly_earnings"], min_cell=0)

    @settings(max_examples=40, deadline=None)
    @given(_pay_registers())
    def test_bounds_contain_the_complete_value(self, register: Any) -> None:
        """Whatever the hidden earnings are, the complete register's value lies within
        [lower, upper]."""
        pay, hidden = register
        got = _pay_table(pay, hidden)
        for name, truth in _pay_complete(pay).items():
            if truth is None:
                continue
            lower, upper = got[name]["lower"], got[name]["upper"]
            assert lower is not None and upper is not None, name
            assert lower - _EPS <= float(truth) <= upper + _EPS * max(1.0, abs(upper)), name

    @settings(max_examples=40, deadline=None)
    @given(_pay_registers(), st.data())
    def test_reports_never_widen_the_bounds(self, register: Any, data: Any) -> None:
        """Revealing one organisation's earnings gives bounds within those before; once
        every organisation has reported, the bounds are the value itself."""
        pay, hidden = register
        before = _pay_table(pay, hidden)
        if any(hidden):
            i = data.draw(st.sampled_from([i for i, h in enumerate(hidden) if h]))
            after = _pay_table(pay, [h and j != i for j, h in enumerate(hidden)])
            for name in _PAY_IDS:
                lo0, up0 = before[name]["lower"], before[name]["upper"]
                lo1, up1 = after[name]["lower"], after[name]["upper"]
                if lo1 is not None:
                    assert lo0 is None or lo1 >= lo0 - _EPS, name
                if up1 is not None:
                    assert up0 is None or up1 <= up0 + _EPS * max(1.0, abs(up0)), name
        complete = _pay_table(pay, [False] * len(pay))
        for name, truth in _pay_complete(pay).items():
            r = complete[name]
            assert r["lower"] == r["value"] == r["upper"], name
            if truth is not None:
                assert r["value"] == pytest.approx(float(truth)), name

    @settings(max_examples=40, deadline=None)
    @given(_pay_registers())
    def test_coverage_is_the_share_reporting(self, register: Any) -> None:
        """Coverage is in [0, 1] and is the share of the organisations with hours
        possible (not all hours known zero) that reported."""
        pay, hidden = register
        r = _pay_table(pay, hidden)["mean_hourly_earnings"]
        applies = [(p, h) for p, h in zip(pay, hidden, strict=True) if h or p[1] + p[3] > 0]
        reported = sum(1 for _, h in applies if not h)
        assert r["reporting"] == reported
        assert r["not_applicable"] == len(pay) - len(applies)
        if applies:
            assert r["coverage"] == pytest.approx(reported / len(applies))
            assert 0 <= r["coverage"] <= 1
        else:
            assert r["coverage"] is None


def _sample(n: int = 300) -> list[dict[str, Any]]:
    lines = (EXAMPLES / "sample-register.jsonl").read_text("utf-8").splitlines()[:n]
    return [json.loads(line) for line in lines]


class TestRegisters:
    """Indicators computed from a register agree with the organisations and verdicts."""

    def test_agrees_with_the_objects(self) -> None:
        """On the sample register, the columnar computation gives the counts and sums a
        plain loop over organisations and their classifications gives."""
        records = _sample()
        t = indicators(records, "intl/ilo-2022", on=ON, min_cell=0, by=["country"])
        orgs = [sse_model.structure(r, Organisation) for r in records]
        verdicts = {
            c.organisation_id: c.verdict.value
            for c in sse_model.classify_many(orgs, ["intl/ilo-2022"], on=ON)
        }
        for country in ("VN", "KR"):
            for verdict in ("qualifies", "undetermined"):
                group = [o for o in orgs if o.country == country and verdicts[o.id] == verdict]
                if not group:
                    continue
                r = _one(t, "entities", country=country, verdict_group=verdict)
                assert r["value"] == len(group)
                members = [o.governance.members for o in group]
                known = [m for m in members if m is not None]
                r = _one(t, "members", country=country, verdict_group=verdict)
                assert r["value"] == (sum(known) if known else None)
                assert r["reporting"] == len(known)

    def test_same_from_a_file_and_from_organisations(self, tmp_path: Path) -> None:
        """A register file, its records and its organisations give one table."""
        records = _sample(120)
        path = tmp_path / "r.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        orgs = [sse_model.structure(r, Organisation) for r in records]
        a = indicators(path, "intl/ilo-2022", on=ON, by=["legal_form"]).table
        b = indicators(records, "intl/ilo-2022", on=ON, by=["legal_form"]).table
        c = indicators(orgs, "intl/ilo-2022", on=ON, by=["legal_form"]).table
        assert a.equals(b) and b.equals(c)

    @pytest.mark.parametrize(
        ("column", "cells"),
        [
            ("workforce.volunteer_hours[day]", ["2", "1", ""]),
            ("workforce.volunteer_hours", ["2 day", "24 h", None]),
        ],
    )
    def test_units_in_cells_or_names(self, column: str, cells: list[Any]) -> None:
        """Hours in days, in the column's name or in the cell, are read as the model
        reads them (72 hours); a blank cell is unknown."""
        table = pa.table(
            {
                "id": ["a", "b", "c"],
                "name": ["a", "b", "c"],
                "country": ["VN"] * 3,
                column: pa.array(cells, pa.string()),
            }
        )
        every = ["qualifies", "undetermined", "does_not_qualify"]
        t = indicators(
            table, "intl/ilo-2022", on=ON, only=["volunteer_hours"], verdicts=every, min_cell=0
        )
        rows = t.table.to_pylist()
        assert sum(r["entities"] for r in rows) == 3
        assert sum(r["value"] or 0 for r in rows) == 72.0
        assert sum(r["reporting"] for r in rows) == 2

    def test_rejected_rows_count_in_nothing(self) -> None:
        """A row breaking a rule of the model (more insured than employees) is rejected
        and counted in the summary, not in the indicators."""
        records = _sample(10)
        records[0]["work"] = {"employees": 2, "insured_employees": 3}
        t = indicators(records, "intl/ilo-2022", on=ON, min_cell=0)
        assert t.summary is not None and t.summary.rejected == 1
        total = sum(r["value"] for r in t.table.to_pylist() if r["indicator"] == "entities")
        assert total <= 9


class TestOutputs:
    """The table is written as CSV, Parquet and JSON Lines, and shown in notebooks."""

    T = indicators(_result(GOLDEN), by=["country"], min_cell=0)

    def test_parquet_round_trip(self, tmp_path: Path) -> None:
        """Parquet keeps every column and dtype."""
        import pyarrow.parquet as pq

        self.T.write(tmp_path / "i.parquet")
        assert pq.read_table(tmp_path / "i.parquet").equals(self.T.table)

    def test_csv_and_json(self, tmp_path: Path) -> None:
        """CSV has the columns of the table; JSON has no infinity (null instead)."""
        self.T.write(tmp_path / "i.csv")
        frame = pd.read_csv(tmp_path / "i.csv")
        assert list(frame.columns) == self.T.table.column_names
        self.T.write(tmp_path / "i.jsonl")
        lines = (tmp_path / "i.jsonl").read_text("utf-8").splitlines()
        assert len(lines) == self.T.table.num_rows
        assert all("Infinity" not in line for line in lines)

    def test_csv_escapes_formulas(self, tmp_path: Path) -> None:
        """A group value a spreadsheet would run is escaped."""
        t = indicators(_result([_q(country="=cmd()")]), by=["country"], min_cell=0)
        t.write(tmp_path / "i.csv")
        assert "'=cmd()" in (tmp_path / "i.csv").read_text("utf-8")

    def test_repr_is_short(self) -> None:
        """The repr says how many rows and indicators, not the whole table."""
        n = self.T.table.num_rows
        assert repr(self.T) == f"IndicatorTable({n} rows: {len(_ONE_REGISTER)} indicators)"

    def test_frame_and_html(self) -> None:
        """to_pandas has the tidy columns; the HTML escapes text."""
        frame = self.T.to_pandas()
        for name in ("indicator", "country", "value", "coverage", "lower", "upper", "unit"):
            assert name in frame.columns
        t = indicators(_result([_q(country="<b>")]), by=["country"], min_cell=0)
        assert "&lt;b&gt;" in t._repr_html_()


class TestBadArguments:
    """Arguments that cannot be right are refused, saying what was expected."""

    @pytest.mark.parametrize(
        "kw",
        [
            {"only": ["nope"]},
            {"by": ["value"]},
            {"by": ["country", "country"]},
            {"verdicts": ["maybe"]},
            {"min_cell": -1},
        ],
    )
    def test_refused(self, kw: dict[str, Any]) -> None:
        """Each is an InvalidInput naming the argument."""
        with pytest.raises(InvalidInput) as e:
            indicators(_result(GOLDEN), **kw)
        assert e.value.errors[0].path == next(iter(kw))

    def test_no_profile_for_a_register(self) -> None:
        """A register needs a profile to classify it under."""
        with pytest.raises(InvalidInput, match="profile"):
            indicators(_sample(3))

    def test_bad_kept_cell(self) -> None:
        """A results table whose kept cell the model would reject is refused, naming
        the column and the cell."""
        with pytest.raises(InvalidInput, match=r"work\.employees"):
            indicators(_result([_q(**{"work.employees": "many"})]))


def _run(*argv: str) -> tuple[int, str, str]:
    import io

    from sse_model._cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


class TestCommandLine:
    """`sse-model indicators REGISTER --profile P`."""

    def test_table(self, tmp_path: Path) -> None:
        """The table for people: a block per group, the summary on stderr."""
        path = tmp_path / "r.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in _sample(60)), "utf-8")
        code, out, err = _run(
            "indicators", str(path), "--profile", "intl/ilo-2022", "--on", "2025-06-30"
        )
        assert code == 0
        assert "verdict_group=qualifies" in out and "social_insurance_rate" in out
        assert "rows read: 60; classified: 60; rejected: 0" in err

    @pytest.mark.parametrize("ext", ["csv", "parquet", "jsonl"])
    def test_outputs_agree_with_the_api(self, tmp_path: Path, ext: str) -> None:
        """--output by extension writes the table the API gives."""
        import pyarrow.parquet as pq

        records = _sample(60)
        path = tmp_path / "r.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        target = tmp_path / f"i.{ext}"
        argv = ["indicators", str(path), "--profile", "intl/ilo-2022", "--on", "2025-06-30"]
        code, _, _ = _run(*argv, "--by", "country", "--output", str(target))
        assert code == 0
        api = indicators(records, "intl/ilo-2022", on=ON, by=["country"]).table
        if ext == "parquet":
            assert pq.read_table(target).equals(api)
        elif ext == "csv":
            assert len(pd.read_csv(target)) == api.num_rows
        else:
            assert len(target.read_text("utf-8").splitlines()) == api.num_rows

    def test_rejected_rows_exit_1(self, tmp_path: Path) -> None:
        """A rejected row is counted and the exit code says so."""
        records = _sample(5)
        records[0]["work"] = {"employees": 1, "women_employees": 2}
        path = tmp_path / "r.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        code, _, err = _run("indicators", str(path), "--profile", "intl/ilo-2022")
        assert code == 1 and "rejected: 1" in err

    @pytest.mark.parametrize(
        "extra",
        [["--format", "parquet"], ["--format", "csv", "--output", "x.parquet"]],
    )
    def test_usage_errors(self, tmp_path: Path, extra: list[str]) -> None:
        """Parquet needs --output; --format must agree with the extension (exit 2)."""
        path = tmp_path / "r.jsonl"
        path.write_text(json.dumps(_sample(1)[0]) + "\n", "utf-8")
        argv = [a if a != "x.parquet" else str(tmp_path / a) for a in extra]
        code, _, err = _run("indicators", str(path), "--profile", "intl/ilo-2022", *argv)
        assert code == 2 and "sse-model: error:" in err


class TestCommandLineAdditions:
    """`--benchmark` and `--then` on `sse-model indicators`."""

    def test_benchmark_and_then_agree_with_the_api(self, tmp_path: Path) -> None:
        """The CSV holds the API's rows: the indicators with the ratio, then the
        formalisation between the two registers; the earlier summary is on stderr."""
        records = _sample(40)
        earlier = [{**r, "work": {**r.get("work", {}), "sector": "informal"}} for r in records]
        now, then = tmp_path / "now.jsonl", tmp_path / "then.jsonl"
        now.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        then.write_text("".join(json.dumps(r) + "\n" for r in earlier), "utf-8")
        target = tmp_path / "i.csv"
        code, _, err = _run(
            "indicators",
            str(now),
            "--profile",
            "intl/ilo-2022",
            "--on",
            "2025-06-30",
            "--benchmark",
            "women_members_share=0.5",
            "--then",
            str(then),
            "--output",
            str(target),
        )
        assert code == 0 and "earlier register: rows read: 40" in err
        frame = pd.read_csv(target)
        api = indicators(records, "intl/ilo-2022", on=ON, benchmarks={"women_members_share": 0.5})
        moved = formalisation(earlier, records, "intl/ilo-2022", on=ON)
        assert len(frame) == api.table.num_rows + moved.table.num_rows
        groups = frame["verdict_group"].tolist()
        assert groups == sorted(groups, key=["qualifies", "undetermined"].index)
        mine = frame[frame.indicator == "formalised_units"]
        theirs = [r for r in moved.table.to_pylist() if r["indicator"] == "formalised_units"]
        assert mine["entities"].tolist() == [r["entities"] for r in theirs]
        assert mine["upper"].tolist() == [r["upper"] for r in theirs]
        assert "women_members_share_representation" in set(frame.indicator)

    def test_benchmark_per_country(self) -> None:
        """SHARE:COUNTRY=VALUE gives one benchmark per country."""
        from sse_model._cli import _benchmark_args

        got = _benchmark_args(["women_employees_share:VN=0.47", "women_members_share=0.5"])
        assert got == {"women_employees_share": {"VN": 0.47}, "women_members_share": 0.5}

    @pytest.mark.parametrize(
        "extra",
        [
            ["--benchmark", "women_employees_share"],
            ["--benchmark", "women_employees_share=half"],
            [
                "--benchmark",
                "women_employees_share=0.4",
                "--benchmark",
                "women_employees_share=0.5",
            ],
            [
                "--benchmark",
                "women_employees_share=0.4",
                "--benchmark",
                "women_employees_share:VN=0.5",
            ],
        ],
    )
    def test_bad_benchmark(self, tmp_path: Path, extra: list[str]) -> None:
        """A benchmark without a number, or given twice, is a usage error (exit 2)."""
        path = tmp_path / "r.jsonl"
        path.write_text(json.dumps(_sample(1)[0]) + "\n", "utf-8")
        code, _, err = _run("indicators", str(path), "--profile", "intl/ilo-2022", *extra)
        assert code == 2 and "--benchmark" in err

    def test_missing_earlier_register(self, tmp_path: Path) -> None:
        """--then naming no file is refused before anything is computed."""
        path = tmp_path / "r.jsonl"
        path.write_text(json.dumps(_sample(1)[0]) + "\n", "utf-8")
        code, _, err = _run(
            "indicators", str(path), "--profile", "intl/ilo-2022", "--then", str(tmp_path / "no")
        )
        assert code != 0 and "no such register file" in err


class TestDefinitionPage:
    """docs/generated/indicators.md is generated from the declarations."""

    def test_every_indicator_once(self) -> None:
        """The page has one section per declared indicator, with its source."""
        import re

        from sse_model._reference import indicators_page

        page = indicators_page()
        sections = re.findall(r"^## `([a-z_0-9]+)`", page, re.MULTILINE)
        assert sections == [i.id for i in INDICATORS]
        for i in INDICATORS:
            assert i.source in page

    def test_the_docs_build_writes_it(self) -> None:
        """docs/conf.py writes the page from the same function; the guide links it."""
        docs = Path(__file__).parent.parent / "docs"
        assert "indicators_page()" in (docs / "conf.py").read_text("utf-8")
        guide = (docs / "guides" / "indicators.md").read_text("utf-8")
        assert "../generated/indicators.md" in guide


#: the consistency rules of the facts the indicators read: a part and its whole
_PARTS = [
    (section, r.part, r.whole)
    for section, r in rules()
    if type(r).__name__ == "AtMost"
    and section in ("work", "governance")
    and any(f"{section}.{r.part}" in i.inputs for i in INDICATORS)
]


class TestBadFacts:
    """Facts of work that cannot be right are rejected, naming the field."""

    @pytest.mark.parametrize(("section", "part", "whole"), _PARTS)
    def test_part_above_whole(self, section: str, part: str, whole: str) -> None:
        """Every part an indicator counts is at most its whole (from the declarations)."""
        money = COLUMNS[f"{section}.{part}"].kind.name == "MONEY"
        two, three = ("2 VND", "3 VND") if money else (2, 3)
        data = {"id": "o", "name": "n", section: {whole: two, part: three}}
        with pytest.raises(InvalidInput) as e:
            sse_model.structure(data, Organisation)
        assert [x.path for x in e.value.errors] == [f"{section}.{part}"]
        shown = ("'2 VND'", "'3 VND'") if money else ("2", "3")
        expected = f"expected at most {whole} ({shown[0]}), got {shown[1]}"
        assert expected in e.value.errors[0].message

    def test_unknown_sector(self) -> None:
        """The sector of the unit is one of the 21st ICLS sectors."""
        with pytest.raises(InvalidInput) as e:
            sse_model.structure({"id": "o", "name": "n", "work": {"sector": "grey"}}, Organisation)
        assert e.value.errors[0].path == "work.sector"
        assert "'formal', 'informal'" in e.value.errors[0].message


class TestPlot:
    """plots.indicator_bounds draws each group's value within its bounds."""

    def test_one_dot_and_bar_per_group(self) -> None:
        """A dot per group with a value, a bar per group with bounds; an unknown
        indicator is refused."""
        matplotlib = pytest.importorskip("matplotlib")
        matplotlib.use("Agg")
        from sse_model import plots

        t = indicators(_result(GOLDEN), by=["country"], min_cell=0)
        ax = plots.indicator_bounds(t, "formal_sector_share")
        dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
        assert len(dots) == 1  # the Thai organisation has no sector
        assert [t.get_text() for t in ax.get_yticklabels()] == [
            "qualifies, VN",
            "undetermined, TH",
        ]
        assert len(ax.collections) == 2
        with pytest.raises(ValueError, match="nope"):
            plots.indicator_bounds(t, "nope")

    def test_amounts_and_gaps(self) -> None:
        """Average earnings in two currencies are refused on one axis, and drawn for
        one; a negative gap with no lower bound is on the chart, its bar from the edge."""
        matplotlib = pytest.importorskip("matplotlib")
        matplotlib.use("Agg")
        from sse_model import plots

        rows = [
            *TestEarnings.ROWS,
            _q(
                country="TH",
                **{
                    "work.employees": 2,
                    "work.women_employees": 1,
                    "work.women_earnings": "300 THB",
                    "work.women_paid_hours": 2,
                    "work.men_earnings": "200 THB",
                    "work.men_paid_hours": 2,
                },
            ),
        ]
        t = indicators(_result(rows), by=["country"], only=_PAY_IDS, min_cell=0)
        with pytest.raises(ValueError, match="THB per hour, VND per hour"):
            plots.indicator_bounds(t, "mean_hourly_earnings")
        frame = t.to_pandas()
        ax = plots.indicator_bounds(frame[frame.country == "VN"], "mean_hourly_earnings")
        assert ax.get_xlabel() == "VND per hour"
        ax = plots.indicator_bounds(t, "gender_pay_gap")  # TH: (100 - 150) / 100
        (low, _) = ax.get_xlim()
        assert low < -0.5
        assert len(ax.collections) == 2  # a bar for each country


def _fact(org: Organisation, path: str) -> Any:
    section, field = path.split(".")
    value = getattr(getattr(org, section), field)
    return getattr(value, "value", value)


def _reported(ind: Any, org: Organisation) -> tuple[bool, bool]:
    """Whether *org* reported *ind*, and whether it is not applicable to it (a loop over
    the object, the definitions restated)."""
    if ind.kind is IndicatorKind.ENTITIES:
        return True, False
    x = _fact(org, ind.num)
    if ind.kind is IndicatorKind.SUM:
        cap = _fact(org, ind.cap) if ind.cap else None
        return x is not None, x is None and cap == 0
    if ind.kind is IndicatorKind.ENTITY_SHARE:
        return x is not None, False
    if ind.kind in (IndicatorKind.MEAN, IndicatorKind.GAP):
        pairs = [(ind.num, ind.den), *([ind.versus] if ind.versus else [])]
        amounts = [(_fact(org, a), _fact(org, h)) for a, h in pairs]
        hours = [h for _, h in amounts]
        na = any(_fact(org, c) == 0 for c in ind.none_if) or (
            None not in hours and sum(hours) == 0
        )
        known = all(a is not None and h is not None for a, h in amounts)
        return known and not na, na
    d = _fact(org, ind.den)
    return (d is not None and d > 0 and x is not None), d == 0


class TestAgainstObjects:
    """The columnar computation reads what the organisations hold."""

    @settings(max_examples=20, deadline=None)
    @given(st.lists(organisations(), min_size=1, max_size=6, unique_by=lambda o: o.id))
    def test_counts_agree(self, orgs: list[Organisation]) -> None:
        """For generated organisations, over every verdict group, the organisations
        counted, reporting and not applicable, and the sums, are those a loop over the
        objects gives."""
        t = indicators(
            orgs,
            "intl/ilo-2022",
            on=ON,
            min_cell=0,
            verdicts=["qualifies", "undetermined", "does_not_qualify"],
        )
        assert t.summary is not None and t.summary.rejected == 0
        rows = t.table.to_pylist()
        for ind in _ONE_REGISTER:
            mine = [r for r in rows if r["indicator"] == ind.id]
            assert sum(r["entities"] for r in mine) == len(orgs)
            seen = [_reported(ind, o) for o in orgs]
            assert sum(r["reporting"] for r in mine) == sum(a for a, _ in seen), ind.id
            assert sum(r["not_applicable"] for r in mine) == sum(b for _, b in seen), ind.id
            if ind.kind is IndicatorKind.SUM:
                known = [_fact(o, ind.num) for o in orgs if _fact(o, ind.num) is not None]
                total = sum(r["value"] or 0 for r in mine)
                assert total == pytest.approx(float(sum(known)), rel=1e-9), ind.id


class TestFamilies:
    """Grouping by family presumes an unknown family from the legal form, as the
    classifier does."""

    def test_presumed_from_the_legal_form(self) -> None:
        """A Vietnamese cooperative without a family is counted among cooperatives; a
        given family is kept; a form of several families stays unknown."""
        rows = [
            _q(legal_form="vn/cooperative"),
            _q(legal_form="vn/cooperative", family="mutual"),
            _q(legal_form="vn/jsc"),
        ]
        t = indicators(_result(rows), by=["family"], only=["entities"], min_cell=0)
        got = {r["family"]: r["value"] for r in t.table.to_pylist()}
        jsc = sse_model.legal_forms()["vn/jsc"].family
        expected: dict[Any, float] = {"cooperative": 1.0, "mutual": 1.0}
        key = None if jsc is None else jsc.value
        expected[key] = expected.get(key, 0.0) + 1.0
        assert got == expected


class TestBenchmarks:
    """A share against the national share the user gives: a representation ratio."""

    ROWS: ClassVar[list[dict[str, Any]]] = [
        _q(country="VN", **{"work.employees": 10, "work.women_employees": 6}),
        _q(country="VN", **{"work.employees": 10, "work.women_employees": 4}),
        _q(country="VN", **{"work.employees": 5}),
        _q(country="TH", **{"work.employees": 8, "work.women_employees": 2}),
        _q(country="TH", **{"work.employees": 2, "work.women_employees": 2}),
        _q(country="TH", **{"work.employees": 0}),
    ]

    def test_one_national_share(self) -> None:
        """Women among employees in VN: 10 of 20 reported, 5 employees unknown: share
        0.5 in [10/25, 15/25]; against 0.4 the ratio is 1.25 in [1, 1.5], with the
        share's coverage."""
        t = indicators(
            _result(self.ROWS),
            by=["country"],
            min_cell=0,
            benchmarks={"women_employees_share": 0.4},
        )
        r = _one(t, "women_employees_share_representation", country="VN")
        assert r["value"] == pytest.approx(1.25)
        assert (r["lower"], r["upper"]) == (pytest.approx(1.0), pytest.approx(1.5))
        share = _one(t, "women_employees_share", country="VN")
        assert r["coverage"] == share["coverage"] == pytest.approx(2 / 3)
        assert "0.4 (given)" in r["note"]

    def test_one_share_per_country(self) -> None:
        """Per country: TH 4 of 10 against 0.5 is 0.8 (exact: all reported, the one
        without employees not applicable); a country without a benchmark shows none."""
        t = indicators(
            _result(self.ROWS),
            by=["country"],
            min_cell=0,
            benchmarks={"women_employees_share": {"TH": 0.5}},
        )
        r = _one(t, "women_employees_share_representation", country="TH")
        assert (r["value"], r["lower"], r["upper"]) == (
            pytest.approx(0.8),
            pytest.approx(0.8),
            pytest.approx(0.8),
        )
        assert r["not_applicable"] == 1
        vn = _one(t, "women_employees_share_representation", country="VN")
        assert vn["value"] is None and vn["upper"] is None
        assert "no benchmark" in vn["note"]

    def test_only_with_a_benchmark(self) -> None:
        """Without benchmarks no ratio is computed; asking for one is refused."""
        t = indicators(_result(self.ROWS), min_cell=0)
        assert not any(
            i.endswith("_representation") for i in t.table.column("indicator").to_pylist()
        )
        with pytest.raises(InvalidInput, match="expected a benchmark"):
            indicators(_result(self.ROWS), only=["women_employees_share_representation"])

    def test_suppressed_like_its_share(self) -> None:
        """A cell under min_cell shows no ratio either."""
        t = indicators(
            _result(self.ROWS[:2]), min_cell=3, benchmarks={"women_employees_share": 0.5}
        )
        r = _one(t, "women_employees_share_representation")
        assert r["suppressed"] and r["value"] is None

    @pytest.mark.parametrize(
        ("benchmarks", "by", "path"),
        [
            ({"employees": 0.5}, [], "benchmarks"),
            ({"women_employees_share": 0}, [], "benchmarks.women_employees_share"),
            ({"women_employees_share": 1.5}, [], "benchmarks.women_employees_share"),
            ({"women_employees_share": True}, [], "benchmarks.women_employees_share"),
            ({"women_employees_share": math.nan}, [], "benchmarks.women_employees_share"),
            ({"women_employees_share": {"VN": 0.5}}, [], "benchmarks.women_employees_share"),
            (
                {"women_employees_share": {"VN": "half"}},
                ["country"],
                "benchmarks.women_employees_share.VN",
            ),
            ([("women_employees_share", 0.5)], [], "benchmarks"),
        ],
    )
    def test_refused(self, benchmarks: Any, by: list[str], path: str) -> None:
        """A benchmark for a share without a ratio, outside (0, 1], not a number, or
        per country without grouping by country is refused, naming it."""
        with pytest.raises(InvalidInput) as e:
            indicators(_result(self.ROWS), by=by, benchmarks=benchmarks)
        assert e.value.errors[0].path == path


def _org(oid: str, sector: str | None, as_of: str | None = None, **cells: Any) -> dict[str, Any]:
    return _q(organisation_id=oid, **{"work.sector": sector, "work.as_of": as_of}, **cells)


#: the earlier register: the sectors of a-f (g is not in it)
THEN = [
    _org("a", "informal", "2022-01-01"),
    _org("b", "informal"),
    _org("c", "informal"),
    _org("d", "formal"),
    _org("e", None),
    _org("f", "informal", "2025-01-01"),
]
#: the later register
NOW = [
    _org("a", "formal", "2024-01-01"),
    _org("b", "informal"),
    _org("c", None),
    _org("d", "formal"),
    _org("e", "formal"),
    _org("f", "formal", "2024-01-01"),
    _org("g", "informal"),
]


class TestFormalisation:
    """Units informal at the earlier date and formal at the later, two registers joined
    by id (21st ICLS sectors), computed by hand."""

    T = formalisation(_result(THEN), _result(NOW), min_cell=0)

    def test_count(self) -> None:
        """a moved (known); b stayed; c, e, f may have moved (c's sector now unknown, e's
        then unknown, f's dates not in order); d was formal; g was not in the earlier
        register and is informal now: 1 in [1, 4]; a, b and d are known at both dates."""
        r = _one(self.T, "formalised_units")
        assert (r["value"], r["lower"], r["upper"]) == (1.0, 1.0, 4.0)
        assert (r["entities"], r["reporting"], r["not_applicable"]) == (7, 3, 0)
        assert r["coverage"] == pytest.approx(3 / 7)
        assert "1 not in the earlier register" in r["note"]

    def test_rate(self) -> None:
        """Of a and b (informal then, known now) one moved: 1/2. Lower: c and g stayed,
        e and f were not informal: 1/4. Upper: c, e, f moved, g was not informal: 4/5.
        d (formal then) is not applicable."""
        r = _one(self.T, "formalisation_rate")
        assert r["value"] == pytest.approx(1 / 2)
        assert (r["lower"], r["upper"]) == (pytest.approx(1 / 4), pytest.approx(4 / 5))
        assert (r["reporting"], r["not_applicable"]) == (2, 1)
        assert r["coverage"] == pytest.approx(2 / 6)

    def test_a_bound_no_worst_case_reaches(self) -> None:
        """One organisation, informal now and absent from the earlier register: the
        count is 0 in [0, 0]; the rate's upper worst case leaves it out (not informal
        then), so the upper bound is the one completion with a value, 0; the lower is 0."""
        t = formalisation(_result([]), _result([_org("x", "informal")]), min_cell=0)
        r = _one(t, "formalisation_rate")
        assert (r["value"], r["lower"], r["upper"]) == (None, 0.0, 0.0)
        c = _one(t, "formalised_units")
        assert (c["lower"], c["upper"]) == (0.0, 0.0)

    def test_groups_of_the_later_register(self) -> None:
        """Groups and verdicts are those of the later register; a group under min_cell
        is suppressed."""
        now = [{**r, "country": "VN" if r["organisation_id"] < "d" else "TH"} for r in NOW]
        now[-1]["verdict"] = "undetermined"
        t = formalisation(_result(THEN), _result(now), by=["country"], min_cell=3)
        got = {(r["verdict_group"], r["country"]) for r in t.table.to_pylist()}
        assert got == {("qualifies", "VN"), ("qualifies", "TH"), ("undetermined", "TH")}
        vn = _one(t, "formalised_units", country="VN")
        assert (vn["value"], vn["upper"]) == (1.0, 2.0)
        assert _one(t, "formalised_units", verdict_group="undetermined")["suppressed"]

    def test_not_in_indicators(self) -> None:
        """indicators() computes one register: it leaves the transitions out and
        refuses them by name."""
        ids = set(indicators(_result(NOW), min_cell=0).table.column("indicator").to_pylist())
        assert not ids & {"formalised_units", "formalisation_rate"}
        with pytest.raises(InvalidInput, match="formalisation"):
            indicators(_result(NOW), only=["formalisation_rate"])
        assert "work.as_of" not in sse_model.indicator_inputs()
        assert sse_model.indicator_inputs(["formalisation_rate"]) == ("work.sector", "work.as_of")

    def test_duplicate_ids_refused(self) -> None:
        """An earlier register holding an organisation twice cannot be joined."""
        with pytest.raises(InvalidInput) as e:
            formalisation(_result([*THEN, THEN[0]]), _result(NOW))
        assert e.value.errors[0].path == "then"

    def test_bad_date_refused(self) -> None:
        """A kept date the model rejects is refused, naming the column."""
        bad = [_org("a", "informal", "yesterday")]
        with pytest.raises(InvalidInput) as e:
            formalisation(_result(bad), _result(NOW))
        assert e.value.errors[0].path == "work.as_of"

    def test_from_registers(self) -> None:
        """From two sample registers: the later one's rows are the entities, and the
        earlier one's summary is kept."""
        records = _sample(80)
        earlier = [json.loads(json.dumps(r)) for r in records]
        for r in earlier:
            r["work"] = {**r.get("work", {}), "sector": "informal", "as_of": "2020-01-01"}
        t = formalisation(earlier, records, "intl/ilo-2022", on=ON, min_cell=0)
        assert t.earlier is not None and t.earlier.rows == 80
        rows = [r for r in t.table.to_pylist() if r["indicator"] == "formalised_units"]
        formal = sum(
            1
            for o in (sse_model.structure(r, Organisation) for r in records)
            if o.work.sector is not None and o.work.sector.value == "formal"
        )
        assert sum(r["entities"] for r in rows) <= 80
        assert sum(r["value"] or 0 for r in rows) <= formal


_SECTORS = st.sampled_from(["informal", "formal", "household_own_use_community"])
#: one unit: its sectors then and now, and which the registers hide (then, now, absent)
_UNIT = st.tuples(_SECTORS, _SECTORS, st.booleans(), st.booleans(), st.booleans())


def _transition(units: Sequence[tuple[str, str, bool, bool, bool]]) -> dict[str, Any]:
    then = [
        _org(str(i), None if hide_then else a)
        for i, (a, _, hide_then, _, absent) in enumerate(units)
        if not absent
    ]
    now = [_org(str(i), None if hide_now else b) for i, (_, b, _, hide_now, _) in enumerate(units)]
    t = formalisation(_result(then), _result(now), min_cell=0)
    return {r["indicator"]: r for r in t.table.to_pylist()}


class TestFormalisationBounds:
    """Laws of the transition bounds, over registers with sectors hidden at random."""

    @settings(max_examples=60, deadline=None)
    @given(st.lists(_UNIT, min_size=1, max_size=8))
    def test_bounds_contain_the_complete_value(self, units: Any) -> None:
        """The count and the rate the complete registers give lie within the bounds
        computed with the gaps."""
        rows = _transition(units)
        moved = sum(1 for a, b, *_ in units if (a, b) == ("informal", "formal"))
        informal = sum(1 for a, *_ in units if a == "informal")
        r = rows["formalised_units"]
        assert r["lower"] <= moved <= r["upper"]
        if informal:
            r = rows["formalisation_rate"]
            assert r["lower"] is not None and r["upper"] is not None
            assert r["lower"] - _EPS <= moved / informal <= r["upper"] + _EPS

    @settings(max_examples=60, deadline=None)
    @given(st.lists(_UNIT, min_size=1, max_size=8), st.data())
    def test_reports_never_widen_the_bounds(self, units: Any, data: Any) -> None:
        """Revealing one hidden sector (or adding the unit to the earlier register)
        gives bounds within the bounds before."""
        cells = [(i, j) for i, u in enumerate(units) for j in (2, 3, 4) if u[j]]
        if not cells:
            return
        i, j = data.draw(st.sampled_from(cells))
        more = [list(u) for u in units]
        more[i][j] = False
        before, after = _transition(units), _transition([tuple(u) for u in more])
        for name in ("formalised_units", "formalisation_rate"):
            lo0, up0 = before[name]["lower"], before[name]["upper"]
            lo1, up1 = after[name]["lower"], after[name]["upper"]
            if lo0 is not None and lo1 is not None:
                assert lo1 >= lo0 - _EPS, name
            if up0 is not None and up1 is not None:
                assert up1 <= up0 + _EPS, name

    @settings(max_examples=60, deadline=None)
    @given(st.lists(_UNIT, min_size=1, max_size=8))
    def test_coverage_is_the_share_reporting(self, units: Any) -> None:
        """Coverage is in [0, 1]: for the count, the share known at both dates; for the
        rate, of the units not known to be outside the informal sector then, the share
        known informal then and known now."""
        rows = _transition(units)
        then_known = [not (u[2] or u[4]) for u in units]
        now_known = [not u[3] for u in units]
        both = sum(1 for t, n in zip(then_known, now_known, strict=True) if t and n)
        r = rows["formalised_units"]
        assert r["reporting"] == both
        assert r["coverage"] == pytest.approx(both / len(units))
        out = sum(1 for u, t in zip(units, then_known, strict=True) if t and u[0] != "informal")
        reported = sum(
            1
            for u, t, n in zip(units, then_known, now_known, strict=True)
            if t and n and u[0] == "informal"
        )
        r = rows["formalisation_rate"]
        assert (r["reporting"], r["not_applicable"]) == (reported, out)
        if len(units) > out:
            assert 0 <= r["coverage"] <= 1
            assert r["coverage"] == pytest.approx(reported / (len(units) - out))
        else:
            assert r["coverage"] is None
