"""Flat register columns (Arrow) to a :class:`FactFrame`, without building objects.

This is the fast lane of register classification. It reads the flat column
vocabulary of :mod:`._flat` (one fiscal year per row) column by column, and
sends to the exact lane (one row, one :class:`~sse_model.Organisation`) every
row it cannot vouch for:

- a cell in a column the fast lane does not read (a multi-year column, a unit
  other than ``%`` in a column name, an unknown column);
- a cell that is not in the plain, unambiguous form of its type (numbers as
  ASCII digits with at most 15 significant digits, dates as ``YYYY-MM-DD``);
  values of few distinct cells (codes, yes/no, choices, currencies) are parsed
  by the library's own converter, once per distinct value;
- a row failing, or too close to failing, one of the model's consistency checks;
- a row whose amounts nearly cancel in a derived share.

The exact lane then validates (with the model's own errors) and classifies
those rows. So the outcome of every row is what the per-object engine gives;
the equivalence is a property test of the suite.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs

from .._engine._columnar import (
    STATE_MISSING,
    STATE_UNDEFINED,
    STATE_VALUE,
    BoolColumn,
    CertKey,
    ChoiceColumn,
    ChoicesColumn,
    Column,
    FactFrame,
    NumberColumn,
)
from .._engine._facts import FACTS
from .._engine._intervals import boundable, bounding_paths
from .._engine._profile import last_ended_year
from .._errors import InvalidInput
from .._model import Organisation
from .._model._declare import MONEY_KINDS, AtMost, Kind, OneCurrency, Positive, Ratio, SumAtMost
from .._model._forms import shipped_form
from .._model._schema import (
    COLUMNS,
    DERIVED,
    IDENTITY,
    REQUIRED,
    DerivedValue,
    columns_of,
    rules,
)
from .._serialization import structure
from ._flat import _FALSE, _TRUE, _UNIT, _cert_kind_field, to_nested

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

__all__ = ["TableFrame", "YearProjection", "frame_from_table", "project_years", "wanted_columns"]

_INT = r"^[0-9]{1,15}$"
_AMOUNT = r"^[0-9]{1,15}(\.[0-9]{1,15})?$"
_SIGNED_AMOUNT = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: patterns every string of 1 to 15 ASCII digits matches
_DIGITS_OK = frozenset({_INT, _AMOUNT, _SIGNED_AMOUNT})
#: a difference of amounts this close to cancelling goes to the exact lane
_CANCEL = 1e-4
# the columns of each kind, read off the model's declarations
_COUNTS = columns_of(Kind.COUNT)
_BOOLS = columns_of(Kind.BOOL)
_MONEY = columns_of(Kind.MONEY, Kind.SIGNED_MONEY)
_SIGNED = columns_of(Kind.SIGNED_MONEY)
_SHARES = columns_of(Kind.SHARE, Kind.RATE)
_HOURS = columns_of(Kind.HOURS)
#: a duration in hours written with its unit, which the fast lane reads as the number
_IN_HOURS = r"^[0-9]{1,15}(\.[0-9]{1,15})? h$"
#: shares that cannot exceed 1 (a rate may)
_AT_MOST_ONE = columns_of(Kind.SHARE)
_CHOICES = columns_of(Kind.CODE, Kind.CHOICE, Kind.CHOICES)
_DATES = columns_of(Kind.DATE)
#: a choice presumed from others (the family, from the legal form) and those others
_PRESUMED_FROM = frozenset(
    name for c in COLUMNS.values() if c.spec.also for name in (c.name, *c.spec.also)
)
_TEXTS = columns_of(Kind.TEXT)
#: the numbers of the fiscal year's accounts (one year per row)
_YEAR_NUMBERS = columns_of(Kind.MONEY, Kind.SIGNED_MONEY, Kind.RATE, per_year=True)
_YEAR = next(iter(columns_of(Kind.YEAR)))


def _np() -> Any:
    import numpy

    return numpy


def _ar() -> Any:
    """Arrow arrays and scalars that do not make pyarrow import pandas."""
    from . import _arrow

    return _arrow


def _pa() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.compute
    except ImportError:
        raise ImportError(
            "fast register classification needs pyarrow: pip install 'sse-model[arrow]'"
        ) from None
    return pyarrow, pyarrow.compute


@attrs.frozen
class TableFrame:
    """The facts of a chunk of rows, and the rows the exact lane must take."""

    frame: FactFrame
    exact: npt.NDArray[np.bool_]
    #: the ``id`` cells (an Arrow string array; null where empty)
    ids: Any
    #: each row's legal form, for presumptions (codes into its categories, -1 unknown)
    forms: ChoiceColumn | None = None
    #: per status whose law presumes facts, the rows holding it in force (presumptions)
    statuses: dict[str, Any] = attrs.field(factory=dict)


class _Reader:
    """Column access over one Arrow table, recording rows for the exact lane."""

    def __init__(self, table: pa.Table, currency: str | None) -> None:
        self.pa, self.pc = _pa()
        self.np = _np()
        self.table = table
        self.n = table.num_rows
        self.exact = self.np.zeros(self.n, dtype=bool)
        self.names = {(m["path"] if (m := _UNIT.match(c)) else c): c for c in table.column_names}
        self.units = {
            m["path"]: m["unit"].strip() for c in table.column_names if (m := _UNIT.match(c))
        }
        self._uniques: dict[str, tuple[Any, list[Any]]] = {}
        self._strings: dict[str, Any] = {}
        self.whole = self.np.ones(self.n, dtype=bool)
        #: the column paths read and checked (None: every column, ``validate="all"``)
        self.wanted: frozenset[str] | None = None
        self.currency = self._currency(currency)

    def read(self, paths: frozenset[str]) -> frozenset[str]:
        """Those of *paths* this reader reads (all, unless only some are wanted)."""
        return paths if self.wanted is None else paths & self.wanted

    def checked(self) -> list[str]:
        """The paths of the table's columns whose cells are checked."""
        if self.wanted is None:
            return list(self.names)
        return [p for p in self.names if _wanted(p, self.wanted)]

    def decimal(self, path: str, known: Any, values: Any) -> tuple[Any, Any, Any]:
        """A column of plain decimals (known where *known*) as whole numbers: (the
        digits as a number, ``10 ** places``, rows where that is exact: at most 15
        digits)."""
        np, pa, pc, ar = self.np, self.pa, self.pc, _ar()
        col = self.strings(path)
        ones = np.ones(self.n)
        if col is None:
            return values, ones, np.ones(self.n, dtype=bool)
        lengths = pc.utf8_length(col)
        dot = pc.find_substring(col, ".")
        if not pc.any(pc.greater_equal(dot, ar.scalar(0))).as_py():
            # whole numbers only: the value is its digits
            short = ar.fill_null(pc.less_equal(lengths, ar.scalar(15)), True)
            return values, ones, ~known | ar.to_numpy(short)
        at = ar.to_numpy(ar.fill_null(dot, -1)).astype(np.int64)
        size = ar.to_numpy(ar.fill_null(lengths, 0)).astype(np.int64)
        places = np.where(known & (at >= 0), size - at - 1, 0)
        clean = pc.if_else(ar.numbers(known), pc.replace_substring(col, ".", ""), ar.scalar("0"))
        digits = ar.to_numpy(pc.cast(clean, pa.float64()))
        integral = ~known | (size - (at >= 0) <= 15)
        return digits, 10.0**places, integral

    # raw access ----------------------------------------------------------------
    def strings(self, path: str) -> Any | None:
        """The column as strings with empty (whitespace-only) cells as null."""
        if path in self._strings:
            return self._strings[path]
        name = self.names.get(path)
        if name is None:
            return None
        pa, pc, ar = self.pa, self.pc, _ar()
        col = self.table.column(name).combine_chunks()
        if col.type != pa.string():
            col = pc.cast(col, pa.string())
        # empty and whitespace-only cells are unknown, as in the exact lane
        lengths = pc.utf8_length(col)
        blank = pc.equal(lengths, ar.scalar(0))
        space = pc.utf8_is_space(col)
        if pc.any(space).as_py():
            blank = pc.or_(blank, ar.fill_null(space, False))
        # cells longer than the converter accepts: the exact lane rejects them
        from .._serialization import MAX_STRING

        too_long = ar.fill_null(pc.greater(lengths, ar.scalar(MAX_STRING)), False)
        if pc.any(too_long).as_py():
            self.exact |= ar.to_numpy(too_long)
        blank = ar.fill_null(blank, True)
        if pc.any(blank).as_py():
            col = _with_nulls(col, blank)
        self._strings[path] = col
        return col

    def known(self, path: str) -> npt.NDArray[np.bool_]:
        col = self.strings(path)
        if col is None:
            return self.np.zeros(self.n, dtype=bool)  # type: ignore[no-any-return]
        return _ar().to_numpy(self.pc.is_valid(col))  # type: ignore[no-any-return]

    def _pattern(self, col: Any, pattern: str) -> npt.NDArray[np.bool_]:
        """Rows whose cell is known but not in the plain form: to the exact lane."""
        pc, ar = self.pc, _ar()
        # most cells are whole numbers of up to 15 digits: the regular expression only
        # runs when some are not (every pattern here accepts those)
        digits = pc.and_(
            pc.ascii_is_decimal(col), pc.less_equal(pc.utf8_length(col), ar.scalar(15))
        )
        digits = ar.fill_null(digits, True)
        if pc.all(digits).as_py() and pattern in _DIGITS_OK:
            out = self.np.zeros(len(col), dtype=bool)
        else:
            bad = pc.and_(pc.is_valid(col), pc.invert(pc.match_substring_regex(col, pattern)))
            out = ar.to_numpy(ar.fill_null(bad, False))
        self.exact |= out
        return ar.to_numpy(pc.is_valid(col)) & ~out  # type: ignore[no-any-return]

    def floats(self, path: str, pattern: str) -> tuple[Any, Any]:
        """(known mask, float64 values with 0 where unknown or not plain)."""
        np = self.np
        col = self.strings(path)
        if col is None:
            return np.zeros(self.n, dtype=bool), np.zeros(self.n)
        ok = self._pattern(col, pattern)
        clean = self.pc.if_else(_ar().numbers(ok), col, _ar().scalar("0"))
        values = _ar().to_numpy(self.pc.cast(clean, self.pa.float64()))
        return ok, values

    def hours(self, path: str) -> tuple[Any, Any]:
        """(known mask, float64 values) of a duration column: a plain number is hours,
        and so is ``N h``; a cell in any other unit goes to the exact lane."""
        col = self.strings(path)
        if col is not None:
            pc, ar = self.pc, _ar()
            suffixed = ar.fill_null(pc.match_substring_regex(col, _IN_HOURS), False)
            if pc.any(suffixed).as_py():
                bare = pc.utf8_slice_codeunits(col, 0, -2)
                self._strings[path] = pc.if_else(suffixed, bare, col)
        return self.floats(path, _AMOUNT)

    def uniques(self, path: str, parse: Callable[[str], Any]) -> tuple[Any, list[Any]]:
        """Per row, the index of its distinct value (-1 unknown) and the parsed values.

        *parse* raises :class:`InvalidInput` for a bad value: its rows go exact.
        """
        done = self._uniques.get(path)
        if done is None:
            done = self._uniques[path] = self._parse_uniques(path, parse)
        return done

    def _parse_uniques(self, path: str, parse: Callable[[str], Any]) -> tuple[Any, list[Any]]:
        np, pc = self.np, self.pc
        col = self.strings(path)
        if col is None:
            return np.full(self.n, -1, dtype=np.int32), []
        enc = pc.dictionary_encode(col)
        dictionary = enc.dictionary.to_pylist()
        idx = _ar().to_numpy(_ar().fill_null(enc.indices, -1)).astype(np.int32)
        values: list[Any] = []
        bad = np.zeros(len(dictionary) + 1, dtype=bool)
        for i, text in enumerate(dictionary):
            if not text.strip():  # unknown, as the exact lane reads it
                values.append(None)
                continue
            try:
                values.append(parse(text))
            except InvalidInput:
                values.append(None)
                bad[i] = True
        self.exact |= bad[idx]
        blank = np.array([v is None for v in values] + [True], dtype=bool)
        idx[blank[idx]] = -1
        return idx, values

    def _currency(self, file_currency: str | None) -> Any:
        """Per row, the currency code (None: none given or not valid)."""
        np = self.np
        out = np.full(self.n, None, dtype=object)
        default: str | None = None
        if file_currency is not None:
            try:
                default = _currency_code(file_currency)
            except InvalidInput:
                # rows that need it go to the exact lane, which reports the bad currency
                default = None
        if self.names.get("currency") is None:
            out[:] = default
            return out
        idx, values = self.uniques("currency", _currency_code)
        table = np.array([*values, default], dtype=object)
        return table[idx]


