"""``schemac init SOURCE``: write a commented starter ``schemac.toml`` (never over an existing one)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from backends import registry
from compiler.frontends import SourceError

DEFAULT_TARGETS = ["eloquent", "laravel-migrations"]

TEMPLATE = """\
# schemac configuration: `schemac compile` with no arguments runs what this file says.
# Reference: docs/workflows.md.  Unknown keys and wrong value types are errors.

source = {source}
{dialect_line}
out = {out}
# Installed targets: {installed}
targets = {targets}
# laravel_version = 13          # Laravel targets: 8 to 13
# jobs = 0                      # worker processes for big schemas; 0 = one per core

# Switch off inference rules by id (see `schemac explain SOURCE TABLE`):
# rules_off = ["fk-by-name"]
# ignore_tables = ["migrations", "jobs"]

# Options per target: [<target>] with the keys the target declares.
# [eloquent]
# namespace = "App\\\\Models"
# connection = "mysql"

# Overrides per table.
# [tables.users]
# model = "Member"              # model class name
# extends = "App\\\\Models\\\\BaseUser" # eloquent: parent class
# ignore = false                # true: no model, no relations
# casts = {{ is_admin = "boolean" }}
# relations = {{ posts = "articles" }}   # rename a relation stem

# Several schemas (e.g. central and tenant databases): one [[sources]] entry each;
# top-level keys are their defaults.
# [[sources]]
# name = "tenant"
# path = "database/tenant.sqlite"
# [sources.eloquent]
# namespace = "App\\\\Models\\\\Tenant"
# models_path = "app/Models/Tenant"
# connection = "tenant"
"""


def _toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def write_starter(path: str, source: str, targets: list[str], out: str,
                  dialect: str | None) -> None:
    target = Path(path)
    if target.exists():
        raise SourceError(f"{path}: already exists; not overwritten")
    installed = sorted(registry())
    unknown = [t for t in targets if t not in installed]
    if unknown:
        raise SourceError(f"unknown target {unknown[0]!r} (installed: {', '.join(installed)})")
    chosen = targets or [t for t in DEFAULT_TARGETS if t in installed]
    if not os.path.exists(source):
        raise SourceError(f"{source}: no such file")
    text = TEMPLATE.format(
        source=_toml_str(source), out=_toml_str(out),
        dialect_line=(f"dialect = {_toml_str(dialect)}" if dialect
                      else "# dialect = \"mysql\"            # DDL files: sqlite, mysql, postgres"),
        installed=", ".join(installed),
        targets="[" + ", ".join(_toml_str(t) for t in chosen) + "]")
    try:
        with open(target, "x", encoding="utf-8") as fh:  # "x": never clobber a racing writer
            fh.write(text)
    except FileExistsError:
        raise SourceError(f"{path}: already exists; not overwritten") from None
