"""Nested JSON records as flat text columns from Arrow's reading: :func:`._sources.flatten`
a column at a time.

Arrow's JSON reader gives a block of nested records (the JSON shape of
:class:`~sse_model.Organisation`) as struct columns; :func:`nested_table` makes of them
the cells :func:`._sources.flatten` makes of each record (and, for a record without an
object, the cells of a flat row), and holds the rows flatten holds. Each rule is
flatten's, applied to a column: a test on text (blank, ``N %``, ``N CODE``...) is run
by flatten's own Python code on each distinct value of the column, so its meaning
cannot drift (Unicode spaces, digits). Where the outcome of a row cannot be decided so
(an unusual type, an order that matters), the row is held, and every row held is
checked against the strict reader: if the strict reader would not hold it, the block
is left to the strict reader (None). So the cells of every row Arrow's table gives are
flatten's, and the rows held are the ones the strict reader holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["nested_table"]


class _Cells:
    """Columns being built for a block of *n* rows, and the rows held."""

    def __init__(self, n: int) -> None:
        import numpy as np

        self.n = n
        self.columns: dict[str, Any] = {}
        self.hold = np.zeros(n, dtype=bool)
        #: amounts (path, text column), decided together per row (see _amounts)
        self.money: list[tuple[str, Any]] = []

    def put(self, path: str, column: Any) -> None:
        old = self.columns.get(path)
        if old is None:
            self.columns[path] = column
        else:  # rows that write it are disjoint (one year or several, flat or nested)
            import pyarrow.compute as pc

            self.columns[path] = pc.coalesce(old, column)


def _valid(column: Any) -> Any:
    from . import _arrow

    return _arrow.to_numpy(column.is_valid())


def _where(column: Any, keep: Any) -> Any:
    """*column*, null where *keep* is false."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import _arrow

    return pc.if_else(_arrow.numbers(keep), column, pa.nulls(len(column), column.type))


class _PerValue:
    """*fn* of each distinct value of a text column (flatten's own Python, once a value)."""

    def __init__(self, column: Any, fn: Callable[[str], Any]) -> None:
        import numpy as np

        from . import _arrow

        encoded = column.dictionary_encode()
        self.results = [fn(v) for v in encoded.dictionary.to_pylist()]
        self.valid = _valid(column)
        self._indices = encoded.indices  # null where the column is
        self.indices = _arrow.to_numpy(_fill(encoded.indices, 0)).astype(np.intp)

    def flags(self, fn: Callable[[Any], bool]) -> Any:
        """Per row, *fn* of its result (false where null)."""
        import numpy as np

        if not self.results:
            return np.zeros(len(self.valid), dtype=bool)
        return np.asarray([fn(r) for r in self.results], dtype=bool)[self.indices] & self.valid

    def texts(self, fn: Callable[[Any], str | None], rows: Any) -> Any:
        """A text column of *fn* of each row's result where *rows*, else null."""
        from . import _arrow

        values = _arrow.strings([fn(r) for r in self.results]).take(self._indices)
        return _where(values, rows)


def _fill(column: Any, value: int) -> Any:
    from . import _arrow

    return _arrow.fill_null(column, value) if column.null_count else column


#: printable ASCII but the space: a text holding one is not blank (``str.isspace``)
_SEEN = "[!-~]"
#: flatten's ``_AMOUNT`` and ``_BARE`` for ASCII text (Python's ``\\d`` and ``\\s`` are
#: ``[0-9]`` and these spaces there), in RE2
_SPACE = r"[\t\n\x0b\x0c\r\x1c-\x1f ]"
_AMOUNT = r"^(?P<number>[+-]?[0-9]+(?:\.[0-9]+)?) (?P<code>[^\t\n\x0b\x0c\r\x1c-\x1f ]+)$"
_BARE = rf"^{_SPACE}*[+-]?[0-9]+(\.[0-9]+)?{_SPACE}*$"


def _blank(column: Any, valid: Any) -> Any:
    """Per row, whether its text is blank (``not v or v.isspace()``, as flatten asks)."""
    import pyarrow.compute as pc

    from . import _arrow

    seen = _arrow.to_numpy(_fill(pc.match_substring_regex(column, _SEEN), False))
    unsure = valid & ~seen
    if not unsure.any():
        return unsure
    return _PerValue(_where(column, unsure), lambda v: not v or v.isspace()).flags(bool)


