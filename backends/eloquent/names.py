"""PHP names for the Eloquent target: class and case identifiers, and per-file imports.

Schema identifiers are untrusted: a model, method or enum case name made from
one must be a valid PHP identifier, never a keyword PHP rejects, and two
different sources must not end up with the same name.
"""

from __future__ import annotations

from backends._php import (  # noqa: F401
    _WORDS,
    CLASS_RESERVED,
    _ascii,
    _tag,
    class_name,
    php_identifier,
    unique,
)
from ir.naming import studly


def enum_class(model: str, column: str) -> str:
    """``Post`` + ``status`` -> ``PostStatus``."""
    return class_name(model + php_identifier(studly(column.replace("-", "_")), "Column"))


def enum_cases(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """[(case name, value)] for a backed string enum; duplicate values dropped.

    ``in-progress`` -> ``InProgress``, ``PG-13`` -> ``PG13``, ``1`` -> ``Value1``,
    ``''`` -> ``Empty``; names made unique by a numeric suffix."""
    taken: set[str] = set()
    out, seen = [], set()
    for value in values:
        if value in seen:
            continue
        seen.add(value)
        words = _WORDS.findall(_ascii(value))
        name = "".join(w[0].upper() + w[1:] for w in words) or "Empty"
        if name[0].isdigit():
            name = "Value" + name
        if name.lower() == "class":   # the one constant name PHP forbids
            name = "ClassValue"
        out.append((unique(name, taken), value))
    return out


class Imports:
    """The ``use`` lines of one PHP file and how code there refers to each class.

    ``ref(fqcn)`` gives the short name when it can be imported without clashing
    with the declared class or another import, else the fully qualified name."""

    def __init__(self, namespace: str, declared: str):
        self.namespace = namespace
        self.declared = declared
        self._by_short: dict[str, str] = {declared.lower(): f"{namespace}\\{declared}"}
        self._aliases: dict[str, str] = {}

    def ref(self, fqcn: str, alias: str | None = None) -> str:
        fqcn = fqcn.lstrip("\\")
        head, sep, base = fqcn.rpartition("\\")
        namespace = head if sep else fqcn     # as ``fqcn.rsplit("\\", 1)[0]``
        short = alias or base
        key = short.lower()
        owner = self._by_short.get(key)
        if owner is None:
            self._by_short[key] = fqcn
            if namespace != self.namespace or alias:
                self._aliases[fqcn] = short
            return short
        if owner == fqcn and (alias is None or self._aliases.get(fqcn, short) == short):
            return short
        return "\\" + fqcn

    def lines(self) -> list[str]:
        out = []
        for fqcn, short in self._aliases.items():
            base = fqcn.rsplit("\\", 1)[-1]
            out.append(f"use {fqcn};" if base == short else f"use {fqcn} as {short};")
        return sorted(out, key=str.lower)
