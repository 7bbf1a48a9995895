"""Read simple facts out of CHECK constraints: bounds, value lists, length and JSON checks.

Only a conjunction (``a AND b AND ...``) of simple comparisons is read: each
conjunct that compares one column with literals yields a :class:`CheckFact`;
anything else (``OR``, comparisons of two columns, functions we do not know) is
ignored, so a fact is only reported when it must hold for every row.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

import attrs
import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from ir.model import Check

_DIALECT = {"sqlite": "sqlite", "mysql": "mysql", "mariadb": "mysql", "postgres": "postgres"}
_FLIP = {"min": "max", "max": "min", "gt": "lt", "lt": "gt"}
_OPS = {exp.GTE: "min", exp.GT: "gt", exp.LTE: "max", exp.LT: "lt"}
_JSON_FUNCS = {"json_valid", "isjson", "json_type"}


@attrs.frozen
class CheckFact:
    """``kind`` is min/max (inclusive), gt/lt (strict), eq, in, max_length, min_length
    or json; ``values`` holds the literal(s) as text."""

    kind: str
    column: str
    values: tuple[str, ...] = attrs.field(default=(), converter=tuple)


def _column(node: exp.Expression | None) -> str | None:
    if isinstance(node, exp.Paren):
        return _column(node.this)
    return node.name if isinstance(node, exp.Column) else None


def _length_of(node: exp.Expression | None) -> str | None:
    """``length(col)`` / ``char_length(col)`` -> col."""
    if isinstance(node, exp.Length):
        return _column(node.this)
    if isinstance(node, exp.Anonymous) and node.name.lower() in ("char_length", "len"):
        return _column(node.expressions[0]) if len(node.expressions) == 1 else None
    return None


def _literal(node: exp.Expression | None) -> str | None:
    """A literal as text; numbers are normalised (``-1.50`` -> ``-1.5``)."""
    if isinstance(node, exp.Paren):
        return _literal(node.this)
    neg = isinstance(node, exp.Neg)
    if isinstance(node, exp.Neg):
        node = node.this
    if not isinstance(node, exp.Literal):
        return None
    if node.is_string:
        return None if neg else node.this
    try:
        value = Decimal(node.this) * (-1 if neg else 1)
    except InvalidOperation:
        return None
    return _number_text(value)


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _compare(node: exp.Binary) -> CheckFact | None:
    kind = _OPS.get(type(node)) or ("eq" if isinstance(node, exp.EQ) else None)
    if kind is None:
        return None
    left, right = node.this, node.expression
    if _literal(left) is not None:  # ``0 <= qty`` reads as ``qty >= 0``
        left, right, kind = right, left, _FLIP.get(kind, kind)
    value = _literal(right)
    if value is None:
        return None
    col = _column(left)
    if col is not None:
        return CheckFact(kind, col, (value,))
    col = _length_of(left)
    if col is not None and kind in ("max", "lt", "min", "gt", "eq"):
        n = int(Decimal(value)) if value.lstrip("-").replace(".", "").isdigit() else None
        if n is None:
            return None
        if kind in ("max", "lt", "eq"):
            return CheckFact("max_length", col, (str(n - 1 if kind == "lt" else n),))
        return CheckFact("min_length", col, (str(n + 1 if kind == "gt" else n),))
    return None


def _fact(node: exp.Expression) -> list[CheckFact]:
    if isinstance(node, exp.Paren):
        return _fact(node.this)
    if isinstance(node, exp.And):
        return _fact(node.this) + _fact(node.expression)
    if isinstance(node, exp.Between):
        col, low, high = _column(node.this), _literal(node.args.get("low")), \
            _literal(node.args.get("high"))
        if col and low is not None and high is not None:
            return [CheckFact("min", col, (low,)), CheckFact("max", col, (high,))]
        return []
    if isinstance(node, exp.In) and not node.args.get("query"):
        col, values = _column(node.this), [_literal(v) for v in node.expressions]
        if col and values and all(v is not None for v in values):
            return [CheckFact("in", col, tuple(v for v in values if v is not None))]
        return []
    if isinstance(node, exp.Binary):
        fact = _compare(node)
        return [fact] if fact else []
    if isinstance(node, exp.Anonymous) and node.name.lower() in _JSON_FUNCS:
        col = _column(node.expressions[0]) if node.expressions else None
        return [CheckFact("json", col)] if col else []
    return []


@cache
def _dialect(name: str) -> Dialect:
    """One sqlglot dialect object per name (``read="sqlite"`` would build a new one per
    parse); raises ValueError for an unknown name, as ``parse_one`` does."""
    return Dialect.get_or_raise(name)


def check_facts(check: Check, dialect: str) -> tuple[CheckFact, ...]:
    """The facts one CHECK states; empty when it cannot be read (never raises)."""
    return _facts(check.expression, check.columns, dialect)


@lru_cache(maxsize=4096)
def _facts(expression: str, columns: tuple[str, ...], dialect: str) -> tuple[CheckFact, ...]:
    # Cached: the casts and validation passes both ask, once per column, and the same
    # CHECK text repeats across tables; parsing (and sqlglot's dialect set-up) dominates.
    try:
        tree = sqlglot.parse_one(expression, read=_dialect(_DIALECT.get(dialect, dialect)))
    except (sqlglot.errors.SqlglotError, ValueError):
        return ()
    if not isinstance(tree, exp.Expression):
        return ()
    known = {c.lower(): c for c in columns}
    out = []
    for fact in _fact(tree):
        # Match case-insensitively to the table's spelling, as SQL does.
        name = known.get(fact.column.lower()) if known else fact.column
        if name is not None:
            out.append(attrs.evolve(fact, column=name))
    return tuple(out)
