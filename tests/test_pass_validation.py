"""infer_validation on tiny inline schemas: one rule per test, positive and negative."""

from __future__ import annotations

import pytest

from compiler.frontends import load
from compiler.options import AnalysisOptions
from compiler.passes.casts import infer_casts
from compiler.passes.conventions import detect_conventions
from compiler.passes.validation import infer_validation
from compiler.pipeline import compile_schema
from ir.check import check_schema
from ir.model import (
    Check,
    Column,
    Default,
    ForeignKey,
    Generated,
    Index,
    IndexPart,
    PrimaryKey,
    Schema,
    Table,
)
from ir.relations import Relation
from ir.rules import ConstraintKind, Origin, Provenance, TableConventions
from ir.serialize import to_json
from ir.types import Kind, Type
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path

K = ConstraintKind
ID = Column("id", Type(Kind.INTEGER, raw="integer"), nullable=False, autoincrement=True)


def col(name, kind=Kind.STRING, raw="", nullable=True, default=None, **type_args):
    dflt = Default("string", default) if default is not None else None
    return Column(name, Type(kind, raw=raw or kind.value, **type_args), nullable=nullable,
                  default=dflt)


def table(name, *columns, pk=("id",), **kw):
    return Table(name, (ID, *columns) if pk == ("id",) else columns,
                 primary_key=PrimaryKey(pk) if pk else None, **kw)


def run(*tables, relations=(), dialect="sqlite", options=None):
    schema = Schema(tables, dialect=dialect, relations=relations)
    out = infer_validation(infer_casts(schema), options=options or AnalysisOptions())
    assert check_schema(out) == []
    return out


def rules(schema, column, tbl="items"):
    return [(c.kind.value, *c.args) for c in schema.table(tbl).column(column).constraints]


def one(*columns, **kw):
    return run(table("items", *columns, **kw.pop("table_kw", {})), **kw)


# -- presence ------------------------------------------------------------------------------

def test_presence():
    s = one(col("name", nullable=False), col("nick"), col("role", nullable=False, default="x"))
    assert rules(s, "name")[:1] == [("required",)]
    assert rules(s, "nick")[:1] == [("nullable",)]
    # NOT NULL with a default: neither (may be left out; null fails the type rule).
    assert rules(s, "role") == [("type", "string")]


# -- type, date ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind, expected", [
    (Kind.INTEGER, [("type", "integer")]), (Kind.DECIMAL, [("type", "numeric")]),
    (Kind.FLOAT, [("type", "numeric")]), (Kind.BOOLEAN, [("type", "boolean")]),
    (Kind.TEXT, [("type", "string")]), (Kind.JSON, [("type", "json")]),
    (Kind.DATE, [("date", "date")]), (Kind.DATETIME, [("date", "datetime")]),
    (Kind.BINARY, [])])
def test_type(kind, expected):
    assert rules(one(col("v", kind, nullable=False, default="0")), "v") == expected


def test_type_follows_the_cast():
    s = one(col("is_done", Kind.INTEGER), col("settings", Kind.TEXT))
    assert rules(s, "is_done") == [("nullable",), ("type", "boolean")]  # no 0..255 range either
    assert rules(s, "settings") == [("nullable",), ("type", "json")]


# -- max length ----------------------------------------------------------------------------

def test_max_length():
    s = one(col("code", length=12), col("free"),
            col("short", length=100), table_kw={"checks": (
                Check("length(short) <= 20", columns=("short",)),)})
    assert ("max_length", "12") in rules(s, "code")
    assert not any(r[0] == "max_length" for r in rules(s, "free"))
    assert ("max_length", "20") in rules(s, "short")  # the tighter CHECK wins


def test_mysql_text_capacity_only_when_known():
    t = table("items", col("body", Kind.TEXT, raw="text"), col("huge", Kind.TEXT, raw="longtext"))
    assert ("max_length", "65535") in rules(run(t, dialect="mysql"), "body")
    assert not any(r[0] == "max_length" for r in rules(run(t, dialect="mysql"), "huge"))
    assert not any(r[0] == "max_length" for r in rules(run(t, dialect="sqlite"), "body"))


