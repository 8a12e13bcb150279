"""The bad-input matrix: every kind of bad value or profile gets the library's own error.

Each row of ``docs/reference/bad-input.md`` names a parametrised case below (by its
id); ``TestMatrix`` checks that the document and the tests stay in step.
"""

from __future__ import annotations

import decimal
import io
import json
import os
import re
import threading
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sse_model import (
    All,
    AtLeast,
    Citation,
    Classifier,
    Criterion,
    FieldError,
    InvalidInput,
    InvalidProfile,
    Is,
    Organisation,
    Profile,
    Ref,
    SSEModelError,
    Version,
    classify,
    from_json,
    load_profile,
    load_profile_file,
    parse_profile,
    structure,
    to_flat,
    to_json,
    validate_profile,
)
from sse_model._cli import main
from sse_model._engine._loader import MAX_LISTED_ERRORS
from sse_model._engine._result import format_value
from sse_model._model._units import DECIMAL_CONTEXT

ROOT = Path(__file__).resolve().parent.parent
BASE = {"id": "org-1", "name": "A cooperative", "country": "FR"}


def fy(**amounts: Any) -> dict[str, Any]:
    """An organisation with one fiscal year (2023) of these amounts."""
    return {**BASE, "finances": {"2023": amounts}}


# (id, JSON document or text, expected field path, fragment of the message)
ORGANISATION_ROWS: list[tuple[str, Any, str, str]] = [
    (
        "share-in-kg",
        {**BASE, "governance": {"foreign_capital_share": "12 kg"}},
        "governance.foreign_capital_share",
        "expected a ratio such as '0.51', '51 %' or '2/3', got '12 kg' (a quantity of "
        "dimension [mass])",
    ),
    (
        "amount-in-kg",
        fy(revenue="12 kg"),
        "finances[2023].revenue",
        "expected an amount in a currency such as '1200.50 VND', got '12 kg'",
    ),
    ("amount-without-currency", fy(revenue=1200), "finances[2023].revenue", "got 1200"),
    ("unknown-currency", fy(revenue="12 ZZZ"), "finances[2023].revenue", "ISO 4217"),
    (
        "hours-in-kg",
        {**BASE, "workforce": {"volunteer_hours": "3 kg"}},
        "workforce.volunteer_hours",
        "expected a duration such as '1200 h'",
    ),
    (
        "unparseable-quantity",
        {**BASE, "governance": {"foreign_capital_share": "about a half"}},
        "governance.foreign_capital_share",
        "got 'about a half'",
    ),
    (
        "division-by-zero",
        {**BASE, "governance": {"foreign_capital_share": "1/0"}},
        "governance.foreign_capital_share",
        "got '1/0'",
    ),
    ("negative-amount", fy(revenue="-5 EUR"), "finances[2023].revenue", "expected an amount >= 0"),
    (
        "negative-count",
        {**BASE, "workforce": {"paid_workers": -3}},
        "workforce.paid_workers",
        "expected a number >= 0, got -3",
    ),
    (
        "negative-count-as-text",
        {**BASE, "workforce": {"paid_workers": "-3"}},
        "workforce.paid_workers",
        "expected a whole number, got '-3'",
    ),
    (
        "fractional-count",
        {**BASE, "governance": {"members": 2.5}},
        "governance.members",
        "expected a whole number, got 2.5",
    ),
    (
        "negative-hours",
        {**BASE, "workforce": {"volunteer_hours": "-5 h"}},
        "workforce.volunteer_hours",
        "expected hours >= 0",
    ),
    (
        "negative-rate",
        fy(dividend_rate="-1 %"),
        "finances[2023].dividend_rate",
        "expected a rate >= 0",
    ),
    (
        "share-above-100-percent",
        {**BASE, "governance": {"largest_member_vote_share": "150 %"}},
        "governance.largest_member_vote_share",
        "expected a share between 0 and 100 %, got 3/2",
    ),
    (
        "negative-share",
        {**BASE, "governance": {"public_board_share": "-0.1"}},
        "governance.public_board_share",
        "expected a share between 0 and 100 %",
    ),
    (
        "json-nan",
        '{"id": "o", "name": "n", "country": "FR", "governance": {"foreign_capital_share": NaN}}',
        "governance.foreign_capital_share",
        "expected a finite number, got nan",
    ),
    (
        "json-infinity",
        '{"id": "o", "name": "n", "country": "FR", "workforce": {"volunteer_hours": Infinity}}',
        "workforce.volunteer_hours",
        "expected a finite number, got inf",
    ),
    (
        "nan-as-text",
        {**BASE, "governance": {"foreign_capital_share": "nan"}},
        "governance.foreign_capital_share",
        "got 'nan'",
    ),
    (
        "infinity-as-text",
        {**BASE, "governance": {"foreign_capital_share": "inf"}},
        "governance.foreign_capital_share",
        "got 'inf'",
    ),
    (
        "nan-count",
        {**BASE, "workforce": {"paid_workers": float("nan")}},
        "workforce.paid_workers",
        "expected a whole number, got nan",
    ),
    (
        "infinite-amount",
        fy(revenue={"amount": "Infinity", "currency": "EUR"}),
        "finances[2023].revenue",
        "expected an amount in a currency",
    ),
    (
        "huge-exponent",
        {**BASE, "governance": {"foreign_capital_share": "1e999999999"}},
        "governance.foreign_capital_share",
        "got '1e999999999'",
    ),
    (
        "huge-exponent-amount",
        fy(revenue={"amount": "1e999999999", "currency": "EUR"}),
        "finances[2023].revenue",
        "expected a number between 1e-100 and 1e100",
    ),
    (
        "too-many-digits",
        '{"id": "o", "name": "n", "country": "FR", "governance": {"members": ' + "9" * 5000 + "}}",
        "",
        "expected a number of at most 4,300 digits",
    ),
    (
        "float-count-1e300",
        '{"id": "o", "name": "n", "country": "FR", "governance": {"members": 1e300}}',
        "governance.members",
        "expected a number between 1e-100 and 1e100",
    ),
    (
        "integer-count-beyond-1e100",
        '{"id": "o", "name": "n", "country": "FR", "governance": {"members": 1' + "0" * 101 + "}}",
        "governance.members",
        "expected a number below 1e101",
    ),
    (
        "lone-surrogate",
        '{"id": "o", "name": "\\ud800", "country": "FR"}',
        "",
        "lone UTF-16 surrogates",
    ),
    (
        "vulnerable-above-paid-workers",
        {**BASE, "workforce": {"paid_workers": 3, "vulnerable_workers": 5}},
        "workforce.vulnerable_workers",
        "expected at most paid_workers (3), got 5",
    ),
    (
        "vulnerable-above-beneficiaries",
        {**BASE, "beneficiaries": {"total": 3, "vulnerable": 4}},
        "beneficiaries.vulnerable",
        "expected at most total (3)",
    ),
    (
        "allocations-above-profit",
        fy(profit_after_tax="10 EUR", reinvested="8 EUR", dividends="5 EUR"),
        "finances[2023].reinvested",
        "at most profit_after_tax ('10 EUR'), got 13 EUR",
    ),
    (
        "part-above-whole",
        fy(revenue="10 EUR", revenue_from_sales="20 EUR"),
        "finances[2023].revenue_from_sales",
        "expected at most revenue",
    ),
    (
        "lowest-pay-above-highest",
        {**BASE, "workforce": {"highest_pay": "10 EUR", "lowest_pay": "20 EUR"}},
        "workforce.lowest_pay",
        "expected at most highest_pay",
    ),
    (
        "allocation-in-other-currency",
        fy(profit_after_tax="10 EUR", reinvested="8 USD"),
        "finances[2023].reinvested",
        "expected an amount in EUR like the rest of fiscal year 2023, got '8 USD' "
        "(currencies are never converted)",
    ),
    (
        "pay-in-two-currencies",
        {**BASE, "workforce": {"highest_pay": "10 EUR", "lowest_pay": "2 USD"}},
        "workforce.lowest_pay",
        "expected an amount in EUR like the rest of the pay, got '2 USD'",
    ),
    (
        "unknown-country",
        {**BASE, "country": "XX"},
        "country",
        "expected an ISO 3166-1 alpha-2 country code such as 'VN', got 'XX'",
    ),
    ("lower-case-country", {**BASE, "country": "fr"}, "country", "got 'fr'"),
    (
        "subdivision-of-another-country",
        {**BASE, "country": "CA", "subdivision": "FR-75"},
        "subdivision",
        "expected an ISO 3166-2 subdivision of CA",
    ),
    (
        "subdivision-without-country",
        {"id": "org-1", "name": "A cooperative", "subdivision": "CA-QC"},
        "subdivision",
        "expected a country with the subdivision 'CA-QC', got none",
    ),
    (
        "unknown-legal-form",
        {**BASE, "legal_form": "fr/nope"},
        "legal_form",
        "expected a known legal form code such as 'vn/jsc', got 'fr/nope'",
    ),
    (
        "unknown-enum-value",
        {**BASE, "governance": {"voting_rule": "monarchy"}},
        "governance.voting_rule",
        "expected one of 'one_member_one_vote', 'capital_weighted', 'mixed', got 'monarchy'",
    ),
    (
        "impossible-date",
        {**BASE, "registration": {"registered_on": "2023-02-30"}},
        "registration.registered_on",
        "expected a date such as '2024-07-01', got '2023-02-30'",
    ),
    (
        "datetime-for-date",
        {**BASE, "registration": {"registered_on": "2023-01-01T10:00:00"}},
        "registration.registered_on",
        "expected a date",
    ),
    (
        "fiscal-year-out-of-range",
        {**BASE, "finances": {"20230": {}}},
        "finances[20230].year",
        "expected a year from 1000 to 9999, got 20230",
    ),
    (
        "fiscal-year-not-a-number",
        {**BASE, "finances": {"last year": {}}},
        "finances[last year]",
        "expected a whole number, got 'last year'",
    ),
    (
        "fiscal-year-twice",
        {**BASE, "finances": [{"year": 2020}, {"year": 2020}]},
        "finances",
        "expected one entry per year, got [2020, 2020]",
    ),
    (
        "fiscal-year-contradicts-key",
        {**BASE, "finances": {"2023": {"year": 2024}}},
        "finances[2023]",
        "expected year 2023 (the key of these accounts), got year = 2024",
    ),
    (
        "listed-fiscal-year-without-year",
        {**BASE, "finances": [{"revenue": "5 EUR"}]},
        "finances[#0]",
        "with their 'year'",
    ),
    (
        "unknown-key",
        {**BASE, "colour": "red"},
        "",
        "unknown field(s) colour; they are not ignored",
    ),
    (
        "unknown-nested-key",
        {**BASE, "workforce": {"paid": 3}},
        "workforce",
        "unknown field(s) paid",
    ),
    ("missing-required-key", {"id": "o", "country": "FR"}, "name", "required field missing"),
    (
        "string-for-number",
        {**BASE, "workforce": {"paid_workers": "three"}},
        "workforce.paid_workers",
        "expected a whole number, got 'three'",
    ),
    ("number-for-string", {**BASE, "name": 5}, "name", "expected a string, got 5"),
    (
        "list-for-object",
        {**BASE, "workforce": [1, 2]},
        "workforce",
        "expected an object with the fields of Workforce, got [1, 2]",
    ),
    (
        "object-for-list",
        {**BASE, "certifications": {"kind": "x"}},
        "certifications[0]",
        "expected an object with the fields of Certification, got 'kind'",
    ),
    (
        "top-level-not-an-object",
        "[1, 2]",
        "",
        "expected an object with the fields of Organisation, got [1, 2]",
    ),
    ("null-document", "null", "", "got None"),
    (
        "boolean-as-string",
        {**BASE, "purpose": {"social": "true"}},
        "purpose.social",
        "expected true or false, got 'true'",
    ),
    (
        "boolean-as-number",
        {**BASE, "purpose": {"social": 1}},
        "purpose.social",
        "expected true or false, got 1",
    ),
    (
        "truncated-json",
        '{"id": "a", "name": "A", "coun',
        "",
        "expected JSON, got an error: Unterminated string",
    ),
    ("empty-document", "", "", "expected JSON, got an error: Expecting value"),
    ("not-utf8", b"\xff\xfe\x00", "", "expected JSON in UTF-8"),
    (
        "duplicate-json-key",
        '{"id": "a", "id": "b", "name": "A", "country": "FR"}',
        "",
        "expected each key once in a JSON object, got 'id' more than once",
    ),
    ("empty-id", {**BASE, "id": ""}, "id", "expected a non-blank identifier, got ''"),
    ("whitespace-id", {**BASE, "id": "  \t"}, "id", "expected a non-blank identifier"),
    (
        "very-long-string",
        {**BASE, "name": "x" * 20_000},
        "name",
        "expected a string of at most 10000 characters, got 20000",
    ),
    (
        "deep-nesting",
        '{"id": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "",
        "expected JSON nested a few levels deep",
    ),
    (
        "long-unit-text",
        {**BASE, "governance": {"foreign_capital_share": "5 " + "percent*" * 2000 + "percent"}},
        "governance.foreign_capital_share",
        "(a unit longer than 64 characters)",
    ),
    (
        "unit-text-tokenizer-error",
        {**BASE, "governance": {"foreign_capital_share": "50 %)"}},
        "governance.foreign_capital_share",
        "got '50 %)' (an unknown unit)",
    ),
    (
        "unit-text-symbol",
        {**BASE, "governance": {"foreign_capital_share": "0.5 $"}},
        "governance.foreign_capital_share",
        "got '0.5 $' (an unknown unit)",
    ),
    (
        "unit-text-power-zero",
        {**BASE, "governance": {"foreign_capital_share": "0.5 percent**0"}},
        "governance.foreign_capital_share",
        "expected a ratio such as '0.51', '51 %' or '2/3', got '0.5 percent**0'",
    ),
    (
        "unit-text-huge-power",
        {**BASE, "governance": {"foreign_capital_share": "1 percent**9999"}},
        "governance.foreign_capital_share",
        "(a unit power that is not a plain number from -100 to 100)",
    ),
    (
        "unit-text-power-tower",
        {**BASE, "governance": {"foreign_capital_share": "1 9**9**9"}},
        "governance.foreign_capital_share",
        "(a unit power that is not a plain number from -100 to 100)",
    ),
    (
        "unit-result-out-of-range",
        {**BASE, "governance": {"foreign_capital_share": "1 percent**60"}},
        "governance.foreign_capital_share",
        "expected a ratio between 1e-100 and 1e100, got '1 percent**60'",
    ),
    (
        "hours-unit-squared",
        {**BASE, "workforce": {"volunteer_hours": "5 day**2"}},
        "workforce.volunteer_hours",
        "expected a duration such as '1200 h', got '5 day**2'",
    ),
    (
        "amount-with-currency-symbol",
        fy(revenue="5 €"),
        "finances[2023].revenue",
        "expected an amount in a currency such as '1200.50 VND', got '5 €' (an unknown unit)",
    ),
    (
        "currency-symbol-as-code",
        fy(revenue={"amount": 5, "currency": "$"}),
        "finances[2023].revenue",
        "ISO 4217",
    ),
    (
        "float-share-out-of-range",
        '{"id": "o", "name": "n", "country": "FR", "governance": {"foreign_capital_share": 1e300}}',
        "governance.foreign_capital_share",
        "expected a number between 1e-100 and 1e100, got 1e+300",
    ),
    (
        "float-count-out-of-range",
        '{"id": "o", "name": "n", "country": "FR", "governance": {"members": 1e300}}',
        "governance.members",
        "expected a number between 1e-100 and 1e100, got 1e+300",
    ),
]

