"""The body of ``schemac compile``: config in, each source compiled, files written (or checked).

Exit codes (DESIGN.md): 0 ok; 1 ``--check`` found drift; 2 bad input, error
diagnostics (warnings too with ``--strict``), a failed table or target, or a
conflict with the user's edits.  2 wins over 1.  With error diagnostics
nothing is written unless ``--keep-going``.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import time
from pathlib import Path
from typing import Any

import attrs
import click

from backends import UnknownTarget
from compiler import cache, events, writer
from compiler.config import ConfigError, load_config
from compiler.driver import Outcome, generate
from compiler.frontends import SourceError
from compiler.parallel import default_jobs
from compiler.pipeline import PluginError
from compiler.progress import NORMAL, VERBOSE, Reporter
from compiler.sources import SourceRun, plan_runs
from ir.diagnostics import Severity

K = writer.Kind
# Summary words: what was written, left alone, removed, skipped.
_GROUP = {K.CREATE: "written", K.UPDATE: "written", K.UNCHANGED: "unchanged",
          K.REMOVE: "removed", K.KEEP_EXISTING: "kept (create-once)",
          K.CONFLICT: "skipped (edited by you)", K.REJECTED: "rejected (unsafe path)"}


@attrs.frozen
class Flags:
    check: bool = False
    show_diff: bool = False
    dry_run: bool = False
    force: bool = False
    keep_going: bool = False
    strict: bool = False
    jobs: int | None = None
    use_cache: bool = True
    level: int = NORMAL
    timings: bool = False
    events_path: str | None = None
    render: str | None = None            # svg | png: render the .puml files written
    plantuml_server: str | None = None


def _diff(root: Path, action: writer.Action) -> str:
    target = writer.safe_target(root, action.path)
    old = target.read_text(encoding="utf-8") if target and target.exists() else ""
    new = action.text if action.kind is not K.REMOVE else ""
    return "".join(difflib.unified_diff(old.splitlines(True), (new or "").splitlines(True),
                                        f"a/{action.path}", f"b/{action.path}"))


def summary(outcome: Outcome) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in outcome.actions:
        counts[_GROUP[a.kind]] = counts.get(_GROUP[a.kind], 0) + 1
    if outcome.keep:
        counts["unchanged"] = counts.get("unchanged", 0) + len(outcome.keep)
    if outcome.failures:
        counts["tables failed"] = sum(1 for f in outcome.failures if f.table is not None)
    return counts


def _summary_text(counts: dict[str, int]) -> str:
    order = list(dict.fromkeys(_GROUP.values())) + ["tables failed"]
    return ", ".join(f"{counts[k]} {k}" for k in order if counts.get(k)) or "nothing to do"


def run_compile(*, source: str | None, targets: list[str], out: str | None,
                dialect: str | None, cli: dict[str, Any], flags: Flags,
                config_path: str | None) -> int:
    try:
        config = load_config(config_path)
        runs = plan_runs(config, source=source, targets=tuple(targets), out=out,
                         dialect=dialect)
    except ConfigError as exc:
        raise SourceError(str(exc)) from None
    jobs = flags.jobs or config.raw.get("jobs") or default_jobs()
    reporter = Reporter(flags.level, timings=flags.timings)
    with contextlib.ExitStack() as stack:
        hooks = _hooks(flags, stack)
        code = 0
        for run in runs:
            code = max(code, _one(run, cli, flags, jobs, hooks, reporter))
    return code


def _hooks(flags: Flags, stack: contextlib.ExitStack) -> Any:
    try:
        pm = events.manager()
    except Exception as exc:
        raise SourceError(f"cannot load a schemac.hooks plugin: {type(exc).__name__}: "
                          f"{exc}") from None
    if flags.events_path:
        stream = stack.enter_context(open(flags.events_path, "w", encoding="utf-8"))
        pm.register(events.JsonLines(stream), "events-file")
    return pm.hook


def _one(run: SourceRun, cli: dict[str, Any], flags: Flags, jobs: int, hooks: Any,
         reporter: Reporter) -> int:
    # The cyclic collector stays off for the run (a DDL load turns it on for itself:
    # sqlglot's trees are cycles).  What the run builds lives until its end and holds
    # next to no cycles, yet each automatic collection rescanned it: whenever a phase
    # that had paused the collector ended, the young generation held the whole IR
    # just built (0.3 s of a 10,000-table run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compile_one(run, cli, flags, jobs, hooks, reporter)
    finally:
        gc.unfreeze()  # generate() froze the analyzed schema for the run
        if collecting:
            gc.enable()


def _compile_one(run: SourceRun, cli: dict[str, Any], flags: Flags, jobs: int, hooks: Any,
                 reporter: Reporter) -> int:
    started = time.perf_counter()
    root = Path(run.out)
    label = f"{run.name}: " if run.name else ""
    try:
        outcome = generate(run, cli, jobs=jobs, force=flags.force,
                           use_cache=flags.use_cache and not flags.force, hooks=hooks,
                           reporter=reporter, salt="strict" if flags.strict else "",
                           stage=not (flags.check or flags.dry_run),
                           commit_new=not flags.strict)
    except (UnknownTarget, ConfigError, PluginError) as exc:
        raise SourceError(str(exc.args[0] if isinstance(exc, UnknownTarget) else exc)) from None
    if outcome.fresh:
        reporter.info(f"schemac: {label}up to date ({run.source} and config unchanged) "
                      f"in {run.out} [{time.perf_counter() - started:.2f}s]")
        code = _render(root, flags, reporter) if flags.render else 0
        hooks.schemac_run_finished(source=run.source, summary={"fresh": 1}, exit_code=code)
        return code
    try:
        code = _report(outcome, run, flags, reporter)
        blocked = code == 2 and not (flags.check or flags.dry_run) and _blocked(outcome, flags)
    except BaseException:
        writer.discard([*outcome.actions, *outcome.dropped], outcome.committed)
        raise
    if blocked:
        writer.discard([*outcome.actions, *outcome.dropped], outcome.committed)
        reporter.problem(f"schemac: {label}errors; nothing written (use --keep-going to "
                         "write what is sound)")
    elif flags.check or flags.dry_run:
        code = max(code, _show(outcome, root, flags, reporter))
    else:
        with reporter.phase("write", len(outcome.actions)) as advance:
            stamps = writer.apply(outcome.actions, root, source=run.name,
                                  on_file=(lambda _a: advance()) if reporter.bars else None,
                                  manifest=outcome.manifest,
                                  committed=outcome.committed)
        _save_cache(root, run, outcome, stamps, clean=code == 0)
        if flags.render:
            code = max(code, _render(root, flags, reporter))
    _kept_notes(outcome, root, reporter)
    _per_file(outcome, hooks, reporter)
    counts = summary(outcome)
    hooks.schemac_run_finished(source=run.source, summary=counts, exit_code=code)
    if not (flags.check or flags.dry_run):
        extra = (f", {outcome.emitted_tables} table(s) re-emitted"
                 if outcome.emitted_tables is not None else "")
        reporter.info(f"schemac: {label}{_summary_text(counts)} in {run.out}{extra} "
                      f"[{time.perf_counter() - started:.2f}s]")
    return code


def _per_file(outcome: Outcome, hooks: Any, reporter: Reporter) -> None:
    """Each file to the ``file_generated`` listeners and, with ``--verbose``, a line
    per file written or removed (77,000 empty calls or unprinted lines cost)."""
    listened = bool(hooks.schemac_file_generated.get_hookimpls())
    verbose = reporter.level >= VERBOSE
    if not (listened or verbose):
        return
    for a in outcome.actions:
        if listened:
            hooks.schemac_file_generated(path=a.path, target=a.file.target if a.file else "",
                                         action=a.kind.value)
        if verbose and a.kind not in (K.UNCHANGED, K.KEEP_EXISTING):
            reporter.detail(f"{a.kind.value:9} {a.path}" + (f"  ({a.reason})" if a.reason else ""))


def _kept_notes(outcome: Outcome, root: Path, reporter: Reporter) -> None:
    """A create-once file the user already had that does not use schemac's output
    (an existing app/Models/User.php): say how to hook it up."""
    for a in outcome.actions:
        f = a.file
        if a.kind is not K.KEEP_EXISTING or f is None or not f.kept_note:
            continue
        try:
            text = (root / a.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if f.kept_marker and f.kept_marker not in text:
            reporter.info(f"schemac: note: {f.kept_note}")


def _render(root: Path, flags: Flags, reporter: Reporter) -> int:
    """Render every diagram schemac owns in ``root`` (written now or before); a
    failure names the diagram and PlantUML's message, and the .puml stays."""
    from compiler.render import render_diagrams
    pumls = sorted(root / p for p in writer.read_manifest(root)
                   if p.endswith(".puml") and (root / p).is_file())
    if not pumls:
        return 0
    problems = render_diagrams(pumls, flags.render, server=flags.plantuml_server)
    for d in problems:
        reporter.problem(d.render())
    if not problems:
        reporter.info(f"schemac: rendered {len(pumls)} diagram(s) to {flags.render}")
    return 2 if problems else 0


