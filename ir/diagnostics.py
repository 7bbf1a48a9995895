"""Diagnostics: what went wrong (or was skipped) and where, with stable codes.

Bad user input becomes a :class:`Diagnostic`, never an exception (STYLE.md rule 7).
Frontends and passes build them through the named constructors below so that
codes stay stable and messages consistent.  A location is either a source span
(``file:line:col`` for DDL) or a schema location (``table.column``).
"""

from __future__ import annotations

import enum

import attrs


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen
class Span:
    """A place in a source file; ``file`` is the path as the user gave it."""

    file: str | None = None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@attrs.frozen
class Diagnostic:
    code: str
    severity: Severity = attrs.field(converter=Severity)
    message: str
    span: Span | None = None
    table: str | None = None
    column: str | None = None

    @property
    def where(self) -> str:
        """``file:line:col``, ``table.column`` or ``table``; empty when unknown."""
        if self.span is not None:
            return str(self.span)
        if self.table is not None:
            return self.table + (f".{self.column}" if self.column else "")
        return ""

    def render(self) -> str:
        """One line: ``where: severity[code]: message``."""
        head = f"{self.where}: " if self.where else ""
        return f"{head}{self.severity.value}[{self.code}]: {self.message}"


def _mk(code: str, severity: Severity):
    def build(message: str, span: Span | None = None, table: str | None = None,
              column: str | None = None) -> Diagnostic:
        return Diagnostic(code, severity, message, span, table, column)

    build.__name__ = code.replace("-", "_")
    return build


# Stable codes.  Add new ones here; never rename one (users filter on them).
skipped_statement = _mk("skipped-statement", Severity.WARNING)   # DDL we do not model
not_understood = _mk("not-understood", Severity.WARNING)          # sqlglot gave an opaque Command
parse_error = _mk("parse-error", Severity.ERROR)                  # a needed statement failed to parse
unknown_type = _mk("unknown-type", Severity.INFO)                 # kept as Kind.UNKNOWN
skipped_object = _mk("skipped-object", Severity.INFO)             # views, sqlite_* tables
missing_table = _mk("missing-table", Severity.ERROR)              # FK / ALTER names an unknown table
missing_column = _mk("missing-column", Severity.ERROR)            # key names an unknown column
duplicate_name = _mk("duplicate-name", Severity.ERROR)
unsupported = _mk("unsupported", Severity.WARNING)                # understood but not representable
inference = _mk("inference", Severity.INFO)                       # a pass explains a decision
config_error = _mk("config-error", Severity.ERROR)
