"""Mutable working state of one DDL load: table drafts, user types, diagnostics.

Statements arrive one by one and ALTER TABLE / CREATE INDEX / COMMENT ON add to
tables defined earlier, so the frontend keeps a *draft* per table (plain lists)
and freezes it into an IR :class:`ir.model.Table` once, at the end.  Drafts are
frontend-private; the IR itself is never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import attrs

from compiler.frontends.types import parse_type, user_type_names
from ir import diagnostics as diag
from ir.diagnostics import Diagnostic, Span
from ir.model import Check, Column, ForeignKey, Index, PrimaryKey
from ir.types import Type


@dataclass(slots=True)
class Draft:
    """One table as read so far.  A column's place in the source is kept in ``spans``
    (same positions as ``columns``), so that columns lowered from the same text can
    be one span-less object (see ``ddl_lower.lower_column``)."""

    name: str
    schema: str | None
    span: Span | None
    columns: list[Column] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # column name -> index
    primary_key: PrimaryKey | None = None
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    comment: str | None = None
    without_rowid: bool = False
    strict: bool = False
    partition_of: str | None = None
    inherits: tuple[str, ...] = ()
    spans: list[Span | None] = field(default_factory=list)  # where each column is written

    def add_column(self, col: Column, span: Span | None = None) -> bool:
        """Append, written at ``span`` (default: the column's own); False (and nothing
        added) if the name is taken."""
        if col.name in self.positions:
            return False
        self.positions[col.name] = len(self.columns)
        self.columns.append(col)
        self.spans.append(span if span is not None else col.span)
        return True

    def column(self, name: str) -> Column | None:
        pos = self.positions.get(name)
        if pos is None:
            pos = next((i for n, i in self.positions.items() if n.lower() == name.lower()), None)
        return None if pos is None else self.columns[pos]

    def update_column(self, name: str, **changes) -> bool:
        col = self.column(name)
        if col is None:
            return False
        self.columns[self.positions[col.name]] = attrs.evolve(col, **changes)
        return True


@dataclass(slots=True)
class Ctx:
    """What one load has seen so far."""

    dialect: str
    file: str | None
    drafts: dict[str, Draft] = field(default_factory=dict)  # in source order
    folded: dict[str, str] = field(default_factory=dict)    # lower-case name -> name
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _types: dict[str, Type] = field(default_factory=dict)  # raw -> Type
    _type_users: dict[str, list[str]] = field(default_factory=dict)  # user type -> raws
    # column definition text -> ddl_lower.ColumnPlan (its type from _types)
    column_plans: dict[str, Any] = field(default_factory=dict)

    def parse_type(self, raw: str) -> Type:
        """``types.parse_type`` with this load's user types, memoised (a 10,000-table
        file spells the same few dozen types over and over)."""
        got = self._types.get(raw)
        if got is None:
            got = self._types[raw] = parse_type(raw, self.dialect, enums=self.enums,
                                                domains=self.domains)
            for name in user_type_names(raw, self.domains):
                self._type_users.setdefault(name, []).append(raw)
        return got

    def add_user_type(self, name: str, enum: tuple[str, ...] | None = None,
                      domain: str | None = None) -> None:
        if enum is not None:
            self.enums[name.lower()] = enum
        if domain is not None:
            self.domains[name.lower()] = domain
        stale = self._type_users.pop(name.lower(), ())
        if stale:  # a type spelling read before now names this type (rare: pg_dump defines first)
            for raw in stale:
                self._types.pop(raw, None)
            self.column_plans.clear()

    def table(self, name: str) -> Draft | None:
        """Exact name first, then case-insensitively (SQLite and MySQL on most systems
        compare names that way; PostgreSQL folds unquoted ones)."""
        draft = self.drafts.get(name)
        if draft is None and (real := self.folded.get(name.lower())) is not None:
            draft = self.drafts[real]
        return draft

    def add_table(self, draft: Draft) -> None:
        self.drafts[draft.name] = draft
        self.folded.setdefault(draft.name.lower(), draft.name)

    def drop_table(self, name: str) -> bool:
        """Forget a table defined earlier (``DROP TABLE``); False when there is none."""
        draft = self.table(name)
        if draft is None:
            return False
        del self.drafts[draft.name]
        if self.folded.get(draft.name.lower()) == draft.name:
            del self.folded[draft.name.lower()]
        return True

    def report(self, d: Diagnostic) -> None:
        self.diagnostics.append(d)

    def missing_table(self, name: str, what: str, span: Span | None) -> None:
        self.report(diag.missing_table(f"{what}: table {name!r} is not defined", span))
