"""Build the migration view model: one create migration per table, then deferred FKs.

Each :class:`Migration` holds finished, indented PHP lines for ``up()`` and
``down()``; the templates only wrap them in a class.  The per-table Blueprint
body is built in ``columns.py``; this module picks the tables, the order, the
names and the version's class form.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from hashlib import sha256

import attrs

from backends._laravel import per_schema
from backends._safe import comment_text, path_segment
from backends.laravel_migrations import blueprint as bp
from backends.laravel_migrations.columns import TableBody, table_body, widths_of
from backends.laravel_migrations.order import Plan, plan_order
from ir.model import ForeignKey, Schema, Table
from ir.naming import studly

q = bp.q
USES = ("Illuminate\\Database\\Migrations\\Migration", "Illuminate\\Database\\Schema\\Blueprint",
        "Illuminate\\Support\\Facades\\DB", "Illuminate\\Support\\Facades\\Schema")
_DATE = re.compile(r"\d{4}_\d{2}_\d{2}")


@attrs.frozen
class Migration:
    path: str
    stem: str               # file name without the date prefix and .php
    class_name: str
    header: tuple[str, ...]
    uses: tuple[str, ...]
    up: tuple[str, ...]
    down: tuple[str, ...]
    tables: tuple[str, ...]
    exists_glob: str


def file_segment(name: str) -> str:
    """A table name as a file-name part that is also a PHP class-name part.

    Laravel 8 derives the class from the file name (``Str::studly``), so only
    ``[A-Za-z0-9_]`` may appear; anything else is replaced and a hash suffix
    keeps different names apart."""
    seg = path_segment(name)
    if re.fullmatch(r"[A-Za-z0-9_]+", seg):
        return seg
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", seg).strip("_")[:100] or "x"
    return f"{cleaned}_{sha256(name.encode()).hexdigest()[:8]}"


def selected_tables(schema: Schema, framework_tables: bool) -> list[Table]:
    """Tables that get a migration: never ``migrations`` itself, never a partition."""
    out = []
    for t in schema.tables:
        framework = t.conventions is not None and t.conventions.framework
        if t.name == "migrations" or t.partition_of or (framework and not framework_tables):
            continue
        out.append(t)
    return out


@attrs.frozen
class SchemaPlan:
    """What every migration needs from the whole schema, computed once per schema:
    the creation order fixes each file's number, so per-table output matches."""

    plan: Plan
    numbers: dict[str, int]        # table -> number of its create migration
    late_numbers: dict[str, int]   # table -> number of its add-foreign-keys migration
    widths: dict
    partitions: dict[str, tuple[str, ...]]
    source: str


@per_schema
def schema_plan(schema: Schema, framework_tables: bool) -> SchemaPlan:
    plan = plan_order(selected_tables(schema, framework_tables))
    numbers = {t.name: n for n, t in enumerate(plan.tables, start=1)}
    late = [t.name for t in plan.tables if plan.deferred.get(t.name)]
    late_numbers = {name: n for n, name in enumerate(late, start=len(plan.tables) + 1)}
    source = comment_text(posixpath.basename((schema.source or "a schema").replace("\\", "/")))
    return SchemaPlan(plan, numbers, late_numbers, widths_of(schema), _partitions(schema), source)


def iter_migrations(schema: Schema, options: dict,
                    tables: Iterable[str] | None = None) -> Iterator[Migration]:
    """The migrations of ``tables`` (default: all; a table that gets none, such as
    ``migrations`` or a partition, gives none): creates in creation order, then the
    deferred foreign keys, numbered as in the whole schema's sequence."""
    feats = bp.FEATURES[options["laravel_version"]]
    base = options["base_date"]
    if not _DATE.fullmatch(base):
        raise ValueError(f"base_date must look like 2024_01_01, got {base!r}")
    sp = schema_plan(schema, options["framework_tables"])
    plan = sp.plan
    wanted = None if tables is None else set(tables)
    chosen = [t for t in plan.tables if wanted is None or t.name in wanted]
    for table in chosen:
        body = table_body(table, schema, sp.widths, feats, plan.deferred.get(table.name, ()))
        yield _create(table, body, sp.numbers[table.name], base, options, feats, sp.source,
                      sp.partitions.get(table.name, ()))
    for table in chosen:
        late = plan.deferred.get(table.name, ())
        if late:
            yield _late_fks(table, late, sp.late_numbers[table.name], base, options, feats,
                            sp.source)


def build_migrations(schema: Schema, options: dict,
                     tables: Iterable[str] | None = None) -> list[Migration]:
    return list(iter_migrations(schema, options, tables))


def _partitions(schema: Schema) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for t in schema.tables:
        if t.partition_of:
            found.setdefault(t.partition_of, []).append(t.name)
    return {k: tuple(v) for k, v in found.items()}


def _header(source: str, what: str) -> tuple[str, ...]:
    return (f"Created by schemac from {source}: {comment_text(what)}.",
            "Create-once: schemac never overwrites this file; it is yours to edit.")


def _names(stem: str, n: int, base: str, options: dict) -> tuple[str, str, str]:
    directory = options["directory"].strip("/")
    path = f"{directory}/{base}_{n:06d}_{stem}.php"
    glob = f"{directory}/*_{stem}.php"
    return path, glob, studly(stem)


def _create(table: Table, body: TableBody, n: int, base: str, options: dict, feats: dict,
            source: str, partitions: tuple[str, ...]) -> Migration:
    stem = f"create_{file_segment(table.name)}_table"
    path, glob, cls = _names(stem, n, base, options)
    up = [f"Schema::create({q(table.name)}, function (Blueprint $table) {{"]
    up += ["    " + line if line else "" for line in body.lines]
    up.append("});")
    if partitions:
        up.append("// Not created (Laravel migrations cannot declare partitions): "
                  + comment_text(", ".join(partitions)) + ".")
    if body.after:
        up += [""] + list(body.after)
    down = [f"Schema::dropIfExists({q(table.name)});"]
    uses = _uses(body.needs_db)
    return Migration(path, stem, cls, _header(source, f"table {table.name}"), uses,
                     tuple(up), tuple(down), (table.name, *body.refs), glob)


def _uses(needs_db: bool) -> tuple[str, ...]:
    return tuple(u for u in USES if needs_db or not u.endswith("\\DB"))


def _late_fks(table: Table, late: tuple[ForeignKey, ...], n: int, base: str, options: dict,
              feats: dict, source: str) -> Migration:
    stem = f"add_foreign_keys_to_{file_segment(table.name)}_table"
    path, glob, cls = _names(stem, n, base, options)
    guard = ["// SQLite cannot add or drop a foreign key on an existing table.",
             "if (DB::getDriverName() === 'sqlite') {", "    return;", "}", ""]
    open_ = f"Schema::table({q(table.name)}, function (Blueprint $table) {{"
    adds = ["    " + bp.foreign_line(table.name, fk) + ";" for fk in late]
    drops = ["    " + bp.drop_foreign_line(table.name, fk) + ";" for fk in late]
    up = guard + [open_, *adds, "});"]
    down = guard + [open_, *drops, "});"]
    refs = tuple(sorted({fk.ref_table for fk in late}))
    return Migration(path, stem, cls, _header(source, f"foreign keys of {table.name}"),
                     _uses(True), tuple(up), tuple(down), (table.name, *refs), glob)
