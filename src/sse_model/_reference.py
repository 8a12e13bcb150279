"""Reference tables for the docs, generated from the model's declarations.

The docs build (``docs/conf.py``) writes these to ``docs/generated/``; the guides
include them, so the tables of facts and columns cannot drift from the code.
"""

from __future__ import annotations

from ._engine._facts import FACTS, Fact, FactKind
from ._model._declare import Kind
from ._model._schema import COLUMNS, Column

__all__ = ["facts_table", "lookups_table", "mapping_table", "vocabulary_table"]

_CELLS = {
    Kind.TEXT: "text",
    Kind.BOOL: "yes/no",
    Kind.COUNT: "a whole number",
    Kind.SHARE: "a share from 0 to 100 % (see units below)",
    Kind.RATE: "a rate >= 0 (see units below)",
    Kind.MONEY: "an amount >= 0",
    Kind.SIGNED_MONEY: "an amount (may be negative)",
    Kind.DATE: "a date (`2024-07-01`)",
    Kind.HOURS: "a duration (`120 hour`, or a unit in the column name)",
    Kind.YEAR: "a year, four digits",
}


def _values(fact: Fact) -> str:
    if fact.choices is not None:
        return ", ".join(f"`{m.value}`" for m in fact.choices)
    col = COLUMNS.get(fact.name)
    return "" if col is None else col.spec.values


def _kind(fact: Fact) -> str:
    kind = fact.kind.value
    return f"{kind} ({fact.unit})" if fact.kind is FactKind.COUNT and fact.unit else kind


def facts_table() -> str:
    """The facts a test may name: kind, meaning and, for choice facts, values."""
    rows = ["| fact | kind | meaning | values |", "|---|---|---|---|"]
    for name in sorted(FACTS):
        fact = FACTS[name]
        meaning = fact.description + (" (fiscal year)" if fact.per_year else "")
        rows.append(f"| `{name}` | {_kind(fact)} | {meaning} | {_values(fact)} |")
    return "\n".join(rows) + "\n"


def _cells(col: Column) -> str:
    spec = col.spec
    if spec.kind is Kind.CODE:
        return spec.values
    if spec.kind in (Kind.CHOICE, Kind.CHOICES) and spec.choices is not None:
        values = ", ".join(f"`{m.value}`" for m in spec.choices)
        return values if spec.kind is Kind.CHOICE else f"values among {values}, separated by `;`"
    return _CELLS[spec.kind]


def vocabulary_table() -> str:
    """Every column of the flat vocabulary that holds a field of the model."""
    rows = ["| column | cells | meaning |", "|---|---|---|"]
    for col in COLUMNS.values():
        meaning = col.spec.doc + (" (required)" if col.required else "")
        rows.append(f"| `{col.name}` | {_cells(col)} | {meaning} |")
    return "\n".join(rows) + "\n"


def lookups_table() -> str:
    """The built-in lookups a register mapping may name: what each matches and sets."""
    from ._io._lookups import LOOKUP_NAMES, THIS_COLUMN, lookup

    rows = ["| lookup | sets | matches |", "|---|---|---|"]
    for name in LOOKUP_NAMES:
        lk = lookup(name)
        sets = ", ".join(
            "the column it is applied to" if t == THIS_COLUMN else f"`{t}`" for t in lk.targets
        )
        rows.append(f"| `{name}` | {sets} | {lk.doc} |")
    return "\n".join(rows) + "\n"


def mapping_table() -> str:
    """Every key of a mapping file, by table, with what it says (from the classes'
    field declarations)."""
    import attrs

    from ._io._mapping import ColumnRule, RegisterMapping, YearlyTable

    parts = []
    for title, cls in (
        ("The mapping (top level)", RegisterMapping),
        ('A column (`[columns."Their name"]`)', ColumnRule),
        ("The yearly figures (`[finances]`)", YearlyTable),
    ):
        rows = ["| key | what it says |", "|---|---|"]
        for a in attrs.fields(cls):
            doc = a.metadata.get("doc", "").replace("|", "\\|")
            required = " (required)" if a.default is attrs.NOTHING else ""
            rows.append(f"| `{a.name}`{required} | {doc} |")
        parts.append(f"**{title}**\n\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)
