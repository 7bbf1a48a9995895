"""Goldens of the eloquent target: every generated file of every fixture (Laravel 13 defaults)."""

from __future__ import annotations

import attrs
import pytest

from backends import Ownership
from backends.eloquent import backend
from compiler.frontends import load
from compiler.pipeline import compile_schema
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path


def emit_fixture(fixture: str, **options):
    schema = attrs.evolve(compile_schema(load(fixture_path(fixture))), source=fixture)
    return backend.emit(schema, {**backend.defaults, **options})


@pytest.mark.parametrize("fixture", FIXTURES + LARAVEL_FIXTURES)
def test_emit(fixture, golden, subtests):
    for out in emit_fixture(fixture):
        with subtests.test(out.path):
            assert out.text == golden(name=out.path.replace("/", "__"))


def test_ownership_and_layout():
    files = {f.path: f for f in emit_fixture("filament-demo.sqlite.sql")}
    base, user = files["app/Models/Base/User.php"], files["app/Models/User.php"]
    assert base.ownership is Ownership.REGENERATED and "SCHEMAC-HASH-PLACEHOLDER" in base.text
    assert user.ownership is Ownership.CREATE_ONCE and user.exists_glob == "app/Models/User.php"
    assert "use App\\Models\\Base\\User as BaseUser;" in user.text
    assert "abstract class User extends Authenticatable" in base.text
    assert files["app/Enums/ShopOrderStatus.php"].ownership is Ownership.REGENERATED


def test_no_base_and_version_8():
    files = {f.path: f.text for f in emit_fixture("filament-demo.sqlite.sql", base_classes=False,
                                                 laravel_version=8)}
    assert not any("/Base/" in p for p in files)
    post = files["app/Models/BlogPost.php"]
    assert "class BlogPost extends Model" in post and "abstract" not in post
    assert "protected $casts = [" in post and "function casts()" not in post
    assert "'hashed'" not in files["app/Models/User.php"]


def test_uuid_traits_by_version():
    import textwrap

    from compiler.frontends.ddl import load_text
    schema = compile_schema(load_text(textwrap.dedent("""
        CREATE TABLE docs (id CHAR(36) PRIMARY KEY NOT NULL, title TEXT);"""),
        source="t.sql", dialect="sqlite"))
    assert schema.table("docs").conventions.key_format == "uuid"
    v8 = backend.emit(schema, {**backend.defaults, "laravel_version": 8})[0].text
    v13 = backend.emit(schema, {**backend.defaults})[0].text
    assert "HasUuids" not in v8 and "protected $keyType = 'string';" in v8
    assert "use HasUuids;" in v13 and "$keyType" not in v13 and "$incrementing" not in v13
