"""What the SSE contributes: indicators over the organisations of a register that
qualify (or may qualify) under a profile.

Each indicator is declared once (:data:`INDICATORS`): what it counts, its formula,
unit, source and how sure the source is; the computation, the tidy table, the CLI
and the generated definition page (``docs/generated/indicators.md``) read the
declarations. Missing data is never imputed: every value comes with its coverage
(the share of organisations, and of persons, that reported it) and with bounds that
assume nothing about what was not reported (worst cases, in the manner of Manski).

Two kinds need more than one register's facts: a representation ratio compares a share
with the national share the user gives (``benchmarks=``), and the formalisation of units
(:func:`formalisation`) joins an earlier register and a later one by organisation id.

The computation runs on columns: the register is classified chunk by chunk (the
columnar lane), the inputs ride along as kept columns, each chunk is reduced to sums
per group, and the sums of all chunks are added at the end; memory holds one chunk
and the groups.
"""

from __future__ import annotations

import enum
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import FieldError, InvalidInput
from ._model._declare import Kind

if TYPE_CHECKING:
    import pyarrow as pa

    from ._engine._profile import Profile
    from ._io._batch import RegisterResult, RegisterSummary

__all__ = [
    "INDICATORS",
    "Indicator",
    "IndicatorKind",
    "IndicatorTable",
    "formalisation",
    "indicator_inputs",
    "indicators",
]

#: the status of a definition: taken as is from an adopted statistical standard, or
#: assembled by this library from adopted concepts (no SSE statistics standard exists
#: yet: the ILO aims at the 22nd ICLS, 2028)
ADOPTED, PROPOSAL = "adopted standard", "proposal of this library"

#: the verdict groups, in the order rows are given
VERDICT_ORDER = ("qualifies", "undetermined", "does_not_qualify")


class IndicatorKind(enum.Enum):
    """How an indicator is computed from its inputs."""

    ENTITIES = "entities"  #: the number of organisations
    SUM = "sum"  #: a sum of a count (or hours) over organisations
    SHARE = "share"  #: sum of a part over the sum of its whole (persons)
    RATE = "rate"  #: sum of events per so many of a whole (injuries per 100,000)
    ENTITY_SHARE = "entity_share"  #: the share of organisations with a property
    #: a share over the national share the user gives (a benchmark): computed only when
    #: ``benchmarks=`` names the share (:attr:`Indicator.of`)
    REPRESENTATION = "representation"
    #: organisations whose choice column moved from one value at an earlier date to
    #: another at a later one: two registers joined by id (:func:`formalisation`)
    TRANSITION_COUNT = "transition_count"
    #: those organisations among those that had the earlier value (:func:`formalisation`)
    TRANSITION_SHARE = "transition_share"
    #: a sum of amounts over a sum of hours (average hourly earnings), in one currency
    MEAN = "mean"
    #: one such mean against another: (mean - the other) / mean (the gender pay gap)
    GAP = "gap"


#: the kinds computed from two registers (:func:`formalisation`), not by :func:`indicators`
TRANSITIONS = frozenset({IndicatorKind.TRANSITION_COUNT, IndicatorKind.TRANSITION_SHARE})


@attrs.frozen
class Indicator:
    """The declaration of one indicator: every output, check and page reads it."""

    #: a stable identifier (a column value of the tidy table)
    id: str
    name: str
    kind: IndicatorKind
    #: the formula, for people
    formula: str
    unit: str
    #: the definition's source, cited
    source: str
    #: ``adopted standard`` or ``proposal of this library``
    status: str
    #: how sure the research notes are of the concept in the cited source:
    #: ``verified`` (read in the source), ``secondary`` (seen in a summary or known
    #: from the literature; check it) or ``proposal`` (no source defines it so)
    confidence: str
    #: the contributions it measures (QJ quality jobs, INC inclusion, FOR formalisation,
    #: JT just transition, SIZE size), and its row in the research notes
    contribution: tuple[str, ...]
    basis: str
    #: the flat column counted (the part of a share, the events of a rate)
    num: str | None = None
    #: the flat column it is a share of, or a rate per
    den: str | None = None
    #: a column a sum's unknown values cannot exceed (its upper bound)
    cap: str | None = None
    #: the value an organisation-share counts (of a choice or yes/no column)
    equals: str | None = None
    #: a rate's multiplier (per 100,000)
    per: int = 1
    #: the share a representation ratio compares with its benchmark (its id)
    of: str | None = None
    #: a transition's value at the earlier date (``equals`` is the one at the later)
    before: str | None = None
    #: the flat column that dates a transition's values (each register's own)
    at: str | None = None
    #: the persons a mean is over: none of them (zero) makes it not applicable, and
    #: the person coverage counts them
    persons: str | None = None
    #: the amount and the hours of the mean a gap compares with (``num / den``)
    versus: tuple[str, str] | None = None
    #: counts whose zero makes a mean or a gap not applicable (no such persons)
    none_if: tuple[str, ...] = ()

    @property
    def inputs(self) -> tuple[str, ...]:
        """The flat columns it reads."""
        named = (self.num, self.den, self.cap, self.at, self.persons, *(self.versus or ()))
        return tuple(dict.fromkeys([*(c for c in named if c is not None), *self.none_if]))

    @property
    def amounts(self) -> bool:
        """Whether it reads amounts of money (and so each row's currency)."""
        return self.kind in (IndicatorKind.MEAN, IndicatorKind.GAP)


def _i(**kw: Any) -> Indicator:
    return Indicator(**kw)


_DWI = (
    "ILO, Decent Work Indicators: Guidelines for producers and users of statistical and "
    "legal framework indicators, 2nd version (2013)"
)
_WR = "Resolution concerning statistics on work relationships, 20th ICLS (2018)"
_COOP = "Guidelines concerning statistics of cooperatives, 20th ICLS (2018)"
_ICLS21 = "Resolution concerning statistics on the informal economy, 21st ICLS (2023)"
_ILC_INCLUSION = "ILC Resolution concerning decent work and the SSE (2022) (inclusion)"
_SDG851 = (
    "SDG indicator 8.5.1 metadata (custodian ILO): average hourly earnings of employees, by sex"
)

