"""Frontend dispatch: turn a source path into a :class:`ir.Schema`.

A SQLite database file (recognised by its 16-byte header, not its name) goes to
:mod:`compiler.frontends.sqlite_db`; text goes to the DDL frontend
(:mod:`compiler.frontends.ddl`) in the dialect given, else the one the file
name suggests (``x.mysql.sql``, ``x.postgres.sql``, ``x.pg.sql``), else sqlite.

Input that cannot be read at all raises :class:`SourceError` with one line
naming the file; the CLI prints it and exits 2.  Input that can be read but
holds bad statements yields diagnostics in the returned schema instead.
"""

from __future__ import annotations

import os

from compiler.frontends.types import DIALECTS, normalize_dialect
from ir.model import Schema

SQLITE_HEADER = b"SQLite format 3\x00"
_NAME_HINTS = {"mysql": "mysql", "mariadb": "mysql", "postgres": "postgres",
               "postgresql": "postgres", "pg": "postgres", "pgsql": "postgres",
               "sqlite": "sqlite", "sqlite3": "sqlite"}


class SourceError(Exception):
    """Unreadable input: the message is one line and names the file."""


def dialect_from_name(path: str) -> str | None:
    """``schema.mysql.sql`` -> mysql; None when the name says nothing."""
    parts = os.path.basename(path).lower().split(".")
    for part in reversed(parts[1:-1] if len(parts) > 2 else parts[:-1]):
        if part in _NAME_HINTS:
            return _NAME_HINTS[part]
    return None


def resolve_dialect(path: str, dialect: str | None) -> str:
    if dialect is not None:
        name = normalize_dialect(dialect)
        if name not in DIALECTS:
            raise SourceError(f"unknown dialect {dialect!r} (expected one of: "
                              + ", ".join(DIALECTS) + ")")
        return name
    return dialect_from_name(path) or "sqlite"


def _read_head(path: str) -> bytes:
    if not os.path.lexists(path):
        raise SourceError(f"{path}: no such file")
    if os.path.isdir(path):
        raise SourceError(f"{path}: is a directory, expected a SQLite database or a .sql file")
    try:
        with open(path, "rb") as fh:
            return fh.read(4096)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load(path: str | os.PathLike, dialect: str | None = None, jobs: int = 1) -> Schema:
    """Read a schema from ``path`` (as the user gave it; kept verbatim in the IR); ``jobs``:
    how many processes a large DDL or SQLite database file may be read in."""
    path = os.fspath(path)
    head = _read_head(path)
    if dialect is not None:
        resolve_dialect(path, dialect)  # reject unknown names even for database files
    if head.startswith(SQLITE_HEADER):
        from compiler.frontends import sqlite_db
        return sqlite_db.load(path, jobs=jobs)
    if not head.strip():
        raise SourceError(f"{path}: file is empty")
    if b"\x00" in head:
        raise SourceError(f"{path}: binary file that is not a SQLite database")
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text (byte {exc.start}) and not a SQLite database") \
            from None
    from compiler.frontends import ddl
    return ddl.load_text(text, source=path, dialect=resolve_dialect(path, dialect), jobs=jobs)
