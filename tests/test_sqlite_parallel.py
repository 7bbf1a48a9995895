"""The two-process read of a SQLite file gives exactly the serial read's IR, or falls back to it.

Each case reads the same file serially and with ``jobs=2`` (the size thresholds
lowered to 0 where the file is small) and compares the serialized IR,
diagnostics included.  Cases that must go parallel also check that the
two-process path was really taken (a fallback would pass the comparison
trivially); every case checks that no child process is left behind.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

from compiler.frontends import SourceError, forked, sqlite_db, sqlite_parts
from compiler.frontends import load as dispatch_load
from ir.serialize import to_json
from tests.conftest import FIXTURE_DIR, FIXTURES, LARAVEL_FIXTURES
from tests.support.sqlite_files import (
    add_broken_virtual_table,
    crashed_copy,
    live_writer,
    make_db,
    snapshot_dir,
)

SQLITE_FIXTURES = [f for f in FIXTURES if f.endswith(".sqlite.sql")] + [
    "laravel/" + f for f in LARAVEL_FIXTURES if f.endswith(".sqlite.sql")]
BENCH = Path(__file__).parent.parent / "bench"


@pytest.fixture
def small_files_too(monkeypatch):
    monkeypatch.setattr(sqlite_parts, "MIN_TABLES", 0)
    monkeypatch.setattr(sqlite_parts, "MIN_BYTES", 0)


@pytest.fixture
def serial_reads(monkeypatch) -> list[str]:
    """Paths the two-process reader handed to the serial read (its fallback)."""
    calls: list[str] = []
    serial = sqlite_db.read_serial

    def spy(conn, path, found):
        calls.append(path)
        return serial(conn, path, found)

    monkeypatch.setattr(sqlite_db, "read_serial", spy)
    return calls


@pytest.fixture(autouse=True)
def _no_child_left(monkeypatch):
    """Every child the reader forks is reaped (no zombie, none still running)."""
    pids: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", recorded)
    yield pids
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _same(path: str, serial_reads: list[str]) -> str:
    """The serialized IR of ``path``, asserted equal for one and two processes
    (``serial_reads`` then lists the two-process read's fallbacks)."""
    serial = to_json(sqlite_db.load(path, jobs=1))
    serial_reads.clear()
    assert to_json(sqlite_db.load(path, jobs=2)) == serial
    return serial


def _same_in_two_parts(path: str, serial_reads: list[str]) -> str:
    out = _same(path, serial_reads)
    assert serial_reads == [], "fell back to the serial read"
    return out


@pytest.mark.parametrize("fixture", SQLITE_FIXTURES)
def test_fixture_same_as_serial(tmp_path, fixture, small_files_too, serial_reads):
    script = (FIXTURE_DIR / fixture).read_text(encoding="utf-8-sig")
    _same_in_two_parts(make_db(tmp_path, script), serial_reads)


def _tables_in_a_ring(n: int = 40) -> str:
    """Keys across both halves, both ways: to named columns, to the primary key, through
    other spellings of the name, to a missing table and to a missing column."""
    parts = []
    for i in range(n):
        fwd, back = (i + 7) % n, (i - 5) % n
        name = f"T{i}" if i % 3 == 0 else f"t{i}"
        parts.append(
            f'CREATE TABLE "{name}" (id integer PRIMARY KEY, ref integer REFERENCES t{fwd}(ID), '
            f"back integer REFERENCES T{back}, a text, b text, owner_type text, owner_id int, "
            + ("x int REFERENCES nowhere(id), " if i % 11 == 0 else "")
            + (f"y int REFERENCES t{fwd}(nope), " if i % 13 == 0 else "")
            + f"UNIQUE (a, b), FOREIGN KEY (a, b) REFERENCES t{back}(a, b) ON DELETE CASCADE);")
        parts.append(f'CREATE INDEX "{name}_ab" ON "{name}" (b DESC, lower(a)) WHERE a > 0;')
        parts.append(f"INSERT INTO \"{name}\" (owner_type, owner_id) VALUES ('App\\M{i % 4}', 1);")
    parts.append("CREATE VIEW v AS SELECT 1; CREATE TRIGGER tr AFTER INSERT ON t1 BEGIN "
                 "SELECT 1; END; CREATE VIRTUAL TABLE ft USING fts5(body);")
    return "\n".join(parts)


def test_keys_across_the_halves(tmp_path, small_files_too, serial_reads):
    out = _same_in_two_parts(make_db(tmp_path, _tables_in_a_ring()), serial_reads)
    assert '"missing-table"' in out and '"missing-column"' in out
    assert '"App\\\\M3"' in out  # morph samples from both halves


def test_morph_type_samples_in_both_halves(tmp_path, small_files_too, serial_reads):
    rows = ";".join(f"INSERT INTO c{t} (owner_type, owner_id) VALUES ('M{i:03}', {i})"
                    for t in range(6) for i in range(60 + t))
    script = "".join(f"CREATE TABLE c{t} (id integer primary key, owner_type text, "
                     f"owner_id int, plain_type text);" for t in range(6)) + rows
    path = make_db(tmp_path, script)
    _same_in_two_parts(path, serial_reads)
    schema = sqlite_db.load(path, jobs=2)
    assert all(len(t.column("owner_type").samples) == 50 for t in schema.tables)


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory) -> str:
    """A generated Laravel-shaped file just above the real table threshold."""
    sys.path.insert(0, str(BENCH))  # gen_schema imports its sibling ddl_render
    try:
        spec = importlib.util.spec_from_file_location("bench_gen_schema_sp",
                                                      BENCH / "gen_schema.py")
        gen = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = gen  # dataclasses look their module up there
        spec.loader.exec_module(gen)
    finally:
        sys.path.remove(str(BENCH))
    path = str(tmp_path_factory.mktemp("gen") / "g.sqlite")
    gen.build_sqlite(path, gen.schema_text(sqlite_parts.MIN_TABLES + 100, "sqlite"))
    return path


