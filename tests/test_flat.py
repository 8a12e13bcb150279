"""Flat registers (CSV): the column vocabulary, and no row lost."""

import io
from fractions import Fraction
from pathlib import Path

from sse_model import Organisation
from sse_model._cli import main
from sse_model._io._flat import RejectedRow, Row, read_csv, rows_to_organisations

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
