"""Doctrine's RulesetInflector and Laravel 8's Pluralizer, run over the rule tables in english.py.

Port of Doctrine\\Inflector 2.0.6 (RulesetInflector, Transformations, Patterns, Substitutions) and
Illuminate\\Support\\Pluralizer (Laravel 8.83): same rule order, same first-match-wins, same case
handling. Patterns are matched as PHP does without the /u flag: ASCII-only case folding and \\w.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sized
from types import MappingProxyType

import attrs

from ir.naming import english, php

_FLAGS = re.IGNORECASE | re.ASCII
# PHP replacement references: \N, $N and ${N} (N up to 99).
_REF = re.compile(r"\\(\d\d?)|\$(\d\d?)|\$\{(\d\d?)\}")
# Pluralizer::plural leaves a word alone unless it ends in a letter, digit or non-ASCII BMP char.
_ENDS_IN_WORD_CHAR = re.compile(r"^(.*)[A-Za-z0-9\u0080-\uffff]$")

Replacer = Callable[["re.Match[str]"], str]
# A pattern's trailing run of literal ASCII letters before ``$`` (not an escape like ``\w``).
_LETTERS_END = re.compile(r"(?<!\\)[A-Za-z]+\$\Z")
# Or a final group of letters, maybe followed by letters: ``(tive)s$`` must end in "tives".
_GROUP_END = re.compile(r"(?<!\\)\(([A-Za-z]+)\)([A-Za-z]*)\$\Z")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _required_suffix(pattern: str) -> str:
    """What a word must end with (lower case) for ``pattern`` to match it: the letters
    before a final ``$`` (a plain group of letters counting as letters), or "" when the
    pattern does not end so or has a top-level ``|`` (then only the regex can tell)."""
    depth = 0
    for ch in pattern:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            return ""
    g = _GROUP_END.search(pattern)
    if g:
        return (g.group(1) + g.group(2)).lower()
    m = _LETTERS_END.search(pattern)
    return m.group(0)[:-1].lower() if m else ""


def _tail(word: str) -> str:
    """``word`` as ``...letters$`` sees it: ``$`` also matches before a final newline, and
    the rules ignore case the ASCII way only (re.ASCII | re.IGNORECASE)."""
    return word.removesuffix("\n").translate(_ASCII_LOWER)


def _replacer(replacement: str) -> Replacer:
    """A re.sub callback applying a PHP preg_replace replacement string.

    Unlike Python's, PHP's preg_replace turns a reference to a group that does not exist into ''
    (Doctrine's rules rely on it: '\\1\\2tatus' with one group).
    """
    pieces: list[str | int] = []
    pos = 0
    for m in _REF.finditer(replacement):
        pieces.append(replacement[pos : m.start()])
        pieces.append(int(next(g for g in m.groups() if g is not None)))
        pos = m.end()
    pieces.append(replacement[pos:])

    def apply(match: re.Match[str]) -> str:
        count = match.re.groups
        return "".join(
            p if isinstance(p, str) else (match.group(p) or "") if p <= count else ""
            for p in pieces
        )

    return apply


@attrs.frozen(eq=False)
class Ruleset:
    """One Doctrine Ruleset: uninflected patterns, irregular words, regular transformations."""

    uninflected: re.Pattern[str]
    irregular: Mapping[str, str]
    regular: tuple[tuple[re.Pattern[str], Replacer], ...]
    # Per regular rule, the text (lower case) a word must end with for it to match: most
    # rules end in ``<letters>$``, so transform() skips them without a regex search.
    _suffixes: tuple[str, ...] = attrs.field(init=False, repr=False)
    # Cache: a word's last two (lower-case) letters -> the rules whose suffix can match
    # a word ending so, in rule order (a table name is inflected once, yet the same
    # few endings recur: scanning all 43 rules per word was most of the cost).
    _by_end: dict[str, tuple[tuple[re.Pattern[str], Replacer, str], ...]] = attrs.field(
        init=False, repr=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_suffixes",
                           tuple(_required_suffix(p.pattern) for p, _ in self.regular))

    @classmethod
    def build(
        cls,
        regular: Iterable[tuple[str, str]],
        uninflected: Iterable[str],
        irregular: Mapping[str, str],
    ) -> Ruleset:
        return cls(
            uninflected=re.compile("^(?:" + "|".join(uninflected) + ")$", _FLAGS),
            irregular=MappingProxyType(dict(irregular)),
            regular=tuple((re.compile(p, _FLAGS), _replacer(r)) for p, r in regular),
        )

    def substitute(self, word: str) -> str:
        """Substitutions::inflect: a whole-word irregular, keeping an upper-case first letter."""
        lower = php.strtolower(word)
        to = self.irregular.get(lower)
        if to is None:
            return word
        return php.ucfirst(to) if lower[0] != word[0] else to

    def transform(self, word: str) -> str:
        """Transformations::inflect: the first matching rule replaces every match."""
        tail = _tail(word)
        rules = self._by_end.get(tail[-2:]) if len(tail) >= 2 else None
        if rules is None:
            rules = self._rules_for(tail)
        for pattern, replace, suffix in rules:
            if tail.endswith(suffix) and pattern.search(word):
                return pattern.sub(replace, word)
        return word

    def _rules_for(self, tail: str) -> tuple[tuple[re.Pattern[str], Replacer, str], ...]:
        """The rules, in order, that a word with this tail may match: a subset that keeps
        every rule whose suffix ``tail`` ends with (cached by the last two letters)."""
        every = tuple((p, r, s) for (p, r), s in zip(self.regular, self._suffixes))
        if len(tail) < 2:
            return every
        end = tail[-2:]
        rules = tuple(rule for rule in every
                      if rule[2].endswith(end) or end.endswith(rule[2]))
        self._by_end[end] = rules
        return rules

    def inflect(self, word: str) -> str:
        """RulesetInflector::inflect for a single ruleset."""
        if word == "" or self.uninflected.search(word):
            return word
        inflected = self.substitute(word)
        if inflected != word:
            return inflected
        return self.transform(word)


def _irregular_maps() -> tuple[dict[str, str], dict[str, str]]:
    # Substitutions keys by the source word, so a repeated word keeps its first position and its
    # last target, exactly as a Python dict does; the singular map is the flipped plural map.
    plural = dict(english.IRREGULAR)
    singular = {to: frm for frm, to in plural.items()}
    return plural, singular


_PLURAL_IRREGULAR, _SINGULAR_IRREGULAR = _irregular_maps()
PLURAL_RULESET = Ruleset.build(
    english.PLURAL_RULES, english.UNINFLECTED_PLURAL, _PLURAL_IRREGULAR
)
SINGULAR_RULESET = Ruleset.build(
    english.SINGULAR_RULES, english.UNINFLECTED_SINGULAR, _SINGULAR_IRREGULAR
)


@functools.lru_cache(maxsize=1 << 16)
def pluralize(word: str) -> str:
    """Doctrine Inflector::pluralize (no Laravel uncountables, no case matching)."""
    return PLURAL_RULESET.inflect(word)


@functools.lru_cache(maxsize=1 << 16)
def singularize(word: str) -> str:
    """Doctrine Inflector::singularize."""
    return SINGULAR_RULESET.inflect(word)


def match_case(value: str, comparison: str) -> str:
    """Pluralizer::matchCase: give `value` the casing style `comparison` has."""
    for fn in (php.mb_strtolower, php.mb_strtoupper, php.ucfirst, php.ucwords):
        if fn(comparison) == comparison:
            return fn(value)
    return value


def plural(value: str, count: float | Sized = 2) -> str:
    """Pluralizer::plural (Str::plural): `value` itself when count is 1 (or -1, 1.5, [x])."""
    if isinstance(count, Sized):
        count = len(count)
    return _plural(value, int(abs(count)) == 1)


@functools.lru_cache(maxsize=1 << 16)
def _plural(value: str, one: bool) -> str:
    if (
        one
        or php.strtolower(value) in english.LARAVEL_UNCOUNTABLE
        or not _ENDS_IN_WORD_CHAR.search(value)
    ):
        return value
    return match_case(pluralize(value), value)


@functools.lru_cache(maxsize=1 << 16)
def singular(value: str) -> str:
    """Pluralizer::singular (Str::singular). Laravel 8 checks no uncountable list here."""
    return match_case(singularize(value), value)
