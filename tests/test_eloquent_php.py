"""The eloquent target's output checked by real PHP: php -l, phpcs PSR-12, and Laravel 8 at runtime.

Runtime (TOOLCHAIN.md §1): each fixture's SQLite DDL is executed into a temp
database, two rows per table are inserted whose keys line up with every
relation, and tests/php/check_models.php loads the generated models on Debian's
Laravel 8.83 and checks each relation method (class, related model, query
results) and each cast's PHP type.  Versions 9-13 cannot run here: only their
syntax and style are checked.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import pytest

from backends.eloquent import backend
from backends.eloquent.view import build_models
from compiler.frontends import load
from compiler.frontends.ddl import load_text
from compiler.pipeline import compile_schema
from ir.model import Schema
from ir.relations import RelationKind as K
from ir.rules import CastKind
from ir.types import Kind
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path, need_tool

PHP_DIR = Path(__file__).parent / "php"
ALL = FIXTURES + LARAVEL_FIXTURES
RUNTIME = ["chinook.sqlite.sql", "chinook_autoinc.sqlite.sql", "northwind.sqlite.sql",
           "sakila.sqlite.sql", *LARAVEL_FIXTURES]
NASTY = """
CREATE TABLE "we'ird */ ""name" (id INTEGER PRIMARY KEY, "x'); system('y" TEXT,
  "back\\slash" TEXT, "$dollar" TEXT, "*/ end" TEXT, created_at DATETIME, updated_at DATETIME);
CREATE TABLE "matches" (id INTEGER PRIMARY KEY, "class" TEXT, status TEXT NOT NULL
  CHECK (status IN ('in-progress', '1', 'G', 'NC-17', '', 'it''s', 'a\\b', 'class', 'G')),
  "we'ird */ ""name_id" INTEGER REFERENCES "we'ird */ ""name" (id));
CREATE TABLE lists (id TEXT PRIMARY KEY, name TEXT);
"""


def compiled(fixture: str) -> Schema:
    return compile_schema(load(fixture_path(fixture)))


def write_tree(schema: Schema, root: Path, **options) -> list[Path]:
    paths = []
    for f in backend.emit(schema, {**backend.defaults, **options}):
        p = root / f.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f.text)
        paths.append(p)
    return paths


def lint(paths: list[Path], tmp: Path) -> None:
    """Every file parses and compiles (one PHP process), php -l on a sample, and phpcs."""
    php = need_tool("php")
    unique = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in paths}
    listing = tmp / "files.txt"
    listing.write_text("\n".join(str(p) for p in unique.values()))
    r = subprocess.run([php, "-d", "opcache.enable_cli=1", str(PHP_DIR / "lint.php"),
                        str(listing)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    sample = sorted(unique.values())[::max(1, len(unique) // 12)]
    with ThreadPoolExecutor(4) as pool:
        for res in pool.map(lambda p: subprocess.run([php, "-n", "-l", str(p)],
                                                     capture_output=True, text=True), sample):
            assert res.returncode == 0, res.stdout + res.stderr
    phpcs = need_tool("phpcs")
    r = subprocess.run([phpcs, "--standard=PSR12", "-n", "--report=emacs",
                        *[str(p) for p in unique.values()]], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("version", [8, 13])
def test_lint_every_fixture(version, tmp_path):
    paths = []
    for i, fixture in enumerate(ALL):
        paths += write_tree(compiled(fixture), tmp_path / str(i), laravel_version=version)
    paths += write_tree(load_nasty(), tmp_path / "nasty", laravel_version=version)
    lint(paths, tmp_path)


def test_lint_other_versions_and_options(tmp_path):
    schema = compiled("filament-demo.sqlite.sql")
    paths = []
    for v in (9, 10, 11, 12):
        paths += write_tree(schema, tmp_path / f"v{v}", laravel_version=v)
    paths += write_tree(schema, tmp_path / "nobase", base_classes=False,
                        mass_assignment="guarded", immutable_dates=True, enums=False,
                        factories=False, connection="legacy", json_cast="collection",
                        extends={"teams": "App\\Models\\Tenant"})
    lint(paths, tmp_path)


def load_nasty() -> Schema:
    return compile_schema(load_text(NASTY, source="nasty.sql", dialect="sqlite"))


def test_untrusted_identifiers_stay_exact(tmp_path):
    files = {f.path: f.text for f in backend.emit(load_nasty(), backend.defaults)}
    base = next(t for p, t in files.items() if "/Base/" in p and "name" in t and "system" in t)
    assert "protected $table = 'we\\'ird */ \"name';" in base
    assert "'x\\'); system(\\'y'," in base and "'back\\\\slash'," in base
    assert "'$dollar'," in base and "'*/ end'," in base
    assert "app/Models/Base/MatchModel.php" in files      # `match` is reserved in PHP
    assert "protected $table = 'matches';" in files["app/Models/Base/MatchModel.php"]
    enum = next(t for p, t in files.items() if p.startswith("app/Enums/"))
    for case in ("InProgress = 'in-progress'", "Value1 = '1'", "G = 'G'", "NC17 = 'NC-17'",
                 "Empty = ''", "ItS = 'it\\'s'", "AB = 'a\\\\b'", "ClassValue = 'class'"):
        assert f"case {case};" in enum
    assert enum.count("= 'G'") == 1
    assert all(".." not in p and not p.startswith("/") for p in files)
