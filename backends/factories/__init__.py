"""The ``factories`` target: one create-once Laravel model factory per model table.

``database/factories/<Model>Factory.php`` (``Database\\Factories``), class-based
factories as Laravel 8 introduced them; the models' ``HasFactory`` finds them by
name.  ``protected $model`` is always set, so the model namespace may differ
from ``App\\Models``.  What each column gets is decided in ``view.py`` and
``faker.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from backends import OutputFile, Ownership
from backends._laravel import DEFAULT_VERSION, LaravelBackend, render
from backends.factories.view import iter_factories
from ir.model import Schema

DEFAULTS: dict[str, Any] = {
    "laravel_version": DEFAULT_VERSION,
    "models_namespace": "App\\Models",
    "factories_namespace": "Database\\Factories",
    "factories_path": "database/factories",
}


class FactoriesBackend(LaravelBackend):
    name = "factories"
    defaults = DEFAULTS
    package_dir = Path(__file__).parent


    def emit_tables(self, schema: Schema, options: Mapping[str, Any],
                    tables: Sequence[str]) -> list[OutputFile]:
        """The factories of ``tables`` (a table without a model: none)."""
        opts = self.options(options)
        template = self._env.get_template("factory.php.j2")
        return [OutputFile(f.path, render(template, f=f), Ownership.CREATE_ONCE, (f.table,),
                           exists_glob=f.path, target=self.name)
                for f in iter_factories(schema, opts, tables)]


backend = FactoriesBackend()
