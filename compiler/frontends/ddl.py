"""SQL DDL text -> :class:`ir.Schema`, statement by statement through sqlglot.

The text is split by :mod:`ddl_split` (not by sqlglot), each statement is
classified by its leading words (:mod:`ddl_classify`), and only the kinds
schemac lowers are tokenized and parsed, one at a time:

    CREATE TABLE t (...)      -> ddl_lower.lower_create_table
    CREATE [UNIQUE] INDEX     -> ddl_alter.lower_index
    ALTER TABLE / COMMENT ON  -> ddl_alter.lower_alter / lower_comment
    CREATE TYPE .. AS ENUM    -> ddl_alter.lower_enum (PostgreSQL user types)
    CREATE DOMAIN             -> ddl_alter.lower_domain
    anything else             -> skipped-statement diagnostic (file:line:col)

A needed statement that does not parse is a ``parse-error`` at its line:col
and the rest of the file is still read.  Tables are frozen at the end
(:mod:`ddl_finish`), in source order.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import re

import attrs
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.parser import Parser
from sqlglot.tokens import Tokenizer

from compiler.frontends import ddl_alter, ddl_parallel
from compiler.frontends import ddl_classify as cls
from compiler.frontends.ddl_finish import freeze_all
from compiler.frontends.ddl_lower import lower_create_table, sqlite_options
from compiler.frontends.ddl_split import Statement, split_statements
from compiler.frontends.ddl_state import Ctx
from compiler.frontends.ddl_tokens import Src, split_items, take_until_stop
from ir import diagnostics as diag
from ir.diagnostics import Severity
from ir.model import Schema

_NEEDED = {cls.TABLE: "CREATE TABLE", cls.INDEX: "CREATE INDEX"}  # Command here is an error
_TOOLS: dict[str, tuple[Tokenizer, Parser]] = {}


class _NoCommandFallback(logging.Filter):
    """sqlglot logs a warning for every statement it turns into a Command; the
    frontend reports those itself, as diagnostics."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Falling back to parsing as a 'Command'" not in record.getMessage()


@contextlib.contextmanager
def _quiet_sqlglot():
    logger, flt = logging.getLogger("sqlglot"), _NoCommandFallback()
    logger.addFilter(flt)
    try:
        yield
    finally:
        logger.removeFilter(flt)


def _tools(dialect: str) -> tuple[Tokenizer, Parser]:
    """One tokenizer and parser per dialect, reused: both reset per call, and building
    them per statement costs ~10% of a large load."""
    if dialect not in _TOOLS:
        d = Dialect.get_or_raise(dialect)
        _TOOLS[dialect] = (d.tokenizer(), d.parser(error_level=ErrorLevel.RAISE))
    return _TOOLS[dialect]


def _error_span(src: Src, err: ParseError):
    """sqlglot reports line/col of the *end* of the offending token, in the statement."""
    info = err.errors[0] if err.errors else {}
    line, col = info.get("line"), info.get("col")
    if not line or not col:
        return src.span()
    start = 0
    for _ in range(line - 1):
        start = src.text.find("\n", start) + 1
    offset = start + col - max(len(info.get("highlight") or ""), 1)
    return src.span_at(max(0, min(offset, len(src.text))))


_TOKEN_REPR = re.compile(r"<Token token_type: [^,]*, text: ([^,]*),[^>]*>")
_INDEX_ON_ONLY = re.compile(r"\bON\s+(ONLY)\b", re.IGNORECASE)


def _error_message(err: Exception) -> str:
    info = err.errors[0] if isinstance(err, ParseError) and err.errors else {}
    what = info.get("description") or str(err).splitlines()[0]
    what = _TOKEN_REPR.sub(lambda m: repr(m.group(1)), what)
    near = info.get("highlight")
    return what + (f" near {near!r}" if near else "")