def _leaf(cells: _Cells, path: str, kind: Any, column: Any) -> None:
    """One field's column as flatten writes it (its ``_leaf`` rules), rows that break
    them held."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import _arrow
    from ._flatten import _BOOL, _COUNT, _LIST, _MAX_COUNT, _MONEY_KIND, _SHARE, _TEXT, _Held
    from ._flatten import _leaf as leaf

    valid = _valid(column)
    if not valid.any():
        return
    t = column.type
    if kind in (_TEXT, _SHARE, _MONEY_KIND) and t == pa.string():
        bad = _blank(column, valid)
        cells.hold |= bad
        good = valid & ~bad
        if kind is _TEXT:
            cells.put(path, column)
        elif kind is _MONEY_KIND:
            cells.money.append((path, _where(column, good)))
        else:  # "N %" in the [%] column, as N
            split = _PerValue(
                column,
                lambda v: (v[:-2], True) if v.endswith(" %") and v[:-2].strip() else (v, False),
            )
            pct = split.flags(lambda r: bool(r[1])) & good
            cells.put(path, split.texts(lambda r: r[0], good & ~pct))
            if pct.any():
                cells.put(path + "[%]", split.texts(lambda r: r[0], pct))
    elif kind is _BOOL and t == pa.bool_():
        cells.put(path, pc.if_else(column, _arrow.scalar("true"), _arrow.scalar("false")))
    elif kind is _COUNT and t == pa.int64():
        values = _arrow.to_numpy(_fill(column, 0))
        ok = (values >= 0) & (values < _MAX_COUNT)
        cells.hold |= valid & ~ok
        cells.put(path, pc.cast(column, pa.string()))
    elif kind is _LIST and pa.types.is_list(t) and t.value_type == pa.string():
        values = column.to_pylist()
        out: list[str | None] = [None] * len(values)
        for i in valid.nonzero()[0].tolist():
            try:
                out[i] = leaf(kind, values[i])
            except _Held:
                cells.hold[i] = True
        cells.put(path, _arrow.strings(out))
    else:  # a value of a type the field does not take (or flatten's own rule holds it)
        cells.hold |= valid


def _children(column: Any) -> list[tuple[str, Any]]:
    """A struct column's fields (null where the struct is), those given in some row."""
    t = column.type
    return [
        (t.field(i).name, child)
        for i, child in enumerate(column.flatten())
        if child.null_count < len(child)
    ]


def _section(cells: _Cells, name: str, fields: Any, column: Any) -> None:
    import pyarrow as pa

    if not pa.types.is_struct(column.type):
        cells.hold |= _valid(column)
        return
    for field, child in _children(column):
        kind = fields.get(field)
        if kind is None:
            cells.hold |= _valid(child)  # a key the model does not have
        else:
            _leaf(cells, f"{name}.{field}", kind, child)


def _finances(cells: _Cells, fields: Any, column: Any) -> None:
    """Accounts keyed by year: one year as ``finances.<field>`` with ``fiscal_year``,
    several as ``finances.<year>.<field>``; a year without accounts is held."""
    import numpy as np
    import pyarrow as pa

    from . import _arrow
    from ._flatten import _YEAR

    if not pa.types.is_struct(column.type):
        cells.hold |= _valid(column)  # a list of years (or no object): left to flatten
        return
    years = _children(column)
    count = np.zeros(cells.n, dtype=np.int64)
    for _, child in years:
        count += _valid(child)
    one = count == 1
    for year, child in years:
        given = _valid(child)
        if not _YEAR.fullmatch(year) or not pa.types.is_struct(child.type):
            cells.hold |= given
            continue
        known = np.zeros(cells.n, dtype=bool)
        for field, value in _children(child):
            known |= _valid(value)
            kind = fields.get(field)
            if kind is None:
                cells.hold |= _valid(value)
                continue
            _leaf(cells, f"finances.{field}", kind, _where(value, one))
            _leaf(cells, f"finances.{year}.{field}", kind, _where(value, ~one))
        cells.hold |= given & ~known  # a year without accounts
        single = given & one
        if single.any():
            year_text = [year if s else None for s in single.tolist()]
            cells.put("fiscal_year", _arrow.strings(year_text))


