"""The hand-written reference pages agree with the code they describe."""

import re
from pathlib import Path

from sse_model._engine._facts import FACTS

DOCS = Path(__file__).parent.parent / "docs"


class TestProfileFormatReference:
    """docs/guides/profile-format.md lists exactly the facts a profile may test."""

    def test_fact_table(self) -> None:
        """Every fact of the catalogue is in the table, with its kind, and no other."""
        text = (DOCS / "guides" / "profile-format.md").read_text("utf-8").split("## Facts")[1]
        rows = dict(re.findall(r"^\| `([a-z_.0-9]+)` \| ([a-z]+)[ |(]", text, re.MULTILINE))
        assert rows == {name: fact.kind.value for name, fact in FACTS.items()}