def _parse(src_text: str, stmt: Statement, ctx: Ctx) -> tuple[Src, exp.Expression | None]:
    tokenizer, parser = _tools(ctx.dialect)
    tokens = tokenizer.tokenize(src_text)
    src = Src(stmt.text, tokens, stmt, ctx.file)
    trees = parser.parse(tokens, src_text)
    return src, trees[0] if trees else None


_PLACEHOLDER_STARTS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "KEY", "INDEX"}


def _placeholder_types(text: str, ctx: Ctx) -> str | None:
    """SQLite accepts any words as a type (``BLOB SUB_TYPE TEXT``); sqlglot does not.
    Overwrite multi-word type spellings with a same-length identifier so offsets
    (and so the raw spelling cut from the original text) stay right."""
    tokenizer, _ = _tools(ctx.dialect)
    src = Src(text, tokenizer.tokenize(text), Statement(text, 1, 1, 0), None)
    open_i = next((i for i, t in enumerate(src.tokens) if t.text == "("), None)
    if open_i is None:
        return None
    out, changed = list(text), False
    for lo, hi in split_items(src, open_i)[0]:
        if src.word(lo) in _PLACEHOLDER_STARTS:
            continue
        end = take_until_stop(src, lo + 1, hi, 0)
        if end - (lo + 1) > 1 and all(src.tokens[k].text != "(" for k in range(lo + 1, end)):
            a, b = src.tokens[lo + 1].start, src.tokens[end - 1].end + 1
            out[a:b] = "T" + "_" * (b - a - 1)
            changed = True
    return "".join(out) if changed else None


def _retry(text: str, stmt: Statement, ctx: Ctx):
    """Second chance for a SQLite CREATE TABLE with free-form type names."""
    if ctx.dialect != "sqlite":
        return None
    try:
        patched = _placeholder_types(text, ctx)
        return _parse(patched, stmt, ctx) if patched is not None else None
    except (ParseError, TokenError):
        return None


def _statement(stmt: Statement, ctx: Ctx) -> None:
    kind = cls.classify(stmt.text, stmt.client)
    if kind in (cls.SESSION, cls.SKIP):
        d = diag.skipped_statement(f"{cls.label(stmt.text)} skipped",
                                   Src(stmt.text, [], stmt, ctx.file).span())
        ctx.report(attrs.evolve(d, severity=Severity.INFO) if kind == cls.SESSION else d)
        return
    if kind == cls.DROP_TABLE:
        _drop(stmt, ctx)
        return
    text, opts = stmt.text, dict[str, bool]()
    if kind == cls.TABLE and ctx.dialect == "sqlite":
        text, opts = sqlite_options(text)
    elif kind == cls.INDEX and (m := _INDEX_ON_ONLY.search(text)):
        # pg_dump's "ON ONLY parent" (partitioned parents) trips sqlglot; same-length blank
        text = text[:m.start(1)] + "    " + text[m.end(1):]
    if kind == cls.TABLE and (bad := _empty_item(text)) is not None:
        src = Src(stmt.text, [], stmt, ctx.file)
        ctx.report(diag.parse_error(f"{cls.label(stmt.text)}: empty element in a list "
                                    "(a stray comma)", src.span_at(bad)))
        return
    try:
        src, tree = _parse(text, stmt, ctx)
    except (ParseError, TokenError) as err:
        parsed = _retry(text, stmt, ctx) if kind == cls.TABLE else None
        if parsed is None:
            src = Src(stmt.text, [], stmt, ctx.file)
            span = _error_span(src, err) if isinstance(err, ParseError) else src.span()
            ctx.report(diag.parse_error(f"{cls.label(stmt.text)}: {_error_message(err)}", span))
            return
        src, tree = parsed
    try:
        _lower(kind, tree, src, ctx, opts)
    except Exception as exc:  # noqa: BLE001 - one odd statement must not end the whole load
        ctx.report(diag.parse_error(f"{cls.label(stmt.text)}: could not be lowered "
                                    f"({type(exc).__name__}: {exc})", src.span()))


