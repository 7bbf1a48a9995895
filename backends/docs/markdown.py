"""Markdown-safe text for untrusted schema names and values (headings, table cells, code)."""

from __future__ import annotations

import re

# CommonMark lets a backslash escape any ASCII punctuation; these can start markup
# anywhere in a line (``$`` is GitHub math); _LEAD only at its start (lists, headings).
_META = set("\\`*_{}[]<>#!|~&$")
_LEAD = set("+-=")
_ORDERED = re.compile(r"\d+(?=[.)])")


def md(value: object) -> str:
    """Plain text shown literally in a paragraph, heading or table cell (one line)."""
    text = " ".join(str(value).split())
    out = "".join("\\" + ch if ch in _META else ch for ch in text)
    if m := _ORDERED.match(out):       # "1. x" would start an ordered list
        return m.group() + "\\" + out[m.end():]
    return "\\" + out if out[:1] in _LEAD else out


def code(value: object) -> str:
    """An inline code span of ``value`` (one line); ``|`` escaped for table cells."""
    text = " ".join(str(value).split())
    run, longest = 0, 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"
