"""Helpers for pass tests on tiny inline schemas: load DDL, run a pass prefix, find facts."""

from __future__ import annotations

from compiler.frontends.ddl import load_text
from compiler.options import AnalysisOptions
from compiler.pipeline import build_passes, compile_schema
from ir.check import check_schema
from ir.model import Schema
from ir.relations import Relation

# Pass positions in compiler.pipeline (a prefix of build_passes runs up to that pass).
CONVENTIONS, FOREIGN_KEYS, PIVOTS, MORPHS, THROUGH, NAMING = range(1, 7)


def ddl(text: str) -> Schema:
    return load_text(text, source="t.sql", dialect="sqlite")


def run(schema: Schema | str, options: AnalysisOptions | None = None,
        upto: int | None = None) -> Schema:
    """Compile ``schema`` (DDL text or IR) through the first ``upto`` passes (all by default);
    every run also checks the IR invariants."""
    if isinstance(schema, str):
        schema = ddl(schema)
    passes = build_passes(options or AnalysisOptions())
    out = compile_schema(schema, passes=passes[:upto] if upto else passes)
    assert check_schema(out) == []
    return out


def rels(schema: Schema, table: str | None = None, kind: str | None = None) -> list[Relation]:
    return [r for r in schema.relations if (table is None or r.table == table)
            and (kind is None or r.kind.value == kind)]


def rel_on(schema: Schema, table: str, column: str) -> Relation | None:
    """The to-one edge of ``table`` resting on ``column`` (many_to_one / one_to_one)."""
    hits = [r for r in schema.relations if r.table == table and r.columns == (column,)
            and r.kind.value in ("many_to_one", "one_to_one")]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


def names_on(schema: Schema, table: str) -> list[str]:
    """Every relation end name on ``table`` (sorted)."""
    out = []
    for r in schema.relations:
        if r.table == table and r.name:
            out.append(r.name)
        if r.ref_table == table and r.inverse_name:
            out.append(r.inverse_name)
    return sorted(out)


def conv(schema: Schema, table: str):
    return schema.table(table).conventions


# Laravel 8 SQLite grammar spellings, for readable tiny DDL.
ID = '"id" integer not null primary key autoincrement'
STAMPS = '"created_at" datetime, "updated_at" datetime'
