"""Registers in every format: the same organisations whatever the container; bad files
raise a clear error; bad rows are rejected and counted, never dropped."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import itertools
import json
import math
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sse_model import (
    Organisation,
    RejectedRow,
    UnreadableInput,
    read_register,
    to_dataframe,
    to_flat_row,
    write_rejected,
    write_results,
)
from sse_model._io._readers import MAX_CELL_CHARS, format_of, text
from sse_model.testing import organisations as st_organisations

EXAMPLES = Path(__file__).parent.parent / "examples"
N = 200


@pytest.fixture(scope="module")
def orgs() -> list[Organisation]:
    """The first 200 organisations of the sample register, read from JSON Lines."""
    items = list(itertools.islice(read_register(EXAMPLES / "sample-register.jsonl"), N))
    assert all(isinstance(o, Organisation) for o in items)
    return items  # type: ignore[return-value]


@pytest.fixture(scope="module")
def flat(orgs: list[Organisation]) -> tuple[list[str], list[dict[str, str]]]:
    rows = [to_flat_row(o) for o in orgs]
    return list(dict.fromkeys(k for r in rows for k in r)), rows


def _typed_frame(flat: tuple[list[str], list[dict[str, str]]]) -> Any:
    """A pandas frame with typed columns, as a user would have: numbers (integers with
    gaps become floats), booleans, strings."""
    pd = pytest.importorskip("pandas")
    cols, rows = flat
    frame = pd.DataFrame(rows, columns=cols)
    for c in frame.columns:
        values = set(frame[c].dropna())
        if values and values <= {"true", "false"}:
            frame[c] = frame[c].map({"true": True, "false": False})
            continue
        with contextlib.suppress(ValueError, TypeError):
            frame[c] = pd.to_numeric(frame[c])
    return frame


def write_csv(
    path: Path, cols: list[str], rows: list[dict[str, str]], delimiter: str = ","
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, cols, delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[Any], rows: list[list[Any]], merge: str = "") -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "register"
    ws.append(header)
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def organisations(items: Iterator[Organisation | RejectedRow] | list[Any]) -> list[Any]:
    out = list(items)
    rejected = [i for i in out if isinstance(i, RejectedRow)]
    assert not rejected, rejected[:3]
    return out


class TestRoundTrip:
    """Every format gives back the organisations of the JSON Lines register."""

    def test_csv(self, tmp_path: Path, orgs: list[Organisation], flat: Any) -> None:
        """CSV in the flat vocabulary (to_flat_row) reads back to equal organisations."""
        path = write_csv(tmp_path / "r.csv", *flat)
        assert organisations(read_register(path)) == orgs

    def test_tsv_and_gzip(self, tmp_path: Path, orgs: list[Organisation], flat: Any) -> None:
        """TSV by extension, and gzip-compressed CSV."""
        assert organisations(read_register(write_csv(tmp_path / "r.tsv", *flat, "\t"))) == orgs
        plain = write_csv(tmp_path / "r.csv", *flat).read_bytes()
        (tmp_path / "r.csv.gz").write_bytes(gzip.compress(plain))
        assert organisations(read_register(tmp_path / "r.csv.gz")) == orgs

    def test_semicolon_csv(self, tmp_path: Path, orgs: list[Organisation], flat: Any) -> None:
        """A semicolon-separated file reads with delimiter=';'."""
        path = write_csv(tmp_path / "r.csv", *flat, ";")
        assert organisations(read_register(path, delimiter=";")) == orgs

    def test_json_flat_and_array(
        self, tmp_path: Path, orgs: list[Organisation], flat: Any
    ) -> None:
        """JSON Lines with dotted keys, and a JSON array of nested objects."""
        _, rows = flat
        lines = tmp_path / "flat.ndjson"
        lines.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        assert organisations(read_register(lines)) == orgs
        array = tmp_path / "r.json"
        lines_in = (EXAMPLES / "sample-register.jsonl").read_text(encoding="utf-8").splitlines()
        nested = [json.loads(x) for x in lines_in[:N]]
        array.write_text(json.dumps(nested, indent=1), encoding="utf-8")
        assert organisations(read_register(array)) == orgs
        one = tmp_path / "one.json"
        one.write_text(json.dumps(nested[0]), encoding="utf-8")
        assert organisations(read_register(one)) == orgs[:1]

    def test_pandas(self, orgs: list[Organisation], flat: Any) -> None:
        """A typed pandas frame (floats for integers with gaps, booleans) reads the same."""
        frame = _typed_frame(flat)
        assert "float64" in set(map(str, frame.dtypes))  # integers with gaps became floats
        assert organisations(read_register(frame)) == orgs

    def test_arrow_and_parquet(self, tmp_path: Path, orgs: list[Organisation], flat: Any) -> None:
        """A pyarrow Table, a RecordBatchReader in small batches, and a Parquet file."""
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        table = pa.Table.from_pandas(_typed_frame(flat), preserve_index=False)
        assert organisations(read_register(table)) == orgs
        reader = pa.RecordBatchReader.from_batches(
            table.schema, table.to_batches(max_chunksize=37)
        )
        assert organisations(read_register(reader)) == orgs
        pq.write_table(table, tmp_path / "r.parquet", row_group_size=50)
        assert organisations(read_register(tmp_path / "r.parquet")) == orgs

    def test_arrow_struct_columns(self, orgs: list[Organisation], flat: Any) -> None:
        """Nested (struct) Arrow columns read as dotted columns."""
        pa = pytest.importorskip("pyarrow")
        table = pa.Table.from_pylist(
            [
                {
                    "id": o.id,
                    "name": o.name,
                    "country": o.country,
                    "governance": {"members": o.governance.members},
                }
                for o in orgs
            ]
        )
        back = organisations(read_register(table))
        assert [o.governance.members for o in back] == [o.governance.members for o in orgs]

    def test_polars(self, orgs: list[Organisation], flat: Any) -> None:
        """A polars frame reads the same."""
        pl = pytest.importorskip("polars")
        pytest.importorskip("pyarrow")
        assert organisations(read_register(pl.from_pandas(_typed_frame(flat)))) == orgs

    def test_excel(self, tmp_path: Path, orgs: list[Organisation], flat: Any) -> None:
        """An Excel sheet with typed cells, picked by name or index."""
        frame = _typed_frame(flat)
        rows = [
            [None if isinstance(v, float) and math.isnan(v) else v for v in r]
            for r in frame.itertuples(index=False)
        ]
        path = write_xlsx(tmp_path / "r.xlsx", list(frame.columns), rows)
        assert organisations(read_register(path)) == orgs
        assert organisations(read_register(path, sheet="register")) == orgs
        assert organisations(read_register(path, sheet=0)) == orgs

    def test_column_mapping(self, tmp_path: Path) -> None:
        """columns= maps the user's names onto the vocabulary, for any table."""
        path = tmp_path / "r.csv"
        path.write_text("Code,Name,Country,Members\nvn-1,A,VN,12\n", encoding="utf-8")
        mapping = {
            "Code": "id",
            "Name": "name",
            "Country": "country",
            "Members": "governance.members",
        }
        (org,) = organisations(read_register(path, columns=mapping))
        assert org.id == "vn-1" and org.governance.members == 12

    def test_header_spaces(self, tmp_path: Path) -> None:
        """Spaces around header names (common in spreadsheets) are not part of the name."""
        path = tmp_path / "r.csv"
        path.write_text(" id ,name , country\nvn-1,A,VN\n", encoding="utf-8")
        (org,) = organisations(read_register(path))
        assert (org.id, org.country) == ("vn-1", "VN")

    def test_streams(self, tmp_path: Path, flat: Any) -> None:
        """The reader is lazy: the first organisation comes before the file is read through."""
        cols, rows = flat
        path = write_csv(tmp_path / "r.csv", cols, rows)
        with path.open("a", encoding="utf-8") as f:
            f.write("this row is never reached\n" * 3)
        first = next(read_register(path))
        assert isinstance(first, Organisation)