def _with_nulls(col: Any, blank: Any) -> Any:
    """*col* with *blank* cells null: a new validity bitmap over the same buffers
    (``if_else`` would copy every string)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if col.offset:
        col = pa.concat_arrays([col])  # offset 0, so the buffers line up with the mask
    valid = pc.invert(blank)
    _, offsets, data = col.buffers()
    bitmap = valid.buffers()[1] if valid.offset == 0 else pa.concat_arrays([valid]).buffers()[1]
    return pa.StringArray.from_buffers(len(col), offsets, data, bitmap)


@cache
def _currency_code(text: str) -> str:
    from .._model._units import ParseError, parse_money

    try:
        return parse_money(f"0 {text}").currency
    except ParseError as e:
        raise InvalidInput("currency", []) from e
    except Exception as e:  # anything else the unit parser raises: the exact lane decides
        raise InvalidInput("currency", []) from e


def _one(path: str, text: str) -> Any:
    """Parse one cell exactly as the exact lane would, alone in a minimal row."""
    cells: dict[str | None, str | None] = {**dict.fromkeys(REQUIRED, "x"), "country": "VN"}
    cells[path] = text
    org = structure(to_nested(cells), Organisation)
    if path == "country":
        return org.country
    return _get(org, path)


def _get(org: Organisation, path: str) -> Any:
    obj: Any = org
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("date", []) from None


@cache
def _parser(path: str) -> Callable[[str], Any]:
    if path.startswith("certification."):
        return _iso_date

    def parse(text: str) -> Any:
        return _one(path, text)

    return cache(parse)


def _bool_codes(r: _Reader, path: str) -> Any:
    np = r.np
    idx, values = r.uniques(path, _parser(path))
    table = np.array([2 if v else 0 for v in values] + [1], dtype=np.int8)
    return table[idx]


def _choice(r: _Reader, path: str) -> ChoiceColumn:
    np = r.np
    idx, values = r.uniques(path, _parser(path))
    texts = [None if v is None else (v.value if hasattr(v, "value") else str(v)) for v in values]
    cats: dict[str, int] = {}
    remap = np.array(
        [-1 if t is None else cats.setdefault(t, len(cats)) for t in texts] + [-1],
        dtype=np.int32,
    )
    return ChoiceColumn(remap[idx], tuple(cats))


def _number(
    r: _Reader,
    state: Any,
    num: Any,
    den: Any,
    *,
    exact: bool,
    currency: Any | None = None,
    integral: Any | None = None,
) -> NumberColumn:
    np = r.np
    return NumberColumn(
        state.astype(np.int8),
        np.where(state == STATE_VALUE, num, 0.0),
        np.where(state == STATE_VALUE, den, 1.0),
        exact,
        currency,
        integral,
    )


def _ratio(
    r: _Reader,
    nk: Any,
    num: Any,
    dk: Any,
    den: Any,
    *,
    exact: bool = False,
    integral: Any | None = None,
) -> NumberColumn:
    """The model's ``_ratio``: missing if a part is, undefined if den <= 0."""
    np = r.np
    state = np.where(nk & dk, np.where(den > 0, STATE_VALUE, STATE_UNDEFINED), STATE_MISSING)
    return _number(r, state, num, den, exact=exact, integral=integral)


