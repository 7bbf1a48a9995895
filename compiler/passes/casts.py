"""Infer each column's ORM-neutral attribute cast (``Column.cast``) from its type and name.

What a careful Laravel developer casts, and so what this pass infers:

- the type says it (provenance ``declared``, rule ``cast-by-type``): boolean,
  date, datetime, decimal with a known scale (``decimal`` arg ``"2"``; PDO hands
  DECIMAL back as a string on every driver), json, enum (arg ``"table.column"``,
  a neutral stem the backend names).  MySQL SET columns are not enums and get
  nothing.
- the conventional timestamps (created_at / updated_at / deleted_at, read from
  ``table.conventions`` when the conventions pass ran, else by those names) get
  no cast: Eloquent casts them itself.
- no ``integer`` / ``float`` / ``string`` casts.  With PHP >= 8.1, PDO returns
  native ints and floats on MySQL, PostgreSQL and SQLite, so those casts are
  redundant; older apps (pterodactyl) still write them for old drivers, which is
  why the answer-key recall (tests/test_casts_answer_key.py) is low on integers
  by design.  A user who wants them writes them in ``[tool.schemac.casts]``.
- by name, each with its own rule id (provenance ``inferred``), kept
  conservative because a wrong cast corrupts data while a missing one is only
  a string where an array was hoped for:

  * ``boolean-by-name``: an integer column named ``is_*``, ``has_*``,
    ``can_*``, ... or ``*_enabled`` / ``*_disabled``, not wider than a tinyint
    when the width is known and with no default other than 0/1 (Laravel's
    SQLite grammar and old MySQL dumps keep such flags as plain integers).
  * ``boolean-by-check``: an integer column whose CHECK allows only 0 and 1
    (what SQLAlchemy's Boolean emits).
  * ``json-by-check``: a text column under ``CHECK (json_valid(col))``
    (MariaDB's spelling of JSON).  Provenance ``declared``.
  * ``json-by-default``: a text column defaulting to ``'[]'`` or ``'{}'``.
  * ``json-by-name``: a TEXT column (the type Laravel's SQLite grammar gives
    ``json``) whose name is a known bag-of-attributes name (``options``,
    ``settings``, ``meta``, ``metadata``, ``properties``, ...) or ends in
    ``_json``.  ``payload`` and ``data`` are left out: framework tables
    (jobs, sessions) keep serialized PHP there, and ``data`` is too generic.
  * ``password-by-name``: a ``password`` column on a table that looks like an
    authenticatable (it has ``remember_token`` or ``email``); elsewhere a
    password is usually a credential for another system that must stay
    reversible (pterodactyl's ``databases.password``, next to ``host`` and
    ``username``, is encrypted, not hashed).

  Name rules never fire on framework tables (``conventions.framework``, or a
  known Laravel framework table name when conventions are absent): the
  framework, not naming, decides how those are encoded.
- ``options.casts["table.column"]`` wins over all of the above (provenance
  ``config``); ``options.rules_off`` switches rules off by id.
"""

from __future__ import annotations

import re
from functools import lru_cache

import attrs

from compiler.options import AnalysisOptions
from compiler.passes._checks import check_facts
from compiler.passes._copy import evolve
from ir import diagnostics as diag
from ir.diagnostics import Diagnostic
from ir.model import Column, Schema, Table
from ir.rules import Cast, CastKind, Origin, Provenance
from ir.types import Kind

TIMESTAMP_NAMES = ("created_at", "updated_at", "deleted_at")
# Laravel's own tables, used only when the conventions pass has not run.
FRAMEWORK_TABLES = frozenset({
    "migrations", "jobs", "job_batches", "failed_jobs", "sessions", "cache", "cache_locks",
    "password_resets", "password_reset_tokens", "personal_access_tokens"})

_BOOL_NAME = re.compile(r"^(?:is|has|can|should|must|allow|allows|was|did)_|_(?:enabled|disabled)$",
                        re.IGNORECASE)
JSON_NAMES = frozenset({"options", "settings", "preferences", "meta", "metadata", "properties",
                        "custom_properties", "extra_attributes", "abilities"})
_JSON_SUFFIX = "_json"
_AUTH_MARKERS = ("remember_token", "email")

