"""compiler.explain: what the passes inferred for a table or column, and why not."""

from __future__ import annotations

import pytest

from compiler.explain import ExplainError, explain_column, explain_table
from compiler.options import AnalysisOptions
from tests.support.tiny import ID, STAMPS, run

OPTIONS = AnalysisOptions()
SCHEMA = run(f'''
CREATE TABLE "users" ({ID}, "name" varchar, {STAMPS});
CREATE TABLE "jobs" ({ID}, "queue" varchar);
CREATE TABLE "orders" ({ID}, "user_id" integer, "external_id" integer, "author_id" varchar,
  "job_id" integer, "note" varchar, {STAMPS});
CREATE TABLE "products" ({ID}, "name" varchar);
CREATE TABLE "order_items" ({ID}, "order_id" integer, "product_id" integer, "qty" integer);
CREATE TABLE "tags" ({ID});
CREATE TABLE "product_tag" ("product_id" integer, "tag_id" integer,
  primary key ("product_id", "tag_id"));
''', OPTIONS)


def table(name: str) -> str:
    return explain_table(SCHEMA, name, OPTIONS)


def column(name: str, col: str) -> str:
    return explain_column(SCHEMA, name, col, OPTIONS)


def line(text: str, start: str) -> str:
    [hit] = [ln.strip() for ln in text.splitlines() if ln.strip().startswith(start)]
    return hit


def test_table_shows_inferred_relation_with_its_rule():
    out = table("orders")
    assert out.startswith("table orders\n  model: Order\n")
    assert line(out, "user:") == \
        "user: many_to_one -> users (user_id) [inferred: fk-by-name on user_id]"
    assert line(out, "items:").startswith("items: one_to_many -> order_items (order_id)")


def test_table_shows_conventions_with_provenance():
    out = table("orders")
    assert "created_at=created_at" in line(out, "conventions:")
    assert "[inferred: created-at on created_at]" in out


def test_inverse_side_listed_on_the_parent():
    assert line(table("users"), "orders:") == \
        "orders: one_to_many -> orders (user_id) [inferred: fk-by-name on user_id]"


def test_why_external_id_got_no_relation():
    out = table("orders")
    assert line(out, "external_id:") == "external_id: no relation: no table named externals"
    assert "external_id: no relation: no table named externals" in column("orders",
                                                                          "external_id")


def test_why_type_mismatch_got_no_relation():
    assert "type string does not match users.id (integer)" in column("orders", "author_id")


def test_why_relation_to_framework_table_was_dropped():
    assert "but the relation was dropped" in line(table("orders"), "job_id:")


def test_columns_that_do_not_look_like_keys_are_not_explained():
    assert "note:" not in table("orders")
    assert "no relation" not in column("orders", "note")


def test_not_a_pivot_note():
    out = table("order_items")
    assert "not a pivot: two foreign keys" in out


def test_pivot_table_lists_what_it_joins():
    out = table("product_tag")
    assert "model: (none) -- pivot" in out
    assert "products.tags <-> tags.products (many_to_many) [inferred: pivot-by-key" in out
    assert "not a pivot" not in out


def test_framework_table_marked():
    assert "model: (none) -- framework table" in table("jobs")


def test_column_shows_relation_and_rules():
    out = column("orders", "user_id")
    assert out.startswith("column orders.user_id: integer (source type ")
    assert out.splitlines()[0].endswith("), nullable")
    assert "user: many_to_one -> users (user_id) [inferred: fk-by-name on user_id]" in out
    assert "rule: exists users, id" in out


def test_unknown_table():
    with pytest.raises(ExplainError, match="no table 'nope'"):
        table("nope")
    with pytest.raises(ExplainError, match="no table 'nope'"):
        column("nope", "id")


def test_unknown_column():
    with pytest.raises(ExplainError, match="no column 'nope' in table 'orders'"):
        column("orders", "nope")


def test_rules_off_explained():
    options = AnalysisOptions(rules_off={"fk-by-name"})
    s = run('CREATE TABLE "users" ("id" integer not null primary key autoincrement);'
            'CREATE TABLE "posts" ("id" integer not null primary key autoincrement, '
            '"user_id" integer);', options)
    assert "rule fk-by-name is switched off" in explain_column(s, "posts", "user_id", options)
