"""Hypothesis's entry point: strategies for the model's types, registered when
Hypothesis is imported (``[project.entry-points.hypothesis]`` in ``pyproject.toml``).

The hook is cheap: it imports the model's classes and registers, for each, a function
that Hypothesis calls the first time it needs a strategy for that type; only then is
:mod:`sse_model.testing` (the strategies, and the engine they use) imported.
"""

from __future__ import annotations

from typing import Any

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register a strategy resolver for each model type (called by Hypothesis)."""
    from hypothesis import strategies as st

    from ._model import MODEL_TYPES, Money

    for cls in (*MODEL_TYPES, Money):
        st.register_type_strategy(cls, _strategy_for)


def _strategy_for(cls: type) -> Any:
    """The strategy :mod:`sse_model.testing` gives *cls* (``NotImplemented``: none,
    Hypothesis then builds one from the type's fields)."""
    from .testing import type_strategies

    return type_strategies().get(cls, NotImplemented)
