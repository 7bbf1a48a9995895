"""Logical IR types -> SQLAlchemy column types and Python annotations, as data (TYPE_MAP)."""

from __future__ import annotations

import functools

import attrs

from backends.sqlalchemy.pyfmt import Call, pystr
from ir.types import Kind, Type

# kind -> (SQLAlchemy type name, Python annotation, stdlib module the annotation needs)
TYPE_MAP: dict[Kind, tuple[str, str, str | None]] = {
    Kind.INTEGER: ("Integer", "int", None),
    Kind.DECIMAL: ("Numeric", "decimal.Decimal", "decimal"),
    Kind.FLOAT: ("Float", "float", None),
    Kind.BOOLEAN: ("Boolean", "bool", None),
    Kind.STRING: ("String", "str", None),
    Kind.TEXT: ("Text", "str", None),
    Kind.BINARY: ("LargeBinary", "bytes", None),
    Kind.DATE: ("Date", "datetime.date", "datetime"),
    Kind.TIME: ("Time", "datetime.time", "datetime"),
    Kind.DATETIME: ("DateTime", "datetime.datetime", "datetime"),
    Kind.JSON: ("JSON", "Any", None),
    Kind.UUID: ("Uuid", "uuid.UUID", "uuid"),
    Kind.UNKNOWN: ("RawType", "Any", None),  # RawType: the source spelling, verbatim in DDL
}
# Integer widths with their own generic type (TINYINT has none: SmallInteger is closest).
INTEGER_BITS = {8: "SmallInteger", 16: "SmallInteger", 64: "BigInteger"}
FIXED = {Kind.STRING: "CHAR"}


@attrs.frozen
class Mapped:
    """One column's SQLAlchemy type expression and Python annotation."""

    sa_type: Call | str
    annotation: str
    sa_names: tuple[str, ...]          # names imported from sqlalchemy
    modules: tuple[str, ...] = ()      # stdlib modules imported whole (datetime, decimal...)
    needs_raw: bool = False            # uses the module's RawType helper
    needs_any: bool = False


def map_type(t: Type, enum_call: Call | None = None, enum_class: str | None = None,
             native_uuid: bool = True) -> Mapped:
    """Map a logical type; enums need their rendered ``Enum(...)`` call and class name.

    Without a native uuid type (SQLite, MySQL: ``char(36)``) a uuid stays the
    36-character text the database holds: SQLAlchemy's ``Uuid`` would store 32
    hex digits there, unreadable to the application that owns the data."""
    if t.kind is Kind.ENUM and enum_call is not None and enum_class is not None:
        return Mapped(enum_call, enum_class, ("Enum",))
    # By identity first: hashing a Type (all its fields) for the lru_cache costs more
    # than the lookup, and columns share Type objects.  The entry keeps its Type alive,
    # so the id cannot be reused by another object while it is remembered.
    found = _BY_ID.get((id(t), native_uuid))
    if found is not None and found[0] is t:
        return found[1]
    if len(_BY_ID) >= 1 << 14:
        _BY_ID.clear()
    mapped = _map_plain(t, native_uuid)
    _BY_ID[(id(t), native_uuid)] = (t, mapped)
    return mapped


_BY_ID: dict[tuple[int, bool], tuple[Type, Mapped]] = {}


@functools.lru_cache(maxsize=1 << 14)   # columns share a few hundred distinct types
def _map_plain(t: Type, native_uuid: bool) -> Mapped:
    if t.kind is Kind.UUID and not native_uuid:
        return Mapped(Call("CHAR", [str(t.length or 36)]), "str", ("CHAR",))
    if t.kind is Kind.ENUM:  # a MySQL SET: stored as comma-joined text
        return Mapped(Call("String", [str(len(",".join(t.values)) or 255)]), "str", ("String",))
    name, annotation, module = TYPE_MAP[t.kind]
    args: list = []
    if t.kind is Kind.INTEGER:
        name = INTEGER_BITS.get(t.bits or 32, "Integer")
    elif t.kind in FIXED and t.fixed:
        name = FIXED[t.kind]
    if t.kind in (Kind.STRING, Kind.BINARY) and t.length:
        args.append(str(t.length))
    elif t.kind is Kind.DECIMAL and t.precision is not None:
        args += [str(t.precision), str(t.scale or 0)]
    elif t.kind in (Kind.DATETIME, Kind.TIME) and t.timezone:
        args.append("timezone=True")
    elif t.kind is Kind.UNKNOWN:
        args.append(pystr(t.raw or "BLOB"))
    sa_type: Call | str = Call(name, args) if args else name
    return Mapped(sa_type, annotation, () if name == "RawType" else (name,),
                  (module,) if module else (), needs_raw=name == "RawType",
                  needs_any=annotation == "Any")
