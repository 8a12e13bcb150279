"""HTML tables of the results for notebooks: register results, one organisation under
several profiles, the comparisons of profiles and thresholds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from ._display import MAX_ROWS, Sources, html_table, requirement_text
from ._html import _COLOURS, _VERDICT_COLOURS
from ._html import _badge as _html_badge

__all__ = [
    "classification_table_html",
    "principle_records",
    "records_frame",
    "records_html",
    "register_html",
    "threshold_records",
]


def _badge(value: str, lang: str | None = None) -> str:
    from .._i18n import outcome_label, verdict_label

    if value in _VERDICT_COLOURS:
        return _html_badge(verdict_label(value, lang), _VERDICT_COLOURS[value])
    if value in _COLOURS:
        return _html_badge(outcome_label(value, lang), _COLOURS[value])
    return _html_badge(value.replace("_", " "), "#6e7781")


def _more(shown: int, total: int) -> str:
    if shown >= total:
        return ""
    return f"<p>{shown} of {total} rows shown; all of them: <code>.to_pandas()</code></p>"


def register_html(result: Any, lang: str | None = None) -> str:
    """A register result: its summary, then a row per organisation and profile (the
    first :data:`MAX_ROWS`), then the rejected rows; labels, numbers and the date in
    *lang* (column names are identifiers: English)."""
    from .._i18n import check_language, date_text, heading, number_text

    lang = check_language(lang)
    s = result.summary
    table = result.table.slice(0, MAX_ROWS)
    keep = [c for c in table.column_names if c not in ("on", "assumptions")]
    rows = []
    for r in table.select(keep).to_pylist():
        cells = []
        for name in keep:
            value = r[name]
            if name == "verdict" or (name.startswith("criterion.") and value is not None):
                cells.append(_badge(str(value), lang))
            elif isinstance(value, list):
                cells.append(escape(", ".join(value)))
            elif isinstance(value, bool):
                cells.append("yes" if value else "no")
            else:
                cells.append("" if value is None else escape(str(value)))
        rows.append(cells)
    headers = [k.removeprefix("criterion.") for k in keep]
    on = date_text(result.table.column("on")[0].as_py(), lang) if result.table.num_rows else ""

    def n(count: int) -> str:
        return escape(number_text(count, lang))

    h = {k: escape(heading(k, lang)) for k in ("rows", "classified", "rejected", "on")}
    when = f", {h['on']} {escape(on)}" if on else ""
    head = (
        f"<p><b>{n(s.rows)} {h['rows']}</b>: {n(s.classified)} {h['classified']}, "
        f"{n(s.rejected)} {h['rejected']}{when}</p>"
    )
    rejected = ""
    if result.rejected:
        items = [
            [
                escape(str(r.number)),
                escape(r.id or ""),
                "<br>".join(escape(f"{e.path}: {e.message}") for e in r.errors),
            ]
            for r in result.rejected[:MAX_ROWS]
        ]
        rejected = "<p><b>Rejected rows</b></p>" + html_table(["row", "id", "errors"], items)
    return (
        f"<div>{head}{html_table(headers, rows)}{_more(table.num_rows, result.table.num_rows)}"
        f"{rejected}</div>"
    )


def classification_table_html(t: Any, lang: str | None = None) -> str:
    """One organisation under several profiles: verdict and counts of outcomes each;
    labels, numbers and the date in *lang*."""
    from .._i18n import check_language, date_text, heading, number_text, outcome_label

    lang = check_language(lang)
    rows = []
    for r in t.results:
        counts = {o: sum(1 for x in r.criteria if x.outcome.value == o) for o in _OUTCOMES}
        rows.append(
            [
                f"<code>{escape(r.profile_id)}</code>",
                escape(r.version),
                _badge(r.verdict.value, lang),
                *(escape(number_text(counts[o], lang)) for o in _OUTCOMES),
            ]
        )
    note = (
        f"<p>Not in force on this date: {escape(', '.join(t.not_in_force))}</p>"
        if t.not_in_force
        else ""
    )
    headers = [heading("profile", lang), heading("version", lang), heading("verdict", lang)]
    headers += [outcome_label(o, lang) for o in _OUTCOMES]
    return (
        f"<div><p><b>{escape(t.organisation_id)}</b> {escape(heading('on', lang))} "
        f"{escape(date_text(t.on, lang))}</p>{html_table(headers, rows)}{note}</div>"
    )


_OUTCOMES = ("met", "not_met", "unknown")


def principle_records(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """The rows of :func:`~sse_model.compare_profiles`, one record per criterion (a
    principle no criterion puts into practice: one record without a criterion)."""
    out: list[dict[str, Any]] = []
    for r in rows:
        base = {"profile_id": r.profile_id, "version": r.version, "principle": r.principle.value}
        if not r.criteria:
            out.append(
                {**base, **dict.fromkeys(("criterion", "requirement", "citation", "flags"))}
            )
        for cid, requirement, citation, flags in r.criteria:
            out.append(
                {
                    **base,
                    "criterion": cid,
                    "requirement": requirement,
                    "citation": citation,
                    "flags": flags,
                }
            )
    return out


def threshold_records(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """The rows of :func:`~sse_model.compare_thresholds` as records."""
    return [
        {
            "fact": r.fact,
            "profile_id": r.profile_id,
            "version": r.version,
            "criterion": r.criterion,
            "requirement": r.requirement,
            "citation": r.citation,
            "status": r.status.value,
        }
        for r in rows
    ]


def records_html(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Records as a left-aligned table, every value escaped (the first :data:`MAX_ROWS`):
    requirements in display form (money with thousands separators, ratios as ratios),
    citations as ``[n] article`` with the instruments listed once under the table."""
    sources = Sources()
    rows = []
    for r in records[:MAX_ROWS]:
        cells = []
        for c in columns:
            value = r[c]
            if value is None:
                text = ""
            elif c == "citation":
                text = sources.cite(str(value))
            elif c == "requirement":
                text = requirement_text(str(value), r.get("fact"))
            else:
                text = str(value)
            cells.append(escape(text))
        rows.append(cells)
    return (
        f"<div>{html_table(columns, rows)}{_more(len(rows), len(records))}{sources.html()}</div>"
    )


def records_frame(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    """Records as a DataFrame of *columns* (text; ``None`` where not given)."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        msg = "DataFrames need pandas: pip install 'sse-model[dataframes]'"
        raise ImportError(msg) from None
    return pd.DataFrame(list(records), columns=list(columns))
