"""Relationships from the IR's relation edges: both sides, ``back_populates``, joins, names.

- many-to-one / one-to-one: ``relationship`` on both classes; ``remote_side``
  when self-referential, ``foreign_keys`` when several declared FKs link the two
  tables.  An *inferred* FK (no FOREIGN KEY in the database) gets a
  ``primaryjoin`` with ``foreign()`` instead, so the ORM works without a
  ForeignKey that ``create_all`` would add to the DDL (option
  ``inferred_foreign_keys = "ddl"`` emits the ForeignKey instead).
- many-to-many: ``secondary=`` the pivot table's name; through a pivot that has
  a class of its own (an association object), the shortcut is ``viewonly``.
- polymorphic (Laravel morphs): a typed ``morph_target`` helper method on the
  child; with a known type value, a ``viewonly`` relationship whose
  ``primaryjoin`` also tests the type column (SQLAlchemy's generic-FK recipe).
"""

from __future__ import annotations

import attrs

from backends.sqlalchemy.pyfmt import Call, is_keyword, kw, lines, pystr, snake_ident
from backends.sqlalchemy.view import SA_RESERVED, Plan
from ir.diagnostics import Diagnostic, Severity
from ir.model import Schema
from ir.relations import Relation, RelationKind
from ir.rules import Origin

_TO_ONE = (RelationKind.MANY_TO_ONE, RelationKind.ONE_TO_ONE)
_MORPH_INV = (RelationKind.MORPH_MANY, RelationKind.MORPH_ONE)


@attrs.define
class Members:
    """Rendered relationship attributes and helper methods, per table."""

    rels: dict[str, list[str]] = attrs.Factory(dict)
    methods: dict[str, list[str]] = attrs.Factory(dict)
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    morph: bool = False

    def add(self, table: str, text: str, method: bool = False) -> None:
        (self.methods if method else self.rels).setdefault(table, []).append(text)


def declared(r: Relation, ddl_inferred: bool) -> bool:
    return ddl_inferred or (r.provenance is not None and r.provenance.origin is Origin.DECLARED)


def build(schema: Schema, p: Plan, ddl_inferred: bool) -> Members:
    out = Members()
    names = _names(schema, p)
    for i, r in enumerate(schema.relations):
        name, inverse = names.get((i, 0)), names.get((i, 1))
        if r.kind in _TO_ONE:
            _to_one(schema, p, r, name, inverse, declared(r, ddl_inferred), out)
        elif r.kind is RelationKind.MANY_TO_MANY:
            _many(schema, p, r, name, inverse, out)
        elif r.kind is RelationKind.MORPH_TO and name:
            _morph_to(p, r, name, out)
        elif r.kind in _MORPH_INV and inverse:
            _morph_inverse(p, r, inverse, out)
        elif r.kind is RelationKind.MORPH_TO_MANY and (name or inverse):
            _morph_many(p, r, name, inverse, out)
        elif r.kind not in _MORPH_INV:
            out.diagnostics.append(Diagnostic(
                "sqlalchemy-relation-skipped", Severity.INFO,
                f"{r.kind.value} relation {r.name or ''} is not rendered by the sqlalchemy "
                "target", table=r.table))
    return out


def _renderable(p: Plan, r: Relation) -> bool:
    if r.kind is RelationKind.MORPH_TO:
        return r.table in p.classes
    if r.kind in _MORPH_INV:
        return r.table in p.classes and r.ref_table in p.classes and bool(
            r.morph and r.morph.type_value)
    ok = r.table in p.classes and r.ref_table in p.classes
    if r.kind is RelationKind.MANY_TO_MANY:
        ok = ok and r.pivot is not None and (r.pivot.table in p.classes
                                             or r.pivot.table in p.tables)
    return ok


def _names(schema: Schema, p: Plan) -> dict[tuple[int, int], str]:
    """Attribute names for both sides of every renderable edge, de-collided per class
    against column attributes, reserved names and each other."""
    reserved = SA_RESERVED | p.imports.names()
    taken: dict[str, set[str]] = {}   # per class, made when it gets its first relationship
    out: dict[tuple[int, int], str] = {}
    for i, r in enumerate(schema.relations):
        if not _renderable(p, r):
            continue
        if r.name and r.kind not in _MORPH_INV:
            out[(i, 0)] = _free(r.name, _taken(taken, p, r.table), reserved,
                                r.ref_table and p.classes[r.ref_table])
        if r.inverse_name and r.ref_table and r.kind is not RelationKind.MORPH_TO:
            out[(i, 1)] = _free(r.inverse_name, _taken(taken, p, r.ref_table), reserved,
                                p.classes[r.table])
    return out


