"""The ordered pass list and the driver that runs it (STYLE.md rule 1).

``PASSES`` lists every built-in pass once, in order; ``build_passes(options)``
binds configuration with ``functools.partial``; ``compile_schema`` runs a list
(tests pass a prefix).  Each pass is a pure ``Schema -> Schema`` function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from compiler.options import AnalysisOptions
from ir.model import Schema

Pass = Callable[..., Schema]


def _passes() -> tuple[Pass, ...]:
    # Imported here so that importing the pipeline stays cheap for `inspect`.
    from compiler.passes.casts import infer_casts
    from compiler.passes.conventions import detect_conventions
    from compiler.passes.foreign_keys import relate_foreign_keys
    from compiler.passes.naming import name_relations
    from compiler.passes.pivots import infer_pivots
    from compiler.passes.polymorphic import infer_morphs
    from compiler.passes.through import add_through_relations
    from compiler.passes.validation import infer_validation
    return (
        detect_conventions,     # model names, framework tables, timestamps, keys, morph pairs
        relate_foreign_keys,    # declared FKs, then FKs by naming convention
        infer_pivots,           # many-to-many through pivot tables
        infer_morphs,           # morphTo / morphMany / morphToMany
        add_through_relations,  # has-many-through from config
        name_relations,         # de-collide relation stems
        infer_casts,
        infer_validation,
    )


def build_passes(options: AnalysisOptions | None = None) -> tuple[Pass, ...]:
    options = options or AnalysisOptions()
    return tuple(partial(p, options=options) for p in _passes())


def compile_schema(schema: Schema, passes: Sequence[Pass] | None = None,
                   options: AnalysisOptions | None = None) -> Schema:
    for run in passes if passes is not None else build_passes(options):
        schema = run(schema)
    return schema
