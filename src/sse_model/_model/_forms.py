"""Entity families and national legal forms, the forms being shipped data."""

from __future__ import annotations

import enum
import re
from datetime import date
from functools import cache
from types import MappingProxyType

import attrs

__all__ = [
    "CONFIDENCE",
    "CertificationKind",
    "EntityFamily",
    "LegalForm",
    "Presumption",
    "form_codes",
    "form_entries",
    "form_entry",
    "form_table",
    "shipped_form",
]


class EntityFamily(enum.Enum):
    """The kind of entity an organisation is, whatever its country.

    The first six are the SSE families named by the ILO (2022); the others are the
    kinds an organisation outside those families may be.
    """

    COOPERATIVE = "cooperative"
    ASSOCIATION = "association"
    MUTUAL_SOCIETY = "mutual_society"
    FOUNDATION = "foundation"
    SOCIAL_ENTERPRISE = "social_enterprise"
    SELF_HELP_GROUP = "self_help_group"
    COMPANY = "company"
    PARTNERSHIP = "partnership"
    SOLE_PROPRIETORSHIP = "sole_proprietorship"
    PUBLIC_BODY = "public_body"
    INFORMAL_GROUP = "informal_group"
    OTHER = "other"

    @property
    def is_sse_family(self) -> bool:
        """Whether the ILO 2022 definition names this family as part of the SSE."""
        return self in _SSE_FAMILIES


_SSE_FAMILIES = frozenset(
    {
        EntityFamily.COOPERATIVE,
        EntityFamily.ASSOCIATION,
        EntityFamily.MUTUAL_SOCIETY,
        EntityFamily.FOUNDATION,
        EntityFamily.SOCIAL_ENTERPRISE,
        EntityFamily.SELF_HELP_GROUP,
    }
)


#: how sure the research is that the law guarantees a presumed fact
CONFIDENCE = ("high", "medium", "low")


@attrs.frozen
class Presumption:
    """A fact the law of a legal form or status guarantees for every organisation holding it.

    *fact* is a raw model path (``statutes.asset_lock``, ``family``); *value* the model
    value (a bool, an enum member, a number, a frozenset of enum members). A presumption
    is rebuttable: it fills the fact only where it is unknown. *source* names what it
    comes from: ``legal form gb/cic-shares`` or ``certification kr/certified-social-enterprise``.
    """

    fact: str
    value: object
    instrument: str
    article: str
    confidence: str
    source: str
    url: str | None = None
    note: str | None = None
    #: the guaranteeing provision is in force from / until these days (None: open)
    effective_from: date | None = None
    effective_to: date | None = None

    @property
    def citation(self) -> str:
        """The instrument and article, as a reader would cite them."""
        return f"{self.instrument}, {self.article}"

    def applies_on(self, on: date, *, low: bool = False) -> bool:
        """Whether the presumption holds on *on*: the provision is in force, and its
        confidence is high or medium (``low`` ones only when *low* is asked for)."""
        if self.confidence == "low" and not low:
            return False
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_to is None or on <= self.effective_to


@attrs.frozen
class LegalForm:
    """A legal form of one country, mapped onto an :class:`EntityFamily`.

    *code* is ``country/slug`` in lower case (``vn/jsc``, ``fr/scop``). *elf_code*
    is the ISO 20275 Entity Legal Form code, only where it was read in the GLEIF
    list; otherwise ``None``. A status or certification (a Korean certified social
    enterprise, a French ESUS agrément) is not a legal form: it is a
    :class:`~sse_model.Certification` on top of one.
    """

    code: str
    country: str
    name: str
    #: the family the form's law makes it, when it makes it exactly one (else ``None``)
    family: EntityFamily | None
    local_name: str | None = None
    elf_code: str | None = None
    legal_personality: bool | None = None
    law: str | None = None
    #: the families the form's law allows; several means the form presumes no family
    families: tuple[EntityFamily, ...] = ()
    #: facts the form's law guarantees (see :class:`Presumption`), the family included
    presumes: tuple[Presumption, ...] = ()
    #: other labels registers use for the form (abbreviations, verified local terms);
    #: the built-in ``legal-form`` lookup matches them with the name and local name
    aliases: tuple[str, ...] = ()


@attrs.frozen
class CertificationKind:
    """A status granted on top of a legal form (``kr/certified-social-enterprise``).

    Its presumptions apply only while an organisation's certification of this kind is
    valid on the evaluation date.
    """

    code: str
    name: str
    country: str | None = None
    law: str | None = None
    presumes: tuple[Presumption, ...] = ()


