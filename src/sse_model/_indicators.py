"""What the SSE contributes: indicators over the organisations of a register that
qualify (or may qualify) under a profile.

Each indicator is declared once (:data:`INDICATORS`): what it counts, its formula,
unit, source and how sure the source is; the computation, the tidy table, the CLI
and the generated definition page (``docs/generated/indicators.md``) read the
declarations. Missing data is never imputed: every value comes with its coverage
(the share of organisations, and of persons, that reported it) and with bounds that
assume nothing about what was not reported (worst cases, in the manner of Manski).

The computation runs on columns: the register is classified chunk by chunk (the
columnar lane), the inputs ride along as kept columns, each chunk is reduced to sums
per group, and the sums of all chunks are added at the end; memory holds one chunk
and the groups.
"""

from __future__ import annotations

import enum
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import FieldError, InvalidInput

if TYPE_CHECKING:
    import pyarrow as pa

    from ._engine._profile import Profile
    from ._io._batch import RegisterResult, RegisterSummary

__all__ = [
    "INDICATORS",
    "Indicator",
    "IndicatorKind",
    "IndicatorTable",
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

    @property
    def inputs(self) -> tuple[str, ...]:
        """The flat columns it reads."""
        return tuple(c for c in (self.num, self.den, self.cap) if c is not None)


def _i(**kw: Any) -> Indicator:
    return Indicator(**kw)


_DWI = (
    "ILO, Decent Work Indicators: Guidelines for producers and users of statistical and "
    "legal framework indicators, 2nd version (2013)"
)
_WR = "Resolution concerning statistics on work relationships, 20th ICLS (2018)"
_COOP = "Guidelines concerning statistics of cooperatives, 20th ICLS (2018)"

#: every indicator, in the order of the tables
INDICATORS: tuple[Indicator, ...] = (
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
            "ILC Resolution concerning decent work and the SSE (2022) (inclusion); the "
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
)

_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def indicator_inputs(only: Iterable[str] | None = None) -> tuple[str, ...]:
    """The flat columns the indicators read (pass them as ``keep=`` to a
    :class:`~sse_model.RegisterClassifier` to compute indicators from its results)."""
    chosen = _chosen(only)
    return tuple(dict.fromkeys(c for i in chosen for c in i.inputs))


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


# --- reading the inputs of a chunk ---------------------------------------------------------


def _parsed(path: str, column: Any, np: Any) -> Any:
    """A text column of the flat vocabulary as numbers (``nan``: unknown): each distinct
    cell parsed once, as the exact lane parses it; a choice or yes/no as its value's text
    (``None``: unknown)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ._io._columns import _parser
    from ._model._declare import Kind
    from ._model._schema import COLUMNS

    col = COLUMNS[path]
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    encoded = pc.dictionary_encode(column)
    parse = _parser(path)
    values = []
    for cell in encoded.dictionary.to_pylist():
        try:
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


def _partial(
    table: Any, chosen: Sequence[Indicator], by: Sequence[str], verdicts: Sequence[str]
) -> Any:
    """One chunk of results (kept columns included) reduced to sums per group."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.num_rows:
        table = table.filter(pc.is_in(table.column("verdict"), pa.array(list(verdicts))))
    n = table.num_rows
    cols = {}
    for name in dict.fromkeys(c for i in chosen for c in i.inputs):
        if name in table.column_names:
            cols[name] = _parsed(name, table.column(name), np)
    frame = pd.DataFrame({k: v.to_pandas() for k, v in _group_keys(table, by).items()})
    terms = pd.DataFrame(_components(chosen, cols, n, np))
    keys = list(frame.columns)
    both = pd.concat([frame, terms], axis=1)
    return both.groupby(keys, dropna=False, sort=False, observed=True).sum().reset_index()


# --- the values -----------------------------------------------------------------------------


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def _row(ind: Indicator, g: Mapping[str, float], min_cell: int) -> dict[str, Any]:
    """The value, bounds and coverage of *ind* from the sums *g* of one group."""
    p = ind.id + "."
    entities = int(g["_rows"])
    value: float | None
    lower: float | None
    upper: float | None
    notes: list[str] = []
    person_coverage: float | None = None
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
        if ind.kind is IndicatorKind.SHARE:
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
        "unit": ind.unit,
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
    partials: list[Any], chosen: Sequence[Indicator], by: Sequence[str], min_cell: int
) -> pa.Table:
    import pandas as pd
    import pyarrow as pa

    keys = ["profile_id", "verdict_group", *by]
    rows: list[dict[str, Any]] = []
    if partials:
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
                rows.append({**group, **_row(ind, g, min_cell)})
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


def indicators(
    register: Any,
    profile: str | Profile | Sequence[str | Profile] | None = None,
    *,
    by: Sequence[str] = (),
    verdicts: Sequence[str] = ("qualifies", "undetermined"),
    min_cell: int = 3,
    only: Iterable[str] | None = None,
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
    :data:`INDICATORS`). *on*: the date the law is read at (default today). The other
    arguments are those of :class:`~sse_model.RegisterClassifier`.

    Nothing is imputed: ``value`` is computed over the organisations that reported,
    ``lower`` and ``upper`` bound the value the complete data would give, whatever the
    unreported values are; ``coverage`` says how many reported.
    """
    chosen = _chosen(only)
    if isinstance(by, str):
        by = [by]
    by = list(by)
    names: list[Any] = by
    if not all(isinstance(b, str) and b for b in names) or len(set(by)) != len(by):
        message = f"expected distinct column names, got {by!r}"
        raise InvalidInput("indicators", [FieldError("by", message)])
    clash = [b for b in by if b in ("profile_id", "verdict_group", *VALUE_COLUMNS)]
    if clash:
        message = f"expected input columns, got {clash!r}: columns of the indicator table"
        raise InvalidInput("indicators", [FieldError("by", message)])
    wanted: Any = verdicts
    bad = [v for v in verdicts if v not in VERDICT_ORDER]
    if bad or isinstance(wanted, str):
        message = f"expected verdicts among {', '.join(VERDICT_ORDER)}, got {verdicts!r}"
        raise InvalidInput("indicators", [FieldError("verdicts", message)])
    cell: Any = min_cell
    if isinstance(cell, bool) or not isinstance(cell, int) or cell < 0:
        message = f"expected a whole number >= 0, got {min_cell!r}"
        raise InvalidInput("indicators", [FieldError("min_cell", message)])
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
        partials.append(_partial(result.table, chosen, by, verdicts))
        summary = result.summary if summary is None else summary + result.summary
    return IndicatorTable(_finish(partials, chosen, by, min_cell), summary)
