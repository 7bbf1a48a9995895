"""Logical column types: the closed set every dialect spelling is lowered onto.

A frontend maps a dialect's spelling (``tinyint(1)``, ``character varying(255)``,
``bigint unsigned``) onto one :class:`Type`; the spelling itself is kept in
``raw`` so nothing the source said is lost, and a backend that knows better can
look at it.
"""

from __future__ import annotations

import enum

import attrs


class Kind(enum.StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    FLOAT = "float"
    BOOLEAN = "boolean"
    STRING = "string"
    TEXT = "text"
    BINARY = "binary"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    JSON = "json"
    UUID = "uuid"
    ENUM = "enum"
    UNKNOWN = "unknown"


@attrs.frozen
class Type:
    """A logical type.

    - ``bits``: integer width (8, 16, 24, 32, 64) when the source says it.
    - ``length``: string/binary length; ``fixed`` for CHAR/BINARY.
    - ``precision``/``scale``: decimal(p, s); ``precision`` also holds fractional
      seconds for time types and the float width when given.
    - ``values``: enum members in declaration order; ``multiple`` for MySQL SET.
    - ``timezone``: datetime/time WITH TIME ZONE.
    """

    kind: Kind = attrs.field(converter=Kind)
    raw: str = ""
    bits: int | None = None
    unsigned: bool = False
    length: int | None = None
    fixed: bool = False
    precision: int | None = None
    scale: int | None = None
    timezone: bool = False
    values: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    multiple: bool = False

    def describe(self) -> str:
        """Short human spelling: ``string(255)``, ``decimal(8,2)``, ``enum(a,b)``."""
        k = self.kind.value
        if self.kind is Kind.INTEGER:
            s = f"integer{self.bits or ''}"
            return s + (" unsigned" if self.unsigned else "")
        if self.kind in (Kind.STRING, Kind.BINARY) and self.length:
            return f"{k}({self.length})"
        if self.kind is Kind.DECIMAL and self.precision is not None:
            return f"decimal({self.precision},{self.scale or 0})"
        if self.kind is Kind.ENUM:
            return ("set" if self.multiple else "enum") + "(" + ",".join(self.values) + ")"
        if self.kind is Kind.DATETIME and self.timezone:
            return "datetime tz"
        if self.kind is Kind.UNKNOWN:
            return f"unknown({self.raw})"
        return k
