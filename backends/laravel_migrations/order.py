"""Migration order: tables topologically sorted by foreign keys, cycles broken by late FKs.

A table's create migration must run after the tables it references (MySQL and
PostgreSQL check a foreign key's target when it is declared).  Ties keep source
order, so the order, and with it every file name, is stable across runs.  When
only tables on a cycle remain, the earliest one in source order is created
anyway and its foreign keys to tables not created yet are *deferred*: they go
to an ``add_foreign_keys_to_<table>_table`` migration after all creates.  A
self-reference never defers: it is fine inside one ``CREATE TABLE``.
"""

from __future__ import annotations

import attrs

from ir.model import ForeignKey, Table


@attrs.frozen
class Plan:
    """Tables in creation order, and per table the foreign keys added later."""

    tables: tuple[Table, ...]
    deferred: dict[str, tuple[ForeignKey, ...]] = attrs.field(factory=dict)


def plan_order(tables: list[Table]) -> Plan:
    """Order ``tables``; only references between them count (others are outside).

    Tables on a common cycle form one strongly connected component; components
    are created in dependency order (ties: earliest table in source order) and
    only FKs *inside* a component are ever deferred, so a table that merely
    depends on a cycle waits for it instead of losing its keys."""
    index = {t.name: n for n, t in enumerate(tables)}
    needs = {t.name: {fk.ref_table for fk in t.foreign_keys
                      if fk.ref_table in index and fk.ref_table != t.name}
             for t in tables}
    comp = _components(tables, needs)
    done: set[str] = set()
    ordered: list[Table] = []
    deferred: dict[str, tuple[ForeignKey, ...]] = {}
    remaining = sorted({c for c in comp.values()}, key=min)
    while remaining:
        group = next(g for g in remaining
                     if all(r in done or comp[r] == g for n in g for r in needs[tables[n].name]))
        remaining.remove(group)
        members = [tables[n] for n in sorted(group)]
        while members:
            ready = next((t for t in members if needs[t.name] <= done), None)
            if ready is None:
                ready = members[0]  # on the cycle: create it, add its forward FKs later
                deferred[ready.name] = tuple(
                    fk for fk in ready.foreign_keys if fk.ref_table in index
                    and fk.ref_table != ready.name and fk.ref_table not in done)
            ordered.append(ready)
            done.add(ready.name)
            members.remove(ready)
    return Plan(tuple(ordered), deferred)


def _components(tables: list[Table], needs: dict[str, set[str]]) -> dict[str, frozenset[int]]:
    """Strongly connected components (Tarjan), as sets of source positions."""
    index = {t.name: n for n, t in enumerate(tables)}
    low: dict[str, int] = {}
    num: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: dict[str, frozenset[int]] = {}

    def visit(v: str) -> None:
        num[v] = low[v] = len(num)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(needs[v], key=index.__getitem__):
            if w not in num:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], num[w])
        if low[v] == num[v]:
            members = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                members.append(index[w])
                if w == v:
                    break
            group = frozenset(members)
            for m in members:
                out[tables[m].name] = group

    for t in tables:
        if t.name not in num:
            visit(t.name)
    return out
