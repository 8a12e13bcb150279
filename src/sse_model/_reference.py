"""Reference tables for the docs, generated from the model's declarations.

The docs build (``docs/conf.py``) writes these to ``docs/generated/``; the guides
include them, so the tables of facts and columns cannot drift from the code.
"""

from __future__ import annotations

from ._engine._facts import FACTS, Fact, FactKind
from ._model._declare import Kind
from ._model._schema import COLUMNS, Column

__all__ = [
    "facts_table",
    "indicators_page",
    "lookups_table",
    "mapping_table",
    "vocabulary_table",
]

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


#: how each kind of indicator treats what was not reported, for the definition page
_BOUNDS = {
    "entities": "Every organisation of the group counts: nothing can be missing.",
    "sum": (
        "`value` and `lower` are the sum of what was reported; `upper` adds, for each "
        "organisation that did not report, the whole it cannot exceed when the model has "
        "one and it is known, and is unbounded (`inf`) otherwise."
    ),
    "share": (
        "`value` is the ratio over the organisations that reported both part and whole. "
        "`lower` counts the unreported parts as none, `upper` as the whole; an organisation "
        "of unknown size makes `lower` 0 (it may be huge), and `upper` 1 unless its part is "
        "known (then its size is at least its part). An organisation whose whole is zero "
        "is not applicable: it counts in neither, and apart."
    ),
    "rate": (
        "`value` is the rate over the organisations that reported both events and "
        "persons; `lower` counts unreported events as none (0 if a size is unknown), "
        "`upper` is unbounded while any events or sizes are unreported."
    ),
    "entity_share": (
        "`value` is the share among the organisations that reported; `lower` counts "
        "those that did not as without the property, `upper` as with it."
    ),
    "mean": (
        "`value` is the sum of the earnings over the sum of the hours paid, over the "
        "organisations that reported both (hours above zero), in one currency: a group "
        "whose organisations report in several currencies has no value (group it by "
        "country). A mean of amounts has no bounds that assume nothing: while any "
        "organisation it may apply to did not report, `lower` is 0 and `upper` `inf`; "
        "when all did, both are the value. An organisation with none of the persons "
        "(zero employees) or no hours paid is not applicable."
    ),
    "gap": (
        "The two means (`num` over `den`, and the one it is compared with) over the "
        "organisations that reported all four amounts and hours, in one currency, as for "
        "a mean. While any organisation it may apply to did not report, the bounds are "
        "those of any gap: `upper` 1 (a mean is at least 0) and `lower` `-inf`; when all "
        "did, both are the value. `person_coverage` counts employees."
    ),
    "representation": (
        "Computed only when the user gives the benchmark (`benchmarks=`, one national "
        "share, or one per country with the table grouped by country). `value`, `lower` "
        "and `upper` are those of the share, over the benchmark; a group without a "
        "benchmark shows none."
    ),
    "transition_count": (
        "Computed from two registers joined by id (`formalisation(then, now, ...)`). "
        "`value` and `lower` count the organisations known to have moved; `upper` adds "
        "those that may have (a state unknown at either date; absent from the earlier "
        "register; dates not in order)."
    ),
    "transition_share": (
        "Computed from two registers joined by id (`formalisation(then, now, ...)`). "
        "`value` is over the organisations whose earlier state was the one counted and "
        "whose later state is known. Each organisation with an unknown state counts, "
        "for `upper`, as having moved if it can, and for `lower` as having stayed if it "
        "can (else it is left out of the whole). An organisation in another state at "
        "the earlier date is not applicable."
    ),
}


def indicators_page() -> str:
    """The definition of every indicator, from its declaration."""
    from ._indicators import INDICATORS

    rows = [
        "| indicator | name | unit | status | confidence |",
        "|---|---|---|---|---|",
    ]
    for i in INDICATORS:
        rows.append(f"| `{i.id}` | {i.name} | {i.unit} | {i.status} | {i.confidence} |")
    parts = ["\n".join(rows) + "\n"]
    for i in INDICATORS:
        inputs = ", ".join(f"`{c}`" for c in i.inputs) or "none"
        if i.before is not None:
            inputs += f" (from `{i.before}` at the earlier date to `{i.equals}` at the later)"
        parts.append(
            f"## `{i.id}`: {i.name}\n\n"
            f"- **formula**: {i.formula}\n"
            f"- **unit**: {i.unit}\n"
            f"- **inputs**: {inputs}\n"
            f"- **missing data**: {_BOUNDS[i.kind.value]}\n"
            f"- **source**: {i.source}\n"
            f"- **status**: {i.status}; **confidence** of the definition: {i.confidence}\n"
            f"- **contribution**: {', '.join(i.contribution)} "
            f"(row {i.basis} of the research notes)\n"
        )
    return "\n".join(parts)
