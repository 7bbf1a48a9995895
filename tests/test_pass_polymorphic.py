"""infer_morphs on tiny schemas: morphTo, morphMany/morphOne from config or sampled type
values, and polymorphic pivots (morphToMany)."""

from __future__ import annotations

import attrs

from compiler.options import AnalysisOptions
from ir.model import Schema
from tests.support.tiny import ID, MORPHS, conv, ddl, rel_on, rels, run

PARENTS = (f'CREATE TABLE "posts" ({ID}, "title" varchar);'
           f'CREATE TABLE "videos" ({ID}, "url" varchar);')
COMMENTS = (f'CREATE TABLE "comments" ({ID}, "commentable_type" varchar not null, '
            '"commentable_id" integer not null, "body" text);')
TAGS = (f'CREATE TABLE "tags" ({ID}, "name" varchar);'
        'CREATE TABLE "taggables" ("tag_id" integer not null, "taggable_type" varchar not null, '
        '"taggable_id" integer not null, foreign key("tag_id") references "tags"("id"));')


def with_samples(schema: Schema, table: str, column: str, *values: str) -> Schema:
    """What the SQLite-file frontend records: distinct values read from ``<morph>_type``."""
    t = schema.table(table)
    cols = [attrs.evolve(c, samples=values) if c.name == column else c for c in t.columns]
    return schema.replace_tables(attrs.evolve(x, columns=cols) if x.name == table else x
                                 for x in schema.tables)


def morph(text_or_schema, options: AnalysisOptions | None = None):
    return run(text_or_schema, options, upto=MORPHS)


def kinds(schema, table):
    return sorted((r.kind.value, r.ref_table or "-") for r in rels(schema, table=table))


def test_morph_to_always():
    s = morph(PARENTS + COMMENTS)
    [r] = rels(s, table="comments")
    assert (r.kind.value, r.name, r.ref_table) == ("morph_to", "commentable", None)
    assert (r.morph.type_column, r.morph.id_column) == ("commentable_type", "commentable_id")
    assert r.provenance.rule == "morph-pair"


def test_morph_many_from_config_targets():
    s = morph(PARENTS + COMMENTS,
              AnalysisOptions(morph_targets={"comments.commentable": ("posts", "videos")}))
    many = rels(s, table="comments", kind="morph_many")
    assert [(r.ref_table, r.inverse_name, r.provenance.rule) for r in many] == [
        ("posts", "comments", "morph-config"), ("videos", "comments", "morph-config")]
    # what Laravel stores by default: the model's class name
    assert [r.morph.type_value for r in many] == ["App\\Models\\Post", "App\\Models\\Video"]


def test_config_target_type_value_comes_from_the_morph_map():
    s = morph(PARENTS + COMMENTS,
              AnalysisOptions(morph_targets={"comments.commentable": ("posts",)},
                              morph_map={"post": "posts"}))
    (many,) = rels(s, table="comments", kind="morph_many")
    assert many.morph.type_value == "post"


def test_config_target_that_does_not_exist_is_skipped():
    s = morph(PARENTS + COMMENTS,
              AnalysisOptions(morph_targets={"comments.commentable": ("nope",)}))
    assert kinds(s, "comments") == [("morph_to", "-")]


def test_morph_many_from_samples_via_morph_map():
    s = with_samples(ddl(PARENTS + COMMENTS), "comments", "commentable_type", "post", "clip")
    s = morph(s, AnalysisOptions(morph_map={"post": "posts", "clip": "videos"}))
    many = rels(s, table="comments", kind="morph_many")
    assert [(r.ref_table, r.morph.type_value, r.provenance.rule) for r in many] == [
        ("posts", "post", "morph-sampled"), ("videos", "clip", "morph-sampled")]


def test_morph_many_from_samples_via_class_basename():
    s = with_samples(ddl(PARENTS + COMMENTS), "comments", "commentable_type",
                     "App\\Models\\Post", "App\\Models\\Unknown")
    many = rels(morph(s), table="comments", kind="morph_many")
    assert [(r.ref_table, r.morph.type_value) for r in many] == [("posts", "App\\Models\\Post")]


