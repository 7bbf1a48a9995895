"""One source through a compile: cache check, load, passes, emit (parallel, isolated), plan.

Target options are layered: the backend's ``defaults``, then the config's
``[tool.schemac.<target>]`` table, then CLI flags that apply to every target
which declares that option (``--laravel-version``).  An option a backend does
not declare, or a value of another type than its default, is an error naming
the key and the file.

Incremental runs (:mod:`compiler.cache`): when nothing changed the run stops
before parsing; when only the source changed, backends with ``emit_tables``
re-emit only the changed tables and their neighbours, the others emit
everything and the writer leaves unchanged files alone.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from backends import Backend, OutputFile, get_backend, registry
from compiler import __version__, cache, writer
from compiler.config import ConfigError
from compiler.frontends import load
from compiler.outdir import OutDir
from compiler.parallel import Failure, make_tasks, per_table, run_tasks
from compiler.pipeline import build_passes
from compiler.progress import Reporter
from compiler.sources import SourceRun
from ir.diagnostics import Diagnostic, Severity
from ir.model import Schema


@attrs.frozen
class Outcome:
    """What a run of one source decided (nothing is written yet)."""

    actions: list[writer.Action]
    diagnostics: tuple[Diagnostic, ...] = ()
    failures: tuple[Failure, ...] = ()
    fresh: bool = False                      # cache hit: the source was not even read
    tables: dict[str, str] = attrs.field(factory=dict)   # fingerprints, for the cache
    key: str = ""
    base_key: str = ""
    keep: tuple[str, ...] = ()
    emitted_tables: int | None = None        # per-table re-emission (None: all)
    manifest: dict = attrs.field(factory=dict, repr=False)  # as read before planning
    kept_stamps: dict = attrs.field(factory=dict, repr=False)  # of ``keep``, checked unchanged
    committed: dict = attrs.field(factory=dict, repr=False)  # new files already in place
    dropped: tuple = ()   # actions of paths two outputs write (discarded; their directories)


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


def all_options(run: SourceRun, cli: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    raw, where = run.config.raw, run.config.path or "command line"
    if cli.get("laravel_version") is None and "laravel_version" in raw:
        cli = {**cli, "laravel_version": raw["laravel_version"]}
    return {name: target_options(get_backend(name), raw.get(name, {}), where, cli)
            for name in run.targets}


def _modules(targets: tuple[str, ...]) -> list[str]:
    eps = registry()
    mods = ["compiler", "ir", "backends"] + [ep.module for ep in plugin_entry_points()]
    return mods + [eps[t].module for t in targets if t in eps]


def plugin_entry_points() -> list:
    from importlib.metadata import entry_points
    return [*entry_points(group="schemac.passes"), *entry_points(group="schemac.hooks")]


def keys(run: SourceRun, options: Mapping[str, Any], cli: Mapping[str, Any],
         salt: str = "") -> tuple[str, str]:
    """(key of the whole input, key of everything but the source's bytes)."""
    common: dict[str, Any] = {
        "config_digest": run.config.digest, "section": run.config.raw, "targets": run.targets,
        "cli": {"options": options, "salt": salt, **cli}, "version": __version__,
        "code": cache.code_stamp(_modules(run.targets))}   # once for both keys
    return cache.run_key(source=run.source, **common), cache.run_key(source=None, **common)


def analyze(run: SourceRun, hooks: Any, reporter: Reporter, jobs: int = 1) -> Schema:
    with reporter.phase("load"):
        schema = load(run.source, run.dialect, jobs=jobs)
    hooks.schemac_schema_loaded(source=run.source, schema=schema)
    passes = build_passes(run.config.analysis)
    with reporter.phase("analyze", len(passes)) as advance:
        for p in passes:
            schema = p(schema)
            if getattr(p, "func", p).__name__ == "name_relations":
                hooks.schemac_relations_inferred(source=run.source, schema=schema)
            advance()
    hooks.schemac_schema_analyzed(source=run.source, schema=schema)
    return schema


def _changed(schema: Schema, fps: dict[str, str], old: cache.Cache, root: Path,
             manifest: dict, run: SourceRun, kept_stamps: dict[str, list[int]]
             ) -> tuple[set[str], set[str], list[str]]:
    """(tables to re-emit, tables gone, paths to keep) for an incremental run.

    A per-table file belongs to the first table it lists (the one whose
    ``emit_tables`` makes it) and lists every table it depends on.  Its owner is
    re-emitted when one of those tables changed or went, or when the file was
    touched since the last run; so is every changed table and its relation
    neighbours (a backend may not list every dependency).  The files of the
    other tables stay as they are."""
    gone = set(old.tables) - set(fps)
    changed = {t for t, fp in fps.items() if old.tables.get(t) != fp}
    dirty = changed | gone
    only = cache.neighbours(schema, changed)
    per_table_targets = {t for t in run.targets if per_table(get_backend(t))}
    owned: list[tuple[str, str]] = []
    lists: dict[str, list[str]] = {}
    for path, entry in manifest.items():
        tables = list(entry.get("tables", ()))
        if entry.get("target") in per_table_targets and entry.get("source", "") == run.name \
                and tables:
            owned.append((path, tables[0]))
            lists[path] = tables
    stamps = cache.stat_files(root, [path for path, _ in owned])
    for path, owner in owned:
        if owner in fps and (dirty.intersection(lists[path])
                             or stamps.get(path) != old.files.get(path)):
            only.add(owner)
    keep = [path for path, owner in owned if owner in fps and owner not in only]
    # A kept file was found unchanged just now: its stamp goes to the next cache as is.
    kept_stamps.update((path, stamps[path]) for path in keep if path in stamps)
    return only, gone, keep


def generate(run: SourceRun, cli: Mapping[str, Any], *, jobs: int, force: bool,
             use_cache: bool, hooks: Any, reporter: Reporter, salt: str = "",
             stage: bool = False, commit_new: bool = False) -> Outcome:
    """Decide every file of one source (reads the disk; with ``stage`` also writes
    each new file's temp copy, which the caller commits or discards).

    ``commit_new``: new files go into place while the rest is emitted (unless the
    schema has an error); the caller's :func:`writer.discard` takes them back.

    ``salt`` separates caches of runs that may judge the same output differently
    (``--strict``: a warning fails it)."""
    root = Path(run.out)
    options = all_options(run, cli)
    full_key, base_key = keys(run, options, cli, salt)
    old = cache.load(root, run.name) if use_cache else None
    if old is not None and old.key == full_key and cache.outputs_fresh(root, old):
        return Outcome([], fresh=True, tables=old.tables, key=full_key, base_key=base_key)
    schema = analyze(run, hooks, reporter, jobs)
    # The analyzed schema lives until the end: move it out of the collector's sight.
    # Full collections rescanned its millions of objects again and again during
    # emission (a third of the emitters' time), and in forked workers they also
    # dirtied every page holding it (copy-on-write).  The caller unfreezes after
    # writing (compile_cmd).
    gc.freeze()   # no collect first: a full pass over the heap costs 0.2 s, and the
    # passes leave next to no cyclic garbage (they run with the collector paused)
    fps: dict[str, str] = {}

    def fingerprint() -> None:
        with reporter.timed("fingerprint"):
            fps.update(cache.table_fingerprints(schema))

    only, keep, kept_stamps = None, [], {}
    manifest = writer.read_manifest(root)
    incremental = old is not None and old.key != full_key and old.base == base_key
    if incremental:
        fingerprint()
        only, _gone, keep = _changed(schema, fps, old, root, manifest, run, kept_stamps)
    # A full run fingerprints the tables (for the next run) while the workers emit.
    early = stage and commit_new and not any(d.severity is Severity.ERROR
                                             for d in schema.diagnostics)
    committed: dict[str, str] = {}
    planned, failures, backend_diags = _emit(
        run, schema, options, manifest, only, jobs=jobs, force=force, stage=stage,
        reporter=reporter, meanwhile=None if incremental else fingerprint,
        committed=committed if early else None)
    planned, dropped = _dedupe(planned, committed)
    diags = _emit_problems(backend_diags, failures, dropped, hooks)
    keep += _kept_after_failures(failures, manifest, run.name)
    owned = [t for t in run.targets if not any(f.target == t and f.table is None
                                               for f in failures)]
    with reporter.timed("plan"):
        actions = writer.removals(planned, root, manifest, force=force, owned_targets=owned,
                                  keep=keep, source=run.name)
    return Outcome(actions, tuple(schema.diagnostics) + tuple(diags), tuple(failures),
                   tables=fps, key=full_key, base_key=base_key, keep=tuple(keep),
                   kept_stamps=kept_stamps,
                   manifest=manifest, committed=committed, dropped=tuple(dropped),
                   emitted_tables=None if only is None or not any(
                       per_table(get_backend(t)) for t in run.targets) else len(only))


def _emit(run: SourceRun, schema: Schema, options: Mapping[str, Any], manifest: dict,
          only: set[str] | None, *, jobs: int, force: bool, stage: bool, reporter: Reporter,
          meanwhile: Any, committed: dict[str, str] | None
          ) -> tuple[list[writer.Action], list[Failure], list[Diagnostic]]:
    """Every target's tasks run (over workers when large), each task's files planned
    (and staged) where they were made; with ``committed``, new files are put in
    place there too (or renamed into place as their task's results arrive) and
    noted in ``committed``."""
    root = Path(run.out)
    disk = OutDir(root)
    arrived: list[writer.Action] = []

    def on_result(result: Any) -> None:
        arrived.extend(result[0])
        if committed is not None:
            writer.commit_new(result[0], disk, committed)

    tasks = make_tasks(run.targets, [t.name for t in schema.tables], jobs, only)
    merges = {t: get_backend(t).merge for t in run.targets
              if callable(getattr(get_backend(t), "merge", None))}

    def post(files: list[OutputFile]) -> list[writer.Action]:
        return writer.plan_files(files, root, manifest, force=force, merges=merges, stage=stage,
                                 source=run.name, disk=disk, place_new=committed is not None)

    try:
        with reporter.phase("emit", len(tasks)) as advance:
            return run_tasks(tasks, schema, options, jobs, lambda _t: advance(), post=post,
                             meanwhile=meanwhile, on_result=on_result if stage else None)
    except BaseException:
        if stage:  # a worker could not stage (disk full, ...) or Ctrl-C: leave no temp
            writer.discard(arrived, committed)   # file, and take back the new files
            writer.sweep_temps(root)
        raise


def _emit_problems(backend_diags: list[Diagnostic], failures: list[Failure],
                   dropped: list[writer.Action], hooks: Any) -> list[Diagnostic]:
    """The backends' diagnostics, one per failure (also told to the hooks), and an
    error for a path two outputs write."""
    diags = backend_diags + [_failure_diag(f) for f in failures]
    for f in failures:
        hooks.schemac_generation_failed(target=f.target, table=f.table, error=f.cause)
    if dropped:
        diags.append(Diagnostic("duplicate-output", Severity.ERROR,
                                f"two outputs write {dropped[0].path}: check the targets' paths"))
    return diags


def _failure_diag(f: Failure) -> Diagnostic:
    if f.table is None:
        return Diagnostic("backend-failed", Severity.ERROR, f"target {f.target} failed: {f.cause}")
    return Diagnostic("table-failed", Severity.ERROR,
                      f"target {f.target} failed for this table: {f.cause}", table=f.table)


def _kept_after_failures(failures: tuple[Failure, ...] | list[Failure], manifest: dict,
                         source: str) -> list[str]:
    """Files of a table whose generation failed stay as they are (not removed as extra)."""
    bad = {(f.target, f.table) for f in failures if f.table is not None}
    return [p for p, e in manifest.items() if e.get("source", "") == source
            and any((e.get("target"), t) in bad for t in e.get("tables", ()))]


def _dedupe(planned: list[writer.Action], committed: dict[str, str]
            ) -> tuple[list[writer.Action], list[writer.Action]]:
    """The actions of paths written once, and the dropped ones of paths two outputs
    write (their staged copies discarded now; kept for an error and so that a
    blocked run also removes the directories made for them)."""
    seen: dict[str, writer.Action] = {}
    dropped: list[writer.Action] = []
    for a in planned:
        if a.path in seen:
            dropped.append(a)
        else:
            seen[a.path] = a
    if not dropped:
        return planned, []
    dups = {a.path for a in dropped}
    dropped += [seen[p] for p in sorted(dups)]
    writer.discard(dropped, committed)
    return [a for a in seen.values() if a.path not in dups], dropped
