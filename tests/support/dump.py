"""A compact, readable text dump of what the passes inferred, for per-fixture goldens.

One line per relation (kind, keys, names, pivot/morph/through, provenance rule), one line per
table's conventions, and one line per column that got a cast or constraints.
"""

from __future__ import annotations

from ir.model import Schema, Table
from ir.relations import Relation
from ir.rules import Constraint


def _keys(table: str | None, columns: tuple[str, ...]) -> str:
    return f"{table or '?'}.{','.join(columns) or '-'}"


def relation_line(r: Relation) -> str:
    head = f"{r.kind.value} {_keys(r.table, r.columns)}"
    if r.ref_table is not None:
        head += f" -> {_keys(r.ref_table, r.ref_columns)}"
    parts = [head]
    if r.pivot:
        p = r.pivot
        via = f"via {p.table}({','.join(p.columns)} | {','.join(p.ref_columns)})"
        via += f" extra={','.join(p.extra)}" if p.extra else ""
        via += " timestamps" if p.timestamps else ""
        via += " entity" if p.entity else ""
        parts.append(via)
    if r.morph:
        m = r.morph
        parts.append(f"morph {m.type_column}+{m.id_column}"
                     + (f" type={m.type_value}" if m.type_value else ""))
    if r.through:
        t = r.through
        parts.append(f"through {t.table}({t.first_key}, {t.second_key})")
    parts.append(f"name={r.name or '-'} inverse={r.inverse_name or '-'}")
    if r.provenance:
        parts.append(f"[{r.provenance.origin.value} {r.provenance.rule}]")
    return "  ".join(parts)


def table_line(t: Table) -> str:
    c = t.conventions
    if c is None:
        return f"{t.name}: (no conventions)"
    facts = [f"model={c.model or '-'}"]
    facts += ["framework"] * c.framework + ["pivot"] * c.pivot
    if c.key:
        key = f"key={','.join(c.key)}"
        if c.key_type:
            key += f"({c.key_type}{'/' + c.key_format if c.key_format else ''}"
            key += ", incrementing)" if c.incrementing else ")"
        facts.append(key)
    else:
        facts.append("no key")
    if c.created_at or c.updated_at:
        facts.append(f"timestamps={c.created_at or '-'},{c.updated_at or '-'}")
    if c.deleted_at:
        facts.append(f"soft_deletes={c.deleted_at}")
    if c.remember_token:
        facts.append(f"remember_token={c.remember_token}")
    if c.morphs:
        facts.append(f"morphs={','.join(c.morphs)}")
    return f"{t.name}: " + " ".join(facts)


def _constraint(c: Constraint) -> str:
    return c.kind.value + (" " + ",".join(c.args) if c.args else "")


def column_lines(t: Table) -> list[str]:
    out = []
    for col in t.columns:
        if col.cast is None and not col.constraints:
            continue
        cast = "-"
        if col.cast is not None:
            cast = col.cast.kind.value + (f":{col.cast.arg}" if col.cast.arg else "")
            if col.cast.provenance:
                cast += f" ({col.cast.provenance.rule})"
        rules = "; ".join(_constraint(c) for c in col.constraints) or "-"
        out.append(f"    {col.name}: cast={cast} | {rules}")
    return out


def dump_inferred(schema: Schema, diagnostics_from: int = 0) -> str:
    """The inferred facts of a compiled schema; ``diagnostics_from`` skips the frontend's
    diagnostics (pinned by the IR goldens) so only the passes' own are listed."""
    lines = ["# relations"]
    lines += [relation_line(r) for r in schema.relations] or ["(none)"]
    lines.append("")
    lines.append("# tables")
    for t in schema.tables:
        lines.append(table_line(t))
        lines += column_lines(t)
    diags = schema.diagnostics[diagnostics_from:]
    if diags:
        lines.append("")
        lines.append("# pass diagnostics")
        lines += [f"{d.code} {d.severity.value} {d.where}: {d.message}" for d in diags]
    return "\n".join(lines) + "\n"