def test_generated_schema_over_the_threshold(generated_db, serial_reads, _no_child_left):
    """The real thresholds: a file this size is read in two processes, through the
    dispatcher as the driver calls it."""
    serial = to_json(dispatch_load(generated_db, None, jobs=1))
    serial_reads.clear()
    assert to_json(dispatch_load(generated_db, None, jobs=2)) == serial
    assert serial_reads == [] and len(_no_child_left) == 1


def test_generated_schema_uneven_shares(generated_db, serial_reads, monkeypatch):
    serial = to_json(sqlite_db.load(generated_db))
    serial_reads.clear()
    for share in (0, 13, 87, 100):
        monkeypatch.setattr(sqlite_parts, "SHARE", share)
        assert to_json(sqlite_db.load(generated_db, jobs=2)) == serial, share
    assert serial_reads == []


def test_no_process_to_spare(tmp_path, small_files_too, serial_reads, monkeypatch):
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked.os, "fork", no_fork)
    path = make_db(tmp_path, _tables_in_a_ring(12))
    _same(path, serial_reads)
    assert serial_reads == [path]


def test_small_files_stay_serial(tmp_path, serial_reads):
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key)")
    _same(path, serial_reads)
    assert serial_reads == [path]


# --- opening: WAL, temporary copies ---------------------------------------------------------

