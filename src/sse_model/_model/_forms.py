"""Entity families and national legal forms, the forms being shipped data."""

from __future__ import annotations

import enum
import tomllib
from functools import cache
from importlib import resources
from types import MappingProxyType

import attrs

__all__ = ["EntityFamily", "LegalForm", "legal_forms"]


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
    family: EntityFamily
    local_name: str | None = None
    elf_code: str | None = None
    legal_personality: bool | None = None
    law: str | None = None


@cache
def legal_forms() -> MappingProxyType[str, LegalForm]:
    """The shipped national legal forms, by code."""
    raw = tomllib.loads(
        resources.files("sse_model").joinpath("_data/legal_forms.toml").read_text("utf-8")
    )
    forms: dict[str, LegalForm] = {}
    for code, entry in raw["forms"].items():
        forms[code] = LegalForm(
            code=code,
            country=code.split("/", 1)[0].upper().split("-", 1)[0],
            name=entry["name"],
            family=EntityFamily(entry["family"]),
            local_name=entry.get("local_name"),
            elf_code=entry.get("elf_code"),
            legal_personality=entry.get("legal_personality"),
            law=entry.get("law"),
        )
    return MappingProxyType(forms)
