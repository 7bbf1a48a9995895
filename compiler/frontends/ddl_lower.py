"""Lower a parsed CREATE TABLE (sqlglot tree + its tokens) into a table draft.

The tree says which columns and constraints exist; their text (type spelling,
CHECK bodies, defaults, generated expressions) comes from the tokens through
:mod:`compiler.frontends.ddl_tokens`, so it is what the user wrote.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import attrs
from sqlglot import exp
from sqlglot.tokens import TokenType

from compiler.frontends.ddl_state import Ctx, Draft
from compiler.frontends.ddl_tokens import (
    ColumnText,
    Src,
    check_texts,
    column_text,
    default_of,
    split_items,
)
from compiler.frontends.types import is_serial
from ir import diagnostics as diag
from ir.diagnostics import Span
from ir.model import (
    Action,
    Check,
    Column,
    DefaultKind,
    ForeignKey,
    Generated,
    Index,
    IndexPart,
    PrimaryKey,
)

# sqlite3AddColumn() rewrites exactly these declared types to upper case (used by STRICT).
_SQLITE_STD_TYPES = frozenset({"ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"})
Range = tuple[int, int] | None  # half-open token range of one item, None when unknown


def part_of(node: exp.Expression, dialect: str, text: str | None = None) -> IndexPart:
    """One key part: a plain column, or an expression kept as (source) text."""
    desc = isinstance(node, exp.Ordered) and bool(node.args.get("desc"))
    inner = node.this if isinstance(node, (exp.Ordered, exp.ColumnPrefix)) else node
    if isinstance(inner, exp.Collate):  # (b COLLATE NOCASE): still the column b
        inner = inner.this
    if isinstance(inner, exp.Column) and not inner.table:
        return IndexPart(column=inner.name, descending=desc)
    if isinstance(inner, exp.Identifier):
        return IndexPart(column=inner.name, descending=desc)
    return IndexPart(expression=text or inner.sql(dialect), descending=desc)


def names(nodes) -> tuple[str, ...]:
    return tuple((n.this if isinstance(n, (exp.Ordered, exp.ColumnPrefix)) else n).name
                 for n in nodes or ())


def foreign_key(columns, ref: exp.Reference, name: str | None, span: Span | None) -> ForeignKey:
    target = ref.this
    table = target.this if isinstance(target, exp.Schema) else target
    ref_cols = names(target.expressions) if isinstance(target, exp.Schema) else ()
    on_delete, on_update = _ref_actions(tuple(str(o) for o in ref.args.get("options") or ()))
    return ForeignKey(tuple(columns), table.name, ref_cols, name, on_delete, on_update, span=span)


@functools.lru_cache(maxsize=256)
def _ref_actions(options: tuple[str, ...]) -> tuple[Action | None, Action | None]:
    """(ON DELETE, ON UPDATE) actions of a REFERENCES clause's options; the first of
    each counts, and NO ACTION or anything unknown is None."""
    upper = [" ".join(o.upper().split()) for o in options]
    out = []
    for prefix in ("ON DELETE ", "ON UPDATE "):
        text = next((o[len(prefix):] for o in upper if o.startswith(prefix)), None)
        out.append(Action(text) if text in ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT")
                   else None)
    return out[0], out[1]


def _fallback_text(node: exp.ColumnDef, dialect: str) -> ColumnText:
    """Column text from sqlglot's own rendering, when token ranges are unknown."""
    out = ColumnText()
    kind = node.args.get("kind")
    out.type_raw = kind.sql(dialect) if kind is not None else ""
    for cc in node.constraints:
        k = cc.args.get("kind")
        if isinstance(k, exp.DefaultColumnConstraint):
            out.default = k.this.sql(dialect)
        elif isinstance(k, exp.CheckColumnConstraint):
            out.checks.append(k.this.sql(dialect))
        elif isinstance(k, exp.ComputedColumnConstraint):
            out.generated = k.this.sql(dialect)
    return out


def lower_column(node: exp.ColumnDef, src: Src, rng: Range, ctx: Ctx, draft: Draft) -> None:
    """Add one column (and the constraints written on it) to ``draft``.

    A large schema writes the same column text over and over (``"created_at"
    timestamp NULL`` in most tables), so a column is lowered once per distinct text
    (:class:`ColumnPlan`) and replayed at each place it is written."""
    span = src.span(rng[0] if rng else None)
    key = _plan_key(src, rng)
    plan = ctx.column_plans.get(key) if key is not None else None
    if plan is None or plan.column.name != node.name:
        actions: list = []
        try:
            plan = ColumnPlan(_plan_column(node, src, rng, ctx, actions), tuple(actions))
        except Exception:
            _replay(actions, span, ctx, draft)  # what the draft had received before the failure
            raise
        if key is not None:
            ctx.column_plans[key] = plan
    if plan.actions:
        _replay(plan.actions, span, ctx, draft)
    if not draft.add_column(plan.column, span):
        ctx.report(diag.duplicate_name(f"column {plan.column.name!r} defined twice in "
                                       f"{draft.name!r}", span))


