"""Eloquent's naming conventions: model <-> table, foreign key, pivot table, framework tables.

Each helper is what Eloquent computes when a model declares nothing (Laravel 8.83):
  Model::getTable()       Str::snake(Str::pluralStudly(class_basename($model)))
  Model::getForeignKey()  Str::snake(class_basename($model)).'_'.$this->getKeyName()
  joiningTable()          strtolower(implode('_', sort([snake(A), snake(B)])))
and `php artisan make:model`'s inverse, Str::studly(Str::singular($table)).
"""

from __future__ import annotations

import functools

from ir.naming import php
from ir.naming.strings import plural_studly, singular, snake, studly

# Tables that Laravel itself (or its first-party packages) creates; no app model maps to them.
FRAMEWORK_TABLES: frozenset[str] = frozenset(
    {
        "migrations",
        "password_resets",  # Laravel <= 9
        "password_reset_tokens",  # Laravel 10+
        "failed_jobs",
        "jobs",
        "job_batches",
        "cache",
        "cache_locks",
        "sessions",
        "personal_access_tokens",  # Sanctum
    }
)
# Laravel Telescope: telescope_entries, telescope_entries_tags, telescope_monitoring.
FRAMEWORK_TABLE_PREFIXES: tuple[str, ...] = ("telescope_",)


def is_framework_table(name: str) -> bool:
    """Whether `name` is one of Laravel's own tables (exact, case-sensitive: Laravel writes them
    in lower case, and an app's `Sessions` table in a CamelCase schema is its own)."""
    return name in FRAMEWORK_TABLES or name.startswith(FRAMEWORK_TABLE_PREFIXES)


def class_basename(name: str) -> str:
    """Laravel's class_basename(): the last segment of a namespaced class name."""
    trimmed = name.replace("\\", "/").rstrip("/")
    return trimmed.rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=1 << 16)
def model_name(table: str) -> str:
    """The model class for a table: `users` -> `User`, `order_items` -> `OrderItem`."""
    return studly(singular(table))


@functools.lru_cache(maxsize=1 << 16)
def table_name(model: str) -> str:
    """The table Eloquent assumes for a model: `User` -> `users`, `InvoiceLine` -> `invoice_lines`."""
    return snake(plural_studly(class_basename(model)))


def foreign_key(model: str, key: str = "id") -> str:
    """The foreign key column Eloquent assumes for a model: `BlogPost` -> `blog_post_id`."""
    return snake(class_basename(model)) + "_" + key


@functools.lru_cache(maxsize=1 << 16)
def pivot_name(model_a: str, model_b: str) -> str:
    """The belongsToMany joining table for two models: (`User`, `Role`) -> `role_user`."""
    a, b = snake(class_basename(model_a)), snake(class_basename(model_b))
    if php.compare_regular(a, b) > 0:
        a, b = b, a
    return php.strtolower(a + "_" + b)
