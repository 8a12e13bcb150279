"""The fast readers read what the strict ones read: JSON decoded by the C decoder (one
value, or a block of JSON Lines at once) and Excel sheets read by python-calamine give
the same values, rejections and row numbers as the hooked decoder and openpyxl."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sse_model
from sse_model import _serialization
from sse_model._io import _readers
from sse_model._serialization import JSONProblem, StrictJSON

ON = "2025-06-30"


class _NoPlain:
    """A stand-in for the C decoder that always fails: the strict decoder decides."""

    def raw_decode(self, text: str, pos: int = 0) -> Any:
        raise ValueError("the reference path")

    def decode(self, text: str) -> Any:
        raise ValueError("the reference path")


def _reference(text: str) -> tuple[str, Any]:
    """What the hooked (strict) decoder alone makes of *text*."""
    plain = _serialization._PLAIN
    _serialization._PLAIN = _NoPlain()  # type: ignore[assignment]
    try:
        return _outcome(StrictJSON(), text)
    finally:
        _serialization._PLAIN = plain


def _outcome(strict: StrictJSON, text: str) -> tuple[str, Any]:
    try:
        return "value", strict.loads(text)
    except JSONProblem as e:
        return "problem", str(e)
    except json.JSONDecodeError as e:
        return "not json", str(e)


# --- strategies (private to this module) ---------------------------------------------

#: keys that collide often, and texts holding what the fast checks look for
_keys = st.sampled_from(["a", "b", "id", 'q":', "x y", "k\\", "é", ":", "},{", " "])
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "a:b", '":', "},{", "\\", '\\"', "x\u00e9", "\ud800", " : "]),
    st.text(max_size=5),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.lists(st.tuples(_keys, inner), max_size=4)
    ),
    max_leaves=12,
)


def _dump(value: Any, rng: st.DataObject) -> str:
    """*value* as JSON text; a list of pairs is an object (keys may repeat), written with
    spaces around its colons or without, and escaped or not."""
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        colon = rng.draw(st.sampled_from([":", ": ", " :", "\t: "]))
        members = [f"{json.dumps(k)}{colon}{_dump(v, rng)}" for k, v in value]
        return "{" + ",".join(members) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v, rng) for v in value) + "]"
    return json.dumps(value, ensure_ascii=rng.draw(st.booleans()))


@st.composite
def _objects(draw: st.DrawFn) -> str:
    """A JSON object text, with nested values, repeated keys and tricky strings."""
    pairs = draw(st.lists(st.tuples(_keys, _values), max_size=5))
    rng = draw(st.data())
    colon = draw(st.sampled_from([":", ": ", " :"]))
    return "{" + ",".join(f"{json.dumps(k)}{colon}{_dump(v, rng)}" for k, v in pairs) + "}"


_lines = st.one_of(
    _objects(),
    st.sampled_from(
        [
            '{"a":1},{"b":2}',
            '{"a":[{}',
            "{}]}",
            '{"a":"x',
            'y"},{"b":1}',
            "[1, 2]",
            "3",
            '  {"a": 1}',
            '{"a": 1}  ',
            '{"a": 1',
            '{"a": "\\u003a", "a": "b:c"}',
            '{"n": ' + "9" * 4301 + "}",
            "{" * 3000 + "}" * 3000,
        ]
    ),
)


class TestStrictJSON:
    @settings(max_examples=300)
    @given(_objects())
    def test_the_c_decoder_decodes_as_the_hooked_one(self, text: str) -> None:
        """Law: for every JSON text, the strict decoder (C decoder first, checked by the
        count of keys) gives the value, problem or decoding error the hooked decoder
        alone gives (a repeated key, a lone surrogate, a huge integer are problems)."""
        assert _outcome(StrictJSON(), text) == _reference(text)

    @settings(max_examples=300)
    @given(st.lists(_lines, min_size=2, max_size=8))
    def test_a_block_decodes_as_each_line_alone_or_not_at_all(self, lines: list[str]) -> None:
        """Law: decoding lines together gives, when it gives anything, exactly the values
        each line gives alone (no line a problem, a non-object or two objects)."""
        values = StrictJSON().loads_objects(lines)
        if values is not None:
            assert [("value", v) for v in values] == [_reference(t) for t in lines]

    def test_a_block_of_records_is_decoded_at_once(self) -> None:
        """Plain records (the usual JSON Lines file) take the block decoder."""
        lines = [json.dumps({"id": f"o{i}", "name": "A: b", "n": i}) for i in range(5)]
        assert StrictJSON().loads_objects(lines) == [json.loads(t) for t in lines]

    @pytest.mark.parametrize(
        "lines",
        [
            ['{"a":[{}', "{}]}", '{"x":1},{"y":2}'],
            ['{"a":"x', 'y"},{"b":1}'],
            ['{"a":1,"a":2}', '{"b":1}'],
            ['{"a" :1,"a":2}', '{"b":1}'],
            ['{"a":"\\ud800"}', '{"b":1}'],
        ],
    )
    def test_blocks_that_would_decode_otherwise_are_sent_back(self, lines: list[str]) -> None:
        """Lines that join into other objects, or hold a repeated key or a lone
        surrogate, are not decoded together."""
        assert StrictJSON().loads_objects(lines) is None


class TestJsonLinesBlocks:
    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.one_of(_lines, st.just(""), st.just("   ")), max_size=12))
    def test_lines_read_as_each_alone(self, tmp_path_factory: Any, lines: list[str]) -> None:
        """Law: a JSON Lines file gives, line by line, the numbers, values (or reasons
        for refusing them) and texts it gives when every line is decoded alone by the
        hooked decoder (blank lines skipped, an undecodable file refused alike)."""
        path = tmp_path_factory.mktemp("jl") / "r.jsonl"
        path.write_text("".join(t + "\n" for t in lines), encoding="utf-8", errors="surrogatepass")
        fast = _items(path)
        plain = _serialization._PLAIN
        _serialization._PLAIN = _NoPlain()  # type: ignore[assignment]
        try:
            assert fast == _items(path)
        finally:
            _serialization._PLAIN = plain

    def test_a_bad_line_inside_a_block_is_its_own_rejection(self, tmp_path: Path) -> None:
        """A repeated key in the middle of a block rejects its row only, numbered as its
        line; the other rows are read."""
        lines = [json.dumps({"id": f"o{i}", "name": "X", "country": "VN"}) for i in range(600)]
        lines[300] = '{"id": "o300", "id": "again", "name": "X", "country": "VN"}'
        path = tmp_path / "r.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        got = list(sse_model.read_register(path))
        bad = [r for r in got if isinstance(r, sse_model.RejectedRow)]
        assert [r.number for r in bad] == [301]
        assert "more than once" in bad[0].errors[0].message
        assert len(got) == 600


def _items(path: Path) -> list[Any]:
    """The items of a JSON Lines file (problems as their text), then any error."""
    out: list[Any] = []
    try:
        for n, data, line in _readers._jsonl_items(path, "utf-8"):
            out.append((n, type(data).__name__, data, line))
    except Exception as e:  # the error is the answer compared
        out.append(f"{type(e).__name__}: {e}")
    return out


# --- Excel ---------------------------------------------------------------------------


def _openpyxl_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_readers, "_calamine", lambda: None)


def _both(path: Path, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> tuple[Any, Any]:
    """What the Excel reader gives with python-calamine, then with openpyxl alone."""

    def run() -> Any:
        try:
            return list(_readers._excel_rows(path, kw.get("sheet"), {}))
        except Exception as e:  # the error is the answer compared
            return f"{type(e).__name__}: {e}"

    fast = run()
    with monkeypatch.context() as m:
        _openpyxl_only(m)
        slow = run()
    return fast, slow


def _variant(base: Path, out: Path, change: Any) -> Path:
    """*base* with its first sheet's XML changed by *change*."""
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            dst.writestr(info.filename, data)
    return out


