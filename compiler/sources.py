"""What to compile: one :class:`SourceRun` per schema, from ``[[sources]]`` or the single-source keys.

Config shape (``schemac.toml``; the same under ``[tool.schemac]`` in pyproject.toml)::

    targets = ["eloquent", "laravel-migrations"]     # defaults for every source
    laravel_version = 11

    [tables.users]                                   # per-table overrides, every source
    model = "Member"

    [[sources]]
    name = "central"
    path = "database/central.sqlite"
    out = "."
    [sources.eloquent]                               # options of this source's targets
    connection = "central"

    [[sources]]
    name = "tenant"
    path = "database/tenant.sql"
    dialect = "mysql"
    [sources.eloquent]
    namespace = "App\\Models\\Tenant"
    models_path = "app/Models/Tenant"
    connection = "tenant"
    [sources.tables.audits]
    ignore = true

A source takes every top-level key as its default; a table-valued key (a target's
options, ``models``, ``tables``, ...) is merged key by key.  Paths are relative
to the config file's directory.  ``[tables.<name>]`` keys map onto existing
options: ``model`` -> ``models``, ``ignore`` -> ``ignore_tables``, ``casts``
(column = cast) -> ``casts``, ``relations`` (stem = new stem) ->
``relation_names``, ``extends`` (a class) -> ``eloquent.extends``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs

from compiler.config import Config, ConfigError, analysis_config, check_keys


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _str_map(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(x, str) for x in v.values())


TABLE_KEYS: dict[str, tuple] = {
    "model": (_is_str, "a model class name"),
    "ignore": (lambda v: isinstance(v, bool), "true or false"),
    "extends": (_is_str, "a class name (eloquent)"),
    "casts": (_str_map, "a table of column = cast kind"),
    "relations": (_str_map, "a table of relation stem = new stem"),
}
SOURCE_ONLY: dict[str, tuple] = {
    "name": (_is_str, "a name"),
    "path": (_is_str, "the schema's path"),
}


@attrs.frozen
class SourceRun:
    """One schema to compile and where its output goes."""

    name: str            # "" for the single-source form
    source: str
    dialect: str | None
    out: str
    targets: tuple[str, ...]
    config: Config       # the merged section (raw) and its analysis options


def _check_tables(tables: dict, path: str, prefix: str) -> None:
    for name, over in tables.items():
        check_keys(over, path, TABLE_KEYS, where=f"[{prefix}tables.{name}]",
                   prefix=f"{prefix}tables.{name}.")


def check_sources(section: dict, path: str, known: dict) -> None:
    """Validate ``[tables.*]`` and every ``[[sources]]`` entry (``known``: top-level keys)."""
    _check_tables(section.get("tables", {}), path, "")
    per_source = {**{k: v for k, v in known.items() if k != "source"}, **SOURCE_ONLY}
    names: set[str] = set()
    for i, src in enumerate(section.get("sources", [])):
        where = f"sources[{i}]"
        check_keys(src, path, per_source, where=f"[[sources]] ({where})", prefix=f"{where}.")
        if "path" not in src:
            raise ConfigError(f"{path}: {where}: missing key 'path'")
        name = src.get("name", Path(src["path"]).stem)
        if name in names:
            raise ConfigError(f"{path}: {where}: two sources named {name!r} (set `name`)")
        names.add(name)
        _check_tables(src.get("tables", {}), path, f"{where}.")


def fold_tables(section: dict, path: str) -> dict:
    """``[tables.<name>]`` rewritten onto the options the passes and backends read."""
    tables = section.get("tables") or {}
    if not tables:
        return section
    out = dict(section)
    models = dict(out.get("models", {}))
    ignore = list(out.get("ignore_tables", []))
    casts = dict(out.get("casts", {}))
    relation_names = dict(out.get("relation_names", {}))
    extends: dict[str, str] = {}
    for name, over in sorted(tables.items()):
        if "model" in over:
            models[name] = over["model"]
        if over.get("ignore") and name not in ignore:
            ignore.append(name)
        casts.update({f"{name}.{c}": k for c, k in over.get("casts", {}).items()})
        relation_names.update({f"{name}.{s}": n for s, n in over.get("relations", {}).items()})
        if "extends" in over:
            extends[name] = over["extends"]
    out.update(models=models, ignore_tables=ignore, casts=casts, relation_names=relation_names)
    if extends:
        eloquent = dict(out.get("eloquent", {}))
        eloquent["extends"] = {**eloquent.get("extends", {}), **extends}
        out["eloquent"] = eloquent
    return out


def _merge(top: dict, src: dict) -> dict:
    merged = {k: v for k, v in top.items() if k not in ("sources", "source")}
    for key, value in src.items():
        if key in SOURCE_ONLY:
            continue
        base = merged.get(key)
        if key == "tables" and isinstance(base, dict):
            merged[key] = {t: {**base.get(t, {}), **value.get(t, {})}
                           for t in sorted({*base, *value})}
        elif isinstance(value, dict) and isinstance(base, dict):
            merged[key] = {**base, **value}
        else:
            merged[key] = value
    merged["source"] = src["path"]
    return merged


def _relative(config_path: str | None, p: str) -> str:
    """A config path as seen from the current directory, kept relative (stable output)."""
    if config_path is None or os.path.isabs(p):
        return p
    base = Path(config_path).parent
    if base.resolve() == Path.cwd().resolve():
        return p
    return os.path.relpath(base / p)


def plan_runs(config: Config, *, source: str | None = None, targets: tuple[str, ...] = (),
              out: str | None = None, dialect: str | None = None) -> list[SourceRun]:
    """The runs a ``schemac compile`` performs; CLI arguments override the config."""
    raw, where = config.raw, config.path
    if source is not None or "sources" not in raw:
        src = source or (_relative(where, raw["source"]) if "source" in raw else None)
        if src is None:
            raise ConfigError("no SOURCE given, and no `source` or [[sources]] in "
                              + (where or "a config file (run `schemac init SOURCE`)"))
        return [_run("", src, raw, config, targets, out, dialect)]
    if out is not None and len(raw["sources"]) > 1:
        raise ConfigError(f"{where}: --out needs one source; set `out` per [[sources]] entry")
    runs = []
    for src in raw["sources"]:
        merged = _merge(raw, src)
        cfg = analysis_config(merged, where or "")
        cfg = attrs.evolve(cfg, digest=config.digest)
        name = src.get("name", Path(src["path"]).stem)
        runs.append(_run(name, _relative(where, src["path"]), merged, cfg, targets, out,
                         dialect))
    return runs


def _run(name: str, source: str, raw: dict, config: Config, targets: tuple[str, ...],
         out: str | None, dialect: str | None) -> SourceRun:
    chosen = tuple(targets) or tuple(raw.get("targets", ()))
    if not chosen:
        raise ConfigError("no target given: use -t TARGET or `targets` in "
                          + (config.path or "[tool.schemac]"))
    root = out or (_relative(config.path, raw["out"]) if "out" in raw else ".")
    return SourceRun(name, source, dialect or raw.get("dialect"), root, chosen, config)