#: every indicator, in the order of the tables
_OBSERVED: tuple[Indicator, ...] = (
    _i(
        id="entities",
        name="organisations",
        kind=IndicatorKind.ENTITIES,
        formula="number of organisations in the group",
        unit="organisations",
        source=f"{_COOP} (number of cooperatives); OECD SSE country fact sheets",
        status=PROPOSAL,
        confidence="verified",
        contribution=("SIZE",),
        basis="R01",
    ),
    _i(
        id="employees",
        name="employees",
        kind=IndicatorKind.SUM,
        formula="sum of work.employees",
        unit="persons",
        source=f"{_WR} (ICSE-18 employees); {_COOP} (employment in cooperatives)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("SIZE", "QJ"),
        basis="R02",
        num="work.employees",
    ),
    _i(
        id="members",
        name="members",
        kind=IndicatorKind.SUM,
        formula="sum of governance.members",
        unit="persons",
        source=f"{_COOP} (number of members)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("SIZE", "INC"),
        basis="R14",
        num="governance.members",
    ),
    _i(
        id="producer_members",
        name="producer members",
        kind=IndicatorKind.SUM,
        formula="sum of governance.producer_members (at most governance.members each)",
        unit="persons",
        source=f"{_COOP} (types by member interest; work within the scope of cooperatives)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("FOR", "SIZE"),
        basis="R16",
        num="governance.producer_members",
        cap="governance.members",
    ),
    _i(
        id="worker_members",
        name="worker members",
        kind=IndicatorKind.SUM,
        formula="sum of governance.worker_members (at most governance.members each)",
        unit="persons",
        source=f"{_COOP} (types by member interest: worker cooperatives)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("QJ", "SIZE"),
        basis="C2",
        num="governance.worker_members",
        cap="governance.members",
    ),
    _i(
        id="user_members",
        name="consumer or user members",
        kind=IndicatorKind.SUM,
        formula="sum of governance.user_members (at most governance.members each)",
        unit="persons",
        source=f"{_COOP} (types by member interest: consumer/user cooperatives)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("INC", "SIZE"),
        basis="C2",
        num="governance.user_members",
        cap="governance.members",
    ),
    _i(
        id="dependent_contractors",
        name="dependent contractors",
        kind=IndicatorKind.SUM,
        formula="sum of work.dependent_contractors",
        unit="persons",
        source=f"{_WR} (ICSE-18: dependent contractors)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("QJ", "FOR"),
        basis="L2",
        num="work.dependent_contractors",
    ),
    _i(
        id="contributing_family_workers",
        name="contributing family workers",
        kind=IndicatorKind.SUM,
        formula="sum of work.contributing_family_workers",
        unit="persons",
        source=f"{_WR} (ICSE-18: contributing family workers)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("QJ", "FOR"),
        basis="L2",
        num="work.contributing_family_workers",
    ),
    _i(
        id="volunteer_hours",
        name="hours of volunteer work",
        kind=IndicatorKind.SUM,
        formula="sum of workforce.volunteer_hours",
        unit="hours",
        source=(
            "Resolution concerning statistics of work, employment and labour "
            "underutilization, 19th ICLS (2013) (volunteer work); UN Satellite Account on "
            "Non-profit and Related Institutions and Volunteer Work (2018)"
        ),
        status=PROPOSAL,
        confidence="verified",
        contribution=("SIZE", "INC"),
        basis="R18",
        num="workforce.volunteer_hours",
    ),
    _i(
        id="social_insurance_rate",
        name="employees covered by employment-related social insurance",
        kind=IndicatorKind.SHARE,
        formula="sum of work.insured_employees / sum of work.employees",
        unit="share of employees",
        source=(
            f"{_WR} (job-dependent social protection); Resolution concerning statistics on "
            f"the informal economy, 21st ICLS (2023); {_DWI} (social security)"
        ),
        status=PROPOSAL,
        confidence="verified",
        contribution=("QJ", "FOR"),
        basis="R04",
        num="work.insured_employees",
        den="work.employees",
    ),
    _i(
        id="paid_annual_leave_rate",
        name="employees entitled to paid annual leave",
        kind=IndicatorKind.SHARE,
        formula="sum of work.annual_leave_employees / sum of work.employees",
        unit="share of employees",
        source=f"{_WR} (access to paid annual leave)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("QJ", "FOR"),
        basis="R05",
        num="work.annual_leave_employees",
        den="work.employees",
    ),
    _i(
        id="paid_sick_leave_rate",
        name="employees entitled to paid sick leave",
        kind=IndicatorKind.SHARE,
        formula="sum of work.sick_leave_employees / sum of work.employees",
        unit="share of employees",
        source=f"{_WR} (access to paid sick leave)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("QJ", "FOR"),
        basis="R05",
        num="work.sick_leave_employees",
        den="work.employees",
    ),
    _i(
        id="temporary_employment_rate",
        name="employees on temporary or casual work",
        kind=IndicatorKind.SHARE,
        formula="sum of work.temporary_employees / sum of work.employees",
        unit="share of employees",
        source=f"{_DWI} (stability and security of work: precarious work)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("QJ",),
        basis="R06",
        num="work.temporary_employees",
        den="work.employees",
    ),
    _i(
        id="below_minimum_wage_rate",
        name="employees paid below the applicable minimum wage",
        kind=IndicatorKind.SHARE,
        formula="sum of work.below_minimum_wage_employees / sum of work.employees",
        unit="share of employees",
        source=f"{_DWI} (adequate earnings); the national minimum-wage law of each place",
        status=PROPOSAL,
        confidence="proposal",
        contribution=("QJ",),
        basis="R07",
        num="work.below_minimum_wage_employees",
        den="work.employees",
    ),
    _i(
        id="excessive_hours_rate",
        name="employees usually working more than 48 hours a week",
        kind=IndicatorKind.SHARE,
        formula="sum of work.long_hours_employees / sum of work.employees",
        unit="share of employees",
        source=f"{_DWI} (decent working time: excessive time)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("QJ",),
        basis="R10",
        num="work.long_hours_employees",
        den="work.employees",
    ),
    _i(
        id="fatal_injury_rate",
        name="fatal occupational injuries per 100,000 employees",
        kind=IndicatorKind.RATE,
        formula="100,000 x sum of work.fatal_injuries / sum of work.employees (the employees "
        "on the reference date stand in for SDG 8.8.1's average number of workers)",
        unit="injuries per 100,000 employees a year",
        source="SDG indicator 8.8.1 (custodian ILO); 16th ICLS resolution (1998)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("QJ",),
        basis="R11",
        num="work.fatal_injuries",
        den="work.employees",
        per=100_000,
    ),
    _i(
        id="nonfatal_injury_rate",
        name="non-fatal occupational injuries per 100,000 employees",
        kind=IndicatorKind.RATE,
        formula="100,000 x sum of work.nonfatal_injuries / sum of work.employees (the "
        "employees on the reference date stand in for SDG 8.8.1's average number of workers)",
        unit="injuries per 100,000 employees a year",
        source="SDG indicator 8.8.1 (custodian ILO); 16th ICLS resolution (1998)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("QJ",),
        basis="R11",
        num="work.nonfatal_injuries",
        den="work.employees",
        per=100_000,
    ),
    _i(
        id="women_employees_share",
        name="women among employees",
        kind=IndicatorKind.SHARE,
        formula="sum of work.women_employees / sum of work.employees",
        unit="share of employees",
        source=f"{_DWI} (equal opportunity and treatment in employment)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("INC",),
        basis="R13",
        num="work.women_employees",
        den="work.employees",
    ),
    _i(
        id="women_members_share",
        name="women among members",
        kind=IndicatorKind.SHARE,
        formula="sum of governance.women_members / sum of governance.members",
        unit="share of members",
        source=f"{_COOP} (members by sex)",
        status=PROPOSAL,
        confidence="proposal",
        contribution=("INC",),
        basis="R13",
        num="governance.women_members",
        den="governance.members",
    ),
    _i(
        id="women_board_share",
        name="women's seats on governing bodies",
        kind=IndicatorKind.SHARE,
        formula="sum of governance.women_board_seats / sum of governance.board_seats",
        unit="share of seats",
        source="SDG indicator 5.5.2 (analogue for governing bodies)",
        status=PROPOSAL,
        confidence="proposal",
        contribution=("INC",),
        basis="R13",
        num="governance.women_board_seats",
        den="governance.board_seats",
    ),
    _i(
        id="women_managers_share",
        name="women among managers",
        kind=IndicatorKind.SHARE,
        formula="sum of work.women_managers / sum of work.managers",
        unit="share of managers",
        source="SDG indicator 5.5.2 (women in managerial positions, ISCO-08 group 1)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("INC",),
        basis="R13",
        num="work.women_managers",
        den="work.managers",
    ),
    _i(
        id="disadvantaged_workers_share",
        name="workers from vulnerable or disadvantaged groups",
        kind=IndicatorKind.SHARE,
        formula="sum of workforce.vulnerable_workers / sum of workforce.paid_workers",
        unit="share of paid workers",
        source=(
            f"{_ILC_INCLUSION}; the "
            "groups as each national law names them (KR SE Promotion Decree Art. 2, TH SE "
            "Promotion Act s.5)"
        ),
        status=PROPOSAL,
        confidence="proposal",
        contribution=("INC",),
        basis="R12",
        num="workforce.vulnerable_workers",
        den="workforce.paid_workers",
    ),
    *(
        _i(
            id=f"{group}_employees_share",
            name=f"employees {who}",
            kind=IndicatorKind.SHARE,
            formula=f"sum of work.{group}_employees / sum of work.employees",
            unit="share of employees",
            source=f"{_ILC_INCLUSION}; {standard}",
            status=PROPOSAL,
            confidence="proposal",
            contribution=("INC",),
            basis="R12, F07",
            num=f"work.{group}_employees",
            den="work.employees",
        )
        for group, who, standard in (
            ("young", "aged 15 to 24", "youth as the ILO counts it (15 to 24)"),
            ("older", "aged 55 or over", "older workers (55 or over)"),
            (
                "disabled",
                "with a disability",
                "disability as the Washington Group short set of questions identifies it",
            ),
        )
    ),
    _i(
        id="formal_sector_share",
        name="organisations in the formal sector",
        kind=IndicatorKind.ENTITY_SHARE,
        formula="organisations with work.sector = formal / organisations",
        unit="share of organisations",
        source="Resolution concerning statistics on the informal economy, 21st ICLS (2023)",
        status=PROPOSAL,
        confidence="verified",
        contribution=("FOR",),
        basis="R15",
        num="work.sector",
        equals="formal",
    ),
    _i(
        id="green_jobs_share",
        name="green jobs",
        kind=IndicatorKind.SHARE,
        formula="sum of work.green_jobs / sum of work.employees",
        unit="share of employees",
        source=(
            "Guidelines concerning a statistical definition of employment in the "
            "environmental sector, 19th ICLS (2013)"
        ),
        status=PROPOSAL,
        confidence="verified",
        contribution=("JT", "QJ"),
        basis="R17",
        num="work.green_jobs",
        den="work.employees",
    ),
    _i(
        id="environmental_purpose_share",
        name="organisations with an environmental objective",
        kind=IndicatorKind.ENTITY_SHARE,
        formula="organisations with purpose.environmental = yes / organisations",
        unit="share of organisations",
        source=(
            "Guidelines concerning a statistical definition of employment in the "
            "environmental sector, 19th ICLS (2013) (environmental activities)"
        ),
        status=PROPOSAL,
        confidence="proposal",
        contribution=("JT",),
        basis="R17",
        num="purpose.environmental",
        equals="true",
    ),
    _i(
        id="registered_producer_members_share",
        name="producer members whose own unit is registered",
        kind=IndicatorKind.SHARE,
        formula="sum of governance.registered_producer_members / sum of "
        "governance.producer_members",
        unit="share of producer members",
        source=f"{_COOP} (work within the scope of cooperatives); {_ICLS21} (formal "
        "status of the economic unit)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("FOR",),
        basis="R16",
        num="governance.registered_producer_members",
        den="governance.producer_members",
    ),
    _i(
        id="insured_producer_members_share",
        name="producer members covered by social insurance",
        kind=IndicatorKind.SHARE,
        formula="sum of governance.insured_producer_members / sum of governance.producer_members",
        unit="share of producer members",
        source=f"{_COOP} (work within the scope of cooperatives); {_DWI} (social security)",
        status=PROPOSAL,
        confidence="secondary",
        contribution=("FOR", "QJ"),
        basis="R04, R16",
        num="governance.insured_producer_members",
        den="governance.producer_members",
    ),
    *(
        _i(
            id=f"{prefix}mean_hourly_earnings",
            name=f"average hourly earnings of employees{who}",
            kind=IndicatorKind.MEAN,
            formula=f"sum of work.{prefix}earnings / sum of work.{prefix}paid_hours "
            "(one currency)",
            unit="currency per hour",
            source=_SDG851 + " (gross earnings over hours paid)",
            status=PROPOSAL,
            confidence="verified",
            contribution=("QJ", "INC"),
            basis="L5, F12",
            num=f"work.{prefix}earnings",
            den=f"work.{prefix}paid_hours",
            persons=persons,
            none_if=tuple(dict.fromkeys(c for c in (persons, "work.employees") if c)),
        )
        # (the model counts women employees, not men: men's persons are not counted)
        for prefix, who, persons in (
            ("", "", "work.employees"),
            ("women_", " who are women", "work.women_employees"),
            ("men_", " who are men", None),
        )
    ),
    _i(
        id="gender_pay_gap",
        name="gender pay gap (unadjusted)",
        kind=IndicatorKind.GAP,
        formula="(men's average hourly earnings - women's) / men's, each the sum of "
        "earnings over the sum of hours paid, over the organisations that report both "
        "(one currency)",
        unit="share of men's average hourly earnings",
        source=(
            "SDG indicator 8.5.1 national metadata (the gender wage gap); UNRISD, "
            "Sustainable Development Performance Indicators (2022), II.B.6 gender pay gap"
        ),
        status=PROPOSAL,
        confidence="verified",
        contribution=("INC", "QJ"),
        basis="L6, R09",
        num="work.men_earnings",
        den="work.men_paid_hours",
        persons="work.employees",
        versus=("work.women_earnings", "work.women_paid_hours"),
        none_if=("work.employees",),
    ),
)

