"""Fuzzing with a bounded budget: only the library's documented errors may escape.

The longer, coverage-guided runs live in ``fuzz/`` (atheris); these run on every CI.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import date
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