def _blocked(outcome: Outcome, flags: Flags) -> bool:
    """Error diagnostics from the schema itself stop the writes (not a failed table)."""
    errors = [d for d in outcome.diagnostics if d.severity is Severity.ERROR
              or (flags.strict and d.severity is Severity.WARNING)]
    failed = {"table-failed", "backend-failed"}
    return not flags.keep_going and any(d.code not in failed for d in errors)


def _report(outcome: Outcome, run: SourceRun, flags: Flags, reporter: Reporter) -> int:
    for d in outcome.diagnostics:
        reporter.problem(d.render())
    bad = [d for d in outcome.diagnostics if d.severity is Severity.ERROR
           or (flags.strict and d.severity is Severity.WARNING)]
    for a in outcome.actions:
        if a.kind in (K.CONFLICT, K.REJECTED):
            reporter.problem(f"schemac: {Path(run.out) / a.path}: {a.reason}")
    conflict = any(a.kind in (K.CONFLICT, K.REJECTED) for a in outcome.actions)
    return 2 if bad or conflict else 0


def _show(outcome: Outcome, root: Path, flags: Flags, reporter: Reporter) -> int:
    shown = writer.drift(outcome.actions) if flags.check else [
        a for a in outcome.actions if a.kind not in (K.UNCHANGED, K.KEEP_EXISTING)]
    words = {K.CREATE: "missing" if flags.check else "create",
             K.UPDATE: "stale" if flags.check else "update",
             K.REMOVE: "extra" if flags.check else "remove"}
    for a in shown:  # the listing is the answer: stdout, even with --quiet
        word = words.get(a.kind, a.kind.value)
        click.echo(f"{word:9} {root / a.path}" + (f"  ({a.reason})" if a.reason else ""))
        if flags.show_diff and a.kind in (K.CREATE, K.UPDATE, K.REMOVE):
            click.echo(_diff(root, a), nl=False)
    if flags.check and shown:
        reporter.problem(f"schemac: {len(shown)} generated file(s) out of date in {root}; "
                         "run `schemac compile` to regenerate")
        return 1
    return 0


def _save_cache(root: Path, run: SourceRun, outcome: Outcome, stamps: dict[str, list[int]],
                clean: bool) -> None:
    """``stamps``: size and mtime of the files just written; kept files come with the
    stamps the incremental check found; the others are stat'ed."""
    if not clean:
        cache.drop(root, run.name)
        return
    known = {**outcome.kept_stamps, **stamps}
    present = [p for p in (*(a.path for a in outcome.actions if a.kind in (
        K.CREATE, K.UPDATE, K.UNCHANGED, K.KEEP_EXISTING)), *outcome.keep) if p not in known]
    files = {**cache.stat_files(root, present), **known}
    cache.save(root, run.name, cache.Cache(outcome.key, outcome.base_key, files, outcome.tables))