class TestStreaming:
    """Memory does not grow with the number of rows (the row layer of each format)."""

    @staticmethod
    def _peak(rows: Iterator[Any]) -> int:
        import tracemalloc

        tracemalloc.start()
        try:
            for _ in rows:
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    @pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "parquet"])
    def test_peak_memory_flat(self, tmp_path: Path, fmt: str) -> None:
        """Law: reading 5x more rows does not need more memory (within 64 KiB)."""
        from sse_model._io import _readers as r

        peaks = []
        # both sizes beyond the buffers: Parquet batches, the JSON decoder's 64 KiB chunks
        small = {"parquet": 2 * r.BATCH_ROWS, "json": 5_000}.get(fmt, 2_000)
        for n in (small, 5 * small):
            path = tmp_path / f"r{n}.{fmt}"
            body = [f"id-{i},Organisation {i},VN,{i % 50}" for i in range(n)]
            if fmt == "csv":
                path.write_text("id,name,country,governance.members\n" + "\n".join(body))
                rows: Iterator[Any] = r._csv_rows(path, "utf-8", ",", {})
            elif fmt == "jsonl":
                path.write_text("\n".join(json.dumps({"id": b}) for b in body))
                rows = r._jsonl_items(path, "utf-8")
            elif fmt == "json":
                path.write_text(json.dumps([{"id": b} for b in body], indent=1))
                rows = r._json_items(path, "utf-8")
            else:
                pa = pytest.importorskip("pyarrow")
                pq = pytest.importorskip("pyarrow.parquet")
                table = pa.table({"id": [b.split(",")[0] for b in body]})
                pq.write_table(table, path, row_group_size=1000)
                rows = r._parquet_rows(path, {})
            peaks.append(self._peak(rows))
        assert peaks[1] < peaks[0] + 64 * 1024, peaks


