"""Hypothesis strategies and ready-made properties for testing classification rules.

Use them on the shipped profiles or on your own::

    from sse_model import load_profile_file
    from sse_model.testing import check_profile

    def test_my_draft_law():
        check_profile(load_profile_file("my-country.toml"), on=date(2026, 1, 1))

Strategies are registered for the model types, so ``st.from_type(Organisation)``
works once this module is imported. Importing it needs Hypothesis (a dependency
of *sse-model*).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cache
from math import lcm
from typing import Any

import attrs
from hypothesis import given, note, settings
from hypothesis import strategies as st

from ._engine._assume import Assumptions
from ._engine._ast import Compare, OneOf, walk
from ._engine._classify import Classifier
from ._engine._evaluate import threshold_value
from ._engine._profile import Plan, Profile
from ._engine._result import Classification, Outcome, Verdict
from ._model import (
    Beneficiaries,
    Certification,
    EntityFamily,
    FiscalYear,
    Governance,
    Membership,
    Money,
    Organisation,
    ProfitRule,
    Purpose,
    PurposeType,
    Registration,
    ResidualAssets,
    Statutes,
    TerritorialLevel,
    VotingRule,
    Workforce,
    form_table,
)
from ._serialization import from_json, structure, to_json, unstructure

__all__ = [
    "Thresholds",
    "assumptions_for",
    "check_assumption_monotonicity",
    "check_determinism",
    "check_evaluators_agree",
    "check_knowledge_monotonicity",
    "check_profile",
    "check_serialization_invariance",
    "check_unit_invariance",
    "fiscal_years",
    "money",
    "organisations",
    "organisations_for",
    "organisations_with_outcome",
    "ratios",
    "thresholds_of",
]

#: Shares that national laws use as thresholds: generated often, with neighbours.
_LEGAL_SHARES = (
    Fraction(0),
    Fraction(1, 5),
    Fraction(3, 10),
    Fraction(1, 3),
    Fraction(2, 5),
    Fraction(1, 2),
    Fraction(51, 100),
    Fraction(3, 5),
    Fraction(2, 3),
    Fraction(7, 10),
    Fraction(4, 5),
    Fraction(1),
)

_CURRENCY_OF = {
    "VN": "VND",
    "TH": "THB",
    "KH": "KHR",
    "MN": "MNT",
    "KR": "KRW",
    "FR": "EUR",
    "IT": "EUR",
    "ES": "EUR",
    "PT": "EUR",
    "GB": "GBP",
    "US": "USD",
    "CA": "CAD",
    "BR": "BRL",
    "CO": "COP",
    "MX": "MXN",
}


class Thresholds:
    """Threshold values per fact, taken from profiles, to generate boundary cases."""

    def __init__(
        self,
        by_fact: Mapping[str, Iterable[Fraction | Money]] | None = None,
        codes: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.by_fact: dict[str, tuple[Fraction | Money, ...]] = {
            k: tuple(v) for k, v in (by_fact or {}).items()
        }
        #: the country and subdivision codes the profiles test (their territorial scope)
        self.codes: dict[str, tuple[str, ...]] = {
            k: tuple(sorted(v)) for k, v in (codes or {}).items()
        }

    def choices(self, fact: str) -> tuple[str, ...]:
        return self.codes.get(fact, ())

    def ratios(self, fact: str) -> tuple[Fraction, ...]:
        return tuple(v for v in self.by_fact.get(fact, ()) if isinstance(v, Fraction))

    def amounts(self, fact: str) -> tuple[Money, ...]:
        return tuple(v for v in self.by_fact.get(fact, ()) if isinstance(v, Money))


def thresholds_of(plans: Iterable[Plan]) -> Thresholds:
    """Collect every threshold that the plans compare facts with."""
    found: dict[str, set[Fraction | Money]] = {}
    codes: dict[str, set[str]] = {}
    for plan in plans:
        for criterion in plan.criteria:
            nodes = walk(criterion.test) + (
                walk(criterion.applies_if) if criterion.applies_if else []
            )
            for reading in criterion.readings:
                nodes += walk(reading.test)
            for n in nodes:
                if isinstance(n, OneOf) and n.fact in ("country", "subdivision"):
                    codes.setdefault(n.fact, set()).update(n.values)
                if isinstance(n, Compare):
                    t = threshold_value(n.threshold, plan)
                    if t is None:
                        continue
                    value: Fraction | Money = (
                        t[0]
                        if t[1] is None
                        else Money(Decimal(t[0].numerator) / Decimal(t[0].denominator), t[1])
                    )
                    found.setdefault(n.fact, set()).add(value)
    return Thresholds(found, codes)


def ratios(around: Iterable[Fraction] = ()) -> st.SearchStrategy[Fraction]:
    """Exact shares in [0, 1], biased to legal thresholds and their neighbours."""
    return _ratios(frozenset(around))


@cache
def _ratios(around: frozenset[Fraction]) -> st.SearchStrategy[Fraction]:
    points = sorted(set(_LEGAL_SHARES) | around)
    eps = Fraction(1, 10_000)
    near = [p + d for p in points for d in (-eps, Fraction(0), eps) if 0 <= p + d <= 1]
    return st.one_of(
        st.sampled_from(near),
        st.fractions(min_value=0, max_value=1, max_denominator=1000),
    )


def _counts(around: Iterable[Fraction] = ()) -> st.SearchStrategy[int]:
    return _counts_near(frozenset(around))


@cache
def _counts_near(around: frozenset[Fraction]) -> st.SearchStrategy[int]:
    points = {int(p) + d for p in around for d in (-1, 0, 1) if int(p) + d >= 0}
    return st.one_of(
        st.sampled_from(sorted(points | {0, 1, 2, 3, 5, 7, 10, 25})), st.integers(0, 500)
    )


def money(
    currency: str, *, min_value: int = 0, max_value: int = 10**9
) -> st.SearchStrategy[Money]:
    """Whole amounts in one currency."""
    return st.integers(min_value, max_value).map(lambda n: Money(Decimal(n), currency))


class _Picker:
    """Few, wide draws: generation stays fast enough for thousands of examples per
    property, and shrinking still goes towards simple values (unknown facts first)."""

    def __init__(self, draw: st.DrawFn, n_flags: int) -> None:
        self.draw = draw
        # two bits per optional fact: unknown with probability 1/4
        self._mask = draw(st.integers(0, 4**n_flags - 1))

    def known(self) -> bool:
        bits, self._mask = self._mask & 3, self._mask >> 2
        return bits != 3

    def maybe(self, value: Any) -> Any:
        return value if self.known() else None

    def one(self, seq: Sequence[Any]) -> Any:
        return seq[self.draw(st.integers(0, len(seq) - 1))]

    def opt(self, seq: Sequence[Any]) -> Any:
        return self.maybe(self.one(seq))

    def flag(self) -> bool | None:
        value: bool | None = self.maybe(self.one((False, True)))
        return value

    def ratio(self, near: tuple[Fraction, ...]) -> Fraction:
        i = self.draw(st.integers(0, len(near)))
        if i < len(near):
            return near[i]
        return self.draw(st.fractions(min_value=0, max_value=1, max_denominator=1000))


@cache
def _near(around: frozenset[Fraction]) -> tuple[Fraction, ...]:
    points = sorted(set(_LEGAL_SHARES) | around)
    eps = Fraction(1, 10_000)
    return tuple(
        sorted({p + d for p in points for d in (-eps, Fraction(0), eps) if 0 <= p + d <= 1})
    )


@cache
def _near_counts(around: frozenset[Fraction]) -> tuple[int, ...]:
    points = {int(p) + d for p in around for d in (-1, 0, 1) if int(p) + d >= 0}
    return tuple(sorted(points | {0, 1, 2, 3, 5, 7, 10, 25, 120}))


def _fiscal_year(draw: st.DrawFn, currency: str, y: int, t: Thresholds) -> FiscalYear:
    pk = _Picker(draw, 20)

    def near(*facts: str) -> tuple[Fraction, ...]:
        return _near(frozenset(v for f in facts for v in t.ratios(f)))

    shares = [pk.ratio(near("finances.reinvested_share", "finances.retained_share"))]
    remaining = 1 - shares[0]
    for fact in ("finances.reserve_share", "finances.distributed_share"):
        candidates = tuple(v for v in near(fact) if v <= remaining) or (Fraction(0),)
        share = pk.one(candidates)
        shares.append(share)
        remaining -= share
    shares.append(pk.one((Fraction(0), remaining)))
    sign = pk.one((1, 1, 1, 0, -1))
    unit = lcm(*(x.denominator for x in shares))
    profit = sign * unit * draw(st.integers(1, 50)) * 1000

    def m(n: int) -> Money:
        return Money(Decimal(n), currency)

    def part(x: Fraction) -> Money:
        return m(int(x * profit) if profit > 0 else 0)

    revenue_n = draw(st.integers(0, 10**7)) * 100
    sales_n = int(pk.ratio(near("finances.sales_share")) * revenue_n)
    labour_ratio = pk.ratio(near("finances.sales_to_labour_costs")) or Fraction(1, 2)
    opex_n = draw(st.integers(0, 10**7)) * 100
    dividends_n = int(part(shares[2]).amount)
    return FiscalYear(
        year=y,
        revenue=pk.maybe(m(revenue_n)),
        revenue_from_sales=pk.maybe(m(sales_n)),
        revenue_from_general_interest=pk.maybe(
            m(int(pk.ratio(near("finances.general_interest_share")) * revenue_n))
        ),
        grants_and_donations=pk.maybe(m(revenue_n // 3)),
        labour_costs=pk.maybe(m(sales_n * labour_ratio.denominator // labour_ratio.numerator)),
        operating_expenses=pk.maybe(m(opex_n)),
        social_purpose_expenses=pk.maybe(
            m(int(pk.ratio(near("finances.social_purpose_expense_share")) * opex_n))
        ),
        profit_before_tax=pk.maybe(m(profit * 5 // 4 if profit > 0 else profit)),
        profit_after_tax=pk.maybe(m(profit)),
        distributable_profit=pk.maybe(m(max(profit, 0))),
        reinvested=pk.maybe(part(shares[0])),
        to_reserves=pk.maybe(part(shares[1])),
        dividends=pk.maybe(part(shares[2])),
        patronage_refunds=pk.maybe(part(shares[3])),
        # none, half or all of the dividends paid to asset-locked bodies
        dividends_to_asset_locked_bodies=pk.maybe(m(dividends_n * pk.one((0, 1, 2)) // 2)),
        capital_reduction_payouts=pk.maybe(m(pk.one((0, 0, abs(profit) // 10 + 1000)))),
        profit_used_for_social_purposes=pk.maybe(
            m(int(pk.ratio(near("finances.social_purpose_profit_share")) * max(profit, 0)))
        ),
        dividend_rate=pk.maybe(pk.ratio(near("finances.dividend_rate"))),
        share_capital=pk.maybe(m(draw(st.integers(1, 10**6)) * 100)),
        reserves=pk.maybe(m(draw(st.integers(0, 10**6)) * 100)),
    )


@st.composite
def fiscal_years(
    draw: st.DrawFn,
    currency: str = "VND",
    year: int | None = None,
    thresholds: Thresholds | None = None,
) -> FiscalYear:
    """Consistent accounts of one year: allocations within profit, loss years included."""
    y = year if year is not None else draw(st.integers(2010, 2026))
    return _fiscal_year(draw, currency, y, thresholds or Thresholds())


@cache
def _form_codes() -> tuple[str, ...]:
    return tuple(sorted(form_table()))


_NAMES = ("Coop", "Coopérative de l'Ain", "協同組合", "Hợp tác xã", 'A "quoted" name', "x")
_FAMILIES = tuple(EntityFamily)


@st.composite
def organisations(draw: st.DrawFn, thresholds: Thresholds | None = None) -> Organisation:
    """Organisations of every family and country, with missing facts, loss years and
    boundary-ish shares, realistic enough to reach every branch of a profile."""
    t = thresholds or Thresholds()
    pk = _Picker(draw, 48)
    home = t.choices("country")
    if home and pk.one((False, True)):  # inside the profiles' territorial scope, half the time
        country = pk.one(home)
        forms = tuple(f for f in _form_codes() if form_table()[f].country == country)
        form = pk.opt(forms) if forms else None
        # identity is not the vehicle: any family may come with any legal form
        family = pk.opt(_FAMILIES)
    else:
        form = pk.opt(_form_codes())
        if form is not None:
            country = form_table()[form].country
            family = pk.opt(_FAMILIES)
        else:
            country = pk.one(sorted(_CURRENCY_OF))
            family = pk.opt(_FAMILIES)
    regions = tuple(x for x in t.choices("subdivision") if x.startswith(f"{country}-"))
    subdivision = pk.opt(regions) if regions else None
    currency = _CURRENCY_OF.get(country, "USD")
    first = draw(st.integers(2012, 2025))
    n_years = pk.one((0, 1, 1, 2))
    finances = tuple(_fiscal_year(draw, currency, first + k, t) for k in range(n_years))
    kinds = _certification_kinds()
    certs = []
    for _ in range(pk.one((0, 0, 1, 2))):
        granted = pk.maybe(date(2008, 1, 1) + timedelta(days=draw(st.integers(0, 7000))))
        expires = pk.maybe(date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 7000))))
        certs.append(
            Certification(
                kind=pk.one(kinds),
                granted_on=granted,
                expires_on=expires,
                indefinite=pk.flag() if expires is None else None,
            )
        )

    def r(*facts: str) -> Fraction | None:
        value: Fraction | None = pk.maybe(
            pk.ratio(_near(frozenset(v for f in facts for v in t.ratios(f))))
        )
        return value

    def n(*facts: str) -> int | None:
        value: int | None = pk.opt(_near_counts(frozenset(v for f in facts for v in t.ratios(f))))
        return value

    paid = n("workforce.paid_workers")
    vulnerable = None
    if paid is not None:
        share = pk.ratio(_near(frozenset(t.ratios("workforce.vulnerable_worker_share"))))
        if pk.known():  # exact boundary shares need a head count the share divides
            paid = share.denominator * draw(st.integers(0, max(1, 500 // share.denominator)))
        vulnerable = pk.maybe(int(share * paid))
    pays = sorted(draw(st.integers(1, 10**6)) * 100 for _ in range(3))
    pay_thresholds = [a for a in t.amounts("workforce.highest_pay") if a.currency == currency]
    if pay_thresholds and pk.known():
        pays[-1] = int(pk.one(pay_thresholds).amount) + pk.one((-1, 0, 1))
        pays.sort()
    total = pk.maybe(draw(st.integers(1, 1000)))
    ident = draw(st.integers(0, 10**6))
    org = Organisation(
        id=f"{country.lower()}-{ident}",
        name=pk.one(_NAMES),
        country=country,
        subdivision=subdivision,
        legal_form=form,
        family=family,
        registration=Registration(
            registered_on=pk.maybe(date(1990, 1, 1) + timedelta(days=draw(st.integers(0, 13500)))),
            charity=pk.flag(),
        ),
        purpose=Purpose(
            social=pk.flag(),
            environmental=pk.flag(),
            general_interest=pk.flag(),
            mutual_benefit=pk.flag(),
            economic_activity=pk.flag(),
            primary=pk.maybe(
                frozenset(draw(st.sets(st.sampled_from(list(PurposeType)), max_size=2)))
            ),
            commitment_registered=pk.flag(),
        ),
        governance=Governance(
            members=n("governance.members", "membership.founding_members"),
            voting_rule=pk.opt(tuple(VotingRule)),
            largest_member_capital_share=r("governance.largest_member_capital_share"),
            largest_member_vote_share=r("governance.largest_member_vote_share"),
            foreign_capital_share=r("governance.foreign_capital_share"),
            stakeholder_participation=pk.flag(),
            public_board_share=r("governance.public_board_share"),
            for_profit_board_share=r("governance.for_profit_board_share"),
            controlled_by_public_body=pk.flag(),
            controlled_by_for_profit=pk.flag(),
            listed_on_market=pk.flag(),
            single_natural_person_owner=pk.flag(),
        ),
        membership=Membership(
            voluntary=pk.flag(),
            open=pk.flag(),
            founding_members=n("membership.founding_members", "governance.members"),
            members_only_benefit=pk.flag(),
        ),
        statutes=Statutes(
            profit_rule=pk.opt(tuple(ProfitRule)),
            asset_lock=pk.flag(),
            residual_assets=pk.opt(tuple(ResidualAssets)),
            reserves_indivisible=pk.flag(),
            democratic_governance=pk.flag(),
            required_clauses=pk.flag(),
        ),
        workforce=Workforce(
            paid_workers=paid,
            vulnerable_workers=vulnerable,
            volunteers=n("workforce.volunteers"),
            highest_pay=pk.maybe(Money(Decimal(pays[2]), currency)),
            top5_average_pay=pk.maybe(Money(Decimal(pays[1]), currency)),
            lowest_pay=pk.maybe(Money(Decimal(pays[0]), currency)),
        ),
        beneficiaries=Beneficiaries(
            total=total,
            vulnerable=None if total is None else pk.maybe(draw(st.integers(0, total))),
        ),
        finances=finances,
        certifications=tuple(certs),
        certifications_complete=pk.flag(),
    )
    # facts added later are drawn last, so the examples drawn before them keep their values
    level = pk.opt(tuple(TerritorialLevel))
    return attrs.evolve(org, registration=attrs.evolve(org.registration, territorial_level=level))


@cache
def _certification_kinds() -> list[str]:
    from ._engine._ast import Certified
    from ._engine._loader import load_profile, profile_ids

    kinds = {"kr/certified-social-enterprise", "th/registered-social-enterprise", "fr/esus"}
    for pid in profile_ids():
        for c in load_profile(pid).criteria:
            for n in walk(c.test) + (walk(c.applies_if) if c.applies_if else []):
                if isinstance(n, Certified):
                    kinds.add(n.kind)
    return sorted(kinds)


def _plans(profile: Profile | str, dates: Iterable[date], classifier: Classifier) -> list[Plan]:
    out = []
    for d in dates:
        try:
            out.append(classifier.plan(profile, d))
        except LookupError:
            continue
    return out


def _version_dates(profile: Profile | str, classifier: Classifier) -> list[date]:
    """The first and last day of each version (a year after the start if open-ended)."""
    out: list[date] = []
    p = classifier.profile(profile)
    for v in p.versions:
        out.append(v.effective_from)
        if v.effective_to is not None:
            out.append(v.effective_to)
        else:
            out.append(v.effective_from + timedelta(days=400))
    return out


def organisations_for(
    profile: Profile | str, *, classifier: Classifier | None = None
) -> st.SearchStrategy[Organisation]:
    """Organisations whose facts sit on, just below and just above the profile's thresholds."""
    c = classifier or Classifier()
    p = c.profile(profile)
    return organisations(thresholds_of(_plans(p, _version_dates(p, c), c)))


