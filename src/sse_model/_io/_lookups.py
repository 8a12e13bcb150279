"""Built-in lookups: a register's cell texts onto the flat vocabulary's cells.

A register mapping names a lookup for a column (``lookup = "legal-form"``); the mapping
calls :meth:`Lookup.get` once per distinct cell text and gets the vocabulary cells the
text means (``{"legal_form": "gb/cic"}``), ``None`` when the text matches nothing, or an
empty mapping when the text is a known term that says nothing (ESSGlobal ``OS50``).

Texts are matched after :func:`normalise` (Unicode NFKC, case folded, whitespace
collapsed, punctuation around the text stripped: ``"Ltd."`` is ``"ltd"``), against tables
built once per process from shipped data and from the locale data of *babel* and
*pycountry*; nothing is matched by a pattern per country. A label several values share
matches only when *country* narrows it to one; :meth:`Lookup.suggest` then gives the
candidates, and close labels for a typo.

The lookups and their sources:

- ``legal-form``: each shipped form's ``name``, ``local_name`` and ``aliases``
  (``_data/legal_forms.toml``, where each alias cites its source), its id, and its name
  in its law's language from the display catalogs (``_data/locale``, verified terms of
  research/local-terms.md only).
- ``elf``: the ISO 20275 ELF code of each form. GLEIF gives community interest companies
  one code, 17R0, for both kinds: it means ``gb/cic`` (kind not recorded).
- ``essglobal``: ESSGlobal 2.1 organisational-structure terms (``_data/essglobal.toml``).
- ``country``: ISO 3166-1 codes and names (pycountry), territory names in every language
  babel knows, and a small table of common aliases (``UK``, ``England``...).
- ``currency``: ISO 4217 codes, English names and symbols, then names and symbols in
  every babel language; *country* (or a locale, for amounts) picks among currencies that
  share a symbol (``$``).
- ``yes-no``: English yes/no words only: research/local-terms.md verified no yes/no or
  verdict words in the project languages.

Left out of ``legal-form`` on purpose, because they do not name one form:

- ``Company``, ``Ltd``/``Limited``: a UK company limited by shares or by guarantee (and
  ``Company`` covers public companies, which no shipped form is); ``PLC`` and ``Limited
  Partnership`` (Co-operatives UK uses it): no shipped UK form.
- ``Charity``, ``Trust``, ``Co-operative``/``Cooperative``, ``Association``,
  ``Foundation`` in the UK: a status or an identity that several forms carry. Elsewhere
  ``Cooperative`` and ``Association`` name a form of many countries: they match with
  *country* only.
- ``BenCom``, ``CLG``: common usage, but not found in a statute or register read here.
- Secondary or unverified local terms of research/local-terms.md (Khmer សហគមន៍,
  Mongolian дундын хоршоо, холбоо, сан, Thai องค์กรไม่แสวงหากำไร), and verified ones with no
  shipped form (Korean 신용협동조합, 소비자생활협동조합; Thai ชุมนุมสหกรณ์).
"""

from __future__ import annotations

import difflib
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import SSEModelError

if TYPE_CHECKING:
    from .._model._forms import LegalForm

__all__ = [
    "LOOKUP_NAMES",
    "THIS_COLUMN",
    "InvalidAmount",
    "Lookup",
    "UnknownLookup",
    "country_code",
    "elf_code_of",
    "find_legal_forms",
    "lookup",
    "match_legal_forms",
    "normalise",
    "parse_amount",
]

#: the target of a lookup whose cells go to the column it is applied to (``yes-no``)
THIS_COLUMN = "*"
#: how close a label must be to be suggested (difflib ratio)
_CUTOFF = 0.6
#: punctuation stripped around a text: other, dash, quotes, connectors (not brackets)
_EDGE_PUNCTUATION = frozenset({"Po", "Pd", "Pi", "Pf", "Pc"})