@pytest.fixture
def own_tempdir(tmp_path, monkeypatch) -> Path:
    """Temporary files go here, so a left-over copy is seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_wal_without_wal_file_left_untouched(tmp_path, small_files_too, serial_reads):
    path = make_db(tmp_path, _tables_in_a_ring(12), wal=True)
    assert not os.path.exists(path + "-wal")
    before = snapshot_dir(path)
    _same_in_two_parts(path, serial_reads)
    assert snapshot_dir(path) == before


def test_wal_with_live_writer(tmp_path, small_files_too, serial_reads):
    path = make_db(tmp_path, _tables_in_a_ring(12), wal=True)
    writer = live_writer(path, "CREATE TABLE only_in_wal (id integer primary key, "
                               "r int REFERENCES t1)")
    try:
        names = sorted(os.listdir(tmp_path))
        out = _same_in_two_parts(path, serial_reads)
        assert '"only_in_wal"' in out
        assert sorted(os.listdir(tmp_path)) == names
    finally:
        writer.close()


def test_wal_left_without_shm_is_read_from_one_copy(tmp_path, own_tempdir, small_files_too,
                                                     serial_reads, monkeypatch):
    path = make_db(tmp_path, _tables_in_a_ring(12), wal=True)
    crashed = crashed_copy(path, "CREATE TABLE in_wal (id integer primary key)",
                           tmp_path / "crashed")
    copies = []
    mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: copies.append(1) or mkdtemp(**kw))
    before = snapshot_dir(crashed)
    out = _same_in_two_parts(crashed, serial_reads)
    assert '"in_wal"' in out and len(copies) == 2  # one copy per read, shared by both halves
    assert snapshot_dir(crashed) == before
    assert list(own_tempdir.iterdir()) == []


# --- fallbacks and errors --------------------------------------------------------------------

def _with_broken_virtual_table(folder: Path) -> str:
    path = make_db(folder, _tables_in_a_ring(12))
    add_broken_virtual_table(path)
    return path


def test_virtual_table_with_missing_module_falls_back(tmp_path, small_files_too,
                                                      serial_reads):
    path = _with_broken_virtual_table(tmp_path)
    out = _same(path, serial_reads)
    assert "nosuchmod" in out and serial_reads == [path]


@pytest.mark.parametrize("how", ["exit", "kill", "raise"])
def test_a_dead_child_falls_back(tmp_path, small_files_too, serial_reads, monkeypatch, how):
    parent = os.getpid()
    read_half = sqlite_parts.read_half

    def dying(conn, found, lo, hi):
        if os.getpid() != parent:
            if how == "exit":
                os._exit(0)
            if how == "kill":
                os.kill(os.getpid(), 9)
            raise RuntimeError("boom")
        return read_half(conn, found, lo, hi)

    path = make_db(tmp_path, _tables_in_a_ring(12))
    serial = to_json(sqlite_db.load(path))
    serial_reads.clear()
    monkeypatch.setattr(sqlite_parts, "read_half", dying)
    assert to_json(sqlite_db.load(path, jobs=2)) == serial
    assert serial_reads == [path]


def test_a_child_that_read_another_catalog_is_not_used(tmp_path, small_files_too,
                                                       serial_reads, monkeypatch):
    """A writer changing the schema between the two processes' reads: serial read."""
    monkeypatch.setattr(sqlite_parts, "_digest", lambda found: os.getpid())
    path = make_db(tmp_path, _tables_in_a_ring(12))
    _same(path, serial_reads)
    assert serial_reads == [path]


def test_locked_database_same_error(tmp_path, small_files_too, monkeypatch):
    monkeypatch.setattr(sqlite_db, "BUSY_TIMEOUT", 0.05)
    path = make_db(tmp_path, _tables_in_a_ring(12))
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("INSERT INTO t1 (id) VALUES (1000)")
    try:
        messages = []
        for jobs in (1, 2):
            with pytest.raises(SourceError) as err:
                sqlite_db.load(path, jobs=jobs)
            messages.append(str(err.value))
        assert messages[0] == messages[1] and "locked" in messages[0]
        assert "\n" not in messages[0] and messages[0].startswith(path + ": ")
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# --- shared objects ----------------------------------------------------------------------

def test_columns_shared_across_the_halves_as_in_the_serial_read(generated_db):
    """The backends memoize per column object: equal columns of both halves are one."""
    def objects(schema):
        columns = [c for t in schema.tables for c in t.columns]
        return len({id(c) for c in columns}), len({id(c.type) for c in columns})

    assert objects(sqlite_db.load(generated_db, jobs=2)) == objects(sqlite_db.load(generated_db))


def test_unpickling_shares_only_objects_built_from_the_same_values():
    from compiler.frontends import ir_pickle
    from ir.model import Column
    from ir.types import Kind, Type

    mine = Column("a", Type(Kind.INTEGER, "int"), nullable=True)
    theirs = [Column("a", Type(Kind.INTEGER, "int"), nullable=True),
              Column("a", Type(Kind.INTEGER, "int"), nullable=1),  # equal, not the same value
              Column("b", Type(Kind.INTEGER, "int"))]
    got = ir_pickle.loads(ir_pickle.dumps(theirs), [mine.type, mine])
    assert got == theirs
    assert got[0] is mine and got[1] is not mine and got[1].nullable == 1
    assert got[2].type is mine.type
