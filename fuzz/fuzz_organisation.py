"""Coverage-guided fuzzing of the organisation loader (atheris / libFuzzer).

Each input is given to ``from_json`` as bytes; an organisation that loads is
serialised again, re-read (the round trip must be exact) and classified under
two shipped profiles. Any exception other than a documented
:class:`sse_model.SSEModelError` is a crash.
Run: ``python fuzz/fuzz_organisation.py fuzz/corpus/organisation -max_total_time=240``
(see fuzz/README.md).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import sse_model
    from sse_model import _serialization
    from sse_model._model import _organisation, _units

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DOCUMENTED, organisation_seeds, run

_CLASSIFIER = sse_model.Classifier()
_ON = date(2024, 6, 30)


def test_one_input(data: bytes) -> None:
    try:
        org = sse_model.from_json(data, sse_model.Organisation)
    except DOCUMENTED:
        return
    again = sse_model.from_json(sse_model.to_json(org), sse_model.Organisation)
    if again != org:
        raise AssertionError(f"round trip changed {org!r}")
    for profile in ("intl/ilo-2022", "vn/social-enterprise"):
        _CLASSIFIER.classify(org, profile, on=_ON)
    _ = (_serialization, _organisation, _units)


def main() -> None:
    run("organisation", organisation_seeds(), test_one_input)


if __name__ == "__main__":
    main()