def frame_from_table(
    table: pa.Table,
    facts: set[str],
    certs: set[CertKey],
    *,
    on: date,
    fiscal_year: int | None = None,
    currency: str | None = None,
    validate: str = "needed",
    presuming: frozenset[str] = frozenset(),
) -> TableFrame:
    """Read the facts named in *facts* (and certifications *certs*) from a flat table.

    *validate* ``"all"`` checks every cell of every column, as the exact lane does
    (a bad cell anywhere sends its row exact, where it is rejected); ``"needed"``
    (the default) reads and checks only the columns of :func:`wanted_columns`, each
    cell of them as ``"all"`` does: other columns are not looked at.
    """
    r = _Reader(table, currency)
    if validate == "needed":
        r.wanted = wanted_columns(facts, certs, presuming)
    elif validate != "all":
        raise ValueError(f"expected validate='needed' or 'all', got {validate!r}")
    np = r.np
    n = r.n
    _unsupported(r)
    _validate(r)
    _long_cells(r)

    ids_col = r.strings("id")
    ids = r.pa.nulls(n, r.pa.string()) if ids_col is None else ids_col
    for required in REQUIRED:
        r.exact |= ~r.known(required)

    values: dict[str, Any] = {}
    #: every number column read: (known and in plain form, float value)
    nums: dict[str, tuple[Any, Any]] = {}
    # counts -------------------------------------------------------------------
    for path in r.read(_COUNTS):
        k, v = nums[path] = r.floats(path, _INT)
        values[path] = _number(r, np.where(k, STATE_VALUE, STATE_MISSING), v, 1.0, exact=True)

    # durations (no profile reads one: checked, and compared by the rules) ----------
    for path in r.read(_HOURS):
        nums[path] = r.hours(path)

    # shares -------------------------------------------------------------------
    for path in r.read(_SHARES):
        k, v = nums[path] = r.floats(path, _AMOUNT)
        unit = r.units.get(path)
        if unit is None:
            den = 1.0
        elif unit == "%":
            den = 100.0
        else:  # pragma: no cover - _unsupported sends these rows to the exact lane
            den = 1.0
        digits, places, integral = r.decimal(path, k, v)
        if path in _AT_MOST_ONE:
            over = (digits > den * places) if integral.all() else (v > den)
            # a share of many digits too close to 1 for floats to tell: the exact lane
            r.exact |= k & (over | (~integral & (np.abs(v - den) <= 1e-9 * den)))
        values[path] = (k, v, den, digits, places, integral)

    # money --------------------------------------------------------------------
    cur = r.currency
    has_cur = np.array([c is not None for c in cur], dtype=bool)
    whole = np.ones(n, dtype=bool)  # every amount of the row is a whole number
    for path in sorted(r.read(_MONEY)):
        k, v = nums[path] = r.floats(path, _SIGNED_AMOUNT if path in _SIGNED else _AMOUNT)
        r.exact |= k & ~has_cur
        whole &= ~k | (v == np.floor(v)) & (np.abs(v) < 2.0**50)
    r.whole = whole
    _check_rules(r, nums)

    # the fiscal year of the row -------------------------------------------------
    # MIN_YEAR..MAX_YEAR of the model: four digits, no leading zero
    yk, yv = r.floats(_YEAR, r"^[1-9][0-9]{3}$")
    fin_cells = np.logical_or.reduce([nums[p][0] for p in sorted(_YEAR_NUMBERS)])
    r.exact |= fin_cells & ~yk
    row_year = yv.astype(np.int32)
    has_fy = fin_cells & yk
    if fiscal_year is None:
        has_year = has_fy & (row_year <= last_ended_year(on))
        years = np.where(has_year, row_year, 0).astype(np.int32)
    else:
        has_year = has_fy & (row_year == fiscal_year)
        years = np.full(n, fiscal_year, dtype=np.int32)

    # build the facts ------------------------------------------------------------
    out: dict[str, Column] = {}
    absent: dict[str, Any] = {}
    for path, (k, _) in nums.items():
        absent[path] = ~(k & has_year) if COLUMNS[path].per_year else ~k

    def number(path: str) -> tuple[Any, Any]:
        """(known, value) of a number column; the accounts only for the row's year."""
        k, v = nums[path]
        return (k & has_year, v) if COLUMNS[path].per_year else (k, v)

    cancel = np.zeros(n, dtype=bool)
    for name in sorted(facts):
        fact = FACTS[name]
        for p in fact.inputs:
            raw = "finances." + p.rsplit(".", 1)[1] if p.startswith("finances[") else p
            if raw not in absent:
                absent[raw] = ~r.known(raw)
        out[name] = _fact(r, name, values, number, on, cancel)
    r.exact |= cancel

    # the raw numbers the bounds of unknown facts read (a column not in the table is
    # unknown in every row; every one of them is wanted: see wanted_columns)
    numbers: dict[str, Any] = {}
    for name in facts:
        fact = FACTS[name]
        if boundable(fact):
            for path in bounding_paths(fact):
                if path in nums:
                    numbers[path] = number(path)
                else:
                    numbers[path] = (np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float64))
    cert_codes, statuses = _certifications(r, certs, on, presuming)
    frame = FactFrame(
        n, on, out, cert_codes, absent, years, has_year, fiscal_year, numbers, r.whole
    )
    return TableFrame(frame, r.exact.copy(), ids, _choice(r, "legal_form"), statuses)


