"""Golden tests: the entity-list readings of the ILO 2022 and UN 2023 definitions.

ILO 2022 Resolution concerning decent work and the SSE, Conclusions para. 5, and UN
A/RES/77/281 (preamble) list the entity types of the SSE. Statistical practice counts those
types; the principle-based profiles (intl/ilo-2022, intl/un-2023) apply the principles.
"""

from datetime import date

import pytest

from sse_model import Organisation, Verdict, classify, structure

ON = date(2025, 6, 30)
LISTED = ["cooperative", "association", "mutual_society", "foundation", "social_enterprise"]
PAIRS = [("intl/ilo-2022-entities", "intl/ilo-2022"), ("intl/un-2023-entities", "intl/un-2023")]


def org(**fields: object) -> Organisation:
    return structure({"id": "o", "name": "O", "country": "GB", **fields}, Organisation)


class TestEntityList:
    """Para. 5: cooperatives, associations, mutual societies, foundations, social
    enterprises, self-help groups."""

    @pytest.mark.parametrize(("entities", "principles"), PAIRS)
    @pytest.mark.parametrize("family", [*LISTED, "self_help_group"])
    def test_listed_family_is_counted(self, entities: str, principles: str, family: str) -> None:
        """A listed family is counted under the entity-list reading, not under the principles
        alone (the principle-based verdict stays undetermined without the facts)."""
        o = org(family=family)
        assert classify(o, entities, on=ON).verdict is Verdict.QUALIFIES
        assert classify(o, principles, on=ON).verdict is Verdict.UNDETERMINED

    @pytest.mark.parametrize(("entities", "principles"), PAIRS)
    def test_company_is_not_counted(self, entities: str, principles: str) -> None:
        """A company is not a listed type (the principle-based reading may still include it)."""
        assert classify(org(family="company"), entities, on=ON).verdict is Verdict.DOES_NOT_QUALIFY

    @pytest.mark.parametrize(("entities", "principles"), PAIRS)
    def test_unknown_family_is_undetermined(self, entities: str, principles: str) -> None:
        """No family and no legal form: the entity-list reading cannot count it."""
        c = classify(org(), entities, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert [m.path for m in c.settlement.missing_facts] == ["legal_form", "family"]

    def test_un_reading_starts_with_the_resolution(self) -> None:
        """A/RES/77/281 was adopted on 18 April 2023: no version before."""
        from sse_model import NoVersionInForce

        with pytest.raises(NoVersionInForce):
            classify(org(family="cooperative"), "intl/un-2023-entities", on=date(2023, 4, 17))
        c = classify(org(family="cooperative"), "intl/un-2023-entities", on=date(2023, 4, 18))
        assert c.verdict is Verdict.QUALIFIES
