"""Compare inferred relations with a Laravel app's hand-written ones (the answer key).

Our ORM-neutral edges are expanded into Laravel relation ends
``(table, type, related_table, keys)`` with the key conventions of
``tests/fixtures/laravel/README.md``, then matched against the key.  A
hand-written ``hasOne(Related, 'id', 'related_id')`` -- a belongsTo spelt as
hasOne, common in legacy code -- counts as found when we infer the belongsTo
on the same column.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ir.model import Schema
from ir.relations import Relation, RelationKind as K


def laravel_ends(r: Relation) -> list[tuple]:
    """Laravel ends of one edge: (table, type, related, keys, name)."""
    if r.kind in (K.MANY_TO_ONE, K.ONE_TO_ONE):
        inv = "hasOne" if r.kind is K.ONE_TO_ONE else "hasMany"
        return [(r.table, "belongsTo", r.ref_table, tuple(r.columns), r.name),
                (r.ref_table, inv, r.table, tuple(r.columns), r.inverse_name)]
    if r.kind is K.MANY_TO_MANY:
        p = r.pivot
        return [(r.table, "belongsToMany", r.ref_table, p.columns + p.ref_columns, r.name),
                (r.ref_table, "belongsToMany", r.table, p.ref_columns + p.columns,
                 r.inverse_name)]
    if r.kind is K.MORPH_TO:
        return [(r.table, "morphTo", None, (r.morph.type_column, r.morph.id_column), r.name)]
    if r.kind in (K.MORPH_MANY, K.MORPH_ONE):
        t = "morphOne" if r.kind is K.MORPH_ONE else "morphMany"
        return [(r.ref_table, t, r.table, (r.morph.type_column, r.morph.id_column),
                 r.inverse_name)]
    if r.kind is K.MORPH_TO_MANY:
        p = r.pivot
        return [(r.table, "morphToMany", r.ref_table,
                 (r.morph.type_column, p.columns[0], p.ref_columns[0]), r.name),
                (r.ref_table, "morphedByMany", r.table,
                 (r.morph.type_column, p.ref_columns[0], p.columns[0]), r.inverse_name)]
    if r.kind in (K.HAS_MANY_THROUGH, K.HAS_ONE_THROUGH):
        t = "hasOneThrough" if r.kind is K.HAS_ONE_THROUGH else "hasManyThrough"
        return [(r.table, t, r.ref_table, (r.through.first_key, r.through.second_key), r.name)]
    return []


def load_key(path: Path) -> list[dict]:
    return json.loads(path.read_text())["relationships"]


def score(schema: Schema, key: list[dict]) -> dict:
    """Recall by relation type over the recoverable answers, plus name agreement."""
    ours = {}
    for r in schema.relations:
        for t, typ, rel, keys, name in laravel_ends(r):
            ours[(t, typ, rel, keys)] = name
    belongs = {(t, rel, keys[0]) for (t, typ, rel, keys) in ours if typ == "belongsTo"}
    total, found, named, missed = Counter(), Counter(), Counter(), []
    for a in key:
        if not a.get("recoverable", True):
            continue
        typ = a["type"]
        k = (a["table"], typ, a["related_table"], tuple(a["keys"] or ()))
        total[typ] += 1
        hit = k in ours
        if not hit and typ == "hasOne" and a["keys"] == ["id"]:
            table = schema.table(a["table"])
            hit = any((a["table"], a["related_table"], c) in belongs
                      for c in (table.column_names if table else ()))
        if hit:
            found[typ] += 1
            if ours.get(k) is not None and _camel(ours[k]) == a["name"]:
                named[typ] += 1
        else:
            missed.append(k)
    return {"total": total, "found": found, "named": named, "missed": missed}


def _camel(stem: str) -> str:
    head, *rest = stem.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def report(app: str, s: dict) -> str:
    lines = [f"{app}: recall {sum(s['found'].values())}/{sum(s['total'].values())}"
             f" ({100 * sum(s['found'].values()) / max(1, sum(s['total'].values())):.1f} %),"
             f" same method name {sum(s['named'].values())}"]
    for typ in sorted(s["total"]):
        lines.append(f"  {typ:15} {s['found'][typ]:3}/{s['total'][typ]:<3}"
                     f" named {s['named'][typ]}")
    lines += [f"  missed: {m}" for m in s["missed"]]
    return "\n".join(lines)
