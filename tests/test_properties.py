"""The engine's ready-made properties, run on every shipped profile.

`check_profile` checks every property on each example. In CI (HYPOTHESIS_PROFILE=ci) it
runs 150 examples per shipped profile, so that the whole suite keeps within CI's time
budget as profiles are added; ``nox -s properties`` runs 2,000 per profile (set
SSE_PROFILE_EXAMPLES to choose). Locally (dev profile) it runs 100.
"""

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings

from sse_model import profile_ids
from sse_model import testing as t

CHECKS: dict[str, Callable[..., None]] = {
    "evaluators_agree": t.check_evaluators_agree,
    "knowledge_monotonicity": t.check_knowledge_monotonicity,
    "serialization_invariance": t.check_serialization_invariance,
    "unit_invariance": t.check_unit_invariance,
    "determinism": t.check_determinism,
    "assumption_monotonicity": t.check_assumption_monotonicity,
}


def _examples() -> int:
    """Examples per shipped profile: SSE_PROFILE_EXAMPLES, else 150 in CI, else the
    Hypothesis profile's own number."""
    chosen = os.environ.get("SSE_PROFILE_EXAMPLES")
    if chosen:
        return int(chosen)
    default: int = settings.default.max_examples
    return min(default, 150)


class TestShippedProfiles:
    """Every shipped profile satisfies every ready-made property."""

    @pytest.mark.parametrize("profile", profile_ids())
    def test_all_properties(self, profile: str) -> None:
        """Agreement of evaluators (with and without assumptions), knowledge and
        assumption monotonicity, serialization and unit invariance, and determinism hold
        for *profile* on each generated organisation."""
        t.check_profile(profile, max_examples=_examples())


class TestEachCheck:
    """Each ready-made check runs on its own, as users call it."""

    @pytest.mark.parametrize("check", sorted(CHECKS))
    def test_check(self, check: str) -> None:
        """The check named *check* passes on intl/ilo-2022."""
        CHECKS[check]("intl/ilo-2022", max_examples=50)


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

    def test_monotonicity_check_catches_a_default(self, monkeypatch: Any) -> None:
        """An evaluator that treats unknown as 'not met' breaks knowledge monotonicity."""
        from sse_model._engine import _classify
        from sse_model._engine._compiler import compile_plan

        def defaulting(plan: Any, **options: Any) -> Any:
            fn = compile_plan(plan, **options)

            def run(*args: Any) -> Any:
                verdict, outcomes, *rest = fn(*args)
                return (
                    0 if verdict == 1 else verdict,
                    tuple(0 if o == 1 else o for o in outcomes),
                    *rest,
                )

            return run

        monkeypatch.setattr(_classify, "compile_plan", defaulting)
        with pytest.raises(AssertionError):
            t.check_knowledge_monotonicity("vn/social-enterprise", max_examples=300)
