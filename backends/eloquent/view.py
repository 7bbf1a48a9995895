"""The Eloquent view model: per model table, every name, type, import and member to print.

Only what differs from Laravel's defaults is emitted (``$table``, keys,
timestamps, ...); the templates just print what this module decides.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

import attrs

from backends._laravel import (
    generated_header,
    model_classes_view,
    model_tables,
    object_memo,
    per_schema,
)
from backends._safe import comment_text, path_segment
from backends._safe import php_single_quoted as q
from backends.eloquent import casts as C
from backends.eloquent.names import Imports, enum_cases, enum_class, unique
from backends.eloquent.relations import Method, Models, build_methods
from ir.model import Schema, Table
from ir.naming import table_name
from ir.rules import CastKind

TRAITS = {"HasFactory": "Illuminate\\Database\\Eloquent\\Factories\\HasFactory",
          "SoftDeletes": "Illuminate\\Database\\Eloquent\\SoftDeletes",
          "HasUuids": "Illuminate\\Database\\Eloquent\\Concerns\\HasUuids",
          "HasUlids": "Illuminate\\Database\\Eloquent\\Concerns\\HasUlids",
          "Notifiable": "Illuminate\\Notifications\\Notifiable"}
MODEL = "Illuminate\\Database\\Eloquent\\Model"
AUTH_USER = "Illuminate\\Foundation\\Auth\\User"
CARBON = "\\Illuminate\\Support\\Carbon"
_HIDDEN = re.compile(r"^(?:password|remember_token|secret|token|api_key|api_token|access_token"
                     r"|refresh_token|private_key|client_secret|two_factor_\w+)$"
                     r"|_(?:secret|token|password|api_key|private_key)$", re.IGNORECASE)
_IDENT = re.compile(r"^[A-Za-z_][0-9A-Za-z_]*$")


@attrs.frozen
class Member:
    doc: tuple[str, ...]    # docblock lines (empty: none)
    lines: tuple[str, ...]  # code lines, relative to the class body indentation


@attrs.frozen
class EnumView:
    path: str
    namespace: str
    name: str
    cases: tuple[tuple[str, str], ...]   # (case name, PHP literal)
    table: str
    header: tuple[str, ...]


@attrs.frozen
class ModelView:
    table: str
    name: str
    namespace: str
    path: str
    header: tuple[str, ...]
    uses: tuple[str, ...]
    abstract: bool
    extends: str
    doc: tuple[str, ...]
    traits: tuple[str, ...]
    members: tuple[Member, ...]
    user_path: str | None         # the create-once subclass, when base classes are on
    user_namespace: str
    base_fqcn: str
    methods: tuple[Method, ...] = ()
    casts: tuple[tuple[str, str], ...] = ()   # (column, PHPDoc type), for checks


header = generated_header


def _key(table: Table) -> str | None:
    conv = table.conventions
    return conv.key[0] if conv and len(conv.key) == 1 else None


def model_map(schema: Schema, namespace: str) -> Models:
    """Final class names (valid, unique) and keys of every model table."""
    classes = dict(model_classes_view(schema))
    keys = {t.name: _key(t) for t in schema.tables}
    return Models(classes, keys, namespace)


def enum_map(schema: Schema, models: Models, options) -> dict[tuple[str, str], str]:
    """(table, column) -> enum class short name, for enum-cast columns with known values."""
    if not options["enums"]:
        return {}
    taken: set[str] = set()
    out = {}
    for t in model_tables(schema):
        for c in t.columns:
            if c.cast and c.cast.kind is CastKind.ENUM and c.type.values and not c.type.multiple:
                out[(t.name, c.name)] = unique(enum_class(models.classes[t.name], c.name), taken)
    return out


def build_enums(schema: Schema, enums: dict, options,
                tables: Iterable[str] | None = None) -> list[EnumView]:
    """The enum classes of ``tables`` (default: all), in source order."""
    ns, base = options["enums_namespace"], options["enums_path"].rstrip("/")
    items = enums.items() if tables is None else _enums_of(enums, tables)
    out = []
    for (table, column), name in items:
        cases = enum_cases(schema.table(table).column(column).type.values)
        out.append(EnumView(f"{base}/{path_segment(name)}.php", ns, name,
                            tuple((n, q(v)) for n, v in cases), table, header(schema)))
    return out


def _traits(table: Table, options, version: int) -> list[str]:
    conv = table.conventions
    traits = ["HasFactory"] if options["factories"] else []
    if table.name == options["user_model_table"] and table.name not in options["extends"]:
        traits.append("Notifiable")
    if conv.deleted_at:
        traits.append("SoftDeletes")
    if C.FEATURES[version]["unique_id_traits"] and len(conv.key) == 1:
        traits += {"uuid": ["HasUuids"], "ulid": ["HasUlids"]}.get(conv.key_format or "", [])
    return sorted(traits)


def _fillable_skip(table: Table, traits: list[str]) -> set[str]:
    conv = table.conventions
    skip = {conv.created_at, conv.updated_at, conv.deleted_at, conv.remember_token}
    if conv.incrementing or "HasUuids" in traits or "HasUlids" in traits:
        skip.update(conv.key)
    skip.update(c.name for c in table.columns if c.autoincrement or c.generated)
    return {s for s in skip if s}


def _list_member(doc: str, var: str, decl: str, items: list[str]) -> Member:
    if not items:
        return Member((doc, "", f"@var {var}"), (f"{decl} = [];",))
    return Member((doc, "", f"@var {var}"),
                  (f"{decl} = [",) + tuple(f"    {i}," for i in items) + ("];",))


def _key_members(table: Table, traits: list[str]) -> list[Member]:
    conv, out = table.conventions, []
    if len(conv.key) != 1:
        what = (f"Composite primary key ({', '.join(conv.key)})" if conv.key
                else "No primary key")
        doc = (comment_text(what) + ": Eloquent models need a single-column key, so find(),",
               "save() of a loaded row, delete() and relations to this model do not work.")
        return [Member(doc, ("protected $primaryKey = null;",)),
                Member((), ("public $incrementing = false;",))]
    if conv.key[0] != "id":
        out.append(Member((), (f"protected $primaryKey = {q(conv.key[0])};",)))
    if "HasUuids" in traits or "HasUlids" in traits:
        return out
    if conv.key_type == "string":
        out.append(Member((), ("protected $keyType = 'string';",)))
    if not conv.incrementing:
        out.append(Member((), ("public $incrementing = false;",)))
    return out


def _timestamp_members(table: Table) -> tuple[list[Member], list[Member]]:
    """(CREATED_AT/UPDATED_AT/DELETED_AT constants, ``$timestamps = false`` or nothing)."""
    conv, out = table.conventions, []
    if conv.deleted_at and conv.deleted_at != "deleted_at":
        out.append(Member((), (f"public const DELETED_AT = {q(conv.deleted_at)};",)))
    if not conv.created_at and not conv.updated_at:
        return out, [Member((), ("public $timestamps = false;",))]
    for const, col, default in (("CREATED_AT", conv.created_at, "created_at"),
                                ("UPDATED_AT", conv.updated_at, "updated_at")):
        if col != default:
            out.insert(len(out) - bool(conv.deleted_at and conv.deleted_at != "deleted_at"),
                       Member((), (f"public const {const} = {q(col) if col else 'null'};",)))
    return out, []


def _casts(table: Table, enums: dict, imports: Imports, ens: str, version: int,
           options) -> dict[str, tuple[str, str]]:
    """column -> (PHP cast expression, PHPDoc type without null)."""
    out = {}
    for c in table.columns:
        if c.cast is None:
            continue
        spelling = C.cast_string(c.cast, version, options)
        if spelling is C.ENUM:
            enum = enums.get((table.name, c.name))
            if enum is None:
                spelling = "string"
            else:
                out[c.name] = (imports.ref(f"{ens}\\{enum}") + "::class", f"\\{ens}\\{enum}")
                continue
        if isinstance(spelling, str):
            out[c.name] = (q(spelling), C.CAST_DOC_TYPE.get(spelling.split(":")[0], "mixed"))
    return out


def _casts_members(casts: dict, version: int) -> list[Member]:
    if not casts:
        return []
    items = [f"{q(col)} => {expr}" for col, (expr, _t) in casts.items()]
    if not C.FEATURES[version]["casts_method"]:
        return [_list_member("The attributes that should be cast.", "array<string, string>",
                             "protected $casts", items)]
    body = ("protected function casts(): array", "{", "    return [") + tuple(
        f"        {i}," for i in items) + ("    ];", "}")
    return [Member(("Get the attributes that should be cast.", "",
                    "@return array<string, string>"), body)]


def _doc_type(table: Table, col, casts: dict) -> str:
    conv = table.conventions
    if col.name in casts:
        php = casts[col.name][1]
    elif col.name in (conv.created_at, conv.updated_at, conv.deleted_at):
        php = CARBON
    else:
        php = C.KIND_DOC_TYPE.get(col.type.kind.value, "mixed")
    return php + ("|null" if col.nullable and col.name not in conv.key else "")


_doc_memo = object_memo()


def _class_doc(schema: Schema, table: Table, casts: dict, methods: list[Method]
               ) -> tuple[str, ...]:
    """``@property`` lines: a column without a cast or timestamp role has the same line
    wherever its Column object appears (given whether it is a key), built once."""
    conv, memo = table.conventions, _doc_memo(schema)
    own = {conv.created_at, conv.updated_at, conv.deleted_at, *casts}
    lines = []
    for c in table.columns:
        if c.name in own:
            if _IDENT.match(c.name):
                lines.append(f"@property {_doc_type(table, c, casts)} ${c.name}")
            continue
        key = (id(c), c.name in conv.key)
        line = memo.get(key, False)
        if line is False:
            line = memo[key] = (f"@property {_doc_type(table, c, casts)} ${c.name}"
                                if _IDENT.match(c.name) else None)
        if line is not None:
            lines.append(line)
    return tuple(lines + [m.prop for m in methods])


def _parent(table: Table, imports: Imports, options) -> str:
    fqcn = options["extends"].get(table.name)
    if fqcn:
        return imports.ref(fqcn)
    if table.name == options["user_model_table"]:
        return imports.ref(AUTH_USER, alias="Authenticatable")
    return imports.ref(MODEL)


def build_model(schema: Schema, table: Table, models: Models, enums: dict, options) -> ModelView:
    version, base = options["laravel_version"], options["base_classes"]
    name = models.classes[table.name]
    ns = options["base_namespace"] if base else options["namespace"]
    imports = Imports(ns, name)
    extends = _parent(table, imports, options)
    traits = _traits(table, options, version)
    trait_refs = tuple(imports.ref(TRAITS[t]) for t in traits)
    casts = _casts(table, enums, imports, options["enums_namespace"], version, options)
    nullable = {c.name: c.nullable for c in table.columns}
    taken = {c.name.lower() for c in table.columns}
    methods = build_methods(schema, table.name, models, imports, nullable,
                            C.FEATURES[version]["generics"], taken)
    members = _settings(table, name, traits, options)
    members += _mass_assignment(table, traits, version, options)
    members += _casts_members(casts, version)
    members += [Member(("@return " + m.doc_return,) if m.doc_return else (),
                       (f"public function {m.name}(): {m.returns}", "{")
                       + tuple("    " + b for b in m.body) + ("}",)) for m in methods]
    mpath = options["models_path"].rstrip("/")
    file = path_segment(name) + ".php"
    return ModelView(
        table.name, name, ns, f"{mpath}/Base/{file}" if base else f"{mpath}/{file}",
        header(schema), tuple(imports.lines()), base, extends,
        _class_doc(schema, table, casts, methods), trait_refs, tuple(members),
        f"{mpath}/{file}" if base else None, options["namespace"], f"{ns}\\{name}",
        tuple(methods), tuple((c, t) for c, (_e, t) in casts.items()))


def _settings(table: Table, name: str, traits: list[str], options) -> list[Member]:
    consts, no_timestamps = _timestamp_members(table)
    out = list(consts)
    if table_name(name) != table.name:
        out.append(Member((), (f"protected $table = {q(table.name)};",)))
    out += _key_members(table, traits) + no_timestamps
    if options["connection"]:
        out.append(Member((), (f"protected $connection = {q(options['connection'])};",)))
    return out


@functools.lru_cache(maxsize=1 << 16)
def _hidden(column: str) -> bool:
    """A secret by its name: left out of serialization (column names repeat)."""
    return _HIDDEN.search(column) is not None


def _mass_assignment(table: Table, traits: list[str], version: int, options) -> list[Member]:
    var = "list<string>" if version >= 11 else "array<int, string>"
    skip = _fillable_skip(table, traits)
    names = [c.name for c in table.columns]
    if options["mass_assignment"] == "guarded":
        out = [_list_member("The attributes that are not mass assignable.", var,
                            "protected $guarded", [q(n) for n in names if n in skip])]
    else:
        out = [_list_member("The attributes that are mass assignable.", var,
                            "protected $fillable", [q(n) for n in names if n not in skip])]
    hidden = [q(n) for n in names if _hidden(n)]
    if hidden:
        out.append(_list_member("The attributes that should be hidden for serialization.",
                                var, "protected $hidden", hidden))
    return out


def _enums_of(enums: dict, tables: Iterable[str]) -> list[tuple[tuple[str, str], str]]:
    by_table: dict[str, list] = {}
    for item in enums.items():
        by_table.setdefault(item[0][0], []).append(item)
    return [item for t in tables for item in by_table.get(t, ())]


@per_schema
def schema_index(schema: Schema, namespace: str, enums: bool) -> tuple[Models, dict]:
    """What every model's file needs to know about the others (class names, keys,
    enum class names): built once per schema, however many chunks are emitted."""
    models = model_map(schema, namespace)
    return models, enum_map(schema, models, {"enums": enums})


def chosen_tables(schema: Schema, models: Models, tables: Iterable[str] | None) -> list[Table]:
    """The model tables among ``tables`` (default: all), in the order given."""
    if tables is None:
        return model_tables(schema)
    return [t for t in map(schema.table, dict.fromkeys(tables))
            if t is not None and t.name in models.classes]


def iter_models(schema: Schema, options, tables: Iterable[str] | None = None
                ) -> Iterator[ModelView]:
    """One view at a time: a caller that renders each at once keeps no view alive (on a
    10,000-table schema, live views made the garbage collector a third of the time)."""
    models, enums = schema_index(schema, options["namespace"], options["enums"])
    for t in chosen_tables(schema, models, tables):
        yield build_model(schema, t, models, enums, options)


def enums_of(schema: Schema, options, tables: Iterable[str] | None = None) -> list[EnumView]:
    models, enums = schema_index(schema, options["namespace"], options["enums"])
    if tables is None:
        return build_enums(schema, enums, options)
    return build_enums(schema, enums, options, [t.name for t in chosen_tables(schema, models, tables)])


def build_models(schema: Schema, options, tables: Iterable[str] | None = None
                 ) -> tuple[list[ModelView], list[EnumView]]:
    """Models and enums of ``tables`` (default: every table; non-model tables give none)."""
    return list(iter_models(schema, options, tables)), enums_of(schema, options, tables)
