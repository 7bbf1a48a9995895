"""IR tests: JSON round trip and byte stability, invariant checks, per-fixture IR goldens."""

from __future__ import annotations

import enum
from pathlib import Path

import attrs
import pytest
from conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ir
from compiler.frontends import load
from ir import (
    Action,
    Cast,
    Check,
    Column,
    Constraint,
    Default,
    Diagnostic,
    ForeignKey,
    Generated,
    Index,
    IndexPart,
    Morph,
    Pivot,
    PrimaryKey,
    Provenance,
    Relation,
    Schema,
    Span,
    Table,
    TableConventions,
    Through,
    Type,
)
from ir.check import check_schema
from ir.serialize import from_json, to_json

PROV = Provenance("inferred", "fk-by-name", ("posts.user_id",))


def kitchen_sink() -> Schema:
    """One schema that sets every field of every IR class to a non-default value."""
    users = Table(
        "users",
        [Column("id", Type("integer", "bigint unsigned", bits=64, unsigned=True), nullable=False,
                autoincrement=True, comment="surrogate key"),
         Column("email", Type("string", "varchar(255)", length=255), nullable=False,
                constraints=[Constraint("format", ("email",), PROV),
                             Constraint("max_length", ("255",))]),
         Column("code", Type("string", "char(3)", length=3, fixed=True), default=Default("string", "a'b")),
         Column("balance", Type("decimal", "decimal(8,2)", precision=8, scale=2),
                default=Default("number", "-1.5"), cast=Cast("decimal", "2", PROV)),
         Column("ratio", Type("float", "double", precision=53), default=Default("null")),
         Column("active", Type("boolean", "tinyint(1)"), default=Default("boolean", "true"),
                cast=Cast("boolean")),
         Column("seen_at", Type("datetime", "timestamptz(3)", precision=3, timezone=True),
                default=Default("expression", "CURRENT_TIMESTAMP")),
         Column("role", Type("enum", "enum('a','b')", values=("a", "b"))),
         Column("flags", Type("enum", "set('x','y')", values=("x", "y"), multiple=True)),
         Column("full", Type("text", "text"), generated=Generated("email || code", stored=True),
                hidden=True),
         Column("weird", Type("unknown", "BLOB SUB_TYPE TEXT")),
         Column("owner_type", Type("string", "varchar"), samples=("App\\Models\\Post", "post"))],
        primary_key=PrimaryKey(["id"], name="users_pk"),
        indexes=[Index("users_email_unique", [IndexPart("email")], unique=True, constraint=True),
                 Index("users_lower", [IndexPart(expression="lower(email)", descending=True)],
                       unique=True, where="active = 1")],
        checks=[Check("balance >= 0", name="positive", columns=("balance",))],
        comment="people", schema="public", without_rowid=True, strict=True,
        conventions=TableConventions(
            model="User", framework=True, pivot=True, created_at="created", updated_at="updated",
            deleted_at="deleted", key=("id",), key_type="int", key_format="uuid",
            incrementing=True, remember_token="remember_token", morphs=("owner",),
            provenance=(PROV,)))
    posts = Table(
        "posts",
        [Column("id", Type("integer")), Column("user_id", Type("integer", bits=32)),
         Column("owner_type", Type("string")), Column("owner_id", Type("integer"))],
        primary_key=PrimaryKey(["id"]),
        foreign_keys=[ForeignKey(["user_id"], "users", ["id"], name="fk_user",
                                 on_delete="set null", on_update=Action.CASCADE)],
        partition_of="users", inherits=("users",))
    relations = sorted([
        Relation("many_to_one", "posts", ["user_id"], "users", ["id"], name="user",
                 inverse_name="posts", provenance=Provenance("declared", "fk-declared")),
        Relation("many_to_many", "users", ["id"], "users", ["id"], name="friends",
                 inverse_name="friends_of",
                 pivot=Pivot("posts", ["user_id"], ["owner_id"], ["owner_type"], timestamps=True,
                             entity=True), provenance=PROV),
        Relation("morph_to", "posts", ["owner_id"], None, [], name="owner",
                 morph=Morph("owner", "owner_type", "owner_id", type_value="post")),
        Relation("has_many_through", "users", ["id"], "users", ["id"], name="reach",
                 through=Through("posts", "user_id", "owner_id")),
    ], key=lambda r: r.sort_key())
    diags = [Diagnostic("parse-error", "error", "bad", Span("a.sql", 3, 7), "users", "email"),
             ir.diagnostics.skipped_statement("CREATE VIEW skipped", table="v")]
    return Schema([users, posts], dialect="mysql", source="db/schema.mysql.sql",
                  relations=relations, diagnostics=diags)


