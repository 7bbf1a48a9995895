"""Dialect type spellings -> logical :class:`ir.Type`, as data (STYLE.md rule 6).

Both frontends call :func:`parse_type` with the type *as written in the source*
(the SQLite catalog keeps the declared text verbatim; the DDL frontend passes the
source slice), so the same DDL read as text or from a database file lowers to the
same Type.  One ``TYPE_MAP`` per dialect overrides the common table.

Spelling rules handled here rather than in the table: ``unsigned``/``zerofill``
modifiers, ``[]``/``ARRAY`` (kept as unknown with the raw type), enum/set value
lists, ``tinyint(1)`` as boolean (MySQL, and Laravel's SQLite grammar),
``char(36)`` as uuid, and SQLite's type-affinity fallback for names it accepts
but no table lists (``BLOB SUB_TYPE TEXT`` has TEXT affinity).
"""

from __future__ import annotations

import re

from ir.types import Kind, Type

# name -> (kind, integer bits).  Names are lower-case, single-spaced.
_INT = {"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "integer": 32,
        "bigint": 64, "int1": 8, "int2": 16, "int3": 24, "int4": 32, "int8": 64,
        "serial": 32, "bigserial": 64, "smallserial": 16, "serial4": 32, "serial8": 64,
        "serial2": 16, "middleint": 24, "year": 16}

COMMON: dict[str, Kind] = {
    **{name: Kind.INTEGER for name in _INT},
    "boolean": Kind.BOOLEAN, "bool": Kind.BOOLEAN,
    "decimal": Kind.DECIMAL, "numeric": Kind.DECIMAL, "dec": Kind.DECIMAL,
    "fixed": Kind.DECIMAL, "money": Kind.DECIMAL, "smallmoney": Kind.DECIMAL,
    "float": Kind.FLOAT, "real": Kind.FLOAT, "double": Kind.FLOAT,
    "double precision": Kind.FLOAT, "float4": Kind.FLOAT, "float8": Kind.FLOAT,
    "char": Kind.STRING, "character": Kind.STRING, "nchar": Kind.STRING,
    "native character": Kind.STRING, "national char": Kind.STRING,
    "national character": Kind.STRING,
    "varchar": Kind.STRING, "character varying": Kind.STRING, "nvarchar": Kind.STRING,
    "varchar2": Kind.STRING, "nvarchar2": Kind.STRING, "varying character": Kind.STRING,
    "national varchar": Kind.STRING, "national character varying": Kind.STRING,
    "char varying": Kind.STRING, "string": Kind.STRING,
    "text": Kind.TEXT, "tinytext": Kind.TEXT, "mediumtext": Kind.TEXT,
    "longtext": Kind.TEXT, "clob": Kind.TEXT, "ntext": Kind.TEXT, "citext": Kind.TEXT,
    "blob": Kind.BINARY, "tinyblob": Kind.BINARY, "mediumblob": Kind.BINARY,
    "longblob": Kind.BINARY, "bytea": Kind.BINARY, "binary": Kind.BINARY,
    "varbinary": Kind.BINARY, "image": Kind.BINARY,
    "date": Kind.DATE,
    "time": Kind.TIME, "time without time zone": Kind.TIME,
    "time with time zone": Kind.TIME, "timetz": Kind.TIME,
    "datetime": Kind.DATETIME, "timestamp": Kind.DATETIME,
    "timestamp without time zone": Kind.DATETIME, "timestamp with time zone": Kind.DATETIME,
    "timestamptz": Kind.DATETIME, "datetime2": Kind.DATETIME, "smalldatetime": Kind.DATETIME,
    "datetimeoffset": Kind.DATETIME,
    "json": Kind.JSON, "jsonb": Kind.JSON,
    "uuid": Kind.UUID, "uniqueidentifier": Kind.UUID,
    "enum": Kind.ENUM, "set": Kind.ENUM,
}

