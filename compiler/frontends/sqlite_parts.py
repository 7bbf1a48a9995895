"""Read a large SQLite database file in two processes, merged into the serial result.

Why: at 10,000 tables the serial read (:func:`sqlite_db.read_serial`) takes ~1.25 s
(SQLite parsing its schema, the PRAGMA joins, sampling, building tables) while
the second core idles; in two processes it takes ~0.9 s.  What is left is
mostly done twice or once only: each connection's schema parse (~0.25 s),
pickling the child's half and unpickling it here (~0.04 s each), and reading
the columns of the tables this half's keys point to (~0.06 s).

How.  A child is forked *before* the first query, so both processes parse the
schema at the same time (SQLite does that on a connection's first statement,
~0.25 s at 10,000 tables, and a connection cannot be shared with a child).  The
child opens its own connection exactly as :func:`sqlite_db._connect` opened
the parent's (read-only, the same URI, the same temporary copy), reads
``sqlite_master`` itself and takes the first half of the table list; the
parent takes the second half.  Each half is contiguous in ``sqlite_master``
order, so the merged tables and diagnostics are simply the child's followed by
the parent's: the serial order.  (Foreign keys mostly point to tables created
earlier, so the parent, which has no result to pickle, is the one that reads
more of the other half.)

What keeps a half exact.  ``build_table`` reads one other table: the parent of
each foreign key (its name, columns and primary key).  So a half also reads the
columns of the other half's tables its keys point to, and knows which of those
the serial read would have dropped (no columns).  The halves' PRAGMA joins
cover every table the serial join covers, so one fails exactly when the serial
one would; the serial read then runs instead (it reads such files table by
table).  So does it when the child fails in any way or saw another
``sqlite_master`` (a writer changed the schema in between).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable

from compiler.frontends import forked, ir_pickle
from compiler.frontends import sqlite_db as db
from compiler.frontends.sqlite_tables import Catalog, TableRows
from ir import diagnostics as diag
from ir.model import Schema, Table

# Measured on 2 idle cores: break-even near 300 tables, 1,000 tables 0.095 -> 0.073 s,
# 2,200 tables 0.22 -> 0.16 s, 10,000 tables 1.25 -> 0.90 s.  Below 1,000 the
# saving is too small to be worth taking a busy machine's second core.
MIN_TABLES = 1000
# Every table has a root page of >= 512 bytes: a smaller file is not worth a fork.
MIN_BYTES = MIN_TABLES * 512
SHARE = 50          # percent of the tables read in this process (the last ones)

Built = tuple[list[Table], list[diag.Diagnostic]]


def read(conn: sqlite3.Connection, path: str,
         reopen: Callable[[], sqlite3.Connection]) -> Schema:
    """The schema of the database ``conn`` reads; ``reopen()`` opens another connection
    to it the same way."""
    work = _ChildHalf(reopen)
    try:
        child = forked.Forked(work, then=work.close) if _worth_a_child(path) else None
    except OSError:
        child = None  # no process to spare (EAGAIN, ENOMEM): one is enough
    if child is None:
        return db.read_serial(conn, path, db.read_catalog(conn))
    with child:
        found = db.read_catalog(conn)
        if len(found.names) >= MIN_TABLES:
            built = _both_halves(conn, child, found)
            if built is not None:
                return Schema(built[0], dialect="sqlite", source=path,
                              diagnostics=found.diagnostics + built[1])
        child.cancel()  # before the serial read, not after it: it would only compete
    return db.read_serial(conn, path, found)


def _worth_a_child(path: str) -> bool:
    try:
        return forked.available() and os.path.getsize(path) >= MIN_BYTES
    except OSError:
        return False  # the opening has already worked; let the serial read report anything


def _cut(count: int) -> int:
    """Where this process's half of ``count`` tables starts."""
    return count - count * SHARE // 100


def _digest(found: db.Found) -> int:
    """Equal in both processes when both read the same catalog, different otherwise
    (but for a 64-bit collision; a forked child inherits the hash seed)."""
    return hash((tuple(found.master), tuple(found.kinds.items())))


def _both_halves(conn: sqlite3.Connection, child: forked.Forked, found: db.Found) -> Built | None:
    """The parent's half and the child's, merged; None when the serial read must decide."""
    try:
        mine = read_half(conn, found, _cut(len(found.names)), len(found.names))
    except sqlite3.Error as exc:
        if db.is_fatal(exc):
            raise
        return None  # e.g. a virtual table whose module is missing: read table by table
    digest, like = _digest(found), _shared_objects(mine[0])
    theirs = child.result(lambda blob: ir_pickle.loads(blob, like))
    if theirs is None or theirs[0] != digest:
        return None
    return theirs[1][0] + mine[0], theirs[1][1] + mine[1]


