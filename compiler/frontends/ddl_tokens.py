"""Source-faithful text from a statement's sqlglot tokens.

sqlglot's tree says *what* a statement declares; its regenerated SQL is not
what the user wrote (SQLite ``varchar`` comes back as ``TEXT``).  Type
spellings, CHECK bodies, defaults, generated expressions and index expressions
are therefore cut from the statement text at token offsets, whitespace
collapsed, exactly as the SQLite catalog keeps them.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from sqlglot.tokens import Token, TokenType

from compiler.frontends.ddl_split import Statement
from ir.diagnostics import Span
from ir.model import Default, DefaultKind

# Words that end a column's type (and a DEFAULT expression) at paren depth 0.
COLUMN_STOP = frozenset({
    "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT",
    "COLLATE", "AUTO_INCREMENT", "AUTOINCREMENT", "GENERATED", "AS", "COMMENT", "ON",
    "CHARSET", "IDENTITY", "KEY", "STORED", "VIRTUAL", "INVISIBLE", "VISIBLE",
    "COLUMN_FORMAT", "STORAGE", "SRID"})
_OPEN = (TokenType.L_PAREN, TokenType.L_BRACKET)
_CLOSE = (TokenType.R_PAREN, TokenType.R_BRACKET)


def collapse(text: str) -> str:
    return " ".join(text.split())


_QUOTED = (TokenType.IDENTIFIER, TokenType.STRING)
_MARKS = (*_OPEN, *_CLOSE, TokenType.COMMA)


def _word(t: Token) -> str:
    """sqlglot makes one token of ``PRIMARY KEY`` and ``FOREIGN KEY``; quoted names
    never match keywords."""
    return "" if t.token_type in _QUOTED else t.text.upper().partition(" ")[0]


class Src:
    """One statement's text and tokens (offsets relative to the statement)."""

    __slots__ = ("_marks", "_words", "file", "stmt", "text", "tokens")

    def __init__(self, text: str, tokens: list[Token], stmt: Statement, file: str | None):
        self.text, self.tokens, self.stmt, self.file = text, tokens, stmt, file
        self._words: list[str] | None = None
        self._marks: list[int] | None = None

    @property
    def words(self) -> list[str]:
        """Upper-case first word of each token (see :meth:`word`), all at once."""
        if self._words is None:
            self._words = [_word(t) for t in self.tokens]
        return self._words

    def word(self, i: int) -> str:
        """Upper-case first word of token i ('' past the end or for a quoted token).
        Computed per call: most CREATE TABLE columns are lowered from a plan, and
        the rest read only their own tokens."""
        if i >= len(self.tokens):
            return ""
        return self._words[i] if self._words is not None else _word(self.tokens[i])

    @property
    def marks(self) -> list[int]:
        """Indexes of the bracket and comma tokens, ascending: list splitting walks
        these instead of every token."""
        if self._marks is None:
            toks = self.tokens
            self._marks = [j for j in range(len(toks)) if toks[j].token_type in _MARKS]
        return self._marks

    def slice(self, i: int, j: int) -> str:
        """Source text from token i through token j (inclusive), collapsed."""
        if j < i:
            return ""
        return collapse(self.text[self.tokens[i].start:self.tokens[j].end + 1])

    def span_at(self, offset: int) -> Span:
        """File span of a character offset inside the statement."""
        nl = self.text.count("\n", 0, offset)
        if nl == 0:
            return Span(self.file, self.stmt.line, self.stmt.col + offset)
        return Span(self.file, self.stmt.line + nl, offset - self.text.rfind("\n", 0, offset))

    def span(self, i: int | None = None) -> Span:
        """File span of token i (of the statement when i is None or past the end)."""
        if i is None or i >= len(self.tokens):
            return Span(self.file, self.stmt.line, self.stmt.col)
        return self.span_at(self.tokens[i].start)


def matching(src: Src, i: int) -> int:
    """Index of the bracket closing the one at token i (last token if unbalanced)."""
    return split_items(src, i)[1]


def split_items(src: Src, open_i: int) -> tuple[list[tuple[int, int]], int]:
    """Items of the parenthesised list opening at token ``open_i``, as half-open
    token ranges split at depth-1 commas, and the index of the closing paren."""
    items, depth, lo = [], 0, open_i + 1
    toks, marks = src.tokens, src.marks
    for k in range(bisect_left(marks, open_i), len(marks)):
        j = marks[k]
        tt = toks[j].token_type
        if tt in _OPEN:
            depth += 1
        elif tt in _CLOSE:
            depth -= 1
            if depth == 0:
                if j > lo:
                    items.append((lo, j))
                return items, j
        elif tt is TokenType.COMMA and depth == 1:
            items.append((lo, j))
            lo = j + 1
    return items, len(src.tokens) - 1