def organisations_with_outcome(
    profile: Profile | str,
    criterion_id: str,
    outcome: Outcome,
    *,
    on: date,
    classifier: Classifier | None = None,
) -> st.SearchStrategy[Organisation]:
    """Organisations for which *criterion_id* has *outcome* under *profile* on *on*
    (use ``Outcome.MET`` / ``NOT_MET``; combine with :func:`organisations_for` for
    boundary cases)."""
    c = classifier or Classifier()
    return organisations_for(profile, classifier=c).filter(
        lambda o: c.classify(o, profile, on=on).criterion(criterion_id).outcome is outcome
    )


# --- ready-made properties ------------------------------------------------------------------


def _run(
    prop: Callable[..., None], strategy: st.SearchStrategy[Any], max_examples: int | None
) -> None:
    test = given(strategy)(prop)
    if max_examples is not None:
        test = settings(max_examples=max_examples)(test)
    test()


def _dates(profile: Profile | str, on: date | None, c: Classifier) -> st.SearchStrategy[date]:
    p = c.profile(profile)
    return st.just(on) if on is not None else st.sampled_from(_version_dates(p, c))


def _forget(data: Any, draw: st.DrawFn, path: tuple[str, ...] = ()) -> Any:
    """Remove some known leaf facts from plain organisation data (never identity)."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            # identity stays; so does a recorded revocation, whose absence means "none
            # recorded" (a closed record), not "unknown"
            keep_always = (not path and k in ("id", "name", "country")) or k in (
                "kind",
                "revoked_on",
            )
            if isinstance(v, dict | list):
                out[k] = _forget(v, draw, (*path, k))
            elif keep_always or not draw(st.booleans()):
                out[k] = v
        return out
    if isinstance(data, list):
        return [_forget(v, draw, (*path, "[]")) if isinstance(v, dict) else v for v in data]
    return data


def _pairs(
    profile: Profile | str, on: date | None, c: Classifier
) -> st.SearchStrategy[tuple[Organisation, Organisation, date]]:
    """An organisation, a copy with some facts forgotten, and a date."""

    @st.composite
    def pairs(draw: st.DrawFn) -> tuple[Organisation, Organisation, date]:
        full = draw(organisations_for(profile, classifier=c))
        partial = structure(_forget(unstructure(full), draw), Organisation)
        return full, partial, draw(_dates(profile, on, c))

    return pairs()


def _law_monotonicity(
    c: Classifier, profile: Profile | str, full: Organisation, partial: Organisation, d: date
) -> None:
    fy = full.finances[-1].year if full.finances else None
    for presumptions in (False, True):
        less = c.classify(partial, profile, on=d, fiscal_year=fy, presumptions=presumptions)
        more = c.classify(full, profile, on=d, fiscal_year=fy, presumptions=presumptions)
        if presumptions and more.inconsistencies:
            # presumptions are rebuttable: an observed fact that contradicts the law of
            # the form overrides what was presumed while it was unknown
            continue
        note(f"partial: {less.explain()}\nfull: {more.explain()}")
        if less.verdict is not Verdict.UNDETERMINED:
            assert more.verdict is less.verdict, (less.verdict, more.verdict)
        for a, b in zip(less.criteria, more.criteria, strict=True):
            if a.outcome is not Outcome.UNKNOWN:
                assert b.outcome is a.outcome, (a.id, a.outcome, b.outcome)


def _law_units(c: Classifier, profile: Profile | str, org: Organisation, d: date) -> None:
    other = structure(_other_units(unstructure(org)), Organisation)
    assert other == org
    assert c.classify(other, profile, on=d) == c.classify(org, profile, on=d)


def _law_serialization(c: Classifier, profile: Profile | str, org: Organisation, d: date) -> None:
    again = from_json(to_json(org), Organisation)
    a, b = c.classify(org, profile, on=d), c.classify(again, profile, on=d)
    assert a == b
    assert from_json(to_json(a), Classification) == a


def _law_determinism(
    c: Classifier, fresh: Classifier, profile: Profile | str, org: Organisation, d: date
) -> None:
    first = c.classify(org, profile, on=d)
    assert c.classify(org, profile, on=d) == first
    assert fresh.classify(org, profile, on=d) == first


def _law_agreement(
    c: Classifier,
    ref: Classifier,
    profile: Profile | str,
    org: Organisation,
    d: date,
    assumptions: Assumptions | None = None,
) -> None:
    prof = c.profile(profile)
    expected = ref.raw(org, prof, d, assumptions=assumptions)
    assert c.raw(org, prof, d, assumptions=assumptions) == expected
    assert c.evaluator(prof, d, assumptions=assumptions)(org) == (
        expected.verdict,
        expected.outcomes,
    )


def _law_assumptions(
    c: Classifier, profile: Profile | str, org: Organisation, d: date, a: Assumptions
) -> None:
    base = c.classify(org, profile, on=d, assumptions=Assumptions())
    adopted = c.classify(org, profile, on=d, assumptions=a)
    note(f"assumptions: {a}\nnone: {base.explain()}\nadopted: {adopted.explain()}")
    assert adopted.assumptions == a
    if base.verdict is not Verdict.UNDETERMINED:
        assert adopted.verdict is base.verdict, (base.verdict, adopted.verdict)
    for x, y in zip(base.criteria, adopted.criteria, strict=True):
        if x.outcome is not Outcome.UNKNOWN:
            assert y.outcome is x.outcome, (x.id, x.outcome, y.outcome)
        if x.status.value == "unverified" and x.outcome is not Outcome.NOT_APPLICABLE:
            assert x.outcome is Outcome.UNKNOWN, x.id  # unverified rules never decide


def _cases(
    profile: Profile | str, on: date | None, c: Classifier
) -> st.SearchStrategy[tuple[Organisation, date]]:
    return st.tuples(organisations_for(profile, classifier=c), _dates(profile, on, c))


def check_knowledge_monotonicity(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """Filling in unknown facts never flips a decided verdict.

    For an organisation and a copy with some facts forgotten: if the copy's verdict is
    decided, the full organisation has the same verdict, and every criterion decided
    for the copy has the same outcome for the full organisation. This holds on observed
    facts alone, and with legal presumptions whenever the full organisation's facts do
    not contradict the law of its form (presumptions are rebuttable).
    """
    c = classifier or Classifier()
    _run(lambda case: _law_monotonicity(c, profile, *case), _pairs(profile, on, c), max_examples)


def _other_units(data: Any) -> Any:
    """The same facts written in other units: ratios in % and permille, amounts as tables."""
    from ._model._units import parse_ratio

    def convert(key: str, value: Any, i: int) -> Any:
        if isinstance(value, str) and value.endswith(" h"):
            return f"{parse_ratio(value[:-2]) * 60} min"
        if (
            isinstance(value, str)
            and len(value) > 4
            and value[-4] == " "
            and value[-3:].isalpha()
            and value[-3:].isupper()
        ):
            amount, currency = value.rsplit(" ", 1)
            return {"amount": amount, "currency": currency}
        if key.endswith(("_share", "_rate")) and isinstance(value, str):
            r = parse_ratio(value)
            return f"{r * 100} %" if i % 2 else f"{r * 1000} permille"
        return value

    counter = [0]

    def walk_(d: Any, key: str = "") -> Any:
        counter[0] += 1
        if isinstance(d, dict):
            return {k: walk_(v, k) for k, v in d.items()}
        if isinstance(d, list):
            return [walk_(v, key) for v in d]
        return convert(key, d, counter[0])

    return walk_(copy.deepcopy(data))


def check_unit_invariance(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """The same facts written in other units (51 % / 0.51 / 510 permille; hours as
    minutes; amounts as tables) give the same classification."""
    c = classifier or Classifier()
    _run(lambda case: _law_units(c, profile, *case), _cases(profile, on, c), max_examples)


def check_serialization_invariance(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """Classifying a JSON round-tripped organisation gives an identical result, and the
    result's own JSON round-trips."""
    c = classifier or Classifier()
    _run(lambda case: _law_serialization(c, profile, *case), _cases(profile, on, c), max_examples)