def _check_rules(r: _Reader, nums: dict[str, tuple[Any, Any]]) -> None:
    """The model's consistency rules over the columns: a row failing one, or (amounts
    not all whole) too close to failing one for floats to tell, goes to the exact lane,
    which reports it with the model's own errors."""
    np = r.np
    whole = r.whole

    def near(a: Any, b: Any) -> Any:
        # sums of whole amounts below 2**53 are exact: a tie there is a true tie
        return ~whole & (np.abs(a - b) <= 1e-9 * (np.abs(a) + np.abs(b)))

    def column(section: str, field: str) -> str:
        return f"{section}.{field}"

    for section, rule in rules():
        if isinstance(rule, OneCurrency):
            continue  # a row has one currency cell: its amounts are in one currency
        if isinstance(rule, AtMost):
            part, bound = column(section, rule.part), column(section, rule.whole)
            if part not in nums:
                continue  # not read (validate="needed"), nor the bound: see wanted_columns
            (ak, av), (bk, bv) = nums[part], nums[bound]
            over = av > bv
            if COLUMNS[part].kind in MONEY_KINDS:
                over = over | near(av, bv)
            elif COLUMNS[part].kind is Kind.HOURS:  # decimals floats may not tell apart
                fractional = (av != np.floor(av)) | (bv != np.floor(bv))
                over = over | (fractional & (np.abs(av - bv) <= 1e-9 * (av + bv)))
            r.exact |= ak & bk & over
        elif isinstance(rule, SumAtMost):
            if column(section, rule.whole) not in nums:
                continue  # not read, nor its parts (see wanted_columns)
            wk, wv = nums[column(section, rule.whole)]
            parts = [nums[column(section, f)] for f in rule.parts]
            allocated = sum(np.where(k, v, 0.0) for k, v in parts)
            any_part = np.logical_or.reduce([k for k, _ in parts])
            r.exact |= wk & (wv > 0) & any_part & ((allocated > wv) | near(allocated, wv))
        else:  # pragma: no cover - every rule type is handled above
            raise NotImplementedError(f"the fast lane cannot check {rule!r}")


