"""The checks every public entry point makes of its arguments, once per call.

A wrong argument fails at the call, with :class:`~sse_model.InvalidArgument` (a
``TypeError``) naming the parameter, what it takes and what it got, and a hint for the
common mistakes (arguments swapped, a table where objects are expected, a list of
profiles where one is expected); a value of the right kind that cannot be read (an
``on`` of ``"2024-13-01"``) is :class:`~sse_model.InvalidInput`. The checks look at
the arguments, never at every row: they cost a few ``isinstance`` calls a call.

``on`` is read by :func:`on_date`: a :class:`~datetime.date`, an ISO 8601 string
(``"2024-12-31"``, or a date and time), a :class:`~datetime.datetime` or a pandas
``Timestamp`` (their calendar date, as written: a time zone is not converted, so
``2024-12-31T23:30-05:00`` is 31 December 2024), or a numpy ``datetime64``; ``None``
is today (:meth:`date.today`, the machine's local date).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from os import PathLike
from typing import TYPE_CHECKING, Any

from ._errors import FieldError, InvalidArgument, InvalidInput

if TYPE_CHECKING:
    from ._engine._profile import Profile
    from ._model import Organisation

__all__ = [
    "described",
    "on_date",
    "one_organisation",
    "one_profile",
    "organisations",
    "path",
    "profiles",
    "table",
]

#: what ``on`` takes, in messages
ON_FORMS = "a date, an ISO date string ('2024-12-31'), a datetime or a pandas Timestamp"
_TABLES = ("pandas", "polars", "pyarrow", "dask")


def _table_kind(value: object) -> str | None:
    """``"a pandas DataFrame"`` for a table or column of a dataframe library, else None."""
    module = type(value).__module__.split(".")[0]
    if module in _TABLES:
        return f"{_a(module)} {type(value).__name__}"
    return None


def _a(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def described(value: object) -> str:
    """*value* as a message names it: its kind, and a short text of a plain value."""
    if value is None:
        return "None"
    table = _table_kind(value)
    if table is not None:
        return table
    name = type(value).__name__
    if isinstance(value, str | int | float | bytes):
        text = repr(value)
        return f"{name} {text if len(text) <= 40 else text[:37] + '...'}"
    if isinstance(value, list | tuple | set | frozenset):
        kinds = sorted({type(x).__name__ for x in value})
        inner = f" of {' and '.join(kinds)}" if kinds else ", empty"
        return f"{_a(name)}{inner}"
    return _a(name)


def on_date(on: object, argument: str = "on") -> date:
    """*on* as a date (``None``: today); see the module's docstring for what it takes."""
    if on is None:
        return date.today()
    kind = type(on)
    if kind is date:
        return on  # type: ignore[return-value]
    if isinstance(on, datetime):  # also a pandas Timestamp (NaT included)
        if type(on).__name__ == "NaTType":  # pandas' missing time: no date
            raise _bad_on(argument, "NaT (not a time)")
        return on.date()
    if isinstance(on, date):
        return date(on.year, on.month, on.day)
    if isinstance(on, str):
        return _iso(on, argument)
    if kind.__name__ == "datetime64":  # numpy, without importing it
        if str(on) == "NaT":
            raise _bad_on(argument, "NaT (not a time)")
        return on_date(on.astype("datetime64[D]").item(), argument)  # type: ignore[attr-defined]
    raise InvalidArgument(argument, ON_FORMS, described(on))


def _iso(text: str, argument: str) -> date:
    stripped = text.strip()
    try:
        return date.fromisoformat(stripped)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(stripped).date()
    except ValueError:
        raise _bad_on(argument, repr(text[:40])) from None


def _bad_on(argument: str, got: str) -> InvalidInput:
    message = f"expected a date such as '2024-12-31' (ISO 8601), got {got}"
    return InvalidInput(argument, [FieldError(argument, message)])


_CLASSES: list[tuple[type[Organisation], type[Profile]]] = []


def _model_classes() -> tuple[type[Organisation], type[Profile]]:
    """The classes the checks test for, imported once (lazily: the model and the engine
    import this module)."""
    if not _CLASSES:
        from ._engine._profile import Profile
        from ._model import Organisation

        _CLASSES.append((Organisation, Profile))
    return _CLASSES[0]