class UnknownLookup(SSEModelError, ValueError):
    """No built-in lookup has this name."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"unknown lookup {name!r}; the built-in lookups are {', '.join(LOOKUP_NAMES)}"
        )


class InvalidAmount(SSEModelError, ValueError):
    """A text is not an amount in the expected notation."""


def normalise(text: str) -> str:
    """*text* as the lookups compare it: NFKC, case folded, whitespace collapsed, and
    punctuation around it stripped (``" Ltd. "`` is ``"ltd"``; brackets are kept)."""
    t = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    start, end = 0, len(t)
    while start < end and (
        t[start].isspace() or unicodedata.category(t[start]) in _EDGE_PUNCTUATION
    ):
        start += 1
    while end > start and (
        t[end - 1].isspace() or unicodedata.category(t[end - 1]) in _EDGE_PUNCTUATION
    ):
        end -= 1
    return t[start:end]


def _fold(text: str) -> str:
    """*text* NFKC-normalised, case folded and stripped: for codes and URIs, whose
    punctuation counts."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


# --- one table of labels -------------------------------------------------------------


@attrs.frozen
class _Labels:
    """Normalised labels onto the values they mean, best tier first.

    A label matches in the first tier that has it; there, several values are ambiguous
    unless *country* narrows them to one (*country_of* gives a value's country; with
    *strict_country*, a value of another country never matches).
    """

    column: str
    tiers: tuple[Mapping[str, frozenset[str]], ...]
    #: a normalised label as first written, for suggestions
    shown: Mapping[str, str]
    country_of: Callable[[str, str], bool] | None = None
    strict_country: bool = True
    #: how many tiers suggestions are drawn from (the first ones: the best known labels)
    suggest_tiers: int = 99

    def values(self, text: str, country: str | None = None) -> frozenset[str]:
        """The values *text* may mean (several: ambiguous; none: unknown). With
        *country*, the best tier with values of that country wins."""
        key = normalise(text)
        found = [tier[key] for tier in self.tiers if tier.get(key)] if key else []
        if not found:
            return frozenset()
        if country is not None and self.country_of is not None:
            cc = country.strip().upper()
            for values in found:
                narrowed = frozenset(v for v in values if self.country_of(v, cc))
                if narrowed:
                    return narrowed
            if self.strict_country:
                return frozenset()
        return found[0]

    def get(self, text: str, country: str | None) -> Mapping[str, str] | None:
        found = self.values(text, country)
        if len(found) != 1:
            return None
        return MappingProxyType({self.column: next(iter(found))})

    def suggest(self, text: str, n: int) -> tuple[str, ...]:
        found = self.values(text)
        if len(found) > 1:
            return tuple(sorted(found))
        key = normalise(text)
        pool: dict[str, None] = {}
        for tier in self.tiers[: self.suggest_tiers]:
            pool.update(dict.fromkeys(tier))
        close = difflib.get_close_matches(key, list(pool), n=max(n, 0), cutoff=_CUTOFF)
        return tuple(self.shown.get(k, k) for k in close)


class _Builder:
    """Collects labels into tiers, keeping the first spelling of each for display."""

    def __init__(self, tiers: int) -> None:
        self.tiers: list[dict[str, set[str]]] = [{} for _ in range(tiers)]
        self.shown: dict[str, str] = {}

    def add(self, tier: int, label: str | None, value: str) -> None:
        if not label:
            return
        key = normalise(label)
        if not key:
            return
        self.tiers[tier].setdefault(key, set()).add(value)
        self.shown.setdefault(key, label.strip())

    def labels(self, column: str, **kwargs: Any) -> _Labels:
        return _Labels(
            column=column,
            tiers=tuple(
                MappingProxyType({k: frozenset(v) for k, v in t.items()}) for t in self.tiers
            ),
            shown=MappingProxyType(self.shown),
            **kwargs,
        )


# --- legal forms ---------------------------------------------------------------------

#: ELF codes several shipped forms share, onto the form the code means: GLEIF lists one
#: code for community interest companies limited by shares and by guarantee
_SHARED_ELF = MappingProxyType({"17R0": "gb/cic"})


def elf_code_of(form: LegalForm) -> str | None:
    """The ELF code that means *form*: its own, or a code GLEIF gives it and its kinds
    (17R0 for ``gb/cic``)."""
    shared = [elf for elf, code in _SHARED_ELF.items() if code == form.code]
    return form.elf_code or (shared[0] if shared else None)


