"""Diagram view models: nodes (classes, entities, morph placeholders) and edge lines.

Two views of one schema.  The *class* view shows models (tables with
``conventions.model``) and the relations the passes derived, both ends named
with their stems and multiplicities; polymorphic and through relations are
dashed.  The *table* view is the physical ER diagram: every table, declared
foreign keys solid, inferred ones dashed (crow's-foot ends).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from backends._diagrams import per_schema
from backends.plantuml.names import alias, text
from ir.model import Column, Schema, Table
from ir.relations import Relation
from ir.relations import RelationKind as K
from ir.rules import Origin
from ir.types import Kind

MAX_TYPE = 48   # a longer type (a big enum) is summarised


def _block(node: Node) -> str:
    """A node's lines in the diagram.  Built once per node, not per diagram: a node is
    cached per schema and drawn in up to three diagrams (10,000 tables: ~65,000 draws)."""
    if node.keyword == "package":
        return f'package "{node.display}" as {node.alias} {{\n}}\n'
    head = f'{node.keyword} "{node.display}" as {node.alias}'
    if node.stereotype:
        head += " " + node.stereotype
    if not node.members:
        return head + "\n"
    return "".join((head, " {\n", *(f"  {m}\n" for m in node.members), "}\n"))


@attrs.frozen
class Node:
    alias: str
    display: str
    keyword: str = "class"              # class | entity | interface
    stereotype: str = ""
    members: tuple[str, ...] = ()
    package: str | None = None          # display name of its package box
    block: str = attrs.field(init=False, eq=False,
                             default=attrs.Factory(_block, takes_self=True))


@attrs.frozen
class Diagram:
    nodes: tuple[Node, ...]
    edges: tuple[str, ...]
    packages: tuple[tuple[str, str, tuple[Node, ...]], ...] = ()   # (alias, display, nodes)
    loose: tuple[Node, ...] = ()        # nodes outside any package
    title: str = ""


class Facts:
    """Per-schema lookups and caches, built once per schema (:func:`facts_of`): a
    10,000-table schema has 9,000 focused diagrams and 170 package diagrams, which
    draw the same nodes, members and edges again and again."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.fk_columns: dict[str, set[str]] = {}
        self.touching: dict[str, list[int]] = {}   # table -> positions of its relations
        self.fks_out: dict[str, list[tuple[int, int]]] = {}   # table -> (table pos, fk pos)
        self.fks_in: dict[str, list[tuple[int, int]]] = {}    # ref table -> same
        for i, t in enumerate(schema.tables):
            self.fk_columns[t.name] = {c for f in t.foreign_keys for c in f.columns}
            for j, f in enumerate(t.foreign_keys):
                self.fks_out.setdefault(t.name, []).append((i, j))
                self.fks_in.setdefault(f.ref_table, []).append((i, j))
        self.covered = set()     # (table, morph name) drawn by a morphMany/morphOne edge
        for i, r in enumerate(schema.relations):
            if r.kind in (K.MANY_TO_ONE, K.ONE_TO_ONE):
                self.fk_columns.setdefault(r.table, set()).update(r.columns)
            if r.kind in (K.MORPH_MANY, K.MORPH_ONE) and r.morph is not None:
                self.covered.add((r.table, r.morph.name))
            for end in {r.table, r.ref_table}:
                if end is not None:
                    self.touching.setdefault(end, []).append(i)
        self.members: dict[str, tuple[str, ...]] = {}
        self.nullable: dict[int, bool] = {}
        # Keyed by id(): the schema, alive as long as these, holds the objects.
        self.member_lines: dict[tuple[str, int, bool, bool, bool], str] = {}
        self.edge_lines: dict[tuple[int, bool], list[str]] = {}   # (relation, pivot shown)
        self.crow_lines: dict[object, str] = {}   # (table pos, fk pos) or inferred relation
        self.cache: dict[object, object] = {}   # anything else derived once (nodes, pairs)

    def table(self, name: str) -> Table:
        t = self.schema.table(name)
        assert t is not None, name      # names come from the schema itself
        return t

    def relations(self, touching: set[str] | None) -> list[Relation]:
        """Relations with an end in ``touching`` (all when None), in schema order."""
        if touching is None:
            return list(self.schema.relations)
        every = self.schema.relations
        return [every[i] for i in sorted({i for t in touching for i in self.touching.get(t, ())})]


@per_schema
def facts_of(schema: Schema) -> Facts:
    """The one :class:`Facts` of ``schema`` in this process (chunks of tables share it)."""
    return Facts(schema)


def table_alias(name: str) -> str:
    return alias("T", name)


