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

import pytest

from backends.eloquent import backend
from backends.eloquent.view import build_models
from compiler.frontends import load
from compiler.frontends.ddl import load_text
from compiler.options import AnalysisOptions, ThroughSpec
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
                        str(listing)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    sample = sorted(unique.values())[::max(1, len(unique) // 12)]
    with ThreadPoolExecutor(4) as pool:
        for res in pool.map(lambda p: subprocess.run([php, "-n", "-l", str(p)],
                                                     capture_output=True, text=True, check=False), sample):
            assert res.returncode == 0, res.stdout + res.stderr
    phpcs = need_tool("phpcs")
    r = subprocess.run([phpcs, "--standard=PSR12", "-n", "--report=emacs",
                        *[str(p) for p in unique.values()]], capture_output=True, text=True, check=False)
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


# ---- runtime on Laravel 8 -------------------------------------------------------------

_TO_ONE = (K.MANY_TO_ONE, K.ONE_TO_ONE)
_MANY = ("hasMany", "belongsToMany", "morphMany", "morphToMany", "morphedByMany",
         "hasManyThrough")
_RUNTIME_TYPE = {"bool": "bool", "int": "int", "float": "float", "string": "string",
                 "array": "array", "\\Illuminate\\Support\\Carbon": "Illuminate\\Support\\Carbon"}


class Rows:
    """Two rows per table whose key values line up along every relation: row i of a
    child points at row i of its parent, so each relation's answer is computable."""

    def __init__(self, schema: Schema, classes: dict[str, str], namespace: str):
        self.schema = schema
        self.refs: dict[tuple[str, str], tuple[str, str]] = {}
        for t in schema.tables:
            for fk in t.foreign_keys:
                for c, rc in zip(fk.columns, fk.ref_columns):
                    self.refs[(t.name, c)] = (fk.ref_table, rc)
        for r in schema.relations:
            if r.kind in _TO_ONE:
                self.refs.update({(r.table, c): (r.ref_table, rc)
                                  for c, rc in zip(r.columns, r.ref_columns)})
            if r.pivot:
                self.refs.update({(r.pivot.table, c): (r.table, rc)
                                  for c, rc in zip(r.pivot.columns, r.columns)})
                self.refs.update({(r.pivot.table, c): (r.ref_table, rc)
                                  for c, rc in zip(r.pivot.ref_columns, r.ref_columns)})
        # every morphTo points at the first model table that has a single key
        self.target = next(t for t in classes if len(schema.table(t).conventions.key) == 1)
        self.target_class = f"{namespace}\\{classes[self.target]}"
        # integers differ per column, so a relation on the wrong key finds nothing
        self.offset = {(t.name, c.name): 1000 * n for n, (t, c) in enumerate(
            (t, c) for t in schema.tables for c in t.columns)}
        self.morph: dict[tuple[str, str], str] = {}
        for r in schema.relations:
            if r.morph is not None:
                where = r.pivot.table if r.pivot else r.table
                self.morph[(where, r.morph.type_column)] = "type"
                self.morph[(where, r.morph.id_column)] = "id"
                self.refs.pop((where, r.morph.id_column), None)

    def key(self, table: str, i: int):
        conv = self.schema.table(table).conventions
        return self.value(table, conv.key[0], i) if conv and len(conv.key) == 1 else None

    def value(self, table: str, column: str, i: int, depth: int = 0):
        ref = self.refs.get((table, column))
        if ref and depth < 8 and self.schema.table(ref[0]).column(ref[1]) is not None:
            return self.value(*ref, i, depth + 1)
        conv = self.schema.table(table).conventions
        if conv is not None and column == conv.deleted_at:
            return None     # a soft-deleted row would hide from every query
        morph = self.morph.get((table, column))
        if morph == "type":
            return self.target_class
        if morph == "id":
            return self.key(self.target, i)
        return _sample(self.schema.table(table).column(column), i, self.offset[(table, column)])

    def rows(self) -> dict[str, list[dict]]:
        return {t.name: [{c.name: self.value(t.name, c.name, i) for c in t.columns
                          if c.generated is None} for i in (1, 2)]
                for t in self.schema.tables}

    def matching(self, table: str, column: str, value) -> list[str]:
        """Keys (as PHP strings) of ``table``'s rows whose ``column`` equals ``value``."""
        return sorted(str(self.key(table, j)) for j in (1, 2)
                      if self.value(table, column, j) == value)


def _sample(col, i: int, offset: int):
    kind, cast = col.type.kind, col.cast.kind if col.cast else None
    if col.type.values:
        return col.type.values[(i - 1) % len(col.type.values)]
    if cast is CastKind.JSON or kind is Kind.JSON:
        return json.dumps({"n": i})
    if cast is CastKind.BOOLEAN or kind is Kind.BOOLEAN:
        return i % 2
    if cast is CastKind.DATE or kind is Kind.DATE:
        return f"2024-01-0{i}"
    if cast in (CastKind.DATETIME, CastKind.TIMESTAMP) or kind is Kind.DATETIME:
        return f"2024-01-0{i} 10:00:00"
    if kind is Kind.INTEGER:
        return offset + i
    if kind in (Kind.DECIMAL, Kind.FLOAT):
        return i + 0.5
    if kind is Kind.UUID:
        return f"00000000-0000-4000-8000-00000000000{i}"
    return f"{col.name[:16]} {i}"


def _relation_case(m, model_fqcn: str, rows: Rows, table: str, ns: str) -> dict:
    rel_ns = "Illuminate\\Database\\Eloquent\\Relations\\"
    cls = {"morphedByMany": "MorphToMany"}.get(m.call, m.call[0].upper() + m.call[1:])
    case = {"model": model_fqcn, "method": m.name, "class": rel_ns + cls,
            "key": rows.key(table, 1),
            "related": None if m.related is None else f"{ns}\\{rows.classes[m.related]}"}
    if case["key"] is None:
        return case
    expect = _expected(m, rows, table)
    if expect is not None:
        case.update(expect=expect, many=m.call in _MANY)
    if m.call == "morphTo":
        case.update(expect=[str(rows.key(rows.target, 1))], many=False,
                    instance=rows.target_class)
    return case


def _expected(m, rows: Rows, table: str) -> list[str] | None:
    if rows.key(m.related, 1) is None if m.related else True:
        return None
    if m.call == "belongsTo":
        fk, owner = m.keys
        return rows.matching(m.related, owner, rows.value(table, fk, 1))
    if m.call in ("hasMany", "hasOne"):
        fk, local = m.keys
        got = rows.matching(m.related, fk, rows.value(table, local, 1))
        return got if m.call == "hasMany" or len(got) <= 1 else None
    if m.call == "belongsToMany":
        pivot, mine, theirs, pk, rk = m.keys
        linked = [rows.value(pivot, theirs, j) for j in (1, 2)
                  if rows.value(pivot, mine, j) == rows.value(table, pk, 1)]
        return sorted({k for v in linked for k in rows.matching(m.related, rk, v)})
    if m.call == "morphMany":
        _name, _type, id_col, local = m.keys
        return rows.matching(m.related, id_col, rows.value(table, local, 1))
    if m.call in ("morphToMany", "morphedByMany"):
        _name, pivot, mine, theirs, pk, rk = m.keys
        linked = [rows.value(pivot, theirs, j) for j in (1, 2)
                  if rows.value(pivot, mine, j) == rows.value(table, pk, 1)]
        return sorted({k for v in linked for k in rows.matching(m.related, rk, v)})
    if m.call == "hasManyThrough":
        first, second = m.keys
        middle = m.through
        via = [rows.key(middle, j) for j in (1, 2)
               if rows.value(middle, first, j) == rows.key(table, 1)]
        return sorted({k for v in via for k in rows.matching(m.related, second, v)})
    return None


def runtime_spec(schema: Schema, root: Path, db: Path) -> dict:
    opts = {**backend.defaults, "laravel_version": 8}
    views, enums = build_models(schema, opts)
    ns = opts["namespace"]
    rows = Rows(schema, {v.table: v.name for v in views}, ns)
    rows.classes = {v.table: v.name for v in views}
    files = [root / e.path for e in enums] + [root / v.path for v in views]
    files += [root / v.user_path for v in views]
    spec = {"db": str(db), "files": [str(f) for f in files], "rows": rows.rows(),
            "relations": [], "casts": []}
    for v in views:
        fqcn = f"{ns}\\{v.name}"
        spec["relations"] += [_relation_case(m, fqcn, rows, v.table, ns) for m in v.methods]
        key = rows.key(v.table, 1)
        for column, doc in v.casts if key is not None else ():
            want = _RUNTIME_TYPE.get(doc) or (doc.lstrip("\\") if doc.startswith("\\App") else None)
            if want:
                spec["casts"].append({"model": fqcn, "key": key, "attribute": column,
                                      "type": want})
    return spec


OWN = """
CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER REFERENCES users (id),
  title VARCHAR(255) NOT NULL, is_published TINYINT(1) NOT NULL DEFAULT 0, options TEXT,
  status VARCHAR CHECK (status IN ('draft', 'in-review', 'published')) NOT NULL,
  created_on DATETIME, changed_on DATETIME, removed_on DATETIME);
CREATE TABLE countries (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(255) NOT NULL);
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, country_id INTEGER REFERENCES
  countries (id), email VARCHAR(255) NOT NULL, password VARCHAR(255) NOT NULL,
  remember_token VARCHAR(100), created_at DATETIME, updated_at DATETIME);
CREATE TABLE comments (id INTEGER PRIMARY KEY AUTOINCREMENT, commentable_type VARCHAR NOT NULL,
  commentable_id INTEGER NOT NULL, body TEXT NOT NULL, created_at DATETIME, updated_at DATETIME);
CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(255) NOT NULL);
CREATE TABLE taggables (tag_id INTEGER NOT NULL REFERENCES tags (id),
  taggable_type VARCHAR NOT NULL, taggable_id INTEGER NOT NULL);
CREATE TABLE documents (uuid CHAR(36) PRIMARY KEY NOT NULL, post_id INTEGER REFERENCES posts (id),
  body TEXT);
"""


def own_schema() -> Schema:
    """Relations no fixture has: morphMany, morphToMany/morphedByMany, hasManyThrough."""
    options = AnalysisOptions(
        morph_targets={"comments.commentable": ("posts",), "taggables.taggable": ("posts",)},
        through=(ThroughSpec("countries", "posts", "users", "posts"),))
    return compile_schema(load_text(OWN, source="own.sql", dialect="sqlite"), options=options)


@pytest.mark.parametrize("fixture", [*RUNTIME, "own"])
def test_models_run_on_laravel8(fixture, tmp_path):
    php = need_tool("php")
    schema = own_schema() if fixture == "own" else compiled(fixture)
    write_tree(schema, tmp_path, laravel_version=8)
    db = tmp_path / "db.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript(OWN if fixture == "own" else fixture_path(fixture).read_text())
    spec = runtime_spec(schema, tmp_path, db)
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    r = subprocess.run([php, str(PHP_DIR / "check_models.php"), str(tmp_path / "spec.json")],
                       capture_output=True, text=True, check=False, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    result = json.loads(r.stdout)
    assert result["failures"] == [], "\n".join(result["failures"])
    queried = sum(1 for c in spec["relations"] if "expect" in c)
    assert result["checked"] == len(spec["relations"]) + len(spec["casts"]) > 0
    assert queried >= len(spec["relations"]) // 2, "too few relations checked by query"
