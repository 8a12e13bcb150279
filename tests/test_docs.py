"""The hand-written reference pages agree with the code they describe."""

import re
from collections import Counter
from pathlib import Path

import sse_model
from sse_model._engine._facts import FACTS

DOCS = Path(__file__).parent.parent / "docs"


class TestProfileFormatReference:
    """docs/guides/profile-format.md lists exactly the facts a profile may test."""

    def test_fact_table(self) -> None:
        """Every fact of the catalogue is in the table, with its kind, and no other."""
        text = (DOCS / "guides" / "profile-format.md").read_text("utf-8").split("## Facts")[1]
        rows = dict(re.findall(r"^\| `([a-z_.0-9]+)` \| ([a-z]+)[ |(]", text, re.MULTILINE))
        assert rows == {name: fact.kind.value for name, fact in FACTS.items()}


#: an autodoc directive on a top-level name of the package
_AUTODOC = re.compile(r"^\.\. auto(class|function|exception|data)::\s*sse_model\.(\S+)\s*$", re.M)


class TestAPIReference:
    """docs/reference/api.md documents every public name once, grouped by task."""

    def _documented(self) -> Counter[str]:
        text = (DOCS / "reference" / "api.md").read_text("utf-8")
        return Counter(name for _, name in _AUTODOC.findall(text))

    def test_every_public_name_once(self) -> None:
        """Each name of ``sse_model.__all__`` has exactly one autodoc directive, and no
        directive names anything else."""
        documented = self._documented()
        assert {n: k for n, k in documented.items() if k > 1} == {}
        assert sorted(documented) == sorted(sse_model.__all__)

    def test_grouped_by_task(self) -> None:
        """The sections are the tasks, in order: model, rules language, classification,
        registers, testing, display."""
        text = (DOCS / "reference" / "api.md").read_text("utf-8")
        sections = re.findall(r"^## (.+)$", text, re.M)
        expected = ["model", "rules language", "classification", "registers", "testing"]
        assert len(sections) == len(expected) + 1
        for heading, task in zip(sections, [*expected, "display"], strict=True):
            assert task in heading.lower(), (heading, task)
