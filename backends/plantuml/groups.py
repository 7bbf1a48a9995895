"""Which tables go together: packages (config or shared name prefix) and focus neighbourhoods."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ir.model import Schema
from ir.relations import RelationKind as K

OTHER = "other"   # the group of tables in no package, in split views


def packages(tables: Iterable[str], configured: Mapping[str, list[str]],
             min_tables: int) -> dict[str, str]:
    """Table -> package name.  Configured packages win (first listed); otherwise the
    first ``_``-separated word of the name when at least ``min_tables`` tables share
    it (``shop_orders``, ``shop_products``, ``shop_brands`` -> ``shop``)."""
    names = list(tables)
    chosen: dict[str, str] = {}
    for pkg in sorted(configured):
        for t in configured[pkg]:
            chosen.setdefault(t, pkg)
    prefix = {t: t.split("_", 1)[0] for t in names if t not in chosen}
    counts = Counter(prefix.values())
    for t, p in prefix.items():
        if p and counts[p] >= min_tables:
            chosen[t] = p
    return {t: chosen[t] for t in names if t in chosen}


def split(tables: list[str], pkg_of: Mapping[str, str], limit: int) -> dict[str, list[str]]:
    """Groups of at most ``limit`` tables: each package (tables without one in
    :data:`OTHER`), an oversized group cut into ``name-1``, ``name-2``... in order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for t in tables:
        groups[pkg_of.get(t, OTHER)].append(t)
    out: dict[str, list[str]] = {}
    for name in sorted(groups):
        members = groups[name]
        if len(members) <= limit:
            out[name] = members
            continue
        for i in range(0, len(members), limit):
            out[f"{name}-{i // limit + 1}"] = members[i:i + limit]
    return out


def neighbours(schema: Schema, within: set[str]) -> dict[str, set[str]]:
    """Undirected adjacency between tables of ``within`` through every relation."""
    adj: dict[str, set[str]] = defaultdict(set)
    for r in schema.relations:
        ends = [r.table, r.ref_table]
        if r.pivot is not None and r.pivot.table in within:
            ends.append(r.pivot.table)
        if r.through is not None and r.kind in (K.HAS_MANY_THROUGH, K.HAS_ONE_THROUGH):
            ends.append(r.through.table)
        present = [e for e in ends if e in within]
        for a in present:
            adj[a].update(b for b in present if b != a)
    return adj


def focus(adj: Mapping[str, set[str]], start: str, depth: int) -> set[str]:
    """``start`` and every table at most ``depth`` relation hops away."""
    seen, frontier = {start}, {start}
    for _ in range(max(depth, 0)):
        frontier = {n for t in frontier for n in adj.get(t, ())} - seen
        if not frontier:
            break
        seen |= frontier
    return seen
