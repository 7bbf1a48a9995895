"""Read what SQLite's PRAGMAs do not report from the stored CREATE statements.

SQLite keeps each CREATE TABLE / CREATE INDEX statement verbatim in
``sqlite_master``.  CHECK constraints, generated-column expressions, constraint
names, index expressions and partial-index WHERE clauses exist only there, so
this module scans that text.  It never raises: text it cannot follow yields less.

Scanning works on a *masked* copy of the statement in which string literals,
quoted identifiers and comments are blanked out (same length, so positions
still index the original): keywords, parentheses and commas found in the mask
are real syntax.  This is several times faster than a full tokenizer, which
matters for a 10,000-table file.

Expressions are the exact source text between the parentheses with runs of
whitespace collapsed to one space, as the DDL frontend produces them, so a
schema read from DDL and from a database file built from it compare equal.
"""

from __future__ import annotations

import bisect
import re

import attrs

from ir.model import Default, DefaultKind

_QUOTED = re.compile(r"""'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?"""
                     r"""|--[^\n]*|/\*.*?(?:\*/|\Z)""", re.DOTALL)
_IDENT = re.compile(r"""\s*("(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|'(?:[^']|'')*'|[\w$]+)""")
_PUNCT = re.compile(r"[(),]")
_OPEN = re.compile(r"\s*\(")
_KEYWORD = re.compile(r"\b(?:CONSTRAINT|CHECK|AS|PRIMARY|UNIQUE|FOREIGN|REFERENCES)\b", re.IGNORECASE)
_CHECK = re.compile(r"\bCHECK\b", re.IGNORECASE)
_CHECK_GROUP = re.compile(r"\bCHECK\b\s*\(", re.IGNORECASE)
_PARENS = re.compile(r"[()]")
# ASC/DESC ends an indexed item; COLLATE stays (``lower(b) COLLATE NOCASE`` is an
# expression in SQLite's grammar, and the DDL frontend keeps it the same way).
_PART_TAIL = re.compile(r"(?:\s+(?:ASC|DESC))?\s*\Z", re.IGNORECASE)
_WHERE = re.compile(r"\s*WHERE\b", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+)")
_TABLE_CONSTRAINTS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}


def collapse(text: str) -> str:
    return " ".join(text.split())


def _blank(m: re.Match) -> str:
    # Comments become spaces, literals and quoted names a run of "_" (one word).
    text = m.group()
    return " " * len(text) if text[0] in "-/" else "_" * len(text)


def mask(sql: str) -> str:
    return _QUOTED.sub(_blank, sql)


def unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in "\"`'[":
        return text[1:-1] if text[0] == "[" else text[1:-1].replace(text[0] * 2, text[0])
    return text


def _ident_at(sql: str, pos: int) -> tuple[str, int]:
    """The identifier starting at ``pos`` (after blanks), unquoted, and its end."""
    m = _IDENT.match(sql, pos)
    return (unquote(m.group(1)), m.end()) if m else ("", pos)


