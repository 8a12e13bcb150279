"""Display labels in the project countries' languages: gettext catalogs read with babel.

The catalogs are the ``.po`` files in ``_data/locale/<lang>/LC_MESSAGES/sse_model.po``,
shipped as package data. They are the only source: on first use in a process, each is
read with :func:`babel.messages.pofile.read_po`, compiled in memory with
:func:`babel.messages.mofile.write_mo` and loaded as :class:`babel.support.Translations`
(gettext). No ``.mo`` file is committed or built at install time, so a plain
``pip install .`` (or a wheel, or a checkout on ``PYTHONPATH``) can never hold a compiled
catalog older than its source; compiling the few hundred messages takes milliseconds.

Every translation comes from ``research/local-terms.md`` (a row marked verified or
secondary, cited in a translator comment ``#. verified: local-terms.md §4 row "..."``)
or from a law's own title quoted there (§7). Where the research found no term, the entry
is left untranslated with the comment ``#. no verified term: English kept``, and the
display shows English. Nothing here is a translation made up for the library.

What is localised, and what is not:

- labels: entity families, verdicts, outcomes, the principles' names, headings of the
  text and HTML displays (one catalog entry each, in every language);
- names that belong to a law: a legal form's name and a profile's title are in the
  catalog of the language of the law (``vn/...`` in ``vi``, ``kr/...`` in ``ko``...). A
  display in that language shows the law's own name; a display in another language shows
  the English one (never a third script the reader did not ask for);
- numbers and dates: formatted for the language's locale by babel (``3.000`` and
  ``30 thg 6, 2025`` in ``vi``); English (``lang=None`` or ``"en"``) keeps the plain forms
  (``3000``, ``2025-06-30``) the displays always had;
- never: identifiers (profile, criterion and legal-form ids, fact paths, enum values)
  and every machine format (JSON, CSV, Parquet), which stay English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._errors import SSEModelError

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog
    from babel.support import Translations

    from ._engine._profile import Profile
    from ._model._forms import LegalForm

__all__ = [
    "COUNTRY_LANGUAGE",
    "ENGLISH_KEPT",
    "HEADINGS",
    "LANGUAGES",
    "UnknownLanguage",
    "catalog",
    "check_language",
    "date_text",
    "family_label",
    "heading",
    "law_title",
    "legal_form_label",
    "number_text",
    "outcome_label",
    "principle_label",
    "profile_title",
    "verdict_label",
]

#: the languages a display can be asked for: English and the project countries' languages
LANGUAGES = ("en", "km", "ko", "mn", "th", "vi")
#: the language of each project country's laws (ISO 3166-1 alpha-2 onto ISO 639-1)
COUNTRY_LANGUAGE: Mapping[str, str] = MappingProxyType(
    {"KH": "km", "KR": "ko", "MN": "mn", "TH": "th", "VN": "vi"}
)
#: the translator comment of an entry the research found no term for
ENGLISH_KEPT = "no verified term: English kept"
DOMAIN = "sse_model"

#: the headings and phrases of the text and HTML displays (``str.format`` fields in braces)
HEADINGS = (
    # the classify summary (text)
    "Classified {count} organisations on {date}.",
    "profile",
    "qualifies",
    "does not",
    "undetermined",
    "total",
    "law",
    "Facts to collect (verdicts in which this fact is missing and can still change the verdict):",
    "verdicts",
    # a classification (text and HTML)
    "version",
    "verdict",
    "on",
    "fiscal year",
    "outcome",
    "criterion",
    "observed",
    "required",
    "source",
    "notes",
    "Principles demonstrated under this profile:",
    "Principles demonstrated:",
    "To settle this verdict:",
    # an organisation, a register result (HTML)
    "legal form",
    "family",
    "family unknown",
    "legal form unknown",
    "rows",
    "classified",
    "rejected",
)
_HEADINGS = frozenset(HEADINGS)


class UnknownLanguage(SSEModelError, ValueError):
    """A display was asked for in a language that has no catalog."""

    def __init__(self, lang: object) -> None:
        self.lang = lang
        super().__init__(
            f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)} (ISO 639-1 codes)"
        )


def check_language(lang: str | None) -> str:
    """*lang* as a code of :data:`LANGUAGES` (``None`` is English; case and a region such
    as ``vi-VN`` or ``vi_VN`` are ignored); :class:`UnknownLanguage` otherwise."""
    if lang is None:
        return "en"
    if not isinstance(lang, str):
        raise UnknownLanguage(lang)
    code = re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower()
    if code not in LANGUAGES:
        raise UnknownLanguage(lang)
    return code


# --- catalogs ------------------------------------------------------------------------------


def _po_file(lang: str) -> Any:
    return resources.files("sse_model").joinpath(
        "_data", "locale", lang, "LC_MESSAGES", f"{DOMAIN}.po"
    )


@cache
def catalog(lang: str) -> Catalog:
    """The catalog of *lang* as babel reads it from its shipped ``.po`` file."""
    from babel.messages.pofile import read_po

    code = check_language(lang)
    if code == "en":
        from babel.messages.catalog import Catalog

        return Catalog(locale="en", domain=DOMAIN)
    with _po_file(code).open("rb") as f:
        return read_po(f, locale=code, domain=DOMAIN)


@cache
def _translations(lang: str) -> Translations:
    """The gettext translations of *lang*, compiled in memory from its catalog (fuzzy
    entries are never used: they await review)."""
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    buf = io.BytesIO()
    write_mo(buf, catalog(lang), use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def _t(lang: str | None, context: str, msgid: str) -> str:
    code = check_language(lang)
    if code == "en":
        return msgid
    return str(_translations(code).pgettext(context, msgid))


# --- labels --------------------------------------------------------------------------------


def _english(value: str) -> str:
    return value.replace("_", " ")


def heading(text: str, lang: str | None, **fields: Any) -> str:
    """A heading or phrase of :data:`HEADINGS` in *lang*, its fields filled in."""
    if text not in _HEADINGS:  # pragma: no cover - a display uses an undeclared heading
        raise AssertionError(f"heading {text!r} is not in HEADINGS")
    out = _t(lang, "heading", text)
    return out.format(**fields) if fields else out


def family_label(family: Any, lang: str | None) -> str:
    """An entity family (a member or its value) in *lang*: ``"hợp tác xã"``."""
    value = getattr(family, "value", family)
    return _t(lang, "family", _english(str(value)))


def verdict_label(verdict: Any, lang: str | None) -> str:
    """A verdict (a member or its value) in words, in *lang*."""
    value = getattr(verdict, "value", verdict)
    return _t(lang, "verdict", _english(str(value)))


def outcome_label(outcome: Any, lang: str | None) -> str:
    """A criterion outcome (a member or its value) in words, in *lang*."""
    value = getattr(outcome, "value", outcome)
    return _t(lang, "outcome", _english(str(value)))


def principle_label(principle: Any, lang: str | None) -> str:
    """A principle's name in *lang* (English where no standard translation exists)."""
    return _t(lang, "principle", principle.info.name)


