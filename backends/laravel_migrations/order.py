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
    """Order ``tables``; only references between them count (others are outside)."""
    names = {t.name for t in tables}
    needs = {t.name: {fk.ref_table for fk in t.foreign_keys
                      if fk.ref_table in names and fk.ref_table != t.name}
             for t in tables}
    done: set[str] = set()
    ordered: list[Table] = []
    deferred: dict[str, tuple[ForeignKey, ...]] = {}
    remaining = list(tables)
    while remaining:
        ready = next((t for t in remaining if needs[t.name] <= done), None)
        if ready is None:
            # A cycle: create the earliest table now, add its forward FKs later.
            ready = remaining[0]
            late = tuple(fk for fk in ready.foreign_keys
                         if fk.ref_table in names and fk.ref_table != ready.name
                         and fk.ref_table not in done)
            deferred[ready.name] = late
        ordered.append(ready)
        done.add(ready.name)
        remaining.remove(ready)
    return Plan(tuple(ordered), deferred)