# -- numeric range -------------------------------------------------------------------------

def test_integer_width_and_unsigned():
    s = one(col("a", Kind.INTEGER, bits=8), col("b", Kind.INTEGER, bits=16, unsigned=True),
            col("c", Kind.INTEGER), col("d", Kind.FLOAT, unsigned=True))
    assert [r for r in rules(s, "a") if r[0] in ("min", "max")] == [("min", "-128"), ("max", "127")]
    assert [r for r in rules(s, "b") if r[0] in ("min", "max")] == [("min", "0"), ("max", "65535")]
    assert [r for r in rules(s, "c") if r[0] in ("min", "max")] == []
    assert [r for r in rules(s, "d") if r[0] in ("min", "max")] == [("min", "0")]


def test_mysql_year():
    t = table("films", col("release_year", Kind.INTEGER, raw="year", bits=16))
    assert [r for r in rules(run(t, dialect="mysql"), "release_year", "films")
            if r[0] in ("min", "max")] == [("min", "1901"), ("max", "2155")]


def test_decimal_bounds():
    s = one(col("price", Kind.DECIMAL, precision=8, scale=2),
            col("qty", Kind.DECIMAL, precision=5, scale=0, unsigned=True),
            col("loose", Kind.DECIMAL))
    assert [r for r in rules(s, "price") if r[0] in ("min", "max")] == \
        [("min", "-999999.99"), ("max", "999999.99")]
    assert [r for r in rules(s, "qty") if r[0] in ("min", "max")] == \
        [("min", "0"), ("max", "99999")]
    assert [r for r in rules(s, "loose") if r[0] in ("min", "max")] == []


def test_check_bounds():
    checks = (Check("price >= 0", columns=("price",)),
              Check("rating BETWEEN 1 AND 5", columns=("rating",)),
              Check("0 < stock AND stock < 100", columns=("stock",)),
              Check("ratio > 0", columns=("ratio",)),
              Check("a > 0 OR b > 0", columns=("a", "b")))
    s = one(col("price", Kind.DECIMAL, precision=8, scale=2), col("rating", Kind.INTEGER, bits=8),
            col("stock", Kind.INTEGER), col("ratio", Kind.FLOAT), col("a", Kind.INTEGER),
            col("b", Kind.INTEGER), table_kw={"checks": checks})
    price = [c for c in s.table("items").column("price").constraints if c.kind is K.MIN]
    assert [(c.args, c.provenance.rule) for c in price] == [(("0",), "check-range")]
    assert ("max", "999999.99") in rules(s, "price")
    assert [r for r in rules(s, "rating") if r[0] in ("min", "max")] == [("min", "1"), ("max", "5")]
    assert [r for r in rules(s, "stock") if r[0] in ("min", "max")] == [("min", "1"), ("max", "99")]
    assert not any(r[0] == "min" for r in rules(s, "ratio"))  # strict bound on a float
    assert not any(r[0] in ("min", "max") for r in rules(s, "a"))  # OR: no fact


# -- in ------------------------------------------------------------------------------------

def test_enum_and_check_in():
    s = one(col("status", Kind.ENUM, values=("new", "done")), col("level", Kind.INTEGER),
            col("flags", Kind.ENUM, values=("a", "b"), multiple=True),
            table_kw={"checks": (Check("level IN (1, 2, 3)", columns=("level",)),)})
    assert ("in", "new", "done") in rules(s, "status")
    assert ("in", "1", "2", "3") in rules(s, "level")
    assert not any(r[0] == "in" for r in rules(s, "flags"))  # a SET takes subsets


# -- unique --------------------------------------------------------------------------------

