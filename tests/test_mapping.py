"""Register mappings: reading a register as it was published (sse_model._io._mapping)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sse_model as s
from sse_model import ColumnsNotMapped, InvalidInput, RejectedRow, UnreadableInput
from sse_model._cli import main
from sse_model._io._mapping import Mapper, read_yearly
from sse_model._model._declare import Kind
from sse_model._model._schema import columns_of
from sse_model.testing import organisations

ON = date(2025, 6, 30)
PROFILES = ["intl/ilo-2022", "vn/social-enterprise", "gb/cic"]

FULL = """
title = "A register as published"
unknown = ["N/a", "-"]
date = "%d/%m/%Y"
currency = "GBP"
country = "GB"
ignore = ["Street", "SIC*"]
set = { country = "GB" }

[columns]
Code = "id"
"Registered Name" = "name"
"Incorporated" = "registration.registered_on"

[columns."Legal Form"]
to = "legal_form"
lookup = "legal-form"
values = { Company = "", "Soc." = "gb/registered-society" }

[columns.Nation]
to = "subdivision"
values = { England = "GB-ENG", Jersey = { country = "JE", subdivision = "" } }

[columns.Members]
to = "governance.members"
thousands = ","

[finances]
id = "Code"
year_end = "Year End"
date = "%Y-%m-%d"
ignore = ["Name"]
[finances.columns]
Turnover = "revenue"
[finances.latest]
Staff = "workforce.paid_workers"
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows([[r.get(c, "") for c in columns] for r in rows])
    return _write(path, buf.getvalue())


def _verdicts(result: s.RegisterResult) -> list[tuple[Any, ...]]:
    return sorted(
        (r["row"], r["organisation_id"], r["profile_id"], r["verdict"])
        for r in result.table.to_pylist()
    )


class TestLoading:
    def test_a_whole_mapping_file_loads(self, tmp_path: Path) -> None:
        """Every section of a mapping file becomes its typed value."""
        m = s.load_mapping(_write(tmp_path / "m.toml", FULL))
        assert m.columns["Code"].to == "id"
        assert m.columns["Legal Form"].lookup == "legal-form"
        assert m.columns["Nation"].values["Jersey"] == {"country": "JE", "subdivision": ""}
        assert m.columns["Members"].thousands == ","
        assert m.unknown == ("N/a", "-")
        assert m.date == ("%d/%m/%Y",)
        assert m.ignore == ("Street", "SIC*")
        assert m.finances is not None and m.finances.year_end == "Year End"
        assert m.finances.columns["Turnover"].to == "revenue"
        assert m.finances.latest["Staff"].to == "workforce.paid_workers"

    def test_every_problem_is_reported_with_its_path(self) -> None:
        """A bad mapping lists all its problems at once, each at its path, with close
        vocabulary names for a misspelt column."""
        with pytest.raises(InvalidInput) as info:
            s.load_mapping(
                {
                    "columns": {
                        "Name": "nmae",
                        "Form": {"to": "legal_form", "lookup": "legal-forms"},
                        "Members": {"to": "governance.members", "decimal": ",,"},
                        "Money": {"to": "finances.revenue", "currency": "pounds"},
                    },
                    "date": "dd/mm/yyyy",
                }
            )
        problems = {e.path: e.message for e in info.value.errors}
        assert "did you mean 'name'" in problems["columns.Name.to"]
        assert problems["columns.Form.lookup"].startswith("expected one of legal-form, ")
        assert "one character" in problems["columns.Members.decimal"]
        assert "ISO 4217" in problems["columns.Money.currency"]
        assert "strptime" in problems["date"]

    def test_unknown_keys_and_wrong_types_are_refused(self) -> None:
        """A misspelt key or a value of the wrong type is an error at its path."""
        with pytest.raises(InvalidInput) as info:
            s.load_mapping({"columns": {"X": {"to": "name", "valus": {}}, "Y": 3}, "colour": 1})
        paths = {e.path for e in info.value.errors}
        assert {"columns.X", "columns.Y", ""} <= paths

    def test_the_plain_form_is_a_table_of_columns(self) -> None:
        """A file of only ``theirs = "ours"`` pairs is read as its ``[columns]``."""
        m = s.load_mapping({"Members": "governance.members"})
        assert m.columns["Members"].to == "governance.members"

    def test_a_json_key_given_twice_is_unreadable(self, tmp_path: Path) -> None:
        """JSON mappings refuse a repeated key rather than keep the last."""
        path = _write(tmp_path / "m.json", '{"columns": {"A": "id", "A": "name"}}')
        with pytest.raises(UnreadableInput, match="given twice"):
            s.load_mapping(path)

    def test_the_json_schema_accepts_what_loads_and_refuses_what_does_not(
        self, tmp_path: Path
    ) -> None:
        """The published JSON Schema agrees with the loader on the file's structure."""
        jsonschema = pytest.importorskip("jsonschema")
        import tomllib

        schema = s.mapping_schema()
        jsonschema.Draft202012Validator.check_schema(schema)
        good = tomllib.loads(FULL)
        jsonschema.validate(good, schema)
        s.load_mapping(good)
        examples = Path(__file__).parent.parent / "examples" / "real-registers"
        for path in sorted(examples.glob("*.toml")):
            jsonschema.validate(tomllib.loads(path.read_text("utf-8")), schema)
            s.load_mapping(path)
        for bad in (
            {"columns": {"X": {"valus": {}}}},
            {"colour": 1},
            {"finances": {"id": "x"}},
            {"columns": {"X": 3}},
        ):
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(bad, schema)
            with pytest.raises(InvalidInput):
                s.load_mapping(bad)


