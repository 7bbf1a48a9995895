"""The schema IR: frozen, slotted attrs classes that every pass and backend reads.

Frontends build it, passes return new copies (``attrs.evolve``), backends only
read it.  Collections are tuples in source order (tables, columns) or sorted
(derived facts), so two runs over the same input give byte-identical output.

Source spans are kept on nodes for messages but compare as equal
(``eq=False``) and are left out of the JSON form: the same schema read from a
DDL file and from a SQLite database is the same IR.
"""

from __future__ import annotations

import enum

import attrs

from ir.diagnostics import Diagnostic, Span
from ir.relations import Relation
from ir.rules import Cast, Constraint, TableConventions
from ir.types import Type


def _span_field():
    return attrs.field(default=None, eq=False, repr=False, metadata={"json": False})


class DefaultKind(enum.StrEnum):
    STRING = "string"          # 'member'
    NUMBER = "number"          # 0, 1.5, -3
    BOOLEAN = "boolean"        # TRUE / FALSE (value "true"/"false")
    NULL = "null"              # DEFAULT NULL
    EXPRESSION = "expression"  # CURRENT_TIMESTAMP, now(), nextval(...), (1 + 2)


@attrs.frozen
class Default:
    """A column default: a typed literal, or an expression kept as SQL text."""

    kind: DefaultKind = attrs.field(converter=DefaultKind)
    value: str = ""


@attrs.frozen
class Generated:
    """A generated (computed) column: its expression and whether it is stored."""

    expression: str
    stored: bool = False


class Action(enum.StrEnum):
    """Referential actions, normalised to their SQL spelling."""

    CASCADE = "CASCADE"
    SET_NULL = "SET NULL"
    SET_DEFAULT = "SET DEFAULT"
    RESTRICT = "RESTRICT"
    NO_ACTION = "NO ACTION"


def _action(value: object) -> Action | None:
    if value is None or isinstance(value, Action):
        return value
    text = " ".join(str(value).upper().split())
    return None if text == "NO ACTION" else Action(text)


@attrs.frozen
class Column:
    """A column.  ``samples`` holds up to 50 distinct values of a ``<name>_type``
    column (read from rows when the source has them) for morph inference."""

    name: str
    type: Type
    nullable: bool = True
    default: Default | None = None
    autoincrement: bool = False
    generated: Generated | None = None
    hidden: bool = False
    comment: str | None = None
    samples: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    cast: Cast | None = None
    constraints: tuple[Constraint, ...] = attrs.field(default=(), converter=tuple)
    span: Span | None = _span_field()


@attrs.frozen
class PrimaryKey:
    columns: tuple[str, ...] = attrs.field(converter=tuple)
    name: str | None = None


@attrs.frozen
class ForeignKey:
    """A declared foreign key.  ``NO ACTION`` (the SQL default) is stored as None
    so that sources which spell it and sources which omit it compare equal."""

    columns: tuple[str, ...] = attrs.field(converter=tuple)
    ref_table: str
    ref_columns: tuple[str, ...] = attrs.field(converter=tuple)
    name: str | None = None
    on_delete: Action | None = attrs.field(default=None, converter=_action)
    on_update: Action | None = attrs.field(default=None, converter=_action)
    span: Span | None = _span_field()


@attrs.frozen
class IndexPart:
    """One indexed item: a column name, or an expression kept as SQL text."""

    column: str | None = None
    expression: str | None = None
    descending: bool = False


@attrs.frozen
class Index:
    """An index or a UNIQUE constraint (``constraint=True``), possibly partial."""

    name: str | None
    parts: tuple[IndexPart, ...] = attrs.field(converter=tuple)
    unique: bool = False
    where: str | None = None
    constraint: bool = False
    span: Span | None = _span_field()

    @property
    def columns(self) -> tuple[str, ...]:
        """Plain column names; empty if any part is an expression."""
        if any(p.column is None for p in self.parts):
            return ()
        return tuple(p.column for p in self.parts)  # type: ignore[misc]


@attrs.frozen
class Check:
    expression: str
    name: str | None = None
    columns: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    span: Span | None = _span_field()


@attrs.frozen
class Table:
    """A table.  ``schema`` is the qualifier (``public``), ``partition_of`` /
    ``inherits`` mark PostgreSQL partitions and inheritance children."""

    name: str
    columns: tuple[Column, ...] = attrs.field(converter=tuple)
    primary_key: PrimaryKey | None = None
    foreign_keys: tuple[ForeignKey, ...] = attrs.field(default=(), converter=tuple)
    indexes: tuple[Index, ...] = attrs.field(default=(), converter=tuple)
    checks: tuple[Check, ...] = attrs.field(default=(), converter=tuple)
    comment: str | None = None
    schema: str | None = None
    without_rowid: bool = False
    strict: bool = False
    partition_of: str | None = None
    inherits: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    conventions: TableConventions | None = None
    span: Span | None = _span_field()
    # Where each column is written, in column order (a DDL source).  Kept here, not
    # on the columns, so that equal columns of different tables can be one shared
    # object (the passes and backends memoize per column object).
    column_spans: tuple[Span | None, ...] = attrs.field(
        default=(), converter=tuple, eq=False, repr=False, metadata={"json": False})
    _by_name: dict = attrs.field(init=False, eq=False, repr=False, metadata={"json": False})

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column | None:
        return self._by_name.get(name)

    def column_span(self, name: str) -> Span | None:
        """Where column ``name`` is written, if the source says."""
        for col, span in zip(self.columns, self.column_spans, strict=False):
            if col.name == name:
                return span
        col = self.column(name)
        return col.span if col is not None else None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def unique_column_sets(self) -> tuple[tuple[str, ...], ...]:
        """Column sets known unique: the primary key and every full unique index."""
        sets = [self.primary_key.columns] if self.primary_key else []
        sets += [i.columns for i in self.indexes if i.unique and i.where is None and i.columns]
        return tuple(sets)


@attrs.frozen
class Schema:
    """A whole schema.  ``source`` is the input path as the user gave it."""

    tables: tuple[Table, ...] = attrs.field(converter=tuple)
    dialect: str = "sqlite"
    source: str | None = None
    relations: tuple[Relation, ...] = attrs.field(default=(), converter=tuple)
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), converter=tuple)
    _by_name: dict = attrs.field(init=False, eq=False, repr=False, metadata={"json": False})
    _touching: dict | None = attrs.field(init=False, default=None, eq=False, repr=False,
                                         metadata={"json": False})

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.tables})

    def table(self, name: str) -> Table | None:
        return self._by_name.get(name)

    def relations_touching(self, table: str) -> tuple[Relation, ...]:
        """Relations with ``table`` on either end or as their pivot, in schema order.

        Built once per schema on first use: a backend that scanned every relation
        for every table would be quadratic on large schemas."""
        if self._touching is None:
            index: dict[str, list[Relation]] = {}
            for r in self.relations:
                names = {r.table, r.ref_table, r.pivot.table if r.pivot else None,
                         r.through.table if r.through else None}
                for name in names - {None}:
                    index.setdefault(name, []).append(r)
            object.__setattr__(self, "_touching", {k: tuple(v) for k, v in index.items()})
        return self._touching.get(table, ())

    def with_diagnostics(self, *diags: Diagnostic) -> Schema:
        return attrs.evolve(self, diagnostics=self.diagnostics + tuple(diags))

    def replace_tables(self, tables) -> Schema:
        return attrs.evolve(self, tables=tuple(tables))