def _certifications(cells: _Cells, fields: Any, column: Any) -> None:
    """Certifications are few: each row's list goes through flatten's own code."""
    import pyarrow as pa

    from . import _arrow
    from ._flatten import _certifications as certify
    from ._flatten import _Held

    if not pa.types.is_list(column.type):
        cells.hold |= _valid(column)
        return
    by_path: dict[str, list[str | None]] = {}
    for i, value in enumerate(column.to_pylist()):
        if not value:
            continue
        out: dict[str, str] = {}
        try:
            certify(out, value, fields)
        except _Held:
            cells.hold[i] = True
            continue
        for path, text in out.items():
            by_path.setdefault(path, [None] * cells.n)[i] = text
    for path, texts in by_path.items():
        cells.put(path, _arrow.strings(texts))


def _amounts(cells: _Cells, uncertain: Any) -> None:
    """Amounts as flatten's ``_amounts`` writes them, per row: ``N CODE`` with one code
    become N and a ``currency`` column, other texts are kept whole, a bare number is
    held. A row where both a bare number and another text come first in some order is
    marked in *uncertain* (flatten's answer depends on the order of the keys)."""
    import numpy as np
    import pyarrow.compute as pc

    from . import _arrow
    from ._flatten import _AMOUNT as AMOUNT
    from ._flatten import _BARE as BARE

    if not cells.money:
        return
    n = cells.n
    bare = np.zeros(n, dtype=bool)
    other = np.zeros(n, dtype=bool)
    given = np.zeros(n, dtype=bool)
    parts: list[tuple[str, Any, Any, Any]] = []
    for path, column in cells.money:
        valid = _valid(column)
        if not valid.any():
            continue
        if pc.all(pc.string_is_ascii(column)).as_py() is not False:
            found = pc.extract_regex(column, _AMOUNT)
            numbers, codes = found.flatten()  # null where no match
            matched = _valid(numbers)
            is_bare = (
                _arrow.to_numpy(_fill(pc.match_substring_regex(column, _BARE), False))
                & valid
                & ~matched
            )
        else:  # Python's \\d and \\s are wider than RE2's: flatten's own regexes

            def parse(v: str) -> tuple[str | None, str | None, bool]:
                m = AMOUNT.fullmatch(v)
                if m is not None:
                    return m.group(1), m.group(2), False
                return None, None, BARE.fullmatch(v) is not None

            per = _PerValue(column, parse)
            matched = per.flags(lambda r: r[0] is not None)
            is_bare = per.flags(lambda r: bool(r[2]))
            numbers = per.texts(lambda r: r[0], matched)
            codes = per.texts(lambda r: r[1], matched)
        bare |= is_bare
        other |= valid & ~matched & ~is_bare
        given |= valid
        parts.append((path, column, numbers, codes))
    cells.hold |= bare & ~other
    uncertain |= bare & other
    first = pc.coalesce(*[codes for _, _, _, codes in parts]) if parts else None
    several = np.zeros(n, dtype=bool)
    for _, _, _, codes in parts:
        differs = pc.not_equal(codes, first)
        several |= _arrow.to_numpy(_arrow.fill_null(differs, False))
    split = given & ~bare & ~other & ~several
    whole = given & ~bare & (other | several)
    for path, column, numbers, _ in parts:
        cells.put(path, pc.coalesce(_where(numbers, split), _where(column, whole)))
    cells.put("currency", _where(first, split))