def _fact(
    r: _Reader,
    name: str,
    values: dict[str, Any],
    number: Callable[[str], tuple[Any, Any]],
    on: date,
    cancel: Any,
) -> Column:
    np = r.np
    col = COLUMNS.get(name)
    if col is not None:
        kind = col.kind
        if kind is Kind.COUNT:
            return values[name]  # type: ignore[no-any-return]
        if kind in (Kind.SHARE, Kind.RATE):
            # the decimal text as a fraction of whole numbers (digits / 10**places):
            # exact comparisons wherever the products stay below 2**53
            _, _, den, digits, places, integral = values[name]
            k, _ = number(name)
            return _number(
                r,
                np.where(k, STATE_VALUE, STATE_MISSING),
                digits,
                den * places,
                exact=False,
                integral=integral,
            )
        if kind is Kind.BOOL:
            return BoolColumn(_bool_codes(r, name))
        if kind in (Kind.CODE, Kind.CHOICE):
            return _family(r) if name == "family" else _choice(r, name)
        if kind is Kind.CHOICES:
            return _choices(r, name)
        if kind in MONEY_KINDS:
            k, v = number(name)
            state = np.where(k, STATE_VALUE, STATE_MISSING)
            return _number(
                r,
                state,
                v,
                1.0,
                exact=False,
                currency=np.where(k, r.currency, None),
                integral=r.whole,
            )
    if name == "legal_form.legal_personality":
        forms = _choice(r, "legal_form")
        table = [getattr(shipped_form(c), "legal_personality", None) for c in forms.categories]
        codes = np.array([2 if t else 0 for t in table] + [1], dtype=np.int8)
        return BoolColumn(codes[forms.codes])
    if name == "registration.in_force":
        reg = _dates(r, "registration.registered_on")
        dereg = _dates(r, "registration.deregistered_on")
        ordinal = on.toordinal()
        codes = np.where(reg < 0, 1, np.where(reg <= ordinal, 2, 0))
        codes = np.where((dereg >= 0) & (dereg <= ordinal), 0, codes)
        if "registration.status" in r.names:  # as _facts._registered reads the status
            from .._engine._facts import _NOT_REGISTERED

            status = _choice(r, "registration.status")
            cats = status.categories
            ended = np.array([c in _NOT_REGISTERED for c in cats] + [False])
            codes = np.where(ended[status.codes], 0, codes)
        return BoolColumn(codes.astype(np.int8))
    derived = DERIVED.get(name)
    if derived is not None:
        return _derived(r, derived, number, cancel)
    raise NotImplementedError(f"the fast lane cannot read {name}")  # pragma: no cover


def _choices(r: _Reader, name: str) -> ChoicesColumn:
    np = r.np
    idx, parsed = r.uniques(name, _parser(name))
    vocabulary = COLUMNS[name].spec.choices
    assert vocabulary is not None
    members = tuple(str(m.value) for m in vocabulary)
    index = {m: i for i, m in enumerate(members)}
    bits = np.array(
        [sum(1 << index[m.value] for m in v) if v is not None else 0 for v in parsed] + [0],
        dtype=np.int64,
    )
    return ChoicesColumn(bits[idx], idx >= 0, members)


