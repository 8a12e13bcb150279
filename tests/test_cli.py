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
        """Each malformed row of bad-rows.jsonl is in the error report; nothing is dropped."""
        errors = tmp_path / "rejected.jsonl"
        code, _, err = run(
            "classify",
            str(EXAMPLES / "bad-rows.jsonl"),
            "--on",
            "2025-06-30",
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
        assert "source: ILO Resolution" in out

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
