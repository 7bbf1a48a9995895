"""add_through_relations: has-many/has-one-through from config only, with Laravel's default
keys; a spec naming an unknown table or column is a config-error diagnostic."""

from __future__ import annotations

from compiler.options import AnalysisOptions, ThroughSpec
from tests.support.tiny import ID, THROUGH, rels, run

SCHEMA = (f'CREATE TABLE "countries" ({ID}, "name" varchar);'
          f'CREATE TABLE "users" ({ID}, "country_id" integer, "name" varchar);'
          f'CREATE TABLE "posts" ({ID}, "user_id" integer, "title" varchar);'
          f'CREATE TABLE "profiles" ({ID}, "owner" integer, "bio" text);')


def through(*specs: ThroughSpec):
    return run(SCHEMA, AnalysisOptions(through=specs), upto=THROUGH)


def test_nothing_without_config():
    assert rels(through(), kind="has_many_through") == []


def test_has_many_through_default_keys():
    s = through(ThroughSpec("countries", "posts", "users", "posts"))
    [r] = rels(s, kind="has_many_through")
    assert (r.table, r.ref_table, r.name, r.inverse_name) == ("countries", "posts", "posts", None)
    assert (r.through.table, r.through.first_key, r.through.second_key) == (
        "users", "country_id", "user_id")
    assert (r.provenance.origin.value, r.provenance.rule) == ("config", "through")
    assert s.diagnostics == ()


def test_has_one_through_custom_keys():
    s = through(ThroughSpec("countries", "profile", "users", "profiles", second_key="owner",
                            one=True))
    [r] = rels(s, kind="has_one_through")
    assert (r.through.first_key, r.through.second_key) == ("country_id", "owner")


def test_survives_naming():
    s = run(SCHEMA, AnalysisOptions(through=(ThroughSpec("countries", "posts", "users",
                                                         "posts"),)))
    [r] = rels(s, kind="has_many_through")
    assert r.name == "posts"  # nothing else on countries is called posts


def test_unknown_table_is_a_config_error():
    s = through(ThroughSpec("countries", "posts", "people", "posts"))
    assert rels(s, kind="has_many_through") == []
    [d] = s.diagnostics
    assert (d.code, d.severity.value, d.table) == ("config-error", "error", "countries")
    assert "unknown table people" in d.message and "countries.posts" in d.message


def test_unknown_column_is_a_config_error():
    s = through(ThroughSpec("countries", "profiles", "users", "profiles"))
    [d] = s.diagnostics
    assert d.code == "config-error" and "unknown column profiles.user_id" in d.message
    assert rels(s, kind="has_many_through") == []


def test_good_spec_kept_beside_a_bad_one():
    s = through(ThroughSpec("countries", "posts", "users", "posts"),
                ThroughSpec("countries", "x", "nope", "posts"))
    assert len(rels(s, kind="has_many_through")) == 1 and len(s.diagnostics) == 1
