"""ir.naming without PHP: Laravel 8.83's answers for representative names, pinned.

Every expected value below was produced by Laravel 8.83 itself (see test_naming_laravel.py),
including its quirks, which are pinned on purpose: schemac must name things as Laravel does.
"""

from __future__ import annotations

import pytest

from ir.naming import (
    camel,
    foreign_key,
    is_framework_table,
    model_name,
    php,
    pivot_name,
    plural,
    plural_studly,
    singular,
    snake,
    studly,
    table_name,
)
from ir.naming.inflector import pluralize, singularize


@pytest.mark.parametrize(
    ("one", "many"),
    [
        ("user", "users"),
        ("category", "categories"),
        ("address", "addresses"),
        ("status", "statuses"),
        ("campus", "campuses"),
        ("box", "boxes"),
        ("knife", "knives"),
        ("leaf", "leaves"),
        ("hero", "heroes"),
        ("quiz", "quizzes"),
        ("index", "indices"),
        ("matrix", "matrices"),
        ("vertex", "vertices"),
        ("analysis", "analyses"),
        ("person", "people"),
        ("child", "children"),
        ("ox", "oxen"),
        ("foot", "feet"),
        ("goose", "geese"),
        ("mouse", "mice"),
        ("criterion", "criteria"),
        ("medium", "media"),
        ("alias", "aliases"),
        ("bus", "buses"),
        ("cactus", "cacti"),
        ("movie", "movies"),
        ("menu", "menus"),
        ("move", "moves"),
        ("tooth", "teeth"),
    ],
)
def test_plural_and_singular(one: str, many: str) -> None:
    assert plural(one) == many
    assert singular(many) == one


@pytest.mark.parametrize(
    "word",
    ["sheep", "fish", "series", "news", "equipment", "information", "software", "hardware",
     "firmware", "feedback", "metadata", "audio", "data", "staff", "species", "police",
     "recommended", "related"],
)  # fmt: skip
def test_uncountable_plural(word: str) -> None:
    assert plural(word) == word


@pytest.mark.parametrize(
    ("function", "word", "expected"),
    [
        # Doctrine's rule order, as Laravel 8 has it: all of these are Laravel's real answers.
        (plural, "criteria", "criterias"),
        (plural, "oxen", "oxens"),
        (plural, "feet", "feets"),
        (plural, "sub_menus", "sub_menuses"),  # 'us$' -> 'uses'
        (singular, "data", "data"),  # uninflected for singular too
        (singular, "media", "medium"),  # only '\w+media' is uninflected
        (singular, "datum", "datum"),
        (singular, "staff", "staff"),
        (singular, "news", "news"),
        (singular, "parentheses", "parenthesis"),
        (singular, "recommended", "recommended"),
        (
            pluralize,
            "money",
            "money",
        ),  # uninflected wins over the irregular money -> monies
        (singularize, "Children", "Child"),  # irregular keeps the capital first letter
        (pluralize, "USER", "USERs"),  # Doctrine alone does not match case
    ],
)
def test_laravel_quirks(function, word: str, expected: str) -> None:
    assert function(word) == expected


@pytest.mark.parametrize(
    ("word", "many"),
    [
        ("User", "Users"),
        ("USER", "USERS"),
        ("Person", "People"),
        ("PERSON", "PEOPLE"),
        ("CHILD", "CHILDREN"),
        ("Order Detail", "Order Details"),
        ("ID", "IDS"),
        ("2fa", "2fas"),
    ],
)
def test_plural_matches_case(word: str, many: str) -> None:
    assert plural(word) == many


def test_plural_count() -> None:
    assert plural("user", 1) == "user"
    assert plural("user", -1) == "user"
    assert plural("user", 1.5) == "user"  # (int) abs($count) === 1
    assert plural("user", ["one"]) == "user"  # a countable counts by its size
    assert plural("user", 0) == "users"
    assert plural_studly("InvoiceLine", 1) == "InvoiceLine"


