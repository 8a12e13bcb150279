"""Every model field is declared once: no other place lists fields by hand (issue 12).

The fields of the model are declared in ``_model/_organisation.py`` (with the
specifiers of ``_model/_declare.py``); the vocabulary, the fact catalogue, the fast
lane and the Hypothesis strategies are read off those declarations. This module
parses every other module of the package with :mod:`ast` and fails on a literal
list, tuple, set or dict that names two or more declared fields of one record, or on
a model record built with two or more declared fields as keyword arguments: such a
place must change by hand whenever a field is added, which is what the declarations
are for.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import sse_model
from sse_model import Classifier, Money, Organisation, Undefined, VotingRule, profile_ids
from sse_model._model._declare import (
    AtMost,
    Kind,
    OneCurrency,
    Ratio,
    Rule,
    SumAtMost,
    check,
    choice,
    count,
    derived,
    flag,
    money,
    rate,
)
from sse_model._model._schema import COLUMNS, DERIVED, RECORDS, REQUIRED
from sse_model.testing import (
    Thresholds,
    _plans,
    _recipe,
    _records,
    _version_dates,
    organisations,
    thresholds_of,
)

T = TypeVar("T")

PACKAGE = Path(sse_model.__file__).parent
#: where the fields are declared (the one place that names them)
DECLARATIONS = PACKAGE / "_model" / "_organisation.py"

#: places that may still name fields by hand, each with the reason: (module, the
#: fields named) -> why
#: derived values over three fields that no single rule links: the strategies land on
#: their thresholds only by chance (their boundaries have golden tests instead)
BY_CHANCE: dict[str, str] = {
    "finances.capped_dividends_of_distributable": (
        "(dividends - exempt dividends) / distributable profit: gb/cic reg. 19, golden "
        "tests in tests/test_legal_second_pass.py"
    ),
}

ALLOWED: dict[tuple[str, tuple[str, ...]], str] = {
    ("_model/_forms.py", ("family", "name")): "keys of the legal-form data files, not fields",
    ("_engine/_presume.py", ("country", "name")): "keys of the certification data, not fields",
    ("_engine/_facts.py", ("registered_on", "status")): (
        "the inputs of the computed fact registration.in_force (what it is computed from)"
    ),
    ("_io/_lookups.py", ("family", "legal_form")): (
        "keys of the ESSGlobal data file, and the vocabulary columns its lookup sets"
    ),
    ("_indicators.py", ("women_earnings", "women_paid_hours")): (
        "the inputs of an indicator's declaration (the mean a gap compares with)"
    ),
    ("_lab.py", ("country", "family", "legal_form")): (
        "the groups a comparison counts by (the policy lab's documented default), not the "
        "fields of a record"
    ),
}


def _names_by_record() -> dict[str, dict[str, str]]:
    """For each record (a section of the organisation, or ``""`` for the organisation
    itself), its declared names, leaf and dotted, each mapped to the field."""
    out: dict[str, dict[str, str]] = {}
    for column in COLUMNS.values():
        names = out.setdefault(column.section or "", {})
        names[column.name] = column.field
        names[column.field] = column.field
    for value in DERIVED.values():
        names = out.setdefault(value.section, {})
        names[value.name] = value.field
        names[value.field] = value.field
    for section in RECORDS:  # the records are fields of the organisation too
        out.setdefault("", {})[section] = section
    return out


NAMES = _names_by_record()
#: the model's record classes, by class name: building one names its fields
RECORD_CLASSES = {cls.__name__: section for section, cls in RECORDS.items()}


def _named_fields(strings: list[str]) -> Iterator[tuple[str, list[str]]]:
    """The records of which *strings* name two or more distinct declared fields."""
    for record, names in NAMES.items():
        fields = sorted({names[s] for s in strings if s in names})
        if len(fields) >= 2:
            yield record or "organisation", fields


def _strings(elements: list[ast.expr | None]) -> list[str]:
    return [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def _called_class(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def offences(source: str, where: str) -> Iterator[tuple[tuple[str, ...], str]]:
    """Each place in *source* (the module *where*) that lists declared fields by hand:
    the fields it names, and where it is."""
    tree = ast.parse(source, filename=where)
    for node in ast.walk(tree):
        found: list[tuple[str, list[str]]] = []
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            found = list(_named_fields(_strings(list(node.elts))))
            kind = "literal"
        elif isinstance(node, ast.Dict):
            found = list(_named_fields(_strings(list(node.keys))))
            kind = "dict keys"
        elif isinstance(node, ast.Call) and _called_class(node) in RECORD_CLASSES:
            cls = _called_class(node)
            assert cls is not None
            declared = {f.name for f in attrs.fields(RECORDS[RECORD_CLASSES[cls]])}
            keywords = sorted({k.arg for k in node.keywords if k.arg in declared})
            if len(keywords) >= 2:
                found = [(RECORD_CLASSES[cls], keywords)]
            kind = f"{cls}(...) call"
        for record, fields in found:
            message = f"{where}:{node.lineno}: {kind} names fields of {record}: {fields}"
            yield tuple(fields), message


def _modules() -> dict[str, str]:
    """The source of every module of the package but the declarations, by its path."""
    return {
        p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(PACKAGE.rglob("*.py"))
        if p != DECLARATIONS
    }


class TestNoFieldListedByHand:
    """Fields are named once, where they are declared; every other place derives them."""

    def test_no_module_lists_fields(self) -> None:
        """No module but the declarations names two or more fields of one record in a
        literal or in a record built with keyword arguments."""
        found = [
            message
            for where, source in _modules().items()
            for fields, message in offences(source, where)
            if (where, fields) not in ALLOWED
        ]
        assert not found, "fields listed by hand:\n" + "\n".join(found)

    def test_allowed_exceptions_are_offences(self) -> None:
        """Each allowed exception still names fields (a stale exception hides nothing)."""
        modules = _modules()
        for where, fields in ALLOWED:
            assert fields in {f for f, _ in offences(modules[where], where)}, (where, fields)


class TestTheCheckCanFail:
    """The check finds fields listed by hand: it is not vacuous."""

    @pytest.mark.parametrize(
        "source",
        [
            'COLUMNS = ("finances.revenue", "finances.labour_costs")',
            'MONEY = ["revenue", "labour_costs"]',
            'SHARES = {"governance.members", "governance.voting_rule"}',
            'CELLS = {"paid_workers": 1, "volunteers": 2}',
            'RATIOS = ("workforce.pay_ratio", "workforce.lowest_pay")',
            "fy = FiscalYear(year=2024, revenue=None)",
            "w = m.Workforce(paid_workers=3, volunteers=2)",
            'IDENTITY = ("id", "name")',
            'SECTIONS = ("registration", "purpose")',
        ],
    )
    def test_offence_is_found(self, source: str) -> None:
        """A literal or a record call naming two fields of one record is an offence."""
        assert [message.split(":")[1] for _, message in offences(source, "probe.py")] == ["1"]

    @pytest.mark.parametrize(
        "source",
        [
            'PAIR = ("finances.revenue", "governance.members")',
            "fy = FiscalYear(year=2024)",
            'UNITS = ("h", "min")',
            'NAMES = [f"{s}.members" for s in ("a", "b")]',
        ],
    )
    def test_no_false_alarm(self, source: str) -> None:
        """Fields of different records, one field, or other strings are no offence."""
        assert not list(offences(source, "probe.py"))


# --- the strategies draw whatever is declared ---------------------------------------------


def draws(strategy: st.SearchStrategy[T], n: int) -> list[T]:
    """*n* examples of *strategy* (generation only, derandomized: the counts below are
    the same on every run)."""
    out: list[T] = []

    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(x: T) -> None:
        out.append(x)

    collect()
    return out


NO_STOCK = Undefined("no stock")
NO_PROFIT = Undefined("no profit")


@attrs.frozen
class Shop:
    """A record declared only in this test: nothing in testing.py knows its fields."""

    __rules__: ClassVar[tuple[Rule, ...]] = (
        AtMost("sold", "stock"),
        OneCurrency(("price", "profit", "kept", "given")),
        SumAtMost(("kept", "given"), "profit"),
    )

    stock: int | None = count("items in stock", unit="items")
    sold: int | None = count("items sold", unit="items")
    price: Money | None = money("the price of an item")
    profit: Money | None = money("profit", signed=True)
    kept: Money | None = money("profit kept")
    given: Money | None = money("profit given away")
    open_on_sundays: bool | None = flag("open on Sundays")
    voting: VotingRule | None = choice(VotingRule, "how the owners vote")
    markup: Fraction | None = rate("markup on the price")
    sold_share: Any = derived(Ratio(("sold",), ("stock",), NO_STOCK, "sold / stock"))
    kept_share: Any = derived(Ratio(("kept",), ("profit",), NO_PROFIT, "kept / profit"))
    kept_of_given: Any = derived(
        Ratio(("kept",), ("kept", "given"), NO_PROFIT, "kept / (kept + given)")
    )

    def __attrs_post_init__(self) -> None:
        check(self, "shop")


@attrs.frozen
class TwoWholes:
    """A part of two wholes: a rule the drawing cannot keep by construction."""

    __rules__: ClassVar[tuple[Rule, ...]] = (AtMost("sold", "stock"), AtMost("sold", "ordered"))

    stock: int | None = count("items in stock", unit="items")
    ordered: int | None = count("items ordered", unit="items")
    sold: int | None = count("items sold", unit="items")

    def __attrs_post_init__(self) -> None:
        check(self, "shop")


SHOP_THRESHOLDS = Thresholds(
    {
        "shop.sold_share": [Fraction(1, 3)],
        "shop.kept_share": [Fraction(3, 5)],
        "shop.kept_of_given": [Fraction(3, 4)],
        "shop.stock": [Fraction(40)],
    }
)


def _seen(records: list[Any], name: str) -> set[str]:
    """How the values of *name* were seen: known, unknown, undefined."""
    out = set()
    for r in records:
        v = getattr(r, name)
        out.add("unknown" if v is None else "undefined" if isinstance(v, Undefined) else "known")
    return out


@pytest.fixture(scope="module")
def shops() -> list[Shop]:
    return draws(_records(Shop, section="shop", thresholds=SHOP_THRESHOLDS), 600)


class TestNewDeclarationsAreDrawn:
    """A record declared with the specifiers is drawn with no edit to the strategies."""

    def test_every_field_known_and_unknown(self, shops: list[Shop]) -> None:
        """Each declared field of a record unknown to testing.py is sometimes known and
        sometimes unknown; each derived value is known, unknown and undefined."""
        for f in attrs.fields(Shop):
            expected = {"known", "unknown"} | ({"undefined"} if not f.init else set())
            assert _seen(shops, f.name) == expected, f.name

    def test_rules_hold_and_are_exercised(self, shops: list[Shop]) -> None:
        """Its rules hold by construction (the record checks them when built) and are
        tested: the part equals the whole, amounts share one currency, loss years come."""
        assert _recipe(Shop).unkept == ()
        both = [s for s in shops if s.sold is not None and s.stock is not None]
        assert all(s.sold <= s.stock for s in both)
        assert any(s.sold == s.stock > 0 for s in both)
        amounts = {m.currency for s in shops for m in (s.price, s.profit) if m is not None}
        assert amounts == {"VND"}
        assert any(s.profit is not None and s.profit.amount < 0 for s in shops)
        split = [s for s in shops if None not in (s.kept, s.given, s.profit)]
        assert any(s.kept.amount + s.given.amount == s.profit.amount > 0 for s in split)

    def test_thresholds_are_hit_exactly(self, shops: list[Shop]) -> None:
        """Derived shares land exactly on the thresholds of their facts (also a share
        of the parts of a split), and counts on theirs."""
        for name, facts in SHOP_THRESHOLDS.by_fact.items():
            field = name.split(".")[1]
            hits = [s for s in shops if getattr(s, field) in facts]
            assert len(hits) >= 4, (name, len(hits))

    def test_values_follow_the_kinds(self, shops: list[Shop]) -> None:
        """Choices come from the vocabulary; a rate may exceed 1; counts are whole."""
        assert {s.voting for s in shops} == {None, *VotingRule}
        assert any(s.markup is not None and s.markup > 1 for s in shops)
        assert all(isinstance(s.stock, int) for s in shops if s.stock is not None)

    def test_a_rule_not_kept_by_construction_still_holds(self) -> None:
        """A part of two wholes is left unknown when it would break the second rule."""
        assert len(_recipe(TwoWholes).unkept) == 1
        found = draws(_records(TwoWholes, section="shop"), 200)
        assert all(
            r.sold <= r.ordered for r in found if r.sold is not None and r.ordered is not None
        )
        assert _seen(found, "sold") == {"known", "unknown"}


def _all_thresholds() -> Thresholds:
    c = Classifier()
    return thresholds_of(
        plan for p in profile_ids() for plan in _plans(p, _version_dates(p, c), c)
    )


@pytest.fixture(scope="module")
def register() -> list[Organisation]:
    return draws(organisations(_all_thresholds()), 1000)


@pytest.fixture(scope="module")
def records() -> dict[str, list[Any]]:
    """Records of each section of the model with derived values, drawn around the
    thresholds of every shipped profile."""
    t = _all_thresholds()
    sections = {d.section for d in DERIVED.values()}
    return {s: draws(_records(RECORDS[s], section=s, thresholds=t), 1000) for s in sections}


def _values(org: Organisation, section: str | None, field: str) -> list[Any]:
    if section is None:
        return [getattr(org, field)]
    held = getattr(org, section)
    return [getattr(r, field) for r in (held if isinstance(held, tuple) else (held,))]


class TestTheModelIsDrawnWhole:
    """The strategies reach every declared field of the model, known and unknown."""

    def test_every_rule_is_kept_by_construction(self) -> None:
        """Every consistency rule of the model is kept by how records are drawn, but
        those of a part with two wholes (women among the insured: at most the insured and
        at most the women), which is drawn from the first and left unknown when it
        breaks the second."""
        two_wholes = {
            "work": tuple(
                r
                for r in RECORDS["work"].__rules__
                if type(r).__name__ == "AtMost"
                and r.whole == "women_employees"
                and r.part.startswith("women_")
                and r.part != "women_employees"
            )
        }
        assert len(two_wholes["work"]) == 6
        expected = {s: two_wholes.get(s, ()) for s in RECORDS}
        assert {s: _recipe(cls).unkept for s, cls in RECORDS.items()} == expected

    def test_every_column_known_and_unknown(self, register: list[Organisation]) -> None:
        """Each field of the flat vocabulary is drawn known and unknown in organisations
        (what every organisation gives, and the year of its accounts, always known)."""
        missing = []
        for c in COLUMNS.values():
            seen = {v is None for o in register for v in _values(o, c.section, c.field)}
            always = c.name in REQUIRED or c.kind is Kind.YEAR
            if seen != ({False} if always else {False, True}):
                missing.append((c.name, seen))
        assert not missing

    def test_every_derived_value_reached(self, records: dict[str, list[Any]]) -> None:
        """Each derived value is drawn known, unknown, and undefined where it can be
        (zero denominators, loss years)."""
        missing = []
        for d in DERIVED.values():
            seen = _seen(records[d.section], d.field)
            undefined = isinstance(getattr(d.formula, "if_zero", None), Undefined)
            if seen != {"known", "unknown"} | ({"undefined"} if undefined else set()):
                missing.append((d.name, seen))
        assert not missing

    def test_every_threshold_of_a_derived_value_is_hit(
        self, records: dict[str, list[Any]]
    ) -> None:
        """Every threshold a shipped profile compares a derived share with is drawn
        exactly (the strategy solves for the factor that lands on it)."""
        t = _all_thresholds()
        missed = [
            (d.name, value)
            for d in DERIVED.values()
            if d.name not in BY_CHANCE
            for value in t.ratios(d.name)
            if not any(getattr(r, d.field) == value for r in records[d.section])
        ]
        assert not missed
