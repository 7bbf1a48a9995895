"""sqlalchemy target: one golden per generated file for every fixture, and naming/safety cases."""

from __future__ import annotations

import ast

import attrs
import pytest

from backends import Ownership
from backends.sqlalchemy import backend
from compiler.frontends import load
from compiler.pipeline import compile_schema
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path


def emit_fixture(name: str, **options):
    # The source as a user would name it: goldens must not hold this machine's paths.
    schema = attrs.evolve(compile_schema(load(fixture_path(name))), source=name)
    return backend.emit(schema, options)


def emit_ddl(tmp_path, ddl: str, **options):
    path = tmp_path / "schema.sqlite.sql"
    path.write_text(ddl)
    return backend.emit(compile_schema(load(path)), options)


@pytest.mark.parametrize("fixture", FIXTURES + LARAVEL_FIXTURES)
def test_emit(fixture, golden, subtests):
    outs = emit_fixture(fixture)
    assert [o.path for o in outs] == ["models.py"]
    for out in outs:
        with subtests.test(out.path):
            assert out.ownership is Ownership.MERGED
            assert out.text == golden(name=out.path.replace("/", "__"))


@pytest.mark.parametrize("fixture", ["chinook.sqlite.sql", "filament-demo.sqlite.sql"])
def test_emit_package(fixture, golden, subtests):
    outs = emit_fixture(fixture, layout="package", package="app/models")
    assert outs[0].path == "app/models/base.py" and outs[-1].path == "app/models/__init__.py"
    for out in outs:
        with subtests.test(out.path):
            assert out.text == golden(name=out.path.replace("/", "__"))


def test_deterministic():
    assert emit_fixture("pterodactyl.sqlite.sql")[0].text == \
        emit_fixture("pterodactyl.sqlite.sql")[0].text


def test_untrusted_names_stay_inside_literals(tmp_path):
    ddl = ('CREATE TABLE "we\'ird */ ""name" ("id" integer primary key, '
           '"x\'); system(\'y" varchar(10) default \'a\'\'b"\\\', "class" integer, '
           '"Order Details" text, "metadata" text, "text" text);\n')
    text = emit_ddl(tmp_path, ddl)[0].text
    tree = ast.parse(text)  # still one valid module
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and getattr(n.func, "id", "") in ("system", "y")]
    assert calls == []
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    assert 'we\'ird */ "name' in strings and "x'); system('y" in strings
    assert "    class_: Mapped[int | None] = mapped_column(\"class\", Integer)" in text
    assert "metadata_: Mapped[str | None]" in text       # SQLAlchemy's own attribute
    assert "text_: Mapped[str | None]" in text           # would shadow sqlalchemy.text
    assert "order_details: Mapped[str | None] = mapped_column(\"Order Details\"" in text


def test_relation_stem_equal_to_column_is_renamed(tmp_path):
    ddl = ('CREATE TABLE "eggs" ("id" integer primary key);\n'
           'CREATE TABLE "servers" ("id" integer primary key, "config_from" integer '
           'references "eggs" ("id"), "type" integer references "eggs" ("id"), '
           '"name" text, "memory" integer);\n')
    text = emit_ddl(tmp_path, ddl)[0].text
    tree = ast.parse(text)
    server = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Server")
    names = [n.target.id for n in server.body if isinstance(n, ast.AnnAssign)]
    assert len(names) == len(set(names))
    assert "config_from" in names and "type" in names
    assert 'foreign_keys="Server.config_from"' in text  # two FKs to eggs: ambiguous


def test_enum_becomes_python_enum_without_check(tmp_path):
    ddl = ('CREATE TABLE "posts" ("id" integer primary key, "status" varchar check '
           '("status" in (\'draft\', \'in review\', \'2nd\')) not null);\n')
    text = emit_ddl(tmp_path, ddl)[0].text
    assert 'class PostStatus(enum.Enum):\n    DRAFT = "draft"\n    IN_REVIEW = "in review"\n' \
           '    V_2ND = "2nd"\n' in text
    assert "CheckConstraint" not in text
    assert "status: Mapped[PostStatus] = mapped_column(" in text


def test_framework_tables_option():
    default = emit_fixture("pterodactyl.sqlite.sql")[0].text
    withfw = emit_fixture("pterodactyl.sqlite.sql", framework_tables=True)[0].text
    assert '"migrations"' not in default and '"migrations"' in withfw


def test_inferred_fks_as_ddl_option():
    joined = emit_fixture("filament-demo.sqlite.sql")[0].text
    ddl = emit_fixture("filament-demo.sqlite.sql", inferred_foreign_keys="ddl")[0].text
    assert 'primaryjoin="foreign(BlogPost.blog_author_id) == BlogAuthor.id"' in joined
    assert 'ForeignKey("blog_authors.id")' in ddl and "BlogPost.blog_author_id)" not in ddl
