"""Flat registers (CSV): the column vocabulary, and no row lost."""

import io
from fractions import Fraction
from pathlib import Path

import pytest

from sse_model import Organisation, UnreadableInput, read_register
from sse_model._cli import main
from sse_model._io._flat import RejectedRow, Row, column_conflicts, read_csv, rows_to_organisations

HEADER = "id,name,country,legal_form,purpose.social,governance.members,governance.foreign_capital_share[%],fiscal_year,finances.profit_after_tax,finances.reinvested\n"


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    f = tmp_path / "register.csv"
    f.write_text(header + body, encoding="utf-8")
    return f


class TestVocabulary:
    """Columns are the model's field paths; units may sit in the column name."""

    def test_row_to_organisation(self, tmp_path: Path) -> None:
        """A complete row becomes an organisation with exact values."""
        f = write(tmp_path, "vn-1,Green,VN,vn/jsc,yes,12,20,2024,1000,510\n")
        (org,) = list(rows_to_organisations(read_csv(f), currency="VND"))
        assert isinstance(org, Organisation)
        assert org.purpose.social is True
        assert org.governance.foreign_capital_share == Fraction(1, 5)
        assert org.finances[0].year == 2024
        assert org.finances[0].reinvested_share == Fraction(51, 100)

    def test_empty_cells_are_unknown(self, tmp_path: Path) -> None:
        """An empty cell is unknown, never zero or false."""
        f = write(tmp_path, "vn-2,Blank,VN,,,,,,,\n")
        (org,) = list(rows_to_organisations(read_csv(f)))
        assert isinstance(org, Organisation)
        assert org.purpose.social is None and org.governance.members is None and org.finances == ()

    def test_column_mapping(self) -> None:
        """The user's column names are mapped onto the vocabulary."""
        rows = [Row(1, {"ID": "th-1", "Name": "Coop", "Country": "TH", "Members": "40"})]
        mapping = {
            "ID": "id",
            "Name": "name",
            "Country": "country",
            "Members": "governance.members",
        }
        (org,) = list(rows_to_organisations(rows, columns=mapping))
        assert isinstance(org, Organisation) and org.governance.members == 40


class TestRejectedRows:
    """Every bad row is reported with row number, path, message and raw value."""

    def test_reconciles(self, tmp_path: Path) -> None:
        """Good and bad rows add up; the CLI writes every rejected row."""
        f = write(
            tmp_path,
            "vn-1,Ok,VN,vn/jsc,yes,12,20,2024,1000,510\n"
            "vn-2,Bad,XX,vn/jsc,maybe,-1,20,2024,1000,510\n"
            "vn-3,Short,VN\n"
            "vn-4,Ok,VN,vn/llc,no,3,,,,\n",
        )
        items = list(rows_to_organisations(read_csv(f), currency="VND"))
        assert [type(i).__name__ for i in items] == [
            "Organisation",
            "RejectedRow",
            "RejectedRow",
            "Organisation",
        ]
        bad = items[1]
        assert isinstance(bad, RejectedRow)
        assert {e.path for e in bad.errors} == {"country", "purpose.social", "governance.members"}
        errors = tmp_path / "errors.jsonl"
        err = io.StringIO()
        code = main(
            ["validate", str(f), "--currency", "VND", "--errors", str(errors)], io.StringIO(), err
        )
        assert code == 1
        assert "rows read: 4; valid: 2; rejected: 2 (2 + 2 = 4)" in err.getvalue()
        text = errors.read_text(encoding="utf-8")
        assert '"raw": "maybe"' in text and "fewer" in text

    def test_amount_without_year(self) -> None:
        """A per-year amount without a fiscal_year column is an error, not a guess."""
        (item,) = list(
            rows_to_organisations(
                [Row(1, {"id": "a", "name": "A", "country": "VN", "finances.revenue": "5 VND"})]
            )
        )
        assert isinstance(item, RejectedRow)
        assert item.errors[0].path == "finances.revenue"


