"""Safe outputs: files that appear only when complete, and cells a spreadsheet cannot run.

Every result and error file is written under a temporary name in its destination's
directory and renamed onto it (:func:`os.replace`, atomic on one file system) only when
the run has completed. A failure, Ctrl-C or SIGTERM removes the temporary file and
leaves an existing destination as it was; a destination that is not a regular file
(``/dev/null``, a FIFO) cannot be renamed onto and is written in place.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from .._errors import UnreadableInput

__all__ = [
    "FORMULA_PATTERN",
    "FORMULA_STARTS",
    "AtomicOutput",
    "CSVRows",
    "ParquetOutput",
    "atomic_output",
    "escape_formula",
    "refuse_same_file",
]

#: first characters that make a spreadsheet read a cell as a formula (OWASP)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: the same, as a regular expression for Arrow's string kernels
FORMULA_PATTERN = r"^[=+\-@\t\r]"
#: temporary files are named ``.<name>.<random>.tmp`` next to the destination
TEMP_SUFFIX = ".tmp"


def escape_formula(value: str) -> str:
    """*value* with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class AtomicOutput:
    """A file written under a temporary name next to *dest*, renamed onto it by
    :meth:`commit`; :meth:`abort` removes it and leaves *dest* untouched.

    *mode* is ``"w"`` (text, UTF-8, untranslated newlines), ``"wb"``, or ``None`` for a
    writer that opens :attr:`path` itself (Parquet). A symbolic link is followed: its
    target is replaced and the link kept.
    """

    def __init__(self, dest: str | os.PathLike[str], mode: str | None = "w") -> None:
        self.dest = Path(dest)
        real = Path(os.path.realpath(dest))
        try:
            st: os.stat_result | None = real.stat()
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "expected a file, found a directory", str(dest))
        #: a device or FIFO is written in place (nothing can be renamed onto it)
        self.in_place = st is not None and not stat.S_ISREG(st.st_mode)
        self.target = real
        self.done = False
        self.path = real
        try:
            fd = self._open(real, st)
        except OSError as e:  # name the destination, not the temporary file
            why = e.strerror or "cannot create the file"
            if not self.in_place and e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                why += " (the file is written first under a temporary name in its directory)"
            raise type(e)(e.errno, why, str(dest)) from None
        self.file: IO[Any] | None
        if mode is None:
            os.close(fd)
            self.file = None
        elif "b" in mode:
            self.file = os.fdopen(fd, mode)
        else:
            self.file = os.fdopen(fd, mode, encoding="utf-8", newline="")

    def _open(self, real: Path, st: os.stat_result | None) -> int:
        if self.in_place:
            self.path = real
            return os.open(real, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        for _ in range(2):
            self.path = real.with_name(f".{real.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
            try:
                fd = os.open(self.path, flags, 0o666)
            except FileExistsError:  # pragma: no cover - 32 random bits collided
                continue
            if st is not None:
                os.chmod(self.path, stat.S_IMODE(st.st_mode))
            return fd
        raise FileExistsError(errno.EEXIST, "temporary file exists", str(self.path))

    def commit(self) -> None:
        """Flush, sync and rename the file onto the destination."""
        if self.done:
            return
        try:
            if self.file is not None:
                self.file.flush()
                if not self.in_place:
                    os.fsync(self.file.fileno())
                self.file.close()
            elif not self.in_place:  # written by another writer: sync it here
                fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            if not self.in_place:
                os.replace(self.path, self.target)
        except BaseException:
            self.abort()
            raise
        self.done = True

    def abort(self) -> None:
        """Close and remove the temporary file; the destination is left as it was."""
        if self.done:
            return
        self.done = True
        if self.file is not None:
            with suppress(OSError, ValueError):  # disk full on the last flush: nothing to keep
                self.file.close()
        if not self.in_place:
            with suppress(FileNotFoundError):
                os.unlink(self.path)

    def __enter__(self) -> AtomicOutput:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


@contextmanager
def atomic_output(dest: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open *dest* for writing; it appears, complete, only if the block succeeds."""
    with AtomicOutput(dest, mode) as out:
        assert out.file is not None
        yield out.file


def refuse_same_file(
    source: str | os.PathLike[str], **outputs: str | os.PathLike[str] | None
) -> None:
    """Raise :class:`~sse_model.UnreadableInput` if an output is the input file (also
    through a hard or symbolic link), or two outputs are one file."""
    seen: dict[tuple[int, int] | str, str] = {}
    src = _identity(source)
    for name, path in outputs.items():
        if path is None:
            continue
        ident = _identity(path)
        if ident is None:
            continue
        if src is not None and ident == src:
            raise UnreadableInput(
                str(source),
                f"expected {name} to be another file than the input, got {str(path)!r}, "
                "which is the input itself; writing it would destroy the register",
            )
        if ident in seen:
            raise UnreadableInput(
                str(path),
                f"expected {name} and {seen[ident]} to be two files, got the same file "
                f"{str(path)!r} for both",
            )
        seen[ident] = name


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | str | None:
    """The (device, inode) of a regular file, the resolved path of one still to create."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return os.path.normcase(os.path.realpath(path))
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # /dev/null or a pipe may be both the errors and the output
    return (st.st_dev, st.st_ino)


class ParquetOutput:
    """A Parquet file whose footer is written only by :meth:`commit`.

    *target* is a path (written atomically, as :class:`AtomicOutput`) or an open binary
    file, which receives the bytes only on :meth:`commit` (they are spooled to a
    temporary file until then). :meth:`abort` writes no footer and leaves nothing.
    """

    def __init__(self, target: str | os.PathLike[str] | IO[bytes], schema: Any, **options: Any):
        import tempfile

        import pyarrow.parquet as pq

        self.atomic: AtomicOutput | None = None
        self.stream: IO[bytes] | None = None
        if isinstance(target, str | os.PathLike):
            self.atomic = AtomicOutput(target, mode=None)
            self.path = self.atomic.path
        else:
            fd, name = tempfile.mkstemp(suffix=".parquet")
            os.close(fd)
            self.stream, self.path = target, Path(name)
        self.writer: Any = None
        try:
            self.writer = pq.ParquetWriter(str(self.path), schema, **options)
        except BaseException:
            self.abort()
            raise

    def write_table(self, table: Any) -> None:
        self.writer.write_table(table)

    def commit(self) -> None:
        """Write the footer and put the file in place."""
        try:
            self.writer.close()
            if self.atomic is not None:
                self.atomic.commit()
            else:
                import shutil

                assert self.stream is not None
                with open(self.path, "rb") as f:
                    shutil.copyfileobj(f, self.stream)
                os.unlink(self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Drop the file without its footer: nothing readable is left."""
        if self.writer is not None:
            # ParquetWriter.close() (also run by its __del__) would write the footer
            self.writer.is_open = False
            handle = getattr(self.writer, "file_handle", None)
            if handle is not None:
                handle.close()
        if self.atomic is not None:
            self.atomic.abort()
        else:
            with suppress(FileNotFoundError):
                os.unlink(self.path)


class CSVRows:
    """Rows written as :func:`csv.writer` with ``"\\n"`` line ends writes them, except that
    a row with a carriage return in a cell is quoted in full: the csv module quotes only
    the characters of its line terminator, so a lone CR would end the record for readers.
    """

    def __init__(self, f: IO[str]) -> None:
        import csv

        self._minimal = csv.writer(f, lineterminator="\n")
        self._all = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: list[Any]) -> None:
        cr = any(isinstance(c, str) and "\r" in c for c in row)
        (self._all if cr else self._minimal).writerow(row)