_PROFILE = """
format = 1
id = "xx/bad"
title = "Bad"
jurisdiction = "XX"
EXTRA
[[instruments]]
id = "act"
title = "Act"

[[versions]]
label = "v1"
effective_from = 2020-01-01
VERSION
[[criteria]]
id = "c"
description = "d"
instrument = "act"
article = "Art. 1"
principles = ["autonomy"]
test = TEST
"""
_OK_TEST = '{ fact = "purpose.social", is = true }'


def profile_text(test: str = _OK_TEST, extra: str = "", version: str = "") -> str:
    """A small valid profile with one part replaced."""
    return _PROFILE.replace("TEST", test).replace("EXTRA", extra).replace("VERSION", version)


def _criteria(n: int) -> str:
    return "".join(
        f'\n[[criteria]]\nid = "c{i}"\ndescription = "d"\ninstrument = "act"\n'
        f'article = "a"\nprinciples = []\ntest = true\n'
        for i in range(n)
    )


_PARAM = '\n[[parameters]]\nname = "p"\ndescription = "d"\nvalues = [{ effective_from = 2020-01-01, value = VALUE }]\n'

# (id, profile text, expected path (prefix), fragment of the message)
PROFILE_ROWS: list[tuple[str, str, str, str]] = [
    ("not-toml", "this is = = not toml", "", "not valid TOML"),
    ("binary-garbage", "\x00\x01\x02", "", "not valid TOML"),
    (
        "wrong-format-version",
        profile_text().replace("format = 1", "format = 2"),
        "format",
        "expected format 1, got 2",
    ),
    (
        "format-as-string",
        profile_text().replace("format = 1", 'format = "1"'),
        "format",
        "expected int, got '1'",
    ),
    ("unknown-profile-key", profile_text(extra='colour = "red"\n'), "", "unknown field(s) colour"),
    (
        "duplicate-toml-key",
        profile_text(extra='title = "again"\n'),
        "",
        "not valid TOML: Cannot overwrite a value",
    ),
    (
        "bad-profile-id",
        profile_text().replace('id = "xx/bad"', 'id = "../../etc/passwd"'),
        "id",
        "expected 'scope/slug'",
    ),
    (
        "bad-criterion-id",
        profile_text().replace('id = "c"', 'id = "c\\nimport os"'),
        "criteria[0].id",
        "expected a lower-case id",
    ),
    (
        "unknown-fact",
        profile_text('{ fact = "purpose.evil", is = true }'),
        "criteria[0].test.fact",
        "unknown fact 'purpose.evil'",
    ),
    (
        "unknown-operator",
        profile_text('{ fact = "governance.members", roughly = "5" }'),
        "criteria[0].test",
        "expected exactly one of at_least, more_than, at_most, less_than, equals",
    ),
    (
        "unknown-node",
        profile_text("{ import = 'os' }"),
        "criteria[0].test",
        "expected one of the keys fact, all, any",
    ),
    (
        "share-threshold-above-100-percent",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = "150 %" }'),
        "criteria[0].test.at_most",
        "expected a share between 0 and 100 % for governance.foreign_capital_share, got 1.5",
    ),
    (
        "negative-threshold",
        profile_text('{ fact = "governance.members", at_least = "-5" }'),
        "criteria[0].test.at_least",
        "expected a threshold >= 0 for governance.members, got -5",
    ),
    (
        "parameter-share-above-100-percent",
        profile_text(
            '{ fact = "governance.foreign_capital_share", at_most = { parameter = "p" } }',
            extra=_PARAM.replace("VALUE", '"150 %"'),
        ),
        "criteria[0].test.at_most",
        "expected a share between 0 and 100 %",
    ),
    (
        "threshold-unit-tokenizer-error",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = "50 %)" }'),
        "criteria[0].test.at_most",
        "got '50 %)' (an unknown unit)",
    ),
    (
        "threshold-unit-symbol",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = "40 $" }'),
        "criteria[0].test.at_most",
        "got '40 $' (an unknown unit)",
    ),
    (
        "threshold-unit-squared",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = "0.5 day**2" }'),
        "criteria[0].test.at_most",
        "got '0.5 day**2' (a quantity of another dimension)",
    ),
    (
        "threshold-unit-power-zero",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = "0.5 percent**0" }'),
        "criteria[0].test.at_most",
        "got '0.5 percent**0' (an unknown unit)",
    ),
    (
        "threshold-unit-huge-power",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = "1 percent**9999" }'),
        "criteria[0].test.at_most",
        "(a unit power that is not a plain number from -100 to 100)",
    ),
    (
        "threshold-unit-out-of-range",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = "1 percent**60" }'),
        "criteria[0].test.at_most",
        "expected a ratio between 1e-100 and 1e100",
    ),
    (
        "parameter-times-unit-power",
        profile_text(
            '{ fact = "governance.foreign_capital_share", '
            'at_most = { parameter = "p", times = "1 percent**9999" } }',
            extra=_PARAM.replace("VALUE", '"50 %"'),
        ),
        "criteria[0].test.at_most.times",
        "(a unit power that is not a plain number from -100 to 100)",
    ),
    (
        "parameter-value-unit-text",
        profile_text(
            '{ fact = "governance.foreign_capital_share", at_most = { parameter = "p" } }',
            extra=_PARAM.replace("VALUE", '"50 %)"'),
        ),
        "parameters[0].values[0].value",
        "got '50 %)' (an unknown unit)",
    ),
    (
        "float-threshold",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = 0.5 }'),
        "criteria[0].test.at_most",
        "write thresholds as strings",
    ),
    (
        "nan-threshold",
        profile_text('{ fact = "governance.foreign_capital_share", at_most = nan }'),
        "criteria[0].test.at_most",
        "expected a finite number, got nan",
    ),
    (
        "nan-parameter",
        profile_text(
            '{ fact = "governance.foreign_capital_share", at_most = { parameter = "p" } }',
            extra=_PARAM.replace("VALUE", "inf"),
        ),
        "parameters[0].values[0].value",
        "expected a finite number, got inf",
    ),
    (
        "unknown-parameter",
        profile_text('{ fact = "governance.members", at_least = { parameter = ["p"] } }'),
        "criteria[0].test.at_least",
        "unknown parameter ['p']",
    ),
    (
        "bad-if-undefined",
        profile_text(
            '{ fact = "finances.reinvested_share", at_least = "51 %", if_undefined = ["x"] }'
        ),
        "criteria[0].test.if_undefined",
        "expected met, not_met or unknown",
    ),
    (
        "unknown-choice",
        profile_text('{ fact = "family", in = ["guild"] }'),
        "criteria[0].test.in",
        "unknown value(s) ['guild'] for family",
    ),
    (
        "overlapping-versions",
        profile_text(version='\n[[versions]]\nlabel = "v2"\neffective_from = 2021-01-01\n'),
        "versions",
        "versions 'v1' and 'v2' overlap (conflict)",
    ),
    (
        "version-ends-before-start",
        profile_text(version="effective_to = 2019-01-01\n"),
        "versions[0]",
        "ends (2019-01-01) before it starts",
    ),
    (
        "missing-versions",
        profile_text().replace('[[versions]]\nlabel = "v1"\neffective_from = 2020-01-01', ""),
        "versions",
        "required field missing",
    ),
    (
        "decision-misses-a-criterion",
        profile_text(version="decision = { all = [false] }\n"),
        "versions[0].decision",
        "criterion 'c' is in force but the decision never uses it (gap)",
    ),
    (
        "decision-names-unknown-criterion",
        profile_text(version='decision = { all = ["c", "nope"] }\n'),
        "versions[0].decision",
        "refers to 'nope', which is not a criterion in force",
    ),
    (
        "unknown-extends",
        profile_text(extra='extends = "xx/nothing"\n'),
        "extends",
        "cannot load base profile 'xx/nothing': unknown profile",
    ),
    (
        "path-in-extends",
        profile_text(extra='extends = "../../../etc/passwd.toml"\n'),
        "extends",
        "unknown profile '../../../etc/passwd.toml'",
    ),
    (
        "url-in-extends",
        profile_text(extra='extends = "https://example.com/p.toml"\n'),
        "extends",
        "unknown profile 'https://example.com/p.toml'",
    ),
    (
        "self-extends",
        profile_text(extra='extends = "xx/bad"\n'),
        "extends",
        "expected a base profile that does not extend this one, got xx/bad -> xx/bad",
    ),
    ("too-large", "# " + "x" * 1_000_001, "", "file larger than 1000000 bytes"),
    (
        "too-deep",
        profile_text("{ not = " * 30 + _OK_TEST + " }" * 30),
        "criteria[0].test.not.not",
        "nodes nested deeper than 24 levels",
    ),
    (
        "too-deep-toml",
        "a = " + "[" * 50_000 + "]" * 50_000,
        "",
        "nested too deeply",
    ),
    ("too-many-criteria", profile_text() + _criteria(501), "criteria", "at most 500 entries"),
    (
        "too-many-notes",
        profile_text(extra="notes = [" + ", ".join(['"n"'] * 501) + "]\n"),
        "notes",
        "expected at most 500 entries, got 501",
    ),
    (
        "too-long-string",
        profile_text().replace('description = "d"', 'description = "' + "d" * 4001 + '"'),
        "criteria[0].description",
        "expected at most 4000 characters, got 4001",
    ),
    (
        "too-long-unresolved-reason",
        profile_text('{ unresolved = "' + "r" * 4001 + '" }'),
        "criteria[0].test",
        "1 to 4000 characters",
    ),
    (
        "too-long-certification-kind",
        profile_text('{ certified = "' + "k" * 201 + '" }'),
        "criteria[0].test",
        "1 to 200 characters",
    ),
]


