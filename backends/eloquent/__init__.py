"""The ``eloquent`` target: Laravel Eloquent models, PHP backed enums, user subclasses.

With ``base_classes`` (the default), each model table gets a regenerated
abstract ``app/Models/Base/<Model>.php`` and a create-once
``app/Models/<Model>.php`` that extends it; without, one regenerated model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from backends import OutputFile, Ownership
from backends._laravel import DEFAULT_VERSION, LaravelBackend, render
from backends.eloquent.view import enums_of, iter_models
from ir.model import Schema

DEFAULTS: dict[str, Any] = {
    "laravel_version": DEFAULT_VERSION,
    "base_classes": True,
    "namespace": "App\\Models",
    "base_namespace": "App\\Models\\Base",
    "models_path": "app/Models",
    "enums": True,
    "enums_namespace": "App\\Enums",
    "enums_path": "app/Enums",
    "immutable_dates": False,
    "json_cast": "array",
    "mass_assignment": "fillable",
    "factories": True,
    "connection": "",
    "extends": {},
    "user_model_table": "users",
}
_CHOICES = {"json_cast": ("array", "json", "object", "collection"),
            "mass_assignment": ("fillable", "guarded")}


class EloquentBackend(LaravelBackend):
    name = "eloquent"
    defaults = DEFAULTS
    package_dir = Path(__file__).parent


    def emit_shared(self, schema: Schema, options: Mapping[str, Any]) -> list[OutputFile]:
        """No whole-schema file: every model and enum belongs to one table."""
        self._checked(options)
        return []

    def emit_tables(self, schema: Schema, options: Mapping[str, Any],
                    tables: Sequence[str]) -> list[OutputFile]:
        """Models, user subclasses and enums of ``tables`` (a table without a model: none)."""
        opts = self._checked(options)
        out = []
        model_t, user_t = self._env.get_template("model.php.j2"), self._env.get_template("user.php.j2")
        for m in iter_models(schema, opts, tables):
            out.append(OutputFile(m.path, render(model_t, m=m), Ownership.REGENERATED, (m.table,)))
            if m.user_path:
                note = (f"{m.user_path} exists and is yours; to use the generated base class, "
                        f"make it `extends \\{m.base_fqcn}` (it keeps your code)")
                out.append(OutputFile(m.user_path, render(user_t, m=m), Ownership.CREATE_ONCE,
                                      (m.table,), exists_glob=m.user_path, kept_note=note,
                                      kept_marker=m.base_fqcn))
        enum_t = self._env.get_template("enum.php.j2")
        out += [OutputFile(e.path, render(enum_t, e=e), Ownership.REGENERATED, (e.table,))
                for e in enums_of(schema, opts, tables)]
        return out

    def _checked(self, options: Mapping[str, Any]) -> dict[str, Any]:
        opts = self.options(options)
        for key, allowed in _CHOICES.items():
            if opts[key] not in allowed:
                raise ValueError(f"eloquent.{key} must be one of {', '.join(allowed)}")
        return opts


backend = EloquentBackend()
