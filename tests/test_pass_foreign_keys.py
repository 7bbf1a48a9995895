"""relate_foreign_keys on tiny schemas: declared keys, then each naming rule, positive and
negative; ``rules_off`` switches each rule off."""

from __future__ import annotations

import attrs
import pytest

from compiler.options import AnalysisOptions
from tests.support.tiny import FOREIGN_KEYS, ID, ddl, rel_on, rels, run

USERS = f'CREATE TABLE "users" ({ID}, "name" varchar);'


def fks(text, options: AnalysisOptions | None = None):
    return run(text, options, upto=FOREIGN_KEYS)


def shape(r):
    """(kind, table.columns -> ref_table.ref_columns, rule) of an edge, or None."""
    if r is None:
        return None
    return (r.kind.value, (f"{r.table}.{','.join(r.columns)} -> "
            f"{r.ref_table}.{','.join(r.ref_columns)}"), r.provenance.rule)


def test_declared_many_to_one():
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "writer" integer, '
            'foreign key("writer") references "users"("id"));')
    r = rel_on(s, "posts", "writer")
    assert shape(r) == ("many_to_one", "posts.writer -> users.id", "fk-declared")
    assert r.provenance.origin.value == "declared"
    assert (r.name, r.inverse_name) == ("writer", "posts")


def test_declared_unique_is_one_to_one():
    s = fks(USERS + f'CREATE TABLE "profiles" ({ID}, "user_id" integer, '
            'foreign key("user_id") references "users"("id"));'
            'CREATE UNIQUE INDEX "profiles_user_id_unique" on "profiles" ("user_id");')
    r = rel_on(s, "profiles", "user_id")
    assert shape(r) == ("one_to_one", "profiles.user_id -> users.id", "fk-declared")
    assert r.inverse_name == "profile"


def test_declared_primary_key_fk_is_one_to_one():
    s = fks(USERS + 'CREATE TABLE "user_settings" ("user_id" integer not null primary key, '
            'foreign key("user_id") references "users"("id"));')
    assert rel_on(s, "user_settings", "user_id").kind.value == "one_to_one"


def test_non_unique_index_stays_many_to_one():
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer);'
            'CREATE INDEX "posts_user_id_index" on "posts" ("user_id");')
    assert rel_on(s, "posts", "user_id").kind.value == "many_to_one"


def test_declared_fk_to_missing_table_is_no_relation():
    s = fks(f'CREATE TABLE "posts" ({ID}, "x" integer, foreign key("x") references "nope"("id"));')
    assert rels(s) == []


def test_fk_by_name():
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer);')
    r = rel_on(s, "posts", "user_id")
    assert shape(r) == ("many_to_one", "posts.user_id -> users.id", "fk-by-name")
    assert r.provenance.origin.value == "inferred" and r.provenance.basis == ("user_id",)


def test_fk_by_name_irregular_plural():
    s = fks(f'CREATE TABLE "people" ({ID}); CREATE TABLE "visits" ({ID}, "person_id" integer);')
    assert shape(rel_on(s, "visits", "person_id"))[1] == "visits.person_id -> people.id"


def test_fk_by_name_singular_table():
    s = fks(f'CREATE TABLE "user" ({ID}); CREATE TABLE "post" ({ID}, "user_id" integer);')
    assert shape(rel_on(s, "post", "user_id"))[1] == "post.user_id -> user.id"


def test_fk_by_name_camel_column():
    s = fks('CREATE TABLE "Artist" ("ArtistId" integer not null primary key);'
            'CREATE TABLE "Album" ("AlbumId" integer not null primary key, "ArtistId" integer);')
    assert shape(rel_on(s, "Album", "ArtistId")) == (
        "many_to_one", "Album.ArtistId -> Artist.ArtistId", "fk-by-name")


def test_no_table_no_relation():
    s = fks(f'CREATE TABLE "orders" ({ID}, "external_id" integer, "stripe_id" varchar);')
    assert rels(s) == []


def test_own_primary_key_is_not_a_relation():
    s = fks('CREATE TABLE "users" ("user_id" integer not null primary key);')
    assert rels(s) == []


def test_fk_by_prefixed_name():
    s = fks(f'CREATE TABLE "shop_orders" ({ID});'
            f'CREATE TABLE "shop_payments" ({ID}, "order_id" integer);')
    assert shape(rel_on(s, "shop_payments", "order_id")) == (
        "many_to_one", "shop_payments.order_id -> shop_orders.id", "fk-by-prefixed-name")


def test_fk_by_suffix():
    s = fks(f'CREATE TABLE "shop_customers" ({ID});'
            f'CREATE TABLE "comments" ({ID}, "customer_id" integer);')
    assert shape(rel_on(s, "comments", "customer_id")) == (
        "many_to_one", "comments.customer_id -> shop_customers.id", "fk-by-suffix")


def test_ambiguous_suffix_gives_none():
    s = fks(f'CREATE TABLE "shop_customers" ({ID}); CREATE TABLE "crm_customers" ({ID});'
            f'CREATE TABLE "comments" ({ID}, "customer_id" integer);')
    assert rel_on(s, "comments", "customer_id") is None


