"""SQLite database file -> :class:`ir.Schema`, read through PRAGMAs without writing a byte.

How the file is opened (:func:`_connect`), so that it is never written and no
``-wal``/``-shm`` file is left behind that was not there before:

- rollback-journal database (header bytes 18/19 == 1): ``mode=ro``.  A reader
  takes only shared locks and creates no file, and it still honours a writer's
  locks, so a database another process is writing is either read consistently
  or reported as locked.
- WAL database with no ``-wal`` file: nobody has it open (a WAL connection keeps
  ``-wal`` while open), but a plain ``mode=ro`` open would *create*
  ``-wal``/``-shm`` and leave them.  ``immutable=1`` opens it without any
  locking or side file.  It is only unsafe if a writer starts while we read;
  we accept that window (a schema compiler reads a file at rest).
- WAL database whose ``-wal`` and ``-shm`` both exist (a writer has it open, or
  one crashed): ``mode=ro`` (no ``immutable``, which would ignore the committed
  pages still in ``-wal``).  It creates nothing, never checkpoints or deletes,
  and writes only read marks into the existing ``-shm``, as every WAL reader does.
- ``-wal`` without ``-shm`` (left by a crash): ``mode=ro`` would create
  ``-shm``, so the database and its ``-wal`` are copied to a temporary
  directory and read there.

The catalog is read once: one query of ``sqlite_master`` and one query per
PRAGMA for all tables (``sqlite_master`` joined with the table-valued pragma
functions), falling back to one query per table only when a table cannot be
read (a virtual table whose module is not loaded).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import operator
import os
import shutil
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from typing import NamedTuple

from compiler.frontends import SQLITE_HEADER, SourceError
from compiler.frontends import sqlite_sql as sql_text
from compiler.frontends.sqlite_tables import Catalog, TableRows, build_table
from compiler.frontends.types import parse_type
from ir import diagnostics as diag
from ir.model import Schema, Table

BUSY_TIMEOUT = 2.0  # seconds to wait for a writer's lock before reporting "locked"
SAMPLE_LIMIT = 50
# Each row ends with its table's name: rows are kept whole (no per-row slice) and
# the name is ignored past the fields TableRows documents.
_TABLE_NAME = operator.itemgetter(-1)

ALL_TABLES = ("sqlite_master m",
              "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
_ONE = "(SELECT ? AS name) m"
COLUMNS = ('SELECT p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden, m.name '
           "FROM {src} JOIN pragma_table_xinfo(m.name) p {where}")
INDEXES = ('SELECT il.name, il."unique", il.origin, il.partial, ix.seqno, ix.cid, '
           'ix.name, ix."desc", ix.key, m.name FROM {src} JOIN pragma_index_list(m.name) il '
           "JOIN pragma_index_xinfo(il.name) ix {where} {sep} ix.key")  # key=0: rowid tail
FKEYS = ('SELECT f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete, m.name '
         "FROM {src} JOIN pragma_foreign_key_list(m.name) f {where}")


def load(path: str, jobs: int = 1) -> Schema:
    """Read the schema of the SQLite database at ``path`` (kept verbatim as the source);
    with ``jobs`` > 1 a large one is read in two processes (:mod:`sqlite_parts`)."""
    gc_was_on = gc.isenabled()
    # Building ~10 objects per column, none in a cycle: the cyclic collector would
    # rescan them all again and again for nothing (15% of a 10,000-table load).
    gc.disable()
    try:
        with _connect(path) as (conn, reopen):
            try:
                if jobs > 1:
                    from compiler.frontends import sqlite_parts
                    return sqlite_parts.read(conn, path, reopen)
                return read_serial(conn, path, read_catalog(conn))
            except sqlite3.Error as exc:
                raise SourceError(_error_line(path, exc)) from None
    finally:
        if gc_was_on:
            gc.enable()


def _error_line(path: str, exc: sqlite3.Error) -> str:
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return f"{path}: database is locked by another connection ({msg})"
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return f"{path}: not a valid SQLite database ({msg})"
    return f"{path}: cannot read SQLite database ({msg})"


def _uri(path: str, params: str) -> str:
    # Percent-quote everything but "/" so "?", "#" and "%" in names stay part of the path.
    return "file:" + urllib.parse.quote(os.path.abspath(path), safe="/") + "?" + params


def _header(path: str) -> bytes:
    if not os.path.isfile(path):
        raise SourceError(f"{path}: no such file" if not os.path.exists(path)
                          else f"{path}: not a regular file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise SourceError(f"{path}: not a valid SQLite database (no SQLite header)")
    return head


@contextlib.contextmanager
def _connect(path: str) -> Iterator[tuple[sqlite3.Connection, Callable[[], sqlite3.Connection]]]:
    """A connection opened by the rules above, and a function opening another one the
    same way (for a forked reader; the temporary copy, if any, lives until the end)."""
    head = _header(path)
    wal_mode = 2 in (head[18], head[19])
    has_wal, has_shm = os.path.exists(path + "-wal"), os.path.exists(path + "-shm")
    tmp = None
    target, params = path, "mode=ro"
    if wal_mode and not has_wal:
        params = "mode=ro&immutable=1"
    elif wal_mode and not has_shm:
        tmp = tempfile.mkdtemp(prefix="schemac-")
        target = os.path.join(tmp, "db.sqlite")
        try:
            shutil.copyfile(path, target)
            shutil.copyfile(path + "-wal", target + "-wal")
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        conn = _open(path, target, params)
        try:
            yield conn, functools.partial(_open, path, target, params)
        finally:
            conn.close()
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _open(path: str, target: str, params: str) -> sqlite3.Connection:
    try:
        return sqlite3.connect(_uri(target, params), uri=True, timeout=BUSY_TIMEOUT,
                               isolation_level=None)
    except sqlite3.Error as exc:
        raise SourceError(_error_line(path, exc)) from None


class Found(NamedTuple):
    """What ``sqlite_master`` says: its rows, the kind of each table, the tables to
    read (in ``sqlite_master`` order) and the objects skipped."""

    master: list[tuple]
    kinds: dict[str, tuple]
    names: list[str]
    diagnostics: list[diag.Diagnostic]


def read_catalog(conn: sqlite3.Connection) -> Found:
    master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                          "ORDER BY rowid").fetchall()
    kinds = _table_kinds(conn, master)
    return Found(master, kinds, *_select_tables(master, kinds))


def read_serial(conn: sqlite3.Connection, path: str, found: Found) -> Schema:
    master, kinds, names = found.master, found.kinds, found.names
    diags = list(found.diagnostics)
    cols, failed = _pragma_rows(conn, COLUMNS, names)
    for name, msg in failed.items():
        diags.append(diag.unsupported(f"table skipped: cannot read its columns ({msg})",
                                      table=name))
    names = [n for n in names if n not in failed and cols[n]]
    cat = Catalog.from_master(master, kinds, names)
    indexes, _ = _pragma_rows(conn, INDEXES, names)
    fkeys, _ = _pragma_rows(conn, FKEYS, names)
    for name in names:
        cat.rows[name] = TableRows(cols[name], indexes[name], fkeys[name],
                                   samples(conn, name, cols[name]))
    tables, table_diags = build_tables(names, cat)
    return Schema(tables, dialect="sqlite", source=path, diagnostics=diags + table_diags)


def build_tables(names: list[str], cat: Catalog) -> tuple[list[Table], list[diag.Diagnostic]]:
    """The tables ``names`` (their rows in ``cat``) and their diagnostics, in that order."""
    tables, diags = [], []
    for name in names:
        table, table_diags = build_table(name, cat, _parse_type)
        tables.append(table)
        diags += table_diags
    return tables, diags


@functools.lru_cache(maxsize=4096)
def _parse_type(raw: str):
    return parse_type(raw, "sqlite")


def _table_kinds(conn: sqlite3.Connection, master: list[tuple]) -> dict[str, tuple]:
    """name -> (kind, without_rowid, strict); kind is table, virtual, shadow or view."""
    try:
        rows = conn.execute("SELECT name, type, wr, strict FROM pragma_table_list "
                            "WHERE schema = 'main'").fetchall()
        return {r[0]: (r[1], bool(r[2]), bool(r[3])) for r in rows}
    except sqlite3.OperationalError:
        pass  # SQLite < 3.37 has no table_list: read the same facts from the CREATE text
    virtual = [n for t, n, _, s in master if t == "table" and (s or "").upper().startswith(
        "CREATE VIRTUAL")]
    kinds = {}
    for type_, name, _, sql in master:
        if type_ != "table":
            continue
        text = sql_text.parse_create_table(sql)
        kind = "virtual" if name in virtual else "table"
        if any(name.startswith(v + "_") for v in virtual):
            kind = "shadow"
        kinds[name] = (kind, text.without_rowid, text.strict)
    return kinds


_SKIP_REASONS = {"view": "view skipped: views are not modelled",
                 "shadow": "shadow table of a virtual table skipped",
                 "internal": "SQLite internal table skipped"}


def _select_tables(master: list[tuple], kinds: dict[str, tuple]) -> tuple[list[str], list]:
    names, diags = [], []
    for type_, name, tbl_name, _ in master:
        reason = None
        if type_ in ("view", "trigger"):
            reason = type_
        elif type_ == "table" and name.lower().startswith("sqlite_"):
            reason = "internal"
        elif type_ == "table" and kinds.get(name, ("table",))[0] == "shadow":
            reason = "shadow"
        elif type_ == "table":
            names.append(name)
        if reason == "trigger":
            diags.append(diag.skipped_object(f"trigger {name} skipped: triggers are not "
                                             "modelled", table=tbl_name))
        elif reason:
            diags.append(diag.skipped_object(_SKIP_REASONS[reason], table=name))
    return names, diags


def _pragma_rows(conn: sqlite3.Connection, template: str,
                 names: list[str]) -> tuple[dict[str, list[tuple]], dict[str, str]]:
    """Rows of one pragma for all tables, grouped by table; and tables it failed on."""
    grouped: dict[str, list[tuple]] = {n: [] for n in names}
    failed: dict[str, str] = {}
    try:
        rows = conn.execute(template.format(src=ALL_TABLES[0], where=ALL_TABLES[1],
                                            sep="AND")).fetchall()
    except sqlite3.OperationalError as exc:
        _reraise_fatal(exc)
        rows = []
        for name in names:  # one unreadable table (unknown vtab module) spoils the join
            try:
                rows += conn.execute(template.format(src=_ONE, where="", sep="WHERE"),
                                     (name,)).fetchall()
            except sqlite3.OperationalError as one:
                _reraise_fatal(one)
                failed[name] = str(one)
    group_rows(rows, grouped)
    return grouped, failed


def group_rows(rows: list[tuple], grouped: dict[str, list[tuple]]) -> None:
    """Add each row to its table's list in ``grouped`` (rows of other tables: ignored)."""
    for name, run in itertools.groupby(rows, key=_TABLE_NAME):  # rows come table by table
        bucket = grouped.get(name)
        if bucket is not None:
            bucket.extend(run)