def take_until_stop(src: Src, i: int, hi: int, least: int) -> int:
    """Index after the run of tokens from i that ends at a COLUMN_STOP word at
    depth 0; at least ``least`` tokens are taken."""
    depth, j, toks = 0, i, src.tokens
    while j < hi:
        tt = toks[j].token_type
        if depth == 0 and j - i >= least and (src.word(j) in COLUMN_STOP or _charset(src, j)):
            break
        if tt in _OPEN:
            depth += 1
        elif tt in _CLOSE:
            depth -= 1
        j += 1
    return j


def _charset(src: Src, j: int) -> bool:
    return src.word(j) == "CHARACTER" and src.word(j + 1) == "SET"


def paren_text(src: Src, i: int) -> tuple[str, int] | None:
    """If token i opens a paren: (inner source text, index of the closing paren)."""
    if i >= len(src.tokens) or src.tokens[i].token_type is not TokenType.L_PAREN:
        return None
    close = matching(src, i)
    inner = src.text[src.tokens[i].end + 1:src.tokens[close].start]
    return collapse(inner), close


class ColumnText:
    """What a column definition says, as written: type, default, checks, generated."""

    __slots__ = ("checks", "default", "generated", "stored", "type_raw")

    def __init__(self) -> None:
        self.type_raw = ""
        self.default: str | None = None
        self.checks: list[str] = []
        self.generated: str | None = None
        self.stored = False


def column_text(src: Src, lo: int, hi: int) -> ColumnText:
    """Scan tokens [lo, hi) of one column definition; token lo is its name."""
    out = ColumnText()
    end = take_until_stop(src, lo + 1, hi, 0)
    out.type_raw = src.slice(lo + 1, end - 1)
    j = end
    while j < hi:
        word, tt = src.word(j), src.tokens[j].token_type
        if word == "DEFAULT" and src.word(j - 1) != "BY":
            stop = take_until_stop(src, j + 1, hi, 1)
            out.default = src.slice(j + 1, stop - 1)
            j = stop
            continue
        if word == "CHECK" and (got := paren_text(src, j + 1)):
            out.checks.append(got[0])
            j = got[1]
        elif word == "AS" and (got := paren_text(src, j + 1)):
            out.generated = got[0]
            j = got[1]
        elif word == "STORED":
            out.stored = True
        elif tt in _OPEN:
            j = matching(src, j)
        j += 1
    return out


def check_texts(src: Src, lo: int, hi: int) -> list[str]:
    """Bodies of the CHECK (...) clauses at depth 0 in tokens [lo, hi)."""
    out, j = [], lo
    while j < hi:
        if src.word(j) == "CHECK" and (got := paren_text(src, j + 1)):
            out.append(got[0])
            j = got[1]
        elif src.tokens[j].token_type in _OPEN:
            j = matching(src, j)
        j += 1
    return out


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_STRING = re.compile(r"'((?:[^']|'')*)'", re.DOTALL)
_BS_STRING = re.compile(r"'((?:[^'\\]|''|\\.)*)'", re.DOTALL)  # MySQL: backslash escapes
_DQ_STRING = re.compile(r'"((?:[^"\\]|""|\\.)*)"', re.DOTALL)
_CAST = re.compile(r"^(.*?)\s*::\s*[\w\s\".\[\]]+(?:\(\s*\d+(?:\s*,\s*\d+)*\s*\))?(?:\[\])*$", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"'}


def _unquote(body: str, quote: str, backslash: bool) -> str:
    if backslash:
        body = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)
    return body.replace(quote * 2, quote)


def _strip_parens(text: str) -> str:
    """``(x)`` -> ``x`` when the outer pair encloses everything (SQLite drops it too)."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for k, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and k < len(text) - 1:
            return text  # "(a) + (b)": the first paren closes early
    return text[1:-1].strip()


def default_of(text: str, dialect: str) -> Default:
    """Classify a DEFAULT expression's source text.

    ``'x'`` -> STRING x, ``-1`` -> NUMBER, TRUE/FALSE -> BOOLEAN, NULL -> NULL,
    anything else -> EXPRESSION with its text.  PostgreSQL casts of a literal
    (``'G'::mpaa_rating``, ``NULL::character varying``, as pg_dump writes them)
    count as the literal.
    """
    text = _strip_parens(collapse(text))
    if "::" in text and (m := _CAST.match(text)):
        inner = _strip_parens(m.group(1))
        if _STRING.fullmatch(inner) or inner.upper() == "NULL" or _NUMBER.fullmatch(inner):
            text = inner
    backslash = dialect == "mysql"
    if m := (_BS_STRING if backslash else _STRING).fullmatch(text):
        return Default(DefaultKind.STRING, _unquote(m.group(1), "'", backslash))
    if dialect == "mysql" and (m := _DQ_STRING.fullmatch(text)):
        return Default(DefaultKind.STRING, _unquote(m.group(1), '"', True))
    if _NUMBER.fullmatch(text):
        return Default(DefaultKind.NUMBER, text)
    if text.upper() in ("TRUE", "FALSE"):
        return Default(DefaultKind.BOOLEAN, text.lower())
    if text.upper() == "NULL":
        return Default(DefaultKind.NULL, "")
    return Default(DefaultKind.EXPRESSION, text)
