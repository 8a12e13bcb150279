"""The inventory of the catalogs' messages, derived from the code and the shipped data,
and what the catalogs say about each term (verified, secondary, English kept).

Kept apart from :mod:`sse_model._i18n` so that the displays, which import that module,
import no engine module through it. Maintainers run ``python -m sse_model._catalogs
update`` after adding a heading, a legal form or a profile (new entries come in fuzzy,
to review against research/local-terms.md), and ``... table`` for the languages guide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

import attrs

from ._i18n import DOMAIN, ENGLISH_KEPT, HEADINGS, LANGUAGES, _english, _law_language, catalog

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = [
    "Message",
    "TermRow",
    "messages",
    "source_comment",
    "term_rows",
    "term_table",
    "updated",
]


# --- the inventory of messages ------------------------------------------------------------


@attrs.frozen
class Message:
    """One entry every catalog of *languages* must hold."""

    context: str
    msgid: str
    #: the languages whose catalog holds it (the law's language for law names)
    languages: tuple[str, ...]


def messages() -> tuple[Message, ...]:
    """Every message of the catalogs, derived from the code and the shipped data: the
    labels (families, verdicts, outcomes, principles, headings) in every language, each
    legal form's name and each national profile's title in its law's language."""
    from ._engine._loader import load_profile, profile_ids
    from ._engine._result import Outcome, Verdict
    from ._model._forms import EntityFamily, form_table
    from ._model._principles import Principle

    every = LANGUAGES[1:]
    out: list[Message] = []
    out += [Message("family", _english(f.value), every) for f in EntityFamily]
    out += [Message("verdict", _english(v.value), every) for v in Verdict]
    out += [Message("outcome", _english(o.value), every) for o in Outcome]
    out += [Message("principle", p.info.name, every) for p in Principle]
    out += [Message("heading", h, every) for h in HEADINGS]
    for code, form in sorted(form_table().items()):
        lang = _law_language(form.country)
        if lang is not None:
            out.append(Message(f"legal form {code}", form.name, (lang,)))
    for pid in profile_ids():
        p = load_profile(pid)
        lang = _law_language(pid.split("/", 1)[0])
        if lang is not None:
            out.append(Message(f"profile title {pid}", p.title, (lang,)))
    return tuple(out)


# --- what is verified, secondary or English ----------------------------------------------

_SOURCE = re.compile(r"^(verified|secondary): (.+)$")


@attrs.frozen
class TermRow:
    """One catalog entry, as docs/guides/languages.md lists it."""

    lang: str
    context: str
    msgid: str
    #: the translation, or "" where English is kept
    term: str
    #: ``verified``, ``secondary`` or ``English kept``
    status: str
    #: where the term comes from (the local-terms.md row), or why English is kept
    source: str


def source_comment(message: Any) -> str:
    """A catalog entry's translator comment in one line (babel wraps long comments over
    several ``#.`` lines)."""
    return " ".join(" ".join(message.auto_comments).split())


def _entries(lang: str) -> Iterator[Any]:
    for m in catalog(lang):
        if m.id:
            yield m


def term_rows(lang: str) -> tuple[TermRow, ...]:
    """The entries of *lang*'s catalog with their status (verified, secondary, English
    kept) and source, read from the translator comments."""
    rows = []
    for m in _entries(lang):
        status, source = "English kept", ""
        comment = source_comment(m)
        found = _SOURCE.match(comment)
        if found and m.string:
            status, source = found[1], found[2]
        elif not m.string and comment.startswith(ENGLISH_KEPT):
            source = comment.removeprefix(ENGLISH_KEPT).lstrip(" ;")
        rows.append(TermRow(lang, m.context or "", str(m.id), str(m.string), status, source))
    return tuple(rows)


_KINDS = {"family": "families", "legal": "legal forms", "profile": "profile titles"}


def term_table() -> str:
    """Markdown: per language, the entries translated (verified or secondary) and how many
    keep English; the table docs/guides/languages.md shows."""
    lines = [
        "| language | kind | English | label | status | source |",
        "|---|---|---|---|---|---|",
    ]
    counts = ["", "| language | verified | secondary | English kept |", "|---|---|---|---|"]
    for lang in LANGUAGES[1:]:
        rows = term_rows(lang)
        tally = {"verified": 0, "secondary": 0, "English kept": 0}
        for r in rows:
            tally[r.status] += 1
            if r.status == "English kept":
                continue
            kind = r.context.replace("profile title ", "profile ")
            lines.append(f"| {lang} | {kind} | {r.msgid} | {r.term} | {r.status} | {r.source} |")
        counts.append(
            f"| {lang} | {tally['verified']} | {tally['secondary']} | {tally['English kept']} |"
        )
    kept = ["", "| language | English kept (no verified term) |", "|---|---|"]
    for lang in LANGUAGES[1:]:
        groups: dict[str, list[str]] = {}
        sizes: dict[str, int] = {}
        for r in term_rows(lang):
            kind = r.context.split(" ")[0] if " " in r.context else r.context
            what = r.context.rsplit(" ", 1)[-1] if " " in r.context else r.msgid
            sizes[kind] = sizes.get(kind, 0) + 1
            if r.status == "English kept":
                groups.setdefault(kind, []).append(what)
        parts = []
        for kind, names in groups.items():
            label = _KINDS.get(kind, kind + "s")
            if len(names) == sizes[kind]:
                parts.append(f"{label}: all {len(names)}")
            elif kind == "heading":
                parts.append(f"{label}: {len(names)} of {sizes[kind]}")
            else:
                parts.append(f"{label}: {', '.join(names)}")
        kept.append(f"| {lang} | {'; '.join(parts)} |")
    return "\n".join(lines + counts + kept) + "\n"


def updated(lang: str, old: Catalog | None = None) -> Catalog:
    """*lang*'s catalog (or *old*) in step with :func:`messages`: entries kept as they
    are, new ones added empty and fuzzy (to review against local-terms.md: the tests fail
    until someone does), entries no longer used dropped."""
    from babel.messages.catalog import Catalog

    old = catalog(lang) if old is None else old
    new = Catalog(
        locale=lang,
        domain=DOMAIN,
        header_comment=old.header_comment,
        project=old.project,
        version=old.version,
        copyright_holder=old.copyright_holder,
        msgid_bugs_address=old.msgid_bugs_address,
        creation_date=old.creation_date,
        fuzzy=False,
    )
    for m in messages():
        if lang not in m.languages:
            continue
        have = old.get(m.msgid, context=m.context)
        if have is not None:
            new.add(
                m.msgid,
                have.string,
                context=m.context,
                auto_comments=have.auto_comments,
                flags=have.flags,
            )
        else:
            new.add(
                m.msgid,
                "",
                context=m.context,
                auto_comments=[
                    f"new: check research/local-terms.md, then translate or write '{ENGLISH_KEPT}'"
                ],
                flags=("fuzzy",),
            )
    return new


def _write(lang: str) -> None:  # pragma: no cover - a maintainer's tool
    from babel.messages.pofile import write_po

    path = resources.files("sse_model").joinpath(
        "_data", "locale", lang, "LC_MESSAGES", f"{DOMAIN}.po"
    )
    new = updated(lang)  # read before the file is opened for writing
    with open(str(path), "wb") as f:
        write_po(f, new, width=0, sort_output=False)


if __name__ == "__main__":  # pragma: no cover
    import sys

    if sys.argv[1:] == ["update"]:
        for language in LANGUAGES[1:]:
            _write(language)
    elif sys.argv[1:] == ["table"]:
        sys.stdout.write(term_table())
    else:
        sys.exit("usage: python -m sse_model._catalogs update|table")