IR_CLASSES = [getattr(ir, n) for n in ir.__all__
              if isinstance(getattr(ir, n), type) and attrs.has(getattr(ir, n))]


def _set_fields(obj, seen: set) -> None:
    """Record (class, field) for every field holding a non-default value, recursively."""
    if attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            if not f.init:
                continue
            value = getattr(obj, f.name)
            if f.default is attrs.NOTHING or value != f.default:
                seen.add((type(obj).__name__, f.name))
            _set_fields(value, seen)
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            _set_fields(x, seen)


def test_kitchen_sink_covers_every_field():
    seen: set = set()
    _set_fields(kitchen_sink(), seen)
    wanted = {(c.__name__, f.name) for c in IR_CLASSES for f in attrs.fields(c)
              if f.init and f.metadata.get("json") is not False}  # spans: not serialized
    assert wanted - seen == set()


def test_round_trip_kitchen_sink():
    s = kitchen_sink()
    text = to_json(s)
    back = from_json(text)
    assert back == s
    assert to_json(back) == text
    # Spans compare equal by design, so check the diagnostic span survived explicitly.
    assert back.diagnostics[0].span == Span("a.sql", 3, 7)
    assert back.tables[0].columns[3].type.scale == 2


def test_kitchen_sink_json_golden(golden):
    """The JSON form is the schema snapshot users diff: any change to it must be deliberate."""
    assert to_json(kitchen_sink()) == golden


def test_json_top_level_and_defaults_left_out():
    text = to_json(Schema([Table("t", [Column("a", Type("text"))])]))
    assert text == (
        '{\n  "format": 1,\n  "dialect": "sqlite",\n  "source": null,\n  "tables": [\n'
        '    {\n      "name": "t",\n      "columns": [\n'
        '        {\n          "name": "a",\n          "type": {"kind": "text"}\n        }\n'
        '      ],\n'
        '      "primary_key": null,\n      "foreign_keys": [],\n      "indexes": [],\n'
        '      "checks": []\n    }\n  ],\n  "relations": [],\n  "diagnostics": []\n}\n')


def test_node_spans_are_not_serialized():
    col = Column("a", Type("text"), span=Span("x.sql", 1, 2))
    s = Schema([Table("t", [col], span=Span("x.sql", 1, 1))])
    assert "x.sql" not in to_json(s)


def test_from_json_rejects_other_format():
    with pytest.raises(ValueError, match="format"):
        from_json('{"format": 2, "dialect": "sqlite", "source": null, "tables": []}')


# --- hypothesis: the round trip holds for any IR ------------------------------------------

names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=6)
opt_names = st.none() | names
texts = st.text(max_size=8)
name_tuples = st.lists(names, max_size=3).map(tuple)


def _enum(e: type[enum.Enum]):
    return st.sampled_from(list(e))


types_ = st.builds(Type, kind=_enum(ir.Kind), raw=texts, bits=st.none() | st.integers(1, 64),
                   unsigned=st.booleans(), length=st.none() | st.integers(0, 10**6),
                   fixed=st.booleans(), precision=st.none() | st.integers(0, 65),
                   scale=st.none() | st.integers(-5, 30), timezone=st.booleans(),
                   values=name_tuples, multiple=st.booleans())
