"""PHP 8.2 string primitives that Laravel's naming functions are built from, with PHP's exact semantics.

Since PHP 8.2, strtolower/strtoupper/ucfirst/lcfirst/ucwords are locale-insensitive and touch only
ASCII letters; the mb_* functions use Unicode full case mapping, which Python's str.lower/upper
reproduce code point for code point (checked over all of Unicode against PHP 8.2.36), except for
Python's context-dependent final sigma.
"""

from __future__ import annotations

import re

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")

# ucwords()' default word delimiters.
_UCWORDS_DELIMITERS = frozenset(" \t\r\n\f\v")

# What PCRE2 \s matches in a /u pattern (PHP turns on UCP with /u), listed from PHP 8.2.36 itself:
# Python's \s also matches U+001C..U+001F and misses U+180E.
PCRE_UCP_SPACE = (
    "[\t\n\x0b\x0c\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)

_PHP_NUMERIC = re.compile(
    r"[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*"
)


def strtolower(s: str) -> str:
    return s.translate(_ASCII_LOWER)


def strtoupper(s: str) -> str:
    return s.translate(_ASCII_UPPER)


def ucfirst(s: str) -> str:
    return s[:1].translate(_ASCII_UPPER) + s[1:]


def lcfirst(s: str) -> str:
    return s[:1].translate(_ASCII_LOWER) + s[1:]


def ucwords(s: str) -> str:
    out = []
    prev_is_delim = True  # the first character counts as a word start
    for ch in s:
        out.append(ch.translate(_ASCII_UPPER) if prev_is_delim else ch)
        prev_is_delim = ch in _UCWORDS_DELIMITERS
    return "".join(out)


def mb_strtolower(s: str) -> str:
    # PHP 8.2 maps capital sigma to σ everywhere; Python picks ς at a word end.
    if "\u03a3" in s:
        return "".join(ch.lower() for ch in s)
    return s.lower()


def mb_strtoupper(s: str) -> str:
    return s.upper()


def ctype_lower(s: str) -> bool:
    """True for a non-empty string of ASCII a-z only (C locale)."""
    return s != "" and all("a" <= ch <= "z" for ch in s)


def is_numeric(s: str) -> bool:
    return _PHP_NUMERIC.fullmatch(s) is not None


def compare_regular(a: str, b: str) -> int:
    """PHP 8 `sort()` (SORT_REGULAR) comparison of two strings: numerically if both are numeric."""
    if is_numeric(a) and is_numeric(b):
        x, y = float(a), float(b)
        return (x > y) - (x < y)
    # Python compares code points, which orders like strcmp over UTF-8 bytes.
    return (a > b) - (a < b)
