"""The DDL frontend: DDL text in three dialects -> IR, with diagnostics and spans."""

from __future__ import annotations

import sqlite3

import pytest

from compiler.frontends import dialect_from_name
from compiler.frontends.ddl import load_text
from ir.check import check_schema
from ir.diagnostics import Severity
from ir.model import Action, DefaultKind, Schema
from ir.types import Kind
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path

DIALECTS = ("sqlite", "mysql", "postgres")
Q = {"sqlite": '"', "mysql": "`", "postgres": '"'}


def load(text: str, dialect: str = "sqlite") -> Schema:
    schema = load_text(text, source="schema.sql", dialect=dialect)
    assert check_schema(schema) == []
    return schema


def errors(schema: Schema) -> list[str]:
    return [d.render() for d in schema.diagnostics if d.severity is Severity.ERROR]


# --- the fixtures -----------------------------------------------------------------------

EXPECTED_TABLES = {
    "chinook.sqlite.sql": 11, "chinook.mysql.sql": 11, "chinook.postgres.sql": 11,
    "chinook_autoinc.sqlite.sql": 11, "chinook_autoinc.mysql.sql": 11,
    "chinook_identity.postgres.sql": 11, "chinook_serial.postgres.sql": 11,
    "sakila.sqlite.sql": 16, "sakila.mysql.sql": 16, "sakila.postgres.sql": 21,
    "northwind.sqlite.sql": 13, "filament-demo.sqlite.sql": 30, "pterodactyl.sqlite.sql": 35,
}


def load_fixture(name: str) -> Schema:
    path = fixture_path(name)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    return load_text(text, source=str(path), dialect=dialect_from_name(name) or "sqlite")


def sqlite_tables(name: str) -> list[str]:
    db = sqlite3.connect(":memory:")
    db.executescript(fixture_path(name).read_text(encoding="utf-8-sig"))
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite_%'")]


@pytest.mark.parametrize("name", FIXTURES + LARAVEL_FIXTURES)
def test_fixture_loads_cleanly(name: str) -> None:
    schema = load_fixture(name)
    assert errors(schema) == []
    assert check_schema(schema) == []
    if name in EXPECTED_TABLES:
        assert len(schema.tables) == EXPECTED_TABLES[name]
    else:  # a fixture added later: SQLite itself says how many tables it holds
        assert ".sqlite." in name, f"add {name} to EXPECTED_TABLES"
        assert len(schema.tables) == len(sqlite_tables(name))
    assert schema.source == str(fixture_path(name))


@pytest.mark.parametrize("name", [n for n in FIXTURES + LARAVEL_FIXTURES if ".sqlite." in n])
def test_sqlite_fixture_types_match_the_sqlite_catalog(name: str) -> None:
    """The raw type is what PRAGMA table_xinfo reports for the same DDL."""
    schema = load_fixture(name)
    db = sqlite3.connect(":memory:")
    db.executescript(fixture_path(name).read_text(encoding="utf-8-sig"))
    for table in schema.tables:
        catalog = {r[1]: " ".join(r[2].split())
                   for r in db.execute(f'PRAGMA table_xinfo("{table.name}")')}
        assert {c.name: c.type.raw for c in table.columns} == catalog, table.name


def test_sakila_postgres_children_inherit_payment() -> None:
    schema = load_fixture("sakila.postgres.sql")
    child = schema.table("payment_p2007_01")
    assert child.inherits == ("payment",)
    assert child.column_names == schema.table("payment").column_names
    assert child.checks[0].columns == ("payment_date",)
    film = schema.table("film")
    assert film.column("rating").type.values == ("G", "PG", "PG-13", "R", "NC-17")
    assert film.column("release_year").type.kind is Kind.INTEGER  # DOMAIN year AS integer
    assert film.column("film_id").autoincrement


def test_sakila_sqlite_free_form_type_is_kept() -> None:
    schema = load_fixture("sakila.sqlite.sql")
    col = schema.table("film_text").column("description")
    assert col.type.raw == "BLOB SUB_TYPE TEXT" and col.type.kind is Kind.TEXT


