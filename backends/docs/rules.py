"""IR facts rendered for readers: Laravel rule strings, cast names, relation calls and examples."""

from __future__ import annotations

from ir.model import Column
from ir.relations import Relation
from ir.relations import RelationKind as K
from ir.rules import Constraint, ConstraintKind

C = ConstraintKind
_TIME = {"time": "date_format:H:i:s"}
_SIMPLE = {C.REQUIRED: "required", C.NULLABLE: "nullable"}


def rule(c: Constraint) -> str:
    """One Laravel validation rule (``max:255``, ``exists:users,id``)."""
    a = c.args
    if c.kind in _SIMPLE:
        return _SIMPLE[c.kind]
    if c.kind is C.TYPE:
        return _TIME.get(a[0], a[0]) if a else "string"
    if c.kind in (C.MAX_LENGTH, C.MAX):
        return f"max:{a[0]}"
    if c.kind is C.MIN:
        return f"min:{a[0]}"
    if c.kind is C.IN:
        return "in:" + ",".join(a)
    if c.kind in (C.UNIQUE, C.EXISTS):
        return f"{c.kind.value}:" + ",".join(a)
    if c.kind is C.FORMAT:
        return a[0] if a else "string"
    if c.kind is C.DATE:
        return "date"
    return c.kind.value


def rules(column: Column) -> str:
    return "|".join(rule(c) for c in column.constraints)


def cast(column: Column) -> str:
    if column.cast is None:
        return ""
    return column.cast.kind.value + (f":{column.cast.arg}" if column.cast.arg else "")


# (relation kind, side) -> Eloquent call; side "name" = on Relation.table.
CALLS = {(K.MANY_TO_ONE, "name"): "belongsTo", (K.MANY_TO_ONE, "inverse"): "hasMany",
         (K.ONE_TO_ONE, "name"): "belongsTo", (K.ONE_TO_ONE, "inverse"): "hasOne",
         (K.MANY_TO_MANY, "name"): "belongsToMany", (K.MANY_TO_MANY, "inverse"): "belongsToMany",
         (K.MORPH_TO, "name"): "morphTo",
         (K.MORPH_MANY, "inverse"): "morphMany", (K.MORPH_ONE, "inverse"): "morphOne",
         (K.MORPH_TO_MANY, "name"): "morphToMany", (K.MORPH_TO_MANY, "inverse"): "morphedByMany",
         (K.HAS_MANY_THROUGH, "name"): "hasManyThrough",
         (K.HAS_ONE_THROUGH, "name"): "hasOneThrough"}
_MANY = {"hasMany", "belongsToMany", "morphMany", "morphToMany", "morphedByMany",
         "hasManyThrough"}


def keys(r: Relation, side: str) -> str:
    """The columns a relation rests on, as ``table.column`` text."""
    cols = ", ".join(f"{r.table}.{c}" for c in r.columns)
    refs = ", ".join(f"{r.ref_table}.{c}" for c in r.ref_columns)
    if r.kind is K.MORPH_TO and r.morph:
        return f"{r.table}.{r.morph.type_column} + {r.morph.id_column}"
    if r.pivot is not None:
        mine = ", ".join(r.pivot.columns if side == "name" else r.pivot.ref_columns)
        theirs = ", ".join(r.pivot.ref_columns if side == "name" else r.pivot.columns)
        return f"via {r.pivot.table}: {mine} -> {theirs}"
    if r.morph is not None:
        return f"{r.table}.{r.morph.type_column} + {r.morph.id_column} -> {refs}"
    if r.through is not None:
        return f"{r.through.table}.{r.through.first_key}, {r.ref_table}.{r.through.second_key}"
    return f"{cols} -> {refs}"


def provenance(r: Relation) -> str:
    p = r.provenance
    if p is None:
        return "declared"
    return f"{p.origin.value} ({p.rule})"


def example(var: str, method: str, call: str, related_var: str) -> str:
    """One line of PHP showing the relation in use."""
    this = f"${var}->{method}"
    if call == "belongsTo":
        return f"{this}()->associate(${related_var});"
    if call in ("belongsToMany", "morphToMany", "morphedByMany"):
        return f"{this}()->attach(${related_var}Id);"
    if call in ("hasMany", "hasOne", "morphMany", "morphOne"):
        return f"{this}()->create([...]);"
    return f"{this};"     # morphTo, has*Through: read only
