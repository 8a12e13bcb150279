"""Which unknown criteria can still change a verdict, given what is known.

The decision is partially evaluated over the criterion outcomes: known outcomes are
folded in (an "all" with a criterion not met is not met; a case whose condition is not
met is dropped; a case analysis whose branches all agree is that value), and the
criteria still referred to in what is left are the ones whose facts are worth
collecting. This is sound: a criterion left out cannot change the verdict, whatever
the unknown criteria turn out to be. (It may keep a criterion that in fact cannot
matter, such as ``c and not c``; profiles do not write such decisions.)
"""

from __future__ import annotations

from collections.abc import Mapping

from ._ast import All, Any_, AtLeast, Case, Cases, Const, Node, Not, Ref, Truth, walk
from ._result import MET, NA, NOT_MET, UNKNOWN

__all__ = ["relevant"]

_Part = int | Node  # a definite code (MET, NOT_MET, NA) or what is left to decide

_CONST = {MET: Const(Truth.TRUE), NOT_MET: Const(Truth.FALSE), NA: Const(Truth.TRUE)}


def _node(part: _Part) -> Node:
    return _CONST[part] if isinstance(part, int) else part


def _fold(node: Node, outcomes: Mapping[str, int]) -> _Part:
    match node:
        case Ref(rid):
            code = outcomes[rid]
            return node if code == UNKNOWN else code
        case Const(value):
            return node if value is Truth.UNKNOWN else (MET if value is Truth.TRUE else NOT_MET)
        case All(items):
            parts = [_fold(i, outcomes) for i in items]
            if NOT_MET in parts:
                return NOT_MET
            rest = [p for p in parts if not isinstance(p, int)]
            return All(tuple(rest)) if rest else MET
        case Any_(items):
            parts = [_fold(i, outcomes) for i in items]
            if MET in parts:
                return MET
            rest = [p for p in parts if not isinstance(p, int)]
            return Any_(tuple(rest)) if rest else NOT_MET
        case Not(item):
            part = _fold(item, outcomes)
            if isinstance(part, int):
                return part if part == NA else MET - part
            return Not(part)
        case AtLeast(k, items):
            parts = [_fold(i, outcomes) for i in items]
            sure = sum(1 for p in parts if p == MET)
            rest = [p for p in parts if not isinstance(p, int)]
            if sure >= k:
                return MET
            if sure + len(rest) < k:
                return NOT_MET
            return AtLeast(k - sure, tuple(rest))
        case Cases(cases, otherwise):
            kept: list[tuple[_Part, _Part]] = []
            last: _Part | None = None
            for case in cases:
                when = _fold(case.when, outcomes)
                if when in (NOT_MET, NA):
                    continue
                then = _fold(case.then, outcomes)
                if when == MET:
                    last = then
                    break
                kept.append((when, then))
            if last is None:
                last = _fold(otherwise, outcomes)
            branches = {MET if p == NA else p for _, p in kept} | {MET if last == NA else last}
            if len(branches) == 1 and isinstance(next(iter(branches)), int):
                return next(iter(branches))
            if not kept:
                return last
            return Cases(tuple(Case(_node(w), _node(t)) for w, t in kept), _node(last))
    # leaves of criteria (not found in decisions) and Unresolved: unknown, nothing to collect
    return node


def relevant(decision: Node, outcomes: Mapping[str, int]) -> frozenset[str]:
    """The criteria whose outcome can still change the verdict of *decision*."""
    part = _fold(decision, outcomes)
    if isinstance(part, int):
        return frozenset()
    return frozenset(n.id for n in walk(part) if isinstance(n, Ref))
