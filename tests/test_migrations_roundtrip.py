"""Round trip: generated Laravel 8 migrations run on real Laravel, read back, compared.

For each fixture the migrations (``laravel_version=8``, framework tables
included) are written to a temp dir and run by ``tests/php/migrate.php`` (one
PHP process per fixture per database):

- on a fresh SQLite file, read back with ``compiler.frontends.load`` and the
  full pass pipeline; then ``down()`` of every migration in reverse leaves no
  table;
- on a throwaway MariaDB server (one per session), read back through
  ``mysqldump --no-data`` and the MySQL DDL frontend.

Both sides are mapped to a comparable form by :func:`comparable`; every loss a
database causes is one named switch in :data:`SQLITE_LOSSES` /
:data:`MARIADB_LOSSES`, with a comment saying why, so nothing is ignored
silently.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from backends.laravel_migrations import backend
from backends.laravel_migrations.blueprint import default_index_name
from backends.laravel_migrations.order import plan_order
from backends.laravel_migrations.view import selected_tables
from compiler.frontends import load
from compiler.frontends.ddl import load_text
from compiler.pipeline import compile_schema
from ir.model import DefaultKind, Schema, Table
from ir.types import Kind
from tests.conftest import IN_CI, fixture_path, need_tool

HARNESS = Path(__file__).parent / "php" / "migrate.php"

# What Laravel 8's SQLite grammar cannot keep (each a switch in comparable()).
SQLITE_LOSSES = {
    "int_width": "integer, bigInteger, unsignedX... are all `integer`: no width, no sign",
    "string_length": "string/char are `varchar` with no length, char is not fixed",
    "decimal_precision": "decimal is `numeric` with no precision or scale",
    "json_as_text": "json/jsonb are `text`",
    "uuid_as_string": "uuid is `varchar`",
    "binary_length": "binary is `blob` with no length",
    "text_size": "tinyText/mediumText/longText are all `text`",
    "float_width": "float/double are `float`/`double` with no width",
    "time_precision_tz": "timestamps/times keep no fractional precision or time zone",
    "timestamp_is_datetime": "timestamp is written as `datetime` (the IR kind is the same)",
    "comments": "SQLite has no column or table comments",
    "fk_names": "SQLite keeps no foreign-key constraint names",
    "late_fks": "foreign keys added after creation (cycle breakers) are skipped on SQLite",
    "checks": "CHECKs are not created: Blueprint has none, SQLite cannot ALTER ADD CONSTRAINT",
    "pk_names": "primary-key names are not kept (SQLite has none)",
    "unsigned": "no UNSIGNED",
    "year_as_int": "year is `integer`",
    "raw_sql_elsewhere": "partial/expression indexes in another dialect's SQL run only there",
    "rowid_alias": "a one-column INTEGER PRIMARY KEY is SQLite's rowid, which schemac reads as "
                   "auto-increment: a MySQL/PostgreSQL source's plain INT key becomes one",
    "pk_not_null": "the migration declares primary-key columns NOT NULL (SQLite lets them be NULL)",
    "serial_default": "an auto-increment column's nextval() default is the increment itself",
}
# What MariaDB itself normalises, or the migration cannot say on MySQL.
MARIADB_LOSSES = {
    "pk_names": "MySQL names every primary key PRIMARY",
    "fk_index": "MySQL adds an index for every foreign key that has none",
    "restrict": "InnoDB's default action is RESTRICT; SHOW CREATE omits it",
    "pk_not_null": "primary-key columns are NOT NULL (the source may let SQLite ones be NULL)",
    "checks": "a SQLite source's CHECKs are not created (its SQL is SQLite's; see the "
              "migration's comment); the fixtures that reach MariaDB have no others",
    "json_check": "json is LONGTEXT with a json_valid() CHECK",
    "raw_sql_elsewhere": "partial/expression indexes in another dialect's SQL run only there",
    "serial_default": "an auto-increment column's nextval() default is the increment itself",
    "generated_expr": "a generated column's expression is the source's SQL, reprinted by "
                      "MariaDB; from SQLite `a || b` even means OR (the migration says so in a "
                      "comment): compared by presence and STORED/VIRTUAL only",
    "fk_names": "a SQLite source has no FK names: Laravel's default name is expected",
    "string_length": "(SQLite source only) no length: Laravel's 255 is expected",
}


def _canon_default(col) -> str | None:
    d = col.default
    if d is None or d.kind is DefaultKind.NULL:
        return None
    value = d.value.strip()
    if d.kind is DefaultKind.EXPRESSION:
        upper = value.upper()
        if upper in ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP()", "NOW()", "LOCALTIMESTAMP"):
            return "CURRENT_TIMESTAMP"
        return "expr:" + re.sub(r"\s+", "", value).lower()
    if value.lower() in ("true", "false") and col.type.kind is Kind.BOOLEAN:
        value = "1" if value.lower() == "true" else "0"
    try:
        return str(Decimal(value).normalize()) if col.type.kind in (
            Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT, Kind.BOOLEAN) else value
    except InvalidOperation:
        return value


def _type_key(t, losses: set[str], sqlite_source: bool) -> tuple:
    kind = t.kind
    if kind is Kind.JSON and losses & {"json_as_text", "json_check"}:
        kind = Kind.TEXT
    if kind is Kind.UUID and "uuid_as_string" in losses:
        kind = Kind.STRING
    if kind is Kind.INTEGER:
        if "int_width" in losses or sqlite_source or t.raw.upper().startswith("YEAR"):
            return (kind,)   # a SQLite source says no width; Laravel picks one
        return kind, t.bits, t.unsigned and "unsigned" not in losses
    if kind is Kind.STRING:
        if "string_length" in losses:
            return (kind,)
        return kind, t.length or 255, t.fixed
    if kind is Kind.DECIMAL:
        if "decimal_precision" in losses:
            return (kind,)
        p = (t.precision, t.scale or 0) if t.precision is not None else (8, 2)
        return kind, p
    if kind is Kind.ENUM:
        return kind, t.values, t.multiple
    if kind in (Kind.DATETIME, Kind.TIME):
        if "time_precision_tz" in losses:
            return (kind,)
        return kind, t.precision or None, t.timezone
    if kind is Kind.TEXT and "text_size" not in losses:
        raw = t.raw.strip().upper()
        return kind, next((s for s in ("TINY", "MEDIUM", "LONG") if raw.startswith(s)), "")
    return (kind,)


def _column_key(col, losses, sqlite_source, pk) -> tuple:
    nullable = col.nullable and not ("pk_not_null" in losses and col.name in pk)
    auto = col.autoincrement or ("rowid_alias" in losses and pk == (col.name,)
                                 and col.type.kind is Kind.INTEGER)
    default = None if col.autoincrement and "serial_default" in losses else _canon_default(col)
    gen = None
    if col.generated and "generated_expr" in losses:
        gen = col.generated.stored
    elif col.generated:
        gen = (re.sub(r"[\s`\"]+", "", col.generated.expression).lower(), col.generated.stored)
    comment = None if "comments" in losses else col.comment
    return (col.name, _type_key(col.type, losses, sqlite_source), nullable,
            default, auto, gen, comment)


def comparable(table: Table, losses: set[str], sqlite_source: bool, late: tuple = (),
               other_dialect: bool = False) -> dict:
    """A table as plain data with the named losses applied (see *_LOSSES)."""
    pk = table.primary_key.columns if table.primary_key else ()
    fks = []
    for fk in table.foreign_keys:
        if "late_fks" in losses and fk in late:
            continue
        name = None if "fk_names" in losses else (fk.name or default_index_name(
            table.name, fk.columns, "foreign"))
        acts = tuple(None if ("restrict" in losses and str(a) == "RESTRICT") else a
                     and str(a) for a in (fk.on_delete, fk.on_update))
        fks.append((fk.columns, fk.ref_table, fk.ref_columns, name, acts))
    indexes = []
    for ix in table.indexes:
        raw = ix.where is not None or not ix.columns or any(p.descending for p in ix.parts)
        if raw and other_dialect and "raw_sql_elsewhere" in losses:
            continue
        kind = "unique" if ix.unique else "index"
        name = ix.name or default_index_name(table.name, ix.columns, kind)
        indexes.append((name, tuple((p.column, p.expression, p.descending) for p in ix.parts),
                        ix.unique, ix.where))
    pk_name = None if "pk_names" in losses or not table.primary_key else table.primary_key.name
    return {
        "columns": [_column_key(c, losses, sqlite_source, pk) for c in table.columns],
        "primary_key": (pk, pk_name),
        "foreign_keys": sorted(fks, key=repr),
        "indexes": sorted(indexes, key=repr),
        "checks": 0 if "checks" in losses else len(table.checks),
        "comment": None if "comments" in losses else table.comment,
    }


# --- running -------------------------------------------------------------------------------

# Fixtures that cannot round-trip, and why.
SQLITE_SKIP = {
    "sakila.mysql.sql": "film.special_features is a MySQL SET: Laravel 8's SQLite grammar has "
                        "no typeSet (BadMethodCallException)",
    "sakila.postgres.sql": "PostgreSQL-only default expressions (('now'::text)::date) that "
                           "DB::raw passes through and SQLite cannot parse",
}
MARIADB_SKIP = {
    "sakila.postgres.sql": SQLITE_SKIP["sakila.postgres.sql"],
    "northwind.sqlite.sql": "TEXT primary keys (CustomerDemographics.CustomerTypeID): MySQL "
                            "cannot index TEXT without a prefix length, which Blueprint cannot say",
    "sakila.mysql.sql": "film_text's FULLTEXT KEY is a plain index in the IR (no index kind), "
                        "and a plain index over VARCHAR(255)+TEXT exceeds InnoDB's key length",
}
ALL = sorted({*(p.name for p in (Path(__file__).parent / "fixtures").glob("*.sql")),
              *(p.name for p in (Path(__file__).parent / "fixtures" / "laravel").glob("*.sql"))})


def _source(name: str) -> Schema:
    return compile_schema(load(str(fixture_path(name))))


def _write(schema: Schema, root: Path) -> Path:
    for out in backend.emit(schema, {"laravel_version": 8, "framework_tables": True}):
        path = root / out.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out.text)
    return root / "database" / "migrations"


def _php(*args: str) -> dict:
    need_tool("php")
    run = subprocess.run(["php", str(HARNESS), *args], capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr or run.stdout
    return json.loads(run.stdout)


def _assert_same(source: Schema, got: Schema, losses: set[str]) -> None:
    tables = selected_tables(source, framework_tables=True)
    deferred = plan_order(tables).deferred
    sqlite_source = source.dialect == "sqlite"
    other = source.dialect  # raw SQL runs only on its own driver
    assert sorted(t.name for t in got.tables if t.name != "migrations") == \
        sorted(t.name for t in tables)
    for t in tables:
        back = got.table(t.name)
        want = comparable(t, losses, sqlite_source, deferred.get(t.name, ()),
                          other_dialect=other != got.dialect)
        have = comparable(back, losses, sqlite_source)
        if "fk_index" in losses:  # MySQL's implicit index is named after its constraint
            fk_names = {(fk.name, fk.columns) for fk in back.foreign_keys}
            for side in (want, have):
                side["indexes"] = [ix for ix in side["indexes"] if ix[2] or
                                   (ix[0], tuple(p[0] for p in ix[1])) not in fk_names]
        for key in want:  # one key at a time, so a failure names what differs
            assert have[key] == want[key], (t.name, key)


@pytest.mark.parametrize("fixture", [f for f in ALL if f not in SQLITE_SKIP])
def test_sqlite_roundtrip(fixture, tmp_path):
    source = _source(fixture)
    migrations = _write(source, tmp_path)
    db = tmp_path / "app.sqlite"
    _php(str(migrations), "up", "sqlite", str(db))
    got = compile_schema(load(str(db)))
    _assert_same(source, got, set(SQLITE_LOSSES))
    # down() of every migration, in reverse order, leaves nothing behind
    assert _php(str(migrations), "updown", "sqlite", str(tmp_path / "down.sqlite"))["left"] == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def mariadb():
    """A throwaway MariaDB server (TOOLCHAIN.md §8) on a random port, stopped after."""
    for tool in ("mariadbd", "mariadb-install-db", "mariadb-admin", "mariadb", "mysqldump"):
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            need_tool(tool)
    if os.geteuid() != 0 and not IN_CI:
        pytest.skip("the MariaDB recipe runs as root (the server drops to --user=mysql)")
    # A RAM disk when there is one: every Laravel index or FK is its own ALTER TABLE.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    root = Path(tempfile.mkdtemp(prefix="schemac-mariadb-", dir=shm))
    shutil.chown(root, "mysql", "mysql")
    sock, port = root / "s.sock", _free_port()
    subprocess.run(["mariadb-install-db", "--no-defaults", "--user=mysql", f"--datadir={root}/data",
                    "--auth-root-authentication-method=normal", "--skip-test-db"],
                   check=True, capture_output=True)
    server = subprocess.Popen(
        ["/usr/sbin/mariadbd", "--no-defaults", "--user=mysql", f"--datadir={root}/data",
         f"--socket={sock}", f"--pid-file={root}/m.pid", f"--port={port}",
         "--bind-address=127.0.0.1", "--skip-name-resolve", f"--log-error={root}/err.log",
         "--skip-log-bin", "--character-set-server=utf8mb4",
         "--collation-server=utf8mb4_unicode_ci", "--innodb-buffer-pool-size=64M",
         "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
         "--innodb-flush-method=nosync", "--sync-frm=0"])
    admin = ["mariadb-admin", "--no-defaults", f"--socket={sock}", "-uroot"]
    try:
        deadline = time.monotonic() + 30
        while subprocess.run([*admin, "ping"], capture_output=True, check=False).returncode != 0:
            assert server.poll() is None and time.monotonic() < deadline, \
                (root / "err.log").read_text()
            time.sleep(0.2)
        yield {"port": port, "socket": str(sock)}
    finally:
        subprocess.run([*admin, "shutdown"], capture_output=True, check=False)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(root, ignore_errors=True)


def _dump(server: dict, database: str) -> str:
    run = subprocess.run(["mysqldump", "--no-defaults", f"--socket={server['socket']}", "-uroot",
                          "--no-data", "--compact", "--skip-add-drop-table", database],
                         capture_output=True, text=True, check=True)
    return run.stdout


@pytest.mark.parametrize("fixture", [f for f in ALL if f not in MARIADB_SKIP])
def test_mariadb_roundtrip(fixture, tmp_path, mariadb):
    source = _source(fixture)
    migrations = _write(source, tmp_path)
    database = "rt_" + re.sub(r"\W", "_", fixture)
    subprocess.run(["mariadb", "--no-defaults", f"--socket={mariadb['socket']}", "-uroot", "-e",
                    f"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database}"],
                   check=True)
    _php(str(migrations), "up", "mysql", "127.0.0.1", str(mariadb["port"]), database)
    text = _dump(mariadb, database)
    (tmp_path / "dump.sql").write_text(text)
    got = compile_schema(load_text(text, source="dump.sql", dialect="mysql"))
    losses = set(MARIADB_LOSSES)
    if source.dialect != "sqlite":
        losses -= {"fk_names", "string_length"}  # only a SQLite source lacks these
    _assert_same(source, got, losses)
    # down() in reverse (the FK migrations drop their keys first) empties the database
    subprocess.run(["mariadb", "--no-defaults", f"--socket={mariadb['socket']}", "-uroot", "-e",
                    f"DROP DATABASE {database}; CREATE DATABASE {database}"], check=True)
    assert _php(str(migrations), "updown", "mysql", "127.0.0.1", str(mariadb["port"]),
                database)["left"] == []
