"""JSON Lines read by Arrow's JSON reader give what the strict reader gives: every row's
number, cells, held flag, item and raw cells, and every error, for flat records of text
(the blocks Arrow reads) and for every edge case it must leave to the strict reader."""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sse_model
from sse_model import to_flat_row
from sse_model._io import _jsonl, _sources
from sse_model._io._readers import MAX_CELL_CHARS, _jsonl_items
from sse_model._io._sources import Batch, _gathered, _json_rows, file_batches
from sse_model._serialization import MAX_JSON_DIGITS
from sse_model.testing import organisations

ON = date(2025, 6, 30)
EXAMPLES = Path(__file__).parent.parent / "examples" / "sample-register.jsonl"


def _strict_batches(path: Path, size: int, encoding: str = "utf-8") -> Iterator[Batch]:
    """The batches as the strict reader alone made them (the reference)."""
    rows = _json_rows(_jsonl_items(path, encoding), {})
    return _gathered(str(path), rows, {}, size)


def _view(batches: Callable[[], Iterator[Batch]]) -> list[Any]:
    """Every row as both lanes see it (number, held, cells of the table, item, raw),
    the table's column names per batch, and the error that ended reading, if any."""
    out: list[Any] = []
    try:
        for b in batches():
            table, held = b.table(), b.held().tolist()
            out.append(sorted(table.column_names))
            for i, (number, row) in enumerate(zip(b.numbers, table.to_pylist(), strict=True)):
                cells = {k: v for k, v in row.items() if v is not None}
                out.append((number, held[i], cells, b.items[i], b.raw(i)))
    except Exception as e:  # the error is part of what is compared
        out.append(f"{type(e).__name__}: {e}")
    return out


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Per block read, whether Arrow's table was taken (True) or the block was left."""
    seen: list[bool] = []
    real = _sources._LineRows.table

    def spy(self: _sources._LineRows) -> Any:
        table = real(self)
        seen.append(table is not None)
        return table

    monkeypatch.setattr(_sources._LineRows, "table", spy)
    return seen


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    return _spy(monkeypatch)


def _both(path: Path, size: int = 4, encoding: str = "utf-8") -> tuple[list[Any], list[Any]]:
    new = _view(lambda: file_batches(path, "jsonl", encoding=encoding, size=size))
    old = _view(lambda: _strict_batches(path, size, encoding))
    return new, old


_CLEAN = [
    {"id": "a", "name": "A", "country": "VN", "governance.members": "12"},
    {"id": "b", "name": "B é 中 😀", "purpose.social": "true", "other": "x"},
    {"id": "c", "name": "C", "registration.registered_on": "2010-05-01"},
]


def _lines(*extra: str) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _CLEAN) + "".join(
        e + "\n" for e in extra
    )


