"""Column -> Blueprint call mapping, as data: type methods, defaults, FK actions, versions.

Everything that differs between Laravel versions is a row in :data:`FEATURES`
(``{**BASE, ...}`` per version) and every type choice a table lookup, so the
view (``view.py``) only asks questions and never branches on a version number.
Identifiers and literals reach PHP only through :func:`q` (single-quoted).
"""

from __future__ import annotations

import re

from backends._safe import php_single_quoted
from ir.model import Action, Column, DefaultKind, ForeignKey
from ir.types import Kind, Type

q = php_single_quoted

# What a Laravel version's Blueprint and migration stub can do.
BASE = {
    "anonymous": True,        # `return new class extends Migration` (9+)
    "void": True,             # `public function up(): void` (10+ stubs)
    "ulid": True,             # Blueprint::ulid / ulidMorphs (9.x+)
    "table_comment": True,    # Blueprint::comment() on the table (9.14+)
    "float_precision": True,  # float($col, $precision) (11+); before: float($col, 8, 2) rounds
}
FEATURES = {
    8: {**BASE, "anonymous": False, "void": False, "ulid": False, "table_comment": False,
        "float_precision": False},
    9: {**BASE, "void": False, "float_precision": False},
    10: {**BASE, "float_precision": False},
    11: BASE, 12: BASE, 13: BASE,
}

INT_METHOD = {8: "tinyInteger", 16: "smallInteger", 24: "mediumInteger", 32: "integer",
              64: "bigInteger", None: "integer"}
INCREMENTS = {8: "tinyIncrements", 16: "smallIncrements", 24: "mediumIncrements",
              32: "increments", 64: "bigIncrements"}
TEXT_BY_RAW = (("TINYTEXT", "tinyText"), ("MEDIUMTEXT", "mediumText"),
               ("LONGTEXT", "longText"))
# Raw types Blueprint has a method for although the IR calls them unknown.
UNKNOWN_BY_RAW = {"inet": "ipAddress", "macaddr": "macAddress", "geometry": "geometry",
                  "point": "point", "linestring": "lineString", "polygon": "polygon"}
ON_DELETE = {Action.CASCADE: "->cascadeOnDelete()", Action.SET_NULL: "->nullOnDelete()",
             Action.RESTRICT: "->restrictOnDelete()",
             Action.SET_DEFAULT: "->onDelete('set default')"}
ON_UPDATE = {Action.CASCADE: "->cascadeOnUpdate()", Action.SET_NULL: "->onUpdate('set null')",
             Action.RESTRICT: "->restrictOnUpdate()",
             Action.SET_DEFAULT: "->onUpdate('set default')"}
CURRENT = {"CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP()", "NOW()", "LOCALTIMESTAMP"}
DRIVER = {"sqlite": "sqlite", "mysql": "mysql", "postgres": "pgsql"}
# PHP-safe numeric literal: no leading zero (octal), few enough digits for a float.
_NUMBER = re.compile(r"-?(0|[1-9]\d{0,13})(\.\d{1,13})?")


def is_timestamp(name: str, t: Type, dialect: str) -> bool:
    """A TIMESTAMP column.  On SQLite Laravel writes timestamps as ``datetime``, so
    there a Laravel-style ``*_at`` name decides (a birth date must stay a DATETIME:
    MySQL's TIMESTAMP starts in 1970)."""
    raw = t.raw.strip().lower()
    return raw.startswith("timestamp") or (
        dialect == "sqlite" and raw == "datetime" and name.endswith("_at"))


def call(method: str, name: str, *args: str) -> str:
    return f"$table->{method}(" + ", ".join((q(name), *args)) + ")"


def type_call(col: Column, width: tuple[int | None, bool], feats: dict,
              dialect: str) -> tuple[str, str | None]:
    """``$table->string('name', 100)`` for ``col`` and an optional TODO note.

    ``width`` is the integer (bits, unsigned) to use: the column's own, or the
    one inherited from a referenced key when the source (SQLite) gave none."""
    t, n = col.type, col.name
    kind = t.kind
    if kind is Kind.INTEGER:
        return _integer(n, t, width), None
    if kind is Kind.STRING:
        length = [] if t.length in (None, 255) else [str(t.length)]
        return call("char" if t.fixed else "string", n, *length), None
    if kind is Kind.TEXT:
        raw = t.raw.upper()
        method = next((m for k, m in TEXT_BY_RAW if raw.startswith(k)), "text")
        return call(method, n), None
    if kind is Kind.DECIMAL:
        return _decimal(n, t), None
    if kind is Kind.FLOAT:
        return _float(n, t, feats), None
    if kind is Kind.DATETIME:
        method = "timestamp" if is_timestamp(n, t, dialect) else "dateTime"
        return _timed(method + ("Tz" if t.timezone else ""), n, t), None
    if kind is Kind.TIME:
        return _timed("timeTz" if t.timezone else "time", n, t), None
    if kind is Kind.ENUM:
        values = "[" + ", ".join(q(v) for v in t.values) + "]"
        return call("set" if t.multiple else "enum", n, values), None
    if kind is Kind.JSON:
        return call("jsonb" if t.raw.lower().startswith("jsonb") else "json", n), None
    simple = {Kind.BOOLEAN: "boolean", Kind.DATE: "date", Kind.UUID: "uuid",
              Kind.BINARY: "binary"}
    if kind in simple:
        return call(simple[kind], n), None
    return _unknown(n, t)


