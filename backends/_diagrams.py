"""What the plantuml and docs targets share: model names, page/diagram file stems, a per-schema memo."""

from __future__ import annotations

from backends._laravel import model_classes
from backends._memo import per_schema
from backends._safe import path_segment
from ir.model import Schema

__all__ = ["model_files", "model_names", "per_schema"]


@per_schema
def model_names(schema: Schema) -> dict[str, str]:
    """Table -> model name shown in diagrams and docs (the Laravel class name: valid,
    unique, the same in every target), in source order.  Read-only (memoized)."""
    return model_classes(schema)


@per_schema
def model_files(schema: Schema) -> dict[str, str]:
    """Table -> file stem of its focused diagram / docs page (``models/<stem>.puml``).
    Read-only (memoized)."""
    return {table: path_segment(name) for table, name in model_names(schema).items()}
