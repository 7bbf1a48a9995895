"""infer_pivots on tiny schemas: pivot by key, by shape, by name; not-a-pivot; self pivots."""

from __future__ import annotations

from compiler.options import AnalysisOptions
from tests.support.tiny import ID, PIVOTS, STAMPS, conv, rel_on, rels, run

BASE = (f'CREATE TABLE "users" ({ID}, "name" varchar);'
        f'CREATE TABLE "roles" ({ID}, "name" varchar);')


def piv(text: str, options: AnalysisOptions | None = None):
    return run(BASE + text, options, upto=PIVOTS)


def m2m(schema):
    out = rels(schema, kind="many_to_many")
    assert len(out) == 1, out
    return out[0]


def test_pivot_by_key():
    s = piv('CREATE TABLE "role_user" ("role_id" integer not null, "user_id" integer not null, '
            'primary key ("role_id", "user_id"));')
    r = m2m(s)
    assert (r.table, r.ref_table, r.pivot.table) == ("roles", "users", "role_user")
    assert (r.pivot.columns, r.pivot.ref_columns) == (("role_id",), ("user_id",))
    assert (r.name, r.inverse_name, r.provenance.rule) == ("users", "roles", "pivot-by-key")


def test_pure_pivot_loses_model_and_edges():
    s = piv('CREATE TABLE "role_user" ("role_id" integer not null, "user_id" integer not null);')
    c = conv(s, "role_user")
    assert c.pivot and c.model is None
    assert rels(s, table="role_user") == []


def test_pivot_by_unique_index():
    s = piv(f'CREATE TABLE "memberships" ({ID}, "role_id" integer, "user_id" integer, '
            '"level" integer);'
            'CREATE UNIQUE INDEX "m_u" on "memberships" ("role_id", "user_id");')
    r = m2m(s)
    assert r.provenance.rule == "pivot-by-key" and r.pivot.extra == ("level",)


def test_pivot_by_shape_with_id_and_timestamps():
    s = piv(f'CREATE TABLE "assignments" ({ID}, "role_id" integer, "user_id" integer, {STAMPS});')
    r = m2m(s)
    assert r.provenance.rule == "pivot-by-shape"
    assert r.pivot.timestamps and r.pivot.extra == () and not r.pivot.entity


def test_pivot_without_both_timestamps_has_no_timestamps():
    s = piv('CREATE TABLE "role_user" ("role_id" integer, "user_id" integer, '
            '"created_at" datetime);')
    assert not m2m(s).pivot.timestamps


def test_pivot_by_name_with_extra_columns_keeps_entity():
    s = piv(f'CREATE TABLE "role_user" ({ID}, "role_id" integer, "user_id" integer, '
            f'"expires_on" date, "note" text, {STAMPS});')
    r = m2m(s)
    assert r.provenance.rule == "pivot-by-name"
    assert r.pivot.extra == ("expires_on", "note") and r.pivot.entity
    c = conv(s, "role_user")
    assert c.pivot and c.model == "RoleUser"
    # An entity pivot keeps its own belongsTo edges beside the many-to-many.
    assert rel_on(s, "role_user", "role_id") and rel_on(s, "role_user", "user_id")


def test_pivot_name_in_non_alphabetical_order():
    s = piv('CREATE TABLE "user_role" ("user_id" integer, "role_id" integer, "since" date);')
    assert m2m(s).provenance.rule == "pivot-by-name"


def test_pivot_name_in_plural_forms():
    s = piv('CREATE TABLE "users_roles" ("user_id" integer, "role_id" integer, "since" date);')
    assert m2m(s).provenance.rule == "pivot-by-name"


def test_two_fks_with_data_is_not_a_pivot():
    s = run(f'CREATE TABLE "orders" ({ID}); CREATE TABLE "products" ({ID});'
            f'CREATE TABLE "order_items" ({ID}, "order_id" integer, "product_id" integer, '
            '"qty" integer, "price" numeric);', upto=PIVOTS)
    assert rels(s, kind="many_to_many") == []
    c = conv(s, "order_items")
    assert not c.pivot and c.model == "OrderItem"
    assert len(rels(s, table="order_items")) == 2


def test_three_fks_is_not_a_pivot():
    s = piv(f'CREATE TABLE "teams" ({ID});'
            'CREATE TABLE "role_user" ("role_id" integer, "user_id" integer, "team_id" integer);')
    assert rels(s, kind="many_to_many") == []


def test_two_keys_to_one_table_is_a_self_pivot_by_shape():
    s = piv('CREATE TABLE "pairs" ("user_id" integer, "friend_id" integer, '
            'foreign key("friend_id") references "users"("id"), '
            'foreign key("user_id") references "users"("id"));')
    r = m2m(s)
    assert (r.pivot.table, r.provenance.rule) == ("pairs", "pivot-by-shape")
    assert r.name != r.inverse_name


def test_self_many_to_many():
    s = piv('CREATE TABLE "followers" ("follower_id" integer not null, '
            '"followed_id" integer not null, primary key ("follower_id", "followed_id"), '
            'foreign key("follower_id") references "users"("id"), '
            'foreign key("followed_id") references "users"("id"));')
    r = m2m(s)
    assert (r.table, r.ref_table) == ("users", "users")
    # named by the columns, never ``users`` twice
    assert "followers" in (r.name, r.inverse_name) and r.name != r.inverse_name


def test_pivot_to_framework_table_is_not_a_pivot():
    s = piv(f'CREATE TABLE "jobs" ({ID});'
            'CREATE TABLE "job_user" ("job_id" integer, "user_id" integer, '
            'primary key ("job_id", "user_id"));')
    assert rels(s, kind="many_to_many") == []


def test_rules_off_pivot():
    s = piv('CREATE TABLE "role_user" ("role_id" integer, "user_id" integer, '
            'primary key ("role_id", "user_id"));', AnalysisOptions(rules_off={"pivot"}))
    assert rels(s, kind="many_to_many") == []
    assert conv(s, "role_user").model == "RoleUser"