class ColumnPlan(NamedTuple):
    """One column definition lowered: the column (without a span) and the keys,
    indexes and checks it adds to its table (span-less templates, in written order)."""

    column: Column
    actions: tuple[PrimaryKey | Index | ForeignKey | Check, ...]


def _plan_key(src: Src, rng: Range) -> str | None:
    """The column definition's source text, which decides its lowering; None when it
    does not (no token range, or the tokens are of a patched copy of the text:
    ``ddl._placeholder_types`` overwrites multi-word SQLite types)."""
    if rng is None:
        return None
    toks, (lo, hi) = src.tokens, rng
    if lo + 1 < hi:
        t = toks[lo + 1]
        if src.text[t.start:t.end + 1] != t.text:
            return None
    return src.text[toks[lo].start:toks[hi - 1].end + 1]


def _replay(actions, span: Span | None, ctx: Ctx, draft: Draft) -> None:
    for act in actions:
        if isinstance(act, PrimaryKey):
            set_primary_key(draft, act, span, ctx)
        elif isinstance(act, Index):
            draft.indexes.append(attrs.evolve(act, span=span))
        elif isinstance(act, ForeignKey):
            draft.foreign_keys.append(attrs.evolve(act, span=span))
        else:
            draft.checks.append(attrs.evolve(act, span=span))


def _plan_column(node: exp.ColumnDef, src: Src, rng: Range, ctx: Ctx, actions: list) -> Column:
    """The span-less column; what it adds to its table goes to ``actions``."""
    text = column_text(src, *rng) if rng else _fallback_text(node, ctx.dialect)
    name = node.name
    fields: dict = {"nullable": True, "autoincrement": False}
    checks = iter(text.checks)
    for cc in node.constraints:
        _column_constraint(cc, name, text, checks, fields, ctx, actions)
    raw = text.type_raw
    if ctx.dialect == "sqlite" and raw.upper() in _SQLITE_STD_TYPES:
        raw = raw.upper()  # SQLite >= 3.37 stores these names upper-cased in its catalog
    if is_serial(raw):  # SERIAL = integer + owned sequence + NOT NULL
        fields.update(nullable=False, autoincrement=True)
    default = fields.get("default")
    if default is not None and default.kind is DefaultKind.EXPRESSION \
            and default.value.lower().startswith("nextval("):
        fields["autoincrement"] = True  # pg_dump's spelling of SERIAL
    return Column(name, ctx.parse_type(raw), **fields)


def _column_constraint(cc, name, text, checks, fields, ctx: Ctx, actions: list) -> None:
    kind, cname = cc.args.get("kind"), (cc.name or None)
    if isinstance(kind, exp.NotNullColumnConstraint):
        fields["nullable"] = bool(kind.args.get("allow_null"))
    elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
        actions.append(PrimaryKey((name,), cname))
    elif isinstance(kind, exp.AutoIncrementColumnConstraint):
        fields["autoincrement"] = True
    elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
        if kind.args.get("expression") is not None:
            fields["generated"] = Generated(text.generated or kind.args["expression"].sql(),
                                            stored=True)
        else:
            fields["autoincrement"] = True
    elif isinstance(kind, exp.ComputedColumnConstraint):
        stored = bool(kind.args.get("persisted")) or text.stored or ctx.dialect == "postgres"
        fields["generated"] = Generated(text.generated or kind.this.sql(ctx.dialect), stored)
    elif isinstance(kind, exp.UniqueColumnConstraint):
        actions.append(Index(cname, (IndexPart(column=name),), unique=True, constraint=True))
    elif isinstance(kind, exp.Reference):
        actions.append(foreign_key((name,), kind, cname, None))
    elif isinstance(kind, exp.CheckColumnConstraint):
        body = next(checks, None) or kind.this.sql(ctx.dialect)
        actions.append(Check(body, cname))
    elif isinstance(kind, exp.CommentColumnConstraint):
        fields["comment"] = kind.this.name
    elif isinstance(kind, exp.DefaultColumnConstraint):
        fields["default"] = default_of(text.default or kind.this.sql(ctx.dialect), ctx.dialect)


def set_primary_key(draft: Draft, pk: PrimaryKey, span: Span | None, ctx: Ctx) -> None:
    if draft.primary_key is not None:
        ctx.report(diag.duplicate_name(f"table {draft.name!r} has more than one primary key",
                                       span))
        return
    draft.primary_key = pk


