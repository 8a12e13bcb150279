"""The four principles and the values of the SSE in the ILO 2022 definition."""

from __future__ import annotations

import enum
from types import MappingProxyType

import attrs

__all__ = ["PRINCIPLES", "VALUES", "Principle", "PrincipleInfo", "Value"]

_ILO_2022 = (
    "ILO, Resolution concerning decent work and the social and solidarity economy, "
    "International Labour Conference, 110th Session (2022), para. 5"
)
_UN_2023 = "UN General Assembly A/RES/77/281 (18 April 2023), preamble"


class Principle(enum.Enum):
    """One of the four principles on which SSE entities are based (ILO 2022)."""

    VOLUNTARY_COOPERATION = "voluntary_cooperation"
    DEMOCRATIC_GOVERNANCE = "democratic_governance"
    AUTONOMY = "autonomy"
    PRIMACY_OF_PEOPLE = "primacy_of_people"

    @property
    def info(self) -> PrincipleInfo:
        """Name, description and sources of this principle."""
        return PRINCIPLES[self]


class Value(enum.Enum):
    """A value the SSE puts into practice (ILO 2022): descriptive, never a test."""

    CARE = "care"
    EQUALITY_AND_FAIRNESS = "equality_and_fairness"
    INTERDEPENDENCE = "interdependence"
    SELF_GOVERNANCE = "self_governance"
    TRANSPARENCY_AND_ACCOUNTABILITY = "transparency_and_accountability"
    DECENT_WORK = "decent_work"


@attrs.frozen
class PrincipleInfo:
    """What a principle or value says, in a few words, and where it is written."""

    name: str
    description: str
    sources: tuple[str, ...]


#: What each principle says, in a few words, and the instruments that state it.
PRINCIPLES: MappingProxyType[Principle, PrincipleInfo] = MappingProxyType(
    {
        Principle.VOLUNTARY_COOPERATION: PrincipleInfo(
            "Voluntary cooperation and mutual aid",
            "People join and leave freely and work together to meet shared needs.",
            (_ILO_2022, _UN_2023),
        ),
        Principle.DEMOCRATIC_GOVERNANCE: PrincipleInfo(
            "Democratic and/or participatory governance",
            "Members, workers or other stakeholders take part in decisions, and voice does "
            "not follow capital; participatory governance alone suffices ('and/or').",
            (_ILO_2022, _UN_2023),
        ),
        Principle.AUTONOMY: PrincipleInfo(
            "Autonomy and independence",
            "The entity controls its own activities and is not controlled by the State or "
            "by for-profit firms.",
            (_ILO_2022, _UN_2023),
        ),
        Principle.PRIMACY_OF_PEOPLE: PrincipleInfo(
            "Primacy of people and social purpose over capital",
            "In the distribution and use of surpluses and/or profits as well as assets, "
            "people and the social purpose come before the return on capital.",
            (_ILO_2022, _UN_2023),
        ),
    }
)

VALUES: MappingProxyType[Value, PrincipleInfo] = MappingProxyType(
    {
        Value.CARE: PrincipleInfo("Care for people and planet", "", (_ILO_2022,)),
        Value.EQUALITY_AND_FAIRNESS: PrincipleInfo("Equality and fairness", "", (_ILO_2022,)),
        Value.INTERDEPENDENCE: PrincipleInfo("Interdependence", "", (_ILO_2022,)),
        Value.SELF_GOVERNANCE: PrincipleInfo("Self-governance", "", (_ILO_2022,)),
        Value.TRANSPARENCY_AND_ACCOUNTABILITY: PrincipleInfo(
            "Transparency and accountability", "", (_ILO_2022,)
        ),
        Value.DECENT_WORK: PrincipleInfo(
            "Attainment of decent work and livelihoods", "", (_ILO_2022,)
        ),
    }
)