class TestHeader:
    def test_unknown_columns_are_refused_before_any_row_is_read(self, tmp_path: Path) -> None:
        """A column neither mapped, ignored nor in the vocabulary refuses the whole
        table at its header, naming every such column with close matches."""
        path = _csv(
            tmp_path / "r.csv",
            [{"id": "a", "name": "A", "country": "FR", "Legal Form": "x", "Colour": "red"}],
        )
        with pytest.raises(ColumnsNotMapped) as info:
            next(iter(s.read_register(path)))
        assert info.value.unknown["Legal Form"][0] == "legal_form"
        assert set(info.value.unknown) == {"Legal Form", "Colour"}
        with pytest.raises(ColumnsNotMapped):
            s.classify_file(path, "intl/ilo-2022", output=tmp_path / "out.csv")
        assert not (tmp_path / "out.csv").exists()

    def test_a_mapped_column_the_file_lacks_is_an_error(self, tmp_path: Path) -> None:
        """A mapping naming a column the header does not have is refused (a typo in
        the mapping would otherwise drop the column silently)."""
        path = _csv(tmp_path / "r.csv", [{"id": "a", "name": "A", "country": "FR"}])
        mapping = s.RegisterMapping.renames({"Members": "governance.members"})
        with pytest.raises(ColumnsNotMapped) as info:
            list(s.read_register(path, columns=mapping))
        assert info.value.unused == ("Members",)

    def test_ignored_columns_are_read_as_absent(self, tmp_path: Path) -> None:
        """Names and shell patterns in ``ignore`` drop their columns, in both lanes."""
        rows = [{"id": "a", "name": "A", "country": "FR", "SIC 1": "x", "SIC 2": "y", "Note": ""}]
        path = _csv(tmp_path / "r.csv", rows)
        mapping = s.load_mapping({"ignore": ["SIC*", "Note"]})
        (org,) = s.read_register(path, columns=mapping)
        assert isinstance(org, s.Organisation) and org.id == "a"
        result = s.classify_table(
            pa.table({k: [v] for k, v in rows[0].items()}), "intl/ilo-2022", columns=mapping
        )
        assert result.summary.classified == 1

    def test_two_columns_onto_one_vocabulary_column_are_refused(self, tmp_path: Path) -> None:
        """Each vocabulary column is set by one column of the register."""
        path = _csv(
            tmp_path / "r.csv", [{"id": "a", "Name": "A", "Trading": "B", "country": "FR"}]
        )
        mapping = s.RegisterMapping.renames({"Name": "name", "Trading": "name"})
        with pytest.raises(UnreadableInput, match="set by 'Name' and 'Trading'"):
            list(s.read_register(path, columns=mapping))

    def test_records_are_checked_one_by_one(self) -> None:
        """Records have no header: a key the mapping does not know rejects its record."""
        mapping = s.load_mapping({"columns": {"Code": "id"}})
        records = [
            {"Code": "a", "name": "A", "country": "FR"},
            {"Code": "b", "name": "B", "country": "FR", "Colur": "red"},
        ]
        out = list(s.read_register(records, columns=mapping))
        assert isinstance(out[0], s.Organisation)
        assert isinstance(out[1], RejectedRow) and out[1].errors[0].path == "Colur"


