"""Coverage-guided fuzzing of the profile loader (atheris / libFuzzer).

Each input is decoded as UTF-8 TOML and given to ``parse_profile``; a profile
that loads is then classified, so the compiled evaluator is fuzzed too. Any
exception other than a documented :class:`sse_model.SSEModelError` is a crash.
Run: ``python fuzz/fuzz_profile.py fuzz/corpus/profile -max_total_time=240``
(see fuzz/README.md).
"""

from __future__ import annotations

import contextlib
import sys
from datetime import date
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import sse_model
    from sse_model._engine import _compiler, _loader, _profile

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DOCUMENTED, profile_seeds, run

_ORG = sse_model.structure(
    {
        "id": "fuzz",
        "name": "Fuzz cooperative",
        "country": "FR",
        "legal_form": "fr/scop",
        "purpose": {"social": True, "economic_activity": True},
        "governance": {"members": 12, "voting_rule": "one_member_one_vote"},
        "finances": {"2023": {"profit_after_tax": "100 EUR", "reinvested": "60 EUR"}},
    },
    sse_model.Organisation,
)
_CLASSIFIER = sse_model.Classifier()


def test_one_input(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        profile = sse_model.parse_profile(text, "fuzz.toml")
    except DOCUMENTED:
        return
    for version in profile.versions:
        with contextlib.suppress(DOCUMENTED):
            _CLASSIFIER.classify(_ORG, profile, on=version.effective_from)
    _ = (_compiler, _loader, _profile, date)


def main() -> None:
    run("profile", profile_seeds(), test_one_input)


if __name__ == "__main__":
    main()