def _layout(masked: str, open_: int) -> tuple[dict[int, int], list[tuple[int, int]], int]:
    """Paren pairs (open -> close), the top-level comma-separated spans inside the
    parentheses opening at ``open_``, and where they close."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    items, start = [], open_ + 1
    for m in _PUNCT.finditer(masked, open_):
        ch, pos = m.group(), m.start()
        if ch == "(":
            stack.append(pos)
        elif ch == ")" and stack:
            pairs[stack.pop()] = pos
            if not stack:
                items.append((start, pos))
                return pairs, items, pos
        elif ch == "," and len(stack) == 1:
            items.append((start, pos))
            start = pos + 1
    items.append((start, len(masked)))
    return pairs, items, len(masked)


def _top_level(masked: str, start: int, end: int, pairs: dict[int, int],
               keywords: re.Pattern = _KEYWORD) -> list[re.Match]:
    """Keywords between ``start`` and ``end`` that are not inside nested parentheses."""
    hits, inner_end = [], -1
    opens = iter(sorted(o for o in pairs if start <= o < end))
    next_open = next(opens, end)
    for m in keywords.finditer(masked, start, end):
        pos = m.start()
        while next_open < pos:  # skip groups that open before this keyword
            inner_end = max(inner_end, pairs[next_open])
            next_open = next(opens, end)
        if pos > inner_end:
            hits.append(m)
    return hits


def _group_after(masked: str, pos: int, pairs: dict[int, int]) -> tuple[int, int] | None:
    """The ``( ... )`` that starts right after ``pos`` (blanks allowed)."""
    m = _OPEN.match(masked, pos)
    return (m.end() - 1, pairs[m.end() - 1]) if m and m.end() - 1 in pairs else None


def _names(sql: str, masked: str, open_: int, close: int) -> tuple[str, ...]:
    """Lower-cased column names of a ``(a, "b" COLLATE x DESC)`` list."""
    out, start = [], open_ + 1
    for piece_end in [i for i in range(open_ + 1, close) if masked[i] == ","] + [close]:
        out.append(_ident_at(sql, start)[0].lower())
        start = piece_end + 1
    return tuple(out)


@attrs.define
class TableText:
    """What the CREATE TABLE text says beyond the PRAGMAs (names lower-cased as keys)."""

    checks: list[tuple[str | None, str]] = attrs.Factory(list)   # (name, expression)
    generated: dict[str, str] = attrs.Factory(dict)               # column -> expression
    fks: list[tuple[tuple[str, ...], str | None]] = attrs.Factory(list)  # (columns, name)
    unique_names: dict[tuple[str, ...], str] = attrs.Factory(dict)
    pk_name: str | None = None
    without_rowid: bool = False
    strict: bool = False


def parse_create_table(sql: str | None, full: bool = True) -> TableText:
    """Scan a CREATE TABLE.  With ``full=False`` the caller knows the table has no
    generated column and needs no WITHOUT ROWID/STRICT flags, so a statement that
    never says CHECK or CONSTRAINT is skipped unscanned (most tables, at speed).
    Without CONSTRAINT every key and unique name found would be None, so only the
    CHECKs are looked for."""
    out = TableText()
    if not sql:
        return out
    keywords = _KEYWORD
    if not full:
        low = sql.lower()
        if "constraint" not in low:
            if "check" not in low:
                return out
            keywords = _CHECK
    masked = mask(sql)
    open_ = masked.find("(")
    if open_ < 0:  # CREATE TABLE ... AS SELECT is stored expanded, so rare
        return out
    if keywords is _CHECK and "$" not in sql:
        out.checks = _top_checks(sql, masked, open_)
        return out
    pairs, items, close = _layout(masked, open_)
    del pairs[open_]
    hits = _top_level(masked, open_ + 1, close, pairs, keywords)
    starts = [start for start, _ in items]
    by_item: dict[int, list[re.Match]] = {}
    for m in hits:
        by_item.setdefault(bisect.bisect_right(starts, m.start()) - 1, []).append(m)
    for index, item_hits in by_item.items():
        _scan_item(sql, masked, items[index], item_hits, pairs, out)
    tail = set(masked[close + 1:].upper().replace(",", " ").split())
    out.without_rowid = "ROWID" in tail
    out.strict = "STRICT" in tail
    return out


def _top_checks(sql: str, masked: str, open_: int) -> list[tuple[str | None, str]]:
    """The CHECKs of a statement with no CONSTRAINT (so every check is unnamed), as
    :func:`_scan_item` finds them, without laying out every item: a CHECK is at top
    level when the parentheses before it leave only the table's own open.  (A ``$``
    in the text could make ``x$check`` a column name: the caller scans in full.)"""
    checks: list[tuple[str | None, str]] = []
    for m in _CHECK_GROUP.finditer(masked, open_ + 1):
        pos = m.start()
        if masked.count("(", open_, pos) - masked.count(")", open_, pos) != 1:
            continue  # inside a nested group, or past the column list
        start, depth = m.end() - 1, 0
        for p in _PARENS.finditer(masked, start):
            depth += 1 if p.group() == "(" else -1
            if depth == 0:
                checks.append((None, collapse(sql[start + 1:p.start()])))
                break
    return checks


def _scan_item(sql: str, masked: str, span: tuple[int, int], hits: list[re.Match],
               pairs: dict[int, int], out: TableText) -> None:
    """Follow the top-level keywords of one column definition or table constraint."""
    m = _IDENT.match(sql, span[0])
    if m is None:
        return
    first = m.group(1)
    column = None if first.upper() in _TABLE_CONSTRAINTS else unquote(first).lower()
    name: str | None = None
    skip_to = m.end() if column is not None else span[0]
    for hit in hits:
        word = hit.group().upper()
        if hit.start() < skip_to:
            continue
        group = _group_after(masked, hit.end(), pairs)
        if word == "CONSTRAINT":
            name, skip_to = _ident_at(sql, hit.end())
        elif word == "CHECK" and group:
            out.checks.append((name, collapse(sql[group[0] + 1:group[1]])))
            name = None
        elif word == "AS" and column is not None and group:
            out.generated[column] = collapse(sql[group[0] + 1:group[1]])
        elif word in ("PRIMARY", "UNIQUE", "FOREIGN") or (word == "REFERENCES" and column):
            _record(sql, masked, hit.end(), span[1], word, column, name, pairs, out)
            name = None


def _record(sql: str, masked: str, pos: int, end: int, word: str, column: str | None,
            name: str | None, pairs: dict[int, int], out: TableText) -> None:
    if name is None and word in ("PRIMARY", "UNIQUE"):
        return
    cols: tuple[str, ...] = (column,) if column is not None else ()
    if column is None:
        open_ = masked.find("(", pos, end)
        cols = _names(sql, masked, open_, pairs[open_]) if open_ in pairs else ()
    if word == "PRIMARY":
        out.pk_name = name
    elif word == "UNIQUE":
        out.unique_names.setdefault(cols, name)  # type: ignore[arg-type]
    else:
        out.fks.append((cols, name))


@attrs.frozen
class IndexText:
    parts: tuple[str, ...] = ()   # each indexed item's text, without ASC/DESC
    where: str | None = None


def parse_create_index(sql: str | None) -> IndexText:
    if not sql:
        return IndexText()
    masked = mask(sql)
    on = re.search(r"\bON\b", masked, re.IGNORECASE)
    open_ = masked.find("(", on.end()) if on else -1
    if open_ < 0:
        return IndexText()
    _, items, close = _layout(masked, open_)
    parts = []
    for start, end in items:
        cut = _PART_TAIL.search(masked, start, end)
        parts.append(collapse(sql[start:cut.start() if cut else end]))
    where = _WHERE.match(masked, close + 1)
    return IndexText(tuple(parts), collapse(sql[where.end():]) or None if where else None)


def _unwrap(text: str) -> str:
    """Drop parentheses around the whole text: ``DEFAULT (0)`` is the literal 0."""
    while text.startswith("(") and text.endswith(")"):
        masked = mask(text)
        _, _, close = _layout(masked, 0)
        if close != len(text) - 1:
            break
        text = text[1:-1].strip()
    return text


def parse_default(text: str | None) -> Default | None:
    """A column's DEFAULT text as SQLite stores it -> a typed :class:`Default`."""
    if text is None:
        return None
    text = _unwrap(collapse(text))
    upper = text.upper()
    if text[:1] in ("'", '"') and _QUOTED.fullmatch(text):
        # SQLite takes DEFAULT "x" as the string 'x' when no column is named x
        return Default(DefaultKind.STRING, unquote(text))
    if _NUMBER.fullmatch(text):
        return Default(DefaultKind.NUMBER, text.lstrip("+"))
    if upper == "NULL":
        return Default(DefaultKind.NULL)
    if upper in ("TRUE", "FALSE"):
        return Default(DefaultKind.BOOLEAN, upper.lower())
    return Default(DefaultKind.EXPRESSION, text)
