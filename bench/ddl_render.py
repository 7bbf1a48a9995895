"""Render the bench generator's table specs as DDL text in sqlite, mysql or postgres.

Each dialect has the shape real schemas of that database have: sqlite as Laravel's SQLite
grammar writes it (one line per table, table-level foreign keys, enums as varchar + CHECK IN),
mysql as mysqldump writes it (inline KEY / CONSTRAINT, ENUM, ENGINE=InnoDB), postgres as a
pg_dump-like file (CREATE TYPE ... AS ENUM, indexes, then ALTER TABLE ... ADD CONSTRAINT for
foreign keys at the end).  Specs are read by attribute only (see ``gen_schema.Table``).
"""

from __future__ import annotations

import zlib
from typing import Any

DIALECTS = ("sqlite", "mysql", "postgres")

# Column kind -> type spelling per dialect; {n} length, {p} precision.
TYPES = {
    "sqlite": {"id": "integer", "fk": "integer", "bigint": "integer", "string": "varchar",
               "text": "text", "int": "integer", "decimal": "numeric", "bool": "tinyint(1)",
               "date": "date", "datetime": "datetime", "json": "text", "enum": "varchar"},
    "mysql": {"id": "bigint unsigned", "fk": "bigint unsigned", "bigint": "bigint unsigned",
              "string": "varchar({n})", "text": "text", "int": "int", "decimal": "decimal({p},2)",
              "bool": "tinyint(1)", "date": "date", "datetime": "timestamp", "json": "json",
              "enum": "enum({values})"},
    "postgres": {"id": "bigserial", "fk": "bigint", "bigint": "bigint", "string": "varchar({n})",
                 "text": "text", "int": "integer", "decimal": "numeric({p}, 2)",
                 "bool": "boolean", "date": "date", "datetime": "timestamp(0) without time zone",
                 "json": "jsonb", "enum": "varchar(255)"},
}
QUOTE = {"sqlite": '"', "mysql": "`", "postgres": '"'}


def short_name(name: str, limit: int = 60) -> str:
    """An identifier under mysql's 64 / postgres's 63 chars, still unique (crc of the full name)."""
    if len(name) <= limit:
        return name
    return f"{name[:limit - 9]}_{zlib.crc32(name.encode()):08x}"


def _q(name: str, dialect: str) -> str:
    return QUOTE[dialect] + name + QUOTE[dialect]


def _cols(names: tuple[str, ...], dialect: str) -> str:
    return ", ".join(_q(n, dialect) for n in names)


def _str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _type(col: Any, dialect: str, pg_enum: bool, table: str) -> str:
    if dialect == "postgres" and col.kind == "enum" and pg_enum:
        return _q(f"{table}_{col.name}", dialect)
    if dialect == "sqlite" and col.kind == "json":
        return "text"
    spelling = TYPES[dialect][col.kind]
    return spelling.format(n=col.length or 255, p=col.length or 10,
                           values=",".join(_str(v) for v in col.enum))


def _default(col: Any, dialect: str) -> str | None:
    if col.default is None:
        return None
    if col.kind == "bool":
        if dialect == "postgres":
            return col.default
        return "'1'" if col.default == "true" else "'0'"
    if col.kind == "int" and dialect == "postgres":
        return col.default
    return _str(col.default)


def _pg_enum(table: Any) -> bool:
    # Half the postgres enums are CREATE TYPE, half varchar + CHECK, decided by the name alone.
    return zlib.crc32(table.name.encode()) % 2 == 0


def _column(col: Any, table: Any, dialect: str) -> str:
    """One column definition in the dialect's usual constraint order."""
    q = _q(col.name, dialect)
    parts = [q, _type(col, dialect, _pg_enum(table), table.name)]
    if col.kind == "id":
        parts.append({"sqlite": "not null primary key autoincrement",
                      "mysql": "NOT NULL AUTO_INCREMENT", "postgres": "PRIMARY KEY"}[dialect])
        return " ".join(parts)
    in_check = col.kind == "enum" and (dialect == "sqlite" or
                                       (dialect == "postgres" and not _pg_enum(table)))
    if in_check:
        values = ", ".join(_str(v) for v in col.enum)
        parts.append(f"check ({q} in ({values}))" if dialect == "sqlite"
                     else f"CHECK ({q} IN ({values}))")
    default = _default(col, dialect)
    # Nullable columns are written as each tool writes them: Laravel's SQLite grammar and
    # pg_dump say nothing, mysqldump says DEFAULT NULL (and NULL first for a timestamp).
    if dialect == "sqlite":
        if not col.nullable:
            parts.append("not null")
        if default is not None:
            parts.append(f"default {default}")
    else:
        if not col.nullable:
            parts.append("NOT NULL")
        elif dialect == "mysql":
            parts.append("NULL DEFAULT NULL" if col.kind == "datetime" else "DEFAULT NULL")
        if default is not None:
            parts.append(f"DEFAULT {default}")
    if col.check and dialect != "mysql":
        check = col.check.replace('"', QUOTE[dialect])
        parts.append(f"check ({check})" if dialect == "sqlite" else f"CHECK ({check})")
    return " ".join(parts)


