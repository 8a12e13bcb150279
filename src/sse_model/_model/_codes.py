"""Country and subdivision codes, checked against pycountry's maintained ISO lists."""

from __future__ import annotations

from functools import cache

__all__ = ["check_country", "check_subdivision"]


def pycountry_codes(standard: str, field: str) -> frozenset[str] | None:
    """The *field* codes of pycountry's own list of ISO *standard* (``3166-1``,
    ``4217``), read from its data file without importing pycountry (a tenth of the time:
    its import reads package metadata); None if the file moved (import pycountry then)."""
    import importlib.util
    import json
    import os

    spec = importlib.util.find_spec("pycountry")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            with open(os.path.join(folder, "databases", f"iso{standard}.json"), "rb") as f:
                return frozenset(c[field] for c in json.load(f)[standard])
        except (OSError, ValueError, KeyError, TypeError):
            break
    return None


@cache
def _countries() -> frozenset[str]:
    codes = pycountry_codes("3166-1", "alpha_2")
    if codes is not None:
        return codes
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def check_country(code: str) -> str | None:
    """None if *code* is an ISO 3166-1 alpha-2 code, else what was expected."""
    if code in _countries():
        return None
    return f"expected an ISO 3166-1 alpha-2 country code such as 'VN', got {code!r}"


@cache
def check_subdivision(country: str, code: str) -> str | None:
    """None if *code* is an ISO 3166-2 subdivision of *country* (``CA-QC``)."""
    import pycountry

    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if sub is not None and sub.country_code == country:
        return None
    return f"expected an ISO 3166-2 subdivision of {country} such as '{country}-XX', got {code!r}"
