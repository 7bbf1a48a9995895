"""Give every relation end a unique, readable, deterministic stem.

Before: ``messages.sender_id`` and ``messages.recipient_id`` both -> ``users``:
two inverse stems ``messages`` on users.
After:  ``sender_messages`` and ``recipient_messages``.

Per table, ends are named in a fixed order -- belongsTo / morphTo (named after
their own column, so most stable) first, then many-to-many, then inverses,
then through relations -- each end taking its natural stem when it is free.
A stem is taken when another end of the table has it, when it equals a
column (``camel(stem)`` or a one-word stem), or when it is reserved
(:mod:`compiler.passes.reserved`).  A taken stem is qualified, in order:

1. an inverse whose FK column is role-named: ``<role>_<stem>`` (``owner_servers``);
2. any end with an FK column: ``<stem>_by_<column stem>`` (``server_by_allocation``);
3. ``<stem>_<singular related table>`` (``author_user`` beside an ``author`` column);
4. ``<stem>_2``, ``<stem>_3``, ...

User overrides (``relation_names``: ``"table.stem"`` or ``"table.column"`` -> stem)
are applied first and never renamed.
"""

from __future__ import annotations

import attrs

from ir.naming import camel
from compiler.options import AnalysisOptions
from compiler.passes.reserved import RESERVED_LOWER
from compiler.passes.stems import column_stem, singular_snake
from ir.model import Schema
from ir.relations import Relation, RelationKind

_OWN = (RelationKind.MANY_TO_ONE, RelationKind.ONE_TO_ONE, RelationKind.MORPH_TO)
_PRIORITY = {"own": 0, "m2m": 1, "inverse": 2, "through": 3}


def ends(r: Relation) -> list[tuple[str, str, str]]:
    """[(table, side, class)] of the named ends of ``r``; side is 'name' or 'inverse'."""
    out = []
    if r.name is not None:
        cls = "own" if r.kind in _OWN else "through" if r.through else "m2m"
        out.append((r.table, "name", cls))
    if r.inverse_name is not None and r.ref_table is not None:
        cls = "m2m" if r.kind is RelationKind.MANY_TO_MANY else "inverse"
        out.append((r.ref_table, "inverse", cls))
    return out


def _taken(stem: str, columns: set[str], used: set[str]) -> bool:
    c = camel(stem)
    return (stem in used or c in columns or ("_" not in stem and stem in columns)
            or c.lower() in RESERVED_LOWER or stem.lower() in RESERVED_LOWER)


def _alternatives(r: Relation, side: str, stem: str, schema: Schema) -> list[str]:
    alts = []
    col = column_stem(r.columns[0]) if r.columns and r.kind in _OWN else None
    parent = singular_snake(r.ref_table) if r.ref_table else None
    if side == "inverse" and col and col != parent:
        alts.append(f"{col}_{stem}")
    if col:
        alts.append(f"{stem}_by_{col}")
    other = r.ref_table if side == "name" else r.table
    if other:
        alts.append(f"{stem}_{singular_snake(other)}")
    return alts + [f"{stem}_{i}" for i in range(2, 100)]


def _unconventional(r: Relation, side: str) -> int:
    """0 when an inverse end rests on the conventional column (``user_id`` for users):
    it gets the plain stem before role-named siblings (``owner_id``)."""
    if side != "inverse" or r.kind not in _OWN or len(r.columns) != 1 or not r.ref_table:
        return 0
    return int(column_stem(r.columns[0]) != singular_snake(r.ref_table))


def _override(r: Relation, side: str, table: str, stem: str,
              options: AnalysisOptions) -> str | None:
    keys = [f"{table}.{stem}"]
    if side == "name" and r.kind in _OWN and len(r.columns) == 1:
        keys.insert(0, f"{table}.{r.columns[0]}")
    return next((options.relation_names[k] for k in keys if k in options.relation_names), None)


def name_relations(schema: Schema, options: AnalysisOptions = AnalysisOptions()) -> Schema:
    rels = list(schema.relations)
    slots = sorted(((t, _PRIORITY[cls], _unconventional(r, side), i, side)
                    for i, r in enumerate(rels) for t, side, cls in ends(r)))
    used: dict[str, set[str]] = {}
    names: dict[tuple[int, str], str] = {}
    fixed = []
    for table, _prio, _conv, i, side in slots:
        stem = getattr(rels[i], side + "_name" if side == "inverse" else "name")
        new = _override(rels[i], side, table, stem, options)
        if new is not None:
            names[(i, side)] = new
            used.setdefault(table, set()).add(new)
            fixed.append((i, side))
    for table, _prio, _conv, i, side in slots:
        if (i, side) in names:
            continue
        r = rels[i]
        t = schema.table(table)
        columns = set(t.column_names) if t else set()
        taken = used.setdefault(table, set())
        stem = r.inverse_name if side == "inverse" else r.name
        if _taken(stem, columns, taken):
            stem = next(a for a in _alternatives(r, side, stem, schema)
                        if not _taken(a, columns, taken))
        taken.add(stem)
        names[(i, side)] = stem
    out = []
    for i, r in enumerate(rels):
        out.append(attrs.evolve(r, name=names.get((i, "name"), r.name),
                                inverse_name=names.get((i, "inverse"), r.inverse_name)))
    return attrs.evolve(schema, relations=tuple(sorted(out, key=Relation.sort_key)))
