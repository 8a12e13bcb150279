"""Bad input gets a clear error that says what was expected, for data and for profiles."""

import pytest

from sse_model import InvalidInput, InvalidProfile, Organisation, parse_profile, structure
from sse_model._model._units import ParseError, parse_count, parse_hours, parse_money, parse_ratio

BASE = """
format = 1
id = "xx/errors"
title = "Errors"
jurisdiction = "XX"

[[instruments]]
id = "act"
title = "Act"

[[versions]]
label = "v1"
effective_from = 2020-01-01

[[criteria]]
id = "c"
description = "d"
instrument = "act"
article = "Art. 1"
principles = ["autonomy"]
test = TEST
"""


class TestUnits:
    """Parsers reject what they cannot read exactly, naming what they expected."""

    @pytest.mark.parametrize(
        ("parse", "value", "expected"),
        [
            (parse_ratio, "12 kg", "expected a ratio"),
            (parse_ratio, "abc", "expected a ratio"),
            (parse_ratio, float("nan"), "finite"),
            (parse_ratio, True, "expected a number"),
            (parse_ratio, [1], "expected a number"),
            (parse_hours, "3 kg", "expected a duration"),
            (parse_hours, "x h", "expected a duration"),
            (parse_count, 2.5, "whole number"),
            (parse_count, "-1", "whole number"),
            (parse_count, -1, ">= 0"),
            (parse_count, False, "whole number"),
            (parse_money, 12, "amount in a currency"),
            (parse_money, "12 ZZZ", "ISO 4217"),
            (parse_money, {"amount": "1"}, "'amount'"),
            (parse_money, {"amount": "x", "currency": "VND"}, "amount in a currency"),
            (parse_money, {"amount": "NaN", "currency": "VND"}, "amount in a currency"),
        ],
    )
    def test_rejected(self, parse: object, value: object, expected: str) -> None:
        """Each bad value raises a ParseError with what was expected."""
        with pytest.raises(ParseError, match=expected):
            parse(value)  # type: ignore[operator]

    def test_accepted_forms(self) -> None:
        """Amounts as tables and pint quantities; durations as pint quantities."""
        from fractions import Fraction

        from sse_model import unit_registry

        q = unit_registry().Quantity(Fraction(3), "day")
        assert parse_hours(q) == 72
        assert parse_money({"amount": "12.5", "currency": "eur"}).currency == "EUR"
        assert parse_money(parse_money("5 VND").to_quantity()) == parse_money("5 VND")
        assert parse_ratio(unit_registry().Quantity(Fraction(5), "percent")) == Fraction(1, 20)


