"""Arrow arrays built from their buffers (``_io/_arrow.py``) are pyarrow's own, and the
README's job does not import pandas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from sse_model._io import _arrow  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

_DTYPES = st.sampled_from(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint32", "uint64", "float32", "float64"]
)
_ARRAYS = _DTYPES.flatmap(lambda d: hnp.arrays(d, st.integers(0, 40)))
_TEXT = st.lists(st.none() | st.text(max_size=8), max_size=30)


def _same(ours: object, theirs: object) -> None:
    assert isinstance(ours, pa.Array) and isinstance(theirs, pa.Array)
    ours.validate(full=True)
    assert ours.type == theirs.type
    assert ours.null_count == theirs.null_count
    if pa.types.is_floating(ours.type):  # NaN is not equal to itself: compare as numpy
        assert ours.is_null().equals(theirs.is_null())
        np.testing.assert_array_equal(ours.fill_null(0).to_numpy(), theirs.fill_null(0).to_numpy())
    else:
        assert ours.equals(theirs)


class TestBuilders:
    """Each builder gives what the pyarrow call it stands for gives."""

    @settings(max_examples=200)
    @given(_ARRAYS, st.data())
    def test_numbers_are_pa_array(self, values: object, data: st.DataObject) -> None:
        """numbers(a, mask=m) equals pa.array(a, mask=m), with and without a mask."""
        n = len(values)  # type: ignore[arg-type]
        mask = data.draw(st.none() | hnp.arrays("bool", n))
        _same(_arrow.numbers(values, mask=mask), pa.array(values, mask=mask))

    @given(_TEXT)
    def test_strings_are_pa_array(self, values: list[str | None]) -> None:
        """strings(v) equals pa.array(v, type=pa.string())."""
        _same(_arrow.strings(values), pa.array(values, type=pa.string()))

    def test_unencodable_string_raises_as_pyarrow(self) -> None:
        """A lone surrogate raises UnicodeEncodeError, as in pa.array."""
        with pytest.raises(UnicodeEncodeError):
            pa.array(["\ud800"], type=pa.string())
        with pytest.raises(UnicodeEncodeError):
            _arrow.strings(["ok", "\ud800"])

    @given(st.lists(st.lists(st.text(max_size=5), max_size=4), max_size=20))
    def test_string_lists_are_pa_array(self, values: list[list[str]]) -> None:
        """string_lists(v) equals pa.array(v, type=pa.list_(pa.string()))."""
        _same(_arrow.string_lists(values), pa.array(values, type=pa.list_(pa.string())))

    @given(
        st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text()
    )
    def test_scalar_is_pa_scalar(self, value: bool | int | float | str) -> None:
        """scalar(v) equals pa.scalar(v): the same type and value (True is not 1)."""
        ours, theirs = _arrow.scalar(value), pa.scalar(value)
        assert ours.type == theirs.type and ours.equals(theirs)

    def test_scalar_of_a_type(self) -> None:
        """scalar(v, t) equals pa.scalar(v, type=t), and fill_null uses the values' type."""
        for value, kind in [
            (-1, pa.int32()),
            (0, pa.int8()),
            (True, pa.bool_()),
            ("", pa.string()),
        ]:
            ours = _arrow.scalar(value, kind)
            assert ours.type == kind and ours.equals(pa.scalar(value, type=kind))
        ints = pa.array([1, None, 3], type=pa.int32())
        _same(_arrow.fill_null(ints, -1), pc.fill_null(ints, -1))

    @given(_ARRAYS, st.integers(0, 5), st.integers(0, 40))
    def test_to_numpy_is_pyarrows(self, values: object, start: int, length: int) -> None:
        """to_numpy(a) equals a.to_numpy(zero_copy_only=False), also of a slice, and
        numbers are read-only as there."""
        array = pa.array(values).slice(start, length)
        ours, theirs = _arrow.to_numpy(array), array.to_numpy(zero_copy_only=False)
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)
        if ours.dtype != np.bool_:
            assert not ours.flags.writeable

    def test_to_numpy_of_chunks_and_nulls(self) -> None:
        """Chunked arrays are joined; an array with nulls is pyarrow's conversion."""
        chunked = pa.chunked_array([[1, 2], [3]])
        np.testing.assert_array_equal(_arrow.to_numpy(chunked), [1, 2, 3])
        with_nulls = pa.array([1.0, None])
        np.testing.assert_array_equal(
            _arrow.to_numpy(with_nulls), with_nulls.to_numpy(zero_copy_only=False)
        )


class TestNoPandas:
    """pyarrow imports pandas when asked to convert a Python or numpy value; the paths
    that need no pandas do not ask."""

    def test_readme_job_does_not_import_pandas(self) -> None:
        """The README's quick-start command (JSON Lines, five profiles, table output)
        runs without importing pandas, though pandas is installed."""
        pytest.importorskip("pandas")
        code = (
            "import sys\n"
            "from sse_model._cli import main\n"
            "try:\n"
            "    main(sys.argv[1:])\n"
            "except SystemExit as e:\n"
            "    assert not e.code, e.code\n"
            "print('pandas' in sys.modules, 'pyarrow' in sys.modules, file=sys.stderr)\n"
        )
        args = ["classify", str(ROOT / "examples" / "sample-register.jsonl"), "--on", "2025-06-30"]
        for p in ("intl/ilo-2022", "vn/social-enterprise", "th/social-enterprise",
                  "kr/social-enterprise", "vn/cooperative"):  # fmt: skip
            args += ["--profile", p]
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "Fast (columnar) lane" in done.stdout  # the columnar lane ran, with pyarrow
        assert done.stderr.strip().splitlines()[-1] == "False True"
