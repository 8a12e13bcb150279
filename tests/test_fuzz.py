"""Fuzzing with a bounded budget: only the library's documented errors may escape.

The longer, coverage-guided runs live in ``fuzz/`` (atheris); these run on every CI.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sse_model import (
    Classifier,
    InvalidInput,
    InvalidProfile,
    Organisation,
    SSEModelError,
    from_json,
    parse_profile,
    profile_ids,
    structure,
    to_json,
)
from sse_model._model._units import Money, ParseError, parse_hours, parse_money, parse_ratio

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "src" / "sse_model" / "_data" / "profiles"
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ON = date(2024, 6, 30)
CLASSIFIER = Classifier()

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["12 kg", "51 %", "2/3", "1200 EUR", "nan", "inf", "-1", "2023-02-30", ""])
)
json_like = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
#: Keys the model knows, so that generated documents reach past the first check.
FIELDS = [
    "id", "name", "country", "legal_form", "family", "registration", "purpose", "governance",
    "membership", "statutes", "workforce", "beneficiaries", "finances", "certifications",
    "paid_workers", "members", "social", "revenue", "year", "amount", "currency",
]  # fmt: skip


@cache
def sample_organisations() -> list[dict[str, Any]]:
    """Thirty valid organisations of the sample register, as plain data."""
    lines = (ROOT / "examples" / "sample-register.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines[:30]]


@cache
def profile_texts() -> list[str]:
    """The text of every shipped profile."""
    return [p.read_text("utf-8") for p in sorted(PROFILES.glob("*/*.toml"))]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_paths(v, (*prefix, i)))
    return out


@st.composite
def mutated_organisations(draw: st.DrawFn) -> Any:
    """A valid organisation with one to three mutations: a key deleted, a value replaced by
    another type, a key added."""
    data = json.loads(json.dumps(draw(st.sampled_from(sample_organisations()))))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        kind = draw(st.sampled_from(["delete", "swap", "add"]))
        if kind == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(FIELDS))] = draw(json_like)
        else:
            parent[path[-1]] = draw(json_like)
    return data


@st.composite
def mutated_profiles(draw: st.DrawFn) -> str:
    """A shipped profile with byte flips, deleted or duplicated lines, or swapped values."""
    text = draw(st.sampled_from(profile_texts()))
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["flip", "delete", "duplicate", "value", "truncate"]))
        if kind == "flip":
            raw = bytearray(text.encode("utf-8"))
            j = draw(st.integers(0, len(raw) - 1))
            raw[j] ^= 1 << draw(st.integers(0, 7))
            text = raw.decode("utf-8", "replace")
            lines = text.splitlines()
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            value = draw(
                st.sampled_from(
                    ['"x"', "1", "-5", "true", "[]", "{}", '"150 %"', "nan", "2023-02-30",
                     '"intl/ilo-2022"', '{ fact = "purpose.social", is = true }', '["c"]']
                )
            )  # fmt: skip
            lines[i] = f"{key}= {value}"
        elif kind == "truncate":
            lines = lines[:i]
        text = "\n".join(lines)
    return text


def _load_or_reject(load: Callable[[], Organisation]) -> None:
    """Either the input is rejected with at least one field error, or what loads
    serialises, round-trips and classifies without surprises."""
    try:
        org = load()
    except InvalidInput as e:
        errors = e.errors
    else:
        assert from_json(to_json(org), Organisation) == org
        CLASSIFIER.classify(org, "intl/ilo-2022", on=ON)
        return
    assert errors


class TestOrganisationFuzz:
    """Generated and mutated organisation documents never raise anything undocumented."""

    @FUZZ
    @given(st.dictionaries(st.sampled_from(FIELDS), json_like, max_size=8))
    def test_generated_documents(self, data: dict[str, Any]) -> None:
        """Law: structure(any JSON-like mapping) returns an Organisation or raises
        InvalidInput."""
        _load_or_reject(lambda: structure(data, Organisation))

    @FUZZ
    @given(mutated_organisations())
    def test_mutated_organisations(self, data: Any) -> None:
        """Law: a valid organisation with keys deleted, added or retyped either loads (and
        classifies) or raises InvalidInput with at least one path."""
        _load_or_reject(lambda: structure(data, Organisation))

    @FUZZ
    @given(st.sampled_from(range(30)), st.data())
    def test_mutated_json_bytes(self, index: int, data: st.DataObject) -> None:
        """Law: from_json on any byte string (a valid document with bytes flipped, cut or
        inserted) returns an Organisation or raises InvalidInput."""
        raw = bytearray(json.dumps(sample_organisations()[index]).encode("utf-8"))
        for _ in range(data.draw(st.integers(1, 4))):
            j = data.draw(st.integers(0, len(raw) - 1))
            op = data.draw(st.sampled_from(["flip", "cut", "insert"]))
            if op == "flip":
                raw[j] ^= 1 << data.draw(st.integers(0, 7))
            elif op == "cut":
                del raw[j:]
                if not raw:
                    break
            else:
                raw[j:j] = data.draw(st.binary(min_size=1, max_size=4))
        _load_or_reject(lambda: from_json(bytes(raw), Organisation))


class TestProfileFuzz:
    """Generated and mutated profile files never raise anything undocumented."""

    @FUZZ
    @given(mutated_profiles())
    def test_mutated_profiles(self, text: str) -> None:
        """Law: parse_profile on a mutated shipped profile returns a Profile or raises
        InvalidProfile; a profile that loads classifies with only documented errors."""
        try:
            profile = parse_profile(text, "mutated.toml")
        except InvalidProfile as e:
            errors = e.errors
        else:
            org = structure(sample_organisations()[0], Organisation)
            for version in profile.versions[:3]:
                with contextlib.suppress(SSEModelError):
                    Classifier().classify(org, profile, on=version.effective_from)
            return
        assert errors

    @FUZZ
    @given(st.text(max_size=300))
    def test_arbitrary_text(self, text: str) -> None:
        """Law: parse_profile on any text returns a Profile or raises InvalidProfile."""
        with contextlib.suppress(InvalidProfile):
            parse_profile(text)

    @FUZZ
    @given(
        st.dictionaries(
            st.sampled_from(["format", "id", "title", "jurisdiction", "versions", "criteria",
                             "extends", "parameters", "instruments", "notes"]),
            json_like,
        )
    )  # fmt: skip
    def test_generated_tables(self, table: dict[str, Any]) -> None:
        """Law: any TOML document with the profile's keys loads or raises InvalidProfile."""
        text = "".join(f"{json.dumps(k)} = {_toml(v)}\n" for k, v in table.items())
        with contextlib.suppress(InvalidProfile):
            parse_profile(text)

    def test_every_shipped_profile_is_a_seed(self) -> None:
        """The mutation seeds are all the shipped profiles."""
        assert len(profile_texts()) == len(profile_ids())


