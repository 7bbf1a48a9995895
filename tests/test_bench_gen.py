"""The benchmark's schema generator: deterministic, and its DDL is valid for each dialect."""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys

import pytest
import sqlglot
from sqlglot import exp

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")


def _load_gen():
    sys.path.insert(0, BENCH)  # gen_schema imports its sibling ddl_render
    try:
        spec = importlib.util.spec_from_file_location("bench_gen_schema",
                                                      os.path.join(BENCH, "gen_schema.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(BENCH)


gen = _load_gen()
DIALECTS = ("sqlite", "mysql", "postgres")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_same_args_same_bytes(dialect):
    assert gen.schema_text(120, dialect, seed=3) == gen.schema_text(120, dialect, seed=3)


def test_seed_changes_schema():
    assert gen.schema_text(60, "sqlite", seed=1) != gen.schema_text(60, "sqlite", seed=2)


def test_exactly_n_distinct_tables_users_first():
    # Table names are unique and there are exactly N of them.
    tables = gen.generate(500, seed=0)
    names = [t.name for t in tables]
    assert len(names) == 500 == len(set(names))
    assert names[0] == "users"


def test_sqlite_ddl_loads_with_right_table_count(tmp_path):
    db = tmp_path / "s.sqlite"
    gen.build_sqlite(str(db), gen.schema_text(150, "sqlite"))
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        fks = sum(len(con.execute(f'PRAGMA foreign_key_list("{n}")').fetchall()) for n in names)
        partial = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                              "AND sql LIKE '% where %'").fetchone()[0]
    finally:
        con.close()
    assert len(names) == 150
    assert fks > 100 and partial > 0


def test_cli_writes_ddl_and_database(tmp_path):
    ddl, db = tmp_path / "s.mysql.sql", tmp_path / "s.sqlite"
    assert gen.main(["40", "--dialect", "mysql", "-o", str(ddl), "--sqlite-db", str(db)]) == 0
    assert ddl.read_text() == gen.schema_text(40, "mysql")
    con = sqlite3.connect(db)
    try:
        count = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite_%'").fetchone()[0]
    finally:
        con.close()
    assert count == 40


@pytest.mark.parametrize("dialect", ["mysql", "postgres"])
def test_server_dialects_parse(dialect):
    statements = sqlglot.parse(gen.schema_text(80, dialect), read=dialect)
    creates = [s for s in statements if isinstance(s, exp.Create) and s.kind == "TABLE"]
    assert len(creates) == 80
    assert not any(isinstance(s, exp.Command) for s in statements)  # nothing sqlglot gave up on


def test_shape_has_the_features_the_bench_needs():
    text = gen.schema_text(400, "postgres")
    for feature in ("CREATE TYPE", "AS ENUM", "CHECK (", "CREATE UNIQUE INDEX", "WHERE ",
                    "ALTER TABLE ONLY", "_type\"", "\"deleted_at\"", "PRIMARY KEY (\""):
        assert feature in text, feature
    mysql = gen.schema_text(400, "mysql")
    assert "enum('" in mysql and "CONSTRAINT `" in mysql


def test_about_700_bytes_per_table():
    sizes = [len(gen.schema_text(1000, d).encode()) / 1000 for d in DIALECTS]
    assert 450 < min(sizes) and max(sizes) < 950
    assert 600 < sum(sizes) / len(sizes) < 800
