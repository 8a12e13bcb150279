"""One register, one answer: every format, both lanes, the same rows, verdicts and errors.

The same flat rows are written as CSV, TSV, gzip CSV, Parquet (text columns), JSON
Lines, JSON, Excel, and as pandas, polars and Arrow tables of text; and as typed
tables (integers, floats incl. float32, NaN and -0.0, booleans, dates as date32 or
timestamps, struct columns, a duration column, bytes). Each is classified by the
per-object lane (``read_register`` + ``Classifier``) and, where it has one, by the
columnar lane (``classify_table`` / ``stream_file``); the results are compared
row by row.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import attrs
import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
openpyxl = pytest.importorskip("openpyxl")

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import sse_model as s  # noqa: E402
from sse_model import testing  # noqa: E402
from sse_model._io._batch import RegisterClassifier, stream_file  # noqa: E402
from sse_model._io._flat import RejectedRow, to_flat  # noqa: E402
from sse_model._model._declare import Kind  # noqa: E402
from sse_model._model._schema import columns_of  # noqa: E402

_INT_FIELDS = columns_of(Kind.COUNT)
_BOOL_FIELDS = columns_of(Kind.BOOL)

ON = date(2025, 6, 30)
CLASSIFIER = s.Classifier()


def _in_force(profile: str) -> bool:
    try:
        CLASSIFIER.plan(profile, ON)
    except s.NoVersionInForce:
        return False
    return True


PROFILES = [p for p in s.profile_ids() if _in_force(p)]
SHARES = columns_of(Kind.SHARE)
DATES = columns_of(Kind.DATE)
BAD_CELLS = st.sampled_from(["", "  ", "-2", "abc", "1.5", "12 kg", "101", "0999", "2024-02-30"])

#: per classified row: (row, id, profile) -> (verdict, outcomes, facts to collect)
Results = dict[tuple[int, str, str], tuple[str, tuple[str, ...], tuple[str, ...]]]
#: per rejected row: (row, sorted error paths)
Rejected = list[tuple[int, tuple[str, ...]]]


@st.composite
def registers(draw: st.DrawFn) -> tuple[str, list[dict[str, str]]]:
    """A profile and flat rows of organisations generated around its thresholds, some
    cells replaced by bad ones, some ids repeated."""
    profile = draw(st.sampled_from(PROFILES), label="profile")
    orgs = draw(st.lists(testing.organisations_for(profile), min_size=1, max_size=6))
    rows = [to_flat(o) for o in orgs]
    columns = sorted({k for r in rows for k in r})
    for r in rows:
        if draw(st.integers(0, 3)) == 0:
            r[draw(st.sampled_from(columns))] = draw(BAD_CELLS)
    if len(rows) > 1 and draw(st.booleans()):
        rows[-1]["id"] = rows[0]["id"]
    return profile, rows


def _columns(rows: list[dict[str, str]]) -> list[str]:
    return sorted({k for r in rows for k in r})


def _row_lane(source: Any, profile: str, **kw: Any) -> tuple[Results, Rejected]:
    out: Results = {}
    rejected: Rejected = []
    for n, item in enumerate(s.read_register(source, **kw), 1):
        if isinstance(item, RejectedRow):
            assert item.number == n
            rejected.append((n, tuple(sorted(e.path for e in item.errors))))
            continue
        c = CLASSIFIER.classify(item, profile, on=ON)
        undetermined = c.verdict is s.Verdict.UNDETERMINED and c.settlement is not None
        missing = tuple(m.path for m in c.settlement.missing_facts) if undetermined else ()
        out[n, item.id, profile] = (
            c.verdict.value,
            tuple(r.outcome.value for r in c.criteria),
            missing,
        )
    return out, rejected


def _columnar(results: Any, profile: str) -> tuple[Results, Rejected]:
    ids = [c.id for c in CLASSIFIER.plan(profile, ON).criteria]
    out: Results = {}
    rejected: Rejected = []
    for result in results:
        for r in result.table.to_pylist():
            key = (r["row"], r["organisation_id"], r["profile_id"])
            out[key] = (
                r["verdict"],
                tuple(r[f"criterion.{i}"] for i in ids),
                tuple(r["missing_facts"]),
            )
        rejected += [(r.number, tuple(sorted(e.path for e in r.errors))) for r in result.rejected]
    return out, sorted(rejected)


# the columnar lane checking every cell, as the per-object lane does (by default it checks
# only the columns the profile needs: see TestNeededColumns)
def _file_lane(path: Path, profile: str) -> tuple[Results, Rejected]:
    rc = RegisterClassifier([profile], on=ON, validate="all")
    return _columnar(stream_file(rc, path), profile)


def _table_lane(table: Any, profile: str) -> tuple[Results, Rejected]:
    rc = RegisterClassifier([profile], on=ON, validate="all")
    return _columnar([rc.classify_table(table)], profile)


# --- writing the rows in every format ---------------------------------------------------


def _csv_text(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    columns = _columns(rows)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(columns)
    w.writerows([[r.get(c, "") for c in columns] for r in rows])
    return buf.getvalue()


def _text_table(rows: list[dict[str, str]]) -> Any:
    columns = _columns(rows)
    return pa.table({c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in columns})


def _flat_record(row: dict[str, str]) -> dict[str, str]:
    """The row as a flat JSON record: blank cells absent, one dotted key kept."""
    record = {k: v for k, v in row.items() if v.strip()}
    if not any("." in k for k in record):
        record["governance.members"] = ""  # blank: unknown, as in a CSV cell
    return record


def _write_text_formats(tmp: Path, rows: list[dict[str, str]]) -> dict[str, Path]:
    paths = {
        "csv": tmp / "r.csv",
        "tsv": tmp / "r.tsv",
        "csv.gz": tmp / "r.csv.gz",
        "parquet": tmp / "r.parquet",
        "jsonl": tmp / "r.jsonl",
        "json": tmp / "r.json",
        "xlsx": tmp / "r.xlsx",
        "geojson": tmp / "r.geojson",
        "geojson text sequence": tmp / "r.geojsons",
        "features as json": tmp / "features.json",
        "features as jsonl": tmp / "features.jsonl",
    }
    paths["csv"].write_text(_csv_text(rows), encoding="utf-8")
    paths["tsv"].write_text(_csv_text(rows, "\t"), encoding="utf-8")
    paths["csv.gz"].write_bytes(gzip.compress(_csv_text(rows).encode()))
    pq.write_table(_text_table(rows), paths["parquet"])
    # JSON records with a dotted key read as flat rows (text cells, as in CSV); one
    # without reads as nested JSON, where "" or "false" is no boolean: keep one dotted key
    records = [_flat_record(r) for r in rows]
    paths["jsonl"].write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    paths["json"].write_text(json.dumps(records), encoding="utf-8")
    # GeoJSON (RFC 7946): the cells as each feature's properties, no geometry
    features = [{"type": "Feature", "geometry": None, "properties": r} for r in rows]
    collection = json.dumps({"type": "FeatureCollection", "features": features})
    paths["geojson"].write_text(collection, encoding="utf-8")
    paths["features as json"].write_text(collection, encoding="utf-8")
    sequence = "".join(f"\x1e{json.dumps(f)}\n" for f in features)  # RFC 8142
    paths["geojson text sequence"].write_text(sequence, encoding="utf-8")
    lines = "".join(json.dumps(f) + "\n" for f in features)
    paths["features as jsonl"].write_text(lines, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    columns = _columns(rows)
    ws.append(columns)
    for r in rows:
        ws.append([r.get(c) or None for c in columns])
    wb.save(paths["xlsx"])
    return paths


# --- typed tables -------------------------------------------------------------------------


def _typed_column(name: str, cells: list[str], draw: st.DrawFn) -> Any:
    """*cells* as a typed Arrow column where every cell fits the type (else as text)."""
    known = [c for c in cells if c.strip()]
    try:
        if name in _INT_FIELDS:
            values = [int(c) if c.strip() else None for c in cells]
            if draw(st.booleans(), label=f"{name} as float"):
                floats = [
                    float("nan") if v is None else (-0.0 if v == 0 else float(v)) for v in values
                ]
                return pa.array(floats, pa.float64())
            return pa.array(values, pa.int64())
        if name in SHARES:
            kind = draw(st.sampled_from([pa.float64(), pa.float32()]), label=f"{name} type")
            return pa.array([float(c) if c.strip() else None for c in cells], kind)
        if name in _BOOL_FIELDS and all(c in ("true", "false") for c in known):
            return pa.array([None if not c.strip() else c == "true" for c in cells])
        if name in DATES or name.startswith("certification."):
            days = [date.fromisoformat(c) if c.strip() else None for c in cells]
            if draw(st.booleans(), label=f"{name} as timestamp"):
                stamps = [None if d is None else datetime(d.year, d.month, d.day) for d in days]
                return pa.array(stamps, pa.timestamp("us"))
            return pa.array(days, pa.date32())
    except ValueError:
        pass
    return pa.array([c if c.strip() else None for c in cells], pa.string())


@st.composite
def typed_tables(draw: st.DrawFn) -> tuple[str, Any]:
    """A profile and its generated register as a typed Arrow table: numbers, floats
    (float32, NaN, -0.0), booleans, date32 or timestamps, sometimes governance as a
    struct column, a duration column or bytes ids."""
    profile, rows = draw(registers())
    columns = _columns(rows)
    arrays = {c: _typed_column(c, [r.get(c, "") for r in rows], draw) for c in columns}
    if draw(st.booleans(), label="governance as struct"):
        fields = {
            c.split(".", 1)[1]: arrays.pop(c)
            for c in list(arrays)
            if c.startswith("governance.") and c.count(".") == 1
        }
        if fields:
            arrays["governance"] = pa.StructArray.from_arrays(list(fields.values()), list(fields))
    if draw(st.booleans(), label="a duration column"):
        hours = draw(
            st.lists(
                st.one_of(st.none(), st.integers(0, 100)), min_size=len(rows), max_size=len(rows)
            )
        )
        arrays["workforce.volunteer_hours"] = pa.array(
            [None if h is None else timedelta(hours=h) for h in hours], pa.duration("us")
        )
    if draw(st.booleans(), label="bytes ids"):
        ids = [r.get("id", "").encode() for r in rows]
        if draw(st.booleans(), label="one id not UTF-8"):
            ids[0] = b"\xff" + ids[0]
        arrays["id"] = pa.array(ids, pa.binary())
    return profile, pa.table(arrays)


class TestSampleRegister:
    """The README's main job gives, for every organisation and profile, what one
    Organisation per record gives: the register lane (columns, the exact lane for the
    rows it cannot vouch for, legal presumptions of forms and statuses) loses nothing."""

    PROFILES: ClassVar[list[str]] = [
        "intl/ilo-2022",
        "vn/social-enterprise",
        "th/social-enterprise",
        "kr/social-enterprise",
        "vn/cooperative",
    ]

    def test_register_lane_equals_one_organisation_per_record(self, tmp_path: Path) -> None:
        """Verdicts, outcomes and presumed criteria of the 3,000 sample records under the
        README's five profiles, by ``classify_file`` and by ``classify`` one by one."""
        sample = Path(__file__).parent.parent / "examples" / "sample-register.jsonl"
        on = date(2025, 6, 30)
        out = tmp_path / "out.csv"
        summary = s.classify_file(sample, self.PROFILES, on=on, output=out)
        assert summary.rejected == 0
        with out.open(encoding="utf-8", newline="") as f:
            got = {(r["organisation_id"], r["profile_id"]): r for r in csv.DictReader(f)}
        classifier = s.Classifier()
        n = 0
        for line in sample.read_text("utf-8").splitlines():
            org = s.from_json(line, s.Organisation)
            for p in self.PROFILES:
                c = classifier.classify(org, p, on=on)
                row = got[org.id, p]
                assert row["verdict"] == c.verdict.value, (org.id, p)
                assert [row[f"criterion.{r.id}"] for r in c.criteria] == [
                    r.outcome.value for r in c.criteria
                ], (org.id, p)
                presumed = [r.id for r in c.criteria if r.basis is s.Basis.PRESUMED]
                assert row["presumed_criteria"] == "; ".join(presumed), (org.id, p)
                n += 1
        assert n == len(got) == 15_000