def test_sakila_postgres_owner_statements_are_skipped_with_warnings() -> None:
    schema = load_fixture("sakila.postgres.sql")
    owner = [d for d in schema.diagnostics if "OWNER TO" in d.message]
    assert len(owner) >= 40 and all(d.severity is Severity.WARNING for d in owner)
    first = next(d for d in owner if "ALTER TABLE" in d.message)
    assert first.span.line == 40


# --- CREATE TABLE in every dialect --------------------------------------------------------

@pytest.mark.parametrize("dialect", DIALECTS)
def test_keys_and_constraints(dialect: str) -> None:
    q = Q[dialect]
    schema = load(f"""
CREATE TABLE {q}users{q} (id INTEGER NOT NULL PRIMARY KEY, email VARCHAR(190) UNIQUE);
CREATE TABLE IF NOT EXISTS {q}posts{q} (
  id INTEGER NOT NULL,
  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  editor_id INTEGER,
  slug VARCHAR(50) NOT NULL,
  qty INTEGER CHECK (qty   >=
     0),
  CONSTRAINT posts_pk PRIMARY KEY (id),
  CONSTRAINT posts_editor_fk FOREIGN KEY (editor_id) REFERENCES {q}users{q} (id)
     ON UPDATE SET NULL ON DELETE NO ACTION,
  CONSTRAINT posts_slug_uq UNIQUE (slug, user_id),
  CHECK (slug <> '')
);
CREATE TABLE IF NOT EXISTS posts (other INTEGER);
""", dialect)
    users, posts = schema.tables
    assert users.primary_key.columns == ("id",)
    uq = users.indexes[0]
    assert (uq.name, uq.columns, uq.unique, uq.constraint) == (None, ("email",), True, True)
    assert posts.primary_key.columns == ("id",) and posts.primary_key.name == "posts_pk"
    fk1, fk2 = posts.foreign_keys
    assert (fk1.columns, fk1.ref_table, fk1.ref_columns, fk1.on_delete) == (
        ("user_id",), "users", ("id",), Action.CASCADE)
    assert (fk2.name, fk2.on_update, fk2.on_delete) == ("posts_editor_fk", Action.SET_NULL, None)
    assert posts.indexes[0].name == "posts_slug_uq" and posts.indexes[0].constraint
    assert [c.expression for c in posts.checks] == ["qty >= 0", "slug <> ''"]
    assert posts.column("slug").nullable is False
    assert len(schema.tables) == 2  # IF NOT EXISTS on a known table adds nothing


@pytest.mark.parametrize(("dialect", "default", "kind", "value"), [
    ("sqlite", "'it''s'", DefaultKind.STRING, "it's"),
    ("sqlite", "-1.5", DefaultKind.NUMBER, "-1.5"),
    ("sqlite", "(0)", DefaultKind.NUMBER, "0"),
    ("sqlite", "TRUE", DefaultKind.BOOLEAN, "true"),
    ("sqlite", "NULL", DefaultKind.NULL, ""),
    ("sqlite", "CURRENT_TIMESTAMP", DefaultKind.EXPRESSION, "CURRENT_TIMESTAMP"),
    ("sqlite", "(datetime('now'))", DefaultKind.EXPRESSION, "datetime('now')"),
    ("mysql", "NULL", DefaultKind.NULL, ""),
    ("mysql", r"'a\'b'", DefaultKind.STRING, "a'b"),
    ("mysql", "'0'", DefaultKind.STRING, "0"),
    ("mysql", "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP", DefaultKind.EXPRESSION,
     "CURRENT_TIMESTAMP"),
    ("postgres", "'G'::mpaa_rating", DefaultKind.STRING, "G"),
    ("postgres", "NULL::character varying", DefaultKind.NULL, ""),
    ("postgres", "now()", DefaultKind.EXPRESSION, "now()"),
    ("postgres", "('now'::text)::date", DefaultKind.EXPRESSION, "('now'::text)::date"),
])
def test_defaults(dialect: str, default: str, kind: DefaultKind, value: str) -> None:
    schema = load(f"CREATE TABLE t (a VARCHAR(20) DEFAULT {default} NOT NULL);", dialect)
    col = schema.tables[0].column("a")
    assert (col.default.kind, col.default.value) == (kind, value)
    assert col.nullable is False


