"""Make untrusted schema identifiers safe where generated code puts them.

A table or column name comes from the user's schema and may hold anything:
quotes, ``*/``, newlines, ``../``.  Backends pass every identifier through one
of these before it reaches a string literal, a comment or a path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SEGMENT_BAD = re.compile(r"[^0-9A-Za-z_.-]+")


def path_segment(name: str) -> str:
    """One safe path component (no separators, no ``..``, no leading dot).

    Deterministic and injective enough: when characters had to be replaced, a
    short hash of the original keeps two different names apart."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = _SEGMENT_BAD.sub("_", ascii_name).strip("._") or "x"
    if cleaned != name:
        cleaned += "_" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return cleaned[:120]


def php_single_quoted(value: str) -> str:
    """A PHP single-quoted literal: only ``\\`` and ``'`` are special there."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def comment_text(value: str) -> str:
    """Text safe inside any block or line comment: no newlines, no comment closers."""
    text = " ".join(str(value).split())
    return text.replace("*/", "*\\/").replace("-->", "--\\>").replace("?>", "?\\>")


def py_string(value: str) -> str:
    """A Python string literal (repr is exact and always one line)."""
    return repr(str(value))
