"""Benchmark the classification engine against baselines run in the same process.

    python bench/bench_engine.py [N]

Compares, on the same organisations and the same rules (vn/social-enterprise,
LoE 2020 version, plus intl/ilo-2022):

- a hand-written Python function of the same rules producing per-criterion outcomes
  (three-valued, as the engine does): the per-object limit;
- the compiled evaluator (per-criterion outcomes and verdict);
- ``classify``, reading only the verdict (the explanation is built when first read);
- the compiled evaluator with full explanations (a Classification object, read whole);
- the reference evaluator;
- the `rule-engine` package and JSON Logic (the `json-logic-qubit` package: the
  original `json-logic` is Python 2 only), one rule per criterion giving its
  three-valued outcome code on a dict of facts, checked against the engine's codes on
  every organisation before timing (timed on a tenth of them, scaled).

Figures are throughputs and ratios; nothing here is a timed test.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))

import make_sample_register as sample

import sse_model
from sse_model import Classifier, FiscalYear, Organisation
from sse_model._engine._evaluate import pick_fiscal_year
from sse_model._model._organisation import Undefined

ON = date(2025, 6, 30)
PROFILE = "vn/social-enterprise"
FORMS = frozenset({"vn/jsc", "vn/llc", "vn/partnership", "vn/private-enterprise"})
T51 = Fraction(51, 100)


def organisations(n: int) -> list[Organisation]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        data = sample.organisation(rng, i)
        data["country"], data["legal_form"] = (
            "VN",
            rng.choice(["vn/jsc", "vn/llc", "vn/cooperative", "vn/partnership"]),
        )
        for fy in data.get("finances", {}).values():
            for k, v in list(fy.items()):
                fy[k] = v.rsplit(" ", 1)[0] + " VND"
        out.append(sse_model.structure(json.loads(json.dumps(data)), Organisation))
    return out


def _b(v: bool | None, want: bool = True) -> int:
    return 1 if v is None else (2 if v is want else 0)


def _reinvest(fy: FiscalYear | None) -> int:
    """reinvested / profit after tax at least 51 %; where the reinvested profit is
    unknown, the year's other allocations may already leave less than 51 % of a positive
    profit (the allocations add up to at most the profit after tax)."""
    share = None if fy is None else fy.reinvested_share
    if share is not None and not isinstance(share, Undefined):
        return 2 if share >= T51 else 0
    if fy is None or fy.reinvested is not None or fy.profit_after_tax is None:
        return 1
    profit = Fraction(fy.profit_after_tax.amount)
    others = (fy.to_reserves, fy.dividends, fy.patronage_refunds)
    left = profit - sum(Fraction(m.amount) for m in others if m is not None)
    return 0 if profit > 0 and left < T51 * profit else 1


def handwritten(org: Organisation) -> tuple[int, tuple[int, ...]]:
    """vn/social-enterprise (LoE 2020) by hand: outcome codes 0 not met, 1 unknown, 2 met,
    3 not applicable (the LoE 2014 reinvestment rule, not in force for these years)."""
    scope = 1 if org.country is None else (2 if org.country == "VN" else 0)
    form = org.legal_form
    c0 = 1 if form is None else (2 if form in FORMS else 0)
    p = org.purpose
    c1 = max(_b(p.social), _b(p.environmental))
    fy, _ = pick_fiscal_year(org, ON, None)
    c2 = _reinvest(fy)
    c3 = _b(p.commitment_registered)
    return min(scope, c0, c1, c2, c3), (scope, c0, c1, 3, c2, c3)


def _amount(m: Any) -> float | None:
    return None if m is None else float(m.amount)


def facts_dict(org: Organisation) -> dict[str, Any]:
    """The facts the rule reads, as plain values (None: unknown)."""
    fy, _ = pick_fiscal_year(org, ON, None)
    share = None if fy is None else fy.reinvested_share
    others = () if fy is None else (fy.to_reserves, fy.dividends, fy.patronage_refunds)
    return {
        "country": org.country,
        "legal_form": org.legal_form,
        "social": org.purpose.social,
        "environmental": org.purpose.environmental,
        "reinvested_share": None
        if share is None or isinstance(share, Undefined)
        else float(share),
        "reinvested": None if fy is None else _amount(fy.reinvested),
        "profit": None if fy is None else _amount(fy.profit_after_tax),
        "other_allocations": sum(float(m.amount) for m in others if m is not None),
        "commitment": org.purpose.commitment_registered,
    }


def rule_engine_rules() -> list[Any]:
    """One rule per criterion, each giving the outcome code (0, 1 unknown, 2): a fact
    that is null makes a criterion unknown unless the rule still decides it."""
    import rule_engine

    forms = ", ".join(f"'{f}'" for f in sorted(FORMS))

    def truth(fact: str) -> str:
        return f"({fact} == null ? 1 : ({fact} ? 2 : 0))"

    return [
        rule_engine.Rule("country == null ? 1 : (country == 'VN' ? 2 : 0)"),
        rule_engine.Rule(f"legal_form == null ? 1 : (legal_form in [{forms}] ? 2 : 0)"),
        rule_engine.Rule(
            f"{truth('social')} > {truth('environmental')}"
            f" ? {truth('social')} : {truth('environmental')}"
        ),
        rule_engine.Rule(
            "reinvested_share != null ? (reinvested_share >= 0.51 ? 2 : 0)"
            # the allocations add up to at most the profit after tax
            " : (reinvested == null and profit != null and profit > 0"
            " and (profit - other_allocations) * 100 < 51 * profit ? 0 : 1)"
        ),
        rule_engine.Rule(truth("commitment")),
    ]


def json_logic_rules() -> list[dict[str, Any]]:
    """The same criteria as JSON Logic, each giving the outcome code; ``===`` against
    null and true (``==`` coerces: null == false holds in JSON Logic)."""
    import json_logic  # noqa: F401  (ImportError when not installed)

    def var(name: str) -> dict[str, Any]:
        return {"var": name}

    def null(name: str) -> dict[str, Any]:
        return {"===": [var(name), None]}

    def truth(fact: str) -> dict[str, Any]:
        return {"if": [null(fact), 1, {"===": [var(fact), True]}, 2, 0]}

    profit = var("profit")
    left = {"-": [profit, var("other_allocations")]}
    return [
        {"if": [null("country"), 1, {"===": [var("country"), "VN"]}, 2, 0]},
        {"if": [null("legal_form"), 1, {"in": [var("legal_form"), sorted(FORMS)]}, 2, 0]},
        {"max": [truth("social"), truth("environmental")]},
        {
            "if": [
                {"!": null("reinvested_share")},
                {"if": [{">=": [var("reinvested_share"), 0.51]}, 2, 0]},
                # the allocations add up to at most the profit after tax
                {
                    "and": [
                        null("reinvested"),
                        {"!": null("profit")},
                        {">": [profit, 0]},
                        {"<": [{"*": [left, 100]}, {"*": [51, profit]}]},
                    ]
                },
                0,
                1,
            ]
        },
        truth("commitment"),
    ]


def with_rules(evaluate: Callable[[Any, dict[str, Any]], Any], rules: list[Any]) -> Any:
    """Per organisation: its facts, each criterion's code, the verdict (the least)."""

    def classify(o: Organisation) -> tuple[int, tuple[int, ...]]:
        facts = facts_dict(o)
        codes = tuple(int(evaluate(r, facts)) for r in rules)
        return min(codes), codes

    return classify


