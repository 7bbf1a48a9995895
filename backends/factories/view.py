"""The factories view model: per model table, the class, its imports and one definition entry per column.

Which columns a factory fills, and how:

- left out: auto-increment and generated columns, an incrementing key, the
  conventional timestamps and soft-delete column (null: not deleted), and a
  uuid/ulid key from Laravel 9 on (``HasUuids``/``HasUlids`` fill it; on 8 the
  factory does).
- ``remember_token``: ``Str::random(10)``.
- a required foreign key: the parent's factory (``User::factory()``; Laravel
  creates the parent and stores its key).  A nullable one is left out (null):
  set it with ``->for($parent)``.  A required key that points back at its own
  table, or closes a cycle of required keys, is left out with a comment: its
  factory would recurse forever.
- a polymorphic pair: the first known target model (its morph class and its
  factory); with no known target it is left out with a comment.
- a column named by a CHECK the IR could not read (``LIKE`` patterns): null when
  nullable (a CHECK passes on NULL), else a value with a comment to check it.
- anything else: :func:`backends.factories.faker.expression`.

Required columns left out are listed in ``FactoryView.incomplete``: creating
such a model needs a state or attributes from the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import attrs

from backends._laravel import model_classes_view, object_memo, per_schema
from backends._safe import comment_text, path_segment
from backends._safe import php_single_quoted as q
from backends.factories.faker import PERSON_TABLE, expression
from ir.model import Column, Schema, Table
from ir.relations import RelationKind as K
from ir.rules import CastKind
from ir.types import Kind

FACTORY = "Illuminate\\Database\\Eloquent\\Factories\\Factory"
STR = "Illuminate\\Support\\Str"
_TO_ONE = (K.MANY_TO_ONE, K.ONE_TO_ONE)
_KEY_FORMATS = {"uuid": "$this->faker->unique()->uuid()",
                "ulid": "$this->faker->unique()->regexify('[0-7][0-9A-HJKMNP-TV-Z]{25}')"}


@attrs.frozen
class Entry:
    column: str | None   # PHP literal of the key; None: a comment line only
    value: str
    comment: str = ""


@attrs.frozen
class FactoryView:
    table: str
    name: str
    namespace: str
    path: str
    model: str          # how the file refers to the model class
    model_fqcn: str
    uses: tuple[str, ...]
    factory: str        # how the file refers to Illuminate's Factory
    entries: tuple[Entry, ...]
    generics: bool
    incomplete: tuple[str, ...] = ()


class Imports:
    """``use`` lines of one file; a short name already taken (by the declared class or
    another import) makes later classes of that name fully qualified."""

    def __init__(self, declared: str):
        self._short: dict[str, str] = {declared.lower(): ""}
        self._uses: set[str] = set()

    def ref(self, fqcn: str) -> str:
        short = fqcn.rsplit("\\", 1)[-1]
        owner = self._short.setdefault(short.lower(), fqcn)
        if owner != fqcn:
            return "\\" + fqcn
        self._uses.add(fqcn)
        return short

    def lines(self) -> tuple[str, ...]:
        return tuple(sorted((f"use {u};" for u in self._uses), key=str.lower))


@attrs.frozen
class Ctx:
    schema: Schema
    classes: dict[str, str]
    models_ns: str
    version: int
    cyclic: frozenset[tuple[str, str]]   # (table, column) required keys on a cycle


def parents(schema: Schema, table: Table) -> dict[str, tuple[str, str]]:
    """column -> (parent table, parent column): to-one relations, then declared keys."""
    return parents_index(schema)[table.name]


@per_schema
def parents_index(schema: Schema) -> dict[str, dict[str, tuple[str, str]]]:
    """:func:`parents` of every table, from one pass over the relations (read-only)."""
    out: dict[str, dict[str, tuple[str, str]]] = {t.name: {} for t in schema.tables}
    for r in schema.relations:
        if r.kind in _TO_ONE and r.ref_table and len(r.columns) == 1 \
                and len(r.ref_columns) == 1 and r.table in out:
            out[r.table].setdefault(r.columns[0], (r.ref_table, r.ref_columns[0]))
    for t in schema.tables:
        found = out[t.name]
        for fk in t.foreign_keys:
            for c, rc in zip(fk.columns, fk.ref_columns):
                found.setdefault(c, (fk.ref_table, rc))
    return out


def _required_parents(schema: Schema, classes: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(table, column, parent table) of every NOT NULL key from a model to a model."""
    out = []
    for t in schema.tables:
        if t.name not in classes:
            continue
        for col, (ref, _rc) in parents(schema, t).items():
            if ref in classes:
                c = t.column(col)
                if c is not None and not c.nullable:
                    out.append((t.name, col, ref))
    return out


