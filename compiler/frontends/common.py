"""Lowering steps both frontends share, so DDL text and a database file agree.

:func:`finish_table` runs last on every table a frontend builds:

- Laravel's SQLite grammar writes ``enum('a','b')`` as ``varchar check ("col" in
  ('a', 'b'))``; such a column is read back as what the developer declared, an
  enum (raw type kept), and the CHECK that only encoded it is dropped.
- each CHECK records the columns it mentions (for validation rules).
- a SQLite ``INTEGER PRIMARY KEY`` column is the rowid: it can never hold NULL
  (a NULL insert assigns the next id), though the catalog reports it nullable
  unless ``NOT NULL`` was written, and the database assigns its values whether
  or not ``AUTOINCREMENT`` was written (https://sqlite.org/autoinc.html).  It is
  made NOT NULL and autoincrement, so both frontends and every backend agree.
"""

from __future__ import annotations

import functools
import re

import attrs

from ir.model import Column, Table
from ir.types import Kind, Type

_IDENT = r'(?:"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|\[([^\]]+)\]|([A-Za-z_][\w$]*))'
_IN_CHECK = re.compile(r"^\s*\(?\s*" + _IDENT + r"\s+in\s*\((.*)\)\s*\)?\s*$", re.IGNORECASE | re.DOTALL)
_VALUE = re.compile(r"\s*'((?:[^']|'')*)'\s*(?:,|$)")
_WORD = re.compile(_IDENT)


def _in_values(body: str) -> tuple[str, ...] | None:
    values, pos = [], 0
    while pos < len(body):
        m = _VALUE.match(body, pos)
        if not m:
            return None
        values.append(m.group(1).replace("''", "'"))
        pos = m.end()
    return tuple(values) if values else None


@functools.lru_cache(maxsize=4096)
def enum_check(expression: str) -> tuple[str, tuple[str, ...]] | None:
    """``"role" in ('admin', 'member')`` -> ("role", ("admin", "member"))."""
    m = _IN_CHECK.match(expression)
    if not m:
        return None
    column = next(g for g in m.groups()[:4] if g is not None)
    values = _in_values(m.group(5))
    return (column, values) if values else None


def check_columns(expression: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    """Column names an expression mentions, in table order (outside string literals)."""
    found, lowered = _words(expression)
    return tuple(c for c in columns if c in found or c.lower() in lowered)


@functools.lru_cache(maxsize=4096)
def _words(expression: str) -> tuple[frozenset[str], frozenset[str]]:
    """The identifiers an expression mentions (outside string literals), as written
    and lower-cased; the same CHECK text recurs across tables."""
    text = re.sub(r"'(?:[^']|'')*'", "''", expression)
    found = frozenset(next(g for g in m.groups() if g is not None) for m in _WORD.finditer(text))
    return found, frozenset(f.lower() for f in found)


def _rowid_alias(table: Table) -> str | None:
    pk = table.primary_key
    if pk is None or len(pk.columns) != 1 or table.without_rowid:
        return None
    col = table.column(pk.columns[0])
    return col.name if col is not None and col.type.raw.upper() == "INTEGER" else None


def _is_rowid_ready(column: Column | None) -> bool:
    return column is not None and not column.nullable and column.autoincrement


def finish_table(table: Table, dialect: str = "sqlite") -> Table:
    rowid = _rowid_alias(table) if dialect == "sqlite" else None
    if not table.checks and (rowid is None or _is_rowid_ready(table.column(rowid))):
        return table  # nothing to change (most tables): skip rebuilding it
    columns = list(table.columns)
    index = {c.name: i for i, c in enumerate(columns)}
    checks = []
    for check in table.checks:
        hit = enum_check(check.expression)
        if hit and hit[0] in index:
            col = columns[index[hit[0]]]
            if col.type.kind in (Kind.STRING, Kind.TEXT):
                columns[index[hit[0]]] = _as_enum(col, hit[1])
                continue
        checks.append(attrs.evolve(check, columns=check_columns(check.expression,
                                                                 table.column_names)))
    if rowid is not None:
        i = [c.name for c in columns].index(rowid)
        columns[i] = _as_rowid(columns[i])
    return attrs.evolve(table, columns=columns, checks=checks)


def _as_enum(col: Column, values: tuple[str, ...]) -> Column:
    return (_copy if col.span else _shared_copy)(col, "enum", values)


def _as_rowid(col: Column) -> Column:
    return (_copy if col.span else _shared_copy)(col, "rowid", ())


def _copy(col: Column, change: str, values: tuple[str, ...]) -> Column:
    if change == "enum":
        return attrs.evolve(col, type=_enum_type(col.type.raw, values))
    return attrs.evolve(col, nullable=False, autoincrement=True)


@functools.lru_cache(maxsize=4096)
def _enum_type(raw: str, values: tuple[str, ...]) -> Type:
    """One Type object per spelling (types carry no span; backends memoize per type)."""
    return Type(Kind.ENUM, raw=raw, values=values)


# The same enum column or rowid key recurs across tables, and the passes memoize
# per column object, so one shared copy pays.  Not for a column with a source span:
# spans take no part in equality, so a cached copy could carry another table's span.
_shared_copy = functools.lru_cache(maxsize=4096)(_copy)