def check_determinism(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """The same organisation, profile and date always give the same result, from a fresh
    classifier too."""
    c = classifier or Classifier()
    fresh = Classifier()
    _run(
        lambda case: _law_determinism(c, fresh, profile, *case),
        _cases(profile, on, c),
        max_examples,
    )


def check_evaluators_agree(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """The compiled evaluators (with and without explanations) give exactly the
    reference evaluator's outcomes and verdict, with and without assumptions adopted."""
    c = classifier or Classifier()
    ref = Classifier(evaluator="reference")

    def law(case: tuple[tuple[Organisation, date], Assumptions]) -> None:
        (org, d), a = case
        _law_agreement(c, ref, profile, org, d)
        _law_agreement(c, ref, profile, org, d, a)

    _run(
        law,
        st.tuples(_cases(profile, on, c), assumptions_for(profile, classifier=c)),
        max_examples,
    )


def assumptions_for(
    profile: Profile | str, *, classifier: Classifier | None = None
) -> st.SearchStrategy[Assumptions]:
    """Assumptions a user may adopt under *profile*: unverified rules as written or not,
    and any choice of the candidate readings its rules (and its bases' rules) offer."""
    c = classifier or Classifier()
    p = c.profile(profile)
    readings: dict[str, tuple[str, ...]] = {}
    for plan in _plans(p, _version_dates(p, c), c):
        for criterion in plan.criteria:
            if criterion.readings:
                readings[criterion.id] = tuple(r.name for r in criterion.readings)
    return st.builds(
        Assumptions,
        unverified_as_written=st.booleans(),
        readings=st.fixed_dictionaries(
            {}, optional={k: st.sampled_from(v) for k, v in sorted(readings.items())}
        ),
    )


def check_assumption_monotonicity(
    profile: Profile | str,
    *,
    on: date | None = None,
    max_examples: int | None = None,
    classifier: Classifier | None = None,
) -> None:
    """Adopting assumptions only ever moves verdicts out of "undetermined".

    Without assumptions every unverified rule is unknown ("rule not verified"); with
    any assumptions, a verdict or criterion outcome decided without them is unchanged,
    and the result records the assumptions adopted.
    """
    c = classifier or Classifier()

    def law(case: tuple[tuple[Organisation, date], Assumptions]) -> None:
        (org, d), a = case
        _law_assumptions(c, profile, org, d, a)

    _run(
        law,
        st.tuples(_cases(profile, on, c), assumptions_for(profile, classifier=c)),
        max_examples,
    )


def check_profile(
    profile: Profile | str, *, on: date | None = None, max_examples: int | None = None
) -> None:
    """Check every ready-made property on *profile*, all on each generated example.

    One Hypothesis run: each example is checked for evaluator agreement, knowledge
    monotonicity, serialization and unit invariance, and determinism, so *max_examples*
    examples test each property that many times.
    """
    c, ref, fresh = Classifier(), Classifier(evaluator="reference"), Classifier()

    def all_laws(case: tuple[tuple[Organisation, Organisation, date], Assumptions]) -> None:
        (full, partial, d), a = case
        _law_agreement(c, ref, profile, full, d)
        _law_agreement(c, ref, profile, partial, d)
        _law_agreement(c, ref, profile, full, d, a)
        _law_monotonicity(c, profile, full, partial, d)
        _law_assumptions(c, profile, full, d, a)
        _law_serialization(c, profile, full, d)
        _law_units(c, profile, full, d)
        _law_determinism(c, fresh, profile, full, d)

    _run(
        all_laws,
        st.tuples(_pairs(profile, on, c), assumptions_for(profile, classifier=c)),
        max_examples,
    )


def _part_of(part: str) -> Callable[[Organisation], Any]:
    return lambda o: getattr(o, part)


st.register_type_strategy(Organisation, organisations())
for _part in ("registration", "purpose", "governance", "membership", "statutes", "workforce"):
    st.register_type_strategy(
        type(getattr(Organisation(id="x", name="x", country="VN"), _part)),
        organisations().map(_part_of(_part)),
    )
st.register_type_strategy(Beneficiaries, organisations().map(_part_of("beneficiaries")))
st.register_type_strategy(
    Certification,
    st.builds(
        Certification,
        kind=st.sampled_from(
            ("kr/certified-social-enterprise", "th/registered-social-enterprise")
        ),
        granted_on=st.none() | st.dates(date(2005, 1, 1), date(2030, 12, 31)),
        expires_on=st.none() | st.dates(date(2005, 1, 1), date(2035, 12, 31)),
    ),
)
st.register_type_strategy(FiscalYear, fiscal_years())
st.register_type_strategy(
    Money, st.sampled_from(sorted(set(_CURRENCY_OF.values()))).flatmap(money)
)