def _derived(
    r: _Reader, d: DerivedValue, number: Callable[[str], tuple[Any, Any]], cancel: Any
) -> Column:
    """A value the model derives (:class:`~sse_model._model._declare.Ratio`,
    :class:`~sse_model._model._declare.Positive`), computed over columns as the model
    computes it per object."""
    np = r.np
    formula = d.formula
    if isinstance(formula, Positive):
        k, v = number(f"{d.section}.{formula.of_field}")
        return BoolColumn(np.where(k, np.where(v > 0, 2, 0), 1).astype(np.int8))
    assert isinstance(formula, Ratio)
    columns = [f"{d.section}.{t}" for t in formula.inputs]
    # whole numbers of persons are exact in floats; amounts only where the row's are whole
    counts_only = all(COLUMNS[c].kind is Kind.COUNT for c in columns)

    def side(terms: tuple[str, ...]) -> tuple[Any, Any]:
        known = np.ones(r.n, dtype=bool)
        total: Any = 0.0
        size: Any = 0.0
        for term in terms:
            k, v = number(f"{d.section}.{term.lstrip('-')}")
            known = known & k
            total = total - v if term.startswith("-") else total + v
            size = size + np.abs(v)
        if not counts_only and any(t.startswith("-") for t in terms):
            # a difference that nearly cancels is not decidable in floats
            near = known & ~r.whole & (np.abs(total) <= _CANCEL * size)
            np.logical_or(cancel, near, out=cancel)
        return known, total

    nk, num = side(formula.num)
    dk, den = side(formula.den)
    both = nk & dk
    if_zero = STATE_MISSING if formula.if_zero is None else STATE_UNDEFINED
    defined = np.where(den > 0, STATE_VALUE, if_zero)
    if formula.floor:  # a numerator below zero gives 0, whatever the denominator
        negative = num < 0
        state = np.where(both, np.where(negative, STATE_VALUE, defined), STATE_MISSING)
        num = np.where(negative, 0.0, num)
        den = np.where(negative, 1.0, den)
    else:
        state = np.where(both, defined, STATE_MISSING)
    return _number(
        r, state, num, den, exact=counts_only, integral=None if counts_only else r.whole
    )


def _dates(r: _Reader, path: str) -> Any:
    """Ordinal days (-1 unknown); cells not plain ISO dates go to the exact lane."""
    np = r.np
    col = r.strings(path)
    if col is None:
        return np.full(r.n, -1, dtype=np.int64)
    r._pattern(col, _DATE)
    idx, values = r.uniques(path, _parser(path))
    table = np.array([-1 if v is None else v.toordinal() for v in values] + [-1], dtype=np.int64)
    return table[idx]


def _family(r: _Reader) -> ChoiceColumn:
    """The family as given (identity); the legal form's family is a presumption,
    filled in by :func:`~sse_model._engine._presume.presume_frame`."""
    _choice(r, "legal_form")  # parsed, so that a bad cell sends its row exact
    return _choice(r, "family")


def _cert_columns(r: _Reader, kind: str) -> dict[str, str]:
    """The paths of the table's columns of *kind*'s certification, by field:
    ``certification.<kind>`` (or ``.granted_on``) the grant date, ``.expires_on``,
    ``.revoked_on``, ``.indefinite``, ``.issuer``."""
    out: dict[str, str] = {}
    for path in r.names:
        if path.startswith("certification."):
            k, field = _cert_kind_field(path[len("certification.") :])
            if k == kind:
                out[field] = path
    return out


def _cert_flag(text: str) -> bool:
    """``certification.<kind>.indefinite`` as the flat reader reads it."""
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise InvalidInput("indefinite", [])  # the converter refuses it: the exact lane


def _cert_read(r: _Reader, path: str) -> Any:
    """One certification column, parsed and checked: ordinal days for the dates (-1
    unknown), codes for ``indefinite`` (0 false, 1 unknown, 2 true), known-ness for
    the issuer (text)."""
    field = _cert_kind_field(path[len("certification.") :])[1]
    if field == "indefinite":
        idx, values = r.uniques(path, _cert_flag)
        table = r.np.array([2 if v else 0 for v in values] + [1], dtype=r.np.int8)
        return table[idx]
    if field == "issuer":
        return r.known(path)
    return _dates(r, path)


def _cert_state(r: _Reader, kind: str, day: int) -> tuple[Any, Any, Any]:
    """Per row, for *kind*'s certification: whether it is held (any of its fields is
    recorded), in force on the ordinal *day* (``valid_on`` is True: granted by then and
    either expiring later or indefinite, not revoked or expired) and ended (False)."""
    np = r.np
    cols = {field: _cert_read(r, path) for field, path in _cert_columns(r, kind).items()}
    unknown = np.full(r.n, -1, dtype=np.int64)
    held = np.zeros(r.n, dtype=bool)
    for field, col in cols.items():
        held |= col if field == "issuer" else (col != (1 if field == "indefinite" else -1))
    granted = cols.get("granted_on", unknown)
    expires, revoked = cols.get("expires_on", unknown), cols.get("revoked_on", unknown)
    ended = ((revoked >= 0) & (revoked <= day)) | ((expires >= 0) & (expires < day))
    ended |= (granted >= 0) & (granted > day)
    indefinite = cols.get("indefinite", np.ones(r.n, dtype=np.int8)) == 2
    in_force = ~ended & (granted >= 0) & ((expires >= 0) | indefinite)
    return held, in_force, ended


