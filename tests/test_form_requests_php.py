"""The form-requests target checked by real PHP: php -l, phpcs PSR-12, and Laravel 8's Validator.

Runtime (TOOLCHAIN.md section 1, Validation recipe): per fixture, the eloquent models, the
factories and the form requests (all Laravel 8) are loaded on Debian's Laravel 8.83 over a
SQLite database built from the fixture's DDL.  ``(new StorePostRequest())->rules()`` goes to a
``Validator`` with a ``DatabasePresenceVerifier`` (unique/exists query the database):

- a row from the model's factory (``make()``) passes the store rules;
- a saved row passes the update rules of its own route: ``$this->route('post')`` is answered
  by a stand-in route object set with ``setRouteResolver`` (what the router does with a
  bound model), so ``Rule::unique(...)->ignore(...)`` skips the row itself;
- one broken field at a time fails with its message key (``validation.required``,
  ``validation.max.string``, ``validation.in``, ``validation.email``, ``validation.exists``,
  ``validation.unique``, ``validation.max.numeric``, ...), and a required field left out
  of an update passes (``sometimes``).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import textwrap
from pathlib import Path

import pytest

from backends.factories import backend as factories
from backends.factories.view import build_factories
from backends.form_requests import backend
from compiler.frontends.ddl import load_text
from compiler.pipeline import compile_schema
from ir.model import Schema, Table
from ir.naming import snake
from ir.rules import ConstraintKind as C
from ir.types import Kind
from tests.conftest import need_tool
from tests.test_eloquent_php import ALL, compiled, lint, load_nasty
from tests.test_factories_php import (
    RUNTIME,
    dependency_order,
    make_db,
    model_spec,
    runtime_files,
    schema_of,
    write,
)

PHP_DIR = Path(__file__).parent / "php"
OWN = textwrap.dedent("""
    CREATE TABLE teams (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(40) NOT NULL UNIQUE);
    CREATE TABLE members (id INTEGER PRIMARY KEY AUTOINCREMENT,
      team_id INTEGER NOT NULL REFERENCES teams (id),
      email VARCHAR(120) NOT NULL UNIQUE, website VARCHAR(200), ip_address VARCHAR(45),
      external_uuid CHAR(36), code VARCHAR(2) NOT NULL,
      role VARCHAR(20) NOT NULL CHECK (role IN ('a,b', 'it''s', 'x|y', 'plain')),
      rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
      price DECIMAL(6, 2) NOT NULL, settings JSON, starts_on DATE, active BOOLEAN NOT NULL,
      created_at DATETIME, updated_at DATETIME);
    """)
_BAD_FORMAT = {"email": "validation.email", "url": "validation.url", "uuid": "validation.uuid",
               "ip": "validation.ip", "ulid": "validation.regex"}
_BAD_TYPE = {"integer": ("abc", "validation.integer"), "numeric": ("abc", "validation.numeric"),
             "boolean": ("maybe", "validation.boolean"), "string": (["x"], "validation.string")}


def own_schema() -> Schema:
    return compile_schema(load_text(OWN, source="own.sql", dialect="sqlite"))


@pytest.mark.parametrize("version", [8, 13])
def test_lint_every_fixture(version, tmp_path):
    paths = []
    for i, fixture in enumerate(ALL):
        paths += write(compiled(fixture), tmp_path / str(i), backend, laravel_version=version,
                       model_rules=True)
    for name, schema in (("nasty", load_nasty()), ("own", own_schema())):
        paths += write(schema, tmp_path / name, backend, laravel_version=version,
                       model_rules=True)
    lint(paths, tmp_path)


def _first(table: Table, kind: C, pred=lambda c, a: True):
    for col in table.columns:
        for c in col.constraints:
            if c.kind is kind and pred(col, c.args):
                return col, c.args
    return None, None


def cases(table: Table, filled: set[str]) -> list[dict]:
    """One broken field per constraint kind (the first column that has it)."""
    out = []

    def add(kind, pred, make):
        col, args = _first(table, kind, pred)
        if col is not None:
            out.append({"column": col.name, "rules": "store", **make(col, args)})

    add(C.REQUIRED, lambda c, a: True, lambda c, a: {"op": "unset", "expect": "validation.required"})
    add(C.MAX_LENGTH, lambda c, a: int(a[0]) < 70000,
        lambda c, a: {"op": "set", "value": "x" * (int(a[0]) + 1), "expect": "validation.max.string"})
    for kind in (C.MIN, C.MAX):
        sign = 1 if kind is C.MAX else -1
        add(kind, lambda c, a: abs(float(a[0])) < 1e12,
            lambda c, a, s=sign, k=kind: {"op": "set", "value": _number(c, a[0], s),
                                          "expect": f"validation.{k.value}.numeric"})
    add(C.IN, lambda c, a: True,
        lambda c, a: {"op": "set", "value": "~not-allowed~", "expect": "validation.in"})
    add(C.EXISTS, lambda c, a: True,
        lambda c, a: {"op": "set", "value": 987654321 if c.type.kind is Kind.INTEGER else "no-key",
                      "expect": "validation.exists"})
    add(C.UNIQUE, lambda c, a: c.name in filled,
        lambda c, a: {"op": "copy", "expect": "validation.unique"})
    for fmt, key in _BAD_FORMAT.items():
        add(C.FORMAT, lambda c, a, f=fmt: a[0] == f,
            lambda c, a, k=key: {"op": "set", "value": "not valid", "expect": k})
    for name, (value, key) in _BAD_TYPE.items():
        add(C.TYPE, lambda c, a, n=name: a[0] == n,
            lambda c, a, v=value, k=key: {"op": "set", "value": v, "expect": k})
    add(C.DATE, lambda c, a: True,
        lambda c, a: {"op": "set", "value": "not a date", "expect": "validation.date"})
    col, _ = _first(table, C.REQUIRED)
    if col is not None:   # partial update: a required field may be left out
        out.append({"column": col.name, "rules": "update", "op": "unset", "expect": None})
    return out


def _number(col, bound: str, sign: int):
    if col.type.kind is Kind.INTEGER:
        return int(bound) + sign
    return float(bound) + sign


def request_spec(schema: Schema, tmp_path: Path, db: Path) -> dict:
    views = dependency_order(schema, build_factories(schema, {**factories.defaults,
                                                              "laravel_version": 8}))
    ns = backend.defaults["requests_namespace"]
    models = []
    for v in views:
        m = model_spec(schema, v, views)
        model = v.model_fqcn.rsplit("\\", 1)[-1]
        filled = {e.column.strip("'") for e in v.entries if e.column}
        make = dict(m["overrides"])
        make.update({f["column"]: {"existing": f["parent_table"], "column": f["parent_key"]}
                     for f in m["fixups"]})
        m.update(store=f"{ns}\\Store{model}Request", update=f"{ns}\\Update{model}Request",
                 route_param=snake(model),
                 make_overrides=make, cases=cases(schema.table(v.table), filled))
        models.append(m)
    return {"db": str(db), "files": runtime_files(schema, tmp_path, backend), "models": models}


def run(spec: dict, tmp_path: Path) -> dict:
    php = need_tool("php")
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    r = subprocess.run([php, str(PHP_DIR / "check_requests.php"), str(tmp_path / "spec.json")],
                       capture_output=True, text=True, check=False, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["failures"] == [], "\n".join(result["failures"])
    return result


@pytest.mark.parametrize("fixture", [*RUNTIME, "own"])
def test_rules_on_laravel8_validator(fixture, tmp_path):
    schema = schema_of(fixture)
    db = tmp_path / "db.sqlite"
    make_db(fixture, db)
    spec = request_spec(schema, tmp_path, db)
    result = run(spec, tmp_path)
    assert result["checked"] == sum(2 + len(m["cases"]) for m in spec["models"]) > 0


def test_every_rule_kind_on_laravel8(tmp_path):
    """A schema with every constraint kind, including allowed values with a comma, a quote
    and a pipe (the array form Rule::in keeps them whole)."""
    schema = own_schema()
    db = tmp_path / "db.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript(OWN)
    spec = request_spec(schema, tmp_path, db)
    members = next(m for m in spec["models"] if m["table"] == "members")
    expected = {"validation.required", "validation.max.string", "validation.min.numeric",
                "validation.max.numeric", "validation.in", "validation.exists",
                "validation.unique", "validation.email", "validation.url", "validation.uuid",
                "validation.ip", "validation.integer", "validation.numeric",
                "validation.boolean", "validation.string", "validation.date", None}
    assert {c["expect"] for c in members["cases"]} == expected
    run(spec, tmp_path)