def _shared_objects(tables: list[Table]) -> list[object]:
    """This half's columns and their types, once each: the child's equal ones become
    these, so columns are shared across the halves as one process shares them."""
    columns = list({id(c): c for t in tables for c in t.columns}.values())
    return list({id(c.type): c.type for c in columns}.values()) + columns


class _ChildHalf:
    """The child's work: its own connection and catalog, the first half of the tables."""

    def __init__(self, reopen: Callable[[], sqlite3.Connection]) -> None:
        self.reopen = reopen
        self.conn: sqlite3.Connection | None = None

    def __call__(self) -> tuple[int, Built] | None:
        self.conn = conn = self.reopen()
        found = db.read_catalog(conn)
        if len(found.names) < MIN_TABLES:
            return None
        return _digest(found), read_half(conn, found, 0, _cut(len(found.names)))

    def close(self) -> None:
        """After sending: freeing SQLite's parsed schema takes ~30 ms at 10,000 tables."""
        if self.conn is not None:
            self.conn.close()


def read_half(conn: sqlite3.Connection, found: db.Found, lo: int, hi: int) -> Built:
    """Tables ``found.names[lo:hi]`` and their diagnostics, as the serial read builds
    them (raises ``sqlite3.Error`` where the serial read would read table by table)."""
    names = found.names
    mine = names[lo:hi]
    where, params = _rowid_range(conn, names, lo, hi)
    cols = _rows(conn, db.COLUMNS, mine, where, params)
    kept = [n for n in mine if cols[n]]  # the serial read drops tables without columns
    indexes = _rows(conn, db.INDEXES, kept, where, params)
    fkeys = _rows(conn, db.FKEYS, kept, where, params)
    others = _referenced(fkeys, names, set(mine))
    cols.update(_named_rows(conn, db.COLUMNS, others))
    # Names of the other half not read here are never looked up (no key points there).
    cat = Catalog.from_master(found.master, found.kinds,
                              [n for n in names if cols.get(n) != []])
    for name in kept:
        cat.rows[name] = TableRows(cols[name], indexes[name], fkeys[name],
                                   db.samples(conn, name, cols[name]))
    for name in others:
        cat.rows[name] = TableRows(cols[name], [], [])
    return db.build_tables(kept, cat)


def _rowid_range(conn: sqlite3.Connection, names: list[str], lo: int,
                 hi: int) -> tuple[str, list[int]]:
    """The WHERE clause of the serial PRAGMA joins, narrowed to the ``sqlite_master``
    rows from ``names[lo]`` up to (without) ``names[hi]``."""
    where, params = db.ALL_TABLES[1], []
    for index, op in ((lo, ">="), (hi, "<")):
        if 0 < index < len(names):
            where += f" AND m.rowid {op} ?"
            row = conn.execute("SELECT rowid FROM sqlite_master WHERE type = 'table' "
                               "AND name = ?", (names[index],)).fetchone()
            if row is None:  # dropped since sqlite_master was read: not fatal, not exact
                raise sqlite3.OperationalError(f"no such table: {names[index]}")
            params.append(row[0])
    return where, params


def _rows(conn: sqlite3.Connection, template: str, names: list[str], where: str,
          params: list) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = {n: [] for n in names}
    sql = template.format(src="sqlite_master m", where=where, sep="AND")
    db.group_rows(conn.execute(sql, params).fetchall(), grouped)
    return grouped


def _named_rows(conn: sqlite3.Connection, template: str,
                names: list[str]) -> dict[str, list[tuple]]:
    """Rows of ``names`` only, as many names per query as SQLite allows."""
    grouped: dict[str, list[tuple]] = {}
    size = max(1, min(conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 10_000))
    for start in range(0, len(names), size):
        chunk = names[start:start + size]
        where = ("WHERE m.type = 'table' AND m.name IN (" + ", ".join("?" * len(chunk))
                 + ")")
        grouped.update(_rows(conn, template, chunk, where, chunk))
    return grouped


def _referenced(fkeys: dict[str, list[tuple]], names: list[str], mine: set[str]) -> list[str]:
    """Tables outside ``mine`` that a foreign key may resolve to: every table whose
    lower-cased name is a key's (``Catalog.by_lower`` keeps the last of those that
    have columns, so all of them are needed to know which)."""
    wanted = {row[2].lower() for rows in fkeys.values() for row in rows}
    return [n for n in names if n not in mine and n.lower() in wanted]
