"""Co-operatives UK open data (2016): verdicts before and after legal presumptions.

    python examples/coops_uk_presumptions.py [DATA_DIR] [--on DATE] [--markdown]

Reads ``organisations.csv`` of the Co-operatives UK 2016 open-data extract (not shipped
with the library; see docs/explanation/real-registers.md for where it comes from) and
classifies every organisation under five profiles three times: on observed facts only
(``presumptions=False``), with the facts the law of each legal form guarantees (the
default: high- and medium-confidence readings), and with low-confidence readings adopted
too (``presumptions="all"``). It prints, per profile, the verdict counts before and
after and how many verdicts rest on presumptions. Not part of the test suite.

The column mapping is written by hand here (the register's own vocabulary):

- ``Legal Form`` -> ``legal_form`` (see ``FORMS``; blank and unknown labels: unknown). A
  "Society" whose ownership classification names a co-operative's members is read as a
  co-operative society (``gb/co-operative-society``), other societies as the umbrella
  registered society (co-operative or community benefit society: no family presumed);
  this is the analyst's reading of the register, not something the register says;
- ``Ownership Classification`` -> ``family = cooperative`` where it names the members of a
  co-operative (consumers, workers, tenants, enterprises, the self-employed,
  multi-stakeholder, co-operatives); "Community of Interest" (community benefit societies
  and other community-owned bodies), "Employee Trust" and blank give no family;
- ``Incorporation Date`` -> ``registration.registered_on``; ``Dissolved Date`` ->
  ``registration.deregistered_on`` (both dd/mm/yyyy);
- country ``GB``; id ``CUK Organisation ID``; name ``Registered Name``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import sse_model

DEFAULT_DIR = Path(__file__).parent.parent / "tests" / "data" / "real-registers" / "coops-uk-2016"
PROFILES = ("intl/ica-1995", "intl/ilo-2022", "intl/oecd-2022", "intl/un-2023", "gb/cic")

#: register label -> candidate legal-form ids, the first shipped one is used
FORMS: dict[str, tuple[str, ...]] = {
    "Society": ("gb/registered-society",),
    "Co-operative society": ("gb/co-operative-society",),
    "Company": ("gb/company", "gb/company-limited-by-guarantee"),
    "Community Interest Company": ("gb/cic", "gb/cic-guarantee"),
    "LLP": ("gb/llp",),
    "Unincorporated": ("gb/unincorporated-association",),
    "Scottish Charitable Incorporated Organisation": ("gb/scio",),
    "Charitable Incorporated Organisation": ("gb/cio",),
}
COOPERATIVE_MEMBERS = frozenset(
    {
        "Consumers",
        "Workers",
        "Tenants",
        "Enterprises",
        "Self-employed",
        "Multi-stakeholder",
        "Co-operatives",
    }
)


def _date(text: str) -> str | None:
    """dd/mm/yyyy (as the register writes it) to ISO; None when blank or unreadable."""
    text = text.strip()
    if not text:
        return None
    try:
        day, month, year = (int(x) for x in text.split()[0].split("/"))
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def form_of(label: str) -> str | None:
    forms = sse_model.legal_forms()
    for code in FORMS.get(label.strip(), ()):
        if code in forms:
            return code
    return None


def organisations(data_dir: Path) -> tuple[list[sse_model.Organisation], int]:
    """The register as organisations, and the number of rows the model rejected."""
    out: list[sse_model.Organisation] = []
    seen: set[str] = set()
    rejected = 0
    with (data_dir / "organisations.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ident = row["CUK Organisation ID"].strip()
            if not ident or ident in seen:
                rejected += 1
                continue
            seen.add(ident)
            data: dict[str, Any] = {
                "id": ident,
                "name": row["Registered Name"].strip() or ident,
                "country": "GB",
            }
            form = form_of(row["Legal Form"])
            coop = row["Ownership Classification"].strip() in COOPERATIVE_MEMBERS
            if form == "gb/registered-society" and coop:
                form = form_of("Co-operative society") or form
            if form is not None:
                data["legal_form"] = form
            if coop:
                data["family"] = "cooperative"
            registration = {
                k: v
                for k, v in (
                    ("registered_on", _date(row["Incorporation Date"])),
                    ("deregistered_on", _date(row["Dissolved Date"])),
                )
                if v is not None
            }
            if registration:
                data["registration"] = registration
            try:
                out.append(sse_model.structure(data, sse_model.Organisation))
            except sse_model.InvalidInput:
                rejected += 1
    return out, rejected


def coop_of(org: sse_model.Organisation) -> bool:
    return org.family is sse_model.EntityFamily.COOPERATIVE


def run(data_dir: Path, on: date) -> dict[str, Any]:
    orgs, rejected = organisations(data_dir)
    counts: dict[str, Any] = {}
    classifier = sse_model.Classifier()
    for p in PROFILES:
        before: Counter[str] = Counter()
        after: Counter[str] = Counter()
        adopted: Counter[str] = Counter()  # low-confidence presumptions adopted too
        rests = 0
        societies: Counter[str] = Counter()
        #: for co-op societies left undetermined: the criteria still unknown
        open_criteria: Counter[tuple[str, ...]] = Counter()
        #: co-operatives in another vehicle (company, LLP, CIC...) whose identity
        #: criterion is not met (refused for the vehicle): must be 0
        refused_vehicle = 0
        for org in orgs:
            b = classifier.classify(org, p, on=on, presumptions=False)
            a = classifier.classify(org, p, on=on)
            every = classifier.classify(org, p, on=on, presumptions="all")
            before[b.verdict.value] += 1
            after[a.verdict.value] += 1
            adopted[every.verdict.value] += 1
            rests += a.rests_on_presumptions
            if org.legal_form in ("gb/registered-society", "gb/co-operative-society") and coop_of(
                org
            ):
                societies[a.verdict.value] += 1
                if a.verdict is sse_model.Verdict.UNDETERMINED:
                    open_criteria[
                        tuple(r.id for r in a.criteria if r.outcome is sse_model.Outcome.UNKNOWN)
                    ] += 1
            elif coop_of(org) and p == "intl/ica-1995":
                refused_vehicle += (
                    a.criterion("ica-cooperative").outcome is sse_model.Outcome.NOT_MET
                )
        counts[p] = {
            "before": before,
            "after": after,
            "all": adopted,
            "rests": rests,
            "co-op societies": societies,
            "open": open_criteria,
            "refused for the vehicle": refused_vehicle,
        }
    return {"organisations": len(orgs), "rejected": rejected, "on": on, "profiles": counts}


def markdown(result: dict[str, Any]) -> str:
    verdicts = ("qualifies", "does_not_qualify", "undetermined")
    short = {"qualifies": "Q", "does_not_qualify": "DNQ", "undetermined": "U"}
    lines = [
        f"{result['organisations']} organisations classified on {result['on']} "
        f"({result['rejected']} rows not classified: blank or repeated id, or invalid).",
        "",
        "| profile | before (Q / DNQ / U) | after (Q / DNQ / U) | rest on presumptions "
        "| co-op societies after (Q / DNQ / U) | with low-confidence ones too (Q / DNQ / U) |",
        "|---|---|---|---|---|---|",
    ]
    for p, c in result["profiles"].items():
        cells = [" / ".join(str(c[k][v]) for v in verdicts) for k in ("before", "after", "all")]
        soc = " / ".join(str(c["co-op societies"][v]) for v in verdicts)
        lines.append(f"| `{p}` | {cells[0]} | {cells[1]} | {c['rests']} | {soc} | {cells[2]} |")
    lines.append("")
    lines.append(", ".join(f"{s} = {v}" for v, s in short.items()))
    lines.append("")
    ica = result["profiles"].get("intl/ica-1995")
    if ica is not None:
        lines.append(
            "Co-operatives in another vehicle (company, LLP, CIC, unincorporated...) refused "
            f"under intl/ica-1995 for their vehicle: {ica['refused for the vehicle']}."
        )
    for p, c in result["profiles"].items():
        for ids, n in c["open"].most_common(3):
            lines.append(f"- `{p}`: {n} co-op societies undetermined on {', '.join(ids)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--on", type=date.fromisoformat, default=date(2025, 6, 30))
    args = ap.parse_args(argv)
    if not (args.data_dir / "organisations.csv").is_file():
        print(f"no organisations.csv in {args.data_dir}", file=sys.stderr)
        return 2
    print(markdown(run(args.data_dir, args.on)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