class TestProfileErrors:
    """Each kind of bad test is reported with its path."""

    @pytest.mark.parametrize(
        ("test", "expected"),
        [
            ('"text"', "expected a test (a table)"),
            ("{ }", "expected one of the keys"),
            ('{ fact = "governance.members", is = true }', "not a yes/no fact"),
            ('{ fact = "purpose.social", at_least = "5" }', "cannot be compared"),
            ('{ fact = "purpose.social", in = ["x"] }', "needs a choice fact"),
            ('{ fact = "family", in = ["guild"] }', "unknown value(s) ['guild']"),
            ('{ fact = "legal_form", in = ["zz/none"] }', "unknown legal form code"),
            ('{ fact = "country", in = ["XX"] }', "unknown country code"),
            (
                '{ fact = "governance.members", at_least = 5.5 }',
                "expected a ratio|whole number|float",
            ),
            ('{ fact = "governance.members", at_least = "5.5" }', "whole number"),
            ('{ fact = "governance.members", at_least = "5", at_most = "7" }', "exactly one of"),
            (
                '{ fact = "governance.members", at_least = { parameter = "nope" } }',
                "unknown parameter",
            ),
            (
                '{ fact = "finances.reinvested_share", at_least = "51 %", if_undefined = "maybe" }',
                "met, not_met or unknown",
            ),
            ("{ all = [] }", "non-empty list"),
            ('{ at_least_of = 3, of = [{ fact = "purpose.social", is = true }] }', "from 1 to 1"),
            ("{ cases = [{ when = true }], otherwise = false }", "'when' and 'then'"),
            ('{ unresolved = "" }', "reason"),
            ("{ certified = 3 }", "certified = 'kind'"),
            ('"c"', "expected a test"),
        ],
    )
    def test_bad_test(self, test: str, expected: str) -> None:
        """The message names the problem and the path criteria[0].test."""
        with pytest.raises(InvalidProfile, match=r"criteria\[0\]") as info:
            parse_profile(BASE.replace("TEST", test), "e.toml")
        assert any(part in str(info.value) for part in expected.split("|")), str(info.value)

    def test_metadata_errors(self) -> None:
        """Bad ids, instruments, principles and statuses are all reported together."""
        text = (
            BASE.replace('id = "xx/errors"', 'id = "Errors"')
            .replace('instrument = "act"', 'instrument = "nope"')
            .replace('principles = ["autonomy"]', 'principles = ["kindness"]\nstatus = "sure"')
            .replace("TEST", '{ fact = "purpose.social", is = true }')
        )
        with pytest.raises(InvalidProfile) as info:
            parse_profile(text)
        msg = str(info.value)
        assert "scope/slug" in msg and "unknown instrument 'nope'" in msg
        assert "unknown principle 'kindness'" in msg and "verified or unverified" in msg

    def test_verified_rule_without_data_is_allowed(self) -> None:
        """A verified rule whose fact is not modelled is unresolved, yet keeps its status."""
        p = parse_profile(BASE.replace("TEST", '{ unresolved = "no fact for this in the model" }'))
        assert p.criteria[0].status.value == "verified"

    def test_decisions_take_criteria_ids(self) -> None:
        """A decision names criteria; a raw test there is refused."""
        text = BASE.replace("TEST", '{ fact = "purpose.social", is = true }').replace(
            "effective_from = 2020-01-01\n",
            'effective_from = 2020-01-01\ndecision = { all = [{ fact = "purpose.social", is = true }] }\n',
            1,
        )
        with pytest.raises(InvalidProfile, match="combines criteria by id"):
            parse_profile(text)


class TestModelErrors:
    """Errors from the model's constructors name their fields."""

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"legal_form": "zz/none"}, "legal_form"),
            ({"finances": [{"year": 2020}, {"year": 2020}]}, "finances"),
            ({"finances": "lots"}, "finances"),
            ({"beneficiaries": {"total": 3, "vulnerable": 4}}, "beneficiaries.vulnerable"),
            (
                {"workforce": {"highest_pay": "10 EUR", "lowest_pay": "20 EUR"}},
                "workforce.lowest_pay",
            ),
            (
                {"workforce": {"highest_pay": "10 EUR", "lowest_pay": "2 USD"}},
                "workforce.lowest_pay",
            ),
            (
                {"finances": {"2023": {"revenue": "10 EUR", "revenue_from_sales": "20 EUR"}}},
                "finances[2023].revenue_from_sales",
            ),
            ({"finances": {"2023": {"revenue": "-1 EUR"}}}, "finances[2023].revenue"),
            ({"finances": {"2023": {"dividend_rate": "-1 %"}}}, "finances[2023].dividend_rate"),
            (
                {
                    "finances": {
                        "2023": {"operating_expenses": "1 EUR", "social_purpose_expenses": "2 EUR"}
                    }
                },
                "finances[2023].social_purpose_expenses",
            ),
            ({"registration": {"registered_on": "yesterday"}}, "registration.registered_on"),
            ({"name": 5}, "name"),
        ],
    )
    def test_paths(self, data: dict[str, object], path: str) -> None:
        """The error carries the path of the bad field."""
        with pytest.raises(InvalidInput) as info:
            structure({"id": "a", "name": "a", "country": "FR", **data}, Organisation)
        assert path in {e.path for e in info.value.errors}, info.value.errors
