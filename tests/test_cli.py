"""The sse-model command line: the README's main job, rejected rows, exit codes."""

import io
import json
from pathlib import Path

import pytest

from sse_model._cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def _first_vn_id() -> str:
    for line in (EXAMPLES / "sample-register.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["country"] == "VN":
            return str(row["id"])
    raise AssertionError("the sample register has no Vietnamese organisation")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


class TestClassify:
    """`sse-model classify` on the shipped sample register."""

    def test_readme_main_job(self) -> None:
        """The README's first command prints a summary and classifies every row."""
        code, out, err = run(
            "classify",
            str(EXAMPLES / "sample-register.jsonl"),
            "--on",
            "2025-06-30",
            "--profile",
            "intl/ilo-2022",
            "--profile",
            "vn/social-enterprise",
            "--profile",
            "th/social-enterprise",
            "--profile",
            "kr/social-enterprise",
            "--profile",
            "vn/cooperative",
        )
        assert code == 0
        assert "Classified 3000 organisations on 2025-06-30." in out
        assert "rows read: 3000; classified: 3000; rejected: 0 (3000 + 0 = 3000)" in err
        line = next(x for x in out.splitlines() if x.startswith("intl/ilo-2022"))
        q, d, u, total = (int(v) for v in line.split()[1:])
        assert q + d + u == total == 3000
        assert min(q, d, u) > 0

    def test_every_bad_row_is_reported(self, tmp_path: Path) -> None:
        """Each malformed row of bad-rows.jsonl is in the error report with every cell
        checked (--validate all); nothing is dropped."""
        errors = tmp_path / "rejected.jsonl"
        code, _, err = run(
            "classify",
            str(EXAMPLES / "bad-rows.jsonl"),
            "--on",
            "2025-06-30",
            "--validate",
            "all",
            "--errors",
            str(errors),
        )
        assert code == 1
        rows = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
        assert [r["row"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
        assert "rows read: 7; classified: 0; rejected: 7 (0 + 7 = 7)" in err
        paths = {e["path"] for r in rows for e in r["errors"]}
        assert {
            "governance.largest_member_capital_share",
            "country",
            "finances[2024].labour_costs",
        } <= paths

    def test_jsonl_output(self, tmp_path: Path) -> None:
        """JSON Lines results carry ids, profile and version, verdict, criteria and citations."""
        src = tmp_path / "one.jsonl"
        src.write_text(
            (EXAMPLES / "sample-register.jsonl").read_text(encoding="utf-8").splitlines()[0]
            + "\n",
            encoding="utf-8",
        )
        out_file = tmp_path / "out.jsonl"
        code, _, _ = run(
            "classify",
            str(src),
            "--on",
            "2025-06-30",
            "--format",
            "jsonl",
            "--output",
            str(out_file),
        )
        assert code == 0
        result = json.loads(out_file.read_text(encoding="utf-8"))
        assert {"organisation_id", "profile_id", "version", "verdict", "criteria"} <= set(result)
        assert {"id", "outcome", "observed", "citation"} <= set(result["criteria"][0])

    def test_unknown_profile_is_a_usage_error(self) -> None:
        """An unknown profile exits with 2 and names the known ones."""
        code, _, err = run("classify", str(EXAMPLES / "bad-rows.jsonl"), "--profile", "zz/none")
        assert code == 2
        assert "intl/ilo-2022" in err

    def test_bad_date(self) -> None:
        """A bad date is refused by the argument parser."""
        with pytest.raises(SystemExit) as info:
            run("classify", "x.jsonl", "--on", "31/12/2024")
        assert info.value.code == 2


class TestProfilesAndExplain:
    """`sse-model profiles` and `sse-model explain`."""

    def test_list_and_show(self) -> None:
        """Profiles are listed, and one is shown with its citations."""
        code, out, _ = run("profiles")
        assert code == 0
        assert "vn/social-enterprise" in out
        code, out, _ = run("profiles", "vn/social-enterprise")
        assert "Art. 10(1)(c)" in out

    def test_explain_one(self) -> None:
        """One organisation of the register is explained in words, with its sources."""
        first = _first_vn_id()
        code, out, _ = run(
            "explain",
            str(EXAMPLES / "sample-register.jsonl"),
            "--id",
            first,
            "--profile",
            "intl/ilo-2022",
            "--on",
            "2025-06-30",
        )
        assert code == 0
        assert out.startswith(f"{first} under intl/ilo-2022 (version 2022, on 2025-06-30")
        assert "source: [1] Conclusions" in out  # the instrument's title listed once
        assert "\n    [1] ILO Resolution" in out

    def test_explain_needs_one_organisation(self) -> None:
        """Without --id on a register, explain refuses and says why."""
        code, _, err = run(
            "explain", str(EXAMPLES / "sample-register.jsonl"), "--profile", "intl/ilo-2022"
        )
        assert code == 2
        assert "exactly one organisation" in err


class TestCompare:
    """`sse-model profiles --compare` and `explain` under every profile."""

    def test_compare(self) -> None:
        """The comparison is generated from the data, for the date given."""
        code, out, _ = run("profiles", "--compare", "--on", "2025-06-30")
        assert code == 0
        assert "in force on 2025-06-30" in out
        assert "| `vn/social-enterprise` | >= 51 % |" in out

    def test_explain_under_every_profile(self) -> None:
        """Without --profile, explain prints one row per profile."""
        first = _first_vn_id()
        code, out, _ = run(
            "explain",
            str(EXAMPLES / "sample-register.jsonl"),
            "--id",
            first,
            "--on",
            "2025-06-30",
        )
        assert code == 0
        assert out.startswith(f"{first} on 2025-06-30")
        assert "intl/ilo-2022" in out


class TestCSVOutput:
    """`--format csv`: one row per organisation and profile."""

    def test_rows_and_columns(self, tmp_path: Path) -> None:
        """Every organisation x profile is a row with its verdict and each criterion's outcome."""
        import csv

        out_file = tmp_path / "out.csv"
        code, _, _ = run(
            "classify",
            str(EXAMPLES / "sample-register.jsonl"),
            "--on",
            "2025-06-30",
            "--profile",
            "intl/ilo-2022",
            "--profile",
            "vn/social-enterprise",
            "--format",
            "csv",
            "--output",
            str(out_file),
        )
        assert code == 0
        with out_file.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == 6000
        assert {r["verdict"] for r in rows} <= {"qualifies", "does_not_qualify", "undetermined"}
        first = rows[0]
        assert first["profile_id"] == "intl/ilo-2022"
        assert first["criterion.ilo-autonomy-independence"] in {"met", "not_met", "unknown"}
        assert first["criterion.vn-se-enterprise"] == ""  # not a criterion of this profile
        undetermined = next(r for r in rows if r["verdict"] == "undetermined")
        assert undetermined["missing_facts"]


def _subset(tmp_path: Path, n: int = 60) -> tuple[Path, list[dict[str, str]]]:
    """The first *n* rows of the sample register as JSON Lines, and as flat rows."""
    from sse_model import read_register, to_flat_row

    lines = (EXAMPLES / "sample-register.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    src = tmp_path / "subset.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = [to_flat_row(o) for o in read_register(src)]  # type: ignore[arg-type]
    return src, rows


def _write_flat(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    import csv

    cols = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, cols, delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


CLASSIFY = ("--on", "2025-06-30", "--profile", "intl/ilo-2022", "--format", "csv")


class TestInputFormats:
    """`classify` reads every format to the same results."""

    def test_every_format_same_results(self, tmp_path: Path) -> None:
        """CSV, TSV (--delimiter), Parquet, Excel and a misnamed file (--input-format) give
        the same CSV results as the JSON Lines register."""
        pd = pytest.importorskip("pandas")
        pytest.importorskip("pyarrow")
        pytest.importorskip("openpyxl")
        src, rows = _subset(tmp_path)
        frame = pd.read_csv(_write_flat(tmp_path / "r.csv", rows), dtype=str)
        frame.to_parquet(tmp_path / "r.parquet")
        frame.to_excel(tmp_path / "r.xlsx", index=False)
        _write_flat(tmp_path / "r.txt", rows, ";")
        expected = run("classify", str(src), *CLASSIFY)
        assert expected[0] == 0 and expected[1].count("\n") == 61
        for args in (
            [str(tmp_path / "r.csv")],
            [str(tmp_path / "r.parquet")],
            [str(tmp_path / "r.xlsx"), "--sheet", "0"],
            [str(tmp_path / "r.txt"), "--input-format", "csv", "--delimiter", ";"],
        ):
            assert run("classify", *args, *CLASSIFY) == expected, args

    def test_parquet_output(self, tmp_path: Path) -> None:
        """--format parquet writes one row per organisation and profile; it needs --output."""
        pq = pytest.importorskip("pyarrow.parquet")
        src, _ = _subset(tmp_path, 10)
        code, _, err = run("classify", str(src), "--format", "parquet")
        assert code == 2 and "--output" in err
        out = tmp_path / "r.parquet"
        code, _, _ = run(
            "classify", str(src), "--format", "parquet", "--output", str(out),
            "--profile", "intl/ilo-2022", "--profile", "kr/social-enterprise",
        )  # fmt: skip
        assert code == 0
        table = pq.read_table(out)
        assert table.num_rows == 20
        assert table.column_names[:6] == [
            "organisation_id", "profile_id", "version", "on", "fiscal_year", "verdict",
        ]  # fmt: skip
        names = table.column_names
        assert any(c.startswith("criterion.ilo-") for c in names)
        assert any(c.startswith("criterion.kr-") for c in names)
        assert names[-4:] == [
            "missing_facts",
            "rests_on_presumptions",
            "presumed_criteria",
            "assumptions",
        ]

    def test_json_output(self, tmp_path: Path) -> None:
        """--format json is one array of full results."""
        src, _ = _subset(tmp_path, 5)
        code, out, _ = run("classify", str(src), "--on", "2025-06-30", "--format", "json")
        assert code == 0
        results = json.loads(out)
        assert len(results) == 5 and results[0]["profile_id"] == "intl/ilo-2022"

    def test_column_mapping_file(self, tmp_path: Path) -> None:
        """--columns reads a TOML or JSON mapping; --map adds to it."""
        src = tmp_path / "r.csv"
        src.write_text("Code,Label,Land,Members\nvn-1,A,VN,12\n", encoding="utf-8")
        (tmp_path / "map.toml").write_text(
            '[columns]\nCode = "id"\nLabel = "name"\nLand = "country"\n', encoding="utf-8"
        )
        code, _, err = run(
            "validate", str(src), "--columns", str(tmp_path / "map.toml"),
            "--map", "Members=governance.members",
        )  # fmt: skip
        assert code == 0, err
        assert "rows read: 1; valid: 1; rejected: 0 (1 + 0 = 1)" in err
        (tmp_path / "map.json").write_text('{"Code": 1}', encoding="utf-8")
        code, _, err = run("validate", str(src), "--columns", str(tmp_path / "map.json"))
        assert code == 2 and "columns.Code: expected a vocabulary column or a table" in err

    def test_duplicate_ids_reconcile(self, tmp_path: Path) -> None:
        """A repeated id is rejected and counted; the counts add up."""
        src = tmp_path / "r.csv"
        src.write_text("id,name,country\na,A,VN\na,B,VN\nb,C,TH\n", encoding="utf-8")
        code, _, err = run("classify", str(src), "--on", "2025-06-30")
        assert code == 1
        assert "rows read: 3; classified: 2; rejected: 1 (2 + 1 = 3)" in err
        assert "row 2: id: expected a unique id" in err
        code, _, err = run("classify", str(src), "--on", "2025-06-30", "--allow-duplicate-ids")
        assert code == 0


class TestUsageErrors:
    """Exit code 2 and a message that says what to do."""

    def test_close_profile_match(self) -> None:
        """A misspelt profile id suggests the close ones."""
        code, _, err = run("classify", str(EXAMPLES / "bad-rows.jsonl"), "--profile", "vn/coop")
        assert code == 2
        assert "did you mean 'vn/cooperative'" in err

    def test_missing_file_and_unknown_format(self, tmp_path: Path) -> None:
        """A missing file and an unknown extension are usage errors."""
        code, _, err = run("classify", str(tmp_path / "nowhere.csv"))
        assert code == 2 and "no such register file" in err
        (tmp_path / "r.dat").write_text("x", encoding="utf-8")
        code, _, err = run("validate", str(tmp_path / "r.dat"))
        assert code == 2 and "--input-format" in err

    def test_wrong_delimiter_and_encoding(self, tmp_path: Path) -> None:
        """File-level problems name the option that fixes them."""
        src = tmp_path / "r.csv"
        src.write_text("id;name;country\na;A;VN\n", encoding="utf-8")
        code, _, err = run("validate", str(src))
        assert code == 2 and "--delimiter ';'" in err
        assert run("validate", str(src), "--delimiter", ";")[0] == 0
        src.write_bytes(b"id,name,country\na,Caf\xe9,VN\n")
        code, _, err = run("validate", str(src))
        assert code == 2 and "line 2" in err and "--encoding" in err
        assert run("validate", str(src), "--encoding", "cp1252")[0] == 0

    def test_bad_delimiter_and_map(self, tmp_path: Path) -> None:
        """A multi-character delimiter and a --map without '=' are refused."""
        src = tmp_path / "r.csv"
        src.write_text("id,name,country\na,A,VN\n", encoding="utf-8")
        assert "one-character" in run("validate", str(src), "--delimiter", ";;")[2]
        assert "THEIR_COLUMN=our.path" in run("validate", str(src), "--map", "x")[2]

    def test_missing_extra(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without openpyxl, reading Excel exits 2 naming the extra."""
        import sys

        monkeypatch.setitem(sys.modules, "openpyxl", None)
        (tmp_path / "r.xlsx").write_bytes(b"")
        code, _, err = run("validate", str(tmp_path / "r.xlsx"))
        assert code == 2 and "sse-model[excel]" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class TestTerminal:
    """Rich tables for a person at a terminal; plain, stable text for pipes."""

    def test_progress_only_for_a_person(self) -> None:
        """No progress bar when stderr is not a terminal, in CI, or with --quiet."""
        from sse_model._cli import progress_enabled

        pytest.importorskip("rich")
        assert progress_enabled(_Terminal(), quiet=False, env={})
        assert not progress_enabled(io.StringIO(), quiet=False, env={})
        assert not progress_enabled(_Terminal(), quiet=False, env={"CI": "true"})
        assert not progress_enabled(_Terminal(), quiet=True, env={})

    def test_progress_bar(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The bar passes every item through and draws on stderr once the run is long."""
        import sse_model._cli as cli

        pytest.importorskip("rich")
        monkeypatch.setattr(cli, "PROGRESS_AFTER", 0.0)
        err = _Terminal()
        items = list(cli._progress(iter(range(1000)), err, enabled=True))  # type: ignore[arg-type]
        assert items == list(range(1000))
        assert "rows" in err.getvalue()

    def test_plain_output_is_stable(self, tmp_path: Path) -> None:
        """Piped output is the plain table, byte for byte."""
        src, _ = _subset(tmp_path, 3)
        code, out, _ = run("classify", str(src), "--on", "2025-06-30")
        assert code == 0
        assert out.splitlines()[:3] == [
            "Classified 3 organisations on 2025-06-30.",
            "",
            "profile         qualifies  does not  undetermined   total",
        ]

    def test_rich_table_at_a_terminal(self, tmp_path: Path) -> None:
        """At a terminal, the summary and the profile list are rich tables."""
        pytest.importorskip("rich")
        src, _ = _subset(tmp_path, 3)
        out = _Terminal()
        assert main(["classify", str(src), "--on", "2025-06-30"], out, io.StringIO()) == 0
        assert "Verdicts by profile" in out.getvalue() and "━" in out.getvalue()
        out = _Terminal()
        assert main(["profiles"], out, io.StringIO()) == 0
        assert "vn/social-enterprise" in out.getvalue() and "━" in out.getvalue()

    def test_validate_bad_rows(self, tmp_path: Path) -> None:
        """validate lists rejected rows on stderr when no --errors file is given."""
        code, _, err = run("validate", str(EXAMPLES / "bad-rows.jsonl"))
        assert code == 1
        assert "rows read: 7; valid: 0; rejected: 7 (0 + 7 = 7)" in err
        assert "row 7: (row): expected JSON" in err


class TestAssumptionsOnTheCommandLine:
    """--assume-unverified and --assume CRITERION=READING, recorded in every output."""

    def test_recorded_in_csv_on_both_paths(self, tmp_path: Path) -> None:
        """The object path (JSON Lines) and the columnar path (CSV input) write the same
        assumptions column."""
        src, rows = _subset(tmp_path, 20)
        flat = _write_flat(tmp_path / "in.csv", rows)
        args = (
            "--on",
            "2025-06-30",
            "--profile",
            "kh/agricultural-cooperative",
            "--format",
            "csv",
        )
        extra = ("--assume-unverified", "--assume", "kh-ac-min-founders=15")
        outs = []
        for source in (src, flat):
            code, out, err = run("classify", str(source), *args, *extra)
            assert code == 0, err
            lines = out.splitlines()
            assert lines[0].split(",")[-1] == "assumptions"
            assert all(
                line.endswith("unverified-as-written; kh-ac-min-founders=15") for line in lines[1:]
            )
            outs.append(out)
        assert outs[0] == outs[1]

    def test_summary_names_the_assumptions_and_what_it_counts(self, tmp_path: Path) -> None:
        """The table says which assumptions were adopted, and that facts are counted per
        verdict in which they are missing."""
        src, _ = _subset(tmp_path, 20)
        code, out, _ = run("classify", str(src), "--on", "2025-06-30", "--assume-unverified")
        assert code == 0
        assert "Assumptions adopted: unverified-as-written." in out
        assert "verdicts in which this fact is missing" in out
        assert "would settle" not in out

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ("kh-ac-min-founders", "expected --assume CRITERION=READING"),
            ("kh-ac-min-founders=20", "expected one of its readings (15, 25), got '20'"),
            ("no-such-rule=1", "expected a criterion of the chosen profiles"),
        ],
    )
    def test_bad_assume_is_a_usage_error(self, tmp_path: Path, spec: str, message: str) -> None:
        """A malformed --assume, an unknown reading or criterion: exit 2 with the reason."""
        src, _ = _subset(tmp_path, 3)
        code, _, err = run(
            "classify",
            str(src),
            "--on",
            "2025-06-30",
            "--profile",
            "kh/agricultural-cooperative",
            "--assume",
            spec,
        )
        assert code == 2
        assert message in err


def _draft(directory: Path, name: str = "draft.toml", profile_id: str = "xx/draft") -> Path:
    """A profile file of one's own: the shipped ILO profile under another id."""
    from importlib import resources

    text = (
        resources.files("sse_model")
        .joinpath("_data/profiles/intl/ilo-2022.toml")
        .read_text(encoding="utf-8")
    )
    assert 'id = "intl/ilo-2022"\n' in text
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace('id = "intl/ilo-2022"\n', f'id = "{profile_id}"\n', 1), "utf-8")
    return path


def _verdict_counts(out: str, profile: str) -> list[int]:
    line = next(x for x in out.splitlines() if x.startswith(profile + " "))
    return [int(v) for v in line.split()[1:]]


class TestOutputFormat:
    """`--output FILE` chooses the format from its extension; `--format` must agree."""

    @pytest.mark.parametrize("ext", [".csv", ".jsonl", ".ndjson", ".json", ".parquet"])
    def test_extension_chooses_the_format(self, tmp_path: Path, ext: str) -> None:
        """results.<ext> holds that format (never the text table), one result per row."""
        src, _ = _subset(tmp_path, 5)
        target = tmp_path / f"results{ext}"
        code, out, _ = run("classify", str(src), "--on", "2025-06-30", "--output", str(target))
        assert code == 0 and out == ""
        if ext == ".parquet":
            pq = pytest.importorskip("pyarrow.parquet")
            assert pq.read_table(target).column("organisation_id").to_pylist()[0] is not None
            assert pq.read_table(target).num_rows == 5
            return
        text = target.read_text(encoding="utf-8")
        assert not text.startswith("Classified")
        if ext == ".csv":
            assert text.startswith("organisation_id,profile_id,")
            assert len(text.splitlines()) == 6
        elif ext == ".json":
            assert len(json.loads(text)) == 5
        else:
            assert [json.loads(x)["profile_id"] for x in text.splitlines()] == [
                "intl/ilo-2022"
            ] * 5

    @pytest.mark.parametrize(
        ("name", "fmt"),
        [
            ("results.csv", "table"),
            ("results.csv", "jsonl"),
            ("results.PARQUET", "csv"),
            ("results.json", "jsonl"),
            ("results.jsonl", "murmurations"),
        ],
    )
    def test_mismatch_is_a_usage_error(self, tmp_path: Path, name: str, fmt: str) -> None:
        """An extension that contradicts --format: exit 2, one error line, no file."""
        target = tmp_path / name
        code, out, err = run(
            "classify", str(EXAMPLES / "bad-rows.jsonl"), "--format", fmt, "--output", str(target)
        )
        assert code == 2 and out == ""
        assert err.startswith("sse-model: error: --format ") and err.count("\n") == 1, err
        assert not target.exists()

    def test_agreeing_format_and_other_extensions(self, tmp_path: Path) -> None:
        """--format murmurations fits .json; an unknown extension keeps the given format
        or the table; '-' is stdout."""
        src, _ = _subset(tmp_path, 3)
        base = ("classify", str(src), "--on", "2025-06-30")
        code, _, _ = run(*base, "--format", "murmurations", "--output", str(tmp_path / "m.json"))
        assert code == 0 and "linked_schemas" in (tmp_path / "m.json").read_text("utf-8")
        code, _, _ = run(*base, "--output", str(tmp_path / "summary.txt"))
        assert code == 0
        assert (tmp_path / "summary.txt").read_text("utf-8").startswith("Classified 3 ")
        code, _, _ = run(*base, "--format", "csv", "--output", str(tmp_path / "r.txt"))
        assert (tmp_path / "r.txt").read_text("utf-8").startswith("organisation_id,")
        code, out, _ = run(*base, "--format", "csv", "--output", "-")
        assert code == 0 and out.startswith("organisation_id,")

    def test_compressed_name_is_refused(self, tmp_path: Path) -> None:
        """results.csv.gz would hold plain text under a gzip name: a usage error."""
        code, _, err = run(
            "classify", str(EXAMPLES / "bad-rows.jsonl"), "--output", str(tmp_path / "r.csv.gz")
        )
        assert code == 2 and "compressed output is not written" in err
        assert not (tmp_path / "r.csv.gz").exists()


class TestVersionAndErrorStyle:
    """`--version`, and every error in one `sse-model: error:` line."""

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the package version and exits 0."""
        import sse_model

        with pytest.raises(SystemExit) as info:
            main(["--version"])
        assert info.value.code == 0
        assert capsys.readouterr().out == f"sse-model {sse_model.__version__}\n"

    @pytest.mark.parametrize(
        "argv",
        [
            ["classify", "x.jsonl", "--on", "31/12/2024"],
            ["bogus"],
            ["classify"],
            ["classify", "x.jsonl", "--format", "xml"],
            ["profiles", "--no-such-flag"],
        ],
    )
    def test_argument_errors(self, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """The argument parser's errors: exit 2, one `sse-model: error:` line, no usage."""
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("sse-model: error: ") and err.count("\n") == 1, err
        assert "--help" in err

    def test_explain_errors(self) -> None:
        """explain's own errors use the same style."""
        code, _, err = run("explain", str(EXAMPLES / "sample-register.jsonl"))
        assert code == 2 and err.startswith("sse-model: error: expected exactly one")
        code, _, err = run("explain", str(EXAMPLES / "bad-rows.jsonl"), "--id", "nothing")
        assert code == 2 and "with id 'nothing'" in err


class TestProfileFiles:
    """`--profile ./draft.toml` and `--profile-file FILE` in classify, explain, profiles."""

    def test_draft_classifies_as_its_source(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A copy of a shipped profile under another id gives the same verdicts."""
        src, _ = _subset(tmp_path, 40)
        _draft(tmp_path)
        monkeypatch.chdir(tmp_path)
        code, out, _ = run(
            "classify", str(src), "--on", "2025-06-30", "--profile", "./draft.toml",
            "--profile", "intl/ilo-2022",
        )  # fmt: skip
        assert code == 0
        assert _verdict_counts(out, "xx/draft") == _verdict_counts(out, "intl/ilo-2022")
        code, out2, _ = run("classify", str(src), "--on", "2025-06-30", "--profile", "draft.toml")
        assert code == 0 and _verdict_counts(out2, "xx/draft") == _verdict_counts(out, "xx/draft")

    def test_any_name_with_profile_file_or_a_slash(self, tmp_path: Path) -> None:
        """--profile-file takes any file name; --profile takes a path with '/' that exists."""
        src, _ = _subset(tmp_path, 3)
        path = _draft(tmp_path / "drafts", "mine")
        for option in ("--profile-file", "--profile"):
            code, out, _ = run(
                "classify", str(src), "--on", "2025-06-30", "--format", "jsonl", option,
                str(path),
            )  # fmt: skip
            assert code == 0
            assert {json.loads(x)["profile_id"] for x in out.splitlines()} == {"xx/draft"}

    def test_bad_profile_files(self, tmp_path: Path) -> None:
        """A missing file, a directory or invalid TOML: exit 2, one error, nothing read."""
        (tmp_path / "bad.toml").write_text("id = ", encoding="utf-8")
        cases = {
            str(tmp_path / "missing.toml"): "no such profile file",
            str(tmp_path / "bad.toml"): "invalid profile",
        }
        for spec, message in cases.items():
            code, out, err = run("classify", str(EXAMPLES / "bad-rows.jsonl"), "--profile", spec)
            assert code == 2 and out == "" and err.startswith("sse-model: error: "), err
            assert message in err
        code, _, err = run(
            "classify", str(EXAMPLES / "bad-rows.jsonl"), "--profile-file", str(tmp_path)
        )
        assert code == 2 and "not a profile file" in err

    def test_explain_and_profiles(self, tmp_path: Path) -> None:
        """explain and profiles (show and --compare) take profile files too."""
        path = _draft(tmp_path)
        first = _first_vn_id()
        reg = str(EXAMPLES / "sample-register.jsonl")
        code, out, _ = run(
            "explain", reg, "--id", first, "--profile", str(path), "--on", "2025-06-30"
        )
        assert code == 0 and out.startswith(f"{first} under xx/draft (version 2022")
        code, _, err = run("explain", reg, "--profile", str(path), "--profile-file", str(path))
        assert code == 2 and "not both" in err
        code, out, _ = run("profiles", str(path))
        assert code == 0 and out.startswith("xx/draft: ")
        code, out, _ = run(
            "profiles", "--compare", "--profile-file", str(path), "--on", "2025-06-30"
        )
        assert code == 0 and "| `xx/draft` | 2022 |" in out


class TestProfileDetail:
    """`profiles ID` shows what each criterion tests; `--compare` shows the matrix."""

    def test_criteria_tests(self) -> None:
        """Facts, operators, thresholds with units, parameter values, versions, status."""
        code, out, _ = run("profiles", "vn/social-enterprise", "--on", "2025-06-30")
        assert code == 0
        block = out.split("  vn-se-reinvest-2020:", 1)[1].split("\n  vn-", 1)[0]
        assert "status: verified, confidence high; versions: loe-2020\n" in block
        assert block.endswith("tests:\n      finances.reinvested_share >= 51 %")
        assert (
            "any of:\n        purpose.social is true\n        purpose.environmental is true" in out
        )
        code, out, _ = run("profiles", "fr/esus", "--on", "2025-06-30")
        assert "workforce.highest_pay <= 10 × smic_annual = 216216 EUR" in out
        code, out, _ = run("profiles", "fr/esus", "--on", "1990-01-01")
        assert "No version in force on 1990-01-01" in out
        assert "workforce.highest_pay <= 10 × smic_annual\n" in out

    def test_compare_matrix_and_long_listing(self) -> None:
        """--compare: one matrix line per profile and the thresholds; --long adds the
        criteria behind each cell; --long alone is a usage error."""
        code, out, _ = run("profiles", "--compare", "--on", "2025-06-30")
        assert code == 0
        assert "| profile | version | Voluntary cooperation and mutual aid |" in out
        assert "| `intl/ilo-2022` | 2022 | 1 | 1 | 1 | 3 |" in out
        assert "## Criteria by principle" not in out
        code, long, _ = run("profiles", "--compare", "--long", "--on", "2025-06-30")
        assert long.startswith(out.rstrip("\n")) and "## Criteria by principle" in long
        assert "`ilo-primacy-surplus`" in long
        code, _, err = run("profiles", "--long")
        assert code == 2 and "--long goes with --compare" in err


class TestFastLane:
    """The summary says how many organisations the fast (columnar) lane classified."""

    def test_counts_agree_with_the_batch_summary(self, tmp_path: Path) -> None:
        """The line's figures are RegisterSummary.fast and the rest, over the run."""
        pytest.importorskip("pyarrow")
        from datetime import date

        from sse_model._io._batch import RegisterClassifier, stream_file

        src, _ = _subset(tmp_path, 60)
        code, out, _ = run("classify", str(src), "--on", "2025-06-30")
        assert code == 0
        rc = RegisterClassifier(["intl/ilo-2022"], on=date(2025, 6, 30))
        fast = sum(r.summary.fast for r in stream_file(rc, src, format="jsonl"))
        assert 0 < fast <= 60
        assert f"Fast (columnar) lane: {fast} of 60 organisations; exact lane: {60 - fast}." in out

    def test_row_lane_counts_none(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the columnar lane every organisation is counted in the exact lane."""
        import sse_model._cli as cli

        monkeypatch.setattr(cli, "_columnar_input", lambda args: None)
        src, _ = _subset(tmp_path, 4)
        code, out, _ = run("classify", str(src), "--on", "2025-06-30")
        assert code == 0 and "Fast (columnar) lane: 0 of 4 organisations; exact lane: 4." in out


class TestDecisionLogic:
    """`explain` shows how the criteria combine, and which route of an any-of qualified."""

    def test_route_of_an_any_of(self) -> None:
        """A qualifying organisation: the route taken is named, the other marked not needed."""
        code, out, _ = run(
            "explain", str(EXAMPLES / "sample-register.jsonl"), "--id", "kr-00004",
            "--profile", "intl/un-tse-2018", "--on", "2025-06-30",
        )  # fmt: skip
        assert code == 0
        head, logic = out.split("\n")[0], out.split("\n\n")[1]
        assert head.endswith(": QUALIFIES")
        assert logic.startswith("  Decision logic")
        assert "[met]      any of (met through tse-limited-distribution):" in logic
        assert "tse-limited-distribution  <- a route that qualifies" in logic
        assert "(another route; not needed)" in logic

    def test_no_route_and_plain_profiles(self) -> None:
        """An any-of with no route met says so; a plain all-of profile adds no block."""
        reg = str(EXAMPLES / "sample-register.jsonl")
        code, out, _ = run(
            "explain", reg, "--id", "th-00000", "--profile", "th/revenue-code-se",
            "--on", "2025-06-30",
        )  # fmt: skip
        assert code == 0 and "[NOT MET]  any of (no route met):" in out
        assert "not needed" not in out
        code, out, _ = run(
            "explain", reg, "--id", "th-00000", "--profile", "intl/ilo-2022", "--on", "2025-06-30"
        )
        assert code == 0 and "Decision logic" not in out

    def test_cases_name_the_case_that_applies(self) -> None:
        """A decision by cases marks the first case that holds, before the criteria."""
        code, out, _ = run(
            "explain", str(EXAMPLES / "sample-register.jsonl"), "--id", "th-00000",
            "--profile", "fr/ess", "--on", "2025-06-30",
        )  # fmt: skip
        assert code == 0
        logic = out.split("\n\n")[1]
        assert "the first case that holds:" in logic
        assert logic.count("<- this case applies") == 1
        assert "  otherwise:" in logic


class TestProfileFileBases:
    """A profile file extends another file given on the same command line."""

    @staticmethod
    def _profile(profile_id: str, criterion: str, extends: str | None = None) -> str:
        ext = f'extends = "{extends}"\n' if extends else ""
        return (
            f'format = 1\nid = "{profile_id}"\ntitle = "T"\njurisdiction = "XX"\n{ext}'
            '[[instruments]]\nid = "act"\ntitle = "Act"\n'
            '[[versions]]\nlabel = "v1"\neffective_from = 2020-01-01\n'
            f'[[criteria]]\nid = "{criterion}"\ndescription = "d"\ninstrument = "act"\n'
            'article = "a"\nprinciples = []\n'
            'test = { fact = "governance.members", at_least = "5" }\n'
        )

    def test_child_uses_the_base_file(self, tmp_path: Path) -> None:
        """The child's results hold the base file's criterion before its own."""
        (tmp_path / "base.toml").write_text(self._profile("xx/base", "base-rule"), "utf-8")
        child = tmp_path / "child.toml"
        child.write_text(self._profile("xx/child", "child-rule", "xx/base"), "utf-8")
        src, _ = _subset(tmp_path, 2)
        code, out, err = run(
            "classify", str(src), "--on", "2025-06-30", "--format", "jsonl",
            "--profile", str(child), "--profile-file", str(tmp_path / "base.toml"),
        )  # fmt: skip
        assert code == 0, err
        results = [json.loads(x) for x in out.splitlines()]
        child_ids = [
            c["id"] for r in results if r["profile_id"] == "xx/child" for c in r["criteria"]
        ]
        assert child_ids[:2] == ["base-rule", "child-rule"]
        code, _, err = run("classify", str(src), "--profile", str(child))
        assert code == 2 and "xx/base" in err


class TestByGroup:
    """`classify --by` counts each profile's verdicts per family, country or legal form."""

    @staticmethod
    def _table(out: str) -> dict[str, dict[str, tuple[int, ...]]]:
        """The --by section as {profile: {group: (qualifies, does not, undetermined)}}."""
        section = out.split("\nBy ", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
        table: dict[str, dict[str, tuple[int, ...]]] = {}
        current = ""
        for line in section:
            if not line.startswith("  "):
                current = line.strip()
                table[current] = {}
                continue
            *name, q, d, u, total = line.split()
            counts = tuple(int(v.replace(".", "")) for v in (q, d, u))
            assert sum(counts) == int(total.replace(".", ""))
            table[current][" ".join(name)] = counts
        return table

    @staticmethod
    def _expected(src: Path, profile: str) -> dict[str, tuple[int, ...]]:
        """Counted by hand from classify_many: the family as recorded, else the one the
        legal form's law fixes."""
        from collections import Counter
        from datetime import date

        from sse_model import Verdict, classify_many, legal_forms, read_register

        forms = legal_forms()
        orgs = [o for o in read_register(src) if not hasattr(o, "errors")]
        counts: Counter[tuple[str, Verdict]] = Counter()
        for org, r in zip(orgs, classify_many(orgs, profile, on=date(2025, 6, 30)), strict=True):
            family = org.family or (forms[org.legal_form].family if org.legal_form else None)
            name = "(not recorded)" if family is None else family.value.replace("_", " ")
            counts[name, r.verdict] += 1
        names = {n for n, _ in counts}
        return {n: tuple(counts[n, v] for v in Verdict) for n in names}

    @pytest.mark.parametrize("lane", ["columnar", "per-object"])
    def test_counts_by_family(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lane: str
    ) -> None:
        """Both lanes count the same verdicts per family as a count by hand."""
        import sse_model._cli as cli

        if lane == "per-object":
            monkeypatch.setattr(cli, "_columnar_input", lambda args: None)
        src, _ = _subset(tmp_path, 300)
        code, out, err = run(
            "classify", str(src), "--on", "2025-06-30", "--profile", "intl/ilo-2022",
            "--by", "family",
        )  # fmt: skip
        assert code == 0, err
        assert self._table(out)["intl/ilo-2022"] == self._expected(src, "intl/ilo-2022")

    def test_family_names_in_the_language(self, tmp_path: Path) -> None:
        """With --lang vi the families are named by their verified Vietnamese terms."""
        src, _ = _subset(tmp_path, 300)
        code, out, _ = run(
            "classify", str(src), "--on", "2025-06-30", "--profile", "vn/cooperative",
            "--by", "family", "--lang", "vi",
        )  # fmt: skip
        assert code == 0
        groups = self._table(out)["vn/cooperative"]
        assert "hợp tác xã" in groups and "cooperative" not in groups

    def test_group_not_recorded(self, tmp_path: Path) -> None:
        """A register without the column counts every row under "(not recorded)"."""
        _, rows = _subset(tmp_path, 40)
        flat = _write_flat(tmp_path / "r.csv", rows)
        code, out, err = run(
            "classify", str(flat), "--on", "2025-06-30", "--by", "legal_form",
        )  # fmt: skip
        assert code == 0, err
        assert sum(sum(c) for c in self._table(out)["intl/ilo-2022"].values()) == 40
        no_form = [{k: v for k, v in r.items() if k not in ("legal_form", "family")} for r in rows]
        flat = _write_flat(tmp_path / "s.csv", no_form)
        code, out, err = run("classify", str(flat), "--on", "2025-06-30", "--by", "family")
        assert code == 0, err
        assert list(self._table(out)["intl/ilo-2022"]) == ["(not recorded)"]

    def test_only_with_the_summary_table(self, tmp_path: Path) -> None:
        """--by with a machine format is a usage error that says why."""
        src, _ = _subset(tmp_path, 2)
        code, _, err = run("classify", str(src), "--by", "family", "--format", "csv")
        assert code == 2 and "--by counts the verdicts of the summary table" in err
