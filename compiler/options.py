"""Options the passes read, already validated: plain frozen data, no I/O.

``compiler.config`` builds an :class:`AnalysisOptions` from ``[tool.schemac]``;
tests build one directly.  Every field has a safe default so that
``AnalysisOptions()`` is the behaviour of a run with no configuration.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class ThroughSpec:
    """A has-many-through / has-one-through relation the user declares."""

    table: str          # the model's table (``countries``)
    name: str           # relation stem (``posts``)
    through: str        # intermediate table (``users``)
    related: str        # final table (``posts``)
    first_key: str | None = None    # on ``through``, pointing at ``table``
    second_key: str | None = None   # on ``related``, pointing at ``through``
    one: bool = False   # hasOneThrough


@attrs.frozen
class AnalysisOptions:
    # rule ids switched off, e.g. {"fk-by-name", "morph", "pivot"}
    rules_off: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset)
    ignore_tables: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset)
    # table -> model name (overrides Str::studly(Str::singular(table)))
    model_names: dict[str, str] = attrs.field(factory=dict)
    # "table.relation_stem" or "table.column" (belongsTo by its FK column) -> new stem
    relation_names: dict[str, str] = attrs.field(factory=dict)
    # morph type value -> table name  ("App\\Models\\Post" -> "posts", "post" -> "posts")
    morph_map: dict[str, str] = attrs.field(factory=dict)
    # "table.column" -> cast kind spelling ("boolean", "decimal:2", "json", ...)
    casts: dict[str, str] = attrs.field(factory=dict)
    # "table.morph" -> tables whose rows appear in <morph>_type (inverse morph relations)
    morph_targets: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    through: tuple[ThroughSpec, ...] = attrs.field(default=(), converter=tuple)
    # give framework tables (migrations, jobs, ...) models anyway
    framework_models: bool = False
    # model namespace used to read morph type values such as App\Models\Post
    model_namespace: str = "App\\Models"