def _agrees(classify: Callable[[Organisation], Any], orgs: Sequence[Organisation]) -> None:
    """The peer's verdict and codes are the hand-written ones (the engine's, checked)."""
    for o in orgs:
        v, (scope, c0, c1, _, c2, c3) = handwritten(o)
        got = classify(o)
        assert got == (v, (scope, c0, c1, c2, c3)), (o.id, got, v)


def _explained(c: sse_model.Classification) -> object:
    """Read the whole explanation (``classify`` builds it when first read)."""
    return c.criteria, c.settlement


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(n: int) -> dict[str, float]:
    orgs = organisations(n)
    compiled = Classifier()
    reference = Classifier(evaluator="reference")
    profile = sse_model.load_profile(PROFILE)
    compiled.raw(orgs[0], profile, ON)  # compile once, outside the timing
    # the engine and the hand-written function must agree before speed means anything
    for o in orgs:
        v, outcomes = handwritten(o)
        raw = compiled.raw(o, profile, ON)
        assert (raw.verdict, raw.outcomes) == (v, outcomes), (o.id, raw, v, outcomes)

    def loop(
        f: Callable[[Organisation], object], items: Sequence[Organisation]
    ) -> Callable[[], None]:
        def go() -> None:
            for o in items:
                f(o)

        return go

    fast = compiled.evaluator(profile, ON)
    assert all(fast(o) == handwritten(o) for o in orgs)
    figures = {
        "hand-written": best_of(loop(handwritten, orgs)),
        "compiled (outcomes)": best_of(loop(fast, orgs)),
        "compiled via Classifier.raw": best_of(loop(lambda o: compiled.raw(o, profile, ON), orgs)),
        "classify, verdict read": best_of(
            loop(lambda o: compiled.classify(o, profile, on=ON).verdict, orgs), 3
        ),
        "compiled (full explanations)": best_of(
            loop(lambda o: _explained(compiled.classify(o, profile, on=ON)), orgs), 3
        ),
        "reference": best_of(loop(lambda o: reference.raw(o, profile, ON), orgs), 3),
    }
    sub = orgs[: max(1, n // 10)]  # the rule engines are slow: a tenth, scaled
    try:
        rules = rule_engine_rules()
    except ImportError:
        print("rule-engine not installed: pip install rule-engine (nox -s bench does)")
    else:
        peer = with_rules(lambda r, facts: r.evaluate(facts), rules)
        _agrees(peer, orgs)
        figures["rule-engine"] = best_of(loop(peer, sub), 3) * (n / len(sub))
    try:
        logic = json_logic_rules()
    except ImportError:
        print("json-logic not installed: pip install json-logic-qubit (nox -s bench does)")
    else:
        from json_logic import jsonLogic

        peer = with_rules(jsonLogic, logic)
        _agrees(peer, orgs)
        figures["json-logic"] = best_of(loop(peer, sub), 3) * (n / len(sub))
    return figures


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    figures = run(n)
    base = figures["hand-written"]
    compiled = figures["compiled (outcomes)"]
    print(f"{n} organisations, profile {PROFILE} on {ON}")
    print(f"{'evaluator':<32}{'orgs/s':>12}{'vs hand-written':>18}{'compiled is x faster':>22}")
    for name, seconds in figures.items():
        print(
            f"{name:<32}{n / seconds:>12,.0f}{base / seconds:>17.2f}x{seconds / compiled:>21.1f}x"
        )


if __name__ == "__main__":
    main()