class TestFlatRecords:
    """Flat records of text: Arrow reads them, into the strict reader's rows."""

    def test_sample_register_flattened(self, tmp_path: Path, served: list[bool]) -> None:
        path = tmp_path / "flat.jsonl"
        orgs = [
            o for o in sse_model.read_register(EXAMPLES) if isinstance(o, sse_model.Organisation)
        ]
        path.write_text("".join(json.dumps(to_flat_row(o)) + "\n" for o in orgs[:600]))
        new, old = _both(path, size=256)
        assert new == old
        assert served == [True, True, True]

    def test_classified_alike(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The results of classify_file are the same with Arrow's reading and without."""
        path = tmp_path / "flat.jsonl"
        orgs = [
            o for o in sse_model.read_register(EXAMPLES) if isinstance(o, sse_model.Organisation)
        ]
        path.write_text("".join(json.dumps(to_flat_row(o)) + "\n" for o in orgs[:400]))
        profiles = ["intl/ilo-2022", "vn/social-enterprise"]
        sse_model.classify_file(path, profiles, output=tmp_path / "fast.parquet", on=ON)
        monkeypatch.setattr(_jsonl.ArrowLines, "table", lambda self, lines, is_held: None)
        sse_model.classify_file(path, profiles, output=tmp_path / "slow.parquet", on=ON)
        fast, slow = (
            pq.read_table(tmp_path / "fast.parquet"),
            pq.read_table(tmp_path / "slow.parquet"),
        )
        assert fast.equals(slow)

    def test_dates_stay_text_in_later_blocks(self, tmp_path: Path, served: list[bool]) -> None:
        """A string that looks like a date (which Arrow would read as a timestamp) keeps
        its text, in a name of the vocabulary or not."""
        path = tmp_path / "d.jsonl"
        rows = [{"id": str(i), "since": "2020-01-0" + str(1 + i % 9)} for i in range(9)]
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        new, old = _both(path, size=4)
        assert new == old
        assert served == [True, True, True]

    def test_compressed_and_other_encodings(self, tmp_path: Path, served: list[bool]) -> None:
        gz = tmp_path / "r.jsonl.gz"
        gz.write_bytes(gzip.compress(_lines().encode()))
        new, old = _both(gz)
        assert new == old
        latin = tmp_path / "latin.jsonl"
        latin.write_bytes('{"id": "a", "name": "Société"}\n'.encode("cp1252"))
        new, old = _both(latin, encoding="cp1252")
        assert new == old
        assert served == [True, True]


#: each a line (or lines) after three clean ones, and whether Arrow may read the block
EDGE_CASES = {
    "repeated key": ('{"id": "d", "id": "e"}', False),
    "repeated key by an escape": ('{"id": "d", "\\u0069d": "e"}', False),
    "integer beyond 64 bits": (
        '{"id": "d", "governance.members": 123456789012345678901234}',
        False,
    ),
    "integer beyond MAX_JSON_DIGITS": (
        '{"id": "d", "x": ' + "9" * (MAX_JSON_DIGITS + 1) + "}",
        False,
    ),
    "small integer": ('{"id": "d", "governance.members": 12}', False),
    "float": ('{"id": "d", "governance.largest_member_capital_share": 0.5}', False),
    "whole float": ('{"id": "d", "x": 100.0}', False),
    "boolean": ('{"id": "d", "purpose.social": true}', False),
    "null": ('{"id": "d", "name": null}', False),
    "null alone in a column": ('{"id": "d", "only_here": null}', False),
    "text holding null": ('{"id": "d", "name": "Annulla nullity"}', True),
    "text that looks like a null token": ('{"id": "d", "name": "x,null"}', False),
    "blank string": ('{"id": "d", "name": ""}', True),
    "blank id": ('{"id": " ", "name": "D"}', True),
    "empty object": ("{}", True),
    "lone surrogate": ('{"id": "d", "name": "\\ud800"}', False),
    "lone low surrogate": ('{"id": "d", "name": "x\\udc00"}', False),
    "reversed surrogates": ('{"id": "d", "name": "\\udc00\\ud800"}', False),
    "surrogate pair": ('{"id": "d", "name": "\\ud83d\\ude00"}', True),
    "NUL escape": ('{"id": "d", "name": "a\\u0000b"}', True),
    "escaped newline": ('{"id": "d", "name": "a\\nb\\r\\t"}', True),
    "NaN": ('{"id": "d", "x": NaN}', False),
    "Infinity": ('{"id": "d", "x": -Infinity}', False),
    "BOM inside the file": ('\ufeff{"id": "d"}', False),
    "CR before LF": ('{"id": "d", "name": "D"}\r', True),
    "CR inside a line": ('{"id": "d",\r"name": "D"}', True),
    "padded line": ('  {"id": "d"}', False),
    "keys the model lacks": ('{"id": "d", "colour": "blue", "x.y.z": "w"}', True),
    "list": ('{"id": "d", "purpose.primary": ["a", "b"]}', False),
    "nested object": ('{"id": "d", "purpose": {"social": "true"}}', False),
    "type changes": ('{"id": "d", "name": "D"}\n{"id": "e", "name": 5}', False),
    "two objects on a line": ('{"id": "d"} {"id": "e"}', False),
    "object across lines, one line holding two": (
        '{"id": "d"} {"id": "e"}\n{"id": "f", "name":\n"F"}',
        False,
    ),
    "not an object": ('["id", "d"]', False),
    "a string": ('"d"', False),
    "trailing brace": ('{"id": "d"}}', False),
    "trailing text": ('{"id": "d"} x', False),
    "trailing comma": ('{"id": "d",}', False),
    "raw tab in a string": ('{"id": "d", "name": "a\tb"}', False),
    "bad escape": ('{"id": "d", "name": "\\x41"}', False),
    "Feature": ('{"type": "Feature", "properties": {"id": "d"}, "geometry": null}', False),
    "Feature as text only": ('{"type": "Feature", "id": "d"}', False),
    "other type": ('{"type": "shop", "id": "d"}', True),
    "linked_schemas": ('{"linked_schemas": "x", "id": "d"}', False),
    "blank name": ('{"": "x", "id": "d"}', False),
    "padded name": ('{" id": "d"}', False),
    "unicode-padded name": ('{"id\\u00a0": "d"}', False),
    "share and percent columns": (
        '{"id": "d", "governance.largest_member_capital_share": "0.4"}\n'
        '{"id": "e", "governance.largest_member_capital_share[%]": "40"}',
        False,
    ),
    "field and a part of it": ('{"id": "d", "governance": "x", "governance.members": "3"}', False),
    "blank lines": ("\n   \n\t\n\u00a0\n" + '{"id": "d"}', True),
    "no id column": ('{"name": "D"}', True),
    "dotted key with escapes": ('{"governance\\u002emembers": "3", "id": "d"}', True),
}


class TestEdgeCases:
    """Each edge case gives the strict reader's rows, and is read by Arrow only where
    Arrow provably agrees."""

    @pytest.mark.parametrize("case", EDGE_CASES, ids=list(EDGE_CASES))
    @pytest.mark.parametrize("size", [2, 100])
    def test_same_rows(self, case: str, size: int, tmp_path: Path, served: list[bool]) -> None:
        lines, arrow = EDGE_CASES[case]
        path = tmp_path / "r.jsonl"
        path.write_text(_lines(lines), encoding="utf-8")
        new, old = _both(path, size=size)
        assert new == old
        if size == 100:
            assert served == [arrow]

    def test_bom_at_the_start(self, tmp_path: Path, served: list[bool]) -> None:
        path = tmp_path / "r.jsonl"
        path.write_text("\ufeff" + _lines(), encoding="utf-8")
        new, old = _both(path, size=100)
        assert new == old
        assert served == [True]

    def test_line_above_the_cap(self, tmp_path: Path, served: list[bool]) -> None:
        path = tmp_path / "r.jsonl"
        big = json.dumps({"id": "d", "name": "x" * MAX_CELL_CHARS})
        path.write_text(_lines(big, '{"id": "e"}'), encoding="utf-8")
        new, old = _both(path, size=2)
        assert new == old
        assert served == [True, False, True]  # the block with the long line is left

    def test_line_at_the_cap(self, tmp_path: Path, served: list[bool]) -> None:
        path = tmp_path / "r.jsonl"
        line = '{"id": "d", "name": "' + "é" * (MAX_CELL_CHARS - 23) + '"}'
        assert len(line) == MAX_CELL_CHARS
        path.write_text(_lines(line), encoding="utf-8")
        new, old = _both(path, size=100)
        assert new == old
        assert served == [True]

    def test_undecodable_bytes(self, tmp_path: Path) -> None:
        """The rows before the bad line, then the strict reader's error."""
        path = tmp_path / "r.jsonl"
        path.write_bytes(_lines().encode() + b'{"id": "\xff"}\n' + b'{"id": "z"}\n')
        new, old = _both(path, size=2)
        assert new == old
        assert new[-1].startswith("UnreadableInput")

    def test_truncated_gzip(self, tmp_path: Path) -> None:
        path = tmp_path / "r.jsonl.gz"
        path.write_bytes(gzip.compress(_lines().encode() * 50)[:-20])
        new, old = _both(path, size=8)
        assert new == old
        assert new[-1].startswith("UnreadableInput")


def _flat_rows(orgs: list[Any]) -> Iterator[dict[str, str]]:
    """The flat rows of the organisations that have one (a year without facts has none)."""
    for o in orgs:
        try:
            yield to_flat_row(o)
        except sse_model.InvalidInput:
            continue


_TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
_NAMES = st.sampled_from(
    ["id", "name", "country", "x", "purpose.social", "governance.members", " pad", "", "type"]
)
_VALUES = st.one_of(
    _TEXT,
    st.sampled_from(["Feature", "2010-05-01", "null", ""]),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.lists(_TEXT, max_size=2),
    st.dictionaries(st.sampled_from(["social", "members"]), _TEXT, max_size=2),
)
_RECORDS = st.dictionaries(_NAMES, _VALUES, max_size=5)
_ALTERATIONS = st.sampled_from(
    [
        lambda s: s,
        lambda s: s,
        lambda s: s + " " + s,
        lambda s: s[: len(s) // 2],
        lambda s: s[:-1] + ', "id": "dup"}' if len(s) > 2 else s,
        lambda s: s.replace('"', "'", 1),
        lambda s: " " + s,
        lambda s: s + "\r",
        lambda s: "",
        lambda s: s.replace("a", "\\ud800", 1),
    ]
)


class TestProperties:
    """Laws over generated registers."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(organisations(), min_size=1, max_size=6), st.integers(1, 4))
    def test_flat_rows_of_organisations(self, orgs: list[Any], size: int) -> None:
        """For the flat rows of any organisations, file_batches gives the strict
        reader's rows, cells and held flags, batch by batch, and Arrow reads them."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.jsonl"
            rows = list(_flat_rows(orgs))
            path.write_text("".join(json.dumps(row) + "\n" for row in rows))
            with pytest.MonkeyPatch.context() as m:
                served = _spy(m)
                new = _view(lambda: file_batches(path, "jsonl", size=size))
            assert new == _view(lambda: _strict_batches(path, size))
            assert served == [True] * -(-len(rows) // size)

    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(st.tuples(_RECORDS, _ALTERATIONS), min_size=1, max_size=8),
        st.integers(1, 5),
    )
    def test_altered_records(self, records: list[Any], size: int) -> None:
        """For any records (of text and of other values), each line maybe altered
        (repeated, cut, keys repeated, padded, surrogates...), file_batches gives the
        strict reader's rows, cells, held flags and errors."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.jsonl"
            text = "".join(alter(json.dumps(r)) + "\n" for r, alter in records)
            path.write_text(text, encoding="utf-8")
            new, old = _both(path, size=size)
            assert new == old


# --- nested records (the model's JSON shape) ----------------------------------------------


def _nested_base() -> str:
    """The sample register's first lines: several years, shares in %, certifications."""
    with EXAMPLES.open(encoding="utf-8") as f:
        return "".join(next(f) for _ in range(4))


def _org(**fields: Any) -> str:
    """A nested record: a small organisation with *fields* set (None: removed)."""
    data: dict[str, Any] = {
        "id": "n-1",
        "name": "N",
        "country": "KR",
        "legal_form": "kr/cooperative",
        "governance": {"members": 12, "voting_rule": "one_member_one_vote"},
        "purpose": {"social": True},
        "finances": {"2024": {"revenue": "100 KRW", "dividends": "0 KRW"}},
    }
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return json.dumps(data, ensure_ascii=False)


_GOV = {"members": 12}
#: each a line (or lines) after the sample register's first, and whether Arrow reads the
#: block (None: either may be right, only the rows are compared)
NESTED_CASES: dict[str, tuple[str, bool | None]] = {
    "plain": (_org(), True),
    "count of 10**15": (_org(governance={"members": 10**15}), True),
    "count just below 10**15": (_org(governance={"members": 10**15 - 1}), True),
    "negative count": (_org(governance={"members": -1}), True),
    "minus zero": ('{"id": "n", "name": "N", "governance": {"members": -0}}', True),
    "count beyond 64 bits": (_org(governance={"members": 2**70}), None),
    "count beyond MAX_JSON_DIGITS": (
        '{"id": "n", "name": "N", "governance": {"members": ' + "9" * 4301 + "}}",
        None,
    ),
    "count as text": (_org(governance={"members": "12"}), None),
    "count as float": (_org(governance={"members": 12.0}), None),
    "count as boolean": (_org(governance={"members": True}), None),
    "boolean as integer": (_org(purpose={"social": 1}), None),
    "boolean as text": (_org(purpose={"social": "true"}), None),
    "blank name": (_org(name=""), True),
    "spaces for a name": (_org(name="   "), True),
    "unicode spaces for a name": (_org(name="\u00a0\u2003"), True),
    "unicode name": (_org(name="Кооператив 中 😀"), True),
    "name as a number": (_org(name=5), None),
    "key the model lacks": (_org(colour="blue"), True),
    "key the model lacks in a section": (_org(purpose={"social": True, "colour": "x"}), True),
    "key the model lacks in a year": (_org(finances={"2024": {"colour": "x"}}), True),
    "dotted key in a section": (_org(governance={"a.b": 1}), True),
    "empty section": (_org(purpose={}), True),
    "section as text": (_org(purpose="social"), None),
    "empty year": (_org(finances={"2024": {}}), True),
    "empty finances": (_org(finances={}), True),
    "year that is no year": (_org(finances={"24": {"revenue": "1 KRW"}}), True),
    "year as a list": (_org(finances=[{"year": 2024, "revenue": "1 KRW"}]), None),
    "several years": (
        _org(finances={"2023": {"revenue": "1 KRW"}, "2024": {"revenue": "2 KRW"}}),
        True,
    ),
    "several currencies": (
        _org(finances={"2024": {"revenue": "1 KRW", "dividends": "1 USD"}}),
        True,
    ),
    "bare amount": (_org(finances={"2024": {"revenue": "100"}}), True),
    "bare amount, then text": (
        _org(finances={"2024": {"revenue": "100", "dividends": "abc"}}),
        True,
    ),
    "text, then a bare amount": (
        _org(finances={"2024": {"dividends": "abc", "revenue": "100"}}),
        False,
    ),
    "amount as text": (_org(finances={"2024": {"revenue": "about a million"}}), True),
    "blank amount": (_org(finances={"2024": {"revenue": " "}}), True),
    "amount in other digits": (_org(finances={"2024": {"revenue": "١٠٠ KRW"}}), True),
    "amount with a no-break space": (_org(finances={"2024": {"revenue": "100\u00a0KRW"}}), True),
    "amount with a tab": (_org(finances={"2024": {"revenue": "100\tKRW"}}), True),
    "amount signed": (_org(finances={"2024": {"revenue": "-1.50 KRW"}}), True),
    "amount as a number": (_org(finances={"2024": {"revenue": 100}}), None),
    "amount that looks like a date": (_org(finances={"2024": {"revenue": "2020-01-01"}}), True),
    "pay amounts in a section": (
        _org(workforce={"highest_pay": "10 KRW", "lowest_pay": "5 KRW"}),
        True,
    ),
    "share in percent": (_org(governance={"largest_member_capital_share": "27 %"}), True),
    "share as fraction": (_org(governance={"largest_member_capital_share": "0.27"}), True),
    "share in percent, not a number": (
        _org(governance={"largest_member_capital_share": "abc %"}),
        True,
    ),
    "share of a bare percent sign": (
        _org(governance={"largest_member_capital_share": " %"}),
        True,
    ),
    "share in percent with decimals": (
        _org(governance={"largest_member_capital_share": "27.25 %"}),
        True,
    ),
    "share as a number": (_org(governance={"largest_member_capital_share": 0.5}), None),
    "list of codes": (_org(purpose={"primary": ["social", "environmental"]}), True),
    "empty list": (_org(purpose={"primary": []}), True),
    "list with a semicolon": (_org(purpose={"primary": ["a;b"]}), True),
    "list with a padded code": (_org(purpose={"primary": [" a"]}), True),
    "list of numbers": (_org(purpose={"primary": [1]}), None),
    "certification": (
        _org(
            certifications=[{"kind": "kr/certified-social-enterprise", "granted_on": "2019-01-15"}]
        ),
        True,
    ),
    "certification twice": (
        _org(certifications=[{"kind": "k", "issuer": "a"}, {"kind": "k", "issuer": "b"}]),
        True,
    ),
    "certification without fields": (_org(certifications=[{"kind": "k"}]), True),
    "certification kind with brackets": (
        _org(certifications=[{"kind": "k[1]", "issuer": "a"}]),
        True,
    ),
    "certification with a key the model lacks": (
        _org(certifications=[{"kind": "k", "colour": "a"}]),
        True,
    ),
    "certifications empty": (_org(certifications=[]), True),
    "certifications as text": (_org(certifications="k"), None),
    "date in a key the model lacks": (_org(registration={"since": "2020-01-01"}), True),
    "date in a known field": (_org(registration={"registered_on": "2020-01-01"}), True),
    "record without objects": (
        '{"id": "f", "name": "F", "certifications_complete": true, "n": 3}',
        True,
    ),
    "record without objects, with a float": ('{"id": "f", "score": 1.5}', False),
    "record without objects, with a list": ('{"id": "f", "tags": ["a"]}', None),
    "dotted key beside objects": (_org(**{"purpose.social": "true"}), False),
    "null in a section": (_org(purpose={"social": None}), False),
    "required field null": (_org(name=None) + "\n" + '{"id": "z", "name": null}', False),
    "deep nesting": (_org(purpose={"social": {"a": {"b": [1]}}}), None),
    "huge integer in a key the model lacks": (_org(x=10**30), True),
    "integer beyond MAX_JSON_DIGITS in a key the model lacks": (
        '{"id": "n", "name": "N", "purpose": {"social": true}, "x": ' + "9" * 4301 + "}",
        None,
    ),
    "Feature with objects": ('{"type": "Feature", "properties": {"id": "f"}}', False),
    "type of no Feature, with objects": (_org(type="shop"), True),
    "repeated key in a section": (
        '{"id": "n", "name": "N", "purpose": {"social": true, "social": false}}',
        False,
    ),
    "lone surrogate in a section": (
        '{"id": "n", "name": "N", "governance": {"voting_rule": "\\udc00"}}',
        False,
    ),
}


class TestNestedRecords:
    """Nested records: Arrow's struct columns flattened as flatten flattens each record."""

    def test_sample_register(self, served: list[bool]) -> None:
        new, old = _both(EXAMPLES, size=1000)
        assert new == old
        assert served == [True, True, True]

    @pytest.mark.parametrize("case", NESTED_CASES, ids=list(NESTED_CASES))
    def test_same_rows(self, case: str, tmp_path: Path, served: list[bool]) -> None:
        lines, arrow = NESTED_CASES[case]
        path = tmp_path / "r.jsonl"
        path.write_text(_nested_base() + lines + "\n", encoding="utf-8")
        new, old = _both(path, size=100)
        assert new == old
        if arrow is not None:
            assert served == [arrow]

    def test_classified_alike(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The results of classify_file are the same with Arrow's reading and without."""
        profiles = ["intl/ilo-2022", "kr/social-enterprise", "th/social-enterprise"]
        fast, slow = tmp_path / "fast.parquet", tmp_path / "slow.parquet"
        sse_model.classify_file(EXAMPLES, profiles, output=fast, on=ON)
        monkeypatch.setattr(_jsonl.ArrowLines, "table", lambda self, lines, is_held: None)
        sse_model.classify_file(EXAMPLES, profiles, output=slow, on=ON)
        assert pq.read_table(fast).equals(pq.read_table(slow))


_LEAVES = st.one_of(
    _TEXT,
    st.sampled_from(["", " ", "27 %", "0.5", "100 KRW", "100", "1 USD", "2020-01-01", "x %"]),
    st.booleans(),
    st.integers(-5, 10**16),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(_TEXT, max_size=2),
    st.builds(dict),  # a new object each time (one shared object would be mutated)
)


def _objects(data: Any) -> list[dict[str, Any]]:
    """Every object in a JSON tree, in an order of their own (sets are written as lists
    in any order: the draws must not depend on it)."""
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            out.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return sorted(out, key=lambda o: json.dumps(o, sort_keys=True))


class TestNestedProperties:
    """Laws over generated nested registers."""

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(organisations(), min_size=1, max_size=6), st.integers(1, 4))
    def test_organisations_as_json(self, orgs: list[Any], size: int) -> None:
        """For any organisations written as JSON (to_json), file_batches gives the
        strict reader's rows, cells and held flags."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.jsonl"
            path.write_text("".join(sse_model.to_json(o) + "\n" for o in orgs))
            new, old = _both(path, size=size)
            assert new == old

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(organisations(), min_size=1, max_size=5), st.data())
    def test_altered_organisations(self, orgs: list[Any], data: st.DataObject) -> None:
        """For any organisations as JSON, each with values replaced (by text, numbers,
        lists, objects...), removed or added, file_batches gives the strict reader's
        rows, cells, held flags and errors."""
        lines = []
        for org in orgs:
            record = json.loads(sse_model.to_json(org))
            for _ in range(data.draw(st.integers(0, 3))):
                target = data.draw(st.sampled_from(_objects(record)))
                keys = sorted(target)
                action = data.draw(st.sampled_from(["set", "drop", "add"]))
                if action == "add" or not keys:
                    target[data.draw(st.sampled_from(["x", "members", "2023", "kind"]))] = (
                        data.draw(_LEAVES)
                    )
                elif action == "set":
                    target[data.draw(st.sampled_from(keys))] = data.draw(_LEAVES)
                else:
                    del target[data.draw(st.sampled_from(keys))]
            lines.append(json.dumps(record, ensure_ascii=False))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.jsonl"
            path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            new, old = _both(path, size=data.draw(st.integers(1, 4)))
            assert new == old


class TestArrowAssumptions:
    """The installed pyarrow reads JSON as the Arrow lane assumes (else the lane is off)."""

    def test_installed_pyarrow_is_trusted(self) -> None:
        assert _jsonl._trusted()

    def test_an_untrusted_pyarrow_leaves_every_block(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: list[bool]
    ) -> None:
        monkeypatch.setattr(_jsonl, "_trusted", lambda: False)
        path = tmp_path / "r.jsonl"
        path.write_text(_lines() + _nested_base(), encoding="utf-8")
        new, old = _both(path, size=3)
        assert new == old
        assert served == [False] * 3

    def test_model_dates_are_read_as_text_from_the_first_block(self) -> None:
        dates = _jsonl._model_dates()
        assert "registration.registered_on" in dates
        assert "registered_on" in dates["registration"].names
        assert "granted_on" in dates["certifications"].value_type.names
