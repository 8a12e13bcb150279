"""Golden tests: es/social-economy (Ley 5/2011, arts. 4-6)."""

from datetime import date
from typing import Any

import pytest

from sse_model import Organisation, Outcome, Verdict, classify, structure

PROFILE = "es/social-economy"
ON = date(2024, 6, 30)


STATUS = {"granted_on": "2015-03-01", "indefinite": True}


def org(**fields: Any) -> Organisation:
    return structure({"id": "x", "name": "x", "country": "ES", **fields}, Organisation)


class TestListedEntities:
    """Art. 5.1: entities that belong to the social economy by law."""

    @pytest.mark.parametrize("form", ["es/cooperativa", "es/mutualidad", "es/sociedad-laboral"])
    def test_listed_forms_qualify(self, form: str) -> None:
        """Art. 5.1: the form alone decides."""
        c = classify(org(legal_form=form), PROFILE, on=ON)
        assert c.verdict is Verdict.QUALIFIES
        assert c.criterion("es-se-listed-entity").outcome is Outcome.MET

    @pytest.mark.parametrize(
        ("economic", "verdict"), [(True, Verdict.QUALIFIES), (False, Verdict.DOES_NOT_QUALIFY)]
    )
    def test_foundation_needs_an_economic_activity(self, economic: bool, verdict: Verdict) -> None:
        """Art. 5.1: foundations and associations 'que lleven a cabo actividad económica'."""
        o = org(legal_form="es/fundacion", purpose={"economic_activity": economic})
        assert classify(o, PROFILE, on=ON).verdict is verdict

    def test_association_without_activity_fact_names_it(self) -> None:
        """Art. 5.1: an unknown economic activity is asked for."""
        c = classify(org(legal_form="es/asociacion"), PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        by_path = {m.path: m.criteria for m in c.settlement.missing_facts}
        assert "es-se-listed-entity" in by_path["purpose.economic_activity"]

    def test_sole_proprietor_fails(self) -> None:
        """Art. 5: a sole proprietor is not an entity listed or catalogued."""
        c = classify(
            org(family="sole_proprietorship", purpose={"economic_activity": False}), PROFILE, on=ON
        )
        assert c.verdict is Verdict.DOES_NOT_QUALIFY


class TestCatalogueRoute:
    """Art. 5.2 and 6: other entities need the art. 4 principles and the catalogue."""

    def test_sl_meeting_principles_is_unresolvable(self) -> None:
        """Art. 5.2, 6: the catalogue rule is unverified, so an S.L. is never decided as met."""
        o = org(
            legal_form="es/sl",
            purpose={"economic_activity": True, "social": True},
            statutes={"profit_rule": "by_patronage", "democratic_governance": True},
            governance={"controlled_by_public_body": False},
        )
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED
        assert c.settlement is not None
        assert c.settlement.unresolvable == ("es-se-catalogue",)
        paths = {m.path for m in c.settlement.missing_facts}
        assert "certifications (es/empresa-insercion)" in paths

    def test_sl_distributing_freely_fails(self) -> None:
        """Art. 4 b): results allocated by capital without limit fail the art. 5.2 route."""
        o = org(
            legal_form="es/sl",
            purpose={"economic_activity": True, "social": True},
            statutes={"profit_rule": "unrestricted", "democratic_governance": True},
            governance={"controlled_by_public_body": False},
        )
        c = classify(o, PROFILE, on=ON)
        assert c.verdict is Verdict.UNDETERMINED  # may still be an empresa de inserción (art. 5.1)
        assert c.criterion("es-se-results-allocation").outcome is Outcome.NOT_MET
        assert c.settlement is not None
        assert c.settlement.to_qualify == ("es-se-listed-entity",)

    def test_catalogue_adopted_as_written_reads_the_status(self) -> None:
        """Art. 5.2, 6: adopted as written, the catalogue rule reads es/social-economy-catalogue."""
        from sse_model import Assumptions

        base = {
            "legal_form": "es/sl",
            "purpose": {"economic_activity": True, "social": True},
            "statutes": {"profit_rule": "by_patronage", "democratic_governance": True},
            "governance": {"controlled_by_public_body": False},
            "certifications_complete": True,
        }
        adopt = Assumptions(unverified_as_written=True)
        listed = org(**base, certifications=[{**STATUS, "kind": "es/social-economy-catalogue"}])
        absent = org(**base, certifications=[])
        assert classify(listed, PROFILE, on=ON, assumptions=adopt).verdict is Verdict.QUALIFIES
        c = classify(absent, PROFILE, on=ON, assumptions=adopt)
        assert c.criterion("es-se-catalogue").outcome is Outcome.NOT_MET

    def test_before_entry_into_force_no_version(self) -> None:
        """Ley 5/2011 entered into force on 30 April 2011."""
        from sse_model import NoVersionInForce

        with pytest.raises(NoVersionInForce):
            classify(org(legal_form="es/cooperativa"), PROFILE, on=date(2011, 4, 29))
        assert classify(
            org(legal_form="es/cooperativa"), PROFILE, on=date(2011, 4, 30)
        ).verdict is (Verdict.QUALIFIES)


class TestQualifications:
    """Art. 5.1: empresas de inserción (Ley 44/2007) and centros especiales de empleo (RDL 1/2013)."""

    @pytest.mark.parametrize("kind", ["es/empresa-insercion", "es/centro-especial-empleo"])
    def test_a_qualified_sl_is_listed(self, kind: str) -> None:
        """Art. 5.1: an S.L. qualified and registered as such is a social economy entity."""
        o = org(legal_form="es/sl", certifications=[{**STATUS, "kind": kind}])
        c = classify(o, PROFILE, on=ON)
        assert c.criterion("es-se-listed-entity").outcome is Outcome.MET
        assert c.verdict is Verdict.QUALIFIES

    @pytest.mark.parametrize(
        ("on", "outcome"),
        [
            (date(2015, 2, 28), Outcome.UNKNOWN),  # the day before the qualification
            (date(2015, 3, 1), Outcome.MET),  # the qualification day
        ],
    )
    def test_qualification_on_both_sides(self, on: date, outcome: Outcome) -> None:
        """Art. 5.1: the qualification counts from the day it is granted."""
        cert = {**STATUS, "kind": "es/empresa-insercion"}
        o = org(legal_form="es/sl", certifications=[cert], certifications_complete=True)
        assert classify(o, PROFILE, on=on).criterion("es-se-listed-entity").outcome is outcome

    def test_without_qualification_an_sl_stays_unresolvable(self) -> None:
        """Art. 5.1: cofradías, SAT and entidades singulares are not in the model."""
        o = org(legal_form="es/sl", certifications=[], certifications_complete=True)
        c = classify(o, PROFILE, on=ON)
        assert c.criterion("es-se-listed-entity").outcome is Outcome.UNKNOWN
        assert c.settlement is not None
        assert "cofradía" in (c.criterion("es-se-listed-entity").reason or "")
        assert not [m for m in c.settlement.missing_facts if m.path.startswith("certifications")]
