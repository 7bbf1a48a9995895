"""Goldens of the factories target: every generated file of every fixture (Laravel 13 defaults)."""

from __future__ import annotations

import textwrap

import attrs
import pytest

from backends import Ownership
from backends.factories import backend
from backends.factories.view import build_factories
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


def test_create_once_and_layout():
    files = {f.path: f for f in emit_fixture("filament-demo.sqlite.sql")}
    user = files["database/factories/UserFactory.php"]
    assert user.ownership is Ownership.CREATE_ONCE and user.exists_glob == user.path
    assert "namespace Database\\Factories;" in user.text
    assert "class UserFactory extends Factory" in user.text
    assert "protected $model = User::class;" in user.text
    assert "'remember_token' => Str::random(10)," in user.text
    assert "'created_at'" not in user.text and "'id'" not in user.text


def test_models_namespace_and_version_8():
    files = emit_sql("""
        CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email VARCHAR(255) NOT NULL);
        CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT,
          user_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR(255) NOT NULL);
        """, models_namespace="Domain\\Blog", laravel_version=8)
    post = files["database/factories/PostFactory.php"]
    assert "use Domain\\Blog\\Post;" in post and "use Domain\\Blog\\User;" in post
    assert "'user_id' => User::factory()," in post and "@extends" not in post


def test_lengths_bounds_and_keys():
    files = emit_sql("""
        CREATE TABLE parents (id INTEGER PRIMARY KEY AUTOINCREMENT, code VARCHAR(3) NOT NULL
          UNIQUE, name VARCHAR(10) NOT NULL);
        CREATE TABLE things (id INTEGER PRIMARY KEY AUTOINCREMENT,
          parent_code VARCHAR(3) NOT NULL REFERENCES parents (code),
          other_id INTEGER REFERENCES parents (code),
          cc VARCHAR(2) NOT NULL, email VARCHAR(20) NOT NULL UNIQUE, country VARCHAR(12),
          small TINYINT UNSIGNED NOT NULL, stars INTEGER CHECK (stars BETWEEN 1 AND 5),
          ratio DECIMAL(3, 2) NOT NULL, flag BOOLEAN NOT NULL, payload JSON NOT NULL,
          full_name VARCHAR(100) GENERATED ALWAYS AS (cc) VIRTUAL,
          pattern TEXT CHECK (pattern LIKE 'a%'));
        CREATE TABLE nodes (id INTEGER PRIMARY KEY AUTOINCREMENT,
          parent_id INTEGER NOT NULL REFERENCES nodes (id), label TEXT);
        """)
    things = files["database/factories/ThingFactory.php"]
    parent = files["database/factories/ParentModelFactory.php"]   # `parent` is reserved
    assert "'code' => $this->faker->unique()->lexify('???')," in parent
    assert "'name' => substr($this->faker->words(2, true), 0, 10)," in parent  # not a person
    assert "->create()->getAttribute('code')" in things         # key is not the parent's id
    assert "'other_id'" not in things                           # nullable key: left null
    assert "'cc' => $this->faker->lexify('??')," in things
    assert "'email' => $this->faker->unique()->regexify('[a-z]{8}@example\\.com')," in things
    assert "'small' => $this->faker->numberBetween(0, 255)," in things
    assert "'stars' => $this->faker->numberBetween(1, 5)," in things
    assert "'country' => substr($this->faker->country(), 0, 12)," in things
    assert "'payload' => ['example' => $this->faker->word()]," in things
    assert "'ratio' => $this->faker->randomFloat(2, 0, 9.99)," in things
    assert "'flag' => $this->faker->boolean()," in things
    assert "'full_name'" not in things
    assert "// pattern: a CHECK schemac cannot read constrains it; left null" in things
    node = files["database/factories/NodeFactory.php"]
    assert "// parent_id: refers to its own table" in node and "Node::factory()" not in node
    views = build_factories(compile_schema(load_text(textwrap.dedent("""
        CREATE TABLE nodes (id INTEGER PRIMARY KEY AUTOINCREMENT,
          parent_id INTEGER NOT NULL REFERENCES nodes (id));"""), source="t", dialect="sqlite")),
        backend.defaults)
    assert views[0].incomplete == ("parent_id",)


def test_uuid_key_by_version():
    sql = "CREATE TABLE docs (id CHAR(36) PRIMARY KEY NOT NULL, title VARCHAR(200));"
    v8 = emit_sql(sql, laravel_version=8)["database/factories/DocFactory.php"]
    v13 = emit_sql(sql)["database/factories/DocFactory.php"]
    assert "'id' => $this->faker->unique()->uuid()," in v8
    assert "'id'" not in v13     # HasUuids fills it


def test_untrusted_identifiers_stay_exact():
    files = {f.path: f.text for f in backend.emit(load_nasty(), backend.defaults)}
    assert all(".." not in p and not p.startswith("/") for p in files)
    text = "\n".join(files.values())
    assert "'x\\'); system(\\'y' =>" in text and "'back\\\\slash' =>" in text
    assert "'*/ end' =>" in text
    assert "MatchModelFactory" in text