@pytest.fixture
def book(tmp_path: Path) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "name", "country", "legal_form", "governance.members", "purpose.social"])
    ws.append(["o1", "A", "VN", "vn/cooperative", 12, True])
    ws.append(["o2", "B", "VN", "vn/cooperative", 12.5, False])
    ws.append(["o3", "C", "VN", "vn/cooperative", None, "true"])
    path = tmp_path / "base.xlsx"
    wb.save(path)
    return path


_CHANGES = {
    "as written": lambda x: x,
    "a shared string out of range": lambda x: re.sub(
        r'<c r="E2"[^>]*><v>12</v>', '<c r="E2" t="s"><v>999</v>', x
    ),
    "a bad boolean": lambda x: re.sub(r'<c r="F2" t="b"><v>1</v>', '<c r="F2" t="b"><v>7</v>', x),
    "an unknown cell type": lambda x: re.sub(r'<c r="E2"[^>]*>', '<c r="E2" t="zz">', x),
    "a bad reference": lambda x: x.replace('r="E2"', 'r="!!"'),
    "no references": lambda x: re.sub(r' r="[A-Z]+[0-9]+"', "", x),
    "spaces not preserved": lambda x: x.replace("<t>A</t>", "<t>  A\r\n</t>"),
    "spaces preserved": lambda x: x.replace("<t>A</t>", '<t xml:space="preserve">  A </t>'),
    "an empty text": lambda x: x.replace("<t>A</t>", "<t></t>"),
    "a number with spaces": lambda x: x.replace("<v>12</v>", "<v> 12 </v>"),
    "an exponent": lambda x: x.replace("<v>12</v>", "<v>1.2E1</v>"),
    "a huge number": lambda x: x.replace("<v>12</v>", "<v>123456789012345678</v>"),
    "a formula without its value": lambda x: x.replace("<v>12</v>", "<f>1+1</f>"),
    "an error cell": lambda x: re.sub(
        r'<c r="E2"[^>]*><v>12</v>', '<c r="E2" t="e"><v>#N/A</v>', x
    ),
    "an ISO date cell": lambda x: re.sub(
        r'<c r="E2"[^>]*><v>12</v>', '<c r="E2" t="d"><v>2020-01-02</v>', x
    ),
    "rows out of order": lambda x: x.replace('<row r="2">', '<row r="9">'),
    "a repeated row": lambda x: x.replace('<row r="3">', '<row r="2">'),
    "a repeated cell": lambda x: x.replace(
        '<c r="B2" t="inlineStr"><is><t>A</t></is></c>',
        '<c r="B2" t="inlineStr"><is><t>A</t></is></c><c r="B2" t="inlineStr"><is><t>Z</t></is></c>',
    ),
    "malformed XML": lambda x: x.replace("</sheetData>", "<sheetData>"),
    "an empty header row": lambda x: re.sub(r'<row r="1">.*?</row>', '<row r="1"></row>', x),
    "only empty cells": lambda x: re.sub(
        r"<sheetData>.*</sheetData>",
        '<sheetData><row r="1"><c r="A1" s="0"/></row></sheetData>',
        x,
    ),
    "rich text": lambda x: x.replace(
        "<is><t>A</t></is>", "<is><r><t>A</t></r><r><t>b</t></r></is>"
    ),
}


