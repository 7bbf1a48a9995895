"""The ordered pass list and the driver that runs it (STYLE.md rule 1).

``PASSES`` lists every built-in pass once, in order; ``build_passes(options)``
binds configuration with ``functools.partial``; ``compile_schema`` runs a list
(tests pass a prefix).  Each pass is a pure ``Schema -> Schema`` function.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from functools import lru_cache, partial

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


class _Bound(partial):
    """A pass bound to its options (``.func`` is the pass) that runs with the cyclic
    garbage collector paused.  Passes build many small frozen objects and no cycles:
    reference counting frees them, while the collector would rescan the whole
    10,000-table IR again and again (a quarter of the passes' time)."""

    def __call__(self, /, *args, **kwargs):
        was_on = gc.isenabled()
        gc.disable()
        try:
            return super().__call__(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()


class PluginError(Exception):
    """A plugin pass that cannot be placed (one line naming the entry point)."""


@lru_cache(maxsize=1)
def plugin_passes() -> tuple[tuple[str, str, Pass], ...]:
    """``(entry point name, built-in pass it runs after, pass)`` for the ``schemac.passes``
    entry points.  A plugin pass is ``fn(schema, options) -> Schema`` with an ``after``
    attribute naming a built-in pass function (``"relate_foreign_keys"``)."""
    from importlib.metadata import entry_points
    found = []
    for ep in sorted(entry_points(group="schemac.passes"), key=lambda e: e.name):
        fn = ep.load()
        found.append((ep.name, getattr(fn, "after", None), fn))
    return tuple(found)


def build_passes(options: AnalysisOptions | None = None,
                 plugins: bool = True) -> tuple[Pass, ...]:
    """Built-in passes in order, each plugin pass right after the one it names
    (plugins after the same pass: in entry-point name order)."""
    options = options or AnalysisOptions()
    builtins = _passes()
    extra = plugin_passes() if plugins else ()
    names = {p.__name__ for p in builtins}
    for ep_name, after, _ in extra:
        if after not in names:
            raise PluginError(f"plugin pass {ep_name!r}: `after` must name a built-in pass "
                              f"({', '.join(p.__name__ for p in builtins)}), got {after!r}")
    ordered: list[Pass] = []
    for p in builtins:
        ordered.append(p)
        ordered += [fn for _, after, fn in extra if after == p.__name__]
    return tuple(_Bound(p, options=options) for p in ordered)


def compile_schema(schema: Schema, passes: Sequence[Pass] | None = None,
                   options: AnalysisOptions | None = None) -> Schema:
    for run in passes if passes is not None else build_passes(options):
        schema = run(schema)
    return schema
