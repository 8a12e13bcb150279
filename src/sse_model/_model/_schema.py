"""The flat column vocabulary and the derived values, read off the model's declarations.

Nothing here lists a field by hand: the columns are the declared fields of
:class:`~sse_model.Organisation` and its records (:mod:`._declare`), walked once.
A record field ``governance.members`` is the column ``governance.members``; a field
of :class:`~sse_model.FiscalYear` is ``finances.<field>`` (one year per row, with a
``fiscal_year`` column); a top-level field keeps its name.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from types import MappingProxyType
from typing import Any

import attrs

from ._declare import Formula, Kind, Rule, Spec, derived_of, spec_of
from ._organisation import FiscalYear, Organisation

__all__ = [
    "COLUMNS",
    "DERIVED",
    "IDENTITY",
    "RECORDS",
    "REQUIRED",
    "Column",
    "DerivedValue",
    "columns_of",
    "rules",
]


#: the sections of an organisation that are records of declared fields, by name
def _records() -> dict[str, type]:
    out: dict[str, type] = {}
    for f in attrs.fields(Organisation):
        factory = getattr(f.default, "factory", None)
        if isinstance(factory, type) and attrs.has(factory):
            out[f.name] = factory
    out["finances"] = FiscalYear
    return out


RECORDS: MappingProxyType[str, type] = MappingProxyType(_records())


@attrs.frozen
class Column:
    """One column of the flat vocabulary: a declared field of the model."""

    #: the column's name (``governance.members``, ``finances.revenue``, ``fiscal_year``)
    name: str
    #: the record it lives in (``governance``, ``finances``), or None for the organisation
    section: str | None
    #: the attribute of that record
    field: str
    spec: Spec
    #: the field has no default: every record gives it
    required: bool = False

    @property
    def kind(self) -> Kind:
        return self.spec.kind

    @property
    def per_year(self) -> bool:
        """A field of the accounts of one fiscal year."""
        return self.section == "finances"


@attrs.frozen
class DerivedValue:
    """A value the model derives from other fields (a share of two amounts...)."""

    #: its dotted name as a fact (``finances.reinvested_share``)
    name: str
    section: str
    field: str
    formula: Formula

    @property
    def per_year(self) -> bool:
        return self.section == "finances"

    def inputs(self) -> tuple[str, ...]:
        """The columns it is computed from."""
        return tuple(f"{self.section}.{i}" for i in self.formula.inputs)


def _declared(cls: type) -> Iterator[tuple[attrs.Attribute[Any], Spec]]:
    for f in attrs.fields(cls):
        spec = spec_of(f)
        if spec is not None:
            yield f, spec


def _columns() -> dict[str, Column]:
    out: dict[str, Column] = {}
    for f, spec in _declared(Organisation):
        out[f.name] = Column(f.name, None, f.name, spec, f.default is attrs.NOTHING)
    for section, cls in RECORDS.items():
        for f, spec in _declared(cls):
            name = spec.column or f"{section}.{f.name}"
            out[name] = Column(name, section, f.name, spec)
    return out


def _derived() -> dict[str, DerivedValue]:
    out: dict[str, DerivedValue] = {}
    for section, cls in RECORDS.items():
        for f in attrs.fields(cls):
            formula = derived_of(f)
            if formula is not None:
                name = f"{section}.{f.name}"
                out[name] = DerivedValue(name, section, f.name, formula)
    return out


#: every column of the flat vocabulary that holds a field, by name
COLUMNS: MappingProxyType[str, Column] = MappingProxyType(_columns())
#: every value the model derives, by its dotted name
DERIVED: MappingProxyType[str, DerivedValue] = MappingProxyType(_derived())


#: the organisation's fields without a default, that every organisation gives
#: (``id``, ``name``, ``country``)
REQUIRED: tuple[str, ...] = tuple(
    f.name for f in attrs.fields(Organisation) if f.default is attrs.NOTHING
)
#: who and what the organisation is: its own text, code and choice fields (not its
#: records, nor its flags)
IDENTITY: tuple[str, ...] = tuple(
    c.name
    for c in COLUMNS.values()
    if c.section is None and c.kind in (Kind.TEXT, Kind.CODE, Kind.CHOICE)
)


@cache
def columns_of(*kinds: Kind, per_year: bool | None = None) -> frozenset[str]:
    """The names of the columns of *kinds* (of the fiscal year's accounts, or not, or
    both when *per_year* is None)."""
    return frozenset(
        c.name
        for c in COLUMNS.values()
        if c.kind in kinds and (per_year is None or c.per_year == per_year)
    )


def rules() -> Iterator[tuple[str, Rule]]:
    """Every consistency rule of the model, with the section whose fields it names."""
    for section, cls in RECORDS.items():
        for rule in cls.__rules__:  # type: ignore[attr-defined]
            yield section, rule
