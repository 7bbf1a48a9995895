"""Deterministic synthetic Laravel-shaped schemas, as DDL (sqlite/mysql/postgres) or a SQLite file.

The same (N, seed) always gives the same bytes: all randomness comes from one seeded
``random.Random`` and everything is generated in a fixed order.  The schema is built once as plain
specs (:func:`generate`), then rendered per dialect (`bench/ddl_render.py`), so every dialect
describes the same tables.  About 700 bytes of DDL per table: 10,000 tables are about 7 MB.

    python bench/gen_schema.py 1000 --dialect mysql -o /tmp/s.mysql.sql
    python bench/gen_schema.py 1000 --sqlite-db /tmp/s.sqlite
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench/ holds scripts
from ddl_render import DIALECTS, render, short_name

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
MAX_NAME = 48  # keeps derived names (mysql `<table>_ibfk_N`, index names) under 64 chars


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


NOUNS = _words("""user team post comment tag category product order invoice payment customer
    address company contact project task note file image video article page menu event ticket
    message channel account role permission setting report review rating coupon discount
    shipment warehouse supplier vendor brand store cart wishlist subscription plan feature
    lesson course student teacher grade exam question answer survey campaign lead deal quote
    contract document folder device sensor reading alert log session token webhook job batch
    region country city currency language skill badge reward""")
MODULES = _words("""crm erp hr shop blog cms lms billing support iot fleet hotel clinic legal
    farm media sales stock tax travel""")
QUALIFIERS = _words("archived draft external internal legacy pending shared")
ROLES = _words("author owner creator assignee reviewer manager approver editor sender recipient")
WORDS = _words("""title name slug code label summary description body status email phone url
    reference color icon locale notes""")
ENUM_SETS = (("draft", "published", "archived"), ("pending", "active", "suspended", "closed"),
             ("low", "normal", "high", "urgent"), ("male", "female", "other"),
             ("daily", "weekly", "monthly", "yearly"), ("open", "in_progress", "done"))
POLY = _words("commentable attachable taggable imageable notifiable trackable likeable auditable")


@dataclass
class Col:
    """One column: ``kind`` is a dialect-neutral key into the render type tables."""
    name: str
    kind: str  # id fk string text int bigint decimal bool date datetime json enum
    nullable: bool = False
    default: str | None = None  # neutral literal: 'text', 0, 1, true/false, now
    length: int | None = None
    enum: tuple[str, ...] = ()
    check: str | None = None  # neutral check body, e.g. '"price" >= 0'


@dataclass
class FK:
    cols: tuple[str, ...]
    table: str
    on_delete: str | None = None  # cascade, set null


@dataclass
class Index:
    name: str
    cols: tuple[str, ...]
    unique: bool = False
    where: str | None = None  # partial index predicate; dropped in mysql


@dataclass
class Table:
    name: str
    singular: str
    cols: list[Col] = field(default_factory=list)
    pk: tuple[str, ...] = ("id",)
    fks: list[FK] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _stems(rng: random.Random, n: int) -> list[str]:
    """n distinct singular stems: plain nouns first, then module_noun, then module_qual_noun."""
    tiers = [list(NOUNS), [f"{m}_{w}" for m in MODULES for w in NOUNS],
             [f"{m}_{q}_{w}" for m in MODULES for q in QUALIFIERS for w in NOUNS]]
    tiers[0].remove("user")
    out: list[str] = ["user"]  # the hub every app has, target of author_id, owner_id, ...
    for tier in tiers:
        rng.shuffle(tier)
        out.extend(tier[: n - len(out)])
        if len(out) >= n:
            return out
    raise ValueError(f"at most {len(out)} tables")


def _add_index(t: Table, cols: tuple[str, ...], unique: bool = False,
               where: str | None = None) -> None:
    suffix = "unique" if unique else "index"
    t.indexes.append(Index(short_name(f"{t.name}_{'_'.join(cols)}_{suffix}"), cols, unique,
                           where))


def _content_col(rng: random.Random, used: set[str]) -> Col | None:
    roll = rng.random()
    word = rng.choice(WORDS)
    if roll < 0.40:
        col = Col(word, "string", nullable=rng.random() < 0.3, length=rng.choice((50, 100, 255)))
    elif roll < 0.52:
        col = Col(word if word in ("body", "description", "notes", "summary") else "content",
                  "text", nullable=True)
    elif roll < 0.64:
        col = Col(rng.choice(("quantity", "position", "sort_order", "views", "stock")), "int",
                  default="0")
    elif roll < 0.73:
        name = rng.choice(("price", "amount", "total", "balance", "weight"))
        col = Col(name, "decimal", length=rng.choice((8, 10, 12)),
                  check=f'"{name}" >= 0' if rng.random() < 0.3 else None)
    elif roll < 0.82:
        col = Col(rng.choice(("is_active", "is_featured", "visible", "verified")), "bool",
                  default=rng.choice(("true", "false")))
    elif roll < 0.88:
        col = Col(rng.choice(("starts_on", "ends_on", "birthday", "due_date")), "date",
                  nullable=True)
    elif roll < 0.94:
        col = Col(rng.choice(("published_at", "approved_at", "expires_at", "last_seen_at")),
                  "datetime", nullable=True)
    else:
        col = Col(rng.choice(("meta", "settings", "options", "payload")), "json", nullable=True)
    return None if col.name in used else col


def _fk_target(rng: random.Random, entities: list[Table]) -> Table:
    # Skewed towards early tables: a few hubs (users, teams, ...) get most references.
    return entities[int(len(entities) * rng.random() ** 2.5)]


def _add_fks(rng: random.Random, t: Table, entities: list[Table], used: set[str]) -> None:
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        if not entities:
            return
        target = _fk_target(rng, entities)
        col = f"{target.singular}_id"
        if col in used or rng.random() < 0.15:
            target = entities[0]
            col = f"{rng.choice(ROLES)}_id"  # role name: author_id -> users
        if col in used:
            continue
        nullable = rng.random() < 0.3
        used.add(col)
        t.cols.append(Col(col, "fk", nullable=nullable))
        if rng.random() < 0.75:
            t.fks.append(FK((col,), target.name, "set null" if nullable else
                            rng.choice((None, "cascade", "cascade"))))
        else:
            _add_index(t, (col,))  # undeclared: Laravel apps often index without a constraint


def _entity(rng: random.Random, stem: str, entities: list[Table]) -> Table:
    t = Table(plural(stem), stem, [Col("id", "id")])
    used = {"id"}
    _add_fks(rng, t, entities, used)
    if rng.random() < 0.08:
        used.add("parent_id")
        t.cols.append(Col("parent_id", "fk", nullable=True))
        t.fks.append(FK(("parent_id",), t.name, "cascade"))
    for _ in range(rng.randint(2, 7)):
        col = _content_col(rng, used)
        if col is not None:
            used.add(col.name)
            t.cols.append(col)
    if rng.random() < 0.3 and "status" not in used:
        values = rng.choice(ENUM_SETS)
        t.cols.append(Col("status", "enum", enum=values, default=values[0]))
        used.add("status")
    if rng.random() < 0.1:
        poly = rng.choice(POLY)
        t.cols += [Col(f"{poly}_type", "string", length=255), Col(f"{poly}_id", "bigint")]
        _add_index(t, (f"{poly}_type", f"{poly}_id"))
    _entity_tail(rng, t, used)
    return t


def _entity_tail(rng: random.Random, t: Table, used: set[str]) -> None:
    """Timestamps, soft deletes and the unique / composite / partial indexes."""
    stamps = rng.random() < 0.9
    if stamps:
        t.cols += [Col("created_at", "datetime", nullable=True),
                   Col("updated_at", "datetime", nullable=True)]
    soft = rng.random() < 0.2
    if soft:
        t.cols.append(Col("deleted_at", "datetime", nullable=True))
    for key in ("slug", "email", "code", "reference"):
        if key in used:
            where = '"deleted_at" IS NULL' if soft and rng.random() < 0.6 else None
            _add_index(t, (key,), unique=True, where=where)
            break
    fk_cols = [c.name for c in t.cols if c.kind == "fk"]
    if fk_cols and stamps and rng.random() < 0.35:
        _add_index(t, (fk_cols[0], "created_at"))


def _pivot(rng: random.Random, a: Table, b: Table) -> Table:
    a, b = sorted((a, b), key=lambda x: x.singular)
    ka, kb = f"{a.singular}_id", f"{b.singular}_id"
    t = Table(f"{a.singular}_{b.singular}", f"{a.singular}_{b.singular}",
              [Col(ka, "fk"), Col(kb, "fk")], pk=(ka, kb),
              fks=[FK((ka,), a.name, "cascade"), FK((kb,), b.name, "cascade")])
    if rng.random() < 0.3:
        t.cols.append(Col(rng.choice(("role", "label")), "string", nullable=True, length=50))
    if rng.random() < 0.2:
        t.cols.append(Col("sort_order", "int", default="0"))
    if rng.random() < 0.5:
        t.cols += [Col("created_at", "datetime", nullable=True),
                   Col("updated_at", "datetime", nullable=True)]
    _add_index(t, (kb,))
    return t


def generate(n: int, seed: int = 0) -> list[Table]:
    """n tables: ~85 % entities, ~15 % pivots between earlier entities, in dependency order."""
    rng = random.Random(seed)
    stems = iter(_stems(rng, n))
    tables: list[Table] = []
    entities: list[Table] = []
    names: set[str] = set()
    while len(tables) < n:
        t = None
        if len(entities) >= 4 and rng.random() < 0.15:
            a, b = rng.sample(entities, 2)
            t = _pivot(rng, a, b)
            if t.name in names or len(t.name) > MAX_NAME:
                t = None
        if t is None:
            t = _entity(rng, next(stems), entities)
            if len(t.name) > MAX_NAME or t.name in names:
                continue
            entities.append(t)
        names.add(t.name)
        tables.append(t)
    return tables


def schema_text(n: int, dialect: str, seed: int = 0) -> str:
    return render(generate(n, seed), dialect)


def build_sqlite(path: str, ddl: str) -> None:
    """Execute the sqlite DDL into a new database file, in one transaction."""
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        con.executescript("BEGIN;\n" + ddl + "COMMIT;\n")
    finally:
        con.close()
    os.replace(tmp, path)


def cached(n: int, seed: int = 0, out_dir: str = OUT_DIR) -> dict[str, str]:
    """Paths of the cached outputs for (n, seed), generating the missing ones:
    keys are the dialects (DDL text files, named so the dialect is read from the name) and
    ``sqlite-db``."""
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, f"schema-{n}-s{seed}")
    paths = {d: f"{base}.{d}.sql" for d in DIALECTS}
    paths["sqlite-db"] = f"{base}.sqlite"
    tables = None
    for dialect in DIALECTS:
        if not os.path.exists(paths[dialect]):
            tables = tables or generate(n, seed)
            _write(paths[dialect], render(tables, dialect))
    if not os.path.exists(paths["sqlite-db"]):
        with open(paths["sqlite"], encoding="utf-8") as fh:
            build_sqlite(paths["sqlite-db"], fh.read())
    return paths


def _write(path: str, text: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of tables")
    ap.add_argument("--dialect", choices=DIALECTS, default="sqlite")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", help="DDL file to write (default: stdout)")
    ap.add_argument("--sqlite-db", help="also build a SQLite database file from the sqlite DDL")
    args = ap.parse_args(argv)
    tables = generate(args.n, args.seed)
    if args.sqlite_db:
        if os.path.exists(args.sqlite_db):
            os.remove(args.sqlite_db)
        build_sqlite(args.sqlite_db, render(tables, "sqlite"))
    if args.output:
        _write(args.output, render(tables, args.dialect))
    elif not args.sqlite_db:
        sys.stdout.write(render(tables, args.dialect))
    return 0


if __name__ == "__main__":
    sys.exit(main())