#: the inclusion shares a national benchmark can be compared with (indicator ids)
_REPRESENTED = (
    "women_employees_share",
    "women_members_share",
    "women_board_share",
    "women_managers_share",
    "disadvantaged_workers_share",
    "young_employees_share",
    "older_employees_share",
    "disabled_employees_share",
)

#: the shares of employees given among women employees too (``<id>_women``): their
#: part has a women's count in the model (``work.women_<part>``)
_WOMEN_WHOLE = "work.women_employees"


def _among_women(base: Indicator) -> Indicator:
    assert base.num is not None
    part = "work.women_" + base.num.removeprefix("work.")
    return attrs.evolve(
        base,
        id=f"{base.id}_women",
        name=f"{base.name}: women",
        formula=f"sum of {part} / sum of {_WOMEN_WHOLE}",
        unit="share of women employees",
        source=f"{base.source}; by sex",
        num=part,
        den=_WOMEN_WHOLE,
    )


def _has_women_count(base: Indicator) -> bool:
    from ._model._schema import COLUMNS

    return (
        base.kind is IndicatorKind.SHARE
        and base.den == "work.employees"
        and base.num is not None
        and "work.women_" + base.num.removeprefix("work.") in COLUMNS
    )


INDICATORS: tuple[Indicator, ...] = (
    *_OBSERVED,
    *(_among_women(b) for b in _OBSERVED if _has_women_count(b)),
    *(
        _i(
            id=f"{base}_representation",
            name=f"representation ratio: {name}",
            kind=IndicatorKind.REPRESENTATION,
            formula=f"{base} / the national share given as its benchmark (1: as nationally)",
            unit="ratio to the benchmark",
            source=(
                f"{source}; the benchmark is the user's (e.g. the share in the national "
                "employed population from the labour force survey, dated and cited by them)"
            ),
            status=PROPOSAL,
            confidence="proposal",
            contribution=("INC",),
            basis="R12",
            num=num,
            den=den,
            of=base,
        )
        for base, name, num, den, source in (
            (b.id, b.name, b.num, b.den, b.source) for b in _OBSERVED if b.id in _REPRESENTED
        )
    ),
    _i(
        id="formalised_units",
        name="organisations that moved from the informal to the formal sector",
        kind=IndicatorKind.TRANSITION_COUNT,
        formula="organisations with work.sector = informal in the earlier register and "
        "work.sector = formal in the later one (joined by id; each sector on its work.as_of)",
        unit="organisations",
        source=_ICLS21 + " (formal and informal sectors by the formal status of the "
        "economic unit); the flow between two dates is a proposal of this library",
        status=PROPOSAL,
        confidence="proposal",
        contribution=("FOR",),
        basis="R15, F24",
        num="work.sector",
        before="informal",
        equals="formal",
        at="work.as_of",
    ),
    _i(
        id="formalisation_rate",
        name="informal organisations that became formal",
        kind=IndicatorKind.TRANSITION_SHARE,
        formula="formalised_units / organisations with work.sector = informal in the "
        "earlier register",
        unit="share of organisations informal at the earlier date",
        source=_ICLS21 + " (formal and informal sectors by the formal status of the "
        "economic unit); the flow between two dates is a proposal of this library",
        status=PROPOSAL,
        confidence="proposal",
        contribution=("FOR",),
        basis="R15, F24",
        num="work.sector",
        before="informal",
        equals="formal",
        at="work.as_of",
    ),
)

_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def indicator_inputs(only: Iterable[str] | None = None) -> tuple[str, ...]:
    """The flat columns the indicators read (pass them as ``keep=`` to a
    :class:`~sse_model.RegisterClassifier` to compute indicators from its results;
    default: those of the indicators of one register, which :func:`indicators`
    computes), with ``currency`` when one reads amounts (a bare amount is in its row's
    currency)."""
    chosen = _chosen(only) if only is not None else _computed(None, {})
    # a bare amount is in its row's currency
    currency = ("currency",) if any(i.amounts for i in chosen) else ()
    return tuple(dict.fromkeys([*(c for i in chosen for c in i.inputs), *currency]))


def _chosen(only: Iterable[str] | None) -> tuple[Indicator, ...]:
    if only is None:
        return INDICATORS
    names = [only] if isinstance(only, str) else list(only)
    unknown = [n for n in names if n not in _BY_ID]
    if unknown:
        known = ", ".join(_BY_ID)
        errors = [
            FieldError("only", f"expected an indicator ({known}), got {n!r}") for n in unknown
        ]
        raise InvalidInput("indicators", errors)
    return tuple(i for i in INDICATORS if i.id in names)


#: the shares a representation ratio can compare with a benchmark, by id
_BENCHMARKED: dict[str, Indicator] = {
    i.of: i for i in INDICATORS if i.kind is IndicatorKind.REPRESENTATION and i.of is not None
}


#: a benchmark: one national share, or one per country (by the ``country`` group)
Benchmark = float | dict[str, float]


def _benchmarks(given: Any, by: Sequence[str]) -> dict[str, Benchmark]:
    """The benchmarks checked: a national share in (0, 1] for each share named, or a
    mapping of countries to such shares (then the table must be grouped by country)."""
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        message = f"expected a mapping of share ids to national shares, got {given!r}"
        raise InvalidInput("indicators", [FieldError("benchmarks", message)])
    out: dict[str, Benchmark] = {}
    errors = []

    def share(path: str, value: Any) -> float | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or math.isnan(value) or not 0 < value <= 1:
            message = f"expected a national share above 0 and at most 1, got {value!r}"
            errors.append(FieldError(path, message))
            return None
        return float(value)

    for key, value in given.items():
        if key not in _BENCHMARKED:
            known = ", ".join(_BENCHMARKED)
            message = f"expected a share with a representation ratio ({known}), got {key!r}"
            errors.append(FieldError("benchmarks", message))
        elif isinstance(value, Mapping):
            if "country" not in by:
                message = "expected by=['country', ...] for a benchmark given per country"
                errors.append(FieldError(f"benchmarks.{key}", message))
                continue
            each = {str(c): share(f"benchmarks.{key}.{c}", v) for c, v in value.items()}
            out[key] = {c: v for c, v in each.items() if v is not None}
        else:
            one = share(f"benchmarks.{key}", value)
            if one is not None:
                out[key] = one
    if errors:
        raise InvalidInput("indicators", errors)
    return out


def _benchmark_of(given: Benchmark | None, group: Mapping[str, Any]) -> float | None:
    """The benchmark that applies to a group (its country's, if given by country)."""
    if isinstance(given, dict):
        return given.get(group.get("country") or "")
    return given