def test_unique():
    idx = (Index("u_email", (IndexPart("email"),), unique=True),
           Index("u_pair", (IndexPart("a"), IndexPart("b")), unique=True),
           Index("u_partial", (IndexPart("slug"),), unique=True, where="deleted IS NULL"),
           Index("i_name", (IndexPart("name"),)))
    s = one(col("email"), col("a"), col("b"), col("slug"), col("name"), table_kw={"indexes": idx})
    assert ("unique", "items", "email") in rules(s, "email")
    for name in ("a", "b", "slug", "name"):
        assert not any(r[0] == "unique" for r in rules(s, name)), name


def test_unique_natural_key_but_not_generated_key():
    s = run(table("countries", col("code", nullable=False, length=2), pk=("code",)))
    assert ("unique", "countries", "code") in rules(s, "code", "countries")
    conv = TableConventions(key=("id",), key_type="string", key_format="uuid")
    s = run(Table("posts", (col("id", Kind.UUID, nullable=False), col("title")),
                  primary_key=PrimaryKey(("id",)), conventions=conv))
    assert rules(s, "id", "posts") == []


# -- exists --------------------------------------------------------------------------------

def test_exists_declared_and_inferred():
    teams = table("teams")
    users = table("users", col("team_id", Kind.INTEGER), col("org_id", Kind.INTEGER),
                  col("x", Kind.INTEGER), col("y", Kind.INTEGER),
                  foreign_keys=(ForeignKey(("team_id",), "teams", ("id",)),
                                ForeignKey(("x", "y"), "teams", ("id", "id"))))
    inferred = Relation("many_to_one", "users", ("org_id",), "teams", ("id",), "org", "users",
                        provenance=Provenance("inferred", "fk-by-name", ("org_id",)))
    s = run(teams, users, relations=(inferred,))
    team = [c for c in s.table("users").column("team_id").constraints if c.kind is K.EXISTS]
    assert [(c.args, c.provenance.origin) for c in team] == [(("teams", "id"), Origin.DECLARED)]
    org = [c for c in s.table("users").column("org_id").constraints if c.kind is K.EXISTS]
    assert [(c.args, c.provenance.rule) for c in org] == [(("teams", "id"), "fk-by-name")]
    assert not any(r[0] == "exists" for r in rules(s, "x", "users"))  # composite FK


def test_declared_relation_does_not_duplicate_exists():
    teams = table("teams")
    users = table("users", col("team_id", Kind.INTEGER),
                  foreign_keys=(ForeignKey(("team_id",), "teams", ("id",)),))
    rel = Relation("many_to_one", "users", ("team_id",), "teams", ("id",), "team", "users",
                   provenance=Provenance("declared", "fk-declared", ("team_id",)))
    s = run(teams, users, relations=(rel,))
    assert [r for r in rules(s, "team_id", "users") if r[0] == "exists"] == \
        [("exists", "teams", "id")]


# -- format --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind, raw, expected", [
    ("email", Kind.STRING, "", "email"), ("billing_email", Kind.STRING, "", "email"),
    ("website", Kind.STRING, "", "url"), ("avatar_url", Kind.TEXT, "", "url"),
    ("link", Kind.STRING, "", "url"), ("uuid", Kind.STRING, "", "uuid"),
    ("ref", Kind.UUID, "uuid", "uuid"), ("ip_address", Kind.STRING, "", "ip"),
    ("request_ip", Kind.STRING, "", "ip"), ("addr", Kind.UNKNOWN, "inet", "ip"),
    ("ulid", Kind.STRING, "", "ulid"),
    ("email_verified", Kind.BOOLEAN, "", None), ("emails_sent", Kind.INTEGER, "", None),
    ("url_count", Kind.INTEGER, "", None), ("ip_alias", Kind.TEXT, "", None),
    ("shipping", Kind.STRING, "", None)])
def test_format(name, kind, raw, expected):
    found = [r for r in rules(one(col(name, kind, raw=raw)), name) if r[0] == "format"]
    assert found == ([("format", expected)] if expected else [])


