"""Run the backends: per-table chunks and whole targets as tasks, serially or over worker processes.

A backend with the optional ``emit_tables`` / ``emit_shared`` pair (see
:mod:`backends`) is split into chunks of tables plus one task for its
whole-schema files; any other backend is one task.  Workers are forked after
the schema is analyzed, so they inherit it instead of receiving a pickled
copy; each task returns its files, which are put back in task order, so the
output is the same bytes whatever ``jobs`` is.  A ``post`` function (the
writer's plan-and-stage) runs on each task's files in the process that made
them, so the texts are written there and never travel back to the parent.

A chunk that raises is retried table by table: the failing table gets a
diagnostic naming it, the backend and the cause, and the other tables of the
chunk are still emitted.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import attrs

from backends import OutputFile, get_backend
from compiler.schedule import Plan
from ir.diagnostics import Diagnostic
from ir.model import Schema

# Below this many tables a pool costs more (fork, result pickling) than it saves.
PARALLEL_MIN_TABLES = 200
CHUNKS_PER_JOB = 4
MIN_CHUNK = 25


@attrs.frozen
class Failure:
    target: str
    table: str | None   # None: the whole target
    cause: str


@attrs.frozen
class Task:
    target: str
    mode: str                       # "whole", "shared" or "tables"
    tables: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.target if self.mode != "tables" else f"{self.target} ({len(self.tables)} tables)"


def per_table(backend: Any) -> bool:
    return callable(getattr(backend, "emit_tables", None))


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_tasks(targets: Sequence[str], tables: Sequence[str], jobs: int,
               only: set[str] | None = None) -> list[Task]:
    """Tasks for ``targets``; per-table backends emit ``only`` tables when given.

    The order is the serial order and the order results are put back in: whole-
    schema tasks first (the longest), then the chunks round-robin over targets.
    Which worker runs which task is :class:`compiler.schedule.Plan`'s choice."""
    whole: list[Task] = []
    chunks: list[list[Task]] = []
    chosen = [t for t in tables if only is None or t in only]
    size = max(MIN_CHUNK, -(-len(chosen) // max(1, jobs * CHUNKS_PER_JOB)))
    for name in targets:
        backend = get_backend(name)
        if not per_table(backend):
            whole.append(Task(name, "whole"))
            continue
        whole.append(Task(name, "shared"))
        chunks.append([Task(name, "tables", tuple(chosen[i:i + size]))
                       for i in range(0, len(chosen), size)])
    return whole + [t for row in itertools.zip_longest(*chunks) for t in row if t is not None]


def _cause(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "(no message)"
    return f"{type(exc).__name__}: {text}"


Result = tuple[list[Any], list[Failure], list[Diagnostic]]
Post = Callable[[list[OutputFile]], list[Any]]


def run_task(task: Task, schema: Schema, options: Mapping[str, Mapping[str, Any]],
             post: Post | None = None) -> Result:
    """The task's files (passed through ``post``), failures and the diagnostics the
    backend left in ``last_diagnostics`` (read here: in a worker, the parent's
    backend object never ran).

    The cyclic collector is paused while a task runs and its young objects are
    collected after (also when the caller had paused it: a compile run does, and
    its workers inherit that): emitters allocate millions of short-lived objects,
    and the collections they triggered were 15 % of emission time."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run_task(task, schema, options, post)
    finally:
        gc.collect(1)   # the task's cycles (jinja's, ...): young objects only, cheap
        if paused:
            gc.enable()


def _run_task(task: Task, schema: Schema, options: Mapping[str, Mapping[str, Any]],
              post: Post | None) -> Result:
    backend = get_backend(task.target)
    opts = options[task.target]
    failures: list[Failure] = []
    try:
        if task.mode == "whole":
            files = backend.emit(schema, opts)
        elif task.mode == "shared":
            shared = getattr(backend, "emit_shared", None)
            files = shared(schema, opts) if callable(shared) else []
        else:
            files = backend.emit_tables(schema, opts, task.tables)
    except Exception as exc:  # noqa: BLE001 -- one table's bug must not lose the others
        if task.mode != "tables":
            return [], [Failure(task.target, None, _cause(exc))], []
        files = []
        for table in task.tables:
            try:
                files += backend.emit_tables(schema, opts, (table,))
            except Exception as one:  # noqa: BLE001
                failures.append(Failure(task.target, table, _cause(one)))
    diags = list(getattr(backend, "last_diagnostics", ()) or ())
    files = [f if f.target == task.target else _with_target(f, task.target) for f in files]
    return (post(files) if post is not None else files), failures, diags


def _with_target(f: OutputFile, target: str) -> OutputFile:
    # The constructor, not attrs.evolve: evolve looks up the class's fields per call.
    return OutputFile(f.path, f.text, f.ownership, f.tables, f.exists_glob, target,
                      f.kept_note, f.kept_marker)


_STATE: dict[str, Any] = {}


def _work(index: int) -> tuple[int, Result]:
    task = _STATE["tasks"][index]
    return index, run_task(task, _STATE["schema"], _STATE["options"], _STATE["post"])


def run_tasks(tasks: list[Task], schema: Schema, options: Mapping[str, Mapping[str, Any]],
              jobs: int, on_done: Callable[[Task], None] | None = None,
              min_tables: int | None = None, post: Post | None = None,
              meanwhile: Callable[[], None] | None = None,
              on_result: Callable[[Result], None] | None = None) -> Result:
    """Every task's files (through ``post``), failures and diagnostics, in task order;
    ``jobs`` > 1 forks.  ``meanwhile`` runs in this process once the workers have
    their tasks (work that would otherwise wait for them); ``on_result`` gets each
    task's result in this process as soon as it is there (in completion order)."""
    min_tables = PARALLEL_MIN_TABLES if min_tables is None else min_tables
    results: list[Result | None] = [None] * len(tasks)
    parallel = (jobs > 1 and len(tasks) > 1 and len(schema.tables) >= min_tables
                and "fork" in multiprocessing.get_all_start_methods())
    if not parallel:
        for i, task in enumerate(tasks):
            results[i] = run_task(task, schema, options, post)
            if on_result:
                on_result(results[i])
            if on_done:
                on_done(task)
        if meanwhile is not None:
            meanwhile()
    else:
        _pool(tasks, schema, options, jobs, results, on_done, post, meanwhile, on_result)
    files: list[Any] = []
    failures: list[Failure] = []
    diags: list[Diagnostic] = []
    for got in results:
        assert got is not None
        files += got[0]
        failures += got[1]
        diags += got[2]
    return files, failures, diags


DEPTH = 4   # tasks queued per worker: they keep working while the parent is busy


def _pool(tasks, schema, options, jobs, results, on_done, post, meanwhile, on_result) -> None:
    """One single-process executor per worker, fed from a :class:`schedule.Plan`
    (each target's tasks on one worker; idle workers steal)."""
    _STATE.update(tasks=tasks, schema=schema, options=options, post=post)
    ctx = multiprocessing.get_context("fork")
    workers = [ProcessPoolExecutor(1, mp_context=ctx) for _ in range(min(jobs, len(tasks)))]
    plan = Plan(tasks, len(workers))
    running: dict[Future, int] = {}   # future -> worker

    def feed(w: int) -> None:
        while sum(1 for k in running.values() if k == w) < DEPTH:
            index = plan.next(w)
            if index is None:
                return
            running[workers[w].submit(_work, index)] = w

    try:
        for w in range(len(workers)):
            feed(w)
        if meanwhile is not None:
            meanwhile()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                w = running.pop(fut)
                try:
                    index, result = fut.result()
                except BrokenProcessPool:  # killed (the OOM killer?): not a bug of ours
                    raise ChildProcessError("a worker process died (killed? out of memory? "
                                            "try fewer --jobs)") from None
                results[index] = result
                if on_result:
                    on_result(result)
                if on_done:
                    on_done(tasks[index])
                feed(w)
    except BaseException:
        if on_result:
            _drain(running, on_result)
        raise
    finally:
        for pool in workers:
            pool.shutdown(wait=True, cancel_futures=True)
        _STATE.clear()


def _drain(running: dict[Future, int], on_result: Callable[[Result], None]) -> None:
    """A run that fails: cancel the tasks not started, wait for the others and hand
    over what they made (their workers may have put new files in place already,
    which the caller then takes back).  A task that fails too is skipped."""
    for fut in running:
        fut.cancel()
    for fut in running:
        try:
            _index, result = fut.result()
        except BaseException:
            if not fut.done():
                raise   # interrupted while waiting here (Ctrl-C again): stop draining
            continue    # cancelled, or failed in its worker: nothing to hand over
        try:
            on_result(result)
        except Exception:  # noqa: BLE001, S112 -- the run fails anyway: hand over the rest
            continue