# Config spellings (neutral kinds and the common Laravel ones) -> CastKind.
_ALIASES = {"bool": CastKind.BOOLEAN, "int": CastKind.INTEGER, "real": CastKind.FLOAT,
            "double": CastKind.FLOAT, "array": CastKind.JSON, "collection": CastKind.JSON,
            "object": CastKind.JSON, "hashed": CastKind.PASSWORD,
            "immutable_date": CastKind.DATE, "immutable_datetime": CastKind.DATETIME}


def parse_cast_spelling(spelling: str) -> Cast | None:
    """``"decimal:2"`` -> Cast(decimal, "2"); None when the kind is unknown."""
    head, _, arg = spelling.strip().partition(":")
    head = head.strip().lower()
    kind = _ALIASES.get(head) or (CastKind(head) if head in CastKind._value2member_map_ else None)
    if kind is None:
        return None
    return Cast(kind, arg.strip() or None)


def timestamp_columns(table: Table) -> frozenset[str]:
    """The conventional timestamp columns Eloquent handles itself."""
    conv = table.conventions
    if conv is None:
        return frozenset(n for n in TIMESTAMP_NAMES if table.column(n) is not None)
    return frozenset(n for n in (conv.created_at, conv.updated_at, conv.deleted_at) if n)


def is_framework(table: Table) -> bool:
    if table.conventions is not None:
        return table.conventions.framework
    return table.name in FRAMEWORK_TABLES


@lru_cache(maxsize=65536)
def _prov(origin: Origin, rule: str, column: str) -> Provenance:
    # Immutable and repeated across tables (every ``created_at``): shared, not rebuilt.
    return Provenance(origin, rule, basis=(column,))


_SIMPLE = {Kind.BOOLEAN: CastKind.BOOLEAN, Kind.DATE: CastKind.DATE,
           Kind.DATETIME: CastKind.DATETIME, Kind.JSON: CastKind.JSON}


def _by_type(table: Table, col: Column) -> Cast | None:
    t = col.type
    if t.kind in _SIMPLE:
        return Cast(_SIMPLE[t.kind], None, _prov(Origin.DECLARED, "cast-by-type", col.name))
    if t.kind is Kind.DECIMAL and t.precision is not None and t.scale is not None:
        return Cast(CastKind.DECIMAL, str(t.scale),
                    _prov(Origin.DECLARED, "cast-by-type", col.name))
    if t.kind is Kind.ENUM and not t.multiple:
        return Cast(CastKind.ENUM, f"{table.name}.{col.name}",
                    _prov(Origin.DECLARED, "cast-by-type", col.name))
    return None


def _default_text(col: Column) -> str | None:
    return col.default.value.strip() if col.default is not None else None


def _looks_boolean_int(col: Column) -> bool:
    t = col.type
    if t.kind is not Kind.INTEGER or col.autoincrement:
        return False
    if t.bits is not None and t.bits > 8:
        return False
    return _default_text(col) in (None, "0", "1")


def _check_facts(table: Table, col: Column, dialect: str):
    for check in table.checks:
        if not check.columns or col.name in check.columns:
            yield from (f for f in check_facts(check, dialect) if f.column == col.name)


def _by_name(table: Table, col: Column, dialect: str) -> Cast | None:
    """Name-, default- and check-based rules, most certain first."""
    name, kind = col.name.lower(), col.type.kind
    facts = list(_check_facts(table, col, dialect)) if table.checks else []
    if kind is Kind.INTEGER and any(f.kind == "in" and set(f.values) == {"0", "1"} for f in facts):
        return Cast(CastKind.BOOLEAN, None, _prov(Origin.INFERRED, "boolean-by-check", col.name))
    if kind in (Kind.TEXT, Kind.STRING) and any(f.kind == "json" for f in facts):
        return Cast(CastKind.JSON, None, _prov(Origin.DECLARED, "json-by-check", col.name))
    if is_framework(table):
        return None
    if _BOOL_NAME.search(name) and _looks_boolean_int(col):
        return Cast(CastKind.BOOLEAN, None, _prov(Origin.INFERRED, "boolean-by-name", col.name))
    if kind is Kind.TEXT and _default_text(col) in ("[]", "{}"):
        return Cast(CastKind.JSON, None, _prov(Origin.INFERRED, "json-by-default", col.name))
    if kind is Kind.TEXT and (name in JSON_NAMES or name.endswith(_JSON_SUFFIX)):
        return Cast(CastKind.JSON, None, _prov(Origin.INFERRED, "json-by-name", col.name))
    if name == "password" and kind in (Kind.STRING, Kind.TEXT) and _authenticatable(table):
        return Cast(CastKind.PASSWORD, None, _prov(Origin.INFERRED, "password-by-name", col.name))
    return None