def _flat_rows(cells: _Cells, names: list[str], columns: list[Any]) -> None:
    """Records without an object are flat rows: each value's text, as they give it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import _arrow

    for name, column in zip(names, columns, strict=True):
        valid = _valid(column)
        t = column.type
        if not name or name != name.strip() or name == "linked_schemas":
            cells.hold |= valid
        elif name == "type" and t == pa.string():
            feature = _arrow.to_numpy(
                _arrow.fill_null(pc.equal(column, _arrow.scalar("Feature")), False)
            )
            cells.hold |= feature
            cells.put(name, column)
        elif t == pa.string():
            cells.put(name, column)
        elif t == pa.bool_():
            cells.put(name, pc.if_else(column, _arrow.scalar("true"), _arrow.scalar("false")))
        elif t == pa.int64():
            cells.put(name, pc.cast(column, pa.string()))
        else:  # floats (maybe integers beyond 64 bits), lists, dates: left to the reader
            cells.hold |= valid


def nested_table(table: Any, is_held: Callable[[int], bool]) -> tuple[Any, Any] | None:
    """The flat text columns of a block Arrow read (struct columns for objects) and the
    rows held, as the strict reader and :func:`._sources.flatten` give them; None if
    some row cannot be shown to be read so (the block is left to the strict reader)."""
    import numpy as np
    import pyarrow as pa

    from ._flatten import _shape

    shape = _shape()
    n = table.num_rows
    names: list[str] = []
    columns: list[Any] = []
    for name, chunked in zip(table.column_names, table.columns, strict=True):
        if chunked.null_count == n:
            continue  # a column of the schema that no record of the block names
        if "." in name or "[" in name:
            return None  # dotted names: flat records, read as the strict reader reads them
        names.append(name)
        columns.append(chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks())
    nested = np.zeros(n, dtype=bool)  # the rows with an object (or a list holding one)
    for column in columns:
        t = column.type
        if pa.types.is_struct(t):
            nested |= _valid(column)
        elif pa.types.is_list(t) and pa.types.is_struct(t.value_type):
            import pyarrow.compute as pc

            from . import _arrow

            lengths = _arrow.to_numpy(_fill(pc.list_value_length(column), 0))
            nested |= lengths > 0
    deep = _Cells(n)
    for name, column in zip(names, columns, strict=True):
        top = shape.top.get(name)
        if top is not None:
            _leaf(deep, name, top[0], column)
        elif name in shape.sections:
            _section(deep, name, shape.sections[name], column)
        elif name == "finances":
            _finances(deep, shape.year, column)
        elif name == "certifications":
            _certifications(deep, shape.cert, column)
        else:
            deep.hold |= _valid(column)  # a key the model does not have
    uncertain = np.zeros(n, dtype=bool)
    _amounts(deep, uncertain)
    flat = _Cells(n)
    _flat_rows(flat, names, columns)
    hold = ((deep.hold | uncertain) & nested) | (flat.hold & ~nested)
    for i in hold.nonzero()[0].tolist():
        if not is_held(i):
            return None  # the strict reader reads it after all: leave the block
    out: dict[str, Any] = {}
    for cells, rows in ((deep, nested & ~hold), (flat, ~nested & ~hold)):
        for path, column in cells.columns.items():
            kept = _where(column, rows)
            if kept.null_count == n:
                continue
            old = out.get(path)
            if old is None:
                out[path] = kept
            else:
                import pyarrow.compute as pc

                out[path] = pc.coalesce(old, kept)
    return _finish(out, hold, n)


def _finish(out: dict[str, Any], hold: Any, n: int) -> tuple[Any, Any] | None:
    """The table of the columns, with the clashes :func:`._sources._resolve_clashes`
    resolves: shares given as ``x`` in some rows and ``x[%]`` in others are merged,
    exactly as there; any other clash leaves the block."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import _arrow
    from ._flat import column_conflicts
    from ._flatten import _PLAIN_NUMBER, _percent_of

    while pairs := column_conflicts(list(out)):
        a, b = pairs[0]
        if _percent_of(a, b, {}):
            percent, plain = a, b
        elif _percent_of(b, a, {}):
            percent, plain = b, a
        else:
            return None

        def merged(value: str) -> tuple[str, str | None]:
            from decimal import Decimal

            if not value.strip():
                return "drop", None
            if _PLAIN_NUMBER.fullmatch(value):
                return "plain", format(Decimal(value).scaleb(-2), "f")
            return "held", None

        per = _PerValue(out[percent], merged)
        has_plain = _valid(out[plain])
        plain_number = per.flags(lambda r: r[0] == "plain")
        converts = plain_number & ~has_plain
        held = per.flags(lambda r: r[0] == "held") | (plain_number & has_plain)
        converted = per.texts(lambda r: r[1], converts)
        out[plain] = pc.coalesce(out[plain], converted)
        del out[percent]
        hold = hold | held
    if hold.any():
        keep = ~hold
        out = {path: _where(column, keep) for path, column in out.items()}
    if "id" not in out:
        out["id"] = _arrow.strings([None] * n)
    return pa.Table.from_arrays(list(out.values()), names=list(out)), hold
