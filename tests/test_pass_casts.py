"""infer_casts on tiny inline schemas: one rule per test, positive and negative."""

from __future__ import annotations

import pytest

from compiler.options import AnalysisOptions
from compiler.passes.casts import infer_casts, parse_cast_spelling
from ir.check import check_schema
from ir.model import Check, Column, Default, PrimaryKey, Schema, Table
from ir.rules import Cast, CastKind, Origin, TableConventions
from ir.serialize import to_json
from ir.types import Kind, Type


def col(name, kind=Kind.INTEGER, raw="", nullable=True, default=None, **type_args):
    dflt = Default("string", default) if default is not None else None
    return Column(name, Type(kind, raw=raw or kind.value, **type_args), nullable=nullable,
                  default=dflt)


def run(*columns, name="items", checks=(), conventions=None, options=None, dialect="sqlite"):
    table = Table(name, (Column("id", Type(Kind.INTEGER, raw="integer"), nullable=False,
                                autoincrement=True), *columns),
                  primary_key=PrimaryKey(("id",)), checks=checks, conventions=conventions)
    out = infer_casts(Schema((table,), dialect=dialect), options=options or AnalysisOptions())
    assert check_schema(out) == []
    return out


def cast_of(schema, column, table="items"):
    return schema.table(table).column(column).cast


def kind_rule(cast):
    return (cast.kind.value, cast.arg, cast.provenance.rule) if cast else None


# -- the type says it ----------------------------------------------------------------------

@pytest.mark.parametrize("kind, expected", [
    (Kind.BOOLEAN, "boolean"), (Kind.DATE, "date"), (Kind.DATETIME, "datetime"),
    (Kind.JSON, "json")])
def test_cast_by_type(kind, expected):
    cast = cast_of(run(col("x", kind)), "x")
    assert cast.kind.value == expected
    assert cast.provenance.origin is Origin.DECLARED and cast.provenance.basis == ("x",)


@pytest.mark.parametrize("kind", [Kind.INTEGER, Kind.FLOAT, Kind.STRING, Kind.TEXT, Kind.UUID,
                                  Kind.TIME, Kind.BINARY])
def test_no_cast_for_native_types(kind):
    # Integers, floats and strings come back natively from PDO on PHP >= 8.1.
    assert cast_of(run(col("amount", kind)), "amount") is None


def test_decimal_with_scale_and_without():
    s = run(col("price", Kind.DECIMAL, precision=8, scale=2),
            col("loose", Kind.DECIMAL), col("whole", Kind.DECIMAL, precision=10, scale=0))
    assert kind_rule(cast_of(s, "price")) == ("decimal", "2", "cast-by-type")
    assert cast_of(s, "loose") is None  # SQLite `numeric`: scale unknown
    assert kind_rule(cast_of(s, "whole")) == ("decimal", "0", "cast-by-type")


def test_enum_gets_a_neutral_stem_but_set_does_not():
    s = run(col("status", Kind.ENUM, values=("new", "done")),
            col("flags", Kind.ENUM, values=("a", "b"), multiple=True))
    assert kind_rule(cast_of(s, "status")) == ("enum", "items.status", "cast-by-type")
    assert cast_of(s, "flags") is None


# -- conventional timestamps ---------------------------------------------------------------

def test_conventional_timestamps_by_name_when_no_conventions():
    s = run(*(col(n, Kind.DATETIME) for n in ("created_at", "updated_at", "deleted_at",
                                              "published_at")))
    assert [cast_of(s, n) is None for n in ("created_at", "updated_at", "deleted_at")] == \
        [True, True, True]
    assert cast_of(s, "published_at").kind is CastKind.DATETIME


def test_conventional_timestamps_from_conventions():
    conv = TableConventions(created_at="created", updated_at="modified")
    s = run(col("created", Kind.DATETIME), col("modified", Kind.DATETIME),
            col("created_at", Kind.DATETIME), conventions=conv)
    assert cast_of(s, "created") is None and cast_of(s, "modified") is None
    # Not the table's timestamp column under these conventions: cast like any datetime.
    assert cast_of(s, "created_at").kind is CastKind.DATETIME


# -- by name -------------------------------------------------------------------------------

def test_boolean_by_name_on_integer_flags():
    s = run(col("is_locked", default="0"), col("has_children"), col("sso_enabled", default="1"),
            col("is_count", default="5"), col("has_big", bits=32), col("locked"))
    assert kind_rule(cast_of(s, "is_locked")) == ("boolean", None, "boolean-by-name")
    assert cast_of(s, "has_children").kind is CastKind.BOOLEAN
    assert cast_of(s, "sso_enabled").kind is CastKind.BOOLEAN
    assert cast_of(s, "is_count") is None      # a default of 5 is no flag
    assert cast_of(s, "has_big") is None       # an int(32) is no flag
    assert cast_of(s, "locked") is None        # no boolean-shaped name


def test_boolean_by_name_not_on_strings():
    assert cast_of(run(col("is_type", Kind.STRING)), "is_type") is None


def test_boolean_by_check():
    s = run(col("active"), col("level"),
            checks=(Check("active IN (0, 1)", columns=("active",)),
                    Check("level IN (0, 1, 2)", columns=("level",))))
    assert kind_rule(cast_of(s, "active")) == ("boolean", None, "boolean-by-check")
    assert cast_of(s, "level") is None


def test_json_by_check():
    s = run(col("attrs", Kind.TEXT, raw="longtext"), dialect="mysql",
            checks=(Check("json_valid(`attrs`)", columns=("attrs",)),))
    cast = cast_of(s, "attrs")
    assert kind_rule(cast) == ("json", None, "json-by-check")
    assert cast.provenance.origin is Origin.DECLARED


