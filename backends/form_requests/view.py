"""The form-requests view model: Laravel validation rules per column, from the IR's constraints.

Rules are rendered in array form, in the order Laravel's docs write them:
presence, type, date, format, length, range, allowed values, unique, exists.

- ``required`` (NOT NULL without a default) -> ``'required'``; on update
  ``'sometimes', 'required'``: a partial update may leave the field out, but
  when sent it must be filled.  ``nullable`` -> ``'nullable'``.
- type: ``string`` / ``integer`` / ``numeric`` / ``boolean``; JSON -> ``'array'``
  when the model casts it (the request sends a JSON array/object), else
  ``'json'`` (a JSON string); time -> ``'date_format:H:i:s'``; date/datetime ->
  ``'date'``.
- ``max_length`` -> ``'max:N'`` (after ``string``: a length); ``min``/``max`` ->
  ``'min:X'``/``'max:X'`` after ``integer``/``numeric``, so they compare values.
- ``in`` -> ``Rule::in([...])``: the array form takes any value (commas, quotes).
- ``unique`` -> ``Rule::unique('t', 'c')``; on update
  ``->ignore($this->route('<model in snake_case>'))``: the parameter name
  ``Route::resource()`` gives (``blog-posts/{blog_post}``), a bound model or its
  key; the key column is passed when it is not ``id``.
- ``exists`` -> ``Rule::exists('t', 'c')``; ``format`` -> ``email`` / ``url`` /
  ``uuid`` / ``ip``, ``ulid`` from Laravel 10 (a regex before).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from backends._laravel import generated_header, model_classes_view, object_memo
from backends._safe import path_segment
from backends._safe import php_single_quoted as q
from ir.model import Column, Schema, Table
from ir.naming import snake
from ir.rules import CastKind, ConstraintKind
from ir.rules import ConstraintKind as C

_TYPES = {"string": "string", "integer": "integer", "numeric": "numeric", "boolean": "boolean",
          "json": "json", "time": "date_format:H:i:s"}
_FORMATS = {"email": "email", "url": "url", "uuid": "uuid", "ip": "ip"}
ULID_REGEX = "regex:/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i"
# Where each constraint kind goes in the rule list (Laravel docs order).
_ORDER = (C.REQUIRED, C.NULLABLE, C.TYPE, C.DATE, C.FORMAT, C.MAX_LENGTH, C.MIN, C.MAX, C.IN,
          C.UNIQUE, C.EXISTS)
_WIDTH = 100   # longer rule lists go one rule per line
_JSON_CAST = CastKind.JSON


@attrs.frozen
class Field:
    key: str                  # PHP literal of the attribute name
    rules: tuple[str, ...]    # PHP expressions
    multiline: bool
    text: str                 # its lines in the rules array (built once per distinct column)


@attrs.frozen
class RequestView:
    table: str
    name: str
    namespace: str
    path: str
    action: str               # "store" | "update"
    model: str
    fields: tuple[Field, ...]
    rule_doc: str             # @return type of rules()
    route_param: str


@attrs.frozen
class RulesView:
    table: str
    name: str
    namespace: str
    path: str
    header: tuple[str, ...]
    model: str
    fields: tuple[Field, ...]
    rule_doc: str
    key: str | None


header = generated_header


def _ignore(table: Table, subject: str) -> str:
    """``->ignore(...)`` of a unique rule on update; nothing without a single key."""
    key = table.conventions.key if table.conventions else ()
    if len(key) != 1:
        return ""
    return f"->ignore({subject})" if key[0] == "id" else f"->ignore({subject}, {q(key[0])})"


# The kinds as plain names: an Enum member looked up on its class costs ~85 ns on
# Python 3.11, and column_rules asks dozens of times per column.
(_REQUIRED, _NULLABLE, _TYPE, _DATE, _FORMAT, _MAX_LENGTH, _MIN, _MAX, _IN, _UNIQUE,
 _EXISTS) = _ORDER
_RANK = {kind: n for n, kind in enumerate(_ORDER)}
_TYPE_RANK = _RANK[_TYPE]


def _one(col: Column, kind: ConstraintKind, args: tuple[str, ...], version: int) -> list[str]:
    if kind is _TYPE:
        json_cast = col.cast is not None and col.cast.kind is _JSON_CAST
        name = "array" if args[0] == "json" and json_cast else _TYPES.get(args[0])
        return [q(name)] if name else []
    if kind is _DATE:
        return ["'date'"]
    if kind is _FORMAT:
        if args[0] == "ulid":
            return ["'ulid'" if version >= 10 else q(ULID_REGEX)]
        return [q(_FORMATS[args[0]])] if args[0] in _FORMATS else []
    if kind is _MAX_LENGTH:
        return [q(f"max:{args[0]}")]
    if kind is _MIN or kind is _MAX:
        return [q(f"{kind.value}:{args[0]}")]
    if kind is _IN:
        return ["Rule::in([" + ", ".join(q(v) for v in dict.fromkeys(args)) + "])"]
    if kind is _EXISTS:
        return [f"Rule::exists({q(args[0])}, {q(args[1])})"]
    return []


def column_rules(table: Table, col: Column, mode: str, version: int, subject: str) -> list[str]:
    """The rules of one column; ``mode`` is store, update or model (``ignore($ignore)``)."""
    by_kind: dict[ConstraintKind, list[tuple[str, ...]]] = {}
    for c in col.constraints:
        if c.kind in _RANK:
            by_kind.setdefault(c.kind, []).append(c.args)
    out: list[str] = []
    # min/max compare values only after 'integer' or 'numeric' (else a string's length)
    numeric_due = _MIN in by_kind or _MAX in by_kind
    for kind in sorted(by_kind, key=_RANK.__getitem__):
        if numeric_due and _RANK[kind] > _TYPE_RANK:
            numeric_due = False
            if "'integer'" not in out and "'numeric'" not in out:
                out.append("'numeric'")
        for args in by_kind[kind]:
            if kind is _REQUIRED:
                out += ["'sometimes'", "'required'"] if mode == "update" else ["'required'"]
            elif kind is _NULLABLE:
                out.append("'nullable'")
            elif kind is _UNIQUE:
                ignore = _ignore(table, subject) if mode != "store" else ""
                out.append(f"Rule::unique({q(args[0])}, {q(args[1])}){ignore}")
            else:
                out += _one(col, kind, args, version)
    return list(dict.fromkeys(out))


def _field(table: Table, col: Column, mode: str, version: int, subject: str) -> Field:
    rules = column_rules(table, col, mode, version, subject)
    key = q(col.name)
    text = f"            {key} => [{', '.join(rules)}],"
    if len(text) <= _WIDTH:
        return Field(key, tuple(rules), False, text)
    return Field(key, tuple(rules), True, "\n".join(
        [f"            {key} => ["] + [f"                {r}," for r in rules] + ["            ],"]))


_field_memo = object_memo()


def fields(schema: Schema, table: Table, mode: str, version: int, subject: str
           ) -> tuple[Field, ...]:
    """The fields of a request or rules class.  A column's field depends on the table
    only through a unique rule's ``ignore`` (on update): others are built once per
    distinct Column object."""
    memo = _field_memo(schema)
    out = []
    for col in table.columns:
        if not col.constraints:
            continue   # filled by the ORM or the database: not input
        key = (id(col), mode, version)
        field = memo.get(key)
        if field is None:
            field = _field(table, col, mode, version, subject)
            if mode == "store" or all(c.kind is not _UNIQUE for c in col.constraints):
                memo[key] = field
        out.append(field)
    return tuple(out)


def rule_doc(version: int) -> str:
    if version >= 10:
        return "array<string, \\Illuminate\\Contracts\\Validation\\ValidationRule|array<mixed>|string>"
    return "array<string, mixed>"


def iter_requests(schema: Schema, options, tables: Iterable[str] | None = None
                  ) -> Iterator[tuple[RequestView, RequestView, RulesView | None]]:
    """Per model table among ``tables`` (default: all): its store and update requests
    and, with ``model_rules``, its rules class; one table at a time."""
    version = options["laravel_version"]
    ns, base = options["requests_namespace"].strip("\\"), options["requests_path"].rstrip("/")
    classes = model_classes_view(schema)
    chosen = classes if tables is None else [t for t in dict.fromkeys(tables) if t in classes]
    doc = rule_doc(version)
    for table_name in chosen:
        table, model = schema.table(table_name), classes[table_name]
        param = snake(model)
        subject = f"$this->route({q(param)})"
        store, update = (RequestView(
            table.name, name, ns, f"{base}/{path_segment(name)}.php", action, model,
            fields(schema, table, action, version, subject), doc, param)
            for action, name in (("store", f"Store{model}Request"),
                                 ("update", f"Update{model}Request")))
        rules = None
        if options["model_rules"]:
            name = f"{model}Rules"
            key = table.conventions.key
            rules = RulesView(
                table.name, name, f"{ns}\\Rules", f"{base}/Rules/{path_segment(name)}.php",
                header(schema), model, fields(schema, table, "model", version, "$ignore"),
                doc, key[0] if len(key) == 1 else None)
        yield store, update, rules


def build_requests(schema: Schema, options, tables: Iterable[str] | None = None
                   ) -> tuple[list[RequestView], list[RulesView]]:
    requests: list[RequestView] = []
    rules: list[RulesView] = []
    for store, update, model_rules in iter_requests(schema, options, tables):
        requests += (store, update)
        rules += [model_rules] if model_rules else []
    return requests, rules
