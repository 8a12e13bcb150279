"""sse-model: is this organisation part of the social and solidarity economy, and why?

Classify organisations under international and national definitions of the SSE,
with verdicts traceable to the legal text and honest about what is unknown.

Importing the package is cheap: each name loads its private module on first use
(:pep:`562`), so ``import sse_model`` pulls in no engine, reader or optional library.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._engine._assume import Assumptions, Choice
    from ._engine._ast import (
        All,
        Any_,
        AtLeast,
        Case,
        Cases,
        Certified,
        Citation,
        Compare,
        Const,
        Criterion,
        Is,
        Not,
        OneOf,
        Op,
        Param,
        Reading,
        Ref,
        Status,
        Truth,
        Unresolved,
    )
    from ._engine._classify import Classifier, classify, classify_many
    from ._engine._compare import (
        ClassificationTable,
        PrincipleRow,
        ThresholdRow,
        classify_under_all,
        compare_profiles,
        compare_thresholds,
    )
    from ._engine._loader import (
        load_profile,
        load_profile_file,
        parse_profile,
        profile_ids,
        validate_profile,
    )
    from ._engine._presume import Presumed, certification_kinds, legal_forms, presume
    from ._engine._profile import DatedValue, Instrument, Parameter, Profile, Scope, Version
    from ._engine._result import (
        Basis,
        Classification,
        CriterionResult,
        Inconsistency,
        MissingFact,
        Observation,
        Outcome,
        PresumedFact,
        PrincipleSummary,
        Settlement,
        Verdict,
    )
    from ._errors import (
        ColumnsNotMapped,
        FieldError,
        InvalidInput,
        InvalidProfile,
        NoVersionInForce,
        SSEModelError,
        UnknownProfile,
        UnreadableInput,
    )
    from ._io._batch import (
        RegisterClassifier,
        RegisterResult,
        RegisterSummary,
        classify_file,
        classify_table,
    )
    from ._io._dask import classify_dask, classify_partition
    from ._io._flat import RejectedRow, to_flat
    from ._io._frames import to_dataframe, verdict_matrix
    from ._io._lookups import find_legal_forms
    from ._io._mapping import (
        ColumnRule,
        RegisterMapping,
        YearlyTable,
        load_mapping,
        mapping_schema,
    )
    from ._io._murmurations import to_murmurations, write_murmurations
    from ._io._sources import RegisterCheck, UnmatchedLabel, check_register, read_register
    from ._io._writers import to_flat_row, write_rejected, write_results
    from ._model import (
        PRINCIPLES,
        Beneficiaries,
        Certification,
        CurrencyMismatch,
        EntityFamily,
        FiscalYear,
        Fragility,
        Governance,
        LegalForm,
        Membership,
        Money,
        Organisation,
        Principle,
        ProfitRule,
        Purpose,
        PurposeType,
        Registration,
        RegistrationStatus,
        ResidualAssets,
        Statutes,
        TerritorialLevel,
        Undefined,
        VotingRule,
        Workforce,
        unit_registry,
    )
    from ._model._forms import CertificationKind, Presumption
    from ._serialization import from_json, make_converter, structure, to_json, unstructure

__version__ = "0.1.0"

__all__ = [
    "PRINCIPLES",
    "All",
    "Any_",
    "Assumptions",
    "AtLeast",
    "Basis",
    "Beneficiaries",
    "Case",
    "Cases",
    "Certification",
    "CertificationKind",
    "Certified",
    "Choice",
    "Citation",
    "Classification",
    "ClassificationTable",
    "Classifier",
    "ColumnRule",
    "ColumnsNotMapped",
    "Compare",
    "Const",
    "Criterion",
    "CriterionResult",
    "CurrencyMismatch",
    "DatedValue",
    "EntityFamily",
    "FieldError",
    "FiscalYear",
    "Fragility",
    "Governance",
    "Inconsistency",
    "Instrument",
    "InvalidInput",
    "InvalidProfile",
    "Is",
    "LegalForm",
    "Membership",
    "MissingFact",
    "Money",
    "NoVersionInForce",
    "Not",
    "Observation",
    "OneOf",
    "Op",
    "Organisation",
    "Outcome",
    "Param",
    "Parameter",
    "Presumed",
    "PresumedFact",
    "Presumption",
    "Principle",
    "PrincipleRow",
    "PrincipleSummary",
    "Profile",
    "ProfitRule",
    "Purpose",
    "PurposeType",
    "Reading",
    "Ref",
    "RegisterCheck",
    "RegisterClassifier",
    "RegisterMapping",
    "RegisterResult",
    "RegisterSummary",
    "Registration",
    "RegistrationStatus",
    "RejectedRow",
    "ResidualAssets",
    "SSEModelError",
    "Scope",
    "Settlement",
    "Status",
    "Statutes",
    "TerritorialLevel",
    "ThresholdRow",
    "Truth",
    "Undefined",
    "UnknownProfile",
    "UnmatchedLabel",
    "UnreadableInput",
    "Unresolved",
    "Verdict",
    "Version",
    "VotingRule",
    "Workforce",
    "YearlyTable",
    "certification_kinds",
    "check_register",
    "classify",
    "classify_dask",
    "classify_file",
    "classify_many",
    "classify_partition",
    "classify_table",
    "classify_under_all",
    "compare_profiles",
    "compare_thresholds",
    "find_legal_forms",
    "from_json",
    "legal_forms",
    "load_mapping",
    "load_profile",
    "load_profile_file",
    "make_converter",
    "mapping_schema",
    "parse_profile",
    "presume",
    "profile_ids",
    "read_register",
    "structure",
    "to_dataframe",
    "to_flat",
    "to_flat_row",
    "to_json",
    "to_murmurations",
    "unit_registry",
    "unstructure",
    "validate_profile",
    "verdict_matrix",
    "write_murmurations",
    "write_rejected",
    "write_results",
]

#: the private module each public name is defined in, loaded when the name is first used
_MODULES: dict[str, tuple[str, ...]] = {
    "._engine._assume": ("Assumptions", "Choice"),
    "._engine._ast": (
        "All",
        "Any_",
        "AtLeast",
        "Case",
        "Cases",
        "Certified",
        "Citation",
        "Compare",
        "Const",
        "Criterion",
        "Is",
        "Not",
        "OneOf",
        "Op",
        "Param",
        "Reading",
        "Ref",
        "Status",
        "Truth",
        "Unresolved",
    ),
    "._engine._classify": ("Classifier", "classify", "classify_many"),
    "._engine._compare": (
        "ClassificationTable",
        "PrincipleRow",
        "ThresholdRow",
        "classify_under_all",
        "compare_profiles",
        "compare_thresholds",
    ),
    "._engine._loader": (
        "load_profile",
        "load_profile_file",
        "parse_profile",
        "profile_ids",
        "validate_profile",
    ),
    "._engine._presume": ("Presumed", "certification_kinds", "legal_forms", "presume"),
    "._engine._profile": ("DatedValue", "Instrument", "Parameter", "Profile", "Scope", "Version"),
    "._engine._result": (
        "Basis",
        "Classification",
        "CriterionResult",
        "Inconsistency",
        "MissingFact",
        "Observation",
        "Outcome",
        "PresumedFact",
        "PrincipleSummary",
        "Settlement",
        "Verdict",
    ),
    "._errors": (
        "ColumnsNotMapped",
        "FieldError",
        "InvalidInput",
        "InvalidProfile",
        "NoVersionInForce",
        "SSEModelError",
        "UnknownProfile",
        "UnreadableInput",
    ),
    "._io._batch": (
        "RegisterClassifier",
        "RegisterResult",
        "RegisterSummary",
        "classify_file",
        "classify_table",
    ),
    "._io._dask": ("classify_dask", "classify_partition"),
    "._io._flat": ("RejectedRow", "to_flat"),
    "._io._frames": ("to_dataframe", "verdict_matrix"),
    "._io._mapping": (
        "ColumnRule",
        "RegisterMapping",
        "YearlyTable",
        "load_mapping",
        "mapping_schema",
    ),
    "._io._lookups": ("find_legal_forms",),
    "._io._murmurations": ("to_murmurations", "write_murmurations"),
    "._io._sources": ("RegisterCheck", "UnmatchedLabel", "check_register", "read_register"),
    "._io._writers": ("to_flat_row", "write_rejected", "write_results"),
    "._model": (
        "PRINCIPLES",
        "Beneficiaries",
        "Certification",
        "CurrencyMismatch",
        "EntityFamily",
        "FiscalYear",
        "Fragility",
        "Governance",
        "LegalForm",
        "Membership",
        "Money",
        "Organisation",
        "Principle",
        "ProfitRule",
        "Purpose",
        "PurposeType",
        "Registration",
        "RegistrationStatus",
        "ResidualAssets",
        "Statutes",
        "TerritorialLevel",
        "Undefined",
        "VotingRule",
        "Workforce",
        "unit_registry",
    ),
    "._model._forms": ("CertificationKind", "Presumption"),
    "._serialization": ("from_json", "make_converter", "structure", "to_json", "unstructure"),
}
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


# hidden from type checkers, which would otherwise accept any attribute of the module;
# they see the names through the imports above
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        """Load a public name from its module on first use, then keep it in the namespace."""
        try:
            module = _LAZY[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    """The public names, loaded or not, and what the module holds."""
    return sorted({*globals(), *__all__})