class TestOrganisationInput:
    """Each bad organisation raises InvalidInput with the path and what was expected."""

    @pytest.mark.parametrize(
        ("data", "path", "message"),
        [pytest.param(d, p, m, id=i) for i, d, p, m in ORGANISATION_ROWS],
    )
    def test_row(self, data: Any, path: str, message: str) -> None:
        """The error is InvalidInput (a ValueError), with this path and this message."""
        text = data if isinstance(data, str | bytes) else json.dumps(data)
        with pytest.raises(InvalidInput) as info:
            from_json(text, Organisation)
        assert isinstance(info.value, SSEModelError | ValueError)
        found = {(e.path, e.message) for e in info.value.errors}
        assert any(p == path and message in m for p, m in found), found
        assert len(str(info.value)) < 2_000  # received values are shown shortened

    def test_all_problems_at_once(self) -> None:
        """Independent problems are all reported in one error, each with its path."""
        data = {
            **BASE,
            "country": "XX",
            "workforce": {"paid_workers": -1},
            "governance": {"foreign_capital_share": "12 kg"},
            "purpose": {"social": "yes"},
        }
        with pytest.raises(InvalidInput) as info:
            structure(data, Organisation)
        paths = {e.path for e in info.value.errors}
        assert paths == {
            "country",
            "workforce.paid_workers",
            "governance.foreign_capital_share",
            "purpose.social",
        }


