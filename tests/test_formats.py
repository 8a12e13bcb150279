"""The field's exchange formats: GeoJSON features and Murmurations profiles read as flat
records of their own names, and classified organisations published as Murmurations
profiles with their verdicts and citations."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sse_model as s
from sse_model import Organisation, RejectedRow, UnreadableInput, read_register, to_flat_row
from sse_model._cli import main
from sse_model._io._batch import RegisterClassifier, stream_file
from sse_model._io._formats import tree_cells
from sse_model._io._murmurations import EXTENSION, SCHEMA
from sse_model._io._sources import file_batches, record_batches

DATA = Path(__file__).parent / "data"
SUSY = DATA / "real-registers" / "susy-transformap" / "excerpt-30.json"
SCHEMAS = DATA / "murmurations"
ON = date(2025, 6, 30)
PROFILES = ["intl/ilo-2022", "fr/ess"]
RS = "\x1e"


def _cells(path: Path, fmt: str) -> list[tuple[int, Any]]:
    """Each row's number and its flat cells (or its rejected row), as both lanes get them."""
    out: list[tuple[int, Any]] = []
    for batch in file_batches(path, fmt):
        for i, number in enumerate(batch.numbers):
            item = batch.items[i]
            out.append((number, item if isinstance(item, RejectedRow) else dict(batch.raw(i))))
    return out


def _organisations() -> list[Organisation]:
    """A few organisations of the shipped sample register (ids unique)."""
    examples = Path(__file__).parent.parent / "examples" / "sample-register.jsonl"
    orgs = [o for o in read_register(examples) if isinstance(o, Organisation)]
    return orgs[:12]


def _feature(props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": None, **extra}


def _collection(features: list[Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def _rejected(items: list[Any]) -> list[tuple[int, list[str]]]:
    return [(r.number, [e.path for e in r.errors]) for r in items if isinstance(r, RejectedRow)]


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_characters=";", blacklist_categories=("Cs",)), max_size=6),
)
_KEYS = st.text("abxyz_:-", min_size=1, max_size=3)
_VALUES = st.recursive(
    _SCALARS | st.lists(_SCALARS, max_size=3),
    lambda inner: st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=12,
)


