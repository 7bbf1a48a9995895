"""Build the SQLAlchemy view model: which tables become classes, names, types, imports, collisions.

Everything a template prints is decided here (STYLE.md rule 5); the templates
only loop.  Column attributes are snake_case (``AlbumId`` -> ``album_id``, the
real name passed to ``mapped_column``); a name that is a Python keyword, an
attribute SQLAlchemy reserves on mapped classes, or a name the module imports
gets a trailing underscore.  Relationships come from :mod:`.relations`.
"""

from __future__ import annotations

import attrs

from backends._memo import object_memo
from backends._safe import comment_text
from backends.sqlalchemy.imports import Imports
from backends.sqlalchemy.pyfmt import (
    Call,
    Seq,
    is_keyword,
    kw,
    lines,
    pystr,
    snake_ident,
    studly_ident,
)
from backends.sqlalchemy.types import map_type
from ir.model import Column, DefaultKind, Index, Schema, Table
from ir.types import Kind

# Attributes a declarative class has already (sqlalchemy.orm.DeclarativeBase, Mapper).
SA_RESERVED = frozenset({"metadata", "registry", "query", "query_class", "awaitable_attrs",
                         "type_annotation_map", "c"})
CLASS_RESERVED = frozenset({"Base", "RawType", "Any", "Session", "TYPE_CHECKING"})


@attrs.frozen
class EnumView:
    name: str
    members: tuple[tuple[str, str], ...]  # (MEMBER, literal)


@attrs.frozen
class TableView:
    """A table rendered as ``Table(...)`` (no primary key, or a pure pivot)."""

    var: str
    table: str
    body: tuple[str, ...]                 # rendered lines


@attrs.frozen
class ClassView:
    name: str
    table: str
    doc: tuple[str, ...]                  # comment lines above the class
    head: tuple[str, ...]                 # __tablename__ / __table_args__ lines
    columns: tuple[str, ...]
    relationships: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()


@attrs.frozen
class Plan:
    """Which tables become classes and Table objects, and every Python name."""

    classes: dict[str, str]               # table -> class name
    tables: dict[str, str]                # table -> Table variable name
    attrs: dict[str, dict[str, str]]      # table -> column -> attribute
    enums: dict[tuple[str, str], str]     # (table, column) -> enum class name
    imports: Imports
    dialect: str
    needs: dict[str, Needs]               # table -> what its columns import


def emitted_tables(schema: Schema, framework: bool) -> list[Table]:
    return [t for t in schema.tables
            if framework or t.conventions is None or not t.conventions.framework]


def plan(schema: Schema, options) -> Plan:
    tables = emitted_tables(schema, bool(options.get("framework_tables", False)))
    imports = Imports()
    classes: dict[str, str] = {}
    taken = set(CLASS_RESERVED)
    for t in tables:
        model = t.conventions.model if t.conventions else None
        if t.primary_key is not None and (model or not _is_pivot(t)):
            classes[t.name] = _unique(studly_ident(model or t.name), taken, "Model")
    enums = _enum_names(tables, classes, taken, schema.dialect)
    memo = _needs_memo(schema)
    needs = {t.name: table_needs(t, enums, schema.dialect, memo) for t in tables}
    for t in tables:
        _collect_imports(t, needs[t.name], imports)
    table_vars: dict[str, str] = {}
    pool = taken | imports.names()    # taken names and imported ones; _unique adds to it
    for t in tables:
        if t.name not in classes:
            table_vars[t.name] = _unique(snake_ident(t.name), pool, "t_", prefix=True)
            taken.add(table_vars[t.name])
    reserved = imports.names() | SA_RESERVED
    col_attrs = {t.name: _column_attrs(t, reserved, needs[t.name].builtins) for t in tables}
    return Plan(classes, table_vars, col_attrs, enums, imports, schema.dialect, needs)


_BUILTINS = frozenset({"int", "str", "float", "bool", "bytes", "list"})


def _is_pivot(t: Table) -> bool:
    return bool(t.conventions and t.conventions.pivot)


def _unique(name: str, taken: set[str], suffix: str, prefix: bool = False) -> str:
    base = name if not is_keyword(name) else name + "_"
    if base in taken:
        base = suffix + base if prefix else base + suffix
    out, n = base, 2
    while out in taken:
        out, n = f"{base}{n}", n + 1
    taken.add(out)
    return out


