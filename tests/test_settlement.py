"""Honest settlements: "facts to collect" lists only facts that can still change the verdict."""

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sse_model import Organisation, Verdict, classify, parse_profile, structure
from sse_model._engine._ast import All, Any_, AtLeast, Case, Cases, Const, Not, Ref, Truth
from sse_model._engine._result import MET, NA, NOT_MET, UNKNOWN
from sse_model._engine._settle import relevant

ROUTES = """
format = 1
id = "intl/routes"
title = "Two routes"
jurisdiction = "international"

[[instruments]]
id = "law"
title = "A law"

[[versions]]
label = "v1"
effective_from = 2020-01-01
decision = { cases = [ { when = "is-coop", then = "coop-route" } ], otherwise = "other-route" }

[[criteria]]
id = "is-coop"
description = "A cooperative"
instrument = "law"
article = "1"
principles = []
test = { fact = "family", in = ["cooperative"] }

[[criteria]]
id = "coop-route"
description = "One member, one vote"
instrument = "law"
article = "2"
principles = []
test = { fact = "governance.voting_rule", in = ["one_member_one_vote"] }

[[criteria]]
id = "other-route"
description = "A social purpose"
instrument = "law"
article = "3"
principles = []
test = { fact = "purpose.social", is = true }
"""

ON = date(2024, 1, 1)


def org(**fields: object) -> Organisation:
    return structure({"id": "o", "name": "O", "country": "FR", **fields}, Organisation)


class TestFactsToCollect:
    """A route that can no longer matter asks for nothing."""

    def test_dead_route_is_not_asked(self) -> None:
        """A known cooperative: only the cooperative route's fact is to collect."""
        c = classify(org(family="cooperative"), parse_profile(ROUTES), on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["governance.voting_rule"]
        # the criterion of the dead route still says what it lacks
        assert c.criterion("other-route").missing == ("purpose.social",)

    def test_known_non_member_asks_for_the_other_route(self) -> None:
        """A known company: only the other route's fact is to collect."""
        c = classify(org(family="company"), parse_profile(ROUTES), on=ON)
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["purpose.social"]

    def test_unknown_family_asks_for_everything(self) -> None:
        """While the route is unknown, every route's facts can still change the verdict."""
        c = classify(org(), parse_profile(ROUTES), on=ON)
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == [
            "legal_form",
            "family",
            "governance.voting_rule",
            "purpose.social",
        ]


def _r(name: str) -> Ref:
    return Ref(name)


class TestRelevant:
    """The partial evaluation keeps exactly the criteria that can still matter."""

    @pytest.mark.parametrize(
        ("node", "outcomes", "expected"),
        [
            (All((_r("a"), _r("b"))), {"a": NOT_MET, "b": UNKNOWN}, set()),
            (All((_r("a"), _r("b"))), {"a": MET, "b": UNKNOWN}, {"b"}),
            (Any_((_r("a"), _r("b"))), {"a": MET, "b": UNKNOWN}, set()),
            (Any_((_r("a"), _r("b"))), {"a": NA, "b": UNKNOWN}, {"b"}),
            (Not(_r("a")), {"a": UNKNOWN}, {"a"}),
            (AtLeast(2, (_r("a"), _r("b"), _r("c"))), {"a": MET, "b": MET, "c": UNKNOWN}, set()),
            (
                AtLeast(2, (_r("a"), _r("b"), _r("c"))),
                {"a": NOT_MET, "b": UNKNOWN, "c": UNKNOWN},
                {"b", "c"},
            ),
            (
                Cases((Case(_r("a"), Const(Truth.TRUE)),), Const(Truth.TRUE)),
                {"a": UNKNOWN},
                set(),
            ),
            (
                Cases((Case(_r("a"), _r("b")),), _r("c")),
                {"a": UNKNOWN, "b": UNKNOWN, "c": UNKNOWN},
                {"a", "b", "c"},
            ),
        ],
    )
    def test_cases(self, node: object, outcomes: dict[str, int], expected: set[str]) -> None:
        """Known outcomes fold away; a case analysis whose branches agree needs no condition."""
        assert relevant(node, outcomes) == expected  # type: ignore[arg-type]


def _plans() -> list[object]:
    from sse_model import Classifier, profile_ids

    c = Classifier()
    out = []
    for pid in profile_ids():
        p = c.profile(pid)
        for v in p.versions:
            out.append(c.plan(p, v.effective_from))
    return out


PLANS = _plans()


class TestRelevantIsSound:
    """A criterion left out of "facts to collect" cannot change the verdict."""

    @settings(max_examples=300, deadline=None)
    @given(data=st.data())
    def test_left_out_criteria_never_matter(self, data: st.DataObject) -> None:
        """For every shipped decision, any known outcomes and any completion of the unknown
        ones: changing the outcome of a criterion not found relevant leaves the verdict."""
        from sse_model._engine._evaluate import decide

        plan: Any = data.draw(st.sampled_from(PLANS), label="plan")
        ids = [c.id for c in plan.criteria]
        codes = st.sampled_from((NOT_MET, UNKNOWN, MET, NA))
        outcomes = {i: data.draw(codes, label=i) for i in ids}
        found = relevant(plan.decision, outcomes)
        definite = st.sampled_from((NOT_MET, MET, NA))
        completion = {i: (data.draw(definite) if o == UNKNOWN else o) for i, o in outcomes.items()}
        verdict = decide(plan.decision, completion)
        for i, o in outcomes.items():
            if o == UNKNOWN and i not in found:
                for other in (NOT_MET, MET, NA):
                    assert decide(plan.decision, {**completion, i: other}) == verdict, i
