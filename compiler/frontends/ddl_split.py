"""Split DDL text into statements, with their 1-based start line and column.

sqlglot splits on every ``;`` token, which cuts trigger and routine bodies
apart, swallows the statement after a psql meta-command and reads MySQL's
``DELIMITER //`` as a division (tests/fixtures/README.md).  This splitter runs
first, over the whole text, with one compiled regex per dialect and delimiter:

- quotes ``'...'``, ``"..."``, ```...``` (MySQL), ``[...]`` (SQLite), ``E'...'``
  and dollar quoting ``$$...$$`` / ``$tag$...$tag$`` (PostgreSQL);
- comments ``--``, ``/* */`` and ``#`` (MySQL); MySQL's ``/*! ... */``
  version comments are statements, not comments;
- client commands at the start of a statement, which have no ``;``: psql and
  mysql ``\\x`` lines, sqlite3 ``.x`` lines, MySQL ``DELIMITER xx`` (statements
  then end with ``xx`` until ``DELIMITER ;``);
- ``BEGIN ... END`` (and ``CASE ... END``) inside CREATE TRIGGER / PROCEDURE /
  FUNCTION / EVENT, whose inner ``;`` do not end the statement.

Statements are yielded one at a time, so memory stays bounded by the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple


class Statement(NamedTuple):
    """One statement's text (without its delimiter) and where it starts."""

    text: str
    line: int
    col: int
    offset: int
    client: bool = False  # a client command (psql \x, sqlite3 .x, DELIMITER): not SQL


def _quote(q: str, backslash: bool) -> str:
    """A quoted run, doubled-quote escapes, optional backslash escapes; may run to EOF."""
    body = f"[^{q}\\\\]" if backslash else f"[^{q}]"
    esc = f"{q}{q}|\\\\[\\s\\S]" if backslash else f"{q}{q}"
    return f"{q}{body}*(?:(?:{esc}){body}*)*(?:{q}|\\Z)"


def _blank_pattern(dialect: str) -> re.Pattern[str]:
    hash_comment = r"|\#[^\n]*" if dialect == "mysql" else ""
    return re.compile(r"(?:\s+|--[^\n]*|/\*(?!!)[\s\S]*?(?:\*/|\Z)" + hash_comment + r")*")


@functools.lru_cache(maxsize=32)
def _scanner(dialect: str, delimiter: str, compound: bool) -> re.Pattern[str]:
    """Master regex: the first alternative that matches is consumed whole, so
    delimiters and keywords inside quotes and comments are never seen."""
    parts = _skipped(dialect)
    if compound:
        parts += [r"(?P<open>\b(?:BEGIN|CASE)\b)",
                  r"(?P<close>\bEND\b(?:\s+(?P<endkw>IF|LOOP|WHILE|REPEAT)\b)?)"]
    parts.append(f"(?P<delim>{re.escape(delimiter)})")
    return re.compile("|".join(parts), re.IGNORECASE)


@functools.lru_cache(maxsize=32)
def _body(dialect: str, delimiter: str) -> re.Pattern[str]:
    """A statement with no BEGIN ... END, up to its delimiter, in one match: the
    scanner's alternatives (same order), runs of characters none of them can start
    with, or any one character that does not start the delimiter.  Possessive, so
    it never backtracks; it stops where the scanner would find the delimiter."""
    starts = {"'", '"', "-", "/", delimiter[0]}
    starts |= {"`", "#"} if dialect == "mysql" else set()
    starts |= {"`", "["} if dialect == "sqlite" else set()
    starts |= {"$", "E", "e"} if dialect == "postgres" else set()
    plain = "[^" + "".join(re.escape(c) for c in sorted(starts)) + "]++"
    alts = [plain, *_skipped(dialect), f"(?!{re.escape(delimiter)})[\\s\\S]"]
    return re.compile("(?:" + "|".join(alts) + ")*+", re.IGNORECASE)


def _skipped(dialect: str) -> list[str]:
    """Quotes and comments, in the order they are tried."""
    parts = []
    if dialect == "postgres":
        parts += [r"\$([A-Za-z_]\w*|)\$[\s\S]*?(?:\$\1\$|\Z)",
                  r"(?<![\w$])[Ee]" + _quote("'", True)]
    parts += [_quote("'", dialect == "mysql"), _quote('"', dialect == "mysql")]
    if dialect == "mysql":
        parts += [_quote("`", False), r"\#[^\n]*"]
    if dialect == "sqlite":
        parts += [r"`[^`]*(?:``[^`]*)*(?:`|\Z)", r"\[[^\]]*(?:\]|\Z)"]
    parts += [r"--[^\n]*", r"/\*[\s\S]*?(?:\*/|\Z)"]
    return parts


_COMPOUND = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:(?:TEMP|TEMPORARY)\s+)?"
    r"(?:TRIGGER|PROCEDURE|FUNCTION|EVENT)\b", re.IGNORECASE)
_DELIMITER = re.compile(r"DELIMITER[ \t]+(\S+)[^\n]*", re.IGNORECASE)
_LINE = re.compile(r"[^\n]*")


def _find_end(text: str, start: int, pattern: re.Pattern[str]) -> tuple[int, int]:
    """(end of statement text, position after its delimiter)."""
    depth = 0
    for m in pattern.finditer(text, start):
        if m.lastgroup == "delim":
            if depth <= 0:
                return m.start(), m.end()
        elif m.lastgroup == "open":
            depth += 1
        elif m.lastgroup in ("close", "endkw") and m.group("endkw") is None:
            depth -= 1
    return len(text), len(text)


def split_statements(text: str, dialect: str) -> Iterator[Statement]:
    """Yield the statements of ``text`` in order.  Empty statements are dropped."""
    blank = _blank_pattern(dialect)
    delimiter, pos, n = ";", 0, len(text)
    line, line_pos = 1, 0
    while True:
        start = blank.match(text, pos).end()  # type: ignore[union-attr]  # (...)* always matches
        if start >= n:
            return
        line += text.count("\n", line_pos, start)
        line_pos = start
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        head = text[start]
        client = None
        if head == "\\" or (head == "." and dialect == "sqlite"):
            client = _LINE.match(text, start)
        elif dialect == "mysql" and head in "dD":
            client = _DELIMITER.match(text, start)
            if client:
                delimiter = client.group(1)
        if client:
            yield Statement(text[start:client.end()].rstrip(), line, col, start, client=True)
            pos = client.end()
            continue
        if delimiter == ";" and _COMPOUND.match(text, start) is not None:
            end, pos = _find_end(text, start, _scanner(dialect, delimiter, True))
        else:
            end = _body(dialect, delimiter).match(text, start).end()  # type: ignore[union-attr]
            pos = min(end + len(delimiter), n)
        body = text[start:end].rstrip()
        if body:
            yield Statement(body, line, col, start)
