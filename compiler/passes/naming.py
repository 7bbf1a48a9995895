"""Give every relation end a unique, readable, deterministic stem.

Before: ``messages.sender_id`` and ``messages.recipient_id`` both -> ``users``:
two inverse stems ``messages`` on users.
After:  ``sender_messages`` and ``recipient_messages``.

Per table, ends are named in a fixed order -- belongsTo / morphTo (named after
their own column, so most stable) first, then many-to-many, then inverses,
then through relations -- each end taking its natural stem when it is free.
A stem is taken when another end of the table has it, when it equals a
column (``camel(stem)`` or a one-word stem), or when it is reserved
(:mod:`compiler.passes.reserved`).  When one child table has several keys to one parent, every role-named key's
inverse is qualified up front: ``sender_messages`` and ``recipient_messages``
(a conventional ``user_id`` keeps plain ``messages``).  A stem that is still
taken is qualified, in order:

1. an inverse whose FK column is role-named: ``<role>_<stem>`` (``owner_servers``);
2. an inverse: the child's full table name (``team_users`` beside a many-to-many
   ``users``; ``user_posts`` beside ``posts``);
3. an end with an FK column: ``<stem>_by_<column stem>`` (``server_by_allocation``);
4. ``<stem>_<singular other table>`` (``author_user`` beside an ``author`` column);
5. ``<stem>_2``, ``<stem>_3``, ...

A stem equal to a column (``camel(stem)`` or the stem itself) is taken, except a
belongsTo named after its own non-``_id`` key column (``config_from`` ->
``configFrom()``, as Laravel developers write it).

User overrides (``relation_names``: ``"table.stem"`` or ``"table.column"`` -> stem)
are applied first and never renamed.
"""

from __future__ import annotations

from functools import lru_cache

import attrs

from ir.naming import camel
from compiler.options import AnalysisOptions
from compiler.passes._copy import evolve
from compiler.passes.reserved import RESERVED_LOWER
from compiler.passes.stems import column_stem, plural_snake, singular_snake, snake_name
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


def _taken(stem: str, columns: set[str], used: set[str], own: str | None = None) -> bool:
    """``own`` is the end's own FK column: ``config_from`` may name its belongsTo."""
    c, reserved = _camel_reserved(stem)
    clash = (c in columns or stem in columns) and stem != own
    return stem in used or clash or reserved


@lru_cache(maxsize=65536)
def _camel_reserved(stem: str) -> tuple[str, bool]:
    """``camel(stem)`` and whether either spelling is reserved (stems recur across tables)."""
    c = camel(stem)
    return c, c.lower() in RESERVED_LOWER or stem.lower() in RESERVED_LOWER


def _fk_stem(r: Relation) -> str | None:
    return column_stem(r.columns[0]) if len(r.columns) == 1 and r.kind in _OWN else None


def _alternatives(r: Relation, side: str, stem: str) -> list[str]:
    alts = []
    col = _fk_stem(r)
    parent = singular_snake(r.ref_table) if r.ref_table else None
    if side == "inverse" and col and col != parent:
        alts.append(f"{col}_{stem}")
    if side == "inverse" and r.kind in _OWN:
        child = snake_name(r.table)  # the full table name: team_users, user_posts
        alts.append(singular_snake(child) if r.kind is RelationKind.ONE_TO_ONE
                    else plural_snake(singular_snake(child)))
    if col and col != stem:
        alts.append(f"{stem}_by_{col}")
    other = r.ref_table if side == "name" else r.table
    if other:
        alts.append(f"{stem}_{singular_snake(other)}")
    return [a for a in alts if a != stem] + [f"{stem}_{i}" for i in range(2, 100)]


def _role_qualified(rels: list[Relation]) -> dict[int, str]:
    """Inverse stems qualified up front: when one child table has several keys to one
    parent, each role-named key gets ``<role>_<stem>`` (``sender_messages``,
    ``recipient_messages``); the conventional ``<parent>_id`` keeps the plain stem."""
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(rels):
        if r.kind in _OWN and r.ref_table and r.inverse_name and r.table != r.ref_table:
            groups.setdefault((r.table, r.ref_table), []).append(i)
    out = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            r = rels[i]
            col = _fk_stem(r)
            if col and col != singular_snake(r.ref_table):
                out[i] = f"{col}_{r.inverse_name}"
    return out


def _unconventional(r: Relation, side: str) -> int:
    """0 when an inverse end rests on the conventional column (``user_id`` for users):
    it gets the plain stem before role-named siblings (``owner_id``)."""
    if side != "inverse" or r.kind not in _OWN or len(r.columns) != 1 or not r.ref_table:
        return 0
    return int(column_stem(r.columns[0]) != singular_snake(r.ref_table))


def _override(r: Relation, side: str, table: str, stem: str,
              options: AnalysisOptions) -> tuple[str | None, str | None]:
    """(config key, new stem) when the user renamed this end."""
    keys = [f"{table}.{stem}"]
    if side == "name" and r.kind in _OWN and len(r.columns) == 1:
        keys.insert(0, f"{table}.{r.columns[0]}")
    key = next((k for k in keys if k in options.relation_names), None)
    return key, (options.relation_names[key] if key else None)


def _columns_of(schema: Schema, table: str, memo: dict[str, set[str]]) -> set[str]:
    """The table's column names, built once per table (not once per relation end)."""
    if table not in memo:
        t = schema.table(table)
        memo[table] = set(t.column_names) if t else set()
    return memo[table]


def name_relations(schema: Schema, options: AnalysisOptions = AnalysisOptions()) -> Schema:
    rels = list(schema.relations)
    qualified = _role_qualified(rels)
    slots = sorted(((t, _PRIORITY[cls], _unconventional(r, side), i, side)
                    for i, r in enumerate(rels) for t, side, cls in ends(r)))
    used: dict[str, set[str]] = {}
    names: dict[tuple[int, str], str] = {}
    applied: set[str] = set()
    column_sets: dict[str, set[str]] = {}
    renamed = slots if options.relation_names else ()  # no overrides: nothing to look up
    for table, _prio, _conv, i, side in renamed:  # user overrides first, each key once
        stem = rels[i].inverse_name if side == "inverse" else rels[i].name
        key, new = _override(rels[i], side, table, stem, options)
        if new is not None and key not in applied:
            applied.add(key)
            names[(i, side)] = new
            used.setdefault(table, set()).add(new)
    for table, _prio, _conv, i, side in slots:
        if (i, side) in names:
            continue
        r = rels[i]
        columns = column_sets.get(table)
        if columns is None:  # (inlined: one lookup per relation end, 33,000 at 10k tables)
            columns = _columns_of(schema, table, column_sets)
        taken = used.setdefault(table, set())
        stem = qualified.get(i, r.inverse_name) if side == "inverse" else r.name
        own = r.columns[0] if side == "name" and r.kind in _OWN and len(r.columns) == 1 \
            else None
        if _taken(stem, columns, taken, own):
            stem = next(a for a in _alternatives(r, side, stem)
                        if not _taken(a, columns, taken))
        taken.add(stem)
        names[(i, side)] = stem
    out = [_renamed(r, names.get((i, "name"), r.name), names.get((i, "inverse"), r.inverse_name))
           for i, r in enumerate(rels)]
    return attrs.evolve(schema, relations=tuple(sorted(out, key=Relation.sort_key)))


def _renamed(r: Relation, name: str | None, inverse_name: str | None) -> Relation:
    if name == r.name and inverse_name == r.inverse_name:
        return r  # most ends keep their natural stem: no copy
    return evolve(r, name=name, inverse_name=inverse_name)