def test_json_by_default():
    s = run(col("tags", Kind.TEXT, default="[]"), col("notes", Kind.TEXT, default=""))
    assert kind_rule(cast_of(s, "tags")) == ("json", None, "json-by-default")
    assert cast_of(s, "notes") is None


def test_json_by_name_only_on_text():
    s = run(col("settings", Kind.TEXT), col("meta_json", Kind.TEXT),
            col("options", Kind.STRING), col("payload", Kind.TEXT), col("data", Kind.TEXT),
            col("description", Kind.TEXT))
    assert kind_rule(cast_of(s, "settings")) == ("json", None, "json-by-name")
    assert cast_of(s, "meta_json").kind is CastKind.JSON
    assert cast_of(s, "options") is None      # a varchar is not how json is stored
    assert cast_of(s, "payload") is None      # serialized PHP in jobs/sessions
    assert cast_of(s, "data") is None         # too generic
    assert cast_of(s, "description") is None


def test_name_rules_skip_framework_tables():
    s = run(col("options", Kind.TEXT), col("is_done"), name="job_batches")
    assert cast_of(s, "options", "job_batches") is None
    assert cast_of(s, "is_done", "job_batches") is None
    conv = TableConventions(framework=True)
    s = run(col("settings", Kind.TEXT), name="my_vendor_table", conventions=conv)
    assert cast_of(s, "settings", "my_vendor_table") is None
    # ... but the type still speaks on a framework table.
    s = run(col("failed_at", Kind.DATETIME), name="failed_jobs")
    assert cast_of(s, "failed_at", "failed_jobs").kind is CastKind.DATETIME


def test_password_only_on_authenticatables():
    users = run(col("email", Kind.STRING), col("password", Kind.STRING), name="users")
    creds = run(col("host", Kind.STRING), col("username", Kind.STRING),
                col("password", Kind.TEXT), name="databases")
    assert kind_rule(cast_of(users, "password", "users")) == \
        ("password", None, "password-by-name")
    assert cast_of(creds, "password", "databases") is None


# -- configuration and switches ------------------------------------------------------------

def test_config_wins_and_bad_spelling_is_a_diagnostic():
    opts = AnalysisOptions(casts={"items.qty": "int", "items.price": "decimal:3",
                                  "items.created_at": "datetime", "items.odd": "nonsense"})
    s = run(col("qty"), col("price", Kind.DECIMAL, precision=8, scale=2),
            col("created_at", Kind.DATETIME), col("odd", Kind.BOOLEAN), options=opts)
    assert kind_rule(cast_of(s, "qty")) == ("integer", None, "cast-config")
    assert cast_of(s, "qty").provenance.origin is Origin.CONFIG
    assert kind_rule(cast_of(s, "price")) == ("decimal", "3", "cast-config")
    assert cast_of(s, "created_at").kind is CastKind.DATETIME
    assert cast_of(s, "odd").kind is CastKind.BOOLEAN  # bad config: inference still applies
    [d] = s.diagnostics
    assert d.code == "config-error" and d.where == "items.odd" and "nonsense" in d.message


def test_rules_off():
    opts = AnalysisOptions(rules_off={"json-by-name", "cast-by-type"})
    s = run(col("settings", Kind.TEXT), col("flag", Kind.BOOLEAN), col("is_x"), options=opts)
    assert cast_of(s, "settings") is None and cast_of(s, "flag") is None
    assert cast_of(s, "is_x").kind is CastKind.BOOLEAN


@pytest.mark.parametrize("spelling, expected", [
    ("boolean", Cast("boolean")), ("bool", Cast("boolean")), ("array", Cast("json")),
    ("hashed", Cast("password")), ("decimal:2", Cast("decimal", "2")),
    ("enum: App\\Enums\\Status", Cast("enum", "App\\Enums\\Status")), ("wat", None)])
def test_parse_cast_spelling(spelling, expected):
    assert parse_cast_spelling(spelling) == expected


def test_deterministic_and_idempotent():
    cols = (col("is_a"), col("settings", Kind.TEXT), col("at", Kind.DATETIME))
    once = run(*cols)
    assert to_json(once) == to_json(run(*cols))
    assert infer_casts(once) == once


def test_one_column_object_shared_by_tables_with_different_facts():
    # The pass memoizes per column object; the table facts a cast depends on
    # (framework, authenticatable, enum's table) must still tell the tables apart.
    password = col("password", Kind.STRING)
    email = col("email", Kind.STRING)
    is_on = col("is_on", Kind.INTEGER, raw="tinyint")
    status = col("status", Kind.ENUM, values=("a", "b"))
    key = Column("id", Type(Kind.INTEGER, raw="integer"), nullable=False, autoincrement=True)
    tables = [
        Table("users", (key, password, email, is_on, status), primary_key=PrimaryKey(("id",))),
        Table("vaults", (key, password, is_on, status), primary_key=PrimaryKey(("id",))),
        Table("jobs", (key, is_on), primary_key=PrimaryKey(("id",)),
              conventions=TableConventions(framework=True)),
    ]
    out = infer_casts(Schema(tables))
    assert kind_rule(cast_of(out, "password", "users"))[0] == "password"
    assert cast_of(out, "password", "vaults") is None
    assert kind_rule(cast_of(out, "is_on", "users"))[0] == "boolean"
    assert cast_of(out, "is_on", "jobs") is None
    assert cast_of(out, "status", "users").arg == "users.status"
    assert cast_of(out, "status", "vaults").arg == "vaults.status"
