"""The three real registers of examples/real-registers/ classify with no pre-processing.

Golden counts of real public data (tests/data/real-registers/, with their sources): every
rejected row is a fault in the source data, named here with its reason.
"""

from __future__ import annotations

import io
import json
import shlex
from pathlib import Path

import pytest

from sse_model._cli import main

ROOT = Path(__file__).parent.parent
README = ROOT / "examples" / "real-registers" / "README.md"


def _commands() -> dict[str, list[str]]:
    """The documented one-line commands, read from the examples' README."""
    out = {}
    for line in README.read_text("utf-8").splitlines():
        if line.startswith("| ") and "`sse-model classify" in line:
            command = line.split("`")[1]
            name = command.split("tests/data/real-registers/")[1].split("/")[0]
            out[name] = shlex.split(command)[1:]
    return out


def _run(tmp_path: Path, name: str) -> tuple[int, str, list[dict[str, object]]]:
    errors = tmp_path / "rejected.jsonl"
    args = _commands()[name]
    err = io.StringIO()
    code = main([*args, "--errors", str(errors), "--quiet"], out=io.StringIO(), err=err)
    rejected = (
        [json.loads(x) for x in errors.read_text("utf-8").splitlines()] if errors.exists() else []
    )
    return code, err.getvalue(), rejected


class TestRealRegisters:
    @pytest.fixture(autouse=True)
    def _from_the_root(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(ROOT)

    def test_the_readme_documents_a_command_for_each_register(self) -> None:
        """One command per register folder of tests/data/real-registers/."""
        folders = {p.name for p in (ROOT / "tests/data/real-registers").iterdir() if p.is_dir()}
        assert set(_commands()) == folders

    def test_coops_uk_2016(self, tmp_path: Path) -> None:
        """Co-operatives UK 2016 with its long table of yearly figures: 13 rows rejected,
        each for a fault of the source (repeated ids, negative turnover, two sets of
        figures for one year)."""
        code, err, rejected = _run(tmp_path, "coops-uk-2016")
        assert "rows read: 3980; classified: 3967; rejected: 13 (3967 + 13 = 3980)" in err
        assert code == 1
        reasons: dict[object, str] = {}
        for r in rejected:
            messages = [e["message"] for e in r["errors"]]  # type: ignore[attr-defined]
            reasons[r["id"]] = "; ".join(messages)
        repeated = {i for i, m in reasons.items() if m.startswith("expected a unique id")}
        assert len(repeated) == 9
        negative = {i for i, m in reasons.items() if "expected an amount >= 0" in m}
        assert negative == {"R004661", "R006303", "R012849"}
        assert "two that differ" in reasons["R012431"]

    def test_sea_essglobal_2023(self, tmp_path: Path) -> None:
        """The SEA standard CSV with ESSGlobal codes: every row classified."""
        code, err, rejected = _run(tmp_path, "sea-essglobal-2023")
        assert "rows read: 3591; classified: 3591; rejected: 0 (3591 + 0 = 3591)" in err
        assert code == 0 and rejected == []

    def test_susy_transformap(self, tmp_path: Path) -> None:
        """The SUSY GeoJSON: 5 rows rejected for a misspelt country, reported once each
        with close matches."""
        code, err, rejected = _run(tmp_path, "susy-transformap")
        assert "rows read: 1794; classified: 1789; rejected: 5 (1789 + 5 = 1794)" in err
        assert code == 1
        texts = sorted(r["raw"]["country"] for r in rejected)  # type: ignore[index]
        assert texts == ["ABERDEEN", "Cypres", "Frace", "Frace", "Italu"]
        assert "addr:country: 'Frace' (2 row(s)); did you mean 'France'" in err