def _law_language(country: str | None) -> str | None:
    return COUNTRY_LANGUAGE.get((country or "").upper())


def legal_form_label(form: LegalForm, lang: str | None) -> str:
    """*form*'s name: in its law's language when *lang* is that language, else English."""
    code = check_language(lang)
    if code == "en" or _law_language(form.country) != code:
        return form.name
    return _t(code, f"legal form {form.code}", form.name)


def _profile_country(profile: Profile) -> str | None:
    """The country of a national profile (``vn/...`` is VN), ``None`` for others."""
    head = profile.id.split("/", 1)[0]
    return head.upper() if len(head) == 2 else None


def profile_title(profile: Profile, lang: str | None) -> str:
    """*profile*'s title: the law's own title when *lang* is the law's language (and the
    research quotes it), else the English title."""
    code = check_language(lang)
    if code == "en" or _law_language(_profile_country(profile)) != code:
        return profile.title
    return _t(code, f"profile title {profile.id}", profile.title)


def number_text(n: int, lang: str | None) -> str:
    """A count as *lang*'s locale writes it (``3.000`` in ``vi``; ``3000`` in English)."""
    code = check_language(lang)
    if code == "en":
        return str(n)
    from babel.numbers import format_decimal

    return str(format_decimal(n, locale=code))


def date_text(d: date, lang: str | None) -> str:
    """A date as *lang*'s locale writes it (``30 thg 6, 2025`` in ``vi``; ISO in English)."""
    code = check_language(lang)
    if code == "en":
        return d.isoformat()
    from babel.dates import format_date

    return str(format_date(d, format="medium", locale=code))


@cache
def _titles(lang: str) -> Mapping[str, str]:
    """Profile id onto its law's title in *lang*, from the catalog's translated entries."""
    prefix = "profile title "
    return MappingProxyType(
        {
            str(m.context).removeprefix(prefix): str(m.string)
            for m in catalog(lang)
            if m.id and m.string and str(m.context or "").startswith(prefix)
        }
    )


def law_title(profile_id: str, lang: str | None) -> str | None:
    """The law's own title in *lang* for the shipped profile *profile_id*, when *lang* is
    its law's language and the research quotes one; ``None`` otherwise (English)."""
    code = check_language(lang)
    country = profile_id.split("/", 1)[0].upper()
    if code == "en" or _law_language(country) != code:
        return None
    return _titles(code).get(profile_id)
