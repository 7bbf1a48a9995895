"""The DDL frontend's reuse of work: a column lowered once per definition text and
replayed, cached type spellings dropped when a user type renames them, and the
one-match statement splitter agreeing with the token-by-token scanner."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.frontends import ddl_split
from compiler.frontends.ddl import load_text
from ir.check import check_schema
from ir.diagnostics import Severity
from ir.model import Schema
from ir.types import Kind


def load(text: str, dialect: str) -> Schema:
    schema = load_text(text, source="s.sql", dialect=dialect)
    assert check_schema(schema) == []
    return schema


def test_same_column_text_in_two_tables_gives_each_its_keys_and_spans() -> None:
    text = ("CREATE TABLE a (id integer PRIMARY KEY, code text UNIQUE CHECK (code <> ''),\n"
            "  b_id integer REFERENCES b (id) ON DELETE CASCADE);\n"
            "CREATE TABLE b (id integer PRIMARY KEY, code text UNIQUE CHECK (code <> ''));\n")
    a, b = load(text, "postgres").tables
    assert a.primary_key.columns == b.primary_key.columns == ("id",)
    assert [ix.columns for ix in a.indexes] == [ix.columns for ix in b.indexes] == [("code",)]
    assert [c.expression for c in a.checks] == [c.expression for c in b.checks] == ["code <> ''"]
    assert a.foreign_keys[0].ref_table == "b" and a.foreign_keys[0].on_delete == "CASCADE"
    # one column object, each place its own span
    assert a.column("code") is b.column("code")
    assert (a.column_span("code").line, a.column_span("code").col) == (1, 41)
    assert (b.column_span("code").line, b.column_span("code").col) == (3, 41)
    assert (a.indexes[0].span.line, b.indexes[0].span.line) == (1, 3)
    assert (a.checks[0].span.line, b.checks[0].span.line) == (1, 3)
    assert a.foreign_keys[0].span.line == 2


def test_replayed_primary_key_twice_is_still_reported() -> None:
    text = ("CREATE TABLE a (id integer PRIMARY KEY, v integer);\n"
            "CREATE TABLE b (id integer PRIMARY KEY, w integer PRIMARY KEY, id integer);\n")
    schema = load(text, "postgres")
    found = [(d.code, d.span.line, d.span.col) for d in schema.diagnostics
             if d.severity is Severity.ERROR]
    assert found == [("duplicate-name", 2, 41), ("duplicate-name", 2, 64)]


def test_type_named_after_first_use_applies_to_later_columns() -> None:
    """A spelling read before CREATE TYPE names it is unknown there and an enum after."""
    text = ("CREATE TABLE a (mood mood NOT NULL);\n"
            "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
            "CREATE TABLE b (mood mood NOT NULL);\n")
    a, b = load(text, "postgres").tables
    assert a.columns[0].type.kind is Kind.UNKNOWN
    assert b.columns[0].type.kind is Kind.ENUM and b.columns[0].type.values == ("sad", "ok")


def test_domain_over_a_later_enum_is_re_read() -> None:
    text = ("CREATE DOMAIN feeling AS mood;\n"
            "CREATE TABLE a (f feeling);\n"
            "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
            "CREATE TABLE b (f feeling);\n")
    a, b = load(text, "postgres").tables
    assert a.columns[0].type.kind is Kind.UNKNOWN
    assert b.columns[0].type.kind is Kind.ENUM


def test_unrelated_user_type_keeps_other_columns_equal() -> None:
    text = ("CREATE TABLE a (n integer NOT NULL);\n"
            "CREATE TYPE other AS ENUM ('x');\n"
            "CREATE TABLE b (n integer NOT NULL);\n")
    a, b = load(text, "postgres").tables
    assert a.columns[0] is b.columns[0]


def test_sqlite_patched_multiword_type_is_not_taken_from_a_plain_column() -> None:
    """The free-form type retry parses a patched copy; its columns keep their own text."""
    text = ("CREATE TABLE a (x BLOB SUB_TYPE TEXT, y integer);\n"
            "CREATE TABLE b (x BLOB SUB_TYPE TEXT, y integer);\n")
    a, b = load(text, "sqlite").tables
    assert a.columns[0].type.raw == b.columns[0].type.raw == "BLOB SUB_TYPE TEXT"


_PIECES = ["'", '"', "`", "[", "]", "-", "--", "/", "/*", "*/", "#", "$", "$$", "$t$", "E'",
           "e", ";", "//", "\n", " ", "\\", "x", "end"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30),
       st.sampled_from(["sqlite", "mysql", "postgres"]), st.sampled_from([";", "//", "$$"]))
def test_one_match_body_ends_where_the_scanner_finds_the_delimiter(pieces, dialect, delim):
    text = "".join(pieces)
    want = ddl_split._find_end(text, 0, ddl_split._scanner(dialect, delim, False))
    end = ddl_split._body(dialect, delim).match(text, 0).end()
    assert (end, min(end + len(delim), len(text))) == want


@pytest.mark.parametrize("dialect", ["sqlite", "mysql", "postgres"])
def test_split_of_a_random_dump_keeps_statement_texts(dialect: str) -> None:
    rnd = random.Random(7)
    parts = [f"CREATE TABLE t{i} (a text DEFAULT '{';' * rnd.randint(0, 2)}', -- ; c\n b int)"
             for i in range(50)]
    got = [s.text for s in ddl_split.split_statements(";\n".join(parts) + ";", dialect)]
    assert got == parts
