"""The ``laravel-migrations`` target: one create-once migration per table, in FK order.

Options (all in :attr:`Backend.defaults`): ``laravel_version`` (8..13: class
form, available Blueprint methods), ``base_date`` (the stable timestamp prefix
of every file name), ``framework_tables`` (also migrate Laravel's own tables
such as ``jobs``; ``migrations`` never is) and ``directory``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from backends import OutputFile, Ownership, PerTable
from backends._jinja import make_env
from backends._laravel import DEFAULT_VERSION, check_version, render
from backends.laravel_migrations.blueprint import FEATURES
from backends.laravel_migrations.view import iter_migrations
from ir.model import Schema


class LaravelMigrations(PerTable):
    name = "laravel-migrations"
    defaults: Mapping[str, Any] = {
        "laravel_version": DEFAULT_VERSION,
        "base_date": "2024_01_01",
        "framework_tables": False,
        "directory": "database/migrations",
    }

    def __init__(self) -> None:
        self._env = make_env(Path(__file__).parent)
        self._env.auto_reload = False   # templates do not change during a run


    def emit_shared(self, schema: Schema, options: Mapping[str, Any]) -> list[OutputFile]:
        """No whole-schema file: each migration belongs to one table (its number comes
        from the whole schema's creation order, computed once per schema)."""
        check_version({**self.defaults, **options}["laravel_version"])
        return []

    def emit_tables(self, schema: Schema, options: Mapping[str, Any],
                    tables: Sequence[str]) -> list[OutputFile]:
        opts = {**self.defaults, **options}
        feats = FEATURES[check_version(opts["laravel_version"])]
        template = self._env.get_template("migration.php.j2")
        return [OutputFile(path=m.path, ownership=Ownership.CREATE_ONCE, tables=m.tables,
                           exists_glob=m.exists_glob, target=self.name,
                           text=render(template, m=m, anonymous=feats["anonymous"],
                                           void=feats["void"]))
                for m in iter_migrations(schema, opts, tables)]


backend = LaravelMigrations()
