"""The hand-written reference pages agree with the code they describe."""

import re
from collections import Counter
from pathlib import Path

import pytest

import sse_model
from sse_model._engine._facts import FACTS
from sse_model._model._schema import COLUMNS
from sse_model._reference import facts_table, vocabulary_table

DOCS = Path(__file__).parent.parent / "docs"


class TestProfileFormatReference:
    """The guides' tables of facts and columns are generated from the declarations."""

    def test_fact_table(self) -> None:
        """The generated table lists every fact of the catalogue with its kind, and no other."""
        rows = dict(
            re.findall(r"^\| `([a-z_.0-9]+)` \| ([a-z]+)[ |(]", facts_table(), re.MULTILINE)
        )
        assert rows == {name: fact.kind.value for name, fact in FACTS.items()}

    def test_vocabulary_table(self) -> None:
        """The generated table lists every column of the flat vocabulary, and no other."""
        rows = re.findall(r"^\| `([a-z_.0-9]+)` \|", vocabulary_table(), re.MULTILINE)
        assert rows == list(COLUMNS)

    @pytest.mark.parametrize(
        ("page", "table"),
        [("guides/profile-format.md", "facts.md"), ("guides/registers.md", "vocabulary.md")],
    )
    def test_guides_include_the_generated_tables(self, page: str, table: str) -> None:
        """The guide includes the generated table and lists no field by hand."""
        text = (DOCS / page).read_text("utf-8")
        assert f"```{{include}} ../generated/{table}" in text
        listed = FACTS if table == "facts.md" else COLUMNS
        by_hand = [c for c in listed if f"| `{c}` |" in text or f"| `{c}`," in text]
        assert by_hand == []

    def test_docs_build_writes_the_tables(self) -> None:
        """docs/conf.py writes the generated tables from the same functions."""
        conf = (DOCS / "conf.py").read_text("utf-8")
        assert "facts_table()" in conf
        assert "vocabulary_table()" in conf


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


class TestEmesPage:
    """docs/explanation/emes.md: the EMES ideal type is documented as a score, not shipped as a verdict."""

    TEXT = (DOCS / "explanation" / "emes.md").read_text("utf-8")

    def test_named_facts_exist(self) -> None:
        """Every fact the indicator table names is a fact of the catalogue."""
        dimensions = ("| economic |", "| social |", "| governance |")
        rows = [line for line in self.TEXT.splitlines() if line.startswith(dimensions)]
        named = {f for row in rows for f in re.findall(r"`([a-z_]+\.[a-z_]+)`", row)}
        assert len(rows) == 9
        assert named and named <= set(FACTS), sorted(named - set(FACTS))

    def test_no_emes_profile_is_shipped(self) -> None:
        """The ideal type gives no verdict, so no shipped profile claims to decide it."""
        assert not [p for p in sse_model.profile_ids() if "emes" in p]
