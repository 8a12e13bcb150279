"""The facts criteria can test: a closed catalogue over the model.

A fact has a dotted name (``finances.reinvested_share``), a kind that fixes which
tests make sense, and the raw model fields that a user would fill in to know it.
Per-year facts read the fiscal year chosen for the classification.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from .._model import Organisation
from .._model._declare import Kind, Positive
from .._model._organisation import FiscalYear
from .._model._schema import COLUMNS, DERIVED

__all__ = ["FACTS", "Fact", "FactKind"]


class FactKind(enum.Enum):
    """What kind of value a fact holds, and so which tests apply to it."""

    RATIO = "ratio"  #: an exact share or ratio (Fraction)
    COUNT = "count"  #: a whole number of persons or things
    AMOUNT = "amount"  #: money in a currency
    BOOL = "bool"
    CHOICE = "choice"  #: one value of a closed vocabulary
    CHOICES = "choices"  #: a set of values of a closed vocabulary


@attrs.frozen
class Fact:
    """One testable fact of an organisation."""

    name: str
    kind: FactKind
    description: str
    #: raw model fields (paths) that determine the fact; ``{year}`` is the fiscal year
    inputs: tuple[str, ...]
    #: attribute path read on the organisation (``org``) or the fiscal year (``fy``)
    path: str
    per_year: bool = False
    #: allowed values of a CHOICE/CHOICES fact (None: any string, e.g. legal form codes)
    choices: type[enum.Enum] | None = None
    unit: str = ""
    #: a computed fact: called with (organisation, fiscal year, date)
    compute: Callable[[Organisation, FiscalYear | None, date], Any] | None = None

    def inputs_for(self, year: int | None) -> tuple[str, ...]:
        """The input paths, with the fiscal year filled in."""
        y = "?" if year is None else str(year)
        return tuple(p.replace("{year}", y) for p in self.inputs)


#: registration states in which the organisation is not registered, whatever the dates:
#: an applicant (not yet registered), a revoked or a withdrawn registration
_NOT_REGISTERED = frozenset({"applying", "revoked", "deregistered"})


def _registered(org: Organisation, _: FiscalYear | None, on: date) -> bool | None:
    """Registered on *on*: registered on or before it, and not deregistered by then; a
    recorded status of applicant, revoked or withdrawn says not registered whatever the
    dates (an absent status, like an absent deregistration date, means no such change
    was recorded)."""
    reg = org.registration
    if reg.status is not None and reg.status.value in _NOT_REGISTERED:
        return False
    if reg.deregistered_on is not None and reg.deregistered_on <= on:
        return False
    if reg.registered_on is None:
        return None
    return reg.registered_on <= on


def _legal_personality(org: Organisation, _: FiscalYear | None, __: date) -> bool | None:
    from .._model._forms import form_table

    form = form_table().get(org.legal_form) if org.legal_form is not None else None
    return None if form is None else form.legal_personality


#: the fact kind of each kind of declared field that criteria may test
_KINDS = {
    Kind.BOOL: FactKind.BOOL,
    Kind.COUNT: FactKind.COUNT,
    Kind.SHARE: FactKind.RATIO,
    Kind.RATE: FactKind.RATIO,
    Kind.MONEY: FactKind.AMOUNT,
    Kind.SIGNED_MONEY: FactKind.AMOUNT,
    Kind.CODE: FactKind.CHOICE,
    Kind.CHOICE: FactKind.CHOICE,
    Kind.CHOICES: FactKind.CHOICES,
}


def _year_inputs(fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"finances[{{year}}].{f}" for f in fields)


def _facts() -> dict[str, Fact]:
    """The catalogue, read off the model's declarations (:mod:`.._model._schema`): the
    fields declared testable, the values the model derives, and two facts computed
    from the legal-form table and the registration dates."""
    facts: dict[str, Fact] = {}
    for col in COLUMNS.values():
        spec = col.spec
        if not spec.fact:
            continue
        kind = _KINDS[spec.kind]
        if col.per_year:
            facts[col.name] = Fact(
                col.name,
                kind,
                spec.doc,
                _year_inputs((col.field,)),
                col.field,
                per_year=True,
                choices=spec.choices,
                unit=spec.unit,
            )
        else:
            inputs = (*spec.also, col.name)
            facts[col.name] = Fact(
                col.name, kind, spec.doc, inputs, col.name, choices=spec.choices, unit=spec.unit
            )
    facts["legal_form.legal_personality"] = Fact(
        "legal_form.legal_personality",
        FactKind.BOOL,
        "the legal form gives legal (juristic) personality",
        ("legal_form",),
        "legal_form.legal_personality",
        compute=_legal_personality,
    )
    facts["registration.in_force"] = Fact(
        "registration.in_force",
        FactKind.BOOL,
        "registered on the evaluation date (registered_on known, not deregistered, and no "
        "recorded status of applicant, revoked or withdrawn)",
        ("registration.registered_on", "registration.status"),
        "registration.in_force",
        compute=_registered,
    )
    for d in DERIVED.values():
        kind = FactKind.BOOL if isinstance(d.formula, Positive) else FactKind.RATIO
        if d.per_year:
            facts[d.name] = Fact(
                d.name,
                kind,
                d.formula.doc,
                _year_inputs(d.formula.inputs),
                d.field,
                per_year=True,
            )
        else:
            facts[d.name] = Fact(d.name, kind, d.formula.doc, d.inputs(), d.name)
    return facts


#: Every fact a criterion may test, by name.
FACTS: MappingProxyType[str, Fact] = MappingProxyType(_facts())
