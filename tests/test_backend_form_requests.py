"""Goldens of the form-requests target: every generated file of every fixture (Laravel 13 defaults)."""

from __future__ import annotations

import textwrap

import attrs
import pytest

from backends import HASH_PLACEHOLDER, Ownership
from backends.form_requests import backend
from compiler.frontends import load
from compiler.frontends.ddl import load_text
from compiler.pipeline import compile_schema
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path
from tests.test_eloquent_php import load_nasty


def emit_fixture(fixture: str, **options):
    schema = attrs.evolve(compile_schema(load(fixture_path(fixture))), source=fixture)
    return backend.emit(schema, {**backend.defaults, **options})


def emit_sql(sql: str, **options) -> dict[str, str]:
    schema = compile_schema(load_text(textwrap.dedent(sql), source="t.sql", dialect="sqlite"))
    return {f.path: f.text for f in backend.emit(schema, {**backend.defaults, **options})}


@pytest.mark.parametrize("fixture", FIXTURES + LARAVEL_FIXTURES)
def test_emit(fixture, golden, subtests):
    for out in emit_fixture(fixture):
        with subtests.test(out.path):
            assert out.text == golden(name=out.path.replace("/", "__"))


def test_model_rules_golden(golden, subtests):
    for out in emit_fixture("filament-demo.sqlite.sql", model_rules=True):
        if "/Rules/" in out.path:
            with subtests.test(out.path):
                assert out.text == golden(name=out.path.replace("/", "__"))


def test_ownership_and_layout():
    files = {f.path: f for f in emit_fixture("filament-demo.sqlite.sql", model_rules=True)}
    store = files["app/Http/Requests/StoreBlogPostRequest.php"]
    assert store.ownership is Ownership.CREATE_ONCE and store.exists_glob == store.path
    assert "class StoreBlogPostRequest extends FormRequest" in store.text
    rules = files["app/Http/Requests/Rules/BlogPostRules.php"]
    assert rules.ownership is Ownership.REGENERATED and HASH_PLACEHOLDER in rules.text
    assert "namespace App\\Http\\Requests\\Rules;" in rules.text


SQL = """
    CREATE TABLE teams (code VARCHAR(10) PRIMARY KEY NOT NULL, name VARCHAR(40) NOT NULL);
    CREATE TABLE blog_posts (id INTEGER PRIMARY KEY AUTOINCREMENT,
      team_code VARCHAR(10) NOT NULL REFERENCES teams (code),
      slug VARCHAR(80) NOT NULL UNIQUE, status TEXT NOT NULL CHECK (status IN ('a,b', 'it''s')),
      score INTEGER NOT NULL DEFAULT 0 CHECK (score >= 0), ulid CHAR(26),
      meta JSON, created_at DATETIME, updated_at DATETIME);
    """


def test_rules_per_kind_and_update():
    files = emit_sql(SQL)
    store = files["app/Http/Requests/StoreBlogPostRequest.php"]
    update = files["app/Http/Requests/UpdateBlogPostRequest.php"]
    assert "'team_code' => ['required', 'string', 'max:10', Rule::exists('teams', 'code')]," \
        in store
    assert "Rule::in(['a,b', 'it\\'s'])" in store
    assert "'score' => ['integer', 'min:0']," in store     # NOT NULL with a default: optional
    assert "'meta' => ['nullable', 'array']," in store     # cast to array: sent as an array
    assert "'ulid' => ['nullable', 'string', 'ulid', 'max:26']," in store
    assert "'created_at'" not in store and "'id'" not in store
    assert "Rule::unique('blog_posts', 'slug')->ignore($this->route('blog_post'))," in update
    assert "'slug' => [\n                'sometimes',\n                'required'," in update
    team = files["app/Http/Requests/UpdateTeamRequest.php"]
    assert "Rule::unique('teams', 'code')->ignore($this->route('team'), 'code')" in team


def test_version_8_spellings():
    store = emit_sql(SQL, laravel_version=8)["app/Http/Requests/StoreBlogPostRequest.php"]
    assert "'regex:/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i'" in store and "'string', 'ulid'" not in store
    assert "@return array<string, mixed>" in store


def test_untrusted_identifiers_stay_exact():
    files = {f.path: f.text for f in backend.emit(load_nasty(), {**backend.defaults,
                                                                 "model_rules": True})}
    assert all(".." not in p and not p.startswith("/") for p in files)
    text = "\n".join(files.values())
    assert "'x\\'); system(\\'y' => ['nullable', 'string']," in text
    assert "Rule::unique('we\\'ird */ \"name'" not in text or "'we\\'ird */ \"name'" in text
    assert "Rule::exists('we\\'ird */ \"name', 'id')" in text
    assert "StoreMatchModelRequest" in text