_FORM_KEYS = frozenset(
    {
        "name",
        "family",
        "families",
        "family_article",
        "local_name",
        "elf_code",
        "legal_personality",
        "law",
        "presumes",
        "aliases",
    }
)


def _data_error(where: str, message: str) -> Exception:
    """An error in the shipped data (or data a caller passes in), with its path."""
    from .._errors import FieldError, InvalidInput

    return InvalidInput("legal-form data", [FieldError(where, message)])


def _form(code: str, entry: dict[str, object]) -> LegalForm:
    """A legal form of the shipped data as the model knows it: without the presumptions
    of its law, which the engine adds (:func:`sse_model.legal_forms`)."""
    where = f"legal_forms.{code}"
    extra = set(entry) - _FORM_KEYS
    if extra:
        raise _data_error(where, f"unknown key(s) {sorted(extra)}")
    families = tuple(EntityFamily(f) for f in entry.get("families", ()))  # type: ignore[attr-defined]
    family = EntityFamily(entry["family"]) if entry.get("family") is not None else None
    if family is not None and families and family not in families:
        raise _data_error(where, f"expected family {family.value!r} among families {families}")
    if family is None and len(families) == 1:
        family = families[0]
    if len(families) > 1:
        family = None  # several families allowed: the form presumes none
    if family is None and not families:
        raise _data_error(where, "expected a family or a list of families")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise _data_error(f"{where}.aliases", f"expected a list of labels, got {aliases!r}")
    return LegalForm(
        code=code,
        country=code.split("/", 1)[0].upper().split("-", 1)[0],
        name=str(entry["name"]),
        family=family,
        local_name=entry.get("local_name"),  # type: ignore[arg-type]
        elf_code=entry.get("elf_code"),  # type: ignore[arg-type]
        legal_personality=entry.get("legal_personality"),  # type: ignore[arg-type]
        law=entry.get("law"),  # type: ignore[arg-type]
        families=families or ((family,) if family is not None else ()),
        aliases=tuple(aliases),
    )


@cache
def _forms_text() -> str:
    from .._files import data_text

    return data_text("legal_forms.toml")


#: the header of a form's own table (``[forms."vn/jsc"]``); its presumptions are arrays
#: of tables (``[[forms."vn/jsc".presumes]]``) written after it
_HEADER = re.compile(r'^\[forms\."([^"\n]+)"\][ \t]*(?:#[^\n]*)?$', re.MULTILINE)


@cache
def _sections() -> MappingProxyType[str, tuple[int, int]]:
    """Where each form's part of ``legal_forms.toml`` starts and ends (its header, its
    keys, its presumptions), found without parsing the TOML: a model checking one code,
    or a classification reading one form's presumptions, parses only that part
    (tests/test_presumptions.py checks that every part parses to the whole file's
    entry, and that the headers find every form)."""
    text = _forms_text()
    heads = list(_HEADER.finditer(text))
    ends = [m.start() for m in heads[1:]] + [len(text)]
    return MappingProxyType(
        {m.group(1): (m.start(), end) for m, end in zip(heads, ends, strict=True)}
    )


@cache
def form_codes() -> frozenset[str]:
    """The codes of the shipped legal forms (what the model checks codes against)."""
    return frozenset(_sections())


@cache
def form_entry(code: str) -> MappingProxyType[str, object]:
    """One shipped legal form as written in ``_data/legal_forms.toml`` (its part of the
    file parsed alone). Raises KeyError for a code not shipped."""
    import tomllib

    start, end = _sections()[code]
    raw = tomllib.loads(_forms_text()[start:end])
    forms = raw.get("forms")
    if set(raw) != {"forms"} or not isinstance(forms, dict) or set(forms) != {code}:
        raise _data_error(f"legal_forms.{code}", "expected the form's tables after its header")
    return MappingProxyType(forms[code])


@cache
def form_entries() -> MappingProxyType[str, dict[str, object]]:
    """The shipped legal forms as written in ``_data/legal_forms.toml``, by code."""
    import tomllib

    raw = tomllib.loads(_forms_text())
    return MappingProxyType(raw["forms"])


@cache
def shipped_form(code: str) -> LegalForm | None:
    """One shipped national legal form without its presumptions, or None for a code
    not shipped; reads only that form's part of the data."""
    if code not in form_codes():
        return None
    return _form(code, dict(form_entry(code)))


@cache
def form_table() -> MappingProxyType[str, LegalForm]:
    """The shipped national legal forms, by code, without their presumptions: what the
    model checks codes against. :func:`sse_model.legal_forms` gives them with the facts
    their law guarantees."""
    return MappingProxyType({code: _form(code, e) for code, e in form_entries().items()})