def table_constraint(node: exp.Expression, name: str | None, src: Src, rng: Range, ctx: Ctx,
                     draft: Draft) -> None:
    """A table-level constraint or MySQL KEY/INDEX (possibly inside CONSTRAINT name)."""
    if isinstance(node, exp.Constraint):
        for sub in node.expressions:
            table_constraint(sub, node.name or None, src, rng, ctx, draft)
        return
    span = src.span(rng[0] if rng else None)
    if isinstance(node, exp.PrimaryKey):
        set_primary_key(draft, PrimaryKey(names(node.expressions), name), span, ctx)
    elif isinstance(node, exp.ForeignKey):
        draft.foreign_keys.append(foreign_key(names(node.expressions), node.args["reference"],
                                              name, span))
    elif isinstance(node, exp.UniqueColumnConstraint):
        target = node.this
        own = target.this.name if isinstance(target, exp.Schema) and target.this else None
        parts = [part_of(e, ctx.dialect) for e in (target.expressions if target else ())]
        draft.indexes.append(Index(name or own, parts, unique=True, constraint=True, span=span))
    elif isinstance(node, exp.IndexColumnConstraint):
        unique = str(node.args.get("kind") or "").upper() == "UNIQUE"
        parts = [part_of(e, ctx.dialect) for e in node.expressions]
        draft.indexes.append(Index(node.name or name, parts, unique=unique, span=span))
    elif isinstance(node, exp.CheckColumnConstraint):
        bodies = check_texts(src, *rng) if rng else []
        draft.checks.append(Check(bodies[0] if bodies else node.this.sql(ctx.dialect), name,
                                  span=span))
    else:
        ctx.report(diag.unsupported(f"table element {node.key!r} in {draft.name!r} is not "
                                    "modelled", span))


def _properties(tree: exp.Create) -> dict:
    out: dict = {"parents": [], "partition_of": None, "comment": None, "like": None}
    props = tree.args.get("properties")
    schema = tree.this
    items = list(props.expressions) if props else []
    if isinstance(schema, exp.Schema):
        items += [e for e in schema.expressions if isinstance(e, exp.LikeProperty)]
    for p in items:
        if isinstance(p, exp.InheritsProperty):
            out["parents"] += [t.name for t in p.expressions]
        elif isinstance(p, exp.PartitionedOfProperty):
            out["partition_of"] = p.this.name
        elif isinstance(p, exp.SchemaCommentProperty):
            out["comment"] = p.this.name
        elif isinstance(p, exp.LikeProperty):
            out["like"] = p.this.name
    return out


def _body_ranges(src: Src, count: int) -> list[Range]:
    """Token ranges of the table body's items, paired with the tree's items."""
    open_i = next((i for i, t in enumerate(src.tokens) if t.token_type is TokenType.L_PAREN),
                  None)
    if open_i is None:
        return [None] * count
    ranges, _ = split_items(src, open_i)
    return list(ranges) if len(ranges) == count else [None] * count


def _copy_columns(ctx: Ctx, draft: Draft, parents: list[str], span: Span) -> None:
    for parent in parents:
        found = ctx.table(parent)
        if found is None:
            ctx.missing_table(parent, f"CREATE TABLE {draft.name}", span)
            continue
        for col, col_span in zip(found.columns, found.spans):
            draft.add_column(col, col_span)


def lower_create_table(tree: exp.Create, src: Src, ctx: Ctx, opts: dict) -> None:
    schema = tree.this
    table = schema.this if isinstance(schema, exp.Schema) else schema
    span = src.span()
    if isinstance(tree.args.get("expression"), exp.Query):
        ctx.report(diag.unsupported(f"CREATE TABLE {table.name} AS SELECT: columns unknown, "
                                    "table skipped", span))
        return
    if ctx.table(table.name) is not None:
        if not tree.args.get("exists"):
            ctx.report(diag.duplicate_name(f"table {table.name!r} defined twice", span))
        return
    props = _properties(tree)
    draft = Draft(table.name, table.db or None, span, comment=props["comment"],
                  partition_of=props["partition_of"], inherits=tuple(props["parents"]),
                  without_rowid=opts.get("without_rowid", False), strict=opts.get("strict", False))
    parents = props["parents"] + [p for p in (props["partition_of"], props["like"]) if p]
    _copy_columns(ctx, draft, parents, span)
    items = [e for e in schema.expressions if not isinstance(e, exp.LikeProperty)] \
        if isinstance(schema, exp.Schema) else []
    for node, rng in zip(items, _body_ranges(src, len(items))):
        if isinstance(node, exp.Identifier):  # SQLite: a column with no type at all
            node = exp.ColumnDef(this=node)
        if isinstance(node, exp.ColumnDef):
            lower_column(node, src, rng, ctx, draft)
        else:
            table_constraint(node, None, src, rng, ctx, draft)
    if not draft.columns:
        ctx.report(diag.unsupported(f"table {table.name!r} has no columns; skipped", span))
        return
    ctx.add_table(draft)


_SQLITE_OPTIONS = re.compile(r"\)((?:\s*,?\s*(?:WITHOUT\s+ROWID|STRICT))+)\s*$", re.IGNORECASE)


def sqlite_options(text: str) -> tuple[str, dict]:
    """Blank out SQLite's ``WITHOUT ROWID`` / ``STRICT`` tail (sqlglot turns the
    statement into an opaque Command otherwise); offsets are kept."""
    m = _SQLITE_OPTIONS.search(text)
    if not m:
        return text, {}
    tail = m.group(1).upper()
    opts = {"without_rowid": "ROWID" in tail, "strict": "STRICT" in tail}
    return text[:m.start(1)] + " " * len(m.group(1)) + text[m.end(1):], opts