# -- excluded columns ----------------------------------------------------------------------

def test_filled_by_the_orm_get_nothing():
    conv = TableConventions(created_at="created", updated_at="updated_at",
                            remember_token="remember_token")
    s = one(col("created", Kind.DATETIME), col("updated_at", Kind.DATETIME),
            col("deleted_at", Kind.DATETIME), col("remember_token"),
            Column("full", Type(Kind.STRING), generated=Generated("a || b")),
            col("published_at", Kind.DATETIME), table_kw={"conventions": conv})
    for name in ("id", "created", "updated_at", "remember_token", "full"):
        assert rules(s, name) == [], name
    assert rules(s, "published_at") == [("nullable",), ("date", "datetime")]


def test_sqlite_rowid_alias_is_auto():
    rowid = Column("track_id", Type(Kind.INTEGER, raw="INTEGER"), nullable=False)
    s = run(Table("tracks", (rowid, col("name")), primary_key=PrimaryKey(("track_id",))))
    assert rules(s, "track_id", "tracks") == []
    # In MySQL an INTEGER key without AUTO_INCREMENT is supplied by the user.
    s = run(Table("tracks", (rowid, col("name")), primary_key=PrimaryKey(("track_id",))),
            dialect="mysql")
    assert ("unique", "tracks", "track_id") in rules(s, "track_id", "tracks")


# -- order, determinism, switches ----------------------------------------------------------

def test_kind_order_and_determinism():
    idx = (Index("u", (IndexPart("email"),), unique=True),)
    build = lambda: run(table("users", col("email", nullable=False, length=255),
                              indexes=idx))
    s = build()
    assert rules(s, "email", "users") == [("required",), ("type", "string"),
                                          ("max_length", "255"), ("unique", "users", "email"),
                                          ("format", "email")]
    order = [c.kind for c in s.table("users").column("email").constraints]
    assert order == sorted(order, key=list(ConstraintKind).index)
    assert to_json(s) == to_json(build())
    assert infer_validation(s) == s


def test_rules_off():
    s = one(col("email", nullable=False), options=AnalysisOptions(rules_off={"format-by-name"}))
    assert rules(s, "email") == [("required",), ("type", "string")]


# -- real fixtures -------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", FIXTURES + LARAVEL_FIXTURES)
def test_fixtures_stay_well_formed(fixture):
    passes = [detect_conventions, infer_casts, infer_validation]
    once = compile_schema(load(str(fixture_path(fixture))), passes=passes)
    assert check_schema(once) == []
    assert compile_schema(once, passes=passes) == once
    for t in once.tables:
        for c in t.columns:
            order = [(list(ConstraintKind).index(k.kind), k.args) for k in c.constraints]
            assert order == sorted(set(order)), (t.name, c.name)


def test_one_column_object_shared_by_tables_with_different_facts():
    # Memoized per column object: a unique index, a foreign key or a CHECK on one
    # table must not leak onto the same Column object in another.
    shared = col("code", Kind.STRING, nullable=False, length=20)
    owner = col("owner_id", Kind.INTEGER, raw="integer")
    a = table("a", shared, owner, indexes=[Index("a_code", [IndexPart("code")], unique=True)],
              foreign_keys=[ForeignKey(("owner_id",), "owners", ("id",))])
    b = table("b", shared, owner, checks=[Check("length(code) <= 5", columns=("code",))])
    c = table("c", shared, owner)
    out = run(table("owners"), a, b, c)
    assert rules(out, "code", "a") == [("required",), ("type", "string"), ("max_length", "20"),
                                       ("unique", "a", "code")]
    assert rules(out, "code", "b") == [("required",), ("type", "string"), ("max_length", "5")]
    assert rules(out, "code", "c") == [("required",), ("type", "string"), ("max_length", "20")]
    assert ("exists", "owners", "id") in rules(out, "owner_id", "a")
    assert not any(r[0] == "exists" for r in rules(out, "owner_id", "c"))