@pytest.mark.parametrize("dialect", DIALECTS)
def test_type_is_the_source_spelling(dialect: str) -> None:
    schema = load("CREATE TABLE t (a NVARCHAR(160), b varchar( 10 ) NOT NULL, "
                  "c DECIMAL(8, 2) DEFAULT 0, d tinyint(1))", dialect)
    t = schema.tables[0]
    assert [c.type.raw for c in t.columns] == ["NVARCHAR(160)", "varchar( 10 )",
                                               "DECIMAL(8, 2)", "tinyint(1)"]
    assert t.column("b").type.length == 10 and t.column("c").type.scale == 2


@pytest.mark.parametrize(("dialect", "name"), [
    ("sqlite", '"odd name"'), ("sqlite", "[odd name]"), ("sqlite", "`odd name`"),
    ("mysql", "`odd name`"), ("postgres", '"odd name"')])
def test_quoted_names(dialect: str, name: str) -> None:
    schema = load(f"CREATE TABLE {name} ({name} INTEGER PRIMARY KEY);\n"
                  f"CREATE INDEX ix ON {name} ({name});", dialect)
    t = schema.table("odd name")
    assert t.column_names == ("odd name",) and t.indexes[0].columns == ("odd name",)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_temporary_table_is_read(dialect: str) -> None:
    kw = "TEMP" if dialect == "sqlite" else "TEMPORARY"
    assert load(f"CREATE {kw} TABLE t (a INT);", dialect).table("t") is not None


def test_sqlite_primary_key_nullability_follows_sqlite() -> None:
    # The rowid alias can never be NULL (common.finish_table); another key can, as in SQLite.
    t = load("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT NOT NULL)").tables[0]
    assert t.column("id").autoincrement and not t.column("id").nullable
    u = load("CREATE TABLE u (code TEXT PRIMARY KEY)").tables[0]
    assert u.column("code").nullable
    w = load("CREATE TABLE w (id INTEGER PRIMARY KEY, x INT) WITHOUT ROWID").tables[0]
    assert w.column("id").nullable is False or w.column("id").nullable is True  # no rowid alias


@pytest.mark.parametrize("dialect", ["mysql", "postgres"])
def test_primary_key_columns_are_not_null(dialect: str) -> None:
    t = load("CREATE TABLE t (id INT, b INT, PRIMARY KEY (id));", dialect).tables[0]
    assert t.column("id").nullable is False and t.column("b").nullable is True


@pytest.mark.parametrize("dialect", DIALECTS)
def test_create_index(dialect: str) -> None:
    q = Q[dialect]
    schema = load(f"""CREATE TABLE t (a INT, b VARCHAR(9), {q}c d{q} INT);
CREATE UNIQUE INDEX ix_ab ON t (a, b DESC);
CREATE INDEX ix_expr ON t (lower(b), {q}c d{q}) WHERE a  >  1;""", dialect)
    ab, expr = schema.tables[0].indexes
    assert ab.unique and not ab.constraint and ab.columns == ("a", "b")
    assert [p.descending for p in ab.parts] == [False, True]
    assert expr.parts[0].expression == "lower(b)" and expr.parts[1].column == "c d"
    assert expr.where == "a > 1"


# --- SQLite specifics ----------------------------------------------------------------------

def test_sqlite_without_rowid_and_strict() -> None:
    schema = load("CREATE TABLE a (k TEXT PRIMARY KEY) WITHOUT ROWID;\n"
                  "CREATE TABLE b (k INTEGER) STRICT;\n"
                  "CREATE TABLE c (k TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;")
    assert [(t.without_rowid, t.strict) for t in schema.tables] == [
        (True, False), (False, True), (True, True)]
    assert schema.diagnostics == ()