def _certifications(
    r: _Reader, certs: set[CertKey], on: date, presuming: frozenset[str]
) -> tuple[dict[CertKey, Any], dict[str, Any]]:
    """Per certification asked about, whether each row holds it (valid on *on*, if
    asked): codes 2 yes, 1 unknown, 0 no, as the exact lane's ``certified`` decides
    from :meth:`~sse_model.Certification.valid_on`; and per status of *presuming* (one
    whose law presumes facts on *on*) in the table, the rows holding it in force (whose
    facts the law presumes: :func:`~sse_model._engine._presume.presumption_groups`)."""
    np = r.np
    complete = (
        _bool_codes(r, "certifications_complete") if "certifications_complete" in r.names else None
    )
    known_complete = complete == 2 if complete is not None else np.zeros(r.n, dtype=bool)
    day = on.toordinal()
    checked = set(r.checked())
    statuses: dict[str, Any] = {}
    for kind in sorted(presuming):
        if any(p in checked for p in _cert_columns(r, kind).values()):
            held, in_force, _ = _cert_state(r, kind, day)
            if (held & in_force).any():
                statuses[kind] = held & in_force
    out: dict[CertKey, Any] = {}
    for kind, valid in certs:
        held, in_force, ended = _cert_state(r, kind, day)
        if valid:
            hit = held & in_force
            maybe = held & ~ended & ~in_force
        else:
            hit, maybe = held, np.zeros(r.n, dtype=bool)
        codes = np.where(hit, 2, np.where(maybe | ~known_complete, 1, 0))
        out[(kind, valid)] = codes.astype(np.int8)
    return out, statuses


def _long_cells(r: _Reader) -> None:
    """Read every column checked, so that cells longer than the converter accepts go
    exact."""
    for path in r.checked():
        r.strings(path)


def _validate(r: _Reader) -> None:
    """Parse every column checked, so that any bad cell sends its row exact."""
    for path in r.checked():
        if path == "subdivision":
            continue  # checked with its country, by _subdivisions
        if path in _BOOLS:
            _bool_codes(r, path)
        elif path in _CHOICES:
            _family(r) if path in _PRESUMED_FROM else _choice(r, path)
        elif path.startswith("certification."):
            _cert_read(r, path)
        elif path in _DATES:
            _dates(r, path)


#: the columns the fast lane reads; a cell in any other column goes exact
def _known_columns() -> frozenset[str]:
    cols = _COUNTS | _BOOLS | _TEXTS | _DATES | _SHARES | _CHOICES | _MONEY | _HOURS
    return frozenset(cols | {"currency", _YEAR})


_KNOWN = _known_columns()


def wanted_columns(
    facts: set[str], certs: set[CertKey], presuming: Iterable[str] = ()
) -> frozenset[str]:
    """The columns read and checked for *facts* and *certs* under ``validate="needed"``.

    They are: the inputs of the facts (and of what they derive from); the columns
    the model's consistency rules check against those (so that no row is classified
    from a value the model refuses); the required ones (``id``, ``name``); the legal
    form and family (presumptions); the country and its subdivision; ``currency``;
    the fiscal year with every number of the year's accounts (they decide which year
    a row is judged on); the certifications asked about, with
    ``certifications_complete``; and the statuses of *presuming* (whose law presumes
    facts: they fill in what a profile reads).
    """
    out: set[str] = {*REQUIRED, *IDENTITY, "currency", _YEAR}
    out |= _PRESUMED_FROM | _YEAR_NUMBERS
    for name in facts:
        fact = FACTS.get(name)
        if fact is not None:
            out.update(
                "finances." + p.rsplit(".", 1)[1] if p.startswith("finances[") else p
                for p in fact.inputs
            )
        derived = DERIVED.get(name)
        if derived is not None:
            out.update(f"{derived.section}.{t.lstrip('-')}" for t in derived.formula.inputs)
        if fact is not None and fact.compute is not None:
            # a computed fact also reads the closed records of its inputs' sections
            # (registration.in_force: the deregistration date, the recorded status)
            sections = {COLUMNS[p].section for p in fact.inputs if p in COLUMNS}
            out.update(c.name for c in COLUMNS.values() if c.spec.closed and c.section in sections)
        else:
            out.add(name)
    if certs:
        out.add("certifications_complete")
        out.update(f"certification.{kind}" for kind, _ in certs)
    out.update(f"certification.{kind}" for kind in presuming)
    # the consistency rules: a column checked against a wanted one is wanted too
    linked = [
        {f"{section}.{f}" for f in (rule.part, rule.whole)}
        if isinstance(rule, AtMost)
        else {f"{section}.{f}" for f in (*rule.parts, rule.whole)}
        for section, rule in rules()
        if isinstance(rule, AtMost | SumAtMost)
    ]
    grown = True
    while grown:
        grown = False
        for group in linked:
            if group & out and not group <= out:
                out |= group
                grown = True
    return frozenset(out)


def _wanted(path: str, wanted: frozenset[str]) -> bool:
    """Whether the column *path* is checked: a wanted path, a field of a wanted
    certification (``certification.<kind>.<field>``), or a year's
    figure of a wanted one (``finances.<year>.<field>``)."""
    if path in wanted:
        return True
    parts = path.split(".")
    if path.startswith("certification."):
        return f"certification.{_cert_kind_field(path[len('certification.') :])[0]}" in wanted
    if len(parts) == 3 and parts[0] == "finances" and _YEAR_PART.fullmatch(parts[1]):
        return f"finances.{parts[2]}" in wanted  # one year of several per row
    return False


def _unsupported(r: _Reader) -> None:
    """Cells in columns the fast lane does not read send their rows to the exact lane."""
    for path in r.checked():
        unit = r.units.get(path)
        # every field of a certification is read: the grant date, expiry, revocation...
        supported = path in _KNOWN or path.startswith("certification.")
        if unit is not None and not (unit == "%" and path in _SHARES):
            supported = False
        if path in _TEXTS:
            continue
        if path == "subdivision":
            _subdivisions(r)
            continue
        if not supported:
            r.exact |= r.known(path)


