"""Measure inferred casts against the casts real Laravel developers wrote (the answer keys).

For every Laravel fixture app, the schema is read by the normal frontend, run
through ``detect_conventions`` and ``infer_casts``, and compared per (table,
column, cast kind) with ``models[].casts`` of ``<app>.models.json``.  Laravel
spellings are normalised (bool == boolean, int == integer, array / collection /
object == json, an ``App\\Enums\\X`` class == enum); ``{self::CREATED_AT}``-style
keys, casts on the conventional timestamps and casts on columns the table does
not have are left out.  Only tables that have a model in the key count.

Run with ``-s`` to see the table; the asserts are floors at the level reached,
so that a change which loses recall or precision fails.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from compiler.frontends import load
from compiler.passes.casts import infer_casts, timestamp_columns
from compiler.passes.conventions import detect_conventions
from compiler.pipeline import compile_schema
from ir.model import Schema
from tests.conftest import FIXTURE_DIR

APPS = ("filament-demo", "pterodactyl")
_SPELLINGS = {"bool": "boolean", "boolean": "boolean", "int": "integer", "integer": "integer",
              "array": "json", "collection": "json", "object": "json", "json": "json",
              "date": "date", "immutable_date": "date", "datetime": "datetime",
              "immutable_datetime": "datetime", "timestamp": "datetime", "hashed": "password",
              "float": "float", "double": "float", "real": "float", "string": "string",
              "encrypted": "encrypted", "decimal": "decimal"}
# Floors (reached when written): pooled over both apps.
MIN_RECALL = 0.32
MIN_RECALL_NO_INTEGER = 0.67
MIN_PRECISION = 0.90


def normalize(spelling: str) -> str:
    """A Laravel cast spelling -> neutral kind (unknown custom classes stay as written)."""
    if "\\" in spelling:
        return "enum" if "\\Enums\\" in spelling else spelling
    head = spelling.split(":", 1)[0].strip().lower()
    if head.startswith("encrypted"):
        return "encrypted"
    return _SPELLINGS.get(head, head)


def _passes():
    return [detect_conventions, infer_casts]


def _load(app: str) -> Schema:
    return load(str(FIXTURE_DIR / "laravel" / f"{app}.sqlite.sql"))


def _expected(app: str, schema: Schema) -> set[tuple[str, str, str]]:
    key = json.loads((FIXTURE_DIR / "laravel" / f"{app}.models.json").read_text())
    out = set()
    for model in key["models"]:
        table = schema.table(model["table_effective"] or "")
        if table is None:
            continue
        casts = dict(model["casts"] or {})
        casts.update({c: "datetime" for c in model.get("dates") or ()})
        skip = timestamp_columns(table)
        for column, spelling in casts.items():
            if isinstance(spelling, str) and table.column(column) and column not in skip:
                out.add((table.name, column, normalize(spelling)))
    return out


def _model_tables(app: str) -> set[str]:
    key = json.loads((FIXTURE_DIR / "laravel" / f"{app}.models.json").read_text())
    return {m["table_effective"] for m in key["models"] if m["table_effective"]}


def _found(app: str, schema: Schema) -> set[tuple[str, str, str]]:
    tables = _model_tables(app)
    return {(t.name, c.name, c.cast.kind.value) for t in schema.tables if t.name in tables
            for c in t.columns if c.cast is not None}


def measure(app: str) -> tuple[set, set]:
    schema = compile_schema(_load(app), passes=_passes())
    return _expected(app, schema), _found(app, schema)


def _report(expected: set, found: set) -> dict[str, tuple[int, int, int]]:
    kinds = sorted({k for *_, k in expected | found})
    rows = {}
    for kind in kinds:
        exp = {x for x in expected if x[2] == kind}
        got = {x for x in found if x[2] == kind}
        rows[kind] = (len(exp & got), len(got - exp), len(exp - got))
    return rows


@pytest.fixture(scope="module")
def results():
    return {app: measure(app) for app in APPS}


def test_casts_answer_key(results):
    expected = {(app, *x) for app, (exp, _) in results.items() for x in exp}
    found = {(app, *x) for app, (_, got) in results.items() for x in got}
    print("\ncasts vs answer key (kind: tp fp fn):")
    for app, (exp, got) in results.items():
        for kind, (tp, fp, fn) in _report(exp, got).items():
            print(f"  {app:14} {kind:9} tp={tp:3} fp={fp:3} fn={fn:3}")
    tp = len(expected & found)
    precision, recall = tp / len(found), tp / len(expected)
    no_int = {x for x in expected if x[3] != "integer"}
    recall_no_int = len(no_int & found) / len(no_int)
    print(f"  pooled: precision={precision:.3f} recall={recall:.3f} "
          f"recall(without integer)={recall_no_int:.3f}  "
          f"(expected {len(expected)}, found {len(found)}, tp {tp})")
    print("  missed:", sorted(expected - found))
    print("  extra: ", sorted(found - expected))
    assert recall >= MIN_RECALL
    assert recall_no_int >= MIN_RECALL_NO_INTEGER
    assert precision >= MIN_PRECISION


def test_normalize_laravel_spellings():
    assert normalize("bool") == normalize("boolean") == "boolean"
    assert normalize("int") == "integer"
    assert normalize("array") == normalize("collection") == normalize("json") == "json"
    assert normalize("decimal:2") == "decimal"
    assert normalize("datetime:Y-m-d") == "datetime"
    assert normalize("App\\Enums\\OrderStatus") == "enum"


def test_boolean_and_datetime_recall_is_complete(results):
    # Every hand-written boolean on a tinyint(1) column and every datetime cast
    # on a datetime column is found: the type says it.
    for exp, got in results.values():
        typed = {x for x in exp if x[2] in ("datetime", "date")}
        assert typed <= got, sorted(typed - got)
    assert not Counter(k for _, (_, got) in results.items() for *_, k in got)["integer"]
