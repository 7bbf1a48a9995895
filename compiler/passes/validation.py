"""Infer ORM-neutral validation constraints (``Column.constraints``) for every writable column.

Each column gets, in :class:`ConstraintKind` order (then by arguments):

- presence: NOT NULL without a default -> ``required``; a nullable column ->
  ``nullable``; NOT NULL *with* a default -> neither: the field may be left out
  (the database fills the default) but, when sent, null fails the type rule.
- ``type``: string / integer / numeric / boolean / json / time, from the cast
  when there is one (an integer flag cast to boolean validates as boolean),
  else from the logical type; dates get ``date`` (args ``date``/``datetime``).
- ``max_length``: a string's declared length, MySQL TINYTEXT/TEXT/MEDIUMTEXT
  capacity (bytes: exact for single-byte text, an upper bound otherwise), or a
  ``CHECK (length(col) <= n)``, whichever is tightest.
- ``min`` / ``max``: the integer width (signed or unsigned; MySQL YEAR
  1901..2155), ``unsigned`` -> 0, decimal(p, s) -> +-(10^(p-s) - 10^-s),
  CHECK bounds (``price >= 0``, ``rating BETWEEN 1 AND 5``); the tightest
  bound wins.
- ``in``: enum values, or a ``CHECK (col IN (...))``.
- ``unique`` (table, column): a full single-column unique index or constraint,
  or a single-column primary key the user supplies; backends ignore the row
  itself on update.
- ``exists`` (table, column): a declared single-column foreign key, or an
  inferred many-to-one / one-to-one relation.  Composite keys get none.
- ``format``: email / url / uuid / ip / ulid, from the type (uuid, inet) or
  the column name (``email``, ``*_email``, ``website``, ``*_url``, ``ip``, ...).

Columns the ORM or the database fills get no constraints at all: an
auto-incrementing key (SQLite's INTEGER PRIMARY KEY included), a uuid/ulid key
the model generates, the conventional timestamps, ``remember_token``, and
generated columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from compiler.options import AnalysisOptions
from compiler.passes._checks import CheckFact, check_facts
from compiler.passes._copy import evolve
from compiler.passes.casts import timestamp_columns
from ir.model import Column, DefaultKind, Schema, Table
from ir.relations import Relation, RelationKind
from ir.rules import CastKind, Constraint, ConstraintKind, Origin, Provenance
from ir.types import Kind

K = ConstraintKind
_ORDER = {kind: i for i, kind in enumerate(ConstraintKind)}
_TYPE_NAMES = {Kind.INTEGER: "integer", Kind.DECIMAL: "numeric", Kind.FLOAT: "numeric",
               Kind.BOOLEAN: "boolean", Kind.STRING: "string", Kind.TEXT: "string",
               Kind.ENUM: "string", Kind.UUID: "string", Kind.JSON: "json", Kind.TIME: "time"}
_CAST_TYPES = {CastKind.BOOLEAN: "boolean", CastKind.JSON: "json"}
# MySQL TEXT family capacity in bytes; LONGTEXT (4 GiB) is no useful limit.
_MYSQL_TEXT = {"tinytext": 255, "text": 65535, "mediumtext": 16777215}
_URL_NAMES = frozenset({"url", "website", "link", "homepage"})
_IP_NAMES = frozenset({"ip", "ip_address"})
_TEXTUAL = (Kind.STRING, Kind.TEXT)
Bound = tuple[Decimal, Provenance]


@lru_cache(maxsize=65536)
def _prov(origin: Origin, rule: str, *basis: str) -> Provenance:
    """Provenances are immutable and repeat (every NOT NULL column has the same one):
    shared, not rebuilt (attrs converters made this a third of the pass's time)."""
    return Provenance(origin, rule, basis=basis)


def _c(kind: ConstraintKind, args, origin: Origin, rule: str, *basis: str) -> Constraint:
    return _shared(kind, tuple(str(a) for a in args), origin, rule, basis)


@lru_cache(maxsize=65536)
def _shared(kind: ConstraintKind, args: tuple[str, ...], origin: Origin, rule: str,
            basis: tuple[str, ...]) -> Constraint:
    """Constraints repeat across tables (``required`` on every ``name`` column): built
    once and shared, as they are immutable (keyed on text args only, so 1 and True
    cannot collide)."""
    return Constraint(kind, args, _prov(origin, rule, *basis))


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


# -- which columns take input ----------------------------------------------------------

def _filled_by_orm(table: Table, dialect: str, stamps: frozenset[str]) -> frozenset[str]:
    """Names of the columns the ORM or the database fills (table facts looked up once,
    then each column tested)."""
    conv = table.conventions
    pk = table.primary_key.columns if table.primary_key else ()
    keys = conv.key if conv is not None and (conv.incrementing or conv.key_format) else ()
    token = (conv.remember_token if conv is not None else None) or "remember_token"
    named = {*keys, *stamps, token}
    out = set()
    for col in table.columns:
        if col.autoincrement or col.generated is not None or col.name in named:
            out.add(col.name)
        elif pk == (col.name,) and dialect == "sqlite" and col.type.kind is Kind.INTEGER \
                and col.type.raw.strip().lower() == "integer":
            out.add(col.name)  # an INTEGER PRIMARY KEY is SQLite's rowid alias
    return frozenset(out)


# -- one rule per concern ----------------------------------------------------------------

def _presence(col: Column) -> Iterator[Constraint]:
    has_default = col.default is not None and col.default.kind is not DefaultKind.NULL
    if col.nullable:
        yield _c(K.NULLABLE, (), Origin.DECLARED, "nullable", col.name)
    elif not has_default:
        yield _c(K.REQUIRED, (), Origin.DECLARED, "not-null", col.name)


def _type(col: Column) -> Iterator[Constraint]:
    name = _CAST_TYPES.get(col.cast.kind) if col.cast is not None else None
    name = name or _TYPE_NAMES.get(col.type.kind)
    if name is not None:
        yield _c(K.TYPE, (name,), Origin.DECLARED, "type", col.name)
    if col.type.kind in (Kind.DATE, Kind.DATETIME):
        yield _c(K.DATE, (col.type.kind.value,), Origin.DECLARED, "type", col.name)


def _max_length(col: Column, facts: list[CheckFact], dialect: str) -> Iterator[Constraint]:
    t, found = col.type, []
    if t.kind is Kind.STRING and t.length:
        found.append((t.length, _prov(Origin.DECLARED, "type-length", col.name)))
    base = t.raw.strip().lower().split("(")[0].strip()
    if t.kind is Kind.TEXT and dialect == "mysql" and base in _MYSQL_TEXT:
        found.append((_MYSQL_TEXT[base], _prov(Origin.DECLARED, "type-length", col.name)))
    found += [(int(f.values[0]), _prov(Origin.DECLARED, "check-length", col.name))
              for f in facts if f.kind == "max_length"]
    if t.kind in _TEXTUAL and found:
        length, prov = min(found, key=lambda x: x[0])
        yield Constraint(K.MAX_LENGTH, (str(length),), prov)


def _type_bounds(col: Column, dialect: str) -> tuple[list[Bound], list[Bound]]:
    t, prov = col.type, _prov(Origin.DECLARED, "type-range", col.name)
    lows: list[Bound] = []
    highs: list[Bound] = []
    if t.kind is Kind.INTEGER and dialect == "mysql" and t.raw.strip().lower() == "year":
        # https://dev.mysql.com/doc/refman/8.0/en/year.html (0000 aside)
        lows.append((Decimal(1901), prov))
        highs.append((Decimal(2155), prov))
    elif t.kind is Kind.INTEGER and t.bits:
        span = 2 ** t.bits
        low, high = (0, span - 1) if t.unsigned else (-span // 2, span // 2 - 1)
        lows.append((Decimal(low), prov))
        highs.append((Decimal(high), prov))
    elif t.kind is Kind.DECIMAL and t.precision is not None:
        scale = t.scale or 0
        top = Decimal(10) ** (t.precision - scale) - Decimal(10) ** -scale
        lows.append((Decimal(0) if t.unsigned else -top, prov))
        highs.append((top, prov))
    elif t.unsigned and t.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
        lows.append((Decimal(0), prov))
    return lows, highs


def _check_bounds(col: Column, facts: list[CheckFact]) -> tuple[list[Bound], list[Bound]]:
    prov = _prov(Origin.DECLARED, "check-range", col.name)
    integral = col.type.kind is Kind.INTEGER
    lows: list[Bound] = []
    highs: list[Bound] = []
    for f in facts:
        value = Decimal(f.values[0]) if f.values and f.kind in ("min", "max", "gt", "lt") \
            else None
        if value is None or (not integral and f.kind in ("gt", "lt")):
            continue  # a strict bound on a non-integer has no inclusive equivalent
        if f.kind in ("min", "gt"):
            lows.append((value + (1 if f.kind == "gt" else 0), prov))
        else:
            highs.append((value - (1 if f.kind == "lt" else 0), prov))
    return lows, highs


def _range(col: Column, facts: list[CheckFact], dialect: str) -> Iterator[Constraint]:
    if col.cast is not None and col.cast.kind is CastKind.BOOLEAN:
        return
    if col.type.kind not in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT):
        return
    type_lows, type_highs = _type_bounds(col, dialect)
    check_lows, check_highs = _check_bounds(col, facts)
    # Checks first so that, on a tie, the declared CHECK is what the rule rests on.
    lows, highs = check_lows + type_lows, check_highs + type_highs
    if lows:
        value, prov = max(lows, key=lambda b: b[0])
        yield Constraint(K.MIN, (_num(value),), prov)
    if highs:
        value, prov = min(highs, key=lambda b: b[0])
        yield Constraint(K.MAX, (_num(value),), prov)


def _allowed(col: Column, facts: list[CheckFact]) -> Iterator[Constraint]:
    t = col.type
    if t.kind is Kind.ENUM and t.values and not t.multiple:
        yield _c(K.IN, t.values, Origin.DECLARED, "enum-values", col.name)
        return
    boolean = col.cast is not None and col.cast.kind is CastKind.BOOLEAN
    for f in facts:
        if f.kind == "in" and not (boolean and set(f.values) <= {"0", "1"}):
            yield _c(K.IN, f.values, Origin.DECLARED, "check-in", col.name)


def _unique_columns(table: Table, auto: frozenset[str]) -> dict[str, Provenance]:
    """Columns unique on their own: full single-column unique indexes, else the key."""
    out: dict[str, Provenance] = {}
    for ix in table.indexes:
        if ix.unique and ix.where is None and len(ix.columns) == 1:
            basis = (ix.name,) if ix.name else ix.columns
            out.setdefault(ix.columns[0], _prov(Origin.DECLARED, "unique-index", *basis))
    pk = table.primary_key.columns if table.primary_key else ()
    if len(pk) == 1 and pk[0] not in auto:
        out.setdefault(pk[0], _prov(Origin.DECLARED, "unique-key", pk[0]))
    return out


def _inferred_by_table(schema: Schema) -> dict[str, list[Relation]]:
    """Inferred single-column many-to-one / one-to-one edges by owning table (built once:
    scanning every relation per table would be quadratic)."""
    out: dict[str, list[Relation]] = {}
    for rel in schema.relations:
        if rel.ref_table is None or len(rel.columns) != 1 or len(rel.ref_columns) != 1 \
                or rel.kind not in (RelationKind.MANY_TO_ONE, RelationKind.ONE_TO_ONE) \
                or rel.provenance is None or rel.provenance.origin is not Origin.INFERRED:
            continue
        out.setdefault(rel.table, []).append(rel)
    return out


def _exists_targets(table: Table, inferred: list[Relation]
                    ) -> dict[str, tuple[tuple[tuple[str, str], Provenance], ...]]:
    """column -> ((ref table, ref column), provenance)...: declared FKs, then inferred ones."""
    out: dict[str, tuple] = {}
    for fk in table.foreign_keys:
        if len(fk.columns) == 1 and len(fk.ref_columns) == 1:
            entry = _target(fk.ref_table, fk.ref_columns[0], Origin.DECLARED, "fk-declared",
                            fk.columns[0])
            out[fk.columns[0]] = out[fk.columns[0]] + entry if fk.columns[0] in out else entry
    for rel in inferred:
        entry = _target(rel.ref_table, rel.ref_columns[0], Origin.INFERRED, rel.provenance.rule,
                        rel.columns[0])
        out[rel.columns[0]] = out[rel.columns[0]] + entry if rel.columns[0] in out else entry
    return out


@lru_cache(maxsize=65536)
def _target(ref_table: str, ref_column: str, origin: Origin, rule: str,
            column: str) -> tuple[tuple[tuple[str, str], Provenance]]:
    """One exists target, as a shared one-entry tuple: ``user_id -> users.id`` recurs
    in table after table, and :func:`_validated` memoizes on the tuple's identity."""
    return (((ref_table, ref_column), _prov(origin, rule, column)),)


def _format_of(col: Column) -> tuple[str, Origin] | None:
    t, name = col.type, col.name.lower()
    if t.kind is Kind.UUID:
        return "uuid", Origin.DECLARED
    if t.raw.strip().lower() == "inet":
        return "ip", Origin.DECLARED
    if t.kind not in _TEXTUAL:
        return None
    for fmt, hit in (("email", name == "email" or name.endswith("_email")),
                     ("url", name in _URL_NAMES or name.endswith("_url")),
                     ("uuid", name == "uuid" or name.endswith("_uuid")),
                     ("ulid", name == "ulid" or name.endswith("_ulid")),
                     ("ip", name in _IP_NAMES or name.endswith("_ip"))):
        if hit:
            return fmt, Origin.INFERRED
    return None


def _format(col: Column) -> Iterator[Constraint]:
    found = _format_of(col)
    if found is not None:
        rule = "format-by-type" if found[1] is Origin.DECLARED else "format-by-name"
        yield _c(K.FORMAT, (found[0],), found[1], rule, col.name)


# -- assembly ---------------------------------------------------------------------------

def _ordered(constraints) -> tuple[Constraint, ...]:
    """One constraint per (kind, args), the first found winning, in kind order."""
    seen: dict[tuple, Constraint] = {}
    for c in constraints:
        seen.setdefault((c.kind, c.args), c)
    return tuple(sorted(seen.values(), key=lambda c: (_ORDER[c.kind], c.args)))


def _own_constraints(col: Column, facts: tuple[CheckFact, ...], dialect: str,
                     memo: dict) -> tuple[Constraint, ...]:
    """The constraints that rest on the column alone, in found order.  They read only
    the fields in the key, so columns that differ elsewhere (an enum cast naming its
    table) share them; a large schema repeats ``name varchar(255) not null`` in table
    after table."""
    key = (col.name, col.type, col.nullable, col.default,
           col.cast.kind if col.cast is not None else None, facts)
    if key not in memo:
        memo[key] = (*_presence(col), *_type(col), *_max_length(col, facts, dialect),
                     *_range(col, facts, dialect), *_allowed(col, facts), *_format(col))
    return memo[key]


def _with_constraints(col: Column, found: tuple[Constraint, ...]) -> Column:
    return col if found == col.constraints else evolve(col, constraints=found)


def _validated(table: Table, col: Column, ctx: dict, rules_off: frozenset[str]) -> Column:
    """``col`` with its constraints; memoized per column object and what the table
    adds to it (a large schema shares Column objects across tables: ``user_id``
    referencing users.id in table after table)."""
    facts = tuple(f for f in ctx["facts"] if f.column == col.name) if ctx["facts"] else ()
    exists = ctx["exists"].get(col.name, ())
    unique = ctx["unique"].get(col.name)
    # Keyed on identities (hashing provenances is slow): the hit keeps col, exists
    # and unique alive, so no other object can take their ids while the memo lives.
    key = (id(col), facts, id(exists), None if unique is None else (table.name, id(unique)))
    hit = ctx["memo"].get(key)
    if hit is None:
        hit = ctx["memo"][key] = (_validate(table, col, ctx, rules_off, facts, exists, unique),
                                  col, exists, unique)
    return hit[0]


def _validate(table: Table, col: Column, ctx: dict, rules_off: frozenset[str],
              facts: tuple[CheckFact, ...], exists: tuple, unique: Provenance | None) -> Column:
    own = _own_constraints(col, facts, ctx["dialect"], ctx["own"])
    extra = [_exists(target, prov) for target, prov in exists]
    if unique is not None:
        extra.insert(0, Constraint(K.UNIQUE, (table.name, col.name), unique))
    found = _ordered(own + tuple(extra))
    if rules_off:
        found = tuple(c for c in found
                      if c.provenance is None or c.provenance.rule not in rules_off)
    return _with_constraints(col, found)


@lru_cache(maxsize=65536)
def _exists(target: tuple[str, str], prov: Provenance) -> Constraint:
    return Constraint(K.EXISTS, target, prov)  # shared: the same key recurs across tables


def _validate_table(table: Table, schema: Schema, rules_off: frozenset[str],
                    inferred: dict[str, list[Relation]], memo: dict, own: dict) -> Table:
    stamps = timestamp_columns(table)
    auto = _filled_by_orm(table, schema.dialect, stamps)
    ctx = {"dialect": schema.dialect, "unique": _unique_columns(table, auto),
           "exists": _exists_targets(table, inferred.get(table.name, [])),
           "facts": [f for ch in table.checks for f in check_facts(ch, schema.dialect)],
           "memo": memo, "own": own}
    if ctx["facts"]:
        columns = [_with_constraints(col, ()) if col.name in auto
                   else _validated(table, col, ctx, rules_off) for col in table.columns]
    else:
        columns = _validated_plain(table, auto, ctx, rules_off)
    if all(new is old for new, old in zip(columns, table.columns)):
        return table
    return evolve(table, columns=columns)


def _validated_plain(table: Table, auto: frozenset[str], ctx: dict,
                     rules_off: frozenset[str]) -> list[Column]:
    """:func:`_validated` over a table without CHECK facts, inlined: nine tables in ten
    have none, and the per-column calls were a fifth of the pass (same memo keys)."""
    exists_of, unique_of, memo = ctx["exists"], ctx["unique"], ctx["memo"]
    columns = []
    for col in table.columns:
        name = col.name
        if name in auto:
            columns.append(col if not col.constraints else evolve(col, constraints=()))
            continue
        exists = exists_of.get(name, ())
        unique = unique_of.get(name)
        key = (id(col), (), id(exists), None if unique is None else (table.name, id(unique)))
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = (_validate(table, col, ctx, rules_off, (), exists, unique),
                               col, exists, unique)
        columns.append(hit[0])
    return columns


def infer_validation(schema: Schema, options: AnalysisOptions = AnalysisOptions()) -> Schema:
    """Set ``Column.constraints`` on every column that takes input.

    ``users(id integer primary key autoincrement, email varchar(255) not null unique,
    team_id integer references teams(id))`` -> ``id``: none; ``email``: required,
    type string, max_length 255, unique (users, email), format email; ``team_id``:
    nullable, type integer, exists (teams, id).
    """
    inferred, memo, own = _inferred_by_table(schema), {}, {}
    return schema.replace_tables(
        _validate_table(t, schema, options.rules_off, inferred, memo, own)
        for t in schema.tables)