#: Unit texts that once made pint raise something other than ParseError (reliability
#: report D10, probe p11): symbols, broken brackets, powers, numbers and odd characters.
UNIT_TEXTS = [
    "€", "$", "£", "¥", "%%", "(", ")", "()", "**", "1/", "/", "e", "[", "]", "percent**0",
    "percent**-1", "percent**9999", "h**0", "hour**0", "percent*0", "0", "1", "percent/0",
    "percent^", "^", "-", "+", "--", "percent percent", ".", "..", "_", "__", "%)", "(%",
    "percent**(1/2)", "percent**0.5", "percent**1e3", "NaN", "inf", "infinity", "percent**-0",
    "h**-1", "day**2", "ångström", "µs", "°", "°C", "degC", "delta_degC", "Δ", "π", "pi",
    "e**100", "percent**3.5", "percent**(-1)", "1e400", "%/%", "percent/percent", "count",
    "dimensionless", "radian", "turn", "bit", "byte", "ppm**1000", "'", '"', "\\", "\x00",
    "\n", "\u3000", "#", "percent#", "@", "!", "ppb**200", "9**9**9", "(percent**99)**99",
    "percent**60", "1e99*1e99", "percent**(99*99)",
]  # fmt: skip
#: Pieces unit texts are generated from.
UNIT_TOKENS = [
    "percent", "%", "permille", "ppm", "h", "hour", "day", "kg", "EUR", "currency_EUR", "e",
    "pi", "*", "/", "**", "^", "(", ")", " ", "-", "+", ".", "0", "1", "2", "9", "60", "100",
    "9999", "1e3", "1e400", "$", "€", "#", "'", '"', "[", "]", ",", "_", "µ", "°", "\x00",
]  # fmt: skip
unit_texts = st.lists(st.sampled_from(UNIT_TOKENS), max_size=12).map("".join) | st.text(
    max_size=16
)
BASE_DOC = {"id": "o", "name": "n", "country": "FR"}
UNIT_PARSERS = (("0.5", parse_ratio), ("5", parse_hours), ("0", parse_money))


