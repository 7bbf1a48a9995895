"""PlantUML-safe text and aliases for untrusted schema names.

Any name may hold quotes, braces, ``@enduml``, creole markup (``__x__``,
``**b**``, ``<b>``) or non-ASCII letters.  Checked against PlantUML 1.2020.02
(Debian) and 1.2026.8:

- every character outside a small safe set is written ``<U+XXXX>``; the
  ``&#NN;`` form is not used because ``&#92;`` (backslash) makes PlantUML crash
  (``Matcher.appendReplacement``);
- a doubled markup character (``__``, ``--``) has its second half encoded, and two
  encoded characters in a row of the same markup stay apart;
- a text ending in an escape gets a zero-width space (``&#8203;``): a quoted
  class name ending in ``>`` is otherwise read as a generic parameter;
- aliases are plain ASCII identifiers with a prefix, so no name is a keyword.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:()_-")
_RUNS = "_-"            # creole doubles them (__underline__, --strike--)
_IDENT = re.compile(r"[A-Za-z0-9_]+")
# Anything :func:`text` would change; most names have none of it (the fast path).
_UNSAFE = re.compile(r"[^a-zA-Z0-9 .,:()_-]|__|--")


def text(value: str, tail: bool = True) -> str:
    """Text that displays as ``value`` anywhere in a diagram (names, labels, members);
    ``tail=False`` when more text follows on the line (no end guard needed)."""
    return _text(str(value), tail)


@lru_cache(maxsize=1 << 16)     # the same names fill many diagrams
def _text(value: str, tail: bool) -> str:
    plain = " ".join(value.split())
    if not _UNSAFE.search(plain):
        return plain
    out: list[str] = []
    prev = ""
    for ch in plain:
        if ch in _SAFE and not (ch in _RUNS and prev == ch):
            out.append(ch)
            prev = ch
        else:
            out.append(f"<U+{ord(ch):04X}>")
            prev = "escaped"
    result = "".join(out)
    return result + "&#8203;" if tail and result.endswith(">") else result


@lru_cache(maxsize=1 << 16)
def alias(prefix: str, name: str) -> str:
    """A safe, unique identifier: ``T_order_items``; odd names get a hash of the original."""
    if _IDENT.fullmatch(name):
        return f"{prefix}_{name}"
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", name.encode("ascii", "ignore").decode()).strip("_")
    return f"{prefix}_{cleaned[:40]}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"
