"""Which worker runs which task: each target's tasks stay on one worker, idle workers steal.

Why: a worker builds a target's whole-schema indexes and per-column memos the
first time it runs one of the target's chunks, and two workers creating files
in one directory slow each other down in the kernel.  Handing out chunks
round-robin made both workers do both for every target: at 10,000 tables
that was ~1.5 s of duplicated CPU on a 2-core machine.  So targets are dealt
to workers (largest first, to the least loaded), each worker runs its own
targets' tasks in order, and a worker that runs out takes the *last* task of
the most loaded worker, the one that worker would have reached latest.

Pure bookkeeping, no processes: :mod:`compiler.parallel` asks :meth:`Plan.next`
whenever a worker has room for another task.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Protocol


class _Task(Protocol):
    target: str
    mode: str


WHOLE_WEIGHT = 2   # a whole-schema task counted as this many chunks when dealing targets


class Plan:
    """Per-worker queues of task indices."""

    def __init__(self, tasks: Sequence[_Task], workers: int) -> None:
        by_target: dict[str, list[int]] = {}
        for i, t in enumerate(tasks):
            by_target.setdefault(t.target, []).append(i)
        weight = {name: sum(WHOLE_WEIGHT if tasks[i].mode == "whole" else 1 for i in idx)
                  for name, idx in by_target.items()}
        self.queues: list[deque[int]] = [deque() for _ in range(max(1, workers))]
        load = [0] * len(self.queues)
        # Largest first, each to the least loaded worker (ties: the lower number), and
        # whole-schema tasks (one long task) at the front of a queue.
        for name in sorted(by_target, key=lambda n: (-weight[n], n)):
            w = min(range(len(load)), key=lambda k: (load[k], k))
            load[w] += weight[name]
            self.queues[w].extend(by_target[name])
        for q in self.queues:
            ordered = sorted(q, key=lambda i: (tasks[i].mode != "whole", tasks[i].mode != "shared"))
            q.clear()
            q.extend(ordered)

    def next(self, worker: int) -> int | None:
        """The next task for ``worker``: its own, else the last of the longest queue."""
        own = self.queues[worker]
        if own:
            return own.popleft()
        victim = max(self.queues, key=len)
        return victim.pop() if victim else None

    def __len__(self) -> int:
        return sum(len(q) for q in self.queues)
