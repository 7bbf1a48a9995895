"""Many-to-many through pivot tables.

Before: ``post_tag(post_id, tag_id)`` with two many-to-one edges.
After:  ``Relation(many_to_many, posts <-> tags, pivot=Pivot("post_tag", ...),
name="tags", inverse_name="posts")``; ``post_tag`` gets no model and its own
edges are dropped (they live on in the pivot).

A table is a pivot when it has exactly two foreign keys (declared or inferred)
to tables with models and either

1. those key columns form its primary key or a unique key, or
2. apart from bookkeeping columns (a surrogate ``id``, timestamps,
   ``deleted_at``) they are its only columns, or
3. its name is the two tables' names joined (``post_tag``, ``tag_post``,
   ``shop_category_product``: any order, singular or plural) -- then extra
   columns are allowed.

Other columns become ``Pivot.extra`` (``withPivot``) and make the pivot an
entity too, so its model and many-to-one edges stay.  Peers are stricter:
reliese wants both names in the table name, krlove exactly two columns,
sqlacodegen two FKs covering every column.
"""

from __future__ import annotations

import attrs

from compiler.options import AnalysisOptions
from compiler.passes.stems import (column_stem, module_prefixes, plural_snake, related_stem,
                                   singular_snake, snake_name)
from ir.model import Schema, Table
from ir.relations import Pivot, Relation, RelationKind
from ir.rules import Provenance, TableConventions

_BOOKKEEPING = ("created_at", "updated_at", "deleted_at")


def _bookkeeping(table: Table) -> set[str]:
    cols = set(_BOOKKEEPING)
    conv = table.conventions
    if conv:
        cols |= {c for c in (conv.created_at, conv.updated_at, conv.deleted_at) if c}
    pk = table.primary_key
    if pk and len(pk.columns) == 1 and pk.columns[0] == "id":
        cols.add("id")
    return cols


def _name_match(table: str, a: str, b: str) -> bool:
    name = snake_name(table)
    forms_a = {snake_name(a), singular_snake(a)}
    forms_b = {snake_name(b), singular_snake(b)}
    return any(name in (f"{x}_{y}", f"{y}_{x}") for x in forms_a for y in forms_b)


def _has_model(schema: Schema, name: str) -> bool:
    t = schema.table(name)
    return t is not None and t.conventions is not None and t.conventions.model is not None


def classify(schema: Schema, table: Table, edges: list[Relation]) -> tuple[str, str] | None:
    """(rule, reason) when ``table`` is a pivot over its two ``edges``, else None."""
    if len(edges) != 2 or any(len(e.columns) != 1 for e in edges):
        return None
    if not all(_has_model(schema, e.ref_table) for e in edges):
        return None
    keys = {edges[0].columns[0], edges[1].columns[0]}
    if len(keys) != 2:
        return None
    if any(set(s) == keys for s in table.unique_column_sets()):
        return "pivot-by-key", "the two key columns are unique together"
    rest = set(table.column_names) - _bookkeeping(table)
    if rest == keys:
        return "pivot-by-shape", "no columns besides the two keys and bookkeeping"
    if _name_match(table.name, edges[0].ref_table, edges[1].ref_table):
        return "pivot-by-name", "named after both tables"
    return None


def _m2m(schema: Schema, table: Table, edges: list[Relation], rule: str,
         modules: frozenset[str]) -> Relation:
    a, b = sorted(edges, key=lambda e: (e.ref_table, e.columns))
    extra = tuple(c for c in table.column_names
                  if c not in _bookkeeping(table) and c not in (a.columns + b.columns))
    conv = table.conventions
    stamps = bool(conv and conv.created_at and conv.updated_at)
    pivot = Pivot(table.name, a.columns, b.columns, extra, stamps, entity=bool(extra))
    if a.ref_table == b.ref_table:  # self many-to-many: name by the columns
        name, inverse = plural_snake(column_stem(b.columns[0])), plural_snake(
            column_stem(a.columns[0]))
    else:
        name = related_stem(b.ref_table, a.ref_table, modules)
        inverse = related_stem(a.ref_table, b.ref_table, modules)
    return Relation(RelationKind.MANY_TO_MANY, a.ref_table, a.ref_columns, b.ref_table,
                    b.ref_columns, name=name, inverse_name=inverse, pivot=pivot,
                    provenance=Provenance("inferred", rule, (table.name,) + a.columns
                                          + b.columns))


def infer_pivots(schema: Schema, options: AnalysisOptions = AnalysisOptions()) -> Schema:
    if "pivot" in options.rules_off:
        return schema
    by_table: dict[str, list[Relation]] = {}
    for r in schema.relations:
        if r.kind in (RelationKind.MANY_TO_ONE, RelationKind.ONE_TO_ONE):
            by_table.setdefault(r.table, []).append(r)
    relations = list(schema.relations)
    tables = {t.name: t for t in schema.tables}
    modules = module_prefixes(tables)
    pure_edges: set[int] = set()
    for name, edges in sorted(by_table.items()):
        table = tables[name]
        if table.conventions and table.conventions.framework:
            continue
        hit = classify(schema, table, edges)
        if hit is None:
            continue
        m2m = _m2m(schema, table, edges, hit[0], modules)
        relations.append(m2m)
        pure = not m2m.pivot.entity
        conv = attrs.evolve(table.conventions or TableConventions(), pivot=True,
                            model=None if pure else (table.conventions or TableConventions()).model)
        tables[name] = attrs.evolve(table, conventions=conv)
        if pure:
            pure_edges |= {id(e) for e in edges}
    relations = [r for r in relations if id(r) not in pure_edges]
    return attrs.evolve(schema, tables=tuple(tables[t.name] for t in schema.tables),
                        relations=tuple(sorted(relations, key=Relation.sort_key)))