def _column_attrs(t: Table, reserved: frozenset[str] | set[str], builtins: frozenset[str]
                  ) -> dict[str, str]:
    """Column -> attribute: never a keyword, a reserved or imported name, nor a builtin
    the class's annotations name (``builtins``)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for c in t.columns:
        name = snake_ident(c.name)
        if is_keyword(name) or name in reserved or name in builtins:
            name += "_"
        base, n = name, 2
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        out[c.name] = name
    return out


def _enum_names(tables: list[Table], classes: dict[str, str], taken: set[str],
                dialect: str) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    by_values: dict[tuple, str] = {}
    for t in tables:
        owner = classes.get(t.name) or studly_ident(t.name)
        for c in t.columns:
            if c.type.kind is not Kind.ENUM or c.type.multiple or not c.type.values:
                continue
            named = dialect == "postgres" and c.type.raw.isidentifier()  # CREATE TYPE x AS ENUM
            key = (c.type.raw if named else None, c.type.values)
            if named and key in by_values:
                out[(t.name, c.name)] = by_values[key]
                continue
            stem = studly_ident(c.type.raw) if named else owner + studly_ident(c.name)
            out[(t.name, c.name)] = by_values[key] = _unique(stem, taken, "Enum")
    return out


@attrs.frozen
class Needs:
    """What one table's columns import (computed once per table, used for the module's
    names in :func:`plan` and for the table's own item)."""

    sa: tuple[str, ...]
    modules: tuple[str, ...]    # only for annotations (classes)
    raw: bool
    any: bool                   # typing.Any, only for annotations
    enum: bool
    builtins: frozenset[str]    # builtins the annotations name (an attribute must not shadow them)


def table_needs(t: Table, enums: dict, dialect: str, memo: dict | None = None) -> Needs:
    """``memo``: what a column without an enum class needs, by column identity (tables
    share Column objects; the caller keeps the schema, so the columns, alive)."""
    sa: set[str] = set()
    modules: set[str] = set()
    annotations = {"list"}
    raw = any_ = enum = False
    native_uuid = dialect == "postgres"
    for c in t.columns:
        enum_class = enums.get((t.name, c.name))
        if enum_class is None and memo is not None:
            part = memo.get(id(c))
            if part is None:
                part = memo[id(c)] = _column_needs(c, None, native_uuid)
        else:
            part = _column_needs(c, enum_class, native_uuid)
        annotations.add(part[0])
        sa.update(part[1])
        raw |= part[2]
        modules.update(part[3])
        any_ |= part[4]
        if enum_class is not None:
            enum = True
        if _timestamp_defaults(t, c):
            sa.add("func")
    return Needs(tuple(sa), tuple(modules), raw, any_, enum, _BUILTINS.intersection(annotations))


def _column_needs(c: Column, enum_class: str | None, native_uuid: bool
                  ) -> tuple[str, tuple[str, ...], bool, tuple[str, ...], bool]:
    """(annotation, sqlalchemy names, raw, modules, any) of one column, outside the
    table's timestamps."""
    m = map_type(c.type, _ENUM_STUB, enum_class, native_uuid)
    # The builtins as without a native uuid type (a uuid column's ``str``), always.
    annotation = (map_type(c.type, _ENUM_STUB, enum_class, False) if native_uuid
                  else m).annotation
    sa = m.sa_names
    if _has_server_default(c):
        sa += ("text",)
    if c.generated is not None:
        sa += ("Computed",)
    return annotation, sa, m.needs_raw, m.modules, m.needs_any


_needs_memo = object_memo()


def _collect_imports(t: Table, needs: Needs, imports: Imports, annotated: bool = True) -> None:
    """What the table's columns need; ``annotated`` (a class): the annotations' modules too."""
    imports.raw |= needs.raw
    if annotated and needs.any:
        imports.typing("Any")
    if needs.enum:
        imports.enum_values = True
    if t.columns:   # as one call per column did: even an empty sqlalchemy entry
        imports.sa(*needs.sa)
    if annotated:
        imports.module(*needs.modules)


_ENUM_STUB = Call("Enum", [])   # stands for an enum's call where only its imports matter


# ---------------------------------------------------------------- enums


def enum_views(schema: Schema, p: Plan) -> list[EnumView]:
    seen: dict[str, EnumView] = {}
    for (table, column), name in p.enums.items():
        col = schema.table(table).column(column)  # type: ignore[union-attr]
        if name not in seen:
            seen[name] = EnumView(name, _members(col.type.values))  # type: ignore[union-attr]
    return list(seen.values())