provs = st.none() | st.builds(Provenance, _enum(ir.Origin), names, name_tuples)
columns = st.builds(
    Column, name=names, type=types_, nullable=st.booleans(),
    default=st.none() | st.builds(Default, _enum(ir.DefaultKind), texts),
    autoincrement=st.booleans(),
    generated=st.none() | st.builds(Generated, texts, st.booleans()),
    hidden=st.booleans(), comment=st.none() | texts, samples=name_tuples,
    cast=st.none() | st.builds(Cast, _enum(ir.CastKind), opt_names, provs),
    constraints=st.lists(st.builds(Constraint, _enum(ir.ConstraintKind), name_tuples, provs),
                         max_size=2))
actions = st.none() | _enum(Action)
tables = st.builds(
    Table, name=names, columns=st.lists(columns, max_size=3),
    primary_key=st.none() | st.builds(PrimaryKey, name_tuples, opt_names),
    foreign_keys=st.lists(st.builds(ForeignKey, name_tuples, names, name_tuples, opt_names,
                                    actions, actions), max_size=2),
    indexes=st.lists(st.builds(
        Index, opt_names,
        st.lists(st.builds(IndexPart, opt_names, st.none() | texts, st.booleans()), max_size=2),
        st.booleans(), st.none() | texts, st.booleans()), max_size=2),
    checks=st.lists(st.builds(Check, texts, opt_names, name_tuples), max_size=2),
    comment=st.none() | texts, schema=opt_names, without_rowid=st.booleans(),
    strict=st.booleans(), partition_of=opt_names, inherits=name_tuples,
    conventions=st.none() | st.builds(
        TableConventions, model=opt_names, framework=st.booleans(), pivot=st.booleans(),
        deleted_at=opt_names, key=name_tuples, key_type=opt_names, incrementing=st.booleans(),
        morphs=name_tuples, provenance=st.lists(provs.filter(bool), max_size=2).map(tuple)))
relations = st.builds(
    Relation, _enum(ir.RelationKind), names, name_tuples, opt_names, name_tuples,
    opt_names, opt_names,
    st.none() | st.builds(Pivot, names, name_tuples, name_tuples, name_tuples, st.booleans(),
                          st.booleans()),
    st.none() | st.builds(Morph, names, names, names, opt_names),
    st.none() | st.builds(Through, names, names, names), provs)
diagnostics = st.builds(
    Diagnostic, names, _enum(ir.Severity), texts,
    st.none() | st.builds(Span, opt_names, st.none() | st.integers(0, 10**6),
                          st.none() | st.integers(0, 999)), opt_names, opt_names)
schemas = st.builds(Schema, tables=st.lists(tables, max_size=3),
                    dialect=st.sampled_from(["sqlite", "mysql", "postgres"]),
                    source=st.none() | texts, relations=st.lists(relations, max_size=2),
                    diagnostics=st.lists(diagnostics, max_size=2))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas)
def test_round_trip_property(schema):
    text = to_json(schema)
    back = from_json(text)
    assert back == schema
    assert to_json(back) == text


# --- ir.check.check_schema ------------------------------------------------------------------

def _users_posts(**posts_kw) -> Schema:
    users = Table("users", [Column("id", Type("integer"))], primary_key=PrimaryKey(["id"]))
    cols = posts_kw.pop("columns", [Column("id", Type("integer")),
                                    Column("user_id", Type("integer"))])
    return Schema([users, Table("posts", cols, **posts_kw)])


def _rel(**kw) -> Relation:
    base = {"kind": "many_to_one", "table": "posts", "columns": ["user_id"],
            "ref_table": "users", "ref_columns": ["id"], "name": "user", "inverse_name": "posts"}
    return Relation(**{**base, **kw})