def test_plural_leaves_names_not_ending_in_a_word_character() -> None:
    assert plural("user_") == "user_"
    assert plural("users?") == "users?"
    assert plural("") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("user_profiles", "UserProfiles"),
        ("order-items", "OrderItems"),
        ("order details", "OrderDetails"),
        ("user__id", "UserId"),
        ("UserId", "UserId"),
        ("élan_vital", "ÉlanVital"),  # Str::ucfirst is multibyte
        ("user\tname", "User\tname"),  # Laravel 8 splits on ' ' only
        ("", ""),
    ],
)
def test_studly(value: str, expected: str) -> None:
    assert studly(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("user_id", "userId"),
        ("InvoiceLine", "invoiceLine"),
        ("APILog", "aPILog"),
        ("élan_vital", "ÉlanVital"),  # ucfirst multibyte, then lcfirst ASCII-only
        ("Élan", "Élan"),  # lcfirst is ASCII-only
    ],
)
def test_camel(value: str, expected: str) -> None:
    assert camel(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("InvoiceLine", "invoice_line"),
        ("already_snake", "already_snake"),
        ("Order Details", "order_details"),
        ("order details", "order_details"),
        ("Order_Details", "order__details"),
        ("user_ID", "user__i_d"),
        ("HTTPStatus", "h_t_t_p_status"),
        ("UserSSHKey", "user_s_s_h_key"),
        ("ΟΔΟΣ", "οδοσ"),  # PHP 8.2's mb_strtolower has no final sigma
        ("Ünter", "ünter"),
    ],
)
def test_snake(value: str, expected: str) -> None:
    assert snake(value) == expected


def test_snake_with_delimiter() -> None:
    assert snake("InvoiceLine", "-") == "invoice-line"


@pytest.mark.parametrize(
    ("table", "model"),
    [
        ("users", "User"),
        ("order_items", "OrderItem"),
        ("people", "Person"),
        ("categories", "Category"),
        ("addresses", "Address"),
        ("statuses", "Status"),
        ("media", "Medium"),
        ("data", "Data"),
        ("staff", "Staff"),
        ("film_actor", "FilmActor"),
        ("Order Details", "OrderDetail"),
        ("InvoiceLine", "InvoiceLine"),
        ("Categories", "Category"),
        ("password_resets", "PasswordReset"),
        ("model_has_roles", "ModelHasRole"),
        ("activity_log", "ActivityLog"),
    ],
)
def test_model_name(table: str, model: str) -> None:
    assert model_name(table) == model


@pytest.mark.parametrize(
    ("model", "table"),
    [
        ("User", "users"),
        ("InvoiceLine", "invoice_lines"),
        ("Person", "people"),
        ("Child", "children"),
        ("Category", "categories"),
        ("Status", "statuses"),
        ("Staff", "staff"),
        ("Medium", "media"),
        ("Datum", "data"),
        ("Criterion", "criteria"),
        ("UserSSHKey", "user_s_s_h_keys"),
        ("APILog", "a_p_i_logs"),
        ("App\\Models\\BlogPost", "blog_posts"),
    ],
)
def test_table_name(model: str, table: str) -> None:
    assert table_name(model) == table


@pytest.mark.parametrize(
    "table",
    ["users", "order_items", "blog_post_categories", "people", "addresses", "statuses",
     "media", "personal_access_tokens", "shop_order_addresses", "server_variables"],
)  # fmt: skip
def test_round_trip(table: str) -> None:
    assert table_name(model_name(table)) == table


def test_foreign_key() -> None:
    assert foreign_key("BlogPost") == "blog_post_id"
    assert foreign_key("App\\Models\\User") == "user_id"
    assert foreign_key("User", "uuid") == "user_uuid"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("User", "Role", "role_user"),
        ("BlogPost", "Tag", "blog_post_tag"),
        ("Post", "Tag", "post_tag"),
        ("ShopProduct", "ShopCategory", "shop_category_shop_product"),
        ("App\\Models\\User", "Team", "team_user"),
    ],
)
def test_pivot_name(a: str, b: str, expected: str) -> None:
    assert pivot_name(a, b) == expected
    assert pivot_name(b, a) == expected


def test_pivot_name_sorts_numeric_segments_as_numbers() -> None:
    # PHP sort() compares two numeric strings as numbers (checked with PHP 8.2's sort()).
    assert php.compare_regular("9", "10") < 0
    assert php.compare_regular("9", "1e1") < 0
    assert php.compare_regular("a9", "a10") > 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("migrations", True),
        ("password_resets", True),
        ("password_reset_tokens", True),
        ("failed_jobs", True),
        ("jobs", True),
        ("job_batches", True),
        ("cache", True),
        ("cache_locks", True),
        ("sessions", True),
        ("personal_access_tokens", True),
        ("telescope_entries", True),
        ("telescope_monitoring", True),
        ("users", False),
        ("Sessions", False),
        ("job", False),
        ("telescope", False),
    ],
)
def test_is_framework_table(name: str, expected: bool) -> None:
    assert is_framework_table(name) is expected


def test_php_primitives() -> None:
    assert php.ucwords("a\vb c\fd\te-f") == "A\vB C\fD\tE-f"
    assert php.ucfirst("éa") == "éa"  # ASCII-only
    assert (
        php.ctype_lower("abc")
        and not php.ctype_lower("")
        and not php.ctype_lower("a_b")
    )
    assert php.strtolower("ÀB") == "Àb"