# Per-dialect overrides ({**COMMON, ...}); a name mapped to UNKNOWN is kept raw.
TYPE_MAP: dict[str, dict[str, Kind]] = {
    "sqlite": {**COMMON},
    "mysql": {**COMMON, "bit": Kind.INTEGER, "geometry": Kind.UNKNOWN, "point": Kind.UNKNOWN},
    "postgres": {**COMMON, "tsvector": Kind.UNKNOWN, "tsquery": Kind.UNKNOWN,
                 "inet": Kind.UNKNOWN, "cidr": Kind.UNKNOWN, "macaddr": Kind.UNKNOWN,
                 "interval": Kind.UNKNOWN, "xml": Kind.UNKNOWN, "oid": Kind.INTEGER,
                 "bit": Kind.UNKNOWN, "bit varying": Kind.UNKNOWN, "varbit": Kind.UNKNOWN},
}
TYPE_MAP["mariadb"] = TYPE_MAP["mysql"]
DIALECTS = ("sqlite", "mysql", "postgres")
ALIASES = {"postgresql": "postgres", "pg": "postgres", "mariadb": "mysql", "sqlite3": "sqlite"}

_TZ_NAMES = {"timestamptz", "timestamp with time zone", "time with time zone", "timetz",
             "datetimeoffset"}
_SERIALS = {"serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"}
_MODIFIERS = {"unsigned", "signed", "zerofill"}
_ATTRS_RE = re.compile(r"\s+(?:(?:character\s+set|charset|collate)\s+\S+|binary(?=\s|$))",
                       re.I)
_ARGS_RE = re.compile(r"\(((?:'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[^()'\"])*)\)")


def attrs_evolve_raw(t: Type, raw: str) -> Type:
    return Type(t.kind, raw=raw, bits=t.bits, unsigned=t.unsigned, length=t.length,
                fixed=t.fixed, precision=t.precision, scale=t.scale, timezone=t.timezone,
                values=t.values, multiple=t.multiple)


def normalize_dialect(name: str | None) -> str | None:
    if name is None:
        return None
    name = name.lower()
    return ALIASES.get(name, name)


def is_serial(raw: str) -> bool:
    """PostgreSQL SERIAL spellings imply NOT NULL + autoincrement."""
    return raw.strip().lower() in _SERIALS


