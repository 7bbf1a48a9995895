"""The plain-text schema summary printed by ``schemac inspect``: deterministic, no colour.

One block per table in source order: an aligned column list (name, logical type,
null / not null, default, markers), then the primary key, foreign keys with
their actions, indexes, checks and table flags.  Relations follow when passes
have derived any; a count of diagnostics closes the summary (the diagnostics
themselves are printed on stderr by the CLI).
"""

from __future__ import annotations

from collections import Counter

from ir.model import Column, Default, DefaultKind, ForeignKey, Index, Schema, Table
from ir.relations import Relation
from ir.rules import TableConventions


def render(schema: Schema) -> str:
    """The whole summary, newline-terminated."""
    lines = [_header(schema)]
    for table in schema.tables:
        lines.append("")
        lines += table_lines(table)
    if schema.relations:
        lines += ["", f"relations ({len(schema.relations)}):"]
        lines += ["  " + relation_line(r) for r in schema.relations]
    lines += ["", _diagnostic_count(schema)]
    return "\n".join(lines) + "\n"


def _header(schema: Schema) -> str:
    n = len(schema.tables)
    source = schema.source or "<input>"
    return f"schema {source} ({schema.dialect}): {n} table{'' if n == 1 else 's'}"


def _diagnostic_count(schema: Schema) -> str:
    counts = Counter(d.severity.value for d in schema.diagnostics)
    if not counts:
        return "diagnostics: none"
    parts = [f"{counts[s]} {s}{'' if counts[s] == 1 else 's'}"
             for s in ("error", "warning", "info") if counts[s]]
    return "diagnostics: " + ", ".join(parts) + " (on stderr)"


def table_lines(table: Table) -> list[str]:
    name = f"{table.schema}.{table.name}" if table.schema else table.name
    flags = _table_flags(table)
    lines = [f"table {name}" + (f"  [{', '.join(flags)}]" if flags else "")]
    if table.comment:
        lines.append(f"  -- {_one_line(table.comment)}")
    if table.conventions is not None:
        lines.append("  conventions: " + conventions_text(table.conventions))
    lines += _column_lines(table)
    if table.primary_key:
        pk = table.primary_key
        lines.append(f"  primary key ({', '.join(pk.columns)})"
                     + (f"  [{pk.name}]" if pk.name else ""))
    lines += _section("foreign keys", [fk_line(fk) for fk in table.foreign_keys])
    lines += _section("indexes", [index_line(ix) for ix in table.indexes])
    lines += _section("checks", [(f"{c.name}: " if c.name else "") + _one_line(c.expression)
                                 for c in table.checks])
    return lines


def _table_flags(table: Table) -> list[str]:
    flags = ["without rowid"] if table.without_rowid else []
    flags += ["strict"] if table.strict else []
    flags += [f"partition of {table.partition_of}"] if table.partition_of else []
    flags += [f"inherits {', '.join(table.inherits)}"] if table.inherits else []
    return flags


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return [f"  {title}:"] + [f"    {item}" for item in items]


def _column_lines(table: Table) -> list[str]:
    pk = set(table.primary_key.columns) if table.primary_key else set()
    rows = [_column_cells(c, c.name in pk) for c in table.columns]
    if not rows:
        return ["  (no columns)"]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for row in rows:
        cells = [cell.ljust(w) for cell, w in zip(row, widths)] + [row[-1]]
        out.append(("  " + "  ".join(cells)).rstrip())
    return out


def _column_cells(col: Column, in_pk: bool) -> list[str]:
    """name, type, null-ness, then free-form markers (default, PK, ...)."""
    marks = []
    if col.default is not None:
        marks.append("default " + default_text(col.default))
    if col.generated is not None:
        marks.append(f"generated ({_one_line(col.generated.expression)})"
                     + (" stored" if col.generated.stored else " virtual"))
    marks += ["PK"] if in_pk else []
    marks += ["autoincrement"] if col.autoincrement else []
    marks += ["hidden"] if col.hidden else []
    if col.cast is not None:
        marks.append(f"cast {col.cast.kind.value}" + (f":{col.cast.arg}" if col.cast.arg else ""))
    if col.constraints:
        marks.append("rules " + "; ".join(
            c.kind.value + (f"({','.join(c.args)})" if c.args else "") for c in col.constraints))
    if col.comment:
        marks.append(f"-- {_one_line(col.comment)}")
    return [col.name, col.type.describe(), "null" if col.nullable else "not null",
            "  ".join(marks)]


def conventions_text(conv: TableConventions) -> str:
    """``model Post, timestamps created_at/updated_at, soft deletes deleted_at, ...``."""
    parts = [f"model {conv.model}" if conv.model else "no model"]
    parts += ["framework table"] if conv.framework else []
    parts += ["pivot"] if conv.pivot else []
    if conv.created_at or conv.updated_at:
        parts.append(f"timestamps {conv.created_at or '-'}/{conv.updated_at or '-'}")
    parts += [f"soft deletes {conv.deleted_at}"] if conv.deleted_at else []
    if conv.key:
        parts.append(f"key {','.join(conv.key)} {conv.key_format or conv.key_type or ''}".rstrip()
                     + (" incrementing" if conv.incrementing else ""))
    parts += [f"morphs {','.join(conv.morphs)}"] if conv.morphs else []
    return ", ".join(parts)


def default_text(default: Default) -> str:
    if default.kind is DefaultKind.STRING:
        return "'" + default.value.replace("'", "''") + "'"
    if default.kind is DefaultKind.NULL:
        return "NULL"
    return _one_line(default.value)


def fk_line(fk: ForeignKey) -> str:
    text = f"({', '.join(fk.columns)}) -> {fk.ref_table}({', '.join(fk.ref_columns)})"
    if fk.on_delete is not None:
        text += f" on delete {fk.on_delete.value.lower()}"
    if fk.on_update is not None:
        text += f" on update {fk.on_update.value.lower()}"
    return text + (f"  [{fk.name}]" if fk.name else "")


def index_line(ix: Index) -> str:
    parts = [(p.column if p.column is not None else f"({_one_line(p.expression or '')})")
             + (" desc" if p.descending else "") for p in ix.parts]
    kind = "unique constraint" if ix.constraint else ("unique" if ix.unique else "index")
    text = f"{ix.name or '(unnamed)'}: {kind} ({', '.join(parts)})"
    return text + (f" where {_one_line(ix.where)}" if ix.where else "")


def relation_line(r: Relation) -> str:
    target = r.ref_table or "*"
    text = f"{r.table}.{r.name or '?'} {r.kind.value} {target}.{r.inverse_name or '-'}"
    if r.pivot is not None:
        text += f" via {r.pivot.table}"
    if r.through is not None:
        text += f" through {r.through.table}"
    if r.morph is not None:
        text += f" morph {r.morph.name}"
    if r.provenance is not None:
        text += f"  [{r.provenance.origin.value}: {r.provenance.rule}]"
    return text


def _one_line(text: str) -> str:
    """SQL text squeezed onto one line, so each item stays one line of output."""
    return " ".join(text.split())