class TestCells:
    def _one(self, mapping: dict[str, Any], **cells: str) -> s.Organisation | RejectedRow:
        base = {"id": "a", "name": "A", "country": "GB"}
        (got,) = s.read_register([{**base, **cells}], columns=s.load_mapping(mapping))
        return got

    def test_value_maps_ignore_case_and_spaces(self) -> None:
        """A label matches its value map whatever its case and surrounding spaces."""
        m = {
            "columns": {"Form": {"to": "legal_form", "values": {"Soc.": "gb/registered-society"}}}
        }
        got = self._one(m, Form="  SOC. ")
        assert isinstance(got, s.Organisation) and got.legal_form == "gb/registered-society"

    def test_placeholders_are_unknown(self) -> None:
        """A placeholder (file-wide or per column) is unknown, never a value."""
        m = {
            "unknown": ["N/a"],
            "columns": {"Members": {"to": "governance.members", "unknown": ["not given"]}},
        }
        for text in ("N/a", "n/A", "not given", ""):
            got = self._one(m, Members=text)
            assert isinstance(got, s.Organisation) and got.governance.members is None

    def test_a_label_sets_several_columns(self) -> None:
        """A value map entry may be a table of vocabulary cells."""
        m = {
            "columns": {
                "Nation": {
                    "to": "subdivision",
                    "values": {"Wales": {"country": "GB", "subdivision": "GB-WLS"}},
                }
            }
        }
        base = {"id": "a", "name": "A"}
        (got,) = s.read_register([{**base, "Nation": "Wales"}], columns=s.load_mapping(m))
        assert isinstance(got, s.Organisation)
        assert (got.country, got.subdivision) == ("GB", "GB-WLS")

    def test_lookups_read_labels_and_report_what_they_do_not_know(self) -> None:
        """A built-in lookup reads known labels; an unknown one rejects its row with
        the column and the text, and is counted once for the report."""
        mapping = s.load_mapping(
            {"country": "GB", "columns": {"Form": {"to": "legal_form", "lookup": "legal-form"}}}
        )
        mapper = Mapper(mapping)
        base = {"id": "a", "name": "A", "country": "GB"}
        rows = [{**base, "Form": "Community Interest Company"}] + [
            {**base, "id": f"b{i}", "Form": "Societyy"} for i in range(3)
        ]
        out = list(s.read_register(rows, columns=mapper))
        assert isinstance(out[0], s.Organisation) and out[0].legal_form == "gb/cic"
        assert all(isinstance(o, RejectedRow) for o in out[1:])
        assert "'Societyy'" in out[1].errors[0].message  # type: ignore[union-attr]
        ((column, text, rows_, _),) = mapper.unmatched()
        assert (column, text, rows_) == ("Form", "Societyy", 3)

    def test_dates_in_the_stated_format(self) -> None:
        """Dates are read in the mapping's formats; another text rejects its row with
        the format it expected."""
        m = {"date": ["%d/%m/%Y", "%Y"], "columns": {"Born": "registration.registered_on"}}
        got = self._one(m, Born="11/8/1863")
        assert isinstance(got, s.Organisation)
        assert got.registration.registered_on == date(1863, 8, 11)
        bad = self._one(m, Born="1863-08-11")
        assert isinstance(bad, RejectedRow)
        assert bad.errors[0].path == "registration.registered_on"
        assert "'%d/%m/%Y' or '%Y'" in bad.errors[0].message

    def test_amounts_with_separators_and_symbols(self) -> None:
        """Amounts are read with the stated separators and a currency symbol; a symbol
        of another currency than the mapping's is refused."""
        m = {
            "currency": "GBP",
            "thousands": ",",
            "columns": {"T": "finances.revenue", "Y": "fiscal_year"},
        }
        got = self._one(m, T="£1,234.50", Y="2023")
        assert isinstance(got, s.Organisation)
        assert str(got.finances[0].revenue) == "1234.50 GBP"
        bad = self._one(m, T="$5", Y="2023")
        assert isinstance(bad, RejectedRow) and "GBP" in bad.errors[0].message

    def test_list_cells_are_split(self) -> None:
        """A list cell is split on the stated separator, each part read alone."""
        m = {
            "columns": {
                "Aims": {
                    "to": "purpose.primary",
                    "split": "|",
                    "values": {"jobs": "job_provision", "care": "social_service"},
                }
            }
        }
        got = self._one(m, Aims="jobs | care | jobs")
        assert isinstance(got, s.Organisation)
        assert {p.value for p in got.purpose.primary} == {"job_provision", "social_service"}


