"""The domain model: principles, families and legal forms, organisations, units."""

from ._forms import EntityFamily, LegalForm, form_table
from ._organisation import (
    Beneficiaries,
    Certification,
    FiscalYear,
    Fragility,
    Governance,
    Membership,
    Organisation,
    ProfitRule,
    Purpose,
    PurposeType,
    Registration,
    RegistrationStatus,
    ResidualAssets,
    Statutes,
    TerritorialLevel,
    Undefined,
    UnitSector,
    VotingRule,
    Work,
    Workforce,
)
from ._pretty import install as install_pretty
from ._principles import PRINCIPLES, VALUES, Principle, PrincipleInfo, Value
from ._units import CurrencyMismatch, Hours, Money, unit_registry

#: Every attrs class of the model, in dependency order (for the converter and strategies).
MODEL_TYPES = (
    Registration,
    Purpose,
    Governance,
    Membership,
    Statutes,
    Workforce,
    Work,
    Beneficiaries,
    FiscalYear,
    Certification,
    Organisation,
)
install_pretty((*MODEL_TYPES, Money))

__all__ = [
    "MODEL_TYPES",
    "PRINCIPLES",
    "VALUES",
    "Beneficiaries",
    "Certification",
    "CurrencyMismatch",
    "EntityFamily",
    "FiscalYear",
    "Fragility",
    "Governance",
    "Hours",
    "LegalForm",
    "Membership",
    "Money",
    "Organisation",
    "Principle",
    "PrincipleInfo",
    "ProfitRule",
    "Purpose",
    "PurposeType",
    "Registration",
    "RegistrationStatus",
    "ResidualAssets",
    "Statutes",
    "TerritorialLevel",
    "Undefined",
    "UnitSector",
    "Value",
    "VotingRule",
    "Work",
    "Workforce",
    "form_table",
    "unit_registry",
]
