"""Lower one SQLite table's PRAGMA rows and CREATE text into an IR :class:`Table`.

:mod:`compiler.frontends.sqlite_db` reads the rows (all tables at once);
this module turns them into columns, keys, indexes and checks.  Choices made
here, so that DDL text and the same DDL executed into a file agree:

- nullability is the catalog's NOT NULL flag, also for key columns (SQLite lets
  a non-INTEGER key hold NULL; the DDL frontend reads SQLite DDL the same way);
- a single-column ``INTEGER PRIMARY KEY`` of a rowid table is the rowid alias,
  filled in by SQLite like AUTOINCREMENT, so it is marked ``autoincrement``
  (Laravel's ``increments`` reads back as ``integer primary key autoincrement``);
- foreign keys keep source order (SQLite numbers them last-declared first);
- a foreign key whose table or column does not exist is dropped with an error
  diagnostic: the IR only holds keys whose both ends exist.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable

import attrs

from compiler.frontends import sqlite_sql as sql_text
from compiler.frontends.common import finish_table
from ir import diagnostics as diag
from ir.model import (
    Action,
    Check,
    Column,
    Default,
    ForeignKey,
    Generated,
    Index,
    IndexPart,
    PrimaryKey,
    Table,
)
from ir.types import Type

# PRAGMA foreign_key_list spelling -> IR action; NO ACTION (the default) is None.
_ACTIONS = {a.value: a for a in Action if a is not Action.NO_ACTION}
# Old SQLite versions reported a generated column's type with this suffix.
_GENERATED_SUFFIX = re.compile(r"\s+GENERATED\s+ALWAYS\s*$", re.IGNORECASE)
_ITEM = [operator.itemgetter(i) for i in range(6)]  # sort keys over PRAGMA rows


@attrs.define
class TableRows:
    """One table's PRAGMA rows (each may carry more fields after these: ignored)."""

    columns: list[tuple]   # cid, name, type, notnull, dflt_value, pk, hidden
    indexes: list[tuple]   # index, unique, origin, partial, seqno, cid, name, desc, key
    fkeys: list[tuple]     # id, seq, table, from, to, on_update, on_delete
    samples: dict[str, tuple[str, ...]] = attrs.Factory(dict)  # <x>_type column -> values


@attrs.define
class Catalog:
    """Everything read from the file, shared by all tables (FKs look at their parent)."""

    kinds: dict[str, tuple]
    table_sql: dict[str, str | None]
    index_sql: dict[str, str | None]
    index_pos: dict[str, int]
    by_lower: dict[str, str]
    rows: dict[str, TableRows] = attrs.Factory(dict)
    _texts: dict[str, sql_text.TableText] = attrs.Factory(dict)
    _columns: dict[str, dict[str, str]] = attrs.Factory(dict)
    _keys: dict[str, tuple[str, ...]] = attrs.Factory(dict)

    @classmethod
    def from_master(cls, master: list[tuple], kinds: dict[str, tuple],
                    names: list[str]) -> Catalog:
        return cls(kinds=kinds,
                   table_sql={n: s for t, n, _, s in master if t == "table"},
                   index_sql={n: s for t, n, _, s in master if t == "index"},
                   index_pos={n: i for i, (t, n, _, _) in enumerate(master) if t == "index"},
                   by_lower={n.lower(): n for n in names})

    def text(self, name: str) -> sql_text.TableText:
        if name not in self._texts:
            full = any(r[6] in (2, 3) for r in self.rows[name].columns)  # generated columns
            self._texts[name] = sql_text.parse_create_table(self.table_sql.get(name), full)
        return self._texts[name]

    def column_names(self, table: str) -> dict[str, str]:
        """lower-case name -> declared name (SQLite names are case-insensitive)."""
        if table not in self._columns:
            self._columns[table] = {r[1].lower(): r[1] for r in self.rows[table].columns}
        return self._columns[table]

    def primary_key(self, table: str) -> tuple[str, ...]:
        """Key column names in key order (built once: a parent's key is also read by
        every foreign key that references it without naming columns)."""
        if table not in self._keys:
            self._keys[table] = tuple(r[1] for r in sorted(
                (r for r in self.rows[table].columns if r[5]), key=_ITEM[5]))
        return self._keys[table]