def _forms() -> Mapping[str, LegalForm]:
    from .._model._forms import form_table

    return form_table()


def _form_labels(form: LegalForm) -> tuple[str, ...]:
    """The labels *form* is found by: id, name, local name, aliases, and its name in its
    law's language from the display catalogs (``sse_model._i18n``: verified terms of
    research/local-terms.md), so that every name a display shows can be searched."""
    from .._i18n import COUNTRY_LANGUAGE, legal_form_label

    lang = COUNTRY_LANGUAGE.get(form.country)
    local = legal_form_label(form, lang) if lang is not None else None
    return tuple(
        dict.fromkeys(
            x for x in (form.code, form.name, form.local_name, *form.aliases, local) if x
        )
    )


def _country_test(forms: Mapping[str, LegalForm]) -> Callable[[str, str], bool]:
    def in_country(code: str, country: str) -> bool:
        form = forms.get(code)
        return form is not None and form.country == country

    return in_country


@cache
def _legal_form_table() -> _Labels:
    return _legal_form_labels(_forms())


def _legal_form_labels(forms: Mapping[str, LegalForm]) -> _Labels:
    """Every form's id, name, local name and aliases; a label two forms of one country
    share is an error in the data (a country could not tell them apart)."""
    from .._model._forms import _data_error

    b = _Builder(1)
    for code, form in forms.items():
        for label in _form_labels(form):
            b.add(0, label, code)
    for key, codes in b.tiers[0].items():
        countries = [forms[c].country for c in codes]
        clash = sorted(c for c in codes if countries.count(forms[c].country) > 1)
        if clash:
            raise _data_error(
                "legal_forms",
                f"the label {b.shown[key]!r} names several forms of one country: {clash}",
            )
    return b.labels("legal_form", country_of=_country_test(forms))


@cache
def _elf_table() -> _Labels:
    return _elf_labels(_forms())


def _elf_labels(forms: Mapping[str, LegalForm]) -> _Labels:
    """Every form's ELF code; a code on several forms must be one :data:`_SHARED_ELF`
    says the meaning of."""
    from .._model._forms import _data_error

    b = _Builder(1)
    for code, form in forms.items():
        if form.elf_code:
            b.add(0, form.elf_code, code)
    tier = b.tiers[0]
    for elf, target in _SHARED_ELF.items():
        holders = tier.get(normalise(elf), set())
        if not holders:
            continue
        if len(holders) < 2 or target not in forms:
            raise _data_error(
                "legal_forms",
                f"ELF code {elf} is expected on several forms and {target} "
                f"to exist, got {sorted(holders)}",
            )
        tier[normalise(elf)] = {target}
    for key, codes in tier.items():
        if len(codes) > 1:
            raise _data_error(
                "legal_forms",
                f"ELF code {b.shown[key]} is on several forms {sorted(codes)}: "
                "say in _SHARED_ELF which form it means",
            )
    return b.labels("legal_form", country_of=_country_test(forms))


def find_legal_forms(text: str, *, country: str | None = None) -> tuple[LegalForm, ...]:
    """The shipped legal forms *text* names, as :func:`sse_model.legal_forms` gives them:
    by id, name, local name, alias or ISO 20275 ELF code, after :func:`normalise`; only
    forms of *country* when it is given (an ISO 3166-1 code or a name the ``country``
    lookup knows). When nothing matches exactly, the forms of the closest labels (a typo:
    ``"Comunity interest company"``); empty when none is close.

    >>> [f.code for f in find_legal_forms("CIC")]
    ['gb/cic']
    >>> [f.code for f in find_legal_forms("cooperative", country="Viet Nam")]
    ['vn/cooperative']
    """
    cc = None if country is None else country_code(country)
    return match_legal_forms(text, country=cc)[0]


