"""Classified organisations as Murmurations organisation profiles, for mapping sites.

A profile follows the Murmurations Library schema ``organizations_schema-v1.0.0``
(https://github.com/MurmurationsNetwork/MurmurationsLibrary, ``schemas/organizations_
schema-v1.0.0.json``, draft-07 JSON Schema; it requires ``linked_schemas`` and ``name``)
and uses these of its fields:

- ``linked_schemas``: ``["organizations_schema-v1.0.0"]`` (``fields/linked_schemas.json``);
- ``name`` (``fields/name.json``): the organisation's name, or its id when no
  organisation is given (the schema requires a name);
- ``primary_url`` (``fields/primary_url.json``, ``^https?://``), only when given in
  *primary_urls* (the model holds no web address);
- ``country_iso_3166`` (``fields/country_iso_3166.json``): the organisation's ISO 3166-1
  alpha-2 country, when known;
- ``tags`` (``fields/tags.json``, unique strings): one per verdict,
  ``sse:<profile id>:<verdict>``, e.g. ``sse:intl/ilo-2022:qualifies``.

The schema does not forbid other members (no ``additionalProperties``), but the
Murmurations index keeps only the fields of the linked schemas, so the verdicts and their
citations go under one clearly named extension member, :data:`EXTENSION`
(``"sse_model_classifications"``): per profile, its id, version, evaluation date, fiscal
year, verdict, whether it rests on legal presumptions, and for every criterion met or
not met its id, outcome, instrument (id and title), article and citation text. Unknown
and not-applicable criteria are left out: they cite no rule that decided anything.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import IO, Any

from .._engine._profile import Profile
from .._engine._result import Classification, Outcome

__all__ = ["EXTENSION", "SCHEMA", "to_murmurations", "write_murmurations"]

#: the Murmurations schema the profiles are linked to
SCHEMA = "organizations_schema-v1.0.0"
#: the member holding the verdicts and their citations
EXTENSION = "sse_model_classifications"
_DECIDED = (Outcome.MET.value, Outcome.NOT_MET.value)
#: what ``fields/primary_url.json`` requires of a primary URL
_URL = re.compile(r"https?://")
_MAX_URL = 2000


def to_murmurations(
    result: Any,
    organisations: Any = None,
    *,
    primary_urls: Mapping[str, str] | None = None,
    profiles: Iterable[Profile] = (),
) -> list[dict[str, Any]]:
    """Murmurations organisation profiles of classified organisations, one per
    organisation (in the order first met), with every verdict as a tag and, under
    ``"sse_model_classifications"``, the verdicts with the citations of the criteria met
    and not met.

    *result* is a :class:`~sse_model.Classification`, an iterable of them (from
    :func:`~sse_model.classify_many`), a :class:`~sse_model.RegisterResult` (from
    :func:`~sse_model.classify_table`) or an iterable of those, or a results table with
    the columns of :func:`~sse_model.write_results`: Arrow (:func:`~sse_model.classify_file`'s
    Parquet output), pandas (:meth:`~sse_model.RegisterResult.to_pandas`) or read back
    from CSV results. All give the same profiles for the same classifications.

    *organisations* (:class:`~sse_model.Organisation` objects, rejected rows passed over,
    or a mapping of id to organisation) give names and countries; *primary_urls* maps
    organisation ids onto their web addresses (``http(s)://...``, as the schema requires;
    another value raises :class:`ValueError`). The instruments and articles come from each
    profile's plan on the evaluation date: give your own :class:`~sse_model.Profile`
    objects in *profiles*; for a profile id the library does not know, a Classification
    gives each criterion's citation text alone, and a table none.
    """
    orgs = _organisations(organisations)
    urls: dict[str, Any] = dict(primary_urls or {})
    for oid, url in urls.items():
        if not isinstance(url, str) or not _URL.match(url) or len(url) > _MAX_URL:
            raise ValueError(
                f"expected a primary URL starting with http:// or https:// (at most {_MAX_URL} "
                f"characters, as fields/primary_url.json requires) for {oid!r}, "
                f"got {str(url)[:80]!r}"
            )
    out: dict[str, dict[str, Any]] = {}
    laws = _Laws(profiles)
    for row in _rows(result):
        oid = row["organisation_id"]
        profile = out.get(oid)
        if profile is None:
            profile = out[oid] = _profile(oid, orgs.get(oid), urls.get(oid))
        tag = f"sse:{row['profile_id']}:{row['verdict']}"
        if tag not in profile["tags"]:
            profile["tags"].append(tag)
        profile[EXTENSION]["classifications"].append(laws.verdict(row))
    return list(out.values())


def write_murmurations(
    target: str | os.PathLike[str] | IO[str],
    result: Any,
    organisations: Any = None,
    *,
    primary_urls: Mapping[str, str] | None = None,
    profiles: Iterable[Profile] = (),
) -> int:
    """Write :func:`to_murmurations` profiles to *target* (a path or an open text file)
    as one JSON array (UTF-8, indented); returns the number of profiles. A path is
    written under a temporary name and renamed when complete."""
    from ._outputs import atomic_output

    out = to_murmurations(result, organisations, primary_urls=primary_urls, profiles=profiles)
    if isinstance(target, str | os.PathLike):
        with atomic_output(target) as f:
            _dump(out, f)
    else:
        _dump(out, target)
    return len(out)


def _dump(profiles: list[dict[str, Any]], f: IO[str]) -> None:
    json.dump(profiles, f, ensure_ascii=False, indent=2)
    f.write("\n")


def _organisations(organisations: Any) -> Mapping[str, Any]:
    if organisations is None:
        return {}
    if isinstance(organisations, Mapping):
        return organisations
    from .._model import Organisation

    return {o.id: o for o in organisations if isinstance(o, Organisation)}


def _profile(oid: str, org: Any, url: str | None) -> dict[str, Any]:
    profile: dict[str, Any] = {"linked_schemas": [SCHEMA], "name": oid}
    if org is not None and getattr(org, "name", None):
        profile["name"] = org.name
    if url:
        profile["primary_url"] = url
    country = getattr(org, "country", None) if org is not None else None
    if isinstance(country, str) and len(country) == 2:
        profile["country_iso_3166"] = country.upper()
    profile["tags"] = []
    profile[EXTENSION] = {"organisation_id": oid, "classifications": []}
    return profile


# --- results as rows ---------------------------------------------------------------------


def _rows(result: Any) -> Iterable[dict[str, Any]]:
    """Each classification as a row: ids, version, date, fiscal year, verdict, whether it
    rests on presumptions, and per criterion its outcome (and citation text, if any)."""
    if isinstance(result, Classification):
        yield _classification_row(result)
        return
    table = getattr(result, "table", None)
    if table is not None and hasattr(result, "rejected"):  # a RegisterResult
        yield from _table_rows(table)
        return
    if hasattr(result, "column_names") and hasattr(result, "to_pylist"):  # an Arrow table
        yield from _table_rows(result)
        return
    if type(result).__module__.split(".")[0] == "pandas" and hasattr(result, "columns"):
        import pyarrow as pa

        yield from _table_rows(pa.Table.from_pandas(result, preserve_index=False))
        return
    for item in result:
        yield from _rows(item)


def _classification_row(c: Classification) -> dict[str, Any]:
    return {
        "organisation_id": c.organisation_id,
        "profile_id": c.profile_id,
        "version": c.version,
        "on": c.on,
        "fiscal_year": c.fiscal_year,
        "verdict": c.verdict.value,
        "rests_on_presumptions": c.rests_on_presumptions,
        "criteria": {r.id: (r.outcome.value, r.citation) for r in c.criteria},
    }


def _day(on: Any) -> date:
    """A result's date: a date, a datetime or pandas Timestamp (frames hold
    ``datetime64[s]``) or ISO text."""
    if isinstance(on, datetime):
        return on.date()
    return on if isinstance(on, date) else date.fromisoformat(str(on)[:10])


def _table_rows(table: Any) -> Iterable[dict[str, Any]]:
    prefix = "criterion."
    names = [n for n in table.column_names if n.startswith(prefix)]
    for r in table.to_pylist():
        on = r["on"]
        yield {
            "organisation_id": r["organisation_id"],
            "profile_id": r["profile_id"],
            "version": r["version"],
            "on": _day(on),
            "fiscal_year": _year(r["fiscal_year"]),
            "verdict": r["verdict"],
            "rests_on_presumptions": r.get("rests_on_presumptions") in (True, "true", "True"),
            "criteria": {n[len(prefix) :]: (r[n], None) for n in names if r[n] is not None},
        }


def _year(value: Any) -> int | None:
    """A fiscal year as the table holds it (a number, or its text in a CSV file)."""
    if value is None or value == "":
        return None
    return int(value)


class _Laws:
    """The instrument and article of each criterion, from the profile's plan on the
    evaluation date (built once per profile and date)."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        from .._engine._classify import Classifier

        self.classifier = Classifier()
        self.own: dict[str, Profile] = {p.id: p for p in profiles}
        self.plans: dict[tuple[str, date], Any] = {}
        self.criteria: dict[tuple[str, date], dict[str, Any]] = {}

    def _plan(self, profile_id: str, on: date) -> Any:
        key = (profile_id, on)
        if key not in self.plans:
            from .._errors import NoVersionInForce, UnknownProfile

            try:
                self.plans[key] = self.classifier.plan(self.own.get(profile_id, profile_id), on)
            except (UnknownProfile, NoVersionInForce):
                self.plans[key] = None
            plan = self.plans[key]
            self.criteria[key] = {} if plan is None else {c.id: c for c in plan.criteria}
        return self.plans[key]

    def verdict(self, row: Mapping[str, Any]) -> dict[str, Any]:
        on: date = row["on"]
        plan = self._plan(row["profile_id"], on)
        outcomes: Mapping[str, tuple[str, str | None]] = row["criteria"]
        order = [c.id for c in plan.criteria] if plan is not None else list(outcomes)
        criteria = []
        for cid in order:
            if cid not in outcomes or outcomes[cid][0] not in _DECIDED:
                continue
            outcome, citation = outcomes[cid]
            criterion = self.criteria[row["profile_id"], on].get(cid)
            criteria.append(
                {"id": cid, "outcome": outcome, **self._law(plan, criterion, citation)}
            )
        return {
            "profile_id": row["profile_id"],
            "version": row["version"],
            "on": on.isoformat(),
            "fiscal_year": row["fiscal_year"],
            "verdict": row["verdict"],
            "rests_on_presumptions": row["rests_on_presumptions"],
            "criteria": criteria,
        }

    @staticmethod
    def _law(plan: Any, criterion: Any, citation: str | None) -> dict[str, Any]:
        if criterion is None:
            return {"citation": citation} if citation else {}
        instrument = plan.instruments.get(criterion.citation.instrument)
        title = instrument.title if instrument is not None else criterion.citation.instrument
        law: dict[str, Any] = {
            "instrument": criterion.citation.instrument,
            "instrument_title": title,
            "article": criterion.citation.article,
            "citation": f"{title}, {criterion.citation.article}",
        }
        if instrument is not None and instrument.url:
            law["instrument_url"] = instrument.url
        return law
