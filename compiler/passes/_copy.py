"""``attrs.evolve`` for the passes' hot loops: the same copy, half the cost per call."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

import attrs

T = TypeVar("T")


@cache
def _init_fields(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple((a.name, a.alias) for a in attrs.fields(cls) if a.init)


def evolve(inst: T, **changes: Any) -> T:
    """Exactly ``attrs.evolve(inst, **changes)`` (converters and validators still run),
    with the class's init fields looked up once per class instead of once per call:
    a 10,000-table schema copies some 100,000 columns, tables and relations."""
    for name, alias in _init_fields(type(inst)):
        if alias not in changes:
            changes[alias] = getattr(inst, name)
    return type(inst)(**changes)
