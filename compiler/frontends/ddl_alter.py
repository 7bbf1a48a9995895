"""Statements that add to tables already drafted, and PostgreSQL user types.

ALTER TABLE (ADD COLUMN / constraint / INDEX, ALTER COLUMN defaults, NOT NULL
and types), CREATE [UNIQUE] INDEX, COMMENT ON TABLE/COLUMN, CREATE TYPE ... AS
ENUM and CREATE DOMAIN.
"""

from __future__ import annotations

from bisect import bisect_left

from sqlglot import exp
from sqlglot.tokens import TokenType

from compiler.frontends.ddl_lower import lower_column, part_of, table_constraint
from compiler.frontends.ddl_state import Ctx
from compiler.frontends.ddl_tokens import (
    Src,
    collapse,
    default_of,
    split_items,
    take_until_stop,
)
from ir import diagnostics as diag
from ir.model import DefaultKind, Index

_LEAD = {"ADD", "COLUMN", "IF", "NOT", "EXISTS", "CONSTRAINT"}
_ORDER_WORDS = {"ASC", "DESC", "NULLS", "FIRST", "LAST"}


def _action_ranges(src: Src, count: int) -> list[tuple[int, int] | None]:
    """Token ranges of the comma-separated actions after ``ALTER TABLE name``."""
    toks = src.tokens
    i = 2
    while i < len(toks) and src.word(i) in ("ONLY", "IF", "EXISTS"):
        i += 1
    i += 1  # the table name ...
    while i + 1 < len(toks) and toks[i].token_type is TokenType.DOT:
        i += 2  # ... possibly qualified
    ranges, lo, depth, marks = [], i, 0, src.marks  # only brackets and commas matter
    for k in range(bisect_left(marks, i), len(marks)):
        j = marks[k]
        tt = toks[j].token_type
        depth += tt in (TokenType.L_PAREN, TokenType.L_BRACKET)
        depth -= tt in (TokenType.R_PAREN, TokenType.R_BRACKET)
        if tt is TokenType.COMMA and depth == 0:
            ranges.append((lo, j))
            lo = j + 1
    ranges.append((lo, len(toks)))
    return list(ranges) if len(ranges) == count else [None] * count


def _skip_lead(src: Src, rng, keep_constraint: bool):
    if rng is None:
        return None
    lo, hi = rng
    while lo < hi and src.word(lo) in _LEAD and not (keep_constraint and
                                                      src.word(lo) == "CONSTRAINT"):
        lo += 1
    return lo, hi


def lower_alter(tree: exp.Alter, src: Src, ctx: Ctx) -> None:
    name = tree.this.name
    draft = ctx.table(name)
    if draft is None:
        ctx.missing_table(name, "ALTER TABLE", src.span())
        return
    actions = tree.args.get("actions") or []
    for action, rng in zip(actions, _action_ranges(src, len(actions))):
        span = src.span(rng[0] if rng else None)
        if isinstance(action, exp.ColumnDef):
            lower_column(action, src, _skip_lead(src, rng, False), ctx, draft)
        elif isinstance(action, exp.AddConstraint):
            inner = _skip_lead(src, rng, True)
            for node in action.expressions:
                table_constraint(node, None, src, inner, ctx, draft)
        elif isinstance(action, exp.AlterColumn):
            _alter_column(action, src, rng, ctx, draft)
        else:
            ctx.report(diag.unsupported(f"ALTER TABLE {name}: {action.key} is not applied", span))


def _alter_column(action: exp.AlterColumn, src: Src, rng, ctx: Ctx, draft) -> None:
    name = action.name
    span = src.span(rng[0] if rng else None)
    if draft.column(name) is None:
        ctx.report(diag.missing_column(f"ALTER TABLE {draft.name}: no column {name!r}", span))
        return
    args = action.args
    if args.get("default") is not None:
        text = _after_word(src, rng, "DEFAULT") or args["default"].sql(ctx.dialect)
        default = default_of(text, ctx.dialect)
        changes: dict[str, object] = {"default": default}
        if default.kind is DefaultKind.EXPRESSION and default.value.lower().startswith("nextval("):
            changes["autoincrement"] = True
        draft.update_column(name, **changes)
    elif args.get("dtype") is not None:
        raw = _type_after(src, rng) or args["dtype"].sql(ctx.dialect)
        draft.update_column(name, type=ctx.parse_type(raw))
    elif args.get("allow_null") is not None:
        draft.update_column(name, nullable=bool(args["allow_null"]))
    elif args.get("drop"):
        draft.update_column(name, default=None)
    else:
        ctx.report(diag.unsupported(f"ALTER TABLE {draft.name} ALTER COLUMN {name}: "
                                    "change not applied", span))


