"""Detect Laravel-style conventions per table: model name, keys, timestamps, soft deletes.

Before: ``Table("posts", [id INTEGER PK AUTOINCREMENT, created_at, updated_at, deleted_at])``
After:  ``table.conventions == TableConventions(model="Post", created_at="created_at",
updated_at="updated_at", deleted_at="deleted_at", key=("id",), key_type="int",
incrementing=True)``

Every fact records the rule that fired.  Framework tables (migrations, jobs,
sessions, ...) and ignored tables get ``model=None``; the pivot pass later
clears the model of pure pivot tables.
"""

from __future__ import annotations

from functools import lru_cache

from ir.naming import is_framework_table, model_name
from compiler.options import AnalysisOptions
from compiler.passes._copy import evolve
from ir.model import Column, Schema, Table
from ir.rules import Provenance, TableConventions
from ir.types import Kind

# Custom timestamp spellings seen in legacy schemas, most conventional first.
CREATED_NAMES = ("created_at", "created", "created_on", "create_time", "date_created",
                 "creation_date", "createdAt", "CreatedAt", "created_date")
UPDATED_NAMES = ("updated_at", "updated", "modified", "modified_at", "updated_on",
                 "update_time", "date_updated", "date_modified", "last_update",
                 "last_updated", "updatedAt", "UpdatedAt", "modified_date", "updated_date")
DELETED_NAMES = ("deleted_at",)
_TIME_KINDS = (Kind.DATETIME, Kind.DATE)
_TIME_NAMES = frozenset(CREATED_NAMES + UPDATED_NAMES + DELETED_NAMES)


@lru_cache(maxsize=65536)
def _prov(origin: str, rule: str, basis: tuple[str, ...]) -> Provenance:
    return Provenance(origin, rule, basis)  # immutable, the same on table after table


def _time_column(found: dict[str, Column], names: tuple[str, ...]) -> Column | None:
    for name in names:
        col = found.get(name)
        if col is not None and col.type.kind in _TIME_KINDS:
            return col
    return None


def _time_candidates(table: Table) -> dict[str, Column]:
    """The columns bearing a timestamp name, as ``table.column`` finds them (one scan of
    the columns instead of two dozen name lookups per table)."""
    return {c.name: c for c in table.columns if c.name in _TIME_NAMES}


def _rowid(table: Table, col: Column, dialect: str) -> bool:
    """SQLite's ``INTEGER PRIMARY KEY`` is the rowid: the database assigns it,
    AUTOINCREMENT or not (https://sqlite.org/autoinc.html)."""
    return dialect == "sqlite" and not table.without_rowid and col.type.raw.upper() == "INTEGER"


def _key(table: Table, dialect: str = "sqlite") -> tuple[dict, list[Provenance]]:
    pk = table.primary_key
    if pk is None:
        return {}, []
    cols = [table.column(c) for c in pk.columns]
    facts: dict = {"key": pk.columns}
    if len(cols) > 1:
        return facts, [_prov("declared", "composite-key", pk.columns)]
    col = cols[0]
    kind = col.type.kind
    if kind is Kind.INTEGER:
        incrementing = col.autoincrement or _rowid(table, col, dialect)
        facts.update(key_type="int", incrementing=incrementing)
        return facts, [_prov("declared", "int-key", pk.columns)]
    facts["key_type"] = "string"
    if kind is Kind.UUID:
        facts["key_format"] = "uuid"
    elif kind is Kind.STRING and col.type.length == 26 and col.type.fixed:
        facts["key_format"] = "ulid"
    return facts, [_prov("declared", "string-key", pk.columns)]


def _morph_pairs(table: Table) -> tuple[str, ...]:
    ordered = [c.name for c in table.columns]
    if not any(c.endswith("_type") for c in ordered):
        return ()  # most tables: no need for the set of names
    names = set(ordered)
    return tuple(c[:-5] for c in ordered
                 if c.endswith("_type") and len(c) > 5 and c[:-5] + "_id" in names)


def table_conventions(table: Table, options: AnalysisOptions,
                      dialect: str = "sqlite") -> TableConventions:
    prov: list[Provenance] = []
    framework = is_framework_table(table.name)
    model = options.model_names.get(table.name) or model_name(table.name)
    if table.name in options.ignore_tables:
        model = None
        prov.append(Provenance("config", "ignored", (table.name,)))
    elif framework and not options.framework_models:
        model = None
        prov.append(Provenance("inferred", "framework-table", (table.name,)))
    elif table.partition_of or table.inherits:
        # A partition (or an INHERITS child) stores rows of its parent: the parent's
        # model reads them; a model per partition would duplicate it.
        model = None
        prov.append(Provenance("declared", "partition",
                               (table.partition_of,) if table.partition_of else table.inherits))
    found = _time_candidates(table)
    created = _time_column(found, CREATED_NAMES) if found else None
    updated = _time_column(found, UPDATED_NAMES) if found else None
    deleted = _time_column(found, DELETED_NAMES) if found else None
    for col, rule in ((created, "created-at"), (updated, "updated-at"),
                      (deleted, "soft-deletes")):
        if col is not None:
            prov.append(_prov("inferred", rule, (col.name,)))
    key_facts, key_prov = _key(table, dialect)
    token = table.column("remember_token")
    morphs = _morph_pairs(table)
    if morphs:
        prov.append(Provenance("inferred", "morph-pair",
                               tuple(f"{m}_type+{m}_id" for m in morphs)))
    return TableConventions(
        model=model, framework=framework,
        created_at=created.name if created else None,
        updated_at=updated.name if updated else None,
        deleted_at=deleted.name if deleted and deleted.nullable else None,
        remember_token=token.name if token is not None else None,
        morphs=morphs, provenance=tuple(prov + key_prov), **key_facts)


def detect_conventions(schema: Schema, options: AnalysisOptions = AnalysisOptions()) -> Schema:
    return schema.replace_tables(
        evolve(t, conventions=table_conventions(t, options, schema.dialect))
        for t in schema.tables)