_LITERALS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]]*\]"
                       r"|--[^\n]*|/\*[\s\S]*?\*/")
_EMPTY_ITEM = re.compile(r"[(,]\s*,|,\s*\)")


def _empty_item(text: str) -> int | None:
    """Offset of an empty list element (``a int,,`` / ``(a int,)``), which sqlglot
    accepts silently but no database does; None when there is none."""
    if "--" not in text and "/*" not in text and not _EMPTY_ITEM.search(text):
        return None  # blanking literals only removes commas; only a comment could hide one
    blank = _LITERALS.sub(lambda m: ("0" if m.group()[0] not in "-/" else " ") * len(m.group()),
                          text)  # a literal stays a token; a comment becomes space
    m = _EMPTY_ITEM.search(blank)
    return m.end() - 1 if m else None


def _drop(stmt: Statement, ctx: Ctx) -> None:
    span = Src(stmt.text, [], stmt, ctx.file).span()
    names = cls.dropped_tables(stmt.text)
    if not names:
        ctx.report(diag.skipped_statement("DROP TABLE skipped (names not understood)", span))
    for name in names:
        if ctx.drop_table(name):
            ctx.report(attrs.evolve(diag.skipped_statement(
                f"DROP TABLE {name!r} applied: the table defined earlier is removed", span),
                code="dropped-table", severity=Severity.WARNING))
        else:
            ctx.report(attrs.evolve(diag.skipped_statement(
                f"DROP TABLE {name!r}: no such table yet (nothing to drop)", span),
                severity=Severity.INFO))


def _lower(kind: str, tree, src: Src, ctx: Ctx, opts: dict) -> None:
    if kind == cls.DOMAIN:
        ddl_alter.lower_domain(src, ctx)
    elif tree is None or isinstance(tree, exp.Command):
        if kind in _NEEDED:
            ctx.report(diag.parse_error(f"{cls.label(src.text)}: sqlglot could not understand it",
                                        src.span()))
        else:
            ctx.report(diag.not_understood(f"{cls.label(src.text)}: not understood by sqlglot; "
                                           "skipped",
                                           src.span()))
    elif kind == cls.TABLE:
        lower_create_table(tree, src, ctx, opts)
    elif kind == cls.INDEX:
        ddl_alter.lower_index(tree, src, ctx)
    elif kind == cls.ALTER:
        ddl_alter.lower_alter(tree, src, ctx)
    elif kind == cls.COMMENT:
        ddl_alter.lower_comment(tree, src, ctx)
    elif kind == cls.ENUM:
        ddl_alter.lower_enum(tree, src, ctx)


@contextlib.contextmanager
def _rare_full_collections():
    """sqlglot's trees are cycles, so the collector must run (on, even when the caller
    had paused it: a compile run does), but its full passes over the growing IR
    (every 10th older-generation pass by default) were ~10% of a 10,000-table
    load; a full pass every 1,000th costs 2-5 MB more at most."""
    young, middle, old = gc.get_threshold()
    was_on = gc.isenabled()
    gc.set_threshold(young, middle, max(old, 1000))
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)
        if not was_on:
            gc.disable()


def load_text(text: str, source: str | None, dialect: str, jobs: int = 1) -> Schema:
    """Read DDL ``text`` (from ``source``, kept verbatim) in ``dialect``; with ``jobs``
    > 1 a large file is read in two processes (:mod:`ddl_parallel`, same result)."""
    ctx = None
    with _quiet_sqlglot(), _rare_full_collections():
        stmts = split_statements(text, dialect)
        if jobs > 1:
            stmts = list(stmts)
            if len(stmts) >= ddl_parallel.MIN_STATEMENTS:
                ctx = ddl_parallel.load(stmts, dialect, source, _statement)
        if ctx is None:
            ctx = Ctx(dialect, source)
            for stmt in stmts:
                _statement(stmt, ctx)
    tables = freeze_all(ctx)
    return Schema(tables, dialect=dialect, source=source, diagnostics=ctx.diagnostics)