class TestProfileInput:
    """Each bad profile raises InvalidProfile with the path and what was expected."""

    @pytest.mark.parametrize(
        ("text", "path", "message"),
        [pytest.param(t, p, m, id=i) for i, t, p, m in PROFILE_ROWS],
    )
    def test_row(self, text: str, path: str, message: str) -> None:
        """The error is InvalidProfile (a ValueError), with this path and this message."""
        with pytest.raises(InvalidProfile) as info:
            parse_profile(text, "bad.toml")
        assert isinstance(info.value, SSEModelError | ValueError)
        found = {(e.path, e.message) for e in info.value.errors}
        assert any(p.startswith(path) and message in m for p, m in found), found
        assert "bad.toml" in str(info.value)

    def test_line_numbers(self) -> None:
        """Errors inside a criterion name the line of its [[criteria]] table."""
        with pytest.raises(InvalidProfile) as info:
            parse_profile(profile_text('{ fact = "purpose.evil", is = true }'))
        assert info.value.errors[0].path == "criteria[0].test.fact (line 15)"

    def test_errors_are_capped(self) -> None:
        """A profile with 40,000 problems lists the first 100, each with its line, and
        counts the rest; the message stays small (reliability report D14)."""
        bad = ",".join(['"x"'] * 200)
        text = profile_text().replace('principles = ["autonomy"]', f"principles = [{bad}]")
        text += _criteria(199).replace("principles = []", f"principles = [{bad}]")
        with pytest.raises(InvalidProfile) as info:
            parse_profile(text, "many.toml")
        errors = info.value.errors
        assert len(errors) == MAX_LISTED_ERRORS + 1
        assert errors[0].path == "criteria[0].principles (line 15)"
        assert errors[-1] == FieldError(
            "",
            f"and {200 * 200 - MAX_LISTED_ERRORS} more problems (only the first 100 are listed)",
        )
        assert len(str(info.value)) < 50_000

    def test_line_index_built_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Line numbers come from one index of the text, not one scan per problem, so
        reporting stays linear in the size of the file."""
        from sse_model._engine import _loader

        scans = []
        index = _loader._Problems._index

        def counting(self: Any) -> Any:
            if self._tables is None:
                scans.append(1)
            return index(self)

        monkeypatch.setattr(_loader._Problems, "_index", counting)
        text = profile_text().replace('principles = ["autonomy"]', 'principles = ["x"]')
        text += _criteria(49).replace("principles = []", 'principles = ["x", "y"]')
        with pytest.raises(InvalidProfile) as info:
            parse_profile(text)
        tables = [n for n, line in enumerate(text.splitlines(), 1) if line == "[[criteria]]"]
        assert len(info.value.errors) == 99
        assert info.value.errors[-1].path == f"criteria[49].principles (line {tables[49]})"
        assert scans == [1]

    @pytest.mark.parametrize("kind", ["dev-zero-symlink", "fifo", "directory"])
    @pytest.mark.parametrize("role", ["profile", "base"])
    def test_not_a_regular_file(self, tmp_path: Path, kind: str, role: str) -> None:
        """A profile or base file that is a FIFO, a device (also behind a symlink) or a
        directory is refused before it is read: no hang, no endless read (report D15)."""
        path = tmp_path / "innocent.toml"
        if kind == "dev-zero-symlink":
            path.symlink_to("/dev/zero")
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            path.mkdir()
        ok = tmp_path / "ok.toml"
        ok.write_text(profile_text(), "utf-8")
        args: tuple[Path, list[Path]] = (path, []) if role == "profile" else (ok, [path])
        with pytest.raises(InvalidProfile, match="expected a regular file, got a") as info:
            load_profile_file(args[0], bases=args[1])
        assert str(path) in str(info.value)

    def test_read_is_capped(self, tmp_path: Path) -> None:
        """Files are read with read(limit + 1), never by trusting their size first."""
        from sse_model._engine._loader import read_capped

        path = tmp_path / "p.toml"
        path.write_bytes(b"x" * 11)
        assert read_capped(path, 10) == "file larger than 10 bytes"
        assert read_capped(path, 11) == b"x" * 11

    def test_not_utf8_file(self, tmp_path: Path) -> None:
        """A profile file that is not UTF-8 is an InvalidProfile naming the file."""
        path = tmp_path / "latin1.toml"
        path.write_bytes(profile_text().replace('"d"', '"caf\xe9"').encode("latin-1"))
        with pytest.raises(InvalidProfile, match="expected UTF-8 text"):
            load_profile_file(path)

    def test_too_large_file(self, tmp_path: Path) -> None:
        """The size limit is checked on the file before it is read."""
        path = tmp_path / "big.toml"
        path.write_text("# " + "x" * 1_000_001)
        with pytest.raises(InvalidProfile, match="file larger than 1000000 bytes"):
            load_profile_file(path)


class TestColumnMappingFile:
    """A --columns file is read as safely as a profile (reliability report D11, D15)."""

    @staticmethod
    def _validate(tmp_path: Path, columns: Path) -> tuple[int, str]:
        register = tmp_path / "r.csv"
        register.write_text("id,name,country,Members\na,A,FR,3\n", "utf-8")
        err = io.StringIO()
        code = main(["validate", str(register), "--columns", str(columns)], io.StringIO(), err)
        return code, err.getvalue()

    def test_repeated_json_key(self, tmp_path: Path) -> None:
        """A JSON mapping that names a column twice is refused, not read as "last wins"."""
        columns = tmp_path / "m.json"
        columns.write_text(
            '{"Members": "governance.members", "Members": "governance.voting_members"}'
        )
        code, err = self._validate(tmp_path, columns)
        assert code == 2
        assert "a key given twice: 'Members'" in err

    @pytest.mark.parametrize("kind", ["dev-zero-symlink", "fifo", "directory"])
    def test_not_a_regular_file(self, tmp_path: Path, kind: str) -> None:
        """A mapping file that is a FIFO, a device or a directory is refused unread."""
        columns = tmp_path / "m.json"
        if kind == "dev-zero-symlink":
            columns.symlink_to("/dev/zero")
        elif kind == "fifo":
            os.mkfifo(columns)
        else:
            columns.mkdir()
        code, err = self._validate(tmp_path, columns)
        assert code == 2
        assert "expected a regular file, got a" in err

    def test_too_large(self, tmp_path: Path) -> None:
        """A mapping file over 1 MB is refused."""
        columns = tmp_path / "m.toml"
        columns.write_text("# " + "x" * 1_000_001)
        code, err = self._validate(tmp_path, columns)
        assert code == 2
        assert "file larger than 1000000 bytes" in err

    def test_good_mapping_still_works(self, tmp_path: Path) -> None:
        """A plain mapping file is read as before."""
        columns = tmp_path / "m.json"
        columns.write_text('{"Members": "governance.members"}')
        assert self._validate(tmp_path, columns) == (
            0,
            "rows read: 1; valid: 1; rejected: 0 (1 + 0 = 1)\n",
        )


class TestDecisions:
    """Inputs that are accepted on purpose, with the behaviour documented in the matrix."""

    def test_future_fiscal_year_is_not_read(self) -> None:
        """A fiscal year after the evaluation date is kept but never read by default:
        validation does not depend on today; classification picks the latest year
        not after the evaluation date."""
        org = structure(
            {
                **BASE,
                "finances": {
                    "2022": {"profit_after_tax": "10 EUR", "reinvested": "10 EUR"},
                    "2999": {"profit_after_tax": "10 EUR", "reinvested": "0 EUR"},
                },
            },
            Organisation,
        )
        assert [f.year for f in org.finances] == [2022, 2999]
        result = classify(org, "intl/ilo-2022", on=date(2024, 1, 1))
        assert result.fiscal_year == 2022

    def test_compact_iso_date(self) -> None:
        """ISO 8601 basic dates (20230101) are read like 2023-01-01."""
        org = structure({**BASE, "registration": {"registered_on": "20230101"}}, Organisation)
        assert org.registration.registered_on == date(2023, 1, 1)

    def test_inverted_certification_dates(self) -> None:
        """A certification that expires before it was granted is kept as recorded and is
        never in force (no date satisfies both)."""
        org = structure(
            {
                **BASE,
                "certifications": [
                    {"kind": "x", "granted_on": "2023-01-01", "expires_on": "2020-01-01"}
                ],
            },
            Organisation,
        )
        cert = org.certifications[0]
        assert not any(cert.valid_on(date(y, 6, 1)) for y in range(2018, 2026))

    def test_blank_name_is_accepted(self) -> None:
        """A blank name is accepted (names describe; ids identify)."""
        assert structure({**BASE, "name": ""}, Organisation).name == ""

    def test_missing_decision_means_all_criteria(self) -> None:
        """A version without a decision requires every criterion in force."""
        p = parse_profile(profile_text() + _criteria(1))
        plan = Classifier().plan(p, date(2021, 1, 1))
        assert plan.decision == All((Ref("c"), Ref("c0")))


class TestUntrustedProfiles:
    """A profile is data: it cannot run code, import, read files or reach the network."""

    INJECTIONS = (
        "__import__('os').system('echo pwned')",
        "x\nimport os\nos.system('echo pwned')\n#",
        "'); import os; ('",
        '"""\nraise SystemExit\n"""',
        "{0.__class__.__mro__}",
        "$(touch /tmp/pwned)",
    )

    @pytest.mark.parametrize("payload", INJECTIONS)
    @pytest.mark.parametrize(
        "field",
        [
            "profile-id",
            "title",
            "criterion-id",
            "description",
            "article",
            "instrument",
            "fact",
            "enum-value",
            "legal-form-value",
            "certified-kind",
            "unresolved-reason",
            "parameter-name",
            "version-label",
            "interpretation",
            "note",
        ],
    )
    def test_injection(self, field: str, payload: str, tmp_path: Path) -> None:
        """Every string field either fails with InvalidProfile or is evaluated as plain data."""
        s = json.dumps(payload)  # a valid TOML basic string
        text = profile_text()
        marker = tmp_path / "pwned"
        payload_fs = payload.replace("/tmp/pwned", str(marker))
        s = json.dumps(payload_fs)
        if field == "profile-id":
            text = text.replace('id = "xx/bad"', f"id = {s}")
        elif field == "title":
            text = text.replace('title = "Bad"', f"title = {s}")
        elif field == "criterion-id":
            text = text.replace('id = "c"', f"id = {s}")
        elif field == "description":
            text = text.replace('description = "d"', f"description = {s}")
        elif field == "article":
            text = text.replace('article = "Art. 1"', f"article = {s}")
        elif field == "instrument":
            text = text.replace('instrument = "act"', f"instrument = {s}")
        elif field == "fact":
            text = profile_text(f"{{ fact = {s}, is = true }}")
        elif field == "enum-value":
            text = profile_text(f'{{ fact = "family", in = [{s}] }}')
        elif field == "legal-form-value":
            text = profile_text(f'{{ fact = "legal_form", in = [{s}] }}')
        elif field == "certified-kind":
            text = profile_text(f"{{ certified = {s} }}")
        elif field == "unresolved-reason":
            text = profile_text(f"{{ unresolved = {s} }}")
        elif field == "parameter-name":
            text = profile_text(
                f'{{ fact = "governance.members", at_least = {{ parameter = {s} }} }}',
                extra=_PARAM.replace('name = "p"', f"name = {s}").replace("VALUE", '"3"'),
            )
        elif field == "version-label":
            text = text.replace('label = "v1"', f"label = {s}")
        elif field == "interpretation":
            text = text.replace('article = "Art. 1"', f'article = "a"\ninterpretation = {s}')
        elif field == "note":
            text = text.replace('article = "Art. 1"', f'article = "a"\nnote = {s}')
        try:
            profile = parse_profile(text, "evil.toml")
        except InvalidProfile:
            return
        org = structure({**BASE, "purpose": {"social": True}}, Organisation)
        for evaluator in ("compiled", "reference"):
            result = Classifier(evaluator=evaluator).classify(org, profile, on=date(2021, 1, 1))
            assert result.verdict.value in {"qualifies", "does_not_qualify", "undetermined"}
        fn = Classifier().evaluator(profile, date(2021, 1, 1))
        fn(org)
        source = Classifier()._entry(profile, date(2021, 1, 1))
        from sse_model._engine._compiler import compile_plan

        code = compile_plan(source.plan).__source__
        assert payload_fs not in code and "import" not in code
        assert not marker.exists()

    def test_python_built_profile_cannot_inject(self) -> None:
        """A profile built in Python with a hostile criterion id is refused before any code
        is generated; integers and booleans are coerced before they enter the source."""
        evil = "x\nraise SystemExit('pwned')"
        profile = Profile(
            id="xx/evil",
            title="t",
            jurisdiction="XX",
            criteria=(
                Criterion(
                    id=evil,
                    description="d",
                    test=Is("purpose.social", True),
                    citation=Citation("act", "1"),
                    principles=frozenset(),
                ),
            ),
            versions=(Version("v1", date(2020, 1, 1), None, All((Ref(evil),))),),
        )
        org = structure({**BASE, "purpose": {"social": True}}, Organisation)
        with pytest.raises(InvalidProfile, match="expected a lower-case id"):
            validate_profile(profile)
        with pytest.raises(InvalidProfile):
            Classifier().classify(org, profile, on=date(2021, 1, 1))
        # a custom lookup skips validation: the id still never enters the source
        trusting = Classifier(lambda _: profile)
        result = trusting.classify(org, "xx/evil", on=date(2021, 1, 1))
        assert result.verdict.value == "qualifies"
        assert trusting.evaluator("xx/evil", date(2021, 1, 1))(org)[0] == 2

    def test_generated_source_has_no_profile_text(self) -> None:
        """Across every shipped profile, no criterion id or description is in the source."""
        from sse_model import profile_ids
        from sse_model._engine._compiler import compile_plan

        for pid in profile_ids():
            p = load_profile(pid)
            for v in p.versions:
                plan = Classifier().plan(p, v.effective_from)
                src = compile_plan(plan).__source__
                for c in plan.criteria:
                    assert c.id not in src and c.description not in src, (pid, c.id)

    def test_at_least_count_is_coerced(self) -> None:
        """An AtLeast built in Python with a non-integer count cannot reach the source."""
        from sse_model._engine._compiler import _Gen

        node = AtLeast("1) or __import__('os').system('x') or (1", (Is("purpose.social", True),))  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="invalid literal for int"):
            _Gen.__new__(_Gen).test(node, [])  # the count is checked before anything else

    def test_extends_only_by_id(self, tmp_path: Path) -> None:
        """A profile names its base by id; files are read only when the caller passes them."""
        base = tmp_path / "base.toml"
        base.write_text(profile_text().replace('id = "xx/bad"', 'id = "xx/base"'))
        child_text = profile_text(extra='extends = "xx/base"\n').replace('id = "c"', 'id = "d"')
        child = tmp_path / "child.toml"
        child.write_text(child_text)
        with pytest.raises(InvalidProfile, match="unknown profile 'xx/base'"):
            load_profile_file(child)
        loaded = load_profile_file(child, bases=[base])
        assert loaded.extends == "xx/base"
        plan = Classifier(lambda i: load_profile_file(base) if i == "xx/base" else load_profile(i))
        assert [c.id for c in plan.plan(loaded, date(2021, 1, 1)).criteria] == ["c", "d"]

    def test_extends_cycle_between_files(self, tmp_path: Path) -> None:
        """A extends B extends A is reported as a cycle, not a recursion error."""
        a = tmp_path / "a.toml"
        b = tmp_path / "b.toml"
        a.write_text(
            profile_text(extra='extends = "xx/b"\n').replace('id = "xx/bad"', 'id = "xx/a"')
        )
        b.write_text(
            profile_text(extra='extends = "xx/a"\n')
            .replace('id = "xx/bad"', 'id = "xx/b"')
            .replace('id = "c"', 'id = "d"')
        )
        with pytest.raises(InvalidProfile, match=r"xx/a -> xx/b -> xx/a"):
            load_profile_file(a, bases=[a, b])

    def test_extends_cycle_in_python(self) -> None:
        """validate_profile reports a cycle of Python-built profiles through the lookup
        (profiles built in Python carry no base: ``extends`` is looked up by id)."""
        import attrs

        p = attrs.evolve(load_profile("intl/un-2023"), base=None)
        looped = attrs.evolve(load_profile("intl/ilo-2022"), extends="intl/un-2023")
        profiles = {"intl/un-2023": p, "intl/ilo-2022": looped}
        with pytest.raises(InvalidProfile, match="intl/un-2023 -> intl/ilo-2022 -> intl/un-2023"):
            validate_profile(p, profiles.__getitem__)

    @pytest.mark.parametrize(
        "payload", ["a | b", "a\\", "line\r\nbreak", "x\u2028y", "<script>x</script>", "`|`"]
    )
    def test_markdown_renderers_escape(self, payload: str) -> None:
        """Profile text cannot break the Markdown tables, headings or list items of
        render_principles, render_thresholds and render_profile, nor open raw HTML."""
        from sse_model._engine._compare import (
            compare_profiles,
            compare_thresholds,
            render_principles,
            render_profile,
            render_thresholds,
        )

        s = json.dumps(payload)
        text = (
            profile_text('{ fact = "governance.foreign_capital_share", at_most = "50 %" }')
            .replace('title = "Bad"', f"title = {s}")
            .replace('title = "Act"', f'title = {s}\nurl = "https://x.org/a b"')
            .replace('label = "v1"', f"label = {s}")
            .replace('article = "Art. 1"', f"article = {s}")
        )
        p = parse_profile(text)
        c = Classifier(lookup=lambda _: p)
        on = date(2024, 1, 1)
        pages = [
            render_principles(compare_profiles(["xx/bad"], on=on, classifier=c)),
            render_thresholds(compare_thresholds(["xx/bad"], on=on, classifier=c)),
            render_profile(p),
        ]
        for page in pages:
            outside_code = re.sub(r"(`+).+?\1", "", page)  # HTML is inert in code spans
            assert "<script" not in outside_code
            assert "\r" not in page and "\u2028" not in page
            lines = page.split("\n")
            header = ""
            for line in lines:
                if not line.startswith("|"):
                    header = ""
                    continue
                cells = len(re.findall(r"(?<!\\)(?:\\\\)*\|", line))
                header = header or str(cells)
                assert str(cells) == header, line  # every row has the header's cells
        assert any("(https://x.org/a b)" in line for line in pages[2].split("\n"))

    def test_no_network_or_files_while_loading(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Parsing a profile (and its shipped base) opens no socket and no file by path."""
        import builtins
        import socket

        def forbidden(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"I/O attempted: {args}")

        monkeypatch.setattr(socket, "socket", forbidden)
        monkeypatch.setattr(builtins, "open", forbidden)
        load_profile("intl/ilo-2022")  # shipped base: cached package data
        text = profile_text(extra='extends = "intl/ilo-2022"\n').replace('id = "c"', 'id = "zz"')
        parse_profile(text)


