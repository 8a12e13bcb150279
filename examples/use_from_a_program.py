"""Use sse-model from another program: classify a register and write the results as JSON Lines.

    python examples/use_from_a_program.py [REGISTER] [--profile ID ...] [--on DATE] [--limit N]

A plain script, as a data pipeline would use the library: ``read_register`` streams the rows
(CSV, JSON Lines, Parquet... by extension), one shared ``Classifier`` compiles each profile
version once, invalid rows are counted rather than fatal, and results are written with the
library's stable JSON (``sse_model.to_json``).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from itertools import islice
from pathlib import Path

import sse_model

HERE = Path(__file__).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("register", nargs="?", type=Path, default=HERE / "sample-register.jsonl")
    parser.add_argument("--profile", action="append", dest="profiles")
    parser.add_argument("--on", type=date.fromisoformat, default=date(2025, 6, 30))
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--out", type=Path, help="write one JSON result per line here")
    args = parser.parse_args(argv)
    profiles = args.profiles or ["intl/ilo-2022", "vn/social-enterprise"]

    classifier = sse_model.Classifier()
    verdicts: Counter[tuple[str, str]] = Counter()
    rejected = 0
    out = args.out.open("w", encoding="utf-8") if args.out else None
    try:
        for item in islice(sse_model.read_register(args.register), args.limit):
            if isinstance(item, sse_model.RejectedRow):
                rejected += 1
                print(f"row {item.number}: {item.errors[0]}", file=sys.stderr)
                continue
            for profile in profiles:
                result = classifier.classify(item, profile, on=args.on)
                verdicts[(profile, result.verdict.value)] += 1
                if out is not None:
                    out.write(sse_model.to_json(result) + "\n")
    finally:
        if out is not None:
            out.close()

    print(f"{args.register.name} on {args.on.isoformat()} ({rejected} rows rejected)")
    for profile in profiles:
        counts = ", ".join(
            f"{verdict.value}: {verdicts[(profile, verdict.value)]}"
            for verdict in sse_model.Verdict
        )
        print(f"  {profile:<24} {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
