"""Which diagrams a schema gets: whole views, package overviews and splits, focused models."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from backends._diagrams import model_files, model_names
from backends._safe import path_segment
from backends.plantuml import groups as g
from backends.plantuml.names import alias, text
from backends.plantuml.view import (
    Diagram,
    Facts,
    Node,
    arrange,
    class_edges,
    class_node,
    entity_node,
    facts_of,
    morph_nodes,
    table_edges,
)
from ir.model import Schema
from ir.relations import RelationKind as K


@attrs.frozen
class Planned:
    path: str            # relative to the target's ``path``
    diagram: Diagram
    tables: tuple[str, ...]


@attrs.frozen
class ViewKind:
    """What differs between the class view and the table view."""

    file: str                                            # classes | tables
    node: Callable[[str, bool, str | None], Node]        # (table, detailed, package)
    edges: Callable[[set[str], set[str] | None], list[str]]
    pairs: Callable[[], list[tuple[str, str]]]           # (table, ref_table) of every edge
    extra: Callable[[set[str]], list[Node]]              # placeholders (morphTo targets)


def _cached(facts: Facts, key: tuple, make: Callable[[], Any]) -> Any:
    """A value derived once per schema (a node is drawn in up to three diagrams)."""
    found = facts.cache.get(key)
    if found is None:
        facts.cache[key] = found = make()
    return found


def class_kind(facts: Facts) -> ViewKind:
    schema = facts.schema
    names = model_names(schema)

    def node(t: str, detailed: bool, package: str | None) -> Node:
        return _cached(facts, ("classes", t, detailed, package),
                       lambda: class_node(facts, facts.table(t), names[t], detailed, package))

    def pairs() -> list[tuple[str, str]]:
        return _cached(facts, ("classes", "pairs"), lambda: [
            (r.table, r.ref_table) for r in schema.relations
            if r.ref_table is not None and r.kind is not K.MORPH_TO])
    return ViewKind("classes", node, lambda inc, touch: class_edges(facts, inc, touch),
                    pairs, lambda inc: morph_nodes(facts, inc))


def table_kind(facts: Facts) -> ViewKind:
    schema = facts.schema

    def node(t: str, detailed: bool, package: str | None) -> Node:
        return _cached(facts, ("tables", t, detailed, package),
                       lambda: entity_node(facts, facts.table(t), detailed, package))

    def pairs() -> list[tuple[str, str]]:
        return _cached(facts, ("tables", "pairs"), lambda: [
            (t.name, f.ref_table) for t in schema.tables for f in t.foreign_keys])
    return ViewKind("tables", node, lambda inc, touch: table_edges(facts, inc, touch),
                    pairs, lambda inc: [])


def _linked(kind: ViewKind, facts: Facts) -> dict[str, set[str]]:
    """Table -> the tables an edge of ``kind`` joins it to (either direction)."""
    def make() -> dict[str, set[str]]:
        adj: dict[str, set[str]] = {}
        for a, b in kind.pairs():
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        return adj
    return _cached(facts, (kind.file, "linked"), make)


def whole(kind: ViewKind, tables: list[str], pkg_of: Mapping[str, str]) -> Planned:
    inc = set(tables)
    nodes = [kind.node(t, True, pkg_of.get(t)) for t in tables] + kind.extra(inc)
    d = attrs.evolve(arrange(nodes), edges=tuple(kind.edges(inc, None)))
    return Planned(f"{kind.file}.puml", d, tuple(tables))


def split_views(kind: ViewKind, tables: list[str], pkg_of: Mapping[str, str],
                limit: int, linked: Mapping[str, set[str]]) -> list[Planned]:
    """An overview of the groups (one box each, edges counted), then one diagram per
    group: its tables in full, their outside neighbours by name only."""
    groups = g.split(tables, pkg_of, limit)
    group_of = {t: name for name, members in groups.items() for t in members}
    counts = Counter((group_of[a], group_of[b]) for a, b in kind.pairs()
                     if a in group_of and b in group_of and group_of[a] != group_of[b])
    boxes = [Node(alias("P", name), text(f"{name} ({len(members)})"), "package")
             for name, members in groups.items()]
    edges = tuple(f"{alias('P', a)} ..> {alias('P', b)} : {n}"
                  for (a, b), n in sorted(counts.items()))
    out = [Planned(f"{kind.file}.puml", Diagram(tuple(boxes), edges, (), tuple(boxes)),
                   tuple(tables))]
    for name, members in groups.items():
        out.append(_group(kind, name, members, group_of, linked))
    return out


def _group(kind: ViewKind, name: str, members: list[str], group_of: Mapping[str, str],
           linked: Mapping[str, set[str]]) -> Planned:
    inside = set(members)
    near = sorted({b for a in inside for b in linked.get(a, ()) if b in group_of})
    outside = [t for t in near if t not in inside]
    # No package boxes here: the title names the group, and graphviz 2.43's dot
    # crashed on a 111-class diagram whose neighbours sat in many clusters.
    nodes = ([kind.node(t, True, None) for t in members]
             + [kind.node(t, False, None) for t in outside] + kind.extra(inside))
    d = attrs.evolve(arrange(nodes), edges=tuple(kind.edges(inside | set(outside), inside)),
                     title=text(f"{kind.file}: {name}"))
    path = f"{kind.file}/{path_segment(name)}.puml"
    return Planned(path, d, tuple(members + outside))


def focused(facts: Facts, depth: int, tables: Iterable[str]) -> list[Planned]:
    """One diagram per model of ``tables`` (in schema order): it in full, its
    neighbours up to ``depth`` hops by name."""
    kind = class_kind(facts)
    files = model_files(facts.schema)
    adj = _cached(facts, ("models", "adjacency"), lambda: g.neighbours(facts.schema, set(files)))
    position = _cached(facts, ("models", "position"),
                       lambda: {x: i for i, x in enumerate(files)})
    out = []
    for t in sorted((t for t in set(tables) if t in position), key=position.__getitem__):
        near = g.focus(adj, t, depth)
        ordered = sorted((x for x in near if x in position), key=position.__getitem__)
        nodes = [kind.node(x, x == t, None) for x in ordered] + kind.extra({t})
        d = attrs.evolve(arrange(nodes), edges=tuple(kind.edges(near, {t} if depth <= 1 else None)))
        # Its own table first: the one whose emit_tables makes it (backends/__init__.py).
        out.append(Planned(f"models/{files[t]}.puml", d, (t, *(x for x in ordered if x != t))))
    return out


def plan_shared(schema: Schema, opts: Mapping[str, Any]) -> list[Planned]:
    """The whole-schema diagrams: the class and table views (or their package overviews
    and one diagram per package)."""
    models = list(model_names(schema))
    tables = [t.name for t in schema.tables]
    pkg_of = g.packages(tables, opts["packages"], opts["package_min_tables"])
    limit = opts["overview_max_classes"]
    facts = facts_of(schema)
    out = []
    for kind, members in ((class_kind(facts), models), (table_kind(facts), tables)):
        if kind.file == "tables" and not opts["tables_diagram"]:
            continue
        out += ([whole(kind, members, pkg_of)] if len(members) <= limit
                else split_views(kind, members, pkg_of, limit, _linked(kind, facts)))
    return out


def plan_tables(schema: Schema, opts: Mapping[str, Any], tables: Iterable[str]
                ) -> list[Planned]:
    """The focused diagrams of the models among ``tables``."""
    if not opts["focus_diagrams"]:
        return []
    return focused(facts_of(schema), opts["focus_depth"], tables)
