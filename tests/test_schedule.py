"""Which worker runs which task: a target's tasks on one worker, stealing from the back.

Also the pool itself: a worker that dies is reported, and a parallel run
gives the same files whatever the number of workers.
"""

from __future__ import annotations

import os

import attrs
import pytest
from click.testing import CliRunner

from compiler import parallel
from compiler.cli import schemac
from compiler.schedule import Plan
from tests.conftest import fixture_path


@attrs.frozen
class T:
    target: str
    mode: str


def _tasks():
    out = [T("sqlalchemy", "whole")]
    for name, chunks in (("eloquent", 8), ("docs", 8), ("factories", 8), ("plantuml", 8)):
        out += [T(name, "shared")] + [T(name, "tables")] * chunks
    return out


def _drain(plan: Plan, order: list[int]) -> dict[int, list[int]]:
    got: dict[int, list[int]] = {w: [] for w in set(order)}
    for w in order:
        i = plan.next(w)
        if i is not None:
            got[w].append(i)
    while len(plan):
        for w in got:
            i = plan.next(w)
            if i is not None:
                got[w].append(i)
    return got


def test_each_target_on_one_worker_when_nobody_steals():
    tasks = _tasks()
    plan = Plan(tasks, 2)
    targets = [{tasks[i].target for i in q} for q in plan.queues]
    assert targets[0].isdisjoint(targets[1]) and targets[0] | targets[1] == {
        t.target for t in tasks}
    assert abs(sum(len(q) for q in plan.queues[:1]) - len(plan.queues[1])) <= 9
    for q in plan.queues:   # the long whole-schema task first, then shared, then chunks
        modes = [tasks[i].mode for i in q]
        assert modes == sorted(modes, key=lambda m: (m != "whole", m != "shared"))


def test_every_task_once_and_a_fast_worker_steals_from_the_back():
    tasks = _tasks()
    plan = Plan(tasks, 2)
    slow_queue = list(plan.queues[1])
    fast = [plan.next(0) for _ in range(len(plan.queues[0]) + 3)]
    assert fast[-3:] == slow_queue[::-1][:3]           # the slow one's last tasks
    rest = _drain(plan, [1])[1]
    assert sorted(fast + rest) == list(range(len(tasks)))
    assert plan.next(0) is None and plan.next(1) is None


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_any_number_of_workers_gets_every_task(workers):
    tasks = _tasks()
    got = _drain(Plan(tasks, workers), list(range(workers)))
    assert sorted(i for xs in got.values() for i in xs) == list(range(len(tasks)))


class _Dies:
    """A backend whose worker process dies (as when the OOM killer takes it)."""

    name, defaults = "dies", {}

    def emit(self, schema, options):
        os._exit(9)


def test_a_worker_that_dies_is_reported_and_nothing_is_left(tmp_path, monkeypatch):
    import backends

    class EP:
        module = "tests.test_schedule"

        def load(self):
            return _Dies()

    real = backends.registry
    monkeypatch.setattr(backends, "registry", lambda: {**real(), "dies": EP()})
    monkeypatch.setattr(parallel, "PARALLEL_MIN_TABLES", 1)
    out = tmp_path / "out"
    result = CliRunner().invoke(schemac, [
        "compile", str(fixture_path("chinook.sqlite.sql")), "-o", str(out), "-j", "2",
        "-t", "dies", "-t", "eloquent", "-t", "docs"])
    assert result.exit_code == 2 and "a worker process died" in result.output
    assert not out.exists() or [p for p in out.rglob("*") if p.is_file()] == []