# --- every form of one register reads alike ----------------------------------------------

#: every date column of the vocabulary (from the declarations)
_DATE_COLUMNS = columns_of(Kind.DATE)


def _disguise(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The rows as another publisher would write them, and the mapping that says so:
    their own column names, labels for legal forms and countries, dd/mm/yyyy dates,
    thousands separators in counts, and "N/a" for a blank cell."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    theirs = {n: f"Column {i} ({n.split('.')[-1]})" for i, n in enumerate(names)}
    labels: dict[str, dict[str, str]] = {"legal_form": {}, "country": {}}
    out = []
    for r in rows:
        d: dict[str, str] = {}
        for n in names:
            v = r.get(n, "")
            if not v.strip():
                v = "N/a"
            elif n in labels:
                v = labels[n].setdefault(v, f"label {len(labels[n])} of {n}")
            elif n in _DATE_COLUMNS:
                v = date.fromisoformat(v).strftime("%d/%m/%Y")
            elif n == "governance.members":
                v = f"{int(v):,}"
            d[theirs[n]] = v
        out.append(d)
    columns: dict[str, Any] = {}
    for n in names:
        rule: dict[str, Any] = {"to": n}
        if n in labels:
            rule["values"] = {label: code for code, label in labels[n].items()}
        if n == "governance.members":
            rule["thousands"] = ","
        columns[theirs[n]] = rule
    return out, {"columns": columns, "unknown": ["N/a"], "date": "%d/%m/%Y"}


class TestEveryFormReadsAlike:
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(orgs=st.lists(organisations(), min_size=1, max_size=6, unique_by=lambda o: o.id))
    def test_a_register_read_with_the_mapping_of_its_form_classifies_as_the_original(
        self, tmp_path: Path, orgs: list[s.Organisation]
    ) -> None:
        """Law: a register rewritten in another form (its own column names, labels for
        codes, dd/mm/yyyy dates, thousands separators, "N/a" for blanks) and read with
        the mapping that describes that form gives the same organisations, verdicts
        and rejected rows as the original, in the per-object reader, the columnar lane
        over a CSV file and over a table."""
        rows = [s.to_flat(o) for o in orgs]
        disguised, mapping_data = _disguise(rows)
        mapping = s.load_mapping(mapping_data)
        original = _csv(tmp_path / "original.csv", rows)
        theirs = _csv(tmp_path / "theirs.csv", disguised)
        assert list(s.read_register(theirs, columns=mapping)) == list(s.read_register(original))
        want = s.classify_table(_table(rows), PROFILES, on=ON)
        got = s.classify_table(_table(disguised), PROFILES, on=ON, columns=mapping)
        assert _verdicts(got) == _verdicts(want)
        out = tmp_path / "out.parquet"
        summary = s.classify_file(theirs, PROFILES, on=ON, columns=mapping, output=out)
        assert summary.classified == want.summary.classified
        import pyarrow.parquet as pq

        assert _verdicts(s.RegisterResult(pq.read_table(out), (), summary)) == _verdicts(want)


def _table(rows: list[dict[str, str]]) -> Any:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    return pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns})