def type_text(column: Column) -> str:
    described = column.type.describe()
    if len(described) > MAX_TYPE and column.type.kind is Kind.ENUM:
        described = f"{'set' if column.type.multiple else 'enum'}({len(column.type.values)} values)"
    return described


def members(facts: Facts, table: Table) -> tuple[str, ...]:
    """One ``{field}`` line per column; keys (declared or inferred) marked."""
    done = facts.members.get(table.name)
    if done is not None:
        return done
    pk = set(table.primary_key.columns) if table.primary_key else set()
    fk = facts.fk_columns.get(table.name, set())
    known = facts.member_lines
    lines = []
    for c in table.columns:
        # Many tables repeat a column (name, type object, nullability, key role).
        key = (c.name, id(c.type), c.nullable, c.name in pk, c.name in fk)
        line = known.get(key)
        if line is None:
            known[key] = line = _member(c, key[3], key[4])
        lines.append(line)
    facts.members[table.name] = done = tuple(lines)
    return done


def _member(c: Column, pk: bool, fk: bool) -> str:
    marks = (" <<PK>>" if pk else "") + (" <<FK>>" if fk else "")
    optional = " [0..1]" if c.nullable and not pk else ""
    return f"{{field}} {text(c.name, tail=False)} : {text(type_text(c))}{optional}{marks}"


def class_node(facts: Facts, table: Table, name: str, detailed: bool,
               package: str | None = None) -> Node:
    conv = table.conventions
    stereo = "<<pivot>>" if conv is not None and conv.pivot else ""
    return Node(table_alias(table.name), text(name), "class", stereo,
                members(facts, table) if detailed else (), package)


def entity_node(facts: Facts, table: Table, detailed: bool, package: str | None = None) -> Node:
    return Node(table_alias(table.name), text(table.name), "entity", "",
                members(facts, table) if detailed else (), package)


# --- class-view edges ------------------------------------------------------------

def _end(mult: str, name: str | None) -> str:
    return f'"{mult}\\n{text(name)}"' if name else f'"{mult}"'


def _nullable(facts: Facts, r: Relation) -> bool:
    done = facts.nullable.get(id(r))
    if done is None:
        t = facts.schema.table(r.table)
        cols = [t.column(c) for c in r.columns] if t else []
        facts.nullable[id(r)] = done = any(c is not None and c.nullable for c in cols)
    return done


def _morph_alias(r: Relation) -> str:
    return alias("M", f"{r.table}.{r.morph.name if r.morph else ''}")


def morph_nodes(facts: Facts, included: set[str]) -> list[Node]:
    """A placeholder for each morphTo whose targets are unknown (no morphMany edge)."""
    return [Node(_morph_alias(r), text(r.morph.name if r.morph else r.name or "morph"),
                 "interface", "<<morph>>")
            for r in facts.relations(included) if _placeholder(facts, r) and r.table in included]


def _placeholder(facts: Facts, r: Relation) -> bool:
    if r.kind is not K.MORPH_TO or r.ref_table is not None or r.morph is None:
        return False
    return (r.table, r.morph.name) not in facts.covered


def relation_edge(facts: Facts, r: Relation, included: set[str]) -> list[str]:
    """The lines drawing one relation, or [] when an end is not in the diagram."""
    if r.kind is K.MORPH_TO:
        if not _placeholder(facts, r) or r.table not in included:
            return []
    elif r.ref_table not in included or r.table not in included:
        return []
    # The lines depend on the diagram only through whether a pivot is drawn in it.
    key = (id(r), r.pivot is not None and r.pivot.table in included)
    lines = facts.edge_lines.get(key)
    if lines is None:
        facts.edge_lines[key] = lines = _edge_lines(facts, r, key[1])
    return lines


def _edge_lines(facts: Facts, r: Relation, pivot_shown: bool) -> list[str]:
    a = table_alias(r.table)
    if r.kind is K.MORPH_TO:
        return [f'{a} "*" ..> {_morph_alias(r)} : {text(r.name or "")}']
    assert r.ref_table is not None     # relation_edge checked it is drawn
    b = table_alias(r.ref_table)
    one = "0..1" if _nullable(facts, r) else "1"
    if r.kind is K.MANY_TO_ONE:
        return [f"{a} {_end('*', r.inverse_name)} -- {_end(one, r.name)} {b}"]
    if r.kind is K.ONE_TO_ONE:
        return [f"{a} {_end('0..1', r.inverse_name)} -- {_end(one, r.name)} {b}"]
    if r.kind is K.MANY_TO_MANY and r.pivot is not None:
        return _many_to_many(r, a, b, pivot_shown)
    morph = r.morph.name if r.morph else ""
    if r.kind in (K.MORPH_MANY, K.MORPH_ONE):
        mult = "*" if r.kind is K.MORPH_MANY else "0..1"
        return [f"{a} {_end(mult, r.inverse_name)} ..> {_end('1', r.name)} {b} : {text(morph)}"]
    if r.kind is K.MORPH_TO_MANY and r.pivot is not None:
        via = text(f"{morph} via {r.pivot.table}")
        return [f"{a} {_end('*', r.inverse_name)} ..> {_end('*', r.name)} {b} : {via}"]
    if r.kind in (K.HAS_MANY_THROUGH, K.HAS_ONE_THROUGH) and r.through is not None:
        mult = "*" if r.kind is K.HAS_MANY_THROUGH else "0..1"
        return [f"{a} ..> {_end(mult, r.name)} {b} : {text('through ' + r.through.table)}"]
    return []


