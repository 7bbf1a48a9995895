"""The SQLite database frontend: tiny schemas executed into temp files, one feature per test."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from compiler.frontends import SourceError, sqlite_db
from compiler.frontends import load as dispatch_load
from compiler.frontends.sqlite_sql import parse_create_table, parse_default
from ir.check import check_schema
from ir.diagnostics import Severity
from ir.model import Action, Default, DefaultKind, Generated, IndexPart
from ir.serialize import from_json, to_json
from ir.types import Kind
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


def load(tmp_path, script: str, **kw):
    schema = sqlite_db.load(make_db(tmp_path, script, **kw))
    assert check_schema(schema) == []
    assert from_json(to_json(schema)) == schema
    return schema


# --- columns, keys, defaults ------------------------------------------------------------

def test_columns_in_cid_order_with_declared_types(tmp_path):
    s = load(tmp_path, 'CREATE TABLE "t" (b varchar(20) NOT NULL, a DECIMAL(8, 2), '
                       'c tinyint(1), d "BLOB SUB_TYPE TEXT", e)')
    t = s.table("t")
    assert t.column_names == ("b", "a", "c", "d", "e")
    assert t.column("b").type.kind is Kind.STRING and t.column("b").type.length == 20
    assert not t.column("b").nullable and t.column("a").nullable
    assert (t.column("a").type.precision, t.column("a").type.scale) == (8, 2)
    assert t.column("c").type.kind is Kind.BOOLEAN
    assert t.column("d").type.kind is Kind.TEXT  # type affinity of an odd spelling
    assert t.column("e").type.raw == ""
    assert s.source.endswith("x.db") and s.dialect == "sqlite"


@pytest.mark.parametrize(("text", "expected"), [
    ("'it''s'", Default(DefaultKind.STRING, "it's")),
    ("''", Default(DefaultKind.STRING, "")),
    ('"dq"', Default(DefaultKind.STRING, "dq")),
    ("0", Default(DefaultKind.NUMBER, "0")),
    ("-1.5", Default(DefaultKind.NUMBER, "-1.5")),
    ("+3", Default(DefaultKind.NUMBER, "3")),
    ("(0)", Default(DefaultKind.NUMBER, "0")),
    ("NULL", Default(DefaultKind.NULL)),
    ("true", Default(DefaultKind.BOOLEAN, "true")),
    ("FALSE", Default(DefaultKind.BOOLEAN, "false")),
    ("CURRENT_TIMESTAMP", Default(DefaultKind.EXPRESSION, "CURRENT_TIMESTAMP")),
    ("(datetime('now'))", Default(DefaultKind.EXPRESSION, "datetime('now')")),
    ("('a') || ('b')", Default(DefaultKind.EXPRESSION, "('a') || ('b')")),
    ("'a' || 'b'", Default(DefaultKind.EXPRESSION, "'a' || 'b'")),
])
def test_parse_default(text, expected):
    assert parse_default(text) == expected


def test_defaults_read_from_file(tmp_path):
    s = load(tmp_path, "CREATE TABLE t (a text default 'x', b int default 0, c default NULL, "
                       "d datetime default CURRENT_TIMESTAMP, e text default (datetime('now')), "
                       "f boolean default true, g int)")
    t = s.table("t")
    kinds = [c.default.kind if c.default else None for c in t.columns]
    assert kinds == [DefaultKind.STRING, DefaultKind.NUMBER, DefaultKind.NULL,
                     DefaultKind.EXPRESSION, DefaultKind.EXPRESSION, DefaultKind.BOOLEAN, None]
    assert t.column("e").default.value == "datetime('now')"


def test_composite_primary_key_in_key_order(tmp_path):
    s = load(tmp_path, "CREATE TABLE t (a text NOT NULL, b int, c int, "
                       "CONSTRAINT t_pk PRIMARY KEY (b, a))")
    t = s.table("t")
    assert t.primary_key.columns == ("b", "a") and t.primary_key.name == "t_pk"
    # SQLite's catalog: only NOT NULL makes a key column non-nullable (as in the DDL frontend)
    assert [c.nullable for c in t.columns] == [False, True, True]
    assert not any(c.autoincrement for c in t.columns)


@pytest.mark.parametrize(("ddl", "expected"), [
    ('"id" integer not null primary key autoincrement', True),   # Laravel increments()
    ("id INTEGER PRIMARY KEY", True),                             # rowid alias
    ("id integer, x int, PRIMARY KEY (id)", True),               # table-level, still an alias
    ("id INT PRIMARY KEY", False),                                # INT is not the rowid alias
    ("id bigint PRIMARY KEY", False),
    ("id integer, x integer, PRIMARY KEY (id, x)", False),
])
def test_autoincrement_is_the_rowid_alias(tmp_path, ddl, expected):
    t = load(tmp_path, f"CREATE TABLE t ({ddl})").table("t")
    assert t.column("id").autoincrement is expected


def test_without_rowid_and_strict(tmp_path):
    s = load(tmp_path, "CREATE TABLE a (id INTEGER PRIMARY KEY, v text) WITHOUT ROWID;"
                       "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT) STRICT;"
                       "CREATE TABLE c (id INTEGER PRIMARY KEY) STRICT, WITHOUT ROWID;"
                       "CREATE TABLE d (id INTEGER PRIMARY KEY)")
    flags = {t.name: (t.without_rowid, t.strict) for t in s.tables}
    assert flags == {"a": (True, False), "b": (False, True), "c": (True, True),
                     "d": (False, False)}
    assert not s.table("a").column("id").autoincrement  # no rowid, so no alias
    assert s.table("b").column("id").autoincrement


def test_table_flags_without_table_list_pragma():
    # SQLite < 3.37 has no PRAGMA table_list: the CREATE tail says the same.
    text = parse_create_table('CREATE TABLE "x" (a int, "b" text) STRICT , WITHOUT ROWID')
    assert (text.without_rowid, text.strict) == (True, True)
    assert not parse_create_table("CREATE TABLE rowid_stuff (a int)").without_rowid


def test_generated_columns(tmp_path):
    s = load(tmp_path, "CREATE TABLE t (a int, b text, "
                       "v int GENERATED ALWAYS AS (a  *  2) VIRTUAL, "
                       "s text AS (upper(b)) STORED, w text as ((b || 'x'))) ")
    t = s.table("t")
    assert t.column("v").generated == Generated("a * 2", stored=False)
    assert t.column("s").generated == Generated("upper(b)", stored=True)
    assert t.column("w").generated == Generated("(b || 'x')", stored=False)
    assert t.column("v").type.kind is Kind.INTEGER and t.column("a").generated is None


def test_identifiers_in_any_quoting_style(tmp_path):
    s = load(tmp_path, 'CREATE TABLE [my t] ("we""ird" int, `back` int, [sq] int, '
                       "CONSTRAINT [c 1] CHECK ([sq] > 0), "
                       'CONSTRAINT "fk ""x""" FOREIGN KEY ("we""ird") REFERENCES [my t]([sq]))')
    t = s.table("my t")
    assert t.column_names == ('we"ird', "back", "sq")
    assert t.checks[0].name == "c 1" and t.checks[0].columns == ("sq",)
    assert t.foreign_keys[0].name == 'fk "x"'


