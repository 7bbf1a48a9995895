"""Relation edges derived by the passes, ORM-neutral, one object per edge.

An edge is stored from the side that holds the keys (``table``) and names both
ends: ``name`` is the method/attribute stem on ``table``, ``inverse_name`` the
stem on ``ref_table`` (None when that side gets nothing).

====================  ===========================  ==============================
kind                  ``table`` side (``name``)    ``ref_table`` side (``inverse_name``)
====================  ===========================  ==============================
many_to_one           belongsTo parent             hasMany children
one_to_one            belongsTo parent             hasOne child
many_to_many          belongsToMany (via pivot)    belongsToMany (via pivot)
morph_to              morphTo (ref_table None)     --
morph_many/morph_one  -- (covered by morph_to)     morphMany / morphOne child
morph_to_many         morphToMany related          morphedByMany owner
has_many_through      hasManyThrough (config)      --
has_one_through       hasOneThrough (config)       --
====================  ===========================  ==============================

Stems are neutral (``author``, ``posts``); backends format and de-collide them.
"""

from __future__ import annotations

import enum

import attrs

from ir.rules import Provenance


class RelationKind(enum.StrEnum):
    MANY_TO_ONE = "many_to_one"
    ONE_TO_ONE = "one_to_one"
    MANY_TO_MANY = "many_to_many"
    MORPH_TO = "morph_to"
    MORPH_MANY = "morph_many"
    MORPH_ONE = "morph_one"
    MORPH_TO_MANY = "morph_to_many"
    HAS_MANY_THROUGH = "has_many_through"
    HAS_ONE_THROUGH = "has_one_through"


@attrs.frozen
class Pivot:
    """The pivot table of a many-to-many edge.

    ``columns`` point at ``Relation.table``'s key, ``ref_columns`` at
    ``Relation.ref_table``'s; ``extra`` are data columns (``withPivot``);
    ``timestamps`` when it carries created_at/updated_at; ``entity`` when it
    also deserves a model of its own (it carries data)."""

    table: str
    columns: tuple[str, ...] = attrs.field(converter=tuple)
    ref_columns: tuple[str, ...] = attrs.field(converter=tuple)
    extra: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    timestamps: bool = False
    entity: bool = False


@attrs.frozen
class Morph:
    """A polymorphic pair ``<name>_type`` + ``<name>_id``."""

    name: str
    type_column: str
    id_column: str
    type_value: str | None = None   # the value stored in type_column for ref_table, if known


@attrs.frozen
class Through:
    table: str
    first_key: str      # on the through table, pointing at ``Relation.table``
    second_key: str     # on the related table, pointing at the through table


@attrs.frozen
class Relation:
    kind: RelationKind = attrs.field(converter=RelationKind)
    table: str
    columns: tuple[str, ...] = attrs.field(converter=tuple)
    ref_table: str | None
    ref_columns: tuple[str, ...] = attrs.field(converter=tuple)
    name: str | None = None
    inverse_name: str | None = None
    pivot: Pivot | None = None
    morph: Morph | None = None
    through: Through | None = None
    provenance: Provenance | None = None

    def sort_key(self) -> tuple:
        return (self.table, self.kind.value, self.ref_table or "", self.columns,
                self.pivot.table if self.pivot else "", self.name or "")
