"""Per-schema memos for backends: whole-schema indexes built once per process.

The driver calls a backend's ``emit_tables`` once per chunk of tables on the same
schema (in forked workers, or serially), so anything computed from the whole
schema must be remembered for that schema, not rebuilt per chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from ir.model import Schema

T = TypeVar("T")


def per_schema(fn: Callable[..., T]) -> Callable[..., T]:
    """Memoize ``fn(schema, *key)`` for the last schema and key seen.

    The driver calls ``emit_tables`` once per chunk of tables on the same schema
    (in forked workers, or serially): a whole-schema index is built once per
    process, not once per chunk.  The entry holds the schema itself, so an ``id``
    can never be reused by another schema while it is remembered; one entry is
    enough (one schema is compiled at a time).  Keys must be hashable; callers
    treat the result as read-only."""
    last: list[Any] = []

    @wraps(fn)
    def memo(schema: Schema, *key: Any) -> T:
        if last and last[0] is schema and last[1] == key:
            return last[2]
        value = fn(schema, *key)
        last[:] = [schema, key, value]
        return value
    return memo


def object_memo() -> Callable[[Schema], dict[Any, Any]]:
    """A fresh per-schema dict for results keyed by ``id()`` of the schema's frozen IR
    objects (Column, Type, ...).  The passes share one object among identical columns
    (~5,700 Columns for 84,000 columns at 10,000 tables), so per-column text is built
    once per distinct column; hashing a Column would hash every field, its id is free.
    An id cannot be reused while its object lives, and the schema that holds the object
    is held with the dict (the dict goes when another schema comes)."""
    return per_schema(lambda schema: {})
