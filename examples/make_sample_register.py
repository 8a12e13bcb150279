"""Generate the synthetic sample register shipped in examples/ (seeded, reproducible).

    python examples/make_sample_register.py

writes examples/sample-register.jsonl (organisations in Cambodia, Mongolia,
Thailand, Viet Nam and Korea, in local currencies, with some facts missing) and
examples/bad-rows.jsonl (malformed rows, each broken in a documented way).
The organisations are invented; the proportions are plausible, not statistics.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent
SEED = 20261128
N = 3000

COUNTRIES = {
    # country: (currency, typical annual revenue, forms with weights)
    "VN": (
        "VND",
        4_000_000_000,
        {
            "vn/cooperative": 5,
            "vn/jsc": 3,
            "vn/llc": 5,
            "vn/cooperative-group": 2,
            "vn/association": 1,
        },
    ),
    "TH": (
        "THB",
        6_000_000,
        {
            "th/cooperative": 4,
            "th/limited-company": 5,
            "th/foundation": 2,
            "th/association": 2,
            "th/community-enterprise": 3,
        },
    ),
    "KH": (
        "KHR",
        200_000_000,
        {
            "kh/agricultural-cooperative": 5,
            "kh/association": 2,
            "kh/local-ngo": 2,
            "kh/private-limited-company": 2,
            "kh/self-help-group": 3,
        },
    ),
    "MN": (
        "MNT",
        300_000_000,
        {"mn/cooperative": 5, "mn/savings-credit-cooperative": 1, "mn/ngo": 2, "mn/llc": 3},
    ),
    "KR": (
        "KRW",
        1_500_000_000,
        {
            "kr/cooperative": 3,
            "kr/social-cooperative": 2,
            "kr/stock-company": 4,
            "kr/incorporated-association": 1,
            "kr/nonprofit-private-organisation": 1,
        },
    ),
}
COOPERATIVE_LIKE = ("cooperative", "community-enterprise", "self-help-group", "cooperative-group")


PURPOSES = {
    "TH": ["community_social_environment", "employment_special_support", "public_benefit"],
    "KR": ["job_provision", "social_service", "mixed", "community_contribution"],
}


def primary_purposes(rng: random.Random, country: str) -> list[str]:
    choices = PURPOSES.get(
        country, ["social_service", "community_social_environment", "job_provision"]
    )
    return [rng.choice(choices)]


def maybe(rng: random.Random, value: object, p_known: float = 0.85) -> object:
    return value if rng.random() < p_known else None


def organisation(rng: random.Random, i: int) -> dict[str, object]:
    country = rng.choice(sorted(COUNTRIES))
    currency, typical, forms = COUNTRIES[country]
    form = rng.choices(list(forms), weights=list(forms.values()))[0]
    coop = any(k in form for k in COOPERATIVE_LIKE)
    company = any(k in form for k in ("jsc", "llc", "company", "stock"))
    nonprofit = not coop and not company
    social = rng.random() < (0.8 if not company else 0.45)
    members = (
        rng.randint(3, 400) if coop else (rng.randint(1, 8) if company else rng.randint(3, 60))
    )
    paid = rng.randint(0, 60)
    vulnerable = rng.randint(0, paid)
    org: dict[str, object] = {
        "id": f"{country.lower()}-{i:05d}",
        "name": f"{form.split('/')[1].replace('-', ' ').title()} {i}",
        "country": country,
        "legal_form": form,
        "purpose": {
            k: v
            for k, v in {
                "social": maybe(rng, social),
                "environmental": maybe(rng, rng.random() < 0.2),
                "general_interest": maybe(rng, nonprofit and rng.random() < 0.7),
                "mutual_benefit": maybe(rng, coop),
                "economic_activity": maybe(rng, not nonprofit or rng.random() < 0.5),
                "commitment_registered": maybe(
                    rng, company and social and rng.random() < 0.5, 0.6
                ),
            }.items()
            if v is not None
        },
        "governance": {
            k: v
            for k, v in {
                "members": maybe(rng, members),
                "voting_rule": maybe(
                    rng,
                    "one_member_one_vote"
                    if coop
                    else (
                        "capital_weighted"
                        if company
                        else rng.choice(["one_member_one_vote", "mixed"])
                    ),
                ),
                "foreign_capital_share": maybe(
                    rng, "0" if coop else f"{rng.randint(0, 60)} %", 0.6
                ),
                "largest_member_capital_share": maybe(
                    rng, f"{rng.randint(1, 30 if coop else 100)} %", 0.6
                ),
                "stakeholder_participation": maybe(
                    rng, rng.random() < (0.7 if not company else 0.2), 0.6
                ),
                "controlled_by_public_body": maybe(rng, rng.random() < 0.05, 0.7),
                "controlled_by_for_profit": maybe(rng, company and rng.random() < 0.3, 0.7),
            }.items()
            if v is not None
        },
        "membership": {
            k: v
            for k, v in {
                "voluntary": maybe(rng, coop or nonprofit or rng.random() < 0.3, 0.7),
                "open": maybe(rng, coop, 0.6),
                "founding_members": maybe(rng, min(members, rng.randint(3, 30)), 0.5),
            }.items()
            if v is not None
        },
        "statutes": {
            k: v
            for k, v in {
                "profit_rule": maybe(
                    rng,
                    "by_patronage"
                    if coop
                    else (
                        "prohibited"
                        if nonprofit
                        else rng.choice(["limited", "unrestricted", "unrestricted"])
                    ),
                    0.7,
                ),
                "reserves_indivisible": maybe(rng, coop and rng.random() < 0.8, 0.5),
                "asset_lock": maybe(rng, nonprofit, 0.5),
                "residual_assets": maybe(
                    rng,
                    "similar_entity"
                    if nonprofit
                    else (
                        "members"
                        if company
                        else rng.choice(["similar_entity", "members", "public"])
                    ),
                    0.5,
                ),
            }.items()
            if v is not None
        },
        "workforce": {
            k: v
            for k, v in {
                "paid_workers": maybe(rng, paid),
                "vulnerable_workers": maybe(rng, vulnerable, 0.6),
            }.items()
            if v is not None
        },
        "finances": {},
    }
    if social and company and country in ("TH", "KR") and rng.random() < 0.7:
        kind = (
            "th/registered-social-enterprise"
            if country == "TH"
            else "kr/certified-social-enterprise"
        )
        granted = f"{rng.randint(2019, 2023)}-{rng.randint(1, 12):02d}-15"
        org["certifications"] = [{"kind": kind, "granted_on": granted, "indefinite": True}]
    if rng.random() < 0.6:
        org["certifications_complete"] = True
    if country == "KR" and social:
        org["statutes"]["required_clauses"] = rng.random() < 0.8  # type: ignore[index]
        total = rng.randint(10, 500)
        org["beneficiaries"] = {"total": total, "vulnerable": rng.randint(0, total)}
    for year in (2023, 2024):
        if rng.random() < 0.2:
            continue
        revenue = int(typical * rng.lognormvariate(0, 1))
        profit = int(revenue * rng.uniform(-0.15, 0.2))
        after_tax = int(profit * 0.8) if profit > 0 else profit
        share = (
            rng.choice([0.3, 0.45, 0.51, 0.6, 0.7, 0.8, 1.0])
            if (social or coop)
            else rng.uniform(0, 0.5)
        )
        reinvested = int(after_tax * share) if after_tax > 0 else 0
        dividends = (
            int((after_tax - reinvested) * rng.uniform(0, 1))
            if after_tax > 0 and not nonprofit
            else 0
        )
        fy = {
            "revenue": f"{revenue} {currency}",
            "revenue_from_sales": f"{int(revenue * rng.uniform(0.2, 1.0))} {currency}",
            "labour_costs": f"{int(revenue * rng.uniform(0.1, 0.6))} {currency}",
            "profit_before_tax": f"{profit} {currency}",
            "profit_after_tax": f"{after_tax} {currency}",
            "reinvested": f"{reinvested} {currency}",
            "dividends": f"{dividends} {currency}",
        }
        org["finances"][year] = {k: v for k, v in fy.items() if rng.random() < 0.9}  # type: ignore[index]
    return {k: v for k, v in org.items() if v != {}}


#: per country: share of employees insured, with paid annual leave, on temporary work,
#: the chance the unit is in the formal sector (invented, plausible orders of magnitude)
WORK = {
    "KR": (0.9, 0.9, 0.2, 0.98),
    "VN": (0.6, 0.55, 0.35, 0.8),
    "TH": (0.65, 0.6, 0.3, 0.8),
    "MN": (0.5, 0.5, 0.35, 0.75),
    "KH": (0.25, 0.3, 0.55, 0.5),
}


def work_facts(rng: random.Random, org: dict[str, object]) -> None:
    """Add jobs, conditions of work, members by type and sex and board seats to *org*,
    each known about half the time (drawn from their own generator, so that the rest
    of the register, and so every verdict, stays as it was)."""
    country = str(org["country"])
    form = str(org.get("legal_form", ""))
    insured, leave, temporary, formal = WORK[country]
    workforce = org.get("workforce")
    paid = workforce.get("paid_workers") if isinstance(workforce, dict) else None
    employees = int(paid) if isinstance(paid, int) else rng.randint(0, 60)

    def part(p: float) -> int:
        return sum(rng.random() < p for _ in range(employees))

    work = {
        "as_of": "2024-12-31",
        "employees": maybe(rng, employees, 0.7),
        "women_employees": maybe(rng, part(0.52), 0.6),
        "temporary_employees": maybe(rng, part(temporary), 0.5),
        "insured_employees": maybe(rng, part(insured), 0.55),
        "annual_leave_employees": maybe(rng, part(leave), 0.5),
        "sick_leave_employees": maybe(rng, part(leave * 0.9), 0.45),
        "long_hours_employees": maybe(rng, part(0.15), 0.4),
        "below_minimum_wage_employees": maybe(rng, part(0.1 if country != "KR" else 0.02), 0.35),
        "fatal_injuries": maybe(rng, int(rng.random() < 0.002 * employees), 0.4),
        "nonfatal_injuries": maybe(rng, sum(rng.random() < 0.02 for _ in range(employees)), 0.4),
        "green_jobs": maybe(rng, part(0.1), 0.3),
        "sector": maybe(rng, "formal" if rng.random() < formal else "informal", 0.6),
    }
    if employees and rng.random() < 0.5:
        managers = max(1, employees // 10)
        work["managers"] = managers
        work["women_managers"] = maybe(rng, sum(rng.random() < 0.35 for _ in range(managers)))
    org["work"] = {k: v for k, v in work.items() if v is not None}
    governance = org.get("governance")
    members = governance.get("members") if isinstance(governance, dict) else None
    if isinstance(governance, dict) and isinstance(members, int):
        governance["women_members"] = maybe(
            rng, sum(rng.random() < 0.45 for _ in range(members)), 0.5
        )
        if "agricultural" in form or "community" in form or "self-help" in form:
            governance["producer_members"] = maybe(rng, members, 0.5)
        seats = min(members, rng.randint(3, 11))
        if rng.random() < 0.5:
            governance["board_seats"] = seats
            governance["women_board_seats"] = maybe(
                rng, sum(rng.random() < 0.3 for _ in range(seats))
            )
        org["governance"] = {k: v for k, v in governance.items() if v is not None}


BAD_ROWS = [
    # 1. a ratio written with a mass unit
    {
        "id": "bad-1",
        "name": "Kilo Coop",
        "country": "VN",
        "legal_form": "vn/cooperative",
        "governance": {"largest_member_capital_share": "12 kg"},
    },
    # 2. an unknown country code and an unknown key
    {"id": "bad-2", "name": "Nowhere", "country": "XX", "colour": "blue"},
    # 3. an amount in the wrong currency for the year and a negative head count
    {
        "id": "bad-3",
        "name": "Mixed",
        "country": "TH",
        "workforce": {"paid_workers": -2},
        "finances": {"2024": {"revenue": "100 THB", "labour_costs": "5 USD"}},
    },
    # 4. more vulnerable workers than workers
    {
        "id": "bad-4",
        "name": "Too many",
        "country": "KR",
        "workforce": {"paid_workers": 3, "vulnerable_workers": 9},
    },
    # 5. allocations exceeding the profit
    {
        "id": "bad-5",
        "name": "Generous",
        "country": "KH",
        "finances": {
            "2024": {"profit_after_tax": "100 KHR", "reinvested": "80 KHR", "dividends": "50 KHR"}
        },
    },
    # 6. a boolean written as text, an unknown legal form
    {
        "id": "bad-6",
        "name": "Yes Co",
        "country": "MN",
        "legal_form": "mn/unicorn",
        "purpose": {"social": "yes"},
    },
]


#: per country: an invented, plausible gross hourly wage in the local currency, and the
#: ratio of women's to men's (sample data only: no minimum wage or statistic is quoted)
HOURLY = {
    "KR": (14_000, 0.7),
    "VN": (30_000, 0.9),
    "TH": (70, 0.9),
    "MN": (6_000, 0.85),
    "KH": (6_000, 0.95),
}


def pay_facts(rng: random.Random, org: dict[str, object]) -> None:
    """Add the earnings and hours paid of the year to the organisation's facts of work,
    in total and by sex, each known less than half the time, the conditions of work
    among women employees, employees by age band and disability, and the formal status
    of producer members (their own generator, so that every other fact stays as it
    was)."""
    work = org.get("work")
    if not isinstance(work, dict) or not isinstance(work.get("employees"), int):
        return
    employees = work["employees"]
    currency = COUNTRIES[str(org["country"])][0]
    wage, women_ratio = HOURLY[str(org["country"])]
    women = work.get("women_employees")
    men = employees - women if isinstance(women, int) else None

    def hours(persons: int) -> int:
        return sum(rng.randint(1_600, 2_300) for _ in range(persons))

    def earnings(paid: int, ratio: float) -> int:
        return round(paid * wage * ratio * rng.uniform(0.8, 1.3))

    if rng.random() < 0.45:
        if isinstance(women, int) and isinstance(men, int) and rng.random() < 0.7:
            wh, mh = hours(women), hours(men)
            we, me = earnings(wh, women_ratio), earnings(mh, 1.0)
            work["women_earnings"] = f"{we} {currency}"
            work["women_paid_hours"] = f"{wh} h"
            work["men_earnings"] = f"{me} {currency}"
            work["men_paid_hours"] = f"{mh} h"
            work["earnings"] = f"{we + me} {currency}"
            work["paid_hours"] = f"{wh + mh} h"
        else:
            h = hours(employees)
            work["earnings"] = f"{earnings(h, 0.95)} {currency}"
            work["paid_hours"] = f"{h} h"
    if isinstance(women, int) and employees:
        # the conditions of work counted among employees (all but the women themselves)
        for name in [k for k in work if k.endswith("_employees") and k != "women_employees"]:
            part = work.get(name)
            if isinstance(part, int) and rng.random() < 0.6:
                among = sum(rng.random() < women / employees for _ in range(part))
                work[f"women_{name}"] = min(women, among)
    for name, p in (("young", 0.15), ("older", 0.12), ("disabled", 0.04)):
        if employees and rng.random() < 0.4:
            work[f"{name}_employees"] = sum(rng.random() < p for _ in range(employees))
    governance = org.get("governance")
    producers = governance.get("producer_members") if isinstance(governance, dict) else None
    if isinstance(governance, dict) and isinstance(producers, int):
        formal = WORK[str(org["country"])][3]
        registered = sum(rng.random() < formal * 0.6 for _ in range(producers))
        insured = sum(rng.random() < formal * 0.4 for _ in range(producers))
        if rng.random() < 0.5:
            governance["registered_producer_members"] = registered
        if rng.random() < 0.4:
            governance["insured_producer_members"] = insured


def main() -> None:
    rng = random.Random(SEED)
    work = random.Random(SEED + 18)  # the facts of work draw from their own generator
    pay = random.Random(SEED + 19)  # and earnings from theirs
    with (HERE / "sample-register.jsonl").open("w", encoding="utf-8") as f:
        for i in range(N):
            org = organisation(rng, i)
            work_facts(work, org)
            pay_facts(pay, org)
            f.write(json.dumps(org, ensure_ascii=False, sort_keys=True) + "\n")
    with (HERE / "bad-rows.jsonl").open("w", encoding="utf-8") as f:
        for row in BAD_ROWS:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        f.write("{this is not json\n")  # 7. not JSON at all


if __name__ == "__main__":
    main()
