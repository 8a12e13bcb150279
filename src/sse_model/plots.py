"""Charts of classifications and profiles (optional extra: ``pip install 'sse-model[plots]'``).

Each function draws on *ax* (or on a new figure) and returns the matplotlib ``Axes``, so
you can restyle it, add a title or save the figure. matplotlib is imported only when a
function is called.

- :func:`verdicts_by_profile`: how many organisations qualify, do not, or are undetermined;
- :func:`excluding_criteria`: which criteria exclude most organisations;
- :func:`principles_by_family`: the principles demonstrated, per entity family;
- :func:`thresholds_across_countries`: the thresholds several profiles set on the same fact;
- :func:`indicator_bounds`: one indicator by group, its value within its bounds and its
  coverage.
- :func:`sweep_chart`: the verdicts of a register along one swept threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ._engine._ast import Compare, Status
from ._engine._classify import Classifier
from ._engine._evaluate import leaves, threshold_value
from ._engine._facts import FACTS, FactKind
from ._engine._html import _VERDICT_COLOURS
from ._engine._profile import Profile
from ._engine._result import Classification, Outcome, Verdict
from ._model import EntityFamily, Organisation, Principle

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "excluding_criteria",
    "indicator_bounds",
    "principles_by_family",
    "sweep_chart",
    "thresholds_across_countries",
    "verdicts_by_profile",
]

#: Classifications, register results (:func:`sse_model.classify_table`,
#: :func:`sse_model.classify_file`: one or a list), or a DataFrame of either
#: (:func:`sse_model.to_dataframe`, ``RegisterResult.to_pandas()``).
Results = Iterable[Classification] | Any


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        msg = "plots need matplotlib: pip install 'sse-model[plots]'"
        raise ImportError(msg) from None
    return plt


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _, new = _pyplot().subplots(figsize=size, layout="constrained")
    return new  # type: ignore[no-any-return]


def _is_frame(data: object) -> bool:
    return hasattr(data, "columns") and hasattr(data, "itertuples")


def _frame_of(data: Results) -> Any:
    """*data* as a DataFrame if it is one or register results, else ``None``
    (classifications, read as they are)."""
    if _is_frame(data):
        return data
    from ._io._frames import _register_results, to_dataframe

    if _register_results(data) is not None:
        return to_dataframe(data, outcomes=True)
    return None


def _long_frame(table: Any) -> Any:
    """A DataFrame in the long form of ``to_dataframe(..., criteria=True)`` (a wide one,
    with ``criterion.<id>`` columns, is turned long)."""
    if "criterion" in table.columns:
        return table
    if any(str(c).startswith("criterion.") for c in table.columns):
        from ._io._frames import _long_from_wide

        return _long_from_wide(table)
    msg = (
        "expected the DataFrame of to_dataframe(..., criteria=True) or of "
        "to_dataframe(..., outcomes=True) (criterion.<id> columns)"
    )
    raise ValueError(msg)


def _verdict_rows(data: Results) -> list[tuple[str, str, str]]:
    """(organisation id, profile id, verdict value), from classifications, register
    results or a DataFrame."""
    table: Any = _frame_of(data)
    if table is not None:
        frame = table[["organisation_id", "profile_id", "verdict"]].drop_duplicates()
        return [(str(o), str(p), str(v)) for o, p, v in frame.itertuples(index=False)]
    return [(c.organisation_id, c.profile_id, c.verdict.value) for c in data]


def verdicts_by_profile(data: Results, *, ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars: per profile, the number of organisations that qualify, do
    not qualify, or are undetermined.

    *data* is classifications, register results or a DataFrame of either
    (:func:`sse_model.to_dataframe`, with or without ``criteria=True``).
    """
    counts: Counter[tuple[str, str]] = Counter((p, v) for _, p, v in _verdict_rows(data))
    profiles = sorted({p for p, _ in counts}, reverse=True)
    ax = _axes(ax, (8, 0.5 * len(profiles) + 1.5))
    left = [0] * len(profiles)
    for verdict in Verdict:
        widths = [counts[(p, verdict.value)] for p in profiles]
        ax.barh(
            profiles,
            widths,
            left=left,
            label=verdict.value.replace("_", " "),
            color=_VERDICT_COLOURS[verdict.value],
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel("organisations")
    ax.set_title("Verdicts by profile")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


def _not_met_rows(data: Results) -> list[tuple[str, str]]:
    """(profile id, criterion id) for every criterion not met by an organisation that does
    not qualify."""
    table: Any = _frame_of(data)
    if table is not None:
        table = _long_frame(table)
        rows = table[(table["verdict"] == "does_not_qualify") & (table["outcome"] == "not_met")]
        return [(str(p), str(c)) for p, c in rows[["profile_id", "criterion"]].itertuples(False)]
    return [
        (c.profile_id, r.id)
        for c in data
        if c.verdict is Verdict.DOES_NOT_QUALIFY
        for r in c.criteria
        if r.outcome is Outcome.NOT_MET
    ]


def excluding_criteria(data: Results, *, top: int = 5, ax: Axes | None = None) -> Axes:
    """Which criteria exclude most organisations: among organisations that do not qualify,
    how many fail each criterion, for the *top* criteria of each profile.

    An organisation failing two criteria counts for both. *data* is classifications,
    register results or a DataFrame of either (long, ``criteria=True``, or wide,
    ``outcomes=True`` and ``RegisterResult.to_pandas()``).
    """
    counts = Counter(_not_met_rows(data))
    by_profile: dict[str, list[tuple[str, int]]] = {}
    for (profile, criterion), n in counts.items():
        by_profile.setdefault(profile, []).append((criterion, n))
    labels: list[str] = []
    heights: list[int] = []
    colours: list[str] = []
    palette = [f"C{i}" for i in range(10)]
    for i, profile in enumerate(sorted(by_profile)):
        best = sorted(by_profile[profile], key=lambda x: (-x[1], x[0]))[:top]
        for criterion, n in best:
            labels.append(f"{profile}: {criterion}")
            heights.append(n)
            colours.append(palette[i % len(palette)])
    ax = _axes(ax, (8, 0.3 * len(labels) + 1.5))
    positions = list(range(len(labels)))
    ax.barh(positions, heights, color=colours)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlabel("organisations that do not qualify and fail this criterion")
    ax.set_title("Criteria that exclude most organisations")
    return ax


def _families(
    organisations: Iterable[Organisation] | Mapping[str, EntityFamily | None],
) -> dict[str, str]:
    if isinstance(organisations, Mapping):
        pairs = organisations.items()
    else:
        pairs = ((o.id, _family_of(o)) for o in organisations)  # type: ignore[assignment]
    return {oid: (f.value if f is not None else "unknown") for oid, f in pairs}


def _family_of(org: Organisation) -> EntityFamily | None:
    """The family given, else the one the legal form's law makes it (if exactly one)."""
    if org.family is not None or org.legal_form is None:
        return org.family
    from ._model._forms import form_table

    form = form_table().get(org.legal_form)
    return form.family if form is not None else None


def _principle_rows(
    data: Results, classifier: Classifier | None
) -> list[tuple[str, str, set[Principle]]]:
    """(organisation id, profile id, principles demonstrably met) per classification;
    from a frame or register results, each principle's outcome is derived from the
    criteria's outcomes as the engine derives it (a not-met criterion makes it not met,
    else an unknown one unknown, else met if any applies)."""
    table: Any = _frame_of(data)
    if table is None:
        return [
            (
                c.organisation_id,
                c.profile_id,
                {p.principle for p in c.principles if p.outcome is Outcome.MET},
            )
            for c in data
        ]
    long = _long_frame(table)
    c = classifier or Classifier()
    of: dict[tuple[str, date], dict[str, frozenset[Principle]]] = {}
    outcomes: dict[tuple[str, str], dict[Principle, list[str]]] = {}
    for oid, pid, on, cid, outcome in long[
        ["organisation_id", "profile_id", "on", "criterion", "outcome"]
    ].itertuples(index=False):
        day = on.date() if hasattr(on, "date") else on
        if (pid, day) not in of:
            plan = c.plan(str(pid), day)
            of[(pid, day)] = {k.id: frozenset(k.principles) for k in plan.criteria}
        per = outcomes.setdefault((str(oid), str(pid)), {})
        for principle in of[(pid, day)].get(str(cid), frozenset()):
            per.setdefault(principle, []).append(str(outcome))
    rows = []
    for (oid, pid), per in outcomes.items():
        met = set()
        for principle, values in per.items():
            applicable = [v for v in values if v != Outcome.NOT_APPLICABLE.value]
            if applicable and all(v == Outcome.MET.value for v in applicable):
                met.add(principle)
        rows.append((oid, pid, met))
    return rows


def principles_by_family(
    classifications: Results,
    organisations: Iterable[Organisation] | Mapping[str, EntityFamily | None],
    *,
    profile: str | None = None,
    ax: Axes | None = None,
    classifier: Classifier | None = None,
) -> Axes:
    """Grouped bars: per entity family, the share of organisations (in %) that demonstrably
    meet each of the four principles under one profile.

    *classifications* is classifications, register results or a DataFrame of either
    (from a frame, each principle's outcome is derived from the criteria's, by the
    profiles of *classifier*, the shipped ones by default). *organisations* gives each
    organisation's family (the organisations themselves, or a
    mapping from id to :class:`~sse_model.EntityFamily`; an organisation without a family
    takes the one its legal form's law fixes, if any); a family that is not known is
    shown as ``unknown``. When the classifications use several profiles, say which with
    *profile*.
    """
    results = _principle_rows(classifications, classifier)
    profiles = {pid for _, pid, _ in results}
    if profile is None:
        if len(profiles) > 1:
            msg = f"classifications under several profiles {sorted(profiles)}: pass profile="
            raise ValueError(msg)
    else:
        results = [r for r in results if r[1] == profile]
    family_of = _families(organisations)
    totals: Counter[str] = Counter()
    met: Counter[tuple[str, Principle]] = Counter()
    for oid, _pid, demonstrated in results:
        family = family_of.get(oid, "unknown")
        totals[family] += 1
        for p in demonstrated:
            met[(family, p)] += 1
    families = sorted(totals)
    ax = _axes(ax, (max(6, 1.4 * len(families) + 2), 4.5))
    width = 0.8 / len(Principle)
    for i, principle in enumerate(Principle):
        xs = [j + (i - (len(Principle) - 1) / 2) * width for j in range(len(families))]
        shares = [100 * met[(f, principle)] / totals[f] for f in families]
        ax.bar(xs, shares, width=width, label=principle.info.name)
    ax.set_xticks(
        range(len(families)), [f"{f.replace('_', ' ')}\n(n={totals[f]})" for f in families]
    )
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of organisations demonstrating the principle")
    title = next(iter(profiles)) if profile is None and profiles else profile
    ax.set_title(f"Principles demonstrated by family under {title}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, fontsize="small")
    return ax


def _threshold_points(
    profile_ids: Iterable[str | Profile], on: date, classifier: Classifier
) -> list[tuple[str, str, str, str, Fraction, bool]]:
    """(fact, profile, criterion, comparison, exact threshold, unverified) for every
    numeric threshold in force on *on* that is not an amount of money."""
    points = []
    for p in profile_ids:
        plan = classifier.plan(p, on)
        pid = p if isinstance(p, str) else p.id
        now = plan.in_force_on_date()
        for crit in (c for c, live in zip(plan.criteria, now, strict=True) if live):
            for leaf in leaves(crit):
                if not isinstance(leaf, Compare) or FACTS[leaf.fact].kind is FactKind.AMOUNT:
                    continue
                value = threshold_value(leaf.threshold, plan)
                if value is None or value[1] is not None:
                    continue
                point = (
                    leaf.fact,
                    pid,
                    crit.id,
                    leaf.op.symbol,
                    value[0],
                    crit.status is Status.UNVERIFIED,
                )
                if point not in points:
                    points.append(point)
    return points


def thresholds_across_countries(
    profile_ids: Iterable[str],
    *,
    on: date | str,
    facts: Iterable[str] | None = None,
    ax: Axes | None = None,
    classifier: Classifier | None = None,
) -> Axes:
    """Horizontal bars: the thresholds several profiles set on the same fact, on *on*
    (required: no default date; a date, an ISO string, a datetime or a pandas Timestamp).

    By default, every share (a ratio fact) tested by at least two of the profiles, in %;
    pass *facts* to choose (all shares, or all counts: one scale per chart). Amounts of
    money are left out: they are in different currencies. Unverified rules are hatched.
    The bar label gives the comparison (``>= 51 %``).
    """
    from ._checks import on_date, profiles

    c = classifier or Classifier()
    day = on_date(on)
    points = _threshold_points(profiles(profile_ids), day, c)
    if facts is None:
        by_fact: dict[str, set[str]] = {}
        for fact, pid, *_ in points:
            by_fact.setdefault(fact, set()).add(pid)
        chosen = {
            f for f, ps in by_fact.items() if len(ps) >= 2 and FACTS[f].kind is FactKind.RATIO
        }
    else:
        chosen = set(facts)
        unknown = sorted(f for f in chosen if f not in FACTS)
        if unknown:
            msg = f"unknown fact(s) {unknown}"
            raise ValueError(msg)
    kinds = {FACTS[f].kind for f in chosen}
    if len(kinds) > 1:
        msg = "expected facts of one kind (all shares or all counts) to share one scale"
        raise ValueError(msg)
    ratio = kinds == {FactKind.RATIO}
    shown = sorted((p for p in points if p[0] in chosen), key=lambda p: (p[0], p[1], p[2]))
    labels = [f"{fact}\n{pid} ({crit})" for fact, pid, crit, *_ in shown]
    values = [float(v * 100) if ratio else float(v) for *_, v, _u in shown]
    ax = _axes(ax, (8, 0.45 * len(shown) + 1.5))
    positions = list(range(len(shown)))
    facts_order = sorted({p[0] for p in shown})
    bars = ax.barh(
        positions,
        values,
        color=[f"C{facts_order.index(p[0]) % 10}" for p in shown],
    )
    for bar, point in zip(bars, shown, strict=True):
        if point[5]:
            bar.set_hatch("//")
    unit = " %" if ratio else ""
    texts = []
    for (_f, _p, _c, symbol, value, unverified), _v in zip(shown, values, strict=True):
        exact = value * 100 if ratio else value
        number = f"{float(exact):g}" if exact.denominator != 1 else str(exact.numerator)
        texts.append(f"{symbol} {number}{unit}" + (" (unverified)" if unverified else ""))
    ax.bar_label(bars, texts, padding=3, fontsize="small")
    ax.set_yticks(positions, labels, fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("threshold (%)" if ratio else "threshold")
    ax.set_title(f"Thresholds on the same facts, {day.isoformat()}")
    if ratio:
        ax.set_xlim(0, 115)
    return ax


def indicator_bounds(table: Any, indicator: str, *, ax: Axes | None = None) -> Axes:
    """One indicator of an :class:`~sse_model.IndicatorTable` (or its ``.to_pandas()``),
    one row per group: a dot at the value computed over those that reported, a bar from
    the lower to the upper bound (to the edge of the chart when there is no bound), and
    the coverage as text. Suppressed groups show their label only. Amounts in several
    currencies (average hourly earnings across countries) are refused: plot one at a
    time."""
    import math

    frame = table.to_pandas() if hasattr(table, "to_pandas") else table
    rows = frame[frame["indicator"] == indicator]
    if rows.empty:
        raise ValueError(f"expected an indicator of the table, got {indicator!r}")
    groups = list(frame.columns[: list(frame.columns).index("indicator")])
    shown = [g for g in groups if rows[g].nunique(dropna=False) > 1] or groups[1:2]

    def missing(v: Any) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    def finite(v: Any) -> float | None:
        return None if missing(v) or math.isinf(v) else float(v)

    units = sorted(
        {str(u) for u, v in zip(rows["unit"], rows["value"], strict=True) if not missing(v)}
    )
    if len(units) > 1:  # amounts in several currencies: never on one axis
        message = (
            f"expected the rows of {indicator!r} in one unit, got {', '.join(units)}: "
            "plot the rows of one currency (one country) at a time"
        )
        raise ValueError(message)

    def bound(v: Any) -> float | None:  # an infinite bound runs to the chart's edge
        return float(v) if not missing(v) and math.isinf(v) else finite(v)

    labels, values, lowers, uppers, coverages = [], [], [], [], []
    for r in rows.to_dict("records"):
        labels.append(", ".join("-" if missing(r[g]) else str(r[g]) for g in shown))
        values.append(finite(r["value"]))
        lowers.append(bound(r["lower"]))
        uppers.append(bound(r["upper"]))
        coverages.append(finite(r["coverage"]))
    known = [v for v in (*values, *lowers, *uppers) if v is not None and not math.isinf(v)]
    edge = max(known, default=1.0) * 1.1 or 1.0
    # a gap may be negative: the chart starts at 0 unless a value or bound is below it
    start = min(0.0, *known) * 1.1 if known else 0.0
    ax = _axes(ax, (8, 0.45 * len(labels) + 1.5))
    ys = list(range(len(labels)))[::-1]
    for y, lo, up, v, c in zip(ys, lowers, uppers, values, coverages, strict=True):
        if lo is not None and up is not None:
            ax.hlines(y, max(lo, start), min(up, edge), color="#8c959f", linewidth=6, alpha=0.6)
        if v is not None:
            ax.plot([v], [y], "o", color="#0969da")
        note = (
            "suppressed"
            if lo is None and v is None
            else f"coverage {c:.0%}"
            if c is not None
            else ""
        )
        ax.text(edge, y, f"  {note}", va="center", fontsize="small")
    ax.set_yticks(ys, labels)
    ax.set_xlim(start, edge)
    unit = units[0] if units else str(rows["unit"].iloc[0])
    ax.set_xlabel(unit)
    ax.set_title(f"{indicator}: value (dot) within its bounds (bar)")
    return ax


def sweep_chart(sweep: Any, *, shares: bool = False, ax: Axes | None = None) -> Axes:
    """Stacked areas: how many organisations qualify, do not, and stay undetermined at
    each value of a swept threshold (:func:`sse_model.sweep`), with the profile's own
    value marked. The undetermined band is drawn, never folded into the others.
    *shares*: shares of the organisations classified instead of counts.
    """
    ax = _axes(ax, (8, 4.5))
    ratio = FACTS[sweep.fact].kind is FactKind.RATIO
    xs = [float(p.value * 100) if ratio else float(p.value) for p in sweep.points]
    names = ("qualifies", "undetermined", "does_not_qualify")
    series = []
    for name in names:
        ys = [getattr(p, name) for p in sweep.points]
        if shares:
            ys = [y / (p.total or 1) for y, p in zip(ys, sweep.points, strict=True)]
        series.append(ys)
    ax.stackplot(
        xs,
        series,
        labels=[n.replace("_", " ") for n in names],
        colors=[_VERDICT_COLOURS[n] for n in names],
        step="mid",
    )
    if sweep.current is not None:
        now = float(sweep.current * 100) if ratio else float(sweep.current)
        ax.axvline(now, color="black", linestyle="--", linewidth=1)
        ax.annotate("in force", (now, 0), xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel(f"{sweep.fact} {sweep.op.symbol} value" + (" (%)" if ratio else ""))
    ax.set_ylabel("share of organisations" if shares else "organisations")
    ax.set_title(f"{sweep.target} in {sweep.profile_id}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, fontsize="small")
    return ax