def _split_args(text: str) -> list[str]:
    """Split ``'a','b,c', 3`` on top-level commas, unquoting string literals."""
    out, cur, quote, i = [], "", None, 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote and text[i + 1:i + 2] == quote:
                cur += ch
                i += 1
            elif ch == quote:
                quote = None
            else:
                cur += ch
        elif ch in "'\"":
            quote = ch
        elif ch == ",":
            out.append(cur.strip() if not cur.startswith(" ") else cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    out.append(cur.strip())
    return [a for a in out if a != ""] if text.strip() else []


def _quoted_values(text: str) -> list[str]:
    """Enum values keep inner spaces: split on commas outside quotes, keep literal text."""
    vals, i = [], 0
    for m in re.finditer(r"'((?:[^']|'')*)'|\"((?:[^\"]|\"\")*)\"", text):
        if m.group(1) is not None:
            vals.append(m.group(1).replace("''", "'"))
        else:
            vals.append(m.group(2).replace('""', '"'))
        i += 1
    return vals


def _affinity(name: str) -> Kind:
    """SQLite's column-affinity rules (https://sqlite.org/datatype3.html 3.1)."""
    up = name.upper()
    if "INT" in up:
        return Kind.INTEGER
    if any(s in up for s in ("CHAR", "CLOB", "TEXT")):
        return Kind.TEXT
    if "BLOB" in up or not up:
        return Kind.BINARY
    if any(s in up for s in ("REAL", "FLOA", "DOUB")):
        return Kind.FLOAT
    return Kind.DECIMAL


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _name_and_args(raw: str) -> tuple[str, str, bool]:
    """``pg_catalog.numeric(10, 2) unsigned`` -> ("numeric", "10, 2", True): the name
    looked up (lower-case, single-spaced, modifiers dropped), the argument text and
    whether ``unsigned`` was written."""
    m = _ARGS_RE.search(raw)
    args_text = m.group(1) if m else ""
    head = (raw[:m.start()] + " " + raw[m.end():]) if m else raw
    words = [w for w in head.lower().split() if w not in _MODIFIERS]
    unsigned = "unsigned" in head.lower().split()
    name = " ".join(words)
    name = re.sub(r"^(?:[\w]+\.)+", "", name).strip('"`[]')  # pg_catalog.int4, "public"."t"
    return name, args_text, unsigned


def user_type_names(raw: str, domains: dict[str, str] | None = None) -> tuple[str, ...]:
    """The user type names :func:`parse_type` looks up for ``raw`` (the type's own name,
    and a domain's base type), so a cache of its results knows what a new user type
    makes stale."""
    raw = " ".join(raw.split())
    bare = _ATTRS_RE.sub("", raw).strip()
    if bare != raw and bare:
        return user_type_names(bare, domains)
    text = raw.lower()
    if not text or text.endswith("[]") or re.search(r"\barray\b", text):
        return ()
    name = _name_and_args(raw)[0]
    if domains and name in domains:
        return (name, *user_type_names(domains[name]))
    return (name,)


def parse_type(raw: str, dialect: str = "sqlite", enums: dict[str, tuple[str, ...]] | None = None,
               domains: dict[str, str] | None = None) -> Type:
    """Lower one type spelling.  ``enums``/``domains`` are PostgreSQL user types
    (``CREATE TYPE x AS ENUM``, ``CREATE DOMAIN d AS base``) by lower-case name."""
    raw = " ".join(raw.split())
    text = raw.lower()
    # MySQL column attributes that ride on the type: VARCHAR(40) BINARY, CHARACTER SET x
    bare = _ATTRS_RE.sub("", raw).strip()
    if bare != raw and bare:
        t = parse_type(bare, dialect, enums, domains)
        return attrs_evolve_raw(t, raw)
    if not text:
        return Type(Kind.UNKNOWN if dialect != "sqlite" else Kind.BINARY, raw="")
    if text.endswith("[]") or re.search(r"\barray\b", text):
        return Type(Kind.UNKNOWN, raw=raw)
    name, args_text, unsigned = _name_and_args(raw)
    if domains and name in domains:
        base = parse_type(domains[name], dialect, enums, None)
        return Type(base.kind, raw=raw, bits=base.bits, unsigned=base.unsigned,
                    length=base.length, fixed=base.fixed, precision=base.precision,
                    scale=base.scale, timezone=base.timezone, values=base.values)
    if enums and name in enums:
        return Type(Kind.ENUM, raw=raw, values=enums[name])
    table = TYPE_MAP.get(dialect, COMMON)
    kind = table.get(name)
    if kind is None:
        # "timestamp(0) without time zone" leaves words around the args
        kind = table.get(name.replace(" ", ""))
    if kind is None:
        if dialect == "sqlite":
            kind = _affinity(name)
        else:
            return Type(Kind.UNKNOWN, raw=raw)
    return _refine(kind, name, raw, args_text, unsigned, dialect)


def _refine(kind: Kind, name: str, raw: str, args_text: str, unsigned: bool,
            dialect: str) -> Type:
    args = _split_args(args_text)
    nums = [_int(a) for a in args]
    first = nums[0] if nums else None
    if kind is Kind.INTEGER:
        if name in ("tinyint", "int1") and first == 1 and dialect in ("mysql", "sqlite"):
            return Type(Kind.BOOLEAN, raw=raw)
        if name == "bit":
            return Type(Kind.BOOLEAN, raw=raw) if first in (None, 1) else Type(
                Kind.INTEGER, raw=raw, bits=first, unsigned=True)
        bits = _INT.get(name)
        if dialect == "sqlite" and name in ("int", "integer"):
            bits = None  # SQLite integers have no declared width
        return Type(Kind.INTEGER, raw=raw, bits=bits, unsigned=unsigned)
    if kind is Kind.DECIMAL:
        return Type(Kind.DECIMAL, raw=raw, precision=first,
                    scale=(nums[1] if len(nums) > 1 else (0 if first is not None else None)),
                    unsigned=unsigned)
    if kind is Kind.FLOAT:
        return Type(Kind.FLOAT, raw=raw, precision=first, unsigned=unsigned)
    if kind is Kind.STRING:
        fixed = name in ("char", "character", "nchar", "native character", "national char",
                         "national character")
        length = first if first is not None else (1 if fixed and dialect != "sqlite" else None)
        if fixed and length == 36:
            return Type(Kind.UUID, raw=raw, length=36, fixed=True)
        return Type(Kind.STRING, raw=raw, length=length, fixed=fixed)
    if kind is Kind.BINARY:
        return Type(Kind.BINARY, raw=raw, length=first, fixed=name == "binary")
    if kind in (Kind.TIME, Kind.DATETIME):
        return Type(kind, raw=raw, precision=first, timezone=name in _TZ_NAMES)
    if kind is Kind.ENUM:
        return Type(Kind.ENUM, raw=raw, values=_quoted_values(args_text), multiple=name == "set")
    return Type(kind, raw=raw)