def _fk_name(table: Any, fk: Any) -> str:
    return short_name(f"{table.name}_{'_'.join(fk.cols)}_foreign")


def _on_delete(fk: Any, dialect: str) -> str:
    if fk.on_delete is None:
        return ""
    text = f" on delete {fk.on_delete}"
    return text if dialect == "sqlite" else text.upper()


def _sqlite(table: Any) -> list[str]:
    d = "sqlite"
    items = [_column(c, table, d) for c in table.cols]
    if table.pk != ("id",):
        items.append(f"primary key ({_cols(table.pk, d)})")
    for fk in table.fks:
        items.append(f"foreign key({_cols(fk.cols, d)}) references {_q(fk.table, d)}(\"id\")"
                     + _on_delete(fk, d))
    out = [f"CREATE TABLE {_q(table.name, d)} ({', '.join(items)});"]
    for ix in table.indexes:
        kind = "UNIQUE INDEX" if ix.unique else "INDEX"
        where = f" where {ix.where}" if ix.where else ""
        out.append(f"CREATE {kind} {_q(ix.name, d)} on {_q(table.name, d)} "
                   f"({_cols(ix.cols, d)}){where};")
    return out


def _mysql(table: Any) -> list[str]:
    d = "mysql"
    items = [_column(c, table, d) for c in table.cols]
    items.append(f"PRIMARY KEY ({_cols(table.pk, d)})")
    leading = {table.pk[0]}
    for ix in table.indexes:
        # mysql has no partial index: a partial unique becomes a plain index.
        kind = "UNIQUE KEY" if ix.unique and not ix.where else "KEY"
        items.append(f"{kind} {_q(ix.name, d)} ({_cols(ix.cols, d)})")
        leading.add(ix.cols[0])
    for fk in table.fks:
        if fk.cols[0] not in leading:  # InnoDB indexes every FK; mysqldump shows that KEY
            items.append(f"KEY {_q(_fk_name(table, fk), d)} ({_cols(fk.cols, d)})")
    for fk in table.fks:
        items.append(f"CONSTRAINT {_q(_fk_name(table, fk), d)} FOREIGN KEY ({_cols(fk.cols, d)})"
                     f" REFERENCES {_q(fk.table, d)} (`id`)" + _on_delete(fk, d))
    for c in table.cols:
        if c.check:
            name = short_name(f"{table.name}_{c.name}_check")
            items.append(f"CONSTRAINT {_q(name, d)} CHECK ({c.check.replace(chr(34), '`')})")
    body = ",\n  ".join(items)
    tail = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
    return [f"CREATE TABLE {_q(table.name, d)} (\n  {body}\n) {tail};"]


def _postgres(table: Any) -> tuple[list[str], list[str]]:
    """(statements in place, foreign keys to append at the end of the file)."""
    d = "postgres"
    out = []
    for c in table.cols:
        if c.kind == "enum" and _pg_enum(table):
            values = ", ".join(_str(v) for v in c.enum)
            out.append(f"CREATE TYPE {_q(f'{table.name}_{c.name}', d)} AS ENUM ({values});")
    items = [_column(c, table, d) for c in table.cols]
    if table.pk != ("id",):
        name = short_name(f"{table.name}_pkey")
        items.append(f"CONSTRAINT {_q(name, d)} PRIMARY KEY ({_cols(table.pk, d)})")
    out.append(f"CREATE TABLE {_q(table.name, d)} (\n    " + ",\n    ".join(items) + "\n);")
    for ix in table.indexes:
        kind = "UNIQUE INDEX" if ix.unique else "INDEX"
        where = f" WHERE {ix.where}" if ix.where else ""
        out.append(f"CREATE {kind} {_q(ix.name, d)} ON {_q(table.name, d)} "
                   f"({_cols(ix.cols, d)}){where};")
    late = [f"ALTER TABLE ONLY {_q(table.name, d)} ADD CONSTRAINT {_q(_fk_name(table, fk), d)} "
            f"FOREIGN KEY ({_cols(fk.cols, d)}) REFERENCES {_q(fk.table, d)} (\"id\")"
            + _on_delete(fk, d) + ";" for fk in table.fks]
    return out, late


def render(tables: list[Any], dialect: str) -> str:
    """The whole schema as one DDL script ending in a newline."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    lines = [f"-- schemac bench schema: {len(tables)} tables, dialect {dialect}"]
    late: list[str] = []
    for table in tables:
        if dialect == "sqlite":
            lines += _sqlite(table)
        elif dialect == "mysql":
            lines += _mysql(table)
        else:
            now, fks = _postgres(table)
            lines += now
            late += fks
    return "\n".join(lines + late) + "\n"
