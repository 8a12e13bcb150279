"""HTML representations for notebooks (Jupyter calls ``_repr_html_``).

Plain strings with escaped content: no template engine, no dependency.
"""

from __future__ import annotations

from html import escape

from ._profile import Profile
from ._result import Classification, Outcome, Verdict

__all__ = ["classification_html", "profile_html"]

_COLOURS = {
    Outcome.MET: "#1a7f37",
    Outcome.NOT_MET: "#cf222e",
    Outcome.UNKNOWN: "#9a6700",
    Outcome.NOT_APPLICABLE: "#6e7781",
}
_VERDICT_COLOURS = {
    Verdict.QUALIFIES: "#1a7f37",
    Verdict.DOES_NOT_QUALIFY: "#cf222e",
    Verdict.UNDETERMINED: "#9a6700",
}


def _badge(text: str, colour: str) -> str:
    return (
        f'<span style="color:white;background:{colour};padding:1px 6px;'
        f'border-radius:4px;font-weight:600">{escape(text)}</span>'
    )


def classification_html(c: Classification) -> str:
    """A verdict, a table of criteria with coloured outcomes, principles and missing facts."""
    fy = f", fiscal year {c.fiscal_year}" if c.fiscal_year is not None else ""
    rows = []
    for r in c.criteria:
        observed = "<br>".join(escape(f"{o.fact} = {o.value}") for o in r.observed)
        flags = []
        if r.status.value == "unverified":
            flags.append("unverified rule")
        if r.interpretation:
            flags.append(f"interpretation: {r.interpretation}")
        if r.reason:
            flags.append(r.reason)
        rows.append(
            "<tr>"
            f"<td>{_badge(r.outcome.value.replace('_', ' '), _COLOURS[r.outcome])}</td>"
            f"<td><code>{escape(r.id)}</code><br>{escape(r.description)}</td>"
            f"<td>{observed}</td>"
            f"<td>{escape(r.threshold or '')}</td>"
            f"<td>{escape(r.citation)}</td>"
            f"<td>{'<br>'.join(escape(f) for f in flags)}</td>"
            "</tr>"
        )
    principles = ", ".join(
        f"{escape(p.principle.info.name)}: {escape(p.outcome.value)}" for p in c.principles
    )
    settle = ""
    if c.settlement is not None:
        items = "".join(
            f"<li><code>{escape(m.path)}</code> (decides {escape(', '.join(m.criteria))})</li>"
            for m in c.settlement.missing_facts
        )
        unresolvable = (
            f"<p>No data can settle: {escape(', '.join(c.settlement.unresolvable))}</p>"
            if c.settlement.unresolvable
            else ""
        )
        settle = f"<p><b>To settle this verdict, collect:</b></p><ul>{items}</ul>{unresolvable}"
    return (
        f"<div><p><b>{escape(c.organisation_id)}</b> under <code>{escape(c.profile_id)}</code> "
        f"(version {escape(c.version)}, on {c.on.isoformat()}{fy}): "
        f"{_badge(c.verdict.value.replace('_', ' '), _VERDICT_COLOURS[c.verdict])}</p>"
        "<table><thead><tr><th>outcome</th><th>criterion</th><th>observed</th>"
        "<th>required</th><th>source</th><th>notes</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p><b>Principles:</b> {principles}</p>{settle}</div>"
    )


def profile_html(p: Profile) -> str:
    """A profile's versions and criteria, with citations, dates and status."""
    versions = ", ".join(
        f"{escape(v.label)} ({v.effective_from.isoformat()} to "
        f"{v.effective_to.isoformat() if v.effective_to else 'today'})"
        for v in p.versions
    )
    rows = []
    for c in p.criteria:
        inst = p.instrument(c.citation.instrument)
        title = inst.title if inst else c.citation.instrument
        span = (
            f"{c.effective_from.isoformat() if c.effective_from else '…'} – "
            f"{c.effective_to.isoformat() if c.effective_to else '…'}"
        )
        rows.append(
            f"<tr><td><code>{escape(c.id)}</code></td><td>{escape(c.description)}</td>"
            f"<td>{escape(title)}, {escape(c.citation.article)}</td><td>{escape(span)}</td>"
            f"<td>{escape(c.status.value)}</td></tr>"
        )
    return (
        f"<div><p><b><code>{escape(p.id)}</code></b>: {escape(p.title)}</p>"
        f"<p>Versions: {versions}</p>"
        "<table><thead><tr><th>id</th><th>rule</th><th>source</th><th>in force</th>"
        f"<th>status</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