def test_sqlite_free_form_multiword_type() -> None:
    t = load("CREATE TABLE f (id INTEGER, body BLOB SUB_TYPE TEXT NOT NULL, "
             "x my odd type DEFAULT 1)").tables[0]
    assert t.column("body").type.raw == "BLOB SUB_TYPE TEXT"
    assert t.column("body").type.kind is Kind.TEXT and t.column("body").nullable is False
    assert t.column("x").type.raw == "my odd type" and t.column("x").default.value == "1"


def test_sqlite_generated_column() -> None:
    t = load("CREATE TABLE g (a INT, b INT AS (a  * 2) STORED, c AS (a + 1))").tables[0]
    assert t.column("b").generated.expression == "a * 2" and t.column("b").generated.stored
    assert t.column("c").generated.stored is False and t.column("c").type.raw == ""


# --- MySQL specifics -------------------------------------------------------------------------

def test_mysql_column_features() -> None:
    schema = load("""CREATE TABLE u (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY);
CREATE TABLE `t` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'the key',
  `u_id` bigint unsigned DEFAULT NULL,
  `name` varchar(45) CHARACTER SET utf8 COLLATE utf8_bin NOT NULL,
  `rating` ENUM('G','PG-13') DEFAULT 'G',
  `features` SET('a b','c'),
  `full` varchar(90) AS (concat(name, '!')) STORED,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_name` (`name`),
  KEY `ix_u` (`u_id`, `name`(10)),
  CONSTRAINT `fk_u` FOREIGN KEY (`u_id`) REFERENCES `u` (`id`) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8 COMMENT='things';""", "mysql")
    t = schema.table("t")
    assert t.comment == "things"
    key = t.column("id")
    assert (key.type.raw, key.type.unsigned, key.autoincrement, key.comment) == (
        "int(10) unsigned", True, True, "the key")
    assert t.column("u_id").default.kind is DefaultKind.NULL
    assert t.column("name").type.raw == "varchar(45)"
    assert t.column("rating").type.values == ("G", "PG-13")
    assert t.column("features").type.multiple and t.column("features").type.values == ("a b", "c")
    assert t.column("full").generated.expression == "concat(name, '!')"
    uq, ix = t.indexes
    assert (uq.name, uq.unique, uq.constraint) == ("uq_name", True, True)
    assert (ix.name, ix.unique, ix.columns) == ("ix_u", False, ("u_id", "name"))


def test_mysql_alter_table_adds() -> None:
    schema = load("""CREATE TABLE u (id INT);
CREATE TABLE t (a INT, b INT);
ALTER TABLE u ADD PRIMARY KEY (id);
ALTER TABLE t ADD INDEX ix_b (b), ADD COLUMN c VARCHAR(5) NOT NULL DEFAULT 'x',
  ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id), ADD UNIQUE KEY uq (c),
  ADD CONSTRAINT ck CHECK (b > a);""", "mysql")
    t = schema.table("t")
    assert schema.table("u").primary_key.columns == ("id",)
    assert t.column_names == ("a", "b", "c") and t.column("c").type.raw == "VARCHAR(5)"
    assert [i.name for i in t.indexes] == ["ix_b", "uq"]
    assert t.foreign_keys[0].name == "fk" and t.checks[0].expression == "b > a"


# --- PostgreSQL specifics ---------------------------------------------------------------------

def test_postgres_serial_identity_and_nextval_are_autoincrement() -> None:
    t = load("""CREATE TABLE t (
  a serial, b BIGSERIAL PRIMARY KEY, c int GENERATED ALWAYS AS IDENTITY,
  d integer DEFAULT nextval('t_d_seq'::regclass) NOT NULL, e int);""", "postgres").tables[0]
    assert [c.autoincrement for c in t.columns] == [True, True, True, True, False]
    assert t.column("a").nullable is False
    assert t.column("d").default.kind is DefaultKind.EXPRESSION


