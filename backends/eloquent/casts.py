"""Eloquent cast strings and PHPDoc types per Laravel version, as data (STYLE.md rule 6).

The IR's neutral cast kinds map onto what each Laravel version understands:
``hashed`` exists from Laravel 10, the ``casts()`` method is read from Laravel 11
(Laravel 8 ignores it, TOOLCHAIN.md §1), ``HasUuids``/``HasUlids`` from Laravel 9.
``None`` = no cast in that version.  ``ENUM`` is a marker: the generated PHP enum
class, or ``string`` when enums are off.
"""

from __future__ import annotations

from ir.rules import Cast, CastKind

ENUM = object()

BASE = {
    CastKind.BOOLEAN: "boolean",
    CastKind.INTEGER: "integer",
    CastKind.FLOAT: "float",
    CastKind.DECIMAL: "decimal:{arg}",
    CastKind.STRING: "string",
    CastKind.DATE: "date",
    CastKind.DATETIME: "datetime",
    CastKind.TIMESTAMP: "datetime",     # the IR's timestamp is a point in time, not Unix seconds
    CastKind.JSON: "{json}",
    CastKind.ENUM: ENUM,
    CastKind.PASSWORD: None,            # no hashing cast before Laravel 10
    CastKind.ENCRYPTED: "encrypted",
}
_HASHED = {**BASE, CastKind.PASSWORD: "hashed"}

CAST_MAP_BY_VERSION = {8: BASE, 9: BASE, 10: _HASHED, 11: _HASHED, 12: _HASHED, 13: _HASHED}
IMMUTABLE = {"date": "immutable_date", "datetime": "immutable_datetime"}

# Version features, one row per version.
FEATURES = {
    8: {"casts_method": False, "unique_id_traits": False, "generics": False},
    9: {"casts_method": False, "unique_id_traits": True, "generics": False},
    10: {"casts_method": False, "unique_id_traits": True, "generics": False},
    11: {"casts_method": True, "unique_id_traits": True, "generics": True},
    12: {"casts_method": True, "unique_id_traits": True, "generics": True},
    13: {"casts_method": True, "unique_id_traits": True, "generics": True},
}

# PHPDoc type of an attribute by its cast string (the part before ':').
CAST_DOC_TYPE = {
    "boolean": "bool", "integer": "int", "float": "float", "decimal": "string",
    "string": "string", "date": "\\Illuminate\\Support\\Carbon",
    "datetime": "\\Illuminate\\Support\\Carbon",
    "immutable_date": "\\Carbon\\CarbonImmutable",
    "immutable_datetime": "\\Carbon\\CarbonImmutable",
    "array": "array", "json": "array", "object": "object",
    "collection": "\\Illuminate\\Support\\Collection",
    "encrypted": "string", "hashed": "string",
}

# PHPDoc type of an attribute with no cast, by logical type kind (ir.types.Kind value).
KIND_DOC_TYPE = {
    "integer": "int", "decimal": "string", "float": "float", "boolean": "int",
    "string": "string", "text": "string", "binary": "string", "date": "string",
    "time": "string", "datetime": "string", "json": "string", "uuid": "string",
    "enum": "string", "unknown": "mixed",
}

JSON_CASTS = ("array", "json", "object", "collection")


def cast_string(cast: Cast, version: int, options) -> str | object | None:
    """The Laravel cast for ``cast`` (``ENUM`` for an enum, None for none)."""
    spelling = CAST_MAP_BY_VERSION[version][cast.kind]
    if spelling is None or spelling is ENUM:
        return spelling
    if cast.kind is CastKind.DECIMAL and not (cast.arg or "").isdigit():
        return None   # Eloquent needs the number of places
    spelling = spelling.format(arg=cast.arg, json=options["json_cast"])
    if options["immutable_dates"]:
        spelling = IMMUTABLE.get(spelling, spelling)
    return spelling
