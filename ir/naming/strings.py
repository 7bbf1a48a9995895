"""Laravel 8.83's Str naming functions (studly, camel, snake, plural, singular, pluralStudly) in Python.

Each function reproduces Illuminate\\Support\\Str line by line (see the PHP in the docstrings);
tests/test_naming_laravel.py compares them with the real Laravel over hundreds of names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sized

from ir.naming import php

# plural and singular are re-exported so that every Str function comes from one module.
from ir.naming.inflector import plural, singular

__all__ = ["camel", "plural", "plural_studly", "singular", "snake", "studly", "ucfirst"]

_SPACES = re.compile(php.PCRE_UCP_SPACE + "+")
# '/(.)(?=[A-Z])/u': a character followed by an ASCII capital; '.' stops at "\n" in both engines.
_BEFORE_CAPITAL = re.compile(r"(.)(?=[A-Z])")


def ucfirst(value: str) -> str:
    """Str::ucfirst: mb_strtoupper of the first code point (unlike PHP's ASCII-only ucfirst)."""
    return php.mb_strtoupper(value[:1]) + value[1:]


@functools.lru_cache(maxsize=1 << 16)
def studly(value: str) -> str:
    """Str::studly: '-' and '_' become spaces, each space-separated word gets Str::ucfirst.

    `explode(' ', str_replace(['-', '_'], ' ', $value))`, so only a plain space splits words:
    a tab stays inside its word, and a word after it is not capitalised.
    """
    words = value.replace("-", " ").replace("_", " ").split(" ")
    return "".join(ucfirst(w) for w in words)


@functools.lru_cache(maxsize=1 << 16)
def camel(value: str) -> str:
    """Str::camel: `lcfirst(static::studly($value))`, lcfirst being ASCII-only."""
    return php.lcfirst(studly(value))


@functools.lru_cache(maxsize=1 << 16)
def snake(value: str, delimiter: str = "_") -> str:
    """Str::snake: a delimiter before each ASCII capital, then lower-cased.

    An all-ASCII-lowercase value (ctype_lower) is returned as is. Otherwise ucwords() first
    capitalises each whitespace-separated word, whitespace is removed, and every character
    followed by a capital gets the delimiter after it: 'Order Details' -> 'order_details',
    'user_ID' -> 'user__i_d', 'Order_Details' -> 'order__details'.
    """
    if php.ctype_lower(value):
        return value
    value = _SPACES.sub("", php.ucwords(value))
    return php.mb_strtolower(
        _BEFORE_CAPITAL.sub(lambda m: m.group(1) + delimiter, value)
    )


def plural_studly(value: str, count: float | Sized = 2) -> str:
    """Str::pluralStudly: pluralise the last StudlyCase word ('InvoiceLine' -> 'InvoiceLines')."""
    if isinstance(count, Sized):
        count = len(count)
    return _plural_studly(value, int(abs(count)) == 1)


@functools.lru_cache(maxsize=1 << 16)
def _plural_studly(value: str, one: bool) -> str:
    # preg_split with PREG_SPLIT_DELIM_CAPTURE == re.split with a capturing group.
    parts = _BEFORE_CAPITAL.split(value)
    last = parts.pop()
    return "".join(parts) + plural(last, 1 if one else 2)
