"""IR invariants, checked after every pass in tests (STYLE.md rule 3).

``check_schema`` returns a list of human-readable violations; empty means the
schema is well formed.  It checks structure, not user intent: a frontend turns
bad user input into diagnostics and drops what would break these invariants.
"""

from __future__ import annotations

from ir.model import Schema, Table
from ir.relations import RelationKind


def _dups(names) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        if n in seen:
            out.append(n)
        seen.add(n)
    return out


def _check_table(t: Table, schema: Schema) -> list[str]:
    errs = [f"{t.name}: duplicate column {d!r}" for d in _dups(t.column_names)]
    cols = set(t.column_names)
    if not t.columns:
        errs.append(f"{t.name}: no columns")
    if t.column_spans and len(t.column_spans) != len(t.columns):
        errs.append(f"{t.name}: {len(t.column_spans)} column spans for {len(t.columns)} columns")
    if t.primary_key:
        errs += [f"{t.name}: primary key column {c!r} missing" for c in t.primary_key.columns
                 if c not in cols]
    for fk in t.foreign_keys:
        errs += [f"{t.name}: FK column {c!r} missing" for c in fk.columns if c not in cols]
        ref = schema.table(fk.ref_table)
        if ref is None:
            errs.append(f"{t.name}: FK to missing table {fk.ref_table!r}")
            continue
        if len(fk.columns) != len(fk.ref_columns):
            errs.append(f"{t.name}: FK {fk.columns} -> {fk.ref_columns} arity mismatch")
        errs += [f"{t.name}: FK to missing column {fk.ref_table}.{c}" for c in fk.ref_columns
                 if ref.column(c) is None]
    for ix in t.indexes:
        errs += [f"{t.name}: index {ix.name!r} on missing column {p.column!r}"
                 for p in ix.parts if p.column is not None and p.column not in cols]
    errs += [f"{t.name}: duplicate index name {d!r}"
             for d in _dups(i.name for i in t.indexes if i.name)]
    return errs


def _check_relations(schema: Schema) -> list[str]:
    errs = []
    for r in schema.relations:
        where = f"relation {r.kind.value} {r.table}->{r.ref_table}"
        if schema.table(r.table) is None:
            errs.append(f"{where}: missing table {r.table!r}")
        if r.ref_table is not None and schema.table(r.ref_table) is None:
            errs.append(f"{where}: missing ref table {r.ref_table!r}")
        if r.pivot is not None and schema.table(r.pivot.table) is None:
            errs.append(f"{where}: missing pivot {r.pivot.table!r}")
        if r.kind is RelationKind.MORPH_TO and r.morph is None:
            errs.append(f"{where}: morph_to without morph columns")
        if r.kind in (RelationKind.MANY_TO_ONE, RelationKind.ONE_TO_ONE,
                      RelationKind.MANY_TO_MANY) and not (r.name and r.inverse_name):
            errs.append(f"{where}: both sides must be named")
    if list(schema.relations) != sorted(schema.relations, key=lambda r: r.sort_key()):
        errs.append("relations are not sorted")
    return errs


def check_schema(schema: Schema) -> list[str]:
    errs = [f"duplicate table {d!r}" for d in _dups(t.name for t in schema.tables)]
    for t in schema.tables:
        errs += _check_table(t, schema)
    return errs + _check_relations(schema)