def test_postgres_user_types_comments_and_schemas() -> None:
    schema = load("""CREATE TYPE public.mood AS ENUM ('sad', 'ok');
CREATE DOMAIN posint AS integer CONSTRAINT pos CHECK (VALUE > 0);
CREATE TABLE public.person (id int, m public.mood, n posint,
  total numeric(10,2) GENERATED ALWAYS AS (n * 2) STORED);
COMMENT ON TABLE public.person IS 'People';
COMMENT ON COLUMN person.n IS 'count';""", "postgres")
    t = schema.tables[0]
    assert (t.name, t.schema, t.comment) == ("person", "public", "People")
    assert t.column("m").type.kind is Kind.ENUM and t.column("m").type.values == ("sad", "ok")
    assert t.column("n").type.kind is Kind.INTEGER and t.column("n").comment == "count"
    assert t.column("total").generated.expression == "n * 2"


def test_postgres_partitions_and_inheritance() -> None:
    schema = load("""CREATE TABLE m (id int NOT NULL, at date) PARTITION BY RANGE (at);
CREATE TABLE m_2020 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE kid (extra text) INHERITS (m);""", "postgres")
    part, kid = schema.table("m_2020"), schema.table("kid")
    assert part.partition_of == "m" and part.column_names == ("id", "at")
    assert kid.inherits == ("m",) and kid.column_names == ("id", "at", "extra")


def test_postgres_pg_dump_style_alter_and_index() -> None:
    schema = load("""CREATE TABLE public.a (id integer NOT NULL, b integer);
ALTER TABLE ONLY public.a ALTER COLUMN id SET DEFAULT nextval('a_id_seq'::regclass);
ALTER TABLE ONLY public.a ADD CONSTRAINT a_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b) REFERENCES public.a(id);
CREATE INDEX a_b_idx ON ONLY public.a USING btree (b);""", "postgres")
    t = schema.tables[0]
    assert t.column("id").autoincrement and t.primary_key.name == "a_pkey"
    assert t.foreign_keys[0].ref_table == "a" and t.indexes[0].name == "a_b_idx"
    assert errors(schema) == []


# --- diagnostics ----------------------------------------------------------------------------

def test_skipped_statements_have_line_numbers_and_severity() -> None:
    schema = load("""SET NAMES utf8;
CREATE TABLE t (a INT);

CREATE VIEW v AS SELECT a FROM t;
INSERT INTO t VALUES (1);
  DROP TABLE IF EXISTS x;
CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN
  UPDATE t SET a = 1;
END;
BEGIN;
COMMIT;""", "mysql")
    got = [(d.code, d.severity.value, d.span.line, d.span.col) for d in schema.diagnostics]
    assert got == [("skipped-statement", "info", 1, 1),
                   ("skipped-statement", "warning", 4, 1),
                   ("skipped-statement", "warning", 5, 1),
                   ("skipped-statement", "info", 6, 3),  # DROP of a table not defined yet
                   ("skipped-statement", "warning", 7, 1),
                   ("skipped-statement", "info", 10, 1),
                   ("skipped-statement", "info", 11, 1)]
    assert "CREATE VIEW" in schema.diagnostics[1].message
    assert str(schema.diagnostics[1].span) == "schema.sql:4:1"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_stray_comma_is_a_parse_error_not_a_silent_pass(dialect: str) -> None:
    # sqlglot accepts "(a int,,)" and "(a int,)"; no database does
    schema = load("CREATE TABLE t (a INT,, b INT);\nCREATE TABLE u (a INT,\n);\n"
                  "CREATE TABLE w (a VARCHAR(9) DEFAULT ',,', b INT); -- ,)\n", dialect)
    assert [t.name for t in schema.tables] == ["w"]
    errors = [(d.code, d.span.line, d.span.col) for d in schema.diagnostics
              if d.severity.value == "error"]
    assert errors == [("parse-error", 1, 23), ("parse-error", 3, 1)]


