"""Typing tests for the public API: checked by mypy --strict, never run."""

from datetime import date, datetime
from typing import Any, assert_type

import sse_model
from sse_model import (
    Classification,
    Classifier,
    CriterionResult,
    IndicatorTable,
    Organisation,
    Outcome,
    Profile,
    Settlement,
    Verdict,
    classify,
    classify_many,
    from_json,
    indicators,
    load_profile,
    profile_ids,
    structure,
    to_json,
    to_murmurations,
    write_murmurations,
)


def check_api(org: Organisation) -> None:
    c = classify(org, "intl/ilo-2022", on=date(2024, 1, 1))
    assert_type(c, Classification)
    assert_type(c.verdict, Verdict)
    assert_type(c.criteria, tuple[CriterionResult, ...])
    assert_type(c.criterion("x").outcome, Outcome)
    assert_type(c.settlement, Settlement | None)
    assert_type(c.explain(), str)
    assert_type(classify_many([org], ["intl/ilo-2022"]), list[Classification])
    # on: a date, an ISO string or a datetime (a pandas Timestamp is one)
    assert_type(classify(org, "intl/ilo-2022", on="2024-12-31"), Classification)
    assert_type(classify(org, "intl/ilo-2022", on=datetime(2024, 12, 31, 9)), Classification)
    assert_type(sse_model.compare_profiles(on="2024-12-31"), sse_model.PrincipleTable)
    assert_type(sse_model.InvalidArgument("on", "a date", "int 5").argument, str)
    assert_type(load_profile("intl/ilo-2022"), Profile)
    assert_type(profile_ids(), tuple[str, ...])
    assert_type(structure({}, Organisation), Organisation)
    assert_type(from_json("{}", Organisation), Organisation)
    assert_type(indicators([org], "intl/ilo-2022", by=["country"]), IndicatorTable)
    assert_type(org.work.employees, int | None)
    assert_type(to_json(org), str)
    assert_type(
        to_murmurations(classify_many([org], "intl/ilo-2022"), [org]), list[dict[str, Any]]
    )
    assert_type(write_murmurations("out.json", [c], primary_urls={"a": "https://a.org"}), int)
    assert_type(
        Classifier(evaluator="reference").classify(org, "vn/social-enterprise"), Classification
    )
    assert_type(sse_model.__version__, str)


def check_mappings() -> None:
    mapping = sse_model.load_mapping({"columns": {"Code": "id"}})
    assert_type(mapping, sse_model.RegisterMapping)
    assert_type(mapping.columns["Code"], sse_model.ColumnRule)
    assert_type(sse_model.RegisterMapping.renames({"Code": "id"}), sse_model.RegisterMapping)
    check = sse_model.check_register("r.csv", columns="mapping.toml", finances="economy.csv")
    assert_type(check, sse_model.RegisterCheck)
    assert_type(check.unmatched, tuple[sse_model.UnmatchedLabel, ...])
    assert_type(sse_model.mapping_schema(), dict[str, Any])
    sse_model.read_register("r.csv", columns=mapping, finances="economy.csv")
    sse_model.classify_file("r.csv", "intl/ilo-2022", output="o.csv", columns="m.toml")


def check_lazy_namespace(org: sse_model.Organisation) -> None:
    # the lazy names (PEP 562) have their real types, and a misspelt one is an error
    # (the module's __getattr__ is hidden from type checkers); an unused ignore fails
    assert_type(sse_model.classify(org, "intl/ilo-2022"), Classification)
    assert_type(sse_model.Organisation, type[Organisation])
    assert_type(sse_model.legal_forms()["vn/jsc"], sse_model.LegalForm)
    assert_type(sse_model.find_legal_forms("CIC", country="GB"), tuple[sse_model.LegalForm, ...])
    sse_model.clasify  # type: ignore[attr-defined]  # noqa: B018


def check_policy_lab(draft: Profile) -> None:
    reform = sse_model.Reform(
        "vn/draft",
        "vn/social-enterprise",
        (sse_model.SetThreshold("vn-se-reinvest-2020", "40 %"),),
    )
    assert_type(reform.apply(), Profile)
    assert_type(sse_model.load_profile_file("draft.toml"), Profile)
    cmp = sse_model.compare("register.csv", "vn/social-enterprise", draft)
    assert_type(cmp, sse_model.RegisterComparison)
    assert_type(cmp.transitions(), list[dict[str, Any]])
    s = sse_model.sweep("register.csv", draft, "vn-se-reinvest-2020", ["40 %", "51 %"])
    assert_type(s, sse_model.Sweep)
    assert_type(s.points, tuple[sse_model.SweepPoint, ...])
    assert_type(sse_model.margins("register.csv", draft), sse_model.Margins)
