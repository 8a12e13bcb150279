"""The library's exceptions: one base class, subclasses that also inherit the matching builtin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import attrs

__all__ = [
    "ColumnsNotMapped",
    "FieldError",
    "InvalidArgument",
    "InvalidInput",
    "InvalidProfile",
    "NoVersionInForce",
    "SSEModelError",
    "UnknownProfile",
    "UnreadableInput",
]


class SSEModelError(Exception):
    """Base class of every exception raised on purpose by *sse-model*."""


@attrs.frozen
class FieldError:
    """One problem found in input data, at one field path.

    *path* reads like ``finances[2023].profit_after_tax``; *message* says what was
    expected and what was received.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidInput(SSEModelError, ValueError):
    """Input data could not be turned into model values.

    Carries *every* problem found, each with its field path, so that nothing has
    to be fixed and resubmitted one error at a time.
    """

    errors: tuple[FieldError, ...]

    def __init__(self, what: str, errors: Sequence[FieldError]) -> None:
        self.what = what
        self.errors = tuple(errors)
        n = len(self.errors)
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"invalid {what} ({n} problem{'s' if n != 1 else ''}):\n{lines}")


class InvalidArgument(SSEModelError, TypeError):
    """A public function was called with an argument of the wrong kind.

    *argument* names the parameter, *expected* says what it takes and *received*
    what it was given (``"a pandas DataFrame"``); *hint* says what to call instead,
    when the mistake is a common one (arguments swapped, a table where objects are
    expected).
    """

    def __init__(
        self, argument: str, expected: str, received: str, *, hint: str | None = None
    ) -> None:
        self.argument = argument
        self.expected = expected
        self.received = received
        self.hint = hint
        tail = f"; {hint}" if hint else ""
        super().__init__(f"{argument}: expected {expected}, got {received}{tail}")


class InvalidProfile(SSEModelError, ValueError):
    """A profile file or object breaks the profile format or its consistency rules."""

    errors: tuple[FieldError, ...]

    def __init__(self, source: str, errors: Sequence[FieldError]) -> None:
        self.source = source
        self.errors = tuple(errors)
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"invalid profile {source}:\n{lines}")


class UnknownProfile(SSEModelError, KeyError):
    """No shipped or registered profile has this id."""

    def __init__(self, profile_id: str, known: Sequence[str]) -> None:
        self.profile_id = profile_id
        self.known = tuple(known)
        super().__init__(profile_id)

    def __str__(self) -> str:
        return f"unknown profile {self.profile_id!r}; known profiles: {', '.join(self.known)}"


class NoVersionInForce(SSEModelError, LookupError):
    """A profile has no version in force on the requested date."""

    def __init__(
        self, profile_id: str, on: date, versions: Sequence[tuple[str, date, date | None]]
    ) -> None:
        self.profile_id = profile_id
        self.on = on
        self.versions = tuple(versions)
        spans = "; ".join(
            f"{v} from {start.isoformat()} to {end.isoformat() if end else 'today'}"
            for v, start, end in self.versions
        )
        super().__init__(
            f"profile {profile_id!r} has no version in force on {on.isoformat()}; "
            f"its versions are: {spans}"
        )


class UnreadableInput(SSEModelError, ValueError):
    """A register cannot be read at all: a file-level problem, not a bad row.

    Bad rows are rejected one by one and reading goes on; this is raised when the file
    itself is wrong (no header, wrong delimiter, wrong encoding, duplicate columns, not
    the format its name says...). *source* names the file, *line* and *offset* say where
    (when known), and the message says what was expected and what was found.
    """

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        line: int | None = None,
        offset: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.source = source
        self.problem = problem
        self.line = line
        self.offset = offset
        self.hint = hint
        where = []
        if line is not None:
            where.append(f"line {line}")
        if offset is not None:
            where.append(f"byte {offset}")
        at = f" ({', '.join(where)})" if where else ""
        tail = f"; {hint}" if hint else ""
        super().__init__(f"cannot read {source}{at}: {problem}{tail}")


class ColumnsNotMapped(UnreadableInput):
    """A table's header has columns the vocabulary does not know and the mapping
    neither maps nor ignores, or the mapping names columns the file does not have.

    *unknown* maps each unknown column to its close matches (vocabulary columns and
    the mapping's own names); *unused* lists the mapping's columns not in the file.
    """

    def __init__(
        self, source: str, unknown: Mapping[str, tuple[str, ...]], unused: Sequence[str]
    ) -> None:
        self.unknown = dict(unknown)
        self.unused = tuple(unused)
        parts = []
        if unknown:
            shown = "; ".join(
                f"{n!r}" + (f" (did you mean {', '.join(map(repr, near))}?)" if near else "")
                for n, near in unknown.items()
            )
            parts.append(
                f"expected columns of the vocabulary, found {len(unknown)} unknown: {shown}"
            )
        if unused:
            parts.append(
                f"the mapping names {len(unused)} column(s) the file does not have: "
                + ", ".join(map(repr, unused))
            )
        super().__init__(
            source,
            "; ".join(parts),
            line=1,
            hint="map each column onto the vocabulary or ignore it in the mapping "
            "(columns, ignore); 'sse-model validate --columns MAPPING' shows the whole report",
        )
