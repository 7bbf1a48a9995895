"""Freeze table drafts into IR tables, dropping what would break IR invariants.

Runs once after the last statement, when every table is known: foreign keys to
undefined tables or columns, keys on undefined columns and duplicate index
names become error diagnostics (and are dropped) so that
``ir.check.check_schema`` holds; then ``common.finish_table`` runs on each.
"""

from __future__ import annotations

import attrs

from compiler.frontends.common import finish_table
from compiler.frontends.ddl_state import Ctx, Draft
from ir import diagnostics as diag
from ir.model import Column, ForeignKey, Index, PrimaryKey, Table


def _canon(draft: Draft, names: tuple[str, ...]) -> tuple[str, ...] | None:
    """Column names as the table spells them (case-insensitive match); None if any is missing."""
    out = []
    for n in names:
        col = draft.column(n)
        if col is None:
            return None
        out.append(col.name)
    return tuple(out)


def _primary_key(draft: Draft, ctx: Ctx) -> PrimaryKey | None:
    pk = draft.primary_key
    if pk is None:
        return None
    cols = _canon(draft, pk.columns)
    if cols is None:
        ctx.report(diag.missing_column(f"primary key of {draft.name!r} names an undefined "
                                       f"column: {', '.join(pk.columns)}", draft.span))
        return None
    if ctx.dialect != "sqlite":
        # MySQL and PostgreSQL make key columns NOT NULL; SQLite's catalog does not
        # (PRAGMA table_xinfo notnull=0), so there only an explicit NOT NULL counts.
        for c in cols:
            col = draft.column(c)
            if col is not None and col.nullable:
                draft.update_column(c, nullable=False)
    return pk if cols == pk.columns else attrs.evolve(pk, columns=cols)


def _foreign_key(fk: ForeignKey, draft: Draft, ctx: Ctx) -> ForeignKey | None:
    cols = _canon(draft, fk.columns)
    if cols is None:
        ctx.report(diag.missing_column(f"foreign key {fk.columns} of {draft.name!r} names an "
                                       "undefined column", fk.span))
        return None
    ref = ctx.table(fk.ref_table)
    if ref is None:
        ctx.missing_table(fk.ref_table, f"foreign key of {draft.name!r}", fk.span)
        return None
    ref_cols = fk.ref_columns or (ref.primary_key.columns if ref.primary_key else ())
    canon = _canon(ref, ref_cols)
    if canon is None or len(canon) != len(cols):
        ctx.report(diag.missing_column(
            f"foreign key {cols} of {draft.name!r} -> {ref.name}{tuple(ref_cols)}: referenced "
            "columns undefined or of different count", fk.span))
        return None
    if cols == fk.columns and ref.name == fk.ref_table and canon == fk.ref_columns:
        return fk  # as written (most keys): no copy
    return attrs.evolve(fk, columns=cols, ref_table=ref.name, ref_columns=canon)


def _indexes(draft: Draft, ctx: Ctx) -> list[Index]:
    out, seen = [], set()
    for ix in draft.indexes:
        parts = []
        for p in ix.parts:
            col = draft.column(p.column) if p.column is not None else None
            if p.column is not None and col is None:
                ctx.report(diag.missing_column(f"index {ix.name or ''} on {draft.name!r} names "
                                               f"undefined column {p.column!r}", ix.span))
                break
            parts.append(attrs.evolve(p, column=col.name) if col and col.name != p.column else p)
        else:
            if ix.name and ix.name in seen:
                ctx.report(diag.duplicate_name(f"index {ix.name!r} defined twice on "
                                               f"{draft.name!r}", ix.span))
                continue
            seen.add(ix.name)
            out.append(ix if parts == list(ix.parts) else attrs.evolve(ix, parts=parts))
    return out


def freeze(draft: Draft, ctx: Ctx, shared: _Shared) -> Table:
    pk = _primary_key(draft, ctx)
    fks = [f for f in (_foreign_key(fk, draft, ctx) for fk in draft.foreign_keys) if f]
    table = Table(draft.name, [shared(c) for c in draft.columns], primary_key=pk,
                  foreign_keys=fks, indexes=_indexes(draft, ctx), checks=draft.checks,
                  comment=draft.comment, schema=draft.schema, without_rowid=draft.without_rowid,
                  strict=draft.strict, partition_of=draft.partition_of, inherits=draft.inherits,
                  span=draft.span, column_spans=draft.spans)
    return finish_table(table, ctx.dialect)


class _Shared:
    """One object per distinct column, its position moved to ``Table.column_spans``.

    A 10,000-table file writes ~84,000 columns but only ~6,000 different ones; the
    passes and backends memoize per column object, so the SQLite-file frontend
    already shares them (spans do not take part in equality).  Most draft columns
    already are one object per distinct definition (``ddl_lower.lower_column``), so
    they are looked up by identity before by value (hashing a column is slower)."""

    __slots__ = ("by_id", "by_value")

    def __init__(self) -> None:
        self.by_value: dict[Column, Column] = {}
        # id -> (column, its shared copy); holding the column keeps its id from reuse
        self.by_id: dict[int, tuple[Column, Column]] = {}

    def __call__(self, col: Column) -> Column:
        hit = self.by_id.get(id(col))
        if hit is not None and hit[0] is col:
            return hit[1]
        got = self.by_value.get(col)
        if got is None:
            got = self.by_value[col] = attrs.evolve(col, span=None) if col.span is not None \
                else col
        self.by_id[id(col)] = (col, got)
        return got


def freeze_all(ctx: Ctx) -> list[Table]:
    shared = _Shared()
    return [freeze(d, ctx, shared) for d in ctx.drafts.values()]