# --- the long table of yearly figures ----------------------------------------------------


YEARLY = {
    "columns": {"Code": "id"},
    "currency": "GBP",
    "finances": {
        "id": "Code",
        "year_end": "Year End",
        "columns": {"Turnover": "revenue"},
        "latest": {"Staff": "workforce.paid_workers"},
    },
}


class TestYearlyFigures:
    def _register(self, tmp_path: Path, economy: list[dict[str, str]]) -> tuple[Path, Path]:
        orgs = _csv(
            tmp_path / "orgs.csv",
            [{"Code": c, "name": c.upper(), "country": "GB"} for c in ("a", "b", "c")],
        )
        return orgs, _csv(tmp_path / "economy.csv", economy)

    def test_a_long_table_joins_as_yearly_accounts(self, tmp_path: Path) -> None:
        """One row per organisation and year becomes that organisation's accounts of
        each year (the year its accounts end in), with the latest year's facts."""
        orgs, economy = self._register(
            tmp_path,
            [
                {"Code": "a", "Year End": "2022-03-31", "Turnover": "10", "Staff": "3"},
                {"Code": "a", "Year End": "2023-03-31", "Turnover": "12", "Staff": "4"},
                # a 52-week year ending in the first week of January is the year before
                {"Code": "b", "Year End": "2024-01-03", "Turnover": "7", "Staff": ""},
                # the same figures again (registers fill years forward): one year
                {"Code": "b", "Year End": "2024-01-03", "Turnover": "7", "Staff": ""},
            ],
        )
        mapping = s.load_mapping(YEARLY)
        a, b, c = s.read_register(orgs, columns=mapping, finances=economy)
        assert isinstance(a, s.Organisation) and isinstance(b, s.Organisation)
        assert [(fy.year, str(fy.revenue)) for fy in a.finances] == [
            (2022, "10 GBP"),
            (2023, "12 GBP"),
        ]
        assert a.workforce.paid_workers == 4
        assert [fy.year for fy in b.finances] == [2023]
        assert isinstance(c, s.Organisation) and c.finances == ()

    def test_contradicting_years_reject_the_organisation_naming_both_rows(
        self, tmp_path: Path
    ) -> None:
        """Two different sets of figures for one fiscal year reject their organisation,
        in both lanes, with both rows of the long table named."""
        orgs, economy = self._register(
            tmp_path,
            [
                {"Code": "a", "Year End": "2022-12-31", "Turnover": "10", "Staff": ""},
                {"Code": "a", "Year End": "2022-06-30", "Turnover": "11", "Staff": ""},
            ],
        )
        mapping = s.load_mapping(YEARLY)
        a = next(iter(s.read_register(orgs, columns=mapping, finances=economy)))
        assert isinstance(a, RejectedRow)
        assert "rows 1 and 2" in a.errors[0].message
        summary = s.classify_file(
            orgs, "intl/ilo-2022", output=tmp_path / "o.csv", columns=mapping, finances=economy
        )
        assert (summary.classified, summary.rejected) == (2, 1)

    def test_ids_no_organisation_has_are_reported(self, tmp_path: Path) -> None:
        """Rows of the long table whose id is in no organisation are counted, not lost."""
        orgs, economy = self._register(
            tmp_path,
            [
                {"Code": "a", "Year End": "2022-12-31", "Turnover": "10", "Staff": ""},
                {"Code": "zz", "Year End": "2022-12-31", "Turnover": "1", "Staff": ""},
            ],
        )
        mapping = s.load_mapping(YEARLY)
        mapper = Mapper(mapping, read_yearly(economy, mapping))
        list(s.read_register(orgs, columns=mapper))
        assert mapper.yearly is not None and mapper.yearly.not_joined() == {"zz": [2]}

    def test_a_year_that_is_no_date_rejects_the_organisation(self, tmp_path: Path) -> None:
        """A year-end cell that is not a date in the stated format is an error."""
        orgs, economy = self._register(
            tmp_path, [{"Code": "a", "Year End": "31/12/2022", "Turnover": "10", "Staff": ""}]
        )
        a = next(iter(s.read_register(orgs, columns=s.load_mapping(YEARLY), finances=economy)))
        assert isinstance(a, RejectedRow) and "fiscal year" in a.errors[0].message


