"""Turn the plan into rendered items: enum classes, ``Table`` objects and model classes.

Each item is one *region* of the output (see :mod:`.merge`): its text, the
tables it depends on and the names it needs imported.
"""

from __future__ import annotations

import attrs

from backends.sqlalchemy import relations, view
from backends.sqlalchemy.imports import Imports
from backends.sqlalchemy.pyfmt import Call, kw, lines, pystr
from ir.diagnostics import Diagnostic, Severity
from ir.model import Column, ForeignKey, Schema, Table


@attrs.frozen
class Item:
    key: str                      # region key: "class Album", "enum FilmRating", "table t"
    name: str                     # Python name it defines
    kind: str                     # class | table | enum | helper
    table: str | None
    context: dict                 # what the template gets
    imports: Imports
    needs: tuple[str, ...] = ()   # classes it refers to (package layout imports them)
    uses: tuple[str, ...] = ()    # enums and helpers of the base module it uses


@attrs.frozen
class Built:
    plan: view.Plan
    enums: list[Item]
    items: list[Item]             # Table objects, then classes, in source order
    helpers: tuple[str, ...]
    diagnostics: list[Diagnostic]


def build(schema: Schema, options) -> Built:
    p = view.plan(schema, options)
    ddl_inferred = options.get("inferred_foreign_keys", "join") == "ddl"
    members = relations.build(schema, p, ddl_inferred)
    diags = list(members.diagnostics)
    items = []
    related = _related(schema, p)
    lines_of: dict[tuple, str] = {}    # column line per shape (see _class_item)
    for t in view.emitted_tables(schema, bool(options.get("framework_tables", False))):
        fk_cols, extra = _foreign_keys(schema, p, t, _inferred_fks(schema, t, ddl_inferred), diags)
        imports = Imports()
        view._collect_imports(t, p.needs[t.name], imports, t.name in p.classes)
        if fk_cols:
            imports.sa("ForeignKey")
        if extra:
            imports.sa("ForeignKeyConstraint")
        _constraint_imports(t, imports)
        uses = _uses(p, t, bool(members.methods.get(t.name)))
        if t.name in p.classes:
            items.append(_class_item(p, t, fk_cols, extra, members, imports,
                                     tuple(sorted(related.get(t.name, ()))), lines_of, uses))
        else:
            items.append(_table_item(p, t, fk_cols, extra, imports, uses))
    enums = [Item(f"enum {e.name}", e.name, "enum", None, {"e": e}, _enum_imports())
             for e in view.enum_views(schema, p)]
    helpers = tuple(h for h, on in (("enum_values", p.imports.enum_values),
                                     ("RawType", p.imports.raw),
                                     ("morph_target", members.morph)) if on)
    return Built(p, enums, items, helpers, diags)


def _related(schema: Schema, p: view.Plan) -> dict[str, set[str]]:
    """Classes each table's class refers to, in one pass over the relations."""
    out: dict[str, set[str]] = {}
    for r in schema.relations:
        if r.table in p.classes and r.ref_table in p.classes:
            out.setdefault(r.table, set()).add(p.classes[r.ref_table])
            out.setdefault(r.ref_table, set()).add(p.classes[r.table])
    return out


def _uses(p: view.Plan, t: Table, morph: bool) -> tuple[str, ...]:
    needs = p.needs[t.name]     # whether any column is an enum, or of an unknown type
    enums = ({p.enums[(t.name, c.name)] for c in t.columns if (t.name, c.name) in p.enums}
             if needs.enum else set())
    helpers = {"enum_values"} if enums else set()
    if needs.raw:
        helpers.add("RawType")
    if morph:
        helpers.add("morph_target")
    return tuple(sorted(enums | helpers))


def _enum_imports() -> Imports:
    imports = Imports()
    imports.module("enum")
    return imports


def _constraint_imports(t: Table, imports: Imports) -> None:
    for ix in t.indexes:
        if ix.constraint and ix.where is None and ix.columns:
            imports.sa("UniqueConstraint")
        else:
            imports.sa("Index")
            if ix.where or any(part.column is None or part.descending for part in ix.parts):
                imports.sa("text")
    if t.checks:
        imports.sa("CheckConstraint")


def _inferred_fks(schema: Schema, t: Table, ddl: bool) -> list[ForeignKey]:
    """With ``inferred_foreign_keys = "ddl"``, inferred to-one edges become ForeignKeys.
    (A scan of all relations per table: quadratic, but only with this option.)"""
    if not ddl:
        return []
    have = {fk.columns for fk in t.foreign_keys}
    return [ForeignKey(r.columns, r.ref_table, r.ref_columns) for r in schema.relations
            if r.table == t.name and r.kind in relations._TO_ONE and r.ref_table and r.columns not in have]