class TestCells:
    """Typed cells become the text a CSV file would hold."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, ""),
            (float("nan"), ""),
            (0.51, "0.51"),
            (12.0, "12"),
            (-3.0, "-3"),
            (True, "true"),
            (False, "false"),
            (7, "7"),
            (Decimal("1200.50"), "1200.50"),
            (Decimal("1E+3"), "1000"),
            (Decimal("1E-7"), "0.0000001"),
            (Decimal("-0.0"), "0"),
            (1.5e16, "15000000000000000"),
            (1e-7, "0.0000001"),
            (-1.25e-5, "-0.0000125"),
            (float("inf"), "inf"),
            (date(2024, 1, 2), "2024-01-02"),
            (datetime(2024, 1, 2), "2024-01-02"),
            (datetime(2024, 1, 2, tzinfo=timezone(timedelta(hours=2))), "2024-01-02"),
            (datetime(2024, 1, 2, 0, 0, 1), "2024-01-02T00:00:01"),
            (datetime(2024, 1, 2, 10, 30), "2024-01-02T10:30:00"),
            (["social_service", "mixed"], "social_service;mixed"),
        ],
    )
    def test_text(self, value: object, expected: str) -> None:
        """Each kind of cell value, as text."""
        assert text(value) == expected

    def test_numpy_and_pandas_missing(self) -> None:
        """numpy scalars are unwrapped; pandas NA and NaT are empty."""
        np = pytest.importorskip("numpy")
        pd = pytest.importorskip("pandas")
        assert text(np.int64(5)) == "5"
        assert text(np.float64(0.1)) == "0.1"
        assert text(np.bool_(True)) == "true"
        assert text(pd.NA) == "" and text(pd.NaT) == ""

    @settings(max_examples=300)
    @given(st.floats(allow_nan=False, allow_infinity=False))
    def test_floats_are_exact(self, x: float) -> None:
        """Law: the text of a float parses back to the same float (no rounding detour)."""
        assert float(text(x)) == x


class TestBadFiles:
    """File-level problems raise UnreadableInput saying where, what was expected and what
    was found; row-level problems become rejected rows and reading goes on."""

    def test_empty_file(self, tmp_path: Path) -> None:
        """An empty CSV has no header: an error, not zero rows."""
        path = tmp_path / "empty.csv"
        path.write_text("", encoding="utf-8")
        with pytest.raises(UnreadableInput, match="expected a header row"):
            list(read_register(path))

    def test_xlsx_with_a_zip_version_zipfile_lacks(self, tmp_path: Path) -> None:
        """A workbook whose zip directory asks for a zip version the standard library
        cannot read is UnreadableInput, not NotImplementedError (found by
        fuzz/fuzz_register.py)."""
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        wb.active.append(["id", "name", "country"])
        wb.active.append(["a", "A", "FR"])
        buf = io.BytesIO()
        wb.save(buf)
        data = bytearray(buf.getvalue())
        at = data.index(b"PK\x01\x02")  # the first central directory entry
        data[at + 6 : at + 8] = (97).to_bytes(2, "little")  # "version needed": 9.7
        path = tmp_path / "v97.xlsx"
        path.write_bytes(bytes(data))
        with pytest.raises(UnreadableInput, match="expected an Excel workbook"):
            list(read_register(path))

    def test_empty_jsonl_and_json(self, tmp_path: Path) -> None:
        """Empty JSON Lines is zero rows; an empty JSON file is an error."""
        (tmp_path / "e.jsonl").write_text("\n\n", encoding="utf-8")
        assert list(read_register(tmp_path / "e.jsonl")) == []
        (tmp_path / "e.json").write_text("  ", encoding="utf-8")
        with pytest.raises(UnreadableInput, match="found an empty file"):
            list(read_register(tmp_path / "e.json"))

    def test_header_only(self, tmp_path: Path) -> None:
        """A header without rows is zero rows, not an error (CSV, Excel, Parquet)."""
        path = tmp_path / "h.csv"
        path.write_text("id,name,country\n", encoding="utf-8")
        assert list(read_register(path)) == []
        assert list(read_register(write_xlsx(tmp_path / "h.xlsx", ["id"], []))) == []
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        pq.write_table(pa.table({"id": pa.array([], pa.string())}), tmp_path / "h.parquet")
        assert list(read_register(tmp_path / "h.parquet")) == []

    @pytest.mark.parametrize("sep", [";", "\t", "|"])
    def test_wrong_delimiter(self, tmp_path: Path, sep: str) -> None:
        """A header read as one column containing another separator names the fix."""
        path = tmp_path / "r.csv"
        path.write_text(f"id{sep}name{sep}country\nvn-1{sep}A{sep}VN\n", encoding="utf-8")
        with pytest.raises(UnreadableInput, match="delimiter=") as info:
            list(read_register(path))
        assert info.value.line == 1
        assert repr(sep) in str(info.value)

    def test_bad_encoding(self, tmp_path: Path) -> None:
        """A byte that is not UTF-8 gives its line and offset and the encoding= hint."""
        path = tmp_path / "r.csv"
        path.write_bytes(b"id,name,country\nvn-1,A,VN\nvn-2,Caf\xe9,VN\n" + b"vn-3,B,VN\n" * 5000)
        with pytest.raises(UnreadableInput, match="encoding=") as info:
            list(read_register(path))
        assert info.value.line == 3
        assert info.value.offset == len(b"id,name,country\nvn-1,A,VN\nvn-2,Caf")
        items = list(read_register(path, encoding="cp1252"))
        assert len(items) == 5002 and items[1].name == "Café"  # type: ignore[union-attr]

    def test_bad_encoding_jsonl(self, tmp_path: Path) -> None:
        """The same for JSON Lines; an unknown encoding name is an error too."""
        path = tmp_path / "r.jsonl"
        path.write_bytes(b'{"id": "a"}\n{"id": "\xff"}\n')
        with pytest.raises(UnreadableInput) as info:
            list(read_register(path))
        assert info.value.line == 2
        with pytest.raises(UnreadableInput, match="expected a text encoding"):
            list(read_register(path, encoding="no-such-codec"))

    def test_ragged_rows(self, tmp_path: Path) -> None:
        """Rows with more or fewer cells than the header are rejected; others are read."""
        path = tmp_path / "r.csv"
        path.write_text(
            "id,name,country\nvn-1,A,VN\nvn-2,B,VN,extra\nvn-3,C\nvn-4,D,VN\n", encoding="utf-8"
        )
        items = list(read_register(path))
        assert [type(i).__name__ for i in items] == [
            "Organisation",
            "RejectedRow",
            "RejectedRow",
            "Organisation",
        ]
        more, fewer = items[1], items[2]
        assert isinstance(more, RejectedRow) and isinstance(fewer, RejectedRow)
        assert (more.number, fewer.number) == (2, 3)
        assert "got more" in more.errors[0].message and "got fewer" in fewer.errors[0].message
        assert more.raw[None] == "extra"

    def test_huge_cell(self, tmp_path: Path) -> None:
        """A cell above MAX_CELL_CHARS rejects its row (shown truncated); reading goes on."""
        path = tmp_path / "r.csv"
        big = "x" * (MAX_CELL_CHARS + 1)
        path.write_text(f"id,name,country\nvn-1,{big},VN\nvn-2,B,VN\n", encoding="utf-8")
        bad, good = list(read_register(path))
        assert isinstance(bad, RejectedRow) and isinstance(good, Organisation)
        assert bad.id == "vn-1" and bad.errors[0].path == "name"
        assert f"{MAX_CELL_CHARS:,} characters" in bad.errors[0].message
        assert len(bad.raw["name"] or "") < 300

    def test_truncated_json_line(self, tmp_path: Path) -> None:
        """A cut-off JSON line and a non-object line are rejected; the next rows are read."""
        path = tmp_path / "r.jsonl"
        path.write_text(
            '{"id": "a", "name": "A", "country": "VN"}\n'
            '{"id": "b", "name": "B", "coun\n'
            "[1, 2]\n"
            '{"id": "c", "name": "C", "country": "TH"}\n',
            encoding="utf-8",
        )
        items = list(read_register(path))
        assert [getattr(i, "number", None) for i in items if isinstance(i, RejectedRow)] == [2, 3]
        assert [i.id for i in items if isinstance(i, Organisation)] == ["a", "c"]
        assert "expected JSON" in items[1].errors[0].message  # type: ignore[union-attr]
        assert items[1].raw["line"] == '{"id": "b", "name": "B", "coun'  # type: ignore[union-attr]
        assert "expected a JSON object" in items[2].errors[0].message  # type: ignore[union-attr]

    def test_malformed_json_array(self, tmp_path: Path) -> None:
        """A JSON array broken in the middle is a file error with its line."""
        path = tmp_path / "r.json"
        path.write_text(
            '[\n{"id": "a", "name": "A", "country": "VN"},\n{"id": "b",, }\n]', encoding="utf-8"
        )
        with pytest.raises(UnreadableInput) as info:
            list(read_register(path))
        assert info.value.line == 3

    def test_excel_merged_header(self, tmp_path: Path) -> None:
        """Merged header cells are named in the error."""
        path = write_xlsx(
            tmp_path / "m.xlsx", ["id", "name", None, "country"], [["a", "A", "", "VN"]], "B1:C1"
        )
        with pytest.raises(UnreadableInput, match="B1:C1"):
            list(read_register(path))

    def test_excel_empty_header_cell(self, tmp_path: Path) -> None:
        """An unnamed column between named ones is an error naming the cell; trailing
        empty header cells are not columns."""
        path = write_xlsx(tmp_path / "e.xlsx", ["id", None, "country"], [["a", "x", "VN"]])
        with pytest.raises(UnreadableInput, match="B1 empty"):
            list(read_register(path))
        ok = write_xlsx(tmp_path / "t.xlsx", ["id", "name", "country", None], [["a", "A", "VN"]])
        (org,) = organisations(read_register(ok))
        assert org.id == "a"

    def test_excel_unknown_sheet(self, tmp_path: Path) -> None:
        """An unknown sheet lists the sheets there are."""
        path = write_xlsx(tmp_path / "s.xlsx", ["id"], [])
        with pytest.raises(UnreadableInput, match="'register'"):
            list(read_register(path, sheet="Sheet9"))

    def test_duplicate_columns(self, tmp_path: Path) -> None:
        """A column named twice (or mapped twice onto one field) is an error naming both."""
        path = tmp_path / "d.csv"
        path.write_text("id,name,country,name\na,A,VN,B\n", encoding="utf-8")
        with pytest.raises(UnreadableInput, match="'name' in columns 2, 4"):
            list(read_register(path))
        path.write_text("id,name,country,label\na,A,VN,B\n", encoding="utf-8")
        with pytest.raises(UnreadableInput, match="'name' in columns 2, 4"):
            list(read_register(path, columns={"label": "name"}))

    def test_empty_csv_header_name(self, tmp_path: Path) -> None:
        """A CSV column without a name is an error."""
        path = tmp_path / "n.csv"
        path.write_text("id,,country\na,A,VN\n", encoding="utf-8")
        with pytest.raises(UnreadableInput, match="column 2 without one"):
            list(read_register(path))

    def test_duplicate_ids(self, tmp_path: Path) -> None:
        """A repeated id is rejected from its second occurrence; the first is kept."""
        path = tmp_path / "r.csv"
        path.write_text(
            "id,name,country\na,First,VN\nb,B,VN\na,Second,TH\na,Third,KR\n", encoding="utf-8"
        )
        items = list(read_register(path))
        kept = [i for i in items if isinstance(i, Organisation)]
        dupes = [i for i in items if isinstance(i, RejectedRow)]
        assert [o.name for o in kept] == ["First", "B"]
        assert [(d.number, d.id) for d in dupes] == [(3, "a"), (4, "a")]
        assert "first read in row 1" in dupes[0].errors[0].message
        assert dupes[0].raw["name"] == "Second"
        assert len(list(read_register(path, unique_ids=False))) == 4

    def test_not_what_the_name_says(self, tmp_path: Path) -> None:
        """A text file named .parquet or .xlsx is an error, not a crash."""
        pytest.importorskip("pyarrow")
        (tmp_path / "x.parquet").write_text("id,name\n", encoding="utf-8")
        with pytest.raises(UnreadableInput, match="expected a Parquet file"):
            list(read_register(tmp_path / "x.parquet"))
        (tmp_path / "x.xlsx").write_text("id,name\n", encoding="utf-8")
        with pytest.raises(UnreadableInput, match="expected an Excel workbook"):
            list(read_register(tmp_path / "x.xlsx"))

    def test_unknown_format_and_missing_file(self, tmp_path: Path) -> None:
        """An unknown extension names the known ones; a missing file is FileNotFoundError."""
        with pytest.raises(UnreadableInput, match=r"\.csv"):
            format_of("register.dat")
        with pytest.raises(FileNotFoundError, match="no such register file"):
            read_register(tmp_path / "nowhere.csv")
        with pytest.raises(TypeError, match="expected a path"):
            read_register(42)

    def test_missing_extra(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """Without the optional dependency, the error names the extra to install."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        (tmp_path / "x.xlsx").write_bytes(b"")
        with pytest.raises(ImportError, match=r"pip install 'sse-model\[excel\]'"):
            list(read_register(tmp_path / "x.xlsx"))

    def test_bad_rows_file_accounted(self) -> None:
        """Every one of the 7 rows of bad-rows.jsonl is rejected with its line number."""
        items = list(read_register(EXAMPLES / "bad-rows.jsonl"))
        assert all(isinstance(i, RejectedRow) for i in items)
        assert [i.number for i in items] == [1, 2, 3, 4, 5, 6, 7]  # type: ignore[union-attr]
        assert [i.id for i in items] == [  # type: ignore[union-attr]
            "bad-1",
            "bad-2",
            "bad-3",
            "bad-4",
            "bad-5",
            "bad-6",
            None,
        ]
        assert all(i.errors for i in items)  # type: ignore[union-attr]