# --- foreign keys ---------------------------------------------------------------------

FK_SCHEMA = """
CREATE TABLE parent (a int, b int, x int, PRIMARY KEY (a, b), UNIQUE (x));
CREATE TABLE child (
  id integer primary key,
  pa int, pb int, px int REFERENCES parent(x) ON DELETE SET NULL ON UPDATE RESTRICT,
  qa int, qb int,
  CONSTRAINT child_parent_fk FOREIGN KEY (pa, pb) REFERENCES parent (a, b) ON DELETE CASCADE,
  FOREIGN KEY (qb, qa) REFERENCES parent ON UPDATE NO ACTION
);
"""


def test_composite_foreign_keys_in_source_order_with_actions(tmp_path):
    fks = load(tmp_path, FK_SCHEMA).table("child").foreign_keys
    assert [(f.columns, f.ref_columns) for f in fks] == [
        (("px",), ("x",)), (("pa", "pb"), ("a", "b")), (("qb", "qa"), ("a", "b"))]
    assert (fks[0].on_delete, fks[0].on_update) == (Action.SET_NULL, Action.RESTRICT)
    assert (fks[1].on_delete, fks[1].on_update) == (Action.CASCADE, None)
    assert (fks[2].on_delete, fks[2].on_update) == (None, None)  # NO ACTION is None
    assert [f.name for f in fks] == [None, "child_parent_fk", None]


