"""Notebook representations: HTML for classifications and profiles, escaped."""

from datetime import date

from sse_model import Organisation, classify, load_profile, structure


class TestHTML:
    """Jupyter shows `_repr_html_`; plain reprs stay short."""

    def test_classification(self) -> None:
        """The verdict, coloured outcomes, citations and facts to collect appear; text is escaped."""
        org = structure(
            {
                "id": "<b>vn-1</b>",
                "name": "X",
                "country": "VN",
                "legal_form": "vn/jsc",
                "purpose": {"social": True},
            },
            Organisation,
        )
        c = classify(org, "vn/social-enterprise", on=date(2025, 6, 30))
        html = c._repr_html_()
        assert "&lt;b&gt;vn-1&lt;/b&gt;" in html and "<b>vn-1</b>" not in html
        assert "undetermined" in html and "#9a6700" in html
        assert "Law on Enterprises No. 59/2020/QH14, Art. 10(1)(c)" in html
        assert "purpose.commitment_registered" in html
        assert len(repr(c)) < 120

    def test_profile(self) -> None:
        """A profile lists its versions and criteria with sources and status."""
        html = load_profile("kr/social-enterprise")._repr_html_()
        assert "2007 (2007-07-01 to 2018-12-31)" in html
        assert "kr-se-community-type" in html and "unverified" in html
        assert repr(load_profile("kr/social-enterprise")).startswith(
            "<Profile 'kr/social-enterprise'"
        )
