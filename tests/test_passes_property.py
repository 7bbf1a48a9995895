"""Property tests of the whole pass pipeline on random Laravel-shaped schemas: it never
crashes, keeps the IR invariants, names every relation end uniquely and safely, and is
deterministic."""

from __future__ import annotations

import os
import random

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.options import AnalysisOptions
from compiler.passes.naming import ends
from compiler.passes.reserved import RESERVED_LOWER
from compiler.passes.stems import singular_snake
from compiler.pipeline import compile_schema
from ir.check import check_schema
from ir.model import Column, Index, IndexPart, PrimaryKey, Schema, Table
from ir.naming import camel, plural
from ir.serialize import to_json
from ir.types import Kind, Type

# Regular and irregular nouns, and words whose relation stems are reserved or odd.
WORDS = ["user", "post", "person", "child", "category", "company", "address", "status",
         "mouse", "tag", "order", "item", "box", "leaf", "analysis", "wife", "hero", "quiz",
         "news", "sheep", "index", "matrix", "bus", "tooth", "goose", "criterion", "medium",
         "query", "save", "list", "class", "parent", "author", "update", "model", "key"]
PREFIXES = ["", "", "", "shop_", "blog_"]
# Data columns, some chosen to collide with relation stems.
DATA = ["name", "title", "body", "status", "author", "posts", "users", "orderItems", "tags",
        "parent", "query", "user", "items", "children", "created_at", "updated_at",
        "deleted_at", "qty"]
ROLES = ["author_id", "owner_id", "parent_id", "created_by", "sender_id", "recipient_id"]

INT = Type(Kind.INTEGER, raw="integer")
UUID = Type(Kind.UUID, raw="char(36)", length=36, fixed=True)
TEXT = Type(Kind.STRING, raw="varchar")
STAMP = Type(Kind.DATETIME, raw="datetime")


def _type(name: str) -> Type:
    return STAMP if name.endswith("_at") else TEXT


@st.composite
def schemas(draw):
    n = draw(st.integers(1, 7))
    names: list[str] = []
    for _ in range(n):
        word = draw(st.sampled_from(WORDS))
        name = draw(st.sampled_from(PREFIXES)) + draw(st.sampled_from([plural(word), word]))
        if name not in names:
            names.append(name)
    # pivot-ish tables over two existing tables (maybe the same one), named a_b
    pivots: dict[str, list[str]] = {}
    for _ in range(draw(st.integers(0, 3))):
        a, b = singular_snake(draw(st.sampled_from(names))), singular_snake(
            draw(st.sampled_from(names)))
        name = f"{a}_{b}"
        if name not in names:
            names.append(name)
            pivots[name] = [a] if a == b else [a, b]
    singulars = WORDS + [singular_snake(t) for t in names]
    tables = []
    for name in names:
        uuid = draw(st.booleans()) and draw(st.booleans())
        cols = [Column("id", UUID if uuid else INT, nullable=False, autoincrement=not uuid)]
        keys = pivots.get(name, []) + draw(st.lists(st.sampled_from(singulars), max_size=2))
        extra = draw(st.lists(st.sampled_from(DATA + ROLES), max_size=4))
        morphs = draw(st.lists(st.sampled_from(["commentable", "taggable", "owner", "model"]),
                               max_size=1)) if draw(st.booleans()) else []
        for k in keys:
            cols.append(Column(f"{k}_id", INT))
        for c in extra:
            cols.append(Column(c, INT if c in ROLES else _type(c)))
        for m in morphs:
            cols += [Column(f"{m}_type", TEXT), Column(f"{m}_id", INT)]
        seen: set[str] = set()
        cols = [c for c in cols if not (c.name in seen or seen.add(c.name))]
        indexes = []
        if name in pivots and draw(st.booleans()):
            indexes.append(Index(f"{name}_pair", [IndexPart(f"{k}_id") for k in pivots[name]],
                                 unique=True))
        elif len(cols) > 2 and draw(st.booleans()):
            picked = draw(st.lists(st.sampled_from([c.name for c in cols[1:]]), min_size=1,
                                   max_size=2, unique=True))
            indexes.append(Index(f"{name}_u", [IndexPart(c) for c in picked], unique=True))
        tables.append(Table(name, cols, primary_key=PrimaryKey(["id"]), indexes=indexes))
    targets = {}
    for t in tables:
        for c in t.columns:
            if c.name.endswith("_type") and draw(st.booleans()):
                targets[f"{t.name}.{c.name[:-5]}"] = tuple(
                    draw(st.lists(st.sampled_from(names), max_size=2, unique=True)))
    return Schema(tables), AnalysisOptions(morph_targets=targets)


def _names_by_table(schema: Schema) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in schema.relations:
        for table, side, _cls in ends(r):
            out.setdefault(table, []).append(r.name if side == "name" else r.inverse_name)
    return out


def _own_key_names(schema: Schema) -> set[tuple[str, str]]:
    """belongsTo ends named after their own non-_id key column (``config_from``): the
    one documented exception to "never equal to a column" (compiler/passes/naming.py)."""
    return {(r.table, r.name) for r in schema.relations
            if r.kind.value in ("many_to_one", "one_to_one") and r.columns == (r.name,)}


# Kept small for the normal run; SCHEMAC_PROPERTY_EXAMPLES=1500 searches deeper (passes, ~100 s).
EXAMPLES = int(os.environ.get("SCHEMAC_PROPERTY_EXAMPLES", "80"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(schemas())
def test_pipeline_is_sound(case):
    schema, options = case
    out = compile_schema(schema, options=options)
    assert check_schema(out) == []
    for table, names in _names_by_table(out).items():
        assert len(names) == len(set(names)), (table, names)
        columns = set(out.table(table).column_names)
        for n in names:
            if (table, n) in _own_key_names(out):
                continue
            assert camel(n) not in columns, (table, n)
            assert "_" in n or n not in columns, (table, n)
            assert n.lower() not in RESERVED_LOWER and camel(n).lower() not in RESERVED_LOWER


@SETTINGS
@given(schemas())
def test_pipeline_is_deterministic(case):
    schema, options = case
    assert to_json(compile_schema(schema, options=options)) == \
        to_json(compile_schema(schema, options=options))


def _relation_names(schema: Schema) -> set[tuple]:
    return {(r.kind.value, r.table, r.columns, r.ref_table, r.name, r.inverse_name)
            for r in schema.relations}


@SETTINGS
@given(schemas(), st.randoms(use_true_random=False))
def test_table_order_does_not_change_names(case, rnd: random.Random):
    schema, options = case
    shuffled = list(schema.tables)
    rnd.shuffle(shuffled)
    a = compile_schema(schema, options=options)
    b = compile_schema(attrs.evolve(schema, tables=shuffled), options=options)
    assert _relation_names(a) == _relation_names(b)