def test_foreign_key_names_resolve_case_insensitively(tmp_path):
    s = load(tmp_path, "CREATE TABLE Users (ID integer primary key);"
                       "CREATE TABLE posts (id integer primary key, User_Id int, "
                       "FOREIGN KEY (user_id) REFERENCES users(id))")
    fk = s.table("posts").foreign_keys[0]
    assert (fk.columns, fk.ref_table, fk.ref_columns) == (("User_Id",), "Users", ("ID",))


def test_foreign_key_to_missing_table_is_dropped_with_error(tmp_path):
    s = load(tmp_path, "CREATE TABLE t (id integer primary key, g int REFERENCES ghosts(id), "
                       "p int REFERENCES t(nope))")
    assert s.table("t").foreign_keys == ()
    errors = [d for d in s.diagnostics if d.severity is Severity.ERROR]
    assert [d.code for d in errors] == ["missing-table", "missing-column"]  # source order
    assert all(d.table == "t" for d in errors)


# --- indexes --------------------------------------------------------------------------

INDEX_SCHEMA = """
CREATE TABLE t (id integer primary key, email text UNIQUE, a int, b text, deleted_at text,
  CONSTRAINT t_a_b_unique UNIQUE (a, b), UNIQUE (b, a));
CREATE UNIQUE INDEX t_email_live ON t (email) WHERE deleted_at IS  NULL;
CREATE INDEX t_expr ON t (a DESC, lower(b) COLLATE NOCASE DESC, "b" COLLATE nocase);
CREATE TABLE k (code text PRIMARY KEY, v int);
"""


def test_indexes_unique_partial_expression_and_constraints(tmp_path):
    s = load(tmp_path, INDEX_SCHEMA)
    ix = {i.name: i for i in s.table("t").indexes}
    assert [i.name for i in s.table("t").indexes] == [
        None, "t_a_b_unique", None, "t_email_live", "t_expr"]
    col_unique, named, unnamed = s.table("t").indexes[:3]
    assert col_unique.constraint and col_unique.unique and col_unique.columns == ("email",)
    assert named.constraint and named.columns == ("a", "b")
    assert unnamed.columns == ("b", "a")
    live = ix["t_email_live"]
    assert live.unique and not live.constraint and live.where == "deleted_at IS NULL"
    assert ix["t_expr"].parts == (IndexPart(column="a", descending=True),
                                  IndexPart(expression="lower(b) COLLATE NOCASE",
                                            descending=True),
                                  IndexPart(column="b"))
    assert ix["t_expr"].where is None and not ix["t_expr"].unique
    assert s.table("k").indexes == ()  # the primary key's own index is not listed


# --- checks ---------------------------------------------------------------------------

def test_checks_table_and_column_level_with_names_and_nested_parens(tmp_path):
    s = load(tmp_path, """
    CREATE TABLE t (
      a int CHECK (a > 0) CONSTRAINT a_small CHECK ((a < (10 + 5))),
      b text NOT NULL CHECK (b <> ')' AND length(b) > 0),
      c int,
      CONSTRAINT "c_range" CHECK (c BETWEEN 1
                                  AND 9),
      CHECK (a < c) -- trailing comment with CHECK (x)
    )""")
    checks = [(c.name, c.expression, c.columns) for c in s.table("t").checks]
    assert checks == [
        (None, "a > 0", ("a",)),
        ("a_small", "(a < (10 + 5))", ("a",)),
        (None, "b <> ')' AND length(b) > 0", ("b",)),
        ("c_range", "c BETWEEN 1 AND 9", ("c",)),
        (None, "a < c", ("a", "c")),
    ]


_NO_CONSTRAINT_NAMES = [
    ('CREATE TABLE t (a int CHECK (a > 0), "check" text CHECK ("check" <> \'CHECK (1)\'), '
     "b int REFERENCES p(id) CHECK ((b < (10 + 5))), UNIQUE (a, b), "
     "FOREIGN KEY (a) REFERENCES p(id), CHECK (a < b) /* CHECK (no) */)"),
    "CREATE TABLE t (x int, [y] int check(x in (1, 2)) -- check (z)\n)",
    "CREATE TABLE t (x int PRIMARY KEY, y text UNIQUE)",
]


