"""JSON is lossless for every model type; invalid input lists every problem with its path."""

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sse_model import (
    FiscalYear,
    InvalidInput,
    Money,
    Organisation,
    from_json,
    structure,
    to_json,
    unstructure,
)
from sse_model._model import MODEL_TYPES
from sse_model.testing import organisations


class TestRoundTrip:
    """Every model type survives JSON unchanged."""

    @given(organisations())
    def test_organisation_round_trip(self, org: Organisation) -> None:
        """from_json(to_json(o)) == o, with every unknown fact still unknown."""
        again = from_json(to_json(org), Organisation)
        assert again == org
        assert unstructure(again) == unstructure(org)

    @given(st.data())
    def test_every_model_type_round_trips(self, data: st.DataObject) -> None:
        """Each model type registered with Hypothesis round-trips through JSON."""
        org = data.draw(organisations())
        parts = {type(org): org}
        for name in (
            "registration",
            "purpose",
            "governance",
            "membership",
            "statutes",
            "workforce",
            "beneficiaries",
        ):
            value = getattr(org, name)
            parts[type(value)] = value
        for year in org.finances:
            parts[FiscalYear] = year
        for cert in org.certifications:
            parts[type(cert)] = cert
        for cls, value in parts.items():
            assert cls in MODEL_TYPES
            assert from_json(to_json(value), cls) == value

    @given(organisations())
    def test_unknown_is_left_out_never_zero(self, org: Organisation) -> None:
        """Unknown facts do not appear in JSON: never as 0, false or an empty string."""
        text = to_json(org)
        data = json.loads(text)

        def walk(d: Any) -> None:
            if isinstance(d, dict):
                for v in d.values():
                    assert v is not None
                    walk(v)

        walk(data)

    def test_json_is_stable(self) -> None:
        """Keys are sorted and amounts keep their written precision."""
        o = structure(
            {
                "id": "a",
                "name": "a",
                "country": "VN",
                "finances": {"2023": {"revenue": "1200.50 VND"}},
            },
            Organisation,
        )
        assert to_json(o) == (
            '{"country": "VN", "finances": {"2023": {"revenue": "1200.50 VND"}}, "id": "a", "name": "a"}'
        )
        assert from_json(to_json(o), Organisation).finances[0].revenue == Money(
            Decimal("1200.50"), "VND"
        )


class TestErrors:
    """A malformed record yields one error that lists all problems with their paths."""

    def test_several_problems_in_one_error(self) -> None:
        """Each problem names its field path and what was expected."""
        bad = {
            "id": "x",
            "name": "Bad",
            "country": "VN",
            "colour": "green",
            "governance": {"members": -3, "voting_rule": "by_lottery"},
            "finances": {"2023": {"profit_after_tax": "12 kg"}, "2024": {"revenue": 5}},
        }
        with pytest.raises(InvalidInput) as info:
            structure(bad, Organisation)
        errors = {e.path: e.message for e in info.value.errors}
        assert errors["governance.members"] == "expected a number >= 0, got -3"
        assert errors["governance.voting_rule"].startswith("expected one of 'one_member_one_vote'")
        assert errors["finances[2023].profit_after_tax"] == (
            "expected an amount in a currency such as '1200.50 VND', got '12 kg' "
            "(a quantity of dimension [mass])"
        )
        assert errors["finances[2024].revenue"].startswith("expected an amount in a currency")
        assert errors[""] == "unknown field(s) colour; they are not ignored"
        assert len(info.value.errors) == 5
        assert "finances[2023].profit_after_tax: expected an amount" in str(info.value)

    def test_booleans_are_strict(self) -> None:
        """'yes' is not silently turned into true."""
        with pytest.raises(InvalidInput, match="expected true or false, got 'yes'"):
            structure(
                {"id": "a", "name": "a", "country": "VN", "purpose": {"social": "yes"}},
                Organisation,
            )

    def test_bad_json(self) -> None:
        """Text that is not JSON is reported as such."""
        with pytest.raises(InvalidInput, match="expected JSON"):
            from_json("{", Organisation)
