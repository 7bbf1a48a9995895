"""The two-process DDL load gives exactly the serial load's IR and diagnostics, or falls back to it.

Each case loads the same text serially and with ``jobs=2`` (the size
threshold lowered to 0) and compares the serialized IR, diagnostics and spans
included.  Cases that must go parallel also check that the parallel path was
really taken (a fallback would pass the comparison trivially).
"""

from __future__ import annotations

import os

import pytest

from compiler.frontends import ddl, ddl_parallel
from compiler.frontends.ddl_split import split_statements
from ir.serialize import to_json
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path


@pytest.fixture(autouse=True)
def _small_files_too(monkeypatch):
    monkeypatch.setattr(ddl_parallel, "MIN_STATEMENTS", 0)


def _dialect(name: str) -> str:
    return next(d for d in ("sqlite", "mysql", "postgres") if f".{d}." in name)


def _went_parallel(text: str, dialect: str) -> bool:
    stmts = list(split_statements(text, dialect))
    with ddl._quiet_sqlglot():
        return ddl_parallel.load(stmts, dialect, "f.sql", ddl._statement) is not None


def _same(text: str, dialect: str) -> None:
    serial = to_json(ddl.load_text(text, "f.sql", dialect, jobs=1))
    assert to_json(ddl.load_text(text, "f.sql", dialect, jobs=2)) == serial


def _same_in_two_parts(text: str, dialect: str) -> None:
    """Read in two parts for real (not the fallback), and the serial result."""
    assert _went_parallel(text, dialect)
    _same(text, dialect)


@pytest.mark.parametrize("name", FIXTURES + LARAVEL_FIXTURES)
def test_fixture_same_as_serial(name):
    text = fixture_path(name).read_text(encoding="utf-8-sig")
    _same(text, _dialect(name))


def test_real_dumps_do_go_parallel():
    """The big real dumps are read in two parts, not through the fallback."""
    for name in ("sakila.mysql.sql", "sakila.postgres.sql", "chinook.sqlite.sql",
                 "chinook.postgres.sql"):
        text = fixture_path(name).read_text(encoding="utf-8-sig")
        assert _went_parallel(text, _dialect(name)), name


def _names_in_both_parts(n: int = 40) -> list[str]:
    names = [f"t{i}" for i in range(n)]
    assert {ddl_parallel.owner(t) for t in names} == {0, 1}
    return names


def test_statements_about_tables_of_both_parts():
    """Tables, indexes, ALTERs, comments, drops and re-creations spread over both parts;
    diagnostics (an ALTER of a missing table, a duplicate, a parse error) keep their order."""
    names = _names_in_both_parts()
    parts = []
    for i, t in enumerate(names):
        parts.append(f'CREATE TABLE "{t}" (id integer PRIMARY KEY, ref integer, v text);')
        parts.append(f'CREATE INDEX "{t}_v" ON "{t}" (v);')
        parts.append(f'ALTER TABLE "{t}" ADD CONSTRAINT "{t}_fk" FOREIGN KEY (ref) '
                     f'REFERENCES "{names[(i + 7) % len(names)]}" (id);')
        parts.append(f"COMMENT ON COLUMN \"{t}\".v IS 'value {i}';")
        if i % 9 == 0:
            parts.append(f'ALTER TABLE "missing_{t}" ADD COLUMN x integer;')
            parts.append(f'CREATE TABLE "{t}" (id integer);')           # duplicate
            parts.append(f'CREATE TABLE "{t}_bad" (id integer,, x int);')  # parse error
        if i % 5 == 0:
            parts.append(f'DROP TABLE "{t}";')
            parts.append(f'CREATE TABLE "{t}" (id bigint PRIMARY KEY, w text);')
    text = "\n".join(parts)
    _same_in_two_parts(text, "postgres")


