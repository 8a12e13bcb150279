"""What a classifier needs to know about an organisation.

Every fact may be unknown (``None``); unknown is never turned into zero or false.
Consistency checks a careful analyst would make run when a record is built and
report every problem at once, with its field path.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from .._errors import FieldError, InvalidInput
from ._declare import (
    AtMost,
    OneCurrency,
    Positive,
    Ratio,
    Rule,
    SumAtMost,
    Undefined,
    check,
    choice,
    choices,
    code,
    convert,
    count,
    day,
    derived,
    flag,
    hours,
    money,
    needs_problems,
    rate,
    share,
    text,
    year,
)
from ._forms import EntityFamily, form_codes
from ._units import Hours, Money

__all__ = [
    "Beneficiaries",
    "Certification",
    "FiscalYear",
    "Fragility",
    "Governance",
    "Membership",
    "Organisation",
    "ProfitRule",
    "Purpose",
    "PurposeType",
    "Registration",
    "RegistrationStatus",
    "ResidualAssets",
    "Statutes",
    "TerritorialLevel",
    "Undefined",
    "UnitSector",
    "VotingRule",
    "Work",
    "Workforce",
]


NO_PROFIT = Undefined("no profit in the fiscal year")
NO_REVENUE = Undefined("no revenue in the fiscal year")
NO_COSTS = Undefined("no such costs in the fiscal year")
NO_WORKERS = Undefined("no paid workers")
NO_BENEFICIARIES = Undefined("no beneficiaries")

#: A derived ratio: exact, unknown, or undefined.
Derived = Fraction | Undefined | None


class VotingRule(enum.Enum):
    """How votes are allocated among members."""

    ONE_MEMBER_ONE_VOTE = "one_member_one_vote"
    CAPITAL_WEIGHTED = "capital_weighted"
    MIXED = "mixed"


class ProfitRule(enum.Enum):
    """What the statutes allow to be done with profit."""

    PROHIBITED = "prohibited"  #: no distribution at all (non-profit)
    BY_PATRONAGE = "by_patronage"  #: only refunds pro rata to members' transactions or work
    LIMITED = "limited"  #: distribution capped by statute
    UNRESTRICTED = "unrestricted"


class ResidualAssets(enum.Enum):
    """Where the statutes send residual assets on dissolution."""

    MEMBERS = "members"
    SIMILAR_ENTITY = "similar_entity"  #: another SSE / asset-locked body with similar aims
    PUBLIC = "public"  #: the State, a public body or public-interest purpose
    UNSPECIFIED = "unspecified"


class PurposeType(enum.Enum):
    """Kinds of primary purpose named by national laws (a closed vocabulary)."""

    JOB_PROVISION = "job_provision"  #: jobs for vulnerable groups (KR job-provision type)
    SOCIAL_SERVICE = "social_service"  #: social services to vulnerable groups
    MIXED = "mixed"  #: both jobs and services (KR mixed type)
    COMMUNITY_CONTRIBUTION = "community_contribution"  #: local community development
    CREATIVE_INNOVATIVE = "creative_innovative"  #: other, judged case by case
    EMPLOYMENT_SPECIAL_SUPPORT = "employment_special_support"  #: TH SEPA s.5 (1)
    COMMUNITY_SOCIAL_ENVIRONMENT = "community_social_environment"  #: TH SEPA s.5 (2)
    PUBLIC_BENEFIT = "public_benefit"  #: announced public-benefit purposes
    SUPPORT_FRAGILE_PERSONS = "support_fragile_persons"  #: FR Art. 2 1°
    SOCIAL_TIES_COHESION = "social_ties_cohesion"  #: FR Art. 2 2°
    CITIZENSHIP_EDUCATION = "citizenship_education"  #: FR Art. 2 3°
    SUSTAINABLE_DEVELOPMENT = "sustainable_development"  #: FR Art. 2 4°
    LABOUR_INTERMEDIATION = "labour_intermediation"  #: excluded by BR Lei 15.068 art. 4 §3
    FINANCE_INSURANCE = "finance_insurance"  #: excluded for KR general cooperatives
    POLITICAL = "political"  #: political campaigning (UK CIC reg. 3)


class RegistrationStatus(enum.Enum):
    """Where an organisation stands in the register its record comes from: an applicant
    is not registered, and a revoked registration is not a withdrawn one."""

    APPLYING = "applying"  #: an application is filed and not yet decided
    REGISTERED = "registered"  #: registered, and the registration is in force
    REVOKED = "revoked"  #: the registration was revoked by the registering authority
    DEREGISTERED = "deregistered"  #: removed from the register otherwise (withdrawn, struck off)


class Fragility(enum.Enum):
    """Why the people an organisation supports are fragile (FR Loi 2014-856 Art. 2 1°
    names both; Code du travail L.3332-17-1 I 1° a), since Loi 2019-486, only the first)."""

    ECONOMIC_SOCIAL = "economic_social"  #: because of their economic or social situation
    PERSONAL = "personal"  #: because of their personal situation (care, medical needs)


class TerritorialLevel(enum.Enum):
    """The territorial level an organisation is licensed to operate at (as Viet Nam's
    decrees on associations and on funds set founding minimums by level)."""

    NATIONAL = "national"  #: nationwide or across several provinces
    PROVINCIAL = "provincial"  #: within one province (or centrally run city)
    DISTRICT = "district"  #: within one district
    COMMUNE = "commune"  #: within one commune, ward or town


class UnitSector(enum.Enum):
    """The sector of an economic unit under the 21st ICLS resolution concerning
    statistics on the informal economy (2023): set by the unit's formal status and
    the intended destination of its production."""

    FORMAL = "formal"  #: the formal sector
    INFORMAL = "informal"  #: the informal sector
    HOUSEHOLD_OWN_USE_COMMUNITY = "household_own_use_community"  #: own-use and community


def _raise(what: str, problems: list[FieldError]) -> None:
    if problems:
        raise InvalidInput(what, problems)


@attrs.frozen
class Registration:
    """Where and under which law the organisation is registered."""

    __rules__: ClassVar[tuple[Rule, ...]] = ()

    law: str | None = text("the law the organisation is registered under")
    registry: str | None = text("the registry that holds the record")
    number: str | None = text("the registration number")
    registered_on: date | None = day("the date of registration")
    #: absent: no deregistration recorded (the fact ``registration.in_force`` reads so)
    deregistered_on: date | None = day("the date of deregistration or revocation", closed=True)
    #: where the organisation stands in the register: applying, registered, revoked...
    #: absent: no change of state recorded (``registration.in_force`` reads the dates)
    status: RegistrationStatus | None = choice(
        RegistrationStatus,
        "state of the registration: applying, registered, revoked...",
        closed=True,
    )
    #: the day the application for registration was filed
    applied_on: date | None = day("the date the application for registration was filed")
    #: why the registration was revoked or deregistered, as the register records it
    revocation_reason: str | None = text("the reason recorded for the revocation")
    #: a registration under the same law was revoked before this registration or application
    previously_revoked: bool | None = flag(
        "a registration under the same law was revoked before (a bar on re-registration)"
    )
    #: completed years from that revocation to the application (bars on re-registration)
    years_since_revocation: int | None = count(
        "completed years from the last revocation to the application", unit="years"
    )
    #: the territorial level of operation its licence or registration states
    territorial_level: TerritorialLevel | None = choice(
        TerritorialLevel, "level of operation: national, provincial, district or commune"
    )
    #: registered as a charity (charities cannot be, e.g., UK CICs)
    charity: bool | None = flag("registered as a charity")

    def __attrs_post_init__(self) -> None:
        check(self, "registration")


@attrs.frozen
class Purpose:
    """Stated purpose and registered commitments."""

    __rules__: ClassVar[tuple[Rule, ...]] = ()

    social: bool | None = flag("states a social objective")
    environmental: bool | None = flag("states an environmental objective")
    general_interest: bool | None = flag("serves the general interest")
    #: serves members' common needs: self-help, mutual benefit
    mutual_benefit: bool | None = flag("serves members' common needs (self-help, mutual benefit)")
    #: produces or sells goods or services (an economic activity)
    economic_activity: bool | None = flag("produces or sells goods or services")
    #: the primary purpose(s), in the closed :class:`PurposeType` vocabulary
    primary: frozenset[PurposeType] | None = choices(PurposeType, "primary purpose types")
    #: a written commitment to social/environmental objectives is registered
    commitment_registered: bool | None = flag(
        "a commitment to social/environmental objectives is registered"
    )

    def __attrs_post_init__(self) -> None:
        check(self, "purpose")


@attrs.frozen
class Governance:
    """Who decides, and who could control the organisation."""

    __rules__: ClassVar[tuple[Rule, ...]] = (
        AtMost("women_members", "members"),
        AtMost("worker_members", "members"),
        AtMost("producer_members", "members"),
        AtMost("user_members", "members"),
        AtMost("registered_producer_members", "producer_members"),
        AtMost("insured_producer_members", "producer_members"),
        AtMost("women_board_seats", "board_seats"),
    )

    members: int | None = count("number of members", unit="members")
    voting_rule: VotingRule | None = choice(VotingRule, "voting rule")
    largest_member_capital_share: Fraction | None = share("largest member's share of capital")
    largest_member_vote_share: Fraction | None = share("largest member's share of votes")
    foreign_capital_share: Fraction | None = share("share of capital held by foreign members")
    #: members who are women (of *members*)
    women_members: int | None = count("members who are women", unit="members", fact=False)
    #: members by the interest they hold (ILO Guidelines concerning statistics of
    #: cooperatives, 20th ICLS, 2018): workers, producers, consumers or users
    worker_members: int | None = count(
        "members whose interest is their work in the organisation (worker members)",
        unit="members",
        fact=False,
    )
    producer_members: int | None = count(
        "members who are producers working in their own units (producer members)",
        unit="members",
        fact=False,
    )
    user_members: int | None = count(
        "members who are consumers or users of its goods or services (user members)",
        unit="members",
        fact=False,
    )
    #: producer members whose own economic unit is registered (the formal status of
    #: the unit, 21st ICLS, 2023), and those covered by social insurance
    registered_producer_members: int | None = count(
        "producer members whose own economic unit is registered (formal sector)",
        unit="members",
        fact=False,
    )
    insured_producer_members: int | None = count(
        "producer members covered by social insurance (contributory or not)",
        unit="members",
        fact=False,
    )
    #: seats on the governing body (board), and those held by women
    board_seats: int | None = count("seats on the governing body", unit="seats", fact=False)
    women_board_seats: int | None = count(
        "seats on the governing body held by women", unit="seats", fact=False
    )
    #: workers, users or other stakeholders take part in decisions
    stakeholder_participation: bool | None = flag(
        "workers, users or other stakeholders take part in decisions"
    )
    #: share of board seats appointed by public bodies
    public_board_share: Fraction | None = share("share of board seats appointed by public bodies")
    #: share of board seats appointed by for-profit firms
    for_profit_board_share: Fraction | None = share(
        "share of board seats appointed by for-profit firms"
    )
    controlled_by_public_body: bool | None = flag("under the decisional control of a public body")
    controlled_by_for_profit: bool | None = flag("under the control of a for-profit firm")
    listed_on_market: bool | None = flag("securities admitted to trading on a market")
    #: the only shareholder or member is one natural person
    single_natural_person_owner: bool | None = flag(
        "the only shareholder or member is one natural person"
    )

    def __attrs_post_init__(self) -> None:
        check(self, "governance")


@attrs.frozen
class Membership:
    """How people join and leave."""

    __rules__: ClassVar[tuple[Rule, ...]] = ()

    voluntary: bool | None = flag("joining and leaving is voluntary")
    open: bool | None = flag("membership is open without discrimination")
    founding_members: int | None = count("number of founding members", unit="members")
    #: activities benefit only members (or one employer's staff)
    members_only_benefit: bool | None = flag("activities benefit only members")

    def __attrs_post_init__(self) -> None:
        check(self, "membership")


@attrs.frozen
class Statutes:
    """What the articles of association say (statutory clauses)."""

    __rules__: ClassVar[tuple[Rule, ...]] = ()

    profit_rule: ProfitRule | None = choice(ProfitRule, "what the statutes allow for profit")
    asset_lock: bool | None = flag("statutes lock assets for the purpose")
    residual_assets: ResidualAssets | None = choice(
        ResidualAssets, "where residual assets go on dissolution"
    )
    reserves_indivisible: bool | None = flag("reserves are indivisible")
    democratic_governance: bool | None = flag("statutes provide democratic governance")
    #: the articles contain every clause the applicable law requires of them
    required_clauses: bool | None = flag("the articles contain every clause the law requires")

    def __attrs_post_init__(self) -> None:
        check(self, "statutes")


@attrs.frozen
class Workforce:
    """Paid workers, volunteers and pay."""

    __rules__: ClassVar[tuple[Rule, ...]] = (
        AtMost("vulnerable_workers", "paid_workers"),
        AtMost("women_workers", "paid_workers"),
        OneCurrency(
            ("highest_pay", "top5_average_pay", "lowest_pay", "branch_minimum_pay"), of="the pay"
        ),
        AtMost("top5_average_pay", "highest_pay"),
        AtMost("lowest_pay", "highest_pay"),
    )

    paid_workers: int | None = count("paid workers")
    vulnerable_workers: int | None = count("paid workers from vulnerable or disadvantaged groups")
    women_workers: int | None = count("paid workers who are women", fact=False)
    volunteers: int | None = count("volunteers")
    volunteer_hours: Hours | None = hours("hours of volunteer work in a year")
    #: annual full-time-equivalent pay of the best-paid person
    highest_pay: Money | None = money("annual full-time pay of the best-paid person", fact=True)
    #: average annual full-time-equivalent pay of the five best-paid persons
    top5_average_pay: Money | None = money(
        "average annual full-time pay of the five best-paid persons", fact=True
    )
    lowest_pay: Money | None = money("annual full-time pay of the lowest-paid person")
    #: annual full-time pay at the minimum wage of the branch's collective agreement
    branch_minimum_pay: Money | None = money(
        "annual full-time pay at the branch minimum wage (collective agreement)"
    )
    vulnerable_worker_share: Derived = derived(
        Ratio(
            ("vulnerable_workers",),
            ("paid_workers",),
            NO_WORKERS,
            "vulnerable workers / paid workers",
        )
    )
    vulnerable_to_other_ratio: Derived = derived(
        Ratio(
            ("vulnerable_workers",),
            ("paid_workers", "-vulnerable_workers"),
            Undefined("no other workers"),
            "vulnerable workers / other (non-vulnerable) paid workers",
        )
    )
    volunteer_ratio: Derived = derived(
        Ratio(("volunteers",), ("paid_workers",), NO_WORKERS, "volunteers / paid workers")
    )
    pay_ratio: Derived = derived(
        Ratio(("highest_pay",), ("lowest_pay",), NO_WORKERS, "highest pay / lowest pay")
    )
    top5_pay_to_branch_minimum: Derived = derived(
        Ratio(
            ("top5_average_pay",),
            ("branch_minimum_pay",),
            Undefined("no branch minimum wage"),
            "average pay of the five best-paid / annual pay at the branch minimum wage",
        )
    )
    highest_pay_to_branch_minimum: Derived = derived(
        Ratio(
            ("highest_pay",),
            ("branch_minimum_pay",),
            Undefined("no branch minimum wage"),
            "highest pay / annual pay at the branch minimum wage",
        )
    )

    def __attrs_post_init__(self) -> None:
        check(self, "workforce")


#: the employees' counts of a :class:`Work` record that cannot exceed its employees
_OF_EMPLOYEES = (
    "women_employees",
    "temporary_employees",
    "insured_employees",
    "annual_leave_employees",
    "sick_leave_employees",
    "long_hours_employees",
    "below_minimum_wage_employees",
    "green_jobs",
    "young_employees",
    "older_employees",
    "disabled_employees",
)
#: the conditions of work counted among women employees too (the breakdown by sex)
_BY_SEX = (
    "insured_employees",
    "temporary_employees",
    "annual_leave_employees",
    "sick_leave_employees",
    "long_hours_employees",
    "below_minimum_wage_employees",
)


@attrs.frozen
class Work:
    """Jobs and the conditions of work at one reference date, and the formality of the
    economic unit then: what an organisation contributes as an employer.

    Counts of persons are headcounts on *as_of*; injuries are those of the twelve
    months to it. Each count may be unknown, and unknown is never zero: an indicator
    over a register reports how many organisations gave it (see
    :func:`~sse_model.indicators`).
    """

    __rules__: ClassVar[tuple[Rule, ...]] = (
        *(AtMost(name, "employees") for name in _OF_EMPLOYEES),
        *(AtMost(f"women_{name}", name) for name in _BY_SEX),
        *(AtMost(f"women_{name}", "women_employees") for name in _BY_SEX),
        AtMost("women_managers", "managers"),
        OneCurrency(("earnings", "women_earnings", "men_earnings"), of="the earnings"),
        AtMost("women_earnings", "earnings"),
        AtMost("men_earnings", "earnings"),
        AtMost("women_paid_hours", "paid_hours"),
        AtMost("men_paid_hours", "paid_hours"),
    )

    as_of: date | None = day("the reference date of the counts and of the unit's sector")
    #: employees in the sense of ICSE-18 (20th ICLS, 2018): paid under an employment
    #: relationship (``workforce.paid_workers`` may count other paid work too)
    employees: int | None = count("employees (ICSE-18) on the reference date", fact=False)
    women_employees: int | None = count("employees who are women", fact=False)
    #: fixed-term contracts under 12 months, casual, daily or seasonal work, or no
    #: written contract (ILO decent work indicators, stability and security of work)
    temporary_employees: int | None = count(
        "employees on contracts under 12 months, casual or seasonal work, or no written contract",
        fact=False,
    )
    #: the employer contributes for them to employment-related social insurance
    #: (pension or health): the main criterion of a formal job of an employee
    insured_employees: int | None = count(
        "employees for whom the employer contributes to employment-related social insurance",
        fact=False,
    )
    annual_leave_employees: int | None = count(
        "employees entitled to paid annual leave", fact=False
    )
    sick_leave_employees: int | None = count("employees entitled to paid sick leave", fact=False)
    long_hours_employees: int | None = count(
        "employees usually working more than 48 hours a week", fact=False
    )
    #: paid below the minimum wage that applies to them (by place, sector and date),
    #: as the organisation or the register determines it
    below_minimum_wage_employees: int | None = count(
        "employees paid below the minimum wage that applies to them", fact=False
    )
    #: the same conditions among the employees who are women
    women_insured_employees: int | None = count(
        "employees who are women and for whom the employer contributes to social insurance",
        fact=False,
    )
    women_temporary_employees: int | None = count(
        "employees who are women, on contracts under 12 months, casual or seasonal work, or "
        "no written contract",
        fact=False,
    )
    women_annual_leave_employees: int | None = count(
        "employees who are women, entitled to paid annual leave", fact=False
    )
    women_sick_leave_employees: int | None = count(
        "employees who are women, entitled to paid sick leave", fact=False
    )
    women_long_hours_employees: int | None = count(
        "employees who are women, usually working more than 48 hours a week", fact=False
    )
    women_below_minimum_wage_employees: int | None = count(
        "employees who are women, paid below the minimum wage that applies to them",
        fact=False,
    )
    #: employees by age band and disability (the groups of the research notes' R12:
    #: youth 15-24, older workers 55+, disability as the Washington Group short set of
    #: questions identifies it)
    young_employees: int | None = count("employees aged 15 to 24", fact=False)
    older_employees: int | None = count("employees aged 55 or over", fact=False)
    disabled_employees: int | None = count(
        "employees with a disability (Washington Group short set of questions)", fact=False
    )
    #: ICSE-18 statuses other than employee, working for the organisation
    dependent_contractors: int | None = count(
        "dependent contractors (ICSE-18) working for the organisation", fact=False
    )
    contributing_family_workers: int | None = count(
        "contributing family workers (ICSE-18) in the unit", fact=False
    )
    fatal_injuries: int | None = count(
        "fatal occupational injuries to employees in the 12 months to the reference date",
        unit="injuries",
        fact=False,
    )
    nonfatal_injuries: int | None = count(
        "non-fatal occupational injuries to employees in the 12 months to the reference date",
        unit="injuries",
        fact=False,
    )
    #: managers: ISCO-08 major group 1, or the national equivalent
    managers: int | None = count("managers (ISCO-08 major group 1)", fact=False)
    women_managers: int | None = count("managers who are women", fact=False)
    #: jobs in environmental activities (outputs or in-house processes) that meet the
    #: requirements of decent work (19th ICLS guidelines on the environmental sector, 2013)
    green_jobs: int | None = count(
        "employees in environmental activities whose jobs meet decent-work requirements",
        fact=False,
    )
    #: gross earnings of employees (SDG 8.5.1 metadata: remuneration in cash or in kind
    #: for time worked and for paid time not worked, before deductions; not the
    #: employer's social contributions, nor severance or termination pay), and the
    #: hours paid for, over the 12 months to the reference date; by sex, for the
    #: average hourly earnings and the gender pay gap
    earnings: Money | None = money(
        "gross earnings of employees in the 12 months to the reference date (SDG 8.5.1)"
    )
    paid_hours: Hours | None = hours(
        "hours paid to employees in the 12 months to the reference date"
    )
    women_earnings: Money | None = money(
        "gross earnings of employees who are women, in the same 12 months"
    )
    women_paid_hours: Hours | None = hours(
        "hours paid to employees who are women, in the same 12 months"
    )
    men_earnings: Money | None = money(
        "gross earnings of employees who are men, in the same 12 months"
    )
    men_paid_hours: Hours | None = hours(
        "hours paid to employees who are men, in the same 12 months"
    )
    #: the sector of the economic unit on the reference date (21st ICLS, 2023)
    sector: UnitSector | None = choice(
        UnitSector,
        "sector of the economic unit (21st ICLS): formal, informal, household own-use or "
        "community",
        fact=False,
    )

    def __attrs_post_init__(self) -> None:
        check(self, "work")


@attrs.frozen
class Beneficiaries:
    """The people the organisation serves."""

    __rules__: ClassVar[tuple[Rule, ...]] = (AtMost("vulnerable", "total"),)

    total: int | None = count("people the organisation serves", fact=False)
    #: why the people it supports are fragile: economic or social situation, personal
    fragility: frozenset[Fragility] | None = choices(
        Fragility, "why the people it supports are fragile: economic_social, personal"
    )
    vulnerable: int | None = count("beneficiaries from vulnerable groups", fact=False)
    vulnerable_share: Derived = derived(
        Ratio(("vulnerable",), ("total",), None, "vulnerable beneficiaries / all beneficiaries")
    )

    def __attrs_post_init__(self) -> None:
        check(self, "beneficiaries")


_ALLOCATION = ("reinvested", "to_reserves", "dividends", "patronage_refunds")


@attrs.frozen
class FiscalYear:
    """The accounts of one fiscal year, all amounts in one currency.

    The allocation of the year's after-tax profit is split into disjoint parts:
    *reinvested* (in the activity or the registered objectives), *to_reserves*,
    *dividends* (on capital) and *patronage_refunds* (pro rata to members'
    transactions or work). Derived shares are computed exactly from these raw
    amounts; in a loss year they are :class:`Undefined`, never negative.
    """

    __rules__: ClassVar[tuple[Rule, ...]] = (
        OneCurrency(
            (
                "revenue",
                "revenue_from_sales",
                "revenue_from_general_interest",
                "grants_and_donations",
                "labour_costs",
                "operating_expenses",
                "social_purpose_expenses",
                "profit_before_tax",
                "profit_after_tax",
                "distributable_profit",
                *_ALLOCATION,
                "dividends_to_asset_locked_bodies",
                "capital_reduction_payouts",
                "profit_used_for_social_purposes",
                "share_capital",
                "reserves",
                "equity",
                "financial_contributions",
                "financial_contributions_remuneration",
            )
        ),
        AtMost("dividends_to_asset_locked_bodies", "dividends"),
        AtMost("revenue_from_sales", "revenue"),
        AtMost("revenue_from_general_interest", "revenue"),
        AtMost("social_purpose_expenses", "operating_expenses"),
        SumAtMost(_ALLOCATION, "profit_after_tax"),
    )

    year: int = year("the fiscal year", column="fiscal_year")
    revenue: Money | None = money("revenue")
    revenue_from_sales: Money | None = money("revenue from sales of goods and services")
    revenue_from_general_interest: Money | None = money("revenue from general-interest activities")
    grants_and_donations: Money | None = money("grants and donations received")
    labour_costs: Money | None = money("labour costs")
    operating_expenses: Money | None = money("operating expenses")
    social_purpose_expenses: Money | None = money("social-purpose operating expenses")
    profit_before_tax: Money | None = money("profit before tax", signed=True)
    profit_after_tax: Money | None = money("profit after tax", signed=True)
    distributable_profit: Money | None = money("distributable profit", signed=True)
    reinvested: Money | None = money(
        "profit reinvested in the activity or the registered objectives"
    )
    to_reserves: Money | None = money("profit allocated to reserves")
    dividends: Money | None = money("dividends paid on capital")
    patronage_refunds: Money | None = money("refunds pro rata to members' transactions or work")
    #: part of *dividends* declared on shares held by or for asset-locked bodies
    dividends_to_asset_locked_bodies: Money | None = money(
        "dividends paid to asset-locked bodies (exempt from the CIC dividend cap)"
    )
    #: capital returned to shareholders or partners by a reduction of capital
    capital_reduction_payouts: Money | None = money(
        "amounts paid to shareholders or partners on a reduction of capital"
    )
    #: distributable profit used for social purposes (not the same as profit retained)
    profit_used_for_social_purposes: Money | None = money(
        "distributable profit used for social purposes"
    )
    #: dividend paid on paid-in capital, as a rate
    dividend_rate: Fraction | None = rate("dividend rate on paid-in capital")
    #: paid-in share capital at the end of the year
    share_capital: Money | None = money("paid-in share capital at the end of the year")
    #: total reserves (legal and statutory) at the end of the year
    reserves: Money | None = money("total reserves at the end of the year")
    #: equity (own funds) at the end of the year
    equity: Money | None = money("equity (own funds) at the end of the year")
    #: non-bank financial contributions (quasi-equity) at the end of the year
    financial_contributions: Money | None = money(
        "non-bank financial contributions (quasi-equity) at the end of the year"
    )
    #: remuneration paid in the year on those contributions
    financial_contributions_remuneration: Money | None = money(
        "remuneration paid on non-bank financial contributions"
    )

    reinvested_share: Derived = derived(
        Ratio(("reinvested",), ("profit_after_tax",), NO_PROFIT, "reinvested / profit after tax")
    )
    reinvested_share_before_tax: Derived = derived(
        Ratio(
            ("reinvested",),
            ("profit_before_tax",),
            NO_PROFIT,
            "reinvested / profit before tax",
        )
    )
    retained_share: Derived = derived(
        Ratio(
            ("reinvested", "to_reserves"),
            ("profit_after_tax",),
            NO_PROFIT,
            "(reinvested + to reserves) / profit after tax",
        )
    )
    distributed_share: Derived = derived(
        Ratio(("dividends",), ("profit_after_tax",), NO_PROFIT, "dividends / profit after tax")
    )
    reserve_share: Derived = derived(
        Ratio(
            ("to_reserves",),
            ("profit_after_tax",),
            NO_PROFIT,
            "allocated to reserves / profit after tax",
        )
    )
    dividends_of_distributable: Derived = derived(
        Ratio(
            ("dividends",),
            ("distributable_profit",),
            NO_PROFIT,
            "dividends / distributable profit",
        )
    )
    patronage_share_of_distributions: Derived = derived(
        Ratio(
            ("patronage_refunds",),
            ("patronage_refunds", "dividends"),
            Undefined("no distributions in the fiscal year"),
            "patronage refunds / (patronage refunds + dividends)",
        )
    )
    reserves_to_capital: Derived = derived(
        Ratio(
            ("reserves",),
            ("share_capital",),
            Undefined("no share capital"),
            "reserves / share capital",
        )
    )
    pays_dividends: bool | None = derived(
        Positive("dividends", "dividends were paid on capital in the fiscal year")
    )
    pays_patronage_refunds: bool | None = derived(
        Positive("patronage_refunds", "patronage refunds were paid in the fiscal year")
    )
    pays_capital_reduction: bool | None = derived(
        Positive(
            "capital_reduction_payouts",
            "capital was returned to shareholders or partners in the fiscal year",
        )
    )
    total_distributed_share: Derived = derived(
        Ratio(
            ("dividends", "patronage_refunds"),
            ("profit_after_tax",),
            NO_PROFIT,
            "(dividends + patronage refunds) / profit after tax",
        )
    )
    distributed_with_capital_share: Derived = derived(
        Ratio(
            ("dividends", "capital_reduction_payouts"),
            ("profit_after_tax",),
            NO_PROFIT,
            "(dividends + capital-reduction payouts) / profit after tax",
        )
    )
    capped_dividends_of_distributable: Derived = derived(
        Ratio(
            ("dividends", "-dividends_to_asset_locked_bodies"),
            ("distributable_profit",),
            NO_PROFIT,
            "(dividends - dividends to asset-locked bodies) / distributable profit",
        )
    )
    social_purpose_profit_share: Derived = derived(
        Ratio(
            ("profit_used_for_social_purposes",),
            ("distributable_profit",),
            NO_PROFIT,
            "profit used for social purposes / distributable profit",
        )
    )
    distributable_to_purpose_share: Derived = derived(
        Ratio(
            ("distributable_profit", "-dividends"),
            ("distributable_profit",),
            NO_PROFIT,
            "(distributable profit - dividends) / distributable profit",
            floor=True,
        )
    )
    capital_return: Derived = derived(
        Ratio(
            ("dividends", "financial_contributions_remuneration"),
            ("equity", "financial_contributions"),
            Undefined("no equity or financial contributions"),
            "(dividends + remuneration of financial contributions)"
            " / (equity + financial contributions)",
        )
    )
    sales_share: Derived = derived(
        Ratio(("revenue_from_sales",), ("revenue",), NO_REVENUE, "revenue from sales / revenue")
    )
    general_interest_share: Derived = derived(
        Ratio(
            ("revenue_from_general_interest",),
            ("revenue",),
            NO_REVENUE,
            "revenue from general-interest activities / revenue",
        )
    )
    sales_to_labour_costs: Derived = derived(
        Ratio(
            ("revenue_from_sales",),
            ("labour_costs",),
            NO_COSTS,
            "revenue from sales / labour costs",
        )
    )
    social_purpose_expense_share: Derived = derived(
        Ratio(
            ("social_purpose_expenses",),
            ("operating_expenses",),
            NO_COSTS,
            "social-purpose operating expenses / operating expenses",
        )
    )

    def __attrs_post_init__(self) -> None:
        check(self, f"fiscal year {self.year}")


@attrs.frozen
class Certification:
    """A status granted on top of a legal form, e.g. ``kr/certified-social-enterprise``."""

    kind: str
    issuer: str | None = None
    granted_on: date | None = None
    #: the last day of validity; unknown when ``None`` unless *indefinite*
    expires_on: date | None = None
    #: a revocation, as recorded; absent means none was recorded
    revoked_on: date | None = None
    #: the status has no expiry date
    indefinite: bool | None = None

    def valid_on(self, on: date) -> bool | None:
        """Whether the status is in force on *on*; ``None`` when the record cannot say
        (grant date unknown, or expiry unknown and not known to be indefinite)."""
        if self.revoked_on is not None and self.revoked_on <= on:
            return False
        if self.expires_on is not None and self.expires_on < on:
            return False
        if self.granted_on is None:
            return None
        if self.granted_on > on:
            return False
        if self.expires_on is not None or self.indefinite:
            return True
        return None


def _records_of(value: Any, cls: type, name: str) -> tuple[Any, ...]:
    """*value* as a tuple of *cls* records, else InvalidInput (a mapping or text is not
    guessed: :func:`~sse_model.structure` reads those)."""
    items = None if isinstance(value, str | bytes | Mapping) else _listed(value)
    if items is None or not all(isinstance(x, cls) for x in items):
        got = (
            type(value).__name__
            if items is None
            else next(type(x).__name__ for x in items if not isinstance(x, cls))
        )
        message = (
            f"expected {cls.__name__} records, got {got} (structure(data, Organisation) "
            "reads mappings)"
        )
        raise InvalidInput("organisation", [FieldError(name, message)])
    return items


def _listed(value: Any) -> tuple[Any, ...] | None:
    try:
        return tuple(value)
    except TypeError:
        return None


def _certifications(value: Iterable[Certification]) -> tuple[Certification, ...]:
    if value == ():
        return ()
    items = _records_of(value, Certification, "certifications")
    return tuple(sorted(items, key=lambda c: c.kind))


def _finances(value: Iterable[FiscalYear]) -> tuple[FiscalYear, ...]:
    if value == ():
        return ()
    items = _records_of(value, FiscalYear, "finances")
    return tuple(sorted(items, key=lambda fy: fy.year))


_SECTIONS: list[tuple[str, type]] = []


def _record_problems(org: Any) -> list[FieldError]:
    """The sections of *org* (governance, purpose...) that are not their records."""
    if not _SECTIONS:
        for f in attrs.fields(type(org)):
            factory = getattr(f.default, "factory", None)
            if isinstance(factory, type) and attrs.has(factory):
                _SECTIONS.append((f.name, factory))
    out = []
    for name, factory in _SECTIONS:
        value = getattr(org, name)
        if value.__class__ is not factory and not isinstance(value, factory):
            message = (
                f"expected a {factory.__name__}, got {type(value).__name__} "
                "(structure(data, Organisation) reads mappings)"
            )
            out.append(FieldError(name, message))
    return out


@attrs.frozen
class Organisation:
    """Everything known about one organisation; any fact may be ``None`` (unknown).

    *country* is an ISO 3166-1 alpha-2 code, or unknown (``None``: a national profile
    then cannot say whether the organisation is within its territory); *legal_form* a code of
    :func:`~sse_model.legal_forms` such as ``vn/jsc``: the legal *vehicle*. *family*
    is what the organisation *is* (a co-operative, a mutual...), whatever its vehicle: a
    co-operative incorporated as a company is a co-operative when the data says so. Left
    unknown, the family is presumed from the legal form when the form's law makes it
    exactly one family (a rebuttable, cited presumption: see
    :func:`~sse_model.presume`); a given family that differs from it is reported as an
    inconsistency on the classification, not rejected.
    """

    id: str = text("the organisation's identifier in the register", required=True)
    name: str = text("the organisation's name", required=True)
    country: str | None = code(
        "ISO 3166-1 alpha-2 country code", values="ISO 3166-1 alpha-2 code", fact=True
    )
    subdivision: str | None = code(
        "ISO 3166-2 subdivision code, e.g. CA-QC",
        values="ISO 3166-2 code (`CA-QC`)",
        fact=True,
        needs=("country",),
    )
    legal_form: str | None = code(
        "national legal form code, e.g. vn/jsc",
        values="a code of `sse_model.legal_forms()`",
        fact=True,
    )
    family: EntityFamily | None = choice(EntityFamily, "entity family", also=("legal_form",))
    registration: Registration = attrs.field(factory=Registration)
    purpose: Purpose = attrs.field(factory=Purpose)
    governance: Governance = attrs.field(factory=Governance)
    membership: Membership = attrs.field(factory=Membership)
    statutes: Statutes = attrs.field(factory=Statutes)
    workforce: Workforce = attrs.field(factory=Workforce)
    work: Work = attrs.field(factory=Work)
    beneficiaries: Beneficiaries = attrs.field(factory=Beneficiaries)
    finances: tuple[FiscalYear, ...] = attrs.field(default=(), converter=_finances)
    #: in the order of their kinds (the order they were given in carries no meaning)
    certifications: tuple[Certification, ...] = attrs.field(default=(), converter=_certifications)
    #: True when *certifications* lists every status the organisation holds, so an
    #: absent certification is known to be absent; otherwise absence is unknown.
    certifications_complete: bool | None = flag(
        "the certifications listed are all the organisation holds", fact=False
    )

    def __repr__(self) -> str:
        form = f", legal_form={self.legal_form!r}" if self.legal_form else ""
        return f"Organisation(id={self.id!r}, name={self.name!r}, country={self.country!r}{form})"

    def _repr_html_(self) -> str:
        from .._engine._html import organisation_html

        return organisation_html(self)

    def to_html(self, lang: str | None = None) -> str:
        """The HTML a notebook shows, the family and legal form named in *lang*."""
        from .._engine._html import organisation_html

        return organisation_html(self, lang)

    def __attrs_post_init__(self) -> None:
        from ._codes import check_country, check_subdivision

        problems: list[FieldError] = convert(self)
        problems.extend(_record_problems(self))
        if problems:  # the checks below need values of their fields' classes
            _raise(f"organisation {self.id!r}", problems)
        if not self.id.strip():
            problems.append(FieldError("id", f"expected a non-blank identifier, got {self.id!r}"))
        problems.extend(needs_problems(self))
        msg = None if self.country is None else check_country(self.country)
        if msg:
            problems.append(FieldError("country", msg))
        elif self.subdivision is not None and self.country is not None:
            msg = check_subdivision(self.country, self.subdivision)
            if msg:
                problems.append(FieldError("subdivision", msg))
        if self.legal_form is not None and self.legal_form not in form_codes():
            problems.append(
                FieldError(
                    "legal_form",
                    f"expected a known legal form code such as 'vn/jsc', got {self.legal_form!r}",
                )
            )
        years = [fy.year for fy in self.finances]
        if len(set(years)) != len(years):
            problems.append(FieldError("finances", f"expected one entry per year, got {years}"))
        _raise(f"organisation {self.id!r}", problems)

    def fiscal_year(self, year: int | None = None) -> FiscalYear | None:
        """The accounts of *year*, or of the latest year known if *year* is None."""
        if not self.finances:
            return None
        if year is None:
            return self.finances[-1]
        for fy in self.finances:
            if fy.year == year:
                return fy
        return None
