"""The per-table split of plantuml and docs: emit == emit_shared + emit_tables, whatever the chunks."""

from __future__ import annotations

import attrs
import pytest

from backends import get_backend
from compiler.frontends import load
from compiler.pipeline import compile_schema
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path

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
    emitted = 0
    for t in schema.tables:
        got = backend.emit_tables(schema, opts, [t.name])
        assert all(t.name in f.tables for f in got), t.name
        emitted += len(got)
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
