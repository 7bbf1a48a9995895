"""The per-table split of plantuml and docs: emit == emit_shared + emit_tables, whatever the chunks."""

from __future__ import annotations

import attrs
import pytest

from backends import get_backend
from compiler import cache
from compiler.frontends import load
from compiler.frontends.ddl import load_text
from compiler.pipeline import compile_schema
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path
from tests.support.per_table import single_table_files

TARGETS = ("plantuml", "docs")


def schema_of(fixture: str):
    return attrs.evolve(compile_schema(load(fixture_path(fixture))), source=fixture)


def files(outputs) -> set[tuple]:
    return {(f.path, f.text, f.ownership, f.tables) for f in outputs}


@pytest.fixture(scope="module", params=FIXTURES + LARAVEL_FIXTURES)
def schema(request):
    return schema_of(request.param)


@pytest.mark.parametrize("target", TARGETS)
def test_shared_plus_tables_is_emit(schema, target):
    backend = get_backend(target)
    opts = dict(backend.defaults)
    names = [t.name for t in schema.tables]
    whole = backend.emit(schema, opts)
    shared = backend.emit_shared(schema, opts)
    split = shared + backend.emit_tables(schema, opts, names)
    assert len(split) == len(whole) == len(files(whole))       # no file twice
    assert files(split) == files(whole)
    # any two halves (here: alternate tables, reversed) give the same union
    halves = (backend.emit_tables(schema, opts, names[1::2][::-1])
              + backend.emit_tables(schema, opts, names[::2]))
    assert files(shared + halves) == files(whole)
    assert not {f.path for f in shared} & {f.path for f in halves}


@pytest.mark.parametrize("target", TARGETS)
def test_one_table_files_depend_on_it(schema, target):
    backend = get_backend(target)
    opts = dict(backend.defaults)
    emitted = single_table_files(backend, schema, opts)
    assert emitted == len(backend.emit_tables(schema, opts, [t.name for t in schema.tables]))


def test_pivot_and_framework_tables_get_no_page():
    s = schema_of("laravel_conventions.sqlite.sql")
    backend = get_backend("docs")
    assert backend.emit_tables(s, backend.defaults, ["role_user", "migrations"]) == []


def test_page_depends_on_related_tables():
    s = schema_of("laravel_conventions.sqlite.sql")
    docs, plantuml = get_backend("docs"), get_backend("plantuml")
    page, = docs.emit_tables(s, docs.defaults, ["posts"])
    assert page.tables[0] == "posts" and {"users", "categories"} <= set(page.tables)
    diagram, = plantuml.emit_tables(s, plantuml.defaults, ["posts"])
    assert {"posts", "users", "categories"} <= set(diagram.tables)


def test_server_links_per_table():
    """Server links embed the focused diagram: a chunk gets the same links as a whole run."""
    s = schema_of("sakila.sqlite.sql")
    docs = get_backend("docs")
    opts = {**docs.defaults, "diagram_links": "server", "plantuml_server": "https://uml.example"}
    whole = {f.path: f for f in docs.emit(s, opts)}
    for f in docs.emit_tables(s, opts, ["film", "city"]):
        assert f == whole[f.path] and "https://uml.example/svg/" in f.text


def _compiled(text: str, name: str):
    return attrs.evolve(compile_schema(load_text(text, source=name, dialect="sqlite")), source=name)


@pytest.mark.parametrize("fixture, before, after", [
    # a new inferred relation: posts.editor_id -> users
    ("laravel_conventions.sqlite.sql", '"author_id" integer not null,',
     '"author_id" integer not null, "editor_id" integer,'),
    # a plain new column on a table others point at
    ("chinook.sqlite.sql", "[Title] NVARCHAR(160)  NOT NULL,",
     "[Title] NVARCHAR(160)  NOT NULL, [Subtitle] NVARCHAR(160),"),
])
@pytest.mark.parametrize("target", TARGETS)
def test_incremental_reemission_is_enough(fixture, before, after, target):
    """After a schema change: re-emit the changed tables and their neighbours
    (``compiler.cache.neighbours``), keep every earlier per-table file whose ``tables``
    hold no changed table.  That gives exactly the files of a full run on the new
    schema: a file's tables are its own table and neighbours of it."""
    text = fixture_path(fixture).read_text()
    assert before in text
    old, new = _compiled(text, fixture), _compiled(text.replace(before, after, 1), fixture)
    backend = get_backend(target)
    opts = dict(backend.defaults)
    old_fp, new_fp = cache.table_fingerprints(old), cache.table_fingerprints(new)
    changed = {t for t, fp in new_fp.items() if old_fp.get(t) != fp}
    only = cache.neighbours(new, changed)
    assert 0 < len(only) < len(new.tables)
    result = {f.path: f for f in backend.emit_tables(old, opts, [t.name for t in old.tables])
              if not set(f.tables) & changed}
    result.update((f.path, f) for f in backend.emit_tables(new, opts, sorted(only)))
    full = backend.emit_tables(new, opts, [t.name for t in new.tables])
    assert files(result.values()) == files(full)
