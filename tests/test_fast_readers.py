"""The fast Excel reader reads what openpyxl reads: sheets read by python-calamine give
the same rows, rejections, row numbers and errors as openpyxl alone."""

from __future__ import annotations

import gc
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest

import sse_model
from sse_model._io import _readers

ON = "2025-06-30"


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

    with warnings.catch_warnings():
        # openpyxl's own loading leaves the file open when a sheet fails to parse:
        # collected here, not in a later test
        warnings.simplefilter("ignore", ResourceWarning)
        fast = run()
        with monkeypatch.context() as m:
            _openpyxl_only(m)
            slow = run()
        gc.collect()
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
    "a bad dimension": lambda x: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="!!"', x),
    "no dimension, malformed": lambda x: re.sub(r"<dimension [^>]*/>", "", x).replace(
        "</sheetData>", "<sheetData>"
    ),
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
