"""The model's values as pretty printers show them (Hypothesis's counterexamples,
IPython): the constructor call, with only the fields that differ from their defaults.

``repr()`` stays as attrs writes it (every field; :class:`~sse_model.Organisation`: its
identity only); ``_repr_pretty_`` (the IPython protocol Hypothesis uses) is what
:func:`pretty_fields` writes: ``Organisation(id='x', name='X', country='VN',
governance=Governance(voting_rule=<VotingRule.ONE_MEMBER_ONE_VOTE: ...>))``, which
evaluates back to an equal value; an amount of money is ``Money(Decimal('0'), 'VND')``.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["install", "pretty_fields"]


def _default(field: Any) -> Any:
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory() if not default.takes_self else attrs.NOTHING
    return default


def pretty_fields(obj: Any, p: Any, cycle: bool) -> None:
    """Write *obj* (an attrs value) to the pretty printer *p*: its class, then each
    field given to the constructor whose value is not the field's default."""
    name = type(obj).__name__
    if cycle:  # pragma: no cover - the model's values hold no cycles
        p.text(f"{name}(...)")
        return
    shown = []
    for field in attrs.fields(type(obj)):
        if not field.init:
            continue
        value = getattr(obj, field.name)
        default = _default(field)
        if default is not attrs.NOTHING and type(value) is type(default) and value == default:
            continue
        shown.append((field.alias or field.name, value))
    if len(shown) == 2 and name == "Money":  # an amount and its currency, positionally
        p.text(f"{name}({shown[0][1]!r}, {shown[1][1]!r})")
        return
    with p.group(1, f"{name}(", ")"):
        for i, (key, value) in enumerate(shown):
            if i:
                p.text(",")
                p.breakable()
            p.text(f"{key}=")
            p.pretty(value)


def install(classes: tuple[type, ...]) -> None:
    """Give each of *classes* the pretty form of :func:`pretty_fields`."""
    for cls in classes:
        cls._repr_pretty_ = pretty_fields  # type: ignore[attr-defined]
