"""Which diagrams a schema gets: whole views, package overviews and splits, focused models."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
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


def class_kind(facts: Facts) -> ViewKind:
    schema = facts.schema
    names = model_names(schema)

    def node(t: str, detailed: bool, package: str | None) -> Node:
        return class_node(facts, facts.table(t), names[t], detailed, package)

    def pairs() -> list[tuple[str, str]]:
        return [(r.table, r.ref_table) for r in schema.relations
                if r.ref_table is not None and r.kind is not K.MORPH_TO]
    return ViewKind("classes", node, lambda inc, touch: class_edges(facts, inc, touch),
                    pairs, lambda inc: morph_nodes(facts, inc))


def table_kind(facts: Facts) -> ViewKind:
    schema = facts.schema

    def node(t: str, detailed: bool, package: str | None) -> Node:
        return entity_node(facts, facts.table(t), detailed, package)

    def pairs() -> list[tuple[str, str]]:
        return [(t.name, f.ref_table) for t in schema.tables for f in t.foreign_keys]
    return ViewKind("tables", node, lambda inc, touch: table_edges(facts, inc, touch),
                    pairs, lambda inc: [])


def whole(kind: ViewKind, tables: list[str], pkg_of: Mapping[str, str]) -> Planned:
    inc = set(tables)
    nodes = [kind.node(t, True, pkg_of.get(t)) for t in tables] + kind.extra(inc)
    d = attrs.evolve(arrange(nodes), edges=tuple(kind.edges(inc, None)))
    return Planned(f"{kind.file}.puml", d, tuple(tables))


def split_views(kind: ViewKind, tables: list[str], pkg_of: Mapping[str, str],
                limit: int) -> list[Planned]:
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
        out.append(_group(kind, name, members, group_of))
    return out


def _group(kind: ViewKind, name: str, members: list[str], group_of: Mapping[str, str]
           ) -> Planned:
    inside = set(members)
    near = sorted({b for a, b in kind.pairs() if a in inside and b in group_of}
                  | {a for a, b in kind.pairs() if b in inside and a in group_of})
    outside = [t for t in near if t not in inside]
    # No package boxes here: the title names the group, and graphviz 2.43's dot
    # crashed on a 111-class diagram whose neighbours sat in many clusters.
    nodes = ([kind.node(t, True, None) for t in members]
             + [kind.node(t, False, None) for t in outside] + kind.extra(inside))
    d = attrs.evolve(arrange(nodes), edges=tuple(kind.edges(inside | set(outside), inside)),
                     title=text(f"{kind.file}: {name}"))
    path = f"{kind.file}/{path_segment(name)}.puml"
    return Planned(path, d, tuple(members + outside))


def focused(facts: Facts, depth: int) -> list[Planned]:
    """One diagram per model: it in full, its neighbours up to ``depth`` hops by name."""
    schema = facts.schema
    kind = class_kind(facts)
    files = model_files(schema)
    adj = g.neighbours(schema, set(files))
    out = []
    position = {x: i for i, x in enumerate(files)}
    for t, stem in files.items():
        near = g.focus(adj, t, depth)
        ordered = sorted((x for x in near if x in position), key=position.__getitem__)
        nodes = [kind.node(x, x == t, None) for x in ordered] + kind.extra({t})
        d = attrs.evolve(arrange(nodes), edges=tuple(kind.edges(near, {t} if depth <= 1 else None)))
        out.append(Planned(f"models/{stem}.puml", d, tuple(ordered)))
    return out


def plan(schema: Schema, opts: Mapping[str, Any]) -> list[Planned]:
    models = list(model_names(schema))
    tables = [t.name for t in schema.tables]
    pkg_of = g.packages(tables, opts["packages"], opts["package_min_tables"])
    limit = opts["overview_max_classes"]
    facts = Facts(schema)
    out = []
    for kind, members in ((class_kind(facts), models), (table_kind(facts), tables)):
        if kind.file == "tables" and not opts["tables_diagram"]:
            continue
        out += ([whole(kind, members, pkg_of)] if len(members) <= limit
                else split_views(kind, members, pkg_of, limit))
    if opts["focus_diagrams"]:
        out += focused(facts, opts["focus_depth"])
    return out