class TestCommandLine:
    def test_classify_with_a_mapping_and_yearly_figures(self, tmp_path: Path) -> None:
        """--columns and --finances read a register as published; what the mapping
        could not read is reported once with its row count."""
        orgs = _csv(
            tmp_path / "orgs.csv",
            [
                {"Code": "a", "name": "A", "country": "GB", "Form": "CIC"},
                {"Code": "b", "name": "B", "country": "GB", "Form": "Societyy"},
            ],
        )
        economy = _csv(
            tmp_path / "economy.csv",
            [{"Code": "a", "Year End": "2022-12-31", "Turnover": "5", "Staff": "1"}],
        )
        mapping = dict(YEARLY)
        mapping["columns"] = {"Code": "id", "Form": {"to": "legal_form", "lookup": "legal-form"}}
        mapping["country"] = "GB"
        path = _write(tmp_path / "m.json", json.dumps(mapping))
        out, err = io.StringIO(), io.StringIO()
        code = main(
            [
                "classify",
                str(orgs),
                "--columns",
                str(path),
                "--finances",
                str(economy),
                "--on",
                "2025-06-30",
            ],
            out=out,
            err=err,
        )
        assert code == 1, err.getvalue()
        assert "Form: 'Societyy' (1 row(s))" in err.getvalue()
        assert "rows read: 2; classified: 1; rejected: 1" in err.getvalue()

    def test_map_naming_a_missing_column_is_an_error(self, tmp_path: Path) -> None:
        """--map onto a column the file does not have stops with a header error."""
        orgs = _csv(tmp_path / "orgs.csv", [{"id": "a", "name": "A", "country": "GB"}])
        err = io.StringIO()
        code = main(
            ["validate", str(orgs), "--map", "Members=governance.members"],
            out=io.StringIO(),
            err=err,
        )
        assert code == 2 and "'Members'" in err.getvalue()

    def test_finances_without_a_mapping_is_a_usage_error(self, tmp_path: Path) -> None:
        """--finances needs the mapping that says how it joins."""
        orgs = _csv(tmp_path / "orgs.csv", [{"id": "a", "name": "A", "country": "GB"}])
        err = io.StringIO()
        code = main(["validate", str(orgs), "--finances", str(orgs)], out=io.StringIO(), err=err)
        assert code == 2 and "--finances needs --columns" in err.getvalue()


class TestCheckRegister:
    def test_a_header_problem_is_the_whole_report(self, tmp_path: Path) -> None:
        """Unknown and unused columns are reported with close matches, no row read."""
        path = _csv(tmp_path / "r.csv", [{"Code": "a", "Nmae": "A", "country": "FR"}])
        mapping = s.load_mapping({"columns": {"Code": "id", "Staff": "workforce.paid_workers"}})
        check = s.check_register(path, columns=mapping)
        assert (check.rows, check.ok) == (0, False)
        assert "name" in check.unknown_columns["Nmae"]
        assert check.unused_columns == ("Staff",)
        assert "unknown column 'Nmae'" in str(check)

    def test_labels_rejected_rows_and_lost_yearly_rows_are_counted(self, tmp_path: Path) -> None:
        """Every row is read and each kind of misfit counted once, nothing classified."""
        orgs = _csv(
            tmp_path / "orgs.csv",
            [
                {"Code": "a", "name": "A", "country": "GB", "Form": "CIC"},
                {"Code": "b", "name": "B", "country": "GB", "Form": "Societyy"},
                {"Code": "c", "name": "C", "country": "GB", "Form": "Societyy"},
            ],
        )
        economy = _csv(
            tmp_path / "economy.csv",
            [
                {"Code": "a", "Year End": "2022-12-31", "Turnover": "5", "Staff": "1"},
                {"Code": "q", "Year End": "2022-12-31", "Turnover": "5", "Staff": "1"},
            ],
        )
        mapping = s.load_mapping(
            {
                **YEARLY,
                "country": "GB",
                "columns": {"Code": "id", "Form": {"to": "legal_form", "lookup": "legal-form"}},
            }
        )
        check = s.check_register(orgs, columns=mapping, finances=economy)
        assert (check.rows, check.valid, len(check.rejected)) == (3, 1, 2)
        (label,) = check.unmatched
        assert (label.column, label.text, label.rows) == ("Form", "Societyy", 2)
        assert check.not_joined == {"q": (2,)}


