"""The import block of a generated module, sorted the way ruff's isort rules (I001) want it."""

from __future__ import annotations

from backends.sqlalchemy.pyfmt import WIDTH


class Imports:
    """Names a module needs; ``lines()`` renders them in isort order."""

    def __init__(self) -> None:
        self._modules: set[str] = set()
        self._from: dict[str, set[str]] = {}
        self.raw = False           # the RawType helper (source types SQLAlchemy has no name for)
        self.enum_values = False   # the enum_values helper (store enum values, not names)
        self.morph = False         # the morph_target helper (polymorphic links)

    def module(self, *names: str) -> None:
        self._modules.update(names)

    def add(self, module: str, *names: str) -> None:
        self._from.setdefault(module, set()).update(names)

    def sa(self, *names: str) -> None:
        self.add("sqlalchemy", *names)

    def orm(self, *names: str) -> None:
        self.add("sqlalchemy.orm", *names)

    def typing(self, *names: str) -> None:
        self.add("typing", *names)

    def names(self) -> set[str]:
        """Every name the module binds by importing (class bodies must not shadow them)."""
        out = set(self._modules) | {"annotations"}
        for names in self._from.values():
            out |= names
        return out

    def include(self, other: Imports) -> None:
        """Add ``other``'s imported names (not its helper flags), in place."""
        self._modules |= other._modules
        for module, names in other._from.items():
            self._from.setdefault(module, set()).update(names)

    def copy(self) -> Imports:
        new = Imports()
        new._modules = set(self._modules)
        new._from = {k: set(v) for k, v in self._from.items()}
        new.raw, new.enum_values, new.morph = self.raw, self.enum_values, self.morph
        return new

    def lines(self, local: dict[str, set[str]] | None = None,
              type_checking: dict[str, set[str]] | None = None) -> list[str]:
        stdlib = sorted(m for m in self._from if m.split(".")[0] in _STDLIB)
        third = sorted(m for m in self._from if m.split(".")[0] not in _STDLIB)
        std = [f"import {m}" for m in sorted(self._modules)]
        std += [line for m in stdlib for line in _from_line(m, self._from[m])]
        groups = [["from __future__ import annotations"], std,
                  [line for m in third for line in _from_line(m, self._from[m])],
                  [line for m in sorted(local or {}) for line in _from_line(m, local[m])]]
        if type_checking:
            groups.append(["if TYPE_CHECKING:"] + ["    " + line for m in sorted(type_checking)
                                                  for line in _from_line(m, type_checking[m], 4)])
        out: list[str] = []
        for group in (g for g in groups if g):
            out += ([""] if out else []) + group
        return out


_STDLIB = {"datetime", "decimal", "enum", "uuid", "typing"}


def _order(name: str) -> tuple[int, str]:
    # isort's order-by-type: CONSTANTS, then Classes, then functions/variables.
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def _from_line(module: str, names: set[str], indent: int = 0) -> list[str]:
    ordered = sorted(names, key=_order)
    one = f"from {module} import {', '.join(ordered)}"
    if len(one) + indent <= WIDTH:
        return [one]
    pad = " " * 4
    return [f"from {module} import ("] + [f"{pad}{n}," for n in ordered] + [")"]
