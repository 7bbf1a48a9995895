"""PHP names for the Eloquent target: class and case identifiers, and per-file imports.

Schema identifiers are untrusted: a model, method or enum case name made from
one must be a valid PHP identifier, never a keyword PHP rejects, and two
different sources must not end up with the same name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ir.naming import studly

# Names PHP refuses as class names (reserved words and built-in types), lowercased.
# https://www.php.net/manual/en/reserved.keywords.php and reserved.other-reserved-words.php
CLASS_RESERVED = frozenset(["abstract", "and", "array", "as", "break", "callable", "case", "catch", "class", "clone", "const", "continue", "declare", "default", "die", "do", "echo", "else", "elseif", "empty", "enddeclare", "endfor", "endforeach", "endif", "endswitch", "endwhile", "enum", "eval", "exit", "extends", "final", "finally", "fn", "for", "foreach", "function", "global", "goto", "if", "implements", "include", "include_once", "instanceof", "insteadof", "interface", "isset", "list", "match", "namespace", "new", "or", "print", "private", "protected", "public", "readonly", "require", "require_once", "return", "static", "switch", "throw", "trait", "try", "unset", "use", "var", "while", "xor", "yield", "int", "float", "bool", "string", "true", "false", "null", "void", "iterable", "object", "mixed", "never", "self", "parent", "resource", "numeric"])

_NOT_IDENT = re.compile(r"[^0-9A-Za-z_]+")
_WORDS = re.compile(r"[0-9A-Za-z]+")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _tag(original: str) -> str:
    return hashlib.sha256(original.encode()).hexdigest()[:6]


def php_identifier(name: str, fallback: str) -> str:
    """``name`` when it already is a plain ASCII identifier; otherwise a cleaned
    form with a short hash of the original, so two odd names stay apart."""
    if re.fullmatch(r"[A-Za-z_][0-9A-Za-z_]*", name):
        return name
    cleaned = _NOT_IDENT.sub("", _ascii(name)) or fallback
    if cleaned[0].isdigit():
        cleaned = fallback + cleaned
    return cleaned + _tag(name)   # no "_": PSR-1 wants PascalCase/camelCase names


def class_name(model: str) -> str:
    """A usable PHP class name for a model stem (``Match`` -> ``MatchModel``)."""
    name = php_identifier(model, "Model")
    name = name[0].upper() + name[1:]
    return name + "Model" if name.lower() in CLASS_RESERVED else name


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name2``, ``name3``... : the first not in ``taken`` (case-insensitive,
    as PHP compares class and method names); the result is added to ``taken``."""
    candidate, i = name, 2
    while candidate.lower() in taken:
        candidate, i = f"{name}{i}", i + 1
    taken.add(candidate.lower())
    return candidate


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
        short = alias or fqcn.rsplit("\\", 1)[-1]
        owner = self._by_short.get(short.lower())
        if owner is None:
            self._by_short[short.lower()] = fqcn
            if fqcn.rsplit("\\", 1)[0] != self.namespace or alias:
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
