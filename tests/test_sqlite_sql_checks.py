"""The CHECK-only scan of a CREATE TABLE finds what the full scan finds."""

import pytest

from compiler.frontends.sqlite_sql import parse_create_table

STATEMENTS = [
    'CREATE TABLE t ("price" numeric not null check ("price" >= 0), "s" varchar '
    "check (\"s\" in ('a', 'b')) not null default 'a')",
    "CREATE TABLE t (a int check(a > 0) check (a < (10 + 2)), b text, CHECK (a > 1 AND (b IS NULL)))",
    "CREATE TABLE t (\"we(ird\" text check (\"we(ird\" <> 'check (x)'), -- check (c)\n"
    "  /* check ( */ b int)",
    "CREATE TABLE t (a int default (abs(-1)), b int check (b in (select 1)))",
    'CREATE TABLE t ("check" int check ("check" > 1), [check] int)',
    "CREATE TABLE t (check_a int, a_check int check (a_check))",
    "CREATE TABLE t (a int)",
]


@pytest.mark.parametrize("sql", STATEMENTS)
def test_check_only_scan_matches_full_scan(sql):
    assert parse_create_table(sql, full=False).checks == parse_create_table(sql).checks


def test_check_only_scan_finds_top_level_checks_only():
    checks = parse_create_table(STATEMENTS[1], full=False).checks
    assert checks == [(None, "a > 0"), (None, "a < (10 + 2)"), (None, "a > 1 AND (b IS NULL)")]