class TestWriters:
    """Results and rejected rows written in each format, with columns that agree."""

    def test_results_csv_parquet_dataframe_agree(self, tmp_path: Path) -> None:
        """CSV, Parquet and to_dataframe(outcomes=True) have the same columns and values."""
        pq = pytest.importorskip("pyarrow.parquet")
        import sse_model

        orgs = list(itertools.islice(read_register(EXAMPLES / "sample-register.jsonl"), 30))
        results = sse_model.classify_many(
            orgs,  # type: ignore[arg-type]
            ["intl/ilo-2022", "vn/social-enterprise"],
            on=date(2025, 6, 30),
        )
        assert write_results(results, tmp_path / "r.csv") == 60
        assert write_results(results, tmp_path / "r.parquet") == 60
        with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        table = pq.read_table(tmp_path / "r.parquet")
        frame = to_dataframe(results, outcomes=True)
        assert list(rows[0]) == table.column_names == list(frame.columns)
        assert any(c.startswith("criterion.ilo-") for c in rows[0])
        assert [r["verdict"] for r in rows] == table.column("verdict").to_pylist()
        assert [r["verdict"] for r in rows] == list(frame["verdict"].astype(str))
        missing = table.column("missing_facts").to_pylist()
        assert [r["missing_facts"] for r in rows] == ["; ".join(m) for m in missing]
        assert any(missing)
        vn_only = rows[0]["criterion.vn-se-enterprise"]
        assert rows[0]["profile_id"] == "intl/ilo-2022" and vn_only == ""

    def test_results_jsonl_and_errors(self) -> None:
        """JSON Lines holds the full result; format= is required for open files."""
        import sse_model

        org = next(iter(read_register(EXAMPLES / "sample-register.jsonl")))
        result = sse_model.classify(org, "intl/ilo-2022", on=date(2025, 6, 30))  # type: ignore[arg-type]
        buf = io.StringIO()
        assert write_results([result], buf, format="jsonl") == 1
        assert json.loads(buf.getvalue())["criteria"][0]["citation"]
        with pytest.raises(ValueError, match="format="):
            write_results([result], io.StringIO())
        with pytest.raises(ValueError, match="ending in"):
            write_results([result], "results.txt")

    def test_rejected_report(self, tmp_path: Path) -> None:
        """Rejected rows as JSON Lines: row, id, errors with path and message, raw row."""
        items = read_register(EXAMPLES / "bad-rows.jsonl")
        rejected = [i for i in items if isinstance(i, RejectedRow)]
        assert write_rejected(rejected, tmp_path / "e.jsonl") == 7
        records = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
        assert [r["row"] for r in records] == [1, 2, 3, 4, 5, 6, 7]
        assert records[0]["errors"][0]["path"] == "governance.largest_member_capital_share"
        assert "12 kg" in records[0]["raw"]["line"]