def build_table(name: str, cat: Catalog,
                type_of: Callable[[str], Type]) -> tuple[Table, list[diag.Diagnostic]]:
    rows, text = cat.rows[name], cat.text(name)
    _, without_rowid, strict = cat.kinds.get(name, ("table", text.without_rowid, text.strict))
    pk = cat.primary_key(name)
    by_cid = sorted(rows.columns, key=_ITEM[0])
    rowid_alias = (pk[0] if len(pk) == 1 and not without_rowid
                   and _is_integer(by_cid, pk[0]) else None)
    samples = rows.samples
    # Most columns are plain (not generated, no sampled values): straight to the cache.
    columns = [_shared_column(r[1], r[2] or "", r[3], r[4], r[6], None, r[1] == rowid_alias,
                              (), type_of)
               if r[6] < 2 and not samples else _column(r, text, rowid_alias, type_of, samples)
               for r in by_cid]
    diags: list[diag.Diagnostic] = []
    table = Table(
        name, columns,
        primary_key=PrimaryKey(pk, text.pk_name) if pk else None,
        foreign_keys=_foreign_keys(name, rows.fkeys, text, cat, diags),
        indexes=_indexes(rows.indexes, text, cat),
        checks=[Check(expr, check_name) for check_name, expr in text.checks],
        without_rowid=without_rowid, strict=strict)
    return finish_table(table), diags


def _declared(row: tuple) -> str:
    """The type as written (old SQLite versions append GENERATED ALWAYS to it)."""
    return _GENERATED_SUFFIX.sub("", row[2] or "") if row[6] in (2, 3) else row[2] or ""


def _is_integer(rows: list[tuple], column: str) -> bool:
    row = next(r for r in rows if r[1] == column)
    return _declared(row).strip().upper() == "INTEGER"


def _column(row: tuple, text: sql_text.TableText, rowid_alias: str | None,
            type_of: Callable[[str], Type], samples: dict[str, tuple[str, ...]]) -> Column:
    _, name, _, notnull, default, _, hidden = row[:7]
    declared = _declared(row)
    expression = None
    if hidden in (2, 3):  # 2 = VIRTUAL, 3 = STORED generated column
        expression = text.generated.get(name.lower(), "")
    return _shared_column(name, declared, notnull, default, hidden, expression,
                          name == rowid_alias, samples.get(name, ()) if samples else (),
                          type_of)


@functools.lru_cache(maxsize=16384)
def _shared_column(name: str, declared: str, notnull: int, default: str | None, hidden: int,
                   expression: str | None, autoincrement: bool, samples: tuple[str, ...],
                   type_of: Callable[[str], Type]) -> Column:
    # Columns repeat across tables (id, created_at, user_id, ...) and Column is
    # frozen: one shared object per distinct row saves most constructions.
    generated = None if expression is None else Generated(expression, stored=hidden == 3)
    return Column(
        name, type_of(declared),
        nullable=not notnull,
        default=None if generated else _default(default),
        autoincrement=autoincrement,  # AUTOINCREMENT is only legal on this column
        generated=generated,
        hidden=hidden == 1,  # a virtual table's HIDDEN column (fts5's rank, ...)
        samples=samples)


@functools.lru_cache(maxsize=4096)
def _default(text: str | None) -> Default | None:
    return sql_text.parse_default(text)  # defaults repeat across tables; Default is frozen