def test_unmapped_sample_gives_no_inverse():
    s = with_samples(ddl(PARENTS + COMMENTS), "comments", "commentable_type", "article")
    assert kinds(morph(s), "comments") == [("morph_to", "-")]


def test_morph_one_when_pair_unique():
    s = morph(PARENTS + COMMENTS + 'CREATE UNIQUE INDEX "c_u" on "comments" '
              '("commentable_type", "commentable_id");',
              AnalysisOptions(morph_targets={"comments.commentable": ("posts",)}))
    [r] = rels(s, table="comments", kind="morph_one")
    assert (r.ref_table, r.inverse_name) == ("posts", "comment")


def test_morph_pivot_to_morph_to_many():
    s = morph(PARENTS + TAGS,
              AnalysisOptions(morph_targets={"taggables.taggable": ("posts", "videos")}))
    mtm = rels(s, kind="morph_to_many")
    assert [(r.table, r.ref_table, r.name, r.inverse_name) for r in mtm] == [
        ("posts", "tags", "tags", "posts"), ("videos", "tags", "tags", "videos")]
    r = mtm[0]
    assert (r.pivot.table, r.pivot.columns, r.pivot.ref_columns) == (
        "taggables", ("taggable_id",), ("tag_id",))
    assert r.morph.type_column == "taggable_type" and r.provenance.rule == "morph-pivot"
    c = conv(s, "taggables")
    assert c.pivot and c.model is None
    assert rels(s, table="taggables") == []  # its belongsTo tag edge lives on in the pivot


def test_morph_pivot_from_samples():
    s = with_samples(ddl(PARENTS + TAGS), "taggables", "taggable_type", "App\\Models\\Video")
    [r] = rels(morph(s), kind="morph_to_many")
    assert (r.table, r.morph.type_value) == ("videos", "App\\Models\\Video")


def test_morph_pivot_without_targets_keeps_its_model():
    s = morph(PARENTS + TAGS)
    assert rels(s, kind="morph_to_many") == []
    c = conv(s, "taggables")
    assert not c.pivot and c.model == "Taggable"
    assert kinds(s, "taggables") == [("many_to_one", "tags"), ("morph_to", "-")]


def test_morph_pivot_with_own_id_keeps_model_and_edges():
    text = PARENTS + (f'CREATE TABLE "tags" ({ID});'
                      f'CREATE TABLE "taggables" ({ID}, "tag_id" integer, '
                      '"taggable_type" varchar, "taggable_id" integer);')
    s = morph(text, AnalysisOptions(morph_targets={"taggables.taggable": ("posts",)}))
    assert len(rels(s, kind="morph_to_many")) == 1
    assert conv(s, "taggables").model == "Taggable"
    assert rel_on(s, "taggables", "tag_id") is not None


def test_pair_plus_data_is_not_a_morph_pivot():
    text = PARENTS + (f'CREATE TABLE "tags" ({ID});'
                      'CREATE TABLE "taggables" ("tag_id" integer, "taggable_type" varchar, '
                      '"taggable_id" integer, "weight" integer);')
    s = morph(text, AnalysisOptions(morph_targets={"taggables.taggable": ("posts",)}))
    assert rels(s, kind="morph_to_many") == []
    assert kinds(s, "taggables") == [("many_to_one", "tags"), ("morph_many", "posts"),
                                     ("morph_to", "-")]


def test_framework_table_morphs_ignored():
    s = morph(f'CREATE TABLE "personal_access_tokens" ({ID}, "tokenable_type" varchar, '
              '"tokenable_id" integer);')
    assert rels(s) == []


def test_rules_off_morph():
    s = morph(PARENTS + COMMENTS, AnalysisOptions(rules_off={"morph"}))
    assert rels(s) == []