class TestMatrix:
    """The published matrix and these tests stay in step."""

    DOC = ROOT / "docs" / "reference" / "bad-input.md"

    def test_every_row_has_a_test(self) -> None:
        """Every test named in the matrix exists, and the matrix has at least 40 rows."""
        text = self.DOC.read_text("utf-8")
        refs = re.findall(r"`(tests/[\w/]+\.py)::(\w+)(?:::(\w+))?(?:\[([\w-]+)\])?`", text)
        assert len(refs) >= 40
        ids = {
            "TestOrganisationInput": {r[0] for r in ORGANISATION_ROWS},
            "TestProfileInput": {r[0] for r in PROFILE_ROWS},
        }
        for path, cls, func, param in refs:
            source = (ROOT / path).read_text("utf-8")
            assert f"class {cls}" in source, (path, cls)
            if func:
                assert f"def {func}(" in source, (path, cls, func)
            if param:
                assert param in ids[cls], (cls, param)

    def test_every_case_is_in_the_matrix(self) -> None:
        """Every parametrised case appears in the published matrix."""
        text = self.DOC.read_text("utf-8")
        for cls, rows in (
            ("TestOrganisationInput", ORGANISATION_ROWS),
            ("TestProfileInput", PROFILE_ROWS),
        ):
            for row in rows:
                assert f"{cls}::test_row[{row[0]}]" in text, (cls, row[0])