def match_legal_forms(
    text: str, *, country: str | None = None
) -> tuple[tuple[LegalForm, ...], bool]:
    """The forms *text* names and ``True``, or the forms of the closest labels and
    ``False``; *country* is an ISO 3166-1 alpha-2 code."""
    from .._engine._presume import legal_forms

    cc = None if country is None else country.strip().upper()
    labels = _legal_form_table()
    codes = set(labels.values(text, cc)) | set(_elf_table().values(text, cc))
    forms = legal_forms()
    if codes:
        return tuple(form for code, form in forms.items() if code in codes), True
    pool = {
        normalise(label)
        for form in forms.values()
        if cc is None or form.country == cc
        for label in _form_labels(form)
    }
    close = difflib.get_close_matches(normalise(text), list(pool), n=3, cutoff=_CUTOFF)
    found = dict.fromkeys(
        code
        for key in close
        for code in sorted(labels.tiers[0][key])
        if cc is None or forms[code].country == cc
    )
    return tuple(forms[code] for code in found), False


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code *text* names (a code or a name the ``country`` lookup
    knows); :class:`~sse_model.InvalidInput` with close names otherwise."""
    found = _country_table().values(text)
    if len(found) == 1:
        return next(iter(found))
    raise _unknown_country(text)


def _unknown_country(country: str) -> ValueError:
    from .._errors import FieldError, InvalidInput

    close = _country_table().suggest(country, 3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return InvalidInput(
        "country",
        [FieldError("", f"expected an ISO 3166-1 code or a country name, got {country!r}{hint}")],
    )


# --- ESSGlobal -------------------------------------------------------------------------


@attrs.frozen
class _Term:
    id: str
    label: str
    cells: Mapping[str, str]
    #: country (alpha-2) -> legal-form id
    forms: Mapping[str, str]


@attrs.frozen
class _EssGlobal:
    terms: Mapping[str, _Term]
    bases: tuple[str, ...]
    labels: _Labels

    def term(self, text: str) -> _Term | None:
        key = _fold(text)
        for base in self.bases:
            if key.startswith(base):
                key = key[len(base) :]
                break
        found = self.terms.get(key.upper())
        if found is not None:
            return found
        ids = self.labels.values(text)
        return self.terms[next(iter(ids))] if len(ids) == 1 else None

    def get(self, text: str, country: str | None) -> Mapping[str, str] | None:
        term = self.term(text)
        if term is None:
            return None
        cells = dict(term.cells)
        form = term.forms.get(country.strip().upper()) if country else None
        if form is not None:
            cells["legal_form"] = form
        return MappingProxyType(cells)

    def suggest(self, text: str, n: int) -> tuple[str, ...]:
        return self.labels.suggest(text, n)


@cache
def _essglobal_table() -> _EssGlobal:
    raw = tomllib.loads(
        resources.files("sse_model").joinpath("_data/essglobal.toml").read_text("utf-8")
    )
    return _essglobal_terms(raw, _forms())


def _essglobal_terms(raw: Mapping[str, Any], forms: Mapping[str, LegalForm]) -> _EssGlobal:
    """The ESSGlobal table (``_data/essglobal.toml``), checked: a note per term, forms of
    the country they are given for, :class:`~sse_model.EntityFamily` values."""
    from .._model._forms import EntityFamily, _data_error

    in_country = _country_test(forms)
    keys = {"label", "label_fr", "family", "charity", "legal_form", "note"}
    terms: dict[str, _Term] = {}
    b = _Builder(1)
    for tid, entry in raw["terms"].items():
        where = f"essglobal.terms.{tid}"
        extra = set(entry) - keys
        if extra:
            raise _data_error(where, f"unknown key(s) {sorted(extra)}")
        if not entry.get("note"):
            raise _data_error(where, "expected a note saying what the term means")
        cells: dict[str, str] = {}
        if "family" in entry:
            families = [f.value for f in EntityFamily]
            if entry["family"] not in families:
                raise _data_error(
                    where, f"expected a family, one of {families}, got {entry['family']!r}"
                )
            cells["family"] = entry["family"]
        if "charity" in entry:
            if not isinstance(entry["charity"], bool):
                raise _data_error(
                    where, f"expected charity true or false, got {entry['charity']!r}"
                )
            cells["registration.charity"] = "true" if entry["charity"] else "false"
        national = {str(k).upper(): str(v) for k, v in entry.get("legal_form", {}).items()}
        for cc, code in national.items():
            if not in_country(code, cc):
                raise _data_error(where, f"expected a legal form of {cc}, got {code!r}")
        terms[tid.upper()] = _Term(tid, entry["label"], MappingProxyType(cells), national)
        b.add(0, entry["label"], tid.upper())
        b.add(0, entry.get("label_fr"), tid.upper())
    bases = tuple(sorted((_fold(x) for x in raw["bases"]), key=len, reverse=True))
    return _EssGlobal(MappingProxyType(terms), bases, b.labels("legal_form"))


# --- countries -------------------------------------------------------------------------

#: common names the ISO list and babel do not give (kept small: each one is unambiguous)
_COUNTRY_ALIASES = MappingProxyType(
    {
        # the United Kingdom, its nations and its usual short names
        "UK": "GB",
        "U.K.": "GB",
        "Great Britain": "GB",
        "Britain": "GB",
        "England": "GB",
        "Scotland": "GB",
        "Wales": "GB",
        "Northern Ireland": "GB",
        # Thai: "the country of Thailand", the long form of babel's ไทย
        "ประเทศไทย": "TH",
    }
)


def _base_locales() -> list[str]:
    """One locale per language (and script) babel knows: regional variants add few names."""
    import babel.localedata

    return sorted(
        loc
        for loc in babel.localedata.locale_identifiers()
        if all(len(part) == 4 for part in loc.split("_")[1:])
    )


@cache
def _country_table() -> _Labels:
    """Tier 0: ISO codes; tier 1: ISO names and the aliases; tier 2: babel's names."""
    import pycountry
    from babel import Locale

    b = _Builder(3)
    known = set()
    for c in pycountry.countries:
        known.add(c.alpha_2)
        b.add(0, c.alpha_2, c.alpha_2)
        b.add(0, c.alpha_3, c.alpha_2)
        b.add(0, c.numeric, c.alpha_2)
        for attr in ("name", "official_name", "common_name"):
            name = getattr(c, attr, None)
            if name:
                b.add(1, name, c.alpha_2)
                head, sep, tail = name.partition(", ")
                if sep and tail.endswith(" of"):  # "Korea, Republic of": "Republic of Korea"
                    b.add(1, f"{tail} {head}", c.alpha_2)
    for label, code in _COUNTRY_ALIASES.items():
        b.add(1, label, code)
    for loc in _base_locales():
        for code, name in Locale.parse(loc).territories.items():
            if code in known:
                b.add(2, name, code)
    return b.labels("country", suggest_tiers=2)