def _authenticatable(table: Table) -> bool:
    """Whether the table has one of the columns of a login (``remember_token``, ``email``)."""
    for marker in _AUTH_MARKERS:
        if table.column(marker) is not None:
            return True
    return False


def _infer(table: Table, col: Column, dialect: str, rules_off: frozenset[str]) -> Cast | None:
    cast = _by_type(table, col)
    if not _usable(cast, rules_off):  # the name rules only when the type gave none
        cast = _by_name(table, col, dialect)
    return cast if _usable(cast, rules_off) else None


def _usable(cast: Cast | None, rules_off: frozenset[str]) -> bool:
    return cast is not None and cast.provenance is not None \
        and cast.provenance.rule not in rules_off


def _config_cast(table: Table, col: Column, options: AnalysisOptions
                 ) -> tuple[Cast | None, Diagnostic | None]:
    spelling = options.casts.get(f"{table.name}.{col.name}") if options.casts else None
    if spelling is None:
        return None, None
    cast = parse_cast_spelling(spelling)
    if cast is None:
        return None, diag.config_error(f"unknown cast {spelling!r}", table=table.name,
                                       column=col.name)
    return attrs.evolve(cast, provenance=_prov(Origin.CONFIG, "cast-config", col.name)), None


def _cast_table(table: Table, schema: Schema, options: AnalysisOptions,
                memo: dict) -> tuple[Table, list[Diagnostic]]:
    skip = timestamp_columns(table)
    columns, diags = [], []
    # Without CHECKs or configured casts a column's cast depends on the column and
    # three table facts only; a large schema shares its Column objects across tables.
    context = None if table.checks or options.casts else (
        is_framework(table), _authenticatable(table))
    if context is not None:
        columns = _cast_shared(table, schema, options, memo, skip, context)
    else:
        for col in table.columns:
            new, problem = _cast_column(table, col, schema, options, skip)
            if problem is not None:
                diags.append(problem)
            columns.append(new)
    if all(new is old for new, old in zip(columns, table.columns)):
        return table, diags  # nothing cast: no copy
    return evolve(table, columns=columns), diags


def _cast_shared(table: Table, schema: Schema, options: AnalysisOptions, memo: dict,
                 skip: frozenset[str], context: tuple[bool, bool]) -> list[Column]:
    """The columns of a table without CHECKs or configured casts, memoized per column
    object, timestamp role and table facts (an enum cast also names its table)."""
    framework, auth = context
    enum = Kind.ENUM
    columns = []
    for col in table.columns:
        key = (id(col), col.name in skip, framework, auth,
               table.name if col.type.kind is enum else None)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = (col, _cast_column(table, col, schema, options, skip)[0])
        columns.append(hit[1])  # hit[0] keeps col alive, so its id stays its own
    return columns


def _cast_column(table: Table, col: Column, schema: Schema, options: AnalysisOptions,
                 skip: frozenset[str]) -> tuple[Column, Diagnostic | None]:
    cast, problem = _config_cast(table, col, options)
    if cast is None and col.name not in skip:
        cast = _infer(table, col, schema.dialect, options.rules_off)
    return (col if cast == col.cast else evolve(col, cast=cast)), problem


def infer_casts(schema: Schema, options: AnalysisOptions = AnalysisOptions()) -> Schema:
    """Set ``Column.cast`` on every column that needs one.

    ``users(is_admin tinyint(1), settings text, created_at datetime)`` ->
    ``is_admin``: boolean (cast-by-type), ``settings``: json (json-by-name),
    ``created_at``: none (a conventional timestamp).
    """
    tables, diags, memo = [], [], {}
    for table in schema.tables:
        new, problems = _cast_table(table, schema, options, memo)
        tables.append(new)
        diags += problems
    return schema.replace_tables(tables).with_diagnostics(*diags)