def _taken(taken: dict[str, set[str]], p: Plan, table: str) -> set[str]:
    found = taken.get(table)
    if found is None:
        found = taken[table] = set(p.attrs[table].values())
    return found


def _free(stem: str, taken: set[str], reserved: set[str], other: str | None) -> str:
    """A name not in ``taken`` (the class's attributes so far) nor ``reserved``."""
    name = snake_ident(stem)
    if is_keyword(name) or name in taken or name in reserved:
        name = f"{name}_{snake_ident(other)}" if other else name + "_rel"
    base, n = name, 2
    while name in taken or name in reserved or is_keyword(name):
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _member(attr: str, annotation: str, args: list) -> str:
    return "\n".join(lines(f"{attr}: Mapped[{annotation}] = ", Call("relationship", args), 4))


def _cols(p: Plan, table: str, columns: tuple[str, ...]) -> list[str]:
    cls = p.classes[table]
    return [f"{cls}.{p.attrs[table][c]}" for c in columns]


def _ambiguous(schema: Schema, a: str, b: str) -> bool:
    """More than one declared FK between the two tables: SQLAlchemy needs foreign_keys."""
    count = sum(1 for fk in schema.table(a).foreign_keys if fk.ref_table == b)  # type: ignore
    if a != b:
        count += sum(1 for fk in schema.table(b).foreign_keys if fk.ref_table == a)  # type: ignore
    return count > 1


def _to_one(schema: Schema, p: Plan, r: Relation, name, inverse, is_declared: bool,
            out: Members) -> None:
    if name is None and inverse is None:
        return
    local, remote = _cols(p, r.table, r.columns), _cols(p, r.ref_table, r.ref_columns)
    join: list = []
    if not is_declared:
        pairs = [f"foreign({a}) == {b}" for a, b in zip(local, remote, strict=True)]
        expr = pairs[0] if len(pairs) == 1 else "and_(" + ", ".join(pairs) + ")"
        join.append(kw("primaryjoin", pystr(expr)))
    elif _ambiguous(schema, r.table, r.ref_table):
        join.append(kw("foreign_keys", pystr(_list(local))))
    child, parent = p.classes[r.table], p.classes[r.ref_table]
    nullable = any(schema.table(r.table).column(c).nullable for c in r.columns)  # type: ignore
    if name:
        args = [kw("back_populates", pystr(inverse))] if inverse else []
        if r.table == r.ref_table:
            args.append(kw("remote_side", pystr(_list(remote))))
        out.add(r.table, _member(name, parent + (" | None" if nullable else ""), args + join))
    if inverse:
        args = [kw("back_populates", pystr(name))] if name else []
        if r.kind is RelationKind.ONE_TO_ONE:
            out.add(r.ref_table, _member(inverse, child + " | None",
                                         [*args, "uselist=False", *join]))
        else:
            out.add(r.ref_table, _member(inverse, f"list[{child}]", args + join))


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "[" + ", ".join(items) + "]"


def _many(schema: Schema, p: Plan, r: Relation, name, inverse, out: Members) -> None:
    pv = r.pivot
    assert pv is not None
    pivot = schema.table(pv.table)
    fks = {(fk.columns, fk.ref_table) for fk in pivot.foreign_keys}  # type: ignore[union-attr]
    plain = (r.table != r.ref_table and (pv.columns, r.table) in fks
             and (pv.ref_columns, r.ref_table) in fks)
    if not plain and not pv.table.isidentifier():
        out.diagnostics.append(Diagnostic(
            "sqlalchemy-relation-skipped", Severity.WARNING,
            "many-to-many needs an explicit join through a pivot whose name is not an "
            "identifier", table=r.table))
        return
    sides = [(r.table, r.columns, pv.columns), (r.ref_table, r.ref_columns, pv.ref_columns)]
    joins = [_pivot_join(p, pv.table, *side) for side in sides]
    viewonly = ["viewonly=True"] if pv.table in p.classes else []
    for me, other, attr, back, j in ((0, 1, name, inverse, joins),
                                     (1, 0, inverse, name, joins[::-1])):
        if not attr:
            continue
        args: list = [kw("secondary", pystr(pv.table))]
        if back:
            args.append(kw("back_populates", pystr(back)))
        if not plain:
            args += [kw("primaryjoin", pystr(j[0])), kw("secondaryjoin", pystr(j[1]))]
        target = p.classes[sides[other][0]]
        out.add(sides[me][0], _member(attr, f"list[{target}]", args + viewonly))