# --- decimal context (reliability report D17) --------------------------------------------

_AMOUNT_NAMES = ("profit_after_tax", "distributable_profit", "reinvested", "to_reserves",
                 "dividends", "patronage_refunds")  # fmt: skip
#: Amounts with up to 40 significant digits: beyond the 28 of the default context.
_amounts = st.builds(
    lambda digits, scale: Decimal(digits).scaleb(-scale, DECIMAL_CONTEXT),
    st.integers(0, 10**40),
    st.integers(0, 35),
)
_CONTEXTS = {
    "prec-6": decimal.Context(prec=6),
    "prec-40": decimal.Context(prec=40),
    "prec-1-round-down": decimal.Context(prec=1, rounding=decimal.ROUND_DOWN),
    "traps-inexact-rounded": decimal.Context(traps=[decimal.Inexact, decimal.Rounded]),
}


def _outcome(doc: dict[str, Any]) -> Any:
    """Everything validation and reporting make of *doc*: errors, or the organisation,
    its JSON, its flat row and how its derived shares are shown."""
    try:
        org = structure(doc, Organisation)
    except InvalidInput as e:
        return ("rejected", [(x.path, x.message) for x in e.errors])
    fy = org.finances[0]
    shares = [
        getattr(fy, n)
        for n in ("reinvested_share", "retained_share", "distributable_to_purpose_share")
    ]
    return (org, to_json(org), to_flat(org), shares, [format_value(s) for s in shares])