def test_exact_name_beats_suffix():
    s = fks(f'CREATE TABLE "customers" ({ID}); CREATE TABLE "shop_customers" ({ID});'
            f'CREATE TABLE "comments" ({ID}, "customer_id" integer);')
    assert rel_on(s, "comments", "customer_id").ref_table == "customers"


def test_fk_self_parent():
    s = fks(f'CREATE TABLE "categories" ({ID}, "parent_id" integer);')
    r = rel_on(s, "categories", "parent_id")
    assert shape(r) == ("many_to_one", "categories.parent_id -> categories.id", "fk-self-parent")
    assert (r.name, r.inverse_name) == ("parent", "children")


def test_parent_id_prefers_a_parents_table():
    s = fks(f'CREATE TABLE "parents" ({ID}); CREATE TABLE "kids" ({ID}, "parent_id" integer);')
    assert shape(rel_on(s, "kids", "parent_id"))[2] == "fk-by-name"


@pytest.mark.parametrize("column", ["author_id", "created_by", "owner_id", "assignee_id"])
def test_fk_by_role(column):
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "{column}" integer);')
    assert shape(rel_on(s, "posts", column)) == (
        "many_to_one", f"posts.{column} -> users.id", "fk-by-role")


def test_role_without_users_table_is_none():
    s = fks(f'CREATE TABLE "posts" ({ID}, "author_id" integer);')
    assert rels(s) == []


def test_unknown_role_is_none():
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "sponsor_id" integer);')
    assert rels(s) == []


def test_type_mismatch_gives_none():
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" varchar);')
    assert rels(s) == []


def test_string_keys_match():
    s = fks('CREATE TABLE "users" ("id" char(36) not null primary key);'
            f'CREATE TABLE "posts" ({ID}, "user_id" varchar);')
    assert rel_on(s, "posts", "user_id") is not None


def test_target_without_single_key_gives_none():
    s = fks('CREATE TABLE "users" ("a" integer, "b" integer, primary key ("a", "b"));'
            f'CREATE TABLE "posts" ({ID}, "user_id" integer);')
    assert rels(s) == []


def test_morph_pair_id_is_not_a_foreign_key():
    s = fks(f'CREATE TABLE "commentables" ({ID});'
            f'CREATE TABLE "comments" ({ID}, "commentable_type" varchar, '
            '"commentable_id" integer);')
    assert rels(s) == []


@pytest.mark.parametrize("declared", [False, True])
def test_relation_to_framework_table_dropped(declared):
    fk = ', foreign key("job_id") references "jobs"("id")' if declared else ""
    s = fks(f'CREATE TABLE "jobs" ({ID}); CREATE TABLE "runs" ({ID}, "job_id" integer{fk});')
    assert rels(s) == []


def test_relation_to_ignored_table_dropped():
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer);',
            AnalysisOptions(ignore_tables={"users"}))
    assert rels(s) == []


def test_relation_from_ignored_table_dropped():
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer);',
            AnalysisOptions(ignore_tables={"posts"}))
    assert rels(s) == []


RULE_CASES = {
    "fk-by-name": USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer);',
    "fk-by-prefixed-name": f'CREATE TABLE "shop_orders" ({ID});'
                           f'CREATE TABLE "shop_payments" ({ID}, "order_id" integer);',
    "fk-by-suffix": f'CREATE TABLE "shop_customers" ({ID});'
                    f'CREATE TABLE "comments" ({ID}, "customer_id" integer);',
    "fk-self-parent": f'CREATE TABLE "categories" ({ID}, "parent_id" integer);',
    "fk-by-role": USERS + f'CREATE TABLE "posts" ({ID}, "author_id" integer);',
}


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_rules_off(rule):
    assert [r.provenance.rule for r in rels(fks(RULE_CASES[rule]))] == [rule]
    assert rels(fks(RULE_CASES[rule], AnalysisOptions(rules_off={rule}))) == []


def test_rules_off_fk_by_name_switches_off_every_naming_rule():
    for text in RULE_CASES.values():
        assert rels(fks(text, AnalysisOptions(rules_off={"fk-by-name"}))) == []


def test_rules_off_keeps_declared_keys():
    s = fks(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer, '
            'foreign key("user_id") references "users"("id"));',
            AnalysisOptions(rules_off={"fk-by-name"}))
    assert rel_on(s, "posts", "user_id").provenance.rule == "fk-declared"



def test_inherited_key_is_not_a_relation_to_the_parent():
    base = ddl('CREATE TABLE "payment" ("payment_id" integer not null primary key, '
               '"amount" numeric);'
               'CREATE TABLE "payment_p1" ("payment_id" integer not null, "amount" numeric);')
    child = attrs.evolve(base.table("payment_p1"), inherits=("payment",))
    s = fks(base.replace_tables([base.table("payment"), child]))
    assert rel_on(s, "payment_p1", "payment_id") is None