# --- hostile registers --------------------------------------------------------------------

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>%s</Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/>%s</Relationships>'
    ),
}
_SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SST_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)


def xml_row(n: int, values: list[Any], first_col: str = "A") -> str:
    """A sheet XML ``<row>`` with inline strings or numbers from column *first_col* on."""
    cells = []
    for i, v in enumerate(values):
        ref = f"{chr(ord(first_col) + i)}{n}"
        if isinstance(v, int | float):
            cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
    return f'<row r="{n}">' + "".join(cells) + "</row>"


def hand_xlsx(path: Path, rows: list[str], *, head: str = "", sst: str | None = None) -> Path:
    """A minimal .xlsx written by hand, so that hostile XML can be placed in it."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, template in _XLSX_PARTS.items():
            part = template
            if "%s" in template:
                extra = (_SST_TYPE if "Types" in template else _SST_REL) if sst is not None else ""
                part = template % extra
            z.writestr(name, part)
        z.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            f'openxmlformats.org/spreadsheetml/2006/main">{head}<sheetData>'
            + "".join(rows)
            + "</sheetData></worksheet>",
        )
        if sst is not None:
            z.writestr("xl/sharedStrings.xml", sst)
    return path


HEAD3 = xml_row(1, ["id", "name", "country"])
ROW = '{{"id": "{0}", "name": "N", "country": "FR"}}'


def messages(item: Any) -> list[str]:
    assert isinstance(item, RejectedRow), item
    return [e.message for e in item.errors]


class TestHostileJSON:
    """JSON Lines and JSON registers are parsed with the protections of from_json."""

    BAD: ClassVar[dict[str, tuple[str, str]]] = {
        "deep": ('{"id": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested a few levels deep"),
        "huge-int": (
            '{"id": "x", "name": "N", "country": "FR", "governance": {"members": '
            + "9" * 5000
            + "}}",
            "at most 4,300 digits",
        ),
        "duplicate-key": (
            '{"id": "x", "name": "N", "country": "XX", "country": "FR"}',
            "'country' more than once",
        ),
        "surrogate": ('{"id": "\\ud800", "name": "N", "country": "FR"}', "lone UTF-16 surrogates"),
        "surrogate-key": ('{"id": "x", "name": "N", "country": "FR", "\\udfff": 1}', "surrogates"),
    }

    @pytest.mark.parametrize("case", sorted(BAD))
    def test_jsonl_bad_line_is_a_rejected_row(self, tmp_path: Path, case: str) -> None:
        """Deep nesting, a huge integer, a repeated key or a lone surrogate rejects that
        line only; the lines after it are read."""
        line, message = self.BAD[case]
        path = tmp_path / "r.jsonl"
        path.write_text(f"{ROW.format('a')}\n{line}\n{ROW.format('b')}\n", encoding="utf-8")
        first, bad, last = read_register(path)
        assert isinstance(first, Organisation) and isinstance(last, Organisation)
        assert bad.number == 2 and any(message in m for m in messages(bad))  # type: ignore[union-attr]

    @pytest.mark.parametrize("case", sorted(BAD))
    def test_json_bad_element_is_a_rejected_row(self, tmp_path: Path, case: str) -> None:
        """The same inside a JSON array: that element is rejected, the next ones read."""
        line, message = self.BAD[case]
        path = tmp_path / "r.json"
        path.write_text(f"[{ROW.format('a')},\n {line} ,\n{ROW.format('b')}]", encoding="utf-8")
        first, bad, last = read_register(path)
        assert isinstance(first, Organisation) and isinstance(last, Organisation)
        assert (first.id, last.id) == ("a", "b")
        assert bad.number == 2 and any(message in m for m in messages(bad))  # type: ignore[union-attr]

    def test_surrogate_in_python_data(self) -> None:
        """A lone surrogate in a text field of Python data is a row error too."""
        (bad,) = read_register([{"id": "a", "name": "x\udc80", "country": "FR"}])
        assert isinstance(bad, RejectedRow) and bad.errors[0].path == "name"
        assert "surrogate" in bad.errors[0].message

    def test_bare_cr_is_whitespace(self, tmp_path: Path) -> None:
        """A bare CR inside a JSON Lines record is JSON whitespace: records end at LF only."""
        path = tmp_path / "r.jsonl"
        path.write_bytes(
            b'{"id": "a",\r "name": "A", "country": "FR"}\r\n{"id": "b", "name": "B", "country": "FR"}\n'
        )
        assert [o.id for o in organisations(read_register(path))] == ["a", "b"]

    def test_single_object_read_by_doubling(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A .json holding one big object is read in few, growing reads (linear time),
        not by re-scanning a buffer grown by a fixed step."""
        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "_READ_CHARS", 16)
        reads: list[int] = []
        opener = readers._open_text

        def counting(*args: Any, **kwargs: Any) -> Any:
            f = opener(*args, **kwargs)
            read = f.read

            def tracked(n: int = -1) -> str:
                reads.append(n)
                return read(n)

            f.read = tracked  # type: ignore[method-assign]
            return f

        monkeypatch.setattr(readers, "_open_text", counting)
        path = tmp_path / "one.json"
        path.write_text(
            '{"id": "a", "name": "N", "country": "FR", "registration": '
            '{"number": "' + "7" * 9000 + '"}}',
            encoding="utf-8",
        )
        (org,) = organisations(read_register(path))
        assert org.registration.number == "7" * 9000
        assert len(reads) < 20 and max(reads) < 20_000

    def test_json_value_cap(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """One JSON value above MAX_JSON_VALUE_CHARS is refused, with the limit."""
        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "MAX_JSON_VALUE_CHARS", 5_000)
        path = tmp_path / "one.json"
        path.write_text('{"id": "a", "name": "' + "y" * 50_000 + '", "country": "FR"}')
        with pytest.raises(UnreadableInput, match="at most 5,000 characters"):
            list(read_register(path))
        path.write_text("[" + ROW.format("a") + ', {"id": "' + "y" * 50_000 + '"}]')
        with pytest.raises(UnreadableInput, match="at most 5,000 characters"):
            list(read_register(path))


