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


_SCALARS = (str, int, float, bool, type(None))


@cache
def _plan(cls: type) -> tuple[tuple[str, str, Any, bool], ...] | None:
    """(attribute, JSON key, default, always) per serialized field of an attrs class;
    None for other types.  Computed once per class: the hot path of ``to_data``."""
    if not attrs.has(cls):
        return None
    always = _ALWAYS.get(cls, ())
    plan = []
    for f in attrs.fields(cls):
        if not f.init or f.metadata.get("json") is False or (f.name == "span" and not f.eq):
            continue
        plan.append((f.name, f.alias or f.name, f.default, f.name in always))
    return tuple(plan)


def to_data(obj: Any) -> Any:
    """Plain JSON-able data for an IR node (attrs class, enum, tuple, scalar)."""
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, _SCALARS):
        return obj
    if isinstance(obj, (tuple, list)):
        return [to_data(x) for x in obj]
    plan = _plan(type(obj))
    if plan is None:
        return obj
    out: dict[str, Any] = {}
    for name, key, default, always in plan:
        value = getattr(obj, name)
        if not always and default is not attrs.NOTHING and value == default:
            continue
        out[key] = to_data(value)
    return out


def to_json(schema: Schema) -> str:
    """Byte-stable JSON text, newline-terminated."""
    data = {"format": FORMAT, "dialect": schema.dialect, "source": schema.source,
            "tables": to_data(schema.tables), "relations": to_data(schema.relations),
            "diagnostics": to_data(schema.diagnostics)}
    return _dump(data, "") + "\n"


_encode_str = json.encoder.encode_basestring  # C-accelerated, non-ASCII kept as is


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _encode_str(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)


def _dump(value: Any, indent: str) -> str:
    """Indented JSON with lists of scalars kept on one line (readable goldens)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        if all(not isinstance(v, (dict, list)) for v in value.values()):
            flat = "{" + ", ".join(f"{_encode_str(k)}: {_scalar(v)}"
                                   for k, v in value.items()) + "}"
            if len(flat) + len(indent) <= 100:
                return flat
        items = [f"{inner}{_encode_str(k)}: {_dump(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(_scalar(v) for v in value) + "]"
        return "[\n" + ",\n".join(inner + _dump(v, inner) for v in value) + "\n" + indent + "]"
    return _scalar(value)


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