def test_user_types_defined_between_tables():
    """Every part keeps the user types; a type used before it is defined stays unknown
    there, exactly as in the serial load."""
    names = _names_in_both_parts(12)
    parts = []
    for i, t in enumerate(names):
        parts.append(f"CREATE TYPE mood{i} AS ENUM ('a', 'b{i}');")
        parts.append(f"CREATE TABLE {t} (id integer, m mood{i}, later mood{i + 1});")
        parts.append(f"CREATE DOMAIN dom{i} AS varchar({i + 1});")
        parts.append(f"ALTER TABLE {t} ADD COLUMN d dom{i};")
    text = "\n".join(parts)
    _same_in_two_parts(text, "postgres")


def test_names_differing_in_case_meet_in_one_part():
    names = _names_in_both_parts(10)
    text = "\n".join(f"CREATE TABLE `{t.upper()}` (id int);\nCREATE TABLE `{t}` (id int);\n"
                     f"DROP TABLE `{t.upper()}`;\nALTER TABLE `{t.upper()}` ADD COLUMN c int;"
                     for t in names)
    _same_in_two_parts(text, "mysql")


def test_tables_copying_columns_share_a_part():
    """INHERITS, PARTITION OF and LIKE put a family of tables in one part."""
    names = _names_in_both_parts(12)
    parts = [f"CREATE TABLE {t} (id int, v text);" for t in names]
    parts += [f"CREATE TABLE {names[i]}_kid (x int) INHERITS ({names[i]}, public.{names[i + 1]});"
              for i in range(0, 10, 2)]
    parts += [f'CREATE TABLE "{t}_copy" (LIKE {t} INCLUDING ALL);' for t in names[:6]]
    parts += [f"CREATE TABLE {t}_p PARTITION OF {t} FOR VALUES IN (1);" for t in names[6:]]
    parts += [f"ALTER TABLE {t}_kid ADD COLUMN y int;" for t in names[:10:2]]
    text = "\n".join(parts)
    fams = ddl_parallel.route(list(split_statements(text, "postgres")))[1]
    assert {fams[f"{names[0]}_kid"], fams[names[1]]} == {fams[names[0]]}
    _same_in_two_parts(text, "postgres")


def test_a_drop_of_tables_in_both_parts_falls_back():
    names = _names_in_both_parts(4)
    text = "\n".join(f"CREATE TABLE {t} (id int);" for t in names)
    text += f"\nDROP TABLE {', '.join(names)};"
    assert not _went_parallel(text, "postgres")
    _same(text, "postgres")


def test_a_wrongly_guessed_table_falls_back():
    """A comment between the words hides the table from the router (it goes to part 0);
    when that table is part 1's, the part notices and the file is read serially."""
    names = _names_in_both_parts()
    far = next(t for t in names if ddl_parallel.owner(t) == 1)
    text = "\n".join(f"CREATE TABLE {t} (id int);" for t in names)
    text += f"\nALTER /* hm */ TABLE {far} ADD COLUMN c int;"
    assert ddl_parallel.route(list(split_statements(text, "postgres")))[0][-1] == 0
    assert not _went_parallel(text, "postgres")
    _same(text, "postgres")


def test_a_dead_child_falls_back():
    parent = os.getpid()

    def statement(stmt, ctx):
        if os.getpid() != parent:
            os._exit(3)
        ddl._statement(stmt, ctx)

    text = "\n".join(f"CREATE TABLE {t} (id int);" for t in _names_in_both_parts())
    stmts = list(split_statements(text, "sqlite"))
    assert ddl_parallel.load(stmts, "sqlite", "f.sql", statement) is None


def test_router_reads_quoted_and_qualified_names():
    sql = "\n".join([
        'CREATE TABLE IF NOT EXISTS "public"."Order ""x""" (id int);',
        "CREATE UNIQUE INDEX ix ON ONLY public.orders USING btree (id);",
        "ALTER TABLE ONLY `db`.`items` ADD COLUMN c int;",
        "COMMENT ON COLUMN public.users.name IS 'n';",
        "COMMENT ON TABLE [main].[users] IS 't';"])
    got = [ddl_parallel._target(k, s.text) for k, s in zip(
        ("table", "index", "alter", "comment", "comment"), split_statements(sql, "postgres"))]
    assert got == ['Order "x"', "orders", "items", "users", "users"]