@pytest.mark.parametrize("sql", _NO_CONSTRAINT_NAMES)
def test_check_only_scan_finds_what_the_full_scan_finds(sql):
    # Without CONSTRAINT in the text the fast scan looks for CHECKs only; every
    # other fact it skips would have carried no name.
    full, fast = parse_create_table(sql, True), parse_create_table(sql, False)
    assert fast.checks == full.checks
    assert all(name is None for _, name in full.fks) and not full.unique_names
    assert full.pk_name is None


def test_tables_sharing_columns_and_keys_stay_separate(tmp_path):
    s = load(tmp_path, """
    CREATE TABLE p (id integer PRIMARY KEY, "v" text NOT NULL DEFAULT 'x');
    CREATE TABLE a (id integer PRIMARY KEY, p_id int REFERENCES p(id), "v" text NOT NULL
                    DEFAULT 'x', CHECK (p_id > 0));
    CREATE TABLE b (id integer PRIMARY KEY, p_id int REFERENCES p(id), "v" text DEFAULT 'x');
    CREATE INDEX b_p ON b (p_id);""")
    a, b = s.table("a"), s.table("b")
    assert a.column("v").nullable is False and b.column("v").nullable is True
    assert a.foreign_keys == b.foreign_keys and a.checks[0].columns == ("p_id",)
    assert b.indexes[0].parts == (IndexPart(column="p_id"),) and a.indexes == ()

def test_laravel_enum_check_becomes_enum_type(tmp_path):
    s = load(tmp_path, 'CREATE TABLE "u" ("id" integer not null primary key autoincrement, '
                       '"role" varchar check ("role" in (\'admin\', \'member\')) '
                       "not null default 'member')")
    role = s.table("u").column("role")
    assert role.type.kind is Kind.ENUM and role.type.values == ("admin", "member")
    assert s.table("u").checks == ()


# --- skipped objects, virtual tables ------------------------------------------------------

def test_views_triggers_shadow_and_internal_tables_are_skipped(tmp_path):
    s = load(tmp_path, """
    CREATE TABLE t (id integer primary key autoincrement, body text);
    CREATE VIEW v AS SELECT id FROM t;
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;
    CREATE VIRTUAL TABLE ft USING fts5(title, body);
    INSERT INTO t (body) VALUES ('x');
    ANALYZE;
    """)
    assert [t.name for t in s.tables] == ["t", "ft"]
    assert [c.hidden for c in s.table("ft").columns] == [False, False, True, True]
    skipped = {d.table for d in s.diagnostics if d.code == "skipped-object"}
    assert {"v", "t", "sqlite_sequence", "sqlite_stat1", "ft_data", "ft_idx", "ft_content",
            "ft_docsize", "ft_config"} == skipped
    assert all(d.severity is Severity.INFO for d in s.diagnostics)


def test_table_kinds_without_table_list_pragma(tmp_path):
    # SQLite < 3.37: shadow tables, WITHOUT ROWID and STRICT come from sqlite_master.
    path = make_db(tmp_path, "CREATE TABLE w (k text PRIMARY KEY) WITHOUT ROWID;"
                             "CREATE VIRTUAL TABLE ft USING fts5(body)")
    conn = sqlite3.connect(path)
    master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()

    class OldSQLite:
        def execute(self, sql, *args):
            raise sqlite3.OperationalError("no such table: pragma_table_list")

    kinds = sqlite_db._table_kinds(OldSQLite(), master)
    conn.close()
    assert kinds["w"] == ("table", True, False) and kinds["ft"][0] == "virtual"
    assert kinds["ft_data"][0] == kinds["ft_config"][0] == "shadow"


def test_virtual_table_with_unknown_module_is_skipped_not_fatal(tmp_path):
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key, v int REFERENCES vt(a))")
    add_broken_virtual_table(path)
    s = sqlite_db.load(path)
    assert [t.name for t in s.tables] == ["t"] and check_schema(s) == []
    assert any(d.table == "vt" and "nosuchmod" in d.message for d in s.diagnostics)
    assert any(d.code == "missing-table" for d in s.diagnostics)  # the FK into it is dropped