_CELL_TEXTS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\u3000",
            "N/a",
            " n/A ",
            "N/\u00a0a",
            "-",
            "0",
            "-1",
            "12",
            "1,234",
            "1,234.50",
            "12,34",
            "1.5",
            "1,5",
            "£12",
            "12 GBP",
            "$3",
            "1.234,5",
            "Soc.",
            "soc.",
            "x\u1680",
        ]
    ),
    st.text(alphabet=st.sampled_from("0123456789,.- £$Na/\t\u00a0\u2003x"), max_size=12),
)


def _maps_as_its_rows(mapping: s.RegisterMapping, rows: list[dict[str, str]]) -> None:
    """The table of *rows*, mapped whole, gives each row the cells and errors the
    row-by-row mapping gives it."""
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    mapped = Mapper(mapping).table(table)
    got = mapped.table.to_pylist()
    for i, row in enumerate(rows):
        want, problems = Mapper(mapping).cells(row)
        assert {k: v or None for k, v in want.items()} == got[i]
        assert tuple(problems) == tuple(mapped.problems.get(i, ()))


class TestLanesAgree:
    @settings(max_examples=200, deadline=None)
    @given(
        cells=st.lists(st.tuples(_CELL_TEXTS, _CELL_TEXTS, _CELL_TEXTS), min_size=1, max_size=20),
        thousands=st.sampled_from([None, ",", "."]),
        unknown=st.sampled_from([[], ["N/a"], ["N/a", "-1", "0"]]),
    )
    def test_a_table_is_mapped_as_its_rows_are(
        self, cells: list[tuple[str, str, str]], thousands: str | None, unknown: list[str]
    ) -> None:
        """Law: the mapping of a whole Arrow table (Arrow for what it can read, Python
        per distinct cell for the rest) gives every row the cells and errors the
        row-by-row mapping gives it, whatever the text."""
        decimal = None if thousands != "." else ","
        rule: dict[str, Any] = {"to": "governance.members"}
        if thousands is not None:
            rule["thousands"] = thousands
        if decimal is not None:
            rule["decimal"] = decimal
        mapping = s.load_mapping(
            {
                "unknown": unknown,
                "currency": "GBP",
                "columns": {
                    "Members": rule,
                    "Turnover": {"to": "finances.revenue", "currency": "EUR"},
                    "Note": "name",
                },
            }
        )
        rows = [{"Members": a, "Turnover": b, "Note": c} for a, b, c in cells]
        _maps_as_its_rows(mapping, rows)

    @settings(max_examples=200, deadline=None)
    @given(
        cells=st.lists(
            st.tuples(
                st.sampled_from(["GB", "FR", "VN", "", "UK", "Frace", "N/a"]),
                st.sampled_from(
                    ["CIC", "Cooperative", "Association", "Hợp tác xã", "Societyy", "", "N/a"]
                ),
                st.sampled_from(
                    [
                        "https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/OS120",
                        "OS115",
                        "os:OS40",
                        "OS50",
                        "OS999",
                        "",
                    ]
                ),
            ),
            min_size=1,
            max_size=20,
        )
    )
    def test_lookups_that_read_the_rows_country_agree(
        self, cells: list[tuple[str, str, str]]
    ) -> None:
        """Law: lookups that read each row's own country (legal forms, ESSGlobal terms)
        give a table's rows the cells and errors they give the rows one by one."""
        mapping = s.load_mapping(
            {
                "unknown": ["N/a"],
                "columns": {
                    "Land": {"to": "country", "lookup": "country"},
                    "Form": {"to": "legal_form", "lookup": "legal-form"},
                    "Structure": {"lookup": "essglobal"},
                },
            }
        )
        rows = [{"Form": b, "Structure": c, "Land": a} for a, b, c in cells]
        _maps_as_its_rows(mapping, rows)


