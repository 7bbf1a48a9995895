"""Derived per-column and per-table facts: casts, validation constraints, conventions.

All ORM-neutral: a cast is a *kind* (``boolean``, ``decimal`` with 2 places,
``enum``), a constraint a *kind* with arguments (``max_length`` 255, ``exists``
users.id).  Backends render them in their own idiom (Laravel cast strings and
rule strings, SQLAlchemy types).  Every derived fact carries its
:class:`Provenance`: the rule that fired and what it rests on.
"""

from __future__ import annotations

import enum

import attrs


class Origin(enum.StrEnum):
    DECLARED = "declared"   # said by the schema itself (a FOREIGN KEY, a CHECK)
    INFERRED = "inferred"   # derived from naming or shape by a rule
    CONFIG = "config"       # said by the user's configuration


@attrs.frozen
class Provenance:
    """Why a fact holds: ``rule`` is a stable rule id (``fk-declared``,
    ``fk-by-name``, ``pivot``...), ``basis`` the columns/keys it rests on."""

    origin: Origin = attrs.field(converter=Origin)
    rule: str
    basis: tuple[str, ...] = attrs.field(default=(), converter=tuple)


class CastKind(enum.StrEnum):
    BOOLEAN = "boolean"
    INTEGER = "integer"
    FLOAT = "float"
    DECIMAL = "decimal"      # arg: number of places
    STRING = "string"
    DATE = "date"
    DATETIME = "datetime"
    TIMESTAMP = "timestamp"
    JSON = "json"
    ENUM = "enum"            # arg: enum type name stem
    PASSWORD = "password"    # hashed on write where the target supports it
    ENCRYPTED = "encrypted"


@attrs.frozen
class Cast:
    kind: CastKind = attrs.field(converter=CastKind)
    arg: str | None = None
    provenance: Provenance | None = None


class ConstraintKind(enum.StrEnum):
    REQUIRED = "required"
    NULLABLE = "nullable"
    TYPE = "type"            # args: (logical kind,) e.g. ("integer",), ("string",)
    MAX_LENGTH = "max_length"
    MIN = "min"
    MAX = "max"
    IN = "in"                # args: allowed values
    UNIQUE = "unique"        # args: (table, column...) ; ignore self on update
    EXISTS = "exists"        # args: (table, column)
    FORMAT = "format"        # args: (email|url|uuid|ip|ulid,)
    DATE = "date"


@attrs.frozen
class Constraint:
    kind: ConstraintKind = attrs.field(converter=ConstraintKind)
    args: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    provenance: Provenance | None = None


@attrs.frozen
class TableConventions:
    """What a table means to an ORM: filled in by the conventions pass.

    ``model`` is the neutral model-name stem (``Post``) or None when the table
    gets no model (framework tables, pure pivots, ignored tables).
    """

    model: str | None = None
    framework: bool = False
    pivot: bool = False
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None
    key: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    key_type: str | None = None          # "int" | "string" | None (no key)
    key_format: str | None = None        # "uuid" | "ulid" | None
    incrementing: bool = False
    remember_token: str | None = None
    morphs: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    provenance: tuple[Provenance, ...] = attrs.field(default=(), converter=tuple)
