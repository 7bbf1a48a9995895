"""name_relations on tiny schemas: distinct inverse names, collisions with columns and
reserved words, user overrides, module and sub-table prefixes, self references."""

from __future__ import annotations

import pytest

from compiler.options import AnalysisOptions
from compiler.passes.reserved import RESERVED_LOWER
from ir.naming import camel
from tests.support.tiny import ID, names_on, run

USERS = f'CREATE TABLE "users" ({ID}, "name" varchar);'


def names(text: str, **options) -> dict[str, tuple[str, str]]:
    """column -> (belongsTo name, inverse name) of every to-one edge."""
    s = run(text, AnalysisOptions(**options))
    return {f"{r.table}.{r.columns[0]}": (r.name, r.inverse_name) for r in s.relations
            if r.kind.value in ("many_to_one", "one_to_one")}


def test_several_fks_to_one_parent_get_distinct_inverse_names():
    s = run(USERS + f'CREATE TABLE "messages" ({ID}, "sender_id" integer, '
            '"recipient_id" integer, "body" text);')
    inverse = sorted(r.inverse_name for r in s.relations)
    assert len(set(inverse)) == 2
    assert "sender_messages" in inverse  # role-qualified
    assert len(set(names_on(s, "users"))) == len(names_on(s, "users"))


def test_role_named_keys_are_all_qualified():
    n = names(USERS + f'CREATE TABLE "messages" ({ID}, "sender_id" integer, '
              '"recipient_id" integer, "body" text);')
    assert n == {"messages.recipient_id": ("recipient", "recipient_messages"),
                 "messages.sender_id": ("sender", "sender_messages")}


def test_conventional_column_keeps_the_plain_name():
    # recipient_id sorts first, but user_id is the conventional key for users
    n = names(USERS + f'CREATE TABLE "messages" ({ID}, "user_id" integer, '
              '"recipient_id" integer, "body" text);')
    assert n["messages.user_id"] == ("user", "messages")
    assert n["messages.recipient_id"] == ("recipient", "recipient_messages")


def test_collision_with_a_column_camel_form():
    n = names(f'CREATE TABLE "users" ({ID}, "orderItems" integer);'
              f'CREATE TABLE "order_items" ({ID}, "user_id" integer, "qty" integer);')
    inverse = n["order_items.user_id"][1]
    assert inverse != "order_items" and camel(inverse) != "orderItems"


def test_collision_with_a_one_word_column():
    n = names(f'CREATE TABLE "users" ({ID}, "posts" integer);'
              f'CREATE TABLE "posts" ({ID}, "user_id" integer, "title" varchar);')
    assert n["posts.user_id"][1] not in ("posts", "Posts")


def test_belongs_to_collides_with_its_own_column():
    n = names(USERS + f'CREATE TABLE "posts" ({ID}, "author_id" integer, "author" varchar);')
    assert n["posts.author_id"][0] != "author"


def test_belongs_to_collision_takes_the_related_table():
    n = names(USERS + f'CREATE TABLE "posts" ({ID}, "author_id" integer, "author" varchar);')
    assert n["posts.author_id"][0] == "author_user"


@pytest.mark.parametrize("word", ["query", "save", "delete", "update"])
def test_reserved_eloquent_names_avoided(word):
    plural_word = {"query": "queries"}.get(word, word + "s")
    n = names(f'CREATE TABLE "{plural_word}" ({ID});'
              f'CREATE TABLE "results" ({ID}, "{word}_id" integer, "v" integer);')
    name = n[f"results.{word}_id"][0]
    assert name != word
    assert name.lower() not in RESERVED_LOWER and camel(name).lower() not in RESERVED_LOWER


def test_reserved_php_keyword_avoided_for_inverse():
    # a child table named `lists` gives hasMany stem `lists`; `list` (singular) is reserved
    n = names(USERS + f'CREATE TABLE "lists" ({ID}, "user_id" integer, "title" varchar);'
              'CREATE UNIQUE INDEX "lists_user_id_unique" on "lists" ("user_id");')
    assert n["lists.user_id"][1] != "list"


