"""The DDL statement splitter: quotes, comments, client commands, bodies, positions."""

from __future__ import annotations

import pytest

from compiler.frontends.ddl_split import split_statements


def split(text: str, dialect: str = "sqlite") -> list[tuple[str, int, int]]:
    return [(s.text, s.line, s.col) for s in split_statements(text, dialect)]


def test_positions_are_one_based_line_and_column() -> None:
    text = "CREATE TABLE a (x int);\n\n  CREATE TABLE b (y int); CREATE TABLE c (z int)"
    assert split(text) == [("CREATE TABLE a (x int)", 1, 1), ("CREATE TABLE b (y int)", 3, 3),
                           ("CREATE TABLE c (z int)", 3, 27)]


def test_crlf_line_endings() -> None:
    text = "-- head\r\nCREATE TABLE a (x int);\r\n\r\nCREATE TABLE b (y int);\r\n"
    got = split(text)
    assert [(t.replace("\r", ""), line, col) for t, line, col in got] == [
        ("CREATE TABLE a (x int)", 2, 1), ("CREATE TABLE b (y int)", 4, 1)]


def test_leading_comments_are_not_part_of_the_statement_start() -> None:
    text = "/* banner; with ; */\n-- a ; comment\nSELECT 1;"
    assert split(text) == [("SELECT 1", 3, 1)]


@pytest.mark.parametrize(("dialect", "quoted"), [
    ("sqlite", "'a;b'"), ("sqlite", '"a;b"'), ("sqlite", "[a;b]"), ("sqlite", "`a;b`"),
    ("sqlite", "'it''s;'"), ("mysql", "`a;b`"), ("mysql", r"'it\'s;'"), ("mysql", '"a;b"'),
    ("postgres", "$$a;b$$"), ("postgres", "$fn$ a; 'b; $$ c; $fn$"), ("postgres", r"E'it\'s;'"),
    ("postgres", "'a;b'"),
])
def test_delimiters_inside_quotes_are_ignored(dialect: str, quoted: str) -> None:
    text = f"SELECT {quoted} AS x;\nSELECT 2;"
    assert split(text, dialect) == [(f"SELECT {quoted} AS x", 1, 1), ("SELECT 2", 2, 1)]


@pytest.mark.parametrize(("dialect", "comment"), [
    ("sqlite", "-- x; y\n"), ("sqlite", "/* x; y */"), ("mysql", "# x; y\n"),
    ("postgres", "/* x;\n y */"),
])
def test_delimiters_inside_comments_are_ignored(dialect: str, comment: str) -> None:
    got = split(f"SELECT 1 {comment} + 2;SELECT 3;", dialect)
    assert [t for t, _, _ in got] == [f"SELECT 1 {comment} + 2", "SELECT 3"]


def test_psql_meta_command_has_no_semicolon() -> None:
    text = "\\connect chinook\nCREATE TABLE a (x int);\n\\c other\n"
    got = list(split_statements(text, "postgres"))
    assert [(s.text, s.line, s.client) for s in got] == [
        ("\\connect chinook", 1, True), ("CREATE TABLE a (x int)", 2, False),
        ("\\c other", 3, True)]


def test_sqlite_dot_command() -> None:
    got = list(split_statements(".mode list\nCREATE TABLE a (x);", "sqlite"))
    assert [(s.text, s.client) for s in got] == [(".mode list", True),
                                                  ("CREATE TABLE a (x)", False)]


def test_mysql_delimiter_blocks() -> None:
    text = ("CREATE TABLE a (x int);\n"
            "DELIMITER //\n"
            "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND //\n"
            "DELIMITER ;\n"
            "CREATE TABLE b (y int);\n")
    got = list(split_statements(text, "mysql"))
    assert [(s.text.split("\n")[0], s.line, s.client) for s in got] == [
        ("CREATE TABLE a (x int)", 1, False), ("DELIMITER //", 2, True),
        ("CREATE PROCEDURE p()", 3, False), ("DELIMITER ;", 8, True),
        ("CREATE TABLE b (y int)", 9, False)]
    assert got[2].text.endswith("END")


def test_sqlite_trigger_body_keeps_inner_semicolons() -> None:
    text = ("CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
            "  UPDATE a SET x = CASE WHEN 1 THEN 2 ELSE 3 END;\n"
            "  DELETE FROM b;\n"
            "END;\n"
            "CREATE TABLE begin_end (x int);")
    got = split(text)
    assert len(got) == 2
    assert got[0][0].endswith("END") and "DELETE FROM b;" in got[0][0]
    assert got[1] == ("CREATE TABLE begin_end (x int)", 5, 1)


def test_mysql_trigger_without_delimiter_and_end_if() -> None:
    text = ("CREATE DEFINER=`root`@`localhost` TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN\n"
            "  IF NEW.x IS NULL THEN SET NEW.x = 1; END IF;\n"
            "END;\nSELECT 1;")
    got = split(text, "mysql")
    assert [line for _, line, _ in got] == [1, 4]


def test_mysql_version_comment_is_a_statement() -> None:
    got = split("/*!40101 SET NAMES utf8 */;\nCREATE TABLE a (x int);", "mysql")
    assert got[0] == ("/*!40101 SET NAMES utf8 */", 1, 1)


def test_unterminated_quote_runs_to_the_end_without_error() -> None:
    got = split("CREATE TABLE a (x int);\nSELECT 'oops;\nSELECT 2;")
    assert got[0][0] == "CREATE TABLE a (x int)"
    assert got[1][0].startswith("SELECT 'oops") and got[1][1] == 2


def test_empty_statements_are_dropped() -> None:
    assert split(";;\n ; SELECT 1;;") == [("SELECT 1", 2, 4)]