def _integer(name: str, t: Type, width: tuple[int | None, bool]) -> str:
    if t.raw.strip().upper().startswith("YEAR"):
        return call("year", name)
    bits, unsigned = width
    method = INT_METHOD.get(bits, "integer")
    if unsigned:
        method = "unsigned" + method[0].upper() + method[1:]
    return call(method, name)


def _decimal(name: str, t: Type) -> str:
    args = []
    if t.precision is not None and (t.precision, t.scale or 0) != (8, 2):
        args = [str(t.precision), str(t.scale or 0)]
    text = call("decimal", name, *args)
    return text + ("->unsigned()" if t.unsigned else "")


def _float(name: str, t: Type, feats: dict) -> str:
    # Before Laravel 11, float($col) means FLOAT(8,2) and rounds; double($col) is exact.
    raw = t.raw.strip().upper()
    if feats["float_precision"] and raw.startswith("FLOAT") and not raw.startswith("FLOAT8"):
        return call("float", name)
    return call("double", name)


def _timed(method: str, name: str, t: Type) -> str:
    return call(method, name, *([str(t.precision)] if t.precision else []))


def _unknown(name: str, t: Type) -> tuple[str, str | None]:
    base = t.raw.strip().lower().split("(")[0]
    if base in UNKNOWN_BY_RAW:
        return call(UNKNOWN_BY_RAW[base], name), None
    return call("text", name), f"TODO: source type {t.raw} has no Blueprint method; text is the closest"


def increments_call(col: Column, width: tuple[int | None, bool]) -> str:
    """An auto-increment primary key: ``id()``, ``increments('x')`` or ``...->autoIncrement()``."""
    bits, unsigned = width
    if unsigned and bits in INCREMENTS:
        if col.name == "id" and bits == 64:
            return "$table->id()"
        return call(INCREMENTS[bits], col.name)
    return _integer(col.name, col.type, width) + "->autoIncrement()"


def default_modifier(col: Column, dialect: str) -> tuple[str | None, bool]:
    """The ``->default(...)`` / ``->useCurrent()`` modifier, and whether it needs ``DB``."""
    d = col.default
    if d is None or d.kind is DefaultKind.NULL or col.autoincrement:
        return None, False
    kind = col.type.kind
    if d.kind is DefaultKind.EXPRESSION:
        if d.value.strip().upper() in CURRENT and kind in (Kind.DATETIME, Kind.DATE):
            return "->useCurrent()", False
        return f"->default(DB::raw({q(d.value)}))", True
    value = d.value
    if kind is Kind.BOOLEAN and value.lower() in ("0", "1", "true", "false"):
        return "->default(" + ("true" if value.lower() in ("1", "true") else "false") + ")", False
    if kind in (Kind.INTEGER, Kind.DECIMAL, Kind.FLOAT) and _NUMBER.fullmatch(value):
        return f"->default({value})", False
    if d.kind is DefaultKind.BOOLEAN:
        return "->default(" + ("true" if value == "true" else "false") + ")", False
    return f"->default({q(value)})", False


def actions(on_delete: Action | None, on_update: Action | None) -> str:
    return ON_DELETE.get(on_delete, "") + ON_UPDATE.get(on_update, "")  # type: ignore[arg-type]


def driver_of(dialect: str) -> str:
    return DRIVER.get(dialect, dialect)


def default_index_name(table: str, columns: tuple[str, ...], kind: str) -> str:
    """Laravel's ``Blueprint::createIndexName``: ``users_email_unique``."""
    name = f"{table}_{'_'.join(columns)}_{kind}".lower()
    return name.replace("-", "_").replace(".", "_")


def columns_arg(columns: tuple[str, ...]) -> str:
    """``'a'`` for one column, ``['a', 'b']`` for several."""
    if len(columns) == 1:
        return q(columns[0])
    return "[" + ", ".join(q(c) for c in columns) + "]"


def foreign_line(table: str, fk: ForeignKey) -> str:
    """The explicit form: ``$table->foreign('x')->references('id')->on('t')->...``."""
    args = [columns_arg(fk.columns)]
    if fk.name and fk.name != default_index_name(table, fk.columns, "foreign"):
        args.append(q(fk.name))
    return (f"$table->foreign({', '.join(args)})->references({columns_arg(fk.ref_columns)})"
            f"->on({q(fk.ref_table)})" + actions(fk.on_delete, fk.on_update))


def drop_foreign_line(table: str, fk: ForeignKey) -> str:
    if fk.name and fk.name != default_index_name(table, fk.columns, "foreign"):
        return f"$table->dropForeign({q(fk.name)})"
    return "$table->dropForeign([" + ", ".join(q(c) for c in fk.columns) + "])"
