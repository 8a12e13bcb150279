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

from .._model import (
    EntityFamily,
    Organisation,
    ProfitRule,
    PurposeType,
    ResidualAssets,
    VotingRule,
)
from .._model._organisation import FiscalYear

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


def _registered(org: Organisation, _: FiscalYear | None, on: date) -> bool | None:
    reg = org.registration
    if reg.deregistered_on is not None and reg.deregistered_on <= on:
        return False
    if reg.registered_on is None:
        return None
    return reg.registered_on <= on


def _legal_personality(org: Organisation, _: FiscalYear | None, __: date) -> bool | None:
    from .._model._forms import form_table

    form = form_table().get(org.legal_form) if org.legal_form is not None else None
    return None if form is None else form.legal_personality


def _volunteer_ratio(org: Organisation, _: FiscalYear | None, __: date) -> Any:
    from fractions import Fraction

    w = org.workforce
    if w.volunteers is None or w.paid_workers is None:
        return None
    if w.paid_workers == 0:
        from .._model._organisation import NO_WORKERS

        return NO_WORKERS
    return Fraction(w.volunteers, w.paid_workers)


def _facts() -> dict[str, Fact]:
    facts: list[Fact] = []

    def add(name: str, kind: FactKind, description: str, **kw: Any) -> None:
        path = kw.pop("path", name)
        inputs = kw.pop("inputs", (path,))
        facts.append(Fact(name, kind, description, tuple(inputs), path, **kw))

    B, R, C, CH = FactKind.BOOL, FactKind.RATIO, FactKind.COUNT, FactKind.CHOICE
    add("country", CH, "ISO 3166-1 alpha-2 country code")
    add("subdivision", CH, "ISO 3166-2 subdivision code, e.g. CA-QC")
    add("legal_form", CH, "national legal form code, e.g. vn/jsc")
    add("family", CH, "entity family", choices=EntityFamily, inputs=("legal_form", "family"))
    add(
        "legal_form.legal_personality",
        B,
        "the legal form gives legal (juristic) personality",
        inputs=("legal_form",),
        compute=_legal_personality,
    )
    add("registration.charity", B, "registered as a charity")
    add(
        "registration.in_force",
        B,
        "registered on the evaluation date (registered_on known, not deregistered)",
        inputs=("registration.registered_on",),
        compute=_registered,
    )
    for name, text in (
        ("social", "states a social objective"),
        ("environmental", "states an environmental objective"),
        ("general_interest", "serves the general interest"),
        ("mutual_benefit", "serves members' common needs (self-help, mutual benefit)"),
        ("economic_activity", "produces or sells goods or services"),
        ("commitment_registered", "a commitment to social/environmental objectives is registered"),
    ):
        add(f"purpose.{name}", B, text)
    add("purpose.primary", FactKind.CHOICES, "primary purpose types", choices=PurposeType)
    add("governance.members", C, "number of members", unit="members")
    add("governance.voting_rule", CH, "voting rule", choices=VotingRule)
    for name, text in (
        ("largest_member_capital_share", "largest member's share of capital"),
        ("largest_member_vote_share", "largest member's share of votes"),
        ("foreign_capital_share", "share of capital held by foreign members"),
        ("public_board_share", "share of board seats appointed by public bodies"),
        ("for_profit_board_share", "share of board seats appointed by for-profit firms"),
    ):
        add(f"governance.{name}", R, text)
    for name, text in (
        (
            "stakeholder_participation",
            "workers, users or other stakeholders take part in decisions",
        ),
        ("controlled_by_public_body", "under the decisional control of a public body"),
        ("controlled_by_for_profit", "under the control of a for-profit firm"),
        ("listed_on_market", "securities admitted to trading on a market"),
        ("single_natural_person_owner", "the only shareholder or member is one natural person"),
    ):
        add(f"governance.{name}", B, text)
    add("membership.voluntary", B, "joining and leaving is voluntary")
    add("membership.open", B, "membership is open without discrimination")
    add("membership.founding_members", C, "number of founding members", unit="members")
    add("membership.members_only_benefit", B, "activities benefit only members")
    add("statutes.profit_rule", CH, "what the statutes allow for profit", choices=ProfitRule)
    add("statutes.asset_lock", B, "statutes lock assets for the purpose")
    add(
        "statutes.residual_assets",
        CH,
        "where residual assets go on dissolution",
        choices=ResidualAssets,
    )
    add("statutes.reserves_indivisible", B, "reserves are indivisible")
    add("statutes.democratic_governance", B, "statutes provide democratic governance")
    add("statutes.required_clauses", B, "the articles contain every clause the law requires")
    for name, text in (
        ("paid_workers", "paid workers"),
        ("vulnerable_workers", "paid workers from vulnerable or disadvantaged groups"),
        ("volunteers", "volunteers"),
    ):
        add(f"workforce.{name}", C, text, unit="persons")
    add(
        "workforce.vulnerable_worker_share",
        R,
        "vulnerable workers / paid workers",
        inputs=("workforce.vulnerable_workers", "workforce.paid_workers"),
    )
    add(
        "workforce.vulnerable_to_other_ratio",
        R,
        "vulnerable workers / other (non-vulnerable) paid workers",
        inputs=("workforce.vulnerable_workers", "workforce.paid_workers"),
    )
    add(
        "workforce.volunteer_ratio",
        R,
        "volunteers / paid workers",
        inputs=("workforce.volunteers", "workforce.paid_workers"),
        compute=_volunteer_ratio,
    )
    add(
        "workforce.pay_ratio",
        R,
        "highest pay / lowest pay",
        inputs=("workforce.highest_pay", "workforce.lowest_pay"),
    )
    add("workforce.highest_pay", FactKind.AMOUNT, "annual full-time pay of the best-paid person")
    add(
        "workforce.top5_average_pay",
        FactKind.AMOUNT,
        "average annual full-time pay of the five best-paid persons",
    )
    add(
        "beneficiaries.vulnerable_share",
        R,
        "vulnerable beneficiaries / all beneficiaries",
        inputs=("beneficiaries.vulnerable", "beneficiaries.total"),
    )

    def fin(name: str, text: str, *inputs: str) -> None:
        add(
            f"finances.{name}",
            R,
            text,
            path=name,
            per_year=True,
            inputs=tuple(f"finances[{{year}}].{i}" for i in inputs),
        )

    fin("reinvested_share", "reinvested / profit after tax", "reinvested", "profit_after_tax")
    fin(
        "reinvested_share_before_tax",
        "reinvested / profit before tax",
        "reinvested",
        "profit_before_tax",
    )
    fin(
        "retained_share",
        "(reinvested + to reserves) / profit after tax",
        "reinvested",
        "to_reserves",
        "profit_after_tax",
    )
    fin("distributed_share", "dividends / profit after tax", "dividends", "profit_after_tax")
    fin(
        "distributable_to_purpose_share",
        "(distributable profit - dividends) / distributable profit",
        "distributable_profit",
        "dividends",
    )
    fin("sales_share", "revenue from sales / revenue", "revenue_from_sales", "revenue")
    fin(
        "general_interest_share",
        "revenue from general-interest activities / revenue",
        "revenue_from_general_interest",
        "revenue",
    )
    fin(
        "sales_to_labour_costs",
        "revenue from sales / labour costs",
        "revenue_from_sales",
        "labour_costs",
    )
    fin(
        "social_purpose_expense_share",
        "social-purpose operating expenses / operating expenses",
        "social_purpose_expenses",
        "operating_expenses",
    )
    fin("dividend_rate", "dividend rate on paid-in capital", "dividend_rate")
    fin(
        "reserve_share",
        "allocated to reserves / profit after tax",
        "to_reserves",
        "profit_after_tax",
    )
    fin(
        "dividends_of_distributable",
        "dividends / distributable profit",
        "dividends",
        "distributable_profit",
    )
    fin(
        "patronage_share_of_distributions",
        "patronage refunds / (patronage refunds + dividends)",
        "patronage_refunds",
        "dividends",
    )
    fin("reserves_to_capital", "reserves / share capital", "reserves", "share_capital")
    add(
        "finances.pays_dividends",
        B,
        "dividends were paid on capital in the fiscal year",
        path="pays_dividends",
        per_year=True,
        inputs=("finances[{year}].dividends",),
    )
    return {f.name: f for f in facts}


#: Every fact a criterion may test, by name.
FACTS: MappingProxyType[str, Fact] = MappingProxyType(_facts())