def _computed(
    only: Iterable[str] | None, benchmarks: Mapping[str, Benchmark]
) -> tuple[Indicator, ...]:
    """The indicators :func:`indicators` computes: *only* (default: all), without the
    transitions (two registers: :func:`formalisation`), and the representation ratios
    of the shares given a benchmark."""

    def wanted(i: Indicator) -> bool:
        if i.kind in TRANSITIONS:
            return False
        return i.kind is not IndicatorKind.REPRESENTATION or i.of in benchmarks

    if only is None:
        return tuple(i for i in INDICATORS if wanted(i))
    chosen = _chosen(only)
    errors = []
    for i in chosen:
        if i.kind in TRANSITIONS:
            message = f"expected an indicator of one register, got {i.id!r}: see formalisation()"
            errors.append(FieldError("only", message))
        elif not wanted(i):
            message = f"expected a benchmark for {i.of!r} (benchmarks=) to compute {i.id!r}"
            errors.append(FieldError("only", message))
    if errors:
        raise InvalidInput("indicators", errors)
    return chosen


# --- reading the inputs of a chunk ---------------------------------------------------------


#: cells the model reads as the plain number they spell, by kind: a count's digits, an
#: amount's or a duration's decimals (a share's plain number may be out of range)
_PLAIN = {
    Kind.COUNT: re.compile(r"[0-9]{1,15}"),
    Kind.HOURS: re.compile(r"[0-9]{1,15}(\.[0-9]{1,15})?"),
}
_BARE_AMOUNT = _PLAIN[Kind.HOURS]
#: an amount and its currency code, as the model writes them
_CODED_AMOUNT = re.compile(r"([0-9]{1,15}(?:\.[0-9]{1,15})?) ([A-Z]{3})")


def _parsed(path: str, column: Any, np: Any) -> Any:
    """A text column of the flat vocabulary as numbers (``nan``: unknown): each distinct
    cell parsed once, as the exact lane parses it; a choice or yes/no as its value's text
    (``None``: unknown)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ._io._columns import _parser
    from ._model._schema import COLUMNS

    col = COLUMNS[path]
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    encoded = pc.dictionary_encode(column)
    parse = _parser(path)
    plain = _PLAIN.get(col.kind)
    values: list[Any] = []
    for cell in encoded.dictionary.to_pylist():
        v: Any
        try:
            if plain is not None and cell is not None and plain.fullmatch(cell):
                v = float(cell)  # what the model reads, without building a record
            else:
                v = None if cell is None or not cell.strip() else parse(cell)
        except InvalidInput as e:
            message = f"expected a value of {path} the model accepts, got {cell!r}"
            raise InvalidInput("indicators", [FieldError(path, message)]) from e
        values.append(v)
    index = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    textual = col.kind in (Kind.CHOICE, Kind.BOOL)
    if textual:
        table = np.array(
            [None if v is None else str(getattr(v, "value", v)).lower() for v in values] + [None],
            dtype=object,
        )
    else:
        table = np.array([math.nan if v is None else float(v) for v in values] + [math.nan])
    return table[index]


def _group_keys(table: Any, by: Sequence[str]) -> dict[str, Any]:
    import pyarrow as pa

    def text(column: Any) -> Any:  # plain text: dictionary columns would group as categories
        return column if pa.types.is_string(column.type) else column.cast(pa.string())

    out: dict[str, Any] = {
        "profile_id": text(table.column("profile_id")),
        "verdict_group": text(table.column("verdict")),
    }
    for name in by:
        if name in table.column_names:
            column = table.column(name)
            out[name] = column if pa.types.is_string(column.type) else column.cast(pa.string())
        else:
            out[name] = pa.nulls(table.num_rows, type=pa.string())
    if "family" in by and "legal_form" in table.column_names:
        out["family"] = _presumed_families(out["family"], table.column("legal_form"))
    return out


def _presumed_families(family: Any, form: Any) -> Any:
    """The family column with an unknown family presumed from the legal form where the
    form's law makes it exactly one family (the presumption the classifier makes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ._model._forms import form_table

    forms = form_table()
    codes = pc.unique(form).to_pylist()
    presumed = {}
    for code in codes:
        found = forms[code].family if code in forms else None
        if found is not None:
            presumed[code] = found.value
    if not presumed:
        return family
    keys = pa.array(list(presumed), pa.string())
    values = pa.array(list(presumed.values()), pa.string())
    found = pc.take(values, pc.index_in(form, value_set=keys))
    return pc.coalesce(family, found)


def _components(
    chosen: Sequence[Indicator], cols: Mapping[str, Any], n: int, np: Any
) -> dict[str, Any]:
    """Per row, the terms each indicator sums (named ``<id>.<term>``)."""
    nan = np.full(n, math.nan)
    out: dict[str, Any] = {"_rows": np.ones(n)}
    for ind in chosen:
        p = ind.id + "."
        if ind.kind is IndicatorKind.ENTITIES:
            continue
        if ind.kind is IndicatorKind.ENTITY_SHARE:
            assert ind.num is not None
            x = cols.get(ind.num)
            known = np.zeros(n, dtype=bool) if x is None else np.not_equal(x, None)
            match = np.zeros(n, dtype=bool) if x is None else np.equal(x, ind.equals)
            out[p + "k"] = known.astype(float)
            out[p + "m"] = (known & match).astype(float)
            continue
        if ind.kind in (IndicatorKind.MEAN, IndicatorKind.GAP):
            out.update(_mean_terms(ind, cols, n, np))
            continue
        assert ind.num is not None
        x = cols.get(ind.num, nan)
        if ind.kind is IndicatorKind.SUM:
            known = ~np.isnan(x)
            cap = cols.get(ind.cap, nan) if ind.cap else nan
            capped = ~known & ~np.isnan(cap)
            out[p + "k"] = known.astype(float)
            out[p + "x"] = np.where(known, x, 0.0)
            out[p + "na"] = (capped & (cap == 0)).astype(float)
            out[p + "ucap"] = np.where(capped, cap, 0.0)
            out[p + "uinf"] = (~known & ~capped).astype(float)
            continue
        assert ind.den is not None
        y, d = x, cols.get(ind.den, nan)
        yk, dk = ~np.isnan(y), ~np.isnan(d)
        applies = dk & (d > 0)
        r = applies & yk
        u = applies & ~yk
        s = ~dk
        out[p + "r"] = r.astype(float)
        out[p + "na"] = (dk & (d == 0)).astype(float)
        out[p + "y"] = np.where(r, y, 0.0)
        out[p + "n"] = np.where(r, d, 0.0)
        out[p + "nu"] = np.where(u, d, 0.0)
        out[p + "u"] = u.astype(float)
        out[p + "s"] = s.astype(float)
        out[p + "s_unk"] = (s & ~yk).astype(float)
        out[p + "ys"] = np.where(s & yk, y, 0.0)
        out[p + "nk"] = np.where(applies, d, 0.0)
    return out


def _row_currencies(table: Any, default: str | None, np: Any) -> Any:
    """Per row, the currency a bare amount is in: the row's ``currency`` cell, else
    *default* (``None``: none); each distinct cell read once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ._io._columns import _currency_code

    if "currency" not in table.column_names:
        return np.full(table.num_rows, default, dtype=object)
    column = table.column("currency").combine_chunks().cast(pa.string())
    encoded = pc.dictionary_encode(column)
    codes: list[str | None] = []
    for cell in encoded.dictionary.to_pylist():
        if cell is None or not cell.strip():
            codes.append(default)
            continue
        try:
            codes.append(_currency_code(cell.strip()))
        except InvalidInput as e:
            message = f"expected a currency code, got {cell!r}"
            raise InvalidInput("indicators", [FieldError("currency", message)]) from e
    index = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return np.array([*codes, default], dtype=object)[index]


def _amounts(path: str, column: Any, currencies: Any, np: Any) -> tuple[Any, Any]:
    """A money column of the flat vocabulary as amounts (``nan``: unknown) and their
    currencies: each distinct cell parsed once, as the exact lane parses it; a bare
    number is in its row's currency."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ._io._columns import _currency_code, _parser

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    encoded = pc.dictionary_encode(column)
    parse = _parser(path)
    amounts: list[float] = []
    units: list[str | None] = []  # None: the row's currency
    for cell in encoded.dictionary.to_pylist():
        if cell is None or not cell.strip():
            amounts.append(math.nan)
            units.append(None)
            continue
        if _BARE_AMOUNT.fullmatch(cell):  # the common forms, without building a record
            amounts.append(float(cell))
            units.append(None)
            continue
        coded = _CODED_AMOUNT.fullmatch(cell)
        try:
            if coded is not None:
                amounts.append(float(coded.group(1)))
                units.append(_currency_code(coded.group(2)))
                continue
            try:
                money = parse(cell)
                units.append(money.currency)
            except InvalidInput:
                money = parse(f"{cell} USD")  # a bare amount: its row's currency
                units.append(None)
        except InvalidInput as e:
            message = f"expected an amount of {path} the model accepts, got {cell!r}"
            raise InvalidInput("indicators", [FieldError(path, message)]) from e
        amounts.append(float(money.amount))
    index = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    x = np.array([*amounts, math.nan])[index]
    written = np.array([*units, None], dtype=object)[index]
    cur = np.where(np.equal(written, None), currencies, written)
    if np.any(~np.isnan(x) & np.equal(cur, None)):
        message = f"expected an amount in a currency such as '1200.50 VND' in {path}"
        raise InvalidInput("indicators", [FieldError(path, message)])
    return x, cur


