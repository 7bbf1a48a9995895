"""Python source pieces the way ``ruff format`` writes them: string literals and wrapped calls.

Generated code must be stable under ``ruff format`` (a user's formatter must not
rewrite it), so literals prefer double quotes and a call that does not fit in
the line is exploded one argument per line with a trailing comma, which
ruff keeps as it is (the "magic trailing comma").
"""

from __future__ import annotations

import functools
import keyword
import re

import attrs

WIDTH = 100


def pystr(value: str) -> str:
    """A Python string literal for untrusted text, quoted as ruff format would quote it."""
    if value.isprintable() and '"' not in value and "'" not in value and "\\" not in value:
        # the common case, as is (three ``in`` tests are cheaper than a regex search)
        return f'"{value}"'
    quote = "'" if value.count('"') > value.count("'") else '"'
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + quote)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])  # \n, \t, \x00, \u2028 ...
    return quote + "".join(out) + quote


_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"\W+")


@functools.lru_cache(maxsize=1 << 16)    # pure, and the same column names recur
def snake_ident(name: str) -> str:
    """A snake_case identifier for any column name: ``CustomerTypeID`` -> ``customer_type_id``,
    ``Order Details`` -> ``order_details``, ``2fa`` -> ``c_2fa``."""
    if name.isascii() and name.isidentifier() and name.islower() and name[-1] != "_" \
            and name[0] != "_":
        return name     # already snake_case (most table and column names): as below, unchanged
    text = _CAMEL.sub(r"\1_\2", _ACRONYM.sub(r"\1_\2", name))
    text = _NON_WORD.sub("_", text).strip("_").lower() or "c"
    if not text.isidentifier():
        text = "c_" + text
    if not text.isidentifier():  # characters valid in \w but not in identifiers
        text = "c_" + "".join(ch if ("a" + ch).isidentifier() else "_" for ch in text)
    return text


def studly_ident(name: str) -> str:
    """CamelCase identifier from any name: ``film_rating`` -> ``FilmRating``."""
    parts = [p for p in snake_ident(name).split("_") if p]
    text = "".join(p[:1].upper() + p[1:] for p in parts) or "X"
    return text if text[0].isalpha() else "X" + text


_KEYWORDS = frozenset([*keyword.kwlist, *keyword.softkwlist, "None", "True", "False"])


def is_keyword(name: str) -> bool:
    return name in _KEYWORDS


@attrs.frozen
class Call:
    """``func(arg, ...)``; an arg is source text or a nested Call/Seq."""

    func: str
    args: tuple = attrs.field(converter=tuple)


@attrs.frozen
class Seq:
    """A literal list/tuple/dict display: ``open``/``close`` are its brackets."""

    open: str
    close: str
    items: tuple = attrs.field(converter=tuple)


def flat(node) -> str:
    """``node`` on one line."""
    if isinstance(node, str):
        return node
    if isinstance(node, tuple):  # a keyword argument or dict entry from kw()
        return node[0] + flat(node[1])
    if isinstance(node, Call):
        return node.func + "(" + ", ".join([_flat_item(a) for a in node.args]) + ")"
    return _seq_text(node, [_flat_item(a) for a in node.items])


def _flat_item(item) -> str:
    # flat() with the common leaves inline: most arguments are plain text or ``k=text``.
    if isinstance(item, str):
        return item
    if isinstance(item, tuple) and isinstance(item[1], str):
        return item[0] + item[1]
    return flat(item)


def _seq_text(node: Seq, texts: list[str]) -> str:
    inner = ", ".join(texts)
    if node.open == "(" and len(texts) == 1:
        inner += ","  # a one-element tuple
    return node.open + inner + node.close


def lines(prefix: str, node, indent: int, suffix: str = "") -> list[str]:
    """``prefix + node + suffix`` at ``indent`` spaces, wrapped to :data:`WIDTH`.

    Each item's one-line text is made once: an item that fits on its own line is
    written as it is, only one that does not is wrapped in turn (most wrapped calls
    have short arguments; flattening them again per level was most of the time)."""
    pad = " " * indent
    if isinstance(node, (str, tuple)):
        return [pad + prefix + flat(node) + suffix]
    if isinstance(node, Call):
        head, items, close = node.func + "(", node.args, ")"
        texts = [_flat_item(a) for a in items]
        one = pad + prefix + head + ", ".join(texts) + close + suffix
    else:
        head, items, close = node.open, node.items, node.close
        texts = [_flat_item(a) for a in items]
        one = pad + prefix + _seq_text(node, texts) + suffix
    if len(one) <= WIDTH or not items:
        return [one]
    out = [pad + prefix + head]
    inner = pad + "    "
    for item, text in zip(items, texts):
        line = inner + text + ","
        if len(line) <= WIDTH or isinstance(item, str):
            out.append(line)
        elif isinstance(item, tuple):   # ``key=value`` arguments wrap their value
            out += lines(item[0], item[1], indent + 4, ",")
        else:
            out += lines("", item, indent + 4, ",")
    out.append(pad + close + suffix)
    return out


def kw(name: str, value) -> tuple[str, object]:
    """A keyword argument whose value may itself wrap."""
    return (name + "=", value)
