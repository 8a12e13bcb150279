"""What a classifier needs to know about an organisation.

Every fact may be unknown (``None``); unknown is never turned into zero or false.
Consistency checks a careful analyst would make run when a record is built and
report every problem at once, with its field path.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from fractions import Fraction

import attrs

from .._errors import FieldError, InvalidInput
from ._forms import EntityFamily, form_table
from ._units import Hours, Money, sum_decimals

__all__ = [
    "Beneficiaries",
    "Certification",
    "FiscalYear",
    "Governance",
    "Membership",
    "Organisation",
    "ProfitRule",
    "Purpose",
    "PurposeType",
    "Registration",
    "ResidualAssets",
    "Statutes",
    "Undefined",
    "VotingRule",
    "Workforce",
]


@attrs.frozen
class Undefined:
    """A derived value that does not exist, e.g. the reinvested share of a loss.

    It is not unknown (knowing more will not define it) and it is not zero.
    """

    reason: str

    def __str__(self) -> str:
        return f"undefined ({self.reason})"


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


def _share_ok(value: Fraction | None) -> bool:
    return value is None or 0 <= value <= 1


def _shares(record: object, names: Iterable[str], problems: list[FieldError]) -> None:
    for name in names:
        value = getattr(record, name)
        if not _share_ok(value):
            problems.append(FieldError(name, f"expected a share between 0 and 100 %, got {value}"))


def _raise(what: str, problems: list[FieldError]) -> None:
    if problems:
        raise InvalidInput(what, problems)


def _ratio(num: Money | None, den: Money | None, if_zero: Undefined) -> Derived:
    if num is None or den is None:
        return None
    if den.amount <= 0:
        return if_zero
    return num.ratio(den)


@attrs.frozen
class Registration:
    """Where and under which law the organisation is registered."""

    law: str | None = None
    registry: str | None = None
    number: str | None = None
    registered_on: date | None = None
    deregistered_on: date | None = None
    #: registered as a charity (charities cannot be, e.g., UK CICs)
    charity: bool | None = None


@attrs.frozen
class Purpose:
    """Stated purpose and registered commitments."""

    social: bool | None = None
    environmental: bool | None = None
    general_interest: bool | None = None
    #: serves members' common needs: self-help, mutual benefit
    mutual_benefit: bool | None = None
    #: produces or sells goods or services (an economic activity)
    economic_activity: bool | None = None
    #: the primary purpose(s), in the closed :class:`PurposeType` vocabulary
    primary: frozenset[PurposeType] | None = None
    #: a written commitment to social/environmental objectives is registered
    commitment_registered: bool | None = None


@attrs.frozen
class Governance:
    """Who decides, and who could control the organisation."""

    members: int | None = None
    voting_rule: VotingRule | None = None
    largest_member_capital_share: Fraction | None = None
    largest_member_vote_share: Fraction | None = None
    foreign_capital_share: Fraction | None = None
    #: workers, users or other stakeholders take part in decisions
    stakeholder_participation: bool | None = None
    #: share of board seats appointed by public bodies
    public_board_share: Fraction | None = None
    #: share of board seats appointed by for-profit firms
    for_profit_board_share: Fraction | None = None
    controlled_by_public_body: bool | None = None
    controlled_by_for_profit: bool | None = None
    listed_on_market: bool | None = None
    #: the only shareholder or member is one natural person
    single_natural_person_owner: bool | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[FieldError] = []
        _shares(
            self,
            (
                "largest_member_capital_share",
                "largest_member_vote_share",
                "foreign_capital_share",
                "public_board_share",
                "for_profit_board_share",
            ),
            problems,
        )
        _raise("governance", problems)


@attrs.frozen
class Membership:
    """How people join and leave."""

    voluntary: bool | None = None
    open: bool | None = None
    founding_members: int | None = None
    #: activities benefit only members (or one employer's staff)
    members_only_benefit: bool | None = None


@attrs.frozen
class Statutes:
    """What the articles of association say (statutory clauses)."""

    profit_rule: ProfitRule | None = None
    asset_lock: bool | None = None
    residual_assets: ResidualAssets | None = None
    reserves_indivisible: bool | None = None
    democratic_governance: bool | None = None
    #: the articles contain every clause the applicable law requires of them
    required_clauses: bool | None = None


@attrs.frozen
class Workforce:
    """Paid workers, volunteers and pay."""

    paid_workers: int | None = None
    vulnerable_workers: int | None = None
    women_workers: int | None = None
    volunteers: int | None = None
    volunteer_hours: Hours | None = None
    #: annual full-time-equivalent pay of the best-paid person
    highest_pay: Money | None = None
    #: average annual full-time-equivalent pay of the five best-paid persons
    top5_average_pay: Money | None = None
    lowest_pay: Money | None = None
    vulnerable_worker_share: Derived = attrs.field(init=False, eq=False, repr=False)
    vulnerable_to_other_ratio: Derived = attrs.field(init=False, eq=False, repr=False)
    pay_ratio: Derived = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[FieldError] = []
        for name in ("vulnerable_workers", "women_workers"):
            n = getattr(self, name)
            if n is not None and self.paid_workers is not None and n > self.paid_workers:
                problems.append(
                    FieldError(
                        name,
                        f"expected at most paid_workers ({self.paid_workers}), got {n}",
                    )
                )
        if self.volunteer_hours is not None and self.volunteer_hours < 0:
            problems.append(
                FieldError("volunteer_hours", f"expected hours >= 0, got {self.volunteer_hours}")
            )
        pays = [p for p in (self.highest_pay, self.top5_average_pay, self.lowest_pay) if p]
        if len({p.currency for p in pays}) > 1:
            problems.append(FieldError("lowest_pay", "expected all pay amounts in one currency"))
        elif self.highest_pay is not None:
            for name in ("top5_average_pay", "lowest_pay"):
                p = getattr(self, name)
                if p is not None and p.amount > self.highest_pay.amount:
                    problems.append(
                        FieldError(name, f"expected at most highest_pay ({self.highest_pay})")
                    )
        _raise("workforce", problems)
        share: Derived = None
        if self.vulnerable_workers is not None and self.paid_workers is not None:
            share = (
                Fraction(self.vulnerable_workers, self.paid_workers)
                if self.paid_workers
                else NO_WORKERS
            )
        object.__setattr__(self, "vulnerable_worker_share", share)
        other: Derived = None
        if self.vulnerable_workers is not None and self.paid_workers is not None:
            rest = self.paid_workers - self.vulnerable_workers
            other = (
                Fraction(self.vulnerable_workers, rest) if rest else Undefined("no other workers")
            )
        object.__setattr__(self, "vulnerable_to_other_ratio", other)
        ratio: Derived = None
        if self.highest_pay is not None and self.lowest_pay is not None:
            ratio = _ratio(self.highest_pay, self.lowest_pay, NO_WORKERS)
        object.__setattr__(self, "pay_ratio", ratio)


@attrs.frozen
class Beneficiaries:
    """The people the organisation serves."""

    total: int | None = None
    vulnerable: int | None = None
    vulnerable_share: Derived = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.total is not None and self.vulnerable is not None:
            if self.vulnerable > self.total:
                raise InvalidInput(
                    "beneficiaries",
                    [FieldError("vulnerable", f"expected at most total ({self.total})")],
                )
            share: Derived = Fraction(self.vulnerable, self.total) if self.total else None
            object.__setattr__(self, "vulnerable_share", share)
        else:
            object.__setattr__(self, "vulnerable_share", None)


_FY_AMOUNTS = (
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
    "reinvested",
    "to_reserves",
    "dividends",
    "patronage_refunds",
    "share_capital",
    "reserves",
)
_NON_NEGATIVE = tuple(
    n
    for n in _FY_AMOUNTS
    if n not in ("profit_before_tax", "profit_after_tax", "distributable_profit")
)


#: Fiscal years outside this range are rejected (four-digit years).
MIN_YEAR, MAX_YEAR = 1000, 9999


@attrs.frozen
class FiscalYear:
    """The accounts of one fiscal year, all amounts in one currency.

    The allocation of the year's after-tax profit is split into disjoint parts:
    *reinvested* (in the activity or the registered objectives), *to_reserves*,
    *dividends* (on capital) and *patronage_refunds* (pro rata to members'
    transactions or work). Derived shares are computed exactly from these raw
    amounts; in a loss year they are :class:`Undefined`, never negative.
    """

    year: int
    revenue: Money | None = None
    revenue_from_sales: Money | None = None
    revenue_from_general_interest: Money | None = None
    grants_and_donations: Money | None = None
    labour_costs: Money | None = None
    operating_expenses: Money | None = None
    social_purpose_expenses: Money | None = None
    profit_before_tax: Money | None = None
    profit_after_tax: Money | None = None
    distributable_profit: Money | None = None
    reinvested: Money | None = None
    to_reserves: Money | None = None
    dividends: Money | None = None
    patronage_refunds: Money | None = None
    #: dividend paid on paid-in capital, as a rate
    dividend_rate: Fraction | None = None
    #: paid-in share capital at the end of the year
    share_capital: Money | None = None
    #: total reserves (legal and statutory) at the end of the year
    reserves: Money | None = None

    reinvested_share: Derived = attrs.field(init=False, eq=False, repr=False)
    reinvested_share_before_tax: Derived = attrs.field(init=False, eq=False, repr=False)
    retained_share: Derived = attrs.field(init=False, eq=False, repr=False)
    distributed_share: Derived = attrs.field(init=False, eq=False, repr=False)
    reserve_share: Derived = attrs.field(init=False, eq=False, repr=False)
    dividends_of_distributable: Derived = attrs.field(init=False, eq=False, repr=False)
    patronage_share_of_distributions: Derived = attrs.field(init=False, eq=False, repr=False)
    reserves_to_capital: Derived = attrs.field(init=False, eq=False, repr=False)
    pays_dividends: bool | None = attrs.field(init=False, eq=False, repr=False)
    distributable_to_purpose_share: Derived = attrs.field(init=False, eq=False, repr=False)
    sales_share: Derived = attrs.field(init=False, eq=False, repr=False)
    general_interest_share: Derived = attrs.field(init=False, eq=False, repr=False)
    sales_to_labour_costs: Derived = attrs.field(init=False, eq=False, repr=False)
    social_purpose_expense_share: Derived = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[FieldError] = []
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            # no check against today: validation must not depend on when it runs
            problems.append(
                FieldError(
                    "year", f"expected a year from {MIN_YEAR} to {MAX_YEAR}, got {self.year}"
                )
            )
        amounts = {n: getattr(self, n) for n in _FY_AMOUNTS if getattr(self, n) is not None}
        currencies = {m.currency for m in amounts.values()}
        if len(currencies) > 1:
            first = next(iter(amounts.values())).currency
            problems.extend(
                FieldError(
                    n,
                    f"expected an amount in {first} like the rest of fiscal year {self.year}, "
                    f"got '{m}' (currencies are never converted)",
                )
                for n, m in amounts.items()
                if m.currency != first
            )
            raise InvalidInput(f"fiscal year {self.year}", problems)
        problems.extend(
            FieldError(n, f"expected an amount >= 0, got '{amounts[n]}'")
            for n in _NON_NEGATIVE
            if n in amounts and amounts[n].amount < 0
        )
        if self.dividend_rate is not None and self.dividend_rate < 0:
            problems.append(
                FieldError("dividend_rate", f"expected a rate >= 0, got {self.dividend_rate}")
            )
        rev = self.revenue
        if rev is not None:
            problems.extend(
                FieldError(n, f"expected at most revenue ('{rev}'), got '{amounts[n]}'")
                for n in ("revenue_from_sales", "revenue_from_general_interest")
                if n in amounts and amounts[n].amount > rev.amount
            )
        opex, spent = self.operating_expenses, self.social_purpose_expenses
        if opex is not None and spent is not None and spent.amount > opex.amount:
            problems.append(
                FieldError(
                    "social_purpose_expenses",
                    f"expected at most operating_expenses ('{opex}')",
                )
            )
        pat = self.profit_after_tax
        parts = [
            amounts[n]
            for n in ("reinvested", "to_reserves", "dividends", "patronage_refunds")
            if n in amounts
        ]
        if pat is not None and pat.amount > 0 and parts:
            allocated = sum_decimals(p.amount for p in parts)  # the library's context, exact
            if allocated > pat.amount:
                problems.append(
                    FieldError(
                        "reinvested",
                        f"expected reinvested + to_reserves + dividends + patronage_refunds "
                        f"at most profit_after_tax ('{pat}'), got {allocated} {pat.currency}",
                    )
                )
        _raise(f"fiscal year {self.year}", problems)

        s = object.__setattr__
        s(self, "reinvested_share", _ratio(self.reinvested, pat, NO_PROFIT))
        s(
            self,
            "reinvested_share_before_tax",
            _ratio(self.reinvested, self.profit_before_tax, NO_PROFIT),
        )
        retained = (
            self.reinvested + self.to_reserves
            if self.reinvested is not None and self.to_reserves is not None
            else None
        )
        s(self, "retained_share", _ratio(retained, pat, NO_PROFIT))
        s(self, "distributed_share", _ratio(self.dividends, pat, NO_PROFIT))
        s(self, "reserve_share", _ratio(self.to_reserves, pat, NO_PROFIT))
        s(
            self,
            "dividends_of_distributable",
            _ratio(self.dividends, self.distributable_profit, NO_PROFIT),
        )
        distributions = (
            self.dividends + self.patronage_refunds
            if self.dividends is not None and self.patronage_refunds is not None
            else None
        )
        s(
            self,
            "patronage_share_of_distributions",
            _ratio(
                self.patronage_refunds,
                distributions,
                Undefined("no distributions in the fiscal year"),
            ),
        )
        s(
            self,
            "reserves_to_capital",
            _ratio(self.reserves, self.share_capital, Undefined("no share capital")),
        )
        s(self, "pays_dividends", None if self.dividends is None else self.dividends.amount > 0)
        to_purpose = (
            self.distributable_profit - self.dividends
            if self.distributable_profit is not None and self.dividends is not None
            else None
        )
        s(
            self,
            "distributable_to_purpose_share",
            _ratio(to_purpose, self.distributable_profit, NO_PROFIT)
            if to_purpose is None or to_purpose.amount >= 0
            else Fraction(0),
        )
        s(self, "sales_share", _ratio(self.revenue_from_sales, rev, NO_REVENUE))
        s(
            self,
            "general_interest_share",
            _ratio(self.revenue_from_general_interest, rev, NO_REVENUE),
        )
        s(
            self,
            "sales_to_labour_costs",
            _ratio(self.revenue_from_sales, self.labour_costs, NO_COSTS),
        )
        s(
            self,
            "social_purpose_expense_share",
            _ratio(self.social_purpose_expenses, self.operating_expenses, NO_COSTS),
        )


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


def _finances(value: Iterable[FiscalYear]) -> tuple[FiscalYear, ...]:
    return tuple(sorted(value, key=lambda fy: fy.year))


@attrs.frozen
class Organisation:
    """Everything known about one organisation; any fact may be ``None`` (unknown).

    *country* is an ISO 3166-1 alpha-2 code; *legal_form* a code of
    :func:`~sse_model.legal_forms` such as ``vn/jsc``: the legal *vehicle*. *family*
    is what the organisation *is* (a co-operative, a mutual...), whatever its vehicle: a
    co-operative incorporated as a company is a co-operative when the data says so. Left
    unknown, the family is presumed from the legal form when the form's law makes it
    exactly one family (a rebuttable, cited presumption: see
    :func:`~sse_model.presume`); a given family that differs from it is reported as an
    inconsistency on the classification, not rejected.
    """

    id: str
    name: str
    country: str
    subdivision: str | None = None
    legal_form: str | None = None
    family: EntityFamily | None = None
    registration: Registration = attrs.field(factory=Registration)
    purpose: Purpose = attrs.field(factory=Purpose)
    governance: Governance = attrs.field(factory=Governance)
    membership: Membership = attrs.field(factory=Membership)
    statutes: Statutes = attrs.field(factory=Statutes)
    workforce: Workforce = attrs.field(factory=Workforce)
    beneficiaries: Beneficiaries = attrs.field(factory=Beneficiaries)
    finances: tuple[FiscalYear, ...] = attrs.field(default=(), converter=_finances)
    certifications: tuple[Certification, ...] = ()
    #: True when *certifications* lists every status the organisation holds, so an
    #: absent certification is known to be absent; otherwise absence is unknown.
    certifications_complete: bool | None = None

    def __repr__(self) -> str:
        form = f", legal_form={self.legal_form!r}" if self.legal_form else ""
        return f"Organisation(id={self.id!r}, name={self.name!r}, country={self.country!r}{form})"

    def _repr_html_(self) -> str:
        from .._engine._html import organisation_html

        return organisation_html(self)

    def __attrs_post_init__(self) -> None:
        from ._codes import check_country, check_subdivision

        problems: list[FieldError] = []
        if not self.id.strip():
            problems.append(FieldError("id", f"expected a non-blank identifier, got {self.id!r}"))
        msg = check_country(self.country)
        if msg:
            problems.append(FieldError("country", msg))
        elif self.subdivision is not None:
            msg = check_subdivision(self.country, self.subdivision)
            if msg:
                problems.append(FieldError("subdivision", msg))
        if self.legal_form is not None:
            form = form_table().get(self.legal_form)
            if form is None:
                problems.append(
                    FieldError(
                        "legal_form",
                        f"expected a known legal form code such as 'vn/jsc', "
                        f"got {self.legal_form!r}",
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