def _mean_terms(ind: Indicator, cols: Mapping[str, Any], n: int, np: Any) -> dict[str, Any]:
    """Per row, the terms of a mean or a gap (named ``<id>.<term>``): reported (``r``),
    not applicable (``na``: none of its persons, or no hours paid), unreported (``u``),
    the persons of those reporting and of those of known size (``q``, ``qk``), and the
    amounts and hours reported, by currency (``y@VND``, ``h@VND``; for a gap, ``vy@``
    and ``vh@`` those of the mean it compares with)."""
    assert ind.num is not None
    assert ind.den is not None
    nan = np.full(n, math.nan)
    none = np.full(n, None, dtype=object)
    x, cur = cols.get(ind.num, (nan, none))
    h = cols.get(ind.den, nan)
    sides = [(x, cur, h)]
    if ind.versus is not None:
        vx, vcur = cols.get(ind.versus[0], (nan, none))
        sides.append((vx, vcur, cols.get(ind.versus[1], nan)))
    q = cols.get(ind.persons, nan) if ind.persons else nan
    known = np.logical_and.reduce([~np.isnan(a) & ~np.isnan(b) for a, _, b in sides])
    hours = np.sum([np.where(np.isnan(b), 0.0, b) for _, _, b in sides], axis=0)
    all_hours_known = np.logical_and.reduce([~np.isnan(b) for _, _, b in sides])
    na = all_hours_known & (hours == 0)
    for name in ind.none_if:
        na |= cols.get(name, nan) == 0
    r = known & ~na
    # a gap's two means are in one currency per row (OneCurrency): the first side's
    one = np.logical_and.reduce([np.equal(c, sides[0][1]) | ~r for _, c, _ in sides])
    r &= one
    p = ind.id + "."
    out: dict[str, Any] = {
        p + "r": r.astype(float),
        p + "na": na.astype(float),
        p + "u": (~r & ~na).astype(float),
        p + "q": np.where(r & ~np.isnan(q), q, 0.0),
        p + "qk": np.where(~na & ~np.isnan(q), q, 0.0),
    }
    for c in sorted({str(c) for c in cur[r]}):
        here = r & np.equal(cur, c)
        for tag, (a, _, b) in zip(("", "v"), sides, strict=False):
            out[f"{p}{tag}y@{c}"] = np.where(here, a, 0.0)
            out[f"{p}{tag}h@{c}"] = np.where(here, b, 0.0)
    return out