class TestUnitTextFuzz:
    """Unit text reaches pint only through the library's parsers, which raise ParseError."""

    def test_report_unit_texts(self) -> None:
        """Every unit text of the reliability report gives a value or ParseError, in every
        parser (231 texts in the report; none may escape as another exception)."""
        escapes = []
        for unit in UNIT_TEXTS:
            for number, parse in UNIT_PARSERS:
                try:
                    parse(f"{number} {unit}")
                except ParseError:
                    continue
                except Exception as e:  # collected to report them all
                    escapes.append((parse.__name__, unit, type(e).__name__))
        assert len(UNIT_TEXTS) * len(UNIT_PARSERS) >= 231
        assert escapes == []

    @FUZZ
    @given(unit_texts)
    def test_generated_unit_texts(self, unit: str) -> None:
        """Law: parse_ratio, parse_hours and parse_money on "<number> <any unit text>"
        return a value or raise ParseError; a value returned is zero or within
        1e-100 .. 1e100."""
        for number, parse in UNIT_PARSERS:
            try:
                value = parse(f"{number} {unit}")
            except ParseError:
                continue
            magnitude = abs(Fraction(value.amount) if isinstance(value, Money) else value)
            assert magnitude == 0 or Fraction(1, 10**100) <= magnitude <= 10**100

    @FUZZ
    @given(unit_texts)
    def test_unit_texts_in_profiles_and_data(self, unit: str) -> None:
        """Law: a unit text as a profile threshold loads or raises InvalidProfile with the
        threshold's path (or, for characters TOML forbids, "not valid TOML"); as a share in data it loads or raises InvalidInput with the
        field's path."""
        text = (
            '\nformat = 1\nid = "xx/u"\ntitle = "U"\njurisdiction = "XX"\n'
            '[[instruments]]\nid = "act"\ntitle = "Act"\n'
            '[[versions]]\nlabel = "v1"\neffective_from = 2020-01-01\n'
            '[[criteria]]\nid = "c"\ndescription = "d"\ninstrument = "act"\narticle = "a"\n'
            'principles = []\ntest = { fact = "governance.foreign_capital_share", '
            f"at_most = {json.dumps('0.5 ' + unit)} }}\n"
        )
        profile_errors: tuple[Any, ...] = ()
        try:
            parse_profile(text)
        except InvalidProfile as e:
            profile_errors = e.errors
        for error in profile_errors:
            assert error.path == "criteria[0].test.at_most (line 12)" or (
                error.path == "" and "not valid TOML" in error.message  # DEL and the like
            ), error
        assert len(profile_errors) <= 1
        doc = {**BASE_DOC, "governance": {"foreign_capital_share": f"0.5 {unit}"}}
        data_errors: tuple[Any, ...] = ()
        try:
            structure(doc, Organisation)
        except InvalidInput as e:
            data_errors = e.errors
        assert [x.path for x in data_errors] in ([], ["governance.foreign_capital_share"])
        assert all("required field missing" not in x.message for x in data_errors)


def _toml(value: Any) -> str:
    """An inline TOML value for JSON-like data (None, which TOML lacks, becomes "")."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else (
                "inf"
                if value == float("inf")
                else "-inf"
                if value == float("-inf")
                else repr(value)
            )
        )
    if isinstance(value, int | str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