def test_check_accepts_well_formed():
    fk = ForeignKey(["user_id"], "users", ["id"])
    s = _users_posts(foreign_keys=[fk], primary_key=PrimaryKey(["id"]))
    assert check_schema(attrs.evolve(s, relations=[_rel()])) == []
    assert check_schema(kitchen_sink()) == []


@pytest.mark.parametrize("schema, expected", [
    (_users_posts(foreign_keys=[ForeignKey(["user_id"], "people", ["id"])]),
     "FK to missing table 'people'"),
    (_users_posts(foreign_keys=[ForeignKey(["user_id"], "users", ["uid"])]),
     "FK to missing column users.uid"),
    (_users_posts(foreign_keys=[ForeignKey(["author_id"], "users", ["id"])]),
     "FK column 'author_id' missing"),
    (_users_posts(foreign_keys=[ForeignKey(["user_id", "id"], "users", ["id"])]),
     "arity mismatch"),
    (_users_posts(columns=[Column("id", Type("integer")), Column("id", Type("text"))]),
     "duplicate column 'id'"),
    (_users_posts(primary_key=PrimaryKey(["uuid"])), "primary key column 'uuid' missing"),
    (_users_posts(columns=[]), "posts: no columns"),
    (_users_posts(indexes=[Index("i", [IndexPart("nope")])]), "on missing column 'nope'"),
    (_users_posts(indexes=[Index("i", [IndexPart("id")]), Index("i", [IndexPart("user_id")])]),
     "duplicate index name 'i'"),
], ids=["fk-table", "fk-ref-column", "fk-column", "fk-arity", "dup-column", "pk-column",
        "no-columns", "index-column", "dup-index"])
def test_check_table_violations(schema, expected):
    errs = check_schema(schema)
    assert len(errs) == 1 and expected in errs[0], errs


def test_check_duplicate_tables():
    t = Table("t", [Column("a", Type("text"))])
    assert check_schema(Schema([t, t])) == ["duplicate table 't'"]


@pytest.mark.parametrize("relations, expected", [
    ([_rel(name=None)], "both sides must be named"),
    ([_rel(inverse_name=None)], "both sides must be named"),
    ([_rel(ref_table="people")], "missing ref table 'people'"),
    ([_rel(kind="morph_to", ref_table=None, ref_columns=[])], "morph_to without morph columns"),
    ([_rel(kind="many_to_many", pivot=Pivot("nope", ["a"], ["b"]))], "missing pivot 'nope'"),
    ([_rel(table="users", columns=["id"], ref_table="posts"), _rel()],
     "relations are not sorted"),
], ids=["unnamed", "unnamed-inverse", "ref-table", "morph", "pivot", "unsorted"])
def test_check_relation_violations(relations, expected):
    errs = check_schema(attrs.evolve(_users_posts(), relations=relations))
    assert any(expected in e for e in errs), errs


# --- the IR each frontend builds from the real fixtures (reviewed goldens) -------------------

ROOT = Path(__file__).parent.parent
ALL_FIXTURES = FIXTURES + LARAVEL_FIXTURES


def _load_fixture(name: str, monkeypatch) -> Schema:
    # Relative path from the repo root: the JSON keeps paths as given, goldens stay portable.
    monkeypatch.chdir(ROOT)
    return load(str(fixture_path(name).relative_to(ROOT)))


@pytest.mark.parametrize("fixture", ALL_FIXTURES)
def test_fixture_ir_golden(fixture, golden, monkeypatch):
    assert to_json(_load_fixture(fixture, monkeypatch)) == golden(name=fixture)


@pytest.mark.parametrize("fixture", ALL_FIXTURES)
def test_fixture_ir_is_well_formed(fixture, monkeypatch):
    schema = _load_fixture(fixture, monkeypatch)
    assert check_schema(schema) == []
    assert from_json(to_json(schema)) == schema