def _partial(
    table: Any,
    chosen: Sequence[Indicator],
    by: Sequence[str],
    verdicts: Sequence[str],
    currency: str | None = None,
) -> Any:
    """One chunk of results (kept columns included) reduced to sums per group (a bare
    amount is in its row's ``currency``, else in *currency*)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from ._model._declare import MONEY_KINDS
    from ._model._schema import COLUMNS

    if table.num_rows:
        table = table.filter(pc.is_in(table.column("verdict"), pa.array(list(verdicts))))
    n = table.num_rows
    cols: dict[str, Any] = {}
    currencies = None
    for name in dict.fromkeys(c for i in chosen for c in i.inputs):
        if name not in table.column_names:
            continue
        if COLUMNS[name].kind in MONEY_KINDS:
            if currencies is None:
                currencies = _row_currencies(table, currency, np)
            cols[name] = _amounts(name, table.column(name), currencies, np)
        else:
            cols[name] = _parsed(name, table.column(name), np)
    frame = pd.DataFrame({k: v.to_pandas() for k, v in _group_keys(table, by).items()})
    terms = pd.DataFrame(_components(chosen, cols, n, np))
    keys = list(frame.columns)
    both = pd.concat([frame, terms], axis=1)
    return both.groupby(keys, dropna=False, sort=False, observed=True).sum().reset_index()


# --- the values -----------------------------------------------------------------------------


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def _mean_value(ind: Indicator, g: Mapping[str, float]) -> tuple[float | None, str, str]:
    """A mean's (or a gap's) value, its unit and a note, from the sums by currency of
    one group: amounts in different currencies are never added (no value then)."""
    p = ind.id + "."
    tags = ("h@", "vh@") if ind.kind is IndicatorKind.GAP else ("h@",)
    found = sorted(
        {
            k.split("@", 1)[1]
            for k, v in g.items()
            if k.startswith(tuple(p + t for t in tags)) and not _missing(v) and v > 0
        }
    )
    if len(found) > 1:
        note = f"no value: amounts in {', '.join(found)} are never added (group by country)"
        return None, ind.unit, note
    if not found:
        return None, ind.unit, ""
    (c,) = found

    def mean(tag: str) -> float | None:
        y, h = g.get(f"{p}{tag}y@{c}", 0.0), g.get(f"{p}{tag}h@{c}", 0.0)
        return None if _missing(h) or h <= 0 else float(y) / float(h)

    if ind.kind is IndicatorKind.MEAN:
        return mean(""), f"{c} per hour", ""
    men, women = mean(""), mean("v")
    if men is None or women is None or men <= 0:
        return None, ind.unit, "no value: no hours paid to men or to women, or no earnings"
    return (men - women) / men, ind.unit, f"amounts in {c}"


def _row(
    ind: Indicator,
    g: Mapping[str, float],
    min_cell: int,
    benchmark: float | None = None,
    *,
    benchmarked: bool = False,
) -> dict[str, Any]:
    """The value, bounds and coverage of *ind* from the sums *g* of one group (a
    representation ratio: those of its share over *benchmark*)."""
    p = ind.id + "."
    entities = int(g["_rows"])
    value: float | None
    lower: float | None
    upper: float | None
    notes: list[str] = []
    person_coverage: float | None = None
    unit = ind.unit
    na = 0
    if ind.kind is IndicatorKind.ENTITIES:
        value = lower = upper = float(entities)
        reporting = entities
    elif ind.kind is IndicatorKind.ENTITY_SHARE:
        k, m = g[p + "k"], g[p + "m"]
        reporting = int(k)
        value = _ratio(m, k)
        lower = _ratio(m, entities)
        upper = _ratio(m + entities - k, entities)
    elif ind.kind in (IndicatorKind.MEAN, IndicatorKind.GAP):
        reporting, na = int(g[p + "r"]), int(g[p + "na"])
        value, unit, note = _mean_value(ind, g)
        if note:
            notes.append(note)
        person_coverage = _ratio(g[p + "q"], g[p + "qk"]) if ind.persons else None
        if g[p + "u"] > 0:  # an unreported amount may be anything: no bounds
            lower = 0.0 if ind.kind is IndicatorKind.MEAN else -math.inf
            upper = math.inf if ind.kind is IndicatorKind.MEAN else 1.0
            if ind.kind is IndicatorKind.GAP:
                notes.append("no lower bound: some organisations did not report it")
        else:
            lower = upper = value
        if entities and na == entities:
            notes.append("not applicable: none in the group has any")
    elif ind.kind is IndicatorKind.SUM:
        reporting, na = int(g[p + "k"]), int(g[p + "na"])
        value = lower = g[p + "x"]
        upper = math.inf if g[p + "uinf"] > 0 else g[p + "x"] + g[p + "ucap"]
        if reporting == 0 and entities:
            value = None
    else:
        reporting, na = int(g[p + "r"]), int(g[p + "na"])
        y, n, nu, s = g[p + "y"], g[p + "n"], g[p + "nu"], g[p + "s"]
        scale = float(ind.per)
        value = None if n <= 0 else scale * y / n
        person_coverage = _ratio(n, g[p + "nk"])
        if ind.kind in (IndicatorKind.SHARE, IndicatorKind.REPRESENTATION):
            ys = g[p + "ys"]
            lower = 0.0 if s > 0 else _ratio(y, n + nu)
            if g[p + "s_unk"] > 0:
                upper = 1.0
            elif n + nu + ys > 0:
                upper = (y + nu + ys) / (n + nu + ys)
            else:
                upper = 0.0 if s > 0 else None
        else:
            lower = 0.0 if s > 0 else (None if n + nu <= 0 else scale * y / (n + nu))
            upper = math.inf if s > 0 or g[p + "u"] > 0 else value
        if entities and na == entities:
            notes.append("not applicable: none in the group has any")
    if benchmark is not None:  # the bounds of the share, over a number > 0
        value, lower, upper = (None if v is None else v / benchmark for v in (value, lower, upper))
        notes.append(f"against a national share of {benchmark:g} (given)")
    elif benchmarked:
        value = lower = upper = None
        notes.append("no benchmark given for this group")
    applicable = entities - na
    coverage = reporting / applicable if applicable > 0 else None
    suppressed = ind.kind is not IndicatorKind.ENTITIES and entities < min_cell
    if suppressed:
        value = lower = upper = None
        notes.append(f"suppressed: fewer than {min_cell} organisations")
    elif value is None and reporting == 0 and applicable > 0:
        notes.append("no organisation in the group reported it")
    if upper is not None and math.isinf(upper):
        notes.append("no upper bound: some organisations did not report it")
    return {
        "indicator": ind.id,
        "value": value,
        "lower": lower,
        "upper": upper,
        "unit": unit,
        "coverage": coverage,
        "person_coverage": person_coverage,
        "entities": entities,
        "reporting": reporting,
        "not_applicable": na,
        "suppressed": suppressed,
        "note": "; ".join(notes),
        "status": ind.status,
        "confidence": ind.confidence,
        "source": ind.source,
    }


#: the columns of the tidy table after the group columns
VALUE_COLUMNS = (
    "indicator",
    "value",
    "lower",
    "upper",
    "unit",
    "coverage",
    "person_coverage",
    "entities",
    "reporting",
    "not_applicable",
    "suppressed",
    "note",
    "status",
    "confidence",
    "source",
)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _finish(
    partials: list[Any],
    chosen: Sequence[Indicator],
    by: Sequence[str],
    min_cell: int,
    benchmarks: Mapping[str, Benchmark] | None = None,
) -> pa.Table:
    def row(ind: Indicator, g: Mapping[str, Any]) -> dict[str, Any]:
        if ind.kind is IndicatorKind.REPRESENTATION:
            b = _benchmark_of((benchmarks or {}).get(ind.of or ""), g)
            return _row(ind, g, min_cell, b, benchmarked=True)
        return _row(ind, g, min_cell)

    return _table(_grouped_rows(partials, chosen, by, row), by)


def _grouped_rows(
    partials: list[Any],
    chosen: Sequence[Indicator],
    by: Sequence[str],
    row: Callable[[Indicator, Mapping[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """The sums of every chunk added per group, and a row per group and indicator, in
    the order of the profiles, the verdict groups and the group values."""
    import pandas as pd

    keys = ["profile_id", "verdict_group", *by]
    rows: list[dict[str, Any]] = []
    if not partials:
        return rows
    total = pd.concat(partials, ignore_index=True)
    total = total.groupby(keys, dropna=False, sort=False, observed=True).sum().reset_index()
    order = {v: k for k, v in enumerate(VERDICT_ORDER)}
    records = total.to_dict("records")
    for r in records:
        for k in keys:  # pandas gives a missing group value as NaN
            r[k] = None if _missing(r[k]) else str(r[k])
    records.sort(
        key=lambda r: (
            str(r["profile_id"]),
            order.get(r["verdict_group"], 9),
            *((r[b] is None, r[b] or "") for b in by),
        )
    )
    for g in records:
        group = {k: g[k] for k in keys}
        for ind in chosen:
            rows.append({**group, **row(ind, g)})
    return rows


def _table(rows: list[dict[str, Any]], by: Sequence[str]) -> pa.Table:
    """The tidy table of *rows*, with its schema."""
    import pyarrow as pa

    keys = ["profile_id", "verdict_group", *by]
    schema = pa.schema(
        [
            *((k, pa.string()) for k in keys),
            ("indicator", pa.string()),
            ("value", pa.float64()),
            ("lower", pa.float64()),
            ("upper", pa.float64()),
            ("unit", pa.string()),
            ("coverage", pa.float64()),
            ("person_coverage", pa.float64()),
            ("entities", pa.int64()),
            ("reporting", pa.int64()),
            ("not_applicable", pa.int64()),
            ("suppressed", pa.bool_()),
            ("note", pa.string()),
            ("status", pa.string()),
            ("confidence", pa.string()),
            ("source", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


# --- the result -----------------------------------------------------------------------------


@attrs.frozen
class IndicatorTable:
    """Indicators in a tidy long table: one row per indicator and group.

    The columns: ``profile_id``, ``verdict_group`` (the organisations that qualify, and
    apart those whose verdict is undetermined), the group columns asked for, then
    ``indicator``, ``value`` (over the organisations that reported), ``lower`` and
    ``upper`` (bounds that hold whatever the missing values are; ``inf``: none),
    ``unit``, ``coverage`` (the share of the organisations it applies to that reported
    it), ``person_coverage`` (the share of the persons of the organisations of known
    size that are in those that reported), ``entities``, ``reporting``,
    ``not_applicable`` (organisations without any of the whole, e.g. no employees:
    counted apart, never as unknown), ``suppressed`` (a cell under ``min_cell``
    organisations), ``note``, ``status``, ``confidence`` and ``source``.
    """

    table: pa.Table
    #: the rows read, classified and rejected (rejected rows count in no indicator)
    summary: RegisterSummary | None = None
    #: those of the earlier register, for :func:`formalisation` (its rejected rows are
    #: absent from it: their earlier state is unknown)
    earlier: RegisterSummary | None = None

    def __repr__(self) -> str:
        n = self.table.num_rows
        ids = len(set(self.table.column("indicator").to_pylist())) if n else 0
        return f"IndicatorTable({n} rows: {ids} indicators)"

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame."""
        return self.table.to_pandas()

    def write(self, path: str | os.PathLike[str], *, format: str | None = None) -> None:
        """Write the table as CSV, Parquet or JSON Lines (by *format*, else by the
        extension); the file appears only when complete, and text cells a spreadsheet
        would run as formulas are escaped in CSV."""
        write_indicators(self.table, path, format=format)

    def _repr_html_(self) -> str:
        from ._engine._display import MAX_ROWS, html_table

        table = self.table.slice(0, MAX_ROWS)
        skip = {"source", "status", "confidence", "unit", "suppressed"}
        names = [c for c in table.column_names if c not in skip]
        rows = []
        for r in table.to_pylist():
            rows.append([_cell(r[c]) for c in names])
        html = html_table(names, rows)
        s = self.summary
        head = "" if s is None else f"<p>{_cell(str(s))}</p>"
        more = ""
        if self.table.num_rows > MAX_ROWS:
            more = (
                f"<p>{MAX_ROWS} of {self.table.num_rows} rows shown: <code>.to_pandas()</code></p>"
            )
        return head + html + more


def _cell(value: Any) -> str:
    from html import escape

    if value is None:
        return ""
    if isinstance(value, float):
        return "∞" if math.isinf(value) else f"{value:.4g}"
    return escape(str(value))


def write_indicators(
    table: pa.Table, path: str | os.PathLike[str], *, format: str | None = None
) -> None:
    """Write an indicator table (see :meth:`IndicatorTable.write`)."""

    from ._io._outputs import AtomicOutput

    fmt = format or _format_of(str(path))
    if fmt == "parquet":
        import pyarrow.parquet as pq

        with AtomicOutput(path, None) as out:
            pq.write_table(table, out.path)
        return
    if fmt not in ("csv", "json"):
        raise ValueError(f"expected csv, parquet or json, got {fmt!r}")
    with AtomicOutput(path) as out:
        assert out.file is not None
        write_text(table, out.file, fmt)


def write_text(table: pa.Table, file: Any, fmt: str) -> None:
    """Write an indicator table to a text stream as CSV (formulas escaped) or JSON
    Lines (no infinity: null, the note says there is no bound)."""
    import json

    from ._io._outputs import escape_formula

    if fmt == "csv":
        import csv

        writer = csv.writer(file)
        writer.writerow(table.column_names)
        for r in table.to_pylist():
            writer.writerow(
                [
                    "" if v is None else escape_formula(v) if isinstance(v, str) else _csv(v)
                    for v in r.values()
                ]
            )
        return
    for r in table.to_pylist():
        clean = {k: (None if isinstance(v, float) and math.isinf(v) else v) for k, v in r.items()}
        file.write(json.dumps(clean, ensure_ascii=False) + "\n")


