"""The field's exchange formats as flat records: GeoJSON features and Murmurations profiles.

Both formats nest their data; the readers of :mod:`._readers` call these functions to
turn one feature or one profile into *flat text cells keyed by the source's own field
names* (``addr:country``, ``geolocation.lat``...), which a column mapping then renames
onto the flat vocabulary. Nothing here knows the vocabulary.

**GeoJSON** (RFC 7946, https://www.rfc-editor.org/rfc/rfc7946; text sequences: RFC 8142,
https://www.rfc-editor.org/rfc/rfc8142). One record per Feature object (section 3.2):

- each member of ``properties`` is a cell under its own name (values by
  :func:`tree_cells`);
- ``geometry.type`` is the geometry's type; for a ``Point`` (section 3.1.2) also
  ``geometry.longitude``, ``geometry.latitude`` and, when given, ``geometry.altitude``
  (a position is longitude, latitude, optional altitude: section 3.1.1). Other
  geometries give ``geometry.type`` only: their coordinates are not a fact about an
  organisation. A ``null`` geometry (an unlocated feature, section 3.2) gives no cell;
- the Feature's ``id`` (a string or number, section 3.2), when present, is ``feature.id``;
- other members of the Feature (``bbox``, foreign members: section 6.1) are not read.

A Feature without a ``properties`` object (missing, which RFC 7946 does not allow, or
``null``, which it allows but which says nothing of an organisation), a geometry that is
not an object with a ``type``, Point coordinates that are not two or three finite
numbers within longitude -180..180 and latitude -90..90, an ``id`` that is neither a
string nor a number, and a property name that clashes with one of the cells above
each reject the feature's row with a :class:`~sse_model.FieldError` naming the member.

**Murmurations** organisation profiles (schema ``organizations_schema-v1.0.0`` of the
Murmurations Library, https://github.com/MurmurationsNetwork/MurmurationsLibrary, file
``schemas/organizations_schema-v1.0.0.json``): every member is a cell by
:func:`tree_cells`, so ``name``, ``primary_url``, ``country_iso_3166`` stay as they are,
``geolocation`` (``fields/geolocation.json``: an object with ``lat`` and ``lon``) gives
``geolocation.lat`` and ``geolocation.lon``, ``tags`` and ``linked_schemas`` (arrays of
strings) are ``;``-joined, and ``urls`` (``fields/urls.json``: an array of objects with
``name`` and ``url``) gives ``urls.name`` and ``urls.url``, each ``;``-joined in the
array's order.

:func:`tree_cells` is the one rule for nested values of either format:

- a scalar is its text (as a CSV cell would hold it: numbers in their shortest exact
  form, ``true``/``false``, ``null`` blank: unknown);
- an object's members are cells ``<name>.<member>`` (recursively);
- an array of scalars is one cell, its items' texts joined with ``;`` (an empty array:
  a blank cell);
- an array of objects gives, per member name, one cell ``<name>.<member>`` joining that
  member of every item with ``;`` (an item without it gives an empty piece, so the
  pieces stay aligned by position);
- anything else rejects the row: an array holding arrays, objects and scalars mixed, an
  object inside an array's object, an item whose text holds ``;`` (it could not be
  split back), and a name given twice (``"a.b"`` and ``{"a": {"b": ...}}``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from .._errors import FieldError
from ._typed import text

__all__ = ["feature_cells", "tree_cells"]

_JOIN = ";"


def _scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def tree_cells(data: Mapping[str, Any]) -> tuple[dict[str, str], list[FieldError]]:
    """The flat cells of one nested JSON object, and the errors of values that have no
    flat form (see the module docstring for the rule)."""
    cells: dict[str, str] = {}
    errors: list[FieldError] = []

    def put(name: str, value: str) -> None:
        if name in cells:
            errors.append(
                FieldError(name, f"expected each field once, got {name!r} twice after flattening")
            )
        else:
            cells[name] = value

    def joined(name: str, items: Sequence[Any]) -> str | None:
        pieces = [text(x) for x in items]
        bad = next((p for p in pieces if _JOIN in p), None)
        if bad is not None:
            errors.append(
                FieldError(
                    name,
                    f"expected list items without {_JOIN!r} (they are joined with it), "
                    f"got {bad[:80]!r}",
                )
            )
            return None
        return _JOIN.join(pieces)

    stack: list[tuple[str, Any]] = [(str(k), v) for k, v in reversed(list(data.items()))]
    while stack:
        name, value = stack.pop()
        if isinstance(value, Mapping):
            stack.extend((f"{name}.{k}", v) for k, v in reversed(list(value.items())))
        elif not isinstance(value, list | tuple):
            put(name, text(value))
        elif all(map(_scalar, value)):
            cell = joined(name, value)
            if cell is not None:
                put(name, cell)
        elif all(isinstance(x, Mapping) for x in value):
            members = list(dict.fromkeys(k for item in value for k in item))
            for member in members:
                pieces = [item.get(member) for item in value]
                if not all(map(_scalar, pieces)):
                    errors.append(
                        FieldError(
                            f"{name}.{member}",
                            "expected text, numbers or booleans in a list of objects, "
                            "got a nested object or list",
                        )
                    )
                    continue
                cell = joined(f"{name}.{member}", pieces)
                if cell is not None:
                    put(f"{name}.{member}", cell)
        else:
            errors.append(
                FieldError(
                    name,
                    "expected a list of values or a list of objects, got a list mixing "
                    "them or holding lists",
                )
            )
    return cells, errors


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def feature_cells(data: Mapping[str, Any]) -> tuple[dict[str, str], list[FieldError]]:
    """The flat cells of one GeoJSON Feature object (RFC 7946, section 3.2), and the
    errors that reject it (see the module docstring)."""
    if "properties" not in data:
        message = "expected a GeoJSON Feature with a 'properties' member (RFC 7946, section 3.2)"
        return {}, [FieldError("properties", message)]
    if data["properties"] is None:
        message = (
            "expected properties to read, got null (valid GeoJSON, RFC 7946 section 3.2, "
            "but a feature without properties says nothing of an organisation)"
        )
        return {}, [FieldError("properties", message)]
    props = data["properties"]
    if not isinstance(props, Mapping):
        message = f"expected a 'properties' object, got {type(props).__name__}"
        return {}, [FieldError("properties", message)]
    cells, errors = tree_cells(props)
    extra: dict[str, str] = {}
    geometry = data.get("geometry")
    if geometry is not None:
        kind = geometry.get("type") if isinstance(geometry, Mapping) else None
        if not isinstance(kind, str) or not kind:
            errors.append(
                FieldError(
                    "geometry",
                    "expected a geometry object with a 'type' (RFC 7946, section 3.1) or "
                    f"null, got {type(geometry).__name__}",
                )
            )
        else:
            extra["geometry.type"] = kind
            if kind == "Point":
                _point(geometry.get("coordinates"), extra, errors)
    if "id" in data:
        fid = data["id"]
        if isinstance(fid, str) or _number(fid):
            extra["feature.id"] = text(fid)
        else:
            errors.append(
                FieldError(
                    "id",
                    "expected a Feature id that is a string or a number (RFC 7946, "
                    f"section 3.2), got {type(fid).__name__}",
                )
            )
    for name, value in extra.items():
        if name in cells:
            errors.append(
                FieldError(
                    name,
                    f"expected a property name other than {name!r}: it is the name of the "
                    "feature's own cell",
                )
            )
        else:
            cells[name] = value
    return cells, errors


def _point(coordinates: Any, out: dict[str, str], errors: list[FieldError]) -> None:
    """A Point's position (RFC 7946, sections 3.1.1-3.1.2) as cells."""
    ok = (
        isinstance(coordinates, list)
        and len(coordinates) in (2, 3)
        and all(map(_number, coordinates))
        and -180 <= coordinates[0] <= 180
        and -90 <= coordinates[1] <= 90
    )
    if not ok:
        shown = repr(coordinates)[:80]
        errors.append(
            FieldError(
                "geometry.coordinates",
                "expected a Point position of longitude (-180 to 180), latitude (-90 to 90) "
                f"and an optional altitude (RFC 7946, section 3.1.1), got {shown}",
            )
        )
        return
    out["geometry.longitude"] = text(coordinates[0])
    out["geometry.latitude"] = text(coordinates[1])
    if len(coordinates) == 3:
        out["geometry.altitude"] = text(coordinates[2])