# --- samples ----------------------------------------------------------------------------

def test_samples_of_morph_type_columns(tmp_path):
    rows = ";".join(f"INSERT INTO c (owner_type, owner_id, kind_type) VALUES ('M{i:03}', {i}, 'k')"
                    for i in range(60))
    s = load(tmp_path, "CREATE TABLE c (id integer primary key, owner_type text, owner_id int, "
                       "kind_type text, plain_type text, plain int);" + rows +
                       ";INSERT INTO c (owner_type) VALUES (NULL), ('App\\Post'), ('App\\Post')")
    t = s.table("c")
    samples = t.column("owner_type").samples
    assert len(samples) == 50 and list(samples) == sorted(samples)
    assert "App\\Post" in samples  # sorts first; duplicates and NULL excluded
    assert t.column("kind_type").samples == ()   # no kind_id sibling
    assert t.column("plain_type").samples == ()


def test_no_samples_from_empty_tables(tmp_path):
    s = load(tmp_path, "CREATE TABLE c (id integer primary key, owner_type text, owner_id int)")
    assert s.table("c").column("owner_type").samples == ()


# --- read-only opening --------------------------------------------------------------------

def test_wal_database_left_untouched(tmp_path):
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key); INSERT INTO t VALUES (1)",
                   wal=True)
    assert Path(path).read_bytes()[18:20] == b"\x02\x02"  # WAL mode in the header
    assert not os.path.exists(path + "-wal") and not os.path.exists(path + "-shm")
    before = snapshot_dir(path)
    assert [t.name for t in sqlite_db.load(path).tables] == ["t"]
    assert snapshot_dir(path) == before


def test_rollback_database_left_untouched(tmp_path):
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key)")
    before = snapshot_dir(path)
    sqlite_db.load(path)
    assert snapshot_dir(path) == before


def test_wal_with_live_writer_sees_uncheckpointed_commits(tmp_path):
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key)", wal=True)
    writer = live_writer(path, "CREATE TABLE only_in_wal (id integer primary key)")
    try:
        names = sorted(os.listdir(tmp_path))
        s = sqlite_db.load(path)
        assert [t.name for t in s.tables] == ["t", "only_in_wal"]
        assert sorted(os.listdir(tmp_path)) == names
    finally:
        writer.close()


def test_wal_left_without_shm_is_read_from_a_copy(tmp_path):
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key)", wal=True)
    crashed = crashed_copy(path, "CREATE TABLE in_wal (id integer primary key)",
                           tmp_path / "crashed")
    before = snapshot_dir(crashed)
    s = sqlite_db.load(crashed)
    assert [t.name for t in s.tables] == ["t", "in_wal"]
    assert snapshot_dir(crashed) == before


@pytest.mark.parametrize("dirname", ["a?b", "c#d", "e%20f", "g h"])
def test_paths_needing_uri_quoting(tmp_path, dirname):
    folder = tmp_path / dirname
    folder.mkdir()
    path = make_db(folder, "CREATE TABLE t (id integer primary key)", wal=True)
    s = sqlite_db.load(path)
    assert [t.name for t in s.tables] == ["t"] and s.source == path
    assert sorted(os.listdir(folder)) == ["x.db"]


def test_source_is_the_path_as_given(tmp_path, monkeypatch):
    make_db(tmp_path, "CREATE TABLE t (id int)")
    monkeypatch.chdir(tmp_path)
    assert sqlite_db.load("x.db").source == "x.db"
    assert dispatch_load("./x.db").source == "./x.db"


# --- unreadable input -------------------------------------------------------------------

def _one_line_error(path: str, *words: str) -> None:
    with pytest.raises(SourceError) as err:
        sqlite_db.load(path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(path + ": ")
    assert all(w in msg for w in words), msg


def test_corrupt_file_after_valid_header(tmp_path):
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key, v text)")
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[:100] + bytes((i * 37 + 11) % 256 for i in range(len(data) - 100)))
    _one_line_error(path, "not a valid SQLite database")