def test_override_by_column():
    n = names(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer, "title" varchar);',
              relation_names={"posts.user_id": "writer"})
    assert n["posts.user_id"] == ("writer", "posts")


def test_override_by_stem_on_each_side():
    n = names(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer, "title" varchar);',
              relation_names={"posts.user": "writer", "users.posts": "articles"})
    assert n["posts.user_id"] == ("writer", "articles")


def test_override_is_never_renamed():
    # the override takes a reserved word: the user asked for it
    n = names(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer, "title" varchar);',
              relation_names={"posts.user_id": "query"})
    assert n["posts.user_id"][0] == "query"


def test_stem_override_shared_by_two_ends_stays_unique():
    s = run(USERS + f'CREATE TABLE "posts" ({ID}, "user_id" integer, "author_id" integer, '
            '"title" varchar);', AnalysisOptions(relation_names={"users.posts": "written"}))
    on_users = names_on(s, "users")
    assert len(set(on_users)) == len(on_users)


BLOG = (f'CREATE TABLE "blog_authors" ({ID}); CREATE TABLE "blog_categories" ({ID});'
        f'CREATE TABLE "blog_posts" ({ID}, "blog_author_id" integer, '
        '"blog_category_id" integer, "title" varchar);')


def test_module_prefix_stripped():
    n = names(BLOG)
    assert n["blog_posts.blog_author_id"] == ("author", "posts")
    assert n["blog_posts.blog_category_id"] == ("category", "posts")


def test_two_tables_are_not_a_module():
    n = names(f'CREATE TABLE "blog_authors" ({ID});'
              f'CREATE TABLE "blog_posts" ({ID}, "blog_author_id" integer, "title" varchar);')
    assert n["blog_posts.blog_author_id"] == ("blog_author", "blog_posts")


def test_sub_table_prefix():
    n = names(f'CREATE TABLE "shop_orders" ({ID}); CREATE TABLE "shop_products" ({ID});'
              f'CREATE TABLE "shop_order_items" ({ID}, "shop_order_id" integer, '
              '"shop_product_id" integer, "qty" integer);')
    assert n["shop_order_items.shop_order_id"] == ("order", "items")
    assert n["shop_order_items.shop_product_id"] == ("product", "order_items")


def test_child_table_prefixed_with_parent():
    n = names(USERS + f'CREATE TABLE "user_ssh_keys" ({ID}, "user_id" integer, "key" text);')
    assert n["user_ssh_keys.user_id"] == ("user", "ssh_keys")


def test_parent_id_is_parent_and_children():
    n = names(f'CREATE TABLE "categories" ({ID}, "parent_id" integer, "name" varchar);')
    assert n["categories.parent_id"] == ("parent", "children")


def test_unique_parent_id_is_parent_and_child():
    n = names(f'CREATE TABLE "nodes" ({ID}, "parent_id" integer);'
              'CREATE UNIQUE INDEX "nodes_parent_id_unique" on "nodes" ("parent_id");')
    assert n["nodes.parent_id"] == ("parent", "child")


def test_self_reference_by_role_is_role_qualified():
    n = names(f'CREATE TABLE "employees" ({ID}, "manager_id" integer, "name" varchar,'
              'foreign key("manager_id") references "employees"("id"));')
    assert n["employees.manager_id"] == ("manager", "manager_employees")


def test_names_are_deterministic():
    text = USERS + (f'CREATE TABLE "messages" ({ID}, "sender_id" integer, '
                    '"recipient_id" integer, "user_id" integer, "body" text);')
    assert run(text).relations == run(text).relations


def test_upper_id_suffix_is_stripped():
    n = names('CREATE TABLE "Orders" ("OrderID" integer not null primary key);'
              'CREATE TABLE "Lines" ("LineID" integer not null primary key, "OrderID" integer, '
              'foreign key("OrderID") references "Orders"("OrderID"));')
    assert n["Lines.OrderID"][0] == "order"