def _many_to_many(r: Relation, a: str, b: str, pivot_shown: bool) -> list[str]:
    p = r.pivot
    assert p is not None
    as_class = p.entity and pivot_shown and r.table != r.ref_table
    line = f"{a} {_end('*', r.inverse_name)} -- {_end('*', r.name)} {b}"
    if as_class:   # the pivot carries data: draw it as the association class
        return [line, f"({a}, {b}) .. {table_alias(p.table)}"]
    return [f"{line} : {text('via ' + p.table)}"]


def class_edges(facts: Facts, included: set[str], touching: set[str] | None = None
                ) -> list[str]:
    """Edges between ``included`` tables; with ``touching``, only those with an end in it."""
    return [line for r in facts.relations(touching if touching is not None else included)
            for line in relation_edge(facts, r, included)]


# --- table-view edges ------------------------------------------------------------

def _crow(schema: Schema, table: Table, columns: Iterable[str], ref: str, label: str,
          dashed: bool) -> str:
    cols = tuple(columns)
    unique = any(set(s) == set(cols) for s in table.unique_column_sets())
    nullable = any((c := table.column(n)) is not None and c.nullable for n in cols)
    many = "|o" if unique else "}o"
    parent = "o|" if nullable else "||"
    line = ".." if dashed else "--"
    return f"{table_alias(table.name)} {many}{line}{parent} {table_alias(ref)} : {text(label)}"


def table_edges(facts: Facts, included: set[str], touching: set[str] | None = None
                ) -> list[str]:
    """Declared foreign keys (solid), then key relations inferred from names (dashed)."""
    def wanted(a: str, b: str | None) -> bool:
        return (a in included and b in included
                and (touching is None or a in touching or b in touching))
    schema, out, known = facts.schema, [], facts.crow_lines
    for i, j in _foreign_keys(facts, touching):
        t = schema.tables[i]
        f = t.foreign_keys[j]
        if wanted(t.name, f.ref_table):
            line = known.get((i, j))
            if line is None:
                known[(i, j)] = line = _crow(schema, t, f.columns, f.ref_table,
                                             ", ".join(f.columns), False)
            out.append(line)
    for r in facts.relations(touching if touching is not None else included):
        if (r.kind in (K.MANY_TO_ONE, K.ONE_TO_ONE) and r.provenance is not None
                and r.provenance.origin is not Origin.DECLARED
                and wanted(r.table, r.ref_table)):
            line = known.get(id(r))
            if line is None:
                known[id(r)] = line = _crow(schema, facts.table(r.table), r.columns,
                                            r.ref_table or "",
                                            ", ".join(r.columns) + " (inferred)", True)
            out.append(line)
    return out


def _foreign_keys(facts: Facts, touching: set[str] | None) -> list[tuple[int, int]]:
    """(table position, foreign key position) of every key with an end in ``touching``
    (all when None), in schema order: a package diagram looks at its own tables only."""
    if touching is None:
        return [(i, j) for i, t in enumerate(facts.schema.tables)
                for j in range(len(t.foreign_keys))]
    found: set[tuple[int, int]] = set()
    for name in touching:
        found.update(facts.fks_out.get(name, ()))
        found.update(facts.fks_in.get(name, ()))
    return sorted(found)


def arrange(nodes: list[Node], packages: Mapping[str, str] | None = None) -> Diagram:
    """Put nodes into their package boxes (packages in name order, nodes in given order)."""
    boxes: dict[str, list[Node]] = {}
    loose = []
    for n in nodes:
        if n.package is None:
            loose.append(n)
        else:
            boxes.setdefault(n.package, []).append(n)
    pk = tuple((alias("P", name), text(name), tuple(boxes[name])) for name in sorted(boxes))
    return Diagram(tuple(nodes), (), pk, tuple(loose))