def _leaves(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in data.items():
        if isinstance(v, dict):
            out += _leaves(v, f"{prefix}{k}.")
        else:
            out.append((prefix + k, v))
    return out


class TestNestedValues:
    @settings(max_examples=60, deadline=None)
    @given(data=st.dictionaries(_KEYS, _VALUES, max_size=4))
    def test_flat_cells_give_back_every_value(self, data: dict[str, Any]) -> None:
        """Law: an object of values, lists of values (without ``;``) and objects flattens
        with no error to one cell per leaf, named by its dotted path: a value's cell is its
        text, a list's cell its items' texts joined with ``;`` (an empty list: blank)."""
        from sse_model._io._typed import text

        cells, errors = tree_cells(data)
        assert errors == []
        leaves = _leaves(data)
        assert sorted(cells) == sorted(path for path, _ in leaves)
        for path, value in leaves:
            if isinstance(value, list):
                assert cells[path] == ";".join(text(x) for x in value)
                if value:
                    assert cells[path].split(";") == [text(x) for x in value]
            else:
                assert cells[path] == text(value)


class TestGeoJSONDocument:
    def test_susy_excerpt_gives_one_record_per_feature(self) -> None:
        """The SUSY/TransforMap excerpt gives 30 rows numbered 1 to 30, each the
        feature's properties under their own names plus the Point's cells."""
        rows = _cells(SUSY, "json")
        assert [n for n, _ in rows] == list(range(1, 31))
        first = rows[0][1]
        assert first["name"] == "Bulgarian Food Bank"
        assert first["addr:country"] == "BG"
        assert first["_timestamp"] == "1505836684470"  # a JSON number, as its digits
        assert first["geometry.type"] == "Point"
        assert first["geometry.longitude"] == "23.33513259888"
        assert first["geometry.latitude"] == "42.69809702239"
        assert "feature.id" not in first  # the SUSY features have no id
        source = json.loads(SUSY.read_text(encoding="utf-8"))["features"]
        for (_, cells), feature in zip(rows, source, strict=True):
            props = {k: str(v) for k, v in feature["properties"].items()}
            assert {k: v for k, v in cells.items() if not k.startswith("geometry.")} == props

    def test_geojson_extension_reads_as_the_json_file(self, tmp_path: Path) -> None:
        """The same FeatureCollection as .geojson gives the same rows as .json."""
        path = tmp_path / "susy.geojson"
        path.write_bytes(SUSY.read_bytes())
        assert _cells(path, "geojson") == _cells(SUSY, "json")
        assert len(list(read_register(path))) == 30

    def test_feature_id_and_other_geometries(self, tmp_path: Path) -> None:
        """A Feature's id is ``feature.id``; a Polygon gives only ``geometry.type`` (its
        bbox and foreign members are not read); a null geometry gives no geometry cell; an
        altitude is ``geometry.altitude``."""
        square = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
        features = [
            _feature({"name": "a"}, id=7),
            _feature(
                {"name": "b"},
                geometry={"type": "Polygon", "coordinates": square},
                bbox=[0, 0, 1, 1],
                source="foreign member",
            ),
            _feature({"name": "c"}),
            _feature({"name": "d"}, geometry={"type": "Point", "coordinates": [2.5, 48.1, 35]}),
        ]
        path = tmp_path / "f.geojson"
        path.write_text(_collection(features), encoding="utf-8")
        cells = [c for _, c in _cells(path, "geojson")]
        assert cells[0] == {"name": "a", "feature.id": "7"}
        assert cells[1] == {"name": "b", "geometry.type": "Polygon"}
        assert cells[2] == {"name": "c"}
        assert cells[3] == {
            "name": "d",
            "geometry.type": "Point",
            "geometry.longitude": "2.5",
            "geometry.latitude": "48.1",
            "geometry.altitude": "35",
        }

    def test_nested_property_values(self, tmp_path: Path) -> None:
        """A list of scalars is one ``;``-joined cell, an object dotted cells, a list of
        objects one joined cell per member (aligned by position), null a blank cell."""
        props = {
            "id": "x",
            "kinds": ["coop", "food", 3],
            "contact": {"email": "a@b.org", "phone": None},
            "links": [{"url": "https://a.org", "name": "web"}, {"url": "https://b.org"}],
            "empty": [],
        }
        path = tmp_path / "f.geojson"
        path.write_text(_collection([_feature(props)]), encoding="utf-8")
        ((_, cells),) = _cells(path, "geojson")
        assert cells == {
            "id": "x",
            "kinds": "coop;food;3",
            "contact.email": "a@b.org",
            "contact.phone": "",
            "links.url": "https://a.org;https://b.org",
            "links.name": "web;",
            "empty": "",
        }

    @pytest.mark.parametrize(
        ("feature", "path"),
        [
            ({"type": "Feature", "geometry": None}, "properties"),
            ({"type": "Feature", "geometry": None, "properties": None}, "properties"),
            ({"type": "Feature", "geometry": None, "properties": ["a"]}, "properties"),
            (_feature({"kinds": ["a;b", "c"]}), "kinds"),
            (_feature({"kinds": [["a"], ["b"]]}), "kinds"),
            (_feature({"kinds": [{"a": {"b": 1}}]}), "kinds.a"),
            (_feature({"a.b": "1", "a": {"b": "2"}}), "a.b"),
            (_feature({"geometry.type": "x"}, geometry={"type": "Polygon"}), "geometry.type"),
            (
                _feature({}, geometry={"type": "Point", "coordinates": [200, 10]}),
                "geometry.coordinates",
            ),
            (
                _feature({}, geometry={"type": "Point", "coordinates": ["1", "2"]}),
                "geometry.coordinates",
            ),
            (_feature({}, geometry=[1, 2]), "geometry"),
            (_feature({}, id={"x": 1}), "id"),
        ],
    )
    def test_feature_without_flat_form_rejects_its_row(
        self, tmp_path: Path, feature: dict[str, Any], path: str
    ) -> None:
        """A feature whose properties, geometry or id have no flat form is a rejected row
        (numbered by its position) naming the member; the features around it are read."""
        good = _feature({"id": "ok"})
        file = tmp_path / "f.geojson"
        file.write_text(_collection([good, feature, good]), encoding="utf-8")
        rows = _cells(file, "geojson")
        assert [n for n, _ in rows] == [1, 2, 3]
        bad = rows[1][1]
        assert isinstance(bad, RejectedRow)
        assert bad.number == 2
        assert path in [e.path for e in bad.errors]
        assert bad.raw["line"] and '"Feature"' in bad.raw["line"]
        assert rows[0][1] == rows[2][1] == {"id": "ok"}

    def test_member_that_is_no_feature_is_rejected(self, tmp_path: Path) -> None:
        """In a FeatureCollection, a Geometry, a string or a FeatureCollection is a rejected
        row that says a Feature was expected (RFC 7946, section 3.2)."""
        members = [{"type": "Point", "coordinates": [0, 0]}, "x", {"type": "FeatureCollection"}]
        file = tmp_path / "f.geojson"
        file.write_text(_collection(members), encoding="utf-8")
        rows = _cells(file, "geojson")
        assert [n for n, _ in rows] == [1, 2, 3]
        for _, row in rows:
            assert isinstance(row, RejectedRow)
            assert "expected a GeoJSON Feature object" in row.errors[0].message
        assert "type 'Point'" in rows[0][1].errors[0].message

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ('{"type": "FeatureCollection", "features": {}}', "'features' array"),
            ('{"type": "FeatureCollection"}', "'features' array"),
            ('[{"type": "Feature", "properties": {}}]', "found a JSON array"),
            ('{"data": [{"name": "x"}]}', "'data' array"),
        ],
    )
    def test_file_that_is_no_geojson_is_unreadable(
        self, tmp_path: Path, text: str, problem: str
    ) -> None:
        """A .geojson file that is no FeatureCollection, Feature or text sequence raises
        UnreadableInput saying what was expected, in both lanes."""
        file = tmp_path / "f.geojson"
        file.write_text(text, encoding="utf-8")
        with pytest.raises(UnreadableInput, match=problem):
            list(read_register(file))
        with pytest.raises(UnreadableInput, match=problem):
            list(stream_file(RegisterClassifier(PROFILES, on=ON), file))

    def test_collection_is_read_feature_by_feature(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A FeatureCollection whose first member is its type is read one feature at a
        time: a collection far above the cap on one JSON value reads whole, with members
        before and after ``features``; a feature above the cap is the only thing refused."""
        from sse_model._io import _readers

        features = json.loads(SUSY.read_text(encoding="utf-8"))["features"]
        cap = max(len(json.dumps(f)) for f in features) + 10
        monkeypatch.setattr(_readers, "MAX_JSON_VALUE_CHARS", cap)
        monkeypatch.setattr(_readers, "_READ_CHARS", 512)
        path = tmp_path / "big.geojson"
        text = json.dumps({"type": "FeatureCollection", "name": "x", "features": features})
        path.write_text(text[:-1] + ', "bbox": [0, 0, 1, 1]}', encoding="utf-8")
        assert len(path.read_text(encoding="utf-8")) > 10 * cap
        assert _cells(path, "geojson") == _cells(SUSY, "json")
        monkeypatch.setattr(_readers, "MAX_JSON_VALUE_CHARS", 300)
        with pytest.raises(UnreadableInput, match="at most 300 characters"):
            _cells(path, "geojson")

    def test_features_before_the_type_read_alike(self, tmp_path: Path) -> None:
        """A FeatureCollection whose ``features`` come before its ``type`` (read as one
        value) gives the same rows as one read feature by feature."""
        features = json.loads(SUSY.read_text(encoding="utf-8"))["features"]
        path = tmp_path / "late.json"
        path.write_text(json.dumps({"features": features, "type": "FeatureCollection"}))
        assert _cells(path, "json") == _cells(SUSY, "json")

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ('{"type": "FeatureCollection", "features": [], "features": []}', "once"),
            ('{"type": "FeatureCollection", "features": [] "x": 1}', "between members"),
            ('{"type": "FeatureCollection", "features": [{}] } 5', "nothing after"),
            ('{"type": "FeatureCollection", "features": [{} {}]}', "between features"),
        ],
    )
    def test_broken_collection_is_unreadable_with_its_line(
        self, tmp_path: Path, text: str, problem: str
    ) -> None:
        """A FeatureCollection with a repeated member, a missing comma or trailing data
        raises UnreadableInput naming the line."""
        path = tmp_path / "f.geojson"
        path.write_text("\n" + text, encoding="utf-8")
        with pytest.raises(UnreadableInput, match=problem) as e:
            _cells(path, "geojson")
        assert e.value.line == 2


class TestGeoJSONSequences:
    def test_text_sequence_reads_as_the_collection(self, tmp_path: Path) -> None:
        """A GeoJSON text sequence (RFC 8142: RS before each text, LF after), also with
        texts over several lines, gives the rows of the same FeatureCollection."""
        features = json.loads(SUSY.read_text(encoding="utf-8"))["features"]
        one = tmp_path / "one.geojsons"
        one.write_text("".join(f"{RS}{json.dumps(f)}\n" for f in features), encoding="utf-8")
        pretty = tmp_path / "pretty.geojson"
        pretty.write_text(
            "".join(f"{RS}{json.dumps(f, indent=2)}\n" for f in features), encoding="utf-8"
        )
        expected = _cells(SUSY, "json")
        assert _cells(one, "geojson") == expected
        assert _cells(pretty, "geojson") == expected

    def test_newline_delimited_features_read_as_the_collection(self, tmp_path: Path) -> None:
        """Features one per line, in .geojson or .jsonl, give the same rows."""
        features = json.loads(SUSY.read_text(encoding="utf-8"))["features"]
        lines = "".join(json.dumps(f) + "\n" for f in features)
        for name, fmt in (
            ("f.geojsonl", "geojson"),
            ("f.geojson", "geojson"),
            ("f.jsonl", "jsonl"),
        ):
            path = tmp_path / name
            path.write_text(lines, encoding="utf-8")
            assert _cells(path, fmt) == _cells(SUSY, "json"), name

    def test_bad_text_in_a_sequence_is_rejected_and_reading_goes_on(self, tmp_path: Path) -> None:
        """A text that is not JSON, or not a Feature, is a rejected row numbered by its
        position; the texts after it are read (as RFC 7464 recommends)."""
        good = json.dumps(_feature({"id": "a"}))
        path = tmp_path / "f.geojson"
        path.write_text(
            f'{RS}{good}\n{RS}{{"type": "Feature", \n{RS}[1]\n{RS}\n{RS}{good}\n', encoding="utf-8"
        )
        rows = _cells(path, "geojson")
        assert [n for n, _ in rows] == [1, 2, 3, 4]
        assert rows[0][1] == rows[3][1] == {"id": "a"}
        assert isinstance(rows[1][1], RejectedRow)
        assert "expected a JSON text" in rows[1][1].errors[0].message
        assert rows[1][1].raw["line"].startswith('{"type": "Feature"')
        assert "expected a GeoJSON Feature object" in rows[2][1].errors[0].message

    def test_overlong_text_is_rejected_not_held(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A text above the size cap is a rejected row giving its length; the next text is
        read."""
        from sse_model._io import _readers

        monkeypatch.setattr(_readers, "MAX_JSON_VALUE_CHARS", 200)
        monkeypatch.setattr(_readers, "_READ_CHARS", 64)
        big = json.dumps(_feature({"id": "b", "note": "x" * 500}))
        good = json.dumps(_feature({"id": "a"}))
        path = tmp_path / "f.geojson"
        path.write_text(f"{RS}{big}\n{RS}{good}\n", encoding="utf-8")
        rows = _cells(path, "geojson")
        assert [n for n, _ in rows] == [1, 2]
        assert isinstance(rows[0][1], RejectedRow)
        assert "at most 200 characters" in rows[0][1].errors[0].message
        assert rows[1][1] == {"id": "a"}


_FRAGMENTS = st.sampled_from(
    [RS, "\n", " ", "{", "}", "[", "]", ",", ":", '"type"', '"Feature"', '"FeatureCollection"',
     '"features"', '"properties"', '"geometry"', '"Point"', '"coordinates"', '"id"', "null",
     "1", "-200", '"x;y"', '"a.b"', '{"id": "a"}', "\ud800", "\xff"]
)  # fmt: skip


class TestGeoJSONFuzz:
    @settings(max_examples=150, deadline=None)
    @given(parts=st.lists(_FRAGMENTS, max_size=40))
    def test_any_text_gives_rows_or_unreadable_alike_in_both_lanes(
        self, tmp_path_factory: pytest.TempPathFactory, parts: list[str]
    ) -> None:
        """Law: any text as a .geojson file gives rows (organisations or rejected rows) or
        UnreadableInput, never another exception, and the columnar lane reads the same
        number of rows or raises too."""
        path = tmp_path_factory.mktemp("fuzz") / "f.geojson"
        path.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
        try:
            rows: int | None = len(list(read_register(path)))
        except UnreadableInput:
            rows = None
        try:
            results = list(stream_file(RegisterClassifier("intl/ilo-2022", on=ON), path))
            columnar: int | None = sum(r.summary.rows for r in results)
        except UnreadableInput:
            columnar = None
        assert columnar == rows


class TestGeoJSONClassified:
    def test_features_of_vocabulary_properties_classify_alike_in_both_lanes(
        self, tmp_path: Path
    ) -> None:
        """Features whose properties are flat vocabulary cells classify as the same rows
        do in CSV, through read_register, classify_file's reader and classify_table."""
        orgs = _organisations()
        features = [_feature(to_flat_row(o)) for o in orgs]
        path = tmp_path / "orgs.geojson"
        path.write_text(_collection(features), encoding="utf-8")
        read = list(read_register(path))
        assert read == orgs
        rc = RegisterClassifier(PROFILES, on=ON)
        tables = [r.table for r in stream_file(rc, path)]
        from_records = RegisterClassifier(PROFILES, on=ON).classify_table(features)
        assert sum(t.num_rows for t in tables) == len(orgs) * len(PROFILES)
        expected = s.classify_many(orgs, PROFILES, on=ON)
        got = [
            (r["organisation_id"], r["profile_id"], r["verdict"])
            for t in tables
            for r in t.to_pylist()
        ]
        assert got == [(c.organisation_id, c.profile_id, c.verdict.value) for c in expected]
        assert from_records.table.select(["organisation_id", "verdict"]).to_pylist() == [
            {"organisation_id": o, "verdict": v} for o, _, v in got
        ]

    def test_column_mapped_onto_id_reads_alike_in_both_lanes(self) -> None:
        """Flat records (features) whose id column is mapped onto ``id`` classify in the
        columnar lane as read_register reads them (the lane once added a second ``id``
        column and refused the table)."""
        features = [_feature({"ref": f"x-{i}", "name": "A", "country": "FR"}) for i in (1, 2)]
        columns = {"ref": "id"}
        read = list(read_register(features, columns=columns))
        assert [o.id for o in read if isinstance(o, Organisation)] == ["x-1", "x-2"]
        result = s.classify_table(features, "intl/ilo-2022", on=ON, columns=columns)
        assert result.table.column("organisation_id").to_pylist() == ["x-1", "x-2"]
        assert not result.rejected


def _profile(**extra: Any) -> dict[str, Any]:
    return {
        "linked_schemas": [SCHEMA],
        "name": "Open Co-op",
        "primary_url": "https://open.coop",
        "tags": ["cooperative", "platform"],
        "geolocation": {"lat": 51.5, "lon": -0.12},
        "urls": [{"name": "site", "url": "https://open.coop"}, {"url": "https://x.org"}],
        "country_iso_3166": "GB",
        **extra,
    }


_PROFILE_CELLS = {
    "linked_schemas": SCHEMA,
    "name": "Open Co-op",
    "primary_url": "https://open.coop",
    "tags": "cooperative;platform",
    "geolocation.lat": "51.5",
    "geolocation.lon": "-0.12",
    "urls.name": "site;",
    "urls.url": "https://open.coop;https://x.org",
    "country_iso_3166": "GB",
}


class TestMurmurationsImport:
    def test_profile_as_flat_cells(self, tmp_path: Path) -> None:
        """A profile's geolocation is dotted, its tags, schemas and urls ``;``-joined."""
        path = tmp_path / "p.json"
        path.write_text(json.dumps(_profile()), encoding="utf-8")
        assert _cells(path, "json") == [(1, _PROFILE_CELLS)]

    def test_array_one_profile_and_aggregator_read_alike(self, tmp_path: Path) -> None:
        """A JSON array of profiles, JSON Lines of profiles and an index response
        ``{"data": [...], "meta": ...}`` give the same rows (the index's elements need no
        ``linked_schemas``)."""
        two = [_profile(), _profile(name="B")]
        expected = [(1, _PROFILE_CELLS), (2, {**_PROFILE_CELLS, "name": "B"})]
        array = tmp_path / "a.json"
        array.write_text(json.dumps(two), encoding="utf-8")
        lines = tmp_path / "a.jsonl"
        lines.write_text("".join(json.dumps(p) + "\n" for p in two), encoding="utf-8")
        index = tmp_path / "index.json"
        index.write_text(json.dumps({"data": two, "meta": {"total": 2}}), encoding="utf-8")
        assert _cells(array, "json") == expected
        assert _cells(lines, "jsonl") == expected
        assert _cells(index, "json") == expected
        bare = [{k: v for k, v in p.items() if k != "linked_schemas"} for p in two]
        index.write_text(json.dumps({"data": bare}), encoding="utf-8")
        assert _cells(index, "json") == [
            (n, {k: v for k, v in c.items() if k != "linked_schemas"}) for n, c in expected
        ]
        records = next(iter(record_batches(two)))
        assert [dict(records.raw(i)) for i in range(2)] == [c for _, c in expected]

    def test_profile_without_flat_form_is_rejected(self, tmp_path: Path) -> None:
        """A tag holding ``;`` or a nested list rejects the profile's row, naming the field;
        a non-object in an index response is a rejected row too."""
        path = tmp_path / "index.json"
        bad = [_profile(tags=["a;b"]), _profile(urls=[["x"]]), 5]
        path.write_text(json.dumps({"data": bad}), encoding="utf-8")
        items = list(read_register(path))
        assert _rejected(items)[:2] == [(1, ["tags"]), (2, ["urls"])]
        assert items[2].number == 3 and "expected a JSON object" in items[2].errors[0].message


def _validator() -> Any:
    """A draft-07 validator of the vendored schema, its ``../fields/`` refs resolved onto
    the vendored field files."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    schema = json.loads((SCHEMAS / "schemas" / f"{SCHEMA}.json").read_text(encoding="utf-8"))
    base = schema["$id"].rsplit("/schemas/", 1)[0]
    resources = [
        (
            f"{base}/fields/{p.name}",
            Resource.from_contents(
                json.loads(p.read_text(encoding="utf-8")), default_specification=DRAFT7
            ),
        )
        for p in sorted((SCHEMAS / "fields").glob("*.json"))
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    return jsonschema.Draft7Validator(schema, registry=registry)


class TestMurmurationsExport:
    def test_classifications_and_tables_give_the_same_profiles(self, tmp_path: Path) -> None:
        """Profiles from classify_many results, from a classify_table RegisterResult and
        from classify_file's Parquet table are the same."""
        orgs = _organisations()
        from_objects = s.to_murmurations(s.classify_many(orgs, PROFILES, on=ON), orgs)
        rows = [to_flat_row(o) for o in orgs]
        result = s.classify_table(rows, PROFILES, on=ON)
        assert not result.rejected
        assert s.to_murmurations(result, orgs) == from_objects
        src, out = tmp_path / "r.jsonl", tmp_path / "out.parquet"
        src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        s.classify_file(src, PROFILES, output=out, on=ON)
        assert s.to_murmurations(pq.read_table(out), orgs) == from_objects
        assert len(from_objects) == len(orgs)

    def test_pandas_and_csv_results_give_the_same_profiles(self, tmp_path: Path) -> None:
        """Results as a pandas DataFrame and read back from classify_file's CSV output (all
        text: dates, years and booleans as words) give the profiles of the objects."""
        import pyarrow.csv as pcsv

        orgs = _organisations()
        expected = s.to_murmurations(s.classify_many(orgs, PROFILES, on=ON), orgs)
        rows = [to_flat_row(o) for o in orgs]
        result = s.classify_table(rows, PROFILES, on=ON)
        assert s.to_murmurations(result.to_pandas(), orgs) == expected
        src, out = tmp_path / "r.jsonl", tmp_path / "out.csv"
        src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        s.classify_file(src, PROFILES, output=out, on=ON)
        text_only = pcsv.ConvertOptions(
            column_types=dict.fromkeys(result.table.column_names, "string"),
            strings_can_be_null=True,
        )
        table = pcsv.read_csv(out, convert_options=text_only)
        assert s.to_murmurations(table, orgs) == expected

    def test_own_profile_cites_its_instruments(self) -> None:
        """A profile of one's own, given in *profiles*, gives its criteria's instruments
        and articles from classify_many and classify_table results alike; not given, a
        Classification gives the citation text alone."""
        shipped = Path(s.__file__).parent / "_data" / "profiles" / "intl" / "ilo-2022.toml"
        text = shipped.read_text(encoding="utf-8")
        own = s.parse_profile(text.replace('id = "intl/ilo-2022"', 'id = "my/ilo-copy"'))
        orgs = _organisations()
        results = s.classify_many(orgs, [own], on=ON)
        table = s.classify_table([to_flat_row(o) for o in orgs], [own], on=ON)
        cited = s.to_murmurations(results, orgs, profiles=[own])
        assert s.to_murmurations(table, orgs, profiles=[own]) == cited
        reference = s.to_murmurations(s.classify_many(orgs, "intl/ilo-2022", on=ON), orgs)
        for mine, theirs in zip(cited, reference, strict=True):
            (a,) = mine[EXTENSION]["classifications"]
            (b,) = theirs[EXTENSION]["classifications"]
            assert a["criteria"] == b["criteria"] and a["criteria"]
        bare = s.to_murmurations(results, orgs)[0][EXTENSION]["classifications"][0]
        assert all(set(c) == {"id", "outcome", "citation"} for c in bare["criteria"])

    def test_bad_primary_url_is_refused(self) -> None:
        """A primary URL the schema would refuse (no http(s)://) raises ValueError naming
        the organisation, instead of giving an invalid profile; rejected rows among the
        organisations are passed over."""
        orgs = _organisations()[:1]
        results = s.classify_many(orgs, "intl/ilo-2022", on=ON)
        with pytest.raises(ValueError, match=orgs[0].id):
            s.to_murmurations(results, orgs, primary_urls={orgs[0].id: "open.coop"})
        mixed = [*orgs, RejectedRow(2, None, (), {})]
        assert s.to_murmurations(results, mixed) == s.to_murmurations(results, orgs)

    def test_profile_holds_tags_and_cited_verdicts(self) -> None:
        """Each profile links the organizations schema, has one tag per verdict and, per
        profile, the verdict with every met or not-met criterion's instrument and article
        (those of the profile's plan); unknown criteria are left out."""
        orgs = _organisations()
        results = s.classify_many(orgs, PROFILES, on=ON)
        profiles = s.to_murmurations(results, orgs)
        plans = {p: s.Classifier().plan(p, ON) for p in PROFILES}
        by_id = {p[EXTENSION]["organisation_id"]: p for p in profiles}
        for c in results:
            profile = by_id[c.organisation_id]
            assert profile["linked_schemas"] == [SCHEMA]
            assert f"sse:{c.profile_id}:{c.verdict.value}" in profile["tags"]
            (verdict,) = [
                v for v in profile[EXTENSION]["classifications"] if v["profile_id"] == c.profile_id
            ]
            assert (verdict["version"], verdict["on"], verdict["verdict"]) == (
                c.version,
                ON.isoformat(),
                c.verdict.value,
            )
            decided = {r.id: r for r in c.criteria if r.outcome.value in ("met", "not_met")}
            assert [x["id"] for x in verdict["criteria"]] == [
                k.id for k in plans[c.profile_id].criteria if k.id in decided
            ]
            for x in verdict["criteria"]:
                law = next(k for k in plans[c.profile_id].criteria if k.id == x["id"]).citation
                assert (x["instrument"], x["article"]) == (law.instrument, law.article)
                assert x["citation"] == decided[x["id"]].citation
                assert x["outcome"] == decided[x["id"]].outcome.value

    def test_names_countries_and_urls(self) -> None:
        """With organisations, a profile takes their name and country; without, the id is
        the name (the schema requires one) and no country is given; primary_urls give
        ``primary_url``."""
        orgs = _organisations()[:2]
        results = s.classify_many(orgs, "intl/ilo-2022", on=ON)
        named = s.to_murmurations(results, orgs, primary_urls={orgs[0].id: "https://a.org"})
        assert [p["name"] for p in named] == [o.name for o in orgs]
        assert [p.get("country_iso_3166") for p in named] == [o.country for o in orgs]
        assert named[0]["primary_url"] == "https://a.org" and "primary_url" not in named[1]
        bare = s.to_murmurations(results)
        assert [p["name"] for p in bare] == [o.id for o in orgs]
        assert all("country_iso_3166" not in p for p in bare)

    def test_profiles_are_valid_against_the_published_schema(self) -> None:
        """Every profile validates against the vendored organizations_schema-v1.0.0 and
        uses no other schema field than those vendored."""
        validator = _validator()
        orgs = _organisations()
        results = s.classify_many(orgs, PROFILES, on=ON)
        urls = {o.id: f"https://example.org/{o.id}" for o in orgs}
        vendored = {"linked_schemas", "name", "primary_url", "tags", "country_iso_3166"}
        schema_fields = set(validator.schema["properties"])
        for profile in s.to_murmurations(results, orgs, primary_urls=urls):
            validator.validate(profile)
            assert set(profile) & schema_fields <= vendored
        bad = {**s.to_murmurations(results)[0], "primary_url": "open.coop"}
        assert not validator.is_valid(bad)  # the check can fail

    def test_write_and_cli_give_the_same_profiles(self, tmp_path: Path) -> None:
        """write_murmurations and ``sse-model classify --format murmurations`` write the
        profiles to_murmurations gives, as one JSON array."""
        orgs = _organisations()
        src = tmp_path / "r.jsonl"
        src.write_text("".join(json.dumps(to_flat_row(o)) + "\n" for o in orgs), encoding="utf-8")
        expected = s.to_murmurations(s.classify_many(orgs, PROFILES, on=ON), orgs)
        target = tmp_path / "m.json"
        assert s.write_murmurations(target, s.classify_many(orgs, PROFILES, on=ON), orgs) == len(
            orgs
        )
        assert json.loads(target.read_text(encoding="utf-8")) == expected
        out, err = io.StringIO(), io.StringIO()
        argv = ["classify", str(src), "--on", ON.isoformat(), "--format", "murmurations"]
        for p in PROFILES:
            argv += ["--profile", p]
        assert main(argv, out, err) == 0, err.getvalue()
        assert json.loads(out.getvalue()) == expected