def _reaches(edges: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(sorted(edges.get(node, ())))
    return False


def cyclic_keys(schema: Schema, classes: Mapping[str, str]) -> frozenset[tuple[str, str]]:
    """Required parent keys whose parent factory would, directly or not, create this
    table's factory again: following them recurses forever."""
    required = _required_parents(schema, classes)
    edges: dict[str, set[str]] = {}
    for table, _col, ref in required:
        edges.setdefault(table, set()).add(ref)
    return frozenset((table, col) for table, col, ref in required
                     if _reaches(edges, ref, table))


def _omitted(table: Table, col: Column, version: int) -> bool:
    conv = table.conventions
    if col.generated is not None or col.autoincrement:
        return True
    if col.name in (conv.created_at, conv.updated_at, conv.deleted_at):
        return True
    if col.name in conv.key and len(conv.key) == 1:
        return conv.incrementing or (conv.key_format is not None and version >= 9)
    return False


def _parent_entry(ctx: Ctx, imports: Imports, table: Table, col: Column,
                  ref: tuple[str, str]) -> Entry | None:
    """The entry of a foreign key column, or None when it is left out silently."""
    if col.nullable:
        return None
    parent, parent_col = ref
    if (table.name, col.name) in ctx.cyclic:
        why = "refers to its own table" if parent == table.name else "closes a cycle of required keys"
        return Entry(None, "", f"{comment_text(col.name)}: {why}; set it in a state or on create()")
    if parent not in ctx.classes:
        return Entry(None, "", f"{comment_text(col.name)}: {comment_text(parent)} has no model; "
                               "set it in a state or on create()")
    cls = imports.ref(f"{ctx.models_ns}\\{ctx.classes[parent]}")
    pconv = ctx.schema.table(parent).conventions
    if pconv.key == (parent_col,):
        return Entry(q(col.name), f"{cls}::factory()")
    return Entry(q(col.name), f"fn () => {cls}::factory()->create()->getAttribute({q(parent_col)})")


def _morph_target(ctx: Ctx, table: Table, morph: str) -> tuple[str, str | None] | None:
    for r in ctx.schema.relations_touching(table.name):
        if r.morph is None or r.morph.name != morph:
            continue
        if r.kind in (K.MORPH_MANY, K.MORPH_ONE) and r.table == table.name:
            target = r.ref_table
        elif r.kind is K.MORPH_TO_MANY and r.pivot and r.pivot.table == table.name:
            target = r.table
        else:
            continue
        if target in ctx.classes and len(ctx.schema.table(target).conventions.key) == 1:
            return target, r.morph.type_value
    return None


def _morph_entries(ctx: Ctx, imports: Imports, table: Table) -> dict[str, Entry | None]:
    """column -> entry (None: left out) for every polymorphic pair of ``table``."""
    out: dict[str, Entry | None] = {}
    for morph in table.conventions.morphs:
        type_col, id_col = f"{morph}_type", f"{morph}_id"
        if table.column(type_col) is None or table.column(id_col) is None:
            continue
        found = _morph_target(ctx, table, morph)
        if found is None:
            required = not (table.column(type_col).nullable and table.column(id_col).nullable)
            note = (f"{comment_text(morph)}: no known morph target; set it with "
                    f"->for($model, {q(morph)})") if required else None
            out[type_col] = Entry(None, "", note) if note else None
            out[id_col] = None
            continue
        target, type_value = found
        cls = imports.ref(f"{ctx.models_ns}\\{ctx.classes[target]}")
        out[type_col] = Entry(q(type_col), q(type_value) if type_value else f"{cls}::class")
        out[id_col] = Entry(q(id_col), f"{cls}::factory()")
    return out


def _opaque_check(table: Table, col: Column) -> bool:
    """A CHECK names the column but gave the IR no fact (``LIKE`` patterns, ...):
    a random value would likely break it.  JSON and boolean values are always valid."""
    if not any(col.name in ch.columns for ch in table.checks):
        return False
    if col.type.kind in (Kind.JSON, Kind.BOOLEAN) or (
            col.cast is not None and col.cast.kind in (CastKind.JSON, CastKind.BOOLEAN)):
        return False
    return not any(c.provenance is not None and c.provenance.rule.startswith("check-")
                   for c in col.constraints)


_entry_memo = object_memo()


def _plain_entry(memo: dict, col: Column, person: bool) -> Entry:
    """The faker entry of a column, once per distinct Column object (and person-ness)."""
    key = (id(col), person)
    entry = memo.get(key)
    if entry is None:
        entry = memo[key] = Entry(q(col.name), expression(col, person))
    return entry


def _entries(ctx: Ctx, imports: Imports, table: Table) -> tuple[list[Entry], list[str]]:
    conv, refs = table.conventions, parents(ctx.schema, table)
    morphs = _morph_entries(ctx, imports, table)
    person = bool(PERSON_TABLE.search(table.name))
    memo = _entry_memo(ctx.schema)
    checked = {c for ch in table.checks for c in ch.columns}
    entries, missing = [], []
    for col in table.columns:
        if _omitted(table, col, ctx.version):
            continue
        if col.name in morphs or col.name in refs:
            entry = morphs[col.name] if col.name in morphs else \
                _parent_entry(ctx, imports, table, col, refs[col.name])
        elif len(conv.key) == 1 and col.name == conv.key[0] and conv.key_format in _KEY_FORMATS:
            # before Laravel 9 no HasUuids/HasUlids trait fills it: the factory must
            entry = Entry(q(col.name), _KEY_FORMATS[conv.key_format])
        elif col.name == conv.remember_token:
            entry = Entry(q(col.name), imports.ref(STR) + "::random(10)")
        elif col.name in checked and _opaque_check(table, col):
            note = f"{comment_text(col.name)}: a CHECK schemac cannot read constrains it"
            if col.nullable:
                entry = Entry(None, "", note + "; left null")
            else:
                entries.append(Entry(None, "", note + "; check this value"))
                entry = Entry(q(col.name), expression(col, person))
        else:
            entry = _plain_entry(memo, col, person)
        if (entry is None or entry.column is None) and not col.nullable and col.default is None:
            missing.append(col.name)
        if entry is not None:
            entries.append(entry)
    return entries, missing


def build_factory(ctx: Ctx, table: Table, options) -> FactoryView:
    model = ctx.classes[table.name]
    name = model + "Factory"
    imports = Imports(name)
    factory = imports.ref(FACTORY)
    model_fqcn = f"{ctx.models_ns}\\{model}"
    model_ref = imports.ref(model_fqcn)
    entries, missing = _entries(ctx, imports, table)
    path = f"{options['factories_path'].rstrip('/')}/{path_segment(name)}.php"
    return FactoryView(table.name, name, options["factories_namespace"], path, model_ref,
                       model_fqcn, imports.lines(), factory, tuple(entries),
                       ctx.version >= 9, tuple(missing))


@per_schema
def _cyclic(schema: Schema) -> frozenset[tuple[str, str]]:
    return cyclic_keys(schema, dict(model_classes_view(schema)))


def iter_factories(schema: Schema, options,
                   tables: Iterable[str] | None = None) -> Iterator[FactoryView]:
    """The factories of the model tables among ``tables`` (default: all), one at a time;
    the whole-schema facts (class names, cyclic keys) are computed once per schema."""
    classes = model_classes_view(schema)
    ctx = Ctx(schema, classes, options["models_namespace"].strip("\\"),
              options["laravel_version"], _cyclic(schema))
    chosen = classes if tables is None else [t for t in dict.fromkeys(tables) if t in classes]
    for t in chosen:
        yield build_factory(ctx, schema.table(t), options)


def build_factories(schema: Schema, options,
                    tables: Iterable[str] | None = None) -> list[FactoryView]:
    return list(iter_factories(schema, options, tables))
