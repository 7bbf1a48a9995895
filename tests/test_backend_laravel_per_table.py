"""Laravel targets split per table: emit_shared + emit_tables give exactly emit()'s files.

The driver emits chunks of tables in worker processes and, after a change, only
the changed tables and their neighbours; any other split must give the same
files, and a table's call must give only files that name that table.
"""

from __future__ import annotations

import copy
import random

import attrs
import pytest

from backends import get_backend
from compiler.frontends import load
from compiler.pipeline import compile_schema
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path
from tests.support.per_table import single_table_files

TARGETS = ("eloquent", "factories", "form-requests", "laravel-migrations")
# Non-default options that change which files exist (rules classes, no base classes,
# framework tables' migrations).
VARIANTS = {"eloquent": {"base_classes": False}, "form-requests": {"model_rules": True},
            "laravel-migrations": {"framework_tables": True}}


def _files(files) -> set[tuple]:
    return {(f.path, f.text, f.ownership, f.tables, f.exists_glob) for f in files}


@pytest.fixture(scope="module", params=FIXTURES + LARAVEL_FIXTURES)
def schema(request):
    fixture = request.param
    return attrs.evolve(compile_schema(load(fixture_path(fixture))), source=fixture)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("variant", [False, True])
def test_split_equals_emit(schema, target, variant):
    backend = get_backend(target)
    opts = {**backend.defaults, **(VARIANTS.get(target, {}) if variant else {})}
    whole = backend.emit(schema, opts)
    names = [t.name for t in schema.tables]
    # A fresh copy: the whole-schema memo must not be what makes the split agree.
    other = copy.copy(schema)
    split = backend.emit_shared(other, opts) + backend.emit_tables(other, opts, names)
    assert [f.path for f in split] == [f.path for f in whole]
    assert _files(split) == _files(whole)
    assert len({f.path for f in whole}) == len(whole)

    shuffled = names[:]
    random.Random(len(names)).shuffle(shuffled)
    half = len(shuffled) // 2
    parts = (backend.emit_shared(schema, opts) + backend.emit_tables(schema, opts, shuffled[:half])
             + backend.emit_tables(schema, opts, shuffled[half:]))
    assert _files(parts) == _files(whole)
    assert len(parts) == len(whole)


@pytest.mark.parametrize("target", TARGETS)
def test_one_table_gives_only_its_files(schema, target):
    backend = get_backend(target)
    opts = dict(backend.defaults)
    assert single_table_files(backend, schema, opts) == len(backend.emit(schema, opts))


@pytest.mark.parametrize("target", TARGETS)
def test_unknown_and_empty_table_lists(schema, target):
    backend = get_backend(target)
    opts = dict(backend.defaults)
    assert backend.emit_tables(schema, opts, []) == []
    assert backend.emit_tables(schema, opts, ["no such table"]) == []