def _morph_many(p: Plan, r: Relation, name, inverse, out: Members) -> None:
    """Polymorphic many-to-many (Laravel morphToMany / morphedByMany): a read-only
    ``secondary`` relationship through the pivot, filtered on the pivot's type column
    (SQLAlchemy's generic-association recipe).  Needs the type value stored for this
    parent (from rows or config); without it the edge is reported and skipped."""
    pv, m = r.pivot, r.morph
    assert pv is not None and r.ref_table is not None
    if m is None or not m.type_value or not pv.table.isidentifier():
        out.diagnostics.append(Diagnostic(
            "sqlalchemy-relation-skipped", Severity.INFO,
            f"morph_to_many through {pv.table}: the type value of {r.table} is unknown "
            "(set morph_targets / morph_map)", table=r.table))
        return
    own = _pivot_join(p, pv.table, r.table, r.columns, pv.columns)
    typed = (f"and_({own}, {pv.table}.c{_column_ref(m.type_column)} == "
             f"{m.type_value!r})")
    other = _pivot_join(p, pv.table, r.ref_table, r.ref_columns, pv.ref_columns)
    for table, attr, target, primary, secondary in (
            (r.table, name, r.ref_table, typed, other),
            (r.ref_table, inverse, r.table, other, typed)):
        if attr:
            args = [kw("secondary", pystr(pv.table)), kw("primaryjoin", pystr(primary)),
                    kw("secondaryjoin", pystr(secondary)), "viewonly=True"]
            out.add(table, _member(attr, f"list[{p.classes[target]}]", args))


def _pivot_join(p: Plan, pivot: str, table: str, keys, pivot_cols) -> str:
    pairs = [f"{a} == foreign({pivot}.c{_column_ref(c)})"
             for a, c in zip(_cols(p, table, keys), pivot_cols, strict=True)]
    return pairs[0] if len(pairs) == 1 else "and_(" + ", ".join(pairs) + ")"


def _column_ref(column: str) -> str:
    return f".{column}" if column.isidentifier() and not is_keyword(column) else f"[{pystr(column)}]"


def _morph_to(p: Plan, r: Relation, name: str, out: Members) -> None:
    m = r.morph
    cols = p.attrs[r.table]
    if m is None or m.type_column not in cols or m.id_column not in cols:
        return
    type_attr, id_attr = cols[m.type_column], cols[m.id_column]
    out.morph = True
    out.add(r.table, "\n".join([
        f"    def {name}(self, session: Session) -> Base | None:",
        f'        """The row that ``{type_attr}`` and ``{id_attr}`` point at (polymorphic)."""',
        f"        return morph_target(session, self.{type_attr}, self.{id_attr})"]), True)


def _morph_inverse(p: Plan, r: Relation, inverse: str, out: Members) -> None:
    m = r.morph
    assert m is not None and m.type_value is not None and r.ref_table is not None
    child, cols = p.classes[r.table], p.attrs[r.table]
    keys = _cols(p, r.ref_table, r.ref_columns)
    expr = (f"and_(foreign({child}.{cols[m.id_column]}) == {keys[0]}, "
            f"{child}.{cols[m.type_column]} == {pystr(m.type_value)})")
    args = [kw("primaryjoin", pystr(expr)), "viewonly=True"]
    if r.kind is RelationKind.MORPH_ONE:
        out.add(r.ref_table, _member(inverse, child + " | None", [*args, "uselist=False"]))
    else:
        out.add(r.ref_table, _member(inverse, f"list[{child}]", args))
