"""Neutral relation-name stems, shared by the relation passes (snake_case, Laravel idiom).

- belongsTo: from the FK column (``author_id`` -> ``author``; ``config_from`` stays).
- hasMany/hasOne: from the child table (``posts``; ``post``).
- belongsToMany: from the other table (``tags``).

Module prefixes shared by both tables are dropped, as Laravel developers do
(``blog_posts.blog_author_id`` -> ``author``; ``shop_orders`` hasMany
``shop_order_items`` -> ``items``; ``users`` hasMany ``user_ssh_keys`` ->
``ssh_keys``), unless nothing would be left.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ir.naming import plural, singular

_NON_WORD = re.compile(r"[^0-9A-Za-z_]+")
_CAPS_RUN = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CASE_STEP = re.compile(r"([a-z0-9])([A-Z])")
_UNDERSCORES = re.compile(r"_+")
_SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")


@lru_cache(maxsize=65536)
def snake_name(name: str) -> str:
    """``InvoiceLine`` / ``OrderID`` / ``invoice line`` -> ``invoice_line`` / ``order_id``.

    Unlike ``Str::snake`` (``UserSSHKey`` -> ``user_s_s_h_key``) a run of capitals
    is one word, as a schema's author meant it."""
    if _SNAKE.fullmatch(name):
        return name  # already snake_case: every step below would leave it as it is
    text = _NON_WORD.sub("_", name)
    text = _CAPS_RUN.sub(r"\1_\2", text)
    text = _CASE_STEP.sub(r"\1_\2", text)
    return _UNDERSCORES.sub("_", text).strip("_").lower() or "rel"


@lru_cache(maxsize=65536)
def singular_snake(table: str) -> str:
    parts = snake_name(table).split("_")
    return "_".join(parts[:-1] + [singular(parts[-1])])


@lru_cache(maxsize=65536)
def plural_snake(stem: str) -> str:
    parts = snake_name(stem).split("_")
    return "_".join(parts[:-1] + [plural(parts[-1])])


MODULE_MIN_TABLES = 3


def module_prefixes(tables) -> frozenset[str]:
    """First name segments (``shop_``) that at least three tables share: a module.

    Two tables sharing a segment is not enough (``activity_logs`` and
    ``activity_log_subjects`` are one concept, not a module)."""
    return _module_prefixes(tuple(tables))  # three passes ask, about the same tables


@lru_cache(maxsize=8)
def _module_prefixes(tables: tuple[str, ...]) -> frozenset[str]:
    counts: dict[str, int] = {}
    for name in tables:
        parts = snake_name(name).split("_")
        if len(parts) > 1:
            counts[parts[0] + "_"] = counts.get(parts[0] + "_", 0) + 1
    return frozenset(p for p, n in counts.items() if n >= MODULE_MIN_TABLES)


def shared_prefix(a: str, b: str, modules: frozenset[str] = frozenset()) -> str:
    """The module prefix both names carry (``shop_`` of shop_orders and shop_brands)."""
    mods = _modules_of(a, modules) if modules else ()
    if not mods:
        return ""  # most names start no module: no need to look at ``b``
    sb = snake_name(b)
    return next((m for m in mods if sb.startswith(m)), "")


@lru_cache(maxsize=65536)
def _modules_of(name: str, modules: frozenset[str]) -> tuple[str, ...]:
    """The modules ``name`` starts with, longest first (cached per name: most pairs of
    names are asked about once, but each name in many pairs)."""
    sa = snake_name(name)
    # Of one length at most one module can start ``sa``: look it up.
    return tuple(sa[:n] for n in _lengths(modules) if len(sa) >= n and sa[:n] in modules)


@lru_cache(maxsize=64)
def _lengths(modules: frozenset[str]) -> tuple[int, ...]:
    return tuple(sorted({len(m) for m in modules}, reverse=True))


def strip_prefix(stem: str, *prefixes: str) -> str:
    for prefix in prefixes:
        if prefix and stem.startswith(prefix) and len(stem) > len(prefix):
            return stem[len(prefix):]
    return stem


@lru_cache(maxsize=65536)
def column_stem(column: str) -> str:
    """``author_id`` -> ``author``; ``ArtistId`` -> ``artist``; ``config_from`` unchanged."""
    s = snake_name(column)
    for suffix in ("_id", "_uuid", "_ulid"):
        if s.endswith(suffix) and len(s) > len(suffix):
            return s[: -len(suffix)]
    return s


def belongs_to_stem(table: str, columns: tuple[str, ...], ref_table: str,
                    modules: frozenset[str] = frozenset()) -> str:
    parent = singular_snake(ref_table)
    if len(columns) != 1:
        return parent
    stem = column_stem(columns[0])
    if stem in ("id", snake_name(columns[0])) and columns[0].lower() == "id":
        return parent
    return strip_prefix(stem, singular_snake(table) + "_", shared_prefix(table, ref_table, modules))


def children_stem(child: str, parent: str, one: bool = False,
                  modules: frozenset[str] = frozenset()) -> str:
    """hasMany (``one=False``) / hasOne stem on ``parent`` for rows of ``child``."""
    name = snake_name(child)
    name = strip_prefix(name, singular_snake(parent) + "_", shared_prefix(child, parent, modules))
    return singular_snake(name) if one else plural_snake(singular_snake(name))


def related_stem(other: str, this: str, modules: frozenset[str] = frozenset()) -> str:
    """belongsToMany stem on ``this`` for ``other`` rows."""
    name = strip_prefix(snake_name(other), shared_prefix(other, this, modules))
    return plural_snake(singular_snake(name))
