"""The docs view model: one page per model (properties, relationships, usage) and an index."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import attrs

from backends._diagrams import model_files, model_names, per_schema
from backends._laravel import method_name
from backends._php import php_identifier, unique
from backends.docs import rules as R
from backends.docs.markdown import code, md
from ir.model import Column, Schema, Table
from ir.naming import camel
from ir.relations import Relation
from ir.relations import RelationKind as K


def _line(row: Row) -> str:
    return "| " + " | ".join(row.cells) + " |"


@attrs.frozen
class Row:
    """A Markdown table row; ``line`` is its text (built here, not by a template filter
    per row: 10,000 pages hold ~100,000 rows, and the same column repeats across tables)."""

    cells: tuple[str, ...]
    line: str = attrs.field(init=False, eq=False, default=attrs.Factory(_line, takes_self=True))


@attrs.frozen
class Page:
    table: str
    path: str                    # relative to the docs root
    title: str                   # escaped model name
    summary: str                 # escaped one-liner (table, key, conventions)
    description: str             # escaped table comment
    diagram: str                 # image link target ("" = none)
    properties: tuple[Row, ...]
    relations: tuple[Row, ...]
    examples: tuple[str, ...]    # PHP lines


def table_of(schema: Schema, name: str) -> Table:
    t = schema.table(name)
    assert t is not None, name      # names come from the schema itself
    return t


def _default(c: Column) -> str:
    if c.default is None:
        return ""
    return code(c.default.value if c.default.kind.value != "null" else "NULL")


def _type(c: Column, pk: bool) -> str:
    marks = []
    if pk:
        marks.append("PK")
    if c.autoincrement:
        marks.append("auto-increment")
    if c.generated is not None:
        marks.append("generated")
    return code(c.type.describe()) + (f" ({', '.join(marks)})" if marks else "")


def properties(table: Table, seen: dict[tuple[int, bool], Row] | None = None
               ) -> tuple[Row, ...]:
    """``seen``: rows by column identity, for columns shared by several tables (the
    caller keeps the columns alive while it holds it; cheaper than hashing a Column)."""
    pk = table.primary_key.columns if table.primary_key else ()
    if seen is None:
        return tuple(_property(c, c.name in pk) for c in table.columns)
    rows = []
    for c in table.columns:
        key = (id(c), c.name in pk)
        row = seen.get(key)
        if row is None:
            seen[key] = row = _property(c, key[1])
        rows.append(row)
    return tuple(rows)


def _property(c: Column, pk: bool) -> Row:
    # Not memoized by value: hashing a Column hashes its casts and constraints, dearer
    # than the row; callers share rows per column object (``seen``).
    return Row((code(c.name), _type(c, pk), "yes" if c.nullable else "no",
                _default(c), code(R.cast(c)) if c.cast else "",
                code(R.rules(c)) if c.constraints else "",
                md(c.comment) if c.comment else ""))


def ends(schema: Schema, table: str) -> list[tuple[Relation, str]]:
    """(relation, side) of every named end on ``table`` that has an Eloquent call."""
    return [(r, side) for r, side, _call in _ends(schema).get(table, ())]


@per_schema
def _ends(schema: Schema) -> dict[str, list[tuple[Relation, str, str]]]:
    """Table -> (relation, side, call) of its ends, in relation order, from one pass over
    the relations (the index page and every model page ask; ``relations_touching``
    order, as ends are on the relation's own tables)."""
    out: dict[str, list[tuple[Relation, str, str]]] = {}
    for r in schema.relations:
        name_call = R.CALLS.get((r.kind, "name")) if r.name is not None else None
        if name_call is not None:
            out.setdefault(r.table, []).append((r, "name", name_call))
        inverse_call = (R.CALLS.get((r.kind, "inverse")) if r.inverse_name is not None
                        and r.ref_table is not None else None)
        if inverse_call is not None:
            out.setdefault(r.ref_table, []).append((r, "inverse", inverse_call))
    return out


def _related(r: Relation, side: str) -> str | None:
    if r.kind is K.MORPH_TO:
        return None
    return r.ref_table if side == "name" else r.table


def relations(schema: Schema, table: str, names: Mapping[str, str],
              files: Mapping[str, str]) -> tuple[tuple[Row, ...], tuple[str, ...]]:
    variables = _variables(schema)
    var = variables[table]
    rows, lines, taken = [], [], {c.name.lower() for c in table_of(schema, table).columns}
    named = [(_method_name(_stem(r, side)), i, r, side, call)
             for i, (r, side, call) in enumerate(_ends(schema).get(table, ()))]
    for raw, _, r, side, call in sorted(named):     # by name, then position (they differ)
        method = unique(_identifier(raw), taken)
        other = _related(r, side)
        if other is None:
            related = "any model (morph " + code(r.morph.name if r.morph else r.name) + ")"
        elif other in names and other in files:
            related = _link(names[other], files[other])
        else:
            related = "table " + code(other)
        rows.append(Row((code(method + "()"), call, related, code(R.keys(r, side)),
                         md(R.provenance(r)))))
        lines.append(R.example(var, method, call, variables.get(other, "related")))
    return tuple(rows), tuple(lines)


@per_schema
def _variables(schema: Schema) -> dict[str | None, str]:
    """Model table -> the PHP variable of an instance in usage examples (``$blogPost``)."""
    return {table: camel(model) for table, model in model_names(schema).items()}


# Relation stems repeat across tables (user, posts, ...).
_method_name = lru_cache(maxsize=1 << 15)(method_name)


@lru_cache(maxsize=1 << 15)
def _identifier(raw: str) -> str:
    return php_identifier(raw[:1].lower() + raw[1:], "relation")


@lru_cache(maxsize=1 << 15)
def _link(model: str, file: str) -> str:
    return f"[{md(model)}]({file}.md)"


def _stem(r: Relation, side: str) -> str:
    return (r.name if side == "name" else r.inverse_name) or ""


def summary(table: Table) -> str:
    parts = ["table " + code(table.name)]
    conv = table.conventions
    if conv is not None and conv.key:
        kind = f"{conv.key_type or ''}{', ' + conv.key_format if conv.key_format else ''}"
        inc = ", incrementing" if conv.incrementing else ""
        parts.append("key " + ", ".join(code(k) for k in conv.key) + f" ({kind}{inc})")
    elif table.primary_key is None:
        parts.append("no primary key")
    if conv is not None and (conv.created_at or conv.updated_at):
        parts.append("timestamps")
    if conv is not None and conv.deleted_at:
        parts.append("soft deletes (" + code(conv.deleted_at) + ")")
    return " · ".join(parts)


def diagram_link(stem: str, opts: Mapping[str, Any], sources: Mapping[str, str]) -> str:
    if opts["diagram_links"] == "none":
        return ""
    if opts["diagram_links"] == "server":
        from backends._plantuml_url import server_url
        return server_url(opts["plantuml_server"], sources.get(stem, ""), opts["diagram_format"])
    return f"{_relative(opts['diagrams_path'], opts['path'])}/{stem}.{opts['diagram_format']}"


@lru_cache(maxsize=64)
def _relative(diagrams_path: str, docs_path: str) -> str:
    """The focused diagrams' folder as seen from the docs folder."""
    return posixpath.relpath(posixpath.join(diagrams_path, "models"), docs_path or ".")


def build_pages(schema: Schema, opts: Mapping[str, Any], sources: Mapping[str, str],
                tables: Iterable[str]) -> list[Page]:
    """The pages of the models among ``tables``, in schema order."""
    names, files = model_names(schema), model_files(schema)
    wanted = set(tables)
    seen = _rows_seen(schema)
    pages = []
    for table_name, model in names.items():
        if table_name not in wanted:
            continue
        t = table_of(schema, table_name)
        rows, examples = relations(schema, table_name, names, files)
        pages.append(Page(table_name, f"{files[table_name]}.md", md(model), summary(t),
                          md(t.comment) if t.comment else "",
                          diagram_link(files[table_name], opts, sources),
                          properties(t, seen), rows, examples))
    return pages


def depends_on(schema: Schema, table: str) -> tuple[str, ...]:
    """``table``, then every table one of its relations reaches (pivot and through
    tables included), in schema order: their names and links are on its page."""
    near = {n for r in schema.relations_touching(table)
            for n in (r.table, r.ref_table, r.pivot.table if r.pivot else None,
                      r.through.table if r.through else None)
            if n is not None and n != table}
    position = _positions(schema)
    return (table, *sorted((n for n in near if n in position), key=position.__getitem__))


@per_schema
def _rows_seen(schema: Schema) -> dict[tuple[int, bool], Row]:
    """Property rows by (column id, key): the memo keeps ``schema`` (so its columns) alive."""
    return {}


@per_schema
def _positions(schema: Schema) -> dict[str, int]:
    return {t.name: i for i, t in enumerate(schema.tables)}


def index_rows(schema: Schema) -> tuple[Row, ...]:
    """One row per model: its page, table, column and relation counts, description."""
    names, files = model_names(schema), model_files(schema)
    rows = []
    for table_name, model in names.items():
        t = table_of(schema, table_name)
        rows.append(Row((f"[{md(model)}]({files[table_name]}.md)", code(table_name),
                         str(len(t.columns)), str(len(_ends(schema).get(table_name, ()))),
                         md(t.comment) if t.comment else "")))
    return tuple(rows)