def _csv(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "inf" if math.isinf(value) else repr(value)
    return str(value)


def _format_of(path: str) -> str:
    low = path.lower()
    for ext, fmt in (
        (".parquet", "parquet"),
        (".csv", "csv"),
        (".jsonl", "json"),
        (".json", "json"),
    ):
        if low.endswith(ext):
            return fmt
    raise ValueError(f"expected a .csv, .parquet, .json or .jsonl output, got {path!r}")


# --- the entry point ------------------------------------------------------------------------


def _keeping_classifier(**kw: Any) -> Any:
    """A register classifier that carries the indicators' inputs into its results,
    as null where the register has no such column (unknown for every row)."""
    from ._io._batch import RegisterClassifier

    class _Keeping(RegisterClassifier):
        def _kept_of_table(self, table: Any, extra: Mapping[str, Any] | None = None) -> Any:
            import pyarrow as pa
            import pyarrow.compute as pc

            out = {}
            names = table.column_names
            extra = extra or {}
            for k in self.keep:
                if k in extra or k in names:
                    column = extra[k] if k in extra else table.column(k)
                    if isinstance(column, pa.ChunkedArray):
                        column = column.combine_chunks()
                    out[k] = (
                        column if pa.types.is_string(column.type) else column.cast(pa.string())
                    )
                    continue
                # a unit in the column's name (``workforce.volunteer_hours[day]``)
                suffixed = [c for c in names if c.startswith(k + "[") and c.endswith("]")]
                if suffixed:
                    unit = suffixed[0][len(k) + 1 : -1]
                    column = table.column(suffixed[0]).combine_chunks().cast(pa.string())
                    blank = pc.equal(pc.utf8_trim_whitespace(column), "")
                    column = pc.if_else(blank, pa.scalar(None, pa.string()), column)
                    out[k] = pc.binary_join_element_wise(column, pa.scalar(unit), " ")
                else:
                    out[k] = pa.nulls(table.num_rows, type=pa.string())
            return out

    return _Keeping(**kw)


def _of_profiles(result: RegisterResult, profile: Any) -> RegisterResult:
    """*result* with only the rows of *profile* (an id, a profile or several; None: all)."""
    if profile is None:
        return result
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = (
        [profile] if isinstance(profile, str) or not isinstance(profile, Sequence) else profile
    )
    ids = [p if isinstance(p, str) else p.id for p in wanted]
    column = result.table.column("profile_id").cast(pa.string())
    return attrs.evolve(result, table=result.table.filter(pc.is_in(column, pa.array(ids))))


def _results(
    register: Any, profile: Any, keep: Sequence[str], kw: Mapping[str, Any]
) -> Iterator[RegisterResult]:
    from ._io._batch import RegisterResult, stream_file
    from ._model import Organisation

    given = [register] if isinstance(register, RegisterResult) else register
    if isinstance(given, Sequence) and given and all(isinstance(r, RegisterResult) for r in given):
        yield from (_of_profiles(r, profile) for r in given)
        return
    if profile is None:
        message = "expected a profile (profile='intl/ilo-2022') to classify the register"
        raise InvalidInput("indicators", [FieldError("profile", message)])
    chunk_rows = kw.get("chunk_rows", 1 << 17)
    args = {k: v for k, v in kw.items() if k != "chunk_rows"}
    rc = _keeping_classifier(profiles=profile, keep=keep, validate="all", **args)
    if isinstance(register, str | os.PathLike):
        yield from stream_file(rc, register, chunk_rows=chunk_rows)
        return
    if (
        isinstance(register, Sequence)
        and register
        and all(isinstance(o, Organisation) for o in register)
    ):
        yield rc.classify_organisations(register)
        return
    yield rc.classify_table(register)


def _check_groups(by: list[str], verdicts: Sequence[str], min_cell: int, what: str) -> None:
    """Refuse group columns, verdict groups and a cell threshold that cannot be right."""
    names: list[Any] = by
    if not all(isinstance(b, str) and b for b in names) or len(set(by)) != len(by):
        message = f"expected distinct column names, got {by!r}"
        raise InvalidInput(what, [FieldError("by", message)])
    clash = [b for b in by if b in ("profile_id", "verdict_group", *VALUE_COLUMNS)]
    if clash:
        message = f"expected input columns, got {clash!r}: columns of the indicator table"
        raise InvalidInput(what, [FieldError("by", message)])
    wanted: Any = verdicts
    bad = [v for v in verdicts if v not in VERDICT_ORDER]
    if bad or isinstance(wanted, str):
        message = f"expected verdicts among {', '.join(VERDICT_ORDER)}, got {verdicts!r}"
        raise InvalidInput(what, [FieldError("verdicts", message)])
    cell: Any = min_cell
    if isinstance(cell, bool) or not isinstance(cell, int) or cell < 0:
        message = f"expected a whole number >= 0, got {min_cell!r}"
        raise InvalidInput(what, [FieldError("min_cell", message)])


def indicators(
    register: Any,
    profile: str | Profile | Sequence[str | Profile] | None = None,
    *,
    by: Sequence[str] = (),
    verdicts: Sequence[str] = ("qualifies", "undetermined"),
    min_cell: int = 3,
    only: Iterable[str] | None = None,
    benchmarks: Mapping[str, float | Mapping[str, float]] | None = None,
    on: date | None = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: Any = None,
    finances: Any = None,
    presumptions: Any = True,
    chunk_rows: int = 1 << 17,
) -> IndicatorTable:
    """What the SSE contributes: decent-work, inclusion, formalisation and
    just-transition indicators over the organisations of *register* that qualify under
    *profile*, with those whose verdict is undetermined apart (``verdict_group``).

    *register*: a file (CSV, Parquet, JSON Lines...), a table or DataFrame of flat
    columns, records, organisations, or the :class:`~sse_model.RegisterResult` of a
    classifier that kept the inputs (``keep=indicator_inputs()``; a column not kept is
    unknown for every row; a *profile* given with results keeps its rows only). Every
    cell is checked as
    :func:`~sse_model.read_register` checks it; rejected rows count in no indicator
    (see ``summary``). *by*: columns to group by (``country``, ``legal_form``,
    ``family`` or any column the register has; an unknown family is presumed from the
    legal form when its law makes it exactly one family, as the classifier presumes
    it; groups without organisations have no rows). *verdicts*: the verdict groups
    reported. *min_cell*: a cell of fewer organisations shows no value (the counts
    stay). *only*: the ids of the indicators wanted (default: all of
    :data:`INDICATORS` but the transitions, which need two registers:
    :func:`formalisation`). *benchmarks*: national shares the user gives, by the id of
    the share (``{"women_employees_share": 0.47}``, in (0, 1]): each adds the share's
    representation ratio (``women_employees_share_representation``: the share over the
    benchmark, its bounds over the benchmark too); a mapping of countries to shares
    (``{"women_employees_share": {"VN": 0.47, "TH": 0.46}}``) gives each country's
    groups its own, and needs ``by=["country", ...]``; a group whose country has none
    shows no value. *on*: the date the law is read at (default today). The other
    arguments are those of :class:`~sse_model.RegisterClassifier`.

    Nothing is imputed: ``value`` is computed over the organisations that reported,
    ``lower`` and ``upper`` bound the value the complete data would give, whatever the
    unreported values are; ``coverage`` says how many reported.
    """
    if isinstance(by, str):
        by = [by]
    by = list(by)
    bench = _benchmarks(benchmarks, by)
    chosen = _computed(only, bench)
    _check_groups(by, verdicts, min_cell, "indicators")
    # the legal form also gives the family where the data does not (see _presumed_families)
    extra = ["legal_form"] if "family" in by else []
    keep = list(dict.fromkeys([*indicator_inputs(i.id for i in chosen), *by, *extra]))
    kw: dict[str, Any] = {
        "on": on,
        "fiscal_year": fiscal_year,
        "currency": currency,
        "columns": columns,
        "finances": finances,
        "presumptions": presumptions,
        "chunk_rows": chunk_rows,
    }
    partials = []
    summary = None
    for result in _results(register, profile, keep, kw):
        partials.append(_partial(result.table, chosen, by, verdicts, currency))
        summary = result.summary if summary is None else summary + result.summary
    return IndicatorTable(_finish(partials, chosen, by, min_cell, bench), summary)


# --- formalisation between two dates --------------------------------------------------------


def _dates(path: str, column: Any) -> list[date | None]:
    """A date column of the flat vocabulary, parsed as the model parses it."""
    import pyarrow as pa

    from ._io._columns import _parser

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    parse = _parser(path)
    seen: dict[str, date | None] = {}
    out: list[date | None] = []
    for cell in column.cast(pa.string()).to_pylist():
        if cell is None or not cell.strip():
            out.append(None)
            continue
        if cell not in seen:
            try:
                seen[cell] = parse(cell)
            except InvalidInput as e:
                message = f"expected a value of {path} the model accepts, got {cell!r}"
                raise InvalidInput("formalisation", [FieldError(path, message)]) from e
        out.append(seen[cell])
    return out


def _states(table: Any, ind: Indicator) -> tuple[Any, list[date | None]]:
    """The text of a transition's column per row (``None``: unknown) and its dates."""
    import numpy as np

    assert ind.num is not None
    assert ind.at is not None
    n = table.num_rows
    values = (
        _parsed(ind.num, table.column(ind.num), np)
        if ind.num in table.column_names
        else np.full(n, None, dtype=object)
    )
    dates: list[date | None] = [None] * n
    if ind.at in table.column_names:
        dates = _dates(ind.at, table.column(ind.at))
    return values, dates


def _earlier(results: Iterable[RegisterResult], ind: Indicator) -> tuple[dict[str, Any], Any]:
    """The earlier register's value and date by organisation id (one profile's rows:
    the verdicts of the earlier register play no part), and its summary."""
    import pyarrow as pa

    out: dict[str, Any] = {}
    summary = None
    first: str | None = None
    for result in results:
        summary = result.summary if summary is None else summary + result.summary
        table = result.table
        if not table.num_rows:
            continue
        profiles = table.column("profile_id").cast(pa.string()).to_pylist()
        first = profiles[0] if first is None else first
        ids = table.column("organisation_id").cast(pa.string()).to_pylist()
        values, dates = _states(table, ind)
        for pid, oid, v, d in zip(profiles, ids, values, dates, strict=True):
            if pid != first:
                continue
            if oid in out:
                message = f"expected each organisation once in the earlier register, got {oid!r}"
                raise InvalidInput("formalisation", [FieldError("then", message)])
            out[oid] = (v, d)
    return out, summary


def _transition_terms(
    ind: Indicator, before: Sequence[Any], after: Sequence[Any], np: Any
) -> dict[str, Any]:
    """Per organisation, the terms of a transition (named ``<id>.<term>``): its state
    at the earlier date (``b`` the earlier value, ``o`` another, unknown) and at the
    later (``a`` the later value, ``o`` another, unknown), and how each worst case
    counts it: in the count and the whole (``both``), in the whole only (``whole``)
    or in neither."""
    b = np.array([v == ind.before for v in before], dtype=bool)
    bo = np.array([v not in (None, _ABSENT) and v != ind.before for v in before], dtype=bool)
    bu = ~b & ~bo
    a = np.array([v == ind.equals for v in after], dtype=bool)
    ao = np.array([v is not None and v != ind.equals for v in after], dtype=bool)
    au = ~a & ~ao
    may_both = (b | bu) & (a | au)
    may_whole = (b | bu) & (ao | au)
    may_neither = bo | bu
    # the upper bound counts it in both if it can, else in neither, else in the whole;
    # the lower bound in the whole if it can, else in neither, else in both (a share
    # of at most 1 only rises with a unit in both and only falls with one in the whole)
    up_both = may_both
    up_whole = ~may_both & ~may_neither & may_whole
    lo_whole = may_whole
    lo_both = ~may_whole & ~may_neither & may_both
    p = ind.id + "."
    return {
        p + "known_both": (b & a).astype(float),
        p + "known_whole": (b & (a | ao)).astype(float),
        p + "reported": ((b | bo) & (a | ao)).astype(float),
        p + "na": bo.astype(float),
        p + "up_both": up_both.astype(float),
        p + "up_whole": up_whole.astype(float),
        p + "lo_both": lo_both.astype(float),
        p + "lo_whole": lo_whole.astype(float),
        p + "may_both": may_both.astype(float),
        p + "may_whole": may_whole.astype(float),
        p + "absent": np.array([v is _ABSENT for v in before], dtype=float),
    }


#: an organisation of the later register that the earlier one does not hold
_ABSENT: Any = object()


def _transition_row(ind: Indicator, g: Mapping[str, float], min_cell: int) -> dict[str, Any]:
    """The value, bounds and coverage of a transition from the sums *g* of one group."""
    p = ind.id + "."
    entities = int(g["_rows"])
    known_both, known_whole = g[p + "known_both"], g[p + "known_whole"]
    notes: list[str] = []
    value: float | None
    lower: float | None
    upper: float | None
    if ind.kind is IndicatorKind.TRANSITION_COUNT:
        na = 0
        reporting = int(g[p + "reported"])
        value = lower = known_both
        upper = g[p + "up_both"]
        if reporting == 0 and entities:
            value = None
    else:
        na = int(g[p + "na"])
        reporting = int(known_whole)
        value = _ratio(known_both, known_whole)
        lower = _ratio(g[p + "lo_both"], g[p + "lo_both"] + g[p + "lo_whole"])
        upper = _ratio(g[p + "up_both"], g[p + "up_both"] + g[p + "up_whole"])
        # a worst case that leaves every organisation out has no value: the extreme
        # among the completions that have one is then 1 (lower) or 0 (upper), if any
        if lower is None and g[p + "may_both"] > 0:
            lower = 1.0
        if upper is None and g[p + "may_whole"] > 0:
            upper = 0.0
        if entities and na == entities:
            notes.append(f"not applicable: none in the group was {ind.before} then")
    absent = int(g[p + "absent"])
    if absent:
        notes.append(f"{absent} not in the earlier register (its {ind.num} then unknown)")
    applicable = entities - na
    coverage = reporting / applicable if applicable > 0 else None
    suppressed = entities < min_cell
    if suppressed:
        value = lower = upper = None
        notes.append(f"suppressed: fewer than {min_cell} organisations")
    elif value is None and reporting == 0 and applicable > 0:
        notes.append("no organisation in the group reported it at both dates")
    return {
        "indicator": ind.id,
        "value": value,
        "lower": lower,
        "upper": upper,
        "unit": ind.unit,
        "coverage": coverage,
        "person_coverage": None,
        "entities": entities,
        "reporting": reporting,
        "not_applicable": na,
        "suppressed": suppressed,
        "note": "; ".join(notes),
        "status": ind.status,
        "confidence": ind.confidence,
        "source": ind.source,
    }


def formalisation(
    then: Any,
    now: Any,
    profile: str | Profile | Sequence[str | Profile] | None = None,
    *,
    by: Sequence[str] = (),
    verdicts: Sequence[str] = ("qualifies", "undetermined"),
    min_cell: int = 3,
    on: date | None = None,
    fiscal_year: int | None = None,
    currency: str | None = None,
    columns: Any = None,
    finances: Any = None,
    presumptions: Any = True,
    chunk_rows: int = 1 << 17,
) -> IndicatorTable:
    """The formalisation of economic units between two dates: of the organisations of
    the later register *now* that qualify under *profile* (and, apart, those whose
    verdict is undetermined), how many were in the informal sector in the earlier
    register *then* and are in the formal sector now (``formalised_units``), and their
    share among those informal then (``formalisation_rate``), with the sector of each
    register as its ``work.sector`` (21st ICLS, 2023) on its ``work.as_of``.

    The registers are joined by organisation id. *then* and *now* are what
    :func:`indicators` takes (files, tables, records, organisations, results that kept
    ``work.sector`` and ``work.as_of``); *then* is classified only to read it as the
    model does (its verdicts play no part; its rejected rows are absent, see
    ``earlier``). An organisation *then* does not hold has its earlier sector unknown
    (it may have been an unregistered informal unit), and so has one whose two
    ``work.as_of`` dates are not in order (the earlier not before the later): such a
    pair does not span the period. Groups, *verdicts* and *min_cell* are those of the
    later register, as in :func:`indicators`. *on*: the date the law is read at, for
    both registers (default today); the other arguments are those of
    :class:`~sse_model.RegisterClassifier`, for both.

    Nothing is imputed: ``value`` counts the organisations whose sectors are known at
    both dates; ``lower`` and ``upper`` bound what complete data would give, whatever
    the unknown sectors are. An organisation in the formal sector (or any sector but
    the informal) at the earlier date is not applicable to the rate. Member-producers
    are not followed one by one (the model holds counts of them, not persons): compare
    ``registered_producer_members_share`` of :func:`indicators` over each register.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    (count,) = (i for i in INDICATORS if i.kind is IndicatorKind.TRANSITION_COUNT)
    (rate,) = (i for i in INDICATORS if i.kind is IndicatorKind.TRANSITION_SHARE)
    if isinstance(by, str):
        by = [by]
    by = list(by)
    _check_groups(by, verdicts, min_cell, "formalisation")
    extra = ["legal_form"] if "family" in by else []
    inputs = list(count.inputs)
    kw: dict[str, Any] = {
        "on": on,
        "fiscal_year": fiscal_year,
        "currency": currency,
        "columns": columns,
        "finances": finances,
        "presumptions": presumptions,
        "chunk_rows": chunk_rows,
    }
    earlier, earlier_summary = _earlier(_results(then, profile, inputs, kw), count)
    keep = list(dict.fromkeys([*inputs, *by, *extra]))
    frames = []
    summary = None
    for result in _results(now, profile, keep, kw):
        summary = result.summary if summary is None else summary + result.summary
        table = result.table
        if table.num_rows:
            table = table.filter(pc.is_in(table.column("verdict"), pa.array(list(verdicts))))
        after, after_dates = _states(table, count)
        ids = table.column("organisation_id").cast(pa.string()).to_pylist()
        before = []
        for oid, d in zip(ids, after_dates, strict=True):
            v, d0 = earlier.get(oid, (_ABSENT, None))
            in_order = d0 is None or d is None or d0 < d
            before.append(v if in_order else None)
        frame = pd.DataFrame({k: v.to_pandas() for k, v in _group_keys(table, by).items()})
        keys = list(frame.columns)
        terms = {"_rows": np.ones(table.num_rows)}
        for ind in (count, rate):
            terms.update(_transition_terms(ind, before, after, np))
        both = pd.concat([frame, pd.DataFrame(terms)], axis=1)
        grouped = both.groupby(keys, dropna=False, sort=False, observed=True).sum()
        frames.append(grouped.reset_index())
    rows = _grouped_rows(frames, (count, rate), by, lambda i, g: _transition_row(i, g, min_cell))
    return IndicatorTable(_table(rows, by), summary, earlier_summary)
