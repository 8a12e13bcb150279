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
- the `rule-engine` package, one rule per criterion, on a dict of facts.

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


def facts_dict(org: Organisation) -> dict[str, Any]:
    fy, _ = pick_fiscal_year(org, ON, None)
    share = None if fy is None else fy.reinvested_share
    return {
        "legal_form": org.legal_form,
        "social": org.purpose.social,
        "environmental": org.purpose.environmental,
        "reinvested_share": None
        if share is None or isinstance(share, Undefined)
        else float(share),
        "commitment": org.purpose.commitment_registered,
    }


def rule_engine_rules() -> list[Any]:
    import rule_engine

    forms = ", ".join(f"'{f}'" for f in sorted(FORMS))
    return [
        rule_engine.Rule(f"legal_form in [{forms}]"),
        rule_engine.Rule("social == true or environmental == true"),
        rule_engine.Rule("reinvested_share != null and reinvested_share >= 0.51"),
        rule_engine.Rule("commitment == true"),
    ]


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
    try:
        rules = rule_engine_rules()
    except ImportError:
        print("rule-engine not installed: pip install rule-engine (nox -s bench does)")
    else:
        sub = orgs[: max(1, n // 10)]

        def with_rule_engine(o: Organisation) -> list[bool]:
            facts = facts_dict(o)
            return [r.matches(facts) for r in rules]

        figures["rule-engine"] = best_of(loop(with_rule_engine, sub), 3) * (n / len(sub))
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