class TestBuiltinMappings:
    def test_every_builtin_loads_and_fits_the_schema(self) -> None:
        """The shipped mappings load by name and are valid mapping files."""
        jsonschema = pytest.importorskip("jsonschema")
        import tomllib
        from importlib import resources

        from sse_model._io._mapping import builtin_mappings

        assert {"sea-standard", "murmurations"} <= set(builtin_mappings())
        for name in builtin_mappings():
            s.load_mapping(name)
            text = resources.files("sse_model").joinpath(f"_data/mappings/{name}.toml")
            jsonschema.validate(tomllib.loads(text.read_text("utf-8")), s.mapping_schema())

    def test_extends_adds_to_a_builtin(self) -> None:
        """A mapping that extends a built-in one keeps its columns and ignored columns
        and adds its own; its own entry wins where both name a column."""
        m = s.load_mapping(
            {
                "extends": "sea-standard",
                "ignore": ["Sector"],
                "columns": {"Name": "registration.registry", "Legal Form": "legal_form"},
            }
        )
        base = s.load_mapping("sea-standard")
        assert m.columns["Identifier"].to == "id"
        assert m.columns["Name"].to == "registration.registry"
        assert m.columns["Legal Form"].to == "legal_form"
        assert set(base.ignore) | {"Sector"} == set(m.ignore)
        with pytest.raises(InvalidInput, match="extends"):
            s.load_mapping({"extends": "sea-standrad"})

    def test_the_sea_standard_reads_essglobal_structures(self, tmp_path: Path) -> None:
        """An ESSGlobal organisational-structure URI gives the legal form or family it
        names, in the SEA standard CSV, by the built-in mapping alone."""
        uri = "https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/"
        header = (
            "Identifier,Name,Description,Organisational Structure,Primary Activity,Activities,"
            "Street Address,Locality,Region,Postcode,Country ID,Territory ID,Website,Phone,"
            "Email,Twitter,Facebook,Companies House Number,Qualifiers,Membership Type,"
            "Latitude,Longitude,Geo Container,Geo Container Latitude,Geo Container Longitude"
        )
        n = header.count(",")
        path = tmp_path / "standard.csv"
        rows = [
            ["R1", "A", "", uri + "OS120", *[""] * 6, "GB"],
            ["R2", "B", "", uri + "OS115", *[""] * 6, "GB"],
        ]
        path.write_text(
            header + "\n" + "".join(",".join(r + [""] * (n + 1 - len(r))) + "\n" for r in rows),
            encoding="utf-8",
        )
        a, b = s.read_register(path, columns="sea-standard")
        assert isinstance(a, s.Organisation) and a.legal_form == "gb/cic"
        assert isinstance(b, s.Organisation) and b.family is s.EntityFamily.COOPERATIVE

    def test_the_murmurations_mapping_reads_profiles(self) -> None:
        """Murmurations organisation profiles read by the built-in mapping alone: the
        primary URL as the id, the name and the country; every other field ignored."""
        profile = {
            "linked_schemas": ["organizations_schema-v1.0.0"],
            "name": "Open Co-op",
            "primary_url": "https://open.coop",
            "tags": ["cooperative", "platform"],
            "geolocation": {"lat": 51.5, "lon": -0.12},
            "country_iso_3166": "GB",
        }
        (org,) = s.read_register([profile], columns="murmurations")
        assert isinstance(org, s.Organisation)
        assert (org.id, org.name, org.country) == ("https://open.coop", "Open Co-op", "GB")
        result = s.classify_table([profile], "intl/ilo-2022", on=ON, columns="murmurations")
        assert result.summary.classified == 1