# --- currencies ------------------------------------------------------------------------


def _locale(name: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InvalidAmount(f"expected a locale such as en_GB or de_DE, got {name!r}") from None


@cache
def _currency_table() -> _Labels:
    """Tier 0: ISO 4217 codes; tier 1: English names and symbols (``$`` is USD, ``£``
    GBP, as English writes them); tier 2: names and symbols in every babel language."""
    from babel import Locale
    from babel.numbers import list_currencies

    codes = list_currencies()
    b = _Builder(3)
    for code in codes:
        b.add(0, code, code)
    for tier, locales in ((1, ["en"]), (2, _base_locales())):
        for name in locales:
            loc = Locale.parse(name)
            for code, label in loc.currencies.items():
                if code in codes:
                    b.add(tier, label, code)
            for code, symbol in loc.currency_symbols.items():
                if code in codes and symbol != code:
                    b.add(tier, symbol, code)
            for code, plurals in loc._data["currency_names_plural"].items():
                if code in codes:
                    for plural in plurals.values():
                        b.add(tier, plural, code)
    return b.labels(
        "currency", country_of=_territory_currency, strict_country=False, suggest_tiers=2
    )


def _territory_currency(code: str, country: str) -> bool:
    from babel.numbers import get_territory_currencies

    return code in get_territory_currencies(country)


@cache
def _local_symbols(country: str) -> Mapping[str, frozenset[str]]:
    """How the locales of *country* write its currencies (``$`` is MXN in es_MX)."""
    import babel.localedata
    from babel import Locale
    from babel.numbers import get_territory_currencies

    mine = get_territory_currencies(country)  # none for an unknown territory
    out: dict[str, set[str]] = {}
    for name in babel.localedata.locale_identifiers():
        if name.rsplit("_", 1)[-1] != country:
            continue
        symbols = Locale.parse(name).currency_symbols
        for code in mine:
            if code in symbols and symbols[code] != code:
                out.setdefault(normalise(symbols[code]), set()).add(code)
    return MappingProxyType({k: frozenset(v) for k, v in out.items()})


def _currency_code(text: str, *, country: str | None = None, locale: Any = None) -> str | None:
    """The ISO 4217 code *text* names: first as *locale* (then *country*'s locales)
    write its symbols, then as the currency table knows it."""
    key = normalise(text)
    if locale is not None:
        mine = {
            code
            for code, symbol in locale.currency_symbols.items()
            if normalise(symbol) == key and symbol != code
        }
        if len(mine) == 1:
            return str(mine.pop())
        country = country or locale.territory
    if country is not None:
        local = _local_symbols(country.strip().upper()).get(key, frozenset())
        if len(local) == 1:
            return next(iter(local))
    found = _currency_table().values(text, country)
    return next(iter(found)) if len(found) == 1 else None


@attrs.frozen
class _Currencies:
    """The currency lookup: a row's country first says how its symbols are written."""

    def get(self, text: str, country: str | None) -> Mapping[str, str] | None:
        code = _currency_code(text, country=country)
        return None if code is None else MappingProxyType({"currency": code})

    def suggest(self, text: str, n: int) -> tuple[str, ...]:
        return _currency_table().suggest(text, n)


@cache
def _currencies() -> _Currencies:
    return _Currencies()


# --- yes and no ------------------------------------------------------------------------


@cache
def _yes_no_table() -> _Labels:
    """The yes/no words the flat reader accepts (one list, in ``_flat``)."""
    from ._flat import _FALSE, _TRUE

    b = _Builder(1)
    for words, value in ((_TRUE, "true"), (_FALSE, "false")):
        for word in sorted(words):
            b.add(0, word, value)
    return b.labels(THIS_COLUMN)


# --- the lookups ---------------------------------------------------------------------


@attrs.frozen
class Lookup:
    """A built-in lookup: cell texts onto the flat vocabulary's cells.

    *targets* are the columns a match may set (:data:`THIS_COLUMN` for the column the
    lookup is applied to). The table behind it is built on first use, once per process.
    """

    name: str
    targets: tuple[str, ...]
    doc: str
    _table: Callable[[], _Labels | _EssGlobal | _Currencies] = attrs.field(
        alias="table", repr=False
    )

    def get(self, text: str, *, country: str | None = None) -> Mapping[str, str] | None:
        """The vocabulary cells *text* means, or ``None`` when it matches nothing or
        several values (*country*, an ISO 3166-1 alpha-2 code, narrows those)."""
        return self._table().get(text, country)

    def suggest(self, text: str, n: int = 3) -> tuple[str, ...]:
        """Known labels close to *text* (for "did you mean"); for a label several values
        share, those values (the ids a *country* would choose among)."""
        return self._table().suggest(text, n)


_LOOKUPS = (
    Lookup(
        "legal-form",
        ("legal_form",),
        "legal-form names, local names and aliases (English abbreviations, verified local "
        "terms) onto the shipped legal-form ids",
        table=_legal_form_table,
    ),
    Lookup(
        "elf",
        ("legal_form",),
        "ISO 20275 Entity Legal Form (ELF) codes onto the shipped legal-form ids",
        table=_elf_table,
    ),
    Lookup(
        "essglobal",
        ("legal_form", "family", "registration.charity"),
        "ESSGlobal 2.1 organisational-structure terms (OS10...OS240, as codes, os: names or "
        "URIs) onto what each says: a legal form, a family or a charity registration",
        table=_essglobal_table,
    ),
    Lookup(
        "country",
        ("country",),
        "country codes, ISO names, names in every language babel knows and common aliases "
        "onto ISO 3166-1 alpha-2 codes",
        table=_country_table,
    ),
    Lookup(
        "currency",
        ("currency",),
        "ISO 4217 codes, currency names and symbols onto currency codes",
        table=_currencies,
    ),
    Lookup(
        "yes-no",
        (THIS_COLUMN,),
        "English yes/no words (the flat reader's: yes, no, y, n, true, false, t, f, 1, 0) "
        "onto true/false",
        table=_yes_no_table,
    ),
)

#: the names of the built-in lookups
LOOKUP_NAMES: tuple[str, ...] = tuple(lk.name for lk in _LOOKUPS)
_BY_NAME = MappingProxyType({lk.name: lk for lk in _LOOKUPS})


def lookup(name: str) -> Lookup:
    """The built-in lookup called *name*; :class:`UnknownLookup` (a ``ValueError``)
    names the known ones otherwise."""
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise UnknownLookup(name) from None


# --- amounts -------------------------------------------------------------------------

_SIGNS = MappingProxyType({"-": -1, "\u2212": -1, "+": 1})


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def parse_amount(
    text: str,
    *,
    locale: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
) -> tuple[str, str | None]:
    """An amount's exact decimal text and its currency code (``None``: none written).

    The number is read by ``babel.numbers.parse_decimal`` in *locale* (default ``en``),
    strictly: a misplaced group separator is an error, never a guess. With explicit
    *decimal* and *thousands* separators, those are used instead (the thousands one is
    dropped, the decimal one read as the point). A currency code, name or symbol may come
    before or after the number (``"£1,234.50"``, ``"1.200 VND"``); *locale*'s symbols are
    tried first. The text is never a float and never in scientific notation.

    >>> parse_amount("£1,234.50")
    ('1234.50', 'GBP')
    >>> parse_amount("1.234,5", locale="de_DE")
    ('1234.5', None)
    """
    from babel.numbers import NumberFormatError, parse_decimal

    loc = _locale(locale or "en")
    where = locale or "en"
    point = decimal if decimal is not None else loc.number_symbols["latn"]["decimal"]
    group = thousands if thousands is not None else loc.number_symbols["latn"]["group"]
    if decimal is not None or thousands is not None:
        where = f"decimal {point!r}, thousands {group!r}"
    example = f"1{group}234{point}50"

    def bad(detail: str = "") -> InvalidAmount:
        return InvalidAmount(
            f"expected an amount such as {example} ({where}), got {text!r}{detail}"
        )

    if point == group or not point:
        raise InvalidAmount(
            f"expected different decimal and thousands separators, got {point!r} for both"
        )
    s = text.strip()
    digits = [i for i, ch in enumerate(s) if ch.isdecimal()]
    if not digits:
        raise bad()
    head, body, tail = s[: digits[0]], s[digits[0] : digits[-1] + 1], s[digits[-1] + 1 :]
    head, tail = head.strip(), tail.strip()
    sign = 1
    if head and head[0] in _SIGNS:
        sign, head = _SIGNS[head[0]], head[1:].strip()
    elif head and head[-1] in _SIGNS:
        sign, head = _SIGNS[head[-1]], head[:-1].strip()
    if head and tail:
        raise bad(" (text both before and after the number)")
    code = None
    if head or tail:
        code = _currency_code(head or tail, locale=loc)
        if code is None:
            raise bad(f" ({(head or tail)!r} is not a currency code, name or symbol)")
    body = _ascii_digits(body)
    spaced = not group.strip()  # a space-like group separator: any space is one
    if decimal is not None or thousands is not None:
        body = "".join(body.split()) if spaced else body.replace(group, "")
        body = body.replace(point, ".")
        whole, _, frac = body.partition(".")
        if not whole.isdigit() or (frac and not frac.isdigit()) or body.endswith("."):
            raise bad()
        number = Decimal(body)
    else:
        if spaced:
            body = group.join(body.split())
        if not all(ch.isdigit() or ch in (point, group) for ch in body):
            raise bad()
        try:
            number = parse_decimal(body, locale=loc, strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            raise bad() from None
    if not number.is_finite():  # pragma: no cover - only digits and separators get here
        raise bad()
    number = abs(number) if number == 0 else number * sign
    return format(number, "f"), code
