"""The ``plantuml`` target: class and ER diagrams of the schema as deterministic ``.puml`` text.

Under ``path`` (``docs/diagrams``): ``classes.puml`` (models and their
relations), ``tables.puml`` (every table, foreign keys), one focused
``models/<Model>.puml`` per model.  A view with more than
``overview_max_classes`` nodes becomes an overview of packages (one box per
package, edges counted) plus one diagram per package under
``classes/<package>.puml`` / ``tables/<package>.puml``.  Rendering to SVG/PNG
is the driver's job (``compiler/render.py``), not the backend's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from backends import OutputFile, Ownership, PerTable
from backends._jinja import make_env, render
from backends._safe import generated_header
from backends.plantuml.build import Planned, plan_shared, plan_tables
from ir.model import Schema

DEFAULTS: dict[str, Any] = {
    "path": "docs/diagrams",
    "focus_diagrams": True,
    "focus_depth": 1,
    "tables_diagram": True,
    "overview_max_classes": 150,
    "packages": {},
    "package_min_tables": 3,
}


def check(opts: Mapping[str, Any]) -> None:
    for key in ("focus_depth", "overview_max_classes", "package_min_tables"):
        if not isinstance(opts[key], int) or opts[key] < (0 if key == "focus_depth" else 1):
            raise ValueError(f"plantuml.{key} must be a positive integer")
    pk = opts["packages"]
    if not isinstance(pk, Mapping) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in pk.values()):
        raise ValueError("plantuml.packages must be a table of package name = [table names]")


class PlantumlBackend(PerTable):
    name = "plantuml"
    defaults = DEFAULTS

    def __init__(self) -> None:
        self._template = make_env(Path(__file__).parent).get_template("diagram.puml.j2")


    def emit_shared(self, schema: Schema, options: Mapping[str, Any]) -> list[OutputFile]:
        """The class and table views (overviews and package diagrams when large)."""
        opts = {**DEFAULTS, **options}
        check(opts)
        return self._files(schema, opts, plan_shared(schema, opts))

    def emit_tables(self, schema: Schema, options: Mapping[str, Any], tables: Sequence[str]
                    ) -> list[OutputFile]:
        """The focused diagram of each model among ``tables``."""
        opts = {**DEFAULTS, **options}
        check(opts)
        return self._files(schema, opts, plan_tables(schema, opts, tables))

    def _files(self, schema: Schema, opts: Mapping[str, Any], planned: list[Planned]
               ) -> list[OutputFile]:
        root = opts["path"].strip("/")
        header = generated_header(schema.source)
        return [OutputFile(f"{root}/{p.path}" if root else p.path,
                           render(self._template, d=p.diagram, header=header),
                           Ownership.REGENERATED, p.tables)
                for p in planned]


backend = PlantumlBackend()