def test_drop_table_removes_a_table_defined_earlier() -> None:
    schema = load('CREATE TABLE a (x INT);\nCREATE TABLE "b c" (y INT);\n'
                  'DROP TABLE IF EXISTS a, "b c", nope;\nCREATE TABLE a (z INT);', "postgres")
    assert [(t.name, t.column_names) for t in schema.tables] == [("a", ("z",))]
    got = [(d.code, d.severity.value) for d in schema.diagnostics]
    assert got == [("dropped-table", "warning"), ("dropped-table", "warning"),
                   ("skipped-statement", "info")]


def test_opaque_command_is_not_understood() -> None:
    schema = load("CREATE TABLE t (a int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;", "postgres")
    (d,) = schema.diagnostics
    assert (d.code, d.severity, d.span.line) == ("not-understood", Severity.WARNING, 2)


def test_parse_error_has_line_and_column_and_the_rest_is_read() -> None:
    schema = load("CREATE TABLE a (x int);\n\nCREATE TABLE b (\n  y int,\n  z int FOO BAR);\n"
                  "CREATE TABLE c (w int);", "postgres")
    (d,) = schema.diagnostics
    assert (d.code, d.severity, d.span.line, d.span.col) == ("parse-error", Severity.ERROR, 5, 9)
    assert [t.name for t in schema.tables] == ["a", "c"]


def test_unknown_tables_are_errors_and_dangling_keys_are_dropped() -> None:
    schema = load("""CREATE TABLE t (a INT REFERENCES ghost (id), b INT);
ALTER TABLE nope ADD COLUMN x INT;
CREATE INDEX ix ON nada (a);""")
    got = [(d.code, d.span.line) for d in schema.diagnostics]
    assert got == [("missing-table", 2), ("missing-table", 3), ("missing-table", 1)]
    assert schema.tables[0].foreign_keys == ()


def test_keys_on_undefined_columns_are_dropped() -> None:
    schema = load("CREATE TABLE t (a INT, PRIMARY KEY (zz), UNIQUE (yy));\n"
                  "CREATE TABLE u (b INT REFERENCES t (nope));")
    assert [d.code for d in schema.diagnostics] == ["missing-column"] * 3
    assert schema.table("t").primary_key is None and schema.table("t").indexes == ()


def test_duplicate_table_is_an_error_and_the_first_is_kept() -> None:
    schema = load("CREATE TABLE t (a INT);\nCREATE TABLE t (b INT);")
    assert schema.tables[0].column_names == ("a",)
    assert [d.code for d in schema.diagnostics] == ["duplicate-name"]


def test_references_without_columns_use_the_primary_key() -> None:
    schema = load("CREATE TABLE p (k TEXT PRIMARY KEY);\nCREATE TABLE c (p_k TEXT REFERENCES p);")
    assert schema.table("c").foreign_keys[0].ref_columns == ("k",)


def test_spans_point_at_columns() -> None:
    schema = load("-- hi\nCREATE TABLE t (\n  a INT,\n    b INT\n);")
    t = schema.tables[0]
    assert [(s.line, s.col) for s in t.column_spans] == [(3, 3), (4, 5)]
    assert (t.column_span("b").line, t.column_span("b").col) == (4, 5)
    assert (t.span.line, t.span.col) == (2, 1)


def test_equal_columns_are_one_object_and_keep_their_own_spans() -> None:
    schema = load("CREATE TABLE a (id INT, name TEXT);\n"
                  "CREATE TABLE b (\n  id INT,\n  name TEXT NOT NULL\n);")
    a, b = schema.tables
    assert a.columns[0] is b.columns[0]            # shared: the passes memoize per object
    assert a.columns[1] is not b.columns[1]        # NOT NULL differs
    assert [s.line for s in a.column_spans] == [1, 1]
    assert [s.line for s in b.column_spans] == [3, 4]
    assert a.column_span("id").col != b.column_span("id").col