class TestTextFormats:
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(register=registers())
    def test_every_format_and_lane_gives_the_same_answer(
        self, tmp_path_factory: pytest.TempPathFactory, register: tuple[str, list[dict[str, str]]]
    ) -> None:
        """Law: the same text cells, as CSV, TSV, gzip CSV, Parquet, JSON Lines, JSON, Excel,
        GeoJSON feature properties (a FeatureCollection, a text sequence, features one per
        line), or a pandas, polars or Arrow table, give the same classified rows (row number, id,
        verdict, outcome of every criterion, facts to collect) and the same rejected rows
        (row number and error paths) in the per-object lane and in the columnar lane."""
        profile, rows = register
        paths = _write_text_formats(tmp_path_factory.mktemp("formats"), rows)
        expected = _row_lane(paths["csv"], profile)
        for fmt, path in paths.items():
            assert _row_lane(path, profile) == expected, f"{fmt}, per-object lane"
            assert _file_lane(path, profile) == expected, f"{fmt}, columnar lane"
        table = _text_table(rows)
        frames = {"arrow": table, "pandas": table.to_pandas(), "polars": pl.from_arrow(table)}
        for kind, frame in frames.items():
            assert _row_lane(frame, profile) == expected, f"{kind}, per-object lane"
            assert _table_lane(frame, profile) == expected, f"{kind}, columnar lane"
        features = [{"type": "Feature", "geometry": None, "properties": r} for r in rows]
        assert _row_lane(features, profile) == expected, "GeoJSON features, per-object lane"
        assert _table_lane(features, profile) == expected, "GeoJSON features, columnar lane"


#: values a nested record may hold in place of a good one: blank, the wrong type, out
#: of range, a unit, a bare amount, an empty list or object
NESTED_BAD = st.sampled_from(
    ["", "  ", "abc", -2, 1.5, None, True, "12 kg", [], {}, "27 %", "0999", "100", "100 EUR", 7]
)


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict) and data:
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))]
    if isinstance(data, list) and data:
        return [p for i, v in enumerate(data) for p in _leaves(v, (*path, i))]
    return [path]


def _put_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for k in path[:-1]:
        data = data[k]
    data[path[-1]] = value


@st.composite
def nested_records(draw: st.DrawFn, profile: str) -> dict[str, Any]:
    """One organisation for *profile* in the JSON shape of the model (as ``to_json``
    writes it), sometimes with a bad value, an unknown key, a second certification of
    one kind, its finances as a list, or shares and amounts written another way."""
    org = draw(testing.organisations_for(profile), label="organisation")
    record: dict[str, Any] = json.loads(s.to_json(org))
    if draw(st.integers(0, 2), label="bad value") == 0:
        path = draw(st.sampled_from(_leaves(record)), label="at")
        if path:
            _put_at(record, path, draw(NESTED_BAD, label="bad"))
    if draw(st.integers(0, 9), label="unknown key") == 0:
        record[draw(st.sampled_from(["colour", "currency", "fiscal_year"]))] = "x"
    certs = record.get("certifications")
    if certs and draw(st.integers(0, 4), label="same kind twice") == 0:
        certs.append(dict(certs[0]))
    finances = record.get("finances")
    if isinstance(finances, dict) and draw(st.integers(0, 3), label="as a list") == 0:
        record["finances"] = [
            {"year": int(y), **v} if isinstance(v, dict) else v for y, v in finances.items()
        ]
    shares = [k for k, v in record.get("governance", {}).items() if k.endswith("_share")]
    if shares and draw(st.booleans(), label="a share in %"):
        value = record["governance"][shares[0]]
        if isinstance(value, str) and value.replace(".", "", 1).isdigit():
            from decimal import Decimal

            record["governance"][shares[0]] = f"{Decimal(value) * 100} %"
    return record