def _indexes(rows: list[tuple], text: sql_text.TableText, cat: Catalog) -> list[Index]:
    groups: dict[str, list[tuple]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    out = []
    # Source order: an index's place in sqlite_master (a table's UNIQUE constraints
    # get their autoindex right after the table, CREATE INDEX later).
    for iname in sorted(groups, key=lambda n: (cat.index_pos.get(n, len(cat.index_pos)), n)):
        group = groups[iname]
        _, unique, origin, partial = group[0][:4]
        if origin == "pk":
            continue  # the primary key itself, already in Table.primary_key
        needs_text = partial or any(r[5] < 0 for r in group)
        itext = (sql_text.parse_create_index(cat.index_sql.get(iname)) if needs_text
                 else _NO_INDEX_TEXT)
        parts = [_part(r, itext) for r in sorted(group, key=_ITEM[4]) if r[8]]
        name: str | None = iname
        if iname.startswith("sqlite_autoindex_") and not text.unique_names:
            name = None  # an unnamed UNIQUE constraint (no CONSTRAINT name in the text)
        elif iname.startswith("sqlite_autoindex_"):
            key = tuple(p.column.lower() for p in parts if p.column is not None)
            name = text.unique_names.get(key)  # CONSTRAINT name UNIQUE (...), if named
        out.append(Index(name, parts, unique=bool(unique),
                         where=itext.where if partial else None, constraint=origin == "u"))
    return out


_NO_INDEX_TEXT = sql_text.IndexText()


@functools.lru_cache(maxsize=16384)
def _column_part(column: str, descending: bool) -> IndexPart:
    return IndexPart(column=column, descending=descending)  # frozen, shared across tables


def _part(row: tuple, itext: sql_text.IndexText) -> IndexPart:
    seqno, cid, column, desc = row[4:8]
    if cid >= 0:
        return _column_part(column, bool(desc))
    if cid == -1:  # the rowid itself
        return IndexPart(expression="rowid", descending=bool(desc))
    expr = itext.parts[seqno] if seqno < len(itext.parts) else ""
    return IndexPart(expression=expr, descending=bool(desc))


def _foreign_keys(name: str, rows: list[tuple], text: sql_text.TableText, cat: Catalog,
                  diags: list[diag.Diagnostic]) -> list[ForeignKey]:
    if not rows:
        return []
    groups: dict[int, list[tuple]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    own = cat.column_names(name)
    out = []
    for pos, fid in enumerate(sorted(groups, reverse=True)):  # id 0 is the last declared
        group = sorted(groups[fid], key=_ITEM[1])
        fk = _foreign_key(name, group, own, cat, diags,
                          _fk_name(text, pos, len(groups), group))
        if fk is not None:
            out.append(fk)
    return out


def _fk_name(text: sql_text.TableText, pos: int, count: int, group: list[tuple]) -> str | None:
    """The CONSTRAINT name the CREATE text gives the ``pos``-th key, if it names one."""
    if not text.fks:  # nothing recorded (no CONSTRAINT in the text): no name
        return None
    written = tuple(r[3].lower() for r in group)
    if len(text.fks) == count and text.fks[pos][0] == written:
        return text.fks[pos][1]
    named = [n for cols, n in text.fks if cols == written]
    return named[0] if len(named) == 1 else None  # ambiguous or unparsed: no name


def _foreign_key(name: str, group: list[tuple], own: dict[str, str], cat: Catalog,
                 diags: list[diag.Diagnostic], fk_name: str | None) -> ForeignKey | None:
    ref_raw, on_update, on_delete = group[0][2], group[0][5], group[0][6]
    columns = tuple(own.get(r[3].lower()) for r in group)
    ref = cat.by_lower.get(ref_raw.lower())
    if ref is None:
        diags.append(diag.missing_table(f"{_label(group)}: no table {ref_raw!r}; key dropped",
                                        table=name))
        return None
    if any(r[4] is None for r in group):  # REFERENCES parent without columns: its key
        ref_columns: tuple[str | None, ...] = cat.primary_key(ref)
    else:
        theirs = cat.column_names(ref)
        ref_columns = tuple(theirs.get(r[4].lower()) for r in group)
    if None in columns or None in ref_columns or len(ref_columns) != len(columns):
        diags.append(diag.missing_column(
            f"{_label(group)}: columns do not match {ref}'s columns or primary key; "
            "key dropped", table=name))
        return None
    return _shared_fk(columns, ref, ref_columns, fk_name,  # type: ignore[arg-type]
                      _ACTIONS.get(on_delete), _ACTIONS.get(on_update))


def _label(group: list[tuple]) -> str:
    return f"foreign key ({', '.join(r[3] for r in group)}) -> {group[0][2]}"


@functools.lru_cache(maxsize=16384)
def _shared_fk(columns: tuple[str, ...], ref: str, ref_columns: tuple[str, ...],
               name: str | None, on_delete: Action | None,
               on_update: Action | None) -> ForeignKey:
    # The same key (user_id -> users.id) recurs across tables; ForeignKey is frozen.
    return ForeignKey(columns, ref, ref_columns, name=name,
                      on_delete=on_delete, on_update=on_update)
