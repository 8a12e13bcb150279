"""A seeded generator of flat registers of any size, for benchmarks.

    python bench/make_register.py 1000000 /tmp/register-1m.csv [--seed 1]

Rows mimic the sample register (Cambodia, Mongolia, Thailand, Viet Nam, Korea:
cooperatives, associations, social enterprises, companies, self-help groups),
with about one fact in ten missing, in the flat column vocabulary of the
library. Generation is vectorised and written in chunks, so memory stays flat.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

COUNTRIES = {
    "VN": (
        "VND",
        ["vn/cooperative", "vn/jsc", "vn/llc", "vn/association", "vn/cooperative-group"],
    ),
    "TH": (
        "THB",
        [
            "th/cooperative",
            "th/limited-company",
            "th/association",
            "th/foundation",
            "th/community-enterprise",
        ],
    ),
    "KH": (
        "KHR",
        ["kh/agricultural-cooperative", "kh/association", "kh/local-ngo", "kh/self-help-group"],
    ),
    "MN": ("MNT", ["mn/cooperative", "mn/llc", "mn/ngo"]),
    "KR": (
        "KRW",
        [
            "kr/cooperative",
            "kr/social-cooperative",
            "kr/stock-company",
            "kr/nonprofit-private-organisation",
        ],
    ),
}
BOOLS = [
    "purpose.social",
    "purpose.economic_activity",
    "purpose.mutual_benefit",
    "purpose.general_interest",
    "statutes.asset_lock",
    "membership.voluntary",
    "membership.open",
    "governance.controlled_by_public_body",
    "governance.controlled_by_for_profit",
    "certifications_complete",
]


def _known_forms() -> dict[str, list[str]]:
    from sse_model import legal_forms

    forms = legal_forms()
    return {c: [f for f in fs if f in forms] for c, (_, fs) in COUNTRIES.items()}


def chunk(rng: np.random.Generator, start: int, n: int, forms: dict[str, list[str]]) -> pa.Table:
    """*n* rows starting at organisation number *start*."""
    codes = list(COUNTRIES)
    country = rng.integers(0, len(codes), n)
    cols: dict[str, object] = {}
    cols["id"] = [f"org-{i:08d}" for i in range(start, start + n)]
    cols["name"] = [f"Organisation {i}" for i in range(start, start + n)]
    cols["country"] = np.array(codes, dtype=object)[country]
    form = np.empty(n, dtype=object)
    for j, c in enumerate(codes):
        where = country == j
        form[where] = np.array(forms[c], dtype=object)[rng.integers(0, len(forms[c]), where.sum())]
    cols["legal_form"] = form
    cols["currency"] = np.array([COUNTRIES[c][0] for c in codes], dtype=object)[country]
    cols["fiscal_year"] = rng.choice(["2023", "2024"], n)
    scale = np.array([1e6, 1e3, 1e4, 1e3, 1e5])[country]
    revenue = np.round(rng.lognormal(5, 1.5, n) * scale)
    sales = np.round(revenue * rng.uniform(0.2, 1.0, n))
    profit = np.round(revenue * rng.normal(0.05, 0.1, n))
    positive = np.maximum(profit, 0)
    reinvested = np.round(positive * rng.choice([1.0, 0.51, 0.7, 0.3, 0.9], n))
    dividends = positive - reinvested
    labour = np.round(revenue * rng.uniform(0.1, 0.6, n))
    paid = rng.integers(0, 200, n)
    vulnerable = np.round(paid * rng.uniform(0, 0.8, n)).astype(np.int64)
    members = rng.integers(1, 500, n)
    total = rng.integers(0, 5000, n)
    numbers = {
        "finances.revenue": revenue,
        "finances.revenue_from_sales": sales,
        "finances.profit_after_tax": profit,
        "finances.profit_before_tax": np.round(profit * 1.2),
        "finances.reinvested": reinvested,
        "finances.dividends": dividends,
        "finances.labour_costs": labour,
        "workforce.paid_workers": paid,
        "workforce.vulnerable_workers": vulnerable,
        "governance.members": members,
        "membership.founding_members": np.minimum(members, rng.integers(3, 60, n)),
        "beneficiaries.total": total,
        "beneficiaries.vulnerable": np.round(total * rng.uniform(0, 1, n)).astype(np.int64),
        "governance.largest_member_capital_share[%]": rng.integers(1, 100, n),
    }
    for name, values in numbers.items():
        text = np.char.mod("%d", values.astype(np.int64)).astype(object)
        text[rng.random(n) < 0.1] = ""
        cols[name] = text
    for name in BOOLS:
        cols[name] = rng.choice(
            np.array(["true", "false", ""], dtype=object), n, p=[0.5, 0.4, 0.1]
        )
    cols["governance.voting_rule"] = rng.choice(
        np.array(["one_member_one_vote", "capital_weighted", "mixed", ""], dtype=object), n
    )
    cols["statutes.profit_rule"] = rng.choice(
        np.array(["prohibited", "limited", "by_patronage", "unrestricted", ""], dtype=object),
        n,
    )
    cols["registration.registered_on"] = rng.choice(
        np.array(["2010-05-01", "2016-01-15", "2019-07-01", "2021-03-31", ""], dtype=object), n
    )
    return pa.table({k: pa.array(v, type=pa.string()) for k, v in cols.items()})


def write(rows: int, path: Path, seed: int = 1, chunk_rows: int = 200_000) -> None:
    rng = np.random.default_rng(seed)
    forms = _known_forms()
    writer = None
    done = 0
    while done < rows:
        n = min(chunk_rows, rows - done)
        table = chunk(rng, done, n, forms)
        if writer is None:
            writer = pacsv.CSVWriter(str(path), table.schema)
        writer.write_table(table)
        done += n
    if writer is not None:
        writer.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("rows", type=int)
    p.add_argument("path", type=Path)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    write(args.rows, args.path, args.seed)


if __name__ == "__main__":
    main()
