"""Notebook representations: HTML for organisations, classifications and profiles, escaped."""

import re
from datetime import date

import pytest

from sse_model import (
    Organisation,
    Outcome,
    Status,
    Verdict,
    classify,
    load_profile,
    parse_profile,
    structure,
)
from sse_model._engine import _html

EVIL = "<script>alert(1)</script>"

_PROFILE = f"""
id = "xx/test"
title = "Test {EVIL}"
jurisdiction = "XX"
summary = "Summary {EVIL}"
notes = ["Note {EVIL}"]

[[instruments]]
id = "law"
title = "Law {EVIL}"
url = "javascript:alert(1)"

[[versions]]
label = "v1 {EVIL}"
effective_from = 2020-01-01

[[criteria]]
id = "xx-members"
description = "Members {EVIL}"
instrument = "law"
article = "Art. {EVIL}"
principles = ["democratic_governance"]
interpretation = "Reading {EVIL}"
test = {{ fact = "governance.members", at_least = "5" }}
"""


def _org(**extra: object) -> Organisation:
    data: dict[str, object] = {"id": "xx-1", "name": "X", "country": "VN", **extra}
    return structure(data, Organisation)


class TestClassificationHTML:
    """A classification shows its verdict, coloured outcomes, sources and what to collect."""

    def test_undetermined(self) -> None:
        """The verdict, coloured outcomes, citations and facts to collect appear; text is escaped."""
        org = _org(id="<b>vn-1</b>", legal_form="vn/jsc", purpose={"social": True})
        c = classify(org, "vn/social-enterprise", on=date(2025, 6, 30))
        html = c._repr_html_()
        assert "&lt;b&gt;vn-1&lt;/b&gt;" in html and "<b>vn-1</b>" not in html
        assert "undetermined" in html and "#9a6700" in html
        # the instrument's title listed once under the table, its articles in the rows
        assert "<li>Law on Enterprises No. 59/2020/QH14</li>" in html
        assert re.search(r"\[\d\] Art\. 10\(1\)\(c\)</td>", html)
        assert "purpose.commitment_registered" in html
        assert "It qualifies if these are met:" in html
        assert len(repr(c)) < 120 and "\n" not in repr(c)

    def test_does_not_qualify(self) -> None:
        """A criterion not met is shown in red, and the verdict badge says so."""
        org = _org(legal_form="vn/cooperative")
        c = classify(org, "vn/social-enterprise", on=date(2025, 6, 30))
        html = c._repr_html_()
        assert "does not qualify" in html
        assert "#cf222e" in html and "not met" in html
        assert "To settle" not in html

    def test_principles_are_listed(self) -> None:
        """Each of the four principles appears with its outcome."""
        c = classify(_org(), "intl/ilo-2022", on=date(2025, 6, 30))
        html = c._repr_html_()
        for p in c.principles:
            assert p.principle.info.name in html

    def test_user_profile_text_is_escaped(self) -> None:
        """Descriptions, citations and interpretations from a profile file are escaped."""
        profile = parse_profile(_PROFILE)
        c = classify(_org(governance={"members": 3}), profile, on=date(2025, 1, 1))
        html = c._repr_html_()
        assert "<script>" not in html
        assert "Members &lt;script&gt;" in html
        assert "Reading &lt;script&gt;" in html


class TestProfileHTML:
    """A profile lists instruments, versions and criteria with sources, dates and status."""

    def test_shipped(self) -> None:
        """Versions with dates, criteria ids, principles and unverified rules appear."""
        html = load_profile("kr/social-enterprise")._repr_html_()
        assert "2007 (2007-07-01 to 2018-12-31)" in html
        assert "kr-se-community-type" in html and "unverified" in html
        assert "Primacy of people" in html
        assert repr(load_profile("kr/social-enterprise")).startswith(
            "<Profile 'kr/social-enterprise'"
        )

    def test_instrument_links(self) -> None:
        """Instruments with a web address are links; dates of adoption are shown."""
        html = load_profile("vn/social-enterprise")._repr_html_()
        assert '<a href="https://' in html
        assert "adopted 2020-06-17" in html

    def test_escaped(self) -> None:
        """Every user-written text is escaped and a javascript: URL is never a link."""
        profile = parse_profile(_PROFILE)
        html = profile._repr_html_()
        assert "<script>" not in html
        assert html.count("&lt;script&gt;") == 9  # 8 texts, the instrument title twice
        assert "href" not in html
        assert len(repr(profile)) < 80 and "\n" not in repr(profile)


class TestOrganisationHTML:
    """An organisation shows its identity, legal form, family and known facts only."""

    def test_known_facts(self) -> None:
        """Known facts appear with their paths; unknown ones do not."""
        org = _org(
            legal_form="vn/cooperative",
            governance={"members": 12, "voting_rule": "one_member_one_vote"},
            finances={"2024": {"revenue": "1000 VND"}},
        )
        html = org._repr_html_()
        assert "vn/cooperative" in html and "cooperative" in html
        cell = '<td style="text-align:left;vertical-align:top">'
        assert f"<code>governance.members</code></td>{cell}12</td>" in html
        assert f"finances.2024.revenue</code></td>{cell}1,000 VND" in html
        assert "governance.largest_member_capital_share" not in html
        assert "3 facts known" in html

    def test_nothing_known(self) -> None:
        """An organisation with identity only says its legal form and family are unknown."""
        html = _org()._repr_html_()
        assert "legal form unknown" in html and "family unknown" in html
        assert "0 facts known" in html and "<table" not in html

    @pytest.mark.parametrize("field", ["name", "id"])
    def test_escaped(self, field: str) -> None:
        """A name or id containing markup is escaped."""
        html = _org(**{field: EVIL})._repr_html_()
        assert "<script>" not in html and "&lt;script&gt;" in html

    def test_repr_is_one_short_line(self) -> None:
        """The plain repr is one line, whatever the organisation knows."""
        org = _org(
            legal_form="vn/cooperative",
            governance={"members": 12},
            finances={"2024": {"revenue": "1000 VND"}, "2023": {"revenue": "1 VND"}},
        )
        assert repr(org) == (
            "Organisation(id='xx-1', name='X', country='VN', legal_form='vn/cooperative')"
        )


class TestColours:
    """The renderer, which imports no engine class at run time, knows every enum value."""

    def test_every_outcome_and_verdict_has_a_colour(self) -> None:
        """The colour tables are keyed by exactly the values of Outcome and Verdict."""
        assert set(_html._COLOURS) == {o.value for o in Outcome}
        assert set(_html._VERDICT_COLOURS) == {v.value for v in Verdict}

    def test_unverified_is_a_status(self) -> None:
        """The status the renderer flags is a value of Status."""
        assert Status(_html._UNVERIFIED) is Status.UNVERIFIED
