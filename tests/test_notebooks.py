"""The examples run: every notebook in examples/ executes without error, and so does the
plain script that uses the library from another program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
#: seconds per cell; the notebooks are kept small enough to run in well under a minute
TIMEOUT = 300


class TestNotebooks:
    """Notebooks are saved without outputs and execute cleanly from examples/."""

    def test_there_are_notebooks(self) -> None:
        """The five example notebooks are found (a renamed folder would skip them all)."""
        assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05"]

    @pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
    def test_saved_without_outputs(self, path: Path) -> None:
        """No output or execution count is committed: the run in CI regenerates them."""
        nbformat = pytest.importorskip("nbformat")
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        for cell in book.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name

    @pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
    def test_executes(self, path: Path) -> None:
        """Every cell runs without error; rich displays (HTML) and charts (PNG) are produced."""
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        book = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(
            book,
            timeout=TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(EXAMPLES)}},
        )
        with pytest.MonkeyPatch.context() as mp:
            mp.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend is headless
            mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
            client.execute()
        errors = [
            out
            for cell in book.cells
            if cell.cell_type == "code"
            for out in cell.outputs
            if out.output_type == "error"
        ]
        assert errors == []
        kinds = {
            kind
            for cell in book.cells
            if cell.cell_type == "code"
            for out in cell.outputs
            for kind in out.get("data", {})
        }
        assert "text/html" in kinds
        if not path.name.startswith("03"):
            assert "image/png" in kinds


class TestProgram:
    """The plain script uses the library as any program would."""

    def test_runs(self) -> None:
        """It exits 0 and prints its summary."""
        done = subprocess.run(
            [sys.executable, str(EXAMPLES / "use_from_a_program.py")],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "qualifies" in done.stdout
