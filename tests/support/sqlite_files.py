"""SQLite database files for frontend tests: built from a script, in WAL states, and
a snapshot of their folder (to prove a read wrote nothing)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path


def make_db(folder: Path, script: str, name: str = "x.db", wal: bool = False) -> str:
    path = str(folder / name)
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(script)
    conn.close()
    return path


def snapshot_dir(path: str) -> dict[str, tuple[bytes, int]]:
    """Every file beside ``path``: its bytes and mtime (to prove nothing was written)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in Path(path).parent.iterdir()}


def live_writer(path: str, statement: str) -> sqlite3.Connection:
    """A connection that committed ``statement`` to the WAL database ``path`` and keeps
    it there (no checkpoint) while it stays open: the caller closes it."""
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute(statement)
    writer.commit()
    return writer


def crashed_copy(path: str, statement: str, folder: Path) -> str:
    """``path`` (a WAL database) with ``statement`` committed only to its ``-wal``,
    copied into ``folder`` without ``-shm``: as a crashed writer leaves it."""
    writer = live_writer(path, statement)
    folder.mkdir()
    shutil.copyfile(path, folder / "x.db")
    shutil.copyfile(path + "-wal", folder / "x.db-wal")
    writer.close()
    return str(folder / "x.db")


def add_broken_virtual_table(path: str) -> None:
    """Declare a virtual table ``vt`` whose module (``nosuchmod``) no SQLite has: any
    PRAGMA join over all tables then fails, reading it table by table does not."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("INSERT INTO sqlite_master VALUES "
                 "('table', 'vt', 'vt', 0, 'CREATE VIRTUAL TABLE vt USING nosuchmod(a, b)')")
    conn.commit()
    conn.close()
