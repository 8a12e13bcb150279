"""The engine's ready-made properties, run on every shipped profile.

In CI (HYPOTHESIS_PROFILE=ci) each property runs 1,000 examples per profile.
"""

from collections.abc import Callable
from typing import Any

import pytest

from sse_model import profile_ids
from sse_model import testing as t

CHECKS: dict[str, Callable[..., None]] = {
    "evaluators_agree": t.check_evaluators_agree,
    "knowledge_monotonicity": t.check_knowledge_monotonicity,
    "serialization_invariance": t.check_serialization_invariance,
    "unit_invariance": t.check_unit_invariance,
    "determinism": t.check_determinism,
}


@pytest.mark.parametrize("check", sorted(CHECKS))
@pytest.mark.parametrize("profile", profile_ids())
class TestShippedProfiles:
    """Every shipped profile satisfies every ready-made property."""

    def test_property(self, profile: str, check: str) -> None:
        """The property named by *check* holds for *profile* (see its docstring)."""
        CHECKS[check](profile)


class TestChecksCanFail:
    """The ready-made checks detect a broken evaluator: they are not vacuous."""

    def test_agreement_check_catches_a_wrong_compiled_evaluator(self, monkeypatch: Any) -> None:
        """A compiled evaluator that flips verdicts is caught by check_evaluators_agree."""
        from sse_model._engine import _classify
        from sse_model._engine._compiler import compile_plan

        def broken(plan: Any, **options: Any) -> Any:
            fn = compile_plan(plan, **options)
            if options.get("fast"):
                return lambda org: (0, *fn(org)[1:])
            return lambda org, fy, on: (0, *fn(org, fy, on)[1:])

        monkeypatch.setattr(_classify, "compile_plan", broken)
        with pytest.raises(AssertionError):
            t.check_evaluators_agree("vn/social-enterprise", max_examples=200)