def _members(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out, used = [], set()
    for v in values:
        name = snake_ident(v).upper() if v.strip() else "EMPTY"
        if name.startswith("C_") and not v[:1].isalpha():
            name = "V_" + name[2:]
        base, n = name, 2
        while name in used or name.startswith("_") or name in ("MRO",):
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        out.append((name, pystr(v)))
    return tuple(out)


# ---------------------------------------------------------------- columns


def column_type(t: Table, c: Column, p: Plan):
    enum_class = p.enums.get((t.name, c.name))
    enum_call = None
    if enum_class is not None:
        named = p.dialect == "postgres" and c.type.raw.isidentifier()
        enum_name = c.type.raw if named else snake_ident(f"{t.name}_{c.name}")
        enum_call = Call("Enum", [enum_class, kw("name", pystr(enum_name)),
                                  "values_callable=enum_values", "create_constraint=True"])
    return map_type(c.type, enum_call, enum_class, p.dialect == "postgres")


def column_args(t: Table, c: Column, p: Plan, fk_arg, orm: bool = True) -> tuple[list, str]:
    """Arguments of ``mapped_column`` (``orm``) or ``Column`` after the name, and the
    annotation (whose ``| None`` gives a mapped column its nullability)."""
    m = column_type(t, c, p)
    args: list = [m.sa_type]
    if fk_arg is not None:
        args.append(fk_arg)
    if c.generated is not None:
        args.append(Call("Computed", [pystr(c.generated.expression)]
                         + (["persisted=True"] if c.generated.stored else [])))
    pk = t.primary_key.columns if t.primary_key else ()
    if c.name in pk:
        args.append("primary_key=True")
        if len(pk) == 1 and c.type.kind is Kind.INTEGER and not c.autoincrement \
                and p.dialect != "sqlite":  # SQLite's INTEGER PRIMARY KEY is the rowid
            args.append("autoincrement=False")
    elif not orm and not c.nullable:
        args.append("nullable=False")
    default = _server_default(c)
    if default is not None:
        args.append(kw("server_default", default))
    args += _timestamp_defaults(t, c)
    if c.comment:
        args.append(kw("comment", pystr(c.comment)))
    annotation = m.annotation
    if c.nullable and c.name not in pk and annotation != "Any":
        annotation += " | None"
    return args, annotation


def _timestamp_defaults(t: Table, c: Column) -> list:
    """Creation/update timestamps are set by the ORM, as Eloquent does (client side: the
    DDL keeps no default the schema did not have).  A pivot row written through
    ``secondary=`` gets them too."""
    conv = t.conventions
    if conv is None or c.default is not None or c.name not in (conv.created_at, conv.updated_at):
        return []
    out = ["default=func.now()"]
    if c.name == conv.updated_at:
        out.append("onupdate=func.now()")
    return out


def _has_server_default(c: Column) -> bool:
    d = c.default
    return not (d is None or d.kind is DefaultKind.NULL
                # a serial column's sequence: autoincrement says it
                or c.autoincrement and d.value.lower().startswith("nextval("))


def _server_default(c: Column):
    if not _has_server_default(c):
        return None
    d = c.default
    assert d is not None
    if d.kind is DefaultKind.STRING:
        return Call("text", [pystr("'" + d.value.replace("'", "''") + "'")])
    if d.kind is DefaultKind.BOOLEAN:
        return Call("text", [pystr("1" if d.value.lower() == "true" else "0")])
    return Call("text", [pystr(d.value)])


def table_args(t: Table, p: Plan, extra: list) -> list:
    """``__table_args__`` items: composite FKs, unique constraints, indexes, checks."""
    items: list = list(extra)
    for ix in t.indexes:
        items.append(_index(t, ix))
    for ch in t.checks:
        items.append(Call("CheckConstraint", [pystr(ch.expression)]
                          + ([kw("name", pystr(ch.name))] if ch.name else [])))
    return items


def _index(t: Table, ix: Index):
    if ix.constraint and ix.where is None and ix.columns:
        args = [pystr(c) for c in ix.columns] + ([kw("name", pystr(ix.name))] if ix.name else [])
        return Call("UniqueConstraint", args)
    parts = []
    for part in ix.parts:
        if part.column is not None and not part.descending:
            parts.append(pystr(part.column))
        else:
            expr = part.expression or '"' + (part.column or "").replace('"', '""') + '"'
            parts.append(Call("text", [pystr(expr + (" DESC" if part.descending else ""))]))
    name = ix.name or "ix_" + snake_ident(t.name + "_" + "_".join(ix.columns or ("expr",)))
    args = [pystr(name), *parts]
    if ix.unique:
        args.append("unique=True")
    if ix.where:
        args += [kw("sqlite_where", Call("text", [pystr(ix.where)])),
                 kw("postgresql_where", Call("text", [pystr(ix.where)]))]
    return Call("Index", args)


def doc_lines(t: Table) -> tuple[str, ...]:
    return (f"# {comment_text(t.comment)}",) if t.comment else ()


def render(prefix: str, node, indent: int) -> str:
    return "\n".join(lines(prefix, node, indent))


def table_args_lines(items: list, options: dict | None) -> tuple[str, ...]:
    if not items and not options:
        return ()
    entries = [(pystr(k) + ": ", v) for k, v in (options or {}).items()]
    if entries:
        items = [*items, Seq("{", "}", entries)]
    return (render("__table_args__ = ", Seq("(", ")", items), 4),)
