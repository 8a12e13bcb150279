"""HTML representations for notebooks (Jupyter calls ``_repr_html_``).

Plain strings with every user-supplied text escaped: no template engine, no dependency.
The renderers read the objects they are given and import none of their classes at run
time (the classes call them from ``_repr_html_``), so this module closes no import
circle: enums are told apart by their values.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

from .._i18n import (
    check_language,
    date_text,
    family_label,
    heading,
    law_title,
    legal_form_label,
    outcome_label,
    principle_label,
    verdict_label,
)
from .._model._schema import IDENTITY
from ._display import Sources, left_aligned, requirement_text, value_text

if TYPE_CHECKING:
    from .._model import Organisation
    from ._profile import Profile
    from ._result import Classification, Outcome

__all__ = ["classification_html", "organisation_html", "profile_html"]

#: colour of each outcome (by :class:`~sse_model.Outcome` value)
_COLOURS = {
    "met": "#1a7f37",
    "not_met": "#cf222e",
    "unknown": "#9a6700",
    "not_applicable": "#6e7781",
}
#: colour of each verdict (by :class:`~sse_model.Verdict` value)
_VERDICT_COLOURS = {
    "qualifies": "#1a7f37",
    "does_not_qualify": "#cf222e",
    "undetermined": "#9a6700",
}
#: the :class:`~sse_model.Status` of a criterion whose reading is not verified
_UNVERIFIED = "unverified"
_TABLE = '<table style="border-collapse:collapse;text-align:left">'


def _badge(text: str, colour: str) -> str:
    return (
        f'<span style="color:white;background:{colour};padding:1px 6px;'
        f'border-radius:4px;font-weight:600;white-space:nowrap">{escape(text)}</span>'
    )


def _outcome(o: Outcome, lang: str | None = None) -> str:
    return _badge(outcome_label(o, lang), _COLOURS[o.value])


def _link(url: str | None, text: str) -> str:
    """*text*, linked to *url* when it is a web address (never a ``javascript:`` one)."""
    if url and url.startswith(("https://", "http://")):
        return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'
    return escape(text)


def _classification_html(c: Classification, lang: str | None = None) -> str:
    """A verdict, a table of criteria with coloured outcomes, principles and missing facts."""
    lang = check_language(lang)
    h = partial(heading, lang=lang)
    fy = f", {h('fiscal year')} {c.fiscal_year}" if c.fiscal_year is not None else ""
    sources = Sources()  # each instrument's title once, under the table
    rows = []
    for r in c.criteria:
        observed = "<br>".join(
            escape(f"{o.fact} = {value_text(o.fact, o.value, lang)}")
            + (" <i>(presumed)</i>" if o.presumed else "")
            for o in r.observed
        )
        flags: list[str] = []
        if r.basis.value == "presumed":
            flags.extend(
                f"presumed by law: {pf.fact} = {pf.value} ({pf.citation}; {pf.source}; "
                f"confidence {pf.confidence})"
                for pf in r.presumptions
            )
        if r.status.value == _UNVERIFIED:
            flags.append("unverified rule")
        if r.interpretation:
            flags.append(f"interpretation: {r.interpretation}")
        law = c.law_note(r)
        if law:
            flags.append(law)
        if r.reason:
            flags.append(r.reason)
        if r.profile and r.profile != c.profile_id:
            flags.append(f"from {r.profile}")
        rows.append(
            "<tr>"
            f"<td>{_outcome(r.outcome, lang)}</td>"
            f"<td><code>{escape(r.id)}</code><br>{escape(r.description)}</td>"
            f"<td>{observed}</td>"
            f"<td>{escape(requirement_text(r.threshold or ''))}</td>"
            f"<td>{escape(sources.cite(r.citation))}</td>"
            f"<td>{'<br>'.join(escape(f) for f in flags)}</td>"
            "</tr>"
        )
    principles = " ".join(
        f"{escape(principle_label(p.principle, lang))} {_outcome(p.outcome, lang)}"
        for p in c.principles
    )
    settle = ""
    s = c.settlement
    if s is not None:
        parts = []
        if s.to_qualify:
            parts.append(
                f"<p>It qualifies if these are met: {escape(', '.join(s.to_qualify))}</p>"
            )
        if s.to_disqualify:
            parts.append(
                "<p>It does not qualify if any of these is not met: "
                f"{escape(', '.join(s.to_disqualify))}</p>"
            )
        if s.missing_facts:
            items = "".join(
                f"<li><code>{escape(m.path)}</code> (decides {escape(', '.join(m.criteria))})</li>"
                for m in s.missing_facts
            )
            parts.append(f"<p><b>To settle this verdict, collect:</b></p><ul>{items}</ul>")
        if s.unresolvable:
            parts.append(
                f"<p>No data can settle: {escape(', '.join(s.unresolvable))} "
                "(see each criterion's notes)</p>"
            )
        settle = "".join(parts)
    if c.rests_on_presumptions:
        settle += (
            "<p><b>This verdict rests on legal presumptions</b> (facts the law of the legal "
            "form or status guarantees); observed facts alone leave it undetermined.</p>"
        )
    if c.inconsistencies:
        items = "".join(
            f"<li><code>{escape(i.fact)}</code>: {escape(i.against)} {escape(i.observed)}, but "
            f"{escape(i.citation)} ({escape(i.source)}) guarantees {escape(i.presumed)}</li>"
            for i in c.inconsistencies
        )
        settle += f"<p><b>Inconsistencies between the facts and the law:</b></p><ul>{items}</ul>"
    title = law_title(c.profile_id, lang)
    law = f"<p>{escape(h('law'))}: {escape(title)}</p>" if title else ""
    head = "".join(
        f"<th>{escape(h(x))}</th>"
        for x in ("outcome", "criterion", "observed", "required", "source", "notes")
    )
    return (
        f"<div><p><b>{escape(c.organisation_id)}</b> under <code>{escape(c.profile_id)}</code> "
        f"({escape(h('version'))} {escape(c.version)}, {escape(h('on'))} "
        f"{escape(date_text(c.on, lang))}{escape(fy)}): "
        f"{_badge(verdict_label(c.verdict, lang), _VERDICT_COLOURS[c.verdict.value])}</p>{law}"
        f"{_TABLE}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{sources.html()}"
        f"<p><b>{escape(h('Principles demonstrated:'))}</b> {principles}</p>{settle}</div>"
    )


def _profile_html(p: Profile) -> str:
    """A profile: instruments, versions, and criteria with citations, dates and status."""
    head = [f"<p><b><code>{escape(p.id)}</code></b>: {escape(p.title)}</p>"]
    meta = f"{escape(p.jurisdiction)} · {escape(p.kind)}"
    if p.extends:
        meta += f" · builds on <code>{escape(p.extends)}</code>"
    head.append(f"<p>{meta}</p>")
    if p.summary:
        head.append(f"<p>{escape(p.summary.strip())}</p>")
    instruments = []
    for i in p.instruments:
        dates = i.status_text()
        instruments.append(
            f"<li>{_link(i.url, i.title)}{escape(f' ({dates})') if dates else ''}</li>"
        )
    if instruments:
        head.append(f"<p><b>Instruments</b></p><ul>{''.join(instruments)}</ul>")
    versions = ", ".join(
        f"{escape(v.label)} ({v.effective_from.isoformat()} to "
        f"{v.effective_to.isoformat() if v.effective_to else 'today'})"
        for v in p.versions
    )
    head.append(f"<p><b>Versions:</b> {versions}</p>")
    rows = []
    for c in p.criteria:
        inst = p.instrument(c.citation.instrument)
        title = inst.title if inst else c.citation.instrument
        span = (
            f"{c.effective_from.isoformat() if c.effective_from else '…'} – "
            f"{c.effective_to.isoformat() if c.effective_to else '…'}"
        )
        status = c.status.value + (f" ({c.confidence})" if c.confidence else "")
        colour = "#9a6700" if c.status.value == _UNVERIFIED else "#1a7f37"
        principles = ", ".join(sorted(x.info.name for x in c.principles))
        notes = [f"interpretation: {c.interpretation}"] if c.interpretation else []
        if c.note:
            notes.append(c.note)
        rows.append(
            f"<tr><td><code>{escape(c.id)}</code></td><td>{escape(c.description)}</td>"
            f"<td>{escape(principles)}</td>"
            f"<td>{escape(title)}, {escape(c.citation.article)}</td><td>{escape(span)}</td>"
            f"<td>{_badge(status, colour)}</td>"
            f"<td>{'<br>'.join(escape(n) for n in notes)}</td></tr>"
        )
    items = "".join(f"<li>{escape(n)}</li>" for n in p.notes)
    return (
        f"<div>{''.join(head)}"
        f"{_TABLE}<thead><tr><th>id</th><th>rule</th><th>principles</th><th>source</th>"
        "<th>in force</th><th>status</th><th>notes</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"{f'<p><b>Notes</b></p><ul>{items}</ul>' if items else ''}</div>"
    )


def _flatten(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Known facts of unstructured data as (dotted path, text) pairs."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(data, list):
        if all(not isinstance(v, dict | list) for v in data):
            yield prefix, ", ".join(str(v) for v in data)
        else:
            for i, v in enumerate(data):
                yield from _flatten(v, f"{prefix}[{i}]")
    elif isinstance(data, bool):
        yield prefix, "yes" if data else "no"
    else:
        yield prefix, str(data)


def _organisation_html(org: Organisation, lang: str | None = None) -> str:
    """Identity, legal form and family, then every known fact; what is absent is unknown."""
    from .._model._forms import form_table
    from .._serialization import unstructure

    lang = check_language(lang)
    form = form_table().get(org.legal_form) if org.legal_form else None
    where = (org.country or "country unknown") + (
        f" ({org.subdivision})" if org.subdivision else ""
    )
    family = family_label(org.family, lang) if org.family else heading("family unknown", lang)
    form_name = legal_form_label(form, lang) if form else heading("legal form unknown", lang)
    data = unstructure(org)
    facts = [(k, v) for k, v in _flatten(data) if k.split(".")[0] not in IDENTITY]
    rows = "".join(
        f"<tr><td><code>{escape(k)}</code></td><td>{escape(value_text(k, v, lang))}</td></tr>"
        for k, v in facts
    )
    table = (
        f"{_TABLE}<thead><tr><th>fact</th><th>value</th></tr></thead><tbody>{rows}</tbody></table>"
        if facts
        else ""
    )
    return (
        f"<div><p><b>{escape(org.name)}</b> (<code>{escape(org.id)}</code>), {escape(where)}</p>"
        f"<p>{escape(form_name)}"
        f"{f' (<code>{escape(form.code)}</code>)' if form else ''} · {escape(family)}</p>"
        f"{table}<p>{len(facts)} facts known; any other fact is unknown (never zero or "
        "false).</p></div>"
    )


def classification_html(c: Classification, lang: str | None = None) -> str:
    """A verdict, a table of criteria with coloured outcomes, principles and missing facts;
    labels in *lang* (see :mod:`sse_model._i18n`)."""
    return left_aligned(_classification_html(c, lang))


def profile_html(p: Profile) -> str:
    """A profile's instruments, versions and criteria (see :func:`_profile_html`)."""
    return left_aligned(_profile_html(p))


def organisation_html(org: Organisation, lang: str | None = None) -> str:
    """Identity, legal form and family, then every known fact; what is absent is unknown;
    family and legal form in *lang* (see :mod:`sse_model._i18n`)."""
    return left_aligned(_organisation_html(org, lang))
