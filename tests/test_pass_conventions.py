"""detect_conventions on tiny schemas: one rule per test, positive and negative."""

from __future__ import annotations

import pytest

from compiler.options import AnalysisOptions
from tests.support.tiny import CONVENTIONS, ID, STAMPS, conv, run


def one(table_ddl: str, options: AnalysisOptions | None = None, name: str = "t"):
    return conv(run(table_ddl, options, upto=CONVENTIONS), name)


def test_laravel_timestamps():
    c = one(f'CREATE TABLE "t" ({ID}, {STAMPS});')
    assert (c.created_at, c.updated_at) == ("created_at", "updated_at")
    assert [p.rule for p in c.provenance][:2] == ["created-at", "updated-at"]


@pytest.mark.parametrize("created, updated", [("created", "modified"),
                                              ("create_time", "update_time"),
                                              ("date_created", "date_modified")])
def test_custom_timestamp_names(created, updated):
    c = one(f'CREATE TABLE "t" ({ID}, "{created}" datetime, "{updated}" datetime);')
    assert (c.created_at, c.updated_at) == (created, updated)


def test_last_update_only():
    # sakila: only an update stamp; created_at stays None (Laravel: CREATED_AT = null).
    c = one(f'CREATE TABLE "t" ({ID}, "last_update" datetime not null);')
    assert (c.created_at, c.updated_at) == (None, "last_update")


def test_timestamp_names_need_a_time_type():
    c = one(f'CREATE TABLE "t" ({ID}, "created_at" varchar, "updated_at" integer);')
    assert (c.created_at, c.updated_at) == (None, None)


def test_soft_deletes():
    assert one(f'CREATE TABLE "t" ({ID}, "deleted_at" datetime);').deleted_at == "deleted_at"


def test_soft_deletes_needs_nullable_column():
    assert one(f'CREATE TABLE "t" ({ID}, "deleted_at" datetime not null);').deleted_at is None


def test_no_soft_deletes_without_column():
    assert one(f'CREATE TABLE "t" ({ID}, "deleted" tinyint(1));').deleted_at is None


def test_int_key_incrementing():
    c = one(f'CREATE TABLE "t" ({ID});')
    assert (c.key, c.key_type, c.incrementing, c.key_format) == (("id",), "int", True, None)


def test_int_key_not_incrementing():
    # bigint is not SQLite's rowid alias: nothing assigns it
    c = one('CREATE TABLE "t" ("id" bigint not null, primary key ("id"));')
    assert (c.key_type, c.incrementing) == ("int", False)


def test_sqlite_rowid_key_is_incrementing_without_autoincrement():
    c = one('CREATE TABLE "t" ("id" integer not null, primary key ("id"));')
    assert (c.key_type, c.incrementing) == ("int", True)


def test_string_key():
    c = one('CREATE TABLE "t" ("code" varchar not null, primary key ("code"));')
    assert (c.key, c.key_type, c.key_format, c.incrementing) == (("code",), "string", None,
                                                                 False)


def test_uuid_key():
    c = one('CREATE TABLE "t" ("id" uuid not null primary key);')
    assert (c.key_type, c.key_format) == ("string", "uuid")


def test_ulid_key_is_char_26():
    c = one('CREATE TABLE "t" ("id" char(26) not null primary key);')
    assert (c.key_type, c.key_format) == ("string", "ulid")


def test_varchar_26_is_not_ulid():
    assert one('CREATE TABLE "t" ("id" varchar(26) not null primary key);').key_format is None


def test_composite_key_flagged():
    c = one('CREATE TABLE "t" ("a" integer not null, "b" integer not null, '
            'primary key ("a", "b"));')
    assert c.key == ("a", "b") and c.key_type is None
    assert any(p.rule == "composite-key" for p in c.provenance)


def test_no_key():
    c = one('CREATE TABLE "t" ("a" integer);')
    assert (c.key, c.key_type) == ((), None)


def test_remember_token():
    assert one(f'CREATE TABLE "t" ({ID}, "remember_token" varchar);').remember_token \
        == "remember_token"
    assert one(f'CREATE TABLE "t" ({ID}, "token" varchar);').remember_token is None


def test_morph_pairs():
    c = one(f'CREATE TABLE "t" ({ID}, "commentable_type" varchar, "commentable_id" integer, '
            '"content_type" varchar);')
    assert c.morphs == ("commentable",)  # content_type has no content_id: not a pair


def test_bare_type_column_is_not_a_morph():
    assert one(f'CREATE TABLE "t" ({ID}, "type" varchar, "_id" integer);').morphs == ()


def test_model_name_from_table():
    assert one(f'CREATE TABLE "order_items" ({ID});', name="order_items").model == "OrderItem"
    assert one(f'CREATE TABLE "people" ({ID});', name="people").model == "Person"


@pytest.mark.parametrize("table", ["migrations", "jobs", "failed_jobs", "password_resets",
                                   "sessions", "personal_access_tokens", "cache"])
def test_framework_tables_get_no_model(table):
    c = one(f'CREATE TABLE "{table}" ({ID});', name=table)
    assert c.framework and c.model is None
    assert any(p.rule == "framework-table" for p in c.provenance)


def test_framework_models_option_keeps_models():
    c = one(f'CREATE TABLE "jobs" ({ID});', AnalysisOptions(framework_models=True), name="jobs")
    assert c.framework and c.model == "Job"


def test_non_framework_table_keeps_model():
    c = one(f'CREATE TABLE "job_offers" ({ID});', name="job_offers")
    assert not c.framework and c.model == "JobOffer"


def test_ignore_tables():
    c = one(f'CREATE TABLE "t" ({ID});', AnalysisOptions(ignore_tables={"t"}))
    assert c.model is None
    assert any(p.rule == "ignored" and p.origin.value == "config" for p in c.provenance)


def test_model_name_override():
    c = one(f'CREATE TABLE "tbl_usr" ({ID});', AnalysisOptions(model_names={"tbl_usr": "User"}),
            name="tbl_usr")
    assert c.model == "User"
