"""The sqlalchemy target's output, run for real: ruff, mypy --strict, import, configure_mappers,
create_all on SQLite read back by schemac, and ORM rows through every relationship."""

from __future__ import annotations

import datetime
import decimal
import importlib
import subprocess
import sys
import tempfile
import uuid
import warnings
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from backends.sqlalchemy import backend
from compiler.frontends import load
from compiler.pipeline import compile_schema
from ir.types import Kind
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path

ALL = FIXTURES + LARAVEL_FIXTURES
SQLITE = [f for f in ALL if f.endswith(".sqlite.sql")]
PACKAGES = ["chinook.sqlite.sql", "filament-demo.sqlite.sql"]
RUFF_RULES = ["--select", "E,F,W,I,UP,B", "--ignore", "E501", "--line-length", "100",
              "--target-version", "py311"]


def _pkg(fixture: str, layout: str) -> str:
    return f"g_{layout}_" + fixture.replace(".", "_").replace("-", "_")


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    """Every fixture's output as package ``g_<layout>_<fixture>`` under one import root."""
    root = tmp_path_factory.mktemp("sa_out")
    for layout, fixtures in (("module", ALL), ("package", PACKAGES)):
        for fixture in fixtures:
            schema = compile_schema(load(fixture_path(fixture)))
            d = root / _pkg(fixture, layout)
            d.mkdir()
            (d / "__init__.py").write_text("")
            for out in backend.emit(schema, {"layout": layout}):
                (d / out.path).parent.mkdir(parents=True, exist_ok=True)
                (d / out.path).write_text(out.text)
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))


def _tool(name: str) -> list[str]:
    exe = Path(sys.executable).parent / name
    return [str(exe)] if exe.exists() else [sys.executable, "-m", name]


def test_ruff_check_and_format(outdir):
    check = subprocess.run([*_tool("ruff"), "check", "--no-cache", *RUFF_RULES, str(outdir)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run([*_tool("ruff"), "format", "--no-cache", "--check", "--line-length",
                          "100", str(outdir)], capture_output=True, text=True, check=False)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict(outdir):
    cache = Path(tempfile.gettempdir()) / "schemac-mypy-cache"
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache),
                          *sorted(str(p) for p in outdir.iterdir() if p.is_dir())],
                         capture_output=True, text=True, cwd=outdir, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def _import(outdir: Path, fixture: str, layout: str = "module"):
    name = _pkg(fixture, layout) + ".models"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an SAWarning (overlapping relationships...) fails
        module = importlib.import_module(name)
        orm.configure_mappers()
    return module


@pytest.mark.parametrize("layout,fixture", [("module", f) for f in ALL]
                         + [("package", f) for f in PACKAGES])
def test_import_and_configure(outdir, layout, fixture):
    module = _import(outdir, fixture, layout)
    assert module.Base.registry.mappers


# What SQLite cannot keep, or SQLAlchemy's generic DDL writes differently: per column,
# the raw spelling (SQLAlchemy writes its own: VARCHAR(n), DATETIME, NUMERIC(p, s)),
# integer widths other than 64 (BIGINT) / 16 (SMALLINT), and string defaults of non-text
# columns spelled as literals ('0' -> 0 is not rewritten: compared as text).
def _shape(schema):
    out = {}
    for t in schema.tables:
        cols = tuple((c.name, _kind(c.type), c.nullable or c.name in _pk(t)) for c in t.columns)
        fks = sorted((fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete, fk.on_update)
                     for fk in t.foreign_keys)
        idx = sorted((i.columns, i.unique) for i in t.indexes)
        out[t.name] = (cols, _pk(t), fks, idx, sorted(c.expression for c in t.checks))
    return out


def _pk(t):
    return t.primary_key.columns if t.primary_key else ()


def _kind(t):
    return (t.kind.value, t.length if t.kind in (Kind.STRING,) else None, t.values)


@pytest.mark.parametrize("fixture", SQLITE)
def test_create_all_reads_back_as_the_source(outdir, fixture, tmp_path):
    module = _import(outdir, fixture)
    db = tmp_path / "db.sqlite"
    engine = sa.create_engine(f"sqlite:///{db}")
    module.Base.metadata.create_all(engine)
    engine.dispose()
    source = load(fixture_path(fixture))
    keep = set(module.Base.metadata.tables)  # framework tables are left out by default
    expected = {k: v for k, v in _shape(source).items() if k in keep}
    assert _shape(load(str(db))) == expected  # (load() of a Path fails: reported)


def _value(column: sa.Column, n: int):
    try:
        py = column.type.python_type
    except NotImplementedError:
        py = str
    if isinstance(py, type) and issubclass(py, __import__("enum").Enum):
        return next(iter(py))
    # Strings satisfy the fixtures' CHECKs: json_valid(...) (Laravel json columns on
    # SQLite) and sakila's special_features LIKE '%Trailers%'.
    return {int: 1, float: 0.5, decimal.Decimal: decimal.Decimal("1.5"), bool: True,
            str: f'"Trailers {n}"', bytes: b"x", datetime.datetime: datetime.datetime(2024, 1, 2, 3, 4),
            datetime.date: datetime.date(2024, 1, 2), datetime.time: datetime.time(3, 4),
            uuid.UUID: uuid.uuid4(), dict: {"k": n}}.get(py, f"v{n}")


def _new(cls, counter: list[int]):
    obj = cls()
    for attr in orm.class_mapper(cls).column_attrs:
        column = attr.columns[0]
        counter[0] += 1
        if column.primary_key and column.autoincrement is not False and isinstance(
                column.type, sa.Integer) and len(column.table.primary_key.columns) == 1:
            continue  # the database numbers it
        if column.server_default is None or column.primary_key:
            value = _value(column, counter[0])
            # Distinct integers: some integer columns are unique (servers.allocation_id).
            setattr(obj, attr.key, counter[0] if type(value) is int else value)
    return obj


@pytest.mark.parametrize("fixture", SQLITE)
def test_rows_come_back_through_every_relationship(outdir, fixture):
    module = _import(outdir, fixture)
    engine = sa.create_engine("sqlite://")
    module.Base.metadata.create_all(engine)
    counter, checked = [0], 0
    for mapper in sorted(module.Base.registry.mappers, key=lambda m: m.class_.__name__):
        for rel in mapper.relationships:
            if rel.viewonly:
                continue
            with orm.Session(engine) as s:
                owner, other = _new(mapper.class_, counter), _new(rel.mapper.class_, counter)
                if rel.uselist:
                    getattr(owner, rel.key).append(other)
                else:
                    setattr(owner, rel.key, other)
                s.add_all([owner, other])
                s.commit()
                owner_id, other_id = orm.object_mapper(owner).primary_key_from_instance(owner), \
                    orm.object_mapper(other).primary_key_from_instance(other)
            with orm.Session(engine) as s:
                got = s.get(mapper.class_, owner_id)
                linked = getattr(got, rel.key)
                linked = linked if rel.uselist else [linked]
                ids = [orm.object_mapper(o).primary_key_from_instance(o) for o in linked]
                assert other_id in ids, f"{mapper.class_.__name__}.{rel.key}"
                if rel.back_populates:
                    back = getattr(s.get(rel.mapper.class_, other_id), rel.back_populates)
                    back = back if isinstance(back, list) else [back]
                    assert got in back, f"{rel.mapper.class_.__name__}.{rel.back_populates}"
            checked += 1
    assert checked > 0
