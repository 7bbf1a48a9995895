"""The stable JSON form of a schema (``schemac inspect --format json``).

Top level (fixed by DESIGN.md)::

    {"format": 1, "dialect": ..., "source": ..., "tables": [...],
     "relations": [...], "diagnostics": [...]}

Fields are written in class order; a field equal to its default is left out
(except the keys DESIGN.md fixes for every table), so the form stays short and
adding an optional field later does not change existing snapshots.  Node spans
are not part of the form (they compare equal anyway); a diagnostic's span is.
``from_json(to_json(s)) == s`` holds for every schema.
"""

from __future__ import annotations

import enum
import json
import typing
from functools import cache
from typing import Any

import attrs

from ir.model import Schema, Table

FORMAT = 1
_ALWAYS = {Table: ("name", "columns", "primary_key", "foreign_keys", "indexes", "checks")}


def to_data(obj: Any) -> Any:
    """Plain JSON-able data for an IR node (attrs class, enum, tuple, scalar)."""
    if attrs.has(type(obj)):
        always = _ALWAYS.get(type(obj), ())
        out: dict[str, Any] = {}
        for f in attrs.fields(type(obj)):
            if not f.init or f.metadata.get("json") is False and f.name != "span":
                continue
            if f.name == "span" and f.eq is False:
                continue
            value = getattr(obj, f.name)
            if f.name not in always and f.default is not attrs.NOTHING and value == f.default:
                continue
            out[f.alias or f.name] = to_data(value)
        return out
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (tuple, list)):
        return [to_data(x) for x in obj]
    return obj


def to_json(schema: Schema) -> str:
    """Byte-stable JSON text, newline-terminated."""
    data = {"format": FORMAT, "dialect": schema.dialect, "source": schema.source,
            "tables": to_data(schema.tables), "relations": to_data(schema.relations),
            "diagnostics": to_data(schema.diagnostics)}
    return _dump(data, "") + "\n"


def _dump(value: Any, indent: str) -> str:
    """Indented JSON with lists of scalars kept on one line (readable goldens)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        if all(not isinstance(v, (dict, list)) for v in value.values()):
            flat = json.dumps(value, ensure_ascii=False)
            if len(flat) + len(indent) <= 100:
                return flat
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(v, inner)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
        return "[\n" + ",\n".join(inner + _dump(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def from_json(text: str) -> Schema:
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"unsupported IR format {data.get('format')!r}")
    return Schema(tables=_load_seq(data["tables"], tuple[Table, ...]),
                  dialect=data["dialect"], source=data["source"],
                  relations=_load(data.get("relations", []), _hint(Schema, "relations")),
                  diagnostics=_load(data.get("diagnostics", []), _hint(Schema, "diagnostics")))


@cache
def _hints(cls: type) -> dict[str, Any]:
    import ir.diagnostics, ir.model, ir.relations, ir.rules, ir.types  # noqa: E401
    ns: dict[str, Any] = {}
    for mod in (ir.types, ir.diagnostics, ir.rules, ir.relations, ir.model):
        ns.update(vars(mod))
    return typing.get_type_hints(cls, globalns=ns)


def _hint(cls: type, name: str) -> Any:
    return _hints(cls)[name]


def _load_seq(items: list, hint: Any) -> Any:
    return _load(items, hint)


def _load(value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return None if value is None else _load(value, args[0])
    if origin is tuple:
        (inner, *_rest) = typing.get_args(hint)
        return tuple(_load(v, inner) for v in value)
    if isinstance(hint, type) and attrs.has(hint):
        hints = _hints(hint)
        kwargs = {}
        for f in attrs.fields(hint):
            key = f.alias or f.name
            if f.init and key in value:
                kwargs[key] = _load(value[key], hints[f.name])
        return hint(**kwargs)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    return value
