"""Markdown-safe text for untrusted schema names and values (headings, table cells, code)."""

from __future__ import annotations

import re
from functools import lru_cache

# CommonMark lets a backslash escape any ASCII punctuation; these can start markup
# anywhere in a line (``$`` is GitHub math); _LEAD only at its start (lists, headings).
_META = set("\\`*_{}[]<>#!|~&$")
_LEAD = set("+-=")
_ORDERED = re.compile(r"\d+(?=[.)])")
_TICKS = re.compile("`+")
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(sorted(_META))) + "]")


def md(value: object) -> str:
    """Plain text shown literally in a paragraph, heading or table cell (one line)."""
    return _md(str(value))


@lru_cache(maxsize=1 << 16)     # the same names and types fill thousands of cells
def _md(value: str) -> str:
    text = " ".join(value.split())
    out = _NEEDS_ESCAPE.sub(r"\\\g<0>", text)
    if m := _ORDERED.match(out):       # "1. x" would start an ordered list
        return m.group() + "\\" + out[m.end():]
    return "\\" + out if out[:1] in _LEAD else out


def code(value: object) -> str:
    """An inline code span of ``value`` (one line); ``|`` escaped for table cells."""
    return _code(str(value))


@lru_cache(maxsize=1 << 16)
def _code(value: str) -> str:
    text = " ".join(value.split())
    longest = max(map(len, _TICKS.findall(text)), default=0) if "`" in text else 0
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"
