"""schemac's intermediate representation: frozen data, logical types, stable JSON.

``ir`` imports nothing from ``compiler`` or ``backends`` (DESIGN.md).
"""

from ir.diagnostics import Diagnostic, Severity, Span
from ir.model import (Action, Check, Column, Default, DefaultKind, ForeignKey, Generated,
                      Index, IndexPart, PrimaryKey, Schema, Table)
from ir.relations import Morph, Pivot, Relation, RelationKind, Through
from ir.rules import (Cast, CastKind, Constraint, ConstraintKind, Origin, Provenance,
                      TableConventions)
from ir.types import Kind, Type

__all__ = [
    "Action", "Cast", "CastKind", "Check", "Column", "Constraint", "ConstraintKind",
    "Default", "DefaultKind", "Diagnostic", "ForeignKey", "Generated", "Index", "IndexPart",
    "Kind", "Morph", "Origin", "Pivot", "PrimaryKey", "Provenance", "Relation",
    "RelationKind", "Schema", "Severity", "Span", "Table", "TableConventions", "Through",
    "Type",
]