def one_organisation(value: object, argument: str = "organisation") -> Organisation:
    """*value*, if it is an :class:`~sse_model.Organisation`."""
    org, profile = _model_classes()
    if isinstance(value, org):
        return value
    hint = None
    if isinstance(value, str | profile):
        hint = "arguments swapped? the organisation comes first, then the profile"
    elif _table_kind(value) is not None:
        hint = "classify a table's rows with classify_table(table, profiles)"
    elif isinstance(value, Mapping):
        hint = "build one with sse_model.structure(record, Organisation)"
    elif isinstance(value, Iterable):
        hint = "classify several with classify_many(organisations, profiles)"
    raise InvalidArgument(argument, "an Organisation", described(value), hint=hint)


def organisations(value: object, argument: str = "organisations") -> Iterable[Any]:
    """*value*, if it can be an iterable of organisations (its items are checked as
    they are classified, by :func:`one_organisation`)."""
    org, profile = _model_classes()
    hint = None
    if isinstance(value, org):
        hint = "one organisation: classify(organisation, profile), or pass [organisation]"
    elif isinstance(value, str | profile):
        hint = "arguments swapped? the organisations come first, then the profiles"
    elif _table_kind(value) is not None:
        hint = "classify a table with classify_table(table, profiles)"
    elif isinstance(value, Mapping | bytes) or not isinstance(value, Iterable):
        hint = None
    else:
        return value
    raise InvalidArgument(argument, "an iterable of Organisation", described(value), hint=hint)


def one_profile(value: object, argument: str = "profile") -> str | Profile:
    """*value*, if it names one profile: an id or a :class:`~sse_model.Profile`."""
    org, profile = _model_classes()
    if isinstance(value, str | profile):
        return value
    hint = None
    if isinstance(value, org):
        hint = "arguments swapped? the organisation comes first, then the profile"
    elif isinstance(value, PathLike):
        hint = "load a profile file with load_profile_file(path)"
    elif isinstance(value, list | tuple | set | frozenset):
        hint = "several profiles: classify_many, or classify_under_all(organisation, profiles=...)"
    raise InvalidArgument(argument, "a profile id or a Profile", described(value), hint=hint)


def profiles(value: object, argument: str = "profiles") -> list[str | Profile]:
    """*value* as a list of profiles: one id or :class:`~sse_model.Profile`, or an
    iterable of them."""
    org, profile = _model_classes()
    if isinstance(value, str | profile):
        return [value]
    expected = "a profile id, a Profile or a list of them"
    hint = None
    if isinstance(value, org) or _table_kind(value) is not None:
        hint = "arguments swapped? the organisations (or the table) come first, then the profiles"
    elif isinstance(value, PathLike):
        hint = "load a profile file with load_profile_file(path)"
    elif isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        items = list(value)
        for i, item in enumerate(items):
            if not isinstance(item, str | profile):
                one_profile(item, f"{argument}[{i}]")
        return items
    raise InvalidArgument(argument, expected, described(value), hint=hint)


def table(value: object, argument: str = "table") -> None:
    """Whether *value* can be a table of flat rows: a pyarrow, pandas or polars table,
    or an iterable of mappings (records); raise if not."""
    if _table_kind(value) is not None:
        return
    org, profile = _model_classes()
    hint = None
    if isinstance(value, str | bytes | PathLike):
        hint = "a file: classify_file(path, profiles, output=...) or read_register(path)"
    elif isinstance(value, org) or (
        isinstance(value, list | tuple) and value and isinstance(value[0], org)
    ):
        hint = "organisations already built: classify_many(organisations, profiles)"
    elif isinstance(value, profile):
        hint = "arguments swapped? the table comes first, then the profiles"
    elif isinstance(value, Mapping):
        hint = "one record: pass [record]"
    elif isinstance(value, Iterable):
        return
    expected = "a pyarrow Table, a pandas or polars DataFrame, or an iterable of records"
    raise InvalidArgument(argument, expected, described(value), hint=hint)


def path(value: object, argument: str) -> None:
    """Whether *value* can be a file's path (a str or an :class:`os.PathLike`)."""
    if isinstance(value, str | PathLike):
        return
    hint = None
    if _table_kind(value) is not None:
        hint = "a table in memory: classify_table(table, profiles)"
    raise InvalidArgument(argument, "a path (str or os.PathLike)", described(value), hint=hint)
