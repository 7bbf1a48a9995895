"""The factories target checked by real PHP: php -l, phpcs PSR-12, and a run on Laravel 8.

Runtime (TOOLCHAIN.md section 1): a fixture's SQLite DDL is executed into a temp database,
the eloquent target's models (Laravel 8) and this target's factories are loaded on Debian's
Laravel 8.83 with Debian's Faker, foreign keys ON, and ``Model::factory()->count(3)->create()``
runs for every model, parents first.  SQLite enforces NOT NULL, CHECKs, unique indexes and
declared foreign keys; it keeps no lengths, so tests/php/run_factories.php checks each stored
row against the IR's max_length / in / min / max / exists constraints.

Factories that cannot make a row on their own (``FactoryView.incomplete``) get what a caller
would give: a morph pair with no known target points at another model; a required key on a
cycle (sakila's store <-> staff) is filled inside one transaction with deferred foreign keys;
a required key whose parent factory cannot run alone points at a parent row made earlier.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from backends.eloquent import backend as eloquent
from backends.factories import backend
from backends.factories.view import build_factories, parents
from ir.model import Schema
from ir.rules import ConstraintKind as C
from tests.conftest import LARAVEL_FIXTURES, fixture_path, need_tool
from tests.test_eloquent_php import ALL, OWN, compiled, lint, load_nasty, own_schema

PHP_DIR = Path(__file__).parent / "php"
RUNTIME = ["chinook.sqlite.sql", "chinook_autoinc.sqlite.sql", "northwind.sqlite.sql",
           "sakila.sqlite.sql", "laravel_conventions.sqlite.sql", *LARAVEL_FIXTURES]
_CHECKED = (C.MAX_LENGTH, C.IN, C.MIN, C.MAX, C.EXISTS)


def write(schema: Schema, root: Path, target, **options) -> list[Path]:
    paths = []
    for f in target.emit(schema, {**target.defaults, **options}):
        p = root / f.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f.text)
        paths.append(p)
    return paths


@pytest.mark.parametrize("version", [8, 13])
def test_lint_every_fixture(version, tmp_path):
    paths = []
    for i, fixture in enumerate(ALL):
        paths += write(compiled(fixture), tmp_path / str(i), backend, laravel_version=version)
    paths += write(load_nasty(), tmp_path / "nasty", backend, laravel_version=version)
    lint(paths, tmp_path)


def dependency_order(schema: Schema, views) -> list:
    """Views with their required parents first (keys left out of a factory do not count)."""
    by_table = {v.table: v for v in views}
    done: list = []

    def visit(v, path=()):
        if v in done or v.table in path:
            return
        for col, (ref, _rc) in parents(schema, schema.table(v.table)).items():
            c = schema.table(v.table).column(col)
            if ref in by_table and c is not None and not c.nullable and col not in v.incomplete:
                visit(by_table[ref], path + (v.table,))
        done.append(v)

    for v in views:
        visit(v)
    return done


def _tainted(schema: Schema, views) -> set[str]:
    """Tables whose factory cannot make a row alone: incomplete, or a required parent is."""
    by_table = {v.table: v for v in views}
    bad = {v.table for v in views if v.incomplete}
    changed = True
    while changed:
        changed = False
        for v in views:
            for col, (ref, _rc) in parents(schema, schema.table(v.table)).items():
                c = schema.table(v.table).column(col)
                if v.table not in bad and ref in bad and ref in by_table and not c.nullable \
                        and col not in v.incomplete:
                    bad.add(v.table)
                    changed = True
    return bad


def model_spec(schema: Schema, v, views) -> dict:
    table = schema.table(v.table)
    refs = parents(schema, table)
    plain = [w for w in views if not w.incomplete
             and len(schema.table(w.table).conventions.key) == 1]
    overrides, fixups = {}, []
    for col in v.incomplete:
        if col in refs:
            ref = schema.table(refs[col][0])
            parent = next(w.model_fqcn for w in views if w.table == ref.name)
            fixups.append({"column": col, "parent": parent,
                           "parent_table": ref.name, "parent_key": ref.conventions.key[0]})
        elif col.endswith("_type"):
            overrides[col] = plain[0].model_fqcn
        elif col.endswith("_id"):
            overrides[col] = f"@factory:{plain[0].model_fqcn}"
    tainted = _tainted(schema, views)
    for col, (ref, rc) in refs.items():
        c = table.column(col)
        if col not in v.incomplete and not c.nullable and ref in tainted:
            # its parent factory cannot run alone: use a parent row made earlier
            overrides[col] = {"existing": ref, "column": rc}
    checks = [{"column": c.name, "kind": k.kind.value, "args": list(k.args)}
              for c in table.columns for k in c.constraints if k.kind in _CHECKED]
    return {"fqcn": v.model_fqcn, "table": v.table, "overrides": overrides,
            "fixups": fixups, "checks": checks, "key": list(table.conventions.key)}


def runtime_files(schema: Schema, root: Path, *extra_targets) -> list[str]:
    files = []
    for f in eloquent.emit(schema, {**eloquent.defaults, "laravel_version": 8}):
        files.append((0 if "/Enums/" in f.path else 1 if "/Base/" in f.path else 2, f))
    for target in (backend, *extra_targets):
        files += [(3, f) for f in target.emit(schema, {**target.defaults, "laravel_version": 8})]
    out = []
    for _rank, f in sorted(files, key=lambda x: x[0]):
        p = root / f.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f.text)
        out.append(str(p))
    return out


def make_db(fixture: str, db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.executescript(OWN if fixture == "own" else fixture_path(fixture).read_text())


def schema_of(fixture: str) -> Schema:
    """A fixture's IR; "own" is the eloquent tests' schema with a known morph target
    (comments.commentable -> posts), which no fixture has."""
    return own_schema() if fixture == "own" else compiled(fixture)


@pytest.mark.parametrize("fixture", [*RUNTIME, "own"])
def test_factories_create_rows_on_laravel8(fixture, tmp_path):
    php = need_tool("php")
    schema = schema_of(fixture)
    views = dependency_order(schema, build_factories(schema, {**backend.defaults,
                                                              "laravel_version": 8}))
    db = tmp_path / "db.sqlite"
    make_db(fixture, db)
    spec = {"db": str(db), "files": runtime_files(schema, tmp_path),
            "models": [model_spec(schema, v, views) for v in views]}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    start = time.perf_counter()
    r = subprocess.run([php, str(PHP_DIR / "run_factories.php"), str(tmp_path / "spec.json")],
                       capture_output=True, text=True, check=False, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["failures"] == [], "\n".join(result["failures"])
    assert result["created"] == 3 * len(views) > 0
    assert time.perf_counter() - start < 30