def is_fatal(exc: sqlite3.Error) -> bool:
    """An error about the whole file (not one table): reading on cannot help."""
    return any(w in str(exc).lower() for w in ("locked", "busy", "malformed", "not a database"))


def _reraise_fatal(exc: sqlite3.OperationalError) -> None:
    if is_fatal(exc):
        raise exc


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def samples(conn: sqlite3.Connection, table: str,
             columns: list[tuple]) -> dict[str, tuple[str, ...]]:
    """Distinct values of each ``<x>_type`` column that has an ``<x>_id`` sibling."""
    types = [row for row in columns if row[1].lower().endswith("_type")]
    if not types:
        return {}  # most tables: no candidate, no name set to build
    names = {r[1].lower() for r in columns}
    out = {}
    for row in types:
        low = row[1].lower()
        if low[:-5] + "_id" in names:
            values = _sample(conn, table, row[1])
            if values:
                out[row[1]] = values
    return out


def _sample(conn: sqlite3.Connection, table: str, column: str) -> tuple[str, ...]:
    query = (f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)} "
             f"WHERE {_quote(column)} IS NOT NULL ORDER BY 1 LIMIT {SAMPLE_LIMIT}")
    try:
        rows = conn.execute(query).fetchall()
    except sqlite3.OperationalError as exc:
        _reraise_fatal(exc)
        return ()  # e.g. a virtual table whose module is missing: no samples, no failure
    values = {r[0].decode("utf-8", "replace") if isinstance(r[0], bytes) else str(r[0])
              for r in rows}
    return tuple(sorted(values))
