"""PHP identifiers from untrusted schema names, shared by the Laravel targets.

Every Laravel target must call a table's model by the same class name, so the
sanitising and de-duplication live here (``backends._laravel.model_classes``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

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


