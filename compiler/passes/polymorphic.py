"""Polymorphic relations from ``<name>_type`` + ``<name>_id`` pairs.

Before: ``comments(commentable_type, commentable_id)``.
After:  ``Relation(morph_to, comments, morph=commentable, name="commentable")`` and,
for every parent known to appear in ``commentable_type``, ``Relation(morph_many,
comments -> posts, inverse_name="comments")`` (``morph_one`` when the pair is unique).

A table holding one pair plus exactly one foreign key and nothing else but
bookkeeping (``taggables(tag_id, taggable_type, taggable_id)``) is a
polymorphic pivot: ``morph_to_many`` edges from each known parent to the
related table (morphToMany / morphedByMany).

Which parents appear in a type column cannot be read from a schema: it comes
from ``morph_targets`` in the config, or from the type values the SQLite
frontend sampled from rows, mapped through ``morph_map`` or read as class names
(``App\\Models\\Post`` -> the table whose model is ``Post``).  Without either, only
the owning side (morphTo) is emitted, and a morph pivot keeps its model (as it
does when it has a surrogate ``id`` of its own).
"""

from __future__ import annotations

import attrs

from compiler.options import AnalysisOptions
from compiler.passes.pivots import _bookkeeping
from compiler.passes.stems import children_stem, module_prefixes, related_stem
from ir.model import Schema, Table
from ir.relations import Morph, Pivot, Relation, RelationKind
from ir.rules import Provenance


def _model_tables(schema: Schema) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in schema.tables:
        if t.conventions and t.conventions.model:
            out.setdefault(t.conventions.model.lower(), t.name)
    return out


def morph_targets(schema: Schema, table: Table, morph: str, options: AnalysisOptions,
                  models: dict[str, str] | None = None) -> list[tuple[str, str | None, str]]:
    """[(target table, type value or None, rule)] in a stable order.  ``models``
    (model name -> table, lower-cased) is passed in by callers that ask many times."""
    found: dict[str, tuple[str | None, str]] = {}
    aliases = {t: v for v, t in sorted(options.morph_map.items(), reverse=True)}
    for target in options.morph_targets.get(f"{table.name}.{morph}", ()):
        t = schema.table(target)
        if t is not None:
            # what Laravel stores in the type column: the morph-map alias, else the class
            model = t.conventions.model if t.conventions else None
            value = aliases.get(target) or (f"{options.model_namespace}\\{model}"
                                            if model else None)
            found.setdefault(target, (value, "morph-config"))
    col = table.column(f"{morph}_type")
    if models is None and col is not None and col.samples:
        models = _model_tables(schema)
    for value in col.samples if col is not None else ():
        target = options.morph_map.get(value)
        if target is None:
            base = value.replace("/", "\\").rsplit("\\", 1)[-1]
            target = models.get(base.lower()) or models.get(base.replace("_", "").lower())
            if target is None and schema.table(value) is not None:
                target = value
        if target is not None and schema.table(target) is not None:
            found.setdefault(target, (value, "morph-sampled"))
    return [(t, v, r) for t, (v, r) in sorted(found.items())]


def _unique_pair(table: Table, morph: str) -> bool:
    pair = {f"{morph}_type", f"{morph}_id"}
    return any(set(s) == pair for s in table.unique_column_sets())


def _morph_pivot(table: Table, morph: str, edges: list[Relation]) -> Relation | None:
    """``edges``: the table's own many-to-one / one-to-one edges."""
    pair = {f"{morph}_type", f"{morph}_id"}
    fks = [e for e in edges if not set(e.columns) & pair]
    if len(fks) != 1 or len(fks[0].columns) != 1:
        return None
    rest = set(table.column_names) - _bookkeeping(table) - pair - set(fks[0].columns)
    return fks[0] if not rest else None


def _surrogate_id(table: Table) -> bool:
    """A morph pivot with its own ``id`` is addressed row by row (activity subjects,
    audit entries): it keeps its model and owning edges beside the morphToMany."""
    pk = table.primary_key
    return pk is not None and pk.columns == ("id",)


def _plain(schema, table, morph, options, modules, models) -> list[Relation]:
    m = Morph(morph, f"{morph}_type", f"{morph}_id")
    rels = [Relation(RelationKind.MORPH_TO, table.name, (m.id_column,), None, (),
                     name=morph, morph=m,
                     provenance=Provenance("inferred", "morph-pair", (m.type_column, m.id_column)))]
    one = _unique_pair(table, morph)
    for target, value, rule in morph_targets(schema, table, morph, options, models):
        ref = schema.table(target)
        key = ref.primary_key.columns if ref.primary_key else ("id",)
        rels.append(Relation(
            RelationKind.MORPH_ONE if one else RelationKind.MORPH_MANY, table.name,
            (m.id_column,), target, key, name=None,
            inverse_name=children_stem(table.name, target, one, modules),
            morph=attrs.evolve(m, type_value=value),
            provenance=Provenance("inferred", rule, (m.type_column, m.id_column))))
    return rels


def _pivoted(schema, table, morph, fk, options, modules, models) -> list[Relation]:
    m = Morph(morph, f"{morph}_type", f"{morph}_id")
    rels = []
    for target, value, rule in morph_targets(schema, table, morph, options, models):
        ref = schema.table(target)
        key = ref.primary_key.columns if ref.primary_key else ("id",)
        pivot = Pivot(table.name, (m.id_column,), fk.columns,
                      timestamps=bool(table.conventions and table.conventions.created_at))
        rels.append(Relation(
            RelationKind.MORPH_TO_MANY, target, key, fk.ref_table, fk.ref_columns,
            name=related_stem(fk.ref_table, target, modules),
            inverse_name=related_stem(target, fk.ref_table, modules), pivot=pivot,
            morph=attrs.evolve(m, type_value=value),
            provenance=Provenance("inferred", "morph-pivot", (table.name, m.type_column,
                                                              m.id_column) + fk.columns)))
    return rels


def infer_morphs(schema: Schema, options: AnalysisOptions = AnalysisOptions()) -> Schema:
    if "morph" in options.rules_off:
        return schema
    relations = list(schema.relations)
    tables = {t.name: t for t in schema.tables}
    modules = module_prefixes(tables)
    models = _model_tables(schema)
    own: dict[str, list[Relation]] = {}
    for r in relations:
        if r.kind in (RelationKind.MANY_TO_ONE, RelationKind.ONE_TO_ONE):
            own.setdefault(r.table, []).append(r)
    dropped: set[int] = set()
    for table in schema.tables:
        conv = table.conventions
        if conv is None or conv.framework or table.name in options.ignore_tables:
            continue
        for morph in conv.morphs:
            fk = _morph_pivot(table, morph, own.get(table.name, []))
            pivoted = _pivoted(schema, table, morph, fk, options, modules, models) if fk else []
            if pivoted:
                relations += pivoted
            if pivoted and not _surrogate_id(table):
                tables[table.name] = attrs.evolve(
                    table, conventions=attrs.evolve(conv, pivot=True, model=None))
                dropped.add(id(fk))
            else:
                relations += _plain(schema, table, morph, options, modules, models)
    relations = [r for r in relations if id(r) not in dropped]
    return attrs.evolve(schema, tables=tuple(tables[t.name] for t in schema.tables),
                        relations=tuple(sorted(relations, key=Relation.sort_key)))
