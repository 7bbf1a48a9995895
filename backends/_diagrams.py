"""What the plantuml and docs targets share: model names, page/diagram file stems, a per-schema memo."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from backends._laravel import model_classes
from backends._safe import path_segment
from ir.model import Schema

T = TypeVar("T")


def per_schema(fn: Callable[..., T]) -> Callable[..., T]:
    """Memoize ``fn(schema, *key)`` for the last schema and key seen.

    The driver calls ``emit_tables`` once per chunk of tables on one schema, so a
    whole-schema index must be built once per process, not per chunk.  The entry
    keeps the schema itself alive (its ``id`` cannot be reused while remembered);
    one entry is enough, one schema is compiled at a time.  Callers must treat the
    result as read-only."""
    last: list[Any] = []

    @wraps(fn)
    def memo(schema: Schema, *key: Any) -> T:
        if last and last[0] is schema and last[1] == key:
            return last[2]
        value = fn(schema, *key)
        last[:] = [schema, key, value]
        return value
    return memo


@per_schema
def model_names(schema: Schema) -> dict[str, str]:
    """Table -> model name shown in diagrams and docs (the Laravel class name: valid,
    unique, the same in every target), in source order.  Read-only (memoized)."""
    return model_classes(schema)


@per_schema
def model_files(schema: Schema) -> dict[str, str]:
    """Table -> file stem of its focused diagram / docs page (``models/<stem>.puml``).
    Read-only (memoized)."""
    return {table: path_segment(name) for table, name in model_names(schema).items()}
