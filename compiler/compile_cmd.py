"""The body of ``schemac compile``: options in, files written (or checked), exit code out.

Exit codes (DESIGN.md): 0 ok; 1 ``--check`` found drift; 2 bad input, error
diagnostics (warnings too with ``--strict``), a failed target, or a conflict
with the user's edits.  2 wins over 1.  With error diagnostics nothing is
written unless ``--keep-going``.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import click

from backends import UnknownTarget
from compiler import writer
from compiler.config import ConfigError, load_config
from compiler.driver import compile_to
from compiler.frontends import SourceError, load
from compiler.pipeline import build_passes, compile_schema
from ir.diagnostics import Severity

_VERB = {writer.Kind.CREATE: "create", writer.Kind.UPDATE: "update",
         writer.Kind.REMOVE: "remove", writer.Kind.CONFLICT: "conflict",
         writer.Kind.REJECTED: "rejected", writer.Kind.KEEP_EXISTING: "keep",
         writer.Kind.UNCHANGED: "unchanged"}


def _diff(root: Path, action: writer.Action) -> str:
    target = writer.safe_target(root, action.path)
    old = target.read_text(encoding="utf-8") if target and target.exists() else ""
    new = action.text or ""
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                        f"a/{action.path}", f"b/{action.path}"))


def _summary(actions: list[writer.Action]) -> str:
    counts: dict[str, int] = {}
    for a in actions:
        counts[_VERB[a.kind]] = counts.get(_VERB[a.kind], 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to do"


def run_compile(*, source: str, targets: list[str], out: str | None, dialect: str | None,
                cli: dict[str, Any], check: bool, show_diff: bool, dry_run: bool,
                force: bool, keep_going: bool, strict: bool, config_path: str | None) -> int:
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise SourceError(str(exc)) from None
    raw = config.raw
    targets = targets or list(raw.get("targets", []))
    if not targets:
        raise SourceError("no target given: use -t TARGET or `targets` in [tool.schemac]")
    if cli.get("laravel_version") is None and "laravel_version" in raw:
        cli = {**cli, "laravel_version": raw["laravel_version"]}
    root = Path(out or raw.get("out") or ".")
    schema = compile_schema(load(source, dialect), build_passes(config.analysis))
    try:
        result = compile_to(schema, root, targets, raw, config.path, cli, force=force)
    except (UnknownTarget, ConfigError) as exc:
        raise SourceError(str(exc.args[0] if isinstance(exc, UnknownTarget) else exc)) from None
    diags = schema.diagnostics + result.diagnostics
    for d in diags:
        click.echo(d.render(), err=True)
    bad = [d for d in diags if d.severity is Severity.ERROR
           or (strict and d.severity is Severity.WARNING)]
    actions = result.actions
    for a in actions:
        if a.kind in (writer.Kind.CONFLICT, writer.Kind.REJECTED):
            click.echo(f"schemac: {a.path}: {a.reason}", err=True)
    failed = bool(bad) or any(a.kind in (writer.Kind.CONFLICT, writer.Kind.REJECTED)
                              for a in actions)
    if check or dry_run:
        shown = writer.drift(actions) if check else [
            a for a in actions if a.kind not in (writer.Kind.UNCHANGED,
                                                 writer.Kind.KEEP_EXISTING)]
        for a in shown:
            click.echo(f"{_VERB[a.kind]:9} {a.path}" + (f"  ({a.reason})" if a.reason else ""))
            if show_diff and a.text is not None:
                click.echo(_diff(root, a), nl=False)
        if failed:
            return 2
        return 1 if check and shown else 0
    if bad and not keep_going:
        click.echo(f"schemac: {len(bad)} error(s); nothing written (use --keep-going to "
                   "write what is sound)", err=True)
        return 2
    writer.apply(actions, root)
    click.echo(f"schemac: {_summary(actions)} in {root}")
    return 2 if failed else 0