class TestBounds:
    """A small hostile file cannot make the readers hold gigabytes or run for hours."""

    def test_long_line_in_gzip_is_never_held(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A JSON Lines (gzip) line above the cap is rejected without being read whole."""
        import tracemalloc

        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "MAX_CELL_CHARS", 1_000)
        path = tmp_path / "r.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(
                ROW.format("a") + '\n{"id": "' + "x" * 10_000_000 + '"}\n' + ROW.format("b") + "\n"
            )
        list(read_register([{"id": "w", "name": "W", "country": "FR"}]))  # converter built
        tracemalloc.start()
        try:
            items = list(read_register(path))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert [type(i).__name__ for i in items] == ["Organisation", "RejectedRow", "Organisation"]
        assert "at most 1,000 characters, got 10,000,010" in messages(items[1])[0]
        assert peak < 2_000_000  # the 10 MB line never sat in memory

    def test_long_csv_line(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A CSV line above MAX_LINE_CHARS rejects its row (with its line); reading goes on."""
        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "MAX_LINE_CHARS", 1_000)
        path = tmp_path / "r.csv.gz"
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write("id,name,country\na,A,FR\nb," + "x" * 100_000 + ",FR\nc,C,FR\n")
        items = list(read_register(path))
        assert [type(i).__name__ for i in items] == ["Organisation", "RejectedRow", "Organisation"]
        assert "expected a line of at most 1,000 characters" in messages(items[1])[0]
        assert "(line 3)" in messages(items[1])[0]

    def test_gzip_decompression_cap(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A gzip register that decompresses beyond its cap is refused (a zip bomb)."""
        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "MAX_GZIP_BYTES", 100_000)
        path = tmp_path / "r.csv.gz"
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write("id,name,country\n" + "\n" * 1_000_000)
        with pytest.raises(UnreadableInput, match="decompresses to at most"):
            list(read_register(path))

    def test_excel_row_index_bomb(self, tmp_path: Path) -> None:
        """A row numbered 10**12 (a few KB) stops reading at once, after the rows before it."""
        import time

        path = hand_xlsx(
            tmp_path / "gap.xlsx",
            [HEAD3, xml_row(2, ["a", "A", "FR"]), xml_row(10**12, ["b", "B", "FR"])],
        )
        start = time.perf_counter()
        items = read_register(path)
        assert next(items).id == "a"  # type: ignore[union-attr]
        with pytest.raises(UnreadableInput, match="at most 1,048,576 rows"):
            next(items)
        assert time.perf_counter() - start < 5

    def test_excel_column_beyond_xfd(self, tmp_path: Path) -> None:
        """A cell beyond Excel's 16,384 columns makes the file unreadable, not huge rows."""
        row = '<row r="2"><c r="XFE2"><v>1</v></c></row>'
        path = hand_xlsx(tmp_path / "wide.xlsx", [HEAD3, row])
        with pytest.raises(UnreadableInput, match="at most 16,384 columns"):
            list(read_register(path))

    def test_excel_dimension_is_not_padding(self, tmp_path: Path) -> None:
        """A dimension claiming 16,384 columns changes nothing: rows hold their cells only."""
        rows = [HEAD3, *(xml_row(n, [f"i{n}", "N", "FR"]) for n in range(2, 5))]
        plain = hand_xlsx(tmp_path / "plain.xlsx", rows)
        wide = hand_xlsx(tmp_path / "wide.xlsx", rows, head='<dimension ref="A1:XFD20001"/>')
        assert [o.id for o in read_register(wide)] == [o.id for o in read_register(plain)]

    @pytest.mark.parametrize("where", ["shared", "inline"])
    def test_excel_huge_string_refused_before_openpyxl(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
    ) -> None:
        """A huge shared or inline string is refused before openpyxl allocates it."""
        openpyxl = pytest.importorskip("openpyxl")
        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "MAX_XML_RUN_BYTES", 10_000)
        big = "y" * 50_000
        if where == "shared":
            sst = (
                '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{big}</t></si></sst>'
            )
            path = hand_xlsx(tmp_path / "s.xlsx", [HEAD3, xml_row(2, ["a", "A", "FR"])], sst=sst)
        else:
            path = hand_xlsx(tmp_path / "i.xlsx", [HEAD3, xml_row(2, ["a", big, "FR"])])

        def never(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("openpyxl was asked to read the file")

        monkeypatch.setattr(openpyxl, "load_workbook", never)
        with pytest.raises(UnreadableInput, match="run of more than 10,000 bytes"):
            list(read_register(path))

    def test_xlsx_declared_size_cap(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Members declaring more decompressed bytes than MAX_XLSX_BYTES are refused."""
        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "MAX_XLSX_BYTES", 1_000)
        path = hand_xlsx(tmp_path / "b.xlsx", [HEAD3, xml_row(2, ["a", "A", "FR"])])
        with pytest.raises(UnreadableInput, match="at most 1,000 bytes once decompressed"):
            list(read_register(path))

    def test_parquet_chunk_cap(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A Parquet column chunk declared above the cap is refused before it is read."""
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "MAX_PARQUET_CHUNK_BYTES", 10_000)
        path = tmp_path / "b.parquet"
        pq.write_table(
            pa.table({"id": ["a"], "name": ["z" * 100_000], "country": ["FR"]}),
            path,
            compression="zstd",
        )
        assert path.stat().st_size < 5_000
        with pytest.raises(UnreadableInput, match="column 'name' of row group 0"):
            list(read_register(path))


class TestCsvQuotes:
    """An unterminated quote is named, with the line where its cell started."""

    def test_unclosed_quote(self, tmp_path: Path) -> None:
        """The rest of the file folded into one cell is reported as a quote problem."""
        path = tmp_path / "q.csv"
        path.write_text('id,name,country\na,A,FR\nb,"B,FR\nc,C,FR\nd,D,FR\n', encoding="utf-8")
        good, bad = read_register(path)
        assert isinstance(good, Organisation)
        (message,) = messages(bad)
        assert "got fewer" in message and "quote" in message
        assert "opens on line 3" in message and bad.errors[0].path == "name"  # type: ignore[union-attr]

    def test_row_numbers_keep_counting_blank_lines(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Row numbers count blank lines and over-long lines, as they always have."""
        import sse_model._io._readers as readers

        monkeypatch.setattr(readers, "MAX_LINE_CHARS", 100)
        path = tmp_path / "n.csv"
        path.write_text(
            "id,name,country\na,A,FR\n\nb," + "x" * 200 + ",FR\nc,C,XX\n", encoding="utf-8"
        )
        a, long, c = read_register(path)
        assert isinstance(a, Organisation)
        assert (long.number, c.number) == (3, 4)  # type: ignore[union-attr]


class TestExcelContent:
    """Excel files are read the way a person sees them, or the row says why not."""

    def test_first_visible_sheet(self, tmp_path: Path) -> None:
        """By default the first visible sheet is read, not a hidden one before it."""
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Visible"
        ws.append(["id", "name", "country"])
        ws.append(["v1", "V", "FR"])
        hidden = wb.create_sheet("Hidden", 0)
        hidden.sheet_state = "hidden"
        hidden.append(["id", "name", "country"])
        hidden.append(["h1", "H", "FR"])
        wb.save(tmp_path / "h.xlsx")
        assert [o.id for o in read_register(tmp_path / "h.xlsx")] == ["v1"]
        assert [o.id for o in read_register(tmp_path / "h.xlsx", sheet=0)] == ["h1"]

    def test_formula_without_cached_value(self, tmp_path: Path) -> None:
        """A formula saved without its result is a row error that says so."""
        row = (
            '<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2" t="inlineStr">'
            '<is><t>A</t></is></c><c r="C2" t="inlineStr"><is><t>FR</t></is></c>'
            '<c r="D2"><f>2+3</f></c></row>'
        )
        head = xml_row(1, ["id", "name", "country", "governance.members"])
        (bad,) = read_register(hand_xlsx(tmp_path / "f.xlsx", [head, row]))
        assert isinstance(bad, RejectedRow) and bad.errors[0].path == "governance.members"
        assert "formula saved without its result" in bad.errors[0].message

    def test_merged_data_cells(self, tmp_path: Path) -> None:
        """An empty cell hidden by a merge is reported as merged, naming the range."""
        path = write_xlsx(
            tmp_path / "m.xlsx",
            ["id", "name", "country"],
            [["a", "A", "FR"], ["b", None, "FR"]],
            "B2:B3",
        )
        good, bad = read_register(path)
        assert isinstance(good, Organisation)
        assert isinstance(bad, RejectedRow) and bad.errors[0].path == "name"
        assert "merged into B2:B3" in bad.errors[0].message

    def test_numeric_id_beyond_15_digits(self, tmp_path: Path) -> None:
        """A numeric id Excel cannot hold exactly is a row error, not float text."""
        path = hand_xlsx(
            tmp_path / "n.xlsx",
            [
                HEAD3,
                xml_row(2, [12345678901234567890, "A", "FR"]),
                xml_row(3, [123456789012345, "B", "FR"]),
            ],
        )
        bad, good = read_register(path)
        assert isinstance(bad, RejectedRow)
        assert "more than 15 significant digits" in bad.errors[0].message
        assert isinstance(good, Organisation) and good.id == "123456789012345"


class TestFlatRowRoundTrip:
    """to_flat_row either refuses what a row cannot hold, or its row reads back the same."""

    @settings(max_examples=60, deadline=None)
    @given(org=st_organisations())
    def test_law(self, tmp_path_factory: pytest.TempPathFactory, org: Organisation) -> None:
        """For every organisation: to_flat_row raises InvalidInput, or writing its row to
        CSV and reading it back gives the same organisation."""
        from sse_model import InvalidInput, to_json

        refused: InvalidInput | None = None
        try:
            row = to_flat_row(org)
        except InvalidInput as e:
            refused = e
        if refused is not None:
            assert all(
                "one certification of each kind" in x.message
                or "not blank" in x.message
                or "names its own column" in x.message
                or "besides its kind" in x.message
                or "at least one known fact" in x.message
                for x in refused.errors
            )
            return
        path = tmp_path_factory.mktemp("rt") / "r.csv"
        write_csv(path, list(row), [row])
        (back,) = read_register(path)
        assert isinstance(back, Organisation), back
        assert to_json(back) == to_json(org)

    def test_refusals(self) -> None:
        """Two certifications of one kind and a blank name are refused, with their paths."""
        from sse_model import InvalidInput, from_json

        two = from_json(
            '{"id": "e", "name": "N", "country": "FR", "certifications": [{"kind": "a", '
            '"granted_on": "2020-01-01"}, {"kind": "a", "granted_on": "2021-01-01"}]}',
            Organisation,
        )
        with pytest.raises(InvalidInput) as info:
            to_flat_row(two)
        assert info.value.errors[0].path == "certifications[1].kind"
        blank = from_json('{"id": "e", "name": "  ", "country": "FR"}', Organisation)
        with pytest.raises(InvalidInput) as info:
            to_flat_row(blank)
        assert info.value.errors[0].path == "name"

    def test_kind_with_dots(self, tmp_path: Path) -> None:
        """A certification kind containing '.' reads back as the same kind."""
        from sse_model import from_json, to_json

        org = from_json(
            '{"id": "e", "name": "N", "country": "FR", "certifications": [{"kind": "iso.9001", '
            '"granted_on": "2020-01-01", "issuer": "X"}]}',
            Organisation,
        )
        row = to_flat_row(org)
        (back,) = read_register(write_csv(tmp_path / "r.csv", list(row), [row]))
        assert to_json(back) == to_json(org)