class TestCalamine:
    @pytest.mark.parametrize("change", list(_CHANGES))
    def test_calamine_reads_as_openpyxl_reads(
        self, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
    ) -> None:
        """The Excel reader gives the same rows, rejections and errors with
        python-calamine as with openpyxl alone, whatever the sheet holds."""
        path = _variant(book, tmp_path / "v.xlsx", _CHANGES[change])
        fast, slow = _both(path, monkeypatch)
        assert fast == slow

    def test_a_plain_sheet_is_read_by_calamine(self, book: Path) -> None:
        """A sheet of texts, numbers and booleans takes the fast reader."""
        wb = _readers._unsized_workbook(book)
        ws = wb[wb.sheetnames[0]]
        rows = _readers._calamine_rows(book, "xl/worksheets/sheet1.xml", wb, ws)
        assert rows is not None
        assert [n for n, _ in rows] == [1, 2, 3, 4]

    def test_a_date_styled_sheet_is_left_to_openpyxl(self, tmp_path: Path) -> None:
        """A cell styled as a date is read by openpyxl (which decides what is a date)."""
        openpyxl = pytest.importorskip("openpyxl")
        pytest.importorskip("python_calamine")
        from datetime import date

        wb = openpyxl.Workbook()
        wb.active.append(["id", "registration.registered_on"])
        wb.active.append(["o1", date(2020, 1, 2)])
        path = tmp_path / "d.xlsx"
        wb.save(path)
        book = _readers._unsized_workbook(path)
        ws = book[book.sheetnames[0]]
        assert _readers._calamine_rows(path, "xl/worksheets/sheet1.xml", book, ws) is None

    # openpyxl's own loading leaves the file open when a sheet fails to parse
    @pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
    def test_another_sheet_that_cannot_be_parsed_is_refused_as_before(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A malformed sheet without a dimension, not the one read, still makes the
        workbook unreadable, as openpyxl's loading (which parses it to size it)
        refuses it; also when the sheet asked for is not there."""
        openpyxl = pytest.importorskip("openpyxl")
        pytest.importorskip("python_calamine")
        wb = openpyxl.Workbook()
        wb.active.append(["id", "name"])
        wb.active.append(["o1", "A"])
        wb.create_sheet("other").append(["x"])
        base = tmp_path / "two.xlsx"
        wb.save(base)
        with zipfile.ZipFile(base) as src, zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet2.xml":  # sized by a whole parse
                    data = re.sub(rb"<dimension [^>]*/>", b"", data)
                    data = data.replace(b"</sheetData>", b"<sheetData>")
                dst.writestr(info.filename, data)
        fast, slow = _both(tmp_path / "bad.xlsx", monkeypatch)
        assert fast == slow
        assert isinstance(fast, str) and "expected an Excel workbook" in fast
        fast, slow = _both(tmp_path / "bad.xlsx", monkeypatch, sheet="missing")
        assert fast == slow

    def test_results_are_the_same_with_either_reader(
        self, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """classify_file writes the same results and rejections with either reader."""
        from datetime import date

        outs = []
        for fast in (True, False):
            with monkeypatch.context() as m:
                if not fast:
                    _openpyxl_only(m)
                out, errors = tmp_path / f"o{fast}.csv", tmp_path / f"e{fast}.jsonl"
                sse_model.classify_file(
                    book, ["vn/cooperative"], output=out, errors=errors, on=date(2025, 6, 30)
                )
                outs.append((out.read_text(), errors.read_text() if errors.exists() else ""))
        assert outs[0] == outs[1]
