"""``schemac compile``: load, analyze, emit every target, then plan and write.

Target options are layered: the backend's ``defaults``, then the config's
``[tool.schemac.<target>]`` table, then CLI flags that apply to every target
which declares that option (``--laravel-version``).  An option a backend does
not declare, or a value of another type than its default, is an error naming
the key and the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from backends import Backend, OutputFile, get_backend
from compiler import writer
from compiler.config import ConfigError
from ir.diagnostics import Diagnostic, Severity
from ir.model import Schema


@attrs.frozen
class Result:
    actions: list[writer.Action]
    diagnostics: tuple[Diagnostic, ...]


def target_options(backend: Backend, config_section: Mapping[str, Any], where: str,
                   cli: Mapping[str, Any]) -> dict[str, Any]:
    opts = dict(backend.defaults)
    for key, value in config_section.items():
        if key not in opts:
            raise ConfigError(f"{where}: unknown option {key!r} for target {backend.name!r} "
                              f"(known: {', '.join(sorted(opts))})")
        default = opts[key]
        if default is not None and not _same_type(default, value):
            raise ConfigError(f"{where}: {backend.name}.{key} must be "
                              f"{type(default).__name__}, got {type(value).__name__}")
        opts[key] = value
    for key, value in cli.items():
        if value is not None and key in opts:
            opts[key] = value
    return opts


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)) and isinstance(value, (int, float)):
        return True
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def emit_all(schema: Schema, targets: list[str], config_raw: Mapping[str, Any],
             config_path: str | None, cli: Mapping[str, Any]
             ) -> tuple[list[OutputFile], dict, list[Diagnostic]]:
    """Run every backend; a backend that fails is reported, the others still run."""
    files: list[OutputFile] = []
    merges: dict = {}
    diags: list[Diagnostic] = []
    for name in targets:
        backend = get_backend(name)
        section = config_raw.get(name, {})
        opts = target_options(backend, section, config_path or "command line", cli)
        try:
            out = backend.emit(schema, opts)
        except Exception as exc:  # a backend bug must not lose the other targets' output
            diags.append(Diagnostic("backend-failed", Severity.ERROR,
                                    f"target {name} failed: {type(exc).__name__}: {exc}"))
            continue
        files += [attrs.evolve(f, target=name) for f in out]
        diags += list(getattr(backend, "last_diagnostics", ()) or ())
        if hasattr(backend, "merge"):
            merges[name] = backend.merge
    return files, merges, diags


def compile_to(schema: Schema, out: Path, targets: list[str], config_raw: Mapping[str, Any],
               config_path: str | None, cli: Mapping[str, Any], force: bool = False) -> Result:
    files, merges, diags = emit_all(schema, targets, config_raw, config_path, cli)
    dup = _duplicates(files)
    if dup:
        diags.append(Diagnostic("duplicate-output", Severity.ERROR,
                                f"two outputs write {dup}: check the targets' paths"))
        files = [f for f in files if f.path != dup]
    actions = writer.plan(files, out, force=force, merges=merges, owned_targets=targets)
    return Result(actions, tuple(diags))


def _duplicates(files: list[OutputFile]) -> str | None:
    seen: set[str] = set()
    for f in files:
        if f.path in seen:
            return f.path
        seen.add(f.path)
    return None