def _subdivisions(r: _Reader) -> None:
    """Subdivision codes are checked against the country, once per distinct pair."""
    from .._model._codes import check_subdivision

    np = r.np
    sub = r.strings("subdivision")
    country = r.strings("country")
    if sub is None:
        return
    if country is None:  # a subdivision needs its country: the exact lane reports it
        r.exact |= r.known("subdivision")
        return
    pairs = np.array(
        [
            f"{c}\0{s}" if s is not None else ""
            for c, s in zip(country.to_pylist(), sub.to_pylist(), strict=True)
        ],
        dtype=object,
    )
    uniques, inverse = np.unique(pairs, return_inverse=True)
    bad = np.array(
        [bool(u) and check_subdivision(*u.split("\0")) is not None for u in uniques], dtype=bool
    )
    r.exact |= bad[inverse]


_YEAR_PART = re.compile(r"[1-9][0-9]{3}")


@attrs.frozen
class YearProjection:
    """A table with several fiscal years per row (``finances.<year>.<field>``) as the
    one-year table the fast lane reads (``fiscal_year`` and ``finances.<field>``).

    *table* holds, per row, the year the classification uses (the one asked for, else
    the latest that has ended), as :func:`~sse_model._engine._evaluate.pick_fiscal_year`
    picks it; *checks* holds one such table per year, so that every year's accounts are
    validated as a one-year row's are (a bad year rejects the row, whichever is used);
    *exact* marks rows that also have one-year cells (the exact lane reads them).
    """

    table: Any
    checks: tuple[Any, ...]
    exact: Any


def project_years(table: pa.Table, on: date, fiscal_year: int | None) -> YearProjection | None:
    """The one-year form of a table with multi-year columns, or None if it has none."""
    pa, pc = _pa()
    np, ar = _np(), _ar()
    by_year: dict[int, dict[str, str]] = {}
    for name in table.column_names:
        m = _UNIT.match(name)
        path = m["path"] if m else name
        parts = path.split(".")
        if len(parts) == 3 and parts[0] == "finances" and _YEAR_PART.fullmatch(parts[1]):
            field = f"finances.{parts[2]}" + (name[len(path) :] if m else "")
            by_year.setdefault(int(parts[1]), {})[field] = name
    if not by_year:
        return None
    n = table.num_rows

    def filled(name: str) -> Any:
        col = table.column(name).combine_chunks()
        if col.type != pa.string():
            col = pc.cast(col, pa.string())
        blank = pc.or_(pc.equal(pc.utf8_length(col), ar.scalar(0)), pc.utf8_is_space(col))
        return ~ar.to_numpy(ar.fill_null(blank, True))

    present = {
        y: np.logical_or.reduce([filled(c) for c in cs.values()]) for y, cs in by_year.items()
    }
    multi = np.logical_or.reduce(list(present.values()))
    fields = sorted({f for cols in by_year.values() for f in cols})
    multi_names = {c for cols in by_year.values() for c in cols.values()}
    paths = {_path(f): f for f in fields}
    if len(paths) != len(fields) or any(
        _path(name) in paths and paths[_path(name)] != name
        for name in table.column_names
        if name not in multi_names
    ):
        return None  # one field with two units: the multi-year rows go exact
    # a one-year cell beside multi-year ones: the exact lane reads those rows
    exact = np.zeros(n, dtype=bool)
    for name in table.column_names:
        if name in multi_names:
            continue
        path = _path(name)
        if name == "fiscal_year" or (path.startswith("finances.") and path.count(".") == 1):
            exact |= multi & filled(name)
    if fiscal_year is None:
        last = last_ended_year(on)
        chosen = np.zeros(n, dtype=np.int32)
        for y in sorted(by_year):
            if y <= last:
                chosen = np.where(present[y], y, chosen)
    else:
        chosen = np.where(present.get(fiscal_year, np.zeros(n, dtype=bool)), fiscal_year, 0)

    def project(which: Any) -> Any:
        keep = [c for c in table.column_names if c not in multi_names]
        out = table.select(keep)
        for field in fields:
            col = out.column(field).combine_chunks() if field in keep else pa.nulls(n, pa.string())
            if col.type != pa.string():
                col = pc.cast(col, pa.string())
            col = pc.if_else(ar.numbers(multi), pa.nulls(n, pa.string()), col)
            for y, cols in by_year.items():
                if field in cols:
                    source = table.column(cols[field]).combine_chunks()
                    if source.type != pa.string():
                        source = pc.cast(source, pa.string())
                    col = pc.if_else(ar.numbers(which == y), source, col)
            out = _put(out, field, col)
        years = ar.numbers(np.where(which > 0, which, 0)).cast(pa.string())
        years = pc.if_else(ar.numbers(which > 0), years, pa.nulls(n, pa.string()))
        if "fiscal_year" in keep:
            old = out.column("fiscal_year").combine_chunks()
            if old.type != pa.string():
                old = pc.cast(old, pa.string())
            years = pc.if_else(ar.numbers(multi), years, old)
        return _put(out, "fiscal_year", years)

    checks = tuple(project(np.where(present[y], y, 0).astype(np.int32)) for y in sorted(by_year))
    return YearProjection(project(chosen.astype(np.int32)), checks, exact)


def _path(name: str) -> str:
    m = _UNIT.match(name)
    return m["path"] if m else name


#: the field path of a flat column name (its unit dropped)
_UNIT_PATH = _path


def _put(table: Any, name: str, col: Any) -> Any:
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, col)
    return table.append_column(name, col)