class TestConflicts:
    """Two columns that set one field (or a field and its part) are refused, never merged."""

    @pytest.mark.parametrize(
        ("header", "first", "second"),
        [
            ("id,name,country,governance,governance.members", "governance", "governance.members"),
            ("id,name,country,id.x", "id", "id.x"),
            (
                "id,name,country,governance.foreign_capital_share,governance.foreign_capital_share[%]",
                "governance.foreign_capital_share",
                "governance.foreign_capital_share[%]",
            ),
            (
                "id,name,country,certification.a,certification.a.granted_on",
                "certification.a",
                "certification.a.granted_on",
            ),
        ],
    )
    def test_header(self, tmp_path: Path, header: str, first: str, second: str) -> None:
        """A tabular header with such columns is UnreadableInput naming both (no TypeError)."""
        f = write(tmp_path, "a,A,FR" + ",1" * (header.count(",") - 2) + "\n", header=header + "\n")
        with pytest.raises(UnreadableInput) as info:
            list(read_register(f))
        assert f"columns {first!r} and {second!r}" in str(info.value)
        assert info.value.line == 1

    def test_header_after_mapping(self, tmp_path: Path) -> None:
        """The check runs on the mapped names: a mapping onto a field's part is refused."""
        f = write(tmp_path, "a,A,FR,3,4\n", header="id,name,country,governance.members,m\n")
        with pytest.raises(UnreadableInput, match=r"columns 'm' and 'governance\.members'"):
            list(read_register(f, columns={"m": "governance"}))

    def test_json_flat_keys(self, tmp_path: Path) -> None:
        """The same keys in one JSON object are a row error naming both; the next row is read."""
        f = tmp_path / "r.jsonl"
        f.write_text(
            '{"id": "a", "name": "A", "country": "FR", "governance": "x", "governance.members": 3}\n'
            '{"id": "b", "name": "B", "country": "FR", "governance.foreign_capital_share": 0.9,'
            ' "governance.foreign_capital_share[%]": 10}\n'
            '{"id": "c", "name": "C", "country": "FR", "governance": {"members": 2},'
            ' "governance.members": 3}\n'
            '{"id": "d", "name": "D", "country": "FR"}\n',
            encoding="utf-8",
        )
        a, b, c, d = read_register(f)
        for bad in (a, b, c):
            assert isinstance(bad, RejectedRow)
            assert any("expected each field in one column only" in e.message for e in bad.errors)
        assert isinstance(d, Organisation)

    def test_one_year_and_year_columns(self, tmp_path: Path) -> None:
        """finances.f with fiscal_year Y and finances.Y.f in one row: a row error, not 999."""
        f = write(
            tmp_path,
            "a,A,FR,EUR,2024,100,999\nb,B,FR,EUR,2023,100,999\n",
            header="id,name,country,currency,fiscal_year,finances.revenue,finances.2024.revenue\n",
        )
        bad, good = read_register(f)
        assert isinstance(bad, RejectedRow)
        assert "'finances.revenue' and 'finances.2024.revenue'" in bad.errors[0].message
        assert isinstance(good, Organisation) and len(good.finances) == 2

    def test_conflicts_function(self) -> None:
        """column_conflicts is the one check both lanes share (names as in the file)."""
        assert column_conflicts(["a", "x", "x[%]"]) == [("x", "x[%]")]
        assert column_conflicts(["id", "currency", "fiscal_year", "name"]) == []
        assert column_conflicts(["certification.iso.9001", "certification.iso.9001.issuer"]) == []

    def test_struct_columns_by_their_fields(self) -> None:
        """An Arrow struct column is checked by its fields: governance{voting_rule} beside
        governance.members is fine, governance{members} beside it is refused."""
        pa = pytest.importorskip("pyarrow")
        base = {"id": ["a"], "name": ["A"], "country": ["FR"], "governance.members": [3]}
        ok = pa.table({**base, "governance": [{"voting_rule": "one_member_one_vote"}]})
        (org,) = read_register(ok)
        assert isinstance(org, Organisation) and org.governance.members == 3
        clash = pa.table({**base, "governance": [{"members": 4}]})
        with pytest.raises(
            UnreadableInput, match=r"'governance\.members' and 'governance\.members'"
        ):
            list(read_register(clash))