def _in_new_thread(fn: Any, *args: Any) -> Any:
    """``fn(*args)`` in a fresh thread, with Python's default decimal context."""
    out: list[Any] = []
    t = threading.Thread(target=lambda: out.append(fn(*args)))
    t.start()
    t.join()
    return out[0]


class TestDecimalContext:
    """Validation and reporting use the library's decimal context, never the caller's."""

    @settings(max_examples=60, deadline=None)
    @given(st.dictionaries(st.sampled_from(_AMOUNT_NAMES), _amounts, min_size=1))
    def test_same_result_whatever_the_context(self, amounts: dict[str, Decimal]) -> None:
        """Law: the same document gives the same errors, values, JSON, flat row and shown
        shares under any thread decimal context (prec 1, 6, 40, Inexact trapped) as in a
        fresh thread; it is rejected exactly when the allocations, summed exactly, exceed
        profit_after_tax."""
        doc = {**BASE, "finances": {"2023": {k: f"{v:f} EUR" for k, v in amounts.items()}}}
        expected = _in_new_thread(_outcome, doc)
        for name, ctx in _CONTEXTS.items():
            with decimal.localcontext(ctx):
                assert _outcome(doc) == expected, name
        parts = ("reinvested", "to_reserves", "dividends", "patronage_refunds")
        profit = amounts.get("profit_after_tax")
        over = (
            profit is not None
            and profit > 0
            and sum(Fraction(amounts.get(n, 0)) for n in parts) > Fraction(profit)
        )
        assert (expected[0] == "rejected") == over

    @pytest.mark.parametrize("name", sorted(_CONTEXTS))
    def test_report_documents(self, name: str) -> None:
        """The report's cases: a 1 EUR excess over 10^29 and 50.0004 + 50 over 100 are
        rejected, and 1/3 + 0.3 within 1 accepted, in every context."""
        over_big = fy(
            profit_after_tax=f"{10**29} EUR", reinvested=f"{10**29} EUR", dividends="1 EUR"
        )
        over_small = fy(profit_after_tax="100 EUR", reinvested="50.0004 EUR", dividends="50 EUR")
        within = fy(
            profit_after_tax="1 EUR", reinvested="0." + "3" * 31 + " EUR", to_reserves="0.3 EUR"
        )
        with decimal.localcontext(_CONTEXTS[name]):
            for doc in (over_big, over_small):
                with pytest.raises(InvalidInput, match="at most profit_after_tax"):
                    structure(doc, Organisation)
            structure(within, Organisation)