def test_garbage_and_truncated_files(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    _one_line_error(str(bad), "not a valid SQLite database")
    short = tmp_path / "short.db"
    short.write_bytes(b"SQLite format 3\x00\x10\x00")
    _one_line_error(str(short), "not a valid SQLite database")
    _one_line_error(str(tmp_path / "missing.db"), "no such file")


def test_locked_rollback_database_is_one_clean_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_db, "BUSY_TIMEOUT", 0.05)
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key)")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("INSERT INTO t VALUES (1)")
    try:
        _one_line_error(path, "locked")
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_wal_database_with_exclusive_writer_is_still_read(tmp_path):
    # In WAL mode readers never wait for a writer: the committed schema is read.
    path = make_db(tmp_path, "CREATE TABLE t (id integer primary key)", wal=True)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("CREATE TABLE uncommitted (id int)")
    try:
        assert [t.name for t in sqlite_db.load(path).tables] == ["t"]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# --- real schemas -----------------------------------------------------------------------

@pytest.mark.parametrize("fixture", SQLITE_FIXTURES)
def test_fixture_schemas_load_cleanly(tmp_path, fixture):
    script = (FIXTURE_DIR / fixture).read_text(encoding="utf-8-sig")
    path = make_db(tmp_path, script)
    schema = dispatch_load(path)
    assert schema.tables
    assert check_schema(schema) == []
    assert from_json(to_json(schema)) == schema
    assert [d.render() for d in schema.diagnostics if d.severity is not Severity.INFO] == []


# A rowid alias written without AUTOINCREMENT (chinook, northwind, sakila) is
# autoincrement for both frontends: common.finish_table says so once.
@pytest.mark.parametrize("fixture", SQLITE_FIXTURES)
def test_same_ir_as_the_ddl_frontend(tmp_path, fixture):
    from compiler.frontends import ddl
    script = (FIXTURE_DIR / fixture).read_text(encoding="utf-8-sig")
    from_text = ddl.load_text(script, source="x", dialect="sqlite")
    from_file = sqlite_db.load(make_db(tmp_path, script))
    assert json.loads(to_json(from_file))["tables"] == json.loads(to_json(from_text))["tables"]


@pytest.mark.parametrize("script", [
    FK_SCHEMA.replace("integer primary key", "integer primary key autoincrement"),
    INDEX_SCHEMA.replace("integer primary key", "integer primary key autoincrement"),
    ("CREATE TABLE t (a int CHECK (a > 0) CONSTRAINT a_small CHECK ((a < (10 + 5))), "
    "b text CHECK (b <> ')'), CONSTRAINT \"c r\" CHECK (a  BETWEEN 1\n AND 9))"),
    "CREATE TABLE t (a int, v int GENERATED ALWAYS AS (a  *  2) VIRTUAL, s AS (a + 1) STORED)",
    ("CREATE TABLE t (a text default 'x', b int default (-1), d default CURRENT_TIMESTAMP, "
    "e default (datetime('now')), f boolean default true)"),
])
def test_same_ir_as_the_ddl_frontend_per_feature(tmp_path, script):
    from compiler.frontends import ddl
    from_text = ddl.load_text(script, source="x", dialect="sqlite")
    from_file = sqlite_db.load(make_db(tmp_path, script))
    assert json.loads(to_json(from_file))["tables"] == json.loads(to_json(from_text))["tables"]


def test_sakila_details(tmp_path):
    script = (FIXTURE_DIR / "sakila.sqlite.sql").read_text(encoding="utf-8")
    s = sqlite_db.load(make_db(tmp_path, script))
    film = s.table("film")
    assert film.column("rating").type.values == ("G", "PG", "PG-13", "R", "NC-17")
    assert film.checks[0].name == "CHECK_special_features"
    assert film.checks[0].expression.startswith("special_features is null or special_features")
    assert [f.name for f in film.foreign_keys] == ["fk_film_language",
                                                   "fk_film_language_original"]
    assert sum(d.message.startswith("view") for d in s.diagnostics) == 5
    triggers = [d for d in s.diagnostics if d.message.startswith("trigger")]
    assert len(triggers) == 30
    assert triggers[0].render() == ("actor: info[skipped-object]: trigger "
                                    "actor_trigger_ai skipped: triggers are not modelled")