def _after_word(src: Src, rng, word: str) -> str | None:
    if rng is None:
        return None
    for j in range(*rng):
        if src.word(j) == word:
            return src.slice(j + 1, rng[1] - 1)
    return None


def _type_after(src: Src, rng) -> str | None:
    """``ALTER COLUMN c [SET DATA] TYPE t [USING ...]`` -> t as written."""
    if rng is None:
        return None
    for j in range(*rng):
        if src.word(j) == "TYPE":
            end = j + 1
            while end < rng[1] and src.word(end) not in ("USING", "COLLATE"):
                end += 1
            return src.slice(j + 1, end - 1)
    return None


def _index_texts(src: Src) -> tuple[list[str | None], str | None]:
    """Source text of each indexed item (without ASC/DESC) and of the WHERE clause."""
    on = next((i for i in range(len(src.tokens)) if src.word(i) == "ON"), None)
    if on is None:
        return [], None
    open_i = next((i for i in range(on, len(src.tokens))
                   if src.tokens[i].token_type is TokenType.L_PAREN), None)
    if open_i is None:
        return [], None
    ranges, close = split_items(src, open_i)
    texts: list[str | None] = []
    for lo, hi in ranges:
        while hi > lo + 1 and src.word(hi - 1) in _ORDER_WORDS:
            hi -= 1
        texts.append(src.slice(lo, hi - 1))
    where = next((i for i in range(close, len(src.tokens)) if src.word(i) == "WHERE"), None)
    return texts, (src.slice(where + 1, len(src.tokens) - 1) if where is not None else None)


def lower_index(tree: exp.Create, src: Src, ctx: Ctx) -> None:
    index = tree.this
    table = index.args.get("table")
    draft = ctx.table(table.name) if table is not None else None
    if draft is None:
        ctx.missing_table(table.name if table is not None else "?", "CREATE INDEX", src.span())
        return
    params = index.args.get("params")
    items = (params.args.get("columns") if params else None) or []
    texts, where = _index_texts(src)
    if len(texts) != len(items):
        texts = [None] * len(items)
        where_node = params.args.get("where") if params else None
        where = where_node.this.sql(ctx.dialect) if where_node is not None else None
    parts = [part_of(node, ctx.dialect, text) for node, text in zip(items, texts)]
    draft.indexes.append(Index(index.name or None, parts, unique=bool(tree.args.get("unique")),
                               where=where, span=src.span()))


def lower_comment(tree: exp.Comment, src: Src, ctx: Ctx) -> None:
    target, value = tree.this, tree.expression
    text = None if isinstance(value, exp.Null) else value.name
    kind = str(tree.args.get("kind") or "").upper()
    table_name = target.name if kind == "TABLE" else target.table
    draft = ctx.table(table_name)
    if draft is None:
        ctx.missing_table(table_name, f"COMMENT ON {kind}", src.span())
        return
    if kind == "TABLE":
        draft.comment = text
    elif not draft.update_column(target.name, comment=text):
        ctx.report(diag.missing_column(f"COMMENT ON COLUMN: no column {target.name!r} in "
                                       f"{draft.name!r}", src.span()))


def lower_enum(tree: exp.Create, src: Src, ctx: Ctx) -> None:
    values = tuple(v.name for v in tree.expression.expressions)
    ctx.add_user_type(tree.this.name, enum=values)


def lower_domain(src: Src, ctx: Ctx) -> None:
    """``CREATE DOMAIN name [AS] base ...``: columns of the domain get its base type.
    Read from tokens alone, as sqlglot 30 turns the statement into a Command."""
    toks, i = src.tokens, 2
    while i + 2 < len(toks) and toks[i + 1].token_type is TokenType.DOT:
        i += 2
    if i >= len(toks):
        ctx.report(diag.parse_error("CREATE DOMAIN without a name", src.span()))
        return
    name, j = toks[i].text, i + 1
    if src.word(j) == "AS":
        j += 1
    end = take_until_stop(src, j, len(toks), 1)
    if end <= j or end > len(toks):
        ctx.report(diag.parse_error(f"CREATE DOMAIN {name}: no base type", src.span()))
        return
    ctx.add_user_type(name, domain=collapse(src.slice(j, end - 1)))

