"""Country and subdivision codes, checked against pycountry's maintained ISO lists."""

from __future__ import annotations

from functools import cache

__all__ = ["check_country", "check_subdivision"]


@cache
def _countries() -> frozenset[str]:
    # pycountry's own ISO 3166-1 list, read without importing pycountry (a tenth of the
    # time: its import reads package metadata); the module's list if the file moved
    import importlib.util
    import json
    import os

    spec = importlib.util.find_spec("pycountry")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            with open(os.path.join(folder, "databases", "iso3166-1.json"), "rb") as f:
                return frozenset(c["alpha_2"] for c in json.load(f)["3166-1"])
        except (OSError, ValueError, KeyError, TypeError):
            break
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
