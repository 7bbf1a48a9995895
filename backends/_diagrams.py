"""What the plantuml and docs targets share: the file name of each model's focused diagram."""

from __future__ import annotations

from backends._laravel import model_classes
from backends._safe import path_segment
from ir.model import Schema


def model_names(schema: Schema) -> dict[str, str]:
    """Table -> model name shown in diagrams and docs (the Laravel class name: valid,
    unique, the same in every target), in source order."""
    return model_classes(schema)


def model_files(schema: Schema) -> dict[str, str]:
    """Table -> file stem of its focused diagram / docs page (``models/<stem>.puml``)."""
    return {table: path_segment(name) for table, name in model_names(schema).items()}
