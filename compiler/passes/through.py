"""Has-many-through / has-one-through relations, from configuration only.

A through relation cannot be told from a schema (every chain of two foreign
keys would qualify), so it is added only when ``[tool.schemac] through`` names
it.  Keys default to Laravel's: ``<singular table>_id`` on the through table and
``<singular through>_id`` on the related table.
"""

from __future__ import annotations

import attrs

from compiler.options import AnalysisOptions
from compiler.passes.stems import singular_snake
from ir.diagnostics import config_error
from ir.model import Schema
from ir.relations import Relation, RelationKind, Through
from ir.rules import Provenance


def add_through_relations(schema: Schema,
                          options: AnalysisOptions = AnalysisOptions()) -> Schema:
    rels, diags = list(schema.relations), []
    for spec in options.through:
        first = spec.first_key or singular_snake(spec.table) + "_id"
        second = spec.second_key or singular_snake(spec.through) + "_id"
        missing = [n for n in (spec.table, spec.through, spec.related) if schema.table(n) is None]
        if missing:
            diags.append(config_error(f"through relation {spec.table}.{spec.name}: unknown table "
                                      + ", ".join(missing), table=spec.table))
            continue
        bad = [f"{t}.{c}" for t, c in ((spec.through, first), (spec.related, second))
               if schema.table(t).column(c) is None]
        if bad:
            diags.append(config_error(f"through relation {spec.table}.{spec.name}: unknown "
                                      "column " + ", ".join(bad), table=spec.table))
            continue
        kind = RelationKind.HAS_ONE_THROUGH if spec.one else RelationKind.HAS_MANY_THROUGH
        rels.append(Relation(kind, spec.table, (first,), spec.related, (second,),
                             name=spec.name, through=Through(spec.through, first, second),
                             provenance=Provenance("config", "through", (spec.through,))))
    return attrs.evolve(schema, relations=tuple(sorted(rels, key=Relation.sort_key)),
                        diagnostics=schema.diagnostics + tuple(diags))
