"""Model constructors convert or reject their arguments by the field declarations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import sse_model
from sse_model import FiscalYear, Governance, InvalidInput, Money, Organisation, unstructure
from sse_model._model._declare import Kind, spec_of
from sse_model._model._schema import RECORDS
from sse_model.testing import organisations

#: every record class with declared fields, and the organisation itself
CLASSES = sorted({*RECORDS.values(), Organisation}, key=lambda c: c.__name__)


def _declared(cls: type) -> list[tuple[str, Any]]:
    return [(f.name, spec_of(f)) for f in attrs.fields(cls) if spec_of(f) is not None]


def _required(cls: type) -> dict[str, Any]:
    """The arguments a class cannot be built without (its id, name or year)."""
    out: dict[str, Any] = {}
    for f in attrs.fields(cls):
        if f.init and f.default is attrs.NOTHING:
            out[f.name] = 2024 if spec_of(f).kind is Kind.YEAR else "x"  # type: ignore[union-attr]
    return out


FIELDS = [(cls, name, spec) for cls in CLASSES for name, spec in _declared(cls)]


class TestConstructors:
    """Each declared field converts what its kind can read and rejects the rest."""

    @pytest.mark.parametrize(
        ("cls", "name"),
        [(c, n) for c, n, _ in FIELDS],
        ids=[f"{c.__name__}.{n}" for c, n, _ in FIELDS],
    )
    def test_wrong_type_is_invalid_input(self, cls: type, name: str) -> None:
        """A value of no readable type is InvalidInput at the field's path, never a
        TypeError or AttributeError later."""
        with pytest.raises(InvalidInput) as info:
            cls(**{**_required(cls), name: object()})
        assert [e.path for e in info.value.errors] == [name]
        assert "expected" in info.value.errors[0].message

    @settings(max_examples=30, deadline=None)
    @given(organisations())
    def test_serialised_values_convert_to_the_same_records(self, org: Organisation) -> None:
        """For any organisation, each record built from its serialised values (text,
        numbers, lists) equals the record: constructors read what structure reads."""
        for section in RECORDS:
            for record in (
                getattr(org, section) if section == "finances" else [getattr(org, section)]
            ):
                cls = type(record)
                assert cls(**unstructure(record)) == record

    def test_examples_of_the_issue(self) -> None:
        """Governance(foreign_capital_share=0.5) is a share of 1/2 that serialises;
        FiscalYear(revenue="100 VND") is money."""
        g = Governance(foreign_capital_share=0.5)  # type: ignore[arg-type]
        assert g.foreign_capital_share == Fraction(1, 2)
        assert '"foreign_capital_share": "0.5"' in sse_model.to_json(
            Organisation(id="a", name="A", governance=g)
        )
        fy = FiscalYear(
            year=2024, revenue="100 VND", reinvested="60 VND", profit_after_tax="100 VND"
        )  # type: ignore[arg-type]
        assert fy.revenue == Money(Decimal(100), "VND")
        assert fy.reinvested_share == Fraction(3, 5)  # derived values from converted ones

    @pytest.mark.parametrize(
        ("build", "path", "message"),
        [
            (
                lambda: Governance(foreign_capital_share=1.5),
                "foreign_capital_share",
                "between 0 and 100 %",
            ),
            (
                lambda: Governance(foreign_capital_share="lots"),
                "foreign_capital_share",
                "expected a ratio",
            ),
            (
                lambda: FiscalYear(year=2024, revenue=100),
                "revenue",
                "expected an amount in a currency",
            ),
            (lambda: Governance(members=True), "members", "expected a number"),
            (lambda: Governance(members=2.5), "members", "expected a whole number"),
            (lambda: sse_model.Purpose(social="yes"), "social", "expected True or False"),
            (lambda: Organisation(id=3, name="x"), "id", "expected a string"),
            (lambda: Organisation(id="a", name="x", family="coop"), "family", "expected one of"),
            (
                lambda: Organisation(id="a", name="x", governance={"members": 3}),
                "governance",
                "expected a Governance",
            ),
            (
                lambda: Organisation(id="a", name="x", finances={"2024": {}}),
                "finances",
                "expected FiscalYear records",
            ),
            (
                lambda: sse_model.Registration(registered_on=datetime(2024, 1, 1, 12)),
                "registered_on",
                "expected a date",
            ),
        ],
    )
    def test_rejections(self, build: Any, path: str, message: str) -> None:
        """Out of range, unreadable or of another type: InvalidInput saying what was expected."""
        with pytest.raises(InvalidInput) as info:
            build()
        assert info.value.errors[0].path == path
        assert message in info.value.errors[0].message

    def test_conversions(self) -> None:
        """Numbers, text with units, ISO dates and vocabulary values are read."""
        g = Governance(
            members="12", largest_member_vote_share="10 %", voting_rule="one_member_one_vote"
        )  # type: ignore[arg-type]
        assert (g.members, g.largest_member_vote_share) == (12, Fraction(1, 10))
        assert g.voting_rule is sse_model.VotingRule.ONE_MEMBER_ONE_VOTE
        r = sse_model.Registration(registered_on="2024-07-01")  # type: ignore[arg-type]
        assert r.registered_on == date(2024, 7, 1)
        o = Organisation(id="a", name="A", family="cooperative")  # type: ignore[arg-type]
        assert o.family is sse_model.EntityFamily.COOPERATIVE