def _foreign_keys(schema: Schema, p: view.Plan, t: Table, inferred: list[ForeignKey],
                  diags: list[Diagnostic]) -> tuple[dict, list]:
    """Single-column FKs as ``ForeignKey`` column arguments, composite ones as constraints."""
    per_col: dict[str, Call] = {}
    constraints: list = []
    for fk in (*t.foreign_keys, *inferred):
        if fk.ref_table not in p.attrs:
            diags.append(Diagnostic("sqlalchemy-fk-dropped", Severity.WARNING,
                                    f"foreign key to {fk.ref_table} dropped: that table is not "
                                    "generated (framework_tables = false)", table=t.name))
            continue
        opts = [kw("name", pystr(fk.name))] if fk.name else []
        opts += [kw("ondelete", pystr(fk.on_delete.value))] if fk.on_delete else []
        opts += [kw("onupdate", pystr(fk.on_update.value))] if fk.on_update else []
        targets = [pystr(f"{fk.ref_table}.{c}") for c in fk.ref_columns]
        if len(fk.columns) == 1 and fk.columns[0] not in per_col:
            per_col[fk.columns[0]] = Call("ForeignKey", [targets[0], *opts])
        else:
            constraints.append(Call("ForeignKeyConstraint", [
                view.Seq("[", "]", [pystr(c) for c in fk.columns]),
                view.Seq("[", "]", targets), *opts]))
    return per_col, constraints


def _table_options(t: Table) -> dict:
    # No sqlite_autoincrement: the IR marks a plain rowid alias (INTEGER PRIMARY KEY)
    # autoincrement too, and SQLite's AUTOINCREMENT keyword means more (no id reuse).
    out: dict = {}
    if t.comment:
        out["comment"] = pystr(t.comment)
    return out


def _class_item(p: view.Plan, t: Table, fk_cols: dict, extra: list,
                members: relations.Members, imports: Imports, needs: tuple[str, ...],
                lines_of: dict[tuple, str], uses: tuple[str, ...]) -> Item:
    name = p.classes[t.name]
    attrs_ = p.attrs[t.name]
    pk = t.primary_key.columns if t.primary_key else ()
    conv = t.conventions
    created, updated = (conv.created_at, conv.updated_at) if conv else (None, None)
    columns = []
    for c in t.columns:
        fk = fk_cols.get(c.name)
        if fk is not None or (t.name, c.name) in p.enums:
            columns.append(_mapped_column(p, t, c, attrs_[c.name], fk))
            continue
        # Otherwise the line depends on the table only through the attribute, the key
        # role and the timestamps: tables share Column objects (id, name, created_at...),
        # so it is built once per shape.  Ids are safe: the schema holds the columns
        # during build(), which owns ``lines_of``; hashing them would cost more.
        key = (id(c), attrs_[c.name], c.name in pk, len(pk), c.name == created,
               c.name == updated)
        line = lines_of.get(key)
        if line is None:
            lines_of[key] = line = _mapped_column(p, t, c, attrs_[c.name], None)
        columns.append(line)
    head = (f"    __tablename__ = {pystr(t.name)}",
            *view.table_args_lines(view.table_args(t, p, extra), _table_options(t)))
    rels = tuple(members.rels.get(t.name, ()))
    methods = tuple(members.methods.get(t.name, ()))
    imports.orm("Mapped", "mapped_column")
    if rels:
        imports.orm("relationship")
    if methods:
        imports.orm("Session")
    c = view.ClassView(name, t.name, view.doc_lines(t), head, tuple(columns), rels, methods)
    return Item(f"class {name}", name, "class", t.name, {"c": c}, imports, needs, uses)


def _mapped_column(p: view.Plan, t: Table, c: Column, attr: str, fk: Call | None) -> str:
    args, annotation = view.column_args(t, c, p, fk)
    if attr != c.name:
        args.insert(0, pystr(c.name))
    return view.render(f"{attr}: Mapped[{annotation}] = ", Call("mapped_column", args), 4)


def _table_item(p: view.Plan, t: Table, fk_cols: dict, extra: list, imports: Imports,
                uses: tuple[str, ...]) -> Item:
    var = p.tables[t.name]
    cols = []
    for c in t.columns:
        args, _ = view.column_args(t, c, p, fk_cols.get(c.name), orm=False)
        cols.append(Call("Column", [pystr(c.name), *args]))
    options = [kw(k, v) for k, v in _table_options(t).items()]
    body = [pystr(t.name), "Base.metadata", *cols,
            *view.table_args(t, p, extra), *options]
    imports.sa("Table", "Column")
    text = lines(f"{var} = ", Call("Table", body), 0)
    return Item(f"table {var}", var, "table", t.name,
                {"t": view.TableView(var, t.name, tuple(text))}, imports, (), uses)