@st.composite
def nested_registers(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    """A profile and nested records around its thresholds, some ids repeated."""
    profile = draw(st.sampled_from(PROFILES), label="profile")
    records = draw(st.lists(nested_records(profile), min_size=1, max_size=6))
    if len(records) > 1 and draw(st.booleans()):
        records[-1]["id"] = records[0].get("id")
    return profile, records


def _model_path(column: str, cells: dict[str, str]) -> str:
    """The model's path of an error a flat row gives at a finances column:
    ``finances.2023.revenue`` (or ``finances.revenue`` in fiscal year 2023) is
    ``finances[2023].revenue``."""
    parts = column.split("[", 1)[0].split(".")
    if parts[0] == "finances" and len(parts) == 3:
        return f"finances[{parts[1]}].{parts[2]}"
    if parts[0] == "finances" and len(parts) == 2 and "fiscal_year" in cells:
        return f"finances[{cells['fiscal_year']}].{parts[1]}"
    return column


def _outcome(item: Any) -> Any:
    """An organisation, or the sorted (path, message) of a rejected row's errors."""
    if isinstance(item, RejectedRow):
        return sorted((e.path, e.message) for e in item.errors)
    return item


class TestNeededColumns:
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(register=registers())
    def test_default_reads_the_needed_columns_alike_in_every_format(
        self, tmp_path_factory: pytest.TempPathFactory, register: tuple[str, list[dict[str, str]]]
    ) -> None:
        """Law: by default (``validate="needed"``) the columnar lane gives, in CSV, Parquet,
        JSON Lines and an Arrow table alike, what the per-object lane gives on the same
        rows with only the columns the profile needs: the same classified rows and the same
        rejected rows, each reported with at least the errors of those columns."""
        profile, rows = register
        rc = RegisterClassifier([profile], on=ON)
        needed = [{k: v for k, v in r.items() if rc._reads(k)} for r in rows]
        keep = _columns(rows)
        for r in needed:  # every row keeps the same columns, blank where not needed
            r.update({c: "" for c in keep if c not in r and rc._reads(c)})
        tmp = tmp_path_factory.mktemp("needed")
        expected_out, expected_rejected = _row_lane(
            _write_text_formats(tmp, needed)["csv"], profile
        )
        paths = _write_text_formats(tmp_path_factory.mktemp("all"), rows)
        lanes = {
            fmt: _columnar(stream_file(RegisterClassifier([profile], on=ON), paths[fmt]), profile)
            for fmt in ("csv", "parquet", "jsonl")
        }
        lanes["arrow"] = _columnar([rc.classify_table(_text_table(rows))], profile)
        for fmt, (out, rejected) in lanes.items():
            assert out == expected_out, fmt
            assert [n for n, _ in rejected] == [n for n, _ in expected_rejected], fmt
            for (_, got), (_, want) in zip(rejected, expected_rejected, strict=True):
                assert set(want) <= set(got), fmt


class TestNestedRecords:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(register=nested_registers())
    def test_nested_json_gives_one_answer_in_both_lanes(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        register: tuple[str, list[dict[str, Any]]],
    ) -> None:
        """Law: nested records (the model's JSON shape, bad values included), as JSON
        Lines, JSON or a list of mappings, give in the columnar lane the classified and
        rejected rows the per-object lane gives; and the per-object lane gives what the
        converter makes of each record alone (no row changes its verdict or errors)."""
        profile, records = register
        tmp = tmp_path_factory.mktemp("nested")
        jsonl, whole = tmp / "r.jsonl", tmp / "r.json"
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        whole.write_text(json.dumps(records), encoding="utf-8")
        expected = _row_lane(jsonl, profile)
        alone: list[Any] = []
        for r in records:
            try:
                alone.append(s.structure(r, s.Organisation))
            except s.InvalidInput as e:
                alone.append(sorted((x.path, x.message) for x in e.errors))
        read = [_outcome(x) for x in s.read_register(jsonl, unique_ids=False)]
        assert read == alone
        assert _file_lane(jsonl, profile) == expected, "jsonl, columnar lane"
        assert _row_lane(whole, profile) == expected, "json, per-object lane"
        assert _file_lane(whole, profile) == expected, "json, columnar lane"
        assert _row_lane(records, profile) == expected, "records, per-object lane"
        assert _table_lane(records, profile) == expected, "records, columnar lane"
        # the flat cells of the records that have them, several years per row, as CSV
        from sse_model._io._flat import column_conflicts
        from sse_model._io._sources import flatten

        flat = [c for c in map(flatten, records) if c is not None]
        if flat and not column_conflicts(_columns(flat)):  # else the header is refused
            path = tmp / "flat.csv"
            path.write_text(_csv_text(flat), encoding="utf-8")
            assert _file_lane(path, profile) == _row_lane(path, profile), "csv, several years"

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(register=nested_registers())
    def test_flat_cells_mean_what_the_record_means(
        self, register: tuple[str, list[dict[str, Any]]]
    ) -> None:
        """Law: a nested record the reader flattens gives, read as flat cells, the
        organisation (or the errors, path and message) the converter gives for the
        record itself; the others are held and read from their record."""
        from sse_model._io._flat import Row, rows_to_organisations
        from sse_model._io._sources import Nested, build, flatten

        _, records = register
        for record in records:
            cells = flatten(record)
            if cells is None:
                continue
            (flat,) = rows_to_organisations([Row(1, cells)])
            if isinstance(flat, RejectedRow):  # its errors name the columns
                errors = tuple(
                    attrs.evolve(e, path=_model_path(e.path, cells)) for e in flat.errors
                )
                flat = attrs.evolve(flat, errors=errors)
            assert _outcome(flat) == _outcome(build(1, Nested(record, {})))

    @pytest.mark.parametrize(
        "change",
        [
            "two certifications of one kind",
            "an unknown key",
            "an empty list of purposes",
            "a bare amount",
            "a year without accounts",
            "a string where a count goes",
            "a blank name",
        ],
    )
    def test_records_the_flat_form_cannot_hold_are_held(self, change: str) -> None:
        """A record the flat cells cannot say without changing its meaning is held
        (read from its record alone), and both lanes give the converter's answer."""
        from sse_model._io._sources import flatten

        record: dict[str, Any] = {
            "id": "a",
            "name": "A",
            "country": "FR",
            "governance": {"members": 5},
            "certifications": [{"kind": "fr/esus", "granted_on": "2020-01-01"}],
            "finances": {"2024": {"revenue": "100 EUR"}},
        }
        assert flatten(record) is not None
        if change == "two certifications of one kind":
            record["certifications"].append({"kind": "fr/esus", "granted_on": "2021-01-01"})
        elif change == "an unknown key":
            record["colour"] = "blue"
        elif change == "an empty list of purposes":
            record["purpose"] = {"primary": []}
        elif change == "a bare amount":
            record["finances"]["2024"]["revenue"] = "100"
        elif change == "a year without accounts":
            record["finances"]["2023"] = {}
        elif change == "a string where a count goes":
            record["governance"]["members"] = "5"
        else:
            record["name"] = " "
        assert flatten(record) is None
        profile = "intl/ilo-2022"
        assert _table_lane([record], profile) == _row_lane([record], profile)

    def test_flat_records_with_clashing_columns_are_read_alone(self) -> None:
        """Flat records naming one field two ways (``x`` in one, ``x[%]`` in another) or
        a field and a part of it are each fine alone: the columnar lane reads them
        (holding the rows of the rarer column) as the per-object lane does."""
        share = "governance.foreign_capital_share"
        records = [
            {"id": "a", "name": "A", "country": "FR", share: "0.2"},
            {"id": "b", "name": "B", "country": "FR", f"{share}[%]": "20"},
            {"id": "c", "name": "C", "country": "FR", "governance.members": "3"},
            {"id": "d", "name": "D", "country": "FR", "governance": "3", "x.y": ""},
            {"id": "e", "name": "E", "country": "FR", share: "0.2", f"{share}[%]": "20"},
            {"id": "f", "name": "F", "country": "FR", f"{share}[%]": "2e1"},
            {"id": "g", "name": "G", "country": "FR", f"{share}[%]": "150"},
        ]
        profile = "vn/cooperative"
        expected = _row_lane(records, profile)
        assert [n for n, _ in expected[1]] == [4, 5, 7]  # "2e1 %" is 20 %: held, read alone
        assert _table_lane(records, profile) == expected


class TestSeveralYears:
    @pytest.mark.parametrize(
        "extra",
        [
            {},
            {"finances.2023.dividend_rate[%]": ["5", "", "", ""]},
            {"finances.dividend_rate": ["", "", "", "0.1"]},
        ],
        ids=["plain", "two-units-across-years", "one-year-column-beside"],
    )
    @pytest.mark.parametrize("fiscal_year", [None, 2023])
    def test_rows_of_several_years_read_as_the_row_reader_reads_them(
        self, extra: dict[str, list[str]], fiscal_year: int | None
    ) -> None:
        """Rows with several fiscal years (``finances.<year>.<field>``) beside one-year
        rows get the per-object verdicts, outcomes and errors: the year the rules use,
        every year validated (a bad year rejects the row), whatever columns are beside."""
        table = pa.table(
            {
                "id": ["a", "b", "c", "d"],
                "name": ["A", "B", "C", "D"],
                "country": ["TH"] * 4,
                "legal_form": ["th/limited-company"] * 4,
                "currency": ["THB"] * 4,
                "finances.2023.revenue": ["100", "100", "", ""],
                "finances.2023.revenue_from_sales": ["60", "200", "", ""],
                "finances.2024.revenue": ["100", "100", "", "5"],
                "finances.2024.revenue_from_sales": ["40", "40", "", ""],
                "fiscal_year": ["", "", "2024", "2024"],
                "finances.revenue": ["", "", "100", ""],
                **{k: pa.array(v, pa.string()) for k, v in extra.items()},
            }
        )
        for profile in ("th/social-enterprise", "vn/social-enterprise"):
            kw: dict[str, Any] = {} if fiscal_year is None else {"fiscal_year": fiscal_year}
            row_out: Results = {}
            rejected: Rejected = []
            for n, item in enumerate(s.read_register(table), 1):
                if isinstance(item, RejectedRow):
                    rejected.append((n, tuple(sorted(e.path for e in item.errors))))
                    continue
                c = CLASSIFIER.classify(item, profile, on=ON, **kw)
                undetermined = c.verdict is s.Verdict.UNDETERMINED and c.settlement is not None
                missing = tuple(m.path for m in c.settlement.missing_facts) if undetermined else ()
                row_out[n, item.id, profile] = (
                    c.verdict.value,
                    tuple(r.outcome.value for r in c.criteria),
                    missing,
                )
            rc = RegisterClassifier([profile], on=ON, validate="all", **kw)
            result = rc.classify_table(table)
            assert _columnar([result], profile) == (row_out, rejected)
            assert [n for n, _ in rejected][:1] == [2]  # sales above revenue in 2023
            if not extra:  # rows a (two years) and c (one) in the fast lane
                assert result.summary.fast == 2


class TestOutputFormats:
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(register=registers())
    def test_csv_and_parquet_results_hold_the_same_rows(
        self, tmp_path_factory: pytest.TempPathFactory, register: tuple[str, list[dict[str, str]]]
    ) -> None:
        """Law: classifying a register to CSV or to Parquet writes the same rows (row,
        id, profile, verdict, outcomes, facts to collect), and the same rejected rows."""
        from sse_model._io._batch import classify_file

        profile, rows = register
        tmp = tmp_path_factory.mktemp("outputs")
        source = tmp / "r.csv"
        source.write_text(_csv_text(rows), encoding="utf-8")
        summaries = {}
        for ext in ("csv", "parquet"):
            summaries[ext] = classify_file(
                source, profile, output=tmp / f"o.{ext}", on=ON, errors=tmp / f"e{ext}.jsonl"
            )
        assert summaries["csv"] == summaries["parquet"]
        with (tmp / "o.csv").open(newline="", encoding="utf-8") as f:
            from_csv = list(csv.DictReader(f))

        def cell(v: Any) -> str:
            if v is None:
                return ""
            if isinstance(v, bool):
                return "true" if v else "false"
            if isinstance(v, list):
                return "; ".join(v)
            return str(v)

        from sse_model._io._outputs import escape_formula

        # CSV escapes a text cell a spreadsheet would run as a formula (an id "-2")
        from_parquet = [
            {k: escape_formula(cell(v)) if isinstance(v, str) else cell(v) for k, v in r.items()}
            for r in pq.read_table(tmp / "o.parquet").to_pylist()
        ]
        assert from_csv == from_parquet
        assert (tmp / "ecsv.jsonl").read_text() == (tmp / "eparquet.jsonl").read_text()


class TestTypedTables:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(typed=typed_tables())
    def test_both_lanes_read_typed_columns_alike(
        self, tmp_path_factory: pytest.TempPathFactory, typed: tuple[str, Any]
    ) -> None:
        """Law: a typed table (Arrow, its Parquet file, its pandas and polars frames) gives
        the same classified rows and rejected rows in the per-object lane as in the
        columnar lane: one meaning per typed cell (float32, NaN, -0.0, timestamps,
        durations, struct columns, bytes)."""
        profile, table = typed
        path = tmp_path_factory.mktemp("typed") / "r.parquet"
        pq.write_table(table, path)
        expected = _row_lane(table, profile)
        assert _table_lane(table, profile) == expected, "arrow, columnar lane"
        assert _row_lane(path, profile) == expected, "parquet, per-object lane"
        assert _file_lane(path, profile) == expected, "parquet, columnar lane"
        frame = table.to_pandas()
        assert _row_lane(frame, profile) == _table_lane(frame, profile), "pandas"
        polars = pl.from_arrow(table)
        assert _row_lane(polars, profile) == _table_lane(polars, profile), "polars"

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(register=registers())
    def test_exact_floats_read_as_their_text(
        self, register: tuple[str, list[dict[str, str]]]
    ) -> None:
        """Law: counts as float64 (-0.0 for 0, NaN for unknown) read as the integers
        the text gives, in both lanes: a float cell means the decimal it prints as."""
        profile, rows = register
        text = _text_table(rows)
        arrays = {}
        for name in text.column_names:
            cells = text.column(name).to_pylist()
            arrays[name] = text.column(name)
            if name in _INT_FIELDS and all(c.strip().isdigit() for c in cells if c.strip()):
                arrays[name] = pa.array(
                    [
                        float("nan") if not c.strip() else (-0.0 if int(c) == 0 else float(c))
                        for c in cells
                    ]
                )
        typed = pa.table(arrays)
        expected = _row_lane(text, profile)
        assert _row_lane(typed, profile) == expected
        assert _table_lane(typed, profile) == expected


# --- frames as pandas, polars and Arrow read a CSV file ------------------------------------

_MONEY_COLUMNS = columns_of(Kind.MONEY) | columns_of(Kind.SIGNED_MONEY)
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _float_text(cell: str) -> str:
    """A number cell as a float64 gives it back (the CSV text a frame reader can hold
    exactly: float64 keeps about 15 significant digits, which no reader can help)."""
    from decimal import Decimal, InvalidOperation

    from sse_model._io._typed import positional

    try:
        exact = Decimal(cell)
    except InvalidOperation:
        return cell
    if not exact.is_finite() or cell.strip() != cell or "e" in cell.lower():
        return cell
    as_float = positional(repr(float(cell)))
    return cell if Decimal(as_float) == exact else as_float


@st.composite
def big_registers(draw: st.DrawFn, clean: bool = False) -> tuple[str, list[dict[str, str]]]:
    """A profile and text rows (as :func:`registers`, or without bad cells and with
    unique ids when *clean*), each row's amounts scaled by one power of ten up to
    10**8 (so amounts of 1e10 and more are common: VND, KRW), dates as ISO text."""
    from decimal import Decimal

    from sse_model._io._typed import positional

    if clean:
        profile = draw(st.sampled_from(PROFILES), label="profile")
        orgs = draw(st.lists(testing.organisations_for(profile), min_size=1, max_size=5))
        rows = [{**to_flat(o), "id": f"o{i}"} for i, o in enumerate(orgs)]
    else:
        profile, rows = draw(registers())
    for r in rows:
        numbers = {
            name: Decimal(cell)
            for name, cell in r.items()
            if (name in _MONEY_COLUMNS or name in SHARES) and _NUMBER.fullmatch(cell)
        }
        if clean:  # float64 holds about 15 significant digits: no reader can help that
            assume(all(_float_text(r[name]) == r[name] for name in numbers))
        amounts = [abs(v) for name, v in numbers.items() if name in _MONEY_COLUMNS]
        # one factor per row keeps its sums and ratios; below 10**17, as int64 holds it
        scale = min(
            draw(st.integers(0, 8), label="amounts times 10**"),
            17 - len(str(int(max(amounts, default=0)))),
        )
        for name, v in numbers.items():
            if name in _MONEY_COLUMNS:
                r[name] = positional(str(v.scaleb(max(scale, 0))))
            r[name] = _float_text(r[name])
        for name, cell in r.items():
            if cell == "0999":  # a frame reader reads it as the number 999: not the text
                r[name] = "abc"
    return profile, rows


def _frames(path: Path, rows: list[dict[str, str]]) -> dict[str, Any]:
    """The CSV file as pandas (plain, ``parse_dates``, nullable and Arrow dtypes),
    polars (with dates parsed) and Arrow's CSV reader give it, straight from their readers."""
    import pyarrow.csv as pacsv

    dates = [c for c in _columns(rows) if c in DATES or c.startswith("certification.")]
    return {
        "pandas": pd.read_csv(path),
        "pandas parse_dates": pd.read_csv(path, parse_dates=dates, date_format="%Y-%m-%d"),
        "pandas numpy_nullable": pd.read_csv(
            path, parse_dates=dates, date_format="%Y-%m-%d", dtype_backend="numpy_nullable"
        ),
        "pandas pyarrow": pd.read_csv(path, dtype_backend="pyarrow"),
        "polars": pl.read_csv(path, try_parse_dates=True),
        "arrow": pacsv.read_csv(path),
    }


class TestTypedFrames:
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(register=big_registers())
    def test_frames_from_csv_readers_classify_as_their_text(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        register: tuple[str, list[dict[str, str]]],
    ) -> None:
        """Law: a register written as CSV and read back by pandas (with and without
        ``parse_dates``, nullable or Arrow dtypes), polars or Arrow's CSV reader, with
        float64 amounts of 1e10 and more, datetime columns, booleans, integer columns with
        gaps and NaN, gives the verdicts, outcomes, rejected rows and error paths of the
        same rows as text, in ``classify_table`` and in ``read_register`` + ``classify``."""
        profile, rows = register
        path = tmp_path_factory.mktemp("frames") / "r.csv"
        path.write_text(_csv_text(rows), encoding="utf-8")
        expected = _row_lane(_text_table(rows), profile)
        assert _row_lane(path, profile) == expected, "csv file"
        for kind, frame in _frames(path, rows).items():
            assert _table_lane(frame, profile) == expected, f"{kind}, classify_table"
            assert _row_lane(frame, profile) == expected, f"{kind}, read_register"

    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(register=big_registers(clean=True))
    def test_clean_register_from_read_csv_has_no_rejection(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        register: tuple[str, list[dict[str, str]]],
    ) -> None:
        """Law: a register with no bad cell, straight from ``pd.read_csv`` (amounts of
        1e10 and more as float64, dates parsed as datetime64), classifies with 0
        rejections, equal to the same data as text."""
        profile, rows = register
        path = tmp_path_factory.mktemp("clean") / "r.csv"
        path.write_text(_csv_text(rows), encoding="utf-8")
        expected = _row_lane(_text_table(rows), profile)
        assert expected[1] == []
        for kind in ("pandas", "pandas parse_dates"):
            frame = _frames(path, rows)[kind]
            assert _table_lane(frame, profile) == expected, kind

    _ROW: ClassVar[dict[str, str]] = {
        "id": "a",
        "name": "A",
        "country": "VN",
        "legal_form": "vn/cooperative",
    }

    def _read(self, frame: Any) -> Any:
        (org,) = s.read_register(frame)
        assert not isinstance(org, RejectedRow), org.errors
        assert _row_lane(frame, "vn/cooperative") == _table_lane(frame, "vn/cooperative")
        return org

    @pytest.mark.parametrize(
        ("value", "amount"),
        [
            (1.47e10, "14700000000"),
            (1.5e16, "15000000000000000"),
            (1e22, "10000000000000000000000"),
            (0.51, "0.51"),
            (1e-7, "0.0000001"),
        ],
    )
    def test_float_amount_reads_as_positional_decimal(
        self, tmp_path: Path, value: float, amount: str
    ) -> None:
        """A float64 amount (pandas, polars, a list of dicts, an Excel number, a JSON
        number) is the decimal its shortest repr gives, written without exponent (never
        ``'1.5e+16'``)."""
        from decimal import Decimal

        cells = {**self._ROW, "fiscal_year": 2024, "currency": "VND", "finances.revenue": value}
        xlsx, records = tmp_path / "r.xlsx", tmp_path / "r.json"
        wb = openpyxl.Workbook()
        wb.active.append(list(cells))
        wb.active.append(list(cells.values()))
        wb.save(xlsx)
        records.write_text(json.dumps([cells]), encoding="utf-8")  # a JSON number
        for source in (pd.DataFrame([cells]), pl.DataFrame([cells]), [cells], xlsx, records):
            (org,) = s.read_register(source)
            assert not isinstance(org, RejectedRow), org.errors
            assert org.finances[0].revenue.amount == Decimal(amount)
        assert _table_lane(pd.DataFrame([cells]), "vn/cooperative")[1] == []
        assert _file_lane(xlsx, "vn/cooperative") == _row_lane(xlsx, "vn/cooperative")

    def test_float32_amount_reads_as_its_own_shortest_decimal(self) -> None:
        """A float32 amount is the shortest decimal of float32 precision (``1.47e10`` is
        14700000000, not the 14700000256 it holds), in an Arrow or polars column, as a
        numpy scalar in a pandas object column, and a JSON-like dict, in both lanes."""
        from decimal import Decimal

        values = [1.47e10, 1.5e16, 0.3]
        row = {**self._ROW, "fiscal_year": 2024, "currency": "VND"}
        columns = {k: [v] * 3 for k, v in row.items()} | {"id": ["a", "b", "c"]}
        cells = pd.Series([np.float32(v) for v in values], dtype=object)
        for table in (
            pa.table({**columns, "finances.revenue": pa.array(values, pa.float32())}),
            pl.DataFrame({**columns, "finances.revenue": pl.Series(values, dtype=pl.Float32)}),
            pd.DataFrame(columns).assign(**{"finances.revenue": cells}),
        ):
            orgs = list(s.read_register(table))
            assert [o.finances[0].revenue.amount for o in orgs] == [
                Decimal("14700000000"),
                Decimal("15000000000000000"),
                Decimal("0.3"),
            ]
            assert _row_lane(table, "vn/cooperative") == _table_lane(table, "vn/cooperative")

    def test_numpy_cells_read_as_their_typed_columns(self) -> None:
        """numpy ``datetime64`` (any unit, NaT) and float32 scalars in a pandas object
        column read as their typed columns do: a day at midnight, NaT unknown, the
        float32's own shortest decimal."""
        from sse_model._io._typed import text

        assert text(np.datetime64("2012-03-31T00:00:00.000000000")) == "2012-03-31"
        assert text(np.datetime64("2012-03-31")) == "2012-03-31"
        assert text(np.datetime64("NaT")) == ""
        assert text(np.datetime64("2012-03-31T10:00")) == "2012-03-31T10:00"
        assert text(np.float32(1.47e10)) == "14700000000"
        assert text(np.float32("nan")) == ""

    def test_polars_integers_beyond_int64_keep_their_digits(self) -> None:
        """An integer beyond int64 (``pl.read_csv`` infers Int128, which Arrow cannot
        import) reads with its exact digits in both lanes, never an ``ArrowInvalid``."""
        from decimal import Decimal

        text = "id,name,country,fiscal_year,currency,finances.revenue\n"
        text += "a,A,VN,2024,VND,150000000000000000001\nb,B,VN,2024,VND,\n"
        frame = pl.read_csv(io.StringIO(text))
        assert frame.schema["finances.revenue"] == pl.Int128
        first, second = s.read_register(frame)
        assert first.finances[0].revenue.amount == Decimal("150000000000000000001")
        assert not second.finances
        assert _row_lane(frame, "vn/cooperative") == _table_lane(frame, "vn/cooperative")

    def test_decimal_amounts_keep_their_digits(self) -> None:
        """Arrow decimal128/256 and Python Decimal amounts keep their exact digits, with
        no exponent (Arrow writes ``1.0E-7``)."""
        from decimal import Decimal

        values = [Decimal("1E+16"), Decimal("0.0000001"), Decimal("12345678901234567890.12")]
        for kind in (pa.decimal128(38, 8), pa.decimal256(40, 8)):
            table = pa.table(
                {
                    **{k: [v] * 3 for k, v in self._ROW.items()},
                    "id": ["a", "b", "c"],
                    "fiscal_year": [2024] * 3,
                    "currency": ["VND"] * 3,
                    "finances.revenue": pa.array(values, kind),
                }
            )
            orgs = list(s.read_register(table))
            assert [o.finances[0].revenue.amount for o in orgs] == values
            assert _row_lane(table, "vn/cooperative") == _table_lane(table, "vn/cooperative")
        records = [
            {**self._ROW, "id": f"r{i}", "fiscal_year": 2024, "currency": "VND", "finances.revenue": v}
            for i, v in enumerate(values)
        ]  # fmt: skip
        assert [o.finances[0].revenue.amount for o in s.read_register(records)] == values

    @pytest.mark.parametrize(
        "column",
        [
            pd.Series(pd.to_datetime(["2012-03-31", None])),
            pd.Series(pd.to_datetime(["2012-03-31", None])).astype("datetime64[s]"),
            pd.Series(pd.to_datetime(["2012-03-31", None])).astype("datetime64[ms]"),
            pd.Series(pd.to_datetime(["2012-03-31", None])).dt.tz_localize("Europe/Paris"),
            pd.Series(pd.to_datetime(["2012-03-31", None])).dt.tz_localize("Asia/Ho_Chi_Minh"),
            pd.Series([date(2012, 3, 31), None], dtype=object),
            pa.array([datetime(2012, 3, 31), None], pa.timestamp("ns", tz="UTC")),
            pa.array([date(2012, 3, 31), None], pa.date64()),
            pl.Series([datetime(2012, 3, 31), None]),
            pl.Series([date(2012, 3, 31), None]),
        ],
        ids=[
            "ns",
            "s",
            "ms",
            "tz-paris",
            "tz-hcm",
            "object-dates",
            "arrow-tz-utc",
            "date64",
            "polars-datetime",
            "polars-date",
        ],
    )
    def test_timestamp_at_midnight_is_its_day(self, column: Any) -> None:
        """A timestamp at midnight on its own wall clock (no zone, or its zone) and a date
        read as that day in both lanes; NaT and null are unknown."""
        cells = {k: [v, v] for k, v in self._ROW.items()} | {"id": ["a", "b"]}
        if isinstance(column, pd.Series):
            frame: Any = pd.DataFrame(cells).assign(**{"registration.registered_on": column})
        elif isinstance(column, pl.Series):
            frame = pl.DataFrame(cells).with_columns(column.alias("registration.registered_on"))
        else:
            frame = pa.table({**cells, "registration.registered_on": column})
        orgs = list(s.read_register(frame))
        assert [o.registration and o.registration.registered_on for o in orgs] == [
            date(2012, 3, 31),
            None,
        ]
        assert _row_lane(frame, "vn/cooperative") == _table_lane(frame, "vn/cooperative")

    @pytest.mark.parametrize(
        "stamp",
        [
            pd.Timestamp("2012-03-31 12:00"),
            pd.Timestamp("2012-03-31 00:00:00.000000001"),
            pd.Timestamp("2012-03-30 22:00", tz="UTC").tz_convert("Europe/Paris") + pd.Timedelta(hours=1),
        ],
        ids=["noon", "one-nanosecond", "shifted-zone"],
    )  # fmt: skip
    def test_timestamp_with_a_time_of_day_rejects_its_row(self, stamp: Any) -> None:
        """A timestamp with a time of day in a date column rejects the row with the
        date field's error, the same in every path (frame, Arrow, nested record)."""
        frame = pd.DataFrame([{**self._ROW, "registration.registered_on": stamp}])
        for source in (frame, pa.Table.from_pandas(frame)):
            row = _row_lane(source, "vn/cooperative")
            assert row[1] == [(1, ("registration.registered_on",))]
            assert _table_lane(source, "vn/cooperative") == row
        nested = {**self._ROW, "registration": {"registered_on": stamp}}
        with pytest.raises(s.InvalidInput, match="expected a date"):
            s.structure(nested, s.Organisation)
        day = {**self._ROW, "registration": {"registered_on": pd.Timestamp("2012-03-31")}}
        assert s.structure(day, s.Organisation).registration.registered_on == date(2012, 3, 31)

    def test_nullable_and_boolean_dtypes_read_as_typed(self) -> None:
        """numpy bool, pandas boolean/Int64/Float64/string with <NA>, and Arrow bool read
        as their values, <NA> as unknown, in both lanes."""
        frame = pd.DataFrame(
            {
                "id": pd.array(["a", "b"], dtype="string"),
                "name": pd.array(["A", "B"], dtype="string[pyarrow]"),
                "country": ["VN", "VN"],
                "legal_form": pd.array(["vn/cooperative", pd.NA], dtype="string"),
                "membership.open": pd.array([True, pd.NA], dtype="boolean"),
                "membership.voluntary": [True, False],
                "governance.members": pd.array([12, pd.NA], dtype="Int64"),
                "workforce.volunteers": pd.array([3.0, pd.NA], dtype="Float64"),
            }
        )
        a, b = self._read(frame[:1]), list(s.read_register(frame))[1]
        assert (a.membership.open, a.membership.voluntary) == (True, True)
        assert (a.governance.members, a.workforce.volunteers) == (12, 3)
        assert b.legal_form is None and b.membership.open is None
        assert b.membership.voluntary is False
        assert b.governance is None or b.governance.members is None
        self._read(pa.Table.from_pandas(frame[:1]))

    def test_scalar_records_read_as_the_frame_of_them(self) -> None:
        """A list of dicts whose values are all scalars (no dotted key) is read as flat
        rows, as the same rows as a DataFrame: ``""`` is unknown, not an invalid value;
        a record holding an object (the JSON shape of ``Organisation``) stays nested."""
        records = [
            {**self._ROW, "family": "", "fiscal_year": 2024, "currency": "VND"},
            {**self._ROW, "id": "b", "name": "", "family": "", "membership": None},
        ]
        expected = _row_lane(pd.DataFrame(records), "vn/cooperative")
        assert expected[1] == [(2, ("name",))]
        assert _row_lane(records, "vn/cooperative") == expected
        assert _table_lane(records, "vn/cooperative") == expected
        nested = [{**self._ROW, "governance": {"members": ""}}]
        assert _row_lane(nested, "vn/cooperative")[1] == [(1, ("governance.members",))]

    @pytest.mark.parametrize(
        ("cells", "column"),
        [
            ({"finances.2011.revenue": "-5", "finances.2012.revenue": "3"}, "finances.2011.revenue"),
            ({"fiscal_year": "2011", "finances.revenue": "-5"}, "finances.revenue"),
        ],
        ids=["several-years", "one-year"],
    )  # fmt: skip
    def test_rejected_amount_names_its_column(
        self, tmp_path: Path, cells: dict[str, str], column: str
    ) -> None:
        """A bad amount in a finances column is reported at the column's name (not
        ``finances[2011].revenue``), so the error report shows its raw cell."""
        rows = [{**self._ROW, "currency": "EUR", **cells}]
        path = tmp_path / "r.csv"
        path.write_text(_csv_text(rows), encoding="utf-8")
        (row,) = s.read_register(path)
        assert isinstance(row, RejectedRow)
        assert [e.path for e in row.errors] == [column]
        assert row.raw[column] == "-5"
        assert _same_in_both_lanes(path, "vn/cooperative")[1] == [(1, (column,))]


class TestBadTypedColumns:
    def _table(self, **extra: Any) -> Any:
        return pa.table({"id": ["a", "b"], "name": ["A", "B"], "country": ["FR", "FR"], **extra})

    @pytest.mark.parametrize(
        ("column", "values"),
        [
            ("workforce.volunteer_hours", pa.array([timedelta(hours=2), None], pa.duration("us"))),
            (
                "governance",
                pa.array([[("members", "5")], None], pa.map_(pa.string(), pa.string())),
            ),
            ("name", pa.array([b"\xff\xfe", b"B"], pa.binary())),
            # Parquet does not check its strings: a string column may hold bytes that are
            # not UTF-8 (found by fuzz/fuzz_register.py)
            ("name", pa.array([b"\xc3x", b"B"], pa.binary()).view(pa.string())),
        ],
        ids=["duration", "map", "bytes-not-utf8", "string-not-utf8"],
    )
    def test_cell_without_text_form_rejects_its_row_in_both_lanes(
        self, column: str, values: Any
    ) -> None:
        """A duration, a map or bytes that are not UTF-8 reject the row (never raw
        microseconds, never ``b'..'``) with the same error path in both lanes."""
        table = self._table(**{column: values})
        row = _row_lane(table, "intl/ilo-2022")
        assert row == _table_lane(table, "intl/ilo-2022")
        assert row[1] == [(1, (column,))]
        (rejected,) = [r for r in s.read_register(table) if isinstance(r, RejectedRow)]
        assert rejected.errors[0].message.startswith("expected")

    @pytest.mark.parametrize("currency", [None, "EUR", "$"])
    def test_rejected_typed_row_lists_the_other_errors_alike(self, currency: str | None) -> None:
        """A row rejected for a duration also lists its other problems (a bare amount
        without a currency), the same in both lanes, whatever the file currency."""
        table = self._table(
            **{
                "workforce.volunteer_hours": pa.array([timedelta(hours=2)] * 2, pa.duration("s")),
                "fiscal_year": [2024, 2024],
                "finances.revenue": [5.0, 7.5],
            }
        )
        row: dict[int, tuple[str, ...]] = {}
        for item in s.read_register(table, currency=currency):
            assert isinstance(item, RejectedRow)
            row[item.number] = tuple(e.path for e in item.errors)
        rc = RegisterClassifier(["intl/ilo-2022"], on=ON, currency=currency)
        result = rc.classify_table(table)
        assert {r.number: tuple(e.path for e in r.errors) for r in result.rejected} == row
        assert all(paths[0] == "workforce.volunteer_hours" for paths in row.values())

    def test_pandas_duplicate_column_names_unreadable_in_both_lanes(self) -> None:
        """A pandas frame naming a column twice is unreadable in both lanes."""
        frame = pd.concat([self._table().to_pandas(), pd.DataFrame({"name": ["X", "Y"]})], axis=1)
        with pytest.raises(s.UnreadableInput, match="each column once"):
            list(s.read_register(frame))
        with pytest.raises(s.UnreadableInput, match="each column once"):
            s.classify_table(frame, "intl/ilo-2022", on=ON)

    def test_float32_share_reads_as_its_shortest_decimal(self) -> None:
        """A float32 share 0.3 is 0.3 (not 0.30000001...) in both lanes: the same verdict."""
        table = pa.table(
            {
                "id": ["c1"],
                "name": ["Coop"],
                "country": ["VN"],
                "legal_form": ["vn/cooperative"],
                "governance.foreign_capital_share": pa.array([0.3], pa.float32()),
            }
        )
        (org,) = s.read_register(table)
        assert str(org.governance.foreign_capital_share) in ("3/10", "0.3")
        assert _row_lane(table, "vn/cooperative") == _table_lane(table, "vn/cooperative")

    def test_header_names_stripped_in_the_columnar_lane(self, tmp_path: Path) -> None:
        """A CSV header ``id, name, country`` reads as ``id,name,country`` in both lanes."""
        path = tmp_path / "spaces.csv"
        path.write_text("id, name, country\na,A,FR\n", encoding="utf-8")
        expected = _row_lane(path, "intl/ilo-2022")
        assert not expected[1]
        assert _file_lane(path, "intl/ilo-2022") == expected


def _same_in_both_lanes(path: Path, profile: str = "intl/ilo-2022") -> tuple[Results, Rejected]:
    expected = _row_lane(path, profile)
    assert _file_lane(path, profile) == expected
    return expected


class TestColumnarCsvReader:
    def _rows(self, n: int) -> str:
        return "".join(f"i{i},Name {i},FR\n" for i in range(n))

    @pytest.mark.parametrize("chunk", [64, 1 << 24])
    def test_blank_lines_are_numbered_alike(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
    ) -> None:
        """Blank lines are no rows but keep their number in both lanes, so the rows
        after them (ragged or not) have the same numbers (found by fuzz/fuzz_register.py:
        the columnar lane numbered past blank lines as if they were not there)."""
        from sse_model._io import _batch

        monkeypatch.setattr(_batch, "CSV_CHUNK", chunk)
        path = tmp_path / "blank.csv"
        path.write_text(
            "id,name,country\na,A,FR\n\n\n" + "\n" * 80 + 'b,B\nc,"C\n\nC",FR\n\nd,D,FR\n',
            encoding="utf-8",
        )
        row_lane = [
            r.number if isinstance(r, RejectedRow) else r.id for r in s.read_register(path)
        ]
        assert row_lane == ["a", 84, "c", "d"]
        rc = RegisterClassifier(["intl/ilo-2022"], on=ON)
        results = list(stream_file(rc, path))
        assert [r.number for res in results for r in res.rejected] == [84]
        rows = [(r["row"], r["organisation_id"]) for res in results for r in res.table.to_pylist()]
        assert rows == [(1, "a"), (85, "c"), (87, "d")]

    def test_cr_only_line_ends_read_as_the_row_reader_reads_them(self, tmp_path: Path) -> None:
        """A CSV whose lines end in CR only (classic Mac, old Excel) is read by the
        columnar lane as by the per-object reader, not refused with a csv error."""
        path = tmp_path / "cr.csv"
        path.write_bytes(b"id,name,country\ra,A,FR\rb,B,FR\r")
        results, rejected = _same_in_both_lanes(path)
        assert len(results) == 2 and not rejected

    def test_stray_quote_does_not_make_one_chunk_of_the_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A quote inside an unquoted cell (``5" Pipes``) makes the parity of quotes lie
        (the whole 55 MB file became one chunk, 5.26 GB): the columnar reader then cuts
        where the csv module ends records, and reads every row as the row reader does."""
        from sse_model._io import _batch

        monkeypatch.setattr(_batch, "CSV_CHUNK", 64)
        path = tmp_path / "stray.csv"
        path.write_text(
            "id,name,country\n"
            + self._rows(5)
            + 's,5" Pipes Ltd,FR\n'
            + "".join(f"k{i},K,FR\n" for i in range(60)),
            encoding="utf-8",
        )
        tables = list(_batch._csv_batches(str(path), delimiter=",", encoding="utf-8", bad=[]))
        assert not any(isinstance(t, _batch._Objects) for t in tables)
        assert max(t.num_rows for t in tables) < 10  # chunks stay small after the quote
        results, rejected = _same_in_both_lanes(path)
        assert len(results) == 66 and not rejected

    def test_unterminated_quote_past_the_cell_limit_goes_to_the_row_reader(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A quoted cell that never ends is not held past the cell limit: the rows from
        there on are read by the row reader, with its answer (one folded, rejected row)."""
        from sse_model._io import _batch, _readers

        monkeypatch.setattr(_batch, "CSV_CHUNK", 64)
        monkeypatch.setattr(_readers, "_CSV_FIELD_LIMIT", 4096)
        path = tmp_path / "open.csv"
        path.write_text(
            "id,name,country\n" + self._rows(5) + 'b,"B,FR\n' + self._rows(300)[60:],
            encoding="utf-8",
        )
        tables = list(_batch._csv_batches(str(path), delimiter=",", encoding="utf-8", bad=[]))
        assert any(isinstance(t, _batch._Objects) for t in tables)
        expected = _row_lane(path, "intl/ilo-2022")
        assert _file_lane(path, "intl/ilo-2022") == expected

    def test_chunks_hold_a_bounded_number_of_rows(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Narrow rows are classified at most CSV_CHUNK_ROWS at a time (memory bounded by
        rows as well as bytes), numbered as the per-object reader numbers them."""
        from sse_model._io import _batch

        monkeypatch.setattr(_batch, "CSV_CHUNK_ROWS", 7)
        path = tmp_path / "narrow.csv"
        path.write_text(
            "id,name,country\n" + self._rows(30) + "x,X\n" + self._rows(3), encoding="utf-8"
        )
        rc = RegisterClassifier(["intl/ilo-2022"], on=ON)
        sizes = [r.summary.rows for r in stream_file(rc, path)]
        assert max(sizes) <= 7 + 1 and sum(sizes) == 34
        _results, rejected = _same_in_both_lanes(path)
        assert [n for n, _ in rejected] == [31, 32, 33, 34]  # ragged, then repeated ids

    def test_very_wide_header_is_read_by_the_row_reader(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A header of more than COLUMNAR_MAX_COLUMNS columns (400,000 took 80 s and
        3.9 GB in the columnar reader) is read by the per-object reader: same rows."""
        from sse_model._io import _batch

        monkeypatch.setattr(_batch, "COLUMNAR_MAX_COLUMNS", 5)
        path = tmp_path / "wide.csv"
        extra = ",".join(f"certification.x{i}" for i in range(10))
        path.write_text(
            f"id,name,country,{extra}\na,A,FR" + "," * 10 + "\nb,B,FR,1" + "," * 9 + "\n",
            encoding="utf-8",
        )
        results, rejected = _same_in_both_lanes(path)
        assert len(results) == 1 and [n for n, _ in rejected] == [2]

    @pytest.mark.parametrize(
        "header",
        ["id,name,name,country", "id;name;country", "id,,country"],
        ids=["dup", "delim", "unnamed"],
    )
    def test_bad_header_unreadable_with_the_row_readers_message(
        self, tmp_path: Path, header: str
    ) -> None:
        """A duplicated or unnamed column, or the wrong delimiter, is the same
        UnreadableInput (naming the file) in the columnar lane as in the row reader."""
        path = tmp_path / "h.csv"
        path.write_text(header + "\na,A,FR\n", encoding="utf-8")
        with pytest.raises(s.UnreadableInput) as row:
            list(s.read_register(path))
        with pytest.raises(s.UnreadableInput) as columnar:
            list(stream_file(RegisterClassifier(["intl/ilo-2022"], on=ON), path))
        assert str(columnar.value) == str(row.value)

    def test_truncated_gzip_is_unreadable_not_eof_error(self, tmp_path: Path) -> None:
        """A truncated .csv.gz raises UnreadableInput in the columnar lane, as in the
        per-object reader (never a bare EOFError)."""
        data = gzip.compress(("id,name,country\n" + self._rows(20_000)).encode())
        path = tmp_path / "t.csv.gz"
        path.write_bytes(data[: len(data) // 2])
        with pytest.raises(s.UnreadableInput):
            list(stream_file(RegisterClassifier(["intl/ilo-2022"], on=ON), path))
        with pytest.raises(s.UnreadableInput):
            list(s.read_register(path))

    @pytest.mark.parametrize("symbol", ["€", "$", "#", "'"])
    def test_odd_currency_cells_rejected_as_the_row_reader_rejects_them(
        self, tmp_path: Path, symbol: str
    ) -> None:
        """A currency cell such as ``€`` gets the row reader's row error in the
        columnar lane too (the columnar lane never lets the unit parser's errors out)."""
        path = tmp_path / "cur.csv"
        path.write_text(
            f"id,name,country,fiscal_year,currency,finances.revenue\na,A,FR,2024,{symbol},5\n"
            "b,B,FR,2024,EUR,5\n",
            encoding="utf-8",
        )
        _same_in_both_lanes(path)

    def test_bad_file_currency_rejects_rows_with_amounts(self, tmp_path: Path) -> None:
        """``currency='$'`` for the file gives, in the columnar lane, what the row
        reader gives for the rows that need it."""
        path = tmp_path / "cur.csv"
        path.write_text("id,name,country,fiscal_year,finances.revenue\na,A,FR,2024,5\nb,B,FR,,\n")
        kw = {"currency": "$"}
        expected = _row_lane(path, "intl/ilo-2022", **kw)
        rc = RegisterClassifier(["intl/ilo-2022"], on=ON, currency="$")
        assert _columnar(stream_file(rc, path), "intl/ilo-2022") == expected

    @pytest.mark.parametrize("year", [-5, 0, 999, 10_000, 3_000_000_000])
    def test_fiscal_year_out_of_range_refused_before_reading(self, year: int) -> None:
        """A fiscal year no row can hold (outside 1000..9999) is refused with
        InvalidInput, never an OverflowError or a garbled ``finances[16379]``."""
        table = pa.table({"id": ["a"], "name": ["A"], "country": ["FR"]})
        with pytest.raises(s.InvalidInput, match="expected a year from 1000 to 9999"):
            s.classify_table(table, "intl/ilo-2022", on=ON, fiscal_year=year)


class TestSeenIds:
    def test_one_long_id_does_not_widen_the_index(self) -> None:
        """One 10,000-character id among short ones costs its own length: the short
        ids stay in a narrow fixed width (a 150,001-row file took 4.6 GB)."""
        from sse_model._io._batch import _SeenIds

        seen = _SeenIds()
        ids = pa.array(["L" * 10_000, *(f"i{i}" for i in range(1000))])
        numbers = pa.array(range(1, 1002)).to_numpy()
        import numpy as np

        assert seen.add(ids, numbers, np.ones(1001, dtype=bool)) == []
        assert max(k.dtype.itemsize for k, _ in seen.levels) <= 65
        again = pa.array(["i5", "L" * 10_000, "L" * 9_999 + "M"])
        hits = seen.add(again, np.array([2000, 2001, 2002]), np.ones(3, dtype=bool))
        assert hits == [(0, 7), (1, 1)]


_PLAIN = st.text(alphabet='ab "é', max_size=5).filter(lambda t: not t.startswith('"'))
_QUOTED = st.text(alphabet='ab ,"\n', max_size=5).map(lambda t: '"' + t.replace('"', '""') + '"')


class TestStrayQuotes:
    @settings(max_examples=60, deadline=None)
    @given(
        rows=st.lists(st.lists(st.one_of(_PLAIN, _QUOTED), min_size=3, max_size=3), max_size=20),
        chunk=st.integers(1, 64),
    )
    def test_chunks_cut_where_csv_ends_records(
        self, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], chunk: int
    ) -> None:
        """Law: with quotes inside unquoted cells (``5" Pipes``) as well as quoted cells,
        the columnar CSV reader, cutting chunks of any size, reads the rows Python's csv
        module reads from the whole file."""
        from sse_model._io import _batch

        # any three vocabulary columns: the chunker reads text, whatever it means
        text = "id,name,country\n" + "".join(",".join(r) + "\n" for r in rows)
        path = tmp_path_factory.mktemp("stray") / "f.csv"
        path.write_text(text, encoding="utf-8")
        expected = [r for r in csv.reader(io.StringIO(text, newline="")) if r][1:]
        old = _batch.CSV_CHUNK
        _batch.CSV_CHUNK = chunk
        try:
            bad: list[RejectedRow] = []
            tables = list(_batch._csv_batches(str(path), delimiter=",", encoding="utf-8", bad=bad))
        finally:
            _batch.CSV_CHUNK = old
        assert not any(isinstance(t, _batch._Objects) for t in tables)
        good = [
            [t.column(c)[i].as_py() for c in ("id", "name", "country")]
            for t in tables
            for i in range(t.num_rows)
        ]
        assert good == [r for r in expected if len(r) == 3]
        assert not bad


_THRESHOLD_PROFILE = """
format = 1
id = "xx/threshold"
title = "Threshold"
jurisdiction = "XX"

[[instruments]]
id = "act"
title = "Act"

[[versions]]
label = "v1"
effective_from = 2020-01-01

[[criteria]]
id = "c"
description = "d"
instrument = "act"
article = "Art. 1"
principles = ["autonomy"]
test = { fact = "governance.foreign_capital_share", at_most = "THRESHOLD" }
"""


class TestThresholds:
    @pytest.mark.parametrize("threshold", ["1/" + "9" * 400, "1/" + "9" * 330])
    def test_threshold_beyond_float_range_decided_exactly(self, threshold: str) -> None:
        """A valid share threshold whose terms float cannot hold (``1/999…9``; unit
        powers such as ``1 percent**160`` are refused when the profile is read)
        is decided by the exact lane: the columnar lane gives the per-object verdicts,
        never an OverflowError."""
        profile = s.parse_profile(_THRESHOLD_PROFILE.replace("THRESHOLD", threshold))
        table = pa.table(
            {
                "id": ["a", "b"],
                "name": ["A", "B"],
                "country": ["FR", "FR"],
                "governance.foreign_capital_share": ["0.5", ""],
            }
        )
        got = [r["verdict"] for r in s.classify_table(table, profile, on=ON).table.to_pylist()]
        want = [
            CLASSIFIER.classify(o, profile, on=ON).verdict.value for o in s.read_register(table)
        ]
        assert got == want == ["does_not_qualify", "undetermined"]
