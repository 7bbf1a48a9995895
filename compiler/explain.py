"""``schemac explain``: what the passes inferred for a table or column, and why not.

Reads the compiled schema (facts carry their provenance) and re-asks the
relation rules about columns that look like keys but got no relation, so the
"why not" answer is the rule's own reason, not a second implementation.
"""

from __future__ import annotations

from compiler.options import AnalysisOptions
from compiler.passes.foreign_keys import TableIndex, resolve_column
from compiler.passes.naming import ends
from compiler.passes.pivots import classify
from ir.model import Column, Schema, Table
from ir.relations import Relation, RelationKind
from ir.rules import Provenance


class ExplainError(Exception):
    """The table or column is not in the schema (one line)."""


def _prov(p: Provenance | None) -> str:
    if p is None:
        return ""
    basis = f" on {', '.join(p.basis)}" if p.basis else ""
    return f"[{p.origin.value}: {p.rule}{basis}]"


_INVERSE = {RelationKind.MANY_TO_ONE: "one_to_many", RelationKind.ONE_TO_ONE: "one_to_one",
            RelationKind.MANY_TO_MANY: "many_to_many", RelationKind.MORPH_MANY: "morph_many",
            RelationKind.MORPH_ONE: "morph_one", RelationKind.MORPH_TO_MANY: "morphed_by_many"}


def _relation_line(r: Relation, table: str) -> str:
    keys = ", ".join(r.columns)
    if r.pivot:
        keys = f"via {r.pivot.table}({', '.join(r.pivot.columns + r.pivot.ref_columns)})"
    elif r.morph:
        keys = f"{r.morph.type_column} + {r.morph.id_column}"
    lines = []
    for t, side, _cls in ends(r):
        if t != table:
            continue
        other = r.ref_table if side == "name" else r.table
        name = r.name if side == "name" else r.inverse_name
        kind = _INVERSE.get(r.kind, r.kind.value + " (inverse)") if side == "inverse" \
            else r.kind.value
        lines.append(f"  {name}: {kind} -> {other} ({keys}) {_prov(r.provenance)}")
    return "\n".join(lines)


def _key_like(col: Column) -> bool:
    return col.name.lower().endswith(("_id", "_uuid", "_by")) or col.name.endswith("Id")


def _why_not(schema: Schema, table: Table, options: AnalysisOptions,
             only: str | None = None) -> list[str]:
    related = {c for r in schema.relations if r.table == table.name for c in r.columns}
    related |= {c for r in schema.relations if r.pivot and r.pivot.table == table.name
                for c in r.pivot.columns + r.pivot.ref_columns}
    related |= {r.morph.type_column for r in schema.relations
                if r.morph and r.table == table.name}
    idx = TableIndex(schema)
    out = []
    for col in table.columns:
        if (only and col.name != only) or col.name in related or not _key_like(col):
            continue
        res = resolve_column(idx, table, col, options)
        reason = res.reason if res.target is None else (
            f"{res.reason} was found, but the relation was dropped (a table without a model)")
        out.append(f"  {col.name}: no relation: {reason}")
    return out


def _pivot_note(schema: Schema, table: Table) -> list[str]:
    edges = [r for r in schema.relations if r.table == table.name
             and r.kind in (RelationKind.MANY_TO_ONE, RelationKind.ONE_TO_ONE)]
    if len(edges) != 2 or (table.conventions and table.conventions.pivot):
        return []
    if classify(schema, table, edges) is None:
        return ["  not a pivot: two foreign keys, but they are not unique together, other "
                "columns exist, and the name does not join both tables' names"]
    return []


def explain_table(schema: Schema, name: str, options: AnalysisOptions) -> str:
    table = schema.table(name)
    if table is None:
        raise ExplainError(f"no table {name!r} in the schema")
    conv = table.conventions
    out = [f"table {table.name}"]
    if conv is not None:
        out.append(f"  model: {conv.model or '(none)'}"
                   + (" -- pivot" if conv.pivot else "") + (" -- framework table" if
                                                            conv.framework else ""))
        facts = [f"{k}={getattr(conv, k)}" for k in ("created_at", "updated_at", "deleted_at",
                                                     "key_type", "key_format", "incrementing",
                                                     "remember_token") if getattr(conv, k)]
        out.append("  conventions: " + (", ".join(facts) or "none"))
        out += [f"    {_prov(p)}" for p in conv.provenance]
    out.append("relations:")
    lines = [_relation_line(r, table.name) for r in schema.relations]
    out += [ln for ln in lines if ln] or ["  (none)"]
    via = [r for r in schema.relations if r.pivot and r.pivot.table == table.name]
    if via:
        out.append("pivot of:")
        out += [f"  {r.table}.{r.name} <-> {r.ref_table}.{r.inverse_name} ({r.kind.value}) "
                f"{_prov(r.provenance)}" for r in via]
    notes = _why_not(schema, table, options) + _pivot_note(schema, table)
    if notes:
        out.append("not inferred:")
        out += notes
    return "\n".join(out) + "\n"


def explain_column(schema: Schema, name: str, column: str, options: AnalysisOptions) -> str:
    table = schema.table(name)
    if table is None:
        raise ExplainError(f"no table {name!r} in the schema")
    col = table.column(column)
    if col is None:
        raise ExplainError(f"no column {column!r} in table {name!r}")
    out = [f"column {table.name}.{col.name}: {col.type.describe()} (source type "
           f"{col.type.raw or '-'}), {'nullable' if col.nullable else 'not null'}"]
    if col.cast:
        out.append(f"  cast: {col.cast.kind.value}"
                   + (f":{col.cast.arg}" if col.cast.arg else "") + f" {_prov(col.cast.provenance)}")
    for c in col.constraints:
        args = f" {', '.join(c.args)}" if c.args else ""
        out.append(f"  rule: {c.kind.value}{args} {_prov(c.provenance)}")
    rels = [r for r in schema.relations if r.table == table.name and column in r.columns]
    out += [ln for ln in (_relation_line(r, table.name) for r in rels) if ln]
    out += _why_not(schema, table, options, only=column)
    return "\n".join(out) + "\n"
